"""The tag set and the theme, from an optional TOML config file (no Textual).

The four default tags are claim, threat, denial and schedule. A config file can replace them and
choose a theme. :func:`load_config` finds it: ``--config FILE`` if given, else ``newsmark.toml``
in the current folder, else ``newsmark.toml`` in the user config folder (``platformdirs``:
``~/.config/newsmark/`` on Linux). No file means the defaults. The shape (``docs/config.md`` has a
full example)::

    theme = "textual-dark"   # optional: "dark", "light" or any Textual theme name

    [[tags]]                 # one table per tag, 1 to 9 of them, in the order of keys 1-9
    name = "claim"           # required: lowercase letters, digits, - or _; unique
    key = "c"                # optional: one free lowercase letter (see RESERVED_KEYS);
                             #   default: the first letter of the name that neither newsmark
                             #   nor an earlier tag has (a later tag may not take it); "" for none
    colour = "#5fafff"       # optional: a colour Rich understands ("red", "#rrggbb",
                             #   "color(33)"); default: the next of a palette that stays
                             #   distinct in 256 and in 16 colours
    description = "..."      # optional: one line for the help screen and exports
    marker = "C"             # optional: one visible character for the gutter (read without
                             #   colour); default: the name's first letter, upper-cased, unique
    role = "schedule"        # optional: this tag's passages are the timeline's (T); default:
                             #   the tag named schedule

    [tags.cues]              # optional: suggestion rules (tui/rules.py, docs/config.md)
    [[tags.rules]]

    [suggest]                # optional: show = true, sources = [...], min_score = 0.5

Without ``[[tags]]`` the default four stay (a file may set only the theme). Every problem is a
:class:`ConfigError` whose text is one line, ``<file>:<line>: what is wrong; what to do``.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.cells import cell_len
from rich.color import Color, ColorParseError, ColorSystem, ColorType

from .errors import UserFacingError
from .model import TagDef

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib


DEFAULT_TAGS: tuple[TagDef, ...] = (
    TagDef("claim", "c", "1", "#5fafff", "an assertion of fact or position", "C"),
    TagDef("threat", "t", "2", "#ff5f5f", "a warning of consequences or force", "T"),
    TagDef("denial", "d", "3", "#d7af00", "a rejection of a claim or accusation", "D"),
    TagDef("schedule", "s", "4", "#5fd75f", "a date, meeting or timetable", "S"),
)

#: Colours given, in order, to tags that name none. The first four are the default tags'. Each
#: maps to a different one of the 16 standard colours (and, being xterm cube colours, to itself
#: in 256), and all are light enough for the black text drawn on them.
PALETTE: tuple[str, ...] = (
    "#5fafff",  # 16 colours: bright cyan
    "#ff5f5f",  # bright red
    "#d7af00",  # yellow
    "#5fd75f",  # bright green
    "#d75fd7",  # bright magenta
    "#8787ff",  # bright blue
    "#ffd75f",  # bright yellow
    "#afafaf",  # white (light grey)
    "#00afaf",  # cyan
)

#: Single keys newsmark binds itself (now or in planned features): a tag may not use them.
#: tui/keys.py is the table of bindings; a test checks that every single key in it is here.
RESERVED_KEYS: frozenset[str] = frozenset(
    "j k g G J K x u q a n N e r m p P f o w v h l y z b i".split()
)

#: Themes that can be named by a short alias.
THEME_ALIASES: Mapping[str, str] = {"dark": "textual-dark", "light": "textual-light"}

#: The file name looked for in the current folder and in the user config folder.
CONFIG_NAME = "newsmark.toml"

_DEFAULT_NAMES = frozenset(tag.name for tag in DEFAULT_TAGS)

MAX_TAGS = 9
MAX_NAME_LENGTH = 32

_TOP_LEVEL = ("theme", "tags", "suggest", "keys")
_TAG_FIELDS = ("name", "key", "colour", "description", "marker", "role", "cues", "patterns",
               "rules")
#: The roles a tag may have (``role = "..."``): what newsmark does with it besides showing it.
ROLES = ("schedule",)
#: The fields of a tag that hold suggestion rules (tables and arrays, not strings).
_RULE_KEYS = ("cues", "patterns", "rules")
_SUGGEST_FIELDS = ("show", "sources", "min_score")
#: The suggesters (tui/suggest.py), and those on by default ("own" measured no gain).
SUGGESTERS = ("rules", "dates", "outlets", "own")
DEFAULT_SUGGESTERS = ("rules", "dates", "outlets")


@dataclass(frozen=True)
class SuggestSettings:
    """The ``[suggest]`` table: whether the reader shows suggestions at start, which
    suggesters run, and the lowest score shown."""

    show: bool = True
    sources: tuple[str, ...] = DEFAULT_SUGGESTERS
    min_score: float = 0.5
_NAME = re.compile(r"[a-z0-9_-]+")
_LETTER = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Config:
    """Everything configurable: the tag set and the theme.

    ``theme`` is a Textual theme name, or None for the app's default (the app checks the name
    exists). ``path`` is the file the config was read from, or None for the built-in defaults.
    """

    tags: tuple[TagDef, ...] = DEFAULT_TAGS
    theme: str | None = None
    path: Path | None = None
    #: Suggestion rules given in the file, by tag name (see :meth:`rules_for`).
    tag_rules: Mapping[str, Any] = field(default_factory=dict)
    suggest: SuggestSettings = SuggestSettings()
    keys: Mapping[str, str] = field(default_factory=dict)
    """Binding id → keys (Textual key names, comma-separated), from ``[keys]``: the app
    rebinds those actions (see :mod:`tui.keys`)."""
    warnings: tuple[str, ...] = ()
    """Problems that do not stop the app (a ``[keys]`` entry left out), one line each,
    ``<file>:<line>: what is wrong; what to do``."""

    def rules_for(self, name: str) -> Any:
        """The suggestion rules (:class:`tui.rules.TagRules`) of tag ``name``, or None.

        A tag's own rules from the file; else, for the four default tags, the shipped ones
        (``tui/rules.toml``); a user's own tag without rules has none.
        """
        if name in self.tag_rules:
            return self.tag_rules[name]
        if self.tag(name) is None or name not in _DEFAULT_NAMES:
            return None
        from .rules import default_rules  # compiled on first use, not at start-up

        return default_rules().get(name)

    @property
    def schedule_tag(self) -> str | None:
        """The tag whose passages the timeline reads: the one with ``role = "schedule"``, else
        the one named ``schedule``, else None."""
        for tag in self.tags:
            if tag.role == "schedule":
                return tag.name
        return "schedule" if self.tag("schedule") is not None else None

    def tag(self, name: str) -> TagDef | None:
        """The tag called ``name``, or None."""
        for tag in self.tags:
            if tag.name == name:
                return tag
        return None

    @property
    def tag_names(self) -> tuple[str, ...]:
        """The tag names, in number-key order."""
        return tuple(tag.name for tag in self.tags)


class ConfigError(UserFacingError):
    """A problem with the config file, for the user.

    ``str(error)`` is one line: ``<file>:<line>: what is wrong; what to do`` (without ``:<line>``
    when no line applies, e.g. a missing file).
    """

    def __init__(self, source: str, line: int | None, problem: str) -> None:
        self.source = source
        self.line = line
        self.problem = problem
        where = f"{source}:{line}" if line is not None else source
        super().__init__(_one_line(f"{where}: {problem}"))


# --------------------------------------------------------------------------- finding the file


def config_path(explicit: Path | None = None, cwd: Path | None = None) -> Path | None:
    """The config file to read, or None for the defaults.

    ``explicit`` (from ``--config``) wins and must exist; else ``newsmark.toml`` in ``cwd`` (the
    current folder by default); else ``newsmark.toml`` in the user config folder.
    """
    if explicit is not None:
        explicit = Path(explicit)
        if not explicit.exists():
            raise ConfigError(str(explicit), None, "no such config file; check the --config path")
        if explicit.is_dir():
            raise ConfigError(
                str(explicit), None, f"is a folder; give the path of a file such as {CONFIG_NAME}"
            )
        return explicit
    local = (Path.cwd() if cwd is None else Path(cwd)) / CONFIG_NAME
    if local.exists():
        return local
    user = user_config_file()
    if user.exists():
        return user
    return None


def user_config_file() -> Path:
    """Where the per-user config lives (``$XDG_CONFIG_HOME/newsmark/newsmark.toml`` on Linux)."""
    import platformdirs  # only needed when looking for a config

    return platformdirs.user_config_path("newsmark", appauthor=False) / CONFIG_NAME


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    """Find (see :func:`config_path`), read and check the config; the defaults if there is none."""
    path = config_path(explicit, cwd)
    if path is None:
        return Config()
    source = str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ConfigError(
            source, None, f"cannot read it ({reason}); check its permissions"
        ) from None
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM some Windows editors write
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ConfigError(source, line, "not UTF-8 text; save the file as UTF-8") from None
    return dataclasses.replace(parse_config(text, source), path=path)


# --------------------------------------------------------------------------- parsing


def parse_config(text: str, source: str = CONFIG_NAME) -> Config:
    """Parse and check a config's TOML ``text``; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, text, source) from None
    return _Checker(text, source).config(data)


#: tomllib's terse messages, explained.
_SYNTAX_HINTS = {
    "Illegal character '\\n'": ": a string is not closed on its line",
    "Invalid value": ': a value is missing, or text lacks its quotes (key = "c")',
}


def _syntax_error(error: Exception, text: str, source: str) -> ConfigError:
    message = str(error)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if match:
        what = message[: match.start()]
        hint = _SYNTAX_HINTS.get(what, "")
        return ConfigError(
            source, int(match[1]), f"{what} (column {match[2]}){hint}; fix the TOML syntax there"
        )
    match = re.search(r"\s*\(at end of document\)\s*$", message)
    if match:
        what = message[: match.start()]
        line = max(1, len(text.splitlines()))
        return ConfigError(
            source,
            line,
            f"{what} at the end of the file; fix the TOML syntax (an unclosed "
            "string, bracket or table is the usual cause)",
        )
    return ConfigError(source, None, f"{message}; fix the TOML syntax")


class _Checker:
    """Checks parsed TOML against the config's shape, naming the line of each problem."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.where = _Locator(text)
        self.reserved = reserved_keys()

    def fail(self, line: int, problem: str) -> ConfigError:
        return ConfigError(self.source, line, problem)

    def config(self, data: dict[str, Any]) -> Config:
        for name in data:
            if name not in _TOP_LEVEL:
                raise self.fail(
                    self.where.top(name),
                    f"unknown setting {_show(name)}{_did_you_mean(name, _TOP_LEVEL)}; "
                    "the settings are theme, [[tags]], [suggest] and [keys]",
                )
        theme = self.theme(data["theme"]) if "theme" in data else None
        tags = self.tags(data["tags"]) if "tags" in data else DEFAULT_TAGS
        rules = self.rules(data["tags"]) if "tags" in data else {}
        suggest = self.suggest(data["suggest"]) if "suggest" in data else SuggestSettings()
        keys, warnings = self.key_table(data["keys"]) if "keys" in data else ({}, ())
        return Config(tags=tags, theme=theme, tag_rules=rules, suggest=suggest, keys=keys,
                      warnings=warnings)

    def rules(self, tables: list[dict[str, Any]]) -> dict[str, Any]:
        """The suggestion rules of each tag table that has some, checked (tui/rules.py)."""
        if not any(key in table for table in tables for key in _RULE_KEYS):
            return {}
        from .rules import RuleError, parse_tag_rules

        found = {}
        for index, table in enumerate(tables):
            try:
                parsed = parse_tag_rules(table["name"], table)
            except RuleError as error:
                label = f"tag {index + 1} ({table['name']})"
                raise self.fail(self.where.rule(index, error.path),
                                f"{label}: {error.problem}") from None
            if parsed is not None:
                found[table["name"]] = parsed
        return found

    def suggest(self, value: Any) -> SuggestSettings:
        line = self.where.top("suggest")
        if not isinstance(value, dict):
            raise self.fail(line, "suggest is not a table; write it as [suggest] with show, "
                            "sources and min_score under it")
        for name in value:
            if name not in _SUGGEST_FIELDS:
                raise self.fail(self.where.within("suggest", name),
                                f"unknown key {_show(name)} in [suggest]"
                                f"{_did_you_mean(name, _SUGGEST_FIELDS)}; it takes "
                                + ", ".join(_SUGGEST_FIELDS))
        settings = SuggestSettings()
        show = value.get("show", settings.show)
        if not isinstance(show, bool):
            raise self.fail(self.where.within("suggest", "show"),
                            "show in [suggest] must be true or false (no quotes)")
        sources = value.get("sources", list(settings.sources))
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise self.fail(self.where.within("suggest", "sources"),
                            'sources in [suggest] must be a list of names, e.g. '
                            'sources = ["rules", "dates"]')
        for source in sources:
            if source not in SUGGESTERS:
                raise self.fail(self.where.within("suggest", "sources"),
                                f"unknown suggester {_show(source)} in [suggest] sources; "
                                "the suggesters are " + ", ".join(SUGGESTERS))
        min_score = value.get("min_score", settings.min_score)
        if (isinstance(min_score, bool) or not isinstance(min_score, (int, float))
                or not 0 <= min_score <= 1):
            raise self.fail(self.where.within("suggest", "min_score"),
                            "min_score in [suggest] must be a number from 0 to 1, "
                            "e.g. min_score = 0.5")
        return SuggestSettings(show, tuple(dict.fromkeys(sources)), float(min_score))

    def key_table(self, value: Any) -> tuple[dict[str, str], tuple[str, ...]]:
        """The ``[keys]`` table: remappings to keep, and one warning per entry left out (an
        unknown action, a key another action in the same place already has). A bad entry
        never stops the app: the action keeps its default key."""
        from .keys import KEY_NAMES, REMAPPABLE, by_id, conflicts, effective, key_name

        line = self.where.top("keys")
        if not isinstance(value, dict):
            raise self.fail(line, f"keys is {_type_name(value)}; write it as a [keys] table "
                            'of action = "key" lines, e.g. next_sentence = "l"')
        warnings: list[str] = []
        kept: dict[str, str] = {}

        def warn(name: str, problem: str) -> None:
            where = self.where.table_key("keys", name) or line
            warnings.append(str(ConfigError(self.source, where, problem)))

        for name, keys in value.items():
            if name not in REMAPPABLE:
                if name.startswith("tag_") or name in {tag.name for tag in DEFAULT_TAGS}:
                    warn(name, f"{_show(name)}: a tag's keys are its number and the key in its "
                               "[[tags]] table; set key there")
                else:
                    warn(name, f"unknown action {_show(name)} in [keys]"
                               f"{_did_you_mean(name, REMAPPABLE)}; docs/config.md lists them")
                continue
            if isinstance(keys, str):
                keys = [keys]
            if not isinstance(keys, list) or not keys or not all(
                    isinstance(k, str) and k.strip() for k in keys):
                warn(name, f"{name} is {_type_name(keys)}; give a key in quotes "
                           '(e.g. "l", "ctrl+l") or a list of them')
                continue
            names = [key_name(part) for k in keys for part in k.split(",") if part.strip()]
            kept[name] = ",".join(names)
        # A remapping that makes two actions share a key in one place is left out (the later
        # line), as is a letter a tag already uses in the reader.
        tag_letters = {tag.key: tag.name for tag in self.tags_now if tag.key}
        for earlier, later, key in conflicts(effective(kept)):
            dropped = later.id if later.id in kept else earlier.id
            other = earlier if dropped == later.id else later
            if dropped in kept:
                shown = KEY_NAMES.get(key, key)
                warn(dropped, f"{_show(shown)} for {dropped} is already the key of {other.id} "
                              f"({other.long_description.lower()}); choose another key")
                del kept[dropped]
        for name in list(kept):
            scopes = {entry.scope for entry in by_id(name)}
            for key in kept[name].split(","):
                if scopes & {"reader", "main"} and key in tag_letters:
                    warn(name, f"{_show(key)} for {name} is the key of tag "
                               f"{tag_letters[key]}; choose another key")
                    del kept[name]
                    break
        return kept, tuple(warnings)

    def theme(self, value: Any) -> str:
        line = self.where.top("theme")
        if not isinstance(value, str):
            raise self.fail(
                line,
                f"theme is {_type_name(value)}; write a theme name in quotes, "
                'e.g. theme = "textual-dark"',
            )
        name = value.strip()
        if not name:
            raise self.fail(line, 'theme is empty; name a theme, e.g. "dark" or "light"')
        return THEME_ALIASES.get(name, name)

    #: The tags being checked (the defaults until [[tags]] is read).
    tags_now: tuple[TagDef, ...] = DEFAULT_TAGS

    def tags(self, value: Any) -> tuple[TagDef, ...]:
        line = self.where.top("tags")
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(
                line,
                f"tags is {_type_name(value)}, not a list of tag tables; "
                "write each tag as a [[tags]] table (two brackets)",
            )
        if not value:
            raise self.fail(
                line,
                "no tags; define at least one [[tags]] table, or remove tags to keep "
                "the default four",
            )
        if len(value) > MAX_TAGS:
            raise self.fail(
                self.where.tag(MAX_TAGS),
                f"{len(value)} tags, but at most {MAX_TAGS} fit the number keys 1-9; "
                f"remove {len(value) - MAX_TAGS}",
            )
        # The keys the tags will have, known before each tag is checked, so that a key error
        # suggests only letters no other tag has.
        self.planned = _planned_keys(
            [(table.get("name"), table.get("key")) for table in value], self.reserved
        )
        fields = [self.fields(index, table) for index, table in enumerate(value)]
        self.check_unique(fields, "name", "tag name", "give each tag its own name")
        self.check_unique(fields, "key", "key", 'pick another key, or key = "" for none')
        self.check_unique(fields, "marker", "marker", "pick another character")
        self.check_unique(fields, "role", "role", "give the role to one tag only")
        keys = self.keys(fields)
        colours = _assign_colours(fields)
        markers = _assign_markers(fields)
        self.tags_now = tuple(
            TagDef(
                name=f["name"],
                key=keys[i],
                number=str(i + 1),
                colour=colours[i],
                description=f.get("description", ""),
                marker=markers[i],
                role=f.get("role", ""),
            )
            for i, f in enumerate(fields)
        )
        return self.tags_now

    def fields(self, index: int, table: dict[str, Any]) -> dict[str, str]:
        """One tag table's fields, checked one by one (uniqueness is checked across tags)."""
        label = f"tag {index + 1}"
        if isinstance(table.get("name"), str) and _NAME.fullmatch(table["name"]):
            label = f"tag {index + 1} ({table['name']})"
        for name in table:
            if name not in _TAG_FIELDS:
                hint = _did_you_mean(name, _TAG_FIELDS)
                if name in _TOP_LEVEL:
                    hint = f" (top-level settings such as {name} go before the first [[tags]])"
                raise self.fail(
                    self.where.tag(index, name),
                    f"unknown key {_show(name)} in {label}{hint}; a tag takes "
                    + ", ".join(_TAG_FIELDS),
                )
        for name, value in table.items():
            if name not in _RULE_KEYS and not isinstance(value, str):
                raise self.fail(
                    self.where.tag(index, name),
                    f"{name} in {label} is {_type_name(value)}; write it as a string in quotes",
                )
        if "name" not in table:
            raise self.fail(
                self.where.tag(index),
                f'{label} has no name; add name = "..." (lowercase letters, digits, - or _)',
            )
        fields: dict[str, str] = {}
        name = table["name"]
        if not _NAME.fullmatch(name) or len(name) > MAX_NAME_LENGTH:
            raise self.fail(
                self.where.tag(index, "name"),
                f"tag name {_show(name)} is not allowed; use 1-{MAX_NAME_LENGTH} lowercase "
                "letters, digits, - or _",
            )
        fields["name"] = name
        if "key" in table:
            fields["key"] = self.key(index, label, table["key"])
        if "colour" in table:
            fields["colour"] = self.colour(index, label, table["colour"])
        if "description" in table:
            fields["description"] = table["description"]
        if "marker" in table:
            fields["marker"] = self.marker(index, label, table["marker"])
        if "role" in table:
            if table["role"] not in ROLES:
                raise self.fail(
                    self.where.tag(index, "role"),
                    f"role {_show(table['role'])} in {label} is not one newsmark knows; "
                    f"use {' or '.join(map(repr, ROLES))}, or leave role out",
                )
            fields["role"] = table["role"]
        return fields

    def key(self, index: int, label: str, key: str) -> str:
        line = self.where.tag(index, "key")
        if key == "":
            return key
        if not _LETTER.fullmatch(key):
            raise self.fail(
                line, f"key {_show(key)} in {label} is not one lowercase letter; "
                + self.free_advice(index),
            )
        if key in self.reserved:
            raise self.fail(
                line, f"key {_show(key)} in {label} is one of newsmark's own keys; "
                + self.free_advice(index),
            )
        return key

    def free_advice(self, index: int) -> str:
        """What the ``index``-th tag can use instead: the letters neither newsmark nor another
        tag has, or (when there are none) no key."""
        others = {key for other, key in enumerate(self.planned) if other != index}
        free = _free_keys(set(self.reserved) | others)
        number = f"the number key {index + 1} stays"
        if free == "none":
            return f'every free letter is another tag\'s: write key = "" for none ({number})'
        return f'use one of {free}, or key = "" for none ({number})'

    def keys(self, fields: list[dict[str, str]]) -> list[str]:
        """Every tag's key: its own, else the first letter of its name that neither newsmark nor
        an earlier tag has, else none. A key given to a later tag that an earlier tag takes
        this way is an error, not a silent steal of the earlier tag's key."""
        keys = _planned_keys([(tag["name"], tag.get("key")) for tag in fields], self.reserved)
        for later, tag in enumerate(fields):
            key = tag.get("key")
            for earlier in range(later):
                if key and "key" not in fields[earlier] and keys[earlier] == key:
                    others = {k for other, k in enumerate(keys) if other != later}
                    free = _free_keys(set(self.reserved) | others)
                    instead = (f"tag {later + 1} one of {free}" if free != "none"
                               else f'tag {later + 1} key = "" (no other letter is free)')
                    raise self.fail(
                        self.where.tag(later, "key"),
                        f"key {_show(key)} in tag {later + 1} ({tag['name']}) is already tag "
                        f"{earlier + 1} ({fields[earlier]['name']})'s, the first free letter of "
                        f"its name; give tag {earlier + 1} a key of its own (key = \"\" for "
                        f"none), or give {instead}",
                    )
        return keys

    def colour(self, index: int, label: str, colour: str) -> str:
        line = self.where.tag(index, "colour")
        try:
            parsed = Color.parse(colour)
        except ColorParseError:
            raise self.fail(
                line,
                f"colour {_show(colour)} in {label} is not a colour; use a name such as "
                '"red" or "bright_blue", "#rrggbb", or "color(0)" to "color(255)"',
            ) from None
        if parsed.type is ColorType.DEFAULT:
            raise self.fail(
                line,
                f"colour {_show(colour)} in {label} is the terminal's own colour, so the "
                "tag would not show; name a real colour",
            )
        if parsed.triplet is not None:
            return parsed.triplet.hex  # also normalises "rgb(1, 2, 3)", which has spaces
        return parsed.name  # a standard or 256-colour name, lower-cased: the terminal's own

    def marker(self, index: int, label: str, marker: str) -> str:
        if (
            len(marker) != 1
            or not marker.isprintable()
            or marker.isspace()
            or (cell_len(marker) != 1)
        ):
            raise self.fail(
                self.where.tag(index, "marker"),
                f"marker {_show(marker)} in {label} is not one visible single-width character; "
                'use a letter, digit or sign such as "C", "7" or "!"',
            )
        return marker

    def check_unique(
        self, fields: list[dict[str, str]], field: str, what: str, advice: str
    ) -> None:
        seen: dict[str, int] = {}
        for index, tag in enumerate(fields):
            value = tag.get(field)
            if not value:
                continue
            if value in seen:
                first = seen[value]
                this, other = f"tag {index + 1}", f"tag {first + 1}"
                if field != "name":
                    this, other = f"{this} ({tag['name']})", f"{other} ({fields[first]['name']})"
                raise self.fail(
                    self.where.tag(index, field),
                    f"{what} {_show(value)} in {this} is also in {other}; {advice}",
                )
            seen[value] = index


def reserved_keys() -> frozenset[str]:
    """The letters a tag may not take: :data:`RESERVED_KEYS` and every letter newsmark binds in
    the reader or on the main screen (:func:`tui.keys.reserved_letters`)."""
    from .keys import reserved_letters

    return RESERVED_KEYS | reserved_letters()


def _free_keys(reserved: Iterable[str]) -> str:
    free = sorted(set("abcdefghijklmnopqrstuvwxyz") - set(reserved))
    return ", ".join(free) if free else "none"


def _planned_keys(tags: list[tuple[Any, Any]], reserved: frozenset[str]) -> list[str]:
    """The key of each ``(name, key)`` tag, in order: its own key (a key that is not a free
    lowercase letter counts as none: it is an error of its own), else the first letter of its
    name that is neither reserved nor an earlier tag's key, else none (``""``)."""
    taken = set(reserved)
    keys = []
    for name, key in tags:
        if key is None:
            letters = name if isinstance(name, str) else ""
            key = next((ch for ch in letters if _LETTER.fullmatch(ch) and ch not in taken), "")
        elif not (isinstance(key, str) and _LETTER.fullmatch(key) and key not in reserved):
            key = ""
        if key:
            taken.add(key)
        keys.append(key)
    return keys


def _assign_colours(fields: list[dict[str, str]]) -> list[str]:
    """Given colours stay; the others take palette colours unlike any other tag's in 16 colours."""
    used = {_standard(tag["colour"]) for tag in fields if "colour" in tag}
    colours = []
    for index, tag in enumerate(fields):
        colour = tag.get("colour")
        if colour is None:
            free = [c for c in PALETTE if _standard(c) not in used]
            # More explicit colours than distinct hues is possible only with clashing explicit
            # colours; then any palette colour will do.
            colour = free[0] if free else PALETTE[index % len(PALETTE)]
            used.add(_standard(colour))
        colours.append(colour)
    return colours


def _standard(colour: str) -> int | None:
    """The colour's number among the 16 standard colours (what it looks like over old SSH)."""
    return Color.parse(colour).downgrade(ColorSystem.STANDARD).number


def _assign_markers(fields: list[dict[str, str]]) -> list[str]:
    """Given markers stay; the others take a letter of the name, upper-cased, unlike the rest."""
    taken = {tag["marker"] for tag in fields if "marker" in tag}
    markers = []
    for index, tag in enumerate(fields):
        marker = tag.get("marker")
        if marker is None:
            candidates = [ch.upper() for ch in tag["name"] if ch.isalnum()]
            candidates += list("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + [str(index + 1)]
            marker = next(ch for ch in candidates if ch not in taken)
            taken.add(marker)
        markers.append(marker)
    return markers


# --------------------------------------------------------------------------- naming lines


class _Locator:
    """Where things are in the TOML text: table headers and ``key =`` lines, by line number.

    tomllib gives values, not positions, so the text is scanned once more: lines that start a
    ``[table]``, ``[[array]]`` or ``key = value`` (outside strings, comments and brackets).
    Keys inside inline tables (``tags = [{name = "a"}]``) are not located; errors there name
    the line of ``tags =``.
    """

    def __init__(self, text: str) -> None:
        #: (line, dotted path, is an [[array]] header)
        self.headers: list[tuple[int, tuple[str, ...], bool]] = []
        #: (line, index into headers or -1 for the top level, dotted key path)
        self.keys: list[tuple[int, int, tuple[str, ...]]] = []
        self._scan(text)
        self.tag_headers = [
            index
            for index, (_, path, is_array) in enumerate(self.headers)
            if is_array and path == ("tags",)
        ]

    def top(self, name: str) -> int:
        """The line of top-level setting ``name`` (its ``name =`` or ``[name...]`` line)."""
        for line, header, path in self.keys:
            if header == -1 and path[0] == name:
                return line
        for line, path, _ in self.headers:
            if path[0] == name:
                return line
        return 1

    def table_key(self, table: str, name: str) -> int | None:
        """The line of ``name = …`` in the ``[table]`` table, if it can be found."""
        for line, owner, path in self.keys:
            if owner >= 0 and self.headers[owner][1] == (table,) and path[:1] == (name,):
                return line
            if owner == -1 and path[:2] == (table, name):
                return line
        return None

    def tag(self, index: int, field: str | None = None) -> int:
        """The line of ``field`` in the ``index``-th tag, else of its ``[[tags]]`` header."""
        if index >= len(self.tag_headers):
            return self.top("tags")
        header = self.tag_headers[index]
        if field is not None:
            for line, owner, path in self.keys:
                if owner == header and path[0] == field:
                    return line
            following = self.headers[header + 1 :]
            for line, path, is_array in following:
                if is_array and path == ("tags",):
                    break
                if path[:2] == ("tags", field):
                    return line
        return self.headers[header][0]

    def within(self, table: str, key: str) -> int:
        """The line of ``key`` in the top-level ``[table]``, else of ``[table]`` itself."""
        for index, (line, path, is_array) in enumerate(self.headers):
            if path == (table,) and not is_array:
                for key_line, owner, key_path in self.keys:
                    if owner == index and key_path[0] == key:
                        return key_line
                return line
        return self.top(table)

    def rule(self, index: int, path: tuple[Any, ...]) -> int:
        """The line of a suggestion-rule problem in the ``index``-th tag.

        ``path`` is ``("cues", class)``, ``("patterns", class)``, ``("rules", n[, key])`` or
        just the first of those (see :class:`tui.rules.RuleError`).
        """
        if index >= len(self.tag_headers):
            return self.top("tags")
        first = self.tag_headers[index]
        following = [n for n in self.tag_headers if n > first]
        last = following[0] if following else len(self.headers)
        kind = path[0]
        if kind == "rules" and len(path) >= 2:
            rules = [n for n in range(first + 1, last)
                     if self.headers[n][1] == ("tags", "rules") and self.headers[n][2]]
            if path[1] < len(rules):
                header = rules[path[1]]
                if len(path) >= 3:
                    for line, owner, key_path in self.keys:
                        if owner == header and key_path[0] == path[2]:
                            return line
                return self.headers[header][0]
            return self.tag(index, "rules")
        for n in range(first + 1, last):
            if self.headers[n][1] == ("tags", kind):
                if len(path) >= 2:
                    for line, owner, key_path in self.keys:
                        if owner == n and key_path[0] == path[1]:
                            return line
                return self.headers[n][0]
        return self.tag(index, kind)

    def _scan(self, text: str) -> None:
        open_string: str | None = None  # the delimiter of a multi-line string left open
        depth = 0  # inside [ ] or { } of a value
        for number, line in enumerate(text.split("\n"), 1):
            start = 0
            if open_string is not None:
                start = _multiline_end(line, 0, open_string)
                if start < 0:
                    continue
                open_string = None
            elif depth == 0:
                start = self._statement(number, line)
            open_string, depth = _scan_value(line, start, depth)

    def _statement(self, number: int, line: str) -> int:
        """Record a header or key that starts ``line``; return where its value starts."""
        first = len(line) - len(line.lstrip())
        if line.startswith("[[", first):
            path, end = _parse_key(line, first + 2)
            self.headers.append((number, path, True))
            close = line.find("]]", end)
            return len(line) if close < 0 else close + 2
        if line.startswith("[", first):
            path, end = _parse_key(line, first + 1)
            self.headers.append((number, path, False))
            close = line.find("]", end)
            return len(line) if close < 0 else close + 1
        path, end = _parse_key(line, first)
        equals = len(line) - len(line[end:].lstrip())
        if path and line.startswith("=", equals):
            self.keys.append((number, len(self.headers) - 1, path))
            return equals + 1
        return first


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def _parse_key(line: str, start: int) -> tuple[tuple[str, ...], int]:
    """A dotted TOML key at ``start`` (bare or quoted parts): its parts and where it ends."""
    parts: list[str] = []
    i = start
    while True:
        while i < len(line) and line[i] in " \t":
            i += 1
        if i < len(line) and line[i] == '"':
            end = _basic_end(line, i + 1)
            parts.append(line[i + 1 : end - 1])
            i = end
        elif i < len(line) and line[i] == "'":
            end = line.find("'", i + 1)
            end = len(line) if end < 0 else end + 1
            parts.append(line[i + 1 : end - 1])
            i = end
        else:
            match = _BARE_KEY.match(line, i)
            if not match:
                return tuple(parts), i
            parts.append(match[0])
            i = match.end()
        rest = i
        while rest < len(line) and line[rest] in " \t":
            rest += 1
        if not line.startswith(".", rest):
            return tuple(parts), i
        i = rest + 1


def _scan_value(line: str, start: int, depth: int) -> tuple[str | None, int]:
    """Follow strings, comments and brackets from ``start`` to the end of ``line``.

    Returns the delimiter of a multi-line string still open at the end of the line (or None)
    and the bracket depth.
    """
    i = start
    while i < len(line):
        ch = line[i]
        if ch == "#":
            break
        if line.startswith('"""', i) or line.startswith("'''", i):
            delimiter = line[i : i + 3]
            end = _multiline_end(line, i + 3, delimiter)
            if end < 0:
                return delimiter, depth
            i = end
            continue
        if ch == '"':
            i = _basic_end(line, i + 1)
            continue
        if ch == "'":
            end = line.find("'", i + 1)
            i = len(line) if end < 0 else end + 1
            continue
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth = max(0, depth - 1)
        i += 1
    return None, depth


def _basic_end(line: str, i: int) -> int:
    """The index just past the ``"`` closing a basic string whose text starts at ``i``."""
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == '"':
            return i + 1
        i += 1
    return len(line)


def _multiline_end(line: str, i: int, delimiter: str) -> int:
    """The index just past ``delimiter`` closing a multi-line string, or -1 if it stays open."""
    while i < len(line):
        if delimiter == '"""' and line[i] == "\\":
            i += 2
            continue
        if line.startswith(delimiter, i):
            end = i + 3
            # Up to two quotes may sit just inside the closing delimiter ('''a''''' is legal).
            while end < len(line) and line[end] == delimiter[0] and end - i < 5:
                end += 1
            return end
        i += 1
    return -1


# --------------------------------------------------------------------------- wording


def _show(value: str, limit: int = 40) -> str:
    """A value quoted for a message: escaped (so it stays on one line) and cut short."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


def _one_line(message: str) -> str:
    return message.replace("\r", "\\r").replace("\n", "\\n")


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    if name == "color":
        return " (spell it colour)"
    match = difflib.get_close_matches(name, list(choices), n=1)
    return f" (did you mean {match[0]}?)" if match else ""
