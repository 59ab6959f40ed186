"""End to end in a real terminal: ``python -m tui`` in a tmux pane at 80×24, keys sent with
``send-keys``, the screen read with ``capture-pane``, the store read from disk.

Covers the core flow (read, tag, move far, resize, quit), every hostile file, 16 colours
(``TERM=xterm``) and ``NO_COLOR``. tmux must be installed (it is on the machines); nothing is
installed by the tests. Each test starts its own tmux server on a private socket and kills it.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
from hostile import MARKERS, Hostile, write_corpus
from hostile.tmux import TMUX, Cell, TmuxSession, app_env, cells

from tui.corpus import load_corpus
from tui.model import Annotation
from tui.store import Store

pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ANNOTATOR = "tmux-tester"

def reader_columns(screen: str) -> tuple[int, int]:
    """The reader's gutter column and first text column (0-based), from the pane borders."""
    top = "".join(cell.char for cell in cells(screen.splitlines()[0]))
    # Mid-repaint (after a resize) the borders may not be there yet: then nothing is found.
    border = top.find("╮╭") + 1 or len(top)
    return border + 1, border + 3


def app_argv(paths: list[Path], store: Path) -> list[str]:
    return [sys.executable, "-m", "tui", *map(str, paths), "--store", str(store)]


def annotations(store: Path, article_id: str) -> list[Annotation]:
    return Store(store, annotator=ANNOTATOR).annotations(article_id)


def wait_for_annotations(store: Path, article_id: str, count: int,
                         timeout: float = 15.0) -> list[Annotation]:
    deadline = time.monotonic() + timeout
    found: list[Annotation] = []
    while time.monotonic() < deadline:
        found = annotations(store, article_id)
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{count} annotations expected in {article_id}, found {len(found)}")


def tagged_rows(screen: str) -> dict[str, list[list[Cell]]]:
    """Reader rows by the tag letter in their gutter, as cells."""
    gutter, text = reader_columns(screen)
    rows: dict[str, list[list[Cell]]] = {}
    for line in screen.splitlines()[3:-3]:
        row = cells(line)
        if len(row) > text and row[gutter].char in "CTDS":
            rows.setdefault(row[gutter].char, []).append(row)
    return rows


def first_text_cell(row: list[Cell], text: int) -> Cell:
    return next(cell for cell in row[text:] if cell.char.strip())


def selection_visible(screen_with_escapes: str) -> bool:
    """True if some cell of the reader (right of the list) is drawn in reverse."""
    _, text = reader_columns(screen_with_escapes)
    for line in screen_with_escapes.splitlines()[3:-3]:
        row = cells(line)
        if any(cell.reverse and cell.char.strip() for cell in row[text:-2]):
            return True
    return False


def test_core_flow_read_tag_move_resize_quit(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = load_corpus([SEEDS]).load_all()[0]
    with TmuxSession(app_argv([SEEDS], store), env=app_env(tmp_path), cwd=tmp_path) as tmux:
        screen = tmux.wait_for("q Quit")
        assert "Articles" in screen and "C claim" in screen and "S schedule" in screen
        tmux.keys("Tab")
        tmux.wait_for("1-4 Tag")  # the footer shows the keys that matter in the reader
        tmux.keys("j", "1")
        tmux.wait_for("— saved.")
        (claim,) = wait_for_annotations(store, first.id, 1)
        assert claim.tag == "claim" and claim.annotator == ANNOTATOR
        tmux.wait_until(lambda: "C" in tagged_rows(tmux.screen(escapes=True)),
                        what="the claim's letter in the gutter")

        # Far below the first screen the cursor is still drawn where it is.
        tmux.keys(*["j"] * 25)
        tmux.wait_until(lambda: selection_visible(tmux.screen(escapes=True)),
                        what="the selection visible after 25 moves")
        tmux.keys("2")
        threat = next(a for a in wait_for_annotations(store, first.id, 2) if a.tag == "threat")
        words = " ".join(threat.text.split()[:3])
        tmux.wait_for(words)
        tmux.wait_until(lambda: "T" in tagged_rows(tmux.screen(escapes=True)),
                        what="the threat's letter in the gutter")

        # Resizing keeps the selection in view, wide and back to 80×24.
        for width, height in ((200, 50), (80, 24)):
            tmux.resize(width, height)
            tmux.wait_until(lambda w=width: len(tmux.screen().splitlines()[0]) == w,
                            what=f"a {width}-column screen")
            tmux.wait_for(words)
            tmux.wait_until(lambda: selection_visible(tmux.screen(escapes=True)),
                            what=f"the selection visible at {width}×{height}")

        tmux.keys("q")
        tmux.wait_until(lambda: tmux.dead, what="the app to quit")
    assert {a.tag for a in annotations(store, first.id)} == {"claim", "threat"}


def prompt_line(screen: str) -> str:
    """The line of the open prompt's text box (the line under its question)."""
    lines = screen.splitlines()
    for number, line in enumerate(lines):
        if "Search this article" in line or "Note " in line and "│" in line:
            return lines[number + 1]
    raise AssertionError(f"no prompt on the screen:\n{screen}")


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_bursts_sent_in_one_send_keys_land_where_they_were_meant(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Each burst is one ``send-keys``: the terminal hands the app the keys in one read. The
    prompts show what is typed, and no key of a burst runs in the screen underneath."""
    store = tmp_path / "store"
    first = load_corpus([SEEDS]).load_all()[0]
    width, height = size
    with TmuxSession(app_argv([SEEDS], store), env=app_env(tmp_path), cwd=tmp_path,
                     width=width, height=height) as tmux:
        tmux.wait_for("q Quit")
        tmux.keys("Tab")
        tmux.wait_for("1-4 Tag")
        tmux.type("/sanctions")
        screen = tmux.wait_for("Search this article")
        tmux.wait_until(lambda: "sanctions" in prompt_line(tmux.screen()),
                        what="the typed search in the prompt")
        assert annotations(store, first.id) == []
        tmux.keys("Enter", "2")
        (threat,) = wait_for_annotations(store, first.id, 1)
        assert (threat.tag, threat.text.lower()) == ("threat", "sanctions")
        tmux.keys("e", "a note typed fast", "Enter")
        tmux.wait_for("Note saved")
        tmux.keys("r", "3")
        tmux.wait_for("Retagged threat → denial")
        # esc and a key in one read reach the terminal as alt+key: still two keys.
        tmux.keys("/", "x", "Escape", "j")
        tmux.wait_for("Search cancelled.")
        assert len(annotations(store, first.id)) == 1
        (denial,) = annotations(store, first.id)
        assert (denial.tag, denial.note) == ("denial", "a note typed fast")
        # esc and an upper-case key in one read (alt+shift+t): esc, then T opens the timeline.
        tmux.keys("Escape", "T")
        tmux.wait_for(re.compile(r"\d+ schedule passages?"))
        tmux.keys("Escape")
        tmux.wait_for("1-4 Tag")
        tmux.keys("Tab")
        tmux.type("/Luxembourg")
        tmux.wait_for("filter: Luxembourg")
        screen = tmux.screen()
        # The g of Luxembourg did not open the statistics screen: the list is still there.
        assert "╮╭" in screen.splitlines()[0]  # the two panes, side by side
        tmux.keys("Enter", "Enter", "j", "1")
        wait_for_annotations(store, "002_a34abba263e9470d", 1)
        tmux.keys("q")
        tmux.wait_until(lambda: tmux.dead, what="the app to quit")
    assert len(annotations(store, first.id)) == 1


def test_keys_typed_while_the_app_starts_land_once_it_is_up(tmp_path: Path) -> None:
    """Keys typed before the app has taken the terminal over wait in the terminal, which
    still turns enter into a line feed then: that enter opens the article all the same."""
    store = tmp_path / "store"
    first = load_corpus([SEEDS]).load_all()[0]
    with TmuxSession(app_argv([SEEDS], store), env=app_env(tmp_path), cwd=tmp_path) as tmux:
        tmux.keys("Enter", "c")  # at once: the app is still starting
        assert "q Quit" not in tmux.screen()
        (claim,) = wait_for_annotations(store, first.id, 1)
        assert claim.tag == "claim"
        tmux.keys("q")
        tmux.wait_until(lambda: tmux.dead, what="the app to quit")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Hostile]:
    return write_corpus(tmp_path_factory.mktemp("hostile-tmux") / "corpus")


@pytest.mark.parametrize(
    "name", ["escapes", "markup", "invalid", "empty", "longline", "big", "binary", "name"]
)
def test_hostile_file_in_a_real_terminal(hostile: dict[str, Hostile], tmp_path: Path,
                                         name: str) -> None:
    item = hostile[name]
    store = tmp_path / "store"
    with TmuxSession(app_argv([item.path], store), env=app_env(tmp_path),
                     cwd=tmp_path) as tmux:
        if name == "binary":
            # Nothing to open: one line saying why (the name's escapes shown, not sent), and
            # the app is gone (its exit status, 2, is test_cli's).
            def said() -> str:  # the screen's text with its wrapped lines joined
                return tmux.screen().replace("\n", "")

            tmux.wait_until(lambda: tmux.dead and "is a binary file" in said(),
                            timeout=40, what="the app to say why and exit")
            screen = said()
            assert "␛]0;PWNED-BIN␇" in screen
            assert "PWNED" not in tmux.pane("pane_title")
            assert "Traceback" not in screen and not store.exists()
            return
        tmux.wait_for("q Quit", timeout=40)
        if item.article_id is None:
            screen = tmux.wait_for("Skipped 1 file")
            assert "No articles" in screen
        else:
            for marker in MARKERS.get(name, ())[:2]:
                tmux.wait_for(marker, timeout=40)
        if item.article_id is not None and name != "empty":
            tmux.keys("Tab", "j", "1")
            (annotation,) = wait_for_annotations(store, item.article_id, 1, timeout=30)
            article = load_corpus([item.path]).load_all()[0]
            assert annotation.text == article.text[annotation.start : annotation.end]
            tmux.wait_for("— saved.")
        else:
            tmux.keys("Tab", "j", "1", "x")
        screen = tmux.screen()
        # Nothing escaped into the terminal: no title change, no clipboard write, no bell.
        assert "PWNED" not in tmux.pane("pane_title")
        assert tmux.tmux("list-buffers").strip() == ""
        assert tmux.pane("window_bell_flag") == "0"
        assert "q Quit" in screen  # the screen was not cleared or scrolled away
        tmux.keys("q")
        tmux.wait_until(lambda: tmux.dead, what="the app to quit")
    if name == "invalid":
        assert item.path.read_bytes().startswith(b"Invalid bytes\n\nThe caf\xff")


def _tag_four(tmux: TmuxSession, store: Path, article_id: str) -> dict[str, list[list[Cell]]]:
    """Tag four sentences in a row claim, threat, denial, schedule; the tagged rows."""
    tmux.wait_for("q Quit")
    tmux.keys("Tab", "j", "1", "j", "2", "j", "3", "j", "4", "j")
    wait_for_annotations(store, article_id, 4)
    tmux.wait_for("— saved.")
    time.sleep(0.3)  # the last repaint after the last tag
    rows: dict[str, list[list[Cell]]] = {}
    tmux.wait_until(lambda: len(rows.update(tagged_rows(tmux.screen(escapes=True))) or rows)
                    == 4, what="four tag letters in the gutter")
    return rows


def test_sixteen_colours_keep_tags_apart(tmp_path: Path) -> None:
    store = tmp_path / "store"
    first = load_corpus([SEEDS]).load_all()[0]
    env = app_env(tmp_path, TERM="xterm")
    with TmuxSession(app_argv([SEEDS], store), env=env, cwd=tmp_path, width=120,
                     height=40) as tmux:
        rows = _tag_four(tmux, store, first.id)
        raw = tmux.screen(escapes=True)
    _, text = reader_columns(raw)
    backgrounds = {letter: first_text_cell(lines[0], text).bg for letter, lines in rows.items()}
    assert len(set(backgrounds.values())) == 4, backgrounds
    # Only the 16 standard colours were used: no 256-colour or true-colour codes.
    assert not re.search(r"\x1b\[[0-9;]*[34]8[;:][25][;:]", raw)
    assert all(re.fullmatch(r"4[0-7]|10[0-7]", bg) for bg in backgrounds.values()), backgrounds


def _grey(code: str) -> bool:
    if not code:
        return True
    parts = code.split(";")
    if len(parts) == 1:
        return parts[0] in ("30", "37", "90", "97", "40", "47", "100", "107")
    if parts[1] == "5":
        n = int(parts[2])
        return n in (0, 7, 8, 15, 16, 59, 102, 145, 188, 231) or n >= 232
    return parts[2] == parts[3] == parts[4]


@pytest.mark.parametrize("setting", [{"NO_COLOR": "1"}, {"TERM": "xterm-mono"}])
def test_no_color_tags_differ_by_style_and_letter(tmp_path: Path,
                                                  setting: dict[str, str]) -> None:
    store = tmp_path / "store"
    first = load_corpus([SEEDS]).load_all()[0]
    env = app_env(tmp_path, **setting)
    with TmuxSession(app_argv([SEEDS], store), env=env, cwd=tmp_path, width=120,
                     height=40) as tmux:
        rows = _tag_four(tmux, store, first.id)
        raw = tmux.screen(escapes=True)
    _, text = reader_columns(raw)
    styles = {}
    for letter, lines in rows.items():
        cell = first_text_cell(lines[0], text)
        styles[letter] = (cell.bold, cell.italic, cell.underline)
    assert styles == {"C": (True, False, False), "T": (False, True, False),
                      "D": (True, True, False), "S": (False, False, True)}, styles
    # A mono TERM is taken as NO_COLOR: greys only, borders and footer included.
    every_cell = [cell for line in raw.splitlines() for cell in cells(line)]
    assert all(_grey(cell.fg) and _grey(cell.bg) for cell in every_cell)
    # The legend shows the same styles.
    legend = cells(raw.splitlines()[2])
    text = "".join(cell.char for cell in legend)
    for word, style in (("claim", (True, False)), ("threat", (False, True)),
                        ("denial", (True, True))):
        cell = legend[text.index(word)]
        assert (cell.bold, cell.italic) == style, (word, cell)


def test_bytes_per_keystroke_stay_small() -> None:
    """Over a slow link a keystroke must not repaint the screen (bench/terminal_bytes.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from terminal_bytes import measure
    finally:
        sys.path.remove(str(ROOT / "bench"))
    figures = measure(6, 3, "xterm-256color")
    median = {name: sorted(values)[len(values) // 2] for name, values in figures.items()}
    # A full 80×24 repaint is about 16 KB; measured: move ~1 KB, tag ~0.8 KB.
    assert median["move"] < 3000, figures
    assert median["tag"] < 3000, figures
