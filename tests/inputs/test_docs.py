"""Issue #9: the generated documentation stays in step with the code, and the docs link to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from pydantic import BaseModel

from reportgen.inputs import model as m
from reportgen.inputs.load import SHEETS

REFERENCE = ROOT / "docs" / "inputs-reference.md"
TEMPLATES_DOC = ROOT / "docs" / "templates.md"


def generated_reference() -> str:
    result = run_cli("docs", "inputs")
    assert result.exit_code == 0, result.output
    return result.stdout


def test_committed_inputs_reference_is_up_to_date():
    assert REFERENCE.read_text(encoding="utf-8") == generated_reference(), \
        "docs/inputs-reference.md is out of date: run `python tools/make_docs.py`"


def _models(root: type[BaseModel], seen: list) -> list:
    if root in seen:
        return seen
    seen.append(root)
    for field in root.model_fields.values():
        for word in re.findall(r"[A-Za-z_]+", repr(field.annotation)):
            target = getattr(m, word, None)
            if isinstance(target, type) and issubclass(target, BaseModel) and target is not m.Share:
                _models(target, seen)
    return seen


@pytest.mark.parametrize("model", _models(m.Decision, []) + _models(m.Programme, []), ids=lambda x: x.__name__)
def test_reference_describes_every_field_of_every_model(model):
    text = generated_reference()
    section = text.split(f"\n### {model.__name__}\n", 1)
    assert len(section) == 2, f"no section for {model.__name__}"
    body = section[1].split("\n### ", 1)[0]
    for name, field in model.model_fields.items():
        row = next((line for line in body.splitlines() if line.startswith(f"| `{field.alias or name}` |")), None)
        assert row is not None, f"{model.__name__}.{name} is missing"
        assert ("required" if field.is_required() else "optional") in row
        assert field.description and field.description.replace("|", "\\|") in row


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.sheet)
def test_reference_lists_every_sheet_and_column(spec):
    text = generated_reference()
    body = text.split(f"\n### Sheet {spec.sheet}\n", 1)[1].split("\n### ", 1)[0]
    assert ("Required sheet" if spec.required else "Optional sheet") in body
    for column in spec.columns:
        row = next(line for line in body.splitlines() if line.startswith(f"| {column.header} |"))
        assert ("| required" if column.required else "| optional") in row
    assert "[Money](#money)" in body


def test_check_flag_fails_on_a_stale_file(tmp_path: Path):
    stale = tmp_path / "ref.md"
    stale.write_text("# old\n", encoding="utf-8")
    result = run_cli("docs", "inputs", "--out", str(stale), "--check")
    assert result.exit_code == 1
    assert "out of date" in result.stderr
    assert run_cli("docs", "inputs", "--out", str(stale)).exit_code == 0
    assert run_cli("docs", "inputs", "--out", str(stale), "--check").exit_code == 0
    assert stale.read_text(encoding="utf-8") == generated_reference()


def test_templates_doc_context_section_is_up_to_date():
    from reportgen.report.template_check import context_reference

    text = TEMPLATES_DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- context:begin[^>]*-->\n(.*?)<!-- context:end -->", text, re.DOTALL)
    assert match, "docs/templates.md lost its generated context section"
    assert match.group(1) == context_reference(), \
        "the context in docs/templates.md is out of date: run `python tools/make_docs.py`"


def test_templates_doc_covers_every_filter():
    from reportgen.report.render import FILTERS

    text = TEMPLATES_DOC.read_text(encoding="utf-8")
    for name in FILTERS:
        assert f"| `{name}" in text, f"filter {name} is not documented in docs/templates.md"


@pytest.mark.parametrize(("doc", "target"), [
    ("README.md", "docs/inputs-reference.md"), ("docs/inputs.md", "inputs-reference.md"),
    ("README.md", "docs/getting-started.md"), ("README.md", "docs/templates.md"),
    ("README.md", "docs/base-docx.md"), ("README.md", "docs/ci.md"),
])
def test_docs_link_to_the_new_pages(doc, target):
    assert f"]({target})" in (ROOT / doc).read_text(encoding="utf-8")
    assert (ROOT / doc).parent.joinpath(target).is_file()


ISSUE_PAGES = ["README.md", "docs/inputs.md", "docs/getting-started.md", "docs/templates.md", "docs/base-docx.md",
               "docs/ci.md", "docs/inputs-reference.md"]


@pytest.mark.parametrize("name", ISSUE_PAGES)
def test_relative_links_resolve(name):
    for page in [ROOT / name]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to missing {target}"
