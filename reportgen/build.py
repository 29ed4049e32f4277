"""One build: load and check the inputs, render each deliverable, write the outputs.

Nothing is written unless every requested deliverable rendered without error; then each file
is written to a temporary name in the output folder and renamed into place, so a reader never
sees a half-written file and a failed build leaves the previous outputs as they were.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import rules
from .check import validate_inputs
from .deliverables import ChartSpec, build_context, chart_specs, deliverable_ids, info
from .document.markdown import parse
from .findings import Finding, Location, error, has_errors
from .formatting import date_long
from .inputs import Inputs, display_path
from .ledger import Ledger
from .render import make_environment, render
from .writers.docx import CoreProperties, write_docx
from .writers.text import write_markdown

def _installed_templates() -> Path:
    """templates/ of the source tree (editable install), else the copy installed under share/."""
    import sys

    source = Path(__file__).resolve().parent.parent / "templates"
    if (source / "base.docx").is_file():
        return source
    return Path(sys.prefix) / "share" / "reportgen" / "templates"


PACKAGE_TEMPLATES = _installed_templates()


FIGURE_DIR = "figurer"


@dataclass
class Rendered:
    id: str
    markdown: str  # the normalized draft
    docx: bytes
    figures: dict[str, bytes] = field(default_factory=dict)  # path relative to the output folder → PNG


def draw_chart(spec: ChartSpec, deliverable_id: str):
    from . import charts

    name = f"{deliverable_id}-{spec.key.replace('_', '-')}.png"

    def draw():
        if spec.kind == "grouped":
            return charts.grouped_bars(name, spec.caption, list(spec.categories), dict(spec.series))
        return charts.horizontal_bars(name, spec.caption, list(spec.categories), list(spec.series[0][1]))

    return charts.cached(name, repr(spec), draw)


@dataclass
class BuildResult:
    findings: list[Finding] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def default_template_dir(inputs_dir: Path) -> Path:
    """Templates beside the inputs folder (a project's own copy) win over the packaged ones."""
    local = Path(inputs_dir).resolve().parent / "templates"
    if (local / "base.docx").is_file():
        return local
    return PACKAGE_TEMPLATES


def source_date(inputs: Inputs, report_date: dt.date) -> dt.datetime:
    """The timestamp written into the document's properties: SOURCE_DATE_EPOCH, else the report's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).replace(tzinfo=None)
    return dt.datetime.combine(report_date, dt.time(0, 0))


def render_deliverable(inputs: Inputs, ledger: Ledger, deliverable_id: str, template_dir: Path,
                       warnings: list[Finding]) -> tuple[Rendered | None, list[Finding]]:
    d = info(inputs, deliverable_id)
    context = build_context(inputs, ledger, deliverable_id)
    context["rule_warnings"] = [w.report_text for w in warnings if w.report_text]
    figures: dict[str, bytes] = {}
    context["charts"] = {}
    for spec in chart_specs(inputs, ledger, deliverable_id):
        chart = draw_chart(spec, deliverable_id)
        src = f"{FIGURE_DIR}/{chart.name}"
        figures[src] = chart.png
        context["charts"][spec.key] = {"src": src, "alt": chart.alt, "caption": chart.caption}
    env = make_environment(template_dir)
    text, findings = render(env, d.template, context)
    if text is None:
        return None, findings
    doc, parse_findings = parse(text, display_path(template_dir / d.template))
    findings += parse_findings
    if has_errors(findings):
        return None, findings
    draft = write_markdown(doc)
    dec = inputs.decision
    agency = inputs.programme.agency
    fields = {
        "agency": agency.name,
        "title": d.title,
        "subtitle": dec.title,
        "date": date_long(d.due),
        "decision_ref": f"Regeringsbeslut {date_long(dec.date)}, {dec.diarienummer}",
        "your_ref": f"Ert dnr {dec.diarienummer}",
        "our_ref": f"Vårt dnr {agency.case_number}",
        "diarienummer": dec.diarienummer,
        "addressee": dec.report_to,
    }
    stamp = source_date(inputs, d.due)
    core = CoreProperties(
        title=f"{d.title} – {dec.title}",
        subject=f"Redovisning till {dec.report_to}, {dec.diarienummer}",
        author=agency.name,
        language="sv-SE",
        keywords=f"{dec.diarienummer}; Smart industri; {deliverable_id}",
        created=stamp,
        modified=stamp,
    )
    with tempfile.TemporaryDirectory(prefix="reportgen-figures-") as tmp:
        # The writer embeds figures from files; the charts exist only in memory until the outputs are written.
        for rel, png in figures.items():
            (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
            (Path(tmp) / rel).write_bytes(png)
        data, docx_findings = write_docx(doc, template_dir / "base.docx", fields, core, image_root=Path(tmp))
    findings += docx_findings
    if data is None or has_errors(findings):
        return None, findings
    return Rendered(deliverable_id, draft, data, figures), findings


def build(inputs_dir: Path, out_dir: Path, ids: list[str] | None = None, template_dir: Path | None = None,
          today: dt.date | None = None) -> BuildResult:
    result = BuildResult()
    inputs, findings = validate_inputs(inputs_dir, today)
    result.findings += findings
    if inputs is None or has_errors(findings):
        return result
    known = deliverable_ids(inputs)
    wanted = ids or known
    unknown = [i for i in wanted if i not in known]
    if unknown:
        result.findings += [error("unknown-deliverable", f"no deliverable '{i}'; the deliverables are {', '.join(known)}",
                                  Location(inputs.decision_doc.file)) for i in unknown]
        return result
    template_dir = template_dir or default_template_dir(inputs_dir)
    ledger = Ledger(inputs)
    warnings = [f for f in findings if not f.is_error]
    rendered: list[Rendered] = []
    for deliverable_id in wanted:
        # What a deliverable needs is an error only when that deliverable is built.
        readiness = rules.check_deliverable(inputs, ledger, deliverable_id)
        result.findings += readiness
        if has_errors(readiness):
            continue
        item, item_findings = render_deliverable(inputs, ledger, deliverable_id, template_dir, warnings)
        result.findings += item_findings
        if item is not None:
            rendered.append(item)
    if not result.ok:
        return result
    result.written = write_outputs(out_dir, rendered)
    return result


def write_outputs(out_dir: Path, rendered: list[Rendered]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[tuple[Path, bytes]] = []
    for item in rendered:
        files.append((out_dir / f"{item.id}.docx", item.docx))
        files.append((out_dir / f"{item.id}.md", item.markdown.encode("utf-8")))
        files += [(out_dir / rel, png) for rel, png in sorted(item.figures.items())]
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o644)
            staged.append((Path(tmp), target))
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
    return [target for target, _ in files]
