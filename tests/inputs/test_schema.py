"""Issue #9: the JSON Schema of the YAML inputs (`reportgen schema`) and its committed copies.

The schema must be valid draft 2020-12, accept the shipped YAML files, agree with the model on the
forms a value may take, and the files in schemas/ must be what the command prints today.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli
from jsonschema import Draft202012Validator, FormatChecker
from pydantic import TypeAdapter, ValidationError

from reportgen.inputs import model as m

KINDS = ("decision", "programme")


def printed_schema(kind: str) -> dict:
    result = run_cli("schema", "--file", kind)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def iso_dates(value):
    """PyYAML reads 2018-03-01 as a date; JSON (and yaml-language-server) see a string."""
    if isinstance(value, dict):
        return {k: iso_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [iso_dates(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def shipped(kind: str) -> dict:
    return iso_dates(yaml.safe_load((ROOT / "inputs" / f"{kind}.yaml").read_text(encoding="utf-8")))


def errors_of(schema: dict, data) -> list[str]:
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


@pytest.mark.parametrize("kind", KINDS)
def test_printed_schema_is_valid_draft_2020_12(kind):
    schema = printed_schema(kind)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == f"{kind}.yaml"
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_yaml_files_validate_against_their_schema(kind):
    assert errors_of(printed_schema(kind), shipped(kind)) == []


def test_default_is_the_decision_schema():
    result = run_cli("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "decision.yaml"


def test_unknown_file_is_a_usage_error():
    result = run_cli("schema", "--file", "finances")
    assert result.exit_code == 2
    assert "finances" in result.output


def test_closed_sets_are_enums_with_descriptions():
    prog = printed_schema("programme")
    project = prog["$defs"]["Project"]["properties"]
    assert project["status"]["enum"] == list(m.PROJECT_STATUSES)
    assert project["title"]["description"] == "The project's title."
    owner = prog["$defs"]["Owner"]["properties"]
    assert owner["kind"]["enum"] == list(m.ORGANISATION_KINDS)
    county = project["counties"]["items"]["anyOf"][0]
    assert county["anyOf"][0]["enum"] == list(m.COUNTIES)
    assert "Norrbottens län" in county["description"]
    dec = printed_schema("decision")
    assert dec["$defs"]["Frame"]["properties"]["status"]["enum"] == ["decided", "estimated"]
    assert dec["$defs"]["Deliverable"]["properties"]["kind"]["enum"] == list(m.DELIVERABLE_KINDS)
    assert dec["properties"]["date"]["format"] == "date"
    money = dec["$defs"]["Frame"]["properties"]["amount"]
    assert {branch["type"] for branch in money["anyOf"]} == {"number", "string"}
    # The YAML key is the alias "from", not the Python name.
    assert "from" in dec["$defs"]["RequisitionTerms"]["properties"]


@pytest.mark.parametrize(("kind", "path", "value"), [
    ("programme", ("projects", 0, "counties"), ["26"]),              # no such county
    ("programme", ("projects", 0, "status"), "done"),                # not a status
    ("programme", ("projects", 0, "titel"), "x"),                    # unknown key
    ("programme", ("projects", 0, "start"), "2019-13-01"),           # not a date
    ("programme", ("calls", 0, "budget"), "lots"),                   # not an amount
    ("programme", ("calls", 0, "budget"), -5),                       # negative amount
    ("programme", ("projects", 0, "counties"), [{"code": "25", "andel": 50}]),  # unknown share key
    ("decision", ("frames", 0, "status"), "maybe"),                  # not a frame status
    ("decision", ("repayment", "bankgiro"), "5052 5781"),            # not a bankgiro number
    ("decision", ("diarienummer",), "2018-1"),                       # not a diarienummer
])
def test_schema_rejects_what_validation_rejects(kind, path, value):
    data = shipped(kind)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert errors_of(printed_schema(kind), data), f"the schema accepted {value!r} at {path}"


# The value types: the schema says the same as the validator, form by form.
SAMPLES = [
    (m.Money, 20000000, True), (m.Money, "20 000 000", True), (m.Money, "125 000,50", True),
    (m.Money, "1 234 kr", True), (m.Money, 12.5, True), (m.Money, "tio tusen", False), (m.Money, -1, False),
    (m.Money, True, False), (m.Money, "1,234", False),
    (m.CountyCode, "01", True), (m.CountyCode, 25, True), (m.CountyCode, "26", False), (m.CountyCode, 2, False),
    (m.CountyCode, "Norrbotten", False),
    (m.CountyShare, "22", True), (m.CountyShare, {"code": "22", "share": 60}, True),
    (m.CountyShare, {"id": "22", "share": "40 %"}, True), (m.CountyShare, {"share": 60}, False),
    (m.CountyShare, {"code": "22", "part": 60}, False),
    (m.AreaShare, "industri-4.0", True), (m.AreaShare, {"id": "industri-4.0", "share": 70}, True),
    (m.Year, 2019, True), (m.Year, "2019", True), (m.Year, 1800, False), (m.Year, "nästa år", False),
    (m.Percent, 5, True), (m.Percent, "12,5 %", True), (m.Percent, 101, False),
    (m.Count, 3, True), (m.Count, -1, False), (m.Count, "3", False),
    (m.Date, "2019-03-31", True), (m.Date, "31 mars 2019", False),
    (m.Flag, True, True), (m.Flag, "yes", False),
    (m.Bankgiro, "5052-5781", True), (m.Bankgiro, 50525781, True), (m.Bankgiro, "50525781", False),
    (m.Identifier, "SI-2018-01", True), (m.Identifier, "SI 2018", False),
    (m.Diarienummer, "N2018/00000/FÖF", True), (m.Diarienummer, "okänt", False),
    (m.ProjectStatus, "completed", True), (m.ProjectStatus, "Completed", False),
    (m.CostKind, "Utvärdering", True), (m.CofinancingSource, "Regionalfonden", True),
    (m.CofinancingSource, "EU", False),
]


@pytest.mark.parametrize(("tp", "value", "valid"), SAMPLES)
def test_schema_and_model_agree_on_each_value_type(tp, value, valid):
    adapter = TypeAdapter(tp)
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **adapter.json_schema(mode="validation")}
    schema_ok = not errors_of(schema, value)
    try:
        adapter.validate_python(value)
        model_ok = True
    except ValidationError:
        model_ok = False
    assert (schema_ok, model_ok) == (valid, valid)


# --- the committed files ---------------------------------------------------------------------

@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_files_are_up_to_date(kind):
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == run_cli("schema", "--file", kind).stdout, \
        "schemas/ is out of date: run `python tools/make_schemas.py` (or `reportgen schema --write schemas`)"


def test_write_writes_both_schemas(tmp_path: Path):
    result = run_cli("schema", "--write", str(tmp_path / "s"))
    assert result.exit_code == 0, result.output
    for kind in KINDS:
        written = (tmp_path / "s" / f"{kind}.schema.json").read_text(encoding="utf-8")
        assert written == run_cli("schema", "--file", kind).stdout


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_yaml_points_editors_to_the_schema(kind):
    first = (ROOT / "inputs" / f"{kind}.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"
    assert (ROOT / "inputs" / f"../schemas/{kind}.schema.json").resolve().is_file()
