"""The command line, run as a user runs it: real processes where it matters, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main
from tui.corpus import load_corpus
from tui.sentences import sentence_spans
from tui.store import Store

ARTICLE = "002_a34abba263e9470d"


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """``python -m tui ARGS`` in a real process."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, cwd=cwd,
        env=full_env, timeout=60,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_importing_the_cli_does_not_import_textual() -> None:
    code = (
        "import sys, tui.cli, tui.corpus, tui.store, tui.sentences, tui.model, tui.config, "
        "tui.formats, tui.history, tui.keys, tui.layout, tui.session, tui.styles\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_list_prints_articles_with_counts(seeds: Path, store_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add", ARTICLE, "threat", "--quote", "respond decisively",
                 "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    capsys.readouterr()
    assert main(["list", "--corpus", str(seeds), "--store", str(store_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:7] == ["id", "date", "outlet", "claim", "threat", "denial",
                                    "schedule"]
    assert len(lines) == 6
    row = next(line for line in lines if line.startswith(ARTICLE))
    assert row.split()[1] == "2021-12-31"
    assert "Putin happy with results of Biden security call" in row
    assert "1" in row.split()[3:8]


def test_add_by_quote_and_by_span_then_export_json(seeds: Path, store_dir: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    assert main(["add", ARTICLE, "threat", "--quote", "respond decisively", "--note",
                 "the core threat", *common]) == 0
    first_id = capsys.readouterr().out.strip()
    article = load_corpus([seeds]).get(ARTICLE)
    sentence = sentence_spans(article.text, article.boilerplate)[3]
    assert main(["add", ARTICLE, "claim", "--span", f"{sentence.start}:{sentence.end}",
                 *common]) == 0
    second_id = capsys.readouterr().out.strip()
    assert first_id != second_id

    assert main(["export", *common]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert isinstance(exported.get("version", exported.get("schema")), int)
    (entry,) = [a for a in exported["articles"] if a["id"] == ARTICLE]
    assert entry["sha256"] == article.sha256
    by_id = {a["id"]: a for a in entry["annotations"]}
    assert by_id[first_id]["text"] == "respond decisively"
    assert by_id[first_id]["note"] == "the core threat"
    assert by_id[first_id]["annotator"] == "tester"
    start, end = by_id[first_id]["start"], by_id[first_id]["end"]
    assert article.text[start:end] == "respond decisively"
    assert by_id[second_id]["text"] == article.text[sentence.start : sentence.end]


def test_export_jsonl_filters_by_tag_and_article(seeds: Path, store_dir: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    main(["add", ARTICLE, "threat", "--quote", "respond decisively", *common])
    main(["add", ARTICLE, "schedule", "--quote", "on 13 January", *common])
    main(["add", "001_bf000ff86f6a5f51", "threat", "--quote", "complete breakdown", *common])
    capsys.readouterr()
    assert main(["export", "--format", "jsonl", "--tag", "threat", "--article", ARTICLE,
                 *common]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["article_id"], r["tag"], r["text"]) for r in rows] == [
        (ARTICLE, "threat", "respond decisively")
    ]
    for key in ("id", "article_id", "start", "end", "tag", "text", "note", "annotator",
                "created", "modified"):
        assert key in rows[0]


def test_export_to_a_file(seeds: Path, store_dir: Path, tmp_path: Path) -> None:
    common = ["--corpus", str(seeds), "--store", str(store_dir)]
    main(["add", ARTICLE, "threat", "--quote", "respond decisively", *common])
    out = tmp_path / "out.json"
    assert main(["export", "-o", str(out), *common]) == 0
    assert "respond decisively" in out.read_text(encoding="utf-8")


def test_export_never_writes_into_the_store_or_over_an_article(
        seeds: Path, store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    article = corpus / "a.txt"
    article.write_text("Title\n\nThe minister said talks would resume.\n", encoding="utf-8")
    common = ["--corpus", str(corpus), "--store", str(store_dir)]
    assert main(["add", "a", "claim", "--quote", "The minister said", *common]) == 0
    (shard,) = [p for p in store_dir.rglob("*.json") if "a" in p.parent.name]
    before = {p: p.read_bytes() for p in [*store_dir.rglob("*"), article] if p.is_file()}
    for target in (shard, store_dir / "new.json", store_dir, article):
        capsys.readouterr()
        fmt = ["-f", "brat"] if target == store_dir else []
        assert main(["export", *fmt, "-o", str(target), *common]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "somewhere else" in err, err
    after = {p: p.read_bytes() for p in [*store_dir.rglob("*"), article] if p.is_file()}
    assert after == before
    assert not (store_dir / "new.json").exists()
    # Elsewhere, a file is written (and replaced when it exists).
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    assert main(["export", "-o", str(out), *common]) == 0
    assert "The minister said" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "no-such-article", "threat", "--quote", "x"], "no article"),
        (["add", ARTICLE, "rumour", "--quote", "Putin"], "unknown tag"),
        (["add", ARTICLE, "threat", "--quote", "words that are not in it"], "occurs nowhere"),
        (["add", ARTICLE, "threat", "--span", "10:5"], "start must be less than end"),
        (["add", ARTICLE, "threat", "--span", "5:5"], "start must be less than end"),
        (["add", ARTICLE, "threat", "--span", "0:999999"], "outside"),
        (["add", ARTICLE, "threat", "--span", "abc"], "START:END"),
        (["add", ARTICLE, "threat", "--quote", "Putin", "--occurrence", "99"], "only"),
        (["export", "--tag", "rumour"], "unknown tag"),
        (["export", "--article", "nope"], "no article"),
        (["list", "--corpus", "/no/such/folder"], "/no/such/folder"),
        (["list", "--corpus", "EMPTY"], "no articles in"),
        (["--corpus", ".", "list"], "'list' is a command: put it first (newsmark list --corpus"),
        # The parser's own errors: one line too, not the usage text before it.
        (["suggest", "--jobs", "abc"], "invalid int value: 'abc'"),
        (["stats", "--format", "xml"], "invalid choice: 'xml'"),
        (["export", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    ],
)
def test_errors_are_one_line_exit_2_and_write_nothing(
    args: list[str], message: str, seeds: Path, store_dir: Path
) -> None:
    common = ["--store", str(store_dir)]
    if "--corpus" not in args:
        common += ["--corpus", str(seeds)]
    if "EMPTY" in args:  # a folder with no article in it
        empty = store_dir.parent / "empty"
        empty.mkdir()
        args = [str(empty) if a == "EMPTY" else a for a in args]
    before = snapshot(store_dir)
    result = run(*args, *common)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    assert snapshot(store_dir) == before


def test_add_says_when_the_quote_occurs_more_than_once(seeds: Path, store_dir: Path) -> None:
    common = ["--corpus", str(seeds), "--store", str(store_dir), "--annotator", "ana"]
    text = load_corpus([seeds]).get(ARTICLE).text
    assert text.count("Putin") > 1
    result = run("add", ARTICLE, "claim", "--quote", "Putin", *common)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()  # the id, as ever
    (note,) = result.stderr.strip().splitlines()
    assert f"occurs {text.count('Putin')} times" in note and "--occurrence" in note
    (first,) = Store(store_dir, annotator="x").annotations(ARTICLE)
    assert first.start == text.index("Putin")
    # Asked for by number: no note.
    again = run("add", ARTICLE, "claim", "--quote", "Putin", "--occurrence", "2", *common)
    assert again.returncode == 0 and again.stderr == ""


def test_add_writes_to_the_store_on_disk(seeds: Path, store_dir: Path) -> None:
    result = run("add", ARTICLE, "schedule", "--quote", "9 January", "--corpus", str(seeds),
                 "--store", str(store_dir), "--annotator", "ana")
    assert result.returncode == 0, result.stderr
    (annotation,) = Store(store_dir, annotator="other").annotations(ARTICLE)
    assert annotation.id == result.stdout.strip()
    assert annotation.annotator == "ana"
    assert annotation.text == "9 January"


def test_store_from_the_environment(seeds: Path, tmp_path: Path) -> None:
    store = tmp_path / "env-store"
    result = run("add", ARTICLE, "claim", "--quote", "Ushakov said", "--corpus", str(seeds),
                 env={"NEWSMARK_STORE": str(store), "NEWSMARK_ANNOTATOR": "envuser"})
    assert result.returncode == 0, result.stderr
    assert [a.annotator for a in Store(store, annotator="x").annotations(ARTICLE)] == ["envuser"]


def test_default_corpus_is_seeds_in_the_current_folder_else_bundled(tmp_path: Path) -> None:
    # An empty folder: no ./seeds, so the bundled copy is used.
    result = run("list", "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 6
    # A ./seeds folder of its own replaces it.
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "mine.txt").write_text("My own article.\n\nIt says things.\n")
    result = run("list", "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["mine"]


def test_bundled_seeds_are_the_seeds_byte_for_byte(seeds: Path) -> None:
    from tui.corpus import bundled_seeds

    shared = seeds.parent.parent / "shared" / "seeds"
    names = sorted(p.name for p in seeds.glob("*.txt"))
    assert len(names) == 5
    assert names == sorted(p.name for p in bundled_seeds().glob("*.txt"))
    sidecars = sorted(p.name for p in seeds.glob("*.meta.json"))
    assert sidecars == sorted(p.name for p in bundled_seeds().glob("*.meta.json"))
    for name in sidecars:
        assert (seeds / name).read_bytes() == (bundled_seeds() / name).read_bytes()
    for name in names:
        assert (seeds / name).read_bytes() == (bundled_seeds() / name).read_bytes()
        if shared.exists():
            assert (seeds / name).read_bytes() == (shared / name).read_bytes()


def test_check_reports_damage_with_exit_1(store_dir: Path, seeds: Path) -> None:
    common = ["--store", str(store_dir)]
    assert run("check", *common).returncode == 0
    run("add", ARTICLE, "claim", "--quote", "Ushakov said", "--corpus", str(seeds), *common)
    (shard,) = list(store_dir.rglob("*.json"))
    shard.write_bytes(shard.read_bytes()[:20])
    result = run("check", *common)
    assert result.returncode == 1
    assert str(shard) in result.stdout
    result = run("check", "--repair", *common)
    assert result.returncode == 0
    assert "aside" in result.stdout
    assert run("check", *common).returncode == 0


def test_python_dash_m_and_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("list", "add", "export", "check"):
        assert command in result.stdout


def test_the_command_list_is_the_parsers() -> None:
    from tui.cli import SUBCOMMANDS, build_parser

    assert set(SUBCOMMANDS) == set(build_parser().subcommand_names)


def test_opening_the_app_does_not_import_the_export_formats() -> None:
    code = (
        "import sys, tui.cli\n"
        "tui.cli.build_opener().parse_args([])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('tui.formats', 'rapidfuzz'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_001_is_rt_in_list_stats_and_compare_alike(tmp_path: Path, seeds: Path) -> None:
    """One outlet per article, whichever way it is read: the list's cached infos, the loaded
    article (stats, compare) and compare's version group all say RT for seed 001."""
    rt2 = "001_bf000ff86f6a5f51"
    common = ["--corpus", str(seeds), "--store", str(tmp_path / "store")]
    added = run("add", rt2, "claim", "--quote", "Unprecedented sanctions", *common)
    assert added.returncode == 0, added.stderr
    for _ in range(2):  # the first run fills the metadata cache, the second reads from it
        listed = run("list", *common)
        row = next(line for line in listed.stdout.splitlines() if line.startswith(rt2))
        assert row.split()[2] == "RT"
    stats = json.loads(run("stats", "--format", "json", *common).stdout)
    assert stats["per_outlet"] == {"RT": {"claim": 1, "threat": 0, "denial": 0, "schedule": 0}}
    columns = json.loads(run("compare", "--format", "json", *common).stdout)["columns"]
    column = next(c for c in columns if c["article"] == rt2)
    assert (column["outlet"], column["label"]) == ("RT", "RT v2")
    corpus = load_corpus([seeds])
    assert corpus.info(rt2).outlet == corpus.get(rt2).outlet == "RT"


@pytest.mark.parametrize(("typed", "meant"), [("lst", "list"), ("chek", "check"),
                                              ("exprot", "export"), ("Stats", "stats")])
def test_a_mistyped_command_says_what_was_meant(tmp_path: Path, typed: str, meant: str) -> None:
    done = run(typed, "--store", str(tmp_path / "store"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith(f"newsmark: unknown command {typed!r} — did you mean {meant}?")
    assert done.stderr.count("\n") == 1
    assert not (tmp_path / "store").exists()


def test_a_path_called_like_a_mistyped_command_is_opened(tmp_path: Path) -> None:
    # `newsmark lst --help` shows the opener's help only if "lst" was taken as a PATH to open
    # (without a terminal the app itself cannot start here).
    assert run("lst", "--help", cwd=tmp_path).returncode == 2
    (tmp_path / "lst").write_text("An article called lst.\n", encoding="utf-8")
    done = run("lst", "--help", cwd=tmp_path)
    assert done.returncode == 0 and "usage: newsmark [-h]" in done.stdout
    done = run("list", "--corpus", "lst", "--store", str(tmp_path / "s"), cwd=tmp_path)
    assert done.returncode == 0 and "An article called lst" in done.stdout


def test_a_word_that_is_no_command_and_no_path_is_one_line(tmp_path: Path) -> None:
    done = run("frobnicate", "--store", str(tmp_path / "store"), cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("newsmark: 'frobnicate' is neither a command nor a file")
    assert "list" in done.stderr and done.stderr.count("\n") == 1


def test_check_takes_corpus_and_names_articles_it_lacks(tmp_path: Path, seeds: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "gone.txt").write_text("An article that will be renamed.\n", encoding="utf-8")
    store = ["--store", str(tmp_path / "store")]
    both = ["--corpus", str(seeds), "--corpus", str(extra)]
    assert run("add", ARTICLE, "claim", "--quote", "Ushakov said", *both, *store).returncode == 0
    assert run("add", "gone", "claim", "--quote", "renamed", *both, *store).returncode == 0

    done = run("check", *both, *store)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{tmp_path / 'store'}: all annotation files are sound."]

    done = run("check", "--corpus", str(seeds), *store)
    assert done.returncode == 0  # not damage: the exit code says only that
    lines = done.stdout.splitlines()
    assert lines[0] == (
        f"{tmp_path / 'store' / 'gone'}: article 'gone' (1 annotation(s)) is not in the corpus; "
        "its annotations are kept but not shown (give its file with --corpus; `newsmark "
        "orphans` lists them)"
    )
    assert lines[1].endswith("all annotation files are sound.")

    # A damaged shard of such an article is reported as damage, without a count.
    shard = tmp_path / "store" / "gone" / "tester.json"
    shard.write_bytes(b"{")
    done = run("check", "--corpus", str(seeds), *store)
    assert done.returncode == 1
    assert "article 'gone' is not in the corpus" in done.stdout
    assert f"{shard} is damaged" in done.stdout
    assert done.stdout.count(str(shard)) == 1  # named once
    repaired = run("check", "--repair", "--corpus", str(seeds), *store)
    assert repaired.returncode == 0 and "--repair" not in repaired.stdout  # no advice to run it
    assert run("check", "--corpus", str(tmp_path / "missing"), *store).returncode == 2


def test_nothing_readable_is_one_line_and_exit_2(tmp_path: Path) -> None:
    """A binary file given by name (or a folder of nothing but such files) is not an empty
    list: the app and every command say why, in one line, and exit 2."""
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    folder = tmp_path / "junk"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"\x00\xff")
    (folder / "b.txt").write_bytes(b"\x00\xfe")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for args, name in ((["open", str(binary)], "photo.txt"),
                       (["list", "--corpus", str(binary)], "photo.txt"),
                       (["list", "--corpus", str(folder)], "a.txt")):
        result = run(*args, "--store", str(tmp_path / "store"), env=env)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        [line] = result.stderr.splitlines()
        assert line.startswith("newsmark: no article could be read: ") and name in line
        assert "Traceback" not in result.stderr and result.stdout == ""
    assert "(and 1 more file(s) skipped)" in line
    assert not (tmp_path / "store").exists()
