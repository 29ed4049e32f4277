"""Issue #20: safe on untrusted inputs. What the corpus (tests/bad_inputs/) cannot express:

* ``reportgen init DIR --force`` never writes through a link in DIR;
* Ctrl-C exits 130 and leaves the previous outputs as they were;
* the output folder's edges: a full disk leaves no temporary file, a folder that cannot be renamed
  (a bind mount) is written in place and leaves no ``.out.ready-*`` tree (for real, in a private
  mount namespace, where the machine allows it; else with the error the kernel gives);
* the one link policy, function by function;
* exit 3 never: the whole build on fuzzed narrative and plain fields exits 0 or 1, no traceback.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE_INPUTS, ROOT, replace_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen import cli as cli_module
from reportgen.document.links import link_problem
from reportgen.findings import excerpt
from reportgen.output import outfolder

DELIVERABLE = "genomforandeplan-2018"  # no charts: the fastest build


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and not p.name.endswith(".lock"))


def temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


# --- init --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("link", ["inputs", "inputs/decision.yaml", "templates", ".github/workflows/reports.yml",
                                  "README.md"])
def test_init_force_never_writes_through_a_link(tmp_path, link):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "decision.yaml").write_text("the other project's decision\n")
    project = tmp_path / "project"
    (project / Path(link)).parent.mkdir(parents=True, exist_ok=True)
    target = victim if "." not in Path(link).name else victim / "decision.yaml"
    os.symlink(target, project / link)
    before = tree(victim)
    result = CliRunner().invoke(cli_module.cli, ["init", str(project), "--force"])
    assert result.exit_code == 1, result.output
    assert "is a symbolic link" in result.stderr and "nothing was written" in result.stderr
    assert tree(victim) == before
    assert [p.name for p in project.rglob("*") if not p.is_symlink() and p.is_file()] == []


def test_init_force_replaces_a_named_pipe_by_refusing_it(tmp_path):
    project = tmp_path / "project"
    (project / "inputs").mkdir(parents=True)
    os.mkfifo(project / "inputs" / "programme.yaml")  # writing to it would block
    result = CliRunner().invoke(cli_module.cli, ["init", str(project), "--force"])
    assert result.exit_code == 1 and "is not a regular file" in result.stderr


def test_init_files_get_the_usual_permissions(tmp_path):
    result = CliRunner().invoke(cli_module.cli, ["init", str(tmp_path / "p")])
    assert result.exit_code == 0, result.output
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "p" / "README.md").stat().st_mode & 0o777 == 0o666 & ~mask
    assert not temporary_files(tmp_path / "p")


# --- Ctrl-C ---------------------------------------------------------------------------------------------

def test_ctrl_c_exits_130_and_keeps_the_previous_outputs(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE_INPUTS, tmp_path / "inputs")
    monkeypatch.chdir(tmp_path)
    args = ["build", DELIVERABLE, "--inputs", "inputs", "--out", "out", "--quiet"]
    with pytest.raises(SystemExit) as first:
        cli_module.main(args + ["--force"])
    assert first.value.code == 0
    before = tree(tmp_path / "out")

    def interrupted(path, data):
        # Ctrl-C while the new files are being written
        raise KeyboardInterrupt

    monkeypatch.setattr(outfolder, "_write_file", interrupted)
    replace_text(tmp_path / "inputs" / "programme.yaml", "    sammanfattning: |\n      Regeringen har gett",
                 "    sammanfattning: |\n      Ändrad.\n\n      Regeringen har gett")
    with pytest.raises(SystemExit) as second:
        cli_module.main(args)
    assert second.value.code == 130
    assert tree(tmp_path / "out") == before
    assert leftovers(tmp_path / "out") == []


def test_ctrl_c_in_a_real_process_exits_130(tmp_path):
    """SIGINT to a running ``reportgen build``: 130, not click's 1."""
    code = ("import time, sys\n"
            "from reportgen.output import build\n"
            "def slow(*a, **k):\n    print('ready', flush=True)\n    time.sleep(30)\n"
            "build.validate_inputs = slow\n"
            "from reportgen.cli import main\n"
            "main(['build', '--inputs', sys.argv[1], '--out', sys.argv[2]])\n")
    proc = subprocess.Popen([sys.executable, "-c", code, str(EXAMPLE_INPUTS), str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "ready\n"  # inside the build
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err


# --- the output folder ------------------------------------------------------------------------------------

@pytest.fixture
def built(tmp_path, monkeypatch):
    shutil.copytree(EXAMPLE_INPUTS, tmp_path / "inputs")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli_module.cli, ["build", DELIVERABLE, "--inputs", "inputs", "--out", "out"])
    assert result.exit_code == 0, result.output
    replace_text(tmp_path / "inputs" / "programme.yaml", "    sammanfattning: |\n      Regeringen har gett",
                 "    sammanfattning: |\n      Version två.\n\n      Regeringen har gett")
    return tmp_path / "out"


def _build(out: Path):
    return CliRunner().invoke(cli_module.cli, ["build", DELIVERABLE, "--inputs", "inputs", "--out", out.name])


@pytest.mark.parametrize("in_place", [False, True], ids=["swapped", "mount-point"])
def test_a_full_disk_leaves_no_temporary_file(built, monkeypatch, in_place):
    before = tree(built)
    real_fsync = os.fsync

    def disk_full(fd):
        if os.fstat(fd).st_size > 1000:  # the document, not a folder
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", disk_full)
    if in_place:
        real_ismount = os.path.ismount
        monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == built.resolve() or real_ismount(p))
    result = _build(built)
    assert result.exit_code == 1 and "No space left on device" in result.output
    assert tree(built) == before
    assert temporary_files(built) == [] and leftovers(built) == []


@pytest.mark.parametrize("err", [errno.EBUSY, errno.EXDEV])
def test_an_output_folder_that_cannot_be_renamed_is_written_in_place(built, monkeypatch, err):
    inode = built.stat().st_ino

    def refuse(ready, target):
        raise OSError(err, os.strerror(err), str(target))

    monkeypatch.setattr(outfolder, "_swap", refuse)
    result = _build(built)
    assert result.exit_code == 0, result.output
    assert "Version två." in (built / f"{DELIVERABLE}.md").read_text(encoding="utf-8")
    assert built.stat().st_ino == inode
    assert leftovers(built) == [] and temporary_files(built) == []


def _can_mount() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True, check=False)
    return probe.returncode == 0


needs_mounts = pytest.mark.skipif(not _can_mount(), reason="needs a private mount namespace (root, unshare)")


def _in_namespace(script: str, cwd: Path) -> subprocess.CompletedProcess:
    reportgen = f"{sys.executable} -c 'from reportgen.cli import main; main()'"
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script.replace("REPORTGEN", reportgen)],
                          cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@needs_mounts
@pytest.mark.slow
def test_a_bind_mounted_output_folder_builds(tmp_path):
    shutil.copytree(EXAMPLE_INPUTS, tmp_path / "inputs")
    (tmp_path / "store").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "store" / "anteckningar.txt").write_text("kept")
    proc = _in_namespace(f"mount --bind store out && REPORTGEN build {DELIVERABLE} --inputs inputs --out out --quiet"
                         " && ls -a . out", tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ".out.ready" not in proc.stdout
    assert {f"{DELIVERABLE}.docx", f"{DELIVERABLE}.md", "anteckningar.txt"} <= set(os.listdir(tmp_path / "store"))
    assert not any(".tmp" in name for name in os.listdir(tmp_path / "store"))


@needs_mounts
@pytest.mark.slow
def test_a_full_mounted_disk_leaves_no_temporary_file(tmp_path):
    shutil.copytree(EXAMPLE_INPUTS, tmp_path / "inputs")
    (tmp_path / "out").mkdir()
    proc = _in_namespace(f"mount -t tmpfs -o size=24k tmpfs out && echo old > out/{DELIVERABLE}.md && "
                         f"REPORTGEN build {DELIVERABLE} --inputs inputs --out out --format json; echo exit=$?; "
                         "ls -a out; cat out/*.md", tmp_path)
    assert "exit=1" in proc.stdout, proc.stdout + proc.stderr
    assert "No space left on device" in proc.stdout and "Traceback" not in proc.stderr
    assert ".tmp" not in proc.stdout and "\nold\n" in proc.stdout


# --- links and excerpts ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["https://tillvaxtverket.se", "http://example.se/a b?x=1", "mailto:a@example.se",
                                 "#_Toc1", "HTTPS://EXAMPLE.SE/"])
def test_allowed_links(url):
    assert link_problem(url) is None


@pytest.mark.parametrize("url", ["bilaga.docx", "./x", "../x", "/etc/passwd", "file:///etc/passwd", "FILE:x",
                                 "smb://host/share", "\\\\host\\share", "//host/share", "javascript:alert(1)",
                                 " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "C:\\x", "c:/x", "ftp://x",
                                 "ms-excel:ofv|u|https://x", "https://", "http:/x", "http:\\\\host", "mailto:",
                                 "https://a\x00b", "tel:+4686", "#"])
def test_refused_links(url):
    assert link_problem(url)


def test_excerpt_is_short_and_one_line():
    assert excerpt("abc") == "'abc'"
    shown = excerpt("hemlig\n" * 1000)
    assert len(shown) <= 62 and "\n" not in shown and shown.endswith("...'")
    assert excerpt("a\x1b[2J\u202eb") == "'a\\x1b[2J\\u202eb'"


# --- exit 3 never ---------------------------------------------------------------------------------------------

FIELD_PIECES = ["\n", "\r\n", "# ", "#### ", "{caption=\"x\"}", "\"}", "{", "}", "|", "---", "$", "$$", "\\", "\\frac{",
                "^", "_", "[", "](", ")", "![x](", "](../../etc/passwd)", "](file:///x)", "](smb://h/s)",
                "<http://x>", "<file:x>", "[r]: /etc/passwd\n", "&#47;", "&#x0;", "*", "`", "<b>", "1. ", "- ",
                "> ", "\t", "\u202e", "😀", "å", "{{ x }}", "{% for %}", "%s", "{}"]
field_text = st.lists(st.sampled_from(FIELD_PIECES) | st.text("abcåäö ", max_size=4), min_size=1, max_size=25).map("".join)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz-build")
    shutil.copytree(EXAMPLE_INPUTS, root / "pristine")
    return root


def _yaml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted string


@pytest.mark.slow
@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(narrative=field_text, plain=field_text, area=field_text)
def test_build_on_fuzzed_fields_never_ends_in_an_internal_error(fuzz_project, narrative, plain, area):
    """Narrative Markdown, a plain field printed in headings and captions, and a focus-area name
    drawn in the charts: whatever they hold, the build exits 0 or 1, without a traceback."""
    root = fuzz_project / "case"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(fuzz_project / "pristine", root / "inputs")
    replace_text(root / "inputs" / "programme.yaml", "    sammanfattning: |\n      Regeringen har gett",
                 "    sammanfattning: |\n" + "".join(f"      {line}\n" for line in narrative.split("\n"))
                 + "\n      Regeringen har gett")
    replace_text(root / "inputs" / "decision.yaml", "  to: Kammarkollegiet\n", f"  to: {_yaml_string(plain)}\n")
    replace_text(root / "inputs" / "decision.yaml", "name: Industri 4.0}", f"name: {_yaml_string(area)}}}")
    proc = subprocess.run([sys.executable, "-c", "from reportgen.cli import main; main()", "build",
                           "genomforandeplan-2018", "delrapport-2019", "--inputs", "inputs", "--out", "out",
                           "--format", "json"], cwd=root, capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
