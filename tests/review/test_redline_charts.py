"""The Word redline of documents with native charts: a chart whose data changed stays one chart
(NEW's), and a comment on its caption says which values changed, old and new; a changed caption
is a tracked change; charts that did not change are left alone. The redline is valid
WordprocessingML."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from decimal import Decimal
from functools import cache
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import EXAMPLE_INPUTS, OOXML_XSD, run_cli
from diffkit import BASE, CORE, FIELDS, docx_markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from reportgen.document.tree import Document, Figure, Paragraph, Table, Text
from reportgen.formats.docx.reader import read_docx
from reportgen.formats.docx.writer import write_docx
from reportgen.ooxml.charts import ChartData, table_number
from reportgen.ooxml.comments import comments_with_anchors
from reportgen.review.redline import (
    accept_docx,
    alt_changes,
    chart_changes,
    redline,
    reject_docx,
    text_changes,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
NS = {"w": W, "c": C, "wp": WP}
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PAYMENT = ("UB-2020-0005", 10_000)  # one disbursement of 2020 (SI-2018-05) raised by 10 000 kr
FINAL = "slutredovisning-2021.docx"
PER_YEAR = "diagram/slutredovisning-2021-per-year"


def part(data: bytes, name: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name)) if name in z.namelist() else None


def text_of(el) -> str:
    return "".join(el.xpath(".//w:t/text() | .//w:delText/text()", namespaces=NS))


def raise_payment(inputs: Path) -> None:
    """Raise one disbursement; the repayment follows (rule SI604: it equals requisitioned −
    disbursed − programme costs + recovered), so the inputs stay valid."""
    book = openpyxl.load_workbook(inputs / "finances.xlsx")
    ws = book["Utbetalningar"]
    verification, delta = PAYMENT
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == verification]
    ws.cell(row, 3).value += delta
    repayment = book["Återbetalningar"].cell(2, 2)
    repayment.value = float(Decimal(str(repayment.value)) - delta)
    book.save(inputs / "finances.xlsx")


@cache
def payment_builds(root: Path) -> tuple[Path, Path]:
    """The example built as shipped (A) and after raise_payment (B)."""
    outs = []
    for side in ("a", "b"):
        inputs = root / side / "inputs"
        shutil.copytree(EXAMPLE_INPUTS, inputs)
        if side == "b":
            raise_payment(inputs)
        out = root / side / "out"
        result = run_cli("-q", "build", "--inputs", str(inputs), "--out", str(out),
                         "--today", "2021-04-01")
        assert result.exit_code == 0, result.output + result.stderr
        outs.append(out / FINAL)
    return outs[0], outs[1]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    return payment_builds(tmp_path_factory.mktemp("payment"))


@pytest.fixture(scope="module")
def wml_schema(tmp_path_factory):
    """wml.xsd with the xml: namespace it imports (the reference folder does not ship it)."""
    if not (OOXML_XSD / "wml.xsd").is_file():
        pytest.skip(f"the OOXML schemas are not here ({OOXML_XSD})")
    folder = tmp_path_factory.mktemp("xsd")
    for f in OOXML_XSD.glob("*.xsd"):
        (folder / f.name).write_bytes(f.read_bytes())
    (folder / "xml.xsd").write_text(
        '<?xml version="1.0"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="http://www.w3.org/XML/1998/namespace">'
        '<xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName"/></xs:simpleType>'
        '</xs:attribute><xs:attribute name="lang" type="xs:language"/></xs:schema>')
    wml = folder / "wml.xsd"
    wml.write_text(wml.read_text(encoding="utf-8").replace(
        '<xsd:import namespace="http://www.w3.org/XML/1998/namespace"/>',
        '<xsd:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>'),
        encoding="utf-8")
    return etree.XMLSchema(etree.parse(str(wml)))


def assert_valid(schema, root) -> None:
    """Valid against the transitional schema, once the markup-compatibility extensions
    (attributes of namespaces the root marks Ignorable, such as w14:paraId) are left out."""
    root = etree.fromstring(etree.tostring(root))
    ignorable = {root.nsmap.get(p) for p in (root.get(f"{{{MC}}}Ignorable") or "").split()}
    for el in root.iter():
        for a in list(el.attrib):
            if a.startswith(f"{{{MC}}}") or a[1:].split("}")[0] in ignorable:
                del el.attrib[a]
    assert schema.validate(root), schema.error_log


def chart_row(path: Path, name: str, category: str) -> dict[str, str]:
    """Series label → the value cell (as the data table writes it) of a chart's row."""
    doc, _ = read_docx(path)
    fig = next(b for b in doc.blocks if isinstance(b, Figure) and b.src == name)
    header = [c[0].text for c in fig.data.header]
    row = next(r for r in fig.data.rows if r[0][0].text == category)
    return {h: c[0].text for h, c in zip(header[1:], row[1:])}


# ----------------------------------------------------------------------------- the example


def test_a_changed_value_is_marked_on_the_charts_caption(builds, wml_schema, tmp_path):
    a, b = builds
    out = tmp_path / "R.docx"
    cli = run_cli("diff", str(a), str(b), "--redline", str(out))
    assert cli.exit_code == 1, cli.stderr
    assert "charts changed: 1, comments: 1" in cli.stderr  # the reviewer is told where to look
    data = out.read_bytes()
    doc = part(data, "word/document.xml")

    # Every chart shows once, NEW's, untracked: no chart inside a w:ins or w:del.
    new_charts = part(b.read_bytes(), "word/document.xml").xpath("//c:chart", namespaces=NS)
    charts = doc.xpath("//c:chart", namespaces=NS)
    assert len(charts) == len(new_charts) == 4
    assert not doc.xpath("//w:ins//c:chart | //w:del//c:chart", namespaces=NS)
    assert [c.xpath("string(ancestor::w:drawing//wp:docPr/@descr)", namespaces=NS) for c in charts] == \
        [c.xpath("string(ancestor::w:drawing//wp:docPr/@descr)", namespaces=NS) for c in new_charts]

    # The disbursement feeds the per-year chart only: its caption carries the one comment,
    # which names the row, the series and the old and the new value.
    before = chart_row(a, PER_YEAR, "2020")["Utbetalt"]
    after = chart_row(b, PER_YEAR, "2020")["Utbetalt"]
    assert before != after
    comments = comments_with_anchors(data)
    assert len(comments) == 1
    _, author, date, text, anchor, _ = comments[0]
    # The comment is dated like every tracked change of the redline.
    assert (author, {date}) == ("reportgen", set(doc.xpath("//w:ins/@w:date | //w:del/@w:date",
                                                           namespaces=NS)))
    assert anchor.startswith("Figur 4. Ram, rekvirerade medel")
    assert text.splitlines()[1:] == [f"2020, Utbetalt: {before.removesuffix(chr(160) + 'mnkr')} → {after}"]
    captions = doc.xpath("//w:p[w:pPr/w:pStyle/@w:val='Caption'][starts-with(string(.), 'Figur')]",
                         namespaces=NS)
    assert [bool(p.xpath("w:commentRangeStart", namespaces=NS)) for p in captions] == \
        [False, False, False, True]
    assert not any(p.xpath(".//w:ins | .//w:del", namespaces=NS) for p in captions)

    # Valid WordprocessingML: the document and the new comments part, related and typed.
    assert_valid(wml_schema, doc)
    assert_valid(wml_schema, part(data, "word/comments.xml"))
    rels = part(data, "word/_rels/document.xml.rels")
    assert [r.get("Target") for r in rels if r.get("Type").endswith("/comments")] == ["comments.xml"]
    types = part(data, "[Content_Types].xml")
    assert any(o.get("PartName") == "/word/comments.xml" and o.get("ContentType").endswith("comments+xml")
               for o in types)
    docx.Document(io.BytesIO(data))  # python-docx opens it

    # Accepting gives NEW. Rejecting gives OLD's text; the chart stays NEW's (a chart part has no
    # tracked changes), and the comment holds the value to go back to.
    assert docx_markdown(accept_docx(data)) == docx_markdown(b)
    rejected = docx_markdown(reject_docx(data))
    assert rejected == docx_markdown(a).replace(before + " |", after + " |")


# ----------------------------------------------------------------------------- small documents


def chart_figure(caption: str, alt: str, rows: list[tuple[str, str]]) -> Figure:
    data = Table(None, ((Text("Län"),), (Text("Beviljat"),)),
                 tuple(((Text(k),), (Text(f"{v}\u00a0mnkr"),)) for k, v in rows), ("left", "right"))
    return Figure("diagram/per-lan", alt, caption, data)


def docx_of(*blocks, tmp_path: Path) -> bytes:
    data, findings = write_docx(Document(blocks), BASE, FIELDS, CORE, tmp_path)
    assert data is not None and not [f for f in findings if f.is_error], findings
    return data


def test_a_changed_caption_is_tracked_and_a_changed_alt_text_is_in_the_comment(tmp_path, wml_schema):
    intro = Paragraph((Text("Medlen fördelades så här."),))
    old = docx_of(intro, chart_figure("Figur 1. Medel per län", "Stapeldiagram. Skåne län 5,2 mnkr.",
                                      [("Skåne län", "5,2"), ("Hallands län", "2,5")]), tmp_path=tmp_path)
    new = docx_of(intro, chart_figure("Figur 1. Beviljade medel per län",
                                      "Liggande stapeldiagram. Skåne län 5,3 mnkr.",
                                      [("Skåne län", "5,3"), ("Gotlands län", "1,5")]), tmp_path=tmp_path)
    result = redline(old, new)
    doc = part(result.data, "word/document.xml")
    assert len(doc.xpath("//c:chart", namespaces=NS)) == 1
    assert not doc.xpath("//w:ins//c:chart | //w:del//c:chart", namespaces=NS)
    caption = doc.xpath("//w:p[w:pPr/w:pStyle/@w:val='Caption']", namespaces=NS)[0]
    assert caption.xpath("string(.//w:ins)", namespaces=NS) == "Beviljade medel"
    assert caption.xpath("string(.//w:del)", namespaces=NS) == "Medel"
    assert caption.xpath("w:commentRangeStart", namespaces=NS)
    ((_, _, _, text, anchor, _),) = comments_with_anchors(result.data)
    assert anchor == "Figur 1. Beviljade medel per län"
    assert text.splitlines() == [
        "Ändrat i diagrammet (före → efter):",
        "Skåne län: 5,2 → 5,3\u00a0mnkr",
        "Ny: Gotlands län 1,5\u00a0mnkr",
        "Borttagen: Hallands län 2,5\u00a0mnkr",
        "Alternativtext: ”Stapeldiagram. Skåne län 5,2 mnkr.” → ”Liggande stapeldiagram. Skåne län 5,3 mnkr.”",
    ]
    assert (result.stats.charts_changed, result.stats.comments) == (1, 1)
    assert_valid(wml_schema, doc)
    assert_valid(wml_schema, part(result.data, "word/comments.xml"))
    assert docx_markdown(accept_docx(result.data)) == docx_markdown(new)
    # Rejected: OLD's caption back, the chart NEW's.
    assert "Figur 1. Medel per län" in docx_markdown(reject_docx(result.data))


def test_a_chart_without_caption_has_the_comment_on_itself(tmp_path, wml_schema):
    old = docx_of(chart_figure("", "Stapeldiagram.", [("Skåne län", "5,2")]), tmp_path=tmp_path)
    new = docx_of(chart_figure("", "Stapeldiagram.", [("Skåne län", "5,25")]), tmp_path=tmp_path)
    result = redline(old, new)
    assert result.data == redline(old, new).data  # reproducible
    doc = part(result.data, "word/document.xml")
    (p,) = doc.xpath("//w:p[.//c:chart]", namespaces=NS)
    assert [el.tag.split("}")[1] for el in p if el.tag != f"{{{W}}}pPr"] == [
        "commentRangeStart", "r", "commentRangeEnd", "r"]
    ((_, _, _, text, _, _),) = comments_with_anchors(result.data)
    assert text.splitlines()[1:] == ["Skåne län: 5,2 → 5,25\u00a0mnkr"]
    assert_valid(wml_schema, doc)


def test_an_unchanged_chart_is_not_marked_and_an_existing_comments_part_is_extended(tmp_path):
    same = chart_figure("Figur 1. Medel per län", "Stapeldiagram.", [("Skåne län", "5,2")])
    old = docx_of(Paragraph((Text("Ett stycke."),)), same, tmp_path=tmp_path)
    new = docx_of(Paragraph((Text("Ett ändrat stycke."),)), same, tmp_path=tmp_path)
    result = redline(old, new)
    assert part(result.data, "word/comments.xml") is None and result.stats.comments == 0
    assert result.stats.changes > 0
    # A document that has comments already: the chart's comment is added to them, with an id of
    # its own.
    changed = docx_of(Paragraph((Text("Ett stycke."),)),
                      chart_figure("Figur 1. Medel per län", "Stapeldiagram.", [("Skåne län", "6,0")]),
                      tmp_path=tmp_path)
    first = redline(old, changed).data
    second = redline(old, first)  # NEW with a comments part of its own
    comments = comments_with_anchors(second.data)
    assert [c[3].splitlines()[1] for c in comments] == ["Skåne län: 5,2 → 6,0\u00a0mnkr"] * 2
    assert len({c[0] for c in comments}) == 2
    assert re.findall(r'Target="comments[^"]*"', zipfile.ZipFile(io.BytesIO(second.data)).read(
        "word/_rels/document.xml.rels").decode()) == ['Target="comments.xml"']


def test_chart_changes_names_series_when_there_are_several():
    d = Decimal
    old = ChartData(("2018", "2019"), (("Ram", (d(20), d(30))), ("Utbetalt", (d("3.4"), d("22.1")))), "mnkr")
    new = ChartData(("2019", "2018", "2020"),
                    (("Ram", (d(30), d(20), d(40))), ("Utbetalt", (d("22.2"), d("3.4"), d(1)))), "mnkr")
    assert chart_changes(old, new) == [
        "2019, Utbetalt: 22,1 → 22,2\u00a0mnkr",
        "Ny: 2020 (Ram 40,0\u00a0mnkr, Utbetalt 1,0\u00a0mnkr)",
        "Ny plats i ordningen: 2019 2 → 1",
    ]
    assert chart_changes(old, old) == []
    # Every value changed and the order too: the bars whose place changed are named.
    swapped = ChartData(("2019", "2018"), (("Ram", (d(31), d(21))), ("Utbetalt", (d(1), d(2)))), "mnkr")
    assert chart_changes(old, swapped)[-1] == "Ny plats i ordningen: 2019 2 → 1, 2018 1 → 2"
    assert chart_changes(old, ChartData(old.categories, old.series[:1], "tkr")) == [
        "Enhet: mnkr → tkr", "Borttagen serie: Utbetalt"]
    assert text_changes("a b c d e f g h", "a b c d X f g h", context=1) == ["”…d e f…” → ”…d X f…”"]


def test_a_ranked_chart_names_the_bars_that_moved_not_those_they_passed():
    d = Decimal
    cats = ("Skåne län", "Västmanlands län", "Östergötlands län", "Kalmar län", "Uppsala län")
    old = ChartData(cats, (("Beviljat", (d("5.2"), d("4.9"), d("4.8"), d("2.5"), d("2.2"))),), "mnkr")
    new = ChartData(("Skåne län", "Östergötlands län", "Kalmar län", "Västmanlands län", "Uppsala län"),
                    (("Beviljat", (d("5.2"), d("4.8"), d("2.5"), d("2.4"), d("2.2"))),), "mnkr")
    assert chart_changes(old, new) == ["Västmanlands län: 4,9 → 2,4\u00a0mnkr",
                                       "Ny plats i ordningen: Västmanlands län 2 → 4"]
    # The alt text states the figures: when only they changed, one line says so.
    assert alt_changes("Skåne län 5,2 mnkr; Västmanlands län 4,9 mnkr.",
                       "Skåne län 5,2 mnkr; Västmanlands län 2,4 mnkr.", True) == [
        "Alternativtexten anger de nya värdena."]
    assert alt_changes("Skåne län 5,2 mnkr.", "Skåne län 5,3 mnkr.", False) == [
        "Alternativtext: ”Skåne län 5,2 mnkr.” → ”Skåne län 5,3 mnkr.”"]


# ----------------------------------------------------------------------------- properties

_COUNTIES = ["Skåne län", "Hallands län", "Gotlands län", "Uppsala län", "Kalmar län"]
_values = st.decimals(min_value=0, max_value=50, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def _chart_rows(draw) -> list[tuple[str, str]]:
    names = draw(st.lists(st.sampled_from(_COUNTIES), min_size=1, max_size=4, unique=True))
    return [(n, table_number(draw(_values))) for n in names]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(_chart_rows(), _chart_rows())
def test_any_chart_edit_accepts_to_new_and_names_every_changed_value(tmp_path, old_rows, new_rows):
    old = docx_of(chart_figure("Figur 1. Medel", "Stapeldiagram.", old_rows), tmp_path=tmp_path)
    new = docx_of(chart_figure("Figur 1. Medel", "Stapeldiagram.", new_rows), tmp_path=tmp_path)
    result = redline(old, new)
    assert docx_markdown(accept_docx(result.data)) == docx_markdown(new)
    assert len(part(result.data, "word/document.xml").xpath("//c:chart", namespaces=NS)) == 1
    comments = comments_with_anchors(result.data)
    if old_rows == new_rows:
        assert comments == []
        return
    ((_, _, _, text, anchor, _),) = comments
    assert anchor == "Figur 1. Medel"
    before, after = dict(old_rows), dict(new_rows)
    for name, value in after.items():
        if name not in before:
            assert f"Ny: {name} {value}\u00a0mnkr" in text.splitlines()
        elif Decimal(before[name].replace(",", ".")) != Decimal(value.replace(",", ".")):
            assert f"{name}: {before[name]} → {value}\u00a0mnkr" in text.splitlines()
    for name, value in before.items():
        if name not in after:
            assert f"Borttagen: {name} {value}\u00a0mnkr" in text.splitlines()
