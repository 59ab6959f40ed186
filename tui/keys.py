"""The one table of key bindings: the footer, the help screen, the command palette and the
README all read it (no Textual import; the app turns it into Bindings).

Tag keys are not listed here: they come from the tag set in the config (:mod:`tui.config`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import TagDef


@dataclass(frozen=True)
class Key:
    """A key (or comma-separated keys) bound to an action in one scope.

    ``scope`` is where it applies: ``"app"`` everywhere, ``"reader"`` when the reader has the
    focus, ``"list"`` when the article list has it, ``"panel"`` in the annotation panel.
    ``show`` puts it in the footer.
    """

    keys: str
    action: str
    description: str
    group: str
    scope: str = "app"
    show: bool = True
    key_display: str | None = None
    priority: bool = False
    help: str = ""
    """A longer description for the help screen and the palette (default: ``description``)."""

    @property
    def long_description(self) -> str:
        return self.help or self.description


KEYS: tuple[Key, ...] = (
    # Moving about
    Key("tab", "switch_pane", "Switch pane", "Move", show=False),
    Key("enter", "open_article", "Open", "Move", scope="list",
        help="Open the highlighted article in the reader"),
    Key("j", "cursor_down", "Down", "Move", scope="list", show=False,
        help="Next article (also down)"),
    Key("k", "cursor_up", "Up", "Move", scope="list", show=False,
        help="Previous article (also up)"),
    Key("j,down", "next_sentence", "Next", "Move", scope="reader", key_display="j",
        help="Next sentence"),
    Key("k,up", "previous_sentence", "Previous sentence", "Move", scope="reader",
        key_display="k", show=False),
    Key("pagedown,space", "page_down", "Page down", "Move", scope="reader", show=False),
    Key("pageup", "page_up", "Page up", "Move", scope="reader", show=False),
    Key("home", "first_sentence", "First sentence", "Move", scope="reader", show=False),
    Key("end,G", "last_sentence", "Last sentence", "Move", scope="reader", show=False),
    Key("greater_than_sign", "next_annotation", "Next annotation", "Move", scope="reader",
        show=False, key_display=">"),
    Key("less_than_sign", "previous_annotation", "Previous annotation", "Move",
        scope="reader", show=False, key_display="<"),
    Key("p", "next_untagged", "Next untagged paragraph", "Move", scope="reader", show=False),
    Key("P", "previous_untagged", "Previous untagged paragraph", "Move", scope="reader",
        show=False),
    # Selecting a passage
    Key("shift+down,J", "grow_selection", "Grow selection by a sentence", "Select",
        scope="reader", show=False, key_display="J"),
    Key("shift+up,K", "shrink_selection", "Shrink selection by a sentence", "Select",
        scope="reader", show=False, key_display="K"),
    Key("left_square_bracket", "move_start(-1)", "Start one word earlier", "Select",
        scope="reader", show=False, key_display="["),
    Key("right_square_bracket", "move_start(1)", "Start one word later", "Select",
        scope="reader", show=False, key_display="]"),
    Key("left_curly_bracket", "move_end(-1)", "End one word earlier", "Select",
        scope="reader", show=False, key_display="{"),
    Key("right_curly_bracket", "move_end(1)", "End one word later", "Select",
        scope="reader", show=False, key_display="}"),
    Key("escape", "reset_selection", "Back to the current sentence; clear the search",
        "Select", scope="reader", show=False, key_display="esc"),
    # Searching
    Key("slash", "search", "Search", "Search", scope="reader", key_display="/",
        help="Search the article"),
    Key("n", "note_or_next_match", "Next match (while searching), else edit the note",
        "Search", scope="reader", show=False),
    Key("N", "previous_match", "Previous match", "Search", scope="reader", show=False),
    Key("slash,f", "filter", "Filter", "Search", scope="list", key_display="/",
        help="Filter the articles by title, outlet or id"),
    Key("o", "cycle_sort", "Sort", "Search", scope="list",
        help="Sort the articles by file, title, outlet, date or tags"),
    # Annotating
    Key("x", "remove_annotation", "Untag", "Annotate", scope="reader",
        help="Remove the tag under the cursor"),
    Key("e", "edit_note", "Edit the note of the tag here (or of the next tag)", "Annotate",
        scope="reader", show=False),
    Key("r", "retag", "Change the tag here to another", "Annotate", scope="reader",
        show=False),
    Key("equals_sign", "resize", "Fit the active annotation to the selection", "Annotate",
        scope="reader", show=False, key_display="="),
    Key("u", "undo", "Undo", "Annotate"),
    Key("ctrl+r", "redo", "Redo", "Annotate", show=False),
    # The annotation panel
    Key("a", "toggle_panel", "Panel", "Panel",
        help="Show the annotation panel in place of the article list, or back"),
    Key("j", "cursor_down", "Down", "Panel", scope="panel", show=False,
        help="Next annotation (also down)"),
    Key("k", "cursor_up", "Up", "Panel", scope="panel", show=False,
        help="Previous annotation (also up)"),
    Key("enter", "jump", "Jump", "Panel", scope="panel",
        help="Show the annotation in the reader"),
    Key("x", "delete", "Delete", "Panel", scope="panel", help="Delete the annotation"),
    Key("e", "edit_note", "Note", "Panel", scope="panel", help="Edit the annotation's note"),
    Key("r", "retag", "Retag", "Panel", scope="panel", help="Change the annotation's tag"),
    # Comparing articles
    Key("m", "compare", "Compare", "Compare", show=False,
        help="Compare outlets: which articles carry each tagged passage, and how"),
    Key("g", "stats", "Stats", "Compare", show=False,
        help="Statistics: tags per article, outlet, day and annotator, as bar charts"),
    # The app
    Key("question_mark", "help", "Keys", "App", key_display="?", help="Show every key"),
    Key("q", "quit", "Quit", "App", help="Quit (everything is already saved)"),
)


def tag_keys(tags: tuple[TagDef, ...]) -> tuple[Key, ...]:
    """Bindings for a tag set: its number key and its letter key each apply the tag."""
    return tuple(
        Key(
            ",".join(k for k in (tag.number, tag.key) if k),
            f"tag('{tag.name}')",
            f"Tag {tag.name}",
            "Tag",
            scope="reader",
            show=False,
            key_display=tag.number or tag.key,
        )
        for tag in tags
    )


def display_keys(key: Key) -> str:
    """How the help screen spells a key: ``j, down``."""
    return ", ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in key.keys.split(","))


#: How keys are spelled for people.
KEY_NAMES = {
    "question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp", "slash": "/",
    "left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
    "right_curly_bracket": "}", "greater_than_sign": ">", "less_than_sign": "<",
    "equals_sign": "=", "escape": "esc", "space": "space",
}


def bindings_for(scope: str) -> list[tuple[str, str, str, bool, str | None]]:
    """``(keys, action, description, show, key_display)`` for every key of ``scope``."""
    return [
        (k.keys, k.action, k.description, k.show, k.key_display)
        for k in KEYS
        if k.scope == scope
    ]
