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

    def set_counts(self, counts: Mapping[str, int] | None) -> None:
        """Show ``counts`` (tag → number) beside the tags; None shows none."""
        self.counts = dict(counts) if counts is not None else None
        self.refresh()

    def render(self) -> Text:
        return legend(self.looks, self.content_region.width or 80, self.counts)
