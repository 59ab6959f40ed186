"""``labelstudio``: a Label Studio JSON task list, and the labelling config it needs.

Each article is a task: ``data`` holds ``text`` (the normalised article) and its
``article_id``, ``title``, ``outlet``, ``date``; ``annotations`` holds one Label Studio
annotation per annotator, whose ``result`` has, for each passage, a region::

    {"id": <annotation id>, "from_name": "label", "to_name": "text", "type": "labels",
     "value": {"start": …, "end": …, "text": …, "labels": ["threat"]}}

and, when it has a note, a ``textarea`` result with the same ``id`` (Label Studio's per-region
text area, ``value.text`` a list of lines' text). ``newsmark export --format
labelstudio-config`` prints the matching ``<View>`` config (``Labels`` named ``label``, ``Text``
named ``text`` reading ``$text``, a per-region ``TextArea`` named ``note``). A curated set's
annotation (``newsmark adjudicate``) is marked ``"ground_truth": true``, and each of its regions
carries ``"meta": {"adjudicated_from": [...]}``, the annotators it was taken from.

Offsets are code points, which is what Label Studio stores since its front end stopped counting
JavaScript string length (label-studio-frontend PR #308); ``--offsets utf16`` writes UTF-16
code units for older versions. On import, a region whose ``value.text`` matches the task text
only in UTF-16 units is read in those units.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any

from tui.formats.base import (
    CODEPOINTS,
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
from tui.jsonout import pretty_json
from tui.model import Annotation, TagDef

NAME = "labelstudio"
DESCRIPTION = "Label Studio JSON tasks with annotations (see labelstudio-config)"
SUFFIX = ".json"
CONFIG_NAME = "labelstudio-config"
CONFIG_DESCRIPTION = "the Label Studio labelling config (XML) matching the labelstudio export"
FROM_NAME, TO_NAME, NOTE_NAME = "label", "text", "note"


def tasks(items: Sequence[ExportItem], options: ExportOptions) -> list[dict[str, Any]]:
    """The task list."""
    check_offsets(NAME, options, utf16=True)
    result = []
    for item in items:
        article = item.article
        index = OffsetIndex(article.text)
        placed, _orphans = exportable(item)
        by_annotator: dict[str, list[Annotation]] = {}
        for annotation in placed:
            by_annotator.setdefault(annotation.annotator, []).append(annotation)
        annotations = []
        for group in by_annotator.values():
            regions: list[dict[str, Any]] = []
            for a in group:
                start = index.to_units(a.start, options.offsets)
                end = index.to_units(a.end, options.offsets)
                region: dict[str, Any] = {
                    "id": a.id, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
                    "value": {"start": start, "end": end, "text": a.text, "labels": [a.tag]},
                }
                if a.adjudicated_from:
                    region["meta"] = {"adjudicated_from": list(a.adjudicated_from)}
                regions.append(region)
                if a.note:
                    regions.append({
                        "id": a.id, "from_name": NOTE_NAME, "to_name": TO_NAME,
                        "type": "textarea",
                        "value": {"start": start, "end": end, "text": [a.note]},
                    })
            # A curated set (newsmark adjudicate) is what Label Studio calls ground truth.
            curated = all(a.adjudicated_from for a in group)
            entry: dict[str, Any] = {"result": regions, "was_cancelled": False,
                                     "ground_truth": curated}
            created = min((a.created for a in group if a.created), default="")
            modified = max((a.modified for a in group if a.modified), default="")
            if created:
                entry["created_at"] = created
            if modified:
                entry["updated_at"] = modified
            annotations.append(entry)
        result.append({
            "data": {"text": article.text, "article_id": article.id, **article.metadata()},
            "annotations": annotations,
        })
    return result


def write(
    items: Sequence[ExportItem], stream: IO[str], tags: Sequence[TagDef], options: ExportOptions
) -> None:
    """Write the task list as indented JSON."""
    stream.write(pretty_json(tasks(items, options)))


def labelling_config(tags: Sequence[TagDef]) -> str:
    """The Label Studio ``<View>`` config for the exported tasks, with the tags as labels."""
    # Imported here: xml.sax.saxutils pulls in urllib.request and http.client, tens of
    # milliseconds that every start-up would pay (the command line imports every format).
    from xml.sax.saxutils import quoteattr

    labels = "".join(
        f"    <Label value={quoteattr(tag.name)} background={quoteattr(tag.colour)}"
        f" hotkey={quoteattr(tag.number)}/>\n"
        for tag in tags
    )
    return (
        "<View>\n"
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}">\n'
        f"{labels}"
        "  </Labels>\n"
        f'  <Text name="{TO_NAME}" value="$text"/>\n'
        '  <View visibleWhen="region-selected">\n'
        '    <Header value="Note"/>\n'
        f'    <TextArea name="{NOTE_NAME}" toName="{TO_NAME}" perRegion="true" editable="true"'
        ' rows="3"/>\n'
        "  </View>\n"
        "</View>\n"
    )


def write_config(
    items: Sequence[ExportItem], stream: IO[str], tags: Sequence[TagDef], options: ExportOptions
) -> None:
    """Write the labelling config (the items only contribute tags no longer configured)."""
    known = {tag.name for tag in tags}
    extra = []
    for item in items:
        for annotation in item.annotations:
            if annotation.tag not in known:
                known.add(annotation.tag)
                extra.append(TagDef(annotation.tag, "", "", "#999999", "", "?"))
    stream.write(labelling_config([*tags, *extra]))


def sniff(data: Any) -> bool:
    """True if parsed JSON ``data`` is a Label Studio task or task list."""
    if isinstance(data, dict):
        data = [data]
    return (
        isinstance(data, list)
        and bool(data)
        and all(isinstance(task, dict) and isinstance(task.get("data"), dict) for task in data)
    )


def read(text: str, corpus: CorpusLike, source: str, offsets: str = CODEPOINTS) -> ImportResult:
    """Annotations (and predictions) of ``labels`` regions from a task list."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(f"{source} is not valid JSON: {error}") from None
    if not sniff(data):
        raise FormatError(f"{source} is not a Label Studio task list (tasks with \"data\")")
    result = ImportResult(NAME)
    for number, task in enumerate(data if isinstance(data, list) else [data], 1):
        where = f"task #{number}"
        task_data = task["data"]
        source_text = task_data.get("text")
        if not isinstance(source_text, str):
            result.problems.append(f"{where}: no data.text; skipped")
            continue
        article = find_article(corpus, as_str(task_data.get("article_id")), source_text)
        results = [
            region
            for key in ("annotations", "completions", "predictions")
            for entry in (task.get(key) or [])
            if isinstance(entry, dict)
            for region in (entry.get("result") or [])
            if isinstance(region, dict)
        ]
        notes: dict[str, list[str]] = {}
        for region in results:
            value = region.get("value")
            if region.get("type") == "textarea" and isinstance(value, dict):
                lines = value.get("text")
                lines = lines if isinstance(lines, list) else [lines]
                notes.setdefault(as_str(region.get("id")), []).extend(
                    line for line in lines if isinstance(line, str)
                )
        regions = [r for r in results if r.get("type") == "labels"]
        if article is None:
            if regions:
                result.problems.append(
                    f"{where}: no article {task_data.get('article_id')!r} and no article with "
                    f"this text in the corpus; {len(regions)} region(s) skipped"
                )
            continue
        index = OffsetIndex(source_text)
        for region in regions:
            problem = _read_region(region, source_text, index, offsets, article, notes, result)
            if problem:
                result.problems.append(
                    f"{where}, region {region.get('id') or '?'}: {problem}; skipped"
                )
    return result


def _read_region(
    region: dict[str, Any],
    source_text: str,
    index: OffsetIndex,
    offsets: str,
    article: Any,
    notes: dict[str, list[str]],
    result: ImportResult,
) -> str | None:
    value = region.get("value")
    if not isinstance(value, dict):
        return "no value"
    start, end = as_offset(value.get("start")), as_offset(value.get("end"))
    labels = [label for label in value.get("labels") or [] if isinstance(label, str) and label]
    if start is None or end is None or end <= start or not labels:
        return "no valid start, end and labels"
    quote = value.get("text")
    units = offsets
    if isinstance(quote, str) and index.slice(start, end, units) != quote:
        # Label Studio versions disagree on the unit; the quote tells which one this file uses.
        other = UTF16 if units == CODEPOINTS else CODEPOINTS
        if index.slice(start, end, other) == quote:
            units = other
    cp_start, cp_end = index.from_units(start, units), index.from_units(end, units)
    if cp_start is None or cp_end is None or cp_end > len(source_text):
        return f"offsets {start}:{end} are outside its text"
    region_id = as_str(region.get("id"))
    for label in labels:
        annotation_id = region_id if len(labels) == 1 and region_id else derived_id(
            article.id, region_id, cp_start, cp_end, label
        )
        result.annotations.append(
            place_from_text(
                article, source_text, cp_start, cp_end,
                id=annotation_id, tag=label, note="\n".join(notes.get(region_id, [])),
            )
        )
    return None
