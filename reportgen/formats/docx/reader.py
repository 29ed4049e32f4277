""".docx → document tree: the way back from Word, for diffs, redlines and checks.

``read_docx`` turns a Word document into the same :class:`~reportgen.document.tree.Document`
the writers consume. For a document reportgen wrote, ``write_markdown(read_docx(x)[0])`` is the
Markdown draft written beside it (the cover, headers and footers are not part of the tree and are
skipped). For other documents it reads what the tree can hold:

* headings, by style (``heading 1``… and localized names such as ``Rubrik 1``) or outline level;
* paragraphs with bold, italic, code (the ``HTML Code`` character style or a monospace font),
  hyperlinks (external targets and ``#bookmark`` anchors) and line breaks;
* bulleted and numbered lists from ``w:numPr`` (on the paragraph or its style), nested by level,
  ``List Continue`` paragraphs as further paragraphs of an item;
* tables: the first row is the header (Word's repeated ``w:tblHeader`` row sits there);
  alignment from the header cells (or, when they have none, from the body cells);
  ``tblLook lastRow`` marks a totals row;
  the ``caption``-styled paragraph right before a table (or right after one without it) is its
  caption;
* figures (a paragraph holding only a picture): ``descr`` is the alternative text, the picture's
  name its source path, a caption paragraph right after it its caption; a native chart is a
  figure with its data (from the chart part's cache) as a table, named by ``wp:docPr/@name``;
* a page-break paragraph, a ``TOC`` field (or a table-of-contents content control), ``Quote``
  paragraphs as a block quote.

What the tree cannot hold is left out: text boxes, comments, footnotes, fields other than
their results, cell merges (a merged cell reads as its first cell plus empty ones). Tracked
changes are read as if accepted (with a warning).

Things a .docx cannot tell apart, so that the round trip is not exact for every tree (none of
them occurs in the deliverables; tests/test_diff.py pins them):

* two bullet lists in a row read as one list (Word numbers them from one ``w:num``); a table,
  figure, heading or quote inside a list item ends the list;
* bold in a table's header and totals rows (the writer sets those rows in bold anyway);
* overlapping bold/italic/link spans are nested one canonical way (``**a *b***`` may come back
  as ``**a** ***b***``-like nesting with the same look);
* a hyperlink's target comes back as stored in the relationship (percent-encoded where the
  writer encoded it).

The XML is parsed with lxml with entity resolution, DTD loading and network access off; a part
that declares a DOCTYPE is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

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
    normalize,
)
from reportgen.findings import Finding, Location, error, warning
from reportgen.ooxml import charts
from reportgen.ooxml.ns import NS, RT, qn, w
from reportgen.ooxml.numbering import Numbering
from reportgen.ooxml.package import Package, open_package
from reportgen.ooxml.parser import DocxError, parse
from reportgen.ooxml.revisions import accept_all, has_revisions
from reportgen.ooxml.styles import StyleSheet, numpr

__all__ = ["NS", "DocxError", "Numbering", "Package", "StyleSheet", "load_package",
           "read_docx", "read_docx_text", "safe_fromstring"]

R_ID = qn("r:id")
R_EMBED = qn("r:embed")
W_VAL = w("val")
MONO_FONTS = {"courier new", "courier", "consolas", "menlo", "monaco", "liberation mono",
              "dejavu sans mono", "lucida console", "source code pro"}


def safe_fromstring(data: bytes, name: str = "part"):
    """Parse one XML part (see ``reportgen.ooxml.parser.parse``)."""
    return parse(data, name)


def load_package(source: str | Path | bytes | BinaryIO) -> Package:
    """Open a .docx from a path, bytes or a binary file object, with the limits of the bounded
    package reader (``reportgen.ooxml.package``). Raises DocxError."""
    return open_package(source)


_numpr = numpr


# ============================================================================ reading


def read_docx(source: str | Path | bytes | BinaryIO, *, skip_cover: bool = True,
              name: str | None = None) -> tuple[Document, list[Finding]]:
    """Read a .docx into a canonical (``tree.normalize``-d) Document, with findings.

    ``source`` is a path, the bytes or a binary file. ``skip_cover`` leaves out a cover page: a
    first section (ended by a section break) that holds only paragraphs, one of them in the
    Title or Subtitle style, and no heading, list, table or contents. Never raises for a bad file:
    it gives an empty Document and an error finding.
    """
    where = Location(name or (str(source) if isinstance(source, (str, Path)) else "<docx>"))
    try:
        pkg = load_package(source)
        root = pkg.xml(pkg.main)
    except DocxError as exc:
        return Document(()), [error("docx-read.unreadable", f"cannot read the .docx: {exc}", where)]
    findings: list[Finding] = []
    body = root.find(w("body")) if root is not None else None
    if body is None:
        return Document(()), [error("docx-read.unreadable", "the document has no w:body", where)]
    if has_revisions(body):
        body = accept_all(_copy(body))
        findings.append(warning("docx-read.tracked-changes",
                                "the document has tracked changes; it is read as if all were "
                                "accepted", where))
    try:
        styles = StyleSheet(pkg.xml(pkg.related(pkg.main, RT.STYLES)))
        numbering = Numbering(pkg.xml(pkg.related(pkg.main, RT.NUMBERING)))
    except DocxError as exc:
        return Document(()), [error("docx-read.unreadable", f"cannot read the .docx: {exc}", where)]
    reader = _Reader(styles, numbering, pkg.rels(pkg.main), where, findings, pkg)
    blocks = reader.body(list(body), skip_cover=skip_cover)
    return normalize(Document(tuple(blocks))), findings


@dataclass
class DocxPart:
    """A stretch of a document's body: text from one place of the inputs (``place``), or
    generated text (``place`` None)."""

    place: str | None
    blocks: tuple[Block, ...]


def read_docx_parts(source: str | Path | bytes | BinaryIO, *, bookmarks: Mapping[str, str] | None = None,
                    tracked: str = "accept", skip_cover: bool = True,
                    name: str | None = None) -> tuple[list[DocxPart], list[Finding]]:
    """The body of a .docx in parts, each either from one place of the inputs or generated.

    A part from the inputs is a content control tagged ``src:<place>`` (see
    ``ooxml.provenance``) or, where there are no such controls (a document LibreOffice saved), the
    blocks a bookmark named in ``bookmarks`` (name → place) spans. ``tracked``: "accept" or
    "reject" the document's tracked changes first. Each part is read as ``read_docx`` reads a
    body, so the blocks of all parts together are what ``read_docx`` gives.
    """
    from reportgen.ooxml.provenance import source_place
    from reportgen.ooxml.revisions import reject_all

    where = Location(name or (str(source) if isinstance(source, (str, Path)) else "<docx>"))
    try:
        pkg = load_package(source)
        root = pkg.xml(pkg.main)
        body = root.find(w("body")) if root is not None else None
        if body is None:
            raise DocxError("the document has no w:body")
        styles = StyleSheet(pkg.xml(pkg.related(pkg.main, RT.STYLES)))
        numbering = Numbering(pkg.xml(pkg.related(pkg.main, RT.NUMBERING)))
    except DocxError as exc:
        return [], [error("docx-read.unreadable", f"cannot read the .docx: {exc}", where)]
    findings: list[Finding] = []
    if has_revisions(body):
        body = (accept_all if tracked == "accept" else reject_all)(_copy(body))
    reader = _Reader(styles, numbering, pkg.rels(pkg.main), where, findings, pkg)
    controls = any(source_place(sdt) is not None for sdt in body.iter(w("sdt")))
    # (place, element) for each body-level block, in order.
    placed: list[tuple[str | None, object]] = []
    if controls:
        for el in body:
            place = source_place(el) if el.tag == w("sdt") else None
            content = el.find(w("sdtContent")) if place is not None else None
            for item in reader.flatten(list(content) if content is not None else [el]):
                placed.append((place, item))
    else:
        names = dict(bookmarks or {})
        marks = (w("bookmarkStart"), w("bookmarkEnd"))
        # Each bookmark spans from the first block holding a start of its name to the last block
        # holding an end of it (LibreOffice may write one bookmark as several of the same name);
        # an end before any text of its paragraph ends the span before that paragraph.
        rows: list[tuple[list, list[str], list[tuple[str, bool]]]] = []  # items, starts, ends
        id_name: dict[str, str] = {}
        for el in body:
            items = [] if el.tag in marks else reader.flatten([el])
            starts: list[str] = []
            ends: list[tuple[str, bool]] = []  # (id, after some text)
            seen_text = False
            for mark in ([el] if el.tag in marks else el.iter(w("t"), *marks)):
                if mark.tag == w("t"):
                    seen_text = seen_text or bool(mark.text)
                elif mark.tag == w("bookmarkStart"):
                    if mark.get(w("name")) in names:
                        id_name[mark.get(w("id"))] = mark.get(w("name"))
                        starts.append(mark.get(w("name")))
                else:
                    ends.append((mark.get(w("id")), seen_text))
            rows.append((items, starts, ends))
        span: dict[str, list[int]] = {}
        for k, (items, starts, ends) in enumerate(rows):
            for mark_name in starts:
                span.setdefault(mark_name, [k, k])
            for mark_id, after_text in ends:
                mark_name = id_name.get(mark_id)
                if mark_name in span:
                    span[mark_name][1] = max(span[mark_name][1], k if after_text or not items else k - 1)
        place_at: dict[int, str] = {}
        for mark_name, (first, last) in sorted(span.items(), key=lambda x: x[1]):
            for k in range(first, last + 1):
                place_at.setdefault(k, names[mark_name])
        for k, (items, _, _) in enumerate(rows):
            for item in items:
                placed.append((place_at.get(k), item))
    parts: list[DocxPart] = []
    k = 0
    while k < len(placed):
        place = placed[k][0]
        j = k
        while j < len(placed) and placed[j][0] == place:
            j += 1
        elements = [item for _, item in placed[k:j]]
        if skip_cover and not parts and place is None:
            elements = reader._skip_cover(elements)
        parts.append(DocxPart(place, normalize(Document(tuple(reader.blocks(elements)))).blocks))
        k = j
    return parts, findings


def read_docx_text(source: str | Path | bytes | BinaryIO, **kwargs) -> tuple[str, list[Finding]]:
    """The normalized Markdown of a .docx (what ``reportgen docx-text`` prints)."""
    from reportgen.formats.markdown.writer import write_markdown

    doc, findings = read_docx(source, **kwargs)
    return write_markdown(doc), findings


def _copy(el):
    import copy

    return copy.deepcopy(el)


@dataclass
class _Unit:
    """One piece of running text: a text run, a code run or a line break."""

    kind: str  # text, code, br
    text: str
    fmt: frozenset  # {"b", "i"}
    link: object = None  # the w:hyperlink element it sits in, or None
    url: str = ""


@dataclass
class _Para:
    el: object
    kind: str  # heading, list, continue, caption, quote, toc_heading, title, page, figure, para
    level: int = 0
    num: tuple[str, int] | None = None
    blank: bool = False


_BLOCK_WRAPPERS = {w("sdt"), w("customXml")}


class _Reader:
    def __init__(self, styles: StyleSheet, numbering: Numbering,
                 rels: dict[str, tuple[str, str, str]], where: Location,
                 findings: list[Finding], pkg: Package | None = None) -> None:
        self.pkg = pkg  # for the parts figures refer to (charts)
        self.styles = styles
        self.numbering = numbering
        self.rels = rels
        self.where = where
        self.findings = findings
        self._warned: set[str] = set()

    def warn_once(self, code: str, message: str) -> None:
        if code not in self._warned:
            self._warned.add(code)
            self.findings.append(warning(code, message, self.where))

    # ------------------------------------------------------------------ block level

    def flatten(self, elements: Iterable) -> list:
        """Body-level w:p and w:tbl (content controls and custom XML unwrapped); a table of
        contents content control becomes the marker string "toc"."""
        out = []
        for el in elements:
            if el.tag in (w("p"), w("tbl")):
                out.append(el)
            elif el.tag == w("sdt"):
                gallery = el.find(f"{w('sdtPr')}/{w('docPartObj')}/{w('docPartGallery')}")
                if gallery is not None and "table of contents" in (gallery.get(W_VAL) or "").lower():
                    out.append("toc")
                    continue
                content = el.find(w("sdtContent"))
                if content is not None:
                    out.extend(self.flatten(content))
            elif el.tag == w("customXml"):
                out.extend(self.flatten(el))
            elif el.tag == f"{{{NS['mc']}}}AlternateContent":
                choice = el.find(f"{{{NS['mc']}}}Choice")
                if choice is not None:
                    out.extend(self.flatten(choice))
        return out

    def body(self, children: list, *, skip_cover: bool) -> list[Block]:
        elements = self.flatten(children)
        if skip_cover:
            elements = self._skip_cover(elements)
        return self.blocks(elements)

    def _skip_cover(self, elements: list) -> list:
        for k, el in enumerate(elements):
            if isinstance(el, str) or el.tag != w("p"):
                return elements
            if el.find(f"{w('pPr')}/{w('sectPr')}") is not None:
                break
        else:
            return elements
        if k == len(elements) - 1:
            return elements
        kinds = [self.classify(p) for p in elements[:k + 1]]
        if any(c.kind in ("heading", "list", "caption", "figure") for c in kinds):
            return elements
        if any(self._starts_toc(p) for p in elements[:k + 1]):
            return elements
        if not any(c.kind == "title" for c in kinds):
            return elements
        return elements[k + 1:]

    def classify(self, p) -> _Para:
        ppr = p.find(w("pPr"))
        sid = None
        own_num = None
        outline = None
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            sid = ps.get(W_VAL) if ps is not None else None
            own_num = _numpr(ppr.find(w("numPr")))
            o = ppr.find(w("outlineLvl"))
            if o is not None and (o.get(W_VAL) or "").isdecimal():
                outline = int(o.get(W_VAL))
        sid = sid or self.styles.default_paragraph
        texts = self._has_text(p)
        if not texts:
            if _only_page_break(p):
                return _Para(p, "page")
            if p.find(f".//{w('drawing')}//{{{NS['pic']}}}pic") is not None or \
                    p.find(f".//{w('drawing')}//{{{charts.CHART_NS}}}chart") is not None:
                return _Para(p, "figure")
        level = self.styles.heading_level(sid)
        if outline is not None:
            level = outline + 1 if outline < 9 else None
        if level is not None:
            return _Para(p, "heading", level=level)
        num = own_num if own_num is not None else None
        style_num = self.styles.num(sid)
        if num is None:
            num = style_num
        elif num[0] is None and style_num is not None:
            num = (style_num[0], num[1])
        elif num[1] is None and style_num is not None:
            num = (num[0], style_num[1])
        if num is not None and num[0] not in (None, "0") and num[0] in self.numbering.nums:
            level = num[1]
            if level is None:
                # Word's "List Bullet 2", "List Number 3"... number one level deeper each,
                # often with a list of their own at level 0.
                level = self.styles.list_level(sid) or 0
            return _Para(p, "list", level=level, num=(num[0], num[1] or 0))
        role = self.styles.role(sid)
        if role and role.startswith("continue"):
            return _Para(p, "continue", level=int(role[8:]), blank=not texts)
        if role in ("caption", "quote", "toc_heading", "title"):
            return _Para(p, role, blank=not texts)
        return _Para(p, "para", blank=not texts)

    @staticmethod
    def _has_text(p) -> bool:
        for el in p.iter(w("t"), w("tab"), w("br"), w("cr"), w("noBreakHyphen"), w("sym"),
                         w("hyperlink")):
            if el.tag == w("t"):
                if el.text:
                    return True
            elif el.tag == w("br"):
                if el.get(w("type")) in (None, "textWrapping"):
                    return True
            else:
                return True
        return False

    @staticmethod
    def _starts_toc(p) -> bool:
        if isinstance(p, str):
            return p == "toc"
        if p.tag != w("p"):
            return False
        instr = None
        for el in p.iter(w("fldChar"), w("instrText")):
            if el.tag == w("fldChar"):
                kind = el.get(w("fldCharType"))
                if kind == "begin":
                    instr = ""
                elif instr is not None:
                    break
            elif instr is not None:
                instr += el.text or ""
        return instr is not None and instr.strip().upper().startswith("TOC")

    def blocks(self, elements: list) -> list[Block]:
        out: list[Block] = []
        lists: list[dict] = []  # open lists, outermost first
        # Drop blank plain paragraphs (an empty paragraph shows nothing; Word ends a document
        # and every cell with one, and separates tables with one).
        items: list = []
        for el in elements:
            if isinstance(el, str) or el.tag == w("tbl"):
                items.append(el)
                continue
            c = self.classify(el)
            if c.blank and c.kind in ("para", "caption", "quote", "toc_heading", "title",
                                      "continue") and el.find(f".//{w('fldChar')}") is None:
                continue
            items.append(c)

        def close_lists() -> None:
            lists.clear()

        i = 0
        n = len(items)
        while i < n:
            it = items[i]
            if isinstance(it, str):  # a table-of-contents content control
                close_lists()
                out.append(TableOfContents())
                i += 1
                continue
            if not isinstance(it, _Para):  # a table
                close_lists()
                caption = None
                if out and isinstance(out[-1], _PendingCaption):
                    caption = out.pop().text
                elif (i + 1 < n and isinstance(items[i + 1], _Para)
                      and items[i + 1].kind == "caption"
                      and not (i + 2 < n and not isinstance(items[i + 2], (_Para, str)))):
                    caption = self.plain(items[i + 1].el)
                    i += 1
                out.append(self.table(it, caption))
                i += 1
                continue
            c = it
            if out and isinstance(out[-1], _PendingCaption):
                # A caption that no table followed is an ordinary paragraph.
                pend = out.pop()
                out.append(Paragraph(self.inlines(pend.el)))
            if c.kind == "toc_heading" and i + 1 < n and self._starts_toc(
                    items[i + 1].el if isinstance(items[i + 1], _Para) else items[i + 1]):
                i += 1
                continue
            if self._starts_toc(c.el):
                close_lists()
                out.append(TableOfContents())
                i = self._skip_field(items, i)
                continue
            if c.kind == "page":
                close_lists()
                out.append(PageBreak())
            elif c.kind == "figure":
                close_lists()
                caption = ""
                if (i + 1 < n and isinstance(items[i + 1], _Para) and items[i + 1].kind == "caption"
                        and not (i + 2 < n and not isinstance(items[i + 2], (_Para, str))
                                 and _keep_next(items[i + 1].el))):
                    # A caption between a figure and a table is the table's when it is kept
                    # with the next paragraph (as reportgen writes table captions).
                    caption = self.plain(items[i + 1].el)
                    i += 1
                out.append(self.figure(c.el, caption))
            elif c.kind == "heading":
                close_lists()
                out.append(Heading(c.level, self.inlines(c.el, single_line=True)))
            elif c.kind == "list":
                self.list_item(c, lists, out)
            elif c.kind == "continue" and lists:
                target = None
                for lst in reversed(lists):
                    if lst["level"] <= c.level - 1 or c.level >= 3:
                        target = lst
                        break
                if target is None:
                    target = lists[0]
                while lists and lists[-1] is not target:
                    lists.pop()
                target["items"][-1].append(Paragraph(self.inlines(c.el)))
            elif c.kind == "caption":
                close_lists()
                out.append(_PendingCaption(c.el, self.plain(c.el)))
            elif c.kind == "quote":
                close_lists()
                para = Paragraph(self.inlines(c.el))
                if out and isinstance(out[-1], _OpenQuote):
                    out[-1].blocks.append(para)
                else:
                    out.append(_OpenQuote([para]))
            else:
                close_lists()
                out.append(Paragraph(self.inlines(c.el)))
            i += 1
        if out and isinstance(out[-1], _PendingCaption):
            pend = out.pop()
            out.append(Paragraph(self.inlines(pend.el)))
        return [self._finish(b) for b in out]

    def _finish(self, b) -> Block:
        if isinstance(b, _OpenQuote):
            return BlockQuote(tuple(b.blocks))
        if isinstance(b, _ListBuilder):
            return b.build()
        return b

    def _skip_field(self, items: list, i: int) -> int:
        """Skip the paragraphs of the field that begins in items[i]; return the next index."""
        depth = 0
        n = len(items)
        while i < n:
            it = items[i]
            if isinstance(it, _Para):
                for fc in it.el.iter(w("fldChar")):
                    kind = fc.get(w("fldCharType"))
                    if kind == "begin":
                        depth += 1
                    elif kind == "end":
                        depth -= 1
                i += 1
                if depth <= 0:
                    return i
            else:
                i += 1
        return i

    def list_item(self, c: _Para, lists: list[dict], out: list) -> None:
        num_id, ilvl = c.num  # type: ignore[misc]
        level = c.level
        while lists and lists[-1]["level"] > level:
            lists.pop()
        bullet, start = self.numbering.level(num_id, ilvl)
        if lists and lists[-1]["level"] == level:
            top = lists[-1]
            same = top["num"] == num_id or (
                self.numbering.abstract_of(top["num"]) == self.numbering.abstract_of(num_id)
                and not self.numbering.restarts(num_id, ilvl))
            if same and top["bullet"] == bullet:
                top["items"].append([Paragraph(self.inlines(c.el))])
                return
            lists.pop()
        builder = _ListBuilder(bullet, start)
        entry = {"level": level, "num": num_id, "bullet": bullet, "items": builder.items}
        if lists:
            lists[-1]["items"][-1].append(builder)
        else:
            out.append(builder)
        lists.append(entry)
        builder.items.append([Paragraph(self.inlines(c.el))])

    # ------------------------------------------------------------------ figures, tables

    def figure(self, p, caption: str) -> Figure:
        chart = p.find(f".//{w('drawing')}//{{{charts.CHART_NS}}}chart")
        if chart is not None:
            return self.chart_figure(p, chart, caption)
        doc_pr = p.find(f".//{{{NS['wp']}}}docPr")
        cnv = p.find(f".//{{{NS['pic']}}}cNvPr")
        alt = ""
        for el in (doc_pr, cnv):
            if el is not None and el.get("descr"):
                alt = el.get("descr")
                break
        src = cnv.get("name") if cnv is not None and cnv.get("name") else ""
        if not src:
            blip = p.find(f".//{{{NS['a']}}}blip")
            rid = blip.get(R_EMBED) if blip is not None else None
            src = PurePosixPath(self.rels.get(rid or "", ("", "", ""))[1]).name
        return Figure(src, alt, caption)

    def chart_figure(self, p, chart, caption: str) -> Figure:
        """A native chart: its name and alt text from ``wp:docPr``, its data from the chart part's
        cache (and the category column's title from its embedded workbook), as a data table."""
        doc_pr = p.find(f".//{{{NS['wp']}}}docPr")
        alt = (doc_pr.get("descr") or doc_pr.get("title") or "") if doc_pr is not None else ""
        src = doc_pr.get("name") or "" if doc_pr is not None else ""
        part = self.rels.get(chart.get(R_ID) or "", ("", "", ""))[1]
        data = None
        if self.pkg is not None and part in self.pkg.entries:
            book = next((target for typ, target, mode in self.pkg.rels(part).values()
                         if typ == charts.RT_PACKAGE and mode != "External"), None)
            try:
                data = charts.read_chart(self.pkg.entries[part], self.pkg.entries.get(book or ""))
            except charts.ChartError as exc:
                self.findings.append(warning("docx-read.chart", f"the chart {src or part} cannot be read: {exc}",
                                             self.where))
        if data is None:
            return Figure(src or PurePosixPath(part).name, alt, caption)
        unit = f"\u00a0{data.unit}" if data.unit else ""
        header = ((Text(data.category_title),) if data.category_title else (),
                  *((Text(label),) if label else () for label, _ in data.series))
        rows = tuple(((Text(cat),) if cat else (),
                      *((Text(charts.table_number(values[i]) + unit),) for _, values in data.series))
                     for i, cat in enumerate(data.categories))
        table = Table(None, header, rows, ("left",) + ("right",) * len(data.series))
        return Figure(src or PurePosixPath(part).name, alt, caption, table)

    def table(self, tbl, caption: str | None) -> Table:
        rows = [tr for tr in _rows(tbl)]
        if not rows:
            return Table(caption, (), ())
        head_i = 0
        grid: list[list] = [self.row_cells(tr) for tr in rows]
        look = tbl.find(f"{w('tblPr')}/{w('tblLook')}")
        totals = False
        if look is not None:
            last = look.get(w("lastRow"))
            if last is not None:
                totals = last in ("1", "true", "on")
            else:
                try:
                    totals = bool(int(look.get(W_VAL) or "0", 16) & 0x0040)
                except ValueError:
                    totals = False
        header_cells = grid[head_i]
        body = grid[head_i + 1:]
        totals = totals and bool(body)
        n = len(header_cells)
        align: list[str] = []
        for j in range(n):
            a = header_cells[j][1]
            if a == "left" and body:
                column = [r[j][1] for r in body if j < len(r)]
                if column and all(x == column[0] for x in column):
                    a = column[0]
            align.append(a)
        header = tuple(self.cell_inlines(c, strip_bold=True) for c, _ in header_cells)
        out_rows = []
        for k, r in enumerate(body):
            bold = totals and k == len(body) - 1
            out_rows.append(tuple(self.cell_inlines(c, strip_bold=bold) for c, _ in r))
        return Table(caption, header, tuple(out_rows), tuple(align), totals)  # type: ignore[arg-type]

    def row_cells(self, tr) -> list[tuple[list, str]]:
        """(paragraphs, alignment) per grid column of a row; a merged cell repeats as empty."""
        out: list[tuple[list, str]] = []
        for tc in _cells(tr):
            paras = [p for p in self.flatten(list(tc)) if not isinstance(p, str) and p.tag == w("p")]
            if any(not isinstance(x, str) and x.tag == w("tbl") for x in self.flatten(list(tc))):
                self.warn_once("docx-read.nested-table",
                               "a table inside a table cell is not kept (only its text)")
                for inner in tc.iter(w("tbl")):
                    paras.extend(inner.iter(w("p")))
            jc = "left"
            if paras:
                j = paras[0].find(f"{w('pPr')}/{w('jc')}")
                if j is not None:
                    jc = {"right": "right", "end": "right", "center": "center"}.get(
                        j.get(W_VAL) or "", "left")
            vmerge = tc.find(f"{w('tcPr')}/{w('vMerge')}")
            if vmerge is not None and vmerge.get(W_VAL) in (None, "continue"):
                paras = []
            out.append((paras, jc))
            span = tc.find(f"{w('tcPr')}/{w('gridSpan')}")
            if span is not None and (span.get(W_VAL) or "").isdecimal():
                for _ in range(int(span.get(W_VAL)) - 1):
                    out.append(([], jc))
        return out

    def cell_inlines(self, paras: list, *, strip_bold: bool) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for p in paras:
            inl = self.inlines(p, single_line=True, strip_bold=strip_bold)
            if not inl:
                continue
            if out:
                out.append(Text(" "))
            out.extend(inl)
        return tuple(out)

    # ------------------------------------------------------------------ inlines

    def plain(self, p) -> str:
        from reportgen.document.tree import plain_text

        return plain_text(self.inlines(p, single_line=True))

    def units(self, p) -> list[_Unit]:
        units: list[_Unit] = []
        fields: list[str] = []  # per open field: "instr" until separate, then "result"

        def walk(parent, link, url: str) -> None:
            for el in parent:
                tag = el.tag
                if tag == w("r"):
                    run(el, link, url)
                elif tag == w("hyperlink"):
                    if link is not None:
                        walk(el, link, url)  # links cannot nest
                        continue
                    rid = el.get(R_ID)
                    anchor = el.get(w("anchor"))
                    target = ""
                    if rid and rid in self.rels:
                        target = self.rels[rid][1]
                    elif anchor:
                        target = "#" + anchor
                    before = len(units)
                    walk(el, el, target)
                    if len(units) == before:  # a link without text still is a link
                        units.append(_Unit("mark", "", frozenset(), el, target))
                elif tag in (w("fldSimple"), w("smartTag"), w("customXml"), w("ins"),
                             w("moveTo"), w("bdo"), w("dir")):
                    walk(el, link, url)
                elif tag == w("sdt"):
                    content = el.find(w("sdtContent"))
                    if content is not None:
                        walk(content, link, url)

        def run(r, link, url: str) -> None:
            fmt = set()
            code = False
            rpr = r.find(w("rPr"))
            if rpr is not None:
                for tag, name in ((w("b"), "b"), (w("i"), "i")):
                    el = rpr.find(tag)
                    if el is not None and el.get(W_VAL) not in ("0", "false", "off"):
                        fmt.add(name)
                rs = rpr.find(w("rStyle"))
                role = self.styles.char_role(rs.get(W_VAL)) if rs is not None else None
                if role == "code":
                    code = True
                elif role:
                    fmt.add(role)
                fonts = rpr.find(w("rFonts"))
                if fonts is not None and (fonts.get(w("ascii")) or "").lower() in MONO_FONTS:
                    code = True
            frozen = frozenset(fmt)
            for el in r:
                tag = el.tag
                if tag == w("fldChar"):
                    kind = el.get(w("fldCharType"))
                    if kind == "begin":
                        fields.append("instr")
                    elif kind == "separate" and fields:
                        fields[-1] = "result"
                    elif kind == "end" and fields:
                        fields.pop()
                    continue
                if fields and fields[-1] == "instr":
                    continue
                if tag == w("t"):
                    if el.text:
                        units.append(_Unit("code" if code else "text", el.text, frozen, link, url))
                elif tag == w("tab") or tag == w("ptab"):
                    units.append(_Unit("code" if code else "text", "\t", frozen, link, url))
                elif tag == w("br"):
                    if el.get(w("type")) in (None, "textWrapping"):
                        units.append(_Unit("br", "", frozen, link, url))
                elif tag == w("cr"):
                    units.append(_Unit("br", "", frozen, link, url))
                elif tag == w("noBreakHyphen"):
                    units.append(_Unit("code" if code else "text", "\u2011", frozen, link, url))

        walk(p, None, "")
        return units

    def inlines(self, p, *, single_line: bool = False,
                strip_bold: bool = False) -> tuple[Inline, ...]:
        units = self.units(p)
        if strip_bold:
            for u in units:
                u.fmt = u.fmt - {"b"}
        if single_line:
            for u in units:
                if u.kind == "br":
                    u.kind, u.text = "text", " "
        segments = _segments(units)
        return tuple(_build(segments, frozenset()))


class _PendingCaption:
    def __init__(self, el, text: str) -> None:
        self.el = el
        self.text = text


class _OpenQuote:
    def __init__(self, blocks: list) -> None:
        self.blocks = blocks


class _ListBuilder:
    def __init__(self, bullet: bool, start: int) -> None:
        self.bullet = bullet
        self.start = start
        self.items: list[list] = []

    def build(self) -> Block:
        items = tuple(tuple(b.build() if isinstance(b, _ListBuilder) else b for b in item)
                      for item in self.items)
        if self.bullet:
            return BulletList(items)
        return OrderedList(items, max(0, self.start))


def _rows(tbl):
    for el in tbl:
        if el.tag == w("tr"):
            yield el
        elif el.tag in _BLOCK_WRAPPERS:
            content = el.find(w("sdtContent")) if el.tag == w("sdt") else el
            if content is not None:
                yield from _rows(content)


def _cells(tr):
    for el in tr:
        if el.tag == w("tc"):
            yield el
        elif el.tag in _BLOCK_WRAPPERS:
            content = el.find(w("sdtContent")) if el.tag == w("sdt") else el
            if content is not None:
                yield from _cells(content)


def _keep_next(p) -> bool:
    k = p.find(f"{w('pPr')}/{w('keepNext')}")
    return k is not None and k.get(W_VAL) not in ("0", "false", "off")


def _only_page_break(p) -> bool:
    found = False
    for br in p.iter(w("br")):
        if br.get(w("type")) == "page":
            found = True
    return found


# --------------------------------------------------------------------------- nesting inlines


@dataclass
class _Seg:
    """A unit, or a whole hyperlink (its units), with the formats common to all of it."""

    fmt: frozenset
    unit: _Unit | None = None
    link_units: list[_Unit] | None = None
    url: str = ""

    @property
    def wild(self) -> bool:
        # A line break carries no formatting of its own: it may sit inside any span.
        if self.unit is not None:
            return self.unit.kind == "br"
        return all(u.kind in ("br", "mark") for u in self.link_units or ())


def _segments(units: list[_Unit]) -> list[_Seg]:
    segs: list[_Seg] = []
    i = 0
    while i < len(units):
        u = units[i]
        if u.link is None:
            segs.append(_Seg(u.fmt, unit=u))
            i += 1
            continue
        j = i
        while j < len(units) and units[j].link is u.link:
            j += 1
        group = units[i:j]
        solid = [g.fmt for g in group if g.kind not in ("br", "mark")]
        common = frozenset.intersection(*solid) if solid else frozenset()
        segs.append(_Seg(common, link_units=group, url=u.url))
        i = j
    return segs


def _build(segs: list[_Seg], active: frozenset) -> list[Inline]:
    """Nest Strong/Emphasis around the longest spans first (a canonical choice: a .docx keeps
    only each run's formatting, not how the spans nested)."""
    out: list[Inline] = []
    i = 0
    n = len(segs)
    while i < n:
        s = segs[i]
        if s.wild:
            out.append(LineBreak() if s.unit is not None else _leaf(s, active))
            i += 1
            continue
        extra = s.fmt - active
        if not extra:
            out.append(_leaf(s, active))
            i += 1
            continue
        best_f, best_end = None, i
        for f in ("i", "b"):  # on a tie italic goes outside, as CommonMark nests ***x***
            if f not in extra:
                continue
            j, last = i, i
            while j < n and (segs[j].wild or f in segs[j].fmt):
                if not segs[j].wild:
                    last = j
                j += 1
            if last + 1 > best_end:
                best_f, best_end = f, last + 1
        span = segs[i:best_end]
        if len(span) == 1 and span[0].link_units is not None:
            # A format that covers just one link: put the link outside ([**x**](u)).
            out.append(_leaf(s, active))
            i += 1
            continue
        kids = _build(span, active | {best_f})
        out.append(Strong(tuple(kids)) if best_f == "b" else Emphasis(tuple(kids)))
        i = best_end
    return out


def _leaf(s: _Seg, active: frozenset) -> Inline:
    if s.link_units is not None:
        inner = [_Seg(u.fmt, unit=u) for u in s.link_units if u.kind != "mark"]
        return Link(s.url, tuple(_build(inner, active)))
    u = s.unit
    assert u is not None
    if u.kind == "code":
        return Code(u.text)
    return Text(u.text)
