"""The writer's fast path: the body spliced into the serialized main document as text.

A hand-written fast path in quarantine. The writer builds the body as WordprocessingML text
(``writer._Sink``); the general way to put that text into the document is to parse it and
move its elements into the tree, which lxml then serializes. For a report of ten thousand
projects that is half a million elements, moved node by node into the document. This module
instead leaves a marker comment in the tree for each chunk of text and, once python-docx has
serialized the main document, replaces each marker by its chunk: the same bytes, if the text is
exactly what lxml would have written for the same elements (tests/formats/test_docx_writer.py
compares the two ways).

Used when ``reportgen.document.switches.fast_paths_enabled()`` and the document binds the
prefixes w, r and wp to their namespaces where the body goes (``can_splice``).
"""

from __future__ import annotations

import re
import secrets

from lxml import etree

from reportgen.ooxml.ns import NS

__all__ = ["Splicer", "can_splice"]


def can_splice(anchor) -> bool:
    """Whether text written with the prefixes w and r means, where ``anchor`` is, what it
    would mean as elements."""
    scope = anchor.nsmap
    uris = list(scope.values())
    return all(scope.get(prefix) == NS[prefix] and uris.count(NS[prefix]) == 1
               for prefix in ("w", "r", "wp"))


class Splicer:
    """Chunks of body text, each standing in the tree as a marker comment until ``spliced``."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self._token = secrets.token_hex(8)

    def add(self, anchor, chunk: bytes) -> None:
        """Stand ``chunk`` just before ``anchor``."""
        anchor.addprevious(etree.Comment(f"reportgen-body-{self._token}-{len(self.chunks)}"))
        self.chunks.append(chunk)

    def spliced(self, xml: bytes) -> bytes:
        """The serialized main document with every marker comment replaced by its chunk."""
        if not self.chunks:
            return xml
        pieces = re.split(rb"<!--reportgen-body-" + self._token.encode() + rb"-(\d+)-->", xml)
        if [int(n) for n in pieces[1::2]] != list(range(len(self.chunks))):
            raise AssertionError("the body markers did not survive serialization intact")
        pieces[1::2] = self.chunks
        return b"".join(pieces)
