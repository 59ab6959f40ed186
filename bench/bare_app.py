"""The baseline of the start-up benchmarks: a bare Textual app that shows one Static.

It reports "first screen painted" exactly as newsmark does (``NEWSMARK_BENCH_READY``: after the
first refresh, write ``perf_counter() peak_rss_kib`` to the file, then quit), so the two are
measured the same way in the same run. It also serves as the in-process baseline of the key
benchmarks (:class:`BareApp` counts the keys it receives).
"""

from __future__ import annotations

import os
import resource
import time

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One Static; counts keys."""

    def __init__(self) -> None:
        super().__init__()
        self.keys_seen = 0

    def compose(self) -> ComposeResult:
        yield Static("newsmark baseline: a bare Textual app")

    def on_mount(self) -> None:
        ready = os.environ.get("NEWSMARK_BENCH_READY")
        if ready:
            self.call_after_refresh(self._report_ready, ready)

    def on_key(self, event: events.Key) -> None:
        self.keys_seen += 1

    def _report_ready(self, path: str) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with open(path, "w", encoding="utf-8") as marker:
            marker.write(f"{time.perf_counter()!r} {peak}\n")
        self.exit()


if __name__ == "__main__":
    BareApp().run()
