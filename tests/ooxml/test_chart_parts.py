"""The chart part and its embedded workbook (reportgen.ooxml.charts): valid against the ECMA-376
schemas, the workbook's cells equal to the plotted values, the same bytes every time, and read
back into the same data."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest

# The shared reference folder beside the repository (or beside the folder of worktrees).
from conftest import OOXML_XSD
from lxml import etree

from reportgen.ooxml import charts
from reportgen.ooxml.charts import ChartData, ChartStyle

XSD = OOXML_XSD
C = {"c": charts.CHART_NS, "a": charts.DRAWING_NS}

HORIZONTAL = ChartData(("Skåne län", "Gotland & <Fårö>", "Övrigt"),
                       (("Beviljat", (Decimal("5.2"), Decimal("26.476787"), Decimal(0))),), "mnkr", "Län")
GROUPED = ChartData(("2018", "2019", "2020"),
                    (("Ram", (Decimal(20), Decimal(30), Decimal(40))),
                     ("Utbetalt", (Decimal("3.412345"), Decimal("22.1"), Decimal(37))),
                     ("Programanknutna kostnader", (Decimal("0.7423"), Decimal("1.1717"), Decimal("-0.5")))),
                    "mnkr", "År")


def schema(name: str) -> etree.XMLSchema:
    if not (XSD / name).is_file():
        pytest.skip(f"the OOXML schemas are not here ({XSD}); they come with the shared reference folder")
    return etree.XMLSchema(etree.parse(str(XSD / name)))


@pytest.mark.parametrize("data", [HORIZONTAL, GROUPED], ids=["horizontal", "grouped"])
def test_the_chart_part_is_valid_against_dml_chart_xsd(data: ChartData) -> None:
    xsd = schema("dml-chart.xsd")
    root = etree.fromstring(charts.chart_xml(data, ChartStyle(), "rId7"))
    assert xsd.validate(root), xsd.error_log
    assert root.find("c:externalData", C).get(f"{{{charts.R_NS}}}id") == "rId7"
    assert root.find("c:externalData/c:autoUpdate", C).get("val") == "0"
    assert root.find(".//c:barDir", C).get("val") == ("bar" if data is HORIZONTAL else "col")
    assert root.find(".//c:valAx/c:title//a:t", C).text == "mnkr"
    # Value labels in the invariant format code, localised by the document's language.
    assert root.find(".//c:dLbls/c:numFmt", C).get("formatCode") == "[$-41D]#,##0.0"
    assert root.find(".//c:dLbls/c:numFmt", C).get("sourceLinked") == "0"
    assert root.find("c:lang", C).get("val") == "sv-SE"


def test_the_workbook_is_valid_spreadsheetml() -> None:
    xsd = schema("sml.xsd")
    with zipfile.ZipFile(io.BytesIO(charts.workbook_xlsx(GROUPED))) as z:
        for part in ("xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"):
            assert xsd.validate(etree.fromstring(z.read(part))), (part, xsd.error_log)
        assert not [n for n in z.namelist() if n.startswith("docProps/")]  # nothing with a clock in it
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.mark.parametrize("data", [HORIZONTAL, GROUPED], ids=["horizontal", "grouped"])
def test_the_workbook_cells_equal_the_plotted_values(data: ChartData) -> None:
    root = etree.fromstring(charts.chart_xml(data, ChartStyle()))
    sheet = openpyxl.load_workbook(io.BytesIO(charts.workbook_xlsx(data)))[charts.SHEET]
    for ser in root.iterfind(".//c:ser", C):
        # Every formula of the chart names the cells whose values its cache holds.
        label_ref = ser.find("c:tx/c:strRef/c:f", C).text.split("!")[1].replace("$", "")
        assert sheet[label_ref].value == ser.find("c:tx//c:v", C).text
        cat_ref = ser.find("c:cat/c:strRef/c:f", C).text.split("!")[1].replace("$", "")
        val_ref = ser.find("c:val/c:numRef/c:f", C).text.split("!")[1].replace("$", "")
        cats = [c.value for (c,) in sheet[cat_ref]]
        values = [c.value for (c,) in sheet[val_ref]]
        assert cats == [v.text for v in ser.iterfind("c:cat//c:pt/c:v", C)]
        assert values == [float(v.text) for v in ser.iterfind("c:val//c:pt/c:v", C)]
        assert [Decimal(v.text) for v in ser.iterfind("c:val//c:pt/c:v", C)] == \
            list(dict(data.series)[ser.find("c:tx//c:v", C).text])
    assert sheet["A1"].value == data.category_title


def test_same_data_same_bytes() -> None:
    assert charts.workbook_xlsx(GROUPED) == charts.workbook_xlsx(GROUPED)
    assert charts.chart_xml(GROUPED, ChartStyle()) == charts.chart_xml(GROUPED, ChartStyle())


@pytest.mark.parametrize("data", [HORIZONTAL, GROUPED], ids=["horizontal", "grouped"])
def test_a_chart_reads_back_into_its_data(data: ChartData) -> None:
    back = charts.read_chart(charts.chart_xml(data, ChartStyle()), charts.workbook_xlsx(data))
    assert back == data
    assert charts.read_chart(charts.chart_xml(data, ChartStyle())).category_title == ""


def test_the_style_colours_and_patterns_reach_the_series() -> None:
    style = ChartStyle(palette=("112233", "445566"), patterns=("", "dkHorz"))
    root = etree.fromstring(charts.chart_xml(GROUPED, style))
    fills = [ser.find("c:spPr/*", C) for ser in root.iterfind(".//c:ser", C)]
    assert etree.QName(fills[0]).localname == "solidFill"
    assert fills[0].find("a:srgbClr", C).get("val") == "112233"
    assert (fills[1].get("prst"), fills[1].find("a:bgClr/a:srgbClr", C).get("val")) == ("dkHorz", "445566")
    assert fills[2].find("a:srgbClr", C).get("val") == "112233"  # the palette repeats
    assert root.find(".//c:legend", C) is not None  # several series: a legend
    assert etree.fromstring(charts.chart_xml(HORIZONTAL, style)).find(".//c:legend", C) is None


def test_table_numbers_are_swedish_and_exact() -> None:
    assert charts.table_number(Decimal("26.476787")) == "26,476787"
    assert charts.table_number(Decimal("1234567.50")) == "1\u00a0234\u00a0567,5"
    assert charts.table_number(Decimal("-0.5")) == "\u22120,5"
    assert charts.table_number(Decimal(20)) == "20,0"


def test_small_values_get_a_decimal_on_the_axis() -> None:
    small = ChartData(("a", "b"), (("x", (Decimal("1.6"), Decimal("0.6"))),), "mnkr")
    axis = ".//c:valAx/c:numFmt"
    assert etree.fromstring(charts.chart_xml(small, ChartStyle())).find(axis, C).get("formatCode") == "[$-41D]#,##0.0"
    assert etree.fromstring(charts.chart_xml(GROUPED, ChartStyle())).find(axis, C).get("formatCode") == "[$-41D]#,##0"
