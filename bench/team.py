"""How long the team commands take: ``newsmark agree`` on 3 × 100 000 annotations, and the git
merge driver on a 10 000-annotation shard.

    python bench/team.py                 # the full sizes (builds bench/data/team/ first)
    python bench/team.py --quick         # tiny sizes, one sample: checks that it works

Both are timed as whole processes, as a person (or git) runs them, with a baseline measured in
the same run, interleaved:

- **agree**: ``newsmark agree --format json`` over news-like articles (bench/generate.py's)
  that three annotators tagged, 100 per article each: 334 articles (100 000 annotations in
  all: row ``agree``) and 1 000 articles (100 000 each: row ``agree-each``). The second and
  third annotators start from the first one's tags and disagree the way people do: a tenth of
  the tags moved at a boundary, one in twenty given another tag, one in twenty dropped, one in
  twenty added. Baseline:
  ``newsmark stats --format json`` on the same corpus and store (it reads the same 300 000
  annotations and only counts them). Budget: ≤ 5 s.
- **merge driver**: ``python -m tui.merge BASE OURS THEIRS PATH`` (what git runs) on a shard of
  10 000 annotations in one long article, where each side added 100, edited 100 and removed
  100 (and 20 were edited on both sides). Baseline: ``git merge-file -p`` on the same three
  files (git's own line merge, which knows nothing of annotations). Budget: ≤ 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402

from tui.corpus import load_article  # noqa: E402
from tui.model import Annotation, Span  # noqa: E402
from tui.sentences import sentence_spans  # noqa: E402

DATA = BENCH / "data" / "team"
ANNOTATORS = ("alice", "bob", "carol")


def _perturbed(rng: random.Random, annotation: Annotation, article, sentences: list[Span],
               annotator: str) -> list[Annotation]:
    """What a second annotator made of the first one's tag (nothing, it, or a variant)."""
    roll = rng.random()
    if roll < 0.05:
        return []
    copy = replace(annotation, annotator=annotator,
                   id=f"{annotator}-{annotation.id}")
    if roll < 0.15 and len(annotation.span) > 12:
        start = annotation.start + rng.randint(1, 6)
        copy = replace(Annotation.new(article, Span(start, annotation.end), annotation.tag,
                                      annotator=annotator, id=copy.id))
    elif roll < 0.20:
        copy = replace(copy, tag=rng.choice([t for t in generate.TAGS if t != annotation.tag]))
    extra = []
    if rng.random() < 0.05:
        extra = [replace(generate.random_annotation(rng, article, sentences),
                         annotator=annotator, id=f"{annotator}-extra-{annotation.id}")]
    return [copy, *extra]


def build_team(root: Path, articles: int, per_annotator: int) -> tuple[Path, Path]:
    """The corpus and the three annotators' store (reused while the sizes are unchanged)."""
    corpus, store = root / "corpus", root / "store"
    label = f"{articles} {per_annotator} {len(ANNOTATORS)}"
    done = root / ".done"
    if done.is_file() and done.read_text() == label:
        return corpus, store
    if root.exists():
        shutil.rmtree(root)
    began = time.perf_counter()
    paths = generate.write_news_corpus(corpus, articles, generate.seed_sentences(),
                                       generate.SEED + 18)
    loaded = [load_article(path) for path in paths]
    first = generate.annotate(loaded, per_annotator, generate.SEED + 19)
    rng = random.Random(generate.SEED + 20)
    from tinydb import TinyDB

    from tui.store import ShardStorage, Store

    writer = Store(store, annotator=ANNOTATORS[0])
    for article in loaded:
        sentences = sentence_spans(article.text, article.boilerplate)
        mine = [replace(a, annotator=ANNOTATORS[0]) for a in first[article.id]]
        work = {ANNOTATORS[0]: mine}
        for other in ANNOTATORS[1:]:
            work[other] = [x for a in mine for x in _perturbed(rng, a, article, sentences, other)]
        for name, found in work.items():
            path = writer.shard_path(article.id, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            TinyDB(path, article.id, name, storage=ShardStorage).insert_multiple(
                a.to_record() for a in found)
    done.write_text(label)
    print(f"generated {root} in {time.perf_counter() - began:.1f} s", flush=True)
    return corpus, store


def subset(corpus: Path, store: Path, root: Path, articles: int) -> tuple[Path, Path]:
    """A copy of the first ``articles`` articles of the corpus and their shards."""
    small_corpus, small_store = root / "corpus", root / "store"
    if root.exists():
        shutil.rmtree(root)
    small_corpus.mkdir(parents=True)
    small_store.mkdir()
    for path in sorted(corpus.glob("*.txt"))[:articles]:
        shutil.copy(path, small_corpus / path.name)
        sidecar = path.with_name(path.stem + ".meta.json")
        if sidecar.exists():
            shutil.copy(sidecar, small_corpus / sidecar.name)
        if (store / path.stem).is_dir():
            shutil.copytree(store / path.stem, small_store / path.stem)
    return small_corpus, small_store


def build_shards(root: Path, annotations: int, changes: int) -> tuple[Path, Path, Path, str]:
    """BASE, OURS and THEIRS of one shard of ``annotations`` annotations."""
    from tui.store import _render_shard

    folder = root / "shards"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    size = max(200_000, annotations * 100)
    article_path = generate.write_big_article(folder / "long_read.txt", size,
                                              generate.seed_sentences(), generate.SEED + 21)
    article = load_article(article_path)
    sentences = sentence_spans(article.text, article.boilerplate)
    rng = random.Random(generate.SEED + 22)
    base = [replace(generate.random_annotation(rng, article, sentences), annotator="alice")
            for _ in range(annotations)]

    def side(seed: int) -> list[Annotation]:
        pick = random.Random(seed)
        records = list(base)
        for index in pick.sample(range(len(records)), changes):
            records[index] = records[index].changed(note=f"edited {seed}",
                                                    modified=f"2030-01-0{seed % 9 + 1}T00:00:00Z")
        for index in sorted(pick.sample(range(len(records)), changes), reverse=True):
            del records[index]
        records += [replace(generate.random_annotation(pick, article, sentences),
                            annotator="alice") for _ in range(changes)]
        return records

    paths = []
    for name, records in (("base", base), ("ours", side(1)), ("theirs", side(2))):
        path = folder / f"{name}.json"
        path.write_bytes(_render_shard(article.id, "alice", [a.to_record() for a in records]))
        paths.append(path)
    from tui.store import safe_name

    return paths[0], paths[1], paths[2], f"annotations/{safe_name(article.id)}/alice.json"


#: CPU seconds (user + system) of each timed process, by command name: on a machine shared
#: with other work the wall time mostly measures the queue, the CPU time much less so.
CPU: dict[str, list[float]] = {}


def timed(command: list[str], *, cwd: Path | None = None) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False)
    elapsed = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(" ".join(command[:5]), []).append(
        after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    # git merge-file exits with the number of conflicts it left; the driver with 1 on refusal.
    ok = 0 <= done.returncode < 128 if command[0] == "git" else done.returncode == 0
    if not ok:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def interleaved(first: list[str], second: list[str], samples: int,
                before: callable = lambda: None) -> tuple[list[float], list[float]]:
    """Wall times of both commands, interleaved; their CPU times go to :data:`CPU`."""
    a, b = [], []
    CPU.pop(" ".join(first[:5]), None)
    CPU.pop(" ".join(second[:5]), None)
    for _ in range(samples):
        before()
        a.append(timed(first))
        before()
        b.append(timed(second))
    return a, b


def cpu(command: list[str]) -> float:
    """The median CPU time of the last :func:`interleaved` runs of ``command``."""
    return statistics.median(CPU[" ".join(command[:5])])


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    return (f"{platform.platform()}, {len(os.sched_getaffinity(0))} usable cores, load average "
            f"{' '.join(f'{x:.1f}' for x in load)}, Python {platform.python_version()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one sample")
    parser.add_argument("--data", type=Path, default=DATA, help="where the data is built")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table here")
    parser.add_argument("--samples", type=int, default=None, help="runs of each (default 5)")
    args = parser.parse_args(argv)
    articles, per_annotator, shard, changes, samples = (
        (20, 400, 300, 10, 1) if args.quick else (1_000, 100_000, 10_000, 100, 5))
    samples = args.samples or samples
    print(machine(), flush=True)
    corpus, store = build_team(args.data, articles, per_annotator)
    python = [sys.executable, "-m", "tui"]
    # The budget's store: three annotators, 100 000 annotations in all (a third of the
    # articles); then the whole store, each annotator with 100 000.
    third = (articles + 2) // 3
    small_corpus, small_store = subset(corpus, store, args.data / "third", third)
    timings = {}
    for label, (c, st) in (("third", (small_corpus, small_store)), ("all", (corpus, store))):
        common = ["--corpus", str(c), "--store", str(st), "--format", "json"]
        agree_command = [*python, "agree", *common]
        stats_command = [*python, "stats", *common]
        walls = interleaved(agree_command, stats_command, samples)
        timings[label] = (*walls, cpu(agree_command), cpu(stats_command))

    base, ours, theirs, path = build_shards(args.data, shard, changes)
    work = Path(tempfile.mkdtemp(prefix="newsmark-merge-"))
    target = work / "ours.json"

    def fresh() -> None:
        shutil.copyfile(ours, target)

    merge_command = [sys.executable, "-m", "tui.merge", str(base), str(target), str(theirs), path,
                     "7"]
    git_command = ["git", "merge-file", "-p", str(target), str(base), str(theirs)]
    merge, git_merge = interleaved(merge_command, git_command, samples, fresh)
    merge_cpu, git_cpu = cpu(merge_command), cpu(git_command)
    shutil.rmtree(work)

    in_third = sum(len(json.loads(p.read_bytes())["annotations"])
                   for p in small_store.glob("*/*.json"))
    rows = [
        ("agree", f"agree, {len(ANNOTATORS)} annotators, {in_third:,} annotations in all, "
         f"{third:,} articles", timings["third"], "stats on the same store", 5.0),
        ("agree-each", f"agree, {len(ANNOTATORS)} annotators × {per_annotator:,} annotations, "
         f"{articles:,} articles", timings["all"], "stats on the same store", 5.0),
        ("merge-driver", f"merge driver, a {shard:,}-annotation shard",
         (merge, git_merge, merge_cpu, git_cpu), "git merge-file on the same files", 1.0),
    ]
    lines = ["| row | measured | median | CPU | baseline | baseline median | CPU | ratio | "
             "budget | met |",
             "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |"]
    for name, what, (walls, base_walls, cpu_s, base_cpu), baseline_what, budget in rows:
        value, baseline = statistics.median(walls), statistics.median(base_walls)
        lines.append(f"| {name} | {what} | {value:.3f} s | {cpu_s:.3f} s | {baseline_what} | "
                     f"{baseline:.3f} s | {base_cpu:.3f} s | {value / baseline:.2f}× | "
                     f"≤ {budget:g} s | {'yes' if value <= budget else '**no**'} |")
    lines.append(f"\n{samples} sample(s) each, interleaved; medians of the wall time and of the "
                 f"CPU time (user + system); {machine()}")
    table = "\n".join(lines)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
