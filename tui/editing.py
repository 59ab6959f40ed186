"""Small rules of editing shared by the app and its widgets (no Textual)."""

from __future__ import annotations

from collections.abc import Iterable

from .model import Annotation, Span, sort_key


def shorten(text: str, width: int = 48) -> str:
    """One line of at most ``width`` characters, with an ellipsis when cut."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


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
