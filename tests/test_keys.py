"""The one key table: ids, no clashes, the config's ``[keys]``, and the app built from it."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest
from typed import burst, screen_text, shows

from tui.app import NewsmarkApp
from tui.config import Config, parse_config
from tui.corpus import load_corpus
from tui.keys import KEYS, REMAPPABLE, conflicts, effective, keys_of
from tui.store import Store

ROOT = Path(__file__).resolve().parent.parent
SIZE = (100, 30)


def test_every_binding_has_an_id_and_ids_are_unique() -> None:
    counts = Counter(key.id for key in KEYS)
    # A tag slot is the same key in the reader and in the tag picker, on purpose.
    repeated = {key_id for key_id, n in counts.items() if n > 1}
    assert repeated == {f"tag_{slot}" for slot in range(1, 10)}
    assert all(key.id and key.keys and key.action for key in KEYS)


def test_the_default_table_has_no_clash() -> None:
    assert conflicts(KEYS) == []


def test_every_widget_and_screen_binds_from_the_table() -> None:
    """No Binding is made anywhere but tui/bindings.py."""
    for path in (ROOT / "tui").rglob("*.py"):
        if path.name == "bindings.py":
            continue
        source = path.read_text(encoding="utf-8")
        assert "Binding(" not in source, f"{path} makes its own Binding"
        assert "BINDINGS = [" not in source, f"{path} lists its own bindings"


def _private_names_defined_here() -> set[str]:
    """The ``_names`` the package defines: functions, classes, module and local names,
    arguments, and attributes set in an ``__init__`` or a class body (an attribute only ever
    set elsewhere, ``self._x = …`` in some method, may be a base class's)."""
    names: set[str] = set()
    for path in (ROOT / "tui").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
                if node.name == "__init__" or node.name == "__post_init__":
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.Attribute) and isinstance(inner.ctx, ast.Store):
                            names.add(inner.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return {name for name in names if name.startswith("_")}


def _private_names_anywhere_here() -> set[str]:
    """Every ``_name`` the package defines, sets or binds anywhere."""
    names: set[str] = set()
    for path in (ROOT / "tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
    return {name for name in names if name.startswith("_")}


def _private_names_of(*packages: str) -> set[str]:
    import importlib

    names: set[str] = set()
    for package in packages:
        root = Path(importlib.import_module(package).__file__).parent
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(node.name)
                elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                    names.add(node.attr)
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


def test_no_private_api_of_textual_is_used() -> None:
    """No ``_name`` of Textual's or Rich's is touched (their private API changes between minor
    releases): every private name the package uses is its own, defined in a ``def``, a class
    or an ``__init__`` when Textual or Rich has one of that name too (else a subclass would be
    writing theirs)."""
    own = _private_names_defined_here()
    anywhere = _private_names_anywhere_here()
    theirs = _private_names_of("textual", "rich")
    foreign = []
    for path in (ROOT / "tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") \
                    and not node.attr.startswith("__"):
                name = node.attr
                if name not in anywhere or (name in theirs and name not in own):
                    foreign.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{name}")
            if isinstance(node, ast.ImportFrom) and node.module \
                    and node.module.split(".")[0] in ("textual", "rich") \
                    and any(part.startswith("_") for part in node.module.split(".")):
                foreign.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.module}")
    assert not foreign, "\n".join(foreign)


def test_keys_in_the_config_remap_actions() -> None:
    config = parse_config('[keys]\nnext_sentence = "l"\nprevious_sentence = ["h", "up"]\n'
                          'grow = ">"\nsearch = "ctrl+f"\n', "newsmark.toml")
    # ">" is the key of next_tag already: left out, with a warning naming the line.
    assert dict(config.keys) == {"next_sentence": "l", "previous_sentence": "h,up",
                                 "search": "ctrl+f"}
    (warning,) = config.warnings
    assert warning.startswith("newsmark.toml:4: '>' for grow is already the key of next_tag")
    table = {key.id: key.keys for key in effective(config.keys)}
    assert table["next_sentence"] == "l" and table["search"] == "ctrl+f"


@pytest.mark.parametrize("text, expected", [
    ('[keys]\nnxt_sentence = "l"\n', "newsmark.toml:2: unknown action 'nxt_sentence' in [keys] "
                                      "(did you mean next_sentence?)"),
    ('theme = "dark"\n[keys]\nquit = "u"\n', "newsmark.toml:3: 'u' for quit is already the key "
                                             "of undo"),
    ('[keys]\nuntag = "c"\n', "newsmark.toml:2: 'c' for untag is the key of tag claim"),
    ('[keys]\nsearch = 3\n', "newsmark.toml:2: search is a number"),
    ('[keys]\ntag_1 = "z"\n', "newsmark.toml:2: 'tag_1': a tag's keys are its number"),
])
def test_a_bad_keys_line_is_one_warning_and_is_left_out(text: str, expected: str) -> None:
    config = parse_config(text, "newsmark.toml")
    assert dict(config.keys) == {}
    (warning,) = config.warnings
    assert warning.startswith(expected), warning
    assert "\n" not in warning


def test_keys_are_remappable_by_their_id() -> None:
    assert REMAPPABLE == {key.id for key in KEYS} - {f"tag_{n}" for n in range(1, 10)}
    assert {key.id for key in keys_of("reader")} >= {"next_sentence", "untag", "search"}


async def test_the_app_obeys_the_remapped_keys_everywhere(seeds: Path, tmp_path: Path) -> None:
    config = parse_config('[keys]\nnext_sentence = "l"\nbogus = "z"\n', "newsmark.toml")
    app = NewsmarkApp(load_corpus([seeds]), Store(tmp_path / "store", annotator="t"),
                      config=config, annotator="t")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # The bad line is named, and left out; the app works.
        await shows(pilot, "newsmark.toml:3: unknown action 'bogus'")
        await pilot.press("tab")
        reader = app.reader
        first = reader.selection
        await burst(pilot, "j")
        assert reader.selection == first  # j is not the reader's any more
        await burst(pilot, "l")
        assert reader.selection != first
        # The footer, the help and the palette say l.
        footer = " ".join(str(item.render()) for item in app.screen.query("FooterKey"))
        assert "l Next" in footer.replace("  ", " ") or " l " in f" {footer} "
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert any("Next sentence" in c and "(l)" in c for c in commands)
        await burst(pilot, "question_mark")
        line = next(row for row in screen_text(app).splitlines() if "Next sentence" in row)
        assert line.strip("│ ").split()[0] == "l", line
        await burst(pilot, "escape")
        assert app.reader.has_focus


async def test_tag_slots_beyond_the_tag_set_are_off(seeds: Path, tmp_path: Path) -> None:
    app = NewsmarkApp(load_corpus([seeds]), Store(tmp_path / "store", annotator="t"),
                      config=Config(), annotator="t")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await burst(pilot, "5", "9")
        assert app.session.annotations == []
        footer = " ".join(str(item.render()) for item in app.screen.query("FooterKey"))
        assert "1-4" in footer and "Tag" in footer


def test_newsmark_keys_prints_the_table_as_the_config_remaps_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    config = tmp_path / "newsmark.toml"
    config.write_text('[keys]\nnext_sentence = "l"\nsearch = "nope-not-an-action"\n'
                      'nxt = "z"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tui", "keys", "--config", str(config)],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    line = next(row for row in done.stdout.splitlines() if "[reader: next_sentence]" in row)
    assert line.split()[0] == "l"
    assert f"{config}:4: unknown action 'nxt'" in done.stderr
    elsewhere = tmp_path / "elsewhere"  # no newsmark.toml here: the defaults
    elsewhere.mkdir()
    markdown = subprocess.run([sys.executable, "-m", "tui", "keys", "--format", "markdown"],
                              capture_output=True, text=True, cwd=elsewhere, check=True)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown.stdout in readme
