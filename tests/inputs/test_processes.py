"""Work in a second process (reportgen.inputs.processes): the same result as in one, whatever happens."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_INPUTS
from test_bad_inputs import CASES, apply_step

from reportgen.cli import cli
from reportgen.inputs import load as load_module
from reportgen.inputs import processes
from reportgen.inputs.load import load_inputs

forks = pytest.mark.usefixtures("forking")
ME = os.getpid()


def whose_pid() -> int:
    return os.getpid()


def fails(message: str) -> None:
    raise ValueError(message)


def dies_in_a_child() -> int:
    if os.getpid() != ME:
        os._exit(9)  # as if killed by the kernel's out-of-memory killer
    return 42


def unpicklable_in_a_child():
    if os.getpid() != ME:
        return lambda: None  # cannot be pickled: the child fails to send it
    return "done here"


def raises_in_a_child() -> str:
    if os.getpid() != ME:
        raise ValueError(f"raised in the child {os.getpid()}")
    return "not in a child"


def sleeps() -> None:
    time.sleep(60)


@forks
def test_the_work_is_done_in_a_child_and_its_result_comes_back():
    assert processes.aside(whose_pid).result() not in (ME, None)
    assert processes.aside(sorted, [3, 1, 2]).result() == [1, 2, 3]


@forks
def test_what_the_child_raises_is_raised_here():
    with pytest.raises(ValueError, match="raised in the child"):
        processes.aside(raises_in_a_child).result()


@forks
def test_a_child_that_dies_or_cannot_send_its_result_is_replaced_by_the_work_done_here():
    assert processes.aside(dies_in_a_child).result() == 42
    assert processes.aside(unpicklable_in_a_child).result() == "done here"


@forks
def test_without_fallback_a_child_that_dies_is_reported():
    with pytest.raises(processes.ChildDied) as died:
        processes.aside(dies_in_a_child, fallback=False).result()
    assert died.value.status == 9


@forks
def test_cancelled_work_ends_its_child_at_once():
    start = time.monotonic()
    work = processes.aside(sleeps)
    pid = work._pid
    assert pid is not None
    work.cancel()
    assert time.monotonic() - start < 5
    with pytest.raises(ChildProcessError):  # ended and collected: no zombie left behind
        os.waitpid(pid, os.WNOHANG)


def test_where_no_child_can_be_had_the_work_is_done_here(monkeypatch):
    monkeypatch.setattr(processes, "can_fork", lambda: False)
    assert processes.aside(whose_pid).result() == ME
    with pytest.raises(ValueError, match="as it would be"):
        processes.aside(fails, "as it would be without a child").result()


def test_a_process_with_other_threads_does_the_work_itself():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert processes.aside(whose_pid).result() == ME
    finally:
        stop.set()
        other.join()


@forks
def test_a_large_programme_is_read_aside_and_loads_as_in_one_process(tmp_path: Path, monkeypatch):
    started = []
    real = processes.aside
    monkeypatch.setattr(processes, "aside", lambda work, *args: started.append(args) or real(work, *args))
    monkeypatch.setattr(load_module, "ASIDE_MIN_BYTES", 0)
    aside, findings_aside = load_inputs(EXAMPLE_INPUTS, jobs=2)
    assert [Path(args[0]).name for args in started] == ["programme.yaml"]
    here, findings_here = load_inputs(EXAMPLE_INPUTS, jobs=1)
    assert len(started) == 1  # jobs=1: one process
    assert aside.programme == here.programme and aside.finances == here.finances
    assert findings_aside == findings_here
    assert aside.programme_doc.where(("projects", 1, "budget")) == here.programme_doc.where(("projects", 1, "budget"))


@forks
@pytest.mark.slow
@pytest.mark.parametrize("case", [c for c in CASES if not c.get("limits")], ids=lambda c: c["id"])
def test_every_bad_input_reads_alike_in_one_process_and_in_two(case: dict, tmp_path: Path, monkeypatch):
    root = tmp_path / "case"
    shutil.copytree(EXAMPLE_INPUTS, root / "inputs")
    for step in case.get("steps", []):
        if "templates/" not in json.dumps(step):
            apply_step(root, step)
    monkeypatch.chdir(root)
    outputs = {}
    for jobs, min_bytes in (("1", load_module.ASIDE_MIN_BYTES), ("2", 0)):
        monkeypatch.setenv("REPORTGEN_JOBS", jobs)
        monkeypatch.setattr(load_module, "ASIDE_MIN_BYTES", min_bytes)
        result = CliRunner().invoke(cli, ["validate", "--inputs", "inputs", "--format", "json"])
        outputs[jobs] = (result.exit_code, result.stdout, result.stderr)
    assert outputs["1"] == outputs["2"]
