"""Issue #8: the output folder is replaced as a whole, even when a build is killed.

A build killed at any moment leaves either the previous complete set of outputs or the new
complete set, never a truncated file or a mix; the next build cleans up what a killed one left.
Two builds into the same folder take turns. See reportgen/outfolder.py.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLE_INPUTS, replace_text

from reportgen.output import manifest, outfolder
from reportgen.output.build import build

DELIVERABLE = "genomforandeplan-2018"  # no charts: the fastest build
KILLS = 20
NOTE = "anteckningar.txt"  # a file of the user's in the output folder: every build keeps it


def build_cmd(inputs: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", "from reportgen.cli import main; main()", "build", DELIVERABLE,
            "--inputs", str(inputs), "--out", str(out), "--quiet"]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and not p.name.endswith(".lock"))


@pytest.fixture
def two_inputs(tmp_path: Path) -> tuple[Path, Path]:
    """Inputs A (the shipped ones) and B, whose deliverable differs in every file: a text (the
    draft and the document) and a figure (the figure map too, which names no folder)."""
    a, b = tmp_path / "a" / "inputs", tmp_path / "b" / "inputs"
    shutil.copytree(EXAMPLE_INPUTS, a)
    shutil.copytree(EXAMPLE_INPUTS, b)
    replace_text(b / "programme.yaml", "    sammanfattning: |\n      Regeringen har gett",
                 "    sammanfattning: |\n      Version B av planen.\n\n      Regeringen har gett")
    replace_text(b / "programme.yaml", "{year: 2018, calls: 19000000,", "{year: 2018, calls: 18900000,")
    return a, b


@pytest.mark.slow
def test_killed_builds_leave_the_old_or_the_new_complete_set(two_inputs, tmp_path):
    inputs = dict(zip("AB", two_inputs))
    out = tmp_path / "work" / "out"
    out.mkdir(parents=True)
    (out / NOTE).write_bytes(b"my own notes")
    sets: dict[str, dict[str, bytes]] = {}
    for name in "BA":  # ends with A in place
        assert build(inputs[name], out, [DELIVERABLE], today=dt.date.today()).ok
        sets[name] = files_of(out)
    assert set(sets["A"]) == set(sets["B"]) == {NOTE, f"{DELIVERABLE}.docx", f"{DELIVERABLE}.md",
                                                 f"{DELIVERABLE}.figures.json", manifest.NAME}
    assert all(sets["A"][rel] != sets["B"][rel] for rel in sets["A"] if rel != NOTE)

    # The build's duration.
    start = time.monotonic()
    subprocess.run(build_cmd(inputs["B"], out), check=True, timeout=60)
    duration = time.monotonic() - start
    assert files_of(out) == sets["B"]
    current = "B"

    rng = random.Random()
    outcomes = []
    loop_start = time.monotonic()
    for i in range(KILLS):
        new = "A" if current == "B" else "B"
        env = dict(os.environ)
        if i % 4 >= 2:  # half of the builds swap by two renames, as where renameat2 is missing
            env["REPORTGEN_NO_EXCHANGE"] = "1"
        proc = subprocess.Popen(build_cmd(inputs[new], out), env=env)
        if i % 2 == 0:  # at a moment spread over the whole build
            delay = 1.1 * duration * (i // 2 + rng.random()) / (KILLS // 2)
            time.sleep(delay)
        else:  # while it writes: a staging folder has appeared beside the output folder
            started = time.monotonic()
            while proc.poll() is None and not leftovers(out) and time.monotonic() - started < 3 * duration:
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.008))
            delay = time.monotonic() - started
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        left = leftovers(out)
        if not out.exists():  # a two-rename swap killed between its renames: the next build finishes it
            assert any(n.startswith(f".{out.name}.old-") for n in left), left
            outfolder.recover(out)
        state = files_of(out)
        assert state in (sets["A"], sets["B"]), f"kill {i} after {delay:.3f} s left a mix: {sorted(state)}"
        for rel in state:
            if rel.endswith(".docx"):
                docx.Document(str(out / rel))
        current = "A" if state == sets["A"] else "B"
        outcomes.append(("new" if current == new else "old") + ("+leftovers" if left else ""))
        if i % 5 == 4:  # the next build succeeds and cleans up after the killed ones
            subprocess.run(build_cmd(inputs[new], out), check=True, timeout=60)
            assert leftovers(out) == [] and files_of(out) == sets[new]
            current = new
    loop = time.monotonic() - loop_start
    print(f"build {duration:.2f} s; {KILLS} kills in {loop:.1f} s: {outcomes}")
    assert leftovers(out) == []


@pytest.mark.slow
def test_two_builds_at_once_take_turns(two_inputs, tmp_path):
    a, b = two_inputs
    out = tmp_path / "out"
    procs = [subprocess.Popen(build_cmd(inputs, out), stderr=subprocess.PIPE, text=True) for inputs in (a, b)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    state = files_of(out)
    references = {}
    for name, inputs in (("A", a), ("B", b)):
        assert build(inputs, tmp_path / f"ref-{name}", [DELIVERABLE], today=dt.date.today()).ok
        references[name] = files_of(tmp_path / f"ref-{name}")
    assert state in references.values()
    assert leftovers(out) == []


def test_a_build_waits_for_the_lock_then_reports_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLE_INPUTS, tmp_path / "inputs")
    out = tmp_path / "outputs"
    out.mkdir()
    (out / NOTE).write_bytes(b"my own notes")
    lock = tmp_path / ".outputs.lock"
    with open(lock, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # another build holds the folder
        start = time.monotonic()
        result = build(Path("inputs"), Path("outputs"), [DELIVERABLE], today=dt.date(2018, 3, 1), lock_timeout=0.3)
        waited = time.monotonic() - start
    assert 0.3 <= waited < 3
    [finding] = [f for f in result.findings if f.is_error]
    assert finding.code == "output-locked" and str(finding.where) == "outputs"
    assert "another build is writing to this output folder" in finding.message
    assert ".outputs.lock" in finding.hint
    assert files_of(out) == {NOTE: b"my own notes"}
    result = build(Path("inputs"), Path("outputs"), [DELIVERABLE], today=dt.date(2018, 3, 1), lock_timeout=0.3)
    assert result.ok and (out / f"{DELIVERABLE}.docx").is_file()


# --- the folder swap and its recovery, step by step ---------------------------------------------------

def make_tree(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_replace_keeps_other_files_and_the_folder_mode(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setenv("REPORTGEN_NO_EXCHANGE", "1")
    out = tmp_path / "out"
    make_tree(out, {"a.md": b"old a", "b.md": b"old b", "figurer/x.png": b"x", "keep/deep.txt": b"deep"})
    os.chmod(out, 0o750)
    kept = (out / "b.md").stat().st_ino
    outfolder.replace(out, {"a.md": b"new a", "figurer/y.png": b"y"})
    assert files_of(out) == {"a.md": b"new a", "b.md": b"old b", "figurer/x.png": b"x", "figurer/y.png": b"y",
                             "keep/deep.txt": b"deep"}
    assert (out / "b.md").stat().st_ino == kept  # hard-linked, not copied
    assert out.stat().st_mode & 0o777 == 0o750
    assert leftovers(out) == []


def test_a_missing_output_folder_is_renamed_into_place(tmp_path):
    out = tmp_path / "new" / "out"
    outfolder.replace(out, {"a.md": b"a"})
    assert files_of(out) == {"a.md": b"a"} and leftovers(out) == []


def test_a_symlinked_output_folder_stays_a_link(tmp_path):
    real = tmp_path / "real"
    make_tree(real, {"a.md": b"old"})
    link = tmp_path / "link"
    link.symlink_to(real)
    outfolder.replace(link, {"a.md": b"new"})
    assert link.is_symlink() and files_of(real) == {"a.md": b"new"}


def test_recovery_finishes_a_swap_cut_between_its_renames(tmp_path):
    out = tmp_path / "out"
    make_tree(tmp_path / ".out.old-1111", {"a.md": b"old"})
    make_tree(tmp_path / ".out.ready-2222", {"a.md": b"new"})
    done = outfolder.recover(out)
    assert files_of(out) == {"a.md": b"new"} and leftovers(out) == []
    assert done[0].startswith("finished an interrupted swap")


def test_recovery_rolls_back_when_only_the_old_tree_is_left(tmp_path):
    out = tmp_path / "out"
    make_tree(tmp_path / ".out.old-1111", {"a.md": b"old"})
    make_tree(tmp_path / ".out.staging-3333", {"a.md": b"half"})
    outfolder.recover(out)
    assert files_of(out) == {"a.md": b"old"} and leftovers(out) == []


def test_recovery_removes_leftovers_beside_a_complete_folder(tmp_path):
    out = tmp_path / "out"
    make_tree(out, {"a.md": b"current"})
    for name in (".out.staging-1", ".out.ready-2", ".out.old-3"):
        make_tree(tmp_path / name, {"a.md": b"stale"})
    make_tree(tmp_path / ".out.notes", {"x": b"not ours"})  # not a leftover of a build
    outfolder.recover(out)
    assert files_of(out) == {"a.md": b"current"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.notes", "out"]
