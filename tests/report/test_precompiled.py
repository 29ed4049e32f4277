"""The shipped templates compiled ahead of time (reportgen.report.precompiled): current, the very
code the sandbox would compile, used for the shipped templates only, and never for an edited
template or another environment."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from reportgen.report import precompiled as P
from reportgen.report import render as R

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SHIPPED = sorted(p.name for p in TEMPLATES.glob("*.j2"))


def _same_jinja() -> bool:
    from reportgen.report._compiled_templates import JINJA

    return JINJA == jinja2.__version__


def test_committed_compiled_templates_are_up_to_date():
    if not _same_jinja():
        # A newer Jinja installed (CI installs the newest): the committed code is not used, and
        # must not be. Regenerating it is then worth a commit, not a red build.
        env = R.make_environment(TEMPLATES)
        for name in SHIPPED:
            source, filename, _ = env.loader.get_source(env, name)
            assert P.shipped(env, source, name, filename, raw=False) is None, name
        return
    wanted = P.generate(R.shipped_environment(TEMPLATES), TEMPLATES)
    present = {p.name: p.read_text(encoding="utf-8") for p in P.FOLDER.glob("*.py")}
    stale = sorted(name for name in wanted.keys() | present.keys() if wanted.get(name) != present.get(name))
    from reportgen.report._compiled_templates import JINJA

    why = f" (compiled with Jinja {JINJA}, this is Jinja {jinja2.__version__})" if JINJA != jinja2.__version__ else ""
    assert not stale, f"reportgen/report/_compiled_templates/ is out of date{why} ({', '.join(stale)}): " \
                      "run `python tools/precompile_templates.py`"


def test_check_flag_reports_a_stale_file(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import precompile_templates
    finally:
        sys.path.remove(str(ROOT / "tools"))
    folder = tmp_path / "_compiled_templates"
    shutil.copytree(P.FOLDER, folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(P, "FOLDER", folder)
    assert precompile_templates.main(["--check"]) == 0
    (folder / "delrapport_md_j2.py").write_text("# edited\n", encoding="utf-8")
    assert precompile_templates.main(["--check"]) == 1


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_code_is_what_the_build_environment_compiles(name):
    if not _same_jinja():
        pytest.skip("compiled with another Jinja: not used (test_committed_compiled_templates_are_up_to_date)")
    env = R.make_environment(TEMPLATES)
    source, filename, _ = env.loader.get_source(env, name)
    code = P.shipped(env, source, name, filename, raw=False)
    assert code is not None, "a build would compile this shipped template afresh"
    fresh = jinja2.Environment.compile(env, source, name, filename)
    assert code == fresh  # compares the bytecode, constants, names and line tables of the whole tree
    assert _filenames(code) == _filenames(fresh) == {filename}
    assert P.shipped(env, source, name, filename, raw=True) == jinja2.Environment.compile(env, source, name,
                                                                                         filename, raw=True)


def _filenames(code) -> set[str]:
    names = {code.co_filename}
    for const in code.co_consts:
        if hasattr(const, "co_filename"):
            names |= _filenames(const)
    return names


def test_a_build_of_the_shipped_templates_parses_no_template(tmp_path, monkeypatch):
    if not _same_jinja():
        pytest.skip("compiled with another Jinja: a build compiles the templates (run tools/precompile_templates.py)")
    # Run in a fresh interpreter: this process has compiled templates already.
    script = (
        "import jinja2, sys\n"
        "def refuse(self, source, name, filename): raise SystemExit(f'parsed {name}')\n"
        "jinja2.Environment._parse = refuse\n"
        "from reportgen.cli import main\n"
        f"main(['-q', 'build', '--inputs', {str(ROOT / 'inputs')!r}, '--out', {str(tmp_path / 'out')!r}, '--force'])\n")
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", "")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == [
        "delrapport-2019.docx", "delrapport-2020.docx", "genomforandeplan-2018.docx", "slutredovisning-2021.docx"]


def test_an_edited_template_is_compiled_afresh(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    path = folder / "genomforandeplan.md.j2"
    path.write_text(path.read_text(encoding="utf-8") + "Tillagd rad.\n", encoding="utf-8")
    env = R.make_environment(folder)
    source, filename, _ = env.loader.get_source(env, path.name)
    assert P.shipped(env, source, path.name, filename, raw=False) is None
    assert "Tillagd rad." in env.compile(source, path.name, filename, raw=True)
    # The unchanged ones beside it are still taken, whatever folder they are in.
    other, other_filename, _ = env.loader.get_source(env, "delrapport.md.j2")
    assert P.shipped(env, other, "delrapport.md.j2", other_filename, raw=False).co_filename == other_filename


def test_a_shipped_source_under_another_name_is_compiled_afresh():
    env = R.make_environment(TEMPLATES)
    source = (TEMPLATES / "delrapport.md.j2").read_text(encoding="utf-8")
    assert P.shipped(env, source, "annan.md.j2", None, raw=False) is None
    assert P.shipped(env, source, None, None, raw=False) is None


def _stock_generator_sandbox():
    from jinja2.compiler import CodeGenerator
    return type("_StockSandbox", (R._Sandbox,), {"code_generator_class": CodeGenerator})


@pytest.mark.parametrize("change", [
    pytest.param(lambda env: setattr(env, "trim_blocks", False), id="a lexer setting"),
    pytest.param(lambda env: env.filters.update(kr=lambda v, d=0: "x"), id="a filter"),
    pytest.param(lambda env: env.filters.pop("och"), id="a filter less"),
    pytest.param(lambda env: setattr(env, "finalize", None), id="finalize"),
    pytest.param(lambda env: setattr(env, "intercepted_binops", frozenset({"*"})), id="the sandbox's operators"),
])
def test_another_environment_gets_another_fingerprint(change):
    env = R.shipped_environment(TEMPLATES)
    before = P.environment_fingerprint(env)
    change(env)
    assert P.environment_fingerprint(env) != before
    source, filename, _ = env.loader.get_source(env, "delrapport.md.j2")
    assert P.shipped(env, source, "delrapport.md.j2", filename, raw=False) is None


def test_another_sandbox_class_or_code_generator_gets_another_fingerprint():
    stock = R._sandbox(R._FolderLoader(str(TEMPLATES)), _stock_generator_sandbox())
    assert P.environment_fingerprint(stock) != P.environment_fingerprint(R.shipped_environment(TEMPLATES))
    source, filename, _ = stock.loader.get_source(stock, "delrapport.md.j2")
    assert P.shipped(stock, source, "delrapport.md.j2", filename, raw=True) is None
    assert "escape(environment.finalize(" in stock.compile(source, "delrapport.md.j2", filename, raw=True)


def test_the_fingerprint_covers_the_code_the_filters_run(monkeypatch):
    # A filter's implementation runs at compile time (Jinja folds filters applied to constants):
    # formatting.py, which the |kr lambda of render.py calls, is part of the fingerprint.
    env = R.shipped_environment(TEMPLATES)
    before = P.environment_fingerprint(env)
    real = P._module_hash
    monkeypatch.setattr(P, "_module_hash", lambda name: "edited" if name == "reportgen.report.formatting"
                        else real(name))
    assert P.environment_fingerprint(env) != before


def test_the_fingerprint_hashes_reportgens_own_code_only():
    # Not Python's standard library (the key would differ between Python's patch releases, and
    # the shipped code would never be used on a CI machine with another one) nor Jinja's.
    env = R.shipped_environment(TEMPLATES)
    modules: set[str] = set()
    for cls in (*type(env).__mro__, *env.code_generator_class.__mro__):
        modules.add(cls.__module__)
    for fn in (env.finalize, *env.filters.values(), *env.tests.values()):
        P._describe(fn, modules)
    assert "datetime" in modules and "jinja2.filters" in modules  # named, but not hashed:
    assert P.source_modules(modules) == ["reportgen.report.formatting", "reportgen.report.quantity",
                                         "reportgen.report.render"]


def test_code_compiled_with_another_jinja_is_not_used(monkeypatch):
    monkeypatch.setattr(jinja2, "__version__", "9.9.9")
    assert not _same_jinja()
    test_committed_compiled_templates_are_up_to_date()  # takes the other branch: nothing shipped is used
