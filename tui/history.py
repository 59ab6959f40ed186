"""Undo and redo for a session's annotation changes (no Textual).

Every change is a pair ``(before, after)`` of one annotation: ``(None, a)`` adds ``a``,
``(a, None)`` deletes it, ``(a, b)`` replaces ``a`` by ``b`` (retag, note, resize). Undoing applies
the pair backwards. One mechanism covers every kind of change, including deleting an annotation
made in an earlier session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

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


class History:
    """A linear undo/redo stack of :class:`Change`; a new change clears the redo side."""

    def __init__(self, limit: int = 10_000) -> None:
        self._done: list[Change] = []
        self._undone: list[Change] = []
        self._limit = limit

    def record(self, change: Change) -> None:
        """Remember a change that has just been applied."""
        self._done.append(change)
        del self._done[: -self._limit]
        self._undone.clear()

    def next_undo(self) -> Change | None:
        """The change that :meth:`undo` would revert, if any."""
        return self._done[-1] if self._done else None

    def next_redo(self) -> Change | None:
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


def apply(store: _Writable, change: Change) -> None:
    """Make ``change`` happen in ``store`` (add, remove or update one annotation)."""
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
