#!/usr/bin/env python3
"""Write schemas/decision.schema.json and schemas/programme.schema.json from the model.

Same as ``reportgen schema --write schemas``. Run it after changing reportgen/inputs/model.py; the test
suite fails while the committed files differ from freshly generated ones.

Usage::

    python tools/make_schemas.py [--out schemas]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.inputs.schema import write_schemas


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "schemas", help="folder to write to (default: schemas/)")
    args = ap.parse_args(argv)
    for path in write_schemas(args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
