"""The ledger: every figure recomputed independently, and totals that are the exact sum of their rows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.inputs.load import Inputs, load_inputs
from reportgen.inputs.model import (
    COUNTIES,
    Disbursement,
    Finances,
    Grant,
    Programme,
    ProgrammeCost,
    Project,
    Repayment,
    Requisition,
)
from reportgen.rules.ledger import Ledger
from reportgen.rules.money import apportion, round_parts

OERE = Decimal("0.01")
EXAMPLE = Path(__file__).resolve().parents[2] / "inputs"


@pytest.fixture(scope="module")
def shipped() -> Inputs:
    inputs, findings = load_inputs(EXAMPLE)
    assert inputs is not None and not [f for f in findings if f.is_error]
    return inputs


def excel_records(sheet: str) -> list[dict]:
    """The rows of a sheet of the shipped workbook as {header: value}, amounts as Decimal(str(cell))."""
    book = openpyxl.load_workbook(EXAMPLE / "finances.xlsx", data_only=True)
    ws = book[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    out = []
    for values in rows[1:]:
        if all(v is None for v in values):
            continue
        record = dict(zip(header, values))
        record["Belopp"] = Decimal(str(record["Belopp"]))
        out.append(record)
    return out


# --- the shipped ledger against the cells of finances.xlsx ---------------------------------------

def test_year_figures_match_the_workbook(shipped):
    ledger = Ledger(shipped)
    requisitioned, granted, disbursed, costs = (defaultdict(Decimal) for _ in range(4))
    for r in excel_records("Rekvisitioner"):
        requisitioned[r["År"]] += r["Belopp"]
    for r in excel_records("Beviljat"):
        granted[r["År"]] += r["Belopp"]
    for r in excel_records("Utbetalningar"):
        disbursed[r["Datum"].year] += r["Belopp"]
    for r in excel_records("Programkostnader"):
        costs[r["År"]] += r["Belopp"]
    repaid = sum(r["Belopp"] for r in excel_records("Återbetalningar"))
    recovered = defaultdict(Decimal)
    for r in excel_records("Återkrav"):
        recovered[r["Datum"].year] += r["Belopp"]
    assert recovered  # the example has recoveries

    assert ledger.years == [2018, 2019, 2020]
    for year in ledger.years:
        y = ledger.year(year)
        assert (y.requisitioned, y.granted, y.disbursed, y.programme_costs) == \
            (requisitioned[year], granted[year], disbursed[year], costs[year]), year
        assert y.recovered == recovered[year]
        assert y.net == requisitioned[year] - disbursed[year] - costs[year] + recovered[year]
        assert y.programme_cost_share == costs[year] / requisitioned[year]
    t = ledger.total
    assert (t.requisitioned, t.granted, t.disbursed, t.programme_costs, t.repaid) == \
        (sum(requisitioned.values()), sum(granted.values()), sum(disbursed.values()), sum(costs.values()), repaid)
    assert t.frame == Decimal(90000000)
    assert t.recovered == sum(recovered.values())
    # The example repays exactly what was not used, what projects paid back included.
    assert t.unspent == t.requisitioned - t.disbursed - t.programme_costs + t.recovered == repaid
    assert ledger.to_repay == 0


def test_opening_balances_carry_over(shipped):
    ledger = Ledger(shipped)
    balance = Decimal(0)
    for year in ledger.years:
        y = ledger.year(year)
        assert y.opening_balance == balance
        balance = balance + y.requisitioned - y.disbursed - y.programme_costs + y.recovered - y.repaid


def test_project_figures_match_the_workbook(shipped):
    ledger = Ledger(shipped)
    granted, disbursed, cofinancing = defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    actual, recovered = defaultdict(Decimal), defaultdict(Decimal)
    for r in excel_records("Återkrav"):
        recovered[r["Projekt"]] += r["Belopp"]
    for r in excel_records("Beviljat"):
        granted[r["Projekt"]] += r["Belopp"]
    for r in excel_records("Utbetalningar"):
        disbursed[r["Projekt"]] += r["Belopp"]
    for r in excel_records("Medfinansiering"):
        # Planned (Budget, or no Typ) and actual (Utfall) apart.
        (actual if r.get("Typ") == "Utfall" else cofinancing)[r["Projekt"]] += r["Belopp"]
    assert actual
    assert [p.project.id for p in ledger.projects] == [p.id for p in shipped.programme.projects]
    for figures in ledger.projects:
        pid = figures.project.id
        assert (figures.granted, figures.disbursed, figures.cofinancing_total) == \
            (granted[pid], disbursed[pid], cofinancing[pid]), pid
        assert figures.total_budget == granted[pid] + cofinancing[pid]
        assert sum(figures.cofinancing_actual.values(), Decimal(0)) == actual[pid]
        assert figures.recovered == recovered[pid]
        assert figures.net_disbursed == disbursed[pid] - recovered[pid]
    assert sum(p.granted for p in ledger.projects) == ledger.total.granted
    assert sum(p.disbursed for p in ledger.projects) == ledger.total.disbursed


@pytest.mark.parametrize("years", [None, [2018], [2019], [2020], [2018, 2019]])
def test_distributions_add_up_to_the_totals(shipped, years):
    ledger = Ledger(shipped)
    whole = ledger.total if years is None else ledger.totals_for(years)
    for dist in (ledger.by_county(years), ledger.by_focus_area(years)):
        assert sum(r.granted for r in dist.rows) == dist.granted == whole.granted
        assert sum(r.disbursed for r in dist.rows) == dist.disbursed == whole.disbursed


def test_county_distribution_follows_the_shares(shipped):
    """Each county's figure is within one öre per split project of its exact share."""
    ledger = Ledger(shipped)
    exact: dict[str, Fraction] = defaultdict(Fraction)
    splits: dict[str, int] = defaultdict(int)
    for figures in ledger.projects:
        counties = figures.project.counties
        shares = [Fraction(c.share) if c.share is not None else Fraction(100, len(counties)) for c in counties]
        for c, s in zip(counties, shares):
            exact[c.code] += Fraction(figures.granted) * s / 100
            splits[c.code] += len(counties) > 1
    dist = ledger.by_county()
    assert dist.rule == "shares" and dist.split_projects == 3
    assert {r.key for r in dist.rows} == set(COUNTIES)  # the example reaches every county
    for row in dist.rows:
        assert abs(Fraction(row.granted) - exact[row.key]) <= Fraction(splits[row.key], 100), row.key
        assert row.name == COUNTIES[row.key]


# --- money: apportion and round_parts ------------------------------------------------------------

QUANTA = [Decimal("0.01"), Decimal(1), Decimal(1000)]
weights_st = st.lists(st.decimals(min_value=0, max_value=1000, places=3), min_size=1, max_size=12)


@pytest.mark.slow
@given(units=st.integers(min_value=-10**13, max_value=10**13), weights=weights_st, quantum=st.sampled_from(QUANTA))
def test_apportion_sums_to_the_total_and_stays_within_a_quantum(units, weights, quantum):
    total = units * quantum
    parts = apportion(total, weights, quantum)
    assert len(parts) == len(weights)
    assert sum(parts, Decimal(0)) == total
    weight_sum = sum(Fraction(w) for w in weights)
    for part, w in zip(parts, weights):
        exact = Fraction(total) * Fraction(w) / weight_sum if weight_sum else Fraction(total) / len(weights)
        assert abs(Fraction(part) - exact) < Fraction(quantum)
        assert part % quantum == 0


@given(units=st.integers(min_value=-10**13, max_value=10**13), n=st.integers(min_value=1, max_value=30),
       weight=st.decimals(min_value=0, max_value=1000, places=3), quantum=st.sampled_from(QUANTA))
def test_equal_weights_take_the_short_way_to_the_same_parts(units, n, weight, quantum):
    from reportgen.rules.money import _apportion

    total = units * quantum
    assert apportion(total, [weight] * n, quantum) == _apportion(total, [weight] * n, quantum)


def test_apportion_examples():
    assert apportion(Decimal("100.00"), [Decimal(1)] * 3) == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert apportion(Decimal("1.00"), [Decimal(60), Decimal(40)]) == [Decimal("0.60"), Decimal("0.40")]
    assert apportion(Decimal("0.05"), [Decimal(0), Decimal(0)]) == [Decimal("0.03"), Decimal("0.02")]
    assert apportion(Decimal(5), []) == []


parts_st = st.lists(st.decimals(min_value=0, max_value=10**11, places=2), max_size=15)


@given(parts=parts_st, quantum=st.sampled_from([Decimal("0.1"), Decimal(1), Decimal(1000), Decimal(1000000)]))
def test_round_parts_add_up_to_the_rounded_total(parts, quantum):
    rounded, total = round_parts(parts, quantum)
    assert len(rounded) == len(parts)
    assert sum(rounded, Decimal(0)) == total
    assert total % quantum == 0
    assert abs(total - sum(parts, Decimal(0))) <= quantum / 2
    for r, p in zip(rounded, parts):
        assert r % quantum == 0
        assert abs(r - p) < quantum * Decimal("1.5")


def test_round_parts_example():
    # 1/3 each in thousands: plain rounding would show 0 + 0 + 0 = 1.
    rounded, total = round_parts([Decimal("333.33"), Decimal("333.33"), Decimal("333.34")], Decimal(1000))
    assert total == Decimal(1000)
    assert sum(rounded) == total


# --- generated ledgers ------------------------------------------------------------------------------

YEARS = (2018, 2019, 2020)
AREAS = ("industri-4.0", "hallbar-produktion", "kunskapslyft-industri", "testbadd-sverige")
money_st = st.decimals(min_value=0, max_value=10**7, places=2)


@st.composite
def shares_st(draw, choices):
    codes = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique=True))
    if len(codes) == 1 or draw(st.booleans()):
        return codes
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(codes) - 1, max_size=len(codes) - 1)))
    shares = [b - a for a, b in zip([0] + cuts, cuts + [100])]
    return [{"code": c, "share": s} for c, s in zip(codes, shares)]


@st.composite
def inputs_st(draw, decision, agency):
    n = draw(st.integers(1, 5))
    projects = [Project.model_validate({
        "id": f"P-{i}", "title": f"Projekt {i}", "owner": {"name": "Region", "kind": "regional"},
        "counties": draw(shares_st(tuple(COUNTIES))), "focus_areas": draw(shares_st(AREAS)),
        "start": "2018-01-01", "end": "2021-12-31", "status": "ongoing"}) for i in range(n)]
    ids = [p.id for p in projects]
    day_st = st.dates(dt.date(2017, 6, 1), dt.date(2021, 6, 30))  # also before and after the period
    fin = Finances(
        requisitions=[Requisition(year=y, date=dt.date(y, 3, 1), amount=a)
                      for y, a in draw(st.lists(st.tuples(st.sampled_from(YEARS), money_st), max_size=4))],
        grants=[Grant(project=p, year=y, decided=dt.date(y, 6, 1), amount=a)
                for p, y, a in draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(YEARS), money_st),
                                             max_size=8))],
        disbursements=[Disbursement(project=p, date=d, amount=a)
                       for p, d, a in draw(st.lists(st.tuples(st.sampled_from(ids), day_st, money_st), max_size=8))],
        programme_costs=[ProgrammeCost(year=y, date=dt.date(y, 6, 1), kind="Personal", amount=a)
                         for y, a in draw(st.lists(st.tuples(st.sampled_from(YEARS), money_st), max_size=4))],
        repayments=[Repayment(date=d, amount=a, bankgiro="5052-5781")
                    for d, a in draw(st.lists(st.tuples(day_st, money_st), max_size=2))],
    )
    programme = Programme(agency=agency, projects=projects)
    return Inputs(Path("."), decision, programme, fin, None, None, "finances.xlsx")


@pytest.fixture(scope="module")
def base(shipped):
    return shipped.decision, shipped.programme.agency


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_ledgers_add_up(base, data):
    inputs = data.draw(inputs_st(*base))
    fin = inputs.finances
    ledger = Ledger(inputs)
    rows = [ledger.year(y) for y in ledger.years]
    t = ledger.total
    for name in ("frame", "requisitioned", "granted", "disbursed", "programme_costs"):
        assert getattr(t, name) == sum((getattr(r, name) for r in rows), Decimal(0)), name
    # Every record is counted once: nothing falls between the years of the period.
    assert t.requisitioned == sum((r.amount for r in fin.requisitions), Decimal(0))
    assert t.granted == sum((g.amount for g in fin.grants), Decimal(0))
    assert t.disbursed == sum((d.amount for d in fin.disbursements), Decimal(0))
    assert t.programme_costs == sum((c.amount for c in fin.programme_costs), Decimal(0))
    assert t.repaid == sum((r.amount for r in fin.repayments), Decimal(0))
    assert t.unspent == t.requisitioned - t.disbursed - t.programme_costs

    assert sum((p.granted for p in ledger.projects), Decimal(0)) == t.granted
    assert sum((p.disbursed for p in ledger.projects), Decimal(0)) == t.disbursed
    for p in ledger.projects:
        assert sum(p.granted_by_year.values(), Decimal(0)) == p.granted
        assert sum(p.disbursed_by_year.values(), Decimal(0)) == p.disbursed

    for years in (None, [2018], [2019, 2020]):
        whole = t if years is None else ledger.totals_for(years)
        for dist in (ledger.by_county(years), ledger.by_focus_area(years)):
            assert sum((r.granted for r in dist.rows), Decimal(0)) == dist.granted == whole.granted
            assert sum((r.disbursed for r in dist.rows), Decimal(0)) == dist.disbursed == whole.disbursed
