"""The fast wrap of one-cell-per-character lines gives exactly what the token loop gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.layout import _wrap_by_tokens, display_text, wrap


def token_loop_wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Every line through the general token loop (the reference the fast path must match)."""
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    position = 0
    for raw in text.split("\n"):
        _wrap_by_tokens(text, position, position + len(raw), width, lines)
        position += len(raw) + 1
    return lines


PIECES = st.sampled_from(
    ["a", "bc", " ", "  ", "\t", "\u00a0", "\u2009", "“", "”", "’", "—", "é",
     "Supercalifragilistic", "NATO’s", "\u4e2d", "\u0301", "\u200b", "\n", "\x07", "x" * 45]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join), st.integers(1, 40))
def test_fast_wrap_matches_the_token_loop(text: str, width: int) -> None:
    shown = display_text(text)
    assert wrap(shown, width) == token_loop_wrap(shown, width)


def test_fast_wrap_matches_on_the_seeds(seeds) -> None:
    for path in sorted(seeds.glob("*.txt")):
        shown = display_text(path.read_text(encoding="utf-8"))
        for width in (8, 23, 40, 61, 78, 118):
            assert wrap(shown, width) == token_loop_wrap(shown, width)


def test_the_fast_path_characters_are_one_cell_wide() -> None:
    import re

    from rich.cells import get_character_cell_size

    from tui.layout import SINGLE_CELL_CLASS

    fast = re.compile(f"[{SINGLE_CELL_CLASS}]")
    chosen = [chr(c) for c in range(0x3000) if fast.fullmatch(chr(c))]
    assert len(chosen) > 1400
    assert [c for c in chosen if get_character_cell_size(c) != 1] == []
    assert not any(fast.fullmatch(c) for c in "\u200b\u200d\u2028\u202e\u0301\u4e2d\t\n")
