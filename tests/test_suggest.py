"""Suggestions: the rules language, the config's rules and errors, each suggester, and
``newsmark suggest`` on real files (issue 15). Quality figures are in bench/, not here."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tui.config import Config, ConfigError, SuggestSettings, parse_config
from tui.corpus import load_corpus
from tui.model import Annotation, Span
from tui.rules import RuleSet, cue_elements, default_rules, is_negated, parse_tag_rules
from tui.store import Store
from tui.suggest import Suggestion, Suggestions, accept, pending, rejection_key

ROOT = Path(__file__).resolve().parent.parent


def write_article(folder: Path, name: str, text: str, date: str = "2021-12-31") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    (folder / f"{name}.meta.json").write_text(json.dumps({"date": date}), encoding="utf-8")
    return path


def suggestions_of(text: str, tmp_path: Path, config: Config | None = None,
                   sources: tuple[str, ...] = ("rules", "dates")) -> list[Suggestion]:
    write_article(tmp_path / "corpus", "a", text)
    corpus = load_corpus([tmp_path / "corpus"])
    engine = Suggestions(config or Config(), sources=sources, corpus=corpus)
    return engine.for_article(corpus.get("a"))


def tags_by_sentence(found: list[Suggestion]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for suggestion in found:
        out.setdefault(suggestion.text, set()).add(suggestion.tag)
    return out


# --------------------------------------------------------------------------- the language


def test_cues_ignore_case_quotes_and_punctuation_and_stay_whole_words() -> None:
    def first(cue: str, text: str) -> str | None:
        rules = RuleSet({"x": parse_tag_rules("x", {"cues": {"c": [cue]}})})
        found = rules.matches(text, 0, len(text)).get(("x", "c"))
        return None if found is None else text[found[0]:found[1]]

    assert first("sanction*", "the unsanctioned (Sanctions) list") == "Sanctions"
    assert first("no plans", "There are NO  plans.") == "NO  plans"
    assert first("won’t ask", "he won't ask") == "won't ask"
    assert first("described ... as", "described the new talks as pointless") == (
        "described the new talks as")
    assert first("described ... as", "described a b c d e as") is None  # more than four words
    assert first("said", "unsaid, saids") is None
    assert first("talks", "the talks—and more") == "talks"  # a dash separates words
    with pytest.raises(ValueError):
        cue_elements("... *")


def test_negation_is_a_few_words_before_the_cue_in_its_clause() -> None:
    text = "He did not deny it. They never really threatened anyone. No, he warned them."
    assert is_negated(text, text.index("deny"))
    assert is_negated(text, text.index("threatened"))
    assert not is_negated(text, text.index("warned"))  # the "No" is in another clause


def test_the_default_tags_ship_rules_and_a_users_tag_has_only_its_own() -> None:
    config = Config()
    assert set(default_rules()) == {"claim", "threat", "denial", "schedule"}
    assert config.rules_for("claim") is not None
    own = parse_config('[[tags]]\nname = "claim"\n\n[[tags]]\nname = "sanction"\n'
                       '[tags.cues]\nmeasure = ["sanction*", "embargo*"]\n')
    assert own.rules_for("claim") is default_rules()["claim"] or own.rules_for("claim").rules
    sanction = own.rules_for("sanction")
    assert [rule.all for rule in sanction.rules] == [("measure",)]
    plain = parse_config('[[tags]]\nname = "sanction"\n')
    assert plain.rules_for("sanction") is None
    off = parse_config('[[tags]]\nname = "claim"\nrules = []\n')
    assert off.rules_for("claim").rules == ()


def test_a_users_tag_gets_suggestions_from_its_rules_alone(tmp_path: Path) -> None:
    config = parse_config(
        '[[tags]]\nname = "sanction"\n[tags.cues]\nmeasure = ["sanction*", "embargo*"]\n'
        '[[tags.rules]]\nall = ["measure"]\ntense = "not-past"\nscore = 0.9\n')
    text = ("The EU will impose sanctions on Monday, the minister said. "
            "An embargo was lifted in 2019. The talks will be held on January 9.")
    found = suggestions_of(text, tmp_path, config)
    assert [(s.text, s.tag, s.score) for s in found] == [
        ("The EU will impose sanctions on Monday, the minister said.", "sanction", 0.9)]


def test_rule_problems_name_the_file_and_line() -> None:
    text = ('theme = "dark"\n\n[[tags]]\nname = "claim"\n\n[[tags]]\nname = "sanction"\n'
            '[tags.cues]\nmeasure = ["sanction*"]\n\n[[tags.rules]]\nall = ["measure"]\n\n'
            '[[tags.rules]]\nall = ["measures"]\ntense = "soon"\n')
    with pytest.raises(ConfigError) as error:
        parse_config(text, "newsmark.toml")
    assert str(error.value).startswith(
        "newsmark.toml:15: tag 2 (sanction): rule 2 names class 'measures'")
    assert "\n" not in str(error.value)
    cases = {
        '[[tags]]\nname = "x"\n[tags.cues]\nbad = "warn"\n':
            "newsmark.toml:4: tag 1 (x): cues.bad must be a list of strings",
        '[[tags]]\nname = "x"\n[tags.patterns]\nbad = ["(unclosed"]\n':
            "newsmark.toml:4: tag 1 (x): pattern '(unclosed' in bad is not a regular expression",
        '[[tags]]\nname = "x"\ncues = ["a"]\n[[tags.rules]]\nall = ["cues"]\nscore = 3\n':
            "newsmark.toml:6: tag 1 (x): score of rule 1 must be a number above 0 and at most 1",
        '[[tags]]\nname = "x"\ncues = ["a"]\n[[tags.rules]]\nall = ["cues"]\nwhen = 1\n':
            "newsmark.toml:6: tag 1 (x): unknown key 'when' in rule 1",
        '[suggest]\nsources = ["rules", "magic"]\n':
            "newsmark.toml:2: unknown suggester 'magic' in [suggest] sources",
        '[suggest]\nmin_score = 1.5\n': "newsmark.toml:2: min_score in [suggest] must be",
        '[suggest]\nshow = "yes"\n': "newsmark.toml:2: show in [suggest] must be true or false",
    }
    for toml, start in cases.items():
        with pytest.raises(ConfigError) as error:
            parse_config(toml, "newsmark.toml")
        assert str(error.value).startswith(start), (toml, str(error.value))


def test_the_suggest_table_sets_the_defaults() -> None:
    config = parse_config('[suggest]\nshow = false\nsources = ["rules", "own"]\n'
                          "min_score = 0.7\n")
    assert config.suggest == SuggestSettings(False, ("rules", "own"), 0.7)
    assert Config().suggest == SuggestSettings()


def test_the_shipped_rules_file_is_checked_like_a_users(tmp_path: Path) -> None:
    # Every rule the default tags ship with can be copied into a config: it parses there.
    shipped = (ROOT / "tui" / "rules.toml").read_text(encoding="utf-8")
    config = parse_config(shipped, "rules.toml")
    for name in ("claim", "threat", "denial", "schedule"):
        assert config.rules_for(name).rules == default_rules()[name].rules


# --------------------------------------------------------------------------- the rules


def test_default_rules_read_tense_and_negation(tmp_path: Path) -> None:
    text = (
        "The ministers will meet in Vienna on Wednesday.\n\n"
        "The ministers met in Vienna on Wednesday.\n\n"
        "The Kremlin denied that troops were massing.\n\n"
        "The Kremlin did not deny that troops were massing.\n\n"
        "Russia would face severe consequences if it invaded, the official warned.\n\n"
        "Sanctions were imposed on the bank in 2014.\n\n"
        "The weather was cold.\n"
    )
    found = tags_by_sentence(suggestions_of(text, tmp_path))
    assert found.get("The ministers will meet in Vienna on Wednesday.") == {"schedule"}
    assert "The ministers met in Vienna on Wednesday." not in found
    assert found.get("The Kremlin denied that troops were massing.") == {"denial"}
    assert "denial" not in found.get("The Kremlin did not deny that troops were massing.", set())
    assert found.get("Russia would face severe consequences if it invaded, the official "
                     "warned.") == {"threat", "claim"}
    assert "The weather was cold." not in found
    assert "threat" not in found.get("Sanctions were imposed on the bank in 2014.", set())


def test_schedule_suggestions_carry_the_resolved_dates(tmp_path: Path) -> None:
    text = ("A Russia-US meeting will be held on January 9 and 10 in Geneva, followed by "
            "talks in Brussels two days later.\n\nThe summit was called off on Monday.\n")
    found = suggestions_of(text, tmp_path)
    schedules = [s for s in found if s.tag == "schedule"]
    assert [(s.when, s.start) for s in schedules] == [("2022-01-09/2022-01-10, 2022-01-12", 0)]


def test_a_past_weekday_or_month_is_not_a_schedule(tmp_path: Path) -> None:
    text = ("Thursday’s call between the leaders lasted 50 minutes.\n\n"
            "The crisis began in the spring, when troops massed before a summit in June.\n")
    assert [s for s in suggestions_of(text, tmp_path) if s.tag == "schedule"] == []


# --------------------------------------------------------------------------- other suggesters


def test_a_tag_in_one_outlet_suggests_its_counterpart_in_another(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    write_article(folder, "a", "Putin warned that new sanctions would be a colossal mistake "
                  "with the gravest consequences for both sides.\n")
    write_article(folder, "b", "In Moscow, Putin warned that new sanctions would be a colossal "
                  "mistake with the gravest consequences for both nations. The weather held.\n")
    corpus = load_corpus([folder])
    a = corpus.get("a")
    tagged = Annotation.new(a, Span(0, len(a.text.strip())), "threat", annotator="alice")
    engine = Suggestions(Config(), sources=("outlets",), corpus=corpus, annotations=[tagged],
                         annotator="bob")
    [found] = engine.for_article(corpus.get("b"))
    assert found.source == "outlets" and found.tag == "threat" and 0.65 <= found.score < 1
    assert found.text.startswith("In Moscow, Putin") and found.text.endswith("both nations.")
    assert engine.for_article(a) == []  # its own article is not suggested to itself


def test_confirmed_links_are_suggested_and_rejected_ones_are_not(tmp_path: Path) -> None:
    """An analyst's verdict on the compare matrix settles the outlets' suggestion: a
    confirmed span is suggested (score 1) even where the words differ, a rejection suggests
    nothing."""
    from tui.links import Link

    folder = tmp_path / "corpus"
    write_article(folder, "a", "Putin warned that new sanctions would be a colossal mistake "
                  "with the gravest consequences for both sides.\n")
    write_article(folder, "b", "In Moscow, Putin warned that new sanctions would be a colossal "
                  "mistake with the gravest consequences for both nations. The weather held.\n")
    write_article(folder, "c", "The Kremlin leader said fresh penalties would wreck ties. "
                  "Markets fell.\n")
    corpus = load_corpus([folder])
    a, b, c = (corpus.get(x) for x in "abc")
    tagged = Annotation.new(a, Span(0, len(a.text.strip())), "threat", annotator="alice")
    said = c.text.index("The Kremlin")
    span = Span(said, c.text.index("ties.") + len("ties."))
    links = [Link.new(tagged, c, "confirmed", span, annotator="bob"),
             Link.new(tagged, b, "rejected", None, annotator="bob")]
    engine = Suggestions(Config(), sources=("outlets",), corpus=corpus, annotations=[tagged],
                         annotator="bob", links=links)
    [found] = engine.for_article(c)
    assert (found.start, found.end, found.score, found.source) == (span.start, span.end, 1.0,
                                                                   "outlets")
    assert engine.for_article(b) == []
    # Without the verdicts the machine suggests b's counterpart and not c's sentence.
    plain = Suggestions(Config(), sources=("outlets",), corpus=corpus, annotations=[tagged],
                        annotator="bob")
    assert [s.source for s in plain.for_article(b)] == ["outlets"]
    assert all(s.start != span.start for s in plain.for_article(c))


def test_own_tags_teach_the_own_suggester_after_three_examples(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    lines = ["The pipeline tariff rose again under the energy levy.",
             "A new energy levy and pipeline tariff hit importers.",
             "Importers fear the pipeline tariff and the energy levy.",
             "The pipeline tariff and energy levy were debated.",
             "Cats sleep in the sun.", "The river rose after the storm.",
             "Schools reopened in the north.", "A new bridge opened to traffic.",
             "The orchestra played until midnight.", "Farmers planted wheat early."]
    write_article(folder, "a", "\n\n".join(lines) + "\n")
    corpus = load_corpus([folder])
    a = corpus.get("a")
    spans = [Span(a.text.index(line), a.text.index(line) + len(line)) for line in lines]
    mine = [Annotation.new(a, span, "claim", annotator="me") for span in spans[:2]]
    engine = Suggestions(Config(), sources=("own",), corpus=corpus, annotations=mine,
                         annotator="me")
    assert engine.for_article(a) == []  # two examples are not enough
    mine.append(Annotation.new(a, spans[2], "claim", annotator="me"))
    engine = Suggestions(Config(), sources=("own",), corpus=corpus, annotations=mine,
                         annotator="me")
    suggested = {s.text for s in pending(engine.for_article(a), mine, ())}
    assert suggested == {lines[3]}


def test_pending_leaves_out_rejected_and_accepted(tmp_path: Path) -> None:
    write_article(tmp_path / "c", "a", "The Kremlin denied it.\n\nThe minister said so.\n")
    corpus = load_corpus([tmp_path / "c"])
    article = corpus.get("a")
    found = Suggestions(Config(), corpus=corpus).for_article(article)
    assert {(s.tag, s.text) for s in found} == {("denial", "The Kremlin denied it."),
                                                ("claim", "The minister said so.")}
    denial = next(s for s in found if s.tag == "denial")
    claim = next(s for s in found if s.tag == "claim")
    accepted = accept(claim, article, annotator="me")
    assert (accepted.source, accepted.score, accepted.span) == ("rules", claim.score, claim.span)
    assert pending(found, [accepted], {denial.key}) == []
    # The key is the tag and the folded words: it holds when the text around it changes.
    assert denial.key == rejection_key("denial", "the  Kremlin DENIED it")
    assert denial.key != rejection_key("claim", denial.text)
    moved = replace(denial, start=denial.start + 50, end=denial.end + 50)
    assert pending([moved], [], {denial.key}) == []


# --------------------------------------------------------------------------- the command


def newsmark(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_newsmark_suggest_prints_jsonl_and_accepts(seeds: Path, tmp_path: Path) -> None:
    store = tmp_path / "annotations"
    common = ["--corpus", str(seeds), "--store", str(store)]
    done = newsmark("suggest", "--format", "jsonl", "--article", "002_a34abba263e9470d",
                    "--tag", "schedule", *common, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows and all(list(row)[:7] == ["article_id", "start", "end", "tag", "text", "score",
                                          "source"] for row in rows)
    assert any(row["when"] == "2022-01-09, 2022-01-11, 2022-01-13" for row in rows)
    assert not store.exists()  # printing stores nothing
    done = newsmark("suggest", "--accept", "--article", "002_a34abba263e9470d", "--tag",
                    "schedule", *common, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith(f"{len(rows)} suggestion(s) accepted")
    stored = Store(store, annotator="tester").annotations("002_a34abba263e9470d")
    assert sorted((a.start, a.tag, a.source, a.when) for a in stored) == sorted(
        (r["start"], r["tag"], r["source"], r.get("when", "")) for r in rows)
    again = newsmark("suggest", "--format", "json", "--article", "002_a34abba263e9470d",
                     "--tag", "schedule", *common, cwd=tmp_path)
    assert json.loads(again.stdout) == []  # accepted ones are left out


@pytest.mark.parametrize(("argument", "message"), [
    (["--tag", "nope"], "unknown tag 'nope'"),
    (["--article", "nope"], "no article 'nope'"),
    (["--source", "magic"], "unknown suggester 'magic'"),
    (["--min-score", "1.5"], "--min-score takes a number from 0 to 1"),
    (["--jobs", "0"], "--jobs takes a number of processes, 1 or more"),
])
def test_a_bad_filter_exits_2_with_one_line_and_writes_nothing(
        seeds: Path, tmp_path: Path, argument: list[str], message: str) -> None:
    store = tmp_path / "annotations"
    done = newsmark("suggest", "--accept", *argument, "--corpus", str(seeds), "--store",
                    str(store), cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"newsmark: {message}") and done.stderr.count("\n") == 1
    assert not store.exists()


def test_the_documented_rules_example_is_a_valid_config() -> None:
    doc = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    section = doc[doc.index("### The rules language"):]
    example = section[section.index("```toml") + len("```toml"):section.index("```\n", 10)]
    config = parse_config(example, "docs/config.md")
    rules = config.rules_for("sanction")
    assert [rule.name for rule in rules.rules] == ["measure imposed"]
    assert set(rules.classes) == {"measure", "imposer", "amount"}


def test_stats_show_each_suggester_per_tag(seeds: Path, tmp_path: Path) -> None:
    store = tmp_path / "annotations"
    common = ["--corpus", str(seeds), "--store", str(store)]
    accepted = newsmark("suggest", "--accept", "--article", "002_a34abba263e9470d", "--tag",
                        "denial", *common, cwd=tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    done = newsmark("stats", "--format", "json", *common, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = {(r["source"], r["tag"]): r for r in json.loads(done.stdout)["suggestions"]}
    denial = rows[("rules", "denial")]
    assert denial["accepted"] == int(accepted.stdout.split()[0]) >= 1
    assert denial["suggested"] >= denial["accepted"] and denial["rate"] == 1.0
    claim = rows[("rules", "claim")]
    assert claim["accepted"] == 0 and claim["suggested"] > 0 and claim["rate"] is None
    table = newsmark("stats", *common, cwd=tmp_path).stdout
    assert "Suggestions per source and tag" in table
    assert re.search(r"\n  rules +denial +\d+ +[1-9]\d* +0 +100%\n", table), table


def test_the_suggestion_benchmark_runs(tmp_path: Path) -> None:
    """bench/suggest.py stays runnable: its quality tables come out for both sets."""
    table = tmp_path / "quality.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "suggest.py"), "--quality",
                           "--markdown", str(table)], capture_output=True, text=True,
                          timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    text = table.read_text(encoding="utf-8")
    for row in ("### seeds", "### heldout", "| baseline: plain lexicon |", "| rules |",
                "| all (default: rules, dates, outlets) |"):
        assert row in text


def test_the_dates_suggester_follows_the_schedule_role(tmp_path: Path) -> None:
    """A tag given ``role = "schedule"`` gets the dates suggester's proposals, with ``when``
    (as the timeline reads that tag); without a schedule tag there are none."""
    text = "The talks will be held in Geneva on January 9 and 10, officials said."
    roled = parse_config('[[tags]]\nname = "claim"\n[[tags]]\nname = "meeting"\n'
                         'role = "schedule"\n')
    found = suggestions_of(text, tmp_path, roled, sources=("dates",))
    assert [(s.tag, s.source, s.when) for s in found] == [
        ("meeting", "dates", "2022-01-09/2022-01-10")]
    plain = parse_config('[[tags]]\nname = "claim"\n[[tags]]\nname = "meeting"\n')
    assert suggestions_of(text, tmp_path / "b", plain, sources=("dates",)) == []


def test_a_cancelled_computation_stops_and_leaves_the_engine_whole(seeds: Path) -> None:
    """The reader's worker stops an article's suggestions when the article is left: the
    engine raises Cancelled at its next look, and what it kept still gives every article's
    suggestions as a fresh engine does."""
    from tui.sentences import sentence_spans
    from tui.suggest import Cancelled

    corpus = load_corpus([seeds])
    articles = corpus.load_all()
    first = articles[0]
    spans = sentence_spans(first.plain, first.boilerplate)[3:7]
    tagged = [Annotation.new(first, span, tag, annotator="alice")
              for span, tag in zip(spans, ("claim", "threat", "denial", "claim"), strict=True)]

    def engine() -> Suggestions:
        return Suggestions(Config(), corpus=corpus, annotations=tagged, annotator="me")

    counted: list[int] = []
    engine().for_article(articles[1], lambda: counted.append(1) or False)
    assert len(counted) >= 4  # after the dates, in the rules, at each tagged passage
    for looks in range(1, len(counted) + 1):  # every checkpoint a run passes
        asked: list[int] = []

        def cancelled(looks: int = looks, asked: list[int] = asked) -> bool:
            asked.append(1)
            return len(asked) >= looks

        busy = engine()
        with pytest.raises(Cancelled):
            busy.for_article(articles[1], cancelled)
        assert len(asked) == looks  # it stopped at the look that said so
        fresh = engine()
        assert [busy.for_article(a) for a in articles] == [fresh.for_article(a)
                                                           for a in articles]
