"""Load an inputs folder into the typed model, turning every problem into a located finding.

load_inputs() reads decision.yaml, programme.yaml and finances.xlsx, validates each against
the model and checks references between them (project ids, calls, deliverable ids). It always
reads all three files, so one run reports every problem.
"""

from __future__ import annotations

import datetime as dt
import operator
import os
import re
import stat
import types
import typing
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from reportgen.findings import Finding, Location, error, warning
from reportgen.inputs import processes
from reportgen.inputs.model import (
    CoFinancing,
    Decision,
    Disbursement,
    Finances,
    Grant,
    Programme,
    ProgrammeCost,
    Project,
    Recovery,
    Repayment,
    Requisition,
    _found,
    did_you_mean,
)
from reportgen.inputs.sources.excel import (
    EXCEL_ERRORS,
    Column,
    Row,
    Workbook,
)
from reportgen.inputs.sources.yaml import YamlDocument, load_yaml

DECISION_FILE = "decision.yaml"
PROGRAMME_FILE = "programme.yaml"
FINANCES_FILE = "finances.xlsx"


@dataclass(frozen=True)
class SheetSpec:
    field: str
    sheet: str
    record: type
    columns: tuple[Column, ...]
    required: bool = True


SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("requisitions", "Rekvisitioner", Requisition, (
        Column("year", "År"), Column("date", "Datum"), Column("amount", "Belopp"), Column("reference", "Referens"))),
    SheetSpec("grants", "Beviljat", Grant, (
        Column("project", "Projekt"), Column("year", "År"), Column("decided", "Beslutsdatum"),
        Column("amount", "Belopp"), Column("comment", "Kommentar", required=False))),
    SheetSpec("disbursements", "Utbetalningar", Disbursement, (
        Column("project", "Projekt"), Column("date", "Datum"), Column("amount", "Belopp"),
        Column("voucher", "Verifikation", required=False))),
    SheetSpec("programme_costs", "Programkostnader", ProgrammeCost, (
        Column("year", "År"), Column("date", "Datum"), Column("kind", "Kostnadsslag"), Column("amount", "Belopp"),
        Column("description", "Beskrivning", required=False))),
    SheetSpec("cofinancing", "Medfinansiering", CoFinancing, (
        Column("project", "Projekt"), Column("source", "Källa"), Column("amount", "Belopp"),
        Column("year", "År", required=False), Column("kind", "Typ", required=False)), required=False),
    SheetSpec("repayments", "Återbetalningar", Repayment, (
        Column("date", "Datum"), Column("amount", "Belopp"), Column("bankgiro", "Bankgiro"),
        Column("reference", "Referens")), required=False),
    SheetSpec("recoveries", "Återkrav", Recovery, (
        Column("project", "Projekt"), Column("date", "Datum"), Column("amount", "Belopp"),
        Column("comment", "Kommentar", required=False)), required=False),
)
DATE_COLUMNS = {"date", "decided"}
# Excel serial day numbers for 1955..2120: a number in that range in a date column is a date
# whose cell lost its date format.
_SERIAL_RANGE = (20000, 80000)


@dataclass
class Inputs:
    """The three input files read into the typed model, with the parsed YAML kept for places
    (``where_decision``, ``where_programme``, ``where_project``)."""

    folder: Path
    decision: Decision
    programme: Programme
    finances: Finances
    decision_doc: YamlDocument
    programme_doc: YamlDocument
    finances_file: str

    def where_decision(self, *path: Any) -> Location:
        return self.decision_doc.where(path)

    def where_programme(self, *path: Any) -> Location:
        return self.programme_doc.where(path)

    def where_project(self, project_id: str, *path: Any) -> Location:
        for i, p in enumerate(self.programme.projects):
            if p.id == project_id:
                return self.programme_doc.where(("projects", i) + path)
        return Location(self.programme_doc.file)

    def project(self, project_id: str) -> Project | None:
        return self._projects().get(project_id)

    def _projects(self) -> dict[str, Project]:
        cache = getattr(self, "_project_cache", None)
        if cache is None:
            cache = {p.id: p for p in self.programme.projects}
            self._project_cache = cache
        return cache


def display_path(path: Path) -> str:
    """The path as a user should see it: relative to the working directory when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(path)


def leaves_folder(path: Path, folder: Path) -> bool:
    """Whether ``path``, its links followed, lies outside ``folder`` (its links followed too).

    Inputs and templates are read only from inside their folder: a file there that is a symbolic
    link to a file elsewhere (a key, another project's data) would otherwise be read, and its
    content shown in the report or quoted in messages, which CI publishes."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    try:
        return os.path.commonpath([real, base]) != base
    except ValueError:  # different drives (Windows)
        return True


def outside_finding(path: Path, folder: Path, what: str) -> Finding | None:
    """A finding when the regular file ``path`` leaves ``folder`` (see :func:`leaves_folder`).
    Anything that is not a regular file is left to the readers, which refuse it by its kind."""
    try:
        regular = stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None
    if not regular or not leaves_folder(path, folder):
        return None
    return error("file-outside", f"the file is a link to a file outside the {what} folder; it is not read",
                 Location(display_path(path)),
                 hint=f"copy the file into the {what} folder instead of linking to it")


#: programme.yaml from this size on is read in a second process while finances.xlsx is read in
#: this one (about 45 ms of reading at 256 kB, 500 projects; a fork costs a few).
ASIDE_MIN_BYTES = 256 * 1024


def load_inputs(folder: Path, jobs: int | None = None) -> tuple[Inputs | None, list[Finding]]:
    """``jobs``: how many processes may read at once (default: :func:`processes.default_jobs`)."""
    folder = Path(folder)
    findings: list[Finding] = []
    if not folder.is_dir():
        return None, [error("inputs-missing", "the inputs folder does not exist", Location(display_path(folder)))]

    programme_read = _read_aside(folder / PROGRAMME_FILE, jobs)
    try:
        decision_doc, decision, f1 = _load_yaml_model(folder / DECISION_FILE, Decision)
        finances, finances_file, f3 = _load_finances(folder / FINANCES_FILE)
    except BaseException:
        if programme_read is not None:
            programme_read.cancel()
        raise
    programme_doc, programme, f2 = _load_yaml_model(folder / PROGRAMME_FILE, Programme, programme_read)
    findings += f1 + f2 + f3
    if decision is None or programme is None or finances is None:
        return None, findings
    inputs = Inputs(folder, decision, programme, finances, decision_doc, programme_doc, finances_file)
    findings += check_references(inputs)
    return inputs, findings


# --- YAML --------------------------------------------------------------------------------

def _read_aside(path: Path, jobs: int | None):
    """Start reading a large YAML file in a second process (:func:`processes.aside`); None when
    it is read here, by :func:`_load_yaml_model`. Its plain values cross back cheaply (10 000
    projects: 5 MB, 0.1 s), unlike the model built from them, which is built here."""
    if (jobs if jobs is not None else processes.default_jobs()) < 2:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode) or st.st_size < ASIDE_MIN_BYTES:
        return None
    if outside_finding(path, path.parent, "inputs") is not None:
        return None
    return processes.aside(load_yaml, path, display_path(path))


def _load_yaml_model(path: Path, model: type[BaseModel], read=None):
    """``read``: what :func:`_read_aside` started, to wait for instead of reading here."""
    file = display_path(path)
    outside = outside_finding(path, path.parent, "inputs")
    if outside is not None:
        return None, None, [outside]
    doc, findings = read.result() if read is not None else load_yaml(path, file)
    if doc is None or any(f.is_error for f in findings) or not isinstance(doc.data, dict):
        return doc, None, findings
    cleaned = doc.may_hold_control_characters()
    if cleaned:
        findings += clean_text(doc.data, lambda p: doc.where(p))
    try:
        value = model.model_validate(doc.data)
    except ValidationError as exc:
        findings += [_yaml_error_finding(doc, model, err) for err in exc.errors(include_url=False)]
        return doc, None, findings
    # The model holds the values now; the plain ones (20 MB for 10 000 projects) are built again
    # only if asked for, cleaned alike.
    doc.release((lambda data: clean_text(data, lambda _p: None)) if cleaned else None)
    return doc, value, findings


def _yaml_error_finding(doc: YamlDocument, model: type[BaseModel], err: dict) -> Finding:
    loc = tuple(err["loc"])
    kind = err["type"]
    if kind == "missing":
        name = loc[-1]
        parent = loc[:-1]
        where = doc.where(parent)
        return error("missing-field", f"missing required field '{name}'" + _in(parent), where,
                     hint=f"add '{name}:' to this mapping")
    if kind == "extra_forbidden":
        name = loc[-1]
        allowed = _field_names(model, loc[:-1])
        hint = did_you_mean(str(name), allowed).removeprefix("; ").capitalize() if allowed else None
        if hint:
            hint = hint[0].lower() + hint[1:]
        elif allowed:
            hint = f"the fields here are: {', '.join(allowed)}"
        return error("unknown-field", f"unknown field '{name}'" + _in(loc[:-1]), doc.where_key(loc), hint=hint)
    return error(_code(kind), _message(err), doc.where(loc))


def _in(path: tuple) -> str:
    return f" in {_dotted(path)}" if path else ""


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_GENERIC_MESSAGES = {
    "list_type": "expected a list", "dict_type": "expected a mapping (key: value lines)",
    "model_type": "expected a mapping (key: value lines)", "model_attributes_type": "expected a mapping (key: value lines)",
    "int_type": "expected a whole number", "int_parsing": "expected a whole number", "bool_type": "expected true or false",
    "string_type": "expected text",
}


def _message(err: dict) -> str:
    kind = err["type"]
    if kind in _GENERIC_MESSAGES:
        return f"{_GENERIC_MESSAGES[kind]}, found {_found(err.get('input'))}"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        msg = msg.replace("Input should be", "expected a value") + f", found {_found(err.get('input'))}"
    return msg


# The finding code of a validation error, by its pydantic error type (the model's parsers raise
# PydanticCustomError with these types); any other type is a value of the wrong kind.
CODE_OF_ERROR_TYPE = {
    "money": "money", "money_negative": "money-negative", "date": "date", "date_impossible": "date-impossible",
    "choice": "unknown-value", "county": "unknown-county", "missing": "missing-field",
    "text_too_long": "text-too-long", "": "type",
}


def _code(kind: str) -> str:
    return CODE_OF_ERROR_TYPE.get(kind, "type")


def _field_names(model: type, path: tuple) -> list[str]:
    """The field names of the model found at ``path`` (for "did you mean" on unknown keys)."""
    current: Any = model
    for part in path:
        current = _unwrap(current, part)
        if current is None:
            return []
    current = _unwrap(current, None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items() if name not in ("places", "row")]
    return []


def _unwrap(tp: Any, part: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if args else None
        else:
            break
    if part is None:
        return tp
    origin = typing.get_origin(tp)
    if origin in (list, tuple) and isinstance(part, int):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            if part in (name, f.alias):
                return f.annotation
    return None


# --- text hygiene --------------------------------------------------------------------------

_ALLOWED_CONTROLS = {"\n", "\t", "\r"}


# Control characters other than tab, line feed and carriage return (C0, DEL and C1).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _strip_controls(s: str) -> str:
    # Vertical tab and form feed stand for line breaks where they come from: keep a space.
    return "".join(" " if c in "\x0b\x0c" else c for c in s
                   if c in _ALLOWED_CONTROLS or c in "\x0b\x0c" or unicodedata.category(c) != "Cc")


def clean_text(data: Any, where) -> list[Finding]:
    """Remove control characters from every string in ``data`` in place, with a warning each.

    They arrive pasted from Excel (a vertical tab for a line break inside a cell) and would make
    the Word document invalid XML.
    """
    findings: list[Finding] = []

    def bad(s: str) -> bool:
        return _CONTROL.search(s) is not None

    def fix(s: str, path: tuple) -> str:
        chars = sorted({f"U+{ord(c):04X}" for c in s if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS})
        findings.append(warning("text-control-character",
                                f"removed control character{'s' if len(chars) > 1 else ''} {', '.join(chars)} from the text",
                                where(path), hint="such characters are often pasted in from Excel; retype the text"))
        return _strip_controls(s)

    def walk(node: Any, path: tuple) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str):
                    if bad(value):
                        node[key] = fix(value, path + (key,))
                else:
                    walk(value, path + (key,))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, str):
                    if bad(value):
                        node[i] = fix(value, path + (i,))
                else:
                    walk(value, path + (i,))

    walk(data, ())
    return findings


# --- Excel ---------------------------------------------------------------------------------

def _load_finances(path: Path) -> tuple[Finances | None, str, list[Finding]]:
    file = display_path(path)
    outside = outside_finding(path, path.parent, "inputs")
    if outside is not None:
        return None, file, [outside]
    book, findings = Workbook.open(path, file)
    if book is None:
        return None, file, findings
    records: dict[str, list] = {}
    ok = True
    try:
        for spec in SHEETS:
            rows, sheet_findings = book.read(spec.sheet, list(spec.columns), required=spec.required)
            findings += sheet_findings
            if any(f.is_error for f in sheet_findings):
                ok = False
                continue
            items, row_findings = _rows_to_records(spec, rows)
            findings += row_findings
            if any(f.is_error for f in row_findings):
                ok = False
            records[spec.field] = items
    finally:
        book.close()
    if not ok:
        return None, file, findings
    return Finances(**records), file, findings


_ADAPTERS: dict[type, TypeAdapter] = {}


def _rows_to_records(spec: SheetSpec, rows: list[Row]) -> tuple[list, list[Finding]]:
    findings: list[Finding] = []
    headers = {c.key: c.header for c in spec.columns}
    datas: list[dict[str, Any]] = []
    # Where in ``findings`` the validation errors of each validated row belong: after the
    # findings about its cells, before those of the next row, as when rows were validated one by one.
    after: list[int] = []
    for row in rows:
        data: dict[str, Any] = {}
        row_ok = True
        formulas = row.formulas
        # Empty cells are left out of row.values; they matter only when they hold a formula.
        items = row.values.items() if formulas is None else [(k, row.values.get(k)) for k in row.keys]
        for key, value in items:
            if formulas is not None and key in formulas:
                findings.append(error(
                    "xlsx-formula-uncached",
                    f"the cell holds a formula whose result was never saved; expected a value for '{headers[key]}'",
                    row.where_of(key), hint="open the file in Excel or LibreOffice and save it, so the results are stored"))
                row_ok = False
                continue
            if value is None:
                continue
            if isinstance(value, str):
                if value in EXCEL_ERRORS:
                    findings.append(error(
                        "xlsx-cell-error", f"the cell shows the Excel error {value}; expected a value for '{headers[key]}'",
                        row.where_of(key), hint="correct the formula or the value in Excel (a date cell holding a number "
                                                "far beyond year 9999 shows #VALUE! too)"))
                    row_ok = False
                    continue
                if _CONTROL.search(value):
                    box, cell = {"v": value}, row.where_of(key)
                    findings += clean_text(box, lambda _p, w=cell: w)
                    value = box["v"]
            elif key in DATE_COLUMNS and isinstance(value, (int, float)) and not isinstance(value, bool) \
                    and _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1] and float(value).is_integer():
                number = value
                value = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
                findings.append(warning(
                    "xlsx-date-serial", f"read the number {number} as the date {value.isoformat()}",
                    row.where_of(key), hint="format the cell as a date so it reads as one in Excel too"))
            data[key] = value
        if not row_ok:
            continue
        data["places"] = row.places()
        datas.append(data)
        after.append(len(findings))
    # One call for the whole sheet: 90 000 calls of model_validate cost a third more.
    adapter = _ADAPTERS.get(spec.record)
    if adapter is None:
        adapter = _ADAPTERS[spec.record] = TypeAdapter(list[spec.record])
    try:
        # The rows hold only the sheet's columns, each a field of the record (a test checks
        # SHEETS), and "places": no key can be unknown, so pydantic need not look for one
        # (7 % of validating the rows).
        items = adapter.validate_python(datas, extra="ignore")
    except ValidationError as exc:
        by_row: dict[int, list[Finding]] = {}
        for err in exc.errors(include_url=False):
            i, *loc = err["loc"]
            places = datas[i]["places"]
            key = loc[0] if loc else None
            cell_where = places.get(key, places.row)
            if err["type"] == "missing":
                found = error("missing-value", f"the cell is empty; expected a value for '{headers.get(key, key)}'",
                              cell_where)
            else:
                found = error(_code(err["type"]), _message(err), cell_where)
            by_row.setdefault(i, []).append(found)
        merged: list[Finding] = []
        start = 0
        for i in sorted(by_row):
            merged += findings[start:after[i]] + by_row[i]
            start = after[i]
        # The rows are no use once one is wrong: the finances are not made.
        return [], merged + findings[start:]
    return items, findings


# --- references between the files ---------------------------------------------------------

def check_references(inputs: Inputs) -> list[Finding]:
    findings: list[Finding] = []
    d, p, fin = inputs.decision, inputs.programme, inputs.finances

    findings += _unique([f.year for f in d.frames], lambda i: inputs.where_decision("frames", i, "year"), "frame year")
    findings += _unique([a.id for a in d.focus_areas], lambda i: inputs.where_decision("focus_areas", i, "id"),
                        "focus area id")
    findings += _unique([x.id for x in d.deliverables], lambda i: inputs.where_decision("deliverables", i, "id"),
                        "deliverable id")
    findings += _unique([c.id for c in p.calls], lambda i: inputs.where_programme("calls", i, "id"), "call id")
    findings += _unique([x.id for x in p.projects], lambda i: inputs.where_programme("projects", i, "id"), "project id")

    years = {f.year for f in d.frames}
    for y in range(d.period.start, d.period.end + 1):
        if y not in years:
            findings.append(error("frame-missing", f"no frame is given for {y}, a year of the period",
                                  inputs.where_decision("frames")))
    deliverable_ids = [x.id for x in d.deliverables]
    for i, amendment in enumerate(d.amendments):
        if amendment.period_end is not None and amendment.period_end < d.period.start:
            findings.append(error("period", f"the amended period ends ({amendment.period_end}) before the period "
                                            f"starts ({d.period.start})",
                                  inputs.where_decision("amendments", i, "period_end")))
        for key in amendment.deliverable_due:
            if key not in deliverable_ids:
                findings.append(error("unknown-reference", f"unknown deliverable '{key}'{did_you_mean(key, deliverable_ids)}",
                                      inputs.where_decision("amendments", i, "deliverable_due", key)))
    for key in p.submitted:
        if key not in deliverable_ids:
            findings.append(error("unknown-reference",
                                  f"a submission date for '{key}', which is not a deliverable"
                                  f"{did_you_mean(key, deliverable_ids)}",
                                  inputs.programme_doc.where_key(("submitted", key)),
                                  hint=f"the deliverables are: {', '.join(deliverable_ids)}"))
    for key in p.texts:
        if key not in deliverable_ids:
            findings.append(warning("unknown-reference",
                                    f"texts for '{key}', which is not a deliverable{did_you_mean(key, deliverable_ids)}",
                                    inputs.programme_doc.where_key(("texts", key))))

    call_ids = [c.id for c in p.calls]
    for i, project in enumerate(p.projects):
        if project.call is not None and project.call not in call_ids:
            findings.append(error("unknown-reference",
                                  f"unknown call '{project.call}'{did_you_mean(project.call, call_ids)}",
                                  inputs.where_programme("projects", i, "call")))

    project_ids = [x.id for x in p.projects]
    known = set(project_ids)
    # Each sheet is gone through row by row only when a set of its values says a row is wrong.
    for name, rows in (("grants", fin.grants), ("disbursements", fin.disbursements), ("cofinancing", fin.cofinancing),
                       ("recoveries", fin.recoveries)):
        if known.issuperset(map(_PROJECT, rows)):
            continue
        for record in rows:
            if record.project not in known:
                findings.append(error("unknown-project",
                                      f"no project with the id '{record.project}' in programme.yaml"
                                      f"{did_you_mean(record.project, project_ids)}", record.where("project")))
    for name, rows in (("requisitions", fin.requisitions), ("grants", fin.grants), ("programme_costs", fin.programme_costs)):
        if years.issuperset(map(_YEAR, rows)):
            continue
        for record in rows:
            if record.year not in years:
                findings.append(error("year-outside-period",
                                      f"the year {record.year} is outside the decision's period "
                                      f"{d.period.start}–{d.period.end}", record.where("year")))
    # A co-financing year may lie in an amended (longer) period, not outside it.
    last = max([d.period.end] + [a.period_end for a in d.amendments if a.period_end is not None])
    for record in fin.cofinancing:
        if record.year is not None and not d.period.start <= record.year <= last:
            findings.append(error("year-outside-period",
                                  f"the co-financing year {record.year} is outside the decision's period "
                                  f"{d.period.start}–{last}", record.where("year"),
                                  hint="leave År empty for an amount that belongs to the whole project"))
    return findings


_PROJECT, _YEAR = operator.attrgetter("project"), operator.attrgetter("year")


def _unique(values: list, where, what: str) -> list[Finding]:
    seen: dict = {}
    out = []
    for i, value in enumerate(values):
        if value in seen:
            first = where(seen[value])
            out.append(error("duplicate-id", f"duplicate {what} '{value}' (first used at {first})", where(i),
                             hint=f"each {what} must be unique"))
        else:
            seen[value] = i
    return out
