"""A hostile corpus, written at test time into a folder: what scraped text can throw at a terminal.

Nothing binary is committed: :func:`write_corpus` makes the files in ``tmp_path``. Each file
exercises one danger; :data:`MARKERS` says what text each must show on screen (as the user
would read it), and :data:`FORBIDDEN` lists byte sequences that must never reach the terminal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

ESC = "\x1b"
BEL = "\x07"

#: Escape sequences an article might carry: a screen clear, colours, a title change (OSC 0 and
#: OSC 2), a clipboard write (OSC 52), a hyperlink (OSC 8), a bell, a DCS, 8-bit C1 controls
#: (CSI U+009B, OSC U+009D, ST U+009C), DEL, backspace, and a bidi override.
ESCAPES = (
    f"Clear{ESC}[2J{ESC}[H screen. Red {ESC}[31;1mRED{ESC}[0m text.\n\n"
    f"Title {ESC}]0;PWNED-TITLE{BEL} change and {ESC}]2;PWNED2{ESC}\\ again.\n\n"
    f"Clipboard {ESC}]52;c;cm0gLXJmIH4K{BEL} write.\n\n"
    f"Link {ESC}]8;;https://evil.example/{ESC}\\click{ESC}]8;;{ESC}\\ here.\n\n"
    f"Bell{BEL}{BEL} ring. Device {ESC}P+q544e{ESC}\\ query.\n\n"
    "Eight-bit \u009b31mC1\u009b0m and \u009d0;PWNED-C1\u009c title.\n\n"
    "Delete\x7f and back\x08space and bidi \u202eevil\u202c text.\n\n"
    "The last sentence is plain.\n"
)

#: Rich and Textual markup that must show as the characters it is.
MARKUP = (
    "[bold red]x[/] is not bold. [link=https://evil.example]not a link[/link] here.\n\n"
    "NATO is [NATO’s] ally, said the [/] unbalanced tag.\n\n"
    "An action [@click=app.quit]quit[/] and a variable $accent and :warning: emoji.\n\n"
    "A backslash \\[escaped] and [b]bold[/b] and [reverse]rev[/reverse] end.\n"
)


@dataclass(frozen=True)
class Hostile:
    """One hostile file: its path, the id the corpus gives it, and what it is about."""

    name: str
    path: Path
    article_id: str | None
    """None when the file must be skipped (binary)."""


#: A few characters of each readable file that must be on screen, as placeholders show them.
MARKERS: dict[str, tuple[str, ...]] = {
    "escapes": ("Clear␛[2J␛[H screen", "␛]0;PWNED-TITLE␇", "␛]52;c;cm0gLXJmIH4K␇", "Bell␇␇"),
    "markup": ("[bold red]x[/] is not bold", "[NATO’s]", "[@click=app.quit]quit[/]"),
    "invalid": ("caf\ufffd au lait",),
    "longline": ("w0 w1 w2",),
    "big": ("Paragraph 0 sentence 0",),
}

#: Bytes the app must never write to the terminal (the article's own sequences, or what
#: markup would turn into).
FORBIDDEN: tuple[bytes, ...] = (
    b"\x1b[2J\x1b[H screen",
    b"\x1b]0;PWNED",
    b"\x1b]2;PWNED",
    b"\x1b]52;",
    b"\x1b]8;",
    b"\x1bP",
    b"\x07\x07",
    "\u009b".encode(),
    "\u009d".encode(),
    "\u202e".encode(),
)

#: A file name with markup and an escape sequence in it (legal on Linux).
HOSTILE_NAME = "name [bold]x[red] \x1b]0;PWNED-NAME\x07"  # no "/": it separates paths
#: The binary file's name: it is shown in the "skipped" notice.
BINARY_NAME = "binary [blink] \x1b]0;PWNED-BIN\x07"


def big_text(megabytes: float = 5.0) -> str:
    """A plain article of about ``megabytes`` MB: many short paragraphs of several sentences."""
    paragraphs = []
    size = 0
    number = 0
    while size < megabytes * 1_000_000:
        paragraph = " ".join(
            f"Paragraph {number} sentence {s} says the talks will go on in January."
            for s in range(5)
        )
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
        number += 1
    return "A very long article\n\n" + "\n\n".join(paragraphs) + "\n"


def long_line(characters: int = 200_000) -> str:
    """One line of ``characters`` characters, no newline inside: words w0 w1 w2 …"""
    words = []
    size = 0
    number = 0
    while size < characters:
        word = f"w{number}"
        words.append(word)
        size += len(word) + 1
        number += 1
    return " ".join(words)[:characters]


def write_corpus(folder: Path, *, big: bool = True) -> dict[str, Hostile]:
    """Write the hostile corpus into ``folder``; returns the files by short name."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Hostile] = {}

    def put(name: str, stem: str, data: bytes, article_id: str | None = "") -> None:
        path = folder / f"{stem}.txt"
        path.write_bytes(data)
        files[name] = Hostile(name, path, stem if article_id == "" else article_id)

    # The title line itself carries a title change and a clipboard write.
    put("escapes", "escapes",
        (f"Escapes {ESC}]0;PWNED-TITLE{BEL}{ESC}]52;c;AAAA{BEL} in the title\n\n" + ESCAPES)
        .encode())
    put("markup", "markup", ("[blink]Markup[/blink] [bold]title[/] [NATO’s]\n\n" + MARKUP)
        .encode())
    # Metadata from a sidecar can be hostile too.
    (folder / "markup.meta.json").write_text(json.dumps({
        "title": f"[red]Sidecar[/red] {ESC}]0;PWNED-SIDE{BEL}title [/]",
        "outlet": f"{ESC}[5mOutlet{ESC}[0m [link=https://evil.example]x[/link]",
    }), encoding="utf-8")
    put("invalid", "invalid",
        b"Invalid bytes\n\nThe caf\xff au lait was \xc3\x28 served. Then \xe2\x82 more.\n")
    put("binary", BINARY_NAME, b"Looks like text\x00\x01\x02\x00 but is binary\n" * 10, None)
    put("empty", "empty", b"")
    put("longline", "longline", long_line().encode())
    if big:
        put("big", "big", big_text().encode())
    put("name", HOSTILE_NAME, b"A file with a hostile name\n\nIts text is plain.\n")
    return files
