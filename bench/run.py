"""newsmark's benchmark suite: every row of the performance budget, with its baseline, in one run.

    python bench/run.py                 # everything (builds bench/data/ first; a few minutes)
    python bench/run.py --quick         # tiny sizes, few samples: checks that each one works
    python bench/run.py --only startup,scroll --markdown out.md

Each benchmark measures its baseline in the same run (interleaved with it, so a busy machine
slows both alike) and prints the medians, the ratio and the budget. See bench/README.md for what
is measured and how.

- Start-up is timed as whole processes: the real ``python -m tui`` under Textual's headless
  driver (``TEXTUAL_DRIVER``), which writes ``perf_counter()`` to the file named by
  ``NEWSMARK_BENCH_READY`` once its first screen is painted (``call_after_refresh`` from
  ``on_mount``) and quits. ``perf_counter`` is ``CLOCK_MONOTONIC`` on Linux, the same clock in
  every process, so "ready" minus the parent's reading before spawning is the whole start-up:
  interpreter, imports, corpus, store, first paint. ``bench/bare_app.py`` reports the same way.
- Keys are timed in process, under ``App.run_test`` (Pilot). ``pilot.press`` itself sleeps at
  least 2 × 20 ms per key (``wait_for_idle``), so it cannot time a 16 ms budget; we send the key
  exactly as it does (a ``Key`` event through the driver), yield to the event loop until the
  app has handled it (a condition per benchmark: the selection moved, the tag is in the
  reader and the store...), then paint the pending screen update (``Screen._on_timer_update``,
  what the refresh timer calls). ``perf_counter`` around all that is "key → handled →
  repainted". The bare app handling the same key is the baseline: the floor of Textual's own
  key handling and of this method.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
from bare_app import BareApp  # noqa: E402

HEADLESS = "textual.drivers.headless_driver:HeadlessDriver"
SIZE = (120, 40)


@dataclass
class Row:
    """One line of the results table."""

    name: str
    what: str
    value: float
    unit: str
    baseline: float | None
    baseline_what: str
    budget: str
    met: bool | None
    samples: int
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.3f} s" if value < 1 else f"{value:.2f} s"
    return f"{value:.0f} {unit}"


@dataclass
class Settings:
    quick: bool
    data: generate.Data
    tmp: Path
    runs: int  # whole-process runs per variant
    scroll_keys: int  # ↓ presses in the list (200)
    cursor_keys: int  # j presses at each place in the long article (500)
    annotations: int  # annotations in the export store (100 000)


# ------------------------------------------------------------------ machine


def machine() -> str:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 0
    try:
        load = "load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    except OSError:  # pragma: no cover - not Unix
        load = "load average unknown"
    return (
        f"{usable} usable cores ({os.cpu_count()} on the machine, {load}), "
        f"{platform.machine()}, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; "
        f"Textual {version('textual')}, Rich {version('rich')}, TinyDB {version('tinydb')}"
    )


# ------------------------------------------------------------------ whole processes


def _env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        TEXTUAL_DRIVER=HEADLESS, XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"), XDG_STATE_HOME=str(tmp / "xdg-state"),
        NEWSMARK_ANNOTATOR="bench",
        PYTHONDONTWRITEBYTECODE="1",
        # One terminal size, as a terminal reports: with no terminal and no LINES, Rich takes
        # 80×25 and the headless driver 80×24, and an app lays out again for each.
        COLUMNS="80", LINES="24",
    )
    env.pop("NEWSMARK_STORE", None)
    return env


#: CPU seconds (user + system) of each start-up measured, by command: a busy machine stretches
#: the wall-clock figures more than these (printed beside them).
CPU_SECONDS: dict[str, list[float]] = {}


def start_up(command: list[str], tmp: Path, cache: Path | None = None,
             key: str | None = None) -> tuple[float, float]:
    """Seconds from spawning ``command`` to its first screen, and its peak RSS then (MB).
    The process's CPU time (to its exit, just after its first screen) goes to CPU_SECONDS
    (under ``key``, by default the command). ``cache``: its user cache folder, if not the
    runs' common one."""
    import resource

    marker = tmp / "ready"
    marker.unlink(missing_ok=True)
    env = _env(tmp)
    env["NEWSMARK_BENCH_READY"] = str(marker)
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=tmp, capture_output=True, timeout=300)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0 or not marker.is_file():
        raise RuntimeError(f"{command} failed ({done.returncode}): {done.stderr[-2000:]!r}")
    CPU_SECONDS.setdefault(key or " ".join(command), []).append(
        after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    ready, peak_kib = marker.read_text().split()
    return float(ready) - began, int(peak_kib) / 1024


def _cpu(command: list[str] | str, samples: int) -> float:
    """The median CPU seconds of the last ``samples`` start-ups of ``command`` (or key)."""
    key = command if isinstance(command, str) else " ".join(command)
    return statistics.median(CPU_SECONDS[key][-samples:])


def whole(command: list[str], tmp: Path) -> float:
    """Seconds the process ``command`` takes, start to exit."""
    began = time.perf_counter()
    done = subprocess.run(command, env=_env(tmp), cwd=tmp, capture_output=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{command} failed ({done.returncode}): {done.stderr[-2000:]!r}")
    return time.perf_counter() - began


def newsmark(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "tui", *map(str, args)]


BARE = [sys.executable, str(BENCH / "bare_app.py")]


def clear_caches(store: Path, tmp: Path) -> None:
    """Forget every corpus cache newsmark may keep (first launch)."""
    shutil.rmtree(store / ".cache", ignore_errors=True)
    shutil.rmtree(tmp / "xdg-cache", ignore_errors=True)


def compile_bytecode() -> None:
    """Write newsmark's bytecode before start-up is timed, as installing it does: pip compiles
    an installed package's modules (Textual's, the baseline's, are read as bytecode), and an
    editable install writes them at its first run unless ``PYTHONDONTWRITEBYTECODE`` is set,
    as it is for the runs here (``_env``) and on some machines. Without this every launch
    would compile newsmark's ~40 modules again (0.1-0.2 s), which no installed copy does."""
    import compileall

    compileall.compile_dir(ROOT / "tui", quiet=1)


def bench_startup(s: Settings) -> list[Row]:
    compile_bytecode()
    seeds_store = s.tmp / "seeds-store"
    seeds = newsmark(ROOT / "seeds", "--store", seeds_store)
    news = newsmark(s.data.news, "--store", s.data.news_store)
    # The seeds keep a cache folder of their own: the 10 000 articles' first launches clear
    # theirs, and the seeds' row is their usual launch (the cache from the launch before).
    # Their very first launch (no cache) is a row of its own.
    seeds_cache = s.tmp / "xdg-cache-seeds"
    bare_t, seeds_t, seeds_first_t, first_t, second_t = [], [], [], [], []
    seeds_rss, second_rss = [], []
    if not s.quick:
        start_up(seeds, s.tmp, seeds_cache)  # warm the OS file cache for every variant alike
        start_up(BARE, s.tmp)
    for _ in range(s.runs):
        bare_t.append(start_up(BARE, s.tmp)[0])
        seconds, rss = start_up(seeds, s.tmp, seeds_cache)
        seeds_t.append(seconds)
        seeds_rss.append(rss)
        shutil.rmtree(s.tmp / "xdg-cache-seeds-first", ignore_errors=True)
        seeds_first_t.append(start_up(seeds, s.tmp, s.tmp / "xdg-cache-seeds-first",
                                      key="seeds-first")[0])
        clear_caches(s.data.news_store, s.tmp)
        first_t.append(start_up(news, s.tmp)[0])
        # The first launch quits at its first screen, before its worker has read the titles
        # into the cache; `newsmark list` reads them into the same cache, as a first session
        # left open a few seconds would.
        whole(newsmark("list", "--corpus", s.data.news, "--store", s.data.news_store), s.tmp)
        seconds, rss = start_up(news, s.tmp)
        second_t.append(seconds)
        second_rss.append(rss)
    bare, seed, seed_first, first, second = map(
        statistics.median, (bare_t, seeds_t, seeds_first_t, first_t, second_t))
    n = s.runs
    count = sum(1 for _ in s.data.news.glob("*.txt"))
    cpu_bare, cpu_seeds, cpu_seeds_first = _cpu(BARE, n), _cpu(seeds, n), _cpu("seeds-first", n)
    launches = CPU_SECONDS[" ".join(news)][-2 * n:]  # first, second, first, second...
    cpu_first, cpu_second = statistics.median(launches[::2]), statistics.median(launches[1::2])
    rows = [
        Row("startup", "start-up to first screen, seeds", seed, "s", bare,
            "bare Textual app, one Static", "≤ 1.5× the bare app", seed <= 1.5 * bare, n),
        Row("startup-seeds-first", "the same, the seeds' first launch (no cache)", seed_first,
            "s", bare, "bare Textual app, one Static", "(none)", None, n),
        Row("startup-large", f"start-up on {count:,} articles, first launch", first, "s", seed,
            "seeds start-up", "≤ 2 s", first <= 2.0, n),
        Row("startup-large-cached", f"start-up on {count:,} articles, second launch", second,
            "s", seed, "seeds start-up", "≤ 1.5× the seeds", second <= 1.5 * seed, n),
        Row("memory", f"peak RSS, {count:,} articles in the list", statistics.median(second_rss),
            "MB", statistics.median(seeds_rss), "seeds", "≤ 300 MB",
            statistics.median(second_rss) <= 300, n),
    ]
    for row, cpu, base in zip(rows, (cpu_seeds, cpu_seeds_first, cpu_first, cpu_second),
                              (cpu_bare, cpu_bare, cpu_seeds, cpu_seeds)):
        row.notes.append(f"CPU {cpu:.3f} s vs {base:.3f} s, {cpu / base:.2f}×")
    return rows


EXPORT_FORMATS = ("json", "jsonl", "csv", "w3c", "doccano", "labelstudio", "brat")


def bench_export(s: Settings) -> list[Row]:
    rows = []
    corpus, store = s.data.export, s.data.export_store
    total = s.annotations
    seeds_store = s.tmp / "seeds-store"
    for name in EXPORT_FORMATS:
        out = s.tmp / f"export-{name}"
        base_out = s.tmp / f"export-seeds-{name}"
        ours, base = [], []
        for _ in range(s.runs):
            for target in (out, base_out):
                if target.is_dir():
                    shutil.rmtree(target)
                target.unlink(missing_ok=True)
            ours.append(whole(newsmark("export", "--format", name, "--corpus", corpus,
                                       "--store", store, "-o", out), s.tmp))
            base.append(whole(newsmark("export", "--format", name, "--corpus", ROOT / "seeds",
                                       "--store", seeds_store, "-o", base_out), s.tmp))
        value, baseline = statistics.median(ours), statistics.median(base)
        budgeted = name in ("json", "jsonl", "csv")
        rows.append(Row(f"export-{name}", f"export {total:,} annotations, {name}", value, "s",
                        baseline, "export of the seeds (no annotations)",
                        "≤ 2 s" if budgeted else "(none)",
                        value <= 2.0 if budgeted else None, s.runs))
    return rows


# ------------------------------------------------------------------ keys, in process


async def timed_key(pilot, key: str, done: Callable[[], bool]) -> float:
    """Seconds from sending ``key`` to the app having handled it (``done()`` is true) and
    repainted the screen.

    The key goes in as Pilot sends it (a ``Key`` event through the driver). Waiting is a bare
    ``asyncio.sleep(0)`` loop, not Pilot's ``_wait_for_screen`` (which schedules a callback on
    every widget of the screen, and so would time Textual's test helper more than the app).
    Messages the key leaves queued after ``done()`` are handled before the next key is timed.
    """
    from textual import events

    app = pilot.app
    char = key if len(key) == 1 else None
    began = time.perf_counter()
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)
    while not done():
        await asyncio.sleep(0)
        if time.perf_counter() - began > 60:
            raise TimeoutError(f"the app did not handle {key!r} within a minute")
    app.screen._on_timer_update()
    took = time.perf_counter() - began
    await pilot._wait_for_screen()  # settle (untimed) before the next key
    return took


async def bare_keys(key: str, count: int) -> list[float]:
    """The baseline: ``count`` presses of ``key`` in the bare app."""
    app = BareApp()
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(count):
            seen = app.keys_seen
            times.append(await timed_key(pilot, key, lambda seen=seen: app.keys_seen > seen))
    return times


#: Whether the apps show suggestions (the default, as ``[suggest] show``); ``--no-suggest``
#: runs the rows as they ran before there were suggestions in the reader.
SUGGEST = True


def make_app(corpus_paths: list[Path], store_root: Path):
    from tui.app import NewsmarkApp
    from tui.config import Config, SuggestSettings
    from tui.corpus import CorpusCache, load_corpus
    from tui.store import Store

    # As the command line opens it: with the metadata cache (XDG_CACHE_HOME is the run's).
    corpus = load_corpus(corpus_paths, cache=CorpusCache.for_corpus(corpus_paths))
    return NewsmarkApp(corpus, Store(store_root, annotator="bench"),
                       config=Config(suggest=SuggestSettings(show=SUGGEST)), annotator="bench")


def key_row(name: str, what: str, times: list[float], base: list[float], budget_ms: float,
            notes: list[str] | None = None) -> Row:
    value, baseline = statistics.median(times) * 1000, statistics.median(base) * 1000
    row = Row(name, what, value, "ms", baseline, "bare app, same key", f"≤ {budget_ms:g} ms",
              value <= budget_ms, len(times), notes or [])
    row.notes.append(f"p90 {statistics.quantiles(times, n=10)[-1] * 1000:.1f} ms, "
                     f"max {max(times) * 1000:.1f} ms")
    return row


async def bench_scroll(s: Settings) -> list[Row]:
    from tui.widgets.article_list import ArticleList

    count = s.scroll_keys
    app = make_app([s.data.news], s.data.news_store)
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.query_one(ArticleList)
        articles.focus()
        await pilot.pause()
        total = articles.row_count
        for _ in range(count):
            row = articles.highlighted_row or 0
            times.append(await timed_key(
                pilot, "down", lambda row=row: (articles.highlighted_row or 0) > row
                and app.session.article is not None
                and app.session.article.id == articles.highlighted))
    base = await bare_keys("down", count)
    return [key_row("scroll", f"↓ × {count} in the list of {total:,} articles "
                    "(each previews its article)", times, base, 16)]


async def _open_big(pilot, app) -> None:
    """Highlight the long article (third row) and open it; the reader has the focus."""
    from tui.widgets.reader import Reader

    await pilot.press("down", "down", "enter")
    await pilot.pause()
    reader = app.query_one(Reader)
    while reader.article is None or len(reader.sentences) == 0:
        await pilot.pause()


async def bench_open(s: Settings) -> list[Row]:
    """↓ onto the 1 MB article (highlighting previews it) then enter, against a seed article."""
    from tui.widgets.article_list import ArticleList
    from tui.widgets.reader import Reader

    app = make_app([s.data.big], s.tmp / "empty-store")
    big, seed = [], []
    first = None
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.query_one(ArticleList)
        reader = app.query_one(Reader)
        ids = [a.id for a in articles.visible_articles()]
        assert ids[2] == s.data.big_id, ids
        await pilot.press("down")  # on the second seed
        await pilot.pause()
        for _ in range(3 if s.quick else 7):
            articles.focus()
            await pilot.pause()

            def shown(target: str) -> Callable[[], bool]:
                return lambda: reader.article is not None and reader.article.id == target

            took = await timed_key(pilot, "down", shown(s.data.big_id))
            took += await timed_key(pilot, "enter", lambda: reader.has_focus)
            if first is None:
                first = took
            big.append(took)
            articles.focus()
            await pilot.pause()
            took = await timed_key(pilot, "up", shown(ids[1]))
            took += await timed_key(pilot, "enter", lambda: reader.has_focus)
            seed.append(took)
    value, baseline = statistics.median(big) * 1000, statistics.median(seed) * 1000
    size = (s.data.big / f"{s.data.big_id}.txt").stat().st_size
    worst = max(big) * 1000
    return [Row("open", f"open an article of {size / 1e6:.2f} MB (↓ previews it, enter)",
                value, "ms", baseline, "opening a seed article (4 KB), same keys",
                "≤ 250 ms", worst <= 250, len(big),
                [f"first open {first * 1000:.0f} ms, worst {worst:.0f} ms"])]


async def bench_cursor(s: Settings) -> list[Row]:
    from tui.widgets.reader import Reader

    count = s.cursor_keys
    app = make_app([s.data.big], s.tmp / "empty-store")
    rows_times: dict[str, list[float]] = {}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_big(pilot, app)
        reader = app.query_one(Reader)
        total = len(reader.sentences)
        for where, start in (("start", 0), ("middle", total // 2),
                             ("end", max(0, total - count - 1))):
            reader._move_to_sentence(start)
            await pilot.pause()
            times = []
            for _ in range(count):
                before = reader.selection
                times.append(await timed_key(
                    pilot, "j", lambda before=before: reader.selection != before))
            rows_times[where] = times
    base = await bare_keys("j", count)
    every = [t for times in rows_times.values() for t in times]
    notes = [f"{where}: median {statistics.median(t) * 1000:.2f} ms"
             for where, t in rows_times.items()]
    return [key_row("cursor", f"j × {count} at the start, middle and end of the 1 MB article "
                    f"({total:,} sentences)", every, base, 16, notes)]


async def _tag_times(app, pilot, positions: list[int], store_root: Path) -> list[float]:
    """Tag (``1``) and untag (``1`` again) the sentence at each position; time each key."""
    from tui.store import Store
    from tui.widgets.reader import Reader

    reader = app.query_one(Reader)
    store = Store(store_root, annotator="bench")
    times = []
    for index in positions:
        reader._move_to_sentence(index)
        await pilot.pause()
        for _ in range(2):
            article_id = reader.article.id
            before = len(reader.annotations)
            on_disk = len(store.annotations(article_id))

            def done(before: int = before) -> bool:
                return len(reader.annotations) != before

            times.append(await timed_key(pilot, "1", done))
            assert len(store.annotations(article_id)) != on_disk
    return times


async def bench_tag_big(s: Settings) -> list[Row]:
    from tui.widgets.reader import Reader

    store = s.tmp / "big-store"
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(s.data.big_store, store)
    samples = 8 if s.quick else 30
    app = make_app([s.data.big], store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_big(pilot, app)
        reader = app.query_one(Reader)
        held = len(reader.annotations)
        total = len(reader.sentences)
        step = max(1, total // samples)
        times = await _tag_times(app, pilot, list(range(1, total, step))[:samples], store)
    base = await _seed_tag_times(s, samples)
    value, baseline = statistics.median(times) * 1000, statistics.median(base) * 1000
    return [Row("tag-big", f"tag in the 1 MB article holding {held:,} annotations "
                "(key → on disk → repainted)", value, "ms", baseline,
                "tag in a seed article, empty store", "≤ 25 ms", value <= 25, len(times))]


async def _seed_tag_times(s: Settings, samples: int) -> list[float]:
    store = s.tmp / "seed-tag-store"
    shutil.rmtree(store, ignore_errors=True)
    app = make_app([ROOT / "seeds"], store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        from tui.widgets.reader import Reader

        total = len(app.query_one(Reader).sentences)
        positions = [(i * 7) % total for i in range(samples)]
        return await _tag_times(app, pilot, positions, store)


async def bench_tag_store(s: Settings) -> list[Row]:
    from tui.widgets.reader import Reader

    store = s.tmp / "export-store-copy"
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(s.data.export_store, store)
    samples = 8 if s.quick else 30
    app = make_app([s.data.export], store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        reader = app.query_one(Reader)
        total = len(reader.sentences)
        times = await _tag_times(app, pilot, [(i * 3) % total for i in range(samples)], store)
    base = await _seed_tag_times(s, samples)
    value, baseline = statistics.median(times) * 1000, statistics.median(base) * 1000
    return [Row("tag-store", f"tag with {s.annotations:,} annotations in the store "
                "(key → on disk → repainted)", value, "ms", baseline,
                "tag in a seed article, empty store", "≤ 25 ms", value <= 25, len(times))]


def _listed(count: int) -> list:
    """``count`` article infos with the seeds' titles and outlets (numbered), as listed."""
    from tui.corpus import ArticleInfo, load_corpus

    seeds = load_corpus([ROOT / "seeds"]).infos
    return [
        ArticleInfo(f"{n:05d}", Path(f"/corpus/{n:05d}.txt"),
                    f"{seeds[n % len(seeds)].title} ({n})", seeds[n % len(seeds)].outlet,
                    f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}")
        for n in range(count)
    ]


async def bench_lists(s: Settings) -> list[Row]:
    """The article list (a RowList) against a DataTable of the same rows in one app, and
    against itself holding 10 rows: setting every row until the first screen of them is
    painted, and one ↓ (key → moved → painted)."""
    from rich.text import Text
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from tui.config import Config
    from tui.layout import display_text
    from tui.styles import Looks
    from tui.widgets.article_list import ArticleList

    count = 500 if s.quick else 10_000
    listed, few = _listed(count), _listed(10)
    tags = Config().tags
    counts = {info.id: {tags[n % len(tags)].name: n % 7}
              for n, info in enumerate(listed) if n % 10 == 0}

    def table_rows() -> list[list[Text]]:
        # What the DataTable list showed: a Text per cell, made for every row when set.
        return [
            [Text(display_text(info.title)), Text(display_text(info.outlet or "—")),
             Text(info.date or "—"),
             *(Text(str(counts.get(info.id, {}).get(tag.name, 0) or "·"), justify="right")
               for tag in tags)]
            for info in listed
        ]

    class Painted:
        """Counts the lines a widget draws (to time "set" to "painted")."""

        drawn = 0

        def render_line(self, y: int):  # noqa: ANN201 - as the widget's
            self.drawn += 1
            return super().render_line(y)  # type: ignore[misc]

    class List(Painted, ArticleList):
        pass

    class Table(Painted, DataTable):
        pass

    class Lists(App[None]):
        # The lists show 10 rows: 10 articles fill one as 10 000 do, so the two paint alike.
        CSS = "List { height: 11; } Table { height: 1fr; }"

        def compose(self) -> ComposeResult:
            yield List(Looks(tags), id="many")
            yield List(Looks(tags), id="few")
            yield Table(cursor_type="row")

    app = Lists()

    async def painted(widget: Painted) -> None:
        """Let the app run (and paint, as its refresh timer would) until ``widget`` drew."""
        widget.drawn = 0
        while not widget.drawn:
            app.screen._on_timer_update()
            await asyncio.sleep(0)

    ours_set: list[tuple[float, float, float]] = []
    few_set: list[tuple[float, float, float]] = []
    table_set: list[tuple[float, float, float]] = []
    ours_move, few_move, table_move = [], [], []
    async with app.run_test(size=SIZE) as pilot:
        articles, table = app.query_one("#many", List), app.query_one(Table)
        table.add_column("Title", width=60)
        table.add_column("Outlet", width=12)
        table.add_column("Date", width=10)
        for tag in tags:
            table.add_column(tag.marker, width=3)
        await pilot.pause()

        async def set_articles(infos: list) -> tuple[float, float, float]:
            """Seconds from setting ``infos`` to their first screen painted, the process's
            CPU seconds over the same, and the CPU seconds of the call alone."""
            articles.set_articles([], {})
            await pilot.pause()
            began, cpu = time.perf_counter(), time.process_time()
            articles.set_articles(infos, counts)
            call = time.process_time() - cpu
            await painted(articles)
            took = (time.perf_counter() - began, time.process_time() - cpu, call)
            await pilot.pause()
            return took

        await set_articles(few)  # warm up (untimed): the first paint of a list costs more
        for _ in range(3 if s.quick else 7):
            few_set.append(await set_articles(few))
            ours_set.append(await set_articles(listed))
            table.clear()
            await pilot.pause()
            began, cpu = time.perf_counter(), time.process_time()
            table.add_rows(table_rows())
            while table.virtual_size.height < count:  # DataTable measures when idle
                await asyncio.sleep(0)
            await painted(table)
            table_set.append((time.perf_counter() - began, time.process_time() - cpu, 0.0))
            await pilot.pause()
        moves = 9 if s.quick else 36

        async def down(widget, row: Callable[[], int], times: list[float]) -> None:
            before = row()
            times.append(await timed_key(pilot, "down", lambda: row() > before))

        # ↓ from the top row of a screen (the list shows 10 rows: 9 moves, none scrolls): in
        # the middle of 10 000 rows, in the DataTable, in 10 rows, round after round.
        small = app.query_one("#few", List)
        small.set_articles(few, {})
        middle = count // 2
        for start in range(middle, middle + moves, 9):
            articles.highlight(listed[start + 9].id)
            articles.highlight(listed[start].id)  # now the top row on screen
            articles.focus()
            await pilot.pause()
            for _ in range(9):
                await down(articles, lambda: articles.highlighted_row or 0, ours_move)
            table.move_cursor(row=start, animate=False)
            table.focus()
            await pilot.pause()
            for _ in range(9):
                await down(table, lambda: table.cursor_row, table_move)
            small.action_first()
            small.focus()
            await pilot.pause()
            for _ in range(9):
                await down(small, lambda: small.highlighted_row or 0, few_move)
    ms = statistics.median

    def part(samples: list[tuple[float, float, float]], which: int) -> float:
        return ms(sample[which] for sample in samples) * 1000

    set_value, move_value = part(ours_set, 0), ms(ours_move) * 1000
    set_few, move_few = part(few_set, 0), ms(few_move) * 1000
    what_set = f"set {count:,} articles in the list, to its first screen painted"
    what_move = f"↓ in the list of {count:,} (key → moved → painted)"
    set_notes = [f"CPU {part(ours_set, 1):.1f} ms, of which the call {part(ours_set, 2):.2f} "
                 f"ms; DataTable CPU {part(table_set, 1):.0f} ms; 10 articles: CPU "
                 f"{part(few_set, 1):.1f} ms"]
    return [
        Row("list-set", what_set, set_value, "ms", part(table_set, 0),
            "DataTable.add_rows of the same rows, measured and painted", "≤ 16 ms",
            set_value <= 16, len(ours_set), set_notes),
        Row("list-set-10", what_set, set_value, "ms", set_few, "the same list set with 10 "
            "articles", "≤ 1.5× (as fast as 10)", set_value <= 1.5 * set_few, len(ours_set)),
        Row("list-move", what_move, move_value, "ms", ms(table_move) * 1000,
            "DataTable ↓, same rows", "≤ 16 ms", move_value <= 16, len(ours_move),
            [f"p90 {statistics.quantiles(ours_move, n=10)[-1] * 1000:.2f} ms"]),
        Row("list-move-10", what_move, move_value, "ms", move_few, "↓ in the same list of 10",
            "≤ 1.5× (as fast as 10)", move_value <= 1.5 * move_few, len(ours_move)),
    ]


# ------------------------------------------------------------------ the run

async def _suggestions_in(pilot, app) -> float:
    """Wait until the open article's suggestions are in; seconds waited."""
    began = time.perf_counter()
    while not app.session.suggestions_ready:
        await asyncio.sleep(0.01)
        if time.perf_counter() - began > 600:
            raise TimeoutError("no suggestions within ten minutes")
    await pilot._wait_for_screen()
    return time.perf_counter() - began


async def bench_suggest_keys(s: Settings) -> list[Row]:
    """The reader's keys in the 1 MB article with its suggestions shown against the same keys
    with them hidden (``S``), in one app, round after round (issue 15: "no change to the
    reader's per-key figures while suggestions are shown")."""
    from tui.widgets.reader import Reader

    store = s.tmp / "suggest-store"
    shutil.rmtree(store, ignore_errors=True)
    app = make_app([s.data.big], store)
    count = s.cursor_keys // 5
    rounds = 2 if s.quick else 5
    cursor: dict[bool, list[float]] = {True: [], False: []}
    tagging: dict[bool, list[float]] = {True: [], False: []}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _open_big(pilot, app)
        if not app.session.suggesting:
            await pilot.press("S")
        waited = await _suggestions_in(pilot, app)
        reader = app.query_one(Reader)
        shown = len(app.session.suggestions)
        total = len(reader.sentences)
        for number in range(rounds):
            for on in (True, False):
                if app.session.suggesting != on:
                    await pilot.press("S")
                    await _suggestions_in(pilot, app)
                assert bool(reader.suggestions) == on
                reader._move_to_sentence((number * total) // rounds)
                await pilot.pause()
                for _ in range(count):
                    before = reader.selection
                    cursor[on].append(await timed_key(
                        pilot, "j", lambda before=before: reader.selection != before))
                positions = [(number * 97 + i * 13) % total for i in range(4 if s.quick else 8)]
                tagging[on] += await _tag_times(app, pilot, positions, store)
    rows = []
    for name, what, times in (("suggest-cursor", f"j × {count * rounds}", cursor),
                              ("suggest-tag", "tag/untag (1)", tagging)):
        value, baseline = (statistics.median(times[True]) * 1000,
                           statistics.median(times[False]) * 1000)
        rows.append(Row(name, f"{what} in the 1 MB article ({total:,} sentences) with its "
                    f"{shown:,} suggestions shown", value, "ms", baseline,
                    "the same keys, suggestions hidden (S)", "ratio ≤ 1.1",
                    value <= baseline * 1.1, len(times[True]),
                    [f"waited {waited:.1f} s after enter for the suggestions (a worker thread)",
                     f"p90 shown {statistics.quantiles(times[True], n=10)[-1] * 1000:.1f} ms, "
                     f"hidden {statistics.quantiles(times[False], n=10)[-1] * 1000:.1f} ms"]))
    return rows


BENCHMARKS: dict[str, Callable[[Settings], object]] = {
    "startup": bench_startup,
    "scroll": bench_scroll,
    "open": bench_open,
    "cursor": bench_cursor,
    "tag-big": bench_tag_big,
    "tag-store": bench_tag_store,
    "export": bench_export,
    "lists": bench_lists,
    "suggest-keys": bench_suggest_keys,
}


def table(rows: list[Row]) -> str:
    lines = [
        "| benchmark | what | median | baseline | ratio | budget | met |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        base = f"{fmt(r.baseline, r.unit)} ({r.baseline_what})"
        what = r.what + (f" [{'; '.join(r.notes)}]" if r.notes else "")
        lines.append(f"| {r.name} | {what} | {fmt(r.value, r.unit)} | {base} | {ratio} "
                     f"| {r.budget} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run newsmark's benchmarks.")
    parser.add_argument("--quick", action="store_true",
                        help="tiny data and few samples: seconds, to check that each one works")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--data", type=Path, help="where the generated data lives "
                        "(default: bench/data, or a temporary folder with --quick)")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--no-suggest", action="store_true",
                        help="the apps show no suggestions (as before they were in the reader)")
    args = parser.parse_args(argv)
    global SUGGEST
    SUGGEST = not args.no_suggest
    names = args.only.split(",") if args.only else list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    sizes = generate.QUICK if args.quick else generate.Sizes()
    with tempfile.TemporaryDirectory(prefix="newsmark-bench-") as tmp_name:
        tmp = Path(tmp_name)
        # In-process benchmarks keep their corpus caches in the run's folder too.
        os.environ["XDG_CACHE_HOME"] = str(tmp / "xdg-cache")
        data_root = args.data or (tmp / "data" if args.quick else generate.DATA)
        print(f"machine: {machine()}", flush=True)
        data = generate.build(sizes, data_root)
        settings = Settings(
            quick=args.quick, data=data, tmp=tmp, runs=1 if args.quick else 5,
            scroll_keys=20 if args.quick else 200, cursor_keys=20 if args.quick else 500,
            annotations=sizes.export_annotations,
        )
        rows: list[Row] = []
        for name in names:
            began = time.perf_counter()
            result = BENCHMARKS[name](settings)
            if asyncio.iscoroutine(result):
                result = asyncio.run(result)
            assert isinstance(result, list)
            rows.extend(result)
            for row in result:
                ratio = f"{row.ratio:.2f}×" if row.ratio is not None else ""
                verdict = "" if row.met is None else ("met" if row.met else "MISSED")
                print(f"{row.name:22} {fmt(row.value, row.unit):>10}  baseline "
                      f"{fmt(row.baseline, row.unit):>10}  {ratio:>7}  {row.budget:18} "
                      f"{verdict:6} {'; '.join(row.notes)}", flush=True)
            print(f"  ({name}: {time.perf_counter() - began:.0f} s)", flush=True)
        print()
        print(f"machine: {machine()}")
        print()
        print(table(rows))
        if args.markdown:
            args.markdown.write_text(f"machine: {machine()}\n\n{table(rows)}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
