"""Per-tag suggestion rules: cue classes, patterns and the rules that combine them (no UI).

A tag's rules come from its table in ``newsmark.toml`` (read by :mod:`tui.config`, which turns
a :class:`RuleError` into a one-line ``file:line`` error) or, for the four default tags, from
``tui/rules.toml``, which is written in the same language. ``docs/config.md`` documents it:

* **cue classes** (``[tags.cues]``): named lists of words and phrases. Case and quote style are
  ignored; ``word*`` matches any ending; ``...`` stands for up to four words.
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Any

from .dates import DateMention, clause_tense, parse_published

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = [
    "BUILT_IN_CLASSES",
    "RuleError",
    "Rule",
    "TagRules",
    "default_rules",
    "parse_tag_rules",
]

#: Classes every rule may name without defining them.
BUILT_IN_CLASSES = ("@date", "@future-date")
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
_NEGATION_RE = re.compile(
    r"\b(?:not|no|never|neither|nor|without|nobody|none|hardly|cannot)\b|n[’']t\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[^\W_]+(?:[’'-][^\W_]+)*")


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


@dataclass(frozen=True)
class TagRules:
    """A tag's cue classes (``name -> regex source``) and rules, compiled on first use."""

    tag: str
    classes: Mapping[str, str] = field(default_factory=dict)
    rules: tuple[Rule, ...] = ()

    @cached_property
    def _compiled(self) -> dict[str, re.Pattern[str]]:
        return {name: re.compile(source, re.IGNORECASE) for name, source in self.classes.items()}

    @cached_property
    def needs_dates(self) -> bool:
        """Whether a rule names a date class (then the article's dates are looked for)."""
        return any(name in BUILT_IN_CLASSES for rule in self.rules for name in
                   (*rule.all, *rule.unless))

    def matches(self, text: str, start: int, end: int) -> dict[str, list[tuple[int, int]]]:
        """The cues of each class found in ``text[start:end]``, as ``(start, end)`` pairs."""
        found: dict[str, list[tuple[int, int]]] = {}
        for name, regex in self._compiled.items():
            spans = [(m.start(), m.end()) for m in regex.finditer(text, start, end)
                     if m.end() > m.start()]
            if spans:
                found[name] = spans
        return found

    def fired(
        self,
        text: str,
        start: int,
        end: int,
        dates: Sequence[DateMention] = (),
        published: str = "",
    ) -> list[tuple[Rule, int, int]]:
        """The rules that fire on the sentence ``text[start:end]``, each with the span of the
        cue that made it fire (its first class's first cue). ``dates`` are the date mentions
        of the sentence, for the built-in classes."""
        if not self.rules:
            return []
        found = self.matches(text, start, end)
        if self.needs_dates:
            _date_classes(found, dates, published)
        fired = []
        for rule in self.rules:
            if any(name not in found for name in rule.all):
                continue
            if any(name in found for name in rule.unless):
                continue
            cue_start, cue_end = found[rule.all[0]][0]
            if not _tense_ok(rule.tense, text, cue_start, cue_end, start, end):
                continue
            if rule.negated != "any":
                negated = is_negated(text, cue_start, start)
                if negated != (rule.negated == "yes"):
                    continue
            fired.append((rule, cue_start, cue_end))
        return fired


def combined_score(scores: Sequence[float]) -> float:
    """The score of a sentence several rules fired on: the best, plus a little per other rule."""
    if not scores:
        return 0.0
    best = max(scores)
    # The bonus never lifts a sentence past 0.99: only a rule itself can claim certainty.
    return round(min(max(best, 0.99), best + AGREEMENT_BONUS * (len(scores) - 1)), 3)


def is_negated(text: str, cue_start: int, lower: int = 0) -> bool:
    """Whether a negation ("not", "no", "never", "-n't"...) stands at most
    :data:`NEGATION_REACH` words before ``cue_start``, in the same clause."""
    window_start = max(lower, cue_start - 60)
    window = text[window_start:cue_start]
    for stop in (",", ";", ":", "(", "“", '"', "—"):
        cut = window.rfind(stop)
        if cut >= 0:
            window = window[cut + 1 :]
    words = _WORD_RE.findall(window)
    near = " ".join(words[-(NEGATION_REACH + 1):])
    return bool(_NEGATION_RE.search(near))


def _tense_ok(wanted: str, text: str, start: int, end: int, lower: int, upper: int) -> bool:
    if wanted == "any":
        return True
    tense = clause_tense(text, start, end, lower, upper)
    if wanted == "future":
        return tense == "future"
    if wanted == "past":
        return tense == "past"
    if wanted == "not-past":
        return tense != "past"
    return tense != "future"  # not-future


def _date_classes(
    found: dict[str, list[tuple[int, int]]], dates: Sequence[DateMention], published: str
) -> None:
    base = parse_published(published)
    if dates:
        found["@date"] = [(m.start, m.end) for m in dates]
    ahead = [(m.start, m.end) for m in dates if is_ahead(m, base)]
    if ahead:
        found["@future-date"] = ahead


def is_ahead(mention: DateMention, published: Any) -> bool:
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


def cue_regex(cue: str) -> str:
    """The regular expression of one cue word or phrase (see the module docstring).

    Raises ValueError for a cue with no word in it.
    """
    words = cue.strip().split()
    if not words or all(word in ("...", "*") for word in words):
        raise ValueError("has no word")
    parts = []
    for word in words:
        if word == "...":
            parts.append(r"(?:\s+\S+){0,4}?")
            continue
        wildcard = word.endswith("*")
        stem = word.rstrip("*")
        piece = "".join("['’]" if ch in "'’" else ("[-‐‑]" if ch == "-" else re.escape(ch))
                        for ch in stem)
        if wildcard:
            piece += r"[\w’'-]*"
        parts.append(piece)
    body = ""
    for index, part in enumerate(parts):
        if index and not part.startswith(r"(?:\s+"):
            body += r"\s+"
        body += part
    lead = r"(?<![\w’'])" if words[0][:1].isalnum() else ""
    last = words[-1]
    tail = r"(?![\w’'])" if not last.endswith("*") and last[-1:].isalnum() else ""
    return lead + body + tail


def parse_tag_rules(tag: str, table: Mapping[str, Any]) -> TagRules | None:
    """The rules of one tag table (its ``cues``, ``patterns`` and ``rules`` keys), checked.

    Returns None when the table has none of the three (the caller decides the default).
    Raises :class:`RuleError` naming where a problem is.
    """
    if not any(key in table for key in ("cues", "patterns", "rules")):
        return None
    sources: dict[str, list[str]] = {}
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
                        regex = cue_regex(item)
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
                    regex = item
                sources.setdefault(name, []).append(regex)
    classes = {name: "|".join(f"(?:{regex})" for regex in regexes)
               for name, regexes in sources.items()}
    raw_rules = table.get("rules")
    if raw_rules is None:
        # Classes without rules: each class is a rule of its own.
        rules = tuple(Rule(name, (name,)) for name in classes)
    else:
        if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
            raise RuleError(("rules",), "rules must be [[tags.rules]] tables (two brackets), "
                            "or rules = [] for none")
        rules = tuple(_rule(index, raw, classes) for index, raw in enumerate(raw_rules))
    return TagRules(tag, classes, rules)


def _rule(index: int, raw: Mapping[str, Any], classes: Mapping[str, str]) -> Rule:
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
