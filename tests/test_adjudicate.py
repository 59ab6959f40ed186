"""``newsmark adjudicate``: a curated set from several annotators, on a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.adjudicate import Strategy, parse_strategy, select
from tui.cli import main
from tui.model import Annotation, Article, Span
from tui.store import Store

ARTICLE = "002_a34abba263e9470d"
THREAT = ("She said Biden warned that the US and its allies will “respond decisively” if Russia "
          "invades Ukraine.")
CLAIM = "Russian President Vladimir Putin is satisfied with the outcome of talks"
SCHEDULE = "Bilateral US-Russia talks will start in Geneva on 9 January"
DENIAL = "The Kremlin denies any intention to invade its neighbour"

#: Who tagged what: THREAT by all three, CLAIM by two, SCHEDULE by one, DENIAL by two with
#: different extents (so no exact passage has a majority).
WORK = {
    "alice": [(THREAT, "threat", "a says"), (CLAIM, "claim", ""), (SCHEDULE, "schedule", ""),
              (DENIAL, "denial", "")],
    "bob": [(THREAT, "threat", "b says"), (CLAIM, "claim", "")],
    "carol": [(THREAT, "threat", ""), (DENIAL + ", while also demanding", "denial", "")],
}


def fill(seeds: Path, store_dir: Path) -> None:
    for name, marks in WORK.items():
        for quote, tag, note in marks:
            assert main(["add", ARTICLE, tag, "--quote", quote, "--note", note, "--annotator",
                         name, "--corpus", str(seeds), "--store", str(store_dir)]) == 0


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.json"))}


def gold(store_dir: Path, name: str = "gold") -> list[Annotation]:
    return [a for a in Store(store_dir, annotator="x").annotations(ARTICLE) if a.annotator == name]


def run(seeds: Path, store_dir: Path, *args: str) -> int:
    return main(["adjudicate", *args, "--corpus", str(seeds), "--store", str(store_dir)])


def test_majority_writes_gold_only_and_records_its_sources(
        seeds: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(seeds, store_dir)
    before = snapshot(store_dir)
    capsys.readouterr()
    assert run(seeds, store_dir) == 0
    out = capsys.readouterr().out
    assert out.startswith("gold: 2 added, 0 updated, 0 removed, 0 unchanged in 1 article(s)")
    assert "majority of alice, bob, carol" in out
    after = snapshot(store_dir)
    # Nobody's own shard changed; one new shard, gold's.
    assert {k: v for k, v in after.items() if k in before} == before
    assert set(after) - set(before) == {f"{ARTICLE}/gold.json"}
    curated = {a.tag: a for a in gold(store_dir)}
    assert set(curated) == {"threat", "claim"}
    assert curated["threat"].adjudicated_from == ("alice", "bob", "carol")
    assert curated["claim"].adjudicated_from == ("alice", "bob")
    assert curated["threat"].note == "alice: a says\nbob: b says"
    assert curated["threat"].text == THREAT and curated["threat"].annotator == "gold"
    record = json.loads(after[f"{ARTICLE}/gold.json"])["annotations"][0]
    assert record["adjudicated_from"] in (["alice", "bob", "carol"], ["alice", "bob"])


def test_running_it_again_changes_nothing(seeds: Path, store_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    fill(seeds, store_dir)
    assert run(seeds, store_dir) == 0
    first = snapshot(store_dir)
    stamps = {p: p.stat().st_mtime_ns for p in store_dir.rglob("*.json")}
    capsys.readouterr()
    assert run(seeds, store_dir) == 0
    assert "0 added, 0 updated, 0 removed, 2 unchanged" in capsys.readouterr().out
    assert snapshot(store_dir) == first
    assert {p: p.stat().st_mtime_ns for p in store_dir.rglob("*.json")} == stamps


@pytest.mark.parametrize(("strategy", "expected"), [
    ("union", {"threat", "claim", "schedule", "denial"}),
    ("intersection", {"threat"}),
    ("prefer:alice", {"threat", "claim", "schedule", "denial"}),
    ("prefer:carol", {"threat", "denial"}),
])
def test_other_strategies(seeds: Path, store_dir: Path, strategy: str, expected: set[str]
                          ) -> None:
    fill(seeds, store_dir)
    assert run(seeds, store_dir, "--strategy", strategy, "--into", "curated") == 0
    assert {a.tag for a in gold(store_dir, "curated")} == expected
    if strategy == "union":
        assert len(gold(store_dir, "curated")) == 5  # two denials: different extents


def test_a_changed_strategy_removes_what_it_no_longer_selects(
        seeds: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(seeds, store_dir)
    assert run(seeds, store_dir, "--strategy", "union") == 0
    capsys.readouterr()
    assert run(seeds, store_dir, "--strategy", "intersection") == 0
    assert "0 added, 0 updated, 4 removed, 1 unchanged" in capsys.readouterr().out
    assert [a.tag for a in gold(store_dir)] == ["threat"]


def test_a_curators_own_changes_are_kept(seeds: Path, store_dir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    fill(seeds, store_dir)
    assert run(seeds, store_dir) == 0
    store = Store(store_dir, annotator="gold")
    claim = next(a for a in gold(store_dir) if a.tag == "claim")
    store.update(claim.changed(note="checked against the readout"))
    assert main(["add", ARTICLE, "schedule", "--quote", SCHEDULE, "--annotator", "gold",
                 "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    capsys.readouterr()
    assert run(seeds, store_dir) == 0
    captured = capsys.readouterr()
    assert "0 added, 0 updated, 0 removed, 1 unchanged" in captured.out
    assert "kept 1 annotation(s) a curator added and 1 edited" in captured.err
    notes = {a.tag: a.note for a in gold(store_dir)}
    assert notes["claim"] == "checked against the readout" and "schedule" in notes


def test_new_work_updates_the_curated_set(seeds: Path, store_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    fill(seeds, store_dir)
    assert run(seeds, store_dir) == 0
    # carol now tags the schedule too: alice's schedule gains a majority.
    assert main(["add", ARTICLE, "schedule", "--quote", SCHEDULE, "--annotator", "carol",
                 "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    capsys.readouterr()
    assert run(seeds, store_dir) == 0
    assert "1 added, 0 updated, 0 removed, 2 unchanged" in capsys.readouterr().out
    schedule = next(a for a in gold(store_dir) if a.tag == "schedule")
    assert schedule.adjudicated_from == ("alice", "carol")


def test_refusals(seeds: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(seeds, store_dir)
    capsys.readouterr()
    assert run(seeds, store_dir, "--into", "alice") == 2
    assert "annotations of their own" in capsys.readouterr().err
    assert run(seeds, store_dir, "--strategy", "loudest") == 2
    assert "unknown strategy 'loudest'" in capsys.readouterr().err
    assert run(seeds, store_dir, "--strategy", "prefer:dave") == 2
    assert "prefer:dave names no source annotator" in capsys.readouterr().err
    assert run(seeds, store_dir, "--article", "nope") == 2
    assert "no article 'nope'" in capsys.readouterr().err
    assert not (store_dir / ARTICLE / "gold.json").exists()


def test_gold_is_left_out_of_agree_and_compared_with_against(
        seeds: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fill(seeds, store_dir)
    assert run(seeds, store_dir) == 0
    capsys.readouterr()
    base = ["--corpus", str(seeds), "--store", str(store_dir), "--format", "json"]
    assert main(["agree", *base]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["sentence"]["annotators"] == ["alice", "bob", "carol"]
    assert main(["agree", "--against", "gold", "--annotator", "alice", *base]) == 0
    doc = json.loads(capsys.readouterr().out)
    pooled = next(p for p in doc["pairs"] if p["tag"] == "*")
    assert (pooled["a"], pooled["b"]) == ("alice", "gold")
    # alice's 4 passages: 2 kept in gold (strict matches), 2 dropped; gold has nothing else.
    assert (pooled["strict"]["matched"], pooled["strict"]["a_only"],
            pooled["strict"]["b_only"]) == (2, 2, 0)


def test_exports_carry_adjudicated_from(seeds: Path, store_dir: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    fill(seeds, store_dir)
    assert run(seeds, store_dir) == 0
    base = ["--corpus", str(seeds), "--store", str(store_dir), "--annotator", "gold"]
    for fmt in ("json", "jsonl", "csv", "w3c", "labelstudio"):
        assert main(["export", "--format", fmt, "-o", str(tmp_path / f"gold.{fmt}"),
                     *base]) == 0
    csv_text = (tmp_path / "gold.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].endswith(",adjudicated_from")
    assert "alice; bob; carol" in csv_text
    w3c = json.loads((tmp_path / "gold.w3c").read_text(encoding="utf-8"))
    creators = sorted([c["name"] for c in item["creator"]] for item in w3c["first"]["items"])
    assert creators == [["gold", "alice", "bob"], ["gold", "alice", "bob", "carol"]]
    tasks = json.loads((tmp_path / "gold.labelstudio").read_text(encoding="utf-8"))
    (entry,) = [t for t in tasks if t["data"]["article_id"] == ARTICLE][0]["annotations"]
    assert entry["ground_truth"] is True
    assert sorted(r["meta"]["adjudicated_from"] for r in entry["result"]
                  if r["type"] == "labels") == [
        ["alice", "bob"], ["alice", "bob", "carol"]]
    doc = json.loads((tmp_path / "gold.json").read_text(encoding="utf-8"))
    records = doc["articles"][[a["id"] for a in doc["articles"]].index(ARTICLE)]["annotations"]
    assert sorted(tuple(r["adjudicated_from"]) for r in records) == [
        ("alice", "bob"), ("alice", "bob", "carol")]
    lines = (tmp_path / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    assert sorted(tuple(json.loads(line)["adjudicated_from"]) for line in lines) == [
        ("alice", "bob"), ("alice", "bob", "carol")]
    # json, jsonl and w3c read back with adjudicated_from.
    for fmt in ("json", "jsonl", "w3c"):
        other = tmp_path / f"store-{fmt}"
        assert main(["import", str(tmp_path / f"gold.{fmt}"), "--corpus", str(seeds),
                     "--store", str(other)]) == 0
        back = Store(other, annotator="x").annotations(ARTICLE)
        assert {a.annotator for a in back} == {"gold"}, fmt
        assert sorted(a.adjudicated_from for a in back) == [
            ("alice", "bob"), ("alice", "bob", "carol")], fmt


def test_select_counts_votes_of_the_coders_only() -> None:
    article = Article("x", Path("x.txt"), "word " * 20)

    def ann(who: str, start: int, end: int) -> Annotation:
        return Annotation.new(article, Span(start, end), "claim", annotator=who,
                              id=f"{who}{start}", now="2030-01-01T00:00:00.000Z")

    work = {"a": [ann("a", 0, 4), ann("a", 0, 4)], "b": [ann("b", 0, 4)], "c": []}
    # Two of three voters: a majority; a's duplicate is one vote.
    (chosen,) = select(article, work, Strategy("majority"), "gold")
    assert chosen.adjudicated_from == ("a", "b")
    assert select(article, {"a": work["a"], "c": []}, Strategy("majority"), "gold") == []
    assert parse_strategy("prefer: bob") == Strategy("prefer", "bob")
