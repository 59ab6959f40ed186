"""A one-line prompt over the screen: the search term, a note. Enter accepts, esc cancels."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..layout import display_text


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line of text; dismisses with the text, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

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
    PromptScreen Input {
        border: none;
        height: 1;
        padding: 0;
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        """Close without an answer."""
        self.dismiss(None)
