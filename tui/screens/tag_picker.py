"""Choose a tag with one key (for retagging): the tag set's number or letter keys."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..layout import display_text
from ..model import TagDef


class TagPickerScreen(ModalScreen[str | None]):
    """Dismisses with the chosen tag's name, or None on esc."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    DEFAULT_CSS = """
    TagPickerScreen {
        align: center middle;
    }
    TagPickerScreen > Vertical {
        /* Not auto: an auto-width box around an auto-width Static came out 0x0 (empty). */
        width: 60;
        max-width: 100%;
        height: auto;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    """

    def __init__(self, tags: Sequence[TagDef], question: str, current: str | None = None) -> None:
        super().__init__()
        self.tags = tuple(tags)
        self.question = question
        self.current = current

    def compose(self) -> ComposeResult:
        lines = Text(display_text(self.question) + "\n", style="bold")
        for tag in self.tags:
            lines.append(f"\n {tag.number} / {tag.key}  ", style="bold")
            lines.append(f" {tag.marker} {tag.name} ", style=f"black on {tag.colour}")
            if tag.name == self.current:
                lines.append("  (now)", style="dim")
        lines.append("\n\n esc  cancel", style="dim")
        with Vertical():
            yield Static(lines)

    def on_key(self, event: events.Key) -> None:
        for tag in self.tags:
            if event.character and event.character in (tag.number, tag.key):
                event.stop()
                self.dismiss(tag.name)
                return

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
