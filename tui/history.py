"""Undo and redo for a session's annotation changes (no Textual).

Every change is a pair ``(before, after)`` of one annotation: ``(None, a)`` adds ``a``,
``(a, None)`` deletes it, ``(a, b)`` replaces ``a`` by ``b`` (retag, note, resize). Undoing applies
the pair backwards. One mechanism covers every kind of change, including deleting an annotation
made in an earlier session. A verdict on the compare matrix (a :class:`tui.links.Link`) is
the same kind of pair, a :class:`LinkChange`, and so is a rejected suggestion (a
:class:`tui.suggest.Rejection` record in the annotator's shard), a :class:`RejectionChange`, on
the same stack. A :class:`Batch` writes several annotations of one shard at once (a curation
decision, every suggestion of a source accepted) and is undone as one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .links import Link, put_link, remove_link
from .model import Annotation

if TYPE_CHECKING:  # tui.suggest is imported when suggestions are first made (start-up)
    from .suggest import Rejection

#: The store section rejected suggestions live in.
REJECTIONS = "rejections"


@dataclass(frozen=True)
class Change:
    """One annotation before and after a change, with words for the status line."""

    before: Annotation | None
    after: Annotation | None
    description: str

    def inverse(self) -> Change:
        return Change(self.after, self.before, self.description)

    @property
    def verb(self) -> str:
        """What the change does, for "Undid …": adding, removing or changing."""
        if self.before is None:
            return "adding"
        return "removing" if self.after is None else "changing"

    @property
    def article_id(self) -> str:
        annotation = self.after or self.before
        assert annotation is not None
        return annotation.article_id


@dataclass(frozen=True)
class LinkChange:
    """One annotator's verdict on a cell before and after a change (``None``: no verdict)."""

    before: Link | None
    after: Link | None
    description: str

    def inverse(self) -> LinkChange:
        return LinkChange(self.after, self.before, self.description)

    @property
    def verb(self) -> str:
        """What the change does, for "Undid …": confirming, rejecting, clearing the verdict."""
        if self.after is None:
            return "clearing the verdict on"
        return "confirming" if self.after.confirmed else "rejecting"

    @property
    def article_id(self) -> str:
        """The linked article (whose shard holds the verdict)."""
        link = self.after or self.before
        assert link is not None
        return link.article_id


@dataclass(frozen=True)
class RejectionChange:
    """A suggestion rejected (``(None, r)``) or its rejection taken back (``(r, None)``): the
    :class:`~tui.suggest.Rejection` record in its annotator's shard of the article."""

    before: Rejection | None
    after: Rejection | None
    description: str

    def inverse(self) -> RejectionChange:
        return RejectionChange(self.after, self.before, self.description)

    @property
    def verb(self) -> str:
        """What the change does, for "Undid …"."""
        return "rejecting" if self.after is not None else "taking back the rejection of"

    @property
    def article_id(self) -> str:
        rejection = self.after or self.before
        assert rejection is not None
        return rejection.article_id


def rejection_record(rejection: Rejection) -> dict[str, Any]:
    """The record a rejection is stored as: its fields, with its key as the record's id (one
    rejection per passage and tag, per annotator)."""
    return {"id": rejection.key, **rejection.to_dict()}


@dataclass(frozen=True)
class Batch:
    """Several annotations of one shard replaced at once, in one write, and undone as one: a
    curation decision (the curated set's annotations of a passage ``before`` and ``after``),
    or every suggestion of a source accepted (``before`` empty). ``action`` is what
    "Undid …" calls it."""

    article_id: str
    annotator: str
    before: tuple[Annotation, ...]
    after: tuple[Annotation, ...]
    description: str
    action: str = "choosing"

    def inverse(self) -> Batch:
        return Batch(self.article_id, self.annotator, self.after, self.before, self.description,
                     self.action)

    @property
    def verb(self) -> str:
        """What the change does, for "Undid …"."""
        return self.action


#: Every kind of change the history holds.
AnyChange = Change | LinkChange | RejectionChange | Batch


class History:
    """A linear undo/redo stack of :class:`Change`; a new change clears the redo side."""

    def __init__(self, limit: int = 10_000) -> None:
        self._done: list[AnyChange] = []
        self._undone: list[AnyChange] = []
        self._limit = limit

    def record(self, change: AnyChange) -> None:
        """Remember a change that has just been applied."""
        self._done.append(change)
        del self._done[: -self._limit]
        self._undone.clear()

    def next_undo(self) -> AnyChange | None:
        """The change that :meth:`undo` would revert, if any."""
        return self._done[-1] if self._done else None

    def next_redo(self) -> AnyChange | None:
        """The change that :meth:`redo` would reapply, if any."""
        return self._undone[-1] if self._undone else None

    def undone(self) -> None:
        """Move the last change to the redo side (call after reverting it)."""
        self._undone.append(self._done.pop())

    def redone(self) -> None:
        """Move the last undone change back (call after reapplying it)."""
        self._done.append(self._undone.pop())

    def __len__(self) -> int:
        return len(self._done)


def apply(store: _Writable, change: AnyChange) -> None:
    """Make ``change`` happen in ``store`` (add, remove or update one annotation; store or
    clear one verdict; store or remove one rejection; a batch in one write of its shard)."""
    if isinstance(change, RejectionChange):
        if change.after is not None:
            store.put_record(change.after.article_id, REJECTIONS, rejection_record(change.after),
                             change.after.annotator or None)
        elif change.before is not None:
            store.remove_record(change.before.article_id, REJECTIONS, change.before.key,
                                change.before.annotator or None)
        return
    if isinstance(change, LinkChange):
        if change.after is not None:
            put_link(store, change.after)  # type: ignore[arg-type]
        elif change.before is not None:
            remove_link(store, change.before)  # type: ignore[arg-type]
        return
    if isinstance(change, Batch):
        kept = {a.id for a in change.after}
        store.apply(change.article_id, change.annotator, put=change.after,
                    remove=[a.id for a in change.before if a.id not in kept])
        return
    if change.before is None and change.after is not None:
        store.add(change.after)
    elif change.after is None and change.before is not None:
        store.remove(change.before.article_id, change.before.id)
    elif change.after is not None:
        store.update(change.after)


class _Writable(Protocol):
    def add(self, annotation: Annotation) -> None: ...
    def update(self, annotation: Annotation) -> None: ...
    def remove(self, article_id: str, annotation_id: str) -> Annotation | None: ...
    def apply(self, article_id: str, annotator: str, *, put: Iterable[Annotation] = (),
              remove: Iterable[str] = ()) -> bool: ...
    def put_record(self, article_id: str, section: str, record: dict[str, Any],
                   annotator: str | None = None) -> None: ...
    def remove_record(self, article_id: str, section: str, record_id: str,
                      annotator: str | None = None) -> dict[str, Any] | None: ...
