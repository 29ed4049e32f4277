"""The command line: parse, call one function, print findings, choose the exit code.

Exit codes: 0 success (warnings allowed), 1 invalid input or failed build, 2 usage error,
3 internal error (a bug in reportgen: please report it).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from . import findings as fnd

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="reportgen")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail (and tracebacks of internal errors).")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """reportgen: the reports owed to Regeringskansliet under the Smart industri decision.

    \b
    Typical use:
      reportgen validate            check inputs/ against the schema and the decision's terms
      reportgen build               write the four deliverables to outputs/
      reportgen status              deadlines and what is built
    """
    ctx.obj = Printer(quiet, verbose)


@cli.command()
@inputs_option
@format_option
@today_option
@click.pass_obj
def validate(printer: Printer, inputs_dir: Path, fmt: str, today: dt.date | None) -> None:
    """Check the inputs against the schema and the decision's terms.

    Reports every problem with its place (file:line:col, or file:Sheet!Cell). Exit 0 when valid
    (warnings allowed), 1 when not.

    \b
    Example:
      reportgen validate --inputs inputs --format github
    """
    from .check import validate_inputs

    _, items = validate_inputs(inputs_dir, today or dt.date.today())
    printer.findings(items, fmt)
    if fmt == "text" and not printer.quiet:
        click.echo(f"{inputs_dir}: {fnd.summary_line(items)}", err=True)
    sys.exit(EXIT_INVALID if fnd.has_errors(items) else EXIT_OK)


@cli.command()
@inputs_option
@out_option
@today_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def status(printer: Printer, inputs_dir: Path, out_dir: Path, today: dt.date | None, fmt: str) -> None:
    """Deadlines of the deliverables and obligations, and what is built.

    \b
    Example:
      reportgen status --today 2019-04-15
    """
    from .check import validate_inputs
    from .status import compute_status, format_status

    inputs, items = validate_inputs(inputs_dir, today or dt.date.today())
    if inputs is None:
        printer.findings(items, "text")
        sys.exit(EXIT_INVALID)
    report = compute_status(inputs, out_dir, today or dt.date.today())
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
@format_option
@today_option
@click.pass_obj
def build(printer: Printer, ids: tuple[str, ...], inputs_dir: Path, out_dir: Path, template_dir: Path | None,
          fmt: str, today: dt.date | None) -> None:
    """Build the deliverables: <id>.docx and <id>.md for each.

    IDs are deliverable ids from decision.yaml (genomforandeplan-2018, delrapport-2019,
    delrapport-2020, slutredovisning-2021); all when none is given. The inputs are validated
    first; on any error nothing is written and the previous outputs stay as they were.

    \b
    Example:
      reportgen build delrapport-2019 --inputs inputs --out outputs
    """
    from .build import build as run_build

    result = run_build(inputs_dir, out_dir, list(ids) or None, template_dir, today or dt.date.today())
    printer.findings(result.findings, fmt)
    if not result.ok:
        if fmt == "text":
            click.echo(f"build failed: {fnd.summary_line(result.findings)}; nothing was written", err=True)
        sys.exit(EXIT_INVALID)
    if fmt == "text" and not printer.quiet:
        for path in result.written:
            click.echo(f"wrote {path}")
    sys.exit(EXIT_OK)


def main(argv: list[str] | None = None) -> None:
    try:
        cli.main(args=argv, prog_name="reportgen", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("reportgen: interrupted", err=True)
        sys.exit(130)
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


if __name__ == "__main__":  # pragma: no cover
    main()
