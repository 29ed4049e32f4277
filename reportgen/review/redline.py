"""A Word redline: NEW as a .docx with tracked changes against OLD.

``redline(old, new)`` returns NEW's document (its styles, cover, headers and footers stay NEW's)
in which what changed since OLD is marked the way Word marks tracked changes, so Word and
LibreOffice show it and can accept or reject each change:

* body blocks of both documents are aligned: equal blocks by difflib's SequenceMatcher, the
  rest paired by similarity (paragraphs of the same style and list level whose words are at
  least 50 % alike; tables with the same number of columns whose rows, header or caption match);
* a paired paragraph is compared word by word (words, numbers such as ``2 153 905``, spaces and
  punctuation are tokens, each with its run formatting and link): inserted text is NEW's run
  formatting in ``w:ins``, deleted text OLD's in ``w:del`` with ``w:delText``;
* a paragraph only NEW has is inserted (its runs in ``w:ins``, its paragraph mark
  ``w:pPr/w:rPr/w:ins``); one only OLD has is copied in as deleted (``w:del``, mark
  ``w:pPr/w:rPr/w:del``);
* in a paired table, rows are aligned the same way (a row pairs with the row that has the same
  first cell, else one alike enough, see ``diff.row_similarity``); a changed row is compared
  cell by cell, word by word; a row only NEW has is inserted (``w:trPr/w:ins``), one only OLD
  has is copied in as deleted (``w:trPr/w:del``, its text in ``w:delText``);
* a paired paragraph or table whose own properties differ (alignment, spacing, a totals row
  in ``tblLook``) records OLD's in ``w:pPrChange`` / ``w:tblPrChange``;
* a native chart is matched by its name (``wp:docPr/@name``): one both documents have whose
  data or alt text changed stays once, NEW's, untracked (a chart part has no tracked-change
  markup, and a deleted plus an inserted chart hide which value moved), and a Word comment on
  its caption lists what changed, old → new (``2020, Utbetalt: 36,9681329 → 36,9781329 mnkr``),
  see ``chart_changes``. Rejecting all therefore keeps NEW's charts.

Every change has ``w:author="reportgen"`` and one fixed ``w:date``: ``SOURCE_DATE_EPOCH`` when
set, else NEW's core properties' modified date (never the clock); ``w:id`` run in document order
after the ids the document already uses. Deleted content brings what it needs from OLD: list
numbering, hyperlink targets, images. The bytes are reproducible.

Limits: a change of run formatting shows as the word deleted and inserted (no ``w:rPrChange``);
paragraph-level objects other than runs and hyperlinks (content controls, simple fields, math)
are kept when NEW has them and dropped when only OLD has them; a changed paragraph style or
list level is a deleted plus an inserted paragraph; headers, footers and footnotes are NEW's.
Existing tracked changes in either document are accepted first.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path, PurePosixPath

from lxml import etree

from reportgen.ooxml import charts
from reportgen.ooxml.comments import add_comment, anchor_comment, new_comments_part
from reportgen.ooxml.ns import CT, NS, RT, W_NS, qn, w
from reportgen.ooxml.numbering import Numbering
from reportgen.ooxml.package import Package, open_package, reproducible_zip
from reportgen.ooxml.parser import DocxError
from reportgen.ooxml.provenance import unwrap_sources
from reportgen.ooxml.revisions import (
    accept_all,
    accept_docx,
    has_revisions,
    reject_all,
    reject_docx,
)
from reportgen.ooxml.styles import StyleSheet
from reportgen.review.diff import align, ratio, row_similarity, words

__all__ = ["AUTHOR", "RedlineResult", "RedlineStats", "accept_all", "accept_docx",
           "redline", "reject_all", "reject_docx", "revision_date"]

AUTHOR = "reportgen"
FALLBACK_DATE = "2000-01-01T00:00:00Z"

_W14 = NS["w14"]
_XML_SPACE = qn("xml:space")
_RT_CORE = RT.CORE_PROPERTIES
_RT_IMAGE = RT.IMAGE
_CT_NS = NS["ct"]
_CT_NUMBERING = CT.NUMBERING
R_NS = NS["r"]
PKG_REL_NS = NS["rel"]
RT_NUMBERING = RT.NUMBERING
RT_STYLES = RT.STYLES

# A token: a number with its group separators (no-break spaces) and decimals, a word, a run of
# whitespace, or one other character.
_TOKEN = re.compile(r"\d+(?:[\u00a0\u202f.,]\d+)*|\w+|\s+|[^\w\s]", re.UNICODE)
# Paragraph children that are not content: kept from NEW, dropped from OLD's deleted copies.
_MARKS = {w(t) for t in ("bookmarkStart", "bookmarkEnd", "proofErr", "permStart", "permEnd",
                         "commentRangeStart", "commentRangeEnd")}
_INLINE_WRAPPERS = {w(t) for t in ("smartTag", "customXml", "bdo", "dir")}
_P, _R, _T, _PPR, _RPR, _HYPERLINK = w("p"), w("r"), w("t"), w("pPr"), w("rPr"), w("hyperlink")
_PSTYLE, _NUMPR, _NUMID, _ILVL, _VAL = w("pStyle"), w("numPr"), w("numId"), w("ilvl"), w("val")
_SKIP_IN_RUN = {w("rPr"), w("lastRenderedPageBreak")}
_NOT_PROPS = {w("rPr"), w("sectPr"), w("pPrChange"), w("tblPrChange")}
_NOT_FMT = {w("rPrChange"), w("ins"), w("del")}
_NOT_FROM_OLD = {w(t) for t in ("footnoteReference", "endnoteReference", "commentReference")}


@dataclass
class RedlineStats:
    paragraphs_inserted: int = 0
    paragraphs_deleted: int = 0
    paragraphs_changed: int = 0
    rows_inserted: int = 0
    rows_deleted: int = 0
    rows_changed: int = 0
    insertions: int = 0  # w:ins elements written
    deletions: int = 0  # w:del elements written
    property_changes: int = 0  # w:pPrChange and w:tblPrChange elements written
    charts_changed: int = 0  # charts kept once, with a comment saying what changed
    comments: int = 0  # comments written

    @property
    def changes(self) -> int:
        return self.insertions + self.deletions + self.property_changes + self.comments


@dataclass
class RedlineResult:
    data: bytes
    stats: RedlineStats = field(default_factory=RedlineStats)


def revision_date(new: Package) -> str:
    """The date every change carries: SOURCE_DATE_EPOCH, else NEW's modified date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdecimal():
        return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    core_name = new.related("", _RT_CORE) if "_rels/.rels" in new.entries else None
    core = new.xml(core_name or "docProps/core.xml")
    if core is not None:
        el = core.find(qn("dcterms:modified"))
        if el is not None and el.text:
            text = el.text.strip()
            try:
                d = datetime.fromisoformat(text)
            except ValueError:
                return FALLBACK_DATE
            if d.tzinfo is not None:
                d = d.astimezone(UTC)
            return d.strftime("%Y-%m-%dT%H:%M:%SZ")
    return FALLBACK_DATE


def redline(old: str | Path | bytes, new: str | Path | bytes, *, author: str = AUTHOR,
            date: str | None = None) -> RedlineResult:
    """NEW with tracked changes against OLD (paths or .docx bytes). Raises
    ``reportgen.ooxml.parser.DocxError`` for a file that is not a readable .docx (or that
    passes the package reader's limits)."""
    new_bytes = new if isinstance(new, (bytes, bytearray)) else Path(new).read_bytes()
    old_pkg = open_package(old)
    new_pkg = open_package(bytes(new_bytes))
    builder = _Redline(old_pkg, new_pkg, author, date or revision_date(new_pkg))
    replace = builder.run()
    return RedlineResult(reproducible_zip(new_pkg, replace=replace), builder.stats)


# ============================================================================ one document


class _Doc:
    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.root = pkg.xml(pkg.main)
        body = self.root.find(w("body")) if self.root is not None else None
        if body is None:
            raise DocxError(f"{pkg.main} has no w:body")
        if has_revisions(body):
            accept_all(body)
        # The redline is for reading: the content controls that mark text from the inputs are
        # left out, so that text is aligned paragraph by paragraph like any other.
        unwrap_sources(body)
        self.body = body
        self.rels = pkg.rels(pkg.main)
        self.styles = StyleSheet(pkg.xml(pkg.related(pkg.main, RT_STYLES) or ""))
        self.numbering = Numbering(pkg.xml(pkg.related(pkg.main, RT_NUMBERING) or ""))
        # Caches by id(); each value holds its element so that the id stays its own.
        self._info: dict[int, tuple] = {}
        self._keys: dict[int, tuple] = {}
        self._fmt: dict[int, tuple] = {}
        self._digest: dict[str, str] = {}

    # -- paragraphs

    def kind(self, p) -> tuple:
        ppr = p.find(_PPR)
        sid = None
        lst = None
        if ppr is not None:
            ps = ppr.find(_PSTYLE)
            sid = ps.get(_VAL) if ps is not None else None
            numpr = ppr.find(_NUMPR)
            if numpr is not None:
                nid = numpr.find(_NUMID)
                lvl = numpr.find(_ILVL)
                num_id = nid.get(_VAL) if nid is not None else None
                ilvl = int(lvl.get(_VAL) or 0) if lvl is not None else 0
                if num_id not in (None, "0"):
                    bullet, start = self.numbering.level(num_id, ilvl)
                    lst = (bullet, ilvl, None if bullet else start)
        return (self.styles.name(sid), lst)

    def info(self, p) -> _PInfo:
        got = self._info.get(id(p))
        if got is None or got[0] is not p:
            got = self._info[id(p)] = (p, self._make_info(p))
        return got[1]

    def _make_info(self, p) -> _PInfo:
        pieces: list[_Piece] = []
        marks: list[tuple[int, object]] = []

        def walk(parent, link) -> None:
            for el in parent:
                tag = el.tag
                if tag == _PPR:
                    continue
                if tag == _R:
                    run(el, link)
                elif tag == _HYPERLINK and link is None:
                    before = len(pieces)
                    walk(el, el)
                    if len(pieces) == before:  # a link without text: keep it as an object
                        pieces.append(_Piece(("elem", etree.tostring(el)), None, el, None, None))
                elif tag in _INLINE_WRAPPERS or tag == _HYPERLINK:
                    walk(el, link)
                elif tag in _MARKS:
                    marks.append((len(pieces), el))
                elif isinstance(tag, str):
                    pieces.append(_Piece(("elem", etree.tostring(el)), None, el, None, link))

        def run(r, link) -> None:
            fk = self.fmt_key(r)
            lk = self.link_key(link)
            for c in r:
                tag = c.tag
                if tag in _SKIP_IN_RUN or not isinstance(tag, str):
                    continue
                if tag == _T:
                    for tok in _TOKEN.findall(c.text or ""):
                        pieces.append(_Piece(("t", tok, fk, lk), tok, None, r, link))
                else:
                    key = ("a", self.atom_key(c), fk, lk)
                    name = self.chart_name(c)
                    # A chart is matched by its name, so that a chart whose data changed pairs
                    # with itself and stays one chart (see _Redline.note_chart).
                    match = key if name is None else ("a", ("chart", name), fk, lk)
                    pieces.append(_Piece(key, None, c, r, link, match))

        walk(p, None)
        keys = tuple(pc.key for pc in pieces)
        words = tuple(pc.match for pc in pieces if pc.text is None or not pc.text.isspace())
        return _PInfo(self.kind(p), pieces, marks, keys, words)

    def fmt_key(self, r) -> tuple:
        rpr = r.find(_RPR)
        if rpr is None:
            return ()
        got = self._fmt.get(id(rpr))
        if got is None or got[0] is not rpr:
            key = tuple((c.tag, tuple(sorted(c.attrib.items()))) for c in rpr
                        if c.tag not in _NOT_FMT)
            got = self._fmt[id(rpr)] = (rpr, key)
        return got[1]

    def link_key(self, link) -> tuple | None:
        if link is None:
            return None
        rid = link.get(f"{{{R_NS}}}id")
        url = self.rels.get(rid, ("", "", ""))[1] if rid else ""
        return ("link", url, link.get(w("anchor")) or "")

    def atom_key(self, el) -> tuple:
        if el.tag == w("drawing"):
            doc_pr = el.find(f".//{{{NS['wp']}}}docPr")
            cnv = el.find(f".//{{{NS['pic']}}}cNvPr")
            blip = el.find(f".//{{{NS['a']}}}blip")
            rid = blip.get(f"{{{R_NS}}}embed") if blip is not None else None
            if rid is None:
                # A native chart: its part holds the exact values, which its alt text may round.
                chart = el.find(f".//{{{charts.CHART_NS}}}chart")
                rid = chart.get(f"{{{R_NS}}}id") if chart is not None else None
            return ("drawing", doc_pr.get("descr") if doc_pr is not None else None,
                    cnv.get("name") if cnv is not None else None, self.part_digest(rid))
        return (el.tag, tuple(sorted(el.attrib.items())), el.text or "",
                etree.tostring(el) if len(el) else b"")

    def chart_name(self, el) -> str | None:
        """The name (``wp:docPr/@name``) of a run's ``w:drawing`` that shows a native chart, ""
        for an unnamed one; None for anything else."""
        if el.tag != w("drawing") or el.find(f".//{{{charts.CHART_NS}}}chart") is None:
            return None
        doc_pr = el.find(f".//{{{NS['wp']}}}docPr")
        return (doc_pr.get("name") or "") if doc_pr is not None else ""

    def chart_of(self, el) -> tuple[str, charts.ChartData | None]:
        """A chart drawing's alt text and data (None when its part cannot be read)."""
        doc_pr = el.find(f".//{{{NS['wp']}}}docPr")
        alt = (doc_pr.get("descr") or "") if doc_pr is not None else ""
        chart = el.find(f".//{{{charts.CHART_NS}}}chart")
        rid = chart.get(f"{{{R_NS}}}id") if chart is not None else None
        if not rid or rid not in self.rels or self.rels[rid][2] == "External":
            return alt, None
        target = self.rels[rid][1]
        xml = self.pkg.entries.get(target)
        if xml is None:
            return alt, None
        try:
            return alt, charts.read_chart(xml)  # the caches: what the chart shows
        except charts.ChartError:
            return alt, None

    def part_digest(self, rid: str | None) -> str | None:
        if not rid or rid not in self.rels:
            return None
        target = self.rels[rid][1]
        if target not in self._digest:
            data = self.pkg.entries.get(target)
            self._digest[target] = hashlib.sha256(data).hexdigest() if data else target
        return self._digest[target]

    # -- blocks

    def key(self, el) -> tuple:
        got = self._keys.get(id(el))
        if got is not None and got[0] is el:
            return got[1]
        if el.tag == w("p"):
            info = self.info(el)
            got = ("p", info.kind, self.props_key(el, "pPr"), info.keys)
        elif el.tag == w("tbl"):
            got = ("tbl", tuple(self.row_key(tr) for tr in rows(el)))
        else:
            got = ("x", etree.tostring(el))
        self._keys[id(el)] = (el, got)
        return got

    def props_key(self, el, tag: str) -> tuple:
        """A paragraph's or table's own properties, compared as XML (tracked marks, section
        properties and earlier change records left out)."""
        props = el.find(w(tag))
        if props is None:
            return ()
        return tuple((c.tag, tuple(sorted(c.attrib.items())),
                      etree.tostring(c) if len(c) else b"")
                     for c in props if c.tag not in _NOT_PROPS)

    def row_key(self, tr) -> tuple:
        got = self._keys.get(id(tr))
        if got is None or got[0] is not tr:
            key = tuple(tuple(self.key(b) for b in blocks_of(tc)) for tc in cells(tr))
            got = self._keys[id(tr)] = (tr, key)
        return got[1]

    def row_text(self, tr) -> tuple[str, ...]:
        return tuple("".join(pc.text or "" for b in blocks_of(tc) if b.tag == w("p")
                             for pc in self.info(b).pieces) for tc in cells(tr))


@dataclass
class _Piece:
    key: tuple  # what is compared
    text: str | None  # a text token
    el: object  # an atom (a run child, or a paragraph-level element when run is None)
    run: object  # the w:r it comes from
    link: object  # the w:hyperlink it sits in
    match: tuple = None  # type: ignore[assignment]  # what is aligned (a chart: its name)

    def __post_init__(self) -> None:
        if self.match is None:
            self.match = self.key


@dataclass
class _PInfo:
    kind: tuple
    pieces: list[_Piece]
    marks: list[tuple[int, object]]
    keys: tuple
    words: tuple


def rows(tbl) -> list:
    return [el for el in tbl if el.tag == w("tr")]


def cells(tr) -> list:
    return [el for el in tr if el.tag == w("tc")]


def blocks_of(container) -> list:
    return [el for el in container
            if isinstance(el.tag, str) and el.tag not in (w("tcPr"), w("sectPr"), w("tblPr"),
                                                          w("trPr"))]


def _grid_width(tbl) -> int:
    grid = tbl.find(w("tblGrid"))
    n = len(grid.findall(w("gridCol"))) if grid is not None else 0
    return n or max((len(cells(tr)) for tr in rows(tbl)), default=0)


# ============================================================================ the redline


class _Redline:
    def __init__(self, old: Package, new: Package, author: str, date: str) -> None:
        self.old = _Doc(old)
        self.new = _Doc(new)
        self.author = author
        self.date = date
        self.stats = RedlineStats()
        self.num_map: dict[str, str] = {}
        self._num_fix: list[tuple[object, str]] = []
        self._rel_map: dict[str, str] = {}
        self._new_rels: list[tuple[str, str, str, str]] = []  # id, type, target, mode
        self._new_parts: dict[str, bytes] = {}
        self._overrides: dict[str, str] = {}
        self._defaults: dict[str, str] = {}
        self._numbering_changed = False
        self._numbering: tuple | None = None
        self._chart_notes: list[tuple[object, list[str]]] = []  # (NEW's paragraph, lines)
        self._comments: tuple[str, object] | None = None  # (part name, w:comments)
        docpr = [int(v) for v in new.xml(new.main).xpath("//wp:docPr/@id", namespaces=NS)
                 if v.isdecimal()]
        self._next_docpr = max(docpr or [0]) + 1

    # ------------------------------------------------------------------ top level

    def run(self) -> dict[str, bytes]:
        body = self.new.body
        old_blocks = blocks_of(self.old.body)
        new_blocks = blocks_of(body)
        out = self.diff_blocks(old_blocks, new_blocks, in_cell=False)
        _place(body, new_blocks, out)
        self.anchor_chart_notes()
        self.resolve_numbering()
        self.number_changes()
        return self.package_changes()

    # ------------------------------------------------------------------ blocks

    def diff_blocks(self, old: list, new: list, *, in_cell: bool) -> list:
        o, n = self.old, self.new

        def similarity(i: int, j: int) -> float:
            a, b = old[i], new[j]
            if a.tag != b.tag:
                return 0.0
            if a.tag == w("p"):
                ia, ib = o.info(a), n.info(b)
                if ia.kind != ib.kind:
                    return 0.0
                return ratio(ia.words, ib.words, 0.5)
            if a.tag == w("tbl"):
                if _grid_width(a) != _grid_width(b):
                    return 0.0
                ra, rb = rows(a), rows(b)
                ka = [o.row_key(tr) for tr in ra]
                kb = [n.row_key(tr) for tr in rb]
                s = ratio(ka, kb)
                if ka and kb and ka[0] == kb[0]:
                    s = max(s, 0.6)
                ca, cb = a.getprevious(), b.getprevious()
                if (ca is not None and cb is not None and ca.tag == w("p") and cb.tag == w("p")
                        and o.info(ca).keys == n.info(cb).keys):
                    s = max(s, 0.6)
                return s
            return 0.0

        out: list = []
        for i, j, equal in align([o.key(el) for el in old], [n.key(el) for el in new],
                                 similarity):
            if equal:
                b = new[j]  # type: ignore[index]
                self.learn_numbering(old[i], b)  # type: ignore[index]
                out.append(b)
            elif i is not None and j is not None:
                a, b = old[i], new[j]
                if a.tag == w("p"):
                    self.learn_numbering(a, b)
                    out.append(self.diff_paragraph(a, b, count=not in_cell))
                else:
                    out.append(self.diff_table(a, b))
            elif j is not None:
                el = self.inserted(new[j], count=not in_cell)
                out.append(el)
            else:
                el = self.deleted(old[i], count=not in_cell)  # type: ignore[index]
                if el is not None:
                    out.append(el)
        # Two tables in a row would be one table in Word: keep them apart.
        k = 1
        while k < len(out):
            if out[k].tag == w("tbl") and out[k - 1].tag == w("tbl"):
                out.insert(k, _el("p"))
            k += 1
        # A story (and a cell) ends with a paragraph whose mark is not tracked.
        if out and (out[-1].tag == w("tbl") or _mark_tracked(out[-1])):
            out.append(_el("p"))
        if in_cell and not out:
            out.append(_el("p"))
        return out

    def learn_numbering(self, a, b) -> None:
        if a.tag != w("p"):
            return
        na, nb = _num_id(a), _num_id(b)
        if na and nb:
            self.num_map.setdefault(na, nb)

    # ------------------------------------------------------------------ paragraphs

    def diff_paragraph(self, a, b, *, count: bool):
        ia, ib = self.old.info(a), self.new.info(b)
        if count and ia.keys != ib.keys:
            self.stats.paragraphs_changed += 1
        ops = _cleanup(SequenceMatcher(None, [pc.match for pc in ia.pieces],
                                       [pc.match for pc in ib.pieces],
                                       autojunk=False).get_opcodes(), ia.pieces)
        marks: dict[int, list] = {}
        for k, el in ib.marks:
            marks.setdefault(k, []).append(el)
        ppr = b.find(w("pPr"))
        for child in list(b):
            if child is not ppr:
                b.remove(child)
        if self.old.props_key(a, "pPr") != self.new.props_key(b, "pPr"):
            self.track_props(a, b, "pPr")
        em = _Emitter(self, b)

        def new_piece(k: int, status: str) -> None:
            for m in marks.pop(k, ()):
                em.mark(m)
            em.piece(ib.pieces[k], status, old=False)

        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                for k in range(j1, j2):
                    old_pc, new_pc = ia.pieces[i1 + k - j1], ib.pieces[k]
                    if old_pc.key != new_pc.key:  # the same chart, changed
                        self.note_chart(old_pc.el, new_pc.el, b)
                    new_piece(k, "eq")
                continue
            for k in range(i1, i2):
                em.piece(ia.pieces[k], "del", old=True)
            for k in range(j1, j2):
                new_piece(k, "ins")
        for k in sorted(marks):
            for m in marks[k]:
                em.mark(m)
        return b

    # ------------------------------------------------------------------ charts

    def note_chart(self, old_el, new_el, p) -> None:
        """A chart that both documents have (by name) and that changed stays once: NEW's, not
        tracked, since OOXML has no markup for a change inside a chart part. What changed (its
        data, row by row, and its alt text) goes into a comment on its caption."""
        old_alt, old_data = self.old.chart_of(old_el)
        new_alt, new_data = self.new.chart_of(new_el)
        lines = chart_changes(old_data, new_data)
        lines += alt_changes(old_alt, new_alt, bool(lines))
        if not lines:
            lines = ["Diagrammets utformning har ändrats; värdena är desamma."]
        self.stats.charts_changed += 1
        self._chart_notes.append((p, lines))

    def anchor_chart_notes(self) -> None:
        if not self._chart_notes:
            return
        name, root = self._comments_root()
        used = [int(v) for el in self.new.root.iter() for v in [el.get(w("id"))]
                if v is not None and v.lstrip("-").isdecimal()]
        used += [int(c.get(w("id")) or 0) for c in root.iter(w("comment"))
                 if (c.get(w("id")) or "").isdecimal()]
        next_id = max(used or [0]) + 1
        for p, lines in self._chart_notes:
            cid = str(next_id)
            next_id += 1
            anchor_comment(self._caption_of(p), cid)
            add_comment(root, cid, self.author, self.date,
                        ["Ändrat i diagrammet (före → efter):", *lines], initials="rg")
            self.stats.comments += 1
        self._new_parts[name] = _xml_bytes(root)

    def _caption_of(self, p):
        """The chart's caption: the caption paragraph after it (as reportgen writes it), else
        the one before it, if not deleted; else the chart's own paragraph."""
        for near in (p.getnext(), p.getprevious()):
            if near is None or near.tag != w("p") or _mark_deleted(near):
                continue
            ps = near.find(f"{w('pPr')}/{w('pStyle')}")
            if self.new.styles.role(ps.get(w("val")) if ps is not None else None) == "caption":
                return near
        return p

    def _comments_root(self) -> tuple[str, object]:
        if self._comments is None:
            pkg = self.new.pkg
            name = pkg.related(pkg.main, RT.COMMENTS)
            root = pkg.xml(name) if name is not None else None
            if name is None or root is None:
                name = "word/comments.xml"
                while name in pkg.entries:
                    name = name.replace(".xml", "-redline.xml")
                rid = f"rIdRedline{len(self._new_rels) + 1}"
                self._new_rels.append((rid, RT.COMMENTS, name, "Internal"))
                self._overrides[name] = CT.COMMENTS
                root = new_comments_part()
            self._comments = (name, root)
        return self._comments

    # ------------------------------------------------------------------ tables

    def diff_table(self, a, b):
        o, n = self.old, self.new
        if o.props_key(a, "tblPr") != n.props_key(b, "tblPr"):
            self.track_props(a, b, "tblPr")
        ra, rb = rows(a), rows(b)
        ta = [o.row_text(tr) for tr in ra]
        tb = [n.row_text(tr) for tr in rb]
        wa = [tuple(words(" ".join(t))) for t in ta]
        wb = [tuple(words(" ".join(t))) for t in tb]
        ka = [tuple(words(t[0])) if t else () for t in ta]
        kb = [tuple(words(t[0])) if t else () for t in tb]

        def similarity(i: int, j: int) -> float:
            if len(ta[i]) != len(tb[j]):
                return 0.0
            return row_similarity(ka[i], wa[i], kb[j], wb[j])

        out = []
        for i, j, equal in align([o.row_key(tr) for tr in ra], [n.row_key(tr) for tr in rb],
                                 similarity):
            if equal:
                out.append(rb[j])  # type: ignore[index]
            elif i is not None and j is not None:
                out.append(self.diff_row(ra[i], rb[j]))
            elif j is not None:
                out.append(self.inserted_row(rb[j]))
            else:
                out.append(self.deleted_row(ra[i]))  # type: ignore[index]
        _place(b, rb, out)
        return b

    def diff_row(self, a, b):
        self.stats.rows_changed += 1
        for ca, cb in zip(cells(a), cells(b)):
            old_blocks, new_blocks = blocks_of(ca), blocks_of(cb)
            out = self.diff_blocks(old_blocks, new_blocks, in_cell=True)
            _place(cb, new_blocks, out)
        return b

    def inserted_row(self, tr, *, count: bool = True):
        if count:
            self.stats.rows_inserted += 1
        for tc in cells(tr):
            for el in blocks_of(tc):
                self.mark_content(el, "ins")
        _tr_mark(tr, self.change("ins"))
        return tr

    def deleted_row(self, tr_old, *, count: bool = True):
        if count:
            self.stats.rows_deleted += 1
        tr = self.import_old(tr_old)
        for tc in cells(tr):
            for el in blocks_of(tc):
                self.mark_content(el, "del")
        _tr_mark(tr, self.change("del"))
        return tr

    # ------------------------------------------------------------------ whole blocks

    def inserted(self, el, *, count: bool):
        if el.tag == w("p"):
            if count and self.new.info(el).pieces:
                self.stats.paragraphs_inserted += 1
            self.mark_content(el, "ins")
            if el.find(f"{w('pPr')}/{w('sectPr')}") is None:
                _p_mark(el, self.change("ins"))
        elif el.tag == w("tbl"):
            for tr in rows(el):
                self.inserted_row(tr)
        return el

    def deleted(self, el_old, *, count: bool):
        if el_old.tag == w("p"):
            if count and self.old.info(el_old).pieces:
                self.stats.paragraphs_deleted += 1
            p = self.import_old(el_old)
            self.mark_content(p, "del")
            _p_mark(p, self.change("del"))
            return p
        if el_old.tag == w("tbl"):
            tbl = self.import_old(el_old, rows_too=False)
            for tr in rows(el_old):
                tbl.append(self.deleted_row(tr))
            return tbl
        return None  # other body-level content cannot be tracked

    def mark_content(self, el, status: str) -> None:
        """Wrap every run under a paragraph or table in w:ins/w:del (deleted text → delText)."""
        if el.tag == w("p"):
            self._wrap_runs(el, status)
        elif el.tag == w("tbl"):
            for tr in rows(el):
                for tc in cells(tr):
                    for b in blocks_of(tc):
                        self.mark_content(b, status)
                if status == "ins":
                    _tr_mark(tr, self.change("ins"))
                else:
                    _tr_mark(tr, self.change("del"))
        elif el.tag == w("sdt"):
            content = el.find(w("sdtContent"))
            if content is not None:
                for b in list(content):
                    self.mark_content(b, status)

    def _wrap_runs(self, parent, status: str) -> None:
        children = list(parent)
        i = 0
        while i < len(children):
            c = children[i]
            if c.tag == w("r"):
                j = i
                while j < len(children) and children[j].tag == w("r"):
                    j += 1
                wrapper = self.change(status)
                c.addprevious(wrapper)
                for r in children[i:j]:
                    if status == "del":
                        _to_deleted(r)
                    wrapper.append(r)
                i = j
                continue
            if c.tag in _INLINE_WRAPPERS or c.tag in (w("hyperlink"), w("fldSimple")):
                self._wrap_runs(c, status)
            elif c.tag == w("sdt"):
                content = c.find(w("sdtContent"))
                if content is not None:
                    self._wrap_runs(content, status)
            i += 1

    def track_props(self, a, b, tag: str) -> None:
        """Record OLD's properties in NEW's as a property change (w:pPrChange,
        w:tblPrChange): rejecting it brings back e.g. a column's alignment or a totals row."""
        new_props = b.find(w(tag))
        if new_props is None:
            new_props = _el(tag)
            b.insert(0, new_props)
        old_props = a.find(w(tag))
        old_copy = self.import_old(old_props) if old_props is not None else _el(tag)
        for x in list(old_copy):
            if x.tag in (w("rPr"), w("sectPr"), w("pPrChange"), w("tblPrChange")):
                old_copy.remove(x)
        change = _el(f"{tag}Change", {"id": "0", "author": self.author, "date": self.date})
        change.append(old_copy)
        self.stats.property_changes += 1
        if tag == "pPr":
            after = [c for c in new_props if c.tag == w("pPrChange")]
            if after:
                new_props.remove(after[0])
        new_props.append(change)

    def change(self, status: str):
        """A w:ins or w:del (its w:id is set at the end, in document order)."""
        self.stats.insertions += status == "ins"
        self.stats.deletions += status == "del"
        return _el(status, {"id": "0", "author": self.author, "date": self.date})

    # ------------------------------------------------------------------ bringing in OLD's content

    def import_old(self, el, *, rows_too: bool = True):
        """A copy of OLD's element fit for NEW's package: without bookmarks, comments and
        note references; relationship ids, list numbers and drawing ids remapped. A table
        without ``rows_too`` is copied without its rows."""
        c = copy.deepcopy(el)
        if not rows_too:
            for tr in rows(c):
                c.remove(tr)
        for x in list(c.iter(*_MARKS)):
            x.getparent().remove(x)
        for ref in list(c.iter(*_NOT_FROM_OLD)):
            r = ref.getparent()
            if r is not None and r.getparent() is not None:
                r.getparent().remove(r)
        for sect in list(c.iter(w("sectPr"))):
            sect.getparent().remove(sect)
        for x in c.iter():
            for attr in (f"{{{_W14}}}paraId", f"{{{_W14}}}textId"):
                if attr in x.attrib:
                    del x.attrib[attr]
            for attr in list(x.attrib):
                if attr.startswith(f"{{{R_NS}}}"):
                    x.set(attr, self.import_rel(x.get(attr)))
        for nid in c.iter(w("numId")):
            if nid.getparent() is not None and nid.getparent().tag == w("numPr"):
                self._num_fix.append((nid, nid.get(w("val")) or ""))
        for doc_pr in c.iter(f"{{{NS['wp']}}}docPr"):
            doc_pr.set("id", str(self._next_docpr))
            self._next_docpr += 1
        return c

    def import_rel(self, rid: str | None) -> str:
        if not rid or rid not in self.old.rels:
            return rid or ""
        if rid in self._rel_map:
            return self._rel_map[rid]
        typ, target, mode = self.old.rels[rid]
        new_rels = self.new.rels
        found = None
        if mode == "External":
            for nid, (t2, tg2, m2) in new_rels.items():
                if t2 == typ and tg2 == target and m2 == "External":
                    found = nid
                    break
        else:
            data = self.old.pkg.entries.get(target)
            if data is None:
                self._rel_map[rid] = rid
                return rid
            digest = hashlib.sha256(data).hexdigest()
            for nid, (t2, tg2, m2) in new_rels.items():
                if t2 == typ and m2 != "External" and self.new.part_digest(nid) == digest:
                    found = nid
                    break
            if found is None:
                target = self._copy_part(target, data)
        if found is None:
            found = f"rIdRedline{len(self._new_rels) + 1}"
            self._new_rels.append((found, typ, target, mode))
            self.new.rels[found] = (typ, target, mode)
        self._rel_map[rid] = found
        return found

    def _copy_part(self, name: str, data: bytes) -> str:
        p = PurePosixPath(name)
        k = len(self._new_parts) + 1
        new_name = str(p.parent / f"redline-old-{k}{p.suffix}")
        while new_name in self.new.pkg.entries or new_name in self._new_parts:
            k += 1
            new_name = str(p.parent / f"redline-old-{k}{p.suffix}")
        self._new_parts[new_name] = data
        self._copy_rels(name, new_name)
        ct = self.old.pkg.xml("[Content_Types].xml")
        if ct is not None:
            for o in ct.iter(f"{{{_CT_NS}}}Override"):
                if (o.get("PartName") or "").lstrip("/") == name:
                    self._overrides[new_name] = o.get("ContentType") or ""
            for d in ct.iter(f"{{{_CT_NS}}}Default"):
                if (d.get("Extension") or "").lower() == p.suffix.lstrip(".").lower():
                    self._defaults[p.suffix.lstrip(".").lower()] = d.get("ContentType") or ""
        return new_name

    def _copy_rels(self, name: str, new_name: str) -> None:
        """The relationships of OLD's part ``name`` for its copy ``new_name``, with the parts they
        name copied too (a chart's embedded workbook): the same ids, so the copied part's
        ``r:id`` attributes stay right."""
        rels = self.old.pkg.rels(name)
        if not rels:
            return
        root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
        base = PurePosixPath(new_name).parent
        for rid in sorted(rels):
            typ, target, mode = rels[rid]
            rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship")
            rel.set("Id", rid)
            rel.set("Type", typ)
            if mode == "External":
                rel.set("Target", target)
                rel.set("TargetMode", "External")
                continue
            data = self.old.pkg.entries.get(target)
            copied = self._copy_part(target, data) if data is not None else target
            rel.set("Target", _relative(base, copied))
        self._new_parts[self.new.pkg.rels_name(new_name)] = _xml_bytes(root)

    # ------------------------------------------------------------------ numbering

    def resolve_numbering(self) -> None:
        if not self._num_fix:
            return
        imported: dict[str, str] = {}
        for el, old_id in self._num_fix:
            if old_id in ("", "0"):
                continue
            new_id = self.num_map.get(old_id) or imported.get(old_id)
            if new_id is None:
                new_id = imported[old_id] = self._import_num(old_id)
            el.set(w("val"), new_id)

    def _numbering_root(self):
        if self._numbering is None:
            name = self.new.pkg.related(self.new.pkg.main, RT_NUMBERING)
            if name is not None and self.new.pkg.xml(name) is not None:
                self._numbering = (name, self.new.pkg.xml(name))
            else:
                name = "word/numbering.xml"
                while name in self.new.pkg.entries:
                    name = name.replace(".xml", "-redline.xml")
                rid = f"rIdRedline{len(self._new_rels) + 1}"
                self._new_rels.append((rid, RT_NUMBERING, name, "Internal"))
                self._overrides[name] = _CT_NUMBERING
                self._numbering = (name, _el("numbering"))
        return self._numbering

    def _import_num(self, old_id: str) -> str:
        old_root = self.old.pkg.xml(self.old.pkg.related(self.old.pkg.main, RT_NUMBERING) or "")
        if old_root is None:
            return "0"
        num = next((x for x in old_root.iter(w("num")) if x.get(w("numId")) == old_id), None)
        if num is None:
            return "0"
        aid_el = num.find(w("abstractNumId"))
        aid = aid_el.get(w("val")) if aid_el is not None else None
        abstract = next((x for x in old_root.iter(w("abstractNum"))
                         if x.get(w("abstractNumId")) == aid), None)
        _, root = self._numbering_root()
        self._numbering_changed = True
        new_aid = None
        if abstract is not None:
            want = _canonical_abstract(abstract)
            for x in root.iter(w("abstractNum")):
                if _canonical_abstract(x) == want:
                    new_aid = x.get(w("abstractNumId"))
                    break
            if new_aid is None:
                ids = [int(x.get(w("abstractNumId")) or 0) for x in root.iter(w("abstractNum"))]
                new_aid = str(max(ids or [-1]) + 1)
                a = copy.deepcopy(abstract)
                a.set(w("abstractNumId"), new_aid)
                for nsid in a.findall(w("nsid")):
                    a.remove(nsid)
                existing = root.findall(w("abstractNum"))
                if existing:
                    existing[-1].addnext(a)
                else:
                    root.insert(0, a)
        nums = [int(x.get(w("numId")) or 0) for x in root.iter(w("num"))]
        new_id = str(max(nums or [0]) + 1)
        n = copy.deepcopy(num)
        n.set(w("numId"), new_id)
        if new_aid is not None and n.find(w("abstractNumId")) is not None:
            n.find(w("abstractNumId")).set(w("val"), new_aid)
        cleanup = root.find(w("numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(n)
        else:
            root.append(n)
        return new_id

    # ------------------------------------------------------------------ finishing

    def number_changes(self) -> None:
        tracked = list(self.new.root.iter(w("ins"), w("del"), w("pPrChange"), w("tblPrChange")))
        tracked_ids = {id(t) for t in tracked}
        other = [int(v) for el in self.new.root.iter() if id(el) not in tracked_ids
                 for v in [el.get(w("id"))] if v is not None and v.lstrip("-").isdecimal()]
        next_id = max(other or [0]) + 1
        for t in tracked:
            t.set(w("id"), str(next_id))
            next_id += 1

    def package_changes(self) -> dict[str, bytes]:
        pkg = self.new.pkg
        out = {pkg.main: _xml_bytes(self.new.root)}
        out.update(self._new_parts)
        if self._numbering_changed:
            name, root = self._numbering_root()
            out[name] = _xml_bytes(root)
        if self._new_rels:
            rels_name = pkg.rels_name(pkg.main)
            root = pkg.xml(rels_name)
            if root is None:
                root = etree.Element(f"{{{PKG_REL_NS}}}Relationships", nsmap={None: PKG_REL_NS})
            base = PurePosixPath(pkg.main).parent
            for rid, typ, target, mode in self._new_rels:
                rel = etree.SubElement(root, f"{{{PKG_REL_NS}}}Relationship")
                rel.set("Id", rid)
                rel.set("Type", typ)
                if mode == "External":
                    rel.set("Target", target)
                    rel.set("TargetMode", "External")
                else:
                    rel.set("Target", _relative(base, target))
            out[rels_name] = _xml_bytes(root)
        if self._overrides or self._defaults:
            ct = pkg.xml("[Content_Types].xml")
            if ct is not None:
                have_defaults = {(d.get("Extension") or "").lower() for d in
                                 ct.iter(f"{{{_CT_NS}}}Default")}
                have_overrides = {(o.get("PartName") or "") for o in
                                  ct.iter(f"{{{_CT_NS}}}Override")}
                for ext, typ in sorted(self._defaults.items()):
                    if ext not in have_defaults:
                        d = etree.Element(f"{{{_CT_NS}}}Default")
                        d.set("Extension", ext)
                        d.set("ContentType", typ)
                        first_override = ct.find(f"{{{_CT_NS}}}Override")
                        if first_override is not None:
                            first_override.addprevious(d)
                        else:
                            ct.append(d)
                for name, typ in sorted(self._overrides.items()):
                    if "/" + name not in have_overrides:
                        o = etree.SubElement(ct, f"{{{_CT_NS}}}Override")
                        o.set("PartName", "/" + name)
                        o.set("ContentType", typ)
                out["[Content_Types].xml"] = _xml_bytes(ct)
        return out


# ============================================================================ what changed in a chart


def _rows(data: charts.ChartData) -> dict[tuple[str, int], dict[tuple[str, int], Decimal]]:
    """category → series → value, each keyed by its label and which occurrence of it it is."""
    series = _occurrences([label for label, _ in data.series])
    out: dict = {}
    for i, cat in enumerate(_occurrences(list(data.categories))):
        out[cat] = {s: values[i] for s, (_, values) in zip(series, data.series)}
    return out


def _occurrences(labels: list[str]) -> list[tuple[str, int]]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        out.append((label, seen.get(label, 0)))
        seen[label] = seen.get(label, 0) + 1
    return out


def chart_changes(old: charts.ChartData | None, new: charts.ChartData | None) -> list[str]:
    """What changed between two charts' data, one line each, in Swedish with the values as the
    chart's data table writes them: ``2020, Utbetalt: 36,9681329 → 36,9781329 mnkr`` (the
    series is named when the chart has more than one), a category or series added or removed,
    the unit, the order of the bars."""
    if old is None or new is None:
        return [] if old is new else ["Diagrammets data kan inte läsas i ena dokumentet."]
    out: list[str] = []
    unit = f"\u00a0{new.unit}" if new.unit else ""
    old_unit = f"\u00a0{old.unit}" if old.unit else ""
    if old.unit != new.unit:
        out.append(f"Enhet: {old.unit or '–'} → {new.unit or '–'}")
    a, b = _rows(old), _rows(new)
    a_series = _occurrences([label for label, _ in old.series])
    b_series = _occurrences([label for label, _ in new.series])
    named = len(b_series) > 1 or len(a_series) > 1

    def where(cat: tuple[str, int], s: tuple[str, int]) -> str:
        return f"{cat[0]}, {s[0]}" if named else cat[0]

    def values(row: dict, u: str) -> str:
        if not named:
            return "".join(f"{charts.table_number(v)}{u}" for v in row.values())
        return "(" + ", ".join(f"{s[0]} {charts.table_number(v)}{u}" for s, v in row.items()) + ")"

    for s in b_series:
        if s not in a_series:
            out.append(f"Ny serie: {s[0]}")
    for s in a_series:
        if s not in b_series:
            out.append(f"Borttagen serie: {s[0]}")
    for cat, row in b.items():
        if cat not in a:
            out.append(f"Ny: {cat[0]} {values(row, unit)}")
            continue
        for s, v in row.items():
            before = a[cat].get(s)
            if before is not None and before != v:
                out.append(f"{where(cat, s)}: {charts.table_number(before)}"
                           f"{old_unit if old_unit != unit else ''} → {charts.table_number(v)}{unit}")
    for cat, row in a.items():
        if cat not in b:
            out.append(f"Borttagen: {cat[0]} {values(row, old_unit)}")
    # The bars that moved. A chart that ranks its bars moves the one whose value changed, not
    # every bar it passes: the bars whose values stayed keep the longest run they can in order,
    # and a bar moved when it is outside that run, or (its value changed) when it stands
    # before or after other bars of that run than it did.
    common_a = [c for c in a if c in b]
    common_b = [c for c in b if c in a]
    if common_a != common_b:
        both = [s for s in b_series if s in a_series]
        changed = {c for c in common_b if any(a[c][s] != b[c][s] for s in both)}
        stable_a = [c for c in common_a if c not in changed]
        stable_b = [c for c in common_b if c not in changed]
        kept = {stable_b[m.b + k] for m in SequenceMatcher(None, stable_a, stable_b, autojunk=False)
                .get_matching_blocks() for k in range(m.size)}
        pos_a = {c: i for i, c in enumerate(common_a)}
        pos_b = {c: i for i, c in enumerate(common_b)}

        def moved(c) -> bool:
            if c not in changed:
                return c not in kept
            return ({x for x in kept if pos_a[x] < pos_a[c]}
                    != {x for x in kept if pos_b[x] < pos_b[c]})

        shown = [c for c in common_b if moved(c)] or [c for c in common_b if pos_a[c] != pos_b[c]]
        old_place = {c: i + 1 for i, c in enumerate(a)}
        new_place = {c: i + 1 for i, c in enumerate(b)}
        out.append("Ny plats i ordningen: " + ", ".join(
            f"{c[0]} {old_place[c]} → {new_place[c]}" for c in shown))
    return out


def alt_changes(old: str, new: str, data_changed: bool) -> list[str]:
    """The alt text's change. A chart's alt text states its figures in its order, so when the
    data changed and the alt text still has the same words (numbers and order aside), one line
    says so; otherwise the words that differ are shown (text_changes)."""
    if old == new:
        return []
    if data_changed and Counter(_LETTERS.findall(old)) == Counter(_LETTERS.findall(new)):
        return ["Alternativtexten anger de nya värdena."]
    return [f"Alternativtext: {x}" for x in text_changes(old, new)]


_LETTERS = re.compile(r"[^\W\d_]+")


def text_changes(old: str, new: str, context: int = 3) -> list[str]:
    """The words that differ between two texts (an alt text), each stretch with a few words
    around it: ``”…utbetalt 37,0 mnkr…” → ”…utbetalt 37,1 mnkr…”``."""
    a, b = old.split(), new.split()
    hunks: list[list[int]] = []  # [i1, i2, j1, j2], stretches closer than 2 × context joined
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if hunks and i1 - hunks[-1][1] <= 2 * context:
            hunks[-1][1], hunks[-1][3] = i2, j2
        else:
            hunks.append([i1, i2, j1, j2])
    return [f"{_quote(a, max(0, i1 - context), min(len(a), i2 + context))} → "
            f"{_quote(b, max(0, j1 - context), min(len(b), j2 + context))}"
            for i1, i2, j1, j2 in hunks]


def _quote(ws: list[str], lo: int, hi: int) -> str:
    return "”" + ("…" if lo > 0 else "") + " ".join(ws[lo:hi]) + ("…" if hi < len(ws) else "") + "”"


# ============================================================================ building runs


class _Emitter:
    """Appends pieces to a paragraph, grouping them into hyperlinks, w:ins/w:del and runs."""

    def __init__(self, rl: _Redline, p) -> None:
        self.rl = rl
        self.p = p
        self.link_src = None
        self.link_el = None
        self.wrap_status: str | None = None
        self.wrap_el = None
        self.run_src = None
        self.run_el = None
        self.text_el = None

    def close_run(self) -> None:
        self.run_src = self.run_el = self.text_el = None

    def close_wrap(self) -> None:
        self.close_run()
        self.wrap_status = None
        self.wrap_el = None

    def close_link(self) -> None:
        self.close_wrap()
        self.link_src = self.link_el = None

    def mark(self, el) -> None:
        self.close_link()
        self.p.append(el)

    def piece(self, pc: _Piece, status: str, *, old: bool) -> None:
        if pc.link is not self.link_src:
            self.close_link()
            if pc.link is not None:
                shell = pc.link.makeelement(pc.link.tag, dict(pc.link.attrib))
                if old:
                    for attr in list(shell.attrib):
                        if attr.startswith(f"{{{R_NS}}}"):
                            shell.set(attr, self.rl.import_rel(shell.get(attr)))
                self.p.append(shell)
                self.link_el = shell
            self.link_src = pc.link
        parent = self.link_el if self.link_el is not None else self.p
        if pc.run is None:  # a paragraph-level object: cannot be tracked
            self.close_wrap()
            if status != "del":
                parent.append(copy.deepcopy(pc.el) if not old else self.rl.import_old(pc.el))
            return
        if status != self.wrap_status:
            self.close_wrap()
            self.wrap_status = status
            if status != "eq":
                self.wrap_el = self.rl.change(status)
                parent.append(self.wrap_el)
        target = self.wrap_el if self.wrap_el is not None else parent
        if self.run_el is None or self.run_src is not pc.run:
            self.close_run()
            r = _el("r")
            rpr = pc.run.find(w("rPr"))
            if rpr is not None:
                rpr = copy.deepcopy(rpr)
                for x in rpr.findall(w("rPrChange")):
                    rpr.remove(x)
                if old:
                    for x in rpr.iter():
                        for attr in list(x.attrib):
                            if attr.startswith(f"{{{R_NS}}}"):
                                x.set(attr, self.rl.import_rel(x.get(attr)))
                r.append(rpr)
            target.append(r)
            self.run_el, self.run_src = r, pc.run
        if pc.text is not None:
            if self.text_el is None:
                self.text_el = _el("delText" if status == "del" else "t")
                self.text_el.set(_XML_SPACE, "preserve")
                self.text_el.text = ""
                self.run_el.append(self.text_el)
            self.text_el.text += pc.text
            return
        if old and pc.el.tag in _NOT_FROM_OLD:
            return  # a reference to OLD's footnotes or comments
        if old:
            holder = _el("r")
            holder.append(copy.deepcopy(pc.el))
            el = self.rl.import_old(holder)[0]
        else:
            el = copy.deepcopy(pc.el)
        if status == "del":
            _to_deleted(el)
        self.run_el.append(el)
        self.text_el = None


def _cleanup(ops: list, pieces_a: list[_Piece]) -> list:
    """Fold short equal stretches (only spaces and punctuation) between two changes into the
    change, so that a rewritten phrase reads as one deletion and one insertion."""
    out: list = []
    for k, op in enumerate(ops):
        tag, i1, i2, j1, j2 = op
        if (tag == "equal" and 0 < k < len(ops) - 1
                and all(pc.text is not None and not any(ch.isalnum() for ch in pc.text)
                        for pc in pieces_a[i1:i2])
                and i2 - i1 <= 2):
            tag = "replace"
        if out and tag != "equal" and out[-1][0] != "equal":
            _, a1, _, b1, _ = out[-1]
            out[-1] = ("replace", a1, i2, b1, j2)
        else:
            out.append((tag, i1, i2, j1, j2))
    return out


# ============================================================================ small XML helpers


_PROPERTY_CHILDREN = {w(t) for t in ("tcPr", "tblPr", "tblGrid", "trPr", "tblPrEx")}


def _place(parent, before: list, after: list) -> None:
    """Make ``after`` the sequence of ``parent``'s children that ``before`` was. Elements of
    ``before`` that stay keep their place (they are in order in ``after``); only the others move.
    Moving a large subtree is slow in lxml, so unchanged tables are never taken out and put back.
    """
    keep = {id(el) for el in after}
    first = before[0] if before else None
    anchor = None  # the element the next one goes after
    if first is not None:
        anchor = first.getprevious()
    for el in before:
        if id(el) not in keep and el.getparent() is parent:
            parent.remove(el)
    for el in after:
        if el.getparent() is parent and (anchor is None and el.getprevious() is None
                                         or anchor is not None and el.getprevious() is anchor):
            anchor = el
            continue
        if anchor is None:
            # First of all: before the first child that is not a property element (a body's
            # closing w:sectPr included), else at the end.
            nxt = next((c for c in parent if c.tag not in _PROPERTY_CHILDREN), None)
            if nxt is None:
                parent.append(el)
            else:
                nxt.addprevious(el)
        else:
            anchor.addnext(el)
        anchor = el


def _el(tag: str, attrs: dict[str, str] | None = None):
    el = etree.Element(w(tag), nsmap={"w": W_NS})
    for k, v in (attrs or {}).items():
        el.set(w(k), v)
    return el


def _xml_bytes(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _relative(base: PurePosixPath, target: str) -> str:
    base_parts = [p for p in base.parts if p]
    parts = target.split("/")
    k = 0
    while k < len(base_parts) and k < len(parts) - 1 and base_parts[k] == parts[k]:
        k += 1
    return "/".join([".."] * (len(base_parts) - k) + parts[k:])


def _to_deleted(el) -> None:
    for t in list(el.iter(w("t"), w("instrText"))):
        t.tag = w("delText") if t.tag == w("t") else w("delInstrText")


def _num_id(p) -> str | None:
    nid = p.find(f"{w('pPr')}/{w('numPr')}/{w('numId')}")
    return nid.get(w("val")) if nid is not None else None


def _canonical_abstract(a) -> bytes:
    c = copy.deepcopy(a)
    c.attrib.pop(w("abstractNumId"), None)
    for tag in ("nsid", "tmpl"):
        for x in c.findall(w(tag)):
            c.remove(x)
    return etree.tostring(c)


def _mark_deleted(p) -> bool:
    return p.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None


def _mark_tracked(el) -> bool:
    if el.tag != w("p"):
        return False
    rpr = el.find(f"{w('pPr')}/{w('rPr')}")
    return rpr is not None and (rpr.find(w("ins")) is not None or rpr.find(w("del")) is not None)


def _p_mark(p, change) -> None:
    """Track the paragraph mark: w:pPr/w:rPr/(w:ins|w:del), first in rPr."""
    ppr = p.find(w("pPr"))
    if ppr is None:
        ppr = _el("pPr")
        p.insert(0, ppr)
    rpr = ppr.find(w("rPr"))
    if rpr is None:
        rpr = _el("rPr")
        after = [c for c in ppr if c.tag in (w("sectPr"), w("pPrChange"))]
        if after:
            after[0].addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, change)


def _tr_mark(tr, change) -> None:
    """Track a row: w:trPr/(w:ins|w:del), after the other row properties."""
    trpr = tr.find(w("trPr"))
    if trpr is None:
        trpr = _el("trPr")
        prex = tr.find(w("tblPrEx"))
        if prex is not None:
            prex.addnext(trpr)
        else:
            tr.insert(0, trpr)
    for old in trpr.findall(w("ins")) + trpr.findall(w("del")):
        trpr.remove(old)
    change_el = trpr.find(w("trPrChange"))
    if change_el is not None:
        change_el.addprevious(change)
    else:
        trpr.append(change)
