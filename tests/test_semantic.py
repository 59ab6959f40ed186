"""The semantic extra, with the real model (installed with the tests): embeddings, the cache,
and the compare matrix on them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tui import semantic
from tui.cli import main
from tui.compare import Aligner, Weights, compare, resolve_scorer
from tui.corpus import load_corpus
from tui.model import Annotation, Span

pytestmark = pytest.mark.skipif(
    not semantic.available(),
    reason="the semantic extra is not installed (pip install -e '.[test]' installs it)")


class Counting:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self.inner = semantic.load_embedder()
        self.model_id = self.inner.model_id
        self.dim = self.inner.dim
        self.texts: list[str] = []

    def embed(self, texts):  # noqa: ANN001, ANN201
        self.texts.extend(texts)
        return self.inner.embed(texts)


def test_embeddings_are_normalised_and_see_paraphrase() -> None:
    vectors = semantic.load_embedder().embed([
        "Russia has no intention of invading Ukraine.",
        "Moscow denies it plans to attack its neighbour.",
        "The ship was freed by tugboats at high tide.",
    ])
    assert vectors.shape == (3, semantic.MiniLM.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > other + 0.3


def test_the_cache_is_read_back_and_survives_damage(tmp_path: Path) -> None:
    embedder = Counting()
    texts = ["Talks start in Geneva.", "Sanctions will follow.", "Talks start in Geneva."]
    cache = semantic.EmbeddingCache(embedder.model_id, tmp_path)
    seen: list[tuple[int, int]] = []
    first = semantic.embed_cached(embedder, texts, cache, progress=lambda d, t: seen.append((d, t)))
    assert first is not None and np.allclose(first[0], first[2])
    assert sorted(embedder.texts) == ["Sanctions will follow.", "Talks start in Geneva."]
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    # A second process (a new cache object on the same folder) computes nothing.
    embedder.texts.clear()
    again = semantic.embed_cached(embedder, texts, semantic.EmbeddingCache(embedder.model_id,
                                                                           tmp_path))
    assert embedder.texts == [] and np.allclose(again, first, atol=2e-3)  # stored as float16
    # Keyed by model too: another model id shares nothing.
    assert semantic.EmbeddingCache("another-model", tmp_path).get(texts[0]) is None
    # A damaged file is ignored (and replaced on the next save), never an error.
    cache.path.write_bytes(b"not a cache")
    damaged = semantic.EmbeddingCache(embedder.model_id, tmp_path)
    assert len(damaged) == 0
    assert semantic.embed_cached(embedder, texts[:1], damaged) is not None
    assert len(semantic.EmbeddingCache(embedder.model_id, tmp_path)) == 1


def test_a_cancelled_embedding_keeps_what_it_computed(tmp_path: Path) -> None:
    embedder = Counting()
    texts = [f"Sentence number {n} about the talks." for n in range(semantic.BATCH + 5)]
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 1  # after the first batch

    cache = semantic.EmbeddingCache(embedder.model_id, tmp_path)
    assert semantic.embed_cached(embedder, texts, cache, cancelled=cancelled) is None
    assert len(semantic.EmbeddingCache(embedder.model_id, tmp_path)) == semantic.BATCH


def test_the_semantic_scorer_finds_what_the_words_do_not_say(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Report A\n\nRussia has no intention of invading Ukraine, the Kremlin said.\n\n"
        "Markets were calm.\n", encoding="utf-8")
    (folder / "b.txt").write_text(
        "Report B\n\nThe weather in Geneva was fine. Moscow insisted it would not attack its "
        "neighbour. Prices of grain rose.\n", encoding="utf-8")
    corpus = load_corpus([folder])
    article = corpus.get("a")
    quote = "Russia has no intention of invading Ukraine, the Kremlin said."
    start = article.text.index(quote)
    annotation = Annotation.new(article, Span(start, start + len(quote)), "denial",
                                annotator="tester")
    seen: list[tuple[int, int]] = []
    aligner = Aligner(corpus, scorer="semantic", cache_folder=tmp_path / "cache")
    matrix = compare(corpus, [annotation], aligner=aligner,
                     progress=lambda d, t: seen.append((d, t)))
    cell = matrix.rows[0].cells["b"].match
    text = corpus.get("b").text
    assert text[cell.span.start : cell.span.end] == (
        "Moscow insisted it would not attack its neighbour.")
    lexical = Aligner(corpus, scorer="lexical").match(quote, "b")
    assert cell.score > lexical.score
    # Progress: two articles read, then their sentences embedded, then the passage.
    assert seen[0] == (1, 3) and seen[-1][0] == seen[-1][1]
    assert seen[-1][1] > 3



def test_a_run_from_the_cache_never_loads_the_model(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Report A\n\nTalks will start in Geneva on Monday.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("Report B\n\nThe negotiations open in Geneva next week.\n",
                                  encoding="utf-8")
    corpus = load_corpus([folder])
    article = corpus.get("a")
    quote = "Talks will start in Geneva on Monday."
    start = article.text.index(quote)
    annotation = Annotation.new(article, Span(start, start + len(quote)), "schedule",
                                annotator="tester")
    cache = tmp_path / "cache"
    first = compare(corpus, [annotation], aligner=Aligner(corpus, scorer="semantic",
                                                          cache_folder=cache))

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the model was loaded")

    # A new process: nothing loaded, and loading fails.
    monkeypatch.setattr(semantic, "_LOADED", {})
    monkeypatch.setattr(semantic, "MiniLM", no_model)
    again = compare(corpus, [annotation], aligner=Aligner(corpus, scorer="semantic",
                                                          cache_folder=cache))
    assert again.rows[0].cells["b"].match == first.rows[0].cells["b"].match
    # A sentence the cache lacks does load it.
    other = Annotation.new(article, Span(start, start + 11), "schedule", annotator="tester")
    with pytest.raises(AssertionError, match="the model was loaded"):
        compare(corpus, [other], aligner=Aligner(corpus, scorer="semantic", cache_folder=cache))


def test_a_pair_of_sentences_is_embedded_as_one_text(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Report A\n\nThe ship was refloated at dawn. Tugboats pulled it free of the bank.\n",
        encoding="utf-8")
    corpus = load_corpus([folder])
    text = corpus.get("a").text
    embedder = Counting()
    aligner = Aligner(corpus, scorer="semantic", cache_folder=tmp_path / "cache")
    aligner.prepare()
    units = aligner.index.units
    pair = next(n for n, u in enumerate(units) if u.kind == "pair")
    one, two = (next(n for n, u in enumerate(units) if u.kind == "sentence"
                     and u.sentences == (s,)) for s in units[pair].sentences)
    vectors = aligner._vectors
    own = embedder.embed([text[units[pair].start : units[pair].end]])[0]
    mean = vectors[one] + vectors[two]
    mean /= np.linalg.norm(mean)
    assert np.allclose(vectors[pair], own, atol=3e-3)  # cached as float16
    assert not np.allclose(vectors[pair], mean, atol=3e-2)
    # The structure before, for the bench: the mean of the two.
    before = Aligner(corpus, scorer="semantic", cache_folder=tmp_path / "cache",
                     weights=Weights(pair_vectors=False))
    before.prepare()
    assert np.allclose(before._vectors[pair], mean, atol=1e-3)

def test_scorer_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSMARK_SCORER", raising=False)
    assert resolve_scorer("auto") == "semantic"
    monkeypatch.setenv("NEWSMARK_SCORER", "lexical")
    assert resolve_scorer("auto") == "lexical"
    assert resolve_scorer("semantic") == "semantic"
    with pytest.raises(ValueError, match="unknown scorer"):
        resolve_scorer("magic")


def test_cli_compare_with_the_semantic_scorer(seeds: Path, store_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["add", "002_a34abba263e9470d", "threat", "--quote",
                 "She said Biden warned that the US and its allies will “respond decisively” "
                 "if Russia invades Ukraine.", *common]) == 0
    capsys.readouterr()
    assert main(["compare", "--scorer", "semantic", "--format", "json", *common]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scorer"] == "semantic"
    cells = data["rows"][0]["cells"]
    assert cells["003_9b9a3ba666ff02ad"]["text"].startswith("Biden, for one, reaffirmed")
