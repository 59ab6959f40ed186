"""The newsmark app: composes the screen, owns the store, routes messages between widgets.

Widgets never write files: they post messages (``Reader.TagRequested``…) and the app decides,
writes to the store, and tells the widgets what changed. A change is shown as saved only after
the store has it on disk.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterable
from dataclasses import replace

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from .config import Config
from .corpus import ArticleInfo, Corpus, Skipped
from .editing import annotation_under, shorten
from .history import Change, History, apply
from .keys import KEYS, Key, display_keys, tag_keys
from .layout import display_text
from .model import Annotation, Article, Span, sort_key
from .screens.help import HelpScreen
from .screens.prompt import PromptScreen
from .screens.tag_picker import TagPickerScreen
from .store import DamagedFileError, ReadOnlyStoreError, Store, StoreError
from .widgets.annotation_panel import AnnotationPanel, AnnotationTable
from .widgets.article_list import ArticleList
from .widgets.reader import Reader, monochrome, tag_style

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


#: Tag counts of more stored articles than this are read by a worker after the first screen.
COUNTS_AT_START = 200

#: How often the open article's annotations are checked for changes made by others (seconds).
POLL_INTERVAL = 1.0


class FilterInput(Input):
    """The article list's filter box; esc clears and closes it."""

    BINDINGS = [Binding("escape", "close", "Close filter")]

    class Closed(Message):
        """The filter was cleared and closed."""

    def action_close(self) -> None:
        """Clear the filter and go back to the list."""
        self.value = ""
        self.post_message(self.Closed())


class NewsmarkApp(App[None]):
    """Read a corpus of articles and tag passages in them."""

    TITLE = "newsmark"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    BINDINGS = [
        Binding(k.keys, k.action, k.description, show=k.show, key_display=k.key_display,
                priority=k.priority)
        for k in KEYS
        if k.scope == "app"
    ]

    def __init__(
        self,
        corpus: Corpus,
        store: Store,
        *,
        config: Config | None = None,
        annotator: str,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.store = store
        self.config = config or Config()
        self.annotator = annotator
        self.history = History()
        self.article: Article | None = None
        self.read_only_reason: str | None = None
        self._damaged: dict[str, str] = {}
        self._stamp: tuple[object, ...] | None = None
        self._refreshed: set[str] = set()
        self.pending_note = ""
        """A note typed before the tag it belongs to: it goes on the next tag made."""

    # ----------------------------------------------------------------- composition

    def compose(self) -> ComposeResult:
        tags = self.config.tags
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield FilterInput(placeholder="filter: title, outlet, id", id="filter")
                yield ArticleList(tags, id="articles")
                yield AnnotationPanel(tags, id="panel")
            with Vertical(id="reading"):
                yield Static(id="article-header")
                yield Static(self._legend(), id="legend")
                yield Reader(tags, id="reader")
        yield Static(id="banner")
        yield Static(id="status")
        yield Footer()

    def _legend(self) -> Text:
        legend = Text(no_wrap=True, overflow="ellipsis")
        for index, tag in enumerate(self.config.tags):
            # The marker letter is also what the gutter shows when colour is missing; the style
            # is the reader's (with NO_COLOR, a text style per tag).
            legend.append(f" {tag.marker} {tag.name} ",
                          style=tag_style(tag.colour, index, no_color=monochrome()))
            legend.append(" ")
        return legend

    def _apply_theme(self) -> None:
        theme = getattr(self.config, "theme", None)
        if not theme:
            return
        if theme in self.available_themes:
            self.theme = theme
        else:
            names = ", ".join(sorted(self.available_themes))
            where = display_text(str(self.config.path or "the config"))
            self.notify(f"Unknown theme {theme!r} in {where}; "
                        f"the themes are: {names}.", severity="warning", markup=False)

    def on_mount(self) -> None:
        self._apply_theme()
        self.query_one("#articles", ArticleList).border_title = "Articles"
        self.query_one("#panel", AnnotationPanel).border_title = "Annotations"
        self._check_writable()
        self._fill_list()
        articles = self.query_one(ArticleList)
        articles.focus()
        if self.corpus.ids:
            self._show(self.corpus.ids[0])
        else:
            self.query_one(Reader).show_article(None, [])
            self._header(None)
        if self.corpus.skipped:
            skipped = "; ".join(f"{s.path.name}: {s.reason}" for s in self.corpus.skipped[:3])
            more = len(self.corpus.skipped) - 3
            self.notify(display_text(skipped) + (f" (and {more} more)" if more > 0 else ""),
                        title="Skipped files", severity="warning", markup=False)
        self.set_interval(POLL_INTERVAL, self._poll_store)
        self._install_signal_handlers()
        ready = os.environ.get(BENCH_READY_ENV)
        if ready:
            self.call_after_refresh(self._bench_ready, ready)

    def _bench_ready(self, path: str) -> None:
        """The benchmarks' start-up probe: the first screen is painted; say when, and quit."""
        write_ready_marker(path)
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

    def _check_writable(self) -> None:
        if not self.store.is_writable():
            self.read_only_reason = (
                f"Read-only: the store {self.store.root} cannot be written. "
                "Tags are shown but cannot be changed."
            )
        self._show_banner()

    def _annotations_of(self, article_id: str) -> list[Annotation] | None:
        """The article's annotations, or None (and the reason remembered) if its file is damaged."""
        try:
            annotations = self.store.annotations(article_id)
        except DamagedFileError as error:
            self._damaged[article_id] = str(error)
            return None
        self._damaged.pop(article_id, None)
        return annotations

    def _anchored(self, article: Article,
                  annotations: list[Annotation] | None) -> list[Annotation] | None:
        """The annotations placed in the article's current text: those made on another version
        of it are found again (exact, fuzzy) or marked orphans (:mod:`tui.anchoring`). Nothing
        is written: the store keeps what was made until the user changes it."""
        if annotations is None:
            return None
        text = article.text
        if all(a.text_sha256 == article.sha256 and text[a.start : a.end] == a.text
               for a in annotations):
            return annotations  # made on this very text: nothing to find again
        from .anchoring import needs_reanchoring, reanchor  # rapidfuzz: only when needed

        placed = [
            reanchor(a, article) if needs_reanchoring(a, article) else a for a in annotations
        ]
        orphans = sum(1 for a in placed if a.anchor == "orphan")
        fuzzy = sum(1 for a in placed if a.anchor == "fuzzy")
        if orphans or fuzzy:
            self.notify(
                f"The text of {display_text(article.id)} changed since it was tagged: {fuzzy} "
                "tag(s) placed "
                f"by similarity (≈ in the panel), {orphans} orphan(s) not found (⚠, kept, "
                "listed by `newsmark orphans`).",
                title="Text changed", severity="warning", markup=False, timeout=8,
            )
        return placed

    def _counts(self, annotations: Iterable[Annotation]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for annotation in annotations:
            counts[annotation.tag] = counts.get(annotation.tag, 0) + 1
        return counts

    def _fill_list(self) -> None:
        counts: dict[str, dict[str, int]] = {}
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
        for article_id in present[: len(present) - len(later)]:
            counts[article_id] = self._counts(self._annotations_of(article_id) or [])
        # The list needs titles, not texts: infos read no article file.
        self.query_one(ArticleList).set_articles(self.corpus.infos, counts, self._damaged)
        if later:
            # Started after the first paint: a thread reading shards takes the GIL from it.
            self.call_after_refresh(self._read_counts, later)
        if self.corpus.pending:
            self.query_one(ArticleList).border_subtitle = (
                f"reading titles: {self.corpus.pending:,} to go")
            self.call_after_refresh(self._read_metadata)

    @work(thread=True, exclusive=True, group="counts")
    def _read_counts(self, article_ids: list[str]) -> None:
        """Read the tag counts of ``article_ids`` (a large store's) after the first screen."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        batch: dict[str, tuple[dict[str, int], str | None]] = {}
        for number, article_id in enumerate(article_ids, 1):
            if worker.is_cancelled:
                return
            try:
                found, damaged = self._counts(self.store.annotations(article_id)), None
            except DamagedFileError as error:
                found, damaged = {}, str(error)
            except StoreError:
                continue
            batch[article_id] = (found, damaged)
            if len(batch) >= 200 or number == len(article_ids):
                self.call_from_thread(self._counts_read, batch)
                batch = {}

    def _counts_read(self, batch: dict[str, tuple[dict[str, int], str | None]]) -> None:
        articles = self.query_one(ArticleList)
        for article_id, (found, damaged) in batch.items():
            if article_id in self._refreshed:
                continue  # changed since the worker read it: what is shown is newer
            if damaged is not None:
                self._damaged[article_id] = damaged
                articles.set_mark(article_id, damaged)
            articles.set_counts(article_id, found)

    @work(thread=True, exclusive=True, group="metadata")
    def _read_metadata(self) -> None:
        """Read a large uncached corpus's titles, outlets and dates after the first screen
        (the list shows ids until then), in batches, as toolong scans a big file."""
        from textual.worker import get_current_worker

        worker = get_current_worker()
        while self.corpus.pending and not worker.is_cancelled:
            updated, dropped = self.corpus.complete(250)
            self.call_from_thread(self._metadata_read, updated, dropped, self.corpus.pending)

    def _metadata_read(
        self, updated: list[ArticleInfo], dropped: list[Skipped], pending: int
    ) -> None:
        articles = self.query_one(ArticleList)
        articles.update_articles(updated, removed=[s.path for s in dropped])
        articles.border_subtitle = f"reading titles: {pending:,} to go" if pending else None
        if dropped:
            reasons = "; ".join(f"{s.path.name}: {s.reason}" for s in dropped[:3])
            self.notify(display_text(reasons),
                        title="Skipped files", severity="warning", markup=False)

    # ----------------------------------------------------------------- showing an article

    def _show(self, article_id: str) -> None:
        article = self.corpus.get(article_id)
        if article is None:
            return
        self.article = article
        annotations = self._anchored(article, self._annotations_of(article.id))
        self._stamp = self._safe_stamp(article.id)
        self.query_one(Reader).show_article(article, annotations or [])
        self.query_one(AnnotationPanel).set_annotations(annotations or [])
        self._header(article)
        if article.id in self._damaged:
            self.status(self._damaged[article.id], error=True)

    def _safe_stamp(self, article_id: str) -> tuple[object, ...] | None:
        try:
            return tuple(self.store.stamp(article_id))
        except (OSError, StoreError):
            return None

    def _header(self, article: Article | None) -> None:
        header = Text(no_wrap=True, overflow="ellipsis")
        if article is None:
            header.append("No articles. ", style="bold")
            header.append("Give a file or folder of .txt/.md files: newsmark PATH")
        else:
            header.append(display_text(article.title or article.id), style="bold")
            details = " · ".join(x for x in (article.outlet, article.date, article.id) if x)
            header.append(f"  {display_text(details)}", style="dim")
            for problem in article.problems:
                header.append(f"  ⚠ {display_text(problem)}", style="bold")
        # One line of fixed height (app.tcss): no layout pass for a new title.
        self.query_one("#article-header", Static).update(header, layout=False)

    def on_article_list_highlighted(self, message: ArticleList.Highlighted) -> None:
        if self.article is None or message.article_id != self.article.id:
            self._show(message.article_id)

    def on_article_list_opened(self, message: ArticleList.Opened) -> None:
        if self.article is None or message.article_id != self.article.id:
            self._show(message.article_id)
        self.query_one(Reader).focus()

    # ----------------------------------------------------------------- changing annotations

    def status(self, message: str, *, error: bool = False) -> None:
        """Say something on the status line (literally: never parsed as markup)."""
        # One line of fixed height: no layout pass (it repainted the scrollbars and more, bytes
        # that a slow link pays for on every keystroke that says something).
        self.query_one("#status", Static).update(
            Text(display_text(message), style="bold red" if error else "", no_wrap=True,
                 overflow="ellipsis"),
            layout=False,
        )

    def _can_write(self, article_id: str) -> bool:
        if self.read_only_reason:
            self.status(self.read_only_reason, error=True)
            return False
        if article_id in self._damaged:
            self.status(self._damaged[article_id], error=True)
            return False
        return True

    def _commit(self, change: Change, *, record: bool = True) -> bool:
        """Apply ``change`` to the store; on success refresh the screen and remember it."""
        if not self._can_write(change.article_id):
            return False
        # If the open article's shards are as we last read them, the change is applied to the
        # annotations in memory afterwards instead of reading them all back (a tag in an article
        # holding 1 000 costs one shard write, not a write and a re-read).
        as_read = (
            self.article is not None and self.article.id == change.article_id
            and self._stamp is not None and self._safe_stamp(change.article_id) == self._stamp
        )
        try:
            apply(self.store, change)
        except ReadOnlyStoreError as error:
            # Nothing was written (the old file is intact); stop offering to write.
            self.read_only_reason = f"Read-only: {error} Tags are shown but cannot be changed."
            self._show_banner()
            self.status(self.read_only_reason, error=True)
            return False
        except StoreError as error:
            self.status(str(error), error=True)
            if isinstance(error, DamagedFileError):
                self._damaged[change.article_id] = str(error)
            return False
        if record:
            self.history.record(change)
        self._refresh_article(change.article_id, change if as_read else None)
        return True

    def _show_banner(self) -> None:
        """The read-only banner, shown while there is a reason for it."""
        banner = self.query_one("#banner", Static)
        banner.update(Text(display_text(self.read_only_reason or "")))  # names a path
        banner.display = self.read_only_reason is not None

    def _refresh_article(self, article_id: str, change: Change | None = None) -> None:
        """Show the article's annotations as stored: read back, or (``change``, just written to
        an article whose shards were as last read) the shown ones with the change applied."""
        self._refreshed.add(article_id)
        if change is not None:
            touched = {a.id for a in (change.before, change.after) if a is not None}
            shown = self.query_one(Reader).all_annotations
            annotations = [a for a in shown if a.id not in touched]
            if change.after is not None:
                after = change.after
                # As the store keeps it: an annotation without an annotator is the store's.
                annotations.append(after if after.annotator else
                                   replace(after, annotator=self.store.annotator))
            annotations.sort(key=sort_key)
        else:
            annotations = self._annotations_of(article_id) or []
            if self.article is not None and self.article.id == article_id:
                annotations = self._anchored(self.article, annotations) or []
        self.query_one(ArticleList).set_counts(article_id, self._counts(annotations))
        if self.article is not None and self.article.id == article_id:
            self._stamp = self._safe_stamp(article_id)
            self.query_one(Reader).set_annotations(annotations)
            panel = self.query_one(AnnotationPanel)
            panel.set_annotations(annotations, keep=panel.highlighted_id)

    def _stale(self, article_id: str | None) -> bool:
        """True (and said) if a request from the reader is about an article no longer open:
        keys typed ahead while the list moved on must not tag or untag the wrong text."""
        if article_id is None or (self.article is not None and self.article.id == article_id):
            return False
        self.status("Another article opened before that key was handled: nothing changed.")
        return True

    def on_reader_tag_requested(self, message: Reader.TagRequested) -> None:
        article = self.article
        if article is None or self._stale(message.article_id):
            return
        if self.config.tag(message.tag) is None:
            self.status(f"Unknown tag {message.tag!r}.", error=True)
            return
        reader = self.query_one(Reader)
        span = message.span
        existing = [  # (offsets compared directly: a.span builds a Span, 1 000 of them a tag)
            a for a in reader.annotations
            if a.start == span.start and a.end == span.end and a.tag == message.tag
        ]
        quote = shorten(article.text[message.span.start : message.span.end])
        if existing:
            target = max(existing, key=lambda a: a.modified)
            if self._commit(Change(target, None, f"{message.tag} on “{quote}”")):
                self.status(f"Removed {message.tag} from “{quote}” — saved.")
            return
        annotation = Annotation.new(article, message.span, message.tag, annotator=self.annotator,
                                    note=self.pending_note)
        if self._commit(Change(None, annotation, f"{message.tag} on “{quote}”")):
            with_note = " with its note" if self.pending_note else ""
            self.pending_note = ""
            self.query_one(Reader).active_id = annotation.id
            self.status(f"Tagged {message.tag}{with_note}: “{quote}” — saved.")

    def on_reader_remove_requested(self, message: Reader.RemoveRequested) -> None:
        if self._stale(message.article_id):
            return
        reader = self.query_one(Reader)
        target = annotation_under(reader.annotations, message.span)
        if target is None:
            self.status("No tag here to remove.")
            return
        quote = shorten(target.text)
        if self._commit(Change(target, None, f"{target.tag} on “{quote}”")):
            self.status(f"Removed {target.tag} from “{quote}” — saved.")

    def action_undo(self) -> None:
        """Undo the last change of the session."""
        self._replay(undo=True)

    def action_redo(self) -> None:
        """Redo the last change undone."""
        self._replay(undo=False)

    def _replay(self, *, undo: bool) -> None:
        """Revert the last change (undo) or reapply the last reverted one (redo)."""
        change = self.history.next_undo() if undo else self.history.next_redo()
        if change is None:
            self.status("Nothing to undo." if undo else "Nothing to redo.")
            return
        if self._commit(change.inverse() if undo else change, record=False):
            if undo:
                self.history.undone()
            else:
                self.history.redone()
            shown = (change.before or change.after) if undo else (change.after or change.before)
            self._reveal(shown)
            self.status(f"{'Undid' if undo else 'Redid'} {change.verb} {change.description}.")

    def _reveal(self, annotation: Annotation | None) -> None:
        """Show the article of ``annotation`` with the passage selected."""
        if annotation is None:
            return
        if self.article is None or self.article.id != annotation.article_id:
            self._show(annotation.article_id)
            self.query_one(ArticleList).select_article(annotation.article_id)
        reader = self.query_one(Reader)
        shown = reader.annotation(annotation.id)
        if shown is not None:
            reader.active_id = shown.id
        reader.select(annotation.span)

    def on_reader_notice(self, message: Reader.Notice) -> None:
        self.status(message.text)

    def _annotation(self, annotation_id: str | None) -> Annotation | None:
        return self.query_one(Reader).annotation(annotation_id)

    # The reader's requests are resolved here, when they are handled, not when the key was
    # pressed: with type-ahead (a paste, a fast typist over SSH) a tag key's request may still
    # be queued when the next key is read, and "the annotation here" must include that tag.

    def on_reader_note_requested(self, message: Reader.NoteRequested) -> None:
        self._edit_note(self.query_one(Reader).annotation_here())

    def _edit_note(self, target: Annotation | None) -> None:
        if target is None:
            question = "Note for the next tag you add here (enter keeps it, esc cancels):"
            value = self.pending_note
        else:
            question = f"Note on {target.tag} “{shorten(target.text, 60)}”:"
            value = target.note

        def done(note: str | None) -> None:
            if note is None:
                self.status("Note unchanged.")
                return
            note = note.strip()
            if target is None:
                self.pending_note = note
                self.status("The note will go on the next tag you add." if note else
                            "No note for the next tag.")
                return
            if note == target.note:
                self.status("Note unchanged.")
                return
            after = target.changed(note=note)
            if self._commit(Change(target, after, f"the note on {target.tag} “"
                                   f"{shorten(target.text)}”")):
                self.status(f"Note saved on {target.tag} “{shorten(target.text)}”.")

        self.push_screen(PromptScreen(question, value, placeholder="a short note"), done)

    def on_reader_retag_requested(self, message: Reader.RetagRequested) -> None:
        self._retag(self.query_one(Reader).annotation_here())

    def _retag(self, target: Annotation | None) -> None:
        if target is None:
            self.status("No tag here to change: select a tagged passage first.")
            return

        def done(tag: str | None) -> None:
            if tag is None or tag == target.tag:
                self.status("Tag unchanged.")
                return
            after = target.changed(tag=tag)
            if self._commit(Change(target, after, f"{target.tag} → {tag} on “"
                                   f"{shorten(target.text)}”")):
                self.status(f"Retagged {target.tag} → {tag}: “{shorten(target.text)}” — saved.")

        self.push_screen(
            TagPickerScreen(self.config.tags, f"Retag “{shorten(target.text, 50)}” as:",
                            current=target.tag),
            done,
        )

    def on_reader_resize_requested(self, message: Reader.ResizeRequested) -> None:
        if self._stale(message.article_id):
            return
        target = self._annotation(self.query_one(Reader).active_id)
        article = self.article
        if target is None or article is None:
            self.status("Pick a tag first (click it, > / <, or enter in the panel), then "
                        "adjust the selection and press = to fit the tag to it.")
            return
        span = message.span
        if span == target.span:
            self.status("The tag already covers exactly the selection.")
            return
        text = article.text
        resized = Annotation.new(article, span, target.tag, annotator=target.annotator,
                                 note=target.note, id=target.id, now=target.created)
        after = target.changed(start=span.start, end=span.end, text=resized.text,
                               prefix=resized.prefix, suffix=resized.suffix,
                               text_sha256=resized.text_sha256, anchor="exact")
        if self._commit(Change(target, after, f"the extent of {target.tag} “"
                               f"{shorten(text[span.start:span.end])}”")):
            self.status(f"Resized {target.tag} to “{shorten(after.text)}” — saved.")

    def on_reader_search_requested(self, message: Reader.SearchRequested) -> None:
        reader = self.query_one(Reader)

        def done(term: str | None) -> None:
            if not term:
                self.status("Search cancelled.")
                return
            count = reader.search(term)
            if not count:
                self.status(f"“{term}” is not in this article.")

        self.push_screen(
            PromptScreen("Search this article (any case; n / N for next / previous):",
                         reader.search_term, placeholder="words to find"),
            done,
        )

    # ----------------------------------------------------------------- the panel

    def action_toggle_panel(self) -> None:
        """Show the annotation panel in place of the article list, or back."""
        panel = self.query_one(AnnotationPanel)
        articles = self.query_one(ArticleList)
        showing = not panel.display
        panel.display = showing
        articles.display = not showing
        if showing:
            reader = self.query_one(Reader)
            here = reader.annotation_here()
            if here is not None:
                panel.highlight(here.id)
            panel.table.focus()
        else:
            articles.focus()

    def on_annotation_table_action(self, message: AnnotationTable.Action) -> None:
        target = self._annotation(message.annotation_id)
        if target is None:
            return
        if message.action == "jump":
            if target.anchor == "orphan":
                self.status(f"Orphan: “{shorten(target.text)}” is no longer in this text. "
                            "x deletes it; it stays listed until then.")
                return
            self._reveal(target)
            self.query_one(Reader).focus()
        elif message.action == "delete":
            if self._commit(Change(target, None, f"{target.tag} on “{shorten(target.text)}”")):
                self.status(f"Deleted {target.tag} “{shorten(target.text)}” — saved.")
        elif message.action == "edit_note":
            self._edit_note(target)
        elif message.action == "retag":
            self._retag(target)

    # ----------------------------------------------------------------- the list filter

    def on_article_list_filter_requested(self, message: ArticleList.FilterRequested) -> None:
        box = self.query_one(FilterInput)
        box.display = True
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.query_one(ArticleList).set_filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one(ArticleList).focus()

    def on_filter_input_closed(self, message: FilterInput.Closed) -> None:
        articles = self.query_one(ArticleList)
        articles.set_filter("")
        self.query_one(FilterInput).display = False
        articles.focus()

    # ----------------------------------------------------------------- live sharing

    def _poll_store(self) -> None:
        """Show changes made by other processes (a colleague, a ``git pull``) to the open
        article. Our own undo history is kept: it refers to annotations by id."""
        if self.article is None:
            return
        stamp = self._safe_stamp(self.article.id)
        if stamp != self._stamp:
            self._stamp = stamp
            self._refresh_article(self.article.id)

    # ----------------------------------------------------------------- app actions

    def action_switch_pane(self) -> None:
        """Move the focus between the left pane (list or panel) and the reader."""
        reader = self.query_one(Reader)
        if not reader.has_focus:
            reader.focus()
            return
        panel = self.query_one(AnnotationPanel)
        if panel.display:
            panel.table.focus()
        else:
            self.query_one(ArticleList).focus()

    def action_compare(self) -> None:
        """Compare the articles: which of them carry each tagged passage, and how."""
        from .screens.compare import CompareScreen  # imported when first used: start-up

        if not isinstance(self.screen, CompareScreen):
            self.push_screen(CompareScreen())

    def action_stats(self) -> None:
        """Show the tag statistics as bar charts."""
        from .screens.stats import StatsScreen  # imported when first used: start-up

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen())

    def open_at(self, article_id: str, span: Span | None) -> None:
        """Show ``article_id`` in the reader with ``span`` selected (its start if None)."""
        if self.corpus.get(article_id) is None:
            return
        self.query_one(ArticleList).select_article(article_id)
        if self.article is None or self.article.id != article_id:
            self._show(article_id)
        reader = self.query_one(Reader)
        if span is not None:
            reader.select(span)
        reader.focus()

    def action_help(self) -> None:
        """Show every key."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.config.tags))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Every action of the binding table, with its key, run where it belongs.
        targets = {
            "app": lambda: self,
            "reader": lambda: self.query_one(Reader),
            "list": lambda: self.query_one(ArticleList),
            "panel": lambda: self.query_one(AnnotationPanel).table,
        }
        for key in (*KEYS, *tag_keys(self.config.tags)):
            if key.action in ("help", "quit") and key.scope == "app":
                continue

            def run(key: Key = key) -> None:
                self.call_later(targets[key.scope]().run_action, key.action)

            where = {"reader": " (reader)", "list": " (article list)",
                     "panel": " (annotation panel)"}.get(key.scope, "")
            # Palette titles are markup: escape them (tag names come from a config file).
            yield SystemCommand(escape(f"{key.long_description}  ({display_keys(key)})"),
                                escape(f"{key.group}{where}"), run)
        yield SystemCommand("Keys: show every key  (?)", "The help screen", self.action_help)


__all__ = ["NewsmarkApp", "annotation_under", "shorten"]
