"""What each outlet says was scheduled when: the schedule rows of the compare matrix, by date
(no UI).

For every row of a :class:`tui.compare.Matrix` tagged as a schedule (the config's schedule
tag: the one with ``role = "schedule"``, else the one named ``schedule``), each article that
carries the passage (the source, a verbatim or reworded match, a cell an analyst confirmed;
not one an analyst rejected) contributes an :class:`Entry`: its passage
there and the dates it names, found and resolved against that article's own date by
:mod:`tui.dates` ("January 9 and 10" in an article of 2021-12-31 is 2022-01-09/2022-01-10;
"next month" is 2022-01). Only what is scheduled counts: a date in the past tense ("told
reporters on Friday") or over before the article's date is left out, and an article without a
date resolves only dates that name their year. The :class:`Event` of a row lists its entries
outlet by outlet; :func:`timeline` sorts the events by their earliest date.

**Disagreement.** The matching says the entries of an event report one passage; they disagree
about its date when two of them name day-precise dates that overlap without being equal
("January 9–10" against "January 10"), or when each names exactly one day-precise date and
those differ ("January 10" against "January 11"). A date of a coarser precision ("next month",
"January") never disagrees with a day inside it, and an entry naming fewer of the dates (one
of the three meetings) only omits, it does not disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .compare import Matrix, Row
from .corpus import Corpus
from .dates import When, find_dates, parse_published
from .model import Span

__all__ = ["Entry", "Event", "short_dates", "timeline", "timeline_table"]


@dataclass(frozen=True)
class Entry:
    """One article's side of a schedule event: its passage and the dates it names; ``kind``
    is the cell's (``source``, ``verbatim``, ``reworded``) or ``confirmed``."""

    article_id: str
    label: str
    kind: str
    span: Span
    text: str
    dates: tuple[When, ...]


@dataclass(frozen=True)
class Event:
    """A schedule passage across the articles that carry it."""

    row: Row
    entries: tuple[Entry, ...]

    @property
    def dates(self) -> tuple[When, ...]:
        """Every distinct date its entries name, earliest first."""
        seen = {when.iso: when for entry in self.entries for when in entry.dates}
        return tuple(sorted(seen.values(), key=lambda w: (w.start, w.end)))

    @property
    def earliest(self) -> When | None:
        """The earliest date named (None when no entry names one)."""
        dates = self.dates
        return dates[0] if dates else None

    @property
    def disagreements(self) -> tuple[tuple[Entry, When, Entry, When], ...]:
        """Pairs of entries that give this event different dates (see the module docstring)."""
        found: list[tuple[Entry, When, Entry, When]] = []
        for number, first in enumerate(self.entries):
            for second in self.entries[number + 1 :]:
                clash = _clash(first.dates, second.dates)
                if clash is not None:
                    found.append((first, clash[0], second, clash[1]))
        return tuple(found)


def _clash(first: tuple[When, ...], second: tuple[When, ...]) -> tuple[When, When] | None:
    days_a = [w for w in first if w.precision == "day"]
    days_b = [w for w in second if w.precision == "day"]
    for a in days_a:
        for b in days_b:
            if a != b and a.start <= b.end and b.start <= a.end:
                return a, b
    if len(days_a) == 1 and len(days_b) == 1 and days_a[0] != days_b[0]:
        return days_a[0], days_b[0]
    return None


def timeline(matrix: Matrix, corpus: Corpus, tags: Iterable[str] = ("schedule",)) -> list[Event]:
    """The schedule events of ``matrix``, earliest first (events naming no date last, in
    matrix order): its rows tagged one of ``tags`` (the config's schedule tag, see
    :attr:`tui.config.Config.schedule_tag`)."""
    wanted = set(tags)
    events: list[Event] = []
    for row in matrix.rows:
        if row.tag not in wanted:
            continue
        entries: list[Entry] = []
        for column in matrix.columns:
            cell = row.cells[column.article_id]
            match, link = cell.match, cell.link
            kind, span = match.kind, match.span
            if link is not None and match.kind != "source":
                # The analyst's verdict over the machine's: a rejected cell carries nothing,
                # a confirmed one carries the span confirmed.
                if not link.confirmed:
                    continue
                if link.span is not None and link.anchor != "orphan":
                    kind, span = "confirmed", link.span
            elif not match.carried:
                continue
            if span is None:
                continue
            article = corpus.get(column.article_id)
            if article is None:
                continue
            mentions = find_dates(article.text, article.date, start=span.start, end=span.end)
            published = parse_published(article.date)
            # What was scheduled, not when it was said: a date told in the past tense ("told
            # reporters on Friday") or over before the article's date is not an entry's.
            dates = tuple(dict.fromkeys(
                m.when for m in mentions
                if m.when is not None and m.tense != "past"
                and (published is None or m.when.end >= published)))
            entries.append(Entry(column.article_id, column.label, kind, span,
                                 article.text[span.start : span.end], dates))
        events.append(Event(row, tuple(entries)))
    dated = sorted((e for e in events if e.earliest is not None),
                   key=lambda e: (e.earliest.start, e.earliest.end))  # type: ignore[union-attr]
    return dated + [e for e in events if e.earliest is None]


def short_dates(dates: Iterable[When]) -> str:
    """Dates as a reader says them, in few cells: ``9–10, 12, 13 Jan 2022`` (days of one
    month share its name; a year shared by all is said once, at the end). Months and years
    read in ISO (``2022-02``)."""
    # (text, month, years, closed): a range across months is closed (it names its months).
    items: list[tuple[str, str, frozenset[int], bool]] = []
    for when in dates:
        first, last = when.start, when.end
        years = frozenset({first.year, last.year})
        if when.precision not in ("day", "week"):
            items.append((when.iso, "", frozenset(), True))
        elif first == last:
            items.append((f"{first.day}", f"{first:%b}", years, False))
        elif (first.year, first.month) == (last.year, last.month):
            items.append((f"{first.day}–{last.day}", f"{first:%b}", years, False))
        else:
            items.append((f"{first.day} {first:%b}–{last.day} {last:%b}", "", years, True))
    every_year = {year for *_, years, _ in items for year in years}
    one_year = len(every_year) == 1 and all(years for *_, years, _ in items)
    parts: list[str] = []
    for index, (text, month, years, closed) in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        shared = (following is not None and not closed and not following[3]
                  and following[1] == month and following[2] == years)
        if closed or not shared:
            if month:
                text = f"{text} {month}"
            if years and not one_year:
                text += " " + "/".join(str(y) for y in sorted(years))
        parts.append(text)
    joined = ", ".join(parts)
    return f"{joined} {min(every_year)}" if one_year and parts else joined


def timeline_table(events: Iterable[Event], width: int = 100) -> str:
    """The timeline as plain text (``newsmark compare --format timeline``)."""
    from .editing import shorten
    from .layout import display_text

    lines: list[str] = []
    for event in events:
        when = event.earliest.iso if event.earliest is not None else "no date"
        lines.append(f"{when}  {display_text(shorten(event.row.source.text, width - 12))}")
        for entry in event.entries:
            dates = ", ".join(w.iso for w in entry.dates) or "no date named"
            lines.append(f"    {display_text(shorten(entry.label, 24)):<24}  {dates}")
        for first, a, second, b in event.disagreements:
            lines.append(f"    ! {display_text(first.label)} says {a.iso}, "
                         f"{display_text(second.label)} says {b.iso}")
    if not lines:
        lines.append("(no schedule passages tagged: tag some, then compare)")
    return "\n".join(lines) + "\n"
