"""Accessibility check of a Word document (.docx): the EN 301 549 points a document can fail.

``check_docx`` reads any .docx (not only reportgen's) with zipfile and lxml and returns one
finding per failure, each with a stable code:

=======================  ===================================================================
code                     what fails
=======================  ===================================================================
``a11y-unreadable``      not a file, not a zip, or no Word main document in it
``a11y-lang``            no document language: neither ``w:lang`` in the style defaults
                         (``w:docDefaults`` or the default paragraph style) nor
                         ``w:themeFontLang`` in the settings; or, when a language is
                         expected, the style defaults lack it or either names another
``a11y-title``           no title in the core properties (``docProps/core.xml`` dc:title)
``a11y-heading-order``   the first heading is not level 1, or a heading is more than one
                         level deeper than the heading before it
``a11y-table-header``    a table whose first row is not marked as a header row that repeats
                         (``w:trPr/w:tblHeader``)
``a11y-merged-header``   a merged cell (``w:gridSpan`` > 1, ``w:vMerge``, ``w:hMerge``) in a
                         table's header rows
``a11y-alt-text``        a picture, chart or diagram without alternative text
                         (``wp:docPr/@descr`` or ``@title``; VML ``@alt``), unless marked
                         decorative
``a11y-fake-list``       paragraphs typed as a list ("• ", "- ", "1. ", "a) " ...) without list
                         numbering (``w:numPr``, directly or from the style)
``a11y-empty-paragraph`` empty paragraphs used for spacing
=======================  ===================================================================

Decisions, so that the results are predictable:

* Headings are found by the paragraph's own ``w:outlineLvl``, else its style's (following
  ``w:basedOn``), else the style's name or id: "heading N" and its localized forms ("Rubrik N",
  "Überschrift N", "Titre N", "Otsikko N", "Overskrift N", "Kop N", ...). ``outlineLvl`` 9 means
  body text. Title and subtitle styles are not headings.
* **The first heading must be level 1.** A tagged PDF made from the document starts its
  structure at that heading, and PDF/UA (Matterhorn checkpoint 14-002) fails a document whose
  first numbered heading is not H1. A document title belongs in the Title style and the core
  properties, not in a level-1 heading's place.
* "paragraph N" counts the paragraphs of the main text at body level (not those inside tables
  or text boxes), from 1, as python-docx's ``Document.paragraphs`` does; "table N" counts every
  table of the main text in document order, nested ones included; "picture N" every drawing.
* An empty paragraph is one with no text, picture, field or symbol. It is allowed when it carries
  a section break (``w:sectPr``) or a page or column break (also ``w:pageBreakBefore``), when it
  is a list item (``w:numPr``), when it is the last paragraph of the body (Word requires one),
  and when it separates a table from a following table or from the end of the body (Word would
  otherwise join the tables). Any other empty paragraph is reported; consecutive ones together.
* Header and footer parts are checked for pictures without alternative text only.
"""

from __future__ import annotations

import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from lxml import etree

from .findings import Finding, Location, error

__all__ = ["CODES", "check_docx"]

CODES = ("a11y-unreadable", "a11y-lang", "a11y-title", "a11y-heading-order", "a11y-table-header",
         "a11y-merged-header", "a11y-alt-text", "a11y-fake-list", "a11y-empty-paragraph")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {
    "w": _W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
_STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_DECORATIVE = "http://schemas.microsoft.com/office/drawing/2017/decorative"
# Graphic content that needs alternative text; text boxes and plain shapes do not.
_NEEDS_ALT_URIS = ("/picture", "/chart", "/diagram", "/chartex", "/lockedCanvas")
_MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)


def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _T, _TAB, _TBL, _TR, _TC = _w("p"), _w("t"), _w("tab"), _w("tbl"), _w("tr"), _w("tc")
_VAL = _w("val")
_SKIP_SUBTREES = {f"{{{_NS['mc']}}}Fallback", _w("txbxContent"), _w("del"), _w("moveFrom")}
# Things that make a paragraph non-empty besides text.
_CONTENT = {_w("drawing"), _w("pict"), _w("object"), _w("fldSimple"), _w("fldChar"), _w("sym"),
            _w("noBreakHyphen"),
            f"{{{_NS['mc']}}}AlternateContent",
            "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMath",
            "{http://schemas.openxmlformats.org/officeDocument/2006/math}oMathPara"}

# "heading N" in the languages Word is localized to (names as LibreOffice and older Word
# versions save them; current Word saves the built-in English name whatever its language).
_HEADING_NAME = re.compile(
    r"^(?:heading|rubrik|überschrift|uberschrift|titre|otsikko|overskrift|kop|título|titulo|"
    r"titolo|encabezado|nagłówek|nadpis|címsor|заголовок|başlık|fyrirsögn|pealkiri|antraštė|"
    r"virsraksts|naslov)\s*([1-9])$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^(?:toc|innehåll|verzeichnis|inhaltsverzeichnis|table des matières|"
                       r"sisällys|indholdsfortegnelse)\s*\d", re.IGNORECASE)
_CAPTION_NAME = re.compile(r"^(?:caption|beskrivning|beschriftung|légende|kuvaotsikko|"
                           r"billedtekst|bijschrift)$", re.IGNORECASE)
# A list typed by hand: a bullet sign, or a number or letter with a full stop or parenthesis,
# followed by white space and text.
_FAKE_LIST = re.compile(
    r"^(?:[•◦▪▫‣⁃●○■□◆◇►▶➢➤✓✔·*\-–—]|o(?=\t)|\d{1,3}[.)]|[a-zA-Z]\))[\t \u00a0]+\S")

_FALSE = {"0", "false", "off"}


class _Unreadable(Exception):
    pass


def _on(el) -> bool:
    """An OOXML on/off element: present and not w:val="false"/"0"/"off"."""
    return el is not None and (el.get(_VAL) or "true").lower() not in _FALSE


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _quote(text: str) -> str:
    """' ("text")' after a place, or nothing when there is no text."""
    return f' ("{_short(text)}")' if text.strip() else ""


def _q(text: str) -> str:
    return f'"{_short(text)}"'


# ============================================================================ the package


@dataclass
class _Package:
    zf: zipfile.ZipFile
    main: str  # part name of the main document, e.g. "word/document.xml"
    rels: dict[str, list[str]] = field(default_factory=dict)  # rel type suffix → part names

    def xml(self, name: str | None):
        if not name:
            return None
        try:
            data = self.zf.read(name)
        except KeyError:
            return None
        return _parse(data, name)


def _parse(data: bytes, name: str):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True,
                             remove_blank_text=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise _Unreadable(f"{name} is not well-formed XML: {exc}") from None


def _rels_of(zf: zipfile.ZipFile, part: str) -> dict[str, list[str]]:
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    try:
        root = _parse(zf.read(rels_name), rels_name)
    except KeyError:
        return {}
    out: dict[str, list[str]] = {}
    for rel in root.findall("rel:Relationship", _NS):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1]
        out.setdefault(kind, []).append(name)
    return out


def _open(data: bytes) -> _Package:
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile:
        raise _Unreadable("not a .docx: not a zip file") from None
    names = set(zf.namelist())
    main = None
    if "[Content_Types].xml" in names:
        ct = _parse(zf.read("[Content_Types].xml"), "[Content_Types].xml")
        for o in ct.findall("ct:Override", _NS):
            if o.get("ContentType") in _MAIN_TYPES:
                main = (o.get("PartName") or "").lstrip("/")
                break
    if main is None:
        main = next(iter(_rels_of(zf, "").get("officeDocument", [])), None)
    if not main or main not in names:
        raise _Unreadable("not a .docx: no Word main document (word/document.xml) in the package")
    return _Package(zf, main, _rels_of(zf, main))


# ============================================================================ styles


@dataclass
class _Style:
    sid: str
    name: str
    based_on: str | None
    outline: int | None  # w:outlineLvl of the style itself
    numbered: bool | None  # w:numPr of the style itself: True, False (numId 0), None (absent)
    lang: str | None


class _Styles:
    def __init__(self, root) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default_para: str | None = None
        self.defaults_lang: str | None = None
        if root is None:
            return
        lang = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", _NS)
        self.defaults_lang = (lang.get(_VAL) or None) if lang is not None else None
        for st in root.findall("w:style", _NS):
            sid = st.get(_w("styleId")) or ""
            name_el = st.find("w:name", _NS)
            based = st.find("w:basedOn", _NS)
            outline = st.find("w:pPr/w:outlineLvl", _NS)
            num_id = st.find("w:pPr/w:numPr/w:numId", _NS)
            lang = st.find("w:rPr/w:lang", _NS)
            style = _Style(
                sid,
                (name_el.get(_VAL) if name_el is not None else None) or sid,
                based.get(_VAL) if based is not None else None,
                _int(outline.get(_VAL)) if outline is not None else None,
                None if num_id is None else num_id.get(_VAL) not in (None, "0"),
                (lang.get(_VAL) or None) if lang is not None else None,
            )
            self.by_id[sid] = style
            if st.get(_w("type")) == "paragraph" and (st.get(_w("default")) or "").lower() in (
                    "1", "true", "on") and self.default_para is None:
                self.default_para = sid

    def chain(self, sid: str | None):
        seen = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            st = self.by_id[sid]
            yield st
            sid = st.based_on

    def heading_level(self, sid: str | None) -> int | None:
        """1-9 for a heading style, None for body text."""
        for st in self.chain(sid):
            if st.outline is not None:
                return st.outline + 1 if 0 <= st.outline <= 8 else None
            m = _HEADING_NAME.match(st.name.strip()) or _HEADING_NAME.match(st.sid)
            if m:
                return int(m.group(1))
        return None

    def numbered(self, sid: str | None) -> bool:
        for st in self.chain(sid):
            if st.numbered is not None:
                return st.numbered
        return False

    def name(self, sid: str | None) -> str:
        st = self.by_id.get(sid or "")
        return st.name if st else (sid or "")

    def default_lang(self) -> str | None:
        if self.defaults_lang:
            return self.defaults_lang
        for st in self.chain(self.default_para):
            if st.lang:
                return st.lang
        return None


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


# ============================================================================ paragraphs


def _walk(el):
    """Descendants in document order, skipping subtrees that belong elsewhere (fallback copies
    of alternate content, text box contents, deleted text)."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        yield child
        if child.tag not in _SKIP_SUBTREES:
            yield from _walk(child)


def _text(p) -> str:
    parts = []
    for el in _walk(p):
        if el.tag == _T:
            parts.append(el.text or "")
        elif el.tag == _TAB:
            parts.append("\t")
    return "".join(parts)


def _body_blocks(body):
    """Paragraphs and tables at body level, in order (descending into content controls and
    custom XML wrappers)."""
    wrappers = {_w("sdt"), _w("sdtContent"), _w("customXml")}
    for child in body:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag in wrappers:
            yield from _body_blocks(child)


@dataclass
class _Para:
    index: int  # 1-based among body-level paragraphs
    el: object
    text: str
    style: str | None


# ============================================================================ the check


def check_docx(source: str | os.PathLike | bytes, *, name: str | None = None,
               language: str | None = None) -> list[Finding]:
    """Check a .docx, given as a path or as its bytes, for the accessibility rules above.

    ``name`` is the file name the findings show (default: the path; "document.docx" for bytes).
    ``language`` (e.g. "sv-SE"), when given, is the language the document must declare.
    Returns the findings, errors all; an empty list means the document passed.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        shown = name or "document.docx"
    else:
        shown = name or os.fspath(source)
        try:
            data = Path(source).read_bytes()
        except FileNotFoundError:
            return [error("a11y-unreadable", "no such file", Location(shown))]
        except IsADirectoryError:
            return [error("a11y-unreadable", "a folder, not a .docx file", Location(shown))]
        except OSError as exc:
            return [error("a11y-unreadable", f"cannot read the file: {exc.strerror or exc}",
                          Location(shown))]
    where = Location(shown)
    try:
        return _Checker(_open(data), where, language).run()
    except _Unreadable as exc:
        return [error("a11y-unreadable", str(exc), where)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        return [error("a11y-unreadable", f"not a readable .docx: {exc}", where)]


class _Checker:
    def __init__(self, pkg: _Package, where: Location, language: str | None) -> None:
        self.pkg = pkg
        self.where = where
        self.language = language
        self.findings: list[Finding] = []

    def fail(self, code: str, message: str, hint: str | None = None) -> None:
        self.findings.append(error(code, message, self.where, hint=hint))

    def run(self) -> list[Finding]:
        pkg = self.pkg
        doc = pkg.xml(pkg.main)
        if doc is None or doc.tag == f"{{{_STRICT_W}}}document":
            raise _Unreadable("Strict Open XML documents are not supported; save the file as "
                              "a Word Document (.docx)" if doc is not None else
                              "not a .docx: the main document cannot be read")
        body = doc.find("w:body", _NS)
        if body is None:
            raise _Unreadable("not a .docx: the main document has no w:body")
        self.styles = _Styles(pkg.xml(next(iter(pkg.rels.get("styles", [])), None)))
        settings = pkg.xml(next(iter(pkg.rels.get("settings", [])), None))
        core = pkg.xml(next(iter(_rels_of(pkg.zf, "").get("core-properties", [])), None))

        self.check_language(settings)
        self.check_title(core)
        blocks = list(_body_blocks(body))
        self.block_index = {b: i for i, b in enumerate(blocks)}
        paras: list[_Para] = []
        self.para_of: dict = {}
        for b in blocks:
            if b.tag == _P:
                ps = b.find("w:pPr/w:pStyle", _NS)
                para = _Para(len(paras) + 1, b, _text(b), ps.get(_VAL) if ps is not None else None)
                paras.append(para)
                self.para_of[b] = para
        self.check_headings(paras)
        self.check_tables(body, blocks)
        self.check_pictures(body, pkg.main, paras)
        for kind in ("header", "footer"):
            for part in sorted(pkg.rels.get(kind, [])):
                root = pkg.xml(part)
                if root is not None:
                    self.check_pictures(root, part, [])
        self.check_lists(paras)
        self.check_empty(blocks, paras)
        return self.findings

    # ------------------------------------------------------------------ language and title

    def check_language(self, settings) -> None:
        theme = settings.find("w:themeFontLang", _NS) if settings is not None else None
        theme_lang = (theme.get(_VAL) or None) if theme is not None else None
        style_lang = self.styles.default_lang()
        hint = ("set the language of the Normal style (Word: Review → Language → Set Proofing "
                "Language, then Normal style → Modify → Format → Language)")
        if not style_lang and not theme_lang:
            self.fail("a11y-lang", "no document language: the style defaults have no w:lang and "
                      "the settings no w:themeFontLang", hint)
            return
        if self.language:
            want = self.language.lower()
            for where, value in (("the style defaults (w:lang)", style_lang),
                                 ("the settings (w:themeFontLang)", theme_lang)):
                if value is None:
                    if where.startswith("the style defaults"):  # settings alone may lack it
                        self.fail("a11y-lang", f"no document language in {where}; expected "
                                  f"{self.language}", hint)
                elif value.lower() != want:
                    self.fail("a11y-lang", f"the document language in {where} is {value}; "
                              f"expected {self.language}", hint)

    def check_title(self, core) -> None:
        title = core.find("dc:title", _NS) if core is not None else None
        if title is None or not (title.text or "").strip():
            self.fail("a11y-title", "no title in the document properties (docProps/core.xml "
                      "dc:title)", "Word: File → Info → Properties → Title")

    # ------------------------------------------------------------------ headings

    def heading_level(self, p: _Para) -> int | None:
        outline = p.el.find("w:pPr/w:outlineLvl", _NS)
        if outline is not None:
            lvl = _int(outline.get(_VAL))
            return lvl + 1 if lvl is not None and 0 <= lvl <= 8 else None
        return self.styles.heading_level(p.style)

    def check_headings(self, paras: list[_Para]) -> None:
        self.levels: dict[int, int] = {}
        previous: tuple[int, _Para] | None = None
        for p in paras:
            level = self.heading_level(p)
            if level is None or not p.text.strip():
                continue  # an empty heading is reported as an empty paragraph
            self.levels[p.index] = level
            if previous is None and level != 1:
                self.fail("a11y-heading-order",
                          f"paragraph {p.index}{_quote(p.text)}: the first heading is level "
                          f"{level}; the headings should start at level 1",
                          "use Heading 1 for the document's first heading")
            elif previous is not None and level > previous[0] + 1:
                self.fail("a11y-heading-order",
                          f"paragraph {p.index}{_quote(p.text)}: heading level {level} follows "
                          f"level {previous[0]} (paragraph {previous[1].index}"
                          f"{_quote(previous[1].text)}); level {previous[0] + 1} is skipped",
                          f"make it a level {previous[0] + 1} heading, or add the missing level")
            previous = (level, p)

    # ------------------------------------------------------------------ tables

    def _table_label(self, tbl, number: int, blocks: list) -> str:
        caption = tbl.find("w:tblPr/w:tblCaption", _NS)
        text = caption.get(_VAL) if caption is not None else ""
        i = self.block_index.get(tbl)
        if not text and i is not None:
            before = blocks[i - 1] if i else None
            if before is not None and before.tag == _P:
                para = self.para_of[before]
                if _CAPTION_NAME.match(self.styles.name(para.style)) or re.match(
                        r"^(Tabell|Table|Tab\.)\s", para.text.strip()):
                    text = para.text
        if not text:
            first = tbl.find("w:tr", _NS)
            text = " | ".join(_text(tc).strip() for tc in first.findall("w:tc", _NS)) \
                if first is not None else ""
        return f"table {number}{_quote(text)}"

    def check_tables(self, body, blocks: list) -> None:
        tables = [t for t in body.iter(_TBL) if not _skipped(t)]
        for number, tbl in enumerate(tables, start=1):
            rows = [tr for tr in tbl if tr.tag == _TR]
            if not rows:
                continue
            label = self._table_label(tbl, number, blocks)
            header_rows = []
            for tr in rows:
                if _on(tr.find("w:trPr/w:tblHeader", _NS)):
                    header_rows.append(tr)
                else:
                    break
            if not header_rows:
                self.fail("a11y-table-header",
                          f"{label}: no header row marked to repeat (w:tblHeader on the first row)",
                          "Word: select the first row → Table Properties → Row → Repeat as "
                          "header row at the top of each page")
                header_rows = rows[:1]
            for r_i, tr in enumerate(header_rows, start=1):
                for c_i, tc in enumerate((c for c in tr if c.tag == _TC), start=1):
                    span = _int(_attr(tc, "w:tcPr/w:gridSpan")) or 1
                    merged = []
                    if span > 1:
                        merged.append(f"spans {span} columns")
                    if tc.find("w:tcPr/w:vMerge", _NS) is not None:
                        merged.append("is merged vertically")
                    if tc.find("w:tcPr/w:hMerge", _NS) is not None:
                        merged.append("is merged horizontally")
                    if merged:
                        self.fail("a11y-merged-header",
                                  f"{label}: header row {r_i}, cell {c_i}{_quote(_text(tc))} "
                                  f"{' and '.join(merged)}",
                                  "split the merged header cells: a screen reader pairs each "
                                  "data cell with one header cell")

    # ------------------------------------------------------------------ pictures

    def check_pictures(self, root, part: str, paras: list[_Para]) -> None:
        in_body = part == self.pkg.main
        number = 0
        para_by_el = {p.el: p for p in paras}
        for el in root.iter(f"{{{_NS['wp']}}}docPr", f"{{{_NS['v']}}}shape"):
            if _skipped(el):
                continue
            if el.tag.endswith("docPr"):
                container = el.getparent()
                uris = [g.get("uri") or "" for g in container.iter(f"{{{_NS['a']}}}graphicData")]
                has_image = any(u.endswith(_NEEDS_ALT_URIS) for u in uris) or \
                    container.find(".//a:blip", _NS) is not None
                if not has_image:
                    continue
                number += 1
                alt = (el.get("descr") or "").strip() or (el.get("title") or "").strip()
                decorative = any((d.get("val") or "").lower() in ("1", "true")
                                 for d in el.iter(f"{{{_DECORATIVE}}}decorative"))
                # The picture's own name (often its file name) says more than "Picture 3".
                cnvpr = container.find(".//pic:cNvPr", _NS)
                label = (cnvpr.get("name") if cnvpr is not None else None) or el.get("name") or ""
            else:
                imagedata = el.find("v:imagedata", _NS)
                if imagedata is None:
                    continue
                number += 1
                alt = (el.get("alt") or "").strip() or (
                    imagedata.get(f"{{{_NS['o']}}}title") or "").strip()
                decorative = False
                label = el.get("id") or ""
            if alt or decorative:
                continue
            place = f"picture {number}{_quote(label)}"
            if in_body:
                p = el.getparent()
                while p is not None and p not in para_by_el:
                    p = p.getparent()
                if p is not None:
                    para = para_by_el[p]
                    place += f" in paragraph {para.index}"
                    following = paras[para.index].text if para.index < len(paras) else ""
                    if para.text.strip():
                        place += _quote(para.text)
                    elif following.strip():
                        place += f", before {_q(following)}"
            else:
                place += f" in {part}"
            self.fail("a11y-alt-text", f"{place}: no alternative text",
                      "Word: right-click the picture → View Alt Text; describe what it shows "
                      "(for a chart: its figures), or mark it decorative")

    # ------------------------------------------------------------------ lists

    def _numbered(self, p: _Para) -> bool:
        num_id = p.el.find("w:pPr/w:numPr/w:numId", _NS)
        if num_id is not None:
            return num_id.get(_VAL) not in (None, "0")
        return self.styles.numbered(p.style)

    def check_lists(self, paras: list[_Para]) -> None:
        run: list[_Para] = []

        def flush() -> None:
            if not run:
                return
            first = run[0]
            marker = first.text.lstrip().split(None, 1)[0]
            where = (f"paragraph {first.index}" if len(run) == 1
                     else f"paragraphs {first.index}–{run[-1].index}")
            self.fail("a11y-fake-list",
                      f"{where}{_quote(first.text)}: typed as a list (\"{marker}\") without list "
                      "numbering", "use a list style (List Bullet, List Number) or the list "
                      "buttons, so the list is a list for a screen reader")
            run.clear()

        previous = None
        for p in paras:
            fake = (p.index not in self.levels and not _TOC_NAME.match(self.styles.name(p.style))
                    and _FAKE_LIST.match(p.text.lstrip()) is not None and not self._numbered(p))
            if fake:
                if previous is not None and p.index != previous + 1:
                    flush()
                run.append(p)
                previous = p.index
        flush()

    # ------------------------------------------------------------------ empty paragraphs

    def _empty(self, p: _Para) -> bool:
        if p.text.strip():
            return False
        return not any(el.tag in _CONTENT for el in _walk(p.el))

    def _carrier(self, p: _Para) -> bool:
        ppr = p.el.find("w:pPr", _NS)
        if ppr is not None and (ppr.find("w:sectPr", _NS) is not None
                                or _on(ppr.find("w:pageBreakBefore", _NS))):
            return True
        if any(br.get(_w("type")) in ("page", "column") for br in p.el.iter(_w("br"))):
            return True
        return self._numbered(p) and p.el.find("w:pPr/w:numPr", _NS) is not None

    def check_empty(self, blocks: list, paras: list[_Para]) -> None:
        allowed: set[int] = set()
        if paras and blocks and blocks[-1] is paras[-1].el:
            allowed.add(paras[-1].index)  # the body's last paragraph, which Word requires
        for i, b in enumerate(blocks):
            if b.tag == _P and 0 < i and blocks[i - 1].tag == _TBL and (
                    i + 1 == len(blocks) or blocks[i + 1].tag == _TBL):
                allowed.add(self.para_of[b].index)  # keeps two tables apart
        run: list[_Para] = []

        def flush() -> None:
            if not run:
                return
            first, last = run[0], run[-1]
            before = next((q.text for q in reversed(paras[: first.index - 1]) if q.text.strip()), "")
            after = next((q.text for q in paras[last.index:] if q.text.strip()), "")
            context = f" after {_q(before)}" if before else (
                f" before {_q(after)}" if after else "")
            if len(run) == 1:
                msg = f"paragraph {first.index}{context}: an empty paragraph used for spacing"
            else:
                msg = (f"paragraphs {first.index}–{last.index}{context}: {len(run)} empty "
                       "paragraphs in a row used for spacing")
            self.fail("a11y-empty-paragraph", msg,
                      "delete empty paragraphs and give the paragraph styles space before and "
                      "after instead; use a page break or section break to start a new page")
            run.clear()

        for b in blocks:
            p = self.para_of.get(b)
            if p is not None and self._empty(p) and not self._carrier(p) and p.index not in allowed:
                run.append(p)
            else:
                flush()
        flush()


def _skipped(el) -> bool:
    """Inside a subtree that _walk skips (a fallback copy, a deletion)."""
    parent = el.getparent()
    while parent is not None:
        if parent.tag in (f"{{{_NS['mc']}}}Fallback", _w("del"), _w("moveFrom")):
            return True
        parent = parent.getparent()
    return False


def _attr(el, path: str, attr: str = "w:val") -> str | None:
    found = el.find(path, _NS)
    if found is None:
        return None
    prefix, local = attr.split(":")
    return found.get(f"{{{_NS[prefix]}}}{local}")
