"""The public API (``reportgen.__all__``), used only by its public names: load → validate → build
→ diff → check_docx on the shipped example."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import pytest

import reportgen

TODAY = dt.date(2021, 3, 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("api")
    result = reportgen.build(reportgen_example(), base / "outputs", today=TODAY)
    return base, result


def reportgen_example():
    from conftest import EXAMPLE_INPUTS

    return EXAMPLE_INPUTS


def test_load_gives_typed_inputs_and_located_findings(tmp_path):
    inputs, findings = reportgen.load(reportgen_example())
    assert isinstance(inputs, reportgen.Inputs)
    assert not any(f.is_error for f in findings)
    assert len(inputs.programme.projects) > 5
    shutil.copytree(reportgen_example(), tmp_path / "inputs")
    text = (tmp_path / "inputs" / "programme.yaml").read_text(encoding="utf-8")
    (tmp_path / "inputs" / "programme.yaml").write_text(text.replace("{date: 2018-04-20,", "{date: 2018-13-20,", 1),
                                                        encoding="utf-8")
    inputs, findings = reportgen.load(tmp_path / "inputs")
    assert inputs is None
    bad = [f for f in findings if f.is_error]
    assert bad and all(isinstance(f, reportgen.Finding) and isinstance(f.where, reportgen.Location) for f in bad)
    assert bad[0].where.file.endswith("programme.yaml") and bad[0].where.line
    assert bad[0].severity is reportgen.Severity.ERROR
    assert all(f.code in reportgen.CATALOGUE for f in findings)


def test_validate_judges_the_rules_as_on_a_day():
    inputs, findings = reportgen.validate(str(reportgen_example()), today=TODAY)
    assert isinstance(inputs, reportgen.Inputs)
    assert not any(f.is_error for f in findings)
    assert all(f.code in reportgen.CATALOGUE for f in findings)


def test_build_then_check_then_diff(built, tmp_path):
    base, result = built
    assert isinstance(result, reportgen.BuildResult)
    assert result.ok and not result.up_to_date
    docx = sorted(p for p in result.written if p.suffix == ".docx")
    assert [p.stem for p in docx] == sorted(["genomforandeplan-2018", "delrapport-2019", "delrapport-2020",
                                             "slutredovisning-2021"])
    for path in docx:
        assert reportgen.check_docx(path, language="sv-SE") == []
        assert reportgen.check_docx(path.read_bytes(), name=path.name, language="sv-SE") == []
    assert reportgen.build(reportgen_example(), base / "outputs", today=TODAY).up_to_date

    same = reportgen.diff(base / "outputs", base / "outputs")
    assert isinstance(same, reportgen.DiffResult) and same.equal and same.text == ""
    assert {e.name for e in same.entries} == {p.stem for p in docx}

    # A changed draft against the built Word document: the diff names the change.
    draft = base / "outputs" / "delrapport-2019.md"
    changed = tmp_path / "delrapport-2019.md"
    changed.write_text(draft.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    result = reportgen.diff(base / "outputs" / "delrapport-2019.docx", changed)
    assert not result.equal
    assert "+En ny mening." in result.text
    [entry] = result.entries
    assert isinstance(entry, reportgen.DeliverableDiff)
    assert entry.stat.paragraphs.added == 1 and not entry.findings


def test_diff_of_a_missing_side_is_a_usage_error(tmp_path):
    with pytest.raises(reportgen.DiffUsageError):
        reportgen.diff(tmp_path / "nothing.md", tmp_path / "nothing-either.md")


def test_check_docx_of_something_that_is_no_docx_is_a_finding(tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(b"not a zip")
    [finding] = reportgen.check_docx(path)
    assert finding.is_error and finding.code in reportgen.CATALOGUE


def test_every_public_name_is_documented():
    for name in reportgen.__all__:
        assert getattr(reportgen, name).__doc__, name
    assert sorted(dir(reportgen)) == sorted(set(dir(reportgen)))
    assert set(reportgen.__all__) <= set(dir(reportgen))
    with pytest.raises(AttributeError):
        reportgen.no_such_name  # noqa: B018


def test_importing_reportgen_imports_no_stage():
    # The CLI's start-up time depends on it: the stages are imported when a name is first used.
    code = ("import sys, reportgen; "
            "print(sorted(m for m in sys.modules if m.startswith(('reportgen.', 'pydantic', 'lxml', 'jinja2', "
            "'docx', 'matplotlib', 'yaml', 'openpyxl'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
