"""Where reportgen keeps what it can reuse between runs: drawn charts, compiled templates.

Everything cached is derived deterministically from its key, so a hit gives the same bytes as
a fresh computation. REPORTGEN_CACHE_DIR moves the cache; an empty value turns it off.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_root() -> Path | None:
    configured = os.environ.get("REPORTGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reportgen"
