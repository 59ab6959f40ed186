"""A modal screen whose content scrolls with the key table's scroll keys (help, statistics,
and any later screen that is one long read)."""

from __future__ import annotations

from typing import TypeVar

from textual.containers import VerticalScroll
from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class ScrollingScreen(ModalScreen[ResultType]):
    """A modal screen with one :class:`VerticalScroll` (id :attr:`SCROLL_ID`) that its
    scroll actions move at once (no animation: keys typed ahead count lines, not frames)."""

    SCROLL_ID = "scroll"

    @property
    def _scroll(self) -> VerticalScroll:
        return self.query_one(f"#{self.SCROLL_ID}", VerticalScroll)

    def action_scroll_down(self) -> None:
        """Scroll a line down."""
        self._scroll.scroll_down(animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        """Scroll a line up."""
        self._scroll.scroll_up(animate=False, immediate=True)

    def action_page_down(self) -> None:
        """Scroll a screen down."""
        self._page(1)

    def action_page_up(self) -> None:
        """Scroll a screen up."""
        self._page(-1)

    def _page(self, direction: int) -> None:
        # Widget.scroll_page_down has no `immediate`: it scrolls after the next refresh, so
        # two pages typed ahead would both start from the same place.
        scroll = self._scroll
        page = max(1, scroll.scrollable_content_region.height)
        scroll.scroll_to(y=scroll.scroll_y + direction * page, animate=False, immediate=True)

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
