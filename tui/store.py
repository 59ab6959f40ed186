"""The annotation store: TinyDB made durable, locked and sharded (no Textual).

TinyDB's own ``JSONStorage`` rewrites one file in place, without a lock: two writers, or one
``kill -9`` in the middle of a write, can leave a file nobody can read. This module keeps TinyDB
and adds what it lacks.

On-disk layout (one TinyDB file per article and annotator)::

    annotations/
      .gitignore                      # ignores the store's lock and temporary files
      <article-id>/
        <annotator>.json              # this annotator's annotations of this article
        .<annotator>.json.lock        # the shard's lock (never committed)
        .<annotator>.json.tmp         # only while a write is in flight, or after a crash

Why this shape: a tag rewrites one small file (cost proportional to one article's annotations,
not the corpus), and two people annotating the same article on different machines edit different
files, so sharing ``annotations/`` through git never produces a merge conflict (one annotator
working on two machines still can, as with any file edited twice; ``newsmark team init`` installs
a merge driver for that, see :mod:`tui.merge`). A shard is deleted when its last record of any
kind is removed, and an article without shards is not listed — except in a store set up for
team work (its ``.gitattributes`` has :data:`TEAM_ATTRIBUTES_LINE`), where the emptied shard
stays, with no annotations: git then sees an edit, which the driver merges with the other
machine's, rather than a deletion, which git cannot merge with an edit.

Each shard is pretty, deterministic JSON (UTF-8, two-space indent, sorted keys, annotations in
:func:`tui.model.sort_key` order, a final newline), so ``git diff`` shows one hunk per change::

    {
      "annotations": [ {<Annotation.to_record(), keys sorted>}, ... ],
      "annotator": "alice",
      "article_id": "000_459b4affb575bcd9",
      "schema": 1
    }

**Sections.** Besides its annotations, a shard may hold other lists of flat records, each keyed
by a string ``id`` (see :data:`SECTIONS`): ``rejections`` (suggestions the annotator rejected),
``links`` (alignments between a tagged passage and a span of another article, confirmed or
rejected) and ``status`` (the annotator's status of the article, such as done). A record's
values are strings, integers, finite floats, booleans or null; it carries its ``annotator``.
A section's records are written sorted by ``id``; an empty section is left out of the file, so
a shard without sections is byte for byte what newsmark wrote before sections existed. A shard
that holds a section says ``"schema": 2``: a newsmark that knows only schema 1 refuses it
(:class:`NewerSchemaError`) instead of reading its annotations and dropping the rest when it
next writes. A shard without sections stays ``"schema": 1``, readable by every newsmark. Use
:meth:`Store.records`, :meth:`Store.put_record` and :meth:`Store.remove_record`.

TinyDB sees the same data as its usual ``{"_default": {"1": record, ...}}``, one more table per
section: the :class:`ShardStorage` translates between the two, so document ids (which TinyDB
renumbers freely) never reach the file and cannot cause diffs.

Names: article ids and annotator names become file names by percent-encoding every byte outside
``[A-Za-z0-9_.-]`` (and a leading or trailing dot), so ``../../etc/passwd`` is the single
harmless name ``%2E.%2F..%2Fetc%2Fpasswd``. Very long names are cut and suffixed with ``~`` and
a hash; the file's header still holds the real name. Inside the store, newsmark never writes
through a symbolic link: an article folder that is a link is refused, and lock files are opened
with ``O_NOFOLLOW`` (a cloned repository cannot steer a write outside the store).

Guarantees:

- **Atomic writes.** A shard is written (by :func:`tui.durable.atomic_write`, newsmark's one
  atomic writer) to ``.<name>.tmp`` in the same folder, fsynced, renamed over the old file with
  ``os.replace`` and the folder is fsynced. Readers therefore always see a
  whole old file or a whole new one and need no lock. New files and folders get the mode the
  umask allows (``0o666``/``0o777`` minus umask), so a team can share a group-writable store.
- **Locking.** Every read–modify–write holds an exclusive ``flock`` on the shard's lock file and
  re-reads the shard under it (a fresh TinyDB per operation: no stale cache).
- **Schema version.** Every file carries ``"schema"``. A newer one is refused
  (:class:`NewerSchemaError`); an older one is read and migrated when next written. Schema 0 is
  a plain TinyDB ``JSONStorage`` file (``{"_default": {...}}``); 1 holds annotations only; 2
  also holds sections. A key at the top of a shard that newsmark does not know is damage, not
  ignored (ignoring it would drop it at the next write).
- **Damaged files are never overwritten.** A truncated, non-JSON or ill-formed shard raises
  :class:`DamagedFileError` for its article (reads and writes); :meth:`Store.check` lists it and
  :meth:`Store.repair` moves it aside as ``<name>.json.damaged-<UTC time>``.
- **Signals.** The few system calls that replace a file run with SIGTERM, SIGHUP, SIGINT and
  SIGQUIT blocked (in the calling thread), so a Python handler that raises runs only once the
  file is whole and in place. An app should still install handlers that *do not raise* but ask
  the app to exit, and call :meth:`Store.wait_idle` before exiting so that a write running in a
  worker thread finishes. ``SIGKILL`` cannot be blocked; the atomic rename makes it harmless:
  every write either happened completely or not at all.
"""

from __future__ import annotations

import errno
import hashlib
import json
import math
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import MISSING, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import orjson
from tinydb import Query, TinyDB
from tinydb.storages import Storage

from tui.model import PROVENANCE_FIELDS, Annotation, sort_key

from .durable import atomic_unlink, atomic_write, fsync_dir, signals_deferred
from .errors import UserFacingError
from .jsonout import pretty_json

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: fall back to the filelock package
    fcntl = None  # type: ignore[assignment]

#: The newest shard schema this newsmark reads: 2, written by a shard that holds a section.
SCHEMA_VERSION: int = 2

#: The schema of a shard that holds only annotations (readable by every newsmark since 1).
ANNOTATIONS_SCHEMA: int = 1

#: The sections a shard may hold besides ``annotations``: lists of flat records keyed by ``id``.
SECTIONS: tuple[str, ...] = ("links", "rejections", "status")

_HEADER_KEYS = frozenset({"schema", "article_id", "annotator", "annotations"})
_TOP_KEYS = _HEADER_KEYS | frozenset(SECTIONS)

#: How long a write waits for another process to release a shard before giving up.
LOCK_TIMEOUT = 10.0

#: Files modified this recently are hashed by :meth:`Store.stamp`, because two writes within one
#: timestamp tick can leave equal size and mtime and even a recycled inode (git's "racy" problem).
RACY_SECONDS = 3.0

_TABLE = "_default"
_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.")
_MAX_NAME = 120
_HASH_MARK = "~"
_WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"]
    + [f"COM{i}" for i in range(1, 10)]
    + [f"LPT{i}" for i in range(1, 10)]
)
_GITIGNORE = ("# newsmark's lock and temporary files, and the damaged files `newsmark check "
              "--repair` moved aside: never commit them\n.*.lock\n.*.tmp\n*.damaged-*\n")
#: The line of ``<store>/.gitattributes`` (written by ``newsmark team init``) that sends shards
#: to newsmark's git merge driver; it also makes emptied shards stay (see the module docs).
TEAM_ATTRIBUTES_LINE = "*.json merge=newsmark"


#: How the message of a damaged shard ends: what to do about it (``check --repair`` leaves it
#: out, being that very step).
REPAIR_ADVICE = "; run `newsmark check --repair` to move it aside"


class StoreError(UserFacingError):
    """A store problem meant for the user: ``str(e)`` is one line naming the file and what to do."""


class DamagedFileError(StoreError):
    """A shard that cannot be read safely (truncated, not JSON, wrong shape). Never overwritten."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = Path(path)


class NewerSchemaError(DamagedFileError):
    """A shard written by a newer newsmark: refused (not damaged, so never moved aside)."""


class ReadOnlyStoreError(StoreError):
    """The store cannot be written (read-only folder, full disk, no permission)."""


@dataclass(frozen=True)
class Problem:
    """One file :meth:`Store.check` or :meth:`Store.read_all` found wrong, and why (one line,
    names the file)."""

    path: Path
    message: str


# --------------------------------------------------------------------------------------------
# Names


# A name that is already safe as it is (the ids and names almost every store holds): only
# safe characters, no dot at either end, not too long, not a Windows device name.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_-](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def _plain(name: str) -> bool:
    return (len(name) <= _MAX_NAME and _PLAIN_NAME.fullmatch(name) is not None
            and name.split(".")[0].upper() not in _WINDOWS_RESERVED)


def safe_name(name: str) -> str:
    """``name`` as one file name that cannot escape its folder, reversible by :func:`unsafe_name`.

    Bytes outside ``[A-Za-z0-9_.-]`` become ``%XX``; a leading or trailing dot and Windows device
    names are escaped too. Names longer than 120 characters once encoded are cut and end in
    ``~`` plus 16 hex digits of their sha256 (``~`` never appears otherwise); those cannot be
    decoded and the shard header is the authority.
    """
    if not name:
        raise ValueError("empty name")
    if _plain(name):
        return name
    out = []
    for char in name:
        if char in _SAFE:
            out.append(char)
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))
    encoded = "".join(out)
    if encoded.startswith("."):
        encoded = "%2E" + encoded[1:]
    if encoded.endswith("."):
        encoded = encoded[:-1] + "%2E"
    if encoded.split(".")[0].upper() in _WINDOWS_RESERVED:
        encoded = f"%{ord(encoded[0]):02X}" + encoded[1:]
    if len(encoded) > _MAX_NAME:
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        encoded = encoded[: _MAX_NAME - 17].rstrip("%0123456789ABCDEF") + _HASH_MARK + digest
    return encoded


def unsafe_name(encoded: str) -> str | None:
    """The name :func:`safe_name` turned into ``encoded``, or None if it is not such a name."""
    if not encoded or _HASH_MARK in encoded:
        return None
    if _plain(encoded):
        return encoded  # safe_name leaves such a name as it is
    raw = bytearray()
    i = 0
    while i < len(encoded):
        char = encoded[i]
        if char == "%":
            try:
                raw.append(int(encoded[i + 1 : i + 3], 16))
            except ValueError:
                return None
            i += 3
        else:
            raw.extend(char.encode("utf-8"))
            i += 1
    try:
        name = raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    return name if name and safe_name(name) == encoded else None


# --------------------------------------------------------------------------------------------
# Low-level file operations


def _atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` (see :func:`tui.durable.atomic_write`).

    The temp name is fixed per shard: only the holder of the shard's lock writes it, and a temp
    left by a killed writer is simply removed and recreated (so it gets the umask's mode).
    """
    atomic_write(path, data, temp=path.with_name(f".{path.name}.tmp"))


@contextmanager
def _exclusive_lock(lock_path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``lock_path`` (created if missing) for the block."""
    if fcntl is None:  # pragma: no cover - Windows
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(lock_path), timeout=timeout):
                yield
        except Timeout:
            raise StoreError(
                f"{lock_path} is held by another newsmark for {timeout:.0f} s; try again"
            ) from None
        return
    deadline = time.monotonic() + timeout
    pause = 0.0005
    # O_NOFOLLOW: a lock "file" planted as a symlink (say, in a cloned repository) must not make
    # us create or open a file elsewhere.
    flags = os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | flags, 0o666)
        except PermissionError:
            # A lock file made by a teammate without group write: flock works read-only too.
            fd = os.open(lock_path, os.O_RDONLY | (flags & ~os.O_CREAT))
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"{lock_path} is held by another newsmark for {timeout:.0f} s; "
                            "try again, or end the process that holds it"
                        ) from None
                    time.sleep(pause)
                    pause = min(pause * 2, 0.01)
            # Someone may have deleted the lock file while we waited (e.g. `git clean -X`):
            # then we hold a lock nobody else can see, so start again on the new file.
            try:
                now, held = os.stat(lock_path), os.fstat(fd)
                same = (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)
            except FileNotFoundError:
                same = False
            if same:
                yield
                return
        finally:
            os.close(fd)


# --------------------------------------------------------------------------------------------
# Shards: parsing, validation, migration


def _require(ok: bool, path: Path, what: str) -> None:
    if not ok:
        raise DamagedFileError(
            path, f"{path} is damaged ({what}){REPAIR_ADVICE}"
        )


def _record_problem(record: Any, article_id: str) -> str | None:
    """What is wrong with one stored record, or None. Written for speed: it runs on every read."""
    if type(record) is not dict:
        return "is not an object"
    ident, start, end = record.get("id"), record.get("start"), record.get("end")
    if (
        type(ident) is str
        and ident
        and type(record.get("tag")) is str
        and type(record.get("text")) is str
        and type(start) is int
        and type(end) is int
        and 0 <= start <= end
        and record.get("article_id") == article_id
    ) and ("adjudicated_from" not in record or _is_name_list(record["adjudicated_from"])):
        return None
    if "adjudicated_from" in record and not _is_name_list(record["adjudicated_from"]):
        return "has an 'adjudicated_from' that is not a list of annotator names"
    for key in ("id", "tag", "text"):
        if not isinstance(record.get(key), str):
            return f"has no string {key!r}"
    if not ident:
        return "has an empty id"
    if record.get("article_id") != article_id:
        return f"belongs to article {record.get('article_id')!r}, not {article_id!r}"
    return "has no valid start/end"


def _is_name_list(value: Any) -> bool:
    return type(value) is list and all(type(name) is str and name for name in value)


def _record_key(record: dict[str, Any]) -> tuple[int, int, str, str]:
    # Same order as tui.model.sort_key, without building an Annotation.
    return (record["start"], -record["end"], record["tag"], record["id"])


_NOTHING = object()


def _fast_loads(data: bytes) -> Any:
    """``orjson.loads(data)``, or ``_NOTHING`` if orjson refuses the data (then the standard
    library decides, and explains what is wrong)."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return _NOTHING


def _loads(data: bytes, path: Path) -> Any:
    """Parse a shard with the standard library; a damaged one raises, naming where."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DamagedFileError(
            path,
            f"{path} is damaged (not UTF-8 at byte {error.start}){REPAIR_ADVICE}",
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise DamagedFileError(
            path,
            f"{path} is damaged (not valid JSON at line {error.lineno} column {error.colno}, "
            f"probably truncated){REPAIR_ADVICE}",
        ) from None
    except RecursionError:
        raise DamagedFileError(
            path,
            f"{path} is damaged (JSON nested too deeply to be a shard){REPAIR_ADVICE}",
        ) from None


@dataclass
class _Shard:
    """What a shard file holds once parsed: its header and validated records."""

    schema: int
    article_id: str
    annotator: str
    records: list[dict[str, Any]]
    #: The non-empty sections, by name (see :data:`SECTIONS`).
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _parse_shard(
    data: bytes, path: Path, article_id: str | None = None, annotator: str | None = None
) -> _Shard:
    """Parse and validate a shard's bytes; migrate older schemas in memory.

    ``article_id``/``annotator`` are what the caller expects (None: take the header's, but it
    must still match the file's name).
    """
    _require(bool(data) and not data.isspace(), path, "it is empty, probably truncated")
    doc = _fast_loads(data)
    if doc is _NOTHING:
        doc = _loads(data, path)
    _require(isinstance(doc, dict), path, "not a JSON object")

    if "schema" not in doc:
        # Schema 0: a plain TinyDB JSONStorage file, {"_default": {"1": {...}, ...}}.
        table = doc.get(_TABLE)
        _require(
            isinstance(table, dict) and set(doc) <= {_TABLE},
            path,
            "no schema version and not a TinyDB file",
        )
        _require(all(isinstance(value, dict) for value in table.values()), path, "ill-formed table")
        records = [dict(value) for value in table.values()]
        schema = 0
        decoded_article = unsafe_name(path.parent.name)
        decoded_annotator = unsafe_name(path.name[: -len(".json")])
        file_article = article_id or decoded_article
        file_annotator = annotator or decoded_annotator
        if file_article is None and records and isinstance(records[0], dict):
            file_article = records[0].get("article_id")
        if file_annotator is None and records and isinstance(records[0], dict):
            file_annotator = records[0].get("annotator")
        _require(
            isinstance(file_article, str) and isinstance(file_annotator, str),
            path,
            "cannot tell its article and annotator",
        )
    else:
        schema = doc["schema"]
        _require(type(schema) is int and schema >= 1, path, f"unknown schema {schema!r}")
        if schema > SCHEMA_VERSION:
            raise NewerSchemaError(
                path,
                f"{path} was written by a newer newsmark (schema {schema}; this one reads up to "
                f"{SCHEMA_VERSION}); upgrade newsmark to read or change it",
            )
        file_article, file_annotator = doc.get("article_id"), doc.get("annotator")
        _require(
            isinstance(file_article, str) and isinstance(file_annotator, str),
            path,
            "no article_id/annotator header",
        )
        records = doc.get("annotations")
        _require(isinstance(records, list), path, "'annotations' is not a list")
        if len(doc) > len(_HEADER_KEYS):  # a section, or a key nobody should have written
            unknown = sorted(set(doc) - _TOP_KEYS)
            if unknown:
                _require(
                    False, path,
                    f"unknown key {unknown[0]!r} at its top; newsmark writes only "
                    f"{', '.join(sorted(_TOP_KEYS))}",
                )

    assert isinstance(file_article, str) and isinstance(file_annotator, str)
    _require(
        safe_name(file_article) == path.parent.name if file_article else False,
        path,
        f"it holds article {file_article!r}, which does not belong in {path.parent.name}/",
    )
    _require(
        safe_name(file_annotator) + ".json" == path.name if file_annotator else False,
        path,
        f"it holds annotator {file_annotator!r}, which does not belong in {path.name}",
    )
    if article_id is not None:
        _require(file_article == article_id, path, f"it holds article {file_article!r}")
    if annotator is not None:
        _require(file_annotator == annotator, path, f"it holds annotator {file_annotator!r}")

    seen: set[str] = set()
    for index, record in enumerate(records):
        problem = _record_problem(record, file_article)
        if problem is not None:
            _require(False, path, f"annotation #{index + 1} {problem}")
        seen.add(record["id"])
    if len(seen) != len(records):
        duplicate = next(id for id, n in Counter(r["id"] for r in records).items() if n > 1)
        _require(False, path, f"annotation id {duplicate!r} appears twice")
    sections: dict[str, list[dict[str, Any]]] = {}
    for name in SECTIONS:
        if name in doc:
            section = doc[name]
            _require(isinstance(section, list), path, f"{name!r} is not a list")
            for index, record in enumerate(section):
                problem = _section_record_problem(record, file_annotator)
                if problem is not None:
                    _require(False, path, f"{name} record #{index + 1} {problem}")
            ids = Counter(record["id"] for record in section)
            if len(ids) != len(section):
                duplicate = next(id for id, n in ids.items() if n > 1)
                _require(False, path, f"{name} id {duplicate!r} appears twice")
            if section:
                sections[name] = section
    return _Shard(schema, file_article, file_annotator, records, sections)


_SECTION_VALUES = (str, int, float, bool, type(None))


def _section_record_problem(record: Any, annotator: str) -> str | None:
    """What is wrong with one record of a section (see :data:`SECTIONS`), or None."""
    if type(record) is not dict:
        return "is not an object"
    ident = record.get("id")
    if type(ident) is not str or not ident:
        return "has no string 'id'"
    for key, value in record.items():
        if type(key) is not str:  # pragma: no cover - JSON keys are always strings
            return "has a key that is not a string"
        if not isinstance(value, _SECTION_VALUES):
            return f"{ident!r} is not flat: {key!r} holds {type(value).__name__}"
        if type(value) is float and not math.isfinite(value):
            return f"{ident!r} holds {value!r} in {key!r}, which JSON cannot spell"
    if record.get("annotator", annotator) != annotator:
        return f"{ident!r} belongs to annotator {record['annotator']!r}, not {annotator!r}"
    return None


def _check_section(section: str) -> None:
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}; the sections are {', '.join(SECTIONS)}")


def _read_shard(
    path: Path, article_id: str | None = None, annotator: str | None = None
) -> _Shard | None:
    """The parsed shard at ``path``, or None if there is no such file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror}; check its permissions") from None
    return _parse_shard(data, path, article_id, annotator)


def _render_shard(
    article_id: str,
    annotator: str,
    records: list[dict[str, Any]],
    sections: dict[str, list[dict[str, Any]]] | None = None,
) -> bytes:
    """A shard's bytes: schema 1 with annotations only, schema 2 when a section has records
    (empty sections are left out, records sorted by id)."""
    doc: dict[str, Any] = {
        "schema": ANNOTATIONS_SCHEMA,
        "article_id": article_id,
        "annotator": annotator,
        "annotations": sorted(records, key=_record_key),
    }
    for name, section in (sections or {}).items():
        if section:
            doc[name] = sorted(section, key=lambda record: record["id"])
            doc["schema"] = SCHEMA_VERSION
    return pretty_json(doc, sort_keys=True).encode("utf-8")


class ShardStorage(Storage):
    """A TinyDB storage for one shard: atomic, deterministic writes; validated reads.

    TinyDB sees ``{"_default": {"1": record, ...}}`` and one table per non-empty section (named
    as in :data:`SECTIONS`); the file holds the documented shard shape (see the module
    docstring). One instance serves one locked operation: it caches the parsed file between
    TinyDB's several reads of one operation, and is thrown away afterwards, so it never serves a
    stale copy. A damaged or newer file raises on read, so TinyDB never gets to write over it. A
    write in which every table is empty removes the file, unless ``keep_empty`` (a team store)
    and the file exists: then it stays, with no annotations.
    """

    def __init__(self, path: Path, article_id: str, annotator: str, keep_empty: bool = False
                 ) -> None:
        super().__init__()
        self.path = Path(path)
        self.article_id = article_id
        self.annotator = annotator
        self.keep_empty = keep_empty
        self._cache: dict[str, dict[str, Any]] | None = None
        #: The schema of the file as read (None: no file yet).
        self.loaded_schema: int | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._cache is None:
            shard = _read_shard(self.path, self.article_id, self.annotator)
            if shard is None:
                return None
            self.loaded_schema = shard.schema
            self._cache = {
                name: {str(number): record for number, record in enumerate(records, 1)}
                for name, records in ((_TABLE, shard.records), *shard.sections.items())
            }
        return self._cache

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        records = list(data.get(_TABLE, {}).values())
        sections = {name: list(data.get(name, {}).values()) for name in SECTIONS}
        if records or any(sections.values()) or (self.keep_empty and self.path.exists()):
            _atomic_write(
                self.path, _render_shard(self.article_id, self.annotator, records, sections)
            )
        else:
            atomic_unlink(self.path)
        self._cache = data


# --------------------------------------------------------------------------------------------
# The store


class Store:
    """Annotations on disk, one TinyDB shard per article and annotator (see the module docs).

    ``annotator`` is whose shard new annotations go to when they do not name one. ``root`` is
    created on the first write. Every method is safe to call from several threads and processes
    at once. Errors are :class:`StoreError` subclasses with a one-line message for the user.
    """

    def __init__(self, root: Path | str, *, annotator: str) -> None:
        if not annotator or not annotator.strip():
            raise StoreError("no annotator name; give one with --annotator or set $USER")
        self.root = Path(root)
        self.annotator = annotator
        self.lock_timeout = LOCK_TIMEOUT
        self._busy = 0
        self._idle = threading.Condition()
        self._gitignore_done = False
        self._team: bool | None = None

    def is_team_store(self) -> bool:
        """Whether ``newsmark team init`` set this store up for git (read once per Store)."""
        if self._team is None:
            try:
                text = (self.root / ".gitattributes").read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            self._team = TEAM_ATTRIBUTES_LINE in (line.strip() for line in text.splitlines())
        return self._team

    def __repr__(self) -> str:
        return f"Store({str(self.root)!r}, annotator={self.annotator!r})"

    # -- paths ---------------------------------------------------------------------------------

    def article_dir(self, article_id: str) -> Path:
        """The folder of ``article_id``'s shards (inside :attr:`root`, whatever the id)."""
        if not article_id:
            raise StoreError("an annotation has an empty article id; it cannot be stored")
        return self.root / safe_name(article_id)

    def shard_path(self, article_id: str, annotator: str) -> Path:
        """The file of ``annotator``'s annotations of ``article_id``."""
        if not annotator:
            raise StoreError("an annotation has an empty annotator; it cannot be stored")
        return self.article_dir(article_id) / (safe_name(annotator) + ".json")

    def _shard_paths(self, article_id: str) -> list[Path]:
        folder = self.article_dir(article_id)
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            raise StoreError(f"cannot read {folder}: {error.strerror}") from None
        return [folder / name for name in sorted(names) if _is_shard_name(name)]

    # -- reading -------------------------------------------------------------------------------

    def _shards(self, article_id: str) -> list[_Shard]:
        shards = []
        for path in self._shard_paths(article_id):
            shard = _read_shard(path, article_id, None)
            if shard is not None:
                shards.append(shard)
        return shards

    def annotations(self, article_id: str) -> list[Annotation]:
        """All annotators' annotations of ``article_id``, in :func:`tui.model.sort_key` order.

        Raises :class:`DamagedFileError` (naming the file) if any shard of the article is damaged
        or newer; other articles are unaffected.
        """
        found = [
            _to_annotation(record) for shard in self._shards(article_id) for record in shard.records
        ]
        found.sort(key=sort_key)
        return found

    def get(self, article_id: str, annotation_id: str) -> Annotation | None:
        """The annotation with ``annotation_id`` in ``article_id``, or None."""
        for shard in self._shards(article_id):
            for record in shard.records:
                if record["id"] == annotation_id:
                    return _to_annotation(record)
        return None

    def article_ids(self) -> list[str]:
        """The ids of articles that have at least one shard (damaged ones included), sorted."""
        try:
            entries = sorted(os.scandir(self.root), key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as error:
            raise StoreError(f"cannot read {self.root}: {error.strerror}") from None
        ids = []
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_dir():
                continue
            article_id = unsafe_name(entry.name)
            try:
                shard_names = [name for name in os.listdir(entry.path) if _is_shard_name(name)]
            except OSError:
                continue
            if not shard_names:
                continue
            if article_id is None and _HASH_MARK in entry.name:
                article_id = _article_id_from_headers(Path(entry.path), shard_names)
            if article_id is not None:
                ids.append(article_id)
        return sorted(ids)

    def annotators(self) -> list[str]:
        """The names that have a shard in the store (from the file names), sorted."""
        names = {unsafe_name(path.name[: -len(".json")]) for path in self._all_shard_files()}
        return sorted(name for name in names if name)

    def read_all(
        self, article_ids: Iterable[str] | None = None
    ) -> tuple[list[Annotation], list[Problem]]:
        """Every annotation of ``article_ids`` (default: every article in the store), and what
        could not be read.

        Annotations come article by article (in the order given), each article's in
        :func:`tui.model.sort_key` order. An article with a damaged, newer or unreadable shard
        contributes none of its annotations and one :class:`Problem` (naming the file) instead;
        the other articles are still read. Callers that must not be silently incomplete (an
        export) check that ``problems`` is empty.
        """
        annotations: list[Annotation] = []
        problems: list[Problem] = []
        for article_id in self.article_ids() if article_ids is None else article_ids:
            try:
                annotations.extend(self.annotations(article_id))
            except DamagedFileError as error:
                problems.append(Problem(error.path, str(error)))
            except StoreError as error:
                problems.append(Problem(self.article_dir(article_id), str(error)))
        return annotations, problems

    def counts(self, article_id: str) -> dict[str, int]:
        """How many annotations of ``article_id`` carry each tag (tags in name order)."""
        tally = Counter(
            record["tag"] for shard in self._shards(article_id) for record in shard.records
        )
        return dict(sorted(tally.items()))

    def records(
        self, article_id: str, section: str, annotator: str | None = None
    ) -> list[dict[str, Any]]:
        """The records of ``section`` (one of :data:`SECTIONS`) for ``article_id``: every
        annotator's (by annotator, then id) when ``annotator`` is None, else that one's (by id).

        Each record is a fresh dict carrying its ``annotator``. Raises :class:`DamagedFileError`
        (naming the file) if a shard read is damaged or newer.
        """
        _check_section(section)
        if annotator is None:
            shards = self._shards(article_id)
        else:
            found = _read_shard(self.shard_path(article_id, annotator), article_id, annotator)
            shards = [found] if found is not None else []
        return [
            {**record, "annotator": shard.annotator}
            for shard in shards
            for record in sorted(shard.sections.get(section, ()), key=lambda r: r["id"])
        ]

    def read_article(
        self, article_id: str, section: str
    ) -> tuple[list[Annotation], list[dict[str, Any]]]:
        """:meth:`annotations` and :meth:`records` of one ``section`` of ``article_id``, from
        one read of its shards (``newsmark agree`` reads both for every article)."""
        _check_section(section)
        shards = self._shards(article_id)
        found = [_to_annotation(record) for shard in shards for record in shard.records]
        found.sort(key=sort_key)
        records = [
            {**record, "annotator": shard.annotator}
            for shard in shards
            for record in sorted(shard.sections.get(section, ()), key=lambda r: r["id"])
        ]
        return found, records

    def stamp(self, article_id: str) -> tuple:
        """A cheap token that changes whenever any shard of ``article_id`` changes on disk.

        Built from ``os.stat`` (name, mtime, size, inode); a file changed in the last few seconds
        also contributes a hash of its bytes, because two quick writes can leave the same stat.
        Poll it and reload when it differs.
        """
        now = time.time_ns()
        parts = []
        for path in self._shard_paths(article_id):
            try:
                st = os.stat(path)
            except FileNotFoundError:
                continue
            part: tuple = (path.name, st.st_mtime_ns, st.st_size, st.st_ino)
            if now - st.st_mtime_ns < RACY_SECONDS * 1e9:
                try:
                    part += (hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest(),)
                except OSError:
                    pass
            parts.append(part)
        return tuple(parts)

    # -- writing -------------------------------------------------------------------------------

    def add(self, annotation: Annotation) -> None:
        """Store a new annotation in its annotator's shard; on disk (fsynced) when this returns.

        An annotation without an annotator is stored as :attr:`annotator`'s. Raises
        :class:`StoreError` if the id is already in the article, :class:`DamagedFileError` if a
        shard of the article is damaged, :class:`ReadOnlyStoreError` if it cannot be written.
        """
        if not annotation.annotator:
            annotation = replace(annotation, annotator=self.annotator)
        record = annotation.to_record()
        article_id, annotator = annotation.article_id, annotation.annotator
        with self._writing(article_id, annotator) as (db, others):
            for shard in others:
                if any(record["id"] == annotation.id for record in shard.records):
                    raise StoreError(
                        f"annotation {annotation.id} is already in {article_id!r} "
                        f"({shard.annotator}'s); not added again"
                    )
            if any(r["id"] == annotation.id for r in _records(db)):
                raise StoreError(
                    f"annotation {annotation.id} is already in {article_id!r}; not added again"
                )
            db.insert(record)

    def update(self, annotation: Annotation) -> None:
        """Replace the stored annotation with the same id (in its annotator's shard).

        Raises :class:`StoreError` if that shard has no such annotation.
        """
        annotator = annotation.annotator or self.annotator
        annotation = replace(annotation, annotator=annotator)
        with self._writing(annotation.article_id, annotator) as (db, _):
            table = db.table(_TABLE)
            found = table.search(Query().id == annotation.id)
            if not found:
                raise StoreError(
                    f"annotation {annotation.id} is not in {annotation.article_id!r} "
                    f"({annotator}'s); it may have been deleted elsewhere"
                )
            table.update(_replace_with(annotation.to_record()), doc_ids=[found[0].doc_id])

    def remove(self, article_id: str, annotation_id: str) -> Annotation | None:
        """Delete the annotation from whichever shard holds it; return it (None if absent)."""
        for _ in range(3):
            holder = None
            for shard in self._shards(article_id):
                if any(record["id"] == annotation_id for record in shard.records):
                    holder = shard.annotator
                    break
            if holder is None:
                return None
            with self._writing(article_id, holder) as (db, _):
                removed = db.search(Query().id == annotation_id)
                if removed:
                    db.remove(doc_ids=[removed[0].doc_id])
                    return Annotation.from_dict(dict(removed[0]))
            # Another process moved or removed it between the scan and the lock: look again.
        return None

    def apply(
        self,
        article_id: str,
        annotator: str,
        *,
        put: Iterable[Annotation] = (),
        remove: Iterable[str] = (),
    ) -> bool:
        """Change many annotations of one shard in one locked write (``newsmark adjudicate``).

        Each annotation of ``put`` is added to ``annotator``'s shard of ``article_id``, or
        replaces the one with its id there; each id of ``remove`` is deleted. Returns False
        (and writes nothing) when that changes nothing. Raises :class:`StoreError` if an id of
        ``put`` is another annotator's in this article.
        """
        put = [replace(a, annotator=annotator) if a.annotator != annotator else a for a in put]
        for annotation in put:
            if annotation.article_id != article_id:
                raise StoreError(f"annotation {annotation.id} belongs to "
                                 f"{annotation.article_id!r}, not {article_id!r}")
        gone = set(remove)
        with self._writing(article_id, annotator) as (db, others):
            theirs = {record["id"] for shard in others for record in shard.records}
            clash = next((a.id for a in put if a.id in theirs), None)
            if clash is not None:
                raise StoreError(f"annotation {clash} is already in {article_id!r} as another "
                                 "annotator's; not written")
            records = {record["id"]: record for record in _records(db)}
            before = dict(records)
            for annotation in put:
                records[annotation.id] = annotation.to_record()
            for ident in gone:
                records.pop(ident, None)
            if records == before:
                return False
            # The other tables (the shard's sections) are written back as they were.
            tables = dict(db.storage.read() or {})
            tables[_TABLE] = {str(n): r for n, r in enumerate(records.values(), 1)}
            db.storage.write(tables)
            return True

    def put_record(
        self, article_id: str, section: str, record: dict[str, Any], annotator: str | None = None
    ) -> None:
        """Add ``record`` to ``section`` of ``article_id``, or replace the one with its ``id``;
        on disk (fsynced) when this returns.

        It goes to ``annotator``'s shard: by default the record's own ``annotator``, else
        :attr:`annotator`; it is stored carrying that name. A record is flat: a non-empty string
        ``id`` and values that are strings, integers, finite floats, booleans or None (else
        ``ValueError``, and nothing is written). Raises as :meth:`add` does for damaged shards
        and stores that cannot be written.
        """
        _check_section(section)
        owner = annotator or record.get("annotator") or self.annotator
        if not isinstance(owner, str):
            raise ValueError(f"the annotator of a record is a string, not {owner!r}")
        if record.get("annotator", owner) != owner:
            raise ValueError(
                f"record {record.get('id')!r} names annotator {record['annotator']!r}, "
                f"not {owner!r}"
            )
        stored = {**record, "annotator": owner}
        problem = _section_record_problem(stored, owner)
        if problem is not None:
            raise ValueError(f"a {section} record {problem}")
        with self._writing(article_id, owner) as (db, _):
            table = db.table(section)
            found = table.search(Query().id == stored["id"])
            if found:
                table.update(_replace_with(stored), doc_ids=[found[0].doc_id])
            else:
                table.insert(stored)

    def remove_record(
        self, article_id: str, section: str, record_id: str, annotator: str | None = None
    ) -> dict[str, Any] | None:
        """Delete the record ``record_id`` from ``section`` of ``annotator``'s shard (default
        :attr:`annotator`); return it (None if there was none). The shard is deleted when it
        holds nothing else."""
        _check_section(section)
        owner = annotator or self.annotator
        if not os.path.lexists(self.shard_path(article_id, owner)):
            return None  # nothing to remove: create no folder, take no lock
        with self._writing(article_id, owner) as (db, _):
            table = db.table(section)
            found = table.search(Query().id == record_id)
            if not found:
                return None
            table.remove(doc_ids=[found[0].doc_id])
            return {**found[0], "annotator": owner}

    @contextmanager
    def _writing(self, article_id: str, annotator: str) -> Iterator[tuple[TinyDB, list[_Shard]]]:
        """Lock one shard; yield a fresh TinyDB on it and the article's other shards.

        Reading the other shards refuses any write to an article with a damaged or newer shard
        (the UI shows that article as unavailable) and lets ``add`` keep ids unique across
        annotators. OS errors become :class:`ReadOnlyStoreError`.
        """
        path = self.shard_path(article_id, annotator)
        with self._idle:
            self._busy += 1
        try:
            with ExitStack() as stack:
                for attempt in range(3):
                    self._make_dirs(path.parent)
                    try:
                        stack.enter_context(
                            _exclusive_lock(self._lock_path(path), self.lock_timeout)
                        )
                        break
                    except FileNotFoundError:
                        # The folder vanished meanwhile (a `git checkout`, a repair): again.
                        if attempt == 2:
                            raise
                    except OSError as error:
                        raise self._write_error(path, error) from None
                try:
                    others = [
                        shard
                        for other in self._shard_paths(article_id)
                        if other != path
                        for shard in [_read_shard(other, article_id)]
                        if shard is not None
                    ]
                    db = TinyDB(path, article_id, annotator, self.is_team_store(),
                                storage=ShardStorage)
                    db.storage.read()  # reads and validates this shard before any change
                    yield db, others
                except OSError as error:
                    raise self._write_error(path, error) from None
        except FileNotFoundError as error:
            raise self._write_error(path, error) from None
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until no write of this Store is in progress (in any thread); False on timeout.

        An app that exits on SIGTERM/SIGHUP calls this first, so a write that a worker thread
        started is finished, not cut off.
        """
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    @staticmethod
    def _lock_path(path: Path) -> Path:
        return path.with_name(f".{path.name}.lock")

    def _make_dirs(self, folder: Path) -> None:
        """Create ``folder`` (and the root) if needed, durably, with the umask's mode.

        Refuses an article folder that is a symbolic link: a shared or cloned store must not
        be able to steer writes outside itself. Also writes the root's ``.gitignore`` (lock and
        temp files) once per Store if it is missing.
        """
        try:
            if not folder.is_dir():
                missing = []
                current = folder
                while not current.is_dir():
                    missing.append(current)
                    if current.parent == current:
                        break
                    current = current.parent
                for directory in reversed(missing):
                    try:
                        os.mkdir(directory, 0o777)
                    except FileExistsError:
                        if not directory.is_dir():
                            raise
                        continue
                    fsync_dir(directory.parent)
            if folder.is_symlink():
                raise StoreError(
                    f"{folder} is a symbolic link; newsmark writes only real folders inside "
                    f"{self.root} (replace the link by a folder)"
                )
            if not self._gitignore_done:
                gitignore = self.root / ".gitignore"
                if not os.path.lexists(gitignore):
                    # Locked like a shard: the temp name is fixed, and a team may start at once.
                    with _exclusive_lock(self.root / ".gitignore.lock", self.lock_timeout):
                        if not os.path.lexists(gitignore):
                            _atomic_write(gitignore, _GITIGNORE.encode())
                self._gitignore_done = True
        except OSError as error:
            raise self._write_error(folder, error) from None

    @staticmethod
    def _write_error(path: Path, error: OSError) -> StoreError:
        reason = error.strerror or str(error)
        if error.errno in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)):
            advice = "free some space; annotations are read-only until then"
        else:
            advice = "annotations are read-only until it can be written"
        return ReadOnlyStoreError(f"cannot write {path}: {reason}; {advice}")

    # -- health --------------------------------------------------------------------------------

    def check(self) -> list[Problem]:
        """Every shard that cannot be read (damaged, newer schema, misnamed), sorted by path."""
        problems = []
        for path in self._all_shard_files():
            found = _problem_with(path)
            if found is not None:
                problems.append(Problem(path, found[1]))
        return problems

    def repair(self) -> list[tuple[Path, Path]]:
        """Move every damaged shard aside as ``<name>.damaged-<UTC time>``, keeping its bytes.

        Files from a newer newsmark are not damaged and stay where they are. Returns
        ``(old path, new path)`` pairs.
        """
        moved = []
        for problem in self.check():
            path = problem.path
            if not path.name.endswith(".json") or not _is_shard_name(path.name):
                continue
            try:
                with _exclusive_lock(self._lock_path(path), self.lock_timeout):
                    # Under the lock, the file may have been repaired by someone else meanwhile.
                    current = _problem_with(path)
                    if current is None or current[0] != "damaged":
                        continue
                    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
                    target = path.with_name(f"{path.name}.damaged-{stamp}")
                    counter = 1
                    while target.exists():
                        counter += 1
                        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
                    with signals_deferred():
                        os.rename(path, target)
                        fsync_dir(path.parent)
                    moved.append((path, target))
            except OSError as error:
                raise self._write_error(path, error) from None
        return moved

    def is_writable(self) -> bool:
        """Whether a write would succeed now: creates and removes a small probe file.

        Probes the root, or (if it does not exist yet) the nearest existing folder above it,
        without creating the root.
        """
        folder = self.root
        while not folder.exists():
            if folder.parent == folder:
                return False
            folder = folder.parent
        if not folder.is_dir():
            return False
        probe = folder / f".newsmark-probe-{os.getpid()}-{threading.get_ident()}.tmp"
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                os.write(fd, b"\0" * 4096)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            return False
        finally:
            try:
                os.unlink(probe)
            except OSError:
                pass
        return True

    def _all_shard_files(self) -> list[Path]:
        paths = []
        try:
            folders = sorted(os.scandir(self.root), key=lambda entry: entry.name)
        except (FileNotFoundError, NotADirectoryError):
            return []
        for folder in folders:
            if folder.name.startswith(".") or not folder.is_dir():
                continue
            for name in sorted(os.listdir(folder.path)):
                if name.endswith(".json") and not name.startswith("."):
                    paths.append(Path(folder.path) / name)
        return paths


def _problem_with(path: Path) -> tuple[str, str] | None:
    """``(kind, message)`` if the shard at ``path`` cannot be used, else None.

    ``kind`` is "damaged" (repair moves it aside), "newer", "misnamed" or "unreadable" (left
    alone: the data is fine or the fix is the user's).
    """
    folder = path.parent.name
    if unsafe_name(folder) is None and _HASH_MARK not in folder:
        return (
            "misnamed",
            f"{path}: folder {folder!r} is not a name newsmark writes, so it is never read; "
            "move the file into its article's folder",
        )
    stem = path.name[: -len(".json")]
    if unsafe_name(stem) is None and _HASH_MARK not in stem:
        return (
            "misnamed",
            f"{path}: {path.name!r} is not a name newsmark writes, so it is never read; rename it "
            f"to <annotator>.json (e.g. {safe_name(stem)}.json)",
        )
    try:
        _read_shard(path)
    except NewerSchemaError as error:
        return ("newer", str(error))
    except DamagedFileError as error:
        return ("damaged", str(error))
    except StoreError as error:
        return ("unreadable", str(error))
    return None


def _is_shard_name(name: str) -> bool:
    return (
        name.endswith(".json")
        and not name.startswith(".")
        and (unsafe_name(name[:-5]) is not None or _HASH_MARK in name)
    )


def _article_id_from_headers(folder: Path, shard_names: list[str]) -> str | None:
    for name in sorted(shard_names):
        try:
            shard = _read_shard(folder / name)
        except StoreError:
            continue
        if shard is not None:
            return shard.article_id
    return None


def _records(db: TinyDB) -> Iterable[dict[str, Any]]:
    """The records of a shard's TinyDB as its storage read them (under the shard's lock)."""
    return (db.storage.read() or {}).get(_TABLE, {}).values()


_FIELDS = frozenset(Annotation.__dataclass_fields__)
_DEFAULTS = {
    name: spec.default
    for name, spec in Annotation.__dataclass_fields__.items()
    if spec.default is not MISSING
}
_REQUIRED = _FIELDS - _DEFAULTS.keys()
# Records of hand-made annotations leave out the provenance fields (Annotation.to_record).
_PROVENANCE = {name: _DEFAULTS[name] for name in PROVENANCE_FIELDS}
_COMPACT = _FIELDS - _PROVENANCE.keys()
# Loading 100 000 annotations for an export spends most of its time in the frozen dataclass's
# __init__ (one object.__setattr__ per field). A complete, validated record can fill the
# instance dict directly, which is what __init__ would do; only while Annotation stays a plain
# frozen dataclass without __post_init__ or __slots__ (checked here, and by a test).
_DIRECT = not hasattr(Annotation, "__post_init__") and not hasattr(Annotation, "__slots__")


def _to_annotation(record: dict[str, Any]) -> Annotation:
    """The :class:`Annotation` of a validated record (like ``Annotation.from_dict``, faster)."""
    curated = record.get("adjudicated_from")
    if curated is not None:  # a curated annotation: JSON has a list, the model a tuple
        record = {**record, "adjudicated_from": tuple(curated)}
    if _DIRECT and _FIELDS == record.keys():
        annotation = object.__new__(Annotation)
        annotation.__dict__.update(record)
        return annotation
    if _DIRECT and _COMPACT == record.keys():  # a hand-made one: no provenance keys stored
        annotation = object.__new__(Annotation)
        annotation.__dict__.update(_PROVENANCE)
        annotation.__dict__.update(record)
        return annotation
    if record.keys() <= _FIELDS and _REQUIRED <= record.keys():
        return Annotation(**record)
    return Annotation.from_dict(record)


def _replace_with(record: dict[str, Any]):  # noqa: ANN202 - a TinyDB update operation
    def transform(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(record)

    return transform
