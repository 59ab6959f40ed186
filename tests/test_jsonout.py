"""The one pretty-JSON writer writes exactly what the standard library writes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.jsonout import pretty_json
from tui.model import Annotation

JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False),
    st.text(),
)


def standard(value: object, *, sort_keys: bool = False) -> str:
    """The standard library's spelling, ASCII-escaped when it cannot be UTF-8 (a surrogate)."""
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, indent=2, sort_keys=sort_keys) + "\n"
    return text


def test_every_code_point_is_spelled_as_the_standard_library_does() -> None:
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    value = {"text": text, "n": [0, -1, 2**62, True, False, None], "empty": [[], {}],
             "nested": {"é": [{"a": "b"}]}}
    assert pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    assert pretty_json(value, sort_keys=True) == standard(value, sort_keys=True)


def test_what_orjson_would_spell_differently_goes_through_json() -> None:
    for value in ({"x": 1.5}, {"x": 1e16}, {"x": 2**70}, {1: "int key"}, ("a", 1)):
        assert pretty_json(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def test_floats_orjson_writes_are_spelled_as_the_standard_library_does() -> None:
    import random

    import orjson

    from tui.jsonout import _plain_float

    rng = random.Random(7)
    values = [0.0, -0.0, 1e-4, -1e-4, 9.999999999999998e15, 0.1, 1 / 3, 2 / 3, -0.7003]
    for _ in range(300_000):
        x = rng.random() * 10 ** rng.uniform(-6, 18) * rng.choice((1, -1))
        values += [x, round(x, rng.randint(0, 8))]
    for x in values:
        if _plain_float(x):  # what pretty_json hands to orjson
            assert orjson.dumps(x).decode() == json.dumps(x), x
    figures = {"f1": 0.6667, "alpha": -0.0123, "kappa": 1.0, "tiny": 1e-05, "n": 3}
    assert pretty_json(figures) == json.dumps(figures, ensure_ascii=False, indent=2) + "\n"


def test_a_lone_surrogate_makes_the_whole_text_ascii_and_it_reads_back() -> None:
    value = {"note": "bad \udc80 byte", "quote": "“Unprecedented”"}
    text = pretty_json(value)
    assert text == json.dumps(value, indent=2) + "\n"
    assert text.isascii() and "\\udc80" in text and "\\u201c" in text
    assert json.loads(text.encode("utf-8")) == value


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        JSON_LEAVES,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
        max_leaves=25,
    )
    | st.lists(st.dictionaries(st.text(), JSON_LEAVES, min_size=1, max_size=6), min_size=1),
    st.booleans(),
)
def test_pretty_json_is_exactly_the_standard_one(value: object, sort_keys: bool) -> None:
    assert pretty_json(value, sort_keys=sort_keys) == standard(value, sort_keys=sort_keys)


def test_to_dict_is_asdict() -> None:
    from dataclasses import asdict

    annotation = Annotation("i", "a", 1, 2, "claim", "t", "p", "s", "n", "x", "c", "m", "h")
    assert annotation.to_dict() == asdict(annotation)
    assert list(annotation.to_dict()) == list(asdict(annotation))
    # A curated annotation: JSON's list comes back as the model's tuple, and a hand-made
    # one's record leaves the empty field out (Annotation.to_record).
    curated = Annotation.from_dict({**annotation.to_dict(), "adjudicated_from": ["alice", "bob"]})
    assert curated.adjudicated_from == ("alice", "bob")
    assert Annotation.from_dict(curated.to_record()) == curated
    assert curated.to_record()["adjudicated_from"] == ["alice", "bob"]
    assert "adjudicated_from" not in annotation.to_record()
