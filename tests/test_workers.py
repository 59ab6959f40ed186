"""Work spread over forked processes (tui/workers.py): the parts, their order, and that
``newsmark suggest`` prints and stores the same whatever the number of processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.corpus import load_corpus
from tui.history import rejection_record
from tui.sentences import sentence_spans
from tui.store import Store
from tui.suggest import Rejection, rejection_key
from tui.workers import MIN_PER_PROCESS, can_fork, ordered_map, parts

ROOT = Path(__file__).resolve().parent.parent

needs_fork = pytest.mark.skipif(not can_fork(), reason="this platform cannot fork")


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=12))
def test_parts_are_contiguous_near_equal_and_not_too_small(count: int, jobs: int) -> None:
    items = list(range(count))
    cut = parts(items, jobs)
    assert [x for part in cut for x in part] == items  # every item once, in order
    assert 1 <= len(cut) <= jobs
    sizes = [len(part) for part in cut]
    assert max(sizes) - min(sizes) <= 1
    if len(cut) > 1:
        assert min(sizes) >= MIN_PER_PROCESS


def test_parts_refuse_no_processes() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        parts([1, 2, 3], 0)


@needs_fork
def test_ordered_map_runs_the_parts_in_processes_of_their_own_and_keeps_the_order() -> None:
    prepared = {"offset": 1000}  # made before the fork: the children inherit it

    def work(part):
        return os.getpid(), [prepared["offset"] + x for x in part]

    cut = parts(list(range(80)), 3)
    results = list(ordered_map(work, cut))
    assert [x for _, values in results for x in values] == [1000 + x for x in range(80)]
    pids = [pid for pid, _ in results]
    # The first part here, each other in a process of its own.
    assert pids[0] == os.getpid() and len(set(pids)) == 3
    # One part runs here, with no process started.
    [(pid, values)] = ordered_map(work, parts(list(range(5)), 4))
    assert pid == os.getpid() and values == [1000 + x for x in range(5)]


@needs_fork
@pytest.mark.parametrize("failing", [10, 40])
def test_an_error_in_any_part_reaches_the_caller(failing: int) -> None:
    def work(part):
        if failing in part:
            raise KeyError(f"article {failing}")
        return list(part)

    with pytest.raises(KeyError, match=f"article {failing}"):
        list(ordered_map(work, parts(list(range(64)), 2)))


def test_an_error_whose_constructor_takes_other_arguments_arrives_whole(tmp_path) -> None:
    """A store's error is built from (path, message) but pickles as its message alone: the
    parent must still get that error, of its class, with its path and its one-line message
    (not a TypeError from unpickling it)."""
    from tui.store import DamagedFileError

    shard = tmp_path / "a.json"

    def work(part):
        if 40 in part:
            raise DamagedFileError(shard, f"{shard}: not JSON; move it aside to go on")
        return list(part)

    with pytest.raises(DamagedFileError) as caught:
        list(ordered_map(work, parts(list(range(64)), 2)))
    assert caught.value.path == shard
    assert str(caught.value) == f"{shard}: not JSON; move it aside to go on"


# --------------------------------------------------------------------------- the command


def newsmark(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.fixture
def tagged_corpus(tmp_path: Path) -> tuple[Path, Path]:
    """48 news-like articles (bench/generate.py) with a teammate's tags in six of them (so the
    outlets suggester matches them in every article) and one rejection of the tester's."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    news = tmp_path / "news"
    generate.write_news_corpus(news, 48, generate.seed_sentences(), generate.SEED)
    store_dir = tmp_path / "annotations"
    articles = load_corpus([news]).load_all()
    teammate = Store(store_dir, annotator="alice")
    for article in articles[::8]:
        sentences = sentence_spans(article.text, article.boilerplate)
        for sentence, tag in zip(sentences[2:6], ("claim", "threat", "denial", "schedule"),
                                 strict=False):
            from tui.model import Annotation

            teammate.add(Annotation.new(article, sentence, tag, annotator="alice"))
    return news, store_dir


@needs_fork
def test_suggest_prints_the_same_in_one_process_or_several(tagged_corpus, tmp_path) -> None:
    news, store_dir = tagged_corpus
    common = ["--format", "jsonl", "--corpus", str(news), "--store", str(store_dir)]
    one = newsmark("suggest", "--jobs", "1", *common, cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    rows = [json.loads(line) for line in one.stdout.splitlines()]
    ids = sorted({r["article_id"] for r in rows})
    sources = {r["source"] for r in rows}
    assert {"rules", "dates", "outlets"} <= sources and len(ids) >= 40
    # The tester rejects an outlets suggestion in the last article: in every process count
    # it stays out.
    target = next(r for r in reversed(rows) if r["source"] == "outlets")
    key = rejection_key(target["tag"], target["text"])
    rejection = Rejection(key, target["article_id"], target["tag"], target["source"],
                          target["text"], "tester", "2026-12-03T00:00:00Z")
    Store(store_dir, annotator="tester").put_record(target["article_id"], "rejections",
                                                    rejection_record(rejection))
    outputs = {}
    for jobs in ("1", "2", "3"):
        done = newsmark("suggest", "--jobs", jobs, *common, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        outputs[jobs] = done.stdout
    assert outputs["2"] == outputs["1"] and outputs["3"] == outputs["1"]
    kept = [json.loads(line) for line in outputs["1"].splitlines()]
    assert len(kept) < len(rows) and target not in kept
    assert [r for r in rows if rejection_key(r["tag"], r["text"]) != key
            or r["article_id"] != target["article_id"]] == kept


@needs_fork
def test_suggest_accept_stores_the_same_in_one_process_or_several(tagged_corpus,
                                                                   tmp_path) -> None:
    news, store_dir = tagged_corpus
    stored = {}
    for jobs in ("1", "2"):
        copy = tmp_path / f"store-{jobs}"
        shutil.copytree(store_dir, copy)
        done = newsmark("suggest", "--accept", "--jobs", jobs, "--corpus", str(news),
                        "--store", str(copy), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        store = Store(copy, annotator="tester")
        annotations, problems = store.read_all(load_corpus([news]).ids)
        assert problems == []
        stored[jobs] = (done.stdout, sorted(
            (a.article_id, a.start, a.end, a.tag, a.source, a.score, a.when)
            for a in annotations if a.annotator == "tester"))
    assert stored["1"] == stored["2"]
    assert int(stored["1"][0].split()[0]) == len(stored["1"][1]) > 100


# --------------------------------------------------------------------------- threads

_MATCHING = """
import sys, threading, time
from rapidfuzz import fuzz, process
from tui.workers import in_background

texts = [f"the quick brown fox jumps over the lazy dog {i}" for i in range(2000)]

def work(stopping):
    while not stopping():
        process.cdist(texts[:50], texts, scorer=fuzz.token_set_ratio)

if sys.argv[1] == "background":
    in_background(work, "matching")
else:  # a bare daemon thread, as the reader's suggestions ran before
    threading.Thread(target=work, args=(lambda: False,), daemon=True).start()
time.sleep(0.3)
"""


@pytest.mark.parametrize("how", ["background", "daemon"])
def test_the_process_ends_cleanly_while_a_background_thread_matches(how: str,
                                                                     tmp_path: Path) -> None:
    """A daemon thread inside rapidfuzz's C++ when the interpreter ends aborts the process;
    a background thread is stopped first. (The bare daemon thread shows the test can fail.)"""
    done = subprocess.run([sys.executable, "-c", _MATCHING, how], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    if how == "daemon" and sys.version_info >= (3, 14):
        pytest.skip("Python 3.14 makes such a thread hang at exit instead of aborting")
    if how == "background":
        assert done.returncode == 0 and "FATAL" not in done.stderr, done.stderr
    else:
        assert done.returncode != 0 and "exception not rethrown" in done.stderr


def test_stop_background_tells_each_thread_and_waits_for_it() -> None:
    import threading

    from tui.workers import in_background, stop_background

    seen = []
    started = threading.Event()

    def work(stopping):
        started.set()
        while not stopping():
            threading.Event().wait(0.01)
        seen.append("stopped")

    in_background(work, "test-a")
    in_background(work, "test-b")
    assert started.wait(5)
    assert stop_background(wait=5) and seen == ["stopped", "stopped"]


# --------------------------------------------------------------------------- the index in parts


def _index_state(index):
    import numpy as np

    return (index.units, index.ranges, index.negated, dict(index._vocabulary),
            index._terms_flat.tolist(), index._term_offsets.tolist(),
            np.round(index.idf, 12).tolist(), index.unit_weight.tolist(),
            index._posting_units.tolist(), index._posting_starts.tolist())


@pytest.mark.parametrize("cuts", [[10], [1, 2, 30], [17, 18]])
def test_indexes_built_apart_and_absorbed_are_the_index_built_at_once(cuts, tmp_path) -> None:
    """The parts' own term numbers are mapped to the whole's, each unit's ids sorted again:
    the joined index is the one add() builds article by article (sent through pickle, as
    from a process)."""
    import pickle

    from tui.lexical import LexicalIndex

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate.write_news_corpus(tmp_path / "news", 40, generate.seed_sentences(), generate.SEED)
    articles = load_corpus([tmp_path / "news"]).load_all()
    whole = LexicalIndex()
    for article in articles:
        whole.add(article)
    edges = [0, *cuts, len(articles)]
    joined = LexicalIndex()
    for first, last in zip(edges, edges[1:], strict=False):
        part = LexicalIndex()
        for article in articles[first:last]:
            part.add(article)
        joined.absorb(pickle.loads(pickle.dumps(part)))
    whole.freeze()
    joined.freeze()
    assert _index_state(joined) == _index_state(whole)
    passage = articles[3].text[200:400]
    assert joined.scores(passage).tolist() == whole.scores(passage).tolist()


@needs_fork
def test_an_aligner_prepared_in_processes_matches_as_one_prepared_here(seeds, tmp_path) -> None:
    from tui.compare import Aligner
    from tui.model import Annotation

    shutil.copytree(seeds, tmp_path / "corpus")
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate.write_news_corpus(tmp_path / "corpus" / "more", 36, generate.seed_sentences(),
                               generate.SEED)
    corpus = load_corpus([tmp_path / "corpus"])
    one, many = Aligner(corpus, scorer="lexical"), Aligner(corpus, scorer="lexical")
    assert one.prepare(jobs=1) and many.prepare(jobs=3)
    assert _index_state(many.index) == _index_state(one.index)
    assert many._unit_bounds == one._unit_bounds and many._joined == one._joined
    for article in corpus.load_all():
        assert many.sentences_of(article) == one.sentences_of(article)
        a, b = one.folded(article.id), many.folded(article.id)
        assert (a.text, a.where.tolist()) == (b.text, b.where.tolist())
    first = corpus.load_all()[0]
    for sentence in sentence_spans(first.plain, first.boilerplate)[2:8]:
        tagged = Annotation.new(first, sentence, "claim", annotator="alice")
        assert many.align(tagged) == one.align(tagged)


@needs_fork
def test_the_suggestion_counts_are_the_same_worked_out_in_processes(tagged_corpus) -> None:
    from tui.config import Config
    from tui.stats import suggestion_counts

    news, store_dir = tagged_corpus
    corpus = load_corpus([news])
    store = Store(store_dir, annotator="tester")
    annotations, problems = store.read_all(corpus.ids)
    assert problems == []
    one = suggestion_counts(Config(), corpus, store, annotations, "tester", jobs=1)
    many = suggestion_counts(Config(), corpus, store, annotations, "tester", jobs=3)
    assert many == one
    assert {c.source for c in one} >= {"rules", "dates", "outlets"}
    assert sum(c.suggested for c in one) > 100


@needs_fork
def test_with_the_semantic_scorer_the_processes_only_read_the_embedding_cache(
        tmp_path, monkeypatch) -> None:
    """The tagged passages are embedded before the fork: the processes find them in the
    cache they inherit and write no cache file of their own (two processes writing it could
    lose each other's vectors), and the output is the one process's."""
    pytest.importorskip("onnxruntime")
    from tui.config import Config
    from tui.model import Annotation, Span
    from tui.suggest import Suggestions, pending_in

    monkeypatch.setenv("NEWSMARK_SCORER", "semantic")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    news = tmp_path / "news"
    news.mkdir()
    for number in range(36):
        (news / f"a{number:02}.txt").write_text(
            f"Report {number}\n\nThe ministers will meet in Geneva on January {number % 28 + 1}. "
            f"Officials said the talks in round {number} had no agenda yet.\n", encoding="utf-8")
    corpus = load_corpus([news])
    first = corpus.load_all()[0]
    # Parts of sentences (a whole sentence is in the cache already, as a unit of the corpus).
    tagged = [Annotation.new(first, Span(s.start, s.end - 12), tag, annotator="alice")
              for s, tag in zip(sentence_spans(first.plain, first.boilerplate)[1:],
                                ("schedule", "claim"))]

    def engine() -> Suggestions:
        return Suggestions(Config(), corpus=corpus, annotations=tagged, annotator="tester")

    def cache_files() -> list[tuple[Path, bytes]]:
        return [(p, p.read_bytes()) for p in sorted((tmp_path / "cache").rglob("*.npz"))]

    forked = engine()
    forked.prepare(2)
    from tui.semantic import MODEL_ID, EmbeddingCache

    on_disk = EmbeddingCache(MODEL_ID)  # read afresh from the file
    assert all(on_disk.get(a.text) is not None for a in tagged)
    before = cache_files()
    many = pending_in(forked, corpus.ids, {}, lambda article_id: (), 0.5, 2)
    assert cache_files() == before
    one = pending_in(engine(), corpus.ids, {}, lambda article_id: (), 0.5, 1)
    assert [s.to_dict() for s in many] == [s.to_dict() for s in one]
    assert any(s.source == "outlets" for s in one)
