"""Reading article files: decoding, the one normalisation, metadata guesses and boilerplate.

Every offset in newsmark refers to the text returned by :func:`normalise` (via :func:`decode`):
CRLF and lone CR become LF, then the text is put in Unicode NFC. Source files are only ever
read, never written.

Boilerplate (navigation junk, share buttons, comment forms, promos, photo credits) is detected
line by line with the documented patterns in :data:`BOILERPLATE_PATTERNS`; it is shown dimmed and
kept out of sentences, never deleted. The patterns are deliberately narrow: a line is marked only
when it is, as a whole, one of the known shapes, so that no real prose sentence is marked.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import json
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date as Date
from pathlib import Path
from typing import Any

import orjson

from tui.editing import shorten
from tui.model import Article, Span, blank_out
from tui.sentences import paragraph_spans, sentence_spans

from . import dumps
from .durable import atomic_write
from .errors import UserFacingError
from .pages import ExtractionCache, PageError, read_page

__all__ = [
    "BOILERPLATE_PATTERNS",
    "ARTICLE_SUFFIXES",
    "ArticleInfo",
    "Corpus",
    "CorpusCache",
    "CorpusError",
    "Skipped",
    "boilerplate_spans",
    "bundled_seeds",
    "decode",
    "default_corpus_paths",
    "guess_metadata",
    "is_binary",
    "load_article",
    "load_corpus",
    "normalise",
]


def _lazy(pattern: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regex compiled the first time it is used (``_lazy(...)()`` gives the pattern).

    The boilerplate and metadata patterns take tens of milliseconds to compile; a launch whose
    articles are all in the corpus cache (their metadata and boilerplate remembered) never
    runs them, so it does not pay for them.
    """
    return functools.cache(lambda: re.compile(pattern, flags))


#: File suffixes read as articles when a folder is searched (compared case-insensitively):
#: plain text, Markdown, saved web pages, and scraper dumps (many articles in one file).
ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".json")
#: How each suffix is read (the ``kind`` of its articles); any other file given by name is text.
KINDS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
         ".jsonl": "jsonl", ".json": "jsonl"}
#: The suffix of a metadata sidecar: ``<stem>.meta.json`` next to ``<stem>.txt``.
SIDECAR_SUFFIX = ".meta.json"
_SIDECAR_KEYS = ("title", "outlet", "date", "url", "author")
_BINARY_PROBE = 8192
_TITLE_MAX_CHARS = 120
_SHORT_TITLE_CHARS = 80
# Title and leading dates are looked for in the head of the text only (cheap on a huge file).
_HEAD_CHARS = 20_000


class CorpusError(UserFacingError):
    """A user-facing problem with a path (missing, unreadable, binary, a bad sidecar).

    ``str(error)`` is one line naming the path and saying what to do.
    """


# --------------------------------------------------------------------------- decoding


def normalise(text: str) -> str:
    """The one normalisation every offset refers to: CRLF and lone CR become LF, then NFC.

    Idempotent: ``normalise(normalise(t)) == normalise(t)``.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")


def decode(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode file bytes to the normalised text, and a tuple of problems found on the way.

    A UTF-8 byte order mark is dropped. Bytes that are not valid UTF-8 become U+FFFD, one per
    byte, and are reported as a problem; the text is then :func:`normalise`\\ d.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    problems: list[str] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # surrogateescape maps each invalid byte to one lone surrogate, so counting them counts
        # bytes exactly and in C speed, where a retry loop would be quadratic on a Latin-1 file.
        escaped = raw.decode("utf-8", "surrogateescape")
        first = _ESCAPED_BYTE_RE.search(escaped)
        count = len(_ESCAPED_BYTE_RE.findall(escaped))
        line = normalise(escaped[: first.start()]).count("\n") + 1 if first else 1
        text = _ESCAPED_BYTE_RE.sub("\ufffd", escaped)
        plural = "byte" if count == 1 else "bytes"
        problems.append(
            f"invalid UTF-8: {count} {plural} replaced with U+FFFD (first on line {line}); "
            "save the file as UTF-8 to fix"
        )
    return normalise(text), tuple(problems)


def is_binary(raw: bytes) -> bool:
    """True if the bytes look binary: a NUL byte in the first 8 KiB."""
    return b"\x00" in raw[:_BINARY_PROBE]


# --------------------------------------------------------------------------- boilerplate

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# The date shapes read from articles; every one has named groups y, m (or mon) and d.
_DATE_SHAPES = (
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon1>{_MONTH}),?\s+(?P<y1>\d{{4}})",  # 31 Dec, 2021
    rf"(?P<mon2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})",  # Dec 31, 2021
    r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})",  # 2021-12-31 (ISO)
    r"(?P<d4>\d{1,2})\.(?P<m4>\d{1,2})\.(?P<y4>\d{4})",  # 31.12.2021 (European)
)
_DATE = "(?:" + "|".join(_DATE_SHAPES) + ")"
# Not inside a longer number or word; an ISO time ("2021-12-31T10:00Z") may follow.
_DATE_RE = _lazy(rf"(?<![\w.-]){_DATE}(?!-|\.\d|(?!T\d)\w)", re.IGNORECASE)
_TIME = (
    r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|[A-Z]{2,4}))?"
    r"|(?<=\d)T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)"
)
_DATE_LABEL = r"(?:date|published|updated|posted|last updated)(?:\s+on)?\s*:?"
_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|e-mail|vk"
    r"|print|copy link|messenger|flipboard|tumblr|mail)"
)
# A person's or place's name in a byline: one to four capitalised words.
# Case-sensitive inside the case-insensitive patterns: "By the end of the week" is prose.
_NAME = r"(?-i:[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|bin|al|da|di|la|le)){0,3})"
_AGE = r"\d+\s*(?:mths?|months?|wks?|weeks?|days?|d|hrs?|hours?|h|yrs?|years?|mins?)(?:\s+ago)?"

#: The boilerplate patterns, as (name, regex). Each must match a whole line (stripped, case
#: insensitive) for the line to be boilerplate. Keep them narrow: they must never match prose.
BOILERPLATE_PATTERNS: tuple[tuple[str, str], ...] = (
    # RT-style icon font names scraped as text: "icon bookmark-bicon bookmarkicon cameraicon ..."
    ("icon list", r"icon\b(?:.*?icon){4,}.*"),
    ("edition switch", r"change edition"),
    ("source link", r"source link"),
    ("comment form", r"leave a (?:reply|comment)(?:\s+cancel reply)?"),
    ("comment form", r"your email address will not be published\.?(?:\s*required fields.*)?"),
    ("comment form", r"please enter your (?:comment|name|e-?mail(?: address)?)(?: here)?\s*[!.]?"),
    ("comment form", r"save my name,? e-?mail,? and website in this browser.*"),
    ("comment form", r"(?:post|submit) (?:a )?comment|\d+\s+comments?|comments?"),
    ("share buttons", rf"(?:share|post)\s+(?:(?:it|this)\s+)?(?:on|to|via)\s+{_SOCIAL}"),
    ("share buttons", r"tweet(?: this)?|share(?: this)?(?: article| story| page)?\s*:?"),
    ("share buttons", rf"{_SOCIAL}(?:\s*[|·•/,]?\s*{_SOCIAL})*"),
    (
        "related links",
        r"(?:related|latest|more|recommended|popular|top|trending)"
        r"\s+(?:posts|articles|stories|news|content|reads|topics|coverage|videos)",
    ),
    ("related links", r"more (?:on|about) this (?:topic|story|subject)"),
    ("related links", r"more from (?:the )?author|more from this author"),
    ("related links", r"read (?:more|also|next)(?:\s*[:»›>].{0,150})?"),
    ("related links", r"you (?:may|might) also (?:like|be interested in)\s*:?"),
    ("related links", r"most (?:read|popular|viewed)|trending(?: now)?|recommended(?: for you)?"),
    ("promo", r"want to stay up to date with (?:the latest|our) news\??"),
    ("promo", r"we would love to hear from you!.{0,200}"),
    ("promo", r"advertisement|sponsored(?: content)?|skip to (?:main )?content|subscribe"),
    # "Advertisement · Scroll to continue", "Story continues below advertisement"
    ("promo", r"(?:advertisement|ad)\s*[·|•:–-]?\s*(?:scroll (?:down )?to continue|continue "
              r"reading)(?: with content| below)?|story continues (?:below|after) "
              r"(?:this )?(?:advertisement|ad)"),
    ("photo credit", r"(?:photo|image|picture|pic|video|graphic)s?(?:\s+credits?)?\s*:\s*.{1,60}"),
    # A caption labelled as one: "Photo: The Ever Given is seen...", "Image caption, The canal..."
    ("photo caption", r"(?:(?:photo|image|picture)s?\s*:"
                      r"|(?:image|photo|video|media) caption\s*[:,]?)\s*.{1,250}"),
    # Credits under a wire story: "Reporting by A; Editing by B", "... contributed to this report."
    ("credits", rf"(?:additional )?(?:reporting|writing|editing) by {_NAME}[^.;]{{0,80}}"
                rf"(?:;\s*(?:additional )?(?:reporting|writing|editing|compiled|produced) by "
                rf"{_NAME}[^.;]{{0,80}})*\.?"),
    # A byline alone on its line: "By Aidan Lewis and Mahmoud Mourad", "By Sally Nabil, Cairo".
    ("byline", rf"by\s+{_NAME}(?:(?:,|\s+and|\s*&)\s+{_NAME})*(?:,\s*{_NAME})?"
               r"(?:\s*[·|•,–-]\s*.{1,40})?"),
    (
        "photo caption",
        r".{1,160}[.)]\s+(?:photo|image|picture)s?(?:\s+credits?)?\s*:\s*[\w/ .&,-]{1,40}",
    ),
    (
        "copyright",
        r"(?:©|\(c\)|copyright\s*(?:©|\(c\))|copyright(?=\s+\d{4}))"
        r"\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*[^!?]{0,80}",
    ),
    ("copyright", r".{0,80}all rights reserved\.?"),
    # "0 4 min 9 mths" (comments, reading time, age); "4 min. 31.12.2021 From our online archive"
    (
        "reading time",
        rf"(?:\d+\s+)?\d+\s*min(?:s|utes?)?\.?(?:\s+read)?"
        rf"(?:\s+(?:{_AGE}|{_DATE}(?:\s+from our (?:online )?archive)?))?",
    ),
    # A dateline alone on its line: "31 Dec, 2021 04:08", "Published: December 31, 2021".
    ("dateline", rf"(?:{_DATE_LABEL}\s*)?{_DATE}(?:,?\s*(?:at\s+)?{_TIME})?"
                 r"(?:\s*(?:updated|last updated|modified)\b.{0,40})?"),
)
# All the patterns as one alternation, tried in order by one C-level fullmatch per line instead
# of 27 Python-level calls (and compiled once: start-up pays for every regex compiled). The date
# shapes' named groups repeat across patterns, so they become plain groups here; group "bpN"
# tells which pattern matched.
_BOILERPLATE_ANY = _lazy(
    "|".join(
        f"(?P<bp{number}>{re.sub(r'[(][?]P<[a-z0-9_]+>', '(?:', pattern)})"
        for number, (_, pattern) in enumerate(BOILERPLATE_PATTERNS)
    ),
    re.IGNORECASE,
)
# A date at the very start of a line, possibly glued to prose (" date 2021-12-31 A phone call").
# Boilerplate spans are whole lines, so such a line stays prose; metadata still reads the date.
_LEADING_DATE_RE = _lazy(
    rf"\s*(?:{_DATE_LABEL}\s*)?{_DATE}(?:,?\s*(?:at\s+)?{_TIME})?(?=\s|$)[\s—–:|·-]*",
    re.IGNORECASE,
)
_MAX_BOILERPLATE_LINE = 600


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every line, without its newline."""
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


#: Patterns tried only on lines holding their cue (``needle``): each would cost a backtracking
#: scan of every prose line inside the alternation. (name, needle, regex), as above.
_PROMO = (r".{0,120}(?:has a new (?:mobile )?app|download (?:it |the app )?here!|"
          r"delivered to your inbox|sign up for (?:[\w-]+ ){0,3}newsletters?|"
          r"subscribe to (?:[\w-]+ ){0,3}newsletters?).{0,200}")
GUARDED_PATTERNS: tuple[tuple[str, str, str], ...] = (
    # "The Luxembourg Times has a new mobile app, download here! Get ... delivered to your inbox"
    *(("promo", needle, _PROMO) for needle in ("app", "inbox", "newsletter")),
    # "Associated Press writers in Cairo contributed to this report."
    ("credits", "contribut", r".{0,160}\bcontributed (?:to )?(?:this |the )?(?:report|story"
                             r"|article|reporting)\.?"),
    # Breadcrumbs: "Home » World", "News > World > Middle East".
    *(("navigation", separator, r"(?:[\w&'’.-]+(?: [\w&'’.-]+){0,2}\s*(?:[»›>]|\s/\s)\s*)"
       r"{1,5}[\w&'’.-]+(?: [\w&'’.-]+){0,2}") for separator in ("»", "›", ">", " / ")),
)
_GUARDED = tuple((name, needle, _lazy(pattern, re.IGNORECASE))
                 for name, needle, pattern in GUARDED_PATTERNS)


def boilerplate_line_kind(line: str) -> str | None:
    """The name of the boilerplate pattern a line matches as a whole, or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_BOILERPLATE_LINE:
        return None
    match = _BOILERPLATE_ANY().fullmatch(stripped)
    if match is not None and match.lastgroup is not None:
        return BOILERPLATE_PATTERNS[int(match.lastgroup[2:])][0]
    lowered = stripped.lower()
    for name, needle, pattern in _GUARDED:
        if needle in lowered and pattern().fullmatch(stripped):
            return name
    return None


# A heading that opens a block of teasers for other articles ("Latest posts", "More on this
# topic", "Read more", "More from Reuters"), alone on its line.
_BLOCK_HEADER_RE = _lazy(
    r"(?:(?:related|latest|more|recommended|popular|top|trending|other)\s+"
    r"(?:posts|articles|stories|news|content|reads|topics|coverage|videos|headlines)"
    r"|related|more (?:on|about) (?:this|the) (?:topic|story|subject|issue)"
    r"|more from(?: the| this)? [\w&'’.-]+(?: [\w&'’.-]+){0,3}"
    r"|read (?:more|also|next)|see also|also read|you (?:may|might) also (?:like|enjoy|be "
    r"interested in)|most (?:read|popular|viewed|shared)|recommended(?: for you)?"
    r"|trending(?: now)?|what to read next|editor['’]s picks)\s*[:.]?",
    re.IGNORECASE,
)
# A block heading is short ("More from The Associated Press" is 30 characters).
_HEADER_CHARS = 60
# How long a teaser's standfirst may be (a prose paragraph after a teaser's headline).
_TEASER_CHARS = 450
_HEADLINE_CHARS = 160
# A line repeated word for word is a caption or a repeated headline only if it is this short.
_REPEAT_CHARS = 200
_SENTENCE_END = re.compile(r"[.…]['’\"”)\]]*$")


def _headline_like(line: str) -> bool:
    """A short line that does not end as a sentence does (a headline, a caption)."""
    return len(line) <= _HEADLINE_CHARS and not _SENTENCE_END.search(line)


def _teaser_blocks(lines: list[tuple[int, int, str]], kinds: list[str | None]) -> set[int]:
    """Indices (into ``lines``) of teaser blocks: a block heading, then headlines each with at
    most one short standfirst, up to the first prose that is not a teaser's."""
    marked: set[int] = set()
    # Teasers follow the article's first prose; a "Top stories" above it is a menu's item, and
    # what follows it is the headline.
    index = next((i for i, (_, _, line) in enumerate(lines)
                  if kinds[i] is None and not _headline_like(line)), len(lines))
    while index < len(lines):
        line = lines[index][2]
        if len(line) > _HEADER_CHARS or not _BLOCK_HEADER_RE().fullmatch(line):
            index += 1
            continue
        marked.add(index)
        previous = "heading"
        index += 1
        while index < len(lines):
            line = lines[index][2]
            if kinds[index] is not None or (len(line) <= _HEADER_CHARS
                                            and _BLOCK_HEADER_RE().fullmatch(line)):
                previous = "heading"
            elif _headline_like(line):
                previous = "headline"
            elif previous == "headline" and len(line) <= _TEASER_CHARS:
                previous = "standfirst"
            else:
                break
            marked.add(index)
            index += 1
    return marked


_CAPTION_LABEL_RE = re.compile(
    r"^(?:(?:photo|image|picture)s?\s*:|(?:image|photo|video|media) caption\s*[:,]?)\s*",
    re.IGNORECASE)
# A menu scraped as text: this many short lines one under the other ("World", "Business"...).
_MENU_LINES = 4
# How many paragraphs from the top a glued dateline is looked for in.
_DATELINE_PARAGRAPHS = 6
_MENU_ITEM_RE = re.compile(r"[\w&'’.-]+(?: [\w&'’.-]+){0,2}")


def _menus(lines: list[tuple[int, int, str]]) -> set[int]:
    """Indices of the lines of a menu: a run of at least four lines of one to three words and
    no punctuation, one directly under the other (no blank line between)."""
    marked: set[int] = set()
    run: list[int] = []
    for index, (start, _end, line) in enumerate(lines):
        if run and lines[run[-1]][1] + 1 != start:
            if len(run) >= _MENU_LINES:
                marked.update(run)
            run = []
        if len(line) <= 25 and _MENU_ITEM_RE.fullmatch(line):
            run.append(index)
        else:
            if len(run) >= _MENU_LINES:
                marked.update(run)
            run = []
    if len(run) >= _MENU_LINES:
        marked.update(run)
    return marked


def _repeated_lines(lines: list[tuple[int, int, str]], kinds: list[str | None]) -> set[int]:
    """Indices of lines that repeat a short line word for word: every copy of a caption (a copy
    next to a photo credit, or two copies one under the other), and the later copies of a
    repeated headline. Repeated prose sentences (a pull quote) are left alone."""
    copies: dict[str, list[int]] = {}
    labelled: set[int] = set()
    for index, (_, _, line) in enumerate(lines):
        # A caption's label does not make it another line ("Photo: X" repeats "X").
        bare = _CAPTION_LABEL_RE.sub("", line) if line[:1] in "PpIiVvMm" else line
        if bare != line:
            labelled.add(index)
        if 8 <= len(bare) <= _REPEAT_CHARS and " " in bare:
            copies.setdefault(" ".join(bare.split()).casefold(), []).append(index)
    marked: set[int] = set()
    for indices in copies.values():
        if len(indices) < 2:
            continue
        captioned = any(i in labelled for i in indices)
        if not captioned and not _headline_like(lines[indices[0]][2]):
            continue  # prose said twice (a pull quote): prose both times
        neighbours = [n for i in indices for n in (i - 1, i + 1) if 0 <= n < len(lines)]
        adjacent = any(b - a == 1 and lines[b][0] == lines[a][1] + 1
                       for a, b in zip(indices, indices[1:]))
        beside_credit = any(kinds[n] in ("photo credit", "photo caption") for n in neighbours)
        if captioned or adjacent or beside_credit:
            marked.update(indices)
        else:
            marked.update(indices[1:])
    return marked


# A wire dateline at the head of the first paragraph: "MOSCOW, Dec 31 (Reuters) - ",
# "WASHINGTON (AP) — ", "KYIV, Ukraine — ": a place in capitals, maybe a date, maybe the agency
# in brackets, then a dash.
# A bare place ("WASHINGTON — ") needs five capitals, so "NATO — which..." stays prose.
_WIRE_DATELINE_RE = _lazy(
    r"(?:[A-Z][A-Z'’.-]{2,}(?:\s+[A-Z][A-Z'’.-]+){0,3})"
    r"(?:(?:,\s*(?:[A-Z][\w.'’-]*\s*){1,3}(?:\d{1,2}(?:st|nd|rd|th)?)?){1,2}"
    r"(?:,?\s*\((?:[A-Z][\w&.'’ -]{1,30})\))?|,?\s*\((?:[A-Z][\w&.'’ -]{1,30})\)"
    r"|(?<=[A-Z]{5}))\s*[—–-]{1,2}\s+(?=\S)"
)
# What tells a date glued to prose from prose that starts with a date ("31 December 2021 will
# be remembered as..."): a label ("date", "published"), a time, a separator, or a numeric shape
# that prose never starts with ("2021-12-31", "31.12.2021").
_GLUED_CUE_RE = _lazy(
    rf"\s*(?:{_DATE_LABEL}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}\.\d{{1,2}}\.\d{{4}}"
    rf"|.*?(?:{_TIME}|[—–|·:-]\s*$))",
    re.IGNORECASE,
)


def _glued_dateline(text: str, paragraph: Span) -> Span | None:
    """The dateline at the head of ``paragraph`` when prose follows it on the same line."""
    match = _LEADING_DATE_RE().match(text, paragraph.start, paragraph.end)
    if match and match.end() < paragraph.end and _date_from_match(match) \
            and _GLUED_CUE_RE().match(match.group()):
        return Span(paragraph.start, match.end())
    wire = _WIRE_DATELINE_RE().match(text, paragraph.start, paragraph.end)
    if wire and wire.end() < paragraph.end:
        return Span(paragraph.start, wire.end())
    return None


def boilerplate_spans(text: str, extra: Sequence[Span] = ()) -> tuple[Span, ...]:
    """The boilerplate of a text, sorted and not overlapping: whole lines (without their
    newline), or the head of a line.

    * A line that, stripped, matches one of :data:`BOILERPLATE_PATTERNS` as a whole (lines
      longer than 600 characters never do).
    * A teaser block: a heading such as "Latest posts", "More on this topic", "Read more" or
      "More from …" alone on its line, and the teasers under it (short headlines, each with at
      most one standfirst of up to 450 characters) until prose resumes.
    * A caption that repeats (both copies, when they stand one under the other or beside a photo
      credit), and the later copies of a repeated headline-like line.
    * A date (or dateline) at the head of one of the first three paragraphs and glued to its
      prose (" date 2021-12-31 A phone call …"): the date, up to the prose.
    * ``extra``: spans the caller knows are not prose (a Markdown front-matter block).
    """
    lines: list[tuple[int, int, str]] = []
    for start, end in _lines(text):
        stripped = text[start:end].strip()
        if stripped:
            lines.append((start, end, stripped))
    kinds = [boilerplate_line_kind(line) for _, _, line in lines]
    marked = {index for index, kind in enumerate(kinds) if kind is not None}
    marked |= _menus(lines)
    marked |= _teaser_blocks(lines, kinds)
    marked |= _repeated_lines(lines, kinds)
    spans = [Span(lines[index][0], lines[index][1]) for index in marked]
    spans.extend(span for span in extra if span.end > span.start)
    # The first paragraphs left after the junk (a scraped page's menu and tagline come
    # first): the lines not marked and outside ``extra``, trimmed.
    looked = 0
    for index, (start, end, line) in enumerate(lines):
        if looked == _DATELINE_PARAGRAPHS:
            break
        if index in marked or any(x.start < end and start < x.end for x in extra):
            continue
        looked += 1
        lead = text.find(line[0], start)
        head = _glued_dateline(text, Span(lead, lead + len(line)))
        if head is not None:
            spans.append(head)
            break
    merged: list[Span] = []
    for span in sorted(spans):
        if merged and span.start <= merged[-1].end:
            if span.end > merged[-1].end:
                merged[-1] = Span(merged[-1].start, span.end)
            continue
        merged.append(span)
    return tuple(merged)


# --------------------------------------------------------------------------- metadata

# Outlet names as they appear in an outlet's own boilerplate.
_OUTLET_RES = (
    _lazy(
        r"(?:^|[.!?]\s+)(?:[Tt]he\s+)?(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})"
        r"\s+has a new (?:mobile )?app"
    ),
    _lazy(
        r"\b[Gg]et (?:[Tt]he\s+)?(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})"
        r"\s+delivered to your inbox"
    ),
    _lazy(
        r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*"
        r"(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,4}?)"
        r"(?:,?\s+(?:L\.P\.|LP|Ltd\.?|Limited|Inc\.?|LLC|plc|GmbH|S\.A\.|Company|Co\.))?"
        r"\s*(?:\.|$|\s+all rights reserved)",
        re.IGNORECASE,
    ),
)
# Site fingerprints: scraped navigation that names its site only by its shape.
_OUTLET_FINGERPRINTS = ((_lazy(r"^icon bookmark-bicon bookmarkicon\b"), "RT"),)


def _date_from_match(match: re.Match[str]) -> str:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    year = int(next(v for k, v in groups.items() if k.startswith("y")))
    day = int(next(v for k, v in groups.items() if k.startswith("d")))
    month_name = next((v for k, v in groups.items() if k.startswith("mon")), None)
    if month_name is not None:
        month = _MONTHS[month_name[:3].lower()]
    else:
        month = int(next(v for k, v in groups.items() if k.startswith("m")))
    try:
        return Date(year, month, day).isoformat()
    except ValueError:
        return ""


def _first_date(text: str) -> str:
    for match in _DATE_RE().finditer(text):
        found = _date_from_match(match)
        if found:
            return found
    return ""


def first_date(text: str) -> str:
    """The first date in ``text`` of the shapes articles use ("31 Dec, 2021", "Dec 31, 2021",
    "2021-12-31", "31.12.2021"), as ISO ``YYYY-MM-DD``; "" if none."""
    return _first_date(text)


def guess_metadata(text: str, boilerplate: Sequence[Span] = ()) -> dict[str, str]:
    """Guess ``{"title", "outlet", "date"}`` from an article's text ("" when unknown).

    * date (ISO ``YYYY-MM-DD``): the first date in a boilerplate line (a dateline, a reading-time
      line), else one at the very start of one of the first three lines (" date 2021-12-31 A
      phone call ..."); never one inside prose. Shapes: "31 Dec, 2021 04:08",
      "December 31, 2021", "2021-12-31", "31.12.2021".
    * title: the first line that is not boilerplate (less any leading date), if short and not
      ending in a full stop; otherwise its first sentence, shortened to about 80 characters.
    * outlet: named in the outlet's own boilerplate ("The Luxembourg Times has a new mobile app",
      "©2021 Bloomberg L.P."), else recognised from a site's navigation junk, else "".

    ``boilerplate`` defaults to :func:`boilerplate_spans` of the text.
    """
    spans = sorted(boilerplate) if boilerplate else list(boilerplate_spans(text))
    # Dates and outlet names are read from the junk of the page itself (datelines, copyright
    # lines), never from teasers for other articles or repeated captions.
    junk = [piece for s in spans if (piece := text[s.start : s.end])
            and (boilerplate_line_kind(piece) or _LEADING_DATE_RE().fullmatch(piece))]

    date = ""
    for piece in junk:
        date = _first_date(piece)
        if date:
            break
    if not date:
        for paragraph in paragraph_spans(text[:_HEAD_CHARS], spans)[:3]:
            match = _LEADING_DATE_RE().match(text, paragraph.start, paragraph.end)
            if match and (date := _date_from_match(match)):
                break

    outlet = ""
    for pattern in _OUTLET_RES:
        for piece in junk:
            found = pattern().search(piece.strip())
            if found:
                outlet = found.group("name").strip()
                break
        if outlet:
            break
    if not outlet:
        for piece in junk:
            for fingerprint, name in _OUTLET_FINGERPRINTS:
                if fingerprint().search(piece):
                    outlet = name
                    break
            if outlet:
                break

    return {"title": _guess_title(text, spans), "outlet": outlet, "date": date}


def _guess_title(text: str, boilerplate: Sequence[Span]) -> str:
    paragraphs = paragraph_spans(text[:_HEAD_CHARS], boilerplate)
    if not paragraphs:
        return ""
    first = paragraphs[0]
    line = text[first.start : first.end]
    leading_date = _LEADING_DATE_RE().match(line)
    if leading_date and leading_date.end() < len(line):
        line = line[leading_date.end() :]
    if len(line) <= _TITLE_MAX_CHARS and not line.rstrip("”’\"')]").endswith((".", ":")):
        return line
    sentences = sentence_spans(line)
    sentence = line[sentences[0].start : sentences[0].end] if sentences else line
    return shorten(sentence.rstrip("."), _SHORT_TITLE_CHARS)


# --------------------------------------------------------------------------- loading


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder; check the path")
    if path.is_dir():
        raise CorpusError(f"{path} is a folder, not an article file; open the folder as a corpus")
    if not path.is_file():
        # A FIFO or device would block or stream forever; only regular files are articles.
        raise CorpusError(f"{path} is not a regular file; give a .txt or .md file")
    try:
        return path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CorpusError(f"cannot read {path}: {reason}; check its permissions") from None


def _binary_reason(path: Path, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (
            f"{path} is UTF-16 text, not UTF-8; convert it "
            "(e.g. iconv -f UTF-16 -t UTF-8) to read it"
        )
    return f"{path} is a binary file (it contains NUL bytes), not text; remove it from the corpus"


def sidecar_path(path: Path) -> Path:
    """Where the metadata sidecar of an article file lives: ``<stem>.meta.json`` beside it."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise CorpusError(f"cannot read sidecar {sidecar}: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        detail = error.args[0] if isinstance(error, json.JSONDecodeError) else "not UTF-8"
        raise CorpusError(
            f"bad sidecar {sidecar}: {detail}; fix it or delete it (keys: title, outlet, date)"
        ) from None
    if not isinstance(data, dict):
        raise CorpusError(
            f"bad sidecar {sidecar}: expected a JSON object with keys title, outlet, date"
        )
    meta: dict[str, str] = {}
    for key in _SIDECAR_KEYS:
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, str):
            raise CorpusError(f"bad sidecar {sidecar}: {key!r} must be a string")
        meta[key] = normalise(value).strip()
    if meta.get("date"):
        try:
            Date.fromisoformat(meta["date"])
        except ValueError:
            raise CorpusError(
                f"bad sidecar {sidecar}: date {meta['date']!r} is not YYYY-MM-DD"
            ) from None
    return meta


def article_kind(name: str) -> str:
    """How a file is read, by its suffix: ``txt``, ``md``, ``html`` or ``jsonl`` (a dump; a
    ``.json`` list is one too). Any other suffix (a file given by name) is read as text."""
    dot = name.rfind(".")
    return KINDS.get(name[dot:].lower(), "txt") if dot > 0 else "txt"


_pages_cache: ExtractionCache | None = None


def _page_cache() -> ExtractionCache:
    """The user's extraction cache (made on first use: the cache folder is read from the
    environment then, as tests set it)."""
    global _pages_cache
    folder = ExtractionCache().folder
    if _pages_cache is None or _pages_cache.folder != folder:
        _pages_cache = ExtractionCache(folder)
    return _pages_cache


def _article_from_text(
    path: Path, article_id: str, text: str, problems: tuple[str, ...], kind: str,
    given: dict[str, str] | None = None, *, sidecar: bool = True,
    known: ArticleInfo | None = None,
) -> Article:
    """An article of ``text`` (normalised): markup (Markdown), boilerplate, then metadata —
    ``known`` (an unchanged file's, not guessed again), else guessed, with what the source
    itself says (``given``: a page's or a record's own fields) and then the sidecar on top."""
    markup: tuple[Span, ...] = ()
    extra: tuple[Span, ...] = ()
    md_title = ""
    md_meta: dict[str, str] = {}
    if kind == "md":
        from .markdown import markdown_parts

        parts = markdown_parts(text)
        markup, md_title, md_meta = parts.markup, parts.title, parts.meta
        if parts.front_matter is not None:
            extra = (parts.front_matter,)
    plain = blank_out(text, markup)
    remembered = known.boilerplate if known is not None and known.chars == len(text) else None
    if remembered is not None and all(span.end <= len(text) for span in remembered):
        boilerplate = remembered  # an unchanged file's, found when it was listed
    else:
        boilerplate = boilerplate_spans(plain, extra)
    if known is not None:
        meta = {"title": known.title, "outlet": known.outlet, "date": known.date,
                "url": known.url, "author": known.author}
    else:
        meta = {**guess_metadata(plain, boilerplate), "url": "", "author": ""}
        for key, value in md_meta.items():
            if value:
                meta[key] = value
        if md_title:
            meta["title"] = shorten(md_title, _TITLE_MAX_CHARS)
        for key, value in (given or {}).items():
            if value:
                meta[key] = value
        if sidecar:
            meta.update(_read_sidecar(path))
    return Article(
        id=article_id, path=path, text=text, title=meta["title"], outlet=meta["outlet"],
        date=meta["date"], boilerplate=boilerplate, problems=problems, kind=kind,
        url=meta["url"], author=meta["author"], markup=markup,
    )


def _page_text(path: Path, raw: bytes | None, cache: ExtractionCache | None) -> tuple[str, dict]:
    """The extracted, normalised text of the saved page ``path`` and its metadata."""
    try:
        st = os.stat(path)
        if cache is not None and (hit := cache.get(path, st.st_size, st.st_mtime_ns)):
            return normalise(hit.text), hit.meta
        page = read_page(path, raw if raw is not None else _read_bytes(path), st.st_size,
                         st.st_mtime_ns, cache)
    except PageError as error:
        raise CorpusError(f"{path}: {error}; is it a saved article page?") from None
    except OSError as error:
        raise CorpusError(f"cannot read {path}: {error.strerror}; check its permissions") from None
    return normalise(page.text), {k: normalise(v) for k, v in page.meta.items()}


def load_article(
    path: Path | str, article_id: str | None = None, *, pages: ExtractionCache | None = None
) -> Article:
    """Read one article file (never modifying it) into an :class:`~tui.model.Article`.

    ``.txt`` (and any other suffix) is text; ``.md`` is Markdown (the text is the file's; its
    markup is dimmed and its first heading is the title); ``.html``/``.htm`` is a saved web page
    (the text is its extracted main text; title, outlet, date, URL and author come from the
    page's metadata), extracted once and kept in ``pages`` (default: the user's extraction
    cache). The id is the file stem unless given. A sidecar ``<stem>.meta.json`` beside the file
    (keys title, outlet, date, url, author; any subset) overrides the guessed metadata.

    Raises :class:`CorpusError` if the file is missing, a folder, unreadable or binary, a page
    with no article text, a dump (which holds many articles: :func:`load_corpus` reads it), or
    if its sidecar is bad.
    """
    path = Path(path)
    kind = article_kind(path.name)
    article_id = article_id if article_id is not None else path.stem
    if kind == "jsonl":
        raise CorpusError(f"{path} is a dump of many articles, not one; open it as a corpus")
    raw = _read_bytes(path)
    if is_binary(raw):
        raise CorpusError(_binary_reason(path, raw))
    if kind == "html":
        text, given = _page_text(path, raw, pages if pages is not None else _page_cache())
        return _article_from_text(path, article_id, text, (), kind, given)
    text, problems = decode(raw)
    return _article_from_text(path, article_id, text, problems, kind)


@dataclass(frozen=True)
class Skipped:
    """A file of a corpus that could not be read as an article (or, for a dump, the lines of
    it that could not), and why."""

    path: Path
    reason: str
    partial: bool = False
    """True when only part of the file was left out (a dump's malformed lines): its other
    articles are in the corpus."""


@dataclass(frozen=True)
class ArticleInfo:
    """What a list of articles needs of one article, without reading its text.

    ``size`` and ``mtime_ns`` are the file's when the metadata was read (0 when unknown),
    ``sidecar`` its sidecar's ``(size, mtime_ns)`` (None: there was none). ``pending`` is True
    while the metadata is still a placeholder (the title is empty, so a list shows the id)
    because a large uncached corpus was opened with ``defer_above``. ``kind`` is how the file
    is read (``txt``, ``md``, ``html``, ``jsonl``), ``chars`` the length of the text (0 while
    pending). An article of a dump has ``line`` (its line in a ``.jsonl``, its position in a
    ``.json`` list, from 1) and ``offset`` (the line's byte offset; -1 in a ``.json``).
    """

    id: str
    path: Path
    title: str = ""
    outlet: str = ""
    date: str = ""
    size: int = field(default=0, compare=False)
    mtime_ns: int = field(default=0, compare=False)
    sidecar: tuple[int, int] | None = field(default=None, compare=False)
    pending: bool = field(default=False, compare=False)
    kind: str = "txt"
    url: str = ""
    author: str = ""
    chars: int = field(default=0, compare=False)
    line: int = field(default=0, compare=False)
    offset: int = field(default=-1, compare=False)
    boilerplate: tuple[Span, ...] | None = field(default=None, compare=False, repr=False)
    """The boilerplate spans of a text or Markdown file's text, when known (None: found
    again when the article is read)."""

    def metadata(self) -> dict[str, str]:
        """Title, outlet and date, as exported."""
        return {"title": self.title, "outlet": self.outlet, "date": self.date}


def article_info(
    article: Article, size: int = 0, mtime_ns: int = 0, sidecar: tuple[int, int] | None = None
) -> ArticleInfo:
    """The :class:`ArticleInfo` of a loaded article."""
    return ArticleInfo(article.id, article.path, article.title, article.outlet, article.date,
                       size, mtime_ns, sidecar, kind=article.kind, url=article.url,
                       author=article.author, chars=len(article.text),
                       boilerplate=article.boilerplate if article.kind in _KNOWN_BOILERPLATE
                       else None)


#: The kinds whose boilerplate is remembered with their metadata: their text is the file's.
#: A page's text is trafilatura's, which a new trafilatura may extract differently, and a
#: dump's records are remembered without it.
_KNOWN_BOILERPLATE = ("txt", "md")

#: How many loaded articles a lazily loaded corpus keeps in memory (most recently used).
LOADED_ARTICLES_KEPT = 64


class Corpus:
    """The articles of a corpus, in file-name order, and the files skipped.

    ``Corpus(articles, skipped)`` holds articles already loaded. :func:`load_corpus` makes a
    *lazy* corpus instead: it knows every article's :class:`ArticleInfo` (id, path, title,
    outlet, date) and reads an article's text only when :meth:`get` asks for it, keeping the
    last :data:`LOADED_ARTICLES_KEPT` loaded. Both kinds answer the same questions; iterating
    or :meth:`load_all` loads every article (one at a time when iterating), so code that needs
    only ids, titles, outlets or dates should use :attr:`ids` and :attr:`infos`.
    """

    def __init__(
        self,
        articles: Iterable[Article] = (),
        skipped: Iterable[Skipped] = (),
        *,
        infos: Iterable[ArticleInfo] | None = None,
        cache: CorpusCache | None = None,
        fields: dict[str, str] | None = None,
    ) -> None:
        self.skipped: tuple[Skipped, ...] = tuple(skipped)
        self.fields: dict[str, str] = dict(fields or {})
        """The ``--field`` overrides the dumps of this corpus were read with."""
        self._loaded: OrderedDict[str, Article] = OrderedDict()
        self._keep: int | None = None
        if infos is None:
            loaded = tuple(articles)
            self._infos = {article.id: article_info(article) for article in loaded}
            self._loaded.update((article.id, article) for article in loaded)
        else:
            self._infos = {info.id: info for info in infos}
            self._keep = LOADED_ARTICLES_KEPT
        self._ids = tuple(self._infos)
        #: Counts the changes of the listing (:meth:`complete`, :meth:`verify`): equal, the
        #: :attr:`infos` are the same (a caller keyed by it need not compare them).
        self.generation = 0
        self._failed: dict[str, str] = {}
        self._cache = cache
        self._lock = threading.Lock()
        self._unverified: tuple[tuple[Path, ...], int | None] | None = None
        """The paths and ``defer_above`` of a corpus made from its last listing, until
        :meth:`verify` lists them again."""

    def __repr__(self) -> str:
        return f"<Corpus of {len(self)} articles, {len(self.skipped)} skipped>"

    # -- what every caller needs -----------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        """The article with this id (read from its file if need be), or None.

        None also when the file can no longer be read as an article (deleted, now binary...):
        :meth:`problem` then says why.
        """
        article = self._loaded.get(article_id)
        if article is not None:
            self._loaded.move_to_end(article_id)
            return article
        info = self._infos.get(article_id)
        if info is None:
            return None
        try:
            article = _load_known(info, self.fields, self._cache)
        except CorpusError as error:
            self._failed[article_id] = str(error)
            return None
        self._failed.pop(article_id, None)
        self._loaded[article_id] = article
        if self._keep is not None and len(self._loaded) > self._keep:
            self._loaded.popitem(last=False)
        return article

    def problem(self, article_id: str) -> str | None:
        """Why :meth:`get` could not read this article the last time it tried (else None)."""
        return self._failed.get(article_id)

    def info(self, article_id: str) -> ArticleInfo | None:
        """The id, path, title, outlet and date of this article, without reading it."""
        return self._infos.get(article_id)

    @property
    def infos(self) -> tuple[ArticleInfo, ...]:
        """Every article's :class:`ArticleInfo`, in corpus order (reads no file)."""
        infos = self._infos
        return tuple(infos[article_id] for article_id in self._ids)

    def load_all(self) -> tuple[Article, ...]:
        """Every article, loaded: reads every file not in memory (up to the whole corpus).

        Code that needs only ids, titles, outlets or dates uses :attr:`ids` and :attr:`infos`,
        which read no file; code that needs a few texts uses :meth:`get`.
        """
        return tuple(self)

    def __iter__(self) -> Iterator[Article]:
        for article_id in self._ids:
            article = self.get(article_id)
            if article is not None:
                yield article

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> tuple[str, ...]:
        """The article ids, in corpus order."""
        return self._ids

    # -- metadata read after the first screen ----------------------------------------------

    @property
    def pending(self) -> int:
        """How many articles still have placeholder metadata (see :meth:`complete`)."""
        return sum(1 for info in self._infos.values() if info.pending)

    def complete(self, limit: int = 200) -> tuple[list[ArticleInfo], list[Skipped]]:
        """Read the real metadata of up to ``limit`` pending articles.

        Returns the updated infos and the files found not to be articles after all (those
        leave the corpus and join :attr:`skipped`). Safe to call from a worker thread while
        other threads read the corpus. When nothing is pending any more, the cache is saved.
        """
        with self._lock:
            todo = [info for info in self._infos.values() if info.pending][:limit]
            if todo:
                self.generation += 1
            updated: list[ArticleInfo] = []
            dropped: list[Skipped] = []
            for info in todo:
                found = _read_info(info.path, info.id)
                if isinstance(found, Skipped):
                    dropped.append(found)
                    del self._infos[info.id]
                else:
                    self._infos[info.id] = found
                    updated.append(found)
            if dropped:
                self._ids = tuple(i for i in self._ids if i in self._infos)
                self.skipped += tuple(dropped)
                if self._cache is not None:
                    for skipped in dropped:
                        self._cache.remember_skipped(skipped)
            if self._cache is not None:
                for info in updated:
                    self._cache.remember(info)
                if not todo or not any(info.pending for info in self._infos.values()):
                    self._cache.save()
                    self._cache.save_listing(self.infos, self.skipped, self.fields)
        return updated, dropped

    # -- a corpus shown from its last listing ----------------------------------------------

    @property
    def unverified(self) -> bool:
        """True while the corpus is its last listing, not yet checked against its files
        (``load_corpus(last_listing=True)``): :meth:`verify` checks it."""
        return self._unverified is not None

    def verify(self) -> bool:
        """List the files of a corpus made from its last listing again (in a worker thread:
        the files are looked at, those changed are read) and take the new listing. Returns
        whether it differs from the one shown: articles added, gone, or with other metadata,
        or other files skipped. Articles whose file changed are read again when next asked for.
        Raises :class:`CorpusError` if a path given is gone."""
        if self._unverified is None:
            return False
        paths, defer_above = self._unverified
        fresh = load_corpus(paths, cache=self._cache, defer_above=defer_above,
                            fields=self.fields)
        with self._lock:
            before = self._infos
            changed = list(before.values()) != list(fresh._infos.values()) \
                or [(s.path, s.reason) for s in self.skipped] \
                != [(s.path, s.reason) for s in fresh.skipped]
            for article_id in list(self._loaded):
                old, new = before.get(article_id), fresh._infos.get(article_id)
                if new is None or old is None or (old.size, old.mtime_ns, old.path) \
                        != (new.size, new.mtime_ns, new.path):
                    del self._loaded[article_id]
            self._infos, self._ids, self.skipped = fresh._infos, fresh._ids, fresh.skipped
            self._unverified = None
            self.generation += 1
        return changed


def _load_known(info: ArticleInfo, fields: dict[str, str] | None = None,
                cache: CorpusCache | None = None) -> Article:
    """Load an article whose metadata is known; unchanged since, the metadata is not guessed
    again (opening an article of a 10 000-article corpus costs one file, not a re-guess), nor
    the boilerplate when ``cache`` remembers it."""
    path = Path(info.path)
    if info.kind == "jsonl":
        return _load_record(info, fields or {})
    if info.pending or not info.size:
        return load_article(path, info.id)
    try:
        st = path.stat()
        sidecar_changed = _stat_key(sidecar_path(path)) != info.sidecar
    except OSError:
        return load_article(path, info.id)
    if (st.st_size, st.st_mtime_ns) != (info.size, info.mtime_ns) or sidecar_changed:
        return load_article(path, info.id)
    if info.kind == "html":
        text, _ = _page_text(path, None, _page_cache())
        return _article_from_text(path, info.id, text, (), "html", known=info)
    raw = _read_bytes(path)
    if is_binary(raw):
        raise CorpusError(_binary_reason(path, raw))
    text, problems = decode(raw)
    if info.boilerplate is None and cache is not None and info.kind in _KNOWN_BOILERPLATE:
        info = replace(info, boilerplate=cache.boilerplate(info))
    return _article_from_text(path, info.id, text, problems, info.kind, known=info)


# The records of the last .json list dump read, by (path, size, mtime): opening one article of
# a list dump parses the whole file, so the parse is kept for the next article opened.
_list_dump: tuple[tuple[str, int, int], list[dumps.DumpRecord]] | None = None


def _load_record(info: ArticleInfo, fields: dict[str, str]) -> Article:
    """An article of a dump: its one line read again (a ``.jsonl``), or its place in the list
    (a ``.json``); if the dump changed since it was listed, found again by its id."""
    global _list_dump
    path = Path(info.path)
    st = _stat_key(path)
    if st is None:
        raise CorpusError(f"cannot read {path}: it is gone; check the path")
    record: dumps.DumpRecord | str | None = None
    if st == (info.size, info.mtime_ns) and info.offset >= 0:
        try:
            with open(path, "rb") as handle:
                handle.seek(info.offset)
                line = handle.readline()
        except OSError as error:
            raise CorpusError(f"cannot read {path}: {error.strerror}; check its permissions") \
                from None
        record = dumps.read_record(path, line, info.line, info.offset, fields)
    elif st == (info.size, info.mtime_ns) and _list_dump is not None \
            and _list_dump[0] == (str(path), *st):
        records = [r for r in _list_dump[1] if r.line == info.line]
        record = records[0] if records else None
    if not isinstance(record, dumps.DumpRecord):
        found = _read_dump(path, fields)
        if isinstance(found, Skipped):
            raise CorpusError(f"{path}: {found.reason}")
        records, _warning = found
        if path.suffix.lower() != ".jsonl":
            _list_dump = ((str(path), *st), records)
        if st == (info.size, info.mtime_ns):
            record = next((r for r in records if r.line == info.line), None)
        else:
            record = next((r for r in records if r.id == info.id), None)
        if record is None:
            raise CorpusError(f"article {info.id} is no longer in {path}; reopen the corpus")
    text = record.text
    given = {"title": record.title, "outlet": record.outlet, "date": record.date,
             "url": record.url, "author": record.author}
    known = info if st == (info.size, info.mtime_ns) and not info.pending else None
    return _article_from_text(path, info.id, text, (), "jsonl", given, sidecar=False,
                              known=known)


def _read_dump(path: Path, fields: dict[str, str]) -> tuple[list[dumps.DumpRecord], str | None] \
        | Skipped:
    try:
        raw = _read_bytes(path)
    except CorpusError as error:
        return Skipped(path, str(error))
    if is_binary(raw):
        return Skipped(path, _binary_reason(path, raw))
    try:
        return dumps.read_dump(path, raw, fields)
    except ValueError as error:
        return Skipped(path, f"{path}: {error}")


def _dump_infos(path: Path, fields: dict[str, str]) -> tuple[list[ArticleInfo], Skipped | None]:
    """The infos of every article of the dump ``path`` (metadata from the records' fields,
    guessed from the text where a field is missing), and the warning about its bad lines."""
    st = _stat_key(path)
    found = _read_dump(path, fields)
    if isinstance(found, Skipped):
        return [], found
    records, warning = found
    size, mtime_ns = st if st is not None else (0, 0)
    infos: list[ArticleInfo] = []
    for record in records:
        title, outlet, date = record.title, record.outlet, record.date
        if not (title and outlet and date):
            # Only what the record lacks is guessed (the text's boilerplate read for it).
            guessed = guess_metadata(record.text)
            title, outlet, date = (title or guessed["title"], outlet or guessed["outlet"],
                                   date or guessed["date"])
        infos.append(ArticleInfo(
            record.id, path, title, outlet, date, size, mtime_ns, None, kind="jsonl",
            url=record.url, author=record.author, chars=len(record.text), line=record.line,
            offset=record.offset,
        ))
    return infos, Skipped(path, warning, partial=True) if warning else None


def _stat_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def _read_info(path: Path, article_id: str) -> ArticleInfo | Skipped:
    """Read one file's metadata (the whole file, as :func:`load_article` does)."""
    try:
        st = os.stat(path)
        sidecar = _stat_key(sidecar_path(path))
        article = load_article(path, article_id)
    except CorpusError as error:
        return Skipped(path, str(error))
    except OSError as error:
        return Skipped(path, f"cannot read {path}: {error.strerror}; check its permissions")
    return article_info(article, st.st_size, st.st_mtime_ns, sidecar)


# --------------------------------------------------------------------------- the metadata cache


def _code_fingerprint() -> str:
    """Changes whenever the code that guesses metadata changes (so the cache is thrown away)."""
    digest = hashlib.sha256()
    for module in (__file__, *(str(Path(__file__).with_name(name)) for name in (
            "sentences.py", "markdown.py", "pages.py", "dumps.py"))):
        try:
            digest.update(Path(module).read_bytes())
        except OSError:
            digest.update(module.encode())
    return digest.hexdigest()[:16]


_INFO_FIELDS = tuple(f.name for f in fields(ArticleInfo))


def _listed_info(values: tuple[Any, ...]) -> ArticleInfo:
    """An :class:`ArticleInfo` of every field's value, in order, already checked: made
    without the frozen dataclass's ``__init__`` (a third of its cost: the last listing of
    10 000 articles is read before the first screen)."""
    info = object.__new__(ArticleInfo)
    info.__dict__.update(zip(_INFO_FIELDS, values))
    return info


def _joined(folders: dict[str, Path], path: str) -> Path:
    folder, _, name = path.rpartition(os.sep)
    parent = folders.get(folder)
    if parent is None:
        parent = folders[folder] = Path(folder or os.sep)
    return parent / name if name else Path(path)


def _remembered_boilerplate(entries: dict[str, list[Any]], info: ArticleInfo) -> Any:
    """The boilerplate the files' metadata remembers for ``info``'s file as it was then, as
    kept there (``[[start, end], ...]``), else None."""
    if info.boilerplate is not None:
        return [[span.start, span.end] for span in info.boilerplate]
    entry = entries.get(os.path.abspath(info.path))
    if isinstance(entry, list) and len(entry) == 8 and isinstance(entry[7], dict) \
            and entry[0] == info.size and entry[1] == info.mtime_ns:
        return entry[7].get("boilerplate")
    return None


def _spans(value: Any) -> tuple[Span, ...] | None:
    """Spans as the cache keeps them (``[[start, end], ...]``), or None if they are not that."""
    if not isinstance(value, list):
        return None
    spans = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2
                and all(type(n) is int and n >= 0 for n in pair) and pair[0] <= pair[1]):
            return None
        spans.append(Span(pair[0], pair[1]))
    return tuple(spans)


class CorpusCache:
    """The metadata of a corpus, remembered between launches in one JSON file.

    Keyed by each file's absolute path, size and modification time (and its sidecar's), and by
    a fingerprint of the code that guesses metadata, so a changed file, sidecar or newsmark is
    read again. The file is written atomically (temp file and rename) and is only ever an
    optimisation: a cache that cannot be read or written is ignored.
    """

    VERSION = 2

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._entries: dict[str, list[Any]] | None = None
        self._dirty = False
        self._listed: dict[str, list[Any]] = {}  # the last listing's rows, by path

    @classmethod
    def for_corpus(
        cls, paths: Sequence[Path | str], folder: Path | str | None = None
    ) -> CorpusCache:
        """The cache of the corpus opened as ``paths``: one file per corpus in ``folder``,
        by default the user's cache folder (``$XDG_CACHE_HOME/newsmark/corpus`` on Linux).

        Not in the annotation store: paths and modification times belong to one machine,
        and the store is shared through git.
        """
        key = "\0".join(os.path.abspath(path) for path in paths)
        name = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]
        if folder is None:
            import platformdirs

            folder = Path(platformdirs.user_cache_dir("newsmark", appauthor=False)) / "corpus"
        return cls(Path(folder) / f"{name}.json")

    def _load(self) -> dict[str, list[Any]]:
        if self._entries is None:
            self._entries = {}
            try:
                data = json.loads(self.path.read_bytes())
                if (
                    isinstance(data, dict)
                    and data.get("version") == self.VERSION
                    and data.get("code") == _code_fingerprint()
                    and isinstance(data.get("files"), dict)
                ):
                    self._entries = data["files"]
            except (OSError, ValueError):
                pass
        return self._entries

    def lookup(self, key: str, file: _Found, article_id: str) -> ArticleInfo | Skipped | None:
        """The cached info (or skip reason) of ``file`` (absolute path ``key``), if still
        valid, else None."""
        entry = self._valid(key, file)
        if entry is None:
            return None
        size, mtime_ns, _sidecar, title, outlet, date, reason, extra = entry
        path = Path(file.path)
        if reason is not None:
            return Skipped(path, str(reason))
        if not isinstance(extra, dict) or "records" in extra:
            return None
        return ArticleInfo(
            article_id, path, str(title), str(outlet), str(date), size, mtime_ns, file.sidecar,
            kind=str(extra.get("kind", "txt")), url=str(extra.get("url", "")),
            author=str(extra.get("author", "")), chars=int(extra.get("chars", 0)),
        )

    def boilerplate(self, info: ArticleInfo) -> tuple[Span, ...] | None:
        """The boilerplate remembered for the file of ``info`` while it is as ``info`` says
        (read when its article is opened: listing a corpus does not need it), else None."""
        row = self._listed.get(str(info.path))
        if row is not None and row[5] == info.size and row[6] == info.mtime_ns:
            return _spans(row[14])
        return _spans(_remembered_boilerplate(self._load(), info))

    def _valid(self, key: str, file: _Found) -> list[Any] | None:
        entry = self._load().get(key)
        if not isinstance(entry, list) or len(entry) != 8 or file.stat is None:
            return None
        if entry[0] != file.stat.st_size or entry[1] != file.stat.st_mtime_ns:
            return None
        if (list(file.sidecar) if file.sidecar else None) != entry[2]:
            return None
        return entry

    def lookup_dump(self, key: str, file: _Found, fields: dict[str, str]
                    ) -> tuple[list[ArticleInfo], Skipped | None] | Skipped | None:
        """The cached infos of the dump ``file`` read with ``fields`` (and its warning), or
        its skip reason, if still valid; else None."""
        entry = self._valid(key, file)
        if entry is None:
            return None
        path = Path(file.path)
        size, mtime_ns, reason, extra = entry[0], entry[1], entry[6], entry[7]
        if not isinstance(extra, dict) or extra.get("fields") != fields:
            return None
        if reason is not None:
            return Skipped(path, str(reason))
        try:
            infos = [
                ArticleInfo(str(i), path, str(t), str(o), str(d), size, mtime_ns, None,
                            kind="jsonl", url=str(u), author=str(a), chars=int(c),
                            line=int(n), offset=int(b))
                for i, t, o, d, u, a, c, n, b in extra["records"]
            ]
        except (KeyError, TypeError, ValueError):
            return None
        warning = extra.get("warning")
        return infos, Skipped(path, str(warning), partial=True) if warning else None

    def remember(self, info: ArticleInfo) -> None:
        """Keep ``info`` (read from its file) for the next launch."""
        sidecar = info.sidecar
        self._load()[os.path.abspath(info.path)] = [
            info.size, info.mtime_ns, list(sidecar) if sidecar else None,
            info.title, info.outlet, info.date, None,
            {"kind": info.kind, "url": info.url, "author": info.author, "chars": info.chars,
             **({"boilerplate": [[span.start, span.end] for span in info.boilerplate]}
                if info.boilerplate is not None else {})},
        ]
        self._dirty = True

    def remember_dump(self, path: Path, fields: dict[str, str], infos: Sequence[ArticleInfo],
                      warning: Skipped | None) -> None:
        """Keep the infos of every article of the dump ``path`` (read with ``fields``)."""
        st = _stat_key(path)
        if st is None:
            return
        self._load()[os.path.abspath(path)] = [
            st[0], st[1], None, "", "", "", None,
            {"fields": fields, "warning": warning.reason if warning else None, "records": [
                [i.id, i.title, i.outlet, i.date, i.url, i.author, i.chars, i.line, i.offset]
                for i in infos
            ]},
        ]
        self._dirty = True

    def remember_skipped(self, skipped: Skipped, fields: dict[str, str] | None = None) -> None:
        """Keep the reason a file is not an article (it is not read again while unchanged)."""
        st = _stat_key(skipped.path)
        if st is None:
            return
        sidecar = _stat_key(sidecar_path(skipped.path))
        self._load()[os.path.abspath(skipped.path)] = [
            st[0], st[1], list(sidecar) if sidecar else None, "", "", "", skipped.reason,
            {"fields": fields} if fields is not None else {},
        ]
        self._dirty = True

    @property
    def listing_path(self) -> Path:
        """Where the last listing of the corpus is kept (beside the files' metadata)."""
        return self.path.with_name(self.path.stem + ".listing.json")

    def save_listing(self, infos: Sequence[ArticleInfo], skipped: Sequence[Skipped],
                     fields: dict[str, str]) -> None:
        """Keep the whole listing (every article's info, in order, and the files skipped) for
        the next launch to show at once (see ``load_corpus(last_listing=True)``); silently not,
        if it cannot be written. A listing with metadata still to read is not kept."""
        if any(info.pending for info in infos):
            return
        entries = self._load()
        rows = [[i.id, str(i.path), i.title, i.outlet, i.date, i.size, i.mtime_ns,
                 list(i.sidecar) if i.sidecar else None, i.kind, i.url, i.author, i.chars,
                 i.line, i.offset, _remembered_boilerplate(entries, i)] for i in infos]
        data = json.dumps({
            "version": self.VERSION, "code": _code_fingerprint(), "fields": fields,
            "articles": rows,
            "skipped": [[str(s.path), s.reason, s.partial] for s in skipped],
        }, separators=(",", ":")).encode("ascii")  # ASCII: file names may hold lone surrogates
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.listing_path, data, durable=False)
        except OSError:
            pass

    def listing(self, fields: dict[str, str]) -> tuple[list[ArticleInfo], list[Skipped]] | None:
        """The last listing kept by :meth:`save_listing` (read with the same ``fields`` and
        by this newsmark), or None."""
        try:
            raw = self.listing_path.read_bytes()
            try:
                data = orjson.loads(raw)  # twice as fast as json on 10 000 rows
            except orjson.JSONDecodeError:
                data = json.loads(raw)  # a file name's lone surrogates (orjson refuses them)
            if not isinstance(data, dict) or data.get("version") != self.VERSION \
                    or data.get("code") != _code_fingerprint() or data.get("fields") != fields:
                return None
            rows = data["articles"]
            folders: dict[str, Path] = {}  # a Path per folder, then folder / name: faster
            infos = [
                _listed_info((str(i), _joined(folders, str(p)), str(t), str(o), str(d), int(z),
                              int(m), (int(c[0]), int(c[1])) if c else None, False, str(k),
                              str(u), str(a), int(n), int(ln), int(b), None))
                for i, p, t, o, d, z, m, c, k, u, a, n, ln, b, _ in rows
            ]
            # The boilerplate of an article is read from here when it is opened (not the
            # files' metadata, a larger file); not made into spans before then.
            self._listed = {str(row[1]): row for row in rows}
            skipped = [Skipped(Path(p), str(r), bool(f)) for p, r, f in data["skipped"]]
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None
        return infos, skipped

    def save(self) -> None:
        """Write the cache if it changed (atomically; silently not at all if it cannot)."""
        if not self._dirty or self._entries is None:
            return
        data = json.dumps(
            {"version": self.VERSION, "code": _code_fingerprint(), "files": self._entries},
            separators=(",", ":"),
        ).encode("ascii")  # ASCII: a file name that is not UTF-8 holds lone surrogates
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Not fsynced: a cache lost to a power cut is only read again from the files.
            atomic_write(self.path, data, durable=False)
            self._dirty = False
        except OSError:
            pass


# --------------------------------------------------------------------------- finding files


def _is_article_name(name: str) -> bool:
    lowered = name.lower()
    return (
        lowered.endswith(ARTICLE_SUFFIXES)
        and not lowered.endswith(SIDECAR_SUFFIX)
        and not lowered.startswith(".")
    )


def _holds_a_list(path: str) -> bool:
    """Whether a ``.json`` file found in a folder starts as a dump does (a list, or a line
    of JSON Lines), judged from its first bytes."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return True  # listed, so that the reason it cannot be read is told
    return head.startswith(b"[") or (head.startswith(b"{") and b"}\n{" in head.replace(
        b"\r\n", b"\n"))


def _stem(name: str) -> str:
    """``Path(name).stem``, without building a Path (listing 10 000 files is hot)."""
    dot = name.rfind(".")
    return name[:dot] if dot > 0 else name


@dataclass
class _Found:
    """A candidate article file, as listed (strings: Path objects cost more than the listing)."""

    path: str
    relative: str | None  # posix, relative to the folder given (None: given as a file)
    stat: os.stat_result | None
    sidecar: tuple[int, int] | None


def _walk(folder: Path) -> list[_Found]:
    """Article files under ``folder`` (not in hidden folders, not following folder links),
    sorted by relative path, each with its ``stat`` and its sidecar's ``(size, mtime_ns)``."""
    found: list[_Found] = []

    def visit(directory: str, relative: str) -> None:
        try:
            with os.scandir(directory) as entries:
                listed = list(entries)
        except PermissionError:
            return
        sidecars = {}
        for entry in listed:
            if entry.name.lower().endswith(SIDECAR_SUFFIX):
                try:
                    st = entry.stat()
                    sidecars[entry.name] = (st.st_size, st.st_mtime_ns)
                except OSError:
                    pass
        for entry in listed:
            name = entry.name
            if name.startswith("."):
                continue  # hidden files and folders (.git, editor swap files)
            try:
                if entry.is_dir(follow_symlinks=False):
                    visit(entry.path, relative + name + "/")
                    continue
                if not _is_article_name(name) or not entry.is_file():
                    continue
                if name.lower().endswith(".json") and not _holds_a_list(entry.path):
                    continue  # a config or an annotation shard, not a dump of articles
                st = entry.stat()
            except OSError:
                continue
            sidecar = sidecars.get(_stem(name) + SIDECAR_SUFFIX)
            found.append(_Found(entry.path, relative + name, st, sidecar))

    visit(str(folder), "")
    found.sort(key=lambda item: item.relative or "")
    return found


def _unique_ids(entries: Sequence[tuple[Path | str, Path]]) -> list[str]:
    """Ids for ``(file, base folder)`` pairs: stems, made longer only where they clash."""

    def candidates(path: Path | str, base: Path) -> list[str]:
        path = Path(path)
        relative = path.relative_to(base)
        return [
            path.stem,
            relative.with_suffix("").as_posix(),
            relative.as_posix(),
            f"{base.name}/{relative.as_posix()}" if base.name else relative.as_posix(),
        ]

    levels = [0] * len(entries)
    # Candidates are worked out only for the entries whose stem clashes (most never do, and
    # relative paths cost more than the rest of listing a 10 000-file corpus).
    known: dict[int, list[str]] = {}
    ids = [_stem(os.path.basename(path)) for path, _ in entries]
    while True:
        counts: dict[str, int] = {}
        for article_id in ids:
            counts[article_id] = counts.get(article_id, 0) + 1
        clashing = [i for i, article_id in enumerate(ids) if counts[article_id] > 1]
        if not clashing or all(levels[i] == 3 for i in clashing):
            break
        for i in clashing:
            levels[i] = min(levels[i] + 1, 3)
            if i not in known:
                known[i] = candidates(*entries[i])
            ids[i] = known[i][levels[i]]
    # Last resort (the same relative path under two folders of the same name): number them.
    seen: dict[str, int] = {}
    unique: list[str] = []
    for article_id in ids:
        seen[article_id] = seen.get(article_id, 0) + 1
        unique.append(article_id if seen[article_id] == 1 else f"{article_id}~{seen[article_id]}")
    return unique


def load_corpus(
    paths: Sequence[Path | str],
    *,
    cache: CorpusCache | None = None,
    defer_above: int | None = None,
    fields: dict[str, str] | None = None,
    last_listing: bool = False,
) -> Corpus:
    """The corpus of the articles under ``paths`` (files, and folders searched recursively).

    Folders give their ``.txt``, ``.md``, ``.html``/``.htm``, ``.jsonl`` and ``.json`` (list)
    files sorted by relative path (hidden ones and ``*.meta.json`` sidecars are not articles);
    paths keep the order given, and a file reached twice is read once. A dump gives one article
    per record, read with ``fields`` (``{"text": "body"}``: which field is which, see
    :mod:`tui.dumps`). Ids are file stems; where stems clash, the clashing ids become the path
    relative to the folder given (posix, no suffix); a dump's records have their own ids, and
    an id already taken gets ``~2``, ``~3``... A missing path raises :class:`CorpusError`; a
    binary, unreadable or otherwise bad file is listed in ``skipped`` with the reason, as is a
    dump's malformed lines (in one entry per dump).

    The corpus is lazy (see :class:`Corpus`): each file is read here once for its metadata,
    then again only when its article is asked for. With a ``cache``, files unchanged since the
    last launch are not read at all. With ``defer_above``, if more than that many files are not
    in the cache, none of them is read here: they are listed with placeholder metadata (the id
    as the title) and :meth:`Corpus.complete` reads them later, e.g. in a worker thread. Dumps
    are always read here (one file: a dump of 10 000 articles lists in about the time a folder
    of 10 000 files does).

    With ``last_listing`` (and a ``cache``), the corpus is the one listed last time, as it was
    then, without looking at its files: the app shows it at once and calls
    :meth:`Corpus.verify` after its first screen, which lists the files again. (Listing
    10 000 files and checking each against the cache is most of a large corpus's start-up.)
    An article opened before that is still read from its file as it is now.
    """
    fields = dict(fields or {})
    if last_listing and cache is not None and all(Path(given).exists() for given in paths):
        listed = cache.listing(fields)
        if listed is not None:
            infos, skipped = listed
            corpus = Corpus(skipped=skipped, infos=infos, cache=cache, fields=fields)
            corpus._unverified = (tuple(Path(given) for given in paths), defer_above)
            return corpus
    entries: list[tuple[_Found, Path]] = []
    seen: set[tuple[int, int]] = set()
    for given in paths:
        given = Path(given)
        if not given.exists():
            raise CorpusError(f"{given}: no such file or folder; check the path")
        if given.is_dir():
            files, base = _walk(given), given
        else:
            files, base = [_Found(str(given), None, None, None)], given.parent
        for file in files:
            if file.stat is None:
                try:
                    file.stat = os.stat(file.path)
                except OSError:
                    pass
                file.sidecar = _stat_key(sidecar_path(Path(file.path)))
            st = file.stat
            # The same file reached twice (two paths given, a link) is one article.
            key = (st.st_dev, st.st_ino) if st is not None else (-1, len(entries))
            if key not in seen:
                seen.add(key)
                entries.append((file, base))

    skipped: list[Skipped] = []
    articles = []
    for file, base in entries:
        if file.path.lower().endswith(SIDECAR_SUFFIX):
            skipped.append(Skipped(Path(file.path), f"{file.path} is a metadata sidecar, "
                                   "not an article"))
        else:
            articles.append((file, base))
    singles = [(file, base) for file, base in articles
               if article_kind(os.path.basename(file.path)) != "jsonl"]
    single_ids = iter(_unique_ids([(file.path, base) for file, base in singles]))
    folders = {base: os.path.abspath(base) for base in {base for _, base in articles}}

    def cache_key(file: _Found, base: Path) -> str:
        if file.relative is None:
            return os.path.abspath(file.path)
        return folders[base] + os.sep + file.relative.replace("/", os.sep)

    # Each file's infos (a dump's: many), or None while still to be read.
    warnings: list[Skipped] = []
    found: list[tuple[_Found, str | None, list[ArticleInfo] | Skipped | None]] = []
    for file, base in articles:
        if article_kind(os.path.basename(file.path)) == "jsonl":
            entry = _dump_entry(file, cache_key(file, base), cache, fields)
            if not isinstance(entry, Skipped):
                entry, warning = entry
                if warning is not None:
                    warnings.append(warning)
            found.append((file, None, entry))
            continue
        article_id = next(single_ids)
        cached = None
        if cache is not None and file.stat is not None:
            hit = cache.lookup(cache_key(file, base), file, article_id)
            cached = [hit] if isinstance(hit, ArticleInfo) else hit
        found.append((file, article_id, cached))
    missing = sum(1 for _, article_id, item in found if item is None and article_id is not None)
    defer = defer_above is not None and missing > defer_above
    infos: list[ArticleInfo] = []
    for file, article_id, item in found:
        if item is None and article_id is not None:
            if defer:
                item = [ArticleInfo(article_id, Path(file.path), pending=True,
                                    kind=article_kind(os.path.basename(file.path)))]
            else:
                read = _read_info(Path(file.path), article_id)
                if cache is not None:
                    if isinstance(read, Skipped):
                        cache.remember_skipped(read)
                    else:
                        cache.remember(read)
                item = read if isinstance(read, Skipped) else [read]
        if isinstance(item, Skipped):
            skipped.append(item)
        elif item is not None:
            infos.extend(item)
    infos = _distinct_ids(infos)
    skipped += warnings
    if cache is not None and not defer:
        cache.save()
        cache.save_listing(infos, skipped, fields)
    return Corpus(skipped=skipped, infos=infos, cache=cache, fields=fields)


def _dump_entry(file: _Found, key: str, cache: CorpusCache | None, fields: dict[str, str]
                ) -> tuple[list[ArticleInfo], Skipped | None] | Skipped:
    """The infos of a dump's articles and the warning about its malformed lines (from the
    cache when the dump is unchanged), or why it is no dump at all."""
    hit = cache.lookup_dump(key, file, fields) if cache is not None else None
    if hit is None:
        path = Path(file.path)
        infos, warning = _dump_infos(path, fields)
        if cache is not None:
            if not infos and warning is not None:
                cache.remember_skipped(warning, fields)
            else:
                cache.remember_dump(path, fields, infos, warning)
        hit = warning if not infos and warning is not None else (infos, warning)
    return hit


def _distinct_ids(infos: list[ArticleInfo]) -> list[ArticleInfo]:
    """``infos`` with every id distinct: an id already taken (a dump's record named as a file
    is, two dumps' records with one id) gets ``~2``, ``~3``... in corpus order."""
    taken: set[str] = set()
    counts: dict[str, int] = {}
    distinct: list[ArticleInfo] = []
    for info in infos:
        if info.id not in taken:
            taken.add(info.id)
            distinct.append(info)
            continue
        count = counts.get(info.id, 1) + 1
        while f"{info.id}~{count}" in taken:
            count += 1
        counts[info.id] = count
        new_id = f"{info.id}~{count}"
        taken.add(new_id)
        distinct.append(replace(info, id=new_id))
    return distinct


def bundled_seeds() -> Path:
    """The seed articles shipped inside the package."""
    return Path(__file__).parent / "seeds"


def default_corpus_paths(cwd: Path | None = None) -> list[Path]:
    """The corpus opened when none is given: ``./seeds`` if it exists, else the bundled seeds."""
    local = (cwd if cwd is not None else Path.cwd()) / "seeds"
    return [local] if local.is_dir() else [bundled_seeds()]
