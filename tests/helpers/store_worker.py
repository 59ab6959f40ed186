"""A child process for the store torture tests. Imports only ``tui.store`` and ``tui.model``.

Usage: ``store_worker.py MODE ROOT ARTICLE_ID ANNOTATOR [ARG]``

Modes:

``burst N GO``
    print ``READY``, wait until the file ``GO`` exists, add ``N`` annotations as fast as it can.
``loop``
    print ``READY``, then add annotations until killed.
``hold SECONDS``
    hold the shard's lock for ``SECONDS`` (printing ``LOCKED``), then release it and exit.
``term-mid-write``
    install a SIGTERM handler that raises ``SystemExit(7)`` (the naive kind), then send itself
    SIGTERM from inside the write (at the temp file's fsync) and see the write through.
``term-cooperative``
    install a SIGTERM handler that only sets a flag (what the app does), add in a loop and
    stop cleanly after the add in progress, exiting 0.
``sections N GO``
    like ``burst``, but steps cycle through an annotation and a record in each section
    (``put_record``); every fifth step replaces a record written four steps before.
``sections-loop``
    print ``READY``, then do the steps of ``sections`` until killed.

After each ``add`` returns, the child prints the annotation's id on its own line and flushes:
that line is the acknowledgement the tests rely on. After a ``put_record`` it prints
``SECTION:ID:N`` (the record's section, id and its ``n`` value).
"""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import tui.store  # noqa: E402
from tui.model import Annotation  # noqa: E402
from tui.store import Store  # noqa: E402


def make(article_id: str, annotator: str, number: int) -> Annotation:
    start = (number * 7) % 5000
    return Annotation(
        id=f"{annotator}-{os.getpid()}-{number}-{uuid.uuid4().hex[:8]}",
        article_id=article_id,
        start=start,
        end=start + 1 + number % 40,
        tag=("claim", "threat", "denial", "schedule")[number % 4],
        text="x" * (1 + number % 40),
        prefix="before “quote” ",
        suffix=" after",
        annotator=annotator,
        created="2021-12-30T12:00:00.000Z",
        modified="2021-12-30T12:00:00.000Z",
    )


def section_step(store: Store, article_id: str, annotator: str, number: int) -> str:
    """One write of the ``sections`` modes; returns its acknowledgement line."""
    if number % 4 == 0:
        annotation = make(article_id, annotator, number)
        store.add(annotation)
        return annotation.id
    section = tui.store.SECTIONS[number % 4 - 1]
    # Every fifth write replaces this process's record of four steps before (same section).
    target = number - 4 if number % 5 == 0 and number >= 4 else number
    record_id = f"{annotator}-{os.getpid()}-{target}"
    store.put_record(article_id, section, {"id": record_id, "n": number, "score": number / 7,
                                           "done": number % 2 == 0, "note": "“x”"})
    return f"{section}:{record_id}:{number}"


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> int:
    mode, root, article_id, annotator, *rest = sys.argv[1:]
    store = Store(root, annotator=annotator)
    if mode == "burst":
        count, go = int(rest[0]), Path(rest[1])
        say("READY")
        while not go.exists():
            time.sleep(0.001)
        for number in range(count):
            annotation = make(article_id, annotator, number)
            store.add(annotation)
            say(annotation.id)
        return 0
    if mode == "sections":
        count, go = int(rest[0]), Path(rest[1])
        say("READY")
        while not go.exists():
            time.sleep(0.001)
        for number in range(count):
            say(section_step(store, article_id, annotator, number))
        return 0
    if mode == "sections-loop":
        say("READY")
        number = 0
        while True:
            say(section_step(store, article_id, annotator, number))
            number += 1
    if mode == "loop":
        say("READY")
        number = 0
        while True:
            annotation = make(article_id, annotator, number)
            store.add(annotation)
            say(annotation.id)
            number += 1
    if mode == "hold":
        path = store.shard_path(article_id, annotator)
        path.parent.mkdir(parents=True, exist_ok=True)
        with tui.store._exclusive_lock(store._lock_path(path), 10):
            say("LOCKED")
            time.sleep(float(rest[0]))
        return 0
    if mode == "term-mid-write":

        def naive(signum: int, frame: object) -> None:
            raise SystemExit(7)

        store.add(make(article_id, annotator, 999))  # folders exist: the next fsync is the write's
        signal.signal(signal.SIGTERM, naive)
        real_fsync = os.fsync
        fired = []

        def fsync_then_terminated(fd: int) -> None:
            # Deliver a real SIGTERM at the worst moment: the temp file is written, not renamed.
            if not fired:
                fired.append(fd)
                os.kill(os.getpid(), signal.SIGTERM)
            real_fsync(fd)

        os.fsync = fsync_then_terminated
        annotation = make(article_id, annotator, 0)
        say(f"WRITING {annotation.id}")
        store.add(annotation)
        say("RETURNED")  # not reached: the handler runs once the write is complete
        return 0
    if mode == "term-cooperative":
        stop = []
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.append(signum))
        say("READY")
        number = 0
        while not stop:
            annotation = make(article_id, annotator, number)
            store.add(annotation)
            say(annotation.id)
            number += 1
        store.wait_idle()
        say("STOPPED")
        return 0
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main())
