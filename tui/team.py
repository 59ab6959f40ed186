"""Reading a team's work from the store: who annotated which articles (no UI).

:func:`load_team` gathers, for some articles of a corpus, every annotator's annotations fitted
to the articles' current texts (re-anchored; orphans left out, with a warning), which
annotators there are and which of them are curated sets. ``newsmark agree``, ``adjudicate`` and
``progress`` all start from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .anchoring import reanchor
from .corpus import Corpus
from .model import Annotation, Article, utc_now
from .store import Store, StoreError

#: The shard section and record of an annotator's status of an article: ``{"id": "status",
#: "state": "done" | "open", "modified": ISO time}`` (a record, not a deletion, when undone, so
#: that a git merge of two machines' marks keeps the later one).
STATUS = "status"
STATUS_ID = "status"
DONE = "done"
OPEN = "open"

__all__ = ["AnnotatorProgress", "Team", "is_done", "load_team", "mark_done", "progress",
           "progress_json", "progress_table"]


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


def mark_done(store: Store, article_id: str, annotator: str, done: bool = True,
              now: str | None = None) -> bool:
    """Mark ``article_id`` done (or not done) for ``annotator``, in their shard; False when it
    already was so (nothing written)."""
    if is_done(store, article_id, annotator) == done:
        return False
    store.put_record(article_id, STATUS, {"id": STATUS_ID, "state": DONE if done else OPEN,
                                         "modified": now or utc_now()}, annotator)
    return True


def is_done(store: Store, article_id: str, annotator: str) -> bool:
    """Whether ``annotator`` marked ``article_id`` done."""
    return any(r.get("id") == STATUS_ID and r.get("state") == DONE
               for r in store.records(article_id, STATUS, annotator))


def load_team(corpus: Corpus, store: Store, article_ids: Sequence[str]) -> Team:
    """The team's work on ``article_ids`` (articles of ``corpus``; others are skipped)."""
    articles: list[Article] = []
    annotations: list[Annotation] = []
    names: set[str] = set()
    curated: set[str] = set()
    warnings: list[str] = []
    orphans: dict[str, int] = {}
    unreadable: list[str] = []
    done: dict[str, set[str]] = {}
    for article_id in article_ids:
        article = corpus.get(article_id)
        if article is None:
            unreadable.append(f"{article_id} ({corpus.problem(article_id) or 'not readable'})")
            continue
        articles.append(article)
        try:
            stored, statuses = store.read_article(article_id, STATUS)
        except StoreError as error:
            warnings.append(f"{article_id} left out: {error}")
            continue
        for record in statuses:
            if record.get("id") == STATUS_ID and record.get("state") == DONE:
                done.setdefault(record["annotator"], set()).add(article_id)
                names.add(record["annotator"])
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
    return Team(articles, annotations, sorted(names), curated, done, warnings)


@dataclass(frozen=True)
class AnnotatorProgress:
    """One annotator's progress: articles done, started (tagged, not done), tags per tag."""

    name: str
    curated: bool
    done: tuple[str, ...]
    started: tuple[str, ...]
    tags: dict[str, int]

    @property
    def total(self) -> int:
        """How many annotations, all tags."""
        return sum(self.tags.values())


def progress(team: Team, tags: Sequence[str]) -> list[AnnotatorProgress]:
    """Every annotator's progress over the team's articles, by name (curated sets last)."""
    order = {article.id: n for n, article in enumerate(team.articles)}
    tagged: dict[str, set[str]] = {}
    counts: dict[str, Counter[str]] = {}
    for annotation in team.annotations:
        tagged.setdefault(annotation.annotator, set()).add(annotation.article_id)
        counts.setdefault(annotation.annotator, Counter())[annotation.tag] += 1
    names = sorted(set(tagged) | set(team.done), key=lambda n: (n in team.curated, n))
    rows = []
    for name in names:
        done = {i for i in team.done.get(name, set()) if i in order}
        started = tagged.get(name, set()) - done
        tally = counts.get(name, Counter())
        known = {tag: tally.get(tag, 0) for tag in tags}
        known.update({tag: n for tag, n in sorted(tally.items()) if tag not in known})
        rows.append(AnnotatorProgress(name, name in team.curated,
                                      tuple(sorted(done, key=order.get)),
                                      tuple(sorted(started, key=order.get)), known))
    return rows


def progress_json(rows: Sequence[AnnotatorProgress], articles: int, tags: Sequence[str]) -> str:
    """``{"articles": N, "tags": [...], "annotators": [{"name", "curated", "done", "started",
    "untouched", "done_articles", "started_articles", "tags", "total"}]}``."""
    from .jsonout import pretty_json

    return pretty_json({
        "articles": articles,
        "tags": list(tags),
        "annotators": [
            {"name": row.name, "curated": row.curated, "done": len(row.done),
             "started": len(row.started),
             "untouched": articles - len(row.done) - len(row.started),
             "done_articles": list(row.done), "started_articles": list(row.started),
             "tags": row.tags, "total": row.total}
            for row in rows
        ],
    })


def progress_table(rows: Sequence[AnnotatorProgress], articles: int, tags: Sequence[str]) -> str:
    """The progress as a plain-text table (what ``newsmark progress`` prints)."""
    from .layout import display_text

    if not rows:
        return f"Nobody has tagged or marked done any of the {articles} article(s) yet.\n"
    extra = sorted({tag for row in rows for tag in row.tags} - set(tags))
    columns = [*tags, *extra]
    header = ["annotator", "done", "started", "untouched", *columns, "total"]
    body = []
    for row in rows:
        name = display_text(row.name) + (" (curated)" if row.curated else "")
        body.append([name, str(len(row.done)), str(len(row.started)),
                     str(articles - len(row.done) - len(row.started)),
                     *(str(row.tags.get(tag, 0)) for tag in columns), str(row.total)])
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(r, widths))).rstrip()
             for r in [header, *body]]
    lines.append(f"({articles} article(s) in the corpus; started: tagged but not marked done)")
    return "\n".join(lines) + "\n"
