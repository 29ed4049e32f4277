"""Rendering in worker processes: the default where there are CPUs for it, safe where there are not.

The byte-for-byte equality of one process and several is in test_build.py
(test_one_process_and_several_give_the_same_bytes), and what the mechanism does when a child
dies or raises in tests/inputs/test_processes.py; here: when workers are used, and that they
never outlive the build.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

import reportgen.output.build as build_module
from reportgen import build, load
from reportgen.inputs import processes

ROOT = Path(__file__).resolve().parents[2]
CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
forks = pytest.mark.usefixtures("forking")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def _record_rendering_pids(monkeypatch, tmp_path: Path) -> Path:
    """Make each deliverable leave the pid of the process that rendered it in a file of its own."""
    pids = tmp_path / "pids"
    pids.mkdir()
    real = build_module.render_checked

    def recording(job, deliverable_id):
        (pids / deliverable_id).write_text(str(os.getpid()))
        return real(job, deliverable_id)

    monkeypatch.setattr(build_module, "render_checked", recording)
    return pids


def _rendered_by(pids: Path) -> set[int]:
    return {int(p.read_text()) for p in pids.iterdir()}


def test_the_default_is_a_worker_per_cpu_and_reportgen_jobs_overrides_it(monkeypatch):
    monkeypatch.delenv("REPORTGEN_JOBS", raising=False)
    assert processes.default_jobs() == CPUS
    monkeypatch.setenv("REPORTGEN_JOBS", "3")
    assert processes.default_jobs() == 3
    monkeypatch.setenv("REPORTGEN_JOBS", "0")  # not a number of processes: the default
    assert processes.default_jobs() == CPUS


@forks
@pytest.mark.skipif(CPUS < 2, reason="one CPU: the default is one process")
def test_by_default_the_largest_is_rendered_here_and_the_others_in_workers(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("REPORTGEN_JOBS", raising=False)
    pids = _record_rendering_pids(monkeypatch, tmp_path)
    result = build(ROOT / "inputs", tmp_path / "out", force=True)
    assert result.ok, result.findings
    by = {p.name: int(p.read_text()) for p in pids.iterdir()}
    assert by.pop("slutredovisning-2021") == os.getpid()
    workers = set(by.values())
    assert os.getpid() not in workers
    assert len(workers) == min(CPUS - 1, 3)


def test_the_deliverables_are_shared_out_by_their_size():
    job = build_module._Job(load(ROOT / "inputs")[0], None, ROOT / "templates", [], ROOT / "outputs")
    rest = ["genomforandeplan-2018", "delrapport-2019", "delrapport-2020"]
    assert build_module._share_out(job, rest, 1) == [["delrapport-2019", "delrapport-2020", "genomforandeplan-2018"]]
    assert build_module._share_out(job, rest, 2) == [["delrapport-2019", "genomforandeplan-2018"], ["delrapport-2020"]]
    assert build_module._share_out(job, rest, 8) == [["delrapport-2019"], ["delrapport-2020"], ["genomforandeplan-2018"]]


def test_jobs_1_renders_in_this_process(tmp_path: Path, monkeypatch):
    pids = _record_rendering_pids(monkeypatch, tmp_path)
    assert build(ROOT / "inputs", tmp_path / "out", force=True, jobs=1).ok
    assert _rendered_by(pids) == {os.getpid()}


@linux_only
def test_a_process_with_other_threads_renders_in_itself(tmp_path: Path, monkeypatch):
    # Forking while another thread may hold a lock could hang the child for ever.
    pids = _record_rendering_pids(monkeypatch, tmp_path)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert build(ROOT / "inputs", tmp_path / "out", force=True, jobs=2).ok
    finally:
        stop.set()
        other.join()
    assert _rendered_by(pids) == {os.getpid()}


# A build whose workers each report their pid, then take their time: long enough to kill the
# build while they render.
_SLOW_BUILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import reportgen.output.build as b

    started = Path(sys.argv[2])

    def slow(job, deliverable_id):
        (started / str(os.getpid())).write_text(deliverable_id)
        time.sleep(60)

    b.render_checked = slow
    b.build(Path(sys.argv[1]), Path(sys.argv[3]), force=True, jobs=2)
""")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead: it waits only for its parent (here: init) to collect it.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


@linux_only
@pytest.mark.slow
def test_workers_end_with_a_killed_build_and_free_the_output_folder(tmp_path: Path):
    started = tmp_path / "started"
    started.mkdir()
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_BUILD, str(ROOT / "inputs"), str(started), str(out)],
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 60
        while len(list(started.iterdir())) < 2:  # the build itself and its worker
            assert proc.poll() is None and time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.05)
        workers = [int(p.name) for p in started.iterdir() if int(p.name) != proc.pid]
        assert workers
        proc.send_signal(signal.SIGKILL)  # as the out-of-memory killer would
        proc.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in workers), "a worker outlived the build"
    finally:
        if proc.poll() is None:
            proc.kill()
    # The lock the killed build held is free: the next build into the folder does not wait for it.
    result = build_module.build(ROOT / "inputs", out, force=True, jobs=1, lock_timeout=1)
    assert result.ok, result.findings


@linux_only
@pytest.mark.slow
def test_an_interrupted_build_stops_its_workers_at_once(tmp_path: Path):
    # Ctrl-C sent to the build's process alone (kill -INT PID), not to its process group.
    started = tmp_path / "started"
    started.mkdir()
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_BUILD, str(ROOT / "inputs"), str(started), str(tmp_path / "out")],
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while len(list(started.iterdir())) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.05)
        workers = [int(p.name) for p in started.iterdir() if int(p.name) != proc.pid]
        start = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        assert time.monotonic() - start < 5, "the build waited for its workers"
        assert not any(_alive(pid) for pid in workers), "a worker outlived the build"
    finally:
        if proc.poll() is None:
            proc.kill()
