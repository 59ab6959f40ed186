"""The compare screen (``m``): which articles carry each tagged passage, and how.

Rows are the tagged passages (one row for the same passage tagged in several articles),
columns the articles (outlet and date; versions of one story side by side as ``v1``, ``v2``).
A cell says ``src`` where the passage was tagged, ``=`` where another article has it word for
word, ``~87`` where it is reworded (the score), ``-`` where it is absent, then the markers of the
tags on that passage there; ``✓`` or ``✗`` before it where an analyst confirmed or rejected the
cell (:mod:`tui.links`). The pane below shows the selected cell's two passages with the words
that differ underlined, what the outlet did with the attribution and hedges
(:func:`tui.attribution.attribution_change`) and how many of the tagged passages that outlet
carries; on the passage column, that count for every outlet as a small chart
(:func:`tui.compare.outlet_counts`). ``y`` confirms the candidate, ``x`` says the outlet does
not carry the passage (either again clears it), ``enter`` opens the article at the passage,
``t`` tags it there with the row's tag; all through the session, so ``u`` undoes them, here
and in the reader.

The matrix is computed in a thread worker (:func:`tui.compare.compare`) with a progress bar,
so a large corpus keeps the screen responsive; the domain code knows nothing of Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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

from ..attribution import attribution_change
from ..bindings import bindings
from ..compare import (
    Aligner,
    Cell,
    Matrix,
    OutletCounts,
    Row,
    cell_code,
    cell_for,
    compare,
    diff_words,
    outlet_counts,
)
from ..corpus import Corpus
from ..editing import shorten
from ..layout import display_text
from ..links import Link, corpus_links, link_for
from ..model import Annotation, Article, Span
from ..session import Outcome, Session
from ..styles import Looks
from ..widgets.status_line import StatusLine

#: Narrowest and widest an article's column may be (labels are cut with an ellipsis; the pane
#: below names the article in full).
LABEL_WIDTH = (8, 13)
#: The passage column keeps at least this width when the articles' columns are sized.
QUOTE_WIDTH = 30

#: The chart's marks: a passage carried word for word, reworded, dropped (they read without
#: colour too).
CHART_MARKS = {"verbatim": "█", "reworded": "▓", "absent": "░"}


#: Folding a corpus is the one cost every comparison of it shares: kept while the corpus lives.
_ALIGNERS: WeakKeyDictionary[Corpus, Aligner] = WeakKeyDictionary()

def shared_aligner(corpus: Corpus) -> Aligner:
    """The aligner of ``corpus`` that the compare and timeline screens share (it keeps the
    corpus folded, indexed and embedded while the corpus lives)."""
    aligner = _ALIGNERS.get(corpus)
    if aligner is None:
        aligner = _ALIGNERS[corpus] = Aligner(corpus)
    return aligner


#: Where the compare screen sends the reader: an article, the passage to select there, and
#: (opened from another article's cell) the row's passage and how that article is called, for
#: a link the analyst may make there (L in the reader).
Target = tuple[str, Span | None, Annotation | None, str]


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
        height: auto;
        max-height: 60%;
        min-height: 5;
        scrollbar-size-vertical: 1;
    }
    CompareScreen > #compare-detail-box {
        height: 1fr;
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
        self._links: list[Link] = []
        self._typed_ahead: list[Callable[[], None]] = []
        self._leaving = False
        """Keys typed before the matrix was shown (moves, y/x, enter, t): run once it is."""

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
        self._links = corpus_links(self.session.store, self.corpus)

        def progress(done: int, total: int) -> None:
            self._done = (done, total)

        try:
            matrix = compare(self.corpus, annotations, links=self._links,
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
        return shared_aligner(self.corpus)

    def _show_progress(self) -> None:
        done, total = self._done
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _show_matrix(self, matrix: Matrix) -> None:
        if self._progress_timer is not None:
            self._progress_timer.pause()
        self.query_one(ProgressBar).display = False
        self.matrix = matrix
        self._fill()
        typed, self._typed_ahead = self._typed_ahead, []
        for action in typed:
            if self._leaving:
                break  # enter (or esc) was among them: the screen is going
            action()
        if self._problems:
            self.status(self._problems[0], error=True)
        elif matrix.rows:
            self.status("y confirms, x rejects the candidate; the passage column charts each "
                        "outlet")

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
        # The tags' letters are drawn below, each in its tag's look.
        code = cell_code(replace(cell, tags=()), {})
        text = Text(no_wrap=True, overflow="crop")
        if cell.link is not None:
            text.append(code[0], self.looks.alignment(
                "confirmed" if cell.link.confirmed else "rejected"))
            code = code[1:]
        text.append(code, style=self.looks.alignment(cell.match.kind))
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
        # A narrow pane keeps the id's start (enough to tell articles apart).
        ident = article_id if (self.size.width or 80) >= 120 else shorten(article_id, 16)
        return " · ".join(x for x in (name, date, ident) if x)

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
                               if a != source.article_id and _carried(c)]
                    verbatim = sum(1 for c in carried if c.match.kind == "verbatim")
                    others = len(row.cells) - 1
                    detail.append(f"\nCarried by {len(carried)} of {others} other articles "
                                  f"({verbatim} word for word, {len(carried) - verbatim} "
                                  "reworded). Pick a column to see how.", style="dim")
                    detail.append("\n")
                    detail.append_text(self._chart())
                elif article_id == source.article_id:
                    detail.append("\nThis is where the passage was tagged.", style="dim")
            else:
                match = cell.match
                link = cell.link
                span = _shown_span(cell)
                theirs = other.text[span.start : span.end] if span is not None else ""
                mine_words, their_words = diff_words(source.text, theirs)
                looks = self.looks
                detail.append_text(_highlighted(source.text, mine_words,
                                                looks.alignment("dropped_words")))
                detail.append("\n")
                detail.append(display_text(self._heading(article_id)), style="bold")
                machine = {"verbatim": " · word for word",
                           "reworded": f" · reworded (score {match.score})",
                           "absent": " · not carried"}[match.kind]
                detail.append(machine, style=looks.alignment(match.kind))
                if link is not None:
                    detail.append_text(self._verdict(link))
                if cell.tags:
                    detail.append(" · tagged " + display_text(", ".join(cell.tags)))
                detail.append("\n")
                if span is None:
                    detail.append("Nothing there comes close to this passage.", style="dim")
                else:
                    if match.kind == "absent" and not (link is not None and link.confirmed):
                        detail.append(f"closest (score {match.score}): ", style="dim")
                    detail.append_text(_highlighted(theirs, their_words,
                                                    looks.alignment("added_words")))
                    if _carried(cell):
                        detail.append("\n")
                        detail.append_text(self._attribution(source.text, theirs))
                counts = self._counts().get(article_id)
                if counts is not None and counts.total:
                    detail.append("\n")
                    detail.append_text(self._chart_line(counts, _label_width(self.matrix)))
        self.query_one("#compare-detail", Static).update(detail)

    def _verdict(self, link: Link) -> Text:
        """`` · ✓ confirmed by ann`` (``, not this span`` when another span was confirmed)."""
        looks = self.looks
        text = Text(" · ")
        if link.confirmed:
            text.append("✓ confirmed", looks.alignment("confirmed"))
        else:
            text.append("✗ rejected: not carried", looks.alignment("rejected"))
        who = link.annotator or "?"
        text.append(" by " + display_text(shorten(who, 20)))
        if link.anchor == "orphan":
            text.append(" (its passage left the text)", style="dim")
        return text

    def _attribution(self, mine: str, theirs: str) -> Text:
        """What the other passage did with the tagged one's attribution and hedges."""
        change, source, other = attribution_change(mine, theirs)
        text = Text()
        if not (source.attribution or source.hedges or other.attribution or other.hedges):
            text.append("Attribution: neither passage says who said it, or hedges.",
                        style="dim")
            return text

        def words(found: tuple[str, ...]) -> str:
            seen = list(dict.fromkeys(w.lower() for w in found))
            return ", ".join(f"“{display_text(w)}”" for w in seen[:3]) or "none"

        text.append("Attribution ")
        text.append(change, self.looks.alignment(change))
        if change == "dropped":
            text.append(f": the tagged passage says {words(source.attribution)}; here it is "
                        "stated as fact")
        elif change == "softened":
            added = [w for w in other.hedges + other.attribution
                     if w.lower() not in {x.lower() for x in source.hedges
                                          + source.attribution}]
            text.append(f": adds {words(tuple(added) or other.hedges or other.attribution)}")
        elif change == "hardened":
            lost = [w for w in source.hedges
                    if w.lower() not in {x.lower() for x in other.hedges}]
            text.append(f": drops the hedge {words(tuple(lost) or source.hedges)}")
        else:
            text.append(f": {words(source.attribution + source.hedges)} → "
                        f"{words(other.attribution + other.hedges)}")
        return text

    def _counts(self) -> dict[str, OutletCounts]:
        matrix = self.matrix
        if matrix is None:
            return {}
        cached = getattr(self, "_counts_of", None)
        if cached is None or cached[0] is not matrix:
            cached = (matrix, {c.article_id: c for c in outlet_counts(matrix)})
            self._counts_of = cached
        return cached[1]

    def _chart(self) -> Text:
        """What each outlet did with the passages tagged elsewhere: one bar per article."""
        matrix = self.matrix
        text = Text()
        if matrix is None:
            return text
        counts = [self._counts()[c.article_id] for c in matrix.columns]
        width = _label_width(matrix)
        text.append("Per outlet: ", style="bold")
        for kind, label in (("verbatim", "word for word"), ("reworded", "reworded"),
                            ("absent", "dropped")):
            text.append(CHART_MARKS[kind], self.looks.alignment(kind))
            text.append(f" {label}  ")
        scale = max((c.total for c in counts), default=0)
        for item in counts:
            text.append("\n")
            text.append_text(self._chart_line(item, width, scale))
        return text

    def _chart_line(self, item: OutletCounts, label_width: int, scale: int = 0) -> Text:
        """``RT v1       ██▓░  1 = · 2 ~ · 1 - · ✓1``: one outlet's bar and counts."""
        matrix = self.matrix
        column = matrix.column(item.article_id) if matrix is not None else None
        label = column.label if column is not None else item.article_id
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(display_text(shorten(label, label_width)).ljust(label_width) + " ")
        cells = max(1, min(3, 24 // max(scale or item.total, 1)))
        for kind, number in (("verbatim", item.verbatim), ("reworded", item.reworded),
                             ("absent", item.dropped)):
            text.append(CHART_MARKS[kind] * (number * cells), self.looks.alignment(kind))
        text.append(" " * (cells * max(0, (scale or item.total) - item.total) + 1))
        text.append(f"{item.verbatim} = · {item.reworded} ~ · {item.dropped} -", style="dim")
        if item.confirmed:
            text.append(f" · ✓{item.confirmed}", self.looks.alignment("confirmed"))
        if item.rejected:
            text.append(f" · ✗{item.rejected}", self.looks.alignment("rejected"))
        if not item.total:
            text.append("  (every passage was tagged here)", style="dim")
        return text

    # ----------------------------------------------------------------- actions

    def action_close(self) -> None:
        """Back to the reader."""
        self.workers.cancel_group(self, "compare")
        self._leaving = True
        self.dismiss(None)

    def _not_yet(self, action: Callable[[], None]) -> bool:
        """While the matrix is computed, keep ``action`` (a key typed ahead) for when it is
        shown; True if kept."""
        if self.matrix is not None:
            return False
        self._typed_ahead.append(action)
        return True

    def action_cursor_down(self) -> None:
        """The next passage."""
        if not self._not_yet(self.action_cursor_down):
            self.query_one(CompareTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        """The previous passage."""
        if not self._not_yet(self.action_cursor_up):
            self.query_one(CompareTable).action_cursor_up()

    def action_cursor_right(self) -> None:
        """The next article."""
        if not self._not_yet(self.action_cursor_right):
            self.query_one(CompareTable).action_cursor_right()

    def action_cursor_left(self) -> None:
        """The previous article."""
        if not self._not_yet(self.action_cursor_left):
            self.query_one(CompareTable).action_cursor_left()

    def action_open(self) -> None:
        """Open the selected cell's article at its passage."""
        if self._not_yet(self.action_open):
            return
        selected = self._selected()
        if selected is None:
            return
        _, row, article_id = selected
        passage: Annotation | None = None
        name = ""
        if article_id is None or article_id == row.source.article_id:
            target, span = row.source.article_id, row.source.span
        else:
            # The candidate (or the confirmed span), and the row's passage: there the analyst
            # may pick another passage and link it (L in the reader).
            target, span = article_id, _shown_span(row.cells[article_id])
            passage = row.source
            column = self.matrix.column(article_id) if self.matrix else None
            name = column.label if column else article_id
        self.workers.cancel_group(self, "compare")
        self._leaving = True
        self.dismiss((target, span, passage, name))

    def action_propagate(self) -> None:
        """Tag the passage matched in the selected article with the row's tag."""
        if self._not_yet(self.action_propagate):
            return
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

    def action_confirm(self) -> None:
        """Confirm that the selected article carries the row's passage (the candidate shown)."""
        self._settle("confirmed")

    def action_reject(self) -> None:
        """Say that the selected article does not carry the row's passage."""
        self._settle("rejected")

    def _settle(self, verdict: str) -> None:
        if self._not_yet(lambda: self._settle(verdict)):
            return
        selected = self._selected()
        if selected is None:
            return
        _, row, article_id = selected
        key = "y" if verdict == "confirmed" else "x"
        if article_id is None:
            self.status(f"Pick an article's column first (← →), then {key} settles that cell.")
            return
        cell = row.cells[article_id]
        column = self.matrix.column(article_id) if self.matrix else None
        name = column.label if column else article_id
        outcome = self.session.settle(row.source, article_id, verdict, _shown_span(cell),
                                      name=name)
        if outcome.ok:
            # The cells made again as undo and redo make them (one way: a rejected cell
            # shows no tags of the passage the machine picked there).
            self.refresh_tags()
        self.status(outcome.message, error=outcome.error)

    def _update_cells(self, article_id: str | None = None) -> None:
        matrix = self.matrix
        assert matrix is not None
        table = self.query_one(CompareTable)
        keep = (table.cursor_coordinate.row, table.cursor_coordinate.column)
        for number, row in enumerate(matrix.rows):
            for column in matrix.columns:
                if article_id is None or column.article_id == article_id:
                    table.update_cell(str(number), column.article_id,
                                      self._cell(row.cells[column.article_id]))
        table.move_cursor(row=keep[0], column=keep[1], animate=False)
        self._update_detail()

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
        """Read the tags and verdicts again and update every cell (the matches stay)."""
        matrix = self.matrix
        if matrix is None:
            return
        by_article: dict[str, list[Annotation]] = {}
        for annotation in self._read_annotations():
            by_article.setdefault(annotation.article_id, []).append(annotation)
        self._links = corpus_links(self.session.store, self.corpus)
        rows = []
        for row in matrix.rows:
            ids = [a.id for a in row.annotations]
            cells = {a: cell_for(c.match, by_article.get(a, []), link_for(self._links, ids, a))
                     for a, c in row.cells.items()}
            rows.append(replace(row, cells=cells))
        self.matrix = replace(matrix, rows=tuple(rows))
        self._update_cells()


def _highlighted(text: str, words: Sequence[tuple[Span, bool]], style: str) -> Text:
    """``text`` (made safe to show) with the flagged words in ``style``."""
    shown = Text(display_text(text))
    for span, differs in words:
        if differs:
            shown.stylize(style, span.start, span.end)
    return shown


def _carried(cell: Cell) -> bool:
    """The cell's article carries the passage: confirmed, or matched and not rejected."""
    if cell.link is not None:
        return cell.link.confirmed
    return cell.match.carried


def _shown_span(cell: Cell) -> Span | None:
    """The span the cell shows: the confirmed one, else the machine's candidate."""
    link = cell.link
    if link is not None and link.confirmed and link.span is not None and link.anchor != "orphan":
        return link.span
    return cell.match.span


def _label_width(matrix: Matrix | None) -> int:
    """The chart's label column: the widest label (with its version), at most 16."""
    if matrix is None or not matrix.columns:
        return 8
    return min(16, max(len(c.label) for c in matrix.columns))
