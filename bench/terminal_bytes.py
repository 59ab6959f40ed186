"""Benchmark: the bytes newsmark writes to the terminal per keystroke, through a real pty.

Over a slow SSH link what counts is how many bytes a keystroke sends down the wire. This runs
``python -m tui`` on the seeds in a pseudo-terminal of 80×24 (``TERM=xterm-256color`` by
default), waits until the screen has settled, then presses keys one at a time and counts the
bytes the app writes after each, until it has been quiet for a moment:

- ``move``: ``j``, the next sentence (the selection leaves one sentence and enters another);
- ``tag``: ``1`` on a sentence not yet tagged (the tag is written to the store, the reader,
  the article list's counts and the status line change);
- ``page``: space, a screen down (the whole reader is repainted: a full-screen scroll);
- ``pane``: tab from the list into the reader (the focus changes the borders and the footer).

    python bench/terminal_bytes.py                 # 20 moves, 10 tags; prints medians
    python bench/terminal_bytes.py --term xterm    # the same in 16 colours
    python bench/terminal_bytes.py --quick         # a few samples (used by a test)

The harness (:class:`PtyApp`) is also used by the tests that check what reaches the terminal
when an article holds escape sequences.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class PtyApp:
    """A command run in a fresh pseudo-terminal of ``columns``×``lines``; every byte it writes
    is kept (``output``), keys are typed with :meth:`press`.

    Use as a context manager: leaving it ends the process (SIGTERM, then SIGKILL) and closes
    the terminal.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        columns: int = 80,
        lines: int = 24,
        env: Mapping[str, str] | None = None,
        cwd: Path | str | None = None,
    ) -> None:
        self.argv = list(argv)
        self.columns = columns
        self.lines = lines
        self.env = dict(env if env is not None else os.environ)
        self.cwd = cwd
        self.output = bytearray()
        self._lock = threading.Lock()
        self._last_output = time.monotonic()
        self._master = -1
        self.process: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None

    def __enter__(self) -> PtyApp:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0))

        def controlling_terminal() -> None:
            # A session of its own with the pty as its terminal, as sshd or tmux would give.
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            self.argv, stdin=slave, stdout=slave, stderr=slave, env=self.env, cwd=self.cwd,
            preexec_fn=controlling_terminal, close_fds=True,
        )
        os.close(slave)
        self._master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.2)
            except (OSError, ValueError):
                return
            if not ready:
                if self.process is not None and self.process.poll() is not None:
                    return
                continue
            try:
                chunk = os.read(self._master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk
                self._last_output = time.monotonic()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """End the process (if it still runs) and close the terminal."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self._master >= 0:
            try:
                os.close(self._master)
            except OSError:
                pass
            self._master = -1
        if self._reader is not None:
            self._reader.join(2)

    @property
    def size(self) -> int:
        """How many bytes the process has written so far."""
        with self._lock:
            return len(self.output)

    def press(self, keys: str | bytes) -> None:
        """Type ``keys`` (a string is sent as UTF-8)."""
        data = keys.encode() if isinstance(keys, str) else keys
        os.write(self._master, data)

    def settle(self, quiet: float = 0.25, timeout: float = 10.0) -> None:
        """Wait until the process has written nothing for ``quiet`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                idle = time.monotonic() - self._last_output
            if idle >= quiet:
                return
            time.sleep(min(0.05, quiet - idle + 0.01))
        raise TimeoutError(f"the app kept writing for {timeout} s")

    def wait_for(self, predicate: Callable[[bytes], bool], timeout: float = 15.0) -> None:
        """Wait until ``predicate(output)`` holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(bytes(self.output)):
                    return
            if self.process is not None and self.process.poll() is not None:
                break
            time.sleep(0.05)
        tail = bytes(self.output[-400:])
        raise TimeoutError(f"not seen on the terminal within {timeout} s; last bytes: {tail!r}")

    def keystroke_bytes(self, key: str, quiet: float = 0.25) -> int:
        """Press ``key`` and return how many bytes the app wrote until it was quiet again."""
        self.settle(quiet)
        before = self.size
        self.press(key)
        # Wait for the first byte (the repaint), then for the quiet after it.
        deadline = time.monotonic() + 5
        while self.size == before and time.monotonic() < deadline:
            time.sleep(0.01)
        self.settle(quiet)
        return self.size - before


def app_env(term: str = "xterm-256color", **extra: str) -> dict[str, str]:
    """The environment of a user's shell over SSH: a TERM, no COLORTERM, no NO_COLOR."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR")}
    env.update(TERM=term, NEWSMARK_ANNOTATOR="bench", LANG=env.get("LANG", "C.UTF-8"))
    env.pop("TEXTUAL", None)
    env.update(extra)
    return env


def measure(moves: int, tags: int, term: str) -> dict[str, list[int]]:
    """Bytes per keystroke at 80×24 on the seeds, in a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        argv = [sys.executable, "-m", "tui", str(ROOT / "seeds"), "--store", f"{tmp}/store"]
        with PtyApp(argv, env=app_env(term), cwd=tmp) as app:
            app.wait_for(lambda out: b"Quit" in out)
            app.settle(1.0)
            figures: dict[str, list[int]] = {"move": [], "tag": [], "page": [], "pane": []}
            # Textual repaints a focus change a little later: wait longer to count it whole.
            figures["pane"].append(app.keystroke_bytes("\t", quiet=1.0))  # into the reader
            for _ in range(max(2, moves // 6)):
                figures["page"].append(app.keystroke_bytes(" "))
            app.keystroke_bytes("\x1b[H")  # home: back to the first sentence
            for _ in range(moves):
                figures["move"].append(app.keystroke_bytes("j"))
            for _ in range(tags):
                app.keystroke_bytes("j")
                figures["tag"].append(app.keystroke_bytes("1"))
            return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few samples only")
    parser.add_argument("--term", default="xterm-256color", help="TERM (default xterm-256color)")
    args = parser.parse_args(argv)
    moves, tags = (6, 3) if args.quick else (20, 10)
    figures = measure(moves, tags, args.term)
    print(f"newsmark at 80×24, TERM={args.term}, bytes written per keystroke:")
    for name, values in figures.items():
        print(
            f"  {name:5} median {statistics.median(values):6.0f}  min {min(values):6d}  "
            f"max {max(values):6d}  (n={len(values)})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
