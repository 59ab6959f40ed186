"""A scraper dump of 10 000 articles against a folder of the same 10 000 files: listing and
opening, each with its baseline measured in the same run, interleaved.

    python bench/dumps.py [--quick] [--samples N]

The folder is the benchmarks' generated news corpus (``bench/generate.py``: 10 000 news-like
articles with datelines, copyright lines naming outlets, share buttons, one in ten with a
sidecar). The dump is made from it, one JSON object a line, in two shapes: with the fields a
scraper writes (``id``, ``title``, ``date``, ``source``, ``url``, ``text``), and with the text
only (so the metadata is guessed from the text, as it is for the files).

Rows (median of N samples; ratio = dump / folder):

- list: ``load_corpus`` with no metadata cache (a first launch) — reads every file / the dump.
- list-cached: the same with the cache filled (every later launch).
- open: ``Corpus.get`` of 200 articles spread over the corpus, from a cached listing.
- cli-list: the whole process ``newsmark list`` (first launch, no cache).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import generate  # noqa: E402

from tui.corpus import CorpusCache, load_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def make_dumps(folder: Path, out: Path) -> tuple[Path, Path]:
    """The dump of every article of ``folder``, with fields and text-only."""
    corpus = load_corpus([folder])
    full, bare = out / "scrape.jsonl", out / "scrape-text-only.jsonl"
    with open(full, "w", encoding="utf-8") as f, open(bare, "w", encoding="utf-8") as b:
        for article in corpus:
            f.write(json.dumps({
                "id": article.id, "title": article.title, "date": article.date,
                "source": article.outlet, "url": f"https://news.example/{article.id}",
                "text": article.text}, ensure_ascii=False) + "\n")
            b.write(json.dumps({"text": article.text}, ensure_ascii=False) + "\n")
    return full, bare


def timed(work) -> float:  # noqa: ANN001 - a callable
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def interleaved(samples: int, *works) -> list[list[float]]:  # noqa: ANN002
    """Each work run ``samples`` times, round by round (so load changes hit all alike)."""
    times: list[list[float]] = [[] for _ in works]
    for _ in range(samples):
        for index, work in enumerate(works):
            times[index].append(timed(work))
    return times


def row(name: str, what: str, ours: list[float], base: list[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    mine, theirs = statistics.median(ours) * scale, statistics.median(base) * scale
    return (f"| {name} | {what} | {mine:.1f} {unit} | {theirs:.1f} {unit} | "
            f"{mine / theirs:.2f} | {len(ours)} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="300 articles, 2 samples")
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args(argv)
    samples = 2 if args.quick else args.samples
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        # --quick builds its tiny data apart, so that the full data in bench/data is kept.
        data = (generate.build(generate.QUICK, tmp / "data", verbose=False) if args.quick
                else generate.build(verbose=False))
        folder = data.news
        full, bare = make_dumps(folder, tmp)
        count = len(load_corpus([full]))
        print(f"{count} articles; dump {full.stat().st_size / 1e6:.1f} MB; "
              f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
        print("| row | what | dump | folder (baseline) | ratio | samples |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        times = interleaved(samples, lambda: load_corpus([full]), lambda: load_corpus([bare]),
                            lambda: load_corpus([folder]))
        print(row("list", "load_corpus, no cache (fields in the dump)", times[0], times[2]))
        print(row("list-text-only", "the same, metadata guessed from the text", times[1],
                  times[2]))

        caches = tmp / "caches"
        caches.mkdir()
        load_corpus([full], cache=CorpusCache(caches / "dump.json"))
        load_corpus([folder], cache=CorpusCache(caches / "folder.json"))
        times = interleaved(samples,
                            lambda: load_corpus([full], cache=CorpusCache(caches / "dump.json")),
                            lambda: load_corpus([folder],
                                                cache=CorpusCache(caches / "folder.json")))
        print(row("list-cached", "load_corpus, cache filled", times[0], times[1]))

        dump_corpus = load_corpus([full], cache=CorpusCache(caches / "dump.json"))
        file_corpus = load_corpus([folder], cache=CorpusCache(caches / "folder.json"))
        step = max(1, count // 200)
        dump_ids, file_ids = dump_corpus.ids[::step], file_corpus.ids[::step]

        def open_all(corpus, ids) -> None:  # noqa: ANN001
            for article_id in ids:
                corpus._loaded.clear()  # noqa: SLF001 - each get reads its article again
                assert corpus.get(article_id) is not None

        times = interleaved(samples, lambda: open_all(dump_corpus, dump_ids),
                            lambda: open_all(file_corpus, file_ids))
        per = [[t / len(dump_ids) for t in times[0]], [t / len(file_ids) for t in times[1]]]
        print(row("open", "Corpus.get of one article (mean of 200), cached listing", per[0],
                  per[1]))

        env = {**os.environ, "XDG_CACHE_HOME": str(tmp / "xdg")}
        store = tmp / "store"

        def cli(path: Path) -> None:
            shutil.rmtree(tmp / "xdg", ignore_errors=True)
            subprocess.run([sys.executable, "-m", "tui", "list", "--corpus", str(path),
                            "--store", str(store)], env=env, cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)

        times = interleaved(samples, lambda: cli(full), lambda: cli(folder))
        print(row("cli-list", "newsmark list, whole process, first launch", times[0],
                  times[1], unit="s"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
