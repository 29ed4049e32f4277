"""Issue #9: every command has a help text with an example, and -q/-v work after the command too."""

from __future__ import annotations

import json

import click
import pytest
from conftest import run_cli

from reportgen.cli import cli


def leaf_commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            out += leaf_commands(command, prefix + (name,))
        else:
            out.append(prefix + (name,))
    return out


def test_the_new_commands_exist():
    leaves = leaf_commands()
    for path in [("schema",), ("docs", "inputs"), ("init",), ("templates", "check"), ("validate",), ("status",),
                 ("build",)]:
        assert path in leaves


@pytest.mark.parametrize("path", leaf_commands(), ids=" ".join)
def test_help_has_an_example(path):
    result = run_cli(*path, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"reportgen {' '.join(path)} --help has no example"
    assert f"reportgen {' '.join(path)}" in result.stdout.split("Example", 1)[1]


@pytest.mark.parametrize("path", leaf_commands(), ids=" ".join)
def test_quiet_and_verbose_are_accepted_after_the_command(path):
    result = run_cli(*path, "--help")
    assert "-q, --quiet" in result.stdout and "-v, --verbose" in result.stdout


def test_groups_have_an_example_too():
    assert "reportgen docs inputs" in run_cli("docs", "--help").stdout
    assert "reportgen templates check" in run_cli("templates", "--help").stdout
    top = run_cli("--help").stdout
    for name in ("init", "schema", "templates check", "docs inputs"):
        assert f"reportgen {name}" in top


def test_quiet_after_validate_prints_errors_only(inputs_copy):
    # A repayment to the wrong bankgiro (an error) and a column reportgen does not know (a warning).
    from conftest import set_cell

    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "C2", "1234-5678")
    set_cell(inputs_copy / "finances.xlsx", "Rekvisitioner", "E1", "Anteckning")
    loud = run_cli("validate")
    quiet_after = run_cli("validate", "--quiet")
    quiet_before = run_cli("--quiet", "validate")
    assert loud.exit_code == quiet_after.exit_code == quiet_before.exit_code == 1
    assert loud.stderr.splitlines()[-1] == "inputs: 1 error, 1 warning"
    assert "warning:" in loud.stderr
    assert quiet_after.stderr == quiet_before.stderr
    lines = quiet_after.stderr.splitlines()
    assert any(": error: " in line and "5052-5781" in line for line in lines)
    assert not any("warning" in line for line in lines)  # neither the warning nor the summary line


def test_quiet_does_not_change_json_output(example_inputs):
    a = run_cli("validate", "--inputs", str(example_inputs), "--format", "json", "-q")
    b = run_cli("validate", "--inputs", str(example_inputs), "--format", "json")
    assert a.exit_code == b.exit_code == 0
    assert json.loads(a.stdout) == json.loads(b.stdout) == []


def test_verbose_after_init_lists_every_file(tmp_path):
    result = run_cli("init", str(tmp_path / "p"), "--verbose")
    assert result.exit_code == 0
    assert "wrote " in result.stdout and "finances.xlsx" in result.stdout


def test_environment_numbers_in_other_digits_do_not_crash_the_build(example_inputs, tmp_path, monkeypatch):
    # '²'.isdigit() is true but int('²') raises: such a value must be ignored like any non-number.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "²")
    monkeypatch.setenv("REPORTGEN_JOBS", "²")
    result = run_cli("-q", "build", "genomforandeplan-2018", "--inputs", str(example_inputs),
                     "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "genomforandeplan-2018.docx").is_file()


def _program(*args: str, cwd, stdout=None):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "reportgen.cli", *args], check=False, cwd=cwd, text=True,
                          stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)


def test_the_program_exits_with_its_code_and_everything_it_printed(inputs_copy):
    # The program ends with os._exit (no interpreter teardown): its exit codes and its output,
    # to a pipe (block-buffered), must come out whole all the same.
    from conftest import set_cell

    ok = _program("validate", "--format", "json", cwd=inputs_copy.parent)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == []
    set_cell(inputs_copy / "finances.xlsx", "Återbetalningar", "C2", "1234-5678")
    bad = _program("validate", "--format", "json", cwd=inputs_copy.parent)
    assert bad.returncode == 1
    report = json.loads(bad.stdout)  # the whole document: it parses
    assert any(f["code"] == "SI602" for f in report), report
    text = _program("validate", cwd=inputs_copy.parent)
    assert text.returncode == 1 and "SI602" in text.stdout + text.stderr
    usage = _program("build", "--no-such-option", cwd=inputs_copy.parent)
    assert usage.returncode == 2 and "no-such-option" in usage.stderr


def test_the_program_survives_a_reader_that_stops_early(inputs_copy):
    # `reportgen docs findings | head -1`: the pipe closes under the program; it still exits
    # with a code (no hang, no traceback of the flush).
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "reportgen.cli", "docs", "findings"], cwd=inputs_copy.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode is not None
    assert b"Traceback" not in err
