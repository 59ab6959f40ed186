"""The reading session: the one owner of the open article's state (no Textual).

A :class:`Session` holds the open article and its annotations as stored (placed in the current
text, orphans aside), the undo history, the note waiting for the next tag, and whether the store
or the article's shards can be written. Every operation (tag, untag, retag, note, resize, undo,
redo, propagate, settle a compare cell, accept or reject a suggestion) writes to the store first
and returns an :class:`Outcome`: which articles' annotations changed, what to select, and the
words for the status line. The app turns keys into these calls and tells its widgets what
changed; nothing here knows of a screen.

The session also owns the open article's **suggestions** (:mod:`tui.suggest`): a worker asks
:meth:`Session.suggestion_request` what to compute, computes it with
:meth:`Session.compute_suggestions` (thread-safe, reads the store) and hands it back to
:meth:`Session.suggestions_computed`, which drops a result for an article no longer open or made
before a change that matters. What is shown (:attr:`Session.suggestions`) is what is neither
accepted (one of my tags on the passage), rejected (a :class:`~tui.suggest.Rejection` in my
shard) nor under ``[suggest] min_score``; it follows every change at once, without a worker.

A change is reported as saved only after the store has it on disk.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from .config import Config
from .corpus import Corpus
from .editing import annotation_under, shorten
from .history import REJECTIONS, Batch, Change, History, LinkChange, RejectionChange, apply
from .links import LINKS, Link
from .model import Annotation, Article, Span, sort_key, utc_now
from .store import DamagedFileError, ReadOnlyStoreError, Store, StoreError
from .team import ArticleSummary, View, initials, is_done, mark_done, next_view, summarise

if TYPE_CHECKING:  # tui.suggest is imported when suggestions are first made (start-up)
    from .suggest import Rejection, Suggestion, Suggestions


@dataclass(frozen=True)
class Outcome:
    """What an operation did.

    ``message`` is for the status line ("" leaves it as it is); ``error`` marks it as a failure.
    ``changed`` names the articles whose annotations changed (the open one among them, or
    another: an undo or a propagated tag). ``select`` is the annotation to show selected
    afterwards (a new tag, the passage an undo restored). ``notice`` is a longer message for a
    notification (a text that changed since it was tagged). ``goto`` is a passage of the open
    article to select afterwards (the next suggestion after ``y`` or ``x``). ``ask`` is a
    question to confirm before anything is done (accepting every suggestion of a source), and
    ``plan`` what yes does (for :meth:`Session.accept_all`).
    """

    message: str = ""
    error: bool = False
    changed: tuple[str, ...] = ()
    select: Annotation | None = None
    notice: str = ""
    goto: Span | None = None
    ask: str = ""
    plan: tuple[Suggestion, ...] = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        return not self.error


def _quote(text: str, width: int = 48) -> str:
    """A passage for the status line: one line, cut, in quotes (without doubling the quote
    marks a passage already starts or ends with)."""
    return "“" + shorten(text.strip(_QUOTE_MARKS), width) + "”"


def _shown(change_side: Annotation | tuple[Annotation, ...] | None) -> Annotation | None:
    """The annotation to select after undoing or redoing: a batch's first."""
    if isinstance(change_side, tuple):
        return change_side[0] if change_side else None
    return change_side


def _passage_key(suggestion: Suggestion) -> tuple[str, int, int, str, str]:
    """What makes a suggestion the same one when the suggestions are worked out again."""
    return (suggestion.article_id, suggestion.start, suggestion.end, suggestion.tag,
            suggestion.source)


def _same_passage(a: Annotation, b: Annotation) -> bool:
    return (a.start, a.end, a.tag, a.adjudicated_from) == (b.start, b.end, b.tag,
                                                           b.adjudicated_from)


#: Quote marks a passage may already begin or end with.
_QUOTE_MARKS = "“”\"'‘’«»"


@dataclass(frozen=True)
class SuggestionRequest:
    """What a worker is asked for: the suggestions of ``article`` as the work stood at
    ``epoch`` (:meth:`Session.compute_suggestions`). ``mine`` are my annotations of it then
    (what is accepted already)."""

    article: Article
    epoch: int
    work: int
    mine: tuple[Annotation, ...] = field(repr=False)


@dataclass(frozen=True)
class ComputedSuggestions:
    """A worker's answer: ``raw`` every suggestion of the article scoring at least the
    config's ``min_score`` (text order), ``keys`` their rejection keys, ``covered`` whether
    each was already one of my tags when the request was made."""

    request: SuggestionRequest
    raw: tuple[Suggestion, ...]
    keys: tuple[str, ...]
    covered: tuple[bool, ...]


@dataclass(frozen=True)
class PendingLink:
    """A link being made in the reader: the compare screen's ``enter`` opened ``article_id``
    to pick the passage there that carries ``annotation``'s (``name`` is how the status line
    calls that article)."""

    annotation: Annotation
    article_id: str
    name: str


class Session:
    """The open article, its annotations, the history and the pending note of one annotator."""

    def __init__(self, corpus: Corpus, store: Store, *, config: Config | None = None,
                 annotator: str) -> None:
        self.corpus = corpus
        self.store = store
        self.config = config or Config()
        self.annotator = annotator
        self.history = History()
        self.article: Article | None = None
        self.pending_note = ""
        """A note typed before the tag it belongs to: it goes on the next tag made."""
        self.pending_link: PendingLink | None = None
        """A link waiting for its passage in the open article (:meth:`start_link`)."""
        self.read_only: str | None = None
        """Why nothing can be written (the store's folder is not writable), or None."""
        self.damaged: dict[str, str] = {}
        """Article id → why its shards cannot be read (and so are never written)."""
        self.view = View("all")
        """Whose tags are shown (:class:`tui.team.View`): everyone's to begin with, so that
        nothing already in the store is hidden; ``v`` cycles (:meth:`cycle_view`)."""
        self.curated: set[str] = set()
        """The curated sets seen so far (annotators whose annotations carry
        ``adjudicated_from``)."""
        self._done: dict[str, bool] = {}
        self._annotations: list[Annotation] = []
        self._shown: list[Annotation] = []
        self._by_id: dict[str, Annotation] = {}
        self._stamp: tuple[object, ...] | None = None
        self._listeners: list[Callable[[Outcome], None]] = []
        # Suggestions (see the module's docstring).
        self.suggesting = self.config.suggest.show
        """Whether the reader shows suggestions (``S``; ``[suggest] show`` at start)."""
        self._engine: Suggestions | None = None
        self._engine_work = -1
        self._engine_lock = threading.Lock()
        self._work = 0
        """Bumped by every change of annotations or links (the engine is rebuilt after one)."""
        self._epoch = 0
        """Bumped by every change that can change the open article's suggestions."""
        self._computed: dict[str, tuple[ComputedSuggestions, list[bool]]] = {}
        """Article id → its suggestions, while still current (the open one, and those seen
        since the last change made elsewhere)."""
        self._raw: tuple[Suggestion, ...] = ()
        self._keys: tuple[str, ...] = ()
        self._covered: list[bool] = []
        self._raw_starts: list[int] = []
        self._raw_reach = 0
        self._have_raw = False
        """Whether suggestions of the open article are at hand (shown, if on)."""
        self._current = False
        """Whether they are current (else a worker is to make them again)."""
        self._in_flight = False
        self._asked: tuple[str, int] | None = None
        self._rejected: dict[str, Rejection] = {}
        self._rejected_read = False
        self._touched: list[Span] = []
        self._pending: list[Suggestion] = []
        self._pending_at: list[int] = []
        """The indices of :attr:`suggestions` among those computed."""
        self._by_key: dict[str, list[int]] = {}
        self._delta: list[tuple[Suggestion, bool]] | None = []
        self.suggestions_version = 0
        """Bumped whenever :attr:`suggestions` changes (the app redraws them then)."""
        self._picked: Suggestion | None = None
        if not store.is_writable():
            self.read_only = (f"Read-only: the store {store.root} cannot be written. "
                              "Tags are shown but cannot be changed.")

    def subscribe(self, listener: Callable[[Outcome], None]) -> None:
        """Call ``listener`` with the outcome of every change of annotations the session
        makes or reads from the store (whoever asked for it)."""
        self._listeners.append(listener)

    def _changed(self, outcome: Outcome) -> Outcome:
        for listener in self._listeners:
            listener(outcome)
        return outcome

    # ----------------------------------------------------------------- the open article

    @property
    def annotations(self) -> list[Annotation]:
        """The open article's annotations the view shows, in text order: placed ones and
        orphans."""
        return self._shown

    @property
    def all_annotations(self) -> list[Annotation]:
        """Every annotator's annotations of the open article, whatever the view shows."""
        return self._annotations

    @property
    def placed(self) -> list[Annotation]:
        """The annotations found in the current text (what the reader colours)."""
        return [a for a in self._shown if a.anchor != "orphan"]

    @property
    def orphans(self) -> list[Annotation]:
        """Annotations whose passage is no longer in the text: kept and listed, never drawn."""
        return [a for a in self._shown if a.anchor == "orphan"]

    def is_mine(self, annotation: Annotation) -> bool:
        """Whether ``annotation`` is this annotator's (the only ones that can be changed)."""
        return not annotation.annotator or annotation.annotator == self.annotator

    # ----------------------------------------------------------------- views and done-marks

    @property
    def owner(self) -> str | None:
        """Whose tags are drawn as one's own (filled) when others' are shown too: this
        annotator's in everyone's view; None when the view shows one annotator only."""
        return self.annotator if self.view.kind == "all" else None

    def view_label(self) -> str:
        """What the view is called on the screen, with ``read-only`` where it is."""
        label = self.view.label(self.annotator)
        return label if self.view.editable else f"{label}, read-only"

    def initials(self) -> dict[str, str]:
        """Annotator → one character, for the gutter and panel (empty unless the view shows
        several annotators' tags)."""
        if self.view.kind != "all":
            return {}
        names = {a.annotator for a in self._annotations} | {self.annotator}
        return initials(names) if len(names) > 1 else {}

    def annotators(self) -> list[str]:
        """Everyone with a shard in the store, and in the open article (sorted)."""
        try:
            names = set(self.store.annotators())
        except StoreError:
            names = set()
        names |= {a.annotator for a in self._annotations}
        return sorted(names)

    def set_view(self, view: View) -> Outcome:
        """Show ``view``'s tags in the reader and panel."""
        self.view = view
        self._refilter()
        self._show_pending()
        article = (self.article.id,) if self.article is not None else ()
        outcome = Outcome(self._view_message(), changed=article)
        return self._changed(outcome)

    def cycle_view(self) -> Outcome:
        """The next view: mine, everyone's, each other annotator, each curated set."""
        names = self.annotators()
        return self.set_view(next_view(self.view, self.annotator, names, self.curated))

    def _view_message(self) -> str:
        view = self.view
        shown = len(self.placed)
        if view.kind == "mine":
            words = "Showing your tags only"
        elif view.kind == "all":
            others = sorted({a.annotator for a in self._annotations} - {self.annotator})
            words = ("Showing everyone's tags: yours, and " + ", ".join(others) + "'s read-only"
                     if others else "Showing everyone's tags (only yours in this article)")
        elif view.kind == "curated":
            words = f"Showing the curated set {view.name}, read-only (C curates)"
        else:
            words = f"Showing {view.label(self.annotator)} tags, read-only"
        return f"{words} — {shown} here. v: next view."

    def summary(self, article_id: str) -> ArticleSummary:
        """What the list shows of ``article_id`` in this view (none if its shards are
        damaged: the reason is kept in :attr:`damaged`)."""
        if self.article is not None and article_id == self.article.id:
            counts: dict[str, int] = {}
            for annotation in self._shown:
                counts[annotation.tag] = counts.get(annotation.tag, 0) + 1
            names = {a.annotator for a in self._annotations}
            curated = {a.annotator for a in self._annotations if a.adjudicated_from}
            return ArticleSummary(counts, tuple(sorted(names - curated)),
                                  self.is_done(article_id), tuple(sorted(curated)))
        try:
            found = summarise(self.store, article_id, self.annotator, self.view)
        except StoreError as error:
            self.damaged[article_id] = str(error)
            return ArticleSummary({}, (), False)
        self.damaged.pop(article_id, None)
        self.curated.update(found.curated)
        self._done[article_id] = found.done
        return found

    def is_done(self, article_id: str) -> bool:
        """Whether this annotator marked ``article_id`` done (read once, then remembered
        until the article's shards change on disk)."""
        if article_id not in self._done:
            try:
                self._done[article_id] = is_done(self.store, article_id, self.annotator)
            except StoreError:
                return False
        return self._done[article_id]

    def toggle_done(self) -> Outcome:
        """Mark the open article done for this annotator, or (when it is) not done."""
        article = self.article
        if article is None:
            return Outcome("No article is open.", error=True)
        done = not self.is_done(article.id)
        failed = self._write(article.id,
                             lambda: mark_done(self.store, article.id, self.annotator, done))
        if failed is not None:
            return failed
        self._stamp = self._safe_stamp(article.id)
        self._done[article.id] = done
        title = _quote(article.title or article.id, 40)
        message = (f"Marked {title} done for you — saved. w again marks it not done." if done
                   else f"Marked {title} not done for you — saved.")
        return self._changed(Outcome(message, changed=(article.id,)))

    def annotation(self, annotation_id: str | None) -> Annotation | None:
        """The open article's annotation with this id, if any."""
        return self._by_id.get(annotation_id) if annotation_id is not None else None

    def target(self, selection: Span | None, active_id: str | None = None) -> Annotation | None:
        """The annotation a key means at ``selection``: the active (picked) one if the
        selection touches it, else the one exactly selected, else the innermost one holding
        the selection's start, else the shortest one overlapping it."""
        if selection is None:
            return None
        if not self.view.editable:
            return None
        active = self.annotation(active_id)
        if (active is not None and active.anchor != "orphan" and self.is_mine(active)
                and active.span.overlaps(selection)):
            return active
        return annotation_under([a for a in self.placed if self.is_mine(a)], selection)

    def open(self, article_id: str) -> Outcome:
        """Open ``article_id``: read its annotations and place them in its current text."""
        article = self.corpus.get(article_id)
        if article is None:
            problem = self.corpus.problem(article_id) or f"No article {article_id!r}."
            return Outcome(problem, error=True)
        self.article = article
        if self.pending_link is not None and self.pending_link.article_id != article.id:
            self.pending_link = None  # it was for the article left
        self._stamp = self._safe_stamp(article.id)
        self._done.pop(article.id, None)  # a `git pull` may have brought a mark
        annotations = self._read(article.id)
        notice = ""
        if annotations:
            annotations, notice = self._placed(article, annotations)
        self._set(annotations)
        self._open_suggestions()
        if article.id in self.damaged:
            return Outcome(self.damaged[article.id], error=True, notice=notice)
        if article.problems:
            return Outcome("⚠ " + "; ".join(article.problems), notice=notice)
        return Outcome(notice=notice)

    def reload_if_changed(self) -> Outcome | None:
        """Read the open article's annotations again if another process changed them (a
        colleague, a ``git pull``); None when nothing changed. The undo history is kept: it
        refers to annotations by id."""
        if self.article is None:
            return None
        stamp = self._safe_stamp(self.article.id)
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        self._done.pop(self.article.id, None)
        self._reread()
        # Someone else's change: what is accepted and rejected is read again, and the
        # suggestions themselves are made again (their tags may suggest passages here).
        self._work_changed(None)
        self._rejected_read = False
        self._read_rejections()
        if self._have_raw:
            self._touched_spans([Span(0, len(self.article.text))])
        return self._changed(Outcome(changed=(self.article.id,)))

    def counts(self, article_id: str) -> dict[str, int]:
        """How many annotations of each tag ``article_id`` has in the view (the open one from
        memory)."""
        if self.article is not None and article_id == self.article.id:
            annotations = self._shown
        else:
            annotations = [a for a in self._read(article_id)
                           if self.view.shows(a.annotator, self.annotator)]
        counts: dict[str, int] = {}
        for annotation in annotations:
            counts[annotation.tag] = counts.get(annotation.tag, 0) + 1
        return counts

    # ----------------------------------------------------------------- changing annotations

    def tag(self, span: Span, tag: str) -> Outcome:
        """Tag ``span`` of the open article; the same tag on exactly that span is removed."""
        article = self.article
        if article is None:
            return Outcome("No article is open.", error=True)
        if self.config.tag(tag) is None:
            return Outcome(f"Unknown tag {tag!r}.", error=True)
        if not self.view.editable:
            return Outcome(self._read_only_view(), error=True)
        existing = [a for a in self.placed if a.start == span.start and a.end == span.end
                    and a.tag == tag and self.is_mine(a)]
        quote = _quote(article.text[span.start : span.end])
        if existing:
            target = max(existing, key=lambda a: a.modified)
            return self._commit(Change(target, None, f"{tag} on {quote}"),
                                f"Removed {tag} from {quote} — saved.")
        with_note = " with its note" if self.pending_note else ""
        annotation = Annotation.new(article, span, tag, annotator=self.annotator,
                                    note=self.pending_note)
        outcome = self._commit(Change(None, annotation, f"{tag} on {quote}"),
                               f"Tagged {tag}{with_note}: {quote} — saved.", select=annotation)
        if outcome.ok:
            self.pending_note = ""
        return outcome

    def untag(self, target: Annotation | None) -> Outcome:
        """Remove ``target`` (see :meth:`target`)."""
        if target is None:
            if not self.view.editable:
                return Outcome(self._read_only_view(), error=True)
            return Outcome("No tag of yours here to remove.")
        quote = _quote(target.text)
        return self._commit(Change(target, None, f"{target.tag} on {quote}"),
                            f"Removed {target.tag} from {quote} — saved.")

    def delete(self, annotation_id: str) -> Outcome:
        """Delete the open article's annotation ``annotation_id`` (orphans too)."""
        target = self.annotation(annotation_id)
        if target is None:
            return Outcome("That annotation is gone already.")
        quote = _quote(target.text)
        return self._commit(Change(target, None, f"{target.tag} on {quote}"),
                            f"Deleted {target.tag} {quote} — saved.")

    def note_question(self, target: Annotation | None) -> tuple[str, str]:
        """The question a note prompt asks about ``target`` and the text it starts with."""
        if target is None:
            return ("Note for the next tag you add here (enter keeps it, esc cancels):",
                    self.pending_note)
        return f"Note on {target.tag} {_quote(target.text, 60)}:", target.note

    def note(self, target: Annotation | None, note: str | None) -> Outcome:
        """Set ``target``'s note (``None`` target: the note for the next tag); ``note`` None
        means the prompt was cancelled."""
        if note is None:
            return Outcome("Note unchanged.")
        note = note.strip()
        if target is None:
            self.pending_note = note
            return Outcome("The note will go on the next tag you add." if note else
                           "No note for the next tag.")
        current = self.annotation(target.id) or target
        if note == current.note:
            return Outcome("Note unchanged.")
        quote = _quote(current.text)
        return self._commit(Change(current, current.changed(note=note),
                                   f"the note on {current.tag} {quote}"),
                            f"Note saved on {current.tag} {quote}.")

    def retag(self, target: Annotation | None, tag: str | None) -> Outcome:
        """Give ``target`` the tag ``tag`` (None: the picker was cancelled)."""
        if target is None:
            return Outcome("No tag here to change: select a tagged passage first.")
        current = self.annotation(target.id) or target
        if tag is None or tag == current.tag:
            return Outcome("Tag unchanged.")
        if self.config.tag(tag) is None:
            return Outcome(f"Unknown tag {tag!r}.", error=True)
        quote = _quote(current.text)
        return self._commit(Change(current, current.changed(tag=tag),
                                   f"{current.tag} → {tag} on {quote}"),
                            f"Retagged {current.tag} → {tag}: {quote} — saved.",
                            select=current)

    def resize(self, target: Annotation | None, span: Span) -> Outcome:
        """Fit ``target`` (the picked annotation) to ``span``."""
        article = self.article
        if target is None or article is None:
            return Outcome("Pick a tag first (click it, > / <, or enter in the panel), then "
                           "adjust the selection and press = to fit the tag to it.")
        if span == target.span:
            return Outcome("The tag already covers exactly the selection.")
        fresh = Annotation.new(article, span, target.tag, annotator=target.annotator,
                               note=target.note, id=target.id, now=target.created)
        after = target.changed(start=span.start, end=span.end, text=fresh.text,
                               prefix=fresh.prefix, suffix=fresh.suffix,
                               text_sha256=fresh.text_sha256, anchor="exact")
        return self._commit(Change(target, after, f"the extent of {target.tag} "
                                   f"{_quote(fresh.text)}"),
                            f"Resized {target.tag} to {_quote(after.text)} — saved.",
                            select=after)

    def propagate(self, article_id: str, span: Span, tag: str) -> Outcome:
        """Tag ``span`` of another article (the compare screen's ``t``); undoable as any tag."""
        article = self.corpus.get(article_id)
        if article is None:
            return Outcome(f"No article {article_id!r}.", error=True)
        annotation = Annotation.new(article, span, tag, annotator=self.annotator)
        quote = _quote(annotation.text)
        return self._commit(Change(None, annotation, f"{tag} on {quote}"),
                            f"Tagged {tag} in {article_id}: {quote} — saved. u undoes.",
                            select=annotation)

    def settle(self, annotation: Annotation, article_id: str, verdict: str,
               span: Span | None, *, name: str = "", toggle: bool = True) -> Outcome:
        """Record this annotator's verdict on ``annotation``'s passage in ``article_id`` (the
        compare screen's ``y``: ``confirmed``, with the span that carries it; ``x``:
        ``rejected``, with the candidate that was shown, if any). The same verdict given
        again (on the same span) clears it, unless ``toggle`` is false. Undoable as any
        change; ``name`` is how the status line calls the article."""
        article = self.corpus.get(article_id)
        if article is None:
            return Outcome(f"No article {article_id!r}.", error=True)
        name = name or article_id
        if article_id == annotation.article_id:
            return Outcome("This is where the passage was tagged.")
        if verdict == "confirmed" and span is None:
            return Outcome(f"{name} has nothing close to confirm: open it (enter) to find the "
                           "passage, or x says it does not carry it.")
        if self.read_only:
            return Outcome(self.read_only, error=True)
        try:
            records = self.store.records(article_id, LINKS, self.annotator)
        except StoreError as error:
            return Outcome(str(error), error=True)
        previous = None
        for record in records:
            if record.get("id") == annotation.id:
                try:
                    previous = Link.from_record(article_id, record)
                except ValueError:
                    previous = None
        quote = _quote(annotation.text, 40)
        if (toggle and previous is not None and previous.verdict == verdict
                and (verdict == "rejected" or previous.span == span)):
            change = LinkChange(previous, None, f"{quote} in {name}")
            message = (f"Cleared: {name} is back to the machine's guess for {quote} — saved. "
                       "u undoes.")
        else:
            link = Link.new(annotation, article, verdict, span, annotator=self.annotator)
            change = LinkChange(previous, link, f"{quote} in {name}")
            message = (f"Confirmed: {name} carries {quote} — saved. u undoes." if
                       verdict == "confirmed" else
                       f"Rejected: {name} does not carry {quote} — saved. u undoes.")
        return self._commit_link(change, message)

    def start_link(self, annotation: Annotation, article_id: str, *, name: str = "") -> Outcome:
        """Wait for the passage of the open article ``article_id`` that carries
        ``annotation``'s (the compare screen's ``enter`` on a cell): :meth:`link_here` links
        the selection to it, :meth:`cancel_link` (esc) or opening another article drops it."""
        name = name or article_id
        if article_id == annotation.article_id:
            self.pending_link = None
            return Outcome()
        self.pending_link = PendingLink(annotation, article_id, name)
        return Outcome(f"Select the passage of {name} that carries "
                       f"{_quote(annotation.text, 40)} and press L to link it; esc cancels.")

    def link_here(self, span: Span | None) -> Outcome:
        """Confirm ``span`` of the open article (the reader's selection) as the counterpart
        of the pending link's annotation: a confirmed link, undoable as any verdict."""
        pending = self.pending_link
        if pending is None:
            return Outcome("No link is waiting: in the compare screen (m), enter on an "
                           "article's cell opens it to pick the passage there.")
        if self.article is None or self.article.id != pending.article_id:
            self.pending_link = None
            return Outcome("The link was for another article: cancelled.", error=True)
        if span is None or span.start >= span.end:
            return Outcome("Select the passage first (j/k, J/K), then L links it.",
                           error=True)
        outcome = self.settle(pending.annotation, pending.article_id, "confirmed", span,
                              name=pending.name, toggle=False)
        if outcome.ok:
            self.pending_link = None
        return outcome

    def cancel_link(self) -> Outcome | None:
        """Drop the pending link (nothing is stored); None if there was none."""
        if self.pending_link is None:
            return None
        name = self.pending_link.name
        self.pending_link = None
        return Outcome(f"Link to {name} cancelled: nothing stored.")

    def _commit_link(self, change: LinkChange, message: str, *, record: bool = True) -> Outcome:
        """Write a verdict's change; on success remember it (``record``)."""
        failed = self._write(None, lambda: apply(self.store, change))
        if failed is not None:
            return failed
        if record:
            self.history.record(change)
        # A verdict on the compare matrix is what the "outlets" suggester follows.
        self._work_changed(None)
        return self._changed(Outcome(message))

    def _read_only_view(self) -> str:
        return (f"The view shows {self.view.label(self.annotator)} tags, read-only: "
                "v switches the view (to yours).")

    def curate(self, target: str, within: Span, passages: list[tuple[int, int, str]],
               sources: list[str], description: str) -> Outcome:
        """Make the curated set ``target``'s annotations within ``within`` exactly
        ``passages`` (``(start, end, tag)``, each with ``adjudicated_from`` the ``sources`` who
        have it): one write, one undo. Its own annotations elsewhere are left alone."""
        from .adjudicate import curated_passages

        article = self.article
        if article is None:
            return Outcome("No article is open.", error=True)
        if target == self.annotator or target in sources:
            return Outcome(f"{target} has work of their own: a curated set needs a name of its "
                           "own.", error=True)
        before = tuple(a for a in self._annotations if a.annotator == target
                       and a.start < within.end and within.start < a.end)
        work = {name: [a for a in self._annotations
                       if a.annotator == name and a.anchor != "orphan"] for name in sources}
        now = utc_now()
        made = curated_passages(article, target, passages, work)
        old = {a.id: a for a in before}
        # Made by a person, now: later than the sources, so `newsmark adjudicate` run again
        # keeps it (an annotation it finds unchanged stays as it was).
        after = tuple(old[a.id] if a.id in old and _same_passage(old[a.id], a)
                      else replace(a, modified=now, created=a.created or now) for a in made)
        if {a.id for a in before} == {a.id for a in after}:
            return Outcome(f"{target} has that already.")
        quote = _quote(article.text[within.start:within.end], 40)
        return self._commit(Batch(article.id, target, before, after,
                                  f"{description} for {target} at {quote}"),
                            f"{target}: {description} at {quote} — saved. u undoes.")

    def undo(self) -> Outcome:
        """Revert the last change of the session."""
        change = self.history.next_undo()
        if change is None:
            return Outcome("Nothing to undo.")
        if isinstance(change, LinkChange):
            outcome = self._commit_link(change.inverse(),
                                        f"Undid {change.verb} {change.description}.",
                                        record=False)
        elif isinstance(change, RejectionChange):
            outcome = self._commit_rejection(change.inverse(),
                                             f"Undid {change.verb} {change.description}.",
                                             record=False)
        else:
            outcome = self._commit(change.inverse(),
                                   f"Undid {change.verb} {change.description}.",
                                   record=False, select=_shown(change.before or change.after))
        if outcome.ok:
            self.history.undone()
        return outcome

    def redo(self) -> Outcome:
        """Reapply the last change undone."""
        change = self.history.next_redo()
        if change is None:
            return Outcome("Nothing to redo.")
        if isinstance(change, LinkChange):
            outcome = self._commit_link(change, f"Redid {change.verb} {change.description}.",
                                        record=False)
        elif isinstance(change, RejectionChange):
            outcome = self._commit_rejection(change,
                                             f"Redid {change.verb} {change.description}.",
                                             record=False)
        else:
            outcome = self._commit(change, f"Redid {change.verb} {change.description}.",
                                   record=False, select=_shown(change.after or change.before))
        if outcome.ok:
            self.history.redone()
        return outcome


    # ----------------------------------------------------------------- suggestions

    @property
    def suggestions(self) -> list[Suggestion]:
        """The open article's suggestions to show, in text order: none while they are off,
        not yet computed, or the view is read-only."""
        return self._pending

    @property
    def suggestions_ready(self) -> bool:
        """Whether the open article's suggestions are computed."""
        return self._have_raw

    @property
    def suggestion_request_due(self) -> bool:
        """Whether the suggestions shown are to be made again (a worker is on it, or will
        be)."""
        return self.article is not None and self.suggesting and not self._current

    def suggestion_request(self) -> SuggestionRequest | None:
        """What a worker should compute for the open article now, or None (nothing to do:
        suggestions are off, or those shown are current)."""
        article = self.article
        if article is None or not self.suggesting or self._current:
            return None
        if self._asked == (article.id, self._epoch):
            return None  # asked already: its answer is on the way
        self._asked = (article.id, self._epoch)
        self._touched = []
        self._in_flight = True
        return SuggestionRequest(article, self._epoch, self._work, tuple(self._mine()))

    def compute_suggestions(self, request: SuggestionRequest,
                            cancelled: Callable[[], bool] | None = None
                            ) -> ComputedSuggestions | None:
        """The suggestions of the request's article (safe in a worker thread: reads the
        store, touches nothing the app's thread reads); None when the request is no longer
        wanted by the time its turn comes (another article is open: the list's highlight
        moved on), then :meth:`suggestion_dropped` says so. Raises
        :class:`tui.suggest.Cancelled` soon after ``cancelled()`` turns true."""
        from .links import corpus_links
        from .suggest import Suggestions, pending

        settings = self.config.suggest
        with self._engine_lock:
            if not self._wanted(request):
                return None
            if self._engine is None or self._engine_work != request.work:
                annotations, _ = self.store.read_all(self.corpus.ids)
                self._engine = Suggestions(self.config, sources=settings.sources,
                                           corpus=self.corpus, annotations=annotations,
                                           annotator=self.annotator,
                                           links=corpus_links(self.store, self.corpus))
                self._engine_work = request.work
            found = self._engine.for_article(request.article, cancelled)
        raw = tuple(s for s in found if s.score >= settings.min_score)
        uncovered = {id(s) for s in pending(raw, request.mine, ())}
        return ComputedSuggestions(request, raw, tuple(s.key for s in raw),
                                   tuple(id(s) not in uncovered for s in raw))

    def _wanted(self, request: SuggestionRequest) -> bool:
        # Read from the worker's thread: a hint (a wrong guess costs a computation or a retry).
        article = self.article
        return article is not None and article.id == request.article.id and (
            request.epoch == self._epoch)

    def suggestion_dropped(self, request: SuggestionRequest) -> None:
        """A worker left ``request`` undone (:meth:`compute_suggestions` returned None): it
        may be asked for again."""
        if self._asked == (request.article.id, request.epoch):
            self._asked = None

    def suggestions_computed(self, computed: ComputedSuggestions) -> bool:
        """Take a worker's answer; False (and nothing changes) when it is stale: its article
        is no longer open, or a change that matters was made since it was asked for."""
        request = computed.request
        article = self.article
        if article is None or article.id != request.article.id or request.epoch != self._epoch:
            return False
        self._in_flight = False
        self._asked = None
        covered = list(computed.covered)
        self._computed[article.id] = (computed, covered)
        if len(self._computed) > 32:
            self._computed.pop(next(iter(self._computed)))
        self._use(computed, covered)
        touched, self._touched = self._touched, []
        if touched:  # tagged or untagged while the worker ran
            self._touched_spans(touched)
        return True

    def set_suggesting(self, on: bool) -> Outcome:
        """Show the suggestions, or hide them."""
        self.suggesting = on
        if on and not self._have_raw:
            self._open_suggestions()  # those computed before, if still current
        self._show_pending()
        if not on:
            return Outcome("Suggestions hidden. S shows them again.")
        if not self.view.editable:
            return Outcome(f"Suggestions on; not shown in {self.view_label()}: v switches the "
                           "view (to yours).")
        if self._have_raw:
            return Outcome(self._suggestions_message())
        return Outcome("Suggestions on: working them out for this article…")

    def toggle_suggestions(self) -> Outcome:
        """``S``: suggestions on or off."""
        return self.set_suggesting(not self.suggesting)

    def suggestion_at(self, selection: Span | None) -> Suggestion | None:
        """The suggestion a key means at ``selection``: the one last stepped to if the
        selection touches it, else one on exactly the selection, else the innermost holding the
        selection's start, else the shortest overlapping it."""
        if selection is None or not self._pending:
            return None
        picked = self._picked
        if picked is not None and picked in self._pending and (
                picked.start < selection.end and selection.start < picked.end):
            return picked
        touching = [s for s in self._pending
                    if s.start < max(selection.end, selection.start + 1)
                    and selection.start < s.end]
        if not touching:
            return None
        exact = [s for s in touching if (s.start, s.end) == (selection.start, selection.end)]
        if exact:
            return max(exact, key=lambda s: s.score)
        holding = [s for s in touching if s.start <= selection.start < s.end]
        return min(holding or touching, key=lambda s: (s.end - s.start, -s.score))

    def step_suggestion(self, selection: Span | None, direction: int) -> Outcome:
        """The next (+1) or previous (-1) suggestion from ``selection``: ``goto`` is its
        passage."""
        if not self.suggesting:
            return Outcome("Suggestions are off: S shows them.")
        if not self._pending:
            return Outcome(self._no_suggestions())
        shown = self._pending
        current = self.suggestion_at(selection)
        origin = selection.start if selection is not None else 0
        if current is not None and (current == self._picked or (
                selection is not None and current.span == selection)):
            index = shown.index(current) + direction
        elif direction > 0:
            index = next((n for n, s in enumerate(shown) if s.start >= origin), len(shown))
        else:
            index = max((n for n, s in enumerate(shown) if s.start < origin), default=-1)
        if not 0 <= index < len(self._pending):
            return Outcome("No more suggestions that way.")
        chosen = self._pending[index]
        self._picked = chosen
        return Outcome(self._describe(chosen, index), goto=chosen.span)

    def accept_suggestion(self, selection: Span | None) -> Outcome:
        """``y``: the suggestion under the cursor becomes my annotation (with its source,
        score and ``when``); the next suggestion is selected."""
        from .suggest import accept

        suggestion, problem = self._decidable(selection)
        if suggestion is None:
            return problem
        assert self.article is not None
        annotation = accept(suggestion, self.article, annotator=self.annotator)
        quote = _quote(suggestion.text)
        outcome = self._commit(Change(None, annotation, f"{suggestion.tag} on {quote}"),
                               f"Accepted {suggestion.tag} ({suggestion.source}): {quote} — "
                               "saved. u undoes.", select=annotation)
        return self._then_next(outcome, suggestion)

    def reject_suggestion(self, selection: Span | None) -> Outcome:
        """``x`` where none of my tags is: the suggestion under the cursor is rejected for good
        (a :class:`~tui.suggest.Rejection` in my shard); the next suggestion is selected."""
        from .suggest import Rejection

        suggestion, problem = self._decidable(selection)
        if suggestion is None:
            return problem
        rejection = Rejection.of(suggestion, self.annotator)
        quote = _quote(suggestion.text)
        outcome = self._commit_rejection(
            RejectionChange(None, rejection, f"{suggestion.tag} on {quote}"),
            f"Rejected {suggestion.tag} ({suggestion.source}) for good on {quote} — saved. "
            "u undoes.")
        return self._then_next(outcome, suggestion)

    def plan_accept_all(self, selection: Span | None) -> Outcome:
        """``Y``: the question to ask before accepting every suggestion of the source of the
        one under the cursor in this article (``ask``, with the count), and the plan."""
        suggestion, problem = self._decidable(selection)
        if suggestion is None:
            return problem
        plan = tuple(s for s in self._pending if s.source == suggestion.source)
        tags = sorted({s.tag for s in plan})
        title = _quote(self.article.title or self.article.id, 40) if self.article else ""
        return Outcome(ask=f"Accept all {len(plan)} suggestion{'s' * (len(plan) != 1)} from "
                           f"{suggestion.source} ({', '.join(tags)}) in {title}?",
                       plan=plan)

    def accept_all(self, plan: Sequence[Suggestion]) -> Outcome:
        """Accept every suggestion of ``plan`` still shown, in one write and one undo."""
        from .suggest import accept

        article = self.article
        if article is None:
            return Outcome("No article is open.", error=True)
        if not self.view.editable:
            return Outcome(self._read_only_view(), error=True)
        # The passages asked about, as they are shown now: the suggestions are worked out
        # again after every change (new objects, maybe a new score), while the question waits.
        shown = {_passage_key(s): s for s in self._pending}
        chosen = list({key: shown[key] for key in map(_passage_key, plan)
                       if key in shown and key[0] == article.id}.values())
        if not chosen:
            return Outcome("Nothing to accept: those suggestions are gone already.")
        made = tuple(accept(s, article, annotator=self.annotator) for s in chosen)
        sources = sorted({s.source for s in chosen})
        what = f"{len(made)} suggestion{'s' * (len(made) != 1)} from {', '.join(sources)}"
        outcome = self._commit(Batch(article.id, self.annotator, (), made, what,
                                     action="accepting"),
                               f"Accepted {what} — saved. u undoes them all.", select=made[0])
        return outcome

    # -- the parts

    def _mine(self) -> list[Annotation]:
        return [a for a in self._annotations if self.is_mine(a) and a.anchor != "orphan"]

    def _decidable(self, selection: Span | None) -> tuple[Suggestion | None, Outcome]:
        """The suggestion under the cursor if one can be decided, else why not."""
        if self.article is None:
            return None, Outcome("No article is open.", error=True)
        if not self.suggesting:
            return None, Outcome("Suggestions are off: S shows them.")
        if not self.view.editable:
            return None, Outcome(self._read_only_view(), error=True)
        if not self._have_raw:
            return None, Outcome("Suggestions for this article are still being worked out.")
        suggestion = self.suggestion_at(selection)
        if suggestion is None:
            return None, Outcome("No suggestion here: . goes to the next one." if self._pending
                                 else self._no_suggestions())
        return suggestion, Outcome()

    def _then_next(self, outcome: Outcome, decided: Suggestion) -> Outcome:
        """After y or x: the suggestion after the one decided is picked (``goto``)."""
        if not outcome.ok:
            return outcome
        after = next((s for s in self._pending
                      if (s.start, -s.end) > (decided.start, -decided.end)), None)
        self._picked = after
        if after is None:
            return replace(outcome, message=outcome.message + " No more suggestions below.")
        return replace(outcome, goto=after.span)

    def _describe(self, suggestion: Suggestion, index: int) -> str:
        when = f", {suggestion.when}" if suggestion.when else ""
        # The passage is selected on the screen: the words say what and who suggests it.
        return (f"Suggested {suggestion.tag} ({suggestion.source} {suggestion.score:.2f}{when}), "
                f"{index + 1}/{len(self._pending)}: y accepts, x rejects, Y accepts all from "
                f"{suggestion.source}.")

    def _no_suggestions(self) -> str:
        if not self._have_raw:
            return "Suggestions for this article are still being worked out."
        return "No suggestions left in this article."

    def _suggestions_message(self) -> str:
        count = len(self._pending)
        if not count:
            return "Suggestions on: none left in this article."
        return f"Suggestions on: {count} in this article (. next, , previous, y accepts)."

    def _open_suggestions(self) -> None:
        """A new article is open: its suggestions if still current, else none until a worker
        brings them."""
        self._have_raw = self._current = self._in_flight = False
        self._raw, self._keys, self._covered = (), (), []
        self._rejected, self._rejected_read = {}, False
        self._picked = None
        self._touched = []
        article = self.article
        cached = self._computed.get(article.id) if article is not None else None
        if cached is not None and self.suggesting:
            # Changes made here since were applied to its list of what is accepted.
            self._use(*cached)
        else:
            # A worker may be on it already (opened, left and opened again): what is tagged
            # until its answer comes is applied to that answer.
            self._in_flight = article is not None and self._asked == (article.id, self._epoch)
            self._show_pending()

    def _use(self, computed: ComputedSuggestions, covered: list[bool]) -> None:
        self._raw, self._keys = computed.raw, computed.keys
        self._raw_starts = [s.start for s in computed.raw]
        self._by_key: dict[str, list[int]] = {}
        for n, key in enumerate(computed.keys):
            self._by_key.setdefault(key, []).append(n)
        self._raw_reach = max((s.end - s.start for s in computed.raw), default=0)
        self._covered = covered
        self._have_raw = self._current = True
        self._read_rejections()
        self._show_pending()

    def _read_rejections(self) -> None:
        """My rejections of the open article (read once per opening)."""
        from .suggest import Rejection

        if self._rejected_read or self.article is None:
            return
        self._rejected_read = True
        try:
            records = self.store.records(self.article.id, REJECTIONS, self.annotator)
        except StoreError:
            records = []
        self._rejected = {r.key: r for r in map(Rejection.from_dict, records)}

    def _touched_spans(self, spans: Sequence[Span]) -> None:
        """My annotations changed on ``spans``: which suggestions there are accepted now."""
        from .suggest import pending

        if self._in_flight:
            self._touched.extend(spans)
        if not self._have_raw:
            return
        raw, starts, reach = self._raw, self._raw_starts, self._raw_reach
        # Sorted by start: only those starting within the longest one's length before a span
        # can overlap it (a tag in an article of 6 000 suggestions looks at a few).
        affected = sorted({n for span in spans
                           for n in range(bisect_left(starts, span.start - reach),
                                          bisect_left(starts, max(span.end, span.start + 1)))
                           if raw[n].end > span.start and raw[n].start < span.end})
        if not affected:
            return
        low = min(raw[n].start for n in affected)
        high = max(raw[n].end for n in affected)
        mine = [a for a in self._mine() if a.start < high and low < a.end]
        open_ = {id(s) for s in pending([raw[n] for n in affected], mine, ())}
        for n in affected:
            self._covered[n] = id(raw[n]) not in open_
        self._update_pending(affected)

    def _showing(self) -> bool:
        return self.suggesting and self._have_raw and self.view.editable

    def _show_pending(self) -> None:
        """What :attr:`suggestions` shows, from what is computed, accepted and rejected (all
        of it worked out again)."""
        if self._showing():
            rejected = self._rejected
            at = [n for n, (key, covered) in enumerate(zip(self._keys, self._covered,
                                                           strict=True))
                  if not covered and key not in rejected]
        else:
            at = []
        # Always anew (another article's may have the same indices): this runs on opening,
        # on S, on a view; a tag or a rejection goes through _update_pending.
        self._pending_at = at
        self._pending = [self._raw[n] for n in at]
        self.suggestions_version += 1
        self._delta = None  # everything may have changed

    def _update_pending(self, indices: Sequence[int]) -> None:
        """Suggestions ``indices`` (of those computed) may have come or gone: only they are
        looked at (a tag in an article of 6 000 suggestions touches a few)."""
        if not self._showing():
            return
        rejected = self._rejected
        at, shown = self._pending_at, list(self._pending)  # a result handed out stays
        changed = []
        for n in indices:
            want = not self._covered[n] and self._keys[n] not in rejected
            position = bisect_left(at, n)
            present = position < len(at) and at[position] == n
            if want and not present:
                at.insert(position, n)
                shown.insert(position, self._raw[n])
            elif present and not want:
                del at[position]
                del shown[position]
            else:
                continue
            changed.append((self._raw[n], want))
        if changed:
            self._pending = shown
            self.suggestions_version += 1
            if self._delta is not None:
                self._delta.extend(changed)

    def suggestion_changes(self) -> list[tuple[Suggestion, bool]] | None:
        """The suggestions that came (True) or went (False) since this was last asked, in
        that order (None: any may have); the reader updates and repaints only those."""
        delta, self._delta = self._delta, []
        return delta

    def _annotations_changed(self, change: Change | Batch) -> None:
        """Annotations of ``change``'s article changed (see :meth:`_work_changed`)."""
        self._work_changed(change.article_id)

    def _work_changed(self, article_id: str | None) -> None:
        """Annotations of ``article_id`` (None: links, or anything) changed: the engine is
        made again before it next suggests; suggestions computed for other articles are
        dropped (a tag here suggests its counterparts there), and so are the open article's
        unless the change was in it alone and no suggester learns from my own tags there."""
        self._work += 1
        open_id = self.article.id if self.article is not None else None
        learns = "own" in self.config.suggest.sources
        if article_id is not None and article_id == open_id and not learns:
            kept = self._computed.get(open_id)
            self._computed = {open_id: kept} if kept is not None else {}
            return
        self._computed = {}
        self._epoch += 1
        self._current = False  # made again (the app asks for it); those shown stay till then

    def _commit_rejection(self, change: RejectionChange, message: str, *,
                          record: bool = True) -> Outcome:
        """Write a rejection's change; on success remember it (``record``)."""
        article_id = change.article_id
        failed = self._write(article_id, lambda: apply(self.store, change))
        if failed is not None:
            return failed
        if record:
            self.history.record(change)
        if self.article is not None and self.article.id == article_id:
            if change.after is not None:
                key = change.after.key
                self._rejected[key] = change.after
            else:
                assert change.before is not None
                key = change.before.key
                self._rejected.pop(key, None)
            self._stamp = self._safe_stamp(article_id)
            self._update_pending(self._by_key.get(key, []))
        else:
            self._computed.pop(article_id, None)
        return self._changed(Outcome(message, changed=(article_id,)))

    # ----------------------------------------------------------------- the store

    def _write(self, article_id: str | None, write: Callable[[], object]) -> Outcome | None:
        """Run ``write`` (one change to the store) unless the store, or the shards of
        ``article_id``, cannot take it: the failure's outcome (the store found read-only or
        the shard damaged is remembered), or None once it is written."""
        if self.read_only:
            return Outcome(self.read_only, error=True)
        if article_id is not None and article_id in self.damaged:
            return Outcome(self.damaged[article_id], error=True)
        try:
            write()
        except ReadOnlyStoreError as error:
            self.read_only = f"Read-only: {error} Tags are shown but cannot be changed."
            return Outcome(self.read_only, error=True)
        except StoreError as error:
            if article_id is not None and isinstance(error, DamagedFileError):
                self.damaged[article_id] = str(error)
            return Outcome(str(error), error=True)
        return None

    def _commit(self, change: Change | Batch, message: str, *, record: bool = True,
                select: Annotation | None = None) -> Outcome:
        """Write ``change``; on success remember it (``record``) and update what is open."""
        article_id = change.article_id
        if self.read_only:
            return Outcome(self.read_only, error=True)
        if isinstance(change, Change):
            owner = (change.after or change.before).annotator  # type: ignore[union-attr]
            if owner and owner != self.annotator:
                # Others' work is theirs: shown, never changed (a curated set changes only
                # through curate(), as a Batch).
                return Outcome(f"That is {owner}'s tag: only your own tags can be changed.",
                               error=True)
        open_here = self.article is not None and self.article.id == article_id
        # If the open article's shards are as we last read them, the change is applied to the
        # annotations in memory instead of reading them all back (a tag in an article holding
        # 1 000 costs one shard write, not a write and a re-read).
        as_read = (open_here and isinstance(change, Change) and self._stamp is not None
                   and self._safe_stamp(article_id) == self._stamp)
        failed = self._write(article_id, lambda: apply(self.store, change))
        if failed is not None:
            return failed
        if record:
            self.history.record(change)
        self._annotations_changed(change)
        if open_here:
            if as_read:
                assert isinstance(change, Change)
                touched = {a.id for a in (change.before, change.after) if a is not None}
                kept = [a for a in self._annotations if a.id not in touched]
                if change.after is not None:
                    after = change.after
                    # As the store keeps it: an annotation without an annotator is the store's.
                    kept.append(after if after.annotator else
                                replace(after, annotator=self.store.annotator))
                self._set(kept)
            else:
                self._reread()
            self._stamp = self._safe_stamp(article_id)
            if isinstance(change, Change):
                sides = [a for a in (change.before, change.after) if a is not None]
            else:
                sides = [*change.before, *change.after]
            self._touched_spans([a.span for a in sides])
        if select is not None:
            select = self.annotation(select.id) or select
        return self._changed(Outcome(message, changed=(article_id,), select=select))

    def _reread(self) -> None:
        article = self.article
        assert article is not None
        annotations = self._read(article.id)
        if annotations:
            annotations, _ = self._placed(article, annotations)
        self._set(annotations)

    def _set(self, annotations: list[Annotation]) -> None:
        self._annotations = sorted(annotations, key=sort_key)
        self._by_id = {a.id: a for a in self._annotations}
        self.curated.update(a.annotator for a in annotations if a.adjudicated_from)
        self._refilter()

    def _refilter(self) -> None:
        view, me = self.view, self.annotator
        self._shown = (self._annotations if view.kind == "all" else
                       [a for a in self._annotations if view.shows(a.annotator or me, me)])

    def _read(self, article_id: str) -> list[Annotation]:
        """The article's annotations as stored ([] and the reason kept if its file is damaged)."""
        try:
            annotations = self.store.annotations(article_id)
        except DamagedFileError as error:
            self.damaged[article_id] = str(error)
            return []
        except StoreError as error:
            self.damaged[article_id] = str(error)
            return []
        self.damaged.pop(article_id, None)
        return annotations

    def _placed(self, article: Article,
                annotations: list[Annotation]) -> tuple[list[Annotation], str]:
        """The annotations placed in the article's current text: those made on another version
        of it are found again (exact, fuzzy) or marked orphans (:mod:`tui.anchoring`), with a
        notice saying so. Nothing is written: the store keeps what was made until it is
        changed."""
        text = article.text
        if all(a.text_sha256 == article.sha256 and text[a.start : a.end] == a.text
               for a in annotations):
            return annotations, ""  # made on this very text: nothing to find again
        from .anchoring import needs_reanchoring, reanchor  # rapidfuzz: only when needed

        placed = [reanchor(a, article) if needs_reanchoring(a, article) else a
                  for a in annotations]
        orphans = sum(1 for a in placed if a.anchor == "orphan")
        fuzzy = sum(1 for a in placed if a.anchor == "fuzzy")
        notice = ""
        if orphans or fuzzy:
            notice = (f"The text of {article.id} changed since it was tagged: {fuzzy} tag(s) "
                      "placed by similarity (≈ in the panel), "
                      f"{orphans} orphan(s) not found (⚠, kept, listed by `newsmark orphans`).")
        return placed, notice

    def _safe_stamp(self, article_id: str) -> tuple[object, ...] | None:
        try:
            return tuple(self.store.stamp(article_id))
        except (OSError, StoreError):
            return None
