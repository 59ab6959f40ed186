"""Reading a team's work from the store: who annotated which articles (no UI).

:func:`load_team` gathers, for some articles of a corpus, every annotator's annotations fitted
to the articles' current texts (re-anchored; orphans left out, with a warning), which
annotators there are and which of them are curated sets. ``newsmark agree``, ``adjudicate`` and
``progress`` all start from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .anchoring import reanchor
from .corpus import Corpus
from .model import Annotation, Article
from .store import Store, StoreError

__all__ = ["Team", "load_team"]


@dataclass
class Team:
    """The annotations of several annotators on some articles, ready to compare.

    ``annotations`` fit ``articles``' current texts. ``annotators`` are sorted by name;
    ``curated`` are those whose annotations came from adjudication. ``done`` maps an annotator
    to the articles they marked done. ``warnings`` say what was left out and why.
    """

    articles: list[Article]
    annotations: list[Annotation]
    annotators: list[str]
    curated: set[str] = field(default_factory=set)
    done: dict[str, set[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def load_team(corpus: Corpus, store: Store, article_ids: Sequence[str]) -> Team:
    """The team's work on ``article_ids`` (articles of ``corpus``; others are skipped)."""
    articles: list[Article] = []
    annotations: list[Annotation] = []
    names: set[str] = set()
    curated: set[str] = set()
    warnings: list[str] = []
    orphans: dict[str, int] = {}
    unreadable: list[str] = []
    for article_id in article_ids:
        article = corpus.get(article_id)
        if article is None:
            unreadable.append(f"{article_id} ({corpus.problem(article_id) or 'not readable'})")
            continue
        articles.append(article)
        try:
            stored = store.annotations(article_id)
        except StoreError as error:
            warnings.append(f"{article_id} left out: {error}")
            continue
        for annotation in stored:
            fitted = reanchor(annotation, article)
            if fitted.anchor == "orphan":
                orphans[annotation.annotator] = orphans.get(annotation.annotator, 0) + 1
                continue
            names.add(fitted.annotator)
            if fitted.adjudicated_from:
                curated.add(fitted.annotator)
            annotations.append(fitted)
    if unreadable:
        warnings.append("articles that cannot be read are left out: " + ", ".join(unreadable))
    for name, count in sorted(orphans.items()):
        warnings.append(f"{count} of {name}'s annotations are orphans (their passage is no longer "
                        "in the text) and are left out; `newsmark orphans` lists them")
    return Team(articles, annotations, sorted(names), curated, {}, warnings)
