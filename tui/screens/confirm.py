"""A yes-or-no question over the screen: y or enter says yes, n or esc says no."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..bindings import bindings
from ..layout import display_text


class ConfirmScreen(ModalScreen[bool]):
    """Ask ``question``; dismisses with True (yes) or False (no)."""

    BINDINGS = bindings("confirm")

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
    }
    ConfirmScreen > Vertical {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $warning;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        text = Text(display_text(self.question), style="bold")
        text.append("\n\n y  yes     n  no", style="dim")
        with Vertical():
            yield Static(text)

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(bool(yes))
