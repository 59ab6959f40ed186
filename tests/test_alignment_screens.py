"""Settling the compare matrix (``y`` / ``x``), the attribution and per-outlet panes, and the
timeline screen (``T``): real keys through Pilot (typed in bursts too), a real store on disk
with two annotators, the seeds, and SVG snapshots."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typed import burst, screen_text

from tui.app import NewsmarkApp
from tui.cli import main
from tui.config import Config
from tui.corpus import load_corpus
from tui.links import LINKS, Link, put_link
from tui.model import Annotation, Span
from tui.screens.compare import CompareScreen, CompareTable
from tui.screens.timeline import TimelineList, TimelineScreen
from tui.session import Session
from tui.store import Store
from tui.styles import Looks
from tui.widgets.status_line import StatusLine

RT1, RT2, LUX, O3, O4 = (
    "000_459b4affb575bcd9",
    "001_bf000ff86f6a5f51",
    "002_a34abba263e9470d",
    "003_9b9a3ba666ff02ad",
    "004_320cd11bf9cbfd71",
)
WARNED = ("She said Biden warned that the US and its allies will “respond decisively” if Russia "
          "invades Ukraine.")
FORMATS = ("The exchanges will be conducted in three formats: a Russia-US meeting to be held on "
           "January 9 and 10 in Geneva, followed by another in Brussels between Russia and NATO "
           "on January 12, and a final encounter on January 13 at the level of the Organization "
           "for Security and Cooperation in Europe.")
NOW = "2026-01-05T09:00:00.000Z"


def make_app(corpus_dir: Path, store_dir: Path, annotator: str = "ann") -> NewsmarkApp:
    return NewsmarkApp(load_corpus([corpus_dir]), Store(store_dir, annotator=annotator),
                       config=Config(), annotator=annotator)


def seed_tag(store_dir: Path, corpus_dir: Path, article_id: str, quote: str, tag: str,
             annotator: str = "ann") -> Annotation:
    """Tag ``quote`` through the store, as another session would have."""
    article = load_corpus([corpus_dir]).get(article_id)
    start = article.text.index(quote)
    annotation = Annotation.new(article, Span(start, start + len(quote)), tag,
                                annotator=annotator, now=NOW)
    Store(store_dir, annotator=annotator).add(annotation)
    return annotation


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def compare_screen(pilot) -> CompareScreen:
    """Open the compare screen (m) and wait for its matrix."""
    await pilot.press("m")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CompareScreen)
    return screen


def cells(screen: CompareScreen) -> list[list[str]]:
    table = screen.query_one(CompareTable)
    return [[str(cell) for cell in table.get_row_at(y)] for y in range(table.row_count)]


def column_of(screen: CompareScreen, article_id: str) -> int:
    return 1 + [c.article_id for c in screen.matrix.columns].index(article_id)


async def go_to_cell(pilot, screen: CompareScreen, row: int, article_id: str) -> None:
    screen.query_one(CompareTable).move_cursor(row=row, column=column_of(screen, article_id),
                                               animate=False)
    await pilot.pause()


def status_of(screen) -> str:
    return screen.query_one(StatusLine).message


def detail_of(screen: CompareScreen) -> str:
    return str(screen.query_one("#compare-detail").render())


def shard_links(store_dir: Path, article_id: str, annotator: str) -> list[dict] | None:
    """The links section of one annotator's shard as written on disk (None: no shard)."""
    path = Store(store_dir, annotator=annotator).shard_path(article_id, annotator)
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8")).get(LINKS, [])


# --------------------------------------------------------------------------- y and x


async def test_a_verdicts_cell_reads_the_same_before_and_after_undo_and_redo(
        seeds: Path, store_dir: Path) -> None:
    """One way to draw a settled cell: as x leaves it, so undo then redo leave it (a rejected
    cell shows no tags of the passage the machine picked there)."""
    from tui.compare import compare

    source = seed_tag(store_dir, seeds, LUX, WARNED, "threat")
    corpus = load_corpus([seeds])
    candidate = compare(corpus, [source]).rows[0].cells[O3].match.span
    assert candidate is not None
    other = corpus.get(O3)
    Store(store_dir, annotator="ann").add(Annotation.new(other, candidate, "claim",
                                                         annotator="ann", now=NOW))
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await compare_screen(pilot)
        o3 = column_of(screen, O3)
        assert cells(screen)[0][o3].endswith(" C")  # the claim on the candidate
        await go_to_cell(pilot, screen, 0, O3)
        await pilot.press("x")
        rejected = cells(screen)[0][o3]
        assert rejected.startswith("✗")
        await pilot.press("u")
        await pilot.press("ctrl+r")
        assert cells(screen)[0][o3] == rejected


async def test_y_confirms_x_rejects_per_annotator_on_disk_and_u_undoes(
        seeds: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = seed_tag(store_dir, seeds, LUX, WARNED, "threat")
    # Another annotator has already said that 004 does not carry it.
    corpus = load_corpus([seeds])
    put_link(Store(store_dir, annotator="bob"),
             Link.new(source, corpus.get(O4), "rejected", None, annotator="bob", now=NOW))
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await compare_screen(pilot)
        o3, o4 = column_of(screen, O3), column_of(screen, O4)
        before = cells(screen)[0]
        assert before[o4].startswith("✗") and not before[o3].startswith(("✓", "✗"))
        await go_to_cell(pilot, screen, 0, O4)
        assert "✗ rejected: not carried by bob" in detail_of(screen)

        await go_to_cell(pilot, screen, 0, O3)
        candidate = screen.matrix.rows[0].cells[O3].match.span
        await pilot.press("y")
        assert cells(screen)[0][o3] == "✓" + before[o3]
        assert "Confirmed:" in status_of(screen) and "u undoes" in status_of(screen)
        (record,) = shard_links(store_dir, O3, "ann")
        assert record["verdict"] == "confirmed" and record["annotation"] == source.id
        assert (record["start"], record["end"]) == (candidate.start, candidate.end)
        assert "✓ confirmed by ann" in detail_of(screen)

        await pilot.press("x")  # x replaces the verdict
        assert cells(screen)[0][o3] == "✗" + before[o3]
        assert [r["verdict"] for r in shard_links(store_dir, O3, "ann")] == ["rejected"]
        await pilot.press("x")  # the same verdict again clears it
        assert cells(screen)[0][o3] == before[o3]
        assert "back to the machine's guess" in status_of(screen)
        assert shard_links(store_dir, O3, "ann") is None  # nothing else was in that shard
        # bob's verdict is his: untouched.
        assert [r["verdict"] for r in shard_links(store_dir, O4, "bob")] == ["rejected"]

        await pilot.press("u")
        assert cells(screen)[0][o3] == "✗" + before[o3]
        assert "Undid clearing the verdict on" in status_of(screen)
        await pilot.press("u")
        assert cells(screen)[0][o3] == "✓" + before[o3]
        await pilot.press("u")
        assert cells(screen)[0][o3] == before[o3] and shard_links(store_dir, O3, "ann") is None
        await pilot.press("ctrl+r")
        assert cells(screen)[0][o3] == "✓" + before[o3]
        assert "Redid confirming" in status_of(screen)

        # y where there is nothing to settle says why.
        await go_to_cell(pilot, screen, 0, LUX)
        await pilot.press("y")
        assert "where the passage was tagged" in status_of(screen)
        screen.query_one(CompareTable).move_cursor(row=0, column=0, animate=False)
        await pilot.pause()
        await pilot.press("x")
        assert "Pick an article's column first" in status_of(screen)

        # The verdicts are read from disk when the screen opens again.
        await pilot.press("escape", "m")
        await settle(pilot)
        row = cells(app.screen)[0]
        assert row[o3].startswith("✓") and row[o4].startswith("✗")

    # The command line reads the same links.
    capsys.readouterr()
    assert main(["compare", "--format", "json", "--corpus", str(seeds), "--store",
                 str(store_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"][0]["cells"][O3]["link"]["verdict"] == "confirmed"
    assert data["rows"][0]["cells"][O4]["link"]["annotator"] == "bob"


async def test_y_and_x_typed_in_a_burst_with_m(seeds: Path, store_dir: Path) -> None:
    """m, moves, y and x typed before the matrix is computed land on the cells they meant."""
    seed_tag(store_dir, seeds, RT1, FORMATS, "schedule")
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        # The cursor starts on RT v1 (the source): l → RT v2, y; l → Luxembourg Times, x.
        await burst(pilot, "m", "l", "y", "l", "x")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        row = cells(screen)[0]
        assert row[column_of(screen, RT2)].startswith("✓")
        assert row[column_of(screen, LUX)].startswith("✗")
        assert [r["verdict"] for r in shard_links(store_dir, RT2, "ann")] == ["confirmed"]
        assert [r["verdict"] for r in shard_links(store_dir, LUX, "ann")] == ["rejected"]
        # x, y and u in one burst: RT v2's y is undone, its x stays.
        await burst(pilot, "h", "x", "y", "u")
        assert cells(screen)[0][column_of(screen, RT2)].startswith("✗")
        # Three more undos: RT v2's x, the Luxembourg Times' x, RT v2's y.
        await burst(pilot, "u", "u")
        assert cells(screen)[0][column_of(screen, RT2)].startswith("✓")
        assert shard_links(store_dir, LUX, "ann") is None
        await burst(pilot, "u")
        assert shard_links(store_dir, RT2, "ann") is None
        assert not cells(screen)[0][column_of(screen, RT2)].startswith(("✓", "✗"))


# --------------------------------------------------------------------------- the panes


async def test_the_pane_shows_the_attribution_change_and_the_outlet_chart(
        tmp_path: Path, store_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    # Each report has a paragraph of its own (they are not versions of one story).
    (folder / "a.txt").write_text("Wire\n\nThe ministry said the talks would resume in Geneva "
                                  "on Monday.\n\nFarmers protested against fuel prices in "
                                  "the capital for a third day.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Daily\n\nThe talks will resume in Geneva on Monday, after "
                                  "a pause.\n\nA heatwave closed schools across the south of "
                                  "the country this week.\n", encoding="utf-8")
    (folder / "c.txt").write_text("Weekly\n\nThe talks may reportedly resume in Geneva on "
                                  "Monday, the ministry said.\n\nThe central bank left its "
                                  "rate unchanged, citing slower growth.\n",
                                  encoding="utf-8")
    seed_tag(store_dir, folder, "a", "The ministry said the talks would resume in Geneva on "
             "Monday.", "claim")
    app = make_app(folder, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await compare_screen(pilot)
        await go_to_cell(pilot, screen, 0, "b")
        detail = detail_of(screen)
        assert "Attribution dropped: the tagged passage says “said”; here it is stated as " \
               "fact" in detail
        await go_to_cell(pilot, screen, 0, "c")
        assert "Attribution softened: adds “may”, “reportedly”" in detail_of(screen)
        # The passage column: what each outlet did, as a chart.
        screen.query_one(CompareTable).move_cursor(row=0, column=0, animate=False)
        await pilot.pause()
        chart = detail_of(screen)
        assert "Per outlet: █ word for word  ▓ reworded  ░ dropped" in chart
        lines = {line.split()[0]: line for line in chart.splitlines()
                 if line.split() and line.split()[0] in ("a", "b", "c")}
        assert "every passage was tagged here" in lines["a"]
        assert "0 = · 1 ~ · 0 -" in lines["b"] and "▓" in lines["b"]
        # A rejection turns the outlet's count to dropped, and says so.
        await go_to_cell(pilot, screen, 0, "b")
        await pilot.press("x", "h", "h")
        lines = {line.split()[0]: line for line in detail_of(screen).splitlines()
                 if line.split() and line.split()[0] in ("b",)}
        assert "0 = · 0 ~ · 1 - · ✗1" in lines["b"]


async def test_hostile_text_is_literal_in_the_panes_and_the_timeline(
        tmp_path: Path, store_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    hostile = "[bold red]Talks[/] resume \x1b[31mon 9 January[/link] in Geneva, he said."
    (folder / "a.txt").write_text(f"[red]Wire[/]\n\n{hostile}\n", encoding="utf-8")
    (folder / "b.txt").write_text(f"Daily\n\nOfficials say: {hostile}\n", encoding="utf-8")
    seed_tag(store_dir, folder, "a", hostile, "schedule")
    app = make_app(folder, store_dir)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        await go_to_cell(pilot, app.screen, 0, "b")
        await pilot.press("y")
        detail = detail_of(app.screen)
        assert "[bold red]Talks[/] resume ␛[31mon 9 January[/link]" in detail
        assert "\x1b" not in detail
        await pilot.press("escape", "T")
        await settle(pilot)
        assert isinstance(app.screen, TimelineScreen)
        shown = screen_text(app)
        assert "[bold red]Talks[/] resume ␛[31mon" in shown and "\x1b[31m" not in shown


# --------------------------------------------------------------------------- the timeline


async def test_T_then_j_and_enter_in_a_burst_open_the_passage(seeds: Path,
                                                                store_dir: Path) -> None:
    seed_tag(store_dir, seeds, RT1, FORMATS, "schedule")
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        # Heading, then RT v1 (where it was tagged), then RT v2: two j's and enter.
        await burst(pilot, "T", "j", "j", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, TimelineScreen)
        session = app.session
        assert session.article is not None and session.article.id == RT2
        selection = app.reader.selection
        assert "January 9-10 in Geneva" in session.article.text[selection.start:selection.end]


async def test_the_timeline_lays_out_dates_and_disagreements(seeds: Path,
                                                             store_dir: Path) -> None:
    source = seed_tag(store_dir, seeds, RT1, FORMATS, "schedule")
    corpus = load_corpus([seeds])
    # ann rejected 004's candidate: it leaves the timeline.
    put_link(Store(store_dir, annotator="ann"),
             Link.new(source, corpus.get(O4), "rejected", None, annotator="ann", now=NOW))
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TimelineScreen)
        title = str(screen.query_one("#timeline-title").render())
        assert title.startswith("1 schedule passage · outlets disagree on the date of 1")
        timeline = screen.query_one(TimelineList)
        rows = [" ".join(str(c) for c in timeline.row_cells(k)) for k in timeline.row_keys]
        assert rows[0].startswith("9 Jan 2022 4 outlets S The exchanges")
        assert rows[1].startswith("! 9–10, 12, 13 Jan 2022 RT v1 src")
        assert rows[3].startswith("! 9, 11, 13 Jan 2022 Luxembourg Times ~")
        assert not any("004_" in row for row in rows)
        await pilot.press("j", "j", "j")
        detail = str(screen.query_one("#timeline-detail").render())
        assert detail.startswith("Luxembourg Times · 9, 11, 13 Jan 2022\nBilateral")
        assert "! RT v1 says 9–10 Jan 2022, Luxembourg Times says 9 Jan 2022" in detail
        await pilot.press("k", "k", "k", "enter")
        await pilot.pause()
        assert app.session.article.id == RT1  # the heading opens where it was tagged
        assert app.reader.selection == source.span


async def test_the_timeline_with_nothing_scheduled(seeds: Path, store_dir: Path) -> None:
    seed_tag(store_dir, seeds, LUX, WARNED, "threat")
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("T")
        await settle(pilot)
        screen = app.screen
        assert "No schedule passages tagged yet" in status_of(screen)
        await pilot.press("j", "enter")  # nothing to open: the screen stays
        assert app.screen is screen
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TimelineScreen)


# --------------------------------------------------------------------------- the session


def test_settle_writes_through_the_store_and_refuses_what_it_cannot(
        seeds: Path, store_dir: Path, tmp_path: Path) -> None:
    source = seed_tag(store_dir, seeds, LUX, WARNED, "threat")
    corpus = load_corpus([seeds])
    session = Session(corpus, Store(store_dir, annotator="ann"), annotator="ann")
    target = corpus.get(O3)
    start = target.text.index("Biden, for one")
    span = Span(start, start + 20)
    assert session.settle(source, O3, "confirmed", None).message.startswith(
        f"{O3} has nothing close to confirm")
    assert "where the passage was tagged" in session.settle(source, LUX, "rejected", None).message
    outcome = session.settle(source, O3, "confirmed", span, name="O3")
    assert outcome.ok and outcome.message.startswith("Confirmed: O3 carries")
    (record,) = shard_links(store_dir, O3, "ann")
    assert record["text"] == target.text[span.start : span.end]
    # Confirming another span replaces the verdict; the first comes back on undo.
    other = Span(span.start, span.end + 5)
    session.settle(source, O3, "confirmed", other)
    assert shard_links(store_dir, O3, "ann")[0]["end"] == other.end
    assert session.undo().ok
    assert shard_links(store_dir, O3, "ann")[0]["end"] == span.end
    # A damaged shard is never overwritten: the verdict is refused with the file's name.
    path = Store(store_dir, annotator="ann").shard_path(O3, "ann")
    path.write_text("{ not json", encoding="utf-8")
    refused = session.settle(source, O3, "rejected", None)
    assert refused.error and path.name in refused.message
    assert path.read_text(encoding="utf-8") == "{ not json"


# --------------------------------------------------------------------------- snapshots


def _settled_app(seeds: Path, store_dir: Path) -> NewsmarkApp:
    source = seed_tag(store_dir, seeds, RT1, FORMATS, "schedule")
    seed_tag(store_dir, seeds, LUX, WARNED, "threat", "bob")
    corpus = load_corpus([seeds])
    store = Store(store_dir, annotator="ann")
    lux = corpus.get(LUX)
    start = lux.text.index("Bilateral US-Russia talks")
    end = lux.text.index("Moscow time.") + len("Moscow time.")
    put_link(store, Link.new(source, lux, "confirmed", Span(start, end), annotator="ann",
                             now=NOW))
    put_link(store, Link.new(source, corpus.get(O4), "rejected", None, annotator="ann",
                             now=NOW))
    return make_app(seeds, store_dir)


def test_compare_screen_with_verdicts_snapshot(snap_compare, seeds: Path,
                                               store_dir: Path) -> None:
    app = _settled_app(seeds, store_dir)

    async def run_before(pilot) -> None:
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("l", "l")  # the Luxembourg Times, confirmed
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_timeline_screen_snapshot(snap_compare, seeds: Path, store_dir: Path) -> None:
    app = _settled_app(seeds, store_dir)

    async def run_before(pilot) -> None:
        await pilot.press("T")
        await settle(pilot)
        await pilot.press("j", "j", "j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_the_looks_of_the_verdicts_read_without_colour() -> None:
    looks = Looks(Config().tags, mono=True)
    for name in ("confirmed", "rejected", "verbatim", "dropped", "clash"):
        style = looks.alignment(name)
        assert style.color is None and style.bgcolor is None
        assert style.bold or style.underline or style.reverse
    assert looks.alignment("reworded").italic
    colour = Looks(Config().tags)
    assert colour.alignment("confirmed").color != colour.alignment("rejected").color


async def test_the_timeline_follows_the_configs_schedule_tag(seeds: Path,
                                                             store_dir: Path) -> None:
    from tui.config import parse_config

    config = parse_config('[[tags]]\nname = "claim"\n[[tags]]\nname = "meeting"\n'
                          'role = "schedule"\n')
    seed_tag(store_dir, seeds, RT1, FORMATS, "meeting")
    app = NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator="ann"), config=config,
                      annotator="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "T", "j", "j", "enter")
        await settle(pilot)
        assert not isinstance(app.screen, TimelineScreen)
        assert app.session.article.id == RT2
    # A tag set with no schedule tag: the status says how to give one the role.
    config = parse_config('[[tags]]\nname = "claim"\n')
    app = NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator="ann"), config=config,
                      annotator="ann")
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.press("T")
        await settle(pilot)
        assert 'No tag has the schedule role: give one role = "schedule"' in status_of(app.screen)


# --------------------------------------------------------------------------- link here (L)

TOLD = ("Biden, for one, reaffirmed his threat of extraordinary consequences if Russia invaded "
        "Ukraine.")


async def test_enter_opens_the_candidate_and_L_links_another_passage_there(
        seeds: Path, store_dir: Path) -> None:
    source = seed_tag(store_dir, seeds, LUX, WARNED, "threat")
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("tab")  # into the reader: no link waits, L is not in the footer
        assert "Link here" not in screen_text(app)
        screen = await compare_screen(pilot)
        await go_to_cell(pilot, screen, 0, O3)
        # enter, then j (the next sentence), J (grow by one) and L, typed in one burst.
        await burst(pilot, "enter", "j", "J", "L")
        await settle(pilot)
        assert not isinstance(app.screen, CompareScreen)
        article = app.session.article
        assert article.id == O3
        selection = app.reader.selection
        told = article.text.index(TOLD)
        assert selection.start > told  # not the candidate: the two sentences after it
        (record,) = shard_links(store_dir, O3, "ann")
        assert record["verdict"] == "confirmed" and record["annotation"] == source.id
        assert (record["start"], record["end"]) == (selection.start, selection.end)
        assert record["text"] == article.text[selection.start : selection.end]
        assert "Confirmed:" in status_of(app.main) and "u undoes" in status_of(app.main)
        # The link is made: L leaves the footer, and pressed again it does nothing.
        assert "Link here" not in screen_text(app)
        await pilot.press("L")
        assert len(shard_links(store_dir, O3, "ann")) == 1
        # u undoes it, ctrl+r redoes it, on disk.
        await pilot.press("u")
        await pilot.pause()
        assert not shard_links(store_dir, O3, "ann")  # the shard went with its last record
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [r["start"] for r in shard_links(store_dir, O3, "ann")] == [selection.start]
        # The compare screen shows the verdict in that cell.
        await pilot.press("m")
        await settle(pilot)
        assert cells(app.screen)[0][column_of(app.screen, O3)].startswith("✓")


async def test_esc_or_another_article_cancels_the_waiting_link(seeds: Path,
                                                              store_dir: Path) -> None:
    seed_tag(store_dir, seeds, LUX, WARNED, "threat")
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("m")
        await settle(pilot)
        await go_to_cell(pilot, app.screen, 0, O3)
        await pilot.press("enter")
        await settle(pilot)
        assert "press L to link it; esc cancels" in status_of(app.main)
        assert "Link here" in screen_text(app)
        # esc cancels: nothing stored, L no longer links.
        await burst(pilot, "escape", "j", "L")
        assert "cancelled: nothing stored" in status_of(app.main)
        assert shard_links(store_dir, O3, "ann") is None
        assert "Link here" not in screen_text(app)
        # Opening another article drops the waiting link too.
        await pilot.press("m")
        await settle(pilot)
        await go_to_cell(pilot, app.screen, 0, O4)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session.pending_link is not None
        app.open_at(RT1, None)
        await pilot.pause()
        assert app.session.pending_link is None
        await pilot.press("L")
        assert shard_links(store_dir, O4, "ann") is None
        assert shard_links(store_dir, RT1, "ann") is None
