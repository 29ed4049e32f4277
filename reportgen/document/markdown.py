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

Anything else is degraded to text and reported as a warning; ``parse`` never raises.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin

from reportgen.document.tree import (
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
    Strong,
    Table,
    TableOfContents,
    Text,
    clean_text,
    normalize,
    plain_text,
)
from reportgen.findings import Finding, Location, error, warning

__all__ = ["ENTITY_LIKE", "ESCAPE_ALWAYS", "char_reference", "escape", "escape_attribute",
           "escape_pieces", "parse"]


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
    def __init__(self, tokens: list[Token], source: str) -> None:
        self.tokens = tokens
        self.pos = 0
        self.source = source
        self.findings: list[Finding] = []

    # -- helpers
    def where(self, tok: Token | None) -> Location:
        if tok is not None and tok.map:
            return Location(self.source, line=tok.map[0] + 1)
        return Location(self.source)

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
    def blocks(self, close_type: str | None) -> list[Block]:
        out: list[Block] = []
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            if close_type is not None and tok.type == close_type:
                self.pos += 1
                return out
            self.pos += 1
            # Attributes that markdown-it sets itself (an ordered list's start) are not the
            # author's; any other attribute on a non-table block came from a {...} line.
            extra = {k: v for k, v in (tok.attrs or {}).items()
                     if not (tok.type == "ordered_list_open" and k == "start")}
            if extra and tok.type != "table_open":
                self.findings.append(warning(
                    "markdown.attrs-ignored",
                    f"block attributes {_fmt_attrs(extra)} only apply to tables; "
                    f"they are ignored before a {tok.type.removesuffix('_open')}",
                    self.where(tok)))
            block = self.block(tok, out)
            if block is not None:
                out.append(block)
        return out

    def block(self, tok: Token, siblings: list[Block]) -> Block | None:
        t = tok.type
        if t == "heading_open":
            level = int(tok.tag[1:])
            if level > 4:
                self.findings.append(warning(
                    "markdown.heading-depth",
                    f"heading level {level} is deeper than 4; it is written as level 4",
                    self.where(tok)))
            inline = self.next()
            self.next()  # heading_close
            return Heading(min(level, 4), self.inlines(inline))
        if t == "paragraph_open":
            inline = self.next()
            self.next()  # paragraph_close
            return self.paragraph(tok, inline)
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
                self.where(tok)))
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
            self.where(tok)))
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

    def paragraph(self, open_tok: Token, inline: Token) -> Block | None:
        children = inline.children or []
        raw = inline.content.strip()
        if raw == "[TOC]":
            return TableOfContents()
        if len(children) == 1 and children[0].type == "image":
            img = children[0]
            alt = plain_text(self.inlines_of(img.children or [], open_tok))
            if not clean_text(alt).strip():
                self.findings.append(warning(
                    "markdown.figure-alt",
                    f"figure '{img.attrGet('src')}' has no alternative text (![text](...)); "
                    "screen readers need one",
                    self.where(open_tok)))
            return Figure(str(img.attrGet("src") or ""), alt, str(img.attrGet("title") or ""))
        return Paragraph(self.inlines(inline))

    def table(self, tok: Token, siblings: list[Block]) -> Table:
        caption = None
        totals = False
        for key, value in (tok.attrs or {}).items():
            if key == "caption":
                caption = _unescape_attribute(str(value))
            elif key == "class":
                classes = str(value).split()
                totals = "totals" in classes
                other = [c for c in classes if c != "totals"]
                if other:
                    self.findings.append(warning(
                        "markdown.attrs-ignored",
                        f"unknown table class(es) {', '.join('.' + c for c in other)}; "
                        "only .totals is known", self.where(tok)))
            else:
                self.findings.append(warning(
                    "markdown.attrs-ignored",
                    f"unknown table attribute '{key}'; only caption and .totals are known",
                    self.where(tok)))
        if siblings and isinstance(siblings[-1], Paragraph):
            prev = plain_text(siblings[-1].inlines).strip()
            if prev.startswith("{") and prev.endswith("}") and caption is None and not totals:
                self.findings.append(warning(
                    "markdown.attrs-malformed",
                    f"the line before this table looks like block attributes but could not be "
                    f"read: {prev[:80]}",
                    self.where(tok),
                    hint='write it like {caption="Tabell 1. Text" .totals}, with straight '
                         'quotes and \\" for a quote inside the caption'))
        header: list[tuple[Inline, ...]] = []
        align: list[str] = []
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        row: list[tuple[Inline, ...]] = []
        in_head = False
        while self.pos < len(self.tokens):
            t = self.next()
            if t.type == "table_close":
                break
            if t.type == "thead_open":
                in_head = True
            elif t.type == "thead_close":
                in_head = False
            elif t.type == "tr_open":
                row = []
            elif t.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
            elif t.type in ("th_open", "td_open"):
                if in_head:
                    align.append(_ALIGN_STYLE.get(str(t.attrGet("style") or ""), "left"))
                inline = self.next()
                self.next()  # th_close / td_close
                row.append(self.inlines(inline))
        if totals and not rows:
            self.findings.append(error(
                "markdown.totals-empty",
                "the table is marked .totals but has no rows below the header",
                self.where(tok)))
            totals = False
        return Table(caption, tuple(header), tuple(rows), tuple(align), totals)  # type: ignore[arg-type]

    # -- inlines
    def inlines(self, inline: Token) -> tuple[Inline, ...]:
        children = inline.children or []
        if len(children) == 1 and children[0].type == "text":  # fast path for plain cells
            return (Text(children[0].content),)
        return self.inlines_of(children, inline)

    def inlines_of(self, children: list[Token], where_tok: Token) -> tuple[Inline, ...]:
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
                    self.where(where_tok)))
                stack[-1].extend(self.inlines_of(t.children or [], where_tok))
            elif t.content:
                stack[-1].append(Text(t.content))
        while len(stack) > 1:  # unbalanced (never from markdown-it): keep the text
            kids = stack.pop()
            stack[-1].extend(kids)
        return tuple(stack[0])


def _fmt_attrs(attrs: dict) -> str:
    return "{" + " ".join(f"{k}={v!r}" for k, v in attrs.items()) + "}"


def parse(text: str, source: str = "<markdown>") -> tuple[Document, list[Finding]]:
    """Parse Markdown into a canonical (``tree.normalize``-d) Document, with findings.

    Never raises: unsupported constructs become text plus a warning.
    """
    try:
        tokens = _MD.parse(text)
        conv = _Converter(tokens, source)
        blocks = conv.blocks(None)
        return normalize(Document(tuple(blocks))), conv.findings
    except Exception as exc:  # noqa: BLE001  # pragma: no cover - a bug must not crash a build
        return Document(()), [error(
            "markdown.internal", f"could not parse the Markdown: {type(exc).__name__}: {exc}",
            Location(source), hint="this is a bug in reportgen; please report it")]
