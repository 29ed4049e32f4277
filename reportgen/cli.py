"""The command line: parse, call one function, print findings, choose the exit code.

Exit codes: 0 success (warnings allowed), 1 invalid input or failed build, 2 usage error,
3 internal error (a bug in reportgen: please report it).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import os
import sys
from pathlib import Path

import click

from reportgen import findings as fnd

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT: Ctrl-C

inputs_option = click.option(
    "--inputs", "inputs_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("inputs"),
    show_default=True, help="Folder with decision.yaml, programme.yaml and finances.xlsx.")
out_option = click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
    show_default=True, help="Folder the deliverables are written to.")
format_option = click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True,
    help="text for people, json for scripts, github for workflow annotations.")


def _parse_day(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


today_option = click.option("--today", callback=_parse_day, metavar="YYYY-MM-DD",
                            help="Judge deadlines as on this day instead of today.")


class Printer:
    def __init__(self, quiet: bool = False, verbose: bool = False):
        self.quiet = quiet
        self.verbose = verbose

    def findings(self, items: list[fnd.Finding], fmt: str) -> None:
        items = fnd.sort_findings(items)
        if fmt == "json":
            click.echo(fnd.render(items, "json"))
            return
        if self.quiet:
            items = [f for f in items if f.is_error]
        if items:
            click.echo(fnd.render(items, fmt), err=(fmt == "text"))


def _set_quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Printer).quiet = True


def _set_verbose(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Printer).verbose = True


def verbosity_options(command):
    """-q/--quiet and -v/--verbose after the subcommand too: `reportgen validate --quiet`."""
    command = click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_set_verbose,
                           help="Print more detail (and tracebacks of internal errors).")(command)
    return click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_quiet,
                        help="Print errors only.")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="reportgen")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail (and tracebacks of internal errors).")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """reportgen: the reports owed to Regeringskansliet under the Smart industri decision.

    \b
    Typical use:
      reportgen init reports        start a new project in reports/ (valid inputs, templates, CI)
      reportgen validate            check inputs/ against the schema and the decision's terms
      reportgen build               write the four deliverables to outputs/
      reportgen check-docx FILE...  check Word documents for accessibility
      reportgen status              deadlines, what is complete and what is built
      reportgen explain ID TEXT     where a figure printed in a deliverable comes from
      reportgen templates check     check the templates' variables against the context
      reportgen schema              the JSON Schema of decision.yaml, for editors
      reportgen docs inputs         the inputs reference, generated from the model
      reportgen docs findings       every finding code with its meaning
    """
    ctx.obj = Printer(quiet, verbose)


@cli.command()
@inputs_option
@format_option
@today_option
@verbosity_options
@click.pass_obj
def validate(printer: Printer, inputs_dir: Path, fmt: str, today: dt.date | None) -> None:
    """Check the inputs against the schema and the decision's terms.

    Reports every problem with its place (file:line:col, or file:Sheet!Cell). Exit 0 when valid
    (warnings allowed), 1 when not.

    \b
    Example:
      reportgen validate --inputs inputs --format github
    """
    with imported_for_good():
        from reportgen.rules.validate import validate_inputs
    try:
        _, items = validate_inputs(inputs_dir, today or dt.date.today())
    finally:
        gc.unfreeze()
    printer.findings(items, fmt)
    if fmt == "text" and not printer.quiet:
        click.echo(f"{inputs_dir}: {fnd.summary_line(items)}", err=True)
    sys.exit(EXIT_INVALID if fnd.has_errors(items) else EXIT_OK)


@cli.command()
@inputs_option
@out_option
@today_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@verbosity_options
@click.pass_obj
def status(printer: Printer, inputs_dir: Path, out_dir: Path, today: dt.date | None, fmt: str) -> None:
    """Deadlines of the deliverables and obligations, and what is built.

    \b
    Example:
      reportgen status --today 2019-04-15
    """
    from reportgen.rules.status import compute_status, format_status
    from reportgen.rules.validate import validate_inputs

    inputs, items = validate_inputs(inputs_dir, today or dt.date.today())
    if inputs is None:
        printer.findings(items, "text")
        sys.exit(EXIT_INVALID)
    from reportgen.output import manifest

    report = compute_status(inputs, out_dir, today or dt.date.today(), drafts=manifest.drafts(out_dir))
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(format_status(report))
    sys.exit(EXIT_OK)


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@inputs_option
@out_option
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder with the Jinja templates and base.docx (default: templates/ beside the inputs).")
@click.option("--pdf", is_flag=True, help="Also write <id>.pdf: a tagged PDF (PDF/UA) made by LibreOffice.")
@click.option("--html", is_flag=True,
              help="Also write <id>.html: the deliverable as one self-contained web page (a preview for a browser).")
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed since the last build.")
@click.option("--draft", is_flag=True, help="Build deliverables that lack data too, as drafts: every page marked "
                                            "UTKAST, the gaps listed at the start (warnings instead of errors).")
@click.option("--soffice", metavar="PATH", help="The LibreOffice program for --pdf (default: soffice or libreoffice on PATH).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Render N deliverables at once, each in a process of its own (default: REPORTGEN_JOBS, else "
                   "one per CPU). --jobs 1 needs the least memory; the outputs are the same bytes whatever N is.")
@format_option
@today_option
@verbosity_options
@click.pass_obj
def build(printer: Printer, ids: tuple[str, ...], inputs_dir: Path, out_dir: Path, template_dir: Path | None,
          pdf: bool, html: bool, soffice: str | None, jobs: int | None, fmt: str, today: dt.date | None,
          force: bool, draft: bool) -> None:
    """Build the deliverables: <id>.docx and <id>.md for each (<id>.pdf with --pdf, <id>.html with --html).

    IDs are deliverable ids from decision.yaml (genomforandeplan-2018, delrapport-2019,
    delrapport-2020, slutredovisning-2021); all when none is given. The inputs are validated
    first, and every document is checked for accessibility (as check-docx does) before it is
    written; on any error nothing is written and the previous outputs stay as they were.

    --pdf converts the documents with LibreOffice headless (7.4 or newer); without it the build
    fails (exit 1) and says how to install it. PDFs are not byte-reproducible (creation time, /ID).

    \b
    Examples:
      reportgen build delrapport-2019 --inputs inputs --out outputs
      reportgen build --pdf
    """
    from reportgen.output import manifest
    from reportgen.report.resources import default_template_dir

    # Checked before the build's modules are even imported: an unchanged rebuild costs ~0.1 s.
    options = {"pdf": pdf, **({"draft": True} if draft else {}),
               **({"html": True} if html else {})}  # as output.build.build_options
    key = manifest.build_key(inputs_dir, template_dir or default_template_dir(inputs_dir), list(ids) or None,
                             options)
    if not force and manifest.up_to_date(out_dir, key) is not None:
        if fmt == "text" and not printer.quiet:
            click.echo(f"{out_dir}: up to date (inputs, templates and reportgen unchanged since the last build; "
                       "--force rebuilds)", err=True)
        sys.exit(EXIT_OK)
    with imported_for_good():
        from reportgen.output.build import build as run_build
    try:
        result = run_build(inputs_dir, out_dir, list(ids) or None, template_dir, today or dt.date.today(),
                           pdf=pdf, soffice=soffice, force=True, key=key, jobs=jobs, draft=draft, html=html)
    finally:
        gc.unfreeze()  # build() does on its way out, but not when it stops before rendering
    printer.findings(result.findings, fmt)
    if not result.ok:
        if fmt == "text":
            click.echo(f"build failed: {fnd.summary_line(result.findings)}; nothing was written", err=True)
        sys.exit(EXIT_INVALID)
    if fmt == "text" and not printer.quiet:
        for path in result.written:
            click.echo(f"wrote {path}")
    sys.exit(EXIT_OK)


@cli.command()
@click.argument("deliverable_id", metavar="ID")
@click.argument("text")
@inputs_option
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder with the Jinja templates (default: templates/ beside the inputs).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Read the figure map a build wrote there (<out>/ID.figures.json) instead of rendering from the inputs.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@verbosity_options
@click.pass_obj
def explain(printer: Printer, deliverable_id: str, text: str, inputs_dir: Path, template_dir: Path | None,
            out_dir: Path | None, fmt: str) -> None:
    """Where a figure printed in deliverable ID comes from.

    TEXT is the figure as printed (spaces or no-break spaces alike, the unit optional). For each
    place it is printed: the quantity, its exact value, how it was computed and every source
    (cells of finances.xlsx, places in the YAML files); for a share, its numerator and
    denominator. Exit 0 found, 1 not found (or the inputs have errors), 2 usage error.

    \b
    Example:
      reportgen explain slutredovisning-2021 "62 427 570" --format json
    """
    from reportgen.output.explain import explain as run_explain
    from reportgen.output.explain import format_text

    figures_file = out_dir / f"{deliverable_id}.figures.json" if out_dir is not None else None
    result = run_explain(inputs_dir, deliverable_id, text, template_dir, figures_file)
    if result.unknown_deliverable:
        printer.findings(result.findings, "text")
        sys.exit(EXIT_USAGE)
    if fnd.has_errors(result.findings):
        printer.findings(result.findings, "text")
        sys.exit(EXIT_INVALID)
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif result.matches:
        click.echo(format_text(result))
    if not result.matches:
        if fmt == "text":
            click.echo(f"'{text}' is not printed in {deliverable_id}", err=True)
        sys.exit(EXIT_INVALID)
    sys.exit(EXIT_OK)


@cli.command("check-docx")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="FILE...")
@click.option("--lang", "language", metavar="LANG", help="The language the documents must declare, e.g. sv-SE.")
@format_option
@verbosity_options
@click.pass_obj
def check_docx(printer: Printer, files: tuple[Path, ...], language: str | None, fmt: str) -> None:
    """Check Word documents (.docx, any, not only reportgen's) for accessibility.

    The rules (EN 301 549): the document language and title are set; headings start at level 1
    and skip no level; every table has a header row marked to repeat, without merged cells;
    every picture has alternative text; lists are real lists, not typed bullets or numbers; no
    empty paragraphs are used for spacing. Each failure names the paragraph or table.

    Exit 0 when every file passes, 1 when any fails, 2 when a file is missing or not a .docx.

    \b
    Example:
      reportgen check-docx outputs/*.docx
    """
    from reportgen.checks.a11y import check_docx as run_check

    items: list[fnd.Finding] = []
    unreadable = False
    for path in files:
        found = run_check(path, language=language)
        unreadable |= any(f.code == "a11y-unreadable" for f in found)
        items += found
        if fmt == "text" and not printer.quiet and not found:
            click.echo(f"{path}: ok", err=True)
    printer.findings(items, fmt)
    if fmt == "text" and not printer.quiet:
        failed = len({f.where for f in items if f.is_error})
        click.echo(f"{len(files)} file{'s' if len(files) != 1 else ''} checked, {failed} failed: "
                   f"{fnd.summary_line(items)}", err=True)
    sys.exit(EXIT_USAGE if unreadable else EXIT_INVALID if fnd.has_errors(items) else EXIT_OK)


# --- onboarding: schema, docs, init, templates -------------------------------------------------

@cli.command()
@click.option("--file", "kind", type=click.Choice(["decision", "programme"]), default="decision", show_default=True,
              help="Which YAML file's schema to print.")
@click.option("--write", "write_dir", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write both schemas (decision.schema.json, programme.schema.json) into DIR instead.")
@verbosity_options
@click.pass_obj
def schema(printer: Printer, kind: str, write_dir: Path | None) -> None:
    """Print the JSON Schema (draft 2020-12) of decision.yaml or programme.yaml.

    Editors use it to complete and check the YAML as it is typed: with the YAML extension of
    VS Code (yaml-language-server), a first line `# yaml-language-server: $schema=../schemas/
    decision.schema.json` in the file is enough. The schema is generated from reportgen's model;
    `reportgen validate` still checks more (references, the decision's terms).

    \b
    Examples:
      reportgen schema --file programme > programme.schema.json
      reportgen schema --write schemas
    """
    from reportgen.inputs.schema import schema_text, write_schemas

    if write_dir is None:
        click.echo(schema_text(kind), nl=False)
        sys.exit(EXIT_OK)
    for path in write_schemas(write_dir):
        if not printer.quiet:
            click.echo(f"wrote {path}")
    sys.exit(EXIT_OK)


@cli.group()
def docs() -> None:
    """Generated documentation.

    \b
    Example:
      reportgen docs inputs --out docs/inputs-reference.md
    """


def _generated_doc(printer: Printer, text: str, out_file: Path | None, check: bool, command: str) -> None:
    """Print ``text``, write it to ``out_file``, or (``check``) say whether ``out_file`` holds it."""
    if out_file is None:
        if check:
            raise click.UsageError("--check needs --out FILE")
        click.echo(text, nl=False)
        sys.exit(EXIT_OK)
    if check:
        current = out_file.read_text(encoding="utf-8") if out_file.is_file() else None
        if current != text:
            click.echo(f"{out_file}: out of date; run: reportgen docs {command} --out {out_file}", err=True)
            sys.exit(EXIT_INVALID)
        if not printer.quiet:
            click.echo(f"{out_file}: up to date", err=True)
        sys.exit(EXIT_OK)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_text(text, encoding="utf-8")
    if not printer.quiet:
        click.echo(f"wrote {out_file}")
    sys.exit(EXIT_OK)


doc_out_option = click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
                              help="Write the reference to this file instead of printing it.")
doc_check_option = click.option("--check", is_flag=True,
                                help="Do not write: exit 1 when --out differs from the generated text.")


@docs.command("inputs")
@doc_out_option
@doc_check_option
@verbosity_options
@click.pass_obj
def docs_inputs(printer: Printer, out_file: Path | None, check: bool) -> None:
    """The inputs reference: every field of the YAML files and column of finances.xlsx.

    Generated from the model, with types, required or optional, and descriptions.

    \b
    Examples:
      reportgen docs inputs --out docs/inputs-reference.md
      reportgen docs inputs --out docs/inputs-reference.md --check
    """
    from reportgen.inputs.reference import inputs_reference

    _generated_doc(printer, inputs_reference(), out_file, check, "inputs")


@docs.command("findings")
@doc_out_option
@doc_check_option
@verbosity_options
@click.pass_obj
def docs_findings(printer: Printer, out_file: Path | None, check: bool) -> None:
    """The finding codes: every code reportgen reports, by family, with its meaning.

    Generated from the catalogue in reportgen/findings.py.

    \b
    Examples:
      reportgen docs findings --out docs/findings.md
      reportgen docs findings --out docs/findings.md --check
    """
    _generated_doc(printer, fnd.findings_reference(), out_file, check, "findings")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Write into DIR even when it is not empty (reportgen's files are replaced).")
@verbosity_options
@click.pass_obj
def init(printer: Printer, directory: Path, force: bool) -> None:
    """Start a new reports project in DIR, valid from the first run.

    DIR gets inputs/ (the decision, a small programme with two projects, finances.xlsx with drop-down
    lists and instructions), schemas/ for editors, a copy of the templates and base.docx, a
    .gitignore and a GitHub Actions workflow (.github/workflows/reports.yml). DIR must be empty or
    missing unless --force is given.

    \b
    Example:
      reportgen init smart-industri && cd smart-industri && reportgen validate
    """
    from reportgen.project.newproject import UnsafeTarget, init_project, is_empty

    if directory.exists() and not directory.is_dir():
        click.echo(f"reportgen init: {directory} is a file, not a folder", err=True)
        sys.exit(EXIT_USAGE)
    if not force and not is_empty(directory):
        click.echo(f"reportgen init: {directory} is not empty; choose a new folder, or use --force to write "
                   "reportgen's files into it (files of the same name are replaced)", err=True)
        sys.exit(EXIT_USAGE)
    try:
        written = init_project(directory)
    except UnsafeTarget as exc:
        click.echo(f"reportgen init: {exc.path} {exc.reason}; nothing was written. Remove it, or choose "
                   "a new folder", err=True)
        sys.exit(EXIT_INVALID)
    except OSError as exc:
        click.echo(f"reportgen init: cannot write {exc.filename or directory}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_INVALID)
    if not printer.quiet:
        if printer.verbose:
            for path in written:
                click.echo(f"wrote {path}")
        click.echo(f"created {directory} ({len(written)} files). Next:\n"
                   f"  cd {directory}\n  reportgen validate\n  reportgen build")
    sys.exit(EXIT_OK)


@cli.group()
def templates() -> None:
    """Work with the report templates.

    \b
    Example:
      reportgen templates check --templates templates
    """


def _default_template_dir() -> Path:
    from reportgen.report.resources import package_templates

    local = Path("templates")
    return local if local.is_dir() else package_templates()


@templates.command("check")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder with the templates (default: templates/ here, else the packaged ones).")
@click.option("--inputs", "inputs_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Inputs whose contexts define what the templates may use (default: the shipped example).")
@format_option
@verbosity_options
@click.pass_obj
def templates_check(printer: Printer, template_dir: Path | None, inputs_dir: Path | None, fmt: str) -> None:
    """Check that every variable the templates use is one the context provides.

    Parses each template and lists, with its file and line, every variable path (`projects.rows`,
    `p.title` in a loop, a macro argument's fields, an imported macro) that the context of the
    deliverables does not provide, with a "did you mean". The context is learnt from the contexts a
    build makes for every deliverable of the shipped example (or of --inputs). Exit 0 when all are
    known, 1 when not.

    \b
    Example:
      reportgen templates check --templates templates
    """
    from reportgen.report.template_check import check_templates

    template_dir = template_dir or _default_template_dir()
    result = check_templates(template_dir, inputs_dir)
    printer.findings(result.findings, fmt)
    if fmt == "text" and not printer.quiet:
        click.echo(f"{template_dir}: {len(result.templates)} templates checked: "
                   f"{fnd.summary_line(result.findings)}", err=True)
    sys.exit(EXIT_INVALID if fnd.has_errors(result.findings) else EXIT_OK)


@templates.command("context")
@click.option("--inputs", "inputs_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Inputs whose contexts to list (default: the shipped example).")
@verbosity_options
def templates_context(inputs_dir: Path | None) -> None:
    """List every variable path the templates may use (`decision.frames[].amount`...).

    \b
    Example:
      reportgen templates context | grep ^projects
    """
    from reportgen.report.template_check import context_paths

    try:
        paths = context_paths(inputs_dir)
    except ValueError as exc:
        click.echo(f"reportgen templates context: {exc}", err=True)
        sys.exit(EXIT_INVALID)
    click.echo("\n".join(paths))
    sys.exit(EXIT_OK)


# --- reviewers: diff, redline, docx-text ---------------------------------------------------------

@cli.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--stat", is_flag=True, help="One line per deliverable: paragraphs and table rows added, removed, changed.")
@click.option("--redline", "redline_out", type=click.Path(dir_okay=False, path_type=Path), metavar="OUT.docx",
              help="Also write NEW as a Word document with tracked changes against OLD (both must be .docx).")
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Also write a review page: one self-contained HTML file with NEW's documents, the changes marked.")
@click.option("-U", "--unified", "context", type=click.IntRange(0, None), default=3, show_default=True,
              help="Lines of context around each change.")
@verbosity_options
@click.pass_obj
def diff(printer: Printer, old: Path, new: Path, stat: bool, redline_out: Path | None, html_out: Path | None,
         context: int) -> None:
    """Compare two versions of the deliverables as normalized text.

    OLD and NEW are each a Markdown draft (.md), a Word document (.docx) or an output folder.
    Each is read into the document tree and written as normalized Markdown, so a .md and a .docx
    of the same report compare equal. Folders pair <id>.docx with <id>.docx when both have it,
    else <id>.md with <id>.md; a deliverable only one folder has is all added or all removed.

    Prints a unified diff (nothing when equal). Exit 0 when equal, 1 when different, 2 on trouble
    (a missing or unreadable file), like diff(1).

    --html FILE also writes a review page for a browser: NEW's documents with what changed marked
    (insertions and deletions word by word, table cells, changed figures highlighted), unchanged
    sections folded; self-contained and safe to publish as a CI artifact.

    \b
    Examples:
      reportgen diff old-outputs outputs
      reportgen diff old-outputs outputs --stat
      reportgen diff old-outputs outputs --stat --html review.html
      reportgen diff old/slutredovisning-2021.docx outputs/slutredovisning-2021.docx --redline redline.docx
    """
    from reportgen.review import diff as textdiff

    try:
        pairs = textdiff.pair_paths(old, new)
    except textdiff.DiffUsageError as exc:
        click.echo(f"reportgen diff: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if redline_out is not None and (old.is_dir() or new.is_dir() or old.suffix.lower() != ".docx"
                                    or new.suffix.lower() != ".docx"):
        click.echo("reportgen diff: --redline needs two .docx files", err=True)
        sys.exit(EXIT_USAGE)
    different = False
    compared = []
    for name, a, b in pairs:
        doc_a, found_a = textdiff.document_of(a)
        doc_b, found_b = textdiff.document_of(b)
        problems = [f for f in found_a + found_b if f.is_error]
        if problems:
            printer.findings(problems, "text")
            sys.exit(EXIT_USAGE)
        if printer.verbose:
            printer.findings(found_a + found_b, "text")
        if html_out is not None:
            from reportgen.review import html as review_html

            compared.append(review_html.Compared(
                name, doc_a if a.path is not None else None, doc_b if b.path is not None else None,
                review_html.images_of(a.path), review_html.images_of(b.path)))
        if stat:
            result = textdiff.stat(doc_a, doc_b)
            changed = result.any or (a.path is None) != (b.path is None)
            if changed or textdiff.text_of(doc_a, a) != textdiff.text_of(doc_b, b):
                different = True
            click.echo(textdiff.stat_line(name, result))
            continue
        out = textdiff.unified(textdiff.text_of(doc_a, a), textdiff.text_of(doc_b, b), a.label, b.label,
                               context)
        if out:
            different = True
            click.echo(out, nl=False)
    if html_out is not None:
        from reportgen.review import html as review_html

        page, _ = review_html.review_page(compared, str(old), str(new))
        try:
            html_out.parent.mkdir(parents=True, exist_ok=True)
            html_out.write_text(page, encoding="utf-8")
        except OSError as exc:
            click.echo(f"reportgen diff: cannot write {html_out}: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        if not printer.quiet:
            click.echo(f"wrote {html_out}", err=True)
    if redline_out is not None:
        from reportgen.formats.docx.reader import DocxError
        from reportgen.review.redline import redline

        try:
            result = redline(old, new)
        except (DocxError, OSError) as exc:
            click.echo(f"reportgen diff: cannot make the redline: {exc}", err=True)
            sys.exit(EXIT_USAGE)
        redline_out.parent.mkdir(parents=True, exist_ok=True)
        redline_out.write_bytes(result.data)
        if not printer.quiet:
            s = result.stats
            click.echo(f"wrote {redline_out}: {s.insertions} insertions, {s.deletions} deletions "
                       f"(paragraphs {s.paragraphs_inserted} inserted, {s.paragraphs_deleted} deleted, "
                       f"{s.paragraphs_changed} changed; table rows {s.rows_inserted} inserted, "
                       f"{s.rows_deleted} deleted, {s.rows_changed} changed"
                       + (f"; charts changed: {s.charts_changed}, comments: {s.comments}" if s.comments else "")
                       + ")", err=True)
    sys.exit(EXIT_INVALID if different else EXIT_OK)


@cli.command("docx-text")
@click.argument("file", type=click.Path(path_type=Path))
@verbosity_options
@click.pass_obj
def docx_text(printer: Printer, file: Path) -> None:
    """Print the normalized Markdown of a Word document (or of a .md draft).

    For `git diff` on .docx files: with `*.docx diff=reportgen-docx` in .gitattributes and
    `git config diff.reportgen-docx.textconv "reportgen docx-text"`, git shows the text that
    changed. The cover, headers and footers are not included. Exit 2 when the file is missing
    or unreadable.

    \b
    Example:
      reportgen docx-text outputs/slutredovisning-2021.docx | less
    """
    from reportgen.formats.docx.reader import read_docx
    from reportgen.formats.markdown.reader import parse
    from reportgen.formats.markdown.writer import write_markdown

    if not file.is_file():
        click.echo(f"reportgen docx-text: {file}: no such file", err=True)
        sys.exit(EXIT_USAGE)
    if file.suffix.lower() == ".md":
        doc, found = parse(file.read_text(encoding="utf-8", errors="replace"), str(file))
    else:
        doc, found = read_docx(file, name=str(file))
    if fnd.has_errors(found):
        printer.findings([f for f in found if f.is_error], "text")
        sys.exit(EXIT_USAGE)
    if printer.verbose:
        printer.findings(found, "text")
    click.echo(write_markdown(doc), nl=False)
    sys.exit(EXIT_OK)


@cli.command("pull-edits")
@click.argument("edited", type=click.Path(dir_okay=False, path_type=Path))
@inputs_option
@click.option("--templates", "template_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Template folder the document was built with (default: the inputs' project's, else the shipped ones).")
@click.option("--dry-run", is_flag=True, help="Print the diff of programme.yaml; write nothing.")
@click.option("--reject-tracked", is_flag=True,
              help="Take the document with its tracked changes rejected (default: accepted).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for scripts.")
@verbosity_options
@click.pass_obj
def pull_edits(printer: Printer, edited: Path, inputs_dir: Path, template_dir: Path | None, dry_run: bool,
               reject_tracked: bool, fmt: str) -> None:
    """Write the texts edited in a built Word document back into programme.yaml.

    EDITED is a .docx reportgen built (edited in Word or LibreOffice; tracked changes are
    accepted unless --reject-tracked). Each text from programme.yaml that reads differently is
    turned back into Markdown and written into its field, the rest of the file unchanged byte
    for byte. An edit of generated content (an amount, a table row, a heading the template
    writes) is refused with its place and where the figure comes from: exit 1, nothing written.
    Word comments are listed with the text they are attached to. Running it again changes nothing.

    \b
    Examples:
      reportgen pull-edits granskad/slutredovisning-2021.docx --dry-run
      reportgen pull-edits granskad/slutredovisning-2021.docx
    """
    from reportgen.review.pull_edits import pull_edits as pull

    if not edited.is_file():
        click.echo(f"reportgen pull-edits: {edited}: no such file", err=True)
        sys.exit(EXIT_USAGE)
    result = pull(edited, inputs_dir, template_dir, dry_run=dry_run,
                  tracked="reject" if reject_tracked else "accept")
    if fmt == "json":
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        sys.exit(EXIT_OK if result.ok else EXIT_INVALID)
    printer.findings(result.findings, "text")
    for note in result.notes:
        click.echo(note, err=True)
    if result.ok and not printer.quiet:
        if not result.edits:
            click.echo(f"{edited}: no text from programme.yaml was edited; nothing to write", err=True)
        for e in result.edits:
            click.echo(f"{e.where}: {e.place}: edited in {edited.name}", err=True)
    if dry_run and result.diff:
        click.echo(result.diff, nl=False)
    if result.written and not printer.quiet:
        click.echo(f"wrote {result.programme}", err=True)
    elif not result.ok and not printer.quiet:
        click.echo(f"{edited}: refused, nothing written", err=True)
    if result.comments and not printer.quiet:
        click.echo(f"{len(result.comments)} comment(s) in {edited.name}:", err=True)
        for c in result.comments:
            at = f" [{c.place}]" if c.place else ""
            click.echo(f"  {c.author or 'okänd'} {c.date[:10]}{at}: {c.text!r} on {c.anchor!r}", err=True)
    sys.exit(EXIT_OK if result.ok else EXIT_INVALID)


def tune_gc() -> None:
    """A run is a short batch job that builds large, long-lived structures (inputs with 10 000
    projects are ~10^6 objects). With the default thresholds the cyclic collector re-scans them
    over and over while they are built; collecting less often keeps its cost linear."""
    import gc

    gc.set_threshold(50_000, 20, 20)


@contextlib.contextmanager
def imported_for_good():
    """Import a command's modules with the cyclic collector paused, then freeze what they made.

    What an import makes (classes, functions, the input models' validators) lives as long as the
    process, so a collection in the middle of one frees next to nothing and scans everything made
    so far: defining the input models triggered one in every build, 20-30 ms of a cold build of
    the example. Frozen (gc.freeze), the imported objects are left out of every later collection
    too; the caller unfreezes them when the command is done (output.build.build does).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # before enabling, which would start a collection over all of it at once
        if enabled:
            gc.enable()


def main(argv: list[str] | None = None) -> None:
    tune_gc()
    try:
        # Not click's standalone mode: it turns Ctrl-C into "Aborted!" and exit 1, the code of
        # invalid input; an interrupted run exits 130 (128 + SIGINT), as shells expect.
        rv = cli.main(args=argv, prog_name="reportgen", standalone_mode=False)
    except KeyboardInterrupt:
        _interrupted()
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__ or exc.__context__, KeyboardInterrupt):
            _interrupted()
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, not bad input
        verbose = "-v" in (argv or sys.argv) or "--verbose" in (argv or sys.argv)
        if verbose:
            import traceback

            traceback.print_exc()
        click.echo(f"reportgen: internal error: {type(exc).__name__}: {exc}\n"
                   "This is a bug in reportgen, not a problem with your inputs. Run again with --verbose "
                   "and report the output.", err=True)
        sys.exit(EXIT_INTERNAL)
    sys.exit(rv if isinstance(rv, int) else EXIT_OK)


def _interrupted() -> None:
    click.echo("reportgen: interrupted; the previous outputs are as they were", err=True)
    sys.exit(EXIT_INTERRUPTED)


def run() -> None:
    """The program: :func:`main`, then the process ends without tearing the interpreter down.

    A build of a large programme leaves hundreds of megabytes of objects (the inputs, four
    contexts, their figure maps) for the interpreter's exit to free one by one: 0.8 s of a
    17 s build of 10 000 projects, for nothing, as the process is about to end. Everything a
    command writes is written and closed when main returns (outputs are renamed into place,
    child processes waited for, temporary folders removed by their context managers), so only
    the standard streams are left to flush. In-process callers (tests, the API) call main or
    the library and keep the ordinary exit.
    """
    try:
        main()
        code: object = EXIT_OK
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = EXIT_OK
    elif not isinstance(code, int):
        print(code, file=sys.stderr)  # as the interpreter does with sys.exit("message")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (reportgen ... | head): nothing more to say
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
