"""The help screen (``?``): every key, from the one key table as the config left it, grouped;
the tag keys first."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..bindings import bindings
from ..keys import BUILTIN_KEYS, SCOPES, Key, display_keys
from ..layout import display_text
from ..styles import Looks
from .scrolling import ScrollingScreen

#: The order of the help's sections (a group not listed comes after them).
GROUPS = ("Tag", "Annotate", "Move", "Select", "Search", "Suggest", "Articles", "Panel", "Team",
          "Screens", "Compare", "Statistics", "Agreement", "Curation", "Help", "Prompts")


def keys_table(keys: Sequence[Key], looks: Looks) -> Table:
    """A Rich table of ``keys`` by group, tag keys first: one row per action."""
    table = Table(box=None, show_header=False, pad_edge=False, expand=False)
    table.add_column("key", style="bold", no_wrap=True)
    table.add_column("what it does")
    table.add_column("where", style="dim", no_wrap=True)
    groups: dict[str, list[Key]] = {group: [] for group in GROUPS}
    for key in (*keys, *BUILTIN_KEYS):
        if key.scope == "picker" or (key.id.startswith("tag_") and key.scope != "reader"):
            continue  # the picker's tag keys are the reader's
        groups.setdefault(key.group, []).append(key)
    tags = looks.tags
    for group, entries in groups.items():
        if not entries:
            continue
        note = Text("a tag's key again on the same passage untags", style="dim") \
            if group == "Tag" else ""
        table.add_row(Text(group, style="bold underline"), note, "")
        for key in entries:
            if key.id.startswith("tag_"):
                slot = int(key.id.removeprefix("tag_"))
                if slot > len(tags):
                    continue
                tag = tags[slot - 1]
                description = Text.assemble(
                    looks.chip(tag.name), " ", (f"tag {display_text(tag.name)}", "bold"))
                if tag.description:
                    # From a config file: never let it reach the terminal raw.
                    description.append(f" — {display_text(tag.description)}", "dim")
            else:
                description = Text(key.long_description)
            table.add_row(display_keys(key), description, SCOPES.get(key.scope, key.scope))
        table.add_row("", "", "")
    return table


def help_notes() -> Text:
    """What the table cannot say: the palette, themes, the mouse."""
    text = Text()
    text.append("ctrl+p", style="bold")
    text.append(" finds any action by name, with its key, and switches the theme "
                "(type “theme”; or theme = \"light\" in newsmark.toml). Keys can be remapped "
                "in newsmark.toml under [keys] (docs/config.md). The mouse: drag selects "
                "whole words; a click picks a tagged passage.")
    return text


class HelpScreen(ScrollingScreen[None]):
    """Every key, grouped by what it does. Any of esc, q or ? closes it; j, k scroll."""

    BINDINGS = bindings("help")
    SCROLL_ID = "help-scroll"

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 100;
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

    def __init__(self, keys: Sequence[Key], looks: Looks) -> None:
        super().__init__()
        self.keys = tuple(keys)
        self.looks = looks

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-scroll") as scroll:
            scroll.border_title = "Keys"
            scroll.border_subtitle = "j k scroll · esc closes"
            yield Static(Group(help_notes(), Text(), keys_table(self.keys, self.looks)))
