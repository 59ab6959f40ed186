"""The lexical index behind the compare matrix: terms, cues, units and scores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tui.corpus import load_corpus
from tui.lexical import (
    LexicalIndex,
    content_terms,
    names_and_numbers,
    negated,
    units_of,
)


def test_terms_are_stemmed_content_words_with_numbers_kept_whole() -> None:
    terms = content_terms("The Kremlin warned that 60,000 troops were invading, and said 9.6bn.")
    assert terms == ["kremlin", "warn", "60000", "troop", "invad", "said", "9.6", "bn"]
    # Inflections of one word are one term; function words are none.
    assert content_terms("invades") == content_terms("invaded") == content_terms("invading")
    assert content_terms("it was of the and to") == []


def test_negation_and_denial_are_one_cue_class() -> None:
    for text in ("We have no plans to attack.", "Russia does not intend to invade.",
                 "Moscow denied it.", "They won’t go.", "Kyiv rejects the claim.",
                 "Officials ruled out an attack.", "The fears were unfounded."):
        assert negated(text), text
    for text in ("We plan to attack.", "Notably, the talks went on.", "Now they know."):
        assert not negated(text), text


def test_names_and_numbers() -> None:
    names, numbers = names_and_numbers("Talks with Ushakov in Geneva on January 9-10 cost $9.6bn.")
    assert {"ushakov", "geneva", "januari"} <= names and "talk" not in names
    assert numbers == {"9", "10", "9.6"}


@pytest.fixture
def corpus(tmp_path: Path):  # noqa: ANN201
    (tmp_path / "a.txt").write_text(
        "Title of A\n\n"
        "The Kremlin rejected the claim, calling it absurd. Talks will start in Geneva.\n\n"
        "Share this article\n\n"
        "Markets were calm on Friday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Title of B\n\n"
        "Negotiators will meet in Geneva next month, officials said.\n\n"
        "The Kremlin dismissed the accusation as absurd; it said nothing more.\n",
        encoding="utf-8")
    return load_corpus([tmp_path])


def test_units_are_sentences_pairs_within_a_paragraph_and_clauses(corpus) -> None:  # noqa: ANN001
    article = corpus.get("a")
    units = units_of(article)
    texts = {(u.kind, article.text[u.start : u.end]) for u in units}
    assert ("sentence", "Talks will start in Geneva.") in texts
    assert ("pair", "The Kremlin rejected the claim, calling it absurd. Talks will start in "
                    "Geneva.") in texts
    # No pair across paragraphs, and boilerplate is never a unit.
    assert not any(k == "pair" and "Markets" in t for k, t in texts)
    assert not any("Share this" in t for _, t in texts)
    # Clauses of at least four words only, and only where a sentence has two or more.
    assert ("clause", "The Kremlin rejected the claim") not in texts  # "calling it absurd." is 3
    b = corpus.get("b")
    clauses = [b.text[u.start : u.end] for u in units_of(b) if u.kind == "clause"]
    # "officials said." is too short to be a clause, so the first sentence has none.
    assert clauses == ["The Kremlin dismissed the accusation as absurd", "it said nothing more."]


def test_scores_weigh_rare_words_and_rank_the_rewording_first(corpus) -> None:  # noqa: ANN001
    index = LexicalIndex()
    for article_id in corpus.ids:
        index.add(corpus.get(article_id))
    index.freeze()
    text = corpus.get("a").text
    # A unit scores 1 against its own text; a unit sharing no content word scores 0.
    scores = index.scores("Markets were calm on Friday.")
    own = next(n for n, u in enumerate(index.units)
               if text[u.start : u.end] == "Markets were calm on Friday.")
    assert scores[own] == pytest.approx(1.0)
    first, last = index.ranges["b"]
    assert np.all(scores[first:last] == 0)
    # The rewording in b ranks first there.
    scores = index.scores("The Kremlin rejected the claim as absurd.")
    best = index.best_per_article(scores, ["b", "a", "missing"])
    assert best[2] == -1
    unit = index.units[best[0]]
    assert corpus.get("b").text[unit.start : unit.end].startswith("The Kremlin dismissed")
    # A rare word shared counts for more than a common one: "Geneva" is in two sentences,
    # "Kremlin" too, "absurd" as well; "Friday" in one.
    assert index.idf[index.passage_terms("Friday")[0]][0] > index.idf[
        index.passage_terms("Geneva")[0]][0] * 0.99
    # Only some kinds.
    only_sentences = index.only(scores, ["sentence"])
    assert all(index.units[n].kind == "sentence" for n in np.flatnonzero(only_sentences > -np.inf))


def test_a_frozen_index_takes_no_more_articles(corpus) -> None:  # noqa: ANN001
    index = LexicalIndex()
    index.add(corpus.get("a"))
    index.freeze()
    with pytest.raises(RuntimeError):
        index.add(corpus.get("b"))
    # A passage of words the corpus never saw scores nothing anywhere.
    assert not index.scores("zyxwv qwerty").any()


def test_the_way_back_scores_a_unit_against_one_article_as_a_passage_would(corpus) -> None:  # noqa: ANN001
    index = LexicalIndex()
    for article_id in corpus.ids:
        index.add(corpus.get(article_id))
    index.freeze()
    first, last = index.ranges["a"]
    asked = list(range(*index.ranges["b"]))
    within = index.scores_within(asked, first, last)
    assert within.shape == (len(asked), last - first)
    for row, number in enumerate(asked):
        unit = index.units[number]
        text = corpus.get("b").text[unit.start : unit.end]
        assert np.allclose(within[row], index.scores(text)[first:last])
    assert index.scores_within([], first, last).shape == (0, last - first)


def test_the_words_of_an_attribution_frame_weigh_less(corpus) -> None:  # noqa: ANN001
    index = LexicalIndex()
    for article_id in corpus.ids:
        index.add(corpus.get(article_id))
    index.freeze()
    passage = "Markets were calm, the Kremlin said."
    full = index.scores(passage)
    quiet = index.scores(passage, muted=["the Kremlin said."], mute=0.25)
    kremlin = [n for n, u in enumerate(index.units)
               if "Kremlin" in corpus.get(u.article_id).text[u.start : u.end]
               and "calm" not in corpus.get(u.article_id).text[u.start : u.end]]
    assert kremlin and all(quiet[n] < full[n] for n in kremlin)
    # A muted word also said elsewhere in the passage keeps its weight.
    again = "The Kremlin said so, the Kremlin said."
    assert np.allclose(index.scores(again, muted=["the Kremlin said."], mute=0.0),
                       index.scores(again))
