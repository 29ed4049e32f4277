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
``a11y-chart-caption``   a chart (``a:graphicData`` of a DrawingML chart) whose next paragraph is
                         not a numbered caption: a paragraph in the caption style whose text
                         starts with a word and a number ("Figur 3. ...")
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

import bisect
import functools
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from lxml import etree

from reportgen.findings import Finding, Location, error

__all__ = ["CODES", "check_docx"]

CODES = ("a11y-unreadable", "a11y-lang", "a11y-title", "a11y-heading-order", "a11y-table-header",
         "a11y-merged-header", "a11y-alt-text", "a11y-chart-caption", "a11y-fake-list",
         "a11y-empty-paragraph")

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

    Read from a skeleton (see "the fast lane" below), the body holds markers for runs of plain
    paragraphs. Those paragraphs are counted, and stand in ``paras`` and ``blocks`` as their
    index (an int) until read: ``resolve`` reads those a check may need once the styles are
    known, ``para`` any other when a message quotes it.
    """

    def __init__(self, data: bytes | None = None, runs: list[tuple[int, int]] | None = None,
                 cuts: int = 0, target: str | None = None) -> None:
        self.paras: list[_Para | int] = []
        # Body-level paragraphs and tables (None), in order.
        self.blocks: list[_Para | int | None] = []
        self.tables: list[_TableFacts] = []
        self.pictures: list[_PictureFacts] = []
        self.charts: list[_PictureFacts] = []  # every chart, with or without alternative text
        self._tables = 0
        self._pictures = 0
        self._data = data
        self._runs = runs or []  # (start, end) in data of each run of plain paragraphs
        self._run_at: list[tuple[int, int, int]] = []  # (first index, first block, count)
        self._firsts: list[int] = []
        self._where: dict[int, int] = {}  # where in data the paragraphs of runs read so far start
        self._target = target
        self._cuts, self._cuts_seen = cuts, 0
        self._misplaced = False

    def unit(self, unit) -> None:
        para_of: dict = {}
        table_index: dict = {}
        tag = unit.tag
        if tag == _P:  # the usual unit: read in one pass, and done if it holds no object
            para = self._para(unit)
            if not para.objects:
                return
            para_of[unit] = para
        elif isinstance(tag, str):
            if tag == _TBL and self._cuts:
                self._cut_marker(unit)
            self._blocks(unit, para_of, table_index)
        else:
            if tag is etree.PI and self._target is not None and unit.target == self._target:
                self._run_marker(unit)
            return
        tables, candidates = [], []
        for el in unit.iter(_TBL, _DOCPR, _VML_SHAPE):  # one walk for both
            (tables if el.tag == _TBL else candidates).append(el)
        for tbl in tables:
            if not _skipped(tbl):
                self._table(tbl, table_index.get(tbl))
        first = self._pictures
        missing, self._pictures = _pictures(candidates, self._pictures)
        number = first
        for el in candidates:  # the charts among them, numbered as _pictures numbers them
            if el.tag != _DOCPR or _skipped(el):
                continue
            container = el.getparent()
            uris = [g.get("uri") or "" for g in container.iter(f"{{{_NS['a']}}}graphicData")]
            if not (any(u.endswith(_NEEDS_ALT_URIS) for u in uris)
                    or container.find(".//a:blip", _NS) is not None):
                continue
            number += 1
            if any(u.endswith(("/chart", "/chartex")) for u in uris):
                p = el.getparent()
                while p is not None and p not in para_of:
                    p = p.getparent()
                self.charts.append(_PictureFacts(number, el.get("name") or "",
                                                 para_of[p] if p is not None else None))
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
        if before.__class__ is int:
            before = self.para(before)
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

    # ------------------------------------------------------------------ runs of plain paragraphs

    def _run_marker(self, marker) -> None:
        k = len(self._run_at)
        if k >= len(self._runs) or marker.text != f"p{k}":
            self._misplaced = True
            return
        data = self._data
        start, end = self._runs[k]
        count = data.count(b"<w:p>", start, end)
        first = len(self.paras) + 1
        self._run_at.append((first, len(self.blocks), count))
        self._firsts.append(first)
        self.paras += range(first, first + count)
        self.blocks += range(first, first + count)

    def _cut_marker(self, tbl) -> None:
        for marker in tbl.iterchildren(etree.PI):
            if marker.target == self._target:
                if marker.text == "t":
                    self._cuts_seen += 1
                else:
                    self._misplaced = True

    def complete(self) -> bool:
        """Every marker was found where it was put (see _skeleton)."""
        return (not self._misplaced and len(self._run_at) == len(self._runs)
                and self._cuts_seen == self._cuts)

    def resolve(self, styles: _Styles) -> None:
        """Reads the paragraphs of the runs that a check may take up: headings, and those whose
        text may be empty or typed as a list (see _CANDIDATE_RUNS). Every other paragraph of a
        run has text that is neither, so a check only counts it, or quotes it in a message."""
        if not self._runs:
            return
        headings = _headings(styles)
        data = self._data
        for (start, end), (first, block, _) in zip(self._runs, self._run_at):
            found: dict[int, re.Match | None] = {}
            if headings is not None:
                for m in headings.finditer(data, start, end):
                    found[m.start()] = m
            for m in _CANDIDATE_RUNS.finditer(data, start, end):
                found.setdefault(data.rfind(b"<w:p>", start, m.start()), None)
            for empty in _NO_RUNS:
                at = data.find(empty, start, end)
                while at >= 0:  # the paragraph's "<w:p>" is the last one up to its end
                    found.setdefault(data.rfind(b"<w:p>", start, at + len(empty)), None)
                    at = data.find(empty, at + 1, end)
            pos, index = start, first - 1
            for at in sorted(found):
                index += data.count(b"<w:p>", pos, at) + 1
                pos = at + 1
                self._read_simple(index, at, block + index - first, found[at])

    def para(self, index: int) -> _Para:
        """Body-level paragraph ``index`` (from 1), read now if it was not."""
        p = self.paras[index - 1]
        if p.__class__ is not int:
            return p
        k = bisect.bisect_right(self._firsts, index) - 1
        first, block, _ = self._run_at[k]
        return self._read_simple(index, self._locate(index, k), block + index - first)

    def _read_simple(self, index: int, at: int, block: int, m: re.Match | None = None) -> _Para:
        p = self.paras[index - 1]
        if p.__class__ is int:
            p = self.paras[index - 1] = _simple_para(m or _PARA.match(self._data, at), index)
        self.blocks[block] = p
        self._where[index] = at
        return p

    def _locate(self, index: int, k: int) -> int:
        """Where paragraph ``index`` of run ``k`` starts, stepping from the nearest paragraph
        whose start is known (the run's paragraphs are contiguous)."""
        data, where = self._data, self._where
        start, end = self._runs[k]
        first, _, count = self._run_at[k]

        def forward(at: int) -> int:
            return data.index(b"</w:p>", at) + len(b"</w:p>")

        def back(at: int) -> int:
            return data.rindex(b"<w:p>", start, at)

        if index - 1 in where and index > first:
            return forward(where[index - 1])
        if index + 1 in where and index + 1 < first + count:
            return back(where[index + 1])
        if index - first < first + count - index:
            at = start
            for _ in range(index - first):
                at = forward(at)
        else:
            at = end
            for _ in range(first + count - index):
                at = back(at)
        return at


# Bytes of the main document parsed between two looks at the body. Smaller pieces hold less
# tree but cost more: each round frees many small nodes and then makes one large allocation,
# and glibc's malloc merges all the freed chunks on it (malloc_consolidate in a profile).
_FEED = 1 << 20
# Off in tests that compare the two ways of reading.
_FAST_LANE = True


def _read_body(data: bytes, name: str) -> _BodyReader:
    """The facts of the main document's body, from its bytes; raises _Unreadable as parsing
    the whole part would.

    The skeleton of the part (see "the fast lane") is read when it has one, the part itself
    otherwise, or when the skeleton turns out not to stand for the part.
    """
    if _FAST_LANE:
        skeleton = _skeleton(data)
        if skeleton is not None:
            xml, runs, cuts, target = skeleton
            try:
                reader = _stream(xml, name, lambda: _BodyReader(data, runs, cuts, target))
            except _Unreadable:
                pass  # reading the part itself says why, or shows the skeleton was wrong
            else:
                if reader.complete():
                    return reader
    return _stream(data, name, _BodyReader)


def _stream(data: bytes, name: str, new_reader) -> _BodyReader:
    """Feeds the part to the parser a piece at a time. After each piece, every child of the
    body but the last is complete: each is read and dropped, so the whole tree (hundreds of MB
    for a report of ten thousand projects) never exists. The parser reports nothing but the
    start of the body, so lxml does no per-element work beyond building the tree.
    """
    reader = new_reader()
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
        reader, body = new_reader(), None
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


# ============================================================================ the fast lane

# Most of a large report is plain: body paragraphs of a style and a few runs of text, and table
# rows below the header row. Building lxml elements for them costs far more than the checks
# need (a third of a second per 10 MB of XML), so they are recognized in the bytes instead, by
# a grammar that matches only well-formed markup whose tree reads the same however it is read:
#
# * element names are spelled out, with the prefix w:; attributes too, each at most once (in a
#   fixed order); their values are printable ASCII without " & <, so nothing in them is decoded
#   or normalized;
# * text is UTF-8 of XML characters, without < or ]]> or a carriage return (which the parser
#   would turn into a line feed), and refers to nothing but the five predefined entities;
# * none of its elements is one that a check or a count looks at in a table row below the
#   header (tables, pictures), nor, in a body paragraph, any that _read_para acts on besides
#   w:pPr, w:pStyle, w:numPr, w:numId and w:t.
#
# What the grammar matches is cut out and a marker, a processing instruction with a random
# target, put in its place. The rest, the skeleton, is read by lxml as before. The part is
# well-formed, and its tree the skeleton's with each marker replaced by what was cut, when the
# skeleton is well-formed and every marker is where it was put: a child of the body, or of a
# table that is a child of the body. Those elements were written "<w:body>" and "<w:tbl>" and
# are WordprocessingML's, so w: means WordprocessingML where the markers are. Otherwise (a
# marker inside a comment, CDATA section or other element, after a wrong guess of where an
# element ends) the part itself is read, which also words any parse error.

# An attribute value that reads as it is written.
_VALUE = rb'[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]*+'
# Character data: runs of ASCII, "]" unless it starts "]]>", a predefined entity, or one UTF-8
# sequence of a character XML allows (no surrogates, U+FFFE or U+FFFF).
_TEXT = (rb'(?:[\t\n\x20-\x25\x27-\x3b\x3d-\x5c\x5e-\x7e]++|\](?!\]>)|&(?:amp|lt|gt|quot|apos);'
         rb'|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee][\x80-\xbf]{2}'
         rb'|\xed[\x80-\x9f][\x80-\xbf]|\xef[\x80-\xbe][\x80-\xbf]|\xef\xbf[\x80-\xbd]'
         rb'|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}'
         rb')*+')


def _empty_element(names: bytes, *attrs: bytes) -> bytes:
    """<w:NAME .../> for any of ``names``, with any of ``attrs`` in this order."""
    return (rb'<w:(?:' + names + rb')'
            + b"".join(rb'(?: w:' + a + rb'="' + _VALUE + rb'")?' for a in attrs) + rb'/>')


_RPR_ITEM = (_empty_element(rb'b|bCs|i|iCs|caps|smallCaps|strike|dstrike|noProof|vanish|webHidden'
                            rb'|u|rStyle|color|sz|szCs|vertAlign|highlight', b"val")
             + b"|" + _empty_element(b"lang", b"val", b"eastAsia", b"bidi"))
_PPR_ITEM = (_empty_element(rb'keepNext|keepLines|widowControl|contextualSpacing'
                            rb'|suppressAutoHyphens|jc', b"val")
             + b"|" + _empty_element(b"spacing", b"before", b"beforeLines", b"beforeAutospacing",
                                     b"after", b"afterLines", b"afterAutospacing", b"line",
                                     b"lineRule")
             + b"|" + _empty_element(b"ind", b"start", b"left", b"end", b"right", b"hanging",
                                     b"firstLine"))
_RPR = rb'(?:<w:rPr>(?:' + _RPR_ITEM + rb')*+</w:rPr>)?'
_RUN_START = rb'<w:r>' + _RPR + rb'<w:t(?: xml:space="preserve")?>'


def _para_source(group, styles: bytes | None = None) -> bytes:
    """A plain paragraph, "<w:p>...</w:p>". ``group`` wraps the parts _simple_para reads: the
    style, the list numbering and its w:numId, the first run's text and the other runs.
    With ``styles`` (an alternation), only a paragraph of one of those styles."""
    style = rb'<w:pStyle w:val="' + group(styles or _VALUE) + rb'"/>'
    props = (rb'<w:pPr>' + (style if styles else rb'(?:' + style + rb')?')
             + rb'(?:' + _PPR_ITEM + rb')*+'
             + group(rb'<w:numPr>(?:<w:ilvl w:val="' + _VALUE + rb'"/>)?<w:numId w:val="'
                     + group(_VALUE) + rb'"/></w:numPr>') + rb'?'
             rb'(?:' + _PPR_ITEM + rb')*+' + _RPR + rb'</w:pPr>')
    return (rb'<w:p>' + (props if styles else rb'(?:' + props + rb')?')
            + rb'(?:' + _RUN_START + group(_TEXT) + rb'</w:t></w:r>)?'
            + group(rb'(?:' + _RUN_START + _TEXT + rb'</w:t></w:r>)*+') + rb'</w:p>')


def _capture(source: bytes) -> bytes:
    return b"(" + source + b")"


def _group(source: bytes) -> bytes:
    return b"(?:" + source + b")"


_PARA = re.compile(_para_source(_capture))
# Runs of plain body paragraphs. An empty "<w:p/>" is left to lxml, so that every paragraph of
# a run starts "<w:p>" and counting those counts the paragraphs.
_PARAS = re.compile(_group(_para_source(_group)) + b"++")
_RUN_TEXT = re.compile(rb'<w:t(?: xml:space="preserve")?>([^<]*)</w:t>')
# A table row of plain cells.
_ROW_SOURCE = (
    rb'<w:tr>(?:<w:trPr>(?:' + _empty_element(b"cantSplit|tblHeader|hidden|jc", b"val") + b"|"
    + _empty_element(b"trHeight", b"val", b"hRule") + rb')*+</w:trPr>)?'
    rb'(?:<w:tc>(?:<w:tcPr>(?:<w:tcW(?: w:w="' + _VALUE + rb'"(?: w:type="' + _VALUE + rb'")?'
    rb'| w:type="' + _VALUE + rb'"(?: w:w="' + _VALUE + rb'")?)?/>|'
    + _empty_element(b"gridSpan|vAlign|vMerge|hMerge|noWrap|hideMark", b"val")
    + rb')*+</w:tcPr>)?(?:<w:p/>|' + _para_source(_group) + rb')++</w:tc>)++</w:tr>')
_ROW = re.compile(_ROW_SOURCE)
_ROWS = re.compile(_group(_ROW_SOURCE) + b"*+")
# The XML declaration, which must leave the part in UTF-8 as the grammar reads it.
_PROLOG = re.compile(rb'<\?xml version=(["\'])1\.0\1(?: encoding=(["\'])[Uu][Tt][Ff]-8\2)?'
                     rb'(?: standalone=(["\'])(?:yes|no)\3)? ?\?>')
_UNIT = re.compile(rb'<((?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)(?=[\s/>])')
_SPACE = re.compile(rb'[ \t\r\n]+')
_TAG_REST = re.compile(rb'(?:[^>"\']++|"[^"]*+"|\'[^\']*+\')*+>')


def _skeleton(data: bytes) -> tuple[bytes, list[tuple[int, int]], int, str] | None:
    """The part with its runs of plain body paragraphs and the plain rows of its tables (those
    after the first row without w:tblHeader) cut out and marked: (the skeleton, where the runs
    were, how many tables were cut, the markers' target). None when there is nothing to cut or
    the part is not laid out as the fast lane expects."""
    prolog = _PROLOG.match(data)
    if prolog is None:
        return None
    start = data.find(b"<w:body>", prolog.end())
    end = data.rfind(b"</w:body>")
    # A document type declaration could declare entities, or default attributes for what is
    # cut out, namespace declarations among them.
    if start < 0 or end < start or data.find(b"<!", prolog.end(), start) >= 0:
        return None
    start += len(b"<w:body>")
    target = "a11y-" + os.urandom(8).hex()
    pieces, runs, cuts = [data[:start]], [], 0
    pos = start
    while pos < end:
        run = _PARAS.match(data, pos, end)
        if run is not None:
            pieces.append(f"<?{target} p{len(runs)}?>".encode())
            runs.append((pos, run.end()))
            pos = run.end()
            continue
        unit = _UNIT.match(data, pos, end) or _SPACE.match(data, pos, end)
        if unit is None:
            return None
        unit_end = unit.end() if unit.re is _SPACE else _element_end(data, pos, end, unit[1])
        if unit_end is None:
            return None
        cut = _plain_rows(data, pos, unit_end) if unit.re is _UNIT and unit[1] == b"w:tbl" \
            else None
        if cut is None:
            pieces.append(data[pos:unit_end])
        else:
            pieces += (data[pos:cut[0]], f"<?{target} t?>".encode(), data[cut[1]:unit_end])
            cuts += 1
        pos = unit_end
    if not runs and not cuts:
        return None
    pieces.append(data[end:])
    return b"".join(pieces), runs, cuts, target


@functools.lru_cache(maxsize=64)
def _tag_finders(name: bytes) -> tuple[re.Pattern, re.Pattern]:
    return (re.compile(b"<" + re.escape(name) + rb"(?=[\s/>])"),
            re.compile(b"</" + re.escape(name) + rb"\s*+>"))


def _element_end(data: bytes, start: int, limit: int, name: bytes) -> int | None:
    """Where the element ``name`` that starts at ``start`` ends, by counting the start and end
    tags of that name; a guess that the markers check."""
    opens, closes = _tag_finders(name)
    depth, pos = 0, start
    close = closes.search(data, start, limit)
    while True:
        tag = opens.search(data, pos, close.start() if close is not None else limit)
        if tag is not None:
            rest = _TAG_REST.match(data, tag.end(), limit)
            if rest is None:
                return None
            pos = rest.end()
            if data[pos - 2] != 0x2F:  # not "/>": an element with content
                depth += 1
            elif depth == 0:
                return pos
        elif close is not None:
            depth -= 1
            pos = close.end()
            if depth <= 0:
                return pos
            close = closes.search(data, pos, limit)
        else:
            return None


def _plain_rows(data: bytes, start: int, end: int) -> tuple[int, int] | None:
    """The plain rows of the table data[start:end] that follow its first row without
    w:tblHeader, as (from, to); _table reads no further than that row."""
    close = end - len(b"</w:tbl>")
    if data[close:end] != b"</w:tbl>":
        return None
    pos = data.find(b"<w:tr>", start, close)
    if pos < 0:
        return None
    while True:
        row = _ROW.match(data, pos, close)
        if row is None:
            return None
        pos = row.end()
        if data.find(b"tblHeader", row.start(), pos) < 0:
            break
    cut = _ROWS.match(data, pos, close).end()
    return (pos, cut) if cut > pos else None


def _decode(text: bytes) -> str:
    out = text.decode("utf-8")
    if "&" in out:
        out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace(
            "&apos;", "'").replace("&amp;", "&")
    return out


def _simple_para(m: re.Match, index: int) -> _Para:
    """What _read_para gives for a paragraph that _PARA matched."""
    style, num_pr, num_id, first, more = m.groups()
    text = _decode(first) if first else ""
    if more:
        text += "".join(map(_decode, _RUN_TEXT.findall(more)))
    return _Para(index, text, style.decode("ascii") if style is not None else None, None,
                 (num_id.decode("ascii"),) if num_pr is not None else None, num_pr is not None,
                 False, False, False)


def _headings(styles: _Styles) -> re.Pattern | None:
    """Plain paragraphs of a heading style, matched as _PARA matches them."""
    ids = tuple(sorted(sid.encode("ascii") for sid in styles.by_id
                       if _STYLE_ID.fullmatch(sid) and styles.heading_level(sid) is not None))
    return _heading_finder(ids) if ids else None


_STYLE_ID = re.compile(r'[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]*')


@functools.lru_cache(maxsize=16)
def _heading_finder(ids: tuple[bytes, ...]) -> re.Pattern:
    return re.compile(_para_source(_capture, b"|".join(map(re.escape, ids))))


# The other paragraphs a check may take up have a run whose text, after ASCII white space, is
# empty, or starts as _FAKE_LIST may match ("*", "-", a digit, a letter followed by ")" or a
# tab, maybe in the next run) or with a character beyond ASCII (another kind of white space,
# bullet or digit); or they have no run at all. The text lstrip() removes is white space of
# either kind, so the paragraphs whose text is empty or typed as a list are among these.
_CANDIDATE_RUNS = re.compile(
    rb'<w:t(?: xml:space="preserve")?>[\t\n ]*+(?:</w:t>|[*\-0-9\x80-\xff]|[A-Za-z](?:[)\t]|</w:t>))')
_NO_RUNS = (b"<w:p></w:p>", b"</w:pPr></w:p>")


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
        body = self.body = _read_body(data, pkg.main)
        del data  # the reader keeps it while paragraphs in it may still be read
        self.styles = _Styles(pkg.xml(next(iter(pkg.rels.get("styles", [])), None)))
        body.resolve(self.styles)
        settings = pkg.xml(next(iter(pkg.rels.get("settings", [])), None))
        core = pkg.xml(next(iter(_rels_of(pkg.zf, "").get("core-properties", [])), None))

        self.check_language(settings)
        self.check_title(core)
        self.check_headings(body.paras)
        self.check_tables(body.tables)
        self.check_body_pictures(body.pictures)
        self.check_chart_captions(body.charts)
        for kind in ("header", "footer"):
            for part in sorted(pkg.rels.get(kind, [])):
                root = pkg.xml(part)
                if root is not None:
                    self.check_pictures(root, part)
        self.check_lists(body.paras)
        self.check_empty()
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

    def check_headings(self, paras: list[_Para | int]) -> None:
        self.levels: dict[int, int] = {}
        previous: tuple[int, _Para] | None = None
        for p in paras:
            if p.__class__ is int:
                continue  # not read: body text (see _BodyReader.resolve)
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

    def check_body_pictures(self, pictures: list[_PictureFacts]) -> None:
        body = self.body
        for pic in pictures:
            place = f"picture {pic.number}{_quote(pic.label)}"
            para = pic.para
            if para is not None:
                place += f" in paragraph {para.index}"
                following = body.para(para.index + 1).text if para.index < len(body.paras) \
                    else ""
                if para.text.strip():
                    place += _quote(para.text)
                elif following.strip():
                    place += f", before {_q(following)}"
            self.fail("a11y-alt-text", f"{place}: no alternative text", self._ALT_HINT)

    _NUMBERED_CAPTION = re.compile(r"^\w+\.?\s+\d+")

    def check_chart_captions(self, found: list[_PictureFacts]) -> None:
        """A chart says in its caption what it shows and has a number the text can refer to; a
        screen reader user reaches the caption right after the chart."""
        body = self.body
        for chart in found:
            para = chart.para
            following = body.para(para.index + 1) if para is not None and para.index < len(body.paras) else None
            if (following is not None and _CAPTION_NAME.match(self.styles.name(following.style))
                    and self._NUMBERED_CAPTION.match(following.text.strip())):
                continue
            place = f"chart {chart.number}{_quote(chart.label)}"
            if para is not None:
                place += f" in paragraph {para.index}"
            self.fail("a11y-chart-caption", f"{place}: no numbered caption after it",
                      "Word: right-click the chart → Insert Caption (\"Figur 1\"), and say in it what the "
                      "chart shows")

    def check_pictures(self, root, part: str) -> None:
        for _, number, label in _pictures(root.iter(_DOCPR, _VML_SHAPE))[0]:
            self.fail("a11y-alt-text", f"picture {number}{_quote(label)} in {part}: no "
                      "alternative text", self._ALT_HINT)

    # ------------------------------------------------------------------ lists

    def _numbered(self, p: _Para) -> bool:
        if p.num_id is not None:
            return p.num_id[0] not in (None, "0")
        return self.styles.numbered(p.style)

    def check_lists(self, paras: list[_Para | int]) -> None:
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
            if p.__class__ is int:
                continue  # not read: not typed as a list (see _BodyReader.resolve)
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

    def check_empty(self) -> None:
        body = self.body
        blocks, count = body.blocks, len(body.paras)
        allowed: set[int] = set()
        if blocks and blocks[-1] is not None:
            allowed.add(count)  # the body's last paragraph, which Word requires
        for i in [i for i, b in enumerate(blocks) if b is None]:  # after each table
            b = blocks[i + 1] if i + 1 < len(blocks) else None
            if b is not None and (i + 2 == len(blocks) or blocks[i + 2] is None):
                allowed.add(b if b.__class__ is int else b.index)  # keeps two tables apart
        run: list[_Para] = []

        def text(index: int) -> str:
            return body.para(index).text

        def flush() -> None:
            if not run:
                return
            first, last = run[0], run[-1]
            before = next((t for t in map(text, range(first.index - 1, 0, -1)) if t.strip()), "")
            after = next((t for t in map(text, range(last.index + 1, count + 1)) if t.strip()), "")
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
            # Paragraphs not read have text (see _BodyReader.resolve), and end a run as tables do.
            if p.__class__ is _Para and self._empty(p) and not self._carrier(p) \
                    and p.index not in allowed:
                run.append(p)
            elif run:
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
