"""Shared fixtures: the shipped example inputs, a private copy of them, and small editing helpers.

Tests that print places chdir into the copy's parent, so places read ``inputs/programme.yaml:41:7``
exactly as a user running ``reportgen validate`` next to their inputs folder would see them.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from reportgen.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_INPUTS = ROOT / "inputs"
# The OOXML schemas are reference material beside the checkout (shared/reference/ooxml-xsd in the
# checkout's folder or one above it: CI clones next to shared/, worktrees sit one level deeper).
OOXML_XSD = next((base / "shared" / "reference" / "ooxml-xsd" for base in ROOT.parents
                  if (base / "shared" / "reference" / "ooxml-xsd" / "wml.xsd").is_file()),
                 ROOT.parent / "shared" / "reference" / "ooxml-xsd")

# Tests mirror the package's stages in subfolders (tests/rules/, tests/formats/, ...). A few share
# strategies and helpers by module name (``from test_ledger import inputs_st``); pytest imports
# each test file under its base name, so putting every stage folder on the path keeps one module
# object per file whichever test is collected first.
for _stage in sorted(p for p in Path(__file__).resolve().parent.iterdir() if p.is_dir() and p.name.isidentifier()):
    if any(_stage.glob("test_*.py")) and str(_stage) not in sys.path:
        sys.path.insert(0, str(_stage))


@pytest.fixture
def example_inputs() -> Path:
    """The shipped example inputs folder (read it, never write to it)."""
    return EXAMPLE_INPUTS


@pytest.fixture
def inputs_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example inputs at ``<tmp>/inputs``; the working directory is ``<tmp>``."""
    target = tmp_path / "inputs"
    shutil.copytree(EXAMPLE_INPUTS, target)
    monkeypatch.chdir(tmp_path)
    return target


# --- editing a copy ------------------------------------------------------------------------

@pytest.fixture
def forking() -> None:
    """For a test of work done in forked children: skipped on a system that cannot fork, or in
    a test process where another thread runs (a browser test's), where reportgen does not fork."""
    from reportgen.inputs import processes

    if not processes.can_fork():
        pytest.skip("this test process cannot fork (not Linux, or another thread is running)")


def replace_text(path: Path, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in a text file; ``old`` must occur exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"expected {old!r} exactly once in {path.name}, found it {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def place_of(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """The 1-based (line, column) where ``needle`` starts in a text file."""
    text = path.read_text(encoding="utf-8")
    pos = -1
    for _ in range(occurrence + 1):
        pos = text.index(needle, pos + 1)
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    return line, column


def set_cell(path: Path, sheet: str, cell: str, value, number_format: str | None = None) -> None:
    """Write one cell of a workbook (keeping the cell's format unless one is given) and save."""
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    if number_format is not None:
        book[sheet][cell].number_format = number_format
    book.save(path)


def append_rows(path: Path, sheet: str, *rows: list) -> list[int]:
    """Append rows (lists of values in column order) to a sheet and save; returns their row numbers."""
    book = openpyxl.load_workbook(path)
    ws = book[sheet]
    numbers = []
    for row in rows:
        ws.append(row)
        numbers.append(ws.max_row)
    book.save(path)
    return numbers


def sheet_rows(path: Path, sheet: str) -> list[tuple[int, tuple]]:
    """(row number, values) of every non-empty data row of a sheet, as openpyxl reads it."""
    book = openpyxl.load_workbook(path, data_only=True)
    try:
        ws = book[sheet]
        return [(i, values) for i, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2)
                if any(v is not None for v in values)]
    finally:
        book.close()


# --- running the CLI -----------------------------------------------------------------------

def run_cli(*args: str):
    """Run ``reportgen ARGS`` in-process; stdout and stderr are kept apart."""
    runner = CliRunner()
    return runner.invoke(cli, list(args), catch_exceptions=False)


def validate_json(*args: str) -> tuple[int, list[dict]]:
    """``reportgen validate --format json``: exit code and the list of findings."""
    result = run_cli("validate", "--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def findings_with(items: list[dict], code: str) -> list[dict]:
    return [f for f in items if f["code"] == code]
