"""What the app remembers between launches that is no setting (no Textual): the theme last
chosen in the command palette, and where each article was left (its reading place).

Kept in ``state.json`` in the user's state folder (``$XDG_STATE_HOME/newsmark`` on Linux), never
in ``newsmark.toml``, which is the user's own file. Only ever a convenience: a state file that
cannot be read or written is ignored (and never overwritten by a failed write).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .durable import atomic_write

__all__ = ["PLACES_KEPT", "remember_places", "remember_theme", "remembered_places",
           "remembered_theme", "state_file"]

#: How many articles' places are kept (the latest left); older ones are forgotten.
PLACES_KEPT = 2000


def state_file() -> Path:
    """Where the state is kept (read from the environment each time, as tests set it)."""
    import platformdirs

    return Path(platformdirs.user_state_dir("newsmark", appauthor=False)) / "state.json"


def _read() -> dict[str, Any]:
    try:
        data = json.loads(state_file().read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def remembered_theme() -> str | None:
    """The theme last chosen in the palette, or None."""
    theme = _read().get("theme")
    return theme if isinstance(theme, str) and theme else None


def remember_theme(name: str) -> None:
    """Remember ``name`` as the theme last chosen (silently not, if it cannot be written)."""
    data = _read()
    if data.get("theme") == name:
        return
    data["theme"] = name
    _write(data)


def remembered_places(data: dict[str, Any] | None = None) -> dict[str, int]:
    """Where each article was left: a code point offset into its text, by the text's
    SHA-256 (so a place follows the text, whatever its file or corpus, and an edited text
    starts again from the top). ``data``: the state as read already."""
    places = (_read() if data is None else data).get("places")
    if not isinstance(places, dict):
        return {}
    return {k: v for k, v in places.items() if isinstance(k, str) and type(v) is int and v >= 0}


def remember_places(places: dict[str, int]) -> None:
    """Remember these places (merged over those kept, the newest last, at most
    :data:`PLACES_KEPT`); silently not, if the state cannot be written."""
    if not places:
        return
    data = _read()
    kept = remembered_places(data)
    for key, offset in places.items():
        kept.pop(key, None)
        kept[key] = offset
    data["places"] = dict(list(kept.items())[-PLACES_KEPT:])
    _write(data)


def _write(data: dict[str, Any]) -> None:
    path = state_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps(data, indent=2).encode("utf-8") + b"\n", durable=False)
    except OSError:
        pass
