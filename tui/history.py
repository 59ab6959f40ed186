"""Undo and redo for a session's annotation changes (no Textual).

Every change is a pair ``(before, after)`` of one annotation: ``(None, a)`` adds ``a``,
``(a, None)`` deletes it, ``(a, b)`` replaces ``a`` by ``b`` (retag, note, resize). Undoing applies
the pair backwards. One mechanism covers every kind of change, including deleting an annotation
made in an earlier session. A verdict on the compare matrix (a :class:`tui.links.Link`) is
the same kind of pair, a :class:`LinkChange`, on the same stack.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .links import Link, put_link, remove_link
from .model import Annotation


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
class Batch:
    """Several annotations of one shard replaced at once, in one write (a curation decision:
    the curated set's annotations of a passage ``before`` and ``after``); undone as one."""

    article_id: str
    annotator: str
    before: tuple[Annotation, ...]
    after: tuple[Annotation, ...]
    description: str

    def inverse(self) -> Batch:
        return Batch(self.article_id, self.annotator, self.after, self.before, self.description)

    @property
    def verb(self) -> str:
        """What the change does, for "Undid …"."""
        return "choosing"


class History:
    """A linear undo/redo stack of :class:`Change`; a new change clears the redo side."""

    def __init__(self, limit: int = 10_000) -> None:
        self._done: list[Change | LinkChange | Batch] = []
        self._undone: list[Change | LinkChange | Batch] = []
        self._limit = limit

    def record(self, change: Change | LinkChange | Batch) -> None:
        """Remember a change that has just been applied."""
        self._done.append(change)
        del self._done[: -self._limit]
        self._undone.clear()

    def next_undo(self) -> Change | LinkChange | Batch | None:
        """The change that :meth:`undo` would revert, if any."""
        return self._done[-1] if self._done else None

    def next_redo(self) -> Change | LinkChange | Batch | None:
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


def apply(store: _Writable, change: Change | LinkChange | Batch) -> None:
    """Make ``change`` happen in ``store`` (add, remove or update one annotation; store or
    clear one verdict; a batch in one write of its shard)."""
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
