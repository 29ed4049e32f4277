"""Issue #9: `reportgen templates check` finds variables the context does not provide, with file:line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

SHIPPED = ROOT / "templates"


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped templates at <tmp>/templates; the working directory is <tmp>."""
    target = tmp_path / "templates"
    shutil.copytree(SHIPPED, target)
    monkeypatch.chdir(tmp_path)
    return target


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` (once) by ``new``; returns the 1-based line of the change."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return line


def check(*args: str):
    return run_cli("templates", "check", "--templates", "templates", *args)


def findings(*args: str) -> tuple[int, list[dict]]:
    result = check("--format", "json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_shipped_templates_pass():
    result = run_cli("templates", "check", "--templates", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.stderr


def test_typo_in_a_top_level_variable_fails_with_file_and_line(templates):
    line = edit(templates / "delrapport.md.j2", "{% if projects.rows %}", "{% if projekts.rows %}")
    result = check()
    assert result.exit_code == 1
    assert f"templates/delrapport.md.j2:{line}:7: error: unknown variable 'projekts' " \
           "(did you mean 'projects'?) [template-unknown-variable]" in result.stderr


def test_typo_in_a_loop_variable_names_what_it_iterates(templates):
    line = edit(templates / "delrapport.md.j2", "{{ c.title }}", "{{ c.titel }}")
    code, items = findings()
    assert code == 1
    [f] = items
    assert (f["file"], f["line"]) == ("templates/delrapport.md.j2", line)
    assert f["message"] == "unknown variable 'c.titel' (did you mean 'c.title'?)"
    assert "calls[]" in f["hint"]


def test_typo_in_a_macro_argument_is_found_at_the_macro(templates):
    line = edit(templates / "_makron.md.j2", "{{ r.amount|kr }}", "{{ r.belopp|kr }}")
    code, items = findings()
    assert code == 1
    assert [(f["file"], f["line"], f["message"]) for f in items] == \
        [("templates/_makron.md.j2", line, "unknown variable 'r.belopp'")]


def test_unknown_macro_and_unknown_filter(templates):
    macro_line = edit(templates / "slutredovisning.md.j2", "m.tabell(ns", "m.tabel(ns")
    filter_line = edit(templates / "genomforandeplan.md.j2", "{{ t.date|iso }}", "{{ t.date|isodatum }}")
    code, items = findings()
    assert code == 1
    got = {(f["file"], f["line"], f["code"], f["message"]) for f in items}
    assert ("templates/slutredovisning.md.j2", macro_line, "template-unknown-macro",
            "'_makron.md.j2' has no macro 'tabel' (did you mean 'tabell'?)") in got
    assert any(f[0] == "templates/genomforandeplan.md.j2" and f[1] == filter_line and
               f[2] == "template-unknown-filter" and "isodatum" in f[3] for f in got)


def test_map_attribute_is_checked_against_the_items(templates):
    edit(templates / "_uppdraget.md.j2", 'map(attribute="name")', 'map(attribute="namn")')
    code, items = findings()
    assert code == 1
    assert items[0]["file"] == "templates/_uppdraget.md.j2"
    assert "have no 'namn' (did you mean 'name'?)" in items[0]["message"]


def test_names_the_template_defines_are_known(templates):
    (templates / "extra.md.j2").write_text(
        "{% set total = accounting.total %}{{ total.granted|kr }}\n"
        "{% with first = projects.rows|first %}{{ first.title }}{% endwith %}\n"
        "{% for k, v in texts.items() %}{{ v }}{% endfor %}\n"
        "{% if charts.nothing is defined %}{{ charts.nothing.src }}{% endif %}\n"
        "{% macro rad(p, suffix='') %}{{ p.title }}{{ suffix }}{% endmacro %}\n"
        "{% for p in annex %}{{ rad(p) }}{{ loop.index }}{% endfor %}\n"
        "{% if nothing is defined and nothing.x %}{{ nothing.x.y }}{% endif %}\n"
        "{{ evaluation.evaluator if evaluation.evaluator is defined else '' }}\n",
        encoding="utf-8")
    assert findings() == (0, [])
    # ... and what the same template uses wrongly is still found.
    with (templates / "extra.md.j2").open("a", encoding="utf-8") as fh:
        fh.write("{% for p in annex %}{{ rad(p) }}{% endfor %}{{ p.title }}\n{{ nothing }}\n")
    code, items = findings()
    assert code == 1
    assert [(f["line"], f["message"]) for f in items] == [(9, "unknown variable 'p'"),
                                                          (10, "unknown variable 'nothing'")]


def test_syntax_errors_are_reported_with_their_line(templates):
    line = edit(templates / "delrapport.md.j2", "{% endfor %}", "{% endfro %}")
    code, items = findings()
    assert code == 1
    assert any(f["code"] == "template-syntax" and f["line"] == line for f in items)


def test_github_format(templates):
    edit(templates / "delrapport.md.j2", "{% if projects.rows %}", "{% if projekts.rows %}")
    result = check("--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=templates/delrapport.md.j2,line=")


def test_context_lists_the_paths_templates_may_use():
    result = run_cli("templates", "context")
    assert result.exit_code == 0
    paths = result.stdout.splitlines()
    for path in ("decision.frames[].amount", "projects.rows[].title", "rule_warnings", "charts.by_county.src",
                 "report.accounting_years"):
        assert path in paths


# --- issue 15: the check reads the typed context; dict methods, defaults and case changes ----------

def test_the_check_reads_the_types_not_an_example(tmp_path: Path):
    from reportgen.report.template_check import check_templates

    result = check_templates(SHIPPED, inputs_dir=tmp_path / "no-such-inputs")
    assert result.findings == []
    assert "results.indicators.companies.value" in result.shape.paths()


def test_the_zero_zero_bug_is_reported_with_its_line(templates):
    """The final report once printed "0 (0)" companies: `results.values` was the dict method and
    `|default(0)` hid the miss. Both halves are findings now, at the template's line."""
    line = edit(templates / "slutredovisning.md.j2", "| Företag som fått stöd | {{ m.indikator(results.indicators.companies) }} |",
                "| Företag som fått stöd | {{ results.values.companies|default(0)|tal }} |")
    code, items = findings()
    assert code == 1
    got = {(f["code"], f["line"]) for f in items}
    assert ("template-unknown-variable", line) in got
    assert ("template-default", line) in got


def test_a_dict_method_reached_by_attribute_is_reported(templates):
    line = edit(templates / "delrapport.md.j2", "{{ texts.sammanfattning }}", "{{ texts.values.sammanfattning }}")
    code, items = findings()
    assert code == 1
    [f] = items
    assert f["code"] == "template-dict-method" and f["line"] == line
    assert "texts.values" in f["message"]


@pytest.mark.parametrize("name", ["items", "keys", "get"])
def test_every_dict_method_by_attribute_is_reported(templates, name):
    edit(templates / "delrapport.md.j2", "{{ texts.sammanfattning }}", f"{{{{ texts.{name} }}}}")
    _code, items = findings()
    assert [f["code"] for f in items] == ["template-dict-method"]


def test_case_filters_on_text_are_reported(templates):
    line = edit(templates / "_makron.md.j2", "({{ agency.contact.title }})", "({{ agency.contact.title|lower }})")
    code, items = findings()
    assert code == 1
    assert [(f["code"], f["line"]) for f in items] == [("template-case", line)]


def test_shipped_templates_change_no_case_and_use_no_default():
    for path in SHIPPED.glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        for bad in ("|lower", "|capitalize", "|title", "|upper", "|default", "|d(", "saknas: ange", "i programme.yaml"):
            assert bad not in text, (path.name, bad)
