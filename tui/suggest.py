"""Suggestions: passages newsmark proposes to tag, each from a named suggester (no UI).

Four suggesters, each recorded as the ``source`` of what it proposes:

``rules``
    the tag's rules from the config (:mod:`tui.rules`; the default tags ship with
    ``tui/rules.toml``). A sentence gets the tag when a rule fires on it.
``dates``
    a sentence naming a date still ahead of the article's date, in a clause about what will
    happen and not about something called off, suggests the tag with the schedule role
    (``Config.schedule_tag``; :mod:`tui.dates`).
``outlets``
    a passage tagged in one article suggests its counterpart in the others, found by the compare
    matching (:class:`tui.compare.Aligner`): verbatim or reworded, scored by the match.
``own``
    once a tag has :data:`OWN_MIN_EXAMPLES` passages of yours, sentences sharing their words
    (those the tagged passages have in common, weighed against the rest of the corpus) are
    suggested. Off by default: ``bench/suggest.py`` measured that it does not help (see
    ``bench/README.md``); turn it on with ``sources`` in the config's ``[suggest]`` table.

Every schedule suggestion carries ``when``: the dates ahead it names, resolved against the
article's date (``"2022-01-09/2022-01-10"``; several are joined by ``", "``).

A suggestion is shown until it is accepted (it becomes an annotation with ``source``, ``score``
and ``when``) or rejected (a :class:`Rejection` in the annotator's shard, keyed by tag and the
passage's folded words, so it holds after the text is re-anchored or edited around it).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any

from .compare import Aligner, fold
from .config import Config
from .corpus import Corpus
from .dates import DateMention, find_dates
from .links import Link
from .model import Annotation, Article, Span, utc_now
from .rules import RuleSet, TagRules, is_ahead
from .sentences import sentence_spans, trimmed

__all__ = [
    "Cancelled",
    "DEFAULT_SOURCES",
    "SOURCES",
    "Rejection",
    "SourceCount",
    "Suggestion",
    "Suggestions",
    "accept",
    "pending",
    "pending_in",
    "rejection_key",
    "source_counts",
]

class Cancelled(Exception):
    """Raised by :meth:`Suggestions.for_article` when its ``cancelled()`` turned true."""


#: Every suggester, by name.
SOURCES = ("rules", "dates", "outlets", "own")
#: Those on unless the config says otherwise ("own" measured no gain: see bench/README.md).
DEFAULT_SOURCES = ("rules", "dates", "outlets")
#: How many sentences the rules read between two looks at ``cancelled()`` (compiled, the
#: rules hand the GIL to another thread only there: see tui/dates.py, find_dates).
CHECK_EVERY = 16
#: Suggestions scoring below this are not shown unless the config or --min-score says so.
DEFAULT_MIN_SCORE = 0.5
#: How many passages of a tag the "own" suggester needs before it suggests that tag.
OWN_MIN_EXAMPLES = 3
#: The compare match score (a calibrated probability that the article carries the passage,
#: 0-100) an outlet's counterpart needs to be suggested: carrying a fact is not carrying its
#: tag, so more than "likely" is asked (measured in bench/suggest.py: see bench/README.md).
OUTLET_MIN_SCORE = 70
#: Two suggestions of one tag overlapping by this share of the shorter are one suggestion.
_SAME_PASSAGE = 0.5

_CALLED_OFF = re.compile(
    r"\b(?:call(?:ed|s)? off|cancel\w*|postpon\w*|scrap(?:ped|s)?|pulled out of|shelved"
    r"|put off|delay(?:ed|s)?)\b",
    re.IGNORECASE,
)
_STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for with from as into onto over under about
    after before between during without within than then so that this these those there here
    it its it's he she they we i you his her their our my your him them us me who whom whose
    which what when where why how is are was were be been being has have had do does did
    will would could should may might must can shall not no nor also only just more most
    very such own same other another any each every all both few some many much one two
    said says say told according mr mrs ms
    """.split()
)
_WORD = re.compile(r"[^\W\d_]{3,}")


# --------------------------------------------------------------------------- values


@dataclass(frozen=True)
class Suggestion:
    """A passage proposed for a tag: where, which tag, how sure (0–1), and who proposed it.

    ``when`` is the resolved date(s) of a schedule suggestion, else ``""``.
    """

    article_id: str
    start: int
    end: int
    tag: str
    text: str
    score: float
    source: str
    when: str = ""

    @property
    def span(self) -> Span:
        """The suggested passage."""
        return Span(self.start, self.end)

    @property
    def key(self) -> str:
        """The key a rejection of this suggestion is stored under (see :func:`rejection_key`)."""
        return rejection_key(self.tag, self.text)

    def to_dict(self) -> dict[str, Any]:
        """The record ``newsmark suggest --format jsonl`` prints: ``article_id, start, end, tag,
        text, score, source``, plus ``when`` for schedules."""
        record: dict[str, Any] = {
            "article_id": self.article_id, "start": self.start, "end": self.end,
            "tag": self.tag, "text": self.text, "score": self.score, "source": self.source,
        }
        if self.when:
            record["when"] = self.when
        return record


def rejection_key(tag: str, text: str) -> str:
    """``tag:`` plus a hash of the passage's folded words (case, punctuation and quote style
    ignored), so a rejection still matches after offsets move or the text around it changes."""
    folded = fold(text)[0]
    digest = hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return f"{tag}:{digest}"


@dataclass(frozen=True)
class Rejection:
    """A suggestion the annotator rejected: it never comes back for them.

    Stored in the annotator's shard of the article (section ``rejections``), under ``key``.
    """

    key: str
    article_id: str
    tag: str
    source: str
    text: str
    annotator: str = ""
    rejected: str = ""

    @classmethod
    def of(cls, suggestion: Suggestion, annotator: str, now: str | None = None) -> Rejection:
        """The rejection of ``suggestion`` by ``annotator``."""
        return cls(suggestion.key, suggestion.article_id, suggestion.tag, suggestion.source,
                   suggestion.text, annotator, now or utc_now())

    def to_dict(self) -> dict[str, Any]:
        """The stored record."""
        return {"key": self.key, "article_id": self.article_id, "tag": self.tag,
                "source": self.source, "text": self.text, "annotator": self.annotator,
                "rejected": self.rejected}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rejection:
        """From a stored record (unknown keys ignored)."""
        return cls(**{k: str(data.get(k, "")) for k in cls.__dataclass_fields__})


# --------------------------------------------------------------------------- the engine


@dataclass
class Suggestions:
    """Computes the suggestions of articles: every enabled suggester, merged.

    ``annotations`` are the store's annotations (every annotator's: a teammate's tag in one
    outlet suggests its counterpart in another); ``annotator`` picks whose tags teach the
    "own" suggester. ``links`` are the analysts' verdicts on the compare matrix
    (:mod:`tui.links`): the "outlets" suggester suggests a confirmed span (score 1) instead of
    the machine's counterpart, and nothing where the counterpart was rejected. Safe to use
    from one worker thread at a time.
    """

    config: Config
    sources: Sequence[str] = DEFAULT_SOURCES
    corpus: Corpus | None = None
    annotations: Sequence[Annotation] = ()
    annotator: str = ""
    links: Sequence[Link] = ()
    _aligner: Aligner | None = field(default=None, init=False, repr=False)
    _rule_set: RuleSet | None = field(default=None, init=False, repr=False)
    _own: dict[str, dict[str, float]] | None = field(default=None, init=False, repr=False)
    _cells: dict[str, list[tuple[Annotation, Any]]] | None = field(default=None, init=False,
                                                                    repr=False)
    _focus: frozenset[str] | None = field(default=None, init=False, repr=False)
    _cancelled: Callable[[], bool] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        unknown = [s for s in self.sources if s not in SOURCES]
        if unknown:
            raise ValueError(f"unknown suggester {unknown[0]!r}; the suggesters are "
                             + ", ".join(SOURCES))
        # Per tagged article: the starts and ends of its sentences (see _whole_sentences).
        self._sentence_edges: dict[str, tuple[frozenset[int], frozenset[int]]] = {}
        self._whole: dict[str, bool] = {}  # per annotation id: _whole_sentences
        self._matches: dict[str, dict[str, Any]] = {}
        self._by_article: dict[str, list[Annotation]] = {}
        # The latest verdict on each (annotation, article), whoever gave it (as the matrix).
        self._verdicts: dict[tuple[str, str], Link] = {}
        for link in sorted(self.links, key=lambda x: (x.modified, x.annotator)):
            self._verdicts[(link.annotation_id, link.article_id)] = link
        for annotation in self.annotations:
            if annotation.anchor != "orphan":
                self._by_article.setdefault(annotation.article_id, []).append(annotation)

    def prepare(self, jobs: int = 1) -> None:
        """Do now what every article's suggestions need first: compile the rules, index the
        corpus for the outlets (see :class:`tui.compare.Aligner`; in ``jobs`` forked
        processes), embed the tagged passages (semantic scorer) and learn the own tags. A
        batch that forks (:mod:`tui.workers`) prepares once, before the fork: its processes
        inherit all of it and write no cache."""
        if "rules" in self.sources:
            self._rules_compiled()
        if "outlets" in self.sources and self.corpus is not None and self._by_article:
            aligner = self._compare()
            aligner.prepare(jobs=jobs)
            known = set(self.config.tag_names)
            aligner.embed_passages([a.text for tagged in self._by_article.values()
                                    for a in tagged if a.tag in known])
        if "own" in self.sources:
            self._own_profiles()

    def focus(self, article_ids: Iterable[str]) -> None:
        """Suggest for these articles only, from now on: the outlets suggester then matches
        the tagged passages in them alone (a process of a batch takes a part of the corpus).
        What the engine kept of other articles' matches is dropped."""
        self._focus = frozenset(article_ids)
        self._cells = None
        self._matches = {}

    def for_article(self, article: Article,
                    cancelled: Callable[[], bool] | None = None) -> list[Suggestion]:
        """Every suggestion for ``article`` in text order, one per passage and tag (the best
        source's), before rejections and annotations are taken out (see :func:`pending`).

        ``cancelled()`` is asked between steps (every few hundred sentences, every tagged
        passage matched): once it is true, :class:`Cancelled` is raised within milliseconds
        and what the engine keeps stays whole. The reader's worker stops so when the article
        is left or the app quits."""
        if self._focus is not None and article.id not in self._focus:
            raise ValueError(f"article {article.id!r} is outside the articles this engine "
                             "was focused on")
        self._cancelled = cancelled
        try:
            return self._for_article(article)
        finally:
            self._cancelled = None

    def _check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled

    def _for_article(self, article: Article) -> list[Suggestion]:
        sentences = self._aligner.sentences_of(article) if self._aligner is not None else None
        if sentences is None:  # (the aligner has split every article it indexed)
            sentences = sentence_spans(article.plain, article.boilerplate)
        needs_dates = "dates" in self.sources or self._rules_compiled().needs_dates or (
            self.config.schedule_tag is not None)
        mentions = find_dates(article.text, article.date, check=self._check) if needs_dates else []
        self._check()
        found: list[Suggestion] = []
        if "rules" in self.sources:
            found += self._rules(article, sentences, mentions)
        if "dates" in self.sources:
            found += self._dates(article, sentences, mentions)
        if "outlets" in self.sources:
            found += self._outlets(article, sentences)
        if "own" in self.sources:
            found += self._own_tags(article, sentences)
        return _merge(found, article, mentions, self.config.schedule_tag)

    # -- the suggesters -------------------------------------------------------------------

    def _rules_compiled(self) -> RuleSet:
        if self._rule_set is None:
            tag_rules: dict[str, TagRules] = {
                tag.name: rules for tag in self.config.tags
                if (rules := self.config.rules_for(tag.name)) is not None}
            self._rule_set = RuleSet(tag_rules)
        return self._rule_set

    def _rules(self, article: Article, sentences: Sequence[Span],
               mentions: Sequence[DateMention]) -> list[Suggestion]:
        text, article_id = article.text, article.id
        fired = self._rules_compiled().fire_sentences(text, sentences, mentions, article.date,
                                                      self._check, CHECK_EVERY)
        # (a sentence is trimmed already: see sentence_spans)
        return [Suggestion(article_id, sentence.start, sentence.end, tag,
                           text[sentence.start:sentence.end], score, "rules")
                for sentence, tag, score in fired]

    def _dates(self, article: Article, sentences: Sequence[Span],
               mentions: Sequence[DateMention]) -> list[Suggestion]:
        schedule = self.config.schedule_tag
        if schedule is None:
            return []
        text = article.text
        out = []
        index = 0
        for sentence in sentences:
            best = 0.0
            called_off: bool | None = None  # (looked for once a date ahead is there)
            while index < len(mentions) and mentions[index].start < sentence.end:
                mention = mentions[index]
                index += 1
                if mention.start < sentence.start or not is_ahead(mention, article.date):
                    continue
                if called_off is None:
                    called_off = _CALLED_OFF.search(text, sentence.start,
                                                    sentence.end) is not None
                if called_off:
                    continue
                best = max(best, 0.7 if mention.tense == "future" else 0.55)
            if best:
                out.append(_suggestion(article, sentence, schedule, best, "dates"))
        return out

    def _outlets(self, article: Article, sentences: Sequence[Span]) -> list[Suggestion]:
        if self.corpus is None or not self._by_article:
            return []
        sentence_ends = [s.end for s in sentences]
        out = []
        for annotation, settled in self._outlet_cells().get(article.id, ()):
            if isinstance(settled, Link):
                # The analyst settled this cell: their span.
                out.append(_suggestion(article, settled.span, annotation.tag, 1.0, "outlets"))
                continue
            span = settled.span
            whole = self._whole.get(annotation.id)
            if whole is None:
                whole = self._whole[annotation.id] = self._whole_sentences(annotation)
            if whole:
                # A tagged sentence suggests the sentence(s) its counterpart is in, not
                # just the words the two share.
                span = _snap(span, sentences, sentence_ends)
            out.append(_suggestion(article, span, annotation.tag,
                                   round(settled.score / 100, 3), "outlets"))
        return out

    def _outlet_cells(self) -> dict[str, list[tuple[Annotation, Any]]]:
        """Per article, what the tags of the other articles suggest there, in the order of
        the tagged articles and their annotations: a confirmed link of the analysts, or the
        compare match when it is carried and scores :data:`OUTLET_MIN_SCORE` or more (a
        rejected link: nothing). Worked out once for every article: each article's
        suggestions need every annotation matched anyway, and one pass over the cells beats
        one per article (100 000 cells for 100 tags in 1 000 articles)."""
        if self._cells is not None:
            return self._cells
        # The index is read to its end even when this request is cancelled (the next one,
        # waiting for the engine, uses it: a reader moving on from article to article must
        # not start it again each time); only the process ending stops it.
        from .workers import exiting

        if not self._compare().prepare(cancelled=exiting):
            raise Cancelled
        known = set(self.config.tag_names)
        cells: dict[str, list[tuple[Annotation, Any]]] = {}
        verdicts: dict[str, list[tuple[str, Link]]] = {}
        for (annotation_id, article_id), link in self._verdicts.items():
            verdicts.setdefault(annotation_id, []).append((article_id, link))
        for tagged in self._by_article.values():
            for annotation in tagged:
                if annotation.tag not in known:
                    continue
                self._check()
                settled = dict(verdicts.get(annotation.id, ()))
                for article_id, match in self._counterparts(annotation).items():
                    if article_id == annotation.article_id or article_id in settled:
                        continue
                    if (match.carried and match.span is not None
                            and match.score >= OUTLET_MIN_SCORE):
                        cells.setdefault(article_id, []).append((annotation, match))
                for article_id, link in settled.items():
                    if (article_id != annotation.article_id and link.confirmed
                            and link.span is not None and link.anchor != "orphan"):
                        cells.setdefault(article_id, []).append((annotation, link))
        self._cells = cells
        return cells

    def _counterparts(self, annotation: Annotation) -> dict[str, Any]:
        """The compare match of an annotation in every article (one call for all of them,
        kept: the corpus is matched once per annotation, not once per article)."""
        found = self._matches.get(annotation.id)
        if found is None:
            found = self._matches[annotation.id] = self._compare().align(annotation,
                                                                        self._focus)
        return found

    def _compare(self) -> Aligner:
        if self._aligner is None:
            # The lexical scorer unless NEWSMARK_SCORER names one: on the seeds it suggests
            # as well as the semantic one (bench/README.md) without embedding every sentence
            # of the corpus first.
            scorer = "auto" if os.environ.get("NEWSMARK_SCORER") else "lexical"
            self._aligner = Aligner(self.corpus, scorer=scorer)  # type: ignore[arg-type]
        return self._aligner

    def _whole_sentences(self, annotation: Annotation) -> bool:
        """Whether an annotation covers whole sentences of its article (as a tag by key does)."""
        edges = self._sentence_edges.get(annotation.article_id)
        if edges is None:  # once per tagged article, not once per annotation and article
            article = self.corpus.get(annotation.article_id) if self.corpus else None
            sentences = [] if article is None else sentence_spans(article.plain,
                                                                  article.boilerplate)
            edges = self._sentence_edges[annotation.article_id] = (
                frozenset(s.start for s in sentences), frozenset(s.end for s in sentences))
        return annotation.start in edges[0] and annotation.end in edges[1]

    def _own_tags(self, article: Article, sentences: Sequence[Span]) -> list[Suggestion]:
        profiles = self._own_profiles()
        out = []
        for sentence in sentences:
            words = set(_content_words(article.text[sentence.start:sentence.end]))
            for tag, weights in profiles.items():
                shared = [weights[w] for w in words if w in weights]
                if len(shared) < 2:
                    continue
                score = round(1 - math.exp(-sum(shared) / 2), 3)
                out.append(_suggestion(article, sentence, tag, score, "own"))
        return out

    def _own_profiles(self) -> dict[str, dict[str, float]]:
        """Per tag, the words the annotator's passages of it share, weighed by how much more
        often they occur there than in the corpus's sentences (a log-odds ratio)."""
        if self._own is not None:
            return self._own
        mine = [a for a in self.annotations if a.annotator == self.annotator
                and a.anchor != "orphan"]
        by_tag: dict[str, list[Annotation]] = {}
        for annotation in mine:
            by_tag.setdefault(annotation.tag, []).append(annotation)
        background: Counter[str] = Counter()
        total = 0
        for article in (self.corpus.load_all() if self.corpus is not None else ()):
            for sentence in sentence_spans(article.plain, article.boilerplate):
                background.update(set(_content_words(article.text[sentence.start:sentence.end])))
                total += 1
        profiles: dict[str, dict[str, float]] = {}
        for tag, examples in by_tag.items():
            if len(examples) < OWN_MIN_EXAMPLES or tag not in self.config.tag_names:
                continue
            counts: Counter[str] = Counter()
            for example in examples:
                counts.update(set(_content_words(example.text)))
            weights = {}
            for word, count in counts.items():
                if count < 2:
                    continue  # a word of one passage is that passage's topic, not the tag's
                inside = count / len(examples)
                outside = (background.get(word, 0) + 1) / (total + 2)
                if inside > outside * 2:
                    weights[word] = math.log(inside / outside)
            if weights:
                profiles[tag] = weights
        self._own = profiles
        return profiles


# --------------------------------------------------------------------------- using them


def pending(
    suggestions: Iterable[Suggestion],
    annotations: Iterable[Annotation],
    rejected: Iterable[str],
) -> list[Suggestion]:
    """The suggestions still to decide: not rejected (by key) and not already an annotation of
    the same tag on (at least half of) the same passage."""
    keys = set(rejected)
    by_tag: dict[str, list[Span]] = {}
    for annotation in annotations:
        by_tag.setdefault(annotation.tag, []).append(annotation.span)
    out = []
    for suggestion in suggestions:
        if keys and suggestion.key in keys:
            continue
        if any(_same_passage(suggestion.span, span) for span in by_tag.get(suggestion.tag, ())):
            continue
        out.append(suggestion)
    return out


def pending_in(
    engine: Suggestions,
    article_ids: Sequence[str],
    annotations: Mapping[str, Sequence[Annotation]],
    rejected: Callable[[str], Iterable[str]],
    min_score: float,
    jobs: int = 1,
) -> list[Suggestion]:
    """The pending suggestions (:func:`pending`) scoring ``min_score`` or more in these
    articles, in their order: what a batch command (``newsmark suggest``, ``newsmark stats``)
    shows. ``annotations`` are the annotator's, by article; ``rejected(article_id)`` gives the
    keys the annotator rejected there.

    The engine is prepared once (:meth:`Suggestions.prepare`), then the articles are cut into
    ``jobs`` contiguous parts (:func:`tui.workers.parts`): each part after the first is worked
    out in a forked process, which inherits the prepared engine and is focused on its part;
    the output is the same, in the same order, whatever ``jobs`` is. A threaded process (an
    app) must pass ``jobs=1``: it must not fork."""
    from .workers import ordered_map, parts

    corpus = engine.corpus
    if corpus is None:
        raise ValueError("pending_in needs an engine with a corpus")

    def part(ids: Sequence[str]) -> list[Suggestion]:
        engine.focus(ids)
        out = []
        for article_id in ids:
            article = corpus.get(article_id)
            if article is None:  # (gone since it was listed)
                continue
            out += [s for s in pending(engine.for_article(article),
                                       annotations.get(article_id, ()), rejected(article_id))
                    if s.score >= min_score]
        return out

    engine.prepare(jobs)  # once, before the processes fork (each inherits it)
    return [s for found in ordered_map(part, parts(list(article_ids), jobs)) for s in found]


def accept(
    suggestion: Suggestion, article: Article, *, annotator: str, now: str | None = None
) -> Annotation:
    """The annotation that accepting ``suggestion`` makes: its span and tag, with its source,
    score and ``when``."""
    annotation = Annotation.new(article, suggestion.span, suggestion.tag, annotator=annotator,
                                now=now)
    return replace(annotation, source=suggestion.source, score=suggestion.score,
                   when=suggestion.when)


@dataclass(frozen=True)
class SourceCount:
    """How one suggester did for one tag: suggested (accepted + rejected + still shown),
    accepted, rejected, and the acceptance rate of those decided (None before any)."""

    source: str
    tag: str
    suggested: int
    accepted: int
    rejected: int

    @property
    def rate(self) -> float | None:
        """Accepted out of accepted and rejected (None when neither happened yet)."""
        decided = self.accepted + self.rejected
        return round(self.accepted / decided, 3) if decided else None


def source_counts(
    annotations: Iterable[Annotation],
    rejections: Iterable[Rejection],
    shown: Iterable[Suggestion],
) -> list[SourceCount]:
    """Per suggester and tag: what it suggested, what was accepted and rejected (the
    statistics that show which rules earn their keep). ``annotations`` are the store's (those
    with a ``source`` count as accepted), ``shown`` the suggestions still pending."""
    counts: dict[tuple[str, str], list[int]] = {}
    for annotation in annotations:
        if annotation.source:
            counts.setdefault((annotation.source, annotation.tag), [0, 0, 0])[0] += 1
    for rejection in rejections:
        counts.setdefault((rejection.source, rejection.tag), [0, 0, 0])[1] += 1
    for suggestion in shown:
        counts.setdefault((suggestion.source, suggestion.tag), [0, 0, 0])[2] += 1
    order = {name: n for n, name in enumerate(SOURCES)}
    return [SourceCount(source, tag, sum(c), c[0], c[1])
            for (source, tag), c in sorted(counts.items(),
                                           key=lambda item: (order.get(item[0][0], 99),
                                                             item[0]))]


# --------------------------------------------------------------------------- helpers


def _suggestion(article: Article, span: Span, tag: str, score: float, source: str) -> Suggestion:
    # Never a passage that starts or ends on markup (a Markdown article's "**" or link target).
    span = trimmed(article.plain, span)
    return Suggestion(article.id, span.start, span.end, tag, article.text[span.start:span.end],
                      score, source)


def _snap(span: Span, sentences: Sequence[Span], ends: Sequence[int]) -> Span:
    """``span`` widened to the sentences it covers at least half of (itself if none).

    ``sentences`` are sorted and do not overlap; ``ends`` are their ends. Only the sentences
    that overlap ``span`` are looked at (found by bisection).
    """
    covered = []
    for index in range(bisect_right(ends, span.start), len(sentences)):
        s = sentences[index]
        if s.start >= span.end:
            break
        shared = min(span.end, s.end) - max(span.start, s.start)
        if _same_passage(span, s) and shared * 2 >= len(s):
            covered.append(s)
    if not covered:
        return span
    return Span(min(covered[0].start, span.start), max(covered[-1].end, span.end))


def _same_passage(a: Span, b: Span) -> bool:
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and shared >= _SAME_PASSAGE * min(len(a), len(b))


def _merge(found: list[Suggestion], article: Article, mentions: Sequence[DateMention],
           schedule: str | None) -> list[Suggestion]:
    """One suggestion per passage and tag: the best-scoring source's; the ``schedule`` tag's
    (the config's schedule role) get ``when``.

    Suggestions of a tag are swept in text order in clusters of overlapping ones; a cluster of
    one (by far the most common: a sentence one source suggested) is kept as it is, a larger
    one keeps its best, then the next best that is not the same passage, and so on.
    """
    by_tag: dict[str, list[Suggestion]] = {}
    for suggestion in found:
        by_tag.setdefault(suggestion.tag, []).append(suggestion)
    kept: list[Suggestion] = []
    for suggestions in by_tag.values():
        suggestions.sort(key=attrgetter("start"))
        cluster: list[Suggestion] = []
        reach = -1
        for suggestion in suggestions:
            if cluster and suggestion.start >= reach:
                kept.extend(_best_of(cluster))
                cluster = []
            cluster.append(suggestion)
            reach = max(reach, suggestion.end) if len(cluster) > 1 else suggestion.end
        if cluster:
            kept.extend(_best_of(cluster))
    out = []
    mention_starts = [mention.start for mention in mentions]
    for suggestion in kept:
        if suggestion.tag == schedule:
            when = _when(suggestion, article, mentions, mention_starts)
            if when:
                suggestion = Suggestion(suggestion.article_id, suggestion.start, suggestion.end,
                                        suggestion.tag, suggestion.text, suggestion.score,
                                        suggestion.source, when)  # (replace() is slow)
        out.append(suggestion)
    out.sort(key=lambda s: (s.start, -s.end, s.tag))
    return out


def _best_of(cluster: list[Suggestion]) -> list[Suggestion]:
    if len(cluster) == 1:
        return cluster
    cluster.sort(key=lambda s: (-s.score, s.start, -s.end, s.source))
    chosen: list[Suggestion] = []
    for suggestion in cluster:
        if not any(_overlap_half(suggestion.start, suggestion.end, other.start, other.end)
                   for other in chosen):
            chosen.append(suggestion)
    return chosen


def _overlap_half(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    shared = min(a_end, b_end) - max(a_start, b_start)
    return shared > 0 and shared >= _SAME_PASSAGE * min(a_end - a_start, b_end - b_start)


def _when(suggestion: Suggestion, article: Article, mentions: Sequence[DateMention],
          starts: Sequence[int]) -> str:
    dates = []
    for index in range(bisect_left(starts, suggestion.start), len(mentions)):
        mention = mentions[index]
        if mention.start >= suggestion.end:
            break
        if mention.when is not None and is_ahead(mention, article.date):
            iso = mention.when.iso
            if iso not in dates:
                dates.append(iso)
    return ", ".join(dates)


def _content_words(text: str) -> list[str]:
    return [w for w in (m.group(0).lower() for m in _WORD.finditer(text))
            if w not in _STOPWORDS]
