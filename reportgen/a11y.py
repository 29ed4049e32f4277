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
        self._levels: dict[str | None, int | None] = {}
        self._numbered: dict[str | None, bool] = {}
        self._toc: dict[str | None, bool] = {}
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
        # Asked once per paragraph, answered once per style.
        try:
            return self._levels[sid]
        except KeyError:
            level = self._levels[sid] = self._heading_level(sid)
            return level

    def _heading_level(self, sid: str | None) -> int | None:
        for st in self.chain(sid):
            if st.outline is not None:
                return st.outline + 1 if 0 <= st.outline <= 8 else None
            m = _HEADING_NAME.match(st.name.strip()) or _HEADING_NAME.match(st.sid)
            if m:
                return int(m.group(1))
        return None

    def numbered(self, sid: str | None) -> bool:
        try:
            return self._numbered[sid]
        except KeyError:
            pass
        numbered = False
        for st in self.chain(sid):
            if st.numbered is not None:
                numbered = st.numbered
                break
        self._numbered[sid] = numbered
        return numbered

    def is_toc(self, sid: str | None) -> bool:
        """A table of contents style ("toc 1", "Innehåll 2"...), by name."""
        try:
            return self._toc[sid]
        except KeyError:
            toc = self._toc[sid] = _TOC_NAME.match(self.name(sid)) is not None
            return toc

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


_BODY, _PPR, _PSTYLE, _OUTLINE = _w("body"), _w("pPr"), _w("pStyle"), _w("outlineLvl")
_NUMPR, _NUMID, _SECTPR, _PAGE_BREAK_BEFORE = _w("numPr"), _w("numId"), _w("sectPr"), \
    _w("pageBreakBefore")
_BR, _TYPE = _w("br"), _w("type")
_WRAPPERS = {_w("sdt"), _w("sdtContent"), _w("customXml")}  # looked into for body-level blocks
_DOCPR, _VML_SHAPE = f"{{{_NS['wp']}}}docPr", f"{{{_NS['v']}}}shape"


@dataclass(slots=True)
class _Para:
    """What the checks need of a body-level paragraph, read once; the element itself is not
    kept, so the document's tree can be freed as it is read."""

    index: int  # 1-based among body-level paragraphs
    text: str
    style: str | None
    outline: tuple[int | None] | None  # (level,) from the paragraph's own w:outlineLvl
    num_id: tuple[str | None] | None  # (w:val,) of its own w:pPr/w:numPr/w:numId
    has_num_pr: bool
    breaks: bool  # carries a section, page or column break
    content: bool  # has a picture, field, symbol...
    objects: bool  # holds a table or something that may be a picture


# What _read_para does on meeting each element in a paragraph.
_ACTIONS = {_T: 1, _TAB: 2, _BR: 3, _PPR: 4, _PSTYLE: 5, _OUTLINE: 6, _NUMPR: 7, _NUMID: 8,
            _SECTPR: 9, _PAGE_BREAK_BEFORE: 10, **dict.fromkeys(_CONTENT, 11),
            **dict.fromkeys(_SKIP_SUBTREES, 12), _TBL: 13, _DOCPR: 13, _VML_SHAPE: 13}


def _read_para(p, index: int) -> _Para:
    """One pass over the paragraph's elements: lxml calls, not Python per node, dominate, so
    each element is visited once. The paragraph properties are taken as the paths
    ``w:pPr/w:pStyle`` etc. find them: the first in document order at exactly that place."""
    style = outline = num_pr = num_id = first_ppr = None
    texts: list[str] = []
    breaks = content = skip = seen_pbb = objects = False
    actions = _ACTIONS
    for el in p.iter():
        action = actions.get(el.tag)
        if action is None:
            continue
        if action == 1:
            texts.append(el.text or "")
        elif action == 2:
            texts.append("\t")
        elif action == 3:
            if el.get(_TYPE) in ("page", "column"):
                breaks = True
        elif action == 11:
            content = True
        elif action == 12:
            skip = True
        elif action == 13:
            objects = True
        else:
            parent = el.getparent()
            if action == 4:
                if first_ppr is None and parent is p:
                    first_ppr = el
            elif action == 8:
                if num_id is None and parent.tag == _NUMPR and parent.getparent().tag == _PPR \
                        and parent.getparent().getparent() is p:
                    num_id = el
            elif action >= 9:  # only the first w:pPr counts for these
                if parent is first_ppr and first_ppr is not None:
                    if action == 9:
                        breaks = True
                    elif not seen_pbb:
                        seen_pbb = True
                        breaks = breaks or _on(el)
            elif parent.tag == _PPR and parent.getparent() is p:
                if action == 5:
                    if style is None:
                        style = el
                elif action == 6:
                    if outline is None:
                        outline = el
                elif num_pr is None:
                    num_pr = el
    if skip:
        # Text boxes, deletions or fallback copies: their text is not the paragraph's.
        text = _text(p)
        content = any(el.tag in _CONTENT for el in _walk(p))
    else:
        text = "".join(texts)
    return _Para(
        index, text,
        style.get(_VAL) if style is not None else None,
        (_int(outline.get(_VAL)),) if outline is not None else None,
        (num_id.get(_VAL),) if num_id is not None else None,
        num_pr is not None, breaks, content, objects)


@dataclass(slots=True)
class _TableFacts:
    number: int
    caption: str | None  # w:tblCaption
    before: _Para | None  # the body-level paragraph right before it, if any
    first_row: str  # the first row's cell texts, when there is no w:tblCaption
    marked_header: bool
    merged: list[tuple[int, int, str, list[str]]]  # header row, cell, text, how merged


@dataclass(slots=True)
class _PictureFacts:
    number: int
    label: str
    para: _Para | None  # the body-level paragraph holding it


def _pictures(candidates, number: int = 0) -> tuple[list[tuple[object, int, str]], int]:
    """Pictures without alternative text among ``candidates`` (the wp:docPr and v:shape
    elements of a part, in document order) as (element, number, label), and the last number
    given: "picture N" counts every picture, with alternative text or not, from ``number`` + 1."""
    missing = []
    for el in candidates:
        if _skipped(el):
            continue
        if el.tag == _DOCPR:
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
        if not (alt or decorative):
            missing.append((el, number, label))
    return missing, number


class _BodyReader:
    """Reads the main document's body once, block by block, into the facts the checks need.

    The body is fed in its top-level children (``unit``), in document order, each once it is
    complete; counts that run through the document (paragraphs, tables, pictures) carry over
    from one unit to the next, so the result is the same as for the whole tree at once.
    """

    def __init__(self) -> None:
        self.paras: list[_Para] = []
        self.blocks: list[_Para | None] = []  # body-level paragraphs and tables (None), in order
        self.tables: list[_TableFacts] = []
        self.pictures: list[_PictureFacts] = []
        self._tables = 0
        self._pictures = 0

    def unit(self, unit) -> None:
        para_of: dict = {}
        table_index: dict = {}
        if unit.tag == _P:  # the usual unit: read in one pass, and done if it holds no object
            para = self._para(unit)
            if not para.objects:
                return
            para_of[unit] = para
        elif isinstance(unit.tag, str):
            self._blocks(unit, para_of, table_index)
        else:
            return
        tables, candidates = [], []
        for el in unit.iter(_TBL, _DOCPR, _VML_SHAPE):  # one walk for both
            (tables if el.tag == _TBL else candidates).append(el)
        for tbl in tables:
            if not _skipped(tbl):
                self._table(tbl, table_index.get(tbl))
        missing, self._pictures = _pictures(candidates, self._pictures)
        for el, number, label in missing:
            p = el.getparent()
            while p is not None and p not in para_of:
                p = p.getparent()
            self.pictures.append(_PictureFacts(number, label,
                                               para_of[p] if p is not None else None))

    def _blocks(self, el, para_of: dict, table_index: dict) -> None:
        """Paragraphs and tables at body level, in order (descending into content controls
        and custom XML wrappers)."""
        tag = el.tag
        if tag == _P:
            para_of[el] = self._para(el)
        elif tag == _TBL:
            table_index[el] = len(self.blocks)
            self.blocks.append(None)
        elif tag in _WRAPPERS:
            for child in el:
                self._blocks(child, para_of, table_index)

    def _para(self, p) -> _Para:
        para = _read_para(p, len(self.paras) + 1)
        self.paras.append(para)
        self.blocks.append(para)
        return para

    def _table(self, tbl, index: int | None) -> None:
        self._tables += 1
        rows = tbl.iterchildren(_TR)  # only the first ones are looked at: no list of them all
        first = next(rows, None)
        if first is None:
            return
        caption = tbl.find("w:tblPr/w:tblCaption", _NS)
        text = caption.get(_VAL) if caption is not None else ""
        before = self.blocks[index - 1] if index else None
        first_row = ""
        if not text:
            first_row = " | ".join(_text(tc).strip() for tc in first.findall("w:tc", _NS))
        header_rows = []
        tr = first
        while tr is not None and _on(tr.find("w:trPr/w:tblHeader", _NS)):
            header_rows.append(tr)
            tr = next(rows, None)
        marked = bool(header_rows)
        merged_cells = []
        for r_i, tr in enumerate(header_rows or [first], start=1):
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
                    merged_cells.append((r_i, c_i, _text(tc), merged))
        self.tables.append(_TableFacts(self._tables, text, before, first_row, marked,
                                       merged_cells))


# Bytes of the main document parsed between two looks at the body. Smaller pieces hold less
# tree but cost more: each round frees many small nodes and then makes one large allocation,
# and glibc's malloc merges all the freed chunks on it (malloc_consolidate in a profile).
_FEED = 1 << 20


def _read_body(data: bytes, name: str) -> _BodyReader:
    """The facts of the main document's body, from its bytes.

    The part is fed to the parser a piece at a time. After each piece, every child of the body
    but the last is complete: each is read and dropped, so the whole tree (hundreds of MB for a
    report of ten thousand projects) never exists. The parser reports nothing but the start of
    the body, so lxml does no per-element work beyond building the tree. Raises _Unreadable as
    parsing the whole part would.
    """
    reader = _BodyReader()
    parser = etree.XMLPullParser(events=("start",), tag=_BODY, resolve_entities=False,
                                 no_network=True, huge_tree=True, remove_blank_text=False)
    body = None
    try:
        for start in range(0, len(data), _FEED):
            parser.feed(data[start:start + _FEED])
            if body is None:
                for _, el in parser.read_events():
                    parent = el.getparent()
                    if parent is not None and parent.getparent() is None:
                        body = el  # the root's first w:body, as root.find("w:body") gives
                        break
                if body is None:
                    continue
            try:
                last = body[-1]  # may still be open
            except IndexError:
                continue
            # No reference to a child may outlive its deletion, nor to the open child the next
            # feed: lxml then takes a slow path (seconds for a large body).
            while body[0] is not last:
                reader.unit(body[0])
                del body[0]
            del last
        root = parser.close()
    except etree.XMLSyntaxError:
        # The message of the whole-part parser, which words some errors differently; should
        # that parser read the part after all, read its tree instead.
        root = _parse(data, name)
        reader, body = _BodyReader(), None
    if root.tag == f"{{{_STRICT_W}}}document":
        raise _Unreadable("Strict Open XML documents are not supported; save the file as "
                          "a Word Document (.docx)")
    if body is None:
        body = root.find("w:body", _NS)
        if body is None:
            raise _Unreadable("not a .docx: the main document has no w:body")
    for child in body:
        reader.unit(child)
    return reader


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
        try:
            data = pkg.zf.read(pkg.main)
        except KeyError:
            raise _Unreadable("not a .docx: the main document cannot be read") from None
        body = _read_body(data, pkg.main)
        del data
        self.styles = _Styles(pkg.xml(next(iter(pkg.rels.get("styles", [])), None)))
        settings = pkg.xml(next(iter(pkg.rels.get("settings", [])), None))
        core = pkg.xml(next(iter(_rels_of(pkg.zf, "").get("core-properties", [])), None))

        self.check_language(settings)
        self.check_title(core)
        self.check_headings(body.paras)
        self.check_tables(body.tables)
        self.check_body_pictures(body.pictures, body.paras)
        for kind in ("header", "footer"):
            for part in sorted(pkg.rels.get(kind, [])):
                root = pkg.xml(part)
                if root is not None:
                    self.check_pictures(root, part)
        self.check_lists(body.paras)
        self.check_empty(body.blocks, body.paras)
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
        if p.outline is not None:
            lvl = p.outline[0]
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

    def _table_label(self, t: _TableFacts) -> str:
        text = t.caption
        before = t.before
        if not text and before is not None and (
                _CAPTION_NAME.match(self.styles.name(before.style))
                or re.match(r"^(Tabell|Table|Tab\.)\s", before.text.strip())):
            text = before.text
        if not text:
            text = t.first_row
        return f"table {t.number}{_quote(text)}"

    def check_tables(self, tables: list[_TableFacts]) -> None:
        for t in tables:
            label = self._table_label(t)
            if not t.marked_header:
                self.fail("a11y-table-header",
                          f"{label}: no header row marked to repeat (w:tblHeader on the first row)",
                          "Word: select the first row → Table Properties → Row → Repeat as "
                          "header row at the top of each page")
            for r_i, c_i, text, merged in t.merged:
                self.fail("a11y-merged-header",
                          f"{label}: header row {r_i}, cell {c_i}{_quote(text)} "
                          f"{' and '.join(merged)}",
                          "split the merged header cells: a screen reader pairs each "
                          "data cell with one header cell")

    # ------------------------------------------------------------------ pictures

    _ALT_HINT = ("Word: right-click the picture → View Alt Text; describe what it shows (for a "
                 "chart: its figures), or mark it decorative")

    def check_body_pictures(self, pictures: list[_PictureFacts], paras: list[_Para]) -> None:
        for pic in pictures:
            place = f"picture {pic.number}{_quote(pic.label)}"
            para = pic.para
            if para is not None:
                place += f" in paragraph {para.index}"
                following = paras[para.index].text if para.index < len(paras) else ""
                if para.text.strip():
                    place += _quote(para.text)
                elif following.strip():
                    place += f", before {_q(following)}"
            self.fail("a11y-alt-text", f"{place}: no alternative text", self._ALT_HINT)

    def check_pictures(self, root, part: str) -> None:
        for _, number, label in _pictures(root.iter(_DOCPR, _VML_SHAPE))[0]:
            self.fail("a11y-alt-text", f"picture {number}{_quote(label)} in {part}: no "
                      "alternative text", self._ALT_HINT)

    # ------------------------------------------------------------------ lists

    def _numbered(self, p: _Para) -> bool:
        if p.num_id is not None:
            return p.num_id[0] not in (None, "0")
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
            fake = (p.index not in self.levels and not self.styles.is_toc(p.style)
                    and _FAKE_LIST.match(p.text.lstrip()) is not None and not self._numbered(p))
            if fake:
                if previous is not None and p.index != previous + 1:
                    flush()
                run.append(p)
                previous = p.index
        flush()

    # ------------------------------------------------------------------ empty paragraphs

    @staticmethod
    def _empty(p: _Para) -> bool:
        return not p.text.strip() and not p.content

    def _carrier(self, p: _Para) -> bool:
        return p.breaks or (p.has_num_pr and self._numbered(p))

    def check_empty(self, blocks: list[_Para | None], paras: list[_Para]) -> None:
        allowed: set[int] = set()
        if paras and blocks and blocks[-1] is paras[-1]:
            allowed.add(paras[-1].index)  # the body's last paragraph, which Word requires
        for i, b in enumerate(blocks):
            if b is not None and 0 < i and blocks[i - 1] is None and (
                    i + 1 == len(blocks) or blocks[i + 1] is None):
                allowed.add(b.index)  # keeps two tables apart
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

        for p in blocks:
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
