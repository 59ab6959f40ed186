"""Wrapping never changes an offset: visual lines tile each text line exactly, and the control
characters of hostile text become one visible placeholder each."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.layout import CONTROL_TABLE, LineIndex, display_text, wrap

PLACEHOLDERS = set(CONTROL_TABLE.values()) - {"\n"}

TEXTS = st.text(
    alphabet=st.sampled_from(list("ab cd\n\t\x1b\x07\x9b‮界😀é́-")) | st.characters(),
    max_size=300,
)


@given(TEXTS, st.integers(1, 60))
def test_visual_lines_tile_every_line(text: str, width: int) -> None:
    lines = wrap(text, width)
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    by_line: dict[int, list[tuple[int, int]]] = {}
    for start, end in lines:
        assert 0 <= start <= end <= len(text)
        assert "\n" not in text[start:end]
        line_start = max(s for s in starts if s <= start)
        by_line.setdefault(line_start, []).append((start, end))
    assert sorted(by_line) == starts
    for line_start, pieces in by_line.items():
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        assert pieces[0][0] == line_start and pieces[-1][1] == line_end
        for (_, end), (start, _) in zip(pieces, pieces[1:]):
            assert end == start


@given(TEXTS, st.integers(4, 60))
def test_wrapped_words_fit_the_width(text: str, width: int) -> None:
    shown = display_text(text)
    for start, end in wrap(shown, width):
        assert cell_len(shown[start:end].rstrip()) <= width or len(shown[start:end]) == 1


@given(TEXTS)
def test_display_text_keeps_offsets_and_sends_no_controls(text: str) -> None:
    shown = display_text(text)
    assert len(shown) == len(text)
    for original, visible in zip(text, shown):
        if original == "\n":
            assert visible == "\n"
        else:
            assert visible == original or visible in PLACEHOLDERS
            assert not (ord(visible) < 0x20 or 0x7F <= ord(visible) < 0xA0)


def test_offset_at_maps_cells_back_to_offsets() -> None:
    text = "界a😀b\nxy"
    index = LineIndex(text, 20)
    assert [index.offset_at(0, x, text) for x in range(7)] == [0, 0, 1, 2, 2, 3, 4]
    assert index.line_of(5) == 1 and index.offset_at(1, 1, text) == 6
