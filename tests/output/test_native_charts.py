"""The deliverables' charts are native Word charts: a chart part with an embedded workbook whose
cells are the plotted values, no picture; and they come back through docx-text, diff and the
redline with their data, so a changed value shows."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path, PurePosixPath

import openpyxl
import pytest
from conftest import EXAMPLE_INPUTS, run_cli, set_cell
from lxml import etree

from reportgen.formats.docx.reader import read_docx_text
from reportgen.ooxml import charts
from reportgen.ooxml.comments import comments_with_anchors
from reportgen.output.build import build

TODAY = dt.date(2022, 1, 15)
C = {"c": charts.CHART_NS, "a": charts.DRAWING_NS}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
EXPECTED = {"delrapport-2019": 2, "delrapport-2020": 2, "slutredovisning-2021": 4, "genomforandeplan-2018": 0}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("charts") / "outputs"
    result = build(EXAMPLE_INPUTS, out, today=TODAY)
    assert result.ok, [f.format_text() for f in result.findings if f.is_error]
    return out


def rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    p = PurePosixPath(part)
    root = etree.fromstring(z.read(str(p.parent / "_rels" / (p.name + ".rels"))))
    out = {}
    for r in root.iter(f"{{{REL}}}Relationship"):
        target = (p.parent / r.get("Target")).as_posix()
        while "/../" in target:
            target = re.sub(r"[^/]+/\.\./", "", target, count=1)
        out[r.get("Id")] = (r.get("Type"), target)
    return out


@pytest.mark.parametrize("deliverable", sorted(EXPECTED))
def test_every_chart_is_native_with_its_data_in_an_embedded_workbook(built: Path, deliverable: str) -> None:
    with zipfile.ZipFile(built / f"{deliverable}.docx") as z:
        names = z.namelist()
        assert not [n for n in names if n.startswith("word/media/")]  # no picture of a chart
        document = etree.fromstring(z.read("word/document.xml"))
        doc_rels = rels(z, "word/document.xml")
        types = etree.fromstring(z.read("[Content_Types].xml"))
        overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{{{CT}}}Override")}
        defaults = {d.get("Extension"): d.get("ContentType") for d in types.iter(f"{{{CT}}}Default")}
        refs = list(document.iter(f"{{{charts.CHART_NS}}}chart"))
        assert len(refs) == EXPECTED[deliverable]
        for n, ref in enumerate(refs, start=1):
            assert ref.getparent().get("uri") == charts.URI_CHART
            inline = ref.getparent().getparent().getparent()
            doc_pr = inline.find(f"{{{WP}}}docPr")
            assert doc_pr.get("name").startswith(f"diagram/{deliverable}-")
            assert doc_pr.get("descr").startswith(("Liggande stapeldiagram. ", "Stapeldiagram. "))
            # The numbered caption right after the chart's paragraph.
            caption = inline.getparent().getparent().getparent().getnext()
            assert "".join(caption.itertext()).startswith(f"Figur {n}. ")
            rel_type, part = doc_rels[ref.get(f"{{{charts.R_NS}}}id")]
            assert rel_type == charts.RT_CHART and re.fullmatch(r"word/charts/chart\d+\.xml", part)
            assert overrides["/" + part] == charts.CT_CHART
            chart = etree.fromstring(z.read(part))
            book_type, book_part = rels(z, part)[chart.find("c:externalData", C).get(f"{{{charts.R_NS}}}id")]
            assert book_type == charts.RT_PACKAGE
            assert re.fullmatch(r"word/embeddings/Microsoft_Excel_Worksheet\d+\.xlsx", book_part)
            assert defaults.get("xlsx") == charts.CT_XLSX or overrides.get("/" + book_part) == charts.CT_XLSX
            assert chart.find("c:externalData/c:autoUpdate", C).get("val") == "0"
            sheet = openpyxl.load_workbook(io.BytesIO(z.read(book_part))).active
            table = list(sheet.iter_rows(values_only=True))
            plotted = [[v.text for v in ser.iterfind("c:val//c:pt/c:v", C)] for ser in chart.iterfind(".//c:ser", C)]
            labels = [ser.find("c:tx//c:v", C).text for ser in chart.iterfind(".//c:ser", C)]
            categories = [v.text for v in chart.find(".//c:ser/c:cat", C).iterfind(".//c:pt/c:v", C)]
            assert list(table[0][1:]) == labels
            assert [row[0] for row in table[1:]] == categories
            for s, values in enumerate(plotted):
                assert [Decimal(str(row[s + 1])) for row in table[1:]] == [Decimal(v) for v in values]


def test_the_slutredovisning_has_the_grouped_chart_with_four_series(built: Path) -> None:
    with zipfile.ZipFile(built / "slutredovisning-2021.docx") as z:
        grouped = [etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("word/charts/chart")
                   and etree.fromstring(z.read(n)).find(".//c:barDir", C).get("val") == "col"]
    assert len(grouped) == 1
    assert [s.find("c:tx//c:v", C).text for s in grouped[0].iterfind(".//c:ser", C)] == \
        ["Ram", "Rekvirerat", "Utbetalt", "Programanknutna kostnader"]


@pytest.mark.parametrize("deliverable", ["delrapport-2019", "slutredovisning-2021"])
def test_docx_text_of_a_built_document_is_its_draft(built: Path, deliverable: str) -> None:
    text, findings = read_docx_text(built / f"{deliverable}.docx")
    assert not [f for f in findings if f.is_error]
    assert text == (built / f"{deliverable}.md").read_text(encoding="utf-8")
    assert "{.chart}" in text


def test_two_builds_give_the_same_chart_bytes(built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert build(EXAMPLE_INPUTS, again, ids=["slutredovisning-2021"], today=TODAY).ok
    assert (again / "slutredovisning-2021.docx").read_bytes() == (built / "slutredovisning-2021.docx").read_bytes()


def test_a_changed_value_shows_in_docx_text_diff_and_the_redline(built: Path, inputs_copy: Path,
                                                                    tmp_path: Path) -> None:
    # Regionalfonden's planned co-financing of the first project for 2020: 2 000 000 → 1 900 000 kr.
    set_cell(inputs_copy / "finances.xlsx", "Medfinansiering", "C3", 1900000)
    out = tmp_path / "changed"
    assert build(inputs_copy, out, ids=["slutredovisning-2021"], today=TODAY).ok
    old, new = built / "slutredovisning-2021.docx", out / "slutredovisning-2021.docx"
    text, _ = read_docx_text(new)
    assert re.search(r"\| Regionalfonden +\| +21,8\u00a0mnkr \|", text)
    result = run_cli("diff", str(old), str(new))
    assert result.exit_code == 1
    assert "-| Regionalfonden | 21,9\u00a0mnkr |" in result.stdout
    assert "+| Regionalfonden | 21,8\u00a0mnkr |" in result.stdout
    redline = tmp_path / "redline.docx"
    result = run_cli("diff", str(old), str(new), "--redline", str(redline))
    assert result.exit_code == 1
    with zipfile.ZipFile(redline) as z:
        document = etree.fromstring(z.read("word/document.xml"))
        # The chart is there once, NEW's (its part and workbook), not a tracked change ...
        assert not [el for tag in ("ins", "del") for el in document.iter(f"{{{W}}}{tag}")
                    if el.find(f".//{{{charts.CHART_NS}}}chart") is not None]
        doc_rels = rels(z, "word/document.xml")
        name = "diagram/slutredovisning-2021-cofinancing"
        (drawing,) = [d for d in document.iter(f"{{{W}}}drawing")
                      if d.find(f".//{{{WP}}}docPr").get("name") == name]
        part = doc_rels[drawing.find(f".//{{{charts.CHART_NS}}}chart").get(f"{{{charts.R_NS}}}id")][1]
        chart = etree.fromstring(z.read(part))
        book = rels(z, part)[chart.find("c:externalData", C).get(f"{{{charts.R_NS}}}id")][1]
        assert openpyxl.load_workbook(io.BytesIO(z.read(book))).active["B2"].value == 21.8
    # ... and a comment on its caption gives the old and the new value.
    assert chart_comments(redline) == {"Figur 3": ["Regionalfonden: 21,9 → 21,8\u00a0mnkr",
                                                   "Alternativtexten anger de nya värdena."]}
    # Read as accepted, the redline is NEW.
    assert read_docx_text(redline)[0] == read_docx_text(new)[0]


def chart_comments(path: Path) -> dict[str, list[str]]:
    """The redline's comments by the figure number of the caption each is on: their lines after
    the first (the heading)."""
    return {anchor.split(".")[0]: text.splitlines()[1:]
            for _, _, _, text, anchor, _ in comments_with_anchors(path.read_bytes())}


def test_a_change_the_alt_text_rounds_away_still_marks_the_chart(built: Path, inputs_copy: Path,
                                                                  tmp_path: Path) -> None:
    # 2 000 000 → 1 990 000 kr: Regionalfonden 21,89 mnkr, which the alt text rounds to 21,9.
    set_cell(inputs_copy / "finances.xlsx", "Medfinansiering", "C3", 1990000)
    out = tmp_path / "changed"
    assert build(inputs_copy, out, ids=["slutredovisning-2021"], today=TODAY).ok
    old, new = built / "slutredovisning-2021.docx", out / "slutredovisning-2021.docx"
    assert "Regionalfonden 21,9\u00a0mnkr" in read_docx_text(new)[0]
    assert "+| Regionalfonden | 21,89\u00a0mnkr |" in run_cli("diff", str(old), str(new)).stdout
    redline = tmp_path / "redline.docx"
    assert run_cli("diff", str(old), str(new), "--redline", str(redline)).exit_code == 1
    # The alt text is the same; the comment on the caption still gives the exact values.
    assert chart_comments(redline) == {"Figur 3": ["Regionalfonden: 21,9 → 21,89\u00a0mnkr"]}
