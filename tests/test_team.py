"""``newsmark progress`` and reading a team's work (tui/team.py), on a real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.cli import main

ARTICLE = "002_a34abba263e9470d"
OTHER = "003_9b9a3ba666ff02ad"


def add(seeds: Path, store_dir: Path, who: str, article: str, tag: str, quote: str) -> None:
    assert main(["add", article, tag, "--quote", quote, "--annotator", who, "--corpus",
                 str(seeds), "--store", str(store_dir)]) == 0


def test_progress_per_annotator(seeds: Path, store_dir: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    add(seeds, store_dir, "alice", ARTICLE, "threat", "respond decisively")
    add(seeds, store_dir, "alice", ARTICLE, "claim", "Putin is satisfied")
    add(seeds, store_dir, "alice", OTHER, "threat", "Putin had requested the call.")
    add(seeds, store_dir, "bob", ARTICLE, "claim", "Putin is satisfied")
    capsys.readouterr()
    assert main(["progress", "--format", "json", "--corpus", str(seeds), "--store",
                 str(store_dir)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["articles"] == 5 and doc["tags"] == ["claim", "threat", "denial", "schedule"]
    alice, bob = doc["annotators"]
    assert alice["name"] == "alice" and alice["started"] == 2 and alice["done"] == 0
    assert alice["untouched"] == 3 and alice["started_articles"] == [ARTICLE, OTHER]
    assert alice["tags"] == {"claim": 1, "threat": 2, "denial": 0, "schedule": 0}
    assert alice["total"] == 3 and bob["total"] == 1 and bob["curated"] is False
    assert main(["progress", "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["annotator", "done", "started", "untouched", "claim", "threat",
                                "denial", "schedule", "total"]
    assert lines[1].split() == ["alice", "0", "2", "3", "1", "2", "0", "0", "3"]
    assert lines[2].split() == ["bob", "0", "1", "4", "1", "0", "0", "0", "1"]


def test_progress_of_an_empty_store_and_curated_sets(seeds: Path, store_dir: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress", "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    assert "Nobody has tagged" in capsys.readouterr().out
    add(seeds, store_dir, "alice", ARTICLE, "claim", "Putin is satisfied")
    add(seeds, store_dir, "bob", ARTICLE, "claim", "Putin is satisfied")
    assert main(["adjudicate", "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    capsys.readouterr()
    assert main(["progress", "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:4]] == ["alice", "bob", "gold"]
    assert "(curated)" in lines[3]


def test_done_marks_are_kept_in_my_shard_and_counted(seeds: Path, store_dir: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--corpus", str(seeds), "--store", str(store_dir)]
    add(seeds, store_dir, "alice", ARTICLE, "claim", "Putin is satisfied")
    assert main(["done", ARTICLE, OTHER, "--annotator", "alice", *base]) == 0
    assert main(["done", ARTICLE, "--annotator", "alice", *base]) == 0
    out = capsys.readouterr().out
    assert f"{ARTICLE}: done for alice\n" in out and f"{ARTICLE}: done for alice (already)" in out
    # In alice's own file, a status section; OTHER's file holds only the status.
    shard = json.loads((store_dir / OTHER / "alice.json").read_bytes())
    assert shard["annotations"] == [] and shard["schema"] == 2
    (status,) = shard["status"]
    assert (status["id"], status["state"], status["annotator"]) == ("status", "done", "alice")
    assert main(["progress", "--format", "json", *base]) == 0
    (alice,) = json.loads(capsys.readouterr().out)["annotators"]
    assert (alice["done"], alice["started"]) == (2, 0)
    assert alice["done_articles"] == [ARTICLE, OTHER]
    assert main(["done", OTHER, "--undo", "--annotator", "alice", *base]) == 0
    capsys.readouterr()
    assert main(["progress", "--format", "json", *base]) == 0
    (alice,) = json.loads(capsys.readouterr().out)["annotators"]
    assert (alice["done"], alice["started"]) == (1, 0)
    assert main(["done", "nope", *base]) == 2
    assert "no article 'nope'" in capsys.readouterr().err


def test_an_article_done_without_tags_counts_in_agree(seeds: Path, store_dir: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--corpus", str(seeds), "--store", str(store_dir)]
    add(seeds, store_dir, "alice", ARTICLE, "claim", "Putin is satisfied")
    # bob read the article and found nothing to tag: marking it done makes that a judgement.
    assert main(["done", ARTICLE, "--annotator", "bob", *base]) == 0
    capsys.readouterr()
    assert main(["agree", "--format", "json", *base]) == 0
    doc = json.loads(capsys.readouterr().out)
    pooled = next(p for p in doc["pairs"] if p["tag"] == "*")
    assert (pooled["a"], pooled["b"]) == ("alice", "bob")
    assert (pooled["strict"]["matched"], pooled["strict"]["a_only"]) == (0, 1)
    assert pooled["strict"]["f1"] == 0.0
    assert doc["sentence"]["articles"] == 1
    assert doc["articles"][0]["coders"] == ["alice", "bob"]
