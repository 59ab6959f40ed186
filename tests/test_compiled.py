"""The modules setup.py compiles with mypyc (tui/rules.py, dates.py, sentences.py).

The sources stay the truth: the install compiles them, ``tui/__init__.py`` uses the compiled
copies only while every source still has the hash it was compiled from, the compiled copies
answer as the sources do, and a build with no C compiler installs the sources alone.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import tui
import tui.dates
import tui.rules
import tui.sentences

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path(tui.__file__).resolve().parent
STEMS = ("rules", "dates", "sentences")
PURE_ASKED = os.environ.get("NEWSMARK_PURE", "") not in ("", "0")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "NEWSMARK_PURE"}
    return {**env, **extra}


def _probe(path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = ("import tui, tui.rules, tui.dates, tui.sentences\n"
              "print(tui.COMPILED, tui.rules.__file__, tui.dates.__file__, "
              "tui.sentences.__file__)\n")
    return subprocess.run([sys.executable, "-c", script], cwd=path, capture_output=True,
                          text=True, env={**env, "PYTHONPATH": str(path)}, timeout=60)


def test_the_install_compiled_the_rules_and_this_run_uses_them():
    if PURE_ASKED:
        assert not tui.COMPILED
        assert all(m.__file__.endswith(".py") for m in (tui.rules, tui.dates, tui.sentences))
        return
    assert tui.COMPILED, (
        "tui/rules.py, dates.py and sentences.py run as pure Python: the install did not "
        "compile them (`pip install -v -e .` says why on its 'newsmark build:' lines; a C "
        "compiler is needed), or a source changed since: run pip install -e . again, or set "
        "NEWSMARK_PURE=1 to test the pure Python")
    for module in (tui.rules, tui.dates, tui.sentences):
        assert module.__file__.endswith(tuple(EXTENSION_SUFFIXES)), module.__file__


def test_a_compiled_copy_is_used_only_while_every_source_is_the_one_compiled(tmp_path):
    # A copy of the package whose "compiled" modules are not extensions at all: importing
    # one fails, so a run that imports cleanly used the sources.
    copy = tmp_path / "tui"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(
        "__pycache__", "*.so", "*.pyd", "_compiled-*"))
    for stem in STEMS:
        (copy / f"{stem}{EXTENSION_SUFFIXES[0]}").write_bytes(b"not an extension module")
    (tmp_path / "fake_library.py").write_text("", encoding="utf-8")  # (mypyc's, importable)
    record = copy / tui.COMPILED_RECORD.format(tag=sys.implementation.cache_tag)

    def write_record(library: str = "fake_library") -> None:
        lines = [f"library {library}"] + [
            f"{stem} {hashlib.sha256((copy / f'{stem}.py').read_bytes()).hexdigest()}"
            for stem in (*STEMS, "model")]
        record.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def uses_sources(**extra: str) -> bool:
        ran = _probe(tmp_path, _env(**extra))
        if ran.returncode != 0:
            assert "ImportError" in ran.stderr, ran.stderr  # (the fake extension)
            return False
        fields = ran.stdout.split()
        assert fields[0] == "False"
        assert [Path(p).name for p in fields[1:]] == ["rules.py", "dates.py", "sentences.py"]
        return True

    assert uses_sources()  # no record (an old build, a failed one, another interpreter's)
    write_record()
    assert not uses_sources()  # the record holds: the compiled copies are imported
    assert uses_sources(NEWSMARK_PURE="1")  # asked for the sources at run time
    write_record(library="no_such_library")  # a later build removed mypyc's library
    assert uses_sources()
    write_record()
    record.write_text(record.read_text(encoding="utf-8").replace("library ", "lib "),
                      encoding="utf-8")  # a damaged record
    assert uses_sources()
    # One source edited since, compiled (dates.py) or imported by them (model.py): all three
    # from their sources, since the compiled rules would call the compiled dates directly.
    for edited in ("dates.py", "model.py"):
        write_record()
        assert not uses_sources()
        with (copy / edited).open("a", encoding="utf-8") as file:
            file.write("\n# edited after the build\n")
        assert uses_sources()


def test_newsmark_says_whether_its_rules_run_compiled():
    def version(**extra: str) -> str:
        ran = subprocess.run([sys.executable, "-m", "tui", "--version"], capture_output=True,
                             text=True, env=_env(**extra), timeout=60)
        assert ran.returncode == 0, ran.stderr
        return ran.stdout.strip()

    assert version(NEWSMARK_PURE="1").startswith("newsmark 0.1.0 (rules as pure Python")
    if not PURE_ASKED:
        assert version() == "newsmark 0.1.0 (rules compiled with mypyc)"


def test_the_compiled_values_pickle_and_copy_as_the_sources_do():
    import copy
    import pickle
    from datetime import date

    from tui.dates import When, resolve
    from tui.rules import Rule, default_rules

    when = resolve("January 9 and 10", "2021-12-31")
    assert when == When(date(2022, 1, 9), date(2022, 1, 10), "day")
    claim = default_rules()["claim"]
    for value in (when, claim, claim.rules[0], Rule("r", ("a",))):
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value
    assert pickle.loads(pickle.dumps(claim)).needs_dates == claim.needs_dates


#: What both runs print: every suggestion, date mention and cue offset of real and hostile text.
_ANSWERS = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    import tui
    from hostile import ESCAPES, MARKUP, big_text
    from tui.config import Config
    from tui.corpus import load_corpus
    from tui.dates import find_dates
    from tui.rules import RuleSet, default_rules
    from tui.sentences import sentence_spans
    from tui.suggest import Suggestions
    folder = Path(sys.argv[2])
    (folder / "hostile.txt").write_text(ESCAPES + MARKUP + big_text(0.05), encoding="utf-8")
    paths = [Path(p) for p in sys.argv[3:]] + [folder / "hostile.txt"]
    corpus = load_corpus(paths)
    engine = Suggestions(Config(), corpus=corpus)
    rules = RuleSet(default_rules())
    print(tui.COMPILED)
    for article in corpus.load_all():
        for s in engine.for_article(article):
            print(json.dumps(s.to_dict(), sort_keys=True))
        for m in find_dates(article.text, article.date):
            print(m.start, m.end, m.tense, m.when.iso if m.when else None)
        for span in sentence_spans(article.plain, article.boilerplate):
            hits = rules.matches(article.text, span.start, span.end)
            print(span.start, span.end, sorted(hits.items()))
""")


def test_the_compiled_modules_answer_as_their_sources(tmp_path):
    sources = [str(ROOT / "seeds"), str(ROOT / "bench" / "heldout" / "articles")]
    script = tmp_path / "answers.py"
    script.write_text(_ANSWERS, encoding="utf-8")

    def answers(**extra: str) -> list[str]:
        ran = subprocess.run([sys.executable, str(script), str(ROOT / "tests"), str(tmp_path),
                              *sources], capture_output=True, text=True, cwd=tmp_path,
                             env=_env(**extra), timeout=300)
        assert ran.returncode == 0, ran.stderr[-2000:]
        return ran.stdout.splitlines()

    compiled = answers()
    pure = answers(NEWSMARK_PURE="1")
    assert pure[0] == "False"
    if not PURE_ASKED:
        assert compiled[0] == "True", "the modules are not compiled (see the test above)"
    assert len(compiled) > 2000  # (suggestions, dates and cues of 15 articles)
    assert compiled[1:] == pure[1:]


def test_a_build_without_a_c_compiler_installs_the_sources_alone(tmp_path):
    project = tmp_path / "newsmark"
    project.mkdir()
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, project / name)
    shutil.copytree(ROOT / "tui", project / "tui", ignore=shutil.ignore_patterns(
        "__pycache__", "*.so", "*.pyd", "_compiled-*"))
    out = tmp_path / "wheels"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v",
         "-w", str(out), str(project)],
        capture_output=True, text=True, env=_env(CC="false"), timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]
    assert "compiling with mypyc failed" in built.stdout + built.stderr
    assert "newsmark runs as pure Python" in built.stdout + built.stderr
    [wheel] = out.glob("newsmark-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "tui/rules.py" in names and "tui/dates.py" in names
    assert not [n for n in names if n.endswith((".so", ".pyd")) or "_compiled-" in n]


def test_a_span_holds_python_ints_whatever_it_is_given():
    # Offsets read from numpy arrays (the compare index keeps them so) must not reach the
    # compiled modules as numpy integers: they insist on int.
    import numpy as np

    from tui.model import Span
    from tui.sentences import word_spans

    span = Span(np.int64(4), np.int64(9))
    assert type(span.start) is int and type(span.end) is int
    with pytest.raises(TypeError):
        Span(4.7, 9)  # (not an integer: refused, not rounded)
    assert span == Span(4, 9) and hash(span) == hash(Span(4, 9))
    assert word_spans("The talks ended.", span) == [Span(4, 9)]


def test_finding_dates_in_a_long_text_stops_to_check_often():
    # Compiled, find_dates runs no bytecode of its own: the interpreter hands the GIL to the
    # reader's thread only where ``check`` (Python) is called, so it must be called often.
    from tui.dates import CHECK_EVERY, find_dates

    text = "The talks resume on Monday, and again on January 9. " * 2000
    calls = []
    mentions = find_dates(text, "2021-12-31", check=lambda: calls.append(1))
    assert len(mentions) == 4000
    # Every CHECK_EVERY mentions, in each pass of the scan and in the reading of them.
    assert len(calls) >= 3 * len(mentions) // CHECK_EVERY

    class Stop(Exception):
        pass

    def stop_soon() -> None:
        if len(calls) > 10:
            raise Stop
        calls.append(1)

    calls.clear()
    with pytest.raises(Stop):
        find_dates(text, "2021-12-31", check=stop_soon)
