"""The store under real concurrency and real kills: many processes, SIGKILL, SIGTERM.

Every child is ``tests/helpers/store_worker.py``, which imports only ``tui.store`` and
``tui.model`` so that it starts in a few tens of milliseconds. A child acknowledges an annotation
by printing its id after ``Store.add`` returned; every acknowledged id must be on disk.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tui.model import Annotation
from tui.store import Store, StoreError

WORKER = Path(__file__).resolve().parent / "helpers" / "store_worker.py"


def start(mode: str, root: Path, article_id: str, annotator: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(WORKER), mode, str(root), article_id, annotator, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def make(article_id: str, annotator: str, number: int) -> Annotation:
    return Annotation(
        id=f"parent-{number}",
        article_id=article_id,
        start=number,
        end=number + 5,
        tag="claim",
        text="xxxxx",
        annotator=annotator,
    )


def expect_line(child: subprocess.Popen, expected: str) -> None:
    line = child.stdout.readline().strip()
    assert line == expected, f"child said {line!r}; stderr: {child.stderr.read()}"


def every_shard_is_valid_json(root: Path) -> list[dict]:
    docs = []
    for path in sorted(root.rglob("*.json")):
        if not path.name.startswith("."):
            docs.append(json.loads(path.read_bytes()))  # raises if unreadable
    return docs


def test_eight_processes_on_one_article(tmp_path: Path) -> None:
    """8 processes × 50 adds, same article, four of them on one shard: exactly 400 survive."""
    root = tmp_path / "annotations"
    go = tmp_path / "go"
    annotators = ["alice", "alice", "alice", "alice", "bob", "bob", "carol", "dave"]
    children = [start("burst", root, "same-article", name, "50", str(go)) for name in annotators]
    for child in children:
        expect_line(child, "READY")
    began = time.perf_counter()
    go.touch()
    acknowledged: list[str] = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        acknowledged += out.split()
    elapsed = time.perf_counter() - began

    store = Store(root, annotator="checker")
    stored = store.annotations("same-article")
    ids = [annotation.id for annotation in stored]
    assert len(stored) == 400 and len(acknowledged) == 400
    assert len(set(ids)) == 400 and set(ids) == set(acknowledged)
    assert Counter(a.annotator for a in stored) == {
        "alice": 200,
        "bob": 100,
        "carol": 50,
        "dave": 50,
    }
    docs = every_shard_is_valid_json(root)
    assert sorted(len(doc["annotations"]) for doc in docs) == [50, 50, 100, 200]
    assert store.check() == []
    print(f"\n8 processes x 50 adds (4 on one shard): 400/400 kept in {elapsed:.2f} s")


def test_two_hundred_sigkills(tmp_path: Path) -> None:
    """200 SIGKILLs at random moments, two writers on one shard: no file is ever unreadable and
    every acknowledged annotation is there."""
    root = tmp_path / "annotations"
    store = Store(root, annotator="checker")
    rng = random.Random(20211230)
    kills = acknowledged_total = mid_write = 0
    began = time.perf_counter()
    for round_number in range(100):
        # A new article every 10 rounds keeps shards small, so the test stays fast.
        article_id = f"victim-{round_number // 10}"
        pair = [start("loop", root, article_id, "alice") for _ in range(2)]
        for child in pair:
            expect_line(child, "READY")
        acknowledged: list[str] = []
        for child in pair:
            time.sleep(rng.uniform(0, 0.04))
            child.send_signal(signal.SIGKILL)
            kills += 1
        for child in pair:
            out, _ = child.communicate(timeout=10)
            assert child.returncode == -signal.SIGKILL
            # Only whole lines count: a line cut by the kill was not acknowledged.
            lines = out.split("\n")
            acknowledged += [line for line in lines[:-1] if line]
        shard = store.shard_path(article_id, "alice")
        if shard.with_name(f".{shard.name}.tmp").exists():
            mid_write += 1  # a kill landed inside a write (temp file written, not renamed)
        every_shard_is_valid_json(root)
        stored = {annotation.id for annotation in store.annotations(article_id)}
        missing = set(acknowledged) - stored
        assert not missing, f"round {round_number}: acknowledged but lost: {sorted(missing)[:5]}"
        acknowledged_total += len(acknowledged)
    elapsed = time.perf_counter() - began
    assert kills == 200
    assert store.check() == []
    everything, problems = store.read_all()
    assert problems == []
    total = len(everything)
    assert total >= acknowledged_total
    print(
        f"\n{kills} SIGKILLs in {elapsed:.1f} s: {acknowledged_total} acknowledged adds, "
        f"all kept ({total} on disk, the rest written but killed before acknowledging); "
        f"{mid_write} rounds left a temp file (killed mid-write); 0 unreadable files"
    )


def test_a_writer_waits_for_the_lock_and_says_who_holds_it(tmp_path: Path) -> None:
    root = tmp_path / "annotations"
    holder = start("hold", root, "locked", "alice", "0.6")
    expect_line(holder, "LOCKED")
    store = Store(root, annotator="alice")
    store.lock_timeout = 0.1
    with pytest.raises(StoreError, match=r"\.alice\.json\.lock is held by another newsmark"):
        store.add(make("locked", "alice", 1))
    store.lock_timeout = 10
    began = time.perf_counter()
    store.add(make("locked", "alice", 2))  # waits for the holder, then writes
    waited = time.perf_counter() - began
    assert holder.wait(timeout=10) == 0
    assert waited > 0.2
    assert len(store.annotations("locked")) == 1


def test_another_process_changes_show_up_at_once(tmp_path: Path) -> None:
    """What the UI's live sharing polls: stamp() changes and annotations() has the new state,
    while this process's own annotations stay."""
    root = tmp_path / "annotations"
    store = Store(root, annotator="alice")
    mine = make("shared", "alice", 1)
    store.add(mine)
    before = store.stamp("shared")
    child = start("burst", root, "shared", "bob", "3", str(tmp_path / "go"))
    expect_line(child, "READY")
    (tmp_path / "go").touch()
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert store.stamp("shared") != before
    ids = {annotation.id for annotation in store.annotations("shared")}
    assert ids == {mine.id, *out.split()}


def test_sigterm_inside_a_write_lets_the_write_finish(tmp_path: Path) -> None:
    """A real SIGTERM delivered between the temp file's write and its rename, to a process
    whose handler raises: the handler runs only after the file is whole and in place."""
    root = tmp_path / "annotations"
    child = start("term-mid-write", root, "termed", "alice")
    out, err = child.communicate(timeout=30)
    assert child.returncode == 7, err
    lines = out.split()
    assert lines[0] == "WRITING" and "RETURNED" not in lines
    stored = {a.id for a in Store(root, annotator="x").annotations("termed")}
    assert lines[1] in stored and len(stored) == 2
    assert not list(root.rglob(".*.tmp"))


def test_sigterm_with_the_apps_handler_loses_nothing(tmp_path: Path) -> None:
    """The pattern the app follows: the handler sets a flag, the write in progress finishes,
    the process exits cleanly; every acknowledged annotation is on disk."""
    root = tmp_path / "annotations"
    rng = random.Random(5)
    for _ in range(10):
        child = start("term-cooperative", root, "polite", "alice")
        expect_line(child, "READY")
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=10)
        assert child.returncode == 0, err
        lines = out.split()
        assert lines[-1] == "STOPPED"
        stored = {a.id for a in Store(root, annotator="x").annotations("polite")}
        assert set(lines[:-1]) <= stored
    assert not list(root.rglob(".*.tmp"))


def test_kill_while_holding_the_lock_does_not_block_others(tmp_path: Path) -> None:
    root = tmp_path / "annotations"
    holder = start("hold", root, "dead", "alice", "30")
    expect_line(holder, "LOCKED")
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    store = Store(root, annotator="alice")
    store.lock_timeout = 2
    store.add(make("dead", "alice", 1))  # the kernel released the dead process's lock
    assert len(store.annotations("dead")) == 1


def test_readers_never_see_a_partial_file(tmp_path: Path) -> None:
    """Readers take no lock: the atomic rename alone must give them whole files, always."""
    root = tmp_path / "annotations"
    writers = [start("loop", root, "read-while-written", name) for name in ("alice", "alice")]
    for writer in writers:
        expect_line(writer, "READY")
    store = Store(root, annotator="reader")
    seen, reads = 0, 0
    deadline = time.monotonic() + 2.0
    try:
        while time.monotonic() < deadline:
            count = len(store.annotations("read-while-written"))  # raises if a file is partial
            assert count >= seen  # never goes back: no read of an older or half-written file
            seen, reads = count, reads + 1
    finally:
        for writer in writers:
            writer.kill()
            writer.communicate(timeout=10)
    assert seen > 20 and reads > 50
    print(f"\n{reads} lock-free reads during {seen} writes: all whole")


def section_acknowledgements(lines: list[str]) -> tuple[set[str], dict[tuple[str, str], int]]:
    """The annotation ids and the latest ``n`` of each (section, record id) acknowledged."""
    annotations: set[str] = set()
    records: dict[tuple[str, str], int] = {}
    for line in lines:
        if ":" in line:
            section, record_id, number = line.rsplit(":", 2)
            records[(section, record_id)] = max(records.get((section, record_id), -1),
                                                int(number))
        elif line:
            annotations.add(line)
    return annotations, records


def assert_all_kept(store: Store, article_id: str, annotations: set[str],
                    records: dict[tuple[str, str], int]) -> None:
    stored = {annotation.id for annotation in store.annotations(article_id)}
    assert annotations <= stored, f"lost annotations: {sorted(annotations - stored)[:5]}"
    latest = {(section, record["id"]): record["n"]
              for section in ("links", "rejections", "status")
              for record in store.records(article_id, section)}
    for key, number in records.items():
        # A write after the last acknowledgement may have landed too: never older, though.
        assert latest.get(key, -1) >= number, f"{key}: acknowledged n={number}, on disk {latest}"


def test_two_processes_write_sections_of_one_shard(tmp_path: Path) -> None:
    """Two processes × 120 writes on one shard, mixing annotations and records of every
    section (some replacing earlier ones): every acknowledged write is on disk, sorted."""
    root = tmp_path / "annotations"
    go = tmp_path / "go"
    children = [start("sections", root, "shared", "alice", "120", str(go)) for _ in range(2)]
    for child in children:
        expect_line(child, "READY")
    go.touch()
    lines: list[str] = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        lines += out.split()
    annotations, records = section_acknowledgements(lines)
    assert len(annotations) == 60 and len(lines) == 240
    store = Store(root, annotator="checker")
    assert_all_kept(store, "shared", annotations, records)
    (doc,) = every_shard_is_valid_json(root)
    assert doc["schema"] == 2
    for section in ("links", "rejections", "status"):
        ids = [record["id"] for record in doc[section]]
        assert ids == sorted(ids) and len(ids) == len(set(ids))
        assert len(ids) == len({key for key in records if key[0] == section})
    assert store.check() == []


def test_sigkills_while_writing_sections(tmp_path: Path) -> None:
    """60 SIGKILLs at random moments, two writers of sections and annotations on one shard:
    no file is ever unreadable and every acknowledged write is there."""
    root = tmp_path / "annotations"
    store = Store(root, annotator="checker")
    rng = random.Random(20261201)
    kills = mid_write = 0
    for round_number in range(30):
        article_id = f"victim-{round_number // 10}"
        pair = [start("sections-loop", root, article_id, "alice") for _ in range(2)]
        for child in pair:
            expect_line(child, "READY")
        lines: list[str] = []
        for child in pair:
            time.sleep(rng.uniform(0, 0.05))
            child.send_signal(signal.SIGKILL)
            kills += 1
        for child in pair:
            out, _ = child.communicate(timeout=10)
            assert child.returncode == -signal.SIGKILL
            lines += [line for line in out.split("\n")[:-1] if line]  # whole lines only
        shard = store.shard_path(article_id, "alice")
        mid_write += shard.with_name(f".{shard.name}.tmp").exists()
        every_shard_is_valid_json(root)
        assert_all_kept(store, article_id, *section_acknowledgements(lines))
    assert kills == 60
    assert store.check() == []
    print(f"\n{kills} SIGKILLs while writing sections: every acknowledged write kept; "
          f"{mid_write} rounds killed mid-write")
