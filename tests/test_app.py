"""The app driven like a user: real keys through Pilot, a real store on disk, the real seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from typed import suggested

from tui.app import NewsmarkApp
from tui.config import Config
from tui.corpus import load_corpus
from tui.editing import annotation_under
from tui.model import Annotation, Span
from tui.sentences import sentence_spans
from tui.store import Store
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader

SIZE = (100, 30)


def make_app(seeds: Path, store_dir: Path, annotator: str = "tester") -> NewsmarkApp:
    corpus = load_corpus([seeds])
    return NewsmarkApp(corpus, Store(store_dir, annotator=annotator), config=Config(),
                       annotator=annotator)


def reader_text(app: NewsmarkApp) -> str:
    """What the reader shows, line by line, as plain text."""
    reader = app.query_one(Reader)
    index = reader._index
    assert index is not None
    return "\n".join(
        "".join(segment.text for segment in reader.line_segments(y)) for y in range(len(index))
    )


def selected_text(app: NewsmarkApp) -> str:
    reader = app.query_one(Reader)
    assert reader.selection is not None and reader.article is not None
    return reader.article.text[reader.selection.start : reader.selection.end]


async def test_start_focus_and_first_article(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.query_one(ArticleList)
        assert articles.has_focus
        assert articles.row_count == 5
        assert articles.highlighted == "000_459b4affb575bcd9"
        assert app.query_one(Reader).article.id == "000_459b4affb575bcd9"
        # Moving in the list previews the next article.
        await pilot.press("down")
        await pilot.pause()
        assert app.query_one(Reader).article.id == "001_bf000ff86f6a5f51"
        await pilot.press("enter")
        await pilot.pause()
        assert app.query_one(Reader).has_focus
        await pilot.press("tab")
        assert articles.has_focus


async def test_tag_three_sentences_quit_reopen(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    expected: list[tuple[str, str]] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        reader = app.query_one(Reader)
        await pilot.press("1")
        expected.append(("claim", selected_text(app)))
        await pilot.press("j", "j")
        await pilot.press("2")
        expected.append(("threat", selected_text(app)))
        await pilot.press("down")
        await pilot.press("s")
        expected.append(("schedule", selected_text(app)))
        await pilot.pause()
        assert "saved" in app.status_line.message
        on_disk = Store(store_dir, annotator="tester").annotations(reader.article.id)
        assert sorted((a.tag, a.text) for a in on_disk) == sorted(expected)
        # The article list counts them.
        row = app.query_one(ArticleList).row_cells("000_459b4affb575bcd9")
        assert str(row[-1]) == "1 1 · 1"
        await pilot.press("q")
    assert not app.is_running

    reopened = make_app(seeds, store_dir)
    async with reopened.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = reopened.query_one(Reader).annotations
        assert sorted((a.tag, a.text) for a in shown) == sorted(expected)
        for annotation in shown:
            article = reopened.corpus.get(annotation.article_id)
            assert article.text[annotation.start : annotation.end] == annotation.text
            assert annotation.annotator == "tester"


async def test_tagged_sentence_is_coloured_at_once(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "j", "2", "j")
        await pilot.pause()
        reader = app.query_one(Reader)
        threat = reader.annotations[0]
        y = reader._index.line_of(threat.start)
        colour = Config().tag("threat").colour.lstrip("#").lower()
        backgrounds = {
            segment.style.bgcolor.triplet.hex.lstrip("#")
            for segment in reader.line_segments(y)
            if segment.style and segment.style.bgcolor and segment.style.bgcolor.triplet
        }
        assert colour in backgrounds
        # The gutter marks the line with the tag's letter, readable without colour.
        gutter = "".join(s.text for s in reader.line_segments(y))[:2]
        assert "T" in gutter


async def test_tag_key_toggles_and_x_removes(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "c")
        reader = app.query_one(Reader)
        article_id = reader.article.id
        assert [a.tag for a in Store(store_dir, annotator="x").annotations(article_id)] == [
            "claim"
        ]
        await pilot.press("c")  # the same tag again on the same passage removes it
        assert Store(store_dir, annotator="x").annotations(article_id) == []
        assert "Removed claim" in app.status_line.message
        await pilot.press("d", "t")  # two tags on one sentence are both kept
        assert sorted(a.tag for a in Store(store_dir, annotator="x").annotations(article_id)) == [
            "denial", "threat",
        ]
        await pilot.press("x")
        assert len(Store(store_dir, annotator="x").annotations(article_id)) == 1


async def test_undo_and_redo_across_the_session(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1", "j", "2", "j", "3", "x")
        article_id = app.query_one(Reader).article.id

        def tags() -> list[str]:
            return sorted(a.tag for a in Store(store_dir, annotator="t").annotations(article_id))

        assert tags() == ["claim", "threat"]
        await pilot.press("u")
        assert tags() == ["claim", "denial", "threat"]
        assert "Undid removing denial" in app.status_line.message
        await pilot.press("u", "u")
        assert tags() == ["claim"]
        await pilot.press("ctrl+r")
        assert tags() == ["claim", "threat"]
        await pilot.press("u", "u", "u")
        assert tags() == []
        await pilot.press("u")
        assert "Nothing to undo" in app.status_line.message


async def test_undo_deletes_an_annotation_from_an_earlier_session(
    seeds: Path, store_dir: Path
) -> None:
    corpus = load_corpus([seeds])
    article = corpus.load_all()[0]
    first = sentence_spans(article.text, article.boilerplate)[0]
    Store(store_dir, annotator="tester").add(
        Annotation.new(article, first, "claim", annotator="tester")
    )
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "x")
        assert Store(store_dir, annotator="t").annotations(article.id) == []
        await pilot.press("u")
        restored = Store(store_dir, annotator="t").annotations(article.id)
        assert [a.text for a in restored] == [article.text[first.start : first.end]]


async def test_markup_in_the_text_is_shown_literally(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        shown = reader_text(app)
        assert "[NATO’s]" in shown


async def test_cursor_never_stops_on_boilerplate(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "down", "down", "enter")  # seed 004: junk at the end
        reader = app.query_one(Reader)
        article = reader.article
        seen = []
        for _ in range(len(reader.sentences) + 2):
            seen.append(reader.selection)
            await pilot.press("j")
        assert seen[-1] == reader.sentences[-1]
        for span in set(seen):
            assert not any(span.overlaps(junk) for junk in article.boilerplate)
        assert "Leave a Reply" not in {article.text[s.start : s.end] for s in seen}


async def test_selection_stays_visible(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        reader = app.query_one(Reader)
        for _ in range(25):
            await pilot.press("j")
            await pilot.pause()
            y = reader._index.line_of(reader.selection.start)
            top = int(reader.scroll_offset.y)
            assert top <= y < top + reader.scrollable_content_region.height


async def test_help_lists_every_key(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        from tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_annotation_under_prefers_exact_then_innermost() -> None:
    def ann(i: str, start: int, end: int) -> Annotation:
        return Annotation(id=i, article_id="a", start=start, end=end, tag="claim", text="x",
                          modified=i)

    outer, inner, other = ann("1", 0, 100), ann("2", 10, 20), ann("3", 50, 60)
    assert annotation_under([outer, inner, other], Span(10, 20)) is inner
    assert annotation_under([outer, inner, other], Span(12, 14)) is inner
    assert annotation_under([outer, inner, other], Span(30, 40)) is outer
    assert annotation_under([inner], Span(0, 11)) is inner
    assert annotation_under([other], Span(0, 10)) is None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen_snapshot(snap_compare, size: tuple[int, int], seeds: Path,
                              store_dir: Path) -> None:
    app = make_app(seeds, store_dir)

    async def run_before(pilot) -> None:
        await pilot.press("enter", "j", "2", "j", "j", "1")
        await suggested(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_an_article_reopens_where_it_was_left_in_this_run_and_the_next(
        seeds: Path, store_dir: Path) -> None:
    """The reading place is the selection's sentence when the article is left, kept by the
    text's hash in the user's state folder (each test has its own: tests/conftest.py)."""
    first = load_corpus([seeds]).load_all()[0]
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "j", "j", "j", "j", "j")
        reader = app.query_one(Reader)
        left = reader.selection
        assert app.session.article.id == first.id and left != reader.sentences[0]
        await pilot.press("tab", "down")  # the list: the next article shows, from its start
        await pilot.pause()
        assert app.session.article.id != first.id
        assert reader.selection == reader.sentences[0]
        await pilot.press("up", "enter")  # back: where it was left
        await pilot.pause()
        assert app.session.article.id == first.id and reader.selection == left
    again = make_app(seeds, store_dir)  # the next launch
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        reader = again.query_one(Reader)
        assert again.session.article.id == first.id and reader.selection == left
        top = reader._index.line_of(left.start)
        assert reader.scroll_offset.y <= top < reader.scroll_offset.y + reader.size.height
