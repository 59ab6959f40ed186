"""Per-tag suggestion rules: cue classes, patterns and the rules that combine them (no UI).

A tag's rules come from its table in ``newsmark.toml`` (read by :mod:`tui.config`, which turns
a :class:`RuleError` into a one-line ``file:line`` error) or, for the four default tags, from
``tui/rules.toml``, which is written in the same language. ``docs/config.md`` documents it:

* **cue classes** (``[tags.cues]``): named lists of words and phrases. Case, quote style and
  the punctuation around words are ignored; ``word*`` matches any ending; ``...`` stands for up
  to four words.
* **pattern classes** (``[tags.patterns]``): named lists of regular expressions (case ignored).
* **rules** (``[[tags.rules]]``): a rule fires on a sentence holding a cue of every class in
  ``all`` and of none in ``unless``. ``tense`` (``any``, ``future``, ``past``, ``not-past``,
  ``not-future``) and ``negated`` (``no``: the cue must not be negated; ``yes``; ``any``) look
  at the clause of the first class's first cue. ``score`` (0–1) says how sure the rule is.

Two classes are built in: ``@date`` (the sentence mentions a date) and ``@future-date`` (a date
ahead of the article's date, or in a clause about what will happen, see :mod:`tui.dates`).

A tag whose table has no rules gets none — except the four default tags, which keep the shipped
rules unless their table says ``rules = []``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from importlib import resources
from itertools import repeat
from typing import Any

from .dates import CLAUSE_WORDS, DateMention, clause_tense, parse_published, tense_of
from .model import Span

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "BUILT_IN_CLASSES",
    "RuleError",
    "Rule",
    "RuleSet",
    "TagRules",
    "prepare",
    "default_rules",
    "parse_tag_rules",
]

#: Classes every rule may name without defining them.
BUILT_IN_CLASSES = ("@date", "@future-date")
_FUTURE_DATE = "@future-date"
TENSES = ("any", "future", "past", "not-past", "not-future")
NEGATIONS = ("no", "yes", "any")
#: The score of a rule that names none.
DEFAULT_SCORE = 0.6
#: What each further rule firing on a sentence adds to the best rule's score.
AGREEMENT_BONUS = 0.05
#: Words (up to this many) between a negation and the cue it negates.
NEGATION_REACH = 3

_RULE_FIELDS = ("name", "all", "unless", "tense", "negated", "score")
_CLASS_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
_NEGATIONS = frozenset(
    "not no never neither nor without nobody none hardly cannot".split())


class RuleError(ValueError):
    """A problem in a tag's rules. ``path`` says where: ``("cues", "say")``,
    ``("rules", 2, "tense")``...; the config reader turns it into a line number."""

    def __init__(self, path: tuple[Any, ...], problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


@dataclass(frozen=True)
class Rule:
    """One rule: the classes it needs (``all``), those that veto it (``unless``), the tense and
    negation it asks of its first cue's clause, and its score."""

    name: str
    all: tuple[str, ...]
    unless: tuple[str, ...] = ()
    tense: str = "any"
    negated: str = "no"
    score: float = DEFAULT_SCORE

    def __reduce__(self) -> tuple[Any, ...]:  # (pickled and copied alike compiled: setup.py)
        return Rule, (self.name, self.all, self.unless, self.tense, self.negated, self.score)


@dataclass(frozen=True)
class TagRules:
    """A tag's cue classes (``name -> cues``), pattern classes (``name -> regexes``) and
    rules. Matching goes through a :class:`RuleSet` (one pass per sentence for many tags)."""

    tag: str
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    patterns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:  # (pickled and copied alike compiled: setup.py)
        return TagRules, (self.tag, dict(self.cues), dict(self.patterns), self.rules)

    @property
    def classes(self) -> tuple[str, ...]:
        """The names of the tag's classes, cue and pattern alike."""
        return tuple(dict.fromkeys((*self.cues, *self.patterns)))

    @cached_property
    def needs_dates(self) -> bool:
        """Whether a rule names a date class (then the article's dates are looked for)."""
        return any(name in BUILT_IN_CLASSES for rule in self.rules for name in
                   (*rule.all, *rule.unless))

    @cached_property
    def _alone(self) -> RuleSet:
        return RuleSet({self.tag: self})

    def fired(
        self,
        text: str,
        start: int,
        end: int,
        dates: Sequence[DateMention] = (),
        published: date | str | None = "",
    ) -> list[tuple[Rule, int, int]]:
        """The rules that fire on the sentence ``text[start:end]``, each with the span of the
        cue that made it fire (its first class's first cue). ``dates`` are the date mentions
        of the sentence, for the built-in classes."""
        return self._alone.fire(text, start, end, dates, published).get(self.tag, [])


#: Characters that separate words as spaces do ("talks—and", "US/Russia"), and quote and dash
#: variants, mapped one character to one so that offsets into the copy are offsets into the text.
_SEPARATORS = str.maketrans({**{ch: " " for ch in "—–/()[]{}…"},
                             "’": "'", "‘": "'", "‐": "-", "‑": "-"})
#: Characters stripped from either end of a word before it is compared with the cues.
_EDGE_PUNCTUATION = "\"'“”«»‹›.,;:!?*"
_GAP = ("gap", "")
#: Words (at most) that "..." in a cue stands for.
GAP_WORDS = 4


def _normal(word: str) -> str:
    return word.translate(_SEPARATORS).lower().strip(_EDGE_PUNCTUATION)


def _lowered(piece: str) -> str:
    """``piece`` lower-cased, keeping its length (so offsets into it hold)."""
    lowered = piece.lower()
    if len(lowered) == len(piece):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in piece)


@dataclass(frozen=True)
class _Cue:
    elements: tuple[tuple[str, str], ...]  # ("word", w) | ("prefix", stem) | _GAP
    owners: tuple[tuple[str, str], ...]  # (tag, class) pairs this cue belongs to


class RuleSet:
    """The rules of several tags, compiled together for speed.

    A sentence is split into words once; dictionary lookups (and set operations in C) find the
    cues of every class of every tag; tense and negation are read only for the rules whose
    classes are all there, and ``@future-date`` (which resolves dates) only in a sentence
    holding the first class of a rule that names it. 1 MB of news is about 6 000 sentences.
    """

    def __init__(self, tag_rules: Mapping[str, TagRules]) -> None:
        self.tag_rules = dict(tag_rules)
        words: dict[str, list[tuple[str, str]]] = {}
        stems: dict[str, list[tuple[str, tuple[tuple[str, str], ...]]]] = {}
        phrases: dict[str, list[tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...],
                                      frozenset[str]]]] = {}
        grouped: dict[tuple[tuple[str, str], ...], list[tuple[str, str]]] = {}
        # Stems shorter than the index key ("un*"): tried on every word.
        self._short_stems: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        self._short_phrases: list[tuple[tuple[tuple[str, str], ...],
                                        tuple[tuple[str, str], ...], frozenset[str]]] = []
        for tag, rules in self.tag_rules.items():
            for name, cues in rules.cues.items():
                for cue in cues:
                    grouped.setdefault(cue_elements(cue), []).append((tag, name))
        for elements, owned in grouped.items():
            owners = tuple(dict.fromkeys(owned))
            kind, value = elements[0]
            whole = [v for k, v in elements if k == "word"]
            if len(elements) > 1 and whole:
                # A phrase is looked for when its longest whole word (likely its rarest: "will
                # face" by "face") is in the sentence, and then only if its other whole words
                # are there too (one subset test).
                trigger = max(whole, key=len)
                phrases.setdefault(trigger, []).append(
                    (elements, owners, frozenset(whole) - {trigger}))
            elif len(elements) > 1 and kind == "prefix" and len(value) < _PREFIX_KEY:
                self._short_phrases.append((elements, owners, frozenset()))
            elif len(elements) > 1:  # (stems and gaps only: by its first stem)
                phrases.setdefault("*" + value[:_PREFIX_KEY], []).append(
                    (elements, owners, frozenset()))
            elif kind == "word":
                words.setdefault(value, []).extend(owners)
            elif len(value) < _PREFIX_KEY:
                self._short_stems.append((value, owners))
            else:
                stems.setdefault(value[:_PREFIX_KEY], []).append((value, owners))
        self._words = {word: tuple(owners) for word, owners in words.items()}
        self._word_keys = frozenset(self._words)
        self._stems = stems
        self._phrases = phrases
        # Every word met so far, and what it can start (see _entry).
        self._cache: dict[str, tuple[Any, ...]] = {}
        self._patterns = [((tag, name), re.compile(pattern, re.IGNORECASE))
                          for tag, rules in self.tag_rules.items()
                          for name, patterns in rules.patterns.items() for pattern in patterns]
        self.needs_dates = any(rules.needs_dates for rules in self.tag_rules.values())
        # Each tag's rules with the keys of their classes, as :meth:`fire` looks them up: a
        # cue or pattern class is ``(tag, class)`` (a key of ``_hits``), a built-in one its
        # name. The last item says whether the rule names ``@future-date`` (worked out only
        # for a sentence where such a rule's head class is there: it resolves dates).
        # The rules are found through their head (first) class: a sentence is checked
        # against the rules whose head is there, in the rules' order (by tag, then as
        # written). ``_future_heads``: the heads of the rules that name ``@future-date``.
        self._by_head: dict[Any, list[tuple[int, str, Rule, tuple[Any, ...],
                                            tuple[Any, ...]]]] = {}
        self._future_heads: set[Any] = set()
        order = 0
        for tag, rules in self.tag_rules.items():
            for rule in rules.rules:
                keys = tuple(n if n in BUILT_IN_CLASSES else (tag, n) for n in rule.all)
                unless = tuple(n if n in BUILT_IN_CLASSES else (tag, n) for n in rule.unless)
                self._by_head.setdefault(keys[0], []).append((order, tag, rule, keys, unless))
                if _FUTURE_DATE in keys or _FUTURE_DATE in unless:
                    self._future_heads.add(keys[0])
                order += 1

    def matches(self, text: str, start: int, end: int,
                prepared: str | None = None) -> dict[tuple[str, str], tuple[int, int]]:
        """The first cue of each ``(tag, class)`` found in ``text[start:end]``, as offsets.

        ``prepared`` is :func:`prepare` of ``text``, if the caller has it.
        """
        sentence = _Sentence(text, start, end, prepared)
        return {owner: sentence.offsets(*words) for owner, words in self._hits(sentence).items()}

    def _hits(self, sentence: _Sentence) -> dict[tuple[str, str], tuple[int, int]]:
        """``(tag, class) -> (first word, last word)`` of its first cue in the sentence."""
        words = sentence.words
        cache = self._cache
        hits: dict[tuple[str, str], tuple[int, int]] = {}
        distinct: set[str] | None = None  # (made for the first phrase to look for)
        tried: set[str] = set()  # the words whose phrases were looked for
        for position, word in enumerate(words):
            entry = cache.get(word)
            if entry is None:
                entry = cache[word] = self._entry(word)
            if not entry:
                continue  # (most words)
            single, phrases = entry  # type: ignore[misc]
            for owner in single:
                found = hits.get(owner)
                if found is None or found[0] > position:
                    hits[owner] = (position, position)
            if not phrases or word in tried:
                continue
            tried.add(word)
            if distinct is None:
                distinct = set(words)
            for elements, owners, needed in phrases:
                if not needed <= distinct:
                    continue  # a word of the phrase is not in the sentence at all
                at = _phrase_at(words, elements)
                if at is None:
                    continue
                for owner in owners:
                    found = hits.get(owner)
                    if found is None or found[0] > at[0]:
                        hits[owner] = at
        for owner, pattern in self._patterns:
            if owner not in hits and sentence.pattern(pattern) is not None:
                hits[owner] = (-1, -1)  # a pattern's span is its match (see _span)
        return hits

    def _entry(self, word: str) -> tuple[Any, ...]:
        """What a word can start: the classes it is a cue of alone, and the phrase cues it
        triggers (see __init__). ``()`` if nothing (most words)."""
        single: list[tuple[str, str]] = list(self._words.get(word, ()))
        for stem, owners in (*self._stems.get(word[:_PREFIX_KEY], ()), *self._short_stems):
            if word.startswith(stem):
                single.extend(owners)
        phrases = list(self._phrases.get(word, ()))
        for entry in (*self._phrases.get("*" + word[:_PREFIX_KEY], ()), *self._short_phrases):
            if word.startswith(entry[0][0][1]):
                phrases.append(entry)
        if not single and not phrases:
            return ()
        return tuple(dict.fromkeys(single)), tuple(phrases)

    def fire(
        self,
        text: str,
        start: int,
        end: int,
        dates: Sequence[DateMention] = (),
        published: date | str | None = "",
        prepared: str | None = None,
        *,
        spans: bool = True,
    ) -> dict[str, list[tuple[Rule, int, int]]]:
        """Per tag, the rules that fire on the sentence ``text[start:end]`` (see
        :meth:`TagRules.fired`). ``prepared`` is :func:`prepare` of ``text``, if at hand;
        with ``spans=False`` the cue offsets are left out (given as ``-1, -1``): a caller
        that wants only which rules fired saves finding them."""
        sentence = _Sentence(text, start, end, prepared)
        # The classes found: ``(tag, class) -> (first word, last word)`` of its first cue
        # (``_hits``), and the built-in ones by name -> the span of their first date.
        present: dict[Any, tuple[int, int]] = self._hits(sentence)
        if self.needs_dates and dates:
            present["@date"] = (dates[0].start, dates[0].end)
            # "@future-date" is worked out (it resolves dates) only where a rule naming it
            # has its head there (or is headed by it).
            future = self._future_heads
            if _FUTURE_DATE in future or not future.isdisjoint(present):
                for mention in dates:
                    if is_ahead(mention, published):
                        present[_FUTURE_DATE] = (mention.start, mention.end)
                        break
        by_head = self._by_head
        candidates = [plan for head in present if head in by_head for plan in by_head[head]]
        if len(candidates) > 1:
            candidates.sort()  # (the rules' order: their numbers are unique)
        result: dict[str, list[tuple[Rule, int, int]]] = {}
        for _, tag, rule, keys, unless in candidates:
            head = keys[0]
            if len(keys) > 1 and not all(key in present for key in keys[1:]):
                continue
            if unless and any(key in present for key in unless):
                continue
            built_in = type(head) is str
            word = -1 if built_in else present[head][0]
            if rule.tense != "any":
                if word >= 0:
                    tense = sentence.tense_at(word)
                else:
                    cue_start, cue_end = present[head] if built_in else self._span(
                        sentence, head, present[head])
                    tense = clause_tense(text, cue_start, cue_end, start, end)
                if not _tense_matches(rule.tense, tense):
                    continue
            if rule.negated != "any":
                if word >= 0:
                    negated = sentence.negated_at(word)
                else:
                    cue_start = (present[head] if built_in else self._span(
                        sentence, head, present[head]))[0]
                    negated = is_negated(text, cue_start, start, sentence.prepared)
                if negated != (rule.negated == "yes"):
                    continue
            if not spans:
                cue_start = cue_end = -1
            elif built_in:
                cue_start, cue_end = present[head]
            else:
                cue_start, cue_end = self._span(sentence, head, present[head])
            result.setdefault(tag, []).append((rule, cue_start, cue_end))
        return result

    def fire_sentences(
        self,
        text: str,
        sentences: Sequence[Span],
        dates: Sequence[DateMention] = (),
        published: date | str | None = "",
        check: Callable[[], object] | None = None,
        every: int = 256,
    ) -> list[tuple[Span, str, float]]:
        """For each of ``sentences`` (in text order) and each tag whose rules fire on it:
        ``(sentence, tag, score)``, the score combining the rules that fired (see
        :func:`combined_score`). ``dates`` are the text's date mentions in text order;
        ``check()`` is called before the first sentence and every ``every`` after it (it
        raises to stop). One call for a whole article: the loop runs compiled (see setup.py).
        """
        prepared = prepare(text)
        out: list[tuple[Span, str, float]] = []
        cursor = 0
        count = len(dates)
        for number, sentence in enumerate(sentences):
            if check is not None and not number % every:
                check()
            start, end = sentence.start, sentence.end
            while cursor < count and dates[cursor].end <= start:
                cursor += 1
            index = cursor
            while index < count and dates[index].start < end:
                index += 1
            fired = self.fire(text, start, end, dates[cursor:index], published, prepared,
                              spans=False)
            for tag, rules in fired.items():
                out.append((sentence, tag, combined_score([rule.score for rule, _, _ in rules])))
        return out

    def _span(self, sentence: _Sentence, owner: tuple[str, str],
              words: tuple[int, int]) -> tuple[int, int]:
        if words[0] >= 0:
            return sentence.offsets(*words)
        for pattern_owner, pattern in self._patterns:
            if pattern_owner == owner:
                match = sentence.pattern(pattern)
                if match is not None:
                    return match.start(), match.end()
        return sentence.start, sentence.start  # pragma: no cover - a hit has a span


def prepare(text: str) -> str:
    """``text`` as the rules read it: lower case, dashes and brackets as spaces, one quote and
    one hyphen style — character for character, so offsets into it are offsets into ``text``.

    Computing it once per article saves doing it per sentence (see :meth:`RuleSet.fire`).
    """
    prepared = _lowered(text)
    for old, new in _REPLACEMENTS:
        if old in prepared:
            prepared = prepared.replace(old, new)
    return prepared


#: :data:`_SEPARATORS` as (old, new) pairs: a few ``str.replace`` calls over a whole article
#: are much faster than ``str.translate`` with a dictionary.
_REPLACEMENTS = tuple((chr(old), new) for old, new in _SEPARATORS.items())


class _Sentence:
    """One sentence split into normalised words, with the way back to offsets."""

    __slots__ = ("text", "start", "end", "prepared", "piece", "raw", "words", "_offsets",
                 "_patterns", "_tenses", "_sentence_tense")

    def __init__(self, text: str, start: int, end: int, prepared: str | None = None) -> None:
        self.text, self.start, self.end = text, start, end
        self.prepared = prepared
        self.piece = (prepared[start:end] if prepared is not None
                      else _lowered(text[start:end]).translate(_SEPARATORS))
        self.raw = self.piece.split()
        self.words = list(map(str.strip, self.raw, repeat(_EDGE_PUNCTUATION)))  # (in C)
        self._offsets: list[int] | None = None
        self._patterns: dict[re.Pattern[str], re.Match[str] | None] = {}
        self._tenses: dict[tuple[int, int], str] = {}
        self._sentence_tense: str | None = None

    def clause_at(self, word: int) -> tuple[int, int]:
        """The words ``[first, last)`` of the clause holding word ``word``: up to punctuation
        or a clause-opening word ("which", "while", "but"...) on either side — the clauses of
        :func:`tui.dates.clause_tense`, read from words instead of characters."""
        for first, last in self._tenses:  # a clause already read holds most later cues
            if first <= word < last:
                return first, last
        raw, words = self.raw, self.words
        first = word
        while first > 0 and not _ends_clause(raw[first - 1]) and not _opens_clause(
                raw[first], words[first]):
            first -= 1
        last = word + 1
        while last < len(raw) and not _ends_clause(raw[last - 1]) and not _opens_clause(
                raw[last], words[last]):
            last += 1
        return first, last

    def tense_at(self, word: int) -> str:
        """The tense of the clause holding word ``word`` (see :func:`tui.dates.clause_tense`)."""
        clause = self.clause_at(word)
        found = self._tenses.get(clause)
        if found is None:
            tense = tense_of(" ".join(self.raw[clause[0]:clause[1]]))
            if tense is None:
                if self._sentence_tense is None:
                    self._sentence_tense = tense_of(self.piece) or ""
                tense = self._sentence_tense
            found = self._tenses[clause] = tense
        return found

    def negated_at(self, word: int) -> bool:
        """Whether a negation stands at most :data:`NEGATION_REACH` words before word
        ``word``, in its clause (see :func:`is_negated`)."""
        raw, words = self.raw, self.words
        for before in range(word - 1, max(-1, word - NEGATION_REACH - 2), -1):
            if _ends_clause(raw[before]):
                break
            if words[before] in _NEGATIONS or words[before].endswith("n't"):
                return True
        return False

    def offsets(self, first: int, last: int) -> tuple[int, int]:
        """The text offsets of words ``first`` to ``last``, without their edge punctuation."""
        known = self._offsets
        if known is None:
            known = self._offsets = []
        if len(known) <= last:  # found word by word, as far as needed
            raw, piece = self.raw, self.piece
            cursor = known[-1] + len(raw[len(known) - 1]) if known else 0
            for word in raw[len(known) : last + 1]:
                cursor = piece.find(word, cursor)
                known.append(cursor)
                cursor += len(word)
        raw = self.raw
        lead = len(raw[first]) - len(raw[first].lstrip(_EDGE_PUNCTUATION))
        trail = len(raw[last].rstrip(_EDGE_PUNCTUATION))
        return self.start + known[first] + lead, self.start + known[last] + trail

    def pattern(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """The first match of ``pattern`` in the sentence (searched once)."""
        if pattern not in self._patterns:
            match = pattern.search(self.text, self.start, self.end)
            self._patterns[pattern] = match if match and match.end() > match.start() else None
        return self._patterns[pattern]


def _phrase_at(
    words: list[str], elements: Sequence[tuple[str, str]], start: int = 0
) -> tuple[int, int] | None:
    """The first ``(first word, last word)`` from ``start`` where the cue ``elements`` match."""
    kind, value = elements[0]
    if kind == "word":
        position = start - 1
        while True:
            try:
                position = words.index(value, position + 1)  # a scan in C
            except ValueError:
                return None
            last = _match_from(elements, 1, words, position + 1)
            if last >= 0:
                return position, last - 1
    for position in range(start, len(words)):
        if words[position].startswith(value):
            last = _match_from(elements, 1, words, position + 1)
            if last >= 0:
                return position, last - 1
    return None


#: How many leading characters of a prefix cue's stem index it (stems are at least this long
#: or shorter ones are matched through their whole stem as the key: see RuleSet).
_PREFIX_KEY = 3


def _match_from(elements: Sequence[tuple[str, str]], k: int, words: Sequence[str],
                j: int) -> int:
    """Where (exclusive word index) ``elements[k:]`` match ``words`` from ``j``, or -1."""
    if k == len(elements):
        return j
    kind, value = elements[k]
    if kind == "gap":
        for skip in range(GAP_WORDS + 1):
            if j + skip > len(words):
                break
            found = _match_from(elements, k + 1, words, j + skip)
            if found >= 0:
                return found
        return -1
    if j >= len(words):
        return -1
    word = words[j]
    if word == value if kind == "word" else word.startswith(value):
        return _match_from(elements, k + 1, words, j + 1)
    return -1


def cue_elements(cue: str) -> tuple[tuple[str, str], ...]:
    """A cue as the words it matches: ``("word", w)``, ``("prefix", stem)`` or a gap.

    Raises ValueError for a cue with no word in it.
    """
    elements: list[tuple[str, str]] = []
    for part in cue.translate(_SEPARATORS).split():
        if part == "...":
            elements.append(_GAP)
            continue
        wildcard = part.endswith("*")
        word = _normal(part.rstrip("*"))
        if word:
            elements.append(("prefix" if wildcard else "word", word))
    while elements and elements[0] == _GAP:
        elements.pop(0)
    while elements and elements[-1] == _GAP:
        elements.pop()
    if not elements:
        raise ValueError("has no word")
    return tuple(elements)


def combined_score(scores: Sequence[float]) -> float:
    """The score of a sentence several rules fired on: the best, plus a little per other rule."""
    if len(scores) == 1:  # (most sentences: one rule)
        return round(scores[0], 3)
    if not scores:
        return 0.0
    best = max(scores)
    # The bonus never lifts a sentence past 0.99: only a rule itself can claim certainty.
    return round(min(max(best, 0.99), best + AGREEMENT_BONUS * (len(scores) - 1)), 3)


def is_negated(text: str, cue_start: int, lower: int = 0, prepared: str | None = None) -> bool:
    """Whether a negation ("not", "no", "never", "-n't"...) stands at most
    :data:`NEGATION_REACH` words before ``cue_start``, in the same clause.

    ``prepared`` is :func:`prepare` of ``text``, if the caller has it.
    """
    begin = max(lower, cue_start - 60)
    window = (prepared[begin:cue_start] if prepared is not None
              else _lowered(text[begin:cue_start]).translate(_SEPARATORS))
    for stop in (",", ";", ":", "“", '"'):
        cut = window.rfind(stop)
        if cut >= 0:
            window = window[cut + 1 :]
    near = [word.strip(_EDGE_PUNCTUATION) for word in window.split()[-(NEGATION_REACH + 1):]]
    return any(word in _NEGATIONS or word.endswith("n't") for word in near)


def _ends_clause(raw: str) -> bool:
    return raw[-1] in ",;:”\"" if raw else False


def _opens_clause(raw: str, word: str) -> bool:
    return raw[0] in "“\"" or word in CLAUSE_WORDS


def _tense_matches(wanted: str, tense: str) -> bool:
    if wanted == "any":
        return True
    if wanted == "future":
        return tense == "future"
    if wanted == "past":
        return tense == "past"
    if wanted == "not-past":
        return tense != "past"
    return tense != "future"  # not-future


def is_ahead(mention: DateMention, published: date | str | None) -> bool:
    """Whether a date mention names a time still to come at publication.

    With a resolved date and a publication date: the date begins after publication (and the
    mention is not in a clause about the past). Otherwise: its clause is about the future.
    """
    if mention.tense == "past":
        return False
    base = parse_published(published)
    if mention.when is not None and base is not None:
        return mention.when.after(base)
    return mention.tense == "future"


# --------------------------------------------------------------------------- reading rules


def parse_tag_rules(tag: str, table: Mapping[str, Any]) -> TagRules | None:
    """The rules of one tag table (its ``cues``, ``patterns`` and ``rules`` keys), checked.

    Returns None when the table has none of the three (the caller decides the default).
    Raises :class:`RuleError` naming where a problem is.
    """
    if not any(key in table for key in ("cues", "patterns", "rules")):
        return None
    sources: dict[str, dict[str, list[str]]] = {"cues": {}, "patterns": {}}
    for kind in ("cues", "patterns"):
        value = table.get(kind, {})
        if isinstance(value, list):  # cues = ["a", "b"]: one class, named after the kind
            value = {kind: value}
        if not isinstance(value, dict):
            raise RuleError((kind,), f"{kind} is {_type_name(value)}; write [tags.{kind}] "
                            f'with one list per class, e.g. warning = ["warn*", "threat*"]')
        for name, items in value.items():
            where = (kind, name)
            if not _CLASS_NAME.fullmatch(name):
                raise RuleError(where, f"class name {name!r} is not allowed; use lowercase "
                                "letters, digits, - or _")
            if not isinstance(items, list) or not items or not all(
                    isinstance(item, str) for item in items):
                raise RuleError(where, f"{kind}.{name} must be a list of strings in quotes, "
                                f'e.g. {name} = ["one", "two"]')
            for item in items:
                if kind == "cues":
                    try:
                        cue_elements(item)
                    except ValueError:
                        raise RuleError(where, f"cue {item!r} in {name} has no word; write "
                                        'a word or phrase such as "warn*" or "no plans"'
                                        ) from None
                else:
                    try:
                        re.compile(item)
                    except re.error as error:
                        raise RuleError(where, f"pattern {item!r} in {name} is not a regular "
                                        f"expression ({error}); fix it or write it as a cue"
                                        ) from None
                sources[kind].setdefault(name, []).append(item)
    cues = {name: tuple(items) for name, items in sources["cues"].items()}
    patterns = {name: tuple(items) for name, items in sources["patterns"].items()}
    classes = {**cues, **patterns}
    raw_rules = table.get("rules")
    if raw_rules is None:
        # Classes without rules: each class is a rule of its own.
        rules = tuple(Rule(name, (name,)) for name in classes)
    else:
        if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
            raise RuleError(("rules",), "rules must be [[tags.rules]] tables (two brackets), "
                            "or rules = [] for none")
        rules = tuple(_rule(index, raw, classes) for index, raw in enumerate(raw_rules))
    return TagRules(tag, cues, patterns, rules)


def _rule(index: int, raw: Mapping[str, Any], classes: Mapping[str, Any]) -> Rule:
    number = index + 1
    for key in raw:
        if key not in _RULE_FIELDS:
            raise RuleError(("rules", index, key), f"unknown key {key!r} in rule {number}; a "
                            "rule takes " + ", ".join(_RULE_FIELDS))
    name = raw.get("name", f"rule {number}")
    if not isinstance(name, str):
        raise RuleError(("rules", index, "name"), f"name of rule {number} must be a string")
    label = f"rule {number} ({name})" if "name" in raw else f"rule {number}"
    known = set(classes) | set(BUILT_IN_CLASSES)
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("all", "unless"):
        value = raw.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RuleError(("rules", index, key), f"{key} of {label} must be a list of class "
                            'names, e.g. all = ["warning", "condition"]')
        for class_name in value:
            if class_name not in known:
                choices = ", ".join(sorted(known)) or "none defined"
                raise RuleError(("rules", index, key), f"{label} names class {class_name!r}, "
                                f"which this tag does not define; the classes are: {choices}")
        lists[key] = tuple(value)
    if not lists["all"]:
        raise RuleError(("rules", index), f'{label} has no all = [...]; name the classes a '
                        "sentence must hold")
    tense = raw.get("tense", "any")
    if tense not in TENSES:
        raise RuleError(("rules", index, "tense"), f"tense {tense!r} of {label} is not one "
                        "of " + ", ".join(TENSES))
    negated = raw.get("negated", "no")
    if isinstance(negated, bool):
        negated = "yes" if negated else "no"
    if negated not in NEGATIONS:
        raise RuleError(("rules", index, "negated"), f"negated {negated!r} of {label} is not "
                        "one of " + ", ".join(NEGATIONS))
    score = raw.get("score", DEFAULT_SCORE)
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 < score <= 1:
        raise RuleError(("rules", index, "score"), f"score of {label} must be a number above "
                        "0 and at most 1, e.g. score = 0.7")
    return Rule(name, lists["all"], lists["unless"], tense, negated, float(score))


_DEFAULTS: dict[str, TagRules] | None = None


def default_rules() -> dict[str, TagRules]:
    """The rules of the four default tags, from ``tui/rules.toml`` (read once)."""
    global _DEFAULTS
    if _DEFAULTS is None:
        text = resources.files("tui").joinpath("rules.toml").read_text(encoding="utf-8")
        data = tomllib.loads(text)
        parsed = {}
        for table in data["tags"]:
            rules = parse_tag_rules(table["name"], table)
            assert rules is not None
            parsed[table["name"]] = rules
        _DEFAULTS = parsed
    return dict(_DEFAULTS)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "a table"
