#!/usr/bin/env python3
"""Compile the shipped templates (templates/*.j2) ahead of time into reportgen/report/_compiled_templates/.

A build takes this code instead of compiling a template only while the template and the
environment that compiles it are exactly those it was made from (reportgen.report.precompiled).
Run it after changing a shipped template, the sandbox or a filter (reportgen/report/render.py,
reportgen/report/formatting.py...) or upgrading Jinja; the test suite fails while the committed
files differ from freshly generated ones.

Usage::

    python tools/precompile_templates.py [--check]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.report import precompiled
from reportgen.report.render import shipped_environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether the committed files are current")
    args = parser.parse_args(argv)
    template_dir = ROOT / "templates"
    wanted = precompiled.generate(shipped_environment(template_dir), template_dir)
    folder = precompiled.FOLDER
    present = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.py")} if folder.is_dir() else {}
    stale = sorted(name for name in wanted.keys() | present.keys() if wanted.get(name) != present.get(name))
    if args.check:
        for name in stale:
            print(f"out of date: {folder / name}", file=sys.stderr)
        return 1 if stale else 0
    folder.mkdir(exist_ok=True)
    for name in stale:
        if name in wanted:
            (folder / name).write_text(wanted[name], encoding="utf-8")
        else:
            os.remove(folder / name)
        print(f"{'wrote' if name in wanted else 'removed'} {folder / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
