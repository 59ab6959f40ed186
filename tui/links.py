"""Links: an analyst's verdict on a cell of the compare matrix (no UI).

A **link** goes from a tagged annotation to another article: ``confirmed`` says that a span of
that article is the same passage (the analyst checked the machine's candidate, or picked
another), ``rejected`` says that the article does not carry it. It is stored in the annotator's
shard of the *linked* article (section ``links`` of :mod:`tui.store`: deterministic JSON, so
git merges it like annotations), keyed by the annotation's id: one verdict per annotator, per
annotation and article, a new one replacing the old; undo puts the previous record back.

A confirmed link carries its span as an annotation does (quote, prefix, suffix, the hash of the
text it was made on) and is **re-anchored** the same way (:func:`tui.anchoring.reanchor`) when
the linked article's text changes: found again, or marked ``orphan`` (kept, never moved
silently). A rejection may carry the candidate that was shown, for the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .model import CONTEXT_CHARS, Annotation, Article, Span, utc_now

if TYPE_CHECKING:
    from .corpus import Corpus
    from .store import Store

__all__ = ["LINKS", "VERDICTS", "Link", "corpus_links", "link_for", "links_of", "put_link",
           "reanchor_link", "remove_link"]

#: The store section links live in.
LINKS = "links"
#: What a link can say.
VERDICTS = ("confirmed", "rejected")
_FIELDS = ("annotation", "source_article", "verdict", "start", "end", "text", "prefix", "suffix",
           "text_sha256", "created", "modified", "anchor")


@dataclass(frozen=True)
class Link:
    """An analyst's verdict on one annotation's passage in one other article.

    ``start``/``end`` are code points into ``article_id``'s normalised text (None for a
    rejection made with no candidate); ``text``, ``prefix``, ``suffix`` and ``text_sha256``
    re-anchor it; ``anchor`` is ``exact``, ``fuzzy`` or ``orphan`` as for annotations.
    """

    annotation_id: str
    source_article: str
    article_id: str
    verdict: str
    start: int | None = None
    end: int | None = None
    text: str = ""
    prefix: str = ""
    suffix: str = ""
    text_sha256: str = ""
    annotator: str = ""
    created: str = ""
    modified: str = ""
    anchor: str = "exact"

    @property
    def id(self) -> str:
        """The record's id in the shard: the annotation's (one verdict per annotation)."""
        return self.annotation_id

    @property
    def span(self) -> Span | None:
        """The linked span, if any."""
        return None if self.start is None or self.end is None else Span(self.start, self.end)

    @property
    def confirmed(self) -> bool:
        """True for ``confirmed``."""
        return self.verdict == "confirmed"

    @classmethod
    def new(cls, annotation: Annotation, article: Article, verdict: str,
            span: Span | None, *, annotator: str, now: str | None = None) -> Link:
        """A link from ``annotation`` to ``span`` of ``article`` (None: no span)."""
        if verdict not in VERDICTS:
            raise ValueError(f"a link is {' or '.join(VERDICTS)}, not {verdict!r}")
        if verdict == "confirmed" and span is None:
            raise ValueError("a confirmed link needs the span it confirms")
        if span is not None and not 0 <= span.start < span.end <= len(article.text):
            raise ValueError(f"span {span.start}-{span.end} is outside {article.id!r}")
        stamp = now or utc_now()
        text = article.text
        fields: dict[str, Any] = {}
        if span is not None:
            fields = {
                "start": span.start, "end": span.end, "text": text[span.start : span.end],
                "prefix": text[max(0, span.start - CONTEXT_CHARS) : span.start],
                "suffix": text[span.end : span.end + CONTEXT_CHARS],
                "text_sha256": article.sha256,
            }
        return cls(annotation.id, annotation.article_id, article.id, verdict,
                   annotator=annotator, created=stamp, modified=stamp, **fields)

    def to_record(self) -> dict[str, Any]:
        """The flat record stored in the shard (its ``annotator`` is the shard's)."""
        return {"id": self.id, "annotation": self.annotation_id,
                "source_article": self.source_article, "verdict": self.verdict,
                "start": self.start, "end": self.end, "text": self.text, "prefix": self.prefix,
                "suffix": self.suffix, "text_sha256": self.text_sha256, "created": self.created,
                "modified": self.modified, "anchor": self.anchor, "annotator": self.annotator}

    @classmethod
    def from_record(cls, article_id: str, record: dict[str, Any]) -> Link:
        """A link from a stored record of ``article_id``'s shard (ValueError if malformed)."""
        missing = [name for name in ("annotation", "source_article", "verdict") if
                   not isinstance(record.get(name), str) or not record.get(name)]
        if missing or record["verdict"] not in VERDICTS:
            raise ValueError(f"not a link record: {record.get('id')!r}")
        start, end = record.get("start"), record.get("end")
        if (start is None) != (end is None) or (start is not None and not (
                isinstance(start, int) and isinstance(end, int) and 0 <= start < end)):
            raise ValueError(f"link {record.get('id')!r} has a bad span")
        return cls(record["annotation"], record["source_article"], article_id,
                   record["verdict"], start, end,
                   **{name: str(record.get(name) or "") for name in
                      ("text", "prefix", "suffix", "text_sha256", "created", "modified")},
                   annotator=str(record.get("annotator") or ""),
                   anchor=str(record.get("anchor") or "exact"))

    def changed(self, **changes: Any) -> Link:
        """A copy with ``changes`` and a new ``modified`` time."""
        return replace(self, **changes, modified=changes.get("modified", utc_now()))


def reanchor_link(link: Link, article: Article) -> Link:
    """``link`` found again in ``article``'s current text (see :func:`tui.anchoring.reanchor`);
    a link without a span is returned as it is."""
    if link.span is None:
        return link
    from .anchoring import reanchor  # rapidfuzz: only when a text changed (start-up time)

    proxy = Annotation(id=link.id, article_id=link.article_id, start=link.start or 0,
                       end=link.end or 0, tag="link", text=link.text, prefix=link.prefix,
                       suffix=link.suffix, text_sha256=link.text_sha256, anchor=link.anchor)
    found = reanchor(proxy, article)
    if found is proxy:
        return link
    return replace(link, start=found.start, end=found.end, text=found.text,
                   prefix=found.prefix, suffix=found.suffix, text_sha256=found.text_sha256,
                   anchor=found.anchor)


def link_for(links: Iterable[Link], annotation_ids: Iterable[str], article_id: str
             ) -> Link | None:
    """The verdict on a cell: among ``links`` from one of ``annotation_ids`` to
    ``article_id``, the most recently modified (None if there is none)."""
    wanted = set(annotation_ids)
    found = [link for link in links if link.article_id == article_id
             and link.annotation_id in wanted]
    return max(found, key=lambda link: (link.modified, link.annotator), default=None)


# --------------------------------------------------------------------------- storage


def links_of(store: Store, article: Article, annotator: str | None = None) -> list[Link]:
    """The links stored for ``article`` (every annotator's, or ``annotator``'s), re-anchored
    against its current text. A malformed record is skipped (it is kept in the file);
    a damaged shard raises :class:`tui.store.DamagedFileError` as every read does."""
    found: list[Link] = []
    for record in store.records(article.id, LINKS, annotator):
        try:
            link = Link.from_record(article.id, record)
        except ValueError:
            continue
        found.append(reanchor_link(link, article) if link.text_sha256 != article.sha256
                     else link)
    return found


def corpus_links(store: Store, corpus: Corpus, annotator: str | None = None) -> list[Link]:
    """Every link stored for the corpus's articles (every annotator's, or ``annotator``'s),
    re-anchored. Articles with a damaged shard are left out (the commands and screens name
    those files once, from :meth:`tui.store.Store.read_all`); an article's text is read only
    when it has links."""
    from .store import StoreError

    found: list[Link] = []
    for article_id in corpus.ids:
        try:
            if not store.records(article_id, LINKS, annotator):
                continue
            article = corpus.get(article_id)
            if article is not None:
                found += links_of(store, article, annotator)
        except StoreError:
            continue
    return found


def put_link(store: Store, link: Link) -> Link | None:
    """Store ``link`` in its annotator's shard of its article (on disk when this returns),
    replacing that annotator's verdict on the same annotation; returns the verdict it
    replaced (what undo puts back), or None."""
    annotator = link.annotator or store.annotator
    previous = next((r for r in store.records(link.article_id, LINKS, annotator)
                     if r.get("id") == link.id), None)
    store.put_record(link.article_id, LINKS, {**link.to_record(), "annotator": annotator},
                     annotator)
    if previous is None:
        return None
    try:
        return Link.from_record(link.article_id, previous)
    except ValueError:
        return None


def remove_link(store: Store, link: Link) -> Link | None:
    """Delete ``link``'s annotator's verdict on its annotation in its article; returns what
    was stored (None if nothing was)."""
    removed = store.remove_record(link.article_id, LINKS, link.id,
                                  link.annotator or store.annotator)
    if removed is None:
        return None
    try:
        return Link.from_record(link.article_id, removed)
    except ValueError:
        return None
