"""The reading session: the one owner of the open article's state (no Textual).

A :class:`Session` holds the open article and its annotations as stored (placed in the current
text, orphans aside), the undo history, the note waiting for the next tag, and whether the store
or the article's shards can be written. Every operation (tag, untag, retag, note, resize, undo,
redo, propagate, settle a compare cell) writes to the store first and returns an
:class:`Outcome`: which articles' annotations changed, what to select, and the words for the
status line. The app turns keys into these calls and tells its widgets what changed; nothing
here knows of a screen.

A change is reported as saved only after the store has it on disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .config import Config
from .corpus import Corpus
from .editing import annotation_under, shorten
from .history import Change, History, LinkChange, apply
from .links import LINKS, Link
from .model import Annotation, Article, Span, sort_key
from .store import DamagedFileError, ReadOnlyStoreError, Store, StoreError


@dataclass(frozen=True)
class Outcome:
    """What an operation did.

    ``message`` is for the status line ("" leaves it as it is); ``error`` marks it as a failure.
    ``changed`` names the articles whose annotations changed (the open one among them, or
    another: an undo or a propagated tag). ``select`` is the annotation to show selected
    afterwards (a new tag, the passage an undo restored). ``notice`` is a longer message for a
    notification (a text that changed since it was tagged).
    """

    message: str = ""
    error: bool = False
    changed: tuple[str, ...] = ()
    select: Annotation | None = None
    notice: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def _quote(text: str, width: int = 48) -> str:
    """A passage for the status line: one line, cut, in quotes (without doubling the quote
    marks a passage already starts or ends with)."""
    return "“" + shorten(text.strip(_QUOTE_MARKS), width) + "”"


#: Quote marks a passage may already begin or end with.
_QUOTE_MARKS = "“”\"'‘’«»"


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
        self.read_only: str | None = None
        """Why nothing can be written (the store's folder is not writable), or None."""
        self.damaged: dict[str, str] = {}
        """Article id → why its shards cannot be read (and so are never written)."""
        self._annotations: list[Annotation] = []
        self._by_id: dict[str, Annotation] = {}
        self._stamp: tuple[object, ...] | None = None
        self._listeners: list[Callable[[Outcome], None]] = []
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
        """The open article's annotations in text order: placed ones and orphans."""
        return self._annotations

    @property
    def placed(self) -> list[Annotation]:
        """The annotations found in the current text (what the reader colours)."""
        return [a for a in self._annotations if a.anchor != "orphan"]

    @property
    def orphans(self) -> list[Annotation]:
        """Annotations whose passage is no longer in the text: kept and listed, never drawn."""
        return [a for a in self._annotations if a.anchor == "orphan"]

    def annotation(self, annotation_id: str | None) -> Annotation | None:
        """The open article's annotation with this id, if any."""
        return self._by_id.get(annotation_id) if annotation_id is not None else None

    def target(self, selection: Span | None, active_id: str | None = None) -> Annotation | None:
        """The annotation a key means at ``selection``: the active (picked) one if the
        selection touches it, else the one exactly selected, else the innermost one holding
        the selection's start, else the shortest one overlapping it."""
        if selection is None:
            return None
        active = self.annotation(active_id)
        if active is not None and active.anchor != "orphan" and active.span.overlaps(selection):
            return active
        return annotation_under(self.placed, selection)

    def open(self, article_id: str) -> Outcome:
        """Open ``article_id``: read its annotations and place them in its current text."""
        article = self.corpus.get(article_id)
        if article is None:
            problem = self.corpus.problem(article_id) or f"No article {article_id!r}."
            return Outcome(problem, error=True)
        self.article = article
        self._stamp = self._safe_stamp(article.id)
        annotations = self._read(article.id)
        notice = ""
        if annotations:
            annotations, notice = self._placed(article, annotations)
        self._set(annotations)
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
        self._reread()
        return self._changed(Outcome(changed=(self.article.id,)))

    def counts(self, article_id: str) -> dict[str, int]:
        """How many annotations of each tag ``article_id`` has (the open one from memory)."""
        if self.article is not None and article_id == self.article.id:
            annotations = self._annotations
        else:
            annotations = self._read(article_id)
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
        existing = [a for a in self.placed
                    if a.start == span.start and a.end == span.end and a.tag == tag]
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
            return Outcome("No tag here to remove.")
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
               span: Span | None, *, name: str = "") -> Outcome:
        """Record this annotator's verdict on ``annotation``'s passage in ``article_id`` (the
        compare screen's ``y``: ``confirmed``, with the span that carries it; ``x``:
        ``rejected``, with the candidate that was shown, if any). The same verdict given
        again (on the same span) clears it. Undoable as any change; ``name`` is how the
        status line calls the article."""
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
        if (previous is not None and previous.verdict == verdict
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

    def _commit_link(self, change: LinkChange, message: str, *, record: bool = True) -> Outcome:
        """Write a verdict's change; on success remember it (``record``)."""
        if self.read_only:
            return Outcome(self.read_only, error=True)
        try:
            apply(self.store, change)
        except ReadOnlyStoreError as error:
            self.read_only = f"Read-only: {error} Tags are shown but cannot be changed."
            return Outcome(self.read_only, error=True)
        except StoreError as error:
            return Outcome(str(error), error=True)
        if record:
            self.history.record(change)
        return Outcome(message)

    def undo(self) -> Outcome:
        """Revert the last change of the session."""
        change = self.history.next_undo()
        if change is None:
            return Outcome("Nothing to undo.")
        if isinstance(change, LinkChange):
            outcome = self._commit_link(change.inverse(),
                                        f"Undid {change.verb} {change.description}.",
                                        record=False)
        else:
            outcome = self._commit(change.inverse(),
                                   f"Undid {change.verb} {change.description}.",
                                   record=False, select=change.before or change.after)
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
        else:
            outcome = self._commit(change, f"Redid {change.verb} {change.description}.",
                                   record=False, select=change.after or change.before)
        if outcome.ok:
            self.history.redone()
        return outcome

    # ----------------------------------------------------------------- the store

    def _commit(self, change: Change, message: str, *, record: bool = True,
                select: Annotation | None = None) -> Outcome:
        """Write ``change``; on success remember it (``record``) and update what is open."""
        article_id = change.article_id
        if self.read_only:
            return Outcome(self.read_only, error=True)
        if article_id in self.damaged:
            return Outcome(self.damaged[article_id], error=True)
        open_here = self.article is not None and self.article.id == article_id
        # If the open article's shards are as we last read them, the change is applied to the
        # annotations in memory instead of reading them all back (a tag in an article holding
        # 1 000 costs one shard write, not a write and a re-read).
        as_read = (open_here and self._stamp is not None
                   and self._safe_stamp(article_id) == self._stamp)
        try:
            apply(self.store, change)
        except ReadOnlyStoreError as error:
            self.read_only = f"Read-only: {error} Tags are shown but cannot be changed."
            return Outcome(self.read_only, error=True)
        except StoreError as error:
            if isinstance(error, DamagedFileError):
                self.damaged[article_id] = str(error)
            return Outcome(str(error), error=True)
        if record:
            self.history.record(change)
        if open_here:
            if as_read:
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
