"""The compare (``m``) and statistics (``g``) screens, driven like a user with Pilot on the real
seeds and a real store, and pinned by SVG snapshots."""

from __future__ import annotations

import io
import sys
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from tui.app import NewsmarkApp
from tui.config import Config
from tui.corpus import load_corpus
from tui.model import Annotation, Span
from tui.screens.compare import CompareScreen, CompareTable
from tui.screens.help import HelpScreen
from tui.screens.stats import StatsScreen
from tui.store import Store
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader

RT1, RT2, LUX, O3, O4 = (
    "000_459b4affb575bcd9",
    "001_bf000ff86f6a5f51",
    "002_a34abba263e9470d",
    "003_9b9a3ba666ff02ad",
    "004_320cd11bf9cbfd71",
)
SANCTIONS = "“Unprecedented sanctions” targeting Russia’s economy"
SERIOUSLY = "The US president appeared to take the demand “quite seriously,” the adviser said."
NOW = "2026-01-05T09:00:00.000Z"


def make_app(seeds: Path, store_dir: Path) -> NewsmarkApp:
    return NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator="tester"),
                       config=Config(), annotator="tester")


def seed_tag(store_dir: Path, seeds: Path, article_id: str, quote: str, tag: str,
             annotator: str = "tester", now: str = NOW) -> Annotation:
    """Tag ``quote`` through the store, as another session would have."""
    article = load_corpus([seeds]).get(article_id)
    start = article.text.index(quote)
    annotation = Annotation.new(article, Span(start, start + len(quote)), tag,
                                annotator=annotator, now=now)
    Store(store_dir, annotator=annotator).add(annotation)
    return annotation


def stored(store_dir: Path, article_id: str) -> list[Annotation]:
    return Store(store_dir, annotator="reader-of-tests").annotations(article_id)


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def cells(screen: CompareScreen) -> list[list[str]]:
    """The grid as plain text, one list per row (the passage column first)."""
    table = screen.query_one(CompareTable)
    return [[str(cell) for cell in table.get_row_at(y)] for y in range(table.row_count)]


def status_of(screen: CompareScreen) -> str:
    return str(screen.query_one("#compare-status").render())


def detail_of(screen: CompareScreen) -> str:
    return str(screen.query_one("#compare-detail").render())


def rendered(widget, width: int = 78) -> str:
    """What a Static shows, as plain text (its Rich renderable rendered at ``width``)."""
    console = Console(width=width, color_system=None, record=True, file=io.StringIO())
    console.print(widget.content)
    return "\n".join(line.rstrip() for line in console.export_text().splitlines())


async def go_to_cell(pilot, screen: CompareScreen, row: int, article_id: str) -> None:
    table = screen.query_one(CompareTable)
    column = 1 + [c.article_id for c in screen.matrix.columns].index(article_id)
    table.move_cursor(row=row, column=column, animate=False)
    await pilot.pause()


# --------------------------------------------------------------------------- the story


async def test_tag_the_sanctions_threat_compare_and_propagate(seeds: Path,
                                                              store_dir: Path) -> None:
    """Done means: tag the threat in one seed, press m, see who carries it, propagate it."""
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # 000 is open; into the reader
        reader = app.query_one(Reader)
        for _ in range(len(reader.sentences)):
            if SANCTIONS in reader.article.text[reader.selection.start : reader.selection.end]:
                break
            await pilot.press("j")
        await pilot.press("2")  # threat
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        grid = cells(screen)
        assert len(grid) == 1
        assert grid[0][0].startswith("T “Unprecedented")
        # 000 is where it was tagged; 001, the other version, rewords it; 002 and 003 tell the
        # threat in other words (a lower score); 004 does not carry it.
        assert grid[0][1:] == ["src T", "~97", "~60", "~63", "-"]
        title = str(screen.query_one("#compare-title").render())
        assert "RT v1, RT v2: versions of one story" in title

        await go_to_cell(pilot, screen, 0, RT2)
        detail = detail_of(screen)
        assert "reworded (score 97)" in detail and "if imposed by Washington" in detail
        await pilot.press("t")
        await pilot.pause()
        (propagated,) = stored(store_dir, RT2)
        assert propagated.tag == "threat" and propagated.annotator == "tester"
        assert propagated.text.startswith("“Unprecedented sanctions”")
        assert propagated.text.endswith("“a colossal mistake.”")
        assert cells(screen)[0][2] == "~97 T"
        assert "Tagged threat in RT v2 (reworded, score 97)" in status_of(screen)

        # Again on the same cell: nothing more is written.
        await pilot.press("t")
        assert "already has threat" in status_of(screen)
        assert len(stored(store_dir, RT2)) == 1

        # u undoes it, here as everywhere; ctrl+r redoes it.
        await pilot.press("u")
        await pilot.pause()
        assert stored(store_dir, RT2) == []
        assert cells(screen)[0][2] == "~97"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(stored(store_dir, RT2)) == 1 and cells(screen)[0][2] == "~97 T"

        # enter opens the article at the passage.
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        reader = app.query_one(Reader)
        assert reader.article.id == RT2 and reader.has_focus
        assert reader.selection == stored(store_dir, RT2)[0].span
        assert app.query_one(ArticleList).highlighted == RT2


async def test_grouped_rows_verbatim_cells_and_the_passage_column(seeds: Path,
                                                                  store_dir: Path) -> None:
    seed_tag(store_dir, seeds, RT1, SERIOUSLY, "claim")
    seed_tag(store_dir, seeds, RT2, SERIOUSLY, "claim")
    seed_tag(store_dir, seeds, LUX, "respond decisively", "threat")
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        grid = cells(screen)
        # The same sentence tagged in both RT versions is one row.
        assert [row[1:] for row in grid] == [
            ["src C", "= C", "-", "-", "-"],
            ["=", "=", "src T", "-", "="],
        ]
        table = screen.query_one(CompareTable)
        table.move_cursor(row=1, column=0, animate=False)
        await pilot.pause()
        assert "Carried by 3 of 4 other articles (3 word for word, 0 reworded)" in detail_of(
            screen)
        # t needs an article's column.
        await pilot.press("t")
        assert "Pick an article's column" in status_of(screen)
        await go_to_cell(pilot, screen, 1, LUX)
        await pilot.press("t")
        assert "where the passage was tagged" in status_of(screen)
        # Propagating a verbatim match tags exactly the same words.
        await go_to_cell(pilot, screen, 1, O4)
        await pilot.press("t")
        await pilot.pause()
        assert [a.text for a in stored(store_dir, O4)] == ["respond decisively"]
        assert cells(screen)[1][5] == "= T"
        # An absent cell: t tags the closest stretch, and says so.
        await go_to_cell(pilot, screen, 0, LUX)
        assert "not carried" in detail_of(screen) and "closest (score" in detail_of(screen)
        await pilot.press("t")
        await pilot.pause()
        assert "not a match: the closest passage" in status_of(screen)
        assert len(stored(store_dir, LUX)) == 2
        # m (or esc) goes back.
        await pilot.press("m")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_compare_with_nothing_tagged(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert cells(screen) == []
        assert "No tagged passages yet" in status_of(screen)
        await pilot.press("t", "enter")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_hostile_text_is_shown_literally(tmp_path: Path, store_dir: Path) -> None:
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    hostile = "[bold red]Sanctions[/] will \x1b[31mfollow[/link] if troops cross the border."
    (corpus_dir / "a.txt").write_text(f"Headline A\n\n{hostile}\n", encoding="utf-8")
    (corpus_dir / "b.txt").write_text(f"Headline B\n\nThey said: {hostile}\n", encoding="utf-8")
    seed_tag(store_dir, corpus_dir, "a", hostile, "threat")
    app = make_app(corpus_dir, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        grid = cells(screen)
        assert grid[0][0].startswith("T [bold red]Sanctions[/] will ␛[31mfollow[/link]")
        assert grid[0][1:] == ["src T", "="]
        await go_to_cell(pilot, screen, 0, "b")
        detail = detail_of(screen)
        assert "[bold red]Sanctions[/] will ␛[31mfollow[/link]" in detail
        assert "\x1b" not in detail


async def test_a_large_corpus_is_computed_in_a_worker_with_progress(
        tmp_path: Path, store_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    try:
        import compare as bench  # bench/compare.py
    finally:
        sys.path.pop(0)
    folder = tmp_path / "big"
    folder.mkdir()
    bench.make_corpus(folder, count=200)  # several seconds of work on one core
    corpus = load_corpus([folder])
    store = Store(store_dir, annotator="tester")
    for annotation in bench.tag_sentences(corpus, per_article=5):
        store.add(annotation)
    # A slow machine: each article the worker indexes takes 10 ms more, so the matrix takes
    # seconds however fast the matching is here (it took several seconds on one core once).
    import tui.compare as compare_module

    split = compare_module.sentence_spans

    def slow_split(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if threading.current_thread() is not threading.main_thread():
            time.sleep(0.01)
        return split(*args, **kwargs)

    monkeypatch.setattr(compare_module, "sentence_spans", slow_split)
    app = NewsmarkApp(corpus, store, config=Config(), annotator="tester")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        progress = screen.query_one("#compare-progress")
        for _ in range(40):
            await pilot.pause(0.05)
            if progress.progress:
                break
        assert progress.display and screen.matrix is None
        assert 0 < progress.progress < progress.total  # it moves, and is not done
        # Still responsive: esc leaves at once and the work is cancelled.
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        await app.workers.wait_for_complete()


async def test_statistics_screen(seeds: Path, store_dir: Path) -> None:
    seed_tag(store_dir, seeds, RT1, SERIOUSLY, "claim", "ann", "2026-01-02T10:00:00.000Z")
    seed_tag(store_dir, seeds, LUX, "respond decisively", "threat", "bob")
    seed_tag(store_dir, seeds, O4, "respond decisively", "threat", "bob")
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        title = str(screen.query_one("#stats-title").render())
        assert title.startswith("3 annotations")
        assert "claim 1" in title and "threat 2" in title
        per_article = rendered(screen.query_one("#stats-0"))
        assert per_article.splitlines()[0] == "Tags per article"
        assert f"RT · {RT1}" in per_article
        per_day = rendered(screen.query_one("#stats-2"))
        assert "2026-01-02 1 C" in per_day and "2026-01-05 2 T" in per_day
        per_annotator = rendered(screen.query_one("#stats-3"))
        assert per_annotator.splitlines()[1].startswith("bob 2 T")
        # A tag added meanwhile (in the compare screen) shows when the screen opens again.
        await pilot.press("g", "m")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        await go_to_cell(pilot, app.screen, 1, RT1)
        await pilot.press("t", "escape", "g")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert str(app.screen.query_one("#stats-title").render()).startswith("4 annotations")


async def test_keys_are_listed_in_help(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = rendered(app.screen.query_one("Static"), width=200)
        assert "Compare outlets: which articles carry each tagged passage" in text
        assert "Statistics: tags per article" in text


# --------------------------------------------------------------------------- snapshots


def _tagged(seeds: Path, store_dir: Path) -> NewsmarkApp:
    seed_tag(store_dir, seeds, RT1, "“Unprecedented sanctions” targeting Russia’s economy, and "
             "financial and military industry, if imposed, would lead to a “complete "
             "breakdown” of bilateral ties, Ushakov said, and such a scenario would be “a "
             "colossal mistake.”", "threat")
    seed_tag(store_dir, seeds, RT1, SERIOUSLY, "claim", "ann", "2026-01-02T10:00:00.000Z")
    seed_tag(store_dir, seeds, LUX, "She said Biden warned that the US and its allies will "
             "“respond decisively” if Russia invades Ukraine.", "threat", "bob")
    seed_tag(store_dir, seeds, O4, "respond decisively", "threat", "bob")
    return make_app(seeds, store_dir)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_compare_screen_snapshot(snap_compare, size: tuple[int, int], seeds: Path,
                                 store_dir: Path) -> None:
    app = _tagged(seeds, store_dir)

    async def run_before(pilot) -> None:
        await pilot.press("m")
        await settle(pilot)
        # The Luxembourg Times passage against RT's second version: reworded, words differ.
        await pilot.press("down", "down", "right")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_statistics_screen_snapshot(snap_compare, seeds: Path, store_dir: Path) -> None:
    app = _tagged(seeds, store_dir)

    async def run_before(pilot) -> None:
        await pilot.press("g")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
