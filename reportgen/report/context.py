"""What each deliverable is, and what its templates may see.

The context is typed data (the dataclasses below) computed here from the deliverable's ledger
view (:func:`reportgen.rules.ledger.view_of`: the records known on its report date); templates
only format it. ``reportgen templates check`` reads what exists from these types.

Every figure is a named quantity (:mod:`reportgen.report.quantity`): its name, how it was
computed and the places in the inputs it comes from go with it into the figure map. Amounts in
tables are rounded here, column by column, so that the rounded rows add up to the rounded
total printed under them (largest remainder method; see money.round_parts).

An indicator no project reported is not zero: its value is None ("–" in the tables), and
each figure says how many projects reported it.
"""

from __future__ import annotations

import datetime as dt
import functools
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from reportgen.inputs.load import Inputs
from reportgen.inputs.model import (
    COFINANCING_SOURCES,
    COST_KINDS,
    COUNTIES,
    Agency,
    Deliverable,
    Project,
)
from reportgen.inputs.model import Indicators as IndicatorsModel
from reportgen.inputs.sources.excel import RowPlaces
from reportgen.inputs.yaml_edit import format_path
from reportgen.report.quantity import (
    Amount,
    Count,
    cell_ranges,
    rounded,
    share_of,
    total_of,
    yaml_place,
)
from reportgen.report.render import Markdown, Sourced
from reportgen.rules.ledger import (
    SPLIT_RULE_SHARES,
    Ledger,
    ProjectFigures,
    share_texts,
    view_of,
)
from reportgen.rules.money import apportion, round_parts
from reportgen.rules.terms import SECTIONS, terms_as_of

KRONA = Decimal(1)
ZERO = Decimal(0)

TEMPLATES = {
    "genomforandeplan": "genomforandeplan.md.j2",
    "delrapport": "delrapport.md.j2",
    "slutredovisning": "slutredovisning.md.j2",
}


KIND_NAMES = {
    "genomforandeplan": "Plan för genomförande",
    "delrapport": "Delrapport",
    "slutredovisning": "Slutredovisning",
}
#: The kind as a noun inside a sentence ("lämnar här en delrapport"): reportgen's own words,
#: so that no text from the inputs needs its case changed.
KIND_NOUNS = {
    "genomforandeplan": "sin plan för genomförande",
    "delrapport": "en delrapport",
    "slutredovisning": "slutredovisningen",
}

STATUS_NAMES = {"granted": "Beviljat", "ongoing": "Pågående", "completed": "Avslutat", "cancelled": "Avbrutet"}
STATUS_WORDS = {"granted": "beviljat", "ongoing": "pågående", "completed": "avslutat", "cancelled": "avbrutet"}
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


# --- the types of the context ------------------------------------------------------------------

@dataclass(frozen=True)
class DateSpan:
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class YearSpan:
    start: int
    end: int


@dataclass(frozen=True)
class FrameRow:
    year: int
    amount: Amount
    status: str
    source: str


@dataclass(frozen=True)
class RequisitionTerms:
    authority: str  # who the funds are requisitioned from (decision.yaml requisition.from)
    deadline: str  # "31 mars"


@dataclass(frozen=True)
class RepaymentTerms:
    to: str
    deadline: dt.date
    bankgiro: str


@dataclass(frozen=True)
class FocusAreaRef:
    id: str
    name: str


@dataclass(frozen=True)
class DeliverableRef:
    id: str
    title: str
    kind: str
    kind_name: str
    due: dt.date
    accounting_years: list[int]


@dataclass(frozen=True)
class AmendmentRef:
    diarienummer: str
    date: dt.date
    description: str


@dataclass(frozen=True)
class PersonRef:
    name: str
    role: str


@dataclass(frozen=True)
class PredecessorRef:
    diarienummer: str
    description: str


@dataclass(frozen=True)
class AppropriationRef:
    expenditure_area: str
    appropriation: str
    item: str


@dataclass
class DecisionInfo:
    diarienummer: str
    illustrative: bool
    title: str
    date: dt.date
    ministry: str
    recipient: str
    report_to: str
    strategy: str
    predecessor: PredecessorRef | None
    period: YearSpan
    appropriation: AppropriationRef
    frames: list[FrameRow]
    frames_total: Amount
    cap: Amount
    requisition: RequisitionTerms
    repayment: RepaymentTerms
    focus_areas: list[FocusAreaRef]
    deliverables: list[DeliverableRef]
    amendments: list[AmendmentRef]
    signatories: list[PersonRef]


@dataclass
class ReportInfo:
    id: str
    kind: str
    kind_name: str
    kind_noun: str  # the kind inside a sentence: "en delrapport"
    title: str
    due: dt.date
    date: dt.date
    as_of: dt.date  # the records known on this day are in the report (its due date)
    period: DateSpan
    accounting_years: list[int]
    activity_years: list[int]
    year: int | None


@dataclass
class CallInfo:
    id: str
    title: str
    opens: dt.date
    closes: dt.date
    budget: Amount | None  # None: an open-ended call
    focus_areas: list[str]
    eligible: Markdown | None


@dataclass
class ProjectRow:
    id: str
    title: str
    owner: str
    owner_kind: str
    anchoring: Markdown | None
    counties: list[str]
    focus_areas: list[str]
    start: dt.date
    end: dt.date
    status: str
    status_word: str  # the status inside a sentence ("avslutat"): reportgen's word, not the inputs'
    summary: Markdown | None
    continues: str | None
    granted: Amount
    disbursed: Amount
    remaining: Amount
    cofinancing: Amount
    cofinancing_share: Amount | None
    total_budget: Amount
    recovered: Amount  # paid back by the project (Återkrav)
    granted_in_period: Amount | None = None
    disbursed_in_period: Amount | None = None


@dataclass
class ProjectTotals:
    granted_in_period: Amount
    disbursed_in_period: Amount
    granted: Amount
    disbursed: Amount
    cofinancing: Amount
    total_budget: Amount


@dataclass
class ProjectTable:
    rows: list[ProjectRow]
    total: ProjectTotals
    count: Count


@dataclass
class YearRow:
    year: int
    frame: Amount
    frame_status: str
    requisitioned: Amount
    requisition_dates: list[dt.date]
    granted: Amount
    disbursed: Amount
    programme_costs: Amount
    cost_share: Amount | None
    opening_balance: Amount
    unspent: Amount
    net: Amount
    recovered: Amount  # paid back by projects in the year (Återkrav)


@dataclass
class YearTotals:
    frame: Amount
    requisitioned: Amount
    granted: Amount
    disbursed: Amount
    programme_costs: Amount
    net: Amount
    recovered: Amount
    cost_share: Amount | None
    opening_balance: Amount
    unspent: Amount
    not_granted: Amount


@dataclass
class CostKindRow:
    kind: str  # the agency's own label (Kostnadsslag), as written
    amount: Amount


@dataclass
class CostKindTotal:
    amount: Amount


@dataclass
class CostKindTable:
    rows: list[CostKindRow]
    total: CostKindTotal


@dataclass
class AccountingTable:
    rows: list[YearRow]
    total: YearTotals
    has_recoveries: bool = False  # the Återkrav row is printed only when there are recoveries
    cost_kinds: CostKindTable | None = None  # only when the agency uses its own cost labels


@dataclass
class GroupRow:
    key: str
    name: str
    projects: Count
    granted: Amount
    disbursed: Amount


@dataclass
class GroupTotals:
    projects: Count
    granted: Amount
    disbursed: Amount


@dataclass
class DistributionTable:
    rows: list[GroupRow]
    total: GroupTotals
    rule: str
    rule_text: str
    split_projects: int
    groups: Count  # the number of groups (counties, focus areas) with projects


@dataclass
class SourceRow:
    source: str
    amount: Amount  # planned (Budget)
    actual: Amount  # actual (Utfall)
    planned_stated: bool  # False: no planned amount was stated ("–", not 0)
    actual_stated: bool


@dataclass
class SourceTotal:
    amount: Amount
    actual: Amount


@dataclass
class CofinancingTable:
    rows: list[SourceRow]
    total: SourceTotal
    projects: Count
    share: Amount | None
    has_actual: bool = False  # some actual (Utfall) amount: a second column
    has_planned: bool = True


@dataclass
class RecoveryRow:
    date: dt.date
    project: str
    comment: str
    amount: Amount


@dataclass
class RepaymentRow:
    date: dt.date
    amount: Amount
    bankgiro: str
    reference: str


@dataclass
class RepaymentInfo:
    rows: list[RepaymentRow]
    unspent: Amount
    repaid: Amount
    outstanding: Amount
    requisitioned: Amount
    disbursed: Amount
    programme_costs: Amount
    recoveries: list[RecoveryRow] = field(default_factory=list)
    recovered: Amount | None = None


@dataclass
class EvaluationInfo:
    evaluator: str
    external: bool
    period: DateSpan | None
    method: Markdown
    findings: list[Markdown]
    effects: Markdown
    recommendations: list[Markdown]


@dataclass
class Indicator:
    """One result indicator over the projects: None when no project reported it."""

    key: str
    name: str
    value: Count | None
    reported: Count  # projects that reported it
    projects: Count  # projects in all
    complete: bool  # every project reported it


@dataclass
class Indicators:
    companies: Indicator
    smes: Indicator
    companies_non_financial: Indicator
    new_companies: Indicator
    participants_women: Indicator
    participants_men: Indicator
    activities: Indicator


@dataclass
class IndicatorRow:
    key: str
    name: str
    companies: Count | None
    smes: Count | None
    participants_women: Count | None
    participants_men: Count | None
    activities: Count | None


@dataclass
class IndicatorTable:
    rows: list[IndicatorRow]
    total: IndicatorRow
    partial: list[Indicator]  # the indicators not every project reported, for the note under the table


@dataclass
class Results:
    totals: list[Indicator]
    indicators: Indicators
    projects_reporting: Count
    projects_total: Count
    participants: Count | None
    women_share: Amount | None
    by_focus_area: IndicatorTable
    by_county: IndicatorTable
    partial: bool  # some indicator was not reported by every project
    targets: Targets | None = None  # None: no project states targets


@dataclass
class TargetRow:
    key: str
    name: str
    projects: Count  # projects that state a target for the indicator
    target: Count
    outcome: Count
    share: Amount | None


@dataclass
class TargetAreaRow:
    area: str
    key: str
    name: str
    target: Count
    outcome: Count
    share: Amount | None


@dataclass
class Targets:
    rows: list[TargetRow]
    by_focus_area: list[TargetAreaRow]
    projects: Count


@dataclass
class PlanRow:
    year: int
    frame: Amount
    status: str
    calls: Amount
    programme_costs: Amount
    share: Amount | None


@dataclass
class PlanTotals:
    frame: Amount
    calls: Amount
    programme_costs: Amount
    share: Amount | None


@dataclass
class PlanBudget:
    rows: list[PlanRow]
    total: PlanTotals


@dataclass
class TimelineRow:
    date: dt.date
    activity: str


@dataclass
class Plan:
    budget: PlanBudget | None  # None: programme.yaml has no plan.budget (a gap of the deliverable)
    timeline: list[TimelineRow]


@dataclass(frozen=True)
class ChartRef:
    src: str
    alt: str
    caption: str


@dataclass
class Charts:
    """The charts the build drew for the deliverable (None: not drawn for this deliverable)."""

    per_year: ChartRef | None = None
    by_county: ChartRef | None = None
    by_focus_area: ChartRef | None = None
    cofinancing: ChartRef | None = None


@dataclass(frozen=True)
class Gap:
    """Data the deliverable needs and the inputs lack (``build --draft`` lists them)."""

    message: str
    where: str


@dataclass
class Draft:
    gaps: list[Gap]


# Which kinds of deliverable have an optional part of the context (for the docs).
_PLAN = {"kinds": ("genomforandeplan",)}
_REPORTS = {"kinds": ("delrapport", "slutredovisning")}
_FINAL = {"kinds": ("slutredovisning",)}


@dataclass
class Context:
    decision: DecisionInfo
    agency: Agency
    report: ReportInfo
    texts: dict[str, Markdown]
    calls: list[CallInfo]
    plan: Plan | None = field(default=None, metadata=_PLAN)
    accounting: AccountingTable | None = field(default=None, metadata=_REPORTS)
    projects: ProjectTable | None = field(default=None, metadata=_REPORTS)
    project_years: list[int] | None = field(default=None, metadata=_REPORTS)
    by_county: DistributionTable | None = field(default=None, metadata=_REPORTS)
    by_focus_area: DistributionTable | None = field(default=None, metadata=_REPORTS)
    cofinancing: CofinancingTable | None = field(default=None, metadata=_REPORTS)
    repayment: RepaymentInfo | None = field(default=None, metadata=_FINAL)
    evaluation: EvaluationInfo | None = field(default=None, metadata=_FINAL)
    results: Results | None = field(default=None, metadata=_FINAL)
    annex: list[ProjectRow] | None = field(default=None, metadata=_FINAL)
    rule_warnings: list[str] = field(default_factory=list)  # set by the build
    charts: Charts = field(default_factory=Charts)  # set by the build
    draft: Draft | None = None  # set by the build (build --draft)

    def as_mapping(self) -> dict[str, Any]:
        """The top-level names a template sees."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


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


# --- where figures come from -------------------------------------------------------------------

class _Places:
    """The records of a ledger view by project and year, so each quantity can name its cells."""

    def __init__(self, view: Ledger) -> None:
        fin = view.inputs.finances
        self.view = view
        self.inputs = view.inputs
        self.grants: dict[str, list] = defaultdict(list)
        self.disbursements: dict[str, list] = defaultdict(list)
        self.cofinancing: dict[str, list] = defaultdict(list)
        self.recoveries: dict[str, list] = defaultdict(list)
        for r in fin.recoveries:
            self.recoveries[r.project].append(r)
        for g in fin.grants:
            self.grants[g.project].append(g)
        for d in fin.disbursements:
            self.disbursements[d.project].append(d)
        self.cofinancing_planned: dict[str, list] = defaultdict(list)  # Budget rows: what a budget is made of
        for c in fin.cofinancing:
            self.cofinancing[c.project].append(c)
            if not c.actual:
                self.cofinancing_planned[c.project].append(c)
        self._project_index: dict[str, int] | None = None
        self._period: dict[tuple, Amount] = {}
        self._whole: dict[tuple, Amount] = {}
        self._record_years: dict[str, tuple[list, list[int]]] = {}

    def whole_amount(self, kind: str, pid: str, value: Decimal, name: str) -> Amount:
        """All of a project's grants, disbursements, planned co-financing…: one quantity per view."""
        key = (kind, pid)
        found = self._whole.get(key)
        if found is None:
            found = self._whole[key] = self.project_amount(kind, pid, value, name)
        return found

    def period_amount(self, kind: str, pid: str, years: Iterable[int], by_year: dict, name: str) -> Amount:
        """A project's grants or disbursements in ``years`` (``by_year``: its amounts by year): one
        quantity for every table that uses it. When all of them lie in ``years``, it is the
        project's whole amount (one term), and its cells are not listed twice."""
        years = tuple(years)
        key = (kind, pid, years)
        found = self._period.get(key)
        if found is None:
            whole = self._whole.get((kind, pid))
            if whole is not None and all(y in years for y in by_year):
                found = Amount(whole, name, f"the project's {kind}, all in the period", terms=(("1", whole),))
            else:
                found = self.project_amount(kind, pid, sum((a for y, a in by_year.items() if y in years), ZERO),
                                            name, years)
            self._period[key] = found
        return found

    @staticmethod
    def cells(records: Iterable, column: str = "amount") -> list:
        # A record made in code (tests, generated inputs) has no place: it is not cited. Rows read
        # from the workbook are cited as ranges of their column: the year's payments, listed as
        # they were paid, are one range (Utbetalningar!C2:C9412), not thousands of cells.
        out = []
        rows: dict[int, tuple[object, str, list[int]]] = {}  # by sheet
        for r in records:
            places = r.places
            if type(places) is RowPlaces:
                sheet = places.sheet
                entry = rows.get(id(sheet))
                if entry is None:
                    entry = rows[id(sheet)] = (sheet, sheet.letters.get(column), [])
                if entry[1] is not None:
                    entry[2].append(places.number)
                    continue
            text = r.where(column)
            if text is not None:
                out.append(text)
        for sheet, letter, numbers in rows.values():
            if numbers:
                out += cell_ranges(f"{sheet.file}:{sheet.name}!", letter, numbers)
        return out

    def project_index(self, pid: str) -> int:
        if self._project_index is None:
            self._project_index = {p.id: i for i, p in enumerate(self.inputs.programme.projects)}
        return self._project_index[pid]

    # A place in a YAML file is cited by its path (``inputs/programme.yaml#projects[17].indicators.companies``);
    # ``reportgen explain`` gives its line and column. Finding lines here would compose the file's
    # node graph again, which at 10 000 projects costs more than the rest of the figure map.
    def programme(self, *path: Any) -> str:
        doc = self.inputs.programme_doc
        return yaml_place(doc.file if doc is not None else "programme.yaml", path)

    def project(self, pid: str, *path: str) -> str:
        """A place in a project of programme.yaml, ``…#projects[17].indicators.companies`` (the
        figures cite one for every project and indicator: made without format_path's checks)."""
        return f"{self.project_file()}#projects[{self.project_index(pid)}]{_path_suffix(path)}"

    def project_file(self) -> str:
        doc = self.inputs.programme_doc
        return doc.file if doc is not None else "programme.yaml"

    def decision(self, *path: Any) -> str:
        doc = self.inputs.decision_doc
        return yaml_place(doc.file if doc is not None else "decision.yaml", path)

    # -- per year --

    def year_records(self, kind: str, years: Iterable[int]) -> list:
        wanted = set(years)
        records, years_of = self._years_of(kind)
        return [r for r, y in zip(records, years_of) if y in wanted]

    def _years_of(self, kind: str) -> tuple[list, list[int]]:
        """The records of a kind, in the order read, and the year each counts in: worked out once
        per view, as every year's sum (and balance) cites the records of its year."""
        found = self._record_years.get(kind)
        if found is None:
            records = getattr(self.inputs.finances, kind)
            if kind in ("disbursements", "recoveries"):  # counted in the year of their day (Ledger.year_of)
                year_of = self.view.year_of
                found = (records, [year_of(r.date) for r in records])
            else:
                found = (records, [r.year for r in records])
            self._record_years[kind] = found
        return found

    def year_amount(self, kind: str, years: Iterable[int], value: Decimal, name: str, how: str) -> Amount:
        years = tuple(years)
        return Amount(value, name, how, lambda: self.cells(self.year_records(kind, years)))

    # -- per project --

    def project_amount(self, kind: str, pid: str, value: Decimal, name: str, years: Iterable[int] | None = None
                       ) -> Amount:
        years = None if years is None else frozenset(years)
        # A weak reference: project rows are cached per ledger (_ROWS_BY_LEDGER) and must not keep it alive.
        me = weakref.proxy(self)

        def sources():
            records = getattr(me, kind)[pid]
            if years is not None:
                if kind == "grants":
                    records = [r for r in records if r.year in years]
                elif kind in ("disbursements", "recoveries"):
                    records = [r for r in records if me.view.year_of(r.date) in years]
            return me.cells(records)

        what = "planned co-financing (Budget)" if kind == "cofinancing_planned" else kind
        return Amount(value, name, f"sum of the project's {what}" + (" in the period" if years is not None else ""),
                      sources)


@functools.lru_cache(maxsize=256)
def _path_suffix(path: tuple[str, ...]) -> str:
    """``("indicators", "companies")`` as ``.indicators.companies``, as format_path writes it after a step."""
    return format_path(("x", *path))[1:]


def release(ledger: Ledger, deliverable_id: str) -> None:
    """Let go of what a deliverable's context cached on its ledger view (its project rows, the
    quantities behind its figures) once the deliverable is written: kept, every deliverable's
    would stay in memory to the end of the build (half of its peak at 10 000 projects)."""
    view = view_of(ledger, deliverable_id)
    view.__dict__.pop("_context_places", None)
    _ROWS_BY_LEDGER.pop(id(view), None)


def _places(view: Ledger) -> _Places:
    places = view.__dict__.get("_context_places")
    if places is None:
        places = view.__dict__["_context_places"] = _Places(view)
    return places


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


def _rounded_column(rows: list, key: str, total_name: str, quantum: Decimal = KRONA) -> Amount:
    """Round attribute ``key`` of ``rows`` (named Amounts) in place so that they add up to the
    rounded total; return the total, a named sum of the rounded rows."""
    exact = [getattr(r, key) for r in rows]
    parts, rounded_total = round_parts(exact, quantum)
    for r, part, x in zip(rows, parts, exact):
        setattr(r, key, rounded(part, x))
    return total_of([getattr(r, key) for r in rows], total_name, value=rounded_total)


def _distribution_table(view: Ledger, by: str, years: list[int], names: dict[str, str]) -> DistributionTable:
    dist = view.by_county(years) if by == "county" else view.by_focus_area(years)
    places = _places(view)
    field = "counties" if by == "county" else "focus_areas"  # where a project names its groups
    figures = {f.project.id: f for f in view.projects}
    period_of: dict[str, tuple[Amount, Amount]] = {}

    def period(pid: str) -> tuple[Amount, Amount]:
        found = period_of.get(pid)
        if found is None:
            f = figures[pid]
            found = period_of[pid] = (
                places.period_amount("grants", pid, years, f.granted_by_year, f"granted_in_period.project.{pid}"),
                places.period_amount("disbursements", pid, years, f.disbursed_by_year,
                                     f"disbursed_in_period.project.{pid}"))
        return found

    rows = []
    for r in dist.rows:
        # A group's figure is the sum of what its projects add to it: all of a project in one
        # group, its share (apportioned to the öre) of one in several.
        split = tuple({"project": pid, "share": share} for pid, share, _, _ in r.contributions if share != "1")
        granted_terms = tuple((share, period(pid)[0], None if share == "1" else part)
                              for pid, share, part, _ in r.contributions)
        disbursed_terms = tuple((share, period(pid)[1], None if share == "1" else part)
                                for pid, share, _, part in r.contributions)
        how = "sum of the projects' grants in the period" + (", projects in several groups split" if split else "")
        rows.append(GroupRow(
            r.key, r.name, Count(r.projects, f"projects.{by}.{r.key}", "projects in the group",
                                 lambda r=r: [places.project(c[0], field) for c in r.contributions]),
            Amount(r.granted, f"granted.{by}.{r.key}", how, split=split, terms=granted_terms),
            Amount(r.disbursed, f"disbursed.{by}.{r.key}", how.replace("grants", "disbursements"),
                   split=split, terms=disbursed_terms)))
    granted = _rounded_column(rows, "granted", f"granted.{by}.total")
    disbursed = _rounded_column(rows, "disbursed", f"disbursed.{by}.total")
    def distinct_projects() -> list:  # each project once, where it names its groups
        return list(dict.fromkeys(places.project(c[0], field) for r in dist.rows for c in r.contributions))

    # Without split projects the total is the sum of the rows (their places are theirs).
    projects = Count(dist.projects, f"projects.{by}.total", "distinct projects (a project in several groups "
                     "counts once)", distinct_projects if dist.split_projects else (),
                     parts=() if dist.split_projects else tuple(r.projects.name for r in rows))
    if not dist.split_projects:
        projects.how = "sum of the rows"
    rule_text = (
        "Projekt som omfattar flera län eller fokusområden har fördelats enligt de andelar som anges för "
        "projektet, och i lika delar där inga andelar anges." if dist.rule == SPLIT_RULE_SHARES else
        "Projekt som omfattar flera län eller fokusområden har fördelats i lika delar.")
    if dist.split_projects:
        rule_text += (" Ett projekt som omfattar flera räknas i var och en av dem i kolumnen Projekt; "
                      "totalraden anger antalet projekt.")
    # The rows it counts name its places (their projects'), as a total's rows do.
    groups = Count(len(rows), f"{by}.count", f"groups ({by}) with projects: the rows",
                   parts=tuple(r.projects.name for r in rows))
    return DistributionTable(rows, GroupTotals(projects, granted, disbursed), dist.rule, rule_text,
                             dist.split_projects, groups)


# --- the context ------------------------------------------------------------------------------

def build_context(inputs: Inputs, ledger: Ledger, deliverable_id: str) -> Context:
    """The context of one deliverable, from its ledger view (the records known on its date)."""
    d = _deliverable(inputs, deliverable_id)
    view = view_of(ledger, deliverable_id)  # every figure below comes from the view's records
    places = _places(view)
    dec = inputs.decision
    prog = inputs.programme
    terms = view.terms
    areas = {a.id: a.name for a in dec.focus_areas}
    report_date = terms.due[d.id]
    years = list(d.accounting_years)
    activity_years = list(range(d.period.start.year, d.period.end.year + 1))

    frames = []
    for i, f in enumerate(dec.frames):
        term = terms.frame(f.year)
        if term is None:
            continue
        frames.append(FrameRow(f.year, Amount(term.amount, f"frame.{f.year}", "the decision's frame",
                                              (places.decision("frames", i, "amount"),)),
                               FRAME_STATUS_NAMES[term.status], term.source))
    frames.sort(key=lambda r: r.year)
    decision = DecisionInfo(
        diarienummer=dec.diarienummer, illustrative=dec.diarienummer_illustrative, title=dec.title, date=dec.date,
        ministry=dec.ministry, recipient=dec.recipient, report_to=dec.report_to,
        strategy=dec.strategy or "Smart industri",
        predecessor=PredecessorRef(dec.predecessor.diarienummer, dec.predecessor.description)
        if dec.predecessor else None,
        period=YearSpan(terms.period_start, terms.period_end),
        appropriation=AppropriationRef(dec.appropriation.expenditure_area, dec.appropriation.appropriation,
                                       dec.appropriation.item),
        frames=frames,
        frames_total=total_of([r.amount for r in frames], "frames.total"),
        cap=Amount(dec.programme_cost_cap_percent / 100, "cap", "the decision's cap on programme-related costs",
                   (places.decision("programme_cost_cap_percent"),)),
        requisition=RequisitionTerms(dec.requisition.from_, f"{dec.requisition.deadline.day} "
                                                            f"{MONTHS[dec.requisition.deadline.month - 1]}"),
        repayment=RepaymentTerms(dec.repayment.to, terms.repayment_deadline, dec.repayment.bankgiro),
        focus_areas=[FocusAreaRef(a.id, a.name) for a in dec.focus_areas],
        deliverables=[DeliverableRef(x.id, x.title, x.kind, KIND_NAMES[x.kind], terms.due[x.id],
                                     list(x.accounting_years)) for x in dec.deliverables],
        amendments=[AmendmentRef(a.diarienummer, a.date, a.description)
                    for a in sorted(dec.amendments, key=lambda a: a.date)],
        signatories=[PersonRef(s.name, s.role) for s in dec.signatories],
    )
    report = ReportInfo(
        id=d.id, kind=d.kind, kind_name=KIND_NAMES[d.kind], kind_noun=KIND_NOUNS[d.kind], title=d.title,
        due=report_date, date=report_date, as_of=report_date, period=DateSpan(d.period.start, d.period.end),
        accounting_years=years, activity_years=activity_years, year=years[-1] if years else None)
    ctx = Context(decision=decision, agency=prog.agency, report=report, texts=_texts(inputs, d),
                  calls=[_call(c, i, areas, places) for i, c in enumerate(prog.calls)])

    rows = _project_rows(view, areas)
    if d.kind == "genomforandeplan":
        ctx.plan = _plan(inputs, places)
    else:
        _accounting(ctx, inputs, view, d, rows)
    if d.kind == "slutredovisning":
        ctx.evaluation = _evaluation(inputs)
        ctx.results = _results(inputs, view, places)
        ctx.annex = [rows.row(f) for f in view.projects]
    return ctx


def _texts(inputs: Inputs, d: Deliverable) -> dict[str, Markdown]:
    """The narrative sections; a missing one is empty here and a gap of the deliverable
    (reportgen.rules.decision.deliverable_completeness): the document never tells its author what to do."""
    given = inputs.programme.texts.get(d.id, {})
    out = {section: Sourced(text, format_path(("texts", d.id, section))) if (text := given.get(section))
           else Markdown("") for section in SECTIONS[d.kind]}
    for section, text in given.items():
        out.setdefault(section, Sourced(text, format_path(("texts", d.id, section))))
    return out


def _call(c, index: int, areas: dict[str, str], places: _Places) -> CallInfo:
    # budget None: an open-ended call (sentences that need the budget are written without it)
    budget = None if c.budget is None else Amount(c.budget, f"call.{c.id}.budget", "the call's budget",
                                                  (places.programme("calls", index, "budget"),))
    return CallInfo(c.id, c.title, c.opens, c.closes, budget,
                    [areas.get(a, a) for a in c.focus_areas],
                    Sourced(c.eligible, f"calls[{index}].eligible") if c.eligible else None)


def _plan(inputs: Inputs, places: _Places) -> Plan:
    dec = inputs.decision
    terms = terms_as_of(dec, dec.date)
    plan = inputs.programme.plan
    budget = None
    if plan and plan.budget:
        index = {p.year: i for i, p in enumerate(plan.budget)}
        rows = []
        for y in terms.years:
            frame = terms.frame(y)
            i = index.get(y)
            p = plan.budget[i] if i is not None else None
            frame_amount = Amount(frame.amount if frame else ZERO, f"frame.{y}", "the decision's frame",
                                  tuple(places.decision("frames", j, "amount")
                                        for j, f in enumerate(dec.frames) if f.year == y))
            calls = Amount(p.calls if p else ZERO, f"plan.calls.{y}", "planned",
                           (places.programme("plan", "budget", i, "calls"),) if p else ())
            costs = Amount(p.programme_costs if p else ZERO, f"plan.programme_costs.{y}", "planned",
                           (places.programme("plan", "budget", i, "programme_costs"),) if p else ())
            rows.append(PlanRow(y, frame_amount, FRAME_STATUS_NAMES[frame.status] if frame else "", calls, costs,
                                share_of(costs, frame_amount, f"plan.programme_cost_share.{y}")))
        exact_frame = total_of([r.frame for r in rows], "frames.total")
        exact_costs = total_of([r.programme_costs for r in rows], "plan.programme_costs.total")
        totals = PlanTotals(
            _rounded_column(rows, "frame", "frames.total"),
            _rounded_column(rows, "calls", "plan.calls.total"),
            _rounded_column(rows, "programme_costs", "plan.programme_costs.total"),
            share_of(exact_costs, exact_frame, "plan.programme_cost_share.total"))
        budget = PlanBudget(rows, totals)
    timeline = [TimelineRow(m.date, m.activity) for m in (plan.milestones if plan else [])]
    for y in terms.years:
        timeline.append(TimelineRow(dec.requisition.deadline.in_year(y),
                                    f"Sista dag att rekvirera {y} års medel från {dec.requisition.from_}"))
    for x in dec.deliverables:
        timeline.append(TimelineRow(terms.due[x.id], f"{x.title} lämnas till {dec.report_to}"))
    timeline.append(TimelineRow(terms.repayment_deadline, f"Ej förbrukade medel återbetalas till {dec.repayment.to}"))
    timeline.sort(key=lambda t: (t.date, t.activity))
    return Plan(budget, timeline)


class _ProjectRows:
    """Each project's row made once for a ledger: the deliverables of a build list the same
    projects (the final report all of them twice, each interim report most of them).

    ``row`` hands out a new row each time, so a table can round or add fields to its rows and
    no context shares a row with another. The lists in a row (counties, focus areas) are
    shared: nothing changes them, and the sandbox keeps templates from doing so.
    """

    def __init__(self, areas: dict[str, str], places: _Places) -> None:
        self.areas = dict(areas)
        # Weakly: the places hold the ledger, which this cache must not keep alive.
        self._places = weakref.ref(places)
        # id(f) -> (f, row): f is held so that its id cannot be reused by another figure.
        self._made: dict[int, tuple[ProjectFigures, ProjectRow]] = {}

    def row(self, f: ProjectFigures) -> ProjectRow:
        made = self._made.get(id(f))
        if made is None or made[0] is not f:
            made = self._made[id(f)] = (f, _project_row(f, self.areas, self._places()))
        # A shallow copy (copy.copy goes through __reduce_ex__: five times as slow, per row).
        row = object.__new__(ProjectRow)
        row.__dict__.update(made[1].__dict__)
        return row


#: id(ledger) -> (weak reference to the ledger, its rows); an entry goes when its ledger does.
_ROWS_BY_LEDGER: dict[int, tuple[weakref.ref, _ProjectRows]] = {}


def _project_rows(ledger: Ledger, areas: dict[str, str]) -> _ProjectRows:
    entry = _ROWS_BY_LEDGER.get(id(ledger))
    if entry is not None and entry[0]() is ledger and entry[1].areas == areas:
        return entry[1]
    rows = _ProjectRows(areas, _places(ledger))
    try:
        ref = weakref.ref(ledger)
    except TypeError:  # a ledger-like object without weak references: rows for this context only
        return rows
    if entry is None or entry[0]() is not ledger:
        weakref.finalize(ledger, _ROWS_BY_LEDGER.pop, id(ledger), None)
    _ROWS_BY_LEDGER[id(ledger)] = (ref, rows)
    return rows


def _project_row(f: ProjectFigures, areas: dict[str, str], places: _Places) -> ProjectRow:
    p: Project = f.project
    pid = p.id
    place = f"projects[{places.project_index(pid)}]"  # where pull-edits writes an edit of its texts back
    granted = places.whole_amount("grants", pid, f.granted, f"granted.project.{pid}")
    disbursed = places.whole_amount("disbursements", pid, f.disbursed, f"disbursed.project.{pid}")
    # The planned co-financing (Budget rows): an actual amount (Utfall) is no part of the budget.
    cofinancing = places.whole_amount("cofinancing_planned", pid, f.cofinancing_total, f"cofinancing.project.{pid}")
    total_budget = Amount(f.total_budget, f"total_budget.project.{pid}", "granted + co-financing",
                          terms=(("1", granted), ("1", cofinancing)))
    return ProjectRow(
        id=pid, title=p.title, owner=p.owner.name, owner_kind=p.owner.kind,
        anchoring=Sourced(p.owner.anchoring, f"{place}.owner.anchoring") if p.owner.anchoring else None,
        counties=[COUNTIES[c.code] for c in p.counties],
        focus_areas=[areas.get(a.code, a.code) for a in p.focus_areas],
        start=p.start, end=p.end, status=STATUS_NAMES[p.status], status_word=STATUS_WORDS[p.status],
        summary=Sourced(p.summary, f"{place}.summary") if p.summary else None, continues=p.continues,
        granted=granted, disbursed=disbursed,
        remaining=Amount(f.remaining, f"remaining.project.{pid}", "granted − disbursed",
                         terms=(("1", granted), ("-1", disbursed))),
        cofinancing=cofinancing, cofinancing_share=share_of(cofinancing, total_budget,
                                                            f"cofinancing_share.project.{pid}"),
        total_budget=total_budget,
        recovered=places.project_amount("recoveries", pid, f.recovered, f"recovered.project.{pid}"),
    )


def _accounting(ctx: Context, inputs: Inputs, view: Ledger, d: Deliverable, rows: _ProjectRows) -> None:
    places = _places(view)
    years = list(d.accounting_years)
    year_rows = []
    fin = view.inputs.finances
    leaves: dict[tuple[str, int], Amount] = {}

    def leaf(kind: str, x: int) -> Amount:
        """One year's sum of one kind of record: every balance below is made of these."""
        q = leaves.get((kind, x))
        if q is None:
            fig = view.year(x)
            if kind == "repayments":
                q = Amount(fig.repaid, f"repaid.year.{x}", "sum of the year's repayments",
                           lambda x=x: places.cells([r for r in fin.repayments if r.date.year == x]))
            else:
                value, name, how = {
                    "requisitions": (fig.requisitioned, "requisitioned", "sum of the year's requisitions"),
                    "disbursements": (fig.disbursed, "disbursed", "sum of the year's disbursements"),
                    "programme_costs": (fig.programme_costs, "programme_costs",
                                        "sum of the year's programme-related costs"),
                    "recoveries": (fig.recovered, "recovered", "sum of the year's recoveries from projects (Återkrav)"),
                    "grants": (fig.granted, "granted", "sum of the grants charged to the year"),
                }[kind]
                q = places.year_amount(kind, [x], value, f"{name}.{x}", how)
            leaves[(kind, x)] = q
        return q

    nets: dict[int, Amount] = {}

    def net(x: int) -> Amount:
        if x not in nets:
            nets[x] = Amount(view.year(x).net, f"net.{x}", "requisitioned − disbursed − programme-related costs "
                             "+ recovered, the year", terms=(("1", leaf("requisitions", x)),
                                                             ("-1", leaf("disbursements", x)),
                                                             ("-1", leaf("programme_costs", x)),
                                                             ("1", leaf("recoveries", x))))
        return nets[x]

    def balance_terms(years_in: list[int]) -> tuple:
        # The balance carried into a year: each earlier year's net less what was repaid in it.
        return tuple(t for x in years_in for t in (("1", net(x)), ("-1", leaf("repayments", x))))

    for y in years:
        fig = view.year(y)
        earlier = [x for x in view.years if x < y]
        requisitioned = leaf("requisitions", y)
        costs = leaf("programme_costs", y)
        frame_index = [i for i, f in enumerate(inputs.decision.frames) if f.year == y]
        year_rows.append(YearRow(
            year=y,
            frame=Amount(fig.frame, f"frame.{y}", "the decision's frame",
                         tuple(places.decision("frames", i, "amount") for i in frame_index)),
            frame_status=FRAME_STATUS_NAMES[fig.frame_status],
            requisitioned=requisitioned,
            requisition_dates=list(fig.requisition_dates),
            granted=leaf("grants", y),
            disbursed=leaf("disbursements", y),
            programme_costs=costs,
            cost_share=share_of(costs, requisitioned, f"cost_share.{y}"),
            opening_balance=Amount(fig.opening_balance.quantize(KRONA), f"opening_balance.{y}",
                                   "requisitioned − disbursed − programme-related costs + recovered − repaid, "
                                   "earlier years", exact=fig.opening_balance, terms=balance_terms(earlier)),
            unspent=Amount(fig.unspent.quantize(KRONA), f"unspent.{y}",
                           "requisitioned − disbursed − programme-related costs + recovered − repaid before the year",
                           exact=fig.unspent, terms=balance_terms(earlier) + (("1", net(y)),)),
            net=net(y),
            recovered=leaf("recoveries", y)))
    totals = view.totals_for(years)
    exact_req = total_of([r.requisitioned for r in year_rows], "requisitioned.total")
    exact_costs = total_of([r.programme_costs for r in year_rows], "programme_costs.total")
    exact_granted = total_of([r.granted for r in year_rows], "granted.total")
    total = YearTotals(
        frame=_rounded_column(year_rows, "frame", "frame.total"),
        requisitioned=_rounded_column(year_rows, "requisitioned", "requisitioned.total"),
        granted=_rounded_column(year_rows, "granted", "granted.total"),
        disbursed=_rounded_column(year_rows, "disbursed", "disbursed.total"),
        programme_costs=_rounded_column(year_rows, "programme_costs", "programme_costs.total"),
        net=_rounded_column(year_rows, "net", "net.total"),
        recovered=_rounded_column(year_rows, "recovered", "recovered.total"),
        cost_share=share_of(exact_costs, exact_req, "cost_share.total"),
        # Balances are stocks, not flows: they do not add up over years, so they are rounded one by one.
        opening_balance=year_rows[0].opening_balance if year_rows else Amount(ZERO, "opening_balance"),
        unspent=year_rows[-1].unspent if year_rows else Amount(ZERO, "unspent"),
        not_granted=Amount((totals.requisitioned - totals.granted).quantize(KRONA), "not_granted",
                           "requisitioned − granted, the years of the report",
                           exact=totals.requisitioned - totals.granted,
                           terms=(("1", exact_req), ("-1", exact_granted))),
    )
    # The recovery row (Återkrav) is printed only when there is something to print: inputs without
    # recoveries give the same report as before the sheet existed.
    ctx.accounting = AccountingTable(year_rows, total, has_recoveries=totals.recovered != 0,
                                     cost_kinds=_cost_kinds(view, places, years))

    # Projects granted in the period the report covers (for interim reports: charged to the year
    # of the accounting, and projects active in the year of activity).
    project_years = years if d.kind == "slutredovisning" else list(range(d.period.start.year, d.period.end.year + 1))
    granted_projects = view.projects_granted_in(project_years)
    proj_rows = []
    for f in granted_projects:
        row = rows.row(f)
        pid = f.project.id
        row.granted_in_period = places.period_amount("grants", pid, project_years, f.granted_by_year,
                                                     f"granted_in_period.project.{pid}")
        row.disbursed_in_period = places.period_amount("disbursements", pid, project_years, f.disbursed_by_year,
                                                       f"disbursed_in_period.project.{pid}")
        proj_rows.append(row)
    ptotal = ProjectTotals(*(_rounded_column(proj_rows, key, f"{key}.projects.total") for key in (
        "granted_in_period", "disbursed_in_period", "granted", "disbursed", "cofinancing", "total_budget")))
    in_period = set(project_years)
    ctx.projects = ProjectTable(proj_rows, ptotal, Count(
        len(proj_rows), "projects.count", "projects granted funds in the period",
        lambda: places.cells([g for f in granted_projects for g in places.grants[f.project.id]
                              if g.year in in_period])))
    ctx.project_years = project_years

    ctx.cofinancing = _cofinancing(view, places, granted_projects, proj_rows,
                                   None if d.kind == "slutredovisning" else project_years)
    county_names = dict(COUNTIES)
    ctx.by_county = _distribution_table(view, "county", project_years, county_names)
    ctx.by_focus_area = _distribution_table(view, "focus_area", project_years,
                                            {a.id: a.name for a in inputs.decision.focus_areas})
    if d.kind == "slutredovisning":
        ctx.repayment = _repayment(inputs, view, places, leaf)


def _cofinancing(view: Ledger, places: _Places, granted_projects: list[ProjectFigures], proj_rows: list[ProjectRow],
                 years: list[int] | None) -> CofinancingTable:
    """Co-financing per source of the projects listed: planned (Budget) as "amount", actual (Utfall)
    as "actual" (a second column only when there is any). An interim report passes its years and
    sees only the amounts of those years and of the whole project."""
    ids = [f.project.id for f in granted_projects]
    figures = view.cofinancing(ids, years)
    in_years = None if years is None else set(years)

    def records(source: str, actual: bool) -> list:
        return [c for pid in ids for c in places.cofinancing[pid]
                if c.source == source and bool(c.actual) == actual
                and (in_years is None or c.year is None or c.year in in_years)]

    rows = []
    for s in COFINANCING_SOURCES:
        if s not in figures.planned and s not in figures.actual:
            continue
        # A source with no planned or no actual amount shows a dash there, not a zero: nothing was stated.
        rows.append(SourceRow(
            s, Amount(figures.planned.get(s, ZERO), f"cofinancing.{s}", "sum of the planned co-financing (Budget) "
                      "from the source, projects of the period", lambda s=s: places.cells(records(s, False))),
            Amount(figures.actual.get(s, ZERO), f"cofinancing.actual.{s}", "sum of the actual co-financing "
                   "(Utfall) from the source, projects of the period", lambda s=s: places.cells(records(s, True))),
            s in figures.planned, s in figures.actual))
    total = SourceTotal(_rounded_column(rows, "amount", "cofinancing.total"),
                        _rounded_column(rows, "actual", "cofinancing.actual.total"))
    # The share is a property of the projects' budgets: their whole planned co-financing over their
    # whole budget, whichever years the report shows amounts for.
    # Their cells are the planned amounts' (Budget, in each project's co-financing): an actual
    # amount (Utfall) is no part of a budget.
    planned = Amount(sum((f.cofinancing_total for f in granted_projects), ZERO), "cofinancing.planned.projects",
                     "sum of the projects' planned co-financing",
                     terms=tuple(("1", r.cofinancing) for r in proj_rows))
    budget = Amount(sum((f.total_budget for f in granted_projects), ZERO), "total_budget.projects.total",
                    "granted + co-financing of the projects of the period",
                    terms=tuple(("1", r.total_budget) for r in proj_rows))
    def with_cofinancing() -> list:  # the rows that make a project one with co-financing (as Ledger.cofinancing)
        return places.cells([c for pid in ids for c in places.cofinancing[pid]
                             if c.amount and (in_years is None or c.year is None or c.year in in_years)])

    return CofinancingTable(rows, total, Count(figures.projects, "cofinancing.projects", "projects with co-financing",
                                               with_cofinancing),
                            share_of(planned, budget, "cofinancing.share"),
                            has_actual=bool(figures.actual), has_planned=bool(figures.planned))


def _cost_kinds(view: Ledger, places: _Places, years: list[int]) -> CostKindTable | None:
    """Programme-related costs per Kostnadsslag, written as the agency writes them. Shown when the
    agency uses its own labels (any outside the common five); with the common ones only, the
    report stays as it was before labels were free."""
    by_kind = view.programme_costs_by_kind(years)
    if all(kind in COST_KINDS for kind in by_kind):
        return None
    wanted = set(years)
    rows = [CostKindRow(k, Amount(a, f"programme_costs.kind.{k}", "sum of the programme-related costs of the kind",
                                  lambda k=k: places.cells([c for c in view.inputs.finances.programme_costs
                                                            if c.kind == k and c.year in wanted])))
            for k, a in by_kind.items()]
    return CostKindTable(rows, CostKindTotal(_rounded_column(rows, "amount", "programme_costs.kinds.total")))


def _repayment(inputs: Inputs, view: Ledger, places: _Places, leaf) -> RepaymentInfo:
    repayments = sorted(view.inputs.finances.repayments, key=lambda r: r.date)
    rows = [RepaymentRow(r.date, Amount(r.amount, f"repaid.{i + 1}", "a repayment", (r.where("amount"),)),
                         r.bankgiro, r.reference or "") for i, r in enumerate(repayments)]
    recoveries = sorted(view.inputs.finances.recoveries, key=lambda r: (r.date, r.project))
    recovery_rows = [RecoveryRow(r.date, r.project, r.comment or "",
                                 Amount(r.amount, f"recovered.{i + 1}", "a recovery from a project (Återkrav)",
                                        (r.where("amount"),)))
                     for i, r in enumerate(recoveries)]
    years = view.years
    # The repayment is accounted for to the öre: these totals are not the accounting table's
    # (``*.total``, sums of rows rounded to kronor), so they have names of their own. They are
    # sums of the years' (``leaf``: one quantity per year and kind).
    req = total_of([leaf("requisitions", y) for y in years], "requisitioned.total.exact",
                   value=view.total.requisitioned, how="sum of the years' requisitions")
    disb = total_of([leaf("disbursements", y) for y in years], "disbursed.total.exact",
                    value=view.total.disbursed, how="sum of the years' disbursements")
    costs = total_of([leaf("programme_costs", y) for y in years], "programme_costs.total.exact",
                     value=view.total.programme_costs, how="sum of the years' programme-related costs")
    recovered = total_of([r.amount for r in recovery_rows], "recovered.total.exact", value=view.total.recovered,
                         how="sum of the recoveries from projects (Återkrav)")
    unspent = Amount(view.total.unspent, "unspent.total",
                     "requisitioned − disbursed − programme-related costs + recovered",
                     terms=(("1", req), ("-1", disb), ("-1", costs), ("1", recovered)))
    repaid = total_of([r.amount for r in rows], "repaid.total", value=view.total.repaid)
    return RepaymentInfo(
        rows=rows, unspent=unspent, repaid=repaid,
        outstanding=Amount(view.to_repay, "to_repay", "unspent − repaid", terms=(("1", unspent), ("-1", repaid))),
        requisitioned=req, disbursed=disb, programme_costs=costs,
        recoveries=recovery_rows, recovered=recovered)


def _evaluation(inputs: Inputs) -> EvaluationInfo | None:
    e = inputs.programme.evaluation
    if e is None:
        return None
    return EvaluationInfo(e.evaluator, e.external, DateSpan(e.period.start, e.period.end) if e.period else None,
                          Sourced(e.method, "evaluation.method"),
                          [Sourced(x, f"evaluation.findings[{i}]") for i, x in enumerate(e.findings)],
                          Sourced(e.effects, "evaluation.effects"),
                          [Sourced(x, f"evaluation.recommendations[{i}]") for i, x in enumerate(e.recommendations)])


def _results(inputs: Inputs, view: Ledger, places: _Places) -> Results:
    projects = inputs.programme.projects
    n = len(projects)
    sums: dict[str, int] = defaultdict(int)
    reporting: dict[str, list[str]] = defaultdict(list)
    fields = tuple(IndicatorsModel.model_fields)
    for p in projects:
        if p.indicators is None:
            continue
        found = p.indicators
        for key in fields:  # as model_dump() gives them, without making a dict of each project's
            value = getattr(found, key)
            if value is not None:
                sums[key] += value
                reporting[key].append(p.id)
    total_n = Count(n, "projects.total", "projects in programme.yaml", (places.programme("projects"),))

    def indicator(key: str) -> Indicator:
        ids = reporting.get(key, [])

        def sources(ids=ids):
            return [places.project(pid, "indicators", key) for pid in ids]

        value = Count(sums[key], f"indicators.{key}", "sum over the projects that reported it", sources) \
            if ids else None
        return Indicator(key, INDICATOR_NAMES[key], value,
                         Count(len(ids), f"indicators.{key}.reported", "projects that reported it", sources),
                         total_n, len(ids) == n)

    totals = [indicator(k) for k in INDICATOR_NAMES]
    by_key = {i.key: i for i in totals}
    with_indicators = sum(1 for p in projects if p.indicators is not None)
    women, men = by_key["participants_women"].value, by_key["participants_men"].value
    participants = None
    if women is not None or men is not None:
        parts = [x for x in (women, men) if x is not None]
        participants = total_of(parts, "indicators.participants", count=True)
    women_share = share_of(women, participants, "indicators.women_share") if women is not None and participants \
        else None
    areas = {a.id: a.name for a in inputs.decision.focus_areas}
    return Results(
        totals=totals, indicators=Indicators(**by_key),
        projects_reporting=Count(with_indicators, "projects.reporting", "projects that reported indicators",
                                 lambda: [places.project(p.id, "indicators") for p in projects
                                          if p.indicators is not None]),
        projects_total=total_n, participants=participants, women_share=women_share,
        by_focus_area=_indicator_table(inputs, lambda p: p.focus_areas, areas, "focus_area", by_key, places),
        by_county=_indicator_table(inputs, lambda p: p.counties, COUNTIES, "county", by_key, places),
        partial=any(not i.complete for i in totals),
        targets=_targets(inputs, places))


def _indicator_table(inputs: Inputs, groups_of, names: dict[str, str], by: str, totals: dict[str, Indicator],
                     places: _Places) -> IndicatorTable:
    made_of: dict[tuple[str, str], list] = defaultdict(list)
    plain = _indicator_groups(inputs, groups_of, names, made_of)
    made_of = dict(made_of)  # looked up below: no entries made by asking
    file = places.project_file()

    def figure(key: str, group: str, value: int) -> Count:
        # Its sources are the figures the group's projects reported; a project in several groups
        # adds its share (apportioned to whole units), listed under "split".
        contributions = made_of.get((group, key), ())
        suffix = _path_suffix(("indicators", key))  # as _Places.project writes it, by index
        return Count(value, f"indicators.{key}.{by}.{group}", "sum over the group's projects that reported it, "
                     "projects in several groups split",
                     lambda: [f"{file}#projects[{i}]{suffix}" for i, _, _ in contributions],
                     split=tuple({"project": pid, "share": share} for _, pid, share in contributions if share != "1"))
    rows = []
    for r in plain["rows"]:
        # A group where no project reported an indicator prints "–" for it, not 0.
        values = {k: figure(k, r["key"], r[k]) if (r["key"], k) in made_of else None for k in GROUP_INDICATORS}
        rows.append(IndicatorRow(r["key"], r["name"], **values))
    total_values = {}
    for k in GROUP_INDICATORS:
        parts = [getattr(r, k) for r in rows if getattr(r, k) is not None]
        total_values[k] = total_of(parts, f"indicators.{k}.{by}.total", count=True) if parts else None
    total = IndicatorRow("total", "Totalt", **total_values)
    return IndicatorTable(rows, total, [totals[k] for k in GROUP_INDICATORS if not totals[k].complete])


def _targets(inputs: Inputs, places: _Places) -> Targets | None:
    """Outcome against target, per indicator and per focus area, over the projects that state a
    target for the indicator (a project that states no outcome counts as zero). None without targets."""
    from reportgen.rules.money import apportion

    projects = [p for p in inputs.programme.projects if p.targets is not None]
    if not projects:
        return None
    areas = {a.id: a.name for a in inputs.decision.focus_areas}
    rows = []
    by_area: dict[tuple[str, str], list] = {}
    unit = Decimal(1)

    def where(pid: str, part: str, key: str):
        return places.project(pid, part, key)

    for key, name in INDICATOR_NAMES.items():
        target = outcome = 0
        t_src: list = []
        o_src: list = []
        for p in projects:
            t = getattr(p.targets, key)
            if t is None:
                continue
            o = getattr(p.indicators, key) if p.indicators is not None else None
            target, outcome = target + t, outcome + (o or 0)
            t_src.append(where(p.id, "targets", key))
            if o is not None:
                o_src.append(where(p.id, "indicators", key))
            groups = p.focus_areas
            if not groups:
                continue
            weights = [g.share if g.share is not None else unit for g in groups]
            for g, t_part, o_part in zip(groups, apportion(Decimal(t), weights, unit),
                                         apportion(Decimal(o or 0), weights, unit)):
                sums = by_area.setdefault((g.code, key), [0, 0, [], []])
                sums[0] += int(t_part)
                sums[1] += int(o_part)
                sums[2].append(where(p.id, "targets", key))
                if o is not None:
                    sums[3].append(where(p.id, "indicators", key))
        if t_src:
            t_q = Count(target, f"targets.{key}", "sum of the projects' targets", tuple(t_src))
            o_q = Count(outcome, f"targets.{key}.outcome", "sum of the outcomes of the projects with a target "
                        "(none reported counts as zero)", tuple(o_src))
            rows.append(TargetRow(key, name, Count(len(t_src), f"targets.{key}.projects", "projects with a target",
                                                   tuple(t_src)),
                                  t_q, o_q, share_of(o_q, t_q, f"targets.{key}.share") if target else None))
    order = list(areas)
    keys = list(INDICATOR_NAMES)
    area_rows = []
    for (code, key), (t, o, t_src, o_src) in sorted(by_area.items(), key=lambda item: (
            order.index(item[0][0]) if item[0][0] in order else len(order), item[0][0], keys.index(item[0][1]))):
        how = "sum over the area's projects with a target, projects in several areas split"
        t_q = Count(t, f"targets.{key}.focus_area.{code}", how, tuple(t_src))
        o_q = Count(o, f"targets.{key}.outcome.focus_area.{code}", how, tuple(o_src))
        area_rows.append(TargetAreaRow(areas.get(code, code), key, INDICATOR_NAMES[key], t_q, o_q,
                                       share_of(o_q, t_q, f"targets.{key}.share.focus_area.{code}") if t else None))
    return Targets(rows, area_rows, Count(len(projects), "targets.projects", "projects that state targets",
                                          tuple(places.project(p.id, "targets")
                                                for p in projects)))


GROUP_INDICATORS = ("companies", "smes", "participants_women", "participants_men", "activities")


def _split_count(value: int, weights: list[Decimal]) -> list:
    """What ``apportion(Decimal(value), weights, Decimal(1))`` gives for equal non-zero weights
    (a project's indicators over its groups when no shares are stated), in integer arithmetic:
    the remainder goes one by one to the first groups."""
    if type(value) is not int or value < 0:
        return apportion(Decimal(value), weights, Decimal(1))
    whole, left = divmod(value, len(weights))
    return [whole + 1] * left + [whole] * (len(weights) - left)


def _indicator_groups(inputs: Inputs, groups_of, names: dict[str, str],
                      contributions: defaultdict[tuple[str, str], list] | None = None) -> dict:
    """Indicators per group, a project's figures split over its groups like its money.

    ``contributions``, when given, is filled with what each group's figure is made of: by
    (group code, indicator), the projects that add to it, each as (its index in programme.yaml,
    its id, its share of the project: "1", or "1/2" for one in two groups)."""
    unit = Decimal(1)
    sums: dict[str, dict[str, Any]] = {}
    for index, p in enumerate(inputs.programme.projects):
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
                if contributions is not None:
                    contributions[code, key].append((index, p.id, "1"))
            continue
        weights = [g.share if g.share is not None else unit for g in groups]
        equal = bool(weights) and weights[0] != 0 and all(w == weights[0] for w in weights)
        shares = share_texts(tuple(weights)) if contributions is not None else ()
        for key, v in values:
            for i, (g, part) in enumerate(zip(groups, _split_count(v, weights) if equal
                                              else apportion(Decimal(v), weights, unit))):
                row = sums.get(g.code)
                if row is None:
                    row = sums[g.code] = dict.fromkeys(GROUP_INDICATORS, 0)
                row[key] += part
                if contributions is not None:
                    contributions[g.code, key].append((index, p.id, shares[i]))
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


CHART_KEYS = tuple(f.name for f in fields(Charts))


def chart_specs(inputs: Inputs, ledger: Ledger, deliverable_id: str) -> list[ChartSpec]:
    """The charts of a deliverable, from its ledger view like its tables."""
    d = _deliverable(inputs, deliverable_id)
    if d.kind == "genomforandeplan" or not d.accounting_years:
        return []
    ledger = view_of(ledger, deliverable_id)
    years = list(d.accounting_years)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    project_years = years if d.kind == "slutredovisning" else list(range(d.period.start.year, d.period.end.year + 1))
    specs = []
    if d.kind == "slutredovisning":
        rows = [ledger.year(y) for y in years]
        specs.append(ChartSpec(
            "per_year", "grouped", f"Ram, rekvirerade medel, utbetalningar och programanknutna kostnader per år {span}",
            tuple(str(y) for y in years),
            (("Ram", tuple(Decimal(r.frame) for r in rows)),
             ("Rekvirerat", tuple(Decimal(r.requisitioned) for r in rows)),
             ("Utbetalt", tuple(Decimal(r.disbursed) for r in rows)),
             ("Programanknutna kostnader", tuple(Decimal(r.programme_costs) for r in rows)))))
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
