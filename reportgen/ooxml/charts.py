"""Native Word charts: the DrawingML chart part, its embedded workbook, and the way back.

A chart in a .docx is three things (ECMA-376 part 1, 21.2):

* ``word/charts/chartN.xml``, a ``c:chartSpace``: the chart's type, styling and a cache of its
  data (``c:strCache``/``c:numCache``), which is what Word and LibreOffice draw;
* ``word/embeddings/Microsoft_Excel_WorksheetN.xlsx``, related from the chart part with the
  *package* relationship and named by ``c:externalData r:id``: the data "Edit Data" opens in Word.
  ``c:autoUpdate val=0``: the cache is the truth until someone edits the workbook;
* in ``word/document.xml`` an inline ``w:drawing`` whose ``a:graphicData`` (uri ``.../chart``)
  holds ``c:chart r:id``, with ``wp:docPr/@descr`` as the alternative text.

Both parts are written here as text, from :class:`ChartData` and a :class:`ChartStyle`, with no
library: python-pptx's ``ChartXmlWriter`` gives a bare chart (no value labels, axis titles,
patterns or fonts, so its XML would be rewritten anyway) and costs about 0.17–0.27 s to import;
openpyxl costs about 0.28 s; a build draws eight charts in well under 10 ms this way
(docs/performance.md). Same data and style, same bytes: no clock, sorted zip entries, a fixed zip
date.

Numbers: the cache holds each value exactly (``Decimal`` written without exponent), and the
format codes are the invariant OOXML ones (``#,##0.0``: comma groups, point decimals) with
``sourceLinked=0``; Word and LibreOffice show them in the document's language (``c:lang``,
sv-SE: ``26,5``, ``1 234,0``).

:func:`read_chart` reads a chart part back into :class:`ChartData` (the docx reader uses it, so a
chart's data shows in ``docx-text``, ``diff`` and reviews).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal, InvalidOperation
from io import BytesIO

from lxml import etree

from reportgen.ooxml.package import Package
from reportgen.ooxml.xmltext import escape, quoteattr

__all__ = [
    "CHART_NS", "CT_CHART", "CT_XLSX", "DRAWING_NS", "RT_CHART", "RT_PACKAGE", "URI_CHART",
    "ChartData", "ChartError", "ChartStyle", "chart_xml", "inline_xml", "read_chart",
    "style_from_mapping", "table_number", "workbook_xlsx",
]

CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
URI_CHART = CHART_NS  # a:graphicData/@uri of a chart
RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
RT_PACKAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package"
CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_SML_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_RT_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_RT_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_RT_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"

#: The sheet the data is on. Word names the sheet of a new chart after the UI language; the
#: formulas in the chart part must use the same name.
SHEET = "Blad1"
_FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")

#: DrawingML preset patterns (``a:pattFill/@prst``) a style may name.
PATTERNS = frozenset({
    "pct5", "pct10", "pct20", "pct25", "pct30", "pct40", "pct50", "pct60", "pct70", "pct75", "pct80",
    "pct90", "horz", "vert", "ltHorz", "ltVert", "dkHorz", "dkVert", "narHorz", "narVert", "dashHorz",
    "dashVert", "cross", "dnDiag", "upDiag", "ltDnDiag", "ltUpDiag", "dkDnDiag", "dkUpDiag",
    "wdDnDiag", "wdUpDiag", "dashDnDiag", "dashUpDiag", "diagCross", "smCheck", "lgCheck", "smGrid",
    "lgGrid", "dotGrid", "smConfetti", "lgConfetti", "horzBrick", "diagBrick", "solidDmnd",
    "openDmnd", "dotDmnd", "plaid", "sphere", "weave", "divot", "shingle", "wave", "trellis", "zigZag",
})


class ChartError(ValueError):
    """A chart that cannot be written or read (the message says why)."""


@dataclass(frozen=True)
class ChartStyle:
    """How every chart looks: the house style, in one place.

    The defaults are reportgen's: the Okabe–Ito palette (safe for colour-blind readers), series
    after the first also told apart by a pattern (so a grouped chart survives greyscale print,
    where colour alone would carry the meaning), every bar labelled with its value, light
    gridlines and nothing else. A project overrides any of them in ``diagram.yaml`` beside its
    templates (see docs/base-docx.md).
    """

    palette: tuple[str, ...] = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442")
    #: The pattern of each series ("" for solid), drawn in white on the series' colour.
    patterns: tuple[str, ...] = ("", "wdUpDiag", "dotGrid", "diagCross", "wdDnDiag", "horz", "smGrid")
    font: str = "Arial"
    font_size: float = 9.0  # points: axis labels, legend, titles
    label_size: float = 8.0  # points: the value labels on the bars
    text_colour: str = "000000"
    grid_colour: str = "D9D9D9"
    axis_colour: str = "808080"
    #: Invariant OOXML number format codes (comma groups, point decimals), shown in the
    #: document's language.
    label_format: str = "[$-41D]#,##0.0"
    axis_format: str = "[$-41D]#,##0"
    #: The value axis of a chart whose values all stay below ``small_below`` has ticks such as
    #: 0,2 0,4 … and needs a decimal: ``axis_format_small``.
    axis_format_small: str = "[$-41D]#,##0.0"
    small_below: float = 5.0
    gap_width: int = 40  # per cent of a bar's width between categories
    width_cm: float = 16.0
    bar_height_cm: float = 0.6  # height per category of a horizontal bar chart
    min_height_cm: float = 3.5
    column_height_cm: float = 8.5  # height of a column chart
    language: str = "sv-SE"

    def __post_init__(self) -> None:
        for name in ("text_colour", "grid_colour", "axis_colour"):
            if not _HEX.match(getattr(self, name)):
                raise ChartError(f"{name}: expected a colour as six hex digits (e.g. 0072B2), "
                                 f"found {getattr(self, name)!r}")
        if not self.palette:
            raise ChartError("palette: at least one colour is needed")
        for colour in self.palette:
            if not _HEX.match(colour):
                raise ChartError(f"palette: expected colours as six hex digits, found {colour!r}")
        for pattern in self.patterns:
            if pattern and pattern not in PATTERNS:
                raise ChartError(f"patterns: {pattern!r} is not a DrawingML preset pattern; "
                                 f"e.g. wdUpDiag, dotDmnd, openDmnd, or \"\" for solid")

    def colour(self, i: int) -> str:
        return self.palette[i % len(self.palette)].upper()

    def pattern(self, i: int) -> str:
        return self.patterns[i % len(self.patterns)] if self.patterns else ""


def style_from_mapping(values: dict, where: str = "diagram.yaml") -> ChartStyle:
    """A ChartStyle from the defaults and ``values`` (e.g. read from a style file). Colours may
    be written ``"#0072B2"`` or ``"0072B2"``. Raises ChartError naming a wrong key or value."""
    known = {f.name: f for f in fields(ChartStyle)}
    changes: dict[str, object] = {}
    for key, value in values.items():
        if key not in known:
            raise ChartError(f"{where}: unknown key {key!r}; the keys are {', '.join(sorted(known))}")
        default = getattr(ChartStyle(), key)
        try:
            if isinstance(default, tuple):
                if not isinstance(value, list):
                    raise TypeError
                changes[key] = tuple(str(v or "").lstrip("#") for v in value)
            elif isinstance(default, float):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                    raise TypeError
                changes[key] = float(value)
            elif isinstance(default, int):
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise TypeError
                changes[key] = value
            else:
                if not isinstance(value, str):
                    raise TypeError
                changes[key] = value.lstrip("#") if key.endswith("colour") else value
        except TypeError:
            kind = {tuple: "a list", float: "a positive number", int: "a whole number"}.get(type(default), "text")
            raise ChartError(f"{where}: {key}: expected {kind}, found {value!r}") from None
    try:
        return replace(ChartStyle(), **changes)
    except ChartError as exc:
        raise ChartError(f"{where}: {exc}") from None


@dataclass(frozen=True)
class ChartData:
    """What a chart shows. One series: horizontal bars, first category at the top; several:
    clustered columns, one group per category, with a legend.

    ``unit`` is the value axis title (e.g. "mnkr"); ``category_title`` heads the category column
    of the workbook (e.g. "Län").
    """

    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[Decimal, ...]], ...]
    unit: str = ""
    category_title: str = ""
    name: str = field(default="", compare=False)  # shown in Word's selection pane (wp:docPr/@name)

    def __post_init__(self) -> None:
        if not self.series:
            raise ChartError("a chart needs at least one series")
        for label, values in self.series:
            if len(values) != len(self.categories):
                raise ChartError(f"series {label!r} has {len(values)} values for "
                                 f"{len(self.categories)} categories")

    @property
    def horizontal(self) -> bool:
        return len(self.series) == 1


# ============================================================================ writing


def _number(v: Decimal) -> str:
    """The exact value, as OOXML and SpreadsheetML numbers are written (no exponent)."""
    if not v.is_finite():
        raise ChartError(f"not a finite number: {v}")
    text = format(v, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _col(i: int) -> str:
    """Spreadsheet column letters of 0-based column ``i``."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet_ref(col: int, first: int, last: int | None = None) -> str:
    ref = f"${_col(col)}${first}"
    if last is not None:
        ref += f":${_col(col)}${last}"
    return f"{SHEET}!{ref}"


def _text(s: str) -> str:
    return escape(_xml_safe(s))


def _xml_safe(s: str) -> str:
    return "".join(c for c in s if c in "\t\n\r" or ("\x20" <= c <= "\ud7ff") or ("\ue000" <= c <= "\ufffd")
                   or c >= "\U00010000")


def _fill(colour: str, pattern: str) -> str:
    if pattern:
        # White lines on the series' colour: the bar keeps its colour's weight on the page.
        return (f'<a:pattFill prst="{pattern}"><a:fgClr><a:srgbClr val="FFFFFF"/></a:fgClr>'
                f'<a:bgClr><a:srgbClr val="{colour}"/></a:bgClr></a:pattFill>')
    return f'<a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'


def _txpr(style: ChartStyle, size: float, bold: bool = False, rotation: int | None = None) -> str:
    rot = f' rot="{rotation}" vert="horz"' if rotation is not None else ""
    b = ' b="1"' if bold else ' b="0"'
    return (f'<c:txPr><a:bodyPr{rot}/><a:lstStyle/><a:p><a:pPr>'
            f'<a:defRPr sz="{round(size * 100)}"{b}><a:solidFill><a:srgbClr val="{style.text_colour}"/>'
            f'</a:solidFill><a:latin typeface={quoteattr(style.font)}/>'
            f'<a:cs typeface={quoteattr(style.font)}/></a:defRPr></a:pPr>'
            f'<a:endParaRPr lang="{_text(style.language)}"/></a:p></c:txPr>')


def _title(text: str, style: ChartStyle, rotation: int | None) -> str:
    rot = f' rot="{rotation}" vert="horz"' if rotation is not None else ""
    return (f'<c:title><c:tx><c:rich><a:bodyPr{rot}/><a:lstStyle/><a:p><a:pPr>'
            f'<a:defRPr sz="{round(style.font_size * 100)}" b="0"/></a:pPr>'
            f'<a:r><a:rPr lang="{_text(style.language)}" sz="{round(style.font_size * 100)}" b="0">'
            f'<a:solidFill><a:srgbClr val="{style.text_colour}"/></a:solidFill>'
            f'<a:latin typeface={quoteattr(style.font)}/></a:rPr><a:t>{_text(text)}</a:t></a:r>'
            f'</a:p></c:rich></c:tx><c:overlay val="0"/></c:title>')


def _line(colour: str | None, width_emu: int = 9525) -> str:
    if colour is None:
        return '<a:ln><a:noFill/></a:ln>'
    return f'<a:ln w="{width_emu}"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></a:ln>'


def chart_xml(data: ChartData, style: ChartStyle, workbook_rid: str = "rId1") -> bytes:
    """The chart part (``c:chartSpace``) for ``data``; its data cache equals the workbook
    :func:`workbook_xlsx` writes, whose relationship id from the chart part is ``workbook_rid``."""
    n = len(data.categories)
    horizontal = data.horizontal
    top = max((v for _, values in data.series for v in values), default=Decimal(0))
    axis_format = style.axis_format_small if top < Decimal(str(style.small_below)) else style.axis_format
    cat_ref = _sheet_ref(0, 2, n + 1)
    cats = "".join(f'<c:pt idx="{i}"><c:v>{_text(c)}</c:v></c:pt>' for i, c in enumerate(data.categories))
    sers = []
    for s, (label, values) in enumerate(data.series):
        pts = "".join(f'<c:pt idx="{i}"><c:v>{_number(v)}</c:v></c:pt>' for i, v in enumerate(values))
        position = "outEnd"
        sers.append(
            f'<c:ser><c:idx val="{s}"/><c:order val="{s}"/>'
            f'<c:tx><c:strRef><c:f>{_sheet_ref(s + 1, 1)}</c:f><c:strCache><c:ptCount val="1"/>'
            f'<c:pt idx="0"><c:v>{_text(label)}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
            f'<c:spPr>{_fill(style.colour(s), style.pattern(s))}{_line(style.colour(s), 6350)}</c:spPr>'
            '<c:invertIfNegative val="0"/>'
            f'<c:dLbls><c:numFmt formatCode={quoteattr(style.label_format)} sourceLinked="0"/>'
            f'<c:spPr><a:noFill/>{_line(None)}</c:spPr>{_txpr(style, style.label_size)}'
            f'<c:dLblPos val="{position}"/><c:showLegendKey val="0"/><c:showVal val="1"/>'
            '<c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
            '<c:showBubbleSize val="0"/></c:dLbls>'
            f'<c:cat><c:strRef><c:f>{cat_ref}</c:f><c:strCache><c:ptCount val="{n}"/>{cats}'
            '</c:strCache></c:strRef></c:cat>'
            f'<c:val><c:numRef><c:f>{_sheet_ref(s + 1, 2, n + 1)}</c:f><c:numCache>'
            f'<c:formatCode>General</c:formatCode><c:ptCount val="{n}"/>{pts}</c:numCache>'
            '</c:numRef></c:val></c:ser>')
    # A horizontal chart lists its first category at the top (the category axis reversed, the
    # value axis then crossing it at its maximum, i.e. at the bottom).
    cat_axis = (
        '<c:catAx><c:axId val="111"/>'
        f'<c:scaling><c:orientation val="{"maxMin" if horizontal else "minMax"}"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"l" if horizontal else "b"}"/>'
        '<c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:spPr>{_line(style.axis_colour)}</c:spPr>{_txpr(style, style.font_size)}'
        '<c:crossAx val="222"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')
    val_axis = (
        '<c:valAx><c:axId val="222"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"b" if horizontal else "l"}"/>'
        f'<c:majorGridlines><c:spPr>{_line(style.grid_colour)}</c:spPr></c:majorGridlines>'
        + (_title(data.unit, style, None if horizontal else -5400000) if data.unit else "")
        + f'<c:numFmt formatCode={quoteattr(axis_format)} sourceLinked="0"/>'
        '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
        f'<c:spPr>{_line(None)}</c:spPr>{_txpr(style, style.font_size)}'
        f'<c:crossAx val="111"/><c:crosses val="{"max" if horizontal else "autoZero"}"/>'
        '<c:crossBetween val="between"/></c:valAx>')
    legend = "" if horizontal else (
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/>'
        f'{_txpr(style, style.font_size)}</c:legend>')
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{CHART_NS}" xmlns:a="{DRAWING_NS}" xmlns:r="{R_NS}">'
        f'<c:date1904 val="0"/><c:lang val="{_text(style.language)}"/><c:roundedCorners val="0"/>'
        '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
        f'<c:barChart><c:barDir val="{"bar" if horizontal else "col"}"/><c:grouping val="clustered"/>'
        f'<c:varyColors val="0"/>{"".join(sers)}<c:gapWidth val="{style.gap_width}"/>'
        '<c:overlap val="0"/><c:axId val="111"/><c:axId val="222"/></c:barChart>'
        f'{cat_axis}{val_axis}<c:spPr><a:noFill/>{_line(None)}</c:spPr></c:plotArea>{legend}'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f'<c:spPr><a:noFill/>{_line(None)}</c:spPr>{_txpr(style, style.font_size)}'
        f'<c:externalData r:id="{workbook_rid}"><c:autoUpdate val="0"/></c:externalData>'
        '</c:chartSpace>')
    return xml.encode("utf-8")


def chart_rels(workbook_target: str, rid: str = "rId1") -> bytes:
    """The chart part's relationships: the embedded workbook (``workbook_target`` relative to
    ``word/charts/``, e.g. ``../embeddings/Microsoft_Excel_Worksheet1.xlsx``)."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="{rid}" Type="{RT_PACKAGE}" '
            f'Target={quoteattr(workbook_target)}/></Relationships>').encode()


def size_emu(data: ChartData, style: ChartStyle, max_width_emu: int | None = None) -> tuple[int, int]:
    """The chart's size on the page: the style's width (at most ``max_width_emu``), and a height
    that gives a horizontal chart's every bar the same room however many there are."""
    emu_per_cm = 360000
    width = round(style.width_cm * emu_per_cm)
    if max_width_emu:
        width = min(width, max_width_emu)
    if data.horizontal:
        height = max(style.min_height_cm, 1.6 + style.bar_height_cm * len(data.categories))
    else:
        height = style.column_height_cm
    return width, round(height * emu_per_cm)


def inline_xml(rid: str, shape_id: int, name: str, alt: str, cx: int, cy: int) -> str:
    """The ``wp:inline`` that places the chart related as ``rid`` in a run's ``w:drawing``.

    ``a`` and ``c`` are declared where used, so the text is valid whatever the document root
    declares (``wp`` and ``r`` are WordprocessingML's own and always declared)."""
    return (f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{shape_id}" name={quoteattr(_xml_safe(name))} descr={quoteattr(_xml_safe(alt))}/>'
            '<wp:cNvGraphicFramePr/>'
            f'<a:graphic xmlns:a="{DRAWING_NS}"><a:graphicData uri="{URI_CHART}">'
            f'<c:chart xmlns:c="{CHART_NS}" r:id="{rid}"/></a:graphicData></a:graphic></wp:inline>')


# ---------------------------------------------------------------------------- the workbook

_XLSX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Types xmlns="{_CT_NS}">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>')
_XLSX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_RT_OFFICE_DOCUMENT}" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{_SML_NS}" xmlns:r="{R_NS}"><sheets>'
    f'<sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_RT_WORKSHEET}" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_RT_STYLES}" Target="styles.xml"/></Relationships>')


def _styles_xml(number_format: str) -> str:
    # Style 0: the default; style 1: bold (the header row); style 2: the values' number format.
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<styleSheet xmlns="{_SML_NS}"><numFmts count="1">'
            f'<numFmt numFmtId="164" formatCode={quoteattr(number_format)}/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
            '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            '</cellStyles></styleSheet>')


def _sheet_xml(data: ChartData) -> str:
    def text_cell(ref: str, value: str, style: int = 0) -> str:
        s = f' s="{style}"' if style else ""
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return f'<c r="{ref}" t="inlineStr"{s}><is><t{space}>{_text(value)}</t></is></c>'

    rows = []
    header = [text_cell("A1", data.category_title, 1)]
    header += [text_cell(f"{_col(s + 1)}1", label, 1) for s, (label, _) in enumerate(data.series)]
    rows.append(f'<row r="1">{"".join(header)}</row>')
    for i, category in enumerate(data.categories):
        r = i + 2
        cells = [text_cell(f"A{r}", category)]
        cells += [f'<c r="{_col(s + 1)}{r}" s="2"><v>{_number(values[i])}</v></c>'
                  for s, (_, values) in enumerate(data.series)]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    last = f"{_col(len(data.series))}{len(data.categories) + 1}"
    widest = max([len(c) for c in data.categories] + [len(data.category_title), 8])
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_SML_NS}"><dimension ref="A1:{last}"/>'
            f'<cols><col min="1" max="1" width="{min(widest + 2, 60)}" customWidth="1"/>'
            f'<col min="2" max="{len(data.series) + 1}" width="16" customWidth="1"/></cols>'
            f'<sheetData>{"".join(rows)}</sheetData></worksheet>')


def workbook_xlsx(data: ChartData, number_format: str = "#,##0.0#####") -> bytes:
    """The embedded workbook: the category column and one column per series, from A1, on the
    sheet the chart's formulas name. No document properties: nothing in it depends on the clock."""
    entries = {
        "[Content_Types].xml": _XLSX_CONTENT_TYPES,
        "_rels/.rels": _XLSX_RELS,
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": _styles_xml(number_format),
        "xl/worksheets/sheet1.xml": _sheet_xml(data),
    }
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=_FIXED_ZIP_DATE)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name].encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED,
                       compresslevel=6)
    return out.getvalue()


def table_number(value: Decimal) -> str:
    """A value as a chart's data table writes it: every decimal it has (at least one), a
    decimal comma, no-break spaces between groups of three digits: ``26,476787``, ``1 234,5``."""
    text = _number(Decimal(value))
    sign = "\u2212" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    groups = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    groups.insert(0, whole)
    return sign + "\u00a0".join(groups) + "," + (frac or "0")


# ============================================================================ reading

_C = f"{{{CHART_NS}}}"
_A = f"{{{DRAWING_NS}}}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _points(parent) -> list[str]:
    """The cached points of a c:strCache/c:numCache (or literal) under ``parent``, by index."""
    if parent is None:
        return []
    found: dict[int, str] = {}
    count = 0
    for cache in parent.iter(f"{_C}strCache", f"{_C}numCache", f"{_C}strLit", f"{_C}numLit"):
        pc = cache.find(f"{_C}ptCount")
        if pc is not None and (pc.get("val") or "").isdecimal():
            count = max(count, int(pc.get("val")))
        for pt in cache.findall(f"{_C}pt"):
            idx = pt.get("idx") or ""
            v = pt.find(f"{_C}v")
            if idx.isdecimal():
                found[int(idx)] = v.text or "" if v is not None else ""
                count = max(count, int(idx) + 1)
        break
    return [found.get(i, "") for i in range(count)]


def read_chart(xml: bytes, workbook: bytes | None = None) -> ChartData:
    """The data of a chart part's first bar (or line, area, pie) chart, from its caches.
    ``workbook``, the embedded workbook, gives the category column's title (its A1), which the
    chart part does not hold. Raises ChartError for a part that is no chart or holds no data."""
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ChartError(f"the chart part is not well-formed XML: {exc}") from None
    plot = root.find(f"{_C}chart/{_C}plotArea")
    if plot is None:
        raise ChartError("the chart part has no plot area")
    series = []
    categories: list[str] = []
    for ser in plot.iter(f"{_C}ser"):
        label_pts = _points(ser.find(f"{_C}tx"))
        label = label_pts[0] if label_pts else ""
        if not label:
            v = ser.find(f"{_C}tx/{_C}v")
            label = v.text or "" if v is not None else f"Serie {len(series) + 1}"
        cats = _points(ser.find(f"{_C}cat"))
        values = []
        for text in _points(ser.find(f"{_C}val")):
            try:
                values.append(Decimal(text.strip()) if text.strip() else Decimal(0))
            except InvalidOperation:
                raise ChartError(f"series {label!r}: {text!r} is not a number") from None
        if not categories:
            categories = cats
        n = max(len(categories), len(values))
        series.append((label, tuple(values + [Decimal(0)] * (n - len(values)))))
    if not series:
        raise ChartError("the chart holds no data series")
    n = max(len(v) for _, v in series)
    categories = categories + [""] * (n - len(categories))
    series = [(label, values + (Decimal(0),) * (n - len(values))) for label, values in series]
    unit = ""
    for ax in plot.iter(f"{_C}valAx"):
        unit = "".join(t.text or "" for t in ax.iterfind(f"{_C}title//{_A}t"))
        break
    return ChartData(tuple(categories), tuple(series), unit, _workbook_a1(workbook) if workbook else "")


def _workbook_a1(data: bytes) -> str:
    """Cell A1 of the first sheet of an .xlsx (an inline or shared string), or "" when unreadable."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            # An embedded workbook is a zip inside the .docx: read within the same limits.
            pkg = Package(z, {i.filename: i for i in z.infolist() if not i.is_dir()})
            names = set(pkg.infos)
            sheet = "xl/worksheets/sheet1.xml"
            if sheet not in names:
                return ""
            root = etree.fromstring(pkg.read(sheet), _PARSER)
            s = f"{{{_SML_NS}}}"
            cell = next((c for c in root.iter(f"{s}c") if c.get("r") == "A1"), None)
            if cell is None:
                return ""
            if cell.get("t") == "inlineStr":
                return "".join(t.text or "" for t in cell.iter(f"{s}t"))
            if cell.get("t") == "s" and "xl/sharedStrings.xml" in names:
                v = cell.find(f"{s}v")
                index = int(v.text) if v is not None and (v.text or "").isdecimal() else -1
                strings = etree.fromstring(pkg.read("xl/sharedStrings.xml"), _PARSER).findall(
                    f"{s}si")
                if 0 <= index < len(strings):
                    return "".join(t.text or "" for t in strings[index].iter(f"{s}t"))
            return ""
    except (zipfile.BadZipFile, OSError, KeyError, etree.XMLSyntaxError, ValueError):
        return ""
