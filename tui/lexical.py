"""A lexical index of a corpus: content words, stemmed and weighted by rarity (no UI).

This is the default scorer behind the compare matrix (:mod:`tui.compare`). It needs no model:
two passages that report one fact in other words still share their rare content words
("Kremlin", "sanctions", "Geneva"), once endings are stemmed away ("invades" and "invaded"
are one term) and the words every sentence has ("the", "said") weigh nothing.

**Units.** Every article is cut into the passages a match may be: its sentences
(:func:`tui.sentences.sentence_spans`, so boilerplate never counts), each pair of adjacent
sentences of one paragraph (a tagged passage may span two sentences, or an outlet may split
one), and the clauses of a sentence (pieces between commas, semicolons, colons, dashes and
quotation marks of at least :data:`CLAUSE_WORDS` words: a tagged clause may be a sentence
elsewhere).

**Terms.** Words are case-folded; numbers are kept whole (``60,000`` → ``60000``, ``9.6bn`` →
``9.6`` and ``bn``); words of :data:`STOPWORDS` and one-letter words are dropped; the rest are
stemmed with the Snowball English stemmer (PyStemmer). A term's weight is its BM25 inverse
document frequency over the corpus's *sentences*, ``ln(1 + (N - df + 0.5) / (df + 0.5))``:
pairs and clauses repeat the words of their sentences and would skew it.

**Score.** With ``I`` the summed weight of the distinct terms a passage ``P`` and a unit ``U``
share, and ``|P|``, ``|U|`` the summed weights of each one's distinct terms:
``cover = I / |P|`` (how much of the passage the unit carries), ``dice = 2I / (|P| + |U|)``
(the same, penalised for what the unit adds), and the lexical score is their mean. This is
BM25 with binary term frequency (``k1 → 0``), made symmetric and normalised to 0–1 so that
scores of different passages compare (``bench/alignment.py`` measures it against raw BM25 from
``bm25s`` and other variants).

The index is an inverted index in NumPy: the overlap of one passage with every unit of a
100-article corpus is one ``bincount`` over the postings of its terms.

:func:`negated` and :func:`names_and_numbers` give the cue classes the scorer checks for
agreement ("no plans" is not "plans"); see :mod:`tui.compare` for which of them it uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from .model import Article, Span
from .sentences import sentence_spans

__all__ = [
    "CLAUSE_WORDS",
    "STOPWORDS",
    "LexicalIndex",
    "Unit",
    "content_terms",
    "names_and_numbers",
    "negated",
    "units_of",
]

#: A clause is a unit when it has at least this many words (shorter pieces are not a claim).
CLAUSE_WORDS = 4

#: Function words, dropped from the terms: they say nothing of what a passage reports.
#: Negations are not here either (they are a cue of their own, see :func:`negated`).
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself of off on once only or other ought our ours ourselves out
    over own same shall she should so some such than that the their theirs them themselves then
    there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves also may might
    must us upon via per whether though although s t ll ve re d m
    """.split()
)

# Negation and denial, as a cue class: a particle (no, not, never...), or a verb that denies
# what follows (deny, reject, rule out...). Matched on case-folded text.
_NEGATION_RE = re.compile(
    r"\b(?:no|not|never|neither|nor|none|nobody|nothing|nowhere|without|cannot|"
    r"den(?:y|ies|ied|ying|ial)|reject(?:s|ed|ing)?|refut(?:e|es|ed|ing)|"
    r"dismiss(?:es|ed|ing)?|ruled? out|rules out|unfounded|groundless)\b|n['’]t\b"
)
_TERM_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_WORD_RE = re.compile(r"[^\W_]+(?:[.,'’-][^\W_]+)*")
# Where a sentence divides into clauses: , ; : and dashes followed by a space, a spaced hyphen,
# and quotation marks that open or close a quote inside the sentence.
_CLAUSE_BREAK_RE = re.compile(r"[,;:—–]\s+|\s+[-–—]\s+|(?<=[”\"»])\s+|\s+(?=[“\"«])")


@lru_cache(maxsize=1)
def _stemmer():  # noqa: ANN202 - PyStemmer has no type hints
    import Stemmer

    return Stemmer.Stemmer("english")


#: Stems already computed (the stemmer is deterministic; a dictionary lookup costs a third
#: of a call into it). Cleared when it grows past :data:`_STEM_MEMO_SIZE` words.
_STEMS: dict[str, str] = {}
_STEM_MEMO_SIZE = 200_000


def _stem(word: str) -> str:
    found = _STEMS.get(word)
    if found is None:
        if len(_STEMS) >= _STEM_MEMO_SIZE:
            _STEMS.clear()
        found = _STEMS[word] = _stemmer().stemWord(word)
    return found


def content_terms(text: str) -> list[str]:
    """The stemmed content words of ``text``, in order (repeats kept)."""
    stems = _STEMS
    terms: list[str] = []
    for word in _TERM_RE.findall(text.casefold()):
        if word[0].isdigit():
            # A separator between digits is a thousands or decimal mark: 60,000 is 60000,
            # 9.6 stays 9.6 (outlets write both 9.6bn and 9.6 billion).
            terms.append(word.replace(",", "") if "," in word else word)
        elif len(word) > 1 and word not in STOPWORDS:
            terms.append(stems.get(word) or _stem(word))
    return terms


def negated(text: str) -> bool:
    """True if ``text`` has a negation or denial cue (no, not, n't, never, denies, rejects...)."""
    return _NEGATION_RE.search(text.casefold()) is not None


def names_and_numbers(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The names (capitalised words not opening the text, case-folded and stemmed) and the
    numbers (digits, separators dropped) of ``text``."""
    stem = _stemmer().stemWord
    names: set[str] = set()
    numbers: set[str] = set()
    for position, found in enumerate(_WORD_RE.finditer(text)):
        word = found.group()
        if any(ch.isdigit() for ch in word):
            numbers.update(n.replace(",", "") for n in _NUMBER_RE.findall(word))
        elif position and word[0].isupper() and word.casefold() not in STOPWORDS:
            names.add(stem(word.casefold()))
    return frozenset(names), frozenset(numbers)


# --------------------------------------------------------------------------- units


class Unit(NamedTuple):
    """A passage a match may be: a sentence, two adjacent sentences, or a clause.

    ``start``/``end`` are offsets into the article's text; ``kind`` is ``"sentence"``,
    ``"pair"`` or ``"clause"``; ``sentences`` are the indices (in the article's sentence list)
    of the sentences it lies in.

    A named tuple, not a dataclass: a corpus of 1 000 articles has 130 000 units, and tuples
    of strings and numbers drop out of the garbage collector's view after its first pass (a
    dataclass instance is scanned by every full collection: 2 s of a ``newsmark suggest``).
    """

    article_id: str
    start: int
    end: int
    kind: str
    sentences: tuple[int, ...]


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence ``text[start:end]`` cut at its clause breaks (every piece, however short).

    The breaks are punctuation, dashes and quote marks with the spaces at them: no word and
    no cue of :func:`negated` crosses one, so the pieces' terms, in order, are the sentence's.
    """
    pieces: list[tuple[int, int]] = []
    position = start
    for found in _CLAUSE_BREAK_RE.finditer(text, start, end):
        pieces.append((position, found.start()))
        position = found.end()
    pieces.append((position, end))
    return pieces


def _kept_clauses(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept = [(a, b) for a, b in pieces if len(_WORD_RE.findall(text, a, b)) >= CLAUSE_WORDS]
    return kept if len(kept) > 1 else []


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return _kept_clauses(text, _pieces(text, start, end))


def units_of(article: Article, sentences: Sequence[Span] | None = None) -> list[Unit]:
    """The units of an article: sentences first, then adjacent pairs, then clauses.

    ``sentences`` are the article's sentences, if the caller has them already.
    """
    text = article.text
    if sentences is None:
        sentences = sentence_spans(article.plain, article.boilerplate)
    units = [Unit(article.id, s.start, s.end, "sentence", (n,)) for n, s in enumerate(sentences)]
    for n, (first, second) in enumerate(zip(sentences, sentences[1:], strict=False)):
        if "\n" not in text[first.end : second.start]:
            units.append(Unit(article.id, first.start, second.end, "pair", (n, n + 1)))
    for n, sentence in enumerate(sentences):
        units.extend(Unit(article.id, a, b, "clause", (n,))
                     for a, b in _clauses(text, sentence.start, sentence.end))
    return units


def _pair_negated(text: str, first: Unit, second: Unit, negated_sentences: Sequence[bool]
                  ) -> bool:
    """:func:`negated` of the pair of sentences ``first`` and ``second``, from theirs.

    Every cue is made of word characters, apostrophes and single spaces. When only
    whitespace lies between the two and the first ends on none of those (its full stop or
    closing quote), no cue can cross from one into the other, and the words at their edges
    have the same boundaries as in each alone.
    """
    either = negated_sentences[first.sentences[0]] or negated_sentences[second.sentences[0]]
    last = text[first.end - 1]
    gap = text[first.end : second.start]
    if (not gap or gap.isspace()) and not (last.isalnum() or last in "_'’"):
        return either
    return negated(text[first.start : second.end])


# --------------------------------------------------------------------------- the index


def _term_of(word: str) -> str | None:
    """The term of one word of :data:`_TERM_RE` (case-folded), as :func:`content_terms`
    makes it: a number without its commas, a stem; None for a stopword or a letter."""
    if word[0].isdigit():
        return word.replace(",", "") if "," in word else word
    if len(word) > 1 and word not in STOPWORDS:
        return _stem(word)
    return None


class LexicalIndex:
    """Every unit of a set of articles, indexed by its distinct stemmed content words.

    Build it with :meth:`add` (one article at a time, so a caller can show progress), then
    :meth:`freeze`; :meth:`scores` then gives the lexical score of a passage against every unit.
    Units are numbered in the order they were added; :attr:`ranges` gives each article's.
    """

    def __init__(self, *, prefix: int = 0) -> None:
        #: When > 0, each stem longer than this also gives the term of its first ``prefix``
        #: letters (a second, softer channel where derived forms such as invade / invasion
        #: meet). Off in the product; ``bench/alignment.py`` measures it (bench/README.md).
        self.prefix = prefix
        self.units: list[Unit] = []
        self.ranges: dict[str, tuple[int, int]] = {}
        self.negated: list[bool] = []
        self._vocabulary: dict[str, int] = {}
        self._word_ids: dict[str, int] = {}  # see _piece_ids
        self._prefix_ids: dict[str, int] = {}  # (the same for the prefix terms)
        # Each unit's distinct term ids, sorted, one unit after another (flat: a NumPy array
        # per unit cost more to make than the rest of its indexing); :meth:`freeze` makes
        # them an array with each unit's offset into it.
        self._flat_terms: list[int] = []
        self._term_counts: list[int] = []
        self._sentence_units: list[int] = []  # the numbers of the sentence units
        self._frozen = False
        self._segments: tuple[np.ndarray, np.ndarray, dict[tuple[int, int], int]] | None = None

    def __len__(self) -> int:
        return len(self.units)

    def _terms(self, text: str) -> list[str]:
        return self._with_prefixes(content_terms(text))

    def _with_prefixes(self, terms: list[str]) -> list[str]:
        if self.prefix:
            size = self.prefix
            terms = terms + ["^" + t[:size] for t in terms if len(t) > size and not t[0].isdigit()]
        return terms

    def _term_ids(self, terms: Iterable[str]) -> np.ndarray:
        """The ids of the known ones of ``terms``, sorted (a term the index lacks is left
        out: it matches no unit)."""
        vocabulary = self._vocabulary
        ids = {found for term in terms if (found := vocabulary.get(term)) is not None}
        return np.fromiter(sorted(ids), dtype=np.int64, count=len(ids))

    def _piece_ids(self, piece: str) -> set[int]:
        """The ids of the terms of ``piece`` (new terms numbered in their order): the ids of
        :func:`content_terms`, read through a memo of each word's id (a word seen before
        costs one lookup, not a stopword test, a stem lookup and an id lookup)."""
        memo = self._word_ids
        ids: set[int] = set()
        prefix, prefix_memo = self.prefix, self._prefix_ids
        for word in _TERM_RE.findall(piece.casefold()):
            found = memo.get(word)
            if found is None:
                term = _term_of(word)
                found = memo[word] = self._new_id(term)
                if prefix:  # its prefix term too (see __init__)
                    prefix_memo[word] = self._new_id(
                        "^" + term[:prefix] if term is not None and len(term) > prefix
                        and not term[0].isdigit() else None)
            ids.add(found)
            if prefix:
                ids.add(prefix_memo[word])
        ids.discard(-1)
        return ids

    def _new_id(self, term: str | None) -> int:
        """The id of ``term`` (a new term gets the next id); -1 for None."""
        if term is None:
            return -1
        vocabulary = self._vocabulary
        found = vocabulary.get(term)
        if found is None:
            found = vocabulary[term] = len(vocabulary)
        return found

    def add(self, article: Article, sentences: Sequence[Span] | None = None) -> None:
        """Index the units of one article (before :meth:`freeze`). ``sentences`` are its
        sentences (:func:`tui.sentences.sentence_spans` of its plain text), if at hand."""
        if self._frozen:
            raise RuntimeError("the index is frozen")
        text = article.text
        first = len(self.units)
        if sentences is None:
            sentences = sentence_spans(article.plain, article.boilerplate)
        article_id = article.id
        # The units as units_of makes them. A sentence's terms are those of its pieces (see
        # _pieces), in order: a sentence with clauses is read piece by piece (its clauses'
        # terms are those pieces'), one without in one go.
        units = [Unit(article_id, s.start, s.end, "sentence", (n,))
                 for n, s in enumerate(sentences)]
        for n, (one, two) in enumerate(zip(sentences, sentences[1:], strict=False)):
            if "\n" not in text[one.end : two.start]:
                units.append(Unit(article_id, one.start, two.end, "pair", (n, n + 1)))
        sentence_ids: list[set[int]] = []
        clause_ids: list[set[int]] = []
        ids_of = self._piece_ids
        for n, sentence in enumerate(sentences):
            cut = _pieces(text, sentence.start, sentence.end)
            kept = _kept_clauses(text, cut) if len(cut) > 1 else []
            # Word by word, each distinct word's id looked up once for the whole index.
            if kept:
                by_piece = {(a, b): ids_of(text[a:b]) for a, b in cut}
                sentence_ids.append(set().union(*by_piece.values()))
                for a, b in kept:
                    units.append(Unit(article_id, a, b, "clause", (n,)))
                    clause_ids.append(by_piece[(a, b)])
            else:
                sentence_ids.append(ids_of(text[sentence.start : sentence.end]))
        sentence_negated: list[bool] = []
        clauses = iter(clause_ids)
        flat_terms, term_counts = self._flat_terms, self._term_counts
        for unit in units:
            number = unit.sentences[0]
            if unit.kind == "sentence":
                ids = sentence_ids[number]
                is_negated = negated(text[unit.start : unit.end])
                sentence_negated.append(is_negated)
            elif unit.kind == "pair":
                ids = sentence_ids[number] | sentence_ids[unit.sentences[1]]
                is_negated = _pair_negated(text, units[number], units[unit.sentences[1]],
                                           sentence_negated)
            else:
                ids = next(clauses)
                # A cue in a clause is one in its sentence (no cue crosses a break).
                is_negated = sentence_negated[number] and negated(text[unit.start : unit.end])
            flat_terms.extend(sorted(ids))
            term_counts.append(len(ids))
            self.negated.append(is_negated)
        self._sentence_units.extend(range(len(self.units), len(self.units) + len(sentences)))
        self.units.extend(units)
        self.ranges[article.id] = (first, len(self.units))

    def __getstate__(self) -> dict[str, Any]:
        # Sent to another process quickly (see absorb): the term ids as one array, not a
        # list of Python numbers, and without the memo of words (a cache for adding).
        state = self.__dict__.copy()
        state["_flat_terms"] = np.asarray(self._flat_terms, dtype=np.int64)
        state["_word_ids"] = {}
        state["_prefix_ids"] = {}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state["_flat_terms"] = state["_flat_terms"].tolist()
        self.__dict__.update(state)

    def absorb(self, other: LexicalIndex) -> None:
        """Add every unit of ``other`` (an index of later articles, built apart: in another
        process, see :meth:`tui.compare.Aligner.prepare`) after those of this one, before
        :meth:`freeze`. The result is the index :meth:`add` would have built article by
        article: ``other``'s new terms take the next ids in the order it met them, which is
        the order one index would have met them in."""
        if self._frozen or other._frozen:
            raise RuntimeError("the index is frozen")
        if other.prefix != self.prefix:
            raise ValueError("the indexes differ in their prefix terms")
        vocabulary = self._vocabulary
        # other's term ids (in the order it numbered them) -> this index's
        mapping = np.fromiter((vocabulary.setdefault(term, len(vocabulary))
                               for term in other._vocabulary), dtype=np.int64,
                              count=len(other._vocabulary))
        counts = np.asarray(other._term_counts, dtype=np.int64)
        mapped = mapping[np.asarray(other._flat_terms, dtype=np.int64)]
        # Each unit's ids sorted again (the new numbers may order them otherwise).
        owners = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
        mapped = mapped[np.lexsort((mapped, owners))]
        offset = len(self.units)
        self._flat_terms.extend(mapped.tolist())
        self._term_counts.extend(other._term_counts)
        self._sentence_units.extend(offset + n for n in other._sentence_units)
        self.negated.extend(other.negated)
        self.units.extend(other.units)
        for article_id, (first, last) in other.ranges.items():
            self.ranges[article_id] = (offset + first, offset + last)

    def freeze(self) -> None:
        """Compute the weights and postings; no article can be added after."""
        count = max(len(self._sentence_units), 1)
        flat = np.asarray(self._flat_terms, dtype=np.int64)
        lengths = np.asarray(self._term_counts, dtype=np.int64)
        #: Where each unit's term ids start in :attr:`_terms_flat` (and the last one's end).
        self._term_offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        self._terms_flat = flat
        self._flat_terms, self._term_counts = [], []
        owners = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        # How many sentences hold each term.
        sentence_units = np.asarray(self._sentence_units, dtype=np.int64)
        is_sentence = np.zeros(len(lengths), dtype=bool)
        is_sentence[sentence_units] = True
        df = np.bincount(flat[is_sentence[owners]],
                         minlength=len(self._vocabulary)).astype(np.float64)
        self.idf = np.log1p((count - df + 0.5) / (df + 0.5))
        #: The weight a term unknown to the corpus gets (df = 0).
        self.unknown_idf = float(np.log1p((count + 0.5) / 0.5))
        kinds = {"sentence": 0, "pair": 1, "clause": 2}
        #: :attr:`negated` as an array (gathered by unit number).
        self.negated_array = np.asarray(self.negated, dtype=bool)
        self.kind_codes = np.fromiter((kinds[u.kind] for u in self.units), dtype=np.int8,
                                      count=len(self.units))
        self.unit_weight = np.bincount(owners, weights=self.idf[flat] if len(flat) else None,
                                       minlength=len(lengths)).astype(np.float64)
        # Postings: for each term, the units holding it (CSR by term).
        order = np.argsort(flat, kind="stable")
        self._posting_units = owners[order]
        self._posting_starts = np.searchsorted(flat[order], np.arange(len(self.idf) + 1))
        self._frozen = True

    def unit_terms(self, number: int) -> np.ndarray:
        """The sorted ids of the distinct terms of unit ``number`` (after :meth:`freeze`)."""
        offsets = self._term_offsets
        return self._terms_flat[offsets[number] : offsets[number + 1]]

    def passage_terms(self, text: str) -> tuple[np.ndarray, float]:
        """The ids of a passage's known distinct terms and the summed weight of all of them
        (terms the corpus has never seen count with the highest weight)."""
        terms = set(self._terms(text))
        ids = self._term_ids(terms)
        unknown = len(terms) - len(ids)
        return ids, float(self.idf[ids].sum()) + unknown * self.unknown_idf

    def scores(self, text: str, *, muted: Sequence[str] = (), mute: float = 1.0) -> np.ndarray:
        """The lexical score (0–1) of the passage ``text`` against every unit.

        Terms found only in the pieces ``muted`` of the passage (its attribution frames, see
        :func:`tui.attribution.frames`) weigh ``mute`` times their weight, on the passage's
        side (what is shared and the passage's own weight)."""
        ids, weight = self.passage_terms(text)
        if not len(ids) or weight <= 0:
            return np.zeros(len(self.units))
        term_weights = self.idf[ids]
        if muted and mute != 1.0:
            rest = text
            for piece in muted:
                rest = rest.replace(piece, " ")
            kept = self._term_ids(set(self._terms(rest)))
            quiet = ~np.isin(ids, kept)
            if quiet.any():
                weight -= (1.0 - mute) * float(term_weights[quiet].sum())
                term_weights = np.where(quiet, mute * term_weights, term_weights)
        starts, ends = self._posting_starts[ids], self._posting_starts[ids + 1]
        counts = ends - starts
        where = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        shared = np.bincount(self._posting_units[where], weights=np.repeat(term_weights, counts),
                             minlength=len(self.units))
        cover = shared / weight
        dice = 2 * shared / (weight + self.unit_weight)
        return (cover + dice) / 2

    def scores_within(self, units: Sequence[int], first: int, last: int) -> np.ndarray:
        """The lexical score of each unit of ``units`` (as a passage) against the units
        ``first`` to ``last`` (one article's, see :attr:`ranges`), one row per unit of
        ``units``: the way back from candidates to the article a passage came from. Only the
        (unit, home unit) pairs sharing a term are touched."""
        count = last - first
        result = np.zeros((len(units), count))
        if not count or not len(units):
            return result
        offsets = self._term_offsets
        # The home units holding each term (CSR by term, over the terms they hold).
        flat = self._terms_flat[offsets[first] : offsets[last]]
        if not len(flat):
            return result
        lengths = np.diff(offsets[first : last + 1])
        owners = np.repeat(np.arange(count, dtype=np.int64), lengths)
        order = np.argsort(flat, kind="stable")
        vocabulary, term_starts = np.unique(flat[order], return_index=True)
        term_ends = np.append(term_starts[1:], len(flat))
        holders = owners[order]
        # Each asked unit's terms that the article has, each giving its weight to every home
        # unit holding it: only the pairs that share a term are touched.
        asked = np.asarray(units, dtype=np.int64)
        asked_starts, asked_counts = offsets[asked], offsets[asked + 1] - offsets[asked]
        terms = self._terms_flat[np.repeat(asked_starts - np.cumsum(asked_counts) + asked_counts,
                                           asked_counts) + np.arange(asked_counts.sum())]
        rows = np.repeat(np.arange(len(units), dtype=np.int64), asked_counts)
        at = np.minimum(np.searchsorted(vocabulary, terms), len(vocabulary) - 1)
        found = vocabulary[at] == terms
        rows, at, weights = rows[found], at[found], self.idf[terms[found]]
        spans = term_ends[at] - term_starts[at]
        where = (np.repeat(term_starts[at] - np.cumsum(spans) + spans, spans)
                 + np.arange(spans.sum()))
        cells = np.repeat(rows, spans) * count + holders[where]
        shared = np.bincount(cells, weights=np.repeat(weights, spans),
                             minlength=len(units) * count).reshape(len(units), count)
        weight = self.unit_weight[np.asarray(units, dtype=np.int64)][:, None]
        safe = np.where(weight > 0, weight, 1.0)
        cover = shared / safe
        dice = 2 * shared / (safe + self.unit_weight[first:last][None, :])
        return np.where(weight > 0, (cover + dice) / 2, 0.0)

    def only(self, scores: np.ndarray, kinds: Iterable[str]) -> np.ndarray:
        """``scores`` with every unit not of ``kinds`` set to minus infinity."""
        codes = [{"sentence": 0, "pair": 1, "clause": 2}[kind] for kind in kinds]
        return np.where(np.isin(self.kind_codes, codes), scores, -np.inf)

    def best_per_article(self, scores: np.ndarray, article_ids: Sequence[str]) -> list[int]:
        """For each article of ``article_ids``, the index of its best-scoring unit (the first
        of equals; -1: none)."""
        if not self.ranges or not len(scores):
            return [-1] * len(article_ids)
        if self._segments is None:
            # The articles with units, in index order: their ranges tile the units.
            ordered = sorted(r for r in self.ranges.values() if r[1] > r[0])
            firsts = np.fromiter((r[0] for r in ordered), dtype=np.int64, count=len(ordered))
            lengths = np.fromiter((r[1] - r[0] for r in ordered), dtype=np.int64,
                                  count=len(ordered))
            self._segments = (firsts, lengths, {r: n for n, r in enumerate(ordered)})
        firsts, lengths, segment_of = self._segments
        # Each article's maximum, then the first unit of the article that reaches it (as
        # np.argmax per article, for every article at once).
        tops = np.maximum.reduceat(scores, firsts)
        at_top = np.flatnonzero(scores == np.repeat(tops, lengths))
        first_top = at_top[np.searchsorted(at_top, firsts)]
        best: list[int] = []
        for article_id in article_ids:
            segment = segment_of.get(self.ranges.get(article_id, (0, 0)))
            best.append(-1 if segment is None else int(first_top[segment]))
        return best
