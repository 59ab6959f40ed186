"""Counts of tags: per article, per outlet, per day they were made, per annotator (no UI).

:func:`compute_stats` reads them from annotations; :func:`stats_table` and :func:`stats_json`
are what ``newsmark stats`` prints (the statistics screen draws the same counts as bars).
:func:`suggestion_counts` counts what each suggester suggested, and what was accepted and
rejected of it; :func:`suggestions_table` is that table, in ``newsmark stats`` and on the
statistics screen alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .corpus import Corpus
from .jsonout import pretty_json
from .layout import display_text
from .model import Annotation

if TYPE_CHECKING:
    from .config import Config
    from .store import Store
    from .suggest import SourceCount

__all__ = ["Stats", "compute_stats", "stats_json", "stats_table", "suggestion_counts",
           "suggestions_table"]

#: The outlet label of articles whose outlet is unknown.
UNKNOWN_OUTLET = "(outlet unknown)"


@dataclass(frozen=True)
class Stats:
    """Tag counts, each a mapping from a label to ``Counter(tag -> count)``, in display order.

    ``per_article`` is keyed by article id (corpus order), ``per_outlet`` by outlet (most tags
    first), ``per_day`` by the ``YYYY-MM-DD`` an annotation was created (oldest first),
    ``per_annotator`` by annotator name (most tags first).
    """

    tags: tuple[str, ...]
    per_article: dict[str, Counter[str]] = field(default_factory=dict)
    per_outlet: dict[str, Counter[str]] = field(default_factory=dict)
    per_day: dict[str, Counter[str]] = field(default_factory=dict)
    per_annotator: dict[str, Counter[str]] = field(default_factory=dict)
    total: Counter[str] = field(default_factory=Counter)

    def sections(self) -> list[tuple[str, dict[str, Counter[str]]]]:
        """``(title, counts)`` of each section, in the order they are shown."""
        return [
            ("Tags per article", self.per_article),
            ("Tags per outlet", self.per_outlet),
            ("Annotations over time (day created)", self.per_day),
            ("Tags per annotator", self.per_annotator),
        ]


def compute_stats(
    corpus: Corpus, annotations: Iterable[Annotation], tags: Sequence[str]
) -> Stats:
    """Count ``annotations`` of the articles of ``corpus`` (others are left out).

    Tags outside ``tags`` (from an older tag set) are counted after them, by name. Only ids and
    outlets are needed, so no article file is read (:attr:`Corpus.infos`).
    """
    per_article: dict[str, Counter[str]] = {article_id: Counter() for article_id in corpus.ids}
    per_outlet: dict[str, Counter[str]] = {}
    per_day: dict[str, Counter[str]] = {}
    per_annotator: dict[str, Counter[str]] = {}
    total: Counter[str] = Counter()
    for annotation in annotations:
        article = corpus.info(annotation.article_id)
        if article is None:
            continue
        tag = annotation.tag
        per_article[article.id][tag] += 1
        per_outlet.setdefault(article.outlet or UNKNOWN_OUTLET, Counter())[tag] += 1
        per_day.setdefault(annotation.created[:10] or "(no date)", Counter())[tag] += 1
        per_annotator.setdefault(annotation.annotator or "(anonymous)", Counter())[tag] += 1
        total[tag] += 1
    known = list(tags)
    extra = sorted(set(total) - set(known))

    def by_size(counts: dict[str, Counter[str]]) -> dict[str, Counter[str]]:
        return dict(sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0])))

    return Stats(
        tuple(known + extra),
        per_article,
        by_size(per_outlet),
        dict(sorted(per_day.items())),
        by_size(per_annotator),
        total,
    )


def stats_json(stats: Stats, suggestions: Sequence[Any] | None = None) -> str:
    """The counts as JSON: ``{"tags", "total", "per_article", "per_outlet", "per_day",
    "per_annotator"}``, each count a ``{tag: n}`` object with every tag; with ``suggestions``
    (:func:`tui.suggest.source_counts`), also ``"suggestions"``: a list of ``{"source", "tag",
    "suggested", "accepted", "rejected", "rate"}``."""

    def full(counter: Counter[str]) -> dict[str, int]:
        return {tag: counter.get(tag, 0) for tag in stats.tags}

    data = {
        "tags": list(stats.tags),
        "total": full(stats.total),
        "per_article": {k: full(v) for k, v in stats.per_article.items()},
        "per_outlet": {k: full(v) for k, v in stats.per_outlet.items()},
        "per_day": {k: full(v) for k, v in stats.per_day.items()},
        "per_annotator": {k: full(v) for k, v in stats.per_annotator.items()},
    }
    if suggestions is not None:
        data["suggestions"] = [
            {"source": c.source, "tag": c.tag, "suggested": c.suggested,
             "accepted": c.accepted, "rejected": c.rejected, "rate": c.rate}
            for c in suggestions]
    return pretty_json(data)


def suggestion_counts(config: Config, corpus: Corpus, store: Store,
                      annotations: Sequence[Annotation], annotator: str,
                      jobs: int = 1) -> list[SourceCount]:
    """Per suggester and tag, over every annotator: accepted, rejected, and still shown to
    ``annotator`` (the suggesters run for them, as the reader shows them). ``jobs`` > 1
    works the articles' suggestions out in that many forked processes (a command-line
    batch, as ``newsmark suggest``; not a threaded app): the counts are the same."""
    from .links import corpus_links
    from .store import StoreError
    from .suggest import Rejection, Suggestions, pending_in, source_counts

    engine = Suggestions(config, sources=config.suggest.sources, corpus=corpus,
                         annotations=annotations, annotator=annotator,
                         links=corpus_links(store, corpus))
    rejections: list[Rejection] = []
    rejected: dict[str, set[str]] = {}
    by_article: dict[str, list[Annotation]] = {}
    for annotation in annotations:
        if annotation.annotator == annotator:
            by_article.setdefault(annotation.article_id, []).append(annotation)
    for article_id in corpus.ids:
        try:
            records = store.records(article_id, "rejections")
        except StoreError:
            records = []  # a damaged shard: the commands and screens name it once
        here = [Rejection.from_dict(r) for r in records]
        rejections += here
        rejected[article_id] = {r.key for r in here if r.annotator == annotator}

    shown = pending_in(engine, list(corpus.ids), by_article, rejected.__getitem__,
                       config.suggest.min_score, jobs)
    return source_counts(annotations, rejections, shown)


def suggestions_table(suggestions: Sequence[Any]) -> str:
    """Per suggester and tag (:func:`tui.suggest.source_counts`): suggested, accepted,
    rejected and the acceptance rate, as the plain text section ``newsmark stats`` ends with."""
    lines = ["Suggestions per source and tag"]
    if not suggestions:
        return "\n".join([*lines, "  (none)", ""]) + "\n"
    rows = [("source", "tag", "suggested", "accepted", "rejected", "rate")]
    rows += [(c.source, display_text(c.tag), str(c.suggested), str(c.accepted),
              str(c.rejected), "-" if c.rate is None else f"{c.rate:.0%}") for c in suggestions]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0]), row[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(row[2:], widths[2:], strict=True)]
        lines.append("  " + "  ".join(cells))
    return "\n".join(lines) + "\n\n"


def stats_table(stats: Stats, labels: Mapping[str, str] | None = None) -> str:
    """The counts as plain text tables, one per section (what ``newsmark stats`` prints).

    ``labels`` can rename row keys (e.g. article ids to "id  outlet").
    """
    labels = labels or {}
    lines: list[str] = []
    for title, counts in stats.sections():
        lines.append(title)
        if not counts:
            lines.append("  (none)")
            lines.append("")
            continue
        names = [display_text(labels.get(key, key)).replace("\n", " ") for key in counts]
        width = max(len(name) for name in names)
        widths = [max(len(tag), 3) for tag in stats.tags]
        lines.append("  " + " " * width + "  " + "  ".join(
            tag.rjust(w) for tag, w in zip(stats.tags, widths, strict=True)) + "  total")
        for name, counter in zip(names, counts.values(), strict=True):
            cells = "  ".join(str(counter.get(tag, 0)).rjust(w)
                              for tag, w in zip(stats.tags, widths, strict=True))
            lines.append(f"  {name.ljust(width)}  {cells}  {sum(counter.values()):>5}")
        lines.append("")
    lines.append("total  " + ", ".join(f"{tag} {stats.total.get(tag, 0)}" for tag in stats.tags)
                 + f"  ({sum(stats.total.values())} annotations)")
    return "\n".join(lines) + "\n"
