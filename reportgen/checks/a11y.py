"""Accessibility check of a Word document (.docx): the EN 301 549 points a document can fail.

``check_docx`` reads any .docx (not only reportgen's) with the OOXML layer's bounded package
reader (``reportgen.ooxml.package``) and lxml, and returns one
finding per failure, each with a stable code:

=======================  ===================================================================
code                     what fails
=======================  ===================================================================
``a11y-unreadable``      not a file, not a zip, no Word main document in it, or past a size
                         limit of the package reader (see ``reportgen.ooxml.package``)
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
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from reportgen.checks import a11y_fastlane as fastlane
from reportgen.document.switches import fast_paths_enabled
from reportgen.findings import Finding, Location, error
from reportgen.ooxml.ns import NS, RT, STRICT_W, qn
from reportgen.ooxml.package import Package, open_package
from reportgen.ooxml.parser import DocxError, check_elements, parse, pull_parser
from reportgen.ooxml.styles import StyleSheet, role_of_name

__all__ = ["CODES", "check_docx"]

CODES = ("a11y-unreadable", "a11y-lang", "a11y-title", "a11y-heading-order", "a11y-table-header",
         "a11y-merged-header", "a11y-alt-text", "a11y-chart-caption", "a11y-fake-list",
         "a11y-empty-paragraph")

_W = NS["w"]
_NS = NS
_STRICT_W = STRICT_W
_DECORATIVE = NS["adec"]
# Graphic content that needs alternative text; text boxes and plain shapes do not.
_NEEDS_ALT_URIS = ("/picture", "/chart", "/diagram", "/chartex", "/lockedCanvas")
def _w(tag: str) -> str:
    return f"{{{_W}}}{tag}"


_P, _T, _TAB, _TBL, _TR, _TC = _w("p"), _w("t"), _w("tab"), _w("tbl"), _w("tr"), _w("tc")
_VAL = _w("val")
_SKIP_SUBTREES = {f"{{{_NS['mc']}}}Fallback", _w("txbxContent"), _w("del"), _w("moveFrom")}
# Things that make a paragraph non-empty besides text.
_CONTENT = {_w("drawing"), _w("pict"), _w("object"), _w("fldSimple"), _w("fldChar"), _w("sym"),
            _w("noBreakHyphen"),
            f"{{{_NS['mc']}}}AlternateContent",
            qn("m:oMath"), qn("m:oMathPara")}

# A list typed by hand: a bullet sign, or a number or letter with a full stop or parenthesis,
# followed by white space and text.
_FAKE_LIST = re.compile(
    r"^(?:[•◦▪▫‣⁃●○■□◆◇►▶➢➤✓✔·*\-–—]|o(?=\t)|\d{1,3}[.)]|[a-zA-Z]\))[\t \u00a0]+\S")

_FALSE = {"0", "false", "off"}




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
        """Every marker was found where it was put (see a11y_fastlane.skeleton)."""
        return (not self._misplaced and len(self._run_at) == len(self._runs)
                and self._cuts_seen == self._cuts)

    def resolve(self, styles: StyleSheet) -> None:
        """Reads the paragraphs of the runs that a check may take up: headings, and those whose
        text may be empty or typed as a list (see fastlane.CANDIDATE_RUNS). Every other paragraph of a
        run has text that is neither, so a check only counts it, or quotes it in a message."""
        if not self._runs:
            return
        headings = fastlane.headings(styles)
        data = self._data
        for (start, end), (first, block, _) in zip(self._runs, self._run_at):
            found: dict[int, re.Match | None] = {}
            if headings is not None:
                for m in headings.finditer(data, start, end):
                    found[m.start()] = m
            for m in fastlane.CANDIDATE_RUNS.finditer(data, start, end):
                found.setdefault(data.rfind(b"<w:p>", start, m.start()), None)
            for at in fastlane.runless(data, start, end):
                found.setdefault(at, None)
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
            text, style, num_id = fastlane.simple_para(m or fastlane.para(self._data, at))
            p = self.paras[index - 1] = _Para(index, text, style, None, num_id,
                                              num_id is not None, False, False, False)
        self.blocks[block] = p
        self._where[index] = at
        return p

    def _locate(self, index: int, k: int) -> int:
        """Where paragraph ``index`` of run ``k`` starts, stepping from the nearest paragraph
        whose start is known (the run's paragraphs are contiguous)."""
        data, where = self._data, self._where
        start, end = self._runs[k]
        first, _, count = self._run_at[k]

        # Paragraphs do not nest, and nothing else in a run holds "<w:p>" (see fastlane): the next
        # paragraph starts at the next "<w:p>", also where a content control lies between them.
        def forward(at: int) -> int:
            return data.index(b"<w:p>", at + 1)

        def back(at: int) -> int:
            return data.rindex(b"<w:p>", start, at)

        if index - 1 in where and index > first:
            return forward(where[index - 1])
        if index + 1 in where and index + 1 < first + count:
            return back(where[index + 1])
        if index - first < first + count - index:
            at = data.index(b"<w:p>", start)  # the run's first paragraph
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


#: The smallest main document (bytes of word/document.xml) read by the fast lane while its grammar
#: is not compiled yet. It saves 15-30 ms a megabyte, and compiling the grammar costs 40-50 ms, once
#: a process: on the example's documents (40-250 kB) that was a loss. Once compiled (a large
#: document was checked), it is used for every document: it is then no slower even on the smallest.
#: Tests set it to 0.
FAST_LANE_MIN_BYTES = 1 << 20


def _read_body(data: bytes, name: str) -> _BodyReader:
    """The facts of the main document's body, from its bytes; raises DocxError as parsing
    the whole part would.

    The skeleton of the part (see "the fast lane") is read when it has one, the part itself
    otherwise, or when the skeleton turns out not to stand for the part.
    """
    if fast_paths_enabled() and (len(data) >= FAST_LANE_MIN_BYTES or fastlane.compiled()):
        skeleton = fastlane.skeleton(data)
        if skeleton is not None:
            xml, runs, cuts, target = skeleton
            try:
                reader = _stream(xml, name, lambda: _BodyReader(data, runs, cuts, target))
            except DocxError:
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
    parser = pull_parser(events=("start",), tag=_BODY, remove_blank_text=False)
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
        root = parse(data, name)
        reader, body = new_reader(), None
    if root.getroottree().docinfo.doctype:
        raise DocxError(f"{name} declares a DOCTYPE, which no .docx part has", name)
    if root.tag == f"{{{_STRICT_W}}}document":
        raise DocxError("Strict Open XML documents are not supported; save the file as "
                          "a Word Document (.docx)")
    if body is None:
        body = root.find("w:body", _NS)
        if body is None:
            raise DocxError("not a .docx: the main document has no w:body")
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
        return _Checker(open_package(data), where, language).run()
    except DocxError as exc:
        return [error("a11y-unreadable", str(exc), where)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        return [error("a11y-unreadable", f"not a readable .docx: {exc}", where)]


class _Checker:
    def __init__(self, pkg: Package, where: Location, language: str | None) -> None:
        self.pkg = pkg
        self.where = where
        self.language = language
        self.findings: list[Finding] = []

    def fail(self, code: str, message: str, hint: str | None = None) -> None:
        self.findings.append(error(code, message, self.where, hint=hint))

    def run(self) -> list[Finding]:
        pkg = self.pkg
        data = pkg.read(pkg.main)  # within the package reader's limits
        check_elements(data, pkg.main, pkg.limits.elements)
        body = self.body = _read_body(data, pkg.main)
        del data  # the reader keeps it while paragraphs in it may still be read
        self.styles = StyleSheet(pkg.xml(pkg.related(pkg.main, RT.STYLES)))
        body.resolve(self.styles)
        settings = pkg.xml(pkg.related(pkg.main, RT.SETTINGS))
        core = pkg.xml(pkg.related("", RT.CORE_PROPERTIES))

        self.check_language(settings)
        self.check_title(core)
        self.check_headings(body.paras)
        self.check_tables(body.tables)
        self.check_body_pictures(body.pictures)
        self.check_chart_captions(body.charts)
        for kind in (RT.HEADER, RT.FOOTER):
            for part in sorted(pkg.related_all(pkg.main, kind)):
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
                role_of_name(self.styles.name(before.style)) == "caption"
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
            if (following is not None and role_of_name(self.styles.name(following.style)) == "caption"
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
        # The context of a message: the nearest paragraph with text before the run, else after
        # it. Both are kept track of as the blocks go by, never searched for from each run: a
        # document of empty paragraphs and page breaks has as many runs as paragraphs.
        last_text: list[int] = []  # the latest paragraph with text so far, when there is one
        following = {"from": 0, "found": None}

        def text(index: int) -> str:
            return body.para(index).text

        def text_after(index: int) -> int | None:
            # Runs are flushed in document order, so the search resumes where it stopped.
            found = following["found"]
            if found is not None and found > index:
                return found
            j = max(following["from"], index) + 1
            while j <= count and not text(j).strip():
                j += 1
            following["from"] = j
            following["found"] = j if j <= count else None
            return following["found"]

        def flush() -> None:
            if not run:
                return
            first, last = run[0], run[-1]
            before = text(last_text[0]) if last_text else ""
            after_at = text_after(last.index) if not before.strip() else None
            after = text(after_at) if after_at is not None else ""
            context = f" after {_q(before)}" if before.strip() else (
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
                continue
            if run:
                flush()
            if p.__class__ is int:
                last_text[:] = [p]
            elif p is not None and p.text.strip():
                last_text[:] = [p.index]
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
