"""A list of one-line rows under a header line, drawn with Textual's Line API.

:class:`RowList` draws only the rows on screen, as toolong's ``LogLines`` draws only the visible
lines of a log: a row's cells are asked for (and turned into a :class:`~textual.strip.Strip`)
when the row is painted, never before. Setting 10 000 rows stores their keys, so it costs what
setting 10 does, and so does scrolling through them.

Rows are plain data: a key (a string, unique in the list) and its cells, one
``rich.text.Text`` per column, given by a function of the key. Nothing is parsed as markup: a
cell shows what its ``Text`` holds (control characters are the caller's to make visible, with
``tui.layout.display_text``; a newline cuts a cell to its first line).

The list uses only Textual's public API (``ScrollView``, ``render_line``, ``refresh_lines``,
reactives), so it does not break with a minor release of Textual as a subclass of
``DataTable`` writing its internals did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: What gives a row's cells: a function of the row's key (``cells.__getitem__`` for a dict).
CellsOf = Callable[[str], Sequence[Text]]

#: Lines above the rows: the header line, which does not scroll.
HEADER_LINES = 1

#: Rows whose strips are kept between paints (a few screens' worth).
STRIPS_KEPT = 512

SPACE = Segment(" ")
EMPTY = Text()


@dataclass(frozen=True)
class Column:
    """One column: its ``title`` in the header, its ``width`` in cells (None: the width the
    other columns leave, at least ``min_width``; one column of a list may say so), and how its
    cells are aligned."""

    title: str | Text = ""
    width: int | None = None
    justify: Literal["left", "right"] = "left"
    min_width: int = 4


def column_widths(columns: Sequence[Column], width: int) -> list[int]:
    """The width of each column in a line ``width`` cells wide: the fixed ones as given, the
    one without a width gets what is left (a line starts with a space and columns are one
    space apart)."""
    fixed = sum(column.width for column in columns if column.width is not None)
    rest = width - 1 - fixed - max(0, len(columns) - 1)
    return [
        column.width if column.width is not None else max(column.min_width, rest)
        for column in columns
    ]


def row_segments(columns: Sequence[Column], widths: Sequence[int], cells: Sequence[Text],
                 console: Console) -> list[Segment]:
    """One line of cells as segments: each cell cut (with an ellipsis) or padded to its
    column's width, a space before the first and between each two.

    A missing cell is left blank; a cell holding a newline shows its first line. The cells
    are never changed: the caller may keep them. Each cell is rendered alone: joining them in
    one long ``Text`` first would copy every span and add styles across the whole line.
    """
    segments = [SPACE]
    for number, (column, width) in enumerate(zip(columns, widths)):
        if number:
            segments.append(SPACE)
        cell = cells[number] if number < len(cells) else EMPTY
        if "\n" in cell.plain:
            cell = cell.split("\n")[0]  # one line: a stray newline would break the row
        if cell.cell_len > width:
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis")
        gap = Segment(" " * (width - cell.cell_len))
        rendered: Iterable[Segment] = cell.render(console)
        if cell.style:  # Text.render leaves a Text's own style out when it has no spans
            rendered = Segment.apply_style(rendered, console.get_style(cell.style))
        if column.justify == "right":
            segments.append(gap)
            segments.extend(rendered)
        else:
            segments.extend(rendered)
            segments.append(gap)
    return segments


class RowList(ScrollView, can_focus=True, inherit_bindings=False):
    """One-line rows in fixed-width columns under a header line, one row highlighted.

    Give it rows with :meth:`set_rows` (keys, and a function giving a key's cells); change one
    row with :meth:`refresh_row` (only that line is repainted); take rows out with
    :meth:`remove_rows`. The highlighted row's key is the reactive :attr:`highlighted`: its
    watchers run at once, in the same step as the key or click that moved it.

    The actions ``cursor_down``, ``cursor_up``, ``page_down``, ``page_up``, ``first`` and
    ``last`` move the highlight and keep it in view, scrolling as little as they can (a page
    scrolls by a page). A click highlights a row; a double click posts :class:`Activated`.
    Subclasses bind keys to these actions (``BINDINGS``): the list itself binds none, so the
    one key table says what every key does.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-list--header"}
    """``row-list--header``: the header line (under the styles of its own text)."""

    DEFAULT_CSS = """
    RowList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    RowList > .row-list--header {
        text-style: bold;
    }
    """

    ALLOW_SELECT = False

    highlighted: var[str | None] = var(None)
    """The key of the highlighted row (None: the list is empty). Setting it to a key of the
    list moves the highlight there; any other value is ignored. Watchers run synchronously."""

    class Activated(Message):
        """A row was double-clicked."""

        def __init__(self, row_list: RowList, key: str) -> None:
            super().__init__()
            self.row_list = row_list
            self.key = key

        @property
        def control(self) -> RowList:
            """The list whose row it was."""
            return self.row_list

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        cursor_style: Style | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """``cursor_style`` is laid over the highlighted row (default: reverse video)."""
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._columns: tuple[Column, ...] = tuple(columns)
        self._cursor_style = cursor_style if cursor_style is not None else Style(reverse=True)
        self._keys: list[str] = []
        self._index: dict[str, int] = {}
        self._cells_of: CellsOf = lambda key: ()
        self._cursor = -1
        self._strips: LRUCache[str, Strip] = LRUCache(STRIPS_KEPT)
        self._header: Strip | None = None
        self._widths: tuple[int, list[int]] | None = None
        self._base_style: Style | None = None

    # ------------------------------------------------------------------ what it shows

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns, left to right."""
        return self._columns

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Show ``columns`` (the cells function must now give cells for them)."""
        self._columns = tuple(columns)
        self._forget_strips()
        self.refresh()

    def set_rows(self, keys: Iterable[str], cells: CellsOf, *,
                 highlight: str | None = None) -> None:
        """Show one row per key, in order; ``cells(key)`` gives a row's cells when it is drawn.

        The highlight goes to ``highlight`` if it is one of the keys, else stays on the row
        highlighted now if it is still listed, else goes to the first row.
        """
        self._cells_of = cells
        self._forget_strips()
        self._show_keys(list(keys), highlight if highlight is not None else self.highlighted)
        self.refresh()

    def remove_rows(self, keys: Iterable[str]) -> None:
        """Take the rows of ``keys`` out (keys not listed are ignored). A highlighted row that
        goes passes the highlight to the row that takes its place."""
        gone = {key for key in keys if key in self._index}
        if not gone:
            return
        highlighted = self.highlighted
        kept = [key for key in self._keys if key not in gone]
        if highlighted in gone:
            before = sum(1 for key in self._keys[: self._cursor] if key not in gone)
            highlighted = kept[min(before, len(kept) - 1)] if kept else None
        for key in gone:
            self._strips.discard(key)
        self._show_keys(kept, highlighted)
        self.refresh()

    def refresh_row(self, key: str) -> None:
        """The row's cells changed: ask for them again and repaint that row (only it)."""
        index = self._index.get(key)
        if index is None:
            return
        self._strips.discard(key)
        self._refresh_index(index)

    def refresh_header(self) -> None:
        """The header changed: repaint its line (only it)."""
        self._header = None
        self.refresh(Region(0, 0, self.size.width, HEADER_LINES))

    @property
    def row_count(self) -> int:
        """How many rows there are."""
        return len(self._keys)

    @property
    def row_keys(self) -> tuple[str, ...]:
        """The keys of the rows, top to bottom."""
        return tuple(self._keys)

    def row_index(self, key: str) -> int | None:
        """Where the row of ``key`` is (0: the top), or None if it is not listed."""
        return self._index.get(key)

    def row_cells(self, key: str) -> Sequence[Text]:
        """The cells the row of ``key`` shows (what the cells function gives for it)."""
        if key not in self._index:
            raise KeyError(key)
        return self._cells_of(key)

    @property
    def highlighted_row(self) -> int | None:
        """The position of the highlighted row (0: the top), or None if there are no rows."""
        return self._cursor if self._keys else None

    def highlight(self, key: str) -> bool:
        """Highlight the row of ``key`` (and scroll it into view); False if it is not listed."""
        index = self._index.get(key)
        if index is None:
            return False
        self._move_cursor(index)
        return True

    # ------------------------------------------------------------------ actions

    def action_cursor_down(self) -> None:
        """Highlight the next row."""
        self._move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Highlight the previous row."""
        self._move_cursor(self._cursor - 1)

    def action_page_down(self) -> None:
        """Scroll a page down, the highlight with it (the last row at the end)."""
        self._page(self._page_rows())

    def action_page_up(self) -> None:
        """Scroll a page up, the highlight with it (the first row at the top)."""
        self._page(-self._page_rows())

    def action_first(self) -> None:
        """Highlight the first row."""
        self._move_cursor(0)

    def action_last(self) -> None:
        """Highlight the last row."""
        self._move_cursor(len(self._keys) - 1)

    # ------------------------------------------------------------------ the mouse

    def on_click(self, event: events.Click) -> None:
        """A click highlights the row under it; a double click also activates it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < HEADER_LINES:
            return
        index = self.scroll_offset.y + offset.y - HEADER_LINES
        if not 0 <= index < len(self._keys):
            return
        event.stop()
        self._move_cursor(index)
        if event.chain >= 2:
            self.post_message(self.Activated(self, self._keys[index]))

    # ------------------------------------------------------------------ drawing

    def render_header(self, width: int) -> list[Segment]:
        """The header line for a list ``width`` cells wide: the column titles. Subclasses may
        show something else there (the annotation panel shows its counts)."""
        titles = [Text(column.title) if isinstance(column.title, str) else column.title
                  for column in self._columns]
        return row_segments(self._columns, self._column_widths(width), titles, self.app.console)

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines in ``crop``: with the widget's style of now (the theme, the focus of
        a container may have changed it), which kept rows are drawn in or drawn again."""
        style = self.rich_style
        if style != self._base_style:
            self._forget_strips()
            self._base_style = style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the widget: the header, a row, or blank below the last row."""
        if self._base_style is None:
            self._base_style = self.rich_style
        base = self._base_style
        width = self.scrollable_content_region.width
        if y < HEADER_LINES:
            if self._header is None or self._header.cell_length != width:
                style = self.get_component_rich_style("row-list--header")
                self._header = self._strip(self.render_header(width), width, style)
            return self._header
        index = self.scroll_offset.y + y - HEADER_LINES
        if not 0 <= index < len(self._keys):
            return Strip.blank(width, base)
        key = self._keys[index]
        strip = self._strips.get(key)
        if strip is None or strip.cell_length != width:
            segments = row_segments(self._columns, self._column_widths(width),
                                    self._cells_of(key), self.app.console)
            strip = self._strip(segments, width, base)
            self._strips[key] = strip
        if index == self._cursor:
            strip = Strip(Segment.apply_style(strip, post_style=self._cursor_style),
                          strip.cell_length)
        return strip

    @staticmethod
    def _strip(segments: list[Segment], width: int, style: Style) -> Strip:
        return Strip(segments).adjust_cell_length(width).apply_style(style)

    def _column_widths(self, width: int) -> list[int]:
        if self._widths is None or self._widths[0] != width:
            self._widths = (width, column_widths(self._columns, width))
        return self._widths[1]

    def notify_style_update(self) -> None:
        """The theme or the styles changed: draw every line again."""
        super().notify_style_update()
        self._forget_strips()
        self._base_style = None

    def on_resize(self) -> None:
        """Keep the highlighted row in view when the list grows or shrinks."""
        self._scroll_to_cursor()

    def _forget_strips(self) -> None:
        self._strips.clear()
        self._header = None
        self._widths = None

    # ------------------------------------------------------------------ the highlight

    def validate_highlighted(self, key: str | None) -> str | None:
        """Only a listed key can be highlighted (None only when nothing is listed)."""
        if key is None and not self._keys:
            return None
        return key if key in self._index else self.highlighted

    def watch_highlighted(self, key: str | None) -> None:
        """Move the highlight to a key set from outside."""
        # Runs before the other watchers: they see the highlight moved and in view.
        index = self._index.get(key) if key is not None else None
        if index is not None and index != self._cursor:
            self._move_cursor(index)

    def _show_keys(self, keys: list[str], highlight: str | None) -> None:
        """Make ``keys`` the rows, with ``highlight`` (if listed, else the first) highlighted."""
        self._keys = keys
        self._index = dict(zip(keys, range(len(keys))))
        self.virtual_size = Size(0, len(keys) + HEADER_LINES)
        if not keys:
            self._cursor = -1
            self.highlighted = None
            return
        index = self._index.get(highlight, 0) if highlight is not None else 0
        self._cursor = index
        self._scroll_to_cursor()
        self.highlighted = keys[index]

    def _move_cursor(self, index: int) -> None:
        if not self._keys:
            return
        index = max(0, min(index, len(self._keys) - 1))
        if index == self._cursor:
            return
        old, self._cursor = self._cursor, index
        self._refresh_index(old)
        self._refresh_index(index)
        self._scroll_to_cursor()
        self.highlighted = self._keys[index]

    def _page(self, rows: int) -> None:
        if not self._keys:
            return
        top = self.scroll_offset.y
        bottom = max(0, len(self._keys) - self._page_rows())
        self._scroll_rows_to(max(0, min(top + rows, bottom)))
        self._move_cursor(self._cursor + rows)

    def _page_rows(self) -> int:
        """How many rows one screen of the list shows."""
        return max(1, self.scrollable_content_region.height - HEADER_LINES)

    def _scroll_to_cursor(self) -> None:
        """Scroll as little as brings the highlighted row into view (and no further down
        than shows the last row at the bottom, when rows were taken away)."""
        if self._cursor < 0 or not self.scrollable_content_region.height:
            return
        rows = self._page_rows()
        top = min(self.scroll_offset.y, max(0, len(self._keys) - rows))
        if self._cursor < top:
            top = self._cursor
        elif self._cursor >= top + rows:
            top = self._cursor - rows + 1
        if top != self.scroll_offset.y:
            self._scroll_rows_to(top)

    def _scroll_rows_to(self, top: int) -> None:
        # force: the scrollbar may not be there yet when rows were set in this same step.
        self.scroll_to(y=top, animate=False, force=True)

    def _refresh_index(self, index: int) -> None:
        """Repaint the row at ``index`` if it is on screen."""
        line = index + HEADER_LINES
        top = self.scroll_offset.y
        if 0 <= index < len(self._keys) and top <= index < top + self._page_rows():
            self.refresh_lines(line)  # a virtual line: ScrollView subtracts the scroll
