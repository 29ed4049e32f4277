"""The inputs reference (docs/inputs-reference.md), generated from the model and the sheet specs.

Every model reachable from ``Decision`` and ``Programme`` gets a table of its fields (name, type,
required or optional, description); every sheet of ``inputs.SHEETS`` a table of its columns; every
value type (Money, Date, CountyCode...) a line saying what it accepts. The text is generated, so it
cannot drift from the code: ``reportgen docs inputs --out docs/inputs-reference.md`` (or
``tools/make_docs.py``) rewrites it, and a test fails when the committed file is out of date.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from pydantic import BaseModel, TypeAdapter

from reportgen.inputs import model as m
from reportgen.inputs.load import DECISION_FILE, FINANCES_FILE, PROGRAMME_FILE, SHEETS

# The value types of model.py, in the order the reference lists them.
VALUE_TYPES: dict[str, Any] = {
    "Text": m.Text, "MarkdownText": m.MarkdownText, "Money": m.Money, "Date": m.Date, "Year": m.Year,
    "Count": m.Count, "Percent": m.Percent, "Flag": m.Flag, "Identifier": m.Identifier,
    "Diarienummer": m.Diarienummer, "Bankgiro": m.Bankgiro, "CountyCode": m.CountyCode,
    "CountyShare": m.CountyShare, "AreaShare": m.AreaShare, "OrganisationKind": m.OrganisationKind,
    "ProjectStatus": m.ProjectStatus, "DeliverableKind": m.DeliverableKind, "FrameStatus": m.FrameStatus,
    "CostKind": m.CostKind, "CofinancingSource": m.CofinancingSource, "CofinancingKind": m.CofinancingKind,
}
_PLAIN = {"str": "text", "int": "whole number", "bool": "true or false"}
HIDDEN_FIELDS = {"places", "row"}  # set by the Excel loader, not input


def _models_under(root: type[BaseModel]) -> list[type[BaseModel]]:
    """``root`` and every model its fields refer to, in first-mention order."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for name in model.model_fields:
            if name in HIDDEN_FIELDS:
                continue
            for word in re.findall(r"[A-Za-z_]+", _annotation(model, name)):
                target = getattr(m, word, None)
                if isinstance(target, type) and issubclass(target, BaseModel) and word not in VALUE_TYPES:
                    visit(target)

    visit(root)
    return seen


def _annotation(model: type[BaseModel], name: str) -> str:
    """The field's type as written in model.py (annotations are strings there)."""
    for klass in model.__mro__:
        written = inspect.get_annotations(klass).get(name)
        if written is not None:
            return written if isinstance(written, str) else getattr(written, "__name__", str(written))
    return "?"


def _anchor(name: str) -> str:
    return name.lower()


def _type_text(written: str, field: Any = None) -> str:
    """``list[Frame] | None`` → ``list of [Frame](#frame)``: the written type, with links."""
    text = written.strip()
    if text.endswith("| None"):
        return _type_text(text[: -len("| None")], field)
    if text.startswith("list[") and text.endswith("]"):
        return "list of " + _type_text(text[5:-1], field)
    if text.startswith("dict[str, ") and text.endswith("]"):
        return "mapping of text to " + _type_text(text[len("dict[str, "):-1], field)
    if text.startswith("Annotated[int"):
        bounds = [getattr(x, "ge", None) for x in getattr(field, "metadata", [])] + \
                 [getattr(x, "le", None) for x in getattr(field, "metadata", [])]
        low = next((b for b in bounds[: len(bounds) // 2] if b is not None), None)
        high = next((b for b in bounds[len(bounds) // 2:] if b is not None), None)
        return f"whole number {low}–{high}" if low is not None and high is not None else "whole number"
    if text in VALUE_TYPES:
        return f"[{text}](#{_anchor(text)})"
    target = getattr(m, text, None)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return f"[{text}](#{_anchor(text)})"
    return _PLAIN.get(text, f"`{text}`")


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _default_text(field: Any) -> str:
    if field.is_required():
        return "required"
    default = field.get_default(call_default_factory=True)
    if default is None or default == [] or default == {}:
        return "optional"
    if isinstance(default, bool):
        return f"optional (default `{str(default).lower()}`)"
    return f"optional (default `{default}`)"


def _model_section(model: type[BaseModel], level: str = "###") -> list[str]:
    lines = [f"{level} {model.__name__}", ""]
    doc = (model.__dict__.get("__doc__") or "").strip()
    if doc:
        lines += [" ".join(doc.split()), ""]
    lines += ["| field | type | | description |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        if name in HIDDEN_FIELDS:
            continue
        shown = field.alias or name
        lines.append(f"| `{shown}` | {_type_text(_annotation(model, name), field)} | {_default_text(field)} | "
                     f"{_cell(field.description)} |")
    return lines + [""]


def _value_type_lines() -> list[str]:
    lines = ["## Value types", "",
             ("What each type in the tables above accepts. Amounts are kept exactly (never as floating point); "
             "text is trimmed of surrounding spaces."), ""]
    for name, tp in VALUE_TYPES.items():
        schema = TypeAdapter(tp).json_schema(mode="validation")
        lines += [f"### {name}", ""]
        lines.append(_cell(schema.get("description")) or _describe_schema(schema))
        limit = schema.get("maxLength")
        if limit:
            lines[-1] = (lines[-1] + " " if lines[-1] else "") + f"At most {limit:,} characters.".replace(",", " ")
        lines.append("")
    return lines


def _describe_schema(schema: dict) -> str:
    kind = schema.get("type")
    return {"string": "Text.", "boolean": "`true` or `false` (YAML 1.2: `yes`, `no`, `on`, `off` are text)."}.get(
        kind, "")


def _sheet_lines() -> list[str]:
    lines = [f"## {FINANCES_FILE}", "",
             ("One sheet per kind of record; the first row holds the headers (matched without regard to case and "
             "spaces, in any order). A sheet marked optional may be left out; a column marked optional may be "
             "left out; a column that *may be empty* must be there but its cells may be blank. Other sheets are "
             "ignored. In a cell, amounts and years are number cells and dates date cells (or text "
             "`YYYY-MM-DD`)."), ""]
    for spec in SHEETS:
        record = spec.record
        lines += [f"### Sheet {spec.sheet}", ""]
        lines.append(f"{'Required' if spec.required else 'Optional'} sheet; each row is one "
                     f"{record.__name__} record (`finances.{spec.field}` in the model).")
        lines += ["", "| column | type | | description |", "|---|---|---|---|"]
        for column in spec.columns:
            field = record.model_fields[column.key]
            required = "required" if column.required else "optional"
            if column.required and not field.is_required():
                required += " (may be empty)"
            lines.append(f"| {column.header} | {_type_text(_annotation(record, column.key), field)} | {required} | "
                         f"{_cell(field.description)} |")
        lines.append("")
    return lines


def inputs_reference() -> str:
    """The whole reference, as Markdown."""
    out = [
        "# Inputs reference",
        "",
        ("<!-- Generated from reportgen/inputs/model.py and reportgen/inputs/load.py by `reportgen docs inputs`. "
        "Do not edit by hand: run `python tools/make_docs.py`. -->"),
        "",
        ("Every field of the YAML files and every column of the workbook, as the code defines them. "
        "[inputs.md](inputs.md) explains the files with examples; `reportgen schema` prints the same "
        "fields as a JSON Schema for editors."),
        "",
        ("In the tables, *required* means validation fails without it; an *optional* field may be left out "
        "(or set to `null`)."),
        "",
    ]
    described: set[type[BaseModel]] = set()  # a model used by both files is described once
    for file, root in ((DECISION_FILE, m.Decision), (PROGRAMME_FILE, m.Programme)):
        out += [f"## {file}", "", f"The top level of `{file}` is a [{root.__name__}](#{_anchor(root.__name__)}).", ""]
        for model in _models_under(root):
            if model in described:
                continue
            described.add(model)
            out += _model_section(model)
    out += _sheet_lines()
    out += _value_type_lines()
    text = "\n".join(out).rstrip() + "\n"
    return re.sub(r"\n{3,}", "\n\n", text)

