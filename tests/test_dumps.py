"""Scraper dumps (.jsonl, .json lists): fields guessed by their common names or given, stable and
unique ids, a malformed line told once, and the dump never touched (real files on disk)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tui.cli import main
from tui.corpus import CorpusCache, load_corpus
from tui.dumps import FieldError, parse_field_overrides, url_id

ODD = [
    # Odd field names, as real scrapers write them.
    {"ID": 7, "Headline": "Geneva talks open", "maintext": "GENEVA, Jan 10 (Reuters) - Talks "
     "opened in Geneva on Monday.\n\nThe US delegation said little.",
     "date_publish": "2022-01-10 09:00:00", "source_domain": "reuters.com",
     "link": "https://www.reuters.com/world/geneva-talks-open-2022-01-10/"},
    {"article": "Russia and NATO met in Brussels. Nothing was agreed.",
     "meta": {"title": "NATO meets Russia"}, "published": 1642032000,
     "publisher": {"@type": "Organization", "name": "AP"},
     "url": "https://apnews.com/article/nato-russia-brussels-talks"},
    {"content": "Vienna hosted the OSCE talks on Thursday.", "sitename": "OSCE News"},
]


def write_jsonl(path: Path, records: list, broken: dict[int, str] | None = None) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for number, text in sorted((broken or {}).items()):
        lines.insert(number - 1, text)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_fields_are_guessed_by_their_common_names(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "scrape.jsonl", ODD)
    corpus = load_corpus([dump])
    assert corpus.ids == ("7", "nato-russia-brussels-talks", "scrape-3")
    first, second, third = corpus.infos
    assert (first.title, first.outlet, first.date, first.kind) == (
        "Geneva talks open", "reuters.com", "2022-01-10", "jsonl")
    assert first.url == "https://www.reuters.com/world/geneva-talks-open-2022-01-10/"
    # No title field at the top: none is guessed from "meta.title" unless asked for.
    assert second.title == "Russia and NATO met in Brussels"
    assert (second.outlet, second.date) == ("AP", "2022-01-13")  # epoch seconds, UTC
    assert (third.title, third.outlet) == ("Vienna hosted the OSCE talks on Thursday",
                                           "OSCE News")
    article = corpus.get("7")
    assert article is not None and article.text.startswith("GENEVA, Jan 10 (Reuters) - Talks")
    # The wire dateline glued to the first sentence is boilerplate, the sentence is prose.
    assert [article.text[s.start : s.end] for s in article.boilerplate] == [
        "GENEVA, Jan 10 (Reuters) - "]
    assert article.title == "Geneva talks open"


def test_field_options_override_the_guesses(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "scrape.jsonl", ODD)
    corpus = load_corpus([dump], fields={"title": "meta.title", "outlet": "link"})
    assert corpus.info("nato-russia-brussels-talks").title == "NATO meets Russia"
    assert corpus.info("7").outlet.startswith("https://www.reuters.com")
    # The text of a record without the given field: that line is malformed, the rest opens.
    only = load_corpus([dump], fields={"text": "maintext"})
    assert only.ids == ("7",)
    assert "line 2" in only.skipped[0].reason and "--field text=" in only.skipped[0].reason


@pytest.mark.parametrize(("option", "expected"), [
    (["text=body"], {"text": "body"}), (["TITLE = headline", "date=meta.published"],
                                        {"title": "headline", "date": "meta.published"}),
])
def test_field_options_parse(option: list[str], expected: dict[str, str]) -> None:
    assert parse_field_overrides(option) == expected


@pytest.mark.parametrize("option", ["text", "body=text", "text="])
def test_a_bad_field_option_says_what_to_write(option: str) -> None:
    with pytest.raises(FieldError, match="--field"):
        parse_field_overrides([option])


def test_a_malformed_line_is_one_warning_with_its_number(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "scrape.jsonl", ODD,
                       broken={2: '{"text": "cut off', 4: '["a list"]'})
    before = dump.read_bytes(), dump.stat().st_mtime_ns
    corpus = load_corpus([dump])
    assert len(corpus) == 3
    assert len(corpus.skipped) == 1
    warning = corpus.skipped[0]
    assert warning.partial and "\n" not in warning.reason
    assert "2 malformed lines (2, 4;" in warning.reason
    assert "line 2: invalid JSON" in warning.reason and "its other 3 articles open" in \
        warning.reason
    # Line numbers are the file's: the third record is on line 5, and opens from there.
    assert corpus.info("scrape-5") is not None
    assert corpus.get("scrape-5").text == "Vienna hosted the OSCE talks on Thursday."
    assert (dump.read_bytes(), dump.stat().st_mtime_ns) == before


def test_ids_are_unique_with_a_clear_suffix(tmp_path: Path) -> None:
    records = [{"id": "a1", "text": "One."}, {"id": "a1", "text": "Two."},
               {"url": "https://x.example/story/", "text": "Three."},
               {"url": "https://y.example/story", "text": "Four."}, {"id": "a1~2", "text": "5."}]
    (tmp_path / "a1.txt").write_text("A file called a1.\n", "utf-8")
    corpus = load_corpus([tmp_path / "a1.txt", write_jsonl(tmp_path / "d.jsonl", records)])
    assert corpus.ids == ("a1", "a1~2", "a1~3", "story", "story~2", "a1~2~2")
    assert [corpus.get(i).text for i in corpus.ids[1:]] == ["One.", "Two.", "Three.", "Four.",
                                                            "5."]


def test_ids_from_urls_are_stable_slugs() -> None:
    assert url_id("https://www.bbc.com/news/world-europe-59834016") == "world-europe-59834016"
    assert url_id("https://ex.com/2021/12/31/putin-biden-call.html") == "putin-biden-call"
    assert url_id("https://ex.com/") == "ex-com"
    assert url_id("https://ex.com/a/12345") == "a-12345"
    assert url_id("not a url") == "not-a-url"


def test_a_json_list_dump_opens_like_a_jsonl(tmp_path: Path) -> None:
    dump = tmp_path / "scrape.json"
    dump.write_text(json.dumps(ODD + [42]), "utf-8")
    corpus = load_corpus([dump])
    assert corpus.ids == ("7", "nato-russia-brussels-talks", "scrape-3")
    assert "item 4" in corpus.skipped[0].reason
    assert corpus.get("scrape-3").outlet == "OSCE News"
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"status": "ok", "articles": ODD}), "utf-8")
    assert len(load_corpus([wrapped])) == 3


def test_a_folder_takes_dumps_but_not_other_json(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "scrape.jsonl", ODD[:1])
    (tmp_path / "settings.json").write_text('{"theme": "dark"}', "utf-8")
    (tmp_path / "list.json").write_text(json.dumps(ODD[2:]), "utf-8")
    corpus = load_corpus([tmp_path])
    assert corpus.ids == ("list-1", "7")
    assert corpus.skipped == ()


def test_a_dump_that_is_not_one_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"theme": "dark"}', "utf-8")
    (tmp_path / "empty.jsonl").write_text("\n\n", "utf-8")
    (tmp_path / "junk.jsonl").write_text("not json\n", "utf-8")
    corpus = load_corpus([tmp_path / "bad.json", tmp_path / "empty.jsonl",
                          tmp_path / "junk.jsonl"])
    assert len(corpus) == 0
    reasons = [s.reason for s in corpus.skipped]
    assert "expected a JSON list" in reasons[0]
    assert "empty" in reasons[1]
    assert "line 1: invalid JSON" in reasons[2]


def test_the_dump_is_listed_from_the_cache_and_reread_when_changed(tmp_path: Path) -> None:
    dump = write_jsonl(tmp_path / "scrape.jsonl", ODD)
    cache = CorpusCache(tmp_path / "cache.json")
    first = load_corpus([dump], cache=cache)
    cached = load_corpus([dump], cache=CorpusCache(tmp_path / "cache.json"))
    assert cached.infos == first.infos
    assert [i.line for i in cached.infos] == [1, 2, 3]
    # The cache is keyed by the --field options too.
    other = load_corpus([dump], cache=CorpusCache(tmp_path / "cache.json"),
                        fields={"title": "meta.title"})
    assert other.info("nato-russia-brussels-talks").title == "NATO meets Russia"
    # A changed dump: listed again, and an article listed before still opens by its id.
    stale = load_corpus([dump], cache=CorpusCache(tmp_path / "cache.json"))
    write_jsonl(dump, [{"id": "new", "text": "Inserted first."}, *ODD])
    st = dump.stat()
    os.utime(dump, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert stale.get("7").text.startswith("GENEVA")
    assert load_corpus([dump], cache=CorpusCache(tmp_path / "cache.json")).ids[0] == "new"


def test_cli_list_and_show_read_dumps_with_field_options(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = write_jsonl(tmp_path / "scrape.jsonl", ODD, broken={2: "{oops"})
    store = str(tmp_path / "store")
    assert main(["list", "--corpus", str(dump), "--store", store, "--format", "json",
                 "--field", "title=meta.title"]) == 0
    out, err = capsys.readouterr()
    listed = json.loads(out)
    assert [a["id"] for a in listed] == ["7", "nato-russia-brussels-talks", "scrape-4"]
    assert listed[1]["title"] == "NATO meets Russia"
    assert set(listed[0]) == {"id", "title", "outlet", "date", "url", "path", "kind", "chars",
                              "counts"}
    assert listed[0]["kind"] == "jsonl" and listed[0]["chars"] == len(
        ODD[0]["maintext"])
    assert err.count("\n") == 1 and "line 2" in err and err.startswith("warning: ")
    assert main(["show", "7", "--corpus", str(dump), "--store", store]) == 0
    out, _ = capsys.readouterr()
    assert "⟦GENEVA, Jan 10 (Reuters) - ⟧Talks opened" in out
    assert main(["list", "--corpus", str(dump), "--store", store, "--field", "txt=body"]) == 2
    assert "'txt' is not a part of an article" in capsys.readouterr().err
