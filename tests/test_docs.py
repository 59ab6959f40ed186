"""The README stays honest: every key of the binding table is documented there, and the two
set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from tui.config import DEFAULT_TAGS
from tui.keys import KEYS, REMAPPABLE, markdown_table, remapping_table

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

def test_the_readme_key_table_is_the_key_table() -> None:
    """The README's table is made from tui/keys.py (``newsmark keys --format markdown``)."""
    shown = re.search(r"<!-- keys:[^>]*-->\n(.*?)<!-- /keys -->", README, re.S)
    assert shown, "README.md lost its key table markers"
    assert shown.group(1) == markdown_table(DEFAULT_TAGS)


def test_every_key_of_the_table_is_in_the_readme() -> None:
    table = markdown_table(DEFAULT_TAGS)
    for key in KEYS:
        if key.id.startswith("tag_"):
            continue
        assert key.description.lower() in table, key.id


def test_every_remappable_action_is_in_the_config_docs() -> None:
    docs = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- actions:[^>]*-->\n(.*?)<!-- /actions -->", docs, re.S)
    assert shown, "docs/config.md lost its table of actions"
    assert shown.group(1) == remapping_table()
    missing = sorted(name for name in REMAPPABLE if f"`{name}`" not in shown.group(1))
    assert not missing, f"docs/config.md does not list {missing}"


def test_readme_commands_are_what_ci_runs() -> None:
    assert "pip install -e . && newsmark" in README
    assert "pip install -e '.[test]' && pytest" in README
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]' && pytest" in ci


def test_import_linter_contract_holds() -> None:
    """The domain never imports Textual, directly or through another module."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
         "lint_imports_command()"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
