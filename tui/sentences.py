"""Sentence, word and paragraph boundaries, as spans of a normalised text (no UI).

Every span is a half-open range of code points into the text exactly as given (the normalised
article text, see :func:`tui.corpus.normalise`), so ``text[span.start:span.end]`` is the sentence.

Why a small segmenter of our own rather than syntok or pysbd (both measured, on the 86 prose
paragraphs of the five seeds and on a 1 MB text made by repeating the seeds):

==========================  ==============================  ================================
segmenter                   seeds (vs. the hand-checked     1 MB: whole text / per paragraph
                            split in the tests)
==========================  ==============================  ================================
syntok 1.4.4                all 86 paragraphs right         17.5 s / 0.80 s
pysbd 0.3.4 (char_span)     2 wrong: ``countries.” “Our``   15.4 s / 2.7 s
                            joined; a lone ``”`` sentence
this module                 all right                       0.04 s
==========================  ==============================  ================================

Given whole texts, both libraries also join lines that lack end punctuation (a headline with
its standfirst, the icon junk with the dateline), so they would have to be fed line by line
anyway; syntok then agrees with this module on every seed paragraph (a test keeps it so), at
twenty times the cost, with token offsets to map back. A cursor that moves over a 1 MB text
wants the 0.04 s.

The rules, all local and regex-driven so that the cost is linear in the text:

* Every line ends a sentence: headlines, captions and standfirsts carry no full stop, and scraped
  text has no other reliable paragraph marker. Excluded spans (boilerplate) cut lines further.
* A sentence ends after ``.``, ``!``, ``?`` or ``…`` plus any closing quotes or brackets, when
  what follows (after spaces, or directly, for scraped text such as ``call.The``) starts a new
  sentence: an upper-case letter, a digit, or an opening quote or bracket before one.
* It does not end after a known abbreviation (``Mr.``, ``Gen.``, ``Dec.`` before a number...),
  an initial (``J. Smith``), or a dotted acronym (``U.S.``, ``L.P.``) unless the next word is a
  common sentence opener (``The``, ``He``, ``But``...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tui.model import Span

__all__ = ["paragraph_spans", "sentence_spans", "trim_units", "trimmed", "word_spans"]

# Titles and other abbreviations that are (almost) never the end of a sentence.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof sen rep gov gen col lt sgt capt cmdr adm maj cpl pvt rev fr sr jr st
    hon pres supt insp det messrs mme mlle vs v etc al cf approx est dept univ assn bros inc ltd
    co corp plc llc no nos vol vols pp p fig figs ch sec art para op ed eds repr trans
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    mt ft ave blvd rd hwy
    """.split()
)
# Of those, the ones that may end a sentence when a capitalised word follows ("... and Co. The").
_SENTENCE_FINAL_ABBREVIATIONS = frozenset({"etc", "inc", "ltd", "co", "corp", "plc", "llc", "al"})

# Words that, after a dotted acronym ("U.S.", "a.m."), signal that a new sentence begins.
_SENTENCE_OPENERS = frozenset(
    """
    a an the this that these those it its he she they we i you his her their our my your
    there here but and or so yet however meanwhile still also in on at by for from with after
    before when while if as although though since because during according despite
    """.split()
)

# Full stops of scripts written without spaces or capitals (CJK, Arabic, Devanagari): a sentence
# ends there whatever follows.
_UNSPACED_TERMINATORS = "。！？｡؟।॥"
_CLOSERS = "\"'”’»)]}›」』）"
_OPENERS = "\"'“‘«([{‹「『（"

# A run of terminators, then closing quotes/brackets, then optional spaces (not a newline).
_END_RE = re.compile(r"[.!?…。！？｡؟।॥]+[\"'”’»)\]}›」』）]*[^\S\n]*")
_LONGEST_TOKEN = 40
# '“Why not?” Putin asked.' is one sentence: a quotation closed after "?" or "!" and followed by
# a name (capitalised words, maybe a lowercase title between) and a verb of saying belongs to
# the attribution. After a full stop it does not: English would have put a comma there.
_SPEECH_VERBS = (
    "said|says|asked|asks|added|adds|told|tells|continued|replied|replies|noted|notes|wrote"
    "|writes|stated|states|explained|insisted|warned|declared|recalled|answered|responded"
)
_ATTRIBUTION_RE = re.compile(rf"((?:[^\W\d_][\w’'.-]*[^\S\n]+){{1,6}})(?:{_SPEECH_VERBS})\b")
_WORD_AFTER_RE = re.compile(r"[^\W\d_]+")

_COMBINING = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_WORD_UNIT = rf"[^\W_][{_COMBINING}]*"
# Letters/digits with inner apostrophes or hyphens (NATO’s, de-escalation, 9-10), and digit
# groups with inner separators (60,000, 3:35, 2.5) kept as one word.
_WORD_RE = re.compile(
    rf"(?:{_WORD_UNIT})+"
    rf"(?:(?:['’\-‐‑](?:{_WORD_UNIT})+)|(?:(?<=\d)[.,:](?=\d)(?:{_WORD_UNIT})+))*"
)


def paragraph_spans(text: str, exclude: Sequence[Span] = ()) -> list[Span]:
    """Non-blank, non-excluded lines (paragraphs), trimmed of surrounding whitespace.

    A line partly covered by an excluded span yields the pieces outside it, each trimmed.
    """
    return _segments(text, exclude)


def sentence_spans(text: str, exclude: Sequence[Span] = ()) -> list[Span]:
    """Sorted, non-overlapping sentence spans, each trimmed of surrounding whitespace.

    No sentence contains a character of an excluded span (boilerplate lines) and none crosses
    a line break: every line ends any sentence. See the module docstring for the rules.
    """
    sentences: list[Span] = []
    for segment in _segments(text, exclude):
        sentences.extend(_split_segment(text, segment.start, segment.end))
    return sentences


def word_spans(text: str, within: Span | None = None) -> list[Span]:
    """Words as sorted spans: runs of letters and digits with inner apostrophes and hyphens.

    ``NATO’s``, ``de-escalation``, ``9-10`` and ``60,000`` are one word each; punctuation is not
    a word. With ``within``, the words that overlap it, whole: a word is never cut by the edges
    of ``within`` (so a selection that starts mid-word snaps to the word's start).
    """
    if within is None:
        return [Span(m.start(), m.end()) for m in _WORD_RE.finditer(text)]
    if within.start >= within.end:
        return []
    start, end = _to_whitespace(text, within)
    return [
        Span(m.start(), m.end())
        for m in _WORD_RE.finditer(text, start, end)
        if m.start() < within.end and m.end() > within.start
    ]


def _to_whitespace(text: str, within: Span) -> tuple[int, int]:
    """``within`` widened to the whitespace around it. Words and trim units never contain
    whitespace, so this finds the whole ones at its edges without scanning from the start."""
    start = min(within.start, len(text))
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(within.end, len(text))
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def trim_units(text: str, within: Span) -> list[Span]:
    """What a selection's edges move by when trimmed word by word: each word with the
    punctuation and quote marks written against it (``“serious”,``, ``warned.``, ``(NATO’s)``),
    so a trim never leaves a closing quote or full stop behind. Runs of punctuation alone (a
    dash between spaces) are not units. Like :func:`word_spans`, units overlapping ``within``
    are returned whole."""
    if within.start >= within.end:
        return []
    start, end = _to_whitespace(text, within)
    return [
        Span(m.start(), m.end())
        for m in _UNIT_RE.finditer(text, start, end)
        if m.start() < within.end and m.end() > within.start and _WORD_RE.search(m.group())
    ]


_UNIT_RE = re.compile(r"\S+")


def trimmed(text: str, span: Span) -> Span:
    """``span`` without the whitespace at its edges (``span`` itself if nothing else is in it).

    Given an article's :attr:`~tui.model.Article.plain` text, where markup is blanked, this
    takes markup off the edges of a passage too (a suggested passage never starts on ``**``).
    """
    return _trim(text, span.start, min(span.end, len(text))) or span


def _segments(text: str, exclude: Sequence[Span]) -> list[Span]:
    """Trimmed, non-empty pieces of lines that lie outside every excluded span."""
    cuts = sorted((s.start, s.end) for s in exclude if s.end > s.start)
    pieces: list[Span] = []
    position = 0
    length = len(text)
    cut_index = 0
    while position < length:
        newline = text.find("\n", position)
        line_end = length if newline < 0 else newline
        start = position
        while start < line_end:
            while cut_index < len(cuts) and cuts[cut_index][1] <= start:
                cut_index += 1
            if cut_index < len(cuts) and cuts[cut_index][0] < line_end:
                cut_start, cut_end = cuts[cut_index]
                if cut_start <= start:
                    start = cut_end
                    continue
                piece_end = cut_start
            else:
                piece_end = line_end
            trimmed = _trim(text, start, piece_end)
            if trimmed is not None:
                pieces.append(trimmed)
            start = piece_end
        position = line_end + 1
    return pieces


def _trim(text: str, start: int, end: int) -> Span | None:
    """``[start, end)`` without leading and trailing whitespace, or None if nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def _split_segment(text: str, start: int, end: int) -> list[Span]:
    """Split one trimmed piece of a line into trimmed sentences."""
    spans: list[Span] = []
    sentence_start = start
    for match in _END_RE.finditer(text, start, end):
        stop = match.end()
        if stop >= end:
            break
        punct_end = match.end()
        while punct_end > match.start() and text[punct_end - 1].isspace():
            punct_end -= 1
        spaced = punct_end < stop
        if _is_boundary(text, match.start(), punct_end, stop, end, spaced):
            trimmed = _trim(text, sentence_start, punct_end)
            if trimmed is not None:
                spans.append(trimmed)
            sentence_start = stop
    trimmed = _trim(text, sentence_start, end)
    if trimmed is not None:
        spans.append(trimmed)
    return spans


def _is_boundary(
    text: str, punct_start: int, punct_end: int, next_start: int, end: int, spaced: bool
) -> bool:
    """Whether a sentence ends at ``punct_end`` given what surrounds the terminators."""
    nxt = next_start
    # Skip opening quotes and brackets to the first character of the next sentence.
    while nxt < end and text[nxt] in _OPENERS:
        nxt += 1
    if nxt >= end:
        return False
    first = text[nxt]
    terminators = text[punct_start:punct_end].rstrip(_CLOSERS)
    if any(c in _UNSPACED_TERMINATORS for c in terminators):
        return True
    # A capital, or a letter of a script without case (Hebrew, Arabic...), starts a sentence.
    starts_sentence = first.isupper() or (first.isalpha() and not first.islower())
    if not (starts_sentence or (first.isdigit() and spaced)):
        return False
    closed = len(terminators) < punct_end - punct_start
    if closed and spaced and terminators[-1] in "?!" and _is_attribution(text, nxt, end):
        return False
    if terminators != ".":
        # "?", "!", "…" or "..." : a boundary when a capital or quote follows.
        return spaced or closed
    token = _token_before(text, punct_start)
    if not spaced and not closed:
        # Scraped text that lost its space ("the call.The White House"): split only between a
        # real word and a capitalised word, never inside "U.S.A" or "Dec.7".
        word_after = _WORD_AFTER_RE.match(text, nxt)
        return (
            len(token) >= 2
            and "." not in token
            and any(c.islower() for c in token)
            and token.lower() not in _ABBREVIATIONS
            and first.isupper()
            and word_after is not None
            and len(word_after.group(0)) >= 2
            and any(c.islower() for c in word_after.group(0))
        )
    if not token or closed:
        return True
    lowered = token.lower()
    is_acronym = "." in token or (len(token) == 1 and token.isalpha())
    if lowered in _ABBREVIATIONS and not is_acronym:
        if lowered in _SENTENCE_FINAL_ABBREVIATIONS:
            return _next_word_opens_sentence(text, nxt)
        return False
    if is_acronym:
        if len(token) == 1:
            return False  # an initial: "J. Smith"
        return _next_word_opens_sentence(text, nxt)
    return True


def _is_attribution(text: str, position: int, end: int) -> bool:
    """Whether ``position`` starts "Putin asked" / "White House Press Secretary Jen Psaki said"."""
    match = _ATTRIBUTION_RE.match(text, position, end)
    if match is None:
        return False
    words = match.group(1).split()
    return (
        words[0].lower() not in _SENTENCE_OPENERS
        and words[0][0].isupper()
        and words[-1][0].isupper()
    )


def _token_before(text: str, position: int) -> str:
    """The run of letters, digits and inner dots just before ``position`` ("U.S", "Mr", "call").

    A backward scan rather than a regex search: a search anchored at the end would try every
    start in the window, which made one dotted abbreviation after another cost 6 µs each.
    """
    start = position
    limit = max(0, position - _LONGEST_TOKEN)
    while start > limit and (text[start - 1].isalnum() or text[start - 1] == "."):
        start -= 1
    return text[start:position].lstrip(".")


def _next_word_opens_sentence(text: str, position: int) -> bool:
    word = _WORD_AFTER_RE.match(text, position)
    return word is not None and word.group(0).lower() in _SENTENCE_OPENERS
