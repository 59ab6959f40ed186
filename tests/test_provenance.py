"""Accepted suggestions keep their provenance (source, score, when) in the store and the
exports, and files written before provenance existed still read (issue 15)."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

from tui import formats
from tui.config import DEFAULT_TAGS
from tui.corpus import load_corpus
from tui.model import Annotation, Span
from tui.store import Store


def _accepted(corpus) -> Annotation:  # noqa: ANN001
    article = corpus.load_all()[0]
    start = article.text.index("Thursday")
    annotation = Annotation.new(article, Span(start, start + 40), "schedule", annotator="tester")
    return replace(annotation, source="rules", score=0.85, when="2022-01-09/2022-01-10")


def test_the_store_keeps_provenance_and_reads_old_shards(seeds: Path, store_dir: Path) -> None:
    corpus = load_corpus([seeds])
    accepted = _accepted(corpus)
    store = Store(store_dir, annotator="tester")
    store.add(accepted)
    assert Store(store_dir, annotator="tester").annotations(accepted.article_id) == [accepted]
    shard = next(store_dir.glob("*/tester.json"))
    record = json.loads(shard.read_text(encoding="utf-8"))["annotations"][0]
    assert (record["source"], record["score"], record["when"]) == (
        "rules", 0.85, "2022-01-09/2022-01-10")
    # A shard written before provenance existed: the keys are missing, the annotation reads as
    # hand-made.
    data = json.loads(shard.read_text(encoding="utf-8"))
    for key in ("source", "score", "when"):
        del data["annotations"][0][key]
    shard.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    [old] = Store(store_dir, annotator="tester").annotations(accepted.article_id)
    assert (old.source, old.score, old.when) == ("", None, "")
    assert replace(old, source="rules", score=0.85, when=accepted.when) == accepted


def _export(name: str, corpus, annotations, out: Path) -> Path:  # noqa: ANN001
    items = [formats.ExportItem(article, tuple(a for a in annotations
                                               if a.article_id == article.id))
             for article in corpus.load_all()]
    formats.export(name, items, out, tags=DEFAULT_TAGS)
    return out


def test_native_json_and_jsonl_round_trips_keep_provenance(seeds: Path, tmp_path: Path) -> None:
    corpus = load_corpus([seeds])
    accepted = _accepted(corpus)
    article = corpus.load_all()[0]
    by_hand = Annotation.new(article, Span(0, 10), "claim", annotator="tester")
    for name in ("json", "jsonl"):
        out = _export(name, corpus, [accepted, by_hand], tmp_path / f"out.{name}")
        back = {a.id: a for a in formats.import_file(out, name, corpus).annotations}
        assert (back[accepted.id].source, back[accepted.id].score, back[accepted.id].when) == (
            "rules", 0.85, "2022-01-09/2022-01-10"), name
        assert (back[by_hand.id].source, back[by_hand.id].score) == ("", None), name
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert {row["id"]: row["score"] for row in rows} == {accepted.id: 0.85, by_hand.id: None}


def test_csv_has_the_provenance_columns(seeds: Path, tmp_path: Path) -> None:
    corpus = load_corpus([seeds])
    accepted = _accepted(corpus)
    out = _export("csv", corpus, [accepted], tmp_path / "out.csv")
    with out.open(newline="", encoding="utf-8") as stream:
        [row] = list(csv.DictReader(stream))
    assert (row["source"], row["score"], row["when"]) == ("rules", "0.85",
                                                          "2022-01-09/2022-01-10")


def test_w3c_names_the_suggester_as_the_generator(seeds: Path, tmp_path: Path) -> None:
    corpus = load_corpus([seeds])
    accepted = _accepted(corpus)
    by_hand = Annotation.new(corpus.load_all()[0], Span(0, 10), "claim", annotator="tester")
    out = _export("w3c", corpus, [accepted, by_hand], tmp_path / "out.jsonld")
    items = json.loads(out.read_text(encoding="utf-8"))["first"]["items"]
    generators = {item["id"]: item.get("generator") for item in items}
    assert generators[f"urn:uuid:{accepted.id}"] == {
        "id": "urn:newsmark:suggester:rules", "type": "Software",
        "name": "newsmark suggester rules"}
    assert generators[f"urn:uuid:{by_hand.id}"] is None
    back = {a.id: a for a in formats.import_file(out, "w3c", corpus).annotations}
    assert back[accepted.id].source == "rules" and back[by_hand.id].source == ""


def test_a_bad_score_in_an_import_is_a_skipped_record(seeds: Path, tmp_path: Path) -> None:
    corpus = load_corpus([seeds])
    accepted = _accepted(corpus)
    out = _export("jsonl", corpus, [accepted], tmp_path / "out.jsonl")
    row = json.loads(out.read_text(encoding="utf-8"))
    row["score"] = "very"
    out.write_text(json.dumps(row) + "\n", encoding="utf-8")
    result = formats.import_file(out, "jsonl", corpus)
    assert result.annotations == [] and "score" in result.problems[0]
