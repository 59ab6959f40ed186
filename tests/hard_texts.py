"""Hard texts for offset tests: each is the raw content of an article file, as bytes on disk.

Every one breaks a naive offset somewhere: characters beyond U+FFFF (UTF-16 surrogate pairs),
emoji ZWJ sequences and modifiers (several code points, one glyph), decomposed accents (NFD
input that normalisation composes), CRLF line ends, non-breaking spaces, right-to-left script,
and CJK without spaces. Tests write them with :func:`write_hard_texts` and read them through
the corpus like any article, so every offset refers to the normalised text.
"""

from __future__ import annotations

from pathlib import Path

#: name → raw file content (UTF-8 bytes). Names are file stems, hence article ids.
HARD_TEXTS: dict[str, bytes] = {
    "hard_emoji": (
        "Leaders 👨‍👩‍👧‍👦 met 🇺🇦 today.\n"
        "The aide 👍🏽 said talks went “well” 🙂 and 𝒳 marks the spot.\n"
        "Family emoji 👩🏽‍💻 at work: a ZWJ sequence inside a sentence.\n"
    ).encode(),
    "hard_nfd": (
        # Decomposed: e + U+0301, n + U+0303, A + U+030A; normalisation composes them.
        "Cafe\u0301 owners in Sa\u0303o Paulo met the A\u030angstro\u0308m delegation.\n"
        "The re\u0301sume\u0301 was na\u0131\u0308ve, said Jose\u0301 Mun\u0303oz.\n"
    ).encode(),
    "hard_crlf": (
        b"Headline with Windows line ends\r\n\r\n"
        b"First paragraph says the call lasted 50 minutes.\r\n"
        b"Second line\rwith an old Mac line end.\r\n"
    ),
    "hard_nbsp": (
        "Putin\u00a0and Biden spoke for 50\u00a0minutes.\n"
        "The Kremlin\u00a0said\u202fthe talks were \u201cfrank\u201d.\u00a0\n"
    ).encode(),
    "hard_rtl": (
        "\u05d4\u05e0\u05e9\u05d9\u05d0 \u05d3\u05d9\u05d1\u05e8 \u05e2\u05dd "
        "Biden \u05d1\u05d8\u05dc\u05e4\u05d5\u05df.\n"
        "\u0642\u0627\u0644 \u0627\u0644\u0643\u0631\u0645\u0644\u064a\u0646 \u0625\u0646 "
        "\u0627\u0644\u0645\u0643\u0627\u0644\u0645\u0629 \u0643\u0627\u0646\u062a "
        "\u062c\u064a\u062f\u0629.\n"
        "Mixed \u202bembedded \u05e2\u05d1\u05e8\u05d9\u05ea\u202c text.\n"
    ).encode(),
    "hard_cjk": (
        "普京与拜登通话五十分钟。克里姆林宫表示会谈坦诚。"
        "双方同意一月在日内瓦举行谈判。\n"
        "ロシアと米国の首脳は電話で協議した。𠮷野家の前で記者が待った。\n"
    ).encode(),
}


def write_hard_texts(folder: Path) -> Path:
    """Write every hard text to ``folder`` as ``<name>.txt`` (bytes as given) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in HARD_TEXTS.items():
        (folder / f"{name}.txt").write_bytes(raw)
    return folder
