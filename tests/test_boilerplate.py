"""The junk real scrapes carry, by cue class: teaser blocks, menus, repeated captions, glued
datelines, bylines and credits — dimmed (boilerplate spans), never deleted, and never prose."""

from __future__ import annotations

import pytest

from tui.corpus import boilerplate_line_kind, boilerplate_spans, guess_metadata
from tui.sentences import sentence_spans

PROSE = (
    "The giant container ship was set free on Monday, almost a week after it ran aground in the "
    "canal, and traffic through the waterway resumed, the canal authority said."
)


def marked(text: str) -> list[str]:
    return [text[s.start : s.end].strip() for s in boilerplate_spans(text)]


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text, boilerplate_spans(text))]


@pytest.mark.parametrize("heading", ["Latest posts", "Related stories", "More on this topic",
                                     "Read more", "More from Reuters", "You may also like:",
                                     "Most read", "Related Topics"])
def test_a_teaser_block_and_its_teasers_are_boilerplate(heading: str) -> None:
    text = (f"Canal reopens\n\n{PROSE}\n\n{heading}\n\nPort strike ends after two weeks\n\n"
            "Dockworkers returned to work on Monday after a deal on pay was reached.\n\n"
            "Ferry service cut for the winter\n")
    assert marked(text) == [heading, "Port strike ends after two weeks",
                            "Dockworkers returned to work on Monday after a deal on pay was "
                            "reached.", "Ferry service cut for the winter"]
    assert sentences(text) == ["Canal reopens", *sentences(PROSE)]


def test_a_teaser_block_ends_where_prose_resumes() -> None:
    text = (f"{PROSE}\n\nRead more\n\nInsurers face claims after grounding\n\n{PROSE}\n\n"
            "The authority will investigate the cause of the grounding, its chairman said, "
            "and has not ruled out technical or human error.\n")
    assert marked(text) == ["Read more", "Insurers face claims after grounding", PROSE]
    assert sentences(text)[-1].startswith("The authority will investigate")


def test_a_heading_above_the_article_is_a_menu_item_not_a_teaser_block() -> None:
    text = f"Top Stories\n\nTonga cut off as ash blankets capital\n\n{PROSE}\n"
    assert "Tonga cut off as ash blankets capital" in sentences(text)


def test_a_menu_scraped_as_text_is_boilerplate() -> None:
    text = f"World\nBusiness\nMarkets\nLive TV\n\nCanal reopens\n\n{PROSE}\n"
    assert marked(text) == ["World", "Business", "Markets", "Live TV"]
    # Three short lines, or short lines apart, are not a menu.
    assert marked(f"Egypt\nSudan\nLibya\n\n{PROSE}\n") == []
    assert marked(f"Egypt\n\nSudan\n\nLibya\n\nChad\n\n{PROSE}\n") == []


def test_a_caption_that_repeats_is_boilerplate_both_times() -> None:
    text = (f"{PROSE}\n\nThe ship is seen after it was freed, in Suez\n"
            f"The ship is seen after it was freed, in Suez\nPhoto credit: AFP\n\n{PROSE}\n")
    # Both copies of the caption; the paragraph said twice is prose both times.
    assert marked(text) == ["The ship is seen after it was freed, in Suez"] * 2 + [
        "Photo credit: AFP"]
    labelled = "Photo: The ship is seen after it was freed.\nThe ship is seen after it was freed.\n"
    assert marked(labelled) == ["Photo: The ship is seen after it was freed.",
                                "The ship is seen after it was freed."]


def test_a_repeated_headline_keeps_its_first_copy() -> None:
    text = (f"Canal reopens after a week\n\nShips move again\nCanal reopens after a week\n\n"
            f"{PROSE}\n")
    assert marked(text) == ["Canal reopens after a week"]
    assert sentences(text)[0] == "Canal reopens after a week"


@pytest.mark.parametrize(("line", "head"), [
    (" date 2021-12-31 A phone call between the presidents", "date 2021-12-31"),
    ("Published: March 24, 2021 at 10:14 am A container ship blocked", "Published: March 24, "
     "2021 at 10:14 am"),
    ("Posted on March 27, 2021 | The salvage teams removed sand", "Posted on March 27, 2021 |"),
    ("SUEZ, Egypt, March 29 (Reuters) - The ship was freed", "SUEZ, Egypt, March 29 (Reuters) -"),
    ("WASHINGTON (AP) — President Biden said", "WASHINGTON (AP) —"),
    ("KYIV, Ukraine — Officials said", "KYIV, Ukraine —"),
])
def test_a_dateline_glued_to_the_first_sentence_is_split_off(line: str, head: str) -> None:
    text = f"{line} on Monday.\n\n{PROSE}\n"
    assert marked(text) == [head]
    assert not sentences(text)[0].startswith(head)
    assert guess_metadata(text)["title"] == sentences(text)[0].rstrip(".")


@pytest.mark.parametrize("line", [
    "31 December 2021 will be remembered as the day of the call, Ushakov said.",
    "NATO — which has 30 members — said it would meet.",
    "March 29 was the day the ship was freed.",
    "Egypt, Sudan and Libya — all neighbours — were affected.",
])
def test_prose_that_starts_like_a_dateline_stays_whole(line: str) -> None:
    assert marked(f"{line}\n\n{PROSE}\n") == []


@pytest.mark.parametrize(("line", "kind"), [
    ("By Aidan Lewis and Mahmoud Mourad", "byline"),
    ("By Sally Nabil, Cairo · 29 March 2021", "byline"),
    ("Home » World", "navigation"),
    ("News > World > Middle East", "navigation"),
    ("Photo: The Ever Given is seen after it was fully dislodged, in Suez, Egypt.",
     "photo caption"),
    ("Image caption, The canal is one of the world's busiest waterways", "photo caption"),
    ("Reporting by Aidan Lewis; Additional reporting by Jonathan Saul; Editing by Alex "
     "Richardson", "credits"),
    ("Associated Press writers in Cairo contributed to this report.", "credits"),
    ("Advertisement · Scroll to continue", "promo"),
    ("March 29, 2021 11:03 PM UTC Updated ago", "dateline"),
])
def test_junk_lines_by_cue_class(line: str, kind: str) -> None:
    assert boilerplate_line_kind(line) == kind


@pytest.mark.parametrize("line", [
    "By the end of the week, ships were moving again.",
    "Reporting by the Financial Times suggested the ship was stuck.",
    "Video, which emerged on Tuesday, showed the ship.",
    "Biden/Putin summit",
    "Suez Canal | Ever Given freed",
    "The talks > expectations, he said.",
])
def test_prose_is_not_junk(line: str) -> None:
    assert boilerplate_line_kind(line) is None
