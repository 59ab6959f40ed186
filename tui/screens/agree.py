"""The agreement screen (``A``): how far the annotators agree, per tag and per article, and
where they differ.

The figures are :mod:`tui.agree`'s, the ones ``newsmark agree`` prints: Krippendorff's αu per
tag as a bar chart (with the sentence-level Fleiss κ beside it), each pair's F1 over all tags
(strict, lenient, overlap), the per-article table and the warnings. Below them, the
disagreements, most costly first: ``j``/``k`` move, ``enter`` opens the article at one.

The report is computed before the screen opens (:func:`agreement`), so keys typed after ``A``
meet a full list.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ..agree import ALL_TAGS, AgreementReport, Disagreement
from ..bindings import bindings
from ..corpus import Corpus
from ..editing import shorten
from ..layout import display_text
from ..model import Span
from ..session import Session
from ..store import StoreError
from ..styles import Looks
from ..team import initials
from ..widgets.row_list import Column, RowList

#: Cells of an αu bar (the value 1).
BAR_CELLS = 20
#: Articles of the per-article table shown (the most disputed first).
ARTICLES_SHOWN = 8
#: Disagreements listed (the most costly first).
DISAGREEMENTS_SHOWN = 2000


def agreement(session: Session) -> tuple[AgreementReport | None, str]:
    """The agreement of everyone who tagged the corpus (curated sets left out), or None and
    why it cannot be computed."""
    from ..agree import compute_agreement
    from ..team import load_team

    store, corpus = session.store, session.corpus
    try:
        stored = set(store.article_ids())
    except StoreError as error:
        return None, str(error)
    team = load_team(corpus, store, [i for i in corpus.ids if i in stored])
    chosen = [name for name in team.annotators if name not in team.curated]
    if len(chosen) < 2:
        who = ", ".join(chosen) or "nobody yet"
        return None, (f"Agreement needs two annotators' work; this corpus has tags by {who}. "
                      "`newsmark team init` and git bring colleagues' work in.")
    report = compute_agreement(team.articles, team.annotations, tags=session.config.tag_names,
                               annotators=chosen, coded=team.done)
    report.warnings[:0] = team.warnings
    return report, ""


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def alpha_chart(report: AgreementReport, looks: Looks) -> Table:
    """αu per tag as bars (0 to 1; a value below 0 shows no bar), Fleiss κ beside it."""
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0),
                  title=None)
    table.add_column("Krippendorff's αu", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("αu", justify="right", no_wrap=True)
    table.add_column("κ", justify="right", no_wrap=True)
    for tag in [*report.tags, ALL_TAGS]:
        value = report.alpha_u.get(tag)
        kappa = report.sentence.tags.get(tag, {}).get("fleiss_kappa")
        if tag == ALL_TAGS:
            label = Text("all tags", style="bold")
            style = looks.selection
        else:
            label = Text.assemble(looks.chip(tag), " ", display_text(tag))
            style = looks.tag(tag)
        cells = 0 if value is None else round(max(0.0, min(1.0, value)) * BAR_CELLS)
        bar = Text(no_wrap=True)
        bar.append(" " * cells, style=style)
        bar.append("·" * (BAR_CELLS - cells), style="dim")
        table.add_row(label, bar, _figure(value), _figure(kappa))
    return table


def pairs_table(report: AgreementReport) -> Table:
    """Each pair's F1 over all tags: strict, lenient, overlap."""
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0))
    table.add_column("pair (all tags)", no_wrap=True)
    table.add_column("strict", justify="right", no_wrap=True)
    table.add_column("lenient", justify="right", no_wrap=True)
    table.add_column("overlap", justify="right", no_wrap=True)
    for pair in report.pairs:
        if pair.tag != ALL_TAGS:
            continue
        table.add_row(display_text(f"{pair.a}–{pair.b}"), _figure(pair.strict.f1),
                      _figure(pair.lenient.f1), _figure(pair.overlap.f1))
    return table


def articles_table(report: AgreementReport, width: int) -> Table:
    """The per-article table, most disputed first (F1: the mean over the pairs)."""
    table = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1, 0, 0),
                  expand=False)
    table.add_column("per article", no_wrap=True, max_width=max(12, width - 44),
                     overflow="ellipsis")
    table.add_column("strict", justify="right", no_wrap=True)
    table.add_column("lenient", justify="right", no_wrap=True)
    table.add_column("overlap", justify="right", no_wrap=True)
    table.add_column("disputes", justify="right", no_wrap=True)
    rows = sorted(report.articles, key=lambda row: (-row.disputed, row.article_id))
    for row in rows[:ARTICLES_SHOWN]:
        name = display_text(row.title or row.article_id)
        table.add_row(name, _figure(row.strict_f1), _figure(row.lenient_f1),
                      _figure(row.overlap_f1), str(len(row.disagreements)))
    if len(rows) > ARTICLES_SHOWN:
        table.add_row(Text(f"… and {len(rows) - ARTICLES_SHOWN} more (newsmark agree)",
                           style="dim"), "", "", "", "")
    return table


class Figures:
    """The figures above the list, side by side where the width allows."""

    def __init__(self, report: AgreementReport, looks: Looks) -> None:
        self.report = report
        self.looks = looks

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204 - Rich's protocol
        width = options.max_width
        chart, pairs = alpha_chart(self.report, self.looks), pairs_table(self.report)
        parts: list[RenderableType] = []
        if width >= 90:
            grid = Table.grid(padding=(0, 3))
            grid.add_row(chart, pairs)
            parts.append(grid)
        else:
            parts += [chart, Text(""), pairs]
        parts += [Text(""), articles_table(self.report, width)]
        for warning in self.report.warnings:
            parts.append(Text("! " + display_text(warning), style="dim"))
        yield Group(*parts)


class DisagreementList(RowList):
    """The disagreements, one per row: cost, kind, article, passage, who had what (its keys
    are the screen's)."""


class AgreeScreen(ModalScreen[tuple[str, Span] | None]):
    """The agreement of the team; dismisses with the article and passage to open, or None."""

    BINDINGS = bindings("agree")

    DEFAULT_CSS = """
    AgreeScreen {
        layout: vertical;
        background: $background;
    }
    AgreeScreen > #agree-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    AgreeScreen > #agree-figures-box {
        height: auto;
        max-height: 50%;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    AgreeScreen > DisagreementList {
        height: 1fr;
        min-height: 4;
        border-top: solid $panel;
    }
    """

    def __init__(self, report: AgreementReport, looks: Looks, *, corpus: Corpus) -> None:
        super().__init__()
        self.report = report
        self.looks = looks
        self.corpus = corpus
        self.disagreements: list[Disagreement] = sorted(
            (d for row in report.articles for d in row.disagreements),
            key=lambda d: (-d.cost, d.article_id, d.start))[:DISAGREEMENTS_SHOWN]
        self._keys = {f"{n}": d for n, d in enumerate(self.disagreements)}
        self._initials = initials(report.annotators)

    def compose(self) -> ComposeResult:
        report = self.report
        shared = report.alpha_u_articles
        title = (f"Agreement of {len(report.annotators)} annotators: "
                 f"{display_text(', '.join(report.annotators))} · {len(report.articles)} "
                 f"article(s), {shared} coded by all · "
                 f"{len(self.disagreements)} disagreement(s)")
        yield Static(Text(title, no_wrap=True, overflow="ellipsis"), id="agree-title")
        with VerticalScroll(id="agree-figures-box"):
            yield Static(Figures(report, self.looks), id="agree-figures")
        yield DisagreementList(self._columns(), cursor_style=self.looks.selection,
                               id="agree-list")
        yield Footer()

    def on_mount(self) -> None:
        listing = self.query_one(DisagreementList)
        listing.set_rows(list(self._keys), self._cells)
        listing.border_title = "Disagreements, most costly first"
        listing.focus()

    def _columns(self) -> list[Column]:
        return [Column("cost", width=5, justify="right"), Column("kind", width=8),
                Column("article", width=16), Column("passage", min_width=10),
                Column("who had what", width=24)]

    def _cells(self, key: str) -> Sequence[Text]:
        found = self._keys[key]
        info = self.corpus.info(found.article_id)
        name = (info.title if info is not None and info.title else found.article_id)
        who = Text(no_wrap=True)
        for number, (annotator, versions) in enumerate(found.versions.items()):
            if number:
                who.append(" ")
            who.append(self._initials.get(annotator, "?"), style="bold")
            if not versions:
                who.append("—", style="dim")
            for tag, _, _, _ in versions[:2]:
                who.append(self.looks.letter(tag), style=self.looks.marker(tag))
        return [Text(str(found.cost)), Text(found.kind), Text(display_text(name)),
                Text(display_text(shorten(found.text, 200))), who]

    @property
    def chosen(self) -> Disagreement | None:
        """The highlighted disagreement."""
        key = self.query_one(DisagreementList).highlighted
        return self._keys.get(key) if key is not None else None

    # ----------------------------------------------------------------- keys

    def action_cursor_down(self) -> None:
        """The next disagreement."""
        self.query_one(DisagreementList).action_cursor_down()

    def action_cursor_up(self) -> None:
        """The previous disagreement."""
        self.query_one(DisagreementList).action_cursor_up()

    def action_page_down(self) -> None:
        """A screen of disagreements down."""
        self.query_one(DisagreementList).action_page_down()

    def action_page_up(self) -> None:
        """A screen of disagreements up."""
        self.query_one(DisagreementList).action_page_up()

    def action_scroll_figures(self, direction: int) -> None:
        """Scroll the figures (the per-article table and the warnings are below the chart)."""
        box = self.query_one("#agree-figures-box", VerticalScroll)
        box.scroll_relative(y=3 * int(direction), animate=False)

    def action_open(self) -> None:
        """Open the article at the highlighted disagreement."""
        found = self.chosen
        if found is not None:
            self.dismiss((found.article_id, Span(found.start, found.end)))

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)

    def on_row_list_activated(self, event: RowList.Activated) -> None:
        event.stop()
        self.action_open()
