"""The Excel template for finances.xlsx: the sheets reportgen reads, ready to fill in.

The workbook has the sheets of :data:`reportgen.inputs.load.SHEETS` with their exact headers (bold,
filled, frozen), column widths, number formats (kronor ``#,##0`` / ``#,##0.00``, dates
``yyyy-mm-dd``, years ``0``) and drop-down lists (Excel data validation) for the columns that take
one of a known set of values: project ids, Källa, Typ, År. Kostnadsslag offers the common kinds
in a drop-down that also takes any other text (the agency's own labels). The lists live on a hidden sheet
``Listor``, which also lists county codes, organisation kinds and focus areas (used in the YAML
files) for reference. A first sheet ``Instruktioner`` says in Swedish how to fill in each sheet.

The bytes are reproducible: fixed document properties and fixed zip entry times, so the same
inputs give the same file.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from reportgen.inputs.load import DATE_COLUMNS, SHEETS, SheetSpec
from reportgen.inputs.model import (
    COFINANCING_KINDS,
    COFINANCING_SOURCES,
    COST_KINDS,
    COUNTIES,
    ORGANISATION_KINDS,
    Decision,
    Programme,
)

FIXED_TIMESTAMP = dt.datetime(2018, 1, 1, 0, 0, 0)  # document properties and zip entries
LAST_ROW = 1_048_576  # Excel's last row: validations and formats cover the whole column below the header

FMT_KR = "#,##0"  # shown as "# ##0" (space as thousands separator) in a Swedish locale
FMT_KR_ORE = "#,##0.00"
FMT_DATE = "yyyy-mm-dd"
FMT_YEAR = "0"
FMT_TEXT = "@"

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDDEBF7", end_color="FFDDEBF7")
HEADER_BORDER = Border(bottom=Side(style="thin", color="FF8EA9DB"))

# Amounts with öre are normal in these sheets; whole kronor in the others.
ORE_SHEETS = {"disbursements", "programme_costs", "repayments", "recoveries"}
WIDTHS = {"year": 8, "date": 13, "decided": 14, "amount": 16, "project": 16, "kind": 18, "source": 18,
          "bankgiro": 12, "reference": 48, "comment": 48, "voucher": 16, "description": 48}

LISTS_SHEET = "Listor"
INSTRUCTIONS_SHEET = "Instruktioner"

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")

ORGANISATION_KIND_NAMES = {
    "regional": "Aktör med regionalt utvecklingsansvar (region)",
    "other": "Annan aktör (förankring med den regionala aktören krävs)",
}


@dataclass(frozen=True)
class _List:
    """One list on the Listor sheet: its column, header and values (a second column for names)."""

    key: str
    header: str
    values: tuple[Any, ...]
    names_header: str | None = None
    names: tuple[str, ...] = ()


def _lists(decision: Decision | None, programme: Programme | None) -> list[_List]:
    projects = programme.projects if programme else []
    years: list[int] = []
    if decision is not None:
        last = max([decision.period.end] + [a.period_end for a in decision.amendments if a.period_end])
        years = list(range(decision.period.start, last + 1))
    areas = decision.focus_areas if decision else []
    return [
        _List("project", "Projekt", tuple(p.id for p in projects), "Projekttitel", tuple(p.title for p in projects)),
        _List("kind", "Kostnadsslag", COST_KINDS),
        _List("source", "Källa", COFINANCING_SOURCES),
        _List("cofinancing_kind", "Typ", COFINANCING_KINDS),
        _List("year", "År", tuple(years)),
        _List("county", "Länskod", tuple(COUNTIES), "Län", tuple(COUNTIES.values())),
        _List("organisation", "Organisationstyp", ORGANISATION_KINDS, "Beskrivning",
              tuple(ORGANISATION_KIND_NAMES[k] for k in ORGANISATION_KINDS)),
        _List("focus_area", "Fokusområde", tuple(a.id for a in areas), "Namn", tuple(a.name for a in areas)),
    ]


def _write_lists(ws: Worksheet, lists: list[_List]) -> dict[str, str]:
    """Write the lists side by side; returns the range formula of each non-empty list by key."""
    ranges: dict[str, str] = {}
    column = 1
    for item in lists:
        headers = [item.header] + ([item.names_header] if item.names_header else [])
        for offset, header in enumerate(headers):
            _header_cell(ws, 1, column + offset, header)
            ws.column_dimensions[get_column_letter(column + offset)].width = 14 if offset == 0 else 44
        for row, value in enumerate(item.values, start=2):
            cell = ws.cell(row=row, column=column, value=value)
            if isinstance(value, str):
                cell.number_format = FMT_TEXT  # "01" stays text
            if item.names_header:
                ws.cell(row=row, column=column + 1, value=item.names[row - 2])
        if item.values:
            letter = get_column_letter(column)
            ranges[item.key] = f"{LISTS_SHEET}!${letter}$2:${letter}${len(item.values) + 1}"
        column += len(headers)
    ws.freeze_panes = "A2"
    ws.sheet_state = "hidden"
    return ranges


def _header_cell(ws: Worksheet, row: int, column: int, value: str) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.border = HEADER_BORDER
    cell.alignment = Alignment(vertical="center")


def _number_format(spec: SheetSpec, key: str) -> str | None:
    if key == "amount":
        return FMT_KR_ORE if spec.field in ORE_SHEETS else FMT_KR
    if key in DATE_COLUMNS:
        return FMT_DATE
    if key == "year":
        return FMT_YEAR
    return None


# --- data validation ---------------------------------------------------------------------------

_LIST_PROMPTS = {
    "project": ("Projekt", "Välj projektets id (från programme.yaml)."),
    "kind": ("Kostnadsslag", "Välj ett kostnadsslag i listan eller skriv myndighetens eget."),
    "cofinancing_kind": ("Typ", "Budget (planerat) eller Utfall; tom cell betyder Budget."),
    "source": ("Källa", "Välj medfinansieringens källa i listan."),
    "year": ("År", "Välj ett av uppdragets år."),
}


def _list_validation(key: str, formula: str) -> DataValidation:
    title, prompt = _LIST_PROMPTS[key]
    if key == "kind":
        # Kostnadsslag is the agency's own text: the list offers the common kinds, and any other
        # value is taken without an error box (an information style that is not shown).
        return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False,
                              errorStyle="information", showInputMessage=True, promptTitle=title, prompt=prompt)
    return DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                          errorTitle=f"Ogiltigt värde: {title}", error=f"{prompt} Värdet finns inte i listan.",
                          showInputMessage=True, promptTitle=title, prompt=prompt)


def _validations(spec: SheetSpec, ranges: dict[str, str], decision: Decision | None) -> list[DataValidation]:
    out = []
    for index, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(index)
        whole_column = f"{letter}2:{letter}{LAST_ROW}"
        dv = None
        # Typ in Medfinansiering is the co-financing kind (Kostnadsslag's key is also "kind").
        key = "cofinancing_kind" if (spec.field, column.key) == ("cofinancing", "kind") else column.key
        if key in ("project", "kind", "source", "year", "cofinancing_kind") and key in ranges:
            dv = _list_validation(key, ranges[key])
        elif column.key == "amount":
            dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                showErrorMessage=True, errorTitle="Ogiltigt belopp",
                                error="Ange ett belopp i kronor, noll eller mer, med högst två decimaler.")
        elif column.key == "bankgiro" and decision is not None:
            bankgiro = decision.repayment.bankgiro
            dv = DataValidation(type="list", formula1=f'"{bankgiro}"', allow_blank=True, showErrorMessage=True,
                                errorStyle="warning", errorTitle="Annat bankgiro",
                                error=f"Beslutet anger bankgiro {bankgiro} för återbetalning.",
                                showInputMessage=True, promptTitle="Bankgiro",
                                prompt=f"{decision.repayment.to}s bankgiro enligt beslutet: {bankgiro}.")
        if dv is not None:
            dv.add(whole_column)
            out.append(dv)
    return out


# --- the data sheets ---------------------------------------------------------------------------

def _cell_value(value: Any) -> Any:
    """Decimal amounts become int (whole kronor) or float (öre, exact to the öre); the rest as is."""
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        if Decimal(repr(as_float)) != value:
            raise ValueError(f"the amount {value} cannot be stored exactly in a number cell")
        return as_float
    return value


def _fill_data_sheet(ws: Worksheet, spec: SheetSpec, rows: Iterable[dict[str, Any]], ranges: dict[str, str],
                     decision: Decision | None) -> None:
    for index, column in enumerate(spec.columns, start=1):
        _header_cell(ws, 1, index, column.header)
        letter = get_column_letter(index)
        dimension = ws.column_dimensions[letter]
        dimension.width = max(WIDTHS.get(column.key, 16), len(column.header) + 4)
        fmt = _number_format(spec, column.key)
        if fmt:
            dimension.number_format = fmt  # the column's style: cells typed in later get it too
    for row_number, record in enumerate(rows, start=2):
        for index, column in enumerate(spec.columns, start=1):
            value = record.get(column.key)
            if value is None:
                continue
            cell = ws.cell(row=row_number, column=index, value=_cell_value(value))
            fmt = _number_format(spec, column.key)
            if fmt:
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    for dv in _validations(spec, ranges, decision):
        ws.add_data_validation(dv)


# --- instructions --------------------------------------------------------------------------------

def _instructions(decision: Decision | None) -> dict[str, str]:
    dnr = decision.diarienummer if decision else "beslutets diarienummer"
    from_ = decision.requisition.from_ if decision else "Kammarkollegiet"
    deadline = (f"den {decision.requisition.deadline.day} {MONTHS[decision.requisition.deadline.month - 1]}"
                if decision else "den dag beslutet anger")
    cap = f"{decision.programme_cost_cap_percent.normalize():f} %" if decision else "5 %"
    repay_to = decision.repayment.to if decision else "Kammarkollegiet"
    repay_by = decision.repayment.deadline.isoformat() if decision else "den dag beslutet anger"
    bankgiro = decision.repayment.bankgiro if decision else "beslutets bankgiro"
    return {
        "requisitions": f"En rad per rekvisition av medel från {from_}. År är det år vars medel rekvireras; "
                        f"Datum ska vara senast {deadline} samma år. Referens ska innehålla beslutets "
                        f"diarienummer, t.ex. 'Rekvisition 2018, {dnr}'.",
        "grants": "En rad per beslut om stöd till ett projekt. Projekt är projektets id i programme.yaml (välj i "
                  "listan). År är det år vars ram beviljandet belastar; ett projekt kan beviljas medel flera år. "
                  "Sammanlagt beviljat får inte överstiga de medel som rekvirerats.",
        "disbursements": "En rad per utbetalning till ett projekt. Datum ska ligga inom projektets period "
                         "(start och end i programme.yaml), och utbetalningarna till ett projekt får inte "
                         "överstiga det som beviljats projektet. Verifikation är valfri.",
        "programme_costs": f"Programanknutna kostnader: högst {cap} av de rekvirerade medlen, varje år och "
                           f"totalt. Kostnadsslag är myndighetens egen benämning och visas som den skrivs; listan "
                           f"föreslår de vanliga: {', '.join(COST_KINDS)}. Beskrivning är valfri.",
        "cofinancing": "Valfritt blad: medfinansiering av projekten från andra källor, en rad per projekt och "
                       f"källa. Källa väljs i listan: {', '.join(COFINANCING_SOURCES)}; Egen finansiering är "
                       "projektägarens egna medel. År (valfri) är det år beloppet avser; tom cell betyder hela "
                       "projektet, och en delrapport visar bara sina egna års belopp. Typ (valfri) är Budget "
                       "(planerat) eller Utfall; tom cell betyder Budget.",
        "repayments": f"Valfritt blad: återbetalning av ej förbrukade medel till {repay_to} senast {repay_by} på "
                      f"bankgiro {bankgiro}. Beloppet ska vara rekvirerat minus utbetalt minus programanknutna "
                      f"kostnader plus återkrav. Referens ska innehålla beslutets diarienummer ({dnr}).",
        "recoveries": "Valfritt blad: återkrav, en rad per belopp som ett projekt har betalat tillbaka till "
                      "myndigheten (t.ex. efter ett avbrutet projekt eller en kostnad som inte var "
                      "stödberättigande). Återkravet minskar nettoutbetalningen till projektet och ingår i de ej "
                      "förbrukade medel som återbetalas. Datum ska ligga efter den första utbetalningen till "
                      "projektet, och beloppet får inte överstiga det som betalats ut. Kommentar är valfri.",
    }


GENERAL_INSTRUCTIONS = (
    ("Fyll i en rad per post under rubrikraden. Ändra inte rubrikerna; kolumnerna får stå i valfri ordning "
    "och kolumner märkta (valfri) får tas bort."),
    ("Belopp anges i kronor som tal, med högst två decimaler (öre). Datum anges som datum (ÅÅÅÅ-MM-DD), år "
    "som tal (2019)."),
    ("Skriv värden, inte formler: en formel vars resultat inte sparats kan inte läsas. Spara filen i Excel "
    "eller LibreOffice om du ändå använder formler."),
    ("Kolumner med listor (Projekt, År, Källa, Typ) tar bara värden ur listan; Kostnadsslag föreslår värden "
    "men tar också myndighetens egna. Listorna finns på "
    "det dolda bladet Listor, som också visar länskoder, organisationstyper och fokusområden för "
    "programme.yaml. Visa det i Excel med högerklick på en bladflik > Ta fram, i LibreOffice med "
    "Blad > Visa blad."),
    "Kontrollera underlaget med kommandot reportgen validate; varje fel anges med blad och cell.",
)


def _instructions_sheet(wb: Workbook, decision: Decision | None) -> Worksheet:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET, 0)
    ws.column_dimensions["A"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    title = "Ekonomiskt underlag"
    if decision is not None:
        title += f": {decision.title} ({decision.diarienummer})"
    rows: list[tuple[str, Font | None]] = [(title, Font(bold=True, size=14)), ("", None)]
    rows += [(text, None) for text in GENERAL_INSTRUCTIONS]
    texts = _instructions(decision)
    for spec in SHEETS:
        rows += [("", None), (spec.sheet + ("" if spec.required else " (valfritt blad)"), Font(bold=True, size=12))]
        rows.append((texts.get(spec.field, ""), None))
        columns = ", ".join(c.header + ("" if c.required else " (valfri)") for c in spec.columns)
        rows.append((f"Kolumner: {columns}.", Font(italic=True)))
    for number, (text, font) in enumerate(rows, start=1):
        cell = ws.cell(row=number, column=1, value=text or None)
        cell.alignment = wrap
        if font is not None:
            cell.font = font
    return ws


# --- the workbook ------------------------------------------------------------------------------

def finances_workbook(decision: Decision | None = None, programme: Programme | None = None,
                      rows: dict[str, list[dict[str, Any]]] | None = None) -> Workbook:
    """The template workbook; ``rows`` fills sheets: {SheetSpec.field: [{column key: value}, ...]}."""
    rows = rows or {}
    unknown = set(rows) - {spec.field for spec in SHEETS}
    if unknown:
        raise ValueError(f"no sheet for {', '.join(sorted(unknown))}")
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "reportgen"
    wb.properties.lastModifiedBy = "reportgen"
    wb.properties.title = "Ekonomiskt underlag – Smart industri på regional nivå"
    wb.properties.language = "sv-SE"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    _instructions_sheet(wb, decision)
    data_sheets = [wb.create_sheet(spec.sheet) for spec in SHEETS]
    ranges = _write_lists(wb.create_sheet(LISTS_SHEET), _lists(decision, programme))
    for spec, ws in zip(SHEETS, data_sheets):
        _fill_data_sheet(ws, spec, rows.get(spec.field, []), ranges, decision)
    wb.active = 0
    return wb


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook's .xlsx bytes, reproducibly: fixed core properties and zip entry times."""
    buf = io.BytesIO()
    wb.save(buf)  # openpyxl stamps properties.modified with the current time here ...
    wb.properties.modified = FIXED_TIMESTAMP  # ... so the core part is rewritten below
    core_xml = tostring(wb.properties.to_tree())
    stamp = FIXED_TIMESTAMP.timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = core_xml if info.filename == "docProps/core.xml" else zin.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, data)
    return out.getvalue()


def write_finances_template(path: Path, decision: Decision | None = None, programme: Programme | None = None,
                            rows: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    """Write the template (optionally with rows) to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook_bytes(finances_workbook(decision, programme, rows)))
    return path
