"""The README stays honest: every key of the binding table is documented there, and the two
set-up commands are the ones CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from tui.config import DEFAULT_TAGS
from tui.keys import KEY_NAMES, KEYS, tag_keys

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

#: How the README spells keys that have a symbol.
README_NAMES = {**KEY_NAMES, "down": "↓", "up": "↑", "shift+down": "shift+↓",
                "shift+up": "shift+↑"}


def test_every_key_is_in_the_readme() -> None:
    documented = set(re.findall(r"`([^`]+)`", README))
    words = {word for item in documented for word in item.split()}
    missing = []
    for key in (*KEYS, *tag_keys(DEFAULT_TAGS)):
        for name in key.keys.split(","):
            shown = README_NAMES.get(name, name)
            if shown not in documented and shown not in words:
                missing.append(f"{shown} ({key.action})")
    assert not missing, f"keys missing from README.md: {missing}"


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
