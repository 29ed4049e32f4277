"""The benchmark's input generator makes inputs that pass validation (the benchmark itself is a
script that prints figures: docs/performance.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import cli

pytestmark = pytest.mark.slow  # see README (test tiers)

ROOT = Path(__file__).resolve().parents[2]


def test_generated_inputs_are_valid(tmp_path: Path):
    out = tmp_path / "inputs"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--projects", "60", "--out", str(out)],
                   check=True, capture_output=True)
    result = CliRunner().invoke(cli, ["validate", "--inputs", str(out), "--format", "json", "--today", "2021-06-01"])
    assert result.exit_code == 0, result.output
    assert '"severity": "error"' not in result.output
    assert (out / "programme.yaml").read_text("utf-8").count("- id: SI-") == 60


def test_stage_timings_cover_every_stage_of_the_build():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "stages.py"), "--only", "slutredovisning-2021"],
                            check=True, capture_output=True, text=True)
    stages = [line.split("|")[1].strip() for line in result.stdout.splitlines() if line.startswith("| ")][1:]
    assert stages == ["validate", "ledger", "rules", "context", "charts", "jinja", "parse", "draft", "docx", "a11y"]
    assert "peak RSS" in result.stdout
