"""The article list: one row per article — title, outlet, date and a count per tag.

A DataTable, so only the visible rows are rendered however large the corpus is. Every cell is a
``rich.text.Text`` built from the raw string, never parsed as markup: titles are scraped text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable

from ..config import TagDef
from ..keys import KEYS
from ..layout import display_text
from ..model import Article


class ArticleList(DataTable[Text]):
    """The corpus, in file-name order. Highlighting a row previews it; enter opens it."""

    BINDINGS = [
        Binding(k.keys, k.action, k.description, show=k.show, key_display=k.key_display)
        for k in KEYS
        if k.scope == "list"
    ]

    DEFAULT_CSS = """
    ArticleList {
        scrollbar-size-vertical: 1;
    }
    """

    class Highlighted(Message):
        """The highlighted article changed."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class Opened(Message):
        """The user asked to open (read) the article."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, tags: Sequence[TagDef], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.tags = tuple(tags)
        self._title_width = 20
        self._compact = False
        self._articles: list[Article] = []
        self._counts: dict[str, dict[str, int]] = {}
        self._marks: dict[str, str] = {}

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
        for article in self._articles:
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
            cells += self._count_cells(self._counts.get(article.id, {}))
            self.add_row(*cells, key=article.id)
        if highlighted is not None and highlighted in self.rows:
            self.move_cursor(row=self.get_row_index(highlighted), animate=False)

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

    def set_counts(self, article_id: str, counts: Mapping[str, int]) -> None:
        """Update one article's tag counts in place."""
        self._counts[article_id] = dict(counts)
        cells = self._count_cells(counts)
        keys = ["tags"] if self._compact else [f"tag:{tag.name}" for tag in self.tags]
        for key, cell in zip(keys, cells):
            self.update_cell(article_id, key, cell)

    def on_resize(self) -> None:
        compact = self.size.width < self.COMPACT_BELOW
        if compact != self._compact or self._title_width_for(self.size.width) != self._title_width:
            self._rebuild()

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
            self.post_message(self.Highlighted(event.row_key.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.Opened(event.row_key.value))

    def action_open_article(self) -> None:
        """Open the highlighted article in the reader."""
        if self.highlighted_id is not None:
            self.post_message(self.Opened(self.highlighted_id))
