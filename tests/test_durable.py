"""The one atomic writer, on real files and a real SIGKILL: all of a new file, or the old one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tui.durable import atomic_unlink, atomic_write

ROOT = Path(__file__).resolve().parent.parent


def test_bytes_replace_the_file_and_leave_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_bytes(b"old\n")
    atomic_write(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert os.listdir(tmp_path) == ["out.json"]


def test_a_render_that_fails_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_bytes(b"old\n")

    def render(stream) -> None:  # noqa: ANN001 - a binary stream
        stream.write(b"half of the new")
        raise KeyboardInterrupt  # ctrl+c during a long export

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, render)
    assert path.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["out.json"]


def test_a_fixed_temp_left_by_a_killed_writer_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "alice.json"
    temp = tmp_path / ".alice.json.tmp"
    temp.write_bytes(b"left behind by kill -9")
    atomic_write(path, b"{}\n", temp=temp)
    assert path.read_bytes() == b"{}\n" and not temp.exists()


def test_unlocked_writers_of_one_file_never_mix(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    contents = [bytes([65 + n]) * 200_000 for n in range(8)]
    threads = [threading.Thread(target=atomic_write, args=(path, c)) for c in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert path.read_bytes() in contents
    assert os.listdir(tmp_path) == ["export.json"]


def test_sigkill_mid_write_leaves_the_old_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "out.json"
    path.write_bytes(b"the previous export\n")
    script = (
        "import sys, time; from pathlib import Path; from tui.durable import atomic_write\n"
        "def render(stream):\n"
        "    stream.write(b'x' * 1_000_000); stream.flush(); print('HALF', flush=True)\n"
        "    time.sleep(60)\n"
        f"atomic_write(Path({str(path)!r}), render)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                             text=True)
    try:
        assert child.stdout.readline().strip() == "HALF"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
    assert child.returncode == -signal.SIGKILL
    assert path.read_bytes() == b"the previous export\n"


def test_atomic_unlink(tmp_path: Path) -> None:
    path = tmp_path / "gone.json"
    path.write_bytes(b"x")
    atomic_unlink(path)
    atomic_unlink(path)  # already gone: nothing to do
    assert not path.exists()
