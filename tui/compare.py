"""One story, many outlets: where each tagged passage appears in the other articles (no UI).

For each annotated passage, :class:`Aligner` finds the best-matching passage of every other
article of the corpus, and :func:`compare` builds the passages × articles :class:`Matrix` the
compare screen and ``newsmark compare`` show.

How a passage is matched in another article:

1. Both texts are *folded* for matching: letters and digits kept and case-folded, every run of
   anything else (spaces, punctuation, curly or straight quotes, dashes) becomes one space. Each
   folded character remembers its offset in the article, so a match maps back to a span.
   Boilerplate lines are left out (only sentences of :func:`tui.sentences.sentence_spans` count).
2. If the folded passage occurs in the folded article as whole words, it is **verbatim** (100).
3. Otherwise the candidates are windows of consecutive sentences of one paragraph, each just
   long enough to hold the passage. The three sharing the most words with the passage are
   tried: a window much longer than the passage is first aligned with
   :func:`rapidfuzz.fuzz.partial_ratio_alignment`; then the stretch is *trimmed to the matching
   words*: its ends move word by word (up to one sentence beyond the window) while that raises
   :func:`rapidfuzz.fuzz.ratio` between the passage and the stretch. The best final ``ratio``
   (0–100) is the score. A match never crosses a line break, so never takes in boilerplate.
4. Punctuation that the passage starts or ends with (an opening quote, a full stop) is taken
   along when the other article has it too, so a propagated tag covers the same characters.

Score thresholds (measured on the five seeds, see ``tests/test_compare.py``):

=============  ==================  ============================================================
kind           score               meaning
=============  ==================  ============================================================
``verbatim``   100                 the same words in the same order (case, punctuation and
                                   quote style may differ)
``reworded``   :data:`REWORDED`    the same passage with words changed, added or dropped
               (65) to 99          (``would lead`` → ``will lead``), and at least
                                   :data:`REWORDED_WORDS` (45) on a word-by-word ratio, so a
                                   few shared words of a headline do not count
``absent``     below 65            the article does not carry the passage in words close to
                                   these; the closest stretch is kept (``Match.span``) for the
                                   analyst to judge. Unrelated sentences on the same topic
                                   score 40–64 on the seeds: between 60 and 70 a human
                                   should look (the screen shows both passages).
=============  ==================  ============================================================

Near-duplicate articles (two versions of one report, such as seeds 000 and 001) are found by
word trigrams: two articles are versions of one story when at least :data:`VERSION_SHARE`
(35 %) of the trigrams of the shorter one are also in the other. On the seeds, different
outlets share 2–8 %, or 23 % where one (004) quotes another's (002) statements at length; the
two versions of one RT report (000, 001) share 50 %.
"""

from __future__ import annotations

import csv
import heapq
import io
import json
import re
import unicodedata
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date

from rapidfuzz import fuzz

from .corpus import Corpus
from .model import Annotation, Article, Span
from .sentences import sentence_spans, word_spans

__all__ = [
    "REWORDED",
    "REWORDED_WORDS",
    "VERSION_SHARE",
    "Aligner",
    "Cell",
    "Column",
    "Match",
    "Matrix",
    "Row",
    "cell_code",
    "cell_for",
    "columns_of",
    "compare",
    "diff_words",
    "fold",
    "matrix_csv",
    "matrix_json",
    "matrix_table",
    "story_groups",
]

#: A match scoring at least this (fuzz.ratio of the folded texts) is "reworded"; below, "absent".
REWORDED = 65
#: A reworded match must also share this much word for word (``fuzz.ratio`` over the lists of
#: folded words): a few words of a headline found in another sentence are not the headline.
REWORDED_WORDS = 45
#: Below this ``partial_ratio`` a window is not trimmed: nothing there comes close.
_CANDIDATE_FLOOR = 45
#: Two articles are versions of one story when this share of the shorter one's word trigrams
#: is in the other.
VERSION_SHARE = 0.35
#: How many trigram hashes each article's sketch keeps (see :func:`story_groups`).
_SKETCH = 48
#: A window holds at most this many sentences (a passage longer than that still matches).
_MAX_WINDOW = 6
#: How many windows (those sharing the most words with the passage) are tried.
_WINDOWS_SCORED = 3
#: A window longer than this many times the passage is aligned (``partial_ratio_alignment``)
#: before it is trimmed; a shorter one is trimmed from its whole length, which costs less.
_ALIGN_ABOVE = 1.5
#: Windows sharing fewer than this share of the passage's distinct words are not aligned.
_SHARED_WORDS = 0.3
#: An annotation is "on" a matched passage when they overlap by this share of the shorter.
_OVERLAP_SHARE = 0.5

_QUOTE_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"',
                             "–": "-", "—": "-", "\u00a0": " "})


_ALNUM_RUN = re.compile(r"[^\W_]+")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch).startswith("M")


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def fold(text: str, start: int = 0, end: int | None = None) -> tuple[str, list[int]]:
    """``text[start:end]`` folded for matching, and the offset in ``text`` of each folded char.

    Letters and digits (with any combining marks on them) are kept, case-folded; each run of
    other characters becomes one space; no space at either end.
    """
    end = len(text) if end is None else end
    runs: list[list[int]] = []
    # Runs of letters and digits found by the regex engine (a Python loop over every character
    # costs ten times more on a large corpus); combining marks, when there are any (checked
    # over the distinct characters only), join or extend them.
    if not any(ch >= "\u0300" and _is_mark(ch) for ch in set(text[start:end])):
        matches = [found.span() for found in _ALNUM_RUN.finditer(text, start, end)]
        return _joined(text, [list(span) for span in matches])
    for found in _ALNUM_RUN.finditer(text, start, end):
        run_start, run_end = found.span()
        while run_end < end and _is_mark(text[run_end]):
            run_end += 1
        if runs and runs[-1][1] == run_start:
            runs[-1][1] = run_end
        elif runs and run_start > runs[-1][1] and all(
                _is_mark(ch) for ch in text[runs[-1][1] : run_start]):
            runs[-1][1] = run_end
        else:
            runs.append([run_start, run_end])
    return _joined(text, runs)


def _joined(text: str, runs: list[list[int]]) -> tuple[str, list[int]]:
    parts: list[str] = []
    where: list[int] = []
    for number, (run_start, run_end) in enumerate(runs):
        if number:
            parts.append(" ")
            where.append(runs[number - 1][1])
        word = text[run_start:run_end]
        folded = word.casefold()
        parts.append(folded)
        if len(folded) == len(word):
            where.extend(range(run_start, run_end))
        else:
            for offset in range(run_start, run_end):
                where.extend([offset] * len(text[offset].casefold()))
    return "".join(parts), where


# --------------------------------------------------------------------------- matches


@dataclass(frozen=True)
class Match:
    """Where a passage appears in one article.

    ``kind`` is ``"source"`` (the article the passage was tagged in), ``"verbatim"``,
    ``"reworded"`` or ``"absent"``. ``span`` is the matched passage (for ``absent``, the closest
    stretch, or None when nothing came near); ``score`` is 0–100.
    """

    article_id: str
    kind: str
    score: int
    span: Span | None = None

    @property
    def carried(self) -> bool:
        """True if the article carries the passage (source, verbatim or reworded)."""
        return self.kind != "absent"


@dataclass
class _Folded:
    """An article's sentences, folded and joined by single spaces, with the way back."""

    article: Article
    text: str
    where: list[int]
    sentence_starts: list[int]
    sentence_ends: list[int]
    sentence_lines: list[int]
    sentence_words: list[frozenset[str]]
    word_starts: list[int] = field(default_factory=list)
    word_ends: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, article: Article) -> _Folded:
        parts: list[str] = []
        where: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        lines: list[int] = []
        length = 0
        line = 0
        line_checked = 0
        for sentence in sentence_spans(article.text, article.boilerplate):
            line += article.text.count("\n", line_checked, sentence.start)
            line_checked = sentence.start
            folded, offsets = fold(article.text, sentence.start, sentence.end)
            if not folded:
                continue
            if parts:
                parts.append(" ")
                where.append(offsets[0])
                length += 1
            starts.append(length)
            lines.append(line)
            parts.append(folded)
            where.extend(offsets)
            length += len(folded)
            ends.append(length)
        text = "".join(parts)
        word_starts: list[int] = []
        word_ends: list[int] = []
        position = 0
        for word in text.split(" "):
            word_starts.append(position)
            word_ends.append(position + len(word))
            position += len(word) + 1
        words = [frozenset(text[a:b].split()) for a, b in zip(starts, ends, strict=True)]
        return cls(article, text, where, starts, ends, lines, words, word_starts, word_ends)

    def span_of(self, start: int, end: int) -> Span:
        """The article span of folded ``[start, end)``, widened to whole words."""
        first = self.where[start]
        last = self.where[end - 1] + 1
        words = word_spans(self.article.text, Span(first, last))
        if words:
            first, last = min(first, words[0].start), max(last, words[-1].end)
        return Span(first, last)

    def find_words(self, needle: str) -> int:
        """Where ``needle`` occurs in the folded text as whole words, or -1."""
        position = self.text.find(needle)
        while position >= 0:
            before = position == 0 or self.text[position - 1] == " "
            after_at = position + len(needle)
            after = after_at == len(self.text) or self.text[after_at] == " "
            if before and after:
                return position
            position = self.text.find(needle, position + 1)
        return -1


class Aligner:
    """Finds where passages of one article appear in the others of a corpus.

    Folding each article is done once, on first use; an aligner can be used from a worker
    thread (it only reads the corpus).
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self._folded: dict[str, _Folded] = {}

    def folded(self, article_id: str) -> _Folded:
        """The folded form of an article (computed once)."""
        found = self._folded.get(article_id)
        if found is None:
            article = self.corpus.get(article_id)
            if article is None:
                raise KeyError(article_id)
            found = self._folded[article_id] = _Folded.of(article)
        return found

    def match(self, passage: str, article_id: str, *, folded: str | None = None) -> Match:
        """The best match of ``passage`` (raw text) in the article ``article_id``.

        ``folded`` is ``fold(passage)[0]`` if the caller has it already.
        """
        needle = fold(passage)[0] if folded is None else folded
        target = self.folded(article_id)
        if not needle or not target.text:
            return Match(article_id, "absent", 0)
        position = target.find_words(needle)
        if position >= 0:
            span = target.span_of(position, position + len(needle))
            text = target.article.text
            # The folded text joins paragraphs: words found across a line break (perhaps over a
            # boilerplate line between them) are not the passage unless it has one too.
            if "\n" not in text[span.start : span.end] or "\n" in passage:
                return Match(article_id, "verbatim", 100, _like(passage, text, span))
        found = self._fuzzy(needle, target)
        if found is None:
            return Match(article_id, "absent", 0)
        start, end, score = found
        span = _like(passage, target.article.text, target.span_of(start, end))
        words = fuzz.ratio(needle.split(), target.text[start:end].split())
        kind = "reworded" if score >= REWORDED and words >= REWORDED_WORDS else "absent"
        return Match(article_id, kind, score, span)

    def align(self, annotation: Annotation) -> dict[str, Match]:
        """The match of an annotated passage in every article of the corpus, by article id.

        Its own article gets a ``source`` match on the annotation's span.
        """
        matches: dict[str, Match] = {}
        needle = fold(annotation.text)[0]
        for article in self.corpus.articles:
            if article.id == annotation.article_id:
                matches[article.id] = Match(article.id, "source", 100, annotation.span)
            else:
                matches[article.id] = self.match(annotation.text, article.id, folded=needle)
        return matches

    def _fuzzy(self, needle: str, target: _Folded) -> tuple[int, int, int] | None:
        starts, ends = target.sentence_starts, target.sentence_ends
        lines = target.sentence_lines
        count = len(starts)
        windows: list[tuple[int, int]] = []
        # Windows stay within one line (paragraph): a match never spans a paragraph break, so
        # it can never take in a boilerplate line either.
        for i in range(count):
            j = i
            while (ends[j] - starts[i] < len(needle) and j + 1 < count and j - i < _MAX_WINDOW
                   and lines[j + 1] == lines[i]):
                j += 1
            windows.append((i, j))
        # Only the few windows sharing the most words with the passage are aligned: aligning
        # every window of a 100-article corpus would take seconds per passage.
        wanted = set(needle.split())
        shared = [len(wanted & words) for words in target.sentence_words]
        ranked = heapq.nlargest(
            _WINDOWS_SCORED, windows, key=lambda w: sum(shared[w[0] : w[1] + 1]))
        # A window sharing few of the passage's words cannot be a rewording of it (see
        # REWORDED_WORDS): only the best one is aligned, to show the closest stretch.
        enough = _SHARED_WORDS * len(wanted)
        windows = [w for w in ranked if sum(shared[w[0] : w[1] + 1]) >= enough] or [
            w for w in ranked[:1] if sum(shared[w[0] : w[1] + 1])]
        if not windows:
            return None
        best: tuple[int, int, int] | None = None
        for i, j in windows:
            window = target.text[starts[i] : ends[j]]
            if len(window) > _ALIGN_ABOVE * len(needle):
                alignment = fuzz.partial_ratio_alignment(needle, window,
                                                         score_cutoff=_CANDIDATE_FLOOR)
                if alignment is None:
                    continue
                begin = starts[i] + alignment.dest_start
                finish = starts[i] + max(alignment.dest_end, alignment.dest_start + 1)
            else:
                begin, finish = starts[i], ends[j]
            # The trimming may reach one sentence beyond the window on either side: the other
            # article may have split or joined sentences differently.
            before = i - 1 if i > 0 and lines[i - 1] == lines[i] else i
            after = j + 1 if j + 1 < count and lines[j + 1] == lines[j] else j
            found = _trim(needle, target, begin, finish, starts[before], ends[after])
            if best is None or found[2] > best[2]:
                best = found
        return best


def _trim(needle: str, target: _Folded, begin: int, finish: int, low: int, high: int
          ) -> tuple[int, int, int]:
    """Move the ends of folded ``[begin, finish)`` word by word (within ``[low, high)``) while
    that raises ``fuzz.ratio`` with ``needle``; return the best stretch and its score."""
    word_starts, word_ends = target.word_starts, target.word_ends
    first_word = max(0, bisect_right(word_starts, begin) - 1)
    last_word = max(first_word, bisect_left(word_ends, finish))
    last_word = min(last_word, len(word_ends) - 1)
    low_word = bisect_left(word_starts, low)
    high_word = max(low_word, bisect_right(word_ends, high) - 1)
    first_word = min(max(first_word, low_word), high_word)
    last_word = max(min(last_word, high_word), first_word)
    text = target.text

    def score(a: int, b: int) -> float:
        return fuzz.ratio(needle, text[word_starts[a] : word_ends[b]])

    best = score(first_word, last_word)
    for _ in range(4 * (high_word - low_word + 1)):
        moves = [(first_word - 1, last_word), (first_word + 1, last_word),
                 (first_word, last_word - 1), (first_word, last_word + 1)]
        scored = [
            (score(a, b), a, b) for a, b in moves
            if low_word <= a <= b <= high_word
        ]
        if not scored:
            break
        top = max(scored)
        if top[0] <= best:
            break
        best, first_word, last_word = top
    return word_starts[first_word], word_ends[last_word], int(round(best))


def _like(passage: str, text: str, span: Span) -> Span:
    """``span`` widened by the punctuation ``passage`` starts and ends with, where ``text`` has
    the same characters there (quotes of either style count as the same)."""
    stripped_start = len(passage) - len(passage.lstrip())
    lead = ""
    for index in range(stripped_start, len(passage)):
        if _is_word_char(passage[index]):
            lead = passage[stripped_start:index]
            break
    trail = ""
    stripped_end = len(passage.rstrip())
    for index in range(stripped_end - 1, -1, -1):
        if _is_word_char(passage[index]):
            trail = passage[index + 1 : stripped_end]
            break
    start, end = span.start, span.end
    for size in range(len(lead), 0, -1):
        piece = text[max(0, start - size) : start]
        if len(piece) == size and piece.translate(_QUOTE_FOLD) == lead[-size:].translate(
                _QUOTE_FOLD):
            start -= size
            break
    for size in range(len(trail), 0, -1):
        piece = text[end : end + size]
        if len(piece) == size and piece.translate(_QUOTE_FOLD) == trail[:size].translate(
                _QUOTE_FOLD):
            end += size
            break
    return Span(start, end)


# --------------------------------------------------------------------------- versions


def _trigrams(folded: str) -> set[tuple[str, str, str]]:
    words = folded.split()
    return set(zip(words, words[1:], words[2:], strict=False))


def _sketch(grams: set[tuple[str, str, str]]) -> list[int]:
    """The smallest :data:`_SKETCH` hashes of an article's trigrams (a bottom-k sketch): two
    articles sharing many trigrams almost surely share one of these."""
    return heapq.nsmallest(_SKETCH, {zlib.crc32(" ".join(gram).encode()) for gram in grams})


def story_groups(
    aligner: Aligner,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[tuple[str, ...]]:
    """Groups of article ids that are versions of one story (each of two or more articles),
    in corpus order. See :data:`VERSION_SHARE`.

    Only articles sharing a sketch hash are compared (a pair of versions shares one with
    near certainty), each against the first and the previous article holding that hash, so
    the cost grows with the corpus, not with its square. ``progress(done, total)`` is called
    per article folded.
    """
    ids = [article.id for article in aligner.corpus.articles]
    grams: list[set[tuple[str, str, str]]] = []
    postings: dict[int, list[int]] = {}
    for index, article_id in enumerate(ids):
        if cancelled is not None and cancelled():
            return []
        article_grams = _trigrams(aligner.folded(article_id).text)
        grams.append(article_grams)
        for value in _sketch(article_grams):
            postings.setdefault(value, []).append(index)
        if progress is not None:
            progress(index + 1, len(ids))
    parent = list(range(len(ids)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    pairs: set[tuple[int, int]] = set()
    for members in postings.values():
        for position in range(1, len(members)):
            pairs.add((members[0], members[position]))
            pairs.add((members[position - 1], members[position]))
    for first, second in sorted(pairs):
        if first == second or root(first) == root(second):
            continue
        a, b = grams[first], grams[second]
        smaller = min(len(a), len(b))
        if smaller and len(a & b) / smaller >= VERSION_SHARE:
            parent[root(second)] = root(first)
    groups: dict[int, list[str]] = {}
    for index, article_id in enumerate(ids):
        groups.setdefault(root(index), []).append(article_id)
    return [tuple(group) for group in groups.values() if len(group) > 1]


# --------------------------------------------------------------------------- the matrix


def _short_id(article_id: str, width: int = 10) -> str:
    return article_id if len(article_id) <= width else article_id[: width - 1] + "…"


@dataclass(frozen=True)
class Column:
    """An article as a column: who published it, when, and which story group it is in.

    ``group`` is the 1-based number of its version group (0 if none) and ``version`` its
    1-based place in that group.
    """

    article_id: str
    outlet: str
    date: str
    group: int = 0
    version: int = 0
    group_label: str = ""

    @property
    def label(self) -> str:
        """The outlet (or the article id when unknown); versions of a story say ``v1``, ``v2``."""
        name = self.group_label if self.group else (self.outlet or _short_id(self.article_id))
        return f"{name} v{self.version}" if self.group else name

    @property
    def short_date(self) -> str:
        """``31 Dec`` (or ``no date``)."""
        try:
            return Date.fromisoformat(self.date).strftime("%d %b").lstrip("0")
        except ValueError:
            return "no date"


@dataclass(frozen=True)
class Cell:
    """One article's side of one row: the match, and the tags on the matched passage there."""

    match: Match
    tags: tuple[str, ...] = ()
    annotation_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Row:
    """A tagged passage (the same passage tagged in several articles is one row)."""

    source: Annotation
    annotations: tuple[Annotation, ...]
    cells: Mapping[str, Cell]

    @property
    def tag(self) -> str:
        """The row's tag: the source annotation's."""
        return self.source.tag


@dataclass(frozen=True)
class Matrix:
    """Passages × articles."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    groups: tuple[tuple[str, ...], ...] = ()

    def column(self, article_id: str) -> Column | None:
        """The column of an article."""
        return next((c for c in self.columns if c.article_id == article_id), None)


def _overlap_enough(a: Span, b: Span) -> bool:
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and shared >= _OVERLAP_SHARE * min(len(a), len(b))


def cell_for(match: Match, annotations: Iterable[Annotation]) -> Cell:
    """The cell for ``match`` given the article's annotations: the tags on the matched span."""
    on = []
    if match.carried and match.span is not None:
        on = [a for a in annotations if _overlap_enough(a.span, match.span)]
    tags = tuple(dict.fromkeys(a.tag for a in sorted(on, key=lambda a: (a.start, a.tag))))
    return Cell(match, tags, tuple(a.id for a in on))


def columns_of(corpus: Corpus, groups: Sequence[tuple[str, ...]]) -> tuple[Column, ...]:
    """The columns: articles in corpus order, the versions of a story next to each other."""
    group_of = {article_id: (n, v) for n, group in enumerate(groups, 1)
                for v, article_id in enumerate(group, 1)}
    columns: list[Column] = []
    placed: set[str] = set()
    for article in corpus.articles:
        if article.id in placed:
            continue
        members = groups[group_of[article.id][0] - 1] if article.id in group_of else (article.id,)
        outlets = [corpus.get(m).outlet for m in members if corpus.get(m).outlet]  # type: ignore[union-attr]
        label = outlets[0] if outlets else _short_id(members[0])
        for member in members:
            item = corpus.get(member)
            assert item is not None
            group, version = group_of.get(member, (0, 0))
            columns.append(Column(member, item.outlet, item.date, group, version,
                                  label if group else ""))
            placed.add(member)
    return tuple(columns)


def compare(
    corpus: Corpus,
    annotations: Iterable[Annotation],
    *,
    aligner: Aligner | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Matrix:
    """The passages × articles matrix of ``annotations`` over ``corpus``.

    Rows come in corpus order, then text order; an annotation whose passage is already a row
    (the same span in its article, or the match of a row's passage in another article) joins
    that row instead of making one. ``progress(done, total)`` is called after each article is
    read (folded, for matching and for finding versions) and after each annotation; if
    ``cancelled()`` turns true the work stops and the rows so far are returned.
    Annotations of articles not in the corpus, and orphans, are left out.
    """
    aligner = aligner or Aligner(corpus)
    order = {article.id: n for n, article in enumerate(corpus.articles)}
    usable = sorted(
        (a for a in annotations if a.article_id in order and a.anchor != "orphan"),
        key=lambda a: (order[a.article_id], a.start, -a.end, a.tag, a.id),
    )
    by_article: dict[str, list[Annotation]] = {article.id: [] for article in corpus.articles}
    for annotation in usable:
        by_article[annotation.article_id].append(annotation)
    count = len(corpus.articles)
    total = count + len(usable)

    def reading(done: int, _: int) -> None:
        if progress is not None:
            progress(done, total)

    groups = tuple(story_groups(aligner, progress=reading, cancelled=cancelled))
    columns = columns_of(corpus, groups)
    rows: list[Row] = []
    joined: set[str] = set()
    for done, annotation in enumerate(usable, count + 1):
        if cancelled is not None and cancelled():
            break
        if annotation.id not in joined:
            matches = aligner.align(annotation)
            members = [annotation]
            joined.add(annotation.id)
            for article_id, match in matches.items():
                if not match.carried or match.span is None:
                    continue
                for other in by_article[article_id]:
                    if other.id in joined:
                        continue
                    same = (other.span == match.span if article_id == annotation.article_id
                            else _overlap_enough(other.span, match.span))
                    if same:
                        members.append(other)
                        joined.add(other.id)
            cells = {column.article_id: cell_for(matches[column.article_id],
                                                 by_article[column.article_id])
                     for column in columns}
            rows.append(Row(annotation, tuple(members), cells))
        if progress is not None:
            progress(done, total)
    return Matrix(columns, tuple(rows), groups)


# --------------------------------------------------------------------------- differences


def diff_words(first: str, second: str) -> tuple[list[tuple[Span, bool]], list[tuple[Span, bool]]]:
    """The words of two passages, each flagged True where it differs from the other passage.

    Words are compared folded (case and quote style do not count). Returns, for each passage,
    ``(span in that passage, differs)`` for every word, in order.
    """
    import difflib

    words_a = word_spans(first)
    words_b = word_spans(second)
    keys_a = [fold(first[w.start : w.end])[0] for w in words_a]
    keys_b = [fold(second[w.start : w.end])[0] for w in words_b]
    same_a = [False] * len(words_a)
    same_b = [False] * len(words_b)
    matcher = difflib.SequenceMatcher(a=keys_a, b=keys_b, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            same_a[block.a + k] = True
            same_b[block.b + k] = True
    return ([(w, not s) for w, s in zip(words_a, same_a, strict=True)],
            [(w, not s) for w, s in zip(words_b, same_b, strict=True)])


# --------------------------------------------------------------------------- text output


def cell_code(cell: Cell, markers: Mapping[str, str]) -> str:
    """A cell in a few characters: ``src`` / ``=`` / ``~87`` / ``-``, then the markers of the
    tags on the passage there (``= T``)."""
    match = cell.match
    kind = {"source": "src", "verbatim": "=", "reworded": f"~{match.score}",
            "absent": "-"}[match.kind]
    letters = "".join(markers.get(tag, tag[:1].upper()) for tag in cell.tags)
    return f"{kind} {letters}" if letters else kind


def _row_quote(row: Row, width: int) -> str:
    flat = " ".join(row.source.text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"


def matrix_table(matrix: Matrix, markers: Mapping[str, str], width: int = 100) -> str:
    """The matrix as aligned plain text (what ``newsmark compare`` prints)."""
    from .layout import display_text

    heads = [(c.label, c.short_date) for c in matrix.columns]
    codes = [[cell_code(row.cells[c.article_id], markers) for c in matrix.columns]
             for row in matrix.rows]
    widths = [max([len(h[0]), len(h[1]), *(len(r[i]) for r in codes)], default=1)
              for i, h in enumerate(heads)]
    quote_width = max(20, width - 8 - sum(w + 2 for w in widths))
    lines = []
    lines.append(" " * (quote_width + 8) + "  ".join(
        h[0].ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip())
    lines.append(" " * (quote_width + 8) + "  ".join(
        h[1].ljust(w) for h, w in zip(heads, widths, strict=True)).rstrip())
    for number, (row, row_codes) in enumerate(zip(matrix.rows, codes, strict=True), 1):
        marker = markers.get(row.tag, row.tag[:1].upper())
        quote = display_text(_row_quote(row, quote_width)).ljust(quote_width)
        cells = "  ".join(code.ljust(w) for code, w in zip(row_codes, widths, strict=True))
        lines.append(f"{number:>3} {marker} {quote}  {cells}".rstrip())
    if not matrix.rows:
        lines.append("(no tagged passages: tag some, then compare)")
    for n, group in enumerate(matrix.groups, 1):
        labels = [c.label for c in matrix.columns if c.group == n]
        lines.append(f"versions of one story: {', '.join(labels)} = {', '.join(group)}")
    for column in matrix.columns:
        lines.append(f"{column.label}: {column.article_id}")
    lines.append("src tagged here · = verbatim · ~N reworded (score) · - absent; "
                 "letters: tags on the passage there")
    return "\n".join(lines) + "\n"


def matrix_json(matrix: Matrix, corpus: Corpus) -> str:
    """The matrix as JSON: columns, version groups, and rows with one cell per article."""
    def cell_json(cell: Cell) -> dict[str, object]:
        match = cell.match
        carried = match.carried and match.span is not None
        article = corpus.get(match.article_id)
        return {
            "kind": match.kind,
            "score": match.score,
            "start": match.span.start if carried else None,
            "end": match.span.end if carried else None,
            "text": article.text[match.span.start : match.span.end]
            if carried and article is not None else None,
            "tags": list(cell.tags),
            "annotations": list(cell.annotation_ids),
        }

    data = {
        "columns": [
            {"article": c.article_id, "label": c.label, "outlet": c.outlet, "date": c.date,
             "group": c.group or None, "version": c.version or None}
            for c in matrix.columns
        ],
        "groups": [list(group) for group in matrix.groups],
        "rows": [
            {
                "tag": row.tag,
                "passage": row.source.text,
                "article": row.source.article_id,
                "annotation": row.source.id,
                "annotations": [a.id for a in row.annotations],
                "cells": {c.article_id: cell_json(row.cells[c.article_id])
                          for c in matrix.columns},
            }
            for row in matrix.rows
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def matrix_csv(matrix: Matrix, markers: Mapping[str, str]) -> str:
    """The matrix as CSV: one line per passage, one column per article (cell codes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tag", "source_article", "passage",
                     *(f"{c.label} ({c.article_id})" for c in matrix.columns)])
    for row in matrix.rows:
        writer.writerow([row.tag, row.source.article_id, row.source.text,
                         *(cell_code(row.cells[c.article_id], markers)
                           for c in matrix.columns)])
    return out.getvalue()
