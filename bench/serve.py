"""``newsmark serve``: the stop time with pages open, and the per-key latency in a real browser.

    python bench/serve.py                    # every row, with its baseline (~2 min)
    python bench/serve.py --quick            # few runs: checks that each row works
    python bench/serve.py --markdown out.md

Rows (each with its baseline measured in the same run, interleaved where it can be):

- ``stop``: SIGTERM to the server's exit, with two pages open and their apps running (opened as
  a browser opens them: the token link, the cookie, the page's websocket; one page has just
  tagged). Baseline: textual-serve's own ``Server`` (what ``newsmark serve`` ran before) on the
  same app with one page open; it waits for the websocket's heartbeat, so it runs twice only.
- ``key-j``, ``key-tag``: in headless Chromium (Debian's, through selenium), the time from the
  websocket frame that carries the key (``j``; ``c`` then ``u``, tagging and untagging a
  sentence, written to disk each time) to the first frame of the screen's answer, both from
  Chromium's performance log (DevTools network timestamps: the browser's own clock). Baseline:
  a Textual app that redraws a counter on each key, served by the same server, the same key.

Figures go to bench/RESULTS.md by hand; nothing here talks to any address but 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from tests.serving import (  # noqa: E402
    SEEDS,
    Served,
    chromium_missing,
    frames_received,
    frames_sent,
    free_port,
    open_page,
    performance_events,
    session_apps,
    start_chromium,
    wait_for,
    websocket_ids,
)


def echo_app() -> None:
    """The key baseline: one Static that shows how many keys arrived (ignores its arguments,
    ``--annotator=`` among them)."""
    from textual import events
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static

    class Echo(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("keys: 0", id="count")
            yield Footer()

        def on_mount(self) -> None:
            self.title = "Quit"  # what open_app waits for: the first screen is drawn
            self.query_one("#count", Static).update("keys: 0  Quit")
            self.count = 0

        def on_key(self, event: events.Key) -> None:
            self.count += 1
            self.query_one("#count", Static).update(f"keys: {self.count}  Quit")

    Echo().run()


# --------------------------------------------------------------------- stop


def stop_newsmark(folder: Path) -> float:
    """Seconds from SIGTERM to exit, two pages open, one having just tagged."""
    store = folder / f"store-{time.monotonic_ns()}"
    server = Served(store)
    server.wait_started()

    async def scenario() -> float:
        pages = [await open_page(server.url + f"&annotator=bench{i}") for i in range(2)]
        for page in pages:
            assert await page.read_until("Quit", 60), page.screen[-300:]
        await pages[0].keys("\r", "c")
        assert wait_for(lambda: any(store.rglob("bench0.json")), 20)
        loop = asyncio.get_running_loop()
        stopping = loop.run_in_executor(None, server.stop)
        await asyncio.gather(*(page.read_until_closed(10) for page in pages))
        seconds, code = await stopping
        assert code == 0, server.output()
        for page in pages:
            await page.http.close()
        return seconds

    try:
        seconds = asyncio.run(scenario())
    finally:
        server.close()
    assert not session_apps(store), "an app outlived the server"
    return seconds


def stop_textual_serve(folder: Path) -> float:
    """The baseline: textual-serve's Server with one page open, SIGTERM to exit."""
    import aiohttp

    store = folder / f"store-base-{time.monotonic_ns()}"
    port = free_port()
    app = [sys.executable, "-m", "tui", "open", str(SEEDS), "--store", str(store),
           "--annotator=base"]
    code = ("import shlex, sys; from textual_serve.server import Server; "
            f"Server(shlex.join({app!r}), host='127.0.0.1', port={port}).serve()")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, cwd=folder)

    async def scenario() -> float:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/"):
                        break
                except aiohttp.ClientError:
                    await asyncio.sleep(0.1)
            websocket = await http.ws_connect(f"ws://127.0.0.1:{port}/ws?width=100&height=30")
            await websocket.send_json(["resize", {"width": 100, "height": 30}])
            drawn = ""
            while "Quit" not in drawn:
                message = await websocket.receive(timeout=60)
                drawn += message.data.decode("utf-8", "replace") if isinstance(
                    message.data, bytes) else ""
            sent = time.monotonic()
            process.send_signal(signal.SIGTERM)
            loop = asyncio.get_running_loop()
            reader = asyncio.ensure_future(websocket.receive(timeout=60))
            await loop.run_in_executor(None, process.wait, 90)
            seconds = time.monotonic() - sent
            reader.cancel()
            return seconds

    try:
        return asyncio.run(scenario())
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


# --------------------------------------------------------------------- keys in a browser


def key_latencies(driver: object, url: str, keys: list[str], setup: list[str],
                  pause: float) -> list[float]:
    """ms from each key's websocket frame to the first frame received after it."""
    from selenium.webdriver.common.by import By

    events: list[dict] = []

    def poll() -> list[dict]:
        events.extend(performance_events(driver))
        return events

    known = set(websocket_ids(poll()))
    driver.get(url)  # type: ignore[attr-defined]
    assert wait_for(lambda: set(websocket_ids(poll())) - known, 30)
    (socket_id,) = set(websocket_ids(events)) - known
    assert wait_for(lambda: "Quit" in "".join(t for _, t in frames_received(poll(), socket_id)),
                    60)
    terminal = driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")  # type: ignore
    for key in setup:
        terminal.send_keys(key)
        time.sleep(1.0)
    start = len(poll())
    for key in keys:
        terminal.send_keys(key)
        time.sleep(pause)
    time.sleep(0.5)
    window = poll()[start:]
    sent = [t for t, payload in frames_sent(window, socket_id) if payload.startswith('["stdin"')]
    received = [t for t, _ in frames_received(window, socket_id)]
    latencies = []
    for at in sent:
        after = [t for t in received if t >= at]
        if after:
            latencies.append((after[0] - at) * 1000)
    return latencies


def serve_app(folder: Path, app_argv: list[str]) -> tuple[subprocess.Popen[str], str]:
    """``NewsmarkServer`` on ``app_argv`` in its own process; the token URL."""
    port = free_port()
    code = ("import sys; from tui.serve import NewsmarkServer; "
            f"NewsmarkServer({app_argv!r}, port={port}, token='bench-token-0123', "
            "annotator='bench').serve()")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=folder, text=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    process.stderr.readline()
    return process, f"http://127.0.0.1:{port}/?token=bench-token-0123"


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} ms" if values else "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few runs: check each row works")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    args = parser.parse_args()
    runs, keys, base_runs = (2, 6, 1) if args.quick else (7, 40, 2)
    print(f"machine: {os.cpu_count()} usable cores, load {os.getloadavg()[0]:.1f} "
          f"{os.getloadavg()[1]:.1f}, Python {platform.python_version()}, Textual "
          f"{version('textual')}, textual-serve {version('textual-serve')}, aiohttp "
          f"{version('aiohttp')}")
    rows: list[tuple[str, str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="newsmark-bench-serve-") as tmp:
        folder = Path(tmp)
        stops, base_stops = [], []
        for run in range(runs):
            stops.append(stop_newsmark(folder))
            if run < base_runs:
                base_stops.append(stop_textual_serve(folder))
        ratio = statistics.median(stops) / statistics.median(base_stops)
        rows.append(("stop, 2 pages open", f"{statistics.median(stops):.2f} s "
                     f"(max {max(stops):.2f})", f"{statistics.median(base_stops):.2f} s",
                     f"{ratio:.2f}×", "≤ 2 s: " + ("yes" if max(stops) <= 2 else "**no**")))
        print(rows[-1], "runs:", [f"{s:.2f}" for s in stops])

        missing = chromium_missing()
        if missing:
            print(f"key rows skipped: {missing}")
        else:
            driver = start_chromium(folder / "profile")
            try:
                store = folder / "store-keys"
                app = [sys.executable, "-m", "tui", "open", str(SEEDS), "--store", str(store)]
                echo = [sys.executable, str(Path(__file__).resolve()), "--echo-app"]
                results: dict[str, list[float]] = {"j": [], "tag": [], "echo": []}
                for _ in range(2):  # interleaved: newsmark, baseline, newsmark, baseline
                    server, url = serve_app(folder, app)
                    try:
                        results["j"] += key_latencies(driver, url, ["j"] * keys, ["\ue007"],
                                                      0.15)
                        results["tag"] += key_latencies(driver, url, ["c", "u"] * (keys // 2),
                                                        ["\ue007"], 0.4)
                    finally:
                        server.send_signal(signal.SIGTERM)
                        server.wait(10)
                    server, url = serve_app(folder, echo)
                    try:
                        results["echo"] += key_latencies(driver, url, ["j"] * keys, [], 0.15)
                    finally:
                        server.send_signal(signal.SIGTERM)
                        server.wait(10)
            finally:
                driver.quit()
            floor = statistics.median(results["echo"])
            for name, label in (("j", "key j (browser)"), ("tag", "key c/u tag (browser)")):
                values = results[name]
                rows.append((label, f"{median_ms(values)} (p90 "
                             f"{statistics.quantiles(values, n=10)[-1]:.1f})",
                             median_ms(results["echo"]),
                             f"{statistics.median(values) / floor:.2f}×", f"n={len(values)}"))
                print(rows[-1])
    table = ["| row | median | baseline | ratio | note |", "| --- | ---: | ---: | ---: | --- |"]
    table += [f"| {' | '.join(row)} |" for row in rows]
    print("\n".join(table))
    if args.markdown:
        args.markdown.write_text("\n".join(table) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    if "--echo-app" in sys.argv:
        echo_app()
    else:
        sys.exit(main())
