"""Saved web pages: the main text without page furniture, the page's own metadata, a
deterministic extraction kept in a cache, and tags that survive a reload (real trafilatura, real
files, a real store)."""

from __future__ import annotations

import html
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui import pages
from tui.anchoring import reanchor
from tui.corpus import CorpusError, load_article, load_corpus
from tui.model import Annotation, Span
from tui.pages import ExtractionCache, extract_page
from tui.store import Store

PARAGRAPHS = [
    "Russian President Vladimir Putin and US President Joe Biden spoke for 50 minutes on "
    "Thursday, the Kremlin said, in their second call this month.",
    "Bilateral talks will start in Geneva on 9 January, followed by a Russia-NATO Council "
    "meeting in Brussels two days later and talks in Vienna within the OSCE.",
    "“This is what we are working for,” Kremlin aide Yuri Ushakov told reporters. The call "
    "began at 3:35 pm Washington time, according to the White House.",
]
FURNITURE = [
    "Home", "Politics", "Subscribe now", "Share on Facebook", "Share on Twitter",
    "McDonald’s plans to sell its business in Russia", "Oligarch found dead in Moscow",
    "Leave a Reply", "We use cookies", "All rights reserved", "Privacy policy",
]


def page(*, meta: str = "", jsonld: dict | None = None, paragraphs: list[str] = PARAGRAPHS,
         headline: str = "Talks set for Geneva as Biden and Putin speak") -> str:
    """A saved news page with all the furniture real pages carry."""
    ld = (f'<script type="application/ld+json">{json.dumps(jsonld)}</script>'
          if jsonld else "")
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(headline)} | The Daily Ledger</title>{meta}{ld}</head>
<body>
<header><nav class="main-nav"><ul><li><a href="/">Home</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/subscribe">Subscribe now</a></li></ul>
</nav></header>
<div id="cookie-notice" class="cookie-banner">We use cookies to improve your experience.
<button>Accept</button></div>
<main><article>
<h1>{html.escape(headline)}</h1>
<div class="share-bar social"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a>
</div>
{body}
</article>
<aside class="related-posts"><h3>Related posts</h3><ul>
<li><a href="/a">McDonald’s plans to sell its business in Russia</a></li>
<li><a href="/b">Oligarch found dead in Moscow</a></li></ul></aside>
<section id="comments" class="comments"><h3>Leave a Reply</h3>
<form><textarea name="comment"></textarea><button>Post Comment</button></form></section>
</main>
<footer class="site-footer">© 2021 The Daily Ledger. All rights reserved.
<a href="/privacy">Privacy policy</a></footer>
</body></html>"""


META = """
<meta property="og:title" content="Talks set for Geneva as Biden and Putin speak">
<meta property="og:site_name" content="The Daily Ledger">
<meta property="og:url" content="https://ledger.example.com/world/talks-set-for-geneva">
<meta property="article:published_time" content="2021-12-31T04:08:00+00:00">
<meta name="author" content="Jane Reporter">"""

NEWS_ARTICLE = {
    "@context": "https://schema.org", "@type": "NewsArticle",
    "headline": "Kremlin satisfied with Biden call, aide says",
    "datePublished": "2021-12-30T23:50:00Z",
    "author": {"@type": "Person", "name": "Ivan Petrov"},
    "publisher": {"@type": "Organization", "name": "Moscow Wire"},
    "mainEntityOfPage": "https://wire.example.org/kremlin-satisfied",
}


@pytest.fixture
def cache(tmp_path: Path) -> ExtractionCache:
    return ExtractionCache(tmp_path / "pages-cache")


def write(folder: Path, name: str, content: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(content, "utf-8")
    return path


def test_the_text_is_the_article_without_page_furniture(tmp_path: Path,
                                                        cache: ExtractionCache) -> None:
    article = load_article(write(tmp_path, "talks.html", page(meta=META)), pages=cache)
    assert article.kind == "html"
    for paragraph in PARAGRAPHS:
        assert paragraph in article.text
    for junk in FURNITURE:
        assert junk not in article.text, junk
    # One paragraph a line, a blank line between them, as the seeds read.
    assert article.text.split("\n\n")[1:] == PARAGRAPHS


def test_metadata_comes_from_meta_tags(tmp_path: Path, cache: ExtractionCache) -> None:
    article = load_article(write(tmp_path, "talks.html", page(meta=META)), pages=cache)
    assert (article.title, article.outlet, article.date, article.url, article.author) == (
        "Talks set for Geneva as Biden and Putin speak", "The Daily Ledger", "2021-12-31",
        "https://ledger.example.com/world/talks-set-for-geneva", "Jane Reporter")


def test_metadata_comes_from_json_ld_news_article(tmp_path: Path,
                                                  cache: ExtractionCache) -> None:
    path = write(tmp_path, "wire.htm", page(jsonld=NEWS_ARTICLE,
                                            headline="Kremlin satisfied with Biden call"))
    article = load_article(path, pages=cache)
    assert article.title == "Kremlin satisfied with Biden call, aide says"
    assert article.outlet == "Moscow Wire"
    assert article.date == "2021-12-30"
    assert article.author == "Ivan Petrov"


def test_a_sidecar_overrides_the_page(tmp_path: Path, cache: ExtractionCache) -> None:
    path = write(tmp_path, "talks.html", page(meta=META))
    write(tmp_path, "talks.meta.json", json.dumps({"outlet": "Ledger (print)",
                                                   "date": "2022-01-01"}))
    article = load_article(path, pages=cache)
    assert (article.outlet, article.date) == ("Ledger (print)", "2022-01-01")
    assert article.title == "Talks set for Geneva as Biden and Putin speak"


def test_the_extraction_is_deterministic(tmp_path: Path) -> None:
    raw = page(meta=META, jsonld=NEWS_ARTICLE).encode()
    assert len({(extract_page(raw).text, tuple(extract_page(raw).meta.items()))
                for _ in range(3)}) == 1


def test_the_page_is_read_from_the_cache_while_unchanged(tmp_path: Path,
                                                         cache: ExtractionCache) -> None:
    path = write(tmp_path, "talks.html", page(meta=META))
    before = path.read_bytes(), path.stat().st_mtime_ns
    first = load_article(path, pages=cache)
    entries = list(cache.folder.glob("*.json"))
    assert len(entries) == 1
    # What the cache holds is what is read (proved by planting a different text in it) ...
    st = path.stat()
    cache.put(path, st.st_size, st.st_mtime_ns, pages.ExtractedPage("Planted.", first_meta(first)))
    assert load_article(path, pages=cache).text == "Planted."
    # ... until the page changes: then it is extracted again.
    path.write_text(page(meta=META, paragraphs=PARAGRAPHS[:2]), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert load_article(path, pages=cache).text.split("\n\n")[1:] == PARAGRAPHS[:2]
    assert before[0] != path.read_bytes()  # (we changed it; newsmark never writes it)


def first_meta(article) -> dict[str, str]:  # noqa: ANN001 - an Article
    return {"title": article.title, "outlet": article.outlet, "date": article.date,
            "url": article.url, "author": article.author}


def test_a_new_extractor_version_reanchors_the_tags(tmp_path: Path, cache: ExtractionCache,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Tags made on an older extraction (here: one that also kept the share bar) are found
    again in the new text, exactly, as after an edit; one whose passage is gone is an orphan."""
    path = write(tmp_path, "talks.html", page(meta=META))
    st = path.stat()
    current = extract_page(path.read_bytes())
    old_text = current.text.replace(PARAGRAPHS[0], "Share on Facebook\n\n" + PARAGRAPHS[0]) \
        + "\n\nOligarch found dead in Moscow"
    monkeypatch.setattr(pages, "extractor_version", lambda: "trafilatura-0.9+newsmark-0")
    cache.put(path, st.st_size, st.st_mtime_ns, pages.ExtractedPage(old_text, current.meta))
    old = load_article(path, pages=cache)
    assert old.text == old_text
    quote = "Bilateral talks will start in Geneva on 9 January"
    kept = Annotation.new(old, Span(old.text.index(quote), old.text.index(quote) + len(quote)),
                          "schedule", annotator="tester")
    gone = Annotation.new(old, Span(old.text.index("Oligarch"), len(old.text)), "claim",
                          annotator="tester")
    store = Store(tmp_path / "store", annotator="tester")
    store.add(kept)
    store.add(gone)

    monkeypatch.undo()  # the installed trafilatura again: its extraction differs
    new = load_article(path, pages=cache)
    assert new.text == current.text != old.text
    placed = {a.tag: reanchor(a, new) for a in store.annotations(new.id)}
    assert placed["schedule"].anchor == "exact"
    assert new.text[placed["schedule"].start : placed["schedule"].end] == quote
    assert placed["schedule"].start != kept.start  # moved with the text, not left behind
    assert placed["claim"].anchor == "orphan"


def test_an_unreadable_page_is_one_line_and_the_rest_opens(tmp_path: Path) -> None:
    write(tmp_path, "good.html", page(meta=META))
    write(tmp_path, "empty.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (tmp_path / "binary.htm").write_bytes(b"\x00\x01\x02")
    corpus = load_corpus([tmp_path])
    assert corpus.ids == ("good",)
    reasons = {s.path.name: s.reason for s in corpus.skipped}
    assert set(reasons) == {"empty.html", "binary.htm"}
    assert "no article text" in reasons["empty.html"]
    assert all("\n" not in reason for reason in reasons.values())
    with pytest.raises(CorpusError, match="no article text"):
        load_article(tmp_path / "empty.html")


def test_the_page_file_is_never_modified(tmp_path: Path) -> None:
    path = write(tmp_path, "talks.html", page(meta=META))
    before = path.read_bytes(), path.stat().st_mtime_ns
    corpus = load_corpus([tmp_path])
    assert corpus.get("talks") is not None
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


# A sentence of prose: words with the characters real reporting has (accents, curly quotes,
# an ampersand, a non-breaking space, a number).
WORDS = st.sampled_from([
    "Kremlin", "aide", "Ushakov", "said", "talks", "Geneva", "José", "Zürich", "“serious”",
    "NATO’s", "AT&T", "50", "3:35", "de-escalation", "Brussels", "in", "the", "and", "a",
    "Kyiv", "Øresund", "naïve", "2021-12-31", "$5bn", "<b>not", "markup</b>", "[NATO]",
])
SENTENCES = st.lists(WORDS, min_size=6, max_size=18).map(lambda w: " ".join(w) + ".")
PARAGRAPH_LISTS = st.lists(
    st.lists(SENTENCES, min_size=1, max_size=3).map(" ".join), min_size=3, max_size=6)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(paragraphs=PARAGRAPH_LISTS, picks=st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)),
                                                  min_size=1, max_size=5))
def test_every_tag_offset_in_an_extracted_text_holds_its_quote_after_a_reload(
        tmp_path_factory: pytest.TempPathFactory, paragraphs: list[str],
        picks: list[tuple[float, float]]) -> None:
    folder = tmp_path_factory.mktemp("pages")
    write(folder, "story.html", page(meta=META, paragraphs=paragraphs))
    store = Store(folder / "store", annotator="tester")
    article = load_corpus([folder / "story.html"]).get("story")
    assert article is not None
    made = []
    for a, b in picks:
        start, end = sorted((int(a * len(article.text)), int(b * len(article.text))))
        if start == end:
            continue
        annotation = Annotation.new(article, Span(start, end), "claim", annotator="tester")
        store.add(annotation)
        made.append(annotation)
    # A reload: a new corpus, the extraction cache emptied (so the page is extracted again),
    # the annotations read back from disk.
    shutil.rmtree(ExtractionCache().folder, ignore_errors=True)
    again = load_corpus([folder / "story.html"]).get("story")
    assert again is not None and again.sha256 == article.sha256
    for annotation in Store(folder / "store", annotator="tester").annotations("story"):
        assert again.text[annotation.start : annotation.end] == annotation.text
    assert len(made) == len(store.annotations("story"))
