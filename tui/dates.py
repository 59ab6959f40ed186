"""Dates in news text, found and resolved against the article's date (no UI).

Two calls make the whole API::

    find_dates(text, published)  -> [DateMention(start, end, text, tense, when), ...]
    resolve(phrase, published, prefer="future") -> When | None

``published`` is the article's date (``date`` or ``"YYYY-MM-DD"``; ``Article.date``). A
:class:`When` is a resolved date, interval of days, week, month or year; ``When.iso`` spells it
in ISO 8601 (``2022-01-09``, ``2022-01-09/2022-01-10``, ``2022-01``, ``2022``). In an article of
2021-12-31, "January 9 and 10" is ``2022-01-09/2022-01-10``, "next month" ``2022-01`` and
"Wednesday" (in a sentence about what will happen) ``2022-01-05``.

How it works. A regular grammar finds the mentions (month-and-day lists and ranges, month
names, weekdays, ISO dates, "next week", "in two weeks", "two days later"...), so the cost is
linear in the text and only real mentions reach the library. Each mention is split into single
dates ("January 9 and 10" → "January 9", "January 10") and each is resolved by ``dateparser``
with the publication date as its base. Which way an ambiguous date goes — "Dec. 7" in an
article of 31 December is the 7th just gone or the next one; "Wednesday" the last or the next —
follows its :attr:`DateMention.tense`:

* ``"future"`` — the phrase says so ("next", "coming", "in two weeks") or its clause does
  ("will", "is due to", "scheduled for", "to be held", "expected to");
* ``"past"`` — the phrase says so ("last", "prior", "ago", "earlier") or its clause does (a
  verb in the past tense: "was", "had", "met", "called", "said");
* ``""`` (unknown, or a possessive such as "Thursday's call") — the date nearest to publication.

"Two days later" counts from the mention before it in the same sentence ("talks on 9 January,
followed by a meeting two days later" → 2022-01-11). Without a publication date, only mentions
that name their year are resolved; the others keep ``when = None`` (their tense still says
whether they look ahead).

Why dateparser rather than parsedatetime: both were measured (``bench/dates.py``, figures in
``bench/README.md``). Both read the benchmark's 38 phrases right — parsedatetime only once the
caller adds what it lacks: it has no "prefer past" setting, so a past "Wednesday" must be
rewritten "last Wednesday" and a past "Dec. 7" moved back a year by hand. parsedatetime is
about 25 times faster per phrase (50 µs against 1.3 ms) and loads in 0.05 s against 0.4 s,
but its last release was in 2020; dateparser is released several times a year, reads many
more shapes and languages, and reports the precision of what it read. Its cost is kept off the
hot path: the grammar hands it only real date phrases, each phrase is resolved once per
publication date and direction (a cache), and "the nearest" of a month-and-day or weekday is
computed from one reading (the other direction is a year or a week away), not two.
"""

from __future__ import annotations

import calendar
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import repeat
from operator import methodcaller
from typing import Any

from .model import Span

__all__ = [
    "CLAUSE_WORDS",
    "DateMention",
    "When",
    "clause_tense",
    "find_dates",
    "parse_published",
    "resolve",
    "tense_of",
]

#: Directions a mention may be resolved in (see :func:`resolve`).
PREFERENCES = ("future", "past", "nearest")

# --------------------------------------------------------------------------- the grammar

_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
# Capitalised, as news text writes them: "may" and "march" in lower case are a verb.
_MONTH = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|March|Mar\.|April|Apr\.|May|June|Jun\.|July|Jul\."
    r"|Aug(?:ust|\.)?|Sept(?:ember|\.)?|Sep\.|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
# "May" and "March" alone are a verb far more often than a month ("It may rain", "March on
# Kyiv" at the start of a sentence): they need a day, a year or one of these before them.
_MONTH_LEAD = (
    r"(?:in|by|until|till|since|from|of|during|before|after|through|early|mid|late|this|next"
    r"|last|end of|start of|beginning of|middle of|first half of|second half of)"
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = "(?:" + "|".join(_WEEKDAYS) + ")"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_JOIN = r"\s*(?:,|and|or|to|through|until|-|–|—|/|&)\s*"
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2,
    "a few": 3, "several": 3,
}
_COUNT = r"(?:\d{1,3}|a couple of|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"  # noqa: E501
_UNIT = r"(?:days?|weeks?|months?|years?|fortnights?)"
_PERIOD = r"(?:week|month|year|weekend|spring|summer|autumn|fall|winter)"

_SHAPES = (
    # 2022-01-09
    rf"(?P<iso>(?<!\d)(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])(?!\d))",
    # January 9 and 10, Jan. 9-10, Dec.7, January 9, 2022
    rf"(?P<md>(?P<md_m>{_MONTH})\s*(?P<md_days>{_DAY}(?:{_JOIN}{_DAY})*)(?!\d)(?:,?\s+(?P<md_y>{_YEAR}))?(?![\w:]))",
    # 9 January, 9 and 10 January, 9-10 January 2022, the 9th of January
    rf"(?P<dm>(?P<dm_days>(?<![\d,.:]){_DAY}(?:{_JOIN}{_DAY})*)\s+(?:of\s+)?(?P<dm_m>{_MONTH})(?:,?\s+(?P<dm_y>{_YEAR}))?(?!\w))",
    # January 2022
    rf"(?P<my>(?P<my_m>{_MONTH})\s+(?P<my_y>{_YEAR})(?!\d))",
    # in January, early February, mid-March (month alone; "May" only after a lead word)
    rf"(?P<mo>(?:(?P<mo_lead>{_MONTH_LEAD})[\s-]+)?(?P<mo_m>{_MONTH}))(?![\w-]|\.\w|\s*\d)",
    # next Tuesday, on Wednesday, Thursday's
    rf"(?P<wd>(?:(?P<wd_rel>(?i:next|this|last|coming|this coming|previous))\s+)?"
    rf"(?P<wd_d>{_WEEKDAY})(?P<wd_pos>['’]s)?)\b",
    # tomorrow, yesterday, today, tonight
    r"(?P<dy>\b(?P<dy_w>(?i:tomorrow|yesterday|today|tonight))\b)",
    # in two weeks, within a month, in 10 days' time
    rf"(?P<in>\b(?i:in|within)\s+(?i:the\s+next\s+)?(?P<in_n>(?i:{_COUNT}))\s+(?P<in_u>{_UNIT})"
    r"(?:['’]?\s+time)?\b)",
    # two days later, a week ago, three months earlier
    rf"(?P<ago>\b(?P<ago_n>(?i:{_COUNT}))\s+(?P<ago_u>{_UNIT})\s+"
    r"(?P<ago_w>later|after|ago|earlier|before|from now|on)\b)",
    # next month, early next year, later this week, last year, the coming weeks
    r"(?P<rel>\b(?:(?P<rel_edge>(?i:early|late|later|earlier|the end of|the start of"
    r"|the beginning of))\s+)?(?P<rel_w>(?i:next|this|last|coming|the coming|the following"
    rf"|the past|the previous))\s+(?P<rel_p>{_PERIOD})\b)",
)
_MENTION_RE = re.compile("|".join(_SHAPES))
_VERB_MONTHS = frozenset({"May", "March"})
_DAY_NUMBER_RE = re.compile(r"\d{1,2}")
_JOIN_RE = re.compile(r"\s*(?:-|–|—|to|through|until)\s*")

_FUTURE_PHRASE = frozenset({"next", "coming", "this coming", "later", "from now", "tomorrow",
                            "tonight", "the coming", "the following"})
_PAST_PHRASE = frozenset({"last", "previous", "ago", "earlier", "yesterday", "the past",
                          "the previous"})

# Words just before a mention that date an event already past ("the prior Dec. 7 call") or
# still ahead ("the upcoming January 10 talks").
_PAST_BEFORE = re.compile(r"\b(?:prior|previous|earlier|past|last|since|ago)\s+(?:\w+\s+)?$",
                          re.IGNORECASE)
_PAST_BEFORE_WORDS = ("prior", "previous", "earlier", "past", "last", "since", "ago")
_FUTURE_BEFORE_WORDS = ("upcoming", "forthcoming", "planned", "scheduled", "coming", "next",
                        "until", "by", "ahead of", "before")
_FUTURE_BEFORE = re.compile(
    r"\b(?:upcoming|forthcoming|planned|scheduled|coming|next|until|by|ahead of|before)"
    r"\s+(?:the\s+|a\s+)?$",
    re.IGNORECASE,
)

# The tense of a clause. "Future" wins: "talks that were planned for January 9" are ahead.
_FUTURE_CLAUSE = re.compile(
    r"\b(?:will|won[’']t|shall|['’]ll|going to|due to|set to|slated|scheduled|planned|plans? to"
    r"|planning to|expected to|expects? to|intends? to|to be held|to take place|to begin"
    r"|to start|to meet|to resume|to open|to hold|will be|would be held|would take place"
    r"|would begin|would start|would meet|upcoming|forthcoming|next|ahead|deadline)\b",
    re.IGNORECASE,
)
_PAST_CLAUSE = re.compile(
    r"\b(?:was|were|had|did|didn[’']t|said|told|met|held|took|began|came|went|made|gave|saw"
    r"|spoke|sent|left|won|lost|brought|thought|felt|ago|earlier|previously|last"
    r"|[a-z]{3,}ed)\b",
    re.IGNORECASE,
)
# A modal makes a clause hypothetical ("penalties imposed now may lead to a collapse"): neither
# past nor future, whatever participles it holds.
_MODAL_CLAUSE = re.compile(r"\b(?:would|could|may|might|can|cannot|should|must)\b",
                           re.IGNORECASE)
#: Words that open another clause (for the tense of a clause; punctuation ends one too).
CLAUSE_WORDS = frozenset(
    "which who whom where while whereas but although though because after before when".split())
# Where a clause ends, for the tense of a mention: punctuation and words that open another.
_CLAUSE_BREAK = re.compile(
    r"[,;:()“”\"—–]|\b(?:" + "|".join(sorted(CLAUSE_WORDS)) + r"|followed by|as well as)\b",
    re.IGNORECASE,
)
# The same in two parts, for text whose letters and digits are ASCII (see _last_break): the
# punctuation, and the words (matched in lower-cased text, their opening word boundary
# checked by hand). Lower-casing such text keeps its length, and ignoring case in it is
# lower-casing it.
_OTHER_WORD_CHAR = re.compile(r"[^\W\x00-\x7f]")
_BREAK_MARKS = re.compile(r"[,;:()“”\"—–]")
_BREAK_WORDS = re.compile(r"(?:" + "|".join(sorted(CLAUSE_WORDS)) + r"|followed by|as well as)\b")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class When:
    """A resolved date: the days ``start`` to ``end`` (inclusive), read to ``precision``.

    ``precision`` is ``"day"`` (one day, or a list or range of days), ``"week"``, ``"month"``
    or ``"year"``.
    """

    start: date
    end: date
    precision: str

    def __reduce__(self) -> tuple[Any, ...]:  # (pickled and copied alike compiled: setup.py)
        return When, (self.start, self.end, self.precision)

    @property
    def iso(self) -> str:
        """ISO 8601: ``2022-01-09``, ``2022-01-09/2022-01-10``, ``2022-01``, ``2022``.

        A week is its Monday-to-Sunday interval of days (sorts and reads like the others).
        """
        if self.precision == "year":
            years = f"{self.start.year}"
            return years if self.start.year == self.end.year else f"{years}/{self.end.year}"
        if self.precision == "month":
            first = f"{self.start:%Y-%m}"
            last = f"{self.end:%Y-%m}"
            return first if first == last else f"{first}/{last}"
        first = self.start.isoformat()
        return first if self.start == self.end else f"{first}/{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.iso

    def after(self, day: date) -> bool:
        """True if this date begins after ``day``: still to come on that day.

        A month or year already begun ("this month" on the 31st) is not after it.
        """
        return self.start > day


@dataclass(frozen=True)
class DateMention:
    """A date named in a text: where (code points), what it says, and what it resolves to.

    ``tense`` is ``"future"``, ``"past"`` or ``""`` (unknown; see the module docstring).
    ``when`` is None when the mention cannot be placed (no publication date and no year, or a
    phrase the library does not read). It is resolved on first use: the library costs about a
    millisecond per new phrase, and most callers need the dates of only a few mentions (a
    mention whose clause says "will" is ahead whatever its date).
    """

    start: int
    end: int
    text: str
    tense: str
    resolved: When | None = field(default=None, compare=False, repr=False)
    _resolver: Callable[[], When | None] | None = field(default=None, compare=False,
                                                          repr=False)

    @property
    def when(self) -> When | None:
        """The resolved date (computed once, on first use)."""
        resolver = self._resolver
        if resolver is not None:
            object.__setattr__(self, "resolved", resolver())
            object.__setattr__(self, "_resolver", None)
        return self.resolved

    @property
    def span(self) -> Span:
        """The mention's span in the text."""
        return Span(self.start, self.end)


# --------------------------------------------------------------------------- the API


def parse_published(value: date | datetime | str | None) -> date | None:
    """An article's date as a ``date``: from a ``date``, a ``datetime`` or ``"YYYY-MM-DD..."``.

    Anything else (``""``, a malformed string) is None: the article has no known date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def find_dates(
    text: str,
    published: date | str | None = None,
    *,
    start: int = 0,
    end: int | None = None,
    check: Callable[[], object] | None = None,
) -> list[DateMention]:
    """Every date mentioned in ``text[start:end]``, in text order, resolved against
    ``published`` (see the module docstring for which way an ambiguous date goes).

    ``check()`` is called every :data:`CHECK_EVERY` steps, and may raise to stop. Compiled
    (see setup.py), this function runs no bytecode of its own, so the interpreter would not
    hand the GIL to another thread while it reads a long article: a ``check`` written in
    Python is where it can (the reader's worker passes one).
    """
    base = parse_published(published)
    stop = len(text) if end is None else end
    mentions: list[DateMention] = []
    previous: DateMention | None = None
    for number, match in enumerate(_scan(text, start, stop, check)):
        if check is not None and not number % CHECK_EVERY:
            check()
        kind = match.lastgroup
        if kind is None:  # pragma: no cover - every alternative is a named group
            continue
        if kind == "mo" and match.group("mo_m") in _VERB_MONTHS and not match.group("mo_lead"):
            continue
        tense = _tense(text, match, kind, start, stop)
        # "Two days later" counts from the date before it, if that is in the same sentence.
        before = None
        if previous is not None and _sentence_end(text, previous.end, match.start()) < 0:
            before = previous
        previous = DateMention(match.start(kind), match.end(kind), match.group(kind), tense,
                               _resolver=_deferred(match, kind, base, tense, before))
        mentions.append(previous)
    return mentions


def _deferred(match: re.Match[str], kind: str, base: date | None, tense: str,
              before: DateMention | None) -> Callable[[], When | None]:
    """How to resolve a mention when its date is first asked for."""
    def resolve_now() -> When | None:
        anchor = before.when if before is not None and kind in ("in", "ago") else None
        # A function of the phrase (the match's groups are its text's, read as ``kind``) and
        # of the rest: an article (and a story's other articles) names its dates again.
        key = (kind, match.group(), base, tense, anchor)
        found = _RESOLVED.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            if len(_RESOLVED) >= _RESOLVED_KEPT:
                _RESOLVED.clear()
            found = _RESOLVED[key] = _resolve_match(match, kind, base, tense, anchor)
        return found  # type: ignore[return-value]

    return resolve_now


#: What mentions resolved to, by :func:`_deferred`'s key (at most this many, then forgotten).
_RESOLVED: dict[tuple[str, str, date | None, str, When | None], object] = {}
_RESOLVED_KEPT = 8192
_UNKNOWN = object()


def resolve(phrase: str, published: date | str | None, *, prefer: str = "future") -> When | None:
    """One date phrase ("January 9", "next month", "Wednesday", "January 9 and 10") resolved
    against ``published``.

    ``prefer`` decides an ambiguous phrase: ``"future"`` (the next January 9), ``"past"`` (the
    last one) or ``"nearest"`` (whichever is closer to ``published``). Returns None for text
    that is not one date phrase, or that needs a publication date it was not given.
    """
    if prefer not in PREFERENCES:
        raise ValueError(f"prefer must be one of {PREFERENCES}, not {prefer!r}")
    phrase = phrase.strip()
    match = _MENTION_RE.fullmatch(phrase)
    if match is None or match.lastgroup is None:
        return None
    if match.lastgroup == "mo" and match.group("mo_m") in _VERB_MONTHS and not match.group(
        "mo_lead"
    ):
        return None
    tense = {"future": "future", "past": "past", "nearest": ""}[prefer]
    return _resolve_match(match, match.lastgroup, parse_published(published), tense, None)


# --------------------------------------------------------------------------- finding

# Scanning a text with the whole grammar costs about a microsecond and a half per character
# (ten alternatives tried at every position): 1.5 s for 1 MB. Instead, cheap scans find the
# words every mention must hold — a month or weekday name, a unit of time, tomorrow/today/
# yesterday/tonight, an ISO date — and small anchored expressions widen each to the whole
# mention, which the grammar then reads (fullmatch). A test checks that both find the same
# mentions on real text.
_MONTH_ABBREVIATIONS = frozenset(
    ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"])
_MONTH_WORDS = frozenset(_MONTH_NAMES) | _MONTH_ABBREVIATIONS
_WEEKDAY_WORDS = frozenset(_WEEKDAYS)
#: The capitalised words (a capital, then lower-case letters as far as they go) that are a
#: month or weekday name: the regex engine skips the others rather than a Python loop.
_NAMED_DAY = re.compile(
    "(?:" + "|".join(sorted(_MONTH_WORDS | _WEEKDAY_WORDS, key=len, reverse=True))
    + ")(?![a-z])")
_ISO_RE = re.compile(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)")
_ISO_MONTH = re.compile(r"-(?:0[1-9]|1[0-2])-")
_UNIT_WORDS = ("day", "week", "month", "year", "fortnight", "spring", "summer", "autumn",
               "fall", "winter")
_DAY_WORDS = ("tomorrow", "yesterday", "today", "tonight")
_AFTER_MONTH = re.compile(
    rf"\s*{_DAY}(?:{_JOIN}{_DAY})*(?!\d)(?:,?\s+{_YEAR})?(?![\w:])|\s+{_YEAR}(?!\d)")
_YEAR_AFTER = re.compile(rf",?\s+{_YEAR}(?!\d)")
_DAYS_BEFORE = re.compile(rf"(?<![\d,.:]){_DAY}(?:{_JOIN}{_DAY})*\s+(?:of\s+)?$")
_LEAD_BEFORE = re.compile(rf"(?i:\b{_MONTH_LEAD})[\s-]+$")
_WEEKDAY_LEAD = re.compile(r"(?i:\b(?:next|this coming|this|last|coming|previous))\s+$")
_POSSESSIVE = re.compile(r"['’]s\b")
_UNIT_TAIL = re.compile(r"s?\b")
_AGO_TAIL = re.compile(r"\s+(?:later|after|ago|earlier|before|from now|on)\b")
_IN_BEFORE = re.compile(rf"(?i:\b(?:in|within)\s+(?:the\s+next\s+)?{_COUNT})\s+$")
_REL_BEFORE = re.compile(
    r"(?i:\b(?:(?:early|late|later|earlier|the end of|the start of|the beginning of)\s+)?"
    r"(?:next|this|last|coming|the coming|the following|the past|the previous))\s+$")
_COUNT_BEFORE = re.compile(rf"(?i:\b{_COUNT})\s+$")
_LOOK_BACK = 40
#: How many mentions (or candidates) :func:`find_dates` reads between two calls of ``check``.
CHECK_EVERY = 16


def _scan(text: str, start: int, stop: int,
          check: Callable[[], object] | None = None) -> list[re.Match[str]]:
    """The grammar's matches in ``text[start:stop]``, in order, without scanning it with the
    grammar (see above). ``check()`` as :func:`find_dates` calls it."""
    spans: list[tuple[int, int]] = []
    for number, named in enumerate(_NAMED_DAY.finditer(text, start, stop)):
        if check is not None and not number % CHECK_EVERY:
            check()
        name = named.group()
        if name in _MONTH_WORDS:
            end = named.end()
            if name in _MONTH_ABBREVIATIONS and text.startswith(".", end):
                end += 1  # "Jan." (the grammar reads "Jan" without its dot too)
            spans.append(_around_month(text, named.start(), end, start, stop))
        elif name in _WEEKDAY_WORDS:
            left = _before(text, _WEEKDAY_LEAD, named.start(), start)
            tail = _POSSESSIVE.match(text, named.end(), stop)
            spans.append((left, tail.end() if tail else named.end()))
    # An ISO date is found from its month ("-01-": a literal first, which the regex engine
    # finds fast), then read whole from four characters before.
    for month in _ISO_MONTH.finditer(text, start + 4, stop):
        iso = _ISO_RE.match(text, month.start() - 4, stop)
        if iso is not None and (iso.start() == start or not text[iso.start() - 1].isdigit()):
            spans.append((iso.start(), iso.end()))
    lowered = text if text.isascii() else _lower_same_length(text)
    lowered = lowered.lower() if lowered is text else lowered
    for unit in _UNIT_WORDS:
        if check is not None:
            check()
        position = lowered.find(unit, start, stop)
        while position >= 0:
            end = position + len(unit)
            if (position == 0 or not lowered[position - 1].isalpha()):
                tail = _UNIT_TAIL.match(lowered, end, stop)
                if tail is not None:
                    spans.append(_around_unit(lowered, position, tail.end(), start, stop))
                    if check is not None and not len(spans) % CHECK_EVERY:
                        check()
            position = lowered.find(unit, end, stop)
    for word in _DAY_WORDS:
        position = lowered.find(word, start, stop)
        while position >= 0:
            end = position + len(word)
            if (position == 0 or not lowered[position - 1].isalpha()) and (
                    end >= len(lowered) or not lowered[end].isalpha()):
                spans.append((position, end))
            position = lowered.find(word, end, stop)
    spans.sort(key=lambda span: (span[0], -span[1]))
    matches: list[re.Match[str]] = []
    reached = start
    for number, (left, right) in enumerate(spans):
        if check is not None and not number % CHECK_EVERY:
            check()
        if left < reached or right <= left:
            continue
        match = _MENTION_RE.fullmatch(text, left, right)
        if match is None:
            continue
        matches.append(match)
        reached = right
    return matches


def _before(text: str, pattern: re.Pattern[str], position: int, lower: int) -> int:
    """Where a match of ``pattern`` (anchored at ``$``) ending at ``position`` starts, else
    ``position``."""
    window = max(lower, position - _LOOK_BACK)
    found = pattern.search(text, window, position)
    return found.start() if found else position


def _around_month(text: str, start: int, end: int, lower: int, upper: int) -> tuple[int, int]:
    days = _before(text, _DAYS_BEFORE, start, lower)
    if days < start:
        year = _YEAR_AFTER.match(text, end, upper)
        return days, year.end() if year else end  # 9 January, 9 and 10 January 2022
    after = _AFTER_MONTH.match(text, end, upper)
    if after is not None:
        return start, after.end()  # January 9, January 9 and 10, January 2022
    return _before(text, _LEAD_BEFORE, start, lower), end  # (early) January


def _around_unit(lowered: str, start: int, end: int, lower: int, upper: int) -> tuple[int, int]:
    for pattern in (_IN_BEFORE, _REL_BEFORE):
        left = _before(lowered, pattern, start, lower)
        if left < start:
            return left, end  # in two weeks, early next year
    tail = _AGO_TAIL.match(lowered, end, upper)
    left = _before(lowered, _COUNT_BEFORE, start, lower)
    if tail is not None and left < start:
        return left, tail.end()  # two days later, a week ago
    return start, start  # a unit alone ("days") is no date


def _lower_same_length(text: str) -> str:
    """``text`` lower-cased character by character, keeping its length (so offsets hold)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


# --------------------------------------------------------------------------- resolving


def _resolve_match(
    match: re.Match[str], kind: str, base: date | None, tense: str, anchor: When | None
) -> When | None:
    group = match.group
    if kind == "iso":
        try:
            day = date(int(group("iso_y")), int(group("iso_m")), int(group("iso_d")))
        except ValueError:
            return None
        return When(day, day, "day")
    if kind in ("md", "dm"):
        month = _month_name(group(f"{kind}_m"))
        year = group(f"{kind}_y")
        days = _days(group(f"{kind}_days"))
        resolved = [_library(f"{month} {day}" + (f" {year}" if year else ""), base, tense,
                             need_base=not year, cycle="" if year else "year")
                    for day in days]
        placed = [item[0] for item in resolved if item is not None]
        if not placed:
            return None
        # A list or range keeps the year of its first day (January 30 and February 1 excepted).
        return When(min(placed), max(placed), "day")
    if kind == "my":
        return _month_when(_library(f"{_month_name(group('my_m'))} {group('my_y')}", base,
                                    tense, need_base=False))
    if kind == "mo":
        return _month_when(_library(_month_name(group("mo_m")), base, tense, cycle="year"))
    if kind == "wd":
        relative = (group("wd_rel") or "").lower()
        phrase = group("wd_d") if relative in ("", "this", "this coming", "coming") else (
            f"{'last' if relative == 'previous' else relative} {group('wd_d')}")
        if not relative and tense != "future" and base is not None and (
            _WEEKDAYS.index(group("wd_d")) == base.weekday()
        ):
            return When(base, base, "day")  # "on Friday" in Friday's paper: that very day
        found = _library(phrase, base, tense, cycle="week")
        return None if found is None else When(found[0], found[0], "day")
    if kind == "dy":
        found = _library(group("dy_w").lower().replace("tonight", "today"), base, tense,
                         cycle="week")
        return None if found is None else When(found[0], found[0], "day")
    if kind in ("in", "ago"):
        count = _count(group(f"{kind}_n"))
        unit = group(f"{kind}_u").lower().rstrip("s")
        if unit == "fortnight":
            count, unit = count * 2, "week"
        word = "later" if kind == "in" else group("ago_w").lower()
        origin = base
        if word in ("later", "after", "on", "before", "earlier") and anchor is not None:
            origin = anchor.end  # "two days later": after the date just named
        if origin is None:
            return None
        backwards = word in ("ago", "earlier", "before")
        return _shifted(origin, count, unit, backwards)
    if kind == "rel":
        return _relative(group("rel_w").lower(), group("rel_p").lower(), base)
    return None  # pragma: no cover - every shape is handled above


def _relative(word: str, period: str, base: date | None) -> When | None:
    if base is None:
        return None
    step = {"next": 1, "coming": 1, "the coming": 1, "the following": 1, "this": 0,
            "last": -1, "the past": -1, "the previous": -1}[word]
    if period in ("week", "weekend"):
        monday = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        if period == "weekend":
            saturday = monday + timedelta(days=5)
            return When(saturday, saturday + timedelta(days=1), "day")
        return When(monday, monday + timedelta(days=6), "week")
    if period == "month":
        year, month = _add_months(base.year, base.month, step)
        return _whole_month(year, month)
    if period == "year":
        year = base.year + step
        return When(date(year, 1, 1), date(year, 12, 31), "year")
    return None  # seasons: no agreed dates (and hemispheres differ)


def _month_when(found: tuple[date, str] | None) -> When | None:
    if found is None:
        return None
    return _whole_month(found[0].year, found[0].month)


def _whole_month(year: int, month: int) -> When:
    last = calendar.monthrange(year, month)[1]
    return When(date(year, month, 1), date(year, month, last), "month")


def _add_months(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + step
    return index // 12, index % 12 + 1


def _shifted(origin: date, count: int, unit: str, backwards: bool) -> When | None:
    sign = -1 if backwards else 1
    if unit == "day":
        day = origin + timedelta(days=sign * count)
        return When(day, day, "day")
    if unit == "week":
        day = origin + timedelta(weeks=sign * count)
        monday = day - timedelta(days=day.weekday())
        return When(monday, monday + timedelta(days=6), "week")
    if unit == "month":
        year, month = _add_months(origin.year, origin.month, sign * count)
        return _whole_month(year, month)
    if unit == "year":
        year = origin.year + sign * count
        return When(date(year, 1, 1), date(year, 12, 31), "year")
    return None


def _days(text: str) -> list[int]:
    numbers = [int(n) for n in _DAY_NUMBER_RE.findall(text)]
    # "9-12" and "9 to 12" are ranges: every day between; "9 and 12" is two days.
    if len(numbers) == 2 and _JOIN_RE.search(text) and numbers[0] < numbers[1]:
        return [numbers[0], numbers[1]]
    return numbers


def _count(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else _NUMBER_WORDS.get(text, 1)


def _month_name(text: str) -> str:
    stem = text.rstrip(".")[:3].lower()
    for name in _MONTH_NAMES:
        if name[:3].lower() == stem:
            return name
    return text  # pragma: no cover - the grammar only matches month names


# --------------------------------------------------------------------------- tense


def _tense(text: str, match: re.Match[str], kind: str, lower: int, upper: int) -> str:
    """Whether the mention looks ahead (``"future"``), back (``"past"``) or cannot say."""
    if kind == "in":
        return "future"  # "in two weeks", "within a month"
    phrase = match.group(kind).lower()
    words = phrase.replace("-", " ").split()
    for marker in ("this coming", "the coming", "the following", "the past", "the previous",
                   "from now"):
        if marker in phrase:
            return "future" if marker in _FUTURE_PHRASE else "past"
    for word in words:
        if word in _FUTURE_PHRASE:
            return "future"
        if word in _PAST_PHRASE:
            return "past"
    before = text[max(lower, match.start() - 40) : match.start()]
    # Each pattern needs one of its words there: ASCII text without any is skipped (case
    # folding beyond ASCII is left to the regex engine).
    plain = before.lower() if before.isascii() else None
    if (plain is None or any(word in plain for word in _PAST_BEFORE_WORDS)) and (
            _PAST_BEFORE.search(before)):
        return "past"
    if (plain is None or any(word in plain for word in _FUTURE_BEFORE_WORDS)) and (
            _FUTURE_BEFORE.search(before)):
        return "future"
    if kind == "wd" and match.group("wd_pos"):
        return ""  # "Thursday's call": a noun's date, not the clause's; the nearest Thursday
    return clause_tense(text, match.start(), match.end(), lower, upper)


def clause_tense(text: str, start: int, end: int, lower: int = 0, upper: int | None = None) -> str:
    """The tense of the clause around ``text[start:end]``: ``"future"``, ``"past"`` or ``""``.

    The clause reaches to the nearest punctuation or clause-opening word ("which", "while",
    "but", "after"...) on each side, within the sentence and within ``[lower, upper)``.
    "Future" wins ("talks that were scheduled for Monday" are ahead): a future marker (will,
    due to, set to, scheduled, expected to, to be held, next...). Then a modal (would, could,
    may, might...) makes it ``""``: hypothetical. Then a past-tense verb (was, had, said, met,
    called...) or ago, earlier, last makes it ``"past"``. A clause with none of these (a
    gerund, a list of dates) takes the tense of its sentence.
    """
    stop = len(text) if upper is None else upper
    clause_start, clause_end = _clause(text, start, end, lower, stop)
    tense = tense_of(text[clause_start:clause_end])
    if tense is None:
        sentence_start, sentence_end = _sentence_around(text, start, end, lower, stop)
        tense = tense_of(text[sentence_start:sentence_end])
    return tense or ""


def tense_of(chunk: str) -> str | None:
    """"future", "" (hypothetical), "past", or None when ``chunk`` has no marker at all.

    The markers are those of :func:`clause_tense`, which applies this to a clause and then,
    if it says None, to the clause's sentence.

    Word sets and substring tests rather than regular expressions: this runs for every date
    mention and every rule with a tense, and an alternation of fifty words with ``\\b`` costs
    some fifty microseconds per clause.
    """
    lowered = chunk.lower().replace("’", "'")
    words = set(map(str.strip, lowered.split(), repeat(_WORD_EDGES)))  # (in C, no bytecode)
    if not words.isdisjoint(_FUTURE_WORDS) or ("'ll" in lowered and any(
            word.endswith("'ll") for word in words)):
        return "future"
    if any(phrase in lowered for phrase in _FUTURE_PHRASES) and _FUTURE_CLAUSE.search(chunk):
        return "future"
    if not words.isdisjoint(_MODAL_WORDS):
        return ""
    if not words.isdisjoint(_PAST_WORDS) or ("ed" in lowered and any(
            len(word) >= 5 and word.isalpha() for word in filter(_ENDS_ED, words))):
        return "past"
    return None


_WORD_EDGES = "\"'“”‘’«»()[]{}.,;:!?—–-…"
_ENDS_ED = methodcaller("endswith", "ed")
_FUTURE_WORDS = frozenset(
    "will won't shall slated scheduled planned upcoming forthcoming next ahead deadline".split())
#: Multi-word future markers, tested as substrings first (cheap) and then, to respect word
#: boundaries, with :data:`_FUTURE_CLAUSE`.
_FUTURE_PHRASES = (
    "going to", "due to", "set to", "plans to", "plan to", "planning to", "expected to",
    "expects to", "expect to", "intends to", "intend to", "to be held", "to take place",
    "to begin", "to start", "to meet", "to resume", "to open", "to hold", "would be held",
    "would take place", "would begin", "would start", "would meet",
)
_MODAL_WORDS = frozenset("would could may might can cannot should must".split())
_PAST_WORDS = frozenset(
    "was were had did didn't said told met held took began came went made gave saw spoke sent "
    "left won lost brought thought felt ago earlier previously last".split())


def _sentence_around(text: str, start: int, end: int, lower: int, upper: int) -> tuple[int, int]:
    left = max(lower, start - 400)
    window = text[left:start]
    cut = max(window.rfind(". "), window.rfind("? "), window.rfind("! "), window.rfind("\n"))
    sentence_start = left + cut + 1 if cut >= 0 else left
    stop = _sentence_end(text, end, min(upper, end + 400))
    return sentence_start, stop if stop >= 0 else min(upper, end + 400)


def _clause(text: str, start: int, end: int, lower: int, upper: int) -> tuple[int, int]:
    """The clause around ``[start, end)``: up to the nearest breaks, within its sentence."""
    left = max(lower, start - 200)
    window = text[left:start]
    clause_start = _last_break(window, left)
    sentence = max(window.rfind(". "), window.rfind("\n"))
    if sentence >= 0:
        clause_start = max(clause_start, left + sentence + 1)
    right = min(upper, end + 200)
    clause_end = _next_break(text, end, right)
    stop = _sentence_end(text, end, clause_end)
    if stop >= 0:
        clause_end = stop
    return clause_start, clause_end


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _last_break(window: str, left: int) -> int:
    """``left`` plus the end of the last clause break in ``window`` (``left`` if none): what
    the last match of :data:`_CLAUSE_BREAK` in ``window`` gives.

    Text whose letters and digits are all ASCII is read in two cheap passes, punctuation,
    then the lower-cased words with a word boundary checked by hand (an alternation of words
    behind ``\\b`` with case ignored costs the regex engine a third of a microsecond per
    character), the window's tail first. Breaks never overlap,
    so the last one is the later of the two passes' last.
    """
    if not window.isascii() and _OTHER_WORD_CHAR.search(window):
        clause_start = left
        for found in _CLAUSE_BREAK.finditer(window):
            clause_start = left + found.end()
        return clause_start
    lowered = window.lower()
    # The tail first (most clauses are short); a break reaching into it from before is
    # found when the tail holds none and the whole window is read.
    for begin in (max(0, len(window) - _TAIL), 0):
        last_start, last_end = -1, 0
        for found in _BREAK_MARKS.finditer(window, begin):
            last_start, last_end = found.start(), found.end()
        for found in _BREAK_WORDS.finditer(lowered, begin):
            at = found.start()
            if at > last_start and (at == 0 or not _is_word_char(window[at - 1])):
                last_start, last_end = at, found.end()
        if last_start >= 0:
            return left + last_end
        if begin == 0:
            break
    return left


#: How much of a clause's window :func:`_last_break` reads first.
_TAIL = 48


def _next_break(text: str, start: int, stop: int) -> int:
    """Where the first clause break in ``text[start:stop]`` starts (``stop`` if none): what
    ``_CLAUSE_BREAK.search(text, start, stop)`` gives, read as :func:`_last_break` reads."""
    window = text[start:stop]
    if not window.isascii() and _OTHER_WORD_CHAR.search(window):
        found = _CLAUSE_BREAK.search(text, start, stop)
        return found.start() if found else stop
    mark = _BREAK_MARKS.search(window)
    first = mark.start() if mark else len(window)
    for found in _BREAK_WORDS.finditer(window.lower(), 0, first):
        at = found.start()
        before = window[at - 1] if at else (text[start - 1] if start else "")
        if not (before and _is_word_char(before)):
            first = at
            break
    return start + first


def _sentence_end(text: str, position: int, stop: int) -> int:
    """Where the sentence holding ``position`` ends before ``stop`` (or -1 if it does not)."""
    best = -1
    for mark in (". ", "! ", "? ", "\n"):
        found = text.find(mark, position, stop)
        if found >= 0 and (best < 0 or found < best):
            best = found
    return best


# --------------------------------------------------------------------------- the library

_LOCK = threading.Lock()


@lru_cache(maxsize=8192)  # (a function of its arguments: an article names its dates again)
def _library(
    phrase: str, base: date | None, tense: str, *, need_base: bool = True, cycle: str = ""
) -> tuple[date, str] | None:
    """``(date, period)`` of one single-date phrase read by dateparser, or None.

    ``tense`` picks the direction ("" = the nearest to ``base``). ``cycle`` is how far apart
    the phrase's occurrences are (``"year"`` for "January 9", ``"week"`` for "Wednesday"):
    then the nearest is found from one reading, the one ahead and the one a cycle before it.
    """
    if base is None:
        if need_base:
            return None
        base = date(2000, 1, 1)  # the phrase names its year: the base does not matter
    if tense != "":
        return _shifted_parse(phrase, base, tense, cycle)
    ahead = _shifted_parse(phrase, base, "future", cycle)
    if ahead is None:
        return _shifted_parse(phrase, base, "past", cycle)
    if cycle == "week":
        behind = (ahead[0] - timedelta(weeks=1), ahead[1])
    elif cycle == "year":
        try:
            behind = (ahead[0].replace(year=ahead[0].year - 1), ahead[1])
        except ValueError:  # 29 February
            behind = (ahead[0].replace(year=ahead[0].year - 1, day=28), ahead[1])
    else:
        found = _shifted_parse(phrase, base, "past", cycle)
        if found is None:
            return ahead
        behind = found
    if ahead[0] <= base or behind[0] > base:
        return ahead  # the reading ahead is already today (or the cycle did not apply)
    return ahead if (ahead[0] - base) < (base - behind[0]) else behind


#: Reference dates for :func:`_shifted_parse`: a Monday; a leap year (every month and day
#: exists in it) and a base far from it.
_REFERENCE_MONDAY = date(2001, 1, 1)
_REFERENCE_YEARS = (2001, 2004)  # common, leap
_REFERENCE_BASE = date(2000, 7, 1)


def _shifted_parse(phrase: str, base: date, prefer: str, cycle: str) -> tuple[date, str] | None:
    """:func:`_parse`, read against a reference date and moved back to ``base``.

    How a weekday phrase resolves depends only on the base's weekday: it is read against the
    reference Monday's week and moved by the difference. A month-and-day (or a month) is read
    with a year given, and the year is then the one ahead of the base (or behind it). Either
    way the library reads each phrase a few times for a whole corpus rather than once per
    publication date (about a millisecond each); a test checks the answers are the library's.
    """
    if cycle == "week":
        reference = _REFERENCE_MONDAY + timedelta(days=base.weekday())
        found = _parse(phrase, reference, prefer)
        return None if found is None else (found[0] + (base - reference), found[1])
    if cycle == "year":
        # The library reads the month and day (with a year given, the base does not matter);
        # the year is the one the direction picks.
        found = _parse(f"{phrase} {_REFERENCE_YEARS[1]}", _REFERENCE_BASE, prefer)
        if found is None:
            return None
        day, period = found
        candidates = []
        for year in (base.year - 1, base.year, base.year + 1):
            try:
                candidates.append(day.replace(year=year))
            except ValueError:  # 29 February in a common year
                continue
        ahead = [c for c in candidates if c >= base]  # a month counts from its first day
        behind = [c for c in candidates if c <= base]
        chosen = (ahead[0] if ahead else None) if prefer == "future" else (
            behind[-1] if behind else None)
        return None if chosen is None else (chosen, period)
    return _parse(phrase, base, prefer)


@lru_cache(maxsize=8192)
def _parse(phrase: str, base: date, prefer: str) -> tuple[date, str] | None:
    parser = _parser(base, prefer)
    with _LOCK:  # dateparser's parsers keep state between calls
        data = parser.get_date_data(phrase)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


@lru_cache(maxsize=64)
def _parser(base: date, prefer: str):  # noqa: ANN202 - dateparser.date.DateDataParser
    # Imported on first use: loading dateparser's language data takes about half a second,
    # which only work that meets a date should pay.
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(base.year, base.month, base.day),
            "PREFER_DATES_FROM": prefer,
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )

