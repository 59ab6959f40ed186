"""Every prompt shows what is typed, with its cursor, at 80×24 and 200×50, dark and light:
snapshots of each with text in it, and a check of the text itself on the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from typed import burst, screen_text, suggested

from tui.app import NewsmarkApp
from tui.config import Config
from tui.corpus import load_corpus
from tui.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

#: (name, keys that open the prompt and type into it, what must show)
PROMPTS = [
    ("search", ("tab", "slash", *"sanctions"), "sanctions"),
    ("note", ("tab", "1", "e", *"check the date"), "check the date"),
    ("filter", ("slash", *"putin"), "putin"),
]
SIZES = [(80, 24), (200, 50)]
THEMES = ["textual-dark", "textual-light"]


def make_app(store_dir: Path, theme: str) -> NewsmarkApp:
    return NewsmarkApp(load_corpus([SEEDS]), Store(store_dir, annotator="tester"),
                       config=Config(theme=theme), annotator="tester")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
@pytest.mark.parametrize("name, keys, typed", PROMPTS, ids=[p[0] for p in PROMPTS])
async def test_the_typed_text_is_on_the_screen(tmp_path: Path, name: str, keys: tuple[str, ...],
                                               typed: str, size: tuple[int, int],
                                               theme: str) -> None:
    app = make_app(tmp_path / "store", theme)
    async with app.run_test(size=size) as pilot:
        await burst(pilot, *keys)
        lines = [line for line in screen_text(app).splitlines() if typed in line]
        assert lines, f"{typed!r} is not on the screen"
        # On its own line of the box, not cut: the text and the cursor after it.
        assert any(line.strip("│ ").startswith(typed) for line in lines), lines


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("size", SIZES, ids=["80x24", "200x50"])
@pytest.mark.parametrize("name, keys, typed", PROMPTS, ids=[p[0] for p in PROMPTS])
def test_snapshot_of_a_prompt_with_text(snap_compare, tmp_path: Path, name: str,
                                        keys: tuple[str, ...], typed: str,
                                        size: tuple[int, int], theme: str) -> None:
    app = make_app(tmp_path / "store", theme)

    async def run_before(pilot) -> None:
        await suggested(pilot)  # the reader under the prompt, with its suggestions
        await burst(pilot, *keys)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
