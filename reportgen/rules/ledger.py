"""Every figure the reports show, computed once from the model, in Decimal.

Templates never compute money: they format what is here. Each table's total is the exact sum
of its rows (projects split over several counties or focus areas are apportioned to the öre).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property

from reportgen.inputs.model import COFINANCING_SOURCES, COUNTIES, Project
from reportgen.rules.money import apportion
from reportgen.rules.terms import Terms, terms_as_of

ZERO = Decimal("0.00")

SPLIT_RULE_SHARES = "shares"
SPLIT_RULE_EQUAL = "equal"


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a fraction of ``whole`` (None when whole is zero)."""
    return None if whole == 0 else part / whole


@dataclass(frozen=True)
class YearFigures:
    year: int | None  # None for the total over all years
    frame: Decimal
    frame_status: str  # decided | estimated | mixed (total)
    requisitioned: Decimal
    requisition_dates: tuple[dt.date, ...]
    granted: Decimal
    disbursed: Decimal
    programme_costs: Decimal
    programme_cost_share: Decimal | None  # of the requisitioned funds
    opening_balance: Decimal  # requisitioned in earlier years and not yet used or repaid
    repaid: Decimal
    # Money projects paid back to the agency (Återkrav): it lowers the net payments to projects
    # and is part of the unspent funds to repay.
    recovered: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        """The year's change of unused funds: requisitioned − disbursed − programme-related costs
        + recovered from projects."""
        return self.requisitioned - self.disbursed - self.programme_costs + self.recovered

    @property
    def unspent(self) -> Decimal:
        """Funds requisitioned and not used by the end of the year (or period), before repayment."""
        return self.opening_balance + self.net

    @property
    def closing_balance(self) -> Decimal:
        return self.unspent - self.repaid

    @property
    def used(self) -> Decimal:
        return self.disbursed - self.recovered + self.programme_costs

    @property
    def net_disbursed(self) -> Decimal:
        """Disbursed to projects less what they paid back."""
        return self.disbursed - self.recovered

    @property
    def not_requisitioned(self) -> Decimal:
        return self.frame - self.requisitioned


@dataclass(frozen=True)
class ProjectFigures:
    project: Project
    granted: Decimal
    granted_by_year: dict[int, Decimal]
    disbursed: Decimal
    disbursed_by_year: dict[int, Decimal]
    cofinancing: dict[str, Decimal]  # by source, only sources present
    cofinancing_total: Decimal
    total_budget: Decimal  # granted + co-financing
    cofinancing_share: Decimal | None  # of the project's total budget
    # Co-financing above is planned (Budget rows, and rows without Typ); the actual (Utfall) apart.
    cofinancing_actual: dict[str, Decimal] = field(default_factory=dict)  # by source, only sources present
    recovered: Decimal = ZERO  # paid back by the project (Återkrav)

    @property
    def remaining(self) -> Decimal:
        return self.granted - self.disbursed

    @property
    def net_disbursed(self) -> Decimal:
        return self.disbursed - self.recovered


@dataclass(frozen=True)
class CofinancingFigures:
    """Co-financing of some projects, planned (Budget) and actual (Utfall) by source."""

    planned: dict[str, Decimal]  # by source, in COFINANCING_SOURCES order, only sources present
    actual: dict[str, Decimal]
    projects: int  # projects with any co-financing counted here
    planned_total: Decimal
    actual_total: Decimal


@dataclass(frozen=True)
class GroupFigures:
    key: str  # county code or focus area id
    name: str
    granted: Decimal
    disbursed: Decimal
    projects: int  # projects touching the group (a project in two counties counts in both)
    # What each project adds to the group: (project id, its share of the project as a fraction
    # "1", "1/2", "3/10", granted part, disbursed part). The parts sum to granted and disbursed.
    contributions: tuple[tuple[str, str, Decimal, Decimal], ...] = ()


@dataclass(frozen=True)
class Distribution:
    rows: tuple[GroupFigures, ...]
    granted: Decimal
    disbursed: Decimal
    projects: int  # distinct projects
    rule: str  # "shares" when any project has stated shares, else "equal"
    split_projects: int  # projects spread over more than one group


def ledger_of(inputs) -> Ledger:
    """The ledger of these inputs, computed once and kept on them: validation's rules and the
    build share it. (It lives here, not on ``Inputs``, so the inputs stage never imports rules.)"""
    ledger = inputs.__dict__.get("_ledger")
    if ledger is None:
        ledger = inputs.__dict__["_ledger"] = Ledger(inputs)
    return ledger


#: The date each kind of record of finances.xlsx is known from. Co-financing has no day: it goes
#: with its project's grants, and an actual amount with its year (see as_of).
RECORD_DATES = {"requisitions": "date", "grants": "decided", "disbursements": "date",
                "programme_costs": "date", "repayments": "date", "recoveries": "date"}


def as_of(ledger: Ledger, day: dt.date, actual_until: int | None = None) -> Ledger:
    """The ledger of the records known on ``day``: every record dated after it is left out.

    A report is computed from what the agency could know on its date; a grant decided or a
    payment made later must not change it. Co-financing is known with its project's grant: the
    planned amounts (Budget) of a project granted by ``day`` count in full, whatever their År
    (the plan is part of the grant decision, known in advance); an actual amount (Utfall) counts
    only for a year up to ``actual_until`` (the report's last accounting year; default: the year
    before ``day``'s), a year whose accounts are closed (without År: for the whole project). When
    no record is left out, the ledger itself is returned (its figures are already computed and
    shared).
    """
    fin = ledger.inputs.finances
    until = day.year - 1 if actual_until is None else actual_until
    kept = {}
    for name, attr in RECORD_DATES.items():
        records = getattr(fin, name)
        later = [r for r in records if getattr(r, attr) > day]
        if later:
            kept[name] = [r for r in records if getattr(r, attr) <= day]
    granted = {g.project for g in kept.get("grants", fin.grants)}
    cofinancing = [c for c in fin.cofinancing if c.project in granted
                   and (not c.actual or c.year is None or c.year <= until)]
    if len(cofinancing) != len(fin.cofinancing):
        kept["cofinancing"] = cofinancing
    if not kept:
        return ledger
    import dataclasses

    finances = fin.model_copy(update=kept)
    inputs = ledger.inputs
    if dataclasses.is_dataclass(inputs):
        inputs = dataclasses.replace(inputs, finances=finances)
    else:  # a stand-in in tests
        import copy

        inputs = copy.copy(inputs)
        inputs.finances = finances
    inputs.__dict__.pop("_ledger", None)
    return Ledger(inputs, as_of=day)


def view_of(ledger: Ledger, deliverable_id: str) -> Ledger:
    """The one ledger view a deliverable is made from: the records known on its report date
    (its due date after the amendments), actual co-financing up to its last accounting year.
    Every table, chart and sentence of the deliverable uses it (reportgen.report.context asks
    for it once per deliverable)."""
    day = ledger.terms.due[deliverable_id]
    d = next(x for x in ledger.inputs.decision.deliverables if x.id == deliverable_id)
    until = max(d.accounting_years) if d.accounting_years else day.year - 1
    view = ledger._views.get((day, until))
    if view is None:
        view = ledger._views[(day, until)] = as_of(ledger, day, until)
    return view


@functools.lru_cache(maxsize=1024)
def share_texts(weights: tuple[Decimal, ...]) -> tuple[str, ...]:
    """Each weight's fraction of their sum, as text ("1", "1/2", "3/10"): a few distinct splits
    recur over thousands of projects."""
    if len(weights) == 1:
        return ("1",)
    whole = Fraction(sum(weights, ZERO))
    if whole == 0:
        return tuple(f"1/{len(weights)}" for _ in weights)
    return tuple(str(Fraction(w) / whole) for w in weights)


@dataclass
class Ledger:
    inputs: object  # reportgen.inputs.load.Inputs; kept loose so the ledger can be built in tests
    as_of: dt.date | None = None  # the day of a view (see as_of); None: every record
    terms: Terms = field(init=False)
    _distributions: dict = field(init=False, default_factory=dict, repr=False, compare=False)
    _views: dict = field(init=False, default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.terms = terms_as_of(self.inputs.decision)

    # --- per year -------------------------------------------------------------------------

    @cached_property
    def years(self) -> list[int]:
        return self.terms.years

    def year(self, year: int) -> YearFigures:
        return self._years[year]

    def year_of(self, day: dt.date) -> int:
        """The year of the period a disbursement on ``day`` counts in: its own, or the nearest one.

        A final payment after the period (or one before it) is still paid from the decision's funds:
        without this it would be left out of the year table, the total and the funds to repay.
        """
        return min(max(day.year, self.years[0]), self.years[-1])

    @cached_property
    def _by_project(self) -> tuple[dict, dict]:
        """Grants and disbursements summed by project and year (a disbursement in the year
        year_of gives it), in one pass over each sheet: 10 000 projects have 85 000 such rows."""
        fin = self.inputs.finances
        granted: dict[tuple[str, int], Decimal] = {}
        for g in fin.grants:
            key = (g.project, g.year)
            granted[key] = granted.get(key, ZERO) + g.amount
        by_day: dict[tuple[str, int], Decimal] = {}
        for d in fin.disbursements:
            key = (d.project, d.date.year)
            by_day[key] = by_day.get(key, ZERO) + d.amount
        disbursed: dict[tuple[str, int], Decimal] = {}
        if by_day:
            first, last = self.years[0], self.years[-1]
            for (project, y), amount in by_day.items():
                key = (project, min(max(y, first), last))  # as year_of
                disbursed[key] = disbursed.get(key, ZERO) + amount
        return granted, disbursed

    @cached_property
    def disbursement_years(self) -> frozenset[int]:
        """The years in which a disbursement is dated (its own year, not year_of)."""
        return frozenset(d.date.year for d in self.inputs.finances.disbursements)

    @cached_property
    def project_totals(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Granted and disbursed in all (the figures' granted and disbursed), by project id: what
        the rules need of each project, without the figures by year that the reports need."""
        granted_by, disbursed_by = self._by_project
        totals: dict[str, list[Decimal]] = {}
        for (project, _), amount in granted_by.items():
            pair = totals.setdefault(project, [ZERO, ZERO])
            pair[0] += amount
        for (project, _), amount in disbursed_by.items():
            pair = totals.setdefault(project, [ZERO, ZERO])
            pair[1] += amount
        return {project: (granted, disbursed) for project, (granted, disbursed) in totals.items()}

    @cached_property
    def _years(self) -> dict[int, YearFigures]:
        fin = self.inputs.finances
        years = self.years
        out: dict[int, YearFigures] = {}
        if not years:
            return out
        # Amounts are summed exactly (Decimal, two decimals, far within the precision): the order
        # of the additions does not change a sum.
        granted_by, disbursed_by = self._by_project
        granted = {y: ZERO for y in years}
        for (_, y), amount in granted_by.items():
            if y in granted:
                granted[y] += amount
        disbursed = {y: ZERO for y in years}
        for (_, y), amount in disbursed_by.items():
            disbursed[y] += amount
        requisitions: dict[int, list] = {y: [] for y in years}
        for r in fin.requisitions:
            if r.year in requisitions:
                requisitions[r.year].append(r)
        costs = {y: ZERO for y in years}
        for c in fin.programme_costs:
            if c.year in costs:
                costs[c.year] += c.amount
        repaid = {y: ZERO for y in years}
        for r in fin.repayments:
            if r.date.year in repaid:
                repaid[r.date.year] += r.amount
        recovered = {y: ZERO for y in years}
        for r in fin.recoveries:
            recovered[self.year_of(r.date)] += r.amount
        balance = ZERO
        for y in years:
            frame = self.terms.frame(y)
            requisitioned = _sum(r.amount for r in requisitions[y])
            out[y] = YearFigures(
                year=y,
                frame=frame.amount if frame else ZERO,
                frame_status=frame.status if frame else "estimated",
                requisitioned=requisitioned,
                requisition_dates=tuple(sorted(r.date for r in requisitions[y])),
                granted=granted[y],
                disbursed=disbursed[y],
                programme_costs=costs[y],
                programme_cost_share=share(costs[y], requisitioned),
                opening_balance=balance,
                repaid=repaid[y],
                recovered=recovered[y],
            )
            balance = out[y].closing_balance
        return out

    @cached_property
    def total(self) -> YearFigures:
        rows = [self._years[y] for y in self.years]
        fin = self.inputs.finances
        statuses = {r.frame_status for r in rows}
        requisitioned = _sum(r.requisitioned for r in rows)
        costs = _sum(r.programme_costs for r in rows)
        return YearFigures(
            year=None,
            frame=_sum(r.frame for r in rows),
            frame_status=statuses.pop() if len(statuses) == 1 else "mixed",
            requisitioned=requisitioned,
            requisition_dates=tuple(d for r in rows for d in r.requisition_dates),
            granted=_sum(r.granted for r in rows),
            disbursed=_sum(r.disbursed for r in rows),
            programme_costs=costs,
            programme_cost_share=share(costs, requisitioned),
            opening_balance=ZERO,
            repaid=_sum(r.amount for r in fin.repayments),
            recovered=_sum(r.recovered for r in rows),
        )

    def totals_for(self, years: Iterable[int]) -> YearFigures:
        """The sum of the given years' figures (repayments counted by their own date)."""
        rows = [self._years[y] for y in years]
        requisitioned = _sum(r.requisitioned for r in rows)
        costs = _sum(r.programme_costs for r in rows)
        statuses = {r.frame_status for r in rows}
        return YearFigures(
            year=None, frame=_sum(r.frame for r in rows),
            frame_status=statuses.pop() if len(statuses) == 1 else "mixed",
            requisitioned=requisitioned, requisition_dates=tuple(d for r in rows for d in r.requisition_dates),
            granted=_sum(r.granted for r in rows), disbursed=_sum(r.disbursed for r in rows),
            programme_costs=costs, programme_cost_share=share(costs, requisitioned),
            opening_balance=rows[0].opening_balance if rows else ZERO, repaid=_sum(r.repaid for r in rows),
            recovered=_sum(r.recovered for r in rows))

    @property
    def to_repay(self) -> Decimal:
        """Unspent funds still to be repaid (negative when more was repaid than unspent)."""
        return self.total.unspent - self.total.repaid

    # --- per project ----------------------------------------------------------------------

    @cached_property
    def projects(self) -> list[ProjectFigures]:
        granted_by, disbursed_by = self._by_project
        granted: dict[str, dict[int, Decimal]] = {}
        for (project, y), amount in granted_by.items():
            granted.setdefault(project, {})[y] = amount
        disbursed: dict[str, dict[int, Decimal]] = {}
        for (project, y), amount in disbursed_by.items():
            disbursed.setdefault(project, {})[y] = amount
        cofin: dict[str, dict[str, Decimal]] = {}
        actual: dict[str, dict[str, Decimal]] = {}
        for c in self.inputs.finances.cofinancing:
            by_source = (actual if c.actual else cofin).setdefault(c.project, {})
            by_source[c.source] = by_source.get(c.source, ZERO) + c.amount
        recovered = self.recovered_by_project
        out = []
        none: dict = {}
        # A frozen dataclass's __init__ sets each field through object.__setattr__; the figures of
        # 10 000 projects are made five times faster by filling in the instance's dict at once.
        new, figures_class = object.__new__, ProjectFigures
        for p in self.inputs.programme.projects:
            pid = p.id
            g_by_year = granted.get(pid, none)
            d_by_year = disbursed.get(pid, none)
            c_found = cofin.get(pid, none)
            g_total = _sum(g_by_year.values())
            c_by_source = {s: c_found[s] for s in COFINANCING_SOURCES if s in c_found} if c_found else {}
            c_total = _sum(c_by_source.values())
            a_found = actual.get(pid)
            figures = new(figures_class)
            figures.__dict__.update(
                project=p,
                granted=g_total,
                granted_by_year=dict(sorted(g_by_year.items())),
                disbursed=_sum(d_by_year.values()),
                disbursed_by_year=dict(sorted(d_by_year.items())),
                cofinancing=c_by_source,
                cofinancing_total=c_total,
                total_budget=g_total + c_total,
                cofinancing_share=share(c_total, g_total + c_total),
                cofinancing_actual={s: a_found[s] for s in COFINANCING_SOURCES if s in a_found} if a_found else {},
                recovered=recovered.get(pid, ZERO),
            )
            out.append(figures)
        return out

    @cached_property
    def recovered_by_project(self) -> dict[str, Decimal]:
        """What each project paid back (Återkrav), by project id; only projects with recoveries."""
        out: dict[str, Decimal] = {}
        for r in self.inputs.finances.recoveries:
            out[r.project] = out.get(r.project, ZERO) + r.amount
        return out

    def cofinancing(self, project_ids: Iterable[str], years: Iterable[int] | None = None) -> CofinancingFigures:
        """Planned and actual co-financing of the given projects. With ``years``, only the amounts
        of those years and those stated for the whole project (no År): what an interim report shows."""
        wanted = set(project_ids)
        in_years = None if years is None else set(years)
        planned: dict[str, Decimal] = {}
        actual: dict[str, Decimal] = {}
        with_any: set[str] = set()
        for c in self.inputs.finances.cofinancing:
            if c.project not in wanted or (in_years is not None and c.year is not None and c.year not in in_years):
                continue
            into = actual if c.actual else planned
            into[c.source] = into.get(c.source, ZERO) + c.amount
            if c.amount:
                with_any.add(c.project)
        planned = {s: planned[s] for s in COFINANCING_SOURCES if planned.get(s)}
        actual = {s: actual[s] for s in COFINANCING_SOURCES if actual.get(s)}
        return CofinancingFigures(planned, actual, len(with_any), _sum(planned.values()), _sum(actual.values()))

    def programme_costs_by_kind(self, years: Iterable[int] | None = None) -> dict[str, Decimal]:
        """Programme-related costs per Kostnadsslag as written, in the order first met."""
        wanted = None if years is None else set(years)
        out: dict[str, Decimal] = {}
        for c in self.inputs.finances.programme_costs:
            if wanted is None or c.year in wanted:
                out[c.kind] = out.get(c.kind, ZERO) + c.amount
        return out

    def project(self, project_id: str) -> ProjectFigures | None:
        return next((p for p in self.projects if p.project.id == project_id), None)

    def projects_granted_in(self, years: Iterable[int]) -> list[ProjectFigures]:
        wanted = set(years)
        return [p for p in self.projects if any(y in wanted for y in p.granted_by_year)]

    def cofinancing_by_source(self, projects: Iterable[ProjectFigures] | None = None) -> dict[str, Decimal]:
        """Co-financing per source (only sources present) of ``projects`` (default: all)."""
        projects = list(self.projects if projects is None else projects)
        out: dict[str, Decimal] = {}
        for s in COFINANCING_SOURCES:
            amount = _sum(p.cofinancing.get(s, ZERO) for p in projects)
            if amount:
                out[s] = amount
        return out

    # --- per county and focus area --------------------------------------------------------

    def by_county(self, years: Iterable[int] | None = None) -> Distribution:
        return self._distribution("county", years, lambda p: p.counties, lambda code: COUNTIES.get(code, code),
                                  order=list(COUNTIES))

    def by_focus_area(self, years: Iterable[int] | None = None) -> Distribution:
        areas = {a.id: a.name for a in self.inputs.decision.focus_areas}
        return self._distribution("focus_area", years, lambda p: p.focus_areas, lambda key: areas.get(key, key),
                                  order=list(areas))

    def _distribution(self, by: str, years, groups_of, name_of, order: list[str]) -> Distribution:
        # A deliverable's context and its charts ask for the same distributions.
        key = (by, None if years is None else tuple(sorted(set(years))))
        if key not in self._distributions:
            self._distributions[key] = self._compute_distribution(years, groups_of, name_of, order)
        return self._distributions[key]

    def _period_sums(self, years) -> list[tuple[Decimal, Decimal]]:
        """Each project's grants and disbursements in ``years`` (all when None), in the order of
        ``projects``: the same for the distribution by county and by focus area."""
        key = ("sums", None if years is None else tuple(sorted(set(years))))
        found = self._distributions.get(key)
        if found is None:
            wanted = set(years) if years is not None else None
            found = self._distributions[key] = [
                (_sum(a for y, a in f.granted_by_year.items() if wanted is None or y in wanted),
                 _sum(a for y, a in f.disbursed_by_year.items() if wanted is None or y in wanted))
                for f in self.projects]
        return found

    def _compute_distribution(self, years, groups_of, name_of, order: list[str]) -> Distribution:
        granted: dict[str, Decimal] = defaultdict(lambda: ZERO)
        disbursed: dict[str, Decimal] = defaultdict(lambda: ZERO)
        counts: dict[str, int] = defaultdict(int)
        contributions: dict[str, list] = defaultdict(list)
        any_shares = False
        split = 0
        distinct = 0
        total_granted = total_disbursed = ZERO
        for figures, (g, d) in zip(self.projects, self._period_sums(years)):
            groups = groups_of(figures.project)
            if not groups:
                continue
            if g == 0 and d == 0:
                continue
            distinct += 1
            weights = [s.share if s.share is not None else Decimal(1) for s in groups]
            any_shares |= any(s.share is not None for s in groups)
            split += len(groups) > 1
            pid = figures.project.id
            shares = share_texts(tuple(weights))
            for s, share_text, g_part, d_part in zip(groups, shares, apportion(g, weights), apportion(d, weights)):
                granted[s.code] += g_part
                disbursed[s.code] += d_part
                counts[s.code] += 1
                contributions[s.code].append((pid, share_text, g_part, d_part))
            total_granted += g
            total_disbursed += d
        keys = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
        rows = tuple(GroupFigures(k, name_of(k), granted[k], disbursed[k], counts[k], tuple(contributions[k]))
                     for k in keys)
        return Distribution(rows, total_granted, total_disbursed, distinct,
                            SPLIT_RULE_SHARES if any_shares else SPLIT_RULE_EQUAL, split)

    # --- indicators ---------------------------------------------------------------------------

    def indicators(self, project_ids: Iterable[str] | None = None) -> dict[str, int]:
        wanted = set(project_ids) if project_ids is not None else None
        out: dict[str, int] = defaultdict(int)
        for p in self.inputs.programme.projects:
            if p.indicators is None or (wanted is not None and p.id not in wanted):
                continue
            for name, value in p.indicators.model_dump().items():
                if value is not None:
                    out[name] += value
        return dict(out)
