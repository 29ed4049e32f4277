"""Read sheets of an .xlsx workbook as tables of raw cell values, each with its cell address.

Nothing here knows about the domain: callers say which headers a sheet has. Columns are found
by header name in any order; blank rows are skipped; unknown headers are warned about. The
workbook is checked before it is parsed (not a zip, legacy .xls, zip bombs, parts declaring a DTD
or entities), values are read by python-calamine (a Rust parser that expands no entities), and the
second look at formulas and error cells goes through openpyxl with defusedxml, so hostile files
are harmless.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
import warnings
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.findings import Finding, Location, error, warning

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 150
MAX_ROWS = 200_000
# What a cell shows when its formula failed (and what openpyxl reads for a date cell that holds no date).
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = True


class Sheet:
    """What the rows of one sheet share: where they are and which column holds each key.

    ``texts`` holds every distinct text among the rows' values, so that equal texts are one object
    (a project id is in many rows).
    """

    __slots__ = ("file", "letters", "name", "texts")

    def __init__(self, file: str, name: str, letters: dict[str, str]):
        self.file = file
        self.name = name
        self.letters = letters  # column letter by key, in the order of the header row
        self.texts: dict[str, str] = {}


class Row:
    """A data row: the values of its non-empty cells by key; places are made only when asked for.

    A large sheet has hundreds of thousands of cells: an object for each, or a place made for each
    in advance, would cost more than reading the values.
    """

    __slots__ = ("formulas", "number", "sheet", "values")

    def __init__(self, sheet: Sheet, number: int, values: dict[str, Any]):
        self.sheet = sheet
        self.number = number
        self.values = values  # in the order of the header row; empty cells are left out
        # The keys whose cell holds a formula whose result was never calculated and saved.
        self.formulas: set[str] | None = None

    @property
    def keys(self) -> dict[str, str]:
        """Every column of the row, empty cells too (in header order)."""
        return self.sheet.letters

    @property
    def where(self) -> Location:
        return Location(self.sheet.file, sheet=self.sheet.name, cell=f"A{self.number}")

    def value(self, key: str) -> Any:
        return self.values.get(key)

    def where_of(self, key: str) -> Location:
        letter = self.sheet.letters.get(key)
        if letter is None:
            return self.where
        return Location(self.sheet.file, sheet=self.sheet.name, cell=f"{letter}{self.number}")

    def places(self) -> RowPlaces:
        return RowPlaces(self.sheet, self.number)


class RowPlaces(Mapping):
    """The places of a row's cells by column key, made on demand; ``row`` is the row's own place.

    It does not hold on to the row's values, so they are freed once the records are made.
    """

    __slots__ = ("_number", "_sheet")

    def __init__(self, sheet: Sheet, number: int):
        self._sheet = sheet
        self._number = number

    def __getitem__(self, key: str) -> Location:
        return Location(self._sheet.file, sheet=self._sheet.name, cell=f"{self._sheet.letters[key]}{self._number}")

    def __contains__(self, key: object) -> bool:
        return key in self._sheet.letters

    def __iter__(self):
        return iter(self._sheet.letters)

    def __len__(self) -> int:
        return len(self._sheet.letters)

    @property
    def row(self) -> Location:
        return Location(self._sheet.file, sheet=self._sheet.name, cell=f"A{self._number}")

    @property
    def sheet(self) -> Sheet:
        return self._sheet

    @property
    def number(self) -> int:
        return self._number


def normalize_header(text: Any) -> str:
    s = unicodedata.normalize("NFC", str(text)).casefold()
    return "".join(s.split())


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Workbook:
    """An opened workbook; use :meth:`open`."""

    def __init__(self, path: Path, file: str, book: Any):
        self.path = path
        self.file = file
        self._book = book
        self._formula_cells: dict[str, set[tuple[int, int]]] | None = None
        self._error_cells: dict[tuple[str, int, int], str] = {}

    @property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    @classmethod
    def open(cls, path: Path, display: str | None = None) -> tuple[Workbook | None, list[Finding]]:
        file = display or str(path)
        where = Location(file)
        if not path.exists():
            return None, [error("file-missing", "the file does not exist", where)]
        if not path.is_file():  # a folder, a pipe or a device: zipfile would fail or wait forever
            kind = "a folder" if path.is_dir() else "something that is not a regular file (a pipe or a device)"
            return None, [error("file-type", f"expected an Excel workbook (.xlsx), found {kind}", where,
                                hint="put the workbook itself here")]
        if path.stat().st_size == 0:
            return None, [error("file-empty", "the file is empty; expected an Excel workbook (.xlsx)", where)]
        with path.open("rb") as fh:
            magic = fh.read(8)
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            return None, [error("xlsx-format", "the file is an old Excel 97-2003 workbook (.xls), not .xlsx", where,
                                hint="open it in Excel or LibreOffice and save it as .xlsx")]
        if not zipfile.is_zipfile(path):
            return None, [error("xlsx-format", "the file is not an Excel workbook (.xlsx is a zip archive; this is not)",
                                where, hint="save the workbook from Excel or LibreOffice as .xlsx")]
        problem = _zip_problem(path)
        if problem:
            return None, [error("xlsx-unsafe", problem, where,
                                hint="the file is refused to protect the machine; save a fresh copy from Excel")]
        missing = _missing_parts(path)
        if missing:
            return None, [error("xlsx-format", f"the file is a zip archive but not an Excel workbook (it has no "
                                f"{' and no '.join(missing)})", where,
                                hint="save the workbook from Excel or LibreOffice as .xlsx")]
        dtd = _dtd_part(path)
        if dtd:
            return None, [error("xlsx-unsafe", f"the workbook's XML ({dtd}) declares entities or a DTD, which is "
                                "refused (an entity bomb?)", where,
                                hint="save a fresh copy of the workbook from Excel or LibreOffice")]
        try:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # noqa: BLE001 - any parser failure is a finding about this file
            return None, [_open_failure(exc, where)]
        return cls(path, file, book), []

    def close(self) -> None:
        close = getattr(self._book, "close", None)
        if close:
            close()

    def read(self, sheet: str, columns: list[Column], required: bool = True) -> tuple[list[Row], list[Finding]]:
        """The data rows of ``sheet`` with the given columns. A missing optional sheet gives no rows."""
        findings: list[Finding] = []
        if sheet not in self.sheet_names:
            by_norm = {normalize_header(n): n for n in self.sheet_names}
            actual = by_norm.get(normalize_header(sheet))
            if actual is None:
                if required:
                    close = difflib.get_close_matches(sheet, self.sheet_names, n=1, cutoff=0.6)
                    hint = f"did you mean '{close[0]}'? Rename that sheet to '{sheet}'" if close else \
                        f"add a sheet named '{sheet}'; the workbook has: {', '.join(self.sheet_names)}"
                    findings.append(error("xlsx-missing-sheet", f"expected a sheet named '{sheet}'; there is none",
                                          Location(self.file), hint=hint))
                return [], findings
            sheet = actual
        with warnings.catch_warnings():
            # openpyxl warns of a date cell whose number is no date (and reads '#VALUE!'): a finding says so.
            warnings.simplefilter("ignore")
            try:
                raw_rows = iter(self._sheet_values(sheet))
                header = next(raw_rows, None)
                if header is None or all(_is_blank(v) for v in header):
                    findings.append(error("xlsx-empty-sheet", f"the sheet is empty; expected a header row with: "
                                          f"{', '.join(c.header for c in columns)}", Location(self.file, sheet=sheet, cell="A1")))
                    return [], findings
                col_index, header_findings = self._match_headers(sheet, header, columns)
                shared = Sheet(self.file, sheet, {key: _column_letter(idx + 1) for key, idx in col_index.items()})
                columns_at = list(col_index.items())
                findings += header_findings
                rows: list[Row] = []
                # One object for equal texts and dates: a project id is in many rows, a day in many
                # payments, and each cell is read as an object of its own.
                texts = shared.texts
                days: dict[dt.date, dt.date] = {}
                for number, values in enumerate(raw_rows, start=2):
                    if number > MAX_ROWS:
                        findings.append(error("xlsx-too-many-rows", f"the sheet has more than {MAX_ROWS} rows",
                                              Location(self.file, sheet=sheet, cell=f"A{number}")))
                        break
                    for value in values:  # skip a blank row (None, "" or spaces only in every cell)
                        if value is not None and not (isinstance(value, str) and not value.strip()):
                            break
                    else:
                        continue
                    width = len(values)
                    data: dict[str, Any] = {}
                    for key, idx in columns_at:
                        value = values[idx] if idx < width else None
                        kind = value.__class__
                        if kind is float:
                            if value.is_integer() and abs(value) < 2 ** 53:
                                value = int(value)  # as typed: 300000, not 300000.0
                        elif kind is dt.date:
                            value = days.setdefault(value, value)
                        elif isinstance(value, str):
                            value = value.strip() or None
                            if value is not None:
                                value = texts.setdefault(value, value)
                        elif isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
                            value = int(value)
                        if value is not None:
                            data[key] = value
                    rows.append(Row(shared, number, data))
            except Exception as exc:  # noqa: BLE001 - a corrupt sheet part is a finding, not a crash
                findings.append(_open_failure(exc, Location(self.file, sheet=sheet)))
                return [], findings
        self._mark_uncalculated_formulas(sheet, rows, {c.key for c in columns if c.required})
        return rows, findings

    def _sheet_values(self, sheet: str) -> list:
        """All rows of ``sheet`` from A1 on, empty cells as "" or None.

        python-calamine reads values about 30 times faster than openpyxl (0.4 s against 13 s for
        90 000 rows). Where it gives up on a cell (it panics on a date far outside the calendar),
        the sheet is read again with openpyxl, which reports such a cell as an error value.
        """
        try:
            return self._book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit, MemoryError)):
                raise
        import openpyxl

        book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        try:
            return [list(row) for row in book[sheet].iter_rows(values_only=True)]
        finally:
            book.close()

    def _match_headers(self, sheet: str, header: tuple, columns: list[Column]) -> tuple[dict[str, int], list[Finding]]:
        findings: list[Finding] = []
        wanted = {normalize_header(c.header): c for c in columns}
        found: dict[str, int] = {}
        unknown: list[tuple[int, str]] = []
        for idx, text in enumerate(header):
            if _is_blank(text):
                continue
            col = wanted.get(normalize_header(text))
            if col is None:
                unknown.append((idx, str(text)))
            elif col.key in found:
                findings.append(error("xlsx-duplicate-column", f"the column '{col.header}' appears twice",
                                      Location(self.file, sheet=sheet, cell=f"{_column_letter(idx + 1)}1"),
                                      hint="delete or rename one of the two columns"))
            else:
                found[col.key] = idx
        missing = [c for c in columns if c.key not in found]
        unused_unknown = list(unknown)
        # An empty header cell between headers: most often two header cells merged into one.
        gaps = [idx for idx, text in enumerate(header)
                if _is_blank(text) and any(not _is_blank(t) for t in header[idx + 1:])]
        for col in missing:
            names = [t for _, t in unused_unknown]
            close = difflib.get_close_matches(col.header, names, n=1, cutoff=0.6)
            hint = None
            where = Location(self.file, sheet=sheet, cell="A1")
            if close:
                hint = f"the column '{close[0]}' looks like it; rename its header to '{col.header}'"
            elif gaps:
                cell = f"{_column_letter(gaps[0] + 1)}1"
                where = Location(self.file, sheet=sheet, cell=cell)
                hint = (f"the header cell {cell} is empty (merged with the cell beside it?); unmerge the header "
                        f"cells and give each column its own header")
            if col.required:
                findings.append(error(
                    "xlsx-missing-column",
                    f"expected a column with the header '{col.header}'; the header row has "
                    f"{', '.join(repr(str(h)) for h in header if not _is_blank(h)) or 'no headers'}",
                    where, hint=hint))
        for idx, text in unknown:
            findings.append(warning(
                "xlsx-unknown-column",
                f"the column '{text}' is not one reportgen reads; its values are ignored",
                Location(self.file, sheet=sheet, cell=f"{_column_letter(idx + 1)}1"),
                hint=f"the columns of this sheet are: {', '.join(c.header for c in columns)}"))
        return found, findings

    def _mark_uncalculated_formulas(self, sheet: str, rows: list[Row], required: set[str]) -> None:
        # A formula saved by openpyxl (or another generator) has no cached result, and an error
        # cell (#DIV/0!) has no value: both read as empty. Only when a required cell is empty is
        # the workbook opened a second time, with openpyxl, to tell "empty" from those two.
        # A row whose every column has a value has no empty cell to look at (most rows).
        width = len(rows[0].keys) if rows else 0
        suspects = [(r, k) for r in rows if len(r.values) < width for k in r.keys if k in required and k not in r.values]
        if not suspects:
            return
        formulas = self._formulas(sheet)
        for row, key in suspects:
            col = _column_number(row.keys[key])
            if (sheet, row.number, col) in self._error_cells:
                row.values[key] = self._error_cells[(sheet, row.number, col)]
                row.values = {k: row.values[k] for k in row.keys if k in row.values}  # back in header order
            elif (row.number, col) in formulas:
                if row.formulas is None:
                    row.formulas = set()
                row.formulas.add(key)

    def _formulas(self, sheet: str) -> set[tuple[int, int]]:
        if self._formula_cells is None:
            self._formula_cells = {}
        if sheet not in self._formula_cells:
            import openpyxl

            cells: set[tuple[int, int]] = set()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = openpyxl.load_workbook(self.path, read_only=True, data_only=False)
            try:
                for r_idx, row in enumerate(book[sheet].iter_rows(values_only=True), start=1):
                    for c_idx, value in enumerate(row, start=1):
                        if isinstance(value, str) and (value.startswith("=") or value in EXCEL_ERRORS):
                            cells.add((r_idx, c_idx))
                            if value in EXCEL_ERRORS:
                                self._error_cells[(sheet, r_idx, c_idx)] = value
            finally:
                book.close()
            self._formula_cells[sheet] = cells
        return self._formula_cells[sheet]


def _column_letter(number: int) -> str:
    """The letters of the 1-based column ``number`` (28 -> 'AB'), as openpyxl's get_column_letter.

    Importing openpyxl takes half a second; reading a workbook that has no formula to check
    does not need it.
    """
    if not 1 <= number <= 18278:
        raise ValueError(f"Invalid column index {number}")
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _column_number(letters: str) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    return col


def _zip_problem(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                if info.file_size > 10 * 1024 * 1024 and info.compress_size and \
                        info.file_size / info.compress_size > MAX_COMPRESSION_RATIO:
                    return (f"the part '{info.filename}' expands {info.file_size // info.compress_size}-fold "
                            f"to {info.file_size} bytes (a zip bomb?)")
            if total > MAX_UNCOMPRESSED_BYTES:
                return f"the workbook expands to {total} bytes; at most {MAX_UNCOMPRESSED_BYTES} are read"
    except zipfile.BadZipFile as exc:
        return f"the zip archive is damaged: {exc}"
    return None


def _dtd_part(path: Path) -> str | None:
    """The first XML part that declares a DTD or entities (refused: entity bombs live there)."""
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                with zf.open(info) as fh:
                    # A DTD can only stand before the root element, at the start of the part.
                    head = fh.read(64 * 1024)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    return info.filename
    except (zipfile.BadZipFile, OSError):
        return None
    return None


def _missing_parts(path: Path) -> list[str]:
    """The parts every workbook has that this zip archive lacks (a zip that is not a workbook)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        return []
    return [part for part in ("[Content_Types].xml", "xl/workbook.xml") if part not in names]


def _open_failure(exc: Exception, where: Location) -> Finding:
    # openpyxl wraps what went wrong ("Unable to read workbook ..."): defusedxml's refusal may be the cause.
    cause: BaseException | None = exc
    while cause is not None:
        name = type(cause).__name__
        if "Entities" in name or "DTDForbidden" in name or "ExternalReference" in name:
            return error("xlsx-unsafe", "the workbook's XML declares entities or a DTD, which is refused "
                         "(an entity bomb?)", where, hint="save a fresh copy of the workbook from Excel or LibreOffice")
        cause = cause.__cause__ or cause.__context__
    detail = (str(exc).strip().splitlines() or [""])[0]
    return error("xlsx-format", f"the workbook cannot be read ({type(exc).__name__}: {detail})", where,
                 hint="open the file in Excel or LibreOffice and save it again as .xlsx")
