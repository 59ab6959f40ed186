"""What an outlet did with a passage's attribution and hedges: kept, softened or dropped (no UI).

A tagged passage usually says who said it ("Ushakov said", "according to the Kremlin") and how
sure it is ("reportedly", "may"). When another outlet carries the passage, it can keep that,
*soften* it (add hedges: "reportedly", "is said to", "may"; or turn a claim into someone's
claim), or *drop* it (state as fact what the source attributed to someone). The cue classes:

* **attribution** — a verb of saying (said, says, told, stated, added, warned, claimed...) or a
  sourcing phrase (according to, cited, quoted, in a statement, sources);
* **hedges** — reportedly, allegedly, apparently, purportedly, is said to, is believed to,
  may, might, could, possibly, likely, unconfirmed, appears to, seems to.

:func:`attribution_change` compares the two passages: ``dropped`` when the source attributes
and the other does not; ``softened`` when the other adds hedges or an attribution the source
did not have; ``hardened`` when it drops hedges the source had (while keeping any attribution);
``kept`` otherwise. Words only, no parsing: the cue lists are the documented rule, general to
English news, not tuned to any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CHANGES", "FRAME_WORDS", "Cues", "attribution_change", "cues", "frames"]

#: What :func:`attribution_change` can say.
CHANGES = ("kept", "softened", "hardened", "dropped")

_SAYING = (
    r"said|says|say|saying|told|tells|tell|stated|states|added|adds|warned|warns|claimed|claims"
    r"|insisted|insists|announced|announces|noted|notes|stressed|stresses|emphasi[sz]ed"
    r"|emphasi[sz]es|asserted|asserts|declared|declares|argued|argues|explained|explains"
    r"|replied|responded|answered|wrote|writes|tweeted|confirmed|confirms|denied|denies"
    r"|suggested|suggests|acknowledged|acknowledges|admitted|admits|alleged|alleges|reported"
)
_ATTRIBUTION_RE = re.compile(
    rf"\b(?:{_SAYING})\b|\baccording to\b|\bcited\b|\bquoted\b|\bin a statement\b"
    r"|\bsources?\b|\bspokes(?:man|woman|person)\b",
    re.IGNORECASE,
)
#: Verbs of saying that are also plural nouns ("the report states that" / "the United
#: States", "Moscow claims" / "these claims"): a noun where the word before is a determiner,
#: a possessive, a number or quantifier, or a modifier of such nouns (see _is_noun_here).
_ALSO_NOUNS = frozenset({"states", "claims", "notes"})
_NOUN_BEFORE = frozenset(
    "a an the these those this that its their his her our my your such many several some "
    "all both other any no few two three four five six seven eight nine ten dozen "
    "united member former soviet gulf arab nato eu nuclear neighbouring neighboring "
    "sovereign independent allied island rival false unfounded baseless new latest "
    "earlier previous repeated similar".split())
_WORD_BEFORE_RE = re.compile(r"([^\W_]+)[^\w]*$")
#: Modifiers by their endings (Baltic, Western, European, Asian, Scandinavian...).
_MODIFIER_ENDINGS = ("ern", "ic", "ian", "ean", "ese", "ish")
_HEDGE_RE = re.compile(
    r"\b(?:reportedly|allegedly|apparently|purportedly|supposedly|possibly|probably|perhaps"
    r"|likely|unlikely|unconfirmed|may|might|could)\b"
    r"|\b(?:is|are|was|were) (?:said|believed|thought|understood|reported|alleged) to\b"
    r"|\b(?:appears?|appeared|seems?|seemed) to\b",
    re.IGNORECASE,
)


#: A piece of a passage is its attribution *frame* ("White House Press Secretary Jen Psaki
#: said in a statement", "according to the Kremlin") when it holds a cue of attribution, has
#: at most :data:`FRAME_WORDS` words and at most :data:`FRAME_OTHER` other words that are not
#: names (capitalised), function words or the cue itself ("press secretary", "an aide").
FRAME_WORDS = 12
FRAME_OTHER = 3
# Where a passage divides into pieces: , ; : and dashes followed by a space, a spaced hyphen,
# and quotation marks that open or close a quote inside it.
_PIECE_BREAK_RE = re.compile(r"[,;:—–]\s+|\s+[-–—]\s+|(?<=[”\"»])\s+|\s+(?=[“\"«])")
_WORD_RE = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")


@dataclass(frozen=True)
class Cues:
    """The attribution and hedge cues found in a passage (as written, in order)."""

    attribution: tuple[str, ...]
    hedges: tuple[str, ...]


def _attributions(text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    """The cues of attribution in ``text[start:end]``, without the nouns among them."""
    stop = len(text) if end is None else end
    return [m for m in _ATTRIBUTION_RE.finditer(text, start, stop)
            if not _is_noun_here(text, m, start)]


def _is_noun_here(text: str, match: re.Match[str], start: int) -> bool:
    """Whether the cue ``match`` is one of :data:`_ALSO_NOUNS` used as a noun (by the word
    before it)."""
    if match.group().casefold() not in _ALSO_NOUNS:
        return False
    before = _WORD_BEFORE_RE.search(text, max(start, match.start() - 40), match.start())
    if before is None:
        return False
    word = before.group(1).casefold()
    return word in _NOUN_BEFORE or word.isdigit() or (
        len(word) > 4 and word.endswith(_MODIFIER_ENDINGS))


def cues(text: str) -> Cues:
    """The attribution and hedge cues of ``text``."""
    return Cues(tuple(m.group() for m in _attributions(text)),
                tuple(m.group() for m in _HEDGE_RE.finditer(text)))


def attribution_change(source: str, other: str) -> tuple[str, Cues, Cues]:
    """What ``other`` did with ``source``'s attribution and hedges (one of :data:`CHANGES`),
    and the cues of each."""
    mine, theirs = cues(source), cues(other)
    if mine.attribution and not theirs.attribution:
        change = "dropped"
    elif len(theirs.hedges) > len(mine.hedges) or (theirs.attribution and not mine.attribution):
        change = "softened"
    elif len(theirs.hedges) < len(mine.hedges):
        change = "hardened"
    else:
        change = "kept"
    return change, mine, theirs


def frames(text: str) -> list[tuple[int, int]]:
    """The attribution frames of ``text``: the pieces (between commas, semicolons, colons,
    dashes and quotation marks) that say who said it and hold little else (see
    :data:`FRAME_WORDS`), as ``(start, end)`` offsets.

    A passage that is one piece has no frame (it is all it says). The compare matrix weighs a
    frame's words less (:mod:`tui.compare`): another outlet's "Psaki said in a statement" is
    not the passage.
    """
    pieces: list[tuple[int, int]] = []
    position = 0
    for found in _PIECE_BREAK_RE.finditer(text):
        pieces.append((position, found.start()))
        position = found.end()
    pieces.append((position, len(text)))
    pieces = [(a, b) for a, b in pieces if _WORD_RE.search(text, a, b)]
    if len(pieces) < 2:
        return []
    from .lexical import STOPWORDS

    found = []
    for a, b in pieces:
        words = [w.group() for w in _WORD_RE.finditer(text, a, b)]
        cue = {w.casefold() for m in _attributions(text, a, b) for w in m.group().split()}
        other = [w for w in words if w[0].islower() and w.casefold() not in STOPWORDS
                 and w.casefold() not in cue]
        if cue and len(words) <= FRAME_WORDS and len(other) <= FRAME_OTHER:
            found.append((a, b))
    return found
