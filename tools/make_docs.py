#!/usr/bin/env python3
"""Regenerate the generated documentation: docs/inputs-reference.md, docs/findings.md and the context section of
docs/templates.md (between ``<!-- context:begin ... -->`` and ``<!-- context:end -->``).

Run it after changing reportgen/inputs/model.py, reportgen/inputs/load.py, reportgen/findings.py or what the deliverables' contexts
hold; the test suite fails while the committed files differ from freshly generated text.

Usage::

    python tools/make_docs.py [--check]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.findings import findings_reference
from reportgen.inputs.reference import inputs_reference
from reportgen.report.template_check import context_reference

INPUTS_REFERENCE = ROOT / "docs" / "inputs-reference.md"
FINDINGS_REFERENCE = ROOT / "docs" / "findings.md"
TEMPLATES_DOC = ROOT / "docs" / "templates.md"
SECTION = re.compile(r"(<!-- context:begin[^>]*-->\n)(.*?)(<!-- context:end -->)", re.DOTALL)


def with_context_section(text: str, content: str) -> str:
    if not SECTION.search(text):
        raise SystemExit(f"{TEMPLATES_DOC}: no <!-- context:begin --> ... <!-- context:end --> section")
    return SECTION.sub(lambda m: m.group(1) + content + m.group(3), text, count=1)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is out of date")
    args = ap.parse_args(argv)
    wanted = {
        INPUTS_REFERENCE: inputs_reference(),
        FINDINGS_REFERENCE: findings_reference(),
        TEMPLATES_DOC: with_context_section(TEMPLATES_DOC.read_text(encoding="utf-8"), context_reference()),
    }
    stale = 0
    for path, text in wanted.items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        if args.check:
            print(f"{path.relative_to(ROOT)}: out of date; run python tools/make_docs.py")
            stale += 1
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
