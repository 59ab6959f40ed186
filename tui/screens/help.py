"""The help screen (``?``): every key, generated from the one binding table, grouped."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import KEYS, Key, display_keys, tag_keys
from ..layout import display_text
from ..model import TagDef

SCOPES = {"app": "anywhere", "reader": "reader", "list": "article list", "panel": "panel"}


def keys_table(tags: Sequence[TagDef]) -> Table:
    """A Rich table of every key, by group (also used by ``newsmark keys``)."""
    table = Table(box=None, show_header=False, pad_edge=False, expand=False)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("what it does")
    table.add_column("where", style="dim", no_wrap=True)
    groups: dict[str, list[Key]] = {}
    for key in (*KEYS, *tag_keys(tuple(tags))):
        groups.setdefault(key.group, []).append(key)
    by_action = {f"tag('{tag.name}')": tag for tag in tags}
    for group, keys in groups.items():
        table.add_row(Text(group, style="bold underline"), "", "")
        for key in keys:
            description = Text(key.long_description)
            tag = by_action.get(key.action)
            if tag is not None:
                description = Text.assemble(
                    (f" {tag.marker} ", f"black on {tag.colour}"), " ", key.description,
                    # Descriptions come from a config file: never let one reach the terminal raw.
                    (f" — {display_text(tag.description)}", "dim"),
                )
            table.add_row(display_keys(key), description, SCOPES.get(key.scope, key.scope))
        table.add_row("", "", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by what it does. Any of esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", key_display="esc"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 96;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text;
        padding: 0 1;
        background: $surface;
    }
    HelpScreen Static {
        width: 100%;
    }
    """

    def __init__(self, tags: Sequence[TagDef]) -> None:
        super().__init__()
        self.tags = tuple(tags)

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "esc closes"
            yield Static(keys_table(self.tags))
