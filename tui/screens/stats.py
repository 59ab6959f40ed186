"""The statistics screen (``g``): tags per article, per outlet, over time and per annotator,
then per suggester and tag what was suggested, accepted and rejected (the table ``newsmark
stats`` prints, from the same computation: :func:`tui.stats.suggestion_counts`).

Each section is a bar chart of Rich text: one stacked bar per line, a segment per tag in the
tag's style (:mod:`tui.styles`) starting with the tag's letter, so the chart reads at 80×24, in
16 colours and without colour. Bars fit whatever width the screen has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from ..bindings import bindings
from ..layout import display_text
from ..session import Session
from ..stats import Stats, compute_stats, suggestion_counts, suggestions_table
from ..styles import Looks, legend
from .scrolling import ScrollingScreen

#: Widest a bar's label may be.
LABEL_WIDTH = 26


def bar(counter: Counter[str], looks: Looks, scale: float, width: int) -> Text:
    """A stacked bar of ``counter``, ``scale`` cells per annotation, at most ``width`` cells.

    Each tag's segment has its style and starts with its letter (when it is at least one cell),
    so the bar reads in 16 colours and without colour.
    """
    order = {tag.name: index for index, tag in enumerate(looks.tags)}
    text = Text(no_wrap=True, overflow="crop")
    used = 0
    for name, number in sorted(counter.items(),
                               key=lambda item: (order.get(item[0], len(order)), item[0])):
        if not number:
            continue
        cells = min(max(1, round(number * scale)), width - used)
        if cells <= 0:
            break
        letter = looks.letter(name) if name in order else name[:1].upper()
        text.append(letter + " " * (cells - 1), style=looks.marker(name))
        used += cells
    return text


class BarChart:
    """A Rich renderable: one labelled stacked bar per entry, scaled to the width given."""

    def __init__(self, title: str, counts: Mapping[str, Counter[str]], looks: Looks,
                 labels: Mapping[str, str] | None = None) -> None:
        self.title = title
        self.counts = counts
        self.looks = looks
        self.labels = labels or {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(self.title, style="bold underline")
        if not self.counts:
            yield Text("  (no annotations)", style="dim")
            return
        names = [display_text(self.labels.get(k, k)).replace("\n", " ") for k in self.counts]
        label_width = min(LABEL_WIDTH, max(len(n) for n in names))
        totals = [sum(c.values()) for c in self.counts.values()]
        number_width = len(str(max(totals)))
        bar_width = max(4, options.max_width - label_width - number_width - 4)
        scale = bar_width / max(max(totals), 1)
        for name, counter, total in zip(names, self.counts.values(), totals, strict=True):
            line = Text(no_wrap=True, overflow="crop")
            cut = name if len(name) <= label_width else name[: label_width - 1] + "…"
            line.append(cut.ljust(label_width) + " ")
            line.append(str(total).rjust(number_width) + " ", style="bold" if total else "dim")
            line.append_text(bar(counter, self.looks, scale, bar_width))
            yield line


class StatsScreen(ScrollingScreen[None]):
    """Tag counts as bar charts; esc (or g, q) goes back; j, k scroll."""

    BINDINGS = bindings("stats")
    SCROLL_ID = "stats-charts"

    DEFAULT_CSS = """
    StatsScreen {
        layout: vertical;
        background: $background;
    }
    StatsScreen > #stats-title {
        height: 1;
        padding: 0 1;
    }
    StatsScreen > VerticalScroll {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    StatsScreen .stats-section {
        margin-bottom: 1;
    }
    """

    def __init__(self, session: Session, looks: Looks) -> None:
        super().__init__()
        self.session = session
        self.looks = looks

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title")
        with VerticalScroll(id="stats-charts"):
            for number in range(4):
                yield Static(classes="stats-section", id=f"stats-{number}")
            yield Static(Text("Suggestions per source and tag: counting…", style="dim"),
                         classes="stats-section", id="stats-suggestions")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stats-title", Static).update(Text("Counting…", style="dim"))
        self.query_one("#stats-charts").focus()
        self._count()

    @work(thread=True, exclusive=True, group="stats")
    def _count(self) -> None:
        corpus = self.session.corpus
        annotations, problems = self.session.store.read_all(corpus.ids)
        stats = compute_stats(corpus, annotations, [t.name for t in self.looks.tags])
        self.app.call_from_thread(self._show, stats, [p.message for p in problems])
        session = self.session
        try:
            counts = suggestion_counts(session.config, corpus, session.store, annotations,
                                       session.annotator)
        except Exception as error:  # noqa: BLE001 - the charts stay; say what went wrong
            table = f"Suggestions per source and tag\n  could not be counted: {error}\n"
        else:
            table = suggestions_table(counts)
        self.app.call_from_thread(self._show_suggestions, table)

    def _show_suggestions(self, table: str) -> None:
        heading, _, rest = table.partition("\n")
        text = Text(heading, style="bold underline", no_wrap=True, overflow="crop")
        text.append("\n" + display_text(rest.rstrip("\n")), style="")
        self.query_one("#stats-suggestions", Static).update(text)

    def _show(self, stats: Stats, problems: list[str]) -> None:
        title = Text(no_wrap=True, overflow="ellipsis")
        total = sum(stats.total.values())
        title.append(f"{total} annotation{'s' * (total != 1)}  ", style="bold")
        width = (self.size.width or 80) - 2 - title.cell_len
        title.append_text(legend(self.looks, width, stats.total))
        if problems:
            title.append("  " + display_text(problems[0]), style="bold red")
        self.query_one("#stats-title", Static).update(title)
        corpus = self.session.corpus
        labels = {a.id: f"{a.outlet} · {a.id}" if a.outlet else a.id for a in corpus.infos}
        for number, (heading, counts) in enumerate(stats.sections()):
            chart = BarChart(heading, counts, self.looks, labels if number == 0 else None)
            self.query_one(f"#stats-{number}", Static).update(chart)
