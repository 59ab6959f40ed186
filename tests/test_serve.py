"""``newsmark serve``: the app as a web page (textual-serve), on 127.0.0.1 by default.

The server is started for real on a free port, the page fetched with a real HTTP GET, and the
app started through the page's websocket (as a browser does) until its first screen arrives;
then the server is stopped by its PID. Nothing here needs the network beyond 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tui.cli import build_parser

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

aiohttp = pytest.importorskip("aiohttp", reason="textual-serve (and aiohttp) not installed")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_defaults_to_localhost_and_says_there_is_no_authentication() -> None:
    parser = build_parser()
    args = parser.parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    serve = parser._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    assert "no authentication" in serve.format_help()


def test_serve_missing_path_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tui", "serve", "missing", "--port",
                           str(free_port())], capture_output=True, text=True, timeout=60,
                          cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "missing" in done.stderr


async def _first_screen(port: int, timeout: float = 30.0) -> str:
    """Open the page's websocket as the browser does; what the app draws until its footer."""
    received = ""
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(f"ws://127.0.0.1:{port}/ws?width=80&height=24") as ws:
            await ws.send_str(json.dumps(["resize", {"width": 80, "height": 24}]))
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and "Quit" not in received:
                try:
                    message = await ws.receive(timeout=deadline - time.monotonic())
                except asyncio.TimeoutError:
                    break
                if message.type == aiohttp.WSMsgType.BINARY:
                    received += message.data.decode("utf-8", "replace")
                elif message.type == aiohttp.WSMsgType.TEXT:
                    received += message.data
                else:
                    break
    return received


def test_serve_serves_the_page_and_the_app_starts(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", str(SEEDS), "--port", str(port),
         "--store", str(tmp_path / "store")],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        page = ""
        while time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    assert reply.status == 200
                    page = reply.read().decode()
                    break
            except OSError:
                time.sleep(0.1)
        assert f"ws://127.0.0.1:{port}/ws" in page
        with socket.socket() as probe:  # bound to 127.0.0.1 only
            probe.settimeout(1)
            outside = [a for a in socket.gethostbyname_ex(socket.gethostname())[2]
                       if not a.startswith("127.")]
            if outside:
                assert probe.connect_ex((outside[0], port)) != 0
        screen = asyncio.run(_first_screen(port))
        assert "Quit" in screen and "Articles" in screen, screen[-500:]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
