"""The Line-API lists: RowList, and the article list and annotation panel built on it.

Each test runs the widget in a small real Textual app, drives it with Pilot (keys, clicks) and
checks what ``render_line`` draws: the text of the lines and the styles of their segments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widget import Widget

from tui.bindings import bindings
from tui.config import DEFAULT_TAGS
from tui.corpus import ArticleInfo, load_article
from tui.model import Annotation, Span, TagDef
from tui.styles import Looks
from tui.widgets.annotation_panel import AnnotationPanel
from tui.widgets.article_list import ArticleList
from tui.widgets.row_list import Column, RowList

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FIVE_TAGS = (*DEFAULT_TAGS, TagDef("quote", "q", "5", "#af87ff", "a quoted source", "Q"))


class Rows(RowList):
    """A RowList bound to the article list's keys, recording what it is asked to draw."""

    BINDINGS = bindings("list")

    def __init__(self, columns: Sequence[Column] = (), **kwargs: object) -> None:
        super().__init__(columns, **kwargs)  # type: ignore[arg-type]
        self.drawn: list[int] = []

    def render_line(self, y: int) -> Strip:
        self.drawn.append(y)
        return super().render_line(y)


class Harness(App[None]):
    """One widget, ``width`` × ``height`` cells, optionally in a border as in the app."""

    def __init__(self, widget: Widget, *, width: int = 40, height: int = 12,
                 border: bool = False) -> None:
        super().__init__()
        self.widget = widget
        self.width, self.height, self.border = width, height, border
        self.previews: list[tuple[str | None, int | None]] = []
        self.seen_by_keys: list[str | None] = []
        self.messages: list[object] = []

    def compose(self) -> ComposeResult:
        yield self.widget

    def on_mount(self) -> None:
        styles = self.widget.styles
        styles.width, styles.height = self.width, self.height
        if self.border:
            styles.border = ("round", "grey")
        self.widget.focus()

    # What the app does: it previews the highlighted row, and keys typed ahead see it.
    def preview(self, key: str | None) -> None:
        widget = self.widget
        assert isinstance(widget, RowList)
        self.previews.append((key, widget.highlighted_row))

    def key_x(self) -> None:
        self.seen_by_keys.append(self.previews[-1][0] if self.previews else None)

    def on_row_list_activated(self, message: RowList.Activated) -> None:
        self.messages.append(message)

    def on_article_list_opened(self, message: ArticleList.Opened) -> None:
        self.messages.append(message)

    def on_annotation_panel_jump_requested(
        self, message: AnnotationPanel.JumpRequested
    ) -> None:
        self.messages.append(message)


def lines(widget: RowList) -> list[str]:
    """The text of every line the widget shows."""
    return [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]


def numbered(count: int) -> tuple[list[str], Callable[[str], Sequence[Text]], list[str]]:
    """``count`` keys, their cells (key and a number), and the list of keys whose cells were
    asked for."""
    keys = [f"row{number:05d}" for number in range(count)]
    asked: list[str] = []

    def cells(key: str) -> Sequence[Text]:
        asked.append(key)
        return [Text(key), Text(str(int(key[3:])))]

    return keys, cells, asked


COLUMNS = [Column("Key", width=8), Column("Number")]


def infos(count: int) -> list[ArticleInfo]:
    return [
        ArticleInfo(f"{n:05d}", Path(f"/corpus/{n:05d}.txt"), f"Headline {n}",
                    ("Reuters", "AP", "")[n % 3], f"2024-01-{1 + n % 28:02d}")
        for n in range(count)
    ]


def annotation(article, start: int, end: int, tag: str, **changes: object) -> Annotation:
    made = Annotation.new(article, Span(start, end), tag, annotator="tester")
    if changes:
        from dataclasses import replace

        made = replace(made, **changes)
    return made


# ---------------------------------------------------------------------- RowList


async def test_ten_thousand_rows_draw_only_what_is_on_screen() -> None:
    rows = Rows(COLUMNS, id="subject")
    app = Harness(rows, height=12)
    keys, cells, asked = numbered(10_000)
    async with app.run_test(size=(60, 20)) as pilot:
        rows.set_rows(keys, cells)
        await pilot.pause()
        assert rows.row_count == 10_000
        assert rows.highlighted == "row00000" and rows.highlighted_row == 0
        shown = lines(rows)
        assert shown[0].split() == ["Key", "Number"]
        assert shown[1].split() == ["row00000", "0"]
        assert shown[11].split() == ["row00010", "10"]
        assert len(set(asked)) == 11  # one screen of rows, not 10 000
        asked.clear()
        await pilot.press("G")  # last
        assert rows.highlighted == "row09999"
        assert lines(rows)[-1].split() == ["row09999", "9999"]
        assert rows.scroll_offset.y == 10_000 - 11
        assert set(asked) == {f"row{n:05d}" for n in range(10_000 - 11, 10_000)}
        asked.clear()
        await pilot.press("home")
        assert rows.scroll_offset.y == 0 and rows.highlighted == "row00000"
        assert len(asked) <= 11  # strips of the first screen may still be kept


async def test_a_page_asks_for_one_screen_of_rows_however_many_there_are() -> None:
    for count in (30, 10_000):
        rows = Rows(COLUMNS, id="subject")
        app = Harness(rows, height=12)
        keys, cells, asked = numbered(count)
        async with app.run_test(size=(60, 20)) as pilot:
            rows.set_rows(keys, cells)
            await pilot.pause()
            asked.clear()
            await pilot.press("pagedown")
            assert rows.highlighted_row == 11 and rows.scroll_offset.y == 11
            assert sorted(set(asked)) == keys[11:22]


async def test_moving_scrolls_as_little_as_keeps_the_highlight_in_view() -> None:
    rows = Rows(COLUMNS, id="subject")
    app = Harness(rows, height=11)  # a header and 10 rows
    keys, cells, _ = numbered(50)
    async with app.run_test(size=(60, 20)) as pilot:
        rows.set_rows(keys, cells)
        await pilot.pause()
        await pilot.press(*["j"] * 9)
        assert (rows.highlighted_row, rows.scroll_offset.y) == (9, 0)
        await pilot.press("down")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (10, 1)
        await pilot.press(*["down"] * 3)
        assert (rows.highlighted_row, rows.scroll_offset.y) == (13, 4)
        await pilot.press(*["k"] * 9)
        assert (rows.highlighted_row, rows.scroll_offset.y) == (4, 4)
        await pilot.press("up")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (3, 3)
        # A page keeps the highlight where it is on screen; at the ends it goes to the end.
        await pilot.press("space")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (13, 13)
        await pilot.press("pageup", "pageup")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (0, 0)
        await pilot.press("end")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (49, 40)
        await pilot.press("pagedown")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (49, 40)
        await pilot.press("up", "home")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (0, 0)
        assert rows.highlight("row00030")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (30, 21)
        assert not rows.highlight("no such row")
        assert rows.highlighted == "row00030"


async def test_fewer_rows_scroll_back_so_no_screen_is_left_half_empty() -> None:
    rows = Rows(COLUMNS, id="subject")
    app = Harness(rows, height=11)  # a header and 10 rows
    keys, cells, _ = numbered(100)
    async with app.run_test(size=(60, 20)) as pilot:
        rows.set_rows(keys, cells)
        await pilot.press("end", "up")
        assert (rows.highlighted_row, rows.scroll_offset.y) == (98, 90)
        rows.set_rows(keys[::4] + ["row00098"], cells)  # 26 rows, the highlighted one last
        assert (rows.highlighted_row, rows.scroll_offset.y) == (25, 16)
        await pilot.pause()
        assert lines(rows)[-1].split() == ["row00098", "98"]


async def test_the_highlighted_row_is_drawn_reversed_and_only_it() -> None:
    rows = Rows(COLUMNS, id="subject")
    app = Harness(rows)
    keys, cells, _ = numbered(5)
    async with app.run_test(size=(60, 20)) as pilot:
        rows.set_rows(keys, cells)
        await pilot.press("down")
        for y in range(1, 6):
            reversed_ = {bool(segment.style and segment.style.reverse)
                         for segment in rows.render_line(y)}
            assert reversed_ == {y == 2}, y


async def test_refreshing_a_row_repaints_only_its_line() -> None:
    rows = Rows(COLUMNS, id="subject")
    app = Harness(rows)
    keys, cells, asked = numbered(100)
    numbers = {key: str(int(key[3:])) for key in keys}
    async with app.run_test(size=(60, 20)) as pilot:
        rows.set_rows(keys, lambda key: (cells(key)[0], Text(numbers[key])))
        await pilot.pause()
        rows.drawn.clear()
        asked.clear()
        numbers["row00004"] = "changed"
        rows.refresh_row("row00004")
        rows.refresh_row("row00090")  # off screen: nothing to paint
        rows.refresh_row("no such row")
        await pilot.pause()
        assert rows.drawn == [5]  # the header is line 0
        assert asked == ["row00004"]
        assert lines(rows)[5].split() == ["row00004", "changed"]
        # Moving the highlight repaints the two rows it leaves and enters.
        rows.drawn.clear()
        await pilot.press("down")
        assert sorted(set(rows.drawn)) == [1, 2]


async def test_keys_in_a_burst_each_see_the_highlight_of_the_keys_before() -> None:
    """Keys that arrive in one read are handled in order, and the app's watcher has already
    run when the next key is handled (keys typed ahead see the preview switched)."""
    from textual.binding import Binding

    class Keyed(Harness):
        # Priority, as every binding of the key table: it runs in the step that reads it.
        BINDINGS = [Binding("x", "key_x", priority=True)]

        def action_key_x(self) -> None:
            self.key_x()

    rows = Rows(COLUMNS, id="subject")
    app = Keyed(rows, height=6)
    keys, cells, _ = numbered(40)
    async with app.run_test(size=(60, 20)) as pilot:
        rows.set_rows(keys, cells)
        app.watch(rows, "highlighted", app.preview, init=False)
        await pilot.pause()
        burst = ["down", "down", "x", "pagedown", "x", "G", "x", "k", "up", "x", "home", "x"]
        for key in burst:
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause()
        assert app.seen_by_keys == ["row00002", "row00007", "row00039", "row00037",
                                    "row00000"]
        assert app.previews == [("row00001", 1), ("row00002", 2), ("row00007", 7),
                                ("row00039", 39), ("row00038", 38), ("row00037", 37),
                                ("row00000", 0)]
        assert rows.scroll_offset.y == 0


async def test_a_click_highlights_and_a_double_click_activates() -> None:
    rows = Rows(COLUMNS, id="subject")
    app = Harness(rows, border=True)
    keys, cells, _ = numbered(30)
    async with app.run_test(size=(60, 20)) as pilot:
        rows.set_rows(keys, cells)
        await pilot.pause()
        # In the border: line 1 is the header, line 2 the first row.
        await pilot.click(rows, offset=(5, 4))
        assert rows.highlighted == "row00002" and app.messages == []
        await pilot.click(rows, offset=(5, 1))  # the header: nothing happens
        assert rows.highlighted == "row00002"
        await pilot.press("pagedown")
        top = rows.scroll_offset.y
        assert top > 0
        await pilot.click(rows, offset=(5, 2), times=2)
        await pilot.pause()
        assert rows.highlighted == keys[top]
        assert [(type(m), m.key) for m in app.messages] == [(RowList.Activated, keys[top])]


async def test_setting_and_removing_rows_keeps_the_highlight_where_it_can() -> None:
    rows = Rows(COLUMNS, id="subject")
    app = Harness(rows)
    keys, cells, _ = numbered(10)
    async with app.run_test(size=(60, 20)) as pilot:
        app.watch(rows, "highlighted", app.preview, init=False)
        rows.set_rows(keys, cells)
        rows.highlight("row00004")
        rows.set_rows(list(reversed(keys)), cells)  # still listed: still highlighted
        assert rows.highlighted == "row00004" and rows.highlighted_row == 5
        rows.set_rows(keys, cells, highlight="row00007")
        assert rows.highlighted == "row00007"
        rows.remove_rows(["row00007", "row00008", "nothing"])
        assert rows.highlighted == "row00009" and rows.row_count == 8
        rows.remove_rows(["row00009"])  # the last row goes: the one above takes it
        assert rows.highlighted == "row00006"
        rows.set_rows(keys[:3], cells)  # not listed any more: the first row
        assert rows.highlighted == "row00000"
        rows.highlighted = "row00002"  # the reactive moves it too
        assert rows.highlighted_row == 2
        rows.highlighted = "not a row"
        assert rows.highlighted == "row00002"
        rows.set_rows([], cells)
        assert rows.highlighted is None and rows.highlighted_row is None
        await pilot.press("down", "end")  # nothing to move
        await pilot.pause()
        assert lines(rows)[1].strip() == ""
        assert [key for key, _ in app.previews] == [
            "row00000", "row00004", "row00007", "row00009", "row00006", "row00000",
            "row00002", None,
        ]


async def test_cells_are_never_markup_and_a_newline_cannot_break_the_line() -> None:
    rows = Rows(COLUMNS, id="subject")
    app = Harness(rows)
    cells = {"a": [Text("[bold]x[/bold]"), Text("two\nlines")]}
    async with app.run_test(size=(60, 20)) as pilot:
        rows.set_rows(["a"], cells.__getitem__)
        await pilot.pause()
        line = rows.render_line(1)
        assert line.text.split() == ["[bold]x…", "two"]
        assert line.cell_length == rows.scrollable_content_region.width
        assert not any(segment.style and segment.style.bold for segment in line)


# ---------------------------------------------------------------------- the article list


async def test_article_list_of_ten_thousand_makes_cells_for_the_screen_only() -> None:
    made: list[str] = []

    class Counting(ArticleList):
        def _cells(self, article_id: str) -> Sequence[Text]:
            made.append(article_id)
            return super()._cells(article_id)

    articles = Counting(Looks(DEFAULT_TAGS), id="subject")
    app = Harness(articles, width=90, height=20)
    async with app.run_test(size=(100, 30)) as pilot:
        articles.set_articles(infos(10_000), {"00003": {"claim": 2, "schedule": 12}})
        await pilot.pause()
        assert articles.row_count == 10_000
        assert len(set(made)) == 19
        shown = lines(articles)
        assert shown[0].split() == ["Title", "Outlet", "Date", "C", "T", "D", "S"]
        assert shown[4].split() == ["Headline", "3", "Reuters", "2024-01-04", "2", "·", "·",
                                    "12"]
        await pilot.press("end")
        assert articles.highlighted == "09999"
        assert lines(articles)[-1].split()[:2] == ["Headline", "9999"]


async def test_article_list_narrow_shows_a_digit_per_tag_and_the_marks(tmp_path: Path) -> None:
    looks = Looks(FIVE_TAGS)
    articles = ArticleList(looks, id="subject")
    app = Harness(articles, width=28, height=10, border=True)
    bad = tmp_path / "latin1.txt"
    async with app.run_test(size=(80, 24)) as pilot:
        listed = infos(3)
        articles.set_articles(listed, {"00001": {"claim": 3, "quote": 25}},
                              marks={"00002": "damaged: bad JSON"})
        await pilot.pause()
        shown = lines(articles)
        assert shown[0].split() == ["Title", "C", "T", "D", "S", "Q"]
        assert shown[2].endswith(" 3 · · · +")
        assert shown[3].startswith(" ! Headline 2")
        # An article found to have decoding problems when loaded gets its ⚠.
        bad.write_bytes(b"Caf\xe9 opens\n\nThe caf\xe9 opened on Monday.\n")
        article = load_article(bad, "00000")
        assert article.problems
        articles.set_problems("00000", article.problems)
        await pilot.pause()
        assert lines(articles)[1].startswith(" ⚠ Headline 0")
        articles.set_mark("00002", "")
        articles.set_problems("00000", ())
        assert lines(articles)[3].startswith(" Headline 2")
        assert lines(articles)[1].startswith(" Headline 0")
        # The header's letters are the tags' markers, styled by the looks.
        header = [s for s in articles.render_line(0) if s.text.strip()]
        styled = {s.text.strip(): s.style for s in header if s.text.strip() in "CTDSQ"}
        assert styled["Q"].bgcolor == looks.marker("quote").bgcolor
        assert styled["Q"].bold


async def test_article_list_filter_sort_and_counts_in_place() -> None:
    articles = ArticleList(Looks(DEFAULT_TAGS), id="subject")
    app = Harness(articles, width=90, height=12)
    async with app.run_test(size=(100, 30)) as pilot:
        app.watch(articles, "highlighted", app.preview, init=False)
        articles.set_articles(infos(30), {})
        articles.highlight("00012")
        articles.set_filter("headline 1")
        assert [a.id for a in articles.visible_articles()] == [
            "00001", *(f"{n:05d}" for n in range(10, 20))]
        assert articles.highlighted == "00012"  # still listed, still highlighted
        assert articles.border_subtitle is not None
        await pilot.press("o")  # by title
        assert articles.sort_by == "title" and articles.border_title == "Articles by title"
        await pilot.press("o")  # by outlet: the empty ones last
        assert articles.row_keys[-3:] == ("00011", "00014", "00017")  # no outlet
        assert articles.highlighted == "00012"
        articles.set_filter("")
        assert articles.row_count == 30 and articles.border_subtitle is None
        await pilot.pause()
        row = articles.row_index("00012")
        assert row is not None
        articles.set_counts("00012", {"threat": 4})
        await pilot.pause()
        line = lines(articles)[row + 1 - articles.scroll_offset.y]
        assert line.split()[-4:] == ["·", "4", "·", "·"]
        assert [key for key, _ in app.previews] == ["00000", "00012"]


async def test_article_list_drops_removed_files_and_double_click_opens() -> None:
    articles = ArticleList(Looks(DEFAULT_TAGS), id="subject")
    app = Harness(articles, width=90, height=12)
    async with app.run_test(size=(100, 30)) as pilot:
        listed = infos(5)
        articles.set_articles(listed, {})
        articles.highlight("00002")
        renamed = ArticleInfo("00001", listed[1].path, "A better title", "BBC", "2024-02-02")
        articles.update_articles([renamed], removed=[listed[2].path])
        await pilot.pause()
        assert articles.row_keys == ("00000", "00001", "00003", "00004")
        assert articles.highlighted == "00003"
        assert lines(articles)[2].split()[:4] == ["A", "better", "title", "BBC"]
        await pilot.click(articles, offset=(3, 2), times=2)
        await pilot.pause()
        assert [(type(m), m.article_id) for m in app.messages] == [
            (ArticleList.Opened, "00001")]


# ---------------------------------------------------------------------- the annotation panel


async def test_panel_header_never_cuts_a_count_at_any_width() -> None:
    looks = Looks(FIVE_TAGS)
    panel = AnnotationPanel(looks, id="subject")
    app = Harness(panel)
    article = load_article(SEEDS / "000_459b4affb575bcd9.txt")
    counts = {"claim": 123, "threat": 45, "denial": 0, "schedule": 7, "quote": 9}
    made = [annotation(article, n, n + 5, tag) for tag, count in counts.items()
            for n in range(count)]
    async with app.run_test(size=(80, 24)) as pilot:
        panel.set_annotations(made)
        await pilot.pause()
        kinds = set()
        for width in range(24, 120):
            plain = Text.assemble(*(
                (segment.text, segment.style) for segment in panel.render_header(width)
            )).plain
            assert len(plain) <= width, (width, plain)
            shown = re.findall(r"\b([CTDSQ])(?: [a-z]+)? +(\d+)\b", plain)
            assert shown == [(tag.marker, str(counts[tag.name])) for tag in FIVE_TAGS], plain
            kinds.add("in all" in plain)
        assert kinds == {True, False}  # the total where there is room


async def test_panel_header_at_28_columns_shows_five_tags_and_their_counts() -> None:
    looks = Looks(FIVE_TAGS)
    panel = AnnotationPanel(looks, id="subject")
    app = Harness(panel, width=28, height=12, border=True)
    article = load_article(SEEDS / "000_459b4affb575bcd9.txt")
    made = [annotation(article, 10 * n, 10 * n + 8, tag.name)
            for n, tag in enumerate(FIVE_TAGS * 4)]
    async with app.run_test(size=(80, 24)) as pilot:
        panel.set_annotations(made)
        await pilot.pause()
        assert panel.show_vertical_scrollbar  # 20 rows: the scrollbar takes a column too
        header = lines(panel)[0]
        assert header.split() == ["C", "4", "T", "4", "D", "4", "S", "4", "Q", "4"]
        assert [row[:3] for row in lines(panel)[1:6]] == [f" {t.marker} " for t in FIVE_TAGS]
        letter = next(s for s in panel.render_line(0) if s.text.strip() == "Q")
        assert letter.style is not None
        assert letter.style.bgcolor == looks.marker("quote").bgcolor and letter.style.bold


async def test_panel_rows_notes_marks_and_keep() -> None:
    looks = Looks(DEFAULT_TAGS, mono=True)
    panel = AnnotationPanel(looks, id="subject")
    app = Harness(panel, width=28, height=12)
    article = load_article(SEEDS / "000_459b4affb575bcd9.txt")
    first = annotation(article, 0, 20, "claim", note="check this")
    moved = annotation(article, 40, 60, "threat", anchor="fuzzy")
    lost = annotation(article, 80, 100, "denial", anchor="orphan")
    other = annotation(article, 120, 130, "not in the tag set")
    async with app.run_test(size=(100, 24)) as pilot:
        panel.set_annotations([lost, other, first, moved])
        await pilot.pause()
        assert panel.row_keys == (first.id, moved.id, lost.id, other.id)
        assert panel.highlighted == first.id
        shown = lines(panel)
        assert shown[1].startswith(" C ✎ ")
        assert shown[2].startswith(" T ≈ ")
        assert shown[3].startswith(" D ⚠ orphan ")
        assert shown[4].startswith(" ? ")
        marker = panel.render_line(1)
        claim = next(s for s in marker if s.text == "C")
        assert claim.style.bold  # monochrome: the claim's own text style
        panel.set_annotations([first, moved], keep=moved.id)
        assert panel.highlighted == moved.id
        await pilot.press("k")
        assert panel.highlighted == first.id
        # Wide: the note and annotator get columns of their own.
        panel.styles.width = 90
        await pilot.pause()
        wide = lines(panel)[1]
        assert "✎" not in wide and "check this" in wide and "tester" in wide
        await pilot.click(panel, offset=(4, 2), times=2)
        await pilot.pause()
        assert [(type(m), m.annotation_id) for m in app.messages] == [
            (AnnotationPanel.JumpRequested, moved.id)]


async def test_panel_style_follows_the_theme() -> None:
    panel = AnnotationPanel(Looks(DEFAULT_TAGS), id="subject")
    app = Harness(panel)
    article = load_article(SEEDS / "000_459b4affb575bcd9.txt")
    async with app.run_test(size=(80, 24)) as pilot:
        panel.set_annotations([annotation(article, 0, 20, "claim")])
        await pilot.pause()
        before = list(panel.render_line(3))[0].style
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        after = list(panel.render_line(3))[0].style
        assert isinstance(before, Style) and isinstance(after, Style)
        assert before.bgcolor != after.bgcolor
