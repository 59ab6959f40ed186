"""Suggestions in the reader (issue 15, item 2): shown as marks of their own, accepted with y,
rejected for good with x, stepped through with . and ,, accepted by source with Y after a
question naming the count, hidden and shown with S; every decision undoable. Real store on
disk, real keys (bursts queued whole before the app handles any, as tests/test_typeahead.py),
a new app on the same store for "after a restart".
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from rich.style import Style
from textual.widgets import Static
from typed import burst, settled

from tui.app import NewsmarkApp
from tui.cli import main as cli_main
from tui.config import Config, SuggestSettings
from tui.corpus import load_corpus
from tui.model import Annotation, Span
from tui.screens.confirm import ConfirmScreen
from tui.screens.stats import StatsScreen
from tui.sentences import sentence_spans
from tui.session import Session
from tui.stats import suggestion_counts, suggestions_table
from tui.store import Store
from tui.styles import Looks
from tui.suggest import Suggestion

SIZE = (100, 30)
A000 = "000_459b4affb575bcd9"
A001 = "001_bf000ff86f6a5f51"


def make_app(seeds: Path, store_dir: Path, *, show: bool = True,
             sources: tuple[str, ...] | None = None) -> NewsmarkApp:
    settings = SuggestSettings(show=show, **({"sources": sources} if sources else {}))
    return NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator="tester"),
                       config=Config(suggest=settings), annotator="tester")


def on_disk(store_dir: Path, article_id: str = A000) -> list[Annotation]:
    return sorted(Store(store_dir, annotator="reader-of-tests").annotations(article_id),
                  key=lambda a: a.start)


def rejections(store_dir: Path, article_id: str = A000) -> list[dict]:
    return Store(store_dir, annotator="reader-of-tests").records(article_id, "rejections")


async def suggested(pilot, timeout: float = 30.0) -> list[Suggestion]:
    """Wait until the open article's suggestions are in (the worker's answer); them."""
    app: NewsmarkApp = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not app.session.suggestions_ready:
        await pilot.pause(0.02)
        if loop.time() > deadline:
            raise AssertionError("no suggestions within the time")
    await settled(pilot)
    return list(app.session.suggestions)


async def in_reader(pilot) -> list[Suggestion]:
    await pilot.press("tab")
    assert pilot.app.reader.has_focus
    return await suggested(pilot)


def status(app: NewsmarkApp) -> str:
    return app.status_line.message


def span_of(app: NewsmarkApp) -> tuple[int, int]:
    selection = app.reader.selection
    assert selection is not None
    return selection.start, selection.end


# ------------------------------------------------------------------ accept, reject, restart


async def test_y_accepts_the_suggestion_with_its_source_score_and_date(seeds: Path,
                                                                       store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        assert shown and app.reader.suggestions == shown
        first, second = shown[0], shown[1]
        await burst(pilot, "full_stop")
        assert span_of(app) == (first.start, first.end)
        assert first.tag in status(app) and first.source in status(app)
        await burst(pilot, "y")
        stored = on_disk(store_dir)
        assert [(a.start, a.end, a.tag, a.source, a.score, a.when) for a in stored] == [
            (first.start, first.end, first.tag, first.source, first.score, first.when)]
        assert stored[0].annotator == "tester"
        if first.tag == "schedule":
            assert first.when  # the resolved date goes on the annotation
        # It is a tag now, not a suggestion; the next suggestion is selected.
        assert first not in app.session.suggestions
        assert first not in app.reader.suggestions
        assert app.reader.annotations[0].source == first.source
        assert span_of(app) == (second.start, second.end)
        assert status(app).startswith(f"Accepted {first.tag}")


async def test_x_rejects_for_good_after_a_restart_and_a_rerun(seeds: Path, store_dir: Path,
                                                              capsys) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        await burst(pilot, "full_stop", "full_stop")
        target = shown[1]
        assert span_of(app) == (target.start, target.end)
        await burst(pilot, "x")
        assert status(app).startswith(f"Rejected {target.tag}")
        assert target not in app.session.suggestions
        assert on_disk(store_dir) == []  # nothing tagged
        assert span_of(app) == (shown[2].start, shown[2].end)
    [record] = rejections(store_dir)
    assert (record["key"], record["tag"], record["source"], record["annotator"]) == (
        target.key, target.tag, target.source, "tester")
    # A new app on the same store: the rejected one stays gone, the others are back.
    again = make_app(seeds, store_dir)
    async with again.run_test(size=SIZE) as pilot:
        after = await in_reader(pilot)
        assert target not in after
        assert [s for s in shown if s != target] == after
    # The rules run again from the command line: still not suggested to this annotator.
    capsys.readouterr()
    assert cli_main(["suggest", "--store", str(store_dir), "--annotator", "tester",
                     "--article", A000, "--format", "jsonl", "--corpus", str(seeds)]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert printed and (target.start, target.end, target.tag) not in {
        (r["start"], r["end"], r["tag"]) for r in printed}
    # Another annotator still gets it.
    capsys.readouterr()
    assert cli_main(["suggest", "--store", str(store_dir), "--annotator", "someone-else",
                     "--article", A000, "--format", "jsonl", "--corpus", str(seeds)]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (target.start, target.end, target.tag) in {(r["start"], r["end"], r["tag"])
                                                      for r in printed}


async def test_next_and_previous_suggestion(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        await burst(pilot, "full_stop", "full_stop", "full_stop")
        assert span_of(app) == (shown[2].start, shown[2].end)
        await burst(pilot, "comma")
        assert span_of(app) == (shown[1].start, shown[1].end)
        assert "2/" in status(app)
        await burst(pilot, "comma", "comma")
        assert span_of(app) == (shown[0].start, shown[0].end)
        assert status(app) == "No more suggestions that way."
        await burst(pilot, "end", "full_stop")
        assert status(app) == "No more suggestions that way."
        last = app.reader.sentences[-1]
        await burst(pilot, "comma")
        # The previous suggestion: the one before the last if the cursor is on the last.
        before = shown[-2] if shown[-1].span == last else shown[-1]
        assert span_of(app) == (before.start, before.end)


async def test_y_where_there_is_no_suggestion_says_so(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        reader = app.reader
        free = next(s for s in reader.sentences
                    if not any(x.start < s.end and s.start < x.end for x in shown))
        reader.select(free)
        await burst(pilot, "y")
        assert status(app) == "No suggestion here: . goes to the next one."
        assert on_disk(store_dir) == []


async def test_x_removes_my_tag_first_then_rejects_the_suggestion(seeds: Path,
                                                                  store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        target = shown[0]
        other = next(t.name for t in app.config.tags if t.name != target.tag)
        app.reader.select(target.span)
        slot = next(n for n, t in enumerate(app.config.tags, 1) if t.name == other)
        await burst(pilot, str(slot))  # my tag of another tag on the suggested passage
        assert [a.tag for a in on_disk(store_dir)] == [other]
        assert target in app.session.suggestions  # a different tag: still suggested
        app.reader.select(target.span)
        await burst(pilot, "x")
        assert on_disk(store_dir) == [] and rejections(store_dir) == []
        assert status(app).startswith(f"Removed {other}")
        app.reader.select(target.span)
        await burst(pilot, "x")
        assert [r["key"] for r in rejections(store_dir)] == [target.key]


# ------------------------------------------------------------------ accept all, undo, redo


async def test_accept_all_asks_with_the_count_and_n_cancels(seeds: Path,
                                                            store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        await burst(pilot, "full_stop")
        source = shown[0].source
        count = sum(1 for s in shown if s.source == source)
        assert count > 1
        await burst(pilot, "Y")
        assert isinstance(app.screen, ConfirmScreen)
        assert f"Accept all {count} suggestions from {source}" in app.screen.question
        await burst(pilot, "n")
        assert not isinstance(app.screen, ConfirmScreen)
        assert on_disk(store_dir) == [] and status(app) == "Nothing accepted."
        await burst(pilot, "Y", "y")  # typed ahead: the y is the question's answer
        stored = on_disk(store_dir)
        assert len(stored) == count
        assert {(a.start, a.end, a.tag, a.source) for a in stored} == {
            (s.start, s.end, s.tag, s.source) for s in shown if s.source == source}
        assert not [s for s in app.session.suggestions if s.source == source]
        # One undo takes them all back; redo makes them again.
        await burst(pilot, "u")
        assert on_disk(store_dir) == []
        assert status(app).startswith(f"Undid accepting {count} suggestions")
        assert app.session.suggestions == shown
        await burst(pilot, "ctrl+r")
        assert len(on_disk(store_dir)) == count
        assert app.reader.suggestions == app.session.suggestions


async def test_accept_all_accepts_what_it_asked_about_after_the_suggestions_are_redone(
        seeds: Path, store_dir: Path) -> None:
    """A change sends the suggestions to be worked out again; their answer replaces the list
    shown while the question waits (new objects, the same passages): the yes accepts them."""
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await in_reader(pilot)
        await burst(pilot, "j", "c")  # a tag of mine: the suggestions are worked out again
        await burst(pilot, "full_stop", "Y")
        assert isinstance(app.screen, ConfirmScreen)
        before = list(app.session.suggestions)
        source = app.session.suggestion_at(app.reader.selection).source
        asked = [s for s in before if s.source == source]
        assert f"Accept all {len(asked)} suggestions from {source}" in app.screen.question
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while (app.session.suggestion_request_due
               or any(a is b for a, b in zip(app.session.suggestions, before, strict=False))):
            await pilot.pause(0.05)
            assert loop.time() < deadline, "the suggestions were not worked out again"
        assert app.session.suggestions == before  # the same passages, as new objects
        await burst(pilot, "y")
        stored = {(a.start, a.end, a.tag, a.source) for a in on_disk(store_dir) if a.source}
        assert stored == {(s.start, s.end, s.tag, s.source) for s in asked}
        assert status(app).startswith(f"Accepted {len(asked)} suggestions from {source}")


async def test_accept_all_burst_then_keys_land_after_the_question(seeds: Path,
                                                                  store_dir: Path) -> None:
    """Y, its answer and the keys after it in one burst: the answer reaches the question, the
    keys after it the reader."""
    app = make_app(seeds, store_dir, sources=("rules", "dates"))
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        await burst(pilot, "full_stop", "Y", "y", "u", "j")
        assert not isinstance(app.screen, ConfirmScreen)
        assert on_disk(store_dir) == []  # accepted, then undone by the u typed after
        assert app.session.suggestions == shown
        assert status(app).startswith("Undid accepting")


async def test_undo_and_redo_of_accept_and_reject(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        await burst(pilot, "full_stop", "y", "x")  # accept the first, reject the second
        assert [(a.start, a.tag) for a in on_disk(store_dir)] == [(shown[0].start, shown[0].tag)]
        assert [r["key"] for r in rejections(store_dir)] == [shown[1].key]
        assert app.session.suggestions == shown[2:]
        await burst(pilot, "u")  # the rejection
        assert rejections(store_dir) == []
        assert status(app).startswith("Undid rejecting")
        assert app.session.suggestions == shown[1:]
        await burst(pilot, "u")  # the acceptance
        assert on_disk(store_dir) == []
        assert app.session.suggestions == shown
        await burst(pilot, "ctrl+r")
        assert len(on_disk(store_dir)) == 1 and app.session.suggestions == shown[1:]
        await burst(pilot, "ctrl+r")
        assert [r["key"] for r in rejections(store_dir)] == [shown[1].key]
        assert app.session.suggestions == shown[2:]
        assert app.reader.suggestions == shown[2:]


async def test_y_and_x_in_one_fast_burst(seeds: Path, store_dir: Path) -> None:
    """Going through suggestions as fast as keys come: each y or x decides the next one."""
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        await burst(pilot, "full_stop", "y", "x", "y", "x", "y")
        assert [(a.start, a.tag) for a in on_disk(store_dir)] == [
            (s.start, s.tag) for s in (shown[0], shown[2], shown[4])]
        assert sorted(r["key"] for r in rejections(store_dir)) == sorted(
            s.key for s in (shown[1], shown[3]))
        assert app.session.suggestions == shown[5:]
        # The reader's index, updated by what came and went, is what the session shows.
        assert app.reader.suggestions == shown[5:]
        await burst(pilot, "u", "u", "u")
        assert app.reader.suggestions == app.session.suggestions == shown[2:]


# ------------------------------------------------------------------ on and off


async def test_s_hides_and_shows_and_the_config_sets_the_default(seeds: Path,
                                                                 store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        shown = await in_reader(pilot)
        await burst(pilot, "full_stop", "S", "y", "x", "full_stop")
        assert app.reader.suggestions == [] and app.session.suggestions == []
        assert status(app) == "Suggestions are off: S shows them."
        assert on_disk(store_dir) == [] and rejections(store_dir) == []
        # On again: those computed are shown at once, and keys typed after S act on them.
        await burst(pilot, "S", "home", "full_stop", "y")
        assert app.reader.suggestions == shown[1:]
        assert [(a.start, a.tag) for a in on_disk(store_dir)] == [(shown[0].start, shown[0].tag)]
    hidden = make_app(seeds, store_dir / "other", show=False)
    async with hidden.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await settled(pilot)
        assert hidden.reader.suggestions == [] and not hidden.session.suggestions_ready
        await burst(pilot, "S")
        shown = await suggested(pilot)
        assert shown and hidden.reader.suggestions == shown


async def test_the_palette_toggles_suggestions(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await in_reader(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any("Show or hide the suggestions" in t and "(S)" in t for t in titles)
        command = next(c for c in app.get_system_commands(app.screen)
                       if "Show or hide the suggestions" in c.title)
        command.callback()
        await settled(pilot)
        assert not app.session.suggesting and app.reader.suggestions == []


# ------------------------------------------------------------------ the worker


async def test_a_result_for_an_article_no_longer_open_is_dropped(seeds: Path,
                                                                 store_dir: Path) -> None:
    corpus = load_corpus([seeds])
    session = Session(corpus, Store(store_dir, annotator="t"), config=Config(), annotator="t")
    session.open(A000)
    request = session.suggestion_request()
    assert request is not None and session.suggestion_request() is None  # asked once
    computed = session.compute_suggestions(request)
    session.open(A001)
    assert not session.suggestions_computed(computed)
    assert session.suggestions == [] and not session.suggestions_ready
    later = session.suggestion_request()
    assert later is not None and later.article.id == A001
    assert session.suggestions_computed(session.compute_suggestions(later))
    assert session.suggestions and {s.article_id for s in session.suggestions} == {A001}


async def test_a_result_made_before_a_change_elsewhere_is_dropped(seeds: Path,
                                                                  store_dir: Path) -> None:
    corpus = load_corpus([seeds])
    session = Session(corpus, Store(store_dir, annotator="t"), config=Config(), annotator="t")
    session.open(A000)
    request = session.suggestion_request()
    computed = session.compute_suggestions(request)
    # A tag made in another article (as the compare screen's t does) while the worker ran.
    other = corpus.get(A001)
    assert session.propagate(A001, Span(0, 40), "claim").ok
    assert not session.suggestions_computed(computed)
    fresh = session.suggestion_request()
    assert fresh is not None and fresh.epoch != request.epoch
    assert session.suggestions_computed(session.compute_suggestions(fresh))
    assert other is not None


async def test_tagging_while_the_worker_runs_is_applied_to_its_answer(seeds: Path,
                                                                      store_dir: Path) -> None:
    corpus = load_corpus([seeds])
    session = Session(corpus, Store(store_dir, annotator="t"), config=Config(), annotator="t")
    session.open(A000)
    request = session.suggestion_request()
    computed = session.compute_suggestions(request)
    first = computed.raw[0]
    assert session.tag(first.span, first.tag).ok  # tagged by hand before the answer came
    assert session.suggestions_computed(computed)
    assert first not in session.suggestions
    assert computed.raw[1] in session.suggestions


async def test_a_confirmed_compare_link_makes_the_outlets_suggestion_current(
        seeds: Path, store_dir: Path) -> None:
    """The compare screen's y (Session.settle) is what the outlets suggester follows: the
    confirmed span is suggested in the linked article at score 1, and a rejected cell
    suggests nothing."""
    corpus = load_corpus([seeds])
    session = Session(corpus, Store(store_dir, annotator="t"), config=Config(), annotator="t")
    session.open(A000)
    article = corpus.get(A000)
    start = article.text.index("Biden signals")
    assert session.tag(Span(start, start + 40), "claim").ok
    tagged = session.placed[0]
    target = corpus.get(A001)
    span = sentence_spans(target.plain, target.boilerplate)[1]
    assert session.settle(tagged, A001, "confirmed", span).ok
    session.open(A001)
    assert session.suggestions_computed(
        session.compute_suggestions(session.suggestion_request()))
    linked = [s for s in session.suggestions if s.source == "outlets" and s.tag == "claim"]
    assert [(s.start, s.end, s.score) for s in linked] == [(span.start, span.end, 1.0)]
    # Rejected instead (the same cell): nothing from the outlets there, once made again.
    assert session.settle(tagged, A001, "rejected", span).ok
    request = session.suggestion_request()  # the verdict made them stale
    assert request is not None
    assert session.suggestions_computed(session.compute_suggestions(request))
    assert not [s for s in session.suggestions
                if s.source == "outlets" and s.span == span]
    assert target is not None


# ------------------------------------------------------------------ looks


def test_a_suggestion_looks_like_no_tag_match_or_selection() -> None:
    tags = Config().tags
    for mono in (False, True):
        looks = Looks(tags, mono=mono)
        for tag in tags:
            style = looks.suggestion(tag.name)
            assert style.underline
            assert style.bgcolor is None  # never filled, as one's own tag is
            assert style != looks.tag(tag.name) and style != looks.other(tag.name)
            assert style != looks.match and style != looks.selection
            assert style != looks.boilerplate and style != looks.markup
            assert not style.bold  # others' tags are bold
            assert looks.suggestion_letter(tag.name) == looks.letter(tag.name).lower()
            assert looks.suggestion_letter(tag.name) != looks.letter(tag.name)
        if mono:
            # No colour: dim italic underlined, which no tag's text style is.
            assert looks.suggestion("claim") == Style(dim=True, italic=True, underline=True)
        else:
            assert looks.suggestion("claim").color.name.lower() == tags[0].colour.lower()


@pytest.mark.parametrize("env", [{}, {"TERM": "xterm"}, {"NO_COLOR": "1"}])
async def test_the_reader_draws_suggestions_in_every_colour_mode(
        seeds: Path, store_dir: Path, monkeypatch: pytest.MonkeyPatch, env: dict) -> None:
    """Full colour, 16 colours, NO_COLOR: the suggested passage carries the suggestion's style
    and its line's gutter the lower-case letter; a tagged passage keeps its tag's style."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        shown = await in_reader(pilot)
        reader = app.reader
        looks = reader.looks
        assert looks.mono == ("NO_COLOR" in env)
        target = shown[0]
        y = reader._index.line_of(target.start + 1)
        segments = reader.line_segments(y)
        gutter = "".join(s.text for s in segments)[:3]
        assert looks.suggestion_letter(target.tag) in gutter
        reader.select(Span(0, 0))  # the selection off the passage
        await settled(pilot)
        segments = reader.line_segments(y)
        word = target.text.split()[1]
        styled = [s for s in segments if word in s.text]
        ground = reader.rich_style.bgcolor  # the reader's own background: no fill
        assert styled and all(s.style.underline and s.style.bgcolor == ground
                              and not s.style.bold for s in styled), styled
        if looks.mono:
            assert all(s.style.italic and s.style.dim for s in styled)
        # Tagged: the tag's fill wins over the suggestion's underline.
        reader.select(target.span)
        slot = next(n for n, t in enumerate(app.config.tags, 1) if t.name != target.tag)
        await burst(pilot, str(slot))
        reader.select(Span(0, 0))
        await settled(pilot)
        styled = [s for s in reader.line_segments(y) if word in s.text]
        assert styled and all(s.style.bgcolor != ground and not s.style.underline
                              for s in styled), styled


# ------------------------------------------------------------------ statistics


async def test_the_statistics_screen_shows_the_suggestions_table(seeds: Path,
                                                                 store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 50)) as pilot:
        await in_reader(pilot)
        await burst(pilot, "full_stop", "y", "x", "y")
        await burst(pilot, "g")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        section = screen.query_one("#stats-suggestions", Static)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while "counting" in str(section.content):
            await pilot.pause(0.1)
            assert loop.time() < deadline
        text = section.content.plain
    session = app.session
    store = Store(store_dir, annotator="tester")
    annotations, _ = store.read_all(session.corpus.ids)
    counts = suggestion_counts(session.config, session.corpus, store, annotations, "tester")
    # The same computation and table as `newsmark stats`.
    assert text == suggestions_table(counts).rstrip("\n")
    assert sum(c.accepted for c in counts) == 2 and sum(c.rejected for c in counts) == 1
    assert "rate" in text and "rules" in text


async def test_suggestion_counts_are_the_same_for_the_command_and_the_screen(
        seeds: Path, store_dir: Path, capsys) -> None:
    corpus = load_corpus([seeds])
    session = Session(corpus, Store(store_dir, annotator="tester"), config=Config(),
                      annotator="tester")
    session.open(A000)
    session.suggestions_computed(session.compute_suggestions(session.suggestion_request()))
    first = session.suggestions[0]
    assert session.accept_suggestion(first.span).ok
    assert session.reject_suggestion(session.suggestions[0].span).ok
    capsys.readouterr()
    assert cli_main(["stats", "--store", str(store_dir), "--corpus", str(seeds)]) == 0
    printed = capsys.readouterr().out
    annotations, _ = session.store.read_all(corpus.ids)
    table = suggestions_table(suggestion_counts(Config(), corpus, session.store, annotations,
                                                "tester"))
    assert table in printed
    assert "  1  " in table  # the one accepted and the one rejected are counted


def test_a_rejection_is_a_change_of_the_history(seeds: Path, store_dir: Path) -> None:
    """RejectionChange puts and removes the Rejection record in its annotator's shard (the
    store's rejections section, keyed by the rejection's key); its inverse undoes it."""
    from tui.history import RejectionChange, apply
    from tui.suggest import Rejection

    corpus = load_corpus([seeds])
    article = corpus.get(A000)
    suggestion = Suggestion(A000, 0, 20, "claim", article.text[:20], 0.8, "rules")
    rejection = Rejection.of(suggestion, "tester", now="2026-01-01T00:00:00.000Z")
    store = Store(store_dir, annotator="tester")
    change = RejectionChange(None, rejection, "claim on the start")
    apply(store, change)
    [record] = store.records(A000, "rejections", "tester")
    assert record["id"] == rejection.key == suggestion.key
    assert Rejection.from_dict(record) == rejection
    assert change.verb == "rejecting" and change.inverse().verb.startswith("taking back")
    apply(store, change.inverse())
    assert store.records(A000, "rejections") == []
