"""Sharing a store through git: the merge driver, with real ``git`` and real clones.

Each test makes a bare "team" repository and clones of it, tags articles with the real command
line, commits, pushes and pulls, the way the README's "Working as a team" says.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tui.merge import ATTRIBUTES_LINE, MergeRefused, merge_shards
from tui.model import Annotation, Article, Span
from tui.store import Store, _render_shard
from tui.team import is_done, mark_done

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ARTICLE = "002_a34abba263e9470d"
OTHER = "003_9b9a3ba666ff02ad"
ROOT = Path(__file__).resolve().parent.parent


def git(*args: str, cwd: Path, check: bool = True, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=env)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def newsmark(*args: str, cwd: Path, annotator: str) -> subprocess.CompletedProcess[str]:
    """The real command line, as the annotator runs it in their clone."""
    env = {**os.environ, "NEWSMARK_ANNOTATOR": annotator}
    done = subprocess.run([sys.executable, "-m", "tui", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture
def team(tmp_path: Path, seeds: Path):
    """A bare team repository holding the seeds, and a function that makes set-up clones."""
    origin = tmp_path / "origin.git"
    git("init", "--bare", "-q", "-b", "main", str(origin), cwd=tmp_path)
    first = tmp_path / "first"
    git("clone", "-q", str(origin), str(first), cwd=tmp_path)
    _identity(first, "founder")
    shutil.copytree(seeds, first / "seeds")
    (first / "annotations").mkdir()
    newsmark("team", "init", cwd=first, annotator="founder")
    git("add", "-A", cwd=first)
    git("commit", "-q", "-m", "corpus", cwd=first)
    git("push", "-q", "origin", "main", cwd=first)

    def clone(name: str) -> Path:
        folder = tmp_path / name
        git("clone", "-q", str(origin), str(folder), cwd=tmp_path)
        _identity(folder, name)
        newsmark("team", "init", cwd=folder, annotator=name)
        return folder

    return clone


def _identity(folder: Path, name: str) -> None:
    git("config", "user.name", name, cwd=folder)
    git("config", "user.email", f"{name}@example.org", cwd=folder)
    git("config", "pull.rebase", "false", cwd=folder)


def tag(folder: Path, annotator: str, quote: str, tag_name: str = "claim",
        article: str = ARTICLE, note: str = "") -> str:
    done = newsmark("add", article, tag_name, "--quote", quote, "--note", note, cwd=folder,
                    annotator=annotator)
    return done.stdout.strip()


def commit(folder: Path, message: str) -> None:
    git("add", "-A", cwd=folder)
    git("commit", "-q", "-m", message, cwd=folder)


def sync(folder: Path) -> subprocess.CompletedProcess[str]:
    """Pull (merging) then push, as a person shares their work."""
    pulled = git("pull", "-q", "--no-edit", "origin", "main", cwd=folder, check=False)
    if pulled.returncode == 0:
        git("push", "-q", "origin", "main", cwd=folder)
    return pulled


def stored(folder: Path, annotator: str, article: str = ARTICLE) -> dict[str, Annotation]:
    store = Store(folder / "annotations", annotator=annotator)
    return {a.id: a for a in store.annotations(article) if a.annotator == annotator}


def test_team_init_writes_attributes_and_registers_the_driver(team, tmp_path: Path) -> None:
    clone = team("alice")
    attributes = (clone / "annotations" / ".gitattributes").read_text(encoding="utf-8")
    assert ATTRIBUTES_LINE in attributes.splitlines()
    driver = git("config", "--get", "merge.newsmark.driver", cwd=clone).stdout.strip()
    assert driver.startswith(sys.executable) or driver.startswith(f"'{sys.executable}'")
    assert driver.endswith("-m tui.merge %O %A %B %P %L")
    check = git("check-attr", "merge", f"annotations/{ARTICLE}/alice.json", cwd=clone)
    assert check.stdout.strip().endswith("merge: newsmark")
    # Running it again changes nothing.
    before = attributes
    done = newsmark("team", "init", cwd=clone, annotator="alice")
    assert "already set up" in done.stdout
    assert (clone / "annotations" / ".gitattributes").read_text(encoding="utf-8") == before
    assert git("status", "--porcelain", cwd=clone).stdout == ""


def test_team_init_outside_a_repository_says_what_to_do(tmp_path: Path) -> None:
    env = {**os.environ, "NEWSMARK_ANNOTATOR": "alice"}
    done = subprocess.run([sys.executable, "-m", "tui", "team", "init", "--store",
                           str(tmp_path / "annotations")], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env=env)
    assert done.returncode == 2
    assert "not inside a git repository" in done.stderr and "git init" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "annotations").exists()


def test_two_annotators_in_two_clones(team) -> None:
    alice, bob = team("alice"), team("bob")
    tag(alice, "alice", "Putin is satisfied")
    commit(alice, "alice tags")
    assert sync(alice).returncode == 0
    tag(bob, "bob", "respond decisively", "threat")
    commit(bob, "bob tags")
    assert sync(bob).returncode == 0
    assert sync(alice).returncode == 0
    for clone in (alice, bob):
        assert [a.tag for a in stored(clone, "alice").values()] == ["claim"]
        assert [a.tag for a in stored(clone, "bob").values()] == ["threat"]


def test_one_annotator_on_two_machines_adds_removes_and_edits(team) -> None:
    laptop, desktop = team("laptop"), team("desktop")
    # Both start from the same three annotations.
    kept = tag(laptop, "alice", "Putin is satisfied")
    removed = tag(laptop, "alice", "respond decisively", "threat")
    edited = tag(laptop, "alice", "Bilateral US-Russia talks", "schedule")
    commit(laptop, "three tags")
    assert sync(laptop).returncode == 0
    assert sync(desktop).returncode == 0

    # The laptop adds one and removes one; the desktop adds another and edits a third.
    added_on_laptop = tag(laptop, "alice", "colossal mistake", "threat")
    store = Store(laptop / "annotations", annotator="alice")
    assert store.remove(ARTICLE, removed) is not None
    commit(laptop, "laptop: add, remove")
    assert sync(laptop).returncode == 0
    added_on_desktop = tag(desktop, "alice", "The Kremlin denies", "denial")
    store = Store(desktop / "annotations", annotator="alice")
    store.update(store.get(ARTICLE, edited).changed(note="Geneva, 9 January"))
    commit(desktop, "desktop: add, edit")

    pulled = sync(desktop)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert "CONFLICT" not in pulled.stdout
    assert sync(laptop).returncode == 0
    for clone in (laptop, desktop):
        mine = stored(clone, "alice")
        assert set(mine) == {kept, edited, added_on_laptop, added_on_desktop}
        assert mine[edited].note == "Geneva, 9 January"
        assert Store(clone / "annotations", annotator="alice").check() == []
    assert (laptop / "annotations" / ARTICLE / "alice.json").read_bytes() == (
        desktop / "annotations" / ARTICLE / "alice.json").read_bytes()


def test_both_machines_edit_the_same_annotation(team) -> None:
    laptop, desktop = team("laptop"), team("desktop")
    ident = tag(laptop, "alice", "Putin is satisfied", note="first")
    commit(laptop, "tag")
    assert sync(laptop).returncode == 0
    assert sync(desktop).returncode == 0
    for clone, note, stamp in ((laptop, "from the laptop", "2030-01-01T10:00:00.000Z"),
                               (desktop, "from the desktop", "2030-01-01T11:00:00.000Z")):
        store = Store(clone / "annotations", annotator="alice")
        store.update(store.get(ARTICLE, ident).changed(note=note, tag="denial",
                                                       modified=stamp))
        commit(clone, note)
    assert sync(laptop).returncode == 0
    pulled = sync(desktop)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert "edited on both sides" in pulled.stderr
    (merged,) = stored(desktop, "alice").values()
    # The later edit (the desktop's, 11:00) wins; the laptop's is kept in the note.
    assert merged.note.startswith("from the desktop\n[merged: another edit of modified "
                                  "2030-01-01T10:00:00.000Z, note “from the laptop”]")
    assert merged.tag == "denial" and merged.modified == "2030-01-01T11:00:00.000Z"


def test_removing_the_last_annotation_while_the_other_machine_adds(team) -> None:
    """An emptied shard stays (empty) in a team store: git sees an edit, not a deletion, so
    the other machine's addition merges instead of a modify/delete conflict."""
    laptop, desktop = team("laptop"), team("desktop")
    only = tag(laptop, "alice", "Putin is satisfied")
    commit(laptop, "tag")
    assert sync(laptop).returncode == 0
    assert sync(desktop).returncode == 0
    assert Store(laptop / "annotations", annotator="alice").remove(ARTICLE, only)
    shard = laptop / "annotations" / ARTICLE / "alice.json"
    assert shard.exists() and json.loads(shard.read_bytes())["annotations"] == []
    commit(laptop, "untag")
    assert sync(laptop).returncode == 0
    added = tag(desktop, "alice", "respond decisively", "threat")
    commit(desktop, "tag")
    pulled = sync(desktop)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert set(stored(desktop, "alice")) == {added}


def test_done_marks_merge_like_annotations(team) -> None:
    laptop, desktop = team("laptop"), team("desktop")
    tag(laptop, "alice", "Putin is satisfied")
    commit(laptop, "tag")
    assert sync(laptop).returncode == 0
    assert sync(desktop).returncode == 0
    # The laptop marks the article done; the desktop, not knowing, tags more of it.
    newsmark("done", ARTICLE, cwd=laptop, annotator="alice")
    commit(laptop, "done")
    assert sync(laptop).returncode == 0
    tag(desktop, "alice", "respond decisively", "threat")
    commit(desktop, "tag")
    pulled = sync(desktop)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert len(stored(desktop, "alice")) == 2
    assert is_done(Store(desktop / "annotations", annotator="alice"), ARTICLE, "alice")
    # Both machines change the mark: the later change wins, whichever pulls first.
    assert sync(laptop).returncode == 0
    mark_done(Store(laptop / "annotations", annotator="alice"), ARTICLE, "alice", False,
              now="2030-01-01T10:00:00.000Z")
    commit(laptop, "not done after all")
    assert sync(laptop).returncode == 0
    store = Store(desktop / "annotations", annotator="alice")
    mark_done(store, ARTICLE, "alice", False, now="2030-01-01T09:00:00.000Z")
    mark_done(store, ARTICLE, "alice", True, now="2030-01-01T11:00:00.000Z")
    commit(desktop, "done again, later")
    pulled = sync(desktop)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert sync(laptop).returncode == 0
    for clone in (laptop, desktop):
        assert is_done(Store(clone / "annotations", annotator="alice"), ARTICLE, "alice")


def test_three_clones_merge_three_ways(team) -> None:
    """One shard changed in three clones; each pulls the others' work in turn."""
    clones = [team(name) for name in ("one", "two", "three")]
    base = tag(clones[0], "alice", "Putin is satisfied")
    doomed = tag(clones[0], "alice", "respond decisively", "threat")
    commit(clones[0], "base")
    assert sync(clones[0]).returncode == 0
    for clone in clones[1:]:
        assert sync(clone).returncode == 0
    added = [tag(clones[0], "alice", "colossal mistake", "threat"),
             tag(clones[1], "alice", "The Kremlin denies", "denial"),
             tag(clones[2], "alice", "Bilateral US-Russia talks", "schedule")]
    assert Store(clones[1] / "annotations", annotator="alice").remove(ARTICLE, doomed)
    for number, clone in enumerate(clones):
        commit(clone, f"clone {number}")
    for clone in clones:
        pulled = sync(clone)
        assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    for clone in clones:
        sync(clone)
    expected = {base, *added}
    for clone in clones:
        assert set(stored(clone, "alice")) == expected


def test_the_same_passage_tagged_on_both_machines_is_kept_once(team) -> None:
    laptop, desktop = team("laptop"), team("desktop")
    tag(laptop, "alice", "Putin is satisfied", note="laptop")
    commit(laptop, "laptop")
    assert sync(laptop).returncode == 0
    tag(desktop, "alice", "Putin is satisfied", note="desktop")
    tag(desktop, "alice", "respond decisively", "threat")
    commit(desktop, "desktop")
    pulled = sync(desktop)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    mine = sorted(stored(desktop, "alice").values(), key=lambda a: a.start)
    assert [a.tag for a in mine] == ["claim", "threat"]
    assert "laptop" in mine[0].note and "desktop" in mine[0].note


def test_a_merge_that_must_refuse_leaves_gits_conflict(team) -> None:
    laptop, desktop = team("laptop"), team("desktop")
    tag(laptop, "alice", "Putin is satisfied")
    commit(laptop, "tag")
    assert sync(laptop).returncode == 0
    assert sync(desktop).returncode == 0
    shard = f"annotations/{ARTICLE}/alice.json"
    # The laptop adds a tag; on the desktop the shard's end is cut off (a hand edit, a disk
    # that filled up): damaged JSON, changed where the laptop's change is.
    tag(laptop, "alice", "respond decisively", "threat")
    commit(laptop, "tag")
    assert sync(laptop).returncode == 0
    whole = (desktop / shard).read_bytes()
    (desktop / shard).write_bytes(whole[: len(whole) - 40])
    commit(desktop, "cut")
    pulled = git("pull", "--no-edit", "origin", "main", cwd=desktop, check=False)
    assert pulled.returncode != 0
    assert "CONFLICT" in pulled.stdout
    assert "cannot merge" in pulled.stderr and "not valid JSON" in pulled.stderr
    # The file is unmerged, and holds exactly what git's own line merge makes of it.
    assert git("diff", "--name-only", "--diff-filter=U", cwd=desktop).stdout.strip() == shard
    stages = {}
    for number in (1, 2, 3):
        stages[number] = desktop.parent / f"stage{number}"
        stages[number].write_bytes(subprocess.run(["git", "show", f":{number}:{shard}"],
                                                  cwd=desktop, capture_output=True,
                                                  check=True).stdout)
    expected = subprocess.run(["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L",
                               "theirs", str(stages[2]), str(stages[1]), str(stages[3])],
                              capture_output=True).stdout
    assert (desktop / shard).read_bytes() == expected
    assert Store(desktop / "annotations", annotator="alice").check() != []  # still damaged:
    # the driver wrote nothing of its own, and `newsmark check` points at the file.


def test_the_driver_runs_with_no_virtualenv_and_a_bare_path(team) -> None:
    laptop, desktop = team("laptop"), team("desktop")
    tag(laptop, "alice", "Putin is satisfied")
    commit(laptop, "tag")
    assert sync(laptop).returncode == 0
    assert sync(desktop).returncode == 0
    tag(laptop, "alice", "respond decisively", "threat")
    commit(laptop, "more")
    assert sync(laptop).returncode == 0
    tag(desktop, "alice", "colossal mistake", "threat")
    commit(desktop, "more")
    bare = {"PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/root")}
    pulled = git("pull", "--no-edit", "origin", "main", cwd=desktop, check=False, env=bare)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert len(stored(desktop, "alice")) == 3


# ------------------------------------------------------------------ the merge itself


def _article() -> Article:
    return Article(ARTICLE, Path("x.txt"), "word " * 100)


def _shard(*annotations: Annotation) -> bytes:
    return _render_shard(ARTICLE, "alice", [a.to_dict() for a in annotations])


def _ann(start: int, end: int, tag: str = "claim", **changes: str) -> Annotation:
    annotation = Annotation.new(_article(), Span(start, end), tag, annotator="alice",
                                id=f"id-{start}", now="2030-01-01T00:00:00.000Z")
    return annotation.changed(**changes) if changes else annotation


PATH = f"annotations/{ARTICLE}/alice.json"


def test_merge_rules_on_bytes() -> None:
    a, b, c = _ann(0, 4), _ann(10, 14), _ann(20, 24)
    base = _shard(a, b, c)
    ours = _shard(a, _ann(10, 14, note="mine", modified="2030-01-02T00:00:00.000Z"), _ann(30, 34))
    theirs = _shard(a, b, _ann(40, 44))  # removed c, added 40
    merged = json.loads(merge_shards(base, ours, theirs, PATH).data)
    notes = {r["id"]: r["note"] for r in merged["annotations"]}
    assert notes == {"id-0": "", "id-10": "mine", "id-30": "", "id-40": ""}
    # No common ancestor (both added the file): additions on both sides.
    merged = json.loads(merge_shards(b"", _shard(a), _shard(b), PATH).data)
    assert [r["id"] for r in merged["annotations"]] == ["id-0", "id-10"]
    # Removed on one side while edited on the other: kept, with a note.
    edited = _ann(0, 4, note="keep me", modified="2030-01-03T00:00:00.000Z")
    merged = json.loads(merge_shards(_shard(a, b), _shard(b), _shard(edited, b), PATH).data)
    (kept,) = [r for r in merged["annotations"] if r["id"] == "id-0"]
    assert kept["note"].startswith("keep me\n[merged: one copy removed this")
    # The merge is symmetric: both clones write the same bytes.
    x = _shard(a, _ann(10, 14, note="x", modified="2030-01-05T00:00:00.000Z"))
    y = _shard(a, _ann(10, 14, note="y", modified="2030-01-04T00:00:00.000Z"))
    assert merge_shards(base, x, y, PATH).data == merge_shards(base, y, x, PATH).data


def test_merge_refuses_what_it_cannot_merge_safely() -> None:
    good = _shard(_ann(0, 4))
    with pytest.raises(MergeRefused, match="damaged"):
        merge_shards(good, good, good[:-20], PATH)
    other = _render_shard(ARTICLE, "bob", [_ann(0, 4).to_dict()])
    with pytest.raises(MergeRefused, match="annotator"):
        merge_shards(good, good, other, PATH)
    newer = json.loads(good)
    newer["schema"] = 99
    with pytest.raises(MergeRefused, match="newer newsmark"):
        merge_shards(good, good, json.dumps(newer).encode(), PATH)
