"""One build: load and check the inputs, render each deliverable, write the outputs.

Nothing is written unless every requested deliverable rendered without error; then the output
folder is replaced as a whole (see :mod:`reportgen.output.outfolder`): a reader never sees a half-written
file or a mix of two builds, a failed or killed build leaves the previous outputs as they were, and
two builds into the same folder take turns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import os
import posixpath
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportgen.document.links import LINK_HINT, iter_links, link_problem
from reportgen.document.tree import (
    BlockQuote,
    BulletList,
    Document,
    Figure,
    Heading,
    OrderedList,
    Source,
    _mark_canonical,
    iter_blocks,
    normalize,
    normalize_blocks,
    plain_text,
)
from reportgen.findings import Finding, Location, Severity, error, excerpt, has_errors
from reportgen.formats.docx.writer import CoreProperties, write_docx
from reportgen.formats.markdown.reader import parse
from reportgen.formats.markdown.writer import write_markdown
from reportgen.inputs import processes
from reportgen.inputs.fingerprint import value_hash
from reportgen.inputs.load import (
    DECISION_FILE,
    PROGRAMME_FILE,
    Inputs,
    display_path,
    outside_finding,
)
from reportgen.inputs.yaml_edit import YamlEditError, parse_path
from reportgen.output import manifest, outfolder
from reportgen.report import charts
from reportgen.report.context import (
    ChartRef,
    Charts,
    ChartSpec,
    Draft,
    Gap,
    build_context,
    chart_specs,
    deliverable_ids,
    info,
    release,
)
from reportgen.report.formatting import date_long
from reportgen.report.quantity import FigureMap, recording, stop_recording
from reportgen.report.render import make_environment, render
from reportgen.report.resources import default_template_dir, package_templates
from reportgen.rules import decision as rules
from reportgen.rules.ledger import Ledger, ledger_of, view_of
from reportgen.rules.validate import validate_inputs

PACKAGE_TEMPLATES = package_templates()


#: What marks every page of a draft (build --draft): in the header and as a watermark.
DRAFT_MARK = "UTKAST"


@dataclass
class Rendered:
    id: str
    markdown: str  # the normalized draft
    docx: bytes
    pdf: bytes | None = None  # <id>.pdf, when the build was asked for PDFs (build --pdf)
    figure_map: bytes | None = None  # <id>.figures.json: every figure printed, its value and sources
    html: bytes | None = None  # <id>.html, a preview page, when asked for (build --html)
    draft: bool = False  # built as a draft (build --draft): marked UTKAST, its gaps listed


def chart_name(spec: ChartSpec, deliverable_id: str) -> str:
    """The chart's name, which templates use as the figure's src: ``diagram/<id>-<key>``."""
    return f"{charts.PREFIX}/{deliverable_id}-{spec.key.replace('_', '-')}"


def make_chart(spec: ChartSpec, deliverable_id: str) -> charts.Chart:
    name = chart_name(spec, deliverable_id)
    if spec.kind == "grouped":
        return charts.grouped_bars(name, spec.key, spec.caption, list(spec.categories),
                                   {label: list(values) for label, values in spec.series})
    label, values = spec.series[0]
    return charts.horizontal_bars(name, spec.key, spec.caption, list(spec.categories), list(values), label)


def attach_chart_data(doc: Document, drawn: dict[str, charts.Chart]) -> Document:
    """Each figure that shows a chart gets the chart's data: the Word writer draws it as a
    native chart, the Markdown draft shows it as a table."""

    def walk(blocks):
        out = []
        for b in blocks:
            if isinstance(b, Figure) and b.data is None:
                chart = drawn.get(posixpath.normpath(b.src.replace("\\", "/")) if b.src else "")
                if chart is not None:
                    b = normalize_blocks((Figure(b.src, b.alt, b.caption, chart.data),))[0]
            elif isinstance(b, BlockQuote):
                b = BlockQuote(walk(b.blocks))
            elif isinstance(b, BulletList):
                b = BulletList(tuple(walk(i) for i in b.items))
            elif isinstance(b, OrderedList):
                b = OrderedList(tuple(walk(i) for i in b.items), b.start)
            out.append(b)
        return tuple(out)

    if not drawn:
        return doc
    # The parser's tree is canonical and each new figure is normalized on its own, so the whole
    # is canonical without walking every block of a large report through normalize again.
    return _mark_canonical(Document(walk(normalize(doc).blocks)))


@dataclass
class BuildResult:
    """What a build did: its findings (``ok`` when none is an error), the files it wrote, and
    whether it found the outputs up to date and wrote nothing."""

    findings: list[Finding] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    up_to_date: bool = False  # nothing changed since the last build into the folder: nothing written

    @property
    def ok(self) -> bool:
        return not has_errors(self.findings)


def source_date(inputs: Inputs, report_date: dt.date) -> dt.datetime:
    """The timestamp written into the document's properties: SOURCE_DATE_EPOCH, else the report's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdecimal():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(report_date, dt.time(0, 0))


def render_deliverable(inputs: Inputs, ledger: Ledger, deliverable_id: str, template_dir: Path,
                       warnings: list[Finding], gaps: list[Finding] | None = None
                       ) -> tuple[Rendered | None, list[Finding]]:
    """Render one deliverable. ``gaps``: build it as a draft (build --draft) although the inputs
    lack what these findings say; the draft lists them and is marked UTKAST on every page."""
    d = info(inputs, deliverable_id)
    context = build_context(inputs, ledger, deliverable_id)
    view = view_of(ledger, deliverable_id)
    if view is not ledger:
        # The deviations a report states are those of the records it is made from, like its figures.
        warnings = [f for f in rules.apply_rules(view.inputs, view) if not f.is_error]
    context.rule_warnings = [w.report_text for w in warnings if w.report_text]
    if gaps is not None:
        context.draft = Draft([Gap(g.report_text or g.message, str(g.where) if g.where else "") for g in gaps])
    drawn: dict[str, charts.Chart] = {}
    refs = {}
    for spec in chart_specs(inputs, ledger, deliverable_id):
        chart = make_chart(spec, deliverable_id)
        drawn[chart.name] = chart
        refs[spec.key] = ChartRef(chart.name, chart.alt, chart.caption)
    context.charts = Charts(**refs)
    env = make_environment(template_dir)
    figure_map = FigureMap(deliverable_id, context.report.as_of.isoformat(),
                           inputs_folder=display_path(inputs.folder))
    token = recording(figure_map)
    try:
        text, findings = render(env, d.template, context)
    finally:
        stop_recording(token)
    if text is None:
        return None, findings
    findings += figure_map.check()
    doc, parse_findings = parse(text, display_path(template_dir / d.template))
    findings += parse_findings
    findings += check_figures(doc, drawn, inputs, template_dir)
    findings += check_links(doc, inputs, template_dir)
    findings += check_headings(doc, inputs, template_dir)
    style, style_findings = charts.load_style(template_dir)
    findings += style_findings
    if has_errors(findings):
        return None, findings
    doc = attach_chart_data(doc, drawn)
    draft = write_markdown(doc)
    dec = inputs.decision
    agency = inputs.programme.agency
    fields = {
        "agency": agency.name,
        "title": d.title,
        "subtitle": dec.title,
        "date": date_long(d.due),
        "decision_ref": f"Regeringsbeslut {date_long(dec.date)}, {dec.diarienummer}",
        "your_ref": f"Ert dnr {dec.diarienummer}",
        "our_ref": f"Vårt dnr {agency.case_number}",
        "diarienummer": dec.diarienummer,
        "addressee": dec.report_to,
    }
    outside = outside_finding(template_dir / "base.docx", template_dir, "templates")
    if outside is not None:
        return None, findings + [outside]
    stamp = source_date(inputs, d.due)
    core = CoreProperties(
        title=f"{d.title} – {dec.title}",
        subject=f"Redovisning till {dec.report_to}, {dec.diarienummer}",
        author=agency.name,
        language="sv-SE",
        keywords=f"{dec.diarienummer}; Smart industri; {deliverable_id}",
        created=stamp,
        modified=stamp,
    )
    data, docx_findings = write_docx(doc, template_dir / "base.docx", fields, core, chart_style=style,
                                     custom=provenance_properties(inputs, doc, deliverable_id,
                                                                  content_hash(draft, fields)),
                                     watermark=DRAFT_MARK if gaps is not None else None)
    findings += docx_findings
    if data is None or has_errors(findings):
        return None, findings
    return Rendered(deliverable_id, draft, data, figure_map=figure_map.to_json(), draft=gaps is not None), findings


#: Custom document properties of a built .docx (see reportgen.review.pull_edits).
DELIVERABLE_PROPERTY = "reportgen.deliverable"
INPUTS_PROPERTY = "reportgen.inputs"
SOURCES_PROPERTY = "reportgen.sources"


def provenance_properties(inputs: Inputs, doc: Document, deliverable_id: str, made_from: str) -> dict[str, str]:
    """What a built document was made from: the deliverable, the hash of what it shows
    (``made_from``, see :func:`content_hash`), and for each text from the inputs (a Source) the
    hash of the value it was made from and of the text it reads as (its blocks), to tell later
    whether someone edited it."""
    sources = {}
    for block in doc.blocks:
        if isinstance(block, Source):
            try:
                value = _model_value(inputs.programme, parse_path(block.path))
            except YamlEditError:
                value = None
            sources[block.path] = [value_hash(value), value_hash(repr(block.blocks))]
    return {DELIVERABLE_PROPERTY: deliverable_id, INPUTS_PROPERTY: made_from,
            SOURCES_PROPERTY: json.dumps(sources, ensure_ascii=False, sort_keys=True)}


def content_hash(markdown: str, fields: dict[str, str]) -> str:
    """One hash over what a deliverable shows: its Markdown draft (every figure, table and text)
    and the fields of its cover and headers.

    Not a hash of the input files: a record dated after an interim report's date is not in the
    report (the as-of view), so it must not change the report's bytes either. pull-edits compares
    this hash with that of the deliverable built from the current inputs: equal, the inputs have
    not changed in any way the document shows."""
    h = hashlib.sha256(b"reportgen-deliverable-1\0")
    h.update(json.dumps(fields, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\0")
    h.update(markdown.encode("utf-8"))
    return "sha256:" + h.hexdigest()


def _model_value(node, path: tuple):
    """The value at a place of programme.yaml, from the model (its fields have the file's names;
    the file's own values may have been let go, see YamlDocument.release)."""
    for step in path:
        if isinstance(step, int):
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
        elif isinstance(node, dict):
            node = node.get(step)
        else:
            node = getattr(node, step, None) if node is not None and not step.startswith("_") else None
    return node


def check_figures(doc: Document, figures: dict[str, object], inputs: Inputs, template_dir: Path) -> list[Finding]:
    """Every figure must show a chart of this deliverable (``diagram/...``).

    A figure in narrative Markdown (``![x](../../etc/passwd)``) or in a template would otherwise
    make the writer embed any file on the machine into a document sent to the government; an
    image path that leaves the figures folder is refused, located in the inputs (or template).
    """
    findings: list[Finding] = []
    for block in iter_blocks(doc.blocks):
        if not isinstance(block, Figure):
            continue
        src = block.src
        norm = posixpath.normpath(src.replace("\\", "/")) if src else ""
        if norm in figures:
            continue
        where = _place_of(src, inputs, template_dir,
                          lambda d, src=src: any(isinstance(b, Figure) and b.src == src for b in iter_blocks(d.blocks)))
        drawn = ", ".join(sorted(figures)) or "none for this deliverable"
        if not src or posixpath.isabs(norm) or norm == ".." or norm.startswith("../") or _URL.match(src):
            findings.append(error(
                "figure-path", f"the image {excerpt(src)} lies outside the figures folder; a figure may show only "
                f"the charts reportgen draws ({charts.PREFIX}/...)", where,
                hint=f"remove the image, or link to the file instead; the charts are: {drawn}"))
        else:
            findings.append(error("figure-missing", f"no chart {excerpt(src)} is drawn for this deliverable", where,
                                  hint=f"the charts are: {drawn}"))
    return findings


def check_links(doc: Document, inputs: Inputs, template_dir: Path) -> list[Finding]:
    """The one link policy (reportgen.document.links) on every link of the document, each refused
    link located where it is written (a text of the inputs, else a template)."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for link in iter_links(doc.blocks):
        problem = link_problem(link.url)
        if problem is None or link.url in seen:
            continue
        seen.add(link.url)
        findings.append(error("link-target", f"the link to {excerpt(link.url.strip())} is refused: {problem}",
                              _place_of(link.url.strip(), inputs, template_dir,
                                        lambda d, url=link.url: any(x.url == url for x in iter_links(d.blocks))),
                              hint=LINK_HINT))
    return findings


def check_headings(doc: Document, inputs: Inputs, template_dir: Path) -> list[Finding]:
    """No heading more than one level below the one before it (EN 301 549 / WCAG 1.3.1): the
    accessibility check's a11y-heading-order, on the tree.

    The accessibility check finds the same in the .docx, but there it can only name a paragraph
    of a document that is never written. Checked on the tree, a heading that comes from a text of
    the inputs is reported at that text."""
    findings: list[Finding] = []
    previous: int | None = None
    for block in iter_blocks(doc.blocks):
        if not isinstance(block, Heading):
            continue
        text = plain_text(block.inlines).strip()
        if not text:
            continue
        if previous is not None and block.level > previous + 1:
            where = _place_of(text, inputs, template_dir,
                              lambda d, text=text: any(isinstance(b, Heading) and plain_text(b.inlines).strip() == text
                                                       for b in iter_blocks(d.blocks)))
            findings.append(error(
                "a11y-heading-order", f"the heading {excerpt(text)} is level {block.level} but follows a level "
                f"{previous} heading; a heading may go at most one level deeper than the one before it", where,
                hint="in a text of the inputs, '#' is the level of the section it is placed in: start with '#' "
                     "or '##' and go one level deeper at a time"))
        previous = block.level
    return findings


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # http:, file:, C: ...


def _place_of(text: str, inputs: Inputs, template_dir: Path, shown_by=None) -> Location:
    """Where ``text`` (an image path, a link target, a heading's text) is written: a text of
    programme.yaml or decision.yaml, else a template.

    First as written (the exact line and column); else, when ``shown_by(document)`` is given, the
    text of the inputs whose own Markdown shows it (written with escapes or character
    references, as a reference-style link...: the field's place); else the template line that
    holds it; else the deliverable's templates folder.
    """
    docs = ((inputs.programme_doc, PROGRAMME_FILE), (inputs.decision_doc, DECISION_FILE))
    for doc, name in docs:
        for path, value in _strings(doc.data, ()):
            if text and text in value:
                start = doc.where(path)
                with contextlib.suppress(OSError, UnicodeDecodeError):
                    lines = (inputs.folder / name).read_text(encoding="utf-8-sig").split("\n")
                    for number in range((start.line or 1) - 1, len(lines)):
                        column = lines[number].find(text)
                        if column >= 0:
                            return Location(doc.file, number + 1, column + 1)
                return start
    if shown_by is not None:
        for doc, _ in docs:
            for path, value in _strings(doc.data, ()):
                if any(c in value for c in "[]<#&\\") and shown_by(parse(value)[0]):
                    return doc.where(path)
    for template in sorted(Path(template_dir).glob("*.j2")):
        with contextlib.suppress(OSError, UnicodeDecodeError):
            for number, line in enumerate(template.read_text(encoding="utf-8").split("\n"), start=1):
                if text and text in line:
                    return Location(display_path(template), number, line.find(text) + 1)
    return Location(display_path(Path(template_dir)))


def _strings(node, path: tuple):
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, path + (i,))


def check_output_folder(out_dir: Path, inputs_dir: Path, template_dir: Path) -> Finding | None:
    """The output folder is replaced as a whole: it must not hold the inputs or the templates."""
    target = outfolder.target_of(out_dir)
    for what, folder in (("inputs", inputs_dir), ("templates", template_dir)):
        real = Path(os.path.realpath(folder))
        if real == target or target in real.parents:
            return error("output-folder", f"the output folder holds the {what} folder ({display_path(Path(folder))}); "
                         "each build replaces the output folder as a whole", Location(display_path(Path(out_dir))),
                         hint="choose a folder of its own for the outputs, e.g. --out outputs")
    return None


def _write_failure(out_dir: Path, exc: OSError) -> Finding:
    place = f" ({exc.filename})" if exc.filename else ""
    return error("output-write", f"cannot write the outputs: {exc.strerror or exc}{place}",
                 Location(display_path(Path(out_dir))),
                 hint="the build writes a new output folder beside the old one and swaps them: "
                      "the folder that holds the output folder must be writable too")


def build(inputs_dir: Path, out_dir: Path, ids: list[str] | None = None, template_dir: Path | None = None,
          today: dt.date | None = None, pdf: bool = False, soffice: str | None = None,
          lock_timeout: float = outfolder.LOCK_TIMEOUT, force: bool = False, key: str | None = None,
          jobs: int | None = None, draft: bool = False, html: bool = False) -> BuildResult:
    """``key``: the manifest key, when the caller has computed it already (the CLI checks it early).
    ``jobs``: how many deliverables to render at once (default: :func:`reportgen.inputs.processes.default_jobs`; see :func:`render_all`).
    ``draft``: build the deliverables that lack data too, as drafts: the gaps are warnings, listed
    at the start of the document, and every page is marked UTKAST.
    ``html``: also write ``<id>.html``, each deliverable as a self-contained web page (review/html.py)."""
    result = BuildResult()
    key = key or manifest.build_key(inputs_dir, template_dir or default_template_dir(inputs_dir), ids,
                                    build_options(pdf, draft, html))
    if not force and manifest.up_to_date(out_dir, key) is not None:
        result.up_to_date = True
        return result
    soffice_path = None
    if pdf:
        from reportgen.checks.pdf import INSTALL_HINT, find_soffice

        soffice_path = find_soffice(soffice)
        if soffice_path is None:
            what = f"'{soffice}' is not a program" if soffice else "LibreOffice (soffice) is not installed"
            result.findings.append(error("pdf-soffice-missing", f"--pdf needs LibreOffice: {what}",
                                         hint=INSTALL_HINT))
            return result
    inputs, findings = validate_inputs(inputs_dir, today, readiness=False, jobs=jobs)
    result.findings += findings
    if inputs is None or has_errors(findings):
        return result
    # The inputs live until the end: keep the collector from scanning them again (and keep
    # forked workers from touching, and so copying, their pages).
    gc.freeze()
    try:
        return _build_validated(result, inputs, findings, inputs_dir, out_dir, ids, template_dir, pdf,
                                soffice_path, lock_timeout, key, jobs, draft, html)
    finally:
        gc.unfreeze()  # the API may be called from a long-lived process (tests, a server)


def _build_validated(result: BuildResult, inputs: Inputs, findings: list[Finding], inputs_dir: Path, out_dir: Path,
                     ids: list[str] | None, template_dir: Path | None, pdf: bool, soffice_path: str | None,
                     lock_timeout: float, key: str, jobs: int | None, draft: bool = False,
                     html: bool = False) -> BuildResult:
    known = deliverable_ids(inputs)
    wanted = ids or known
    unknown = [i for i in wanted if i not in known]
    if unknown:
        result.findings += [error("unknown-deliverable", f"no deliverable '{i}'; the deliverables are {', '.join(known)}",
                                  Location(inputs.decision_doc.file)) for i in unknown]
        return result
    template_dir = template_dir or default_template_dir(inputs_dir)
    problem = check_output_folder(out_dir, inputs_dir, template_dir)
    if problem:
        result.findings.append(problem)
        return result
    with contextlib.ExitStack() as stack:
        # One build at a time into an output folder; a build that died while swapping is cleaned up first.
        try:
            stack.enter_context(outfolder.locked(out_dir, lock_timeout))
            outfolder.recover(out_dir)
        except outfolder.LockTimeout as exc:
            result.findings.append(error(
                "output-locked", f"another build is writing to this output folder; waited {exc.waited:.0f} s for it",
                Location(display_path(Path(out_dir))),
                hint=f"wait for the other build to finish and run again (it holds {display_path(exc.lock)})"))
            return result
        except OSError as exc:
            result.findings.append(_write_failure(out_dir, exc))
            return result
        ledger = ledger_of(inputs)
        warnings = [f for f in findings if not f.is_error]
        # What a deliverable needs is an error only when that deliverable is built.
        readiness = {i: rules.deliverable_completeness(inputs, ledger, i) for i in wanted}
        gaps: dict[str, list[Finding]] | None = None
        if draft:
            # A draft is built with its gaps: they become warnings here and a list in the document.
            gaps = {i: [f for f in readiness[i] if f.is_error] for i in wanted}
            readiness = {i: [replace(f, severity=Severity.WARNING) if f.is_error else f for f in readiness[i]]
                         for i in wanted}
        ready = [i for i in wanted if not has_errors(readiness[i])]
        job = _Job(inputs, ledger, template_dir, warnings, out_dir, gaps)
        outcome = dict(zip(ready, render_all(job, ready, jobs)))
        rendered: list[Rendered] = []
        for deliverable_id in wanted:  # findings in the order of the deliverables, however they were rendered
            result.findings += readiness[deliverable_id]
            item, item_findings = outcome.get(deliverable_id, (None, []))
            result.findings += item_findings
            if item is not None:
                rendered.append(item)
        if not result.ok:
            return result
        if soffice_path is not None:
            result.findings += add_pdfs(rendered, soffice_path, out_dir)
            if not result.ok:
                return result
        if html:
            add_previews(rendered, inputs)
        try:
            result.written = write_outputs(out_dir, rendered, key)
        except outfolder.SpecialFile as exc:
            result.findings.append(error(
                "output-special-file", f"the output folder holds {exc.kind} ({display_path(exc.path)}); "
                "the build replaces the folder as a whole and cannot carry it over",
                Location(display_path(exc.path)),
                hint="remove it from the output folder, or build into a folder of its own"))
        except OSError as exc:
            result.findings.append(_write_failure(out_dir, exc))
    return result


@dataclass
class _Job:
    """What every deliverable of one build is rendered from."""

    inputs: Inputs
    ledger: Ledger
    template_dir: Path
    warnings: list[Finding]
    out_dir: Path
    gaps: dict[str, list[Finding]] | None = None  # build --draft: what each deliverable lacks


def render_checked(job: _Job, deliverable_id: str) -> tuple[Rendered | None, list[Finding]]:
    """Render one deliverable and check the document's accessibility."""
    with _collector_paused():
        item, findings = render_deliverable(job.inputs, job.ledger, deliverable_id, job.template_dir, job.warnings,
                                            job.gaps.get(deliverable_id) if job.gaps is not None else None)
        release(job.ledger, deliverable_id)
    if item is not None:
        findings += check_accessibility(item, job.out_dir, job.template_dir / info(job.inputs, deliverable_id).template)
    return item, findings


@contextlib.contextmanager
def _collector_paused():
    """No cyclic garbage collection while a deliverable is made.

    Its context, figures and document are millions of small objects that all live until it is
    written, with hardly a reference cycle among them: the collector would walk them again and
    again for nothing (3.4 s of a 10 000-project build, against 0.8 s before every figure was a
    named quantity). What little cyclic garbage there is goes when build() ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What outlives it (the ledger views and their caches) is not walked again either: the
        # first collection after would walk every object made since the pause, once per
        # deliverable. build() unfreezes at its end.
        gc.freeze()
        if enabled:
            gc.enable()


def _render_share(job: _Job, ids: list[str]) -> list[tuple[Rendered | None, list[Finding]]]:
    return [render_checked(job, i) for i in ids]


def render_all(job: _Job, ids: list[str], jobs: int | None = None) -> list[tuple[Rendered | None, list[Finding]]]:
    """Render ``ids`` (in that order in the result), several at once when there are CPUs for it.

    The deliverables are independent, so each can be rendered in a process of its own. Workers
    are forked (Linux, :func:`reportgen.inputs.processes.aside`), so they share the loaded inputs
    instead of loading or receiving them; elsewhere, or with one CPU or one deliverable, or
    where workers cannot be started, everything runs in this process. The result is the same
    either way: the same bytes, the same findings in the same order.
    """
    jobs = processes.default_jobs() if jobs is None else jobs
    workers = min(jobs, len(ids))
    if workers <= 1 or not processes.can_fork():
        return [render_checked(job, i) for i in ids]
    # The largest deliverable (the final report, with every project) is rendered here, so that its
    # result (at 10 000 projects, 70 MB of documents and figure map) is not sent through a pipe;
    # the others are shared out among the workers beforehand.
    largest, *rest = sorted(ids, key=lambda i: -_size_estimate(job, i))
    shares = _share_out(job, rest, workers - 1)
    started = [processes.aside(_render_share, job, share, fallback=False) for share in shares]
    try:
        outcome = {largest: render_checked(job, largest)}
        for share, worker in zip(shares, started):
            outcome.update(zip(share, worker.result()))
    except processes.ChildDied:
        died = error("build-worker", "a process rendering the deliverables stopped unexpectedly (out of memory, "
                     "or killed)", Location(display_path(Path(job.out_dir))),
                     hint="run again; with REPORTGEN_JOBS=1 (or --jobs 1) the deliverables are rendered one at a "
                          "time, in one process, which needs less memory")
        return [(None, [])] * (len(ids) - 1) + [(None, [died])]
    finally:
        for worker in started:  # whatever ended this early (Ctrl-C, a failure), the workers go with it
            worker.cancel()
    return [outcome[i] for i in ids]


def _share_out(job: _Job, ids: list[str], workers: int) -> list[list[str]]:
    """``ids`` in at most ``workers`` groups of about the same work: each, largest first, to the
    group with the least so far."""
    shares: list[list[str]] = [[] for _ in range(min(workers, len(ids)))]
    load = [0] * len(shares)
    for deliverable_id in sorted(ids, key=lambda i: -_size_estimate(job, i)):
        least = load.index(min(load))
        shares[least].append(deliverable_id)
        load[least] += _size_estimate(job, deliverable_id)
    return shares


def _size_estimate(job: _Job, deliverable_id: str) -> int:
    kind = info(job.inputs, deliverable_id).kind
    return {"slutredovisning": 3, "delrapport": 2}.get(kind, 1)


def check_accessibility(item: Rendered, out_dir: Path, template: Path) -> list[Finding]:
    """The accessibility check (reportgen.checks.a11y) of a built document, on its bytes before anything
    is written: a failure fails the build."""
    from reportgen.checks.a11y import check_docx

    found = check_docx(item.docx, name=display_path(out_dir / f"{item.id}.docx"), language="sv-SE")
    made_of = f"built from {display_path(template)} on {display_path(template.parent / 'base.docx')}"
    return [replace(f, hint=f"{f.hint}; the document was {made_of}" if f.hint else made_of) for f in found]


def add_pdfs(rendered: list[Rendered], soffice: str, out_dir: Path) -> list[Finding]:
    """Convert every built .docx to a tagged PDF (reportgen.checks.pdf) and attach the bytes to its
    Rendered, so that write_outputs writes them with the rest or, on any failure, nothing."""
    from reportgen.checks.pdf import PdfError, check_pdf, convert_to_pdf

    try:
        pdfs = convert_to_pdf({item.id: item.docx for item in rendered}, soffice)
    except PdfError as exc:
        return [error(exc.code, exc.message, Location(soffice), hint=exc.hint)]
    findings = []
    for item in rendered:
        data = pdfs[item.id]
        problems = check_pdf(data, language="sv-SE")
        if problems:
            findings.append(error("pdf-untagged", f"the PDF made by LibreOffice is not accessible: {'; '.join(problems)}",
                                  Location(display_path(out_dir / f"{item.id}.pdf")),
                                  hint="LibreOffice 7.4 or newer is needed for tagged PDF export options"))
        item.pdf = data
    return findings


def build_options(pdf: bool, draft: bool = False, html: bool = False) -> dict[str, bool]:
    """What a build was asked for, in its manifest key; ``draft`` and ``html`` only when asked, so
    that the key of an ordinary build (and so its manifest) is what it was before they existed."""
    return {"pdf": pdf, **({"draft": True} if draft else {}), **({"html": True} if html else {})}


def add_previews(rendered: list[Rendered], inputs: Inputs) -> None:
    """Attach ``<id>.html`` to each Rendered: its draft's tree as a web page, the charts drawn
    from their data (a build's figures are all charts: there are no picture files to inline)."""
    from reportgen.review.html import preview_page

    for item in rendered:
        doc, _ = parse(item.markdown, f"{item.id}.md")
        title = f"{info(inputs, item.id).title} – {inputs.decision.title}"
        item.html = preview_page(doc, title, lambda src: None).encode("utf-8")


def write_outputs(out_dir: Path, rendered: list[Rendered], key: str | None = None) -> list[Path]:
    """Replace the output folder with its current files plus the rendered ones, as a whole.

    Call with the output folder's lock held (``outfolder.locked``), as :func:`build` does.
    """
    files: dict[str, bytes] = {}
    for item in rendered:
        files[f"{item.id}.docx"] = item.docx
        files[f"{item.id}.md"] = item.markdown.encode("utf-8")
        if item.figure_map is not None:
            files[f"{item.id}.figures.json"] = item.figure_map
        if item.pdf is not None:
            files[f"{item.id}.pdf"] = item.pdf
        if item.html is not None:
            files[f"{item.id}.html"] = item.html
    written = [out_dir / rel for rel in files]
    if key is not None:
        # The drafts in the folder, for `reportgen status`: this build's, and an earlier build's
        # that this one leaves in place (manifest.drafts checks each against its .docx).
        rebuilt = {item.id for item in rendered}
        drafts = {i: digest for i, digest in manifest.recorded_drafts(out_dir).items() if i not in rebuilt}
        drafts.update({item.id: hashlib.sha256(item.docx).hexdigest() for item in rendered if item.draft})
        # Written with the outputs, in the same swap: it never describes files that are not there.
        files[manifest.NAME] = manifest.render(key, files, drafts=drafts)
    outfolder.replace(out_dir, files)
    return written
