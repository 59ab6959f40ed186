"""``json``: newsmark's own, versioned, lossless schema (documented in ``docs/formats.md``).

One JSON document::

    {
      "schema": "newsmark-annotations",
      "version": 1,
      "offsets": "codepoints",
      "normalisation": "UTF-8; CRLF and CR to LF; Unicode NFC",
      "tags": [{"name": ..., "description": ..., "colour": ...}, ...],
      "articles": [
        {"id": ..., "title": ..., "outlet": ..., "date": ..., "sha256": ..., "length": ...,
         "text": ..., "annotations": [<Annotation.to_dict()>, ...],
         "links": [<Link.to_record()>, ...]},          # only when the article has links
        ...
      ]
    }

Every field of every annotation is kept (``Annotation.to_dict``), and every field of every
link (``Link.to_record``), so export → import → export gives the same annotations and links.
The output is deterministic (no export time), so two exports of the same store diff cleanly.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from tui.anchoring import reanchor
from tui.formats.base import (
    CorpusLike,
    ExportItem,
    ExportOptions,
    FormatError,
    ImportResult,
    as_offset,
    as_str,
    check_offsets,
    exportable,
)
from tui.jsonout import pretty_json
from tui.model import Annotation, Article, TagDef

NAME = "json"
DESCRIPTION = "newsmark's native, versioned schema: lossless (articles, metadata, annotations)"
SUFFIX = ".json"
SCHEMA = "newsmark-annotations"
VERSION = 1
NORMALISATION = "UTF-8; CRLF and CR to LF; Unicode NFC"


def document(items: Sequence[ExportItem], tags: Sequence[TagDef], options: ExportOptions) -> dict:
    """The native document for ``items``, as plain JSON-ready data."""
    check_offsets(NAME, options, utf16=False)
    articles = []
    for item in items:
        article = item.article
        placed, orphans = exportable(item)
        entry: dict[str, Any] = {
            "id": article.id,
            "title": article.title,
            "outlet": article.outlet,
            "date": article.date,
            "sha256": article.sha256,
            "length": len(article.text),
        }
        if options.include_text:
            entry["text"] = article.text
        # Orphans stay in the lossless format; their text_sha256 (not the article's) and
        # anchor say that their offsets refer to an older text.
        entry["annotations"] = [a.to_dict() for a in placed + orphans]
        if item.links:
            # The analysts' verdicts on the compare matrix that point into this article
            # (tui/links.py), by annotation then annotator: a stable order for diffs.
            entry["links"] = [link.to_record() for link in
                              sorted(item.links, key=lambda x: (x.annotation_id, x.annotator))]
        articles.append(entry)
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "offsets": "codepoints",
        "normalisation": NORMALISATION,
        "tags": [
            {"name": tag.name, "description": tag.description, "colour": tag.colour}
            for tag in tags
        ],
        "articles": articles,
    }


def write(
    items: Sequence[ExportItem], stream: IO[str], tags: Sequence[TagDef], options: ExportOptions
) -> None:
    """Write the native JSON document."""
    stream.write(pretty_json(document(items, tags, options)))


def sniff(data: Any) -> bool:
    """True if parsed JSON ``data`` is a native document."""
    return isinstance(data, dict) and data.get("schema") == SCHEMA


def read(text: str, corpus: CorpusLike, source: str) -> ImportResult:
    """Annotations from a native document, placed in ``corpus`` (re-anchored if its text
    differs from the one they were made on)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(f"{source} is not valid JSON: {error}") from None
    if not sniff(data):
        raise FormatError(f"{source} is not a newsmark JSON export (no \"schema\": \"{SCHEMA}\")")
    version = data.get("version")
    if type(version) is not int or version < 1:
        raise FormatError(f"{source} has no valid \"version\"")
    if version > VERSION:
        raise FormatError(
            f"{source} has schema version {version}; this newsmark reads up to {VERSION}: "
            "upgrade newsmark"
        )
    articles = data.get("articles")
    if not isinstance(articles, list):
        raise FormatError(f"{source} has no \"articles\" list")
    result = ImportResult(NAME)
    for a_index, entry in enumerate(articles, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            result.problems.append(f"article #{a_index}: not an object with an \"id\"; skipped")
            continue
        article_id = entry["id"]
        records = entry.get("annotations", [])
        if not isinstance(records, list):
            result.problems.append(f"article {article_id}: \"annotations\" is not a list")
            continue
        article = corpus.get(article_id)
        _links(entry, article_id, article, result)
        for r_index, record in enumerate(records, 1):
            where = f"article {article_id}, annotation #{r_index}"
            annotation = _annotation(record, article_id)
            if isinstance(annotation, str):
                result.problems.append(f"{where}: {annotation}; skipped")
                continue
            if article is None:
                result.problems.append(
                    f"{where} ({annotation.id}): article {article_id!r} is not in the corpus; "
                    "skipped (open the corpus that has it with --corpus)"
                )
                continue
            result.annotations.append(reanchor(annotation, article))
    return result


def _links(entry: dict, article_id: str, article: Article | None, result: ImportResult) -> None:
    """The links of one article entry into ``result`` (a bad record is one problem line)."""
    from tui.links import Link, reanchor_link

    records = entry.get("links", [])
    if not isinstance(records, list):
        result.problems.append(f"article {article_id}: \"links\" is not a list; its links "
                               "were skipped")
        return
    for r_index, record in enumerate(records, 1):
        where = f"article {article_id}, link #{r_index}"
        if not isinstance(record, dict):
            result.problems.append(f"{where}: not an object; skipped")
            continue
        try:
            link = Link.from_record(article_id, record)
        except ValueError as error:
            result.problems.append(f"{where}: {error} (it needs \"annotation\", "
                                   "\"source_article\", a \"verdict\" of confirmed or rejected, "
                                   "and a start before its end); skipped")
            continue
        if link.confirmed and link.span is None:
            result.problems.append(f"{where}: confirmed without the span it confirms; skipped")
            continue
        if article is None:
            result.problems.append(f"{where}: article {article_id!r} is not in the corpus; "
                                   "skipped (open the corpus that has it with --corpus)")
            continue
        if link.span is not None and link.text_sha256 == article.sha256 and (
                link.end is None or link.end > len(article.text)
                or article.text[link.start : link.end] != link.text):
            result.problems.append(f"{where}: its offsets do not hold its text in "
                                   f"{article_id!r}; skipped")
            continue
        result.links.append(reanchor_link(link, article)
                            if link.text_sha256 != article.sha256 else link)


def _annotation(record: Any, article_id: str) -> Annotation | str:
    """A native record as an Annotation, or what is wrong with it."""
    if not isinstance(record, dict):
        return "not an object"
    for key in ("id", "tag", "text"):
        if not as_str(record.get(key)):
            return f"no {key!r}"
    start, end = as_offset(record.get("start")), as_offset(record.get("end"))
    if start is None or end is None or end <= start:
        return "no valid start/end"
    if record.get("article_id", article_id) != article_id:
        return f"its article_id {record.get('article_id')!r} is not the enclosing {article_id!r}"
    if record.get("anchor", "exact") not in ("exact", "fuzzy", "orphan"):
        return f"unknown anchor {record.get('anchor')!r}"
    strings = ("prefix", "suffix", "note", "annotator", "created", "modified", "text_sha256",
               "source", "when")
    for key in strings:
        if key in record and not isinstance(record[key], str):
            return f"{key!r} is not a string"
    score = record.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
        return "'score' is not a number"
    curated = record.get("adjudicated_from", [])
    if not isinstance(curated, list) or not all(isinstance(n, str) and n for n in curated):
        return "'adjudicated_from' is not a list of annotator names"
    return Annotation.from_dict({**record, "article_id": article_id})
