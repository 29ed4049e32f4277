#!/usr/bin/env python3
"""Write the shipped example ``inputs/finances.xlsx`` (see docs/inputs.md).

The workbook is built deterministically from the tables below: no randomness, no clock.
Running the script twice gives byte-identical files (fixed document properties, fixed zip
entry times and order).

All money arithmetic uses :class:`decimal.Decimal`. Cells hold plain values, never formulas:
amounts are number cells (whole kronor as ``int``; the few amounts with öre as ``float``,
checked to convert back exactly), dates are real date cells formatted ``yyyy-mm-dd``.

The repayment (``Återbetalningar``) is computed, not typed in::

    repayment = total requisitioned - total disbursed - total programme-related costs
                + total recovered from projects (Återkrav)

The example uses what the format holds beyond the basics: recoveries (``Återkrav``), co-financing
by year and kind (``Medfinansiering`` with ``År`` and ``Typ``), the owner's own funds (``Egen
finansiering``) and a cost label of the agency's own (``Resor och logi``).

Before writing, the script checks the money against the decision's terms (requisition
deadline and frames, the five per cent cap, grants within requisitioned funds,
disbursements within project periods and grants, ...) and, when ``inputs/programme.yaml``
is present, that project ids, calls, periods and statuses agree with it. After writing, it
reads the workbook back with ``openpyxl`` (``data_only=True``) and prints per-year totals.

Usage::

    python tools/make_example_finances.py [--out inputs/finances.xlsx] [--no-check-programme]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

D = Decimal
date = dt.date

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "inputs" / "finances.xlsx"
PROGRAMME_YAML = ROOT / "inputs" / "programme.yaml"

# --------------------------------------------------------------------------------------
# Terms of the decision (decision.yaml). The diarienummer is illustrative.
# --------------------------------------------------------------------------------------
DNR = "N2018/00000/FÖF"
FRAMES = {2018: D("20000000"), 2019: D("30000000"), 2020: D("40000000")}
COST_CAP = D("0.05")
REQUISITION_DEADLINE = (5, 30)  # month, day
REPAYMENT_DEADLINE = date(2021, 3, 1)
BANKGIRO = "5052-5781"
PERIOD_START, PERIOD_END = date(2018, 7, 1), date(2020, 12, 31)  # project periods lie within

FIXED_TIMESTAMP = dt.datetime(2021, 2, 15, 12, 0, 0)  # workbook properties and zip entries

# --------------------------------------------------------------------------------------
# Requisitions (Rekvisitioner): one per year, before 30 May. 2020 requisitions less than the
# estimated frame: the need was known by then.
# --------------------------------------------------------------------------------------
REQUISITIONS = [
    (2018, date(2018, 4, 16), D("20000000")),
    # After the 2019 interim report's due date (and before 30 May): `reportgen status --today
    # 2019-04-15` shows it not yet done.
    (2019, date(2019, 5, 13), D("30000000")),
    (2020, date(2020, 2, 3), D("24000000")),
]

# Grant decision dates per (call, frame year): after the call closed, within the year.
GRANT_DATES = {
    ("utlysning-2018", 2018): date(2018, 11, 29),
    ("utlysning-2018", 2019): date(2019, 2, 21),
    ("utlysning-2018", 2020): date(2020, 2, 20),
    ("utlysning-2019", 2019): date(2019, 6, 20),
    ("utlysning-2019", 2020): date(2020, 2, 20),
}
GRANT_COMMENTS = {
    ("utlysning-2018", 2018): "Beslut om stöd, utlysning 2018 (2018 års medel)",
    ("utlysning-2018", 2019): "Fortsatt stöd ur 2019 års medel",
    ("utlysning-2018", 2020): "Fortsatt stöd ur 2020 års medel",
    ("utlysning-2019", 2019): "Beslut om stöd, utlysning 2019 (2019 års medel)",
    ("utlysning-2019", 2020): "Fortsatt stöd ur 2020 års medel",
}


@dataclass
class Project:
    id: str
    call: str
    start: date
    end: date
    status: str
    grants: dict[int, Decimal]  # frame year -> granted amount
    used: Decimal  # total that is finally disbursed
    payments: list[tuple[date, Decimal]] | None = None  # explicit schedule (else generated)
    disbursements: list[tuple[date, Decimal]] = field(default_factory=list)

    @property
    def granted(self) -> Decimal:
        return sum(self.grants.values(), D(0))


def k(amount: str) -> Decimal:
    """Amount from text such as '1 200 000' or '3 418 226,50'."""
    return D(amount.replace(" ", "").replace(",", "."))


def P(pid, call, start, end, status, g18, g19, g20, used, payments=None):
    grants = {y: k(a) for y, a in ((2018, g18), (2019, g19), (2020, g20)) if a}
    return Project(pid, call, start, end, status, grants, k(used), payments)


U18, U19 = "utlysning-2018", "utlysning-2019"

PROJECTS = [
    #  id           call  start             end               status       2018         2019         2020         used (finally paid)
    P("SI-2018-01", U18, date(2018, 11, 1), date(2020, 12, 31), "completed", "1 200 000", "1 600 000", "1 200 000", "4 000 000"),
    P("SI-2018-02", U18, date(2018, 12, 1), date(2020, 12, 31), "completed", "1 100 000", "1 400 000", "1 000 000", "3 418 226,50"),
    P("SI-2018-03", U18, date(2018, 11, 1), date(2020, 12, 31), "completed", "1 500 000", "1 800 000", "1 400 000", "4 700 000"),
    P("SI-2018-04", U18, date(2019, 1, 1), date(2020, 12, 31), "completed", "1 000 000", "1 300 000", "900 000", "3 146 890"),
    P("SI-2018-05", U18, date(2018, 12, 1), date(2020, 10, 31), "completed", "900 000", "1 200 000", "900 000", "2 874 512,75"),
    P("SI-2018-06", U18, date(2018, 11, 1), date(2020, 12, 31), "completed", "1 100 000", "1 500 000", "1 000 000", "3 600 000"),
    P("SI-2018-07", U18, date(2018, 12, 1), date(2020, 12, 31), "completed", "1 300 000", "1 700 000", "1 300 000", "4 251 300"),
    P("SI-2018-08", U18, date(2019, 1, 1), date(2020, 12, 31), "completed", "1 000 000", "1 400 000", "1 000 000", "3 400 000"),
    P("SI-2018-09", U18, date(2018, 12, 1), date(2019, 4, 30), "cancelled", "800 000", "1 000 000", None, "412 436,80",
      payments=[(date(2018, 12, 14), k("200 000")), (date(2019, 3, 15), k("150 000")),
                (date(2019, 4, 26), k("62 436,80"))]),
    P("SI-2018-10", U18, date(2018, 12, 1), date(2020, 12, 31), "completed", "1 400 000", "1 900 000", "1 500 000", "4 763 118,40"),
    P("SI-2018-11", U18, date(2018, 11, 1), date(2020, 12, 31), "completed", "1 500 000", "2 000 000", "1 600 000", "5 100 000"),
    P("SI-2018-12", U18, date(2019, 2, 1), date(2020, 12, 31), "completed", "700 000", "1 000 000", "800 000", "2 318 750"),
    P("SI-2018-13", U18, date(2019, 1, 1), date(2020, 9, 30), "completed", "600 000", "900 000", "700 000", "2 200 000"),
    P("SI-2018-14", U18, date(2018, 12, 1), date(2020, 12, 31), "completed", "1 600 000", "2 100 000", "1 500 000", "5 200 000"),
    P("SI-2018-15", U18, date(2019, 1, 1), date(2020, 12, 31), "completed", "700 000", "1 000 000", "800 000", "2 437 660"),
    P("SI-2018-16", U18, date(2018, 12, 1), date(2020, 12, 31), "completed", "1 200 000", "1 700 000", "1 300 000", "4 200 000"),
    P("SI-2018-17", U18, date(2019, 2, 1), date(2020, 6, 30), "completed", "600 000", "900 000", "700 000", "2 153 905,25"),
    P("SI-2019-01", U19, date(2019, 9, 1), date(2020, 12, 31), "completed", None, "600 000", "900 000", "1 386 420"),
    P("SI-2019-02", U19, date(2019, 8, 1), date(2020, 12, 31), "completed", None, "700 000", "1 000 000", "1 700 000"),
    P("SI-2019-03", U19, date(2019, 9, 1), date(2020, 12, 31), "completed", None, "500 000", "700 000", "1 164 350"),
]

# Interim payment dates (paid against lägesrapporter); advance and final payment are per project.
INTERIM_DATES = [date(2019, 4, 15), date(2019, 10, 15), date(2020, 4, 15), date(2020, 10, 15)]

# Programme-related costs (Programkostnader): year, date, kind, amount, description.
PROGRAMME_COSTS = [
    (2018, date(2018, 6, 15), "Kommunikation", "48 500", "Informationsmöten och webbinarium om utlysningen"),
    (2018, date(2018, 6, 29), "Personal", "240 000", "Programledning och handläggning april–juni"),
    (2018, date(2018, 10, 31), "Resor och logi", "27 800", "Resor i samband med regionbesök"),
    (2018, date(2018, 11, 16), "Administration", "96 000", "Externa bedömare, utlysning 2018"),
    (2018, date(2018, 12, 28), "Personal", "330 000", "Programledning och handläggning juli–december"),
    (2019, date(2019, 5, 31), "Utvärdering", "150 000", "Oxford Research, uppstart och spår 1 (projektportföljen)"),
    (2019, date(2019, 6, 20), "Administration", "38 000", "Externa bedömare, utlysning 2019"),
    (2019, date(2019, 6, 28), "Personal", "340 000", "Programledning och handläggning januari–juni"),
    (2019, date(2019, 9, 30), "Resor och logi", "31 200", "Resor och lokalhyra för nätverksträffar"),
    (2019, date(2019, 10, 10), "Kommunikation", "72 500", "Nationell konferens Smart industri i regionerna"),
    (2019, date(2019, 11, 29), "Utvärdering", "180 000", "Oxford Research, spår 2 (genomförandet)"),
    (2019, date(2019, 12, 20), "Personal", "360 000", "Programledning och handläggning juli–december"),
    (2020, date(2020, 6, 15), "Utvärdering", "160 000", "Oxford Research, spår 3 (resultat och effekter), delbetalning"),
    (2020, date(2020, 6, 30), "Personal", "290 000", "Programledning och handläggning januari–juni"),
    (2020, date(2020, 9, 30), "Administration", "24 500", "Granskning av slutrapporter"),
    (2020, date(2020, 11, 12), "Kommunikation", "38 000", "Digital slutkonferens"),
    (2020, date(2020, 12, 15), "Utvärdering", "175 000", "Oxford Research, slutrapport"),
    (2020, date(2020, 12, 18), "Personal", "300 000", "Programledning och handläggning juli–december"),
    (2020, date(2020, 12, 18), "Övrigt", "9 800", "Digitala mötesverktyg"),
]
# The common kinds, and the agency's own label for travel (Kostnadsslag is free text).
COST_KINDS = {"Personal", "Utvärdering", "Kommunikation", "Administration", "Övrigt", "Resor och logi"}

# Co-financing (Medfinansiering): project, source, amount, year (None: the whole project), kind
# (None: Budget). A few projects also report the actual (Utfall), some by year.
B, U = "Budget", "Utfall"
COFINANCING = [
    ("SI-2018-01", "Regionalfonden", "1 500 000", 2019, B),
    ("SI-2018-01", "Regionalfonden", "2 000 000", 2020, B),
    ("SI-2018-01", "Regionalfonden", "1 420 000", 2019, U),
    ("SI-2018-01", "Regionalfonden", "1 910 000", 2020, U),
    ("SI-2018-01", "Region", "500 000"),
    ("SI-2018-01", "Region", "480 000", 2020, U),
    ("SI-2018-02", "Regionalfonden", "2 800 000"),
    ("SI-2018-02", "Näringsliv", "700 000"),
    ("SI-2018-03", "Regionalfonden", "3 900 000"),
    ("SI-2018-03", "Region", "800 000"),
    ("SI-2018-06", "Region", "1 200 000"),
    ("SI-2018-06", "Näringsliv", "900 000"),
    ("SI-2018-07", "Regionalfonden", "3 000 000"),
    ("SI-2018-07", "Kommun", "400 000"),
    ("SI-2018-10", "Statlig", "1 500 000"),
    ("SI-2018-10", "Näringsliv", "1 100 000"),
    ("SI-2018-11", "Regionalfonden", "4 200 000", None, B),
    ("SI-2018-11", "Regionalfonden", "1 800 000", 2019, U),
    ("SI-2018-11", "Regionalfonden", "2 250 000", 2020, U),
    ("SI-2018-11", "Region", "600 000"),
    ("SI-2018-12", "Region", "400 000"),
    ("SI-2018-12", "Egen finansiering", "250 000"),
    ("SI-2018-12", "Egen finansiering", "230 000", 2020, U),
    ("SI-2018-14", "Regionalfonden", "4 500 000"),
    ("SI-2018-14", "Kommun", "600 000"),
    ("SI-2018-14", "Näringsliv", "1 300 000"),
    ("SI-2018-16", "Näringsliv", "2 000 000"),
    ("SI-2018-16", "Statlig", "800 000"),
    ("SI-2018-16", "Egen finansiering", "300 000"),
    ("SI-2019-01", "Region", "500 000"),
    ("SI-2019-01", "Kommun", "300 000"),
]
COFIN_SOURCES = {"Regionalfonden", "Region", "Kommun", "Näringsliv", "Statlig", "Egen finansiering", "Övrigt"}

# Recoveries (Återkrav): money projects paid back to the agency: project, date, amount, comment.
RECOVERIES = [
    ("SI-2018-09", date(2019, 9, 16), "62 436,80",
     "Återkrav efter avbrutet projekt: kostnader som inte var stödberättigande"),
    ("SI-2018-05", date(2020, 12, 10), "35 000", "Ej stödberättigande kostnad enligt slutrapporten"),
]

REPAYMENT_DATE = date(2021, 2, 15)


# --------------------------------------------------------------------------------------
# Disbursement schedule
# --------------------------------------------------------------------------------------
def next_weekday(d: date) -> date:
    while d.weekday() >= 5:
        d += dt.timedelta(days=1)
    return d


def prev_weekday(d: date) -> date:
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def round_thousand(x: Decimal) -> Decimal:
    return (x / 1000).quantize(D(1)) * 1000


def grants_decided_by(p: Project, d: date) -> Decimal:
    return sum((a for y, a in p.grants.items() if GRANT_DATES[(p.call, y)] <= d), D(0))


def schedule(p: Project) -> list[tuple[date, Decimal]]:
    """Advance, interim payments and a final payment: deterministic."""
    if p.payments is not None:
        return list(p.payments)
    first_year = min(p.grants)
    first = next_weekday(max(p.start, GRANT_DATES[(p.call, first_year)]) + dt.timedelta(days=14))
    final = prev_weekday(p.end - dt.timedelta(days=14))
    span = D((p.end - p.start).days)
    out: list[tuple[date, Decimal]] = []
    paid = D(0)

    advance = (p.grants[first_year] * D("0.25") / 1000).to_integral_value(rounding="ROUND_FLOOR") * 1000
    out.append((first, advance))
    paid += advance
    for d in INTERIM_DATES:
        if not (first + dt.timedelta(days=45) < d < final - dt.timedelta(days=45)):
            continue
        target = round_thousand(p.used * D((d - p.start).days) / span)
        amount = min(target - paid, grants_decided_by(p, d) - paid)
        if amount > 0:
            out.append((d, amount))
            paid += amount
    out.append((final, p.used - paid))
    return out


# --------------------------------------------------------------------------------------
# Checks against the decision's terms
# --------------------------------------------------------------------------------------
class CheckError(AssertionError):
    pass


def check(cond: bool, msg: str) -> None:
    if not cond:
        raise CheckError(msg)


def check_money(projects, requisitions, costs, repayment, recoveries=()) -> None:
    years = sorted(FRAMES)
    req_by_year = {y: a for y, _, a in requisitions}
    for y, d, a in requisitions:
        check(d.year == y and d <= date(y, *REQUISITION_DEADLINE), f"requisition {y} dated {d}")
        check(0 < a <= FRAMES[y], f"requisition {y} amount {a} exceeds frame")
    check(sorted(req_by_year) == years, "one requisition per year")

    cost_by_year = defaultdict(D)
    req_date = {y: d for y, d, _ in requisitions}
    for y, d, kind, a, _ in costs:
        check(d.year == y and d >= req_date[y], f"programme cost {y} dated {d}")
        check(kind in COST_KINDS, f"cost kind {kind}")
        cost_by_year[y] += a
    for y in years:
        check(cost_by_year[y] < COST_CAP * req_by_year[y], f"programme costs {y} not below 5 %")

    grant_by_year = defaultdict(D)
    calls_close = {"utlysning-2018": date(2018, 10, 15), "utlysning-2019": date(2019, 5, 15)}
    for p in projects:
        check(PERIOD_START <= p.start <= p.end <= PERIOD_END, f"{p.id} period")
        for y, a in p.grants.items():
            gd = GRANT_DATES[(p.call, y)]
            check(gd.year == y and gd > calls_close[p.call], f"{p.id} grant date {gd}")
            grant_by_year[y] += a
        paid = D(0)
        for d, a in p.disbursements:
            check(p.start <= d <= p.end, f"{p.id} disbursement {d} outside {p.start}..{p.end}")
            check(a > 0 and a == a.quantize(D("0.01")), f"{p.id} amount {a}")
            paid += a
            check(paid <= grants_decided_by(p, d), f"{p.id} paid {paid} > granted by {d}")
        check(paid == p.used, f"{p.id} paid {paid} != used {p.used}")
        check(len(p.disbursements) >= 3, f"{p.id} has too few disbursements")
        if p.status == "cancelled":
            check(paid < p.granted, f"{p.id} cancelled but fully paid")

    cum_req = cum_grant = cum_cost = D(0)
    for y in years:
        cum_req += req_by_year[y]
        cum_grant += grant_by_year[y]
        cum_cost += cost_by_year[y]
        check(cum_grant + cum_cost <= cum_req, f"grants + costs up to {y} exceed requisitioned")

    # At every disbursement date: disbursed so far <= requisitioned - programme costs so far.
    events = sorted(d for p in projects for d, _ in p.disbursements)
    for when in events:
        r = sum((a for _, d, a in requisitions if d <= when), D(0))
        c = sum((a for _, d, _, a, _ in costs if d <= when), D(0))
        paid = sum((a for p in projects for d, a in p.disbursements if d <= when), D(0))
        check(paid <= r - c, f"disbursed {paid} > requisitioned {r} - costs {c} on {when}")

    by_id = {p.id: p for p in projects}
    for pid, d, a, _ in recoveries:
        p = by_id[pid]
        check(d > min(x for x, _ in p.disbursements), f"recovery from {pid} before its first payment")
        check(a <= p.used, f"recovery from {pid} beyond what was paid")

    check(repayment > 0, "repayment must be positive")
    check(REPAYMENT_DATE <= REPAYMENT_DEADLINE, "repayment date")


def check_against_programme(projects, cofinancing, path: Path) -> None:
    import yaml  # a dependency of reportgen; only needed for this cross-check

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_id = {p["id"]: p for p in data["projects"]}
    check(set(by_id) == {p.id for p in projects},
          f"project ids differ from {path.name}: {sorted(set(by_id) ^ {p.id for p in projects})}")

    def as_date(v):
        return v if isinstance(v, date) else date.fromisoformat(str(v))

    for p in projects:
        y = by_id[p.id]
        check(y["call"] == p.call, f"{p.id}: call differs from {path.name}")
        check(as_date(y["start"]) == p.start and as_date(y["end"]) == p.end,
              f"{p.id}: period differs from {path.name}")
        check(y["status"] == p.status, f"{p.id}: status differs from {path.name}")
    for pid, *_ in cofinancing:
        check(pid in by_id, f"co-financing for unknown project {pid}")


# --------------------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------------------
FMT_KR = "#,##0"  # shown as "# ##0" (space thousands separator) in a Swedish locale
FMT_KR_ORE = "#,##0.00"
FMT_DATE = "yyyy-mm-dd"
FMT_YEAR = "0"


def cell_amount(a: Decimal):
    """int for whole kronor, float for öre amounts (only if the float is exact to the öre)."""
    if a == a.to_integral_value():
        return int(a)
    f = float(a)
    check(D(repr(f)) == a and a == a.quantize(D("0.01")), f"amount {a} not exact as float")
    return f


def add_sheet(wb, title, columns, rows):
    """columns: list of (header, width, kind) with kind in {'text','year','date','kr','kr_ore'}."""
    ws = wb.create_sheet(title)
    bold = Font(bold=True)
    for c, (header, width, _) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=c, value=header)
        cell.font = bold
        cell.alignment = Alignment(vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, start=2):
        for c, ((_, _, kind), value) in enumerate(zip(columns, row), start=1):
            if value is None:
                continue  # an optional cell left empty
            if kind in ("kr", "kr_ore"):
                cell = ws.cell(row=r, column=c, value=cell_amount(value))
                cell.number_format = FMT_KR if kind == "kr" else FMT_KR_ORE
            elif kind == "date":
                cell = ws.cell(row=r, column=c, value=value)
                cell.number_format = FMT_DATE
            elif value is None:
                continue  # an optional cell left empty
            elif kind == "year":
                cell = ws.cell(row=r, column=c, value=int(value))
                cell.number_format = FMT_YEAR
            else:
                ws.cell(row=r, column=c, value=value)
    ws.freeze_panes = "A2"
    return ws


def build_workbook(projects, requisitions, costs, cofinancing, repayment, recoveries) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "reportgen – exempeldata"
    wb.properties.lastModifiedBy = "tools/make_example_finances.py"
    wb.properties.title = "Smart industri på regional nivå – ekonomi (exempel)"
    wb.properties.language = "sv-SE"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP

    add_sheet(wb, "Rekvisitioner",
              [("År", 8, "year"), ("Datum", 12, "date"), ("Belopp", 16, "kr"), ("Referens", 44, "text")],
              [(y, d, a, f"Rekvisition {y}, {DNR}") for y, d, a in requisitions])

    grant_rows = []
    for p in projects:
        for y in sorted(p.grants):
            grant_rows.append((p.id, y, GRANT_DATES[(p.call, y)], p.grants[y], GRANT_COMMENTS[(p.call, y)]))
    grant_rows.sort(key=lambda r: (r[2], r[0]))
    add_sheet(wb, "Beviljat",
              [("Projekt", 13, "text"), ("År", 8, "year"), ("Beslutsdatum", 14, "date"),
               ("Belopp", 16, "kr"), ("Kommentar", 50, "text")],
              grant_rows)

    pay_rows = sorted(((d, p.id, a) for p in projects for d, a in p.disbursements), key=lambda r: (r[0], r[1]))
    seq = defaultdict(int)
    rows = []
    for d, pid, a in pay_rows:
        seq[d.year] += 1
        rows.append((pid, d, a, f"UB-{d.year}-{seq[d.year]:04d}"))
    add_sheet(wb, "Utbetalningar",
              [("Projekt", 13, "text"), ("Datum", 12, "date"), ("Belopp", 16, "kr_ore"), ("Verifikation", 16, "text")],
              rows)

    add_sheet(wb, "Programkostnader",
              [("År", 8, "year"), ("Datum", 12, "date"), ("Kostnadsslag", 16, "text"),
               ("Belopp", 14, "kr"), ("Beskrivning", 60, "text")],
              costs)

    add_sheet(wb, "Medfinansiering",
              [("Projekt", 13, "text"), ("Källa", 18, "text"), ("Belopp", 16, "kr"), ("År", 8, "year"),
               ("Typ", 10, "text")],
              cofinancing)

    add_sheet(wb, "Återbetalningar",
              [("Datum", 12, "date"), ("Belopp", 16, "kr_ore"), ("Bankgiro", 12, "text"), ("Referens", 60, "text")],
              [(REPAYMENT_DATE, repayment, BANKGIRO,
                f"Återbetalning av ej förbrukade medel till Kammarkollegiet, {DNR}")])

    add_sheet(wb, "Återkrav",
              [("Projekt", 13, "text"), ("Datum", 12, "date"), ("Belopp", 16, "kr_ore"), ("Kommentar", 60, "text")],
              recoveries)
    return wb


def save_reproducibly(wb: Workbook, out: Path) -> None:
    """Save with fixed core properties and fixed zip entry times, in openpyxl's entry order."""
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps properties.modified with the current time here ...
    wb.properties.modified = FIXED_TIMESTAMP  # ... so the core part is rewritten below
    core_xml = tostring(wb.properties.to_tree())
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = core_xml if info.filename == "docProps/core.xml" else zin.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=stamp)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    os.replace(tmp, out)


# --------------------------------------------------------------------------------------
# Read back and report
# --------------------------------------------------------------------------------------
def dec(v) -> Decimal:
    if isinstance(v, bool) or v is None:
        raise CheckError(f"not an amount: {v!r}")
    return D(repr(v)) if isinstance(v, float) else D(v)


def read_back(path: Path) -> dict[str, list[dict]]:
    wb = load_workbook(path, data_only=True)
    sheets = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = [str(h).strip() for h in rows[0]]
        recs = []
        for row in rows[1:]:
            if all(v is None for v in row):
                continue
            for v in row:
                check(not (isinstance(v, str) and v.startswith("=")), f"formula in {ws.title}")
            recs.append(dict(zip(header, row)))
        sheets[ws.title] = recs
    return sheets


def report(path: Path) -> None:
    s = read_back(path)
    expected = ["Rekvisitioner", "Beviljat", "Utbetalningar", "Programkostnader", "Medfinansiering", "Återbetalningar",
                "Återkrav"]
    check(list(s) == expected, f"sheets {list(s)}")

    def year_of(v):
        return v.year if isinstance(v, (dt.date, dt.datetime)) else int(v)

    for name in ("Rekvisitioner", "Utbetalningar", "Programkostnader", "Återbetalningar", "Återkrav"):
        for r in s[name]:
            check(isinstance(r["Datum"], dt.datetime), f"{name}: Datum is not a date cell")

    req = defaultdict(D)
    for r in s["Rekvisitioner"]:
        req[int(r["År"])] += dec(r["Belopp"])
    grant = defaultdict(D)
    for r in s["Beviljat"]:
        grant[int(r["År"])] += dec(r["Belopp"])
    disb = defaultdict(D)
    for r in s["Utbetalningar"]:
        disb[year_of(r["Datum"])] += dec(r["Belopp"])
    cost = defaultdict(D)
    for r in s["Programkostnader"]:
        cost[int(r["År"])] += dec(r["Belopp"])
    cofin = sum((dec(r["Belopp"]) for r in s["Medfinansiering"] if r["Typ"] in (None, "Budget")), D(0))
    cofin_actual = sum((dec(r["Belopp"]) for r in s["Medfinansiering"] if r["Typ"] == "Utfall"), D(0))
    recovered = sum((dec(r["Belopp"]) for r in s["Återkrav"]), D(0))
    (rep,) = s["Återbetalningar"]

    def kr(x: Decimal) -> str:
        q = x.quantize(D("0.01"))
        whole, frac = f"{q:,.2f}".split(".")
        return whole.replace(",", " ") + ("" if frac == "00" else "," + frac)

    print(f"{'år':<6}{'rekvirerat':>16}{'beviljat':>16}{'utbetalt':>16}{'programkostn.':>15}{'andel':>8}")
    for y in sorted(req):
        pct = cost[y] / req[y] * 100
        print(f"{y:<6}{kr(req[y]):>16}{kr(grant[y]):>16}{kr(disb[y]):>16}{kr(cost[y]):>15}{pct:>7.2f}%")
    tr, tg, td, tc = (sum(x.values(), D(0)) for x in (req, grant, disb, cost))
    print(f"{'summa':<6}{kr(tr):>16}{kr(tg):>16}{kr(td):>16}{kr(tc):>15}{tc / tr * 100:>7.2f}%")
    print(f"medfinansiering: {kr(cofin)} kr budget, {kr(cofin_actual)} kr utfall, "
          f"på {len({r['Projekt'] for r in s['Medfinansiering']})} projekt")
    print(f"återkrav: {kr(recovered)} kr från {len(s['Återkrav'])} projekt")
    expected_rep = tr - td - tc + recovered
    got = dec(rep["Belopp"])
    print(f"återbetalning {rep['Datum']:%Y-%m-%d}: {kr(got)} kr (rekvirerat - utbetalt - programkostnader + återkrav "
          f"= {kr(expected_rep)} kr) -> {'OK' if got == expected_rep else 'FEL'}")
    check(got == expected_rep, "repayment does not equal requisitioned - disbursed - costs + recovered")
    check(DNR in rep["Referens"] and rep["Bankgiro"] == BANKGIRO, "repayment reference/bankgiro")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--no-check-programme", action="store_true",
                    help="skip the cross-check against inputs/programme.yaml")
    args = ap.parse_args(argv)

    for p in PROJECTS:
        p.disbursements = schedule(p)
    costs = [(y, d, kind, k(a), text) for y, d, kind, a, text in PROGRAMME_COSTS]
    cofinancing = [(row[0], row[1], k(row[2]), *(row[3:] + (None, None))[:2]) for row in COFINANCING]
    for _, src, _, year, kind in cofinancing:
        check(src in COFIN_SOURCES, f"co-financing source {src}")
        check(year is None or year in FRAMES, f"co-financing year {year}")
        check(kind in (None, "Budget", "Utfall"), f"co-financing kind {kind}")
    recoveries = [(pid, d, k(a), text) for pid, d, a, text in RECOVERIES]

    total_req = sum((a for _, _, a in REQUISITIONS), D(0))
    total_disb = sum((a for p in PROJECTS for _, a in p.disbursements), D(0))
    total_cost = sum((a for _, _, _, a, _ in costs), D(0))
    total_recovered = sum((a for _, _, a, _ in recoveries), D(0))
    repayment = total_req - total_disb - total_cost + total_recovered

    check_money(PROJECTS, REQUISITIONS, costs, repayment, recoveries)
    if not args.no_check_programme and PROGRAMME_YAML.exists():
        check_against_programme(PROJECTS, cofinancing, PROGRAMME_YAML)

    wb = build_workbook(PROJECTS, REQUISITIONS, costs, cofinancing, repayment, recoveries)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_reproducibly(wb, args.out)
    print(f"wrote {args.out}")
    report(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
