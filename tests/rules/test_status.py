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
    # deliverable: due, complete, submitted, built, state
    assert rows["delrapport-2019"] == ["2019-03-31", "yes", "-", "no", "overdue"]
    assert rows["genomforandeplan-2018"] == ["2018-03-31", "yes", "2018-03-28", "no", "done"]
    assert rows["delrapport-2020"] == ["2020-03-31", "yes", "-", "no", "upcoming"]
    report = status_json(example_inputs, out, "2019-04-15")
    assert report["today"] == "2019-04-15"
    assert deliverable(report, "delrapport-2019") == {
        "id": "delrapport-2019", "title": "Delrapportering 2019", "kind": "delrapport", "due": "2019-03-31",
        "due_changed_by": None, "built": False, "draft": False, "submitted": None, "late": False, "state": "overdue",
        "complete": True, "gaps": []}
    assert report["amendments_applied"] == []


def test_built_is_shown_beside_the_state_not_instead_of_it(example_inputs, tmp_path):
    """Issue 16: a built but unsubmitted deliverable is not done; built is shown beside it."""
    out = tmp_path / "out"
    result = run_cli("build", "delrapport-2019", "--inputs", str(example_inputs), "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = status_text(example_inputs, out, "2019-04-15")
    assert rows["delrapport-2019"] == ["2019-03-31", "yes", "-", "yes", "overdue"]
    report = status_json(example_inputs, out, "2019-04-15")
    d = deliverable(report, "delrapport-2019")
    assert (d["built"], d["submitted"], d["state"]) == (True, None, "overdue")


def test_a_submitted_deliverable_is_done_and_late_when_after_its_due_date(example_inputs, tmp_path):
    # The example records delrapport-2019 as submitted on 2019-04-26, after its due date 2019-03-31.
    report = status_json(example_inputs, tmp_path, "2019-04-26")
    d = deliverable(report, "delrapport-2019")
    assert (d["submitted"], d["late"], d["state"]) == ("2019-04-26", True, "late")
    assert status_text(example_inputs, tmp_path, "2019-04-26")["delrapport-2019"] == \
        ["2019-03-31", "yes", "2019-04-26", "no", "late"]
    d = deliverable(status_json(example_inputs, tmp_path, "2020-04-15"), "delrapport-2020")
    assert (d["submitted"], d["late"], d["state"]) == ("2020-03-27", False, "done")


def test_a_submission_in_programme_yaml_makes_a_deliverable_done(inputs_copy, tmp_path):
    from conftest import replace_text

    replace_text(inputs_copy / "programme.yaml", "  delrapport-2019: 2019-04-26\n", "  delrapport-2019: 2019-03-29\n")
    d = deliverable(status_json(inputs_copy, tmp_path, "2019-04-15"), "delrapport-2019")
    assert (d["submitted"], d["late"], d["state"]) == ("2019-03-29", False, "done")


def test_a_deliverable_within_30_days_is_due(example_inputs, tmp_path):
    rows = status_text(example_inputs, tmp_path / "none", "2019-03-10")
    assert rows["delrapport-2019"] == ["2019-03-31", "yes", "-", "no", "due"]
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


def test_status_shows_which_deliverables_are_complete(example_inputs, tmp_path):
    inputs = tmp_path / "inputs"
    import shutil

    shutil.copytree(example_inputs, inputs)
    prog = inputs / "programme.yaml"
    text = prog.read_text(encoding="utf-8")
    prog.write_text(text.replace("\nevaluation:", "\nevaluation_removed:", 1).split("\nevaluation_removed:")[0] + "\n",
                    encoding="utf-8")
    rows = status_text(inputs, tmp_path / "out", "2021-04-01")
    assert rows["slutredovisning-2021"][1:4] == ["no", "(1", "gaps)"]
    assert rows["delrapport-2019"][1] == "yes"
    final = deliverable(status_json(inputs, tmp_path / "out", "2021-04-01"), "slutredovisning-2021")
    assert final["complete"] is False and "evaluation" in final["gaps"][0]


def test_a_draft_build_shows_as_a_draft(inputs_copy, tmp_path):
    """build --draft writes a document marked UTKAST with its gaps listed: status shows it as a
    draft (text and JSON), through later builds of other deliverables into the folder, until a
    plain build replaces it."""
    prog = inputs_copy / "programme.yaml"
    content = prog.read_text(encoding="utf-8")
    start, end = content.index("  budget:\n"), content.index("  milestones:")
    prog.write_text(content[:start] + content[end:], encoding="utf-8")
    out = tmp_path / "out"
    plan = "genomforandeplan-2018"
    built = run_cli("build", "--inputs", str(inputs_copy), "--out", str(out), "--draft", plan)
    assert built.exit_code == 0, built.output
    rows = status_text(inputs_copy, out, "2018-03-01")
    # deliverable: due, complete, submitted, built, state
    assert rows[plan][-2:] == ["draft", "due"]
    assert "Built as drafts" in run_cli("status", "--inputs", str(inputs_copy), "--out", str(out),
                                        "--today", "2018-03-01").stdout
    report = deliverable(status_json(inputs_copy, out, "2018-03-01"), plan)
    assert report["built"] is True and report["draft"] is True and report["complete"] is False

    # Another deliverable built into the folder (a plain build) leaves the draft a draft.
    built = run_cli("build", "--inputs", str(inputs_copy), "--out", str(out), "delrapport-2019")
    assert built.exit_code == 0, built.output
    report = status_json(inputs_copy, out, "2019-04-01")
    assert deliverable(report, plan)["draft"] is True
    assert deliverable(report, "delrapport-2019")["draft"] is False
    assert deliverable(report, "delrapport-2019")["built"] is True
    assert status_text(inputs_copy, out, "2019-04-01")["delrapport-2019"][-2] == "yes"

    # The gap filled and the plan built plainly: no longer a draft.
    prog.write_text(content, encoding="utf-8")
    built = run_cli("build", "--inputs", str(inputs_copy), "--out", str(out), plan)
    assert built.exit_code == 0, built.output
    report = deliverable(status_json(inputs_copy, out, "2018-03-01"), plan)
    assert report["draft"] is False and report["complete"] is True
    assert status_text(inputs_copy, out, "2018-03-01")[plan][-2] == "yes"
