"""Issue "Inputs, typed model and located validation": every problem is found, with its place.

Each test breaks one thing in a copy of the shipped inputs and pins the finding it must produce:
its code, its place (file:line:col, or file:Sheet!Cell) and what the message says.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import (
    EXAMPLE_INPUTS,
    append_rows,
    place_of,
    replace_text,
    run_cli,
    set_cell,
    validate_json,
)

from reportgen.inputs.load import load_inputs
from reportgen.inputs.model import Disbursement
from reportgen.inputs.sources import yaml as yaml_source
from reportgen.inputs.sources.yaml import load_yaml

PROGRAMME = "inputs/programme.yaml"
DECISION = "inputs/decision.yaml"
FINANCES = "inputs/finances.xlsx"


def place(f: dict) -> str:
    """A JSON finding's place, written as the text format writes it."""
    if "sheet" in f:
        return f"{f['file']}:{f['sheet']}!{f['cell']}" if "cell" in f else f"{f['file']}:{f['sheet']}"
    if "line" in f:
        return f"{f['file']}:{f['line']}:{f['column']}"
    return f["file"]


def the_finding(items: list[dict], code: str, where: str, severity: str = "error") -> dict:
    """The one finding with ``code`` at ``where``; fails listing what was found instead."""
    hits = [f for f in items if f["code"] == code and place(f) == where and f["severity"] == severity]
    assert len(hits) == 1, f"expected one {severity} {code} at {where}; found: " + \
        "; ".join(f"{f['severity']} {f['code']} at {place(f)}: {f['message']}" for f in items)
    return hits[0]


def errors(items: list[dict]) -> list[dict]:
    return [f for f in items if f["severity"] == "error"]


# --- the shipped inputs and the two examples of the README ---------------------------------

def test_shipped_inputs_are_valid(example_inputs):
    result = run_cli("validate", "--inputs", str(example_inputs))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith("0 errors, 0 warnings")
    code, items = validate_json("--inputs", str(example_inputs))
    assert code == 0 and items == []


def test_wrong_type_in_yaml_exits_1_with_the_values_place(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "    budget: 5000000\n", "    budget: lots\n")
    line, col = place_of(prog, "lots")
    proc = subprocess.run(["reportgen", "validate"], cwd=inputs_copy.parent, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 1, proc.stderr
    assert (f"{PROGRAMME}:{line}:{col}: error: expected an amount in kronor (e.g. 125000 or 125 000,50), "
            f"found 'lots' [money]") in proc.stderr.splitlines()
    assert proc.stderr.strip().endswith("1 error, 0 warnings")
    assert "Traceback" not in proc.stderr + proc.stdout


def test_wrong_date_in_yaml_is_located(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "    start: 2019-09-01\n    end: 2020-12-31\n    status: completed\n    summary: >-\n"
                       "      Korta högskolekurser",
                 "    start: not-a-date\n    end: 2020-12-31\n    status: completed\n    summary: >-\n"
                 "      Korta högskolekurser")
    line, col = place_of(prog, "not-a-date")
    result = run_cli("validate")
    assert result.exit_code == 1
    assert f"{PROGRAMME}:{line}:{col}: error: expected a date as YYYY-MM-DD, found 'not-a-date' [date]" \
        in result.stderr.splitlines()
    assert "Traceback" not in result.output


def test_text_in_an_amount_cell_exits_1_with_the_cell(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "C7", "tio tusen")
    proc = subprocess.run(["reportgen", "validate"], cwd=inputs_copy.parent, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 1
    assert (f"{FINANCES}:Utbetalningar!C7: error: expected an amount in kronor (e.g. 125000 or 125 000,50), "
            f"found 'tio tusen' [money]") in proc.stderr.splitlines()
    assert proc.stderr.strip().endswith("1 error, 0 warnings")
    assert "Traceback" not in proc.stderr + proc.stdout


# --- YAML: syntax and the strict loader ------------------------------------------------------

def test_yaml_syntax_error(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "title: Digitaliseringslyft för Norrbottens industri",
                 "title: Digitaliseringslyft: för Norrbottens industri")
    line, col = place_of(prog, ": för Norrbottens")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "yaml-syntax", f"{PROGRAMME}:{line}:{col}")
    assert f["message"].startswith("YAML syntax error: mapping values are not allowed")
    assert "must be quoted" in f["hint"]


def test_tab_indentation(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "    title: Digitaliseringslyft för Norrbottens industri",
                 "\ttitle: Digitaliseringslyft för Norrbottens industri")
    line, _ = place_of(prog, "\ttitle: Digitaliseringslyft")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "yaml-syntax", f"{PROGRAMME}:{line}:1")
    assert "tab character" in f["message"]
    assert f["hint"] == "indent with spaces, not tabs"


def test_duplicate_key(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "    title: Digitaliseringslyft för Norrbottens industri\n",
                 "    title: Digitaliseringslyft för Norrbottens industri\n    title: En annan titel\n")
    first, _ = place_of(prog, "title: Digitaliseringslyft för")
    line, col = place_of(prog, "title: En annan titel")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "yaml-duplicate-key", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == f"duplicate key 'title' (first defined at line {first})"


def test_no_stays_text_and_is_not_a_boolean(inputs_copy):
    dec = inputs_copy / "decision.yaml"
    replace_text(dec, "\ndiarienummer_illustrative: true\n", "\ndiarienummer_illustrative: no\n")
    line, col = place_of(dec, "diarienummer_illustrative: no")
    col += len("diarienummer_illustrative: ")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "type", f"{DECISION}:{line}:{col}")
    assert f["message"] == "expected true or false, found 'no'; write true or false"


def test_on_stays_text_too(inputs_copy):
    dec = inputs_copy / "decision.yaml"
    replace_text(dec, "  reference_required: true           # \"hänvisning",
                 "  reference_required: on           # \"hänvisning")
    line, col = place_of(dec, "on           # \"hänvisning")
    _, items = validate_json()
    the_finding(items, "type", f"{DECISION}:{line}:{col}")


def test_leading_zero_is_decimal_and_clock_times_are_text(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "      activities: 14\n", "      activities: 010\n")
    replace_text(prog, "title: Smart industri i regionerna 2018\n", "title: 12:30\n")
    inputs, items = load_inputs(inputs_copy)
    assert [f for f in items if f.is_error] == []
    assert inputs.programme.projects[0].indicators.activities == 10  # YAML 1.1 would read 8
    assert inputs.programme.calls[0].title == "12:30"  # YAML 1.1 would read 750


def test_missing_required_key_is_placed_at_its_mapping(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "    title: Digitaliseringslyft för Norrbottens industri\n", "")
    line, col = place_of(prog, "id: SI-2018-01")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "missing-field", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == "missing required field 'title' in projects[0]"
    assert f["hint"] == "add 'title:' to this mapping"
    assert len(errors(items)) == 1


def test_missing_key_at_the_top_of_the_file(inputs_copy):
    dec = inputs_copy / "decision.yaml"
    replace_text(dec, "recipient: Tillväxtverket\n", "")
    line, col = place_of(dec, "diarienummer: \"N2018")
    _, items = validate_json()
    f = the_finding(items, "missing-field", f"{DECISION}:{line}:{col}")
    assert f["message"] == "missing required field 'recipient'"


def test_unknown_key_with_did_you_mean(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "    title: Digitaliseringslyft för Norrbottens industri\n",
                 "    title: Digitaliseringslyft för Norrbottens industri\n    sumary: Kort.\n")
    line, col = place_of(prog, "sumary:")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "unknown-field", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == "unknown field 'sumary' in projects[0]"
    assert f["hint"] == "did you mean 'summary'?"


def test_unknown_choice_with_did_you_mean(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "Region Norrbotten, kind: regional", "Region Norrbotten, kind: regionl")
    line, col = place_of(prog, "regionl,")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "unknown-value", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == ("expected an organisation kind (one of regional, other), found 'regionl'; "
                            "did you mean 'regional'?")


def test_county_name_instead_of_code(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, 'counties: ["25"]', "counties: [Norrbotten]")
    line, col = place_of(prog, "Norrbotten]")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "unknown-county", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == ("expected a county code (länskod 01–25), found 'Norrbotten'; "
                            "did you mean '25' (Norrbottens län)?")


def test_impossible_date(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "opens: 2019-03-01", "opens: 2019-02-30")
    line, col = place_of(prog, "2019-02-30")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "date-impossible", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == "'2019-02-30' is not a date that exists (month 2 of 2019 has 28 days)"


def test_duplicate_project_id(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "id: SI-2019-03", "id: SI-2019-02")
    first = place_of(prog, "SI-2019-02", occurrence=0)
    second = place_of(prog, "SI-2019-02", occurrence=1)
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "duplicate-id", f"{PROGRAMME}:{second[0]}:{second[1]}")
    assert f["message"] == f"duplicate project id 'SI-2019-02' (first used at {PROGRAMME}:{first[0]}:{first[1]})"


def test_grant_to_an_unknown_project(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Beviljat", "A2", "SI-2018-001")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "unknown-project", f"{FINANCES}:Beviljat!A2")
    assert f["message"] == "no project with the id 'SI-2018-001' in programme.yaml; did you mean 'SI-2018-01'?"


def test_unknown_call(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "    call: utlysning-2018\n    owner: {name: Region Norrbotten",
                 "    call: utlysningen-2018\n    owner: {name: Region Norrbotten")
    line, col = place_of(prog, "utlysningen-2018\n")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "unknown-reference", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == "unknown call 'utlysningen-2018'; did you mean 'utlysning-2018'?"


# --- Excel ---------------------------------------------------------------------------------------

def test_negative_amount(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "C2", -300000)
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "money-negative", f"{FINANCES}:Utbetalningar!C2")
    assert f["message"] == "expected an amount of zero or more, found -300000"


def test_text_in_a_date_cell(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "B3", "13 december 2018")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "date", f"{FINANCES}:Utbetalningar!B3")
    assert f["message"] == "expected a date as YYYY-MM-DD, found '13 december 2018'"


def test_text_date_in_iso_form_is_accepted(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "B3", "2018-12-13", number_format="@")
    inputs, items = load_inputs(inputs_copy)
    assert [f for f in items if f.is_error] == []
    assert inputs.finances.disbursements[1].date == dt.date(2018, 12, 13)


def test_date_as_serial_number_is_read_with_a_warning(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    original = openpyxl.load_workbook(book)["Utbetalningar"]["B2"].value.date()
    serial = (original - dt.date(1899, 12, 30)).days
    set_cell(book, "Utbetalningar", "B2", serial, number_format="General")
    code, items = validate_json()
    assert code == 0
    f = the_finding(items, "xlsx-date-serial", f"{FINANCES}:Utbetalningar!B2", severity="warning")
    assert f["message"] == f"read the number {serial} as the date {original.isoformat()}"
    inputs, _ = load_inputs(inputs_copy)
    assert inputs.finances.disbursements[0].date == original


def test_formula_without_a_cached_value(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["Utbetalningar"]["C5"] = "=1+1"
    wb.save(book)
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "xlsx-formula-uncached", f"{FINANCES}:Utbetalningar!C5")
    assert "'Belopp'" in f["message"]
    assert "open the file in Excel or LibreOffice and save it" in f["hint"]
    assert len(errors(items)) == 1


def test_missing_sheet(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["Programkostnader"].title = "Programkostnad"
    wb.save(book)
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "xlsx-missing-sheet", FINANCES)
    assert f["message"] == "expected a sheet named 'Programkostnader'; there is none"
    assert f["hint"].startswith("did you mean 'Programkostnad'?")


def test_sheet_names_ignore_case_and_spaces(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["Programkostnader"].title = "programkostnader "
    wb.save(book)
    code, items = validate_json()
    assert code == 0, items


def test_renamed_header_with_did_you_mean(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "C1", "Beloppet")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "xlsx-missing-column", f"{FINANCES}:Utbetalningar!A1")
    assert f["message"].startswith("expected a column with the header 'Belopp'")
    assert f["hint"] == "the column 'Beloppet' looks like it; rename its header to 'Belopp'"
    the_finding(items, "xlsx-unknown-column", f"{FINANCES}:Utbetalningar!C1", severity="warning")


def test_unknown_extra_column_is_a_warning(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "E1", "Anteckning")
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "E2", "ignoreras")
    code, items = validate_json()
    assert code == 0
    f = the_finding(items, "xlsx-unknown-column", f"{FINANCES}:Utbetalningar!E1", severity="warning")
    assert f["message"] == "the column 'Anteckning' is not one reportgen reads; its values are ignored"
    assert len(items) == 1


def test_headers_in_another_order_and_case(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Utbetalningar"]
    for row in ws.iter_rows():
        row[0].value, row[2].value = row[2].value, row[0].value  # swap Projekt and Belopp
    ws["A1"] = " BELOPP"
    wb.save(book)
    before, _ = load_inputs(Path(__file__).resolve().parents[2] / "inputs")
    inputs, items = load_inputs(inputs_copy)
    assert [f for f in items if f.is_error] == []
    assert [(d.project, d.amount) for d in inputs.finances.disbursements] == \
        [(d.project, d.amount) for d in before.finances.disbursements]
    assert str(inputs.finances.disbursements[0].where("amount")).endswith("Utbetalningar!A2")


def test_blank_rows_are_skipped(inputs_copy, example_inputs):
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Utbetalningar"]
    ws.insert_rows(5, amount=2)
    ws["A6"], ws["C6"] = "   ", ""  # whitespace only counts as blank
    wb.save(book)
    before, _ = load_inputs(example_inputs)
    inputs, items = load_inputs(inputs_copy)
    assert items == []
    assert [(d.project, d.date, d.amount) for d in inputs.finances.disbursements] == \
        [(d.project, d.date, d.amount) for d in before.finances.disbursements]
    # The record that was on row 5 is now on row 7, and says so.
    assert str(inputs.finances.disbursements[3].where("amount")) == f"{FINANCES}:Utbetalningar!C7"


def test_appended_rows_are_read(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    [row] = append_rows(book, "Medfinansiering", ["SI-2019-01", "Kommun", 12345.5])
    inputs, items = load_inputs(inputs_copy)
    assert items == []
    last = inputs.finances.cofinancing[-1]
    assert (last.project, last.source, str(last.amount)) == ("SI-2019-01", "Kommun", "12345.50")
    assert str(last.where("amount")) == f"{FINANCES}:Medfinansiering!C{row}"


# --- whole files -------------------------------------------------------------------------------

@pytest.mark.parametrize("content", ["", "\n\n", "# only a comment\n"])
def test_empty_yaml_file(inputs_copy, content):
    (inputs_copy / "programme.yaml").write_text(content, encoding="utf-8")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "file-empty", PROGRAMME)
    assert f["message"] == "the file is empty; expected a YAML mapping"


def test_yaml_file_that_is_a_list(inputs_copy):
    (inputs_copy / "decision.yaml").write_text("- a\n- b\n", encoding="utf-8")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "yaml-root", f"{DECISION}:1:1")
    assert "found a list" in f["message"]


def test_finances_that_is_not_an_xlsx_file(inputs_copy):
    (inputs_copy / "finances.xlsx").write_bytes(b"Projekt;Datum;Belopp\nSI-2018-01;2018-12-13;300000\n")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "xlsx-format", FINANCES)
    assert "not an Excel workbook" in f["message"]
    assert "save the workbook from Excel or LibreOffice as .xlsx" in f["hint"]


def test_missing_inputs_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, items = validate_json("--inputs", "nowhere")
    assert code == 1
    assert [(f["code"], place(f)) for f in items] == [("inputs-missing", "nowhere")]


def test_python_tag_is_refused(inputs_copy, tmp_path):
    prog = inputs_copy / "programme.yaml"
    marker = tmp_path / "executed"
    replace_text(prog, "title: Digitaliseringslyft för Norrbottens industri",
                 f"title: !!python/object/apply:os.system ['touch {marker}']")
    line, col = place_of(prog, "!!python")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "yaml-tag", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    assert not marker.exists()


def test_escaped_control_character_is_removed_with_a_warning(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "title: Digitaliseringslyft för Norrbottens industri",
                 'title: "Digitaliseringslyft\\vför Norrbottens industri"')
    line, col = place_of(prog, '"Digitaliseringslyft')
    code, items = validate_json()
    assert code == 0
    f = the_finding(items, "text-control-character", f"{PROGRAMME}:{line}:{col}", severity="warning")
    assert f["message"] == "removed control character U+000B from the text"
    inputs, _ = load_inputs(inputs_copy)
    assert inputs.programme.projects[0].title == "Digitaliseringslyft för Norrbottens industri"


def test_raw_control_character_in_yaml_is_placed_exactly(inputs_copy):
    # A raw U+000B is not allowed in a YAML stream at all (YAML 1.2, c-printable): the loader refuses the
    # file, and must say where the character is even after non-ASCII text (åäö are two bytes in UTF-8).
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "title: Digitaliseringslyft för Norrbottens industri",
                 "title: Digitaliseringslyft för\x0bNorrbottens industri")
    line, col = place_of(prog, "\x0b")
    code, items = validate_json()
    assert code == 1
    f = the_finding(items, "yaml-character", f"{PROGRAMME}:{line}:{col}")
    assert f["message"] == "a control character (U+000B) is not allowed in YAML text"


def test_control_character_in_a_cell_is_removed_with_a_warning(inputs_copy):
    # Excel stores a vertical tab (a line break pasted into a cell) as _x000B_, and a literal
    # "_x000B_" typed by the user with its underscore escaped as _x005F_.
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "D2", "UB-2018-_x000B_0001")
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", "D3", "UB_x005F_x000B_")
    code, items = validate_json()
    assert code == 0
    f = the_finding(items, "text-control-character", f"{FINANCES}:Utbetalningar!D2", severity="warning")
    assert f["message"] == "removed control character U+000B from the text"
    assert len(items) == 1
    inputs, _ = load_inputs(inputs_copy)
    assert inputs.finances.disbursements[0].voucher == "UB-2018- 0001"
    assert inputs.finances.disbursements[1].voucher == "UB_x000B_"


# --- one run reports everything, in order ---------------------------------------------------------

def _break_several(inputs_copy: Path) -> list[tuple[str, str]]:
    dec, prog, book = inputs_copy / "decision.yaml", inputs_copy / "programme.yaml", inputs_copy / "finances.xlsx"
    replace_text(dec, "\ndiarienummer_illustrative: true\n", "\ndiarienummer_illustrative: no\n")
    replace_text(prog, "    budget: 5000000\n", "    budget: lots\n")
    replace_text(prog, 'counties: ["25"]', "counties: [Norrbotten]")
    set_cell(book, "Utbetalningar", "C7", "tio tusen")
    set_cell(book, "Rekvisitioner", "B3", "igår")
    d_line, d_col = place_of(dec, "diarienummer_illustrative: no")
    b_line, b_col = place_of(prog, "lots")
    c_line, c_col = place_of(prog, "Norrbotten]")
    # Ordered by file, then by place in the file (line, or sheet and cell).
    return [
        ("type", f"{DECISION}:{d_line}:{d_col + len('diarienummer_illustrative: ')}"),
        ("date", f"{FINANCES}:Rekvisitioner!B3"),
        ("money", f"{FINANCES}:Utbetalningar!C7"),
        ("money", f"{PROGRAMME}:{b_line}:{b_col}"),
        ("unknown-county", f"{PROGRAMME}:{c_line}:{c_col}"),
    ]


def test_all_problems_are_reported_in_one_run_in_order(inputs_copy):
    expected = _break_several(inputs_copy)
    code, items = validate_json()
    assert code == 1
    assert [(f["code"], place(f)) for f in items] == expected


def test_json_format(inputs_copy):
    _break_several(inputs_copy)
    code, items = validate_json()
    assert code == 1
    assert isinstance(items, list) and len(items) == 5
    for f in items:
        assert f["severity"] == "error"
        assert f["code"] and f["message"] and f["file"].startswith("inputs/")
        if f["file"].endswith(".xlsx"):
            assert re.fullmatch(r"[A-ZÅÄÖa-zåäö]+", f["sheet"]) and re.fullmatch(r"[A-Z]+\d+", f["cell"])
            assert "line" not in f
        else:
            assert isinstance(f["line"], int) and isinstance(f["column"], int)
            assert "sheet" not in f


def test_github_format(inputs_copy):
    expected = _break_several(inputs_copy)
    result = run_cli("validate", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(expected)
    for line, (code, where) in zip(lines, expected):
        if ".yaml:" in where:
            file, ln, col = where.split(":")
            assert line.startswith(f"::error file={file},line={ln},col={col},title={code}::"), line
        else:
            file = where.split(":")[0]
            assert line.startswith(f"::error file={file},title={code}::{where}: "), line


def test_text_format_goes_to_stderr_with_a_summary(inputs_copy):
    _break_several(inputs_copy)
    result = run_cli("validate")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().endswith("inputs: 5 errors, 0 warnings")


@pytest.mark.parametrize("args", [["validate", "--bogus"], ["validate", "--format", "xml"], ["nonsense"]])
def test_usage_error_exits_2(example_inputs, args):
    assert run_cli(*args).exit_code == 2


def test_usage_error_exits_2_from_the_installed_command():
    proc = subprocess.run(["reportgen", "validate", "--bogus"], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2
    assert "No such option" in proc.stderr


# --- large inputs: one validation per sheet, YAML built from the parser's events -----------------

@pytest.fixture(scope="module")
def long_finances(tmp_path_factory) -> tuple[Path, list[int]]:
    """The example workbook with 5 000 more disbursements, and their row numbers."""
    book = tmp_path_factory.mktemp("long") / "finances.xlsx"
    shutil.copy(EXAMPLE_INPUTS / "finances.xlsx", book)
    rows = [["SI-2018-01", dt.datetime(2019, 1, 1) + dt.timedelta(days=i % 300), 1000 + i, f"UB-L-{i}"]
            for i in range(5000)]
    return book, append_rows(book, "Utbetalningar", *rows)


@pytest.mark.slow
def test_records_of_a_long_sheet_know_their_cells(inputs_copy, long_finances):
    book, numbers = long_finances
    shutil.copy(book, inputs_copy / "finances.xlsx")
    inputs, found = load_inputs(inputs_copy)
    assert found == []
    last = inputs.finances.disbursements[-1]
    assert (last.project, last.date, last.amount, last.voucher) == \
        ("SI-2018-01", dt.date(2019, 1, 1) + dt.timedelta(days=4999 % 300), Decimal("5999.00"), "UB-L-4999")
    assert str(last.where("amount")) == f"{FINANCES}:Utbetalningar!C{numbers[-1]}"
    assert str(last.where("voucher")) == f"{FINANCES}:Utbetalningar!D{numbers[-1]}"
    # No such column: the row's first cell, as before.
    assert str(last.where("no-such-field")) == str(last.where()) == f"{FINANCES}:Utbetalningar!A{numbers[-1]}"
    # A record made in code, not read from a sheet, has no place.
    assert Disbursement(project="P-1", date=dt.date(2019, 1, 1), amount=1).where("amount") is None


@pytest.mark.slow
def test_errors_deep_in_a_long_sheet_point_at_their_cells_row_by_row(inputs_copy, long_finances):
    book, numbers = long_finances
    shutil.copy(book, inputs_copy / "finances.xlsx")
    a, b, c = numbers[4990:4993]
    wb = openpyxl.load_workbook(inputs_copy / "finances.xlsx")
    ws = wb["Utbetalningar"]
    ws[f"B{a}"] = 43500  # a date that lost its format: a warning about the cell ...
    ws[f"B{a}"].number_format = "General"
    ws[f"C{a}"] = "tio"  # ... and an error the model finds, in the same row
    ws[f"D{b}"] = "UB_x000B_1"  # a control character: a warning about a cell to the right ...
    ws[f"A{b}"] = "no such id!"  # ... of an error in the first column
    ws[f"C{c}"] = -5
    wb.save(inputs_copy / "finances.xlsx")
    inputs, found = load_inputs(inputs_copy)
    assert inputs is None
    # Each row's findings together, in row order, as when each row was validated on its own.
    assert [(f.code, str(f.where)) for f in found] == [
        ("xlsx-date-serial", f"{FINANCES}:Utbetalningar!B{a}"),
        ("money", f"{FINANCES}:Utbetalningar!C{a}"),
        ("text-control-character", f"{FINANCES}:Utbetalningar!D{b}"),
        ("type", f"{FINANCES}:Utbetalningar!A{b}"),
        ("money-negative", f"{FINANCES}:Utbetalningar!C{c}"),
    ]
    assert found[1].message == "expected an amount in kronor (e.g. 125000 or 125 000,50), found 'tio'"
    assert found[4].message == "expected an amount of zero or more, found -5"


def test_yaml_places_come_from_a_graph_composed_again_when_asked_for(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    inputs, found = load_inputs(inputs_copy)
    assert found == []
    doc = inputs.programme_doc
    assert doc._root is None  # the node graph is not kept from loading
    line, col = place_of(prog, "Digitaliseringslyft för Norrbottens industri")
    assert str(inputs.where_programme("projects", 0, "title")) == f"{PROGRAMME}:{line}:{col}"
    k_line, k_col = place_of(prog, "title: Digitaliseringslyft för Norrbottens industri")
    assert str(doc.where_key(("projects", 0, "title"))) == f"{PROGRAMME}:{k_line}:{k_col}"
    assert doc.root is doc.root  # composed once


def test_yaml_values_let_go_after_validation_come_back_as_they_were(inputs_copy):
    replace_text(inputs_copy / "programme.yaml", "title: Digitaliseringslyft för Norrbottens industri",
                 'title: "Digitaliseringslyft\\vför Norrbottens industri"')
    inputs, found = load_inputs(inputs_copy)
    assert [f.code for f in found] == ["text-control-character"]
    doc = inputs.programme_doc
    assert doc._data is yaml_source._RELEASED  # the model holds the values; the plain ones are let go
    # Built again from the text when asked for, and cleaned as they were the first time.
    assert doc.data["projects"][0]["title"] == inputs.programme.projects[0].title == \
        "Digitaliseringslyft för Norrbottens industri"
    assert doc.data is doc.data


def test_an_explicit_tag_on_text_that_does_not_fit_it_is_a_finding_not_a_crash(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("a: !!int x\nb: !!bool maybe\nc: !!int 0x1F\n", "utf-8")
    _, found = load_yaml(path, "t.yaml")
    assert [(f.code, str(f.where), f.message) for f in found] == [
        ("yaml-number", "t.yaml:1:4", "expected a whole number, found 'x'"),
        ("yaml-bool", "t.yaml:2:4", "expected true or false, found 'maybe'"),
    ]
