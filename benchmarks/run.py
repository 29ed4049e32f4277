"""Benchmark reportgen against itself at scale and against docxtpl and pandoc on the same content.

    pip install '.[bench]'
    python benchmarks/run.py [--sizes 20,1000,10000] [--runs 3] [--work DIR]
    python benchmarks/run.py --against REV [--sizes 10000] [--runs 5]

Prints one table: median wall time and peak memory (max RSS of the process, interpreter start
included) over several runs of `reportgen validate` and of a full `reportgen build --force` at
each size; the scaling ratio 10 000 / 1 000; a rebuild with unchanged inputs (the manifest lets
it skip); and, in the same run and on the same content, the anchors: the projects table
(N rows × 6 columns) written to .docx by reportgen's Markdown → tree → docx path, by docxtpl from
a Word template with a row loop, and by pandoc (pypandoc-binary) from the same Markdown; and
the whole final report's Markdown draft written to .docx by reportgen's parser and writer and by
pandoc. A full build is also measured with the cache filled (every document rendered again, the
compiled templates taken from the cache) and in one process (--jobs 1; the default is a worker
process per CPU).
Every command runs in its own process and is measured from outside (os.wait4, in a small
launcher process so that this script's own memory does not count), so the figures
are what a user waits for. The cache is emptied before each full build (REPORTGEN_CACHE_DIR points
to a fresh folder), so a "full build" is a cold one: every template compiled, every chart written.

With ``--against REV`` it measures instead whether this checkout is slower than revision REV:
the shipped example (each revision builds its own ``inputs/`` with its own templates, as a user
of that revision would) and generated inputs of each size (one set, generated with
``--portable`` so that both read it), a cold full build each, the two revisions taking turns so
that the machine's load falls on both alike. It prints the medians and their ratio, of the wall
time and of the CPU time (user + system, the worker processes included). REV is
unpacked with ``git archive`` into the work folder and run from there (its dependencies must be
installed: a revision before issue 17 needs matplotlib).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


# A small process forks the measured command and reports what os.wait4 says about it. Linux
# carries a process's peak RSS over fork and exec, so a command forked from this (large) script
# would report at least this script's own peak; forked from the launcher, it starts small.
_LAUNCHER = r"""
import os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
      usage.ru_utime + usage.ru_stime)
"""


def measure(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """Wall seconds (from the command's start to its end) and peak RSS in MB of one run of ``cmd``."""
    wall, peak, _cpu = measure_with_cpu(cmd, env, cwd)
    return wall, peak


def measure_with_cpu(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> tuple[float, float, float]:
    """:func:`measure`, and the CPU seconds (user + system) of the command and of the worker
    processes it waited for: with workers rendering side by side, wall time is what a user waits
    for, CPU time what the machine spends."""
    proc = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, *map(str, cmd)], env=env, cwd=cwd,
                          capture_output=True, text=True, check=False)
    try:
        wall, maxrss_kb, returncode, cpu = proc.stdout.split()
    except ValueError:
        raise SystemExit(f"the launcher failed: {proc.stderr[-2000:]}") from None
    if int(returncode) != 0:
        raise SystemExit(f"failed ({returncode}): {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    return float(wall), int(maxrss_kb) / 1024, float(cpu)


def median_of(runs: int, cmd: list[str], env: dict | None = None, before=None) -> tuple[float, float]:
    walls, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        wall, peak = measure(cmd, env)
        walls.append(wall)
        peaks.append(peak)
    return statistics.median(walls), max(peaks)


TABLE_SNIPPET_OURS = r"""
import sys, io, datetime
from pathlib import Path
from reportgen.formats.markdown.reader import parse
from reportgen.formats.docx.writer import write_docx, CoreProperties
md = Path(sys.argv[1]).read_text("utf-8")
doc, _ = parse(md)
fields = {k: "x" for k in ("agency", "title", "subtitle", "date", "decision_ref", "your_ref", "our_ref",
                           "diarienummer", "addressee")}
core = CoreProperties(title="t", created=datetime.datetime(2021, 3, 31), modified=datetime.datetime(2021, 3, 31))
data, findings = write_docx(doc, Path(sys.argv[2]), fields, core)
assert data, findings
Path(sys.argv[3]).write_bytes(data)
"""

TABLE_SNIPPET_DOCXTPL = r"""
import sys, json
from docxtpl import DocxTemplate
rows = json.load(open(sys.argv[1], encoding="utf-8"))
tpl = DocxTemplate(sys.argv[2])
tpl.render({"projects": rows}, autoescape=True)
tpl.save(sys.argv[3])
"""

TABLE_SNIPPET_PANDOC = r"""
import sys, pypandoc
pypandoc.convert_file(sys.argv[1], "docx", outputfile=sys.argv[2])
"""


def table_content(inputs: Path, work: Path) -> tuple[Path, Path]:
    """The projects table of the final report as Markdown and as JSON rows (same cells)."""
    import json

    sys.path.insert(0, str(ROOT))
    from reportgen.formats.markdown.reader import escape
    from reportgen.inputs.load import load_inputs
    from reportgen.inputs.model import COUNTIES
    from reportgen.report.formatting import kr
    from reportgen.rules.ledger import Ledger

    loaded, _ = load_inputs(inputs)
    ledger = Ledger(loaded)
    rows = []
    for f in ledger.projects:
        p = f.project
        rows.append({"id": p.id, "title": p.title, "owner": p.owner.name,
                     "counties": ", ".join(COUNTIES[c.code] for c in p.counties),
                     "status": p.status, "granted": kr(f.granted)})
    md = ["{caption=\"Samtliga projekt\"}", "| Projekt | Titel | Projektägare | Län | Status | Beviljat |",
          "|:---|:---|:---|:---|:---|---:|"]
    md += ["| " + " | ".join(escape(r[k]) for k in ("id", "title", "owner", "counties", "status", "granted")) + " |"
           for r in rows]
    md_path, json_path = work / "table.md", work / "table.json"
    md_path.write_text("\n".join(md) + "\n", "utf-8")
    json_path.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    return md_path, json_path


def docxtpl_template(path: Path) -> None:
    """A Word template with the same six-column table and a docxtpl row loop."""
    import docx

    d = docx.Document()
    d.add_paragraph("Samtliga projekt")
    t = d.add_table(rows=4, cols=6)
    for cell, text in zip(t.rows[0].cells, ("Projekt", "Titel", "Projektägare", "Län", "Status", "Beviljat")):
        cell.text = text
    t.rows[1].cells[0].text = "{%tr for p in projects %}"
    for cell, key in zip(t.rows[2].cells, ("id", "title", "owner", "counties", "status", "granted")):
        cell.text = f"{{{{ p.{key} }}}}"
    t.rows[3].cells[0].text = "{%tr endfor %}"
    d.save(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None, help="keep generated inputs here (default: a temp dir)")
    parser.add_argument("--against", metavar="REV", default=None,
                        help="compare cold builds with git revision REV instead (see above)")
    args = parser.parse_args(argv)
    if args.against:
        return against(args.against, [int(s) for s in args.sizes.split(",")], args.runs,
                       args.work or Path(tempfile.mkdtemp(prefix="reportgen-against-")))
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    reportgen = [PY, "-m", "reportgen.cli"]
    base_env = dict(os.environ)
    # reportgen's own modules compiled to bytecode, as `pip install` leaves them (and a first run
    # would): without it, where PYTHONDONTWRITEBYTECODE is set, every measured run would also
    # compile reportgen's source, about 0.25 s.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "reportgen")], check=True, stdout=subprocess.DEVNULL)

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    results: dict[int, dict[str, tuple[float, float]]] = {}
    for n in sizes:
        inputs = work / f"n{n}" / "inputs"
        if not (inputs / "finances.xlsx").exists():
            subprocess.run([PY, str(ROOT / "benchmarks" / "generate.py"), "--projects", str(n), "--out", str(inputs)],
                           check=True, stdout=subprocess.DEVNULL)
        out = work / f"n{n}" / "outputs"
        runs = args.runs if n >= 1000 else max(args.runs, 5)
        cache = work / f"n{n}" / "cache"
        env = dict(base_env, REPORTGEN_CACHE_DIR=str(cache))

        def fresh_cache(cache: Path = cache) -> None:
            shutil.rmtree(cache, ignore_errors=True)

        r = results.setdefault(n, {})
        build_cmd = reportgen + ["build", "--inputs", str(inputs), "--out", str(out), "--force", "-q"]
        r["validate"] = median_of(runs, reportgen + ["validate", "--inputs", str(inputs), "-q"], env)
        r["build"] = median_of(runs, build_cmd, env, before=fresh_cache)
        # The cache is left as the last cold build filled it: every document is rendered again,
        # the compiled templates are taken from the cache.
        r["build, cache filled"] = median_of(runs, build_cmd, env)
        r["build, 1 process"] = median_of(runs, build_cmd + ["--jobs", "1"], env)
        r["rebuild"] = median_of(runs, reportgen + ["build", "--inputs", str(inputs), "--out", str(out), "-q"], env)

        md, rows = table_content(inputs, work / f"n{n}")
        base = ROOT / "templates" / "base.docx"
        r["table: reportgen"] = median_of(runs, [PY, "-c", TABLE_SNIPPET_OURS, str(md), str(base),
                                                 str(work / f"n{n}" / "ours.docx")])
        try:
            import docxtpl  # noqa: F401

            tpl = work / "docxtpl-template.docx"
            docxtpl_template(tpl)
            r["table: docxtpl"] = median_of(runs, [PY, "-c", TABLE_SNIPPET_DOCXTPL, str(rows), str(tpl),
                                                   str(work / f"n{n}" / "docxtpl.docx")])
        except ImportError:
            r["table: docxtpl"] = (float("nan"), float("nan"))
        draft = out / "slutredovisning-2021.md"
        r["final report draft: reportgen"] = median_of(runs, [PY, "-c", TABLE_SNIPPET_OURS, str(draft), str(base),
                                                              str(work / f"n{n}" / "ours-draft.docx")])
        try:
            import pypandoc  # noqa: F401

            r["table: pandoc"] = median_of(runs, [PY, "-c", TABLE_SNIPPET_PANDOC, str(md),
                                                  str(work / f"n{n}" / "pandoc.docx")])
            r["final report draft: pandoc"] = median_of(runs, [PY, "-c", TABLE_SNIPPET_PANDOC, str(draft),
                                                               str(work / f"n{n}" / "pandoc-draft.docx")])
        except ImportError:
            r["table: pandoc"] = r["final report draft: pandoc"] = (float("nan"), float("nan"))

    names = ["validate", "build", "build, cache filled", "build, 1 process", "rebuild", "table: reportgen",
             "table: docxtpl", "table: pandoc", "final report draft: reportgen", "final report draft: pandoc"]
    print()
    print("| what | " + " | ".join(f"N = {n:,}".replace(",", " ") for n in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for name in names:
        cells = [f"{results[n][name][0]:.2f} s, {results[n][name][1]:.0f} MB" for n in sizes]
        print(f"| {name} | " + " | ".join(cells) + " |")
    if 1000 in results and 10000 in results:
        ratio = results[10000]["build"][0] / results[1000]["build"][0]
        print(f"\nscaling of a full build, 10 000 / 1 000 projects: {ratio:.1f}x")
    for n in sizes:
        for what, others in (("table", ("docxtpl", "pandoc")), ("final report draft", ("pandoc",))):
            ours = results[n][f"{what}: reportgen"][0]
            for other in others:
                theirs = results[n][f"{what}: {other}"][0]
                if not math.isnan(theirs):
                    print(f"N = {n}: {other} / reportgen on the {what}: {theirs / ours:.1f}x")
    print(f"\ninputs and outputs kept in {work}")
    return 0


def against(rev: str, sizes: list[int], runs: int, work: Path) -> int:
    """Cold builds of this checkout and of ``rev``, taking turns; medians and their ratio."""
    work.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", rev], capture_output=True, text=True,
                            check=True).stdout.strip()
    base = work / f"rev-{commit}"
    if not (base / "reportgen").is_dir():
        base.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()
    sides = {commit: base, f"{head} (this checkout)": ROOT}
    cases: list[tuple[str, dict[str, Path]]] = [("shipped example", {name: tree / "inputs" for name, tree in
                                                                     sides.items()})]
    for n in sizes:
        inputs = work / f"n{n}-portable" / "inputs"
        if not (inputs / "finances.xlsx").exists():
            subprocess.run([PY, str(ROOT / "benchmarks" / "generate.py"), "--projects", str(n), "--out", str(inputs),
                            "--portable"], check=True, stdout=subprocess.DEVNULL)
        cases.append((f"{n:,} projects".replace(",", " "), {name: inputs for name in sides}))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"cold full builds (empty cache, fresh process), median of {runs}, the revisions taking turns")
    for name, tree in sides.items():  # not measured: writes each side's compiled files
        env = dict(os.environ, PYTHONPATH=str(tree), REPORTGEN_CACHE_DIR=str(work / "cache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        measure([PY, "-m", "reportgen.cli", "-q", "build", "--inputs", str(tree / "inputs"), "--out",
                 str(work / "out" / "warm-up"), "--force"], env, cwd=tree)
    print(f"\n| inputs | {commit} | {head} (this checkout) | ratio | CPU ratio |\n|---|---:|---:|---:|---:|")
    for label, inputs_of in cases:
        walls: dict[str, list[float]] = {name: [] for name in sides}
        cpus: dict[str, list[float]] = {name: [] for name in sides}
        peaks: dict[str, float] = {name: 0.0 for name in sides}
        for _ in range(runs):
            for name, tree in sides.items():
                cache = work / "cache"
                shutil.rmtree(cache, ignore_errors=True)
                out = work / "out" / name.split()[0] / label.replace(" ", "-")
                env = dict(os.environ, PYTHONPATH=str(tree), REPORTGEN_CACHE_DIR=str(cache))
                env.pop("PYTHONDONTWRITEBYTECODE", None)  # each side runs from its compiled files
                wall, peak, cpu = measure_with_cpu([PY, "-m", "reportgen.cli", "-q", "build", "--inputs",
                                                    str(inputs_of[name]), "--out", str(out), "--force"], env, cwd=tree)
                walls[name].append(wall)
                cpus[name].append(cpu)
                peaks[name] = max(peaks[name], peak)
        old, new = (statistics.median(walls[name]) for name in sides)
        old_cpu, new_cpu = (statistics.median(cpus[name]) for name in sides)
        cells = [f"{statistics.median(walls[name]):.2f} s ({statistics.median(cpus[name]):.2f} s CPU), "
                 f"{peaks[name]:.0f} MB" for name in sides]
        print(f"| {label} | {cells[0]} | {cells[1]} | {new / old:.2f} | {new_cpu / old_cpu:.2f} |", flush=True)
    print(f"\ninputs and outputs kept in {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
