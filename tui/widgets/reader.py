"""The reader: an article as wrapped lines, a sentence cursor, and tagged passages in colour.

Built on Textual's Line API (as toolong's log view is): only the visible lines are rendered, each
from a ``(start, end)`` range of the normalised text kept in a :class:`~tui.layout.LineIndex`,
so a keypress repaints just the lines it changes. The text is never parsed as markup and control
characters are swapped for visible placeholders (:func:`tui.layout.display_text`).
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..editing import annotation_under, shorten
from ..keys import KEYS, tag_keys
from ..layout import LineIndex, display_text
from ..model import Annotation, Article, Span, TagDef
from ..sentences import paragraph_spans, sentence_spans, word_spans

#: Columns on the left of each line for tag markers (readable without colour).
GUTTER = 2

#: Lines of context kept above and below the selection when scrolling to it.
SCROLL_MARGIN = 2
#: Annotations longer than this (code points) are checked on every line instead of being found
#: by bisection (which looks this far back).
_LONG_ANNOTATION = 4096
#: A change of more annotations than this repaints the whole reader rather than line by line.
_REPAINT_ALL_ABOVE = 64


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
        "reader--match",
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
        color: $text-muted;
        text-style: italic dim;
    }
    Reader > .reader--gutter {
        color: $text-muted;
    }
    Reader > .reader--placeholder {
        color: $text-muted;
    }
    Reader > .reader--match {
        background: $warning 60%;
        text-style: bold underline;
    }
    """

    class TagRequested(Message):
        """The user asked to tag (or untag, if it is already tagged) ``span`` with ``tag``."""

        def __init__(self, span: Span, tag: str, article_id: str | None = None) -> None:
            super().__init__()
            self.span = span
            self.tag = tag
            self.article_id = article_id
            """The article the span is in (the app may have opened another meanwhile)."""

    class RemoveRequested(Message):
        """The user asked to remove the annotation under ``span``."""

        def __init__(self, span: Span, article_id: str | None = None) -> None:
            super().__init__()
            self.span = span
            self.article_id = article_id

    # Which annotation a note, retag or resize request means is decided by the app when it
    # handles the request (``annotation_here()`` / ``active_id`` then), not when the key was
    # pressed: a tag typed just before may still be queued.

    class NoteRequested(Message):
        """The user asked to edit the note of the annotation under ``span`` (or of the next tag)."""

        def __init__(self, span: Span) -> None:
            super().__init__()
            self.span = span

    class RetagRequested(Message):
        """The user asked to change the tag of the annotation under ``span``."""

        def __init__(self, span: Span) -> None:
            super().__init__()
            self.span = span

    class ResizeRequested(Message):
        """The user asked to fit the active annotation to ``span``."""

        def __init__(self, span: Span, article_id: str | None = None) -> None:
            super().__init__()
            self.span = span
            self.article_id = article_id

    class SearchRequested(Message):
        """The user pressed the search key."""

    class Notice(Message):
        """Something to tell the user on the status line (not an error)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class SelectionChanged(Message):
        """The selection moved; ``span`` is None when nothing can be selected."""

        def __init__(self, span: Span | None) -> None:
            super().__init__()
            self.span = span

    def __init__(self, tags: Sequence[TagDef], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tags = tuple(tags)
        self.article: Article | None = None
        self._annotations: list[Annotation] = []
        self._by_start: list[Annotation] = []
        self._annotation_starts: list[int] = []
        self._long_annotations: list[Annotation] = []
        self._annotations_by_id: dict[str, Annotation] = {}
        self.orphans: list[Annotation] = []
        self.sentences: list[Span] = []
        self._sentence_starts: list[int] = []
        self.selection: Span | None = None
        self._display = ""
        self._index: LineIndex | None = None
        self._cache: dict[int, Strip] = {}
        self._tag_styles: dict[str, Style] = {}
        self._boilerplate: tuple[Span, ...] = ()
        self._boilerplate_starts: list[int] = []
        self.active_id: str | None = None
        """The annotation last picked (clicked, jumped to): the one ``=``, ``e``, ``r`` mean."""
        self.search_term = ""
        self.matches: list[Span] = []
        self._match_starts: list[int] = []
        self._match_ends: list[int] = []
        self._drag_origin: int | None = None
        self._dragged = False
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
        no_color = monochrome()
        self._tag_styles = {
            tag.name: tag_style(tag.colour, index, no_color=no_color)
            for index, tag in enumerate(self.tags)
        }
        self._invalidate()

    def show_article(self, article: Article | None, annotations: Sequence[Annotation]) -> None:
        """Show ``article`` from its first sentence, with ``annotations`` coloured."""
        self.article = article
        self.annotations = list(annotations)
        text = article.text if article else ""
        self._display = display_text(text)
        self._boilerplate = article.boilerplate if article else ()
        self._boilerplate_starts = [span.start for span in self._boilerplate]
        self.sentences = sentence_spans(text, self._boilerplate) if article else []
        self._sentence_starts = [span.start for span in self.sentences]
        self.selection = self.sentences[0] if self.sentences else None
        self.active_id = None
        self.search_term = ""
        self._set_matches([])
        self._index = None
        self._relayout()
        self.scroll_to(0, 0, animate=False)
        self.post_message(self.SelectionChanged(self.selection))

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Replace the annotations shown (after a change in the store), repainting only the
        lines of the annotations that changed."""
        old = self._annotations_by_id
        self.annotations = list(annotations)
        new = self._annotations_by_id
        if self.active_id is not None and self.annotation(self.active_id) is None:
            self.active_id = None
        # Identity first: after a tag, all but one are the very objects shown before.
        changed = [a for key, a in old.items() if (b := new.get(key)) is not a and b != a]
        changed += [a for key, a in new.items() if (b := old.get(key)) is not a and b != a]
        if len(changed) > _REPAINT_ALL_ABOVE or self._index is None:
            self._invalidate()
            return
        for annotation in changed:
            self._refresh_span(annotation.span)

    @property
    def annotations(self) -> list[Annotation]:
        """The annotations shown (in the order given)."""
        return self._annotations

    @annotations.setter
    def annotations(self, annotations: Sequence[Annotation]) -> None:
        # Indexed by start, so that a line looks only at the annotations that can reach it: a
        # keypress in an article holding 1 000 tags repaints a few lines, each in microseconds.
        # Orphans (their passage is no longer in the text) are kept aside, never drawn.
        everything = list(annotations)
        self._annotations = [a for a in everything if a.anchor != "orphan"]
        self.orphans = [a for a in everything if a.anchor == "orphan"]
        self._annotations_by_id = {a.id: a for a in everything}
        short = [a for a in self._annotations if a.end - a.start <= _LONG_ANNOTATION]
        self._by_start = sorted(short, key=lambda a: a.start)
        self._annotation_starts = [a.start for a in self._by_start]
        self._long_annotations = [
            a for a in self._annotations if a.end - a.start > _LONG_ANNOTATION
        ]

    def _covering(self, start: int, end: int) -> list[Annotation]:
        """The annotations that touch ``[start, end)`` (or the offset ``start`` if empty), in the
        order of :attr:`annotations` among equal starts."""
        stop = max(end, start + 1)
        low = bisect_left(self._annotation_starts, start - _LONG_ANNOTATION)
        high = bisect_left(self._annotation_starts, stop)
        found = [a for a in self._by_start[low:high] if start < a.end]
        if self._long_annotations:
            found += [a for a in self._long_annotations if a.start < stop and start < a.end]
            order = {a.id: number for number, a in enumerate(self._annotations)}
            found.sort(key=lambda a: (a.start, order[a.id]))
        return found

    @property
    def all_annotations(self) -> list[Annotation]:
        """The placed annotations and the orphans."""
        return [*self.annotations, *self.orphans]

    def annotation(self, annotation_id: str | None) -> Annotation | None:
        """The shown annotation with this id, if any."""
        if annotation_id is None:
            return None
        return self._annotations_by_id.get(annotation_id)

    def annotation_here(self) -> Annotation | None:
        """The annotation the selection means: the active one if the selection touches it,
        else the one exactly selected, else the innermost one holding the selection's start."""
        if self.selection is None:
            return None
        active = self.annotation(self.active_id)
        if active is not None and active.span.overlaps(self.selection):
            return active
        return annotation_under(self.annotations, self.selection)

    # ----------------------------------------------------------------- layout

    @property
    def _text_width(self) -> int:
        return max(10, self.scrollable_content_region.width - GUTTER)

    def _relayout(self) -> None:
        if not self.scrollable_content_region.width:
            # Not laid out yet (the first article is shown from on_mount): the first resize
            # wraps it at the real width. Wrapping at the 10-column fallback first cost more
            # than the real wrap (a 1 MB article: 120 000 lines).
            return
        width = self._text_width
        if self._index is None or self._index.width != width:
            self._index = LineIndex(
                self._display, width, [(span.start, span.end) for span in self._boilerplate]
            )
        self._set_virtual_size(Size(width + GUTTER, len(self._index)))
        self._invalidate()

    def _set_virtual_size(self, size: Size) -> None:
        """Set the virtual size, without a layout pass when the scrollbars stay as they are.

        ``virtual_size`` is a layout reactive: setting it re-lays out and repaints the whole
        screen (most of the cost of previewing an article while scrolling the list). The
        reader's own region does not change with its content, so when the scrollbars keep
        their visibility, updating them (what the layout pass would do for a ScrollView) is
        enough.
        """
        if size == self.virtual_size:
            return
        shown = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        self.set_reactive(Reader.virtual_size, size)
        self._refresh_scrollbars()
        if (self.show_vertical_scrollbar, self.show_horizontal_scrollbar) != shown:
            self.refresh(layout=True)  # a scrollbar comes or goes: the layout must know
            return
        self._scroll_update(size)

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
        # refresh_lines takes virtual lines (it subtracts the scroll offset itself).
        self.refresh_lines(first, last - first + 1)

    def scroll_to_selection(self, animate: bool = False) -> None:
        """Scroll as little as keeps the selection in view with a few lines of context around
        it (its first line, if it cannot all fit)."""
        if self.selection is None or self._index is None:
            return
        first = self._index.line_of(self.selection.start)
        last = self._index.line_of(max(self.selection.start, self.selection.end - 1))
        height = max(1, self.scrollable_content_region.height)
        # Context lines kept above and below the selection, as far as the screen allows.
        margin = max(0, min(SCROLL_MARGIN, (height - (last - first + 1)) // 2))
        top = int(self.scroll_offset.y)
        if first - margin < top:
            top = first - margin
        elif last + margin >= top + height:
            top = last + margin - height + 1 if last - first < height else first
        top = max(0, min(top, len(self._index) - height)) if len(self._index) > height else 0
        if top != int(self.scroll_offset.y):
            self.scroll_to(y=top, animate=animate, immediate=True)

    def _move_to_sentence(self, index: int) -> None:
        if not self.sentences:
            return
        index = max(0, min(index, len(self.sentences) - 1))
        self.active_id = None
        self.select(self.sentences[index])

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence holding ``offset``, else the next one, else the last."""
        if not self.sentences:
            return None
        index = max(0, bisect_right(self._sentence_starts, offset) - 1)
        if self.sentences[index].end <= offset and index + 1 < len(self.sentences):
            index += 1
        return self.sentences[index]

    def crosses_boilerplate(self, span: Span) -> bool:
        """True if ``span`` holds any character of a boilerplate line."""
        index = bisect_right(self._boilerplate_starts, span.end) - 1
        while index >= 0:
            junk = self._boilerplate[index]
            if junk.end <= span.start:
                return False
            if junk.overlaps(span):
                return True
            index -= 1
        return False

    def _try_select(self, span: Span, refusal: str) -> None:
        if span.start >= span.end:
            return
        if self.crosses_boilerplate(span):
            self.post_message(self.Notice(refusal))
            return
        self.select(span)

    # ----------------------------------------------------------------- growing and trimming

    def action_grow_selection(self) -> None:
        """Extend the selection to the end of the next sentence."""
        if self.selection is None:
            return
        index = bisect_left(self._sentence_starts, self.selection.end)
        if index >= len(self.sentences):
            self.post_message(self.Notice("The selection already reaches the last sentence."))
            return
        self._try_select(Span(self.selection.start, self.sentences[index].end),
                         "A selection cannot take in boilerplate (dimmed lines).")

    def action_shrink_selection(self) -> None:
        """Take the last sentence off the selection (it keeps at least one)."""
        if self.selection is None:
            return
        last = bisect_left(self._sentence_starts, self.selection.end) - 1
        if last <= 0 or self.sentences[last].start <= self.selection.start:
            self.post_message(self.Notice("The selection is one sentence: trim words with { }."))
            return
        previous = self.sentences[last - 1]
        if previous.end <= self.selection.start:
            return
        self.select(Span(self.selection.start, previous.end))

    def _words_near(self, offset: int, reach: int = 400) -> list[Span]:
        text = self.article.text if self.article else ""
        window = Span(max(0, offset - reach), min(len(text), offset + reach))
        return word_spans(text, window)

    def action_move_start(self, direction: int) -> None:
        """Move the selection's start one word earlier (-1) or later (+1)."""
        if self.selection is None:
            return
        start, end = self.selection.start, self.selection.end
        words = self._words_near(start)
        if direction < 0:
            earlier = [w for w in words if w.start < start]
            if not earlier:
                return
            self._try_select(Span(earlier[-1].start, end),
                             "The selection cannot start in boilerplate.")
        else:
            later = [w for w in words if w.start > start and w.start < end]
            if not later:
                self.post_message(self.Notice("The selection is down to one word."))
                return
            self.select(Span(later[0].start, end))

    def action_move_end(self, direction: int) -> None:
        """Move the selection's end one word earlier (-1) or later (+1)."""
        if self.selection is None:
            return
        start, end = self.selection.start, self.selection.end
        words = self._words_near(end)
        if direction < 0:
            earlier = [w for w in words if w.end < end and w.end > start]
            if not earlier:
                self.post_message(self.Notice("The selection is down to one word."))
                return
            self.select(Span(start, earlier[-1].end))
        else:
            later = [w for w in words if w.end > end]
            if not later:
                return
            self._try_select(Span(start, later[0].end),
                             "The selection cannot end in boilerplate.")

    def action_reset_selection(self) -> None:
        """Clear the search, or go back to the sentence the selection starts in."""
        if self.matches:
            self.clear_search()
            self.post_message(self.Notice("Search cleared."))
            return
        if self.selection is None:
            return
        sentence = self.sentence_at(self.selection.start)
        self.active_id = None
        if sentence is not None:
            self.select(sentence)

    # ----------------------------------------------------------------- searching

    def search(self, term: str) -> int:
        """Highlight every case-insensitive literal match of ``term``; select the first at or
        after the selection. Returns the number of matches."""
        self.search_term = term
        text = self.article.text if self.article else ""
        self._set_matches([
            Span(m.start(), m.end())
            for m in re.finditer(re.escape(term), text, re.IGNORECASE)
        ] if term else [])
        self._invalidate()
        if self.matches:
            origin = self.selection.start if self.selection else 0
            index = bisect_left(self._match_starts, origin)
            self._select_match(index % len(self.matches))
        return len(self.matches)

    def clear_search(self) -> None:
        """Forget the search and its highlights."""
        self.search_term = ""
        self._set_matches([])
        self._invalidate()

    def _set_matches(self, matches: list[Span]) -> None:
        # Kept with their starts and ends, so that n / N and each painted line bisect them.
        self.matches = matches
        self._match_starts = [m.start for m in matches]
        self._match_ends = [m.end for m in matches]

    def _select_match(self, index: int) -> None:
        self.active_id = None
        match = self.matches[index]
        self.select(match)
        self.post_message(
            self.Notice(f"Match {index + 1} of {len(self.matches)} for “{self.search_term}”.")
        )

    def _step_match(self, direction: int) -> None:
        if not self.matches:
            self.post_message(self.Notice("No search: press / to search the article."))
            return
        origin = self.selection.start if self.selection else 0
        starts = self._match_starts
        if direction > 0:
            index = bisect_right(starts, origin) % len(starts)
        else:
            index = (bisect_left(starts, origin) - 1) % len(starts)
        self._select_match(index)

    def action_search(self) -> None:
        """Ask the app for a search term."""
        self.post_message(self.SearchRequested())

    def action_note_or_next_match(self) -> None:
        """The next match while a search is shown; otherwise edit the note here."""
        if self.matches:
            self._step_match(+1)
        else:
            self.action_edit_note()

    def action_previous_match(self) -> None:
        """The previous match of the search."""
        self._step_match(-1)

    # ----------------------------------------------------------------- jumping

    def action_next_annotation(self) -> None:
        """Select the next annotation in text order."""
        self._jump_annotation(+1)

    def action_previous_annotation(self) -> None:
        """Select the previous annotation in text order."""
        self._jump_annotation(-1)

    def _jump_annotation(self, direction: int) -> None:
        from ..model import sort_key

        ordered = sorted(self.annotations, key=sort_key)
        if not ordered:
            self.post_message(self.Notice("No tags in this article yet."))
            return
        current = self.annotation(self.active_id)
        keys = [sort_key(a) for a in ordered]
        if current is not None:
            position = keys.index(sort_key(current))
            index = position + direction
        else:
            origin = self.selection.start if self.selection else 0
            probe = (origin, 1, "", "") if direction > 0 else (origin, -(10**12), "", "")
            index = bisect_right(keys, probe) if direction > 0 else bisect_left(keys, probe) - 1
        if not 0 <= index < len(ordered):
            self.post_message(self.Notice("No more tags that way."))
            return
        self.pick(ordered[index])

    def pick(self, annotation: Annotation) -> None:
        """Make ``annotation`` the active one and select its passage."""
        self.active_id = annotation.id
        self.select(annotation.span)
        self.post_message(self.Notice(f"{annotation.tag}: “{shorten(annotation.text)}”"
                                      + (f" — note: {annotation.note}" if annotation.note
                                         else "")))

    def _untagged_paragraphs(self) -> list[Span]:
        text = self.article.text if self.article else ""
        return [
            p for p in paragraph_spans(text, self._boilerplate)
            if not any(a.span.overlaps(p) for a in self.annotations)
        ]

    def action_next_untagged(self) -> None:
        """Select the first sentence of the next paragraph that holds no tag."""
        origin = self.selection.end if self.selection else 0
        for paragraph in self._untagged_paragraphs():
            if paragraph.start >= origin:
                return self._select_paragraph_start(paragraph)
        self.post_message(self.Notice("No untagged paragraph below."))

    def action_previous_untagged(self) -> None:
        """Select the first sentence of the previous paragraph that holds no tag."""
        origin = self.selection.start if self.selection else 0
        for paragraph in reversed(self._untagged_paragraphs()):
            if paragraph.end <= origin:
                return self._select_paragraph_start(paragraph)
        self.post_message(self.Notice("No untagged paragraph above."))

    def _select_paragraph_start(self, paragraph: Span) -> None:
        sentence = self.sentence_at(paragraph.start)
        self.active_id = None
        self.select(sentence or paragraph)

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

    @property
    def _article_id(self) -> str | None:
        return self.article.id if self.article is not None else None

    def action_tag(self, tag: str) -> None:
        """Ask the app to tag the selection with ``tag``."""
        if self.selection is not None:
            self.post_message(self.TagRequested(self.selection, tag, self._article_id))

    def action_remove_annotation(self) -> None:
        """Ask the app to remove the annotation under the selection."""
        if self.selection is not None:
            self.post_message(self.RemoveRequested(self.selection, self._article_id))

    def action_edit_note(self) -> None:
        """Ask the app to edit the note of the annotation here (or of the next tag)."""
        if self.selection is not None:
            self.post_message(self.NoteRequested(self.selection))

    def action_retag(self) -> None:
        """Ask the app to change the tag of the annotation here."""
        if self.selection is not None:
            self.post_message(self.RetagRequested(self.selection))

    def action_resize(self) -> None:
        """Ask the app to fit the active annotation to the selection."""
        if self.selection is not None:
            self.post_message(self.ResizeRequested(self.selection, self._article_id))

    # ----------------------------------------------------------------- the mouse

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        if self._index is None or self.article is None:
            return None
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        y = offset.y + int(self.scroll_offset.y)
        if y >= len(self._index):
            return None
        return self._index.offset_at(y, max(0, offset.x - GUTTER), self._display)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at(event)
        if offset is None:
            return
        self.focus()
        self._drag_origin = offset
        self._dragged = False
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_origin is None or not event.button:
            return
        offset = self._offset_at(event)
        if offset is None or offset == self._drag_origin:
            return
        self._dragged = True
        low, high = sorted((self._drag_origin, offset))
        words = word_spans(self.article.text if self.article else "", Span(low, high + 1))
        if words:
            span = Span(words[0].start, words[-1].end)
            if not self.crosses_boilerplate(span) and span != self.selection:
                self.active_id = None
                self.select(span, scroll=False)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_origin is None:
            return
        origin, self._drag_origin = self._drag_origin, None
        self.release_mouse()
        if self._dragged:
            return
        holding = [a for a in self.annotations if a.start <= origin < a.end]
        if holding:
            self.pick(min(holding, key=lambda a: (a.end - a.start, a.start)))
            return
        sentence = self.sentence_at(origin)
        if sentence is not None and sentence.start <= origin < sentence.end:
            self.active_id = None
            self.select(sentence)

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
        text = Text(self._display[start:end], end="", no_wrap=True)
        line_span = Span(start, max(start, end))

        def paint(span: Span, style: Style) -> None:
            s, e = max(span.start, start), min(span.end, end)
            if s < e:
                text.stylize(style, s - start, e - start)

        boilerplate_style = self.get_component_rich_style("reader--boilerplate", partial=True)
        # Boilerplate spans are whole lines, sorted: only the last starting at or before this
        # line (and the next) can touch it.
        first_junk = max(0, bisect_right(self._boilerplate_starts, start) - 1)
        for span in self._boilerplate[first_junk : first_junk + 2]:
            if span.start < end and start < span.end:
                paint(span, boilerplate_style)
        placeholder_style = self.get_component_rich_style("reader--placeholder", partial=True)
        for offset, char in enumerate(self._display[start:end], start):
            if "\u2400" <= char <= "\u2426" or char == "\ufffd":
                paint(Span(offset, offset + 1), placeholder_style)

        covering = self._covering(start, end)
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
        if self.matches:
            match_style = self.get_component_rich_style("reader--match", partial=True)
            first = bisect_left(self._match_ends, start + 1)
            for match in self.matches[first:]:
                if match.start >= max(end, start + 1):
                    break
                paint(match, match_style)
        if self.selection is not None and self.selection.overlaps(line_span):
            paint(self.selection, self.get_component_rich_style("reader--selection",
                                                                partial=True))

        gutter = self._gutter(covering)
        if text.cell_len > width - GUTTER:
            # A wrapped line may end in a space just past the edge: drop it, not the last letter.
            text.rstrip_end(width - GUTTER)
        if text.cell_len > width - GUTTER:
            # Only boilerplate lines are longer than the width (they are not wrapped).
            text.truncate(width - GUTTER, overflow="ellipsis")
        segments = [*gutter.render(self.app.console), *text.render(self.app.console)]
        # The widget's colours go under every cell, the spans' styles on top of them.
        strip = Strip(segments).crop_extend(0, width, None).apply_style(base)
        return strip.simplify()

    def _gutter(self, covering: list[Annotation]) -> Text:
        """Tag markers for the line: one letter per tag present, ``+`` when more than fit."""
        gutter_style = self.get_component_rich_style("reader--gutter", partial=True)
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


#: With ``NO_COLOR`` the colours turn to greys of about the same shade: each tag also gets a
#: text style of its own (the gutter letters tell them apart too). Underline also marks overlaps.
MONO_STYLES = (
    Style(bold=True), Style(italic=True), Style(bold=True, italic=True), Style(underline=True)
)


#: Terminals that show no colour (their TERM): tags are told apart by style there too.
MONOCHROME_TERMS = frozenset({"vt100", "vt102", "vt220", "vt320", "xterm-mono", "linux-m"})


def monochrome() -> bool:
    """True when colour cannot tell tags apart: ``NO_COLOR`` is set (even empty, as Textual
    decides it) or ``TERM`` names a monochrome terminal."""
    term = os.environ.get("TERM", "")
    return ("NO_COLOR" in os.environ or term in MONOCHROME_TERMS
            or term.endswith(("-mono", "-m")))


def tag_style(colour: str, index: int = 0, *, no_color: bool = False) -> Style:
    """The style of the ``index``-th tag: its colour as the background, with readable black
    text; with ``no_color``, also a text style that tells it apart without colour."""
    style = Style(bgcolor=colour, color="black")
    if no_color:
        style += MONO_STYLES[index % len(MONO_STYLES)]
    return style
