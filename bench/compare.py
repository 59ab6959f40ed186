"""How long the passages × articles matrix takes: the seeds, and 100 articles × 500 passages.

    python bench/compare.py            # prints the figures (median of 3 runs for the seeds)

The large corpus is made from the seeds, deterministically: each of the 100 articles is one seed
with its paragraphs shuffled, one word in twelve replaced and some paragraphs dropped, so that
passages are carried verbatim, reworded or not at all, as across real outlets. Five sentences of
each article are tagged (500 passages). Nothing is written outside a temporary folder.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.compare import compare  # noqa: E402
from tui.corpus import load_corpus  # noqa: E402
from tui.model import Annotation  # noqa: E402
from tui.sentences import sentence_spans  # noqa: E402

SEEDS = ROOT / "seeds"
FILLER = "however reportedly indeed notably also still quite largely broadly".split()


def make_corpus(folder: Path, count: int = 100, seed: int = 9) -> None:
    """Write ``count`` articles derived from the seeds into ``folder``."""
    rng = random.Random(seed)
    seeds = sorted(SEEDS.glob("*.txt"))
    for n in range(count):
        source = seeds[n % len(seeds)].read_text(encoding="utf-8")
        paragraphs = [p for p in source.split("\n\n") if p.strip()]
        rng.shuffle(paragraphs)
        kept = [p for p in paragraphs if rng.random() > 0.2]
        changed = []
        for paragraph in kept:
            words = paragraph.split(" ")
            for i in range(len(words)):
                if rng.random() < 1 / 12:
                    words[i] = rng.choice(FILLER)
            changed.append(" ".join(words))
        (folder / f"{n:03d}_bench.txt").write_text("\n\n".join(changed) + "\n", encoding="utf-8")


def tag_sentences(corpus, per_article: int = 5) -> list[Annotation]:  # noqa: ANN001
    """Tag ``per_article`` of the longer sentences of each article."""
    annotations = []
    tags = ("claim", "threat", "denial", "schedule")
    for article in corpus.articles:
        sentences = [s for s in sentence_spans(article.text, article.boilerplate) if len(s) > 60]
        for k, span in enumerate(sentences[:per_article]):
            annotations.append(Annotation.new(article, span, tags[k % 4], annotator="bench"))
    return annotations


def timed(function, repeat: int = 1) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    seeds = load_corpus([SEEDS])
    seed_tags = tag_sentences(seeds, per_article=4)
    matrix = compare(seeds, seed_tags)
    seconds = timed(lambda: compare(seeds, seed_tags), repeat=3)
    print(f"seeds: {len(seeds)} articles x {len(seed_tags)} tagged passages "
          f"({len(matrix.rows)} rows): {seconds * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_corpus(folder)
        corpus = load_corpus([folder])
        annotations = tag_sentences(corpus)
        result = {}
        seconds = timed(lambda: result.setdefault("m", compare(corpus, annotations)))
        big = result["m"]
        print(f"large: {len(corpus)} articles x {len(annotations)} tagged passages "
              f"({len(big.rows)} rows, {len(big.groups)} version groups): {seconds:.1f} s")


if __name__ == "__main__":
    main()
