"""Every export format on the seeds and the hard texts: each span exact in the format's own
terms, each file in the shape its tool imports; imports, round trips, duplicates, conflicts."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.hard_texts import HARD_TEXTS, write_hard_texts
from tui import formats
from tui.anchoring import MIN_FUZZY_SCORE
from tui.config import DEFAULT_TAGS
from tui.corpus import Corpus, load_corpus
from tui.formats import (
    ExportItem,
    ExportOptions,
    FormatError,
    add_to_store,
    export,
    format_names,
    import_file,
)
from tui.formats.jsonl import COLUMNS
from tui.model import Annotation, Article, Span, TagDef
from tui.sentences import sentence_spans
from tui.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TAG_NAMES = [tag.name for tag in DEFAULT_TAGS]
STAMP = "2026-01-02T03:04:05.678Z"
#: A note that a line-based or comma-separated format could break.
HARD_NOTE = 'He said, "no";\nsecond line\twith a tab, and 👍🏽 — end'

#: Passages of the hard texts worth a span of their own (as they read after normalisation).
HARD_PASSAGES = [
    "👨\u200d👩\u200d👧\u200d👦", "🇺🇦", "👍🏽", "𝒳 marks", "👩🏽\u200d💻 at work", "Café",
    "São Paulo", "Ångström", "na\u0131\u0308ve", "José Muñoz", "50 minutes", "Mac line end",
    "50\u00a0minutes",
    "\u201cfrank\u201d", "Biden \u05d1\u05d8\u05dc\u05e4\u05d5\u05df",
    "\u0627\u0644\u0643\u0631\u0645\u0644\u064a\u0646", "\u05e2\u05d1\u05e8\u05d9\u05ea",
    "克里姆林宫", "日内瓦", "𠮷野家", "首脳は電話で協議した",
]
UTF16_FORMATS = ["jsonl", "csv", "doccano", "labelstudio"]



def everything(store: Store) -> list[Annotation]:
    """Every annotation in ``store``, which must have no damaged file."""
    annotations, problems = store.read_all()
    assert problems == []
    return annotations

def utf16_slice(text: str, start: int, end: int) -> str:
    """``text`` cut as JavaScript would cut it, at UTF-16 code unit offsets."""
    return text.encode("utf-16-le", "surrogatepass")[2 * start : 2 * end].decode(
        "utf-16-le", "surrogatepass"
    )


def cut(text: str, start: int, end: int, offsets: str) -> str:
    return utf16_slice(text, start, end) if offsets == "utf16" else text[start:end]


def annotate(article: Article) -> list[Annotation]:
    """A realistic, awkward set: every other sentence, nested words, a passage across a line
    break, the hard passages, two annotators, notes with commas, quotes, tabs and newlines."""
    text = article.text
    spans: list[Span] = []
    sentences = sentence_spans(text, article.boilerplate)
    spans += sentences[::2]
    if sentences:
        first = sentences[0]
        spans.append(Span(first.start, min(first.end, first.start + 5)))  # nested in it
    for a, b in zip(sentences, sentences[1:]):
        if "\n" in text[a.end : b.start]:
            spans.append(Span(a.start, b.end))  # crosses a line break
            break
    for passage in HARD_PASSAGES:
        at = text.find(passage)
        if at >= 0:
            spans.append(Span(at, at + len(passage)))
    annotations = []
    for number, span in enumerate(dict.fromkeys(spans)):
        annotations.append(
            Annotation.new(
                article, span, TAG_NAMES[number % len(TAG_NAMES)],
                annotator=("alice", "bob")[number % 2],
                note=HARD_NOTE if number % 3 == 0 else "",
                now=STAMP,
                id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"newsmark-test/{article.id}/{number}")),
            )
        )
    return annotations


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return load_corpus([SEEDS, write_hard_texts(tmp_path_factory.mktemp("hard"))])


@pytest.fixture(scope="module")
def items(corpus: Corpus) -> list[ExportItem]:
    return [ExportItem(article, tuple(annotate(article))) for article in corpus]


@pytest.fixture(scope="module")
def expected(items: list[ExportItem]) -> dict[str, Annotation]:
    return {a.id: a for item in items for a in item.annotations}


def run_export(tmp_path: Path, name: str, items: list[ExportItem], **options: object) -> Path:
    out = tmp_path / f"export-{name}"
    export(name, items, out, tags=DEFAULT_TAGS, options=ExportOptions(**options))  # type: ignore[arg-type]
    return out


def test_the_fixture_is_hard_enough(corpus: Corpus, expected: dict[str, Annotation]) -> None:
    texts = "".join(a.text for a in expected.values())
    assert any(ord(c) > 0xFFFF for c in texts)  # surrogate pairs in JavaScript
    assert "\u200d" in texts and "\n" in texts and "\u00a0" in texts
    assert any("\u0590" <= c <= "\u06ff" for c in texts) and "克" in texts
    assert len(expected) > 60
    assert set(HARD_TEXTS) <= set(corpus.ids)
    nfd = corpus.get("hard_nfd")
    assert nfd is not None and "Café" in nfd.text  # composed by normalisation


def test_registry_names_every_format() -> None:
    assert format_names() == [
        "json", "jsonl", "csv", "w3c", "brat", "doccano", "labelstudio", "labelstudio-config",
    ]
    assert formats.import_format_names() == ["json", "jsonl", "w3c", "doccano", "labelstudio"]


# ------------------------------------------------------------------------------ json


def test_json_is_the_documented_lossless_schema(
    tmp_path: Path, items: list[ExportItem], expected: dict[str, Annotation]
) -> None:
    data = json.loads(run_export(tmp_path, "json", items).read_text("utf-8"))
    assert data["schema"] == "newsmark-annotations" and data["version"] == 1
    assert data["offsets"] == "codepoints"
    assert [t["name"] for t in data["tags"]] == TAG_NAMES
    seen = 0
    for entry, item in zip(data["articles"], items, strict=True):
        article = item.article
        assert entry["id"] == article.id and entry["sha256"] == article.sha256
        assert entry["text"] == article.text and entry["length"] == len(article.text)
        assert {k: entry[k] for k in ("title", "outlet", "date")} == article.metadata()
        for record in entry["annotations"]:
            assert entry["text"][record["start"] : record["end"]] == record["text"]
            assert Annotation.from_dict(record) == expected[record["id"]]
            seen += 1
    assert seen == len(expected)


def test_json_round_trip_is_lossless(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation]
) -> None:
    first = run_export(tmp_path, "json", items)
    result = import_file(first, None, corpus)
    assert result.format == "json" and result.problems == []
    store = Store(tmp_path / "store", annotator="importer")
    report = add_to_store(result.annotations, store)
    assert len(report.added) == len(expected) and not report.conflicts
    stored = {a.id: a for a in everything(store)}
    assert stored == expected
    again = [ExportItem(a, tuple(store.annotations(a.id))) for a in corpus]
    second = tmp_path / "second.json"
    export("json", again, second, tags=DEFAULT_TAGS)
    assert second.read_bytes() == first.read_bytes()

    # The same file again: every annotation is a duplicate, nothing is added twice.
    report = add_to_store(import_file(first, "json", corpus).annotations, store)
    assert report.added == [] and len(report.duplicates) == len(expected)
    assert report.conflicts == []


def test_a_changed_annotation_with_a_known_id_is_a_conflict(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem]
) -> None:
    path = run_export(tmp_path, "json", items)
    store = Store(tmp_path / "store", annotator="importer")
    add_to_store(import_file(path, "json", corpus).annotations, store)
    data = json.loads(path.read_text("utf-8"))
    record = data["articles"][0]["annotations"][0]
    record["tag"] = "denial" if record["tag"] != "denial" else "claim"
    record["note"] = "changed elsewhere"
    path.write_text(json.dumps(data), "utf-8")
    report = add_to_store(import_file(path, "json", corpus).annotations, store)
    assert report.added == []
    assert len(report.conflicts) == 1
    assert record["id"] in report.conflicts[0] and "kept the stored one" in report.conflicts[0]
    assert "\n" not in report.conflicts[0]
    kept = store.get(record["article_id"], record["id"])
    assert kept is not None and kept.note != "changed elsewhere"


def test_a_json_file_cut_short_is_named_as_such(tmp_path: Path, corpus: Corpus) -> None:
    article = corpus.load_all()[0]
    good = Annotation.new(article, Span(0, 4), "claim", annotator="a", now=STAMP)
    whole = json.dumps({"schema": "newsmark-annotations", "version": 1, "articles": [
        {"id": article.id, "annotations": [good.to_dict()]}]}, indent=2)
    path = tmp_path / "half.json"
    path.write_text(whole[: len(whole) // 2], "utf-8")
    with pytest.raises(FormatError) as caught:
        import_file(path, None, corpus)
    message = str(caught.value)
    assert "not valid JSON" in message and "probably truncated" in message
    assert "\n" not in message and "cannot tell the format" not in message


def test_json_import_problems_are_per_annotation(tmp_path: Path, corpus: Corpus) -> None:
    article = corpus.load_all()[0]
    good = Annotation.new(article, Span(0, 4), "claim", annotator="a", now=STAMP)
    doc = {
        "schema": "newsmark-annotations", "version": 1,
        "articles": [
            {"id": article.id, "annotations": [good.to_dict(), {"id": "x", "start": "0"}]},
            {"id": "not-in-corpus", "annotations": [{**good.to_dict(), "id": "y",
                                                     "article_id": "not-in-corpus"}]},
        ],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(doc), "utf-8")
    result = import_file(path, None, corpus)
    assert result.annotations == [good]
    assert len(result.problems) == 2
    assert any("not-in-corpus" in p and "not in the corpus" in p for p in result.problems)

    doc["version"] = 99
    path.write_text(json.dumps(doc), "utf-8")
    with pytest.raises(FormatError, match="upgrade newsmark"):
        import_file(path, "json", corpus)


# ------------------------------------------------------------------------------ jsonl, csv


@pytest.mark.parametrize("offsets", ["codepoints", "utf16"])
def test_jsonl_rows_are_flat_and_exact(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation],
    offsets: str,
) -> None:
    lines = run_export(tmp_path, "jsonl", items, offsets=offsets).read_text("utf-8").splitlines()
    assert len(lines) == len(expected)
    for line in lines:
        row = json.loads(line)
        assert list(row) == list(COLUMNS)
        article = corpus.get(row["article_id"])
        assert article is not None
        assert cut(article.text, row["start"], row["end"], offsets) == row["text"]
        original = expected[row["id"]]
        assert (row["tag"], row["note"], row["annotator"]) == (
            original.tag, original.note, original.annotator
        )
        assert (row["created"], row["modified"]) == (STAMP, STAMP)
        assert {k: row[k] for k in ("title", "outlet", "date")} == article.metadata()


@pytest.mark.parametrize("bom", [False, True])
def test_csv_opens_cleanly_with_the_csv_module(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation],
    bom: bool,
) -> None:
    path = run_export(tmp_path, "csv", items, bom=bom)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == bom
    with open(path, newline="", encoding="utf-8-sig") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    assert header == list(COLUMNS)
    assert len(rows) == len(expected)
    notes = 0
    for row in rows:
        article = corpus.get(row["article_id"])
        assert article is not None
        assert article.text[int(row["start"]) : int(row["end"])] == row["text"]
        assert row["note"] == expected[row["id"]].note
        notes += row["note"] == HARD_NOTE
    assert notes > 10  # newlines, commas, quotes and tabs inside cells survived


@pytest.mark.parametrize("offsets", ["codepoints", "utf16"])
def test_jsonl_import_reads_what_it_carries(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation],
    offsets: str,
) -> None:
    path = run_export(tmp_path, "jsonl", items, offsets=offsets)
    result = import_file(path, None, corpus, offsets=offsets)
    assert result.format == "jsonl" and result.problems == []
    for annotation in result.annotations:
        original = expected[annotation.id]
        assert annotation.anchor == "exact"
        for key in ("article_id", "start", "end", "tag", "text", "note", "annotator",
                    "created", "modified", "prefix", "suffix", "text_sha256"):
            assert getattr(annotation, key) == getattr(original, key), key
    assert len(result.annotations) == len(expected)


# ------------------------------------------------------------------------------ w3c

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
_MOTIVATIONS = {
    "assessing", "bookmarking", "classifying", "commenting", "describing", "editing",
    "highlighting", "identifying", "linking", "moderating", "questioning", "replying", "tagging",
}
#: Every key the exporter may use, all terms of http://www.w3.org/ns/anno.jsonld.
_MODEL_TERMS = {
    "@context", "id", "type", "label", "total", "first", "partOf", "startIndex", "items",
    "motivation", "body", "target", "creator", "created", "modified", "value", "purpose",
    "format", "source", "selector", "exact", "prefix", "suffix", "start", "end", "name",
}


def _keys(node: object) -> set[str]:
    if isinstance(node, dict):
        return set(node) | {k for v in node.values() for k in _keys(v)}
    if isinstance(node, list):
        return {k for v in node for k in _keys(v)}
    return set()


def assert_web_annotation_musts(collection: dict, corpus: Corpus) -> int:
    """Check the Web Annotation Data Model's MUSTs (and the SHOULDs we promise) on an export;
    return the number of annotations."""
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert _IRI.match(collection["id"]) and collection["type"] == "AnnotationCollection"
    assert _keys(collection) <= _MODEL_TERMS
    page = collection["first"]
    assert _IRI.match(page["id"]) and page["type"] == "AnnotationPage"
    assert page["partOf"] == collection["id"] and "next" not in page
    items = page["items"]
    assert len(items) >= 1 and collection["total"] == len(items)
    ids = set()
    sources = {article.path.resolve().as_uri(): article for article in corpus}
    for annotation in items:
        assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert _IRI.match(annotation["id"]) and annotation["id"].startswith("urn:uuid:")
        assert annotation["id"] not in ids
        ids.add(annotation["id"])
        assert annotation["type"] == "Annotation"
        assert annotation["motivation"] in _MOTIVATIONS
        bodies = annotation["body"]
        assert all(b["type"] == "TextualBody" and isinstance(b["value"], str) for b in bodies)
        assert all(b["purpose"] in _MOTIVATIONS for b in bodies)
        assert [b["purpose"] for b in bodies].count("tagging") == 1
        assert annotation["creator"]["type"] == "Person" and annotation["creator"]["name"]
        assert _DATETIME.match(annotation["created"]) and _DATETIME.match(annotation["modified"])
        target = annotation["target"]
        assert target["type"] == "SpecificResource" and isinstance(target["source"], str)
        assert _IRI.match(target["source"])
        article = sources[target["source"]]
        quote, position = target["selector"]
        assert quote["type"] == "TextQuoteSelector" and isinstance(quote["exact"], str)
        assert position["type"] == "TextPositionSelector"
        start, end = position["start"], position["end"]
        assert type(start) is int and type(end) is int and 0 <= start <= end
        assert article.text[start:end] == quote["exact"]
        assert article.text[:start].endswith(quote.get("prefix", ""))
        assert article.text[end:].startswith(quote.get("suffix", ""))
    return len(items)


def test_w3c_follows_the_web_annotation_musts(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation]
) -> None:
    collection = json.loads(run_export(tmp_path, "w3c", items).read_text("utf-8"))
    assert assert_web_annotation_musts(collection, corpus) == len(expected)
    by_id = {a["id"]: a for a in collection["first"]["items"]}
    for original in expected.values():
        exported = by_id[f"urn:uuid:{original.id}"]
        bodies = {b["purpose"]: b["value"] for b in exported["body"]}
        assert bodies["tagging"] == original.tag
        assert bodies.get("commenting", "") == original.note
        assert exported["motivation"] == "tagging"


def test_w3c_refuses_utf16_and_names_sources_from_a_base(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem]
) -> None:
    with pytest.raises(FormatError, match="code points only"):
        run_export(tmp_path, "w3c", items, offsets="utf16")
    path = run_export(tmp_path, "w3c", items[:1], source_base="https://example.org/articles/")
    first = json.loads(path.read_text("utf-8"))["first"]["items"][0]
    assert first["target"]["source"] == f"https://example.org/articles/{items[0].article.id}"
    result = import_file(path, None, corpus)
    assert result.format == "w3c" and not result.problems
    assert len(result.annotations) == len(items[0].annotations)


def test_an_empty_w3c_collection_has_no_page(tmp_path: Path, corpus: Corpus) -> None:
    data = json.loads(run_export(tmp_path, "w3c", [ExportItem(corpus.load_all()[0], ())])
                      .read_text("utf-8"))
    assert data["total"] == 0 and "first" not in data


def test_w3c_import_reads_what_it_carries(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation]
) -> None:
    result = import_file(run_export(tmp_path, "w3c", items), None, corpus)
    assert result.format == "w3c" and result.problems == []
    assert {a.id: a for a in result.annotations} == expected


# ------------------------------------------------------------------------------ brat

_T_LINE = re.compile(r"^T(\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_NOTE_LINE = re.compile(r"^#(\d+)\tAnnotatorNotes (T\d+)\t(.*)$")


def test_brat_standoff_offsets_are_exact(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation]
) -> None:
    folder = run_export(tmp_path, "brat", items)
    conf = (folder / "annotation.conf").read_text("utf-8")
    sections = re.findall(r"^\[(\w+)\]$", conf, re.M)
    assert sections == ["entities", "relations", "events", "attributes"]
    entities = conf.split("[entities]\n")[1].split("\n[relations]")[0]
    assert [line for line in entities.splitlines() if line] == TAG_NAMES
    assert "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>" in conf
    total = 0
    for item in items:
        article = item.article
        with open(folder / f"{article.id}.txt", encoding="utf-8", newline="") as stream:
            text = stream.read()
        assert text == article.text
        lines = (folder / f"{article.id}.ann").read_text("utf-8").split("\n")
        assert lines[-1] == ""
        t_ids, spans = set(), []
        for line in lines[:-1]:
            if line.startswith("T"):
                match = _T_LINE.match(line)
                assert match, line
                number, tag, offsets, quote = match.groups()
                assert tag in TAG_NAMES
                pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
                assert all(s < e for s, e in pieces)
                assert all("\n" not in text[s:e] for s, e in pieces)
                assert " ".join(text[s:e] for s, e in pieces) == quote  # brat's DISCONT_SEP
                t_ids.add(f"T{number}")
                spans.append((pieces[0][0], pieces[-1][1], tag))
            else:
                match = _NOTE_LINE.match(line)
                assert match and match.group(2) in t_ids, line
                assert match.group(3) == HARD_NOTE.replace("\n", " ").replace("\t", " ")
        assert sorted(spans) == sorted((a.start, a.end, a.tag) for a in item.annotations)
        total += len(spans)
    assert total == len(expected)


def test_brat_needs_a_folder_and_type_safe_tags(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem]
) -> None:
    with pytest.raises(FormatError, match="-o DIR"):
        export("brat", items, None, tags=DEFAULT_TAGS)
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "keep.txt").write_text("someone else's file", "utf-8")
    bad = (*DEFAULT_TAGS, TagDef("two words", "w", "5", "#ffffff", "", "W"))
    with pytest.raises(FormatError, match="brat entity type"):
        export("brat", items, folder, tags=bad)
    assert sorted(os.listdir(folder)) == ["keep.txt"]  # nothing half-written, nothing left


# ------------------------------------------------------------------------------ doccano


@pytest.mark.parametrize("offsets", ["codepoints", "utf16"])
def test_doccano_lines_are_examples_with_exact_labels(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], offsets: str
) -> None:
    path = run_export(tmp_path, "doccano", items, offsets=offsets)
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == len(items)
    for line, item in zip(lines, items, strict=True):
        example = json.loads(line)
        assert example["text"] == item.article.text
        assert example["article_id"] == item.article.id
        assert {k: example[k] for k in ("title", "outlet", "date")} == item.article.metadata()
        quotes = sorted((cut(example["text"], s, e, offsets), tag) for s, e, tag in
                        example["label"])
        # doccano's SpanLabel: [start_offset, end_offset, label], 0 <= start < end, a label.
        assert all(type(s) is int and type(e) is int and 0 <= s < e and isinstance(t, str) and t
                   for s, e, t in example["label"])
        assert quotes == sorted((a.text, a.tag) for a in item.annotations)
    result = import_file(path, None, corpus, offsets=offsets)
    assert result.format == "doccano" and result.problems == []
    got = sorted((a.article_id, a.start, a.end, a.tag) for a in result.annotations)
    want = sorted((a.article_id, a.start, a.end, a.tag) for i in items for a in i.annotations)
    assert got == want


def test_doccano_reimport_of_known_passages_adds_nothing(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem]
) -> None:
    store = Store(tmp_path / "store", annotator="importer")
    for item in items[:3]:
        for annotation in item.annotations:
            store.add(annotation)
    result = import_file(run_export(tmp_path, "doccano", items[:3]), "doccano", corpus)
    report = add_to_store(result.annotations, store)
    assert report.added == [] and report.conflicts == []
    assert len(report.duplicates) == sum(len(i.annotations) for i in items[:3])
    # And an id-less import twice over adds once.
    fresh = Store(tmp_path / "fresh", annotator="importer")
    assert len(add_to_store(result.annotations, fresh).added) == len(result.annotations)
    assert add_to_store(result.annotations, fresh).added == []
    assert all(a.annotator == "importer" for a in everything(fresh))


def test_doccano_entities_and_text_matching(tmp_path: Path, corpus: Corpus) -> None:
    article = corpus.get("hard_crlf")
    assert article is not None
    # doccano's newer export shape, an example id of its own, and the text with CRLF as the
    # file had it: the example is matched to the article by its text.
    raw = HARD_TEXTS["hard_crlf"].decode()
    at = raw.index("50 minutes")
    line = {"id": 7, "text": raw, "entities": [
        {"id": 1, "label": "schedule", "start_offset": at, "end_offset": at + 10}]}
    path = tmp_path / "doccano.jsonl"
    path.write_text(json.dumps(line) + "\n", "utf-8")
    result = import_file(path, None, corpus)
    assert result.problems == []
    (annotation,) = result.annotations
    assert annotation.article_id == "hard_crlf" and annotation.anchor == "exact"
    assert article.text[annotation.start : annotation.end] == "50 minutes"


# ------------------------------------------------------------------------------ Label Studio


def test_labelstudio_tasks_match_the_printed_config(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation]
) -> None:
    config_path = run_export(tmp_path, "labelstudio-config", items)
    view = ET.fromstring(config_path.read_text("utf-8"))
    labels = view.find("Labels")
    text_tag = view.find("Text")
    area = view.find(".//TextArea")
    assert labels is not None and text_tag is not None and area is not None
    assert text_tag.get("value") == "$text" and labels.get("toName") == text_tag.get("name")
    assert area.get("perRegion") == "true" and area.get("toName") == text_tag.get("name")
    label_values = {label.get("value") for label in labels.findall("Label")}
    assert label_values == set(TAG_NAMES)

    tasks = json.loads(run_export(tmp_path, "labelstudio", items).read_text("utf-8"))
    assert isinstance(tasks, list) and len(tasks) == len(items)
    seen: dict[str, dict] = {}
    for task in tasks:
        text = task["data"]["text"]
        assert corpus.get(task["data"]["article_id"]).text == text  # type: ignore[union-attr]
        for annotation in task["annotations"]:
            annotators = set()
            for region in annotation["result"]:
                assert region["to_name"] == text_tag.get("name")
                value = region["value"]
                if region["type"] == "labels":
                    assert region["from_name"] == labels.get("name")
                    assert text[value["start"] : value["end"]] == value["text"]
                    assert value["labels"][0] in label_values
                    seen[region["id"]] = value
                    annotators.add(expected[region["id"]].annotator)
                else:
                    assert region["type"] == "textarea"
                    assert region["from_name"] == area.get("name")
                    assert region["id"] in seen
                    labelled = seen[region["id"]]
                    assert (value["start"], value["end"]) == (labelled["start"], labelled["end"])
                    assert value["text"] == [expected[region["id"]].note]
            assert len(annotators) == 1  # one Label Studio annotation per annotator
    assert set(seen) == set(expected)


@pytest.mark.parametrize("offsets", ["codepoints", "utf16"])
def test_labelstudio_import_reads_regions_in_either_unit(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem], expected: dict[str, Annotation],
    offsets: str,
) -> None:
    path = run_export(tmp_path, "labelstudio", items, offsets=offsets)
    if offsets == "utf16":
        for task in json.loads(path.read_text("utf-8")):
            for annotation in task["annotations"]:
                for region in annotation["result"]:
                    value = region["value"]
                    if region["type"] == "labels":
                        assert utf16_slice(task["data"]["text"], value["start"],
                                           value["end"]) == value["text"]
    # Imported without saying the unit: the quotes tell.
    result = import_file(path, None, corpus)
    assert result.format == "labelstudio" and result.problems == []
    for annotation in result.annotations:
        original = expected[annotation.id]
        assert (annotation.start, annotation.end, annotation.tag, annotation.note) == (
            original.start, original.end, original.tag, original.note
        )
    assert len(result.annotations) == len(expected)


# ------------------------------------------------------------------------------ imports


def test_an_import_from_a_different_version_is_reanchored_never_misplaced(
    tmp_path: Path, corpus: Corpus
) -> None:
    old, new = corpus.load_all()[:2]  # seeds 000 and 001: one story, 2 versions
    annotations = [
        Annotation.new(old, span, "claim", annotator="a", now=STAMP)
        for span in sentence_spans(old.text, old.boilerplate)
    ]
    path = tmp_path / "old.json"
    export("json", [ExportItem(old, tuple(annotations))], path, tags=DEFAULT_TAGS)
    # The same id with the other version's text, as when a colleague's copy differs.
    edited = Article(id=old.id, path=new.path, text=new.text)
    result = import_file(path, "json", Corpus((edited,)))
    anchors = [a.anchor for a in result.annotations]
    assert anchors.count("exact") >= 3 and anchors.count("fuzzy") >= 3
    assert "orphan" in anchors
    from rapidfuzz import fuzz

    for before, after in zip(annotations, result.annotations, strict=True):
        if after.anchor == "orphan":
            assert (after.start, after.end, after.text) == (before.start, before.end, before.text)
        else:
            assert edited.text[after.start : after.end] == after.text
            assert after.text_sha256 == edited.sha256
            assert fuzz.ratio(before.text, after.text) >= MIN_FUZZY_SCORE


def test_unknown_format_and_unreadable_files_are_one_line_errors(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem]
) -> None:
    with pytest.raises(FormatError, match="unknown format 'xml'; choose one of: json"):
        export("xml", items, None, tags=DEFAULT_TAGS)
    with pytest.raises(FormatError, match="cannot read"):
        import_file(tmp_path / "missing.json", None, corpus)
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("hello\n", "utf-8")
    with pytest.raises(FormatError, match="cannot tell the format .* --format"):
        import_file(garbage, None, corpus)
    latin = tmp_path / "latin.json"
    latin.write_bytes(b"\xff\xfe{}")
    with pytest.raises(FormatError, match="not UTF-8"):
        import_file(latin, None, corpus)
    csv_export = run_export(tmp_path, "csv", items[:1])
    with pytest.raises(FormatError, match="cannot be imported"):
        import_file(csv_export, "csv", corpus)


# ------------------------------------------------------------------------------ writing


def test_a_failed_export_never_clobbers_or_leaves_a_half_file(
    tmp_path: Path, corpus: Corpus, items: list[ExportItem]
) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("the previous export\n", "utf-8")
    article = corpus.load_all()[0]
    fine = Annotation.new(article, Span(0, 4), "claim", annotator="a")
    # A note that is not text cannot be written as JSON: the failure comes mid-file.
    broken = Annotation.new(article, Span(5, 9), "claim", annotator="a", note=b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        export("jsonl", [*items, ExportItem(article, (fine, broken))], out, tags=DEFAULT_TAGS)
    assert out.read_text("utf-8") == "the previous export\n"
    assert os.listdir(tmp_path) == ["out.jsonl"]
    with pytest.raises(FormatError, match="is a folder"):
        export("json", items, tmp_path, tags=DEFAULT_TAGS)
    with pytest.raises(FormatError, match="does not exist"):
        export("json", items, tmp_path / "no" / "such.json", tags=DEFAULT_TAGS)


def test_stdout_gets_utf8_whatever_the_locale(items: list[ExportItem]) -> None:
    script = (
        "import sys; from pathlib import Path; from tests.hard_texts import write_hard_texts;"
        "from tui.corpus import load_corpus; from tui import formats;"
        "from tui.config import DEFAULT_TAGS; import tempfile;"
        "c = load_corpus([write_hard_texts(Path(tempfile.mkdtemp()))]);"
        "formats.export('doccano', [formats.ExportItem(a, ()) for a in c], None,"
        " tags=DEFAULT_TAGS)"
    )
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT,
                          env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""  # piped: no progress bar
    texts = [json.loads(line)["text"] for line in done.stdout.decode("utf-8").splitlines()]
    assert any("👨\u200d👩\u200d👧\u200d👦" in text for text in texts)


def test_progress_bar_shows_on_a_terminal_only(tmp_path: Path) -> None:
    script = (
        "from pathlib import Path; from tui.corpus import load_corpus; from tui import formats;"
        "from tui.config import DEFAULT_TAGS;"
        "c = load_corpus([Path('seeds')]);"
        "formats.export('json', [formats.ExportItem(a, ()) for a in c],"
        f" Path({str(tmp_path / 'x.json')!r}), tags=DEFAULT_TAGS)"
    )
    piped = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=ROOT,
                           timeout=60)
    assert piped.returncode == 0 and piped.stderr == b""
    main, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stderr=secondary,
                               stdout=subprocess.DEVNULL)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    assert process.wait(timeout=60) == 0
    assert b"exporting" in seen and b"5/5" in seen


def test_exports_are_deterministic(tmp_path: Path, items: list[ExportItem]) -> None:
    for name in format_names():
        if name == "brat":
            continue
        first = tmp_path / f"a-{name}"
        second = tmp_path / f"b-{name}"
        export(name, items, first, tags=DEFAULT_TAGS)
        export(name, items, second, tags=DEFAULT_TAGS)
        assert first.read_bytes() == second.read_bytes(), name


def test_orphans_are_kept_in_json_and_left_out_elsewhere(
    tmp_path: Path, corpus: Corpus
) -> None:
    article = corpus.load_all()[2]
    at = article.text.index("Bilateral US-Russia talks")
    kept = Annotation.new(article, Span(at, at + 25), "schedule", annotator="a", now=STAMP)
    older = Article(id=article.id, path=article.path, text="An unrelated older text. " * 3)
    lost = Annotation.new(older, Span(3, 12), "claim", annotator="a", now=STAMP)
    item = ExportItem(article, (kept, lost))
    report = export("jsonl", [item], tmp_path / "x.jsonl", tags=DEFAULT_TAGS)
    assert (report.annotations, report.orphans_left_out) == (1, 1)
    assert len((tmp_path / "x.jsonl").read_text("utf-8").splitlines()) == 1
    report = export("json", [item], tmp_path / "x.json", tags=DEFAULT_TAGS)
    assert (report.annotations, report.orphans_left_out) == (2, 0)
    records = json.loads((tmp_path / "x.json").read_text("utf-8"))["articles"][0]["annotations"]
    assert [r["anchor"] for r in records] == ["exact", "orphan"]
    assert records[1]["text_sha256"] == older.sha256 != article.sha256


def test_csv_of_stdout_is_the_same_bytes(
    tmp_path: Path, items: list[ExportItem], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    export("csv", items[:2], None, tags=DEFAULT_TAGS, options=ExportOptions(bom=True))
    printed = capsysbinary.readouterr().out
    export("csv", items[:2], tmp_path / "x.csv", tags=DEFAULT_TAGS,
           options=ExportOptions(bom=True))
    assert printed == (tmp_path / "x.csv").read_bytes()
    assert b"\r\n" in printed and list(csv.reader(io.StringIO(printed.decode("utf-8-sig"),
                                                              newline="")))[0] == list(COLUMNS)


# ------------------------------------------------------------------------------ command line


@pytest.fixture
def cli_store(tmp_path: Path) -> tuple[list[str], Path]:
    """A corpus copied to disk (so it can be edited) and a store with three annotations."""
    from tui.cli import main

    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    for path in sorted(SEEDS.glob("*.txt")):
        (corpus_dir / path.name).write_bytes(path.read_bytes())
    write_hard_texts(corpus_dir)
    common = ["--corpus", str(corpus_dir), "--store", str(tmp_path / "store")]
    for article_id, tag, quote in [
        ("002_a34abba263e9470d", "threat", "respond decisively"),
        ("000_459b4affb575bcd9", "claim", "offensive strike weapons in Ukraine"),
        ("hard_emoji", "claim", "👍🏽 said talks went"),
    ]:
        assert main(["add", article_id, tag, "--quote", quote, "--note", HARD_NOTE,
                     *common]) == 0
    return common, corpus_dir


def test_cli_exports_every_format_and_imports_them_back(
    tmp_path: Path, cli_store: tuple[list[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    common, _ = cli_store
    capsys.readouterr()
    for name in format_names():
        out = tmp_path / f"out-{name}"
        extra = ["--offsets", "utf16"] if name in UTF16_FORMATS else []
        assert main(["export", "-f", name, "-o", str(out), *extra, *common]) == 0, name
        assert out.exists()
    assert (tmp_path / "out-brat" / "hard_emoji.ann").read_text("utf-8").count("\n") == 2
    for name in formats.import_format_names():
        store = tmp_path / f"store-{name}"
        args = ["import", str(tmp_path / f"out-{name}"), "--store", str(store),
                "--corpus", common[1]]
        if name in UTF16_FORMATS:
            args += ["--offsets", "utf16"]
        assert main(args) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        assert f"({name}): 3 added" in out, out
        imported = sorted((a.article_id, a.start, a.end, a.tag)
                          for a in everything(Store(store, annotator="x")))
        original = sorted((a.article_id, a.start, a.end, a.tag)
                          for a in everything(Store(tmp_path / "store", annotator="x")))
        assert imported == original, name


def test_cli_import_reports_duplicates_and_conflicts(
    tmp_path: Path, cli_store: tuple[list[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    common, _ = cli_store
    out = tmp_path / "all.json"
    assert main(["export", "-o", str(out), *common]) == 0
    capsys.readouterr()
    assert main(["import", str(out), *common]) == 0
    assert "0 added" in capsys.readouterr().out
    data = json.loads(out.read_text("utf-8"))
    entry = next(a for a in data["articles"] if a["annotations"])
    entry["annotations"][0]["tag"] = "denial"
    out.write_text(json.dumps(data), "utf-8")
    assert main(["import", str(out), *common]) == 1
    captured = capsys.readouterr()
    assert "1 conflict(s)" in captured.out
    (line,) = [line for line in captured.err.splitlines() if "conflict" in line or "kept" in line]
    assert line.startswith("newsmark: annotation ") and "tag" in line
    assert main(["import", str(tmp_path / "nope.json"), *common]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("newsmark: cannot read")


def test_cli_orphans_lists_what_an_edit_lost(
    cli_store: tuple[list[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    common, corpus_dir = cli_store
    edited = corpus_dir / "002_a34abba263e9470d.txt"
    edited.write_text(edited.read_text("utf-8").replace(
        "will “respond decisively” if Russia", "will act if Russia"), "utf-8")
    shifted = corpus_dir / "000_459b4affb575bcd9.txt"
    shifted.write_text("A new first line.\n" + shifted.read_text("utf-8"), "utf-8")
    capsys.readouterr()
    assert main(["orphans", *common]) == 0
    captured = capsys.readouterr()
    (row,) = captured.out.splitlines()
    fields = row.split("\t")
    assert fields[0] == "002_a34abba263e9470d" and fields[2:4] == ["orphan", "threat"]
    assert fields[-1] == "respond decisively"
    assert "1 of 3 annotation(s) orphaned" in captured.err
    # The export leaves the orphan out, says so, and moves the other one exactly.
    assert main(["export", "-f", "jsonl", *common]) == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert len(rows) == 2 and "1 orphaned annotation(s) left out" in captured.err
    moved = next(r for r in rows if r["article_id"] == "000_459b4affb575bcd9")
    assert shifted.read_text("utf-8")[moved["start"] : moved["end"]] == moved["text"]


def test_cli_export_in_a_real_process_is_quiet_when_piped(
    cli_store: tuple[list[str], Path]
) -> None:
    common, _ = cli_store
    done = subprocess.run([sys.executable, "-m", "tui", "export", "-f", "csv", "--bom", *common],
                          capture_output=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and done.stderr == b""
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8-sig"), newline="")))
    assert len(rows) == 3 and {r["note"] for r in rows} == {HARD_NOTE}
