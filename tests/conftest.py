"""Shared fixtures: the real seed corpus, a real store on disk, and the app built on them."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's config or store, or depends on who runs it."""
    monkeypatch.setenv("NEWSMARK_ANNOTATOR", "tester")
    monkeypatch.delenv("NEWSMARK_STORE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    # The compare matrix scores lexically unless a test asks for the embeddings (the extra is
    # installed with the tests; embedding the seeds in every screen test would cost seconds).
    monkeypatch.setenv("NEWSMARK_SCORER", "lexical")
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.delenv("NO_COLOR")


@pytest.fixture
def seeds() -> Path:
    return SEEDS


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "annotations"
