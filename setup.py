"""Builds newsmark, compiling the suggestions' hot modules with mypyc where it can.

``tui/rules.py``, ``tui/dates.py`` and ``tui/sentences.py`` stay the source of truth: mypyc
(https://mypyc.readthedocs.io) compiles them to C extensions that sit beside them, and
bench/suggest.py measures what that saves. The build records the SHA-256 of each source it
compiled in ``tui/_compiled.json``; ``tui/__init__.py`` uses the extensions only while every
source still has that hash, so an edited module (an editable install, a checkout of another
commit) runs as written until the next ``pip install``.

Nothing depends on the compiled modules: with ``NEWSMARK_PURE=1``, or when mypyc or a C
compiler is missing or fails, the build goes on without them (it says so) and newsmark runs
the same Python, only slower.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
#: The modules compiled, as (package path, module name).
COMPILED = ("tui/rules.py", "tui/dates.py", "tui/sentences.py")
RECORD = "_compiled.json"
#: mypy reads only these modules strictly; the others they import are followed silently, and
#: packages absent from the build's environment (rich, dateparser...) are typed Any.
MYPY_ARGS = ["--ignore-missing-imports", "--follow-imports=silent", "--no-warn-unused-ignores"]


def _say(message: str) -> None:
    print(f"newsmark build: {message}", file=sys.stderr)


def _digests() -> dict[str, str]:
    return {Path(path).stem: hashlib.sha256((HERE / path).read_bytes()).hexdigest()
            for path in COMPILED}


class OptionalBuildExt(build_ext):
    """Builds the compiled modules, or none of them (they call each other directly, so a
    part of them is no use), and records what it compiled."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # (CCompilerError, DistutilsExecError, ...: all mean "no")
            reason = " ".join(str(error).split())
            reason = reason if len(reason) <= 160 else reason[:159] + "…"
            _say(f"compiling with mypyc failed ({type(error).__name__}: {reason}); newsmark "
                 "runs as pure Python")
            self._remove_built()
            return
        if not self.extensions:
            return
        record = Path(self.get_ext_fullpath("tui.rules")).with_name(RECORD)
        record.write_text(json.dumps(_digests(), indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")

    def _remove_built(self) -> None:
        for extension in self.extensions:
            Path(self.get_ext_fullpath(extension.name)).unlink(missing_ok=True)


def _extensions() -> list:
    if os.environ.get("NEWSMARK_PURE", "") not in ("", "0"):
        _say("NEWSMARK_PURE is set: nothing is compiled")
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        _say("mypyc is not installed; newsmark runs as pure Python")
        return []
    try:
        return mypycify([*MYPY_ARGS, *COMPILED], group_name="newsmark", opt_level="3")
    except (Exception, SystemExit) as error:  # (mypy's type errors end in SystemExit)
        _say(f"mypyc cannot compile {', '.join(COMPILED)} ({error}); newsmark runs as pure "
             "Python: fix the type errors above to compile them again")
        return []


setup(ext_modules=_extensions(), cmdclass={"build_ext": OptionalBuildExt})
