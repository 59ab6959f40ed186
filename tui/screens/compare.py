"""The compare screen (``m``): which articles carry each tagged passage, and how.

Rows are the tagged passages (one row for the same passage tagged in several articles),
columns the articles (outlet and date; versions of one story side by side as ``v1``, ``v2``).
A cell says ``src`` where the passage was tagged, ``=`` where another article has it word for
word, ``~87`` where it is reworded (the score), ``-`` where it is absent, then the markers of the
tags on that passage there. The pane below shows the selected cell's two passages with the
words that differ underlined. ``enter`` opens the article at the passage; ``t`` tags it there
with the row's tag (through the session, so ``u`` undoes it, here and in the reader).

The matrix is computed in a thread worker (:func:`tui.compare.compare`) with a progress bar,
so a large corpus keeps the screen responsive; the domain code knows nothing of Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, ProgressBar, Static
from textual.worker import get_current_worker

from ..bindings import bindings
from ..compare import Aligner, Cell, Matrix, Row, cell_code, cell_for, compare, diff_words
from ..corpus import Corpus
from ..editing import shorten
from ..layout import display_text
from ..model import Annotation, Article, Span
from ..session import Outcome, Session
from ..styles import Looks
from ..widgets.status_line import StatusLine

#: Narrowest and widest an article's column may be (labels are cut with an ellipsis; the pane
#: below names the article in full).
LABEL_WIDTH = (8, 13)
#: The passage column keeps at least this width when the articles' columns are sized.
QUOTE_WIDTH = 30

KIND_STYLES = {"source": "bold", "verbatim": "bold green", "reworded": "yellow",
               "absent": "dim"}
#: Words of the tagged passage that the other article lacks, and words it has instead.
DROPPED_STYLE = "bold red underline"
ADDED_STYLE = "bold green underline"


#: Folding a corpus is the one cost every comparison of it shares: kept while the corpus lives.
_ALIGNERS: WeakKeyDictionary[Corpus, Aligner] = WeakKeyDictionary()

#: Where the compare screen sends the reader: an article, and the passage to select there.
Target = tuple[str, Span | None]


class CompareTable(DataTable[Text]):
    """The passages × articles grid (a cell cursor)."""


class CompareScreen(ModalScreen[Target | None]):
    """Tagged passages × articles: who carried each passage, who reworded it, who dropped it.

    Dismisses with the article and passage to open in the reader (``enter``), or None.
    """

    BINDINGS = bindings("compare")

    DEFAULT_CSS = """
    CompareScreen {
        layout: vertical;
        background: $background;
    }
    CompareScreen > #compare-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    CompareScreen > #compare-progress {
        height: 1;
        padding: 0 1;
    }
    CompareScreen > CompareTable {
        height: 1fr;
        min-height: 5;
        scrollbar-size-vertical: 1;
    }
    CompareScreen > #compare-detail-box {
        height: auto;
        max-height: 55%;
        border-top: solid $panel;
        padding: 0 1;
    }
    """

    def __init__(self, session: Session, looks: Looks) -> None:
        super().__init__()
        self.session = session
        self.looks = looks
        self.matrix: Matrix | None = None
        self._progress_timer: Timer | None = None
        self._done = (0, 0)
        self._problems: list[str] = []

    # ----------------------------------------------------------------- composition

    def compose(self) -> ComposeResult:
        yield Static(id="compare-title")
        yield ProgressBar(id="compare-progress", show_eta=False)
        yield CompareTable(cursor_type="cell", zebra_stripes=False, id="compare-table")
        with VerticalScroll(id="compare-detail-box"):
            yield Static(id="compare-detail")
        yield StatusLine(id="compare-status")
        yield Footer()

    @property
    def corpus(self) -> Corpus:
        return self.session.corpus

    def on_mount(self) -> None:
        table = self.query_one(CompareTable)
        table.header_height = 2
        self.query_one("#compare-title", Static).update(Text("Comparing…"))
        self._progress_timer = self.set_interval(0.1, self._show_progress, pause=True)
        self.recompute()

    def status(self, message: str, *, error: bool = False) -> None:
        """Say something on the screen's status line (never parsed as markup)."""
        self.query_one("#compare-status", StatusLine).say(message, error=error)

    # ----------------------------------------------------------------- computing

    def recompute(self) -> None:
        """Compute the matrix again, in a worker, with progress shown."""
        self.query_one(ProgressBar).display = True
        self._done = (0, 0)
        if self._progress_timer is not None:
            self._progress_timer.resume()
        self._compute()

    def _read_annotations(self) -> list[Annotation]:
        annotations, problems = self.session.store.read_all(self.corpus.ids)
        self._problems = [problem.message for problem in problems]
        return annotations

    @work(thread=True, exclusive=True, group="compare")
    def _compute(self) -> None:
        worker = get_current_worker()
        annotations = self._read_annotations()

        def progress(done: int, total: int) -> None:
            self._done = (done, total)

        try:
            matrix = compare(self.corpus, annotations,
                             aligner=self._aligner(), progress=progress,
                             cancelled=lambda: worker.is_cancelled)
        except Exception as error:  # noqa: BLE001 - the session must survive a failed comparison
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, error)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_matrix, matrix)

    def _failed(self, error: Exception) -> None:
        if self._progress_timer is not None:
            self._progress_timer.pause()
        self.query_one(ProgressBar).display = False
        self.status(f"The comparison failed ({type(error).__name__}: {error}); your tags are "
                    "safe. Press esc to go back.", error=True)

    def _aligner(self) -> Aligner:
        aligner = _ALIGNERS.get(self.corpus)
        if aligner is None:
            aligner = _ALIGNERS[self.corpus] = Aligner(self.corpus)
        return aligner

    def _show_progress(self) -> None:
        done, total = self._done
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _show_matrix(self, matrix: Matrix) -> None:
        if self._progress_timer is not None:
            self._progress_timer.pause()
        self.query_one(ProgressBar).display = False
        self.matrix = matrix
        self._fill()
        if self._problems:
            self.status(self._problems[0], error=True)

    # ----------------------------------------------------------------- the grid

    def _fill(self, keep: tuple[int, int] | None = None) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        table = self.query_one(CompareTable)
        table.clear(columns=True)
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"{len(matrix.rows)} tagged passage{'s' * (len(matrix.rows) != 1)} × "
                     f"{len(matrix.columns)} articles", style="bold")
        for number, _group in enumerate(matrix.groups, 1):
            labels = [c.label for c in matrix.columns if c.group == number]
            title.append(f"  {display_text(', '.join(labels))}: versions of one story",
                         style="dim")
        self.query_one("#compare-title", Static).update(title)
        width = self.size.width or 80
        count = max(1, len(matrix.columns))
        label_width = (width - QUOTE_WIDTH - 6) // count - 2
        label_width = max(LABEL_WIDTH[0], min(LABEL_WIDTH[1], label_width))
        quote_width = max(12, width - 2 - count * (label_width + 2) - 4 - 2)
        self._width = width
        table.add_column(Text("Tagged passage\n", style="bold"), key="passage",
                         width=quote_width)
        for column in matrix.columns:
            label = Text(display_text(shorten(column.label, label_width)), style="bold")
            label.append("\n" + column.short_date, style="dim")
            table.add_column(label, key=column.article_id, width=label_width)
        for number, row in enumerate(matrix.rows):
            table.add_row(self._passage_cell(row, quote_width),
                          *(self._cell(row.cells[c.article_id]) for c in matrix.columns),
                          key=str(number))
        if not matrix.rows:
            self._detail(None, None)
            self.status("No tagged passages yet: tag one in the reader (1-4), then press m.")
            return
        row, column = keep or (0, 1)
        table.move_cursor(row=min(row, table.row_count - 1), column=column, animate=False)
        table.focus()
        self._update_detail()

    def on_resize(self) -> None:
        if self.matrix is not None and getattr(self, "_width", None) != self.size.width:
            table = self.query_one(CompareTable)
            self._fill(keep=(table.cursor_coordinate.row, table.cursor_coordinate.column))

    def _passage_cell(self, row: Row, width: int) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(self.looks.letter(row.tag), self.looks.marker(row.tag))
        text.append(" " + display_text(shorten(row.source.text, max(8, width - 2))))
        return text

    def _cell(self, cell: Cell) -> Text:
        markers = {t.name: t.marker for t in self.looks.tags}
        code = cell_code(Cell(cell.match), markers)
        text = Text(no_wrap=True, overflow="crop")
        text.append(code, style=KIND_STYLES[cell.match.kind])
        for name in cell.tags:
            text.append(" ")
            text.append(self.looks.letter(name), self.looks.marker(name))
        return text

    def _selected(self) -> tuple[int, Row, str | None] | None:
        """The selected row index, row, and article id (None on the passage column)."""
        matrix = self.matrix
        table = self.query_one(CompareTable)
        if matrix is None or not matrix.rows or table.row_count == 0:
            return None
        coordinate = table.cursor_coordinate
        row_index = min(coordinate.row, len(matrix.rows) - 1)
        row = matrix.rows[row_index]
        if coordinate.column == 0:
            return row_index, row, None
        return row_index, row, matrix.columns[coordinate.column - 1].article_id

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._update_detail()

    def on_data_table_cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_open()

    # ----------------------------------------------------------------- the detail pane

    def _update_detail(self) -> None:
        selected = self._selected()
        if selected is None:
            self._detail(None, None)
            return
        _, row, article_id = selected
        self._detail(row, article_id)

    def _article(self, article_id: str) -> Article | None:
        return self.corpus.get(article_id)

    def _heading(self, article_id: str) -> str:
        column = self.matrix.column(article_id) if self.matrix else None
        article = self._article(article_id)
        name = column.label if column else article_id
        date = column.short_date if column and article and article.date else ""
        return " · ".join(x for x in (name, date, article_id) if x)

    def _detail(self, row: Row | None, article_id: str | None) -> None:
        detail = Text()
        if row is None:
            detail.append("Nothing to compare yet.", style="dim")
        else:
            source = row.source
            detail.append(*self.looks.chip(row.tag))
            detail.append(f" {row.tag} · tagged in ", style="bold")
            detail.append(display_text(self._heading(source.article_id)))
            detail.append("\n")
            cell = row.cells.get(article_id) if article_id else None
            other = self._article(article_id) if article_id else None
            if cell is None or other is None or cell.match.kind == "source":
                detail.append(display_text(source.text))
                if article_id is None:
                    carried = [c for a, c in row.cells.items()
                               if a != source.article_id and c.match.carried]
                    verbatim = sum(1 for c in carried if c.match.kind == "verbatim")
                    others = len(row.cells) - 1
                    detail.append(f"\nCarried by {len(carried)} of {others} other articles "
                                  f"({verbatim} word for word, {len(carried) - verbatim} "
                                  "reworded). Pick a column to see how.", style="dim")
                elif article_id == source.article_id:
                    detail.append("\nThis is where the passage was tagged.", style="dim")
            else:
                match = cell.match
                span = match.span
                theirs = other.text[span.start : span.end] if span is not None else ""
                mine_words, their_words = diff_words(source.text, theirs)
                detail.append_text(_highlighted(source.text, mine_words, DROPPED_STYLE))
                detail.append("\n")
                detail.append(display_text(self._heading(article_id)), style="bold")
                verdict = {"verbatim": " · word for word",
                           "reworded": f" · reworded (score {match.score})",
                           "absent": " · not carried"}[match.kind]
                detail.append(verdict, style=KIND_STYLES[match.kind])
                if cell.tags:
                    detail.append(" · tagged " + ", ".join(cell.tags))
                detail.append("\n")
                if span is None:
                    detail.append("Nothing there comes close to this passage.", style="dim")
                else:
                    if match.kind == "absent":
                        detail.append(f"closest (score {match.score}): ", style="dim")
                    detail.append_text(_highlighted(theirs, their_words, ADDED_STYLE))
        self.query_one("#compare-detail", Static).update(detail)

    # ----------------------------------------------------------------- actions

    def action_close(self) -> None:
        """Back to the reader."""
        self.workers.cancel_group(self, "compare")
        self.dismiss(None)

    def action_cursor_down(self) -> None:
        """The next passage."""
        self.query_one(CompareTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        """The previous passage."""
        self.query_one(CompareTable).action_cursor_up()

    def action_cursor_right(self) -> None:
        """The next article."""
        self.query_one(CompareTable).action_cursor_right()

    def action_cursor_left(self) -> None:
        """The previous article."""
        self.query_one(CompareTable).action_cursor_left()

    def action_open(self) -> None:
        """Open the selected cell's article at its passage."""
        selected = self._selected()
        if selected is None:
            return
        _, row, article_id = selected
        if article_id is None or article_id == row.source.article_id:
            target, span = row.source.article_id, row.source.span
        else:
            match = row.cells[article_id].match
            target, span = article_id, match.span
        self.workers.cancel_group(self, "compare")
        self.dismiss((target, span))

    def action_propagate(self) -> None:
        """Tag the passage matched in the selected article with the row's tag."""
        selected = self._selected()
        if selected is None:
            return
        row_index, row, article_id = selected
        if article_id is None:
            self.status("Pick an article's column first (← →), then t tags the passage there.")
            return
        if article_id == row.source.article_id:
            self.status("This is where the passage was tagged.")
            return
        cell = row.cells[article_id]
        match = cell.match
        article = self._article(article_id)
        column = self.matrix.column(article_id) if self.matrix else None
        name = column.label if column else article_id
        if match.span is None or article is None:
            self.status(f"{name} has nothing close to this passage: open it (enter) and tag "
                        "by hand.")
            return
        if row.tag in cell.tags:
            self.status(f"{name} already has {row.tag} on this passage.")
            return
        quote = shorten(article.text[match.span.start : match.span.end])
        outcome = self.session.propagate(article_id, match.span, row.tag)
        if outcome.error:
            self.status("Not saved: " + outcome.message, error=True)
            return
        how = {"verbatim": "", "reworded": f" (reworded, score {match.score})",
               "absent": f" (not a match: the closest passage, score {match.score})"}[match.kind]
        self.refresh_tags()
        self.status(f"Tagged {row.tag} in {name}{how}: “{quote}” — saved. u undoes.")

    def action_undo(self) -> None:
        """Undo the last change of the session (as everywhere), and show it here."""
        self._after(self.session.undo())

    def action_redo(self) -> None:
        """Redo the last change undone."""
        self._after(self.session.redo())

    def _after(self, outcome: Outcome) -> None:
        self.refresh_tags()
        self.status(outcome.message, error=outcome.error)

    def on_screen_resume(self) -> None:
        if self.matrix is not None:
            self.refresh_tags()

    def refresh_tags(self) -> None:
        """Read the tags again and update every cell's tags (the matches stay)."""
        matrix = self.matrix
        if matrix is None:
            return
        by_article: dict[str, list[Annotation]] = {}
        for annotation in self._read_annotations():
            by_article.setdefault(annotation.article_id, []).append(annotation)
        rows = []
        for row in matrix.rows:
            cells = {a: cell_for(c.match, by_article.get(a, [])) for a, c in row.cells.items()}
            rows.append(replace(row, cells=cells))
        self.matrix = replace(matrix, rows=tuple(rows))
        table = self.query_one(CompareTable)
        keep = (table.cursor_coordinate.row, table.cursor_coordinate.column)
        for number, row in enumerate(self.matrix.rows):
            for column in self.matrix.columns:
                table.update_cell(str(number), column.article_id,
                                  self._cell(row.cells[column.article_id]))
        table.move_cursor(row=keep[0], column=keep[1], animate=False)
        self._update_detail()


def _highlighted(text: str, words: Sequence[tuple[Span, bool]], style: str) -> Text:
    """``text`` (made safe to show) with the flagged words in ``style``."""
    shown = Text(display_text(text))
    for span, differs in words:
        if differs:
            shown.stylize(style, span.start, span.end)
    return shown
