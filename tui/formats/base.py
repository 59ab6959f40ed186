"""What every format module shares: the export item, options, errors, offsets and placement.

Nothing here knows a particular format. The registry in :mod:`tui.formats` ties them together.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from tui.anchoring import reanchor
from tui.errors import UserFacingError
from tui.model import CONTEXT_CHARS, Annotation, Article, sort_key, text_sha256, utc_now

if TYPE_CHECKING:
    from tui.corpus import ArticleInfo
    from tui.links import Link

__all__ = [
    "CODEPOINTS",
    "UTF16",
    "ExportItem",
    "ExportOptions",
    "FormatError",
    "ImportResult",
    "OffsetIndex",
    "derived_id",
    "place_in_article",
    "place_from_text",
]

#: Offset units. Code points are newsmark's own (Python ``str`` indices into the normalised
#: text); UTF-16 code units are what JavaScript's ``String.length`` counts.
CODEPOINTS = "codepoints"
UTF16 = "utf16"
OFFSET_UNITS = (CODEPOINTS, UTF16)

#: The namespace of ids derived for annotations that come from a format without ids (doccano).
_NAMESPACE = uuid.UUID("5b0f6d4e-7c1a-4a57-9a55-6e657773a3a1")


class FormatError(UserFacingError):
    """A problem with an export or import the user can fix; ``str()`` is one line."""


@dataclass(frozen=True)
class ExportItem:
    """One article and the annotations of it to export (any order; exports sort them), and
    the analysts' links to it (:class:`tui.links.Link`; the native JSON carries them)."""

    article: Article
    annotations: tuple[Annotation, ...]
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class ExportOptions:
    """How to export.

    ``offsets``: ``"codepoints"`` (the default, newsmark's own) or ``"utf16"`` for consumers
    that count UTF-16 code units (JavaScript); only the formats that say so accept it.
    ``bom``: start a CSV file with a UTF-8 byte order mark, so that Excel reads it as UTF-8.
    ``include_text``: put each article's full text in the native JSON (default yes).
    ``source_base``: W3C only; the article IRI becomes ``source_base`` + the percent-encoded
    article id, instead of the article file's ``file:`` URI.
    ``progress``: show a progress bar on stderr: True, False, or None for "when stderr is a
    terminal".
    """

    offsets: str = CODEPOINTS
    bom: bool = False
    include_text: bool = True
    source_base: str | None = None
    progress: bool | None = None


@dataclass
class ImportResult:
    """What an import found: annotations placed in the corpus's articles, and problems.

    ``annotations`` are ready to store: their offsets refer to the corpus's current text, or
    they are marked ``anchor="orphan"`` (kept, never moved to a lookalike). ``problems`` are one
    line each, for annotations (and links) that could not be imported at all (no such article,
    bad record).
    """

    format: str
    annotations: list[Annotation] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: The analysts' verdicts on the compare matrix (native JSON only), re-anchored against
    #: the corpus's current text like the annotations.
    links: list[Link] = field(default_factory=list)


class CorpusLike(Protocol):
    """What an import needs of a corpus: its articles' infos, one article by id, and (to find
    an article by its text) every article, loaded."""

    @property
    def infos(self) -> tuple[ArticleInfo, ...]: ...

    def get(self, article_id: str) -> Article | None: ...

    def load_all(self) -> tuple[Article, ...]: ...


# ------------------------------------------------------------------------------ offsets


class OffsetIndex:
    """Converts between code point offsets and UTF-16 code unit offsets in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Only characters beyond U+FFFF (emoji, rare CJK) take two UTF-16 units: without them
        # both counts agree and no table is needed.
        self._units: list[int] | None = None
        # (max() walks the text in C: a generator over every character cost a second for
        # the 1 000 articles of a 100 000-annotation export.)
        if not text.isascii() and max(text) > "\uffff":
            units = [0]
            for char in text:
                units.append(units[-1] + (2 if ord(char) > 0xFFFF else 1))
            self._units = units

    def to_units(self, offset: int, unit: str) -> int:
        """The code point ``offset`` counted in ``unit``."""
        if unit == CODEPOINTS or self._units is None:
            return offset
        return self._units[offset]

    def from_units(self, offset: int, unit: str) -> int | None:
        """The code point offset of ``offset`` counted in ``unit``; None if it falls inside a
        character (half of a surrogate pair) or outside the text."""
        if unit == CODEPOINTS or self._units is None:
            return offset if 0 <= offset <= len(self.text) else None
        at = bisect_left(self._units, offset)
        if at < len(self._units) and self._units[at] == offset:
            return at
        return None

    def slice(self, start: int, end: int, unit: str) -> str:
        """The text between two offsets counted in ``unit`` (as the consumer would cut it)."""
        if unit == CODEPOINTS or self._units is None:
            return self.text[start:end]
        encoded = self.text.encode("utf-16-le", "surrogatepass")
        return encoded[2 * start : 2 * end].decode("utf-16-le", "surrogatepass")


def check_offsets(name: str, options: ExportOptions, *, utf16: bool) -> None:
    """Refuse an offset unit the format ``name`` does not offer."""
    if options.offsets not in OFFSET_UNITS:
        raise FormatError(
            f"unknown offset unit {options.offsets!r}; use one of: {', '.join(OFFSET_UNITS)}"
        )
    if options.offsets == UTF16 and not utf16:
        raise FormatError(
            f"the {name} format counts code points only; drop --offsets utf16 "
            "(it is for jsonl, csv, doccano and labelstudio)"
        )


# ------------------------------------------------------------------------------ placing


def derived_id(*parts: object) -> str:
    """A stable id for an annotation that arrives without one, so re-importing it is a no-op."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(part) for part in parts)))


def place_in_article(
    article: Article,
    start: int,
    end: int,
    quote: str | None,
    *,
    id: str,
    tag: str,
    prefix: str = "",
    suffix: str = "",
    note: str = "",
    annotator: str = "",
    created: str = "",
    modified: str = "",
) -> Annotation:
    """An annotation from offsets meant for ``article``'s own text, with the quote they claim.

    If the quote is what the text holds at those offsets (or no quote is given and the offsets
    are inside the text), it is exact there. Otherwise the text has changed since: it is
    re-anchored by quote, context and position (see :mod:`tui.anchoring`).
    """
    text = article.text
    stamp = created or modified or utc_now()
    in_text = 0 <= start < end <= len(text)
    if in_text and (quote is None or text[start:end] == quote):
        return Annotation(
            id=id,
            article_id=article.id,
            start=start,
            end=end,
            tag=tag,
            text=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            note=note,
            annotator=annotator,
            created=created or stamp,
            modified=modified or stamp,
            text_sha256=article.sha256,
        )
    candidate = Annotation(
        id=id,
        article_id=article.id,
        start=max(0, start),
        end=max(0, start, end),
        tag=tag,
        text=quote or "",
        prefix=prefix,
        suffix=suffix,
        note=note,
        annotator=annotator,
        created=created or stamp,
        modified=modified or stamp,
        text_sha256="",
    )
    return reanchor(candidate, article)


def place_from_text(
    article: Article,
    source_text: str,
    start: int,
    end: int,
    *,
    id: str,
    tag: str,
    note: str = "",
    annotator: str = "",
    created: str = "",
    modified: str = "",
) -> Annotation:
    """An annotation from code point offsets into ``source_text``, the copy another tool saw.

    When that copy is the article's text, the offsets are used as they are. Otherwise (another
    normalisation, a slightly different version) the quote and context are cut from the copy
    and the passage is re-anchored in the article.
    """
    from tui.corpus import normalise  # late: corpus imports more than an import needs

    if source_text == article.text:
        return place_in_article(
            article, start, end, None, id=id, tag=tag, note=note, annotator=annotator,
            created=created, modified=modified,
        )
    stamp = created or modified or utc_now()
    candidate = Annotation(
        id=id,
        article_id=article.id,
        start=start,
        end=end,
        tag=tag,
        text=normalise(source_text[start:end]),
        prefix=normalise(source_text[max(0, start - CONTEXT_CHARS) : start]),
        suffix=normalise(source_text[end : end + CONTEXT_CHARS]),
        note=note,
        annotator=annotator,
        created=created or stamp,
        modified=modified or stamp,
        text_sha256=text_sha256(normalise(source_text)),
    )
    return reanchor(candidate, article)


def find_article(
    corpus: CorpusLike, article_id: str | None, text: str | None = None
) -> Article | None:
    """The corpus article with ``article_id``; failing that, the one whose text is ``text``."""
    if article_id:
        found = corpus.get(article_id)
        if found is not None:
            return found
    if text is not None:
        from tui.corpus import normalise

        wanted = normalise(text)
        for article in corpus.load_all():
            if article.text == wanted:
                return article
    return None


def as_str(value: Any, default: str = "") -> str:
    """``value`` if it is a string, else ``default`` (imports meet every kind of JSON)."""
    return value if isinstance(value, str) else default


def as_offset(value: Any) -> int | None:
    """``value`` if it is a non-negative integer (not a bool), else None."""
    return value if type(value) is int and value >= 0 else None


def sorted_annotations(annotations: Iterable[Annotation]) -> list[Annotation]:
    """Annotations in text order (see :func:`tui.model.sort_key`)."""
    return sorted(annotations, key=sort_key)


def exportable(item: ExportItem) -> tuple[list[Annotation], list[Annotation]]:
    """An item's annotations fitted to the article's current text, split into those whose
    offsets refer to it (exact or fuzzy) and the orphans (whose offsets do not)."""
    placed, orphans = [], []
    for annotation in sorted_annotations(item.annotations):
        fitted = reanchor(annotation, item.article)
        (orphans if fitted.anchor == "orphan" else placed).append(fitted)
    return placed, orphans
