"""Choose a tag with one key (for retagging): the tag set's number or letter keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..bindings import bindings
from ..layout import display_text
from ..styles import Looks


class TagPickerScreen(ModalScreen[str | None]):
    """Dismisses with the chosen tag's name, or None on esc.

    The tag keys are the same tag slots as the reader's (``tag_1`` …), so a tag's keys are the
    same here and there, whatever the config says.
    """

    BINDINGS = bindings("picker")

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

    def __init__(self, looks: Looks, question: str, current: str | None = None) -> None:
        super().__init__()
        self.looks = looks
        self.question = question
        self.current = current

    def compose(self) -> ComposeResult:
        lines = Text(display_text(self.question) + "\n", style="bold")
        for tag in self.looks.tags:
            keys = " / ".join(k for k in (tag.number, tag.key) if k)
            lines.append(f"\n {keys:<6}", style="bold")
            lines.append(*self.looks.chip(tag.name, f"{tag.marker} {display_text(tag.name)}"))
            if tag.name == self.current:
                lines.append("  (now)", style="dim")
        lines.append("\n\n esc    cancel", style="dim")
        with Vertical():
            yield Static(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick":
            return bool(parameters) and int(str(parameters[0])) <= len(self.looks.tags)
        return True

    def action_pick(self, slot: int) -> None:
        """Choose the tag of ``slot`` (1-9)."""
        if 1 <= slot <= len(self.looks.tags):
            self.dismiss(self.looks.tags[slot - 1].name)

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(None)
