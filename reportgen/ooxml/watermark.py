"""A text watermark ("UTKAST") for every page: a VML text-path shape in each header, as Word
writes its own watermarks (Design → Watermark), which Word and LibreOffice both render behind
the text of every page the header is on; and the word in the header's text as well, for
readers that do not draw shapes (and for text extraction and screen readers).
"""

from __future__ import annotations

from lxml import etree

from reportgen.ooxml.ns import NS, W_NS
from reportgen.ooxml.xmltext import quoteattr

V_NS, O_NS, W10_NS = NS["v"], NS["o"], NS["w10"]

_SHAPETYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{e}"/>' for e in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0",
        "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
        "sum @6 0 @5"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>')


def watermark_run(text: str, number: int) -> etree._Element:
    """A w:r holding the watermark shape (``number`` makes its id unique in the document)."""
    xml = (
        f'<w:r xmlns:w="{W_NS}" xmlns:v="{V_NS}" xmlns:o="{O_NS}" xmlns:w10="{W10_NS}">'
        '<w:rPr><w:noProof/></w:rPr><w:pict>' + _SHAPETYPE +
        f'<v:shape id="reportgen-watermark-{number}" o:spid="_x0000_s{2049 + number}" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:140pt;rotation:315;'
        'z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
        'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
        f'fillcolor="silver" stroked="f" alt={quoteattr(text)}><v:fill opacity=".5"/>'
        f'<v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string={quoteattr(text)}/>'
        '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>')
    return etree.fromstring(xml)


def text_run(text: str) -> etree._Element:
    return etree.fromstring(f'<w:r xmlns:w="{W_NS}"><w:rPr><w:b/><w:bCs/></w:rPr>'
                            f'<w:t xml:space="preserve">{_escape(text)} </w:t></w:r>')


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def add_watermark(header_root: etree._Element, text: str, number: int) -> None:
    """Put ``text`` at the start of the header's first paragraph, and the watermark shape with it."""
    p = header_root.find(f"{{{W_NS}}}p")
    if p is None:
        p = etree.SubElement(header_root, f"{{{W_NS}}}p")
    ppr = p.find(f"{{{W_NS}}}pPr")
    at = 0 if ppr is None else list(p).index(ppr) + 1
    p.insert(at, watermark_run(text, number))
    p.insert(at + 1, text_run(text))
