"""What each deliverable is, and what its templates may see.

The context is plain data computed here from the model and the ledger: templates only format
it. Amounts in tables are rounded here, column by column, so that the rounded rows add up to
the rounded total printed under them (largest remainder method; see money.round_parts).
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportgen.inputs.load import Inputs
from reportgen.inputs.model import (
    COFINANCING_SOURCES,
    COST_KINDS,
    COUNTIES,
    Deliverable,
    Project,
)
from reportgen.inputs.yaml_edit import format_path
from reportgen.report.render import Markdown, Sourced
from reportgen.rules.ledger import (
    SPLIT_RULE_SHARES,
    Distribution,
    Ledger,
    ProjectFigures,
)
from reportgen.rules.money import round_parts
from reportgen.rules.terms import terms_as_of

KRONA = Decimal(1)

TEMPLATES = {
    "genomforandeplan": "genomforandeplan.md.j2",
    "delrapport": "delrapport.md.j2",
    "slutredovisning": "slutredovisning.md.j2",
}

# The narrative sections each kind of deliverable prints, in programme.yaml under texts.<id>.
SECTIONS = {
    "genomforandeplan": ("sammanfattning", "genomforande", "uppfoljning"),
    "delrapport": ("sammanfattning", "genomfort", "avvikelser"),
    "slutredovisning": ("sammanfattning", "genomfort", "lardomar"),
}

KIND_NAMES = {
    "genomforandeplan": "Plan för genomförande",
    "delrapport": "Delrapport",
    "slutredovisning": "Slutredovisning",
}

STATUS_NAMES = {"granted": "Beviljat", "ongoing": "Pågående", "completed": "Avslutat", "cancelled": "Avbrutet"}
FRAME_STATUS_NAMES = {"decided": "beslutad", "estimated": "beräknad", "mixed": "beslutad/beräknad"}
INDICATOR_NAMES = {
    "companies": "Företag som får stöd",
    "smes": "varav små och medelstora företag",
    "companies_non_financial": "Företag som får icke-finansiellt stöd",
    "new_companies": "Nya företag",
    "participants_women": "Deltagare i kompetensinsatser, kvinnor",
    "participants_men": "Deltagare i kompetensinsatser, män",
    "activities": "Genomförda aktiviteter",
}
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")


@dataclass(frozen=True)
class DeliverableInfo:
    id: str
    kind: str
    title: str
    template: str
    due: dt.date


def deliverable_ids(inputs: Inputs) -> list[str]:
    return [d.id for d in inputs.decision.deliverables]


def info(inputs: Inputs, deliverable_id: str) -> DeliverableInfo:
    d = _deliverable(inputs, deliverable_id)
    return DeliverableInfo(d.id, d.kind, d.title, TEMPLATES[d.kind], terms_as_of(inputs.decision).due[d.id])


def _deliverable(inputs: Inputs, deliverable_id: str) -> Deliverable:
    return next(d for d in inputs.decision.deliverables if d.id == deliverable_id)


# --- tables -----------------------------------------------------------------------------------

def money_table(rows: list[dict], money_keys: Iterable[str], quantum: Decimal = KRONA) -> dict:
    """Round the money columns of ``rows`` so each column adds up to its rounded total.

    Returns {"rows": [...], "total": {...}} where the total holds the rounded exact totals.
    """
    return _round_table([dict(r) for r in rows], money_keys, quantum)


def _round_table(rows: list[dict], money_keys: Iterable[str], quantum: Decimal = KRONA) -> dict:
    """:func:`money_table` on rows made for the table alone: they are rounded in place."""
    total: dict[str, Any] = {}
    for key in money_keys:
        parts, rounded_total = round_parts([r[key] for r in rows], quantum)
        for r, part in zip(rows, parts):
            r[key] = part
        total[key] = rounded_total
    return {"rows": rows, "total": total}


def _distribution_table(dist: Distribution) -> dict:
    table = money_table([{"key": r.key, "name": r.name, "projects": r.projects, "granted": r.granted,
                          "disbursed": r.disbursed} for r in dist.rows], ["granted", "disbursed"])
    table["total"]["projects"] = dist.projects
    table["rule"] = dist.rule
    table["rule_text"] = (
        "Projekt som omfattar flera län eller fokusområden har fördelats enligt de andelar som anges för "
        "projektet, och i lika delar där inga andelar anges." if dist.rule == SPLIT_RULE_SHARES else
        "Projekt som omfattar flera län eller fokusområden har fördelats i lika delar.")
    table["split_projects"] = dist.split_projects
    if dist.split_projects:
        table["rule_text"] += (" Ett projekt som omfattar flera räknas i var och en av dem i kolumnen Projekt; "
                               "totalraden anger antalet projekt.")
    return table


# --- the context ------------------------------------------------------------------------------

def build_context(inputs: Inputs, ledger: Ledger, deliverable_id: str) -> dict:
    d = _deliverable(inputs, deliverable_id)
    dec = inputs.decision
    prog = inputs.programme
    terms = ledger.terms
    areas = {a.id: a.name for a in dec.focus_areas}
    cap = dec.programme_cost_cap_percent / 100
    report_date = terms.due[d.id]

    years = list(d.accounting_years)
    activity_years = list(range(d.period.start.year, d.period.end.year + 1))

    ctx: dict[str, Any] = {
        "decision": {
            "diarienummer": dec.diarienummer,
            "illustrative": dec.diarienummer_illustrative,
            "title": dec.title,
            "date": dec.date,
            "ministry": dec.ministry,
            "recipient": dec.recipient,
            "report_to": dec.report_to,
            "strategy": dec.strategy or "Smart industri",
            "predecessor": dec.predecessor.model_dump() if dec.predecessor else None,
            "period": {"start": terms.period_start, "end": terms.period_end},
            "appropriation": dec.appropriation.model_dump(),
            "frames": [{"year": y, "amount": terms.frame(y).amount, "status": FRAME_STATUS_NAMES[terms.frame(y).status],
                        "source": terms.frame(y).source} for y in terms.years if terms.frame(y)],
            "frames_total": sum((terms.frame(y).amount for y in terms.years if terms.frame(y)), Decimal(0)),
            "cap": cap,
            "requisition": {
                "from": dec.requisition.from_,
                "deadline": f"{dec.requisition.deadline.day} {MONTHS[dec.requisition.deadline.month - 1]}",
            },
            "repayment": {"to": dec.repayment.to, "deadline": terms.repayment_deadline,
                          "bankgiro": dec.repayment.bankgiro},
            "focus_areas": [{"id": a.id, "name": a.name} for a in dec.focus_areas],
            "deliverables": [{"id": x.id, "title": x.title, "kind": x.kind, "kind_name": KIND_NAMES[x.kind],
                              "due": terms.due[x.id], "accounting_years": list(x.accounting_years)}
                             for x in dec.deliverables],
            "amendments": [{"diarienummer": a.diarienummer, "date": a.date, "description": a.description}
                           for a in sorted(dec.amendments, key=lambda a: a.date)],
            "signatories": [s.model_dump() for s in dec.signatories],
        },
        "agency": prog.agency.model_dump(),
        "report": {
            "id": d.id, "kind": d.kind, "kind_name": KIND_NAMES[d.kind], "title": d.title, "due": report_date,
            "date": report_date, "period": {"start": d.period.start, "end": d.period.end},
            "accounting_years": years, "activity_years": activity_years,
            "year": years[-1] if years else None,
        },
        "texts": _texts(inputs, d),
        "calls": [_call(c, areas, i) for i, c in enumerate(prog.calls)],
    }

    rows = _project_rows(ledger, areas, inputs)
    if d.kind == "genomforandeplan":
        ctx["plan"] = _plan(inputs, ledger)
    else:
        ctx.update(_accounting(inputs, ledger, d, rows))
    if d.kind == "slutredovisning":
        ctx["evaluation"] = _evaluation(inputs)
        ctx["results"] = _results(inputs, ledger)
        ctx["annex"] = [rows.row(f) for f in ledger.projects]
    return ctx


def _texts(inputs: Inputs, d: Deliverable) -> dict[str, Markdown]:
    given = inputs.programme.texts.get(d.id, {})
    out = {}
    for section in SECTIONS[d.kind]:
        text = given.get(section)
        out[section] = Sourced(text, format_path(("texts", d.id, section))) if text else Markdown(
            f"*Text saknas: skriv den under `texts.{d.id}.{section}` i programme.yaml.*")
    for section, text in given.items():
        out.setdefault(section, Sourced(text, format_path(("texts", d.id, section))))
    return out


def _call(c, areas: dict[str, str], index: int) -> dict:  # budget None: an open-ended call
    return {"id": c.id, "title": c.title, "opens": c.opens, "closes": c.closes, "budget": c.budget,
            "focus_areas": [areas.get(a, a) for a in c.focus_areas],
            "eligible": Sourced(c.eligible, f"calls[{index}].eligible") if c.eligible else None}


def _plan(inputs: Inputs, ledger: Ledger) -> dict:
    dec = inputs.decision
    terms = terms_as_of(dec, dec.date)
    plan = inputs.programme.plan
    planned = {p.year: p for p in plan.budget} if plan else {}
    rows = []
    for y in terms.years:
        frame = terms.frame(y)
        p = planned.get(y)
        costs = p.programme_costs if p else Decimal(0)
        calls = p.calls if p else Decimal(0)
        rows.append({"year": y, "frame": frame.amount if frame else Decimal(0),
                     "status": FRAME_STATUS_NAMES[frame.status] if frame else "",
                     "calls": calls, "programme_costs": costs,
                     "share": (costs / frame.amount) if frame and frame.amount else None})
    budget = money_table(rows, ["frame", "calls", "programme_costs"])
    total_frame = sum((r["frame"] for r in rows), Decimal(0))
    total_costs = sum((r["programme_costs"] for r in rows), Decimal(0))
    budget["total"]["share"] = total_costs / total_frame if total_frame else None
    timeline = []
    for m in (plan.milestones if plan else []):
        timeline.append({"date": m.date, "activity": m.activity})
    for y in terms.years:
        timeline.append({"date": dec.requisition.deadline.in_year(y),
                         "activity": f"Sista dag att rekvirera {y} års medel från {dec.requisition.from_}"})
    for x in dec.deliverables:
        timeline.append({"date": terms.due[x.id], "activity": f"{x.title} lämnas till {dec.report_to}"})
    timeline.append({"date": terms.repayment_deadline,
                     "activity": f"Ej förbrukade medel återbetalas till {dec.repayment.to}"})
    timeline.sort(key=lambda t: (t["date"], t["activity"]))
    return {"budget": budget, "timeline": timeline, "has_budget": bool(planned)}


class _ProjectRows:
    """Each project's row made once for a ledger: the deliverables of a build list the same
    projects (the final report all of them twice, each interim report most of them).

    ``row`` hands out a new dict each time, so a table can round or add fields to its rows and
    no context shares a row dict with another. The lists in a row (counties, focus areas) are
    shared: nothing changes them, and the sandbox keeps templates from doing so.
    """

    def __init__(self, areas: dict[str, str], positions: dict[str, int]) -> None:
        self.areas = dict(areas)
        self.positions = positions  # project id -> its place in programme.yaml's projects
        # id(f) -> (f, row): f is held so that its id cannot be reused by another figure.
        self._made: dict[int, tuple[ProjectFigures, dict]] = {}

    def row(self, f: ProjectFigures) -> dict:
        made = self._made.get(id(f))
        if made is None or made[0] is not f:
            made = self._made[id(f)] = (f, _project_row(f, self.areas, self.positions.get(f.project.id)))
        return dict(made[1])


#: id(ledger) -> (weak reference to the ledger, its rows); an entry goes when its ledger does.
_ROWS_BY_LEDGER: dict[int, tuple[weakref.ref, _ProjectRows]] = {}


def _project_rows(ledger: Ledger, areas: dict[str, str], inputs: Inputs) -> _ProjectRows:
    entry = _ROWS_BY_LEDGER.get(id(ledger))
    if entry is not None and entry[0]() is ledger and entry[1].areas == areas:
        return entry[1]
    rows = _ProjectRows(areas, {p.id: i for i, p in enumerate(inputs.programme.projects)})
    try:
        ref = weakref.ref(ledger)
    except TypeError:  # a ledger-like object without weak references: rows for this context only
        return rows
    if entry is None or entry[0]() is not ledger:
        weakref.finalize(ledger, _ROWS_BY_LEDGER.pop, id(ledger), None)
    _ROWS_BY_LEDGER[id(ledger)] = (ref, rows)
    return rows


def _project_row(f: ProjectFigures, areas: dict[str, str], position: int | None = None) -> dict:
    p: Project = f.project
    place = f"projects[{position}]" if position is not None else None
    return {
        "id": p.id, "title": p.title, "owner": p.owner.name, "owner_kind": p.owner.kind,
        "anchoring": Sourced(p.owner.anchoring, place and f"{place}.owner.anchoring") if p.owner.anchoring else None,
        "counties": [COUNTIES[c.code] for c in p.counties],
        "focus_areas": [areas.get(a.code, a.code) for a in p.focus_areas],
        "start": p.start, "end": p.end, "status": STATUS_NAMES[p.status],
        "summary": Sourced(p.summary, place and f"{place}.summary") if p.summary else None,
        "continues": p.continues,
        "granted": f.granted, "disbursed": f.disbursed, "remaining": f.remaining,
        "cofinancing": f.cofinancing_total, "cofinancing_share": f.cofinancing_share,
        "total_budget": f.total_budget, "recovered": f.recovered,
    }


def _accounting(inputs: Inputs, ledger: Ledger, d: Deliverable, rows: _ProjectRows) -> dict:
    years = list(d.accounting_years)
    year_rows = []
    for y in years:
        fig = ledger.year(y)
        year_rows.append({
            "year": y, "frame": fig.frame, "frame_status": FRAME_STATUS_NAMES[fig.frame_status],
            "requisitioned": fig.requisitioned, "requisition_dates": list(fig.requisition_dates),
            "granted": fig.granted, "disbursed": fig.disbursed, "programme_costs": fig.programme_costs,
            "cost_share": fig.programme_cost_share, "opening_balance": fig.opening_balance,
            "unspent": fig.unspent, "net": fig.net, "recovered": fig.recovered,
        })
    money = ["frame", "requisitioned", "granted", "disbursed", "programme_costs", "net", "recovered"]
    table = money_table(year_rows, money)
    totals = ledger.totals_for(years)
    table["total"]["cost_share"] = totals.programme_cost_share
    # Balances are stocks, not flows: they do not add up over years, so they are rounded one by one.
    for row in table["rows"]:
        row["opening_balance"] = row["opening_balance"].quantize(KRONA)
        row["unspent"] = row["unspent"].quantize(KRONA)
    table["total"]["opening_balance"] = year_rows[0]["opening_balance"].quantize(KRONA) if year_rows else Decimal(0)
    table["total"]["unspent"] = year_rows[-1]["unspent"].quantize(KRONA) if year_rows else Decimal(0)
    table["total"]["not_granted"] = (totals.requisitioned - totals.granted).quantize(KRONA)
    # The recovery row (Återkrav) is printed only when there is something to print: inputs without
    # recoveries give the same report as before the sheet existed.
    table["has_recoveries"] = totals.recovered != 0
    table["cost_kinds"] = _cost_kinds(ledger, years)

    # Projects granted in the period the report covers (for interim reports: charged to the year
    # of the accounting, and projects active in the year of activity).
    project_years = years if d.kind == "slutredovisning" else list(range(d.period.start.year, d.period.end.year + 1))
    granted_projects = ledger.projects_granted_in(project_years)
    proj_rows = []
    for f in granted_projects:
        row = rows.row(f)
        row["granted_in_period"] = sum((a for y, a in f.granted_by_year.items() if y in project_years), Decimal(0))
        row["disbursed_in_period"] = sum((a for y, a in f.disbursed_by_year.items() if y in project_years), Decimal(0))
        proj_rows.append(row)
    projects = _round_table(proj_rows, ["granted_in_period", "disbursed_in_period", "granted", "disbursed",
                                        "cofinancing", "total_budget"])

    cofinancing = _cofinancing(ledger, granted_projects, None if d.kind == "slutredovisning" else project_years)

    return {
        "accounting": table,
        "projects": projects,
        "project_years": project_years,
        "by_county": _distribution_table(ledger.by_county(project_years)),
        "by_focus_area": _distribution_table(ledger.by_focus_area(project_years)),
        "cofinancing": cofinancing,
        "repayment": _repayment(inputs, ledger) if d.kind == "slutredovisning" else None,
    }


def _cofinancing(ledger: Ledger, granted_projects: list[ProjectFigures], years: list[int] | None) -> dict:
    """Co-financing per source of the projects listed: planned (Budget) as "amount", actual (Utfall)
    as "actual" (a second column only when there is any). An interim report passes its years and
    sees only the amounts of those years and of the whole project."""
    figures = ledger.cofinancing([f.project.id for f in granted_projects], years)
    # A source with no planned or no actual amount shows a dash there, not a zero: nothing was stated.
    rows = [{"source": s, "amount": figures.planned.get(s, Decimal(0)), "actual": figures.actual.get(s, Decimal(0)),
             "planned_stated": s in figures.planned, "actual_stated": s in figures.actual}
            for s in COFINANCING_SOURCES if s in figures.planned or s in figures.actual]
    table = _round_table(rows, ["amount", "actual"])
    # The share is a property of the projects' budgets: their whole planned co-financing over their
    # whole budget, whichever years the report shows amounts for.
    planned = sum((f.cofinancing_total for f in granted_projects), Decimal(0))
    budget = sum((f.total_budget for f in granted_projects), Decimal(0))
    table["projects"] = figures.projects
    table["share"] = (planned / budget) if budget else None
    table["has_actual"] = bool(figures.actual)
    table["has_planned"] = bool(figures.planned)
    return table


def _cost_kinds(ledger: Ledger, years: list[int]) -> dict | None:
    """Programme-related costs per Kostnadsslag, written as the agency writes them. Shown when the
    agency uses its own labels (any outside the common five); with the common ones only, the
    report stays as it was before labels were free."""
    by_kind = ledger.programme_costs_by_kind(years)
    if all(kind in COST_KINDS for kind in by_kind):
        return None
    return money_table([{"kind": k, "amount": a} for k, a in by_kind.items()], ["amount"])


def _repayment(inputs: Inputs, ledger: Ledger) -> dict:
    rows = [{"date": r.date, "amount": r.amount, "bankgiro": r.bankgiro, "reference": r.reference or ""}
            for r in sorted(inputs.finances.repayments, key=lambda r: r.date)]
    recoveries = [{"date": r.date, "project": r.project, "comment": r.comment or "", "amount": r.amount}
                  for r in sorted(inputs.finances.recoveries, key=lambda r: (r.date, r.project))]
    return {
        "recoveries": recoveries,
        "recovered": ledger.total.recovered,
        "rows": rows,
        "unspent": ledger.total.unspent,
        "repaid": ledger.total.repaid,
        "outstanding": ledger.to_repay,
        "requisitioned": ledger.total.requisitioned,
        "disbursed": ledger.total.disbursed,
        "programme_costs": ledger.total.programme_costs,
    }


def _evaluation(inputs: Inputs) -> dict | None:
    e = inputs.programme.evaluation
    if e is None:
        return None
    return {"evaluator": e.evaluator, "external": e.external,
            "period": {"start": e.period.start, "end": e.period.end} if e.period else None,
            "method": Sourced(e.method, "evaluation.method"),
            "findings": [Sourced(x, f"evaluation.findings[{i}]") for i, x in enumerate(e.findings)],
            "effects": Sourced(e.effects, "evaluation.effects"),
            "recommendations": [Sourced(x, f"evaluation.recommendations[{i}]")
                                for i, x in enumerate(e.recommendations)]}


def _results(inputs: Inputs, ledger: Ledger) -> dict:
    totals = ledger.indicators()
    rows = [{"name": INDICATOR_NAMES[k], "key": k, "value": totals.get(k, 0)} for k in INDICATOR_NAMES]
    with_indicators = sum(1 for p in inputs.programme.projects if p.indicators is not None)
    by_area = _indicator_groups(inputs, lambda p: p.focus_areas,
                                {a.id: a.name for a in inputs.decision.focus_areas})
    by_county = _indicator_groups(inputs, lambda p: p.counties, COUNTIES)
    participants = totals.get("participants_women", 0) + totals.get("participants_men", 0)
    return {"totals": rows, "values": totals, "projects_reporting": with_indicators,
            "projects_total": len(inputs.programme.projects), "participants": participants,
            "women_share": (Decimal(totals.get("participants_women", 0)) / participants) if participants else None,
            "by_focus_area": by_area, "by_county": by_county, "targets": _targets(inputs)}


def _target_row(target: int, outcome: int) -> dict:
    return {"target": target, "outcome": outcome,
            "share": (Decimal(outcome) / Decimal(target)) if target else None}


def _targets(inputs: Inputs) -> dict | None:
    """Outcome against target, per indicator and per focus area, over the projects that state a
    target for the indicator (a project that states no outcome counts as zero). None without targets."""
    from reportgen.rules.money import apportion

    projects = [p for p in inputs.programme.projects if p.targets is not None]
    if not projects:
        return None
    areas = {a.id: a.name for a in inputs.decision.focus_areas}
    rows = []
    by_area: dict[tuple[str, str], list[int]] = {}
    unit = Decimal(1)
    for key, name in INDICATOR_NAMES.items():
        target = outcome = count = 0
        for p in projects:
            t = getattr(p.targets, key)
            if t is None:
                continue
            o = (getattr(p.indicators, key) if p.indicators is not None else None) or 0
            target, outcome, count = target + t, outcome + o, count + 1
            groups = p.focus_areas
            if not groups:
                continue
            weights = [g.share if g.share is not None else unit for g in groups]
            for g, t_part, o_part in zip(groups, apportion(Decimal(t), weights, unit),
                                         apportion(Decimal(o), weights, unit)):
                sums = by_area.setdefault((g.code, key), [0, 0])
                sums[0] += int(t_part)
                sums[1] += int(o_part)
        if count:
            rows.append({"key": key, "name": name, "projects": count, **_target_row(target, outcome)})
    order = list(areas)
    keys = list(INDICATOR_NAMES)
    area_rows = [{"area": areas.get(code, code), "key": key, "name": INDICATOR_NAMES[key], **_target_row(*sums)}
                 for (code, key), sums in sorted(by_area.items(), key=lambda item: (
                     order.index(item[0][0]) if item[0][0] in order else len(order), item[0][0],
                     keys.index(item[0][1])))]
    return {"rows": rows, "by_focus_area": area_rows, "projects": len(projects)}


GROUP_INDICATORS = ("companies", "smes", "participants_women", "participants_men", "activities")


def _split_count(value: int, weights: list[Decimal]) -> list:
    """What ``apportion(Decimal(value), weights, Decimal(1))`` gives for equal non-zero weights
    (a project's indicators over its groups when no shares are stated), in integer arithmetic:
    the remainder goes one by one to the first groups."""
    if type(value) is not int or value < 0:
        from reportgen.rules.money import apportion

        return apportion(Decimal(value), weights, Decimal(1))
    whole, left = divmod(value, len(weights))
    return [whole + 1] * left + [whole] * (len(weights) - left)


def _indicator_groups(inputs: Inputs, groups_of, names: dict[str, str]) -> dict:
    """Indicators per group, a project's figures split over its groups like its money."""
    from reportgen.rules.money import apportion

    unit = Decimal(1)
    sums: dict[str, dict[str, Any]] = {}
    for p in inputs.programme.projects:
        if p.indicators is None:
            continue
        values = [(key, v) for key in GROUP_INDICATORS if (v := getattr(p.indicators, key, None)) is not None]
        if not values:
            continue
        groups = groups_of(p)
        if len(groups) == 1:
            # apportion gives one group the whole figure: most projects need neither it nor Decimal.
            code = groups[0].code
            row = sums.get(code)
            if row is None:
                row = sums[code] = dict.fromkeys(GROUP_INDICATORS, 0)
            for key, v in values:
                row[key] += v if type(v) is int else Decimal(v)
            continue
        weights = [g.share if g.share is not None else unit for g in groups]
        equal = bool(weights) and weights[0] != 0 and all(w == weights[0] for w in weights)
        for key, v in values:
            for g, part in zip(groups, _split_count(v, weights) if equal else apportion(Decimal(v), weights, unit)):
                row = sums.get(g.code)
                if row is None:
                    row = sums[g.code] = dict.fromkeys(GROUP_INDICATORS, 0)
                row[key] += part
    order = list(names)
    rows = [{"key": k, "name": names.get(k, k), **{i: int(v) for i, v in sums[k].items()}}
            for k in sorted(sums, key=lambda k: order.index(k) if k in order else len(order))]
    total = {i: sum(r[i] for r in rows) for i in GROUP_INDICATORS}
    return {"rows": rows, "total": total}


# --- charts -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartSpec:
    """A chart a deliverable shows: its data, already computed. Drawn by reportgen.report.charts."""

    key: str
    kind: str  # "grouped" | "horizontal"
    caption: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal, ...]], ...]  # (label, values); one series for "horizontal"


def chart_specs(inputs: Inputs, ledger: Ledger, deliverable_id: str) -> list[ChartSpec]:
    d = _deliverable(inputs, deliverable_id)
    if d.kind == "genomforandeplan" or not d.accounting_years:
        return []
    years = list(d.accounting_years)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    project_years = years if d.kind == "slutredovisning" else list(range(d.period.start.year, d.period.end.year + 1))
    specs = []
    if d.kind == "slutredovisning":
        rows = [ledger.year(y) for y in years]
        specs.append(ChartSpec(
            "per_year", "grouped", f"Ram, rekvirerade medel, utbetalningar och programanknutna kostnader per år {span}",
            tuple(str(y) for y in years),
            (("Ram", tuple(r.frame for r in rows)), ("Rekvirerat", tuple(r.requisitioned for r in rows)),
             ("Utbetalt", tuple(r.disbursed for r in rows)),
             ("Programanknutna kostnader", tuple(r.programme_costs for r in rows)))))
    county = ledger.by_county(project_years)
    specs.append(ChartSpec("by_county", "horizontal", f"Beviljade medel per län {span}",
                           tuple(r.name for r in county.rows), (("Beviljat", tuple(r.granted for r in county.rows)),)))
    area = ledger.by_focus_area(project_years)
    specs.append(ChartSpec("by_focus_area", "horizontal", f"Beviljade medel per fokusområde {span}",
                           tuple(r.name for r in area.rows), (("Beviljat", tuple(r.granted for r in area.rows)),)))
    if d.kind == "slutredovisning":
        granted = ledger.projects_granted_in(project_years)
        cofin = ledger.cofinancing_by_source(granted)
        if cofin:
            specs.append(ChartSpec("cofinancing", "horizontal", f"Medfinansiering per källa {span}",
                                   tuple(cofin), (("Medfinansiering", tuple(cofin.values())),)))
    return specs
