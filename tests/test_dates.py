"""Dates found in news text and resolved against the article's date (tui/dates.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tui.dates import When, find_dates, parse_published, resolve

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = "2021-12-31"  # a Friday, the date of the seed reports


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("January 9 and 10", "2022-01-09/2022-01-10"),
        ("Jan. 9-10", "2022-01-09/2022-01-10"),
        ("9 and 10 January", "2022-01-09/2022-01-10"),
        ("9 January", "2022-01-09"),
        ("January 9, 2023", "2023-01-09"),
        ("next month", "2022-01"),
        ("Wednesday", "2022-01-05"),
        ("next Tuesday", "2022-01-04"),
        ("next week", "2022-01-03/2022-01-09"),
        ("next year", "2022"),
        ("early next year", "2022"),
        ("tomorrow", "2022-01-01"),
        ("in January", "2022-01"),
        ("January 2022", "2022-01"),
        ("2022-01-13", "2022-01-13"),
    ],
)
def test_phrases_ahead_resolve_after_publication(phrase: str, expected: str) -> None:
    when = resolve(phrase, PUBLISHED)
    assert when is not None and when.iso == expected


@pytest.mark.parametrize(
    ("phrase", "prefer", "expected"),
    [
        ("Dec. 7", "past", "2021-12-07"),
        ("Dec. 7", "nearest", "2021-12-07"),
        ("Dec. 7", "future", "2022-12-07"),
        ("Wednesday", "past", "2021-12-29"),
        ("Thursday", "nearest", "2021-12-30"),
        ("last month", "future", "2021-11"),  # the phrase's own direction wins
    ],
)
def test_the_direction_decides_ambiguous_dates(phrase: str, prefer: str, expected: str) -> None:
    when = resolve(phrase, PUBLISHED, prefer=prefer)
    assert when is not None and when.iso == expected


def test_what_is_not_one_date_phrase_resolves_to_nothing() -> None:
    assert resolve("the talks", PUBLISHED) is None
    assert resolve("May", PUBLISHED) is None  # the verb, most of the time
    assert resolve("January 9 in Geneva", PUBLISHED) is None
    with pytest.raises(ValueError):
        resolve("January 9", PUBLISHED, prefer="soon")


def test_without_a_publication_date_only_dated_phrases_resolve() -> None:
    assert resolve("January 9", None) is None
    assert resolve("next month", "") is None
    assert resolve("January 9, 2022", None) == When(date(2022, 1, 9), date(2022, 1, 9), "day")


def mentions(text: str, published: str | None = PUBLISHED) -> list[tuple[str, str, str]]:
    return [(m.text, m.tense, m.when.iso if m.when else "")
            for m in find_dates(text, published)]


def test_a_schedule_sentence_of_the_seeds() -> None:
    text = ("Bilateral US-Russia talks will start in Geneva on 9 January, followed by a "
            "Russia-NATO Council meeting in Brussels two days later and negotiations in Vienna "
            "within the OSCE framework on 13 January, Kremlin foreign policy aide Yuri Ushakov "
            "told reporters early on Friday Moscow time.")
    assert mentions(text) == [
        ("9 January", "future", "2022-01-09"),
        ("two days later", "future", "2022-01-11"),  # counted from 9 January
        ("13 January", "future", "2022-01-13"),  # its clause has no verb: the sentence's
        ("Friday", "past", "2021-12-31"),  # "on Friday" in Friday's paper: that day
    ]


def test_weekdays_and_months_that_name_past_events_resolve_to_the_past() -> None:
    text = ("Thursday’s phone call, unlike the prior Dec.7 call, included no public threats. "
            "Blinken called Zelenskiy Wednesday. They met in March.")
    assert mentions(text) == [
        ("Thursday’s", "", "2021-12-30"),
        ("Dec.7", "past", "2021-12-07"),
        ("Wednesday", "past", "2021-12-29"),
        ("in March", "past", "2021-03"),
    ]


def test_weekdays_in_sentences_about_what_will_happen_are_ahead() -> None:
    assert mentions("The ministers will meet on Wednesday in Vienna.") == [
        ("Wednesday", "future", "2022-01-05")]
    assert mentions("A vote is scheduled for Monday.") == [("Monday", "future", "2022-01-03")]


def test_later_counts_from_the_previous_date_only_within_a_sentence() -> None:
    text = "Talks open on January 9. Two days later is too late."
    assert mentions(text)[1] == ("Two days later", "future", "2022-01-02")


def test_verbs_and_numbers_are_not_dates() -> None:
    text = ("It may rain. March on Kyiv, they said. The 60,000 troops, 3:35 pm, version 2.10, "
            "and 90 days in May.")
    assert [m[0] for m in mentions(text)] == ["in May"]


def test_offsets_are_code_points_of_the_text_given() -> None:
    text = "“Ce sera dur” — talks on 9 January 2022 in Genève, then next week."
    found = find_dates(text, PUBLISHED)
    assert [text[m.start:m.end] for m in found] == ["9 January 2022", "next week"]
    assert [m.span.start for m in found] == [m.start for m in found]


def test_find_dates_looks_only_between_start_and_end() -> None:
    text = "On 9 January. Then on 13 January."
    inner = find_dates(text, PUBLISHED, start=14)
    assert [m.text for m in inner] == ["13 January"]


def test_parse_published() -> None:
    assert parse_published("2021-12-31") == date(2021, 12, 31)
    assert parse_published("2021-12-31T10:00:00Z") == date(2021, 12, 31)
    assert parse_published("") is None and parse_published("31/12/2021") is None
    assert parse_published(date(2020, 1, 2)) == date(2020, 1, 2)


def test_the_fast_scan_finds_what_the_grammar_finds_on_real_text(seeds: Path) -> None:
    """find_dates scans for anchor words instead of running the whole grammar over the text
    (twenty times faster); on the seeds and the held-out reports both find the same."""
    from tui.dates import _MENTION_RE, _VERB_MONTHS, _scan

    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8")
              for p in sorted((ROOT / "bench" / "heldout" / "articles").glob("*.txt"))]
    texts.append("On Jan. 9-10, 2022, or 9 and 10 January; early next year, two days later, "
                 "in 3 weeks, Monday's vote, tomorrow, next Tuesday, mid-March, May 2022.")
    for text in texts:
        plain = [(m.start(), m.end(), m.lastgroup) for m in _MENTION_RE.finditer(text)
                 if not (m.lastgroup == "mo" and m.group("mo_m") in _VERB_MONTHS
                         and not m.group("mo_lead"))]
        fast = [(m.start(), m.end(), m.lastgroup) for m in _scan(text, 0, len(text))
                if not (m.lastgroup == "mo" and m.group("mo_m") in _VERB_MONTHS
                        and not m.group("mo_lead"))]
        assert fast == plain, text[:60]


def test_reading_against_a_reference_date_gives_what_the_library_gives() -> None:
    """Dates are read against a reference date of the same weekday (or month and day) and
    moved back: the same answers as reading each against its own publication date."""
    from datetime import timedelta

    from tui.dates import _parse, _shifted_parse

    cases = [("January 9", "year"), ("December 31", "year"), ("March 1", "year"),
             ("February 28", "year"), ("June", "year"), ("Wednesday", "week"),
             ("Sunday", "week"), ("next Tuesday", "week"), ("tomorrow", "week")]
    for days in range(0, 800, 37):
        base = date(2019, 11, 3) + timedelta(days=days)
        for phrase, cycle in cases:
            for prefer in ("future", "past"):
                assert _shifted_parse(phrase, base, prefer, cycle) == _parse(
                    phrase, base, prefer), (phrase, base, prefer)
