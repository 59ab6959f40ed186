"""Generated corpora and stores for the benchmarks: news-like, realistic, reproducible.

Nothing here is committed: :func:`build` writes everything under ``bench/data/`` (gitignored)
from a fixed random seed, and reuses what an earlier run left there when it was made with the
same parameters (a ``.done`` file records them).

- **news-like sentences**: the prose sentences of the five seed articles (real news wire text),
  shuffled into new paragraphs; titles are shortened sentences; every article has a dateline,
  an outlet named in its copyright line (so metadata guessing has real work to do), share
  buttons and a comment-form leftover (boilerplate), and one in ten has a ``.meta.json``
  sidecar.
- **a 1 MB article**: the same sentences until the file holds one million bytes.
- **stores**: annotations made with :meth:`tui.model.Annotation.new` on the real texts (real
  quotes and context), written shard by shard through the store's own storage.

    python bench/generate.py [--quick]     # builds (or reuses) bench/data/
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.corpus import boilerplate_spans, decode, load_article  # noqa: E402
from tui.model import Annotation, Article, Span  # noqa: E402
from tui.sentences import sentence_spans  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
SEED = 20211230
ANNOTATOR = "bench"
TAGS = ("claim", "threat", "denial", "schedule")
OUTLETS = (
    "Reuters", "Bloomberg L.P.", "The Moscow Times", "Deutsche Welle", "Politico Europe",
    "The Kyiv Independent", "Associated Press", "Euronews", "Radio Free Europe", "Al Jazeera",
)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Sizes:
    """How big the generated data is (the full run, or ``--quick`` for the test)."""

    articles: int = 10_000  # the large corpus
    big_bytes: int = 1_000_000  # the long article
    big_annotations: int = 1_000  # annotations in the long article
    export_articles: int = 1_000  # the corpus behind the 100 000-annotation store
    export_annotations: int = 100_000
    list_annotations: int = 5_000  # annotations in the large corpus's store (start-up)

    def label(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


QUICK = Sizes(
    articles=300, big_bytes=60_000, big_annotations=50, export_articles=30,
    export_annotations=600, list_annotations=100,
)


def seed_sentences() -> list[str]:
    """The prose sentences of the seed articles (boilerplate left out), in order."""
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text, _ = decode(path.read_bytes())
        for span in sentence_spans(text, boilerplate_spans(text)):
            sentence = text[span.start : span.end]
            if len(sentence) >= 25 and sentence[-1] in ".!?”\"'":
                sentences.append(sentence)
    return sentences


def _paragraph(rng: random.Random, sentences: list[str]) -> str:
    return " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))


def _title(rng: random.Random, sentences: list[str]) -> str:
    words = rng.choice(sentences).rstrip(".!?”\"'").split()
    return " ".join(words[: rng.randint(5, 11)]).strip(" ,;:“\"'")


def news_article(rng: random.Random, sentences: list[str], number: int) -> tuple[str, dict]:
    """One article's text and its true metadata (title, outlet, date)."""
    outlet = rng.choice(OUTLETS)
    year, month, day = rng.choice((2020, 2021, 2022)), rng.randint(1, 12), rng.randint(1, 28)
    title = _title(rng, sentences)
    lines = [
        title,
        f"{day} {MONTHS[month - 1]}, {year} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        "",
    ]
    for _ in range(rng.randint(6, 24)):
        lines += [_paragraph(rng, sentences), ""]
    lines += ["Share on Facebook", "Leave a Reply", f"© {year} {outlet}. All rights reserved."]
    meta = {"title": title, "outlet": outlet, "date": f"{year}-{month:02d}-{day:02d}"}
    return "\n".join(lines) + "\n", meta


def write_news_corpus(folder: Path, count: int, sentences: list[str], seed: int) -> list[Path]:
    """``count`` news-like articles in ``folder`` (one in ten with a sidecar)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        text, meta = news_article(rng, sentences, number)
        path = folder / f"{number:05d}_{rng.getrandbits(64):016x}.txt"
        path.write_text(text, encoding="utf-8")
        if number % 10 == 7:
            sidecar = path.with_name(path.stem + ".meta.json")
            sidecar.write_text(json.dumps({"title": meta["title"].upper()}), encoding="utf-8")
        paths.append(path)
    return paths


def write_big_article(path: Path, size: int, sentences: list[str], seed: int) -> Path:
    """A news article of at least ``size`` bytes (paragraphs of the seed sentences)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    parts = ["The long read: one phone call, a year of consequences", "31 Dec, 2021 04:08", ""]
    total = sum(len(p.encode()) + 1 for p in parts)
    while total < size:
        paragraph = _paragraph(rng, sentences)
        parts += [paragraph, ""]
        total += len(paragraph.encode()) + 2
    parts += ["© 2021 Reuters. All rights reserved."]
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def random_annotation(rng: random.Random, article: Article, sentences: list[Span]) -> Annotation:
    """A tag on one to three sentences of ``article`` (sometimes a clause of one)."""
    first = rng.randrange(len(sentences))
    last = min(len(sentences) - 1, first + rng.choice((0, 0, 0, 1, 2)))
    span = Span(sentences[first].start, sentences[last].end)
    if rng.random() < 0.2 and len(span) > 30:
        span = Span(span.start, span.start + len(span) // 2)
    return Annotation.new(
        article, span, rng.choice(TAGS), annotator=ANNOTATOR,
        note=rng.choice(("", "", "", "check against the Kremlin readout")),
        id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    )


def write_store(root: Path, annotations: dict[str, list[Annotation]]) -> None:
    """A newsmark store holding ``annotations`` (article id → its annotations)."""
    from tinydb import TinyDB

    from tui.store import ShardStorage, Store

    store = Store(root, annotator=ANNOTATOR)
    for article_id, found in annotations.items():
        if not found:
            continue
        path = store.shard_path(article_id, ANNOTATOR)
        path.parent.mkdir(parents=True, exist_ok=True)
        TinyDB(path, article_id, ANNOTATOR, storage=ShardStorage).insert_multiple(
            a.to_dict() for a in found
        )


def annotate(articles: list[Article], total: int, seed: int) -> dict[str, list[Annotation]]:
    """``total`` annotations spread evenly over ``articles``."""
    rng = random.Random(seed)
    spans = {a.id: sentence_spans(a.text, a.boilerplate) for a in articles}
    found: dict[str, list[Annotation]] = {a.id: [] for a in articles}
    for number in range(total):
        article = articles[number % len(articles)]
        found[article.id].append(random_annotation(rng, article, spans[article.id]))
    return found


@dataclass(frozen=True)
class Data:
    """Where :func:`build` put each piece."""

    root: Path
    news: Path  # the large corpus (folder)
    news_store: Path  # its store (list_annotations over a tenth of the articles)
    big: Path  # a folder: the 1 MB article and two seeds
    big_id: str
    big_store: Path  # big_annotations in the 1 MB article
    export: Path  # the corpus of the 100 000-annotation store
    export_store: Path


def build(sizes: Sizes = Sizes(), root: Path = DATA, *, verbose: bool = True) -> Data:
    """Build (or reuse) every generated corpus and store under ``root``."""
    data = Data(
        root=root, news=root / "news", news_store=root / "news-store", big=root / "big",
        big_id="long_read", big_store=root / "big-store", export=root / "export",
        export_store=root / "export-store",
    )
    done = root / ".done"
    if done.is_file() and done.read_text() == sizes.label():
        return data
    began = time.perf_counter()
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    sentences = seed_sentences()

    write_news_corpus(data.news, sizes.articles, sentences, SEED)
    tenth = sorted(data.news.glob("*.txt"))[:: 10]
    news_articles = [load_article(path) for path in tenth]
    write_store(data.news_store, annotate(news_articles, sizes.list_annotations, SEED + 1))

    big = write_big_article(data.big / f"{data.big_id}.txt", sizes.big_bytes, sentences, SEED)
    for seed_file in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy(seed_file, data.big / seed_file.name)
    write_store(data.big_store, annotate([load_article(big)], sizes.big_annotations, SEED + 2))

    paths = write_news_corpus(data.export, sizes.export_articles, sentences, SEED + 3)
    export_articles = [load_article(path) for path in paths]
    write_store(data.export_store, annotate(export_articles, sizes.export_annotations, SEED + 4))

    done.write_text(sizes.label())
    if verbose:
        print(f"generated {root} in {time.perf_counter() - began:.1f} s", flush=True)
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the benchmarks' generated data.")
    parser.add_argument("--quick", action="store_true", help="tiny sizes (for the test)")
    parser.add_argument("--dir", type=Path, default=DATA, help="where (default: bench/data)")
    args = parser.parse_args(argv)
    build(QUICK if args.quick else Sizes(), args.dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
