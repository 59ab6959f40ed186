"""The article list: one row per article — title, outlet, date and a count per tag.

A :class:`~tui.widgets.row_list.RowList`: a row's cells are made from the article's info when
the row is painted, so a corpus of 10 000 articles costs at start what its first screen shows.
Every cell is a ``rich.text.Text`` made from the raw string (through ``display_text``), never
parsed as markup: titles are scraped text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter

from rich.style import Style
from rich.text import Text
from textual.content import Content
from textual.message import Message

from ..bindings import bindings
from ..corpus import ArticleInfo
from ..layout import display_text
from ..styles import Looks
from .row_list import Column, RowList

#: A count of zero, and one above zero.
NONE = Style(dim=True)
SOME = Style(bold=True)
#: The marks before a title: the store file of its annotations is damaged; the article file
#: had decoding problems.
DAMAGED = ("! ", Style(bold=True))
PROBLEMS = ("⚠ ", Style(bold=True))
#: Before a title: I marked the article done.
DONE = ("✓ ", Style(bold=True))


class ArticleList(RowList):
    """The corpus, in file-name order (``o`` sorts it otherwise, the filter narrows it).

    Its reactive :attr:`highlighted` is the highlighted article's id: the app watches it to
    preview that article. A double click posts :class:`Opened`; keys are the ``list`` scope of
    the key table (moving is done here, opening and filtering by the app).
    """

    BINDINGS = bindings("list")

    #: Below this width the outlet and date columns are left out (the reader's header shows
    #: them for the open article) and the counts share one column.
    COMPACT_BELOW = 56

    #: The orders ``o`` cycles through.
    SORTS = ("file", "title", "outlet", "date", "tags")

    class Opened(Message):
        """The user asked to open (read) the article (a double click)."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, looks: Looks, *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(_columns(looks, compact=False), cursor_style=looks.selection, id=id,
                         classes=classes)
        self.looks = looks
        self.tags = looks.tags
        self._articles: dict[str, ArticleInfo] = {}
        self._counts: dict[str, dict[str, int]] = {}
        self._marks: dict[str, str] = {}
        self._problems: dict[str, tuple[str, ...]] = {}
        self._team: dict[str, tuple[int, bool]] = {}
        self._by_column = False
        self._compact = False
        self.filter_text = ""
        """What the list is narrowed to (title, outlet or id; any case)."""
        self.sort_by = "file"
        """The order of the rows: one of :attr:`SORTS`."""
        self.not_done_only = False
        """Whether the list shows only the articles I have not marked done (``F``)."""

    # ------------------------------------------------------------------ what the app tells it

    def set_articles(
        self,
        articles: Iterable[ArticleInfo],
        counts: Mapping[str, Mapping[str, int]],
        marks: Mapping[str, str] | None = None,
        team: Mapping[str, tuple[int, bool]] | None = None,
    ) -> None:
        """List ``articles``. ``counts`` maps an article id to its count per tag; ``marks``
        maps an article id to why its annotations cannot be read (shown as ``!``); ``team``
        to how many annotators tagged it and whether I marked it done (see :meth:`set_team`)."""
        listed = list(articles)
        self._articles = dict(zip(map(attrgetter("id"), listed), listed))
        self._counts = {key: dict(value) for key, value in counts.items()}
        self._marks = dict(marks or {})
        self._team = dict(team or {})
        self._rebuild()

    def update_articles(self, articles: Iterable[ArticleInfo],
                        removed: Iterable[object] = ()) -> None:
        """Show new titles, outlets and dates of articles already listed (read after the first
        screen), in place; drop the articles whose path is in ``removed``."""
        changed = [article for article in articles if article.id in self._articles]
        for article in changed:
            self._articles[article.id] = article
        paths = set(removed)
        gone = [key for key, article in self._articles.items() if article.path in paths]
        for key in gone:
            del self._articles[key]
        if self.filter_text or self.sort_by != "file":
            self._rebuild()  # a new title may pass the filter or move in the order
            return
        self.remove_rows(gone)
        for article in changed:
            self.refresh_row(article.id)

    def set_counts(self, article_id: str, counts: Mapping[str, int]) -> None:
        """Show one article's tag counts, repainting only its row. The order stays as it is,
        even when sorted by tags: rows do not move away while the user tags."""
        if self._counts.get(article_id, {}) == dict(counts):
            return
        self._counts[article_id] = dict(counts)
        self.refresh_row(article_id)

    def set_team(self, article_id: str, annotators: int, done: bool) -> None:
        """Show how many annotators have tagged the article and whether I marked it done
        (``✓``), repainting only its row. With ``F`` on, a row marked done stays until the
        filter is set again: rows do not move away while the user works."""
        if self._team.get(article_id, (0, False)) == (annotators, done):
            return
        self._team[article_id] = (annotators, done)
        self.refresh_row(article_id)

    def show_annotators(self, show: bool) -> None:
        """Show the column of how many annotators tagged each article (a team's store), or
        not (one annotator's)."""
        if show != self._by_column:
            self._by_column = show
            self.set_columns(_columns(self.looks, self._compact, show))

    def is_done(self, article_id: str) -> bool:
        """Whether the list shows ``article_id`` as done by me."""
        return self._team.get(article_id, (0, False))[1]

    def action_toggle_not_done(self) -> None:
        """Show only the articles I have not marked done, or all of them again."""
        self.not_done_only = not self.not_done_only
        self._rebuild()
        self._subtitle()

    def set_mark(self, article_id: str, mark: str) -> None:
        """Mark the article's row with ``!`` (its annotations are damaged: ``mark`` says why),
        or with nothing when ``mark`` is empty."""
        if mark:
            self._marks[article_id] = mark
        else:
            self._marks.pop(article_id, None)
        self.refresh_row(article_id)

    def set_problems(self, article_id: str, problems: Sequence[str]) -> None:
        """Mark the article's row with ``⚠`` when its file had decoding problems (known once
        it is loaded: an ``ArticleInfo`` does not say), or with nothing when there are none."""
        if tuple(problems) == self._problems.get(article_id, ()):
            return
        if problems:
            self._problems[article_id] = tuple(problems)
        else:
            self._problems.pop(article_id, None)
        self.refresh_row(article_id)

    def set_filter(self, text: str) -> None:
        """Show only articles whose title, outlet or id contains ``text`` (any case)."""
        self.filter_text = text
        self._rebuild()
        self._subtitle()

    def _subtitle(self) -> None:
        parts = [f"filter: {display_text(self.filter_text)}"] if self.filter_text else []
        if self.not_done_only:
            parts.append("not done by me")
        self.border_subtitle = Content(" · ".join(parts)) if parts else None

    def action_cycle_sort(self) -> None:
        """Sort by the next of file, title, outlet, date, tags."""
        self.sort_by = self.SORTS[(self.SORTS.index(self.sort_by) + 1) % len(self.SORTS)]
        self._rebuild()
        self.border_title = f"Articles by {self.sort_by}"

    def visible_articles(self) -> list[ArticleInfo]:
        """The articles that pass the filter, in the chosen order."""
        needle = self.filter_text.casefold()
        articles = [
            a for a in self._articles.values()
            if (not needle
                or needle in a.title.casefold()
                or needle in a.outlet.casefold()
                or needle in a.id.casefold())
            and not (self.not_done_only and self.is_done(a.id))
        ]
        if self.sort_by == "title":
            articles.sort(key=lambda a: (a.title or a.id).casefold())
        elif self.sort_by == "outlet":
            articles.sort(key=lambda a: (a.outlet == "", a.outlet.casefold()))
        elif self.sort_by == "date":
            articles.sort(key=lambda a: (a.date == "", a.date))
        elif self.sort_by == "tags":
            articles.sort(key=lambda a: -sum(self._counts.get(a.id, {}).values()))
        return articles

    def on_row_list_activated(self, event: RowList.Activated) -> None:
        event.stop()
        self.post_message(self.Opened(event.key))

    def on_resize(self) -> None:
        compact = self.scrollable_content_region.width < self.COMPACT_BELOW
        if compact != self._compact:
            self._compact = compact
            self.set_columns(_columns(self.looks, compact, self._by_column))

    # ------------------------------------------------------------------ drawing

    def _rebuild(self) -> None:
        if self.filter_text or self.sort_by != "file" or self.not_done_only:
            keys = [article.id for article in self.visible_articles()]
        else:
            keys = list(self._articles)  # every article, in corpus order
        self.set_rows(keys, self._cells)

    def _cells(self, article_id: str) -> Sequence[Text]:
        article = self._articles[article_id]
        title = Text()
        annotators, done = self._team.get(article_id, (0, False))
        if done:
            title.append(*DONE)
        if article_id in self._marks:
            title.append(*DAMAGED)
        if article_id in self._problems:
            title.append(*PROBLEMS)
        title.append(display_text(article.title or article.id))
        counts = self._counts.get(article_id, {})
        by = [self._count(annotators)] if self._by_column else []
        if self._compact:
            digits = Text()
            for number, tag in enumerate(self.tags):
                count = counts.get(tag.name, 0)
                shown = "·" if not count else (str(count) if count < 10 else "+")
                digits.append(("" if number == 0 else " ") + shown, SOME if count else NONE)
            return [title, *by, digits]
        return [
            title,
            Text(display_text(article.outlet or "—")),
            Text(display_text(article.date or "—")),
            *by,
            *(self._count(counts.get(tag.name, 0)) for tag in self.tags),
        ]

    @staticmethod
    def _count(count: int) -> Text:
        """A count in three cells: ``·`` for none, ``1k+`` from a thousand."""
        if not count:
            return Text("·", style=NONE)
        return Text(str(count) if count < 1000 else "1k+", style=SOME)


def _columns(looks: Looks, compact: bool, by: bool = False) -> list[Column]:
    """The list's columns: title, outlet, date, how many annotators tagged it (``by``: a
    team's store) and a count per tag; compact, title, annotators and one column of counts (a
    digit per tag)."""
    title = Column("Title", min_width=8)
    annotators = [Column("By", width=2, justify="right")] if by else []
    if compact:
        letters = Text()
        for number, tag in enumerate(looks.tags):
            letters.append(("" if number == 0 else " ") + tag.marker, looks.marker(tag.name))
        return [title, *annotators, Column(letters, width=max(1, 2 * len(looks.tags) - 1))]
    return [
        title,
        Column("Outlet", width=12),
        Column("Date", width=10),
        *annotators,
        *(Column(Text(tag.marker, style=looks.marker(tag.name)), width=3, justify="right")
          for tag in looks.tags),
    ]
