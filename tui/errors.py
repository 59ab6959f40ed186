"""The one base of every error meant for a user (no Textual, no other imports).

Each domain module raises its own subclass (``CorpusError``, ``StoreError``, ``FormatError``,
``ConfigError``…) whose text is one line saying what is wrong and what to do. The command line
and the app catch :class:`UserFacingError` and show that line: never a traceback.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """An error whose ``str()`` is one line a user can act on."""
