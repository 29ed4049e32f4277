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
"""

from __future__ import annotations

import re
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.common import utils as _mdit_utils
from markdown_it.common.utils import unescapeAll
from markdown_it.rules_block import table as _mdit_table
from markdown_it.rules_block.table import escapedSplit, headerLineRe
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.attrs.parse import ParseError as _AttrsParseError
from mdit_py_plugins.attrs.parse import parse as _parse_attrs

from reportgen.document.tree import (
    _CLEANING_CLASS,
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
    Source,
    Strong,
    Table,
    TableOfContents,
    Text,
    _mark_canonical,
    clean_text,
    normalize,
    normalize_blocks,
    normalize_inlines,
    plain_text,
)
from reportgen.findings import Finding, Location, error, warning

__all__ = ["ENTITY_LIKE", "ESCAPE_ALWAYS", "SOURCE_CLOSE", "char_reference", "escape",
           "escape_attribute", "escape_pieces", "parse", "source_open"]


def _identity(url: str) -> str:
    return url


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(attrs_block_plugin)
    # markdown-it percent-encodes destinations for HTML; a document tree wants them as the author
    # wrote them (a path like "figurer/län.png" must stay openable, a URL stays readable). The
    # scheme check (no javascript:, file:, ...) still applies.
    md.normalizeLink = _identity  # type: ignore[method-assign]
    return md


_MD = _make_parser()

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
    references are decoded (see ``_unescape_attribute``), so ``\\``, ``"``, ``{``, ``}`` and a
    ``&`` that would start a reference are escaped.
    """
    s = clean_text(text)
    entity_at = {m.start() for m in ENTITY_LIKE.finditer(s)} if "&" in s else ()
    return "".join("\\" + c if c in '\\"{}' or (c == "&" and i in entity_at) else c
                   for i, c in enumerate(s))


def _unescape_attribute(value: str) -> str:
    # The attrs plugin hands back the raw text between the quotes. Decode it the way CommonMark
    # decodes a link title: a backslash before ASCII punctuation, and character references.
    # That also makes escape()'s output valid here.
    return clean_text(unescapeAll(value))


# --------------------------------------------------------------------------- parsing

_ALIGN_STYLE = {"text-align:right": "right", "text-align:center": "center",
                "text-align:left": "left"}
_TABLE_ATTRS = {"caption", "class"}


class _Converter:
    """markdown-it tokens → tree nodes, as markdown-it gives them (``normalize`` comes after).

    ``offset`` is the document line of the tokens' line 0: the tokens may come from a part of the
    document parsed on its own (see ``_Parser``).
    """

    def __init__(self, source: str) -> None:
        self.tokens: list[Token] = []
        self.pos = 0
        self.offset = 0
        self.source = source
        self.findings: list[Finding] = []

    # -- helpers
    def line_of(self, tok: Token | None) -> int | None:
        if tok is not None and tok.map:
            return tok.map[0] + 1 + self.offset
        return None

    def where(self, line: int | None) -> Location:
        return Location(self.source) if line is None else Location(self.source, line=line)

    def next(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def skip_to_close(self) -> None:
        """Skip the tokens up to the close of the block just opened."""
        depth = 1
        while self.pos < len(self.tokens) and depth:
            t = self.next()
            depth += t.nesting

    # -- blocks
    def blocks(self, close_type: str | None, out: list[Block] | None = None) -> list[Block]:
        """The blocks up to ``close_type``, appended to ``out`` (whose last block is the
        previous sibling of the first one)."""
        if out is None:
            out = []
        tokens = self.tokens
        while self.pos < len(tokens):
            tok = tokens[self.pos]
            self.pos += 1
            t = tok.type
            if t == close_type:
                return out
            if tok.attrs and t != "table_open":
                # Attributes that markdown-it sets itself (an ordered list's start) are not the
                # author's; any other attribute on a non-table block came from a {...} line.
                extra = {k: v for k, v in tok.attrs.items()
                         if not (t == "ordered_list_open" and k == "start")}
                if extra:
                    self.findings.append(warning(
                        "markdown.attrs-ignored",
                        f"block attributes {_fmt_attrs(extra)} only apply to tables; "
                        f"they are ignored before a {t.removesuffix('_open')}",
                        self.where(self.line_of(tok))))
            block = self.block(tok, out)
            if block is not None:
                out.append(block)
        return out

    def block(self, tok: Token, siblings: list[Block]) -> Block | None:
        t = tok.type
        if t == "paragraph_open":
            inline = self.next()
            self.next()  # paragraph_close
            return self.paragraph(inline.children or [], inline.content, self.line_of(tok))
        if t == "heading_open":
            level = int(tok.tag[1:])
            if level > 4:
                self.findings.append(warning(
                    "markdown.heading-depth",
                    f"heading level {level} is deeper than 4; it is written as level 4",
                    self.where(self.line_of(tok))))
            inline = self.next()
            self.next()  # heading_close
            return Heading(min(level, 4), self.inlines(inline.children or [], self.line_of(inline)))
        if t == "bullet_list_open":
            return BulletList(self.items("bullet_list_close"))
        if t == "ordered_list_open":
            start_attr = tok.attrGet("start")  # markdown-it omits it when the list starts at 1
            start = 1 if start_attr is None else int(start_attr)
            return OrderedList(self.items("ordered_list_close"), start)
        if t == "blockquote_open":
            return BlockQuote(tuple(self.blocks("blockquote_close")))
        if t == "table_open":
            return self.table(tok, siblings)
        if t == "hr":
            return PageBreak()
        if t in ("code_block", "fence"):
            self.findings.append(warning(
                "markdown.unsupported",
                "code blocks are not supported in reports; the lines are kept as plain text",
                self.where(self.line_of(tok))))
            parts: list[Inline] = []
            for line in tok.content.rstrip("\n").split("\n"):
                if parts:
                    parts.append(LineBreak())
                if line:
                    parts.append(Code(line))
            return Paragraph(tuple(parts))
        # Anything else (raw HTML is off, so this is a plugin's token): keep its text.
        if tok.nesting == 1:
            self.skip_to_close()
        self.findings.append(warning(
            "markdown.unsupported", f"unsupported Markdown construct '{t}'; kept as text",
            self.where(self.line_of(tok))))
        return Paragraph((Text(tok.content),)) if tok.content else None

    def items(self, close_type: str) -> tuple[tuple[Block, ...], ...]:
        items = []
        while self.pos < len(self.tokens):
            tok = self.next()
            if tok.type == close_type:
                break
            if tok.type == "list_item_open":
                items.append(tuple(self.blocks("list_item_close")))
        return tuple(items)

    def paragraph(self, children: list[Token], content: str, line: int | None) -> Block | None:
        """A paragraph of inline ``content`` (parsed into ``children``) starting on ``line``."""
        if content.strip() == "[TOC]":
            return TableOfContents()
        if len(children) == 1 and children[0].type == "image":
            img = children[0]
            alt = plain_text(self.inlines_of(img.children or [], line))
            if not clean_text(alt).strip():
                self.findings.append(warning(
                    "markdown.figure-alt",
                    f"figure '{img.attrGet('src')}' has no alternative text (![text](...)); "
                    "screen readers need one",
                    self.where(line)))
            return Figure(str(img.attrGet("src") or ""), alt, str(img.attrGet("title") or ""))
        return Paragraph(self.inlines(children, line))

    def table(self, tok: Token, siblings: list[Block]) -> Table:
        caption = None
        totals = False
        chart = False
        line = self.line_of(tok)
        for key, value in (tok.attrs or {}).items():
            if key == "caption":
                caption = _unescape_attribute(str(value))
            elif key == "class":
                classes = str(value).split()
                totals = "totals" in classes
                chart = chart or "chart" in classes
                other = [c for c in classes if c not in ("totals", "chart")]
                if other:
                    self.findings.append(warning(
                        "markdown.attrs-ignored",
                        f"unknown table class(es) {', '.join('.' + c for c in other)}; "
                        "only .totals and .chart are known", self.where(line)))
            else:
                self.findings.append(warning(
                    "markdown.attrs-ignored",
                    f"unknown table attribute '{key}'; only caption and .totals are known",
                    self.where(line)))
        if siblings and isinstance(siblings[-1], Paragraph):
            prev = plain_text(siblings[-1].inlines).strip()
            if prev.startswith("{") and prev.endswith("}") and caption is None and not totals:
                self.findings.append(warning(
                    "markdown.attrs-malformed",
                    f"the line before this table looks like block attributes but could not be "
                    f"read: {prev[:80]}",
                    self.where(line),
                    hint='write it like {caption="Tabell 1. Text" .totals}, with straight '
                         'quotes and \\" for a quote inside the caption'))
        header: list[tuple[Inline, ...]] = []
        align: list[str] = []
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        row: list[tuple[Inline, ...]] = []
        in_head = False
        while self.pos < len(self.tokens):
            t = self.next()
            kind = t.type
            if kind == "table_close":
                break
            if kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "tr_open":
                row = []
            elif kind == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
            elif kind in ("th_open", "td_open"):
                if in_head:
                    align.append(_ALIGN_STYLE.get(str(t.attrGet("style") or ""), "left"))
                inline = self.next()
                self.next()  # th_close / td_close
                row.append(self.inlines(inline.children or [], self.line_of(inline)))
        if totals and not rows:
            self.findings.append(error(
                "markdown.totals-empty",
                "the table is marked .totals but has no rows below the header",
                self.where(line)))
            totals = False
        if chart:
            # A chart's data: joined to the figure before it once the whole document is read
            # (the figure may stand in a part parsed on another path), see _join_chart_data.
            caption = _CHART_MARK + (str(line or 0))
        return Table(caption, tuple(header), tuple(rows), tuple(align), totals)  # type: ignore[arg-type]

    # -- inlines
    def inlines(self, children: list[Token], line: int | None) -> tuple[Inline, ...]:
        if len(children) == 1 and children[0].type == "text":  # fast path for plain cells
            return (Text(children[0].content),)
        return self.inlines_of(children, line)

    def inlines_of(self, children: list[Token], line: int | None) -> tuple[Inline, ...]:
        stack: list[list[Inline]] = [[]]
        opened: list[Token] = []
        for t in children:
            kind = t.type
            if kind in ("text", "text_special", "html_inline"):
                stack[-1].append(Text(t.content))
            elif kind == "softbreak":
                stack[-1].append(Text(" "))
            elif kind == "hardbreak":
                stack[-1].append(LineBreak())
            elif kind == "code_inline":
                stack[-1].append(Code(t.content))
            elif kind in ("strong_open", "em_open", "link_open"):
                opened.append(t)
                stack.append([])
            elif kind in ("strong_close", "em_close", "link_close") and opened:
                op = opened.pop()
                kids = tuple(stack.pop())
                if op.type == "strong_open":
                    stack[-1].append(Strong(kids))
                elif op.type == "em_open":
                    stack[-1].append(Emphasis(kids))
                else:
                    stack[-1].append(Link(str(op.attrGet("href") or ""), kids))
            elif kind == "image":
                self.findings.append(warning(
                    "markdown.unsupported",
                    "an image inside running text is not supported; its alternative text is "
                    "kept. Put the image alone in its own paragraph to make it a figure",
                    self.where(line)))
                stack[-1].extend(self.inlines_of(t.children or [], line))
            elif t.content:
                stack[-1].append(Text(t.content))
        while len(stack) > 1:  # unbalanced (never from markdown-it): keep the text
            kids = stack.pop()
            stack[-1].extend(kids)
        return tuple(stack[0])


def _fmt_attrs(attrs: dict) -> str:
    return "{" + " ".join(f"{k}={v!r}" for k, v in attrs.items()) + "}"


# --------------------------------------------------------------------------- the fast path
#
# markdown-it builds a token for everything and runs every block rule on every line; for a report
# with thousands of table rows and list items that is most of a build. ``_Parser`` builds the tree
# directly for blank-line-separated segments of the few shapes the templates produce in bulk and
# hands every other run of segments to markdown-it. A segment may start fresh only where nothing
# before it can reach across the blank lines (see ``_Parser.run``); inside a segment the shapes are
# chosen so that no other block rule could apply to any of their lines. ``_parse_markdown_it`` is
# the reference that tests/test_markdown_fast.py holds the fast path to.

# Characters that can start an inline rule of the preset (newline, escape, backticks, emphasis,
# link, image -- "!" only before "[" --, autolink, entity; raw HTML is off): content without them
# is one text token.
_INLINE_SPECIAL = re.compile(r"[\n\\`*_\[<&]")
# ... or that normalize would change (or might: any astral character)
_NOT_PLAIN = re.compile("[\n\\\\`*_\\[<&" + _CLEANING_CLASS + "]")
# First characters of a line that may start (or be) something other than paragraph text; a line
# starting with "*", "_" or a digit is checked further (see _plain_start).
_BLOCK_START = frozenset(" \t>-+=|:{`~#")
# A first character after which a following segment may belong to what came before the blank
# line: an indented continuation or a list item continuing a list.
_MAY_CONTINUE = frozenset(" \t-+*0123456789")
_ORDERED_ITEM = re.compile(r"[0-9]{1,9}[.)](?:[ \t]|$)")
_ALIGN_OF = {"": "left", "left": "left", "right": "right", "center": "center"}
# What markdown-it trims from cells, headings and paragraphs, and how many missing cells it fills
# in before it ends a table; releases without these strip like str.strip and have no limit.
_TRIM: str | None = getattr(_mdit_utils, "MD_TRIM_CHARS", None)
_MAX_AUTOCOMPLETED = getattr(_mdit_table, "MAX_AUTOCOMPLETED_CELLS", float("inf"))


def _plain(content: str) -> bool:
    """Whether ``content`` is, as inline Markdown, one canonical Text of itself (or nothing):
    no inline rule can start in it and ``normalize`` would not change it."""
    return not _NOT_PLAIN.search(content)


def _plain_start(line: str) -> bool:
    """Whether ``line`` (not empty, unindented) can only be paragraph text: no block rule of the
    parser applies to it, and it cannot interrupt or continue-as-something-else a paragraph."""
    c = line[0]
    if c in _BLOCK_START:
        return False
    if c == "*" or c == "_":
        # a list item ("* a"), or a thematic break ("***", "_ _ _")
        return line[1:2] not in ("", " ", "\t") and not _is_hr(line)
    if "0" <= c <= "9":
        return not _ORDERED_ITEM.match(line)
    return True


def _is_hr(line: str) -> bool:
    rest = line.replace(" ", "").replace("\t", "")
    return len(rest) >= 3 and rest == rest[0] * len(rest)


def _atx(line: str) -> tuple[int, str] | None:
    """(level, content) of an ATX heading line (it starts with "#"), as markdown-it reads it."""
    level = len(line) - len(line.lstrip("#"))
    if level > 6:
        return None
    rest = line[level:]
    if rest and rest[0] != " ":  # tabs never reach here
        return None
    # Trailing spaces go, then a closing run of "#" if a space precedes it.
    rest = rest.rstrip(" ")
    cut = rest.rstrip("#")
    if cut and cut[-1] == " ":
        rest = cut
    return level, rest.strip(_TRIM)


def _delimiter_shaped(line: str) -> bool:
    """markdown-it's first test of a table's delimiter row (only "|", "-", ":" and spaces)."""
    if len(line) < 2:
        return False
    first, second = line[0], line[1]
    if first not in "|-:" or (second not in "|-:" and second not in " \t"):
        return False
    if first == "-" and second in " \t":
        return False
    return not line[2:].strip("|-: \t")


def _aligns(delimiter: str) -> list[str] | None:
    """The column alignments of a delimiter row, or None if it is not one (markdown-it's test)."""
    if not _delimiter_shaped(delimiter):
        return None
    columns = delimiter.split("|")
    aligns = []
    last = len(columns) - 1
    for i, column in enumerate(columns):
        t = column.strip(_TRIM)
        if not t:
            if i == 0 or i == last:
                continue
            return None
        if not headerLineRe.search(t):
            return None
        if t[-1] == ":":
            aligns.append("center" if t[0] == ":" else "right")
        elif t[0] == ":":
            aligns.append("left")
        else:
            aligns.append("")
    return aligns


def _cells(row: str) -> list[str]:
    """The cells of a (trimmed) table row before trimming, split as markdown-it splits them."""
    columns = row.split("|") if "\\" not in row else escapedSplit(row)
    if columns[0] == "":
        del columns[0]
    if columns and columns[-1] == "":
        columns.pop()
    return columns


def _inline_tokens(content: str) -> list[Token]:
    # Inline parsing depends on nothing outside the content but link reference definitions,
    # and a document that might have one is parsed by markdown-it as a whole.
    tokens: list[Token] = []
    _MD.inline.parse(content, _MD, {}, tokens)
    return tokens


def _closes_fence(line: str, markup: str) -> bool:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or "\t" in line:
        return False  # unsure: treated as still open
    count = len(stripped) - len(stripped.lstrip(markup[0]))
    return count >= len(markup) and not stripped[count:].strip(" \t")


class _Parser(_Converter):
    def __init__(self, text: str, source: str) -> None:
        super().__init__(source)
        self.lines = text.split("\n")
        self.out: list[Block] = []  # canonical top-level blocks
        # Plain cells and list items repeat (a status, a county, "Projektägare: Region X"); trees
        # are immutable, so one node serves every occurrence, which saves time and memory.
        self.plain_cells: dict[str, tuple[Inline, ...]] = {}
        self.plain_items: dict[str, tuple[Block, ...]] = {}
        # The last top-level block as the converter made it: a table checks whether the
        # paragraph before it looks like attributes that could not be read.
        self.prev: Block | None = None

    def run(self) -> Document:
        lines = self.lines
        segments = _segments(lines)
        findings = self.findings
        run_start = -1  # the first line of the pending markdown-it run, if any
        run_end = 0
        for k, (a, b) in enumerate(segments):
            if run_start >= 0 and (lines[a][0] in _MAY_CONTINUE
                                   or lines[run_end - 1].rstrip(" \t").endswith("}")):
                # An indented line or a list item may continue the run's last block; a
                # {...} line gives its attributes to the next block, wherever that is.
                run_end = b
                continue
            following = lines[segments[k + 1][0]] if k + 1 < len(segments) else ""
            mark = len(findings)
            got = self.segment(a, b, following)
            if got is None:
                del findings[mark:]
                if run_start < 0:
                    run_start = a
                run_end = b
                continue
            if run_start >= 0:
                # The pending run comes first, findings included.
                found = findings[mark:]
                del findings[mark:]
                if self.markdown_it(run_start, run_end):
                    return Document(tuple(self.out))
                findings += found
                run_start = -1
            blocks, self.prev = got
            self.out += blocks
        if run_start >= 0:
            self.markdown_it(run_start, run_end)
        return Document(tuple(self.out))

    def markdown_it(self, a: int, b: int) -> bool:
        """Parse lines a..b-1 with markdown-it; True if that had to go on to the end of the
        document (a code fence left open at b)."""
        lines = self.lines
        tokens = _MD.parse("\n".join(lines[a:b]))
        to_end = b < len(lines) and _open_fence(tokens, lines, a, b)
        if to_end:
            tokens = _MD.parse("\n".join(lines[a:]))
        self.tokens, self.pos, self.offset = tokens, 0, a
        out = [] if self.prev is None else [self.prev]
        first = len(out)
        self.blocks(None, out)
        self.tokens = []
        if len(out) > first:
            self.prev = out[-1]
            self.out += normalize_blocks(out[first:])
        return to_end

    def segment(self, a: int, b: int, following: str) -> tuple[list[Block], Block | None] | None:
        """The canonical blocks of lines a..b-1 and the last block as the converter would have
        made it, or None if the segment is not of a shape this path knows (findings made on the
        way are then the caller's to drop)."""
        lines = self.lines
        out: list[Block] = []
        last: Block | None = None
        i = a
        while i < b:
            line = lines[i]
            if "\t" in line:
                return None
            c = line[0]
            if c in "-*_" and _is_hr(line):
                if i > a and _delimiter_shaped(line):
                    return None  # "# a |" above "---" is a table's header
                last = PageBreak()
                out.append(last)
                i += 1
            elif c == "#":
                h = _atx(line)
                if h is None:
                    return None
                level, content = h
                if level > 4:
                    self.findings.append(warning(
                        "markdown.heading-depth",
                        f"heading level {level} is deeper than 4; it is written as level 4",
                        self.where(i + 1)))
                last = Heading(min(level, 4), self.cell(content, i + 1))
                out.append(last)
                i += 1
            elif c == "{":
                last = self.fast_table(i, b)
                if last is None:
                    return None
                out.append(last)
                i = b
            elif c == "-":
                items = []
                while i < b:
                    line = lines[i]
                    if line[0] == "#":
                        break
                    if (line[:2] != "- " or len(line) < 3 or "\t" in line
                            or not _plain_start(line[2:])):
                        return None
                    content = line[2:].strip(_TRIM)
                    item = self.plain_items.get(content)
                    if item is not None:
                        items.append(item)
                    elif content and _plain(content):
                        item = self.plain_items[content] = (Paragraph((Text(content),)),)
                        items.append(item)
                    else:
                        block = self.text_block(content, i + 1)
                        items.append(normalize_blocks((block,)) if block is not None else ())
                    i += 1
                if i == b and following[:1] in _MAY_CONTINUE:
                    return None  # the list may go on after the blank line
                last = BulletList(tuple(items))
                out.append(last)
            elif _plain_start(line):
                j = i + 1
                while j < b and lines[j][0] != "#":
                    if "\t" in lines[j] or not _plain_start(lines[j]):
                        return None
                    j += 1
                content = ("\n".join(lines[i:j]) if j > i + 1 else line).strip(_TRIM)
                if content and _plain(content):
                    last = Paragraph((Text(content),))
                    out.append(last)
                else:
                    last = self.text_block(content, i + 1)
                    if last is not None:
                        out += normalize_blocks((last,))
                i = j
            else:
                return None
        return out, last

    def text_block(self, content: str, line: int) -> Block | None:
        """A paragraph (or [TOC], or a figure) as the converter makes it."""
        if not _INLINE_SPECIAL.search(content):
            return Paragraph((Text(content),) if content else ())
        return self.paragraph(_inline_tokens(content), content, line)

    def cell(self, content: str, line: int) -> tuple[Inline, ...]:
        """The canonical inlines of a heading or table cell."""
        if _plain(content):
            return (Text(content),) if content else ()
        if not _INLINE_SPECIAL.search(content):
            raw: tuple[Inline, ...] = (Text(content),)
        else:
            raw = self.inlines(_inline_tokens(content), line)
        return normalize_inlines(raw, single_line=True)

    def fast_table(self, i: int, b: int) -> Table | None:
        """A canonical table of lines i..b-1: a {caption="..." [.totals]} line, the header, the
        delimiter row and rows, every one starting with "|"."""
        lines = self.lines
        if b - i < 3:
            return None
        head, delimiter = lines[i + 1], lines[i + 2]
        if head[0] != "|" or delimiter[0] != "|" or _delimiter_shaped(head):
            return None  # (a header shaped like a delimiter row would make the {...} line a header)
        attr_line = lines[i].rstrip(" ")
        if not attr_line.endswith("}"):
            return None
        try:
            _, attrs = _parse_attrs(attr_line)
        except _AttrsParseError:
            return None
        if "caption" not in attrs or not attrs.keys() <= _TABLE_ATTRS:
            return None
        classes = str(attrs.get("class", "")).split()
        if any(c != "totals" for c in classes):
            return None
        aligns = _aligns(delimiter)
        if aligns is None:
            return None
        header = _cells(head.strip(_TRIM))
        n = len(header)
        if n == 0 or n != len(aligns):
            return None
        cell = self.cell
        trim = _TRIM
        plain = self.plain_cells
        known = plain.get
        header_cells = tuple([cell(c.strip(trim), i + 2) for c in header])  # (findings in order)
        rows = []
        autocompleted = 0
        for j in range(i + 3, b):
            row = lines[j]
            if row[0] != "|" or "\t" in row:
                return None
            row = row.strip(trim)
            cells = _cells(row)
            autocompleted += n - len(cells)
            if autocompleted > _MAX_AUTOCOMPLETED:
                return None  # markdown-it ends the table there
            if len(cells) != n:
                cells = cells[:n] if len(cells) > n else cells + [""] * (n - len(cells))
            if _plain(row):
                rows.append(tuple([(known(t) or _new_cell(plain, t)) if (t := c.strip(trim)) else ()
                                   for c in cells]))
            else:
                rows.append(tuple([cell(c.strip(trim), j + 1) for c in cells]))
        totals = bool(classes)
        if totals and not rows:
            return None  # an error, reported by the converter
        caption = _unescape_attribute(str(attrs["caption"]))
        return Table(caption or None, header_cells, tuple(rows),
                     tuple([_ALIGN_OF[x] for x in aligns]), totals)  # type: ignore[arg-type]


#: The caption the converter gives a table marked ``.chart`` until it is joined to its figure: a
#: private-use character that no caption written in Markdown starts with, then the line.
_CHART_MARK = "\ue000chart:"


def _join_chart_data(blocks: tuple[Block, ...], source: str, findings: list[Finding]) -> tuple[Block, ...]:
    """Each table marked ``.chart`` becomes the data of the figure right before it; one with no
    figure before it stays an ordinary table (with a warning)."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Table) and b.caption and b.caption.startswith(_CHART_MARK):
            line = b.caption[len(_CHART_MARK):]
            plain = Table(None, b.header, b.rows, b.align, b.totals)
            if out and isinstance(out[-1], Figure) and out[-1].data is None and not b.totals:
                f = out[-1]
                out[-1] = Figure(f.src, f.alt, f.caption, plain)
            else:
                findings.append(warning(
                    "markdown.chart-data", "a table marked .chart must follow a figure (its chart) "
                    "and have no totals row; it is read as an ordinary table",
                    Location(source, line=int(line)) if line.isdecimal() and int(line) else Location(source)))
                out.append(plain)
            continue
        if isinstance(b, BlockQuote):
            b = BlockQuote(_join_chart_data(b.blocks, source, findings))
        elif isinstance(b, BulletList):
            b = BulletList(tuple(_join_chart_data(i, source, findings) for i in b.items))
        elif isinstance(b, OrderedList):
            b = OrderedList(tuple(_join_chart_data(i, source, findings) for i in b.items), b.start)
        out.append(b)
    return tuple(out)


def _new_cell(cells: dict[str, tuple[Inline, ...]], text: str) -> tuple[Inline, ...]:
    cell = cells[text] = (Text(text),)
    return cell


def _segments(lines: list[str]) -> list[tuple[int, int]]:
    """(first, end) of each run of non-blank lines (blank: only spaces and tabs)."""
    segments = []
    start = -1
    for i, line in enumerate(lines):
        if line.strip(" \t"):
            if start < 0:
                start = i
        elif start >= 0:
            segments.append((start, i))
            start = -1
    if start >= 0:
        segments.append((start, len(lines)))
    return segments


def _open_fence(tokens: list[Token], lines: list[str], a: int, b: int) -> bool:
    """Whether a top-level code fence in the tokens of lines a..b-1 reaches b without its
    closing line, so that in the whole document it would go on."""
    n = b - a
    for tok in tokens:
        if tok.type == "fence" and tok.level == 0 and tok.map and tok.map[1] >= n:
            end = tok.map[1] - 1
            if end <= tok.map[0] or not _closes_fence(lines[a + end], tok.markup):
                return True
    return False


def _parse_markdown_it(text: str, source: str = "<markdown>") -> tuple[Document, list[Finding]]:
    """The whole document through markdown-it: the reference the fast path must agree with."""
    parts = _split_sources(text)
    if parts is not None:
        return _parse_sources(parts, source, _parse_markdown_it)
    conv = _Converter(source)
    conv.tokens = _MD.parse(text)
    blocks = normalize_blocks(conv.blocks(None))
    if ".chart" in text:
        blocks = _join_chart_data(blocks, source, conv.findings)
    return normalize(Document(blocks)), conv.findings


# --------------------------------------------------------------------------- sources

#: The line that ends a Source's fenced div.
SOURCE_CLOSE = ":::"
_SOURCE_OPEN = re.compile(r'::: \{source="((?:[^"\\\n]|\\.)*)"\}')


def source_open(path: str) -> str:
    """The line that opens a Source's fenced div for the inputs place ``path``."""
    return '::: {source="' + escape_attribute(path) + '"}'


def _split_sources(text: str) -> list[tuple[str | None, int, str]] | None:
    """(path or None, first line, text) of each part of ``text`` between Source markers, or None
    if it has none. An opening marker without its closing line is text like any other."""
    if "::: {source=" not in text:
        return None
    lines = text.split("\n")
    parts: list[tuple[str | None, int, str]] = []
    start = 0
    i = 0
    while i < len(lines):
        m = _SOURCE_OPEN.fullmatch(lines[i].rstrip(" "))
        if m is None:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip(" ") == SOURCE_CLOSE), None)
        if end is None:
            break
        parts.append((None, start, "\n".join(lines[start:i])))
        parts.append((_unescape_attribute(m.group(1)), i + 1, "\n".join(lines[i + 1:end])))
        start = i = end + 1
    if not any(path is not None for path, _, _ in parts):
        return None
    parts.append((None, start, "\n".join(lines[start:])))
    return parts


def _parse_sources(parts: list[tuple[str | None, int, str]], source: str,
                   parse_part) -> tuple[Document, list[Finding]]:
    blocks: list[Block] = []
    findings: list[Finding] = []
    for path, first, part in parts:
        doc, found = parse_part(part, source)
        for f in found:
            if f.where is not None and f.where.line is not None and f.where.file == source:
                f = replace(f, where=replace(f.where, line=f.where.line + first))
            findings.append(f)
        if path is None:
            blocks.extend(doc.blocks)
        elif doc.blocks:
            blocks.append(Source(path, doc.blocks))
    # Each part is canonical, and normalize works block by block: so is the whole.
    return _mark_canonical(Document(tuple(blocks))), findings


def _parse_one(text: str, source: str, shared: _Parser | None = None) -> tuple[Document, list[Finding]]:
    # Link reference definitions ("[x]: url") act on the whole document, and markdown-it
    # rewrites CR and NUL before it splits lines: such a document goes to markdown-it whole.
    if "]:" in text or "\r" in text or "\0" in text:
        return _parse_markdown_it(text, source)
    parser = _Parser(text, source)
    if shared is not None:
        parser.plain_cells, parser.plain_items = shared.plain_cells, shared.plain_items
    doc = parser.run()
    if ".chart" in text:
        return normalize(Document(_join_chart_data(doc.blocks, source, parser.findings))), parser.findings
    return _mark_canonical(doc), parser.findings


def parse(text: str, source: str = "<markdown>") -> tuple[Document, list[Finding]]:
    """Parse Markdown into a canonical (``tree.normalize``-d) Document, with findings.

    Never raises: unsupported constructs become text plus a warning.
    """
    try:
        parts = _split_sources(text)
        if parts is not None:
            # The parts share one parser's caches of plain cells and list items: they repeat
            # from one part to the next (a project's "- Län: ..." lines).
            shared = _Parser("", source)
            return _parse_sources(parts, source, lambda part, src: _parse_one(part, src, shared))
        return _parse_one(text, source)
    except Exception as exc:  # noqa: BLE001  # pragma: no cover - a bug must not crash a build
        return Document(()), [error(
            "markdown.internal", f"could not parse the Markdown: {type(exc).__name__}: {exc}",
            Location(source), hint="this is a bug in reportgen; please report it")]
