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

Tables are built by deep-copying one prototype row per kind of row (python-docx's ``add_row`` +
``cell.text`` costs seconds for ten thousand rows; copying XML costs a fraction of that).
"""

from __future__ import annotations

import copy
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import oxml_parser
from docx.oxml.shape import CT_Inline
from docx.shared import Emu
from lxml import etree

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
    Strong,
    Table,
    TableOfContents,
    Text,
    iter_blocks,
    normalize,
    plain_text,
)
from reportgen.findings import Finding, Location, error

__all__ = ["STYLE_NAMES", "CoreProperties", "reproducible_zip", "write_docx"]


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


#: The styles the writer uses, by role → the style's name in styles.xml (compared without
#: regard to case). Built-in names, so Word in any language and LibreOffice recognise them.
#: The second value says whether a missing style is an error (else a fallback is used).
STYLE_NAMES: dict[str, tuple[str, bool]] = {
    "normal": ("Normal", True),
    "h1": ("heading 1", True),
    "h2": ("heading 2", True),
    "h3": ("heading 3", True),
    "h4": ("heading 4", True),
    "bullet": ("List Bullet", True),
    "number": ("List Number", True),
    "continue1": ("List Continue", False),
    "continue2": ("List Continue 2", False),
    "continue3": ("List Continue 3", False),
    "caption": ("caption", True),
    "table": ("Rapporttabell", True),
    "cell": ("Tabelltext", False),
    "quote": ("Quote", False),
    "toc_heading": ("TOC Heading", False),
    "toc1": ("toc 1", False),
    "toc2": ("toc 2", False),
    "toc3": ("toc 3", False),
    "hyperlink": ("Hyperlink", False),
    "code": ("HTML Code", False),
}
_STYLE_TYPES = {"table": "table", "hyperlink": "character", "code": "character"}

DEFAULT_TOC_TITLE = "Innehåll"
# Two levels: chapters and sections. Deeper headings (e.g. one per project in an annex) would
# turn the contents into a second copy of the document.
TOC_LEVELS = 2
TOC_INSTRUCTION = f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u '

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_W_P, _W_T, _W_R = qn("w:p"), qn("w:t"), qn("w:r")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_FILL_PARTS = {CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES,
               CT.WML_ENDNOTES}
_EMU_PER_TWIP = 635
_BREAKABLE = re.compile(r"[ \t]+")
_CHAR, _CHAR_BOLD = 115, 128  # twips per character of 10 pt Arial/Liberation Sans, estimated
_CELL_PAD = 2 * 85 + 40  # the table style's left and right cell margins, and some air
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
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(s: str) -> str:
    """Drop the characters XML 1.0 cannot hold (lxml would refuse them); everything else is
    set as text, never parsed as markup, so ``&``, ``<`` and quotes stay what they are."""
    return _NOT_XML.sub("", s)


class _Sink:
    """Where built blocks go: straight into the document, just before the body placeholder.

    Building in place matters for speed: lxml moves a large detached subtree into another
    document slowly (xml:space attributes make it re-resolve the xml namespace node by node),
    while appending rows to a table already in the document is cheap.
    """

    def __init__(self, anchor) -> None:
        self.anchor = anchor
        self.last = None

    def append(self, el) -> None:
        self.anchor.addprevious(el)
        self.last = el

    def extend(self, els) -> None:
        for el in els:
            self.append(el)


# ============================================================================ entry point


def write_docx(doc: Document, base: Path, fields: Mapping[str, str], core: CoreProperties,
               image_root: Path | None = None) -> tuple[bytes | None, list[Finding]]:
    """Write ``doc`` into the base template ``base``.

    ``fields`` fill the base's ``{{ name }}`` placeholders (as plain one-line text);
    ``image_root`` is where figure paths are resolved (the working directory when None).

    Returns the .docx bytes (None when the base cannot be used at all: unreadable, or without
    a ``{{ body }}`` paragraph) and the findings. Errors: a placeholder in the base with no
    value in ``fields`` (the document is still written, the placeholder left visible), a
    missing body placeholder, a missing style, a missing or unreadable image. Fields that the
    base does not use are fine: one set of fields serves several bases.
    """
    findings: list[Finding] = []
    base_loc = Location(str(base))
    try:
        document = docx.Document(str(base))
    except Exception as exc:  # noqa: BLE001  # a missing or corrupt file is for the user to fix
        return None, [error("docx.base-unreadable",
                            f"cannot open the base template: {type(exc).__name__}: {exc}",
                            base_loc)]

    body_p = _fill_placeholders(document, fields, base_loc, findings)
    if body_p is None:
        return None, findings

    builder = _Builder(document, body_p, fields, image_root, base_loc, findings)
    sink = _Sink(body_p)
    builder.build(normalize(doc), sink)
    _finish_body(body_p, sink.last)
    if builder.has_toc:
        _set_update_fields(document.settings.element)

    buf = BytesIO()
    document.save(buf)
    return reproducible_zip(buf.getvalue(), replace={"docProps/core.xml": core_xml(core)}), findings


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
                    f"{rest.strip()[:60]!r}", base_loc,
                    hint="placeholders are {{ name }} with a letter or _ first"))

    body = [c for c in body_candidates
            if c[0] == "word/document.xml" and _PLACEHOLDER.fullmatch(c[2].strip())]
    for partname, _, text in body_candidates:
        if (partname, text) not in {(b[0], b[2]) for b in body}:
            findings.append(error(
                "docx.body-misplaced",
                f"{{{{ body }}}} in {partname} must be alone in a paragraph of the main "
                f"document; found {text.strip()[:60]!r}", base_loc))
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


def _finish_body(body_p, last) -> None:
    """Remove the placeholder paragraph now that the body stands before it."""
    ppr = body_p.find(qn("w:pPr"))
    if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
        # The placeholder paragraph ends a section: keep it, empty, for its section break.
        for child in list(body_p):
            if child is not ppr:
                body_p.remove(child)
        return
    following = body_p.getnext()
    if last is None or (last.tag == qn("w:tbl")
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


_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def core_xml(core: CoreProperties) -> bytes:
    """docProps/core.xml, written whole: nothing of the base's own properties (its title,
    author, print date...) can leak into a report, and no clock is read."""
    root = etree.Element(f"{{{_CP}}}coreProperties", nsmap={
        "cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "dcmitype": "http://purl.org/dc/dcmitype/",
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


# ============================================================================ zip


FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def reproducible_zip(data: bytes, replace: Mapping[str, bytes] | None = None) -> bytes:
    """Rewrite a zip so that equal content gives equal bytes: ``[Content_Types].xml`` first
    (the OPC convention), the other entries sorted by name, a fixed date, DEFLATE at a fixed
    level, fixed "made by" system and file attributes. ``replace`` swaps entry contents."""
    with zipfile.ZipFile(BytesIO(data)) as src:
        entries = {info.filename: src.read(info) for info in src.infolist()}
    entries.update(replace or {})
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in sorted(entries, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Unix "made by" and rw-r--r--: a zero attribute would be replaced by Python's
            # default, and the platform default for create_system differs on Windows.
            info.create_system = 3
            info.external_attr = 0o644 << 16
            z.writestr(info, entries[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return out.getvalue()


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
        self.has_toc = False
        self.styles = self._resolve_styles()
        width, height = self._text_area(body_p)
        self.text_width_twips = width // _EMU_PER_TWIP
        self.text_width_emu, self.text_height_emu = width, height
        self._numbering()
        self._next_bookmark = 1 + max(
            [int(v) for v in self.part.element.xpath("//w:bookmarkStart/@w:id") if v.isdigit()]
            or [0])
        ids = []
        for p in self.part.package.iter_parts():
            if hasattr(p, "element"):
                ids += [int(v) for v in p.element.xpath("//wp:docPr/@id") if v.isdigit()]
        self._next_docpr = 1 + max(ids or [0])
        self._hyperlinks: dict[str, str] = {}
        self._headings: list[tuple[int, str, str]] = []
        self._heading_i = 0

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
            sid = by_name.get((_STYLE_TYPES.get(role, "paragraph"), name.lower()))
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
            return int(value) if value and value.lstrip("-").isdigit() else default

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

        self._max_num = max([int(k) for k in nums if k and k.isdigit()] or [0])
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
        self.has_toc = any(isinstance(b, TableOfContents) for b in iter_blocks(doc.blocks))
        if self.has_toc:
            for b in iter_blocks(doc.blocks):
                if isinstance(b, Heading) and b.level <= TOC_LEVELS:
                    self._headings.append((b.level, plain_text(b.inlines),
                                           f"_Toc{len(self._headings) + 1:08d}"))
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
            out.append(self._after_table(out, self.paragraph(b.inlines, style)))
        elif isinstance(b, Heading):
            out.append(self.heading(b))
        elif isinstance(b, (BulletList, OrderedList)):
            self.list_block(b, out, depth=depth, quote=quote)
        elif isinstance(b, Table):
            self.table(b, out)
        elif isinstance(b, Figure):
            first, *rest = self.figure(b)
            out.append(self._after_table(out, first))
            out.extend(rest)
        elif isinstance(b, PageBreak):
            p = _E("w:p")
            _sub(_sub(p, "w:r"), "w:br", {"w:type": "page"})
            out.append(p)
        elif isinstance(b, TableOfContents):
            out.extend(self.toc())
        elif isinstance(b, BlockQuote):
            self.blocks(b.blocks, out, depth=depth, quote=True)

    def _ppr(self, p, style: str | None, *, keep_next: bool = False, jc: str | None = None,
             numpr: tuple[int, str] | None = None):
        """w:pPr in schema order: pStyle, keepNext, numPr, ..., jc."""
        if not (style or keep_next or jc or numpr):
            return None
        ppr = _sub(p, "w:pPr")
        if style:
            _sub(ppr, "w:pStyle", {"w:val": style})
        if keep_next:
            _sub(ppr, "w:keepNext")
        if numpr:
            n = _sub(ppr, "w:numPr")
            _sub(n, "w:ilvl", {"w:val": str(numpr[0])})
            _sub(n, "w:numId", {"w:val": numpr[1]})
        if jc:
            _sub(ppr, "w:jc", {"w:val": jc})
        return ppr

    @staticmethod
    def _after_table(out: _Sink, p):
        """Text right under a table would touch its bottom rule: give the first paragraph after
        a table some space above (headings and captions have their own)."""
        if out.last is not None and out.last.tag == qn("w:tbl"):
            ppr = p.find(qn("w:pPr"))
            if ppr is None:
                ppr = _E("w:pPr")
                p.insert(0, ppr)
            spacing = _E("w:spacing", {"w:before": _SPACE_AFTER_TABLE})
            jc = ppr.find(qn("w:jc"))  # w:spacing comes before w:jc in pPr
            if jc is not None:
                jc.addprevious(spacing)
            else:
                ppr.append(spacing)
        return p

    def paragraph(self, inlines, style: str | None, *, keep_next: bool = False,
                  jc: str | None = None, numpr=None):
        p = _E("w:p")
        self._ppr(p, style, keep_next=keep_next, jc=jc, numpr=numpr)
        self.runs(inlines, p, frozenset())
        return p

    def heading(self, h: Heading):
        p = _E("w:p")
        self._ppr(p, self.style(f"h{h.level}"))
        bookmark = None
        if self.has_toc and h.level <= TOC_LEVELS:
            bookmark = self._headings[self._heading_i][2]
            self._heading_i += 1
            bid = str(self._next_bookmark)
            self._next_bookmark += 1
            _sub(p, "w:bookmarkStart", {"w:id": bid, "w:name": bookmark})
        self.runs(h.inlines, p, frozenset())
        if bookmark:
            _sub(p, "w:bookmarkEnd", {"w:id": bid})
        return p

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
        for item in lst.items:
            if not item or not isinstance(item[0], Paragraph):
                # The item starts with something that cannot carry the number or bullet (a
                # table, a nested list...): give it an empty numbered paragraph so it counts.
                out.append(self._after_table(out, self.paragraph((), style,
                                                                 numpr=(level, num_id))))
            for i, b in enumerate(item):
                if i == 0 and isinstance(b, Paragraph):
                    out.append(self._after_table(out, self.paragraph(b.inlines, style,
                                                                     numpr=(level, num_id))))
                elif isinstance(b, (BulletList, OrderedList)):
                    self.list_block(b, out, depth=depth + 1, quote=quote)
                else:
                    self.block(b, out, depth=depth + 1, quote=quote, continuation=True)

    # ------------------------------------------------------------------ inlines

    def runs(self, inlines: Iterable[Inline], parent, fmt: frozenset) -> None:
        for x in inlines:
            if isinstance(x, Text):
                parent.append(self.run(x.text, fmt))
            elif isinstance(x, Strong):
                self.runs(x.children, parent, fmt | {"b"})
            elif isinstance(x, Emphasis):
                self.runs(x.children, parent, fmt | {"i"})
            elif isinstance(x, Code):
                parent.append(self.run(x.text, fmt | {"code"}))
            elif isinstance(x, LineBreak):
                r = _sub(parent, "w:r")
                _sub(r, "w:br")
            elif isinstance(x, Link):
                parent.append(self.hyperlink(x, fmt))

    def run(self, text: str, fmt: frozenset):
        r = _E("w:r")
        if fmt:
            rpr = _sub(r, "w:rPr")
            if "code" in fmt:
                if self.styles.get("code"):
                    _sub(rpr, "w:rStyle", {"w:val": self.styles["code"]})
                else:
                    _sub(rpr, "w:rFonts", {"w:ascii": "Courier New", "w:hAnsi": "Courier New"})
            elif "link" in fmt and self.styles.get("hyperlink"):
                _sub(rpr, "w:rStyle", {"w:val": self.styles["hyperlink"]})
            if "b" in fmt:
                _sub(rpr, "w:b")
            if "i" in fmt:
                _sub(rpr, "w:i")
            if "link" in fmt and not self.styles.get("hyperlink") and "code" not in fmt:
                _sub(rpr, "w:color", {"w:val": "0B4F9C"})
                _sub(rpr, "w:u", {"w:val": "single"})
            if len(rpr) == 0:
                r.remove(rpr)
        self._text_into(r, text)
        return r

    @staticmethod
    def _text_into(r, text: str) -> None:
        text = _xml_safe(text)
        parts = text.split("\t")
        for i, part in enumerate(parts):
            if i:
                _sub(r, "w:tab")
            if part:
                t = _sub(r, "w:t")
                t.text = part
                t.set(_XML_SPACE, "preserve")

    def hyperlink(self, link: Link, fmt: frozenset):
        url = link.url.strip()
        if url.startswith("#") and len(url) > 1:
            h = _E("w:hyperlink", {"w:anchor": url[1:], "w:history": "1"})
        elif url:
            target = quote(_xml_safe(url), safe="!#$%&'()*+,/:;=?@[]~-._")
            rid = self._hyperlinks.get(target)
            if rid is None:
                rid = self.part.relate_to(target, RT.HYPERLINK, is_external=True)
                self._hyperlinks[target] = rid
            h = _E("w:hyperlink", {"r:id": rid, "w:history": "1"})
        else:
            # An empty destination links nowhere; keep the text.
            h = _E("w:hyperlink", {"w:history": "1"})
        self.runs(link.children, h, fmt | {"link"})
        return h

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
            for row in t.rows[:2000]:  # a sample is plenty for proportions
                text = plain_text(row[j])
                longest = max(longest, min(len(text), 60) * _CHAR)
                for word in _BREAKABLE.split(text):
                    hard = any(c.isdigit() for c in word)
                    token = max(token, (len(word) if hard else min(len(word), 14)) * _CHAR)
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

    def _prototype_row(self, widths: list[int], align: tuple[str, ...], *, header: bool,
                       bold: bool):
        tr = _E("w:tr")
        trpr = _sub(tr, "w:trPr")
        _sub(trpr, "w:cantSplit")
        if header:
            # Repeats the header row on every page; also what marks it as a header for
            # assistive technology and tagged PDF.
            _sub(trpr, "w:tblHeader")
        cell_style = self.style("cell")
        for j, w in enumerate(widths):
            tc = _sub(tr, "w:tc")
            tcpr = _sub(tc, "w:tcPr")
            _sub(tcpr, "w:tcW", {"w:w": str(w), "w:type": "dxa"})
            p = _sub(tc, "w:p")
            jc = {"right": "right", "center": "center"}.get(align[j])
            self._ppr(p, cell_style, jc=jc)
            r = _sub(p, "w:r")
            if bold:
                _sub(_sub(r, "w:rPr"), "w:b")
            t = _sub(r, "w:t")
            t.set(_XML_SPACE, "preserve")
        return tr

    def _fill_row(self, proto, cells, bold: bool):
        tr = copy.deepcopy(proto)
        for j, cell in enumerate(cells):
            p = tr[j + 1][1]  # w:tr > (w:trPr, w:tc...) ; w:tc > (w:tcPr, w:p)
            r = p[-1]
            if len(cell) == 1 and type(cell[0]) is Text:
                r[-1].text = _xml_safe(cell[0].text)
            else:
                p.remove(r)
                if cell:
                    self.runs(cell, p, frozenset({"b"}) if bold else frozenset())
        return tr

    def table(self, t: Table, out: _Sink) -> None:
        if t.caption:
            cap = self.paragraph((Text(t.caption),), self.style("caption"), keep_next=True)
            out.append(cap)
        tbl = _E("w:tbl")
        tblpr = _sub(tbl, "w:tblPr")
        if self.styles.get("table"):
            _sub(tblpr, "w:tblStyle", {"w:val": self.styles["table"]})
        _sub(tblpr, "w:tblW", {"w:w": str(self.text_width_twips), "w:type": "dxa"})
        _sub(tblpr, "w:tblLayout", {"w:type": "fixed"})
        look = 0x0020 | 0x0200 | 0x0400 | (0x0040 if t.totals else 0)
        _sub(tblpr, "w:tblLook", {
            "w:val": f"{look:04X}", "w:firstRow": "1", "w:lastRow": "1" if t.totals else "0",
            "w:firstColumn": "0", "w:lastColumn": "0", "w:noHBand": "1", "w:noVBand": "1"})
        if t.caption:
            _sub(tblpr, "w:tblCaption", {"w:val": _xml_safe(t.caption)})
            _sub(tblpr, "w:tblDescription", {"w:val": _xml_safe(t.caption)})
        widths = self._widths(t)
        grid = _sub(tbl, "w:tblGrid")
        for w in widths:
            _sub(grid, "w:gridCol", {"w:w": str(w)})
        out.append(tbl)  # attach first; rows are then appended in place (see _Sink)
        # Header cells bold directly too: LibreOffice does not apply every table-style part.
        tbl.append(self._fill_row(self._prototype_row(widths, t.align, header=True, bold=True),
                                  t.header, True))
        body_proto = self._prototype_row(widths, t.align, header=False, bold=False)
        rows = t.rows
        last = len(rows) - 1 if t.totals else -1
        for i, row in enumerate(rows):
            if i == last:
                # Bold directly as well as by the style's last-row format, which not every
                # reader (LibreOffice) applies.
                proto = self._prototype_row(widths, t.align, header=False, bold=True)
                tbl.append(self._fill_row(proto, row, True))
            else:
                tbl.append(self._fill_row(body_proto, row, False))

    # ------------------------------------------------------------------ figures

    def figure(self, f: Figure) -> list:
        path = Path(f.src)
        if self.image_root is not None and not path.is_absolute():
            path = self.image_root / path
        where = Location(str(path))
        if not path.is_file():
            self.findings.append(error("docx.image-missing",
                                       f"the figure's image file does not exist: {f.src}", where))
            return [self.paragraph((Text(f"[{f.alt or f.src}]"),), self.style("normal"))]
        try:
            rid, image = self.part.get_or_add_image(str(path))
            w, h = int(image.width), int(image.height)
        except Exception as exc:  # noqa: BLE001  # unsupported format (e.g. SVG), broken file
            self.findings.append(error(
                "docx.image-unreadable",
                f"cannot use the figure's image {f.src}: {type(exc).__name__}: {exc}", where,
                hint="use PNG or JPEG"))
            return [self.paragraph((Text(f"[{f.alt or f.src}]"),), self.style("normal"))]
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
        p = _E("w:p")
        self._ppr(p, self.style("normal"), keep_next=bool(f.caption))
        _sub(_sub(p, "w:r"), "w:drawing").append(inline)
        out = [p]
        if f.caption:
            out.append(self.paragraph((Text(f.caption),), self.style("caption")))
        return out

    # ------------------------------------------------------------------ table of contents

    def toc(self) -> list:
        """A TOC field whose result already lists the headings (linked to bookmarks), so a
        reader that does not update fields (LibreOffice, a PDF made from it) shows them too;
        Word rebuilds it with page numbers on open (w:dirty and settings' updateFields)."""
        out = []
        title = self.fields.get("toc_title", DEFAULT_TOC_TITLE)
        out.append(self.paragraph((Text(str(title)),), self.style("toc_heading", "h1")))

        def fld(parent, kind: str, dirty: bool = False):
            r = _sub(parent, "w:r")
            attrs = {"w:fldCharType": kind}
            if dirty:
                attrs["w:dirty"] = "true"
            _sub(r, "w:fldChar", attrs)

        def instr(parent, text: str):
            r = _sub(parent, "w:r")
            it = _sub(r, "w:instrText")
            it.text = text
            it.set(_XML_SPACE, "preserve")

        entries = self._headings or [(1, "", "")]
        for i, (level, text, bookmark) in enumerate(entries):
            p = _E("w:p")
            self._ppr(p, self.style(f"toc{level}"))
            if i == 0:
                fld(p, "begin", dirty=True)
                instr(p, TOC_INSTRUCTION)
                fld(p, "separate")
            if bookmark:
                # No page number: only Word's update knows it, and a PAGEREF with an empty
                # result would leave LibreOffice drawing dot leaders to nowhere.
                h = _sub(p, "w:hyperlink", {"w:anchor": bookmark, "w:history": "1"})
                h.append(self.run(text, frozenset()))
            if i == len(entries) - 1:
                fld(p, "end")
            out.append(p)
        return out
