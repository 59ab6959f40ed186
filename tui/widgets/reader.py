"""The reader: an article as wrapped lines, a sentence cursor, and tagged passages in colour.

Built on Textual's Line API (as toolong's log view is): only the visible lines are rendered, each
from a ``(start, end)`` range of the normalised text kept in a :class:`~tui.layout.LineIndex`,
so a keypress repaints just the lines it changes. The text is never parsed as markup and control
characters are swapped for visible placeholders (:func:`tui.layout.display_text`).

The reader is a view. It owns what it shows: the wrapped text, the selection, the search matches
and the annotation last picked (:attr:`active_id`). It is told which annotations to colour
(:meth:`show_article`, :meth:`set_annotations`) and which suggestions to mark
(:meth:`set_suggestions`: the session decides which are shown). What a tag key does is the
app's: the key table binds it to an app action that reads :attr:`selection`. What the reader
has to say for the status line it sets on its :attr:`notice` reactive, which the app watches.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..bindings import bindings
from ..editing import shorten
from ..layout import LineIndex, display_text
from ..model import Annotation, Article, Span, sort_key
from ..sentences import paragraph_spans, sentence_spans, trim_units, word_spans
from ..styles import Looks

if TYPE_CHECKING:
    from ..suggest import Suggestion

#: Columns on the left of each line: tag letters (readable without colour), then a blank.
GUTTER = 3
#: Of those, how many hold letters (a ``+`` says there are more tags than fit).
MARKERS = 2

#: Lines of context kept above and below the selection when scrolling to it.
SCROLL_MARGIN = 2
#: Annotations longer than this (code points) are checked on every line instead of being found
#: by bisection (which looks this far back).
_LONG_ANNOTATION = 4096
#: A change of more annotations than this repaints the whole reader rather than line by line.
_REPAINT_ALL_ABOVE = 64

_numbers = count(1)


@dataclass(frozen=True)
class Notice:
    """Something the reader says for the status line. Each is new (``number``), so saying the
    same words twice still tells the watcher."""

    text: str
    number: int = 0

    @classmethod
    def of(cls, text: str) -> Notice:
        return cls(text, next(_numbers))


class Reader(ScrollView, can_focus=True):
    """Shows one article; moves a selection sentence by sentence; colours tagged passages."""

    BINDINGS = bindings("reader")

    COMPONENT_CLASSES = {
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
    Reader > .reader--gutter {
        color: $text-muted;
    }
    Reader > .reader--placeholder {
        color: $text-muted;
    }
    """

    notice: var[Notice | None] = var(None, init=False)
    """The last thing the reader had to say (a move that could not be made, a picked tag)."""

    def __init__(self, looks: Looks, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.looks = looks
        self.article: Article | None = None
        self._annotations: list[Annotation] = []
        self._by_start: list[Annotation] = []
        self._annotation_starts: list[int] = []
        self._long_annotations: list[Annotation] = []
        self._annotations_by_id: dict[str, Annotation] = {}
        self.sentences: list[Span] = []
        self._sentence_starts: list[int] = []
        self.selection: Span | None = None
        self._display = ""
        self._index: LineIndex | None = None
        self._cache: dict[int, Strip] = {}
        self._boilerplate: tuple[Span, ...] = ()
        self._boilerplate_starts: list[int] = []
        self._markup: tuple[Span, ...] = ()
        self._markup_starts: list[int] = []
        self._plain = ""
        self.active_id: str | None = None
        """The annotation last picked (clicked, jumped to): the one ``=``, ``e``, ``r`` mean."""
        self.search_term = ""
        self.matches: list[Span] = []
        self._match_starts: list[int] = []
        self._match_ends: list[int] = []
        self._drag_origin: int | None = None
        self._dragged = False
        self.owner: str | None = None
        """Whose tags are one's own (filled) when several annotators' are shown; None: every
        tag shown is drawn as one's own."""
        self.initials: dict[str, str] = {}
        """Annotator → initial: the gutter shows initials rather than tag letters."""
        self._suggestions: list[Suggestion] = []
        self._suggestion_starts: list[int] = []
        self._long_suggestions: list[Suggestion] = []
        self._suggestion_reach = 0
        self._suggestion_keys: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        # A theme changes the colours of every line, not only of those painted next.
        self.watch(self.app, "theme", self._invalidate, init=False)

    def say(self, text: str) -> None:
        """Tell the status line ``text``."""
        self.notice = Notice.of(text)

    # ----------------------------------------------------------------- state from the app

    def set_view(self, owner: str | None, initials: dict[str, str]) -> None:
        """Draw ``owner``'s tags as one's own and the others' as another annotator's
        (:meth:`Looks.other`), with the annotators' ``initials`` in the gutter."""
        if (owner, initials) != (self.owner, self.initials):
            self.owner, self.initials = owner, dict(initials)
            self._invalidate()

    def _is_other(self, annotation: Annotation) -> bool:
        owner = self.owner
        return owner is not None and bool(annotation.annotator) and annotation.annotator != owner

    def set_looks(self, looks: Looks) -> None:
        """Draw tags with ``looks`` from now on."""
        self.looks = looks
        self._invalidate()

    def show_article(self, article: Article | None, annotations: Sequence[Annotation]) -> None:
        """Show ``article`` from its first sentence, with ``annotations`` coloured."""
        self.article = article
        self.annotations = list(annotations)
        text = article.text if article else ""
        self._display = display_text(text)
        self._boilerplate = article.boilerplate if article else ()
        self._boilerplate_starts = [span.start for span in self._boilerplate]
        self._markup = article.markup if article else ()
        self._markup_starts = [span.start for span in self._markup]
        # Sentences and words are found with markup blanked (Article.plain), so none starts or
        # ends on a Markdown mark; their offsets are the text's all the same.
        self._plain = article.plain if article else ""
        self.sentences = sentence_spans(self._plain, self._boilerplate) if article else []
        self._sentence_starts = [span.start for span in self.sentences]
        self.selection = self.sentences[0] if self.sentences else None
        self.active_id = None
        self.search_term = ""
        self._set_matches([])
        self._suggestions, self._suggestion_starts, self._long_suggestions = [], [], []
        self._suggestion_keys = []
        self._index = None
        self._relayout()
        self.scroll_to(0, 0, animate=False)

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        """Colour ``annotations`` (the article's, after a change), repainting only the lines of
        those that changed."""
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
    def suggestions(self) -> list[Suggestion]:
        """The suggestions marked, in text order."""
        return self._suggestions

    def set_suggestions(self, suggestions: Sequence[Suggestion],
                        changed: Sequence[tuple[Suggestion, bool]] | None = None) -> None:
        """Mark ``suggestions`` (the open article's, in text order), repainting only the lines
        of those that came or went. ``changed`` (each suggestion and whether it came or went,
        since the last call) lets the reader update its index by those alone: accepting one
        of 6 000 touches one entry."""
        if (changed is not None and self._index is not None and not self._long_suggestions
                and all(s.end - s.start <= _LONG_ANNOTATION for s, _ in changed)):
            keys, starts, shown = self._suggestion_keys, self._suggestion_starts, self._suggestions
            for suggestion, came in changed:
                key = (suggestion.start, -suggestion.end, suggestion.tag)
                if came:
                    index = bisect_right(keys, key)
                    keys.insert(index, key)
                    starts.insert(index, suggestion.start)
                    shown.insert(index, suggestion)
                    self._suggestion_reach = max(self._suggestion_reach,
                                                 suggestion.end - suggestion.start)
                else:
                    index = bisect_left(keys, key)
                    while index < len(shown) and shown[index] is not suggestion and (
                            keys[index] == key):
                        index += 1
                    if index < len(shown) and shown[index] is suggestion:
                        del keys[index], starts[index], shown[index]
            if len(changed) > _REPAINT_ALL_ABOVE:
                self._invalidate()
                return
            for suggestion, _ in changed:
                self._refresh_span(suggestion.span)
            return
        old = {id(s): s for s in self._suggestions}
        self._suggestions = [s for s in suggestions
                             if s.end - s.start <= _LONG_ANNOTATION]
        self._long_suggestions = [s for s in suggestions if s.end - s.start > _LONG_ANNOTATION]
        # How far back a suggestion touching a line can start (most are a sentence long).
        self._suggestion_reach = max((s.end - s.start for s in self._suggestions), default=0)
        if self._long_suggestions:
            self._suggestions = sorted([*self._suggestions, *self._long_suggestions],
                                       key=lambda s: s.start)
        self._suggestion_starts = [s.start for s in self._suggestions]
        self._suggestion_keys = [(s.start, -s.end, s.tag) for s in self._suggestions]
        new = {id(s): s for s in suggestions}
        gone = [s for key, s in old.items() if key not in new]
        gone += [s for key, s in new.items() if key not in old]
        if len(gone) > _REPAINT_ALL_ABOVE or self._index is None:
            self._invalidate()
            return
        for suggestion in gone:
            self._refresh_span(suggestion.span)

    def _suggested(self, start: int, end: int) -> list[Suggestion]:
        """The suggestions that touch ``[start, end)``."""
        if not self._suggestions:
            return []
        stop = max(end, start + 1)
        if self._long_suggestions:
            return [s for s in self._suggestions if s.start < stop and start < s.end]
        low = bisect_left(self._suggestion_starts, start - self._suggestion_reach)
        high = bisect_left(self._suggestion_starts, stop)
        return [s for s in self._suggestions[low:high] if start < s.end]

    @property
    def annotations(self) -> list[Annotation]:
        """The annotations coloured (orphans, whose passage left the text, are never drawn)."""
        return self._annotations

    @annotations.setter
    def annotations(self, annotations: Sequence[Annotation]) -> None:
        # Indexed by start, so that a line looks only at the annotations that can reach it: a
        # keypress in an article holding 1 000 tags repaints a few lines, each in microseconds.
        self._annotations = [a for a in annotations if a.anchor != "orphan"]
        self._annotations_by_id = {a.id: a for a in self._annotations}
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

    def annotation(self, annotation_id: str | None) -> Annotation | None:
        """The coloured annotation with this id, if any."""
        if annotation_id is None:
            return None
        return self._annotations_by_id.get(annotation_id)

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
            text = self._display
            # Whole boilerplate lines are not wrapped (junk should not push the article down);
            # a line that only starts with junk (a glued dateline) is prose and wraps.
            whole_lines = [
                (span.start, span.end) for span in self._boilerplate
                if (span.start == 0 or text[span.start - 1] == "\n")
                and (span.end == len(text) or text[span.end] == "\n")
            ]
            self._index = LineIndex(text, width, whole_lines)
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

    def select(self, span: Span | None, *, scroll: bool = True) -> None:
        """Make ``span`` the selection, repainting only the lines it leaves and enters."""
        old = self.selection
        self.selection = span
        self._refresh_span(old)
        self._refresh_span(span)
        if scroll:
            self.scroll_to_selection()

    def _refresh_span(self, span: Span | None) -> None:
        if span is None or self._index is None:
            return
        first = self._index.line_of(span.start)
        last = self._index.line_of(max(span.start, span.end - 1))
        for y in range(first, last + 1):
            self._cache.pop(y, None)
        # refresh_lines takes virtual lines (it subtracts the scroll offset itself).
        self.refresh_lines(first, last - first + 1)

    @property
    def _height(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def _scroll_top(self, top: int) -> None:
        """Scroll so that line ``top`` is the first shown (kept within the article)."""
        if self._index is None:
            return
        height = self._height
        top = max(0, min(top, len(self._index) - height)) if len(self._index) > height else 0
        if top != int(self.scroll_offset.y):
            self.scroll_to(y=top, animate=False, immediate=True)

    def scroll_to_selection(self, animate: bool = False) -> None:
        """Scroll as little as keeps the selection in view with a few lines of context around
        it (its first line, if it cannot all fit)."""
        if self.selection is None or self._index is None:
            return
        first = self._index.line_of(self.selection.start)
        last = self._index.line_of(max(self.selection.start, self.selection.end - 1))
        height = self._height
        # Context lines kept above and below the selection, as far as the screen allows.
        margin = max(0, min(SCROLL_MARGIN, (height - (last - first + 1)) // 2))
        top = int(self.scroll_offset.y)
        if first - margin < top:
            top = first - margin
        elif last + margin >= top + height:
            top = last + margin - height + 1 if last - first < height else first
        self._scroll_top(top)

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

    def _sentence_holding(self, offset: int) -> Span | None:
        """The sentence that holds ``offset`` (or ends at it), if any."""
        index = bisect_right(self._sentence_starts, offset) - 1
        if index < 0:
            return None
        sentence = self.sentences[index]
        return sentence if sentence.start <= offset <= sentence.end else None

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
            self.say(refusal)
            return
        self.select(span)

    # ----------------------------------------------------------------- growing and trimming

    def action_grow_selection(self) -> None:
        """Extend the selection to the end of the next sentence."""
        if self.selection is None:
            return
        index = bisect_left(self._sentence_starts, self.selection.end)
        if index >= len(self.sentences):
            self.say("The selection already reaches the last sentence.")
            return
        self._try_select(Span(self.selection.start, self.sentences[index].end),
                         "A selection cannot take in boilerplate (dimmed lines).")

    def action_shrink_selection(self) -> None:
        """Take the last sentence off the selection (it keeps at least one)."""
        if self.selection is None:
            return
        last = bisect_left(self._sentence_starts, self.selection.end) - 1
        if last <= 0 or self.sentences[last].start <= self.selection.start:
            self.say("The selection is one sentence: trim words with { }.")
            return
        previous = self.sentences[last - 1]
        if previous.end <= self.selection.start:
            return
        self.select(Span(self.selection.start, previous.end))

    def _units_near(self, offset: int, reach: int = 400) -> list[Span]:
        text = self._plain
        window = Span(max(0, offset - reach), min(len(text), offset + reach))
        return trim_units(text, window)

    def action_move_start(self, direction: int) -> None:
        """Move the selection's start one word earlier (-1) or later (+1), never out of the
        sentence it is in; a word keeps its quote marks and punctuation."""
        if self.selection is None:
            return
        start, end = self.selection.start, self.selection.end
        units = self._units_near(start)
        if direction < 0:
            sentence = self._sentence_holding(start)
            floor = sentence.start if sentence is not None else 0
            earlier = [u for u in units if u.start < start and u.start >= floor]
            if not earlier:
                self.say("The selection starts with its sentence: grow it with J.")
                return
            self._try_select(Span(earlier[-1].start, end),
                             "The selection cannot start in boilerplate.")
        else:
            later = [u for u in units if start < u.start < end]
            if not later:
                self.say("The selection is down to one word.")
                return
            self.select(Span(later[0].start, end))

    def action_move_end(self, direction: int) -> None:
        """Move the selection's end one word earlier (-1) or later (+1), never out of the
        sentence it is in; a word keeps its quote marks and punctuation."""
        if self.selection is None:
            return
        start, end = self.selection.start, self.selection.end
        units = self._units_near(end)
        if direction < 0:
            earlier = [u for u in units if start < u.end < end]
            if not earlier:
                self.say("The selection is down to one word.")
                return
            self.select(Span(start, earlier[-1].end))
        else:
            sentence = self._sentence_holding(max(start, end - 1))
            ceiling = sentence.end if sentence is not None else end
            later = [u for u in units if end < u.end <= ceiling]
            if not later:
                self.say("The selection ends with its sentence: grow it with J.")
                return
            self._try_select(Span(start, later[0].end),
                             "The selection cannot end in boilerplate.")

    def action_reset_selection(self) -> None:
        """Clear the search, or go back to the sentence the selection starts in."""
        if self.matches:
            self.clear_search()
            self.say("Search cleared.")
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
        self.say(f"Match {index + 1} of {len(self.matches)} for “{self.search_term}”.")

    def step_match(self, direction: int) -> None:
        """Select the next (+1) or previous (-1) match, round the end of the article."""
        if not self.matches:
            self.say("No search: press / to search the article.")
            return
        origin = self.selection.start if self.selection else 0
        starts = self._match_starts
        if direction > 0:
            index = bisect_right(starts, origin) % len(starts)
        else:
            index = (bisect_left(starts, origin) - 1) % len(starts)
        self._select_match(index)

    def action_previous_match(self) -> None:
        """The previous match of the search."""
        self.step_match(-1)

    # ----------------------------------------------------------------- jumping

    def action_next_annotation(self) -> None:
        """Select the next annotation in text order."""
        self._jump_annotation(+1)

    def action_previous_annotation(self) -> None:
        """Select the previous annotation in text order."""
        self._jump_annotation(-1)

    def _jump_annotation(self, direction: int) -> None:
        ordered = sorted(self.annotations, key=sort_key)
        if not ordered:
            self.say("No tags in this article yet.")
            return
        current = self.annotation(self.active_id)
        keys = [sort_key(a) for a in ordered]
        if current is not None:
            index = keys.index(sort_key(current)) + direction
        else:
            origin = self.selection.start if self.selection else 0
            probe = (origin, 1, "", "") if direction > 0 else (origin, -(10**12), "", "")
            index = bisect_right(keys, probe) if direction > 0 else bisect_left(keys, probe) - 1
        if not 0 <= index < len(ordered):
            self.say("No more tags that way.")
            return
        self.pick(ordered[index])

    def pick(self, annotation: Annotation) -> None:
        """Make ``annotation`` the active one and select its passage."""
        self.active_id = annotation.id
        self.select(annotation.span)
        who = f"{annotation.annotator}'s (read-only) " if self._is_other(annotation) else ""
        self.say(f"{who}{annotation.tag}: “{shorten(annotation.text)}”"
                 + (f" — note: {annotation.note}" if annotation.note else ""))

    def _untagged_paragraphs(self) -> list[Span]:
        return [
            p for p in paragraph_spans(self._plain, self._boilerplate)
            if not any(a.span.overlaps(p) for a in self.annotations)
        ]

    def action_next_untagged(self) -> None:
        """Select the first sentence of the next paragraph that holds no tag."""
        origin = self.selection.end if self.selection else 0
        for paragraph in self._untagged_paragraphs():
            if paragraph.start >= origin:
                return self._select_paragraph_start(paragraph)
        self.say("No untagged paragraph below.")

    def action_previous_untagged(self) -> None:
        """Select the first sentence of the previous paragraph that holds no tag."""
        origin = self.selection.start if self.selection else 0
        for paragraph in reversed(self._untagged_paragraphs()):
            if paragraph.end <= origin:
                return self._select_paragraph_start(paragraph)
        self.say("No untagged paragraph above.")

    def _select_paragraph_start(self, paragraph: Span) -> None:
        sentence = self.sentence_at(paragraph.start)
        self.active_id = None
        self.select(sentence or paragraph)

    # ----------------------------------------------------------------- moving

    def action_next_sentence(self) -> None:
        """Select the next sentence; past the last, show the lines after it."""
        if self.selection is None:
            return self._move_to_sentence(0)
        # The first sentence starting at or after the selection's end.
        index = bisect_left(self._sentence_starts, self.selection.end)
        if index >= len(self.sentences):
            self._show_rest()
            return
        self._move_to_sentence(index)

    def action_previous_sentence(self) -> None:
        """Select the previous sentence."""
        if self.selection is None:
            return self._move_to_sentence(0)
        index = bisect_left(self._sentence_starts, self.selection.start) - 1
        self._move_to_sentence(max(index, 0))

    def action_first_sentence(self) -> None:
        """Select the first sentence (and show the article's first lines)."""
        self._move_to_sentence(0)
        self._scroll_top(0)

    def action_last_sentence(self) -> None:
        """Select the last sentence, and show the lines after it as far as the screen allows."""
        self._move_to_sentence(len(self.sentences) - 1)
        self._show_rest()

    def _show_rest(self) -> None:
        """Scroll towards the article's last line while the selection stays in view: the
        lines after the last sentence (a source link, a comment form) can be read."""
        if self._index is None or self.selection is None:
            return
        first = self._index.line_of(self.selection.start)
        top = max(int(self.scroll_offset.y), min(first, len(self._index) - self._height))
        if top == int(self.scroll_offset.y):
            self.say("The end of the article.")
        self._scroll_top(top)

    def _page(self, direction: int) -> None:
        if self._index is None or not self.sentences or self.selection is None:
            return
        height = max(1, self._height - 1)
        y = self._index.line_of(self.selection.start) + direction * height
        y = max(0, min(y, len(self._index) - 1))
        offset = self._index.lines[y][0]
        index = max(0, bisect_right(self._sentence_starts, offset) - 1)
        if direction > 0 and self.sentences[index].end <= offset:
            index = min(index + 1, len(self.sentences) - 1)
        if self.sentences[index] == self.selection:
            # No sentence further that way: scroll the lines that are left into view.
            if direction > 0:
                self._show_rest()
            else:
                self._scroll_top(0)
            return
        self._move_to_sentence(index)

    def action_page_down(self) -> None:
        """Select the sentence a screen further down."""
        self._page(+1)

    def action_page_up(self) -> None:
        """Select the sentence a screen further up."""
        self._page(-1)

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
        words = word_spans(self._plain, Span(low, high + 1))
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
        looks = self.looks

        def paint(span: Span, style: Style) -> None:
            s, e = max(span.start, start), min(span.end, end)
            if s < e:
                text.stylize(style, s - start, e - start)

        # Boilerplate and markup spans are sorted and do not overlap: only the last starting
        # at or before this line, and those starting on it, can touch it.
        for spans, starts, style in ((self._boilerplate, self._boilerplate_starts,
                                      looks.boilerplate),
                                     (self._markup, self._markup_starts, looks.markup)):
            first = max(0, bisect_right(starts, start) - 1)
            for span in spans[first : bisect_left(starts, max(end, start + 1))]:
                paint(span, style)
        placeholder_style = self.get_component_rich_style("reader--placeholder", partial=True)
        for offset, char in enumerate(self._display[start:end], start):
            if "\u2400" <= char <= "\u2426" or char == "\ufffd":
                paint(Span(offset, offset + 1), placeholder_style)

        covering = self._covering(start, end)
        suggested = self._suggested(start, end)
        # Suggestions first, and only where no tag is drawn: a tag is drawn over them (their
        # letters stay in the gutter).
        for suggestion in suggested:
            cursor = suggestion.start
            for annotation in sorted(covering, key=lambda a: a.start):
                if annotation.end <= cursor or annotation.start >= suggestion.end:
                    continue
                paint(Span(cursor, max(cursor, annotation.start)),
                      looks.suggestion(suggestion.tag))
                cursor = max(cursor, annotation.end)
            paint(Span(cursor, max(cursor, suggestion.end)), looks.suggestion(suggestion.tag))
        # Outer (longer) annotations first, so the innermost tag's colour wins; where two or
        # more overlap, the text is also underlined so the nesting shows without colour.
        # Others' tags (everyone's view) go under one's own, which are filled.
        if self.owner is None:
            for annotation in sorted(covering, key=lambda a: (a.start - a.end, a.start)):
                paint(annotation.span, looks.tag(annotation.tag))
        else:
            for annotation in sorted(covering, key=lambda a: (not self._is_other(a),
                                                              a.start - a.end, a.start,
                                                              a.annotator)):
                paint(annotation.span, looks.other(annotation.tag) if self._is_other(annotation)
                      else looks.tag(annotation.tag))
        if len(covering) > 1:
            for i, a in enumerate(covering):
                for b in covering[i + 1 :]:
                    # Nesting within one annotator's work (two people tagging the same
                    # passage is not an overlap).
                    if a.span.overlaps(b.span) and a.annotator == b.annotator:
                        paint(Span(max(a.start, b.start), min(a.end, b.end)), looks.overlap)
        if self.matches:
            first = bisect_left(self._match_ends, start + 1)
            for match in self.matches[first:]:
                if match.start >= max(end, start + 1):
                    break
                paint(match, looks.match)
        if self.selection is not None and self.selection.overlaps(line_span):
            paint(self.selection, looks.selection)

        gutter = self._gutter(covering, suggested)
        room = width - GUTTER
        if text.cell_len > room:
            # A wrapped line may end in a space just past the edge: drop it, not the last letter.
            text.rstrip_end(room)
        if text.cell_len > room:
            # Only boilerplate lines are longer than the width (they are not wrapped).
            text.truncate(room, overflow="ellipsis")
        segments = [*gutter.render(self.app.console), *text.render(self.app.console)]
        # The widget's colours go under every cell, the spans' styles on top of them.
        strip = Strip(segments).crop_extend(0, width, None).apply_style(base)
        return strip.simplify()

    def _gutter(self, covering: list[Annotation], suggested: Sequence[Suggestion] = ()) -> Text:
        """Tag letters for the line: one per tag present, then a lower-case letter per tag
        suggested, ``+`` when more than fit; then a blank column before the text."""
        gutter_style = self.get_component_rich_style("reader--gutter", partial=True)
        looks = self.looks
        marks: list[tuple[str, Style]] = []
        # One's own tags by their letters, one per tag on the line (so they read without
        # colour in every view); in everyone's view, then the initial of each other annotator
        # with a tag on the line (by name), in the style of their tag.
        names: list[str] = []
        others: dict[str, Annotation] = {}
        for annotation in sorted(covering, key=lambda a: (a.start, a.end)):
            if self.initials and self._is_other(annotation):
                others.setdefault(annotation.annotator, annotation)
            elif annotation.tag not in names:
                names.append(annotation.tag)
        marks = [(looks.letter(name), looks.marker(name)) for name in names]
        for name in sorted(others):
            annotation = others[name]
            marks.append((self.initials.get(name, "?"), looks.other_marker(annotation.tag)))
        tags: list[str] = []
        for suggestion in suggested:
            if suggestion.tag not in tags:
                tags.append(suggestion.tag)
        marks += [(looks.suggestion_letter(tag), looks.suggestion(tag)) for tag in tags]
        markers = Text(style=gutter_style, end="")
        shown = marks[: MARKERS - 1] if len(marks) > MARKERS else marks
        for letter, style in shown:
            markers.append(letter, style)
        if len(marks) > MARKERS:
            markers.append("+", Style(bold=True))
        markers.pad_right(GUTTER - markers.cell_len)
        return markers

    def line_segments(self, y: int) -> list[Segment]:
        """The segments of visual line ``y`` (for tests and screenshots)."""
        return list(self._render_visual_line(y))
