"""Shard sections on real files: records besides annotations, kept as carefully as they are.

Concurrency and SIGKILL tests of sections are in ``test_store_torture.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.model import Annotation, Article, Span
from tui.store import (
    ANNOTATIONS_SCHEMA,
    SCHEMA_VERSION,
    SECTIONS,
    DamagedFileError,
    NewerSchemaError,
    Store,
)

ARTICLE = Article(id="art", path=Path("art.txt"), text="Some text here. And more of it.")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "annotations", annotator="alice")


def shard_doc(store: Store, annotator: str = "alice") -> dict:
    return json.loads(store.shard_path("art", annotator).read_bytes())


def test_sections_are_the_three_the_issues_need() -> None:
    assert SECTIONS == ("links", "rejections", "status")
    assert (ANNOTATIONS_SCHEMA, SCHEMA_VERSION) == (1, 2)


def test_put_replace_and_remove_records(store: Store) -> None:
    store.put_record("art", "status", {"id": "status", "state": "done", "at": "2026-12-01"})
    store.put_record("art", "links", {"id": "l2", "score": 0.875, "state": "confirmed",
                                      "target": "002", "start": 10, "end": 20})
    store.put_record("art", "links", {"id": "l1", "score": 0.5, "state": "rejected",
                                      "target": "003", "start": 0, "end": None})
    assert [r["id"] for r in store.records("art", "links")] == ["l1", "l2"]
    assert store.records("art", "status") == [
        {"id": "status", "state": "done", "at": "2026-12-01", "annotator": "alice"}
    ]
    assert store.records("art", "rejections") == []

    # Same id: replaced, not added.
    store.put_record("art", "links", {"id": "l1", "score": 0.5, "state": "confirmed",
                                      "target": "003", "start": 0, "end": 4})
    (l1, l2) = store.records("art", "links")
    assert (l1["state"], l1["end"], l2["state"]) == ("confirmed", 4, "confirmed")

    assert store.remove_record("art", "links", "l1") == {**l1}
    assert store.remove_record("art", "links", "l1") is None
    assert store.remove_record("other-article", "links", "l1") is None
    assert not (store.root / "other-article").exists()  # a remove of nothing writes nothing
    assert [r["id"] for r in store.records("art", "links")] == ["l2"]


def test_records_of_every_annotator_carry_their_annotator(store: Store) -> None:
    store.put_record("art", "rejections", {"id": "s1", "rule": "claim:said"})
    store.put_record("art", "rejections", {"id": "s1", "rule": "claim:said"}, annotator="bob")
    store.put_record("art", "rejections", {"id": "s0", "annotator": "carol"})
    every = store.records("art", "rejections")
    assert [(r["annotator"], r["id"]) for r in every] == [("alice", "s1"), ("bob", "s1"),
                                                           ("carol", "s0")]
    assert store.records("art", "rejections", annotator="bob") == [
        {"id": "s1", "rule": "claim:said", "annotator": "bob"}
    ]
    assert store.records("art", "rejections", annotator="nobody") == []
    # A copy: changing what was returned changes nothing stored.
    every[0]["rule"] = "changed"
    assert store.records("art", "rejections")[0]["rule"] == "claim:said"


def test_the_file_is_deterministic_and_sorted(tmp_path: Path) -> None:
    records = [{"id": f"r{n}", "n": n, "text": "“é”"} for n in (3, 1, 2)]
    files = []
    for order in (records, records[::-1]):
        store = Store(tmp_path / str(len(files)), annotator="alice")
        for record in order:
            store.put_record("art", "rejections", record)
        files.append(store.shard_path("art", "alice").read_bytes())
    assert files[0] == files[1]
    doc = json.loads(files[0])
    assert [r["id"] for r in doc["rejections"]] == ["r1", "r2", "r3"]
    assert list(doc) == sorted(doc) and "links" not in doc and "status" not in doc
    expected = json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert files[0] == expected.encode()
    assert doc["schema"] == SCHEMA_VERSION and doc["annotations"] == []


def test_without_sections_the_file_is_byte_for_byte_schema_1(store: Store) -> None:
    annotation = Annotation.new(ARTICLE, Span(0, 4), "claim", annotator="alice")
    store.add(annotation)
    shard = store.shard_path("art", "alice")
    before = shard.read_bytes()
    assert json.loads(before)["schema"] == ANNOTATIONS_SCHEMA
    store.put_record("art", "status", {"id": "status", "state": "done"})
    assert json.loads(shard.read_bytes())["schema"] == SCHEMA_VERSION
    assert store.annotations("art") == [annotation]
    store.remove_record("art", "status", "status")
    assert shard.read_bytes() == before  # the section gone, the file is as it was


def test_a_shard_is_deleted_only_when_every_section_is_empty(store: Store) -> None:
    annotation = Annotation.new(ARTICLE, Span(0, 4), "claim", annotator="alice")
    store.add(annotation)
    store.put_record("art", "status", {"id": "status", "state": "done"})
    store.put_record("art", "links", {"id": "l", "state": "rejected"})
    shard = store.shard_path("art", "alice")
    store.remove("art", annotation.id)
    assert shard.exists() and shard_doc(store)["annotations"] == []
    assert store.article_ids() == ["art"]
    store.remove_record("art", "status", "status")
    assert shard.exists()
    store.remove_record("art", "links", "l")
    assert not shard.exists()
    assert store.article_ids() == []


def test_a_section_change_changes_the_stamp(store: Store) -> None:
    store.put_record("art", "status", {"id": "status", "state": "started"})
    before = store.stamp("art")
    store.put_record("art", "status", {"id": "status", "state": "done"})
    after = store.stamp("art")
    assert after != before
    store.put_record("art", "links", {"id": "x", "state": "done"}, annotator="bob")
    assert store.stamp("art") != after


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ({"state": "done"}, "no string 'id'"),
        ({"id": ""}, "no string 'id'"),
        ({"id": 3}, "no string 'id'"),
        ({"id": "x", "span": [1, 2]}, "not flat: 'span' holds list"),
        ({"id": "x", "more": {"a": 1}}, "not flat: 'more' holds dict"),
        ({"id": "x", "score": float("nan")}, "JSON cannot spell"),
        ({"id": "x", "annotator": "bob"}, "names annotator 'bob', not 'alice'"),
    ],
)
def test_a_record_that_is_not_flat_is_refused_before_anything_is_written(
    store: Store, record: dict, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        store.put_record("art", "links", record, annotator="alice")
    assert not store.shard_path("art", "alice").exists()


def test_an_unknown_section_is_a_programming_error(store: Store) -> None:
    for call in (lambda: store.records("art", "annotations"),
                 lambda: store.put_record("art", "linkz", {"id": "x"}),
                 lambda: store.remove_record("art", "_default", "x")):
        with pytest.raises(ValueError, match="unknown section"):
            call()


GOOD = {
    "schema": 2,
    "article_id": "art",
    "annotator": "alice",
    "annotations": [],
    "links": [{"id": "l1", "annotator": "alice", "state": "confirmed", "score": 0.5}],
    "status": [{"id": "status", "state": "done"}],
}

DAMAGED_SECTIONS = {
    "section not a list": {**GOOD, "links": {"id": "l1"}},
    "record not an object": {**GOOD, "status": ["done"]},
    "record without id": {**GOOD, "status": [{"state": "done"}]},
    "record with a nested value": {**GOOD, "links": [{"id": "l1", "span": [0, 4]}]},
    "record of another annotator": {**GOOD, "links": [{"id": "l1", "annotator": "bob"}]},
    "duplicate ids in a section": {**GOOD, "status": GOOD["status"] * 2},
    "an unknown top-level key": {**GOOD, "comments": []},
    "an unknown key in schema 1": {**GOOD, "schema": 1, "links": [], "status": [],
                                   "extra": 1},
}


@pytest.mark.parametrize("kind", sorted(DAMAGED_SECTIONS))
def test_a_malformed_section_is_damage_naming_the_file(store: Store, kind: str) -> None:
    shard = store.shard_path("art", "alice")
    shard.parent.mkdir(parents=True)
    shard.write_text(json.dumps(GOOD), "utf-8")
    assert store.check() == [] and len(store.records("art", "links")) == 1
    damaged = json.dumps(DAMAGED_SECTIONS[kind]).encode()
    shard.write_bytes(damaged)
    with pytest.raises(DamagedFileError) as caught:
        store.records("art", "links")
    assert caught.value.path == shard and str(shard) in str(caught.value)
    with pytest.raises(DamagedFileError):
        store.annotations("art")
    with pytest.raises(DamagedFileError):
        store.put_record("art", "status", {"id": "status", "state": "started"})
    with pytest.raises(DamagedFileError):
        store.remove_record("art", "links", "l1")
    with pytest.raises(DamagedFileError):  # another annotator's write to the article, too
        store.put_record("art", "status", {"id": "status"}, annotator="bob")
    (problem,) = store.check()
    assert problem.path == shard and "damaged" in problem.message
    assert shard.read_bytes() == damaged  # never overwritten
    assert [moved.read_bytes() for _, moved in store.repair()] == [damaged]


def test_a_newer_schema_is_refused_and_left_alone(store: Store) -> None:
    shard = store.shard_path("art", "alice")
    shard.parent.mkdir(parents=True)
    newer = json.dumps({**GOOD, "schema": SCHEMA_VERSION + 1, "future": [{"id": "f"}]})
    shard.write_text(newer, "utf-8")
    with pytest.raises(NewerSchemaError, match="newer newsmark"):
        store.records("art", "links")
    with pytest.raises(NewerSchemaError):
        store.put_record("art", "links", {"id": "l9"})
    assert store.repair() == [] and shard.read_text("utf-8") == newer


#: The last commit before shard sections: its newsmark reads schema 1 only.
BEFORE_SECTIONS = "189de7c"


def test_the_newsmark_before_sections_refuses_a_file_with_sections(
    store: Store, tmp_path: Path
) -> None:
    """The real previous newsmark (its tui/ from git) on a shard that holds a section: it
    refuses the file as newer, where reading only its annotations would drop the section at
    its next write. A shard without sections it reads as always."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(root), "archive", BEFORE_SECTIONS, "tui"],
                             capture_output=True)
    if archive.returncode != 0:
        pytest.skip(f"no git history with {BEFORE_SECTIONS} here: {archive.stderr[:200]!r}")
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)

    annotation = Annotation.new(ARTICLE, Span(0, 4), "claim", annotator="alice")
    store.add(annotation)
    script = (
        "import sys; from tui.store import Store, StoreError\n"
        "try:\n"
        f"    print(len(Store({str(store.root)!r}, annotator='x').annotations('art')))\n"
        "except StoreError as error:\n"
        "    print(type(error).__name__, error)\n"
    )

    def old_newsmark_reads() -> str:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              cwd=old, env={"PYTHONPATH": str(old), "PATH": "/usr/bin:/bin"},
                              timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert old_newsmark_reads() == "1"
    store.put_record("art", "status", {"id": "status", "state": "done"})
    said = old_newsmark_reads()
    assert said.startswith("NewerSchemaError") and "schema 2; this one reads up to 1" in said


def test_the_git_merge_driver_merges_sections_by_id(store: Store, tmp_path: Path) -> None:
    """Two clones of one annotator's shard each add a record (and one edits the status): the
    merge driver keeps both, by id, and writes a schema-2 shard the store reads."""
    from tui.merge import merge_shards

    store.put_record("art", "status", {"id": "status", "state": "started"})
    shard = store.shard_path("art", "alice")
    base = shard.read_bytes()
    store.put_record("art", "links", {"id": "ours", "state": "confirmed"})
    ours = shard.read_bytes()
    shard.write_bytes(base)
    store.put_record("art", "rejections", {"id": "theirs", "rule": "claim:said"})
    store.put_record("art", "status", {"id": "status", "state": "done"})
    theirs = shard.read_bytes()
    merged = merge_shards(base, ours, theirs, Path("art") / "alice.json").data
    shard.write_bytes(merged)
    assert [r["id"] for r in store.records("art", "links")] == ["ours"]
    assert [r["id"] for r in store.records("art", "rejections")] == ["theirs"]
    assert store.records("art", "status")[0]["state"] == "done"
    assert json.loads(merged)["schema"] == SCHEMA_VERSION


def test_many_annotations_in_one_write_keep_the_sections(store: Store) -> None:
    """Store.apply (adjudication's one write per shard) leaves the shard's sections alone."""
    store.put_record("art", "status", {"id": "status", "state": "done"}, annotator="gold")
    curated = Annotation.new(ARTICLE, Span(0, 4), "claim", annotator="gold")
    assert store.apply("art", "gold", put=[curated]) is True
    assert store.annotations("art") == [curated]
    assert store.records("art", "status", annotator="gold")[0]["state"] == "done"
    assert store.apply("art", "gold", remove=[curated.id]) is True
    assert store.records("art", "status", annotator="gold")[0]["state"] == "done"
