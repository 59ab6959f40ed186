"""The config file: where it is found, what it may say, and errors that name the line."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color, ColorSystem

from tui.config import (
    DEFAULT_TAGS,
    PALETTE,
    RESERVED_KEYS,
    Config,
    ConfigError,
    TagDef,
    config_path,
    load_config,
    parse_config,
    reserved_keys,
)
from tui.keys import KEYS

FIVE_TAGS = """\
# Five tags for a study of escalation.
theme = "light"

[[tags]]
name = "claim"
key = "c"
colour = "#5FAFFF"
description = "an assertion of fact or position"

[[tags]]
name = "threat"
key = "t"
colour = "red"
description = "a warning of [bold]consequences[/bold]\\u0007 or force"
marker = "!"

[[tags]]
name = "denial"
colour = "color(178)"

[[tags]]
name = "schedule"
key = "s"
colour = "rgb(95, 215, 95)"

[[tags]]
name = "sanction"
description = '''economic measures
threatened or taken'''
"""


def write(folder: Path, text: str, name: str = "newsmark.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


ONE_TAG = '[[tags]]\nname = "{name}"\n'


# --------------------------------------------------------------------------- finding the file


def test_no_file_anywhere_gives_the_four_default_tags(tmp_path: Path) -> None:
    assert config_path(cwd=tmp_path) is None
    config = load_config(cwd=tmp_path)
    assert config == Config()
    assert config.tags == DEFAULT_TAGS
    assert config.tag_names == ("claim", "threat", "denial", "schedule")
    assert config.theme is None and config.path is None


def test_the_file_in_the_current_folder_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, ONE_TAG.format(name="local"))
    config = load_config(cwd=tmp_path)
    assert config.tag_names == ("local",)
    assert config.path == path


def test_the_current_folder_is_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, ONE_TAG.format(name="here"))
    monkeypatch.chdir(tmp_path)
    assert load_config().tag_names == ("here",)


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CONFIG_HOME is the Linux convention")
def test_the_user_config_folder_is_read_when_the_current_folder_has_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    path = write(tmp_path / "xdg" / "newsmark", ONE_TAG.format(name="mine"))
    empty = tmp_path / "work"
    empty.mkdir()
    assert config_path(cwd=empty) == path
    assert load_config(cwd=empty).tag_names == ("mine",)
    # The current folder's file wins over the user's.
    write(empty, ONE_TAG.format(name="local"))
    assert load_config(cwd=empty).tag_names == ("local",)


def test_an_explicit_file_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    write(tmp_path / "xdg" / "newsmark", ONE_TAG.format(name="mine"))
    write(tmp_path, ONE_TAG.format(name="local"))
    explicit = write(tmp_path / "elsewhere", ONE_TAG.format(name="chosen"), name="study.toml")
    config = load_config(explicit, cwd=tmp_path)
    assert config.tag_names == ("chosen",)
    assert config.path == explicit


def test_a_missing_explicit_file_is_an_error_not_the_defaults(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(missing, cwd=tmp_path)
    assert str(caught.value) == f"{missing}: no such config file; check the --config path"
    assert caught.value.line is None


def test_a_folder_given_as_the_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a folder"):
        load_config(tmp_path, cwd=tmp_path)


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "newsmark.toml"
    path.write_bytes(b'[[tags]]\nname = "a"\ndescription = "caf\xe9"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value) == f"{path}:3: not UTF-8 text; save the file as UTF-8"


def test_a_byte_order_mark_and_crlf_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "newsmark.toml"
    path.write_bytes(b'\xef\xbb\xbf[[tags]]\r\nname = "a"\r\nkey = "j"\r\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.line == 3  # the BOM and the CRs shift nothing
    path.write_bytes(b'\xef\xbb\xbf[[tags]]\r\nname = "a"\r\n')
    assert load_config(path).tag_names == ("a",)


# --------------------------------------------------------------------------- what it may say


def test_five_tags() -> None:
    config = parse_config(FIVE_TAGS)
    assert config.theme == "textual-light"
    assert config.tag_names == ("claim", "threat", "denial", "schedule", "sanction")
    assert [tag.number for tag in config.tags] == ["1", "2", "3", "4", "5"]
    claim, threat, denial, schedule, sanction = config.tags
    assert claim == TagDef("claim", "c", "1", "#5fafff", "an assertion of fact or position", "C")
    # Markup and control characters are stored as written: the UI shows them literally.
    assert threat.description == "a warning of [bold]consequences[/bold]\a or force"
    assert (threat.colour, threat.marker) == ("red", "!")
    # Without a key, a tag takes the first free letter of its name.
    assert denial.key == "d"
    assert denial.colour == "color(178)"
    assert denial.description == ""
    assert schedule.colour == "#5fd75f"  # rgb(...) has spaces, which a Rich style cannot hold
    # "sanction": s is taken by schedule, a is newsmark's, n is newsmark's, c by claim, t by
    # threat, i newsmark's, o newsmark's: no letter key, only its number.
    assert sanction.key == ""
    assert (schedule.marker, sanction.marker) == ("S", "A")  # S taken: the name's next letter
    assert sanction.description == "economic measures\nthreatened or taken"
    assert len({tag.marker for tag in config.tags}) == 5
    assert config.tag("sanction") is sanction
    assert config.tag("nothing") is None


def test_missing_fields_get_unique_defaults() -> None:
    text = "".join(ONE_TAG.format(name=name) for name in ("alpha", "amber", "area", "a1"))
    tags = parse_config(text).tags
    assert [tag.marker for tag in tags] == ["A", "M", "R", "1"]
    assert [tag.key for tag in tags] == ["", "", "", ""]  # a, l, p, h, m, b, e, r all taken
    assert [tag.colour for tag in tags] == list(PALETTE[:4])


def test_default_colours_avoid_the_16_colour_look_of_given_ones() -> None:
    # "bright_cyan" looks like the palette's first colour over a 16-colour link: skip it.
    text = '[[tags]]\nname = "a"\ncolour = "bright_cyan"\n[[tags]]\nname = "b"\n'
    a, b = parse_config(text).tags
    assert a.colour == "bright_cyan"
    assert b.colour == PALETTE[1]


def test_nine_tags_without_colours_look_different_in_16_and_256_colours() -> None:
    text = "".join(ONE_TAG.format(name=f"tag{n}") for n in range(9))
    colours = [Color.parse(tag.colour) for tag in parse_config(text).tags]
    for system in (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT):
        assert len({colour.downgrade(system).number for colour in colours}) == 9


def test_the_palette_starts_with_the_default_tags_colours() -> None:
    assert PALETTE[:4] == tuple(tag.colour for tag in DEFAULT_TAGS)


def test_a_file_with_only_a_theme_keeps_the_default_tags() -> None:
    config = parse_config('theme = "nord"\n')
    assert config.theme == "nord"
    assert config.tags == DEFAULT_TAGS
    assert parse_config('theme = "dark"').theme == "textual-dark"
    assert parse_config("") == Config()


def test_key_can_be_empty_for_number_only() -> None:
    (tag,) = parse_config('[[tags]]\nname = "claim"\nkey = ""\n').tags
    assert (tag.key, tag.number) == ("", "1")


def test_inline_tables_work_too() -> None:
    config = parse_config('tags = [{name = "claim", key = "c"}, {name = "threat"}]\n')
    assert [(tag.name, tag.key) for tag in config.tags] == [("claim", "c"), ("threat", "t")]


def test_hex_colour_for_exports() -> None:
    assert TagDef("a", "", "1", "red", "", "A").hex_colour == "#800000"
    assert TagDef("a", "", "1", "color(33)", "", "A").hex_colour == "#0087ff"
    assert DEFAULT_TAGS[0].hex_colour == "#5fafff"


def test_reserved_keys_cover_every_letter_bound_where_tag_keys_work() -> None:
    """Tag keys work in the reader: no letter bound there or on the main screen (whose keys
    work in every pane) may become a tag's, whatever the key table holds today."""
    where_tags_work = {"reader", "main"}
    bound = {
        key for entry in KEYS if entry.scope in where_tags_work
        and not entry.id.startswith("tag_") for key in entry.key_list
    }
    single = {key for key in bound if len(key) == 1 and key.isalpha()}
    assert single <= reserved_keys(), f"{sorted(single - reserved_keys())} are not reserved"
    assert RESERVED_KEYS <= reserved_keys()
    assert not {tag.key for tag in DEFAULT_TAGS} & reserved_keys()


# --------------------------------------------------------------------------- errors name the line


def _error(text: str, source: str = "study.toml") -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, source)
    error = caught.value
    message = str(error)
    assert "\n" not in message and "Traceback" not in message and 'File "' not in message
    # No chained traceback behind it.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    return error


BAD = {
    "syntax error": (
        'theme = "dark"\n\n[[tags]]\nname = "claim"\nkey = c\n',
        5,
        "fix the TOML syntax",
    ),
    "unclosed string at the end": ('[[tags]]\nname = "claim\n', 2, "fix the TOML syntax"),
    "unknown key in a tag": (
        '[[tags]]\nname = "claim"\nkey = "c"\nshortcut = "x"\n',
        4,
        "unknown key 'shortcut' in tag 1 (claim); a tag takes name, key, colour, description",
    ),
    "american spelling": ('[[tags]]\nname = "a"\ncolor = "red"\n', 3, "(spell it colour)"),
    "misspelt key": ('[[tags]]\nname = "a"\ndescripton = "x"\n', 3, "did you mean description?"),
    "theme inside a tag": (
        '[[tags]]\nname = "a"\ntheme = "dark"\n',
        3,
        "top-level settings such as theme go before the first [[tags]]",
    ),
    "unknown setting": ('theme = "dark"\n[[tag]]\nname = "a"\n', 2, "did you mean tags?"),
    "duplicate name": (
        '[[tags]]\nname = "claim"\n\n[[tags]]\nkey = "t"\nname = "claim"\n',
        6,
        "tag name 'claim' in tag 2 is also in tag 1; give each tag its own name",
    ),
    "duplicate key": (
        '[[tags]]\nname = "claim"\nkey = "c"\n[[tags]]\nname = "cause"\nkey = "c"\n',
        6,
        "key 'c' in tag 2 (cause) is also in tag 1 (claim)",
    ),
    "reserved key": (
        '[[tags]]\nname = "claim"\n[[tags]]\nname = "jab"\n  key = "j"  # jab\n',
        5,
        # c is claim's (the first free letter of its name): only d, s and t are free.
        "key 'j' in tag 2 (jab) is one of newsmark's own keys; use one of d, s, t, or key = \"\"",
    ),
    "a fifth tag's key when no letter is free": (
        "".join(ONE_TAG.format(name=name) for name in ("claim", "threat", "denial", "schedule"))
        + '[[tags]]\nname = "sanction"\nkey = "x"\n',
        11,
        "key 'x' in tag 5 (sanction) is one of newsmark's own keys; every free letter is another "
        'tag\'s: write key = "" for none (the number key 5 stays)',
    ),
    "a letter that is not free names only the free ones": (
        '[[tags]]\nname = "claim"\n[[tags]]\nname = "threat"\n[[tags]]\nname = "x"\nkey = "C"\n',
        7,
        "key 'C' in tag 3 (x) is not one lowercase letter; use one of d, s, or key = \"\"",
    ),
    "a key an earlier tag takes from its name": (
        '[[tags]]\nname = "claim"\n[[tags]]\nname = "cost"\nkey = "c"\n',
        5,
        "key 'c' in tag 2 (cost) is already tag 1 (claim)'s, the first free letter of its name; "
        'give tag 1 a key of its own (key = "" for none), or give tag 2 one of d, s, t',
    ),
    "a fifth tag taking the first tag's key": (
        "".join(ONE_TAG.format(name=name) for name in ("claim", "threat", "denial", "schedule"))
        + '[[tags]]\nname = "sanction"\nkey = "c"\n',
        11,
        "key 'c' in tag 5 (sanction) is already tag 1 (claim)'s",
    ),
    "upper-case key": ('[[tags]]\nname = "a"\nkey = "C"\n', 3, "is not one lowercase letter"),
    "two-letter key": ('[[tags]]\nname = "a"\nkey = "cd"\n', 3, "is not one lowercase letter"),
    "bad colour": (
        '[[tags]]\nname = "a"\n[[tags]]\nname = "b"\ncolour = "blurple"\n',
        5,
        "colour 'blurple' in tag 2 (b) is not a colour; use a name such as",
    ),
    "invisible colour": ('[[tags]]\nname = "a"\ncolour = "default"\n', 3, "would not show"),
    "ten tags": (
        "".join(ONE_TAG.format(name=f"t{n}") for n in range(10)),
        19,
        "10 tags, but at most 9 fit the number keys 1-9; remove 1",
    ),
    "zero tags": ('theme = "dark"\ntags = []\n', 2, "no tags; define at least one [[tags]]"),
    "tags as one table": ('[tags]\nname = "a"\n', 1, "tags is a table, not a list"),
    "tags as a string": ('\ntags = "claim"\n', 2, "tags is a string, not a list"),
    "name as a number": ("[[tags]]\nname = 3\n", 2, "name in tag 1 is a number; write it as"),
    "key as a number": ('[[tags]]\nname = "a"\nkey = 1\n', 3, "key in tag 1 (a) is a number"),
    "colour as an array": (
        '[[tags]]\nname = "a"\ncolour = [95, 175, 255]\n',
        3,
        "colour in tag 1 (a) is an array",
    ),
    "marker as a boolean": ('[[tags]]\nname = "a"\nmarker = true\n', 3, "is true/false"),
    "description as a date": (
        '[[tags]]\nname = "a"\ndescription = 2021-12-30\n',
        3,
        "is a date or time",
    ),
    "theme as a number": ("theme = 1\n", 1, "theme is a number"),
    "empty theme": ('\n\ntheme = "  "\n', 3, "theme is empty"),
    "no name": ('[[tags]]\nname = "a"\n[[tags]]\nkey = "c"\n', 3, "tag 2 has no name"),
    "bad name": ('[[tags]]\nname = "Claim"\n', 2, "tag name 'Claim' is not allowed"),
    "name with a space": ('[[tags]]\nname = "a b"\n', 2, "is not allowed"),
    "long marker": ('[[tags]]\nname = "a"\nmarker = "AB"\n', 3, "not one visible single-width"),
    "wide marker": ('[[tags]]\nname = "a"\nmarker = "漢"\n', 3, "not one visible single-width"),
    "space marker": ('[[tags]]\nname = "a"\nmarker = " "\n', 3, "not one visible single-width"),
    "duplicate marker": (
        '[[tags]]\nname = "a"\nmarker = "!"\n[[tags]]\nname = "b"\nmarker = "!"\n',
        6,
        "marker '!' in tag 2 (b) is also in tag 1 (a)",
    ),
    "inline tables name the tags line": (
        '# two tags\ntags = [\n  {name = "a"},\n  {name = "a"},\n]\n',
        2,
        "tag name 'a' in tag 2 is also in tag 1",
    ),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_a_bad_config_names_the_line(case: str) -> None:
    text, line, words = BAD[case]
    error = _error(text)
    assert error.line == line, str(error)
    assert str(error).startswith(f"study.toml:{line}: "), str(error)
    assert words in str(error)
    # Every message says what to do, after a semicolon.
    assert ";" in error.problem


def test_the_line_is_found_past_strings_and_comments_that_look_like_toml() -> None:
    text = (
        "[[tags]]\n"  # 1
        'name = "a"\n'  # 2
        'description = """\n'  # 3
        "[[tags]]\n"  # 4: inside the string
        'key = "j"\n'  # 5: inside the string
        '"""\n'  # 6
        '# key = "j"\n'  # 7: a comment
        'marker = "#"  # key = "j"\n'  # 8
        "'key' = \"j\"\n"  # 9: the real one, quoted
    )
    error = _error(text)
    assert error.line == 9
    assert parse_config(text.replace("'key' = \"j\"\n", "")).tags[0].description == (
        '[[tags]]\nkey = "j"\n'
    )


def test_a_subtable_in_a_tag_is_named_at_its_header() -> None:
    text = '[[tags]]\nname = "a"\n[[tags]]\nname = "b"\n[tags.extra]\nx = 1\n'
    error = _error(text)
    assert (error.line, "unknown key 'extra' in tag 2 (b)" in str(error)) == (5, True)


def test_an_error_from_a_file_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, '[[tags]]\nname = "a"\nkey = "q"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(cwd=tmp_path)
    assert str(caught.value).startswith(f"{path}:3: key 'q'")


def test_values_in_messages_stay_on_one_line() -> None:
    error = _error('[[tags]]\nname = "a"\ncolour = "red\\nblue"\n')
    assert error.line == 3
    assert "'red\\nblue'" in str(error)


# --------------------------------------------------------------------------- any input at all

_VALUES = st.one_of(
    st.sampled_from(["claim", "c", "j", "", "red", "#5fafff", "blurple", "C", "!", "漢"]),
    st.text(max_size=8),
)
_FIELDS = st.sampled_from(["name", "key", "colour", "description", "marker", "colr"])


def _toml_string(value: str) -> str:
    escaped = []
    for ch in value:
        if ch in '"\\':
            escaped.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            escaped.append(f"\\u{ord(ch):04x}")
        else:
            escaped.append(ch)
    return '"' + "".join(escaped) + '"'


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.dictionaries(_FIELDS, _VALUES, max_size=5),
        max_size=11,
    )
)
def test_any_tag_tables_give_a_valid_config_or_one_clear_error(
    tables: list[dict[str, str]],
) -> None:
    text = "".join(
        "[[tags]]\n" + "".join(f"{field} = {_toml_string(value)}\n" for field, value in t.items())
        for t in tables
    )
    try:
        config = parse_config(text)
    except ConfigError as error:
        lines = text.split("\n")
        assert error.line is not None and 1 <= error.line <= len(lines)
        assert "\n" not in str(error)
        flagged = lines[error.line - 1]
        assert flagged == "[[tags]]" or " = " in flagged
        return
    if not tables:
        assert config == Config()
        return
    tags = config.tags
    assert 1 <= len(tags) <= 9
    assert [tag.number for tag in tags] == [str(n) for n in range(1, len(tags) + 1)]
    for field in ("name", "marker"):
        assert len({getattr(tag, field) for tag in tags}) == len(tags)
    keys = [tag.key for tag in tags if tag.key]
    assert len(set(keys)) == len(keys) and not set(keys) & reserved_keys()
    for tag in tags:
        Color.parse(tag.colour)


def test_the_examples_in_the_docs_are_valid() -> None:
    doc = (Path(__file__).resolve().parent.parent / "docs" / "config.md").read_text("utf-8")
    examples = doc.split("```toml\n")[1:]
    assert len(examples) >= 3
    # Every example parses: the full one first, the [keys] one, the theme-only one (the
    # suggestion-rule examples are checked in tests/test_suggest.py).
    parsed = [parse_config(example.split("```")[0]) for example in examples]
    full = parsed[0]
    (keys,) = [config for config, text in zip(parsed, examples) if text.startswith("[keys]")]
    (theme_only,) = [config for config, text in zip(parsed, examples)
                     if text.split("```")[0].strip() == 'theme = "dark"']
    assert dict(keys.keys) == {"next_sentence": "l", "previous_sentence": "h,up",
                               "search": "ctrl+f"} and keys.warnings == ()
    assert full.tag_names == ("claim", "threat", "denial", "schedule", "sanction")
    assert [tag.key for tag in full.tags] == ["c", "t", "d", "s", ""]
    assert theme_only == Config(theme="textual-dark")


def test_a_tag_can_have_the_schedule_role() -> None:
    from tui.config import Config, ConfigError, parse_config

    # The defaults: the tag named schedule.
    assert Config().schedule_tag == "schedule"
    meeting = parse_config('[[tags]]\nname = "claim"\n[[tags]]\nname = "meeting"\n'
                           'role = "schedule"\n')
    assert meeting.schedule_tag == "meeting" and meeting.tag("meeting").role == "schedule"
    # A role wins over the name; no schedule tag and no role: none.
    both = parse_config('[[tags]]\nname = "schedule"\n[[tags]]\nname = "meeting"\n'
                        'role = "schedule"\n')
    assert both.schedule_tag == "meeting"
    assert parse_config('[[tags]]\nname = "claim"\n').schedule_tag is None
    with pytest.raises(ConfigError) as error:
        parse_config('[[tags]]\nname = "claim"\nrole = "deadline"\n')
    assert str(error.value) == ("newsmark.toml:3: role 'deadline' in tag 1 (claim) is not one "
                                "newsmark knows; use 'schedule', or leave role out")
    with pytest.raises(ConfigError) as error:
        parse_config('[[tags]]\nname = "a"\nrole = "schedule"\n[[tags]]\nname = "b"\n'
                     'role = "schedule"\n')
    assert "is also in tag 1 (a); give the role to one tag only" in str(error.value)
