"""Helpers for the tests (and bench/serve.py) of ``newsmark serve``: a real server process on a
free port of 127.0.0.1, its app processes found in /proc, a page session opened as a browser
opens it (aiohttp), and headless Chromium from Debian's packages, driven by selenium.

Nothing here talks to any address but 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

#: Debian's chromium and chromium-driver (.ci/run installs them when missing).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


#: The tests' bound on a stop with pages open. The budget is 2 s, and bench/serve.py measures it
#: (~0.5-1 s); a test's bound only tells a prompt stop from the heartbeat wait it replaced
#: (20+ s) on a machine as loaded as CI's can be: timed tests are not benchmarks.
STOP_BOUND = 5.0


def free_port() -> int:
    """A TCP port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def session_apps(store: Path) -> set[int]:
    """PIDs of the apps (``python -m tui open``) the server started on ``store``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if argv[1:4] == ["-m", "tui", "open"] and str(store) in argv:
            found.add(int(entry.name))
    return found


class Served:
    """``python -m tui serve`` as a real process; ``url`` is the start line's URL."""

    def __init__(self, store: Path, *args: str, corpus: Path = SEEDS,
                 env: dict[str, str] | None = None, cwd: Path | None = None) -> None:
        self.store = store
        self.port = free_port()
        environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        environment.update(env or {})
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", str(corpus), "--port", str(self.port),
             "--store", str(store), *args],
            cwd=cwd or store.parent, env=environment, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.lines: list[str] = []
        self._started = threading.Event()
        self._readers = [threading.Thread(target=self._read, args=(stream,), daemon=True)
                         for stream in (self.process.stdout, self.process.stderr)]
        for reader in self._readers:
            reader.start()
        self.url = ""

    def _read(self, stream: Any) -> None:
        for line in stream:
            self.lines.append(line.rstrip("\n"))
            if "http://" in line:
                self._started.set()
        self._started.set()

    def wait_started(self, timeout: float = 30.0) -> str:
        """The start line's URL, once the server listens."""
        self._started.wait(timeout)
        found = re.search(r"http://\S+", "\n".join(self.lines))
        assert found and self.process.poll() is None, "\n".join(self.lines)
        self.url = found.group(0).replace(f"http://{socket.gethostname()}:",
                                          "http://127.0.0.1:")
        return self.url

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT/``."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def token(self) -> str:
        """The token in the start line's URL."""
        found = re.search(r"token=([^&\s]+)", self.url)
        assert found, self.url
        return found.group(1)

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        return "\n".join(self.lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20.0) -> tuple[float, int]:
        """Send ``sig``; how long the server took to exit, and its exit code."""
        sent = time.monotonic()
        self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(5)
        seconds = time.monotonic() - sent
        for reader in self._readers:
            reader.join(5)
        return seconds, code

    def close(self) -> None:
        """Stop it if it still runs (a test's cleanup)."""
        if self.process.poll() is None:
            self.stop()


@contextmanager
def served(store: Path, *args: str, **kwargs: Any) -> Iterator[Served]:
    """A started server; stopped afterwards if the test did not stop it."""
    server = Served(store, *args, **kwargs)
    try:
        server.wait_started()
        yield server
    finally:
        server.close()


# --------------------------------------------------------------------- as a browser, in Python


class PageSession:
    """One page's session as the browser opens it: the page (with the cookie its token link
    set) and its websocket; ``screen`` collects what the app draws."""

    def __init__(self, http: Any, websocket: Any, ticket: str) -> None:
        self.http = http
        self.websocket = websocket
        self.ticket = ticket
        self.screen = ""
        self.close_code: int | None = None

    async def read_until(self, text: str, timeout: float = 30.0) -> bool:
        """Read the app's output until ``text`` has been drawn; False on timeout or close."""
        import aiohttp

        deadline = time.monotonic() + timeout
        while text not in _plain(self.screen):
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                message = await self.websocket.receive(timeout=left)
            except asyncio.TimeoutError:
                return False
            if message.type == aiohttp.WSMsgType.BINARY:
                self.screen += message.data.decode("utf-8", "replace")
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                  aiohttp.WSMsgType.CLOSING):
                self.close_code = self.websocket.close_code
                return False
        return True

    async def read_until_closed(self, timeout: float = 10.0) -> int | None:
        """Read until the server closes the websocket; its close code."""
        await self.read_until("\0never drawn\0", timeout)
        return self.close_code

    async def keys(self, *keys: str, pause: float = 0.3) -> None:
        """Type ``keys`` as xterm.js sends them."""
        for key in keys:
            await self.websocket.send_str(json.dumps(["stdin", key]))
            await asyncio.sleep(pause)

    async def close(self) -> None:
        """Close the page."""
        await self.websocket.close()
        await self.http.close()


async def open_page(url: str, *, width: int = 100, height: int = 30) -> PageSession:
    """Open ``url`` (the start line's, plus any ``&annotator=``) as a browser: follow the
    redirect, keep the cookie, read the page's ticket, open its websocket, send the size."""
    import aiohttp

    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    async with http.get(url) as reply:
        page = await reply.text()
        assert reply.status == 200, page
    ticket = re.search(r'new URL\("ws/([A-Za-z0-9_-]+)"', page)
    assert ticket, page[:500]
    base = str(reply.url).split("?")[0].replace("http://", "ws://")
    websocket = await http.ws_connect(f"{base}ws/{ticket.group(1)}?width={width}&height={height}")
    await websocket.send_str(json.dumps(["resize", {"width": width, "height": height}]))
    return PageSession(http, websocket, ticket.group(1))


_ESCAPES = re.compile(r"\x1b(\[[0-9;?$ ]*[A-Za-z@~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][A-Z0-9]|.)")


def _plain(screen: str) -> str:
    """The text the app drew, without its escape sequences."""
    return _ESCAPES.sub("", screen)


def plain(screen: str) -> str:
    """The text of a terminal stream, escape sequences removed."""
    return _plain(screen)


# --------------------------------------------------------------------- a real browser


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if CHROMIUM is None or CHROMEDRIVER is None:
        return "Chromium is not installed (Debian: chromium and chromium-driver; .ci/run " \
            "installs them when it can)"
    return None


def start_chromium(profile: Path, *, width: int = 1200, height: int = 800) -> Any:
    """Headless Chromium driven by Debian's chromedriver, with the performance log (every
    request, every websocket frame) on. Selenium is given the driver's path, so it never looks
    for (or downloads) one."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--disable-gpu", "--enable-unsafe-swiftshader", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-default-apps", "--disable-extensions",
                     f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def performance_events(driver: Any) -> list[dict[str, Any]]:
    """The DevTools events logged since the last call: ``{"method", "params"}`` each."""
    return [json.loads(entry["message"])["message"] for entry in driver.get_log("performance")]


def wait_for(condition: Any, timeout: float = 30.0, step: float = 0.05) -> bool:
    """Poll ``condition()`` until it is true or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return bool(condition())


def requested_urls(events: Sequence[dict[str, Any]]) -> list[str]:
    """Every URL the page asked for (documents, scripts, styles, fonts, websockets)."""
    urls = []
    for event in events:
        if event["method"] == "Network.requestWillBeSent":
            urls.append(event["params"]["request"]["url"])
        elif event["method"] == "Network.webSocketCreated":
            urls.append(event["params"]["url"])
    return urls


def frames_received(events: Sequence[dict[str, Any]], request_id: str) -> list[tuple[float, str]]:
    """(timestamp in s, text drawn) of each frame that the websocket ``request_id`` received."""
    import base64

    out = []
    for event in events:
        params = event["params"]
        if event["method"] == "Network.webSocketFrameReceived" and \
                params["requestId"] == request_id and params["response"]["opcode"] == 2:
            data = base64.b64decode(params["response"]["payloadData"])
            out.append((params["timestamp"], plain(data.decode("utf-8", "replace"))))
    return out


def frames_sent(events: Sequence[dict[str, Any]], request_id: str) -> list[tuple[float, str]]:
    """(timestamp in s, JSON text) of each frame that the websocket ``request_id`` sent."""
    return [(e["params"]["timestamp"], e["params"]["response"]["payloadData"]) for e in events
            if e["method"] == "Network.webSocketFrameSent"
            and e["params"]["requestId"] == request_id]


def websocket_ids(events: Sequence[dict[str, Any]]) -> list[str]:
    """The request ids of the websockets the pages opened, in order."""
    return [e["params"]["requestId"] for e in events if e["method"] == "Network.webSocketCreated"]
