"""Markdown articles: where the markup characters are, and the title (no UI).

The text of a ``.md`` article stays the file's text (every offset is one into it); what changes
is that the markup in it is known: heading ``#``\\ s and setext underlines, list bullets and
numbers, ``>`` of quotes, emphasis and strike-through marks, backslash escapes, a link's
brackets and target, images, inline code's backticks, inline HTML, rules and code fences. Those
spans are shown dimmed, and sentences and words are found in the text with them blanked out
(:attr:`tui.model.Article.plain`), so that no sentence, suggested passage or word-trimmed
passage ever begins or ends on a markup character.

The parsing is markdown-it-py's (CommonMark, the parser Rich already brings). markdown-it gives
the lines of each block and the parts of each inline run, not their character offsets; the
offsets are found by walking the source alongside the parsed parts. Where the two cannot be
matched (an unusual construct), the rest of that block is simply left undimmed: dimming is a
reading aid, and the text is never changed either way.

A YAML front-matter block at the top (``---`` … ``---``) is metadata: it is returned as a
block (boilerplate, never sentences) and its ``title``, ``date`` and ``source`` lines are read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from .model import Span

__all__ = ["MarkdownParts", "markdown_parts"]

# How far a parsed part may be from where the walk expects it (block prefixes such as "> - ").
_REACH = 16
_FRONT_MATTER_LINES = 60
_REFERENCE = re.compile(r" {0,3}\[[^\]\n]+\]:[ \t]*\S")
# What may stand between two parts of a block: indentation, quote marks, a list marker.
_PREFIX = re.compile(r"[\s>]*(?:(?:[-*+]|\d{1,9}[.)])[\s>]+)*")
_FRONT_KEYS = {"title": "title", "date": "date", "published": "date", "source": "outlet",
               "outlet": "outlet", "site": "outlet", "url": "url", "author": "author"}


@dataclass(frozen=True)
class MarkdownParts:
    """What :func:`markdown_parts` finds: the markup spans (sorted, not overlapping), the text
    of the first heading (``""`` if none), the front-matter block (or None) and its fields."""

    markup: tuple[Span, ...]
    title: str
    front_matter: Span | None = None
    meta: dict[str, str] = field(default_factory=dict)


class _Unmatched(Exception):
    """The walk lost its place in the source: stop marking this block."""


class _Walk:
    """A cursor over the source text of one inline run, marking markup as it goes."""

    def __init__(self, text: str, start: int, end: int, marks: list[tuple[int, int]]) -> None:
        self.text, self.pos, self.end, self.marks = text, start, end, marks

    def mark(self, start: int, end: int) -> None:
        if end > start:
            self.marks.append((start, end))

    def skip_to(self, needle: str) -> None:
        """Move to the next ``needle``, marking what is skipped (block prefixes) as markup."""
        found = self.text.find(needle, self.pos, min(self.end, self.pos + _REACH + len(needle)))
        if found < 0:
            raise _Unmatched
        self._skip(self.pos, found)
        self.pos = found

    def _skip(self, start: int, end: int) -> None:
        # Whitespace and newlines are not dimmed (there is nothing to see); anything else is.
        for match in re.finditer(r"[^\s]+", self.text[start:end]):
            self.mark(start + match.start(), start + match.end())

    def take(self, needle: str) -> None:
        """Mark ``needle`` (after any block prefix) as markup and move past it."""
        self.skip_to(needle)
        self.mark(self.pos, self.pos + len(needle))
        self.pos += len(needle)

    def closing(self, opener: str, closer: str) -> int:
        """The offset just past the ``closer`` matching the ``opener`` at the cursor."""
        depth = 0
        position = self.pos
        while position < self.end:
            char = self.text[position]
            if char == "\\":
                position += 2
                continue
            if char == opener:
                depth += 1
            elif char == closer:
                depth -= 1
                if depth == 0:
                    return position + 1
            position += 1
        raise _Unmatched

    def text_run(self, content: str) -> None:
        """Walk over literal text, marking backslash escapes; an entity stands for its
        character."""
        text = self.text
        index = 0
        while index < len(content):
            char = content[index]
            if self.pos >= self.end:
                raise _Unmatched
            here = text[self.pos]
            if here == char:
                self.pos += 1
                index += 1
            elif here == "\\" and self.pos + 1 < self.end and text[self.pos + 1] == char:
                self.mark(self.pos, self.pos + 1)
                self.pos += 2
                index += 1
            elif here == "&" and (semi := text.find(";", self.pos, self.pos + 12)) > 0:
                self.pos = semi + 1  # "&amp;" is one "&" of the content: text, not markup
                index += 1
            else:
                # A block prefix ("> ", a list's indentation) before the rest of the run.
                found = text.find(char, self.pos, min(self.end, self.pos + _REACH))
                if found < 0 or not _PREFIX.fullmatch(text, self.pos, found):
                    raise _Unmatched
                self._skip(self.pos, found)
                self.pos = found

    def rest_of_line(self) -> None:
        """Mark what is left of the line (an ATX heading's closing ``#``\\ s)."""
        newline = self.text.find("\n", self.pos, self.end)
        stop = self.end if newline < 0 else newline
        self._skip(self.pos, stop)
        self.pos = stop


def _inline(walk: _Walk, children: list[Any]) -> None:
    for child in children:
        kind = child.type
        if kind == "text":
            walk.text_run(child.content)
        elif kind in ("softbreak", "hardbreak"):
            newline = walk.text.find("\n", walk.pos, walk.end)
            if newline < 0:
                raise _Unmatched
            if kind == "hardbreak" and walk.text[newline - 1 : newline] == "\\":
                walk.mark(newline - 1, newline)
            walk.pos = newline + 1
        elif kind.endswith(("_open", "_close")) and kind.startswith(("em", "strong", "s_")):
            walk.take(child.markup)
        elif kind == "link_open":
            walk.take("<" if child.markup == "autolink" else "[")
        elif kind == "link_close":
            if child.markup == "autolink":
                walk.take(">")
                continue
            walk.skip_to("]")
            start = walk.pos
            walk.pos += 1
            if walk.text.startswith("(", walk.pos):
                walk.pos = walk.closing("(", ")")
            elif walk.text.startswith("[", walk.pos):
                walk.pos = walk.closing("[", "]")
            walk.mark(start, walk.pos)
        elif kind == "image":
            walk.skip_to("![")
            start = walk.pos
            walk.pos += 1
            walk.pos = walk.closing("[", "]")
            if walk.text.startswith("(", walk.pos):
                walk.pos = walk.closing("(", ")")
            elif walk.text.startswith("[", walk.pos):
                walk.pos = walk.closing("[", "]")
            walk.mark(start, walk.pos)
        elif kind == "code_inline":
            walk.take(child.markup)
            closing = walk.text.find(child.markup, walk.pos, walk.end)
            if closing < 0:
                raise _Unmatched
            walk.pos = closing
            walk.take(child.markup)
        elif kind in ("html_inline", "html_block"):
            walk.take(child.content)
        else:
            raise _Unmatched


def _plain(children: list[Any]) -> str:
    """The words of an inline run (a heading's title): text and code, no markup."""
    return "".join(c.content for c in children if c.type in ("text", "code_inline")) or " ".join(
        c.content for c in children if c.type == "softbreak"
    )


def _front_matter(text: str) -> tuple[Span | None, dict[str, str]]:
    if not text.startswith("---\n"):
        return None, {}
    lines = text.split("\n", _FRONT_MATTER_LINES + 1)
    for number in range(1, min(len(lines), _FRONT_MATTER_LINES)):
        if lines[number].strip() in ("---", "..."):
            end = sum(len(line) + 1 for line in lines[: number + 1]) - 1
            meta: dict[str, str] = {}
            for line in lines[1:number]:
                key, sep, value = line.partition(":")
                part = _FRONT_KEYS.get(key.strip().lower())
                if sep and part and part not in meta:
                    meta[part] = " ".join(value.strip().strip("\"'").split())
            return Span(0, end), meta
    return None, {}


def markdown_parts(text: str) -> MarkdownParts:
    """The markup spans, first heading and front matter of a Markdown text (already
    normalised: offsets are code points into it)."""
    from markdown_it import MarkdownIt  # Rich's dependency; parsed only for .md articles

    front, meta = _front_matter(text)
    body_start = front.end + 1 if front is not None else 0
    body = text[body_start:]
    line_starts = [0]
    for match in re.finditer("\n", text):
        line_starts.append(match.end())

    def line_start(number: int) -> int:
        return line_starts[min(number, len(line_starts) - 1)] if number < len(line_starts) \
            else len(text)

    first_line = bisect_right(line_starts, body_start) - 1
    tokens = MarkdownIt("commonmark").enable("strikethrough").parse(body)
    marks: list[tuple[int, int]] = []
    title = ""
    heading: Any = None
    for token in tokens:
        if token.map is None:
            continue
        top, bottom = token.map[0] + first_line, token.map[1] + first_line
        start, end = line_start(top), max(line_start(top), line_start(bottom) - 1)
        if token.type == "heading_open":
            heading = token
            if token.markup in ("=", "-"):
                underline = line_start(bottom - 1)
                marks.append((underline, max(underline, line_start(bottom) - 1)))
        elif token.type in ("hr", "html_block"):
            marks.append((start, end))
        elif token.type == "fence":
            fence_end = line_start(top + 1) - 1
            marks.append((start, fence_end))
            last = line_start(bottom - 1)
            if text[last:end].strip().startswith(token.markup[:3]) and bottom - 1 > top:
                marks.append((last, end))
        elif token.type == "inline":
            walk_marks: list[tuple[int, int]] = []
            walk = _Walk(text, start, end, walk_marks)
            try:
                if heading is not None and heading.markup not in ("=", "-"):
                    walk.take(heading.markup)
                _inline(walk, token.children or [])
                if heading is not None:
                    walk.rest_of_line()
            except _Unmatched:
                pass  # keep what was matched; the rest of the block stays undimmed
            marks.extend(walk_marks)
            if heading is not None and not title:
                title = " ".join(_plain(token.children or []).split())
            heading = None
        elif token.type in ("bullet_list_open", "ordered_list_open", "list_item_open",
                            "blockquote_open", "paragraph_open"):
            continue
    # Link reference definitions ("[osce]: https://www.osce.org") are no block of their own:
    # markdown-it keeps them aside. They are the lines outside every block that look like one.
    covered = set()
    for token in tokens:
        if token.map is not None and token.level == 0:
            covered.update(range(token.map[0] + first_line, token.map[1] + first_line))
    for number in range(first_line, len(line_starts)):
        if number in covered:
            continue
        start = line_starts[number]
        end = line_starts[number + 1] - 1 if number + 1 < len(line_starts) else len(text)
        if _REFERENCE.match(text, start, end):
            marks.append((start, end))
    spans: list[Span] = []
    for start, end in sorted(marks):
        if end <= start:
            continue
        if spans and start <= spans[-1].end:
            if end > spans[-1].end:
                spans[-1] = Span(spans[-1].start, end)
            continue
        spans.append(Span(start, end))
    if not title and meta.get("title"):
        title = meta["title"]
    return MarkdownParts(tuple(spans), title, front, meta)
