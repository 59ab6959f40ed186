"""The exports' fast indented JSON writes exactly what the standard library writes."""

from __future__ import annotations

import io
import json

from tui.formats.jsonout import dump_pretty, dumps_pretty
from tui.model import Annotation


def test_every_code_point_is_spelled_as_the_standard_library_does() -> None:
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    value = {"text": text, "n": [0, -1, 2**62, True, False, None], "empty": [[], {}],
             "nested": {"é": [{"a": "b"}]}}
    assert dumps_pretty(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_what_orjson_would_spell_differently_goes_through_json() -> None:
    for value in ({"x": 1.5}, {"x": 2**70}, {"x": "\ud800"}, {1: "int key"}, ("a", 1)):
        assert dumps_pretty(value) == json.dumps(value, ensure_ascii=False, indent=2)
    stream = io.StringIO()
    dump_pretty({"a": [1, 2]}, stream)
    assert stream.getvalue() == json.dumps({"a": [1, 2]}, ensure_ascii=False, indent=2)


def test_to_dict_is_asdict() -> None:
    from dataclasses import asdict

    annotation = Annotation("i", "a", 1, 2, "claim", "t", "p", "s", "n", "x", "c", "m", "h")
    assert annotation.to_dict() == asdict(annotation)
    assert list(annotation.to_dict()) == list(asdict(annotation))
