"""``w3c``: the W3C Web Annotation Data Model, as JSON-LD.

One ``AnnotationCollection`` whose ``first`` (and only) ``AnnotationPage`` holds every
annotation. Each annotation follows the model's MUSTs (https://www.w3.org/TR/annotation-model/):

- ``@context`` ``http://www.w3.org/ns/anno.jsonld``; ``id`` an absolute IRI (``urn:uuid:…``,
  the annotation's own UUID, or a name-based UUID when its id is not one); ``type``
  ``Annotation``; ``motivation`` ``tagging`` (exactly one, as the model recommends).
- ``body``: the tag as a ``TextualBody`` with ``purpose`` ``tagging``, and the note (when there
  is one) as a ``TextualBody`` with ``purpose`` ``commenting``.
- ``creator`` a ``Person`` with the annotator's name; ``created``/``modified`` as
  ``xsd:dateTime`` with a timezone (``Z``); omitted when unknown rather than left empty. An
  annotation of a curated set (``newsmark adjudicate``) has several creators: the curated set
  first, then the annotators it was taken from (its ``adjudicated_from``), each a ``Person``.
- ``generator``, for an annotation accepted from a suggestion: the ``Software`` agent that
  proposed it, ``{"id": "urn:newsmark:suggester:<source>", "type": "Software",
  "name": "newsmark suggester <source>"}`` (read back as the annotation's ``source``).
- ``target``: a ``SpecificResource`` whose ``source`` is the article's absolute IRI (its file's
  ``file:`` URI, or ``--source-base`` + the id) and whose ``selector`` lists a
  ``TextQuoteSelector`` (``exact``, ``prefix``, ``suffix``) and a ``TextPositionSelector``
  (``start``, ``end``): alternatives that select the same text.

Positions are code points into the normalised text, as the model requires (section 4.2.4:
"in terms of unicode code points"); this format therefore refuses ``--offsets utf16``.
An empty collection has no ``first`` page (a page MUST have at least one item).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import IO, Any
from urllib.parse import quote, unquote

from tui.formats.base import (
    CorpusLike,
    ExportItem,
    ExportOptions,
    FormatError,
    ImportResult,
    as_offset,
    as_str,
    check_offsets,
    derived_id,
    exportable,
    place_in_article,
)
from tui.jsonout import pretty_json
from tui.model import Annotation, Article, TagDef

NAME = "w3c"
DESCRIPTION = "W3C Web Annotation (JSON-LD): an AnnotationCollection, quote + position selectors"
SUFFIX = ".jsonld"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: The IRI of a suggester, as the ``generator`` of the annotations accepted from it.
GENERATOR_PREFIX = "urn:newsmark:suggester:"
_COLLECTION_NAMESPACE = uuid.UUID("0b8e2a5c-5a36-4d1e-8f39-77e7b1c6f0a2")


def annotation_iri(annotation_id: str) -> str:
    """The absolute IRI of an annotation: its UUID as a URN (name-based if it is not a UUID)."""
    try:
        return uuid.UUID(annotation_id).urn
    except ValueError:
        return uuid.uuid5(_COLLECTION_NAMESPACE, annotation_id).urn


def article_iri(article: Article, options: ExportOptions) -> str:
    """The absolute IRI of an article: ``source_base`` + its id, else its file's URI."""
    if options.source_base:
        return options.source_base + quote(article.id, safe="")
    return article.path.resolve().as_uri()


def annotation_object(annotation: Annotation, source: str) -> dict[str, Any]:
    """One annotation as a Web Annotation."""
    body: list[dict[str, Any]] = [
        {"type": "TextualBody", "value": annotation.tag, "purpose": "tagging",
         "format": "text/plain"},
    ]
    if annotation.note:
        body.append({"type": "TextualBody", "value": annotation.note, "purpose": "commenting",
                     "format": "text/plain"})
    quote_selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": annotation.text}
    if annotation.prefix:
        quote_selector["prefix"] = annotation.prefix
    if annotation.suffix:
        quote_selector["suffix"] = annotation.suffix
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": annotation_iri(annotation.id),
        "type": "Annotation",
        "motivation": "tagging",
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": source,
            "selector": [
                quote_selector,
                {"type": "TextPositionSelector", "start": annotation.start,
                 "end": annotation.end},
            ],
        },
    }
    if annotation.annotator:
        result["creator"] = {"type": "Person", "name": annotation.annotator}
        if annotation.adjudicated_from:
            result["creator"] = [result["creator"], *({"type": "Person", "name": name}
                                                      for name in annotation.adjudicated_from)]
    if annotation.created:
        result["created"] = annotation.created
    if annotation.modified:
        result["modified"] = annotation.modified
    if annotation.source:
        result["generator"] = {"id": GENERATOR_PREFIX + quote(annotation.source, safe=""),
                               "type": "Software",
                               "name": f"newsmark suggester {annotation.source}"}
    return result


def collection(items: Sequence[ExportItem], options: ExportOptions) -> dict[str, Any]:
    """The AnnotationCollection of every exportable annotation in ``items``."""
    check_offsets(NAME, options, utf16=False)
    annotations = []
    for item in items:
        source = article_iri(item.article, options)
        placed, _orphans = exportable(item)
        annotations.extend(annotation_object(a, source) for a in placed)
    # Name-based, so the same selection of annotations always gets the same collection IRI.
    key = "\n".join(a["id"] for a in annotations)
    collection_id = uuid.uuid5(_COLLECTION_NAMESPACE, "collection\n" + key).urn
    result: dict[str, Any] = {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "newsmark annotations",
        "total": len(annotations),
    }
    if annotations:
        result["first"] = {
            "id": uuid.uuid5(_COLLECTION_NAMESPACE, "page\n" + key).urn,
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": annotations,
        }
    return result


def write(
    items: Sequence[ExportItem], stream: IO[str], tags: Sequence[TagDef], options: ExportOptions
) -> None:
    """Write the collection as indented JSON-LD."""
    stream.write(pretty_json(collection(items, options)))


def sniff(data: Any) -> bool:
    """True if parsed JSON ``data`` is Web Annotation JSON-LD (a collection, page or one)."""
    if isinstance(data, list):
        return bool(data) and all(sniff(item) for item in data)
    return isinstance(data, dict) and data.get("type") in (
        "AnnotationCollection", "AnnotationPage", "Annotation"
    )


def read(text: str, corpus: CorpusLike, source: str) -> ImportResult:
    """Annotations from a collection, a page, one annotation or a list of them."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(f"{source} is not valid JSON: {error}") from None
    if not sniff(data):
        raise FormatError(f"{source} is not W3C Web Annotation JSON-LD (no Annotation types)")
    result = ImportResult(NAME)
    for number, item in enumerate(_annotations(data), 1):
        problem = _read_one(item, corpus, result)
        if problem:
            label = item.get("id") if isinstance(item, dict) else None
            result.problems.append(f"annotation #{number} ({label or 'no id'}): {problem}; skipped")
    return result


def _annotations(data: Any) -> list[Any]:
    if isinstance(data, list):
        return [a for item in data for a in _annotations(item)]
    kind = data.get("type")
    if kind == "Annotation":
        return [data]
    if kind == "AnnotationPage":
        items = data.get("items", [])
        return list(items) if isinstance(items, list) else []
    first = data.get("first")  # AnnotationCollection; only embedded pages can be read offline
    found = []
    while isinstance(first, dict):
        found.extend(_annotations(first))
        first = first.get("next")
    return found


def _read_one(item: Any, corpus: CorpusLike, result: ImportResult) -> str | None:
    if not isinstance(item, dict):
        return "not an object"
    tag, note = "", []
    bodies = item.get("body", [])
    for body in bodies if isinstance(bodies, list) else [bodies]:
        if not isinstance(body, dict):
            continue
        purpose, value = body.get("purpose"), as_str(body.get("value"))
        if purpose == "tagging" and not tag:
            tag = value
        elif purpose == "commenting":
            note.append(value)
    if not tag:
        return "no TextualBody with purpose tagging"
    target = item.get("target")
    if isinstance(target, list):
        target = target[0] if target else None
    if not isinstance(target, dict):
        return "no target with selectors"
    article = _article(as_str(target.get("source")), corpus)
    if article is None:
        return f"its source {target.get('source')!r} is not an article of the corpus"
    selectors = target.get("selector", [])
    selectors = selectors if isinstance(selectors, list) else [selectors]
    position = next((s for s in selectors if isinstance(s, dict)
                     and s.get("type") == "TextPositionSelector"), {})
    quoted = next((s for s in selectors if isinstance(s, dict)
                   and s.get("type") == "TextQuoteSelector"), {})
    start, end = as_offset(position.get("start")), as_offset(position.get("end"))
    exact = as_str(quoted.get("exact"))
    if start is None or end is None or end <= start:
        if not exact:
            return "neither a TextPositionSelector nor a TextQuoteSelector"
        start, end = 0, len(exact)  # no position: found by quote and context alone
    iri = as_str(item.get("id"))
    annotation_id = iri[len("urn:uuid:"):] if iri.startswith("urn:uuid:") else iri
    creator = item.get("creator")
    curated: tuple[str, ...] = ()
    if isinstance(creator, list):  # a curated annotation: its set, then its sources
        names = [as_str(c.get("name")) if isinstance(c, dict) else as_str(c) for c in creator]
        curated = tuple(name for name in names[1:] if name)
        creator = creator[0] if creator else None
    annotator = as_str(creator.get("name")) if isinstance(creator, dict) else as_str(creator)
    generator = item.get("generator")
    generator_id = as_str(generator.get("id")) if isinstance(generator, dict) else ""
    suggester = (unquote(generator_id[len(GENERATOR_PREFIX):])
                 if generator_id.startswith(GENERATOR_PREFIX) else "")
    result.annotations.append(replace(
        place_in_article(
            article, start, end, exact or None,
            id=annotation_id or derived_id(article.id, start, end, tag),
            tag=tag,
            prefix=as_str(quoted.get("prefix")),
            suffix=as_str(quoted.get("suffix")),
            note="\n".join(note),
            annotator=annotator,
            created=as_str(item.get("created")),
            modified=as_str(item.get("modified")),
        ),
        source=suggester,
        adjudicated_from=curated,
    ))
    return None


def _article(source: str, corpus: CorpusLike) -> Article | None:
    """The article a source IRI names: its file URI, or a last path segment that is an id."""
    if not source:
        return None
    for info in corpus.infos:  # paths are known without reading any article
        try:
            if info.path.resolve().as_uri() == source:
                return corpus.get(info.id)
        except ValueError:
            continue
    # `--source-base` IRIs end in the percent-encoded id, after a "/" or (URNs) a ":".
    segments = [unquote(source.rsplit(sep, 1)[-1]) for sep in ("/", ":")]
    candidates = [*segments, *(segment.rsplit(".", 1)[0] for segment in segments)]
    for candidate in candidates:
        found = corpus.get(candidate)
        if found is not None:
            return found
    return None
