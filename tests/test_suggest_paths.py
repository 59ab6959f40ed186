"""The faster paths of the suggestions engine give what the direct definitions give (issue 15,
item 6). Each path is checked against the plain computation it replaces, on the seeds, on
hostile text and on text hypothesis makes up. No timing here: bench/suggest.py measures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hostile import ESCAPES, MARKUP, big_text, long_line
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.attribution import frames
from tui.compare import Aligner, _fold_sentences, _Folded, fold
from tui.config import Config
from tui.corpus import load_corpus
from tui.dates import _CLAUSE_BREAK, _last_break, _next_break, find_dates
from tui.lexical import LexicalIndex, content_terms, negated, units_of
from tui.model import Article, Span
from tui.rules import RuleSet, default_rules, prepare
from tui.sentences import sentence_spans, word_spans
from tui.suggest import Suggestions, _same_passage, _snap

ROOT = Path(__file__).resolve().parent.parent

#: Pieces of news text and of what breaks it: cue words of every default tag, dates, clause
#: breaks, quote styles, digits with separators, letters that fold longer (ß, ﬁ), combining
#: marks, other scripts, markup and escape sequences.
PIECES = (
    "said", "Officials said", "according to", "warned", "would face", "sanctions", "if",
    "denied", "rejected the claim", "no plans", "talks", "will meet", "on January 9",
    "next week", "Wednesday", "in two weeks", "called off", "not", "didn’t", "ruled", "out",
    "rules out", "never", "60,000", "9.6bn", "U.S.", "Mr.", "—", " - ", ",", ";", ":", ".",
    ". ", "? ", "! ", "“", "”", "\"", "'", "’", "(", ")", "\n", "\n\n", "  ", "Straße",
    "ﬁne",
    "café", "cafe\u0301", "Київ", "東京", "İstanbul", "[bold]x[/]", "\x1b[31m", "_",
    "n't",
)
news_text = st.lists(st.sampled_from(PIECES), min_size=1, max_size=60).map(" ".join)
mixed_text = st.one_of(news_text, st.text(max_size=300))


def article_of(text: str, article_id: str = "a", date: str = "2021-12-31") -> Article:
    return Article(article_id, Path(f"{article_id}.txt"), text, title=article_id, date=date)


def hostile_texts() -> list[str]:
    return [ESCAPES, MARKUP, big_text(0.02), long_line(3_000)]


def seed_articles() -> list[Article]:
    return load_corpus([ROOT / "seeds"]).load_all()


# --------------------------------------------------------------------------- folding


def folded_by_sentence(article: Article, sentences: list[Span]) -> tuple[str, list[int]]:
    """The definition: each sentence folded, joined by a space at the next one's start."""
    parts: list[str] = []
    where: list[int] = []
    for sentence in sentences:
        folded, offsets = fold(article.text, sentence.start, sentence.end)
        if not folded:
            continue
        if parts:
            parts.append(" ")
            where.append(offsets[0])
        parts.append(folded)
        where.extend(offsets)
    return "".join(parts), where


def check_fold(article: Article) -> None:
    sentences = sentence_spans(article.plain, article.boilerplate)
    expected = folded_by_sentence(article, sentences)
    fast = _fold_sentences(article.text, sentences)
    if fast is not None:
        assert (fast[0], fast[1].tolist()) == expected
    folded = _Folded.of(article, sentences)
    assert (folded.text, folded.where.tolist()) == expected


def test_folding_a_whole_article_at_once_is_folding_each_sentence() -> None:
    for article in seed_articles():
        assert _fold_sentences(article.text, sentence_spans(article.plain,
                                                            article.boilerplate)) is not None
        check_fold(article)
    for number, text in enumerate(hostile_texts()):
        check_fold(article_of(text, f"h{number}"))


def test_text_the_array_path_cannot_fold_goes_the_per_sentence_way() -> None:
    for text in ("Die Straße ist zu.", "A ﬁne day.", "Cafe\u0301 talks."):
        article = article_of(text)
        assert _fold_sentences(text, sentence_spans(text)) is None
        check_fold(article)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_text)
def test_folding_matches_on_made_up_text(text: str) -> None:
    check_fold(article_of(text))


def test_span_of_widens_to_the_words_at_both_edges() -> None:
    for article in seed_articles():
        folded = _Folded.of(article)
        for start in range(0, len(folded.text) - 40, 37):
            for length in (1, 5, 40):
                first = folded.where[start]
                last = folded.where[start + length - 1] + 1
                words = word_spans(article.text, Span(first, last))
                if words:
                    first, last = min(first, words[0].start), max(last, words[-1].end)
                assert folded.span_of(start, start + length) == Span(first, last)


# --------------------------------------------------------------------------- the index


def check_index(articles: list[Article], prefix: int = 0) -> None:
    """Every unit's terms and negation are those of its own text (the definitions)."""
    index = LexicalIndex(prefix=prefix)
    expected_units = []
    for article in articles:
        index.add(article)
        expected_units += units_of(article)
    index.freeze()
    assert list(index.units) == expected_units
    texts = {a.id: a.text for a in articles}
    for number, unit in enumerate(index.units):
        piece = texts[unit.article_id][unit.start : unit.end]
        if unit.kind == "pair":
            first, second = (s for s in index.units
                             if s.article_id == unit.article_id and s.kind == "sentence"
                             and s.sentences[0] in unit.sentences)
            text = texts[unit.article_id]
            terms = (index._terms(text[first.start : first.end])
                     + index._terms(text[second.start : second.end]))
        else:
            terms = index._terms(piece)
        ids = sorted({index._vocabulary[t] for t in terms})
        assert index.unit_terms(number).tolist() == ids, unit
        assert index.negated[number] == negated(piece), unit


def test_the_index_reads_each_sentence_once_and_gets_every_unit_right() -> None:
    articles = seed_articles()
    check_index(articles)
    check_index(articles, prefix=5)
    check_index([article_of(text, f"h{n}") for n, text in enumerate(hostile_texts())])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mixed_text, min_size=1, max_size=3))
def test_the_index_matches_on_made_up_text(texts: list[str]) -> None:
    check_index([article_of(text, f"a{n}") for n, text in enumerate(texts)])


def test_a_negation_that_crosses_two_sentences_of_a_pair_is_found() -> None:
    # The first sentence of the pair ends on a word (a line cut by boilerplate may): the
    # pair's text holds "ruled out" though neither sentence does.
    text = "They ruled out. More"
    article = article_of(text)
    pair = Span(0, len(text))
    index = LexicalIndex()
    index.add(article, [Span(0, 10), Span(11, len(text))])
    units = [(u.kind, u.start, u.end) for u in index.units]
    assert ("pair", pair.start, pair.end) in units
    assert index.negated[units.index(("pair", pair.start, pair.end))] == negated(
        "They ruled out. More")
    assert content_terms("They ruled") == ["rule"]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0, -np.inf]), max_size=6),
                min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_the_best_unit_of_every_article_at_once_is_argmax_per_article(
        sizes: list[list[float]], chance) -> None:  # noqa: ANN001
    """Ties (the first wins), minus infinity, articles with no unit, ids asked twice or in
    another order, ids the index does not have."""
    index = LexicalIndex()
    first = 0
    for n, values in enumerate(sizes):
        index.ranges[f"a{n}"] = (first, first + len(values))
        first += len(values)
    scores = np.array([v for values in sizes for v in values], dtype=np.float64)
    asked = [f"a{n}" for n in range(len(sizes))] + ["gone", "a0"]
    chance.shuffle(asked)
    expected = []
    for article_id in asked:
        low, high = index.ranges.get(article_id, (0, 0))
        expected.append(low + int(np.argmax(scores[low:high])) if high > low else -1)
    assert index.best_per_article(scores, asked) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(news_text, min_size=1, max_size=6), st.data())
def test_verbatim_search_through_all_articles_is_each_article_s_own(
        texts: list[str], data) -> None:  # noqa: ANN001
    """One search through the joined folded texts finds, per article, the first whole-word
    occurrence that :meth:`_Folded.find_words` finds in it alone: at an article's first and
    last character, after a part-word occurrence, in articles with none or with no text."""
    from tui.corpus import Corpus

    articles = [article_of(text, f"a{n}") for n, text in enumerate(texts)]
    aligner = Aligner(Corpus(articles), scorer="lexical")
    aligner.prepare()
    folded = [aligner.folded(a.id) for a in articles]
    pieces = [f.text for f in folded if f.text]
    needles = {"s", "said", "no plans"}
    for text in pieces:
        words = text.split(" ")
        start = data.draw(st.integers(0, len(words) - 1))
        needles.add(" ".join(words[start : start + data.draw(st.integers(1, 4))]))
        needles.add(text[: data.draw(st.integers(1, len(text)))])  # maybe a part word
    for needle in needles:
        expected = {a.id: f.find_words(needle) for a, f in zip(articles, folded, strict=True)}
        assert aligner._verbatim(needle) == {k: v for k, v in expected.items() if v >= 0}
        # Asked for some articles (a batch process's part): found in each of those as alone.
        first = data.draw(st.integers(0, len(articles) - 1))
        asked = [a.id for a in articles[first : first + data.draw(st.integers(1, 3))]]
        found = aligner._verbatim(needle, asked)
        assert {k: found.get(k, -1) for k in asked} == {k: expected[k] for k in asked}


def test_every_cell_s_features_and_score_are_their_definitions() -> None:
    """The cells of a row are scored together (arrays, one rapidfuzz call): each cell's
    features, evidence, score and kind are what the per-cell definitions give."""
    from rapidfuzz import fuzz

    from tui.compare import CALIBRATION, REWORDED, Weights, calibrated

    corpus = load_corpus([ROOT / "seeds"])
    articles = corpus.load_all()
    for weights in (Weights(), Weights(fuzzy=0.0, back=0.0)):
        aligner = Aligner(corpus, scorer="lexical", weights=weights)
        index = aligner.index
        unit_at = {(u.article_id, u.start, u.end): n for n, u in enumerate(index.units)}
        checked = 0
        for source in articles[:2]:
            for sentence in sentence_spans(source.plain, source.boilerplate)[:12]:
                passage = source.text[sentence.start : sentence.end]
                needle = fold(passage)[0]
                coefficients = CALIBRATION["lexical"]
                scales = weights.scales("lexical")
                others = [a.id for a in articles if a.id != source.id]
                row = aligner._matches(passage, others, source=(source.id, sentence))
                assert list(row) == others
                for article_id, match in row.items():
                    if match.kind == "verbatim" or match.span is None:
                        continue
                    number = unit_at[(article_id, match.span.start, match.span.end)]
                    lexical, fuzzy, negation, _back = match.features
                    assert lexical == float(index.scores(passage, muted=[
                        passage[a:b] for a, b in frames(passage)], mute=weights.mute)[number])
                    assert fuzzy == (fuzz.token_set_ratio(needle, aligner._unit_text(number))
                                     / 100 if weights.fuzzy else 0.0)
                    assert negation == float(negated(passage) != index.negated[number])
                    assert match.evidence == coefficients[-1] + sum(
                        w * k * f for w, k, f in zip(coefficients, scales, match.features,
                                                     strict=False))
                    assert match.score == calibrated(match.evidence)
                    assert match.kind == ("reworded" if match.score >= REWORDED else "absent")
                    checked += 1
        assert checked > 60


# --------------------------------------------------------------------------- rules


def test_rules_of_all_tags_together_fire_as_each_tag_alone() -> None:
    """The combined pass (every tag's rules in one RuleSet) against one tag at a time."""
    rules = default_rules()
    together = RuleSet(rules)
    alone = {tag: RuleSet({tag: r}) for tag, r in rules.items()}
    texts = [a.text for a in seed_articles()] + hostile_texts()
    for text in texts:
        check_fire(together, alone, text)


def check_fire(together: RuleSet, alone: dict[str, RuleSet], text: str) -> None:
    prepared = prepare(text)
    mentions = find_dates(text, "2021-12-31")
    for sentence in sentence_spans(text):
        inside = [m for m in mentions if sentence.start <= m.start < sentence.end]
        for spans in (True, False):
            combined = together.fire(text, sentence.start, sentence.end, inside,
                                     "2021-12-31", prepared, spans=spans)
            one_by_one = {}
            for rule_set in alone.values():
                fired = rule_set.fire(text, sentence.start, sentence.end, inside,
                                      "2021-12-31", None, spans=spans)
                if fired:
                    one_by_one.update(fired)
            assert combined == one_by_one, text[sentence.start : sentence.end]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(news_text)
def test_rules_together_and_alone_agree_on_made_up_text(text: str) -> None:
    rules = default_rules()
    check_fire(RuleSet(rules), {tag: RuleSet({tag: r}) for tag, r in rules.items()}, text)


def test_a_date_ahead_is_worked_out_only_where_a_rule_needs_it() -> None:
    rules = RuleSet(default_rules())
    text = "The weather was cold on January 9."
    mentions = find_dates(text, "2021-12-31")
    assert rules.fire(text, 0, len(text), mentions, "2021-12-31") == {}
    assert mentions[0].resolved is None and mentions[0]._resolver is not None  # not resolved
    text = "The talks resume on January 9."
    mentions = find_dates(text, "2021-12-31")
    fired = rules.fire(text, 0, len(text), mentions, "2021-12-31")
    assert [rule.name for rule, _, _ in fired["schedule"]] == ["event on a date ahead"]
    cue_start, cue_end = fired["schedule"][0][1:]
    assert text[cue_start:cue_end] == "talks"  # the rule's first class's cue
    assert mentions[0].when is not None and mentions[0].when.iso == "2022-01-09"


# --------------------------------------------------------------------------- outlets


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 30)), max_size=12),
       st.integers(0, 400), st.integers(1, 120))
def test_snapping_by_bisection_is_snapping_over_every_sentence(
        pieces: list[tuple[int, int]], start: int, length: int) -> None:
    sentences = []
    position = 0
    for gap, size in pieces:
        sentences.append(Span(position + gap, position + gap + size))
        position += gap + size
    span = Span(start, start + length)
    covered = [s for s in sentences if _same_passage(span, s) and (
        min(span.end, s.end) - max(span.start, s.start)) * 2 >= len(s)]
    expected = span if not covered else Span(min(covered[0].start, span.start),
                                             max(covered[-1].end, span.end))
    assert _snap(span, sentences, [s.end for s in sentences]) == expected


def test_the_outlets_suggester_reads_each_tagged_article_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = load_corpus([ROOT / "seeds"])
    articles = corpus.load_all()
    from tui.model import Annotation

    source = articles[0]
    sentences = sentence_spans(source.plain, source.boilerplate)
    annotations = [Annotation.new(source, s, "claim", annotator="a") for s in sentences[2:6]]
    engine = Suggestions(Config(), sources=("outlets",), corpus=corpus,
                         annotations=annotations, annotator="a")
    calls = []
    import tui.suggest as suggest_module

    real = suggest_module.sentence_spans

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(args[0][:30])
        return real(*args, **kwargs)

    monkeypatch.setattr(suggest_module, "sentence_spans", counting)
    for article in articles[1:]:
        engine.for_article(article)
    # At most one split per article, however many annotations and articles there are: the
    # first article suggested for, the tagged article (its sentence edges); the others'
    # sentences are the aligner's, which split every article it indexed.
    assert len(calls) == len(set(calls)) == 2
    assert isinstance(engine._aligner, Aligner)


# --------------------------------------------------------------------------- dates


def breaks_by_regex(window: str, left: int) -> int:
    clause_start = left
    for found in _CLAUSE_BREAK.finditer(window):
        clause_start = left + found.end()
    return clause_start


def first_break_by_regex(text: str, start: int, stop: int) -> int:
    found = _CLAUSE_BREAK.search(text, start, stop)
    return found.start() if found else stop


CLAUSE_PIECES = (*PIECES, "which", "Which", "WHO", "whom", "whereas", "somewhere", "but",
                 "although", "though", "because", "after", "before", "when", "followed by",
                 "as well as", "alias well as", "xfollowed by", "ſince", "becauſe", "Kelvin",
                 "who_", "_who", "2who")
clause_text = st.lists(st.sampled_from(CLAUSE_PIECES), min_size=0, max_size=40).map(
    lambda parts: "".join(p + (" " if n % 3 else "") for n, p in enumerate(parts)))


@settings(max_examples=400, deadline=None)
@given(st.one_of(clause_text, st.text(max_size=120)), st.integers(0, 300), st.integers(0, 300))
def test_clause_breaks_read_in_two_passes_are_the_regex_s(text: str, a: int, b: int) -> None:
    start, stop = sorted((min(a, len(text)), min(b, len(text))))
    window = text[start:stop]
    assert _last_break(window, start) == breaks_by_regex(window, start)
    assert _next_break(text, start, stop) == first_break_by_regex(text, start, stop)


def test_dates_on_the_seeds_and_hostile_text_keep_their_tense() -> None:
    """The mentions, their tense and dates on real text, as the clause regex reads them."""
    import tui.dates as dates

    texts = [a.text for a in seed_articles()] + hostile_texts()
    found = [[(m.start, m.end, m.tense, m.when and m.when.iso)
              for m in find_dates(t, "2021-12-31")] for t in texts]
    original = (dates._last_break, dates._next_break)
    try:
        dates._last_break, dates._next_break = breaks_by_regex, first_break_by_regex
        again = [[(m.start, m.end, m.tense, m.when and m.when.iso)
                  for m in find_dates(t, "2021-12-31")] for t in texts]
    finally:
        dates._last_break, dates._next_break = original
    assert found == again
    assert any(row for row in found)
