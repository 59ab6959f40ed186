"""Small rules of editing shared by the app and its widgets (no Textual)."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Annotation, Span, sort_key


def shorten(text: str, width: int = 48) -> str:
    """One line of at most ``width`` characters, with an ellipsis when cut: at the last space
    if there is one in the second half of the room (a whole word reads better), else
    mid-word."""
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    room = max(0, width - 1)
    cut = flat[:room]
    space = cut.rfind(" ")
    if space >= room // 2:
        cut = cut[:space]
    return cut.rstrip() + "…"


def annotation_under(annotations: Iterable[Annotation], span: Span) -> Annotation | None:
    """The annotation a remove key means: one with exactly ``span`` (the newest), else the
    innermost one holding the span's start, else the shortest one overlapping the span."""
    candidates = list(annotations)
    exact = [a for a in candidates if a.span == span]
    if exact:
        return max(exact, key=lambda a: a.modified)
    holding = [a for a in candidates if a.start <= span.start < a.end]
    if holding:
        return min(holding, key=lambda a: (a.end - a.start, sort_key(a)))
    overlapping = [a for a in candidates if a.span.overlaps(span)]
    if overlapping:
        return min(overlapping, key=lambda a: (a.end - a.start, sort_key(a)))
    return None
