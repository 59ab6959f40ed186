"""The session, with no terminal: the one owner of the open article's state, on a real store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tui.config import Config
from tui.corpus import load_corpus
from tui.model import Annotation, Span
from tui.sentences import sentence_spans
from tui.session import Outcome, Session
from tui.store import Store

A000 = "000_459b4affb575bcd9"
A002 = "002_a34abba263e9470d"


@pytest.fixture
def session(seeds: Path, store_dir: Path) -> Session:
    session = Session(load_corpus([seeds]), Store(store_dir, annotator="tester"),
                      config=Config(), annotator="tester")
    assert session.open(A002).ok
    return session


def on_disk(store_dir: Path, article_id: str = A002) -> list[tuple[str, str, str]]:
    annotations = Store(store_dir, annotator="someone-else").annotations(article_id)
    return sorted((a.tag, a.text, a.note) for a in annotations)


def sentence(session: Session, containing: str) -> Span:
    article = session.article
    assert article is not None
    return next(s for s in sentence_spans(article.text, article.boilerplate)
                if containing in article.text[s.start : s.end])


def test_the_session_module_does_not_import_textual() -> None:
    code = ("import sys, tui.session; "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'textual']")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_tag_then_the_same_tag_again_untags(session: Session, store_dir: Path) -> None:
    span = sentence(session, "Ushakov said")
    quote = session.article.text[span.start : span.end]
    tagged = session.tag(span, "claim")
    assert tagged.ok and tagged.changed == (A002,) and "— saved." in tagged.message
    assert tagged.select is not None and tagged.select.span == span
    assert on_disk(store_dir) == [("claim", quote, "")]
    assert [a.tag for a in session.annotations] == ["claim"]
    untagged = session.tag(span, "claim")
    assert untagged.ok and untagged.message.startswith("Removed claim")
    assert on_disk(store_dir) == [] and session.annotations == []


def test_unknown_tag_changes_nothing(session: Session, store_dir: Path) -> None:
    outcome = session.tag(sentence(session, "Ushakov said"), "rumour")
    assert outcome.error and "Unknown tag" in outcome.message
    assert on_disk(store_dir) == []


def test_status_words_never_double_a_quote_mark(session: Session) -> None:
    span = sentence(session, "This is what we are working for")
    assert session.article.text[span.start] == "“"
    message = session.tag(span, "claim").message
    assert "““" not in message and "”””" not in message and "“This is what" in message


def test_the_target_of_a_key(session: Session) -> None:
    outer = sentence(session, "She said Biden warned")
    inner_start = session.article.text.index("respond decisively", outer.start)
    inner = Span(inner_start, inner_start + len("respond decisively"))
    claim = session.tag(outer, "claim").select
    threat = session.tag(inner, "threat").select
    assert claim is not None and threat is not None
    # Exactly selected, the innermost holding the start, the picked one when it touches.
    assert session.target(inner) == threat
    assert session.target(Span(inner.start, inner.start + 3)) == threat
    assert session.target(outer) == claim
    assert session.target(Span(inner.start, inner.start + 3), active_id=claim.id) == claim
    assert session.target(Span(0, 3)) is None
    assert session.untag(session.target(inner)).message.startswith("Removed threat")


def test_a_note_for_the_next_tag_goes_on_it(session: Session, store_dir: Path) -> None:
    assert session.note(None, "  typed first ").message.startswith("The note will go")
    span = sentence(session, "Ushakov said")
    outcome = session.tag(span, "denial")
    assert "with its note" in outcome.message
    assert on_disk(store_dir)[0][2] == "typed first" and session.pending_note == ""
    assert session.note(outcome.select, None).message == "Note unchanged."
    assert session.note(outcome.select, "typed first").message == "Note unchanged."
    assert session.note(outcome.select, "changed").ok
    assert on_disk(store_dir)[0][2] == "changed"


def test_retag_resize_undo_redo_on_disk(session: Session, store_dir: Path) -> None:
    span = sentence(session, "Ushakov said")
    annotation = session.tag(span, "claim").select
    states = [on_disk(store_dir)]
    session.retag(annotation, "threat")
    states.append(on_disk(store_dir))
    shorter = Span(span.start, span.start + 7)
    assert session.resize(session.annotation(annotation.id), shorter).ok
    states.append(on_disk(store_dir))
    assert states[1][0][0] == "threat" and states[2][0][1] == session.article.text[
        shorter.start : shorter.end]
    for expected in reversed(states[:-1]):
        assert session.undo().message.startswith("Undid")
        assert on_disk(store_dir) == expected
    assert session.undo().message.startswith("Undid adding")
    assert on_disk(store_dir) == []
    assert session.undo().message == "Nothing to undo."
    for expected in states:
        assert session.redo().message.startswith("Redid")
        assert on_disk(store_dir) == expected
    assert session.redo().message == "Nothing to redo."


def test_undo_across_articles_and_propagate(session: Session, store_dir: Path) -> None:
    session.tag(sentence(session, "Ushakov said"), "claim")
    other = session.corpus.get(A000)
    propagated = session.propagate(A000, Span(0, 10), "threat")
    assert propagated.ok and propagated.changed == (A000,)
    assert on_disk(store_dir, A000) == [("threat", other.text[:10], "")]
    undone = session.undo()
    assert undone.changed == (A000,) and undone.select.article_id == A000
    assert on_disk(store_dir, A000) == []
    assert len(on_disk(store_dir, A002)) == 1


def test_every_change_is_told_to_the_listeners(session: Session) -> None:
    heard: list[Outcome] = []
    session.subscribe(heard.append)
    span = sentence(session, "Ushakov said")
    session.tag(span, "claim")
    session.tag(Span(span.start, span.start + 1), "rumour")  # refused: not told
    session.undo()
    assert [o.message.split()[0] for o in heard] == ["Tagged", "Undid"]


def test_changes_by_another_process_are_read_back(session: Session, store_dir: Path,
                                                  tmp_path: Path) -> None:
    assert session.reload_if_changed() is None
    theirs = Annotation.new(session.article, Span(10, 20), "threat", annotator="colleague")
    record = tmp_path / "theirs.json"
    record.write_text(json.dumps(theirs.to_dict()), encoding="utf-8")
    script = ("import json, sys; from tui.model import Annotation; from tui.store import Store; "
              "Store(sys.argv[1], annotator='colleague').add("
              "Annotation.from_dict(json.load(open(sys.argv[2]))))")
    subprocess.run([sys.executable, "-c", script, str(store_dir), str(record)], check=True,
                   cwd=Path(__file__).resolve().parent.parent)
    outcome = session.reload_if_changed()
    assert outcome is not None and outcome.changed == (A002,)
    assert [a.id for a in session.annotations] == [theirs.id]


def test_a_damaged_shard_is_never_written(session: Session, store_dir: Path) -> None:
    span = sentence(session, "Ushakov said")
    session.tag(span, "claim")
    (shard,) = list(store_dir.rglob("*.json"))
    shard.write_bytes(b'{"schema": 1, "annot')
    before = shard.read_bytes()
    opened = session.open(A002)
    assert opened.error and str(shard) in opened.message
    refused = session.tag(span, "threat")
    assert refused.error and str(shard) in refused.message
    assert shard.read_bytes() == before
    assert session.open(A000).ok and session.tag(Span(0, 4), "claim").ok


def test_a_store_that_cannot_be_written_is_read_only(seeds: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    session = Session(load_corpus([seeds]), Store(blocker / "store", annotator="t"),
                      annotator="t")
    assert session.read_only and "Read-only" in session.read_only
    session.open(A002)
    outcome = session.tag(Span(0, 4), "claim")
    assert outcome.error and outcome.message == session.read_only
    assert blocker.read_text() == "not a folder"


def test_shorten_cuts_at_a_word_when_it_can() -> None:
    from tui.editing import shorten

    assert shorten("Putin happy with results of Biden security call", 30) == \
        "Putin happy with results of…"
    assert shorten("Unprecedented", 8) == "Unprece…"  # no space: mid-word
    assert shorten("a  b\n c", 48) == "a b c"
    assert all(len(shorten("word " * 40, width)) <= width for width in range(2, 60))


def test_a_waiting_link_is_made_on_the_selection_and_undone(session: Session,
                                                           store_dir: Path) -> None:
    from tui.links import links_of

    session.open(A002)
    session.tag(sentence(session, "respond decisively"), "threat")
    (passage,) = session.annotations
    other = "003_9b9a3ba666ff02ad"
    # Nothing waits yet.
    assert "No link is waiting" in session.link_here(Span(0, 10)).message
    session.open(other)
    said = session.start_link(passage, other, name="NYT")
    assert "press L to link it" in said.message and session.pending_link is not None
    assert session.link_here(None).error  # no selection: it keeps waiting
    assert session.pending_link is not None
    target = sentence(session, "extraordinary consequences")
    outcome = session.link_here(target)
    assert outcome.ok and "Confirmed: NYT carries" in outcome.message
    assert session.pending_link is None
    (link,) = links_of(session.store, session.corpus.get(other))
    assert link.confirmed and link.span == target and link.annotation_id == passage.id
    assert "Undid confirming" in session.undo().message
    assert links_of(session.store, session.corpus.get(other)) == []
    # Waiting, then another article opened: dropped; cancel says so once.
    session.start_link(passage, other)
    assert session.cancel_link() is not None and session.cancel_link() is None
    session.start_link(passage, other)
    session.open(A002)
    assert session.pending_link is None
    # A link to the article the passage was tagged in waits for nothing.
    assert session.start_link(passage, A002).message == "" and session.pending_link is None
