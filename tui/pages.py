"""Saved web pages (``.html``, ``.htm``): the main text and the page's own metadata (no UI).

The text is extracted with trafilatura (made for news pages: it drops navigation, share bars,
related-post lists, comment forms, cookie notices and footers) and the metadata (title, site
name, date, URL, author) is read from the page's ``<meta>`` tags, OpenGraph, ``article:*``
properties and JSON-LD, by trafilatura's own metadata reader.

Every offset of a page's annotations refers to the *extracted* text, so the extraction must be
the same every time it is made: the options are fixed here (no date search against today's
date, no deduplication that depends on what was seen before), and the text is kept in an
extraction cache keyed by the file's path, size and modification time *and* by
:func:`extractor_version` (trafilatura's version and ours). A new trafilatura that extracts a
page differently gives a new text: the annotations re-anchor as for an edited file (exact, fuzzy
or orphan, never moved silently), because their ``text_sha256`` no longer matches. Exports carry
the extracted text (the native JSON's ``text``), so offsets stay checkable without the page.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .durable import atomic_write

__all__ = ["ExtractedPage", "ExtractionCache", "extract_page", "extractor_version"]

#: Bumped when what this module does with trafilatura's output changes (joining, options).
_OUR_VERSION = "1"
_META_KEYS = ("title", "outlet", "date", "url", "author")


# A page holds an article only if some paragraph of what is extracted has this many words.
_MIN_PARAGRAPH_WORDS = 5


def _quiet() -> None:
    """Keep trafilatura's and its helpers' log records (``lxml parsing failed``) off stderr:
    a page that cannot be read is told once, in newsmark's own words."""
    import logging

    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())
        logger.propagate = False


@functools.cache
def extractor_version() -> str:
    """What makes a cached extraction: a different version means extract again.

    Read when a page is first looked up, not at import: ``importlib.metadata`` costs start-up
    time that a corpus without pages does not need to pay."""
    try:
        from importlib.metadata import version

        return f"trafilatura-{version('trafilatura')}+newsmark-{_OUR_VERSION}"
    except Exception:  # noqa: BLE001 - not installed: extract_page says so
        return f"trafilatura-missing+newsmark-{_OUR_VERSION}"


class PageError(ValueError):
    """A page from which no article text could be extracted (the message says why)."""


@dataclass(frozen=True)
class ExtractedPage:
    """A page's main text (paragraphs separated by blank lines, not yet normalised) and its
    metadata: ``{"title", "outlet", "date", "url", "author"}``, ``""`` when the page has none."""

    text: str
    meta: dict[str, str]


def extract_page(raw: bytes) -> ExtractedPage:
    """Extract the main text and metadata of a saved web page (its bytes, any encoding the page
    declares). Raises :class:`PageError` when the page holds no article text."""
    try:
        import trafilatura
    except ImportError as error:  # pragma: no cover - a dependency of newsmark
        raise PageError(f"trafilatura is not installed ({error}); pip install -e .") from None
    _quiet()
    try:
        document = trafilatura.bare_extraction(
            raw,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_formatting=False,
            include_links=False,
            deduplicate=False,
            # A fixed latest date: the default (today) would let a date be accepted one day and
            # rejected the next, and the extraction must not depend on when it runs.
            date_extraction_params={
                "extensive_search": False,
                "original_date": True,
                "max_date": "2100-01-01",
            },
        )
    except Exception as error:  # noqa: BLE001 - lxml and trafilatura raise many kinds
        raise PageError(f"the page could not be parsed ({type(error).__name__})") from None
    text = getattr(document, "text", None) if document is not None else None
    # trafilatura gives one paragraph per line; a blank line between them reads as the seeds
    # do and keeps "every line ends a sentence" true.
    paragraphs = [line.strip() for line in (text or "").split("\n") if line.strip()]
    if not any(len(p.split()) >= _MIN_PARAGRAPH_WORDS for p in paragraphs):
        # What is left of a page without an article is a menu: "Home", "World", "Sport".
        raise PageError("no article text found in the page")

    def field(name: str) -> str:
        value = getattr(document, name, None)
        return " ".join(str(value).split()) if value else ""

    meta = {
        "title": field("title"),
        "outlet": field("sitename"),
        "date": field("date")[:10],
        "url": field("url"),
        "author": field("author"),
    }
    return ExtractedPage("\n\n".join(paragraphs), meta)


class ExtractionCache:
    """Extracted pages remembered between launches: one small JSON file per page in a folder
    (by default the user's cache folder, ``$XDG_CACHE_HOME/newsmark/pages`` on Linux).

    An entry is used only while the page's absolute path, size and modification time and
    :func:`extractor_version` are those it was made with. Written atomically; only ever an
    optimisation (a cache that cannot be read or written is ignored, and the page is extracted
    again, giving the same text).
    """

    def __init__(self, folder: Path | str | None = None) -> None:
        if folder is None:
            import platformdirs

            folder = Path(platformdirs.user_cache_dir("newsmark", appauthor=False)) / "pages"
        self.folder = Path(folder)

    def _file(self, path: Path) -> Path:
        key = os.path.abspath(path).encode("utf-8", "surrogatepass")
        return self.folder / f"{hashlib.sha256(key).hexdigest()[:24]}.json"

    def get(self, path: Path, size: int, mtime_ns: int) -> ExtractedPage | None:
        """The cached extraction of ``path`` if it is still valid, else None."""
        try:
            data: Any = json.loads(self._file(path).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or [
            data.get("path"), data.get("size"), data.get("mtime_ns"), data.get("extractor")
        ] != [os.path.abspath(path), size, mtime_ns, extractor_version()]:
            return None
        text, meta = data.get("text"), data.get("meta")
        if not isinstance(text, str) or not isinstance(meta, dict):
            return None
        return ExtractedPage(text, {key: str(meta.get(key, "")) for key in _META_KEYS})

    def put(self, path: Path, size: int, mtime_ns: int, page: ExtractedPage) -> None:
        """Remember the extraction of ``path`` as it is now (silently not, if it cannot)."""
        data = json.dumps({
            "path": os.path.abspath(path), "size": size, "mtime_ns": mtime_ns,
            "extractor": extractor_version(), "text": page.text, "meta": page.meta,
        }, ensure_ascii=False).encode("utf-8", "surrogatepass")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            atomic_write(self._file(path), data, durable=False)
        except OSError:
            pass


def read_page(path: Path, raw: bytes, size: int, mtime_ns: int,
              cache: ExtractionCache | None) -> ExtractedPage:
    """The extraction of the page ``path`` (whose bytes are ``raw``), from ``cache`` when valid;
    a fresh extraction is put in the cache."""
    if cache is not None:
        cached = cache.get(path, size, mtime_ns)
        if cached is not None:
            return cached
    page = extract_page(raw)
    if cache is not None:
        cache.put(path, size, mtime_ns, page)
    return page
