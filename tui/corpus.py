"""Reading article files: decoding, the one normalisation, metadata guesses and boilerplate.

Every offset in newsmark refers to the text returned by :func:`normalise` (via :func:`decode`):
CRLF and lone CR become LF, then the text is put in Unicode NFC. Source files are only ever
read, never written.

Boilerplate (navigation junk, share buttons, comment forms, promos, photo credits) is detected
line by line with the documented patterns in :data:`BOILERPLATE_PATTERNS`; it is shown dimmed and
kept out of sentences, never deleted. The patterns are deliberately narrow: a line is marked only
when it is, as a whole, one of the known shapes, so that no real prose sentence is marked.
"""

from __future__ import annotations

import codecs
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path

from tui.model import Article, Span
from tui.sentences import paragraph_spans, sentence_spans

__all__ = [
    "BOILERPLATE_PATTERNS",
    "ARTICLE_SUFFIXES",
    "Corpus",
    "CorpusError",
    "Skipped",
    "boilerplate_spans",
    "bundled_seeds",
    "decode",
    "default_corpus_paths",
    "guess_metadata",
    "is_binary",
    "load_article",
    "load_corpus",
    "normalise",
]

#: File suffixes read as articles when a folder is searched (compared case-insensitively).
ARTICLE_SUFFIXES = (".txt", ".md")
#: The suffix of a metadata sidecar: ``<stem>.meta.json`` next to ``<stem>.txt``.
SIDECAR_SUFFIX = ".meta.json"
_SIDECAR_KEYS = ("title", "outlet", "date")
_BINARY_PROBE = 8192
_TITLE_MAX_CHARS = 120
_SHORT_TITLE_CHARS = 80
# Title and leading dates are looked for in the head of the text only (cheap on a huge file).
_HEAD_CHARS = 20_000


class CorpusError(Exception):
    """A user-facing problem with a path (missing, unreadable, binary, a bad sidecar).

    ``str(error)`` is one line naming the path and saying what to do.
    """


# --------------------------------------------------------------------------- decoding


def normalise(text: str) -> str:
    """The one normalisation every offset refers to: CRLF and lone CR become LF, then NFC.

    Idempotent: ``normalise(normalise(t)) == normalise(t)``.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")


def decode(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode file bytes to the normalised text, and a tuple of problems found on the way.

    A UTF-8 byte order mark is dropped. Bytes that are not valid UTF-8 become U+FFFD, one per
    byte, and are reported as a problem; the text is then :func:`normalise`\\ d.
    """
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    problems: list[str] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # surrogateescape maps each invalid byte to one lone surrogate, so counting them counts
        # bytes exactly and in C speed, where a retry loop would be quadratic on a Latin-1 file.
        escaped = raw.decode("utf-8", "surrogateescape")
        first = _ESCAPED_BYTE_RE.search(escaped)
        count = len(_ESCAPED_BYTE_RE.findall(escaped))
        line = normalise(escaped[: first.start()]).count("\n") + 1 if first else 1
        text = _ESCAPED_BYTE_RE.sub("\ufffd", escaped)
        plural = "byte" if count == 1 else "bytes"
        problems.append(
            f"invalid UTF-8: {count} {plural} replaced with U+FFFD (first on line {line}); "
            "save the file as UTF-8 to fix"
        )
    return normalise(text), tuple(problems)


def is_binary(raw: bytes) -> bool:
    """True if the bytes look binary: a NUL byte in the first 8 KiB."""
    return b"\x00" in raw[:_BINARY_PROBE]


# --------------------------------------------------------------------------- boilerplate

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# The date shapes read from articles; every one has named groups y, m (or mon) and d.
_DATE_SHAPES = (
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon1>{_MONTH}),?\s+(?P<y1>\d{{4}})",  # 31 Dec, 2021
    rf"(?P<mon2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})",  # Dec 31, 2021
    r"(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})",  # 2021-12-31 (ISO)
    r"(?P<d4>\d{1,2})\.(?P<m4>\d{1,2})\.(?P<y4>\d{4})",  # 31.12.2021 (European)
)
_DATE = "(?:" + "|".join(_DATE_SHAPES) + ")"
# Not inside a longer number or word; an ISO time ("2021-12-31T10:00Z") may follow.
_DATE_RE = re.compile(rf"(?<![\w.-]){_DATE}(?!-|\.\d|(?!T\d)\w)", re.IGNORECASE)
_TIME = (
    r"(?:\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:GMT|UTC|[A-Z]{2,4}))?"
    r"|(?<=\d)T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)"
)
_DATE_LABEL = r"(?:date|published|updated|posted|last updated)(?:\s+on)?\s*:?"
_SOCIAL = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|reddit|pinterest|email|e-mail|vk"
    r"|print|copy link|messenger|flipboard|tumblr|mail)"
)
_AGE = r"\d+\s*(?:mths?|months?|wks?|weeks?|days?|d|hrs?|hours?|h|yrs?|years?|mins?)(?:\s+ago)?"

#: The boilerplate patterns, as (name, regex). Each must match a whole line (stripped, case
#: insensitive) for the line to be boilerplate. Keep them narrow: they must never match prose.
BOILERPLATE_PATTERNS: tuple[tuple[str, str], ...] = (
    # RT-style icon font names scraped as text: "icon bookmark-bicon bookmarkicon cameraicon ..."
    ("icon list", r"icon\b(?:.*?icon){4,}.*"),
    ("edition switch", r"change edition"),
    ("source link", r"source link"),
    ("comment form", r"leave a (?:reply|comment)(?:\s+cancel reply)?"),
    ("comment form", r"your email address will not be published\.?(?:\s*required fields.*)?"),
    ("comment form", r"please enter your (?:comment|name|e-?mail(?: address)?)(?: here)?\s*[!.]?"),
    ("comment form", r"save my name,? e-?mail,? and website in this browser.*"),
    ("comment form", r"(?:post|submit) (?:a )?comment|\d+\s+comments?|comments?"),
    ("share buttons", rf"(?:share|post)\s+(?:(?:it|this)\s+)?(?:on|to|via)\s+{_SOCIAL}"),
    ("share buttons", r"tweet(?: this)?|share(?: this)?(?: article| story| page)?\s*:?"),
    ("share buttons", rf"{_SOCIAL}(?:\s*[|·•/,]?\s*{_SOCIAL})*"),
    (
        "related links",
        r"(?:related|latest|more|recommended|popular|top|trending)"
        r"\s+(?:posts|articles|stories|news|content|reads|topics|coverage|videos)",
    ),
    ("related links", r"more (?:on|about) this (?:topic|story|subject)"),
    ("related links", r"more from (?:the )?author|more from this author"),
    ("related links", r"read (?:more|also|next)(?:\s*[:»›>].{0,150})?"),
    ("related links", r"you (?:may|might) also (?:like|be interested in)\s*:?"),
    ("related links", r"most (?:read|popular|viewed)|trending(?: now)?|recommended(?: for you)?"),
    (
        "promo",
        r".{0,120}(?:has a new (?:mobile )?app|download (?:it |the app )?here!|"
        r"delivered to your inbox|sign up for (?:[\w-]+ ){0,3}newsletters?|"
        r"subscribe to (?:[\w-]+ ){0,3}newsletters?).{0,200}",
    ),
    ("promo", r"want to stay up to date with (?:the latest|our) news\??"),
    ("promo", r"we would love to hear from you!.{0,200}"),
    ("promo", r"advertisement|sponsored(?: content)?|skip to (?:main )?content|subscribe"),
    ("photo credit", r"(?:photo|image|picture|pic|video|graphic)s?(?:\s+credits?)?\s*:\s*.{1,60}"),
    (
        "photo caption",
        r".{1,160}[.)]\s+(?:photo|image|picture)s?(?:\s+credits?)?\s*:\s*[\w/ .&,-]{1,40}",
    ),
    (
        "copyright",
        r"(?:©|\(c\)|copyright\s*(?:©|\(c\))|copyright(?=\s+\d{4}))"
        r"\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*[^!?]{0,80}",
    ),
    ("copyright", r".{0,80}all rights reserved\.?"),
    # "0 4 min 9 mths" (comments, reading time, age); "4 min. 31.12.2021 From our online archive"
    (
        "reading time",
        rf"(?:\d+\s+)?\d+\s*min(?:s|utes?)?\.?(?:\s+read)?"
        rf"(?:\s+(?:{_AGE}|{_DATE}(?:\s+from our (?:online )?archive)?))?",
    ),
    # A dateline alone on its line: "31 Dec, 2021 04:08", "Published: December 31, 2021".
    ("dateline", rf"(?:{_DATE_LABEL}\s*)?{_DATE}(?:,?\s*(?:at\s+)?{_TIME})?"),
)
_BOILERPLATE_RES = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in BOILERPLATE_PATTERNS
)
# A date at the very start of a line, possibly glued to prose (" date 2021-12-31 A phone call").
# Boilerplate spans are whole lines, so such a line stays prose; metadata still reads the date.
_LEADING_DATE_RE = re.compile(
    rf"\s*(?:{_DATE_LABEL}\s*)?{_DATE}(?:,?\s*(?:at\s+)?{_TIME})?(?=\s|$)[\s—–:|·-]*",
    re.IGNORECASE,
)
_MAX_BOILERPLATE_LINE = 600


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of every line, without its newline."""
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line)
        start += len(line) + 1


def boilerplate_line_kind(line: str) -> str | None:
    """The name of the boilerplate pattern a line matches as a whole, or None."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_BOILERPLATE_LINE:
        return None
    for name, pattern in _BOILERPLATE_RES:
        if pattern.fullmatch(stripped):
            return name
    return None


def boilerplate_spans(text: str) -> tuple[Span, ...]:
    """Spans of the lines that are boilerplate, each a whole line without its newline.

    A line is boilerplate when, stripped, it matches one of :data:`BOILERPLATE_PATTERNS` as a
    whole. Lines longer than 600 characters never are.
    """
    return tuple(
        Span(start, end) for start, end in _lines(text) if boilerplate_line_kind(text[start:end])
    )


# --------------------------------------------------------------------------- metadata

# Outlet names as they appear in an outlet's own boilerplate.
_OUTLET_RES = (
    re.compile(
        r"(?:^|[.!?]\s+)(?:[Tt]he\s+)?(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})"
        r"\s+has a new (?:mobile )?app"
    ),
    re.compile(
        r"\b[Gg]et (?:[Tt]he\s+)?(?P<name>[A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})"
        r"\s+delivered to your inbox"
    ),
    re.compile(
        r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*"
        r"(?P<name>[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,4}?)"
        r"(?:,?\s+(?:L\.P\.|LP|Ltd\.?|Limited|Inc\.?|LLC|plc|GmbH|S\.A\.|Company|Co\.))?"
        r"\s*(?:\.|$|\s+all rights reserved)",
        re.IGNORECASE,
    ),
)
# Site fingerprints: scraped navigation that names its site only by its shape.
_OUTLET_FINGERPRINTS = ((re.compile(r"^icon bookmark-bicon bookmarkicon\b"), "RT"),)


def _date_from_match(match: re.Match[str]) -> str:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    year = int(next(v for k, v in groups.items() if k.startswith("y")))
    day = int(next(v for k, v in groups.items() if k.startswith("d")))
    month_name = next((v for k, v in groups.items() if k.startswith("mon")), None)
    if month_name is not None:
        month = _MONTHS[month_name[:3].lower()]
    else:
        month = int(next(v for k, v in groups.items() if k.startswith("m")))
    try:
        return Date(year, month, day).isoformat()
    except ValueError:
        return ""


def _first_date(text: str) -> str:
    for match in _DATE_RE.finditer(text):
        found = _date_from_match(match)
        if found:
            return found
    return ""


def _shorten(sentence: str, limit: int = _SHORT_TITLE_CHARS) -> str:
    if len(sentence) <= limit:
        return sentence
    cut = sentence.rfind(" ", 0, limit)
    if cut <= limit // 2:
        cut = limit
    return sentence[:cut].rstrip(" ,;:–-") + "…"


def guess_metadata(text: str, boilerplate: Sequence[Span] = ()) -> dict[str, str]:
    """Guess ``{"title", "outlet", "date"}`` from an article's text ("" when unknown).

    * date (ISO ``YYYY-MM-DD``): the first date in a boilerplate line (a dateline, a reading-time
      line), else one at the very start of one of the first three lines (" date 2021-12-31 A
      phone call ..."); never one inside prose. Shapes: "31 Dec, 2021 04:08",
      "December 31, 2021", "2021-12-31", "31.12.2021".
    * title: the first line that is not boilerplate (less any leading date), if short and not
      ending in a full stop; otherwise its first sentence, shortened to about 80 characters.
    * outlet: named in the outlet's own boilerplate ("The Luxembourg Times has a new mobile app",
      "©2021 Bloomberg L.P."), else recognised from a site's navigation junk, else "".

    ``boilerplate`` defaults to :func:`boilerplate_spans` of the text.
    """
    spans = sorted(boilerplate) if boilerplate else list(boilerplate_spans(text))
    junk = [text[s.start : s.end] for s in spans]

    date = ""
    for piece in junk:
        date = _first_date(piece)
        if date:
            break
    if not date:
        for paragraph in paragraph_spans(text[:_HEAD_CHARS], spans)[:3]:
            match = _LEADING_DATE_RE.match(text, paragraph.start, paragraph.end)
            if match and (date := _date_from_match(match)):
                break

    outlet = ""
    for pattern in _OUTLET_RES:
        for piece in junk:
            found = pattern.search(piece.strip())
            if found:
                outlet = found.group("name").strip()
                break
        if outlet:
            break
    if not outlet:
        for piece in junk:
            for fingerprint, name in _OUTLET_FINGERPRINTS:
                if fingerprint.search(piece):
                    outlet = name
                    break
            if outlet:
                break

    return {"title": _guess_title(text, spans), "outlet": outlet, "date": date}


def _guess_title(text: str, boilerplate: Sequence[Span]) -> str:
    paragraphs = paragraph_spans(text[:_HEAD_CHARS], boilerplate)
    if not paragraphs:
        return ""
    first = paragraphs[0]
    line = text[first.start : first.end]
    leading_date = _LEADING_DATE_RE.match(line)
    if leading_date and leading_date.end() < len(line):
        line = line[leading_date.end() :]
    if len(line) <= _TITLE_MAX_CHARS and not line.rstrip("”’\"')]").endswith((".", ":")):
        return line
    sentences = sentence_spans(line)
    sentence = line[sentences[0].start : sentences[0].end] if sentences else line
    return _shorten(sentence.rstrip("."))


# --------------------------------------------------------------------------- loading


def _read_bytes(path: Path) -> bytes:
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder; check the path")
    if path.is_dir():
        raise CorpusError(f"{path} is a folder, not an article file; open the folder as a corpus")
    if not path.is_file():
        # A FIFO or device would block or stream forever; only regular files are articles.
        raise CorpusError(f"{path} is not a regular file; give a .txt or .md file")
    try:
        return path.read_bytes()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise CorpusError(f"cannot read {path}: {reason}; check its permissions") from None


def _binary_reason(path: Path, raw: bytes) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return (
            f"{path} is UTF-16 text, not UTF-8; convert it "
            "(e.g. iconv -f UTF-16 -t UTF-8) to read it"
        )
    return f"{path} is a binary file (it contains NUL bytes), not text; remove it from the corpus"


def sidecar_path(path: Path) -> Path:
    """Where the metadata sidecar of an article file lives: ``<stem>.meta.json`` beside it."""
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def _read_sidecar(path: Path) -> dict[str, str]:
    sidecar = sidecar_path(path)
    if not sidecar.is_file():
        return {}
    try:
        data = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
    except OSError as error:
        raise CorpusError(f"cannot read sidecar {sidecar}: {error.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        detail = error.args[0] if isinstance(error, json.JSONDecodeError) else "not UTF-8"
        raise CorpusError(
            f"bad sidecar {sidecar}: {detail}; fix it or delete it (keys: title, outlet, date)"
        ) from None
    if not isinstance(data, dict):
        raise CorpusError(
            f"bad sidecar {sidecar}: expected a JSON object with keys title, outlet, date"
        )
    meta: dict[str, str] = {}
    for key in _SIDECAR_KEYS:
        if key not in data:
            continue
        value = data[key]
        if not isinstance(value, str):
            raise CorpusError(f"bad sidecar {sidecar}: {key!r} must be a string")
        meta[key] = normalise(value).strip()
    if meta.get("date"):
        try:
            Date.fromisoformat(meta["date"])
        except ValueError:
            raise CorpusError(
                f"bad sidecar {sidecar}: date {meta['date']!r} is not YYYY-MM-DD"
            ) from None
    return meta


def load_article(path: Path | str, article_id: str | None = None) -> Article:
    """Read one article file (never modifying it) into an :class:`~tui.model.Article`.

    The id is the file stem unless given. A sidecar ``<stem>.meta.json`` beside the file (keys
    title, outlet, date; any subset) overrides the guessed metadata.

    Raises :class:`CorpusError` if the file is missing, a folder, unreadable or binary, or if its
    sidecar is bad.
    """
    path = Path(path)
    raw = _read_bytes(path)
    if is_binary(raw):
        raise CorpusError(_binary_reason(path, raw))
    text, problems = decode(raw)
    boilerplate = boilerplate_spans(text)
    meta = guess_metadata(text, boilerplate)
    meta.update(_read_sidecar(path))
    return Article(
        id=article_id if article_id is not None else path.stem,
        path=path,
        text=text,
        title=meta["title"],
        outlet=meta["outlet"],
        date=meta["date"],
        boilerplate=boilerplate,
        problems=problems,
    )


@dataclass(frozen=True)
class Skipped:
    """A file of a corpus that could not be read as an article, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class Corpus:
    """The articles of a corpus, in file-name order, and the files skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...] = ()
    _by_id: dict[str, Article] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {article.id: article for article in self.articles})

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or None."""
        return self._by_id.get(article_id)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    @property
    def ids(self) -> tuple[str, ...]:
        """The article ids, in corpus order."""
        return tuple(article.id for article in self.articles)


def _is_article_file(path: Path) -> bool:
    name = path.name.lower()
    return (
        name.endswith(ARTICLE_SUFFIXES)
        and not name.endswith(SIDECAR_SUFFIX)
        and not name.startswith(".")
    )


def _walk(folder: Path) -> list[Path]:
    found: list[Path] = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue  # hidden files and folders (.git, editor swap files)
        if _is_article_file(path) and path.is_file():
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _unique_ids(entries: list[tuple[Path, Path]]) -> list[str]:
    """Ids for ``(file, base folder)`` pairs: stems, made longer only where they clash."""

    def candidates(path: Path, base: Path) -> list[str]:
        relative = path.relative_to(base)
        return [
            path.stem,
            relative.with_suffix("").as_posix(),
            relative.as_posix(),
            f"{base.name}/{relative.as_posix()}" if base.name else relative.as_posix(),
        ]

    levels = [0] * len(entries)
    while True:
        ids = [candidates(p, b)[level] for (p, b), level in zip(entries, levels, strict=True)]
        counts: dict[str, int] = {}
        for article_id in ids:
            counts[article_id] = counts.get(article_id, 0) + 1
        clashing = [i for i, article_id in enumerate(ids) if counts[article_id] > 1]
        if not clashing or all(levels[i] == 3 for i in clashing):
            break
        for i in clashing:
            levels[i] = min(levels[i] + 1, 3)
    # Last resort (the same relative path under two folders of the same name): number them.
    seen: dict[str, int] = {}
    unique: list[str] = []
    for article_id in ids:
        seen[article_id] = seen.get(article_id, 0) + 1
        unique.append(article_id if seen[article_id] == 1 else f"{article_id}~{seen[article_id]}")
    return unique


def load_corpus(paths: Sequence[Path | str]) -> Corpus:
    """Load the articles under ``paths`` (files, and folders searched recursively).

    Folders give their ``.txt`` and ``.md`` files sorted by relative path (hidden ones and
    ``*.meta.json`` sidecars are not articles); paths keep the order given, and a file reached
    twice is read once. Ids are file stems; where stems clash, the clashing ids become the path
    relative to the folder given (posix, no suffix). A missing path raises :class:`CorpusError`;
    a binary, unreadable or otherwise bad file is listed in ``skipped`` with the reason.
    """
    entries: list[tuple[Path, Path]] = []
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if not given.exists():
            raise CorpusError(f"{given}: no such file or folder; check the path")
        files = _walk(given) if given.is_dir() else [given]
        base = given if given.is_dir() else given.parent
        for file in files:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                entries.append((file, base))

    articles: list[Article] = []
    skipped: list[Skipped] = []
    sidecars = [entry for entry in entries if entry[0].name.lower().endswith(SIDECAR_SUFFIX)]
    for file, _base in sidecars:
        skipped.append(Skipped(file, f"{file} is a metadata sidecar, not an article"))
    entries = [entry for entry in entries if entry not in sidecars]
    for (file, _base), article_id in zip(entries, _unique_ids(entries), strict=True):
        try:
            articles.append(load_article(file, article_id))
        except CorpusError as error:
            skipped.append(Skipped(file, str(error)))
    return Corpus(tuple(articles), tuple(skipped))


def bundled_seeds() -> Path:
    """The seed articles shipped inside the package."""
    return Path(__file__).parent / "seeds"


def default_corpus_paths(cwd: Path | None = None) -> list[Path]:
    """The corpus opened when none is given: ``./seeds`` if it exists, else the bundled seeds."""
    local = (cwd if cwd is not None else Path.cwd()) / "seeds"
    return [local] if local.is_dir() else [bundled_seeds()]
