"""What a new user hit, mended (issue 13, item 6), each driven like use: real keys, the real
seeds, a real store on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from typed import burst, screen_text

from tui.app import NewsmarkApp
from tui.config import DEFAULT_TAGS, Config
from tui.corpus import load_corpus
from tui.model import TagDef
from tui.screens.compare import CompareTable
from tui.store import Store
from tui.styles import Looks, legend
from tui.widgets.legend import Legend
from tui.widgets.reader import Reader
from tui.widgets.status_line import fit

A002 = "002_a34abba263e9470d"
A004 = "004_320cd11bf9cbfd71"
FIVE = (*DEFAULT_TAGS, TagDef("rumour", "", "5", "#af87ff", "", "R"))


def make_app(seeds: Path, store_dir: Path, config: Config | None = None) -> NewsmarkApp:
    return NewsmarkApp(load_corpus([seeds]), Store(store_dir, annotator="tester"),
                       config=config or Config(), annotator="tester")


async def open_article(pilot, app: NewsmarkApp, article_id: str) -> Reader:
    app.articles.highlight(article_id)
    await pilot.pause()
    await burst(pilot, "enter")
    assert app.reader.article.id == article_id and app.reader.has_focus
    return app.reader


def shown_lines(reader: Reader) -> list[str]:
    """The reader's text lines now on screen (the gutter left out)."""
    top = int(reader.scroll_offset.y)
    height = reader.scrollable_content_region.height
    return ["".join(s.text for s in reader.line_segments(y))[3:].rstrip()
            for y in range(top, min(top + height, len(reader._index)))]


# (a) ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("keys", [("G",), ("end",), ("space",) * 12, ("pagedown",) * 12,
                                  ("j",) * 60])
@pytest.mark.parametrize("article_id, last_line", [
    (A002, "More on this topic"), (A004, "Your email address will not be published."),
])
async def test_the_last_lines_of_an_article_can_be_reached_by_keys(
    seeds: Path, store_dir: Path, article_id: str, last_line: str, keys: tuple[str, ...]
) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_article(pilot, app, article_id)
        await burst(pilot, *keys)
        assert last_line in shown_lines(reader)
        # The selection is still the last sentence, in view.
        assert reader.selection == reader.sentences[-1]
        first = reader._index.line_of(reader.selection.start)
        assert int(reader.scroll_offset.y) <= first


# (b) ----------------------------------------------------------------------------------------

async def test_word_trims_keep_their_marks_and_stay_in_the_sentence(seeds: Path,
                                                                    store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_article(pilot, app, "000_459b4affb575bcd9")
        text = reader.article.text
        target = next(s for s in reader.sentences if "“serious”" in text[s.start : s.end])
        while reader.selection != target:
            await burst(pilot, "j")
        end = target.end
        # { then }: the end is back where it was, closing quote and full stop included.
        await burst(pilot, "left_curly_bracket", "right_curly_bracket")
        assert reader.selection == target
        # } at the sentence's end goes no further (J grows by sentences).
        await burst(pilot, "right_curly_bracket", "right_curly_bracket")
        assert reader.selection.end == end
        assert "grow it with J" in app.status_line.message
        # Trimmed to the quote: “serious” keeps both its marks; a word keeps its comma.
        quote = text.index("“serious”", target.start)
        while reader.selection.start < quote:
            await burst(pilot, "right_square_bracket")
        assert text[reader.selection.start : reader.selection.start + 9] == "“serious”"
        while reader.selection.end > quote + 9:
            await burst(pilot, "left_curly_bracket")
        assert reader.article.text[reader.selection.start : reader.selection.end] == "“serious”"
        # [ at the sentence's start goes no further back.
        await burst(pilot, "escape", *["left_square_bracket"] * 3)
        assert reader.selection.start == target.start


# (c) ----------------------------------------------------------------------------------------

async def test_esc_in_the_list_clears_the_filter(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await burst(pilot, "slash", *"lux", "enter")
        assert app.articles.has_focus and len(app.articles.visible_articles()) == 1
        await burst(pilot, "escape")
        assert app.articles.filter_text == "" and len(app.articles.visible_articles()) == 5
        assert not app.main.query_one("#filter").display


# (d) ----------------------------------------------------------------------------------------

async def test_j_and_k_move_in_compare_and_scroll_the_help(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await burst(pilot, "tab", "1", "j", "2", "j", "3")
        await burst(pilot, "m")
        table = app.screen.query_one(CompareTable)
        for _ in range(50):
            if table.row_count:
                break
            await pilot.pause(0.1)
        row = table.cursor_coordinate.row
        await burst(pilot, "j")
        assert table.cursor_coordinate.row == row + 1
        await burst(pilot, "k")
        assert table.cursor_coordinate.row == row
        await burst(pilot, "escape", "question_mark")
        scroll = app.screen.query_one("#help-scroll")
        await burst(pilot, "j", "j", "j")
        assert scroll.scroll_offset.y == 3
        await burst(pilot, "k")
        assert scroll.scroll_offset.y == 2


@pytest.mark.parametrize("key, scroll_id", [("question_mark", "#help-scroll"),
                                             ("g", "#stats-charts")])
async def test_the_page_keys_page_the_help_and_the_statistics(
    seeds: Path, store_dir: Path, key: str, scroll_id: str
) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 8)) as pilot:  # short: both have a third page
        await burst(pilot, "tab", "1", "j", "2")
        await burst(pilot, key)
        scroll = app.screen.query_one(scroll_id)
        page = scroll.scrollable_content_region.height
        for _ in range(50):  # the statistics are counted off the UI thread
            if scroll.max_scroll_y > page:
                break
            await pilot.pause(0.1)
        assert scroll.max_scroll_y > page  # there is a second page to go to
        await burst(pilot, "space", "pagedown", "pageup")
        # Two pages down (the second may stop at the end), one up: all three counted.
        assert scroll.scroll_offset.y == min(2 * page, scroll.max_scroll_y) - page
        await burst(pilot, "pageup", "pageup")
        assert scroll.scroll_offset.y == 0
        assert app.is_running


async def test_deleting_in_the_panel_moves_the_highlight_to_the_next_row(
    seeds: Path, store_dir: Path
) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(200, 50)) as pilot:
        await burst(pilot, "tab", "1", "j", "2", "j", "3")
        first, second, third = sorted(app.session.annotations, key=lambda a: a.start)
        await burst(pilot, "a", "home", "j", "x")
        assert app.panel.highlighted == third.id  # the row that took the deleted one's place
        await burst(pilot, "x")  # the last row: the one before it takes the highlight
        assert [a.id for a in app.session.annotations] == [first.id]
        assert app.panel.highlighted == first.id
        await burst(pilot, "tab", "j", "4", "a")  # another change, then the panel again
        assert app.panel.highlighted in {a.id for a in app.session.annotations}


async def test_undo_from_another_article_goes_back_and_says_what_it_undid(
    seeds: Path, store_dir: Path
) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "tab", "1", "x")  # tag, untag in the first article
        first = app.session.article.id
        await burst(pilot, "tab", "j", "j")  # the list: the third article
        assert app.session.article.id != first
        await burst(pilot, "u")
        assert app.session.article.id == first
        assert [a.tag for a in app.session.annotations] == ["claim"]
        assert "Undid removing claim" in app.status_line.message
        await burst(pilot, "tab", "j", "ctrl+r")
        assert app.session.annotations == [] and "Redid removing claim" in app.status_line.message


async def test_the_palette_over_another_screen_lists_no_main_screen_action(
    seeds: Path, store_dir: Path
) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "tab")
        on_main = [c.title for c in app.get_system_commands(app.screen)]
        assert any("Grow" in title for title in on_main)
        await burst(pilot, "question_mark")
        over_help = [c.title for c in app.get_system_commands(app.screen)]
        assert over_help and not any("Grow" in title or "Tag claim" in title
                                     for title in over_help)


# (e) ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("tags", [DEFAULT_TAGS, FIVE], ids=["four", "five"])
@pytest.mark.parametrize("width", [14, 24, 48, 80])
def test_a_legend_never_cuts_a_count_or_a_tag(tags: tuple[TagDef, ...], width: int) -> None:
    counts = {tag.name: 10 + index for index, tag in enumerate(tags)}
    shown = legend(Looks(tags), width, counts)
    plain = shown.plain
    assert shown.cell_len <= width or plain.count(" ") == len(tags) * 2 - 1
    for tag in tags:
        assert f"{tag.marker}" in plain and str(counts[tag.name]) in plain


async def test_the_reader_legend_shows_five_tags_at_80x24(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir, Config(tags=FIVE))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.main.query_one(Legend)
        shown = widget.render()
        assert shown.cell_len <= widget.content_region.width
        assert "R rumour" in shown.plain or shown.plain.split() == list("CTDSR")
        legend_row = screen_text(app).splitlines()[2]
        assert "R" in legend_row.split("│")[-2]


# (i) ----------------------------------------------------------------------------------------

def test_a_long_status_keeps_its_verdict() -> None:
    message = ("Tagged threat: “If Russia chose to proceed with a further invasion of Ukraine "
               "it would face serious consequences” — saved.")
    for width in (40, 60, 78):
        shown = fit(message, width)
        assert len(shown) <= width and shown.endswith("— saved.")
        assert shown.startswith("Tagged threat: “If") and "…”" in shown
    # A long message around the quote: the quote keeps its first words, the end gives way.
    long = ("Rejected claim (rules) for good on “Biden made clear that the US and its allies "
            "would respond decisively” — saved. u undoes. And more words after that, too.")
    shown = fit(long, 78)
    assert len(shown) <= 78 and "“Biden made clea" in shown and shown.endswith("…")


async def test_the_status_of_one_article_is_not_left_on_the_next(seeds: Path,
                                                                  store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await burst(pilot, "tab", "1")
        assert "— saved." in app.status_line.message
        await burst(pilot, "tab", "down")
        assert app.status_line.message == ""
        # At 80 columns the verdict of a long one shows whole.
        await burst(pilot, "tab", *["j"] * 8, "2")
        assert screen_text(app).splitlines()[-2].rstrip().endswith("— saved.")


# (j) ----------------------------------------------------------------------------------------

async def test_a_decoding_problem_is_said_when_the_article_opens(tmp_path: Path,
                                                                 store_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(b"The caf\xff opened. A second sentence.\n")
    (folder / "good.txt").write_bytes(b"All well here.\n")
    app = NewsmarkApp(load_corpus([folder]), Store(store_dir, annotator="t"), annotator="t")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        status = screen_text(app).splitlines()[-2]
        assert "⚠" in status and "invalid UTF-8" in status
        await burst(pilot, "down")
        assert app.status_line.message == ""


# (l) ----------------------------------------------------------------------------------------

async def test_the_notice_of_skipped_files_does_not_stay_over_the_text(tmp_path: Path,
                                                                       store_dir: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "article.txt").write_text("A sentence here.\n", encoding="utf-8")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 40)
    app = NewsmarkApp(load_corpus([folder]), Store(store_dir, annotator="t"), annotator="t")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert "Skipped 1 file" in screen_text(app)
        # Said on the status line too, where it stays until the next message.
        assert "image.txt" in app.status_line.message
        await pilot.pause(5)
        assert "Skipped 1 file" not in "\n".join(screen_text(app).splitlines()[:-2])


# the styles ---------------------------------------------------------------------------------

@pytest.mark.parametrize("mono", [False, True])
def test_a_search_match_looks_like_no_tag(mono: bool) -> None:
    looks = Looks(FIVE, mono=mono)
    match = looks.match
    for tag in FIVE:
        style = looks.tag(tag.name)
        assert match.bgcolor != style.bgcolor and match.color != style.color
    assert not (match.bold or match.italic or match.underline)  # the tags' text styles


async def test_a_selected_tag_keeps_its_style_without_colour(seeds: Path, store_dir: Path,
                                                             monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_article(pilot, app, A002)
        await burst(pilot, "j", "1")  # claim: bold without colour; the selection is on it
        y = reader._index.line_of(reader.selection.start)
        styles = [s.style for s in reader.line_segments(y)[1:] if s.text.strip() and s.style]
        assert any(s.bold and s.reverse for s in styles)  # tagged (bold) and selected


async def test_a_new_theme_repaints_every_line(seeds: Path, store_dir: Path) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_article(pilot, app, A002)
        height = len(reader._index)
        before = [reader.render_line(y) for y in range(0, min(height, 20))]
        app.theme = "textual-light"
        await pilot.pause()
        after = [reader.render_line(y) for y in range(0, min(height, 20))]
        changed = sum(1 for a, b in zip(before, after) if a != b)
        assert changed == len(before)


async def test_a_theme_chosen_in_the_palette_is_there_at_the_next_launch(
    seeds: Path, store_dir: Path
) -> None:
    """ctrl+p → theme → a theme: the next launch opens in it (the config's theme, if it names
    one, still wins); a damaged state file is only ignored."""
    from tui.state import state_file

    app = make_app(seeds, store_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme != "nord"
        await burst(pilot, "ctrl+p", *"theme")
        await pilot.pause(0.5)  # the palette searches its commands in a worker
        await burst(pilot, "enter")
        await pilot.pause(0.3)
        await burst(pilot, *"nord")
        await pilot.pause(0.5)
        await burst(pilot, "enter")
        await pilot.pause(0.3)
        assert app.theme == "nord"
    again = make_app(seeds, store_dir)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
    configured = make_app(seeds, store_dir, Config(theme="textual-light"))
    async with configured.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert configured.theme == "textual-light"
    state_file().write_text("{ not json", encoding="utf-8")
    damaged = make_app(seeds, store_dir)
    async with damaged.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert damaged.theme == "textual-dark"


@pytest.mark.parametrize("width", [50, 60, 79])
async def test_under_80_columns_the_reader_stays_on_the_screen(seeds: Path, store_dir: Path,
                                                               width: int) -> None:
    app = make_app(seeds, store_dir)
    async with app.run_test(size=(width, 20)) as pilot:
        reader = await open_article(pilot, app, A002)
        await pilot.pause()
        assert reader.region.right <= width and reader.region.width >= 20
        assert app.articles.region.width >= 16
