"""newsmark: a terminal reader and annotator for news coverage."""

from __future__ import annotations

__version__ = "0.1.0"

import hashlib
import json
import os
import sys
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from importlib.util import spec_from_file_location

#: What setup.py writes beside the modules it compiled with mypyc: module -> SHA-256 of the
#: source it compiled.
COMPILED_RECORD = "_compiled.json"
_HERE = os.path.dirname(os.path.abspath(__file__))


class _Sources(MetaPathFinder):
    """Imports these modules from their sources, whatever compiled copy sits beside them."""

    def __init__(self, paths: dict[str, str]) -> None:
        self.paths = paths

    def find_spec(self, fullname: str, path: object = None,
                  target: object = None) -> ModuleSpec | None:
        source = self.paths.get(fullname)
        return None if source is None else spec_from_file_location(fullname, source)


def _compiled_modules() -> dict[str, str]:
    """The modules of this package with a compiled copy beside their source: name -> source."""
    names = os.listdir(_HERE)
    found = {}
    for name in names:
        for suffix in EXTENSION_SUFFIXES:
            if name.endswith(suffix):
                stem = name[: -len(suffix)]
                if f"{stem}.py" in names:
                    found[stem] = os.path.join(_HERE, f"{stem}.py")
    return found


def _use_compiled_only_if_current() -> bool:
    """Leave the compiled modules to the import system if every one is the build of its
    source as it is now (see setup.py); else make every one import from its source — they
    call each other directly, so one out-of-date copy spoils them all. ``NEWSMARK_PURE=1``
    asks for the sources too (to compare the two). Returns whether the compiled modules are
    used."""
    compiled = _compiled_modules()
    if not compiled:
        return False
    try:
        with open(os.path.join(_HERE, COMPILED_RECORD), encoding="utf-8") as file:
            recorded = json.load(file)
    except (OSError, ValueError):
        recorded = {}
    current = True
    for stem, source in compiled.items():
        try:
            with open(source, "rb") as file:
                digest = hashlib.sha256(file.read()).hexdigest()
        except OSError:
            digest = ""
        current = current and isinstance(recorded, dict) and recorded.get(stem) == digest
    if current and os.environ.get("NEWSMARK_PURE", "") in ("", "0"):
        return True
    sys.meta_path.insert(0, _Sources({f"{__name__}.{stem}": source
                                      for stem, source in compiled.items()}))
    return False


#: Whether the modules setup.py compiles run compiled in this process (bench/ reports it).
COMPILED = _use_compiled_only_if_current()
