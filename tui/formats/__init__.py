"""Export and import formats: one module per format, and this registry (no UI).

The command line calls :func:`export`, :func:`import_file` and :func:`add_to_store`; the formats
and their offset conventions are documented in ``docs/formats.md``.

=====================  ==========  ======  ==================================================
format                 export      import  for
=====================  ==========  ======  ==================================================
``json``               file        yes     newsmark itself, Python (lossless, versioned)
``jsonl``              file        yes     pandas, spaCy, scripts (one annotation per line)
``csv``                file        no      spreadsheets
``w3c``                file        yes     Web Annotation tools (Hypothesis-style), JSON-LD
``brat``               folder      no      brat (standoff ``.txt``/``.ann``)
``doccano``            file        yes     doccano sequence labelling
``labelstudio``        file        yes     Label Studio (tasks with annotations)
``labelstudio-config`` file        no      the Label Studio labelling config for those tasks
=====================  ==========  ======  ==================================================

Every export fits each annotation to its article's current text first (see
:mod:`tui.anchoring`); orphans, whose offsets refer to an older text, are kept in ``json`` and
left out of the others (the :class:`ExportReport` counts them).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any

from tui.anchoring import reanchor
from tui.durable import atomic_write
from tui.formats import brat, csvfile, doccano, jsonl, labelstudio, native, w3c
from tui.formats.base import (
    CODEPOINTS,
    OFFSET_UNITS,
    UTF16,
    CorpusLike,
    ExportItem,
    ExportOptions,
    FormatError,
    ImportResult,
    check_offsets,
)
from tui.model import Annotation, TagDef

__all__ = [
    "CODEPOINTS",
    "OFFSET_UNITS",
    "UTF16",
    "ExportItem",
    "ExportOptions",
    "ExportReport",
    "Format",
    "FormatError",
    "ImportResult",
    "MergeReport",
    "add_to_store",
    "export",
    "format_names",
    "get_format",
    "import_file",
    "import_format_names",
]

StreamWriter = Callable[[Sequence[ExportItem], IO[str], Sequence[TagDef], ExportOptions], None]
FilesWriter = Callable[[Sequence[ExportItem], Sequence[TagDef], ExportOptions], dict[str, str]]


@dataclass(frozen=True)
class Format:
    """One export/import format.

    Exactly one of ``write`` (a file, or standard output) and ``files`` (a folder) is set.
    ``read`` is None for export-only formats. ``utf16`` says whether ``--offsets utf16`` is
    offered. ``orphans`` says whether orphaned annotations are exported (only the lossless one).
    """

    name: str
    description: str
    write: StreamWriter | None = None
    files: FilesWriter | None = None
    read: Callable[..., ImportResult] | None = None
    utf16: bool = False
    orphans: bool = False


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(native.NAME, native.DESCRIPTION, write=native.write, read=native.read,
               orphans=True),
        Format(jsonl.NAME, jsonl.DESCRIPTION, write=jsonl.write, read=jsonl.read, utf16=True),
        Format(csvfile.NAME, csvfile.DESCRIPTION, write=csvfile.write, utf16=True),
        Format(w3c.NAME, w3c.DESCRIPTION, write=w3c.write, read=w3c.read),
        Format(brat.NAME, brat.DESCRIPTION, files=brat.files),
        Format(doccano.NAME, doccano.DESCRIPTION, write=doccano.write, read=doccano.read,
               utf16=True),
        Format(labelstudio.NAME, labelstudio.DESCRIPTION, write=labelstudio.write,
               read=labelstudio.read, utf16=True),
        Format(labelstudio.CONFIG_NAME, labelstudio.CONFIG_DESCRIPTION,
               write=labelstudio.write_config, utf16=True),
    )
}


def format_names() -> list[str]:
    """The export format names, for argparse choices and help."""
    return list(FORMATS)


def import_format_names() -> list[str]:
    """The formats :func:`import_file` reads."""
    return [name for name, f in FORMATS.items() if f.read is not None]


def get_format(name: str) -> Format:
    """The format called ``name``; :class:`FormatError` naming the choices otherwise."""
    try:
        return FORMATS[name]
    except KeyError:
        raise FormatError(
            f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}"
        ) from None


# ------------------------------------------------------------------------------ export


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote: articles, annotations, and orphans left out (not exportable)."""

    articles: int
    annotations: int
    orphans_left_out: int


def export(
    name: str,
    items: Sequence[ExportItem],
    out: Path | None,
    *,
    tags: Sequence[TagDef],
    options: ExportOptions | None = None,
) -> ExportReport:
    """Export ``items`` in format ``name`` to ``out`` (a file; a folder for ``brat``; None for
    standard output).

    A file is written to a temporary file in the same folder and renamed over ``out`` only when
    complete, so a failed export leaves no half file and never clobbers an existing one.
    Raises :class:`FormatError` with a one-line message for anything the user can fix.
    """
    fmt = get_format(name)
    options = options or ExportOptions()
    check_offsets(name, options, utf16=fmt.utf16)
    items = list(items)
    report = _count(items, fmt)
    with _progress(items, options) as tracked:
        if fmt.files is not None:
            if out is None:
                raise FormatError(f"the {name} format writes a folder: give one with -o DIR")
            _write_folder(out, fmt.files(tracked, tags, options))
        elif out is None:
            _write_stdout(fmt, tracked, tags, options)
        else:
            _write_file(out, fmt, tracked, tags, options)
    return report


def _count(items: Sequence[ExportItem], fmt: Format) -> ExportReport:
    annotations = orphans = 0
    for item in items:
        for annotation in item.annotations:
            if reanchor(annotation, item.article).anchor == "orphan":
                orphans += 1
            else:
                annotations += 1
    if fmt.orphans:
        return ExportReport(len(items), annotations + orphans, 0)
    return ExportReport(len(items), annotations, orphans)


class _Tracked(list):
    """The items, advancing a progress bar as a writer iterates over them."""

    def __init__(self, items: Sequence[ExportItem], advance: Callable[[], None]) -> None:
        super().__init__(items)
        self._advance = advance

    def __iter__(self) -> Iterator[ExportItem]:
        for item in super().__iter__():
            yield item
            self._advance()


@contextmanager
def _progress(items: list[ExportItem], options: ExportOptions) -> Iterator[list[ExportItem]]:
    """``items``, with a Rich progress bar on stderr when it is a terminal (or when asked)."""
    show = options.progress if options.progress is not None else _stderr_is_terminal()
    if not show:
        yield items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(file=sys.stderr, force_terminal=options.progress or None)
    with Progress(
        TextColumn("exporting"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
        console=console, transient=True,
    ) as progress:
        task = progress.add_task("export", total=len(items))
        yield _Tracked(items, lambda: progress.advance(task))


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _write_stdout(
    fmt: Format, items: Sequence[ExportItem], tags: Sequence[TagDef], options: ExportOptions
) -> None:
    # Rendered whole first, so that a failing export prints nothing rather than half a file.
    buffer = io.StringIO(newline="")
    assert fmt.write is not None
    fmt.write(items, buffer, tags, options)
    data = buffer.getvalue().encode("utf-8")
    sys.stdout.flush()
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    else:
        binary.write(data)
        binary.flush()


def _write_file(
    out: Path, fmt: Format, items: Sequence[ExportItem], tags: Sequence[TagDef],
    options: ExportOptions,
) -> None:
    assert fmt.write is not None
    if out.is_dir():
        raise FormatError(f"{out} is a folder; give a file name to write the {fmt.name} export")
    folder = out.parent
    if not folder.is_dir():
        raise FormatError(f"cannot write {out}: the folder {folder} does not exist")
    writer = fmt.write

    def render(binary: IO[bytes]) -> None:
        stream = io.TextIOWrapper(binary, encoding="utf-8", newline="")  # type: ignore[arg-type]
        writer(items, stream, tags, options)
        stream.flush()
        stream.detach()  # the atomic writer closes the file itself

    # Rendered into a temporary file renamed over ``out`` only when complete: a failed export
    # (an error while rendering, a full disk, ctrl+c) leaves no half file and never clobbers one.
    try:
        atomic_write(out, render)
    except OSError as error:
        raise FormatError(f"cannot write {out}: {error.strerror or error}") from None


def _write_folder(out: Path, files: dict[str, str]) -> None:
    if out.exists() and not out.is_dir():
        raise FormatError(f"{out} is a file; the folder formats (brat) need a folder with -o")
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=out, prefix=".newsmark-export-"))
    except OSError as error:
        raise FormatError(f"cannot write to {out}: {error.strerror}") from None
    try:
        # Everything is written aside first; only complete files are moved into place.
        for name, content in files.items():
            with open(staging / name, "w", encoding="utf-8", newline="") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
        for name in files:
            os.replace(staging / name, out / name)
    except OSError as error:
        raise FormatError(f"cannot write to {out}: {error.strerror}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# ------------------------------------------------------------------------------ import


def import_file(
    path: Path, name: str | None, corpus: CorpusLike, *, offsets: str = CODEPOINTS
) -> ImportResult:
    """Read annotations from ``path`` in format ``name`` (sniffed when None) and place them in
    ``corpus``'s articles: exact where the text is the same, re-anchored where it differs,
    orphans where the passage cannot be found. Problems are listed per annotation.

    ``offsets`` is the unit of the file's offsets for ``jsonl``, ``doccano`` and
    ``labelstudio`` (``"utf16"`` for files from JavaScript tools).
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FormatError(f"cannot read {path}: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(f"{path} is not UTF-8; save it as UTF-8 and import again") from None
    name = name or sniff(text, path)
    fmt = get_format(name)
    if fmt.read is None:
        raise FormatError(
            f"the {name} format cannot be imported; import one of: "
            f"{', '.join(import_format_names())}"
        )
    check_offsets(name, ExportOptions(offsets=offsets), utf16=fmt.utf16)
    if fmt.utf16:
        return fmt.read(text, corpus, str(path), offsets)
    return fmt.read(text, corpus, str(path))


def sniff(text: str, path: Path) -> str:
    """The format of an import file, from its content."""
    data: Any
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        data = None
        first = next((line for line in text.splitlines() if line.strip()), "")
        try:
            data_line = json.loads(first)
        except json.JSONDecodeError:
            data_line = None
        if doccano.sniff(data_line):
            return doccano.NAME
        if jsonl.sniff(data_line):
            return jsonl.NAME
        if data_line is None and text.lstrip()[:1] in ("{", "["):
            # One JSON document that does not parse (cut short, most often): say that.
            raise FormatError(
                f"{path} is not valid JSON (line {error.lineno} column {error.colno}: "
                f"{error.msg}{', probably truncated' if text.rstrip()[-1:] not in '}]' else ''}"
                "); nothing was imported") from None
    else:
        for module in (native, w3c, labelstudio, doccano, jsonl):
            if module.sniff(data):
                return module.NAME
    raise FormatError(
        f"cannot tell the format of {path}; give it with --format "
        f"({'|'.join(import_format_names())})"
    )


# ------------------------------------------------------------------------------ store


@dataclass
class MergeReport:
    """What :func:`add_to_store` did: added, skipped as duplicates, and conflicts (one line
    each: same id, different content; the stored annotation was kept)."""

    added: list[Annotation] = field(default_factory=list)
    duplicates: list[Annotation] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _content(annotation: Annotation, *, with_annotator: bool) -> tuple:
    key = (annotation.start, annotation.end, annotation.tag, annotation.text, annotation.note)
    return key + ((annotation.annotator,) if with_annotator else ())


def add_links_to_store(links: Sequence[Any], store: Any,
                       annotations: Sequence[Annotation] = ()) -> MergeReport:
    """Add imported links (:class:`tui.links.Link`) to ``store``, each in its annotator's
    shard of its article (the store's annotator when it names none).

    A link whose annotator already has a verdict on the same annotation there is a duplicate
    when it says the same (verdict and span), else a conflict, reported (the stored verdict is
    kept). A link from an annotation that is neither in the store nor in ``annotations`` (the
    same import) is a conflict too: it would point from nothing.
    """
    from tui.links import LINKS, put_link

    report = MergeReport()
    known = {(a.article_id, a.id) for a in annotations}
    for link in links:
        annotator = link.annotator or store.annotator
        where = f"link from annotation {link.annotation_id} to {link.article_id}"
        if (link.source_article, link.annotation_id) not in known and store.get(
                link.source_article, link.annotation_id) is None:
            report.conflicts.append(f"{where}: no such annotation in {link.source_article} "
                                    "here or in the file; skipped")
            continue
        stored = next((r for r in store.records(link.article_id, LINKS, annotator)
                       if r.get("id") == link.id), None)
        if stored is None:
            put_link(store, replace(link, annotator=annotator))
            report.added.append(link)
        elif (stored.get("verdict"), stored.get("start"), stored.get("end")) == (
                link.verdict, link.start, link.end):
            report.duplicates.append(link)
        else:
            report.conflicts.append(f"{where} by {annotator}: {stored.get('verdict')} here, "
                                    f"{link.verdict} imported; kept the stored one")
    return report


def add_to_store(annotations: Sequence[Annotation], store: Any) -> MergeReport:
    """Add imported annotations to ``store`` (a :class:`tui.store.Store`).

    An annotation whose id the article already holds is not added again: a duplicate if its
    passage, tag, note (and annotator, when it names one) are the same, else a conflict,
    reported and left for a person (the stored one is kept). An annotation without an
    annotator goes to the store's own annotator.
    """
    report = MergeReport()
    spans: dict[str, set[tuple[int, int, str]]] = {}
    for annotation in annotations:
        existing = store.get(annotation.article_id, annotation.id)
        if existing is None and not annotation.annotator:
            # Formats without ids or annotators (doccano) get derived ids; the same passage
            # with the same tag already in the store is the same annotation coming back.
            if annotation.article_id not in spans:
                spans[annotation.article_id] = {
                    (a.start, a.end, a.tag) for a in store.annotations(annotation.article_id)
                }
            if (annotation.start, annotation.end, annotation.tag) in spans[annotation.article_id]:
                report.duplicates.append(annotation)
                continue
        if existing is None:
            store.add(annotation)
            spans.setdefault(annotation.article_id, set()).add(
                (annotation.start, annotation.end, annotation.tag)
            )
            report.added.append(annotation)
            continue
        named = bool(annotation.annotator)
        if _content(existing, with_annotator=named) == _content(annotation, with_annotator=named):
            report.duplicates.append(annotation)
            continue
        differences = [
            f"{key} {getattr(existing, key)!r} here, {getattr(annotation, key)!r} imported"
            for key in ("tag", "start", "end", "note", "annotator")
            if getattr(existing, key) != getattr(annotation, key)
            and (key != "annotator" or named)
        ] or ["quoted text differs"]
        report.conflicts.append(
            f"annotation {annotation.id} in {annotation.article_id}: "
            f"{'; '.join(differences)}; kept the stored one"
        )
    return report
