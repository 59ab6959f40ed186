"""The annotation panel (``a``): the open article's annotations in text order.

A DataTable (rendered virtually, so a thousand rows cost what the visible ones cost), with the
counts per tag above it. Every cell is a ``Text`` made from the raw string: quotes and notes are
never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ..bindings import bindings
from ..editing import shorten
from ..layout import display_text
from ..model import Annotation, sort_key
from ..styles import Looks
from .tables import FixedWidthTable


class AnnotationTable(FixedWidthTable[Text]):
    """The rows of the panel; keys act on the highlighted annotation."""

    BINDINGS = bindings("panel")

    def action_first(self) -> None:
        """The first annotation."""
        self.action_scroll_top()

    def action_last(self) -> None:
        """The last annotation."""
        self.action_scroll_bottom()


class AnnotationPanel(Vertical):
    """Counts per tag, then one row per annotation: tag, quote, note, annotator."""

    DEFAULT_CSS = """
    AnnotationPanel {
        height: 1fr;
    }
    AnnotationPanel > #panel-counts {
        height: 1;
        padding: 0 1;
    }
    AnnotationPanel > AnnotationTable {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, looks: Looks, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.looks = looks
        self.tags = looks.tags
        self.annotations: list[Annotation] = []

    def compose(self) -> ComposeResult:
        yield Static(id="panel-counts")
        yield AnnotationTable(cursor_type="row", id="panel-table")

    @property
    def table(self) -> AnnotationTable:
        return self.query_one(AnnotationTable)

    @property
    def rows(self) -> AnnotationTable:
        """The rows (what takes the focus)."""
        return self.table

    def focus_rows(self) -> None:
        """Put the focus on the rows."""
        self.table.focus()

    def on_mount(self) -> None:
        self._columns()

    #: Below these widths the note and annotator columns are left out (a note then shows as
    #: ✎ after the quote).
    NOTE_COLUMN_FROM = 50
    ANNOTATOR_COLUMN_FROM = 70

    def _columns(self) -> None:
        table = self.table
        table.clear(columns=True)
        width = self.size.width
        self._note_column = width >= self.NOTE_COLUMN_FROM
        self._annotator_column = width >= self.ANNOTATOR_COLUMN_FROM
        note_width = 16 if self._note_column else 0
        annotator_width = 10 if self._annotator_column else 0
        columns = 1 + self._note_column + self._annotator_column
        quote_width = width - 1 - note_width - annotator_width - 2 * (columns + 1) - 2
        table.add_column(Text("", style="bold"), key="tag", width=1)
        table.add_column("Quote", key="quote", width=max(8, quote_width))
        if self._note_column:
            table.add_column("Note", key="note", width=note_width)
        if self._annotator_column:
            table.add_column("By", key="annotator", width=annotator_width)
        self._width = width

    def on_resize(self) -> None:
        if getattr(self, "_width", None) != self.size.width:
            self.set_annotations(self.annotations, keep=self.highlighted_id)

    @property
    def highlighted_id(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def set_annotations(self, annotations: Sequence[Annotation], *,
                        keep: str | None = None) -> None:
        """Show ``annotations`` in text order; keep the row of ``keep`` highlighted."""
        self.annotations = sorted(annotations, key=sort_key)
        if not self.display:
            # Hidden (the article list is shown): counts and rows are built when the panel is
            # shown, not on every tag or preview (1 000 rows take a tenth of a second, and
            # updating the counts line re-lays out the whole screen).
            self._stale = True
            return
        by_name = {tag.name: tag for tag in self.tags}
        counts = Text(no_wrap=True, overflow="ellipsis")
        for tag in self.tags:
            number = sum(1 for a in self.annotations if a.tag == tag.name)
            counts.append(*self.looks.chip(tag.name))
            counts.append(f" {number}  ", style="bold" if number else "dim")
        counts.append(f"{len(self.annotations)} in all", style="dim")
        self.query_one("#panel-counts", Static).update(counts)
        self._stale = False
        self._columns()
        table = self.table
        for annotation in self.annotations:
            tag = by_name.get(annotation.tag)
            marker = Text(self.looks.letter(annotation.tag),
                          style=self.looks.marker(annotation.tag))
            quote = Text(display_text(shorten(annotation.text, 200)), no_wrap=True,
                         overflow="ellipsis")
            if annotation.note and not self._note_column:
                quote = Text.assemble(("✎ ", "bold"), quote, no_wrap=True, overflow="ellipsis")
            if annotation.anchor == "orphan":
                quote = Text.assemble(("⚠ orphan ", "bold"), quote, no_wrap=True,
                                      overflow="ellipsis")
            elif annotation.anchor == "fuzzy":
                quote = Text.assemble(("≈ ", "bold"), quote, no_wrap=True, overflow="ellipsis")
            cells = [marker, quote]
            if self._note_column:
                cells.append(Text(display_text(shorten(annotation.note, 80)), no_wrap=True,
                                  overflow="ellipsis", style="italic"))
            if self._annotator_column:
                cells.append(Text(display_text(annotation.annotator), no_wrap=True,
                                  overflow="ellipsis", style="dim"))
            table.add_row(*cells, key=annotation.id)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def on_show(self) -> None:
        if getattr(self, "_stale", False):
            self.set_annotations(self.annotations)

    def highlight(self, annotation_id: str) -> None:
        """Move the panel's cursor to ``annotation_id``."""
        if getattr(self, "_stale", False):
            self.set_annotations(self.annotations)
        table = self.table
        if annotation_id in table.rows:
            table.move_cursor(row=table.get_row_index(annotation_id), animate=False)
