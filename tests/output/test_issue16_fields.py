"""Issue 16 through the command line: each new field of the inputs, seen in what is built.

Recoveries (Återkrav), co-financing by year (År) and kind (Typ), the owner's own funds (Egen
finansiering), the agency's own cost labels (Kostnadsslag), indicator targets, calls without a
budget. (Submission dates and `status --today` are in tests/rules/test_status.py.) Each test
reads the Markdown draft as a table: the header row, then the cells of a row by its first cell.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE_INPUTS, replace_text, run_cli, validate_json

NBSP = "\u00a0"


def build(inputs: Path, out: Path, *ids: str) -> dict[str, str]:
    result = run_cli("build", *ids, "--inputs", str(inputs), "--out", str(out))
    assert result.exit_code == 0, result.output
    return {p.stem: p.read_text("utf-8").replace(NBSP, " ") for p in out.glob("*.md")}


@pytest.fixture(scope="module")
def drafts(tmp_path_factory) -> dict[str, str]:
    return build(EXAMPLE_INPUTS, tmp_path_factory.mktemp("issue16") / "out")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "inputs"
    shutil.copytree(EXAMPLE_INPUTS, target)
    return target


def table_after(draft: str, caption: str) -> list[list[str]]:
    """The rows (cells stripped) of the table whose caption contains ``caption``."""
    lines = draft.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("{caption=") and caption in line)
    rows = []
    for line in lines[start + 1:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        if not set("".join(cells)) <= set("-: "):
            rows.append(cells)
    return rows


def row(table: list[list[str]], first: str) -> list[str]:
    return next(r for r in table if r[0] == first)


# --- recoveries -------------------------------------------------------------------------------

def test_final_report_shows_recoveries_in_the_accounting_and_as_their_own_table(drafts):
    final = drafts["slutredovisning-2021"]
    accounting = table_after(final, "Ekonomisk redovisning per år")
    assert accounting[0] == ["Post", "2018", "2019", "2020", "Totalt"]
    assert row(accounting, "Återkrav från projekt") == ["Återkrav från projekt", "0", "62 437", "35 000", "97 437"]
    # Ej förbrukat = rekvirerat − utbetalt − programanknutna kostnader + återkrav, per year.
    assert row(accounting, "Ej förbrukat under året")[-1] == "8 758 567"
    recoveries = table_after(final, "Återkrav från projekt")
    assert recoveries[1][:2] == ["2019-09-16", "SI-2018-09"] and recoveries[1][-1] == "62 436,80 kr"
    assert row(recoveries, "Totalt")[-1] == "97 436,80 kr"
    assert "plus återkrav från projekt 97 436,80 kr" in final
    # The interim report of the year with a recovery shows it too, the one without does not.
    assert row(table_after(drafts["delrapport-2020"], "Ekonomisk redovisning 2019"),
               "Återkrav från projekt")[1] == "62 437 kr"
    assert "Återkrav" not in drafts["delrapport-2019"]


def test_without_the_recoveries_the_repayment_no_longer_matches(copy):
    book = openpyxl.load_workbook(copy / "finances.xlsx")
    book.remove(book["Återkrav"])
    book.save(copy / "finances.xlsx")
    code, items = validate_json("--inputs", str(copy))
    assert code == 1
    [f] = [f for f in items if f["code"] == "SI604"]
    assert f["message"].replace(NBSP, " ").endswith("the difference is −97 436,80 kr")


def test_recovery_from_the_cancelled_project_counts_against_what_it_was_paid(copy):
    book = openpyxl.load_workbook(copy / "finances.xlsx")
    book["Återkrav"]["C2"] = 412436.81  # one öre more than SI-2018-09 was paid
    book.save(copy / "finances.xlsx")
    code, items = validate_json("--inputs", str(copy))
    assert code == 1
    assert sorted(f["code"] for f in items if f["severity"] == "error") == ["SI304", "SI604"]


# --- co-financing by year and kind, own funds -------------------------------------------------

def test_final_report_shows_planned_and_actual_co_financing_with_own_funds(drafts):
    table = table_after(drafts["slutredovisning-2021"], "Medfinansiering per källa")
    assert table[0] == ["Källa", "Budget", "Utfall"]
    assert row(table, "Regionalfonden") == ["Regionalfonden", "21 900 000 kr", "7 380 000 kr"]
    assert row(table, "Egen finansiering") == ["Egen finansiering", "550 000 kr", "230 000 kr"]
    assert row(table, "Totalt") == ["Totalt", "36 050 000 kr", "8 090 000 kr"]


def test_an_interim_report_shows_only_the_co_financing_of_its_own_years(drafts):
    # SI-2018-01's regional fund budget is given for 2019 and 2020: not in the report on 2018 ...
    first = table_after(drafts["delrapport-2019"], "Medfinansiering per källa")
    assert first[0] == ["Källa", "Belopp"]  # no actual amounts belong to 2018
    assert row(first, "Regionalfonden")[1] == "18 400 000 kr"
    # ... its 2019 part, and the 2019 actuals, in the report on 2019.
    second = table_after(drafts["delrapport-2020"], "Medfinansiering per källa")
    assert row(second, "Regionalfonden") == ["Regionalfonden", "19 900 000 kr", "3 220 000 kr"]


def test_cofinancing_without_year_and_kind_columns_reads_as_planned_for_the_whole_project(copy, tmp_path):
    book = openpyxl.load_workbook(copy / "finances.xlsx")
    ws = book["Medfinansiering"]
    ws.delete_cols(4, 2)  # År and Typ are optional columns
    book.save(copy / "finances.xlsx")
    drafts = build(copy, tmp_path / "out", "delrapport-2019")
    table = table_after(drafts["delrapport-2019"], "Medfinansiering per källa")
    assert table[0] == ["Källa", "Belopp"]
    # Every row now counts as planned: the actual amounts are added in too.
    assert row(table, "Regionalfonden")[1] == "29 280 000 kr"  # 21 900 000 planned + 7 380 000 actual


# --- the agency's own cost labels -----------------------------------------------------------

def test_own_cost_labels_are_shown_as_written(drafts):
    table = table_after(drafts["slutredovisning-2021"], "per kostnadsslag")
    assert row(table, "Resor och logi") == ["Resor och logi", "59 000 kr"]
    assert row(table, "Totalt") == ["Totalt", "2 911 300 kr"]


def test_with_only_the_common_cost_kinds_there_is_no_breakdown(copy, tmp_path):
    book = openpyxl.load_workbook(copy / "finances.xlsx")
    ws = book["Programkostnader"]
    for cells in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        if cells[0].value == "Resor och logi":
            cells[0].value = "Övrigt"
    book.save(copy / "finances.xlsx")
    drafts = build(copy, tmp_path / "out", "delrapport-2019")
    assert "per kostnadsslag" not in drafts["delrapport-2019"]


# --- targets --------------------------------------------------------------------------------

def test_final_report_shows_outcome_against_target_per_indicator_and_focus_area(drafts):
    final = drafts["slutredovisning-2021"]
    per_indicator = table_after(final, "Utfall mot mål per indikator")
    assert per_indicator[0] == ["Indikator", "Projekt med mål", "Mål", "Utfall", "Andel av målet"]
    assert row(per_indicator, "Företag som får stöd") == ["Företag som får stöd", "8", "390", "398", "102 %"]
    assert row(per_indicator, "Nya företag") == ["Nya företag", "2", "4", "5", "125 %"]
    # No project states a target for companies given non-financial support: no row.
    assert not [r for r in per_indicator if r[0] == "Företag som får icke-finansiellt stöd"]
    per_area = table_after(final, "Utfall mot mål per fokusområde")
    assert ["Testbädd Sverige", "Företag som får stöd", "49", "49", "100 %"] in per_area
    # The areas' targets add up to the programme's.
    assert sum(int(r[2].replace(" ", "")) for r in per_area[1:] if r[1] == "Företag som får stöd") == 390


def test_without_targets_the_results_are_as_before(copy, tmp_path):
    text = (copy / "programme.yaml").read_text("utf-8")
    lines, out, skipping = text.split("\n"), [], False
    for line in lines:
        if line.startswith("    targets:"):
            skipping = True
            continue
        if skipping and line.startswith("      "):
            continue
        skipping = False
        out.append(line)
    (copy / "programme.yaml").write_text("\n".join(out), "utf-8")
    drafts = build(copy, tmp_path / "out", "slutredovisning-2021")
    assert "Resultat mot mål" not in drafts["slutredovisning-2021"]


def test_target_beyond_an_indicator_key_is_refused(copy):
    replace_text(copy / "programme.yaml", "    targets:              # mål", "    targets:\n      jobs: 3\n    # mål")
    code, items = validate_json("--inputs", str(copy))
    assert code == 1
    assert [f["code"] for f in items] == ["unknown-field"]


# --- calls without a budget -----------------------------------------------------------------

def test_a_call_without_a_budget_is_written_about_without_one(copy, tmp_path):
    replace_text(copy / "programme.yaml", "    budget: 5000000\n", "")  # utlysning-2019
    drafts = build(copy, tmp_path / "out", "delrapport-2020", "slutredovisning-2021")
    for draft in drafts.values():
        line = next(line for line in draft.splitlines() if "kompletterande utlysning**" in line)
        assert line.endswith("till den 15 maj 2019."), line
