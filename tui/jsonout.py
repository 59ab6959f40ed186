"""The one pretty-JSON writer of newsmark, at C speed (no Textual).

:func:`pretty_json` writes exactly what ``json.dumps(value, ensure_ascii=False, indent=2)``
writes, plus a final newline: the store's shards (with sorted keys), the exports and the
``--format json`` reports all go through it, so they all spell JSON one way.

The standard library's encoder is pure Python as soon as it indents (exporting 100 000
annotations spent seconds in it, and at a hundred annotations a shard's encoding cost as much as
its fsync). orjson writes the same bytes for the values newsmark writes (strings, ints, booleans,
None, floats between 1e-4 and 1e16, lists and dicts with string keys; checked against the
standard library over every code point and 600 000 floats in the tests). Anything it would
spell differently (a float in exponent notation, an int beyond 64 bits) or refuses (a lone
surrogate) goes through the standard library, which is slower but the same.

A lone surrogate cannot be written as UTF-8. Then the whole text is written with JSON's
``\\uXXXX`` escapes for everything outside ASCII (what ``ensure_ascii=True`` writes), so the file
stays valid UTF-8 JSON and reads back to the same string.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

__all__ = ["pretty_json"]

_PLAIN = frozenset({str, int, bool, type(None)})
_CONTAINERS = frozenset({dict, list, tuple})
_OPTIONS = {
    False: orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE,
    True: orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | orjson.OPT_SORT_KEYS,
}


def _plain_float(value: float) -> bool:
    """Whether orjson writes this float as the standard library does: both write the shortest
    repr, and differ only in exponent notation, which neither uses for 0 or 1e-4 <= |x| < 1e16
    (checked by a test). An agreement figure or a score always qualifies."""
    return value == 0 or 1e-4 <= abs(value) < 1e16


def _orjson_safe(value: Any) -> bool:
    """True if orjson spells ``value`` exactly as the standard library does."""
    if type(value) not in _CONTAINERS:
        return type(value) in _PLAIN or (type(value) is float and _plain_float(value))
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
        if float in kinds:
            if not all(_plain_float(v) for v in values if type(v) is float):
                return False
            kinds.discard(float)
        if not kinds <= _PLAIN | _CONTAINERS:
            return False
        stack.extend(v for v in values if type(v) in _CONTAINERS)
    return True


def pretty_json(value: Any, *, sort_keys: bool = False) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\\n"``, fast.

    The result is always encodable as UTF-8: a value holding a lone surrogate is written with
    ``ensure_ascii=True`` instead (see the module docstring).
    """
    if _orjson_safe(value):
        try:
            return orjson.dumps(value, option=_OPTIONS[sort_keys]).decode("utf-8")
        except orjson.JSONEncodeError:
            pass  # a lone surrogate or an int beyond 64 bits: the standard library copes
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True, indent=2, sort_keys=sort_keys) + "\n"
    return text
