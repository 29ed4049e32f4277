#!/usr/bin/env python3
"""Build the same inputs with the code at BASE_REV and with the working tree, and compare every
output byte for byte (the manifest aside: it records the code's own hash).

    python tools/compare_builds.py BASE_REV [--projects 1000] [--today 2021-12-31] [--keep DIR]

The inputs are the shipped example (inputs/) and N generated projects
(benchmarks/generate.py of the working tree, so both builds read the same files). The code at
BASE_REV is checked out into a temporary ``git worktree`` and run from there (PYTHONPATH), with
its own templates (copied to one place for both builds, which the figure maps name). Each build runs
in a process of its own with an empty chart cache, so every chart is drawn by the code under
test. Prints one line per input set and every file that differs; exit 0 when all are identical,
1 when not, 2 when a build failed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ".reportgen-manifest.json"

# Runs the command line of the reportgen found first on sys.path (the PYTHONPATH given), after
# making sure it is that one and not the installed one.
_RUN = """
import sys
from pathlib import Path
import reportgen
expected = Path(sys.argv[1]).resolve()
if Path(reportgen.__file__).resolve().parent.parent != expected:
    sys.exit(f"imported reportgen from {reportgen.__file__}, expected {expected}")
from reportgen.cli import main
main(sys.argv[2:])
"""


def build(code_root: Path, inputs: Path, out: Path, today: str, scratch: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(code_root), REPORTGEN_CACHE_DIR=str(scratch / f"cache-{out.name}"),
               REPORTGEN_JOBS="1")
    # The revision's own templates, copied to the same place for both builds: the figure maps
    # name the template file of every figure, and two source trees would differ there alone.
    templates = scratch / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(code_root / "templates", templates)
    cmd = [sys.executable, "-c", _RUN, str(code_root), "build", "--inputs", str(inputs), "--out", str(out),
           "--templates", str(templates), "--today", today, "--force", "-q"]
    proc = subprocess.run(cmd, env=env, cwd=scratch, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"build with {code_root} of {inputs} failed (exit {proc.returncode}):\n"
                         f"{proc.stdout}{proc.stderr}")


def files_of(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST}


def compare(name: str, a: Path, b: Path) -> bool:
    fa, fb = files_of(a), files_of(b)
    differ = sorted(k for k in set(fa) | set(fb) if fa.get(k) != fb.get(k))
    total = len(set(fa) | set(fb))
    if differ:
        print(f"{name}: {total} files, {len(differ)} DIFFER:")
        for k in differ:
            state = "only in base" if k not in fb else "only in working tree" if k not in fa else "bytes differ"
            print(f"  {k}: {state}")
        return False
    size = sum((a / k).stat().st_size for k in fa)
    print(f"{name}: {total} files ({size / 1e6:.1f} MB), all byte-identical (manifest aside)")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("base", metavar="BASE_REV", help="a commit, branch or tag to compare against")
    ap.add_argument("--projects", type=int, default=1000, help="size of the generated input (0: the example only)")
    ap.add_argument("--today", default="2021-12-31", help="the --today of both builds")
    ap.add_argument("--keep", type=Path, metavar="DIR", help="work in DIR and keep it (default: a temporary folder)")
    args = ap.parse_args(argv)
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", args.base + "^{commit}"],
                         capture_output=True, text=True, check=False)
    if rev.returncode != 0:
        print(f"compare_builds: {args.base}: not a commit", file=sys.stderr)
        return 2
    commit = rev.stdout.strip()
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="compare-builds-"))
    scratch.mkdir(parents=True, exist_ok=True)
    base_tree = scratch / "base-code"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--force", str(base_tree), commit],
                   check=True, capture_output=True)
    try:
        sets = {"example": scratch / "example" / "inputs"}
        shutil.copytree(ROOT / "inputs", sets["example"], dirs_exist_ok=True)
        if args.projects:
            sets[f"{args.projects} projects"] = scratch / f"n{args.projects}" / "inputs"
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--projects", str(args.projects),
                            "--out", str(sets[f"{args.projects} projects"])], check=True, capture_output=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        print(f"base {args.base} ({commit[:10]}) against the working tree (HEAD {head}"
              f"{', with uncommitted changes' if dirty else ''}), --today {args.today}")
        same = True
        for name, inputs in sets.items():
            outs = []
            for label, code in (("base", base_tree), ("work", ROOT)):
                out = inputs.parent / f"out-{label}"
                shutil.rmtree(out, ignore_errors=True)
                build(code, inputs, out, args.today, scratch)
                outs.append(out)
            same &= compare(name, *outs)
        return 0 if same else 1
    finally:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)], check=False,
                       capture_output=True)
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
