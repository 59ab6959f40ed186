"""Builds newsmark, compiling the suggestions' hot modules with mypyc where it can.

``tui/rules.py``, ``tui/dates.py`` and ``tui/sentences.py`` stay the source of truth: mypyc
(https://mypyc.readthedocs.io) compiles them to C extensions that sit beside them, and
bench/suggest.py measures what that saves. The build records, for its interpreter, mypyc's
shared library and the SHA-256 of each source compiled (and of ``tui/model.py``, which they
import) in ``tui/_compiled-<cache tag>.txt``; ``tui/__init__.py`` uses the extensions only
while that library imports and every source still has its hash, so an edited module (an
editable install, a checkout of another commit) runs as written until the next install.

Nothing depends on the compiled modules: with ``NEWSMARK_PURE=1``, or when mypyc or a C
compiler is missing or fails, the build goes on without them and newsmark runs the same
Python, only slower. pip shows why only with ``-v``; ``newsmark --version`` says which runs.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
#: The modules compiled, and the package's sources they import (hashed, not compiled).
COMPILED = ("tui/rules.py", "tui/dates.py", "tui/sentences.py")
IMPORTED = ("tui/model.py",)
#: mypyc's shared library of the three (a top-level module beside the package).
LIBRARY = "newsmark"
RECORD = f"_compiled-{sys.implementation.cache_tag}.txt"
#: mypy reads only these modules strictly; the others they import are followed silently, and
#: packages absent from the build's environment (rich, dateparser...) are typed Any.
MYPY_ARGS = ["--ignore-missing-imports", "--follow-imports=silent", "--no-warn-unused-ignores",
             "--cache-dir=build/mypy_cache"]
#: The commands that build extensions (pip's other hooks only read the metadata).
BUILDING = {"build", "build_ext", "bdist_wheel", "editable_wheel", "install", "develop"}


def _say(message: str) -> None:
    print(f"newsmark build: {message}", file=sys.stderr)


def _record() -> str:
    lines = [f"library {LIBRARY}__mypyc"]
    for path in (*COMPILED, *IMPORTED):
        lines.append(f"{Path(path).stem} {hashlib.sha256((HERE / path).read_bytes()).hexdigest()}")
    return "\n".join(lines) + "\n"


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
            return
        if self.extensions:
            record = Path(self.get_ext_fullpath("tui.rules")).with_name(RECORD)
            record.write_text(_record(), encoding="utf-8")


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
        return mypycify([*MYPY_ARGS, *COMPILED], group_name=LIBRARY, opt_level="3")
    except SystemExit:  # (mypy found type errors: it printed them above)
        _say(f"mypy found type errors in {', '.join(COMPILED)} (above); newsmark runs as "
             "pure Python until they are fixed")
    except Exception as error:
        _say(f"mypyc cannot compile {', '.join(COMPILED)} ({type(error).__name__}: {error}); "
             "newsmark runs as pure Python")
    return []


if BUILDING.isdisjoint(sys.argv[1:]):
    extensions = []  # (metadata only: no need to type-check and generate C)
else:
    # A build starts from no record of this interpreter in the tree: only a build that
    # compiles writes one again (an editable install's copies are in the tree, and a build
    # that compiles nothing must not leave them looking current).
    (HERE / "tui" / RECORD).unlink(missing_ok=True)
    extensions = _extensions()
setup(ext_modules=extensions, cmdclass={"build_ext": OptionalBuildExt})
