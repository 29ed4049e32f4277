"""Word comments (``word/comments.xml``) and the text each is anchored to."""

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


def _enclosing_place(el) -> str | None:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == _w("sdt"):
            place = source_place(parent)
            if place:
                return place
        parent = parent.getparent()
    return None
