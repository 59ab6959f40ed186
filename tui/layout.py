"""Wrapping a text to a width, in terminal cells, without changing a single offset (no Textual).

The reader shows an article as *visual lines*: each is a ``(start, end)`` range of the normalised
text, so every cell on screen maps back to a code point offset. Wrapping is greedy at word
boundaries; a word wider than the line is broken by characters. Trailing spaces stay on the line
they follow (they are invisible at the right edge), so the ranges of one paragraph tile it exactly.

Control characters never reach the terminal: :func:`display_text` swaps each for a visible
one-cell placeholder, one code point for one code point, so offsets are unchanged.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from rich.cells import cell_len

_TOKEN = re.compile(r"\S+\s*|\s+")


def _control_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        table[code] = chr(0x2400 + code)  # the Unicode "control pictures" block: ␀ … ␟
    table[0x09] = " "  # a tab shows as one space: keeps one cell per code point
    table[0x0A] = "\n"  # newlines are line breaks, handled by the wrapper
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):  # C1 controls (CSI as U+009B, etc.)
        table[code] = "\ufffd"
    for code in (0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)):
        # Bidirectional overrides could reorder what the terminal shows; make them visible.
        table[code] = "\u2423"  # ␣
    return table


CONTROL_TABLE = _control_table()


def display_text(text: str) -> str:
    """``text`` with every control character replaced by a visible placeholder.

    The result has exactly the same length, so offsets into it are offsets into ``text``.
    """
    # Most texts hold none: one C-speed search instead of a dictionary lookup per character
    # (80 ms for a 1 MB article).
    if _CONTROL_RE.search(text) is None:
        return text
    return text.translate(CONTROL_TABLE)


_CONTROL_RE = re.compile(
    "[" + "".join(re.escape(chr(code)) for code, shown in CONTROL_TABLE.items()
                  if shown != chr(code)) + "]"
)


def _width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


# The characters of news text outside CJK that are one terminal cell wide (Rich agrees; a test
# checks every one): Latin with its supplements and extensions, Greek, Cyrillic, general
# punctuation (curly quotes, dashes), currency, letterlike symbols, arrows and the control
# pictures display_text uses. A line made only of these is one cell per code point and holds
# nothing zero-width, so it can be wrapped with string searches instead of token by token.
# (Written out rather than derived from Rich at import: deriving it cost 13 ms of every start.)
SINGLE_CELL_CLASS = (
    "\u0020-\u007e\u00a0-\u02ff\u0370-\u0377\u037a-\u037f\u0384-\u038a\u038c"
    "\u038e-\u03a1\u03a3-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0"
    "\u2100-\u214f\u2190-\u21ff\u2400-\u2426"
)
_SINGLE_CELL_LINE = re.compile(f"[{SINGLE_CELL_CLASS}]*")


def _wrap_single_cell(
    text: str, start: int, end: int, width: int, lines: list[tuple[int, int]]
) -> None:
    """:func:`wrap` of one text line whose characters are all one cell wide (most news text).

    The same greedy rule as the token loop, decided once per visual line at its right edge: if
    the edge falls on a space, the line ends after the spaces that follow; else before the word
    the edge cuts (after the last space), unless no space precedes it on the line, when the word
    is wider than the line and is cut at the edge. Wrapping 1 MB costs milliseconds, not a
    second.
    """
    line_start = start
    while end - line_start > width:
        limit = line_start + width
        if text[limit].isspace():
            cut = limit + 1
            while cut < end and text[cut].isspace():
                cut += 1
            if cut >= end:
                break  # only spaces left: they stay on this line
        else:
            cut = limit - 1
            while cut >= line_start and not text[cut].isspace():
                cut -= 1
            cut = cut + 1 if cut >= line_start else limit
        lines.append((line_start, cut))
        line_start = cut
    lines.append((line_start, end))


def wrap(
    text: str, width: int, nowrap: Sequence[tuple[int, int]] = ()
) -> list[tuple[int, int]]:
    """Visual lines of ``text`` at ``width`` cells, as ``(start, end)`` offsets.

    Every line of the text (split at ``\\n``) yields at least one visual line; the ranges of one
    text line are contiguous and cover it exactly, and never include the newline itself. A line
    that starts a range in ``nowrap`` (boilerplate) stays one visual line, cut at the right edge:
    junk should not push the article down the screen.
    """
    width = max(1, width)
    lines: list[tuple[int, int]] = []
    position = 0
    unwrapped = {start for start, _ in nowrap}
    for raw in text.split("\n"):
        start, end = position, position + len(raw)
        position = end + 1
        if start in unwrapped:
            lines.append((start, end))
            continue
        if _SINGLE_CELL_LINE.fullmatch(raw):
            _wrap_single_cell(text, start, end, width, lines)
            continue
        _wrap_by_tokens(text, start, end, width, lines)
    return lines


def _wrap_by_tokens(text: str, start: int, end: int, width: int,
                    lines: list[tuple[int, int]]) -> None:
    """Append the visual lines of the text line ``text[start:end]``: greedy, word by word, any
    cell widths (the general path; the reference the fast one-cell path is tested against)."""
    if _width(text[start:end]) <= width:
        lines.append((start, end))
        return
    line_start, column = start, 0
    for match in _TOKEN.finditer(text, start, end):
        token = match.group()
        word = token.rstrip()
        word_width = _width(word)
        if column and column + word_width > width:
            lines.append((line_start, match.start()))
            line_start, column = match.start(), 0
        if word_width > width:
            # A word wider than the line: break it by characters.
            offset = match.start()
            for char in word:
                char_width = _width(char)
                if column and column + char_width > width:
                    lines.append((line_start, offset))
                    line_start, column = offset, 0
                column += char_width
                offset += 1
            column += _width(token[len(word) :])
        else:
            column += _width(token)
    lines.append((line_start, end))


class LineIndex:
    """Visual lines of a text with fast lookup of the line that holds an offset."""

    def __init__(self, text: str, width: int, nowrap: Sequence[tuple[int, int]] = ()) -> None:
        self.width = width
        self.lines = wrap(text, width, nowrap)
        self._starts = [start for start, _ in self.lines]

    def __len__(self) -> int:
        return len(self.lines)

    def line_of(self, offset: int) -> int:
        """The index of the visual line holding ``offset`` (the last line for the text's end)."""
        return max(0, bisect_right(self._starts, offset) - 1)

    def offset_at(self, y: int, x: int, text: str) -> int:
        """The offset under cell column ``x`` of visual line ``y`` (clamped to the line)."""
        start, end = self.lines[max(0, min(y, len(self.lines) - 1))]
        column = 0
        for offset in range(start, end):
            column += _width(text[offset])
            if column > x:
                return offset
        return end
