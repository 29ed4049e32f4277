"""One switch for every hand-written fast path: REPORTGEN_FAST_PATHS=0 turns them all off, so
the general code can be checked against them (the differential tests) or used if one misbehaves."""
import os


def fast_paths_enabled() -> bool:
    return os.environ.get("REPORTGEN_FAST_PATHS", "1") != "0"
