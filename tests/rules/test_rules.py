"""Issue "The ledger and the decision's rules": each term of the decision, broken once, at its place.

Every test changes one thing in a copy of the shipped inputs (which break no rule) and pins the
rule code and the place it must be reported at; where a limit is "at most", the limit itself passes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import (
    append_rows,
    place_of,
    replace_text,
    run_cli,
    set_cell,
    sheet_rows,
    validate_json,
)

from reportgen.inputs.load import load_inputs
from reportgen.rules import decision as rules
from reportgen.rules.ledger import Ledger

PROGRAMME = "inputs/programme.yaml"
DECISION = "inputs/decision.yaml"
FINANCES = "inputs/finances.xlsx"
RULE_CODES = [
    "SI101", "SI102", "SI103", "SI104", "SI201", "SI202", "SI203", "SI204", "SI301", "SI302", "SI303", "SI304", "SI305", "SI401",
    "SI402", "SI501", "SI502", "SI601", "SI602", "SI603", "SI604", "SI605", "SI701", "SI801",
]


def place(f: dict) -> str:
    if "sheet" in f:
        return f"{f['file']}:{f['sheet']}!{f['cell']}" if "cell" in f else f"{f['file']}:{f['sheet']}"
    if "line" in f:
        return f"{f['file']}:{f['line']}:{f['column']}"
    return f["file"]


def text(f: dict) -> str:
    return f["message"].replace("\u00a0", " ")


def rule_findings(*args: str) -> tuple[int, list[dict]]:
    """Exit code and the SI findings of ``reportgen validate`` on the copy in the working directory."""
    code, items = validate_json(*args)
    return code, [f for f in items if f["code"].startswith("SI")]


def one(items: list[dict], code: str, where: str, severity: str = "error") -> dict:
    hits = [f for f in items if f["code"] == code and place(f) == where and f["severity"] == severity]
    assert len(hits) == 1, f"expected one {severity} {code} at {where}; found: " + \
        "; ".join(f"{f['severity']} {f['code']} at {place(f)}: {text(f)}" for f in items)
    return hits[0]


def codes(items: list[dict]) -> set[str]:
    return {f["code"] for f in items}


def rows_of(book, sheet: str, **match) -> list[tuple[int, tuple]]:
    """Rows of a sheet whose columns (by header) equal the given values."""
    header = [c.value for c in openpyxl.load_workbook(book, read_only=True)[sheet][1]]
    out = []
    for number, values in sheet_rows(book, sheet):
        record = dict(zip(header, values))
        if all(record[k] == v for k, v in match.items()):
            out.append((number, values))
    return out


# --- the shipped inputs ----------------------------------------------------------------------------

def test_shipped_inputs_break_no_rule(example_inputs):
    inputs, findings = load_inputs(example_inputs)
    assert findings == []
    assert rules.apply_rules(inputs) == []
    ledger = Ledger(inputs)
    for d in inputs.decision.deliverables:
        assert rules.deliverable_completeness(inputs, ledger, d.id) == [], d.id


def test_every_rule_code_is_described_and_documented():
    documented = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    defined = sorted(v for k, v in vars(rules).items() if k.isupper() and isinstance(v, str) and v.startswith("SI"))
    assert defined == RULE_CODES
    for code in defined:
        assert code in rules.DESCRIPTIONS
        assert f"`{code}`" in documented, code


DECISION_TEXT = Path("/work/shared/reference/regeringsbeslut-smart-industri-regional-niva.txt")


@pytest.mark.skipif(not DECISION_TEXT.exists(), reason="the decision's text is not on this machine")
def test_rules_doc_quotes_the_decision_word_for_word():
    squash = lambda s: " ".join(s.split())
    decision = squash(DECISION_TEXT.read_text(encoding="utf-8"))
    doc = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    quotes = [line[2:] for line in doc.splitlines() if line.startswith("> ")]
    assert len(quotes) >= 8
    for quote in quotes:
        assert squash(quote) in decision, quote


# --- programme-related costs (SI101, SI102) -------------------------------------------------------

def test_programme_costs_reaching_6_percent_of_a_year(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    rows_2018 = [n for n, _ in rows_of(book, "Programkostnader", År=2018)]
    # 742 300 kr of costs in 2018; 457 700 more make 1 200 000 kr, 6 % of the 20 000 000 kr requisitioned.
    [new] = append_rows(book, "Programkostnader", [2018, dt.datetime(2018, 12, 28), "Övrigt", 457700, "Konsulter"])
    code, items = rule_findings()
    assert code == 1
    f = one(items, "SI101", f"{FINANCES}:Programkostnader!D{rows_2018[0]}")
    assert text(f) == ("programme-related costs for 2018 are 1 200 000,00 kr, 6,0 % of the 20 000 000,00 kr "
                       "requisitioned; the decision allows at most 5 % (1 000 000,00 kr)")
    assert [r["cell"] for r in f["related"]] == [f"D{n}" for n in rows_2018[1:] + [new]]
    assert codes(items) == {"SI101", "SI604"}  # the repayment no longer matches the unspent funds
    # In the text format the finding points at every cost row of the year.
    result = run_cli("validate")
    assert all(f"  see {FINANCES}:Programkostnader!D{n}" in result.stderr for n in rows_2018[1:] + [new])


def test_programme_costs_of_exactly_5_percent_pass(inputs_copy):
    append_rows(inputs_copy / "finances.xlsx", "Programkostnader",
                [2018, dt.datetime(2018, 12, 28), "Övrigt", 257700, "Konsulter"])  # 1 000 000 kr: 5,0 %
    _, items = rule_findings()
    assert "SI101" not in codes(items) and "SI102" not in codes(items)


def test_programme_costs_above_5_percent_of_the_whole_period(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    first = rows_of(book, "Programkostnader")[0][0]
    append_rows(book, "Programkostnader", [2018, dt.datetime(2018, 12, 28), "Övrigt", 3000000, "Konsulter"])
    _, items = rule_findings()
    f = one(items, "SI102", f"{FINANCES}:Programkostnader!D{first}")
    assert "over the whole period are 5 911 300,00 kr" in text(f)
    assert "of the 74 000 000,00 kr requisitioned; at most 5 % is allowed" in text(f)


# --- the implementation plan (SI103, SI104) -------------------------------------------------------

def test_planned_programme_costs_above_the_cap(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "{year: 2018, calls: 19000000, programme_costs: 1000000}",
                 "{year: 2018, calls: 18000000, programme_costs: 1000001}")
    line, col = place_of(prog, "1000001}")
    _, items = rule_findings()
    f = one(items, "SI103", f"{PROGRAMME}:{line}:{col}")
    assert "for 2018" in text(f) and "frame 20 000 000 kr" in text(f)


def test_planned_budget_above_the_frame(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "{year: 2019, calls: 28500000, programme_costs: 1500000}",
                 "{year: 2019, calls: 28500001, programme_costs: 1500000}")
    line, col = place_of(prog, "{year: 2019, calls: 28500001")
    _, items = rule_findings()
    f = one(items, "SI104", f"{PROGRAMME}:{line}:{col}")
    assert text(f) == "the plan for 2019 uses 30 000 001 kr, more than the frame 30 000 000 kr"


def test_planned_year_without_a_frame(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "{year: 2020, calls: 38000000", "{year: 2021, calls: 38000000")
    line, col = place_of(prog, "2021, calls")
    _, items = rule_findings()
    f = one(items, "SI104", f"{PROGRAMME}:{line}:{col}")
    assert text(f) == "the plan budgets 2021, a year without a frame"


# --- requisitions (SI201–SI204) ----------------------------------------------------------------------

def test_requisition_after_30_may(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    [(row, _)] = rows_of(book, "Rekvisitioner", År=2018)
    set_cell(book, "Rekvisitioner", f"B{row}", dt.datetime(2018, 6, 15))
    code, items = rule_findings()
    assert code == 1
    f = one(items, "SI201", f"{FINANCES}:Rekvisitioner!B{row}")
    assert text(f) == "the requisition for 2018 is dated 2018-06-15; the decision requires it by 2018-05-30"
    assert "Kammarkollegiet by 30/5 each year" in f["hint"]
    assert codes(items) == {"SI201"}


def test_requisition_on_30_may_passes(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    [(row, _)] = rows_of(book, "Rekvisitioner", År=2018)
    set_cell(book, "Rekvisitioner", f"B{row}", dt.datetime(2018, 5, 30))
    code, items = rule_findings()
    assert code == 0 and items == []


def test_requisitions_above_the_years_frame(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    [(row, _)] = rows_of(book, "Rekvisitioner", År=2019)
    set_cell(book, "Rekvisitioner", f"C{row}", 30000000.01)
    _, items = rule_findings()
    f = one(items, "SI202", f"{FINANCES}:Rekvisitioner!C{row}")
    assert text(f) == ("requisitions for 2019 reach 30 000 000,01 kr with this one, above the year's frame of "
                       "30 000 000,00 kr (N2018/00000/FÖF)")


def test_requisition_frame_is_judged_by_the_terms_in_force_on_its_date(inputs_copy):
    # An amendment raising the 2020 frame, decided after the 2020 requisition, does not cover it.
    book = inputs_copy / "finances.xlsx"
    [(row, _)] = rows_of(book, "Rekvisitioner", År=2020)
    set_cell(book, "Rekvisitioner", f"C{row}", 45000000)
    replace_text(inputs_copy / "decision.yaml", "amendments: []", AMENDMENT.replace(
        "    repayment_deadline: 2022-03-01\n", "    frames: [{year: 2020, amount: 50000000, status: decided}]\n"))
    _, items = rule_findings()
    one(items, "SI202", f"{FINANCES}:Rekvisitioner!C{row}")


def test_requisition_without_the_diarienummer(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    [(row, _)] = rows_of(book, "Rekvisitioner", År=2018)
    set_cell(book, "Rekvisitioner", f"D{row}", "Rekvisition 2018")
    [(row19, _)] = rows_of(book, "Rekvisitioner", År=2019)
    set_cell(book, "Rekvisitioner", f"D{row19}", "Rekvisition 2019, n2018/ 00000 /föf")  # still cites it
    _, items = rule_findings()
    f = one(items, "SI203", f"{FINANCES}:Rekvisitioner!D{row}")
    assert text(f) == ("the requisition's reference must cite the decision's diarienummer N2018/00000/FÖF; "
                       "found 'Rekvisition 2018'")
    assert codes(items) == {"SI203"}


def test_requisition_dated_in_the_year_before(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    [(row, _)] = rows_of(book, "Rekvisitioner", År=2019)
    set_cell(book, "Rekvisitioner", f"B{row}", dt.datetime(2018, 12, 20))
    code, items = rule_findings()
    assert code == 0
    f = one(items, "SI204", f"{FINANCES}:Rekvisitioner!B{row}", severity="warning")
    assert text(f) == "the requisition for 2019 is dated in 2018"


# --- funds (SI301–SI303) -------------------------------------------------------------------------------

def test_grants_beyond_the_funds_requisitioned(inputs_copy):
    # 18 200 000 kr granted from the 2018 frame; 1 900 000 kr more exceed the 20 000 000 kr requisitioned.
    [new] = append_rows(inputs_copy / "finances.xlsx", "Beviljat",
                        ["SI-2018-01", 2018, dt.datetime(2018, 12, 10), 1900000, "Tilläggsbeslut"])
    _, items = rule_findings()
    f = one(items, "SI301", f"{FINANCES}:Beviljat!D{new}")
    assert text(f) == ("grants charged to 2018–2018 total 20 100 000,00 kr, more than the 20 000 000,00 kr "
                       "requisitioned by then")


def test_grants_up_to_the_funds_requisitioned_pass(inputs_copy):
    append_rows(inputs_copy / "finances.xlsx", "Beviljat",
                ["SI-2018-01", 2018, dt.datetime(2018, 12, 10), 1800000, "Tilläggsbeslut"])
    _, items = rule_findings()
    assert "SI301" not in codes(items)


def test_costs_paid_before_the_funds_are_requisitioned(inputs_copy):
    # The first requisition is dated 2018-04-16; a cost on 2018-04-10 is paid from funds not yet there.
    [new] = append_rows(inputs_copy / "finances.xlsx", "Programkostnader",
                        [2018, dt.datetime(2018, 4, 10), "Personal", 1000, "Förskott"])
    _, items = rule_findings()
    f = one(items, "SI302", f"{FINANCES}:Programkostnader!D{new}")
    assert text(f) == ("by 2018-04-10 disbursements and programme-related costs exceed the funds requisitioned "
                       "by 1 000,00 kr")


def test_disbursements_beyond_a_projects_grants(inputs_copy, example_inputs):
    inputs, _ = load_inputs(example_inputs)
    figures = Ledger(inputs).project("SI-2018-01")
    extra = figures.granted - figures.disbursed + Decimal("0.01")
    [new] = append_rows(inputs_copy / "finances.xlsx", "Utbetalningar",
                        ["SI-2018-01", dt.datetime(2020, 12, 30), float(extra), "UB-extra"])
    _, items = rule_findings()
    f = one(items, "SI303", f"{FINANCES}:Utbetalningar!C{new}")
    assert text(f).startswith("disbursements to SI-2018-01 reach ")
    assert f"more than the {_kr(figures.granted)} granted" in text(f)


def _kr(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", " ") + f",{cents} kr"


# --- projects (SI401, SI402, SI501, SI502) ---------------------------------------------------------------

NORRBOTTEN_AREAS = 'counties: ["25"]\n    focus_areas: ["industri-4.0"]'


def test_project_without_a_focus_area(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, NORRBOTTEN_AREAS, 'counties: ["25"]\n    focus_areas: []')
    line, col = place_of(prog, "[]\n    start: 2018-11-01")
    _, items = rule_findings()
    f = one(items, "SI401", f"{PROGRAMME}:{line}:{col}")
    assert text(f).startswith("project SI-2018-01 has no focus area")


def test_project_focus_area_not_in_the_decision(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, NORRBOTTEN_AREAS, 'counties: ["25"]\n    focus_areas: ["industri-5.0"]')
    line, col = place_of(prog, '"industri-5.0"')
    _, items = rule_findings()
    f = one(items, "SI402", f"{PROGRAMME}:{line}:{col}")
    assert text(f).startswith("'industri-5.0' is not one of the decision's focus areas")
    assert text(f).endswith("did you mean 'industri-4.0'?")


def test_call_focus_area_not_in_the_decision(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, 'budget: 5000000\n    focus_areas: ["industri-4.0", hallbar-produktion',
                 'budget: 5000000\n    focus_areas: ["industri-4.0", hallbar-produktionen')
    line, col = place_of(prog, "hallbar-produktionen")
    _, items = rule_findings()
    f = one(items, "SI402", f"{PROGRAMME}:{line}:{col}")
    assert text(f).endswith("did you mean 'hallbar-produktion'?")


def test_other_owner_without_anchoring(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "owner: {name: Region Norrbotten, kind: regional, anchoring: null}",
                 "owner: {name: Luleå tekniska universitet, kind: other, anchoring: null}")
    line, col = place_of(prog, "{name: Luleå tekniska universitet")
    _, items = rule_findings()
    f = one(items, "SI501", f"{PROGRAMME}:{line}:{col}")
    assert text(f).startswith("Luleå tekniska universitet (project SI-2018-01) is not a regional development actor")
    assert "owner.anchoring" in f["hint"]


def test_grants_mainly_to_other_actors(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    content = prog.read_text(encoding="utf-8")
    assert content.count("kind: regional, anchoring: null") == 17
    prog.write_text(content.replace("kind: regional, anchoring: null", "kind: other, anchoring: Förankrad."),
                    encoding="utf-8")
    line, col = place_of(prog, "- id: SI-2018-01")
    code, items = rule_findings()
    assert code == 0
    f = one(items, "SI502", f"{PROGRAMME}:{line}:{col}", severity="warning")
    assert text(f).startswith("only 0,0 % of the grants go to regional development actors")


# --- repayment (SI601–SI605) -----------------------------------------------------------------------------

def test_repayment_after_the_deadline(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "A2", dt.datetime(2021, 3, 2))
    _, items = rule_findings()
    f = one(items, "SI601", f"{FINANCES}:Återbetalningar!A2")
    assert text(f) == "repayment dated 2021-03-02, after the deadline 2021-03-01"
    assert codes(items) == {"SI601"}


def test_repayment_on_the_deadline_passes(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "A2", dt.datetime(2021, 3, 1))
    code, items = rule_findings()
    assert code == 0 and items == []


def test_repayment_to_another_bankgiro(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "C2", "5050-1055")
    code, items = rule_findings()
    assert code == 1
    f = one(items, "SI602", f"{FINANCES}:Återbetalningar!C2")
    assert text(f) == "repayment to bankgiro 5050-1055; the decision requires Kammarkollegiet's bankgiro 5052-5781"


def test_repayment_without_the_diarienummer(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "D2", "Återbetalning av ej förbrukade medel")
    _, items = rule_findings()
    f = one(items, "SI603", f"{FINANCES}:Återbetalningar!D2")
    assert "must cite the decision's diarienummer N2018/00000/FÖF" in text(f)


def test_repayment_of_the_wrong_amount(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "B2", 8758567.09)
    _, items = rule_findings()
    f = one(items, "SI604", f"{FINANCES}:Återbetalningar!B2")
    assert text(f).startswith("repayments total 8 758 567,09 kr, but the unspent funds are 8 758 567,10 kr")
    # The recoveries are part of the unspent funds: said, and their cells pointed at.
    assert "+ recovered from projects 97 436,80 kr" in text(f)
    assert "the difference is 0,01 kr" in text(f)
    assert [place(r) for r in f["related"]] == [f"{FINANCES}:Återkrav!C2", f"{FINANCES}:Återkrav!C3"]


def test_no_repayment_recorded(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["Återbetalningar"].delete_rows(2)
    wb.save(book)
    code, items = rule_findings("--today", "2021-04-01")
    assert code == 0
    f = one(items, "SI605", f"{FINANCES}:Återbetalningar", severity="warning")
    assert "unspent funds of 8 758 567,10 kr have no repayment recorded" in text(f)
    assert "(due 2021-03-01 to bankgiro 5052-5781)" in text(f)


# --- recoveries (SI304, SI305) -------------------------------------------------------------------

def test_recovery_from_a_project_never_paid(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Utbetalningar"]
    for r in range(ws.max_row, 1, -1):
        if ws.cell(r, 1).value == "SI-2019-03":
            ws.delete_rows(r)
    wb.save(book)
    [row] = append_rows(book, "Återkrav", ["SI-2019-03", dt.datetime(2020, 6, 1), 1000, "Fel projekt?"])
    _, items = rule_findings()
    f = one(items, "SI305", f"{FINANCES}:Återkrav!B{row}")
    assert text(f) == "recovery from SI-2019-03 dated 2020-06-01, but nothing was ever paid to it"
    assert "SI304" not in codes(items)  # one finding for one wrong row


def test_recoveries_add_up_per_project_in_date_order(inputs_copy):
    # SI-2018-05 was paid 2 874 512,75 kr and paid 35 000 back; a second recovery of the rest
    # plus one öre goes over, and is reported at its own cell.
    [row] = append_rows(inputs_copy / "finances.xlsx", "Återkrav",
                        ["SI-2018-05", dt.datetime(2020, 12, 20), 2839512.76, None])
    _, items = rule_findings()
    f = one(items, "SI304", f"{FINANCES}:Återkrav!C{row}")
    assert text(f) == ("recoveries from SI-2018-05 reach 2 874 512,76 kr with this one, more than the "
                       "2 874 512,75 kr paid to it")
    assert len(f["related"]) == 5  # the project's payments, the first five


# --- disbursements and project periods (SI701) ------------------------------------------------------

def test_disbursement_before_the_project_starts(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    row = rows_of(book, "Utbetalningar", Projekt="SI-2018-01")[0][0]
    set_cell(book, "Utbetalningar", f"B{row}", dt.datetime(2018, 10, 31))
    _, items = rule_findings()
    f = one(items, "SI701", f"{FINANCES}:Utbetalningar!B{row}")
    assert text(f) == "disbursement to SI-2018-01 on 2018-10-31, before the project starts (2018-11-01)"
    assert codes(items) == {"SI701"}


def test_disbursement_after_the_project_ended_is_a_warning(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    row = rows_of(book, "Utbetalningar", Projekt="SI-2018-05")[-1][0]
    set_cell(book, "Utbetalningar", f"B{row}", dt.datetime(2020, 11, 16))
    code, items = rule_findings()
    assert code == 0
    f = one(items, "SI701", f"{FINANCES}:Utbetalningar!B{row}", severity="warning")
    assert text(f) == "disbursement to SI-2018-05 on 2020-11-16, after the project ended (2020-10-31)"


def test_final_payment_after_the_period_is_still_counted(inputs_copy, example_inputs):
    # A project's final payment in January 2021 is paid from the decision's funds: it lowers the
    # funds to repay, so the example's repayment, lowered by the same amount, is right.
    book = inputs_copy / "finances.xlsx"
    row = rows_of(book, "Utbetalningar", Projekt="SI-2018-01")[-1][0]
    set_cell(book, "Utbetalningar", f"B{row}", dt.datetime(2021, 1, 15))
    replace_text(inputs_copy / "programme.yaml", "    start: 2018-11-01\n    end: 2020-12-31\n    status: completed\n"
                 "    summary: >-\n      Digitaliseringscheckar",
                 "    start: 2018-11-01\n    end: 2021-01-31\n    status: completed\n"
                 "    summary: >-\n      Digitaliseringscheckar")
    code, items = rule_findings()
    assert code == 0 and items == []
    before, _ = load_inputs(example_inputs)
    after, _ = load_inputs(inputs_copy)
    assert Ledger(after).total.disbursed == Ledger(before).total.disbursed
    assert Ledger(after).project("SI-2018-01").disbursed == Ledger(before).project("SI-2018-01").disbursed


# --- deliverables (SI801) -------------------------------------------------------------------------------

def test_final_report_needs_the_evaluation(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    content = prog.read_text(encoding="utf-8")
    prog.write_text(content[:content.index("\nevaluation:")] + "\n", encoding="utf-8")
    line, col = place_of(prog, "agency:")
    code, items = rule_findings("--today", "2021-03-01")
    assert code == 0  # validate warns; building the final report fails
    f = one(items, "SI801", f"{PROGRAMME}:{line}:{col}", severity="warning")
    assert text(f) == ("not ready to build: slutredovisning-2021 must include an evaluation of results and effects, "
                       "but programme.yaml has no 'evaluation'")
    inputs, _ = load_inputs(inputs_copy)
    [err] = rules.deliverable_completeness(inputs, Ledger(inputs), "slutredovisning-2021")
    assert err.is_error and err.code == "SI801"
    # Before the last accounting year has ended, the final report is not expected to be complete.
    _, early = rule_findings("--today", "2020-06-01")
    assert "SI801" not in codes(early)


def test_interim_report_needs_the_years_accounts(inputs_copy):
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    ws = wb["Programkostnader"]
    for number, _ in reversed(rows_of(book, "Programkostnader", År=2019)):
        ws.delete_rows(number)
    wb.save(book)
    line, col = place_of(inputs_copy / "decision.yaml", "- id: delrapport-2020")
    _, items = rule_findings()
    f = one(items, "SI801", f"{DECISION}:{line}:{col + 2}", severity="warning")
    assert text(f) == ("not ready to build: delrapport-2020 accounts for 2019, but inputs/finances.xlsx has no "
                       "programme-related costs (Programkostnader) for 2019")


def test_deliverable_without_texts(inputs_copy):
    prog = inputs_copy / "programme.yaml"
    replace_text(prog, "  delrapport-2019:\n", "  delrapport-2019-utkast:\n")
    line, col = place_of(prog, "texts:")
    _, items = rule_findings()
    f = one(items, "SI801", f"{PROGRAMME}:{line}:{col}", severity="warning")
    assert "programme.yaml has no texts for delrapport-2019" in text(f)


# --- amendments -----------------------------------------------------------------------------------------

AMENDMENT = """amendments:
  - diarienummer: "N2020/00000/FÖF"
    date: 2020-10-15
    description: Förlängning av uppdraget på grund av covid-19
    deliverable_due: {slutredovisning-2021: 2022-03-31}
    repayment_deadline: 2022-03-01
"""


def test_amendment_moves_the_repayment_deadline_and_the_final_report(inputs_copy):
    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "A2", dt.datetime(2021, 6, 1))
    _, items = rule_findings()
    one(items, "SI601", f"{FINANCES}:Återbetalningar!A2")  # late under the original decision

    replace_text(inputs_copy / "decision.yaml", "amendments: []", AMENDMENT)
    code, items = rule_findings()
    assert code == 0 and items == []

    result = run_cli("status", "--today", "2021-01-10", "--out", "outputs")
    assert result.exit_code == 0
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("slutredovisning-2021"))
    assert "2022-03-31 (moved by N2020/00000/FÖF)" in line
    assert "2021-03-31" not in result.stdout
    repayment = next(ln for ln in result.stdout.splitlines() if ln.startswith("repayment"))
    assert "2022-03-01" in repayment


def test_amendment_applies_from_its_own_date(inputs_copy):
    # A repayment made after the original deadline, before an amendment that moved it, was late.
    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "A2", dt.datetime(2021, 4, 1))
    replace_text(inputs_copy / "decision.yaml", "amendments: []", AMENDMENT.replace("2020-10-15", "2021-05-01"))
    _, items = rule_findings()
    f = one(items, "SI601", f"{FINANCES}:Återbetalningar!A2")
    assert text(f) == "repayment dated 2021-04-01, after the deadline 2021-03-01"
    # The status on a day before the amendment shows the original due date.
    result = run_cli("status", "--today", "2021-02-01", "--out", "outputs")
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("slutredovisning-2021"))
    assert "2021-03-31" in line and "moved" not in line


def test_amendment_for_an_unknown_deliverable(inputs_copy):
    dec = inputs_copy / "decision.yaml"
    replace_text(dec, "amendments: []", AMENDMENT.replace("{slutredovisning-2021:", "{slutredovisningen-2021:"))
    line, col = place_of(dec, "slutredovisningen-2021:")
    code, items = validate_json()
    assert code == 1
    [f] = [x for x in items if x["code"] == "unknown-reference"]
    assert place(f) == f"{DECISION}:{line}:{col + len('slutredovisningen-2021: ')}"
    assert f["message"] == "unknown deliverable 'slutredovisningen-2021'; did you mean 'slutredovisning-2021'?"

