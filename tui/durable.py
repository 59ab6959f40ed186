"""Replacing a file all or nothing: the one atomic writer of newsmark (no Textual).

The store's shards, the exports and the corpus's metadata cache are all written by
:func:`atomic_write`: the new content goes to a temporary file in the same folder, is flushed to
disk (``fsync``), and is renamed over the old file with ``os.replace``; then the folder is
fsynced so that the rename itself survives a power cut. A reader therefore sees the whole old
file or the whole new one, never a mix, and a write that fails at any step (an exception while
rendering, a full disk, a ``kill -9``) leaves the old file as it was.

The few system calls that put the new file in place (``fsync``, ``rename``, the folder's
``fsync``) run with SIGTERM, SIGHUP, SIGINT and SIGQUIT blocked in the calling thread, so a
Python signal handler that raises runs only once the file is whole and in place. Rendering the
content is not shielded: ctrl+c during a long export stops it, and the old file stays.
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

__all__ = ["atomic_unlink", "atomic_write", "fsync_dir", "signals_deferred"]

_BLOCKED_SIGNALS = frozenset(
    getattr(signal, name)
    for name in ("SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT")
    if hasattr(signal, name)
)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename, a new or removed file) to disk, where possible."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - platforms that cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError as error:  # pragma: no cover - some file systems refuse fsync on a folder
        if error.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Block termination signals in this thread, so a raising handler waits until we are done."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, _BLOCKED_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def atomic_write(
    path: Path,
    content: bytes | Callable[[IO[bytes]], object],
    *,
    temp: Path | None = None,
    durable: bool = True,
) -> None:
    """Replace ``path`` by ``content``: all of it, or (on any failure) nothing.

    ``content`` is the bytes, or a function that writes them to the binary stream it is given
    (an export renders straight into the temporary file). ``temp`` is the temporary file's
    name when the caller holds a lock that makes one fixed name safe (the store: a temp left by
    a killed writer is then removed and made again); by default each write gets a fresh random
    name beside ``path``, so unlocked writers never share one. ``durable=False`` skips the
    fsyncs, for a file that is only a cache (losing it to a power cut costs nothing).

    New files get the mode the umask allows (``0o666`` minus umask). Raises ``OSError`` (or
    whatever ``content`` raises) after removing the temporary file; ``path`` is untouched then.
    """
    path = Path(path)
    if temp is None:
        temp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    else:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        with open(fd, "wb") as stream:
            if isinstance(content, (bytes, bytearray, memoryview)):
                stream.write(content)
            else:
                content(stream)
            stream.flush()
            with signals_deferred():
                if durable:
                    os.fsync(stream.fileno())
                os.replace(temp, path)
                if durable:
                    fsync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def atomic_unlink(path: Path) -> None:
    """Remove ``path`` (if it exists) and flush its folder, with termination signals blocked."""
    with signals_deferred():
        try:
            os.unlink(path)
        except FileNotFoundError:
            return
        fsync_dir(path.parent)
