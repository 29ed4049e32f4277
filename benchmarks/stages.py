"""Wall time of each stage of one build, to see where the time goes without a profiler's overhead.

    python benchmarks/stages.py --inputs DIR [--only ID]

Runs the same steps as ``reportgen build`` (reportgen.output.build.render_deliverable, unrolled) in one
process and prints seconds per stage and deliverable, and the peak RSS at the end. Nothing is
written. "charts" is making each chart's data and alt text; the chart parts and their workbooks are
written in the "docx" stage. The template cache is off (REPORTGEN_CACHE_DIR is emptied for this process).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ["REPORTGEN_CACHE_DIR"] = ""  # no cache, as a cold build (shipped templates come precompiled)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.checks.a11y import check_docx
from reportgen.cli import tune_gc
from reportgen.formats.markdown.reader import parse
from reportgen.formats.markdown.writer import write_markdown
from reportgen.output.build import (
    CoreProperties,
    attach_chart_data,
    make_chart,
    write_docx,
)
from reportgen.report.context import (
    ChartRef,
    Charts,
    build_context,
    chart_specs,
    deliverable_ids,
    info,
)
from reportgen.report.render import make_environment, render
from reportgen.report.resources import default_template_dir
from reportgen.rules import decision as rules
from reportgen.rules.ledger import Ledger
from reportgen.rules.validate import validate_inputs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=Path, default=ROOT / "inputs")
    parser.add_argument("--only", default=None, help="one deliverable id")
    args = parser.parse_args(argv)
    tune_gc()  # as the command line does
    times: dict[str, dict[str, float]] = defaultdict(dict)

    def timed(group: str, stage: str, fn, *a, **kw):
        start = time.perf_counter()
        value = fn(*a, **kw)
        times[group][stage] = times[group].get(stage, 0.0) + time.perf_counter() - start
        return value

    inputs, findings = timed("inputs", "validate", validate_inputs, args.inputs)
    if inputs is None:
        print("\n".join(f.format_text() for f in findings))
        return 1
    ledger = timed("inputs", "ledger", Ledger, inputs)
    template_dir = default_template_dir(args.inputs)
    for did in [args.only] if args.only else deliverable_ids(inputs):
        timed(did, "rules", rules.deliverable_completeness, inputs, ledger, did)
        context = timed(did, "context", build_context, inputs, ledger, did)
        drawn = {}
        refs = {}
        for spec in chart_specs(inputs, ledger, did):
            chart = timed(did, "charts", make_chart, spec, did)
            drawn[chart.name] = chart
            refs[spec.key] = ChartRef(chart.name, chart.alt, chart.caption)
        context.charts = Charts(**refs)
        env = make_environment(template_dir)
        text, _ = timed(did, "jinja", render, env, info(inputs, did).template, context)
        doc, _ = timed(did, "parse", parse, text)
        doc = timed(did, "charts", attach_chart_data, doc, drawn)
        timed(did, "draft", write_markdown, doc)
        stamp = dt.datetime(2021, 3, 31)
        core = CoreProperties(title="t", created=stamp, modified=stamp)
        fields = {k: "x" for k in ("agency", "title", "subtitle", "date", "decision_ref", "your_ref", "our_ref",
                                   "diarienummer", "addressee")}
        data, _ = timed(did, "docx", write_docx, doc, template_dir / "base.docx", fields, core)
        timed(did, "a11y", check_docx, data, name=f"{did}.docx", language="sv-SE")
    stages = sorted({s for g in times.values() for s in g}, key=[
        "validate", "ledger", "rules", "context", "charts", "jinja", "parse", "draft", "docx", "a11y"].index)
    print("| stage | " + " | ".join(times) + " | total |")
    print("|---|" + "---:|" * (len(times) + 1))
    for s in stages:
        row = [times[g].get(s) for g in times]
        print(f"| {s} | " + " | ".join("" if v is None else f"{v:.2f}" for v in row) + f" | {sum(v or 0 for v in row):.2f} |")
    total = sum(v for g in times.values() for v in g.values())
    print(f"\nall stages: {total:.2f} s; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
