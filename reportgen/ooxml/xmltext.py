"""Text and attribute values escaped for XML written as text: the same bytes as
``xml.sax.saxutils.escape`` and ``quoteattr``, without importing ``xml.sax.saxutils``, which
imports ``urllib.request`` and with it ``http.client``, ``email`` and ``ssl`` (about 30 ms of
every cold build, for two string functions)."""

from __future__ import annotations

__all__ = ["escape", "quoteattr"]


def escape(data: str) -> str:
    """``&``, ``<`` and ``>`` escaped (``xml.sax.saxutils.escape``)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """An attribute value escaped and quoted (``xml.sax.saxutils.quoteattr``): tab, newline and
    carriage return as character references, in double quotes unless the value holds a double
    quote and no single one."""
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in data:
        if "'" in data:
            return '"' + data.replace('"', "&quot;") + '"'
        return "'" + data + "'"
    return '"' + data + '"'
