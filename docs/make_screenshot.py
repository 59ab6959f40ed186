"""Regenerate docs/screenshot.svg: the seeds, a few tags, at 100×30.

    python docs/make_screenshot.py
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from tui.app import NewsmarkApp
from tui.corpus import load_corpus
from tui.store import Store

ROOT = Path(__file__).resolve().parent.parent


async def main() -> None:
    with tempfile.TemporaryDirectory() as store:
        app = NewsmarkApp(load_corpus([ROOT / "seeds"]), Store(store, annotator="demo"),
                          annotator="demo")
        async with app.run_test(size=(110, 30)) as pilot:
            await pilot.press("down", "down", "enter")
            await pilot.press("j", "j", "j", "j", "1", "j", "4", "j", "j", "t")
            await pilot.press("j", "j", "right_square_bracket", "right_square_bracket", "d")
            await pilot.press("j")
            await pilot.pause()
            app.save_screenshot(str(ROOT / "docs" / "screenshot.svg"))


if __name__ == "__main__":
    asyncio.run(main())
