"""The benchmarks stay runnable: each runs at a tiny size, as a real process, and reports.

The budgets are not asserted (machines are noisy); bench/RESULTS.md has the figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "bench" / "run.py"

#: Each benchmark and the rows of the results table it must produce.
ROWS = {
    "startup": ["startup", "startup-large", "startup-large-cached", "memory"],
    "scroll": ["scroll"],
    "open": ["open"],
    "cursor": ["cursor"],
    "tag-big": ["tag-big"],
    "tag-store": ["tag-store"],
    "export": [f"export-{name}" for name in
               ("json", "jsonl", "csv", "w3c", "doccano", "labelstudio", "brat")],
    "lists": ["list-set", "list-set-10", "list-move", "list-move-10"],
}


@pytest.mark.parametrize("name", list(ROWS))
def test_each_benchmark_runs_at_a_tiny_size(name: str, tmp_path: Path) -> None:
    table = tmp_path / "results.md"
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--only", name, "--data", str(tmp_path / "data"),
         "--markdown", str(table)],
        capture_output=True, text=True, timeout=240, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "usable cores" in done.stdout and "Textual 8." in done.stdout
    lines = table.read_text(encoding="utf-8").splitlines()
    rows = {line.split("|")[1].strip(): line for line in lines if line.startswith("| ")}
    for row in ROWS[name]:
        assert row in rows, (row, lines)
        cells = [cell.strip() for cell in rows[row].split("|")]
        median, baseline = cells[3], cells[4]
        assert float(median.split()[0]) > 0 and float(baseline.split()[0]) > 0, rows[row]


def test_the_generated_data_is_reproducible(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    first = generate.build(generate.QUICK, tmp_path / "a", verbose=False)
    second = generate.build(generate.QUICK, tmp_path / "b", verbose=False)
    names = sorted(p.name for p in first.news.glob("*.txt"))
    assert len(names) == generate.QUICK.articles
    assert names == sorted(p.name for p in second.news.glob("*.txt"))
    for name in names[:20]:
        assert (first.news / name).read_bytes() == (second.news / name).read_bytes()
    big = first.big / f"{first.big_id}.txt"
    assert big.stat().st_size >= generate.QUICK.big_bytes
    # Built again with the same sizes, the data is reused, not rebuilt.
    stamp = big.stat().st_mtime_ns
    generate.build(generate.QUICK, tmp_path / "a", verbose=False)
    assert big.stat().st_mtime_ns == stamp
