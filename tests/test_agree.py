"""Agreement figures: worked examples from the literature, a reference implementation, and
``newsmark agree`` on a real store."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tui.agree import (
    ALL_TAGS,
    cohen_kappa,
    compute_agreement,
    disagreements,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    lenient_matches,
    overlap_coverage,
    pooled_unitized_alpha,
    strict_matches,
    unitized_alpha,
)
from tui.cli import main
from tui.corpus import load_corpus
from tui.model import Annotation, Article, Span
from tui.sentences import sentence_spans

DATA = Path(__file__).parent / "data"
ARTICLE = "002_a34abba263e9470d"


# ------------------------------------------------------------------ αu: worked examples


def test_alpha_u_krippendorff_2004_worked_example() -> None:
    """Krippendorff (2004), Content Analysis, 2nd ed., p. 254: two observers, a continuum
    150–450, categories c and k (DKPro Statistics tests the same figures)."""
    begin, length = 150, 300

    def units(*pairs: tuple[int, int]) -> list[tuple[int, int]]:
        return [(start - begin, start - begin + size) for start, size in pairs]

    c = unitized_alpha({"i": units((225, 70), (370, 30)),
                        "j": units((220, 80), (355, 20), (400, 20))}, length)
    k = unitized_alpha({"i": units((180, 60), (300, 50)),
                        "j": units((180, 60), (300, 50))}, length)
    assert c.observed == pytest.approx(0.0144, abs=5e-5)
    assert c.expected == pytest.approx(0.0532, abs=5e-5)
    assert c.alpha == pytest.approx(0.7286, abs=5e-5)
    assert k.observed == 0 and k.expected == pytest.approx(0.0490, abs=5e-5) and k.alpha == 1.0
    # The book's 0.8591 divides its rounded 0.0144 by 0.0532 + 0.0490; unrounded it is 0.8587.
    assert pooled_unitized_alpha([c, k]) == pytest.approx(0.8591, abs=5e-4)
    assert pooled_unitized_alpha([c, k]) == pytest.approx(1 - c.observed / (c.expected
                                                                          + k.expected))


def _krippendorff_1995(stretch: int) -> tuple[int, dict[str, dict[str, list[tuple[int, int]]]]]:
    """Krippendorff (1995), "On the reliability of unitizing continuous data", p. 57: four
    pairs of coders on a continuum of 24, each position stretched to ``stretch``."""

    def u(*pairs: tuple[int, int]) -> list[tuple[int, int]]:
        return [(start * stretch, (start + size) * stretch) for start, size in pairs]

    return 24 * stretch, {
        "A": {"Bertha": u((2, 8), (14, 6)), "Bill": u((4, 4), (15, 2))},
        "B": {"John": u((0, 18)),
              "Jill": u((0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1))},
        "C": {"Gerret": u((2, 6), (10, 2), (14, 4), (20, 2)),
              "Gill": u((0, 2), (4, 4), (10, 4), (16, 2), (20, 2))},
        "D": {"Heather": u((0, 2), (2, 8), (10, 4), (14, 6), (20, 4)),
              "Hill": u((0, 4), (4, 4), (8, 7), (15, 2), (17, 7))},
    }


def test_alpha_u_krippendorff_1995_worked_examples() -> None:
    length, cases = _krippendorff_1995(1)
    observed = {name: unitized_alpha(units, length).observed for name, units in cases.items()}
    assert observed == pytest.approx({"A": 0.03125, "B": 2.26736, "C": 0.02778, "D": 0.38715},
                                     abs=1e-5)
    # The paper's alphas are for a finely divided continuum (its D_e takes the limit).
    length, cases = _krippendorff_1995(50_000)
    alphas = {name: unitized_alpha(units, length).alpha for name, units in cases.items()}
    assert alphas["A"] == pytest.approx(0.553, abs=0.005)
    assert alphas["B"] == pytest.approx(-0.926, abs=0.005)
    assert alphas["D"] == pytest.approx(0.066, abs=0.005)
    # For C the paper prints 0.679; its expected disagreement has a slip (DKPro's tests say so
    # and allow 0.02). DKPro Statistics computes 0.6931 for this study, as do we.
    assert alphas["C"] == pytest.approx(0.6931, abs=5e-5)


def test_alpha_u_dkpro_example_with_nested_short_units() -> None:
    # DKPro Statistics' own example: -11111111- against --1-1-1---.
    figure = unitized_alpha({"r0": [(1, 9)], "r1": [(2, 3), (4, 5), (6, 7)]}, 10)
    assert (figure.observed, figure.expected) == pytest.approx((0.91, 0.5351852), abs=1e-7)
    assert figure.alpha == pytest.approx(-0.7003, abs=1e-4)


def test_alpha_u_matches_dkpro_statistics_on_random_studies() -> None:
    """The reference implementation: DKPro Statistics' KrippendorffAlphaUnitizingAgreement (the
    one INCEpTION reports), run on 40 random studies of 2–5 annotators (tests/data)."""
    doc = json.loads((DATA / "alpha_u_dkpro.json").read_text(encoding="utf-8"))
    assert len(doc["studies"]) == 40
    for study in doc["studies"]:
        figures = []
        for category, expected in study["dkpro"].items():
            if category == ALL_TAGS:
                continue
            units = {rater: [(s, e) for s, e, r, c in study["units"]
                             if r == rater and c == category]
                     for rater in range(study["raters"])}
            figure = unitized_alpha(units, study["length"])
            figures.append(figure)
            assert figure.observed == pytest.approx(expected["observed"], rel=1e-9, abs=1e-12)
            assert figure.expected == pytest.approx(expected["expected"], rel=1e-9, abs=1e-12)
            assert figure.alpha == pytest.approx(expected["alpha"], rel=1e-9, abs=1e-12)
        assert pooled_unitized_alpha(figures) == pytest.approx(study["dkpro"][ALL_TAGS]["alpha"],
                                                               rel=1e-9, abs=1e-12)


def test_alpha_u_properties() -> None:
    rng = random.Random(4)
    for _ in range(50):
        length = rng.randint(20, 400)
        spans = sorted({(s, s + rng.randint(1, 15)) for s in
                        (rng.randrange(length - 16) for _ in range(rng.randint(1, 6)))})
        # Identical unitizations agree perfectly, whoever and however many the coders are.
        same = unitized_alpha({"a": spans, "b": list(spans), "c": list(spans)}, length)
        assert same.observed == 0 and same.alpha == 1.0
        other = sorted({(s, s + rng.randint(1, 15)) for s in
                        (rng.randrange(length - 16) for _ in range(rng.randint(0, 6)))})
        forward = unitized_alpha({"a": spans, "b": other}, length)
        backward = unitized_alpha({"b": other, "a": spans}, length)
        assert forward.observed == pytest.approx(backward.observed)
        assert forward.expected == pytest.approx(backward.expected)
    # An annotator's overlapping units are one unit (their union); nobody's units: undefined.
    nested = unitized_alpha({"a": [(0, 10), (2, 5)], "b": [(0, 10)]}, 30)
    assert nested.alpha == 1.0
    assert unitized_alpha({"a": [], "b": []}, 30).alpha is None
    assert pooled_unitized_alpha([unitized_alpha({"a": [], "b": []}, 30)]) is None
    with pytest.raises(ValueError):
        unitized_alpha({"a": [(25, 31)], "b": []}, 30)


# ------------------------------------------------------------------ coding coefficients


def test_cohen_kappa_worked_example() -> None:
    # 50 proposals read by two readers: 20 both yes, 15 both no, 5 and 10 split -> κ = 0.4.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert cohen_kappa([1, 1, 1], [1, 1, 1]) is None  # both constant: chance agreement is 1
    assert cohen_kappa([], []) is None


#: Krippendorff (1995)'s study A digitized (24 positions, Bertha and Bill); DKPro Statistics'
#: tests give Cohen's κ 0.385, Scott's π 0.314 and Krippendorff's α 0.329 for it.
BERTHA = [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
BILL = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]


def test_coding_coefficients_on_krippendorff_1995_digitized() -> None:
    assert cohen_kappa(BERTHA, BILL) == pytest.approx(0.385, abs=5e-4)
    # Fleiss' κ for two coders is Scott's π.
    counts = [[2 - (x + y), x + y] for x, y in zip(BERTHA, BILL)]
    assert fleiss_kappa(counts) == pytest.approx(0.314, abs=5e-4)
    assert krippendorff_alpha_nominal([BERTHA, BILL]) == pytest.approx(0.329, abs=5e-4)


def test_fleiss_kappa_worked_example() -> None:
    # Fleiss (1971)-style table: 10 subjects, 14 raters, 5 categories -> κ = 0.210.
    table = [
        [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ]
    assert fleiss_kappa(table) == pytest.approx(0.2099, abs=1e-4)
    assert fleiss_kappa([[3, 0], [3, 0]]) is None
    with pytest.raises(ValueError):
        fleiss_kappa([[2, 1], [1, 1]])


def test_krippendorff_alpha_worked_example_with_missing_values() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": 4 observers, 12 units,
    # nominal α = 0.743.
    nan = math.nan
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    assert krippendorff_alpha_nominal(data) == pytest.approx(0.743, abs=5e-4)
    assert krippendorff_alpha_nominal([[0, 0, 0], [0, 0, 0]]) is None


# ------------------------------------------------------------------ span measures


def test_strict_and_lenient_matching_are_one_to_one() -> None:
    a = [(0, 10), (0, 10), (20, 30)]
    b = [(0, 10), (22, 40)]
    assert strict_matches(a, b) == 1
    # Largest overlap first: (0, 12) overlaps b's (0, 10) by 10, so they pair first, and
    # (5, 25) takes (20, 40). Pairing in text order would give (5, 25) the (0, 10) and leave
    # (0, 12) with nothing.
    a = [(5, 25), (0, 12)]
    b = [(0, 10), (20, 40)]
    assert sorted(lenient_matches(a, b)) == [(0, 1), (1, 0)]
    assert lenient_matches([(40, 50), (0, 100)], [(45, 60)]) == [(1, 0)]  # 15 beats 5
    # Equal overlaps: the closer boundaries win.
    assert lenient_matches([(0, 30), (10, 20)], [(10, 20)]) == [(1, 0)]
    assert lenient_matches([], [(1, 2)]) == []


def test_the_identical_spans_shortcut_changes_no_count() -> None:
    """_tally pairs identical spans before the lenient sweep; the counts must be what matching
    everything at once gives (lenient) and what the coverage of every span gives (overlap)."""
    from tui.agree import _tally

    rng = random.Random(11)
    for _ in range(400):
        pool = [(s, s + rng.randint(1, 12)) for s in (rng.randrange(60) for _ in range(8))]
        a = [rng.choice(pool) for _ in range(rng.randint(1, 8))]
        b = [rng.choice(pool) for _ in range(rng.randint(1, 8))]
        tally = _tally(a, b)
        assert tally.lenient == len(lenient_matches(a, b))
        a_cover, b_cover = overlap_coverage(a, b), overlap_coverage(b, a)
        assert tally.a_touching == sum(1 for c in a_cover if c)
        assert tally.b_touching == sum(1 for c in b_cover if c)
        assert tally.a_weight == pytest.approx(sum(c / (e - s) for (s, e), c in zip(a, a_cover)))
        assert tally.b_weight == pytest.approx(sum(c / (e - s) for (s, e), c in zip(b, b_cover)))


def test_overlap_measure_is_semeval_2020_task_11() -> None:
    # P = (1/|A|) Σ |a∩b|/|a| over same-tag pairs; R likewise with |b| (Da San Martino 2019).
    assert overlap_coverage([(0, 10)], [(5, 15)]) == [5]
    assert overlap_coverage([(0, 10), (50, 60)], [(5, 15), (8, 20), (55, 56)]) == [5, 1]
    article = Article("x", Path("x.txt"), "word " * 40)
    a = [_ann(article, "a", 0, 10), _ann(article, "a", 50, 60)]
    b = [_ann(article, "b", 5, 15), _ann(article, "b", 100, 120)]
    report = compute_agreement([article], a + b, tags=["claim"], annotators=["a", "b"])
    overlap = report.pair("a", "b", "claim").overlap
    assert overlap.precision == pytest.approx((5 / 10 + 0) / 2)
    assert overlap.recall == pytest.approx((5 / 10 + 0) / 2)
    assert overlap.f1 == pytest.approx(0.25)
    assert (overlap.matched, overlap.a_only, overlap.b_only) == (1, 1, 1)
    lenient = report.pair("a", "b", "claim").lenient
    assert (lenient.precision, lenient.recall, lenient.matched) == (0.5, 0.5, 1)


def _ann(article: Article, who: str, start: int, end: int, tag: str = "claim") -> Annotation:
    return Annotation.new(article, Span(start, end), tag, annotator=who,
                          id=f"{who}-{tag}-{start}-{end}", now="2026-01-01T00:00:00.000Z")


def test_undefined_figures_are_none_and_one_sided_tags_score_zero() -> None:
    article = Article("x", Path("x.txt"), "word " * 40)
    report = compute_agreement(
        [article], [_ann(article, "a", 0, 10), _ann(article, "b", 0, 10),
                    _ann(article, "a", 20, 30, "threat")],
        tags=["claim", "threat", "denial"], annotators=["a", "b"])
    claim = report.pair("a", "b", "claim")
    assert (claim.strict.f1, claim.lenient.f1, claim.overlap.f1) == (1.0, 1.0, 1.0)
    threat = report.pair("a", "b", "threat")
    assert threat.strict.precision == 0 and threat.strict.recall is None
    assert threat.strict.f1 == 0 and threat.overlap.f1 == 0
    denial = report.pair("a", "b", "denial")
    assert denial.strict.to_dict() == {"precision": None, "recall": None, "f1": None,
                                       "matched": 0, "a_only": 0, "b_only": 0}
    assert report.alpha_u["denial"] is None and report.alpha_u["claim"] is not None
    assert any("nobody used denial" in w for w in report.warnings)
    assert any("b never used threat" in w for w in report.warnings)


def test_disagreements_cost_the_characters_whose_tags_differ() -> None:
    article = Article("x", Path("x.txt"), "abcdefghij" * 10)
    found = disagreements(article, {
        "a": [_ann(article, "a", 0, 10), _ann(article, "a", 40, 60, "threat"),
              _ann(article, "a", 80, 90)],
        "b": [_ann(article, "b", 2, 10), _ann(article, "b", 40, 60, "claim"),
              _ann(article, "b", 80, 90)],
    })
    assert [(d.start, d.end, d.cost, d.kind) for d in found] == [
        (40, 60, 20, "tag"), (0, 10, 2, "boundary")]
    assert found[1].versions == {"a": (("claim", 0, 10, "a-claim-0-10"),),
                                 "b": (("claim", 2, 10, "b-claim-2-10"),)}
    only_a = disagreements(article, {"a": [_ann(article, "a", 5, 9)], "b": []})
    assert [(d.cost, d.kind, d.text) for d in only_a] == [(4, "missing", "fghi")]


def test_disagreement_costs_match_a_character_by_character_count() -> None:
    article = Article("x", Path("x.txt"), "abcdefghij" * 12)
    rng = random.Random(5)
    for _ in range(200):
        spans = {name: [_ann(article, name, s, s + rng.randint(1, 15), rng.choice(("claim",
                                                                               "threat")))
                        for s in (rng.randrange(100) for _ in range(rng.randint(0, 5)))]
                 for name in ("a", "b", "c")}
        spans = {name: list({x.id: x for x in found}.values()) for name, found in spans.items()}
        found = disagreements(article, spans)
        # Brute force: characters where the annotators' tag sets differ.
        differing = sum(
            1 for position in range(len(article.text))
            if len({frozenset(x.tag for x in found_ if x.start <= position < x.end)
                    for found_ in spans.values()}) > 1)
        assert sum(d.cost for d in found) == differing


# ------------------------------------------------------------------ on a real store


#: A small example of our own on a seed (002, Luxembourg Times): three analysts, each
#: disagreement on purpose. (quote, tag) per annotator.
EXAMPLE = {
    "alice": [
        ("She said Biden warned that the US and its allies will “respond decisively” if Russia "
         "invades Ukraine.", "threat"),
        ("“It will be a colossal mistake which could lead to the most serious consequences,” "
         "Ushakov said.", "threat"),
        ("Russian President Vladimir Putin is satisfied with the outcome of talks", "claim"),
        ("Bilateral US-Russia talks will start in Geneva on 9 January", "schedule"),
        ("The Kremlin denies any intention to invade its neighbour", "denial"),
    ],
    "bob": [
        ("She said Biden warned that the US and its allies will “respond decisively” if Russia "
         "invades Ukraine.", "threat"),
        ("It will be a colossal mistake which could lead to the most serious consequences",
         "threat"),
        ("Russian President Vladimir Putin is satisfied with the outcome of talks", "claim"),
        ("The Kremlin denies any intention to invade its neighbour", "denial"),
    ],
    "carol": [
        ("She said Biden warned that the US and its allies will “respond decisively” if Russia "
         "invades Ukraine.", "threat"),
        ("“It will be a colossal mistake which could lead to the most serious consequences,” "
         "Ushakov said.", "claim"),
        ("Russian President Vladimir Putin is satisfied with the outcome of talks", "claim"),
        ("Bilateral US-Russia talks will start in Geneva on 9 January", "schedule"),
        ("The Kremlin denies any intention to invade its neighbour, while also demanding "
         "security guarantees from the West", "denial"),
    ],
}


def fill_example(seeds: Path, store_dir: Path) -> None:
    for name, marks in EXAMPLE.items():
        for quote, tag in marks:
            assert main(["add", ARTICLE, tag, "--quote", quote, "--annotator", name,
                         "--corpus", str(seeds), "--store", str(store_dir)]) == 0


def test_agree_json_on_the_example(seeds: Path, store_dir: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    fill_example(seeds, store_dir)
    capsys.readouterr()
    assert main(["agree", "--format", "json", "--corpus", str(seeds),
                 "--store", str(store_dir)]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert list(doc) == ["pairs", "alpha_u", "sentence", "articles"]
    tags = ["claim", "threat", "denial", "schedule", "*"]
    assert [(p["a"], p["b"], p["tag"]) for p in doc["pairs"]] == [
        (a, b, t) for a, b in (("alice", "bob"), ("alice", "carol"), ("bob", "carol"))
        for t in tags]
    for pair in doc["pairs"]:
        assert list(pair) == ["a", "b", "tag", "strict", "lenient", "overlap"]
        for kind in ("strict", "lenient", "overlap"):
            assert list(pair[kind]) == ["precision", "recall", "f1", "matched", "a_only",
                                        "b_only"]

    def figure(a: str, b: str, tag: str, kind: str) -> dict:
        return next(p[kind] for p in doc["pairs"] if (p["a"], p["b"], p["tag"]) == (a, b, tag))

    # alice and bob: the same two threats, one with a narrower quote.
    assert figure("alice", "bob", "threat", "strict") == {
        "precision": 0.5, "recall": 0.5, "f1": 0.5, "matched": 1, "a_only": 1, "b_only": 1}
    assert figure("alice", "bob", "threat", "lenient")["f1"] == 1.0
    # bob has no schedule: alice's one is hers only; P = 0, R undefined, F1 0.
    assert figure("alice", "bob", "schedule", "lenient") == {
        "precision": 0.0, "recall": None, "f1": 0.0, "matched": 0, "a_only": 1, "b_only": 0}
    # Pooled: alice 5 spans, bob 4; strict matches: threat 1, claim 1, denial 1.
    assert figure("alice", "bob", "*", "strict")["matched"] == 3
    assert figure("alice", "bob", "*", "strict")["f1"] == pytest.approx(2 * 3 / 9, abs=1e-4)
    # carol tagged the colossal-mistake sentence as a claim, not a threat.
    assert figure("alice", "carol", "threat", "strict")["matched"] == 1
    assert figure("alice", "carol", "claim", "lenient")["b_only"] == 1
    # Overlap-weighted: carol's denial is longer; alice's is inside it.
    denial = figure("alice", "carol", "denial", "overlap")
    assert denial["precision"] == 1.0 and 0 < denial["recall"] < 1

    assert set(doc["alpha_u"]) == set(tags)
    assert all(v is None or -1 <= v <= 1 for v in doc["alpha_u"].values())
    assert doc["alpha_u"]["threat"] < 1 and doc["alpha_u"]["*"] is not None
    sentence = doc["sentence"]
    assert sentence["annotators"] == ["alice", "bob", "carol"] and sentence["articles"] == 1
    assert sentence["units"] == len(_sentences(seeds, ARTICLE))
    assert set(sentence["tags"]) == set(tags)
    threat = sentence["tags"]["threat"]
    assert threat["positive"] == 2 + 2 + 1  # sentences with a threat: alice 2, bob 2, carol 1
    assert -1 <= threat["fleiss_kappa"] <= 1 and -1 <= threat["krippendorff_alpha"] <= 1
    assert {(p["a"], p["b"]) for p in sentence["pairs"]} == {
        ("alice", "bob"), ("alice", "carol"), ("bob", "carol")}
    (article,) = doc["articles"]
    assert article["article_id"] == ARTICLE and article["coders"] == ["alice", "bob", "carol"]
    assert article["annotations"] == {"alice": 5, "bob": 4, "carol": 5}
    costs = [d["cost"] for d in article["disagreements"]]
    assert costs == sorted(costs, reverse=True) and article["disputed"] == sum(costs)
    kinds = {d["kind"] for d in article["disagreements"]}
    assert kinds == {"missing", "tag", "boundary"}
    # Warnings go to stderr: the JSON keeps exactly its documented keys.
    assert "few items" in captured.err


def _sentences(seeds: Path, article_id: str) -> list[Span]:
    article = load_corpus([seeds]).get(article_id)
    return sentence_spans(article.text, article.boilerplate)


def test_agree_table_and_against(seeds: Path, store_dir: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    fill_example(seeds, store_dir)
    capsys.readouterr()
    assert main(["agree", "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    out = capsys.readouterr().out
    for heading in ("Span agreement", "Krippendorff's αu", "Sentence-level coding",
                    "Per article", "Disagreements, most costly first", "Warnings"):
        assert heading in out
    assert "schedule" in out and "bob: —" in out

    assert main(["agree", "--against", "alice", "--annotator", "bob", "--tag", "threat",
                 "--format", "json", "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(p["a"], p["b"], p["tag"]) for p in doc["pairs"]] == [
        ("bob", "alice", "threat"), ("bob", "alice", "*")]
    assert doc["pairs"][0]["strict"]["matched"] == 1
    assert set(doc["alpha_u"]) == {"threat", "*"}


def test_agree_refuses_what_it_cannot_compute(seeds: Path, store_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", ARTICLE, "claim", "--quote", "Putin", "--annotator", "alice",
                 "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    capsys.readouterr()
    base = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["agree", *base]) == 2
    assert "at least two annotators" in capsys.readouterr().err
    assert main(["agree", "--annotator", "alice", "--annotator", "bobb", *base]) == 2
    err = capsys.readouterr().err
    assert "'bobb' has no annotations" in err and "alice" in err
    assert main(["agree", "--tag", "rumour", *base]) == 2
    assert "unknown tag 'rumour'" in capsys.readouterr().err
    assert main(["agree", "--article", "nope", *base]) == 2
    assert "no article 'nope'" in capsys.readouterr().err


def test_articles_not_coded_by_everyone_leave_alpha_u_but_not_their_pairs(
        seeds: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = "003_9b9a3ba666ff02ad"
    base = ["--corpus", str(seeds), "--store", str(store_dir)]
    for name in ("alice", "bob"):
        assert main(["add", ARTICLE, "claim", "--quote", "Putin is satisfied", "--annotator",
                     name, *base]) == 0
        assert main(["add", other, "threat", "--quote", "Putin had requested the call.",
                     "--annotator", name, *base]) == 0
    assert main(["add", ARTICLE, "claim", "--quote", "Putin is satisfied", "--annotator",
                 "carol", *base]) == 0
    capsys.readouterr()
    assert main(["agree", "--format", "json", *base]) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    pooled = {(p["a"], p["b"]): p["strict"] for p in doc["pairs"] if p["tag"] == "*"}
    assert pooled[("alice", "bob")]["matched"] == 2  # both articles
    assert pooled[("alice", "carol")]["matched"] == 1  # only the one carol coded
    assert doc["sentence"]["articles"] == 1
    assert doc["alpha_u"]["threat"] is None  # the threats are in an article carol never coded
    assert "not coded by every annotator" in captured.err and other in captured.err


def test_agree_runs_as_a_process(seeds: Path, store_dir: Path) -> None:
    fill_example(seeds, store_dir)
    done = subprocess.run(
        [sys.executable, "-m", "tui", "agree", "--corpus", str(seeds), "--store",
         str(store_dir), "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["sentence"]["annotators"] == ["alice", "bob", "carol"]


def test_every_json_key_is_documented(seeds: Path, store_dir: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    fill_example(seeds, store_dir)
    capsys.readouterr()
    assert main(["agree", "-f", "json", "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    doc = json.loads(capsys.readouterr().out)
    docs = (Path(__file__).parent.parent / "docs" / "formats.md").read_text(encoding="utf-8")
    section = docs[docs.index("## `newsmark agree --format json`"):]

    def keys(value: object) -> set[str]:
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    names = keys(doc) - set(doc["alpha_u"]) - {"alice", "bob", "carol"}
    missing = sorted(name for name in names if f'"{name}"' not in section)
    assert not missing, missing


def test_the_team_modules_import_no_textual_and_no_numpy() -> None:
    code = ("import sys, tui.agree, tui.team\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'numpy')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
