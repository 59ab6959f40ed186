"""Statistics need ids and outlets only: they read no article file, and a damaged shard costs
only its own article's counts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tui.cli import main
from tui.config import Config
from tui.corpus import CorpusCache, load_corpus
from tui.model import Annotation, Span
from tui.stats import compute_stats
from tui.store import Store

LUX = "002_a34abba263e9470d"
RT = "000_459b4affb575bcd9"


def test_stats_read_no_article_file(tmp_path: Path, seeds: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds, folder)
    cache = CorpusCache(tmp_path / "cache.json")
    first = load_corpus([folder], cache=cache)
    annotations = [
        Annotation.new(first.get(article_id), Span(0, 5), "claim", annotator="ann")
        for article_id in (LUX, RT, RT)
    ]
    # Relaunched from the cache, then every article file made unreadable: counting per article
    # and per outlet must not need one of them.
    corpus = load_corpus([folder], cache=CorpusCache(tmp_path / "cache.json"))
    for path in folder.glob("*.txt"):
        path.write_bytes(b"\0binary now")
        path.chmod(0o000)
    try:
        stats = compute_stats(corpus, annotations, Config().tag_names)
    finally:
        for path in folder.glob("*.txt"):
            path.chmod(0o644)
    assert list(stats.per_article) == list(corpus.ids)
    assert stats.per_article[RT] == {"claim": 2}
    assert stats.per_outlet == {"RT": {"claim": 2}, "Luxembourg Times": {"claim": 1}}
    assert corpus.problem(RT) is None  # nobody tried to read it


def test_cli_stats_and_compare_name_a_damaged_file_and_count_the_rest(
    seeds: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["add", LUX, "threat", "--quote", "respond decisively", *common]) == 0
    assert main(["add", RT, "claim", "--quote", "Ukraine", *common]) == 0
    damaged = Store(store_dir, annotator="tester").shard_path(RT, "tester")
    damaged.write_bytes(damaged.read_bytes()[:30])
    capsys.readouterr()

    assert main(["stats", "--format", "json", *common]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["total"]["threat"] == 1
    assert json.loads(captured.out)["total"]["claim"] == 0
    (line,) = captured.err.splitlines()
    assert line.startswith(f"newsmark: {damaged} is damaged (not valid JSON")
    assert line.endswith("run `newsmark check --repair` to move it aside; its annotations are "
                         "left out")

    assert main(["compare", "--format", "json", *common]) == 1
    captured = capsys.readouterr()
    assert [row["tag"] for row in json.loads(captured.out)["rows"]] == ["threat"]
    assert str(damaged) in captured.err
