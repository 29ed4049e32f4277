"""One switch for every hand-written fast path: ``REPORTGEN_FAST_PATHS=0`` turns them all off.

Each fast path lives in a module of its own beside the general code it mirrors, and gives what
the general code gives (a differential test holds it to that); the switch is for measuring them
and for ruling one out when a result looks wrong. Default: on.
"""

import os


def fast_paths_enabled() -> bool:
    return os.environ.get("REPORTGEN_FAST_PATHS", "1") != "0"
