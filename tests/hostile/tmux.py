"""Driving the real app in a tmux pane: start it, type keys, read the screen (helpers for tests).

Each :class:`TmuxSession` runs its own tmux server on a private socket (``tmux -L <unique>``)
with no user config, and kills that server when it ends. :func:`cells` turns a line of
``capture-pane -e`` output into characters with their attributes, so tests can check colours
and text styles as the terminal holds them.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

TMUX = shutil.which("tmux")


class TmuxSession:
    """A tmux server of its own with one window of ``width``×``height`` running ``argv``."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        cwd: Path,
        width: int = 80,
        height: int = 24,
    ) -> None:
        assert TMUX is not None
        self.socket = f"newsmark-test-{uuid.uuid4().hex[:12]}"
        self.argv = list(argv)
        self.env = dict(env)
        self.cwd = cwd
        self.width = width
        self.height = height

    def tmux(self, *args: str, check: bool = True) -> str:
        """Run a tmux command against this session's server; its standard output."""
        done = subprocess.run(
            [TMUX or "tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True, text=True, timeout=20,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def __enter__(self) -> TmuxSession:
        # The app's environment is given in full with env -i: the tmux server's own (and the
        # default TERM it gives panes) must not leak in.
        command = shlex.join(["env", "-i", *(f"{k}={v}" for k, v in self.env.items()),
                              *self.argv])
        self.tmux("new-session", "-d", "-s", "main", "-x", str(self.width), "-y",
                  str(self.height), "-c", str(self.cwd), command)
        self.tmux("set-option", "-g", "remain-on-exit", "on")
        self.tmux("set-option", "-g", "set-clipboard", "on")
        return self

    def __exit__(self, *exc: object) -> None:
        self.tmux("kill-server", check=False)

    def keys(self, *keys: str) -> None:
        """Send tmux key names (``Tab``, ``j``, ``Down``…), one after the other."""
        self.tmux("send-keys", "-t", "main", *keys)

    def type(self, text: str) -> None:
        """Type ``text`` literally."""
        self.tmux("send-keys", "-t", "main", "-l", text)

    def screen(self, *, escapes: bool = False) -> str:
        """The visible screen, as text (with ``escapes``, with its SGR attributes)."""
        args = ["capture-pane", "-p", "-t", "main"]
        if escapes:
            args.insert(2, "-e")
        return self.tmux(*args)

    def wait_for(self, text: str | re.Pattern[str], timeout: float = 20.0) -> str:
        """Wait until ``text`` is on the screen; the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            found = text.search(screen) if isinstance(text, re.Pattern) else text in screen
            if found:
                return screen
            if self.dead:
                break
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not on the screen within {timeout} s:\n{screen}")

    def wait_until(self, predicate, timeout: float = 20.0, what: str = "condition") -> None:  # noqa: ANN001
        """Wait until ``predicate()`` is true."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.05)
        raise AssertionError(f"{what} not met within {timeout} s:\n{self.screen()}")

    @property
    def dead(self) -> bool:
        """True once the program in the pane has exited."""
        return self.tmux("display-message", "-p", "-t", "main", "#{pane_dead}",
                         check=False).strip() == "1"

    def pane(self, variable: str) -> str:
        """A tmux format variable of the pane (``pane_title``, ``window_bell_flag``…)."""
        return self.tmux("display-message", "-p", "-t", "main", f"#{{{variable}}}").strip()

    def resize(self, width: int, height: int) -> None:
        """Resize the window, as a user resizing the terminal would."""
        self.tmux("resize-window", "-t", "main", "-x", str(width), "-y", str(height))


def app_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for the app: a TERM, a UTF-8 locale, no COLORTERM, no NO_COLOR."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "xterm-256color",
        "NEWSMARK_ANNOTATOR": "tmux-tester",
        "XDG_CONFIG_HOME": str(home / "config"),
    }
    for name in ("VIRTUAL_ENV", "PYTHONPATH"):
        if name in os.environ:
            env[name] = os.environ[name]
    env.update(extra)
    return env


@dataclass(frozen=True)
class Cell:
    """One character on the screen with its attributes."""

    char: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    reverse: bool = False
    fg: str = ""
    bg: str = ""


_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def cells(line: str) -> list[Cell]:
    """The cells of one line of ``capture-pane -e`` output."""
    state = Cell("")
    out: list[Cell] = []
    position = 0
    for match in _SGR.finditer(line + "\x1b[m"):
        for char in line[position : match.start()]:
            out.append(replace(state, char=char))
        position = match.end()
        codes = [c for c in re.split("[;:]", match.group(1))] or ["0"]
        i = 0
        while i < len(codes):
            code = int(codes[i] or 0)
            if code == 0:
                state = Cell("")
            elif code in (1, 3, 4, 7):
                state = replace(state, **{{1: "bold", 3: "italic", 4: "underline",
                                           7: "reverse"}[code]: True})
            elif code in (22, 23, 24, 27):
                state = replace(state, **{{22: "bold", 23: "italic", 24: "underline",
                                           27: "reverse"}[code]: False})
            elif code in (38, 48):
                kind = codes[i + 1] if i + 1 < len(codes) else ""
                size = 3 if kind == "5" else 5
                value = ";".join(codes[i : i + size])
                state = replace(state, **{"fg" if code == 38 else "bg": value})
                i += size - 1
            elif 30 <= code <= 37 or 90 <= code <= 97 or code == 39:
                state = replace(state, fg="" if code == 39 else str(code))
            elif 40 <= code <= 47 or 100 <= code <= 107 or code == 49:
                state = replace(state, bg="" if code == 49 else str(code))
            i += 1
    return out
