"""Build templates/base.docx, the Word base template the docx writer fills.

    python tools/make_base_docx.py [output.docx]

The result is deterministic (same bytes on every run with the same python-docx) and meant to be
handed to the agency, who may restyle it in Word. What the writer relies on:

* styles found by their *built-in* names ("heading 1", "List Bullet", "caption", "toc 1", ...),
  not by id, so a Swedish Word that shows them as "Rubrik 1", "Punktlista", "Beskrivning",
  "Innehåll 1" and even re-saves them under localized ids still works. Built-in names are also
  what LibreOffice and PDF tagging use to recognise headings and lists. Styles of our own have
  Swedish names: "Rapporttabell" (table), "Tabelltext", "Försättsblad".
* "List Bullet" and "List Number" carry their numbering (numbering.xml); the writer reuses those
  abstract numberings and starts a fresh w:num for every numbered list.
* placeholders ``{{ name }}`` anywhere in the body, headers and footers; exactly one body
  paragraph whose whole text is ``{{ body }}``, where the report goes.

Layout: A4, 25 mm margins, Arial 11 pt (LibreOffice substitutes the metric-compatible
Liberation Sans), language sv-SE. Section 1 is the cover (different first page: a letterhead
header with agency, date and reference numbers); section 2 holds the report, with a running
header (agency, date, diarienummer) and a footer "Sida X av Y".
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reportgen.formats.docx.writer import reproducible_zip

# ---------------------------------------------------------------------------- page geometry
# Twentieths of a point (twips): 1 mm = 56.7 twips.
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN = 1418  # 25 mm
HEADER_DIST = 709  # 12.5 mm from the paper edge
TEXT_W = PAGE_W - 2 * MARGIN  # 9070 twips = 160 mm

FONT = "Arial"
MONO = "Courier New"  # LibreOffice: Liberation Mono (metric-compatible)
BORDER_GREY = "A6A6A6"
HEADER_FILL = "DCE3EA"  # light blue-grey; black text on it has a contrast ratio above 15:1

W = nsdecls("w")


# ---------------------------------------------------------------------------- styles

def _rpr(size_pt: float | None = None, bold: bool = False, italic: bool = False,
         color: str | None = None, font: str | None = None) -> str:
    parts = []
    if font:
        parts.append(f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" w:eastAsia="{font}"/>')
    if bold:
        parts.append("<w:b/><w:bCs/>")
    if italic:
        parts.append("<w:i/><w:iCs/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size_pt:
        half = round(size_pt * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _pstyle(style_id: str, name: str, *, based_on: str | None = "Normal", next_: str | None = None,
            ppr: str = "", rpr: str = "", qformat: bool = True, priority: int | None = None,
            default: bool = False, hidden_until_used: bool = False) -> str:
    attrs = ' w:default="1"' if default else ""
    inner = [f'<w:name w:val="{name}"/>']
    if based_on:
        inner.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_:
        inner.append(f'<w:next w:val="{next_}"/>')
    if priority is not None:
        inner.append(f'<w:uiPriority w:val="{priority}"/>')
    if hidden_until_used:
        inner.append("<w:semiHidden/><w:unhideWhenUsed/>")
    if qformat:
        inner.append("<w:qFormat/>")
    if ppr:
        inner.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        inner.append(rpr)
    return f'<w:style {W} w:type="paragraph"{attrs} w:styleId="{style_id}">{"".join(inner)}</w:style>'


def _cstyle(style_id: str, name: str, rpr: str, *, priority: int = 99, default: bool = False,
            hidden_until_used: bool = True) -> str:
    attrs = ' w:default="1"' if default else ""
    flags = "<w:semiHidden/><w:unhideWhenUsed/>" if hidden_until_used else ""
    return (f'<w:style {W} w:type="character"{attrs} w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:uiPriority w:val="{priority}"/>{flags}{rpr}</w:style>')


def _spacing(before: int = 0, after: int = 0, line: int | None = None) -> str:
    line_attr = f' w:line="{line}" w:lineRule="auto"' if line else ""
    return f'<w:spacing w:before="{before}" w:after="{after}"{line_attr}/>'


def styles() -> list[str]:
    out = [
        _pstyle("Normal", "Normal", based_on=None, default=True),
        _cstyle("DefaultParagraphFont", "Default Paragraph Font", "", priority=1, default=True),
        (f'<w:style {W} w:type="table" w:default="1" w:styleId="TableNormal">'
         '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
         '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
         '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
         '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
         '</w:tblPr></w:style>'),
        (f'<w:style {W} w:type="numbering" w:default="1" w:styleId="NoList">'
         '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
         '</w:style>'),
    ]
    heading = {1: (16, 480, 160), 2: (13, 360, 120), 3: (11.5, 280, 80), 4: (11, 240, 60)}
    for level, (size, before, after) in heading.items():
        out.append(_pstyle(
            f"Heading{level}", f"heading {level}", next_="Normal", priority=9,
            ppr=f"<w:keepNext/><w:keepLines/>{_spacing(before, after)}"
                f'<w:outlineLvl w:val="{level - 1}"/>',
            rpr=_rpr(size, bold=True, italic=(level == 4))))
    out += [
        _pstyle("Title", "Title", next_="Subtitle", priority=10,
                ppr=_spacing(3400, 240, 240), rpr=_rpr(26, bold=True)),
        _pstyle("Subtitle", "Subtitle", next_="Normal", priority=11,
                ppr=_spacing(0, 240), rpr=_rpr(15)),
        _pstyle("Forsattsblad", "Försättsblad", priority=12, ppr=_spacing(480, 60), rpr=_rpr(11)),
        _pstyle("ListParagraph", "List Paragraph", priority=34,
                ppr='<w:ind w:left="720"/><w:contextualSpacing/>'),
        _pstyle("ListBullet", "List Bullet", priority=99, hidden_until_used=True,
                ppr='<w:numPr><w:numId w:val="1"/></w:numPr>' + _spacing(0, 60)
                    + "<w:contextualSpacing/>"),
        _pstyle("ListNumber", "List Number", priority=99, hidden_until_used=True,
                ppr='<w:numPr><w:numId w:val="2"/></w:numPr>' + _spacing(0, 60)
                    + "<w:contextualSpacing/>"),
    ]
    for level in (1, 2, 3):
        sid = "ListContinue" if level == 1 else f"ListContinue{level}"
        name = "List Continue" if level == 1 else f"List Continue {level}"
        out.append(_pstyle(sid, name, priority=99, hidden_until_used=True,
                           ppr=_spacing(0, 60) + f'<w:ind w:left="{357 * level}"/>'))
    out += [
        _pstyle("Caption", "caption", next_="Normal", priority=35, hidden_until_used=True,
                ppr=_spacing(200, 80), rpr=_rpr(10, bold=True)),
        _pstyle("Quote", "Quote", next_="Normal", priority=29,
                ppr=_spacing(120, 120) + '<w:ind w:left="567" w:right="567"/>',
                rpr=_rpr(italic=True)),
        _pstyle("TOCHeading", "TOC Heading", based_on="Heading1", next_="Normal", priority=39,
                hidden_until_used=True, ppr='<w:outlineLvl w:val="9"/>'),
    ]
    for level in (1, 2, 3):
        out.append(_pstyle(
            f"TOC{level}", f"toc {level}", next_="Normal", priority=39, hidden_until_used=True,
            qformat=False,
            ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{TEXT_W}"/></w:tabs>'
                + _spacing(60 if level == 1 else 0, 40) + f'<w:ind w:left="{220 * (level - 1)}"/>',
            rpr=_rpr(bold=(level == 1))))
    tabs = (f'<w:tabs><w:tab w:val="center" w:pos="{TEXT_W // 2}"/>'
            f'<w:tab w:val="right" w:pos="{TEXT_W}"/></w:tabs>')
    out += [
        _pstyle("Header", "header", priority=99, hidden_until_used=True, qformat=False,
                ppr=tabs + _spacing(0, 0), rpr=_rpr(9)),
        _pstyle("Footer", "footer", priority=99, hidden_until_used=True, qformat=False,
                ppr=tabs + _spacing(0, 0), rpr=_rpr(9)),
        _pstyle("Tabelltext", "Tabelltext", priority=40, ppr=_spacing(0, 0, 240), rpr=_rpr(10)),
        _cstyle("Hyperlink", "Hyperlink",
                '<w:rPr><w:color w:val="0B4F9C"/><w:u w:val="single"/></w:rPr>'),
        _cstyle("HTMLCode", "HTML Code", _rpr(10, font=MONO)),
        _cstyle("Strong", "Strong", _rpr(bold=True), priority=22, hidden_until_used=False),
        _cstyle("Emphasis", "Emphasis", _rpr(italic=True), priority=20, hidden_until_used=False),
        # "Table Grid" stays available for tables the agency adds by hand.
        f'<w:style {W} w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:tblPr><w:tblBorders>'
        + "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                  for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders></w:tblPr></w:style>",
        _report_table_style(),
    ]
    return out


def _report_table_style() -> str:
    """"Rapporttabell": horizontal rules only, a shaded header row with a rule under it, and a
    bold last row with a rule above it that applies when the table says it has a totals row
    (``tblLook lastRow``), so the writer only switches it on."""
    rule = lambda side, sz=4, color=BORDER_GREY: (
        f'<w:{side} w:val="single" w:sz="{sz}" w:space="0" w:color="{color}"/>')
    return (
        f'<w:style {W} w:type="table" w:customStyle="1" w:styleId="Rapporttabell">'
        '<w:name w:val="Rapporttabell"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="41"/><w:qFormat/>'
        f"<w:pPr>{_spacing(0, 0, 240)}</w:pPr>{_rpr(10)}"
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblStyleColBandSize w:val="1"/>'
        '<w:tblBorders>' + rule("top", 8, "000000") + rule("bottom", 8, "000000")
        + rule("insideH") + '</w:tblBorders>'
        '<w:tblCellMar><w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
        '<w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
        '</w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
        '<w:tblPr/><w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:tcBorders>{rule("bottom", 8, "000000")}</w:tcBorders>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/></w:tcPr></w:tblStylePr>'
        '<w:tblStylePr w:type="lastRow"><w:rPr><w:b/><w:bCs/></w:rPr><w:tblPr/>'
        f'<w:tcPr><w:tcBorders>{rule("top", 8, "000000")}</w:tcBorders></w:tcPr></w:tblStylePr>'
        '</w:style>'
    )


DOC_DEFAULTS = (
    f'<w:docDefaults {W}><w:rPrDefault><w:rPr>'
    f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/>'
    '<w:lang w:val="sv-SE" w:eastAsia="sv-SE" w:bidi="ar-SA"/>'
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
    # Paragraph spacing lives in the defaults, not in "Normal": a table style's spacing then
    # wins inside tables (style precedence puts the paragraph style above the table style).
    '<w:spacing w:after="140" w:line="264" w:lineRule="auto"/>'
    '</w:pPr></w:pPrDefault></w:docDefaults>'
)


# ---------------------------------------------------------------------------- numbering

def numbering_xml() -> str:
    bullets = ["\u2022", "\u2013", "\u25aa"] * 3  # • – ▪
    step = 357  # 6.3 mm per level

    def lvl(i: int, fmt: str, text: str, style: str, font: str | None = None) -> str:
        rpr = f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr>' if font else ""
        # Level 0 names its paragraph style, as Word does for List Bullet / List Number, so
        # applying the style in Word gives the list.
        pstyle = f'<w:pStyle w:val="{style}"/>' if i == 0 else ""
        return (f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                f'<w:pPr><w:ind w:left="{step * (i + 1)}" w:hanging="{step}"/></w:pPr>{rpr}</w:lvl>')

    ordered = [("decimal", "%{n}."), ("lowerLetter", "%{n})"), ("lowerRoman", "%{n})")] * 3
    bullet_levels = "".join(lvl(i, "bullet", bullets[i], "ListBullet", FONT) for i in range(9))
    number_levels = "".join(lvl(i, fmt, text.format(n=i + 1), "ListNumber")
                            for i, (fmt, text) in enumerate(ordered))
    return (
        f'<w:numbering {W}>'
        '<w:abstractNum w:abstractNumId="0"><w:nsid w:val="5B1E0001"/>'
        '<w:multiLevelType w:val="multilevel"/>'
        f"{bullet_levels}</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="1"><w:nsid w:val="5B1E0002"/>'
        '<w:multiLevelType w:val="multilevel"/>'
        f"{number_levels}</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        "</w:numbering>"
    )


# ---------------------------------------------------------------------------- content helpers

def _para(style: str, *runs: str, ppr: str = "") -> str:
    return f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{"".join(runs)}</w:p>'


def _run(text: str = "", rpr: str = "", tab: bool = False) -> str:
    t = f'<w:t xml:space="preserve">{text}</w:t>' if text else ""
    return f"<w:r>{rpr}{'<w:tab/>' if tab else ''}{t}</w:r>"


def _field(instr: str, shown: str) -> str:
    """A complex field with a cached result (what is shown before Word/LibreOffice updates)."""
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r><w:t>{shown}</w:t></w:r>'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def _fill(container, xml_paragraphs: list[str]) -> None:
    """Replace a header/footer's paragraphs with ours."""
    el = container._element
    for p in el.findall(qn("w:p")):
        el.remove(p)
    for xml in xml_paragraphs:
        el.append(parse_xml(xml))


def _page_setup(section) -> None:
    sectPr = section._sectPr
    for tag in ("w:pgSz", "w:pgMar"):
        old = sectPr.find(qn(tag))
        if old is not None:
            sectPr.remove(old)
    pgSz = parse_xml(f'<w:pgSz {W} w:w="{PAGE_W}" w:h="{PAGE_H}"/>')
    pgMar = parse_xml(f'<w:pgMar {W} w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" '
                      f'w:left="{MARGIN}" w:header="{HEADER_DIST}" w:footer="{HEADER_DIST}" '
                      'w:gutter="0"/>')
    # Schema order: headerReference*, footerReference*, ..., type?, pgSz, pgMar, ...
    anchor = sectPr.find(qn("w:cols"))
    if anchor is None:
        sectPr.append(pgSz)
        sectPr.append(pgMar)
    else:
        anchor.addprevious(pgSz)
        anchor.addprevious(pgMar)


# ---------------------------------------------------------------------------- build

def build() -> bytes:
    doc = Document()
    pkg = doc.part.package

    # Drop what the python-docx default template carries but a base template should not: a
    # thumbnail of an empty page, a second copy of the styles, web settings and custom XML.
    drop = ("/thumbnail", "/stylesWithEffects", "/customXml", "/webSettings")
    for rels in (pkg.rels, doc.part.rels):
        for rId in [rId for rId, rel in rels.items() if rel.reltype.endswith(drop)]:
            rels.pop(rId)

    # Styles: keep Word's latent-style table, replace the defaults and every style.
    st = doc.styles.element
    for child in list(st):
        if child.tag in (qn("w:style"), qn("w:docDefaults")):
            st.remove(child)
    st.insert(0, parse_xml(DOC_DEFAULTS))
    for xml in styles():
        st.append(parse_xml(xml))

    # Numbering: one bullet and one decimal multi-level list, linked to the list styles.
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    for child in parse_xml(numbering_xml()):
        numbering.append(child)

    # Settings: Swedish defaults and no editing history.
    settings = doc.settings.element
    for tag in ("w:rsids", "w:proofState", "w:attachedTemplate", "w:savePreviewPicture"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    settings.find(qn("w:themeFontLang")).attrib.clear()
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), "sv-SE")
    settings.find(qn("w:decimalSymbol")).set(qn("w:val"), ",")
    settings.find(qn("w:listSeparator")).set(qn("w:val"), ";")
    settings.find(qn("w:defaultTabStop")).set(qn("w:val"), "1304")  # Word's Swedish default

    core = doc.core_properties
    core.title = "Rapportmall"
    core.author = "reportgen"
    core.last_modified_by = "reportgen"
    core.language = "sv-SE"
    core.revision = 1
    core.created = core.modified = datetime(2018, 1, 1)
    core.comments = "Basmall för rapporter, byggd av tools/make_base_docx.py"

    # ---- body: the cover, a section break, the body placeholder
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    _page_setup(doc.sections[0])
    sentinel = body.find(qn("w:sectPr"))
    sentinel.attrib.clear()  # editing-session ids (rsid) from python-docx's template
    for el in sentinel.findall(qn("w:docGrid")):
        sentinel.remove(el)

    cover = [
        _para("Forsattsblad", _run("{{ addressee }}")),
        _para("Title", _run("{{ title }}")),
        _para("Subtitle", _run("{{ subtitle }}")),
        _para("Forsattsblad", _run("{{ decision_ref }}")),
    ]
    for xml in cover:
        body.insert(len(body) - 1, parse_xml(xml))
    doc.add_section(WD_SECTION.NEW_PAGE)
    # add_section put the cover's sectPr in a new empty paragraph; move it into the last cover
    # paragraph so the cover has no stray empty line that could push it onto a second page.
    paragraphs = body.findall(qn("w:p"))
    break_p, last_cover = paragraphs[-1], paragraphs[-2]
    last_cover.find(qn("w:pPr")).append(break_p.find(qn("w:pPr")).find(qn("w:sectPr")))
    body.remove(break_p)
    body.insert(len(body) - 1, parse_xml(_para("Normal", _run("{{ body }}"))))

    cover_section, report_section = doc.sections
    # Cover: a letterhead header on its (first) page only.
    cover_section.different_first_page_header_footer = True
    bold = _rpr(11, bold=True)
    _fill(cover_section.first_page_header, [
        _para("Header", _run("{{ agency }}", bold), _run("{{ date }}", tab=True),
              ppr='<w:tabs><w:tab w:val="clear" w:pos="4535"/></w:tabs>'),
        _para("Header", _run("{{ our_ref }}", tab=True),
              ppr='<w:tabs><w:tab w:val="clear" w:pos="4535"/></w:tabs>'),
        _para("Header", _run("{{ your_ref }}", tab=True),
              ppr='<w:tabs><w:tab w:val="clear" w:pos="4535"/></w:tabs>'),
    ])
    _fill(cover_section.first_page_footer, [_para("Footer")])
    # Report pages: running header with a rule under it, page numbers in the footer.
    report_section.different_first_page_header_footer = False
    report_section.header.is_linked_to_previous = False
    report_section.footer.is_linked_to_previous = False
    _fill(report_section.header, [
        _para("Header", _run("{{ agency }}", _rpr(bold=True)), _run("{{ date }}", tab=True),
              _run("{{ diarienummer }}", tab=True),
              ppr=f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" '
                  f'w:color="{BORDER_GREY}"/></w:pBdr>'),
    ])
    _fill(report_section.footer, [
        _para("Footer", _run("Sida ", tab=True), _field("PAGE", "2"), _run(" av "),
              _field("NUMPAGES", "2")),
    ])
    # The cover's default header/footer would otherwise be whatever python-docx left there.
    _fill(cover_section.header, [_para("Header")])
    _fill(cover_section.footer, [_para("Footer")])

    from io import BytesIO
    buf = BytesIO()
    doc.save(buf)
    app = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties"><Application>reportgen</Application></Properties>')
    return reproducible_zip(buf.getvalue(), replace={"docProps/app.xml": app.encode()})


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "templates" / "base.docx"
    data = build()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"wrote {out} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
