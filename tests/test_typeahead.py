"""Keys typed ahead land where they were meant: every burst here is queued whole before the app
handles any of it (:func:`typed.burst`), as a fast typist, a paste without bracketed-paste mode
or an SSH link delivering several keystrokes in one read would send it. Each test checks both
the store on disk and what the prompt or screen received.

The bursts are the ones real use found: ``/sanctions`` in the reader, ``e`` and a note's text,
``r2``, ``/Luxembourg`` in the article list; and one for every prompt and screen a key opens.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from typed import burst, settled

from tui.app import NewsmarkApp
from tui.config import Config
from tui.corpus import load_corpus
from tui.screens.compare import CompareScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.screens.prompt import PromptScreen
from tui.screens.stats import StatsScreen
from tui.store import Store
from tui.widgets.reader import Reader

SIZE = (100, 30)
A000 = "000_459b4affb575bcd9"
A002 = "002_a34abba263e9470d"


def make_app(seeds: Path, store_dir: Path) -> NewsmarkApp:
    return NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator="tester"),
                       config=Config(), annotator="tester")


def stored(store_dir: Path, article_id: str) -> list[tuple[str, str, str]]:
    """(tag, quote, note) of what is on disk for the article, in text order."""
    annotations = Store(store_dir, annotator="reader-of-tests").annotations(article_id)
    return [(a.tag, a.text, a.note) for a in sorted(annotations, key=lambda a: a.start)]


def everything(store_dir: Path, seeds: Path) -> list[tuple[str, int, int, str, str]]:
    """Every annotation on disk, without ids and times (to compare two runs)."""
    store = Store(store_dir, annotator="reader-of-tests")
    found = []
    for article_id in load_corpus([seeds]).ids:
        found += [(a.article_id, a.start, a.end, a.tag, a.note)
                  for a in store.annotations(article_id)]
    return sorted(found)


async def in_reader(pilot, app: NewsmarkApp) -> Reader:
    await pilot.press("tab")
    reader = app.reader
    assert reader.has_focus
    return reader


def selected(reader: Reader) -> str:
    assert reader.article is not None and reader.selection is not None
    return reader.article.text[reader.selection.start : reader.selection.end]


async def test_search_typed_in_one_burst_reaches_the_prompt(seeds: Path,
                                                            store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await in_reader(pilot, app)
        await burst(pilot, "slash", *"sanctions")
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.input.value == "sanctions"
        assert stored(store_dir, A000) == []  # s, a, n, c, t... ran nothing in the reader
        # enter and a tag key in the same burst: the search runs, the match is tagged.
        await burst(pilot, "enter", "2")
        assert not isinstance(app.screen, PromptScreen)
        assert selected(reader).lower() == "sanctions"
        assert stored(store_dir, A000) == [("threat", selected(reader), "")]


async def test_a_note_typed_right_after_e_goes_on_the_tag(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await in_reader(pilot, app)
        await burst(pilot, "j", "1")
        sentence = selected(reader)
        # Before: "e" then the note left five stray tags and removed the claim.
        await burst(pilot, "e", *"check this date", "enter")
        assert stored(store_dir, A000) == [("claim", sentence, "check this date")]
        # A tag key and its note in one burst: the note goes on the tag just made.
        await burst(pilot, "j", "2", "e", *"second", "enter")
        assert [note for _, _, note in stored(store_dir, A000)] == ["check this date", "second"]


async def test_a_note_for_the_next_tag_then_the_tag(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await in_reader(pilot, app)
        await burst(pilot, "j", "e", *"noted first", "enter", "3")
        assert stored(store_dir, A000) == [("denial", selected(reader), "noted first")]
        # n with no search open also edits the note.
        await burst(pilot, "n", "ctrl+u", *"via n", "enter")
        assert stored(store_dir, A000) == [("denial", selected(reader), "via n")]


async def test_retag_and_its_choice_in_one_burst(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await in_reader(pilot, app)
        await burst(pilot, "1", "r", "2")
        # Before: the claim stayed and a threat was added.
        assert stored(store_dir, A000) == [("threat", selected(reader), "")]
        await burst(pilot, "r", "escape", "j")
        assert stored(store_dir, A000)[0][0] == "threat"
        assert isinstance(app.screen, type(app.main))


async def test_the_list_filter_typed_in_one_burst(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        articles = app.articles
        assert articles.has_focus
        # Before: the g of Luxembourg opened the statistics screen.
        await burst(pilot, "slash", *"Luxembourg")
        assert isinstance(app.screen, type(app.main))
        assert app.query_one("#filter").value == "Luxembourg"
        assert [a.id for a in articles.visible_articles()] == [A002]
        # enter keeps the filter and goes back to the list; enter again opens the article.
        await burst(pilot, "enter", "enter", "j", "1")
        assert app.reader.has_focus and app.reader.article.id == A002
        assert len(stored(store_dir, A002)) == 1
        # esc in the list clears the filter.
        await burst(pilot, "tab", "escape")
        assert articles.filter_text == "" and len(articles.visible_articles()) == 5


async def test_the_tag_picker_and_the_confirmation_take_the_keys_after_them(
    seeds: Path, store_dir: Path
) -> None:
    app = make_app(seeds, store_dir)
    answers: list[bool | None] = []
    async with app.run_test(size=SIZE) as pilot:
        reader = await in_reader(pilot, app)
        app.push_screen(ConfirmScreen("Really?"), answers.append)
        await burst(pilot, "y", "j", "4")
        assert answers == [True]
        assert stored(store_dir, A000) == [("schedule", selected(reader), "")]
        app.push_screen(ConfirmScreen("Really?"), answers.append)
        await burst(pilot, "n", "x")
        assert answers == [True, False] and stored(store_dir, A000) == []


async def test_the_palette_takes_what_is_typed_after_ctrl_p(seeds: Path,
                                                            store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await in_reader(pilot, app)
        first = reader.selection
        await burst(pilot, "ctrl+p", *"grow the selection")
        await pilot.pause(0.5)  # the palette searches its commands in a worker
        assert app.screen.query_one("Input").value == "grow the selection"
        await burst(pilot, "enter")
        await pilot.pause(0.3)
        await settled(pilot)
        assert reader.selection.start == first.start and reader.selection.end > first.end
        assert stored(store_dir, A000) == []  # "g", "r", "o", "w"... ran nothing


@pytest.mark.parametrize("key, screen", [
    ("question_mark", HelpScreen), ("m", CompareScreen), ("g", StatsScreen),
])
async def test_screens_take_the_keys_typed_after_the_key_that_opens_them(
    seeds: Path, store_dir: Path, key: str, screen: type
) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await in_reader(pilot, app)
        before = reader.selection
        await burst(pilot, key, "j", "j", "k")
        assert isinstance(app.screen, screen)
        assert reader.selection == before  # the j k went to the screen, not the reader
        # Closed, the keys after esc are the reader's again.
        await burst(pilot, "escape", "j", "1")
        assert not isinstance(app.screen, screen)
        assert reader.selection != before
        assert stored(store_dir, A000) == [("claim", selected(reader), "")]


async def test_the_panel_takes_the_keys_typed_after_a(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await in_reader(pilot, app)
        await burst(pilot, "1", "j", "j", "2", "home")
        claim, threat = (a for a in sorted(app.session.annotations, key=lambda a: a.start))
        await burst(pilot, "a", "j", "enter")
        assert app.panel.display and reader.has_focus
        assert reader.selection == threat.span
        await burst(pilot, "a", "a", "k", "enter")
        assert reader.selection == claim.span


async def test_bracketed_paste_searches_in_the_reader_and_filters_in_the_list(
    seeds: Path, store_dir: Path
) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        app.post_message(events.Paste("Luxembourg"))
        await settled(pilot)
        assert app.query_one("#filter").value == "Luxembourg"
        assert [a.id for a in app.articles.visible_articles()] == [A002]
        await burst(pilot, "enter", "enter")
        assert app.reader.has_focus
        # A paste is never run as keys: "x1 q" would untag, tag and quit.
        app.post_message(events.Paste("x1 q\nsecond line"))
        await settled(pilot)
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.input.value == "x1 q second line"
        assert app.is_running and stored(store_dir, A002) == []


async def test_esc_and_the_next_key_in_one_read_are_two_keys(seeds: Path,
                                                           store_dir: Path) -> None:
    """A terminal sends alt+e as esc then e: esc typed just before e arrives as alt+e."""
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await in_reader(pilot, app)
        await burst(pilot, "slash", *"nato")
        app.post_message(events.Key("alt+e", "e"))  # what the parser makes of "\x1be"
        await burst(pilot, *"why")
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.question.startswith("Note for the next tag")
        assert app.screen.input.value == "why"


SEQUENCES = [
    ["j", "1", "e", *"a note", "enter", "j", "j", "2", "r", "3", "u", "ctrl+r"],
    ["slash", *"nato", "enter", "n", "4", "escape", "J", "J", "1", "right_square_bracket",
     "equals_sign"],
    ["greater_than_sign", "j", "c", "a", "j", "x", "a", "tab", "down", "enter", "t"],
    ["tab", "down", "down", "enter", "j", "1", "m", "j", "l", "escape", "j", "2", "u"],
]


@pytest.mark.parametrize("keys", SEQUENCES, ids=["note-retag-undo", "search-resize",
                                                 "panel", "list-compare"])
async def test_a_burst_does_what_the_same_keys_pressed_slowly_do(
    seeds: Path, tmp_path: Path, keys: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same keys, one at a time (Pilot waits after each) and in one burst: same store."""
    results = []
    for how in ("slowly", "burst"):
        store_dir = tmp_path / how
        # Each from the same start: no reading place left by the other run (tui.state).
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / how / "state"))
        app = make_app(seeds, store_dir)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("tab")
            if how == "slowly":
                for key in keys:
                    await pilot.press(key)
                    await settled(pilot)
            else:
                await burst(pilot, *keys)
            shown = app.status_line.message
        results.append((everything(store_dir, seeds), shown))
    assert results[0] == results[1]
    assert results[0][0], "the sequence should leave something in the store"


async def test_the_name_asked_first_then_the_keys_after_it(seeds: Path, store_dir: Path) -> None:
    """newsmark serve --ask-annotator: the name, enter and the keys after it, in one burst."""
    app = NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator="server-user"),
                      config=Config(), annotator="server-user", ask_annotator=True)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await burst(pilot, *"frank", "enter", "enter", "1")
        (annotation,) = Store(store_dir, annotator="x").annotations(A000)
        assert (annotation.annotator, annotation.tag) == ("frank", "claim")
        assert app.status_line.message.startswith("Tagged claim")


# ------------------------------------------------------------ esc and a key in one read


def _decoded(sequence: str) -> list[tuple[str, str | None]]:
    """What the app takes from ``sequence`` read in one go from the terminal: Textual's own
    decoder, then the app's reading of alt+key."""
    from textual._xterm_parser import XTermParser

    from tui.app import _unalt

    parser = XTermParser()
    found = list(parser.feed(sequence))
    try:
        found += list(parser.feed(""))  # the end of input: a lone esc is the escape key
    except Exception:  # (the parser ends with an error at end of input)
        pass
    return [(e.key, e.character) for event in found for e in _unalt(event)
            if isinstance(e, events.Key)]


@pytest.mark.parametrize(("sequence", "keys"), [
    ("\x1bT", [("escape", "\x1b"), ("T", "T")]),  # not alt+shift+t
    ("\x1bj", [("escape", "\x1b"), ("j", "j")]),
    ("\n", [("enter", "\r")]),  # enter typed before the app took the terminal over
    ("£", [("pound_sign", "£")]),  # typed as itself: one key
    ("¢", [("cent_sign", "¢")]),
    ("\x1b[A", [("up", None)]),  # a real escape sequence stays one key
])
def test_esc_and_a_key_read_together_are_the_two_keys_typed(sequence, keys) -> None:
    assert _decoded(sequence) == keys
