"""The timeline screen (``T``): what each outlet says was scheduled when.

The schedule passages of the compare matrix (tagged, matched in other articles, or confirmed
there with ``y``), laid out by date (:func:`tui.timeline.timeline`): a line per passage with its
earliest date, then a line per article that carries it, with the dates that article names
(resolved against its own date). An outlet whose date disagrees with another's about the same
passage is marked ``!`` and the pane below says who says what. ``j``/``k`` move, ``enter``
opens the article at the passage, ``esc`` goes back.

The matrix is computed in a worker with a progress bar, as on the compare screen (the same
aligner, so a corpus is folded and indexed once for both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, ProgressBar, Static
from textual.worker import get_current_worker

from ..bindings import bindings
from ..compare import compare
from ..editing import shorten
from ..layout import display_text
from ..links import corpus_links
from ..session import Session
from ..styles import Looks
from ..timeline import Entry, Event, short_dates, timeline
from ..widgets.row_list import Column, RowList
from ..widgets.status_line import StatusLine
from .compare import Target, shared_aligner

#: Width of the date column (``! 9–10, 12, 13 Jan 2022`` is 23).
WHEN_WIDTH = 23
#: Width of the outlet column.
OUTLET_WIDTH = 16


@dataclass(frozen=True)
class _Line:
    """One line of the timeline: an event's heading (``entry`` None) or one of its entries."""

    event: Event
    entry: Entry | None
    clash: bool = False


class TimelineList(RowList):
    """The timeline's lines (a Line-API list: only what is on screen is drawn)."""


class TimelineScreen(ModalScreen[Target | None]):
    """Schedule passages by date, outlet by outlet, with the dates outlets disagree on.

    Dismisses with the article and passage to open in the reader (``enter``), or None.
    """

    BINDINGS = bindings("timeline")

    DEFAULT_CSS = """
    TimelineScreen {
        layout: vertical;
        background: $background;
    }
    TimelineScreen > #timeline-title {
        height: 1;
        padding: 0 1;
    }
    TimelineScreen > #timeline-progress {
        height: 1;
        padding: 0 1;
    }
    TimelineScreen > TimelineList {
        height: 1fr;
        min-height: 4;
    }
    TimelineScreen > #timeline-detail {
        height: auto;
        max-height: 40%;
        border-top: solid $panel;
        padding: 0 1;
    }
    """

    def __init__(self, session: Session, looks: Looks) -> None:
        super().__init__()
        self.session = session
        self.looks = looks
        self.events: list[Event] | None = None
        self._lines: dict[str, _Line] = {}
        self._done = (0, 0)
        self._progress_timer: Timer | None = None
        self._typed_ahead: list[Callable[[], None]] = []
        self._leaving = False
        """Keys typed before the timeline was shown (j, k, enter): run once it is."""

    def compose(self) -> ComposeResult:
        yield Static(id="timeline-title")
        yield ProgressBar(id="timeline-progress", show_eta=False)
        yield TimelineList(
            (Column("When", WHEN_WIDTH), Column("Outlet", OUTLET_WIDTH), Column("Passage")),
            cursor_style=self.looks.selection, id="timeline-list")
        yield Static(id="timeline-detail")
        yield StatusLine(id="timeline-status")
        yield Footer()

    @property
    def list(self) -> TimelineList:
        return self.query_one(TimelineList)

    def on_mount(self) -> None:
        self.query_one("#timeline-title", Static).update(Text("Dating the schedule passages…"))
        self._progress_timer = self.set_interval(0.1, self._show_progress)
        self.list.focus()
        self.watch(self.list, "highlighted", lambda _key: self._detail(), init=False)
        self._compute()

    def status(self, message: str, *, error: bool = False) -> None:
        """Say something on the screen's status line (never parsed as markup)."""
        self.query_one("#timeline-status", StatusLine).say(message, error=error)

    # ----------------------------------------------------------------- computing

    @work(thread=True, exclusive=True, group="timeline")
    def _compute(self) -> None:
        worker = get_current_worker()
        session = self.session
        corpus = session.corpus
        annotations, problems = session.store.read_all(corpus.ids)
        tag = session.config.schedule_tag
        wanted = [a for a in annotations if a.tag == tag]

        def progress(done: int, total: int) -> None:
            self._done = (done, total)

        try:
            matrix = compare(corpus, wanted, aligner=shared_aligner(corpus),
                             links=corpus_links(session.store, corpus), progress=progress,
                             cancelled=lambda: worker.is_cancelled)
            events = timeline(matrix, corpus, (tag,) if tag else ())
        except Exception as error:  # noqa: BLE001 - the session must survive a failed timeline
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, error)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, events, [p.message for p in problems])

    def _show_progress(self) -> None:
        done, total = self._done
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)

    def _stop_progress(self) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()
        self.query_one(ProgressBar).display = False

    def _failed(self, error: Exception) -> None:
        self._stop_progress()
        self.status(f"The timeline failed ({type(error).__name__}: {error}); your tags are "
                    "safe. Press esc to go back.", error=True)

    def _show(self, events: list[Event], problems: list[str]) -> None:
        self._stop_progress()
        self.events = events
        self._lines = {}
        keys = []
        for number, event in enumerate(events):
            clashing = {id(x) for first, _, second, _ in event.disagreements
                        for x in (first, second)}
            keys.append(f"{number}")
            self._lines[f"{number}"] = _Line(event, None)
            for place, entry in enumerate(event.entries):
                key = f"{number}.{place}"
                keys.append(key)
                self._lines[key] = _Line(event, entry, id(entry) in clashing)
        disagreeing = sum(1 for event in events if event.disagreements)
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"{len(events)} schedule passage{'s' * (len(events) != 1)}", style="bold")
        if disagreeing:
            title.append(f" · outlets disagree on the date of {disagreeing}",
                         self.looks.alignment("clash"))
        self.query_one("#timeline-title", Static).update(title)
        self.list.set_rows(keys, self._cells)
        if not events:
            self._detail()
            self.status(self._nothing_yet())
        elif problems:
            self.status(problems[0], error=True)
        self._detail()
        typed, self._typed_ahead = self._typed_ahead, []
        for action in typed:
            if self._leaving:
                break  # enter (or esc) was among them: the screen is going
            action()

    # ----------------------------------------------------------------- drawing

    def _cells(self, key: str) -> list[Text]:
        line = self._lines[key]
        if line.entry is None:
            event = line.event
            when = short_dates([event.earliest]) if event.earliest is not None else "no date"
            looks = self.looks
            passage = Text(no_wrap=True)
            passage.append(looks.letter(event.row.tag), looks.marker(event.row.tag))
            passage.append(" " + display_text(shorten(event.row.source.text, 200)))
            return [Text(when, style="bold"), Text(f"{len(event.entries)} outlet"
                                                   f"{'s' * (len(event.entries) != 1)}",
                                                   style="dim"), passage]
        entry = line.entry
        dates = short_dates(entry.dates) or "no date named"
        when = Text(no_wrap=True)
        if line.clash:
            when.append("! ", self.looks.alignment("clash"))
        else:
            when.append("  ")
        when.append(dates, style="" if entry.dates else "dim")
        mark = {"source": "src", "verbatim": "=", "reworded": "~", "confirmed": "✓"}.get(
            entry.kind, "")
        passage = Text(no_wrap=True)
        passage.append(mark.ljust(3), self.looks.alignment(entry.kind))
        passage.append(" " + display_text(shorten(entry.text, 200)))
        return [when, Text(display_text(shorten(entry.label, OUTLET_WIDTH))), passage]

    def on_row_list_activated(self, event: RowList.Activated) -> None:
        event.stop()
        self.action_open()

    def _selected(self) -> _Line | None:
        key = self.list.highlighted
        return self._lines.get(key) if key is not None else None

    def _nothing_yet(self) -> str:
        """What the status line says when there is nothing to show, and how to change that."""
        config = self.session.config
        tag = config.tag(config.schedule_tag) if config.schedule_tag else None
        if tag is None:
            return ('No tag has the schedule role: give one role = "schedule" in '
                    "newsmark.toml (docs/config.md), tag its passages, then press T.")
        keys = " or ".join(k for k in (tag.number, tag.key) if k)
        return f"No {tag.name} passages tagged yet: tag one ({keys}) in the reader, then press T."

    def _detail(self) -> None:
        line = self._selected()
        detail = Text()
        if line is None:
            tag = self.session.config.schedule_tag
            detail.append(f"Schedule passages show here once tagged (tag: {tag})." if tag else
                          "Schedule passages show here once a tag has the schedule role.",
                          style="dim")
        else:
            event = line.event
            entries = [line.entry] if line.entry is not None else list(event.entries)
            if line.entry is None:
                detail.append(display_text(event.row.source.text))
            else:
                entry = line.entry
                detail.append(display_text(entry.label), style="bold")
                detail.append(" · " + (short_dates(entry.dates)
                                       or "names no date to come"))
                detail.append("\n")
                detail.append(display_text(entry.text))
            for first, a, second, b in event.disagreements:
                if line.entry is not None and line.entry not in (first, second):
                    continue
                detail.append("\n")
                detail.append("! ", self.looks.alignment("clash"))
                detail.append(f"{display_text(first.label)} says {short_dates([a])}, "
                              f"{display_text(second.label)} says {short_dates([b])}")
            if not entries:
                detail.append("\nNo article carries it.", style="dim")
        self.query_one("#timeline-detail", Static).update(detail)

    # ----------------------------------------------------------------- actions

    def _not_yet(self, action: Callable[[], None]) -> bool:
        """While the timeline is computed, keep ``action`` (a key typed ahead) for when it is
        shown; True if kept."""
        if self.events is not None:
            return False
        self._typed_ahead.append(action)
        return True

    def action_cursor_down(self) -> None:
        """The next line."""
        if not self._not_yet(self.action_cursor_down):
            self.list.action_cursor_down()

    def action_cursor_up(self) -> None:
        """The previous line."""
        if not self._not_yet(self.action_cursor_up):
            self.list.action_cursor_up()

    def action_open(self) -> None:
        """Open the article at the selected passage (a heading: where it was tagged)."""
        if self._not_yet(self.action_open):
            return
        line = self._selected()
        if line is None:
            return
        if line.entry is None:
            source = line.event.row.source
            target: Target = (source.article_id, source.span)
        else:
            target = (line.entry.article_id, line.entry.span)
        self.workers.cancel_group(self, "timeline")
        self._leaving = True
        self.dismiss(target)

    def action_close(self) -> None:
        """Back to the reader."""
        self.workers.cancel_group(self, "timeline")
        self._leaving = True
        self.dismiss(None)
