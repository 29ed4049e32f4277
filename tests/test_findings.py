"""One catalogue of finding codes (reportgen.findings.CATALOGUE): every code the source emits is in
it, every entry is emitted somewhere, docs/findings.md is generated from it, and --format json
carries each finding's family."""

from __future__ import annotations

import ast
import functools
import json
import re
from pathlib import Path

from conftest import ROOT, run_cli

import reportgen
from reportgen.findings import (
    CATALOGUE,
    FAMILIES,
    error,
    family_of,
    findings_reference,
    render,
)
from reportgen.inputs.load import CODE_OF_ERROR_TYPE

PACKAGE = Path(reportgen.__file__).resolve().parent
# The calls that make a finding, their code the first argument: error() and warning() and the
# stages' own helpers around them (a11y's fail, the docx reader's warn_once, template check's add,
# the PDF converter's PdfError).
EMITTERS = {"error", "warning", "Finding", "fail", "warn_once", "add", "PdfError"}
CODE_SHAPE = re.compile(r"^(?:SI[0-9]{3}|[a-z0-9]+(?:[.-][a-z0-9]+)*)$")


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "text"``: rules and template check name their codes so."""
    out = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            out[node.targets[0].id] = node.value.value
    return out


@functools.cache
def emitted_codes(root: Path = PACKAGE) -> dict[str, list[str]]:
    """Every code passed as the first argument of an emitter, with where: a string literal or a
    module constant naming one. A name that is not a constant (``code``, ``f.code``) passes on
    a code made elsewhere."""
    found: dict[str, list[str]] = {}
    for path in sorted(root.rglob("*.py")):
        if path.name == "findings.py" and path.parent == PACKAGE:
            continue  # the catalogue itself
        if "_compiled_templates" in path.parts:
            continue  # Jinja's code for the shipped templates (reportgen.report.precompiled): no emitter
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _constants(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            if name not in EMITTERS:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                code = first.value
            elif isinstance(first, ast.Name) and first.id in constants:
                code = constants[first.id]
            else:
                continue
            if name == "add" and not CODE_SHAPE.match(code):
                continue  # set.add(x), SubElement helpers: not a finding
            found.setdefault(code, []).append(f"{path.relative_to(root.parent)}:{node.lineno}")
    for code in CODE_OF_ERROR_TYPE.values():  # the model's errors, mapped by pydantic error type
        found.setdefault(code, []).append("reportgen/inputs/load.py:CODE_OF_ERROR_TYPE")
    return found


def test_every_emitted_code_is_in_the_catalogue():
    missing = {code: where for code, where in emitted_codes().items() if code not in CATALOGUE}
    assert missing == {}, "add these codes to CATALOGUE in reportgen/findings.py"


def test_every_catalogued_code_is_emitted_somewhere():
    assert sorted(set(CATALOGUE) - set(emitted_codes())) == []


def test_the_scan_sees_literals_constants_and_helpers(tmp_path):
    # Without this the two tests above could pass by finding nothing.
    (tmp_path / "m.py").write_text(
        'CODE = "x-constant"\n'
        'def f(self, seen):\n'
        '    seen.add("not-a-code")\n'
        '    self.fail("x-fail", "m")\n'
        '    return error("x-literal", "m"), warning(CODE, "m"), error(code, "m")\n', encoding="utf-8")
    found = emitted_codes(tmp_path)
    assert {"x-constant", "x-fail", "x-literal"} <= set(found)
    assert "http://not-a-code/" not in found


def test_every_entry_has_a_known_family_a_title_and_a_meaning():
    for code, entry in CATALOGUE.items():
        assert entry.code == code and entry.family in FAMILIES
        assert entry.title and entry.meaning and "\n" not in entry.meaning and "|" not in entry.meaning, code
    assert {e.family for e in CATALOGUE.values()} == set(FAMILIES)


def test_the_three_spellings_are_each_mapped_to_their_family():
    assert family_of("SI101") == "rule"
    assert family_of("a11y-lang") == "a11y"
    assert family_of("docx-read.unreadable") == "docx"
    assert family_of("date") == family_of("money") == "input"
    assert family_of("no-such-code") == "unknown"


def test_json_output_carries_the_family():
    [item] = json.loads(render([error("SI101", "too much")], "json"))
    assert item["family"] == "rule" and item["code"] == "SI101"


def test_validate_json_names_the_family(inputs_copy):
    text = (inputs_copy / "programme.yaml").read_text(encoding="utf-8")
    (inputs_copy / "programme.yaml").write_text(text.replace("{date: 2018-04-20,", "{date: 2018-13-20,", 1),
                                                encoding="utf-8")
    result = run_cli("validate", "--inputs", str(inputs_copy), "--format", "json")
    items = json.loads(result.stdout)
    assert items and all(item["family"] == family_of(item["code"]) != "unknown" for item in items)


def test_committed_findings_reference_is_up_to_date():
    result = run_cli("docs", "findings")
    assert result.exit_code == 0, result.output
    assert result.stdout == findings_reference()
    assert (ROOT / "docs" / "findings.md").read_text(encoding="utf-8") == result.stdout, \
        "docs/findings.md is out of date: run `reportgen docs findings --out docs/findings.md`"


def test_docs_findings_check_says_when_the_file_is_stale(tmp_path):
    out = tmp_path / "findings.md"
    assert run_cli("docs", "findings", "--out", str(out), "--check").exit_code == 1
    assert run_cli("docs", "findings", "--out", str(out)).exit_code == 0
    assert run_cli("docs", "findings", "--out", str(out), "--check").exit_code == 0
    assert all(f"`{code}`" in out.read_text(encoding="utf-8") for code in CATALOGUE)
