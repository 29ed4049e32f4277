"""reportgen: the reports owed to Regeringskansliet under the Smart industri decision.

The public API is what ``__all__`` names; everything else (the stage packages ``inputs``,
``rules``, ``report``, ``document``, ``formats``, ``ooxml``, ``review``, ``checks``, ``output``,
``project``) may change between releases. A round trip::

    import reportgen

    inputs, findings = reportgen.validate("inputs")        # load + the decision's rules
    result = reportgen.build("inputs", "outputs")          # -> BuildResult
    problems = reportgen.check_docx("outputs/delrapport-2019.docx", language="sv-SE")
    changes = reportgen.diff("old-outputs", "outputs")     # -> DiffResult
    print(changes.text or "equal")

Bad input never raises: every problem is a :class:`Finding` with a code (listed in
``reportgen.findings.CATALOGUE`` and docs/findings.md), a message and a :class:`Location`.

Names are imported when first used (module ``__getattr__``), so ``import reportgen`` and the
command line stay fast: the stages pull in pydantic, lxml, Jinja and matplotlib.
"""

from __future__ import annotations

import datetime as _dt
import os as _os
from typing import TYPE_CHECKING as _TYPE_CHECKING

if _TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from reportgen.findings import CATALOGUE, Finding, Location, Severity
    from reportgen.inputs.load import Inputs
    from reportgen.output.build import BuildResult
    from reportgen.review.diff import DeliverableDiff, DiffResult, DiffUsageError

__all__ = [  # noqa: RUF022 - the stages first, then what they return
    "load",
    "validate",
    "build",
    "diff",
    "check_docx",
    "Inputs",
    "Finding",
    "Location",
    "Severity",
    "BuildResult",
    "DiffResult",
    "DeliverableDiff",
    "DiffUsageError",
    "CATALOGUE",
]

_PathLike = str | _os.PathLike

# Where each lazily imported name lives.
_LAZY = {
    "Inputs": ("reportgen.inputs.load", "Inputs"),
    "Finding": ("reportgen.findings", "Finding"),
    "Location": ("reportgen.findings", "Location"),
    "Severity": ("reportgen.findings", "Severity"),
    "CATALOGUE": ("reportgen.findings", "CATALOGUE"),
    "BuildResult": ("reportgen.output.build", "BuildResult"),
    "DiffResult": ("reportgen.review.diff", "DiffResult"),
    "DeliverableDiff": ("reportgen.review.diff", "DeliverableDiff"),
    "DiffUsageError": ("reportgen.review.diff", "DiffUsageError"),
}


def __getattr__(name: str):
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'reportgen' has no attribute {name!r}") from None
    import importlib

    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value  # once imported, a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def load(inputs_dir: _PathLike) -> tuple[Inputs | None, list[Finding]]:
    """Read ``decision.yaml``, ``programme.yaml`` and ``finances.xlsx`` from ``inputs_dir`` into
    the typed model.

    Returns the :class:`Inputs` (None when they cannot be read into the model) and the findings
    of reading them (schema, types, references between the files). The decision's rules are not
    judged: :func:`validate` does that too. A large programme.yaml is read in a forked child
    while finances.xlsx is read here, where there are CPUs for it (REPORTGEN_JOBS=1: one
    process; a process running other threads never forks).
    """
    from pathlib import Path

    from reportgen.inputs.load import load_inputs

    return load_inputs(Path(inputs_dir))


def validate(inputs_dir: _PathLike, today: _dt.date | None = None) -> tuple[Inputs | None, list[Finding]]:
    """What ``reportgen validate`` does: :func:`load`, then the decision's rules and the
    deliverables' readiness as on ``today`` (default: today).

    Returns the inputs (None when any finding is an error) and every finding; the inputs are valid
    when no finding is an error (``any(f.is_error for f in findings)`` is false).
    """
    from pathlib import Path

    from reportgen.rules.validate import validate_inputs

    return validate_inputs(Path(inputs_dir), today or _dt.date.today())


def build(inputs_dir: _PathLike, out_dir: _PathLike, ids: list[str] | None = None, *,
          templates: _PathLike | None = None, today: _dt.date | None = None, pdf: bool = False,
          force: bool = False, jobs: int | None = None) -> BuildResult:
    """What ``reportgen build`` does: validate, render every deliverable (or those in ``ids``),
    check each document for accessibility and, when nothing is an error, replace ``out_dir`` as a
    whole with ``<id>.docx``, ``<id>.md`` and the charts.

    ``templates``: the folder of templates and ``base.docx`` (default: ``templates/`` beside the
    inputs, else the packaged ones). ``force``: rebuild even when the manifest says that nothing
    changed. ``jobs``: how many processes render at once (default: REPORTGEN_JOBS, else one per
    CPU; the largest deliverable is rendered in this process, the others in forked children,
    which end with it; 1: everything in this process, which needs the least memory).
    Returns a :class:`BuildResult`: ``ok``, ``findings``, ``written``, ``up_to_date``.
    """
    from pathlib import Path

    from reportgen.output.build import build as run_build

    return run_build(Path(inputs_dir), Path(out_dir), list(ids) if ids else None,
                     Path(templates) if templates is not None else None, today or _dt.date.today(),
                     pdf=pdf, force=force, jobs=jobs)


def diff(old: _PathLike, new: _PathLike, *, context: int = 3) -> DiffResult:
    """What ``reportgen diff OLD NEW`` compares: two Markdown drafts, Word documents or output
    folders, each read into the document tree and compared as normalized Markdown.

    Returns a :class:`DiffResult` (``equal``, ``text``: the unified diff, ``entries``: one
    :class:`DeliverableDiff` per pair with its ``stat``, ``findings``). Raises
    :class:`DiffUsageError` when a side is missing or is not a .md, .docx or folder.
    """
    from pathlib import Path

    from reportgen.review.diff import compare

    return compare(Path(old), Path(new), context)


def check_docx(source: _PathLike | bytes, *, name: str | None = None,
               language: str | None = None) -> list[Finding]:
    """What ``reportgen check-docx`` does for one document (a path or the bytes of a .docx):
    the accessibility rules (language, title, heading order, table header rows, alternative
    text, real lists, no empty paragraphs). An empty list means the document passed.

    ``name``: the file name the findings show; ``language`` (e.g. ``"sv-SE"``): the language the
    document must declare.
    """
    from reportgen.checks.a11y import check_docx as run_check

    return run_check(source, name=name, language=language)
