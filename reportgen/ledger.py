"""Every figure the reports show, computed once from the model, in Decimal.

Templates never compute money: they format what is here. Each table's total is the exact sum
of its rows (projects split over several counties or focus areas are apportioned to the öre).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .model import COFINANCING_SOURCES, COUNTIES, Project
from .money import apportion
from .terms import Terms, terms_as_of

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

    @property
    def net(self) -> Decimal:
        """The year's change of unused funds: requisitioned − disbursed − programme-related costs."""
        return self.requisitioned - self.disbursed - self.programme_costs

    @property
    def unspent(self) -> Decimal:
        """Funds requisitioned and not used by the end of the year (or period), before repayment."""
        return self.opening_balance + self.net

    @property
    def closing_balance(self) -> Decimal:
        return self.unspent - self.repaid

    @property
    def used(self) -> Decimal:
        return self.disbursed + self.programme_costs

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

    @property
    def remaining(self) -> Decimal:
        return self.granted - self.disbursed


@dataclass(frozen=True)
class GroupFigures:
    key: str  # county code or focus area id
    name: str
    granted: Decimal
    disbursed: Decimal
    projects: int  # projects touching the group (a project in two counties counts in both)


@dataclass(frozen=True)
class Distribution:
    rows: tuple[GroupFigures, ...]
    granted: Decimal
    disbursed: Decimal
    projects: int  # distinct projects
    rule: str  # "shares" when any project has stated shares, else "equal"
    split_projects: int  # projects spread over more than one group


@dataclass
class Ledger:
    inputs: object  # reportgen.inputs.Inputs; kept loose so the ledger can be built in tests
    terms: Terms = field(init=False)
    _distributions: dict = field(init=False, default_factory=dict, repr=False, compare=False)

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
    def _years(self) -> dict[int, YearFigures]:
        fin = self.inputs.finances
        out = {}
        balance = ZERO
        for y in self.years:
            frame = self.terms.frame(y)
            requisitions = [r for r in fin.requisitions if r.year == y]
            requisitioned = _sum(r.amount for r in requisitions)
            costs = _sum(c.amount for c in fin.programme_costs if c.year == y)
            disbursed = _sum(d.amount for d in fin.disbursements if self.year_of(d.date) == y)
            out[y] = YearFigures(
                year=y,
                frame=frame.amount if frame else ZERO,
                frame_status=frame.status if frame else "estimated",
                requisitioned=requisitioned,
                requisition_dates=tuple(sorted(r.date for r in requisitions)),
                granted=_sum(g.amount for g in fin.grants if g.year == y),
                disbursed=disbursed,
                programme_costs=costs,
                programme_cost_share=share(costs, requisitioned),
                opening_balance=balance,
                repaid=_sum(r.amount for r in fin.repayments if r.date.year == y),
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
            opening_balance=rows[0].opening_balance if rows else ZERO, repaid=_sum(r.repaid for r in rows))

    @property
    def to_repay(self) -> Decimal:
        """Unspent funds still to be repaid (negative when more was repaid than unspent)."""
        return self.total.unspent - self.total.repaid

    # --- per project ----------------------------------------------------------------------

    @cached_property
    def projects(self) -> list[ProjectFigures]:
        fin = self.inputs.finances
        granted: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        disbursed: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        cofin: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
        for g in fin.grants:
            granted[g.project][g.year] += g.amount
        for d in fin.disbursements:
            disbursed[d.project][self.year_of(d.date)] += d.amount
        for c in fin.cofinancing:
            cofin[c.project][c.source] += c.amount
        out = []
        for p in self.inputs.programme.projects:
            g_total = _sum(granted[p.id].values())
            c_by_source = {s: cofin[p.id][s] for s in COFINANCING_SOURCES if s in cofin[p.id]}
            c_total = _sum(c_by_source.values())
            out.append(ProjectFigures(
                project=p,
                granted=g_total,
                granted_by_year=dict(sorted(granted[p.id].items())),
                disbursed=_sum(disbursed[p.id].values()),
                disbursed_by_year=dict(sorted(disbursed[p.id].items())),
                cofinancing=c_by_source,
                cofinancing_total=c_total,
                total_budget=g_total + c_total,
                cofinancing_share=share(c_total, g_total + c_total),
            ))
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

    def _compute_distribution(self, years, groups_of, name_of, order: list[str]) -> Distribution:
        wanted = set(years) if years is not None else None
        granted: dict[str, Decimal] = defaultdict(lambda: ZERO)
        disbursed: dict[str, Decimal] = defaultdict(lambda: ZERO)
        counts: dict[str, int] = defaultdict(int)
        any_shares = False
        split = 0
        distinct = 0
        total_granted = total_disbursed = ZERO
        for figures in self.projects:
            groups = groups_of(figures.project)
            if not groups:
                continue
            g = _sum(a for y, a in figures.granted_by_year.items() if wanted is None or y in wanted)
            d = _sum(a for y, a in figures.disbursed_by_year.items() if wanted is None or y in wanted)
            if g == 0 and d == 0:
                continue
            distinct += 1
            weights = [s.share if s.share is not None else Decimal(1) for s in groups]
            any_shares |= any(s.share is not None for s in groups)
            split += len(groups) > 1
            for s, part in zip(groups, apportion(g, weights)):
                granted[s.code] += part
            for s, part in zip(groups, apportion(d, weights)):
                disbursed[s.code] += part
            for s in groups:
                counts[s.code] += 1
            total_granted += g
            total_disbursed += d
        keys = sorted(counts, key=lambda k: (order.index(k) if k in order else len(order), k))
        rows = tuple(GroupFigures(k, name_of(k), granted[k], disbursed[k], counts[k]) for k in keys)
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
