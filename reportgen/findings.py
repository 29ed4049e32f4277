"""Findings: every problem reportgen reports is a value, never an exception.

A finding has a stable code, a severity, a message saying what was expected and what was
found, the place in the inputs it concerns, and optionally a hint. Every stage of the
pipeline returns findings; only the CLI prints them and chooses the exit code.

Every code any stage emits is listed once in :data:`CATALOGUE` with its family, a title and
its meaning (``reportgen docs findings`` writes docs/findings.md from it; a test scans the
source for codes that are not listed, and for listed codes that nothing emits). Codes are
part of the interface (CI scripts and annotations filter on them), so the three spellings that
grew up are kept rather than renamed, and the catalogue maps each to its family:

* ``SI`` + three digits: the decision's rules (family ``rule``), numbered by the decision's
  sections; never renumbered or reused.
* ``family-what`` (``yaml-duplicate-key``, ``a11y-lang``, ``template-syntax``) and the bare
  input codes of the model's value types (``date``, ``money``): inputs, templates, outputs.
* ``family.what`` (``markdown.unsupported``, ``docx.style-missing``, ``docx-read.unreadable``):
  the formats and the review.

A new code is spelt ``family-what`` in lower case and added to the catalogue.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

#: The most characters of a found value a message quotes. Messages go to CI logs and to
#: ``--format github`` annotations, which are public on a pull request: a value found in the
#: inputs (or in a file an input links to) is shown as a short excerpt, never whole.
EXCERPT_CHARS = 60


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """``value`` quoted for a message: at most ``limit`` characters (cut with "..."), control,
    format (bidi) and line-breaking characters written as escapes, so a message stays one line
    that shows what it says. Every message that quotes a found value uses this."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit and text.isprintable():
        return f"'{text}'"
    pieces = [c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text[: limit + 1]]
    if sum(map(len, pieces)) <= limit and len(text) <= limit:
        return f"'{''.join(pieces)}'"
    shown, used = [], 0
    for piece in pieces:  # whole escapes only, and at most ``limit`` characters with the "..."
        if used + len(piece) > limit - 3:
            break
        shown.append(piece)
        used += len(piece)
    return f"'{''.join(shown)}...'"


class Severity(str, Enum):
    """An error makes validate exit 1 and stops a build; a warning is reported and allowed."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """A place in the inputs: a YAML position, an Excel cell, or just a file.

    ``file`` is the path as the user should see it (relative to the working directory
    when possible). ``line`` and ``column`` are 1-based.
    """

    file: str
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.sheet is not None:
            return f"{self.file}:{self.sheet}!{self.cell}" if self.cell else f"{self.file}:{self.sheet}"
        if self.line is not None:
            return f"{self.file}:{self.line}:{self.column or 1}"
        return self.file

    def sort_key(self) -> tuple:
        row, col = _cell_row_col(self.cell) if self.cell else (0, 0)
        return (self.file, self.sheet or "", self.line or 0, self.column or 0, row, col)

    def as_dict(self) -> dict:
        out: dict = {"file": self.file}
        if self.sheet is not None:
            out["sheet"] = self.sheet
            if self.cell:
                out["cell"] = self.cell
        if self.line is not None:
            out["line"] = self.line
            out["column"] = self.column or 1
        return out


def _cell_row_col(cell: str) -> tuple[int, int]:
    letters = "".join(c for c in cell if c.isalpha())
    digits = "".join(c for c in cell if c.isdecimal())
    col = 0
    for c in letters.upper():
        col = col * 26 + (ord(c) - 64)
    return (int(digits) if digits else 0, col)


@dataclass(frozen=True)
class Finding:
    """One problem: its code (see :data:`CATALOGUE`), severity, message, place and hint."""

    code: str
    severity: Severity
    message: str
    where: Location | None = None
    hint: str | None = None
    # Further places that the same finding concerns (e.g. the cost rows behind a cap breach).
    related: tuple[Location, ...] = field(default=())
    # For warnings that the deliverables report to the government: the same fact in Swedish.
    report_text: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        loc = self.where.sort_key() if self.where else ("~",)
        return (loc, self.code, self.message)

    def format_text(self) -> str:
        place = f"{self.where}: " if self.where else ""
        lines = [f"{place}{self.severity.value}: {self.message} [{self.code}]"]
        for rel in self.related:
            lines.append(f"  see {rel}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        out: dict = {"code": self.code, "family": family_of(self.code), "severity": self.severity.value,
                     "message": self.message}
        if self.where:
            out.update(self.where.as_dict())
        if self.hint:
            out["hint"] = self.hint
        if self.related:
            out["related"] = [r.as_dict() for r in self.related]
        return out

    def format_github(self) -> str:
        # Workflow commands need %, CR and LF escaped in the message and , : in properties.
        def esc_data(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(s: str) -> str:
            return esc_data(s).replace(":", "%3A").replace(",", "%2C")

        props = []
        if self.where:
            props.append(f"file={esc_prop(self.where.file)}")
            if self.where.line is not None:
                props.append(f"line={self.where.line}")
                props.append(f"col={self.where.column or 1}")
        props.append(f"title={esc_prop(self.code)}")
        msg = self.message
        if self.where and self.where.sheet is not None:
            msg = f"{self.where}: {msg}"
        if self.hint:
            msg += f" (hint: {self.hint})"
        return f"::{self.severity.value} {','.join(props)}::{esc_data(msg)}"


def error(code: str, message: str, where: Location | None = None, hint: str | None = None,
          related: Iterable[Location] = ()) -> Finding:
    return Finding(code, Severity.ERROR, message, where, hint, tuple(related))


def warning(code: str, message: str, where: Location | None = None, hint: str | None = None,
            related: Iterable[Location] = (), report_text: str | None = None) -> Finding:
    return Finding(code, Severity.WARNING, message, where, hint, tuple(related), report_text)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    # Deduplicate: two stages may notice the same fact at the same place.
    unique = {(f.code, f.where, f.message): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)


def render(findings: Iterable[Finding], fmt: str) -> str:
    items = sort_findings(findings)
    if fmt == "json":
        return json.dumps([f.as_dict() for f in items], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(f.format_github() for f in items)
    return "\n".join(f.format_text() for f in items)


def summary_line(findings: Iterable[Finding]) -> str:
    items = list(findings)
    n_err = sum(1 for f in items if f.is_error)
    n_warn = len(items) - n_err
    return f"{n_err} error{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''}"


# --- the catalogue of codes ----------------------------------------------------------------------

FAMILIES = {
    "input": "reading decision.yaml, programme.yaml and finances.xlsx into the model",
    "rule": "the decision's terms, judged on inputs that loaded (docs/rules.md)",
    "template": "rendering the templates, and `templates check`",
    "markdown": "the Markdown the templates produced, read into the document tree",
    "docx": "writing the Word documents (`docx.*`) and reading them back (`docx-read.*`)",
    "a11y": "the accessibility check of Word documents (`check-docx`, every build)",
    "pdf": "the tagged PDFs of `build --pdf` (LibreOffice)",
    "review": "comparing two builds (`diff`)",
    "output": "the build and its output folder",
}


@dataclass(frozen=True)
class Code:
    """One finding code: its family (a key of :data:`FAMILIES`), a title and what it means."""

    code: str
    family: str
    title: str
    meaning: str


def _catalogue(*rows: tuple[str, str, str, str]) -> dict[str, Code]:
    out = {}
    for code, family, title, meaning in rows:
        assert code not in out and family in FAMILIES, code
        out[code] = Code(code, family, title, meaning)
    return out


CATALOGUE: dict[str, Code] = _catalogue(
    # inputs: the files
    ("inputs-missing", "input", "inputs folder missing", "the folder given as --inputs does not exist or is not a folder"),
    ("file-missing", "input", "file missing", "a required input file is not in the inputs folder"),
    ("file-empty", "input", "file empty", "an input file is empty (or a YAML file holds only comments)"),
    ("file-type", "input", "not a file of the expected kind", "a folder, device or other kind of file stands where an input file belongs"),
    ("file-unreadable", "input", "file unreadable", "the operating system refused to read an input file"),
    ("file-encoding", "input", "not UTF-8", "a YAML file is not UTF-8 text"),
    ("file-too-large", "input", "file too large", "an input file is larger than reportgen reads"),
    ("file-outside", "input", "file links outside its folder", "an input (or base.docx) is a symbolic link to a file outside its folder; it is not read"),
    # inputs: YAML
    ("yaml-syntax", "input", "YAML syntax error", "the YAML parser could not read the file at this place"),
    ("yaml-character", "input", "control character in YAML", "a control character that YAML does not allow is in the text"),
    ("yaml-root", "input", "not a mapping at the top", "the file is a list or a single value, not `key: value` lines"),
    ("yaml-duplicate-key", "input", "duplicate key", "a key appears twice in one mapping; YAML would silently keep the last"),
    ("yaml-key-type", "input", "key not text", "a list or mapping is used as a key"),
    ("yaml-merge-key", "input", "merge key", "a `<<` merge key, which reportgen does not support"),
    ("yaml-tag", "input", "unsupported tag", "an explicit YAML tag (`!!python/...`, `!custom`) that reportgen does not read"),
    ("yaml-bool", "input", "not a yes/no value", "an explicit `!!bool` on text that is not true or false"),
    ("yaml-number", "input", "not a whole number", "an explicit `!!int` on text that is not a whole number"),
    ("yaml-too-deep", "input", "nested too deeply", "the document nests lists and mappings deeper than reportgen reads"),
    ("yaml-too-large", "input", "too many values", "aliases expand the document beyond the number of values reportgen reads"),
    # inputs: Excel
    ("xlsx-format", "input", "not an .xlsx workbook", "finances.xlsx is an old .xls, or not a workbook at all"),
    ("xlsx-unsafe", "input", "workbook refused", "the workbook is damaged or built to exhaust memory (a zip bomb), and is refused"),
    ("xlsx-missing-sheet", "input", "sheet missing", "a required sheet of finances.xlsx is missing"),
    ("xlsx-empty-sheet", "input", "sheet without a header row", "a sheet has no header row"),
    ("xlsx-too-many-rows", "input", "too many rows", "a sheet has more rows than reportgen reads"),
    ("xlsx-missing-column", "input", "column missing", "a required column is not in the sheet's header row"),
    ("xlsx-duplicate-column", "input", "column twice", "two columns of a sheet have the same header"),
    ("xlsx-unknown-column", "input", "unknown column", "a column reportgen does not know; its values are ignored"),
    ("xlsx-cell-error", "input", "error value in a cell", "a cell holds an Excel error value such as #DIV/0! or #REF!"),
    ("xlsx-formula-uncached", "input", "formula never calculated", "a formula without a stored result (the workbook was not saved by Excel)"),
    ("xlsx-date-serial", "input", "number read as a date", "a number in a date column, read as an Excel date serial"),
    ("missing-value", "input", "empty cell", "a required cell of a row is empty"),
    ("text-control-character", "input", "control character removed", "a text held a control character, which is removed"),
    # inputs: the model's values
    ("missing-field", "input", "field missing", "a required field of the YAML is missing"),
    ("unknown-field", "input", "unknown field", "a field the model does not have (often a misspelt name)"),
    ("type", "input", "wrong kind of value", "a value of the wrong kind: text for a number, a list for a mapping, ..."),
    ("date", "input", "not a date", "a value that is not a date written as YYYY-MM-DD (or a date cell)"),
    ("date-impossible", "input", "no such day", "a date that does not exist, such as 2019-02-30"),
    ("money", "input", "not an amount", "a value that is not an amount in kronor with at most two decimals"),
    ("money-negative", "input", "negative amount", "an amount below zero where only zero or more is allowed"),
    ("unknown-value", "input", "not one of the choices", "a value outside the field's list of choices"),
    ("unknown-county", "input", "not a county code", "a county that is not a länskod 01-25"),
    ("text-too-long", "input", "text too long", "a text longer than the field allows"),
    # inputs: references between the files
    ("duplicate-id", "input", "id used twice", "two projects, deliverables or other records share an id"),
    ("unknown-project", "input", "unknown project", "a row of finances.xlsx names a project that programme.yaml does not have"),
    ("unknown-reference", "input", "unknown reference", "a reference to a deliverable, text or focus area that does not exist"),
    ("frame-missing", "input", "frame missing", "a year of the decision's period has no frame"),
    ("period", "input", "period inconsistent", "a period (or an amendment's new end) that ends before it starts"),
    ("year-outside-period", "input", "year outside the period", "a year outside the decision's period"),
    # the decision's rules (docs/rules.md)
    ("SI101", "rule", "programme costs above the year's cap", "programme-related costs above the cap (5 %) of the year's requisitioned funds"),
    ("SI102", "rule", "programme costs above the total cap", "programme-related costs above the cap (5 %) of all requisitioned funds"),
    ("SI103", "rule", "planned programme costs above the cap", "planned programme-related costs above the cap (5 %) of the year's frame"),
    ("SI104", "rule", "plan above the frame", "a planned budget above the year's frame"),
    ("SI201", "rule", "requisition late", "a requisition after the deadline (30 May) of its year"),
    ("SI202", "rule", "requisitions above the frame", "requisitions of a year above that year's frame"),
    ("SI203", "rule", "requisition without the diarienummer", "a requisition that does not cite the decision's diarienummer"),
    ("SI204", "rule", "requisition in another year", "a requisition dated in another year than the one it is for"),
    ("SI301", "rule", "grants beyond the funds", "grants beyond the funds requisitioned so far"),
    ("SI302", "rule", "payments beyond the funds", "disbursements and costs beyond the funds requisitioned so far"),
    ("SI303", "rule", "disbursements beyond the grant", "disbursements to a project beyond its grants"),
    ("SI304", "rule", "recoveries beyond what was paid", "recoveries from a project beyond what was paid to it"),
    ("SI305", "rule", "recovery before any payment", "a recovery dated before any payment to its project"),
    ("SI401", "rule", "no focus area", "a project with no focus area"),
    ("SI402", "rule", "unknown focus area", "a project focus area outside the decision's four"),
    ("SI501", "rule", "owner not anchored", "an owner that is not a regional development actor, with no anchoring stated"),
    ("SI502", "rule", "not mainly regional", "less than half of the grants to regional development actors"),
    ("SI601", "rule", "repayment late", "a repayment after the deadline (1 March 2021)"),
    ("SI602", "rule", "repayment to another bankgiro", "a repayment to another bankgiro than the decision's"),
    ("SI603", "rule", "repayment without the diarienummer", "a repayment that does not cite the decision's diarienummer"),
    ("SI604", "rule", "repayments not the unspent funds", "repayments that do not equal the unspent funds (recoveries included)"),
    ("SI605", "rule", "unspent funds not repaid", "unspent funds not (yet) repaid"),
    ("SI701", "rule", "disbursement outside the project", "a disbursement outside its project's period"),
    ("SI801", "rule", "deliverable incomplete", "a deliverable whose data is incomplete"),
    # templates
    ("template-missing", "template", "template missing", "a deliverable's template (or one it includes) is not in the templates folder"),
    ("template-syntax", "template", "template syntax error", "Jinja cannot parse the template"),
    ("template-undefined", "template", "undefined variable", "the template used a variable or field the context does not have"),
    ("template-unsafe", "template", "forbidden in the sandbox", "the template tried something the sandbox forbids (private attributes, methods)"),
    ("template-value", "template", "value not for the template", "a filter was given a value it cannot format"),
    ("template-error", "template", "template failed", "the template raised an error while rendering"),
    ("template-outside", "template", "template links outside its folder", "a template is a symbolic link to a file outside the templates folder, or not a regular file; it is not read"),
    ("template-budget", "template", "render budget exceeded", "the template ran past its time budget (REPORTGEN_RENDER_SECONDS), nested macros too deeply, recursed or ran out of memory"),
    ("chart-style", "template", "chart style invalid", "diagram.yaml beside the templates has a key or value the chart style does not take"),
    ("template-context", "template", "no context to check against", "`templates check` could not build the contexts: the inputs have errors"),
    ("template-unknown-variable", "template", "unknown variable", "`templates check`: a variable path the context does not provide"),
    ("template-unknown-macro", "template", "unknown macro or template", "`templates check`: an imported or included template or macro that does not exist"),
    ("template-unknown-filter", "template", "unknown filter or test", "`templates check`: a filter or test the environment does not have"),
    # the Markdown the templates produced
    ("markdown.unsupported", "markdown", "unsupported Markdown", "a construct the document tree has no place for; its text is kept"),
    ("markdown.heading-depth", "markdown", "heading too deep", "a heading deeper than level 4, written as level 4"),
    ("markdown.attrs-ignored", "markdown", "attributes ignored", "`{...}` attributes on something other than a table"),
    ("markdown.attrs-malformed", "markdown", "attributes malformed", "a `{...}` line that does not parse as attributes"),
    ("markdown.figure-alt", "markdown", "figure without alternative text", "an image alone in a paragraph with no alternative text"),
    ("markdown.totals-empty", "markdown", "totals row missing", "a table marked `.totals` with no row to be the totals row"),
    ("markdown.chart-data", "markdown", "chart data without its chart", "a table marked `.chart` that does not follow a figure, or has a totals row; read as an ordinary table"),
    ("markdown.internal", "markdown", "Markdown reader failed", "a bug in reportgen's Markdown reader"),
    # Word documents: writing
    ("docx.base-unreadable", "docx", "base.docx unreadable", "the base Word template cannot be read"),
    ("docx.body-missing", "docx", "no {{ body }}", "the base template has no `{{ body }}` paragraph"),
    ("docx.body-ambiguous", "docx", "{{ body }} twice", "the base template has more than one `{{ body }}` paragraph"),
    ("docx.body-misplaced", "docx", "{{ body }} not alone", "`{{ body }}` is not alone in a paragraph of the main document"),
    ("docx.unknown-placeholder", "docx", "unknown placeholder", "a `{{ name }}` in the base template that reportgen does not fill"),
    ("docx.placeholder-malformed", "docx", "malformed placeholder", "text in the base template that looks like a placeholder but is not one"),
    ("docx.style-missing", "docx", "style missing", "the base template lacks a style the report uses; plain formatting instead"),
    ("docx.image-missing", "docx", "image missing", "a figure's image file does not exist"),
    ("docx.image-unreadable", "docx", "image unreadable", "a figure's image is not a PNG or JPEG that can be read"),
    ("docx.chart-data", "docx", "chart data unusable", "a chart's data table is not numbers in one unit, so no native chart can be drawn from it"),
    # Word documents: reading
    ("docx-read.unreadable", "docx", "Word document unreadable", "the file is not a .docx that can be read"),
    ("docx-read.tracked-changes", "docx", "tracked changes", "the document holds tracked changes; the text read is as if they were accepted"),
    ("docx-read.nested-table", "docx", "table in a table", "a table inside a table cell; only its text is kept"),
    ("docx-read.chart", "docx", "chart unreadable", "a native chart's part or embedded data cannot be read; its caption and alt text are kept"),
    # accessibility
    ("a11y-unreadable", "a11y", "not a readable .docx", "the file is missing, a folder, or not a .docx"),
    ("a11y-lang", "a11y", "document language", "the document language is not set, or is not the one asked for"),
    ("a11y-title", "a11y", "document title", "no title in the document properties"),
    ("a11y-chart-caption", "a11y", "chart caption", "a native chart has no numbered caption right after it"),
    ("a11y-heading-order", "a11y", "heading order", "headings do not start at level 1 or skip a level"),
    ("a11y-table-header", "a11y", "table header row", "a table without a header row marked to repeat"),
    ("a11y-merged-header", "a11y", "merged header cells", "a table's header row has merged cells"),
    ("a11y-alt-text", "a11y", "alternative text", "a picture without alternative text"),
    ("a11y-fake-list", "a11y", "typed list", "a paragraph that starts with a typed bullet or number instead of being a list"),
    ("a11y-empty-paragraph", "a11y", "empty paragraphs for spacing", "empty paragraphs used for spacing"),
    # PDF
    ("pdf-soffice-missing", "pdf", "LibreOffice missing", "--pdf needs LibreOffice, which cannot be found or started"),
    ("pdf-timeout", "pdf", "conversion too slow", "LibreOffice did not finish converting in time"),
    ("pdf-conversion-failed", "pdf", "conversion failed", "LibreOffice did not write a PDF"),
    ("pdf-untagged", "pdf", "PDF not accessible", "the PDF LibreOffice made is not tagged or lacks language or title"),
    # review
    ("diff.unreadable", "review", "draft unreadable", "a Markdown draft to compare cannot be read"),
    # review: edits pulled back from Word (pull-edits)
    ("pull-edits.unreadable", "review", "edited document unreadable", "the edited .docx given to pull-edits cannot be read"),
    ("pull-edits.not-built", "review", "not a reportgen document", "the document carries no record of the deliverable it was built as"),
    ("pull-edits.unknown-deliverable", "review", "unknown deliverable", "the document names a deliverable that decision.yaml does not have"),
    ("pull-edits.other-inputs", "review", "built from other inputs", "the document was built from other inputs than the current ones; only texts unchanged since are applied"),
    ("pull-edits.unknown-place", "review", "unknown place", "a text is marked as coming from a place that programme.yaml does not have"),
    ("pull-edits.gone", "review", "source gone", "an edited text comes from a place that programme.yaml no longer holds as text"),
    ("pull-edits.emptied", "review", "text deleted", "a text from the inputs was deleted in the document; empty it in programme.yaml instead"),
    ("pull-edits.conflict", "review", "edited on both sides", "a text was edited in the document and changed in programme.yaml since the build"),
    ("pull-edits.yaml", "review", "cannot write programme.yaml", "the edited text cannot be written back at its place in programme.yaml"),
    ("pull-edits.unmarked", "review", "text no longer marked", "a text from the inputs lost its marks in the document (a copy or a program dropped them); it is left as it is"),
    ("pull-edits.generated", "review", "edit in generated content", "a table, figure or sentence the templates made was edited: change the inputs or the template instead"),
    # the build and its output folder
    ("unknown-deliverable", "output", "unknown deliverable", "`build ID`: the id is not a deliverable of decision.yaml"),
    ("figure-path", "output", "image outside the figures", "a template shows an image that is not one of the charts reportgen draws"),
    ("figure-missing", "output", "chart not drawn", "a template shows a chart that is not drawn for this deliverable"),
    ("link-target", "output", "link target refused", "a link goes somewhere other than http(s) with a host, mailto or a #bookmark (a path, file:, smb:, javascript:...)"),
    ("output-folder", "output", "output folder misplaced", "the output folder is, or holds, the inputs or templates folder"),
    ("output-locked", "output", "output folder busy", "another build held the output folder's lock for too long"),
    ("output-write", "output", "cannot write the outputs", "the outputs could not be written (disk full, permissions)"),
    ("output-special-file", "output", "pipe, socket or device in the output folder", "the output folder holds something the build cannot carry into the new folder"),
    ("build-worker", "output", "worker process died", "a process rendering deliverables stopped unexpectedly"),
)


def family_of(code: str) -> str:
    """The family of a code (``"input"``, ``"rule"``, ...; ``"unknown"`` for a code not catalogued)."""
    entry = CATALOGUE.get(code)
    return entry.family if entry is not None else "unknown"


def findings_reference() -> str:
    """docs/findings.md: every code, by family, generated from :data:`CATALOGUE`."""
    lines = [
        "# Finding codes",
        "",
        "<!-- Generated by `reportgen docs findings --out docs/findings.md` from reportgen/findings.py: do not edit. -->",
        "",
        "Every problem reportgen reports has a stable code, printed in brackets at the end of the line",
        "(`inputs/programme.yaml:41:7: error: ... [date]`), as the title of a GitHub annotation",
        "(`--format github`), and as `code` with its `family` in `--format json`. CI scripts may filter on",
        "them: codes are never renamed or reused.",
        "",
        "Three spellings grew up and are kept: `SI` + three digits for the decision's rules",
        "([rules.md](rules.md)); `family-what` for the inputs, templates, accessibility, PDF and output",
        "(with the bare codes of the inputs' value types: `date`, `money`, `type`...); `family.what` for",
        "the Markdown and Word formats and the review. The family says which stage found the problem.",
        "",
        "| family | what |",
        "|---|---|",
    ]
    lines += [f"| {family} | {what} |" for family, what in FAMILIES.items()]
    for family in FAMILIES:
        lines += ["", f"## {family}", "", "| code | title | meaning |", "|---|---|---|"]
        lines += [f"| `{c.code}` | {c.title} | {c.meaning} |" for c in CATALOGUE.values() if c.family == family]
    return "\n".join(lines) + "\n"
