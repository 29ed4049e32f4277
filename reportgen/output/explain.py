"""``reportgen explain ID TEXT``: where a figure printed in a deliverable comes from.

The deliverable's template is rendered from the inputs with its figure map recorded (as the
build does, without writing a document); every printed figure whose text is TEXT is reported
with its quantity, exact value, how it was computed and its sources: cells of finances.xlsx
and places in the YAML files, in the findings' location syntax. For a share, its numerator
and denominator are given with their own sources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.findings import Finding, Location, error, has_errors
from reportgen.inputs.load import display_path
from reportgen.report.context import (
    ChartRef,
    Charts,
    build_context,
    chart_specs,
    deliverable_ids,
    info,
)
from reportgen.report.quantity import (
    FigureMap,
    normalize_text,
    recording,
    split_unit,
    stop_recording,
)
from reportgen.report.render import make_environment, render
from reportgen.report.resources import default_template_dir
from reportgen.rules.ledger import ledger_of
from reportgen.rules.validate import validate_inputs


@dataclass
class Explained:
    deliverable: str
    text: str
    matches: list[dict] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unknown_deliverable: bool = False

    def as_dict(self) -> dict:
        return {"deliverable": self.deliverable, "text": self.text, "matches": self.matches}


def figure_map(inputs_dir: Path, deliverable_id: str, template_dir: Path | None = None
               ) -> tuple[FigureMap | None, list[Finding], bool]:
    """The figure map of one deliverable rendered from ``inputs_dir`` (None on errors); the
    last value says whether the deliverable is unknown."""
    inputs, findings = validate_inputs(inputs_dir, readiness=False)
    if inputs is None or has_errors(findings):
        return None, findings, False
    if deliverable_id not in deliverable_ids(inputs):
        return None, [error("unknown-deliverable", f"no deliverable '{deliverable_id}'; the deliverables are "
                            f"{', '.join(deliverable_ids(inputs))}", Location(inputs.decision_doc.file))], True
    ledger = ledger_of(inputs)
    template_dir = template_dir or default_template_dir(inputs_dir)
    context = build_context(inputs, ledger, deliverable_id)
    # The charts are not drawn: only their places in the text matter here.
    context.charts = Charts(**{s.key: ChartRef(f"diagram/{deliverable_id}-{s.key}", s.caption, s.caption)
                               for s in chart_specs(inputs, ledger, deliverable_id)})
    figures = FigureMap(deliverable_id, context.report.as_of.isoformat())
    token = recording(figures)
    try:
        text, render_findings = render(make_environment(template_dir), info(inputs, deliverable_id).template, context)
    finally:
        stop_recording(token)
    if text is None:
        return None, findings + render_findings, False
    return figures, findings, False


def _matches(printed: str, wanted: str) -> bool:
    printed, wanted = normalize_text(printed), normalize_text(wanted)
    if printed == wanted:
        return True
    number, unit = split_unit(printed)
    return bool(unit) and normalize_text(number) == wanted


def explain(inputs_dir: Path, deliverable_id: str, text: str, template_dir: Path | None = None,
            figures_file: Path | None = None) -> Explained:
    """Where ``text`` printed in the deliverable comes from. ``figures_file``: read the figure map a
    build wrote (``<out>/<id>.figures.json``) instead of rendering the deliverable again."""
    result = Explained(deliverable_id, text)
    if figures_file is not None:
        try:
            data = json.loads(Path(figures_file).read_text(encoding="utf-8"))
            described = data["quantities"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            result.findings = [error("figures-unreadable", f"cannot read the figure map: {exc}",
                                     Location(display_path(Path(figures_file))),
                                     hint="build the deliverable again, or leave out --out to render it from the inputs")]
            return result
        if data.get("deliverable") != deliverable_id:
            result.unknown_deliverable = True
            result.findings = [error("unknown-deliverable", f"{display_path(Path(figures_file))} is the figure map of "
                                     f"'{data.get('deliverable')}', not of '{deliverable_id}'",
                                     Location(display_path(Path(figures_file))))]
            return result
    else:
        figures, findings, unknown = figure_map(inputs_dir, deliverable_id, template_dir)
        result.findings = findings
        result.unknown_deliverable = unknown
        if figures is None:
            return result
        described = figures.as_dict()["quantities"]

    def places(name: str, seen=None) -> list[str]:
        """A quantity's places: its own, or (a total) those of its parts."""
        seen = set() if seen is None else seen
        entry = described[name]
        if entry["sources"] or not entry.get("parts"):
            return entry["sources"]
        out = []
        for part in entry["parts"]:
            if part in described and part not in seen:
                seen.add(part)
                out += places(part, seen)
        return list(dict.fromkeys(out))

    for name in sorted(described):
        entry = described[name]
        for p in entry.get("printed", ()):
            if not _matches(p["text"], text):
                continue
            match = {"quantity": name, "printed": p["text"], "template": p["place"],
                     "value": entry.get("exact", entry["value"]), "how": entry["how"], "sources": places(name)}
            if entry.get("exact") is not None:
                match["rounded"] = entry["value"]
            for key in ("split", "parts"):
                if key in entry:
                    match[key] = entry[key]
            for key in ("numerator", "denominator"):
                if key in entry:
                    part = described[entry[key]]
                    match[key] = {"quantity": entry[key], "value": part.get("exact", part["value"]),
                                  "how": part["how"], "sources": places(entry[key])}
            result.matches.append(match)
    return result


def format_text(result: Explained) -> str:
    lines = []
    for m in result.matches:
        lines.append(f"{m['printed']} ({m['template']}): {m['quantity']} = {m['value']}")
        lines.append(f"  how: {m['how']}")
        if "split" in m:
            lines.append("  split: " + ", ".join(f"{s['project']} ({s['share']})" for s in m["split"]))
        for key in ("numerator", "denominator"):
            if key in m:
                part = m[key]
                lines.append(f"  {key}: {part['quantity']} = {part['value']} ({part['how']})")
                lines += [f"    {s}" for s in part["sources"]]
        if m["sources"] and "numerator" not in m:
            lines.append(f"  sources ({len(m['sources'])}):")
            lines += [f"    {s}" for s in m["sources"]]
    return "\n".join(lines)


__all__ = ["Explained", "explain", "figure_map", "format_text"]
