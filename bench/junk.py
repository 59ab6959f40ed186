"""Junk under the sentence cursor: how many selectable sentences are boilerplate, before and
after a change to the boilerplate rules, on the seeds and on a second set (bench/corpora/).

    python bench/junk.py                 # this checkout against the commit before issue 14
    python bench/junk.py --before REV    # against another commit

Each article's junk is labelled by hand in ``bench/corpora/seeds-junk.json`` and
``bench/corpora/second/junk.json``: one entry per junk line, as it reads stripped (``@2``: only
its second copy; ``X…``: the line that starts with X; ``^X``: only the head X of a line, a date
glued to prose). A selectable sentence (:func:`tui.sentences.sentence_spans` outside the
boilerplate) is *junk* if it holds a character of a labelled region; a prose line is *lost* if
any of it is dimmed although no label covers it (a false alarm).

"Before" runs the older commit's own ``tui`` package (``git archive`` into a temporary folder)
on the same files. What it could not open at all is said so: it listed no ``.html`` or dumps, so
each dump record is given to it as a ``.txt`` (what an analyst had to make by hand) and a page is
given as its raw HTML.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "bench" / "corpora"
#: Each set: its folder, its labels and the --field options its dumps need.
SETS: dict[str, tuple[Path, Path, dict[str, str]]] = {
    "seeds": (ROOT / "seeds", CORPORA / "seeds-junk.json", {}),
    "second": (CORPORA / "second", CORPORA / "second" / "junk.json", {}),
    "third": (CORPORA / "third", CORPORA / "third" / "junk.json",
              {"text": "article_body", "title": "name_of_article", "id": "uid", "date": "pub",
               "outlet": "src", "url": "permalink"}),
}
#: The commit just before issue 14 (boilerplate was whole lines of the known patterns).
BASE = "0d799e4"

# Runs inside a process whose sys.path starts with the tui package measured: prints, per
# article, the text, the selectable sentences and the boilerplate spans.
_PROBE = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from tui.corpus import load_corpus, load_article
from tui.sentences import sentence_spans
out = {}
for given in json.loads(sys.argv[2]):
    path = Path(given["path"])
    if given.get("as_text"):
        articles = [load_article(path, given["id"])]
    elif given.get("fields"):
        articles = list(load_corpus([path], fields=given["fields"]))
    else:
        articles = list(load_corpus([path]))
    for article in articles:
        text = getattr(article, "plain", article.text)
        out[given.get("id") or article.id] = {
            "text": article.text,
            "sentences": [[s.start, s.end] for s in sentence_spans(text, article.boilerplate)],
            "boilerplate": [[s.start, s.end] for s in article.boilerplate],
        }
print(json.dumps(out))
"""


def regions(text: str, labels: list[str]) -> list[tuple[int, int]]:
    """The junk regions of ``text`` named by ``labels`` (see the module docstring)."""
    lines: list[tuple[int, int, str]] = []
    start = 0
    for line in text.split("\n"):
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        lines.append((start + lead, start + lead + len(stripped), stripped))
        start += len(line) + 1
    found: list[tuple[int, int]] = []
    for label in labels:
        copy = None
        if "@" in label and label.rsplit("@", 1)[1].isdigit():
            label, number = label.rsplit("@", 1)
            copy = int(number)
        seen = 0
        for line_start, line_end, stripped in lines:
            if label.startswith("^"):
                hit = stripped.startswith(label[1:])
                span = (line_start, line_start + len(label) - 1)
            elif label.endswith("…"):
                hit = stripped.startswith(label[:-1])
                span = (line_start, line_end)
            else:
                hit = stripped == label
                span = (line_start, line_end)
            if hit:
                seen += 1
                if copy is None or seen == copy:
                    found.append(span)
    return found


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score(probe: dict, labels: dict[str, list[str]]) -> dict[str, int]:
    """Totals over a set: selectable sentences, junk ones, prose lines dimmed, unlabelled."""
    total = junk = lost = 0
    for article_id, seen in probe.items():
        junk_regions = regions(seen["text"], labels.get(article_id, []))
        for sentence in seen["sentences"]:
            total += 1
            junk += any(overlaps(tuple(sentence), r) for r in junk_regions)
        # A prose line dimmed: boilerplate on a line with no junk label.
        start = 0
        for line in seen["text"].split("\n"):
            span = (start, start + len(line))
            start += len(line) + 1
            if not line.strip() or any(overlaps(span, r) for r in junk_regions):
                continue
            lost += any(overlaps(span, tuple(b)) for b in seen["boilerplate"])
    return {"sentences": total, "junk": junk, "lost": lost}


def probe(tui_root: Path, given: list[dict]) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, str(tui_root), json.dumps(given)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def inputs(folder: Path, old: bool, scratch: Path,
           fields: dict[str, str]) -> tuple[list[dict], list[str]]:
    """What to give a newsmark: the folder (new), or for the old one each file it can read
    and each dump record as a .txt; with notes on what it could not read."""
    if not old:
        return [{"path": str(folder), "fields": fields}], []
    given, notes = [], []
    for path in sorted(folder.iterdir()):
        if path.name.endswith(".json") and not path.name.endswith(".jsonl"):
            continue
        if path.suffix in (".txt", ".md"):
            given.append({"path": str(path), "id": path.stem, "as_text": True})
        elif path.suffix == ".html":
            notes.append(f"{path.name}: not listed (given by name: its raw HTML as text)")
            given.append({"path": str(path), "id": path.stem, "as_text": True})
        elif path.suffix == ".jsonl":
            sys.path.insert(0, str(ROOT))
            from tui.corpus import load_corpus

            corpus = load_corpus([path], fields=fields)
            notes.append(f"{path.name}: not readable; its {len(corpus)} records given as .txt")
            for article in corpus:
                made = scratch / f"{article.id}.txt"
                made.write_text(article.text, "utf-8")
                given.append({"path": str(made), "id": article.id, "as_text": True})
    return given, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default=BASE, help=f"the commit to compare with ({BASE})")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        old_root = Path(tmp) / "before"
        old_root.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before, "tui"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(old_root)], input=archive, check=True)
        print("| set | version | selectable sentences | junk among them | prose lines dimmed |")
        print("| --- | --- | ---: | ---: | ---: |")
        notes_all: list[str] = []
        for name, (folder, labels_path, fields) in SETS.items():
            labels = json.loads(labels_path.read_text("utf-8"))
            for version, root, old in (("before", old_root, True), ("after", ROOT, False)):
                scratch = Path(tmp) / f"{name}-{version}"
                scratch.mkdir()
                given, notes = inputs(folder, old, scratch, fields)
                notes_all += [f"{name} {version}: {note}" for note in notes]
                result = score(probe(root, given), labels)
                print(f"| {name} | {version} | {result['sentences']} | {result['junk']} | "
                      f"{result['lost']} |")
        for note in notes_all:
            print(f"\n- {note}", end="")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
