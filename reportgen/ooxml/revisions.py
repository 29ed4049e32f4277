"""Tracked changes in WordprocessingML: accept all, or reject all.

``accept_all(el)`` and ``reject_all(el)`` rewrite an element (a ``w:body``, a whole
``w:document``, a header...) in place, as Word's *Accept All Changes* / *Reject All Changes*
would for the revisions reportgen's redline writes and the common ones Word writes:

* run-level ``w:ins``/``w:del`` (and ``w:moveTo``/``w:moveFrom``): kept unwrapped, or removed;
  rejecting turns ``w:delText`` back into ``w:t`` (``w:delInstrText`` into ``w:instrText``);
* a tracked paragraph mark (``w:pPr/w:rPr/w:ins|w:del``): when the mark goes, what is left of
  the paragraph joins the next paragraph; an empty paragraph simply goes;
* tracked table rows (``w:trPr/w:ins|w:del``): the row stays or goes; a table left without rows
  goes, a cell left without a paragraph gets an empty one;
* tracked table cells (``w:cellIns``, ``w:cellDel``, ``w:cellMerge``): the marks are dropped
  (the cells stay as they are);
* property changes (``w:rPrChange``, ``w:pPrChange``, ``w:trPrChange``, ``w:tblPrExChange``,
  ``w:numberingChange``...): accepting drops the record, rejecting restores the old properties;
* move and custom XML ranges (``w:moveFromRangeStart``...): the marks are dropped.

``REVISIONS`` is the complete list of WordprocessingML's revision elements; ``has_revisions``
looks for any of them (the .docx reader warns when it finds one). ``accept_docx(data)`` /
``reject_docx(data)`` do the same to every story of a .docx and return the new bytes
(reproducible, see ``ooxml.package.reproducible_zip``); the .docx is opened with the bounded
package reader.
"""

from __future__ import annotations

from lxml import etree

from reportgen.ooxml.ns import w
from reportgen.ooxml.package import open_package, reproducible_zip

__all__ = ["REVISIONS", "accept_all", "accept_docx", "has_revisions", "reject_all",
           "reject_docx"]


_RUN_INS = (w("ins"), w("moveTo"))
_RUN_DEL = (w("del"), w("moveFrom"))
_MARK_PARENTS = (w("rPr"), w("trPr"), w("tcPr"), w("numPr"))
_CHANGES = (w("rPrChange"), w("pPrChange"), w("sectPrChange"), w("tblPrChange"),
            w("trPrChange"), w("tcPrChange"), w("tblGridChange"), w("tblPrExChange"),
            w("numberingChange"))
_RANGE_MARKS = (w("moveFromRangeStart"), w("moveFromRangeEnd"), w("moveToRangeStart"),
                w("moveToRangeEnd"), w("customXmlInsRangeStart"), w("customXmlInsRangeEnd"),
                w("customXmlDelRangeStart"), w("customXmlDelRangeEnd"))
_CONTENT = {w(t) for t in ("t", "delText", "tab", "br", "cr", "drawing", "pict", "object",
                           "fldChar", "instrText", "delInstrText", "sym", "noBreakHyphen",
                           "softHyphen", "footnoteReference", "endnoteReference",
                           "commentReference", "ptab", "fldSimple")}
_CELL_MARKS = (w("cellIns"), w("cellDel"), w("cellMerge"))
#: Every revision element of WordprocessingML (ISO/IEC 29500-1, 17.13.5): inserted, deleted and
#: moved content, cell revisions, property changes and the move and custom XML ranges.
REVISIONS = frozenset((*_RUN_INS, *_RUN_DEL, *_CHANGES, *_CELL_MARKS, *_RANGE_MARKS))


def has_revisions(el) -> bool:
    """Whether ``el`` holds any tracked change (any element of ``REVISIONS``)."""
    return any(True for _ in el.iter(*REVISIONS))


def accept_all(el):
    """Accept every tracked change under ``el`` (in place); returns ``el``."""
    return _resolve(el, accept=True)


def reject_all(el):
    """Reject every tracked change under ``el`` (in place); returns ``el``."""
    return _resolve(el, accept=False)


def _resolve(root, *, accept: bool):
    drop_tags = _RUN_DEL if accept else _RUN_INS
    merge: list = []  # paragraphs whose mark goes
    drop_rows: list = []
    for el in list(root.iter(*_RUN_INS, *_RUN_DEL)):
        parent = el.getparent()
        if parent is None:
            continue
        if parent.tag in _MARK_PARENTS:
            # A mark on a paragraph mark (pPr/rPr), a row (trPr) or a numbering property.
            gone = el.tag in drop_tags
            owner = parent.getparent()
            parent.remove(el)
            if not gone:
                continue
            if parent.tag == w("rPr") and owner is not None and owner.tag == w("pPr"):
                p = owner.getparent()
                if p is not None and p.tag == w("p"):
                    merge.append(p)
            elif parent.tag == w("trPr") and owner is not None and owner.tag == w("tr"):
                drop_rows.append(owner)
            continue
        if el.tag in drop_tags:
            parent.remove(el)
        else:
            _unwrap(el, restore=not accept)
    for el in list(root.iter(*_RANGE_MARKS)):
        el.getparent().remove(el)
    for el in list(root.iter(*_CHANGES)):
        parent = el.getparent()
        if not accept:
            _restore(parent, el)
        if el.getparent() is not None:
            el.getparent().remove(el)
    for el in list(root.iter(*_CELL_MARKS)):
        el.getparent().remove(el)
    for tr in drop_rows:
        if tr.getparent() is not None:
            tr.getparent().remove(tr)
    for p in reversed(merge):  # last first, so that a run of joined paragraphs ends right
        _join_with_next(p)
    for tbl in list(root.iter(w("tbl"))):
        if tbl.find(w("tr")) is None and tbl.getparent() is not None:
            tbl.getparent().remove(tbl)
    for tc in root.iter(w("tc")):
        if tc.find(w("p")) is None:
            etree.SubElement(tc, w("p"))
    return root


def _unwrap(el, *, restore: bool) -> None:
    """Replace ``el`` by its children (turning deleted text back into text when restoring)."""
    if restore:
        for t in el.iter(w("delText")):
            t.tag = w("t")
        for t in el.iter(w("delInstrText")):
            t.tag = w("instrText")
    parent = el.getparent()
    idx = parent.index(el)
    for child in list(el):
        parent.insert(idx, child)
        idx += 1
    parent.remove(el)


# What a property element keeps of its current children when the old properties come back.
_KEEP_ON_RESTORE = {
    w("pPr"): {w("rPr"), w("sectPr")},
    w("rPr"): {w("ins"), w("del"), w("moveFrom"), w("moveTo")},
    w("trPr"): {w("ins"), w("del")},
    w("tcPr"): {w("cellIns"), w("cellDel"), w("cellMerge")},
}


def _restore(parent, change) -> None:
    """Reject a property change: the properties become the old ones stored in ``change``."""
    if parent is None:
        return
    old = change.find(parent.tag)
    if change.tag == w("tblGridChange"):
        old = change.find(w("tblGrid"))
        if old is not None:
            for c in list(parent):
                if c is not change:
                    parent.remove(c)
            for c in list(old):
                parent.append(c)
        return
    if old is None:
        return
    keep = _KEEP_ON_RESTORE.get(parent.tag, set())
    kept_first = [c for c in parent if c.tag in keep and parent.tag == w("rPr")]
    kept_last = [c for c in parent if c.tag in keep and parent.tag != w("rPr")]
    for c in list(parent):
        if c is not change:
            parent.remove(c)
    parent.remove(change)
    for c in kept_first + list(old) + kept_last:
        parent.append(c)


def _is_empty(p) -> bool:
    return not any(True for el in p.iter() if el.tag in _CONTENT)


def _join_with_next(p) -> None:
    parent = p.getparent()
    if parent is None:
        return
    if _is_empty(p):
        parent.remove(p)
        return
    nxt = p.getnext()
    if nxt is None or nxt.tag != w("p"):
        return  # nothing to join: the paragraph stays
    ppr = nxt.find(w("pPr"))
    idx = 0 if ppr is None else nxt.index(ppr) + 1
    for child in list(p):
        if child.tag == w("pPr"):
            continue
        nxt.insert(idx, child)
        idx += 1
    parent.remove(p)


# --------------------------------------------------------------------------- whole documents

_STORY_PREFIXES = ("word/document", "word/header", "word/footer", "word/footnotes",
                   "word/endnotes", "word/comments")


def _rewrite(data: bytes, *, accept: bool) -> bytes:
    pkg = open_package(data)
    replace: dict[str, bytes] = {}
    for name in pkg.infos:
        if name.startswith(_STORY_PREFIXES) and name.endswith(".xml"):
            root = pkg.xml(name)
            if has_revisions(root):
                _resolve(root, accept=accept)
                replace[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                               standalone=True)
    return reproducible_zip(pkg, replace=replace)


def accept_docx(data: bytes) -> bytes:
    """The .docx with every tracked change accepted."""
    return _rewrite(data, accept=True)


def reject_docx(data: bytes) -> bytes:
    """The .docx with every tracked change rejected."""
    return _rewrite(data, accept=False)
