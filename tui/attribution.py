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


def cues(text: str) -> Cues:
    """The attribution and hedge cues of ``text``."""
    return Cues(tuple(m.group() for m in _ATTRIBUTION_RE.finditer(text)),
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
        cue = {w.casefold() for m in _ATTRIBUTION_RE.finditer(text, a, b)
               for w in m.group().split()}
        other = [w for w in words if w[0].islower() and w.casefold() not in STOPWORDS
                 and w.casefold() not in cue]
        if cue and len(words) <= FRAME_WORDS and len(other) <= FRAME_OTHER:
            found.append((a, b))
    return found
