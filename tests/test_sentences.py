"""Sentence, word and paragraph boundaries, on the real seeds and on any text (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import load_article, load_corpus
from tui.model import Span
from tui.sentences import paragraph_spans, sentence_spans, word_spans

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str):
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return load_article(path)


def sentences_of(text: str, exclude: tuple[Span, ...] = ()) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text, exclude)]


def seed_sentences(prefix: str) -> list[str]:
    article = seed(prefix)
    return sentences_of(article.text, article.boilerplate)


# Hard sentences from the seeds, each exactly one sentence as the analyst reads it.
HARD_SEED_SENTENCES = [
    # "Dec.7" without a space is not the end of a sentence.
    (
        "004",
        "Thursday’s Biden-Putin phone call which had been initiated by the Russian side lasted "
        "about 50 minutes and unlike the prior Dec.7 call included no public segment.",
    ),
    # A closing quote after the full stop belongs to the sentence; the next one starts after it.
    (
        "003",
        "Despite the rhetoric of diplomacy, officials on both sides regarded the conversation as "
        "“serious.”",
    ),
    (
        "003",
        "Neither country revealed considerable progress toward a resolution or the broad contours "
        "of any agreement.",
    ),
    # Two quotations back to back: ...countries.” “Our president...
    (
        "003",
        "Putin “quickly answered,” according to Ushakov, that any penalties imposed now or in the "
        "future “may lead to a complete collapse in ties between our countries.”",
    ),
    (
        "003",
        "“Our president also emphasised that it would be a mistake that our successors would look "
        "back on as a tremendous blunder,” he continued.",
    ),
    # [NATO’s] in square brackets, quotes ending in ,” mid-sentence.
    (
        "000",
        "If Russia chose to “proceed with a further invasion of Ukraine,” it would face “serious” "
        "consequences, including “economic costs,”\xa0“adjustments and augmentations of [NATO’s] "
        "force posture in Allied countries,” and “additional assistance to Ukraine,” an unnamed "
        "senior US official warned.",
    ),
    (
        "002",
        "“Today’s conversation was good, constructive, frank, and it seems to me that it provides "
        "not a bad, even in fact a good, basis for the start of negotiations.”",
    ),
    # Times with colons and "pm".
    (
        "002",
        "The 50-minute call began at 3:35 pm Washington time, 11:35 pm in Moscow, according to "
        "the White House.",
    ),
    ("001", "The talks will be conducted in three formats."),
    (
        "001",
        "The series of talks will be capped off by a meeting on January 13 at the level of the "
        "Organization for Security and Cooperation in Europe (OSCE).",
    ),
    # A non-breaking space before the opening quote.
    (
        "004",
        "He further said in the call aftermath,\xa0“Today’s conversation was good, constructive, "
        "frank, and it seems to me that it provides not a bad, even in fact a good, basis for the "
        "start of negotiations.”",
    ),
    # A paragraph without a final full stop is still a sentence, ended by its line.
    (
        "004",
        "However, Biden was cited as saying he would avoid deploying offensive weapons in Ukraine "
        "in order to work toward de-escalation",
    ),
    # Headlines end at their line; the standfirst above has no full stop either.
    ("000", "Five key takeaways from latest Putin-Biden call"),
    (
        "000",
        "The Russian and US presidents focused on Ukraine and Moscow's proposals for security "
        "guarantees in Europe",
    ),
    ("000", "Here are the key points the two leaders discussed:"),
    # The dateline glued to the standfirst is split off (boilerplate): the sentence is prose.
    (
        "001",
        "A phone call between the Russian President and his US counterpart "
        "revolved around the issue of Ukraine and proposals for security guaranties that are set "
        "to top the agenda at upcoming US-Russia talks",
    ),
]


@pytest.mark.parametrize(("prefix", "sentence"), HARD_SEED_SENTENCES)
def test_hard_seed_sentences_split_right(prefix: str, sentence: str) -> None:
    assert sentence in seed_sentences(prefix)


@pytest.mark.parametrize(
    ("prefix", "count"), [("000", 24), ("001", 24), ("002", 34), ("003", 26), ("004", 16)]
)
def test_seed_sentence_counts(prefix: str, count: int) -> None:
    """Counted by hand: one per headline, standfirst and sentence of prose. Not counted, being
    boilerplate: 000's and 002's headline repeated, 002's photo caption (twice over its
    credit), and the three teasers of other stories at 003's end (3 headlines, 5 sentences)."""
    assert len(seed_sentences(prefix)) == count


def test_agrees_with_syntok_on_every_seed_paragraph() -> None:
    """syntok (a maintained segmenter, 20x slower) is the oracle for the seeds' prose."""
    from syntok.segmenter import analyze

    checked = 0
    for article in load_corpus([SEEDS]):
        for paragraph in paragraph_spans(article.text, article.boilerplate):
            text = article.text[paragraph.start : paragraph.end]
            theirs = []
            for syntok_paragraph in analyze(text):
                for sentence in syntok_paragraph:
                    tokens = list(sentence)
                    end = tokens[-1].offset + len(tokens[-1].value)
                    theirs.append(text[tokens[0].offset : end].strip())
            assert sentences_of(text) == theirs
            checked += 1
    assert checked == 76


def test_the_lp_line_is_one_sentence_and_excluded_as_boilerplate() -> None:
    article = seed("002")
    assert "©2021 Bloomberg L.P." in sentences_of(article.text)
    assert not any("Bloomberg L.P." in s for s in seed_sentences("002"))


def test_no_sentence_touches_boilerplate_or_crosses_a_line() -> None:
    for article in load_corpus([SEEDS]):
        for span in sentence_spans(article.text, article.boilerplate):
            sentence = article.text[span.start : span.end]
            assert "\n" not in sentence
            assert sentence == sentence.strip()
            assert not any(span.overlaps(junk) for junk in article.boilerplate)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He met Mr. Putin. Then he left.", ["He met Mr. Putin.", "Then he left."]),
        ("U.S. officials said no. The Kremlin agreed.", None),
        ("It sits in the U.S. Senate now.", None),
        (
            "He moved to the U.S. The move was quick.",
            ["He moved to the U.S.", "The move was quick."],
        ),
        ("Made in the U.S.A and sold.", None),
        ("after the call.The White House said", ["after the call.", "The White House said"]),
        ("Gen. Milley and Lt. Col. Vindman spoke.", None),
        ("J. Smith wrote it.", None),
        ("“Why?” he asked.", None),
        ("“Are we threatening anyone?” Putin asked.", None),
        ("“Why?” Kremlin aide Yuri Ushakov asked.", None),
        (
            "“We are happy.” Ushakov said the talks were good.",
            ["“We are happy.”", "Ushakov said the talks were good."],
        ),
        ("“We are happy.” He said so.", ["“We are happy.”", "He said so."]),
        (
            "“It is serious.” The White House said so.",
            ["“It is serious.”", "The White House said so."],
        ),
        ("“Why?” Putin left.", ["“Why?”", "Putin left."]),
        ("He said: “No.” Then he left.", ["He said: “No.”", "Then he left."]),
        ("(See above.) Then more.", ["(See above.)", "Then more."]),
        ("Growth was 3.5 percent.", None),
        ("Wait... Then it came.", ["Wait...", "Then it came."]),
        ("Wait... then it came.", None),
        ("The Dec. 7 call was short.", None),
        (
            "He works at Apple Inc. The company agreed.",
            ["He works at Apple Inc.", "The company agreed."],
        ),
        (
            "Talks end at 5 p.m. The next round is in May.",
            ["Talks end at 5 p.m.", "The next round is in May."],
        ),
        ("It rose. 50 people came.", ["It rose.", "50 people came."]),
        ("Really?! Yes.", ["Really?!", "Yes."]),
        ("No, no, no… Maybe.", ["No, no, no…", "Maybe."]),
        ("See e.g. the report.", None),
        ("  Spaced out.   \n\n  Next line  ", ["Spaced out.", "Next line"]),
        (
            "普京与拜登通话五十分钟。克里姆林宫表示会谈坦诚。",
            ["普京与拜登通话五十分钟。", "克里姆林宫表示会谈坦诚。"],
        ),
        ("「会谈坦诚。」他说。", ["「会谈坦诚。」", "他说。"]),
        (
            "قال الكرملين إن المكالمة كانت جيدة. قال بايدن",
            ["قال الكرملين إن المكالمة كانت جيدة.", "قال بايدن"],
        ),
        ("הנשיא דיבר עם Biden בטלפון. הוא אמר", ["הנשיא דיבר עם Biden בטלפון.", "הוא אמר"]),
        (
            "Leaders 👨‍👩‍👧‍👦 met 🇺🇦 today. The aide 👍🏽 said 𝒳.",
            ["Leaders 👨‍👩‍👧‍👦 met 🇺🇦 today.", "The aide 👍🏽 said 𝒳."],
        ),
    ],
)
def test_abbreviations_quotes_and_scraped_text(text: str, expected: list[str] | None) -> None:
    assert sentences_of(text) == (expected if expected is not None else [text])


def test_excluded_spans_cut_lines() -> None:
    text = "date 2021-12-31 A standfirst here. Second one.\nJunk line\nProse."
    exclude = (Span(0, 15), Span(47, 56))
    assert sentences_of(text, exclude) == ["A standfirst here.", "Second one.", "Prose."]
    assert [text[s.start : s.end] for s in paragraph_spans(text, exclude)] == [
        "A standfirst here. Second one.",
        "Prose.",
    ]


def test_paragraphs_are_trimmed_non_blank_lines() -> None:
    text = "  One. Two.  \n\n\xa0\nThree\n"
    assert paragraph_spans(text) == [Span(2, 11), Span(17, 22)]


def test_words() -> None:
    text = "NATO’s de-escalation on 9-10 January, 60,000 troops at 3:35 pm — “Today’s”; U.S. it's"
    words = [text[s.start : s.end] for s in word_spans(text)]
    assert words == [
        "NATO’s", "de-escalation", "on", "9-10", "January", "60,000", "troops", "at", "3:35",
        "pm", "Today’s", "U", "S", "it's",
    ]  # fmt: skip


def test_words_within_a_span_are_whole() -> None:
    text = "The de-escalation talks"
    assert word_spans(text, Span(0, 3)) == [Span(0, 3)]
    # A window that starts or ends inside a word still yields the whole word.
    assert word_spans(text, Span(6, 19)) == [Span(4, 17), Span(18, 23)]
    assert word_spans(text, Span(17, 18)) == []


def test_one_megabyte_splits_as_its_parts_do() -> None:
    """1 MB of the seeds repeated splits into the seeds' sentences, repeated (how fast is in
    bench/, not here)."""
    prose = "\n\n".join(article.text for article in load_corpus([SEEDS]))
    copies = 1_000_000 // len(prose) + 1
    big = (prose + "\n\n") * copies
    spans = sentence_spans(big)
    assert len(spans) == copies * len(sentence_spans(prose + "\n\n"))
    assert len(spans) > 7000


# --------------------------------------------------------------------------- properties

hard_pieces = st.sampled_from(
    [" ", "  ", "\n", "\n\n", "\xa0", ".", "...", "…", "?", "!", "”", "“", "’", "'", '"', "(",
     ")", "[", "]", "U.S.", "Mr.", "Dec.7", "L.P.", "The", "the", "A", "a", "9", "-", ",", ":",
     "e\u0301", "\u2028", "\t", "NATO’s", "x"]
)  # fmt: skip
any_text = st.lists(st.one_of(hard_pieces, st.characters(codec="utf-8"))).map("".join)


@st.composite
def text_and_exclusions(draw: st.DrawFn) -> tuple[str, list[Span]]:
    text = draw(any_text)
    offsets = st.integers(0, len(text))
    # Any spans at all: unsorted, overlapping, empty, touching.
    pairs = draw(st.lists(st.tuples(offsets, offsets), max_size=5))
    return text, [Span(min(a, b), max(a, b)) for a, b in pairs]


@given(text_and_exclusions())
@settings(max_examples=400)
def test_sentence_spans_are_sorted_disjoint_stripped_and_in_bounds(
    case: tuple[str, list[Span]],
) -> None:
    text, exclude = case
    spans = sentence_spans(text, exclude)
    previous_end = 0
    for span in spans:
        assert previous_end <= span.start < span.end <= len(text)
        piece = text[span.start : span.end]
        assert piece == piece.strip()
        assert "\n" not in piece
        # No character of an excluded span (an empty one has none; Span.overlaps says otherwise).
        assert not any(junk.start < span.end and span.start < junk.end for junk in exclude if junk)
        previous_end = span.end
    # Sentences tile the paragraphs: every visible character is in exactly one sentence.
    paragraphs = paragraph_spans(text, exclude)
    covered = {i for span in spans for i in range(span.start, span.end)}
    visible = {i for p in paragraphs for i in range(p.start, p.end) if not text[i].isspace()}
    assert visible <= covered
    assert all(any(p.start <= s.start and s.end <= p.end for p in paragraphs) for s in spans)


@given(any_text)
def test_words_are_maximal_and_cover_every_letter_and_digit(text: str) -> None:
    spans = word_spans(text)
    assert spans == sorted(spans)
    covered = set()
    for span in spans:
        assert span.end > span.start
        assert span.start == 0 or not text[span.start - 1].isalnum()
        assert span.end == len(text) or not text[span.end].isalnum()
        assert text[span.start].isalnum() and not any(
            c.isspace() for c in text[span.start : span.end]
        )
        covered.update(range(span.start, span.end))
    assert all(i in covered for i, c in enumerate(text) if c.isalnum())


@given(any_text, st.integers(0, 50), st.integers(0, 50))
def test_words_within_are_the_words_that_overlap(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    window = Span(start, end)
    expected = [w for w in word_spans(text) if w.overlaps(window)] if end > start else []
    assert word_spans(text, window) == expected
