"""Provenance of narrative text: Sourced values → Source nodes → content controls and bookmarks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from reportgen.document.tree import (
    BulletList,
    Document,
    Paragraph,
    Source,
    Text,
    plain_text,
    unwrap_sources,
)
from reportgen.formats.docx.reader import read_docx, read_docx_parts
from reportgen.formats.docx.writer import CoreProperties, write_docx
from reportgen.formats.markdown.reader import parse
from reportgen.formats.markdown.writer import write_markdown
from reportgen.ooxml.provenance import bookmark_places, read_custom_properties
from reportgen.report.render import Markdown, Sourced, _sandbox, render

ROOT = Path(__file__).resolve().parents[2]
from conftest import OOXML_XSD

XSD = OOXML_XSD


def rendered(template: str, **context) -> str:
    import jinja2

    env = _sandbox(jinja2.DictLoader({"t.md.j2": template}))
    text, findings = render(env, "t.md.j2", context)
    assert not findings, findings
    return text


def test_a_sourced_value_printed_as_a_block_becomes_a_source():
    value = Sourced("Ett *stycke*.\n\n- a\n- b\n", "projects[3].summary")
    doc, findings = parse(rendered("# Rubrik\n\n{{ v }}\n\nSlut.\n", v=value))
    assert not findings
    assert doc.blocks[1] == Source("projects[3].summary", parse("Ett *stycke*.\n\n- a\n- b\n")[0].blocks)
    assert doc.blocks[2] == Paragraph((Text("Slut."),))
    # The draft is what it was without provenance.
    plain = rendered("# Rubrik\n\n{{ v }}\n\nSlut.\n", v=Markdown(str(value)))
    assert write_markdown(doc) == write_markdown(parse(plain)[0])


def test_a_sourced_value_printed_inline_is_plain_markdown():
    value = Sourced("*viktigt*", "evaluation.findings[0]")
    text = rendered("- Iakttagelse: {{ v }}\n- {{ v }}\n", v=value)
    doc, _ = parse(text)
    assert not any(isinstance(b, Source) for b in doc.blocks)
    assert isinstance(doc.blocks[0], BulletList) and "\ue0f0" not in text and ":::" not in text


def test_filters_keep_the_source_and_marker_lines_in_a_value_stay_text():
    value = Sourced("## Del\n\n:::\n\n::: {source=\"x\"}\n", "texts.a.b")
    doc, _ = parse(rendered("# A\n\n{{ v|rubriknivå(1) }}\n", v=value))
    source = doc.blocks[1]
    assert isinstance(source, Source) and source.path == "texts.a.b"
    assert [type(b).__name__ for b in source.blocks] == ["Heading", "Paragraph", "Paragraph"]
    assert source.blocks[0].level == 3
    assert [plain_text(b.inlines) for b in source.blocks[1:]] == [":::", '::: {source="x"}']


def test_an_unclosed_marker_is_text():
    doc, _ = parse('::: {source="a"}\n\nText\n')
    assert not any(isinstance(b, Source) for b in doc.blocks)


def _docx(doc: Document, tmp_path: Path) -> bytes:
    core = CoreProperties(title="T", created=dt.datetime(2021, 3, 31), modified=dt.datetime(2021, 3, 31))
    data, _findings = write_docx(doc, ROOT / "templates" / "base.docx", {}, core, custom={"k": "v"})
    assert data is not None
    return data


def test_the_docx_marks_a_source_with_a_content_control_and_a_bookmark(tmp_path: Path):
    inner = parse("Första stycket.\n\nAndra *stycket*.\n")[0].blocks
    doc = Document((Paragraph((Text("Genererat."),)), Source("projects[0].summary", inner),
                    Paragraph((Text("Mer."),))))
    data = _docx(doc, tmp_path)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    sdt = root.find(".//w:body/w:sdt", ns)
    assert sdt.find("w:sdtPr/w:tag", ns).get(f"{{{ns['w']}}}val") == "src:projects[0].summary"
    assert sdt.find("w:sdtPr/w:lock", ns).get(f"{{{ns['w']}}}val") == "sdtLocked"
    paragraphs = sdt.findall("w:sdtContent/w:p", ns)
    assert len(paragraphs) == 2
    assert paragraphs[0].find("w:bookmarkStart", ns).get(f"{{{ns['w']}}}name") == "_RgSrc1"
    assert paragraphs[1].find("w:bookmarkEnd", ns) is not None
    props = read_custom_properties(data)
    assert props["k"] == "v" and bookmark_places(props) == {"_RgSrc1": "projects[0].summary"}
    # Readers see through it.
    assert read_docx(data)[0] == unwrap_sources(doc)
    parts, _ = read_docx_parts(data)
    assert [(p.place, p.blocks) for p in parts] == [(None, doc.blocks[:1]), ("projects[0].summary", inner),
                                                     (None, doc.blocks[2:])]


@pytest.mark.skipif(not (XSD / "wml.xsd").is_file(), reason="the OOXML schemas (../shared/reference) are absent")
def test_the_content_control_is_valid_wordprocessingml(tmp_path: Path):
    xsd_dir = tmp_path / "xsd"
    xsd_dir.mkdir()
    for f in XSD.glob("*.xsd"):
        (xsd_dir / f.name).write_bytes(f.read_bytes())
    (xsd_dir / "xml.xsd").write_text(
        '<?xml version="1.0"?><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="http://www.w3.org/XML/1998/namespace">'
        '<xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName"/></xs:simpleType>'
        '</xs:attribute><xs:attribute name="lang" type="xs:language"/></xs:schema>')
    wml = xsd_dir / "wml.xsd"
    wml.write_text(wml.read_text(encoding="utf-8").replace(
        '<xsd:import namespace="http://www.w3.org/XML/1998/namespace"/>',
        '<xsd:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>'),
        encoding="utf-8")
    schema = etree.XMLSchema(etree.parse(str(wml)))
    doc = Document((Source("texts.a.b", parse("Ett stycke.\n\n- a\n- b\n")[0].blocks),))
    data = _docx(doc, tmp_path)
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    mc = "http://schemas.openxmlformats.org/markup-compatibility/2006"
    ignorable = {root.nsmap.get(p) for p in (root.get(f"{{{mc}}}Ignorable") or "").split()}
    for el in list(root.iter()):
        for a in list(el.attrib):
            if a.startswith(f"{{{mc}}}") or a[1:].split("}")[0] in ignorable:
                del el.attrib[a]
    sdt = root.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sdt")
    assert sdt is not None
    assert schema.validate(root), schema.error_log
    custom = etree.XMLSchema(etree.parse(str(xsd_dir / "shared-documentPropertiesCustom.xsd")))
    assert custom.validate(etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("docProps/custom.xml")))
