"""The corpora benchmarks stay runnable, as real processes: the dump against the folder (tiny
size; figures are not asserted, machines are noisy) and the junk-sentence count, whose figures
are quality, not speed: on the seeds no junk sentence is left selectable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_dump_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "dumps.py"), "--quick"],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    rows = [line.split("|")[1].strip() for line in done.stdout.splitlines()
            if line.startswith("| ") and not line.startswith(("| row", "| ---"))]
    assert rows == ["list", "list-text-only", "list-cached", "open", "cli-list"]


def test_the_junk_count_runs_and_the_seeds_have_no_junk_left(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "junk.py")],
                          capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    figures = {}
    for line in done.stdout.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) == 5 and cells[2].isdigit():
            figures[cells[0], cells[1]] = (int(cells[2]), int(cells[3]), int(cells[4]))
    assert set(figures) == {(s, v) for s in ("seeds", "second", "third")
                            for v in ("before", "after")}
    assert figures["seeds", "after"][1:] == (0, 0)
    for name in ("seeds", "second", "third"):
        assert figures[name, "after"][1] < figures[name, "before"][1]
