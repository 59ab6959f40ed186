"""Building a curated set (``gold``) from several annotators' work (no UI).

:func:`adjudicate` writes, per article, the annotations a strategy selects into the shard of a
*curated annotator* (``--into NAME``, ``gold`` by default); it never writes anyone else's shard.
A *passage* is an exact span and tag. The *voters* of an article are the source annotators
who coded it (an annotation in it, or marked it done).

- ``majority``: a passage marked by more than half of the voters;
- ``union``: every passage anyone marked;
- ``intersection``: the passages every voter marked;
- ``prefer:NAME``: NAME's passages wherever NAME coded the article, else the majority.

Each curated annotation records ``adjudicated_from``: the voters who had that passage (sorted).
Its id is derived from the curated set, article, span and tag, its note gathers the sources'
notes, ``created`` is the earliest of theirs and ``modified`` the latest: running the same
adjudication again computes the same annotations and writes nothing.

What it leaves alone in the curated set: annotations it did not make (a curator's own, from the
adjudication screen), and those it made that were edited since (their ``modified`` is later
than their sources'). What it replaces: its own annotations, when the sources changed; and it
removes those the strategy no longer selects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .formats.base import derived_id
from .model import CONTEXT_CHARS, Annotation, Article
from .store import Store

__all__ = ["STRATEGIES", "Outcome", "Strategy", "adjudicate", "curated_passages", "parse_strategy",
           "select"]

#: The strategy names (``prefer:`` takes an annotator's name after the colon).
STRATEGIES = ("majority", "union", "intersection", "prefer:ANNOTATOR")


@dataclass(frozen=True)
class Strategy:
    """How passages are chosen: ``kind`` is majority, union, intersection or prefer."""

    kind: str
    preferred: str = ""

    def __str__(self) -> str:
        return f"prefer:{self.preferred}" if self.kind == "prefer" else self.kind


def parse_strategy(text: str) -> Strategy:
    """The strategy ``text`` names; ValueError with a one-line message if it names none."""
    if text in ("majority", "union", "intersection"):
        return Strategy(text)
    if text.startswith("prefer:") and text[len("prefer:"):].strip():
        return Strategy("prefer", text[len("prefer:"):].strip())
    raise ValueError(f"unknown strategy {text!r}; use majority, union, intersection or "
                     "prefer:ANNOTATOR")


Passage = tuple[int, int, str]


def curated_id(target: str, article_id: str, passage: Passage) -> str:
    """The id of the curated annotation of ``passage``: the same every time it is computed."""
    return derived_id("adjudicated", target, article_id, *passage)


def _curated(article: Article, target: str, passage: Passage,
             sources: Sequence[Annotation]) -> Annotation:
    start, end, tag = passage
    text = article.text
    notes = []
    for source in sorted(sources, key=lambda a: a.annotator):
        if source.note and all(source.note != n for _, n in notes):
            notes.append((source.annotator, source.note))
    note = notes[0][1] if len(notes) == 1 else "\n".join(f"{who}: {n}" for who, n in notes)
    return Annotation(
        id=curated_id(target, article.id, passage),
        article_id=article.id,
        start=start,
        end=end,
        tag=tag,
        text=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS):start],
        suffix=text[end:end + CONTEXT_CHARS],
        note=note,
        annotator=target,
        created=min((s.created for s in sources if s.created), default=""),
        modified=max((s.modified for s in sources if s.modified), default=""),
        text_sha256=article.sha256,
        adjudicated_from=tuple(sorted({s.annotator for s in sources})),
    )


def select(article: Article, work: Mapping[str, Sequence[Annotation]], strategy: Strategy,
           target: str) -> list[Annotation]:
    """The curated annotations of one article: ``work`` maps each voter to their annotations
    (fitted to the article's text), voters who marked nothing included."""
    holders: dict[Passage, list[Annotation]] = {}
    for marked in work.values():
        seen: set[Passage] = set()
        for annotation in marked:
            passage = (annotation.start, annotation.end, annotation.tag)
            if passage not in seen:  # a duplicate of one annotator's is one vote
                seen.add(passage)
                holders.setdefault(passage, []).append(annotation)
    voters = len(work)
    if strategy.kind == "prefer" and strategy.preferred in work:
        chosen = [p for p, who in holders.items()
                  if any(a.annotator == strategy.preferred for a in who)]
    elif strategy.kind == "union":
        chosen = list(holders)
    elif strategy.kind == "intersection":
        chosen = [p for p, who in holders.items() if len(who) == voters]
    else:  # majority, and prefer where the preferred annotator did not code the article
        chosen = [p for p, who in holders.items() if 2 * len(who) > voters]
    return sorted((_curated(article, target, p, holders[p]) for p in chosen),
                  key=lambda a: (a.start, -a.end, a.tag))


def curated_passages(article: Article, target: str, passages: Sequence[Passage],
                     work: Mapping[str, Sequence[Annotation]]) -> list[Annotation]:
    """The curated annotations of ``passages`` (a curator's decision on a disagreement), each
    with the sources in ``work`` (annotator → annotations) that have exactly that passage, as
    :func:`adjudicate` makes them."""
    found = []
    for passage in dict.fromkeys(passages):
        sources = [a for marked in work.values() for a in marked
                   if (a.start, a.end, a.tag) == passage]
        found.append(_curated(article, target, passage, sources))
    return sorted(found, key=lambda a: (a.start, -a.end, a.tag))


@dataclass
class Outcome:
    """What one adjudication did, for the summary line."""

    articles: int = 0
    changed_articles: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    kept_edited: int = 0
    kept_own: int = 0
    single_voter: list[str] = field(default_factory=list)


def adjudicate(
    store: Store,
    articles: Sequence[Article],
    work: Mapping[str, Mapping[str, Sequence[Annotation]]],
    coded: Mapping[str, set[str]],
    *,
    target: str,
    strategy: Strategy,
    existing: Mapping[str, Sequence[Annotation]],
) -> Outcome:
    """Write the curated set ``target`` for ``articles`` (see the module docstring).

    ``work[article_id][annotator]`` holds each source annotator's annotations of an article;
    ``coded[annotator]`` the articles they coded; ``existing[article_id]`` the curated set's
    current annotations there.
    """
    outcome = Outcome()
    for article in articles:
        voters = sorted(name for name, ids in coded.items() if article.id in ids)
        if not voters:
            continue
        outcome.articles += 1
        if len(voters) == 1:
            outcome.single_voter.append(article.id)
        by_voter = {name: list(work.get(article.id, {}).get(name, ())) for name in voters}
        wanted = {a.id: a for a in select(article, by_voter, strategy, target)}
        current = list(existing.get(article.id, ()))
        put: list[Annotation] = []
        remove: list[str] = []
        taken: set[Passage] = set()
        for annotation in current:
            passage = (annotation.start, annotation.end, annotation.tag)
            ours = annotation.id == curated_id(target, article.id, passage)
            if not ours:
                outcome.kept_own += 1
                taken.add(passage)  # the curator has this passage already: never add a twin
                continue
            fresh = wanted.pop(annotation.id, None)
            if fresh is not None and fresh == annotation:
                outcome.unchanged += 1
            elif annotation.modified > (fresh.modified if fresh else _sources_modified(
                    annotation, work.get(article.id, {}))):
                outcome.kept_edited += 1  # a person changed it after adjudication: theirs
            elif fresh is not None:
                put.append(fresh)
                outcome.updated += 1
            else:
                remove.append(annotation.id)
                outcome.removed += 1
        for annotation in wanted.values():
            if (annotation.start, annotation.end, annotation.tag) in taken:
                continue
            put.append(annotation)
            outcome.added += 1
        if (put or remove) and store.apply(article.id, target, put=put, remove=remove):
            outcome.changed_articles += 1
    return outcome


def _sources_modified(annotation: Annotation, work: Mapping[str, Sequence[Annotation]]) -> str:
    """The latest ``modified`` among the sources of a curated annotation still there."""
    passage = (annotation.start, annotation.end, annotation.tag)
    return max((a.modified for name in annotation.adjudicated_from for a in work.get(name, ())
                if (a.start, a.end, a.tag) == passage), default=annotation.modified)
