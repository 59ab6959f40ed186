"""The schedule timeline across outlets, on the seeds' real dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.cli import main
from tui.compare import Aligner, compare
from tui.corpus import load_corpus
from tui.model import Annotation, Span
from tui.timeline import timeline, timeline_table

RT1, RT2, LUX = "000_459b4affb575bcd9", "001_bf000ff86f6a5f51", "002_a34abba263e9470d"
FORMATS = ("The exchanges will be conducted in three formats: a Russia-US meeting to be held on "
           "January 9 and 10 in Geneva")


@pytest.fixture(scope="module")
def events():  # noqa: ANN201
    from tests.conftest import SEEDS

    corpus = load_corpus([SEEDS])
    article = corpus.get(RT1)
    start = article.text.index(FORMATS)
    end = article.text.index(".", start) + 1
    schedule = Annotation.new(article, Span(start, end), "schedule", annotator="tester")
    claim_start = article.text.index("The US president appeared")
    claim = Annotation.new(article, Span(claim_start, claim_start + 20), "claim",
                           annotator="tester")
    matrix = compare(corpus, [schedule, claim], aligner=Aligner(corpus, scorer="lexical"))
    return corpus, timeline(matrix, corpus)


def test_schedule_passages_are_dated_against_each_articles_date(events) -> None:  # noqa: ANN001
    corpus, found = events
    assert len(found) == 1  # the claim is not a schedule
    event = found[0]
    entries = {entry.article_id: entry for entry in event.entries}
    assert [w.iso for w in entries[RT1].dates] == ["2022-01-09/2022-01-10", "2022-01-12",
                                                  "2022-01-13"]
    # The Luxembourg Times tells it as "9 January, ... two days later ... 13 January" (and
    # "told reporters early on Friday", the past, is not a scheduled date).
    assert LUX in entries and entries[LUX].kind == "reworded"
    assert [w.iso for w in entries[LUX].dates] == ["2022-01-09", "2022-01-11", "2022-01-13"]
    assert event.earliest.iso == "2022-01-09"


def test_outlets_disagreeing_on_a_date_are_flagged(events) -> None:  # noqa: ANN001
    _, found = events
    clashes = {(a.article_id, x.iso, b.article_id, y.iso)
               for a, x, b, y in found[0].disagreements}
    assert (RT1, "2022-01-09/2022-01-10", LUX, "2022-01-09") in clashes
    # Not every pair of different dates is a disagreement: 12 and 13 January are two meetings.
    assert not any({x, y} == {"2022-01-12", "2022-01-13"} for _, x, _, y in clashes)
    table = timeline_table(found)
    assert "! RT v1 says 2022-01-09/2022-01-10, Luxembourg Times says 2022-01-09" in table


def test_cli_timeline(seeds: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["compare", "--format", "timeline", *common]) == 0
    assert "no schedule passages" in capsys.readouterr().out
    assert main(["add", RT1, "schedule", "--quote", FORMATS, *common]) == 0
    capsys.readouterr()
    assert main(["compare", "-f", "timeline", *common]) == 0
    out = capsys.readouterr().out
    # The event is placed at the earliest date any outlet gives it (002's "9 January").
    assert out.splitlines()[0].startswith("2022-01-09  The exchanges will be conducted")


def test_cli_timeline_follows_the_configs_schedule_tag(seeds: Path, store_dir: Path,
                                                       tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "newsmark.toml"
    config.write_text('[[tags]]\nname = "claim"\n[[tags]]\nname = "meeting"\n'
                      'role = "schedule"\n', encoding="utf-8")
    common = ["--corpus", str(seeds), "--store", str(store_dir), "--config", str(config)]
    assert main(["add", RT1, "meeting", "--quote", FORMATS, *common]) == 0
    capsys.readouterr()
    assert main(["compare", "-f", "timeline", *common]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("2022-01-09  The exchanges will be conducted")
    # Without the role the same passages are not the timeline's.
    config.write_text('[[tags]]\nname = "claim"\n[[tags]]\nname = "meeting"\n',
                      encoding="utf-8")
    assert main(["compare", "-f", "timeline", *common]) == 0
    assert "no schedule passages" in capsys.readouterr().out
