"""Undo/redo, as the app uses it (History + apply on a real Store), against a plain in-memory
model: any sequence of add, delete, retag, note, resize, undo and redo leaves the store on disk
exactly as the model says."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from tui.config import DEFAULT_TAGS
from tui.corpus import load_corpus
from tui.history import Change, History, apply
from tui.model import Annotation, Span
from tui.sentences import sentence_spans, word_spans
from tui.store import Store

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
ARTICLE = load_corpus([SEEDS]).get("002_a34abba263e9470d")
SENTENCES = sentence_spans(ARTICLE.text, ARTICLE.boilerplate)
WORDS = word_spans(ARTICLE.text)
TAGS = [tag.name for tag in DEFAULT_TAGS]

Record = tuple[str, int, int, str]  # tag, start, end, note


class UndoRedoMachine(RuleBasedStateMachine):
    """The model keeps the expected annotations and its own undo/redo stacks of snapshots."""

    @initialize()
    def setup(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="newsmark-history-"))
        self.store = Store(self.folder, annotator="machine")
        self.history = History()
        self.model: dict[str, Record] = {}
        self.undo_stack: list[dict[str, Record]] = []
        self.redo_stack: list[dict[str, Record]] = []
        self.counter = 0

    def teardown(self) -> None:
        shutil.rmtree(getattr(self, "folder", ""), ignore_errors=True)

    def _do(self, change: Change) -> None:
        apply(self.store, change)
        self.history.record(change)
        self.undo_stack.append(dict(self.model))
        self.redo_stack.clear()

    def _current(self, annotation_id: str) -> Annotation:
        found = self.store.get(ARTICLE.id, annotation_id)
        assert found is not None
        return found

    @rule(index=st.integers(0, len(SENTENCES) - 1), tag=st.sampled_from(TAGS),
          note=st.text(max_size=8))
    def add(self, index: int, tag: str, note: str) -> None:
        annotation = Annotation.new(ARTICLE, SENTENCES[index], tag, annotator="machine",
                                    note=note)
        self._do(Change(None, annotation, "add"))
        self.model[annotation.id] = (tag, annotation.start, annotation.end, note)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        annotation_id = data.draw(st.sampled_from(sorted(self.model)))
        self._do(Change(self._current(annotation_id), None, "delete"))
        del self.model[annotation_id]

    @precondition(lambda self: self.model)
    @rule(data=st.data(), tag=st.sampled_from(TAGS))
    def retag(self, data: st.DataObject, tag: str) -> None:
        annotation_id = data.draw(st.sampled_from(sorted(self.model)))
        before = self._current(annotation_id)
        self._do(Change(before, before.changed(tag=tag), "retag"))
        _, start, end, note = self.model[annotation_id]
        self.model[annotation_id] = (tag, start, end, note)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), note=st.text(max_size=12))
    def edit_note(self, data: st.DataObject, note: str) -> None:
        annotation_id = data.draw(st.sampled_from(sorted(self.model)))
        before = self._current(annotation_id)
        self._do(Change(before, before.changed(note=note), "note"))
        tag, start, end, _ = self.model[annotation_id]
        self.model[annotation_id] = (tag, start, end, note)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), word=st.integers(0, len(WORDS) - 1))
    def resize(self, data: st.DataObject, word: int) -> None:
        annotation_id = data.draw(st.sampled_from(sorted(self.model)))
        before = self._current(annotation_id)
        span = Span(WORDS[word].start, WORDS[word].end)
        after = before.changed(start=span.start, end=span.end,
                               text=ARTICLE.text[span.start : span.end])
        self._do(Change(before, after, "resize"))
        tag, _, _, note = self.model[annotation_id]
        self.model[annotation_id] = (tag, span.start, span.end, note)

    @precondition(lambda self: self.undo_stack)
    @rule()
    def undo(self) -> None:
        change = self.history.next_undo()
        assert change is not None
        apply(self.store, change.inverse())
        self.history.undone()
        self.redo_stack.append(dict(self.model))
        self.model = self.undo_stack.pop()

    @precondition(lambda self: self.redo_stack)
    @rule()
    def redo(self) -> None:
        change = self.history.next_redo()
        assert change is not None
        apply(self.store, change)
        self.history.redone()
        self.undo_stack.append(dict(self.model))
        self.model = self.redo_stack.pop()

    @invariant()
    def store_matches_model(self) -> None:
        if not hasattr(self, "store"):
            return
        on_disk = {
            a.id: (a.tag, a.start, a.end, a.note)
            for a in Store(self.folder, annotator="observer").annotations(ARTICLE.id)
        }
        assert on_disk == self.model
        for annotation in Store(self.folder, annotator="observer").annotations(ARTICLE.id):
            assert ARTICLE.text[annotation.start : annotation.end] == annotation.text
        assert (self.history.next_undo() is None) == (not self.undo_stack)
        assert (self.history.next_redo() is None) == (not self.redo_stack)


UndoRedoMachine.TestCase.settings = settings(
    max_examples=40, stateful_step_count=25, deadline=None
)
TestUndoRedo = UndoRedoMachine.TestCase
