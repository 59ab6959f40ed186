"""The legend: which letter and colour is which tag (with counts where given), in the widest
form that fits (:func:`tui.styles.legend`), so a narrow pane never cuts a tag off."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widget import Widget

from ..styles import Looks, legend


class Legend(Widget):
    """One line naming the tags; :meth:`set_counts` adds a count to each."""

    DEFAULT_CSS = """
    Legend {
        height: 1;
        padding: 0 1;
    }
    """

    def __init__(self, looks: Looks, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.looks = looks
        self.counts: Mapping[str, int] | None = None
        self.view = ""
        """Whose tags are shown (:meth:`set_view`), at the right end."""

    def set_view(self, label: str) -> None:
        """Say whose tags the reader shows (``""``: say nothing)."""
        if label != self.view:
            self.view = label
            self.refresh()

    def set_counts(self, counts: Mapping[str, int] | None) -> None:
        """Show ``counts`` (tag → number) beside the tags; None shows none."""
        self.counts = dict(counts) if counts is not None else None
        self.refresh()

    def render(self) -> Text:
        width = self.content_region.width or 80
        if not self.view:
            return legend(self.looks, width, self.counts)
        view = Text(f"view: {self.view}", style="dim", no_wrap=True, end="")
        tags = legend(self.looks, max(1, width - view.cell_len - 2), self.counts)
        if tags.cell_len + 2 + view.cell_len > width:
            return tags  # the tags first: a narrow pane drops the view's name
        line = Text(no_wrap=True, overflow="crop", end="")
        line.append_text(tags)
        line.append(" " * (width - tags.cell_len - view.cell_len))
        line.append_text(view)
        return line
