"""The one XML parser set-up for Word files from outside: no entities, no DTD, no network.

Every part reportgen reads from a .docx goes through ``parse`` (or, for the main document of a
large file, through ``pull_parser``, which has the same settings). A part that declares a
DOCTYPE is refused (no .docx part has one), and a part with more elements than the limit is
refused before lxml builds its tree, so that a small file cannot make a tree of gigabytes.
"""

from __future__ import annotations

from lxml import etree

__all__ = ["MAX_ELEMENTS", "DocxError", "count_elements", "parse", "pull_parser"]

#: Elements in one part, at most. The main document of a report of 10 000 projects has about
#: half a million; a tree costs lxml some hundred bytes an element.
MAX_ELEMENTS = 4_000_000

_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False, "dtd_validation": False,
                "huge_tree": True}
_PARSER = etree.XMLParser(**_OPTIONS, remove_comments=True, remove_pis=True)


class DocxError(ValueError):
    """The file is not a readable .docx, or it exceeds a limit. ``part`` names the part when
    the trouble is in one (the message names it too)."""

    def __init__(self, message: str, part: str | None = None) -> None:
        super().__init__(message)
        self.part = part


def count_elements(data: bytes) -> int:
    """An upper bound of the elements in ``data``: its start and empty-element tags are among
    the "<" that do not open an end tag. Byte counting, so it costs nothing next to parsing."""
    return data.count(b"<") - data.count(b"</")


def check_elements(data: bytes, name: str, limit: int = MAX_ELEMENTS) -> None:
    if count_elements(data) > limit:
        raise DocxError(f"{name} has more than {limit:,} elements: too large for a Word "
                        "document reportgen reads".replace(",", " "), name)


def parse(data: bytes, name: str = "part", *, max_elements: int = MAX_ELEMENTS):
    """Parse one XML part into its root element. Raises DocxError: not well-formed, a DOCTYPE,
    too many elements."""
    check_elements(data, name, max_elements)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise DocxError(f"{name} is not well-formed XML: {exc}", name) from None
    if root.getroottree().docinfo.doctype:
        raise DocxError(f"{name} declares a DOCTYPE, which no .docx part has", name)
    return root


def pull_parser(**kwargs) -> etree.XMLPullParser:
    """An incremental parser with the settings of ``parse`` (comments and processing
    instructions kept, unless ``kwargs`` say otherwise)."""
    return etree.XMLPullParser(**_OPTIONS, **kwargs)
