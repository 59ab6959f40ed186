"""Indented JSON for the exports, at C speed: what ``json.dump(..., indent=2)`` writes.

The standard library's encoder is pure Python as soon as it indents (and ``json.dump`` writes
six million small pieces for 100 000 annotations): exporting them spent seconds there. orjson
writes the same bytes for the values an export holds (strings, ints, booleans, None, lists and
dicts with string keys; checked against the standard library over every code point in the
tests); anything else (a float, a huge int, a lone surrogate) goes through the standard library.
"""

from __future__ import annotations

import json
from typing import IO, Any

try:
    import orjson
except ImportError:  # pragma: no cover - the standard library writes the same, slower
    orjson = None  # type: ignore[assignment]

_PLAIN = (str, int, bool, type(None))


def _orjson_safe(value: Any) -> bool:
    """True if orjson spells ``value`` exactly as the standard library does."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is dict:
            if not all(type(key) is str for key in item):
                return False
            stack.extend(item.values())
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind not in _PLAIN:
            return False
    return True


def dumps_pretty(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, the same text, faster."""
    if orjson is not None and _orjson_safe(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
        except (orjson.JSONEncodeError, TypeError):
            pass  # a lone surrogate or an int beyond 64 bits: the standard library copes
    return json.dumps(value, ensure_ascii=False, indent=2)


def dump_pretty(value: Any, stream: IO[str]) -> None:
    """``json.dump(value, stream, ensure_ascii=False, indent=2)``, in one write."""
    stream.write(dumps_pretty(value))
