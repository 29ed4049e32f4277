"""Findings: every problem reportgen reports is a value, never an exception.

A finding has a stable code, a severity, a message saying what was expected and what was
found, the place in the inputs it concerns, and optionally a hint. Every stage of the
pipeline returns findings; only the CLI prints them and chooses the exit code.
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
        out: dict = {"code": self.code, "severity": self.severity.value, "message": self.message}
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
