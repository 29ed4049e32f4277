"""Where each deliverable and obligation stands on a given day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportgen.inputs.load import Inputs
from reportgen.report.formatting import date_iso
from reportgen.rules.ledger import Ledger
from reportgen.rules.terms import terms_as_of

DUE_SOON_DAYS = 30


def _state(done: bool, due: dt.date, today: dt.date) -> str:
    if done:
        return "done"
    if today > due:
        return "overdue"
    if (due - today).days <= DUE_SOON_DAYS:
        return "due"
    return "upcoming"


def compute_status(inputs: Inputs, out_dir: Path, today: dt.date) -> dict:
    terms = terms_as_of(inputs.decision, today)
    ledger = Ledger(inputs)
    from reportgen.rules.decision import deliverable_completeness

    deliverables = []
    for d in inputs.decision.deliverables:
        due = terms.due[d.id]
        built = (out_dir / f"{d.id}.docx").is_file()
        gaps = [f for f in deliverable_completeness(inputs, ledger, d.id) if f.is_error]
        deliverables.append({
            "id": d.id, "title": d.title, "kind": d.kind, "due": date_iso(due),
            "due_changed_by": terms.due_source[d.id] if terms.due_source[d.id] != inputs.decision.diarienummer else None,
            "built": built, "state": _state(built, due, today),
            # Complete: the inputs hold everything it needs (a plain build would build it).
            "complete": not gaps, "gaps": [f"{f.where}: {f.message}" if f.where else f.message for f in gaps],
        })
    obligations = []
    for year in terms.years:
        deadline = inputs.decision.requisition.deadline.in_year(year)
        done = any(r.year == year for r in inputs.finances.requisitions)
        if year <= today.year or done:
            obligations.append({"what": f"requisition {year} from {inputs.decision.requisition.from_}",
                                "due": date_iso(deadline), "state": _state(done, deadline, today)})
    repaid = ledger.total.repaid
    repay_done = bool(inputs.finances.repayments) and repaid == ledger.total.unspent
    obligations.append({"what": f"repayment of unspent funds to bankgiro {inputs.decision.repayment.bankgiro}",
                        "due": date_iso(terms.repayment_deadline),
                        "state": _state(repay_done, terms.repayment_deadline, today)})
    return {"today": date_iso(today), "out": str(out_dir), "amendments_applied": list(terms.applied),
            "deliverables": deliverables, "obligations": obligations}


def format_status(report: dict) -> str:
    rows = [("deliverable", "due", "complete", "built", "state")]
    for d in report["deliverables"]:
        due = d["due"] + (f" (moved by {d['due_changed_by']})" if d["due_changed_by"] else "")
        rows.append((d["id"], due, "yes" if d["complete"] else f"no ({len(d['gaps'])} gaps)",
                     "yes" if d["built"] else "no", d["state"]))
    lines = [f"Status on {report['today']} (outputs in {report['out']}):", ""]
    lines += _table(rows)
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
