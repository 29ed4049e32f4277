"""The decision's terms in force on a given day, after the amendments decided by then."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.inputs.model import Decision, Deliverable

# The narrative sections each kind of deliverable prints, in programme.yaml under texts.<id>: a
# deliverable lacking one is incomplete (rules.decision.deliverable_completeness).
SECTIONS = {
    "genomforandeplan": ("sammanfattning", "genomforande", "uppfoljning"),
    "delrapport": ("sammanfattning", "genomfort", "avvikelser"),
    "slutredovisning": ("sammanfattning", "genomfort", "lardomar"),
}


@dataclass(frozen=True)
class FrameTerm:
    year: int
    amount: Decimal
    status: str  # decided | estimated
    source: str  # the diarienummer of the decision that set it


@dataclass(frozen=True)
class Terms:
    as_of: dt.date | None
    frames: dict[int, FrameTerm]
    due: dict[str, dt.date]
    due_source: dict[str, str]
    repayment_deadline: dt.date
    repayment_source: str
    period_start: int
    period_end: int
    cap_percent: Decimal
    applied: tuple[str, ...] = field(default=())  # diarienummer of the amendments applied

    def requisition_deadline(self, year: int, decision: Decision) -> dt.date:
        return decision.requisition.deadline.in_year(year)

    def frame(self, year: int) -> FrameTerm | None:
        return self.frames.get(year)

    @property
    def years(self) -> list[int]:
        return list(range(self.period_start, self.period_end + 1))


def terms_as_of(decision: Decision, day: dt.date | None = None) -> Terms:
    """The terms in force on ``day`` (None: after every amendment)."""
    frames = {f.year: FrameTerm(f.year, f.amount, f.status, decision.diarienummer) for f in decision.frames}
    due = {d.id: d.due for d in decision.deliverables}
    due_source = {d.id: decision.diarienummer for d in decision.deliverables}
    repayment_deadline = decision.repayment.deadline
    repayment_source = decision.diarienummer
    period_end = decision.period.end
    applied = []
    for amendment in sorted(decision.amendments, key=lambda a: a.date):
        if day is not None and amendment.date > day:
            continue
        applied.append(amendment.diarienummer)
        for f in amendment.frames:
            frames[f.year] = FrameTerm(f.year, f.amount, f.status, amendment.diarienummer)
        for key, value in amendment.deliverable_due.items():
            due[key] = value
            due_source[key] = amendment.diarienummer
        if amendment.repayment_deadline:
            repayment_deadline = amendment.repayment_deadline
            repayment_source = amendment.diarienummer
        if amendment.period_end:
            period_end = amendment.period_end
    return Terms(day, frames, due, due_source, repayment_deadline, repayment_source,
                 decision.period.start, period_end, decision.programme_cost_cap_percent, tuple(applied))


def deliverable(decision: Decision, deliverable_id: str) -> Deliverable | None:
    return next((d for d in decision.deliverables if d.id == deliverable_id), None)
