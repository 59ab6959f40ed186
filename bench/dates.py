"""dateparser against parsedatetime: which reads news dates right, and how fast.

    pip install -e '.[bench]'      # parsedatetime, only for this comparison
    python bench/dates.py          # prints both tables

Each case is one single-date phrase as tui/dates.py hands it to a library (its grammar has
already split "January 9 and 10" into two phrases and dropped "early" from "early next year"),
a publication date, the direction the phrase's clause gives (``future``: "talks will open on
…"; ``past``: "… was held on …") and the answer a reader gives: the date and its precision
(a day, a week, a month, a year). The cases come from the shapes news reports use, across four
publication dates (a Friday at a year's end, a Monday, a Thursday in May, a leap day), not from
the seeds' sentences alone.

Speed: the median of 20 passes over the cases (µs per phrase, parser objects built once, no
cache), and the first use in a fresh process (import plus the first phrase), median of 5.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta

#: (phrase, published, direction, expected ISO date of the day read, precision)
CASES: tuple[tuple[str, str, str, str, str], ...] = (
    ("January 9", "2021-12-31", "future", "2022-01-09", "day"),
    ("January 10", "2021-12-31", "future", "2022-01-10", "day"),
    ("9 January", "2021-12-31", "future", "2022-01-09", "day"),
    ("13 January", "2021-12-31", "future", "2022-01-13", "day"),
    ("Jan. 12", "2021-12-31", "future", "2022-01-12", "day"),
    ("Dec. 7", "2021-12-31", "past", "2021-12-07", "day"),
    ("7 December", "2021-12-31", "past", "2021-12-07", "day"),
    ("Wednesday", "2021-12-31", "future", "2022-01-05", "day"),
    ("Wednesday", "2021-12-31", "past", "2021-12-29", "day"),
    ("Monday", "2021-12-31", "future", "2022-01-03", "day"),
    ("next Tuesday", "2021-12-31", "future", "2022-01-04", "day"),
    ("tomorrow", "2021-12-31", "future", "2022-01-01", "day"),
    ("yesterday", "2021-12-31", "past", "2021-12-30", "day"),
    ("next month", "2021-12-31", "future", "2022-01", "month"),
    ("January", "2021-12-31", "future", "2022-01", "month"),
    ("next year", "2021-12-31", "future", "2022", "year"),
    ("January 9 2022", "2021-12-31", "future", "2022-01-09", "day"),
    ("June 12", "2018-05-10", "future", "2018-06-12", "day"),
    ("12 June", "2018-05-10", "future", "2018-06-12", "day"),
    ("June", "2018-05-10", "future", "2018-06", "month"),
    ("April 27", "2018-05-10", "past", "2018-04-27", "day"),
    ("Tuesday", "2018-05-10", "future", "2018-05-15", "day"),
    ("Tuesday", "2018-05-10", "past", "2018-05-08", "day"),
    ("next week", "2018-05-10", "future", "2018-05-14", "week"),
    ("last month", "2018-05-10", "past", "2018-04", "month"),
    ("next month", "2018-05-10", "future", "2018-06", "month"),
    ("May 24", "2018-05-10", "future", "2018-05-24", "day"),
    ("March 1", "2020-02-29", "future", "2020-03-01", "day"),
    ("February 28", "2020-02-29", "past", "2020-02-28", "day"),
    ("Sunday", "2020-02-29", "future", "2020-03-01", "day"),
    ("next year", "2020-02-29", "future", "2021", "year"),
    ("December", "2020-02-29", "future", "2020-12", "month"),
    ("July 14", "2015-07-06", "future", "2015-07-14", "day"),
    ("Friday", "2015-07-06", "future", "2015-07-10", "day"),
    ("last week", "2015-07-06", "past", "2015-06-29", "week"),
    ("next Monday", "2015-07-06", "future", "2015-07-13", "day"),
    ("November 24", "2015-07-06", "past", "2014-11-24", "day"),
    ("2022-01-13", "2021-12-31", "future", "2022-01-13", "day"),
)


def _week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def agrees(found: date | None, precision: str | None, expected: str, want: str) -> bool:
    """Whether a library's (date, precision) is the reader's answer."""
    if found is None or precision != want:
        return False
    if want == "day":
        return found.isoformat() == expected
    if want == "week":
        return _week_of(found) == date.fromisoformat(expected)
    if want == "month":
        return f"{found:%Y-%m}" == expected
    return str(found.year) == expected


class Dateparser:
    """dateparser 1.x: ``DateDataParser.get_date_data`` (gives the precision as ``period``)."""

    name = "dateparser"

    def __init__(self) -> None:
        from dateparser.date import DateDataParser

        self._make = DateDataParser
        self._parsers: dict[tuple[str, str], object] = {}

    def read(self, phrase: str, published: str, direction: str) -> tuple[date | None, str | None]:
        key = (published, direction)
        parser = self._parsers.get(key)
        if parser is None:
            base = datetime.fromisoformat(published)
            parser = self._parsers[key] = self._make(languages=["en"], settings={
                "RELATIVE_BASE": base, "PREFER_DATES_FROM": direction,
                "PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False})
        data = parser.get_date_data(phrase)  # type: ignore[attr-defined]
        if data is None or data.date_obj is None:
            return None, None
        return data.date_obj.date(), data.period


class Parsedatetime:
    """parsedatetime 2.6: ``Calendar.parseDT`` with the context style (gives an accuracy).

    It has no "prefer past" setting: a past direction is read as the phrase with "last" in
    front of a weekday and, for a month and day ahead of the base, as a year earlier — what a
    caller would have to add.
    """

    name = "parsedatetime"

    def __init__(self) -> None:
        import parsedatetime

        self._calendar = parsedatetime.Calendar(version=parsedatetime.VERSION_CONTEXT_STYLE)
        flags = parsedatetime.pdtContext
        # The finest precision the phrase gave wins.
        self._flags = [(flags.ACU_DAY, "day"), (flags.ACU_WEEK, "week"),
                       (flags.ACU_MONTH, "month"), (flags.ACU_YEAR, "year")]

    def read(self, phrase: str, published: str, direction: str) -> tuple[date | None, str | None]:
        base = datetime.fromisoformat(published)
        words = phrase.split()
        weekday = len(words) == 1 and words[0].endswith("day")
        if direction == "past" and weekday and words[0] not in ("today", "yesterday"):
            phrase = f"last {phrase}"
        found, context = self._calendar.parseDT(phrase, sourceTime=base)
        if not context.hasDate:
            return None, None
        precision = next((name for flag, name in self._flags if context.accuracy & flag),
                         "day")  # a time of day alone ("tonight") is a day
        day = found.date()
        if direction == "past" and day > base.date() and precision == "day":
            day = day.replace(year=day.year - 1)
        return day, precision


def score(library: Dateparser | Parsedatetime) -> tuple[int, list[str]]:
    right, wrong = 0, []
    for phrase, published, direction, expected, precision in CASES:
        found, got = library.read(phrase, published, direction)
        if agrees(found, got, expected, precision):
            right += 1
        else:
            wrong.append(f"{phrase!r} ({published}, {direction}): {found} {got}, "
                         f"not {expected} {precision}")
    return right, wrong


def per_phrase_us(library: Dateparser | Parsedatetime, passes: int = 20) -> float:
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        for phrase, published, direction, _, _ in CASES:
            library.read(phrase, published, direction)
        times.append((time.perf_counter() - start) / len(CASES) * 1e6)
    return statistics.median(times)


_FIRST_USE = """
import time, sys
sys.path.insert(0, {root!r})
start = time.perf_counter()
from bench.dates import {cls}
{cls}().read("January 9", "2021-12-31", "future")
print(time.perf_counter() - start)
"""


def first_use_s(cls: str, runs: int = 5) -> float:
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    times = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", _FIRST_USE.format(root=root, cls=cls)],
                              capture_output=True, text=True, check=True)
        times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def main() -> int:
    print(f"{len(CASES)} phrases; Python {sys.version.split()[0]}")
    rows = []
    for cls in (Dateparser, Parsedatetime):
        try:
            library = cls()
        except ImportError:
            print(f"{cls.name}: not installed (pip install -e '.[bench]'); skipped")
            continue
        right, wrong = score(library)
        rows.append((cls.name, right, per_phrase_us(library), first_use_s(cls.__name__)))
        for line in wrong:
            print(f"  {cls.name} wrong: {line}")
    print()
    print("| library | right | per phrase (median) | first use (import + 1 phrase) |")
    print("| --- | ---: | ---: | ---: |")
    for name, right, each, first in rows:
        print(f"| {name} | {right}/{len(CASES)} | {each:.0f} µs | {first:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
