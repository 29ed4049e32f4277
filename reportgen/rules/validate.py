"""One validation pass: load the inputs, then check the decision's terms when they loaded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportgen.findings import Finding, has_errors
from reportgen.inputs.load import Inputs, load_inputs


def validate_inputs(folder: Path, today: dt.date | None = None, readiness: bool = True, jobs: int | None = None
                    ) -> tuple[Inputs | None, list[Finding]]:
    """Inputs (None when they cannot be read into the model) and every finding about them.

    The decision's rules run only on inputs that loaded without errors: a rule judged on half-read
    data would report consequences of the first problem rather than problems of their own.
    ``readiness``: also what each deliverable due by ``today`` lacks (errors); a build checks
    that itself for the deliverables it builds. ``jobs``: how many processes may read the
    inputs at once (:func:`reportgen.inputs.load.load_inputs`).
    """
    from reportgen.rules import decision as rules
    from reportgen.rules.ledger import ledger_of

    inputs, findings = load_inputs(folder, jobs)
    if inputs is None or has_errors(findings):
        return (None if has_errors(findings) else inputs), findings
    ledger = ledger_of(inputs)
    findings += rules.apply_rules(inputs, ledger)
    if readiness:
        findings += rules.deliverable_readiness(inputs, ledger, today)
    return inputs, findings
