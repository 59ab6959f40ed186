"""Who is annotating? The first screen of a served page opened without ``?annotator=NAME``.

``newsmark serve --ask-annotator`` starts each browser session's app with ``--ask-annotator``;
the app pushes this screen first and takes the name it dismisses with as its annotator. The
name is checked as ``--annotator`` is (:func:`tui.model.annotator_name`), so one person is one
name wherever it is typed.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..bindings import bindings
from ..layout import display_text
from ..model import MAX_ANNOTATOR_CHARS, annotator_name


class AnnotatorScreen(ModalScreen[str]):
    """Ask for the annotator's name; dismisses with it, checked and normalised.

    It cannot be cancelled (every tag needs an annotator); ctrl+q still quits the app.
    ``known`` names already in the store are shown, so that "alice" does not come back as
    "Alice".
    """

    BINDINGS = bindings("annotator")

    DEFAULT_CSS = """
    AnnotatorScreen {
        align: center middle;
        background: $background 60%;
    }
    AnnotatorScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    AnnotatorScreen #annotator-question {
        text-style: bold;
    }
    AnnotatorScreen #annotator-known, AnnotatorScreen #annotator-hint {
        color: $text-muted;
    }
    AnnotatorScreen #annotator-problem {
        color: $text-error;
        height: auto;
    }
    AnnotatorScreen Input {
        margin: 1 0 0 0;
    }
    """

    def __init__(self, suggestion: str = "", *, known: Sequence[str] = ()) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.known = sorted(set(known), key=str.casefold)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Who is annotating?", id="annotator-question")
            yield Static("Your tags are kept under this name; the team's views and agreement "
                         "figures use it.", id="annotator-hint")
            if self.known:
                names = ", ".join(self.known[:12]) + (" …" if len(self.known) > 12 else "")
                yield Static(Text("Names in the store: " + display_text(names)),
                             id="annotator-known")
            yield Input(self.suggestion, placeholder="your name, e.g. alice",
                        max_length=MAX_ANNOTATOR_CHARS + 8, id="annotator-name")
            yield Static("", id="annotator-problem")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_one("#annotator-problem", Static).update("")

    def action_accept(self) -> None:
        """Take the name typed, if it is one (else say why and stay)."""
        try:
            name = annotator_name(self.query_one(Input).value)
        except ValueError as error:
            text = str(error)
            self.query_one("#annotator-problem", Static).update(
                Text(text[0].upper() + text[1:] + "."))
            return
        self.dismiss(name)
