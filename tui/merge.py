"""Merging two versions of one annotation shard, for git (no UI).

``newsmark team init`` registers :func:`main` as a git merge driver for the store's shards
(``.gitattributes``: ``*.json merge=newsmark``). When git has to merge a shard that both sides
changed, it runs ``python -m tui team merge %O %A %B %P %L``: the common ancestor's version, ours
(where the result goes), theirs, the file's path in the repository and the conflict marker size.

The merge is by record id, in every section of the shard (``annotations`` and any other list of
records with an ``id``, such as rejections and done-marks):

- a record added on one side is kept; one added on both sides with the same content is kept
  once — also when the two copies have different ids but the same passage (start, end, tag):
  newsmark toggles a tag off when it is applied twice, so one shard never holds two;
- a record removed on one side and unchanged on the other is removed;
- a record edited on one side and unchanged (or identical) on the other takes the edit;
- a record edited on both sides: the later ``modified`` wins (ties: a fixed order of the
  contents, so every clone merges alike); the other version is kept in the winner's note;
- a record removed on one side and edited on the other is kept (with a note): nothing a person
  did is lost silently, and deleting it again is one key.

The header (``schema``, ``article_id``, ``annotator``) must agree. The result is validated by
the store's own reader before it is written (atomically) over ``%A``. When the driver cannot
merge — a side is damaged or from a newer newsmark, the headers disagree, a non-record value
changed on both sides — it leaves git's own conflict (``git merge-file``'s markers) in ``%A``,
says why on stderr and exits 1, so git reports a conflict as it would without the driver.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .durable import atomic_write
from .model import Annotation
from .store import (
    _GITIGNORE,
    SECTIONS,
    TEAM_ATTRIBUTES_LINE,
    DamagedFileError,
    StoreError,
    _parse_shard,
    _render_shard,
)

__all__ = ["MergeRefused", "MergeResult", "main", "merge_shards"]

_HEADER = ("schema", "article_id", "annotator")
_NOTE_MARK = "[merged: "


class MergeRefused(Exception):
    """The two versions cannot be merged safely; ``str()`` says why, in one line."""


@dataclass
class MergeResult:
    """The merged shard's bytes and what the merge decided that a person should know."""

    data: bytes
    both_edited: int = 0
    kept_despite_removal: int = 0
    duplicates: int = 0
    notes: list[str] = field(default_factory=list)


def _load(data: bytes, path: Path, side: str) -> dict[str, Any] | None:
    """A side's shard as a dict (None for an empty base: no common ancestor), through the
    store's own reader: damaged, newer or ill-named shards are refused."""
    if side == "base" and not data.strip():
        return None
    try:
        shard = _parse_shard(data, path)
    except (DamagedFileError, StoreError) as error:
        raise MergeRefused(f"{side}: {error}") from None
    return {"schema": shard.schema, "article_id": shard.article_id,
            "annotator": shard.annotator, "annotations": shard.records, **shard.sections}


def _canonical(record: dict[str, Any], section: str) -> str:
    if section == "annotations":
        record = Annotation.from_dict(record).to_dict()
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _sections(*docs: dict[str, Any] | None) -> list[str]:
    names: set[str] = set()
    for doc in docs:
        if doc:
            names.update(key for key in doc if key not in _HEADER)
    return sorted(names)


def _is_record_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get("id"), str) for item in value)


def merge_shards(base: bytes, ours: bytes, theirs: bytes, path: str | Path) -> MergeResult:
    """Merge three versions of the shard at ``path`` (the path in the repository, which the
    store's validation checks the header against). Raises :class:`MergeRefused`."""
    path = Path(path)
    o = _load(base, path, "base")
    a = _load(ours, path, "ours")
    b = _load(theirs, path, "theirs")
    assert a is not None and b is not None
    for key in ("article_id", "annotator"):
        values = {doc[key] for doc in (o, a, b) if doc is not None}
        if len(values) > 1:
            raise MergeRefused(f"the versions disagree on {key} ({', '.join(sorted(values))})")
    result = MergeResult(b"")
    merged: dict[str, Any] = {"article_id": a["article_id"], "annotator": a["annotator"]}
    for section in _sections(o, a, b):
        values = [doc.get(section) if doc else None for doc in (o, a, b)]
        present = [v for v in values if v is not None]
        if all(_is_record_list(v) for v in present):
            merged[section] = _merge_records(*(v or [] for v in values), section, result)
            continue
        base_value, our_value, their_value = values
        if our_value == their_value or their_value == base_value:
            chosen = our_value
        elif our_value == base_value:
            chosen = their_value
        else:
            raise MergeRefused(f"both sides changed {section!r} differently")
        if chosen is not None:
            merged[section] = chosen
    records = merged.pop("annotations", [])
    extra = {k: v for k, v in merged.items() if k not in ("article_id", "annotator")}
    unknown = sorted(set(extra) - set(SECTIONS))
    if unknown:
        raise MergeRefused(f"the shard has sections this newsmark does not know "
                           f"({', '.join(unknown)}); upgrade newsmark to merge it")
    data = _render_shard(merged["article_id"], merged["annotator"], records,
                         {name: extra[name] for name in SECTIONS if name in extra})
    try:
        _parse_shard(data, path, merged["article_id"], merged["annotator"])
    except StoreError as error:  # pragma: no cover - a bug of ours: refuse, never write it
        raise MergeRefused(f"the merged shard would not be valid ({error})") from None
    result.data = data
    return result


def _same(first: dict[str, Any] | None, second: dict[str, Any] | None, section: str) -> bool:
    """Whether two versions of a record say the same (an annotation written by an older
    newsmark may lack optional fields that default to what the other spells out)."""
    if first is None or second is None:
        return first is second
    if first == second:
        return True
    return section == "annotations" and _canonical(first, section) == _canonical(second, section)


def _merge_records(base: Sequence[dict[str, Any]], ours: Sequence[dict[str, Any]],
                   theirs: Sequence[dict[str, Any]], section: str, result: MergeResult
                   ) -> list[dict[str, Any]]:
    o = {r["id"]: r for r in base}
    a = {r["id"]: r for r in ours}
    b = {r["id"]: r for r in theirs}
    out: dict[str, dict[str, Any]] = {}
    added: dict[str, str] = {}  # id -> the side that alone added it
    for ident in sorted(o.keys() | a.keys() | b.keys()):
        ro, ra, rb = o.get(ident), a.get(ident), b.get(ident)
        if ra is not None and rb is not None:
            if _same(ra, rb, section) or _same(rb, ro, section):
                out[ident] = ra
            elif _same(ra, ro, section):
                out[ident] = rb
            else:
                out[ident] = _later(ra, rb, section, result)
        elif ra is not None or rb is not None:
            record = ra if ra is not None else rb
            assert record is not None
            if ro is None:
                out[ident] = record
                added[ident] = "a" if ra is not None else "b"
            elif not _same(record, ro, section):
                out[ident] = _noted(record, section, "one copy removed this while another "
                                    "edited it; the edit is kept")
                result.kept_despite_removal += 1
            # else: removed on one side, unchanged on the other: removed.
        # else: removed on both sides.
    if section == "annotations":
        _drop_twins(out, added, result)
    return list(out.values())


def _modified(record: dict[str, Any]) -> str:
    value = record.get("modified")
    return value if isinstance(value, str) else ""


def _later(mine: dict[str, Any], other: dict[str, Any], section: str, result: MergeResult
           ) -> dict[str, Any]:
    """Of two edits of one record, the later (then a fixed order); the other in its note."""
    first, second = sorted((mine, other), key=lambda r: (_modified(r), _canonical(r, section)))
    winner, loser = second, first
    result.both_edited += 1
    if section != "annotations":
        return winner
    return _noted(winner, section, "another edit of " + _describe(loser, winner))


def _describe(loser: dict[str, Any], winner: dict[str, Any]) -> str:
    """What the losing edit said, where it differs from the winner."""
    parts = [f"modified {_modified(loser) or '?'}"]
    if (loser.get("start"), loser.get("end")) != (winner.get("start"), winner.get("end")):
        quote = str(loser.get("text", ""))
        quote = quote if len(quote) <= 60 else quote[:59] + "…"
        parts.append(f"span {loser.get('start')}:{loser.get('end')} “{quote}”")
    if loser.get("tag") != winner.get("tag"):
        parts.append(f"tag {loser.get('tag')}")
    if loser.get("note", "") != winner.get("note", "") and loser.get("note"):
        parts.append(f"note “{_strip_merge_lines(str(loser['note']))}”")
    return ", ".join(parts)


def _strip_merge_lines(note: str) -> str:
    return "\n".join(line for line in note.split("\n") if not line.startswith(_NOTE_MARK))


def _noted(record: dict[str, Any], section: str, text: str) -> dict[str, Any]:
    """``record`` with ``[merged: text]`` as a last line of its note (once)."""
    if section != "annotations":
        return record
    line = f"{_NOTE_MARK}{text}]"
    note = str(record.get("note", ""))
    if line in note.split("\n"):
        return record
    return {**record, "note": f"{note}\n{line}" if note else line}


def _drop_twins(out: dict[str, dict[str, Any]], added: dict[str, str], result: MergeResult
                ) -> None:
    """Annotations of one passage added on both sides under different ids: keep the earlier."""
    by_passage: dict[tuple[Any, Any, Any], dict[str, list[str]]] = {}
    for ident, side in added.items():
        record = out[ident]
        passage = (record.get("start"), record.get("end"), record.get("tag"))
        by_passage.setdefault(passage, {"a": [], "b": []})[side].append(ident)
    for sides in by_passage.values():
        if not sides["a"] or not sides["b"]:
            continue
        idents = sorted(sides["a"] + sides["b"],
                        key=lambda i: (str(out[i].get("created", "")), i))
        keep = idents[0]
        for ident in idents[1:]:
            other = out.pop(ident)
            note = other.get("note")
            if note and note != out[keep].get("note"):
                out[keep] = _noted(out[keep], "annotations",
                                   f"the same passage tagged in another copy, with the note "
                                   f"“{_strip_merge_lines(str(note))}”")
            result.duplicates += 1


def _fall_back(ours: Path, base: Path, theirs: Path, marker_size: str) -> None:
    """Leave git's own conflict in ``ours``: ``git merge-file``'s markers, as without us."""
    command = ["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs"]
    if marker_size.isdigit():
        command.append(f"--marker-size={marker_size}")
    subprocess.run([*command, str(ours), str(base), str(theirs)], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: Sequence[str] | None = None) -> int:
    """The git merge driver: ``BASE OURS THEIRS PATH [MARKER_SIZE]``; 0 merged, 1 conflict."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) not in (4, 5):
        print("newsmark: the merge driver takes BASE OURS THEIRS PATH [MARKER_SIZE] (git "
              "passes them: see `newsmark team init`)", file=sys.stderr)
        return 2
    base, ours, theirs = (Path(p) for p in args[:3])
    path, marker_size = args[3], args[4] if len(args) == 5 else ""
    try:
        result = merge_shards(base.read_bytes(), ours.read_bytes(), theirs.read_bytes(), path)
        # %A is git's own temporary file, which git reads back at once and writes into the
        # work tree itself: replaced whole (never half-written), but no fsync needed.
        atomic_write(ours, result.data, durable=False)
    except (MergeRefused, OSError, UnicodeDecodeError, ValueError) as error:
        _fall_back(ours, base, theirs, marker_size)
        print(f"newsmark: cannot merge {path} by annotation id ({error}); git's conflict is "
              "left as it is: resolve it by hand, then `newsmark check`", file=sys.stderr)
        return 1
    if result.both_edited or result.kept_despite_removal or result.duplicates:
        said = []
        if result.both_edited:
            said.append(f"{result.both_edited} edited on both sides (the later edit kept, the "
                        "other in its note)")
        if result.kept_despite_removal:
            said.append(f"{result.kept_despite_removal} removed on one side and edited on the "
                        "other (kept, with a note)")
        if result.duplicates:
            said.append(f"{result.duplicates} tagged on both sides (kept once)")
        print(f"newsmark: merged {path}: " + "; ".join(said), file=sys.stderr)
    return 0



# --------------------------------------------------------------------------------------------
# Setting a repository up: `newsmark team init`

#: The git attribute line that sends the store's shards to the driver.
ATTRIBUTES_LINE = TEAM_ATTRIBUTES_LINE
_ATTRIBUTES_HEADER = ("# newsmark: merge annotation shards by annotation id (newsmark team init;\n"
                      "# every clone runs `newsmark team init` once: git copies no drivers)\n")
DRIVER_NAME = "newsmark: merge annotation shards by annotation id"


class SetupError(StoreError):
    """``newsmark team init`` cannot set the repository up; one line saying what to do."""


@dataclass
class Installed:
    """What ``team init`` did: the repository, the attributes file, the driver command."""

    toplevel: Path
    attributes: Path
    attributes_written: bool
    driver: str
    config_written: bool


def driver_command(interpreter: str) -> str:
    """The shell command git runs (through ``sh``): this interpreter, by absolute path."""
    import shlex

    return f"{shlex.quote(interpreter)} -m tui.merge %O %A %B %P %L"


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=60, check=False)
    except FileNotFoundError:
        raise SetupError("git is not installed; install it (Debian: apt install git)") from None


def install(store_root: Path, interpreter: str) -> Installed:
    """Set up the git repository that holds ``store_root`` for team work (idempotent).

    Writes ``.gitattributes`` in the store's folder and registers the merge driver in the
    repository's own config (``merge.newsmark.*``), after checking that ``interpreter`` can run
    it from the repository's top, outside any virtualenv.
    """
    import os

    store_root = Path(os.path.abspath(store_root))
    existing = store_root
    while not existing.is_dir():
        if existing.parent == existing:
            break
        existing = existing.parent
    found = _git("rev-parse", "--show-toplevel", cwd=existing)
    if found.returncode != 0:
        raise SetupError(f"{store_root} is not inside a git repository; run `git init` there "
                         "(or clone the team's repository) first")
    toplevel = Path(found.stdout.strip())
    interpreter = os.path.abspath(interpreter)
    # Git runs the driver from the repository's top, through sh, in whatever environment the
    # person merging has: check the interpreter finds newsmark with no virtualenv active.
    clean = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH",
                                                              "PYTHONHOME")}
    clean["PATH"] = "/usr/bin:/bin"
    probe = subprocess.run([interpreter, "-c", "import tui.merge"], cwd=toplevel, env=clean,
                           capture_output=True, text=True, timeout=60, check=False)
    if probe.returncode != 0:
        raise SetupError(f"{interpreter} cannot import newsmark outside this folder; install "
                         "it there (pip install -e .) and run `newsmark team init` again")
    try:
        store_root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise SetupError(f"cannot create {store_root}: {error.strerror}") from None
    attributes = store_root / ".gitattributes"
    try:
        current = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    except OSError as error:
        raise SetupError(f"cannot read {attributes}: {error.strerror}") from None
    lines = [line.strip() for line in current.splitlines()]
    written = False
    if ATTRIBUTES_LINE not in lines:
        text = current if not current or current.endswith("\n") else current + "\n"
        text += ("" if current else _ATTRIBUTES_HEADER) + ATTRIBUTES_LINE + "\n"
        try:
            atomic_write(attributes, text.encode("utf-8"))
        except OSError as error:
            raise SetupError(f"cannot write {attributes}: {error.strerror}") from None
        written = True
    gitignore = store_root / ".gitignore"
    if not gitignore.exists():
        # The store writes it on its first write; here it can be committed with the attributes.
        try:
            atomic_write(gitignore, _GITIGNORE.encode("utf-8"))
        except OSError as error:
            raise SetupError(f"cannot write {gitignore}: {error.strerror}") from None
        written = True
    command = driver_command(interpreter)
    changed = False
    for key, value in (("merge.newsmark.name", DRIVER_NAME), ("merge.newsmark.driver", command)):
        now = _git("config", "--local", "--get", key, cwd=toplevel)
        if now.returncode == 0 and now.stdout.rstrip("\n") == value:
            continue
        done = _git("config", "--local", key, value, cwd=toplevel)
        if done.returncode != 0:
            raise SetupError(f"git config {key} failed in {toplevel}: "
                             f"{done.stderr.strip() or done.stdout.strip()}")
        changed = True
    return Installed(toplevel, attributes, written, command, changed)


if __name__ == "__main__":  # the merge driver, as git runs it: python -m tui.merge ...
    sys.exit(main())
