"""Markdown → document tree, and escaping plain text for Markdown.

The dialect is CommonMark (markdown-it-py's "commonmark" preset) with GFM pipe tables and
block attributes (mdit_py_plugins.attrs), raw HTML off (``<b>`` stays literal text) and
strikethrough off. On top of that, these conventions, which the templates use:

* ``{caption="Tabell 3. Ekonomisk redovisning 2018" .totals}`` on the line before a table gives
  the table its caption; ``.totals`` marks the last row as the totals row. Column alignment comes
  from the delimiter row (``---:`` right, ``:---:`` centre, otherwise left). The quoted caption
  is decoded like a link title (backslash escapes, character references); :func:`escape` and
  :func:`escape_attribute` both produce valid caption text.
* A paragraph holding nothing but an image ``![alt](path "caption")`` is a Figure.
* A thematic break (``---``, ``***``) is a page break; a paragraph that is exactly ``[TOC]`` is
  a table of contents.
* Headings go to level 4; deeper ones become level 4 (with a warning).
* Soft line breaks become spaces, hard breaks (``\\`` or two spaces at the end of a line) become
  LineBreak. Backslash escapes and HTML entities work as CommonMark says.
* Link and image destinations are kept exactly as written (markdown-it would percent-encode them).

* A fenced div ``::: {source="projects[3].summary"}`` ... ``:::`` (each marker alone on its line,
  at the top level) makes its blocks a Source: text from that place of the inputs. The renderer
  writes these around narrative values (see ``report.render``); the blocks are parsed as if the
  marker lines were blank lines.

Anything else is degraded to text and reported as a warning; ``parse`` never raises.

``parse`` reads with the fast reader (``fast_reader``, a fast path) or, when the fast paths are off
or the text needs the whole document at once, with the general reader (``general_reader``:
markdown-it); both give the same trees and findings.
"""


from __future__ import annotations

import re
from dataclasses import replace

from reportgen.document.switches import fast_paths_enabled
from reportgen.document.tree import (
    Block,
    Document,
    Source,
    _mark_canonical,
    clean_text,
)
from reportgen.findings import Finding, Location, error
from reportgen.formats.markdown.fast_reader import (
    FastParser,
    parse_fast,
    parse_fast_lines,
)
from reportgen.formats.markdown.general_reader import (
    parse_with_markdown_it,
    unescape_attribute,
)

__all__ = ["ENTITY_LIKE", "ESCAPE_ALWAYS", "SOURCE_CLOSE", "char_reference", "escape",
           "escape_attribute", "escape_pieces", "parse", "source_open"]

# --------------------------------------------------------------------------- escaping

#: ASCII punctuation that is backslash-escaped wherever it occurs. ``!`` is not in the set: it
#: only matters before ``[``, which is always escaped. ``&`` is escaped only where it would start
#: a character reference, so "FoU & utveckling" stays readable in drafts.
ESCAPE_ALWAYS = frozenset("\\`*_[]<>#|~{}")
ENTITY_LIKE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}[.)](?=[\s]|$)")


# Anything escape_pieces (or escape's own last steps) would change; text without it passes as is.
_NEEDS_ESCAPE = re.compile(r'[\\`*_\[\]<>#|~{}&"]|^[-+=:\s]|^[0-9]{1,9}[.)](?:\s|$)|\s$|!$')


def char_reference(c: str) -> str:
    """A numeric character reference; it starts with ``&`` and ends with ``;`` (punctuation),
    which is what the Markdown writer relies on when it needs a delimiter to flank."""
    return f"&#{ord(c)};"


def escape_pieces(s: str, *, lead: bool, trail: bool, block: bool) -> list[str]:
    """How each character of ``s`` (already ``clean_text``-ed) is written, one piece per char.

    ``lead``/``trail``: ``s`` starts/ends a region Markdown trims (a paragraph, a line after a
    hard break, a cell, a heading), so whitespace there is written as a character reference.
    ``block``: ``s`` starts a line, so list markers, ``=``/``-`` underlines, ``+`` and ``:`` (a
    table delimiter row) are escaped too.
    """
    pieces = []
    entity_at = {m.start() for m in ENTITY_LIKE.finditer(s)} if "&" in s else ()
    for i, c in enumerate(s):
        if c in ESCAPE_ALWAYS:
            pieces.append("\\" + c)
        elif c == "&" and i in entity_at:
            pieces.append("\\&")
        elif c.isspace() and ((lead and i == 0) or (trail and i == len(s) - 1)):
            pieces.append(char_reference(c))
        else:
            pieces.append(c)
    if block and s:
        if s[0] in "-+=:":
            pieces[0] = "\\" + s[0]
        else:
            m = _ORDERED_MARKER.match(s)
            if m:
                k = m.end() - 1
                pieces[k] = "\\" + s[k]
    return pieces


def escape(text: str) -> str:
    """Escape plain text so that ``parse`` gives back exactly that text, as one Text in a
    paragraph (alone on its line(s) or inline), in a table cell, or inside a quoted attribute
    value such as ``{caption="Tabell 1. {{ name }}"}`` (so ``"`` is escaped too).

    The one normalization is ``tree.clean_text``: every line ending (CRLF, CR, LF) becomes a
    space and control characters other than tab are dropped (along with surrogates and Unicode
    non-characters); no docx could hold them anyway. Leading and trailing whitespace, which
    Markdown would trim, is kept by writing it as a character reference (``&#32;``).
    """
    cleaned = clean_text(text)
    if not _NEEDS_ESCAPE.search(cleaned):
        return cleaned  # most values (names, amounts, dates) have nothing to escape: skip the per-character pass
    pieces = escape_pieces(cleaned, lead=True, trail=True, block=True)
    # The text is pasted into a template, so what follows it is unknown: a final "!" could meet
    # a "[" (an image) and a final "&" could start a character reference. Escape both.
    if pieces and pieces[-1] in ("!", "&"):
        pieces[-1] = "\\" + pieces[-1]
    return "".join('\\"' if p == '"' else p for p in pieces)


def escape_attribute(text: str) -> str:
    """Escape text for a quoted block-attribute value, e.g. ``{caption="..."}``.

    Attribute values are read like a Markdown link title: backslash escapes and character
    references are decoded (see ``general_reader.unescape_attribute``), so ``\\``, ``"``, ``{``, ``}`` and a
    ``&`` that would start a reference are escaped.
    """
    s = clean_text(text)
    if '"' not in s and "\\" not in s and "{" not in s and "}" not in s and "&" not in s:
        return s  # a place such as "projects[3].summary": nothing to escape, no pass per character
    entity_at = {m.start() for m in ENTITY_LIKE.finditer(s)} if "&" in s else ()
    return "".join("\\" + c if c in '\\"{}' or (c == "&" and i in entity_at) else c
                   for i, c in enumerate(s))


# --------------------------------------------------------------------------- sources

#: The line that ends a Source's fenced div.
SOURCE_CLOSE = ":::"
# The same as whole lines of a text (trailing spaces allowed), matched only where str.find finds
# their start at the start of a line, instead of a look at every line (a report with ten thousand
# projects has hundreds of thousands) or a search with "^", which the regular expression engine
# tries at every position of the text.
_OPEN_START = '::: {source="'
_OPEN_LINE = re.compile(r'::: \{source="((?:[^"\\\n]|\\.)*)"\} *$', re.MULTILINE)
_CLOSE_LINE = re.compile(r"::: *$", re.MULTILINE)


def _line_at(text: str, start: str, pattern: re.Pattern, pos: int) -> re.Match | None:
    """The first line from ``pos`` on (``pos`` starts a line) that ``pattern`` matches whole,
    looked for where ``start`` starts a line."""
    at = text.find(start, pos)
    while at >= 0:
        if at == pos or text[at - 1] == "\n":
            m = pattern.match(text, at)
            if m is not None:
                return m
        at = text.find(start, at + 1)
    return None


def source_open(path: str) -> str:
    """The line that opens a Source's fenced div for the inputs place ``path``."""
    return '::: {source="' + escape_attribute(path) + '"}'


def _split_sources(text: str) -> list[tuple[str | None, int, int, str]] | None:
    """(path or None, first line, end line, text) of each part of ``text`` between Source markers
    (its lines are ``text.split("\\n")[first:end]``), or None if it has none. An opening marker
    without its closing line is text like any other.

    Each part's text is sliced from ``text`` as it stands (its lines without the line break after
    the last), so the text is not split into lines here, nor joined again."""
    if "::: {source=" not in text:
        return None
    parts: list[tuple[str | None, int, int, str]] = []
    start = 0  # where the current part of text outside the markers starts
    start_line = 0
    line, at = 0, 0  # the line number of position ``at``
    m = _line_at(text, _OPEN_START, _OPEN_LINE, 0)
    while m is not None:
        close = _line_at(text, SOURCE_CLOSE, _CLOSE_LINE, m.end() + 1)
        if close is None:
            break
        line += text.count("\n", at, m.start())
        open_line = line
        line += text.count("\n", m.start(), close.start())
        at = close.start()
        # A part's text ends before the line break that ends its last line; an empty part is "".
        parts.append((None, start_line, open_line, text[start:max(start, m.start() - 1)]))
        parts.append((unescape_attribute(m.group(1)), open_line + 1, line,
                      text[m.end() + 1:max(m.end() + 1, close.start() - 1)]))
        start, start_line = close.end() + 1, line + 1
        m = _line_at(text, _OPEN_START, _OPEN_LINE, start) if start <= len(text) else None
    if not parts:
        return None
    end_line = start_line + text.count("\n", start) + 1 if start <= len(text) else start_line
    parts.append((None, start_line, end_line, text[start:]))
    return parts


def _parse_sources(parts: list[tuple[str | None, int, int, str]], source: str,
                   parse_part) -> tuple[Document, list[Finding]]:
    """The parts parsed each on its own by ``parse_part(first, end, text)``, which gives its
    blocks (canonical) and findings, these with the lines of the whole text."""
    blocks: list[Block] = []
    findings: list[Finding] = []
    for path, first, end, part in parts:
        found_blocks, found = parse_part(first, end, part)
        findings += found
        if path is None:
            blocks.extend(found_blocks)
        elif found_blocks:
            blocks.append(Source(path, found_blocks))
    # Each part is canonical, and normalize works block by block: so is the whole.
    return _mark_canonical(Document(tuple(blocks))), findings


def _general_part(source: str):
    """parse_part for _parse_sources: the general reader on the part's text."""
    def parse_part(first: int, end: int, part: str) -> tuple[tuple[Block, ...], list[Finding]]:
        doc, found = parse_with_markdown_it(part, source)
        return doc.blocks, [replace(f, where=replace(f.where, line=f.where.line + first))
                            if f.where is not None and f.where.line is not None and f.where.file == source else f
                            for f in found]
    return parse_part


def _parse_one(text: str, source: str) -> tuple[Document, list[Finding]]:
    # Link reference definitions ("[x]: url") act on the whole document, and markdown-it
    # rewrites CR and NUL before it splits lines: such a document goes to markdown-it whole.
    # The fast reader (its own module) gives the same trees faster, unless the fast paths are off.
    if "]:" in text or "\r" in text or "\0" in text or not fast_paths_enabled():
        return parse_with_markdown_it(text, source)
    return parse_fast(text, source)


def parse_general(text: str, source: str = "<markdown>") -> tuple[Document, list[Finding]]:
    """The general reader (markdown-it) on the whole text, Source markers included: the reference
    the fast path is held to."""
    parts = _split_sources(text)
    if parts is not None:
        return _parse_sources(parts, source, _general_part(source))
    return parse_with_markdown_it(text, source)


def parse(text: str, source: str = "<markdown>") -> tuple[Document, list[Finding]]:
    """Parse Markdown into a canonical (``tree.normalize``-d) Document, with findings.

    Never raises: unsupported constructs become text plus a warning.
    """
    try:
        parts = _split_sources(text)
        if parts is None:
            return _parse_one(text, source)
        general = _general_part(source)
        if not fast_paths_enabled():
            return _parse_sources(parts, source, general)
        # One fast parser reads every part, in place in the lines of the whole text: a report of
        # ten thousand projects has twice as many parts, and a parser for each, with the text cut
        # into lines once for the markers and again for each part, was a third of its parse.
        parser = FastParser(text, source)

        def parse_part(first: int, end: int, part: str) -> tuple[tuple[Block, ...], list[Finding]]:
            if "]:" in part or "\r" in part or "\0" in part:
                return general(first, end, part)  # as _parse_one does with a whole text
            return parse_fast_lines(parser, first, end, ".chart" in part)

        return _parse_sources(parts, source, parse_part)
    except Exception as exc:  # noqa: BLE001  # pragma: no cover - a bug must not crash a build
        return Document(()), [error(
            "markdown.internal", f"could not parse the Markdown: {type(exc).__name__}: {exc}",
            Location(source), hint="this is a bug in reportgen; please report it")]
