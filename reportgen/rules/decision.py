"""The decision's terms, checked against the model and the ledger.

One small function per rule; each finding carries a stable code and the place in the inputs that
breaks the rule. Dated events are judged by the terms in force on their date (amendments apply
from their own decision date on); deadlines of deliverables use every amendment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from reportgen.findings import CATALOGUE, Finding, Location, error, excerpt, warning
from reportgen.inputs.load import Inputs
from reportgen.inputs.model import did_you_mean
from reportgen.report.formatting import date_iso, date_long, kr, percent
from reportgen.rules.ledger import ZERO, Ledger
from reportgen.rules.terms import terms_as_of

Rule = Callable[[Inputs, Ledger], Iterable[Finding]]
RULES: list[Rule] = []

# Rule codes are part of the interface (CI scripts filter on them): never renumber.
PROGRAMME_COSTS_YEAR = "SI101"
PROGRAMME_COSTS_TOTAL = "SI102"
PLAN_COSTS_CAP = "SI103"
PLAN_OVER_FRAME = "SI104"
REQUISITION_LATE = "SI201"
REQUISITION_OVER_FRAME = "SI202"
REQUISITION_REFERENCE = "SI203"
REQUISITION_YEAR = "SI204"
GRANTS_BEYOND_FUNDS = "SI301"
DISBURSEMENTS_BEYOND_FUNDS = "SI302"
DISBURSEMENT_BEYOND_GRANT = "SI303"
RECOVERY_BEYOND_PAID = "SI304"
RECOVERY_BEFORE_PAYMENT = "SI305"
FOCUS_AREA_MISSING = "SI401"
FOCUS_AREA_UNKNOWN = "SI402"
OWNER_NOT_ANCHORED = "SI501"
MAINLY_REGIONAL = "SI502"
REPAYMENT_LATE = "SI601"
REPAYMENT_BANKGIRO = "SI602"
REPAYMENT_REFERENCE = "SI603"
REPAYMENT_AMOUNT = "SI604"
REPAYMENT_MISSING = "SI605"
DISBURSEMENT_OUTSIDE_PROJECT = "SI701"
DELIVERABLE_INCOMPLETE = "SI801"

# What each rule checks: the catalogue of codes (reportgen.findings) holds the words.
DESCRIPTIONS = {code: entry.meaning for code, entry in CATALOGUE.items() if entry.family == "rule"}


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def apply_rules(inputs: Inputs, ledger: Ledger | None = None) -> list[Finding]:
    """Every rule of the decision (deliverable completeness excluded: see deliverable_completeness)."""
    ledger = ledger or Ledger(inputs)
    out: list[Finding] = []
    for fn in RULES:
        out.extend(fn(inputs, ledger))
    return out


def _cites(reference: str | None, diarienummer: str) -> bool:
    if not reference:
        return False
    squash = lambda s: "".join(s.split()).casefold()
    return squash(diarienummer) in squash(reference)


# --- programme-related costs --------------------------------------------------------------

@rule
def programme_costs_cap(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    cap = inputs.decision.programme_cost_cap_percent / 100
    for year in ledger.years:
        y = ledger.year(year)
        rows = [c for c in inputs.finances.programme_costs if c.year == year]
        if rows and y.programme_costs > cap * y.requisitioned:
            places = [c.where("amount") for c in rows]
            yield error(
                PROGRAMME_COSTS_YEAR,
                f"programme-related costs for {year} are {kr(y.programme_costs, 2)}, "
                f"{percent(y.programme_cost_share) if y.requisitioned else 'all'} of the {kr(y.requisitioned, 2)} "
                f"requisitioned; the decision allows at most {percent(cap, 0)} ({kr(cap * y.requisitioned, 2)})",
                places[0], related=places[1:],
                hint="move costs that are not programme-related, or reduce them")
    t = ledger.total
    if inputs.finances.programme_costs and t.programme_costs > cap * t.requisitioned:
        yield error(
            PROGRAMME_COSTS_TOTAL,
            f"programme-related costs over the whole period are {kr(t.programme_costs, 2)}, "
            f"{percent(t.programme_cost_share)} of the {kr(t.requisitioned, 2)} requisitioned; "
            f"at most {percent(cap, 0)} is allowed",
            inputs.finances.programme_costs[0].where("amount"))


@rule
def plan_budget(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    plan = inputs.programme.plan
    if plan is None:
        return
    cap = inputs.decision.programme_cost_cap_percent / 100
    terms = terms_as_of(inputs.decision, inputs.decision.date)
    for i, planned in enumerate(plan.budget):
        frame = terms.frame(planned.year)
        if frame is None:
            yield error(PLAN_OVER_FRAME, f"the plan budgets {planned.year}, a year without a frame",
                        inputs.where_programme("plan", "budget", i, "year"))
            continue
        if planned.programme_costs > cap * frame.amount:
            yield error(PLAN_COSTS_CAP,
                        f"the plan's programme-related costs for {planned.year}, {kr(planned.programme_costs)}, are "
                        f"{percent(planned.programme_costs / frame.amount)} of the frame {kr(frame.amount)}; at most "
                        f"{percent(cap, 0)} is allowed", inputs.where_programme("plan", "budget", i, "programme_costs"))
        if planned.calls + planned.programme_costs > frame.amount:
            yield error(PLAN_OVER_FRAME,
                        f"the plan for {planned.year} uses {kr(planned.calls + planned.programme_costs)}, more than the "
                        f"frame {kr(frame.amount)}", inputs.where_programme("plan", "budget", i))


# --- requisitions -------------------------------------------------------------------------

@rule
def requisitions(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    d = inputs.decision
    running: dict[int, Decimal] = {}
    for r in sorted(inputs.finances.requisitions, key=lambda r: (r.date, r.year)):
        deadline = d.requisition.deadline.in_year(r.year)
        if r.date > deadline:
            yield error(REQUISITION_LATE,
                        f"the requisition for {r.year} is dated {date_iso(r.date)}; the decision requires it "
                        f"by {date_iso(deadline)}", r.where("date"),
                        hint=f"funds must be requisitioned from {d.requisition.from_} by "
                             f"{d.requisition.deadline.day}/{d.requisition.deadline.month} each year")
        elif r.date.year != r.year:
            yield warning(REQUISITION_YEAR, f"the requisition for {r.year} is dated in {r.date.year}", r.where("date"),
                          report_text=f"Medlen för {r.year} rekvirerades den {date_long(r.date)}.")
        terms = terms_as_of(d, r.date)
        frame = terms.frame(r.year)
        running[r.year] = running.get(r.year, Decimal(0)) + r.amount
        if frame is not None and running[r.year] > frame.amount:
            yield error(REQUISITION_OVER_FRAME,
                        f"requisitions for {r.year} reach {kr(running[r.year], 2)} with this one, above the year's "
                        f"frame of {kr(frame.amount, 2)} ({frame.source})", r.where("amount"))
        if d.requisition.reference_required and not _cites(r.reference, d.diarienummer):
            yield error(REQUISITION_REFERENCE,
                        f"the requisition's reference must cite the decision's diarienummer {d.diarienummer}; "
                        f"found {excerpt(r.reference) if r.reference else 'no reference'}",
                        r.where("reference"), hint=f"e.g. 'Rekvisition {r.year}, {d.diarienummer}'")


# --- funds used beyond the funds requisitioned ---------------------------------------------

@rule
def funds_available(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    fin = inputs.finances
    # Grants are charged to a year's frame: by the end of each year, the grants charged so far
    # must be covered by the funds requisitioned so far.
    cumulative_req = cumulative_grants = Decimal(0)
    for year in ledger.years:
        y = ledger.year(year)
        cumulative_req += y.requisitioned
        cumulative_grants += y.granted
        if cumulative_grants > cumulative_req:
            rows = [g for g in fin.grants if g.year == year]
            if rows:
                yield error(GRANTS_BEYOND_FUNDS,
                            f"grants charged to {ledger.years[0]}–{year} total {kr(cumulative_grants, 2)}, more than the "
                            f"{kr(cumulative_req, 2)} requisitioned by then", rows[-1].where("amount"),
                            related=[g.where("amount") for g in rows[:-1]][:5])
    # Money paid out (disbursements and programme-related costs) may not run ahead of the money
    # requisitioned, judged day by day (a day's requisitions before its payments); one finding per
    # year is enough to locate the problem.
    requisitions: dict[dt.date, list] = {}
    for r in fin.requisitions:
        requisitions.setdefault(r.date, []).append(r)
    payments: dict[dt.date, list] = {}
    for x in fin.disbursements:
        payments.setdefault(x.date, []).append(x)
    for c in fin.programme_costs:
        payments.setdefault(c.date, []).append(c)
    balance = Decimal(0)
    reported: set[int] = set()
    for day in sorted(requisitions.keys() | payments.keys()):
        day_requisitions, day_payments = requisitions.get(day, ()), payments.get(day, ())
        # Amounts are never negative: over a day the balance rises, then falls to its end, so a
        # day that starts and ends at zero or more has no moment below zero to look for.
        end = balance + sum(r.amount for r in day_requisitions) - sum(x.amount for x in day_payments)
        if balance >= 0 and end >= 0:
            balance = end
            continue
        for record, sign in [(r, 1) for r in day_requisitions] + [(x, -1) for x in day_payments]:
            balance += record.amount if sign > 0 else -record.amount
            if balance < 0 and day.year not in reported:
                reported.add(day.year)
                yield error(DISBURSEMENTS_BEYOND_FUNDS,
                            f"by {date_iso(day)} disbursements and programme-related costs exceed the funds "
                            f"requisitioned by {kr(-balance, 2)}", record.where("amount"),
                            hint="requisition the year's funds before paying out")


@rule
def disbursements_within_grant(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    # Amounts are never negative: no running total passes the grant unless the whole sum does,
    # so only those projects' payments are gone through.
    totals, nothing = ledger.project_totals, (ZERO, ZERO)
    over = []
    for p in inputs.programme.projects:
        granted, disbursed = totals.get(p.id, nothing)
        if disbursed > granted:
            over.append((p.id, granted))
    if not over:
        return
    by_project: dict[str, list] = {}
    for x in inputs.finances.disbursements:
        by_project.setdefault(x.project, []).append(x)
    for pid, granted in over:
        running = Decimal(0)
        for x in sorted(by_project.get(pid, ()), key=lambda x: x.date):
            running += x.amount
            if running > granted:
                yield error(DISBURSEMENT_BEYOND_GRANT,
                            f"disbursements to {pid} reach {kr(running, 2)} with this one, more than the "
                            f"{kr(granted, 2)} granted", x.where("amount"))
                break


@rule
def recoveries(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    """A project can only pay back (Återkrav) what it was paid, and only after it was paid."""
    if not inputs.finances.recoveries:
        return
    paid: dict[str, list] = {}
    for x in inputs.finances.disbursements:
        paid.setdefault(x.project, []).append(x)
    known = inputs._projects()
    running: dict[str, Decimal] = {}
    for r in sorted(inputs.finances.recoveries, key=lambda r: r.date):
        if r.project not in known:
            continue  # an unknown project is reported where the inputs are loaded
        payments = paid.get(r.project, [])
        first = min((x.date for x in payments), default=None)
        if first is None or r.date < first:
            when = f"the first payment to it is dated {date_iso(first)}" if first else "nothing was ever paid to it"
            yield error(RECOVERY_BEFORE_PAYMENT,
                        f"recovery from {r.project} dated {date_iso(r.date)}, but {when}", r.where("date"),
                        related=[x.where("date") for x in payments if x.date == first][:1],
                        hint="a project pays back money it was paid: check the date and the project")
            continue
        running[r.project] = running.get(r.project, ZERO) + r.amount
        total_paid = sum((x.amount for x in payments), ZERO)
        if running[r.project] > total_paid:
            yield error(RECOVERY_BEYOND_PAID,
                        f"recoveries from {r.project} reach {kr(running[r.project], 2)} with this one, more than the "
                        f"{kr(total_paid, 2)} paid to it", r.where("amount"),
                        related=[x.where("amount") for x in payments][:5])


@rule
def disbursement_periods(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    # Most payments fall within their project's period: only those outside are looked at closer.
    periods = {pid: (p.start, p.end) for pid, p in inputs._projects().items()}
    for x in inputs.finances.disbursements:
        period = periods.get(x.project)
        if period is None or period[0] <= x.date <= period[1]:
            continue
        p = inputs.project(x.project)
        if x.date < p.start:
            yield error(DISBURSEMENT_OUTSIDE_PROJECT,
                        f"disbursement to {p.id} on {date_iso(x.date)}, before the project starts ({date_iso(p.start)})",
                        x.where("date"))
        elif x.date > p.end:
            yield warning(DISBURSEMENT_OUTSIDE_PROJECT,
                          f"disbursement to {p.id} on {date_iso(x.date)}, after the project ended ({date_iso(p.end)})",
                          x.where("date"), hint="a final payment after the end is normal; check the date if it is not one",
                          report_text=f"En utbetalning på {kr(x.amount)} till projekt {p.id} gjordes den "
                                      f"{date_long(x.date)}, efter projektets slut den {date_long(p.end)}.")


# --- projects ------------------------------------------------------------------------------

@rule
def focus_areas(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    known = [a.id for a in inputs.decision.focus_areas]
    for i, p in enumerate(inputs.programme.projects):
        if not p.focus_areas:
            yield error(FOCUS_AREA_MISSING,
                        f"project {p.id} has no focus area; every measure must relate to one or more of "
                        f"{', '.join(known)}", inputs.where_programme("projects", i, "focus_areas"))
        for j, area in enumerate(p.focus_areas):
            if area.code not in known:
                yield error(FOCUS_AREA_UNKNOWN,
                            f"'{area.code}' is not one of the decision's focus areas ({', '.join(known)})"
                            f"{did_you_mean(area.code, known)}",
                            inputs.where_programme("projects", i, "focus_areas", j))
    for i, call in enumerate(inputs.programme.calls):
        for j, area in enumerate(call.focus_areas):
            if area not in known:
                yield error(FOCUS_AREA_UNKNOWN,
                            f"'{area}' is not one of the decision's focus areas{did_you_mean(area, known)}",
                            inputs.where_programme("calls", i, "focus_areas", j))


@rule
def owners(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    for i, p in enumerate(inputs.programme.projects):
        if p.owner.kind == "other" and not (p.owner.anchoring or "").strip():
            yield error(OWNER_NOT_ANCHORED,
                        f"{p.owner.name} (project {p.id}) is not a regional development actor, and no anchoring "
                        "with the regional development actor is stated", inputs.where_programme("projects", i, "owner"),
                        hint="add owner.anchoring: how the project is anchored (e.g. a letter of intent, with date)")
    total = ledger.total.granted
    totals, nothing = ledger.project_totals, (ZERO, ZERO)
    regional = sum((totals.get(p.id, nothing)[0] for p in inputs.programme.projects if p.owner.kind == "regional"),
                   Decimal(0))
    if total and regional * 2 < total:
        yield warning(MAINLY_REGIONAL,
                      f"only {percent(regional / total)} of the grants go to regional development actors; the "
                      "decision says funds go in the first place to them", inputs.where_programme("projects"),
                      report_text=f"Endast {percent(regional / total)} av de beviljade medlen har gått till aktörer med "
                                  "regionalt utvecklingsansvar, som enligt beslutet i första hand ska beviljas medel.")


# --- repayment -----------------------------------------------------------------------------

@rule
def repayments(inputs: Inputs, ledger: Ledger) -> Iterable[Finding]:
    d = inputs.decision
    for r in inputs.finances.repayments:
        terms = terms_as_of(d, r.date)  # an amendment decided after the repayment does not excuse it
        if r.date > terms.repayment_deadline:
            yield error(REPAYMENT_LATE,
                        f"repayment dated {date_iso(r.date)}, after the deadline {date_iso(terms.repayment_deadline)}",
                        r.where("date"))
        if r.bankgiro.replace(" ", "") != d.repayment.bankgiro.replace(" ", ""):
            yield error(REPAYMENT_BANKGIRO,
                        f"repayment to bankgiro {r.bankgiro}; the decision requires {d.repayment.to}'s bankgiro "
                        f"{d.repayment.bankgiro}", r.where("bankgiro"))
        if d.repayment.reference_required and not _cites(r.reference, d.diarienummer):
            yield error(REPAYMENT_REFERENCE,
                        f"the repayment's reference must cite the decision's diarienummer {d.diarienummer}; found "
                        f"{excerpt(r.reference) if r.reference else 'no reference'}", r.where("reference"))
    repaid = ledger.total.repaid
    unspent = ledger.total.unspent
    rows = inputs.finances.repayments
    if rows and repaid != unspent:
        recovered = inputs.finances.recoveries
        recovery_text = (f" + recovered from projects {kr(ledger.total.recovered, 2)}" if recovered else "")
        yield error(REPAYMENT_AMOUNT,
                    f"repayments total {kr(repaid, 2)}, but the unspent funds are {kr(unspent, 2)} "
                    f"(requisitioned {kr(ledger.total.requisitioned, 2)} − disbursed {kr(ledger.total.disbursed, 2)} "
                    f"− programme-related costs {kr(ledger.total.programme_costs, 2)}{recovery_text}); the difference "
                    f"is {kr(unspent - repaid, 2)}", rows[-1].where("amount"),
                    # The recoveries' cells are part of the unspent amount: point at them too.
                    related=[r.where("amount") for r in recovered],
                    hint="the unspent funds include what projects paid back (Återkrav)" if recovered else None)


# --- deliverables ------------------------------------------------------------------------------

def deliverable_completeness(inputs: Inputs, ledger: Ledger, deliverable_id: str) -> list[Finding]:
    """What a deliverable needs from the inputs before it can be built (errors)."""
    d = next(x for x in inputs.decision.deliverables if x.id == deliverable_id)
    out: list[Finding] = []
    where = inputs.where_decision("deliverables", [x.id for x in inputs.decision.deliverables].index(d.id))
    fin = inputs.finances
    for year in d.accounting_years:
        missing = []
        if not any(r.year == year for r in fin.requisitions):
            missing.append("a requisition (Rekvisitioner)")
        if not any(c.year == year for c in fin.programme_costs):
            missing.append("programme-related costs (Programkostnader)")
        if year >= inputs.decision.period.start and year not in ledger.disbursement_years:
            missing.append("disbursements (Utbetalningar)")
        if missing:
            out.append(error(DELIVERABLE_INCOMPLETE,
                             f"{d.id} accounts for {year}, but {inputs.finances_file} has no "
                             f"{' and no '.join(missing)} for {year}", where))
    if d.evaluation_required and inputs.programme.evaluation is None:
        out.append(error(DELIVERABLE_INCOMPLETE, f"{d.id} must include an evaluation of results and effects, "
                         "but programme.yaml has no 'evaluation'", inputs.where_programme()))
    if d.kind == "slutredovisning":
        last = max(d.accounting_years) if d.accounting_years else None
        if last is not None and not fin.repayments and ledger.total.unspent > 0:
            out.append(warning(REPAYMENT_MISSING,
                               f"{d.id}: unspent funds of {kr(ledger.total.unspent, 2)} have no repayment recorded "
                               f"(due {date_iso(terms_as_of(inputs.decision).repayment_deadline)} to bankgiro "
                               f"{inputs.decision.repayment.bankgiro})", Location(inputs.finances_file, sheet="Återbetalningar")))
    if deliverable_id not in inputs.programme.texts:
        out.append(warning(DELIVERABLE_INCOMPLETE, f"programme.yaml has no texts for {d.id}; its narrative sections "
                           "will say that text is missing", inputs.programme_doc.where_key(("texts",))))
    return out


def deliverable_readiness(inputs: Inputs, ledger: Ledger, today: dt.date | None = None) -> list[Finding]:
    """Completeness of every deliverable, as warnings: validate shows what is not ready to build.

    Deliverables whose accounting years have not ended by ``today`` are skipped: their data is
    expected to be incomplete.
    """
    out = []
    for d in inputs.decision.deliverables:
        if today is not None and d.accounting_years and dt.date(max(d.accounting_years), 12, 31) >= today:
            continue
        for f in deliverable_completeness(inputs, ledger, d.id):
            out.append(warning(f.code, f"not ready to build: {f.message}" if f.is_error else f.message,
                               f.where, f.hint, f.related))
    return out
