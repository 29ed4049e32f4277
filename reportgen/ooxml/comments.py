"""Word comments (``word/comments.xml``): the text each is anchored to, and writing new ones.

A comment is three things: a ``w:comment`` in the comments part (related from the main document
with the comments relationship), and in the document a ``w:commentRangeStart``/``w:commentRangeEnd``
pair around the text it is about plus a run holding ``w:commentReference``, all with the same
``w:id``. Word shows it as a balloon in the margin and LibreOffice as a margin note; accepting or
rejecting tracked changes leaves comments alone, so a comment can say what a tracked change cannot
(the redline uses one for a chart whose data changed: see reportgen/review/redline.py).
"""

from __future__ import annotations

import zipfile
from io import BytesIO

from lxml import etree

from reportgen.ooxml.provenance import BOOKMARK_PREFIX, source_place

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _part(z: zipfile.ZipFile, name: str):
    try:
        return etree.fromstring(z.read(name), _PARSER)
    except (KeyError, etree.XMLSyntaxError):
        return None


def comments_with_anchors(data: bytes, places: dict[str, str] | None = None) -> list[tuple]:
    """(id, author, date, text, anchor, place) of each comment, in the order of comments.xml.

    ``anchor`` is the text between the comment's range marks in the main document (tracked
    insertions included, deletions not); ``place`` the place of the text from the inputs it
    starts in (a source content control, or a source bookmark named in ``places``), or None.
    """
    try:
        z = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile:
        return []
    with z:
        comments = _part(z, "word/comments.xml")
        document = _part(z, "word/document.xml")
    if comments is None:
        return []
    anchors: dict[str, list[str]] = {}
    where: dict[str, str | None] = {}
    if document is not None:
        open_ids: set[str] = set()
        open_bookmarks: dict[str, str] = {}  # id → place
        for el in document.iter(_w("commentRangeStart"), _w("commentRangeEnd"), _w("t"),
                                _w("bookmarkStart"), _w("bookmarkEnd")):
            cid = el.get(_w("id"))
            if el.tag == _w("commentRangeStart"):
                open_ids.add(cid)
                anchors.setdefault(cid, [])
                where[cid] = _enclosing_place(el) or next(iter(open_bookmarks.values()), None)
            elif el.tag == _w("commentRangeEnd"):
                open_ids.discard(cid)
            elif el.tag == _w("bookmarkStart"):
                name = el.get(_w("name")) or ""
                if name.startswith(BOOKMARK_PREFIX) and places and name in places:
                    open_bookmarks[cid] = places[name]
            elif el.tag == _w("bookmarkEnd"):
                open_bookmarks.pop(cid, None)
            elif el.text:
                for c in open_ids:
                    anchors[c].append(el.text)
    out = []
    for c in comments.iter(_w("comment")):
        cid = c.get(_w("id")) or ""
        paragraphs = ["".join(t.text or "" for t in p.iter(_w("t"))) for p in c.iter(_w("p"))]
        out.append((cid, c.get(_w("author")) or "", c.get(_w("date")) or "", "\n".join(paragraphs).strip(),
                    " ".join("".join(anchors.get(cid, [])).split()), where.get(cid)))
    return out


def new_comments_part():
    """An empty ``w:comments`` root for a document that has no comments part yet."""
    return etree.Element(_w("comments"), nsmap={"w": W_NS})


def add_comment(root, cid: str, author: str, date: str, paragraphs: list[str],
                initials: str = "") -> None:
    """Append a comment with one paragraph of plain text per item of ``paragraphs`` to the
    ``w:comments`` ``root``. The first paragraph starts with the annotation mark Word writes."""
    c = etree.SubElement(root, _w("comment"))
    c.set(_w("id"), cid)
    c.set(_w("author"), author)
    c.set(_w("date"), date)
    if initials:
        c.set(_w("initials"), initials)
    for k, text in enumerate(paragraphs or [""]):
        p = etree.SubElement(c, _w("p"))
        if k == 0:
            etree.SubElement(etree.SubElement(p, _w("r")), _w("annotationRef"))
        t = etree.SubElement(etree.SubElement(p, _w("r")), _w("t"))
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text


def anchor_comment(p, cid: str) -> None:
    """Anchor comment ``cid`` on the whole of paragraph ``p``: the range marks around its
    content (after its properties) and the reference run at its end."""
    start = etree.Element(_w("commentRangeStart"))
    start.set(_w("id"), cid)
    ppr = p.find(_w("pPr"))
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    etree.SubElement(p, _w("commentRangeEnd")).set(_w("id"), cid)
    etree.SubElement(etree.SubElement(p, _w("r")), _w("commentReference")).set(_w("id"), cid)


def _enclosing_place(el) -> str | None:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == _w("sdt"):
            place = source_place(parent)
            if place:
                return place
        parent = parent.getparent()
    return None
