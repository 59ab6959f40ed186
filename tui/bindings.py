"""Textual bindings built from the one key table (:mod:`tui.keys`): the only place a ``Binding``
is made. Every binding carries the table's id, so Textual's keymap (``App.set_keymap``) rebinds
it from the ``[keys]`` of ``newsmark.toml`` and from the tag set."""

from __future__ import annotations

from textual.binding import Binding

from .keys import Key, keys_of


def binding(key: Key) -> Binding:
    """The Textual binding of one entry of the table."""
    return Binding(
        key.keys,
        key.action,
        key.description,
        show=key.show,
        key_display=key.key_display,
        priority=key.priority,
        tooltip=key.long_description,
        id=key.id,
    )


def bindings(scope: str) -> list[Binding]:
    """The bindings of one scope of the table, for a widget's or screen's ``BINDINGS``."""
    return [binding(key) for key in keys_of(scope)]
