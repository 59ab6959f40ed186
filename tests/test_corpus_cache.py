"""The lazy corpus and its metadata cache: what a 10 000-article corpus relies on to open fast."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tui.corpus import ArticleInfo, Corpus, CorpusCache, load_article, load_corpus


def _corpus_folder(tmp_path: Path, seeds: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(seeds, folder)
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    return folder


def test_lazy_corpus_matches_the_eager_one(tmp_path: Path, seeds: Path) -> None:
    folder = _corpus_folder(tmp_path, seeds)
    corpus = load_corpus([folder])
    paths = sorted(p for p in folder.glob("*.txt") if p.name != "binary.txt")
    assert corpus.ids == tuple(p.stem for p in paths)
    for path, info in zip(paths, corpus.infos):
        article = load_article(path)
        assert (info.title, info.outlet, info.date) == (article.title, article.outlet,
                                                        article.date)
        loaded = corpus.get(info.id)
        assert loaded is not None and loaded.text == article.text
        assert loaded.boilerplate == article.boilerplate and loaded.title == article.title
    assert [s.path.name for s in corpus.skipped] == ["binary.txt"]
    assert [a.id for a in corpus.load_all()] == list(corpus.ids)
    assert len(corpus) == 5 and corpus.get("nope") is None


def test_the_cache_is_used_and_invalidated(tmp_path: Path, seeds: Path) -> None:
    folder = _corpus_folder(tmp_path, seeds)
    cache_dir = tmp_path / "cache"
    first = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir))
    files = list(cache_dir.glob("*.json"))
    assert sorted(f.name.endswith(".listing.json") for f in files) == [False, True]
    files = [CorpusCache.for_corpus([folder], cache_dir).path]  # the files' metadata
    data = json.loads(files[0].read_text())
    assert len(data["files"]) == 6  # five articles and the binary file's reason

    # A second launch takes the metadata from the cache: prove it by planting a title there.
    target = first.ids[2]
    key = next(k for k in data["files"] if Path(k).stem == target)
    data["files"][key][3] = "Planted title"
    files[0].write_text(json.dumps(data))
    second = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir))
    assert second.info(target).title == "Planted title"
    assert [s.path.name for s in second.skipped] == ["binary.txt"]

    # Editing the file (new size and mtime) makes it read again.
    path = folder / f"{target}.txt"
    path.write_text("A brand new headline\n\nShort text.\n", encoding="utf-8")
    third = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir))
    assert third.info(target).title == "A brand new headline"
    assert third.get(target).text.startswith("A brand new headline")

    # So does adding a sidecar beside it.
    (folder / f"{target}.meta.json").write_text('{"outlet": "Sidecar News"}')
    fourth = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir))
    assert fourth.info(target).outlet == "Sidecar News"
    assert fourth.get(target).outlet == "Sidecar News"


def test_the_boilerplate_is_remembered_and_a_bad_entry_found_again(tmp_path: Path,
                                                                    seeds: Path) -> None:
    """A cached launch takes an unchanged file's boilerplate from the cache (it need not run
    the boilerplate patterns), and spans that do not fit the text are found again."""
    folder = _corpus_folder(tmp_path, seeds)
    cache_dir = tmp_path / "cache"
    first = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir))
    target = next(i for i in first.ids if load_article(folder / f"{i}.txt").boilerplate)
    fresh = load_article(folder / f"{target}.txt").boilerplate
    file = CorpusCache.for_corpus([folder], cache_dir).path
    data = json.loads(file.read_text())
    key = next(k for k in data["files"] if Path(k).stem == target)
    assert data["files"][key][7]["boilerplate"] == [[s.start, s.end] for s in fresh]

    # Planted spans are used: the cache is what the launch read.
    data["files"][key][7]["boilerplate"] = [[0, 3]]
    file.write_text(json.dumps(data))
    second = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir))
    article = second.get(target)
    assert article is not None and [(s.start, s.end) for s in article.boilerplate] == [(0, 3)]

    # Spans past the text's end, or not spans at all, are not trusted: found again.
    for bad in ([[0, 10**9]], [[5, 2]], "junk", [[0, "x"]]):
        data["files"][key][7]["boilerplate"] = bad
        file.write_text(json.dumps(data))
        again = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir))
        article = again.get(target)
        assert article is not None and article.boilerplate == fresh, bad


def test_a_damaged_or_unwritable_cache_is_only_ignored(tmp_path: Path, seeds: Path) -> None:
    folder = _corpus_folder(tmp_path, seeds)
    cache = CorpusCache.for_corpus([folder], tmp_path / "cache")
    cache.path.parent.mkdir(parents=True)
    cache.path.write_text("{ not json")
    corpus = load_corpus([folder], cache=cache)
    assert len(corpus) == 5
    assert json.loads(cache.path.read_text())["files"]  # rewritten whole
    blocked = tmp_path / "file-in-the-way"
    blocked.write_text("")
    corpus = load_corpus([folder], cache=CorpusCache(blocked / "corpus.json"))
    assert len(corpus) == 5


def test_deferred_metadata_is_read_by_complete(tmp_path: Path, seeds: Path) -> None:
    folder = _corpus_folder(tmp_path, seeds)
    cache = CorpusCache.for_corpus([folder], tmp_path / "cache")
    corpus = load_corpus([folder], cache=cache, defer_above=2)
    # Nothing was read: placeholders (the list shows ids), the binary file not yet known.
    assert corpus.pending == 6 and len(corpus) == 6
    assert all(info.pending and info.title == "" for info in corpus.infos)
    assert not cache.path.exists()
    updated, dropped = corpus.complete(limit=4)
    assert len(updated) + len(dropped) == 4 and corpus.pending == 2
    while corpus.pending:
        corpus.complete(limit=4)
    assert [s.path.name for s in corpus.skipped] == ["binary.txt"] and len(corpus) == 5
    eager = load_corpus([folder])
    assert corpus.infos == eager.infos
    assert cache.path.exists()  # saved once complete: the next launch reads no file
    again = load_corpus([folder], cache=CorpusCache(cache.path), defer_above=2)
    assert again.pending == 0 and again.infos == eager.infos


def test_an_article_deleted_after_listing_is_none_with_a_reason(tmp_path: Path,
                                                                 seeds: Path) -> None:
    folder = _corpus_folder(tmp_path, seeds)
    corpus = load_corpus([folder])
    corpus._loaded.clear()  # as if it had been evicted from memory
    gone = corpus.ids[0]
    os.unlink(folder / f"{gone}.txt")
    assert corpus.get(gone) is None
    assert "no such file" in (corpus.problem(gone) or "")


def test_an_eager_corpus_still_works(seeds: Path) -> None:
    eager = load_corpus([seeds])
    built = Corpus(eager.load_all(), ())
    assert built.ids == eager.ids
    assert built.get(eager.ids[0]) is eager.load_all()[0]
    assert isinstance(built.infos[0], ArticleInfo) and built.pending == 0


@pytest.mark.parametrize("count", [600])
def test_many_files_list_without_reading_them(tmp_path: Path, count: int) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:04d}.txt").write_text(f"Title {number}\n\nBody.\n")
    corpus = load_corpus([folder], defer_above=100)
    assert corpus.pending == count and corpus.ids[0] == "0000"
    assert corpus.get("0042").title == "Title 42"  # loading one reads its metadata


def test_the_last_listing_is_shown_then_verified(tmp_path: Path, seeds: Path) -> None:
    """The app's corpus is the last listing, as it was (no file looked at); verify() lists the
    files again and takes what changed: an edited title, a new file, a file gone."""
    folder = _corpus_folder(tmp_path, seeds)
    cache_dir = tmp_path / "cache"

    def cache() -> CorpusCache:
        return CorpusCache.for_corpus([folder], cache_dir)

    # No listing yet: the files are listed as usual (and the listing is kept).
    first = load_corpus([folder], cache=cache(), last_listing=True)
    assert not first.unverified and cache().listing_path.is_file()
    assert first.verify() is False

    ids = list(first.ids)
    edited, gone = ids[1], ids[3]
    (folder / f"{edited}.txt").write_text("An edited headline\n\nNew text.\n", encoding="utf-8")
    (folder / f"{gone}.txt").unlink()
    (folder / "zzz.txt").write_text("A new report\n\nIt was added.\n", encoding="utf-8")

    shown = load_corpus([folder], cache=cache(), last_listing=True)
    assert shown.unverified
    assert list(shown.ids) == ids  # as listed last time: nothing looked at yet
    assert shown.info(edited) == first.info(edited)
    opened = shown.get(edited)  # an article opened before the check is read as it is now
    assert opened is not None and opened.text.startswith("An edited headline")

    assert shown.verify() is True and not shown.unverified
    assert gone not in shown.ids and "zzz" in shown.ids and shown.info("zzz").title
    assert shown.info(edited).title == "An edited headline"
    assert [s.path.name for s in shown.skipped] == ["binary.txt"]
    assert shown.verify() is False  # checked once

    # The next launch shows the new listing; a damaged listing is only ignored.
    again = load_corpus([folder], cache=cache(), last_listing=True)
    assert again.unverified and list(again.ids) == list(shown.ids)
    cache().listing_path.write_text('{"version": 2, "articles": [[1, 2]]}', encoding="utf-8")
    plain = load_corpus([folder], cache=cache(), last_listing=True)
    assert not plain.unverified and list(plain.ids) == list(shown.ids)
    # Other --field settings are another listing.
    other = load_corpus([folder], cache=cache(), last_listing=True, fields={"text": "body"})
    assert not other.unverified


def test_the_last_listing_keeps_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    odd = os.fsdecode(b"caf\xe9 report.txt")  # a Latin-1 name: a lone surrogate in Python
    (folder / odd).write_text("A report\n\nIt says something.\n", encoding="utf-8")
    (folder / "plain.txt").write_text("Another\n\nIt says more.\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    first = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir))
    shown = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache_dir),
                        last_listing=True)
    assert shown.unverified and list(shown.ids) == list(first.ids)
    odd_id = next(i for i in shown.ids if i != "plain")
    assert shown.info(odd_id).path == folder / odd
    article = shown.get(odd_id)
    assert article is not None and article.text.startswith("A report")
    assert shown.verify() is False
