"""Where the text of a document came from: content controls, bookmarks and custom properties.

A block of text from the inputs is written as a block-level content control (``w:sdt``) whose
tag is ``src:<place>`` (``src:projects[3].summary``) and whose title (``w:alias``) says so in
words; inside it, a hidden bookmark ``_RgSrc<n>`` spans the same blocks. Word keeps both.
LibreOffice (7.4) drops block-level content controls when it saves, but keeps bookmarks and
custom document properties: so the bookmark names are mapped to places in the custom property
``reportgen.bookmarks`` too, and a document that went through LibreOffice still says where each
text came from. Everything outside a content control or source bookmark is generated.

The controls are not locked against editing their content (``sdtContentLocked``): generated
content stays outside any control, and it is ``pull-edits`` that refuses an edit there, naming
the place. Locking the narrative's controls would forbid the very edits this is for, and
wrapping every table and sentence the templates make in locked controls would make the document
a patchwork that LibreOffice turns into input fields.

The custom properties (``docProps/custom.xml``) also carry what the document was built from:
see ``reportgen.review.pull_edits``.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Mapping
from io import BytesIO

from lxml import etree

from reportgen.ooxml.xmltext import escape, quoteattr

__all__ = [
    "BOOKMARKS_PROPERTY",
    "BOOKMARK_PREFIX",
    "TAG_PREFIX",
    "add_custom_properties",
    "bookmark_places",
    "read_custom_properties",
    "sdt_close",
    "sdt_open",
    "source_place",
    "unwrap_sources",
]

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# The format id every user-defined property has (FMTID_UserDefinedProperties).
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
CUSTOM_PART = "docProps/custom.xml"

TAG_PREFIX = "src:"
BOOKMARK_PREFIX = "_RgSrc"  # hidden (leading underscore), at most 40 characters in Word
BOOKMARKS_PROPERTY = "reportgen.bookmarks"
GALLERY = "Custom 1"  # one of Word's own galleries for building blocks of the user's


def sdt_open(place: str, sdt_id: int, alias: str) -> str:
    """The start of a block-level content control for text from ``place`` (WordprocessingML
    text with the prefix ``w``). Element order as CT_SdtPr wants it."""
    return (f"<w:sdt><w:sdtPr><w:alias w:val={quoteattr(alias)}/>"
            f"<w:tag w:val={quoteattr(TAG_PREFIX + place)}/><w:id w:val=\"{sdt_id}\"/>"
            # The control cannot be deleted by mistake; its text can be edited.
            f"<w:lock w:val=\"sdtLocked\"/>"
            # A building-block control, not a rich-text one: LibreOffice 7.4 turns a rich-text
            # control into an input field and loses the formatting of its first paragraph when it
            # saves; a building-block control it unwraps, keeping the text as it was.
            f"<w:docPartObj><w:docPartGallery w:val=\"{GALLERY}\"/></w:docPartObj>"
            f"</w:sdtPr><w:sdtContent>")


def sdt_close() -> str:
    return "</w:sdtContent></w:sdt>"


def bookmark_marks(name: str, bookmark_id: int) -> tuple[str, str]:
    """The start and end of a bookmark, as WordprocessingML text."""
    return (f"<w:bookmarkStart w:id=\"{bookmark_id}\" w:name=\"{name}\"/>",
            f"<w:bookmarkEnd w:id=\"{bookmark_id}\"/>")


def bookmark_name(n: int) -> str:
    return f"{BOOKMARK_PREFIX}{n}"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def source_place(sdt) -> str | None:
    """The place a content control's text came from, if it is one reportgen wrote."""
    tag = sdt.find(f"{_w('sdtPr')}/{_w('tag')}")
    value = tag.get(_w("val")) if tag is not None else None
    return value[len(TAG_PREFIX):] if value and value.startswith(TAG_PREFIX) else None


def unwrap_sources(body) -> None:
    """Take the source content controls and bookmarks out of ``body`` (in place), leaving
    their content where they were: the body as it would be without provenance."""
    for sdt in list(body.iter(_w("sdt"))):
        content = sdt.find(_w("sdtContent"))
        parent = sdt.getparent()
        if source_place(sdt) is None or content is None or parent is None:
            continue
        at = parent.index(sdt)
        for k, child in enumerate(list(content)):
            parent.insert(at + k, child)
        parent.remove(sdt)
    ids = set()
    for start in list(body.iter(_w("bookmarkStart"))):
        if (start.get(_w("name")) or "").startswith(BOOKMARK_PREFIX):
            ids.add(start.get(_w("id")))
            start.getparent().remove(start)
    for end in list(body.iter(_w("bookmarkEnd"))):
        if end.get(_w("id")) in ids:
            end.getparent().remove(end)


def custom_properties_xml(props: Mapping[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name={quoteattr(name)}><vt:lpwstr>{escape(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(sorted(props.items()), start=2))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{items}</Properties>').encode()


def add_custom_properties(entries: dict[str, bytes], props: Mapping[str, str]) -> None:
    """Add ``docProps/custom.xml`` with ``props`` to a package's ``entries`` (name → bytes), with
    its content type and its relationship from the package."""
    if not props:
        return
    entries[CUSTOM_PART] = custom_properties_xml(props)
    types = etree.fromstring(entries["[Content_Types].xml"])
    if not any(o.get("PartName") == "/" + CUSTOM_PART for o in types):
        etree.SubElement(types, f"{{{CT_NS}}}Override", PartName="/" + CUSTOM_PART, ContentType=CUSTOM_TYPE)
    entries["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels = etree.fromstring(entries["_rels/.rels"])
    if not any(r.get("Type") == CUSTOM_REL for r in rels):
        ids = {r.get("Id") for r in rels}
        n = 1
        while f"rId{n}" in ids:
            n += 1
        etree.SubElement(rels, f"{{{PKG_REL_NS}}}Relationship", Id=f"rId{n}", Type=CUSTOM_REL,
                         Target=CUSTOM_PART)
    entries["_rels/.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_custom_properties(data: bytes) -> dict[str, str]:
    """The text-valued custom properties of a .docx (empty if it has none or is unreadable)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            if CUSTOM_PART not in z.namelist():
                return {}
            raw = z.read(CUSTOM_PART)
    except (zipfile.BadZipFile, OSError, KeyError):
        return {}
    try:
        root = etree.fromstring(raw, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return {}
    out = {}
    for prop in root.iter(f"{{{CUSTOM_NS}}}property"):
        value = "".join(prop.itertext())
        if prop.get("name"):
            out[prop.get("name")] = value
    return out


def bookmark_places(props: Mapping[str, str]) -> dict[str, str]:
    """Bookmark name → place, from the custom properties."""
    try:
        got = json.loads(props.get(BOOKMARKS_PROPERTY, "{}"))
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in got.items()} if isinstance(got, dict) else {}
