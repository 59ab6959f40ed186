"""Reading articles: decoding, normalisation, metadata, boilerplate, corpora, on real files."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tui.corpus import (
    BOILERPLATE_PATTERNS,
    Corpus,
    CorpusError,
    boilerplate_line_kind,
    boilerplate_spans,
    bundled_seeds,
    decode,
    default_corpus_paths,
    guess_metadata,
    is_binary,
    load_article,
    load_corpus,
    normalise,
)
from tui.model import Span

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_STEMS = (
    "000_459b4affb575bcd9",
    "001_bf000ff86f6a5f51",
    "002_a34abba263e9470d",
    "003_9b9a3ba666ff02ad",
    "004_320cd11bf9cbfd71",
)

# The right answers, determined by reading each seed.
EXPECTED_METADATA = {
    "000_459b4affb575bcd9": {
        "title": "Five key takeaways from latest Putin-Biden call",
        "outlet": "RT",  # the RT site's icon-font navigation, scraped as text
        "date": "2021-12-31",  # "31 Dec, 2021 04:08"
    },
    "001_bf000ff86f6a5f51": {
        # No title line: the standfirst's first sentence, shortened.
        "title": "A phone call between the Russian President and his US counterpart revolved…",
        # Its text names no outlet; it is the second version of 000's RT report, and its
        # sidecar (001_bf000ff86f6a5f51.meta.json) says so.
        "outlet": "RT",
        "date": "2021-12-31",  # " date 2021-12-31 A phone call ..."
    },
    "002_a34abba263e9470d": {
        "title": "Putin happy with results of Biden security call, Kremlin says",
        "outlet": "Luxembourg Times",  # "The Luxembourg Times has a new mobile app"
        "date": "2021-12-31",  # "4 min. 31.12.2021 From our online archive"
    },
    "003_9b9a3ba666ff02ad": {
        "title": "Biden and Putin’s serious conversation sets the tone for diplomacy",
        "outlet": "",
        "date": "",
    },
    "004_320cd11bf9cbfd71": {
        "title": "Thursday’s Biden-Putin phone call which had been initiated by the Russian side…",
        "outlet": "",
        "date": "",  # only "9 mths" (ago): no date in the text
    },
}

# Every boilerplate piece of each seed, exactly (stripped); nothing else may be marked.
EXPECTED_BOILERPLATE = {
    # The headline repeated under the standfirst: the later copy.
    "000_459b4affb575bcd9": ["<icon list>", "31 Dec, 2021 04:08",
                             "Five key takeaways from latest Putin-Biden call"],
    # Its dateline is glued to the standfirst: the date is split off, the prose stays.
    "001_bf000ff86f6a5f51": ["date 2021-12-31"],
    "002_a34abba263e9470d": [
        "Change Edition",
        "Putin happy with results of Biden security call, Kremlin says",  # the headline again
        "4 min. 31.12.2021 From our online archive",
        "Russia's President Vladimir Putin",  # the photo caption, twice, over its credit
        "Russia's President Vladimir Putin",
        "Photo credit: AFP",
        "©2021 Bloomberg L.P.",
        "The Luxembourg Times has a new mobile app, download here! Get the Luxembourg Times "
        "delivered to your inbox twice a day. Sign up for your free newsletters here.",
        "More on this topic",
    ],
    "003_9b9a3ba666ff02ad": [
        "More from author",
        "Please enter your comment!",
        "Please enter your name here",
        "Related posts",
        "Latest posts",
        # The three teasers under "Latest posts": headline, standfirst.
        "One more Russian oligarch found dead; seventh death so far recorded since invasion "
        "began",
        "A bunch of Russian oligarchs have mysteriously died since Russia's war on Ukraine. Now, "
        "former top manager and executive Alexander Subbotin from Russia's largest company, "
        "Lukoil, has also been found dead.",
        "McDonald’s plans to sells its business in Russia",
        "McDonald's on Monday has said that it has started the process of selling its business "
        "in Russia. It was the first American fast-food restaurant to open in the Soviet Union "
        "over three decades ago.",
        "Russian company produces alternatives in place of Coca-Cola, Fanta and Sprite",
        "A Russian beverage maker has disclosed a new range of soft drinks to replace the iconic "
        "brands that have left the Russian market in the wake of its invasion of Ukraine.",
        "Want to stay up to date with the latest news?",
        "We would love to hear from you! Please fill in your details and we will stay in touch. "
        "It's that simple!",
    ],
    "004_320cd11bf9cbfd71": [
        "0 4 min 9 mths",
        "Biden in the call from his home in Delaware. Image: AFP/Getty",
        "Source link",
        "Leave a Reply",
        "Your email address will not be published.",
    ],
}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Bytes and mtime of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    return folder


# --------------------------------------------------------------------------- seeds


def test_every_seed_loads_with_its_stem_as_id() -> None:
    corpus = load_corpus([SEEDS])
    assert corpus.ids == SEED_STEMS
    assert corpus.skipped == ()
    assert len(corpus) == 5
    assert [a.id for a in corpus] == list(SEED_STEMS)
    for article in corpus:
        assert article.path.parent == SEEDS
        assert article.text == normalise((SEEDS / f"{article.id}.txt").read_text("utf-8"))
        assert article.problems == ()
        assert corpus.get(article.id) is article
    assert corpus.get("nope") is None


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_metadata_is_guessed_right(stem: str) -> None:
    assert load_article(SEEDS / f"{stem}.txt").metadata() == EXPECTED_METADATA[stem]


def test_only_the_sidecar_knows_001s_outlet() -> None:
    text = (SEEDS / "001_bf000ff86f6a5f51.txt").read_text("utf-8")
    assert guess_metadata(text)["outlet"] == ""
    assert json.loads((SEEDS / "001_bf000ff86f6a5f51.meta.json").read_bytes()) == {"outlet": "RT"}


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_boilerplate_is_exactly_the_junk(stem: str) -> None:
    article = load_article(SEEDS / f"{stem}.txt")
    marked = [article.text[s.start : s.end].strip() for s in article.boilerplate]
    marked = ["<icon list>" if m.startswith("icon bookmark-bicon") else m for m in marked]
    assert marked == EXPECTED_BOILERPLATE[stem]


@pytest.mark.parametrize("stem", SEED_STEMS)
def test_seed_boilerplate_spans_are_whole_lines(stem: str) -> None:
    text = load_article(SEEDS / f"{stem}.txt").text
    spans = boilerplate_spans(text)
    assert list(spans) == sorted(spans)
    for span in spans:
        line_start = text.rfind("\n", 0, span.start) + 1
        assert not text[line_start : span.start].strip()
        assert "\n" not in text[span.start : span.end]
        if not (span.end == len(text) or text[span.end] == "\n"):
            # Only a dateline glued to prose is the head of a line; prose follows it.
            assert stem.startswith("001") and text[span.start : span.end].strip() == \
                "date 2021-12-31"


def test_no_prose_line_of_any_seed_is_marked() -> None:
    """Every line with a full sentence of reporting in it stays prose (checked line by line)."""
    expected = {line for lines in EXPECTED_BOILERPLATE.values() for line in lines}
    for stem in SEED_STEMS:
        for line in (SEEDS / f"{stem}.txt").read_text("utf-8").splitlines():
            kind = boilerplate_line_kind(line)
            if kind is not None:
                assert line.strip() in expected or line.startswith("icon bookmark-bicon"), line


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell in Moscow after the call.",
        "Tweet by tweet, the White House laid out its position.",
        "10 minutes later, Putin said the call was over.",
        "4 minutes after the call ended, the Kremlin issued a statement.",
        "Copyright law was not discussed, Ushakov said.",
        "Related posts on social media were removed by the company.",
        "Photo opportunities were rare, the person said.",
        "Source: the Kremlin said the call lasted 50 minutes.",
        "The newsletter, sign up for which is free, said nothing about it at all today.",
        "Latest posts by officials suggested otherwise.",
        "Comments by Psaki followed.",
        "Read more about the talks in Geneva, the official said.",
        "31 December 2021 will be remembered as the day of the call, Ushakov said.",
        "Biden said on December 31, 2021 that the US would respond decisively.",
        "Facebook and Twitter were not mentioned.",
        "Advertisement revenue fell.",
        "The Russian and US presidents focused on Ukraine",
    ],
)
def test_prose_that_looks_like_junk_is_not_marked(line: str) -> None:
    assert boilerplate_line_kind(line) is None
    assert boilerplate_spans(line) == ()


@pytest.mark.parametrize(
    "line",
    [
        "Share on Facebook",
        "Share this article:",
        "Tweet",
        "Facebook | Twitter | Email",
        "Related articles",
        "You may also like",
        "Read more: Putin and Biden to talk again",
        "Sign up for our daily newsletter",
        "© 2021 The Moscow Times. All rights reserved.",
        "Published: December 31, 2021 10:04 GMT",
        "2021-12-31",
        "Save my name, email, and website in this browser for the next time I comment.",
        "5 min read",
        "Advertisement",
    ],
)
def test_common_junk_is_marked(line: str) -> None:
    assert boilerplate_line_kind(line) is not None
    assert boilerplate_spans(f"Prose first.\n{line}\n") == (Span(13, 13 + len(line)),)


def test_boilerplate_patterns_are_documented_with_names() -> None:
    assert all(name and pattern for name, pattern in BOILERPLATE_PATTERNS)


# --------------------------------------------------------------------------- metadata


@pytest.mark.parametrize(
    ("head", "date"),
    [
        ("31 Dec, 2021 04:08", "2021-12-31"),
        ("date 2021-12-31", "2021-12-31"),
        ("31.12.2021", "2021-12-31"),
        ("December 31, 2021", "2021-12-31"),
        ("Dec. 31, 2021", "2021-12-31"),
        ("Published: 7 January 2022", "2022-01-07"),
        ("2022-01-07T10:00:00Z", "2022-01-07"),
        ("31.02.2021", ""),  # not a real day
        ("Talks start on January 9, 2022, in Geneva.", ""),  # prose, not a dateline
    ],
)
def test_dates_in_the_seeds_shapes(head: str, date: str) -> None:
    text = f"{head}\n\nA headline\n\nSome prose. More prose on December 31, 2021 here.\n"
    assert guess_metadata(text)["date"] == date


def test_date_at_the_start_of_a_first_line_is_read() -> None:
    text = "December 31, 2021 — MOSCOW: The Kremlin said the call went well.\n"
    assert guess_metadata(text)["date"] == "2021-12-31"


def test_outlet_from_a_copyright_line() -> None:
    text = "A headline\n\nProse here.\n\n©2021 Bloomberg L.P.\n"
    assert guess_metadata(text) == {"title": "A headline", "outlet": "Bloomberg", "date": ""}


def test_outlet_named_in_prose_is_not_the_outlet() -> None:
    text = "A headline\n\nUshakov was cited in Bloomberg as saying so, according to Reuters.\n"
    assert guess_metadata(text)["outlet"] == ""


def test_title_is_the_first_short_line_without_a_full_stop() -> None:
    assert guess_metadata("Change Edition\n\nThe title\n\nBody.")["title"] == "The title"
    assert guess_metadata("Short sentence line.\n\nOther")["title"] == "Short sentence line"
    assert guess_metadata("")["title"] == ""
    assert guess_metadata("Source link\n")["title"] == ""


# --------------------------------------------------------------------------- decoding


def test_bom_is_dropped_and_offsets_start_after_it(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"Headline\n\nBody.")
    article = load_article(path)
    assert article.text == "Headline\n\nBody."
    assert article.title == "Headline"
    assert article.problems == ()


def test_crlf_and_lone_cr_become_lf_with_the_same_offsets(tmp_path: Path) -> None:
    lf = (SEEDS / f"{SEED_STEMS[2]}.txt").read_bytes()
    (tmp_path / "crlf.txt").write_bytes(lf.replace(b"\n", b"\r\n"))
    (tmp_path / "cr.txt").write_bytes(lf.replace(b"\n", b"\r"))
    reference = load_article(SEEDS / f"{SEED_STEMS[2]}.txt")
    for name in ("crlf.txt", "cr.txt"):
        article = load_article(tmp_path / name)
        assert article.text == reference.text
        assert article.boilerplate == reference.boilerplate
        assert article.metadata() == reference.metadata()
        assert article.sha256 == reference.sha256


def test_decomposed_accents_are_composed() -> None:
    text, problems = decode("Cafe\u0301 Zelenskiy".encode())
    assert text == "Café Zelenskiy" and len(text) == 14
    assert problems == ()


def test_invalid_utf8_is_replaced_reported_and_the_file_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    raw = (
        "Headline\n\nKyiv and Zürich said: “No.”\n".encode().replace(
            "ü".encode(), "ü".encode("latin-1")
        )
        + b"\xff\xfe tail"
    )
    path.write_bytes(raw)
    before = snapshot(tmp_path)
    article = load_article(path)
    assert snapshot(tmp_path) == before
    assert article.text == "Headline\n\nKyiv and Z\ufffdrich said: “No.”\n\ufffd\ufffd tail"
    assert len(article.problems) == 1
    assert "invalid UTF-8: 3 bytes replaced" in article.problems[0]
    assert "line 3" in article.problems[0]


def test_is_binary_looks_for_nul_in_the_first_8k() -> None:
    assert is_binary(b"abc\x00def")
    assert not is_binary(b"plain text\n")
    assert not is_binary(b"x" * 8192 + b"\x00")
    assert not is_binary(b"")


# --------------------------------------------------------------------------- loading


def test_binary_file_is_skipped_with_a_reason(seed_copy: Path) -> None:
    (seed_copy / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (seed_copy / "wide.txt").write_bytes("Headline".encode("utf-16"))
    corpus = load_corpus([seed_copy])
    assert corpus.ids == SEED_STEMS
    reasons = {s.path.name: s.reason for s in corpus.skipped}
    assert set(reasons) == {"picture.txt", "wide.txt"}
    assert "binary file" in reasons["picture.txt"] and "picture.txt" in reasons["picture.txt"]
    assert "UTF-16" in reasons["wide.txt"]
    with pytest.raises(CorpusError, match="binary file"):
        load_article(seed_copy / "picture.txt")


def test_missing_path_is_one_clear_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(CorpusError) as caught:
        load_corpus([SEEDS, missing])
    message = str(caught.value)
    assert str(missing) in message and "\n" not in message and "check the path" in message
    with pytest.raises(CorpusError, match="no such file"):
        load_article(missing / "a.txt")


def test_a_folder_is_not_an_article(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="is a folder"):
        load_article(tmp_path)


@pytest.mark.skipif(sys.platform != "linux", reason="uses /proc")
def test_unreadable_file_is_skipped_with_a_reason(tmp_path: Path) -> None:
    if os.geteuid() != 0:
        locked = tmp_path / "locked.txt"
        locked.write_text("secret")
        locked.chmod(0)
        unreadable = locked
    else:
        unreadable = Path("/proc/self/mem")  # root reads everything else; this fails with EIO
    corpus = load_corpus([SEEDS, unreadable])
    assert corpus.ids == SEED_STEMS
    (skipped,) = corpus.skipped
    assert skipped.path == unreadable
    assert skipped.reason.startswith(f"cannot read {unreadable}")


def test_a_fifo_is_refused_rather_than_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="not a regular file"):
        load_article(fifo)
    assert load_corpus([tmp_path]).ids == ()  # not even listed when walking a folder


def test_empty_file_loads_as_empty_article(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    article = load_article(tmp_path / "empty.txt")
    assert article.text == ""
    assert article.metadata() == {"title": "", "outlet": "", "date": ""}
    assert article.boilerplate == () and article.problems == ()


def test_sidecar_overrides_guesses(seed_copy: Path) -> None:
    stem = SEED_STEMS[4]
    (seed_copy / f"{stem}.meta.json").write_text(
        json.dumps({"title": "Biden warns Putin", "date": "2021-12-31", "url": "ignored"})
    )
    article = load_article(seed_copy / f"{stem}.txt")
    assert article.metadata() == {"title": "Biden warns Putin", "outlet": "", "date": "2021-12-31"}
    corpus = load_corpus([seed_copy])
    assert corpus.ids == SEED_STEMS  # the sidecar is not an article
    assert corpus.get(stem).title == "Biden warns Putin"


def test_sidecar_can_set_a_field_empty(seed_copy: Path) -> None:
    stem = SEED_STEMS[2]
    (seed_copy / f"{stem}.meta.json").write_text('{"outlet": ""}')
    article = load_article(seed_copy / f"{stem}.txt")
    assert article.outlet == ""
    assert article.title == EXPECTED_METADATA[stem]["title"]


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        ("{not json", "bad sidecar"),
        ("[1, 2]", "expected a JSON object"),
        ('{"title": 3}', "'title' must be a string"),
        ('{"date": "31.12.2021"}', "is not YYYY-MM-DD"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_bad_sidecar_names_itself(seed_copy: Path, content: str | bytes, detail: str) -> None:
    stem = SEED_STEMS[0]
    sidecar = seed_copy / f"{stem}.meta.json"
    sidecar.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(CorpusError) as caught:
        load_article(seed_copy / f"{stem}.txt")
    assert str(sidecar) in str(caught.value) and detail in str(caught.value)
    assert "\n" not in str(caught.value)
    corpus = load_corpus([seed_copy])
    assert stem not in corpus.ids
    assert [s.path.name for s in corpus.skipped] == [f"{stem}.txt"]


def test_id_clash_uses_relative_paths(tmp_path: Path) -> None:
    for relative in ("a/story.txt", "b/story.txt", "b/deep/other.md", "lone.txt", "x.txt", "x.md"):
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{relative}\n\nBody.")
    (tmp_path / ".hidden.txt").write_text("hidden")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD.txt").write_text("hidden")
    (tmp_path / "notes.rst").write_text("not an article suffix")
    corpus = load_corpus([tmp_path])
    assert corpus.ids == ("a/story", "other", "b/story", "lone", "x.md", "x.txt")
    assert corpus.get("a/story").text.startswith("a/story.txt")
    assert corpus.get("x.md").path.name == "x.md"


def test_same_file_twice_is_read_once_and_explicit_files_keep_their_suffix(tmp_path: Path) -> None:
    (tmp_path / "notes.rst").write_text("Headline\n\nBody.")
    (tmp_path / "notes.meta.json").write_text('{"title": "Notes"}')
    corpus = load_corpus(
        [
            SEEDS,
            SEEDS / f"{SEED_STEMS[1]}.txt",
            tmp_path / "notes.rst",
            tmp_path / "notes.meta.json",
        ]
    )
    assert corpus.ids == (*SEED_STEMS, "notes")
    assert corpus.get("notes").title == "Notes"
    (sidecar,) = corpus.skipped
    assert sidecar.path.name == "notes.meta.json" and "sidecar" in sidecar.reason


def test_two_folders_with_the_same_layout_still_get_unique_ids(tmp_path: Path) -> None:
    for folder in ("one/corpus", "two/corpus"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "a.txt").write_text(folder)
    corpus = load_corpus([tmp_path / "one/corpus", tmp_path / "two/corpus"])
    assert corpus.ids == ("corpus/a.txt", "corpus/a.txt~2")
    assert len(set(corpus.ids)) == 2


def test_loading_never_modifies_files(seed_copy: Path) -> None:
    (seed_copy / "crlf.txt").write_bytes(b"Title\r\n\r\nBody.\r\n")
    (seed_copy / "bad.txt").write_bytes(b"caf\xe9\n")
    (seed_copy / "bin.txt").write_bytes(b"\x00\x01")
    (seed_copy / f"{SEED_STEMS[0]}.meta.json").write_text('{"title": "T"}')
    before = snapshot(seed_copy)
    corpus = load_corpus([seed_copy])
    for article in corpus:
        load_article(article.path)
    assert snapshot(seed_copy) == before
    assert [s.path.name for s in corpus.skipped] == ["bin.txt"]


def test_the_domain_modules_do_not_import_textual() -> None:
    code = (
        "import sys, tui.corpus, tui.sentences, tui.pages, tui.dumps, tui.markdown\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_corpus_is_a_plain_value() -> None:
    empty = Corpus((), ())
    assert len(empty) == 0 and empty.ids == () and list(empty) == []


def test_default_corpus_prefers_local_seeds(tmp_path: Path) -> None:
    assert default_corpus_paths(tmp_path) == [bundled_seeds()]
    (tmp_path / "seeds").mkdir()
    assert default_corpus_paths(tmp_path) == [tmp_path / "seeds"]


def test_bundled_seeds_are_the_seeds() -> None:
    bundled = load_corpus([bundled_seeds()])
    assert bundled.ids == SEED_STEMS
    assert [a.text for a in bundled] == [a.text for a in load_corpus([SEEDS])]


# --------------------------------------------------------------------------- properties

# Any text, with the pieces that normalisation cares about made frequent.
texts = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\r", "\n", "\r\n", "e\u0301", "\ufeff", "\u2028", "\xa0", "A\u030a"]),
        st.sampled_from([line for lines in EXPECTED_BOILERPLATE.values() for line in lines]),
    )
).map("".join)


@given(texts)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert "\r" not in once


@given(texts)
def test_decode_of_encoded_text_is_normalise(text: str) -> None:
    assume(not text.startswith("\ufeff"))  # a leading U+FEFF is read as a byte order mark
    assert decode(text.encode("utf-8")) == (normalise(text), ())


@given(st.binary())
@settings(max_examples=300)
def test_decode_never_fails_and_is_stable(raw: bytes) -> None:
    text, problems = decode(raw)
    assert "\r" not in text
    assert not any("\ud800" <= c <= "\udfff" for c in text)
    again, second_problems = decode(text.encode("utf-8"))
    assert again == text or text.startswith("\ufeff")
    assert second_problems == ()
    assert len(decode(raw)[0]) == len(text)
    if problems:
        assert "\ufffd" in text


@given(texts)
def test_boilerplate_spans_are_whole_lines(text: str) -> None:
    """Whole lines, or the head of a line: a dateline glued to what follows it."""
    text = normalise(text)
    spans = boilerplate_spans(text)
    assert list(spans) == sorted(spans)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert "\n" not in text[span.start : span.end]
        line_start = text.rfind("\n", 0, span.start) + 1
        line_end = text.find("\n", span.end)
        line_end = len(text) if line_end < 0 else line_end
        assert not text[line_start : span.start].strip()
        if text[span.end : line_end].strip():
            head = text[span.start : span.end].rstrip()
            assert any(c.isdigit() for c in head) or head[-1:] in "-—–"
    meta = guess_metadata(text)
    assert set(meta) == {"title", "outlet", "date"}
    assert "\n" not in meta["title"]
