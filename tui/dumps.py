"""Scraper dumps: ``.jsonl`` (one JSON object a line) and ``.json`` (a list of objects), one
article per object (no UI).

Scrapers name their fields as they please, so the fields are guessed from their common names
(:data:`FIELD_NAMES`, compared case-insensitively; a dotted name reaches inside an object, as
``meta.title``), and a ``--field text=body``-style override (:func:`parse_field_overrides`) says
which field is which where the guess is wrong.

Ids are stable across launches: a record's ``id`` field if it has one, else one made from its
URL (the last part of the path, as a slug), else ``<file stem>-<line>`` (the line of a ``.jsonl``,
the position counted from 1 in a ``.json`` list). Where two records would share an id, the later
ones get ``~2``, ``~3``... in file order. A malformed line (not JSON, not an object, no text) is
skipped, and one warning per dump names the lines; every other record is an article. The dump
itself is only ever read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import orjson

__all__ = [
    "DUMP_SUFFIXES",
    "FIELD_NAMES",
    "DumpRecord",
    "FieldError",
    "field_value",
    "parse_field_overrides",
    "read_dump",
    "read_record",
]

#: File suffixes read as dumps (compared case-insensitively).
DUMP_SUFFIXES = (".jsonl", ".json")

#: The field names tried for each of an article's parts, first found wins.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "maintext", "main_text", "article_text",
             "full_text", "fulltext", "raw_text", "story"),
    "title": ("title", "headline", "heading", "article_title"),
    "date": ("date", "published", "publish_date", "date_publish", "published_at",
             "date_published", "datepublished", "publication_date", "pub_date", "pubdate",
             "published_date", "created_at", "date_created", "timestamp"),
    "outlet": ("source", "outlet", "site", "sitename", "site_name", "source_domain", "domain",
               "publisher", "newspaper", "media", "hostname"),
    "url": ("url", "link", "canonical_url", "source_url", "article_url", "href", "uri"),
    "id": ("id", "_id", "article_id", "doc_id", "uuid", "guid"),
    "author": ("author", "authors", "byline", "creator"),
}
_PARTS = tuple(FIELD_NAMES)
_MAX_WARNED_LINES = 10
_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")
_URL_ID_CHARS = 60


class FieldError(ValueError):
    """A ``--field`` option that cannot be understood (the message says what to write)."""


def parse_field_overrides(options: list[str] | tuple[str, ...] | None) -> dict[str, str]:
    """``["text=body", "date=meta.published"]`` as ``{"text": "body", ...}``.

    Raises :class:`FieldError` naming the bad option and the parts that can be given.
    """
    overrides: dict[str, str] = {}
    for option in options or ():
        part, sep, name = option.partition("=")
        part, name = part.strip().lower(), name.strip()
        if not sep or not name:
            raise FieldError(f"--field {option!r}: write PART=FIELD, e.g. --field text=body")
        if part not in FIELD_NAMES:
            raise FieldError(f"--field {option!r}: {part!r} is not a part of an article; "
                             f"use one of {', '.join(_PARTS)}")
        overrides[part] = name
    return overrides


@dataclass(frozen=True)
class DumpRecord:
    """One article of a dump: its id, text (normalised) and metadata, and where it is in the
    file (``line``: the 1-based line of a ``.jsonl`` or position in a ``.json`` list; ``offset``:
    the byte offset of a ``.jsonl`` line, -1 for a ``.json`` list)."""

    id: str
    text: str
    title: str
    outlet: str
    date: str
    url: str
    author: str
    line: int
    offset: int


def _lookup(record: Mapping[str, Any], name: str) -> Any:
    """The value of field ``name`` (case-insensitive; ``a.b`` reaches inside objects)."""
    value: Any = record
    for step in name.split("."):
        if not isinstance(value, Mapping):
            return None
        if step in value:
            value = value[step]
            continue
        lowered = step.lower()
        value = next((v for k, v in value.items() if str(k).lower() == lowered), None)
        if value is None:
            return None
    return value


def _as_text(value: Any) -> str:
    """A field's value as one string: lists joined, an object's name (``{"name": ...}``)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return ", ".join(filter(None, (_as_text(item) for item in value)))
    if isinstance(value, Mapping):
        for key in ("name", "title", "text", "value", "id", "url"):
            if key in value:
                return _as_text(value[key])
    return ""


def field_value(record: Mapping[str, Any], part: str, overrides: Mapping[str, str]) -> Any:
    """The raw value of ``part`` (text, title, date...) in ``record``: the overriding field if
    given, else the first of :data:`FIELD_NAMES` present and not empty."""
    if part in overrides:
        return _lookup(record, overrides[part])
    for name in FIELD_NAMES[part]:
        value = _lookup(record, name)
        if value not in (None, "", []):
            return value
    return None


def _date(value: Any) -> str:
    """A date field as ISO ``YYYY-MM-DD`` ("" when it holds none)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Seconds (or milliseconds) since the epoch, as many scrapers write them.
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(seconds, timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return ""
    text = _as_text(value)
    match = _ISO_DATE.match(text)
    if match:
        try:
            return datetime(*map(int, match.groups())).date().isoformat()
        except ValueError:
            return ""
    from .corpus import first_date  # the corpus's date shapes ("31 Dec, 2021", "Dec 31, 2021")

    return first_date(text)


def _normalise(text: str) -> str:
    from .corpus import normalise

    return normalise(text)


def _one_line(text: str) -> str:
    return " ".join(_normalise(text).split())


def url_id(url: str) -> str:
    """A stable, readable id made from a URL: the last part of its path as a slug (the host's
    when the path is empty); "" when the URL gives nothing to make one of."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    segments = [s for s in unquote(parts.path).split("/") if s]
    if segments:
        last = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segments[-1], flags=re.IGNORECASE)
        candidate = last if re.search(r"[A-Za-z]", last) or len(segments) == 1 else \
            "-".join(segments[-2:])
    else:
        candidate = parts.netloc
    ascii_text = unicodedata.normalize("NFKD", candidate).encode("ascii", "ignore").decode()
    slug = _SLUG_STRIP.sub("-", ascii_text.lower()).strip("-")
    return slug[:_URL_ID_CHARS].rstrip("-")


def _make_record(data: Any, line: int, offset: int, stem: str,
                 overrides: Mapping[str, str]) -> DumpRecord | str:
    """The record of one parsed object, or why it is not an article."""
    if not isinstance(data, Mapping):
        return f"a JSON {type(data).__name__ if data is not None else 'null'}, not an object"
    raw_text = field_value(data, "text", overrides)
    text = _normalise(_as_text(raw_text)) if raw_text is not None else ""
    if not text.strip():
        wanted = overrides.get("text") or "/".join(FIELD_NAMES["text"][:5])
        return f"no text (no {wanted} field with text; say which with --field text=NAME)"
    url = _one_line(_as_text(field_value(data, "url", overrides)))
    given_id = _one_line(_as_text(field_value(data, "id", overrides)))
    article_id = given_id or url_id(url) or f"{stem}-{line}"
    return DumpRecord(
        id=article_id,
        text=text,
        title=_one_line(_as_text(field_value(data, "title", overrides))),
        outlet=_one_line(_as_text(field_value(data, "outlet", overrides))),
        date=_date(field_value(data, "date", overrides)),
        url=url,
        author=_one_line(_as_text(field_value(data, "author", overrides))),
        line=line,
        offset=offset,
    )


def _json_lines(raw: bytes) -> Iterator[tuple[int, int, bytes]]:
    """``(line number, byte offset, line)`` of every line of a ``.jsonl``."""
    offset = 0
    for number, line in enumerate(raw.split(b"\n"), 1):
        yield number, offset, line
        offset += len(line) + 1


def _list_of_objects(raw: bytes) -> list[Any]:
    """The list a ``.json`` dump holds (or an object's one list of articles, as
    ``{"articles": [...]}``); raises ValueError saying what is wrong."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.args[0]})") from None
    if isinstance(data, Mapping):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) == 1:
            data = lists[0]
    if not isinstance(data, list):
        raise ValueError("not a dump: expected a JSON list of article objects")
    return data


def read_dump(path: Path, raw: bytes,
              overrides: Mapping[str, str] | None = None) -> tuple[list[DumpRecord], str | None]:
    """Every article of the dump ``path`` (its bytes ``raw``), ids unique within it, and one
    warning naming the malformed lines (None when there are none).

    Raises ValueError (saying why) when the file as a whole is not a dump.
    """
    overrides = dict(overrides or {})
    stem = path.name[: path.name.rfind(".")] if "." in path.name else path.name
    records: list[DumpRecord] = []
    bad: list[tuple[int, str]] = []
    if path.suffix.lower() == ".jsonl" or not raw.lstrip()[:1] == b"[" and b"\n{" in raw:
        if raw.startswith(b"\xef\xbb\xbf"):
            raw = b"   " + raw[3:]  # a BOM: blanked, so byte offsets stay the file's
        for number, offset, line in _json_lines(raw):
            if not line.strip():
                continue
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as error:
                bad.append((number, f"invalid JSON ({error.args[0].split(':')[0]})"))
                continue
            made = _make_record(data, number, offset, stem, overrides)
            if isinstance(made, str):
                bad.append((number, made))
            else:
                records.append(made)
        where = "line"
    else:
        for position, data in enumerate(_list_of_objects(raw), 1):
            made = _make_record(data, position, -1, stem, overrides)
            if isinstance(made, str):
                bad.append((position, made))
            else:
                records.append(made)
        where = "item"
    if not records and not bad:
        raise ValueError("holds no articles (it is empty)")
    if not records:
        first = bad[0]
        raise ValueError(f"no article could be read ({where} {first[0]}: {first[1]})")
    return _unique(records), _warning(bad, where, len(records))


def _unique(records: list[DumpRecord]) -> list[DumpRecord]:
    """Records with ids made unique in file order: a repeated id gets ``~2``, ``~3``..."""
    seen: dict[str, int] = {}
    taken = {record.id for record in records}
    unique: list[DumpRecord] = []
    for record in records:
        count = seen.get(record.id, 0) + 1
        seen[record.id] = count
        if count == 1:
            unique.append(record)
            continue
        candidate = f"{record.id}~{count}"
        while candidate in taken:
            count += 1
            candidate = f"{record.id}~{count}"
        seen[record.id] = count
        taken.add(candidate)
        unique.append(DumpRecord(candidate, *[getattr(record, name) for name in
                                             ("text", "title", "outlet", "date", "url",
                                              "author", "line", "offset")]))
    return unique


def _warning(bad: list[tuple[int, str]], where: str, read: int) -> str | None:
    if not bad:
        return None
    shown = ", ".join(str(number) for number, _ in bad[:_MAX_WARNED_LINES])
    more = f" and {len(bad) - _MAX_WARNED_LINES} more" if len(bad) > _MAX_WARNED_LINES else ""
    plural = "s" if len(bad) > 1 else ""
    return (f"left out {len(bad)} malformed {where}{plural} ({shown}{more}; {where} "
            f"{bad[0][0]}: {bad[0][1]}); its other {read} article{'s' if read > 1 else ''} open")


def read_record(path: Path, raw_at: bytes | None, line: int, offset: int,
                overrides: Mapping[str, str] | None = None) -> DumpRecord | str:
    """One record again (opening an article of a dump): ``raw_at`` is the ``.jsonl`` line at
    ``offset`` (or the whole ``.json`` file). Returns the record, or why it is gone."""
    overrides = dict(overrides or {})
    stem = path.name[: path.name.rfind(".")] if "." in path.name else path.name
    if raw_at is None:
        return "the dump can no longer be read"
    if offset >= 0:
        try:
            data = orjson.loads(raw_at)
        except orjson.JSONDecodeError:
            return f"line {line} is no longer valid JSON"
    else:
        try:
            items = _list_of_objects(raw_at)
        except ValueError as error:
            return str(error)
        if not 0 < line <= len(items):
            return f"item {line} is no longer in the dump"
        data = items[line - 1]
    return _make_record(data, line, offset, stem, overrides)
