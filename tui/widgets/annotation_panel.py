"""The annotation panel (``a``): the open article's annotations in text order, under a line of
counts per tag.

A :class:`~tui.widgets.row_list.RowList` whose header is the counts: a row is drawn only when it
is on screen, so a thousand annotations cost what the visible ones cost. Every cell is a
``Text`` made from the raw string: quotes and notes are never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.message import Message

from ..bindings import bindings
from ..editing import shorten
from ..layout import display_text
from ..model import Annotation, sort_key
from ..styles import Looks, legend
from .row_list import Column, RowList

#: Dim: the header's total, the annotator.
NONE = Style(dim=True)
#: Marks before a quote: it has a note (when the note column is not shown), it was placed by
#: similarity in a changed text, it was not found in it.
NOTED = ("✎ ", Style(bold=True))
FUZZY = ("≈ ", Style(bold=True))
ORPHAN = ("⚠ orphan ", Style(bold=True))
NOTE = Style(italic=True)


class AnnotationPanel(RowList):
    """One row per annotation: tag letter, quote, note, annotator; the counts above.

    Its reactive :attr:`highlighted` is the highlighted annotation's id. A double click posts
    :class:`JumpRequested`; keys are the ``panel`` scope of the key table (moving is done here,
    jumping, deleting, notes and retagging by the app, for the highlighted annotation).
    """

    BINDINGS = bindings("panel")

    #: Below these widths the note and annotator columns are left out (a note then shows as
    #: ✎ before the quote).
    NOTE_COLUMN_FROM = 50
    ANNOTATOR_COLUMN_FROM = 70

    class JumpRequested(Message):
        """The user asked to see the annotation in the reader (a double click)."""

        def __init__(self, annotation_id: str) -> None:
            super().__init__()
            self.annotation_id = annotation_id

    def __init__(self, looks: Looks, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(_columns(note=False, annotator=False), cursor_style=looks.selection,
                         id=id, classes=classes)
        self.looks = looks
        self.tags = looks.tags
        self.annotations: list[Annotation] = []
        """The annotations shown, in text order."""
        self._by_id: dict[str, Annotation] = {}
        self._counts: dict[str, int] = {}
        self._note_column = False
        self._annotator_column = False
        self.owner: str | None = None
        """Whose tags are one's own when several annotators' are shown (see the reader)."""
        self.initials: dict[str, str] = {}
        """Annotator → initial, shown beside each row's tag letter (everyone's view)."""

    def set_view(self, owner: str | None, initials: dict[str, str]) -> None:
        """Mark others' annotations (not ``owner``'s) with their ``initials`` and style."""
        if (owner, initials) != (self.owner, self.initials):
            self.owner, self.initials = owner, dict(initials)
            self.set_columns(_columns(self._note_column, self._annotator_column,
                                      bool(self.initials)))

    def set_annotations(self, annotations: Sequence[Annotation], *,
                        keep: str | None = None) -> None:
        """Show ``annotations`` in text order, with ``keep`` highlighted if it is one of them
        (else the highlighted one if it still is, else the one that takes its place: after a
        delete, the next, so ``x x`` deletes two in a row)."""
        before, row = self._by_id, self.highlighted_row
        # Text order; one passage tagged alike by several annotators: by annotator.
        self.annotations = sorted(annotations, key=lambda a: (*sort_key(a)[:3], a.annotator,
                                                              a.id))
        self._by_id = {annotation.id: annotation for annotation in self.annotations}
        # The same list changed (some rows are still there), not another article's list.
        edited = not before.keys().isdisjoint(self._by_id)
        if keep not in self._by_id:
            keep = self.highlighted if self.highlighted in self._by_id else None
        if keep is None and edited and row is not None:
            keep = self.annotations[min(row, len(self.annotations) - 1)].id
        counts: dict[str, int] = {}
        for annotation in self.annotations:
            counts[annotation.tag] = counts.get(annotation.tag, 0) + 1
        self._counts = counts
        self.set_rows(list(self._by_id), self._cells, highlight=keep)

    def render_header(self, width: int) -> list[Segment]:
        """The count of each tag, as the legend shows them (:func:`tui.styles.legend`: the
        roomiest form that fits, so no count is cut), and the total where there is room."""
        room = width - 1  # a space before, as before the rows
        total = Text(f"{len(self.annotations)} in all", style=NONE)
        line = Text(" ")
        with_total = legend(self.looks, room - 2 - total.cell_len, self._counts)
        if with_total.cell_len + 2 + total.cell_len <= room:
            line.append_text(with_total)
            line.append("  ")
            line.append_text(total)
        else:
            line.append_text(legend(self.looks, room, self._counts))
        return list(line.render(self.app.console))

    def on_row_list_activated(self, event: RowList.Activated) -> None:
        event.stop()
        self.post_message(self.JumpRequested(event.key))

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        note, annotator = width >= self.NOTE_COLUMN_FROM, width >= self.ANNOTATOR_COLUMN_FROM
        if (note, annotator) != (self._note_column, self._annotator_column):
            self._note_column, self._annotator_column = note, annotator
            self.set_columns(_columns(note, annotator, bool(self.initials)))

    def _cells(self, annotation_id: str) -> Sequence[Text]:
        annotation = self._by_id[annotation_id]
        other = (self.owner is not None and bool(annotation.annotator)
                 and annotation.annotator != self.owner)
        style = (self.looks.other_marker(annotation.tag) if other
                 else self.looks.marker(annotation.tag))
        marker = Text(self.looks.letter(annotation.tag), style=style)
        quote = Text()
        if annotation.anchor == "orphan":
            quote.append(*ORPHAN)
        elif annotation.anchor == "fuzzy":
            quote.append(*FUZZY)
        if annotation.note and not self._note_column:
            quote.append(*NOTED)
        quote.append(display_text(shorten(annotation.text, 200)))
        cells = [marker, quote]
        if self.initials:
            cells.insert(0, Text(self.initials.get(annotation.annotator, "?"), style=style))
        if self._note_column:
            cells.append(Text(display_text(shorten(annotation.note, 80)), style=NOTE))
        if self._annotator_column:
            cells.append(Text(display_text(annotation.annotator), style=NONE))
        return cells


def _columns(note: bool, annotator: bool, initials: bool = False) -> list[Column]:
    """(The annotator's initial,) tag letter, quote, and the note and annotator where there is
    room."""
    columns = [Column(width=1), Column("Quote", min_width=8)]
    if initials:
        columns.insert(0, Column(width=1))
    if note:
        columns.append(Column("Note", width=16))
    if annotator:
        columns.append(Column("By", width=10))
    return columns
