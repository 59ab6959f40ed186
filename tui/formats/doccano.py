"""``doccano``: doccano's sequence-labelling JSONL, one article per line.

Each line is ``{"text": …, "label": [[start, end, "tag"], …], "article_id": …, "title": …,
"outlet": …, "date": …}``: doccano imports ``text`` and ``label`` and keeps the other keys as
the example's metadata. Notes and annotators are not carried (doccano's import has no place for
them). Every article of the export is written, annotated or not, so the doccano project holds
the whole corpus.

doccano's browser front end counts offsets in UTF-16 code units unless the project counts
grapheme clusters (doccano issue #2290); use ``--offsets utf16`` for such a project when the
texts hold emoji or other characters beyond U+FFFF. Import reads ``label`` (or the newer
``entities`` list of ``{"start_offset", "end_offset", "label"}``), with the same option.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from tui.formats.base import (
    UTF16,
    CorpusLike,
    ExportItem,
    ExportOptions,
    FormatError,
    ImportResult,
    OffsetIndex,
    as_offset,
    as_str,
    check_offsets,
    derived_id,
    exportable,
    find_article,
    place_from_text,
)
from tui.model import TagDef

NAME = "doccano"
DESCRIPTION = "doccano sequence labelling JSONL: one article per line, label [[start, end, tag]]"
SUFFIX = ".jsonl"


def write(
    items: Sequence[ExportItem], stream: IO[str], tags: Sequence[TagDef], options: ExportOptions
) -> None:
    """Write one JSON object per article."""
    check_offsets(NAME, options, utf16=True)
    for item in items:
        article = item.article
        index = OffsetIndex(article.text)
        placed, _orphans = exportable(item)
        line = {
            "text": article.text,
            "label": [
                [index.to_units(a.start, options.offsets), index.to_units(a.end, options.offsets),
                 a.tag]
                for a in placed
            ],
            "article_id": article.id,
            **article.metadata(),
        }
        stream.write(json.dumps(line, ensure_ascii=False) + "\n")


def sniff(first: Any) -> bool:
    """True if the first parsed line looks like a doccano example."""
    return isinstance(first, dict) and "text" in first and ("label" in first or "entities" in first)


def read(text: str, corpus: CorpusLike, source: str, offsets: str = "codepoints") -> ImportResult:
    """Annotations from doccano JSONL; each example is matched to a corpus article by its
    ``article_id`` (or doccano's metadata of it), else by its text."""
    result = ImportResult(NAME)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        try:
            example = json.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(f"{where} is not valid JSON: {error.msg}") from None
        if not isinstance(example, dict) or not isinstance(example.get("text"), str):
            result.problems.append(f"{where}: no \"text\"; skipped")
            continue
        source_text = example["text"]
        meta = example.get("meta") if isinstance(example.get("meta"), dict) else {}
        article_id = as_str(example.get("article_id")) or as_str(meta.get("article_id"))
        article = find_article(corpus, article_id, source_text)
        spans = _spans(example)
        if article is None:
            if spans:
                result.problems.append(
                    f"{where}: no article {article_id!r} and no article with this text in the "
                    f"corpus; {len(spans)} label(s) skipped"
                )
            continue
        index = OffsetIndex(source_text)
        for start, end, tag in spans:
            cp_start = index.from_units(start, offsets)
            cp_end = index.from_units(end, offsets)
            if cp_start is None or cp_end is None or cp_end <= cp_start:
                unit = "UTF-16 " if offsets == UTF16 else ""
                result.problems.append(
                    f"{where}: label [{start}, {end}, {tag!r}] is not a {unit}span of its text; "
                    "skipped"
                )
                continue
            result.annotations.append(
                place_from_text(
                    article, source_text, cp_start, cp_end,
                    id=derived_id(article.id, cp_start, cp_end, tag), tag=tag,
                )
            )
    return result


def _spans(example: dict[str, Any]) -> list[tuple[int, int, str]]:
    spans = []
    for entry in example.get("label") or []:
        if isinstance(entry, list) and len(entry) >= 3:
            start, end, tag = as_offset(entry[0]), as_offset(entry[1]), as_str(entry[2])
            if start is not None and end is not None and tag:
                spans.append((start, end, tag))
    for entry in example.get("entities") or []:
        if isinstance(entry, dict):
            start, end = as_offset(entry.get("start_offset")), as_offset(entry.get("end_offset"))
            tag = as_str(entry.get("label"))
            if start is not None and end is not None and tag:
                spans.append((start, end, tag))
    return spans
