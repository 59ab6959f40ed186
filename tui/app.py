"""The newsmark app: composes the screen, owns the session, and wires widgets to it.

Widgets draw and say what the user asked; the session (:mod:`tui.session`, no Textual) decides
and reports; the app turns keys into session calls and tells the widgets what changed:

- Keys are bound from the one key table (:mod:`tui.keys`). A widget's own actions only change
  what it shows; anything that changes annotations, opens a prompt or a screen, or moves the
  focus is an action of this app, run in the same step as the key, so keys typed ahead reach
  what the key opened (:mod:`tui.typeahead` hands the app one key at a time).
- Widgets tell the app what changed through reactives it watches (the reader's ``notice``, the
  list's ``highlighted``), which Textual calls at once, in order.
- The session notifies the app of every change it made, from whichever screen, and the app
  updates the reader, the panel and the list's counts.
- Suggestions are computed in a worker thread, one article at a time; the session says what to
  compute and drops what comes back too late (:meth:`Session.suggestions_computed`), and the
  app tells the reader which to mark.

A change is shown as saved only after the store has it on disk.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Callable, Iterable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from .bindings import bindings
from .config import Config
from .corpus import ArticleInfo, Corpus, CorpusError, Skipped
from .keys import TAG_SLOTS, Key, by_id, display_keys, effective, tag_keymap
from .layout import display_text
from .model import Annotation, Article, Span
from .session import ComputedSuggestions, Outcome, Session, SuggestionRequest
from .store import DamagedFileError, Store, StoreError
from .styles import Looks
from .team import ArticleSummary, View
from .typeahead import NEUTRAL, Effect, TypeAhead
from .widgets.annotation_panel import AnnotationPanel
from .widgets.article_list import ArticleList
from .widgets.legend import Legend
from .widgets.reader import Notice, Reader
from .widgets.status_line import StatusLine

#: Set to a file path, the app writes :func:`write_ready_marker` there once its first screen is
#: painted, and quits (``bench/run.py`` times whole-process start-up with it).
BENCH_READY_ENV = "NEWSMARK_BENCH_READY"


def write_ready_marker(path: str) -> None:
    """Write ``perf_counter() peak_rss_kib`` to ``path``: a system-wide monotonic clock on
    Linux, so the parent process can subtract its own reading taken before it spawned us."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(path, "w", encoding="utf-8") as marker:
        marker.write(f"{time.perf_counter()!r} {peak}\n")


#: Tag counts of more stored articles than this are read by a worker after the first screen
#: (the first rows of the list: more than a 200×50 terminal shows).
COUNTS_AT_START = 60

#: How often the open article's annotations are checked for changes made by others (seconds).
POLL_INTERVAL = 1.0

#: How long the note about skipped files stays over the screen (seconds).
SKIPPED_NOTICE_SECONDS = 4

#: Seconds an article is open before its suggestions are worked out (a worker thread).
SUGGEST_AFTER = 0.15

#: Which widget each scope's plain (un-namespaced) actions run on, for the command palette.
_PALETTE_SCOPES = ("main", "reader", "list", "panel")


def _unalt(event: events.Event) -> list[events.Event]:
    """The keys as they were typed. A terminal sends alt+x as esc then x, so esc typed just
    before a key (in the same read: over SSH, or by a fast hand) arrives as alt+key. newsmark
    binds no alt key: it is taken as the two keys it was typed as. (Textual reads esc with a
    digit, ``-`` or ``=`` as the character a Mac's Option key makes, esc 4 as ¢, and drops
    the esc before a key with a long name, esc / as /: those cannot be told from the
    characters typed as themselves here.) And enter typed before the app took the terminal
    over arrives as a line feed (the terminal still turned enter into one): it is enter."""
    if not isinstance(event, events.Key):
        return [event]
    if event.key == "ctrl+j" and event.character == "\n":
        return [events.Key("enter", "\r")]
    if event.key.startswith("alt+") and event.character and len(event.character) == 1:
        rest = event.key.removeprefix("alt+")
        if rest.startswith("shift+") and event.character.isupper():
            rest = event.character  # (Textual names an upper-case letter by itself)
        if "+" not in rest:
            return [events.Key("escape", "\x1b"), events.Key(rest, event.character)]
    return [event]


class ArticleHeader(Widget):
    """The open article's line above the reader: its title, then outlet, date and id, then
    how many suggestions there are. Made to fit the width each time it is drawn: the id gives
    way first; then the title and the details share the room, half each (the title keeps
    :data:`HEADER_TITLE_FLOOR` cells at least), and the count is never cut; so at 80 columns
    the title's start, the outlet, the date and the count still show."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._lead = Text()
        self._title = ""
        self._details: tuple[str, ...] = ()
        self._note = ""

    def show(self, lead: Text, title: str, details: Sequence[str] = (), note: str = "") -> None:
        """Show ``lead`` (marks such as ✓ done, and their styles), ``title`` in bold, the
        ``details`` and the ``note``, dimmed."""
        self._lead, self._title, self._details, self._note = lead, title, tuple(details), note
        self.refresh(layout=False)

    def render(self) -> Text:
        width = self.content_region.width or self.size.width or 80
        details = [d for d in self._details if d]
        note = f"  · {self._note}" if self._note else ""
        room = width - self._lead.cell_len - cell_len(note)  # for the title and the details
        title = self._title
        tail = ""
        for kept in (details, details[:2]):  # everything, else all but the id
            tail = "  " + " · ".join(kept) if kept else ""
            if cell_len(title) + cell_len(tail) <= room:
                break
        else:
            # Half the room for each (the title at least its floor): the details that fit
            # whole in theirs (else the first, cut), then the title takes what is left.
            share = max(min(cell_len(title), HEADER_TITLE_FLOOR), room // 2)
            left = room - min(cell_len(title), share)
            tail = ""
            for count in range(min(2, len(details)), 0, -1):
                if cell_len("  " + " · ".join(details[:count])) <= left:
                    tail = "  " + " · ".join(details[:count])
                    break
            else:
                if details and left > 8:
                    tail = set_cell_size("  " + details[0], left - 1).rstrip() + "…"
            fits = room - cell_len(tail)
            if cell_len(title) > fits:
                title = set_cell_size(title, max(1, fits - 1)).rstrip() + "…"
        header = Text(no_wrap=True, overflow="ellipsis", end="")
        header.append_text(self._lead)
        header.append(title, style="bold")
        header.append(tail + note, style="dim")
        return header


#: The cells an article's title keeps at the least in its header (see ArticleHeader).
HEADER_TITLE_FLOOR = 12


class FilterInput(Input):
    """The article list's filter box: enter (or ↓) keeps the filter, esc clears it."""

    BINDINGS = bindings("filter")

    def on_mount(self) -> None:
        # A steady cursor: a blinking one repaints twice a second, bytes a slow link pays for.
        self.cursor_blink = False


class NewsmarkApp(App[None]):
    """Read a corpus of articles and tag passages in them."""

    TITLE = "newsmark"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (80, "-narrow"), (120, "-wide")]

    def __init__(
        self,
        corpus: Corpus,
        store: Store,
        *,
        config: Config | None = None,
        annotator: str,
        ask_annotator: bool = False,
        after_first_paint: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.ask_annotator = ask_annotator
        """Ask who is annotating on the first screen (``newsmark serve --ask-annotator``)."""
        self.after_first_paint = after_first_paint
        """Run once the first screen is painted (what start-up put off: see ``cmd_open``)."""
        self.config = config or Config()
        self.session = Session(corpus, store, config=self.config, annotator=annotator)
        self.looks = Looks.for_terminal(self.config.tags)
        self.keymap = {**tag_keymap(self.config.tags), **dict(self.config.keys)}
        """Binding id → keys: the tag set's keys and the config's ``[keys]``."""
        self._reader_before_panel = False  # (see action_toggle_panel)
        # Where each article was left (by its text's hash, see tui.state), read at the first
        # article shown; those left in this run are written when the app ends.
        self._places: dict[str, int] | None = None
        self._left: dict[str, int] = {}
        # Held until the first screen is painted (see _first_paint).
        self.typeahead = TypeAhead(self, self._route, self._effect, held=True)
        self._refreshed: set[str] = set()
        self._suggest_timer: Timer | None = None
        self._suggestions_shown = -1
        """The session's suggestions_version the reader last drew."""
        self._team_seen = False
        """Whether anyone else's work is in the store (the list and legend then say whose
        tags are which; one annotator alone sees neither)."""

    @property
    def corpus(self) -> Corpus:
        return self.session.corpus

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def annotator(self) -> str:
        return self.session.annotator

    # ----------------------------------------------------------------- keys

    async def on_event(self, event: events.Event) -> None:
        if self.typeahead.takes(event):
            for typed in _unalt(event):
                await self.typeahead.feed(typed)
            return
        await super().on_event(event)

    async def _route(self, event: events.Event) -> None:
        """Route one key or paste, as Textual does; a paste into the reader searches for the
        pasted text and a paste into the list filters by it (never run as commands)."""
        # Where the open article stands after the keys before this one (the keys before it
        # have settled): the place it is left at if this key quits (see _note_place).
        self._note_place()
        if isinstance(event, events.Paste):
            focused = self.focused
            if isinstance(focused, Reader):
                self.action_search(event.text)
                return
            if isinstance(focused, ArticleList):
                self.action_filter(event.text)
                return
        await super().on_event(event)

    def _effect(self, event: events.Event) -> Effect:
        """What a key will do to the routing of the next (see :class:`~tui.typeahead.Effect`),
        from the binding it will meet where the focus is now."""
        if not isinstance(event, events.Key):
            return Effect()  # a paste opens the search or the filter
        active = self.screen.active_bindings.get(event.key)
        if active is None:
            # Typed into a box (an Input consumes printable keys), or bound to nothing here.
            # Anything else unbound may be a binding Textual keeps off this list: wait for it.
            return NEUTRAL if event.is_printable else Effect()
        binding = active.binding
        entry = next((k for k in by_id(binding.id or "") if k.action == binding.action), None)
        # Bindings not in our table (Textual's own) are waited for.
        routes = entry.routes if entry is not None else True
        return Effect(routes=routes, at_once=binding.priority)

    def get_key_display(self, binding: Binding) -> str:
        if binding.id == "tag_1" and len(self.config.tags) > 1:
            # The footer shows the tag keys once, as a range.
            return f"1-{min(len(self.config.tags), TAG_SLOTS)}"
        return super().get_key_display(binding)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tag":
            # A tag slot with no tag in the config is off (and not in the footer).
            return bool(parameters) and int(str(parameters[0])) <= len(self.config.tags)
        if action == "link_here":
            # Only while a link waits for its passage (the compare screen's enter).
            return self.session.pending_link is not None
        return True

    @property
    def key_table(self) -> tuple[Key, ...]:
        """The key table as the config left it (what the help and the palette show)."""
        return effective(self.keymap)

    # ----------------------------------------------------------------- composition

    def get_default_screen(self) -> Screen:
        from .screens.main import MainScreen

        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield FilterInput(placeholder="filter: title, outlet, id", id="filter")
                yield ArticleList(self.looks, id="articles")
                yield AnnotationPanel(self.looks, id="panel")
            with Vertical(id="reading"):
                yield ArticleHeader(id="article-header")
                yield Legend(self.looks, id="legend")
                yield Reader(self.looks, id="reader")
        yield Static(id="banner")
        yield StatusLine(id="status")
        yield Footer()

    # The main screen's widgets, found there (not on whichever screen is on top).

    @property
    def main(self) -> Screen:
        """The main screen (the list or panel, and the reader)."""
        return self.screen_stack[0]

    @property
    def reader(self) -> Reader:
        return self.main.query_one(Reader)

    @property
    def articles(self) -> ArticleList:
        return self.main.query_one(ArticleList)

    @property
    def panel(self) -> AnnotationPanel:
        return self.main.query_one(AnnotationPanel)

    @property
    def status_line(self) -> StatusLine:
        return self.main.query_one("#status", StatusLine)

    def _apply_theme(self) -> None:
        """The config's theme, else the one last chosen in the palette (:mod:`tui.state`);
        from then on, a theme chosen is remembered for the next launch."""
        from .state import remember_theme, remembered_theme

        theme = self.config.theme or remembered_theme()
        if theme in self.available_themes:
            self.theme = theme
        elif self.config.theme:  # (a remembered theme this Textual lacks: the default)
            names = ", ".join(sorted(self.available_themes))
            where = display_text(str(self.config.path or "the config"))
            self.notify(f"Unknown theme {theme!r} in {where}; "
                        f"the themes are: {names}.", severity="warning", markup=False)
        self.watch(self, "theme", remember_theme, init=False)

    def on_mount(self) -> None:
        self._apply_theme()
        self.set_keymap(self.keymap)
        for problem in self.config.warnings:
            self.notify(display_text(problem), title="Config", severity="warning",
                        markup=False, timeout=8)
        self.articles.border_title = "Articles"
        self.panel.border_title = "Annotations"
        self.watch(self.reader, "notice", self._reader_said, init=False)
        self.watch(self.articles, "highlighted", self._preview, init=False)
        self.session.subscribe(self._session_changed)
        self._show_banner()
        # First of what waits for the first paint (the workers _fill_list starts come after).
        self.call_after_refresh(self._first_paint)
        self._fill_list()
        self.articles.focus()
        if self.corpus.ids:
            self._preview(self.corpus.ids[0])  # filling the list may have shown it already
        else:
            self.reader.show_article(None, [])
            self._header(None)
        if self.corpus.skipped:
            self._tell_skipped(self.corpus.skipped)
        self.set_interval(POLL_INTERVAL, self._poll_store)
        self._install_signal_handlers()
        if self.ask_annotator:
            self._ask_who()

    def on_unmount(self) -> None:
        self.typeahead.stop()
        # (the screens are gone by now: the place was noted as the last key was routed)
        if self._left:
            from .state import remember_places

            remember_places(self._left)

    def _note_place(self) -> None:
        """Remember where the open article is left: the start of the selection."""
        article = self.session.article
        if article is None or self._places is None or not self.screen_stack:
            return
        selection = self.reader.selection
        if selection is None or self.reader.article is not article:
            return
        self._places[article.sha256] = self._left[article.sha256] = selection.start

    def _go_to_place(self, article: Article) -> None:
        """Select the sentence the article was left at (a later launch's too)."""
        if self._places is None:
            from .state import remembered_places

            self._places = remembered_places()
        place = self._places.get(article.sha256)
        if place and place < len(article.text):
            sentence = self.reader.sentence_at(place)
            if sentence is not None and sentence != self.reader.selection:
                self.reader.select(sentence)


    def _ask_who(self) -> None:
        """Ask the name to tag under; until it is given nothing is tagged."""
        from .screens.annotator import AnnotatorScreen

        try:
            known = self.store.annotators()
        except StoreError:
            known = []

        def given(name: str) -> None:
            self.session.annotator = name
            self.store.annotator = name
            self.status(f"Tagging as {name}.")

        self.push_screen(AnnotatorScreen(known=known), given)

    def _tell_skipped(self, skipped: Iterable[Skipped]) -> None:
        skipped = list(skipped)
        names = "; ".join(f"{s.path.name}: {s.reason}" for s in skipped[:3])
        more = len(skipped) - 3
        message = display_text(names) + (f" (and {more} more)" if more > 0 else "")
        # A dump whose malformed lines were left out is open all the same: not "skipped".
        whole = sum(1 for s in skipped if not s.partial)
        title = f"Skipped {whole} file(s)" if whole else "Lines left out"
        # Briefly over the screen, and on the status line until the next message.
        self.notify(message, title=title, severity="warning",
                    markup=False, timeout=SKIPPED_NOTICE_SECONDS)
        self.status(f"{title}: {message}")

    def _first_paint(self) -> None:
        """The first screen is painted: run what waited for it. Under the benchmarks' start-up
        probe (``NEWSMARK_BENCH_READY``), then say when, and quit."""
        self.typeahead.release()  # the keys typed while the app was starting, now
        if self.after_first_paint is not None:
            self.after_first_paint()
        ready = os.environ.get(BENCH_READY_ENV)
        if ready:
            write_ready_marker(ready)
            self.exit()

    def _install_signal_handlers(self) -> None:
        # A dropped SSH connection sends SIGHUP. Writes are synchronous on the event loop, so
        # when this handler runs no write is half done: exiting here loses nothing shown as saved.
        loop = asyncio.get_running_loop()
        for name in ("SIGHUP", "SIGTERM"):
            sig = getattr(signal, name, None)  # Windows has no SIGHUP
            if sig is None:
                continue
            try:
                loop.add_signal_handler(sig, self.exit)
            except (NotImplementedError, ValueError):
                # Windows' event loop has no signal handlers, and none can be set off the main
                # thread: there Textual's own handling of the closed terminal stops the app.
                return

    # ----------------------------------------------------------------- the list

    def _fill_list(self) -> None:
        counts: dict[str, dict[str, int]] = {}
        team: dict[str, tuple[int, bool]] = {}
        # Only articles with a folder in the store can have annotations: one listing of the
        # store, not one look per article (10 000 of them in a large corpus).
        try:
            stored = set(self.store.article_ids())
        except StoreError:
            stored = set(self.corpus.ids)
        present = [article_id for article_id in self.corpus.ids if article_id in stored]
        # A large store's counts are read after the first screen, as a large corpus's titles
        # are: 1 000 annotated articles cost 0.3 s of reading at start-up.
        later = present[COUNTS_AT_START:] if len(present) > COUNTS_AT_START else []
        others = False
        for article_id in present[: len(present) - len(later)]:
            summary = self.session.summary(article_id)
            counts[article_id] = summary.counts
            team[article_id] = (len(summary.annotators), summary.done)
            others = others or any(n != self.annotator for n in summary.annotators)
        # The list needs titles, not texts: infos read no article file.
        self._team_seen = self._team_seen or others
        self.articles.show_annotators(self._team_seen)
        self.articles.set_articles(self.corpus.infos, counts, self._marks(), team)
        if later:
            # Started after the first paint: a thread reading shards takes the GIL from it.
            self.call_after_refresh(self._read_counts, later)
        if self.corpus.pending:
            self.articles.border_subtitle = f"reading titles: {self.corpus.pending:,} to go"
            self.call_after_refresh(self._read_metadata)
        if self.corpus.unverified:
            self.call_after_refresh(self._verify_corpus)

    def _marks(self) -> dict[str, str]:
        """Article id → why its annotations cannot be read (the list marks it)."""
        return dict(self.session.damaged)

    @work(thread=True, exclusive=True, group="counts")
    def _read_counts(self, article_ids: list[str]) -> None:
        """Read the tag counts of ``article_ids`` (a large store's) after the first screen."""
        from textual.worker import get_current_worker

        from .team import ArticleSummary, summarise

        worker = get_current_worker()
        batch: dict[str, tuple[ArticleSummary, str | None]] = {}
        session = self.session
        view, me = session.view, session.annotator
        for number, article_id in enumerate(article_ids, 1):
            if worker.is_cancelled:
                return
            try:
                found = summarise(self.store, article_id, me, view)
                damaged = None
            except DamagedFileError as error:
                found, damaged = ArticleSummary({}, (), False), str(error)
            except StoreError:
                continue
            batch[article_id] = (found, damaged)
            if len(batch) >= 200 or number == len(article_ids):
                self.call_from_thread(self._counts_read, batch)
                batch = {}

    def _counts_read(self, batch: dict[str, tuple[object, str | None]]) -> None:
        articles = self.articles
        for article_id, (found, damaged) in batch.items():
            if article_id in self._refreshed:
                continue  # changed since the worker read it: what is shown is newer
            if damaged is not None:
                self.session.damaged[article_id] = damaged
                articles.set_mark(article_id, damaged)
            self._show_summary(article_id, found)  # type: ignore[arg-type]

    def _show_summary(self, article_id: str, summary: ArticleSummary) -> None:
        """One article's row: counts in the view, its annotators, my done-mark."""
        articles = self.articles
        articles.set_counts(article_id, summary.counts)
        articles.set_team(article_id, len(summary.annotators), summary.done)
        if not self._team_seen and any(n != self.annotator for n in summary.annotators):
            self._team_seen = True
            articles.show_annotators(True)
            self._show_view()

    def _recount(self) -> None:
        """The view changed: every row's counts again (a large store's after this screen)."""
        self._refreshed.clear()
        try:
            stored = set(self.store.article_ids())
        except StoreError:
            stored = set(self.corpus.ids)
        present = [article_id for article_id in self.corpus.ids if article_id in stored]
        later = present[COUNTS_AT_START:] if len(present) > COUNTS_AT_START else []
        for article_id in present[: len(present) - len(later)]:
            self._show_summary(article_id, self.session.summary(article_id))
        if later:
            self._read_counts(later)

    @work(thread=True, exclusive=True, group="metadata")
    def _read_metadata(self) -> None:
        """Read a large uncached corpus's titles, outlets and dates after the first screen
        (the list shows ids until then), in batches, as toolong scans a big file."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        while self.corpus.pending and not worker.is_cancelled:
            updated, dropped = self.corpus.complete(250)
            self.call_from_thread(self._metadata_read, updated, dropped, self.corpus.pending)

    @work(thread=True, exclusive=True, group="verify")
    def _verify_corpus(self) -> None:
        """The corpus was shown as listed last time: list its files again after the first
        screen and show what changed (files added, edited or gone)."""
        skipped = {s.path for s in self.corpus.skipped}
        try:
            changed = self.corpus.verify()
        except CorpusError as error:
            self.call_from_thread(self.status, str(error), error=True)
            return
        if changed:
            self.call_from_thread(self._corpus_verified, skipped)

    def _corpus_verified(self, skipped_before: set[object]) -> None:
        self._fill_list()
        new = [s for s in self.corpus.skipped if s.path not in skipped_before]
        if new:
            self._tell_skipped(new)

    def _metadata_read(
        self, updated: list[ArticleInfo], dropped: list[Skipped], pending: int
    ) -> None:
        articles = self.articles
        articles.update_articles(updated, removed=[s.path for s in dropped])
        articles.border_subtitle = f"reading titles: {pending:,} to go" if pending else None
        if dropped:
            self._tell_skipped(dropped)

    # ----------------------------------------------------------------- showing an article

    def _show(self, article_id: str) -> None:
        """Open ``article_id`` in the reader (its annotations in the panel), at the sentence
        where it was left, if it was read before."""
        self._note_place()
        outcome = self.session.open(article_id)
        article = self.session.article
        if article is None or article.id != article_id:
            self.status(outcome.message, error=True)
            return
        self._show_view()
        self.reader.show_article(article, self.session.placed)
        self._go_to_place(article)
        self._suggestions_shown = -1
        self._follow_suggestions()
        self.panel.set_annotations(self.session.annotations)
        self._header(article)
        if article.problems:
            self.articles.set_problems(article_id, article.problems)
        if article_id in self.session.damaged:
            self.articles.set_mark(article_id, self.session.damaged[article_id])
        # What was said about the last article does not hang over this one.
        self.status(outcome.message, error=outcome.error)
        if outcome.notice:
            self.notify(display_text(outcome.notice), title="Text changed",
                        severity="warning", markup=False, timeout=8)

    def _show_view(self) -> None:
        """Tell the reader, panel and legend whose tags are shown and how."""
        session = self.session
        owner, initials = session.owner, session.initials()
        self.reader.set_view(owner, initials)
        self.panel.set_view(owner, initials)
        shown = self._team_seen or bool(initials) or session.view.kind != "all"
        self.main.query_one(Legend).set_view(session.view_label() if shown else "")

    def _header(self, article: Article | None) -> None:
        header = self.main.query_one(ArticleHeader)
        if article is None:
            header.show(Text(), "No articles. ",
                        ["Give a file or folder of .txt/.md files: newsmark PATH"])
            return
        lead = Text()
        if article.problems:
            lead.append("⚠ ", style="bold")
        if self.session.is_done(article.id):
            lead.append("✓ done  ", style="bold")
        note = ""
        session = self.session
        if session.suggesting and session.view.editable:
            if not session.suggestions_ready:
                note = "suggesting…"
            else:
                count = len(session.suggestions)
                note = f"{count} suggested" if count else "none suggested"
        header.show(lead, display_text(article.title or article.id),
                    [display_text(x) for x in (article.outlet, article.date, article.id)], note)

    def _preview(self, article_id: str | None) -> None:
        """The list's highlight moved: show that article (the focus stays in the list)."""
        if article_id is not None and (self.session.article is None
                                       or article_id != self.session.article.id):
            self._show(article_id)

    def on_article_list_opened(self, message: ArticleList.Opened) -> None:
        """A double click in the list."""
        self.open_at(message.article_id, None)

    def on_annotation_panel_jump_requested(self, message: AnnotationPanel.JumpRequested) -> None:
        """A double click in the panel."""
        self.panel.highlight(message.annotation_id)
        self.action_panel_jump()

    def action_open_article(self) -> None:
        """Read the highlighted article: it is shown in the reader, which takes the focus."""
        article_id = self.articles.highlighted
        if article_id is not None:
            self.open_at(article_id, None)

    def open_at(self, article_id: str, span: Span | None) -> None:
        """Show ``article_id`` in the reader with ``span`` selected (its start if None)."""
        if self.corpus.info(article_id) is None:
            return
        self.articles.highlight(article_id)
        if self.session.article is None or self.session.article.id != article_id:
            self._show(article_id)
        if span is not None:
            self.reader.select(span)
        self.reader.focus()

    # ----------------------------------------------------------------- what changed

    def status(self, message: str, *, error: bool = False) -> None:
        """Say something on the status line (literally: never parsed as markup)."""
        self.status_line.say(message, error=error)

    def _report(self, outcome: Outcome) -> Outcome:
        """Show what an operation said; keep the read-only banner true; select the passage it
        says to go to."""
        if outcome.goto is not None:
            self.reader.active_id = None
            self.reader.select(outcome.goto)
        if outcome.message or outcome.error:
            self.status(outcome.message, error=outcome.error)
        self._show_banner()
        return outcome

    def _reader_said(self, notice: Notice | None) -> None:
        if notice is not None:
            self.status(notice.text)

    def _show_banner(self) -> None:
        """The read-only banner, shown while there is a reason for it."""
        reason = self.session.read_only
        banner = self.main.query_one("#banner", Static)
        banner.update(Text(display_text(reason or "")))  # names a path
        banner.display = reason is not None

    def _session_changed(self, outcome: Outcome) -> None:
        """The session changed annotations (from any screen): update what shows them."""
        session = self.session
        self._follow_suggestions()
        for article_id in outcome.changed:
            self._refreshed.add(article_id)
            self._show_summary(article_id, session.summary(article_id))
            if article_id in session.damaged:
                self.articles.set_mark(article_id, session.damaged[article_id])
            if session.article is not None and session.article.id == article_id:
                self._show_view()
                self.reader.set_annotations(session.placed)
                self.panel.set_annotations(session.annotations, keep=self.panel.highlighted)
                self._header(session.article)

    def _reveal(self, annotation: Annotation | None) -> None:
        """Show the article of ``annotation`` with the passage selected."""
        if annotation is None:
            return
        if self.session.article is None or self.session.article.id != annotation.article_id:
            self.articles.highlight(annotation.article_id)
            self._show(annotation.article_id)
        reader = self.reader
        if reader.annotation(annotation.id) is not None:
            reader.active_id = annotation.id
        reader.select(annotation.span)

    def _poll_store(self) -> None:
        """Show changes made by other processes (a colleague, a ``git pull``)."""
        if not self.is_running:
            return  # shutting down: the screens' widgets are being taken away
        self.session.reload_if_changed()

    # ----------------------------------------------------------------- suggestions

    def _follow_suggestions(self) -> None:
        """Draw the session's suggestions if they changed; start a worker if they are due."""
        session = self.session
        if session.suggestions_version != self._suggestions_shown:
            # After show_article (-1) the reader holds none: it is given them all.
            changes = session.suggestion_changes()
            if self._suggestions_shown == -1:
                changes = None
            self._suggestions_shown = session.suggestions_version
            self.reader.set_suggestions(session.suggestions, changed=changes)
            self._header(session.article)
        request = session.suggestion_request()
        if request is None:
            return
        if self._suggest_timer is not None:
            self._suggest_timer.stop()
        # A moment's grace: ↓ held down in the list previews article after article, and only
        # the one it stops on is worth a worker.
        self._suggest_timer = self.set_timer(SUGGEST_AFTER, lambda: self._suggest(request))

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _suggest(self, request: SuggestionRequest) -> None:
        """Compute the suggestions of one article (in a thread: the reader never waits).

        The work itself runs in a background thread (:func:`tui.workers.in_background`) the
        worker waits for: leaving the article or quitting cancels the worker, which returns at
        once and tells the computation to stop; it does, within milliseconds (an executor's
        threads would be joined at exit, after a long article's suggestions)."""
        import threading

        from textual.worker import get_current_worker

        from .suggest import Cancelled
        from .workers import in_background

        worker = get_current_worker()
        found: list[ComputedSuggestions | None] = []
        failed: list[Exception] = []
        done = threading.Event()

        def compute(stopping: Callable[[], bool]) -> None:
            try:
                found.append(self.session.compute_suggestions(request, stopping))
            except Cancelled:
                pass
            except Exception as error:  # noqa: BLE001 - a bad rule must not stop the reader
                failed.append(error)
            finally:
                done.set()

        stop = in_background(compute, "newsmark-suggest")
        while not done.wait(0.05):
            if worker.is_cancelled:
                stop.set()
                return
        if failed:
            self.call_from_thread(self.status, f"Suggestions could not be made: {failed[0]}",
                                  error=True)
            return
        if not found:
            return  # stopped (the process is ending)
        computed = found[0]
        if computed is None:
            self.call_from_thread(self._unsuggested, request)
        else:
            self.call_from_thread(self._suggested, computed)

    def _unsuggested(self, request: SuggestionRequest) -> None:
        self.session.suggestion_dropped(request)
        self._follow_suggestions()

    def _suggested(self, computed: ComputedSuggestions) -> None:
        # Taken, or dropped as stale (then asked for again if still wanted).
        self.session.suggestions_computed(computed)
        self._follow_suggestions()

    def action_accept_suggestion(self) -> None:
        """Accept the suggestion under the cursor (then the next one is selected)."""
        self._report(self.session.accept_suggestion(self.reader.selection))

    def action_accept_all(self) -> None:
        """Accept every suggestion of the source under the cursor, after saying how many."""
        from .screens.confirm import ConfirmScreen

        plan = self.session.plan_accept_all(self.reader.selection)
        if not plan.ask:
            self._report(plan)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._report(self.session.accept_all(plan.plan))
            else:
                self.status("Nothing accepted.")

        self.push_screen(ConfirmScreen(plan.ask), answered)

    def action_next_suggestion(self) -> None:
        """Select the next suggestion."""
        self._report(self.session.step_suggestion(self.reader.selection, +1))

    def action_previous_suggestion(self) -> None:
        """Select the previous suggestion."""
        self._report(self.session.step_suggestion(self.reader.selection, -1))

    def action_toggle_suggestions(self) -> None:
        """Show or hide the suggestions."""
        self._report(self.session.toggle_suggestions())
        self._follow_suggestions()

    # ----------------------------------------------------------------- tagging

    def _target(self) -> Annotation | None:
        """The annotation the reader's selection means (see :meth:`Session.target`)."""
        return self.session.target(self.reader.selection, self.reader.active_id)

    def action_tag(self, slot: int) -> None:
        """Tag the selection with the tag of ``slot`` (again on the same passage: untag)."""
        reader = self.reader
        if reader.selection is None or not 1 <= slot <= len(self.config.tags):
            return
        outcome = self._report(self.session.tag(reader.selection,
                                                self.config.tags[slot - 1].name))
        if outcome.ok and outcome.select is not None:
            reader.active_id = outcome.select.id

    def action_link_here(self) -> None:
        """Link the selection to the passage the compare screen's ``enter`` came from."""
        self._report(self.session.link_here(self.reader.selection))
        self.refresh_bindings()

    def action_reset_selection(self) -> None:
        """esc in the reader: cancel a waiting link, and clear the search or go back to the
        current sentence."""
        cancelled = self.session.cancel_link()
        self.reader.action_reset_selection()
        if cancelled is not None:
            self._report(cancelled)
            self.refresh_bindings()

    def action_untag(self) -> None:
        """Remove my tag under the cursor; where I have none, reject the suggestion there."""
        selection = self.reader.selection
        if selection is None:
            return
        target = self._target()
        if target is None and self.session.suggestion_at(selection) is not None:
            self._report(self.session.reject_suggestion(selection))
            return
        self._report(self.session.untag(target))

    def _refuse_read_only(self, target: Annotation | None) -> bool:
        """Say so and return True when ``target`` (or, with none, the view) is read-only."""
        session = self.session
        if target is not None and not session.is_mine(target):
            self.status(f"That is {target.annotator}'s tag: only your own tags can be changed.",
                        error=True)
            return True
        if target is None and not session.view.editable:
            self.status(f"The view shows {session.view_label()} tags: v switches the view "
                        "(to yours).", error=True)
            return True
        return False

    def action_note(self) -> None:
        """Edit the note of the tag under the cursor, or the note for the next tag."""
        if self.reader.selection is not None and not self._refuse_read_only(self._target()):
            self._edit_note(self._target())

    def action_next_match_or_note(self) -> None:
        """The next search match while a search is shown; else edit the note here."""
        if self.reader.matches:
            self.reader.step_match(+1)
        else:
            self.action_note()

    def _edit_note(self, target: Annotation | None) -> None:
        from .screens.prompt import PromptScreen

        question, value = self.session.note_question(target)

        def done(note: str | None) -> None:
            self._report(self.session.note(target, note))

        self.push_screen(PromptScreen(question, value, placeholder="a short note"), done)

    def action_retag(self) -> None:
        """Change the tag under the cursor to another."""
        if self.reader.selection is not None and not self._refuse_read_only(self._target()):
            self._retag(self._target())

    def _retag(self, target: Annotation | None) -> None:
        from .editing import shorten
        from .screens.tag_picker import TagPickerScreen

        if target is None:
            self.status("No tag here to change: select a tagged passage first.")
            return

        def done(tag: str | None) -> None:
            self._report(self.session.retag(target, tag))

        self.push_screen(
            TagPickerScreen(self.looks, f"Retag “{shorten(target.text, 50)}” as:",
                            current=target.tag),
            done,
        )

    def action_resize(self) -> None:
        """Fit the picked tag to the selection."""
        reader = self.reader
        if reader.selection is not None:
            self._report(self.session.resize(self.session.annotation(reader.active_id),
                                             reader.selection))

    def action_undo(self) -> None:
        """Undo the last change of the session."""
        outcome = self.session.undo()
        if outcome.ok:
            self._reveal(outcome.select)  # may open another article, which clears the status
        self._report(outcome)

    def action_redo(self) -> None:
        """Redo the last change undone."""
        outcome = self.session.redo()
        if outcome.ok:
            self._reveal(outcome.select)  # may open another article, which clears the status
        self._report(outcome)

    # ----------------------------------------------------------------- searching

    def action_search(self, text: str | None = None) -> None:
        """Ask for words to find in the article (``text``: a paste, ready to accept)."""
        from .screens.prompt import PromptScreen

        reader = self.reader

        def done(term: str | None) -> None:
            if not term:
                self.status("Search cancelled.")
                return
            if not reader.search(term):
                self.status(f"“{term}” is not in this article.")

        value = " ".join(text.split()) if text is not None else reader.search_term
        self.push_screen(
            PromptScreen("Search this article (any case; n / N for next / previous):",
                         value, placeholder="words to find"),
            done,
        )

    # ----------------------------------------------------------------- the list filter

    def action_filter(self, text: str | None = None) -> None:
        """Show the filter box and put the focus in it (``text``: a paste, filtered by)."""
        box = self.main.query_one(FilterInput)
        box.display = True
        if text is not None:
            box.value = " ".join(text.split())
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.articles.set_filter(event.value)

    def action_filter_done(self) -> None:
        """Keep the filter and go back to the list (hide the box if the filter is empty)."""
        box = self.main.query_one(FilterInput)
        self.articles.set_filter(box.value)
        if not box.value:
            box.display = False
        self.articles.focus()

    def action_clear_filter(self) -> None:
        """Clear the filter, hide its box, and go back to the list."""
        box = self.main.query_one(FilterInput)
        if not box.display and not self.articles.filter_text:
            return
        box.value = ""
        self.articles.set_filter("")
        box.display = False
        self.articles.focus()
        self.status("Filter cleared.")

    # ----------------------------------------------------------------- the panel

    def action_toggle_panel(self) -> None:
        """Show the annotation panel in place of the article list, or back."""
        panel, articles = self.panel, self.articles
        showing = not panel.display
        panel.display = showing
        articles.display = not showing
        self.main.query_one(FilterInput).display = not showing and bool(articles.filter_text)
        if showing:
            # Closing it goes back to where the focus was: the reader, if it was there.
            self._reader_before_panel = self.reader.has_focus
            here = self._target()
            if here is not None:
                panel.highlight(here.id)
            panel.focus()
        elif self._reader_before_panel and self.session.article is not None:
            self.reader.focus()
        else:
            articles.focus()

    def _panel_target(self) -> Annotation | None:
        return self.session.annotation(self.panel.highlighted)

    def action_panel_jump(self) -> None:
        """Show the highlighted annotation in the reader, which takes the focus."""
        target = self._panel_target()
        if target is None:
            return
        if target.anchor == "orphan":
            self.status(f"Orphan: “{target.text}” is no longer in this text. "
                        "x deletes it; it stays listed until then.")
            return
        self._reveal(target)
        self.reader.focus()

    def action_panel_delete(self) -> None:
        """Delete the highlighted annotation."""
        target = self._panel_target()
        if target is not None:
            self._report(self.session.delete(target.id))

    def action_panel_note(self) -> None:
        """Edit the highlighted annotation's note."""
        target = self._panel_target()
        if target is not None and not self._refuse_read_only(target):
            self._edit_note(target)

    def action_panel_retag(self) -> None:
        """Change the highlighted annotation's tag."""
        target = self._panel_target()
        if target is not None and not self._refuse_read_only(target):
            self._retag(target)

    # ----------------------------------------------------------------- a team

    def action_cycle_view(self) -> None:
        """Show the next view: mine, everyone's, each annotator's, the curated set."""
        self._report(self.session.cycle_view())
        self._show_view()
        self._recount()
        self._follow_suggestions()

    def _set_view(self, view: View) -> None:
        if view != self.session.view:
            self.session.set_view(view)
            self._show_view()
            self._recount()

    def action_toggle_done(self) -> None:
        """Mark the open article done for me, or (when it is) not done."""
        self._report(self.session.toggle_done())

    def action_agree(self) -> None:
        """The agreement screen: how far the annotators agree, and where they differ."""
        from .screens.agree import AgreeScreen, agreement  # imported when first used

        report, problem = agreement(self.session)
        if report is None:
            self.status(problem, error=True)
            return

        def done(target: tuple[str, Span] | None) -> None:
            if target is None:
                return
            self._set_view(View("all"))
            self.open_at(*target)
            self.status("The disagreement, in everyone's view (v: next view; C curates it).")

        self.push_screen(AgreeScreen(report, self.looks, corpus=self.corpus), done)

    def action_curate(self) -> None:
        """The curation screen: the open article's disagreements, one version at a time
        taken into the curated set."""
        from .screens.curate import CurateScreen, curation  # imported when first used

        work, problem = curation(self.session)
        if work is None:
            self.status(problem, error=True)
            return

        def done(target: Span | None) -> None:
            if target is not None and self.session.article is not None:
                self._set_view(View("all"))
                self.open_at(self.session.article.id, target)

        self.push_screen(CurateScreen(self.session, self.looks, work), done)

    # ----------------------------------------------------------------- screens

    def action_switch_pane(self) -> None:
        """Move the focus between the left pane (list or panel) and the reader."""
        if not self.reader.has_focus:
            self.reader.focus()
        elif self.panel.display:
            self.panel.focus()
        else:
            self.articles.focus()

    def action_compare(self) -> None:
        """Compare the articles: which of them carry each tagged passage, and how."""
        from .screens.compare import CompareScreen, Target  # imported when first used

        def done(target: Target | None) -> None:
            if target is None:
                return
            article_id, span, passage, name = target
            self.open_at(article_id, span)
            if passage is not None and self.session.article is not None \
                    and self.session.article.id == article_id:
                # Opened at a candidate: the analyst may pick another passage and link it (L).
                outcome = self._report(self.session.start_link(passage, article_id, name=name))
                self.refresh_bindings()
                if span is None and outcome.message:
                    self.status("That article has nothing close to the passage: select the one "
                                "that carries it and press L; esc cancels.")
            elif span is None:
                self.status("That article has nothing close to the passage: showing its start.")

        self.push_screen(CompareScreen(self.session, self.looks), done)

    def action_timeline(self) -> None:
        """What each outlet says was scheduled when (the schedule passages by date)."""
        from .screens.timeline import TimelineScreen  # imported when first used: start-up

        def done(target: tuple[str, Span | None] | None) -> None:
            if target is not None:
                self.open_at(*target)

        self.push_screen(TimelineScreen(self.session, self.looks), done)

    def action_stats(self) -> None:
        """Show the tag statistics as bar charts."""
        from .screens.stats import StatsScreen  # imported when first used: start-up

        self.push_screen(StatsScreen(self.session, self.looks))

    def action_help(self) -> None:
        """Show every key."""
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen(self.key_table, self.looks))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if screen is not self.main:
            return  # over compare, help, a prompt…: the main screen's actions would act under it
        # Every action of the key table, with its key as the config left it, run where it
        # belongs: a widget's own actions on the widget, the app's on the app.
        targets = {"main": lambda: self, "reader": lambda: self.reader,
                   "list": lambda: self.articles, "panel": lambda: self.panel}
        where = {"reader": " (reader)", "list": " (article list)", "panel": " (annotation panel)"}
        tags = self.config.tags
        for key in self.key_table:
            if key.scope not in _PALETTE_SCOPES or key.id in ("help", "quit"):
                continue
            title = key.long_description
            if key.id.startswith("tag_"):
                slot = int(key.id.removeprefix("tag_"))
                if slot > len(tags):
                    continue
                title = f"Tag {tags[slot - 1].name}"

            def run(key: Key = key) -> None:
                self.call_later(self.run_action, key.action, targets[key.scope]())

            # Palette titles are markup: escape them (tag names come from a config file).
            yield SystemCommand(escape(f"{title}  ({display_keys(key)})"),
                                escape(f"{key.group}{where.get(key.scope, '')}"), run)
        yield SystemCommand("Keys: show every key  (?)", "The help screen", self.action_help)


__all__ = ["NewsmarkApp"]
