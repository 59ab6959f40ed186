"""A team in the app (issue 18): views (``v``), done-marks (``w``, ``F``), the agreement screen
(``A``) and the curation screen (``C``), driven with real keys (bursts included) on the real
seeds and real stores on disk with several annotators, and shared through real ``git``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.test_agree import ARTICLE, EXAMPLE, fill_example
from tests.test_merge import (
    commit,
    newsmark,
    sync,
    tag,
    team,  # noqa: F401, F811 - the fixture: a bare origin and clones
)
from tests.typed import burst, screen_text, suggested
from tui.app import NewsmarkApp
from tui.cli import main
from tui.config import Config
from tui.corpus import load_corpus
from tui.model import Span
from tui.screens.agree import AgreeScreen
from tui.screens.curate import CurateScreen
from tui.store import Store
from tui.team import View, initials, is_done, next_view
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.article_list import ArticleList
from tui.widgets.legend import Legend
from tui.widgets.reader import Reader

OTHER = "003_9b9a3ba666ff02ad"
FIRST = "000_459b4affb575bcd9"


def make_app(seeds: Path, store_dir: Path, annotator: str = "alice") -> NewsmarkApp:
    return NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator=annotator),
                       config=Config(), annotator=annotator)


def shards(store_dir: Path) -> dict[str, bytes]:
    """Every shard file's bytes, by path (to show what a step did not touch)."""
    return {str(p.relative_to(store_dir)): p.read_bytes()
            for p in sorted(store_dir.rglob("*.json"))}


def status(app: NewsmarkApp) -> str:
    return app.status_line.message


def by(articles: ArticleList, article_id: str) -> str:
    """The list's "By" cell of an article: how many annotators tagged it."""
    index = [column.title for column in articles.columns].index("By")
    return articles.row_cells(article_id)[index].plain


async def open_example(pilot) -> None:
    """Highlight the example's article in the list and read it."""
    app = pilot.app
    app.articles.highlight(ARTICLE)
    await burst(pilot, "enter")
    assert app.session.article is not None and app.session.article.id == ARTICLE


# --------------------------------------------------------------------------- the domain part


def test_views_cycle_mine_everyone_each_annotator_then_the_curated_set() -> None:
    names = ["alice", "bob", "carol", "gold"]
    order = [View("mine")]
    for _ in range(5):
        order.append(next_view(order[-1], "alice", names, {"gold"}))
    assert order == [View("mine"), View("all"), View("one", "bob"), View("one", "carol"),
                     View("curated", "gold"), View("mine")]
    assert View("one", "bob").label("alice") == "bob's"
    assert not View("curated", "gold").editable and View("all").editable


def test_initials_are_unique() -> None:
    assert initials(["alice", "anna", "bob", "Ann"]) == {"alice": "A", "Ann": "N", "anna": "1",
                                                         "bob": "B"}


def test_others_tags_look_different_in_colour_and_without() -> None:
    from tui.config import DEFAULT_TAGS
    from tui.styles import Looks

    for mono in (False, True):
        looks = Looks(tuple(DEFAULT_TAGS), mono=mono)
        for tag_def in DEFAULT_TAGS:
            own, other = looks.tag(tag_def.name), looks.other(tag_def.name)
            assert own.bgcolor is not None and other.bgcolor is None  # no fill: not mine
            assert other != own
        # Without colour each tag keeps its own text style, on no grey (and not dim: dim
        # italic is boilerplate's).
        if mono:
            assert looks.other("claim").bold and not looks.other("claim").dim
            assert looks.other("threat").italic and not looks.other("threat").dim


# --------------------------------------------------------------------------- views


async def test_v_cycles_the_views_and_others_tags_are_read_only(seeds: Path,
                                                                store_dir: Path) -> None:
    fill_example(seeds, store_dir)
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_example(pilot)
        reader, legend = app.query_one(Reader), app.query_one(Legend)
        # Everyone's to begin with: nothing in the store is hidden; others' with initials.
        assert len(reader.annotations) == sum(len(v) for v in EXAMPLE.values())
        assert legend.view == "everyone's"
        assert reader.initials == {"alice": "A", "bob": "B", "carol": "C"}
        # The cycle goes on from there: each annotator in turn, then mine.
        await burst(pilot, "v")
        assert legend.view == "bob's, read-only"
        assert {a.annotator for a in reader.annotations} == {"bob"}
        assert reader.initials == {}
        assert "Showing bob's tags, read-only — 4 here" in status(app)
        # Tagging in someone else's view is refused, and nothing is written.
        before = shards(store_dir)
        await burst(pilot, "j", "1")
        assert "read-only" in status(app)
        assert app.status_line.error
        assert shards(store_dir) == before
        await burst(pilot, "v", "v")
        assert legend.view == "mine"
        assert {a.annotator for a in reader.annotations} == {"alice"}
        assert "Showing your tags only — 5 here" in status(app)
        await burst(pilot, "v")
        assert legend.view == "everyone's"


async def test_in_everyones_view_only_my_own_tag_is_removed(seeds: Path,
                                                             store_dir: Path) -> None:
    fill_example(seeds, store_dir)
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_example(pilot)
        # Suggestions off: with them on, x where none of my tags is rejects the suggestion
        # there (tests/test_suggest_reader.py), and this test is about others' tags.
        await burst(pilot, "S")
        article = app.session.article
        quote = EXAMPLE["alice"][2][0]  # the claim all three tagged alike
        start = article.text.index(quote)
        app.reader.select(Span(start, start + len(quote)))
        bob_and_carol = {k: v for k, v in shards(store_dir).items() if "alice" not in k}
        await burst(pilot, "x")
        assert status(app).startswith("Removed claim")
        left = Store(store_dir, annotator="x").annotations(ARTICLE)
        assert sorted(a.annotator for a in left if a.start == start and a.tag == "claim") == [
            "bob", "carol"]
        assert {k: v for k, v in shards(store_dir).items() if "alice" not in k} == bob_and_carol
        # Again: nothing of mine is there any more; bob's and carol's stay.
        await burst(pilot, "x")
        assert "No tag of yours here" in status(app)
        # In the panel, another annotator's annotation cannot be deleted either.
        await burst(pilot, "a")
        panel = app.query_one(AnnotationPanel)
        bobs = next(a for a in panel.annotations if a.annotator == "bob")
        panel.highlight(bobs.id)
        await burst(pilot, "x")
        assert status(app) == "That is bob's tag: only your own tags can be changed."
        assert {k: v for k, v in shards(store_dir).items() if "alice" not in k} == bob_and_carol
        cells = panel.row_cells(bobs.id)
        assert cells[0].plain == "B"  # bob's initial, before the tag letter


async def test_in_everyones_view_my_tags_keep_their_letters_and_others_show_initials(
        seeds: Path, store_dir: Path) -> None:
    """Yours by the tag's letter (so claim and threat differ without colour), each other
    annotator's by their initial, after yours (README: "yours filled, the others' as coloured
    text with their initial")."""
    fill_example(seeds, store_dir)
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_example(pilot)
        reader = app.query_one(Reader)
        assert reader.initials == {"alice": "A", "bob": "B", "carol": "C"}
        mine = next(a for a in reader.annotations if a.annotator == "alice"
                    and a.tag == "threat" and a.text.startswith("“It will be"))
        y = reader._index.line_of(mine.start)
        gutter = "".join(s.text for s in reader.line_segments(y))[:3]
        assert gutter[0] == "T", gutter  # my threat, by its letter
        others = {a.annotator for a in reader.annotations if a.annotator != "alice"
                  and reader._index.line_of(a.start) <= y < reader._index.line_of(a.end) + 1}
        # (one initial, or "+" when more than fit beside the letter)
        assert gutter[1] == (reader.initials[min(others)] if len(others) == 1 else "+"), gutter
        await burst(pilot, "v", "v", "v")  # to mine only: the letters alone
        assert reader.initials == {}
        assert "".join(s.text for s in reader.line_segments(y))[0] == "T"


# --------------------------------------------------------------------------- done-marks


async def test_w_marks_the_article_done_for_me_and_again_not(seeds: Path,
                                                             store_dir: Path) -> None:
    fill_example(seeds, store_dir)
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        articles = app.query_one(ArticleList)
        assert by(articles, ARTICLE) == "3"  # three annotators tagged it
        await open_example(pilot)
        # A burst: w, then moving on in the reader, then w on the list's next article.
        await burst(pilot, "w", "j", "tab", "j", "w")
        assert is_done(Store(store_dir, annotator="alice"), ARTICLE, "alice")
        assert is_done(Store(store_dir, annotator="alice"), OTHER, "alice")
        assert articles.row_cells(ARTICLE)[0].plain.startswith("✓ ")
        assert not is_done(Store(store_dir, annotator="bob"), ARTICLE, "bob")
        await burst(pilot, "w")
        assert not is_done(Store(store_dir, annotator="alice"), OTHER, "alice")
        assert "not done for you" in status(app)
        assert not articles.row_cells(OTHER)[0].plain.startswith("✓")


async def test_F_filters_the_list_to_articles_not_done_by_me(seeds: Path,
                                                            store_dir: Path) -> None:
    fill_example(seeds, store_dir)
    for article_id in (FIRST, ARTICLE):
        assert main(["done", article_id, "--annotator", "alice", "--corpus", str(seeds),
                     "--store", str(store_dir)]) == 0
    assert main(["done", OTHER, "--annotator", "bob", "--corpus", str(seeds),
                 "--store", str(store_dir)]) == 0  # bob's mark is not mine
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        articles = app.query_one(ArticleList)
        every = articles.row_keys
        # A burst: F, then down, then open: lands in the second article not done by me.
        await burst(pilot, "F", "j", "enter")
        shown = articles.row_keys
        assert FIRST not in shown and ARTICLE not in shown and OTHER in shown
        assert len(shown) == len(every) - 2
        assert app.session.article.id == shown[1]
        assert app.focused is app.reader
        assert "not done by me" in str(articles.border_subtitle)
        await burst(pilot, "tab", "F")
        assert articles.row_keys == every


# --------------------------------------------------------------------------- agreement


async def test_A_shows_the_agreement_and_enter_opens_a_disagreement(seeds: Path,
                                                                    store_dir: Path) -> None:
    fill_example(seeds, store_dir)
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await burst(pilot, "v")  # bob's: enter must bring everyone's view back
        # A burst: the screen, the second disagreement, open it.
        await burst(pilot, "A", "j", "enter")
        assert not isinstance(app.screen, AgreeScreen)
        session = app.session
        assert session.article.id == ARTICLE
        # The second costliest (cli's order): bob has no schedule, 635:694.
        assert app.reader.selection == Span(635, 694)
        assert session.view == View("all")
        assert app.focused is app.reader
        await burst(pilot, "A")
        screen = app.screen
        assert isinstance(screen, AgreeScreen)
        text = screen_text(app)
        assert "Agreement of 3 annotators: alice, bob, carol" in text
        # αu as the CLI computes it (tests/test_agree.py and the issue notes' example).
        for line, figures in (("claim", "0.61"), ("threat", "0.82"), ("all tags", "0.74")):
            row = next(r for r in text.splitlines() if f" {line} " in r and figures in r)
            assert row
        assert "alice–bob" in text and "0.67" in text
        assert screen.chosen.cost == 96
        await burst(pilot, "escape")
        assert not isinstance(app.screen, AgreeScreen)


async def test_A_with_one_annotator_says_why_there_is_nothing(seeds: Path,
                                                              store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "A")
        assert not isinstance(app.screen, AgreeScreen)
        assert "Agreement needs two annotators' work" in status(app)
        await burst(pilot, "j")  # the next key is the list's, as if A had not been typed
        assert app.session.article.id == app.corpus.ids[1]


# --------------------------------------------------------------------------- curation


def gold(store_dir: Path) -> list[tuple[int, int, str, tuple[str, ...]]]:
    found = Store(store_dir, annotator="x").annotations(ARTICLE)
    return sorted((a.start, a.end, a.tag, a.adjudicated_from) for a in found
                  if a.annotator == "gold")


async def test_C_takes_a_version_both_or_neither_undoably(seeds: Path, store_dir: Path) -> None:
    fill_example(seeds, store_dir)
    sources = {k: v for k, v in shards(store_dir).items() if "gold" not in k}
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_example(pilot)
        # A burst: the screen, then take the first version (alice's) of the first
        # disagreement in text order: the schedule bob does not have.
        await burst(pilot, "C", "t")
        screen = app.screen
        assert isinstance(screen, CurateScreen)
        assert gold(store_dir) == [(635, 694, "schedule", ("alice", "carol"))]
        assert screen.decision() == "alice and carol's version"
        # bob's version (nothing there) replaces it; u undoes that.
        await burst(pilot, "l", "t")
        assert gold(store_dir) == []
        assert screen.decision() == "nothing here"
        await burst(pilot, "u")
        assert gold(store_dir) == [(635, 694, "schedule", ("alice", "carol"))]
        # The colossal-mistake sentence: threat (alice), a narrower threat (bob), claim
        # (carol). b takes every version's passage, x none of them.
        await burst(pilot, "j", "b")
        assert [g for g in gold(store_dir) if g[0] > 2000] == [
            (2167, 2263, "claim", ("carol",)), (2167, 2263, "threat", ("alice",)),
            (2168, 2247, "threat", ("bob",))]
        assert screen.decision() == "both (every version)"
        await burst(pilot, "x")
        assert [g for g in gold(store_dir) if g[0] > 2000] == []
        assert screen.decision() == "nothing here"
        await burst(pilot, "u", "escape")
        assert not isinstance(app.screen, CurateScreen)
        assert len(gold(store_dir)) == 4
        # The curated set is shown read-only in the reader, as the last view.
        await burst(pilot, "v", "v", "v")
        assert app.session.view == View("curated", "gold")
        assert len(app.reader.annotations) == 4
    # The annotators' own shards were never touched.
    assert {k: v for k, v in shards(store_dir).items() if "gold" not in k} == sources
    # newsmark adjudicate run again keeps the curator's decisions (they are later).
    before = gold(store_dir)
    assert main(["adjudicate", "--into", "gold", "--corpus", str(seeds),
                 "--store", str(store_dir)]) == 0
    assert set(before) <= set(gold(store_dir))


async def test_C_with_nothing_to_curate_says_why(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "C")
        assert not isinstance(app.screen, CurateScreen)
        assert "Curation needs two annotators' work" in status(app)


# --------------------------------------------------------------------------- snapshots


def _curating(seeds: Path, store_dir: Path) -> NewsmarkApp:
    fill_example(seeds, store_dir)
    return make_app(seeds, store_dir)


def test_agreement_screen_snapshot(snap_compare, seeds: Path, store_dir: Path) -> None:
    app = _curating(seeds, store_dir)

    async def run_before(pilot) -> None:
        await burst(pilot, "A")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_curation_screen_snapshot(snap_compare, seeds: Path, store_dir: Path) -> None:
    app = _curating(seeds, store_dir)

    async def run_before(pilot) -> None:
        await open_example(pilot)
        await burst(pilot, "C", "j", "l")

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_everyones_view_snapshot(snap_compare, seeds: Path, store_dir: Path) -> None:
    app = _curating(seeds, store_dir)

    async def run_before(pilot) -> None:
        await open_example(pilot)
        await burst(pilot, "a")
        await suggested(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


# --------------------------------------------------------------------------- through git


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
async def test_a_colleagues_work_and_my_done_mark_travel_through_git(team) -> None:  # noqa: F811
    laptop, colleague = team("alice"), team("bob")
    quote = "Russian President Vladimir Putin is satisfied with the outcome of talks"
    tag(colleague, "bob", quote)
    commit(colleague, "bob's claim")
    assert sync(colleague).returncode == 0
    assert sync(laptop).returncode == 0
    seeds = laptop / "seeds"
    app = make_app(seeds, laptop / "annotations")
    async with app.run_test(size=(120, 36)) as pilot:
        await open_example(pilot)
        assert [a.annotator for a in app.reader.annotations] == ["bob"]
        assert by(app.articles, ARTICLE) == "1"
        await burst(pilot, "w")
    commit(laptop, "done")
    assert sync(laptop).returncode == 0
    assert sync(colleague).returncode == 0
    assert is_done(Store(colleague / "annotations", annotator="bob"), ARTICLE, "alice")
    progress = json.loads(newsmark("progress", "--format", "json", cwd=colleague,
                                   annotator="bob").stdout)
    alice = next(row for row in progress["annotators"] if row["name"] == "alice")
    assert alice["done_articles"] == [ARTICLE]


