"""newsmark: a terminal reader and annotator for news coverage."""

from __future__ import annotations

__version__ = "0.1.0"

import os
import sys

#: What setup.py writes beside the modules it compiled with mypyc, one per interpreter (its
#: ``sys.implementation.cache_tag``): the shared library's name, then ``name sha256`` of each
#: source compiled or imported by them, as it was compiled.
COMPILED_RECORD = "_compiled-{tag}.txt"
_HERE = os.path.dirname(os.path.abspath(__file__))


class _Sources:
    """A meta path finder: imports these modules from their sources, whatever compiled copy
    sits beside them."""

    def __init__(self, paths: dict[str, str]) -> None:
        self.paths = paths

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> object:
        source = self.paths.get(fullname)
        if source is None:
            return None
        from importlib.util import spec_from_file_location

        return spec_from_file_location(fullname, source)


def _compiled_modules() -> dict[str, str]:
    """This package's modules with a copy compiled for this interpreter beside their source:
    name -> source."""
    from importlib.machinery import EXTENSION_SUFFIXES

    names = set(os.listdir(_HERE))
    stems = {name[: -len(suffix)] for name in names for suffix in EXTENSION_SUFFIXES
             if name.endswith(suffix)}
    return {stem: os.path.join(_HERE, f"{stem}.py") for stem in sorted(stems)
            if f"{stem}.py" in names}


def _current(compiled: dict[str, str]) -> bool:
    """Whether this interpreter's record (see setup.py) names a shared library that imports
    and holds, for every compiled module and every source they were built with, the hash of
    that source as it is now."""
    import hashlib

    try:
        with open(os.path.join(_HERE, COMPILED_RECORD.format(
                tag=sys.implementation.cache_tag)), encoding="utf-8") as file:
            lines = [line.split() for line in file if line.strip()]
        library = lines[0][1] if lines[0][0] == "library" else ""
        recorded = {name: digest for name, digest in lines[1:]}
    except (OSError, ValueError, IndexError):
        return False
    if not library or not set(compiled) <= set(recorded):
        return False
    for name, digest in recorded.items():
        try:
            with open(os.path.join(_HERE, f"{name}.py"), "rb") as file:
                if hashlib.sha256(file.read()).hexdigest() != digest:
                    return False
        except OSError:
            return False
    from importlib.util import find_spec

    try:
        return find_spec(library) is not None  # (mypyc's library, beside the package)
    except (ImportError, ValueError):
        return False


def _use_compiled_only_if_current() -> bool:
    """Leave the compiled modules to the import system if they are current (see
    :func:`_current`); else make every one import from its source: they call each other
    directly, so one out-of-date copy spoils them all. ``NEWSMARK_PURE=1`` asks for the
    sources too (to compare the two). Returns whether the compiled modules are used."""
    compiled = _compiled_modules()
    if not compiled:
        return False
    if os.environ.get("NEWSMARK_PURE", "") in ("", "0") and _current(compiled):
        return True
    sys.meta_path.insert(0, _Sources({f"{__name__}.{stem}": source
                                      for stem, source in compiled.items()}))
    return False


#: Whether the modules setup.py compiles run compiled in this process (bench/ reports it).
COMPILED = _use_compiled_only_if_current()
