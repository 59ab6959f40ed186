"""The app on corpora as analysts have them (real keys through Pilot): a Markdown file, a saved
page and a dump open; the sentence cursor never lands on boilerplate or starts or ends on
markup; markup and boilerplate are drawn in the looks' dim styles; a tag is exact."""

from __future__ import annotations

import json
from pathlib import Path

from rich.style import Style

from tui.app import NewsmarkApp
from tui.config import Config
from tui.corpus import load_corpus
from tui.store import Store
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader

MARKDOWN = """# Talks set for *Geneva*

- Bilateral talks will start in **Geneva** on 9 January.
- A council meeting follows in [Brussels](https://example.org/brussels) two days later.

Related posts

Port strike ends after two weeks

Ferry service cut for the winter
"""

DUMP = [{"id": "wire-1", "title": "Canal reopens", "source": "Wire",
         "text": "SUEZ, Egypt, March 29 (Reuters) - The ship was freed on Monday.\n\n"
                 "Advertisement\n\nTraffic resumed, the authority said."}]


def corpus_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "notes.md").write_text(MARKDOWN, "utf-8")
    (folder / "scrape.jsonl").write_text("\n".join(json.dumps(r) for r in DUMP) + "\n{bad\n",
                                         "utf-8")
    return folder


def make_app(folder: Path, store: Path) -> NewsmarkApp:
    return NewsmarkApp(load_corpus([folder]), Store(store, annotator="tester"),
                       config=Config(), annotator="tester")


async def open_article(pilot, app: NewsmarkApp, article_id: str) -> Reader:
    app.query_one(ArticleList).highlight(article_id)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    reader = app.query_one(Reader)
    assert reader.article is not None and reader.article.id == article_id
    return reader


async def visit_every_sentence(pilot, reader: Reader) -> list[str]:
    text = reader.article.text
    seen = [text[reader.selection.start : reader.selection.end]]
    for _ in range(len(reader.sentences) + 2):
        await pilot.press("j")
        picked = text[reader.selection.start : reader.selection.end]
        if picked != seen[-1]:
            seen.append(picked)
    return seen


async def test_the_cursor_skips_markup_and_boilerplate_in_markdown(tmp_path: Path) -> None:
    app = make_app(corpus_folder(tmp_path), tmp_path / "store")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_article(pilot, app, "notes")
        visited = await visit_every_sentence(pilot, reader)
        # The heading's closing "*" is at its edge, so it is not in the sentence.
        assert visited == [
            "Talks set for *Geneva",
            "Bilateral talks will start in **Geneva** on 9 January.",
            "A council meeting follows in [Brussels](https://example.org/brussels) two days "
            "later.",
        ]
        # Back to the first bullet and tag it: the quote is the file's own text, exactly,
        # without its bullet.
        await pilot.press("k")
        await pilot.press("1")
        await pilot.pause()
        stored = Store(tmp_path / "store", annotator="x").annotations("notes")
        assert [a.text for a in stored] == [
            "Bilateral talks will start in **Geneva** on 9 January."]
        assert reader.article.text[stored[0].start : stored[0].end] == stored[0].text


async def test_markup_and_boilerplate_are_drawn_dim(tmp_path: Path) -> None:
    app = make_app(corpus_folder(tmp_path), tmp_path / "store")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_article(pilot, app, "notes")
        await pilot.press("j")  # the selection off the first line
        await pilot.pause()
        first = reader.line_segments(0)
        cells = [(char, segment.style or Style()) for segment in first[1:]
                 for char in segment.text]
        hash_mark = next(style for char, style in cells if char == "#")
        word = next(style for char, style in cells if char == "T")
        assert hash_mark.dim and not word.dim
        teaser = reader.article.text.index("Port strike")
        line = reader._index.line_of(teaser)  # noqa: SLF001 - which visual line holds it
        styles = [segment.style for segment in reader.line_segments(line)
                  if "Port strike" in segment.text]
        assert styles and styles[0].dim and styles[0].italic


async def test_a_dump_opens_with_its_warning_and_its_dateline_dimmed(tmp_path: Path) -> None:
    app = make_app(corpus_folder(tmp_path), tmp_path / "store")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Lines left out" in app.status_line.message
        assert "malformed line (2;" in app.status_line.message
        reader = await open_article(pilot, app, "wire-1")
        visited = await visit_every_sentence(pilot, reader)
        assert visited == ["The ship was freed on Monday.",
                           "Traffic resumed, the authority said."]
