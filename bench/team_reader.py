"""The reader's per-key figures with five annotators' tags shown (issue 18: "no change").

    python bench/team_reader.py              # j × 300 and tag/untag × 40, in each condition
    python bench/team_reader.py --quick      # few samples: checks that it works

One news-like article (bench/generate.py's, 60 paragraphs) holding 500 annotations, opened in
the app (Pilot, 120×40) and timed per key as bench/run.py times keys (key → handled → screen
repainted):

- **five**: 5 annotators × 100 tags, shown in everyone's view as annotator ``alice`` (others'
  tags as another annotator's, initials in the gutter);
- **one** (the baseline): the same 500 tags all ``alice``'s: what the reader drew before there
  were views.

Keys: ``j`` (the cursor: every key repaints the lines it leaves and enters) and ``1`` (tag the
sentence, then untag it: key → on disk → repainted). The conditions are run in turn, round
after round, so a busy machine slows both alike; medians and their ratio are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import statistics
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
from run import SIZE, timed_key  # noqa: E402

from tui.corpus import load_article  # noqa: E402
from tui.sentences import sentence_spans  # noqa: E402

ANNOTATORS = ("alice", "bob", "carol", "dave", "erin")
PER_ANNOTATOR = 100


def build(root: Path) -> tuple[Path, Path, Path, str]:
    """The article, a store with five annotators' tags and one with the same tags all
    alice's."""
    rng = random.Random(18)
    sentences = generate.seed_sentences()
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    parts = ["Five readers, one article", "31 Dec, 2021 04:08", ""]
    for _ in range(60):
        parts += [generate._paragraph(rng, sentences), ""]
    path = corpus / "team_article.txt"
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    article = load_article(path)
    spans = sentence_spans(article.text, article.boilerplate)
    five: dict[str, list] = {article.id: []}
    for name in ANNOTATORS:
        for _ in range(PER_ANNOTATOR):
            made = generate.random_annotation(rng, article, spans)
            five[article.id].append(replace(made, annotator=name))
    one = {article.id: [replace(a, annotator="alice") for a in five[article.id]]}
    stores = []
    for label, found in (("five", five), ("one", one)):
        store = root / label
        by_name: dict[str, list] = {}
        for annotation in found[article.id]:
            by_name.setdefault(annotation.annotator, []).append(annotation)
        for name, theirs in by_name.items():
            _write(store, article.id, name, theirs)
        stores.append(store)
    return corpus, stores[0], stores[1], article.id


def _write(root: Path, article_id: str, annotator: str, annotations: list) -> None:
    from tinydb import TinyDB

    from tui.store import ShardStorage, Store

    path = Store(root, annotator=annotator).shard_path(article_id, annotator)
    path.parent.mkdir(parents=True, exist_ok=True)
    TinyDB(path, article_id, annotator, storage=ShardStorage).insert_multiple(
        a.to_dict() for a in annotations)


async def keys(corpus: Path, store: Path, cursor: int, tags: int) -> tuple[list[float],
                                                                           list[float], int]:
    """Times of ``j`` × ``cursor`` and of tag/untag × ``tags`` in one app."""
    from tui.app import NewsmarkApp
    from tui.config import Config
    from tui.corpus import load_corpus
    from tui.store import Store
    from tui.widgets.reader import Reader

    app = NewsmarkApp(load_corpus([corpus]), Store(store, annotator="alice"), config=Config(),
                      annotator="alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        reader = app.query_one(Reader)
        shown = len(reader.annotations)
        moves = []
        for _ in range(cursor):
            before = reader.selection
            if reader.selection == reader.sentences[-1]:
                reader._move_to_sentence(0)
                await pilot.pause()
                before = reader.selection
            moves.append(await timed_key(pilot, "j",
                                         lambda before=before: reader.selection != before))
        tagging = []
        total = len(reader.sentences)
        for number in range(tags):
            reader._move_to_sentence((number * 7) % total)
            await pilot.pause()
            for _ in range(2):
                count = len(reader.annotations)
                tagging.append(await timed_key(
                    pilot, "1", lambda count=count: len(reader.annotations) != count))
    return moves, tagging, shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    cursor, tags, rounds = (20, 4, 1) if args.quick else (100, 14, args.rounds)
    root = Path(tempfile.mkdtemp(prefix="newsmark-team-reader-"))
    try:
        corpus, five, one, _ = build(root)
        times: dict[str, tuple[list[float], list[float]]] = {"five": ([], []), "one": ([], [])}
        shown = {}
        for _ in range(rounds):
            for label, store in (("five", five), ("one", one)):
                fresh = root / f"{label}-run"
                shutil.rmtree(fresh, ignore_errors=True)
                shutil.copytree(store, fresh)
                moves, tagging, count = asyncio.run(keys(corpus, fresh, cursor, tags))
                times[label][0].extend(moves)
                times[label][1].extend(tagging)
                shown[label] = count
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"Reader keys, one article with {shown['five']} tags shown (120×40, medians; "
          f"{rounds} round(s))")
    print(f"  {'key':<22} {'five annotators':>16} {'one (baseline)':>15} {'ratio':>6}")
    for index, key in enumerate(("j (cursor)", "1 (tag / untag)")):
        value = statistics.median(times["five"][index]) * 1000
        base = statistics.median(times["one"][index]) * 1000
        print(f"  {key:<22} {value:>13.2f} ms {base:>12.2f} ms {value / base:>6.2f}  "
              f"(n = {len(times['five'][index])})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
