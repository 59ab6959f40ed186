"""The annotation store on real files: API, layout, names, schema, damage, read-only stores.

Concurrency and kill tests with real processes are in ``test_store_torture.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from tui.model import Annotation, Article, Span, sort_key
from tui.store import (
    ANNOTATIONS_SCHEMA,
    SCHEMA_VERSION,
    DamagedFileError,
    NewerSchemaError,
    Problem,
    ReadOnlyStoreError,
    Store,
    StoreError,
    safe_name,
    unsafe_name,
)

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HELPERS = Path(__file__).resolve().parent / "helpers"


def seed_article(index: int = 0) -> Article:
    path = sorted(SEEDS.glob("*.txt"))[index]
    return Article(id=path.stem, path=path, text=path.read_text(encoding="utf-8"))


@pytest.fixture
def article() -> Article:
    return seed_article(0)


@pytest.fixture
def other_article() -> Article:
    return seed_article(2)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "annotations", annotator="alice")


def tag(article: Article, start: int, end: int, name: str = "claim", **kw) -> Annotation:
    kw.setdefault("annotator", "alice")
    return Annotation.new(article, Span(start, end), name, **kw)


def shard_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if not p.name.startswith("."))


# -- the API -----------------------------------------------------------------------------------


def test_add_then_read_back_in_text_order(store: Store, article: Article) -> None:
    made = [tag(article, 50, 60), tag(article, 10, 40, "threat"), tag(article, 10, 20, "denial")]
    for annotation in made:
        store.add(annotation)
    assert store.annotations(article.id) == sorted(made, key=sort_key)
    assert store.get(article.id, made[1].id) == made[1]
    assert store.get(article.id, "no-such-id") is None
    assert store.counts(article.id) == {"claim": 1, "denial": 1, "threat": 1}
    assert store.article_ids() == [article.id]


def test_store_creates_root_lazily(tmp_path: Path, article: Article) -> None:
    store = Store(tmp_path / "deep" / "annotations", annotator="alice")
    assert store.annotations(article.id) == []
    assert store.article_ids() == []
    assert store.check() == []
    assert store.is_writable()
    assert not (tmp_path / "deep").exists()
    store.add(tag(article, 0, 5))
    assert (tmp_path / "deep" / "annotations" / ".gitignore").read_text().count(".lock")


def test_one_shard_per_article_and_annotator(
    store: Store, article: Article, other_article: Article
) -> None:
    store.add(tag(article, 0, 5, annotator="alice"))
    store.add(tag(article, 5, 9, annotator="bob"))
    store.add(tag(other_article, 0, 5, annotator="bob"))
    root = store.root
    assert shard_files(root) == [
        root / article.id / "alice.json",
        root / article.id / "bob.json",
        root / other_article.id / "bob.json",
    ]
    bob = json.loads((root / article.id / "bob.json").read_text())
    assert [a["annotator"] for a in bob["annotations"]] == ["bob"]
    assert [a.annotator for a in store.annotations(article.id)] == ["alice", "bob"]
    assert store.article_ids() == sorted([article.id, other_article.id])


def test_annotation_without_annotator_goes_to_the_store_annotator(
    store: Store, article: Article
) -> None:
    store.add(tag(article, 0, 5, annotator=""))
    (stored,) = store.annotations(article.id)
    assert stored.annotator == "alice"
    assert (store.root / article.id / "alice.json").exists()


def test_duplicate_id_is_refused_even_across_annotators(store: Store, article: Article) -> None:
    first = tag(article, 0, 5, annotator="alice")
    store.add(first)
    with pytest.raises(StoreError, match="already in"):
        store.add(first)
    with pytest.raises(StoreError, match="already in"):
        store.add(tag(article, 9, 12, annotator="bob", id=first.id))
    assert store.annotations(article.id) == [first]


def test_update_replaces_the_record(store: Store, article: Article) -> None:
    first = tag(article, 0, 5)
    store.add(first)
    changed = first.changed(tag="threat", note="quoted twice")
    store.update(changed)
    assert store.annotations(article.id) == [changed]
    with pytest.raises(StoreError, match="not in"):
        store.update(tag(article, 1, 2))
    with pytest.raises(StoreError, match="not in"):
        store.update(changed.changed(annotator="bob"))


def test_remove_from_whichever_shard_holds_it(store: Store, article: Article) -> None:
    mine, theirs = tag(article, 0, 5), tag(article, 5, 9, annotator="bob")
    store.add(mine)
    store.add(theirs)
    assert store.remove(article.id, theirs.id) == theirs
    assert store.remove(article.id, theirs.id) is None
    assert store.annotations(article.id) == [mine]
    # An emptied shard disappears, and so does an article with no shards left.
    assert not (store.root / article.id / "bob.json").exists()
    store.remove(article.id, mine.id)
    assert store.article_ids() == []
    assert store.annotations(article.id) == []


def test_read_all_reads_every_article_and_names_the_damaged_ones(
    store: Store, article: Article, other_article: Article
) -> None:
    made = [tag(article, 0, 5), tag(other_article, 3, 8), tag(article, 1, 2, annotator="bob")]
    for annotation in made:
        store.add(annotation)
    everything, problems = store.read_all()
    assert problems == []
    assert everything == sorted(made[::2], key=sort_key) + [made[1]]  # article by article
    assert store.read_all([other_article.id]) == ([made[1]], [])
    assert store.read_all(["not-in-the-store"]) == ([], [])

    # A damaged shard costs its own article's annotations, named; the others are still read.
    bob = store.shard_path(article.id, "bob")
    bob.write_bytes(b'{"schema": 1, "annot')
    everything, problems = store.read_all()
    assert everything == [made[1]]
    assert [problem.path for problem in problems] == [bob]
    assert str(bob) in problems[0].message and "check --repair" in problems[0].message
    newer = store.shard_path(other_article.id, "alice")
    newer.write_text(newer.read_text("utf-8").replace('"schema": 1', '"schema": 99'), "utf-8")
    everything, problems = store.read_all([other_article.id, article.id])
    assert everything == []
    assert [problem.path for problem in problems] == [newer, bob]
    assert "newer newsmark" in problems[0].message


def test_unicode_and_markup_survive_a_round_trip(store: Store) -> None:
    text = '“[NATO’s] expansion” — café\u00a0au lait 😀 [bold]x[/bold] \\ "q"'
    article = Article(id="unicode", path=Path("u.txt"), text=text)
    annotation = Annotation.new(
        article, Span(0, len(text)), "claim", annotator="zoë", note="ünïcode"
    )
    store.add(annotation)
    assert store.annotations("unicode") == [annotation]
    raw = (store.root / "unicode" / (safe_name("zoë") + ".json")).read_text(encoding="utf-8")
    assert "“[NATO’s] expansion”" in raw  # readable in diffs, not \\u escapes


def test_empty_annotator_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="annotator"):
        Store(tmp_path, annotator="")


def test_wait_idle_waits_for_a_write_in_another_thread(store: Store, article: Article) -> None:
    writes = [tag(article, i, i + 3) for i in range(20)]
    worker = threading.Thread(target=lambda: [store.add(a) for a in writes])
    worker.start()
    worker.join()
    assert store.wait_idle(timeout=5)
    assert len(store.annotations(article.id)) == 20


def test_loading_builds_the_same_annotations_as_from_dict(article: Article) -> None:
    from tui.store import _DIRECT, _to_annotation

    assert _DIRECT  # Annotation is a plain frozen dataclass: the fast path is in use
    full = tag(article, 3, 30, note="n").to_dict()
    partial = {k: full[k] for k in ("id", "article_id", "start", "end", "tag", "text")}
    extra = {**full, "future_field": [1, 2]}
    for record in (full, partial, extra):
        fast, slow = _to_annotation(dict(record)), Annotation.from_dict(dict(record))
        assert fast == slow and hash(fast) == hash(slow) and repr(fast) == repr(slow)
        assert type(fast) is Annotation and fast.span == slow.span
        with pytest.raises(AttributeError):
            fast.tag = "threat"  # type: ignore[misc]


def test_threads_of_one_process_do_not_lose_tags(tmp_path: Path, article: Article) -> None:
    """Each thread has its own lock descriptor, so flock excludes threads as it does processes."""
    stores = [Store(tmp_path / "annotations", annotator="alice") for _ in range(2)]
    made = [[tag(article, i, i + 4) for i in range(40)] for _ in range(4)]
    workers = [
        threading.Thread(
            target=lambda batch=batch, store=stores[n % 2]: [store.add(a) for a in batch]
        )
        for n, batch in enumerate(made)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(stores[0].annotations(article.id)) == 160


def test_update_moves_a_record_to_its_new_place_in_the_file(store: Store, article: Article) -> None:
    first, second = tag(article, 10, 20), tag(article, 30, 40)
    store.add(first)
    store.add(second)
    store.update(first.changed(start=50, end=60, text=article.text[50:60]))
    doc = json.loads((store.root / article.id / "alice.json").read_text())
    assert [record["id"] for record in doc["annotations"]] == [second.id, first.id]


# -- the files ---------------------------------------------------------------------------------


def test_files_are_pretty_deterministic_json(tmp_path: Path, article: Article) -> None:
    made = [
        tag(article, 40, 80, "threat", now="2021-12-30T00:00:00.000Z", id=f"id-{i}")
        for i in range(3)
    ] + [tag(article, 5, 9, now="2021-12-30T00:00:00.000Z", id="id-x")]
    first = Store(tmp_path / "one", annotator="alice")
    second = Store(tmp_path / "two", annotator="alice")
    for annotation in made:
        first.add(annotation)
    for annotation in reversed(made):
        second.add(annotation)
    one = (first.root / article.id / "alice.json").read_bytes()
    two = (second.root / article.id / "alice.json").read_bytes()
    assert one == two
    doc = json.loads(one)
    assert one.endswith(b"}\n") and b'\n  "annotations": [\n' in one
    assert doc["schema"] == ANNOTATIONS_SCHEMA == 1  # no sections: what every newsmark reads
    assert doc["article_id"] == article.id and doc["annotator"] == "alice"
    assert [a["id"] for a in doc["annotations"]] == ["id-x", "id-0", "id-1", "id-2"]
    assert one == (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    assert "_default" not in doc  # TinyDB's doc ids never reach the file


def test_file_modes_follow_the_umask(tmp_path: Path, article: Article) -> None:
    old = os.umask(0o002)
    try:
        store = Store(tmp_path / "shared", annotator="alice")
        store.add(tag(article, 0, 5))
        shard = store.root / article.id / "alice.json"
        assert stat.S_IMODE(shard.stat().st_mode) == 0o664
        assert stat.S_IMODE(shard.parent.stat().st_mode) == 0o775
        assert stat.S_IMODE(store.root.stat().st_mode) == 0o775
        os.umask(0o022)
        store.add(tag(article, 5, 9))
        assert stat.S_IMODE(shard.stat().st_mode) == 0o644
    finally:
        os.umask(old)


def test_a_temp_file_left_by_a_crash_is_replaced(store: Store, article: Article) -> None:
    store.add(tag(article, 0, 5))
    shard = store.root / article.id / "alice.json"
    leftover = shard.with_name(".alice.json.tmp")
    leftover.write_bytes(b'{"half a wri')
    os.chmod(leftover, 0o600)
    store.add(tag(article, 5, 9))
    assert not leftover.exists()
    assert len(store.annotations(article.id)) == 2
    assert store.check() == []


def test_stamp_changes_with_every_write(store: Store, article: Article) -> None:
    empty = store.stamp(article.id)
    assert empty == ()
    first = tag(article, 0, 5, "threat")
    store.add(first)
    stamps = [store.stamp(article.id)]
    assert stamps[0] != empty
    assert store.stamp(article.id) == stamps[0]  # stable while nothing changes
    # Same-size rewrites in quick succession (threat -> denial -> threat: same byte count).
    current = first
    for name in ["denial", "threat", "denial", "threat"]:
        current = current.changed(tag=name, modified=first.modified)
        store.update(current)
        stamps.append(store.stamp(article.id))
    assert all(stamps[i] != stamps[i + 1] for i in range(len(stamps) - 1))
    store.add(tag(article, 0, 5, annotator="bob"))
    assert store.stamp(article.id) != stamps[-1]


def test_gitignore_is_added_to_an_existing_root(tmp_path: Path, article: Article) -> None:
    root = tmp_path / "annotations"
    root.mkdir()
    (root / "README.md").write_text("the team's store")
    Store(root, annotator="alice").add(tag(article, 0, 5))
    assert (root / ".gitignore").read_text().splitlines()[1:] == [".*.lock", ".*.tmp",
                                                                  "*.damaged-*"]
    if shutil.which("git"):  # what `check --repair` moves aside is never committed either
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        for name in ("a/.alice.json.lock", "a/alice.json.damaged-20261203T101010Z"):
            ignored = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", name])
            assert ignored.returncode == 0, name
        kept = subprocess.run(["git", "-C", str(root), "check-ignore", "-q", "a/alice.json"])
        assert kept.returncode == 1
    (root / ".gitignore").write_text("custom\n")
    Store(root, annotator="alice").add(tag(article, 5, 9))
    assert (root / ".gitignore").read_text() == "custom\n"  # never overwritten


def test_a_symlinked_article_folder_is_refused(store: Store, article: Article) -> None:
    outside = store.root.parent / "outside"
    outside.mkdir()
    store.root.mkdir()
    (store.root / safe_name(article.id)).symlink_to(outside)
    with pytest.raises(StoreError, match="symbolic link"):
        store.add(tag(article, 0, 5))
    assert list(outside.iterdir()) == []


def test_a_planted_lock_symlink_is_not_followed(store: Store, article: Article) -> None:
    store.add(tag(article, 0, 5))
    lock = store.root / article.id / ".alice.json.lock"
    lock.unlink()
    target = store.root.parent / "created-by-newsmark"
    lock.symlink_to(target)
    with pytest.raises(ReadOnlyStoreError):
        store.add(tag(article, 5, 9))
    assert not target.exists()
    assert len(store.annotations(article.id)) == 1


# -- names -------------------------------------------------------------------------------------

HOSTILE_IDS = [
    "../../etc/passwd",
    "/etc/passwd",
    "..",
    ".",
    ".hidden",
    "a/b/../../..",
    "..\\..\\windows",
    "con",
    "NUL.txt",
    "nul\x00byte",
    "trailing.",
    "space ",
    "%2E%2E",
    "~tilde",
    "x" * 400,
    "日本語の記事",
    "emoji😀",
]


@pytest.mark.parametrize("hostile", HOSTILE_IDS)
def test_hostile_ids_cannot_escape_the_store(tmp_path: Path, hostile: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = tmp_path / "store" / "annotations"
    store = Store(root, annotator=hostile)
    article = Article(id=hostile, path=Path("x.txt"), text="Some text here.")
    annotation = Annotation.new(article, Span(0, 4), "claim", annotator=hostile)
    store.add(annotation)
    assert store.annotations(hostile) == [annotation]
    assert store.article_ids() == [hostile]
    assert list(outside.iterdir()) == []
    (shard,) = shard_files(root)
    assert shard.resolve().parent.parent == root.resolve()
    assert len(shard.name.encode()) <= 130 and len(shard.parent.name.encode()) <= 130
    assert store.check() == []
    assert store.remove(hostile, annotation.id) == annotation


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_safe_names_are_single_reversible_components(name: str) -> None:
    encoded = safe_name(name)
    assert encoded not in (".", "..") and not encoded.startswith(".")
    assert "/" not in encoded and "\\" not in encoded and "\x00" not in encoded
    assert encoded.isascii() and len(encoded) <= 120
    if "~" not in encoded:
        assert unsafe_name(encoded) == name


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(alphabet="abcXYZ019_-.", min_size=1, max_size=130),
    st.sampled_from(["CON", "con.txt", "nul", "COM1.json", "LPT9", "COM0", "aux.", ".x", "x.",
                     "..."]),
))
def test_plain_looking_names_keep_every_rule(name: str) -> None:
    """Names of safe characters take a shortcut: it must keep the same rules (no dot at an
    end, no device name, short enough, reversible)."""
    encoded = safe_name(name)
    assert not encoded.startswith(".") and not encoded.endswith(".") and len(encoded) <= 120
    assert encoded.split(".")[0].upper() not in {"CON", "NUL", "AUX", "COM1", "LPT9"}
    if "~" not in encoded:
        assert unsafe_name(encoded) == name
    assert (encoded == name) == (len(name) <= 120 and not name.startswith(".")
                                 and not name.endswith(".")
                                 and name.split(".")[0].upper() not in
                                 {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                                  *(f"LPT{i}" for i in range(1, 10))})


def test_safe_names_of_plain_ids_are_unchanged() -> None:
    assert safe_name("000_459b4affb575bcd9") == "000_459b4affb575bcd9"
    assert safe_name("alice") == "alice"
    assert safe_name("a b") == "a%20b"
    assert unsafe_name("a b") is None and unsafe_name("%zz") is None and unsafe_name("") is None
    assert safe_name("x" * 400) != safe_name("x" * 401)


# -- schema ------------------------------------------------------------------------------------


def test_newer_schema_is_refused_and_left_alone(
    store: Store, article: Article, other_article: Article
) -> None:
    store.add(tag(article, 0, 5))
    shard = store.root / article.id / "alice.json"
    doc = json.loads(shard.read_text())
    doc["schema"] = SCHEMA_VERSION + 1
    shard.write_text(json.dumps(doc))
    before = shard.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer newsmark") as caught:
        store.annotations(article.id)
    assert caught.value.path == shard and str(shard) in str(caught.value)
    with pytest.raises(NewerSchemaError):
        store.add(tag(article, 5, 9))
    with pytest.raises(NewerSchemaError):
        store.add(tag(article, 5, 9, annotator="bob"))
    (problem,) = store.check()
    assert problem.path == shard and "newer newsmark" in problem.message
    assert store.repair() == []  # not damaged: a newer newsmark can read it
    assert shard.read_bytes() == before
    store.add(tag(other_article, 0, 5))


def test_plain_tinydb_file_is_read_and_migrated_on_write(store: Store, article: Article) -> None:
    old = tag(article, 30, 40, "schedule")
    shard = store.root / article.id / "alice.json"
    shard.parent.mkdir(parents=True)
    legacy = TinyDB(shard)  # TinyDB's own JSONStorage: schema 0
    legacy.insert(old.to_dict())
    legacy.close()
    assert "schema" not in json.loads(shard.read_text())
    assert store.annotations(article.id) == [old]
    assert store.check() == []
    new = tag(article, 0, 5)
    store.add(new)
    doc = json.loads(shard.read_text())
    assert doc["schema"] == ANNOTATIONS_SCHEMA and "_default" not in doc
    assert store.annotations(article.id) == [new, old]


# -- damaged files -----------------------------------------------------------------------------


def truncate(path: Path) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path.read_bytes()


@pytest.mark.parametrize("damaged_annotator", ["alice", "bob"])
def test_truncated_file(
    store: Store, article: Article, other_article: Article, damaged_annotator: str
) -> None:
    store.add(tag(article, 0, 5, annotator="alice"))
    store.add(tag(article, 6, 9, annotator="bob"))
    store.add(tag(other_article, 0, 5))
    shard = store.root / article.id / f"{damaged_annotator}.json"
    damaged = truncate(shard)

    (problem,) = store.check()
    assert problem == Problem(shard, problem.message)
    assert str(shard) in problem.message and "newsmark check --repair" in problem.message
    with pytest.raises(DamagedFileError) as caught:
        store.annotations(article.id)
    assert caught.value.path == shard and str(shard) in str(caught.value)
    for annotator in ("alice", "bob", "carol"):
        with pytest.raises(DamagedFileError, match="damaged"):
            store.add(tag(article, 10, 20, annotator=annotator))
    with pytest.raises(DamagedFileError):
        store.update(store.annotations(other_article.id)[0].changed(article_id=article.id))
    assert shard.read_bytes() == damaged

    store.add(tag(other_article, 6, 9))
    assert len(store.annotations(other_article.id)) == 2
    assert article.id in store.article_ids()

    ((old, new),) = store.repair()
    assert old == shard and not shard.exists()
    assert new.parent == shard.parent and new.name.startswith(f"{shard.name}.damaged-")
    assert new.read_bytes() == damaged
    assert store.check() == []
    store.add(tag(article, 10, 20, annotator=damaged_annotator))
    assert len(store.annotations(article.id)) == 2


GOOD = {
    "schema": 1,
    "article_id": "art",
    "annotator": "alice",
    "annotations": [
        {"id": "a1", "article_id": "art", "start": 0, "end": 4, "tag": "claim", "text": "Some"}
    ],
}


def with_changes(**changes: object) -> dict:
    doc = json.loads(json.dumps(GOOD))
    doc.update(changes)
    return doc


def record_with(**changes: object) -> dict:
    return with_changes(annotations=[{**GOOD["annotations"][0], **changes}])


DAMAGES = {
    "empty": b"",
    "whitespace": b"  \n",
    "not json": b"<<<<<<< HEAD\n{}\n=======\n",
    "binary": bytes(range(256)),
    "nested too deeply": b"[" * 200_000 + b"]" * 200_000,
    "nan header": b'{"schema": NaN, "article_id": "art", "annotator": "alice", "annotations": []}',
    "json list": b"[]",
    "no schema": json.dumps({"annotations": []}).encode(),
    "schema string": json.dumps(with_changes(schema="1")).encode(),
    "schema zero": json.dumps(with_changes(schema=0)).encode(),
    "annotations not list": json.dumps(with_changes(annotations={})).encode(),
    "wrong article": json.dumps(with_changes(article_id="other")).encode(),
    "wrong annotator": json.dumps(with_changes(annotator="bob")).encode(),
    "record not object": json.dumps(with_changes(annotations=[3])).encode(),
    "record without id": json.dumps(record_with(id=None)).encode(),
    "record bad span": json.dumps(record_with(start=5, end=2)).encode(),
    "record float start": json.dumps(record_with(start=0.5)).encode(),
    "record other article": json.dumps(record_with(article_id="x")).encode(),
    "duplicate ids": json.dumps(with_changes(annotations=GOOD["annotations"] * 2)).encode(),
}


@pytest.mark.parametrize("kind", sorted(DAMAGES))
def test_every_kind_of_damage_is_reported_and_never_overwritten(store: Store, kind: str) -> None:
    shard = store.root / "art" / "alice.json"
    shard.parent.mkdir(parents=True)
    shard.write_bytes(json.dumps(GOOD).encode())
    assert store.check() == [] and len(store.annotations("art")) == 1
    shard.write_bytes(DAMAGES[kind])
    (problem,) = store.check()
    assert problem.path == shard
    with pytest.raises(DamagedFileError):
        store.annotations("art")
    article = Article(id="art", path=Path("art.txt"), text="Some text here.")
    with pytest.raises(DamagedFileError):
        store.add(Annotation.new(article, Span(5, 9), "claim", annotator="alice"))
    with pytest.raises(DamagedFileError):
        store.remove("art", "a1")
    assert shard.read_bytes() == DAMAGES[kind]
    assert [new.read_bytes() for _, new in store.repair()] == [DAMAGES[kind]]
    assert store.check() == []


def test_misnamed_files_are_reported_not_moved(store: Store, article: Article) -> None:
    store.add(tag(article, 0, 5))
    stray = store.root / article.id / "Bob Smith.json"
    shutil.copy(store.root / article.id / "alice.json", stray)
    (problem,) = store.check()
    assert problem.path == stray and "Bob%20Smith.json" in problem.message
    assert store.repair() == []
    assert stray.exists()


# -- stores that cannot be written -------------------------------------------------------------


def test_store_under_a_regular_file_is_read_only(tmp_path: Path, article: Article) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's parent should be")
    store = Store(blocker / "annotations", annotator="alice")
    assert not store.is_writable()
    with pytest.raises(ReadOnlyStoreError, match="cannot write .*read-only"):
        store.add(tag(article, 0, 5))
    assert store.annotations(article.id) == [] and store.check() == []


@pytest.fixture
def immutable(tmp_path: Path):
    """Make a folder really unwritable: chmod for ordinary users, ``chattr +i`` for root."""
    frozen: list[Path] = []

    def freeze(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
        else:
            result = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
            if result.returncode != 0:
                pytest.skip(f"root, and chattr +i does not work here: {result.stderr!r}")
        frozen.append(folder)

    yield freeze
    for folder in frozen:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


def test_read_only_folder(store: Store, article: Article, other_article: Article, immutable):
    first = tag(article, 0, 5)
    store.add(first)
    shard = store.root / article.id / "alice.json"
    before = shard.read_bytes()
    immutable(shard.parent)
    immutable(store.root)
    probe = shard.parent / "probe"
    with pytest.raises(OSError):
        probe.write_text("really unwritable?")  # the precondition, checked for real
    assert not store.is_writable()
    with pytest.raises(ReadOnlyStoreError, match=f"cannot write {store.root}"):
        store.add(tag(article, 5, 9))
    with pytest.raises(ReadOnlyStoreError):
        store.add(tag(other_article, 5, 9))
    with pytest.raises(ReadOnlyStoreError):
        store.remove(article.id, first.id)
    assert shard.read_bytes() == before
    assert store.annotations(article.id) == [first]  # reading still works


def run_in_private_mounts(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (shell) in a private mount namespace: mounts vanish with it."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare to mount a real read-only or full file system")
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True
    )
    if probe.returncode != 0:
        pytest.skip("cannot make a private mount namespace here")
    return subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    "mount",
    [
        # A read-only bind mount: EROFS, exactly what a read-only share gives.
        "mount --bind store store && mount -o remount,bind,ro store",
        # A full disk: a small tmpfs, filled up.
        "mount -t tmpfs -o size=256k tmpfs store && "
        "cp -a seeded/. store/ && (head -c 1000000 /dev/zero > store/filler || true)",
    ],
    ids=["read-only-mount", "full-disk"],
)
def test_unwritable_file_systems(tmp_path: Path, mount: str) -> None:
    seeded = tmp_path / "seeded"
    Store(seeded / "annotations", annotator="alice").add(tag(seed_article(0), 0, 5))
    (tmp_path / "store").mkdir()
    if "bind" in mount:
        shutil.copytree(seeded, tmp_path / "store", dirs_exist_ok=True)
    child = HELPERS / "store_write_once.py"
    result = run_in_private_mounts(
        f"{mount} && {sys.executable} {child} store/annotations {seed_article(0).id}", tmp_path
    )
    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert report["error"] == "ReadOnlyStoreError"
    assert "cannot write" in report["message"] and "\n" not in report["message"]
    assert report["writable"] is False
    assert report["before"] == report["after"]  # the old shard is intact
    assert report["count"] == 1


# -- serialisation and the benchmark -----------------------------------------------------------

GOLDEN = Path(__file__).resolve().parent / "golden"

#: The records of the golden shards: written by the newsmark of 2026-12-01 (before the one JSON
#: writer), byte for byte what stores in teammates' repositories hold.
GOLDEN_RECORD = {
    "id": "b-1", "article_id": "art", "start": 3, "end": 9, "tag": "claim",
    "text": "“[NATO’s]”", "prefix": "a\nb", "suffix": '\t"q"', "note": "ünï",
    "annotator": "zoë", "created": "2021-12-30T00:00:00.000Z",
    "modified": "2021-12-30T00:00:00.000Z", "text_sha256": "ab", "anchor": "exact",
}


@pytest.mark.parametrize(
    ("name", "records"),
    [
        ("shard-schema-1.json",
         [GOLDEN_RECORD, {**GOLDEN_RECORD, "id": "a-0", "end": 12, "note": ""}]),
        ("shard-schema-1-surrogate.json",
         [{**GOLDEN_RECORD, "id": "s", "note": "bad \udc80 byte"}]),
    ],
)
def test_shards_are_written_byte_for_byte_as_before(
    tmp_path: Path, name: str, records: list[dict]
) -> None:
    """Existing stores must diff cleanly: the same annotations give the same bytes as the
    files the previous writer made, lone surrogates included (then the file is ASCII)."""
    golden = (GOLDEN / name).read_bytes()
    store = Store(tmp_path, annotator="zoë")
    for record in reversed(records):
        store.add(Annotation.from_dict(record))
    written = store.shard_path("art", "zoë").read_bytes()
    assert written == golden
    # And a golden file read, changed and changed back is the same file again.
    shard = store.shard_path("art", "zoë")
    shard.write_bytes(golden)
    first = store.annotations("art")[0]
    store.update(first.changed(note="changed"))
    assert shard.read_bytes() != golden
    store.update(first)
    assert shard.read_bytes() == golden


def test_a_lone_surrogate_shard_is_ascii_json_that_reads_back(store: Store) -> None:
    text = "bad \udc80 byte “quoted”"
    article = Article(id="surrogate", path=Path("s.txt"), text=text)
    annotation = Annotation.new(article, Span(0, len(text)), "claim", annotator="alice")
    store.add(annotation)
    raw = store.shard_path("surrogate", "alice").read_bytes()
    assert raw.isascii() and b"\\udc80" in raw and b"\\u201c" in raw
    assert json.loads(raw)["annotations"][0]["text"] == text
    assert store.annotations("surrogate") == [annotation]
    assert store.check() == []


SHARD_RECORD = st.dictionaries(
    st.text(max_size=8),
    st.one_of(st.text(), st.integers(-(2**70), 2**70), st.booleans(), st.floats(allow_nan=False),
              st.none()),
    min_size=1,
).map(lambda extra: {**extra, **GOOD["annotations"][0]})


@settings(max_examples=150, deadline=None)
@given(st.lists(SHARD_RECORD, max_size=5), st.text(min_size=1))
def test_shards_are_the_standard_librarys_sorted_indented_json(records: list, note: str) -> None:
    """Whatever a record holds (floats, huge ints, any text), a shard is exactly what
    ``json.dumps(doc, indent=2, sort_keys=True)`` writes, plus a newline."""
    from tui.store import _record_key, _render_shard

    records = [{**r, "id": f"id-{i}", "note": note} for i, r in enumerate(records)]
    rendered = _render_shard("art", "alice", records)
    doc = {
        "schema": ANNOTATIONS_SCHEMA,
        "article_id": "art",
        "annotator": "alice",
        "annotations": sorted(records, key=_record_key),
    }
    try:
        expected = (json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    except UnicodeEncodeError:
        expected = (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode()
    assert rendered == expected


def test_benchmark_quick_run(tmp_path: Path) -> None:
    bench = Path(__file__).resolve().parent.parent / "bench" / "store.py"
    result = subprocess.run(
        [sys.executable, str(bench), "--quick", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "usable cores" in result.stdout and "Python" in result.stdout
    assert (
        "| 1,000 |" in result.stdout
        and "ratio 1,000 / 100: newsmark" in result.stdout
        and "(CPU " in result.stdout
    )
    assert list(tmp_path.iterdir()) == []  # cleans up after itself
