"""The reader: an article as wrapped lines, a sentence cursor, and tagged passages in colour.

Built on Textual's Line API (as toolong's log view is): only the visible lines are rendered, each
from a ``(start, end)`` range of the normalised text kept in a :class:`~tui.layout.LineIndex`,
so a keypress repaints just the lines it changes. The text is never parsed as markup and control
characters are swapped for visible placeholders (:func:`tui.layout.display_text`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..config import TagDef
from ..keys import KEYS, tag_keys
from ..layout import LineIndex, display_text
from ..model import Annotation, Article, Span
from ..sentences import sentence_spans

#: Columns on the left of each line for tag markers (readable without colour).
GUTTER = 2


def _bindings() -> list[Binding]:
    return [
        Binding(k.keys, k.action, k.description, show=k.show, key_display=k.key_display)
        for k in KEYS
        if k.scope == "reader"
    ]


class Reader(ScrollView, can_focus=True):
    """Shows one article; moves a selection sentence by sentence; asks the app to tag it."""

    BINDINGS = _bindings()

    COMPONENT_CLASSES = {
        "reader--selection",
        "reader--boilerplate",
        "reader--gutter",
        "reader--placeholder",
    }

    DEFAULT_CSS = """
    Reader {
        background: $surface;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    Reader > .reader--selection {
        text-style: reverse;
    }
    Reader > .reader--boilerplate {
        color: $text-disabled;
        text-style: italic;
    }
    Reader > .reader--gutter {
        color: $text-muted;
    }
    Reader > .reader--placeholder {
        color: $text-muted;
    }
    """

    class TagRequested(Message):
        """The user asked to tag (or untag, if it is already tagged) ``span`` with ``tag``."""

        def __init__(self, span: Span, tag: str) -> None:
            super().__init__()
            self.span = span
            self.tag = tag

    class RemoveRequested(Message):
        """The user asked to remove the annotation under ``span``."""

        def __init__(self, span: Span) -> None:
            super().__init__()
            self.span = span

    class SelectionChanged(Message):
        """The selection moved; ``span`` is None when nothing can be selected."""

        def __init__(self, span: Span | None) -> None:
            super().__init__()
            self.span = span

    def __init__(self, tags: Sequence[TagDef], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tags = tuple(tags)
        self.article: Article | None = None
        self.annotations: list[Annotation] = []
        self.sentences: list[Span] = []
        self._sentence_starts: list[int] = []
        self.selection: Span | None = None
        self._display = ""
        self._index: LineIndex | None = None
        self._cache: dict[int, Strip] = {}
        self._tag_styles: dict[str, Style] = {}
        self._boilerplate: tuple[Span, ...] = ()
        self.set_tags(self.tags)

    # ----------------------------------------------------------------- state from the app

    def set_tags(self, tags: Sequence[TagDef]) -> None:
        """Use ``tags`` (names, keys, colours): rebinds the tag keys and recolours."""
        self.tags = tuple(tags)
        keys = tag_keys(self.tags)
        for number, key in enumerate(keys):
            # The footer shows the tag keys once, as one range ("1-4 Tag").
            first = number == 0
            self._bindings.bind(
                key.keys, key.action, "Tag" if first else key.description, show=first,
                key_display=f"{keys[0].key_display}-{keys[-1].key_display}" if first else None,
            )
        self._tag_styles = {tag.name: _tag_style(tag.colour) for tag in self.tags}
        self._invalidate()

    def show_article(self, article: Article | None, annotations: Sequence[Annotation]) -> None:
        """Show ``article`` from its first sentence, with ``annotations`` coloured."""
        self.article = article
        self.annotations = list(annotations)
        text = article.text if article else ""
        self._display = display_text(text)
        self._boilerplate = article.boilerplate if article else ()
        self.sentences = sentence_spans(text, self._boilerplate) if article else []
        self._sentence_starts = [span.start for span in self.sentences]
        self.selection = self.sentences[0] if self.sentences else None
        self._index = None
        self._relayout()
        self.scroll_to(0, 0, animate=False)
        self.post_message(self.SelectionChanged(self.selection))

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Replace the annotations shown (after a change in the store)."""
        self.annotations = list(annotations)
        self._invalidate()

    # ----------------------------------------------------------------- layout

    @property
    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - GUTTER)

    def _relayout(self) -> None:
        width = self._text_width
        if self._index is None or self._index.width != width:
            self._index = LineIndex(
                self._display, width, [(span.start, span.end) for span in self._boilerplate]
            )
        self.virtual_size = Size(width + GUTTER, len(self._index))
        self._invalidate()

    def _invalidate(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        if self.article is None:
            return
        self._relayout()
        self.call_after_refresh(self.scroll_to_selection, False)

    # ----------------------------------------------------------------- selection

    @property
    def sentence_index(self) -> int:
        """The index of the sentence the selection starts in (0 when there are none)."""
        if self.selection is None or not self.sentences:
            return 0
        return max(0, bisect_right(self._sentence_starts, self.selection.start) - 1)

    def select(self, span: Span | None, *, scroll: bool = True) -> None:
        """Make ``span`` the selection, repainting only the lines it leaves and enters."""
        old = self.selection
        self.selection = span
        self._refresh_span(old)
        self._refresh_span(span)
        if scroll:
            self.scroll_to_selection()
        self.post_message(self.SelectionChanged(span))

    def _refresh_span(self, span: Span | None) -> None:
        if span is None or self._index is None:
            return
        first = self._index.line_of(span.start)
        last = self._index.line_of(max(span.start, span.end - 1))
        for y in range(first, last + 1):
            self._cache.pop(y, None)
        self.refresh_lines(first - int(self.scroll_offset.y), last - first + 1)

    def scroll_to_selection(self, animate: bool = False) -> None:
        """Scroll so that the selection is in view (its first line, if it cannot all fit)."""
        if self.selection is None or self._index is None:
            return
        first = self._index.line_of(self.selection.start)
        last = self._index.line_of(max(self.selection.start, self.selection.end - 1))
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        if first < top:
            top = first
        elif last >= top + height:
            top = max(first - 0, last - height + 1) if last - first < height else first
        if top != int(self.scroll_offset.y):
            self.scroll_to(y=top, animate=animate, immediate=True)

    def _move_to_sentence(self, index: int) -> None:
        if not self.sentences:
            return
        index = max(0, min(index, len(self.sentences) - 1))
        self.select(self.sentences[index])

    def action_next_sentence(self) -> None:
        """Select the next sentence."""
        if self.selection is None:
            return self._move_to_sentence(0)
        # The first sentence starting at or after the selection's end.
        index = bisect_left(self._sentence_starts, self.selection.end)
        self._move_to_sentence(min(index, len(self.sentences) - 1))

    def action_previous_sentence(self) -> None:
        """Select the previous sentence."""
        if self.selection is None:
            return self._move_to_sentence(0)
        index = bisect_left(self._sentence_starts, self.selection.start) - 1
        self._move_to_sentence(max(index, 0))

    def action_first_sentence(self) -> None:
        """Select the first sentence."""
        self._move_to_sentence(0)

    def action_last_sentence(self) -> None:
        """Select the last sentence."""
        self._move_to_sentence(len(self.sentences) - 1)

    def _page(self, direction: int) -> None:
        if self._index is None or not self.sentences or self.selection is None:
            return
        height = max(1, self.scrollable_content_region.height - 1)
        y = self._index.line_of(self.selection.start) + direction * height
        y = max(0, min(y, len(self._index) - 1))
        offset = self._index.lines[y][0]
        index = max(0, bisect_right(self._sentence_starts, offset) - 1)
        if direction > 0 and self.sentences[index].end <= offset:
            index = min(index + 1, len(self.sentences) - 1)
        self._move_to_sentence(index)

    def action_page_down(self) -> None:
        """Select the sentence a screen further down."""
        self._page(+1)

    def action_page_up(self) -> None:
        """Select the sentence a screen further up."""
        self._page(-1)

    def action_tag(self, tag: str) -> None:
        """Ask the app to tag the selection with ``tag``."""
        if self.selection is not None:
            self.post_message(self.TagRequested(self.selection, tag))

    def action_remove_annotation(self) -> None:
        """Ask the app to remove the annotation under the selection."""
        if self.selection is not None:
            self.post_message(self.RemoveRequested(self.selection))

    # ----------------------------------------------------------------- rendering

    def render_line(self, y: int) -> Strip:
        scroll_y = int(self.scroll_offset.y)
        line = scroll_y + y
        strip = self._cache.get(line)
        if strip is None:
            strip = self._render_visual_line(line)
            self._cache[line] = strip
        return strip

    def _render_visual_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if self._index is None or y >= len(self._index):
            return Strip.blank(width, base)
        start, end = self._index.lines[y]
        text = Text(self._display[start:end], style=base, end="", no_wrap=True)
        line_span = Span(start, max(start, end))

        def paint(span: Span, style: Style) -> None:
            s, e = max(span.start, start), min(span.end, end)
            if s < e:
                text.stylize(style, s - start, e - start)

        boilerplate_style = self.get_component_rich_style("reader--boilerplate", partial=True)
        for span in self._boilerplate:
            if span.start < end and start < span.end:
                paint(span, boilerplate_style)
        placeholder_style = self.get_component_rich_style("reader--placeholder", partial=True)
        for offset, char in enumerate(self._display[start:end], start):
            if "\u2400" <= char <= "\u2426" or char == "\ufffd":
                paint(Span(offset, offset + 1), placeholder_style)

        covering = [a for a in self.annotations if a.start < max(end, start + 1) and start < a.end]
        # Outer (longer) annotations first, so the innermost tag's colour wins; where two or
        # more overlap, the text is also underlined so the nesting shows without colour.
        for annotation in sorted(covering, key=lambda a: (a.start - a.end, a.start)):
            style = self._tag_styles.get(annotation.tag, Style(reverse=True))
            paint(annotation.span, style)
        if len(covering) > 1:
            for i, a in enumerate(covering):
                for b in covering[i + 1 :]:
                    if a.span.overlaps(b.span):
                        paint(Span(max(a.start, b.start), min(a.end, b.end)),
                              Style(underline=True))
        if self.selection is not None and self.selection.overlaps(line_span):
            paint(self.selection, self.get_component_rich_style("reader--selection",
                                                                partial=True))

        gutter = self._gutter(covering, base)
        if text.cell_len > width - GUTTER:
            # Only boilerplate lines are longer than the width (they are not wrapped).
            text.truncate(width - GUTTER, overflow="ellipsis")
        segments = [*gutter.render(self.app.console), *text.render(self.app.console)]
        strip = Strip(segments).crop_extend(0, width, base)
        return strip.simplify()

    def _gutter(self, covering: list[Annotation], base: Style) -> Text:
        """Tag markers for the line: one letter per tag present, ``+`` when more than fit."""
        gutter_style = base + self.get_component_rich_style("reader--gutter", partial=True)
        names: list[str] = []
        for annotation in sorted(covering, key=lambda a: (a.start, a.end)):
            if annotation.tag not in names:
                names.append(annotation.tag)
        markers = Text(style=gutter_style, end="")
        by_name = {tag.name: tag for tag in self.tags}
        for name in names[:GUTTER - 1] if len(names) > GUTTER else names[:GUTTER]:
            tag = by_name.get(name)
            marker = tag.marker if tag else "?"
            markers.append(marker, self._tag_styles.get(name, Style()) + Style(bold=True))
        if len(names) > GUTTER:
            markers.append("+", Style(bold=True))
        markers.pad_right(GUTTER - markers.cell_len)
        return markers

    def line_segments(self, y: int) -> list[Segment]:
        """The segments of visual line ``y`` (for tests and screenshots)."""
        return list(self._render_visual_line(y))


def _tag_style(colour: str) -> Style:
    """A tag's style: its colour as the background, with readable black text."""
    return Style(bgcolor=colour, color="black")
