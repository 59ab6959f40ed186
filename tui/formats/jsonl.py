"""``jsonl``: one annotation per line, flat, for pandas, spaCy and scripts.

Each line is a JSON object with the keys of :data:`COLUMNS`, in that order: the annotation's
``article_id, start, end, tag, text, note, annotator, created, modified, id`` and the article's
``title, outlet, date``, then the provenance of an accepted suggestion: ``source``, ``score``
(0–1, or null) and ``when`` (empty unless a schedule), and of a curated annotation:
``adjudicated_from`` (the annotators it was taken from; empty elsewhere). ``text`` is the
quoted passage, ``article.text[start:end]``.
Orphaned annotations (whose passage could not be found in the current text) are left out:
their offsets refer to an older text. ``--offsets utf16`` counts ``start``/``end`` in UTF-16
code units instead of code points.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
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
    place_in_article,
)
from tui.model import TagDef

NAME = "jsonl"
DESCRIPTION = "one annotation per line, flat, with the article's title/outlet/date"
SUFFIX = ".jsonl"

#: The flat record, in order (shared with the csv format).
COLUMNS = (
    "article_id", "start", "end", "tag", "text", "note", "annotator", "created", "modified",
    "id", "title", "outlet", "date", "source", "score", "when", "adjudicated_from",
)


def flat_rows(items: Sequence[ExportItem], options: ExportOptions) -> Iterator[dict[str, Any]]:
    """One flat record per exportable annotation, in article then text order."""
    for item in items:
        article = item.article
        index = OffsetIndex(article.text)
        placed, _orphans = exportable(item)
        for annotation in placed:
            yield {
                "article_id": article.id,
                "start": index.to_units(annotation.start, options.offsets),
                "end": index.to_units(annotation.end, options.offsets),
                "tag": annotation.tag,
                "text": annotation.text,
                "note": annotation.note,
                "annotator": annotation.annotator,
                "created": annotation.created,
                "modified": annotation.modified,
                "id": annotation.id,
                "title": article.title,
                "outlet": article.outlet,
                "date": article.date,
                "source": annotation.source,
                "score": annotation.score,
                "when": annotation.when,
                "adjudicated_from": list(annotation.adjudicated_from),
            }


def write(
    items: Sequence[ExportItem], stream: IO[str], tags: Sequence[TagDef], options: ExportOptions
) -> None:
    """Write one JSON object per line."""
    check_offsets(NAME, options, utf16=True)
    for row in flat_rows(items, options):
        stream.write(json.dumps(row, ensure_ascii=False) + "\n")


def sniff(first: Any) -> bool:
    """True if the first parsed line looks like a flat newsmark record."""
    return isinstance(first, dict) and {"article_id", "start", "end", "tag"} <= first.keys()


def read(text: str, corpus: CorpusLike, source: str, offsets: str = "codepoints") -> ImportResult:
    """Annotations from flat records (one JSON object per line)."""
    result = ImportResult(NAME)
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source} line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(f"{where} is not valid JSON: {error.msg}") from None
        problem = read_flat_row(row, corpus, offsets, result)
        if problem:
            result.problems.append(f"{where}: {problem}; skipped")
    return result


def read_flat_row(
    row: Any, corpus: CorpusLike, offsets: str, result: ImportResult
) -> str | None:
    """Place one flat record (jsonl or csv) in the corpus; return a problem, or None."""
    if not isinstance(row, dict):
        return "not an object"
    article_id = as_str(row.get("article_id"))
    article = find_article(corpus, article_id)
    if article is None:
        return f"article {article_id!r} is not in the corpus"
    start, end = as_offset(row.get("start")), as_offset(row.get("end"))
    tag = as_str(row.get("tag"))
    if start is None or end is None or end <= start or not tag:
        return "no valid start, end and tag"
    index = OffsetIndex(article.text)
    cp_start, cp_end = index.from_units(start, offsets), index.from_units(end, offsets)
    if offsets == UTF16 and (cp_start is None or cp_end is None):
        return f"offsets {start}:{end} are not UTF-16 character boundaries in {article.id}"
    quote = row.get("text")
    placed = place_in_article(
        article,
        start if cp_start is None else cp_start,
        end if cp_end is None else cp_end,
        quote if isinstance(quote, str) and quote else None,
        id=as_str(row.get("id")) or derived_id(article.id, start, end, tag),
        tag=tag,
        note=as_str(row.get("note")),
        annotator=as_str(row.get("annotator")),
        created=as_str(row.get("created")),
        modified=as_str(row.get("modified")),
    )
    score = row.get("score")
    if isinstance(score, str):  # csv cells are text
        try:
            score = float(score) if score.strip() else None
        except ValueError:
            return f"score {score!r} is not a number"
    if score is not None and (isinstance(score, bool) or not isinstance(score, (int, float))):
        return "score is not a number"
    curated = row.get("adjudicated_from") or []
    if isinstance(curated, str):  # csv cells are text: names joined by "; "
        curated = [name.strip() for name in curated.split(";") if name.strip()]
    if not isinstance(curated, list) or not all(isinstance(n, str) and n for n in curated):
        return "adjudicated_from is not a list of annotator names"
    result.annotations.append(replace(placed, source=as_str(row.get("source")),
                                      score=score, when=as_str(row.get("when")),
                                      adjudicated_from=tuple(curated)))
    return None
