"""Annotating like a professional, driven through Pilot with the keys a user presses, checked on
screen and in the real store: word trims, nesting, notes, the panel, undo/redo, search, jumps,
the mouse, the palette, a custom tag set, the list filter and sort, a damaged store file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from typed import suggested

from tui.app import NewsmarkApp
from tui.config import DEFAULT_TAGS, Config
from tui.corpus import load_corpus
from tui.model import Annotation, Span, TagDef
from tui.sentences import trim_units, word_spans
from tui.store import Store
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import GUTTER, MARKERS, Reader

SIZE = (100, 30)
A002 = "002_a34abba263e9470d"


def make_app(seeds: Path, store_dir: Path, config: Config | None = None) -> NewsmarkApp:
    return NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator="tester"),
                       config=config or Config(), annotator="tester")


def stored(store_dir: Path, article_id: str) -> list[Annotation]:
    return Store(store_dir, annotator="reader-of-tests").annotations(article_id)


def status(app: NewsmarkApp) -> str:
    return app.status_line.message


async def open_article(pilot, app: NewsmarkApp, article_id: str) -> Reader:
    app.query_one(ArticleList).highlight(article_id)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    reader = app.query_one(Reader)
    assert reader.article.id == article_id and reader.has_focus
    return reader


async def go_to_sentence(pilot, reader: Reader, containing: str) -> Span:
    """Press j until the selected sentence contains ``containing``."""
    for _ in range(len(reader.sentences) + 1):
        span = reader.selection
        if containing in reader.article.text[span.start : span.end]:
            return span
        await pilot.press("j")
    raise AssertionError(f"no sentence contains {containing!r}")


def selected(reader: Reader) -> str:
    return reader.article.text[reader.selection.start : reader.selection.end]


async def test_tag_a_quote_inside_a_sentence_with_word_trims(seeds: Path,
                                                            store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        await go_to_sentence(pilot, reader, "She said Biden warned")
        # "She said Biden warned that the US and its allies will “respond decisively” if
        # Russia invades Ukraine." → the quote, with its quote marks: “respond decisively”.
        units = trim_units(reader.article.text, reader.selection)
        target = reader.article.text.index("“respond decisively”")
        await pilot.press(*["right_square_bracket"] * sum(1 for u in units if u.start < target))
        assert selected(reader).startswith("“respond decisively”")
        after = sum(1 for u in units if u.start > target + len("“respond "))
        await pilot.press(*["left_curly_bracket"] * after)
        assert selected(reader) == "“respond decisively”"
        await pilot.press("2")
        (annotation,) = stored(store_dir, A002)
        assert (annotation.tag, annotation.text) == ("threat", "“respond decisively”")
        assert reader.article.text[annotation.start : annotation.end] == "“respond decisively”"
        # The selection never shrinks below one word and never splits one.
        await pilot.press(*["left_curly_bracket"] * 5)
        assert selected(reader) == "“respond"
        assert "down to one word" in status(app)


async def test_grow_and_shrink_by_sentence_and_escape(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        first = await go_to_sentence(pilot, reader, "This is what we are working for")
        second = reader.sentences[reader.sentences.index(first) + 1]
        await pilot.press("shift+down")
        assert reader.selection == Span(first.start, second.end)
        await pilot.press("J")
        third = reader.sentences[reader.sentences.index(first) + 2]
        assert reader.selection == Span(first.start, third.end)
        await pilot.press("shift+up")
        assert reader.selection == Span(first.start, second.end)
        await pilot.press("K")
        assert reader.selection == first
        await pilot.press("K")
        assert reader.selection == first  # one sentence is the least
        await pilot.press("J", "right_square_bracket", "right_square_bracket", "escape")
        assert reader.selection == first
        await pilot.press("J", "1")
        (annotation,) = stored(store_dir, A002)
        assert annotation.span == Span(first.start, second.end)


async def test_selection_never_swallows_boilerplate(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, "004_320cd11bf9cbfd71")
        await pilot.press("G")  # the last sentence; junk ("Source link") lies after it
        last = reader.selection
        await pilot.press("J", "right_curly_bracket", "right_curly_bracket")
        assert reader.selection == last
        assert not reader.crosses_boilerplate(reader.selection)


async def test_nested_threat_inside_a_claim_both_visible(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        sentence = await go_to_sentence(pilot, reader, "She said Biden warned")
        await pilot.press("c")
        target = reader.article.text.index("respond decisively", sentence.start)
        words = word_spans(reader.article.text, sentence)
        await pilot.press(*["right_square_bracket"] * sum(1 for w in words if w.start < target))
        await pilot.press("t")
        annotations = stored(store_dir, A002)
        assert sorted(a.tag for a in annotations) == ["claim", "threat"]
        claim = next(a for a in annotations if a.tag == "claim")
        threat = next(a for a in annotations if a.tag == "threat")
        assert claim.span == sentence and claim.start < threat.start < threat.end == claim.end
        # On screen: the nested part has the threat colour and an underline; the gutter
        # carries both letters, so the nesting shows in monochrome too.
        y = reader._index.line_of(threat.start)
        segments = reader.line_segments(y)
        gutter = "".join(s.text for s in segments)[:GUTTER]
        assert gutter[:MARKERS] == "CT" and gutter[MARKERS:] == " "  # a blank before the text
        threat_colour = Config().tag("threat").colour.lower()
        offset = 0
        nested_styles = []
        line_start = reader._index.lines[y][0]
        for segment in segments:
            text_offset = offset - GUTTER + line_start
            if offset >= GUTTER and threat.start <= text_offset < threat.end:
                nested_styles.append(segment.style)
            offset += len(segment.text)
        assert nested_styles
        assert any(s.underline and s.bgcolor and s.bgcolor.triplet.hex == threat_colour
                   for s in nested_styles if s)


async def test_notes_on_an_annotation_and_on_the_next_tag(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        await go_to_sentence(pilot, reader, "Ushakov said")
        # A note typed first goes on the next tag.
        await pilot.press("e")
        await pilot.press(*"first [bold]note[/]")
        await pilot.press("enter")
        assert "next tag" in status(app)
        await pilot.press("1")
        (annotation,) = stored(store_dir, A002)
        assert annotation.note == "first [bold]note[/]"
        # n (with no search) edits the note of the tag here.
        await pilot.press("n")
        await pilot.press(*["backspace"] * 30, *"changed")
        await pilot.press("enter")
        assert stored(store_dir, A002)[0].note == "changed"
        # esc cancels without a change.
        await pilot.press("e", "x", "escape")
        assert stored(store_dir, A002)[0].note == "changed"


async def test_undo_five_mixed_changes_and_redo_them(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    states: list[list[tuple[str, int, int, str]]] = []

    def state() -> list[tuple[str, int, int, str]]:
        return sorted((a.tag, a.start, a.end, a.note) for a in stored(store_dir, A002))

    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        await go_to_sentence(pilot, reader, "Ushakov said")
        states.append(state())
        await pilot.press("1")  # add
        states.append(state())
        await pilot.press("r", "3")  # retag claim → denial
        states.append(state())
        await pilot.press("e", *"why", "enter")  # note
        states.append(state())
        await pilot.press("right_square_bracket", "equals_sign")  # resize
        states.append(state())
        await pilot.press("x")  # delete
        states.append(state())
        assert states[1][0][0] == "claim" and states[2][0][0] == "denial"
        assert states[3][0][3] == "why" and states[4][0][1] > states[3][0][1]
        assert states[5] == []
        for expected in reversed(states[:-1]):
            await pilot.press("u")
            assert state() == expected
            assert "Undid" in status(app)
        for expected in states[1:]:
            await pilot.press("ctrl+r")
            assert state() == expected
            assert "Redid" in status(app)


async def test_search_and_tag_the_match(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, "000_459b4affb575bcd9")
        await pilot.press("slash", *"nato", "enter")
        text = reader.article.text
        matches = [i for i in range(len(text)) if text[i : i + 4].lower() == "nato"]
        assert [m.start for m in reader.matches] == matches
        assert selected(reader) == "NATO"
        assert "Match 1 of" in status(app)
        await pilot.press("n")
        assert reader.selection.start == matches[1]
        await pilot.press("N")
        assert reader.selection.start == matches[0]
        await pilot.press("2")
        (annotation,) = stored(store_dir, reader.article.id)
        assert (annotation.text, annotation.tag, annotation.start) == ("NATO", "threat",
                                                                      matches[0])
        await pilot.press("escape")
        assert reader.matches == []
        await pilot.press("slash", *"no such words", "enter")
        assert "not in this article" in status(app)


async def test_jump_between_annotations_and_to_untagged_paragraphs(
    seeds: Path, store_dir: Path
) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        await pilot.press("j", "j", "1", "j", "j", "j", "2")
        claim, threat = sorted(stored(store_dir, A002), key=lambda a: a.start)
        await pilot.press("home")
        await pilot.press("greater_than_sign")
        assert reader.selection == claim.span and reader.active_id == claim.id
        await pilot.press("greater_than_sign")
        assert reader.selection == threat.span
        await pilot.press("greater_than_sign")
        assert "No more tags" in status(app)
        await pilot.press("less_than_sign")
        assert reader.selection == claim.span
        await pilot.press("home", "p")
        paragraph_start = reader.selection.start
        assert not any(a.start <= paragraph_start < a.end for a in (claim, threat))
        await pilot.press("p")
        assert reader.selection.start > paragraph_start
        assert not reader.selection.overlaps(threat.span)


async def test_annotation_panel(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        reader = await open_article(pilot, app, A002)
        await pilot.press("j", "3", "j", "j", "1", "home", "4")
        await pilot.press("a")
        panel = app.query_one(AnnotationPanel)
        assert panel.display and panel.has_focus
        assert not app.query_one(ArticleList).display
        ordered = sorted(stored(store_dir, A002), key=lambda a: a.start)
        assert [a.id for a in panel.annotations] == [a.id for a in ordered]
        counts = "".join(segment.text for segment in panel.render_header(60))
        assert "3 in all" in counts
        # enter jumps the reader to the highlighted one
        await pilot.press("down", "enter")
        assert reader.has_focus and reader.selection == ordered[1].span
        # e edits its note; r retags; x deletes
        await pilot.press("tab")
        assert panel.has_focus
        await pilot.press("e", *"from the panel", "enter")
        assert Store(store_dir, annotator="t").get(A002, ordered[1].id).note == "from the panel"
        await pilot.press("r", "2")
        assert Store(store_dir, annotator="t").get(A002, ordered[1].id).tag == "threat"
        await pilot.press("x")
        assert Store(store_dir, annotator="t").get(A002, ordered[1].id) is None
        assert len(panel.annotations) == 2
        # Closed, the focus goes back where it was when the panel opened: the reader.
        await pilot.press("a")
        assert not panel.display and app.query_one(ArticleList).display and reader.has_focus
        await pilot.press("4")  # the reader takes the keys
        assert len(stored(store_dir, A002)) == 3
        # Opened from the list, closed back to the list.
        await pilot.press("shift+tab")
        assert app.query_one(ArticleList).has_focus
        await pilot.press("a", "a")
        assert app.query_one(ArticleList).has_focus


async def test_panel_stays_usable_with_a_thousand_annotations(seeds: Path,
                                                              store_dir: Path) -> None:
    corpus = load_corpus([seeds])
    article = corpus.get(A002)
    store = Store(store_dir, annotator="bulk")
    words = word_spans(article.text)
    for i in range(1000):
        word = words[i % len(words)]
        store.add(Annotation.new(article, word, DEFAULT_TAGS[i % 4].name, annotator="bulk"))
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, app, A002)
        await pilot.press("a")
        panel = app.query_one(AnnotationPanel)
        assert panel.row_count == 1000
        await pilot.press("end", "enter")
        assert app.query_one(Reader).selection == panel.annotations[-1].span


async def test_mouse_click_and_drag(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        index = reader._index
        sentence = await go_to_sentence(pilot, reader, "This is what we are working for")
        await pilot.press("j")  # the cursor leaves the sentence; the sentence stays in view
        y = index.line_of(sentence.start) - int(reader.scroll_offset.y)
        line_start = index.lines[index.line_of(sentence.start)][0]
        x0 = GUTTER + (sentence.start - line_start) + 3  # inside the first word ("This")
        await pilot.click(reader, offset=(x0, y))
        assert reader.selection == sentence
        # Drag from inside "This" to inside "working": snapped to whole words.
        working = reader.article.text.index("working", sentence.start)
        x1 = GUTTER + (working - line_start) + 2
        await pilot.mouse_down(reader, offset=(x0 - 1, y))
        await pilot._post_mouse_events([events.MouseMove], reader, offset=(x1, y), button=1)
        await pilot.mouse_up(reader, offset=(x1, y))
        assert selected(reader) == "“This is what we are working".lstrip("“")
        await pilot.press("1")
        (claim,) = stored(store_dir, A002)
        # Clicking a tagged passage selects its annotation.
        await pilot.press("j")
        await pilot.click(reader, offset=(x0, y))
        assert reader.active_id == claim.id and reader.selection == claim.span


async def test_command_palette_reaches_actions_with_their_keys(seeds: Path,
                                                               store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        # Two sentences down, into a paragraph of prose (the headline and standfirst above are
        # followed by dimmed lines, which a selection cannot grow across).
        await pilot.press("j", "j")
        first = reader.selection
        assert first is not None and first != reader.sentences[0]
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert any("Grow the selection" in c and "(shift+down, J)" in c for c in commands)
        assert any("Tag threat" in c and "(2, t)" in c for c in commands)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"grow the selection")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert reader.selection.start == first.start and reader.selection.end > first.end


async def test_custom_tag_set_of_five(seeds: Path, store_dir: Path) -> None:
    tags = (*DEFAULT_TAGS, TagDef("rumour", "y", "5", "#af87ff", "an unsourced claim", "R"))
    app = make_app(seeds, store_dir, Config(tags=tags))
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot, app, A002)
        await pilot.press("5", "j", "y")
        assert [a.tag for a in stored(store_dir, A002)] == ["rumour", "rumour"]
        assert "rumour" in str(app.query_one("#legend").render())
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = "".join(
            str(w.render()) for w in app.screen.query("Static")  # the keys table
        )
        assert "rumour" in help_text or app.screen.query_one("Static")


async def test_article_list_filter_and_sort(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        articles = app.query_one(ArticleList)
        await pilot.press("slash", *"luxem")
        assert articles.row_count == 1
        assert articles.highlighted == A002 or articles.row_keys[0] == A002
        await pilot.press("escape")
        assert articles.row_count == 5 and articles.has_focus
        await pilot.press("o")  # by title
        titles = [a.title.casefold() for a in articles.visible_articles()]
        assert titles == sorted(titles)
        assert articles.sort_by == "title"


async def test_damaged_store_file_is_marked_not_fatal(seeds: Path, store_dir: Path) -> None:
    corpus = load_corpus([seeds])
    article = corpus.get(A002)
    Store(store_dir, annotator="tester").add(
        Annotation.new(article, Span(0, 5), "claim", annotator="tester"))
    (shard,) = list(store_dir.rglob("*.json"))
    shard.write_bytes(b'{"schema": 1, "annot')
    damaged_bytes = shard.read_bytes()
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        articles = app.query_one(ArticleList)
        row = articles.row_cells(A002)
        assert str(row[0]).startswith("! ")
        reader = await open_article(pilot, app, A002)
        assert str(shard) in status(app)
        await pilot.press("1")
        assert str(shard) in status(app)
        assert shard.read_bytes() == damaged_bytes
        # Other articles still take tags.
        await pilot.press("tab")
        await open_article(pilot, app, "003_9b9a3ba666ff02ad")
        await pilot.press("1")
        assert len(stored(store_dir, "003_9b9a3ba666ff02ad")) == 1
        assert reader.article.id == "003_9b9a3ba666ff02ad"


async def test_changes_by_another_process_show_up(seeds: Path, store_dir: Path) -> None:
    corpus = load_corpus([seeds])
    article = corpus.get(A002)
    app = make_app(seeds, store_dir)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        await pilot.press("1")
        mine = reader.annotations[0]
        colleague = Store(store_dir, annotator="colleague")
        theirs = Annotation.new(article, Span(10, 20), "threat", annotator="colleague")
        colleague.add(theirs)
        for _ in range(40):
            await pilot.pause(0.1)
            if len(reader.annotations) == 2:
                break
        assert {a.id for a in reader.annotations} == {mine.id, theirs.id}
        # Our undo history still works after the refresh.
        await pilot.press("u")
        assert [a.id for a in stored(store_dir, A002)] == [theirs.id]


@pytest.mark.parametrize("size", [(80, 24)])
def test_snapshot_overlapping_tags(snap_compare, size, seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)

    async def run_before(pilot) -> None:
        await pilot.press("down", "down", "enter", "j", "j", "j", "c")
        await pilot.press("right_square_bracket", "right_square_bracket", "t", "j", "s", "d")
        await suggested(pilot)  # the suggestions' marks are in the picture

    assert snap_compare(app, terminal_size=size, run_before=run_before)


def test_snapshot_panel(snap_compare, seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)

    async def run_before(pilot) -> None:
        await pilot.press("down", "down", "enter", "j", "c", "j", "j", "t", "e")
        await pilot.press(*"a note", "enter", "j", "s", "a")
        await suggested(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_snapshot_help(snap_compare, seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    assert snap_compare(app, terminal_size=(100, 40), press=["question_mark"])


async def test_tags_on_an_edited_text_are_found_again_or_kept_as_orphans(
    seeds: Path, tmp_path: Path, store_dir: Path
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    source = seeds / f"{A002}.txt"
    (folder / source.name).write_bytes(source.read_bytes())
    corpus = load_corpus([folder])
    article = corpus.get(A002)
    text = article.text
    kept_quote = "Bilateral US-Russia talks will start in Geneva on 9 January"
    lost_quote = "The two leaders agreed to keep in regular contact during the negotiations"
    store = Store(store_dir, annotator="tester")
    for quote, tag in ((kept_quote, "schedule"), (lost_quote, "claim")):
        start = text.index(quote)
        store.add(Annotation.new(article, Span(start, start + len(quote)), tag,
                                 annotator="tester"))
    # The source is edited: a paragraph added before, the second sentence deleted.
    edited = "An editor's note added on top.\n\n" + text.replace(
        lost_quote + " and to oversee the bilateral talks directly, he said.", "")
    (folder / source.name).write_text(edited, encoding="utf-8")
    app = NewsmarkApp(load_corpus([folder]), Store(store_dir, annotator="tester"),
                      config=Config(), annotator="tester")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_article(pilot, app, A002)
        placed = {a.text: a for a in reader.annotations}
        assert list(placed) == [kept_quote]
        moved = placed[kept_quote]
        assert reader.article.text[moved.start : moved.end] == kept_quote
        assert moved.start == edited.index(kept_quote)
        assert [a.text for a in app.session.orphans] == [lost_quote]
        await pilot.press("a")
        panel = app.query_one(AnnotationPanel)
        rows = [str(panel.row_cells(key)[1]) for key in panel.row_keys]
        assert any(row.startswith("⚠ orphan") for row in rows)
        # Nothing was written: the store still holds what was made.
        assert {a.start for a in stored(store_dir, A002)} == {
            text.index(kept_quote), text.index(lost_quote)}


async def test_a_store_that_cannot_be_written_means_read_only_mode(seeds: Path,
                                                                   tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's parent folder should be")
    app = make_app(seeds, blocker / "annotations")
    async with app.run_test(size=SIZE) as pilot:
        banner = app.query_one("#banner")
        assert banner.display
        assert "Read-only" in str(banner.render())
        await open_article(pilot, app, A002)
        await pilot.press("1")
        assert "Read-only" in status(app)
        assert app.query_one(Reader).annotations == []
    assert blocker.read_text() == "a file where the store's parent folder should be"
