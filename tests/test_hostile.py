"""Hostile text is shown literally and never reaches the terminal as control codes.

The corpus (tests/hostile) is written at test time: escape sequences (CSI, OSC title and
clipboard writes, hyperlinks, DCS, bells, 8-bit C1 codes, bidi overrides), Rich and Textual
markup, invalid UTF-8, a binary file, an empty file, a 200 000-character line, a 5 MB article,
a file name with markup and an escape in it, and a sidecar whose title and outlet are hostile.
The screens are rendered exactly as Textual would write them to a terminal (the compositor's
update, through a Rich console), and the bytes are checked; one test runs the real app in a
real pseudo-terminal and checks every byte it wrote.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import FORBIDDEN, HOSTILE_NAME, MARKERS, Hostile, write_corpus
from rich.console import Console

from tui.app import NewsmarkApp
from tui.config import DEFAULT_TAGS, Config
from tui.corpus import load_corpus
from tui.model import Annotation, Span, TagDef
from tui.store import Store
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader

ROOT = Path(__file__).resolve().parent.parent
SIZE = (80, 24)
#: Control characters that may never be on screen as text (C0 but newline, DEL, C1, bidi).
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
#: ESC followed by anything but "[": only CSI (colours, cursor moves) may be written.
NOT_CSI = re.compile(rb"\x1b(?!\[)")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Hostile]:
    return write_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


def screen_dump(app: NewsmarkApp) -> tuple[bytes, str]:
    """What the terminal would receive for a full repaint of the screen, and its plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False,
                      safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    raw = console.file.getvalue().encode()  # type: ignore[attr-defined]
    return raw, console.export_text(styles=False)


def assert_safe(raw: bytes, text: str) -> None:
    """No forbidden sequence, no escape but CSI, no control character shown as text."""
    for sequence in FORBIDDEN:
        assert sequence not in raw, f"{sequence!r} reached the terminal"
    assert not NOT_CSI.search(raw), raw[NOT_CSI.search(raw).start():][:40]  # type: ignore[union-attr]
    assert b"\x07" not in raw
    shown = CONTROL.findall(text)
    assert not shown, f"control characters on screen: {shown!r}"


def make_app(paths: list[Path], store: Path, config: Config | None = None) -> NewsmarkApp:
    return NewsmarkApp(load_corpus(paths), Store(store, annotator="tester"),
                       config=config or Config(), annotator="tester")


def readable(hostile: dict[str, Hostile], *, big: bool = False) -> list[Path]:
    return [h.path for h in hostile.values() if big or h.name != "big"]


async def test_each_hostile_article_is_shown_literally(
    hostile: dict[str, Hostile], tmp_path: Path
) -> None:
    app = make_app(readable(hostile), tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.query_one(ArticleList)
        reader = app.query_one(Reader)
        seen = set()
        for item in hostile.values():
            if item.article_id is None or item.name == "big":
                continue
            articles.highlight(item.article_id)
            await pilot.pause()
            assert reader.article is not None and reader.article.id == item.article_id
            raw, text = screen_dump(app)
            assert_safe(raw, text)
            for marker in MARKERS.get(item.name, ()):
                assert marker in text, f"{marker!r} not shown for {item.name}:\n{text}"
            seen.add(item.name)
        assert seen == {"escapes", "markup", "invalid", "empty", "longline", "name"}


async def test_offsets_are_unchanged_by_placeholders(
    hostile: dict[str, Hostile], tmp_path: Path
) -> None:
    """A sentence full of escapes is tagged at its real offsets; the screen shows placeholders."""
    app = make_app([hostile["escapes"].path], tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        reader = app.query_one(Reader)
        text = reader.article.text
        clipboard = text.index("Clipboard")
        while reader.selection is not None and reader.selection.end <= clipboard:
            await pilot.press("j")
        await pilot.press("1")
        await pilot.pause()
        (annotation,) = Store(tmp_path / "store", annotator="tester").annotations("escapes")
        assert annotation.text == text[annotation.start : annotation.end]
        assert "\x1b]52;c;cm0gLXJmIH4K\x07" in annotation.text
        raw, screen = screen_dump(app)
        assert_safe(raw, screen)
        assert "C  Clipboard ␛]52;c;cm0gLXJmIH4K␇ write." in screen


async def test_hostile_metadata_file_name_notes_and_config(
    hostile: dict[str, Hostile], tmp_path: Path
) -> None:
    """Sidecar title and outlet, a file name, a note, an annotator and tag descriptions."""
    store = Store(tmp_path / "store", annotator="[red]eve[/] \x1b]0;PWNED-WHO\x07")
    corpus = load_corpus(readable(hostile))
    markup = corpus.get("markup")
    assert markup is not None
    store.add(Annotation.new(markup, Span(0, 30), "claim", annotator=store.annotator,
                             note="[bold]note[/] \x1b]52;c;QUFB\x07 [/]"))
    tags = tuple(
        TagDef(t.name, t.key, t.number, t.colour,
               f"[blink]{t.name}[/] \x1b]0;PWNED-CONFIG\x07 [link=x]y[/link]", t.marker)
        for t in DEFAULT_TAGS
    )
    app = NewsmarkApp(corpus, store, config=Config(tags=tags), annotator=store.annotator)
    async with app.run_test(size=(200, 50)) as pilot:
        app.query_one(ArticleList).highlight("markup")
        await pilot.pause()
        raw, text = screen_dump(app)
        assert_safe(raw, text)
        assert "[red]Sidecar[/red] ␛]0;PWNED-SIDE␇title [/]" in text
        assert "␛[5mOutlet␛[0m [link=h" in text  # the header (the list cuts it short)
        app.query_one(ArticleList).highlight(HOSTILE_NAME)
        await pilot.pause()
        raw, text = screen_dump(app)
        assert_safe(raw, text)
        assert "name [bold]x[red] ␛]0;PWNED-NAME␇" in text
        app.query_one(ArticleList).highlight("markup")
        await pilot.pause()
        await pilot.press("a")  # the annotation panel: quote, note, annotator
        await pilot.pause()
        raw, text = screen_dump(app)
        assert_safe(raw, text)
        assert "[bold]note[/] ␛" in text and "[red]eve[" in text  # note, annotator (cut)
        await pilot.press("question_mark")  # the help screen: the tags' descriptions, first
        await pilot.pause()
        raw, text = screen_dump(app)
        assert_safe(raw, text)
        assert "[blink]claim[/] ␛]0;PWNED-CONFIG␇" in text


async def test_a_note_typed_with_markup_is_kept_and_shown_as_typed(
    hostile: dict[str, Hostile], tmp_path: Path
) -> None:
    app = make_app([hostile["markup"].path], tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "1", "e")
        await pilot.pause()
        typed = "[bold]x[/] [@click=app.quit]q[/] [/]"
        await pilot.press(*typed, "enter")
        await pilot.pause()
        (annotation,) = Store(tmp_path / "store", annotator="tester").annotations("markup")
        assert annotation.note == typed
        assert app.is_running
        raw, text = screen_dump(app)
        assert_safe(raw, text)


async def test_invalid_utf8_is_marked_and_the_file_never_changed(
    hostile: dict[str, Hostile], tmp_path: Path
) -> None:
    path = hostile["invalid"].path
    before = path.read_bytes()
    app = make_app([path], tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.article.problems and "invalid UTF-8" in reader.article.problems[0]
        raw, text = screen_dump(app)
        assert_safe(raw, text)
        # The reason is on the status line when the article opens, whole at 80 columns.
        assert "⚠ invalid UTF-8" in text
        await pilot.press("j", "1")
        await pilot.pause()
        raw, text = screen_dump(app)
        assert_safe(raw, text)
    (annotation,) = Store(tmp_path / "store", annotator="tester").annotations("invalid")
    assert "\ufffd" in annotation.text
    assert annotation.text == reader.article.text[annotation.start : annotation.end]
    assert path.read_bytes() == before


async def test_binary_file_is_listed_as_skipped_with_the_reason(
    hostile: dict[str, Hostile], tmp_path: Path
) -> None:
    corpus = load_corpus(readable(hostile))
    (skipped,) = corpus.skipped
    assert skipped.path == hostile["binary"].path and "binary file" in skipped.reason
    app = make_app(readable(hostile), tmp_path / "store")
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.pause()
        assert hostile["binary"].path.stem not in app.query_one(ArticleList).row_keys
        raw, text = screen_dump(app)
        assert_safe(raw, text)
        assert "Skipped 1 file" in text and "binary [blink] ␛]0;PWNED-BIN␇.txt" in text


async def test_empty_file_opens_empty_and_keys_do_nothing(
    hostile: dict[str, Hostile], tmp_path: Path
) -> None:
    app = make_app([hostile["empty"].path], tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab", "j", "k", "1", "x", "G", "slash", "escape", "u")
        await pilot.pause()
        reader = app.query_one(Reader)
        assert reader.article.id == "empty" and reader.article.text == ""
        assert reader.selection is None
        assert app.is_running
    assert Store(tmp_path / "store", annotator="tester").annotations("empty") == []


@pytest.mark.parametrize("name", ["longline", "big"])
async def test_huge_articles_open_and_the_keys_answer(
    hostile: dict[str, Hostile], tmp_path: Path, name: str
) -> None:
    """A 200 000-character line and a 5 MB article: open, move to the end, tag, come back.
    (How fast is measured in bench/, not here.)"""
    app = make_app([hostile[name].path], tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("tab")
        await pilot.pause()
        reader = app.query_one(Reader)
        await pilot.press("end", "1", "home", "j", "j")
        await pilot.pause()
        assert reader.selection == reader.sentences[min(2, len(reader.sentences) - 1)]
        raw, text = screen_dump(app)
        assert_safe(raw, text)
    (annotation,) = Store(tmp_path / "store", annotator="tester").annotations(name)
    assert annotation.span == reader.sentences[-1]


def test_cli_list_prints_hostile_titles_literally(hostile: dict[str, Hostile],
                                                  tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "list", "--store", str(tmp_path / "store"),
         *[arg for h in hostile.values() if h.name != "big" for arg in ("--corpus", str(h.path))]],
        capture_output=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    for sequence in FORBIDDEN:
        assert sequence not in done.stdout + done.stderr
    assert b"\x1b" not in done.stdout
    assert "[red]Sidecar[/red] ␛]0;PWNED-SIDE␇title [/]" in done.stdout.decode()
    assert "binary [blink] ␛]0;PWNED-BIN␇.txt" in done.stderr.decode()
    assert "name [bold]x[red] ␛]0;PWNED-NAME␇" in done.stdout.decode()


@pytest.mark.parametrize("argv", [["missing.txt"], ["list", "--corpus", "missing.txt"]])
def test_a_missing_path_is_one_line(tmp_path: Path, argv: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "tui", *argv, "--store", str(tmp_path / "s")],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "missing.txt" in lines[0] and "no such file" in lines[0]


def test_the_real_terminal_receives_no_hostile_bytes(hostile: dict[str, Hostile],
                                                     tmp_path: Path) -> None:
    """The app in a real pty, walked through every hostile article: every byte is checked."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from terminal_bytes import PtyApp, app_env
    finally:
        sys.path.remove(str(ROOT / "bench"))
    argv = [sys.executable, "-m", "tui", *map(str, readable(hostile)),
            "--store", str(tmp_path / "store")]
    with PtyApp(argv, env=app_env("xterm-256color"), cwd=tmp_path) as app:
        app.wait_for(lambda out: b"Quit" in out)
        for _ in range(len(hostile)):
            app.press("\x1b[B")  # down: the next article, shown at once
            app.settle(0.2)
        app.press("\t")
        for key in "jjjj1jj":
            app.press(key)
        app.settle(0.3)
        app.press("q")
        app.process.wait(10)
        output = bytes(app.output)
    shown = re.sub("\x1b\\[[0-9;?]*[A-Za-z]", "", output.decode("utf-8", "replace"))
    assert app.process.returncode == 0, shown[shown.find("Traceback"):][:6000]
    for sequence in FORBIDDEN:
        assert sequence not in output, f"{sequence!r} reached the terminal"
    # What the app writes itself: CSI sequences, and OSC 22 (pointer shape) at most.
    others = [m for m in re.finditer(rb"\x1b(?!\[)", output)
              if not output.startswith(b"\x1b]22;", m.start())]
    assert not others, [output[m.start():m.start() + 30] for m in others[:5]]
    text = output.decode("utf-8", "replace")
    assert not re.search("[\x80-\x9f]", text)
    assert "␛]52;c;cm0gLXJmIH4K␇" in re.sub("\x1b\\[[0-9;?]*[A-Za-z]", "", text)


@pytest.mark.parametrize("key", ["g", "m"])
async def test_statistics_and_compare_screens_show_hostile_names_literally(
    hostile: dict[str, Hostile], tmp_path: Path, key: str
) -> None:
    corpus = load_corpus(readable(hostile))
    store = Store(tmp_path / "store", annotator="[red]eve[/] \x1b]0;PWNED-WHO\x07")
    for article_id in ("markup", HOSTILE_NAME, "escapes"):
        article = corpus.get(article_id)
        assert article is not None
        store.add(Annotation.new(article, Span(0, 12), "claim", annotator=store.annotator))
    app = NewsmarkApp(corpus, store, config=Config(), annotator=store.annotator)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause(0.5)
        await pilot.pause()
        raw, text = screen_dump(app)
        assert_safe(raw, text)
        assert "␛" in text  # the hostile names are there, as placeholders


async def test_text_changed_notice_names_a_hostile_article_literally(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = folder / f"{HOSTILE_NAME}.txt"
    path.write_text("A first sentence here. A second one.\n", encoding="utf-8")
    store = Store(tmp_path / "store", annotator="tester")
    article = load_corpus([folder]).load_all()[0]
    store.add(Annotation.new(article, Span(0, 22), "claim", annotator="tester"))
    path.write_text("A new start. A first sentense hear. A second one.\n", encoding="utf-8")
    app = make_app([folder], tmp_path / "store")
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        raw, text = screen_dump(app)
        assert_safe(raw, text)
        assert "Text changed" in text
        assert "name [bold]x[red] ␛]0;PWNED-NAME␇" in text


@pytest.mark.parametrize("keys, expected", [
    (("question_mark",), "tag claim"),  # the help screen
    (("tab", "1", "r"), "2 / t"),  # the tag picker
    (("tab", "e"), "Note for the next tag"),  # the note prompt
])
async def test_modal_screens_have_their_content_at_80x24(
    tmp_path: Path, keys: tuple[str, ...], expected: str
) -> None:
    """The help and tag picker once drew as empty 0×0 boxes (auto width around auto width)."""
    app = make_app([ROOT / "seeds"], tmp_path / "store")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        raw, text = screen_dump(app)
        assert expected in text, text
