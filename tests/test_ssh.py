"""A dropped SSH connection loses nothing shown as saved, and leaves no process behind.

The test starts its own ``sshd`` (OpenSSH) on 127.0.0.1 with its own host key, config and free
port, connects with ``ssh -tt`` from a tmux pane of 80×24 with ``TERM=xterm`` (16 colours),
tags two passages, kills the SSH client with SIGKILL (the connection drops; sshd hangs up the
remote terminal, the app gets SIGHUP), and checks that the app exits within a second or two,
that the store has both tags, and that no process of the session lingers. sshd is stopped by
its PID. Nothing is installed here: without ``sshd`` (Debian: ``openssh-server``) the test is
skipped with that reason.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile.tmux import TMUX, TmuxSession, app_env

from tui.corpus import load_corpus
from tui.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SSHD = shutil.which("sshd") or next(
    (p for p in ("/usr/sbin/sshd", "/usr/local/sbin/sshd") if os.access(p, os.X_OK)), None
)
SSH = shutil.which("ssh")
SSH_KEYGEN = shutil.which("ssh-keygen")

pytestmark = [
    pytest.mark.skipif(SSHD is None, reason="sshd is not installed (Debian: openssh-server)"),
    pytest.mark.skipif(SSH is None or SSH_KEYGEN is None,
                       reason="ssh or ssh-keygen is not installed (Debian: openssh-client)"),
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def app_pids(store: Path) -> set[int]:
    """Processes of the app (``python -m tui``) using ``store`` (not the tmux or ssh running
    the command line that names it)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if argv[:3] == [sys.executable, "-m", "tui"] and str(store) in argv:
            found.add(int(entry.name))
    return found


def children_of(pid: int) -> set[int]:
    """Processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


class Sshd:
    """An sshd of the test's own on 127.0.0.1:``port``, for the current user, by key only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.user = os.environ.get("USER") or subprocess.run(
            ["id", "-un"], capture_output=True, text=True, check=True).stdout.strip()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        folder = self.folder
        for name in ("host_key", "client_key"):
            subprocess.run([SSH_KEYGEN or "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                            str(folder / name)], check=True)
        (folder / "authorized_keys").write_text((folder / "client_key.pub").read_text())
        os.chmod(folder / "authorized_keys", 0o600)
        (folder / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\n"
            f"HostKey {folder / 'host_key'}\nPidFile {folder / 'sshd.pid'}\n"
            f"AuthorizedKeysFile {folder / 'authorized_keys'}\n"
            "PubkeyAuthentication yes\nPasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\n"
            "PermitRootLogin prohibit-password\nPrintMotd no\nPrintLastLog no\n"
            "ClientAliveInterval 0\nLogLevel ERROR\n"
        )
        if os.geteuid() == 0 and not Path("/run/sshd").is_dir():
            # sshd as root needs its (empty) privilege separation folder; the service makes it
            # at boot, which a container never does. Making it installs nothing.
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
        self.process = subprocess.Popen(
            [SSHD or "sshd", "-D", "-e", "-f", str(folder / "sshd_config")],
            stdout=subprocess.DEVNULL, stderr=open(folder / "sshd.log", "wb"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.skip(f"sshd did not start: {(folder / 'sshd.log').read_text()[-300:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("sshd did not listen within 10 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def ssh_argv(self, remote_command: str) -> list[str]:
        return [
            SSH or "ssh", "-tt", "-i", str(self.folder / "client_key"), "-p", str(self.port),
            "-F", "/dev/null", "-o", "StrictHostKeyChecking=no",
            "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
            "-o", "LogLevel=ERROR", f"{self.user}@127.0.0.1", remote_command,
        ]


@pytest.fixture
def sshd(tmp_path: Path) -> Iterator[Sshd]:
    folder = tmp_path / "sshd"
    folder.mkdir()
    server = Sshd(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_dropped_connection_loses_nothing_and_leaves_nothing(sshd: Sshd,
                                                              tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = load_corpus([SEEDS]).load_all()[0]
    remote_env = {"NEWSMARK_ANNOTATOR": "ssh-tester", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    if "PYTHONPATH" in os.environ:
        remote_env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    remote = shlex.join(["env", *(f"{k}={v}" for k, v in remote_env.items()),
                         sys.executable, "-m", "tui", str(SEEDS), "--store", str(store)])
    client_env = app_env(tmp_path, TERM="xterm")  # sshd passes the client's TERM on
    with TmuxSession(sshd.ssh_argv(remote), env=client_env, cwd=tmp_path) as tmux:
        screen = tmux.wait_for("q Quit", timeout=30)
        assert "C claim" in screen
        tmux.keys("Tab", "j", "1")
        tmux.wait_for("Tagged claim")
        tmux.keys("j", "j", "2")
        tmux.wait_for("Tagged threat")
        assert app_pids(store), "the app is not running on the server"
        sessions = children_of(sshd.process.pid)
        client = int(tmux.pane("pane_pid"))

        os.kill(client, signal.SIGKILL)  # the connection drops
        dropped = time.monotonic()
        while app_pids(store) and time.monotonic() - dropped < 10:
            time.sleep(0.02)
        exited_after = time.monotonic() - dropped
        assert not app_pids(store), "the app still runs 10 s after the connection dropped"
        while children_of(sshd.process.pid) & sessions and time.monotonic() - dropped < 10:
            time.sleep(0.05)
        assert not children_of(sshd.process.pid) & sessions, "an sshd session lingers"

    tags = sorted(a.tag for a in Store(store, annotator="ssh-tester").annotations(first.id))
    assert tags == ["claim", "threat"]
    assert exited_after < 1.5, f"the app took {exited_after:.2f} s to exit after SIGHUP"
    print(f"app exited {exited_after:.2f} s after the connection dropped")


def test_the_hostile_corpus_over_ssh_at_80x24(sshd: Sshd, tmp_path: Path) -> None:
    """Every hostile file, read over SSH with TERM=xterm: nothing reaches the terminal as a
    control code (no title change, clipboard write or bell in the client's tmux)."""
    from hostile import write_corpus

    corpus = tmp_path / "corpus"
    files = write_corpus(corpus)
    store = tmp_path / "store"
    remote = shlex.join(["env", "NEWSMARK_ANNOTATOR=ssh-tester", "LANG=C.UTF-8",
                         *([f"PYTHONPATH={os.environ['PYTHONPATH']}"]
                           if "PYTHONPATH" in os.environ else []),
                         sys.executable, "-m", "tui", str(corpus), "--store", str(store)])
    with TmuxSession(sshd.ssh_argv(remote), env=app_env(tmp_path, TERM="xterm"),
                     cwd=tmp_path) as tmux:
        tmux.wait_for("A very long article", timeout=40)
        readable = [f for f in files.values() if f.article_id is not None]
        for _ in readable:
            tmux.keys("Down")
            time.sleep(0.3)
        screen = tmux.wait_for("A file with a hostile name")
        assert "Escapes ␛]0;P" in screen and "[red]Sidecar[" in screen
        tmux.keys("Tab", "j", "1")
        tmux.wait_for("Tagged claim")
        assert "PWNED" not in tmux.pane("pane_title")
        assert tmux.tmux("list-buffers").strip() == ""
        assert tmux.pane("window_bell_flag") == "0"
        tmux.keys("q")
        tmux.wait_until(lambda: tmux.dead, what="the ssh session to end")
    tagged = Store(store, annotator="ssh-tester").annotations(files["name"].article_id or "")
    assert [a.tag for a in tagged] == ["claim"]
