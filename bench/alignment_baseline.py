"""The aligner of the compare matrix before issue 16, kept unchanged as the bench's baseline.

This is ``tui/compare.py``'s matcher as it was at commit 189de7c (folded windows of sentences,
``partial_ratio_alignment``, then trimming word by word while ``fuzz.ratio`` rises), so that
``bench/alignment.py`` and ``bench/compare.py`` print the new scorers against it in the same run.
Not used by newsmark itself.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from tui.compare import Match, _like, fold
from tui.corpus import Corpus
from tui.model import Annotation, Article, Span
from tui.sentences import sentence_spans, word_spans

#: A match scoring at least this (fuzz.ratio of the folded texts) is "reworded"; below, "absent".
REWORDED = 65
#: A reworded match must also share this much word for word (``fuzz.ratio`` over the lists of
#: folded words): a few words of a headline found in another sentence are not the headline.
REWORDED_WORDS = 45
#: Below this ``partial_ratio`` a window is not trimmed: nothing there comes close.
_CANDIDATE_FLOOR = 45
#: A window holds at most this many sentences (a passage longer than that still matches).
_MAX_WINDOW = 6
#: How many windows (those sharing the most words with the passage) are tried.
_WINDOWS_SCORED = 3
#: A window longer than this many times the passage is aligned (``partial_ratio_alignment``)
#: before it is trimmed; a shorter one is trimmed from its whole length, which costs less.
_ALIGN_ABOVE = 1.5
#: Windows sharing fewer than this share of the passage's distinct words are not aligned.
_SHARED_WORDS = 0.3
# --------------------------------------------------------------------------- matches


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


class LegacyAligner:
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
        for article in self.corpus:
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
