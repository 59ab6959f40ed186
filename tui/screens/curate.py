"""The curation screen (``C``): the open article's disagreements, one at a time, with every
annotator's version side by side, taken into the curated set (``gold``) one decision at a time.

``h``/``l`` choose a version, ``t`` takes it, ``b`` takes both (every version's passages),
``x`` takes neither; ``j``/``k`` walk the disagreements, ``u`` undoes. Each decision is one
write of the curated set's shard through the session (:meth:`tui.session.Session.curate`),
made as :mod:`tui.adjudicate` makes curated annotations (``adjudicated_from`` the annotators who
had the passage), so it is an ordinary change: ``u`` undoes it here or in the reader, and
``newsmark adjudicate`` run again keeps it (a person's decision is later than its sources).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ..agree import Disagreement, disagreements
from ..bindings import bindings
from ..editing import shorten
from ..layout import display_text
from ..model import Annotation, Article, Span
from ..session import Outcome, Session
from ..store import StoreError
from ..styles import Looks
from ..team import DEFAULT_CURATED, DONE, STATUS, STATUS_ID
from ..widgets.status_line import StatusLine

#: Characters of context shown either side of the disputed passage.
CONTEXT = 80
#: Quote marks a passage may begin or end with (not doubled by the quotes around it).
QUOTE_MARKS = "“”\"'‘’«»"

Passage = tuple[int, int, str]


@dataclass
class Curation:
    """What the screen walks: the open article, the curated set it writes, the annotators
    whose versions it shows, and their disagreements in text order."""

    article: Article
    target: str
    sources: list[str]
    disagreements: list[Disagreement]


def curation(session: Session) -> tuple[Curation | None, str]:
    """The open article's disagreements among its annotators (curated sets aside), or None
    and why there is nothing to curate."""
    article = session.article
    if article is None:
        return None, "Open an article first: curation works on one article."
    every = [a for a in session.all_annotations if a.anchor != "orphan"]
    curated = set(session.curated) | {a.annotator for a in every if a.adjudicated_from}
    names = {a.annotator for a in every if a.annotator not in curated}
    try:
        names |= {r["annotator"] for r in session.store.records(article.id, STATUS)
                  if r.get("id") == STATUS_ID and r.get("state") == DONE
                  and r["annotator"] not in curated}
    except StoreError as error:
        return None, str(error)
    here = sorted(curated & {a.annotator for a in every})
    target = here[0] if here else (sorted(curated)[0] if len(curated) == 1 else DEFAULT_CURATED)
    sources = sorted(names - {target})
    if target in names:
        return None, (f"{target} has work of their own here, so it cannot be the curated set; "
                      "`newsmark adjudicate --into NAME` makes one under another name.")
    if len(sources) < 2:
        who = ", ".join(sources) or "nobody"
        return None, (f"Curation needs two annotators' work in this article; {who} tagged it "
                      "(or marked it done).")
    spans: dict[str, list[Annotation]] = {name: [] for name in sources}
    for annotation in every:
        if annotation.annotator in spans:
            spans[annotation.annotator].append(annotation)
    found = sorted(disagreements(article, spans), key=lambda d: (d.start, -d.end))
    if not found:
        return None, (f"{', '.join(sources)} agree on every passage of this article: nothing "
                      f"to curate (`newsmark adjudicate --into {target}` takes it as it is).")
    return Curation(article, target, sources, found), ""


def _passages(versions: tuple[tuple[str, int, int, str], ...]) -> list[Passage]:
    return [(start, end, tag) for tag, start, end, _ in versions]


class CurateScreen(ModalScreen[Span | None]):
    """One disagreement at a time; dismisses with the passage to show in the reader, or
    None."""

    BINDINGS = bindings("curate")

    DEFAULT_CSS = """
    CurateScreen {
        layout: vertical;
        background: $background;
    }
    CurateScreen > #curate-title {
        height: 1;
        padding: 0 1;
        text-style: bold;
    }
    CurateScreen > #curate-box {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    CurateScreen > StatusLine {
        height: 1;
    }
    """

    def __init__(self, session: Session, looks: Looks, work: Curation) -> None:
        super().__init__()
        self.session = session
        self.looks = looks
        self.work = work
        self.index = 0
        """The disagreement shown."""
        self.column = 0
        """The version chosen (an index into the sources)."""

    def compose(self) -> ComposeResult:
        yield Static(id="curate-title")
        with VerticalScroll(id="curate-box"):
            yield Static(id="curate-body")
        yield StatusLine(id="curate-status")
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    @property
    def disagreement(self) -> Disagreement:
        """The disagreement shown."""
        return self.work.disagreements[self.index]

    # ----------------------------------------------------------------- what it shows

    def _curated_here(self) -> list[Annotation]:
        found = self.disagreement
        return [a for a in self.session.all_annotations
                if a.annotator == self.work.target and a.start < found.end
                and found.start < a.end]

    def decision(self) -> str:
        """What the curated set holds for the disagreement shown, in words."""
        found = self.disagreement
        held = sorted((a.start, a.end, a.tag) for a in self._curated_here())
        if not held:
            return "nothing here"
        same = [name for name in self.work.sources
                if sorted(_passages(found.versions.get(name, ()))) == held]
        if same:
            return " and ".join(same) + "'s version"
        union = sorted(set(p for name in self.work.sources
                           for p in _passages(found.versions.get(name, ()))))
        if held == union:
            return "both (every version)"
        return "a version of its own"

    def _show(self) -> None:
        work, found = self.work, self.disagreement
        article = work.article
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"Curating {display_text(work.target)} · ")
        title.append(f"{self.index + 1} of {len(work.disagreements)} · {found.kind} "
                     f"(cost {found.cost}) · ")
        title.append(display_text(article.title or article.id), style="dim")
        self.query_one("#curate-title", Static).update(title)
        self.query_one("#curate-body", Static).update(self._body())

    def _body(self) -> Group:
        work, found, looks = self.work, self.disagreement, self.looks
        text = work.article.text
        passage = Text()
        before = text[max(0, found.start - CONTEXT):found.start]
        after = text[found.end:found.end + CONTEXT]
        # Whitespace folded to single spaces, and kept only where the text has it.
        lead = " " if before[-1:].isspace() else ""
        trail = " " if after[:1].isspace() else ""
        passage.append("…" + display_text(" ".join(before.split())) + lead, style="dim")
        passage.append(display_text(" ".join(text[found.start:found.end].split())),
                       style="bold")
        passage.append(trail + display_text(" ".join(after.split())) + "…", style="dim")
        table = Table(expand=True, show_lines=False, padding=(0, 1), show_edge=True)
        for number, name in enumerate(work.sources):
            chosen = number == self.column
            header = Text(f"{'▶ ' if chosen else ''}{display_text(name)}",
                          style="reverse bold" if chosen else "bold")
            table.add_column(header, ratio=1, overflow="fold")
        cells = []
        for name in work.sources:
            versions = found.versions.get(name, ())
            cell = Text()
            if not versions:
                cell.append("nothing here", style="dim")
            for number, (tag, start, end, _) in enumerate(versions):
                if number:
                    cell.append("\n\n")
                cell.append(*looks.chip(tag))
                cell.append(f" {display_text(tag)}", style="bold")
                cell.append(f"  {start}–{end}\n", style="dim")
                quote = text[start:end].strip(QUOTE_MARKS)
                cell.append("“" + display_text(shorten(quote, 160)) + "”", style=looks.tag(tag))
            cells.append(cell)
        table.add_row(*cells)
        state = Text()
        state.append(f"{display_text(work.target)}: ", style="bold")
        state.append(self.decision())
        keys = Text("t take the chosen version · b both · x neither · h/l choose · "
                    "j/k next/previous · u undo · enter show in the reader", style="dim")
        return Group(passage, Text(""), table, state, keys)

    def _say(self, outcome: Outcome) -> None:
        if outcome.message or outcome.error:
            self.query_one(StatusLine).say(outcome.message, error=outcome.error)
        self._show()

    # ----------------------------------------------------------------- keys

    def action_step(self, direction: int) -> None:
        """The next (1) or previous (-1) disagreement."""
        index = self.index + int(direction)
        if not 0 <= index < len(self.work.disagreements):
            self.query_one(StatusLine).say("No more disagreements that way.")
            return
        self.index = index
        self._show()

    def action_choose(self, direction: int) -> None:
        """Choose the next (1) or previous (-1) annotator's version."""
        self.column = (self.column + int(direction)) % len(self.work.sources)
        self._show()

    def _decide(self, passages: list[Passage], words: str) -> None:
        found = self.disagreement
        self._say(self.session.curate(self.work.target, Span(found.start, found.end),
                                      passages, self.work.sources, words))

    def action_take(self) -> None:
        """Take the chosen annotator's version."""
        name = self.work.sources[self.column]
        self._decide(_passages(self.disagreement.versions.get(name, ())),
                     f"took {name}'s version")

    def action_both(self) -> None:
        """Take every version's passages."""
        found = self.disagreement
        union = [p for name in self.work.sources for p in _passages(found.versions.get(name, ()))]
        self._decide(list(dict.fromkeys(union)), "took every version")

    def action_drop(self) -> None:
        """Take none: the curated set has nothing there."""
        self._decide([], "took neither")

    def action_undo(self) -> None:
        """Undo the last change of the session."""
        self._say(self.session.undo())

    def action_redo(self) -> None:
        """Redo what was undone."""
        self._say(self.session.redo())

    def action_open(self) -> None:
        """Show the passage in the reader."""
        found = self.disagreement
        self.dismiss(Span(found.start, found.end))

    def action_close(self) -> None:
        """Back to the reader."""
        self.dismiss(None)
