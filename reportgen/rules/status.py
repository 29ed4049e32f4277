"""Where each deliverable and obligation stands on a given day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from pathlib import Path

from reportgen.inputs.load import Inputs
from reportgen.report.formatting import date_iso
from reportgen.rules.ledger import ZERO, Ledger
from reportgen.rules.terms import terms_as_of

DUE_SOON_DAYS = 30


def _state(done: bool, due: dt.date, today: dt.date, late: bool = False) -> str:
    if done:
        return "late" if late else "done"
    if today > due:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due"
    return "upcoming"


def compute_status(inputs: Inputs, out_dir: Path, today: dt.date, drafts: Collection[str] = ()) -> dict:
    """Where things stand on ``today``: only what is dated on or before it counts (requisitions,
    repayments, submissions); a deliverable is done when programme.yaml records its submission,
    and built (a .docx in ``out_dir``) is shown beside that, not instead of it. ``drafts``: the
    deliverables whose .docx in ``out_dir`` was built as a draft (build --draft; the output
    folder's manifest says which: ``reportgen.output.manifest.drafts``)."""
    terms = terms_as_of(inputs.decision, today)
    ledger = Ledger(inputs)
    from reportgen.rules.decision import deliverable_completeness

    submitted = inputs.programme.submitted
    deliverables = []
    for d in inputs.decision.deliverables:
        due = terms.due[d.id]
        built = (out_dir / f"{d.id}.docx").is_file()
        on = submitted.get(d.id)
        if on is not None and on > today:
            on = None  # submitted later than the day asked about: not yet, on that day
        gaps = [f for f in deliverable_completeness(inputs, ledger, d.id) if f.is_error]
        deliverables.append({
            "id": d.id, "title": d.title, "kind": d.kind, "due": date_iso(due),
            "due_changed_by": terms.due_source[d.id] if terms.due_source[d.id] != inputs.decision.diarienummer else None,
            "built": built,
            # Built, but as a draft (UTKAST, its gaps listed): not a document to submit.
            "draft": built and d.id in drafts,
            "submitted": date_iso(on) if on else None, "late": bool(on and on > due),
            "state": _state(on is not None, due, today, late=bool(on and on > due)),
            # Complete: the inputs hold everything it needs (a plain build would build it).
            "complete": not gaps, "gaps": [f"{f.where}: {f.message}" if f.where else f.message for f in gaps],
        })
    obligations = []
    requisitions = [r for r in inputs.finances.requisitions if r.date <= today]
    for year in terms.years:
        deadline = inputs.decision.requisition.deadline.in_year(year)
        done_by = [r.date for r in requisitions if r.year == year]
        done = bool(done_by)
        if year <= today.year or done:
            obligations.append({"what": f"requisition {year} from {inputs.decision.requisition.from_}",
                                "due": date_iso(deadline), "done": date_iso(min(done_by)) if done else None,
                                "state": _state(done, deadline, today, late=done and min(done_by) > deadline)})
    repayments = [r for r in inputs.finances.repayments if r.date <= today]
    repaid = sum((r.amount for r in repayments), ZERO)
    repay_done = bool(repayments) and repaid == ledger.total.unspent
    obligations.append({"what": f"repayment of unspent funds to bankgiro {inputs.decision.repayment.bankgiro}",
                        "due": date_iso(terms.repayment_deadline),
                        "done": date_iso(max(r.date for r in repayments)) if repay_done else None,
                        "state": _state(repay_done, terms.repayment_deadline, today,
                                        late=repay_done and max(r.date for r in repayments) > terms.repayment_deadline)})
    return {"today": date_iso(today), "out": str(out_dir), "amendments_applied": list(terms.applied),
            "deliverables": deliverables, "obligations": obligations}


def format_status(report: dict) -> str:
    rows = [("deliverable", "due", "complete", "submitted", "built", "state")]
    for d in report["deliverables"]:
        due = d["due"] + (f" (moved by {d['due_changed_by']})" if d["due_changed_by"] else "")
        built = "draft" if d.get("draft") else "yes" if d["built"] else "no"
        rows.append((d["id"], due, "yes" if d["complete"] else f"no ({len(d['gaps'])} gaps)",
                     d["submitted"] or "-", built, d["state"]))
    lines = [f"Status on {report['today']} (outputs in {report['out']}):", ""]
    lines += _table(rows)
    drafts = [d["id"] for d in report["deliverables"] if d.get("draft")]
    if drafts:
        lines += ["", "Built as drafts (UTKAST, gaps listed; not to be submitted): " + ", ".join(drafts)
                  + ". Build them without --draft once they are complete."]
    gaps = [(d["id"], g) for d in report["deliverables"] for g in d["gaps"]]
    if gaps:
        lines += ["", "Gaps (build --draft builds these deliverables as drafts):", ""]
        lines += [f"  {i}: {g}" for i, g in gaps]
    lines += ["", "Obligations:", ""]
    lines += _table([("obligation", "due", "state")] + [(o["what"], o["due"], o["state"]) for o in report["obligations"]])
    return "\n".join(lines)


def _table(rows: list[tuple]) -> list[str]:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    out = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    out.insert(1, "  ".join("-" * w for w in widths))
    return out
