"""Where reportgen keeps what it can reuse between runs: the compiled templates.

Everything cached is derived deterministically from its key, so a hit gives the same bytes as
a fresh computation. REPORTGEN_CACHE_DIR moves the cache; an empty value turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path


def cache_root() -> Path | None:
    configured = os.environ.get("REPORTGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reportgen"


@functools.lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of reportgen's own code: what a cache entry or a build was made with.

    Every cache and the output manifest key on it, so a new version or a local edit (a sandbox
    rule, a formatting filter) never reuses what the old code made.
    """
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
