"""Compare two output folders of `reportgen build` byte for byte, the manifest aside.

    python tools/compare_builds.py BEFORE AFTER

Used to show that a change of the code leaves the outputs as they were: build the same inputs
before and after (``REPORTGEN_CACHE_DIR= reportgen build --inputs X --out Y --force``), then
compare. Exit 0 when every file is identical, 1 otherwise (the differing files are listed).
"""

from __future__ import annotations

import sys
from pathlib import Path

SKIP = {".reportgen-manifest.json"}


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name not in SKIP}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    a, b = (files(Path(x)) for x in argv)
    differ = sorted(n for n in a.keys() | b.keys() if a.get(n) != b.get(n))
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(a.keys() & b.keys()) - len(differ)} identical, {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
