"""The data model every part of newsmark shares: tags, articles, spans and annotations.

This module is the contract. It imports nothing from Textual and nothing from the rest of the
package, so that scripts, tests and the command line can use it without a terminal.

Offsets are Python ``str`` indices (code points) into an article's *normalised* text — see
:func:`tui.corpus.normalise` — everywhere, always. Spans are half-open: ``text[start:end]``.
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

#: How many characters of context an annotation keeps on each side, for re-anchoring.
CONTEXT_CHARS = 32


def text_sha256(text: str) -> str:
    """The sha256 (hex) of a normalised text, encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def utc_now() -> str:
    """The current time as ISO 8601 UTC with a ``Z`` suffix, to the millisecond."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


#: The longest annotator name, in characters: a person's or a team's name, not a sentence.
MAX_ANNOTATOR_CHARS = 64


def annotator_name(raw: str) -> str:
    """``raw`` as an annotator name: trimmed, NFC, 1 to :data:`MAX_ANNOTATOR_CHARS` characters.

    Every surface that names an annotator (``--annotator``, ``NEWSMARK_ANNOTATOR``, a served
    page's ``?annotator=``, the served app's first screen) goes through this one check, so one
    person is one name everywhere. NFC, because "José" typed on two keyboards must be one
    annotator. Raises :class:`ValueError` with a sentence saying what is wrong.
    """
    name = unicodedata.normalize("NFC", raw.strip())
    if not name:
        raise ValueError("the annotator name is empty; give a name such as alice")
    if len(name) > MAX_ANNOTATOR_CHARS:
        raise ValueError(f"the annotator name is {len(name)} characters long; "
                         f"use at most {MAX_ANNOTATOR_CHARS}")
    for char in name:
        # Control and format characters (escape sequences, bidi overrides, zero-width marks)
        # and line breaks would make one name look like another, or break a terminal.
        if unicodedata.category(char)[0] == "C" or unicodedata.category(char) in ("Zl", "Zp"):
            raise ValueError(f"the annotator name holds the invisible character U+{ord(char):04X};"
                             " use letters, digits, spaces and punctuation")
    return name


def blank_out(text: str, spans: Sequence[Span]) -> str:
    """``text`` with the characters of ``spans`` turned to spaces (newlines stay newlines), so
    that offsets into the result are offsets into ``text``."""
    if not spans:
        return text
    pieces: list[str] = []
    position = 0
    for span in sorted(spans):
        if span.end <= position:
            continue
        start = max(span.start, position)
        pieces.append(text[position:start])
        pieces.append(_NOT_NEWLINE.sub(" ", text[start : span.end]))
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


_NOT_NEWLINE = re.compile(r"[^\n]")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of code points in a normalised text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if type(self.start) is not int or type(self.end) is not int:
            # (an offset read from a numpy array: a span holds Python ints, which the compiled
            # modules insist on, see setup.py; index() refuses what is not an integer)
            object.__setattr__(self, "start", operator.index(self.start))
            object.__setattr__(self, "end", operator.index(self.end))
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}:{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True if the two spans share at least one code point."""
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class TagDef:
    """One tag: its name, the key that applies it, a colour and a one-line description.

    ``number`` is the digit key (1–9) that also applies it; ``marker`` is a single glyph used where
    colour is not available (16 colours, ``NO_COLOR``). ``key`` may be ``""`` (number key only).
    ``colour`` is a colour Rich understands: a standard or 256-colour name (``"red"``,
    ``"color(33)"``) or ``"#rrggbb"``.
    """

    name: str
    key: str
    number: str
    colour: str
    description: str
    marker: str
    #: What newsmark does with the tag besides showing it: ``"schedule"`` (its passages are
    #: the timeline's, see :attr:`tui.config.Config.schedule_tag`), or ``""``.
    role: str = ""

    @property
    def hex_colour(self) -> str:
        """The colour as ``#rrggbb`` (for exports such as brat and Label Studio, which need CSS).

        Standard colours are converted with Rich's default terminal palette.
        """
        from rich.color import Color  # only exports need it: keep the model import-light

        return Color.parse(self.colour).get_truecolor().hex


@dataclass(frozen=True)
class Article:
    """One source file, read and normalised. The file itself is never modified.

    ``text`` is the normalised text every offset refers to: the file's text for ``.txt`` and
    ``.md``, the extracted main text of a saved web page, the text field of a dump's record.
    ``boilerplate`` lists the spans judged to be navigation junk, share buttons, comment forms,
    teaser blocks, a dateline glued to the first sentence and the like (whole lines, or the
    head of a line): shown dimmed, never deleted, never part of a sentence. ``markup`` lists the
    spans of markup characters inside prose (Markdown's ``#``, bullets, emphasis marks, link
    targets): shown dimmed, never at the edge of a sentence or passage, but a sentence may run
    across them. ``problems`` holds short human-readable notes about the file (e.g. invalid
    UTF-8 replaced); empty when all is well. ``kind`` says how the text was read (``txt``,
    ``md``, ``html``, ``jsonl``; a ``.json`` list dump is ``jsonl`` too); ``url`` and
    ``author`` are the page's or record's own, when known.
    """

    id: str
    path: Path
    text: str
    title: str = ""
    outlet: str = ""
    date: str = ""  # ISO "YYYY-MM-DD" when known, else ""
    boilerplate: tuple[Span, ...] = ()
    problems: tuple[str, ...] = ()
    sha256: str = field(default="")
    kind: str = "txt"
    url: str = ""
    author: str = ""
    markup: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        if not self.sha256:
            object.__setattr__(self, "sha256", text_sha256(self.text))

    @cached_property
    def plain(self) -> str:
        """The text with every markup span blanked out, code point for code point (so offsets
        into it are offsets into :attr:`text`): what sentences and words are found in, so that
        no sentence, word or trimmed passage begins or ends with a markup character. The text
        itself when there is no markup."""
        return blank_out(self.text, self.markup)

    def metadata(self) -> dict[str, str]:
        """Title, outlet and date, as exported."""
        return {"title": self.title, "outlet": self.outlet, "date": self.date}


@dataclass(frozen=True)
class Annotation:
    """A tagged passage of one article.

    ``text`` is the quoted passage, always equal to ``article.text[start:end]`` for the text whose
    hash is ``text_sha256``. ``prefix``/``suffix`` are up to :data:`CONTEXT_CHARS` characters
    before and after, kept so the passage can be found again if the article changes.
    ``anchor`` is ``"exact"`` normally; re-anchoring may set ``"fuzzy"`` or ``"orphan"``.
    An annotation made by accepting a suggestion records its provenance: ``source`` (the
    suggester's name, e.g. ``"rules"``), ``score`` (0–1) and, for a schedule, ``when`` (the
    resolved date(s), ISO 8601); a hand-made one has ``""``, None and ``""``. An annotation of
    a curated set (``newsmark adjudicate``) records ``adjudicated_from``: the annotators whose
    annotations it was taken from, sorted (empty elsewhere).
    """

    id: str
    article_id: str
    start: int
    end: int
    tag: str
    text: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""
    annotator: str = ""
    created: str = ""
    modified: str = ""
    text_sha256: str = ""
    anchor: str = "exact"
    source: str = ""
    score: float | None = None
    when: str = ""
    adjudicated_from: tuple[str, ...] = ()

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @classmethod
    def new(
        cls,
        article: Article,
        span: Span,
        tag: str,
        *,
        annotator: str,
        note: str = "",
        now: str | None = None,
        id: str | None = None,
    ) -> Annotation:
        """Make a fresh annotation of ``span`` in ``article``, with quote and context filled in."""
        if span.end > len(article.text) or span.start >= span.end:
            raise ValueError(
                f"span {span.start}:{span.end} is not inside article {article.id!r} "
                f"(0:{len(article.text)})"
            )
        stamp = now or utc_now()
        text = article.text
        return cls(
            id=id or str(uuid.uuid4()),
            article_id=article.id,
            start=span.start,
            end=span.end,
            tag=tag,
            text=text[span.start : span.end],
            prefix=text[max(0, span.start - CONTEXT_CHARS) : span.start],
            suffix=text[span.end : span.end + CONTEXT_CHARS],
            note=note,
            annotator=annotator,
            created=stamp,
            modified=stamp,
            text_sha256=article.sha256,
        )

    def changed(self, **changes: Any) -> Annotation:
        """A copy with ``changes`` applied and ``modified`` set to now (unless given)."""
        changes.setdefault("modified", utc_now())
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """A plain JSON-ready dict (the native record)."""
        # What asdict gives (every field is a str or an int), without its recursive deep copy:
        # exporting 100 000 annotations spent 1.5 s there.
        return {name: getattr(self, name) for name in _ANNOTATION_FIELDS}

    def to_record(self) -> dict[str, Any]:
        """:meth:`to_dict` without the provenance fields a hand-made annotation leaves at
        their defaults: what the store writes, so shards of hand-made annotations stay
        byte for byte what they were before provenance existed."""
        record = self.to_dict()
        for name in PROVENANCE_FIELDS:
            if record[name] == _PROVENANCE_DEFAULTS[name]:
                del record[name]
        if "adjudicated_from" in record:
            record["adjudicated_from"] = list(record["adjudicated_from"])  # as JSON reads back
        return record

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Annotation:
        """Build from a native record; unknown keys are ignored, missing optional ones default."""
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in data.items() if k in known}
        if "adjudicated_from" in values:  # JSON has a list; the frozen model keeps a tuple
            values["adjudicated_from"] = tuple(values["adjudicated_from"])
        return cls(**values)


_ANNOTATION_FIELDS = tuple(Annotation.__dataclass_fields__)
#: The fields an accepted suggestion or an adjudication fills (see :class:`Annotation`).
PROVENANCE_FIELDS = ("source", "score", "when", "adjudicated_from")
_PROVENANCE_DEFAULTS = {name: Annotation.__dataclass_fields__[name].default
                        for name in PROVENANCE_FIELDS}


def sort_key(annotation: Annotation) -> tuple[int, int, str, str]:
    """Text order: by start, longer (outer) first, then tag and id for a stable order."""
    return (annotation.start, -annotation.end, annotation.tag, annotation.id)
