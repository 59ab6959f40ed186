"""The main screen: the article list (or the annotation panel) beside the reader.

It holds the keys that work in each of its panes (``main`` in :mod:`tui.keys`); the app composes
its widgets and runs its actions. Other screens are modal: these keys never reach under them.
"""

from __future__ import annotations

from textual.screen import Screen

from ..bindings import bindings


class MainScreen(Screen[None]):
    """The screen the app starts on."""

    BINDINGS = bindings("main")
