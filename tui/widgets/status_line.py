"""The status line: one line that says what the last action did (never parsed as markup)."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ..layout import display_text

#: A quoted passage in a message: the part that gives way when the line is too narrow.
_QUOTED = re.compile(r"“[^”]*”")


#: The characters of a quoted passage kept at the least (the words a message is about), before
#: the message's end is cut instead: this many, or a fifth of the width if less.
MIN_QUOTED = 16


def fit(message: str, width: int) -> str:
    """``message`` in at most ``width`` cells: the first quoted passage is shortened first, so
    the verdict around it ("— saved.") stays, down to its first :data:`MIN_QUOTED`
    characters (a quote cut to "…" says nothing); only then is the end cut."""
    if cell_len(message) <= width or width <= 0:
        return message
    match = _QUOTED.search(message)
    if match is not None:
        excess = cell_len(message) - width
        inner = match.group()[1:-1]
        floor = min(MIN_QUOTED, width // 5, len(inner) - 1)
        keep = max(len(inner) - excess - 1, floor)  # (one cell for the ellipsis)
        if keep >= 1:
            shortened = "“" + inner[:keep].rstrip() + "…”"
            message = message[: match.start()] + shortened + message[match.end() :]
    if cell_len(message) <= width:
        return message
    return message[: max(0, width - 1)] + "…"


class StatusLine(Widget):
    """What the app last said. Set :attr:`message` (and :attr:`error`), or call :meth:`say`."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    StatusLine.-error {
        color: $text-error;
        text-style: bold;
    }
    """

    message: reactive[str] = reactive("")
    """The words shown (as given: control characters are made visible when drawn)."""
    error: reactive[bool] = reactive(False)
    """True when the message reports a failure (drawn in the error style)."""

    def say(self, message: str, *, error: bool = False) -> None:
        """Show ``message`` (an error if ``error``)."""
        self.message = message
        self.error = error

    def clear(self) -> None:
        """Show nothing."""
        self.say("")

    def watch_error(self, error: bool) -> None:
        self.set_class(error, "-error")

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        return Text(fit(display_text(self.message), width), no_wrap=True, overflow="crop")
