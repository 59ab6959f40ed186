"""``python -m tui`` does what the ``newsmark`` command does."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
