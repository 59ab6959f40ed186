"""Alignment across the seeds, checked against what the five reports say (read by hand).

Facts used below, from reading the seeds:

* 000 and 001 are two versions of one RT report; 002 is Bloomberg's report as run by the
  Luxembourg Times; 003 and 004 are two other outlets.
* "respond decisively" (Psaki's statement) is in 000, 001, 002 and 004; 003 never quotes it.
* Ushakov's "Today’s conversation was good, constructive, frank, …" sentence is in 002 and,
  word for word, in 004; the RT versions and 003 do not quote it.
* 002's "She said Biden warned that the US and its allies will “respond decisively” if Russia
  invades Ukraine." is told in other words by 000/001 ("Biden “made clear” that the US and its
  allies would “respond decisively” if Russia moved to invade Ukraine") and 004 ("…the United
  States and its allies and partners will respond decisively if Russia further invades
  Ukraine"); 003 has no such sentence.
* 000's "The US president appeared to take the demand “quite seriously,” the adviser said." is
  word for word in 001 and nowhere else.
* 000's "Unprecedented sanctions … a colossal mistake" sentence is reworded in 001 ("finance
  and military industry, if imposed by Washington, will lead"); 002, 003 and 004 report the
  threat in quite different words ("a severing of relations", "a complete collapse in ties",
  "a total severance of relations").
* 003 tells the "respond decisively" warning as "Biden, for one, reaffirmed his threat of
  extraordinary consequences if Russia invaded Ukraine."

These tests pin behaviour on cases read by hand; how well matching does overall is measured in
``bench/alignment.py`` against the gold sets, not here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.cli import main
from tui.compare import (
    REWORDED,
    Aligner,
    cell_code,
    compare,
    diff_words,
    fold,
    matrix_csv,
    matrix_json,
    matrix_table,
    story_groups,
)
from tui.config import Config
from tui.corpus import Corpus, load_corpus
from tui.model import Annotation, Span
from tui.stats import compute_stats, stats_json, stats_table
from tui.store import Store

RT1, RT2, LUX, O3, O4 = (
    "000_459b4affb575bcd9",
    "001_bf000ff86f6a5f51",
    "002_a34abba263e9470d",
    "003_9b9a3ba666ff02ad",
    "004_320cd11bf9cbfd71",
)
USHAKOV = ("“Today’s conversation was good, constructive, frank, and it seems to me that it "
           "provides not a bad, even in fact a good, basis for the start of negotiations.”")
WARNED = ("She said Biden warned that the US and its allies will “respond decisively” if Russia "
          "invades Ukraine.")
SERIOUSLY = "The US president appeared to take the demand “quite seriously,” the adviser said."
SANCTIONS = ("“Unprecedented sanctions” targeting Russia’s economy, and financial and military "
             "industry, if imposed, would lead to a “complete breakdown” of bilateral ties, "
             "Ushakov said, and such a scenario would be “a colossal mistake.”")
MARKERS = {tag.name: tag.marker for tag in Config().tags}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    from tests.conftest import SEEDS

    return load_corpus([SEEDS])


@pytest.fixture(scope="module")
def aligner(corpus: Corpus) -> Aligner:
    return Aligner(corpus, scorer="lexical")


def tag(corpus: Corpus, article_id: str, quote: str, name: str = "threat",
        annotator: str = "tester", now: str | None = None) -> Annotation:
    article = corpus.get(article_id)
    assert article is not None
    start = article.text.index(quote)
    return Annotation.new(article, Span(start, start + len(quote)), name, annotator=annotator,
                          now=now)


def matched(corpus: Corpus, aligner: Aligner, quote: str, article_id: str) -> tuple[str, str]:
    match = aligner.match(quote, article_id)
    text = ""
    if match.span is not None:
        text = corpus.get(article_id).text[match.span.start : match.span.end]
    return match.kind, text


# --------------------------------------------------------------------------- alignment


def test_a_phrase_tagged_in_002_is_verbatim_where_present_and_absent_where_not(
        corpus: Corpus, aligner: Aligner) -> None:
    for article_id in (RT1, RT2, O4):
        assert matched(corpus, aligner, "respond decisively", article_id) == (
            "verbatim", "respond decisively")
    kind, _ = matched(corpus, aligner, "respond decisively", O3)
    assert kind == "absent"


def test_a_sentence_tagged_in_002_is_verbatim_in_004_only(corpus: Corpus,
                                                          aligner: Aligner) -> None:
    annotation = tag(corpus, LUX, USHAKOV)
    matches = aligner.align(annotation)
    assert matches[LUX].kind == "source"
    assert matches[O4].kind == "verbatim" and matches[O4].score == 100
    span = matches[O4].span
    # The propagated passage takes the same quotes and full stop along: exactly the same text.
    assert corpus.get(O4).text[span.start : span.end] == USHAKOV
    for article_id in (RT1, RT2, O3):
        assert matches[article_id].kind == "absent", article_id
        assert matches[article_id].score < REWORDED


def test_a_reworded_sentence_is_found_with_its_score(corpus: Corpus, aligner: Aligner) -> None:
    matches = aligner.align(tag(corpus, LUX, WARNED))
    for article_id in (RT1, RT2, O4):
        match = matches[article_id]
        assert match.kind == "reworded", article_id
        assert REWORDED <= match.score < 100
        text = corpus.get(article_id).text[match.span.start : match.span.end]
        # The candidate is the sentence (or clause) that tells it: whole units, not a stretch.
        assert "respond decisively" in text and "Ukraine" in text
    # In other words, with a lower score than the near copies.
    told = matches[O3]
    assert told.kind == "reworded"
    assert corpus.get(O3).text[told.span.start : told.span.end] == (
        "Biden, for one, reaffirmed his threat of extraordinary consequences if Russia invaded "
        "Ukraine.")
    assert told.score < min(matches[a].score for a in (RT1, RT2, O4))


def test_rt_versions_carry_each_other_and_no_one_else_does(corpus: Corpus,
                                                           aligner: Aligner) -> None:
    kind, text = matched(corpus, aligner, SERIOUSLY, RT2)
    assert (kind, text) == ("verbatim", SERIOUSLY)
    for article_id in (LUX, O3, O4):
        assert matched(corpus, aligner, SERIOUSLY, article_id)[0] == "absent"


def test_the_sanctions_threat_is_reworded_in_001_and_found_in_other_words_elsewhere(
        corpus: Corpus, aligner: Aligner) -> None:
    matches = aligner.align(tag(corpus, RT1, SANCTIONS))
    assert matches[RT2].kind == "reworded" and matches[RT2].score >= 85
    text = corpus.get(RT2).text[matches[RT2].span.start : matches[RT2].span.end]
    assert text.startswith("“Unprecedented sanctions”") and text.endswith("“a colossal mistake.”")
    # 003 tells Putin's answer in its own words: found, with a lower score.
    told = corpus.get(O3).text[matches[O3].span.start : matches[O3].span.end]
    assert "any penalties imposed now or in the future" in told
    assert matches[O3].carried and matches[O3].score < matches[RT2].score
    for article_id in (LUX, O3, O4):
        # Every cell keeps its best candidate, carried or not, for the analyst to judge.
        match = matches[article_id]
        assert match.span is not None and 0 < match.score < matches[RT2].score


def test_matches_stay_inside_one_paragraph(corpus: Corpus, aligner: Aligner) -> None:
    for article in corpus:
        for other in corpus:
            if other.id == article.id:
                continue
            match = aligner.match(SANCTIONS, other.id)
            if match.span is not None:
                assert "\n" not in other.text[match.span.start : match.span.end]


def test_versions_of_one_story_are_grouped(aligner: Aligner) -> None:
    assert story_groups(aligner) == [(RT1, RT2)]


def test_folding_keeps_the_way_back() -> None:
    text = "“Unprecedented  SANCTIONS” — [NATO’s] Straße."
    folded, where = fold(text)
    assert folded == "unprecedented sanctions nato s strasse"
    for char, offset in zip(folded, where, strict=True):
        assert char == " " or char in text[offset].casefold()


@given(st.text())
def test_fold_maps_every_character_to_its_source(text: str) -> None:
    folded, where = fold(text)
    assert len(folded) == len(where)
    assert where == sorted(where)
    assert not folded.startswith(" ") and not folded.endswith(" ") and "  " not in folded
    for char, offset in zip(folded, where, strict=True):
        assert 0 <= offset < len(text)
        assert char == " " or char in text[offset].casefold()


def test_diff_words_marks_what_changed() -> None:
    first = "would lead to a “complete breakdown” of ties"
    second = "will lead to a complete breakdown of bilateral ties"
    words_a, words_b = diff_words(first, second)
    assert [first[s.start : s.end] for s, differs in words_a if differs] == ["would"]
    assert [second[s.start : s.end] for s, differs in words_b if differs] == ["will", "bilateral"]


# --------------------------------------------------------------------------- the matrix


def test_matrix_groups_the_same_passage_tagged_in_two_versions(corpus: Corpus) -> None:
    in_000 = tag(corpus, RT1, SERIOUSLY, "claim")
    in_001 = tag(corpus, RT2, SERIOUSLY, "claim")
    threat = tag(corpus, LUX, "respond decisively", "threat")
    also_threat = tag(corpus, O4, "respond decisively", "threat")
    matrix = compare(corpus, [also_threat, in_001, threat, in_000])
    assert [c.article_id for c in matrix.columns] == [RT1, RT2, LUX, O3, O4]
    assert [c.label for c in matrix.columns][:3] == ["RT v1", "RT v2", "Luxembourg Times"]
    assert matrix.groups == ((RT1, RT2),)
    assert len(matrix.rows) == 2
    first, second = matrix.rows
    assert first.source == in_000 and {a.id for a in first.annotations} == {in_000.id, in_001.id}
    assert [first.cells[c].match.kind for c in (RT1, RT2, LUX, O3, O4)] == [
        "source", "verbatim", "absent", "absent", "absent"]
    assert first.cells[RT2].tags == ("claim",)
    assert second.source == threat and second.tag == "threat"
    assert [cell_code(second.cells[c], MARKERS) for c in (RT1, RT2, LUX, O3, O4)] == [
        "=", "=", "src T", "-", "= T"]


def test_matrix_progress_and_cancel(corpus: Corpus) -> None:
    annotations = [tag(corpus, LUX, USHAKOV), tag(corpus, RT1, SANCTIONS)]
    seen: list[tuple[int, int]] = []
    compare(corpus, annotations, progress=lambda done, total: seen.append((done, total)))
    # Five articles read, then two passages aligned.
    assert seen == [(done, 7) for done in range(1, 8)]
    stopped = compare(corpus, annotations, cancelled=lambda: True)
    assert stopped.rows == ()


def test_orphans_and_unknown_articles_are_left_out(corpus: Corpus) -> None:
    orphan = tag(corpus, LUX, USHAKOV).changed(anchor="orphan")
    stranger = tag(corpus, LUX, WARNED).changed(article_id="not-here")
    assert compare(corpus, [orphan, stranger]).rows == ()


def test_text_csv_and_json_outputs(corpus: Corpus) -> None:
    matrix = compare(corpus, [tag(corpus, LUX, "respond decisively")])
    table = matrix_table(matrix, MARKERS)
    assert "RT v1" in table and "Luxembourg Times" in table
    row = next(line for line in table.splitlines() if "respond decisively" in line)
    assert row.split() == ["1", "T", "respond", "decisively", "=", "=", "src", "T", "-", "="]
    rows = list(csv_rows(matrix_csv(matrix, MARKERS)))
    assert rows[1][:3] == ["threat", LUX, "respond decisively"]
    assert rows[1][3:] == ["=", "=", "src T", "-", "="]
    data = json.loads(matrix_json(matrix, corpus))
    cells = data["rows"][0]["cells"]
    assert cells[O4]["kind"] == "verbatim" and cells[O4]["text"] == "respond decisively"
    # An absent cell still carries its best candidate, for the analyst to judge.
    absent = cells[O3]
    assert absent["kind"] == "absent" and 0 <= absent["score"] < REWORDED
    text = corpus.get(O3).text
    assert absent["text"] == text[absent["start"] : absent["end"]] and absent["text"]
    assert absent["tags"] == [] and absent["annotations"] == []
    assert data["groups"] == [[RT1, RT2]]


def csv_rows(text: str) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(text)))


# --------------------------------------------------------------------------- statistics


def test_stats_count_per_article_outlet_day_and_annotator(corpus: Corpus) -> None:
    annotations = [
        tag(corpus, LUX, USHAKOV, "claim", "ann", "2026-01-02T10:00:00.000Z"),
        tag(corpus, LUX, WARNED, "threat", "bob", "2026-01-03T10:00:00.000Z"),
        tag(corpus, RT1, SANCTIONS, "threat", "bob", "2026-01-03T11:00:00.000Z"),
        tag(corpus, O3, "Putin had requested the call.", "schedule", "bob",
            "2026-01-03T12:00:00.000Z"),
    ]
    stats = compute_stats(corpus, annotations, Config().tag_names)
    assert stats.per_article[LUX] == {"claim": 1, "threat": 1}
    assert stats.per_article[RT2] == {}
    # Most tags first, then by name.
    assert list(stats.per_outlet) == ["Luxembourg Times", "(outlet unknown)", "RT"]
    assert stats.per_outlet["RT"] == {"threat": 1}
    assert stats.per_day == {"2026-01-02": {"claim": 1},
                             "2026-01-03": {"threat": 2, "schedule": 1}}
    assert list(stats.per_annotator) == ["bob", "ann"]
    data = json.loads(stats_json(stats))
    assert data["total"] == {"claim": 1, "threat": 2, "denial": 0, "schedule": 1}
    table = stats_table(stats)
    assert "Tags per outlet" in table and "Annotations over time" in table
    assert "(4 annotations)" in table


# --------------------------------------------------------------------------- the CLI


def test_cli_compare_and_stats(seeds: Path, store_dir: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["add", LUX, "threat", "--quote", "respond decisively", *common]) == 0
    assert main(["add", RT1, "claim", "--quote", SERIOUSLY, *common]) == 0
    capsys.readouterr()
    assert main(["compare", *common]) == 0
    table = capsys.readouterr().out
    lines = table.splitlines()
    assert lines[0].split() == ["RT", "v1", "RT", "v2", "Luxembourg", "Times", "003_9b9a3…",
                                "004_320cd…"]
    assert lines[1].split() == ["31", "Dec"] * 3 + ["no", "date"] * 2
    seriously = next(line for line in lines if "The US president appeared" in line)
    assert seriously.split()[-6:] == ["src", "C", "=", "-", "-", "-"]
    assert "versions of one story: RT v1, RT v2" in table
    assert main(["compare", "--format", "csv", *common]) == 0
    rows = csv_rows(capsys.readouterr().out)
    assert [r[3:] for r in rows[1:]] == [["src C", "=", "-", "-", "-"],
                                         ["=", "=", "src T", "-", "="]]
    assert main(["compare", "-f", "json", *common]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [row["tag"] for row in data["rows"]] == ["claim", "threat"]
    assert main(["stats", *common]) == 0
    out = capsys.readouterr().out
    assert "Tags per article" in out and "(2 annotations)" in out
    assert main(["stats", "--format", "json", *common]) == 0
    assert json.loads(capsys.readouterr().out)["per_outlet"]["RT"]["claim"] == 1


def test_cli_compare_errors_are_one_line(tmp_path: Path, store_dir: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", "--corpus", str(tmp_path / "missing"),
                 "--store", str(store_dir)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing" in err
    Store(store_dir, annotator="x")
    damaged = store_dir / LUX
    damaged.mkdir(parents=True)
    (damaged / "x.json").write_text("{not json", encoding="utf-8")
    from tests.conftest import SEEDS

    # A damaged file is named in one line and its article left out; the counts still print,
    # and the exit code (1, as `check`) tells a script they are incomplete.
    assert main(["stats", "--corpus", str(SEEDS), "--store", str(store_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("newsmark: ") and captured.err.count("\n") == 1
    assert "x.json" in captured.err and "left out" in captured.err
    assert "Tags per article" in captured.out


def test_compare_and_stats_do_not_import_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, tui.compare, tui.stats\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_versions_are_found_among_other_reports(tmp_path: Path) -> None:
    """A report rerun with its paragraphs reordered and cut, or lightly edited, is a version
    of it; the five seeds' other outlets stay apart."""
    from tests.conftest import SEEDS

    for seed in SEEDS.glob("*.txt"):
        (tmp_path / seed.name).write_bytes(seed.read_bytes())
    paragraphs = (SEEDS / f"{LUX}.txt").read_text(encoding="utf-8").split("\n\n")
    (tmp_path / "rerun.txt").write_text("\n\n".join(reversed(paragraphs[:-6])),
                                        encoding="utf-8")
    words = (SEEDS / f"{O4}.txt").read_text(encoding="utf-8").split(" ")
    edited = [("reportedly" if n % 20 == 7 else word) for n, word in enumerate(words)]
    (tmp_path / "zz_edited.txt").write_text(" ".join(edited), encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert story_groups(Aligner(corpus)) == [(RT1, RT2), (LUX, "rerun"), (O4, "zz_edited")]


def test_column_labels() -> None:
    from tui.compare import Column

    assert Column("002_a34abba263e9470d", "Luxembourg Times", "2021-12-31").label == (
        "Luxembourg Times")
    assert Column("003_9b9a3ba666ff02ad", "", "").label == "003_9b9a3…"
    assert Column("003_9b9a3ba666ff02ad", "", "").short_date == "no date"
    assert Column("x", "", "2021-12-01", group=1, version=2, group_label="RT").label == "RT v2"
    assert Column("x", "", "2021-12-01").short_date == "1 Dec"


def test_verbatim_words_across_a_line_break_are_not_the_passage(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title A\n\nTalks start in Geneva. Sanctions will follow.\n",
                                    encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title B\n\nTalks start in Geneva.\nShare this article\n"
                                    "Sanctions will follow.\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    match = Aligner(corpus).match("Talks start in Geneva. Sanctions will follow.", "b")
    assert match.kind != "verbatim"
    text = corpus.get("b").text
    assert "\n" not in text[match.span.start : match.span.end]


def test_a_units_folded_text_is_cut_from_its_articles(corpus: Corpus, aligner: Aligner) -> None:
    """The fuzzy score reads each candidate's folded text from the folded article: the same
    as folding the candidate alone, for every unit of the seeds."""
    index = aligner.index
    for number, unit in enumerate(index.units):
        text = corpus.get(unit.article_id).text
        assert aligner._unit_text(number) == fold(text, unit.start, unit.end)[0]


def test_an_article_that_changed_is_read_again(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\n\nTalks start in Geneva on Monday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title\n\nMarkets were calm.\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    aligner = Aligner(corpus, scorer="lexical")
    assert aligner.match("Talks start in Geneva on Monday.", "b").kind == "absent"
    import os

    path = tmp_path / "b.txt"
    path.write_text("Title\n\nTalks start in Geneva on Monday, officials said.\n",
                    encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    corpus = load_corpus([tmp_path])
    aligner.corpus = corpus
    assert aligner.match("Talks start in Geneva on Monday.", "b").kind == "verbatim"


def test_the_way_back_points_at_the_passage_a_candidate_reports(tmp_path) -> None:  # noqa: ANN001
    """A candidate that reports the passage scores it highest in the passage's own article
    (a positive way back); one that reports another sentence there scores that one higher."""
    from tui.compare import FEATURES
    from tui.corpus import load_corpus

    (tmp_path / "a.txt").write_text(
        "Report A\n\n"
        "The ministry rejected claims that soldiers were gathering near the northern border.\n\n"
        "Soldiers were gathering near the northern border close to Kharkiv, officials said.\n\n"
        "The weather in the capital was cold and dry all week.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "Report B\n\n"
        "Officials said soldiers had gathered at the northern border near Kharkiv.\n\n"
        "Ticket prices for the national football league rose again this season.\n",
        encoding="utf-8")
    corpus = load_corpus([tmp_path])
    aligner = Aligner(corpus, scorer="lexical")
    back = FEATURES["lexical"].index("back")
    rejected = tag(corpus, "a", "The ministry rejected claims that soldiers were gathering near "
                   "the northern border.")
    gathering = tag(corpus, "a", "Soldiers were gathering near the northern border close to "
                    "Kharkiv, officials said.")
    told, reported = aligner.align(rejected)["b"], aligner.align(gathering)["b"]
    text = corpus.get("b").text
    # Both find B's sentence on the border; it points back at the second one.
    assert text[told.span.start : told.span.end].startswith("Officials said soldiers")
    assert text[reported.span.start : reported.span.end].startswith("Officials said soldiers")
    assert told.features[back] < 0 < reported.features[back]
    assert told.score < reported.score
    # Without the passage's article known (match of a bare text), the way back is 0.
    bare = aligner.match(rejected.text, "b")
    assert bare.features[back] == 0.0 and bare.score > told.score


def test_the_matrix_follows_a_corpus_whose_listing_was_checked(tmp_path: Path) -> None:
    """A corpus shown from its last listing is checked after the first screen
    (Corpus.verify): an aligner made before then matches against the files as they are."""
    from tui.corpus import CorpusCache

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Title\n\nTalks start in Geneva on Monday.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Title\n\nMarkets were calm.\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir), last_listing=True)
    corpus = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir),
                         last_listing=True)
    assert corpus.unverified
    aligner = Aligner(corpus, scorer="lexical")
    assert aligner.match("Talks start in Geneva on Monday.", "b").kind == "absent"
    assert aligner.match("Talks start in Geneva on Monday.", "b").kind == "absent"  # kept
    (folder / "b.txt").write_text("Title\n\nTalks start in Geneva on Monday, officials said.\n",
                                  encoding="utf-8")
    (folder / "c.txt").write_text("Title\n\nTalks start in Geneva on Monday.\n", encoding="utf-8")
    assert corpus.verify() is True
    assert aligner.match("Talks start in Geneva on Monday.", "b").kind == "verbatim"
    assert aligner.match("Talks start in Geneva on Monday.", "c").kind == "verbatim"
