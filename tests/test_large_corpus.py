"""A large corpus opens at once: titles and tag counts are read by workers after the first
screen."""

from __future__ import annotations

from pathlib import Path

from tui.app import COUNTS_AT_START, NewsmarkApp
from tui.config import Config
from tui.corpus import load_corpus
from tui.model import Annotation, Span
from tui.store import Store
from tui.widgets.article_list import ArticleList


def _corpus(folder: Path, count: int) -> None:
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:04d}.txt").write_text(
            f"Headline number {number}\n\nThe body of article {number} says little.\n",
            encoding="utf-8",
        )


async def test_titles_and_counts_arrive_after_the_first_screen(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    count = COUNTS_AT_START + 60
    _corpus(folder, count)
    store = Store(tmp_path / "annotations", annotator="tester")
    eager = load_corpus([folder])
    for number in range(count):
        article = eager.get(f"{number:04d}")
        store.add(Annotation.new(article, Span(0, 8), "claim", annotator="tester"))
    last = f"{count - 1:04d}"
    damaged = store.shard_path(f"{count - 2:04d}", "tester")
    damaged.write_text("{ not json", encoding="utf-8")

    corpus = load_corpus([folder], defer_above=50)
    assert corpus.pending == count
    app = NewsmarkApp(corpus, store, config=Config(), annotator="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        await pilot.pause()
        assert articles.row_count == count  # every row at once, ids as titles
        def counts_of(article_id: str) -> str:
            # Compact (two columns): one digit per tag; wide: the claim's column.
            cells = articles.row_cells(article_id)
            return str(cells[1] if len(articles.columns) == 2 else cells[3]).strip()

        def title_of(article_id: str) -> str:
            return str(articles.row_cells(article_id)[0])

        # The last batch's titles reach the list a step after the corpus has read them.
        for _ in range(200):
            if (not corpus.pending and counts_of(last).startswith("1")
                    and title_of(last) == f"Headline number {count - 1}"):
                break
            await pilot.pause(0.05)
        assert corpus.pending == 0
        assert str(articles.row_cells(last)[0]) == f"Headline number {count - 1}"
        assert counts_of(last).startswith("1")
        assert f"{count - 2:04d}" in app.session.damaged
        assert str(articles.row_cells(f"{count - 2:04d}")[0]).startswith("! ")
        assert articles.border_subtitle is None  # no "reading titles" left


async def test_a_corpus_shown_from_its_last_listing_takes_new_files(tmp_path: Path) -> None:
    """Opened from the last listing, the list shows at once what it showed last time, then
    the files are listed again: a file added since appears, one removed goes."""
    from tui.corpus import CorpusCache

    folder = tmp_path / "corpus"
    _corpus(folder, 30)
    cache = tmp_path / "cache"
    load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache))  # the last launch
    (folder / "0029.txt").unlink()
    (folder / "0030.txt").write_text("A report added since\n\nNew.\n", encoding="utf-8")
    corpus = load_corpus([folder], cache=CorpusCache.for_corpus([folder], cache),
                         defer_above=50, last_listing=True)
    assert corpus.unverified and "0029" in corpus.ids
    store = Store(tmp_path / "annotations", annotator="tester")
    app = NewsmarkApp(corpus, store, config=Config(), annotator="tester")
    async with app.run_test(size=(120, 40)) as pilot:
        articles = app.query_one(ArticleList)
        for _ in range(200):
            if articles.row_count == 30 and "0030" in articles.row_keys:
                break
            await pilot.pause(0.05)
        assert "0030" in articles.row_keys and "0029" not in articles.row_keys
        assert str(articles.row_cells("0030")[0]) == "A report added since"
        assert not corpus.unverified
