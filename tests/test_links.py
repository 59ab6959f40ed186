"""Links: confirmed and rejected cells, stored in real shards, re-anchored, in the matrix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.compare import Aligner, cell_code, compare, matrix_json, matrix_table
from tui.corpus import load_corpus
from tui.links import Link, reanchor_link
from tui.model import Annotation, Span

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
    assert cell_code(cell, MARKERS).startswith("✓~")
    data = json.loads(matrix_json(matrix, corpus))
    json_cell = data["rows"][0]["cells"][O3]
    assert json_cell["kind"] == "reworded"
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
