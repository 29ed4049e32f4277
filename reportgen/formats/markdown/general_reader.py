"""The general Markdown reader: the whole document through markdown-it, its tokens converted to
tree nodes (``parse_with_markdown_it``). The dialect and the conventions are described in
:mod:`reportgen.formats.markdown.reader`, which is where to call ``parse``; the fast reader
(:mod:`reportgen.formats.markdown.fast_reader`) builds the same trees for the common shapes and
hands everything else to the :class:`Converter` here.
"""


from __future__ import annotations

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
    normalize_blocks,
    plain_text,
)
from reportgen.findings import Finding, Location, error, warning


def _identity(url: str) -> str:
    return url


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table").use(attrs_block_plugin)
    # markdown-it percent-encodes destinations for HTML; a document tree wants them as the author
    # wrote them (a path like "figurer/län.png" must stay openable, a URL stays readable).
    md.normalizeLink = _identity  # type: ignore[method-assign]
    # Every destination becomes a Link (markdown-it would leave "[a](javascript:x)" as text): which
    # targets a document may link to is the one policy of reportgen.document.links, applied by
    # the writers and reported, at its place, by the build.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


MARKDOWN = _make_parser()

def unescape_attribute(value: str) -> str:
    # The attrs plugin hands back the raw text between the quotes. Decode it the way CommonMark
    # decodes a link title: a backslash before ASCII punctuation, and character references.
    # That also makes escape()'s output valid here.
    return clean_text(unescapeAll(value))


# --------------------------------------------------------------------------- parsing

_ALIGN_STYLE = {"text-align:right": "right", "text-align:center": "center",
                "text-align:left": "left"}
TABLE_ATTRS = {"caption", "class"}


class Converter:
    """markdown-it tokens → tree nodes, as markdown-it gives them (``normalize`` comes after).

    ``offset`` is the document line of the tokens' line 0: the tokens may come from a part of the
    document parsed on its own (see ``FastParser``).
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
                caption = unescape_attribute(str(value))
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
            # (the figure may stand in a part parsed on another path), see join_chart_data.
            caption = CHART_MARK + (str(line or 0))
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


def parse_with_markdown_it(text: str, source: str = "<markdown>") -> tuple[Document, list[Finding]]:
    """The whole document through markdown-it: the reference the fast path must agree with."""
    conv = Converter(source)
    conv.tokens = MARKDOWN.parse(text)
    blocks = normalize_blocks(conv.blocks(None))
    if ".chart" in text:
        blocks = join_chart_data(blocks, source, conv.findings)
    return normalize(Document(blocks)), conv.findings


#: The caption the converter gives a table marked ``.chart`` until it is joined to its figure: a
#: private-use character that no caption written in Markdown starts with, then the line.
CHART_MARK = "\ue000chart:"


def join_chart_data(blocks: tuple[Block, ...], source: str, findings: list[Finding]) -> tuple[Block, ...]:
    """Each table marked ``.chart`` becomes the data of the figure right before it; one with no
    figure before it stays an ordinary table (with a warning)."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Table) and b.caption and b.caption.startswith(CHART_MARK):
            line = b.caption[len(CHART_MARK):]
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
            b = BlockQuote(join_chart_data(b.blocks, source, findings))
        elif isinstance(b, BulletList):
            b = BulletList(tuple(join_chart_data(i, source, findings) for i in b.items))
        elif isinstance(b, OrderedList):
            b = OrderedList(tuple(join_chart_data(i, source, findings) for i in b.items), b.start)
        out.append(b)
    return tuple(out)


