"""Finding annotations again after an article's text changes (no UI).

An annotation remembers the hash of the text it was made on, its quote, up to
:data:`tui.model.CONTEXT_CHARS` characters of context on each side, and its offsets. When the
article's text no longer has that hash (the source file was edited, or an import comes from a
slightly different copy), :func:`reanchor` looks for the passage again:

1. **Where the context says.** *Landmarks* are pieces of the stored prefix (its end) and suffix
   (its start), 8 characters or more, that occur exactly once in the new text. If both are
   found, in order and close together, the passage was between them: if the quote is there,
   the annotation moves there silently (exact); if a passage at least :data:`MIN_FUZZY_SCORE`
   similar to the quote is there, it moves and is marked ``anchor="fuzzy"`` for review;
   otherwise the passage was deleted and the annotation becomes an orphan — even if a copy of
   the same words exists elsewhere.
2. **Exact quote elsewhere.** Otherwise, an occurrence of the quote right next to a landmark, or
   whose surroundings keep at least :data:`MIN_CONTEXT_SCORE` % of the stored context
   (:data:`MIN_ONE_SIDED_CONTEXT_SCORE` when the passage had context on one side only), clearly
   better than any other occurrence, is taken (exact).
3. **Fuzzy.** Otherwise a passage at least :data:`MIN_FUZZY_SCORE` similar to the quote whose
   surroundings also agree that much, near a landmark, the old position or anywhere, is taken
   and marked fuzzy — unless another, separate candidate is nearly as good
   (:data:`AMBIGUITY_MARGIN`).
4. **Orphan.** Anything weaker or ambiguous. The annotation keeps its old offsets, quote and
   hash and is marked ``anchor="orphan"``: listed for review, never moved to a lookalike.

A landmark found on one side pins that side: a candidate away from it must carry at least
:data:`PINNED_SIDE_SHARE` of that side's context itself, or it is a lookalike whatever its other
side says (a copy pasted after a repeated headline has the same text before it).

An annotation with almost no stored context (under :data:`MIN_CONTEXT_CHARS` characters, e.g.
imported from a format that carries none) moves only to a unique exact occurrence of its quote,
or stays where the same quote still is; never fuzzily.

Similarity is rapidfuzz's normalised Indel similarity (``fuzz.ratio``, 0–100).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from tui.model import CONTEXT_CHARS, Annotation, Article

__all__ = [
    "AMBIGUITY_MARGIN",
    "CONTEXT_SLACK",
    "MIN_CONTEXT_SCORE",
    "MIN_ONE_SIDED_CONTEXT_SCORE",
    "MIN_FUZZY_SCORE",
    "context_score",
    "needs_reanchoring",
    "reanchor",
    "reanchor_all",
]

#: A passage that is not the exact quote moves only if its similarity to the quote is at least
#: this (rapidfuzz ``fuzz.ratio``, 0–100). 85 tolerates a changed word or two in a sentence
#: (a typo fixed, "said" → "says") but not a different sentence about the same thing.
MIN_FUZZY_SCORE = 85.0

#: Any move needs the text around the new position to keep at least this share (%) of the
#: stored prefix and suffix characters (see :func:`context_score`). Measured on the seeds,
#: the context of an unrelated position scores a median of 41 and 56 at the 99th percentile on
#: one side, less on the two sides averaged; a passage with one side of its context intact and
#: the other rewritten scores 70 or more.
MIN_CONTEXT_SCORE = 60.0

#: The same, for a passage with context on one side only (at the very start or end of its
#: text): one side of 32 characters is thinner evidence, so it must agree more.
MIN_ONE_SIDED_CONTEXT_SCORE = 80.0

#: How many characters beyond the stored context's length the context windows reach.
CONTEXT_SLACK = 8

#: A candidate away from where one side's context was found needs at least this share of that
#: side's context around itself, more than unrelated text shows (56% at the 99th percentile on
#: the seeds, see :data:`MIN_CONTEXT_SCORE`).
PINNED_SIDE_SHARE = 0.6

#: Two candidates whose scores are within this many points of each other are ambiguous: the
#: annotation becomes an orphan rather than being moved to the wrong one.
AMBIGUITY_MARGIN = 5.0

#: Below this many characters of stored context (prefix + suffix), context proves nothing: only
#: a unique exact quote (or the same quote at the same offset) is accepted, and never a fuzzy one.
MIN_CONTEXT_CHARS = 8

#: The shortest piece of prefix or suffix used to find where the old passage was.
_MIN_ANCHOR_CHARS = 8


def needs_reanchoring(annotation: Annotation, article: Article) -> bool:
    """True if ``annotation`` was not made on ``article``'s current text or no longer fits it."""
    return (
        annotation.text_sha256 != article.sha256
        or article.text[annotation.start : annotation.end] != annotation.text
    )


def reanchor(annotation: Annotation, article: Article) -> Annotation:
    """``annotation`` found again in ``article``'s current text.

    Returns the annotation unchanged when it already fits the text. Otherwise a copy with new
    ``start``/``end``/``text``/``prefix``/``suffix``/``text_sha256`` and ``anchor`` ``"exact"``
    or ``"fuzzy"``; or, when the passage cannot be found safely, a copy marked ``"orphan"`` that
    keeps its old offsets, quote, context and hash. An annotation already marked fuzzy stays
    fuzzy until a person confirms it. ``modified`` is not touched: re-anchoring is not an edit.
    """
    if not needs_reanchoring(annotation, article):
        return annotation
    found = _locate(annotation, article.text)
    if found is None:
        return replace(annotation, anchor="orphan")
    start, end, kind = found
    if annotation.anchor == "fuzzy":
        kind = "fuzzy"
    text = article.text
    return replace(
        annotation,
        start=start,
        end=end,
        text=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        text_sha256=article.sha256,
        anchor=kind,
    )


def reanchor_all(
    annotations: Iterable[Annotation], articles: Mapping[str, Article]
) -> list[Annotation]:
    """Every annotation re-anchored against its article in ``articles`` (by id).

    An annotation whose article is missing is returned as an orphan, untouched otherwise.
    """
    result = []
    for annotation in annotations:
        article = articles.get(annotation.article_id)
        if article is None:
            result.append(replace(annotation, anchor="orphan"))
        else:
            result.append(reanchor(annotation, article))
    return result


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How much of the stored context is still around ``[start, end)``, as a percentage.

    The share of the characters of ``prefix`` and ``suffix`` found, in order (longest common
    subsequence), in the text next to the span on each side — a window as long as the stored
    context plus :data:`CONTEXT_SLACK`, so that a few characters inserted right next to the
    passage do not count against it. 100 when both are empty.
    """
    total = len(prefix) + len(suffix)
    if total == 0:
        return 100.0
    before, after = _context_found(text, start, end, prefix, suffix)
    return 100.0 * (before + after) / total


def _context_found(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[int, int]:
    """How many characters of ``prefix`` and of ``suffix`` are found next to the span."""
    before = after = 0
    if prefix:
        window = text[max(0, start - len(prefix) - CONTEXT_SLACK) : start]
        before = int(LCSseq.similarity(prefix, window))
    if suffix:
        after = int(LCSseq.similarity(suffix, text[end : end + len(suffix) + CONTEXT_SLACK]))
    return before, after


def _locate(annotation: Annotation, text: str) -> tuple[int, int, str] | None:
    """Where the annotation's passage is in ``text`` now, and how sure: (start, end, kind)."""
    quote, prefix, suffix = annotation.text, annotation.prefix, annotation.suffix
    if not quote:
        return None
    has_context = len(prefix) + len(suffix) >= MIN_CONTEXT_CHARS
    occurrences = _find_all(text, quote)

    if not has_context:
        # Nothing to tell copies apart: only an unambiguous quote, or the very same place.
        if len(occurrences) == 1:
            return occurrences[0], occurrences[0] + len(quote), "exact"
        if annotation.start in occurrences:
            return annotation.start, annotation.end, "exact"
        return None

    # Where the context is found on both sides, it says where the passage was: only that
    # stretch counts, so a deleted passage is not replaced by a copy of it elsewhere.
    left, right = _anchor_end(text, prefix), _anchor_start(text, suffix)
    if left is not None and right is not None and not 0 <= right - left <= 2 * len(quote) + 32:
        left = right = None  # contradictory landmarks (repetitive text): trust neither
    if left is not None and right is not None:
        inside = _find_all(text[left:right], quote)
        if len(inside) == 1:
            return left + inside[0], left + inside[0] + len(quote), "exact"
        span = _align(quote, text, left, right)
        if inside or span is None:
            return None
        start, end = _refine(quote, text, *span, lo=left, hi=right)
        if fuzz.ratio(quote, text[start:end]) >= MIN_FUZZY_SCORE:
            return start, end, "fuzzy"
        return None

    def beside_context(start: int, end: int) -> bool:
        # Context found once on one side pins that side of the passage: a candidate elsewhere
        # is a lookalike, however well its other side agrees — unless it carries that side's
        # context itself (then the landmark was a repetition of it).
        before, after = _context_found(text, start, end, prefix, suffix)
        if left is not None and abs(start - left) > CONTEXT_SLACK:
            if before < PINNED_SIDE_SHARE * len(prefix):
                return False
        if right is not None and abs(right - end) > CONTEXT_SLACK:
            if after < PINNED_SIDE_SHARE * len(suffix):
                return False
        return True

    def pinned(start: int, end: int) -> bool:
        return (left is not None and abs(start - left) <= CONTEXT_SLACK) or (
            right is not None and abs(right - end) <= CONTEXT_SLACK
        )

    # One side of context (a passage at the very start or end of its text) is thin evidence.
    needed = MIN_CONTEXT_SCORE if prefix and suffix else MIN_ONE_SIDED_CONTEXT_SCORE
    scored = [
        # The quote itself right next to a landmark of its own context needs nothing more.
        (100.0 if pinned(p, p + len(quote)) else context_score(
            text, p, p + len(quote), prefix, suffix), p)
        for p in occurrences
        if beside_context(p, p + len(quote))
    ]
    agreeing = sorted((s, p) for s, p in scored if s >= needed)
    if agreeing:
        best_score, best = agreeing[-1]
        if len(agreeing) == 1 or agreeing[-2][0] <= best_score - AMBIGUITY_MARGIN:
            return best, best + len(quote), "exact"
        return None  # identical passages in identical surroundings: cannot tell which

    # The quote is gone or its copies sit in the wrong surroundings: a similar passage whose
    # surroundings agree, found near the remaining context, the old position, or anywhere.
    candidates = set()
    if left is not None:
        candidates.add(_align(quote, text, left, left + 2 * len(quote) + CONTEXT_CHARS))
    if right is not None:
        candidates.add(_align(quote, text, right - 2 * len(quote) - CONTEXT_CHARS, right))
    slack = len(quote) + 2 * CONTEXT_CHARS
    candidates.add(_align(quote, text, annotation.start - slack, annotation.end + slack))
    candidates.add(_align(quote, text, 0, len(text)))

    accepted = []
    for span in candidates:
        if span is None:
            continue
        start, end = _refine(quote, text, *span)
        if not beside_context(start, end):
            continue
        quote_score = fuzz.ratio(quote, text[start:end])
        ctx = context_score(text, start, end, prefix, suffix)
        if quote_score >= MIN_FUZZY_SCORE and ctx >= needed:
            accepted.append(((quote_score + ctx) / 2, start, end))
    if not accepted:
        return None
    accepted.sort()
    best_score, start, end = accepted[-1]
    for score, other_start, other_end in accepted[:-1]:
        overlaps = other_start < end and start < other_end
        if not overlaps and score > best_score - AMBIGUITY_MARGIN:
            return None
    return start, end, "fuzzy"


def _find_all(text: str, needle: str) -> list[int]:
    """Every offset where ``needle`` occurs in ``text``, overlapping occurrences included."""
    found = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _anchor_end(text: str, prefix: str) -> int | None:
    """Where the stored prefix ends in ``text``, if a piece of it nearest the span is unique."""
    for size in _anchor_sizes(len(prefix)):
        found = _find_all(text, prefix[-size:])
        if len(found) == 1:
            return found[0] + size
    return None


def _anchor_start(text: str, suffix: str) -> int | None:
    """Where the stored suffix starts in ``text``, if a piece of it nearest the span is unique."""
    for size in _anchor_sizes(len(suffix)):
        found = _find_all(text, suffix[:size])
        if len(found) == 1:
            return found[0]
    return None


def _anchor_sizes(length: int) -> list[int]:
    """Lengths of context to try as landmarks, longest first (longer is more likely unique)."""
    sizes = [length, length // 2, _MIN_ANCHOR_CHARS]
    return sorted({s for s in sizes if _MIN_ANCHOR_CHARS <= s <= length}, reverse=True)


def _align(quote: str, text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The best match of ``quote`` within ``text[lo:hi]`` (clamped), as text offsets."""
    lo, hi = max(0, lo), min(len(text), hi)
    if hi - lo < len(quote):
        return (lo, hi) if hi > lo else None
    alignment = fuzz.partial_ratio_alignment(quote, text[lo:hi])
    if alignment is None:
        return None
    return lo + alignment.dest_start, lo + alignment.dest_end


def _refine(
    quote: str, text: str, start: int, end: int, *, lo: int = 0, hi: int | None = None
) -> tuple[int, int]:
    """Nudge both ends of a candidate span to where the similarity with ``quote`` is highest.

    The alignment window has the quote's length; an edit inside the passage changes its length,
    so each end is moved within a small radius (first the end, then the start).
    """
    radius = max(4, len(quote) // 8)
    hi = len(text) if hi is None else hi

    def score(s: int, e: int) -> tuple[float, int]:
        # Ties go to the span whose length is closest to the quote's.
        return fuzz.ratio(quote, text[s:e]), -abs((e - s) - len(quote))

    best_end = max(
        range(max(start, end - radius), min(hi, end + radius) + 1),
        key=lambda e: score(start, e),
    )
    best_start = max(
        range(max(lo, start - radius), min(best_end, start + radius) + 1),
        key=lambda s: score(s, best_end),
    )
    start, end = _snap(quote, text, best_start, best_end)
    return max(lo, start), min(hi, end)


def _snap(quote: str, text: str, start: int, end: int) -> tuple[int, int]:
    """Move an end that falls inside a word to that word's nearer-scoring edge, when the
    quote itself begins (or ends) with a whole word: a reviewer sees "Biden", not "iden"."""

    def inside(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()

    def edges(i: int) -> tuple[int, int]:
        left, right = i, i
        while left > 0 and text[left - 1].isalnum():
            left -= 1
        while right < len(text) and text[right].isalnum():
            right += 1
        return left, right

    if quote[:1].isalnum() and inside(start):
        choices = [s for s in edges(start) if s < end]
        if choices:
            start = max(choices, key=lambda s: fuzz.ratio(quote, text[s:end]))
    if quote[-1:].isalnum() and inside(end):
        choices = [e for e in edges(end) if e > start]
        if choices:
            end = max(choices, key=lambda e: fuzz.ratio(quote, text[start:e]))
    return start, end
