"""The Line-API list: RowList.

Each test runs the widget in a small real Textual app, drives it with Pilot (keys, clicks) and
checks what ``render_line`` draws: the text of the lines and the styles of their segments.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widget import Widget

from tui.bindings import bindings
from tui.widgets.row_list import Column, RowList


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
        BINDINGS = [Binding("x", "key_x")]

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
