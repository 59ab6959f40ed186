"""bench/team.py stays runnable: at a tiny size, as a real process, with both rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_team_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    table = tmp_path / "team.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "team.py"), "--quick", "--data",
         str(tmp_path / "data"), "--markdown", str(table)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    rows = {line.split("|")[1].strip(): line.split("|") for line in
            table.read_text(encoding="utf-8").splitlines() if line.startswith("| ")}
    for name in ("agree", "agree-each", "merge-driver"):
        cells = [cell.strip() for cell in rows[name]]
        assert float(cells[3].split()[0]) > 0 and float(cells[6].split()[0]) > 0, cells
    assert "usable cores" in done.stdout
