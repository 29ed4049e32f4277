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
from fractions import Fraction
from pathlib import Path

from reportgen.findings import Finding, Location, error, excerpt, has_errors
from reportgen.inputs.load import display_path
from reportgen.inputs.sources.yaml import load_yaml
from reportgen.inputs.yaml_edit import YamlEditError, parse_path
from reportgen.report.context import (
    ChartRef,
    Charts,
    build_context,
    chart_specs,
    deliverable_ids,
    info,
)
from reportgen.report.quantity import (
    CELL_RANGE,
    INPUTS_LABEL,
    FigureMap,
    cell_ranges,
    normalize_text,
    recording,
    split_unit,
    stop_recording,
)
from reportgen.report.render import make_environment, render
from reportgen.report.resources import default_template_dir
from reportgen.rules.ledger import ledger_of
from reportgen.rules.validate import validate_inputs

#: A figure map larger than this is not read (the final report's of 10 000 projects is 34 MB).
MAX_MAP_BYTES = 512 * 1024 * 1024


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
    return _figure_map(inputs_dir, deliverable_id, template_dir)[:3]


def _figure_map(inputs_dir: Path, deliverable_id: str, template_dir: Path | None = None):
    inputs, findings = validate_inputs(inputs_dir, readiness=False)
    if inputs is None or has_errors(findings):
        return None, findings, False, None
    if deliverable_id not in deliverable_ids(inputs):
        return None, [error("unknown-deliverable", f"no deliverable '{deliverable_id}'; the deliverables are "
                            f"{', '.join(deliverable_ids(inputs))}", Location(inputs.decision_doc.file))], True, None
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
        return None, findings + render_findings, False, inputs
    return figures, findings, False, inputs


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
    rendered_inputs = None
    if figures_file is not None:
        try:
            if Path(figures_file).stat().st_size > MAX_MAP_BYTES:
                raise ValueError(f"it is larger than {MAX_MAP_BYTES} bytes")
            data = json.loads(Path(figures_file).read_text(encoding="utf-8"))
            described = data["quantities"]
            if not isinstance(described, dict):
                raise TypeError("'quantities' is no mapping")
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
        figures, findings, unknown, rendered_inputs = _figure_map(inputs_dir, deliverable_id, template_dir)
        result.findings = findings
        result.unknown_deliverable = unknown
        if figures is None:
            return result
        described = figures.as_dict()["quantities"]

    yaml_docs: dict[str, object] = {}
    if rendered_inputs is not None:
        for doc in (rendered_inputs.programme_doc, rendered_inputs.decision_doc):
            if doc is not None:
                yaml_docs[doc.file] = doc

    def resolve(place: str) -> str:
        """``inputs/programme.yaml#projects[3].indicators.companies`` as ``inputs/programme.yaml:88:9``."""
        file, sep, path = place.partition(".yaml#") if ".yaml#" in place else place.partition(".yml#")
        if not sep:
            return place
        file += sep[:-1]
        doc = yaml_docs.get(file)
        if doc is None and file not in yaml_docs:
            candidate = Path(inputs_dir) / Path(file).name
            doc = load_yaml(candidate, display_path(candidate))[0] if candidate.is_file() else None
            yaml_docs[file] = doc
        if doc is None:
            return place
        try:
            return str(doc.where(parse_path(path)))
        except YamlEditError:
            return place

    # A written map names the inputs folder "inputs/" (whatever it is called and wherever the
    # build ran): named here as the findings name it.
    local_inputs = display_path(Path(inputs_dir)).rstrip("/") + "/"
    local_inputs = "" if local_inputs == "./" else local_inputs

    def localize(place: str) -> str:
        if figures_file is not None and place.startswith(INPUTS_LABEL) and local_inputs != INPUTS_LABEL:
            return local_inputs + place[len(INPUTS_LABEL):]
        return place

    expanded: dict[str, dict[str, Fraction] | None] = {}

    def expand(name: str) -> dict[str, Fraction]:
        """Each place behind a quantity with the fraction of it the quantity takes: its own
        sources, or its terms' (times their weights) or its parts'. Each quantity is expanded
        once (a map is a graph: a total and a balance share their rows), and a quantity that
        leads back to itself adds nothing (a written map is input like any other)."""
        if name in expanded:
            return expanded[name] or {}
        expanded[name] = None
        entry = described.get(name)
        out: dict[str, Fraction] = {}
        if isinstance(entry, dict):
            sources, terms, parts = entry.get("sources") or [], entry.get("terms") or [], entry.get("parts") or []
            if sources or not (parts or terms):
                for place in sources:
                    place = localize(str(place))
                    out[place] = out.get(place, Fraction(0)) + 1
            else:
                for weight, sub in ((Fraction(t[0]), t[1]) for t in terms) if terms else ((Fraction(1), p) for p in parts):
                    for place, x in expand(sub).items():
                        out[place] = out.get(place, Fraction(0)) + weight * x
        expanded[name] = out
        return out

    def places(name: str) -> tuple[list[str], dict[str, str]]:
        """A quantity's cells and places: its own, or those of its parts and terms (each with
        the fraction of it the figure takes, where that is not all of it)."""
        weights = expand(name)
        # Cell by cell (a cell cited through two rows counts twice), then as ranges again: the
        # cells of a column with the same weight, in the order of the workbook.
        cells: dict[tuple[str, str, int], Fraction] = {}
        others: dict[str, Fraction] = {}
        for place, weight in weights.items():
            m = CELL_RANGE.match(place)
            if m is None or (m.group(4) and m.group(4) != m.group(2)):
                others[place] = others.get(place, Fraction(0)) + weight
                continue
            prefix, column, first = m.group(1), m.group(2), int(m.group(3))
            for row in range(first, int(m.group(5) or first) + 1):
                key = (prefix, column, row)
                cells[key] = cells.get(key, Fraction(0)) + weight
        groups: dict[tuple[str, str, Fraction], list[int]] = {}
        for (prefix, column, row), weight in cells.items():
            if weight:
                groups.setdefault((prefix, column, weight), []).append(row)
        placed: list[tuple[tuple, str, Fraction]] = []
        for (prefix, column, weight), rows in groups.items():
            for cited in cell_ranges(prefix, column, rows):
                first = int(CELL_RANGE.match(cited).group(3))
                placed.append(((prefix, len(column), column, first), cited, weight))
        placed.sort(key=lambda p: p[0])
        sources = [text for _, text, _ in placed] + [resolve(p) for p in others]
        weighted = {text: str(w) for _, text, w in placed if w != 1}
        weighted.update({resolve(p): str(w) for p, w in others.items() if w != 1})
        return sources, weighted

    try:
        _match_all(result, described, text, places)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, ZeroDivisionError) as exc:
        # Only a written map can be malformed: one rendered here is reportgen's own.
        result.matches = []
        result.findings = [error("figures-unreadable", f"the figure map is malformed: {excerpt(repr(exc))}",
                                 Location(display_path(Path(figures_file))) if figures_file else None,
                                 hint="build the deliverable again, or leave out --out to render it from the inputs")]
    return result


def _match_all(result: Explained, described: dict, text: str, places) -> None:
    for name in sorted(described):
        entry = described[name]
        for p in entry.get("printed", ()):
            if not _matches(p["text"], text):
                continue
            sources, weights = places(name)
            match = {"quantity": name, "printed": p["text"], "template": p["place"],
                     "value": entry.get("exact", entry["value"]), "how": entry["how"], "sources": sources}
            if weights:
                # Cells of a project in several groups count with the project's share of it.
                match["weights"] = weights
            if entry.get("exact") is not None:
                match["rounded"] = entry["value"]
            for key in ("split", "parts", "terms"):
                if key in entry:
                    match[key] = entry[key]
            for key in ("numerator", "denominator"):
                if key in entry:
                    part = described[entry[key]]
                    part_sources, part_weights = places(entry[key])
                    match[key] = {"quantity": entry[key], "value": part.get("exact", part["value"]),
                                  "how": part["how"], "sources": part_sources}
                    if part_weights:
                        match[key]["weights"] = part_weights
            result.matches.append(match)


def format_text(result: Explained) -> str:
    lines = []
    for m in result.matches:
        lines.append(f"{m['printed']} ({m['template']}): {m['quantity']} = {m['value']}")
        lines.append(f"  how: {m['how']}")
        if "split" in m:
            lines.append("  split: " + ", ".join(f"{s['project']} ({s['share']})" for s in m["split"]))
        if "terms" in m and not m.get("split"):
            lines.append("  = " + " ".join(_term_text(t, i == 0) for i, t in enumerate(m["terms"])))
        for key in ("numerator", "denominator"):
            if key in m:
                part = m[key]
                lines.append(f"  {key}: {part['quantity']} = {part['value']} ({part['how']})")
                lines += _source_lines(part["sources"], part.get("weights", {}))
        if m["sources"] and "numerator" not in m:
            lines.append(f"  sources ({len(m['sources'])}):")
            lines += _source_lines(m["sources"], m.get("weights", {}))
    return "\n".join(lines)


def _term_text(term: list, first: bool) -> str:
    weight, name = term[0], term[1]
    sign = "−" if weight.startswith("-") else ("" if first else "+")
    weight = weight.lstrip("-")
    return f"{sign} {name}".strip() if weight == "1" else f"{sign} {weight} × {name}".strip()


def _source_lines(sources: list[str], weights: dict[str, str]) -> list[str]:
    # A weight other than 1: the cell counts with that fraction (a project in several groups) or
    # negatively (a balance subtracts what was paid out).
    return [f"    {s}" + (f"  × {weights[s]}" if s in weights else "") for s in sources]


__all__ = ["Explained", "explain", "figure_map", "format_text"]
