"""Issue #8: broken and hostile inputs. ``reportgen build`` on each case of bad_inputs/cases.yaml.

Each case breaks a copy of the shipped inputs (see the keys described at the top of cases.yaml)
and says which finding the build must report. For every case the build must exit with the
expected code, report the finding at its exact place, print no traceback, finish within
MAX_SECONDS and leave the output folder exactly as it was (bytes and modification times of
sentinel files, and the folder itself). Bombs, pipes and devices run as a subprocess under a
1 GiB address-space limit and a timeout; the rest run in-process, which is much faster, with
their address space bounded to MEMORY_HEADROOM more than the test process had before the case.
No case may end in exit 3 (an internal error) or print a traceback (issue #20).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import socket
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLE_INPUTS, ROOT, place_of, replace_text, set_cell
from test_validate import place

from reportgen.cli import cli

CASES = yaml.safe_load((Path(__file__).parent / "bad_inputs" / "cases.yaml").read_text(encoding="utf-8"))
MAX_SECONDS = 5.0
MEMORY_LIMIT = 1 << 30  # bytes of address space for the subprocess cases
MEMORY_HEADROOM = 1536 << 20  # bytes of address space an in-process case may add
DEFAULT_IDS = ["genomforandeplan-2018"]
OLD = 1_500_000_000 * 10**9  # the sentinel files' modification time (2017), in ns
SENTINELS = {
    "genomforandeplan-2018.docx": b"the previous build's document",
    "genomforandeplan-2018.md": "# Föregående utkast\n".encode(),
    "figurer/gammal.png": b"\x89PNG previous chart",
    "anteckningar.txt": b"a file the build does not make",
}


def test_the_corpus_is_large_and_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 40 and len(set(ids)) == len(ids)
    known = {"id", "steps", "code", "where", "message", "severity", "exit", "ids", "args", "contains", "limits", "out",
             "env", "absent"}
    for case in CASES:
        assert set(case) <= known, f"{case['id']}: unknown keys {set(case) - known}"
        assert case.get("exit", 1) in (0, 1)
        assert case.get("exit", 1) == 0 or {"code", "where", "message"} <= set(case), case["id"]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bad_input(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path / "case"
    shutil.copytree(EXAMPLE_INPUTS, root / "inputs")
    if any("templates/" in json.dumps(step) for step in case.get("steps", [])):
        shutil.copytree(ROOT / "templates", root / "templates")
    for step in case.get("steps", []):
        apply_step(root, step)
    where = expected_place(root, case["where"]) if "where" in case else None

    out_name = case.get("out", "out")
    out = root / out_name
    if "out" not in case:
        populate(out)
    before = snapshot(out)
    args = ["build", *case.get("ids", DEFAULT_IDS), "--inputs", "inputs", "--out", out_name, "--format", "json",
            *case.get("args", [])]
    monkeypatch.chdir(root)
    for name, value in case.get("env", {}).items():
        monkeypatch.setenv(name, str(value))
    start = time.monotonic()
    if case.get("limits"):
        code, stdout, stderr = run_limited(args, root)
    else:
        with memory_bound():
            result = CliRunner().invoke(cli, args, catch_exceptions=True)
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"{type(result.exception).__name__}: {result.exception}"
        code, stdout, stderr = result.exit_code, result.stdout, result.stderr
    elapsed = time.monotonic() - start

    assert code != 3 and "internal error" not in stderr, f"an internal error:\n{stdout}\n{stderr}"
    assert "Traceback" not in stdout + stderr, stdout + stderr
    expected_exit = case.get("exit", 1)
    assert code == expected_exit, f"exit {code}, expected {expected_exit}:\n{stdout}\n{stderr}"
    findings = json.loads(stdout) if stdout.strip() else []
    if "code" in case:
        severity = case.get("severity", "error" if expected_exit else "warning")
        hits = [f for f in findings if f["code"] == case["code"] and place(f) == where and f["severity"] == severity
                and case["message"] in f["message"]]
        assert hits, f"expected {severity} {case['code']} at {where} saying {case['message']!r}; found:\n" + \
            "\n".join(f"  {f['severity']} {f['code']} at {place(f)}: {f['message']}" for f in findings)
    assert elapsed < MAX_SECONDS, f"took {elapsed:.1f} s"
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(f".{out_name}.") and not p.name.endswith(".lock")]
    assert leftovers == []

    if expected_exit == 1:
        assert snapshot(out) == before, "the output folder changed"
        return
    assert not [f for f in findings if f["severity"] == "error"]
    after = snapshot(out)
    for rel in ("anteckningar.txt", "figurer/gammal.png"):  # kept, as they were
        assert after[1][rel] == before[1][rel]
    for deliverable in case.get("ids", DEFAULT_IDS):
        docx.Document(str(out / f"{deliverable}.docx"))
        draft = (out / f"{deliverable}.md").read_text(encoding="utf-8")
        if "contains" in case:
            assert case["contains"] in draft
        for text in case.get("absent", []):  # e.g. a heading or a link the data must not make
            assert text not in draft, f"{text!r} is in the draft"


# --- the steps -------------------------------------------------------------------------------------

def apply_step(root: Path, step: dict) -> None:
    [(kind, arg)] = step.items()
    book = root / "inputs" / "finances.xlsx"
    if kind == "replace":
        replace_text(root / arg["file"], arg["old"], _expand(arg["new"]))
    elif kind == "append":
        with open(root / arg["file"], "a", encoding="utf-8") as fh:
            fh.write(arg["text"] * arg.get("repeat", 1))
    elif kind == "write":
        data = arg["bytes"].encode("latin-1") if "bytes" in arg else arg["text"].encode("utf-8")
        (root / arg["file"]).write_bytes(data)
    elif kind == "truncate":
        path = root / arg["file"]
        path.write_bytes(path.read_bytes()[: arg["size"]])
    elif kind == "delete":
        path = root / arg
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    elif kind == "mkdir":
        (root / arg).mkdir()
    elif kind == "mkfifo":
        os.mkfifo(root / arg)
    elif kind == "socket":  # a Unix socket's file, left behind by a process that bound it
        (root / arg).parent.mkdir(parents=True, exist_ok=True)
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(str(root / arg))
    elif kind == "symlink":
        os.symlink(arg["to"] if arg["to"].startswith("/") else root / arg["to"], root / arg["file"])
    elif kind == "move":
        (root / arg["to"]).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(root / arg["from"], root / arg["to"])
    elif kind == "cell":
        set_cell(book, arg["sheet"], arg["cell"], arg["value"], arg.get("format"))
    elif kind == "merge":
        wb = openpyxl.load_workbook(book)
        wb[arg["sheet"]].merge_cells(arg["range"])
        wb.save(book)
    elif kind == "delete_sheet":
        wb = openpyxl.load_workbook(book)
        wb.remove(wb[arg])
        wb.save(book)
    elif kind == "zip_part":
        rewrite_part(book, arg["part"], arg.get("prefix", ""), arg["text"], arg.get("repeat", 1), arg.get("suffix", ""))
    elif kind == "zip_edit":
        with zipfile.ZipFile(book) as zf:
            text = zf.read(arg["part"]).decode("utf-8")
        assert text.count(arg["old"]) == 1, f"expected {arg['old']!r} once in {arg['part']}"
        rewrite_part(book, arg["part"], "", text.replace(arg["old"], arg["new"]), 1, "")
    else:
        raise AssertionError(f"unknown step {kind}")


def _expand(text: str) -> str:
    """``<<x*100000>>`` stands for 100 000 x's: long texts without a long cases file."""
    return re.sub(r"<<(.+?)\*(\d+)>>", lambda m: m.group(1) * int(m.group(2)), text)


def rewrite_part(book: Path, part: str, prefix: str, text: str, repeat: int, suffix: str) -> None:
    """Replace (or add) one part of the workbook's zip; a repeated text is streamed, never held whole."""
    old = book.read_bytes() if book.exists() else None
    tmp = book.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        if old is not None:
            with zipfile.ZipFile(book) as zin:
                for info in zin.infolist():
                    if info.filename != part:
                        zout.writestr(info, zin.read(info.filename))
        info = zipfile.ZipInfo(part)
        info.compress_type = zipfile.ZIP_DEFLATED
        with zout.open(info, "w", force_zip64=True) as fh:
            fh.write(prefix.encode("utf-8"))
            per_chunk = max(1, (1 << 20) // len(text))
            chunk = (text * per_chunk).encode("utf-8")
            done = 0
            while done + per_chunk <= repeat:
                fh.write(chunk)
                done += per_chunk
            fh.write((text * (repeat - done)).encode("utf-8"))
            fh.write(suffix.encode("utf-8"))
    tmp.replace(book)


def expected_place(root: Path, where) -> str:
    if isinstance(where, str):
        return where
    line, column = place_of(root / where["file"], where["line_of"], where.get("occurrence", 0))
    column = where.get("column", column) + where.get("column_offset", 0)
    return f"{where['file']}:{line}:{column}"


# --- the output folder --------------------------------------------------------------------------------

def populate(out: Path) -> None:
    for rel, data in SENTINELS.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, ns=(OLD, OLD))


def snapshot(folder: Path):
    """The folder's inode and, for everything in it, its bytes (files), modification time and type."""
    if not folder.exists():
        return None
    entries = {}
    for path in sorted(folder.rglob("*")):
        st = path.lstat()
        data = path.read_bytes() if stat.S_ISREG(st.st_mode) else None
        entries[path.relative_to(folder).as_posix()] = (data, st.st_mtime_ns, stat.S_IFMT(st.st_mode))
    return folder.stat().st_ino, entries


# --- a build under resource limits ---------------------------------------------------------------------

def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@contextlib.contextmanager
def memory_bound():
    """This process's address space bounded to what it uses now plus MEMORY_HEADROOM: a case
    that allocated without bound would fail with MemoryError (and the case with it) instead of
    taking the machine's memory."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/status", encoding="ascii") as fh:
        size = next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmSize:"))
    limit = size + MEMORY_HEADROOM
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def run_limited(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """``reportgen ARGS`` in a subprocess with at most 1 GiB of address space and a timeout."""
    proc = subprocess.run([sys.executable, "-c", "import sys; from reportgen.cli import main; main(sys.argv[1:])",
                           *args], cwd=cwd, capture_output=True, text=True, timeout=3 * MAX_SECONDS,
                          preexec_fn=_limit_memory, check=False, env=os.environ.copy())
    return proc.returncode, proc.stdout, proc.stderr
