"""Work done away from the caller: over processes for the batch commands (``newsmark
suggest``), and in background threads that stop when asked, for the reader.

**Processes.** A command prepares what every part needs once (the compiled rules), then
forks: each process inherits that state as it is, works through one contiguous run of the
items and sends back its results, while this process works through the first run; the
results come in the items' order. So the output is the same, byte for byte, whatever the
number of processes (``newsmark suggest`` also reads the corpus so: each process indexes a
part, and the parts' indexes are joined into the one a single process builds).

Where a platform cannot fork (or one process is asked for), the work runs in this process.

**Background threads** (:func:`in_background`) are daemon threads, so quitting never waits
for a long computation; their work is handed a ``stopping()`` to check between steps. At exit
every one still running is told to stop and waited for, briefly (:data:`STOP_WAIT`): a
daemon thread still inside compiled C++ code (rapidfuzz's) when the interpreter ends aborts
the process ("FATAL: exception not rethrown", exit code 134).
"""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# A part smaller than this costs more to hand to a process than it saves.
MIN_PER_PROCESS = 16


def available_cores() -> int:
    """The cores this process may run on (its affinity where the platform says)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether work may be forked here: Linux only (macOS can fork, but its system
    libraries are not safe in a forked child, which is why CPython stopped forking there)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def parts(items: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
    """``items`` cut into at most ``jobs`` contiguous runs of near-equal length, none
    shorter than :data:`MIN_PER_PROCESS` (so a few items stay in one run), in order."""
    if jobs < 1:
        raise ValueError("jobs must be 1 or more")
    count = len(items)
    jobs = min(jobs, max(1, count // MIN_PER_PROCESS)) if can_fork() else 1
    size, extra = divmod(count, jobs)
    out: list[Sequence[Item]] = []
    start = 0
    for number in range(jobs):
        end = start + size + (1 if number < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _child(function: Callable[[Sequence[Item]], Result], run: Sequence[Item],
           sender: Connection) -> None:
    try:
        result: tuple[bool, object] = (True, function(run))
    except BaseException as error:  # sent to the parent, which raises it
        result = (False, _Carried(error))
    try:
        sender.send(result)
    except Exception as error:  # (an exception or result that cannot be pickled)
        sender.send((False, RuntimeError(f"a worker process could not send back: {error}")))
    finally:
        sender.close()


class _Carried:
    """An exception on its way from a child to the parent, which unpickles the exception
    itself, of its own class and with its attributes, even when the class's constructor
    takes other arguments than ``args`` (``DamagedFileError(path, message)``), which plain
    pickling would call it with (a TypeError in the parent instead of the one-line message)."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        error = self.error
        return _rebuilt, (type(error), error.args, dict(getattr(error, "__dict__", {})))


def _rebuilt(kind: type[BaseException], args: tuple[object, ...],
             state: dict[str, object]) -> BaseException:
    error = kind.__new__(kind)
    error.args = args
    if state:
        error.__dict__.update(state)
    return error


def ordered_map(function: Callable[[Sequence[Item]], Result],
                runs: Sequence[Sequence[Item]]) -> Iterator[Result]:
    """``function`` of each run, in the runs' order. With several runs, each run but the
    first goes to a process forked for it, and the first is worked through here meanwhile
    (its results need no sending back). An exception raised in a process is raised here;
    the other processes are then stopped."""
    if len(runs) <= 1:
        yield from (function(run) for run in runs)
        return
    context = multiprocessing.get_context("fork")
    # What the parent made so far is the children's to read: frozen, the collector never
    # walks it in them (a walk writes to every object's page, which the fork then copies).
    gc.freeze()
    started: list[tuple[BaseProcess, Connection]] = []
    try:
        for run in runs[1:]:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(function, run, sender),
                                      daemon=True)
            process.start()
            sender.close()
            started.append((process, receiver))
        yield function(runs[0])
        for process, receiver in started:
            try:
                ok, value = receiver.recv()
            except EOFError:
                process.join()
                raise RuntimeError("a worker process ended without its results (exit code "
                                   f"{process.exitcode})") from None
            process.join()
            if not ok:
                raise value  # type: ignore[misc]
            yield value  # type: ignore[misc]
    finally:
        for process, receiver in started:
            receiver.close()
            if process.is_alive():
                process.terminate()
            process.join()  # every one, so none is left a zombie
        gc.unfreeze()


# --------------------------------------------------------------------------- threads

#: How long the exit waits for the background threads to stop, in seconds.
STOP_WAIT = 3.0

_background: dict[threading.Thread, threading.Event] = {}
_background_lock = threading.Lock()
_exiting = threading.Event()


def exiting() -> bool:
    """True once the process is ending (:func:`stop_background` ran at exit): work that
    is worth finishing otherwise (an index a later request will use) stops then."""
    return _exiting.is_set()


def in_background(work: Callable[[Callable[[], bool]], None], name: str) -> threading.Event:
    """Run ``work(stopping)`` in a daemon thread; set the event returned to ask it to stop
    (``stopping()`` then turns true: ``work`` should return soon after)."""
    stop = threading.Event()

    def run() -> None:
        try:
            work(stop.is_set)
        finally:
            with _background_lock:
                _background.pop(threading.current_thread(), None)

    thread = threading.Thread(target=run, name=name, daemon=True)
    with _background_lock:
        if _exiting.is_set():
            stop.set()  # the process is ending: no new work
            return stop
        _background[thread] = stop
    try:
        thread.start()
    except BaseException:
        with _background_lock:
            _background.pop(thread, None)
        raise
    return stop


def stop_background(wait: float = STOP_WAIT) -> bool:
    """Ask every background thread to stop and wait for them, ``wait`` seconds at most in
    all. True if none is left running."""
    import time

    with _background_lock:
        running = [(t, e) for t, e in _background.items() if t.ident is not None]
    for _, stop in running:
        stop.set()
    deadline = time.monotonic() + wait
    for thread, _ in running:
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread, _ in running)


def _at_exit() -> None:
    _exiting.set()
    stop_background()


atexit.register(_at_exit)
