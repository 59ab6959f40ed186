"""Markdown articles: the title from the first heading, markup dimmed and never at the edge of
a sentence, a word-trimmed or a suggested passage, offsets into the file's own text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.corpus import load_article, load_corpus
from tui.markdown import markdown_parts
from tui.model import Span, blank_out
from tui.sentences import sentence_spans, trim_units, trimmed, word_spans

STORY = """---
title: Talks in Geneva (front matter)
date: 2022-01-10
source: Ledger Notes
---
# Talks set for *Geneva* as Biden and Putin speak

Russian President **Vladimir Putin** and US President Joe Biden spoke for 50 minutes, \
according to [the Kremlin](https://en.kremlin.ru/events "Kremlin") and the White House.

## What was agreed

- Bilateral talks will start in _Geneva_ on 9 January.
- A Russia-NATO Council meeting follows in **Brussels**.
1. Talks in Vienna within the [OSCE][osce].

> “This is what we are working for,” Ushakov said.
> Nothing else was agreed.

The call began at `3:35 pm` Washington time\\* (see note). ![map](map.png)

---

[osce]: https://www.osce.org
"""

MARKS = "#*_[]()`>-!\\"


def article_of(tmp_path: Path, text: str = STORY):  # noqa: ANN201 - an Article
    path = tmp_path / "story.md"
    path.write_text(text, "utf-8")
    return load_article(path)


def test_the_title_is_the_first_heading_without_its_marks(tmp_path: Path) -> None:
    article = article_of(tmp_path)
    assert article.title == "Talks set for Geneva as Biden and Putin speak"
    assert article.kind == "md"
    # The front matter gives what the headings do not, and is boilerplate.
    assert (article.date, article.outlet) == ("2022-01-10", "Ledger Notes")
    assert article.text[article.boilerplate[0].start : article.boilerplate[0].end].startswith(
        "---\ntitle:")


def test_a_setext_heading_is_a_title_too(tmp_path: Path) -> None:
    article = article_of(tmp_path, "Putin and Biden talk\n====================\n\nThey did.\n")
    assert article.title == "Putin and Biden talk"


def test_the_text_is_the_files_and_markup_is_marked(tmp_path: Path) -> None:
    article = article_of(tmp_path)
    assert article.text == STORY
    marked = [article.text[s.start : s.end] for s in article.markup]
    for mark in ["#", "*", "**", "](https://en.kremlin.ru/events \"Kremlin\")", "##", "-", "_",
                 "1.", "][osce]", ">", "`", "\\", "![map](map.png)", "---"]:
        assert mark in marked, mark
    # Words are never markup.
    for span in article.markup:
        assert not any(w in article.text[span.start:span.end] for w in ("Putin", "Geneva"))


def test_no_sentence_starts_or_ends_on_markup(tmp_path: Path) -> None:
    article = article_of(tmp_path)
    sentences = [article.text[s.start : s.end]
                 for s in sentence_spans(article.plain, article.boilerplate)]
    assert "Talks set for *Geneva* as Biden and Putin speak" in sentences
    assert "What was agreed" in sentences
    assert "Bilateral talks will start in _Geneva_ on 9 January." in sentences
    assert "A Russia-NATO Council meeting follows in **Brussels**." in sentences
    assert "Talks in Vienna within the [OSCE][osce]." in sentences
    assert "“This is what we are working for,” Ushakov said." in sentences
    assert "Nothing else was agreed." in sentences
    # The link target is inside its sentence (dimmed), never cut out of it.
    assert any(s.startswith("Russian President **Vladimir Putin**") and
               s.endswith("and the White House.") for s in sentences)
    for sentence in sentences:
        assert sentence[0] not in MARKS and sentence[-1] not in MARKS.replace(")", ""), sentence
    assert not any(s.startswith("osce") or "https://www.osce.org" == s for s in sentences)


def test_word_trimming_and_drags_never_stop_on_markup(tmp_path: Path) -> None:
    article = article_of(tmp_path)
    start = article.text.index("- A Russia-NATO")
    line = Span(start, article.text.index("\n", start))
    units = [article.text[u.start : u.end] for u in trim_units(article.plain, line)]
    assert units[0] == "A" and units[-1] == "Brussels"
    words = [article.text[w.start : w.end] for w in word_spans(article.plain, line)]
    assert "**Brussels" not in words and "Brussels" in words and "-" not in words


def test_a_suggested_passage_is_trimmed_of_markup(tmp_path: Path) -> None:
    article = article_of(tmp_path)
    start = article.text.index("**Vladimir")
    span = trimmed(article.plain, Span(start - 1, start + len("**Vladimir Putin**")))
    assert article.text[span.start : span.end] == "Vladimir Putin"


def test_the_reader_of_a_markdown_corpus_lists_it(tmp_path: Path) -> None:
    article_of(tmp_path)
    (tmp_path / "plain.md").write_text("No heading here. Just prose.\n", "utf-8")
    corpus = load_corpus([tmp_path])
    assert [(i.id, i.title, i.kind) for i in corpus.infos] == [
        ("plain", "No heading here", "md"),
        ("story", "Talks set for Geneva as Biden and Putin speak", "md")]


LINE_TEXT = st.text(alphabet=st.sampled_from(list("abc XYZ.,*_#-[]()`>!\\1\n")), max_size=200)


@settings(max_examples=300, deadline=None)
@given(LINE_TEXT)
def test_no_sentence_of_any_markdown_has_markup_at_an_edge(text: str) -> None:
    parts = markdown_parts(text)
    previous = 0
    inside: set[int] = set()
    for span in parts.markup:
        assert previous <= span.start < span.end <= len(text)
        previous = span.end
        inside.update(range(span.start, span.end))
    plain = blank_out(text, parts.markup)
    assert len(plain) == len(text)
    for sentence in sentence_spans(plain, [parts.front_matter] if parts.front_matter else []):
        assert sentence.start not in inside and sentence.end - 1 not in inside


@pytest.mark.parametrize("text", ["", "\n\n", "#", "- ", "***", "[a](", "`x", "> > >"])
def test_odd_markdown_does_not_fail(text: str) -> None:
    assert markdown_parts(text).markup is not None
