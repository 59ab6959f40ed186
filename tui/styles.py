"""What tags, overlaps, the selection and search matches look like: the one place that says so
(Rich styles only, no Textual), for full colour, 16 colours and monochrome.

Every screen that shows a tag asks a :class:`Looks` for its style: the reader, the legend, the
annotation panel, the compare and statistics screens, the help and the tag picker. So a tag
reads the same everywhere, and where colour is missing it still reads:

- **Colour** (true colour, 256 or 16 colours): a tag is black text on the tag's colour; its
  gutter letter is the same, bold.
- **Monochrome** (``NO_COLOR`` set, or a monochrome ``TERM``): colours turn to greys, so each
  tag also gets a text style of its own (claim **bold**, threat *italic*, denial ***bold
  italic***, schedule underlined; then again for more tags), and the gutter letter says which.
- **Overlaps** are underlined; the gutter shows each tag's letter.
- **The selection** is reverse video laid over the tag styles, so a selected passage keeps its
  tag's text style (and its letter in the gutter).
- **Dimmed text**: boilerplate (navigation junk, teasers, a glued dateline) and markup (Markdown's
  ``#``, bullets, emphasis marks, link targets) are dim, and boilerplate italic too; in
  monochrome, where a terminal may not show dim, markup is dim and boilerplate dim italic
  (italic alone would read as a tag's style, and boilerplate is never tagged).
- **Another annotator's tag** (in the everyone's view) is the tag's colour as text on no fill,
  bold, so one's own filled passages stand out from it; without colour it is the tag's text
  style on no grey. The gutter and panel then show the annotator's initial in that style.
- **A suggestion** (a passage newsmark proposes, not yet accepted) is the tag's colour as
  text on no fill, underlined and not bold (another annotator's tag is bold and not underlined;
  one's own is filled); its gutter letter is the tag's letter in lower case, in the same style.
  Without colour it is dim italic underlined (no tag's text style is all three, and each of
  them alone still differs from every tag's), and the lower-case letter says which tag. Where a
  passage is tagged, the tag is drawn over the suggestion.
- **A search match** is bright white on a dark colour that no tag uses, with no text style, so
  it looks like no tag in any mode: tags are black text on a light colour, matches light text
  on a dark one, and in monochrome matches have none of the tags' bold, italic or underline.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.color import Color, ColorParseError, ColorSystem
from rich.style import Style
from rich.text import Text

from .model import TagDef

#: Text styles that tell tags apart without colour, in tag order (then again).
MONO_STYLES: tuple[Style, ...] = (
    Style(bold=True), Style(italic=True), Style(bold=True, italic=True), Style(underline=True),
)

#: Terminals that show no colour (their TERM): tags are told apart by style there too.
MONOCHROME_TERMS = frozenset({"vt100", "vt102", "vt220", "vt320", "xterm-mono", "linux-m"})

#: Backgrounds a search match may take, in order of preference: dark standard colours, each
#: the same in 16 colours as in more; the first that no tag uses in 16 colours wins.
MATCH_BACKGROUNDS = ("blue", "magenta", "red", "green", "black")

#: A tag that is not in the tag set (an annotation from another config).
UNKNOWN_TAG = Style(reverse=True)

#: A suggestion without colour (and of a tag not in the set): see :meth:`Looks.suggestion`.
SUGGESTION_MONO = Style(dim=True, italic=True, underline=True)


def monochrome(environ: Mapping[str, str] | None = None) -> bool:
    """True when colour cannot tell tags apart: ``NO_COLOR`` is set (even empty, as Textual
    decides it) or ``TERM`` names a monochrome terminal."""
    env = os.environ if environ is None else environ
    term = env.get("TERM", "")
    return "NO_COLOR" in env or term in MONOCHROME_TERMS or term.endswith(("-mono", "-m"))


def _standard(colour: str) -> int | None:
    """The colour's number among the 16 standard colours (what it looks like over old SSH)."""
    try:
        return Color.parse(colour).downgrade(ColorSystem.STANDARD).number
    except ColorParseError:
        return None


@dataclass
class Looks:
    """The styles of one tag set in one mode (``mono``: without colour)."""

    tags: tuple[TagDef, ...]
    mono: bool = False
    _tag: dict[str, Style] = field(init=False, repr=False)
    _suggestion: dict[str, Style] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.tags = tuple(self.tags)
        self._tag = {}
        for index, tag in enumerate(self.tags):
            style = Style(color="black", bgcolor=tag.colour)
            if self.mono:
                style += MONO_STYLES[index % len(MONO_STYLES)]
            self._tag[tag.name] = style
        used = {_standard(tag.colour) for tag in self.tags}
        background = next(
            (c for c in MATCH_BACKGROUNDS if _standard(c) not in used), MATCH_BACKGROUNDS[0]
        )
        self.match = Style(color="bright_white", bgcolor=background)
        """A search match (not the current one, which is the selection)."""
        self.selection = Style(reverse=True)
        """The selection: laid over whatever styles the passage has."""
        self.overlap = Style(underline=True)
        """Where two tagged passages overlap (on top of the innermost tag's style)."""
        self._alignment = _alignment_styles(self.mono)
        self.boilerplate = Style(dim=True, italic=True)
        """Boilerplate: shown, never part of a sentence (the cursor skips it)."""
        self.markup = Style(dim=True) if self.mono else Style(color="bright_black", dim=True)
        """Markup characters inside prose (Markdown), under any tag's style."""
        # One Style per tag, made once: Rich caches combinations by style, and a line with a
        # suggestion on it is painted on every keypress that repaints it.
        self._suggestion = {tag.name: SUGGESTION_MONO if self.mono else
                            Style(color=tag.colour, underline=True) for tag in self.tags}

    @classmethod
    def for_terminal(cls, tags: Sequence[TagDef],
                     environ: Mapping[str, str] | None = None) -> Looks:
        """The looks for the terminal we run in (monochrome when :func:`monochrome`)."""
        return cls(tuple(tags), mono=monochrome(environ))

    def tag(self, name: str) -> Style:
        """A passage tagged ``name``."""
        return self._tag.get(name, UNKNOWN_TAG)

    def marker(self, name: str) -> Style:
        """A tag's letter (gutter, panel, legend, charts): the tag's style, bold."""
        return self.tag(name) + Style(bold=True)

    def letter(self, name: str) -> str:
        """The letter that stands for tag ``name`` (``?`` for a tag not in the set)."""
        return next((tag.marker for tag in self.tags if tag.name == name), "?")

    def alignment(self, name: str) -> Style:
        """What the compare and timeline screens draw: a cell's kind (``source``,
        ``verbatim``, ``reworded``, ``absent``), an analyst's verdict (``confirmed``,
        ``rejected``), the words that differ (``dropped_words`` from the tagged passage,
        ``added_words`` in the other), an attribution change (``kept``, ``softened``,
        ``hardened``, ``dropped``) and a date disagreement (``clash``). Without colour the
        marks themselves (``=``, ``~``, ``✓``, ``✗``, ``!``) and the words say it; the styles
        add bold, italic and underline only."""
        return self._alignment.get(name, Style())

    def other(self, name: str) -> Style:
        """A passage tagged ``name`` by another annotator (read-only, in everyone's view)."""
        index = next((n for n, tag in enumerate(self.tags) if tag.name == name), None)
        if index is None:
            return Style(dim=True, underline=True)
        if self.mono:
            # The tag's text style on no grey (not dimmed: dim italic is boilerplate's).
            return MONO_STYLES[index % len(MONO_STYLES)]
        return Style(color=self.tags[index].colour, bold=True)

    def suggestion(self, name: str) -> Style:
        """A passage suggested for tag ``name`` (not yet accepted or rejected)."""
        return self._suggestion.get(name, SUGGESTION_MONO)

    def suggestion_letter(self, name: str) -> str:
        """The gutter's mark of a suggestion of ``name``: the tag's letter in lower case."""
        return self.letter(name).lower()

    def other_marker(self, name: str) -> Style:
        """Another annotator's initial beside a passage they tagged ``name``."""
        return self.other(name) + Style(bold=True)

    def chip(self, name: str, text: str | None = None) -> tuple[str, Style]:
        """A tag's letter (or ``text``) padded with a space either side, in its marker style:
        ``(" C ", style)``, for ``Text.append``."""
        return f" {text if text is not None else self.letter(name)} ", self.marker(name)


#: The compare and timeline screens' styles in colour (see :meth:`Looks.alignment`); without
#: colour, the second form.
_ALIGNMENT: dict[str, tuple[Style, Style]] = {
    "source": (Style(bold=True), Style(bold=True)),
    "verbatim": (Style(color="green", bold=True), Style(bold=True)),
    "reworded": (Style(color="yellow"), Style(italic=True)),
    "absent": (Style(dim=True), Style(dim=True)),
    "confirmed": (Style(color="green", bold=True), Style(bold=True)),
    "rejected": (Style(color="red", bold=True), Style(bold=True)),
    "dropped_words": (Style(color="red", bold=True, underline=True),
                      Style(bold=True, underline=True)),
    "added_words": (Style(color="green", bold=True, underline=True),
                    Style(bold=True, underline=True)),
    "kept": (Style(color="green"), Style()),
    "softened": (Style(color="yellow", bold=True), Style(italic=True)),
    "hardened": (Style(color="magenta", bold=True), Style(bold=True)),
    "dropped": (Style(color="red", bold=True), Style(bold=True, underline=True)),
    "clash": (Style(color="red", bold=True), Style(bold=True, reverse=True)),
}


def _alignment_styles(mono: bool) -> dict[str, Style]:
    return {name: pair[1 if mono else 0] for name, pair in _ALIGNMENT.items()}


def legend(looks: Looks, width: int, counts: Mapping[str, int] | None = None) -> Text:
    """Which letter and style is which tag, with a count per tag if ``counts`` is given, in
    the widest form that fits ``width`` cells: ``C claim 3``, then ``C 3``; a count is never
    cut (the last form may be cut only after the last count)."""
    def form(named: bool, padded: bool) -> Text:
        text = Text(no_wrap=True, overflow="crop", end="")
        for index, tag in enumerate(looks.tags):
            if index:
                text.append(" ")
            label = f"{tag.marker} {tag.name}" if named else tag.marker
            # The tag's own style (not the bolder letter of the gutter): without colour the
            # legend shows each tag's text style exactly as the reader draws it.
            text.append(f" {label} " if padded else label, looks.tag(tag.name))
            if counts is not None:
                number = counts.get(tag.name, 0)
                # After a padded chip its own padding is the space before the count.
                text.append(f"{number}" if padded else f" {number}", "bold" if number else "dim")
        return text

    for named, padded in ((True, True), (True, False), (False, True), (False, False)):
        text = form(named, padded)
        if text.cell_len <= width:
            return text
    return form(False, False)
