"""FixedWidthTable.add_plain_rows fills the table exactly as add_row does (Textual internals)."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.tables import FixedWidthTable


class Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield FixedWidthTable(id="slow", cursor_type="row")
        yield FixedWidthTable(id="fast", cursor_type="row")


async def test_add_plain_rows_matches_add_row() -> None:
    app = Tables()
    async with app.run_test(size=(60, 20)) as pilot:
        slow = app.query_one("#slow", FixedWidthTable)
        fast = app.query_one("#fast", FixedWidthTable)
        rows = [(f"row{n}", [Text(f"title {n}"), Text(str(n))]) for n in range(300)]
        for table in (slow, fast):
            table.add_column("Title", key="title", width=20)
            table.add_column("N", key="n", width=4)
        for key, cells in rows:
            slow.add_row(*cells, key=key)
        fast.add_plain_rows(rows)
        await pilot.pause()
        assert fast.row_count == slow.row_count == 300
        assert [k.value for k in fast.rows] == [k.value for k in slow.rows]
        assert fast.get_row_index("row123") == slow.get_row_index("row123") == 123
        assert fast.get_row("row7") == slow.get_row("row7")
        assert fast.virtual_size == slow.virtual_size
        assert fast.cursor_row == slow.cursor_row == 0
        fast.move_cursor(row=250)
        await pilot.pause()
        assert fast.coordinate_to_cell_key(fast.cursor_coordinate).row_key.value == "row250"
        fast.update_cell("row250", "n", Text("changed"))
        assert str(fast.get_cell("row250", "n")) == "changed"
        fast.remove_row("row0")
        assert fast.row_count == 299 and fast.get_row_index("row1") == 0
        lines = [fast.render_line(y).text for y in range(5)]
        assert any("title" in line for line in lines)
