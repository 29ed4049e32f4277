"""Issue #7: what makes validation fast gives what the general code gives.

The YAML reader's look for control characters and blank files, a cell's findings in a long sheet,
and the rules and ledger figures computed in one pass, each checked against the general code or
the former way of computing the same thing, on generated input. (The parsers' shortcuts, plain
sheets and the streamed YAML builder were measured to save under 5 % of a build at 10 000
projects and were removed: docs/architecture.md, issue 14.)
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from conftest import EXAMPLE_INPUTS, set_cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError
from test_ledger import inputs_st

from reportgen.findings import error, warning
from reportgen.inputs import load as inputs_module
from reportgen.inputs.load import load_inputs
from reportgen.inputs.sources import yaml as yaml_source
from reportgen.inputs.sources.yaml import load_yaml
from reportgen.report.formatting import date_iso, date_long, kr
from reportgen.rules import decision as rules
from reportgen.rules.ledger import ZERO, Ledger

FAST = settings(max_examples=300, deadline=None)


def outcome(parse, value):
    try:
        result = parse(value)
    except PydanticCustomError as exc:
        return "error", exc.type, str(exc)
    except ValueError as exc:  # pydantic makes a finding of it too
        return "error", type(exc), str(exc)
    return "value", type(result), result


# --- YAML ------------------------------------------------------------------------------------------

CONTROLS = [chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)] if c != 0x85]


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_the_reader_refuses_every_control_character_written_as_it_is(char, tmp_path):
    # What YamlDocument.may_hold_control_characters relies on: only NEL and escapes get through.
    path = tmp_path / "t.yaml"
    path.write_text(f"a: x{char}y\n", encoding="utf-8")
    doc, found = load_yaml(path, "t.yaml")
    assert doc is None and [f.code for f in found] == ["yaml-character"]


@pytest.mark.parametrize("text, expected", [
    ("a: 'x\u0085y'\n", True), ('a: "x\\ay"\n', True), ('a: "x\\x07"\n', True), ('a: "x\\u0007"\n', True),
    ('a: "x\\U00000007"\n', True), ('a: "x\\0"\n', True), ('a: "x\\e"\n', True), ('a: "x\\N"\n', True),
    ('a: "x\\vy"\n', True), ('a: "x\\fy"\n', True), ('a: "x\\by"\n', True), ('a: "x\\\\ay"\n', True),
    ('a: "x\\ty\\n"\n', False), ("a: 'x\\y'\n", False), ("a: x\n", False), ("a: c:\\temp\n", False),
])
def test_a_document_that_may_hold_a_control_character_is_looked_through(text, expected, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(text, encoding="utf-8")
    doc, found = load_yaml(path, "t.yaml")
    assert not found
    assert doc.may_hold_control_characters() is expected
    if not expected:
        assert not any(inputs_module._CONTROL.search(v) for v in doc.data.values())


@FAST
@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029\u00a0\u3000#a:"), max_size=14))
def test_a_text_is_seen_to_be_only_blanks_and_comments_as_line_by_line(text):
    by_lines = not text.strip() or all(ln.strip().startswith("#") or not ln.strip() for ln in text.splitlines())
    assert yaml_source._blank_or_comments(text) == by_lines


# --- Excel -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, value, number_format, code", [
    ("D40", "UB-_x000B_1", None, "text-control-character"),  # a text with a control character
    ("C40", "#DIV/0!", None, "xlsx-cell-error"),  # a text that reads as an Excel error
    ("C40", "=1/0", None, "xlsx-formula-uncached"),  # a formula never calculated
    ("B40", 43500, "0", "xlsx-date-serial"),  # a number in a date column
    ("B40", True, None, "date"),  # a yes/no value in a date column
])
def test_a_sheet_with_something_to_say_about_a_cell_is_gone_through_cell_by_cell(inputs_copy, cell, value,
                                                                                  number_format, code):
    set_cell(inputs_copy / "finances.xlsx", "Utbetalningar", cell, value, number_format)
    _, found = load_inputs(inputs_copy)
    hits = [f for f in found if f.code == code]
    assert hits and all(str(f.where).endswith(f"Utbetalningar!{cell}") for f in hits), [str(f) for f in found]


def test_places_and_values_of_records_from_a_plain_sheet(example_inputs):
    inputs, found = load_inputs(example_inputs)
    assert not [f for f in found if f.is_error]
    book = openpyxl.load_workbook(EXAMPLE_INPUTS / "finances.xlsx", data_only=True)
    ws = book["Utbetalningar"]
    for number, record in enumerate(inputs.finances.disbursements, start=2):
        assert record.project == ws[f"A{number}"].value
        assert record.amount == Decimal(str(ws[f"C{number}"].value)).quantize(Decimal("0.01"))
        assert str(record.where("amount")).endswith(f"Utbetalningar!C{number}")
        assert str(record.where()).endswith(f"Utbetalningar!A{number}")


# --- the ledger and the rules ----------------------------------------------------------------------

def _funds_available_as_before(inputs) -> list:
    """The day-by-day check of funds_available as it was written first: every event, in order."""
    fin = inputs.finances
    events = [(r.date, 0, r.amount, r) for r in fin.requisitions]
    events += [(x.date, 1, -x.amount, x) for x in fin.disbursements]
    events += [(c.date, 1, -c.amount, c) for c in fin.programme_costs]
    balance, reported, out = Decimal(0), set(), []
    for day, _, delta, record in sorted(events, key=lambda e: (e[0], e[1])):
        balance += delta
        if balance < 0 and day.year not in reported:
            reported.add(day.year)
            out.append(error(rules.DISBURSEMENTS_BEYOND_FUNDS,
                             f"by {date_iso(day)} disbursements and programme-related costs exceed the funds "
                             f"requisitioned by {kr(-balance, 2)}", record.where("amount"),
                             hint="requisition the year's funds before paying out"))
    return out


def _periods_as_before(inputs) -> list:
    """disbursement_periods as it was written first: every payment looked at."""
    out = []
    for x in inputs.finances.disbursements:
        p = inputs.project(x.project)
        if p is None:
            continue
        if x.date < p.start:
            out.append(error(rules.DISBURSEMENT_OUTSIDE_PROJECT,
                             f"disbursement to {p.id} on {date_iso(x.date)}, before the project starts "
                             f"({date_iso(p.start)})", x.where("date")))
        elif x.date > p.end:
            out.append(warning(rules.DISBURSEMENT_OUTSIDE_PROJECT,
                               f"disbursement to {p.id} on {date_iso(x.date)}, after the project ended "
                               f"({date_iso(p.end)})", x.where("date"),
                               hint="a final payment after the end is normal; check the date if it is not one",
                               report_text=f"En utbetalning på {kr(x.amount)} till projekt {p.id} gjordes den "
                                           f"{date_long(x.date)}, efter projektets slut den {date_long(p.end)}."))
    return out


def _beyond_grant_as_before(inputs, ledger) -> list:
    out = []
    for figures in ledger.projects:
        running = Decimal(0)
        for x in sorted((x for x in inputs.finances.disbursements if x.project == figures.project.id),
                        key=lambda x: x.date):
            running += x.amount
            if running > figures.granted:
                out.append((figures.project.id, running))
                break
    return out


@pytest.fixture(scope="module")
def shipped_base():
    inputs, _ = load_inputs(EXAMPLE_INPUTS)
    return inputs.decision, inputs.programme.agency


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_rules_and_figures_computed_in_one_pass_are_those_computed_record_by_record(shipped_base, data):
    inputs = data.draw(inputs_st(*shipped_base))
    fin = inputs.finances
    ledger = Ledger(inputs)
    first, last = ledger.years[0], ledger.years[-1]

    def year_of(day):
        return min(max(day.year, first), last)

    for y in ledger.years:
        figures = ledger.year(y)
        assert figures.granted == sum((g.amount for g in fin.grants if g.year == y), ZERO)
        assert figures.disbursed == sum((d.amount for d in fin.disbursements if year_of(d.date) == y), ZERO)
        assert figures.programme_costs == sum((c.amount for c in fin.programme_costs if c.year == y), ZERO)
        assert figures.repaid == sum((r.amount for r in fin.repayments if r.date.year == y), ZERO)
    for p in ledger.projects:
        by_year: dict[int, Decimal] = {}
        for d in fin.disbursements:
            if d.project == p.project.id:
                by_year[year_of(d.date)] = by_year.get(year_of(d.date), ZERO) + d.amount
        assert p.disbursed_by_year == dict(sorted(by_year.items()))
        assert list(p.granted_by_year) == sorted(p.granted_by_year)

    assert _beyond_funds(inputs) == _funds_available_as_before(inputs)
    assert list(rules.disbursement_periods(inputs, ledger)) == _periods_as_before(inputs)
    assert ledger.disbursement_years == {d.date.year for d in fin.disbursements}
    beyond = [(f.message.split()[2], f.message) for f in rules.disbursements_within_grant(inputs, ledger)]
    assert [pid for pid, _ in beyond] == [pid for pid, _ in _beyond_grant_as_before(inputs, ledger)]
    for (_, message), (_, running) in zip(beyond, _beyond_grant_as_before(inputs, ledger)):
        assert f"reach {kr(running, 2)} with this one" in message


def _beyond_funds(inputs) -> list:
    return [f for f in rules.funds_available(inputs, Ledger(inputs)) if f.code == rules.DISBURSEMENTS_BEYOND_FUNDS]


@st.composite
def crowded_finances_st(draw, base):
    """Requisitions, disbursements and costs on a few days, so that days hold several of them."""
    days = [dt.date(2018, 3, 1), dt.date(2018, 6, 1), dt.date(2019, 3, 1), dt.date(2019, 6, 1), dt.date(2020, 1, 1)]
    amount = st.decimals(min_value=0, max_value=1000, places=2)
    event = st.tuples(st.sampled_from(days), amount)
    fin = base.finances.model_copy(update={
        "requisitions": [base.finances.requisitions[0].model_copy(update={"date": d, "amount": a, "year": d.year})
                         for d, a in draw(st.lists(event, max_size=10))],
        "disbursements": [base.finances.disbursements[0].model_copy(update={"date": d, "amount": a})
                          for d, a in draw(st.lists(event, max_size=8))],
        "programme_costs": [base.finances.programme_costs[0].model_copy(update={"date": d, "amount": a})
                            for d, a in draw(st.lists(event, max_size=4))],
    })
    return inputs_module.Inputs(base.folder, base.decision, base.programme, fin, base.decision_doc,
                                base.programme_doc, base.finances_file)


@pytest.fixture(scope="module")
def shipped():
    inputs, _ = load_inputs(EXAMPLE_INPUTS)
    return inputs


@pytest.mark.slow
@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_funds_judged_day_by_day_as_event_by_event(shipped, data):
    inputs = data.draw(crowded_finances_st(shipped))
    assert _beyond_funds(inputs) == _funds_available_as_before(inputs)
