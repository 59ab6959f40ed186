"""The one table of key bindings: the footer, the help screen, the command palette and the
README all read it (no Textual import; the app turns it into Bindings).

Tag keys are not listed here: they come from the tag set in the config (:mod:`tui.config`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import TagDef


@dataclass(frozen=True)
class Key:
    """A key (or comma-separated keys) bound to an action in one scope.

    ``scope`` is where it applies: ``"app"`` everywhere, ``"reader"`` when the reader has the
    focus, ``"list"`` when the article list has it. ``show`` puts it in the footer.
    """

    keys: str
    action: str
    description: str
    group: str
    scope: str = "app"
    show: bool = True
    key_display: str | None = None
    priority: bool = False


KEYS: tuple[Key, ...] = (
    # Moving about
    Key("tab", "switch_pane", "Switch pane", "Move", show=False),
    Key("enter", "open_article", "Open", "Move", scope="list"),
    Key("j,down", "next_sentence", "Next sentence", "Move", scope="reader", key_display="j"),
    Key("k,up", "previous_sentence", "Previous sentence", "Move", scope="reader",
        key_display="k", show=False),
    Key("pagedown,space", "page_down", "Page down", "Move", scope="reader", show=False),
    Key("pageup", "page_up", "Page up", "Move", scope="reader", show=False),
    Key("home,g", "first_sentence", "First sentence", "Move", scope="reader", show=False),
    Key("end,G", "last_sentence", "Last sentence", "Move", scope="reader", show=False),
    # Annotating
    Key("x", "remove_annotation", "Remove tag", "Annotate", scope="reader"),
    Key("u", "undo", "Undo", "Annotate"),
    Key("ctrl+r", "redo", "Redo", "Annotate", show=False),
    # The app
    Key("question_mark", "help", "Keys", "App", key_display="?"),
    Key("q", "quit", "Quit", "App"),
)


def tag_keys(tags: tuple[TagDef, ...]) -> tuple[Key, ...]:
    """Bindings for a tag set: its number key and its letter key each apply the tag."""
    return tuple(
        Key(
            f"{tag.number},{tag.key}" if tag.number else tag.key,
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
    """How the help screen spells a key: ``j / down``."""
    names = {"question_mark": "?", "ctrl+r": "ctrl+r", "pagedown": "PgDn", "pageup": "PgUp"}
    return " / ".join(names.get(k.strip(), k.strip()) for k in key.keys.split(","))
