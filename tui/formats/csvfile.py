"""``csv``: the flat records of the jsonl format as a spreadsheet table, with a header.

RFC 4180 as Python's ``csv`` module writes it (the ``excel`` dialect): comma-separated, CRLF
between records, fields quoted when they hold a comma, a quote or a newline — so a note with
line breaks stays in its cell. UTF-8; ``--bom`` starts the file with a byte order mark so that
Excel detects UTF-8. Read it back with ``open(path, newline="", encoding="utf-8-sig")``.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from typing import IO

from tui.formats.base import ExportItem, ExportOptions, check_offsets
from tui.formats.jsonl import COLUMNS, flat_rows
from tui.model import TagDef

NAME = "csv"
DESCRIPTION = "the jsonl columns as a CSV table with a header (--bom for Excel)"
SUFFIX = ".csv"


def write(
    items: Sequence[ExportItem], stream: IO[str], tags: Sequence[TagDef], options: ExportOptions
) -> None:
    """Write the header and one row per annotation."""
    check_offsets(NAME, options, utf16=True)
    if options.bom:
        stream.write("\ufeff")
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, dialect="excel")
    writer.writeheader()
    for row in flat_rows(items, options):
        row["adjudicated_from"] = "; ".join(row["adjudicated_from"])  # a cell holds text
        writer.writerow(row)
