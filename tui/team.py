"""Reading a team's work from the store: who annotated which articles (no UI).

:func:`load_team` gathers, for some articles of a corpus, every annotator's annotations fitted
to the articles' current texts (re-anchored; orphans left out, with a warning), which
annotators there are and which of them are curated sets. ``newsmark agree``, ``adjudicate`` and
``progress`` all start from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

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

#: The name of the curated set the curation screen writes when the store has none yet (the
#: default of ``newsmark adjudicate --into``).
DEFAULT_CURATED = "gold"

__all__ = ["DEFAULT_CURATED", "AnnotatorProgress", "ArticleSummary", "Team", "View",
           "initials", "is_done", "load_team", "mark_done", "next_view", "progress",
           "progress_json", "progress_table", "summarise"]


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


@dataclass(frozen=True)
class View:
    """Whose tags the reader and panel show: ``kind`` is ``mine``, ``all`` (everyone's),
    ``one`` (the annotator ``name``) or ``curated`` (the curated set ``name``).

    Only in ``mine`` and ``all`` can anything be changed, and then only one's own tags: the
    others' are shown read-only."""

    kind: str = "all"
    name: str = ""

    def shows(self, annotator: str, me: str) -> bool:
        """Whether an annotation by ``annotator`` is shown to ``me`` in this view."""
        if self.kind == "all":
            return True
        if self.kind == "mine":
            return annotator == me
        return annotator == self.name

    @property
    def editable(self) -> bool:
        """Whether one's own tags can be changed in this view."""
        return self.kind in ("mine", "all")

    def label(self, me: str) -> str:
        """What the view is called on the screen: ``mine``, ``everyone's``, ``bob's``, ``gold
        (curated)``."""
        if self.kind == "mine":
            return "mine"
        if self.kind == "all":
            return "everyone's"
        if self.name == me:
            return "mine"
        return f"{self.name} (curated)" if self.kind == "curated" else f"{self.name}'s"


def next_view(current: View, me: str, annotators: Sequence[str], curated: Iterable[str]) -> View:
    """The view after ``current``: mine, everyone's, each other annotator in turn (by name),
    then each curated set, then mine again."""
    curated = set(curated)
    others = sorted(n for n in set(annotators) if n != me and n not in curated)
    order = [View("mine"), View("all"), *(View("one", n) for n in others),
             *(View("curated", n) for n in sorted(curated - {me}))]
    try:
        index = order.index(current)
    except ValueError:
        return order[0]
    return order[(index + 1) % len(order)]


def initials(names: Iterable[str]) -> dict[str, str]:
    """One character per annotator, unique among ``names``: the first letter of the name in
    capitals, else its next letter not yet taken, else a digit."""
    found: dict[str, str] = {}
    taken: set[str] = set()
    for name in sorted(set(names), key=lambda n: (n.casefold(), n)):
        letters = [c.upper() for c in name if c.isalnum()] or ["?"]
        choice = next((c for c in letters if c not in taken), None)
        if choice is None:
            choice = next((d for d in "123456789" if d not in taken), "+")
        found[name] = choice
        taken.add(choice)
    return found


@dataclass(frozen=True)
class ArticleSummary:
    """What the article list shows of one article: the count per tag of the annotations a
    view shows, who has tagged it (everyone), and whether ``me`` marked it done."""

    counts: dict[str, int]
    annotators: tuple[str, ...]
    done: bool
    curated: tuple[str, ...] = ()


def summarise(store: Store, article_id: str, me: str, view: View) -> ArticleSummary:
    """One read of an article's shards for the list (raises the store's errors)."""
    stored, statuses = store.read_article(article_id, STATUS)
    counts: dict[str, int] = {}
    names: set[str] = set()
    curated: set[str] = set()
    for annotation in stored:
        names.add(annotation.annotator)
        if annotation.adjudicated_from:
            curated.add(annotation.annotator)
        if view.shows(annotation.annotator, me):
            counts[annotation.tag] = counts.get(annotation.tag, 0) + 1
    done = any(r.get("id") == STATUS_ID and r.get("state") == DONE and r["annotator"] == me
               for r in statuses)
    return ArticleSummary(counts, tuple(sorted(names - curated)), done, tuple(sorted(curated)))


def load_team(corpus: Corpus, store: Store, article_ids: Sequence[str]) -> Team:
    """The team's work on ``article_ids`` (articles of ``corpus``; others are skipped)."""
    from .anchoring import reanchor  # rapidfuzz: not at the app's start-up

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
