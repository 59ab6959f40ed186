"""The annotation panel (``a``): the open article's annotations in text order, under a line of
counts per tag.

A :class:`~tui.widgets.row_list.RowList` whose header is the counts: a row is drawn only when it
is on screen, so a thousand annotations cost what the visible ones cost. Every cell is a
``Text`` made from the raw string: quotes and notes are never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.message import Message

from ..bindings import bindings
from ..editing import shorten
from ..layout import display_text
from ..model import Annotation, sort_key
from ..styles import Looks
from .row_list import Column, RowList

#: A count of zero, and one above zero.
NONE = Style(dim=True)
SOME = Style(bold=True)
#: Marks before a quote: it has a note (when the note column is not shown), it was placed by
#: similarity in a changed text, it was not found in it.
NOTED = ("✎ ", Style(bold=True))
FUZZY = ("≈ ", Style(bold=True))
ORPHAN = ("⚠ orphan ", Style(bold=True))
NOTE = Style(italic=True)


def counts_line(looks: Looks, counts: Mapping[str, int], total: int, width: int) -> Text:
    """The panel's header: each tag's letter and count, then the total, in ``width`` cells.

    It takes the roomiest form that fits — tag chips (``[C] 3``), then bare letters (``C3``)
    with the total, then without it, then without spaces — so no count is ever cut: in the
    80×24 screen's panel (25 cells beside its scrollbar) five tags and the total fit. When even
    the tightest form is too wide (many tags, large counts), whole entries are left out and
    ``…`` says so.
    """

    def entries(chips: bool) -> list[Text]:
        found = []
        for tag in looks.tags:
            count = counts.get(tag.name, 0)
            entry = Text()
            if chips:
                entry.append(*looks.chip(tag.name))
                entry.append(" ")
            else:
                entry.append(tag.marker, looks.marker(tag.name))
            entry.append(str(count), SOME if count else NONE)
            found.append(entry)
        return found

    everything = Text(f"{total} in all", style=NONE)
    chips, letters = entries(chips=True), entries(chips=False)
    # (entries, the gap between them, the gap before the total or None: no total)
    forms = ((chips, "  ", "  "), (letters, " ", "  "), (letters, " ", " "), (letters, " ", None),
             (letters, "", None))
    for parts, gap, before_total in forms:
        line = Text(" ")
        line.append_text(Text(gap).join(parts))
        if before_total is not None:
            line.append(before_total)
            line.append_text(everything)
        if line.cell_len <= width:
            return line
    # Too many tags for the width: as many whole entries as fit, and an ellipsis.
    line = Text(" ")
    for part in letters:
        if line.cell_len + part.cell_len + 1 > width:
            line.append("…", NONE)
            break
        line.append_text(part)
    return line


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

    def set_annotations(self, annotations: Sequence[Annotation], *,
                        keep: str | None = None) -> None:
        """Show ``annotations`` in text order, with ``keep`` highlighted if it is one of them
        (else the highlighted one if it still is, else the first)."""
        self.annotations = sorted(annotations, key=sort_key)
        self._by_id = {annotation.id: annotation for annotation in self.annotations}
        counts: dict[str, int] = {}
        for annotation in self.annotations:
            counts[annotation.tag] = counts.get(annotation.tag, 0) + 1
        self._counts = counts
        self.set_rows(list(self._by_id), self._cells, highlight=keep)

    def render_header(self, width: int) -> list[Segment]:
        """The counts per tag and the total (see :func:`counts_line`)."""
        line = counts_line(self.looks, self._counts, len(self.annotations), width)
        return list(line.render(self.app.console))

    def on_row_list_activated(self, event: RowList.Activated) -> None:
        event.stop()
        self.post_message(self.JumpRequested(event.key))

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        note, annotator = width >= self.NOTE_COLUMN_FROM, width >= self.ANNOTATOR_COLUMN_FROM
        if (note, annotator) != (self._note_column, self._annotator_column):
            self._note_column, self._annotator_column = note, annotator
            self.set_columns(_columns(note, annotator))

    def _cells(self, annotation_id: str) -> Sequence[Text]:
        annotation = self._by_id[annotation_id]
        marker = Text(self.looks.letter(annotation.tag), style=self.looks.marker(annotation.tag))
        quote = Text()
        if annotation.anchor == "orphan":
            quote.append(*ORPHAN)
        elif annotation.anchor == "fuzzy":
            quote.append(*FUZZY)
        if annotation.note and not self._note_column:
            quote.append(*NOTED)
        quote.append(display_text(shorten(annotation.text, 200)))
        cells = [marker, quote]
        if self._note_column:
            cells.append(Text(display_text(shorten(annotation.note, 80)), style=NOTE))
        if self._annotator_column:
            cells.append(Text(display_text(annotation.annotator), style=NONE))
        return cells


def _columns(note: bool, annotator: bool) -> list[Column]:
    """Tag letter, quote, and the note and annotator where there is room."""
    columns = [Column(width=1), Column("Quote", min_width=8)]
    if note:
        columns.append(Column("Note", width=16))
    if annotator:
        columns.append(Column("By", width=10))
    return columns
