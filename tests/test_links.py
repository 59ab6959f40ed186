"""Links: confirmed and rejected cells, stored in real shards, re-anchored, in the matrix."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tui.cli import main
from tui.compare import Aligner, cell_code, compare, matrix_json, matrix_table
from tui.corpus import load_corpus
from tui.links import (
    LINKS,
    Link,
    corpus_links,
    link_for,
    links_of,
    put_link,
    reanchor_link,
    remove_link,
)
from tui.model import Annotation, Span
from tui.store import Store

LUX, O3 = "002_a34abba263e9470d", "003_9b9a3ba666ff02ad"
WARNED = ("She said Biden warned that the US and its allies will “respond decisively” if Russia "
          "invades Ukraine.")
TOLD = ("Biden, for one, reaffirmed his threat of extraordinary consequences if Russia invaded "
        "Ukraine.")
MARKERS = {"threat": "T"}


def tagged(corpus, article_id: str, quote: str, tag: str = "threat") -> Annotation:  # noqa: ANN001
    article = corpus.get(article_id)
    start = article.text.index(quote)
    return Annotation.new(article, Span(start, start + len(quote)), tag, annotator="ann")


@pytest.fixture
def corpus(seeds: Path):  # noqa: ANN201
    return load_corpus([seeds])


def test_links_are_reanchored_when_the_text_changes(corpus) -> None:  # noqa: ANN001
    annotation = tagged(corpus, LUX, WARNED)
    target = corpus.get(O3)
    start = target.text.index(TOLD)
    link = Link.new(annotation, target, "confirmed", Span(start, start + len(TOLD)),
                    annotator="ann")
    from dataclasses import replace

    moved = replace(target, text="A new first line.\n\n" + target.text, sha256="")
    found = reanchor_link(link, moved)
    assert moved.text[found.start : found.end] == TOLD and found.start == start + 19
    assert found.text_sha256 == moved.sha256
    gone = replace(target, text=target.text.replace(TOLD, "Something else entirely."),
                   sha256="")
    orphan = reanchor_link(link, gone)
    assert orphan.anchor == "orphan" and (orphan.start, orphan.end) == (link.start, link.end)


def test_bad_links_are_refused(corpus) -> None:  # noqa: ANN001
    annotation = tagged(corpus, LUX, WARNED)
    target = corpus.get(O3)
    with pytest.raises(ValueError, match="confirmed link needs"):
        Link.new(annotation, target, "confirmed", None, annotator="ann")
    with pytest.raises(ValueError, match="outside"):
        Link.new(annotation, target, "confirmed", Span(0, len(target.text) + 1),
                 annotator="ann")
    with pytest.raises(ValueError):
        Link.new(annotation, target, "maybe", None, annotator="ann")
    with pytest.raises(ValueError):
        Link.from_record(O3, {"id": "x", "annotation": "x", "source_article": LUX,
                              "verdict": "confirmed", "start": 5, "end": None})


def test_the_matrix_shows_verdicts_apart_from_machine_guesses(corpus) -> None:  # noqa: ANN001
    annotation = tagged(corpus, LUX, WARNED)
    target = corpus.get(O3)
    start = target.text.index(TOLD)
    confirmed = Link.new(annotation, target, "confirmed", Span(start, start + len(TOLD)),
                         annotator="ann")
    aligner = Aligner(corpus, scorer="lexical")
    plain = compare(corpus, [annotation], aligner=aligner)
    matrix = compare(corpus, [annotation], aligner=aligner, links=[confirmed])
    cell = matrix.rows[0].cells[O3]
    # The machine's match is kept as it was; the verdict is beside it.
    assert cell.match == plain.rows[0].cells[O3].match and cell.link == confirmed
    # The analyst's ✓ before the machine's own code (here a doubtful cell near the threshold).
    machine = cell_code(plain.rows[0].cells[O3], MARKERS)
    assert machine[0] in "~-" and cell_code(cell, MARKERS) == "✓" + machine
    data = json.loads(matrix_json(matrix, corpus))
    json_cell = data["rows"][0]["cells"][O3]
    assert json_cell["kind"] == plain.rows[0].cells[O3].match.kind
    assert json_cell["link"]["verdict"] == "confirmed" and json_cell["link"]["text"] == TOLD
    assert data["rows"][0]["cells"]["004_320cd11bf9cbfd71"]["link"] is None
    rejected = Link.new(annotation, target, "rejected", None, annotator="ann")
    matrix = compare(corpus, [annotation], aligner=aligner, links=[rejected])
    assert cell_code(matrix.rows[0].cells[O3], MARKERS).startswith("✗")
    assert "✓ confirmed · ✗ rejected" in matrix_table(matrix, MARKERS)


def test_outlet_counts_take_the_verdicts_over_the_machine(corpus) -> None:  # noqa: ANN001
    from tui.compare import outlet_counts

    annotation = tagged(corpus, LUX, WARNED)
    respond = tagged(corpus, LUX, "respond decisively")
    aligner = Aligner(corpus, scorer="lexical")
    plain = {c.article_id: c for c in outlet_counts(compare(corpus, [annotation, respond],
                                                            aligner=aligner))}
    # 003 has the warning in other words and not the phrase; 004 has both.
    assert plain[O3].total == 2 and plain[O3].dropped >= 1
    assert plain[LUX].total == 0  # both were tagged there
    rejected = Link.new(annotation, corpus.get(O3), "rejected", None, annotator="ann")
    counted = {c.article_id: c for c in outlet_counts(compare(
        corpus, [annotation, respond], aligner=aligner, links=[rejected]))}
    assert counted[O3].dropped == 2 and counted[O3].rejected == 1
    assert counted[O3].reworded == 0 and counted[O3].verbatim == 0


def test_a_confirmation_is_stored_in_the_annotators_shard_and_replaced(
        corpus, tmp_path: Path) -> None:  # noqa: ANN001
    store = Store(tmp_path / "store", annotator="ann")
    annotation = tagged(corpus, LUX, WARNED)
    target = corpus.get(O3)
    start = target.text.index(TOLD)
    link = Link.new(annotation, target, "confirmed", Span(start, start + len(TOLD)),
                    annotator="ann", now="2026-12-01T10:00:00.000Z")
    assert put_link(store, link) is None
    shard = json.loads(store.shard_path(O3, "ann").read_text(encoding="utf-8"))
    (record,) = shard[LINKS]
    assert record["verdict"] == "confirmed" and record["text"] == TOLD
    assert record["annotation"] == annotation.id and record["source_article"] == LUX
    (read,) = links_of(store, target)
    assert read == link
    # A second verdict replaces the first and hands it back, for undo.
    rejection = Link.new(annotation, target, "rejected", None, annotator="ann",
                         now="2026-12-01T11:00:00.000Z")
    assert put_link(store, rejection) == link
    assert [x.verdict for x in links_of(store, target)] == ["rejected"]
    # Undo: put the previous one back; remove removes.
    put_link(store, link)
    assert links_of(store, target) == [link]
    assert remove_link(store, link) == link
    assert links_of(store, target) == []
    assert remove_link(store, link) is None


def test_other_annotators_keep_their_own_verdicts(corpus, tmp_path: Path) -> None:  # noqa: ANN001
    root = tmp_path / "store"
    annotation = tagged(corpus, LUX, WARNED)
    target = corpus.get(O3)
    start = target.text.index(TOLD)
    mine = Link.new(annotation, target, "confirmed", Span(start, start + len(TOLD)),
                    annotator="ann", now="2026-12-01T10:00:00.000Z")
    theirs = Link.new(annotation, target, "rejected", None, annotator="bob",
                      now="2026-12-01T12:00:00.000Z")
    put_link(Store(root, annotator="ann"), mine)
    put_link(Store(root, annotator="bob"), theirs)
    store = Store(root, annotator="ann")
    assert {x.annotator for x in links_of(store, target)} == {"ann", "bob"}
    assert links_of(store, target, "ann") == [mine]
    # The cell shows the latest verdict.
    assert link_for(links_of(store, target), [annotation.id], O3) == theirs


def test_cli_compare_carries_the_stored_links(seeds: Path, store_dir: Path, corpus,
                                              capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["add", LUX, "threat", "--quote", WARNED, *common, "--annotator", "ann"]) == 0
    store = Store(store_dir, annotator="ann")
    (annotation,) = store.annotations(LUX)
    target = corpus.get(O3)
    start = target.text.index(TOLD)
    put_link(store, Link.new(annotation, target, "confirmed", Span(start, start + len(TOLD)),
                             annotator="ann"))
    capsys.readouterr()
    assert main(["compare", "--format", "json", *common]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows"][0]["cells"][O3]["link"]["verdict"] == "confirmed"
    assert main(["compare", *common]) == 0
    assert re.search(r"✓(~\d+|-)", capsys.readouterr().out)




def test_links_survive_a_changed_text_on_disk(tmp_path: Path) -> None:
    """A link made on one version of an article is found again in the next (a line added at
    the top), read from the real store."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Talks are set for Monday in Geneva.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Officials will meet in Geneva on Monday, it was said.\n",
                                  encoding="utf-8")
    corpus = load_corpus([folder])
    source = tagged(corpus, "a", "Talks are set for Monday in Geneva.", "schedule")
    target = corpus.get("b")
    quote = "Officials will meet in Geneva on Monday"
    store = Store(tmp_path / "store", annotator="ann")
    put_link(store, Link.new(source, target, "confirmed", Span(0, len(quote)),
                             annotator="ann"))
    (folder / "b.txt").write_text("Updated.\n\nOfficials will meet in Geneva on Monday, it "
                                  "was said.\n", encoding="utf-8")
    (link,) = corpus_links(store, load_corpus([folder]))
    assert link.start == len("Updated.\n\n") and link.text == quote


def _two_verdicts(seeds: Path, store_dir: Path, corpus) -> tuple[list[str], Annotation]:  # noqa: ANN001
    """ann's threat on LUX, ann's confirmed link to O3 and bob's rejected one; the options."""
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["add", LUX, "threat", "--quote", WARNED, *common, "--annotator", "ann"]) == 0
    (annotation,) = Store(store_dir, annotator="ann").annotations(LUX)
    target = corpus.get(O3)
    start = target.text.index(TOLD)
    put_link(Store(store_dir, annotator="ann"),
             Link.new(annotation, target, "confirmed", Span(start, start + len(TOLD)),
                      annotator="ann"))
    put_link(Store(store_dir, annotator="bob"),
             Link.new(annotation, target, "rejected", None, annotator="bob"))
    return common, annotation


def test_the_native_export_carries_the_links(seeds: Path, store_dir: Path, corpus,
                                             tmp_path: Path) -> None:  # noqa: ANN001
    common, annotation = _two_verdicts(seeds, store_dir, corpus)
    out = tmp_path / "out.json"
    assert main(["export", "--format", "json", "-o", str(out), *common]) == 0
    articles = {a["id"]: a for a in json.loads(out.read_text(encoding="utf-8"))["articles"]}
    links = articles[O3]["links"]
    assert [(x["annotator"], x["verdict"]) for x in links] == [("ann", "confirmed"),
                                                               ("bob", "rejected")]
    assert links[0]["annotation"] == annotation.id and links[0]["text"] == TOLD
    assert "links" not in articles[LUX]
    assert main(["export", "--format", "json", "-o", str(out), "--annotator", "bob",
                 *common]) == 0
    articles = {a["id"]: a for a in json.loads(out.read_text(encoding="utf-8"))["articles"]}
    assert [x["annotator"] for x in articles[O3]["links"]] == ["bob"]
    # With --tag, the links of the tags exported.
    assert main(["export", "--format", "json", "-o", str(out), "--tag", "claim", *common]) == 0
    articles = {a["id"]: a for a in json.loads(out.read_text(encoding="utf-8"))["articles"]}
    assert "links" not in articles[O3]


def test_the_native_json_import_reads_the_links_back(seeds: Path, store_dir: Path, corpus,
                                                     tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    common, annotation = _two_verdicts(seeds, store_dir, corpus)
    target = corpus.get(O3)
    exported = tmp_path / "out.json"
    assert main(["export", "--format", "json", "-o", str(exported), *common]) == 0
    # Into an empty store: the annotation and both verdicts come back, in their shards.
    fresh = tmp_path / "fresh"
    again = ["--corpus", str(seeds), "--store", str(fresh)]
    capsys.readouterr()
    assert main(["import", str(exported), "--format", "json", *again]) == 0
    assert "links: 2 added" in capsys.readouterr().out
    read_back = links_of(Store(fresh, annotator="ann"), target)
    assert sorted((x.annotator, x.verdict) for x in read_back) == [
        ("ann", "confirmed"), ("bob", "rejected")]
    (back,) = links_of(Store(fresh, annotator="ann"), target, "ann")
    assert back.text == TOLD and back.annotation_id == annotation.id
    # Round trip: exported again, the same document.
    second = tmp_path / "second.json"
    assert main(["export", "--format", "json", "-o", str(second), *again]) == 0
    assert second.read_text(encoding="utf-8") == exported.read_text(encoding="utf-8")
    # Imported once more: already there, nothing changes.
    before = sorted(p.read_bytes() for p in fresh.rglob("*.json"))
    assert main(["import", str(exported), "--format", "json", *again]) == 0
    assert "links: 0 added, 2 already there" in capsys.readouterr().out
    assert sorted(p.read_bytes() for p in fresh.rglob("*.json")) == before


def test_bad_link_records_are_one_line_each_and_not_written(seeds: Path, store_dir: Path,
                                                            corpus, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]
                                                            ) -> None:  # noqa: ANN001
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["add", LUX, "threat", "--quote", WARNED, *common, "--annotator", "ann"]) == 0
    (annotation,) = Store(store_dir, annotator="ann").annotations(LUX)
    target = corpus.get(O3)
    start = target.text.index(TOLD)
    good = Link.new(annotation, target, "confirmed", Span(start, start + len(TOLD)),
                    annotator="ann").to_record()
    exported = tmp_path / "out.json"
    assert main(["export", "--format", "json", "-o", str(exported), *common]) == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    entry = next(a for a in document["articles"] if a["id"] == O3)
    entry["links"] = [
        {**good, "verdict": "maybe"},
        {**good, "start": 10, "end": 5},
        "not a link",
        {**good, "start": start + 1},  # offsets that do not hold the text
        {**good, "annotation": "no-such-annotation"},
    ]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document), encoding="utf-8")
    fresh = tmp_path / "fresh"
    capsys.readouterr()
    code = main(["import", str(bad), "--format", "json", "--corpus", str(seeds),
                 "--store", str(fresh)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in err
    lines = [line for line in err.splitlines() if "link" in line]
    assert len(lines) == 5, err
    assert "link #1" in lines[0] and "verdict" in lines[0]
    assert "link #2" in lines[1] and "link #3" in lines[2] and "not an object" in lines[2]
    assert "link #4" in lines[3] and "do not hold its text" in lines[3]
    assert "no-such-annotation" in lines[4] and "no such annotation" in lines[4]
    # The annotation came in; no link record was written.
    assert len(Store(fresh, annotator="ann").annotations(LUX)) == 1
    assert links_of(Store(fresh, annotator="ann"), target) == []
    assert "links: 0 added" in out
