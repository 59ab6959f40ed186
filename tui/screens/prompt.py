"""A one-line prompt over the screen: the search term, a note. Enter accepts, esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..bindings import bindings
from ..layout import display_text


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the text, or None when cancelled.

    Enter and esc are priority bindings of the screen, run in the step that reads the key, so a
    key typed right after enter reaches the screen underneath, never this prompt's box.
    """

    BINDINGS = bindings("prompt")

    DEFAULT_CSS = """
    PromptScreen {
        align: center bottom;
        background: $background 40%;
    }
    PromptScreen > Vertical {
        height: auto;
        width: 100%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
        margin-bottom: 2;
    }
    PromptScreen #prompt-question {
        height: auto;
        max-height: 3;
    }
    PromptScreen #prompt-input {
        border: none;
        height: 1;
        min-height: 1;
        padding: 0;
        background: $boost;
    }
    PromptScreen #prompt-input:focus {
        border: none;
        background-tint: $foreground 5%;
    }
    """

    def __init__(self, question: str, value: str = "", *, placeholder: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(display_text(self.question), style="bold"), id="prompt-question")
            yield Input(self.value, placeholder=self.placeholder, id="prompt-input")

    def on_mount(self) -> None:
        # A steady cursor: a blinking one repaints twice a second, bytes a slow link pays for.
        self.input.cursor_blink = False

    @property
    def input(self) -> Input:
        """The box the text is typed in."""
        return self.query_one("#prompt-input", Input)

    def action_accept(self) -> None:
        """Close with what is typed."""
        self.dismiss(self.input.value)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
