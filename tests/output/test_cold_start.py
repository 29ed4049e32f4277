"""What a cold build (a fresh process, no cache) spends its start on: it parses no shipped template
(tests/report/test_precompiled.py) and imports no module it does not need. Each module named here
cost a measurable part of the example's cold build (docs/performance.md, "Cold build of the example")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Imported by nothing a build needs. xml.sax.saxutils brought urllib.request with http.client,
#: email and ssl (reportgen.ooxml.xmltext has the two functions); Babel's locale data cost ~30 ms
#: for three symbols and twelve month names (reportgen.report.formatting has them, checked
#: against Babel by its tests); the others are the libraries of other commands or of the charts
#: before they were native.
NOT_IMPORTED = ("xml.sax.saxutils", "urllib.request", "http.client", "ssl", "openpyxl", "matplotlib", "pptx",
                "babel")


def test_a_build_imports_only_what_it_needs(tmp_path, monkeypatch):
    script = (
        "import json, sys\n"
        "from reportgen.cli import main\n"
        "try:\n"
        f"    main(['-q', 'build', '--inputs', {str(ROOT / 'inputs')!r}, '--out', {str(tmp_path / 'out')!r}, '--force'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "from reportgen.checks import a11y_fastlane\n"
        "print(a11y_fastlane.grammar.cache_info().currsize)\n"
        "print(json.dumps(sorted(sys.modules)))\n")
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", "")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    imported = set(json.loads(proc.stdout.splitlines()[-1]))
    assert (tmp_path / "out" / "slutredovisning-2021.docx").is_file()
    assert sorted(m for m in NOT_IMPORTED if m in imported) == []
    # The example's documents are small: the accessibility check's fast lane, which would cost more
    # to compile than it saves, stays unused (reportgen.checks.a11y.FAST_LANE_MIN_BYTES).
    assert proc.stdout.splitlines()[-2] == "0"


def test_a_build_collects_nothing_while_importing(tmp_path, monkeypatch):
    # Defining the input models used to start a cyclic collection over everything imported so
    # far (20-30 ms); the build's modules are imported with the collector paused, then frozen.
    script = (
        "import gc, sys\n"
        "during_import = []\n"
        "def seen(phase, info):\n"
        "    module = sys.modules.get('reportgen.output.build')\n"
        "    if phase == 'start' and module is not None and not hasattr(module, 'write_outputs'):\n"
        "        during_import.append(info['generation'])  # reportgen.output.build is being imported\n"
        "from reportgen.cli import main\n"
        "gc.callbacks.append(seen)\n"
        "try:\n"
        f"    main(['-q', 'build', '--inputs', {str(ROOT / 'inputs')!r}, '--out', {str(tmp_path / 'out')!r}, '--force'])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(during_import, gc.get_freeze_count())\n")
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", "")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split()[:1] == ["[]"]
    assert proc.stdout.split()[-1] == "0"  # unfrozen again at the end


def test_imported_for_good_pauses_then_freezes():
    import gc

    from reportgen.cli import imported_for_good

    assert gc.isenabled()
    before = gc.get_freeze_count()
    try:
        with imported_for_good():
            assert not gc.isenabled()
            made = [[] for _ in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= before + len(made)
    finally:
        gc.unfreeze()
