"""``brat``: brat's standoff format, a folder of ``.txt``/``.ann`` pairs plus configuration.

``-o DIR`` writes, for each article, ``<id>.txt`` (the normalised text the offsets refer to,
UTF-8, LF line ends) and ``<id>.ann`` with one text-bound line per annotation::

    T1<TAB>threat 120 245<TAB>the quoted text
    #1<TAB>AnnotatorNotes T1<TAB>the note

and ``annotation.conf`` listing the tags as entity types (with the ``<OVERLAP>`` rule that lets
nested and overlapping passages coexist) and ``visual.conf`` with their colours. Offsets are
code points. A passage that spans a line break is written as brat writes one: as fragments
``START END;START END`` split at the break, the text being the fragments joined by a space
(brat's ``DISCONT_SEP``). Notes lose their line breaks (an ``.ann`` line cannot hold one).
Ids that are not safe file names are percent-encoded (``a/b`` → ``a%2Fb``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tui.formats.base import ExportItem, ExportOptions, FormatError, check_offsets, exportable
from tui.model import Annotation, TagDef

NAME = "brat"
DESCRIPTION = "brat standoff: -o DIR gets <id>.txt, <id>.ann, annotation.conf, visual.conf"
DIRECTORY = True

#: Characters that end a line for brat's readers (Python's str.splitlines), never inside a
#: fragment or a note.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK_RE = re.compile(f"[{_LINE_BREAKS}]")
_TYPE_RE = re.compile(r"[A-Za-z0-9_-]+")


def fragments(annotation: Annotation) -> list[tuple[int, int]]:
    """The annotation's span cut at line breaks, without the breaks (empty pieces dropped)."""
    pieces, start = [], annotation.start
    for match in _BREAK_RE.finditer(annotation.text):
        end = annotation.start + match.start()
        if end > start:
            pieces.append((start, end))
        start = annotation.start + match.end()
    if annotation.end > start:
        pieces.append((start, annotation.end))
    return pieces


def ann_lines(annotations: Sequence[Annotation], text: str) -> list[str]:
    """The ``.ann`` lines for one article's annotations (in text order)."""
    lines: list[str] = []
    number = 0
    for annotation in annotations:
        pieces = fragments(annotation)
        if not pieces:
            continue  # a passage of line breaks only has nothing brat can show
        number += 1
        offsets = ";".join(f"{s} {e}" for s, e in pieces)
        quote = " ".join(text[s:e] for s, e in pieces)
        lines.append(f"T{number}\t{annotation.tag} {offsets}\t{quote}")
        if annotation.note:
            note = _BREAK_RE.sub(" ", annotation.note).replace("\t", " ")
            lines.append(f"#{number}\tAnnotatorNotes T{number}\t{note}")
    return lines


def files(
    items: Sequence[ExportItem], tags: Sequence[TagDef], options: ExportOptions
) -> dict[str, str]:
    """Every file of the export, by name."""
    from tui.store import safe_name  # the store's reversible, folder-safe file names

    check_offsets(NAME, options, utf16=False)
    out: dict[str, str] = {}
    used: list[str] = []
    for item in items:
        placed, _orphans = exportable(item)
        for annotation in placed:
            if annotation.tag not in used:
                used.append(annotation.tag)
        stem = safe_name(item.article.id)
        lines = ann_lines(placed, item.article.text)
        out[f"{stem}.txt"] = item.article.text
        out[f"{stem}.ann"] = "".join(line + "\n" for line in lines)
    names = [tag.name for tag in tags] + [t for t in used if t not in {x.name for x in tags}]
    for name in names:
        if not _TYPE_RE.fullmatch(name):
            raise FormatError(
                f"tag {name!r} cannot be a brat entity type (letters, digits, - and _ only); "
                "rename it in the config or export without it (--tag)"
            )
    out["annotation.conf"] = _annotation_conf(names)
    colours = {tag.name: tag.colour for tag in tags}
    out["visual.conf"] = _visual_conf(names, colours)
    return out


def _annotation_conf(names: Sequence[str]) -> str:
    return (
        "# newsmark's tags as brat entity types (written by `newsmark export --format brat`)\n"
        "[entities]\n"
        + "".join(f"{name}\n" for name in names)
        + "\n[relations]\n"
        "# newsmark's passages may nest and overlap (a threat inside a claim)\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n"
        "\n[events]\n"
        "\n[attributes]\n"
    )


def _visual_conf(names: Sequence[str], colours: dict[str, str]) -> str:
    drawing = "".join(
        f"{name}\tbgColor:{colours[name]}\n" for name in names if colours.get(name)
    )
    labels = "".join(f"{name} | {name}\n" for name in names)
    return "[labels]\n" + labels + "\n[drawing]\n" + drawing
