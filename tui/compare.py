"""One story, many outlets: where each tagged passage appears in the other articles (no UI).

For each annotated passage, :class:`Aligner` finds the best candidate passage of every other
article of the corpus, and :func:`compare` builds the passages × articles :class:`Matrix` the
compare screen and ``newsmark compare`` show.

How a passage is matched in another article:

1. **Verbatim.** Both texts are *folded* (:func:`fold`): letters and digits kept and case-folded,
   every run of anything else (spaces, punctuation, curly or straight quotes, dashes) one space,
   each folded character remembering its offset in the article. If the folded passage occurs in
   the folded article as whole words, within one paragraph, it is ``verbatim`` (score 100);
   punctuation the passage starts or ends with is taken along where the article has it too, so
   a propagated tag covers the same characters.
2. **Candidates.** Otherwise every *unit* of the article is a candidate: its sentences, pairs of
   adjacent sentences and clauses (:func:`tui.lexical.units_of`; boilerplate never counts).
   They are ranked by the lexical score (:class:`tui.lexical.LexicalIndex`: stemmed content
   words weighted by their rarity in the corpus) and, with the ``semantic`` extra, the cosine of
   sentence embeddings (:mod:`tui.semantic`; a pair of sentences is embedded as one text, a
   clause has its sentence's vector): ``rank = lexical + RANK_SEMANTIC × cosine``.
   The words of the passage's attribution frame ("…, White House Press Secretary Jen Psaki said
   in a statement", :func:`tui.attribution.frames`) weigh :data:`MUTE` of their weight: who
   said it is not what was said, and another outlet's "Psaki said" is not the passage.
3. **Carried or not.** The best candidate is described by a few *features*
   (:data:`FEATURES`): its lexical score; the fuzzy score (rapidfuzz ``token_set_ratio`` of
   the folded texts, 0–1); whether the negation disagrees (1 when exactly one of the two has
   a negation or denial cue, :func:`tui.lexical.negated`: "no plans" is not "plans"); the
   **way back**: the candidate scored against the units of the passage's own article, the best
   unit over the passage's span minus the best elsewhere in that article (a candidate that
   reports the passage points back at it; one that reports something else points at another
   sentence there; 0 when the passage's article is not known); and with the extra, the
   cosine and the same way back by cosine. The score is a logistic model of them,
   ``score = 100 / (1 + exp(-(w·f + b)))`` (at most 99), its weights (:data:`CALIBRATION`)
   fitted on the present and absent pairs of the second gold set (``bench/alignment/suez/``,
   the two classes weighing the same; not the seeds: they and a third set,
   ``bench/alignment/notredame/``, are held out to measure it; ``python bench/alignment.py
   --calibrate`` refits and prints them). A score of at least :data:`REWORDED` (50: more
   likely carried than not) is ``reworded``, below it ``absent``, and the best candidate is
   kept either way for the analyst to judge.

``MUTE`` and ``RANK_SEMANTIC`` are round numbers; what each part brings, on the seeds and the
second set, is measured in ``bench/alignment.py`` (``bench/README.md``): names and numbers
agreeing, the gap to the second-best candidate, the candidate's z-score in its article, the
length ratio and a penalty for lines that are not prose were measured too and did not help
on the held-out set.

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
import math
import os
import re
import threading
import unicodedata
import zlib
from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from functools import lru_cache
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from .corpus import Corpus
from .editing import shorten
from .errors import UserFacingError
from .model import Annotation, Article, Span
from .sentences import sentence_spans, word_spans

if TYPE_CHECKING:
    import numpy as np

    from .lexical import LexicalIndex
    from .links import Link
    from .semantic import EmbeddingCache

__all__ = [
    "CALIBRATION",
    "FEATURES",
    "MUTE",
    "REWORDED",
    "SCORERS",
    "ScorerError",
    "VERSION_SHARE",
    "Aligner",
    "Weights",
    "Cell",
    "Column",
    "Match",
    "Matrix",
    "OutletCounts",
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
    "outlet_counts",
    "resolve_scorer",
    "story_groups",
]

#: A best candidate scoring at least this (a calibrated probability, 0–99) is "reworded";
#: below, "absent".
REWORDED = 50
#: The scorers: ``lexical`` (always there) and ``semantic`` (the ``newsmark[semantic]`` extra).
SCORERS = ("lexical", "semantic")
#: Weight of the embeddings' cosine in the ranking of candidates (semantic scorer).
RANK_SEMANTIC = 0.5
#: What the words of a passage's attribution frame weigh in the lexical score (share of their
#: weight; see :func:`tui.attribution.frames`).
MUTE = 0.25
#: The features of a best candidate, per scorer, in the order of :data:`CALIBRATION`.
FEATURES: dict[str, tuple[str, ...]] = {
    "lexical": ("lexical", "fuzzy", "negation", "back"),
    "semantic": ("lexical", "fuzzy", "negation", "back", "cosine", "back_cosine"),
}
#: The logistic model per scorer: one weight per feature of :data:`FEATURES`, then the
#: intercept; fitted on the suez gold set's pairs, present and absent weighing the same (the
#: share of carried passages differs from corpus to corpus), by ``python bench/alignment.py
#: --calibrate``.
CALIBRATION: dict[str, tuple[float, ...]] = {
    "lexical": (2.19, 1.63, -0.74, 2.12, -1.34),
    "semantic": (1.98, 1.46, -0.72, 1.80, 1.28, 0.71, -1.74),
}
#: Two articles are versions of one story when this share of the shorter one's word trigrams
#: is in the other.
VERSION_SHARE = 0.35
#: How many trigram hashes each article's sketch keeps (see :func:`story_groups`).
_SKETCH = 48
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




def _fold_sentences(text: str, sentences: Sequence[Span]) -> tuple[str, np.ndarray] | None:
    """What :meth:`_Folded.of` makes of ``sentences`` (each :func:`fold`-ed, joined by one
    space, with the offset of every folded character), from array operations over the
    whole text instead of a Python step per word. None when the text holds a combining mark
    or a letter whose case folding is longer than itself: then :func:`fold` is the way.

    The folded characters are the letters and digits inside sentences (at their offsets);
    a space stands between two runs of them in one sentence (at the offset where the first
    run ends) and between two sentences (at the offset where the second one's first begins).
    """
    import numpy as np  # with the index (tui.lexical): not at start-up

    if not sentences:
        return "", np.zeros(0, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    alnum = _ascii_alnum()[np.minimum(codes, 127)] & (codes < 128)
    # Letters and digits beyond ASCII, each with its case folding (one character, or the
    # text is not for this path).
    others: dict[int, int] = {}
    for code in np.unique(codes[codes >= 0x80]).tolist():
        ch = chr(code)
        if ch >= "\u0300" and _is_mark(ch):
            return None
        if ch.isalnum():
            folded = ch.casefold()
            if len(folded) != 1:
                return None
            others[code] = ord(folded)
    if others:
        alnum |= np.isin(codes, np.array(list(others), dtype=np.uint32))
    starts = np.array([s.start for s in sentences], dtype=np.int64)
    ends = np.array([s.end for s in sentences], dtype=np.int64)
    found = np.flatnonzero(alnum)
    owner = np.searchsorted(starts, found, side="right") - 1
    inside = (owner >= 0) & (found < ends[np.maximum(owner, 0)])
    kept, owner = found[inside], owner[inside]
    same = owner[1:] == owner[:-1]
    inner = kept[:-1][same & (np.diff(kept) > 1)] + 1
    joins = kept[1:][~same]
    # Sorted by offset, a joining space before the character at its offset: key 2·offset
    # for a space, 2·offset + 1 for a character.
    keys = np.sort(np.concatenate((kept * 2 + 1, inner * 2, joins * 2)))
    where = keys >> 1
    chars = codes[where]
    upper = (chars >= 65) & (chars <= 90)
    chars[upper] += 32
    for code, folded in others.items():
        if folded != code:
            chars[chars == code] = folded
    chars[(keys & 1) == 0] = 32
    return chars.tobytes().decode("utf-32-le", "surrogatepass"), where


@lru_cache(maxsize=1)
def _ascii_alnum() -> np.ndarray:
    import numpy as np

    return np.array([chr(code).isalnum() for code in range(128)], dtype=bool)


# --------------------------------------------------------------------------- matches


@dataclass(frozen=True)
class Match:
    """Where a passage appears in one article: its best candidate there.

    ``kind`` is ``"source"`` (the article the passage was tagged in), ``"verbatim"``,
    ``"reworded"`` or ``"absent"``. ``span`` is the best candidate (for ``absent`` too: the
    closest passage, for the analyst to judge; None only when the article has no sentence);
    ``score`` is 0–100 (100 for source and verbatim, else the calibrated score).
    """

    article_id: str
    kind: str
    score: int
    span: Span | None = None
    #: The evidence behind ``score``: the logistic model's ``w·f + b`` (see the module
    #: docstring); 0 for source and verbatim matches.
    evidence: float = field(default=0.0, compare=False)
    #: The best candidate's features, named by :data:`FEATURES` of the scorer (empty for
    #: source and verbatim matches).
    features: tuple[float, ...] = field(default=(), compare=False)

    @property
    def carried(self) -> bool:
        """True if the article carries the passage (source, verbatim or reworded)."""
        return self.kind != "absent"


@dataclass(frozen=True)
class Weights:
    """How the parts of a scorer combine, for the bench, which measures them apart (the
    defaults are the product's). ``lexical`` scales the lexical score (in the ranking too);
    ``fuzzy``, ``negation``, ``back``, ``semantic`` and ``back_semantic`` scale their
    feature's calibrated weight (0: left out); ``rank_semantic`` is the cosine's weight in the
    ranking; ``mute`` what attribution frames weigh; ``kinds`` the units a candidate may be;
    ``prefix`` adds stem prefixes of that many letters as terms (see
    :class:`tui.lexical.LexicalIndex`; off); ``pair_vectors`` embeds a pair of sentences as one
    text (on; off: the mean of its two sentences' vectors) and ``clause_vectors`` a clause as
    its own text (off: its sentence's vector)."""

    lexical: float = 1.0
    fuzzy: float = 1.0
    negation: float = 1.0
    back: float = 1.0
    semantic: float = 1.0
    back_semantic: float = 1.0
    rank_semantic: float = RANK_SEMANTIC
    mute: float = MUTE
    kinds: tuple[str, ...] = ("sentence", "pair", "clause")
    prefix: int = 0
    pair_vectors: bool = True
    clause_vectors: bool = False

    def scales(self, scorer: str) -> tuple[float, ...]:
        """The multiplier of each feature of :data:`FEATURES` ``[scorer]``."""
        by_name = {"lexical": 1.0, "fuzzy": self.fuzzy, "negation": self.negation,
                   "back": self.back, "cosine": self.semantic,
                   "back_cosine": self.back_semantic}
        return tuple(by_name[name] for name in FEATURES[scorer])


@dataclass
class _Folded:
    """An article's sentences, folded and joined by single spaces, with the way back."""

    article: Article
    text: str
    #: The article offset of each folded character (a NumPy array of int64: a list of
    #: Python numbers was a third of folding and 100 MB for 1 000 articles).
    where: np.ndarray
    #: The article's sentences it was folded from.
    sentences: Sequence[Span] = ()

    @classmethod
    def of(cls, article: Article, sentences: Sequence[Span] | None = None) -> _Folded:
        if sentences is None:
            sentences = sentence_spans(article.plain, article.boilerplate)
        fast = _fold_sentences(article.text, sentences)
        if fast is not None:
            return cls(article, *fast, sentences)
        import numpy as np

        parts: list[str] = []
        where: list[int] = []
        for sentence in sentences:
            folded, offsets = fold(article.text, sentence.start, sentence.end)
            if not folded:
                continue
            if parts:
                parts.append(" ")
                where.append(offsets[0])
            parts.append(folded)
            where.extend(offsets)
        return cls(article, "".join(parts), np.asarray(where, dtype=np.int64), sentences)

    def span_of(self, start: int, end: int) -> Span:
        """The article span of folded ``[start, end)``, widened to whole words."""
        first = int(self.where[start])
        last = int(self.where[end - 1]) + 1
        # Only the words at the two edges matter: those holding the first and the last
        # character (each found within its own run of non-space characters, as when the
        # whole span is split into words).
        text = self.article.text
        head = word_spans(text, Span(first, first + 1))
        tail = word_spans(text, Span(last - 1, last)) if last - 1 > first else head
        if head:
            first = min(first, head[0].start)
        if tail:
            last = max(last, tail[-1].end)
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


class ScorerError(UserFacingError, ValueError):
    """An unknown scorer name (from ``--scorer`` or ``NEWSMARK_SCORER``)."""


def resolve_scorer(scorer: str = "auto") -> str:
    """``lexical`` or ``semantic`` for ``scorer`` (``auto``, ``lexical`` or ``semantic``).

    ``auto`` is the ``NEWSMARK_SCORER`` environment variable when set, else ``semantic`` if the
    extra is installed, else ``lexical``. Raises :class:`ScorerError` for an unknown name and
    :class:`tui.semantic.SemanticUnavailable` for ``semantic`` without the extra.
    """
    if scorer == "auto":
        scorer = os.environ.get("NEWSMARK_SCORER", "").strip().lower() or "auto"
    if scorer == "auto":
        from .semantic import available

        return "semantic" if available() else "lexical"
    if scorer not in SCORERS:
        raise ScorerError(f"unknown scorer {scorer!r} (from --scorer or NEWSMARK_SCORER): use "
                          f"{', '.join(SCORERS)} or auto")
    if scorer == "semantic":
        from .semantic import SemanticUnavailable, available

        if not available():
            raise SemanticUnavailable(
                "the semantic scorer needs the extra: pip install 'newsmark[semantic]'")
    return scorer


def calibrated(evidence: float) -> int:
    """The 0–99 score of the logistic model's ``evidence`` (``w·f + b``)."""
    value = 100.0 / (1.0 + math.exp(-max(-50.0, min(50.0, evidence))))
    return max(0, min(99, int(value)))


def _read_article(article: Article, index: LexicalIndex, bounds: list[np.ndarray]) -> _Folded:
    """Split, fold and index one article (:meth:`Aligner.prepare`); the bounds of its units
    in the folded text go on ``bounds``."""
    import numpy as np

    sentences = sentence_spans(article.plain, article.boilerplate)
    # Folded from the article in hand (the corpus keeps only the last few read).
    folded = _Folded.of(article, sentences)
    first = len(index)
    index.add(article, sentences)
    # Where each unit's text starts and ends in the folded text (for the fuzzy score): the
    # first folded characters at or after the unit's edges.
    edges = np.fromiter((edge for unit in index.units[first:]
                         for edge in (unit.start, unit.end)),
                        dtype=np.int64, count=2 * (len(index) - first))
    bounds.append(np.searchsorted(folded.where, edges))
    return folded


class Aligner:
    """Finds where passages of one article appear in the others of a corpus.

    :meth:`prepare` reads every article once: folds it (for verbatim matches and versions),
    indexes its units (:class:`tui.lexical.LexicalIndex`) and, with the semantic scorer, embeds
    its sentences (cached, see :mod:`tui.semantic`). :meth:`align` and :meth:`match` prepare
    on first use. An aligner can be used from a worker thread (it only reads the corpus); an
    article whose text changed since is read again at the next :meth:`prepare`.

    ``scorer`` is ``auto``, ``lexical`` or ``semantic`` (see :func:`resolve_scorer`);
    ``cache_folder`` is where embeddings are cached (default: the user cache folder);
    ``weights`` are for the bench, which measures the parts apart.
    """

    def __init__(self, corpus: Corpus, *, scorer: str = "auto",
                 cache_folder: os.PathLike[str] | str | None = None,
                 weights: Weights | None = None) -> None:
        self.corpus = corpus
        self.scorer = resolve_scorer(scorer)
        self.weights = weights or Weights()
        self._cache_folder = cache_folder
        self._folded: dict[str, _Folded] = {}
        self._index: LexicalIndex | None = None
        self._indexed: tuple[tuple[object, ...], ...] = ()
        self._versions_of: tuple[Corpus, int, tuple[tuple[object, ...], ...]] | None = None
        self._vectors: np.ndarray | None = None
        # Per unit number, where its text starts and ends in its article's folded text.
        self._unit_bounds: list[tuple[int, int]] = []
        # The folded texts of the articles read at prepare, joined by line breaks: the text,
        # where each starts and ends in it, their ids (see _verbatim).
        self._joined: tuple[str, list[int], list[int], list[str]] = ("", [], [], [])
        self._joined_ids: frozenset[str] = frozenset()
        self._joined_numbers: dict[str, int] = {}
        self._passage_cache: EmbeddingCache | None = None
        self._lock = threading.RLock()

    def folded(self, article_id: str, sentences: Sequence[Span] | None = None) -> _Folded:
        """The folded form of an article (computed once; :meth:`prepare` folds it again when
        its file changed). ``sentences`` are its sentences, if the caller has them."""
        found = self._folded.get(article_id)
        if found is None:
            article = self.corpus.get(article_id)
            if article is None:
                raise KeyError(article_id)
            found = self._folded[article_id] = _Folded.of(article, sentences)
        return found

    def sentences_of(self, article: Article) -> Sequence[Span] | None:
        """The sentences of ``article`` as this aligner split them when it read the same
        text (so a caller that also reads every article need not split it again), or None."""
        found = self._folded.get(article.id)
        if found is None:
            return None
        known = found.article
        if known is article or (known.text == article.text and known.markup == article.markup
                                and known.boilerplate == article.boilerplate):
            return found.sentences
        return None

    def _versions(self) -> tuple[tuple[object, ...], ...]:
        # What says an article changed without reading it: its file's size and mtime (a
        # corpus of articles built in memory has none, and its articles never change). Worked
        # out again only when the corpus's listing changed (each align asks).
        corpus, generation = self.corpus, self.corpus.generation
        seen = self._versions_of
        if seen is None or seen[0] is not corpus or seen[1] != generation:
            infos = (corpus.info(i) for i in corpus.ids)
            seen = self._versions_of = (corpus, generation, tuple(
                (i.id, str(i.path), i.size, i.mtime_ns) for i in infos if i is not None))
        return seen[2]

    @property
    def index(self) -> LexicalIndex:
        """The lexical index of the corpus (built by :meth:`prepare`)."""
        self.prepare()
        assert self._index is not None
        return self._index

    def prepare(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        *,
        jobs: int = 1,
    ) -> bool:
        """Read, fold and index every article (and embed their sentences with the semantic
        scorer) unless done for these texts already. ``progress(done, total)`` counts the
        articles read, then the sentences embedded (``total`` grows by their number once they
        are known). False if ``cancelled()`` turned true first.

        ``jobs`` > 1 reads the articles in that many forked processes, a contiguous part
        each, and joins their indexes (:meth:`tui.lexical.LexicalIndex.absorb`) into the one
        a single process builds. Only for a caller that may fork: a command-line batch, not
        a threaded app."""
        import numpy as np

        from .lexical import LexicalIndex
        from .workers import ordered_map, parts

        with self._lock:
            versions = self._versions()
            if self._index is not None and versions == self._indexed:
                return True
            self._folded.clear()
            articles = [a for a in (self.corpus.get(i) for i in self.corpus.ids) if a is not None]
            prefix = self.weights.prefix
            index = LexicalIndex(prefix=prefix)
            bounds: list[np.ndarray] = []
            cut = parts(articles, jobs) if jobs > 1 else [articles]
            if len(cut) == 1:
                for done, article in enumerate(articles, 1):
                    if cancelled is not None and cancelled():
                        return False
                    self._folded[article.id] = _read_article(article, index, bounds)
                    if progress is not None:
                        progress(done, len(articles))
            else:
                def read(part: Sequence[Article]) -> tuple[
                        LexicalIndex, list[tuple[object, ...]], list[np.ndarray]]:
                    own = LexicalIndex(prefix=prefix)
                    edges: list[np.ndarray] = []
                    folded = [_read_article(article, own, edges) for article in part]
                    return own, [(f.text, f.where, f.sentences) for f in folded], edges

                done = 0
                for part, (own, folded, edges) in zip(cut, ordered_map(read, cut), strict=True):
                    if cancelled is not None and cancelled():
                        return False
                    if done:
                        index.absorb(own)
                    else:
                        index = own  # (the first part: read here)
                    bounds += edges
                    for article, (text, where, sentences) in zip(part, folded, strict=True):
                        self._folded[article.id] = _Folded(article, text, where, sentences)
                    done += len(part)
                    if progress is not None:
                        progress(done, len(articles))
            index.freeze()
            vectors = None
            if self.scorer == "semantic":
                def embedding(done: int, total: int) -> None:
                    if progress is not None:
                        progress(len(articles) + done, len(articles) + total)

                vectors = self._embed_units(index, articles, embedding, cancelled)
                if vectors is None:
                    return False
            self._index, self._vectors, self._indexed = index, vectors, versions
            flat = np.concatenate(bounds).tolist() if bounds else []
            self._unit_bounds = list(zip(flat[0::2], flat[1::2], strict=True))
            texts = [self._folded[a.id].text for a in articles]
            starts = []
            position = 0
            for text in texts:
                starts.append(position)
                position += len(text) + 1
            self._joined = ("\n".join(texts), starts,
                            [start + len(text) for start, text in zip(starts, texts, strict=True)],
                            [a.id for a in articles])
            self._joined_ids = frozenset(self._joined[3])
            self._joined_numbers = {article_id: n for n, article_id in enumerate(self._joined[3])}
            return True

    def _embedding_cache(self) -> EmbeddingCache:
        from .semantic import MODEL_ID, EmbeddingCache

        return EmbeddingCache(MODEL_ID, self._cache_folder)

    def _embed_units(
        self,
        index: LexicalIndex,
        articles: Sequence[Article],
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> np.ndarray | None:
        """One vector per unit: a sentence's own, a pair's own (the two sentences embedded as
        one text; :attr:`Weights.pair_vectors` off: the normalised mean of theirs), a clause its
        sentence's (:attr:`Weights.clause_vectors` on: its own). What each costs and brings is
        in ``bench/README.md``: pairs are a quarter more texts, clauses as many again as the
        sentences, and clauses embedded apart made the seeds worse."""
        import numpy as np

        from .semantic import LazyEmbedder, embed_cached

        texts = {a.id: a.text for a in articles}
        sentence_rows: dict[tuple[str, int], int] = {}
        asked: list[str] = []
        for unit in index.units:
            if unit.kind == "sentence":
                sentence_rows[(unit.article_id, unit.sentences[0])] = len(asked)
                asked.append(texts[unit.article_id][unit.start : unit.end])
        kinds = {kind for kind, on in (("pair", self.weights.pair_vectors),
                                       ("clause", self.weights.clause_vectors)) if on}
        own: dict[int, int] = {}
        for number, unit in enumerate(index.units):
            if unit.kind in kinds:
                own[number] = len(asked)
                asked.append(texts[unit.article_id][unit.start : unit.end])
        rows = embed_cached(LazyEmbedder(), asked, self._embedding_cache(),
                            progress=progress, cancelled=cancelled)
        if rows is None:
            return None
        # Each unit's first and last row (one and the same but for a pair of sentences made
        # from theirs), as array operations: a Python step per unit cost a tenth of a cached run.
        first = np.fromiter((sentence_rows[(u.article_id, u.sentences[0])] for u in index.units),
                            dtype=np.int64, count=len(index.units))
        last = np.fromiter((sentence_rows[(u.article_id, u.sentences[-1])] for u in index.units),
                           dtype=np.int64, count=len(index.units))
        if own:
            at = np.fromiter(own, dtype=np.int64, count=len(own))
            first[at] = last[at] = np.fromiter(own.values(), dtype=np.int64, count=len(own))
        vectors = (rows[first] + rows[last]) / 2
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def embed_passages(self, passages: Sequence[str]) -> None:
        """Embed these passages now, in batches, into the passage cache (the semantic scorer;
        nothing for the lexical one). A batch that forks does so first: its processes then
        only read the cache, and no two of them write the file."""
        if self.scorer == "semantic" and passages:
            self._embedded(list(dict.fromkeys(passages)))

    def _passage_vector(self, passage: str) -> np.ndarray:
        return self._embedded([passage])[0]

    def _embedded(self, passages: Sequence[str]) -> np.ndarray:
        from .semantic import LazyEmbedder, embed_cached

        # One cache for the passages of this aligner: reading the file again for each
        # passage cost more than the rest of its row (20 ms for a 1.4 MB file).
        if self._passage_cache is None:
            self._passage_cache = self._embedding_cache()
        rows = embed_cached(LazyEmbedder(), passages, self._passage_cache)
        assert rows is not None
        return rows

    def _verbatim(self, needle: str, article_ids: Sequence[str] = ()) -> dict[str, int]:
        """Where ``needle`` (folded) first occurs as whole words in each article folded at
        :meth:`prepare` that holds it (as :meth:`_Folded.find_words`), by article id: one
        search through all their folded texts, joined by line breaks (a folded text has none),
        instead of one per article. With ``article_ids``, only the stretch of the joined
        texts from the first of them to the last is searched (a process of a batch takes a
        contiguous part of the corpus)."""
        joined, starts, ends, ids = self._joined
        found: dict[str, int] = {}
        size = len(needle)
        low, high = 0, len(joined)
        numbers = [n for n in map(self._joined_numbers.get, article_ids) if n is not None]
        if numbers and len(numbers) == len(article_ids):
            low, high = starts[min(numbers)], ends[max(numbers)]
        position = joined.find(needle, low, high)
        while position >= 0:
            number = bisect_right(starts, position) - 1
            start, end = starts[number], ends[number]
            after = position + size
            if ((position == start or joined[position - 1] == " ")
                    and (after == end or joined[after] == " ")):
                found[ids[number]] = position - start
                # The first occurrence is the one: on to the next article.
                if number + 1 == len(starts):
                    break
                position = joined.find(needle, starts[number + 1], high)
            else:
                position = joined.find(needle, position + 1, high)
        return found

    def _unit_text(self, number: int) -> str:
        """The folded text of a unit (for the fuzzy score), cut from its article's."""
        assert self._index is not None
        low, high = self._unit_bounds[number]
        return self.folded(self._index.units[number].article_id).text[low:high].strip(" ")

    def match(self, passage: str, article_id: str, *, folded: str | None = None,
              source: tuple[str, Span] | None = None) -> Match:
        """The best match of ``passage`` (raw text) in the article ``article_id``.

        ``folded`` is ``fold(passage)[0]`` if the caller has it already; ``source`` is the
        article and span the passage was taken from, when known (for the way back).
        """
        return self._matches(passage, [article_id], folded=folded, source=source)[article_id]

    def align(self, annotation: Annotation,
              within: Collection[str] | None = None) -> dict[str, Match]:
        """The match of an annotated passage in every article of the corpus (or those
        ``within``, with its own), by article id.

        Its own article gets a ``source`` match on the annotation's span.
        """
        others = [i for i in self.corpus.ids if i != annotation.article_id
                  and (within is None or i in within)]
        matches = self._matches(annotation.text, others,
                                source=(annotation.article_id, annotation.span))
        matches[annotation.article_id] = Match(annotation.article_id, "source", 100,
                                               annotation.span)
        return {i: matches[i] for i in self.corpus.ids if i in matches}

    def _matches(self, passage: str, article_ids: Sequence[str], *,
                 folded: str | None = None,
                 source: tuple[str, Span] | None = None) -> dict[str, Match]:
        import numpy as np
        from rapidfuzz import process

        from .attribution import frames
        from .lexical import negated

        self.prepare()
        index = self._index
        assert index is not None
        needle = fold(passage)[0] if folded is None else folded
        weights = self.weights
        muted = [passage[a:b] for a, b in frames(passage)]
        lexical = index.scores(passage, muted=muted, mute=weights.mute)
        if weights.lexical != 1.0:
            lexical = weights.lexical * lexical
        rank = lexical
        cosine = None
        if self._vectors is not None:
            # einsum, not BLAS: OpenBLAS wakes its threads for a product this size, and on two
            # busy cores each wake-up waits for the scheduler (6 ms a passage at load 2, most
            # of a cached run); einsum's own loop is 0.3 ms on one core.
            cosine = np.einsum("ij,j->i", self._vectors, self._passage_vector(passage))
            rank = lexical + weights.rank_semantic * cosine
        if set(weights.kinds) != {"sentence", "pair", "clause"}:
            rank = index.only(rank, weights.kinds)
        best = index.best_per_article(rank, article_ids)
        passage_negated = negated(passage)
        # The way back: the units of the passage's own article, and which of them are on it.
        home: tuple[int, int] | None = None
        inside = np.zeros(0, dtype=bool)
        if source is not None and source[0] in index.ranges:
            home = index.ranges[source[0]]
            span = source[1]
            inside = np.fromiter(
                (_overlap_enough(Span(u.start, u.end), span)
                 for u in index.units[home[0] : home[1]]),
                dtype=bool, count=home[1] - home[0])
        coefficients = CALIBRATION[self.scorer]
        scales = weights.scales(self.scorer)
        # The way back of every best candidate at once: one matrix product per passage.
        backs: dict[int, float] = {}
        back_cosines: dict[int, float] = {}
        if home is not None and inside.any() and not inside.all():
            candidates = sorted({n for n in best if n >= 0})
            if candidates and weights.back:
                within = index.scores_within(candidates, *home)
                margins = within[:, inside].max(axis=1) - within[:, ~inside].max(axis=1)
                backs = dict(zip(candidates, margins.tolist(), strict=True))
            if candidates and self._vectors is not None and weights.back_semantic:
                within = np.einsum("ik,jk->ij", self._vectors[candidates],
                                   self._vectors[home[0] : home[1]])
                margins = within[:, inside].max(axis=1) - within[:, ~inside].max(axis=1)
                back_cosines = dict(zip(candidates, margins.tolist(), strict=True))
        matches: dict[str, Match] = {}
        # The cells with a candidate and no verbatim match: their features and evidence are
        # worked out together below (per cell, Python's overhead was most of a row's time).
        scored: list[tuple[str, int]] = []
        verbatim = self._verbatim(needle, article_ids) if needle else {}
        for article_id, number in zip(article_ids, best, strict=True):
            try:
                target = self.folded(article_id)
            except KeyError:  # unreadable now (see Corpus.problem): nothing to match
                matches[article_id] = Match(article_id, "absent", 0)
                continue
            if not needle or not target.text:
                matches[article_id] = Match(article_id, "absent", 0)
                continue
            position = verbatim.get(article_id, -1)
            if position < 0 and article_id not in self._joined_ids:
                position = target.find_words(needle)  # folded after prepare
            if position >= 0:
                span = target.span_of(position, position + len(needle))
                text = target.article.text
                # The folded text joins paragraphs: words found across a line break (perhaps
                # over a boilerplate line between them) are not the passage unless it has one.
                if "\n" not in text[span.start : span.end] or "\n" in passage:
                    matches[article_id] = Match(article_id, "verbatim", 100,
                                                _like(passage, text, span))
                    continue
            if number < 0:
                matches[article_id] = Match(article_id, "absent", 0)
                continue
            scored.append((article_id, number))
        if scored:
            numbers = [number for _, number in scored]
            columns = [lexical[numbers].tolist()]
            if weights.fuzzy:
                columns.append((process.cdist(
                    [needle], [self._unit_text(n) for n in numbers], scorer=fuzz.token_set_ratio,
                    dtype=np.float64, workers=1)[0] / 100).tolist())
            else:
                columns.append([0.0] * len(numbers))
            columns.append((index.negated_array[numbers] != passage_negated)
                           .astype(np.float64).tolist())
            columns.append([backs.get(n, 0.0) for n in numbers])
            if cosine is not None:
                columns.append(cosine[numbers].astype(np.float64).tolist())
                columns.append([back_cosines.get(n, 0.0) for n in numbers])
            # w·f + b, added up in the order a per-cell sum() adds them (the same floats).
            evidences = np.zeros(len(numbers))
            for w, k, column in zip(coefficients, scales, columns, strict=False):
                evidences = evidences + (w * k) * np.asarray(column)
            evidences = coefficients[-1] + evidences
            units = index.units
            for (article_id, number), evidence, features in zip(
                    scored, evidences.tolist(), zip(*columns, strict=True), strict=True):
                unit = units[number]
                score = calibrated(evidence)
                kind = "reworded" if score >= REWORDED else "absent"
                matches[article_id] = Match(article_id, kind, score, Span(unit.start, unit.end),
                                            evidence, features)
            matches = {article_id: matches[article_id] for article_id in article_ids}
        return matches


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
    ids = list(aligner.corpus.ids)
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
        name = self.group_label if self.group else (self.outlet or shorten(self.article_id, 10))
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
    """One article's side of one row: the match, the tags on the matched passage there, and
    the analyst's verdict on it (a :class:`tui.links.Link`, None while there is none)."""

    match: Match
    tags: tuple[str, ...] = ()
    annotation_ids: tuple[str, ...] = ()
    link: Link | None = None


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
    #: The scorer that matched the passages (``lexical`` or ``semantic``).
    scorer: str = "lexical"

    def column(self, article_id: str) -> Column | None:
        """The column of an article."""
        return next((c for c in self.columns if c.article_id == article_id), None)


def _overlap_enough(a: Span, b: Span) -> bool:
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared > 0 and shared >= _OVERLAP_SHARE * min(len(a), len(b))


def cell_for(match: Match, annotations: Iterable[Annotation], link: Link | None = None) -> Cell:
    """The cell for ``match`` given the article's annotations: the tags on the matched span
    (on the confirmed span, when a link confirms one)."""
    span = link.span if link is not None and link.confirmed else match.span
    on = []
    if (match.carried or (link is not None and link.confirmed)) and span is not None:
        if link is None or link.confirmed:
            on = [a for a in annotations if _overlap_enough(a.span, span)]
    tags = tuple(dict.fromkeys(a.tag for a in sorted(on, key=lambda a: (a.start, a.tag))))
    return Cell(match, tags, tuple(a.id for a in on), link)


def columns_of(corpus: Corpus, groups: Sequence[tuple[str, ...]]) -> tuple[Column, ...]:
    """The columns: articles in corpus order, the versions of a story next to each other.

    Only the articles' metadata is read (:meth:`tui.corpus.Corpus.info`), not their texts.
    """
    group_of = {article_id: (n, v) for n, group in enumerate(groups, 1)
                for v, article_id in enumerate(group, 1)}
    columns: list[Column] = []
    placed: set[str] = set()
    for article_id in corpus.ids:
        if article_id in placed:
            continue
        members = groups[group_of[article_id][0] - 1] if article_id in group_of else (article_id,)
        infos = [corpus.info(m) for m in members]
        outlets = [info.outlet for info in infos if info is not None and info.outlet]
        label = outlets[0] if outlets else shorten(members[0], 10)
        for member, item in zip(members, infos, strict=True):
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
    links: Iterable[Link] = (),
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Matrix:
    """The passages × articles matrix of ``annotations`` over ``corpus``.

    ``links`` are the analysts' verdicts (:mod:`tui.links`): each cell carries the latest one
    from any annotation of its row to its article, beside the machine's match.

    Rows come in corpus order, then text order; an annotation whose passage is already a row
    (the same span in its article, or the match of a row's passage in another article) joins
    that row instead of making one. ``progress(done, total)`` is called after each article is
    read (folded and indexed, see :meth:`Aligner.prepare`), after each batch of sentences
    embedded (semantic scorer, when not cached: ``total`` then grows by their number) and after
    each annotation; if ``cancelled()`` turns true the work stops and the rows so far are
    returned. Annotations of articles not in the corpus, and orphans, are left out.
    """
    from .links import link_for

    aligner = aligner or Aligner(corpus)
    links = tuple(links)
    order = {article_id: n for n, article_id in enumerate(corpus.ids)}
    usable = sorted(
        (a for a in annotations if a.article_id in order and a.anchor != "orphan"),
        key=lambda a: (order[a.article_id], a.start, -a.end, a.tag, a.id),
    )
    by_article: dict[str, list[Annotation]] = {article_id: [] for article_id in corpus.ids}
    for annotation in usable:
        by_article[annotation.article_id].append(annotation)
    prepared = {"total": len(corpus)}

    def preparing(done: int, total: int) -> None:
        prepared["total"] = total
        if progress is not None:
            progress(done, total + len(usable))

    if not aligner.prepare(preparing, cancelled):
        return Matrix(columns_of(corpus, ()), (), scorer=aligner.scorer)
    count = prepared["total"]
    total = count + len(usable)
    groups = tuple(story_groups(aligner, cancelled=cancelled))
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
            ids = [member.id for member in members]
            cells = {column.article_id: cell_for(
                         matches[column.article_id], by_article[column.article_id],
                         link_for(links, ids, column.article_id) if links else None)
                     for column in columns}
            rows.append(Row(annotation, tuple(members), cells))
        if progress is not None:
            progress(done, total)
    return Matrix(columns, tuple(rows), groups, aligner.scorer)


@dataclass(frozen=True)
class OutletCounts:
    """How many of the matrix's passages one article carries word for word, rewords or drops
    (an analyst's verdict overrides the machine's: a confirmed cell the machine called absent
    counts as reworded, a rejected one as dropped), and how many verdicts it has."""

    article_id: str
    label: str
    verbatim: int = 0
    reworded: int = 0
    dropped: int = 0
    confirmed: int = 0
    rejected: int = 0

    @property
    def total(self) -> int:
        """The passages tagged elsewhere that this article was matched against."""
        return self.verbatim + self.reworded + self.dropped


def outlet_counts(matrix: Matrix) -> list[OutletCounts]:
    """Per column, in column order: what it did with the passages tagged in other articles."""
    counts = []
    for column in matrix.columns:
        tally = {"verbatim": 0, "reworded": 0, "dropped": 0, "confirmed": 0, "rejected": 0}
        for row in matrix.rows:
            cell = row.cells[column.article_id]
            kind = cell.match.kind
            if kind == "source":
                continue
            if cell.link is not None:
                tally["confirmed" if cell.link.confirmed else "rejected"] += 1
                if not cell.link.confirmed:
                    kind = "absent"
                elif kind == "absent":
                    kind = "reworded"
            tally["dropped" if kind == "absent" else kind] += 1
        counts.append(OutletCounts(column.article_id, column.label, **tally))
    return counts


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
    """A cell in a few characters: ``src`` / ``=`` / ``~87`` / ``-``, after ``✓`` or ``✗`` when
    an analyst confirmed or rejected it, then the markers of the tags on the passage there
    (``= T``, ``✓~66 T``)."""
    match = cell.match
    kind = {"source": "src", "verbatim": "=", "reworded": f"~{match.score}",
            "absent": "-"}[match.kind]
    if cell.link is not None:
        kind = ("✓" if cell.link.confirmed else "✗") + kind
    letters = "".join(markers.get(tag, tag[:1].upper()) for tag in cell.tags)
    return f"{kind} {letters}" if letters else kind


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
        quote = display_text(shorten(row.source.text, quote_width)).ljust(quote_width)
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
    lines.append(f"✓ confirmed · ✗ rejected by an analyst; scores by the {matrix.scorer} scorer")
    return "\n".join(lines) + "\n"


def matrix_json(matrix: Matrix, corpus: Corpus) -> str:
    """The matrix as JSON: columns, version groups, and rows with one cell per article.

    Every cell has its best candidate's ``start``, ``end`` (offsets into that article's
    normalised text), ``text`` and ``score``, whatever its ``kind`` (``source``, ``verbatim``,
    ``reworded`` or ``absent``); they are null only where the article has no sentence at all.
    """
    def cell_json(cell: Cell) -> dict[str, object]:
        match = cell.match
        span = match.span
        article = corpus.get(match.article_id) if span is not None else None
        return {
            "kind": match.kind,
            "score": match.score,
            "start": span.start if span is not None else None,
            "end": span.end if span is not None else None,
            "text": article.text[span.start : span.end]
            if span is not None and article is not None else None,
            "tags": list(cell.tags),
            "annotations": list(cell.annotation_ids),
            "link": None if cell.link is None else link_json(cell.link),
        }

    def link_json(link: Link) -> dict[str, object]:
        return {"verdict": link.verdict, "start": link.start, "end": link.end,
                "text": link.text if link.span is not None else None,
                "annotator": link.annotator, "modified": link.modified, "anchor": link.anchor,
                "annotation": link.annotation_id}

    data = {
        "scorer": matrix.scorer,
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
