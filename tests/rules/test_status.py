"""`reportgen status`: where each deliverable and obligation stands on a given day."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli


def status_text(inputs, out, today: str) -> dict[str, str]:
    """The deliverable table of the text output: id → the rest of its line."""
    result = run_cli("status", "--inputs", str(inputs), "--out", str(out), "--today", today)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Status on {today} ")
    rows = {}
    for line in lines:
        parts = line.split()
        if parts and parts[0] in ("genomforandeplan-2018", "delrapport-2019", "delrapport-2020", "slutredovisning-2021"):
            rows[parts[0]] = parts[1:]
    assert len(rows) == 4
    return rows


def status_json(inputs, out, today: str) -> dict:
    result = run_cli("status", "--inputs", str(inputs), "--out", str(out), "--today", today, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def deliverable(report: dict, deliverable_id: str) -> dict:
    return next(d for d in report["deliverables"] if d["id"] == deliverable_id)


def test_interim_report_not_built_after_its_due_date_is_overdue(example_inputs, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    rows = status_text(example_inputs, out, "2019-04-15")
    # deliverable: due, submitted, built, state
    assert rows["delrapport-2019"] == ["2019-03-31", "-", "no", "overdue"]
    assert rows["genomforandeplan-2018"] == ["2018-03-31", "2018-03-28", "no", "done"]
    assert rows["delrapport-2020"] == ["2020-03-31", "-", "no", "upcoming"]
    report = status_json(example_inputs, out, "2019-04-15")
    assert report["today"] == "2019-04-15"
    assert deliverable(report, "delrapport-2019") == {
        "id": "delrapport-2019", "title": "Delrapportering 2019", "kind": "delrapport", "due": "2019-03-31",
        "due_changed_by": None, "built": False, "submitted": None, "late": False, "state": "overdue"}
    assert report["amendments_applied"] == []


def test_built_is_shown_beside_the_state_not_instead_of_it(example_inputs, tmp_path):
    """Issue 16: a built but unsubmitted deliverable is not done; built is shown beside it."""
    out = tmp_path / "out"
    result = run_cli("build", "delrapport-2019", "--inputs", str(example_inputs), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = status_text(example_inputs, out, "2019-04-15")
    assert rows["delrapport-2019"] == ["2019-03-31", "-", "yes", "overdue"]
    report = status_json(example_inputs, out, "2019-04-15")
    d = deliverable(report, "delrapport-2019")
    assert (d["built"], d["submitted"], d["state"]) == (True, None, "overdue")


def test_a_submitted_deliverable_is_done_and_late_when_after_its_due_date(example_inputs, tmp_path):
    # The example records delrapport-2019 as submitted on 2019-04-26, after its due date 2019-03-31.
    report = status_json(example_inputs, tmp_path, "2019-04-26")
    d = deliverable(report, "delrapport-2019")
    assert (d["submitted"], d["late"], d["state"]) == ("2019-04-26", True, "late")
    assert status_text(example_inputs, tmp_path, "2019-04-26")["delrapport-2019"] == \
        ["2019-03-31", "2019-04-26", "no", "late"]
    d = deliverable(status_json(example_inputs, tmp_path, "2020-04-15"), "delrapport-2020")
    assert (d["submitted"], d["late"], d["state"]) == ("2020-03-27", False, "done")


def test_a_submission_in_programme_yaml_makes_a_deliverable_done(inputs_copy, tmp_path):
    from conftest import replace_text

    replace_text(inputs_copy / "programme.yaml", "  delrapport-2019: 2019-04-26\n", "  delrapport-2019: 2019-03-29\n")
    d = deliverable(status_json(inputs_copy, tmp_path, "2019-04-15"), "delrapport-2019")
    assert (d["submitted"], d["late"], d["state"]) == ("2019-03-29", False, "done")


def test_a_deliverable_within_30_days_is_due(example_inputs, tmp_path):
    rows = status_text(example_inputs, tmp_path / "none", "2019-03-10")
    assert rows["delrapport-2019"] == ["2019-03-31", "-", "no", "due"]
    assert deliverable(status_json(example_inputs, tmp_path, "2019-03-01"), "delrapport-2019")["state"] == "due"
    assert deliverable(status_json(example_inputs, tmp_path, "2019-02-28"), "delrapport-2019")["state"] == "upcoming"
    assert deliverable(status_json(example_inputs, tmp_path, "2019-03-31"), "delrapport-2019")["state"] == "due"


def test_obligations_count_only_what_is_dated_on_or_before_today(example_inputs, tmp_path):
    # The example requisitions 2019's funds on 2019-05-13: not done on 2019-04-15.
    report = status_json(example_inputs, tmp_path, "2019-04-15")
    obligations = {o["what"]: (o["due"], o["done"], o["state"]) for o in report["obligations"]}
    assert obligations == {
        "requisition 2018 from Kammarkollegiet": ("2018-05-30", "2018-04-16", "done"),
        "requisition 2019 from Kammarkollegiet": ("2019-05-30", None, "upcoming"),
        "repayment of unspent funds to bankgiro 5052-5781": ("2021-03-01", None, "upcoming"),
    }
    report = status_json(example_inputs, tmp_path, "2021-04-01")
    obligations = {o["what"]: (o["done"], o["state"]) for o in report["obligations"]}
    assert obligations == {
        "requisition 2018 from Kammarkollegiet": ("2018-04-16", "done"),
        "requisition 2019 from Kammarkollegiet": ("2019-05-13", "done"),
        "requisition 2020 from Kammarkollegiet": ("2020-02-03", "done"),
        "repayment of unspent funds to bankgiro 5052-5781": ("2021-02-15", "done"),
    }


@pytest.mark.parametrize("today", ["2019-13-01", "15 april 2019", "tomorrow"])
def test_a_bad_today_is_a_usage_error(example_inputs, today):
    result = run_cli("status", "--inputs", str(example_inputs), "--today", today)
    assert result.exit_code == 2
    assert "expected a date as YYYY-MM-DD" in result.stderr


def test_invalid_inputs_exit_1(tmp_path):
    result = run_cli("status", "--inputs", str(tmp_path / "missing"), "--today", "2019-04-15")
    assert result.exit_code == 1
    assert "the inputs folder does not exist" in result.stderr
