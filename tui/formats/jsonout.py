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

_PLAIN = frozenset({str, int, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})


def _orjson_safe(value: Any) -> bool:
    """True if orjson spells ``value`` exactly as the standard library does."""
    if type(value) not in _CONTAINERS:
        return type(value) in _PLAIN
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            if item and set(map(type, item)) != {str}:
                return False
            values = item.values()
        else:
            values = item
        # One C-level pass per container: a flat record (the usual case) needs nothing more.
        kinds = set(map(type, values))
        if kinds <= _PLAIN:
            continue
        if not kinds <= _PLAIN | _CONTAINERS:
            return False
        stack.extend(v for v in values if type(v) in _CONTAINERS)
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
