"""Accessibility of the written .docx: reportgen.a11y.check_docx, `reportgen check-docx`, and the
check that `reportgen build` runs on every document before writing it."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLE_INPUTS, ROOT, run_cli
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from reportgen import a11y
from reportgen.a11y import CODES, check_docx
from reportgen.build import build

IDS = ("genomforandeplan-2018", "delrapport-2019", "delrapport-2020", "slutredovisning-2021")
TODAY = dt.date(2022, 1, 15)
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The four deliverables of the example inputs, built once for the module."""
    out = tmp_path_factory.mktemp("a11y") / "outputs"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPORTGEN_CACHE_DIR", str(out.parent / "cache"))
        result = build(EXAMPLE_INPUTS, out, today=TODAY)
    assert result.ok, [f.format_text() for f in result.findings if f.is_error]
    return out


def edit_docx(data: bytes, edit, part: str = "word/document.xml") -> bytes:
    """The .docx with ``edit(root)`` applied to one XML part."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    root = etree.fromstring(entries[part])
    edit(root)
    entries[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return buf.getvalue()


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def small_doc(build_body, *, title: str = "Rapport", lang: str | None = "sv-SE") -> bytes:
    """A python-docx document: ``build_body(document)`` adds the content."""
    d = docx.Document()
    d.core_properties.title = title
    if lang:
        d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(
            qn("w:lang")).set(qn("w:val"), lang)
        d.settings.element.find(qn("w:themeFontLang")).set(qn("w:val"), lang)
    build_body(d)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------------------- the deliverables


def test_every_built_deliverable_passes(built: Path) -> None:
    for deliverable in IDS:
        path = built / f"{deliverable}.docx"
        assert check_docx(path, language="sv-SE") == [], deliverable


def test_check_docx_command_passes_on_the_deliverables(built: Path) -> None:
    result = run_cli("check-docx", "--lang", "sv-SE", *(str(built / f"{i}.docx") for i in IDS))
    assert result.exit_code == 0, result.stderr
    assert "4 files checked, 0 failed" in result.stderr


def test_the_deliverables_carry_language_and_properties(built: Path) -> None:
    d = docx.Document(str(built / "slutredovisning-2021.docx"))
    core = d.core_properties
    assert core.title.startswith("Slutredovisning – ")
    assert core.subject and core.author == "Tillväxtverket" and core.language == "sv-SE"
    lang = d.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(qn("w:val")) == "sv-SE"
    assert d.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == "sv-SE"


def test_the_final_report_has_at_least_three_charts_with_alt_text(built: Path) -> None:
    with zipfile.ZipFile(built / "slutredovisning-2021.docx") as z:
        root = etree.fromstring(z.read("word/document.xml"))
    drawings = root.findall(".//w:drawing", NS)
    assert len(drawings) >= 3
    for d in drawings:
        descr = d.find(".//wp:docPr", NS).get("descr")
        assert descr.startswith(("Stapeldiagram.", "Liggande stapeldiagram.")) and "mnkr" in descr
    captions = [c for c in (("".join(p.itertext())) for p in root.iter(qn("w:p"))) if c.startswith("Figur ")]
    assert captions[:3] == [c for c in captions[:3] if c[6].isdigit()] and len(captions) == len(drawings)


# ---------------------------------------------------------------------------- failing documents


def test_an_image_without_alt_text_fails(built: Path, tmp_path: Path) -> None:
    def strip(root):
        for el in root.iter(f"{{{NS['wp']}}}docPr", f"{{{NS['pic']}}}cNvPr"):
            el.attrib.pop("descr", None)
            break  # only the first picture's docPr
    bad = tmp_path / "bad.docx"
    bad.write_bytes(edit_docx((built / "slutredovisning-2021.docx").read_bytes(), strip))
    found = check_docx(bad)
    assert codes(found) == ["a11y-alt-text"]
    assert found[0].where.file == str(bad)
    assert found[0].message.startswith('picture 1 ("figurer/slutredovisning-2021-by-county.png") in paragraph ')
    assert 'before "Figur 1. Beviljade medel per län' in found[0].message
    result = run_cli("check-docx", str(bad))
    assert result.exit_code == 1
    assert "[a11y-alt-text]" in result.stderr


def test_a_decorative_image_needs_no_alt_text(built: Path) -> None:
    def decorative(root):
        docpr = root.find(".//wp:docPr", NS)
        docpr.attrib.pop("descr")
        ext = etree.SubElement(etree.SubElement(docpr, "{http://schemas.openxmlformats.org/drawingml/2006/main}extLst"),
                               "{http://schemas.openxmlformats.org/drawingml/2006/main}ext",
                               uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}")
        etree.SubElement(ext, "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative", val="1")
    data = edit_docx((built / "slutredovisning-2021.docx").read_bytes(), decorative)
    assert check_docx(data) == []


def test_a_skipped_heading_level_fails(built: Path) -> None:
    def skip(root):
        # The first level-2 heading ("Ekonomiska ramar och villkor", under "Uppdraget") becomes level 3.
        style = next(s for s in root.iter(qn("w:pStyle")) if s.get(qn("w:val")) == "Heading2")
        style.set(qn("w:val"), "Heading3")
    found = check_docx(edit_docx((built / "delrapport-2019.docx").read_bytes(), skip), name="d.docx")
    assert codes(found) == ["a11y-heading-order"]
    message = found[0].message
    assert '("Ekonomiska ramar och villkor"): heading level 3 follows level 1' in message
    assert '("Uppdraget")' in message and "level 2 is skipped" in message
    assert message.startswith("paragraph ")


def test_a_table_without_a_marked_header_row_fails(built: Path) -> None:
    def unmark(root):
        table = root.findall(".//w:tbl", NS)[2]
        header = table.find("w:tr/w:trPr/w:tblHeader", NS)
        header.getparent().remove(header)
    found = check_docx(edit_docx((built / "slutredovisning-2021.docx").read_bytes(), unmark), name="s.docx")
    assert codes(found) == ["a11y-table-header"]
    assert found[0].message.startswith('table 3 ("Tabell 3. ')
    assert found[0].message.endswith("): no header row marked to repeat (w:tblHeader on the first row)")
    assert str(found[0].where) == "s.docx"


def test_a_merged_header_cell_fails(built: Path) -> None:
    def merge(root):
        tc = root.find(".//w:tbl/w:tr/w:tc", NS)
        parse = parse_xml(f'<w:gridSpan {nsdecls("w")} w:val="2"/>')
        tc.find("w:tcPr", NS).append(parse)
    found = check_docx(edit_docx((built / "delrapport-2020.docx").read_bytes(), merge))
    assert codes(found) == ["a11y-merged-header"]
    assert "header row 1, cell 1" in found[0].message and "spans 2 columns" in found[0].message


def test_missing_language_and_title_fail() -> None:
    def no_lang(root):
        for el in root.iter(qn("w:lang")):
            el.getparent().remove(el)
    data = small_doc(lambda d: d.add_paragraph("Text."), title="", lang=None)
    found = check_docx(data)
    assert codes(found) == ["a11y-title"]  # python-docx's template is en-US: a language is set
    assert codes(check_docx(data, language="sv-SE")) == ["a11y-lang", "a11y-lang", "a11y-title"]
    stripped = edit_docx(edit_docx(data, no_lang, "word/styles.xml"),
                         lambda r: r.remove(r.find(qn("w:themeFontLang"))), "word/settings.xml")
    lang = [f for f in check_docx(stripped) if f.code == "a11y-lang"]
    assert len(lang) == 1 and lang[0].message.startswith("no document language")


def test_headings_are_found_by_localized_style_names_and_outline_level() -> None:
    def body(d):
        styles = d.styles.element
        styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Rubrik1">'
                                '<w:name w:val="Rubrik 1"/></w:style>'))
        styles.append(parse_xml(f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="Kapitel">'
                                '<w:name w:val="Kapitel"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'))
        d.add_paragraph("Inledning", style="Rubrik 1")
        d.add_paragraph("Djupt ner", style="Kapitel")
    found = check_docx(small_doc(body))
    assert codes(found) == ["a11y-heading-order"]
    assert "paragraph 2 (\"Djupt ner\"): heading level 3 follows level 1" in found[0].message


def test_the_first_heading_must_be_level_one() -> None:
    found = check_docx(small_doc(lambda d: (d.add_heading("Rapport", 0), d.add_heading("Bakgrund", 2))))
    assert codes(found) == ["a11y-heading-order"]
    assert found[0].message == 'paragraph 2 ("Bakgrund"): the first heading is level 2; the headings should start at level 1'


def test_typed_lists_fail_and_real_lists_pass() -> None:
    def body(d):
        d.add_paragraph("Inledande text.")
        d.add_paragraph("• första")
        d.add_paragraph("• andra")
        d.add_paragraph("Mellan.")
        d.add_paragraph("1. ett")
        d.add_paragraph("a) alfa")
        d.add_paragraph("riktig punkt", style="List Bullet")
        d.add_paragraph("riktig siffra", style="List Number")
        d.add_paragraph("- 2021 var ett bra år")
        d.add_paragraph("2021. Ett år, inte en lista.")
    found = [f for f in check_docx(small_doc(body)) if f.code == "a11y-fake-list"]
    messages = [f.message for f in found]
    assert messages[0] == 'paragraphs 2–3 ("• första"): typed as a list ("•") without list numbering'
    assert messages[1].startswith('paragraphs 5–6 ("1. ett"): typed as a list ("1.")')
    assert messages[2].startswith('paragraph 9 ("- 2021 var ett bra år")')
    assert len(found) == 3


def test_empty_paragraphs_for_spacing_fail_but_break_carriers_pass() -> None:
    def body(d):
        d.add_paragraph("Första.")
        d.add_paragraph("")
        d.add_paragraph("")
        d.add_paragraph("Andra.")
        d.add_page_break()  # an empty paragraph holding a page break: allowed
        d.add_paragraph("Tredje.")
        d.add_paragraph("  ")
        d.add_paragraph("Fjärde.")
        d.add_table(rows=1, cols=1)
        d.add_paragraph("")  # ends the body after a table: allowed
    found = check_docx(small_doc(body))
    assert sorted(codes(found)) == ["a11y-empty-paragraph", "a11y-empty-paragraph", "a11y-table-header"]
    empty = [f.message for f in found if f.code == "a11y-empty-paragraph"]
    assert empty == ['paragraphs 2–3 after "Första.": 2 empty paragraphs in a row used for spacing',
                     'paragraph 7 after "Tredje.": an empty paragraph used for spacing']


def test_findings_do_not_depend_on_how_the_document_is_read(monkeypatch) -> None:
    """The main document is parsed a piece at a time and each body-level block dropped once
    read; the numbers in the findings (paragraphs, tables, pictures) run on across pieces."""
    raw = b"\x00\xff\x00\x00" * 4
    png = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 1, 8, 2, 0, 0, 0))
           + _png_chunk(b"IDAT", zlib.compress(raw)) + _png_chunk(b"IEND", b""))

    def body(d):
        for i in range(400):
            d.add_paragraph(f"Stycke {i}: " + "text " * 8)
            if i % 100 == 50:
                d.add_paragraph("• handskriven punkt")
                d.add_paragraph("")
                d.add_heading(f"Rubrik {i}", 3)
            if i % 100 == 99:
                d.add_table(rows=2, cols=2).cell(0, 0).text = f"Tabell {i}"
                d.add_picture(io.BytesIO(png))
    data = small_doc(body)
    monkeypatch.setattr(a11y, "_FEED", 1 << 30)  # the whole part at once
    whole = check_docx(data)
    for feed in (512, 4096):
        monkeypatch.setattr(a11y, "_FEED", feed)
        assert check_docx(data) == whole
    messages = [f.message for f in whole]
    assert len(messages) == 17
    assert messages[0].startswith('paragraph 54 ("Rubrik 50"): the first heading is level 3')
    assert messages[4] == ('table 4 ("Tabell 399 |"): no header row marked to repeat '
                           '(w:tblHeader on the first row)')
    assert messages[5] == ('picture 1 ("image.png") in paragraph 104, before "Stycke 100: text '
                           'text text text text text text text": no alternative text')
    assert messages[8] == 'picture 4 ("image.png") in paragraph 416: no alternative text'
    assert messages[12] == ('paragraph 364 ("• handskriven punkt"): typed as a list ("•") '
                            'without list numbering')
    assert messages[16] == ('paragraph 365 after "• handskriven punkt": an empty paragraph used '
                            'for spacing')


def test_a_broken_main_document_is_reported_as_the_parser_words_it() -> None:
    data = small_doc(lambda d: d.add_paragraph("Text."))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    for broken in (b"", entries["word/document.xml"][:-30],
                   entries["word/document.xml"].replace(b"Text.", b"&undefined;")):
        # The streaming parser words some errors differently ("no element found" for both the
        # empty and the undefined entity case); the message is the whole-part parser's.
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        with pytest.raises(etree.XMLSyntaxError) as exc:
            etree.fromstring(broken, parser)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, content in {**entries, "word/document.xml": broken}.items():
                z.writestr(name, content)
        found = check_docx(buf.getvalue())
        assert codes(found) == ["a11y-unreadable"]
        assert found[0].message == f"word/document.xml is not well-formed XML: {exc.value}"


def test_missing_and_non_docx_files_exit_2(tmp_path: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("not a zip", encoding="utf-8")
    empty_zip = tmp_path / "empty.docx"
    with zipfile.ZipFile(empty_zip, "w") as z:
        z.writestr("hello.txt", "hi")
    assert codes(check_docx(tmp_path / "nothing.docx")) == ["a11y-unreadable"]
    assert check_docx(empty_zip)[0].message.startswith("not a .docx: no Word main document")
    result = run_cli("check-docx", str(tmp_path / "nothing.docx"), str(text), str(empty_zip))
    assert result.exit_code == 2
    assert "nothing.docx: error: no such file [a11y-unreadable]" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_json_output_lists_code_file_and_message(built: Path, tmp_path: Path) -> None:
    def unmark(root):
        for el in root.findall(".//w:tblHeader", NS):
            el.getparent().remove(el)
    bad = tmp_path / "bad.docx"
    bad.write_bytes(edit_docx((built / "genomforandeplan-2018.docx").read_bytes(), unmark))
    result = run_cli("check-docx", "--format", "json", str(bad))
    assert result.exit_code == 1
    items = json.loads(result.stdout)
    assert {i["code"] for i in items} == {"a11y-table-header"}
    assert all(i["file"] == str(bad) and i["message"].startswith("table ") for i in items)
    assert set(CODES) >= {i["code"] for i in items}


def test_build_fails_and_writes_nothing_on_an_accessibility_failure(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    plan = templates / "genomforandeplan.md.j2"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("# Tidplan\n", "# Tidplan\n\n### Hoppar över en nivå\n", 1), encoding="utf-8")
    out = tmp_path / "outputs"
    result = run_cli("build", "genomforandeplan-2018", "--inputs", str(EXAMPLE_INPUTS), "--out", str(out),
                     "--templates", str(templates), "--today", TODAY.isoformat())
    assert result.exit_code == 1
    assert "[a11y-heading-order]" in result.stderr
    assert '("Hoppar över en nivå"): heading level 3 follows level 1' in result.stderr
    assert "genomforandeplan.md.j2" in result.stderr  # the hint names the template
    assert "nothing was written" in result.stderr
    assert not out.exists() or not any(out.iterdir())  # nothing written
