"""The document tree: the one contract between templates and output formats.

Readers (the Markdown parser, later a docx reader) produce a :class:`Document`; writers (docx,
the normalized Markdown draft) consume it. The tree knows nothing of the domain and nothing of
any file format. All nodes are frozen dataclasses holding tuples, so trees are hashable, compare
by value and can be shared freely.

``normalize`` defines the *canonical* form of a tree: the form the Markdown parser produces. The
Markdown writer promises ``parse(write_markdown(d)) == d`` for every canonical ``d``; trees built
by hand should be passed through ``normalize`` first (the writers call it themselves).
"""

from __future__ import annotations

import itertools
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    text: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    pass


Inline = Text | Strong | Emphasis | Link | Code | LineBreak
#: A table cell is a sequence of inlines (no blocks: Markdown table cells are single-line).
Cell = tuple[Inline, ...]
Row = tuple[Cell, ...]
Align = Literal["left", "right", "center"]
ALIGNMENTS: tuple[str, ...] = ("left", "right", "center")

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Heading:
    level: int  # 1-4
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Paragraph:
    inlines: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class OrderedList:
    items: tuple[tuple[Block, ...], ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class Table:
    caption: str | None
    header: Row
    rows: tuple[Row, ...]
    align: tuple[Align, ...] = ()  # one per column; missing entries mean "left"
    totals: bool = False  # the last row is a totals row (summa)


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture, or a chart when ``data`` is given.

    A chart's ``data`` is a table: the header names the category column and each series, each
    row is a category with one value per series, written as numbers with a decimal comma and
    the unit after them (``5,2 mnkr``). The Word writer draws it as a native chart whose cells
    are those numbers (``src`` is then only the chart's name); the Markdown draft shows the table
    under the figure, so a diff shows a changed value.
    """

    src: str  # a path, relative to the writer's image root (a chart: its name)
    alt: str  # alternative text for screen readers (EN 301 549)
    caption: str  # the visible caption ("" for none)
    data: Table | None = None  # a chart's data (no caption, no totals row)


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class TableOfContents:
    pass


@dataclass(frozen=True, slots=True)
class BlockQuote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """Blocks that come from one place of the inputs (``path``, e.g. ``projects[3].summary``).

    Only at the top level of a document. Writers that keep provenance mark the blocks with it
    (the docx writer wraps them in a content control); every other reader of the tree sees the
    blocks as if the wrapper were not there (``unwrap_sources``).
    """

    path: str
    blocks: tuple[Block, ...]


Block = (Heading | Paragraph | BulletList | OrderedList | Table | Figure | PageBreak
         | TableOfContents | BlockQuote | Source)


@dataclass(frozen=True, slots=True, weakref_slot=True)
class Document:
    blocks: tuple[Block, ...]


# --------------------------------------------------------------------------- helpers


def plain_text(inlines: Inline | Iterable[Inline]) -> str:
    """The text a reader sees, without formatting; a line break counts as a newline."""
    # Nearly every call is for one Text (a table cell, a heading): spared the general walk below,
    # which the writers' table layout made hundreds of thousands of times in a large report.
    if type(inlines) is tuple and len(inlines) == 1 and type(inlines[0]) is Text:
        return inlines[0].text
    if isinstance(inlines, (Text, Code)):
        return inlines.text
    if isinstance(inlines, LineBreak):
        return "\n"
    if isinstance(inlines, (Strong, Emphasis, Link)):
        return plain_text(inlines.children)
    return "".join(plain_text(i) for i in inlines)


def iter_blocks(blocks: Iterable[Block]):
    """Every block, depth first, including those nested in lists and quotes."""
    # A stack of iterators, not nested generators: each level of ``yield from`` passed every
    # block below it up once more (a list item's paragraph three times, in every project).
    stack = [iter(blocks)]
    while stack:
        for b in stack[-1]:
            yield b
            if isinstance(b, (BulletList, OrderedList)):
                stack.append(itertools.chain.from_iterable(b.items))
                break
            if isinstance(b, (BlockQuote, Source)):
                stack.append(iter(b.blocks))
                break
        else:
            stack.pop()


def unwrap_sources(doc: Document) -> Document:
    """``doc`` without its Source wrappers: their blocks stand in their place."""
    if not any(isinstance(b, Source) for b in doc.blocks):
        return doc
    out: list[Block] = []
    for b in doc.blocks:
        if isinstance(b, Source):
            out.extend(b.blocks)
        else:
            out.append(b)
    # normalize works block by block: the blocks of a canonical document are canonical wherever
    # they stand.
    return _mark_canonical(Document(tuple(out))) if _is_canonical(doc) else Document(tuple(out))


# --------------------------------------------------------------------------- normalization

_NEWLINES = re.compile(r"\r\n?|\n")
# Characters no document can carry: C0/C1 controls except tab (XML 1.0 forbids most of them,
# and Markdown character references cannot spell them), surrogates and non-characters.
_NONCHAR = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]"
    "|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)


# A quick test before the substitutions: every character clean_text changes, and any astral one
# (a single class of ranges is several times faster than the exact pattern; a match only means
# "look closer").
_CLEANING_CLASS = ("\r\n\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
                   "\U00010000-\U0010ffff")
_NEEDS_CLEANING = re.compile(f"[{_CLEANING_CLASS}]")


def clean_text(s: str) -> str:
    """The one text normalization of the tree: every line ending becomes a space and
    control characters (other than tab), surrogates and non-characters are dropped.

    Markdown cannot keep a newline inside running text (it becomes a soft break, i.e. a space)
    and the dropped characters are invalid in XML, so no writer could keep them anyway.
    """
    if not s or not _NEEDS_CLEANING.search(s):
        return s
    s = _NEWLINES.sub(" ", s)
    return _NONCHAR.sub("", s)


def _flatten(items: Iterable[Inline], *, in_strong: bool, in_em: bool,
             in_link: bool) -> list[Inline]:
    out: list[Inline] = []

    def push(x: Inline) -> None:
        prev = out[-1] if out else None
        if isinstance(x, Text) and isinstance(prev, Text):
            out[-1] = Text(prev.text + x.text)
        elif isinstance(x, Code) and isinstance(prev, Code):
            # Two code spans side by side cannot be told apart from one in Markdown.
            out[-1] = Code(prev.text + x.text)
        elif isinstance(x, Strong) and isinstance(prev, Strong):
            out[-1] = Strong(tuple(_flatten(prev.children + x.children, in_strong=True,
                                            in_em=in_em, in_link=in_link)))
        elif isinstance(x, Emphasis) and isinstance(prev, Emphasis):
            out[-1] = Emphasis(tuple(_flatten(prev.children + x.children, in_strong=in_strong,
                                              in_em=True, in_link=in_link)))
        else:
            out.append(x)

    for x in items:
        if isinstance(x, Text):
            t = clean_text(x.text)
            if t:
                push(Text(t))
        elif isinstance(x, Code):
            t = clean_text(x.text)
            if t:  # an empty code span cannot be written in Markdown
                push(Code(t))
        elif isinstance(x, LineBreak):
            push(LineBreak())
        elif isinstance(x, (Strong, Emphasis)):
            strong = isinstance(x, Strong)
            nested_same = in_strong if strong else in_em
            kids = _flatten(x.children, in_strong=in_strong or strong, in_em=in_em or not strong,
                            in_link=in_link)
            if nested_same:  # bold inside bold is just bold
                for k in kids:
                    push(k)
                continue
            # A line break cannot sit right before a closing ** or * in Markdown (the closer would
            # start a line and so not be right-flanking); moving it outside changes nothing visible.
            trailing = 0
            while kids and isinstance(kids[-1], LineBreak):
                kids.pop()
                trailing += 1
            if kids:
                push(Strong(tuple(kids)) if strong else Emphasis(tuple(kids)))
            for _ in range(trailing):
                push(LineBreak())
        elif isinstance(x, Link):
            kids = _flatten(x.children, in_strong=in_strong, in_em=in_em, in_link=True)
            if in_link:  # links cannot nest: keep the outer one
                for k in kids:
                    push(k)
            else:
                push(Link(clean_text(x.url), tuple(kids)))
        else:  # pragma: no cover - foreign objects are a programming error
            raise TypeError(f"not an inline: {x!r}")
    return out


def normalize_inlines(inlines: Iterable[Inline], *, single_line: bool = False) -> tuple[Inline, ...]:
    """Canonical inlines (see ``normalize``). ``single_line`` (headings and table cells, which
    Markdown writes on one line) turns line breaks into spaces."""
    if type(inlines) is tuple and len(inlines) <= 1:
        # The common cases (a plain cell or paragraph, an empty cell), kept fast; the tuple is
        # kept too, so that a canonical tree is not copied cell by cell.
        if not inlines:
            return inlines
        first = inlines[0]
        if type(first) is Text and first.text and not _NEEDS_CLEANING.search(first.text):
            return inlines
    items = list(inlines)
    if single_line:
        items = [_no_breaks(i) for i in items]
    out = _flatten(items, in_strong=False, in_em=False, in_link=False)
    while out and isinstance(out[-1], LineBreak):  # a break at the end of a block shows nothing
        out.pop()
    return tuple(out)


def _no_breaks(x: Inline) -> Inline:
    if isinstance(x, LineBreak):
        return Text(" ")
    if isinstance(x, Strong):
        return Strong(tuple(_no_breaks(c) for c in x.children))
    if isinstance(x, Emphasis):
        return Emphasis(tuple(_no_breaks(c) for c in x.children))
    if isinstance(x, Link):
        return Link(x.url, tuple(_no_breaks(c) for c in x.children))
    return x


MAX_LIST_START = 999_999_999  # CommonMark allows at most nine digits in a list marker


def normalize_blocks(blocks: Iterable[Block]) -> tuple[Block, ...]:
    out: list[Block] = []
    for b in blocks:
        nb = _normalize_block(b)
        if nb is not None:
            out.append(nb)
    return tuple(out)


def _normalize_block(b: Block) -> Block | None:
    if isinstance(b, Heading):
        return Heading(min(4, max(1, int(b.level))), normalize_inlines(b.inlines, single_line=True))
    if isinstance(b, Paragraph):
        inl = normalize_inlines(b.inlines)
        return Paragraph(inl) if inl else None
    if isinstance(b, BulletList):
        items = tuple(normalize_blocks(i) for i in b.items)
        return BulletList(items) if items else None
    if isinstance(b, OrderedList):
        items = tuple(normalize_blocks(i) for i in b.items)
        start = min(MAX_LIST_START, max(0, int(b.start)))
        return OrderedList(items, start) if items else None
    if isinstance(b, Table):
        n = len(b.header)
        if n == 0:
            return None
        header = tuple(normalize_inlines(c, single_line=True) for c in b.header)

        def fit(row: Row) -> Row:
            cells = [normalize_inlines(c, single_line=True) for c in row[:n]]
            return tuple(cells) + ((),) * (n - len(cells))

        rows = tuple(fit(r) for r in b.rows)
        align = tuple((a if a in ALIGNMENTS else "left") for a in tuple(b.align)[:n])
        align = align + ("left",) * (n - len(align))
        caption = clean_text(b.caption) if b.caption else None
        return Table(caption or None, header, rows, align, bool(b.totals) and bool(rows))
    if isinstance(b, Figure):
        data = _normalize_block(b.data) if b.data is not None else None
        if data is not None:
            data = Table(None, data.header, data.rows, data.align, False)  # type: ignore[union-attr]
        return Figure(clean_text(b.src), clean_text(b.alt), clean_text(b.caption), data)
    if isinstance(b, BlockQuote):
        return BlockQuote(normalize_blocks(b.blocks))
    if isinstance(b, (PageBreak, TableOfContents)):
        return b
    if isinstance(b, Source):
        inner = normalize_blocks(b.blocks)
        return Source(clean_text(b.path), inner) if inner else None
    raise TypeError(f"not a block: {b!r}")  # pragma: no cover


def normalize(doc: Document) -> Document:
    """The canonical form of ``doc``: the tree the Markdown parser would give for it.

    Idempotent. Text and code are ``clean_text``-ed; adjacent Text (and adjacent Code) merge;
    empty Text, Code, Strong and Emphasis go; bold in bold, italic in italic and links in links
    are flattened and adjacent Strong (Emphasis) siblings merge; a line break at the end of a
    Strong/Emphasis moves out of it and one at the end of a block goes; in headings and table
    cells line breaks become spaces. Heading levels are clamped to 1-4, list starts to
    0-999 999 999; table rows are padded or cut to the header's width, ``align`` padded with
    "left"; a table without rows has no totals row and an empty caption is None. Empty
    paragraphs, empty lists and tables without columns are dropped.
    """
    if _is_canonical(doc):
        return doc
    return _mark_canonical(Document(normalize_blocks(doc.blocks)))


# The Documents known to be canonical (made by normalize or by a reader that builds canonical
# trees), by id: the writers normalize what they are given, and a large tree that the parser has
# just normalized would otherwise be walked and rebuilt once more per writer. Trees are immutable,
# so the mark stays true for the object's lifetime; the weak reference drops the entry with it
# (and tells a later object that reuses the id apart).
_CANONICAL: dict[int, weakref.ref[Document]] = {}


def _forget(ref: weakref.ref[Document], key: int) -> None:
    if _CANONICAL.get(key) is ref:
        del _CANONICAL[key]


def _mark_canonical(doc: Document) -> Document:
    """Record that ``doc`` is canonical (``normalize(doc) == doc``); the caller vouches for it."""
    key = id(doc)
    _CANONICAL[key] = weakref.ref(doc, lambda ref, key=key: _forget(ref, key))
    return doc


def _is_canonical(doc: Document) -> bool:
    ref = _CANONICAL.get(id(doc))
    return ref is not None and ref() is doc


def is_xml_char(c: str) -> bool:
    """Whether XML 1.0 allows the character (used by writers that strip the rest)."""
    o = ord(c)
    return (o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD
            or 0x10000 <= o <= 0x10FFFF)


__all__ = [
    "Align", "Block", "BlockQuote", "BulletList", "Cell", "Code", "Document", "Emphasis",
    "Figure", "Heading", "Inline", "LineBreak", "Link", "OrderedList", "PageBreak", "Paragraph",
    "Row", "Source", "Strong", "Table", "TableOfContents", "Text", "clean_text", "is_xml_char",
    "iter_blocks", "normalize", "normalize_blocks", "normalize_inlines", "plain_text",
    "unwrap_sources",
]
