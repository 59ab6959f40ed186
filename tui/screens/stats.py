"""The statistics screen (``g``): tags per article, per outlet, over time and per annotator.

Each section is a bar chart drawn with Rich text (:func:`tui.stats.bar`): one stacked bar per
line, a segment per tag in the tag's colour starting with the tag's marker letter, so the chart
reads at 80×24, in 16 colours and without colour. Bars fit whatever width the screen has.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ..layout import display_text
from ..model import TagDef
from ..stats import Stats, bar, compute_stats
from ..store import StoreError

#: Widest a bar's label may be.
LABEL_WIDTH = 26


class BarChart:
    """A Rich renderable: one labelled stacked bar per entry, scaled to the width given."""

    def __init__(self, title: str, counts: Mapping[str, Counter[str]], tags: Sequence[TagDef],
                 labels: Mapping[str, str] | None = None) -> None:
        self.title = title
        self.counts = counts
        self.tags = tuple(tags)
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
            line.append_text(bar(counter, self.tags, scale, bar_width))
            yield line


class StatsScreen(Screen[None]):
    """Tag counts as bar charts; esc (or g) goes back."""

    BINDINGS = [Binding("escape,g", "close", "Back", key_display="esc")]

    DEFAULT_CSS = """
    StatsScreen {
        layout: vertical;
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

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title")
        with VerticalScroll(id="stats-charts"):
            for number in range(4):
                yield Static(classes="stats-section", id=f"stats-{number}")
        yield Footer()

    @property
    def _tags(self) -> tuple[TagDef, ...]:
        return tuple(self.app.config.tags)  # type: ignore[attr-defined]

    def on_mount(self) -> None:
        self.query_one("#stats-title", Static).update(Text("Counting…", style="dim"))
        self.query_one("#stats-charts").focus()
        self._count()

    def on_screen_resume(self) -> None:
        self._count()

    @work(thread=True, exclusive=True, group="stats")
    def _count(self) -> None:
        app = self.app
        annotations = []
        problems = []
        for article in app.corpus.articles:  # type: ignore[attr-defined]
            try:
                annotations.extend(app.store.annotations(article.id))  # type: ignore[attr-defined]
            except StoreError as error:
                problems.append(str(error))
        stats = compute_stats(app.corpus, annotations,  # type: ignore[attr-defined]
                              [t.name for t in self._tags])
        app.call_from_thread(self._show, stats, problems)

    def _show(self, stats: Stats, problems: list[str]) -> None:
        title = Text(no_wrap=True, overflow="ellipsis")
        total = sum(stats.total.values())
        title.append(f"{total} annotation{'s' * (total != 1)}  ", style="bold")
        for tag in self._tags:
            title.append(f" {tag.marker} ", style=f"bold black on {tag.colour}")
            title.append(f" {tag.name} {stats.total.get(tag.name, 0)}  ")
        if problems:
            title.append(display_text(problems[0]), style="bold red")
        self.query_one("#stats-title", Static).update(title)
        corpus = self.app.corpus  # type: ignore[attr-defined]
        labels = {a.id: f"{a.outlet} · {a.id}" if a.outlet else a.id for a in corpus}
        for number, (heading, counts) in enumerate(stats.sections()):
            chart = BarChart(heading, counts, self._tags, labels if number == 0 else None)
            self.query_one(f"#stats-{number}", Static).update(chart)

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss()
