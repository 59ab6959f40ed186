"""How long the passages × articles matrix takes: the seeds, and 100 articles × 500 passages.

    python bench/compare.py                 # the figures, with the aligner before issue 16
    python bench/compare.py --no-semantic   # skip the extra's rows (they take minutes cold)

Rows (medians of ``--repeat`` runs, default 3, unless said; ratios against the baseline of the
same run):

* **before** — the aligner before issue 16 (``bench/alignment_baseline.py``), 1 run;
* **default** — ``tui.compare.compare`` with the lexical scorer;
* **semantic, first** — the semantic scorer with an empty embedding cache (1 run: it fills it),
  with the progress callback's last figures;
* **semantic, cached** — the same, a new Aligner reading the cache the first run wrote.

The large corpus is made from the seeds, deterministically: each of the 100 articles is one seed
with its paragraphs shuffled, one word in twelve replaced and some paragraphs dropped, so that
passages are carried verbatim, reworded or not at all, as across real outlets. Five sentences of
each article are tagged (500 passages). Nothing is written outside a temporary folder. The
screen rows time ``m`` in the app (lexical scorer).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.compare import Aligner, compare  # noqa: E402
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
    for article_id in corpus.ids:
        article = corpus.get(article_id)
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


def legacy_matrix(corpus, annotations) -> None:  # noqa: ANN001
    """The old aligner's part of the matrix: every annotation against every other article."""
    from bench.alignment_baseline import LegacyAligner

    aligner = LegacyAligner(corpus)
    for annotation in annotations:
        aligner.align(annotation)


async def screen_times(corpus, annotations) -> tuple[float, float, float]:  # noqa: ANN001
    """Seconds from pressing ``m`` to the matrix on screen; from ``esc`` to being back in the
    reader once the matrix is shown (the baseline: Pilot's own key handling); and from ``esc``
    pressed half a second into a second computation (which, on a large corpus, is still
    running) to being back in the reader."""
    import asyncio

    from tui.app import NewsmarkApp
    from tui.config import Config
    from tui.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp), annotator="bench")
        for annotation in annotations:
            store.add(annotation)
        app = NewsmarkApp(corpus, store, config=Config(), annotator="bench")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("m")
            while getattr(app.screen, "matrix", None) is None:
                await asyncio.sleep(0.002)
            shown = time.perf_counter() - start
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("escape")
            while type(app.screen).__name__ == "CompareScreen":
                await asyncio.sleep(0.002)
            idle = time.perf_counter() - start
            await pilot.press("m")
            await asyncio.sleep(0.5)
            start = time.perf_counter()
            await pilot.press("escape")
            while type(app.screen).__name__ == "CompareScreen":
                await asyncio.sleep(0.002)
            back = time.perf_counter() - start
            await app.workers.wait_for_complete()
    return shown, idle, back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-semantic", action="store_true", help="skip the extra's rows")
    parser.add_argument("--no-screen", action="store_true", help="skip the screen rows")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ["NEWSMARK_SCORER"] = "lexical"  # the app's screen rows
    load = os.getloadavg()
    print(f"machine: {os.cpu_count()} cores, load average {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f}, Python {sys.version.split()[0]}")
    seeds = load_corpus([SEEDS])
    seed_tags = tag_sentences(seeds, per_article=4)
    before = timed(lambda: legacy_matrix(seeds, seed_tags))
    seconds = timed(lambda: compare(seeds, seed_tags, aligner=Aligner(seeds, scorer="lexical")),
                    repeat=args.repeat)
    print(f"seeds, {len(seeds)} articles x {len(seed_tags)} passages: before {before:.2f} s, "
          f"default {seconds:.2f} s ({seconds / before:.2f}x)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        make_corpus(folder)
        corpus = load_corpus([folder])
        annotations = tag_sentences(corpus)
        print(f"large: {len(corpus)} articles x {len(annotations)} tagged passages")
        before = timed(lambda: legacy_matrix(corpus, annotations))
        print(f"  before (old aligner, 1 run): {before:.1f} s", flush=True)
        result = {}
        seconds = timed(lambda: result.setdefault("m", compare(
            corpus, annotations, aligner=Aligner(corpus, scorer="lexical"))), repeat=args.repeat)
        big = result["m"]
        print(f"  default (lexical): {seconds:.2f} s, {seconds / before:.2f}x the old aligner "
              f"({len(big.rows)} rows, {len(big.groups)} version groups; budget 5 s)",
              flush=True)
        from tui.semantic import available

        if available() and not args.no_semantic:
            cache = Path(tmp) / "cache"
            seen: list[tuple[int, int]] = []
            start = time.perf_counter()
            compare(corpus, annotations, progress=lambda d, t: seen.append((d, t)),
                    aligner=Aligner(corpus, scorer="semantic", cache_folder=cache))
            first = time.perf_counter() - start
            print(f"  semantic, empty cache (1 run): {first:.1f} s, {len(seen)} progress calls, "
                  f"last {seen[-1]} (budget 180 s)", flush=True)
            cached = timed(lambda: compare(corpus, annotations, aligner=Aligner(
                corpus, scorer="semantic", cache_folder=cache)), repeat=args.repeat)
            size = (cache / next(iter(os.listdir(cache)))).stat().st_size
            print(f"  semantic, from the cache: {cached:.2f} s ({cached / seconds:.2f}x the "
                  f"default; cache file {size / 1e6:.1f} MB; budget 5 s)", flush=True)
        if not args.no_screen:
            import asyncio

            shown, _, _ = asyncio.run(screen_times(seeds, seed_tags))
            _, idle, back = asyncio.run(screen_times(corpus, annotations))
            print(f"screen: m to the seeds' matrix on screen {shown * 1000:.0f} ms; esc while "
                  f"the large matrix is computing: back in the reader in {back * 1000:.0f} ms "
                  f"(idle, the same key: {idle * 1000:.0f} ms, mostly Pilot's own waits)")


if __name__ == "__main__":
    main()
