"""The article list: one row per article — title, outlet, date and a count per tag.

A DataTable, so only the visible rows are rendered however large the corpus is. Every cell is a
``rich.text.Text`` built from the raw string, never parsed as markup: titles are scraped text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.text import Text
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from ..bindings import bindings
from ..layout import display_text
from ..model import Article
from ..styles import Looks
from .tables import FixedWidthTable


class ArticleList(FixedWidthTable[Text]):
    """The corpus, in file-name order. Highlighting a row previews it; enter opens it."""

    BINDINGS = bindings("list")

    highlighted: var[str | None] = var(None, init=False)
    """The highlighted article's id (the app watches it to preview the article)."""

    DEFAULT_CSS = """
    ArticleList {
        scrollbar-size-vertical: 1;
    }
    """

    class Opened(Message):
        """The user asked to open (read) the article."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, looks: Looks, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.looks = looks
        self.tags = looks.tags
        self._title_width = 20
        self._compact = False
        self._articles: list[Article] = []
        self._counts: dict[str, dict[str, int]] = {}
        self._marks: dict[str, str] = {}
        self.filter_text = ""
        self.sort_by = "file"
        self._unsized = False

    def set_articles(
        self,
        articles: Iterable[Article],
        counts: Mapping[str, Mapping[str, int]],
        marks: Mapping[str, str] | None = None,
    ) -> None:
        """Fill the table. ``counts`` maps article id → tag → count; ``marks`` maps an article id
        to a short warning shown before its title (e.g. damaged annotations)."""
        self._articles = list(articles)
        self._counts = {key: dict(value) for key, value in counts.items()}
        self._marks = dict(marks or {})
        if not self.size.width:
            # Not laid out yet: the first resize builds the rows at the real width, instead
            # of building every row now and again then (10 000 rows cost ~0.3 s a build).
            self._unsized = True
            return
        self._rebuild()

    #: Below this width the outlet and date columns are left out (the reader's header shows
    #: them for the open article).
    COMPACT_BELOW = 56

    def _rebuild(self) -> None:
        highlighted = self.highlighted_id
        self._compact = self.size.width < self.COMPACT_BELOW
        self.clear(columns=True)
        self._title_width = self._title_width_for(self.size.width)
        self.add_column("Title", key="title", width=self._title_width)
        if not self._compact:
            self.add_column("Outlet", key="outlet", width=12)
            self.add_column("Date", key="date", width=10)
        if self._compact:
            header = Text(" ".join(tag.marker for tag in self.tags), style="bold")
            self.add_column(header, key="tags", width=2 * len(self.tags) - 1)
        else:
            for tag in self.tags:
                self.add_column(Text(tag.marker, style="bold"), key=f"tag:{tag.name}", width=2)
        no_tags = self._count_cells({})  # shared by the rows without tags (most of them)
        rows = []
        for article in self.visible_articles():
            title = article.title or article.id
            mark = self._marks.get(article.id, "")
            cells = [
                Text(("! " if mark else "") + display_text(title), no_wrap=True,
                     overflow="ellipsis"),
            ]
            if not self._compact:
                cells += [
                    Text(display_text(article.outlet or "—"), no_wrap=True, overflow="ellipsis"),
                    Text(article.date or "—", no_wrap=True),
                ]
            counts = self._counts.get(article.id)
            cells += self._count_cells(counts) if counts else no_tags
            rows.append((article.id, cells))
        self.add_plain_rows(rows)
        if highlighted is not None and highlighted in self.rows:
            self.move_cursor(row=self.get_row_index(highlighted), animate=False)

    def update_articles(
        self, articles: Iterable[Article], removed: Iterable[object] = ()
    ) -> None:
        """Show new titles, outlets and dates of articles already listed (read after the first
        screen), in place; drop the rows of the articles whose path is in ``removed``."""
        changed = {article.id: article for article in articles}
        gone = set(removed)
        self._articles = [
            changed.get(article.id, article)
            for article in self._articles
            if article.path not in gone
        ]
        if gone:
            present = {article.id for article in self._articles}
            for row_key in [key for key in self.rows if key.value not in present]:
                self.remove_row(row_key)
        for article in changed.values():
            if article.id not in self.rows:
                continue
            self.update_cell(article.id, "title", self._title_cell(article))
            if not self._compact:
                self.update_cell(article.id, "outlet", self._outlet_cell(article))
                self.update_cell(article.id, "date", Text(article.date or "—", no_wrap=True))

    def _title_cell(self, article: Article) -> Text:
        mark = self._marks.get(article.id, "")
        return Text(("! " if mark else "") + display_text(article.title or article.id),
                    no_wrap=True, overflow="ellipsis")

    @staticmethod
    def _outlet_cell(article: Article) -> Text:
        return Text(display_text(article.outlet or "—"), no_wrap=True, overflow="ellipsis")

    def select_article(self, article_id: str) -> None:
        """Highlight ``article_id`` if it is shown."""
        if article_id in self.rows:
            self.move_cursor(row=self.get_row_index(article_id), animate=False)

    #: The orders ``o`` cycles through, with their sort keys.
    SORTS = ("file", "title", "outlet", "date", "tags")

    def visible_articles(self) -> list[Article]:
        """The articles that pass the filter, in the chosen order."""
        needle = self.filter_text.casefold()
        articles = [
            a for a in self._articles
            if not needle
            or needle in a.title.casefold()
            or needle in a.outlet.casefold()
            or needle in a.id.casefold()
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

    def set_filter(self, text: str) -> None:
        """Show only articles whose title, outlet or id contains ``text`` (any case)."""
        self.filter_text = text
        self._rebuild()
        self.border_subtitle = Content(f"filter: {display_text(text)}") if text else None

    def action_cycle_sort(self) -> None:
        """Sort by the next of file, title, outlet, date, tags."""
        self.sort_by = self.SORTS[(self.SORTS.index(self.sort_by) + 1) % len(self.SORTS)]
        self._rebuild()
        self.border_title = f"Articles by {self.sort_by}"

    def _title_width_for(self, width: int) -> int:
        if self._compact:
            fixed = 2 * len(self.tags) - 1 + 2 + 2
        else:
            fixed = (2 + 2) * len(self.tags) + 2 + 12 + 10 + 4
        return max(8, width - fixed - 1)

    def _count_cells(self, counts: Mapping[str, int]) -> list[Text]:
        """One cell per tag, or in compact mode one cell with a digit per tag (+ above 9)."""
        if self._compact:
            cell = Text(no_wrap=True)
            for number, tag in enumerate(self.tags):
                count = counts.get(tag.name, 0)
                shown = "·" if not count else (str(count) if count < 10 else "+")
                cell.append(("" if number == 0 else " ") + shown,
                            style="bold" if count else "dim")
            return [cell]
        return [
            Text(str(counts.get(tag.name, 0) or "·"), justify="right",
                 style="bold" if counts.get(tag.name) else "dim")
            for tag in self.tags
        ]

    def set_mark(self, article_id: str, mark: str) -> None:
        """Show a warning mark before the article's title (e.g. its annotations are damaged)."""
        self._marks[article_id] = mark
        article = next((a for a in self._articles if a.id == article_id), None)
        if article is not None and article_id in self.rows:
            self.update_cell(article_id, "title", self._title_cell(article))

    def set_counts(self, article_id: str, counts: Mapping[str, int]) -> None:
        """Update one article's tag counts in place, repainting only its row."""
        if self._counts.get(article_id) == dict(counts):
            return
        self._counts[article_id] = dict(counts)
        if article_id not in self.rows:
            return
        cells = self._count_cells(counts)
        keys = ["tags"] if self._compact else [f"tag:{tag.name}" for tag in self.tags]
        # DataTable.update_cell repaints the whole table: over SSH that is most of the bytes a
        # tag sends. Set the cells (Textual 8.2's own storage) and repaint the one row instead.
        row = self._data[RowKey(article_id)]
        for key, cell in zip(keys, cells):
            row[ColumnKey(key)] = cell
        self._update_count += 1  # the key of DataTable's row render cache
        self.refresh_row(self.get_row_index(article_id))

    def on_resize(self) -> None:
        compact = self.size.width < self.COMPACT_BELOW
        if self._unsized or compact != self._compact:
            self._unsized = False
            self._rebuild()
        elif self._title_width_for(self.size.width) != self._title_width:
            # Only the title column's width changes: no need to rebuild every row.
            self._title_width = self._title_width_for(self.size.width)
            self.columns[ColumnKey("title")].width = self._title_width
            self._clear_caches()
            self._require_update_dimensions = True
            self.refresh()

    @property
    def highlighted_id(self) -> str | None:
        """The id of the highlighted article, if any."""
        if self.row_count == 0:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.highlighted = event.row_key.value

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(event.row_key.value))

    def action_first(self) -> None:
        """The first article."""
        self.action_scroll_top()

    def action_last(self) -> None:
        """The last article."""
        self.action_scroll_bottom()
