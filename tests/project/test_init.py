"""Issue #9: `reportgen init` and the Excel template it writes.

A new project must validate from the first run, its workbook must carry the sheets, headers,
formats and drop-down lists the loader and the users rely on, and the bytes must be reproducible.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from conftest import EXAMPLE_INPUTS, run_cli
from jsonschema import Draft202012Validator, FormatChecker
from openpyxl.utils import get_column_letter

from reportgen.inputs.load import SHEETS, load_inputs
from reportgen.inputs.model import COFINANCING_SOURCES, COST_KINDS, COUNTIES
from reportgen.project.scaffold import (
    FIXED_TIMESTAMP,
    finances_workbook,
    workbook_bytes,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """One `reportgen init` for the module (the tests only read it)."""
    folder = tmp_path_factory.mktemp("init") / "reports"
    result = run_cli("init", str(folder))
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def book(project):
    wb = openpyxl.load_workbook(project / "inputs" / "finances.xlsx")
    yield wb
    wb.close()


def validations(ws) -> list[tuple[str, str, set[str]]]:
    """(type, formula1, columns covered from row 2 to the last row) of each data validation."""
    out = []
    for dv in ws.data_validations.dataValidation:
        columns = set()
        for rng in dv.sqref.ranges:
            if rng.min_row == 2 and rng.max_row == 1_048_576:
                columns |= {get_column_letter(c) for c in range(rng.min_col, rng.max_col + 1)}
        out.append((dv.type, dv.formula1, columns))
    return out


def column_of(spec, header: str) -> str:
    return get_column_letter([c.header for c in spec.columns].index(header) + 1)


# --- the new project ---------------------------------------------------------------------------

def test_new_project_validates_without_errors_or_warnings(project):
    result = run_cli("validate", "--inputs", str(project / "inputs"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []


def test_new_project_has_templates_schemas_gitignore_and_workflow(project):
    assert (project / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "outputs/"
    workflow = yaml.safe_load((project / ".github" / "workflows" / "reports.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["reports"]["steps"]
    commands = " ".join(s.get("run", "") for s in steps)
    assert "reportgen validate --inputs inputs --format github" in commands
    assert "reportgen build --inputs inputs --out outputs" in commands
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "outputs/"
    shipped = sorted(p.name for p in (EXAMPLE_INPUTS.parent / "templates").iterdir() if p.is_file())
    assert sorted(p.name for p in (project / "templates").iterdir()) == shipped
    for kind in ("decision", "programme"):
        assert (project / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8") == \
            run_cli("schema", "--file", kind).stdout


def test_decision_is_the_shipped_example(project):
    assert (project / "inputs" / "decision.yaml").read_bytes() == (EXAMPLE_INPUTS / "decision.yaml").read_bytes()


def test_programme_has_two_projects_texts_for_every_deliverable_and_fits_the_schema(project):
    inputs, findings = load_inputs(project / "inputs")
    assert inputs is not None, findings
    assert len(inputs.programme.projects) == 2
    assert set(inputs.programme.texts) == {d.id for d in inputs.decision.deliverables}
    text = (project / "inputs" / "programme.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/programme.schema.json\n")

    def iso(v):
        if isinstance(v, dict):
            return {k: iso(x) for k, x in v.items()}
        if isinstance(v, list):
            return [iso(x) for x in v]
        return v.isoformat() if isinstance(v, dt.date) else v

    schema = json.loads((project / "schemas" / "programme.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(iso(yaml.safe_load(text))))
    assert errors == []


def test_templates_of_the_new_project_pass_the_check(project):
    result = run_cli("templates", "check", "--templates", str(project / "templates"),
                     "--inputs", str(project / "inputs"))
    assert result.exit_code == 0, result.output


def test_init_refuses_a_non_empty_folder(tmp_path):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", str(folder))
    assert result.exit_code == 2
    assert "not empty" in result.stderr and "--force" in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]

    forced = run_cli("init", str(folder), "--force", "--quiet")
    assert forced.exit_code == 0, forced.output
    assert forced.stdout == ""
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "inputs" / "finances.xlsx").is_file()


def test_init_refuses_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = run_cli("init", str(target))
    assert result.exit_code == 2
    assert "is a file" in result.stderr


def test_init_into_an_existing_empty_folder(tmp_path):
    result = run_cli("init", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert f"cd {tmp_path}" in result.stdout


@pytest.mark.slow
def test_build_of_the_new_project(project, tmp_path):
    pytest.importorskip("reportgen.output.build", reason="the build (writers) is not importable yet")
    out = tmp_path / "outputs"
    result = run_cli("build", "--inputs", str(project / "inputs"), "--out", str(out))
    assert result.exit_code == 0, result.output
    for d in ("genomforandeplan-2018", "delrapport-2019", "delrapport-2020", "slutredovisning-2021"):
        assert (out / f"{d}.docx").is_file() and (out / f"{d}.md").is_file()


# --- the workbook ----------------------------------------------------------------------------

def test_sheets_in_order_with_instructions_first_and_lists_hidden(book):
    assert book.sheetnames == ["Instruktioner"] + [s.sheet for s in SHEETS] + ["Listor"]
    assert book["Listor"].sheet_state == "hidden"
    assert book["Instruktioner"].sheet_state == "visible"
    instructions = " ".join(str(c.value) for c in book["Instruktioner"]["A"] if c.value)
    for spec in SHEETS:
        assert spec.sheet in instructions
    assert "N2018/00000/FÖF" in instructions and "5052-5781" in instructions


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.sheet)
def test_headers_are_exact_bold_filled_and_frozen(book, spec):
    ws = book[spec.sheet]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in spec.columns]
    for cell in ws[1]:
        assert cell.font.b is True
        assert cell.fill.fill_type == "solid"
    assert ws.freeze_panes == "A2"
    for index in range(1, len(headers) + 1):
        assert ws.column_dimensions[get_column_letter(index)].width >= 8


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.sheet)
def test_number_formats_of_amount_date_and_year_columns(book, spec):
    ws = book[spec.sheet]
    for column in spec.columns:
        letter = column_of(spec, column.header)
        wanted = {"Belopp": ("#,##0", "#,##0.00"), "Datum": ("yyyy-mm-dd",), "Beslutsdatum": ("yyyy-mm-dd",),
                  "År": ("0",)}.get(column.header)
        if wanted is None:
            continue
        assert ws.column_dimensions[letter].number_format in wanted, (spec.sheet, column.header)
        for cell in ws[letter][1:]:
            if cell.value is not None:
                assert cell.number_format in wanted, (spec.sheet, cell.coordinate)


def test_drop_down_lists_on_the_named_columns(book, project):
    lists = book["Listor"]
    expected = {"Projekt": ["SI-2018-01", "SI-2018-02"], "Kostnadsslag": list(COST_KINDS),
                "Källa": list(COFINANCING_SOURCES), "År": [2018, 2019, 2020], "Typ": ["Budget", "Utfall"]}
    seen = set()
    for spec in SHEETS:
        ws = book[spec.sheet]
        found = validations(ws)
        for header, values in expected.items():
            if header not in [c.header for c in spec.columns]:
                continue
            letter = column_of(spec, header)
            hits = [(t, f) for t, f, cols in found if letter in cols and t == "list"]
            assert len(hits) == 1, f"{spec.sheet}!{letter} ({header}) has no list validation: {found}"
            formula = hits[0][1]
            assert formula.startswith("Listor!$"), formula
            sheet_range = formula.split("!", 1)[1].replace("$", "")
            assert [c.value for row in lists[sheet_range] for c in row] == values
            seen.add(header)
    assert seen == set(expected)


def test_cost_kind_drop_down_allows_the_agencys_own_labels_and_the_others_do_not(book):
    """Issue 16: Kostnadsslag offers the common kinds but takes any text; Källa and Typ stay strict."""
    def list_validation(sheet: str, header: str):
        spec = next(s for s in SHEETS if s.sheet == sheet)
        letter = column_of(spec, header)
        [dv] = [dv for dv in book[sheet].data_validations.dataValidation
                if dv.type == "list" and any(r.min_col <= [c.header for c in spec.columns].index(header) + 1 <= r.max_col
                                             for r in dv.sqref.ranges)]
        return letter, dv

    _, kind = list_validation("Programkostnader", "Kostnadsslag")
    assert kind.showErrorMessage is False and kind.errorStyle == "information"
    assert kind.showInputMessage and "eget" in kind.prompt
    for sheet, header in (("Medfinansiering", "Källa"), ("Medfinansiering", "Typ"), ("Återkrav", "Projekt")):
        _, dv = list_validation(sheet, header)
        assert dv.showErrorMessage is True and dv.errorStyle in (None, "stop"), (sheet, header)


def test_recoveries_sheet_and_new_cofinancing_columns_with_instructions(book):
    assert [c.value for c in book["Återkrav"][1]] == ["Projekt", "Datum", "Belopp", "Kommentar"]
    assert [c.value for c in book["Medfinansiering"][1]] == ["Projekt", "Källa", "Belopp", "År", "Typ"]
    assert book["Återkrav"]["C2"].number_format == "#,##0.00" or \
        book["Återkrav"].column_dimensions["C"].number_format == "#,##0.00"
    text = "\n".join(str(c.value) for c in book["Instruktioner"]["A"] if c.value)
    assert "Återkrav (valfritt blad)" in text and "Kolumner: Projekt, Datum, Belopp, Kommentar (valfri)." in text
    assert "Egen finansiering är projektägarens egna medel" in text
    assert "Kostnadsslag är myndighetens egen benämning" in text


def test_lists_sheet_holds_counties_organisation_kinds_and_focus_areas_with_names(book):
    lists = book["Listor"]
    columns = {c.value: c.column_letter for c in lists[1]}
    codes = [c.value for c in lists[columns["Länskod"]][1:] if c.value is not None]
    names = [c.value for c in lists[columns["Län"]][1:] if c.value is not None]
    assert codes == list(COUNTIES) and names == list(COUNTIES.values())
    assert [c.value for c in lists[columns["Organisationstyp"]][1:] if c.value] == ["regional", "other"]
    assert [c.value for c in lists[columns["Fokusområde"]][1:] if c.value] == \
        ["industri-4.0", "hallbar-produktion", "kunskapslyft-industri", "testbadd-sverige"]


def test_template_without_programme_has_no_project_list_but_the_other_lists():
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(finances_workbook())))
    grants = wb["Beviljat"]
    types = [(t, cols) for t, _, cols in validations(grants)]
    assert ("list", {"A"}) not in types  # no project ids to offer
    costs = wb["Programkostnader"]
    assert any(t == "list" and "C" in cols for t, _, cols in validations(costs))
    assert [c.value for c in wb["Rekvisitioner"][1]] == ["År", "Datum", "Belopp", "Referens"]


def test_workbook_bytes_are_reproducible():
    inputs, _ = load_inputs(EXAMPLE_INPUTS)
    first = workbook_bytes(finances_workbook(inputs.decision, inputs.programme))
    second = workbook_bytes(finances_workbook(inputs.decision, inputs.programme))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as zf:
        assert {info.date_time for info in zf.infolist()} == {FIXED_TIMESTAMP.timetuple()[:6]}
        core = zf.read("docProps/core.xml").decode()
    assert FIXED_TIMESTAMP.isoformat() in core


def test_rows_are_written_as_numbers_and_dates(book):
    ws = book["Utbetalningar"]
    row = [c.value for c in ws[2]]
    assert row[0] == "SI-2018-01"
    assert isinstance(row[1], dt.datetime) and isinstance(row[2], (int, float))
    assert ws["C2"].number_format == "#,##0.00"


def test_workflow_is_safe_for_untrusted_pull_requests_and_matches_the_docs(project):
    """Issue #20: CI builds what a pull request brings; the job must hold nothing worth stealing."""
    text = (project / ".github" / "workflows" / "reports.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key 'on' as true
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert workflow["permissions"] == {"contents": "read"}
    assert "secrets." not in text and "GITHUB_TOKEN" not in text
    steps = workflow["jobs"]["reports"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False
    assert all(not s.get("uses") or s["uses"].split("@")[0] in
               ("actions/checkout", "actions/setup-python", "actions/upload-artifact") for s in steps)
    docs = (EXAMPLE_INPUTS.parent / "docs" / "ci.md").read_text(encoding="utf-8")
    assert text in docs  # docs/ci.md shows the workflow init writes, as it is
