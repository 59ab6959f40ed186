"""The one table of key bindings (no Textual): every binding of every screen and widget is built
from it by :func:`tui.bindings.bindings`, and the footer, the help screen, the command palette,
the README's key table and the ``[keys]`` remapping in ``newsmark.toml`` all read it.

Each entry has an ``id``. That id is what ``[keys]`` in the config names (``next_sentence =
"l"``), and it becomes the Textual ``Binding`` id, so Textual's keymap rebinds it.

Where an action runs says what it may do. An action without a namespace belongs to the widget
or screen of its scope and only changes what that widget shows (the reader's cursor, the list's
highlight). An action that changes annotations, opens a prompt or a screen, or moves the focus
is the app's (``app.…``): it runs in the same step that handles the key, so keys typed ahead
reach what the key opened (see :mod:`tui.typeahead`).

Tags are bound through nine slots, ``tag_1`` … ``tag_9``: the config's tag set gives each
slot its keys (its number and its letter) and a slot without a tag is disabled.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from .model import TagDef

#: The scopes, with what the help screen calls them. ``main`` is the main screen (the list or
#: panel, and the reader): its keys work whichever of its panes has the focus.
SCOPES: dict[str, str] = {
    "main": "anywhere",
    "reader": "reader",
    "list": "article list",
    "filter": "list filter",
    "panel": "panel",
    "compare": "compare screen",
    "timeline": "timeline",
    "stats": "statistics",
    "help": "help",
    "prompt": "prompts",
    "picker": "tag picker",
    "confirm": "confirmations",
    "annotator": "who is annotating",
    "agree": "agreement screen",
    "curate": "curation screen",
}

#: A scope's keys are active together with its parent's: a key may be bound once in the two.
PARENT_SCOPE: dict[str, str] = {"reader": "main", "list": "main", "panel": "main"}

#: How many tag slots there are (the number keys 1-9).
TAG_SLOTS = 9


@dataclass(frozen=True)
class Key:
    """One binding: ``keys`` (comma-separated Textual key names) run ``action`` in ``scope``.

    ``id`` names it in ``[keys]`` and in Textual's keymap. ``description`` is the footer's short
    label and ``help`` the longer text of the help screen and palette. ``show`` puts it in the
    footer; ``key_display`` is how the footer spells its key.
    """

    id: str
    keys: str
    action: str
    description: str
    group: str
    scope: str
    show: bool = False
    key_display: str | None = None
    help: str = ""
    priority: bool = True
    """Every binding of ours runs in the step that reads its key (Textual's priority
    bindings), not after the key has bubbled up from the focused widget: keys that follow it
    then meet what it did (see :mod:`tui.typeahead`)."""
    routes: bool = False
    """It may change where the next key goes: opens or closes a screen or prompt, or moves the
    focus (:mod:`tui.typeahead` waits for such a key before routing the next)."""

    @property
    def long_description(self) -> str:
        return self.help or self.description

    @property
    def key_list(self) -> list[str]:
        """The key names, one per key."""
        return [name.strip() for name in self.keys.split(",") if name.strip()]


def _k(id: str, keys: str, action: str, description: str, group: str, scope: str,
       **more: object) -> Key:
    return Key(id, keys, action, description, group, scope, **more)  # type: ignore[arg-type]


KEYS: tuple[Key, ...] = (
    # ------------------------------------------------------------------ tagging (the reader)
    *(
        _k(f"tag_{slot}", str(slot), f"app.tag({slot})", "Tag", "Tag", "reader",
           show=slot == 1)
        for slot in range(1, TAG_SLOTS + 1)
    ),
    _k("untag", "x", "app.untag", "Untag", "Annotate", "reader", show=True,
       help="Remove your tag under the cursor; where you have none, reject the suggestion "
            "there (it is never suggested to you again)"),
    _k("retag", "r", "app.retag", "Retag", "Annotate", "reader",
       help="Change the tag under the cursor to another (a one-key picker)", routes=True),
    _k("note", "e", "app.note", "Note", "Annotate", "reader",
       help="Edit the note of the tag under the cursor (with no tag: a note for the next tag)",
       routes=True),
    _k("resize", "equals_sign", "app.resize", "Fit", "Annotate", "reader", key_display="=",
       help="Fit the picked tag to the selection"),
    _k("link_here", "L", "app.link_here", "Link here", "Annotate", "reader", show=True,
       help="Link the selection to the passage the compare screen's enter came from (shown "
            "while a link waits; esc cancels it, u undoes it)"),
    _k("undo", "u", "app.undo", "Undo", "Annotate", "main", show=True,
       help="Undo the last change of the session (add, remove, retag, note, resize)"),
    _k("redo", "ctrl+r", "app.redo", "Redo", "Annotate", "main", help="Redo what was undone"),
    # ------------------------------------------------------------------ suggestions
    _k("accept", "y", "app.accept_suggestion", "Accept", "Suggest", "reader",
       help="Accept the suggestion under the cursor: it becomes your tag (then the next "
            "suggestion)"),
    _k("accept_all", "Y", "app.accept_all", "Accept all", "Suggest", "reader", routes=True,
       help="Accept every suggestion of this one's source in the article (asks first, "
            "with the count)"),
    _k("next_suggestion", "full_stop", "app.next_suggestion", "Next suggestion", "Suggest",
       "reader", key_display=".", help="Go to the next suggestion"),
    _k("previous_suggestion", "comma", "app.previous_suggestion", "Previous suggestion",
       "Suggest", "reader", key_display=",", help="Go to the previous suggestion"),
    _k("suggestions", "S", "app.toggle_suggestions", "Suggestions", "Suggest", "main",
       help="Show or hide the suggestions (lower-case letters in the gutter, underlined "
            "passages)"),
    # ------------------------------------------------------------------ moving in the reader
    _k("next_sentence", "j,down", "next_sentence", "Next", "Move", "reader", show=True,
       key_display="j", help="Next sentence"),
    _k("previous_sentence", "k,up", "previous_sentence", "Previous", "Move", "reader",
       key_display="k", help="Previous sentence"),
    _k("page_down", "pagedown,space", "page_down", "Page down", "Move", "reader",
       help="The sentence a screen further down"),
    _k("page_up", "pageup", "page_up", "Page up", "Move", "reader",
       help="The sentence a screen further up"),
    _k("first_sentence", "home", "first_sentence", "First", "Move", "reader",
       help="The first sentence"),
    _k("last_sentence", "end,G", "last_sentence", "Last", "Move", "reader",
       help="The last sentence (and the lines after it)"),
    _k("next_tag", "greater_than_sign", "next_annotation", "Next tag", "Move", "reader",
       key_display=">", help="Pick the next tagged passage"),
    _k("previous_tag", "less_than_sign", "previous_annotation", "Previous tag", "Move",
       "reader", key_display="<", help="Pick the previous tagged passage"),
    _k("next_untagged", "p", "next_untagged", "Next untagged paragraph", "Move", "reader",
       help="The next paragraph that holds no tag"),
    _k("previous_untagged", "P", "previous_untagged", "Previous untagged paragraph",
       "Move", "reader",
       help="The previous paragraph that holds no tag"),
    # ------------------------------------------------------------------ selecting
    _k("grow", "shift+down,J", "grow_selection", "Grow", "Select", "reader", key_display="J",
       help="Grow the selection by a sentence"),
    _k("shrink", "shift+up,K", "shrink_selection", "Shrink", "Select", "reader",
       key_display="K", help="Shrink the selection by a sentence"),
    _k("start_earlier", "left_square_bracket", "move_start(-1)", "Start earlier", "Select",
       "reader", key_display="[", help="Move the selection's start one word earlier"),
    _k("start_later", "right_square_bracket", "move_start(1)", "Start later", "Select",
       "reader", key_display="]", help="Move the selection's start one word later"),
    _k("end_earlier", "left_curly_bracket", "move_end(-1)", "End earlier", "Select", "reader",
       key_display="{", help="Move the selection's end one word earlier"),
    _k("end_later", "right_curly_bracket", "move_end(1)", "End later", "Select", "reader",
       key_display="}", help="Move the selection's end one word later"),
    _k("reset_selection", "escape", "app.reset_selection", "Reset", "Select", "reader",
       key_display="esc", help="Clear the search, else back to the current sentence; cancel "
                               "a waiting link"),
    # ------------------------------------------------------------------ searching
    _k("search", "slash", "app.search", "Search", "Search", "reader", show=True,
       key_display="/", help="Search the article (any case); a paste searches for it", routes=True),
    _k("next_match", "n", "app.next_match_or_note", "Next match", "Search", "reader",
       help="The next search match (with no search shown: edit the note, as e)", routes=True),
    _k("previous_match", "N", "previous_match", "Previous match", "Search", "reader",
       help="The previous search match"),
    # ------------------------------------------------------------------ the article list
    _k("open", "enter", "app.open_article", "Open", "Articles", "list", show=True,
       help="Read the highlighted article", routes=True),
    _k("list_down", "j,down", "cursor_down", "Down", "Articles", "list", key_display="j",
       help="The next article (it shows in the reader)"),
    _k("list_up", "k,up", "cursor_up", "Up", "Articles", "list", key_display="k",
       help="The previous article"),
    _k("list_page_down", "pagedown,space", "page_down", "Page down", "Articles", "list",
       help="A screen of articles down"),
    _k("list_page_up", "pageup", "page_up", "Page up", "Articles", "list",
       help="A screen of articles up"),
    _k("list_first", "home", "first", "First", "Articles", "list", help="The first article"),
    _k("list_last", "end,G", "last", "Last", "Articles", "list", help="The last article"),
    _k("filter", "slash,f", "app.filter", "Filter", "Articles", "list", show=True,
       key_display="/", help="Filter the articles by title, outlet or id; a paste filters",
       routes=True),
    _k("clear_filter", "escape", "app.clear_filter", "Clear filter", "Articles", "list",
       key_display="esc", help="Clear the filter", routes=True),
    _k("sort", "o", "cycle_sort", "Sort", "Articles", "list", show=True,
       help="Sort by file, title, outlet, date or tags"),
    _k("not_done", "F", "toggle_not_done", "Not done", "Articles", "list",
       help="Show only the articles I have not marked done (F again: all of them)"),
    _k("filter_done", "enter,down", "app.filter_done", "Done", "Articles", "filter",
       help="Keep the filter and go back to the list", routes=True),
    _k("filter_close", "escape", "app.clear_filter", "Clear", "Articles", "filter",
       key_display="esc", help="Clear the filter and go back to the list", routes=True),
    # ------------------------------------------------------------------ the annotation panel
    _k("panel", "a", "app.toggle_panel", "Panel", "Panel", "main", show=True,
       help="The annotation panel in the list's place, or back", routes=True),
    _k("panel_jump", "enter", "app.panel_jump", "Jump", "Panel", "panel", show=True,
       help="Show the highlighted annotation in the reader", routes=True),
    _k("panel_down", "j,down", "cursor_down", "Down", "Panel", "panel", key_display="j",
       help="The next annotation"),
    _k("panel_up", "k,up", "cursor_up", "Up", "Panel", "panel", key_display="k",
       help="The previous annotation"),
    _k("panel_page_down", "pagedown,space", "page_down", "Page down", "Panel", "panel",
       help="A screen of annotations down"),
    _k("panel_page_up", "pageup", "page_up", "Page up", "Panel", "panel",
       help="A screen of annotations up"),
    _k("panel_first", "home", "first", "First", "Panel", "panel",
       help="The first annotation"),
    _k("panel_last", "end,G", "last", "Last", "Panel", "panel", help="The last annotation"),
    _k("panel_delete", "x", "app.panel_delete", "Delete", "Panel", "panel", show=True,
       help="Delete the highlighted annotation"),
    _k("panel_note", "e", "app.panel_note", "Note", "Panel", "panel", show=True,
       help="Edit the highlighted annotation's note", routes=True),
    _k("panel_retag", "r", "app.panel_retag", "Retag", "Panel", "panel", show=True,
       help="Change the highlighted annotation's tag", routes=True),
    # ------------------------------------------------------------------ other screens
    _k("compare", "m", "app.compare", "Compare", "Screens", "main",
       help="Compare outlets: which articles carry each tagged passage, and how", routes=True),
    _k("timeline", "T", "app.timeline", "Timeline", "Screens", "main",
       help="The timeline: what each outlet says was scheduled when, and where they disagree",
       routes=True),
    _k("stats", "g", "app.stats", "Stats", "Screens", "main",
       help="Statistics: tags per article, outlet, day and annotator, as bar charts", routes=True),
    _k("switch_pane", "tab", "app.switch_pane", "Pane", "Screens", "main",
       help="Switch between the left pane (articles or annotations) and the reader", routes=True),
    _k("help", "question_mark", "app.help", "Keys", "Screens", "main", show=True,
       key_display="?", help="Every key (this screen)", routes=True),
    _k("quit", "q", "app.quit", "Quit", "Screens", "main", show=True,
       help="Quit (everything is already saved)", routes=True),
    # ------------------------------------------------------------------ a team
    _k("view", "v", "app.cycle_view", "View", "Team", "main",
       help="Whose tags are shown: mine, everyone's, each annotator's, the curated set "
            "(others' tags are read-only)"),
    _k("done", "w", "app.toggle_done", "Done", "Team", "main",
       help="Mark this article done for me (w again: not done)"),
    _k("agree", "A", "app.agree", "Agreement", "Team", "main",
       help="Agreement: αu and F1 per tag, per article, the disagreements", routes=True),
    _k("curate", "C", "app.curate", "Curate", "Team", "main",
       help="Curate this article: take one annotator's version of each disagreement, both "
            "or neither into the curated set", routes=True),
    # the agreement screen
    _k("agree_down", "j,down", "cursor_down", "Down", "Agreement", "agree", key_display="j",
       show=True,
       help="The next disagreement"),
    _k("agree_up", "k,up", "cursor_up", "Up", "Agreement", "agree", key_display="k",
       help="The previous disagreement"),
    _k("agree_page_down", "pagedown,space", "page_down", "Page down", "Agreement", "agree",
       help="A screen of disagreements down"),
    _k("agree_page_up", "pageup", "page_up", "Page up", "Agreement", "agree",
       help="A screen of disagreements up"),
    _k("agree_figures_down", "J,shift+down", "scroll_figures(1)", "Figures", "Agreement",
       "agree", show=True, key_display="J/K", help="Scroll the figures above the list down"),
    _k("agree_figures_up", "K,shift+up", "scroll_figures(-1)", "Figures up", "Agreement",
       "agree", key_display="K", help="Scroll the figures above the list up"),
    _k("agree_open", "enter", "open", "Open", "Agreement", "agree", show=True,
       help="Open the article at the disagreement (in everyone's view)", routes=True),
    _k("agree_close", "escape,A,q", "close", "Back", "Agreement", "agree", show=True,
       key_display="esc", help="Back to the reader", routes=True),
    # the curation screen
    _k("curate_next", "j,down", "step(1)", "Next", "Curation", "curate", show=True,
       key_display="j", help="The next disagreement"),
    _k("curate_previous", "k,up", "step(-1)", "Previous", "Curation", "curate",
       key_display="k", help="The previous disagreement"),
    _k("curate_right", "l,right", "choose(1)", "Next version", "Curation", "curate",
       key_display="l", help="Choose the next annotator's version"),
    _k("curate_left", "h,left", "choose(-1)", "Previous version", "Curation", "curate",
       key_display="h", help="Choose the previous annotator's version"),
    _k("curate_take", "t", "take", "Take", "Curation", "curate", show=True,
       help="Take the chosen version into the curated set"),
    _k("curate_both", "b", "both", "Both", "Curation", "curate", show=True,
       help="Take every version's passages (the union) into the curated set"),
    _k("curate_drop", "x", "drop", "Neither", "Curation", "curate", show=True,
       help="Take none: the curated set has nothing there"),
    _k("curate_undo", "u", "undo", "Undo", "Curation", "curate", show=True,
       help="Undo the last change of the session"),
    _k("curate_redo", "ctrl+r", "redo", "Redo", "Curation", "curate",
       help="Redo what was undone"),
    _k("curate_open", "enter", "open", "Open", "Curation", "curate",
       help="Show the passage in the reader (in everyone's view)", routes=True),
    _k("curate_close", "escape,C,q", "close", "Back", "Curation", "curate", show=True,
       key_display="esc", help="Back to the reader", routes=True),
    # the compare screen
    _k("compare_open", "enter", "open", "Open", "Compare", "compare", show=True,
       help="Open the selected article at the passage", routes=True),
    _k("compare_tag", "t", "propagate", "Tag it here", "Compare", "compare", show=True,
       help="Tag the passage in the selected article with the row's tag (u undoes)"),
    _k("compare_confirm", "y", "confirm", "Confirm", "Compare", "compare", show=True,
       help="Confirm that the selected article carries the passage (the candidate shown); "
            "y again clears it (u undoes)"),
    _k("compare_reject", "x", "reject", "Reject", "Compare", "compare", show=True,
       help="Say the selected article does not carry the passage; x again clears it "
            "(u undoes)"),
    _k("compare_undo", "u", "undo", "Undo", "Compare", "compare", show=True,
       help="Undo the last change of the session"),
    _k("compare_redo", "ctrl+r", "redo", "Redo", "Compare", "compare",
       help="Redo what was undone"),
    _k("compare_down", "j", "cursor_down", "Down", "Compare", "compare",
       help="The next passage (also down)"),
    _k("compare_up", "k", "cursor_up", "Up", "Compare", "compare",
       help="The previous passage (also up)"),
    _k("compare_right", "l", "cursor_right", "Right", "Compare", "compare",
       help="The next article (also right)"),
    _k("compare_left", "h", "cursor_left", "Left", "Compare", "compare",
       help="The previous article (also left)"),
    _k("compare_close", "escape,m,q", "close", "Back", "Compare", "compare",
       show=True, key_display="esc", help="Back to the reader", routes=True),
    # the timeline
    _k("timeline_down", "j,down", "cursor_down", "Down", "Timeline", "timeline",
       key_display="j", help="The next passage"),
    _k("timeline_up", "k,up", "cursor_up", "Up", "Timeline", "timeline", key_display="k",
       help="The previous passage"),
    _k("timeline_open", "enter", "open", "Open", "Timeline", "timeline", show=True,
       help="Open the article at the selected passage", routes=True),
    _k("timeline_close", "escape,T,q", "close", "Back", "Timeline", "timeline", show=True,
       key_display="esc", help="Back to the reader", routes=True),
    # the statistics screen and the help screen
    _k("stats_down", "j,down", "scroll_down", "Down", "Statistics", "stats",
       help="Scroll down"),
    _k("stats_up", "k,up", "scroll_up", "Up", "Statistics", "stats", help="Scroll up"),
    _k("stats_page_down", "pagedown,space", "page_down", "Page down", "Statistics", "stats",
       help="Scroll a screen down"),
    _k("stats_page_up", "pageup", "page_up", "Page up", "Statistics", "stats",
       help="Scroll a screen up"),
    _k("stats_close", "escape,g,q", "close", "Back", "Statistics", "stats",
       show=True, key_display="esc", help="Back to the reader", routes=True),
    _k("help_down", "j,down", "scroll_down", "Down", "Help", "help", help="Scroll down"),
    _k("help_up", "k,up", "scroll_up", "Up", "Help", "help", help="Scroll up"),
    _k("help_page_down", "pagedown,space", "page_down", "Page down", "Help", "help",
       help="Scroll a screen down"),
    _k("help_page_up", "pageup", "page_up", "Page up", "Help", "help",
       help="Scroll a screen up"),
    _k("help_close", "escape,q,question_mark", "close", "Close", "Help", "help",
       show=True, key_display="esc", help="Close the help", routes=True),
    # prompts, the tag picker and confirmations
    _k("prompt_accept", "enter", "accept", "Accept", "Prompts", "prompt", show=True,
       help="Accept what is typed", routes=True),
    _k("prompt_cancel", "escape", "cancel", "Cancel", "Prompts", "prompt", show=True,
       key_display="esc", help="Close without a change", routes=True),
    *(
        _k(f"tag_{slot}", str(slot), f"pick({slot})", "Pick", "Prompts", "picker",
           routes=True)
        for slot in range(1, TAG_SLOTS + 1)
    ),
    _k("picker_cancel", "escape", "cancel", "Cancel", "Prompts", "picker", show=True,
       key_display="esc", help="Close the picker without a change", routes=True),
    _k("annotator_accept", "enter", "accept", "Accept", "Prompts", "annotator", show=True,
       help="Annotate under the name typed", routes=True),
    _k("confirm_yes", "y,enter", "answer(True)", "Yes", "Prompts", "confirm", show=True,
       key_display="y", help="Yes, do it", routes=True),
    _k("confirm_no", "n,escape", "answer(False)", "No", "Prompts", "confirm", show=True,
       key_display="n", help="No, leave things as they are", routes=True),
)

#: Keys Textual itself binds on every screen (shown in the help, not remappable here).
BUILTIN_KEYS: tuple[Key, ...] = (
    _k("command_palette", "ctrl+p", "command_palette", "Palette", "Screens", "main",
       help="The command palette: every action by name, with its key; themes too"),
)

#: How keys are spelled for people.
KEY_NAMES = {
    "question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp", "slash": "/",
    "left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
    "right_curly_bracket": "}", "greater_than_sign": ">", "less_than_sign": "<",
    "equals_sign": "=", "escape": "esc", "space": "space", "full_stop": ".", "comma": ",",
}

#: Key names Textual gives to some characters (the rest follow their Unicode names).
_REPLACED_NAMES = {
    "solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
    "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore",
}


def key_name(key: str) -> str:
    """The Textual name of a key as a person may write it: ``">"`` → ``greater_than_sign``;
    names (``ctrl+l``, ``down``) are returned as they are."""
    key = key.strip()
    if len(key) == 1 and not key.isalnum():
        try:
            name = unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            return key
        return _REPLACED_NAMES.get(name, name)
    return key


def keys_of(scope: str) -> tuple[Key, ...]:
    """The entries of one scope, in table order."""
    return tuple(key for key in KEYS if key.scope == scope)


def by_id(key_id: str) -> list[Key]:
    """Every entry with this id (the tag slots have one in the reader and one in the picker)."""
    return [key for key in KEYS if key.id == key_id]


#: The ids ``[keys]`` may name: every entry but the tag slots (a tag's keys are its number and
#: its ``key`` in ``[[tags]]``).
REMAPPABLE: frozenset[str] = frozenset(
    key.id for key in KEYS if not key.id.startswith("tag_")
)


def tag_keymap(tags: Sequence[TagDef]) -> dict[str, str]:
    """The keys of each tag slot: its number and its letter, for the tag set given."""
    keymap = {}
    for slot, tag in enumerate(tags[:TAG_SLOTS], 1):
        keymap[f"tag_{slot}"] = ",".join(k for k in (tag.number, tag.key) if k)
    return keymap


def effective(keymap: Mapping[str, str] | None = None) -> tuple[Key, ...]:
    """The table with ``keymap`` (id → keys) applied, as Textual's keymap applies it."""
    if not keymap:
        return KEYS
    return tuple(replace(key, keys=keymap[key.id]) if key.id in keymap else key for key in KEYS)


def display_keys(key: Key) -> str:
    """How the help screen spells a key: ``j, down``."""
    return ", ".join(KEY_NAMES.get(name, name) for name in key.key_list)


def conflicts(keys: Iterable[Key]) -> list[tuple[Key, Key, str]]:
    """Pairs of entries that one key would trigger at once: ``(earlier, later, key)``.

    Two entries conflict when they share a key in one scope, or in a scope and its parent (the
    main screen's keys work in each of its panes). Entries with the same id (a tag slot in the
    reader and in the picker) never conflict."""
    entries = list(keys)
    found = []
    for index, later in enumerate(entries):
        for earlier in entries[:index]:
            if earlier.id == later.id:
                continue
            related = (earlier.scope == later.scope
                       or PARENT_SCOPE.get(earlier.scope) == later.scope
                       or PARENT_SCOPE.get(later.scope) == earlier.scope)
            if not related:
                continue
            shared = [name for name in later.key_list if name in earlier.key_list]
            if shared:
                found.append((earlier, later, shared[0]))
    return found


def reserved_letters() -> frozenset[str]:
    """Single letters bound in the reader or on the main screen: a tag's letter may not be one
    of these (today's, and letters kept for planned features)."""
    bound = {
        name for key in KEYS if key.scope in ("reader", "main") and not key.id.startswith("tag_")
        for name in key.key_list if len(name) == 1 and name.isalpha()
    }
    return frozenset(bound | set("w v h l y z b i".split()))


#: How the README spells keys that have a symbol.
README_NAMES = {**KEY_NAMES, "down": "↓", "up": "↑", "left": "←", "right": "→",
                "shift+down": "shift+↓", "shift+up": "shift+↑"}

#: The README's sections: (title, scope, groups), in order.
README_SECTIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Tag", "reader", ("Tag", "Annotate")),
    ("Tag", "main", ("Annotate",)),
    ("Move", "reader", ("Move",)),
    ("Select", "reader", ("Select",)),
    ("Search", "reader", ("Search",)),
    ("Suggestions", "reader", ("Suggest",)),
    ("Suggestions", "main", ("Suggest",)),
    ("Articles", "list", ("Articles",)),
    ("List filter", "filter", ("Articles",)),
    ("Panel", "main", ("Panel",)),
    ("Panel", "panel", ("Panel",)),
    ("Screens", "main", ("Screens",)),
    ("Team", "main", ("Team",)),
    ("Compare", "compare", ("Compare",)),
    ("Timeline", "timeline", ("Timeline",)),
    ("Statistics", "stats", ("Statistics",)),
    ("Agreement", "agree", ("Agreement",)),
    ("Curation", "curate", ("Curation",)),
    ("Help", "help", ("Help",)),
    ("Prompts", "prompt", ("Prompts",)),
    ("Retag picker", "picker", ("Prompts",)),
    ("Questions", "confirm", ("Prompts",)),
)


def readme_keys(key: Key) -> str:
    """A key as the README spells it: each name in backticks."""
    return " ".join(f"`{README_NAMES.get(name, name)}`" for name in key.key_list)


def markdown_table(tags: Sequence[TagDef], keys: Sequence[Key] = KEYS) -> str:
    """The README's key table, made from the table: one row per section, each entry as its
    keys and its short description."""
    rows: dict[str, list[str]] = {}
    tag_names = {f"tag_{slot}": tag for slot, tag in enumerate(tags, 1)}
    for title, scope, groups in README_SECTIONS:
        cells = rows.setdefault(title, [])
        for key in keys:
            if key.scope != scope or key.group not in groups:
                continue
            if key.id.startswith("tag_") and scope == "picker":
                if key.id == "tag_1":
                    cells.append("a tag's keys pick it")
                continue
            if key.id.startswith("tag_"):
                tag = tag_names.get(key.id)
                if tag is None:
                    continue
                letters = [k for k in (tag.number, tag.key) if k]
                cells.append(" ".join(f"`{k}`" for k in letters) + f" {tag.name}")
                continue
            cells.append(f"{readme_keys(key)} {key.description.lower()}")
    lines = ["| where | keys |", "| --- | --- |"]
    for title, cells in rows.items():
        if cells:
            lines.append(f"| {title} | {' · '.join(cells)} |")
    return "\n".join(lines) + "\n"


def remapping_table(keys: Sequence[Key] = KEYS) -> str:
    """The table of docs/config.md: every action ``[keys]`` can remap, its keys, where."""
    lines = ["| action | default keys | where | what it does |", "| --- | --- | --- | --- |"]
    for key in keys:
        if key.id in REMAPPABLE:
            lines.append(f"| `{key.id}` | {readme_keys(key)} | {SCOPES[key.scope]} | "
                         f"{key.long_description} |")
    return "\n".join(lines) + "\n"
