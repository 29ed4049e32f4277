"""Document tree → .docx on templates/base.docx, read back with python-docx and lxml."""

from __future__ import annotations

import io
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from reportgen.document.tree import (
    Document,
    Figure,
    Heading,
    Paragraph,
    Strong,
    Table,
    Text,
    plain_text,
)
from reportgen.formats.docx.writer import CoreProperties, reproducible_zip, write_docx
from reportgen.formats.markdown.reader import parse

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "templates" / "base.docx"
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture"}

FIELDS = {
    "agency": "Tillväxtverket",
    "title": 'FoU & <utveckling> "x"',
    "subtitle": "Slutrapport",
    "date": "2021-03-01",
    "decision_ref": "Regeringsbeslut 1 mars 2018, N2018/00000/FÖF",
    "your_ref": "Ert dnr N2018/00000/FÖF",
    "our_ref": "Vårt dnr 2018-123",
    "diarienummer": "2018-123",
    "addressee": "Regeringskansliet (Näringsdepartementet)",
}
CORE = CoreProperties(title="Smart industri", subject="Slutrapport", author="Tillväxtverket",
                      keywords="smart industri; rapport",
                      created=datetime(2021, 3, 1, 9, 0), modified=datetime(2021, 3, 1, 9, 0))

SAMPLE = """[TOC]

# Sammanfattning

Text med **fetstil**, *kursiv*, `kod` och en [länk](https://www.tillvaxtverket.se/a?b=1&c=2).
FoU & <utveckling> "x"

## Genomförande

- punkt ett
  - underpunkt
- punkt två

1. första
2. andra

Mellantext.

3. tredje lista börjar på tre

{caption="Tabell 3. Ekonomisk redovisning 2018" .totals}
| Post | Belopp, kr |
|---|--:|
| Bidrag & stöd | 1 000 |
| Summa | 1 000 |

![Stapeldiagram över medel](fig.png "Figur 1. Medel per län")

---

### Slut
"""


def make_png(path: Path, w: int = 40, h: int = 20) -> None:
    """A tiny valid PNG written with zlib alone (no imaging library needed)."""
    raw = b"".join(b"\x00" + bytes((20, 60, 140)) * w for _ in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def images(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("img")
    make_png(root / "fig.png")
    make_png(root / "wide.png", w=4000, h=100)
    return root


@pytest.fixture(scope="module")
def sample(images) -> tuple[bytes, list]:
    doc, findings = parse(SAMPLE, "sample.md")
    assert findings == []
    return write_docx(doc, BASE, FIELDS, CORE, images)


def xml(data: bytes, part: str):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(part))


def texts_of(el) -> str:
    return "".join(el.itertext())


def paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


# ----------------------------------------------------------------------------- placeholders

def test_fills_placeholders_in_body_headers_and_footers(sample):
    data, findings = sample
    assert findings == []
    d = docx.Document(io.BytesIO(data))
    cover, report = d.sections
    assert cover.different_first_page_header_footer
    first = "\n".join(p.text for p in cover.first_page_header.paragraphs)
    assert "Tillväxtverket" in first and "2021-03-01" in first
    assert "Vårt dnr 2018-123" in first and "Ert dnr N2018/00000/FÖF" in first
    running = report.header.paragraphs[0].text
    assert "Tillväxtverket" in running and "2018-123" in running and "2021-03-01" in running
    assert "Sida" in report.footer.paragraphs[0].text
    body_text = [p.text for p in d.paragraphs]
    assert 'FoU & <utveckling> "x"' in body_text  # the title field, intact
    assert "Regeringsbeslut 1 mars 2018, N2018/00000/FÖF" in body_text
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                assert b"{{" not in z.read(name), name


def test_footer_has_page_fields(sample):
    footer = xml(sample[0], "word/footer2.xml")
    instr = " ".join(i.text for i in footer.iter(qn("w:instrText")))
    assert "PAGE" in instr and "NUMPAGES" in instr


def _base_with(tmp_path: Path, edit) -> Path:
    """A copy of base.docx with one part's XML changed by ``edit(part_name, root)``."""
    out = tmp_path / "base-edited.docx"
    with zipfile.ZipFile(BASE) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    for name in list(entries):
        if name.startswith("word/") and name.endswith(".xml"):
            root = etree.fromstring(entries[name])
            if edit(name, root):
                entries[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                               standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, b in entries.items():
            z.writestr(n, b)
    out.write_bytes(buf.getvalue())
    return out


def _split_runs(p, pieces: list[tuple[str, bool]]) -> None:
    """Replace a paragraph's runs by runs holding ``pieces`` (text, bold), the way Word splits
    a placeholder after an edit or a spelling check."""
    for r in p.findall(qn("w:r")):
        p.remove(r)
    for text, bold in pieces:
        r = etree.SubElement(p, qn("w:r"))
        if bold:
            etree.SubElement(etree.SubElement(r, qn("w:rPr")), qn("w:b"))
        t = etree.SubElement(r, qn("w:t"))
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def test_placeholders_split_across_runs(tmp_path):
    def edit(name, root):
        changed = False
        for p in root.iter(qn("w:p")):
            text = paragraph_text(p)
            if name == "word/header2.xml" and "{{ agency }}" in text:
                _split_runs(p, [("Från ", False), ("{{ age", True), ("ncy }} och {", False),
                                ("{date}", True), ("} slut", False)])
                changed = True
            if name == "word/document.xml" and text == "{{ body }}":
                _split_runs(p, [("{{", False), (" bo", True), ("dy }", False), ("}", False)])
                changed = True
        return changed

    base = _base_with(tmp_path, edit)
    doc = Document((Paragraph((Text("Brödtext"),)),))
    data, findings = write_docx(doc, base, FIELDS, CORE)
    assert findings == []
    header = xml(data, "word/header2.xml")
    (p,) = [p for p in header.iter(qn("w:p"))]
    assert paragraph_text(p) == "Från Tillväxtverket och 2021-03-01 slut"
    # Each value sits in the run where its placeholder starts and takes that run's formatting;
    # text around the placeholders keeps its own runs.
    runs = [(paragraph_text(r), r.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None)
            for r in p.findall(qn("w:r"))]
    assert runs == [("Från ", False), ("Tillväxtverket", True), (" och 2021-03-01", False),
                    ("", True), (" slut", False)]
    body = [paragraph_text(p) for p in xml(data, "word/document.xml").iter(qn("w:p"))]
    assert "Brödtext" in body and not any("{" in t for t in body)


def test_placeholders_in_text_boxes(tmp_path):
    """A text box's paragraphs sit inside a run of an outer paragraph; each paragraph's
    placeholders are filled from its own runs only."""
    box = (
        '<w:r xmlns:w="{w}" xmlns:v="urn:schemas-microsoft-com:vml"><w:t xml:space="preserve">'
        'Ute {{{{ date }}}} </w:t></w:r>'
        '<w:r xmlns:w="{w}" xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>{{{{ agen</w:t></w:r><w:r><w:t>cy }}}}</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'
        '<w:r xmlns:w="{w}"><w:t xml:space="preserve"> inne</w:t></w:r>'
    ).format(w=NS["w"])

    def edit(name, root):
        if name != "word/header2.xml":
            return False
        p = root.find("w:p", NS)
        for r in p.findall("w:r", NS):
            p.remove(r)
        for r in etree.fromstring(f"<x>{box}</x>"):
            p.append(r)
        return True

    data, findings = write_docx(Document(()), _base_with(tmp_path, edit), FIELDS, CORE)
    assert findings == []
    header = xml(data, "word/header2.xml")
    outer = header.find("w:p", NS)
    inner = header.find(".//w:txbxContent/w:p", NS)
    assert paragraph_text(inner) == "Tillväxtverket"
    own = [t.text for t in outer.findall("w:r/w:t", NS)]
    assert "".join(own) == "Ute 2021-03-01  inne"


def test_unknown_placeholder_is_an_error_naming_it_and_its_part():
    fields = {k: v for k, v in FIELDS.items() if k != "diarienummer"}
    data, findings = write_docx(Document(()), BASE, fields, CORE)
    assert data is not None  # still written, so a draft can be looked at
    (f,) = findings
    assert f.code == "docx.unknown-placeholder" and f.is_error
    assert "diarienummer" in f.message and "word/header2.xml" in f.message
    assert f.where.file == str(BASE)


def test_missing_body_placeholder(tmp_path):
    def edit(name, root):
        for t in root.iter(qn("w:t")):
            if t.text == "{{ body }}":
                t.text = "ingen brödtext"
                return True
        return False

    data, findings = write_docx(Document(()), _base_with(tmp_path, edit), FIELDS, CORE)
    assert data is None
    assert [f.code for f in findings] == ["docx.body-missing"]


def test_unreadable_base(tmp_path):
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    data, findings = write_docx(Document(()), bad, FIELDS, CORE)
    assert data is None and findings[0].code == "docx.base-unreadable"


# ----------------------------------------------------------------------------- the body

def test_headings_use_heading_styles(sample):
    d = docx.Document(io.BytesIO(sample[0]))
    styles = {p.text: p.style.name for p in d.paragraphs if p.text}
    assert styles["Sammanfattning"] == "Heading 1"
    assert styles["Genomförande"] == "Heading 2"
    assert styles["Slut"] == "Heading 3"


def test_inline_formatting_and_hyperlink(sample):
    data = sample[0]
    body = xml(data, "word/document.xml")
    runs = {paragraph_text(r): r for r in body.iter(qn("w:r"))}
    assert runs["fetstil"].find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
    assert runs["kursiv"].find(f"{qn('w:rPr')}/{qn('w:i')}") is not None
    assert runs["kod"].find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == "HTMLCode"
    (h,) = [h for h in body.iter(qn("w:hyperlink")) if h.get(qn("r:id"))]
    assert paragraph_text(h) == "länk"
    rels = xml(data, "word/_rels/document.xml.rels")
    (rel,) = [r for r in rels if r.get("Id") == h.get(qn("r:id"))]
    assert rel.get("Target") == "https://www.tillvaxtverket.se/a?b=1&c=2"
    assert rel.get("TargetMode") == "External"
    paras = [paragraph_text(p) for p in body.iter(qn("w:p"))]
    assert any(p.endswith('FoU & <utveckling> "x"') for p in paras)


def test_lists_have_real_numbering(sample):
    data = sample[0]
    d = docx.Document(io.BytesIO(data))
    by_text = {p.text: p for p in d.paragraphs}

    def numpr(text):
        n = by_text[text]._p.pPr.numPr
        return int(n.ilvl.val), int(n.numId.val)

    assert by_text["punkt ett"].style.name == "List Bullet"
    assert by_text["första"].style.name == "List Number"
    assert numpr("punkt ett") == (0, numpr("punkt två")[1])
    assert numpr("underpunkt")[0] == 1
    first_list, second_list = numpr("första")[1], numpr("tredje lista börjar på tre")[1]
    assert first_list == numpr("andra")[1] and first_list != second_list
    numbering = xml(data, "word/numbering.xml")
    num = numbering.find(f"w:num[@w:numId='{second_list}']", NS)
    assert num.find("w:lvlOverride/w:startOverride", NS).get(qn("w:val")) == "3"
    abstract_id = num.find("w:abstractNumId", NS).get(qn("w:val"))
    fmt = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl/w:numFmt", NS)
    assert fmt.get(qn("w:val")) == "decimal"


def test_table_header_caption_alignment_totals(sample):
    data = sample[0]
    body = xml(data, "word/document.xml").find("w:body", NS)
    (tbl,) = body.findall("w:tbl", NS)
    caption = tbl.getprevious()
    assert paragraph_text(caption) == "Tabell 3. Ekonomisk redovisning 2018"
    assert caption.find("w:pPr/w:pStyle", NS).get(qn("w:val")) == "Caption"
    assert caption.find("w:pPr/w:keepNext", NS) is not None
    tblpr = tbl.find("w:tblPr", NS)
    assert tblpr.find("w:tblStyle", NS).get(qn("w:val")) == "Rapporttabell"
    assert tblpr.find("w:tblCaption", NS).get(qn("w:val")) == "Tabell 3. Ekonomisk redovisning 2018"
    assert tblpr.find("w:tblDescription", NS) is not None
    assert tblpr.find("w:tblLook", NS).get(qn("w:lastRow")) == "1"
    rows = tbl.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    for row in rows:
        for tc in row.findall("w:tc", NS):
            ps = tc.findall("w:p", NS)
            assert len(ps) == 1 and paragraph_text(ps[0])  # one paragraph, never empty here
    cells = [[paragraph_text(tc) for tc in r.findall("w:tc", NS)] for r in rows]
    assert cells == [["Post", "Belopp, kr"], ["Bidrag & stöd", "1 000"], ["Summa", "1 000"]]
    amount = rows[1].findall("w:tc", NS)[1]
    assert amount.find("w:p/w:pPr/w:jc", NS).get(qn("w:val")) == "right"
    assert rows[2].find(".//w:r/w:rPr/w:b", NS) is not None  # totals row bold
    assert rows[1].find(".//w:r/w:rPr/w:b", NS) is None
    widths = [int(g.get(qn("w:w"))) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(widths) == int(tblpr.find("w:tblW", NS).get(qn("w:w")))
    d = docx.Document(io.BytesIO(data))
    assert d.tables[0].style.name == "Rapporttabell"


def test_figure_has_alt_text_caption_and_fits(sample, images):
    data = sample[0]
    body = xml(data, "word/document.xml")
    (docpr,) = body.iter(f"{{{NS['wp']}}}docPr")
    assert docpr.get("descr") == "Stapeldiagram över medel"
    p = next(body.iter(f"{{{NS['wp']}}}inline")).getparent()
    while p.tag != qn("w:p"):
        p = p.getparent()
    caption = p.getnext()
    assert paragraph_text(caption) == "Figur 1. Medel per län"
    assert caption.find("w:pPr/w:pStyle", NS).get(qn("w:val")) == "Caption"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
    # A very wide image is scaled down to the text width.
    doc = Document((Figure("wide.png", "Bred", "Figur 2"),))
    data, findings = write_docx(doc, BASE, FIELDS, CORE, images)
    assert findings == []
    extent = next(xml(data, "word/document.xml").iter(f"{{{NS['wp']}}}extent"))
    assert int(extent.get("cx")) <= 9072 * 635


def test_missing_image_is_an_error(tmp_path):
    doc = Document((Figure("finns-inte.png", "Karta", "Figur 1"),))
    data, findings = write_docx(doc, BASE, FIELDS, CORE, tmp_path)
    assert data is not None
    assert [f.code for f in findings] == ["docx.image-missing"]


def test_toc_field_prefilled_and_update_on_open(sample):
    data = sample[0]
    body = xml(data, "word/document.xml")
    instr = [i.text for i in body.iter(qn("w:instrText"))]
    assert ' TOC \\o "1-2" \\h \\z \\u ' in instr
    begin = next(f for f in body.iter(qn("w:fldChar")) if f.get(qn("w:fldCharType")) == "begin")
    assert begin.get(qn("w:dirty")) == "true"
    toc_entries = [paragraph_text(p) for p in body.iter(qn("w:p"))
                   if (s := p.find("w:pPr/w:pStyle", NS)) is not None
                   and s.get(qn("w:val")).startswith("TOC")]
    assert toc_entries == ["Innehåll", "Sammanfattning", "Genomförande"]  # "### Slut" is below TOC_LEVELS
    anchors = {h.get(qn("w:anchor")) for h in body.iter(qn("w:hyperlink"))} - {None}
    bookmarks = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    assert anchors and anchors <= bookmarks
    settings = xml(data, "word/settings.xml")
    assert settings.find("w:updateFields", NS).get(qn("w:val")) == "true"


def test_no_update_fields_without_toc():
    data, _ = write_docx(Document((Paragraph((Text("x"),)),)), BASE, FIELDS, CORE)
    assert xml(data, "word/settings.xml").find("w:updateFields", NS) is None


def test_quotes_and_blocks_inside_list_items():
    md = ("> Citat ur beslutet.\n\n- punkt\n\n  fortsättning\n\n- {caption=\"Tabell 9\"}\n"
          "  | a |\n  |---|\n  | 1 |\n")
    doc, findings = parse(md.replace("- {caption", "-\n  {caption"))
    assert findings == []
    data, findings = write_docx(doc, BASE, FIELDS, CORE)
    assert findings == []
    d = docx.Document(io.BytesIO(data))
    styles = {p.text: p.style.name for p in d.paragraphs if p.text}
    assert styles["Citat ur beslutet."] == "Quote"
    assert styles["punkt"] == "List Bullet" and styles["fortsättning"] == "List Continue"
    assert styles["Tabell 9"] == "Caption" and d.tables[0].cell(1, 0).text == "1"


def test_page_break(sample):
    body = xml(sample[0], "word/document.xml")
    assert [b.get(qn("w:type")) for b in body.iter(qn("w:br"))].count("page") == 1


def test_control_characters_are_dropped_not_fatal():
    doc = Document((Paragraph((Text("a\x00b\x0bc\ufffe"),)),
                    Table(None, ((Text("h\x01"),),), (((Text("\x1fv"),),),))))
    fields = dict(FIELDS, title="T\x00i\x08tel")
    data, findings = write_docx(doc, BASE, fields, CORE)
    assert findings == []
    d = docx.Document(io.BytesIO(data))
    texts = [p.text for p in d.paragraphs]
    assert "abc" in texts and "Titel" in texts
    assert d.tables[0].cell(1, 0).text == "v"


def test_body_text_is_never_read_as_placeholder_or_xml():
    doc = Document((Paragraph((Text("{{ agency }} <w:t>&amp;</w:t>"),)),))
    data, findings = write_docx(doc, BASE, FIELDS, CORE)
    assert findings == []
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "{{ agency }} <w:t>&amp;</w:t>" in texts


# ----------------------------------------------------------------------------- package

def test_core_properties(sample):
    cp = docx.Document(io.BytesIO(sample[0])).core_properties
    assert cp.title == "Smart industri" and cp.subject == "Slutrapport"
    assert cp.author == cp.last_modified_by == "Tillväxtverket"
    assert cp.language == "sv-SE" and cp.keywords == "smart industri; rapport"
    assert cp.revision == 1
    assert cp.created == cp.modified == datetime(2021, 3, 1, 9, 0, tzinfo=UTC)
    assert cp.comments == "" and cp.last_printed is None  # nothing leaks from the base


def test_aware_dates_are_written_in_utc():
    cet = timezone(timedelta(hours=1))
    core = CoreProperties(title="t", created=datetime(2021, 3, 1, 10, tzinfo=cet),
                          modified=datetime(2021, 3, 1, 10, tzinfo=cet))
    data, _ = write_docx(Document(()), BASE, FIELDS, core)
    assert docx.Document(io.BytesIO(data)).core_properties.created.hour == 9


def test_language_in_styles_and_settings(sample):
    styles = xml(sample[0], "word/styles.xml")
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(qn("w:val")) == "sv-SE"
    settings = xml(sample[0], "word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(qn("w:val")) == "sv-SE"


def test_two_writes_are_byte_identical(images):
    doc, _ = parse(SAMPLE)
    a, _ = write_docx(doc, BASE, FIELDS, CORE, images)
    b, _ = write_docx(doc, BASE, FIELDS, CORE, images)
    assert a == b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}
    assert {(i.external_attr, i.create_system) for i in infos} == {(0o644 << 16, 3)}


# Everything that needs escaping, wherever the writer puts text: runs, tabs, links, code, a
# table caption (an attribute too), cells; the contents title is a field, so it keeps its \r.
ESCAPES = SAMPLE + """
Tecken: & < > " ' ]]> \u00a0 \U0001F600 och\ttabb, `kod & <x>`, [a&b](https://ex.se/?a=1&b="2"),
[ankare](#sammanfattning), [tom]()

{caption="Tabell 4. \\"Citat\\" & <vinkel>\tflik"}
| A & B | <C> | |
|---|:-:|--:|
| x\ty | | **fet** *kursiv* |
| [l](#x) | `k` | |
"""


def base_without_styles(tmp_path: Path) -> Path:
    """The base with no style the writer can find: paragraphs and cells without properties."""
    with zipfile.ZipFile(BASE) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    entries["word/styles.xml"] = re.sub(rb'<w:name w:val="[^"]*"/>', b'<w:name w:val="x"/>',
                                        entries["word/styles.xml"])
    path = tmp_path / "nostyles.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return path


def test_body_text_is_what_lxml_would_write(images, tmp_path, monkeypatch):
    """The body is written as XML text and spliced into the serialized main document (the fast
    path, formats/docx/_fast_body.py). Parsed
    into elements instead and serialized by lxml, the same text must give the same bytes:
    escaping, empty elements as <x/>, prefixes."""
    doc, _ = parse(ESCAPES)
    fields = {**FIELDS, "toc_title": 'Inne\rhåll & <x>\t"y"'}
    for base in (BASE, base_without_styles(tmp_path)):
        spliced = write_docx(doc, base, fields, CORE, images)
        with monkeypatch.context() as mp:
            mp.setenv("REPORTGEN_FAST_PATHS", "0")  # the general way: parsed into elements
            parsed = write_docx(doc, base, fields, CORE, images)
        assert spliced == parsed
    body = xml(spliced[0], "word/document.xml")
    assert b"<w:p/>" in etree.tostring(body)  # the empty first cells, without a style


def test_a_base_with_other_prefixes(images, tmp_path):
    """Word and LibreOffice bind WordprocessingML to the prefix w; a base that does not still
    gets the same body (then parsed into elements rather than spliced in as text)."""
    with zipfile.ZipFile(BASE) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    entries["word/document.xml"] = re.sub(rb"(</?|\s|xmlns:)w([:=])", rb"\1ww\2",
                                          entries["word/document.xml"])
    other = tmp_path / "ww.docx"
    with zipfile.ZipFile(other, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    doc, _ = parse(ESCAPES)
    ours, findings = write_docx(doc, BASE, FIELDS, CORE, images)
    theirs, findings2 = write_docx(doc, other, FIELDS, CORE, images)
    assert findings == findings2 == []
    main = xml(theirs, "word/document.xml")
    assert main.prefix == "ww" and b"<w:" not in etree.tostring(main)

    def content(data: bytes):
        d = docx.Document(io.BytesIO(data))
        return ([(p.style.name, p.text) for p in d.paragraphs],
                [[c.text for c in row.cells] for t in d.tables for row in t.rows])

    assert content(theirs) == content(ours)


def test_reproducible_zip_is_idempotent():
    data = BASE.read_bytes()
    assert reproducible_zip(data) == data


def test_base_template_is_what_the_script_builds():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import make_base_docx
    finally:
        sys.path.pop(0)
    assert make_base_docx.build() == BASE.read_bytes(), "run tools/make_base_docx.py"


def test_base_template_layout():
    d = docx.Document(str(BASE))
    for s in d.sections:
        assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
        assert round(s.left_margin.mm) == round(s.right_margin.mm) == 25
    bodies = [p for p in d.paragraphs if p.text.strip() == "{{ body }}"]
    assert len(bodies) == 1
    names = {s.name for s in d.styles}
    assert {"Title", "Subtitle", "Heading 1", "Heading 4", "Normal", "List Bullet", "List Number",
            "Caption", "TOC Heading", "Rapporttabell", "Tabelltext"} <= names


# ----------------------------------------------------------------------------- scale

@pytest.mark.slow
def test_ten_thousand_rows_is_fast():
    rows = tuple(tuple((Text(f"{i * 7 + j} {'Östergötlands län' if j == 0 else ''}"),)
                       for j in range(6)) for i in range(10_000))
    table = Table("Tabell 1. Stor tabell", tuple((Text(f"Kolumn {j}"),) for j in range(6)), rows,
                  ("left",) + ("right",) * 5, True)
    doc = Document((Heading(1, (Text("Bilaga"),)), table))
    start = time.perf_counter()
    data, findings = write_docx(doc, BASE, FIELDS, CORE)
    elapsed = time.perf_counter() - start
    print(f"\n10 000 rows x 6 columns: {elapsed:.2f} s, {len(data) / 1e6:.1f} MB")
    assert findings == [] and elapsed < 10
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml")
    assert body.count(b"<w:tr>") == 10_001


# ----------------------------------------------------------------------------- LibreOffice

@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_libreoffice_converts_to_pdf(sample, tmp_path):
    src = tmp_path / "rapport.docx"
    src.write_bytes(sample[0])
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=120)
    pdf = tmp_path / "rapport.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        for expected in ("Sammanfattning", "Tabell 3. Ekonomisk redovisning 2018",
                         'FoU & <utveckling> "x"', "Sida 2 av"):
            assert expected in text


CHART_DOC = '''# Diagram

![Liggande stapeldiagram. Medel: Skåne 5,2 mnkr; Gotland 1,5 mnkr.](diagram/x "Figur 1. Medel")

{.chart}
| Län | Beviljat |
| --- | ---: |
| Skåne län | 5,2\u00a0mnkr |
| Gotlands län | 1\u00a0234,5 mnkr |
'''


def test_a_chart_gives_the_same_bytes_with_the_fast_path_off(monkeypatch) -> None:
    # The chart's wp:inline is written as text too: the general way (parsed into elements) must
    # know its prefix and give the spliced bytes.
    doc, _ = parse(CHART_DOC)
    spliced, findings = write_docx(doc, BASE, FIELDS, CORE)
    assert findings == []
    monkeypatch.setenv("REPORTGEN_FAST_PATHS", "0")
    assert write_docx(doc, BASE, FIELDS, CORE) == (spliced, [])


def test_a_figure_with_data_is_a_native_chart_with_its_workbook() -> None:
    import openpyxl

    doc, _ = parse(CHART_DOC)
    data, findings = write_docx(doc, BASE, FIELDS, CORE)
    assert findings == []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert "word/charts/chart1.xml" in names and "word/embeddings/Microsoft_Excel_Worksheet1.xlsx" in names
        assert not [n for n in names if n.startswith("word/media/")]
        book = openpyxl.load_workbook(io.BytesIO(z.read("word/embeddings/Microsoft_Excel_Worksheet1.xlsx")))
        assert list(book.active.iter_rows(values_only=True)) == [("Län", "Beviljat"), ("Skåne län", 5.2),
                                                                  ("Gotlands län", 1234.5)]
    body = xml(data, "word/document.xml")
    doc_pr = body.find(".//" + qn("wp:docPr"))
    assert doc_pr.get("name") == "diagram/x"
    assert doc_pr.get("descr") == "Liggande stapeldiagram. Medel: Skåne 5,2 mnkr; Gotland 1,5 mnkr."
    assert write_docx(doc, BASE, FIELDS, CORE)[0] == data  # same bytes again


@pytest.mark.parametrize(("cells", "message"), [
    (("5,2 mnkr", "1,5 tkr"), "several units"),
    (("5,2 mnkr", "mycket"), "'mycket' (row 'Gotlands län') is not a number"),
])
def test_chart_data_that_is_not_numbers_in_one_unit_is_an_error(cells, message) -> None:
    text = CHART_DOC.replace("5,2\u00a0mnkr", cells[0]).replace("1\u00a0234,5 mnkr", cells[1])
    doc, _ = parse(text)
    data, findings = write_docx(doc, BASE, FIELDS, CORE)
    assert [f.code for f in findings] == ["docx.chart-data"]
    assert message in findings[0].message
    assert data is not None and b"word/charts/" not in data


def test_not_xml_is_exactly_what_xml_1_0_excludes():
    # The pattern lists the excluded characters (a negated class of the allowed ones took
    # 9-14 ms to compile at every start); checked against the Char production for every code point.
    from reportgen.formats.docx.writer import _NOT_XML

    def allowed(cp: int) -> bool:
        return cp in (0x9, 0xA, 0xD) or 0x20 <= cp <= 0xD7FF or 0xE000 <= cp <= 0xFFFD or 0x10000 <= cp <= 0x10FFFF

    everything = "".join(map(chr, range(0x110000)))
    assert [ord(c) for c in _NOT_XML.findall(everything)] == [cp for cp in range(0x110000) if not allowed(cp)]


def _kept_rows(table) -> list[bool]:
    """For each row of a python-docx table: whether its paragraphs keep with the next."""
    return [all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in row._tr.iter(qn("w:p")))
            for row in table.rows]


@pytest.mark.parametrize("rows, expected", [
    # A short table stays on one page: every row but the last keeps with the next.
    (4, [True, True, True, True, False]),
    # A long one may break, but not after its header or first row, nor before its last row.
    (20, [True, True] + [False] * 17 + [True, False]),
])
def test_a_table_does_not_leave_a_header_or_a_total_alone_on_a_page(rows, expected):
    md = "| År | Belopp |\n|---|---:|\n" + "".join(f"| {2000 + i} | {i} kr |\n" for i in range(rows))
    doc, findings = parse(md)
    assert not findings
    data, findings = write_docx(doc, BASE, FIELDS, CORE)
    [table] = docx.Document(io.BytesIO(data)).tables
    assert _kept_rows(table) == expected


def test_table_cells_are_escaped_row_by_row_as_cell_by_cell():
    """The plain cells of a row are escaped together (writer._row_writer): each must still read
    back as its own text, next to cells with formatting, missing cells and odd characters."""
    rows = ((Text("a & b"),), (Text("<w:t>x</w:t>"),), (Strong((Text("fet & <b>"),)),)), \
        ((Text('"q" > \x01'),), (), (Text("sist\u00a0&amp;"),)), \
        ((Text("kort"),),)
    doc = Document((Table("Tabell 1. Tecken", ((Text("A"),), (Text("B & C"),), (Text("D"),)), rows,
                          ("left", "right", "left"), False),))
    data, findings = write_docx(doc, BASE, FIELDS, CORE)
    assert findings == []
    table = docx.Document(io.BytesIO(data)).tables[0]
    assert [[c.text for c in r.cells] for r in table.rows] == [
        ["A", "B & C", "D"], ["a & b", "<w:t>x</w:t>", "fet & <b>"], ['"q" > ', "", "sist\u00a0&amp;"],
        ["kort", "", ""]]


def test_column_widths_are_those_of_measuring_every_cell():
    """writer._Builder._widths measures each distinct cell text once and skips those too short to
    matter; the widths must be those of measuring every cell of the sample."""
    import random

    from reportgen.formats.docx import writer

    def reference(t, total):
        mins, wants = [], []
        for j in range(len(t.header)):
            head = plain_text(t.header[j])
            token = max((len(w) for w in writer._BREAKABLE.split(head)), default=0) * writer._CHAR_BOLD
            longest = len(head) * writer._CHAR_BOLD
            for row in t.rows[:2000]:
                text = plain_text(row[j])
                longest = max(longest, min(len(text), 60) * writer._CHAR)
                for word in writer._BREAKABLE.split(text):
                    n = len(word)
                    if n > 14 and not any(map(str.isdigit, word)):
                        n = 14
                    token = max(token, n * writer._CHAR)
            mins.append(token + writer._CELL_PAD)
            wants.append(max(longest, token) + writer._CELL_PAD)
        if sum(mins) >= total:
            widths = [total * m // sum(mins) for m in mins]
        elif sum(wants) <= total:
            widths = [total * w // sum(wants) for w in wants]
        else:
            spare = total - sum(mins)
            flex = [w - m for w, m in zip(wants, mins)]
            widths = [m + spare * f // sum(flex) for m, f in zip(mins, flex)]
        widths[-1] += total - sum(widths)
        return widths

    words = ["", "a", "Region", "Västra Götalands län", "1\u00a0234\u00a0567 kr", "Kunskapslyftindustrin",
             "SI-2018-000012345", "avslutat", "x\ty", "ett två tre fyra fem sex sju åtta nio tio elva tolv"]
    rng = random.Random(17)
    builder = writer._Builder.__new__(writer._Builder)
    for _ in range(300):
        n = rng.randint(1, 5)
        header = tuple((Text(rng.choice(words) or "h"),) for _ in range(n))
        rows = tuple(tuple((Text(rng.choice(words)),) if rng.random() < 0.9 else
                           (Strong((Text(rng.choice(words)),)), Text(rng.choice(words)))
                           for _ in range(n)) for _ in range(rng.randint(0, 40)))
        t = Table(None, header, rows, ("left",) * n, False)
        builder.text_width_twips = rng.choice([9070, 3000, 600])
        assert builder._widths(t) == reference(t, builder.text_width_twips)
