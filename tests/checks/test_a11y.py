"""Accessibility of the written .docx: reportgen.checks.a11y.check_docx, `reportgen check-docx`, and the
check that `reportgen build` runs on every document before writing it."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
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

from reportgen.checks import a11y
from reportgen.checks.a11y import CODES, check_docx
from reportgen.output.build import build

IDS = ("genomforandeplan-2018", "delrapport-2019", "delrapport-2020", "slutredovisning-2021")
TODAY = dt.date(2022, 1, 15)
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture"}


@pytest.fixture(autouse=True)
def fast_lane_on_small_documents(monkeypatch):
    """The fast lane reads only large main documents (a11y.FAST_LANE_MIN_BYTES); the documents
    here are small, and the fast lane is what many of these tests check."""
    monkeypatch.setattr(a11y, "FAST_LANE_MIN_BYTES", 0)


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


@pytest.mark.slow
def test_every_built_deliverable_passes(built: Path) -> None:
    for deliverable in IDS:
        path = built / f"{deliverable}.docx"
        assert check_docx(path, language="sv-SE") == [], deliverable


@pytest.mark.slow
def test_check_docx_command_passes_on_the_deliverables(built: Path) -> None:
    result = run_cli("check-docx", "--lang", "sv-SE", *(str(built / f"{i}.docx") for i in IDS))
    assert result.exit_code == 0, result.stderr
    assert "4 files checked, 0 failed" in result.stderr


@pytest.mark.slow
def test_the_deliverables_carry_language_and_properties(built: Path) -> None:
    d = docx.Document(str(built / "slutredovisning-2021.docx"))
    core = d.core_properties
    assert core.title.startswith("Slutredovisning – ")
    assert core.subject and core.author == "Tillväxtverket" and core.language == "sv-SE"
    lang = d.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(qn("w:val")) == "sv-SE"
    assert d.settings.element.find(qn("w:themeFontLang")).get(qn("w:val")) == "sv-SE"


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert found[0].message.startswith('picture 1 ("diagram/slutredovisning-2021-by-county") in paragraph ')
    assert 'before "Figur 1. Beviljade medel per län' in found[0].message
    result = run_cli("check-docx", str(bad))
    assert result.exit_code == 1
    assert "[a11y-alt-text]" in result.stderr


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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
    read, and its plain paragraphs are read from the bytes; the numbers in the findings
    (paragraphs, tables, pictures) run on across pieces and runs of plain paragraphs."""
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
    assert read_by(data, monkeypatch) == "fast lane"
    for fast_lane in (True, False):
        monkeypatch.setenv("REPORTGEN_FAST_PATHS", "1" if fast_lane else "0")
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


@pytest.mark.slow
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
    # Checked on the document tree before any .docx is made (issue #20): at the template's line.
    assert "the heading 'Hoppar över en nivå' is level 3 but follows a level 1 heading" in result.stderr
    assert "genomforandeplan.md.j2:" in result.stderr  # the place is the template's line
    assert "nothing was written" in result.stderr
    assert not out.exists() or not any(out.iterdir())  # nothing written


# ---------------------------------------------------------------------------- the fast lane
# Plain paragraphs and table rows in the layout reportgen writes are read from the bytes
# (reportgen.checks.a11y_fastlane, "the fast lane", off with REPORTGEN_FAST_PATHS=0); everything else by lxml. The findings must not depend on it.


def edit_xml(data: bytes, edit) -> bytes:
    """The .docx with ``edit(bytes)`` applied to the bytes of word/document.xml: the layout stays
    as written, where edit_docx would have lxml write it again."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = {i.filename: z.read(i) for i in z.infolist()}
    xml = entries["word/document.xml"]
    entries["word/document.xml"] = edit(xml)
    assert entries["word/document.xml"] != xml, "the edit found nothing to change"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in entries.items():
            z.writestr(name, content)
    return buf.getvalue()


def both_ways(data: bytes, monkeypatch) -> list:
    """The findings, which must be the same with the fast lane as with lxml alone."""
    fast = check_docx(data, language="sv-SE")
    with monkeypatch.context() as mp:
        mp.setenv("REPORTGEN_FAST_PATHS", "0")
        assert check_docx(data, language="sv-SE") == fast
    return fast


def read_by(data: bytes, monkeypatch) -> str:
    """"fast lane" when the check parsed no more than the skeleton of the main document."""
    sizes = []
    stream = a11y._stream
    with monkeypatch.context() as mp:
        mp.setattr(a11y, "_stream", lambda xml, *rest: sizes.append(len(xml)) or stream(xml, *rest))
        check_docx(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        whole = len(z.read("word/document.xml"))
    return "fast lane" if sizes and sizes[-1] < whole / 2 else "lxml"


NORMAL = b'<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr>'


def after_normal(number: int, inserted: bytes):
    """An edit: ``inserted`` after the ``number``-th paragraph of the Normal style."""
    def edit(xml: bytes) -> bytes:
        at = -1
        for _ in range(number):
            at = xml.index(NORMAL, at + 1)
        end = xml.index(b"</w:p>", at) + len(b"</w:p>")
        return xml[:end] + inserted + xml[end:]
    return edit


def in_last_table_row(inserted: bytes):
    """An edit: ``inserted`` in the text of the last row of the last table, far below the
    header row."""
    def edit(xml: bytes) -> bytes:
        at = xml.rindex(b'<w:t xml:space="preserve">', 0, xml.rindex(b"</w:tbl>"))
        at += len(b'<w:t xml:space="preserve">')
        return xml[:at] + inserted + xml[at:]
    return edit


@pytest.mark.slow
def test_the_deliverables_are_read_by_the_fast_lane(built: Path, monkeypatch) -> None:
    for deliverable in IDS:
        data = (built / f"{deliverable}.docx").read_bytes()
        assert read_by(data, monkeypatch) == "fast lane", deliverable
        assert both_ways(data, monkeypatch) == [], deliverable


@pytest.mark.slow
def test_plain_paragraphs_that_fail_are_found_and_quoted(built: Path, monkeypatch) -> None:
    data = (built / "slutredovisning-2021.docx").read_bytes()
    cases = [
        # An empty paragraph: the message quotes the paragraph before it, read only then.
        (after_normal(1, NORMAL + b"</w:p>"),
         [('paragraph 34 after "Tillväxtverket lämnar här slutredovisningen av uppdraget at…": '
          'an empty paragraph used for spacing')]),
        # No run at all, then white space only (a no-break space is white space too).
        (after_normal(3, b'<w:p></w:p><w:p><w:r><w:t xml:space="preserve"> </w:t></w:r>'
                         b'<w:r><w:t>\xc2\xa0</w:t></w:r></w:p>'),
         [('paragraphs 36–37 after "Tillväxtverket har under 2018–2020 genomfört programmet Sma…": '
          '2 empty paragraphs in a row used for spacing')]),
        # Typed lists: "a)" over two runs, a bullet after a no-break space, an Arabic-Indic digit.
        (after_normal(2, NORMAL + b'<w:r><w:t>a</w:t></w:r><w:r><w:rPr><w:b/></w:rPr>'
                         b'<w:t xml:space="preserve">) alfa</w:t></w:r></w:p>'
                      + NORMAL + "<w:r><w:t>\u00a0• punkt</w:t></w:r></w:p>".encode()
                      + NORMAL + "<w:r><w:t>\u0661. arabisk siffra</w:t></w:r></w:p>".encode()),
         ['paragraphs 35–37 ("a) alfa"): typed as a list ("a)") without list numbering']),
        # A heading level skipped among plain paragraphs.
        (after_normal(1, b'<w:p><w:pPr><w:pStyle w:val="Heading4"/></w:pPr>'
                         b'<w:r><w:t>Djupt ner</w:t></w:r></w:p>'),
         [('paragraph 34 ("Djupt ner"): heading level 4 follows level 1 (paragraph 32 '
          '("Sammanfattning")); level 2 is skipped')]),
        # A second header row, with a merged cell: the rows below it are not read.
        (lambda xml: re.sub(rb"</w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr>(<w:tcW [^>]*/>)",
                            rb"</w:tr><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr><w:tc><w:tcPr>"
                            rb'\1<w:gridSpan w:val="2"/>', xml, count=1),
         [('table 1 ("Tabell 1. Uppdraget i siffror 2018–2020"): header row 2, cell 1 '
          '("Rekvirerade medel") spans 2 columns')]),
        # Without its caption, a table is named by the caption paragraph before it.
        (lambda xml: re.sub(rb'<w:tblCaption w:val="[^"]*"/>', b"", xml, count=1).replace(
            b"<w:tblHeader/>", b"", 1),
         [('table 1 ("Tabell 1. Uppdraget i siffror 2018–2020"): no header row marked to repeat '
          '(w:tblHeader on the first row)')]),
    ]
    for edit, expected in cases:
        bad = edit_xml(data, edit)
        assert read_by(bad, monkeypatch) == "fast lane"
        assert [f.message for f in both_ways(bad, monkeypatch)] == expected


@pytest.mark.slow
@pytest.mark.parametrize("inserted", [
    b"\xff", b"\xc3(", b"\xed\xa0\x80", b"\xef\xbf\xbe", b"]]>", b"\x01", b"&nbsp;", b"&#0;", b"<",
    b'</w:t></w:r><w:r w:rsidR="1" w:rsidR="2"><w:t>', b"</w:t></w:r></w:p></w:tc></w:x>",
    # Well-formed, but not plain: read by lxml ("\r" as a line feed).
    b"\r", b"</w:t><w:t>", b"&#65;",
    b"</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:tbl><w:tr><w:tc><w:p><w:r><w:t>",
])
def test_odd_bytes_in_a_plain_table_row_are_read_as_the_parser_reads_them(
        built: Path, monkeypatch, inserted: bytes) -> None:
    data = edit_xml((built / "slutredovisning-2021.docx").read_bytes(), in_last_table_row(inserted))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        assert [f.message for f in both_ways(data, monkeypatch)] == [
            f"word/document.xml is not well-formed XML: {exc}"]
        assert inserted not in (b"\r", b"</w:t><w:t>", b"&#65;") and b"<w:tbl>" not in inserted
    else:
        assert "a11y-unreadable" not in codes(both_ways(data, monkeypatch))


@pytest.mark.slow
@pytest.mark.parametrize("edit", [
    # A plain paragraph inside a comment is no paragraph; inside a CDATA section it is text, of
    # a heading quoted in a message.
    after_normal(1, b"<!--" + NORMAL + b"<w:r><w:t>dold</w:t></w:r></w:p>-->" + NORMAL + b"</w:p>"),
    lambda xml: re.sub(
        rb'"Heading2"(/></w:pPr><w:bookmarkStart [^>]*/><w:r><w:t xml:space="preserve">)',
        rb'"Heading4"\1<![CDATA[</w:p>' + NORMAL + rb"<w:r><w:t>Stycke</w:t></w:r></w:p><w:p>]]>",
        xml, count=1),
    # w: bound to another namespace: not WordprocessingML paragraphs or rows.
    lambda xml: xml.replace(b"<w:tbl>", b'<w:tbl xmlns:w="urn:x-other">', 1),
    after_normal(2, b'<w:p xmlns:w="urn:x-other"><w:r><w:t></w:t></w:r></w:p>'),
    # The same namespace under another prefix; text in a CDATA section; white space between
    # paragraphs; a document type declaration.
    after_normal(1, b'<x:p xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    b'<x:r><x:t>- x</x:t></x:r></x:p>'),
    after_normal(1, NORMAL + b"<w:r><w:t><![CDATA[- x]]></w:t></w:r></w:p>"),
    lambda xml: xml.replace(b"</w:p><w:p>", b"</w:p>\n  <w:p>"),
    lambda xml: xml.replace(b"?>", b'?><!DOCTYPE w:document [<!ENTITY e "- x">]>', 1).replace(
        b'preserve">Sammanfattning</w:t>', b'preserve">&e;</w:t>'),
    # A default namespace declaration from the document type: no paragraphs, so none is empty.
    lambda xml: after_normal(1, NORMAL + b"</w:p>")(xml.replace(
        b"?>", b'?><!DOCTYPE w:document [<!ATTLIST w:p xmlns:w CDATA "urn:x-other">]>', 1)),
    # A row marked as a header row far down a table, a picture without alternative text in a
    # plain-looking row, and a table in a cell.
    lambda xml: xml[:xml.rindex(b"<w:tr><w:trPr><w:cantSplit/>")] + b"<w:tr><w:trPr><w:cantSplit/>"
    b"<w:tblHeader/>" + xml[xml.rindex(b"<w:tr><w:trPr><w:cantSplit/>") + 29:],
    lambda xml: xml.replace(b"</w:tc></w:tr></w:tbl>", b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"
                            b"<w:p/></w:tc></w:tr></w:tbl>", 1),
])
def test_markup_the_fast_lane_leaves_to_lxml_gives_the_same_findings(built: Path, monkeypatch,
                                                                      edit) -> None:
    data = (built / "slutredovisning-2021.docx").read_bytes()
    both_ways(edit_xml(data, edit), monkeypatch)


def test_a_chart_without_a_numbered_caption_fails(built: Path, tmp_path: Path) -> None:
    """A native chart needs its numbered caption right after it; the built reports have them."""
    data = (built / "slutredovisning-2021.docx").read_bytes()
    assert "a11y-chart-caption" not in codes(check_docx(data))

    def uncaption(root):
        for t in root.iter(f"{{{NS['w']}}}t"):
            if (t.text or "").startswith("Figur 2."):
                t.text = "Beviljade medel per fokusområde"  # the caption without its number
    found = check_docx(edit_docx(data, uncaption))
    assert codes(found) == ["a11y-chart-caption"]
    assert found[0].message.startswith('chart 2 ("diagram/slutredovisning-2021-by-focus-area") in paragraph ')

    def drop_caption(root):
        for t in root.iter(f"{{{NS['w']}}}t"):
            if (t.text or "").startswith("Figur 3."):
                p = t.getparent().getparent()
                p.getparent().remove(p)
                return
    assert codes(check_docx(edit_docx(data, drop_caption))) == ["a11y-chart-caption"]


def test_the_fast_lane_reads_only_large_documents_until_its_grammar_is_compiled(built, monkeypatch):
    from reportgen.checks import a11y_fastlane

    data = (built / "slutredovisning-2021.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        size = len(z.read("word/document.xml"))
    assert read_by(data, monkeypatch) == "fast lane"  # the threshold is 0 in this module
    a11y_fastlane.grammar.cache_clear()  # as in a fresh process
    monkeypatch.setattr(a11y, "FAST_LANE_MIN_BYTES", size + 1)
    assert read_by(data, monkeypatch) == "lxml"
    assert not a11y_fastlane.compiled()
    monkeypatch.setattr(a11y, "FAST_LANE_MIN_BYTES", size)
    assert read_by(data, monkeypatch) == "fast lane"
    # Compiled for a large document, the grammar serves smaller ones too.
    monkeypatch.setattr(a11y, "FAST_LANE_MIN_BYTES", size + 1)
    assert read_by(data, monkeypatch) == "fast lane"


SOURCE_END = b"</w:sdtContent></w:sdt>"


def in_source(number: int, inserted: bytes, *, after: bool = False):
    """An edit: ``inserted`` at the end of the ``number``-th content control's content (text from
    the inputs), or right after the control."""
    def edit(xml: bytes) -> bytes:
        at = -1
        for _ in range(number):
            at = xml.index(SOURCE_END, at + 1)
        if after:
            at += len(SOURCE_END)
        return xml[:at] + inserted + xml[at:]
    return edit


def test_text_from_the_inputs_is_read_by_the_fast_lane(built: Path) -> None:
    """The content controls around text from the inputs and the bookmarks in them and in the
    headings are cut out of the skeleton with the plain paragraphs around them: in a report of
    thousands of projects they were most of what lxml still read."""
    from reportgen.checks import a11y_fastlane

    for deliverable in IDS:
        with zipfile.ZipFile(built / f"{deliverable}.docx") as z:
            xml = z.read("word/document.xml")
        assert b"<w:sdt>" in xml and b"<w:bookmarkStart" in xml, deliverable
        left = a11y_fastlane.skeleton(xml)[0]
        assert b"<w:sdt>" not in left and b'w:name="_RgSrc' not in left, deliverable
        assert b'w:name="_Toc' not in left, deliverable


EMPTY_148 = ('paragraph 148 after "Digitaliseringscheckar och behovsanalyser för underleverant…": an empty '
             'paragraph used for spacing')


@pytest.mark.parametrize(("edit", "expected"), [
    # An empty paragraph with nothing but a bookmark, inside a content control and after one.
    (in_source(6, NORMAL + b'<w:bookmarkStart w:id="900" w:name="x"/><w:bookmarkEnd w:id="900"/></w:p>'),
     [EMPTY_148]),
    (in_source(7, b'<w:p><w:bookmarkEnd w:id="901"/></w:p>', after=True),
     [('paragraph 156 after "Företagsnära stöd för att kombinera digitalisering med resu…": an empty paragraph '
      'used for spacing')]),
    (in_source(2, NORMAL + b"</w:p>" + NORMAL + b"</w:p>", after=True),
     [('paragraphs 62–63 after "Sedan våren 2020 har de flesta projekt ställt om till digit…": 2 empty paragraphs '
      'in a row used for spacing')]),
    # A bookmark before the only run, between runs, and the text typed as a list.
    (in_source(6, NORMAL + b'<w:bookmarkStart w:id="902" w:name="y"/><w:r><w:t>- a</w:t></w:r>'
                  b'<w:bookmarkEnd w:id="902"/><w:r><w:t xml:space="preserve"> b</w:t></w:r></w:p>'),
     ['paragraph 148 ("- a b"): typed as a list ("-") without list numbering']),
    # A heading inside a content control that skips a level.
    (in_source(1, b'<w:p><w:pPr><w:pStyle w:val="Heading4"/></w:pPr><w:bookmarkStart w:id="903" '
                  b'w:name="z"/><w:r><w:t>Djupt ner</w:t></w:r><w:bookmarkEnd w:id="903"/></w:p>'),
     [('paragraph 37 ("Djupt ner"): heading level 4 follows level 1 (paragraph 32 ("Sammanfattning")); '
      'level 2 is skipped')]),
    # Content controls the grammar does not take are read by lxml: a table in one, another
    # property, a character reference in its title.
    (in_source(6, b"<w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>" + NORMAL + b"</w:p>"),
     ['table 17: no header row marked to repeat (w:tblHeader on the first row)', EMPTY_148]),
    (lambda xml: in_source(6, NORMAL + b"</w:p>")(xml.replace(b"<w:lock ", b"<w:showingPlcHdr/><w:lock ")),
     [EMPTY_148]),
    (lambda xml: in_source(6, NORMAL + b"</w:p>")(xml.replace(b'w:val="Text fr', b'w:val="&#84;ext &amp; fr')),
     [EMPTY_148]),
])
def test_content_controls_and_bookmarks_give_the_same_findings_either_way(
        built: Path, monkeypatch, edit, expected) -> None:
    data = edit_xml((built / "slutredovisning-2021.docx").read_bytes(), edit)
    assert read_by(data, monkeypatch) == "fast lane"
    found = both_ways(data, monkeypatch)
    assert [f.message for f in found] == expected
