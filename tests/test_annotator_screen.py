"""The "who is annotating?" screen (``newsmark serve --ask-annotator``), driven by Pilot.

It is pushed here by a small host app, as the newsmark app pushes it first; the keys are the
ones a person types, and the name it dismisses with is the one the app would tag as.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Static

from tui.screens.annotator import AnnotatorScreen


class Host(App[None]):
    """Pushes the screen on mount and records what it dismissed with."""

    def __init__(self, screen: AnnotatorScreen) -> None:
        super().__init__()
        self.asking = screen
        self.names: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("the app underneath")

    def on_mount(self) -> None:
        self.push_screen(self.asking, self.names.append)


def problem(app: Host) -> str:
    return str(app.screen.query_one("#annotator-problem", Static).render())


async def test_a_typed_name_is_the_annotator() -> None:
    app = Host(AnnotatorScreen())
    async with app.run_test() as pilot:
        assert isinstance(app.screen, AnnotatorScreen)
        await pilot.press(*"  José", "space", *"García ", "enter")
        await pilot.pause()
        assert app.names == ["José García"]
        assert not isinstance(app.screen, AnnotatorScreen)


async def test_a_bad_name_says_why_and_keeps_asking() -> None:
    app = Host(AnnotatorScreen())
    async with app.run_test() as pilot:
        await pilot.press("space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, AnnotatorScreen) and app.names == []
        assert "The annotator name is empty" in problem(app)
        await pilot.press("escape")  # no way round it: every tag needs a name
        assert isinstance(app.screen, AnnotatorScreen)
        field = app.screen.query_one(Input)
        field.value = "bidi\u202eevil"  # as a paste would bring it
        await pilot.press("enter")
        await pilot.pause()
        assert "U+202E" in problem(app) and app.names == []
        field.value = ""
        await pilot.press(*"x" * 65, "enter")
        await pilot.pause()
        assert "at most 64" in problem(app)
        await pilot.press("backspace")  # typing clears the complaint
        assert problem(app) == ""
        await pilot.press("enter")
        await pilot.pause()
        assert app.names == ["x" * 64]


async def test_the_suggestion_and_the_names_in_the_store_are_shown() -> None:
    app = Host(AnnotatorScreen("carol", known=["bob", "Alice", "bob", "\x1b[31mred"]))
    async with app.run_test() as pilot:
        known = str(app.screen.query_one("#annotator-known", Static).render())
        assert known.startswith("Names in the store: ") and "Alice, bob" in known
        assert known.count("bob") == 1
        assert "\x1b" not in known and "␛[31mred" in known  # shown, never obeyed
        await pilot.press("enter")
        await pilot.pause()
        assert app.names == ["carol"]
