"""Document tree → .docx, on a Word base template.

The base template (see tools/make_base_docx.py) provides the page, the styles, the numbering,
the cover, headers and footers. This writer

1. fills ``{{ name }}`` placeholders in the body, headers, footers and text boxes from
   ``fields``, also when Word has split a placeholder over several runs;
2. replaces the one paragraph whose text is ``{{ body }}`` with the document tree, using the
   template's styles, found by their built-in names (see ``STYLE_NAMES``);
3. writes core properties from ``core`` (no clock is read anywhere) and returns the bytes of a
   reproducible zip: same arguments, same bytes.

It knows nothing of the domain; the only words it writes itself are ``fields["toc_title"]``
(default "Innehåll") above a table of contents.

The body is written as WordprocessingML text, not as lxml elements: a report with ten thousand
projects has half a million elements, and creating them one by one (then serializing them) took
most of the writer's time. Each stretch of text stands in the tree as a comment until the main
document is serialized, and is then spliced in where its comment is; so the text must be exactly
what lxml would have serialized for the same elements (escaping, ``<x/>`` for an empty element,
prefixes). Figures, whose drawing python-docx builds, stay elements.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from docx.oxml.shape import CT_Inline
from docx.shared import Emu
from lxml import etree

from reportgen.document.links import LINK_HINT, link_problem
from reportgen.document.switches import fast_paths_enabled
from reportgen.document.tree import (
    Block,
    BlockQuote,
    BulletList,
    Code,
    Document,
    Emphasis,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    OrderedList,
    PageBreak,
    Paragraph,
    Source,
    Strong,
    Table,
    TableOfContents,
    Text,
    iter_blocks,
    normalize,
    plain_text,
)
from reportgen.findings import Finding, Location, error, excerpt
from reportgen.formats.docx._fast_body import Splicer, can_splice
from reportgen.ooxml import charts, provenance
from reportgen.ooxml.ns import NS
from reportgen.ooxml.package import (  # reproducible_zip: the OOXML layer's, still exported
    open_package,
    reproducible_zip,
)
from reportgen.ooxml.styles import WRITER_STYLES, aliases

__all__ = ["STYLE_NAMES", "CoreProperties", "chart_data", "reproducible_zip", "write_docx"]


@dataclass(frozen=True, kw_only=True)
class CoreProperties:
    """docProps/core.xml. Dates are given by the caller (e.g. the report's date), never read
    from the clock; naive datetimes are taken as UTC."""

    title: str
    subject: str = ""
    author: str = ""
    language: str = "sv-SE"
    keywords: str = ""
    created: datetime
    modified: datetime


#: The styles the writer uses, by role → the style's name in styles.xml (one table with the
#: readers': ``reportgen.ooxml.styles``).
STYLE_NAMES = WRITER_STYLES
_STYLE_TYPES = {"table": "table", "hyperlink": "character", "code": "character"}

DEFAULT_TOC_TITLE = "Innehåll"
# Two levels: chapters and sections. Deeper headings (e.g. one per project in an annex) would
# turn the contents into a second copy of the document.
TOC_LEVELS = 2
TOC_INSTRUCTION = f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u '

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_W_P, _W_T, _W_TBL = qn("w:p"), qn("w:t"), qn("w:tbl")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_FILL_PARTS = {CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES,
               CT.WML_ENDNOTES}
_EMU_PER_TWIP = 635
_BREAKABLE = re.compile(r"[ \t]+")
_CHAR, _CHAR_BOLD = 115, 128  # twips per character of 10 pt Arial/Liberation Sans, estimated
_CELL_PAD = 2 * 85 + 40  # the table style's left and right cell margins, and some air
#: Tables of at most this many rows (a year's accounting) are kept on one page; a longer one (the projects) would leave
#: most of a page empty when it moves to the next.
_KEEP_TOGETHER_ROWS = 15
_SPACE_AFTER_TABLE = "200"  # twips above the first paragraph after a table


def _E(tag: str, attrs: Mapping[str, str] | None = None):
    # Made by python-docx's parser, so the element has python-docx's element class.
    el = oxml_parser.makeelement(qn(tag))
    if attrs:
        for k, v in attrs.items():
            el.set(qn(k), v)
    return el


def _sub(parent, tag: str, attrs: Mapping[str, str] | None = None):
    el = _E(tag, attrs)
    parent.append(el)
    return el


_NEWLINES = re.compile(r"\r\n?|\n")
# The characters outside XML 1.0's Char production (#x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF]), listed: the negated class matched the same characters
# and took 9-14 ms to compile, a percent of a cold build.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(s: str) -> str:
    """Drop the characters XML 1.0 cannot hold (lxml would refuse them); everything else is
    set as text, never parsed as markup, so ``&``, ``<`` and quotes stay what they are."""
    return _NOT_XML.sub("", s)


def _esc(s: str) -> str:
    """Text content escaped as lxml (libxml2) serializes it."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def _attr(s: str) -> str:
    """An attribute value escaped as lxml (libxml2) serializes it."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("\t", "&#9;").replace("\n", "&#10;")
            .replace("\r", "&#13;"))


def _checked_attr(s: str) -> str:
    """An attribute value that was never made XML-safe: refused as lxml's ``set`` refuses it."""
    if _NOT_XML.search(s):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes "
                         "or control characters")
    return _attr(s)


def _el(tag: str, inner: str, attrs: str = "") -> str:
    """``<tag attrs>inner</tag>``, or ``<tag attrs/>`` when empty, as lxml writes it."""
    return f"<{tag}{attrs}>{inner}</{tag}>" if inner else f"<{tag}{attrs}/>"


_W_NS = NS["w"]
_R_NS = NS["r"]
# The prefixes the body text is written with (charts' wp:inline uses wp).
_WRAP_OPEN = f'<w:body xmlns:w="{_W_NS}" xmlns:r="{_R_NS}" xmlns:wp="{NS["wp"]}">'.encode()
_WRAP_CLOSE = b"</w:body>"


def _can_splice(anchor) -> bool:
    """Whether the fast path may splice the body in as text (see _fast_body)."""
    return fast_paths_enabled() and can_splice(anchor)


class _Sink:
    """Where built blocks go, in order, just before the body placeholder.

    Blocks arrive as XML text (``parts``, written with the prefixes ``w`` and ``r``) or, rarely,
    as elements (``element``). Text is gathered and encoded in batches; each run of it between
    elements becomes one chunk. The general way: each chunk is parsed and its elements moved
    into the tree (lxml moves a large detached subtree into a document node by node). The fast
    path (``_fast_body``, off with REPORTGEN_FAST_PATHS=0): the chunk stands in the tree as a
    marker comment and is spliced into the serialized main document, which needs the document
    to know the two namespaces by exactly the prefixes w and r where the body goes, as every
    Word or LibreOffice file does.
    """

    _BATCH = 4096  # parts per encoded batch: bounds the number of small strings alive at once

    def __init__(self, anchor) -> None:
        self.anchor = anchor
        self.parts: list[str] = []
        self._batches: list[bytes] = []
        self.empty = True  # nothing written yet
        self.last_tbl = False  # the last block written is a table
        self.splicer = Splicer() if _can_splice(anchor) else None
        self.batch = self._BATCH

    def add(self, xml: str, *, table: bool = False) -> None:
        parts = self.parts
        parts.append(xml)
        self.empty = False
        self.last_tbl = table
        if len(parts) >= self.batch:
            self._batches.append("".join(parts).encode())
            parts.clear()

    def element(self, el) -> None:
        self.flush()
        self.anchor.addprevious(el)
        self.empty = False
        self.last_tbl = el.tag == _W_TBL

    def flush(self) -> None:
        if self.parts:
            self._batches.append("".join(self.parts).encode())
            self.parts.clear()
        if not self._batches:
            return
        chunk = b"".join(self._batches)
        self._batches.clear()
        if self.splicer is not None:
            self.splicer.add(self.anchor, chunk)
        else:
            parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)
            for el in etree.fromstring(_WRAP_OPEN + chunk + _WRAP_CLOSE, parser):
                self.anchor.addprevious(el)

    def spliced(self, xml: bytes) -> bytes:
        """The serialized main document with the body in it (see _fast_body)."""
        return xml if self.splicer is None else self.splicer.spliced(xml)


# ============================================================================ entry point


def write_docx(doc: Document, base: Path, fields: Mapping[str, str], core: CoreProperties,
               image_root: Path | None = None, chart_style: charts.ChartStyle | None = None,
               custom: Mapping[str, str] | None = None, watermark: str | None = None
               ) -> tuple[bytes | None, list[Finding]]:
    """Write ``doc`` into the base template ``base``.

    ``fields`` fill the base's ``{{ name }}`` placeholders (as plain one-line text);
    ``image_root`` is where figure paths are resolved (the working directory when None); a figure
    with data is a native chart instead, drawn in ``chart_style`` (default: the house style).

    Returns the .docx bytes (None when the base cannot be used at all: unreadable, or without
    a ``{{ body }}`` paragraph) and the findings. Errors: a placeholder in the base with no
    value in ``fields`` (the document is still written, the placeholder left visible), a
    missing body placeholder, a missing style, a missing or unreadable image. Fields that the
    base does not use are fine: one set of fields serves several bases.

    A Source block is written as a content control tagged with its place (see
    ``ooxml.provenance``); ``custom`` are custom document properties (docProps/custom.xml), to
    which the writer adds the map of the sources' bookmarks.
    """
    findings: list[Finding] = []
    base_loc = Location(str(base))
    try:
        # The base may come from a project's folder: inflated within the package reader's
        # limits first, so that python-docx (which reads every part whole) never meets a bomb.
        _check_package(base)
        document = docx.Document(str(base))
    except Exception as exc:  # noqa: BLE001  # a missing or corrupt file is for the user to fix
        return None, [error("docx.base-unreadable",
                            f"cannot open the base template: {type(exc).__name__}: {exc}",
                            base_loc)]

    body_p = _fill_placeholders(document, fields, base_loc, findings)
    if body_p is None:
        return None, findings
    if watermark:
        from reportgen.ooxml.watermark import add_watermark

        headers = sorted((p for p in document.part.package.iter_parts()
                          if p.content_type == CT.WML_HEADER and hasattr(p, "element")), key=lambda p: str(p.partname))
        for number, part in enumerate(headers, start=1):
            add_watermark(part.element, watermark, number)

    builder = _Builder(document, body_p, fields, image_root, base_loc, findings)
    if chart_style is not None:
        builder.chart_style = chart_style
    sink = _Sink(body_p)
    builder.build(normalize(doc), sink)
    sink.flush()
    _finish_body(body_p, sink)
    if builder.has_toc:
        _set_update_fields(document.settings.element)

    buf = BytesIO()
    document.save(buf)
    main = document.part.partname.membername
    with zipfile.ZipFile(buf) as z:
        skeleton = z.read(main)
    replace = {main: sink.spliced(skeleton), "docProps/core.xml": core_xml(core)}
    del skeleton
    props = dict(custom or {})
    if builder.source_bookmarks:
        props[provenance.BOOKMARKS_PROPERTY] = json.dumps(builder.source_bookmarks, ensure_ascii=False,
                                                          sort_keys=True)
    if props:
        with zipfile.ZipFile(buf) as z:
            for name in ("[Content_Types].xml", "_rels/.rels"):
                replace[name] = z.read(name)
        provenance.add_custom_properties(replace, props)
    return reproducible_zip(buf.getvalue(), replace=replace), findings


def _check_package(path: Path) -> None:
    pkg = open_package(path)
    for name in pkg.infos:
        pkg.read(name)


# ============================================================================ placeholders


def _paragraph_runs_text(root) -> list[tuple[object, list]]:
    """Each paragraph with the w:t elements that belong to it (not to a text box paragraph
    nested inside it), in document order."""
    groups: dict = {}
    order: list = []
    for t in root.iter(_W_T):
        p = t.getparent()
        while p is not None and p.tag != _W_P:
            p = p.getparent()
        if p is None:
            continue
        if p not in groups:
            groups[p] = []
            order.append(p)
        groups[p].append(t)
    return [(p, groups[p]) for p in order]


def _replace_span(ts: list, start: int, end: int, value: str) -> None:
    """Replace characters [start, end) of the concatenated texts of ``ts`` with ``value``.

    The value goes into the w:t where the placeholder starts (so it takes that run's
    formatting); the rest of the placeholder is cut out of the following runs, whose own text
    outside the placeholder keeps its formatting.
    """
    pos = 0
    placed = False
    for t in ts:
        text = t.text or ""
        t_start, t_end = pos, pos + len(text)
        pos = t_end
        if t_end <= start or t_start >= end:
            continue
        a, b = max(start, t_start) - t_start, min(end, t_end) - t_start
        t.text = text[:a] + ("" if placed else value) + text[b:]
        t.set(_XML_SPACE, "preserve")
        placed = True


def _fill_placeholders(document, fields: Mapping[str, str], base_loc: Location,
                       findings: list[Finding]):
    """Fill every placeholder except the body one; return the body paragraph (or None)."""
    body_candidates: list[tuple[str, object, str]] = []
    package = document.part.package
    parts = sorted((p for p in package.iter_parts()
                    if p.content_type in _FILL_PARTS and hasattr(p, "element")),
                   key=lambda p: str(p.partname))
    for part in parts:
        partname = str(part.partname).lstrip("/")
        for p, ts in _paragraph_runs_text(part.element):
            text = "".join(t.text or "" for t in ts)
            if "{{" not in text:
                continue
            matches = list(_PLACEHOLDER.finditer(text))
            if any(m.group(1) == "body" for m in matches):
                body_candidates.append((partname, p, text))
            for m in reversed(matches):
                name = m.group(1)
                if name == "body":
                    continue
                if name not in fields:
                    findings.append(error(
                        "docx.unknown-placeholder",
                        f"the base template has the placeholder {{{{ {name} }}}} in {partname} "
                        f"but no value was given for '{name}'",
                        base_loc, hint="give it a value, or remove it from the base template"))
                    continue
                # A field is one line of text: line breaks become spaces.
                value = _NEWLINES.sub(" ", _xml_safe(str(fields[name])))
                _replace_span(ts, m.start(), m.end(), value)
            rest = _PLACEHOLDER.sub("", text)
            if "{{" in rest and "}}" in rest:
                findings.append(error(
                    "docx.placeholder-malformed",
                    f"text in {partname} looks like a placeholder but is not one: "
                    f"{excerpt(rest.strip())}", base_loc,
                    hint="placeholders are {{ name }} with a letter or _ first"))

    body = [c for c in body_candidates
            if c[0] == "word/document.xml" and _PLACEHOLDER.fullmatch(c[2].strip())]
    for partname, _, text in body_candidates:
        if (partname, text) not in {(b[0], b[2]) for b in body}:
            findings.append(error(
                "docx.body-misplaced",
                f"{{{{ body }}}} in {partname} must be alone in a paragraph of the main "
                f"document; found {excerpt(text.strip())}", base_loc))
    if len(body) > 1:
        findings.append(error("docx.body-ambiguous",
                              f"the base template has {len(body)} {{{{ body }}}} paragraphs; "
                              "it must have exactly one", base_loc))
        return None
    if not body:
        if not body_candidates:
            findings.append(error("docx.body-missing",
                                  "the base template has no paragraph holding only {{ body }}",
                                  base_loc, hint="add a paragraph whose whole text is {{ body }}"))
        return None
    return body[0][1]


def _finish_body(body_p, sink: _Sink) -> None:
    """Remove the placeholder paragraph now that the body stands before it."""
    ppr = body_p.find(qn("w:pPr"))
    if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
        # The placeholder paragraph ends a section: keep it, empty, for its section break.
        for child in list(body_p):
            if child is not ppr:
                body_p.remove(child)
        return
    following = body_p.getnext()
    if sink.empty or (sink.last_tbl
                      and (following is None or following.tag == qn("w:sectPr"))):
        # Word ends every story (and table cell) with a paragraph.
        body_p.addprevious(_E("w:p"))
    body_p.getparent().remove(body_p)


def _set_update_fields(settings) -> None:
    """w:updateFields makes Word refresh fields (the table of contents) when it opens the file.
    Inserted at its place in CT_Settings' sequence."""
    for el in settings.findall(qn("w:updateFields")):
        settings.remove(el)
    el = _E("w:updateFields", {"w:val": "true"})
    after = ["hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
             "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
             "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
             "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary",
             "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"]
    successors = {qn("w:" + t) for t in after} | {qn("m:mathPr"), qn("sl:schemaLibrary")}
    for child in settings:
        if child.tag in successors:
            child.addprevious(el)
            return
    settings.append(el)


_CP = NS["cp"]
_DC = NS["dc"]
_DCTERMS = NS["dcterms"]
_XSI = NS["xsi"]


def core_xml(core: CoreProperties) -> bytes:
    """docProps/core.xml, written whole: nothing of the base's own properties (its title,
    author, print date...) can leak into a report, and no clock is read."""
    root = etree.Element(f"{{{_CP}}}coreProperties", nsmap={
        "cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "dcmitype": NS["dcmitype"],
        "xsi": _XSI})

    def add(ns: str, tag: str, text: str, w3cdtf: bool = False) -> None:
        el = etree.SubElement(root, f"{{{ns}}}{tag}")
        el.text = text
        if w3cdtf:
            el.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")

    def utc(d: datetime) -> str:
        if d.tzinfo is not None:
            d = d.astimezone(UTC)
        return d.strftime("%Y-%m-%dT%H:%M:%SZ")

    add(_DC, "title", _xml_safe(core.title))
    add(_DC, "subject", _xml_safe(core.subject))
    add(_DC, "creator", _xml_safe(core.author))
    add(_CP, "keywords", _xml_safe(core.keywords))
    add(_DC, "language", _xml_safe(core.language))
    add(_CP, "lastModifiedBy", _xml_safe(core.author))
    add(_CP, "revision", "1")
    add(_DCTERMS, "created", utc(core.created), w3cdtf=True)
    add(_DCTERMS, "modified", utc(core.modified), w3cdtf=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ============================================================================ the body


class _Builder:
    def __init__(self, document, body_p, fields: Mapping[str, str], image_root: Path | None,
                 base_loc: Location, findings: list[Finding]) -> None:
        self.document = document
        self.part = document.part
        self.fields = fields
        self.image_root = image_root
        self.base_loc = base_loc
        self.findings = findings
        self.chart_style = charts.ChartStyle()
        self.has_toc = False
        self.styles = self._resolve_styles()
        width, height = self._text_area(body_p)
        self.text_width_twips = width // _EMU_PER_TWIP
        self.text_width_emu, self.text_height_emu = width, height
        self._numbering()
        self._next_bookmark = 1 + max(
            [int(v) for v in self.part.element.xpath("//w:bookmarkStart/@w:id") if v.isdecimal()]
            or [0])
        ids = []
        for p in self.part.package.iter_parts():
            if hasattr(p, "element"):
                ids += [int(v) for v in p.element.xpath("//wp:docPr/@id") if v.isdecimal()]
        self._next_docpr = 1 + max(ids or [0])
        self._hyperlinks: dict[str, str] = {}
        self._ppr_cache: dict[tuple, str] = {}
        self._rpr_cache: dict[frozenset, str] = {}
        self._headings: list[tuple[int, str, str]] = []
        self._heading_i = 0
        self.source_bookmarks: dict[str, str] = {}  # bookmark name → place of a Source

    # ------------------------------------------------------------------ set-up

    def _resolve_styles(self) -> dict[str, str | None]:
        by_name: dict[tuple[str, str], str] = {}
        for st in self.document.styles.element.findall(qn("w:style")):
            name_el = st.find(qn("w:name"))
            if name_el is None or not name_el.get(qn("w:val")):
                continue
            key = (st.get(qn("w:type")) or "paragraph", name_el.get(qn("w:val")).lower())
            by_name.setdefault(key, st.get(qn("w:styleId")))
        resolved: dict[str, str | None] = {}
        for role, (name, required) in STYLE_NAMES.items():
            # The built-in name, else a localized alias of it ("Rubrik 1" in a Swedish base).
            kind = _STYLE_TYPES.get(role, "paragraph")
            sid = next((by_name[(kind, alias)] for alias in aliases(name)
                        if (kind, alias) in by_name), None)
            resolved[role] = sid
            if sid is None and required:
                self.findings.append(error(
                    "docx.style-missing",
                    f"the base template has no {_STYLE_TYPES.get(role, 'paragraph')} style "
                    f"named '{name}'; the report falls back to plain formatting",
                    self.base_loc, hint="restore the style in the base template"))
        return resolved

    def style(self, role: str, fallback: str = "normal") -> str | None:
        return self.styles.get(role) or self.styles.get(fallback)

    def _text_area(self, body_p) -> tuple[int, int]:
        """Width and height (EMU) of the text area of the section holding the body: the first
        section break after it, or the document's last section."""
        sect = body_p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        for sib in () if sect is not None else body_p.itersiblings():
            if sib.tag == qn("w:sectPr"):
                sect = sib
            elif sib.tag == _W_P:
                sect = sib.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            if sect is not None:
                break
        if sect is None:
            sect = self.part.element.body.find(qn("w:sectPr"))

        def twips(tag: str, attr: str, default: int) -> int:
            el = sect.find(qn(tag)) if sect is not None else None
            value = el.get(qn(attr)) if el is not None else None
            return int(value) if value and value.lstrip("-").isdecimal() else default

        # Defaults: A4 with 25 mm margins.
        width = twips("w:pgSz", "w:w", 11906) - twips("w:pgMar", "w:left", 1418) - twips(
            "w:pgMar", "w:right", 1418)
        height = twips("w:pgSz", "w:h", 16838) - twips("w:pgMar", "w:top", 1418) - twips(
            "w:pgMar", "w:bottom", 1418)
        return max(width, 1440) * _EMU_PER_TWIP, max(height, 1440) * _EMU_PER_TWIP

    def _numbering(self) -> None:
        """Find the numberings the list styles use; create them if the base has none."""
        self.numbering = self.part.numbering_part.element
        nums = {n.get(qn("w:numId")): n for n in self.numbering.findall(qn("w:num"))}

        def style_num(role: str) -> str | None:
            sid = self.styles.get(role)
            if sid is None:
                return None
            st = self.document.styles.element.find(
                f"{qn('w:style')}[@{qn('w:styleId')}='{sid}']")
            el = st.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}") if st is not None else None
            return el.get(qn("w:val")) if el is not None else None

        def abstract_of(num_id: str | None) -> str | None:
            num = nums.get(num_id) if num_id else None
            el = num.find(qn("w:abstractNumId")) if num is not None else None
            return el.get(qn("w:val")) if el is not None else None

        self._max_num = max([int(k) for k in nums if k and k.isdecimal()] or [0])
        abstract_ids = [int(a.get(qn("w:abstractNumId")))
                        for a in self.numbering.findall(qn("w:abstractNum"))]
        self._max_abstract = max(abstract_ids or [-1])

        bullet_num = style_num("bullet")
        if abstract_of(bullet_num) is None:
            bullet_num = self._new_num(self._new_abstract("bullet"))
        self.bullet_num = bullet_num
        number_abstract = abstract_of(style_num("number"))
        if number_abstract is None:
            number_abstract = self._new_abstract("decimal")
        self.number_abstract = number_abstract

    def _new_abstract(self, kind: str) -> str:
        self._max_abstract += 1
        aid = str(self._max_abstract)
        a = _E("w:abstractNum", {"w:abstractNumId": aid})
        _sub(a, "w:multiLevelType", {"w:val": "multilevel"})
        for i in range(9):
            lvl = _sub(a, "w:lvl", {"w:ilvl": str(i)})
            _sub(lvl, "w:start", {"w:val": "1"})
            _sub(lvl, "w:numFmt", {"w:val": kind})
            _sub(lvl, "w:lvlText", {"w:val": "\u2022" if kind == "bullet" else f"%{i + 1}."})
            _sub(lvl, "w:lvlJc", {"w:val": "left"})
            ppr = _sub(lvl, "w:pPr")
            _sub(ppr, "w:ind", {"w:left": str(360 * (i + 1)), "w:hanging": "360"})
        existing = self.numbering.findall(qn("w:abstractNum"))
        if existing:
            existing[-1].addnext(a)
        else:
            self.numbering.insert(0, a)
        return aid

    def _new_num(self, abstract_id: str, restart: tuple[int, int] | None = None) -> str:
        self._max_num += 1
        num_id = str(self._max_num)
        num = _E("w:num", {"w:numId": num_id})
        _sub(num, "w:abstractNumId", {"w:val": abstract_id})
        if restart is not None:
            level, start = restart
            override = _sub(num, "w:lvlOverride", {"w:ilvl": str(level)})
            _sub(override, "w:startOverride", {"w:val": str(start)})
        cleanup = self.numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            self.numbering.append(num)
        return num_id

    # ------------------------------------------------------------------ blocks

    def build(self, doc: Document, out: _Sink) -> None:
        headings = []
        for b in iter_blocks(doc.blocks):
            if isinstance(b, Heading):
                if b.level <= TOC_LEVELS:
                    headings.append(b)
            elif isinstance(b, TableOfContents):
                self.has_toc = True
        if self.has_toc:
            for i, b in enumerate(headings, start=1):
                self._headings.append((b.level, plain_text(b.inlines), f"_Toc{i:08d}"))
        self.blocks(doc.blocks, out, depth=0, quote=False)

    def blocks(self, blocks: Iterable[Block], out: _Sink, *, depth: int, quote: bool) -> None:
        for b in blocks:
            self.block(b, out, depth=depth, quote=quote)

    def block(self, b: Block, out: _Sink, *, depth: int, quote: bool,
              continuation: bool = False) -> None:
        if isinstance(b, Paragraph):
            if continuation:
                style = self.style(f"continue{min(depth, 3)}")
            else:
                style = self.style("quote") if quote else self.style("normal")
            out.add(self.paragraph(b.inlines, style, after_table=out.last_tbl))
        elif isinstance(b, Heading):
            out.add(self.heading(b))
        elif isinstance(b, (BulletList, OrderedList)):
            self.list_block(b, out, depth=depth, quote=quote)
        elif isinstance(b, Table):
            self.table(b, out)
        elif isinstance(b, Figure):
            self.figure(b, out)
        elif isinstance(b, PageBreak):
            out.add('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        elif isinstance(b, TableOfContents):
            self.toc(out)
        elif isinstance(b, BlockQuote):
            self.blocks(b.blocks, out, depth=depth, quote=True)
        elif isinstance(b, Source):
            self.source(b, out, depth=depth, quote=quote)

    def source(self, s: Source, out: _Sink, *, depth: int, quote: bool) -> None:
        """Text from the inputs: a content control naming its place, holding a bookmark."""
        if any(isinstance(x, Figure) for x in iter_blocks(s.blocks)):
            # A figure is an element, not text: the control's start and end would be spliced
            # around it in separate pieces. Figures in narrative text are refused by the build
            # unless they show a chart, and such a text is then left unmarked.
            self.blocks(s.blocks, out, depth=depth, quote=quote)
            return
        n = len(self.source_bookmarks) + 1
        bookmark_id = self._next_bookmark
        self._next_bookmark += 1
        self.source_bookmarks[provenance.bookmark_name(n)] = s.path
        after_table = out.last_tbl
        # The blocks are gathered apart, so that the bookmark can go inside the first and the
        # last paragraph: LibreOffice splits a bookmark that starts or ends between paragraphs.
        saved = out.parts
        out.parts = []
        out.batch = 1 << 62
        try:
            self.blocks(s.blocks, out, depth=depth, quote=quote)
            inner = out.parts
        finally:
            out.parts = saved
            out.batch = _Sink._BATCH
        start, end = provenance.bookmark_marks(provenance.bookmark_name(n), bookmark_id)
        if inner and inner[0].startswith("<w:p>"):
            first = inner[0]
            cut = first.index("</w:pPr>") + 8 if first.startswith("<w:p><w:pPr>") else 5
            inner[0] = first[:cut] + start + first[cut:]
        else:
            inner.insert(0, start)
        if inner and inner[-1].endswith("</w:p>") and inner[-1] is not start:
            inner[-1] = inner[-1][:-6] + end + "</w:p>"
        else:
            inner.append(end)
        last_tbl = out.last_tbl
        out.add(provenance.sdt_open(s.path, n, f"Text från indata: {s.path}"))
        out.last_tbl = after_table
        for xml in inner:
            out.add(xml)
        out.add(provenance.sdt_close())
        out.last_tbl = last_tbl

    def _ppr(self, style: str | None, keep_next: bool = False, jc: str | None = None,
             numpr: tuple[int, str] | None = None, after_table: bool = False) -> str:
        """w:pPr in schema order: pStyle, keepNext, numPr, spacing, jc.

        ``after_table``: text right under a table would touch its bottom rule, so the first
        paragraph after a table gets some space above (headings and captions have their own).
        """
        key = (style, keep_next, jc, numpr, after_table)
        xml = self._ppr_cache.get(key)
        if xml is None:
            xml = ""
            if style:
                xml += f'<w:pStyle w:val="{_attr(style)}"/>'
            if keep_next:
                xml += "<w:keepNext/>"
            if numpr:
                xml += (f'<w:numPr><w:ilvl w:val="{numpr[0]}"/>'
                        f'<w:numId w:val="{_attr(numpr[1])}"/></w:numPr>')
            if after_table:
                xml += f'<w:spacing w:before="{_SPACE_AFTER_TABLE}"/>'
            if jc:
                xml += f'<w:jc w:val="{_attr(jc)}"/>'
            xml = _el("w:pPr", xml) if xml else ""
            self._ppr_cache[key] = xml
        return xml

    def paragraph(self, inlines, style: str | None, *, keep_next: bool = False,
                  jc: str | None = None, numpr=None, after_table: bool = False) -> str:
        return _el("w:p", self._ppr(style, keep_next, jc, numpr, after_table)
                   + self.runs(inlines, _NO_FMT))

    def heading(self, h: Heading) -> str:
        xml = self._ppr(self.style(f"h{h.level}"))
        if self.has_toc and h.level <= TOC_LEVELS:
            bookmark = self._headings[self._heading_i][2]
            self._heading_i += 1
            bid = str(self._next_bookmark)
            self._next_bookmark += 1
            xml += (f'<w:bookmarkStart w:id="{bid}" w:name="{_attr(bookmark)}"/>'
                    f'{self.runs(h.inlines, _NO_FMT)}<w:bookmarkEnd w:id="{bid}"/>')
        else:
            xml += self.runs(h.inlines, _NO_FMT)
        return _el("w:p", xml)

    def list_block(self, lst: BulletList | OrderedList, out: _Sink, *, depth: int,
                   quote: bool) -> None:
        level = min(depth, 8)
        if isinstance(lst, OrderedList):
            # A fresh w:num per list, starting at the list's own start: numbering restarts
            # for every list instead of running on from the previous one.
            num_id = self._new_num(self.number_abstract, restart=(level, lst.start))
            style = self.style("number")
        else:
            num_id = self.bullet_num
            style = self.style("bullet")
        numpr = (level, num_id)
        ppr = self._ppr(style, numpr=numpr)  # every item's but one right after a table
        for item in lst.items:
            if not item or not isinstance(item[0], Paragraph):
                # The item starts with something that cannot carry the number or bullet (a
                # table, a nested list...): give it an empty numbered paragraph so it counts.
                out.add(self.paragraph((), style, numpr=numpr, after_table=out.last_tbl))
            for i, b in enumerate(item):
                if i == 0 and isinstance(b, Paragraph):
                    if out.last_tbl:
                        out.add(self.paragraph(b.inlines, style, numpr=numpr, after_table=True))
                    else:
                        out.add(_el("w:p", ppr + self.runs(b.inlines, _NO_FMT)))
                elif isinstance(b, (BulletList, OrderedList)):
                    self.list_block(b, out, depth=depth + 1, quote=quote)
                else:
                    self.block(b, out, depth=depth + 1, quote=quote, continuation=True)

    # ------------------------------------------------------------------ inlines

    def runs(self, inlines: tuple[Inline, ...], fmt: frozenset) -> str:
        if len(inlines) == 1 and type(inlines[0]) is Text:  # most paragraphs and list items
            return self.run(inlines[0].text, fmt)
        out = []
        for x in inlines:
            kind = type(x)
            if kind is Text:
                out.append(self.run(x.text, fmt))
            elif kind is Strong:
                out.append(self.runs(x.children, fmt | {"b"}))
            elif kind is Emphasis:
                out.append(self.runs(x.children, fmt | {"i"}))
            elif kind is Code:
                out.append(self.run(x.text, fmt | {"code"}))
            elif kind is LineBreak:
                out.append("<w:r><w:br/></w:r>")
            elif kind is Link:
                out.append(self.hyperlink(x, fmt))
        return "".join(out)

    def _rpr(self, fmt: frozenset) -> str:
        xml = self._rpr_cache.get(fmt)
        if xml is None:
            xml = ""
            if "code" in fmt:
                if self.styles.get("code"):
                    xml += f'<w:rStyle w:val="{_attr(self.styles["code"])}"/>'
                else:
                    xml += '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/>'
            elif "link" in fmt and self.styles.get("hyperlink"):
                xml += f'<w:rStyle w:val="{_attr(self.styles["hyperlink"])}"/>'
            if "b" in fmt:
                xml += "<w:b/>"
            if "i" in fmt:
                xml += "<w:i/>"
            if "link" in fmt and not self.styles.get("hyperlink") and "code" not in fmt:
                xml += '<w:color w:val="0B4F9C"/><w:u w:val="single"/>'
            xml = _el("w:rPr", xml) if xml else ""
            self._rpr_cache[fmt] = xml
        return xml

    def run(self, text: str, fmt: frozenset) -> str:
        return _el("w:r", (self._rpr(fmt) if fmt else "") + _text_xml(text))

    def hyperlink(self, link: Link, fmt: frozenset) -> str:
        url = link.url.strip()
        problem = link_problem(url)
        if problem is not None:
            # The one link policy (reportgen.document.links): the text stays, the target does not.
            self.findings.append(error("link-target", f"the link to {excerpt(url)} is refused: {problem}",
                                       self.base_loc, hint=LINK_HINT))
            return self.runs(link.children, fmt)
        if url.startswith("#") and len(url) > 1:
            attrs = f' w:anchor="{_checked_attr(url[1:])}" w:history="1"'
        elif url:
            target = quote(_xml_safe(url), safe="!#$%&'()*+,/:;=?@[]~-._")
            rid = self._hyperlinks.get(target)
            if rid is None:
                rid = self.part.relate_to(target, RT.HYPERLINK, is_external=True)
                self._hyperlinks[target] = rid
            attrs = f' r:id="{_attr(rid)}" w:history="1"'
        else:
            # An empty destination links nowhere; keep the text.
            attrs = ' w:history="1"'
        return _el("w:hyperlink", self.runs(link.children, fmt | {"link"}), attrs)

    # ------------------------------------------------------------------ tables

    def _widths(self, t: Table) -> list[int]:
        """Column widths (twips) that fill the text width.

        Each column first gets room for its longest unbreakable piece of text (split at spaces
        and tabs only: a no-break space, as in "1\u00a0500\u00a0000 kr", holds a number
        together), so header words and numbers never break; a long word of running text counts
        as at most 14 characters (it may break rather than squeeze the other columns). What is
        left is shared in proportion to how much more the longest cell would like. Character
        widths are estimates for a 10 pt sans-serif (the table text size), a little generous.
        """
        n = len(t.header)
        mins, wants = [], []
        for j in range(n):
            head = plain_text(t.header[j])
            token = max((len(w) for w in _BREAKABLE.split(head)), default=0) * _CHAR_BOLD
            longest = len(head) * _CHAR_BOLD
            # A sample of the rows is plenty for proportions. Equal cells (a status, a county)
            # measure alike, and a cell no longer than the longest piece so far has no longer
            # piece: taken longest first, most cells of a long table are never split into words.
            texts = sorted({plain_text(row[j]) for row in t.rows[:2000]}, key=len, reverse=True)
            if texts:
                longest = max(longest, min(len(texts[0]), 60) * _CHAR)
            for text in texts:
                if len(text) * _CHAR <= token:
                    break
                for word in _BREAKABLE.split(text):
                    n_chars = len(word)
                    if n_chars > 14 and not any(map(str.isdigit, word)):
                        n_chars = 14  # only a word with a digit is too long to break
                    token = max(token, n_chars * _CHAR)
            mins.append(token + _CELL_PAD)
            wants.append(max(longest, token) + _CELL_PAD)
        total = self.text_width_twips
        if sum(mins) >= total:  # cannot fit anyway: shrink the minimums alike
            widths = [total * m // sum(mins) for m in mins]
        elif sum(wants) <= total:  # everything fits: spread the spare room alike
            widths = [total * w // sum(wants) for w in wants]
        else:
            spare = total - sum(mins)
            flex = [w - m for w, m in zip(wants, mins)]
            widths = [m + spare * f // sum(flex) for m, f in zip(mins, flex)]
        widths[-1] += total - sum(widths)
        return widths

    def _row_writer(self, widths: list[int], align: tuple[str, ...], *, header: bool,
                    bold: bool, keep_next: bool = False):
        """A function writing one w:tr of this table from its cells.

        Every cell has the same frame (tcPr, pPr and, for plain text, one run), so each row is
        the precomputed pieces around the cells' escaped text.
        """
        tr_open = ("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header
                   # w:tblHeader repeats the header row on every page; also what marks it as
                   # a header for assistive technology and tagged PDF.
                   else "<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        cell_style = self.style("cell")
        r_open = "<w:r><w:rPr><w:b/></w:rPr>" if bold else "<w:r>"
        fmt = frozenset({"b"}) if bold else _NO_FMT
        frames = []
        for j, w in enumerate(widths):
            jc = {"right": "right", "center": "center"}.get(align[j])
            frames.append((f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>',
                           self._ppr(cell_style, keep_next=keep_next, jc=jc)))
        plain = [f"{tc}<w:p>{ppr}{r_open}<w:t xml:space=\"preserve\">" for tc, ppr in frames]
        plain_end = "</w:t></w:r></w:p></w:tc>"
        # A cell the row does not have keeps the frame's empty run.
        missing = [f'{tc}<w:p>{ppr}{r_open}<w:t xml:space="preserve"/></w:r></w:p></w:tc>'
                   for tc, ppr in frames]

        def write(cells) -> str:
            out = [tr_open]
            texts = [cell[0].text for cell in cells if len(cell) == 1 and type(cell[0]) is Text]
            # The plain cells' texts escaped at once, a line feed between them (which escaping
            # neither adds nor drops): per cell, the calls cost more than the escaping itself.
            escaped = _esc(_xml_safe("\n".join(texts))).split("\n")
            if len(escaped) != len(texts):  # a text with a line feed of its own
                escaped = [_esc(_xml_safe(text)) for text in texts]
            k = 0
            for j, cell in enumerate(cells):
                if len(cell) == 1 and type(cell[0]) is Text:
                    out += (plain[j], escaped[k], plain_end)
                    k += 1
                else:
                    tc, ppr = frames[j]
                    out.append(f"{tc}{_el('w:p', ppr + self.runs(cell, fmt))}</w:tc>")
            out += missing[len(cells):]
            out.append("</w:tr>")
            return "".join(out)

        return write

    def table(self, t: Table, out: _Sink) -> None:
        if t.caption:
            out.add(self.paragraph((Text(t.caption),), self.style("caption"), keep_next=True))
        tblpr = ""
        if self.styles.get("table"):
            tblpr += f'<w:tblStyle w:val="{_attr(self.styles["table"])}"/>'
        tblpr += (f'<w:tblW w:w="{self.text_width_twips}" w:type="dxa"/>'
                  '<w:tblLayout w:type="fixed"/>')
        look = 0x0020 | 0x0200 | 0x0400 | (0x0040 if t.totals else 0)
        tblpr += (f'<w:tblLook w:val="{look:04X}" w:firstRow="1" '
                  f'w:lastRow="{"1" if t.totals else "0"}" w:firstColumn="0" w:lastColumn="0" '
                  'w:noHBand="1" w:noVBand="1"/>')
        if t.caption:
            caption = _attr(_xml_safe(t.caption))
            tblpr += (f'<w:tblCaption w:val="{caption}"/>'
                      f'<w:tblDescription w:val="{caption}"/>')
        widths = self._widths(t)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out.add(f"<w:tbl><w:tblPr>{tblpr}</w:tblPr>{_el('w:tblGrid', grid)}")
        rows = t.rows
        # A short table is kept on one page (each row kept with the next): a frames table must
        # not leave its total row alone on the next page. A longer one may break, but not
        # before its second row nor before its last: no header alone at the foot of a page, no
        # total row alone at the top of the next.
        n = len(rows)
        kept = [n <= _KEEP_TOGETHER_ROWS or i == 0 or i == n - 2 for i in range(n - 1)] + [False] * bool(n)
        # Header cells bold directly too: LibreOffice does not apply every table-style part.
        out.add(self._row_writer(widths, t.align, header=True, bold=True, keep_next=bool(rows))(t.header))
        writers = {}
        last = n - 1 if t.totals else -1
        for i, row in enumerate(rows):
            # Bold directly as well as by the style's last-row format, which not every reader
            # (LibreOffice) applies.
            key = (i == last, kept[i])
            if key not in writers:
                writers[key] = self._row_writer(widths, t.align, header=False, bold=key[0], keep_next=key[1])
            out.add(writers[key](row))
        out.add("</w:tbl>", table=True)

    # ------------------------------------------------------------------ figures

    def figure(self, f: Figure, out: _Sink) -> None:
        if f.data is not None:
            self.chart(f, out)
            return
        path = Path(f.src)
        if self.image_root is not None and not path.is_absolute():
            path = self.image_root / path
        where = Location(str(path))
        if not path.is_file():
            self.findings.append(error("docx.image-missing",
                                       f"the figure's image file does not exist: {f.src}", where))
            out.add(self.paragraph((Text(f"[{f.alt or f.src}]"),), self.style("normal"),
                                   after_table=out.last_tbl))
            return
        try:
            rid, image = self.part.get_or_add_image(str(path))
            w, h = int(image.width), int(image.height)
        except Exception as exc:  # noqa: BLE001  # unsupported format (e.g. SVG), broken file
            self.findings.append(error(
                "docx.image-unreadable",
                f"cannot use the figure's image {f.src}: {type(exc).__name__}: {exc}", where,
                hint="use PNG or JPEG"))
            out.add(self.paragraph((Text(f"[{f.alt or f.src}]"),), self.style("normal"),
                                   after_table=out.last_tbl))
            return
        # Fit to the text width (never enlarge) and to 80 % of the text height, so the caption
        # fits on the same page.
        scale = min(1.0, self.text_width_emu / w, 0.8 * self.text_height_emu / h) if w and h else 1
        cx, cy = max(1, int(w * scale)), max(1, int(h * scale))
        shape_id = self._next_docpr
        self._next_docpr += 1
        # The picture's name is the figure's path as the tree has it, so that reading the
        # document back (document/docx_reader.py) gives the same figure.
        inline = CT_Inline.new_pic_inline(shape_id, rid, _xml_safe(f.src), Emu(cx), Emu(cy))
        alt = _xml_safe(f.alt)
        inline.docPr.set("descr", alt)  # the alternative text screen readers read
        cnvpr = inline.find(".//" + qn("pic:cNvPr"))
        if cnvpr is not None:
            cnvpr.set("descr", alt)
        # An element, not text: python-docx builds the drawing, and lxml decides which of its
        # namespace declarations it keeps.
        p = _E("w:p")
        style = self.style("normal")
        if style or f.caption or out.last_tbl:
            ppr = _sub(p, "w:pPr")
            if style:
                _sub(ppr, "w:pStyle", {"w:val": style})
            if f.caption:
                _sub(ppr, "w:keepNext")
            if out.last_tbl:
                _sub(ppr, "w:spacing", {"w:before": _SPACE_AFTER_TABLE})
        _sub(_sub(p, "w:r"), "w:drawing").append(inline)
        out.element(p)
        if f.caption:
            out.add(self.paragraph((Text(f.caption),), self.style("caption")))

    def chart(self, f: Figure, out: _Sink) -> None:
        """A native chart (see reportgen.ooxml.charts): the chart part and its embedded workbook,
        related from the document, placed inline with the figure's alt text, then its caption."""
        try:
            data = chart_data(f)
        except charts.ChartError as exc:
            self.findings.append(error("docx.chart-data", f"cannot draw the chart {f.src}: {exc}",
                                       Location(f.src or "<chart>")))
            out.add(self.paragraph((Text(f"[{f.alt or f.src}]"),), self.style("normal"),
                                   after_table=out.last_tbl))
            return
        package = self.part.package
        chart_name = package.next_partname("/word/charts/chart%d.xml")
        chart_part = Part(chart_name, charts.CT_CHART, b"", package)
        rid = self.part.relate_to(chart_part, charts.RT_CHART)
        number = chart_name.idx
        book = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"), charts.CT_XLSX,
                    charts.workbook_xlsx(data), package)
        book_rid = chart_part.relate_to(book, charts.RT_PACKAGE)
        chart_part._blob = charts.chart_xml(data, self.chart_style, book_rid)
        cx, cy = charts.size_emu(data, self.chart_style, self.text_width_emu)
        shape_id = self._next_docpr
        self._next_docpr += 1
        style = self.style("normal")
        ppr = ""
        if style:
            ppr += f'<w:pStyle w:val="{_attr(style)}"/>'
        if f.caption:
            ppr += "<w:keepNext/>"
        if out.last_tbl:
            ppr += f'<w:spacing w:before="{_SPACE_AFTER_TABLE}"/>'
        inline = charts.inline_xml(rid, shape_id, f.src, f.alt, cx, cy)
        out.add(f'<w:p>{_el("w:pPr", ppr) if ppr else ""}<w:r><w:drawing>{inline}</w:drawing></w:r></w:p>')
        if f.caption:
            out.add(self.paragraph((Text(f.caption),), self.style("caption")))

    # ------------------------------------------------------------------ table of contents

    def toc(self, out: _Sink) -> None:
        """A TOC field whose result already lists the headings (linked to bookmarks), so a
        reader that does not update fields (LibreOffice, a PDF made from it) shows them too;
        Word rebuilds it with page numbers on open (w:dirty and settings' updateFields)."""
        title = self.fields.get("toc_title", DEFAULT_TOC_TITLE)
        out.add(self.paragraph((Text(str(title)),), self.style("toc_heading", "h1")))
        entries = self._headings or [(1, "", "")]
        for i, (level, text, bookmark) in enumerate(entries):
            xml = self._ppr(self.style(f"toc{level}"))
            if i == 0:
                xml += ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
                        f'<w:r><w:instrText xml:space="preserve">{_esc(TOC_INSTRUCTION)}'
                        '</w:instrText></w:r>'
                        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>')
            if bookmark:
                # No page number: only Word's update knows it, and a PAGEREF with an empty
                # result would leave LibreOffice drawing dot leaders to nowhere.
                xml += (f'<w:hyperlink w:anchor="{_attr(bookmark)}" w:history="1">'
                        f'{self.run(text, _NO_FMT)}</w:hyperlink>')
            if i == len(entries) - 1:
                xml += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            out.add(_el("w:p", xml))


_NO_FMT: frozenset = frozenset()


_NUMBER = re.compile(r"^([-\u2212]?)(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?(?:[ \u00a0](.*))?$")


def chart_data(f: Figure) -> charts.ChartData:
    """The chart a figure's data table describes: the header names the category column and the
    series, each row a category and its values (``5,2 mnkr``: a decimal comma, groups of three
    digits apart, the unit after; one unit for the whole chart). Raises ChartError."""
    t = f.data
    if t is None or len(t.header) < 2:
        raise charts.ChartError("its data needs a category column and at least one series column")
    units = set()
    columns: list[list[Decimal]] = [[] for _ in t.header[1:]]
    categories = []
    for row in t.rows:
        categories.append(plain_text(row[0]).strip())
        for j, cell in enumerate(row[1:]):
            text = plain_text(cell).strip()
            m = _NUMBER.match(text)
            if not m:
                raise charts.ChartError(f"{text!r} (row {categories[-1]!r}) is not a number such as "
                                        "'1 234,5 mnkr'")
            sign, whole, frac, unit = m.groups()
            value = Decimal(re.sub(r"\D", "", whole) + ("." + frac if frac else ""))
            columns[j].append(-value if sign else value)
            units.add((unit or "").strip())
    if len(units) > 1:
        raise charts.ChartError(f"its values have several units ({', '.join(sorted(units))}); a chart has one")
    series = tuple((plain_text(h).strip(), tuple(col)) for h, col in zip(t.header[1:], columns))
    return charts.ChartData(tuple(categories), series, units.pop() if units else "",
                            plain_text(t.header[0]).strip(), name=f.src)


def _text_xml(text: str) -> str:
    """The w:t (and w:tab) elements of a run holding ``text``."""
    # Most text has nothing to drop, escape or split at: written as it is. (Substring tests and
    # the existing pattern, not a pattern of its own: one more costs a cold build its compiling.)
    if ("&" not in text and "<" not in text and ">" not in text and "\r" not in text and "\t" not in text
            and not _NOT_XML.search(text)):
        return f'<w:t xml:space="preserve">{text}</w:t>' if text else ""
    text = _xml_safe(text)
    if "\t" not in text:
        return f'<w:t xml:space="preserve">{_esc(text)}</w:t>' if text else ""
    out = []
    for i, part in enumerate(text.split("\t")):
        if i:
            out.append("<w:tab/>")
        if part:
            out.append(f'<w:t xml:space="preserve">{_esc(part)}</w:t>')
    return "".join(out)
