"""Typing in a burst: every key of a sequence queued before the app handles any of them, as a
fast typist, a paste without bracketed-paste mode, or an SSH link delivering several keystrokes
in one read would. ``pilot.press`` waits for the app between keys; :func:`burst` does not."""

from __future__ import annotations

import asyncio
import unicodedata

from textual import events
from textual.app import App

#: Key names Textual gives to some characters (the rest follow their Unicode names).
_REPLACED = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at",
             "hyphen_minus": "minus", "plus_sign": "plus", "low_line": "underscore"}
#: Characters of named keys.
_CHARACTERS = {"enter": "\r", "escape": "\x1b", "tab": "\t", "space": " ", "backspace": "\x7f"}


def key_event(token: str) -> events.Key:
    """The Key event a terminal sends for ``token``: a character (``"a"``, ``"/"``, ``" "``)
    or a key name (``"enter"``, ``"shift+down"``, ``"slash"``)."""
    if len(token) == 1:
        if token.isalnum():
            return events.Key(token, token)
        if token == " ":
            return events.Key("space", " ")
        name = unicodedata.name(token).lower().replace("-", "_").replace(" ", "_")
        return events.Key(_REPLACED.get(name, name), token)
    character = _CHARACTERS.get(token)
    if character is None:
        for name, replaced in _REPLACED.items():
            if token == replaced:
                character = unicodedata.lookup(name.replace("_", " "))
        if character is None and "+" not in token:
            try:
                character = unicodedata.lookup(token.replace("_", " "))
            except KeyError:
                character = None
    return events.Key(token, character)


def tokens(text: str) -> list[str]:
    """Each character of ``text`` as a token (for typing words)."""
    return list(text)


async def settled(pilot, timeout: float = 20.0) -> None:
    """Wait until every key the app has read has been routed and its effects have settled."""
    app: App[object] = pilot.app
    typeahead = getattr(app, "typeahead", None)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        await pilot.pause()
        if typeahead is None or typeahead.idle:
            await pilot.pause()
            if typeahead is None or typeahead.idle:
                return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"keys still waiting after {timeout} s: {typeahead.pending}")
        await asyncio.sleep(0.01)


async def burst(pilot, *keys: str) -> None:
    """Queue all of ``keys`` at once (none is handled before the last is queued), then wait
    until the app has handled them all."""
    app = pilot.app
    for token in keys:
        app.post_message(key_event(token))
    await settled(pilot)


def screen_text(app: App[object]) -> str:
    """The plain text of what the terminal shows now (every screen, toasts included)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False)


async def shows(pilot, text: str, timeout: float = 10.0) -> str:
    """Wait until ``text`` is on the screen; the screen's text."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    shown = ""
    while loop.time() < deadline:
        await pilot.pause(0.05)
        shown = screen_text(pilot.app)
        if text in shown:
            return shown
    raise AssertionError(f"{text!r} not on the screen within {timeout} s:\n{shown}")


async def suggested(pilot, timeout: float = 30.0) -> None:
    """Wait until the open article's suggestions are in (a worker makes them after an article
    opens), so that what the reader shows no longer depends on how fast that was."""
    app = pilot.app
    session = getattr(app, "session", None)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while session is not None and session.article is not None and session.suggesting and (
            not session.suggestions_ready or session.suggestion_request_due):
        await pilot.pause(0.02)
        if loop.time() > deadline:
            raise AssertionError(f"no suggestions within {timeout} s")
    await settled(pilot)
