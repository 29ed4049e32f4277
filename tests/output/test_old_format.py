"""Issue 16: an inputs folder in the format before recoveries, co-financing by year and kind, own
funds, free cost labels, targets, optional call budgets and submission dates still builds
byte-identically to what commit e754c99 built from it.

tests/fixtures/old-format-inputs is the example of e754c99; tests/fixtures/old-format-outputs holds
its drafts and the SHA-256 of its Word documents and charts (see tests/fixtures/README.md).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from click.testing import CliRunner

from reportgen.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OLD_INPUTS = FIXTURES / "old-format-inputs"
EXPECTED = FIXTURES / "old-format-outputs"


def _sums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.suffix in (".docx", ".png")}


def test_old_format_inputs_build_byte_identically(tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--inputs", str(OLD_INPUTS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    produced = _sums(out)
    drafts = sorted(p.name for p in out.glob("*.md"))
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        for name in drafts:
            (EXPECTED / name).write_bytes((out / name).read_bytes())
        (EXPECTED / "SHA256SUMS").write_text("".join(f"{h}  {n}\n" for n, h in produced.items()), "utf-8")
    expected = {}
    for line in (EXPECTED / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, name = line.split("  ", 1)
        expected[name] = digest
    assert drafts == sorted(p.name for p in EXPECTED.glob("*.md"))
    for name in drafts:
        assert (out / name).read_text("utf-8") == (EXPECTED / name).read_text("utf-8"), name
    assert produced == expected
