"""Every namespace, relationship type and content type reportgen knows, spelled once.

Modelled on python-docx's ``docx.oxml.ns``: one prefix table and ``qn("w:p")`` for Clark
notation (``{uri}p``). Nothing outside ``reportgen.ooxml`` spells one of these URIs; code that
needs a name writes ``qn("w:tblHeader")`` or ``NS["wp"]``.
"""

from __future__ import annotations

import functools

__all__ = ["CT", "NS", "RT", "STRICT_W", "W_NS", "qn", "w"]

_OPENXML = "http://schemas.openxmlformats.org"

#: prefix → namespace URI (the prefixes Word itself writes).
NS: dict[str, str] = {
    "w": f"{_OPENXML}/wordprocessingml/2006/main",
    "r": f"{_OPENXML}/officeDocument/2006/relationships",
    "wp": f"{_OPENXML}/drawingml/2006/wordprocessingDrawing",
    "a": f"{_OPENXML}/drawingml/2006/main",
    "pic": f"{_OPENXML}/drawingml/2006/picture",
    "c": f"{_OPENXML}/drawingml/2006/chart",
    "mc": f"{_OPENXML}/markup-compatibility/2006",
    "m": f"{_OPENXML}/officeDocument/2006/math",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "w10": "urn:schemas-microsoft-com:office:word",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
    # The package (OPC): relationships, content types, core properties.
    "rel": f"{_OPENXML}/package/2006/relationships",
    "ct": f"{_OPENXML}/package/2006/content-types",
    "cp": f"{_OPENXML}/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xml": "http://www.w3.org/XML/1998/namespace",
}

W_NS = NS["w"]
#: WordprocessingML's namespace in ISO 29500 Strict, which reportgen does not read.
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"


@functools.lru_cache(maxsize=1024)
def qn(name: str) -> str:
    """Clark notation of a prefixed name: ``qn("w:p")`` → ``{http://...main}p``."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def w(tag: str) -> str:
    """Clark notation of a WordprocessingML name: ``w("p")`` is ``qn("w:p")``."""
    return qn("w:" + tag)


class RT:
    """Relationship types."""

    _OD = f"{_OPENXML}/officeDocument/2006/relationships/"
    OFFICE_DOCUMENT = _OD + "officeDocument"
    STYLES = _OD + "styles"
    NUMBERING = _OD + "numbering"
    SETTINGS = _OD + "settings"
    IMAGE = _OD + "image"
    HEADER = _OD + "header"
    FOOTER = _OD + "footer"
    COMMENTS = _OD + "comments"
    CORE_PROPERTIES = f"{_OPENXML}/package/2006/relationships/metadata/core-properties"


class CT:
    """Content types."""

    _WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
    NUMBERING = _WML + "numbering+xml"
    COMMENTS = _WML + "comments+xml"
    #: The content types of a Word main document (.docx, .docm, .dotx, .dotm).
    MAIN = (_WML + "document.main+xml",
            "application/vnd.ms-word.document.macroEnabled.main+xml",
            _WML + "template.main+xml",
            "application/vnd.ms-word.template.macroEnabledTemplate.main+xml")
