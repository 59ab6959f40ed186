"""How good and how fast the suggestions are: per tag and per suggester, on two gold sets.

    python bench/suggest.py                 # quality on both sets, then the speed rows
    python bench/suggest.py --quality       # quality only (a few seconds)
    python bench/suggest.py --speed --quick # tiny speed run (what the test runs)

Quality. Sentence level, as ``../shared/eval/README.md`` describes: a suggestion of tag T
counts for a gold sentence when it overlaps at least half of it, at the score the reader shows
by default (``min_score`` 0.5). For tag T, a sentence labelled T and suggested T is a true
positive, labelled T and not suggested a false negative, and suggested T while neither its
label nor its ``also`` list (acceptable second labels) holds T a false positive. Macro-F1 is
the mean over the four tags. Two sets:

* ``seeds`` — ``../shared/eval/seed_sentences.jsonl`` (112 sentences of the seeds);
* ``heldout`` — ``bench/heldout/sentences.jsonl`` (76 sentences of four reports of other
  events, see its README), never used to write the rules.

Rows: each suggester alone, all the default ones together, the defaults plus ``own``, and the
**baseline**: a plain lexicon (a few words per tag, no tense, negation or combination), in the
same run. The ``outlets`` and ``own`` suggesters learn from tags: each article is measured with
the gold labels of the *other* articles of its set as the store's annotations (leave one
article out), which is how they meet an article the analyst has not tagged yet.

Speed, medians of 5 runs, each interleaved with its baseline; CPU time (user + system) and
wall time, and the machine's load before and after (the machine is shared: read the CPU
time and the ratio):

* ``1 MB news article``: every default suggester over the generated 1 MB article
  (bench/generate.py), against the plain lexicon over the same article;
* ``5 MB hostile article``: the same over the 5 MB article of ``tests/hostile`` (100 000
  sentences, each naming a date in a clause about the future), 3 runs;
* ``newsmark suggest, 1 000 articles``: the whole process ``newsmark suggest --format jsonl``
  over 1 000 generated articles with 100 tags in their store, against ``newsmark list`` over
  the same corpus and store: in one process (``--jobs 1``), and in one per core (the
  default; its CPU time is every process's, its wall time what the user waits).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # tests/hostile

from tui.config import Config  # noqa: E402
from tui.corpus import Corpus, load_corpus  # noqa: E402
from tui.model import Annotation, Article, Span  # noqa: E402
from tui.sentences import sentence_spans  # noqa: E402
from tui.suggest import DEFAULT_SOURCES, Suggestion, Suggestions  # noqa: E402

TAGS = ("claim", "threat", "denial", "schedule")
MIN_SCORE = Config().suggest.min_score
SETS = {
    "seeds": (ROOT.parent / "shared" / "eval" / "seed_sentences.jsonl", ROOT / "seeds"),
    "heldout": (ROOT / "bench" / "heldout" / "sentences.jsonl",
                ROOT / "bench" / "heldout" / "articles"),
}
if not SETS["seeds"][0].exists():  # run from a clone whose shared/ sits elsewhere
    SETS["seeds"] = (Path("/work/shared/eval/seed_sentences.jsonl"), ROOT / "seeds")

#: The baseline: the words anyone would start from, matched anywhere in the sentence.
LEXICON = {
    "claim": r"\b(?:said|says|according to|told)\b",
    "threat": r"\b(?:threat\w*|warn\w*|sanctions?|consequences?)\b",
    "denial": r"\b(?:den(?:y|ies|ied)|reject\w*)\b",
    "schedule": r"\b(?:January|February|March|April|May|June|July|August|September|October"
                r"|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
                r"|next (?:week|month|year)|meeting|talks)\b",
}


@dataclass(frozen=True)
class Gold:
    """One labelled sentence: its span in its article, its label and acceptable others."""

    article_id: str
    span: Span
    label: str
    also: frozenset[str]


def load_gold(path: Path, corpus: Corpus) -> list[Gold]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        article = corpus.get(row["article"])
        assert article is not None, row["article"]
        start = article.text.find(row["quote"])
        assert start >= 0, row["quote"]
        rows.append(Gold(article.id, Span(start, start + len(row["quote"])), row["label"],
                         frozenset(row.get("also", ()))))
    return rows


def gold_annotations(gold: Sequence[Gold], corpus: Corpus) -> list[Annotation]:
    """The gold labels as the store's annotations (what "outlets" and "own" learn from)."""
    out = []
    for number, row in enumerate(gold):
        if row.label == "none":
            continue
        article = corpus.get(row.article_id)
        assert article is not None
        out.append(Annotation.new(article, row.span, row.label, annotator="gold",
                                  id=f"gold-{number}", now="2026-01-01T00:00:00.000Z"))
    return out


def lexicon_suggestions(article: Article) -> list[Suggestion]:
    out = []
    patterns = {tag: re.compile(pattern, re.IGNORECASE) for tag, pattern in LEXICON.items()}
    for sentence in sentence_spans(article.text, article.boilerplate):
        for tag, pattern in patterns.items():
            if pattern.search(article.text, sentence.start, sentence.end):
                out.append(Suggestion(article.id, sentence.start, sentence.end, tag,
                                      article.text[sentence.start:sentence.end], 1.0, "lexicon"))
    return out


def _overlaps_half(suggestion: Suggestion, sentence: Span) -> bool:
    shared = min(suggestion.end, sentence.end) - max(suggestion.start, sentence.start)
    return shared > 0 and shared * 2 >= len(sentence)


def evaluate(
    gold: Sequence[Gold], suggest: Callable[[Article, list[Annotation]], list[Suggestion]],
    corpus: Corpus,
) -> dict[str, tuple[int, int, int]]:
    """``tag -> (tp, fp, fn)`` over the gold sentences."""
    annotations = gold_annotations(gold, corpus)
    counts = {tag: [0, 0, 0] for tag in TAGS}
    for article_id in dict.fromkeys(row.article_id for row in gold):
        article = corpus.get(article_id)
        assert article is not None
        others = [a for a in annotations if a.article_id != article_id]
        found = [s for s in suggest(article, others) if s.score >= MIN_SCORE]
        for row in (r for r in gold if r.article_id == article_id):
            predicted = {s.tag for s in found if _overlaps_half(s, row.span)}
            for tag in TAGS:
                if tag in predicted:
                    if row.label == tag:
                        counts[tag][0] += 1
                    elif tag not in row.also:
                        counts[tag][1] += 1
                elif row.label == tag:
                    counts[tag][2] += 1
    return {tag: (tp, fp, fn) for tag, (tp, fp, fn) in counts.items()}


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def engine(sources: Sequence[str], corpus: Corpus) -> Callable[[Article, list[Annotation]],
                                                                list[Suggestion]]:
    config = Config()

    def run(article: Article, annotations: list[Annotation]) -> list[Suggestion]:
        return Suggestions(config, sources=sources, corpus=corpus, annotations=annotations,
                           annotator="gold").for_article(article)

    return run


def quality(markdown: list[str]) -> None:
    rows: list[tuple[str, Callable[[Corpus], Callable]]] = [
        ("baseline: plain lexicon", lambda c: lambda a, _: lexicon_suggestions(a)),
        ("rules", lambda c: engine(("rules",), c)),
        ("dates", lambda c: engine(("dates",), c)),
        ("outlets", lambda c: engine(("outlets",), c)),
        ("own", lambda c: engine(("own",), c)),
        ("all (default: " + ", ".join(DEFAULT_SOURCES) + ")",
         lambda c: engine(DEFAULT_SOURCES, c)),
        ("all + own", lambda c: engine((*DEFAULT_SOURCES, "own"), c)),
    ]
    for set_name, (gold_path, folder) in SETS.items():
        corpus = load_corpus([folder])
        gold = load_gold(gold_path, corpus)
        counts = {tag: sum(1 for g in gold if g.label == tag) for tag in TAGS}
        title = (f"### {set_name}: {len(gold)} sentences ("
                 + ", ".join(f"{tag} {n}" for tag, n in counts.items()) + f"), min_score "
                 f"{MIN_SCORE}")
        lines = [title, "",
                 "| suggester | " + " | ".join(f"{t} P / R / F1" for t in TAGS)
                 + " | macro-F1 |",
                 "| --- |" + " ---: |" * (len(TAGS) + 1)]
        for name, make in rows:
            result = evaluate(gold, make(corpus), corpus)
            cells, scores = [], []
            for tag in TAGS:
                p, r, score = f1(*result[tag])
                tp, fp, fn = result[tag]
                cells.append(f"{p:.2f} / {r:.2f} / **{score:.2f}** ({tp}/{tp + fp}/{tp + fn})")
                scores.append(score)
            lines.append(f"| {name} | " + " | ".join(cells)
                         + f" | **{statistics.mean(scores):.2f}** |")
        lines.append("")
        lines.append("Cells: precision / recall / F1 (true positives / suggested / labelled).")
        lines.append("")
        print("\n".join(lines))
        markdown.extend(lines)


# --------------------------------------------------------------------------- speed


def _median_times(function: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (this process's, plus its children's: the
    subprocess rows) of ``runs`` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time()
        start = time.perf_counter()
        function()
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(time.process_time() - cpu + (after.ru_utime - children.ru_utime)
                    + (after.ru_stime - children.ru_stime))
    return statistics.median(walls), statistics.median(cpus)


def _interleaved(functions: Sequence[Callable[[], object]], runs: int
                 ) -> list[tuple[float, float]]:
    """:func:`_median_times` of each function, run in turn round by round (a neighbour's
    burst of load then falls on all of them alike)."""
    samples: list[list[tuple[float, float]]] = [[] for _ in functions]
    for _ in range(runs):
        for number, function in enumerate(functions):
            samples[number].append(_median_times(function, 1))
    return [(statistics.median(w for w, _ in rows), statistics.median(c for _, c in rows))
            for rows in samples]


def _row(name: str, engine: tuple[float, float], baseline: tuple[float, float], budget: str,
         unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    digits = 0 if unit == "ms" else 2

    def cell(value: float) -> str:
        return f"{value * scale:.{digits}f} {unit}"

    return (f"| {name} | {cell(engine[1])} ({cell(engine[0])}) | {cell(baseline[1])} "
            f"({cell(baseline[0])}) | {engine[1] / baseline[1]:.1f}× | {budget} |")


def speed(markdown: list[str], quick: bool) -> None:
    import generate  # bench/generate.py
    from hostile import big_text  # tests/hostile: the 5 MB article the reader is tested on

    runs = 2 if quick else 5
    size = 50_000 if quick else 1_000_000
    hostile_mb = 0.05 if quick else 5.0
    count = 30 if quick else 1_000
    sentences = generate.seed_sentences()
    lines = ["### speed", "", f"Before: {_machine()}", "",
             "| row | CPU (wall), median | baseline CPU (wall) | ratio (CPU) | budget |",
             "| --- | ---: | ---: | ---: | --- |"]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        big = generate.write_big_article(folder / "big" / "big_article.txt", size, sentences,
                                         generate.SEED)
        hostile = folder / "hostile" / "big.txt"
        hostile.parent.mkdir()
        hostile.write_text(big_text(hostile_mb), encoding="utf-8")
        config = Config()
        for path, label, budget in ((big, "news", "≤ 300 ms"), (hostile, "hostile", "—")):
            corpus = load_corpus([path])
            article = corpus.load_all()[0]
            # A fresh engine each time: nothing cached between runs but what a process
            # keeps (compiled rules, dateparser's data and its readings of phrases).
            Suggestions(config, corpus=corpus).for_article(article)
            engine, lexicon = _interleaved(
                (lambda c=corpus, a=article: Suggestions(config, corpus=c).for_article(a),
                 lambda a=article: lexicon_suggestions(a)), 3 if label == "hostile" else runs)
            found = len(Suggestions(config, corpus=corpus).for_article(article))
            lines.append(_row(f"suggestions, {len(article.text) / 1e6:.2f} MB {label} article "
                              f"({found} found)", engine, lexicon, budget))
        lines.append(_stall_row(big, runs))

        news = folder / "news"
        news.mkdir()
        generate.write_news_corpus(news, count, sentences, generate.SEED)
        store = folder / "annotations"
        tagged = load_corpus([news]).load_all()[: max(1, count // 10)]
        generate.write_store(store, generate.annotate(list(tagged), count // 10, generate.SEED))
        # PYTHONPATH: the checkout this script is in, whatever is installed.
        env = {**os.environ, "NEWSMARK_ANNOTATOR": "bench", "NO_COLOR": "1",
               "PYTHONPATH": str(ROOT)}
        common = ["--corpus", str(news), "--store", str(store)]

        def process(*argv: str) -> Callable[[], None]:
            def run() -> None:
                subprocess.run([sys.executable, "-m", "tui", *argv, *common], cwd=scratch,
                               env=env, check=True, stdout=subprocess.DEVNULL)
            return run

        from tui.workers import available_cores

        cores = available_cores()
        one, every, list_time = _interleaved(
            (process("suggest", "--format", "jsonl", "--jobs", "1"),
             process("suggest", "--format", "jsonl"), process("list")), runs)
        lines.append(_row(f"newsmark suggest --jobs 1, {count} articles, {count // 10} tags",
                          one, list_time, "≤ 10 s", unit="s"))
        lines.append(_row(f"newsmark suggest (one process per core: {cores}), {count} "
                          f"articles, {count // 10} tags", every, list_time, "≤ 10 s (wall)",
                          unit="s"))
    lines.append("")
    lines.append(f"After: {_machine()}")
    lines.append("")
    lines.append("CPU time is the process's (user + system; the subprocess rows: the child's), "
                 "wall time in brackets; medians of the runs, each engine run interleaved "
                 "with its baseline; with several processes the CPU time is theirs together "
                 "and the wall time is what a user waits. Baselines: the plain lexicon over "
                 "the same article; "
                 "`newsmark list` over the same corpus and store (a process that reads every "
                 "article).")
    print("\n".join(lines))
    markdown.extend(lines)


def stalls(path: Path, runs: int) -> list[float]:
    """The gaps (s) in a loop of 1 ms sleeps on the main thread (a stand-in for the reader's
    event loop) while a worker thread works out the suggestions of ``path`` ``runs`` times,
    as the reader does: how long a key can wait for the GIL."""
    import threading

    corpus = load_corpus([path])
    article = corpus.load_all()[0]
    config = Config()
    Suggestions(config, corpus=corpus).for_article(article)
    done = threading.Event()

    def work() -> None:
        for _ in range(runs):
            Suggestions(config, corpus=corpus).for_article(article, lambda: False)
        done.set()

    gaps = []
    worker = threading.Thread(target=work)
    worker.start()
    last = time.perf_counter()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    return gaps


def _stall_row(path: Path, runs: int) -> str:
    """:func:`stalls` with the modules as installed (compiled, see setup.py) against their
    pure Python sources (``NEWSMARK_PURE=1``), each in a process of its own."""
    found = {}
    for label, extra in (("as installed", {}), ("pure", {"NEWSMARK_PURE": "1"})):
        ran = subprocess.run([sys.executable, __file__, "--stalls", str(path), str(runs)],
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT), **extra})
        gaps = sorted(json.loads(ran.stdout))
        found[label] = (gaps[int(len(gaps) * 0.99)] * 1000, gaps[-1] * 1000)
    (p99, worst), (pure_p99, pure_worst) = found["as installed"], found["pure"]
    size = path.stat().st_size / 1e6
    return (f"| main thread's longest wait while a worker works out the {size:.2f} MB news "
            f"article's suggestions, p99 / max | {p99:.1f} / {worst:.1f} ms | {pure_p99:.1f} / "
            f"{pure_worst:.1f} ms (pure Python) | {worst / pure_worst:.2f}× | — |")


def _machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    import tui

    return (f"{os.cpu_count()} cores, load {', '.join(f'{x:.1f}' for x in load)}, "
            f"Python {sys.version.split()[0]}, rules "
            + ("compiled with mypyc" if tui.COMPILED else "as pure Python (not compiled: see "
               "setup.py)"))


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quality", action="store_true", help="only the quality tables")
    parser.add_argument("--speed", action="store_true", help="only the speed rows")
    parser.add_argument("--quick", action="store_true", help="tiny speed data (for the test)")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument("--stalls", nargs=2, metavar=("ARTICLE", "RUNS"),
                        help=argparse.SUPPRESS)  # (a process of _stall_row's)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.stalls:
        print(json.dumps(stalls(Path(args.stalls[0]), int(args.stalls[1]))))
        return 0
    both = not args.quality and not args.speed
    markdown = [f"Machine: {_machine()}", ""]
    print(markdown[0])
    if args.quality or both:
        quality(markdown)
    if args.speed or both:
        speed(markdown, args.quick)
    if args.markdown:
        args.markdown.write_text("\n".join(markdown) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

