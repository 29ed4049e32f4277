"""Issue 15: figures a signatory can trust.

As-of cut-offs (a report is made from the records known on its date), named quantities that
print the same everywhere and add up, `reportgen explain`, "not reported" is not zero, no author
instructions in a deliverable (gaps are errors; build --draft marks every page UTKAST), and text
from the inputs printed as written. Each test fails on the code before the issue.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import time
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from conftest import append_rows, place_of, replace_text, run_cli, set_cell

from reportgen.report.quantity import Amount, FigureMap, normalize_text, parse_figure

ROOT = Path(__file__).resolve().parents[2]
FINAL = "slutredovisning-2021"


def build(inputs: Path, out: Path, *args: str):
    return run_cli("build", "--inputs", str(inputs), "--out", str(out), "--force", *args)


@pytest.fixture(scope="module")
def final_built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("final") / "outputs"
    result = build(ROOT / "inputs", out, FINAL)
    assert result.exit_code == 0, result.output
    return out


# --- as-of cut-offs ------------------------------------------------------------------------------

def _add_later_records(inputs: Path) -> None:
    """A grant dated 2020-06-15 and other records dated after the interim reports' dates."""
    book = inputs / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    project = wb["Beviljat"]["A2"].value
    kind = wb["Programkostnader"]["C2"].value
    wb.close()
    append_rows(book, "Beviljat", [project, 2018, dt.datetime(2020, 6, 15), 15000, "sent beslut"])
    append_rows(book, "Utbetalningar", [project, dt.datetime(2020, 6, 20), 1000, "V-SENT"])
    append_rows(book, "Programkostnader", [2019, dt.datetime(2020, 5, 2), kind, 1000, "sen kostnad"])
    # A payment after the project's end: a deviation the final report states, and no earlier report may.
    append_rows(book, "Utbetalningar", [project, dt.datetime(2021, 1, 20), 1000, "V-EFTER"])
    # The repayment (dated 2021) still matches the unspent funds.
    wb = openpyxl.load_workbook(book)
    amount = Decimal(str(wb["Återbetalningar"]["B2"].value))
    wb.close()
    set_cell(book, "Återbetalningar", "B2", float(amount - 3000))


@pytest.mark.parametrize("deliverable", ["delrapport-2019", "delrapport-2020"])
def test_interim_reports_ignore_records_dated_after_them(inputs_copy, tmp_path, deliverable):
    before = build(inputs_copy, tmp_path / "before", deliverable)
    assert before.exit_code == 0, before.output
    _add_later_records(inputs_copy)
    after = build(inputs_copy, tmp_path / "after", deliverable)
    assert after.exit_code == 0, after.output
    # Byte for byte, the .docx too: what it records of its making for pull-edits
    # (docProps/custom.xml) is a hash of what it shows, which the later records do not change.
    for suffix in (".docx", ".md", ".figures.json"):
        name = deliverable + suffix
        assert (tmp_path / "before" / name).read_bytes() == (tmp_path / "after" / name).read_bytes(), name
    # The records are there: the final report (dated 2021-03-31) does take them in.
    final_before = build(ROOT / "inputs", tmp_path / "final-before", FINAL)
    final_after = build(inputs_copy, tmp_path / "final-after", FINAL)
    assert final_before.exit_code == final_after.exit_code == 0
    final = (tmp_path / "final-after" / f"{FINAL}.md").read_text(encoding="utf-8")
    assert final != (tmp_path / "final-before" / f"{FINAL}.md").read_text(encoding="utf-8")
    assert "den 20\u00a0januari 2021" in final


def test_an_interim_report_ignores_later_recoveries_and_cofinancing_of_later_years(inputs_copy, tmp_path):
    """Issue 16's records under issue 15's as-of rule: a recovery dated after the report date and
    actual co-financing (Utfall) whose År is after the report's accounting year are not in
    delrapport-2019."""
    deliverable = "delrapport-2019"
    before = build(inputs_copy, tmp_path / "before", deliverable)
    assert before.exit_code == 0, before.output
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    project = wb["Beviljat"]["A2"].value
    repaid = Decimal(str(wb["Återbetalningar"]["B2"].value))
    wb.close()
    append_rows(book, "Återkrav", [project, dt.datetime(2019, 6, 3), 500, "sent återkrav"])
    append_rows(book, "Medfinansiering", [project, "Egen finansiering", 100000, 2019, "Utfall"],
                [project, "Egen finansiering", 100000, 2020, "Utfall"])
    set_cell(book, "Återbetalningar", "B2", float(repaid + 500))  # the repayment still matches
    after = build(inputs_copy, tmp_path / "after", deliverable)
    assert after.exit_code == 0, after.output
    for suffix in (".md", ".figures.json"):
        name = deliverable + suffix
        assert (tmp_path / "before" / name).read_bytes() == (tmp_path / "after" / name).read_bytes(), name
    # The final report does take the recovery in, as a named quantity with its cell.
    final = build(inputs_copy, tmp_path / "final", FINAL)
    assert final.exit_code == 0, final.output
    assert "sent återkrav" in (tmp_path / "final" / f"{FINAL}.md").read_text(encoding="utf-8")
    figures = json.loads((tmp_path / "final" / f"{FINAL}.figures.json").read_text(encoding="utf-8"))
    assert "Återkrav!C4" in json.dumps(figures, ensure_ascii=False)


def test_an_interim_reports_cofinancing_share_counts_the_whole_plan(inputs_copy, tmp_path, monkeypatch):
    """Planned co-financing (Budget) of a project granted by the report date counts in full, whatever
    its År: the plan is part of the grant decision. Actual co-financing (Utfall) counts only for
    years up to the report's accounting year (2018 for delrapport-2019). The report says so."""
    from reportgen.rules.ledger import ledger_of, view_of
    from reportgen.rules.validate import validate_inputs

    inputs, _ = validate_inputs(ROOT / "inputs")
    ledger = ledger_of(inputs)
    seen = {d: {(c.project, c.source, c.year, c.actual) for c in view_of(ledger, d).inputs.finances.cofinancing}
            for d in ("delrapport-2019", "delrapport-2020", FINAL)}
    # In the example, SI-2018-01 (granted 2018) plans Regionalfonden for 2019 and 2020 and reports
    # actual amounts for 2019 and 2020.
    assert ("SI-2018-01", "Regionalfonden", 2020, False) in seen["delrapport-2019"]
    assert ("SI-2018-01", "Regionalfonden", 2019, True) not in seen["delrapport-2019"]
    assert ("SI-2018-01", "Regionalfonden", 2019, True) in seen["delrapport-2020"]
    assert ("SI-2018-01", "Regionalfonden", 2020, True) not in seen["delrapport-2020"]
    assert ("SI-2018-01", "Regionalfonden", 2020, True) in seen[FINAL]

    # Through the CLI: the printed share's numerator is the whole plan of the projects, and it
    # cites the planned cells only (they add up to it).
    out = tmp_path / "out"
    assert build(ROOT / "inputs", out, "delrapport-2019").exit_code == 0
    text = (out / "delrapport-2019.md").read_text(encoding="utf-8")
    assert ("Andelen räknas på projektens hela planerade medfinansiering, alla år, i de projekt som hade beviljats "
            "stöd till och med den 31\u00a0mars 2019") in text
    assert "Utfall räknas för år till och med 2018." in text
    figures = json.loads((out / "delrapport-2019.figures.json").read_text(encoding="utf-8"))["quantities"]
    printed = figures["cofinancing.share"]["printed"][0]["text"]
    monkeypatch.chdir(ROOT)
    result = run_cli("explain", "delrapport-2019", printed, "--inputs", str(ROOT / "inputs"), "--format", "json")
    assert result.exit_code == 0, result.output
    match = next(m for m in json.loads(result.stdout)["matches"] if m["quantity"] == "cofinancing.share")
    numerator = match["numerator"]
    wb = openpyxl.load_workbook(ROOT / "inputs" / "finances.xlsx", data_only=True)
    granted_by_report = {r[0] for r in wb["Beviljat"].iter_rows(min_row=2, values_only=True)
                         if r[0] and r[2] and r[2].date() <= dt.date(2019, 3, 31) and r[1] == 2018}
    plan = sum((Decimal(str(r[2])) for r in wb["Medfinansiering"].iter_rows(min_row=2, values_only=True)
                if r[0] in granted_by_report and r[4] != "Utfall"), Decimal(0))
    assert Decimal(numerator["value"]) == plan == _cells_sum(numerator["sources"])
    assert _cells_sum(match["denominator"]["sources"]) == Decimal(match["denominator"]["value"])


def test_reports_state_their_cut_off(final_built, tmp_path):
    text = (final_built / f"{FINAL}.md").read_text(encoding="utf-8")
    assert "till och med den 31\u00a0mars 2021" in text


# --- the "0 (0)" summary, not reported is not zero --------------------------------------------------

def test_summary_companies_equal_the_indicator_table(final_built):
    text = (final_built / f"{FINAL}.md").read_text(encoding="utf-8")
    assert "| 0 (0) |" not in text
    summary = next(line for line in text.splitlines() if line.startswith("| Företag som fått stöd "))
    table = next(line for line in text.splitlines() if line.startswith("| Företag som får stöd "))
    assert summary.split("|")[2].strip() == table.split("|")[2].strip() != "0"


def test_an_indicator_no_project_reported_is_a_dash_not_zero(inputs_copy, tmp_path):
    prog = inputs_copy / "programme.yaml"
    lines = [line for line in prog.read_text(encoding="utf-8").splitlines(keepends=True)
             if not line.strip().startswith("activities:")]
    prog.write_text("".join(lines), encoding="utf-8")
    result = build(inputs_copy, tmp_path / "out", FINAL)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / f"{FINAL}.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| Genomförda aktiviteter "))
    assert row.split("|")[2].strip() == "–"
    assert "En indikator som inget projekt har rapporterat anges med –" in text


def test_a_partly_reported_indicator_says_how_many_projects_reported_it(final_built):
    text = (final_built / f"{FINAL}.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| Deltagare i kompetensinsatser, kvinnor "))
    assert row.split("|")[2].strip().endswith("(18 av 20 projekt)")


# --- text from the inputs as written ------------------------------------------------------------------

def test_titles_are_printed_as_written(inputs_copy, tmp_path):
    replace_text(inputs_copy / "programme.yaml", "title: Handläggare", "title: FoU-strateg")
    result = build(inputs_copy, tmp_path / "out", "delrapport-2019")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "delrapport-2019.md").read_text(encoding="utf-8")
    assert "FoU-strateg" in text and "fou-strateg" not in text
    assert "delrapportering 2019" not in text  # the deliverable's title was lower-cased into a sentence


# --- gaps: errors, and drafts ----------------------------------------------------------------------------

def _without_plan_budget(inputs: Path) -> tuple[int, int]:
    prog = inputs / "programme.yaml"
    content = prog.read_text(encoding="utf-8")
    start, end = content.index("  budget:\n"), content.index("  milestones:")
    prog.write_text(content[:start] + content[end:], encoding="utf-8")
    return place_of(prog, "plan:")


def test_a_gap_fails_the_build_with_its_place(inputs_copy, tmp_path):
    line, col = _without_plan_budget(inputs_copy)
    result = build(inputs_copy, tmp_path / "out", "genomforandeplan-2018")
    assert result.exit_code == 1
    assert f"inputs/programme.yaml:{line}:{col}: error: genomforandeplan-2018 shows the planned budget" in result.stderr
    assert not (tmp_path / "out").exists()
    validated = run_cli("validate", "--inputs", str(inputs_copy))
    assert validated.exit_code == 1 and f"programme.yaml:{line}:{col}" in validated.stderr


def test_a_draft_is_built_marked_and_lists_its_gaps(inputs_copy, tmp_path):
    line, col = _without_plan_budget(inputs_copy)
    result = build(inputs_copy, tmp_path / "out", "genomforandeplan-2018", "--draft")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "genomforandeplan-2018.md").read_text(encoding="utf-8")
    assert text.startswith("# Utkast: uppgifter saknas")
    assert f"programme.yaml:{line}:{col}" in text
    assert "ange `plan.budget`" not in text and "Budget saknas" not in text
    with zipfile.ZipFile(tmp_path / "out" / "genomforandeplan-2018.docx") as z:
        headers = [n for n in z.namelist() if n.startswith("word/header")]
        assert headers
        for name in headers:
            xml = z.read(name).decode("utf-8")
            assert 'string="UTKAST"' in xml and ">UTKAST <" in xml, name


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_every_page_of_a_draft_pdf_says_utkast(inputs_copy, tmp_path):
    _without_plan_budget(inputs_copy)
    result = build(inputs_copy, tmp_path / "out", "genomforandeplan-2018", "--draft")
    assert result.exit_code == 0, result.output
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                    str(tmp_path / "out" / "genomforandeplan-2018.docx")], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "pdf" / "genomforandeplan-2018.pdf"
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                                  check=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    assert pages > 1
    for page in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        assert "UTKAST" in text, page


# --- the figure map and explain ---------------------------------------------------------------------------

def test_the_figure_map_is_written_beside_the_outputs_and_in_the_manifest(final_built):
    data = json.loads((final_built / f"{FINAL}.figures.json").read_text(encoding="utf-8"))
    assert data["deliverable"] == FINAL and data["as_of"] == "2021-03-31"
    assert data["quantities"]["indicators.companies"]["value"] == "704"
    manifest = (final_built / ".reportgen-manifest.json").read_text(encoding="utf-8")
    assert f"{FINAL}.figures.json" in manifest


def _cells(place: str) -> list[tuple[str, str]]:
    """The cells a cited place names: one cell (Utbetalningar!C7) or a range of a column (C2:C110)."""
    file, _, ref = place.partition(":")
    assert file.endswith("finances.xlsx"), place
    sheet, _, cells = ref.partition("!")
    first, _, last = cells.partition(":")
    column = first.rstrip("0123456789")
    start = int(first[len(column):])
    end = int(last[len(column):]) if last else start
    assert not last or last.startswith(column), place
    return [(sheet, f"{column}{row}") for row in range(start, end + 1)]


def _cells_sum(sources: list[str]) -> Decimal:
    wb = openpyxl.load_workbook(ROOT / "inputs" / "finances.xlsx", data_only=True)
    total = Decimal(0)
    for place in sources:
        for sheet, cell in _cells(place):
            total += Decimal(str(wb[sheet][cell].value))
    return total


def explain_json(text: str):
    result = run_cli("explain", FINAL, text, "--inputs", str(ROOT / "inputs"), "--format", "json")
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else None


def test_explain_the_disbursed_total(final_built, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = (final_built / f"{FINAL}.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| Utbetalt till projekt "))
    printed = row.rstrip(" |").split("|")[-1].strip()  # the Totalt column, as printed
    code, data = explain_json(printed.replace("\u00a0", " "))
    assert code == 0
    [match] = [m for m in data["matches"] if m["quantity"] == "disbursed.total" and m["printed"] == printed]
    assert _cells_sum(match["sources"]) == Decimal(match["value"])
    assert all(":Utbetalningar!C" in s for s in match["sources"])
    # Consecutive cells of a column are cited as a range: every payment is one range here.
    assert match["sources"] == ["inputs/finances.xlsx:Utbetalningar!C2:C110"]


def test_explain_a_county_figure(final_built, monkeypatch):
    monkeypatch.chdir(ROOT)
    figures = json.loads((final_built / f"{FINAL}.figures.json").read_text(encoding="utf-8"))["quantities"]
    name, entry = next((k, v) for k, v in figures.items()
                       if k.startswith("granted.county.") and k != "granted.county.total" and "split" not in v)
    printed = entry["printed"][0]["text"]
    code, data = explain_json(printed)
    assert code == 0
    [match] = [m for m in data["matches"] if m["quantity"] == name][:1]
    assert _cells_sum(match["sources"]) == Decimal(match["value"])


def _weighted_sum(match: dict) -> Decimal:
    """The cited cells, each counted with its weight (a share of a split project, −1 for what a
    balance subtracts), as explain prints them."""
    wb = openpyxl.load_workbook(ROOT / "inputs" / "finances.xlsx", data_only=True)
    weights = match.get("weights", {})
    total = Fraction(0)
    for place in match["sources"]:
        for sheet, cell in _cells(place):
            total += Fraction(str(wb[sheet][cell].value)) * Fraction(weights.get(place, "1"))
    return Decimal(total.numerator) / Decimal(total.denominator)


def test_explain_a_county_figure_with_projects_split_over_counties(final_built, monkeypatch):
    monkeypatch.chdir(ROOT)
    figures = json.loads((final_built / f"{FINAL}.figures.json").read_text(encoding="utf-8"))["quantities"]
    name, entry = next((k, v) for k, v in figures.items()
                       if k.startswith("granted.county.") and k != "granted.county.total" and v.get("split"))
    code, data = explain_json(entry["printed"][0]["text"])
    assert code == 0
    [match] = [m for m in data["matches"] if m["quantity"] == name][:1]
    assert match["weights"], "a split project's cells count with its share"
    assert set(match["weights"].values()) - {"1"}
    # Each split project's share of its cells is apportioned to the öre: the weighted cells agree
    # with the figure to within an öre per split project, and the parts the terms give add up exactly.
    split = [t for t in match["terms"] if len(t) == 3]
    assert abs(_weighted_sum(match) - Decimal(match["value"])) <= Decimal("0.01") * len(split)
    parts = sum((Decimal(t[2]) if len(t) == 3 else Decimal(figures[t[1]].get("exact", figures[t[1]]["value"]))
                 for t in match["terms"]), Decimal(0))
    assert parts == Decimal(match["value"])


def test_every_computed_figure_equals_its_terms(final_built):
    """A figure the map gives as terms (a balance, a county's projects) is exactly their sum."""
    for path in final_built.glob("*.figures.json"):
        figures = json.loads(path.read_text(encoding="utf-8"))["quantities"]
        exact = lambda e: Fraction(e.get("exact", e["value"]))
        with_terms = [(n, e) for n, e in figures.items() if e.get("terms")]
        assert with_terms or path.name.startswith("genomforandeplan"), path.name
        for name, entry in with_terms:
            total = sum((Fraction(t[2]) if len(t) == 3 else Fraction(t[0]) * exact(figures[t[1]])
                         for t in entry["terms"]), Fraction(0))
            assert total == exact(entry), (path.name, name)


def test_explain_a_balance_cites_what_it_adds_and_subtracts(final_built, monkeypatch):
    monkeypatch.chdir(ROOT)
    figures = json.loads((final_built / f"{FINAL}.figures.json").read_text(encoding="utf-8"))["quantities"]
    printed = figures["unspent.total"]["printed"][0]["text"]
    code, data = explain_json(printed)
    assert code == 0
    match = next(m for m in data["matches"] if m["quantity"] == "unspent.total")
    assert any(w == "-1" for w in match["weights"].values())  # the disbursements
    assert _weighted_sum(match) == Decimal(match["value"])


def test_explain_gives_yaml_places_as_line_and_column(final_built, monkeypatch):
    monkeypatch.chdir(ROOT)
    figures = json.loads((final_built / f"{FINAL}.figures.json").read_text(encoding="utf-8"))["quantities"]
    assert all("programme.yaml#projects[" in s for s in figures["indicators.companies"]["sources"])
    code, data = explain_json(figures["indicators.companies"]["printed"][0]["text"])
    assert code == 0
    match = next(m for m in data["matches"] if m["quantity"] == "indicators.companies")
    programme = (ROOT / "inputs" / "programme.yaml").read_text(encoding="utf-8").splitlines()
    for place in match["sources"]:
        file, line, column = place.rsplit(":", 2)
        assert file.endswith("programme.yaml")
        assert programme[int(line) - 1][int(column) - 1:].split()[0].isdigit(), place


def test_explain_from_the_written_map_gives_yaml_places_as_lines_too(final_built, monkeypatch):
    monkeypatch.chdir(ROOT)
    figures = json.loads((final_built / f"{FINAL}.figures.json").read_text(encoding="utf-8"))["quantities"]
    text = figures["indicators.companies"]["printed"][0]["text"]
    rendered = run_cli("explain", FINAL, text, "--inputs", str(ROOT / "inputs"), "--format", "json")
    written = run_cli("explain", FINAL, text, "--out", str(final_built), "--inputs", str(ROOT / "inputs"),
                      "--format", "json")
    assert rendered.exit_code == written.exit_code == 0
    pick = lambda out: next(m["sources"] for m in json.loads(out)["matches"]
                            if m["quantity"] == "indicators.companies")
    assert pick(written.stdout) == pick(rendered.stdout)
    assert all(re.fullmatch(r".*programme\.yaml:\d+:\d+", s) for s in pick(written.stdout))


def test_explain_a_percentage(final_built, monkeypatch):
    monkeypatch.chdir(ROOT)
    figures = json.loads((final_built / f"{FINAL}.figures.json").read_text(encoding="utf-8"))["quantities"]
    printed = figures["cost_share.total"]["printed"][0]["text"]
    code, data = explain_json(printed)
    assert code == 0
    match = next(m for m in data["matches"] if m["quantity"] == "cost_share.total")
    numerator, denominator = match["numerator"], match["denominator"]
    assert _cells_sum(numerator["sources"]) == Decimal(numerator["value"])
    assert _cells_sum(denominator["sources"]) == Decimal(denominator["value"])
    assert Decimal(numerator["value"]) / Decimal(denominator["value"]) == Decimal(match["value"])


def test_explain_the_exact_recovered_total_cites_the_recovery_rows(final_built, monkeypatch):
    """The accounting table prints the recoveries rounded to kronor, the repayment text to the
    öre: two printings, two quantities. Explaining the exact one cites the recovery rows' cells
    (Återkrav), not the table's years."""
    monkeypatch.chdir(ROOT)
    text = (final_built / f"{FINAL}.md").read_text(encoding="utf-8")
    sentence = next(line for line in text.splitlines() if line.startswith("Ej förbrukade medel uppgår till"))
    printed = sentence.split("plus återkrav från projekt ")[1].rstrip(".")  # "97 436,80 kr"
    code, data = explain_json(printed.replace("\u00a0", " "))
    assert code == 0
    assert {m["quantity"] for m in data["matches"]} == {"recovered.total.exact"}
    for match in data["matches"]:
        assert match["sources"] and all(":Återkrav!C" in s for s in match["sources"])
        assert _cells_sum(match["sources"]) == Decimal(match["value"]) == parse_figure(printed)
        assert not any(part.startswith("recovered.20") for part in match.get("parts", []))
    # The table's rounded total is the other quantity, the sum of the years.
    row = next(line for line in text.splitlines() if line.startswith("| Återkrav från projekt "))
    rounded = row.rstrip(" |").split("|")[-1].strip()
    code, data = explain_json(rounded.replace("\u00a0", " "))
    assert code == 0
    [match] = [m for m in data["matches"] if m["printed"] == rounded]
    assert match["quantity"] == "recovered.total" and match["parts"][0].startswith("recovered.20")


def test_explain_exit_codes():
    assert run_cli("explain", FINAL, "123 456 789 012", "--inputs", str(ROOT / "inputs")).exit_code == 1
    assert run_cli("explain", "no-such-report", "1", "--inputs", str(ROOT / "inputs")).exit_code == 2
    assert run_cli("explain", FINAL).exit_code == 2


# --- the checks of the figure map ----------------------------------------------------------------------------

def test_a_figure_computed_in_a_template_fails_the_build(inputs_copy, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    line, _ = place_of(templates / "delrapport.md.j2", "{{ texts.sammanfattning }}")
    replace_text(templates / "delrapport.md.j2", "{{ texts.sammanfattning }}",
                 "{{ texts.sammanfattning }} {{ (accounting.total.not_granted * 2)|kr }}")
    result = build(inputs_copy, tmp_path / "out", "delrapport-2019", "--templates", str(templates))
    assert result.exit_code == 1
    assert f"delrapport.md.j2:{line}:1: error: the template prints the figure" in result.stderr
    assert "[figure-unnamed]" in result.stderr


def test_one_quantity_printed_with_two_values_is_an_error():
    figures = FigureMap("x")
    figures.note(Amount("704", "indicators.companies"), "704", "", 0)
    figures.note(Amount("0", "indicators.companies"), "0", "", 0)
    [f] = figures.check()
    assert f.code == "figure-inconsistent" and "'704'" in f.message


def test_a_total_that_is_not_the_sum_of_its_rows_is_an_error():
    from reportgen.report.quantity import total_of

    rows = [Amount("1", "a"), Amount("2", "b")]
    total = total_of(rows, "t", value=Decimal(4))
    figures = FigureMap("x")
    for q in (*rows, total):
        figures.note(q, str(q), "kr", 0)
    [f] = figures.check()
    assert f.code == "figure-total"


def test_normal_and_no_break_spaces_are_alike():
    assert normalize_text("62\u00a0427\u00a0570") == normalize_text("62 427 570")


def test_explain_from_the_written_figure_map_agrees_with_rendering(final_built, monkeypatch):
    monkeypatch.chdir(ROOT)
    rendered = run_cli("explain", FINAL, "3,9 %", "--inputs", str(ROOT / "inputs"), "--format", "json")
    written = run_cli("explain", FINAL, "3,9 %", "--out", str(final_built), "--format", "json")
    assert rendered.exit_code == written.exit_code == 0
    strip = lambda out: [{k: v for k, v in m.items() if k != "template"} for m in json.loads(out)["matches"]]
    assert strip(rendered.stdout) == strip(written.stdout)
    assert run_cli("explain", "delrapport-2019", "1", "--out", str(final_built)).exit_code == 1  # no such map


def test_a_draft_of_complete_inputs_is_marked_but_lists_no_gaps(tmp_path):
    result = build(ROOT / "inputs", tmp_path / "out", "delrapport-2019", "--draft")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "delrapport-2019.md").read_text(encoding="utf-8").startswith("[TOC]")
    with zipfile.ZipFile(tmp_path / "out" / "delrapport-2019.docx") as z:
        assert 'string="UTKAST"' in z.read("word/header1.xml").decode("utf-8")


def test_the_written_figure_map_is_the_map_explain_reads(inputs_copy):
    """to_json writes the map's text directly: it must say what as_dict says, for every deliverable."""
    from reportgen.output.explain import figure_map

    for deliverable in ("genomforandeplan-2018", "delrapport-2019", "delrapport-2020", FINAL):
        figures, findings, _ = figure_map(inputs_copy, deliverable)
        assert figures is not None, findings
        assert json.loads(figures.to_json()) == figures.as_dict()


def _written_map(tmp_path, quantities: dict) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{FINAL}.figures.json").write_text(json.dumps(
        {"deliverable": FINAL, "as_of": "2021-03-31", "quantities": quantities}), encoding="utf-8")
    return out


def test_explain_reads_a_hostile_figure_map_without_hanging_or_a_traceback(tmp_path):
    # Each level names the next twice: followed path by path, 2**60 ways down; and a cycle.
    levels = {f"q{i}": {"value": "1", "how": "sum", "sources": [], "terms": [["1", f"q{i + 1}"], ["1", f"q{i + 1}"]],
                        "printed": []} for i in range(60)}
    levels["q60"] = {"value": "1", "how": "cell", "sources": ["inputs/finances.xlsx:Beviljat!D2"], "printed": []}
    levels["q0"]["printed"] = [{"text": "123", "place": "t:1"}]
    levels["loop.a"] = {"value": "1", "how": "x", "sources": [], "terms": [["1", "loop.b"]],
                        "printed": [{"text": "77", "place": "t:2"}]}
    levels["loop.b"] = {"value": "1", "how": "x", "sources": [], "terms": [["1", "loop.a"]], "printed": []}
    out = _written_map(tmp_path, levels)
    started = time.perf_counter()
    result = run_cli("explain", FINAL, "123", "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    [match] = json.loads(result.stdout)["matches"]
    assert match["sources"] == ["inputs/finances.xlsx:Beviljat!D2"]
    assert match["weights"] == {"inputs/finances.xlsx:Beviljat!D2": str(2 ** 60)}
    assert run_cli("explain", FINAL, "77", "--out", str(out)).exit_code == 0
    assert time.perf_counter() - started < 10


@pytest.mark.parametrize("quantities", [
    {"a": {"value": "1", "how": "x", "sources": [], "terms": [["not a number", "b"]],
           "printed": [{"text": "5", "place": "t:1"}]}},
    {"a": {"value": "1", "how": "x", "sources": [], "printed": [{"text": 5}]}},
    {"a": "not an entry"},
    [],
])
def test_explain_reports_a_malformed_figure_map_as_a_finding(tmp_path, quantities):
    out = _written_map(tmp_path, quantities)
    result = run_cli("explain", FINAL, "5", "--out", str(out))
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert "figures-unreadable" in result.output or "figure map" in result.output


def test_the_figure_map_is_the_same_wherever_reportgen_is_installed(tmp_path, monkeypatch):
    """An installed reportgen's templates live elsewhere (site-packages/…/share) than a checkout's:
    the map names reportgen's own templates alike, so the same inputs give the same bytes."""
    from reportgen.report import resources

    here, there = tmp_path / "here", tmp_path / "there"
    assert build(ROOT / "inputs", here, "genomforandeplan-2018").exit_code == 0
    elsewhere = tmp_path / "venv" / "share" / "reportgen" / "templates"
    shutil.copytree(resources.package_templates(), elsewhere)
    monkeypatch.setattr(resources, "package_templates", lambda: elsewhere)
    assert build(ROOT / "inputs", there, "genomforandeplan-2018").exit_code == 0
    name = "genomforandeplan-2018.figures.json"
    assert (here / name).read_bytes() == (there / name).read_bytes()
    assert b'"place":"templates/genomforandeplan.md.j2:' in (there / name).read_bytes()


def test_the_outputs_are_the_same_bytes_wherever_the_build_runs_from(tmp_path, monkeypatch):
    project = tmp_path / "projekt"
    shutil.copytree(ROOT / "inputs", project / "inputs")
    monkeypatch.chdir(project)
    assert build(Path("inputs"), Path("outputs")).exit_code == 0
    monkeypatch.chdir(tmp_path)
    assert build(project / "inputs", tmp_path / "elsewhere").exit_code == 0
    monkeypatch.chdir(project / "inputs")
    assert build(Path("."), tmp_path / "inside").exit_code == 0
    monkeypatch.chdir(tmp_path)
    names = sorted(p.name for p in (project / "outputs").iterdir())
    assert any(n.endswith(".figures.json") for n in names)
    for name in names:
        for other in ("elsewhere", "inside"):
            assert (project / "outputs" / name).read_bytes() == (tmp_path / other / name).read_bytes(), (name, other)
    # explain names the cells as findings do, from where it runs
    result = run_cli("explain", FINAL, "62 427 570", "--inputs", str(project / "inputs"), "--out",
                     str(tmp_path / "elsewhere"), "--format", "json")
    assert result.exit_code == 0
    assert all(s.startswith("projekt/inputs/finances.xlsx:") for m in json.loads(result.stdout)["matches"]
               for s in m["sources"])


@pytest.fixture(scope="module")
def all_built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("all") / "outputs"
    result = build(ROOT / "inputs", out)
    assert result.exit_code == 0, result.output
    return out


def test_every_figure_printed_cites_where_it_comes_from(all_built):
    """Every non-zero figure the four deliverables print has sources, parts, terms or a numerator
    and denominator in the map: counts of projects and indicators per county included."""
    for path in sorted(all_built.glob("*.figures.json")):
        figures = json.loads(path.read_text(encoding="utf-8"))["quantities"]
        bare = [name for name, e in figures.items()
                if e["printed"] and Decimal(e["value"]) != 0
                and not (e["sources"] or e.get("parts") or e.get("terms") or e.get("numerator"))]
        assert not bare, (path.name, bare[:10])


def test_an_indicator_per_county_cites_the_figures_its_projects_reported(final_built):
    import yaml

    programme = yaml.safe_load((ROOT / "inputs" / "programme.yaml").read_text(encoding="utf-8"))
    figures = json.loads((final_built / f"{FINAL}.figures.json").read_text(encoding="utf-8"))["quantities"]
    checked = split_seen = 0
    for name, entry in figures.items():
        m = re.fullmatch(r"indicators\.(\w+)\.(county|focus_area)\.(?!total$)[\w-]+", name)
        if not m:
            continue
        shares = {s["project"]: Fraction(s["share"]) for s in entry.get("split", ())}
        split_seen += bool(shares)
        summed = Fraction(0)
        for place in entry["sources"]:
            index, key = re.fullmatch(r"inputs/programme\.yaml#projects\[(\d+)\]\.indicators\.(\w+)", place).groups()
            assert key == m.group(1)
            project = programme["projects"][int(index)]
            summed += project["indicators"][key] * shares.get(project["id"], Fraction(1))
        # A split project's share is apportioned to whole units: within one per split project.
        assert abs(summed - int(entry["value"])) < max(1, len(shares)), (name, summed, entry["value"])
        checked += 1
    assert checked > 20 and split_seen, (checked, split_seen)
