"""Try one add on a store that may be unwritable; print what happened as JSON.

Usage: ``store_write_once.py ROOT ARTICLE_ID``. Exit 0 if the add worked, 3 on
ReadOnlyStoreError, 4 on any other StoreError. Imports only the store and the model.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.model import Annotation  # noqa: E402
from tui.store import ReadOnlyStoreError, Store, StoreError  # noqa: E402


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def main() -> int:
    root, article_id = Path(sys.argv[1]), sys.argv[2]
    store = Store(root, annotator="alice")
    shard = store.shard_path(article_id, "alice")
    report: dict[str, object] = {"before": digest(shard), "writable": store.is_writable()}
    annotation = Annotation(
        id="written-once",
        article_id=article_id,
        start=1,
        end=3,
        tag="claim",
        text="xx",
        annotator="alice",
    )
    code = 0
    try:
        store.add(annotation)
        report["error"] = None
    except ReadOnlyStoreError as error:
        report.update(error="ReadOnlyStoreError", message=str(error))
        code = 3
    except StoreError as error:
        report.update(error=type(error).__name__, message=str(error))
        code = 4
    report["after"] = digest(shard)
    report["count"] = len(store.annotations(article_id))
    print(json.dumps(report))
    return code


if __name__ == "__main__":
    sys.exit(main())
