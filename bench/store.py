"""Benchmark: the cost of one tag as the store grows, against a naive single-file TinyDB.

For each size (1 000, 10 000 and 100 000 annotations over 1 000 articles) it fills both stores
with the same realistic annotations (quotes from the seed articles, context, ids, timestamps),
then measures the median time of one ``add`` that is on disk when it returns:

- ``newsmark``: :class:`tui.store.Store` (one shard per article and annotator; lock, re-read,
  temp file, fsync, rename, fsync the folder);
- ``naive``: one TinyDB file with TinyDB's own ``JSONStorage`` (which rewrites the whole file
  and fsyncs it on every insert, in place and without a lock).

It also times loading every annotation (as :class:`tui.model.Annotation` objects, for export).

    python bench/store.py            # the full run (about a minute on 2 cores)
    python bench/store.py --quick    # a few seconds: small sizes, few samples (used by a test)

Targets (full run, 2 cores): ≤ 5 ms per tag at 100 000 annotations, a 100 000 / 1 000 ratio
≤ 1.5, and loading all 100 000 annotations in ≤ 1 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinydb import TinyDB  # noqa: E402

from tui.model import Annotation, Article, Span  # noqa: E402
from tui.store import ShardStorage, Store  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ANNOTATOR = "bench"
TAGS = ("claim", "threat", "denial", "schedule")


def seed_articles() -> list[Article]:
    return [
        Article(id=path.stem, path=path, text=path.read_text(encoding="utf-8"))
        for path in sorted(SEEDS.glob("*.txt"))
    ]


def fake_annotation(rng: random.Random, sources: list[Article], article_id: str) -> Annotation:
    """A realistic annotation of ``article_id``, quoting a passage of one of the seed texts."""
    source = rng.choice(sources)
    length = rng.randint(40, 240)
    start = rng.randrange(0, max(1, len(source.text) - length))
    real = Annotation.new(
        source,
        Span(start, start + length),
        rng.choice(TAGS),
        annotator=ANNOTATOR,
        note=rng.choice(["", "", "check the wording against the Kremlin readout"]),
        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    )
    return Annotation.from_dict({**real.to_dict(), "article_id": article_id})


def article_ids(count: int) -> list[str]:
    return [f"{number:04d}_{number * 2654435761 % 2**64:016x}" for number in range(count)]


def fill_store(root: Path, by_article: dict[str, list[Annotation]]) -> Store:
    """Fill a newsmark store shard by shard (one TinyDB write per shard, through its storage)."""
    store = Store(root, annotator=ANNOTATOR)
    for article_id, shard in by_article.items():
        path = store.shard_path(article_id, ANNOTATOR)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = TinyDB(path, article_id, ANNOTATOR, storage=ShardStorage)
        db.insert_multiple(annotation.to_dict() for annotation in shard)
    return store


def fill_naive(path: Path, by_article: dict[str, list[Annotation]]) -> TinyDB:
    db = TinyDB(path)
    db.insert_multiple(a.to_dict() for annotations in by_article.values() for a in annotations)
    return db


def timed(action: Callable[[Any], object], argument: Any) -> float:
    """How long ``action(argument)`` takes, in seconds."""
    began = time.perf_counter()
    action(argument)
    return time.perf_counter() - began


def count_all(store: Store) -> int:
    """Load every annotation of the store, as an export does."""
    annotations, problems = store.read_all()
    assert not problems, problems
    return len(annotations)


def count_all_naive(path: Path) -> int:
    db = TinyDB(path)
    count = len([Annotation.from_dict(record) for record in db])
    db.close()
    return count


def machine() -> str:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 0
    engine = f"orjson {version('orjson')}"
    load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
    return (
        f"{usable} usable cores ({os.cpu_count()} on the machine), {platform.machine()}, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"tinydb {version('tinydb')}, JSON by {engine}; load average {load}"
    )


def run(sizes: list[int], articles: int, samples: int, naive_samples: int, folder: Path) -> int:
    rng = random.Random(20211230)
    sources = seed_articles()
    ids = article_ids(articles)
    print(f"machine: {machine()}")
    print(f"folder:  {folder}")
    print(f"sizes:   {', '.join(f'{s:,}' for s in sizes)} annotations over {articles:,} articles")
    print()
    stores: dict[int, Store] = {}
    naives: dict[int, TinyDB] = {}
    for size in sizes:
        by_article: dict[str, list[Annotation]] = {article_id: [] for article_id in ids}
        for number in range(size):
            article_id = ids[number % articles]
            by_article[article_id].append(fake_annotation(rng, sources, article_id))
        began = time.perf_counter()
        stores[size] = fill_store(folder / f"store-{size}", by_article)
        naives[size] = fill_naive(folder / f"naive-{size}.json", by_article)
        print(f"  filled {size:>7,} in {time.perf_counter() - began:.1f} s", flush=True)

    # Samples are taken round-robin over the sizes, so that a busy neighbour on the machine
    # slows every size alike instead of skewing the ratio.
    times: dict[str, dict[int, list[float]]] = {
        kind: {size: [] for size in sizes}
        for kind in ("ours", "ours_cpu", "naive", "load", "naive_load")
    }
    order = list(sizes)
    for _ in range(samples):
        rng.shuffle(order)
        for size in order:
            annotation = fake_annotation(rng, sources, rng.choice(ids))
            cpu = time.process_time()
            times["ours"][size].append(timed(stores[size].add, annotation))
            times["ours_cpu"][size].append(time.process_time() - cpu)
    for _ in range(naive_samples):
        rng.shuffle(order)
        for size in order:
            record = fake_annotation(rng, sources, rng.choice(ids)).to_dict()
            times["naive"][size].append(timed(naives[size].insert, record))
    for db in naives.values():
        db.close()
    for _ in range(3):
        for size in order:
            times["load"][size].append(timed(count_all, stores[size]))
            naive_path = folder / f"naive-{size}.json"
            times["naive_load"][size].append(timed(count_all_naive, naive_path))
    results = {
        size: {kind: statistics.median(times[kind][size]) for kind in times} for size in sizes
    }
    for size in sizes:
        assert count_all(stores[size]) == size + samples
        results[size]["ours"] *= 1000
        results[size]["ours_cpu"] *= 1000
        results[size]["naive"] *= 1000

    smallest, largest = sizes[0], sizes[-1]
    print()
    print(
        "| annotations | newsmark: ms per tag | (of which CPU) | naive TinyDB: ms per tag "
        "| load all, newsmark (s) | load all, naive (s) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        r = results[size]
        print(
            f"| {size:,} | {r['ours']:.2f} | {r['ours_cpu']:.2f} | {r['naive']:.2f} "
            f"| {r['load']:.2f} | {r['naive_load']:.2f} |"
        )
    ours_ratio = results[largest]["ours"] / results[smallest]["ours"]
    cpu_ratio = results[largest]["ours_cpu"] / results[smallest]["ours_cpu"]
    naive_ratio = results[largest]["naive"] / results[smallest]["naive"]
    print()
    print(
        f"ratio {largest:,} / {smallest:,}: newsmark {ours_ratio:.2f} "
        f"(CPU {cpu_ratio:.2f}), naive {naive_ratio:.1f}"
    )
    print(
        f"samples: {samples} tags per size (naive: {naive_samples}), round-robin over the sizes; "
        "each tag goes to a random article; medians; CPU = process time (user + system); "
        "load: median of 3 (warm cache)"
    )
    if largest < 100_000:
        return 0
    verdicts = [
        ("≤ 5 ms per tag at 100 000", results[largest]["ours"] <= 5.0),
        ("ratio ≤ 1.5", ours_ratio <= 1.5),
        ("load 100 000 ≤ 1 s", results[largest]["load"] <= 1.0),
    ]
    for name, ok in verdicts:
        print(f"target {name}: {'met' if ok else 'MISSED'}")
    return 0 if all(ok for _, ok in verdicts) else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--dir", type=Path, help="where to build the stores (default: a temp dir)")
    parser.add_argument(
        "--sizes", help="comma-separated store sizes instead of the default (e.g. 1000,100000)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        sizes, articles, samples, naive_samples = [100, 1_000], 100, 30, 10
    else:
        sizes, articles, samples, naive_samples = [1_000, 10_000, 100_000], 1_000, 300, 7
    if args.sizes:
        sizes = [int(size) for size in args.sizes.split(",")]
    if args.dir:
        args.dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsmark-bench-", dir=args.dir) as folder:
        return run(sizes, articles, samples, naive_samples, Path(folder))


if __name__ == "__main__":
    sys.exit(main())
