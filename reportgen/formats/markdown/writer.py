"""Document tree → normalized Markdown draft, for reviewers to read and diff.

The draft is written in the same dialect the parser reads (see ``document.markdown``), so
``parse(write_markdown(d)) == normalize(d)`` for every tree ``d``. Layout rules, chosen so that
the same tree always gives the same text and small changes give small diffs:

* ATX headings (``## Rubrik``); one paragraph per line, a hard break is ``\\`` at the end of a
  line; a blank line between blocks.
* ``-`` bullets and ``1.`` numbers, nested content indented by the marker's width plus one
  (2 spaces under ``-``, 3 under ``1.``, 4 under ``10.``). Lists are tight unless an item holds
  several blocks. Two lists in a row switch marker (``*``, ``1)``), as CommonMark needs to keep
  them apart.
* GFM pipe tables padded so the columns line up (by ``len()``), right-aligned columns padded on
  the left. A captioned table or a totals table has its block-attributes line above it:
  ``{caption="Tabell 3. ..." .totals}``: a plain ``Tabell: ...`` line would come back as a
  paragraph and lose the totals mark, so the attribute line is the one form that round-trips.
* Figures ``![alt](src "caption")``; a chart's data follows its figure as a table marked
  ``{.chart}``; page breaks ``---``, the table of contents ``[TOC]``.
* Text is escaped minimally: ``\\ ` * _ [ ] < > # | ~ { }`` always, ``&`` only before something
  that reads as a character reference, ``- + = :`` and ``1.`` only at the start of a line.
  Characters that Markdown would trim or misread next to ``*``/``_`` are written as numeric
  character references (``&#32;``); that only happens in unusual trees.
* LF line endings, no trailing whitespace, exactly one newline at the end.
"""

from __future__ import annotations

import re

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

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
    normalize,
    unwrap_sources,
)
from reportgen.formats.markdown.reader import (
    ENTITY_LIKE,
    ESCAPE_ALWAYS,
    char_reference,
    escape_attribute,
    escape_pieces,
)

__all__ = ["write_markdown"]


def write_markdown(doc: Document) -> str:
    """The normalized Markdown draft of ``doc`` (normalized first, see ``tree.normalize``).

    Source wrappers are left out (a draft is read by people; provenance is the docx's business):
    their blocks are written in their place.
    """
    lines = _blocks(normalize(unwrap_sources(doc)).blocks)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- blocks


def _blocks(blocks: tuple[Block, ...], *, in_item: bool = False) -> list[str]:
    return _blocks_simple(blocks, in_item=in_item)[0]


def _blocks_simple(blocks: tuple[Block, ...], *, in_item: bool) -> tuple[list[str], bool]:
    """Lines for a sequence of blocks, and whether no blank line was needed between them (a
    list item whose content is 'simple' can sit in a tight list)."""
    if len(blocks) == 1 and type(blocks[0]) is Paragraph:  # most list items
        return _inline_lines(blocks[0].inlines, block=True, table=False), True
    out: list[str] = []
    simple = True
    prev: Block | None = None
    prev_marker = ""
    for i, b in enumerate(blocks):
        if i and not (in_item and _compact_list_after_paragraph(blocks, i)):
            out.append("")
            simple = False
        if isinstance(b, BulletList):
            # Two bullet lists in a row would merge into one unless the marker changes.
            marker = "*" if isinstance(prev, BulletList) and prev_marker == "-" else "-"
            out.extend(_list(b.items, [marker] * len(b.items)))
            prev_marker = marker
        elif isinstance(b, OrderedList):
            delim = ")" if isinstance(prev, OrderedList) and prev_marker == "." else "."
            markers = [f"{min(b.start + n, 999_999_999)}{delim}" for n in range(len(b.items))]
            out.extend(_list(b.items, markers))
            prev_marker = delim
        else:
            out.extend(_block(b))
            prev_marker = ""
        prev = b
    return out, simple


def _block(b: Block) -> list[str]:
    if isinstance(b, Paragraph):
        return _inline_lines(b.inlines, block=True, table=False)
    if isinstance(b, Heading):
        text = _inline_lines(b.inlines, block=False, table=False)[0] if b.inlines else ""
        return ["#" * b.level + (" " + text if text else "")]
    if isinstance(b, Table):
        return _table(b)
    if isinstance(b, Figure):
        title = f' "{_title(b.caption)}"' if b.caption else ""
        alt = "".join(escape_pieces(b.alt, lead=True, trail=True, block=False))
        line = f"![{alt}]({_dest(b.src, table=False)}{title})"
        if b.data is None:
            return [line]
        # A chart: its data under it, as a table marked .chart (the reader joins them again).
        return [line, "", *_table(b.data, chart=True)]
    if isinstance(b, PageBreak):
        return ["---"]
    if isinstance(b, TableOfContents):
        return ["[TOC]"]
    if isinstance(b, BlockQuote):
        inner = _blocks(b.blocks) or [""]
        return [("> " + line) if line else ">" for line in inner]
    raise TypeError(f"not a block: {b!r}")  # pragma: no cover


def _compact_list_after_paragraph(blocks: tuple[Block, ...], i: int) -> bool:
    """Whether blocks[i] (a list) may follow the paragraph blocks[i-1] without a blank line.

    Only a list whose first item starts with a paragraph, and (for numbers) starts at 1, can
    interrupt a paragraph in CommonMark; otherwise the blank line is required.
    """
    b = blocks[i]
    if i == 0 or not isinstance(blocks[i - 1], Paragraph):
        return False
    if not isinstance(b, (BulletList, OrderedList)) or not b.items or not b.items[0]:
        return False
    if isinstance(b, OrderedList) and b.start != 1:
        return False
    return isinstance(b.items[0][0], Paragraph)


def _list(items: tuple[tuple[Block, ...], ...], markers: list[str]) -> list[str]:
    rendered = [_blocks_simple(item, in_item=True) for item in items]
    tight = all(simple for _, simple in rendered)
    out: list[str] = []
    for (lines, _), item, marker in zip(rendered, items, markers):
        if out and not tight:
            out.append("")
        pad = " " * (len(marker) + 1)
        if not lines:
            out.append(marker)
            continue
        if isinstance(item[0], (Table, PageBreak)):
            # "- ---" would be one thematic break, and a table's first line is safest on a line
            # of its own: start the item with an empty first line (CommonMark allows one).
            out.append(marker)
            out.extend(pad + line if line else "" for line in lines)
            continue
        out.append(f"{marker} {lines[0]}")
        if len(lines) > 1:
            out.extend(pad + line if line else "" for line in lines[1:])
    return out


def _table(t: Table, *, chart: bool = False) -> list[str]:
    n = len(t.header)
    head = [_cell(c) for c in t.header]
    body = [[_cell(c) for c in row] for row in t.rows]
    widths = [max([3, len(head[j])] + [len(r[j]) for r in body]) for j in range(n)]

    def fmt(cells: list[str]) -> str:
        out = []
        for j, c in enumerate(cells):
            out.append(c.rjust(widths[j]) if t.align[j] == "right" else c.ljust(widths[j]))
        return "| " + " | ".join(out) + " |"

    delims = []
    for j, w in enumerate(widths):
        a = t.align[j]
        delims.append("-" * (w - 1) + ":" if a == "right"
                      else ":" + "-" * (w - 2) + ":" if a == "center" else "-" * w)
    lines = []
    attrs = []
    if t.caption is not None:
        attrs.append(f'caption="{escape_attribute(t.caption)}"')
    if t.totals:
        attrs.append(".totals")
    if chart:
        attrs.append(".chart")
    if attrs:
        lines.append("{" + " ".join(attrs) + "}")
    lines.append(fmt(head))
    lines.append("| " + " | ".join(delims) + " |")
    lines.extend(fmt(r) for r in body)
    return lines


# Text that needs no escaping in a cell: no special character, no whitespace at the edges.
_SPECIAL = re.escape("".join(sorted(ESCAPE_ALWAYS))) + "&"
_PLAIN_CELL = re.compile(rf"(?:[^\s{_SPECIAL}](?:[^{_SPECIAL}]*[^\s{_SPECIAL}])?)?")


def _cell(cell: tuple[Inline, ...]) -> str:
    if not cell:
        return ""
    if len(cell) == 1 and isinstance(cell[0], Text):  # the common case, kept fast
        text = cell[0].text
        if _PLAIN_CELL.fullmatch(text):
            return text
        return "".join(escape_pieces(text, lead=True, trail=True, block=False))
    return _inline_lines(cell, block=False, table=True)[0]


# --------------------------------------------------------------------------- destinations

_BARE_DEST = re.compile(r"[A-Za-z0-9._~:/?#@%+=,-]+")


def _amp(s: str) -> str:
    # Destinations and titles decode character references; keep a literal "&amp;" literal.
    return ENTITY_LIKE.sub(lambda m: "\\" + m.group(0), s)


def _dest(url: str, *, table: bool) -> str:
    if _BARE_DEST.fullmatch(url) and not url.startswith("<"):
        return url
    inner = url.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
    inner = _amp(inner)
    if table:
        inner = inner.replace("|", "\\|")
    return f"<{inner}>"


def _title(s: str) -> str:
    return _amp(s.replace("\\", "\\\\").replace('"', '\\"'))


# --------------------------------------------------------------------------- inlines
#
# Inlines are flattened into "atoms": one per text character, one per delimiter (``**``, ``*``,
# ``_``), code span, link bracket and hard break. Each text character gets its escaped form;
# then every delimiter is checked against CommonMark's flanking rules (using markdown-it's own
# character classes) and, where it would not open or close, the neighbouring character is
# rewritten as a character reference, whose ``&``/``;`` are punctuation and make it flank.


class _Atom:
    __slots__ = ("entity", "kind", "marker", "piece", "raw")

    def __init__(self, kind: str, piece: str = "", raw: str = "", marker: str = "") -> None:
        self.kind = kind  # c (text char), open, close, code, lopen, lclose, br
        self.piece = piece
        self.raw = raw
        self.marker = marker
        self.entity = False

    @property
    def first(self) -> str:
        return self.piece[0]

    @property
    def last(self) -> str:
        return self.piece[-1]


def _has_strong(x: Inline) -> bool:
    if isinstance(x, Strong):
        return True
    if isinstance(x, (Emphasis, Link)):
        return any(_has_strong(c) for c in x.children)
    return False


def _code(text: str, table: bool) -> str:
    runs = {len(m) for m in re.findall(r"`+", text)}
    n = 1
    while n in runs:
        n += 1
    # CommonMark strips one space from each side when both are there (and the span is not all
    # spaces); pad so such content, and content that starts or ends with a backtick, survives.
    pad = (text[0] == "`" or text[-1] == "`"
           or (text[0] == " " and text[-1] == " " and text.strip(" ") != ""))
    body = f" {text} " if pad else text
    if table:
        body = body.replace("|", "\\|")
    return "`" * n + body + "`" * n


def _build(inlines: tuple[Inline, ...], atoms: list[_Atom], in_strong: bool, table: bool) -> None:
    for k, x in enumerate(inlines):
        if isinstance(x, Text):
            atoms.extend(_Atom("c", c, c) for c in x.text)
        elif isinstance(x, Strong):
            atoms.append(_Atom("open", "**", marker="*"))
            _build(x.children, atoms, True, table)
            atoms.append(_Atom("close", "**", marker="*"))
        elif isinstance(x, Emphasis):
            # ``*`` next to or inside ``**`` would merge into one delimiter run (``***``) or pair
            # with the wrong partner; ``_`` never interacts with ``*``.
            near_strong = (in_strong or _has_strong(x)
                           or (k > 0 and isinstance(inlines[k - 1], Strong))
                           or (k + 1 < len(inlines) and isinstance(inlines[k + 1], Strong)))
            m = "_" if near_strong else "*"
            atoms.append(_Atom("open", m, marker=m))
            _build(x.children, atoms, in_strong, table)
            atoms.append(_Atom("close", m, marker=m))
        elif isinstance(x, Link):
            atoms.append(_Atom("lopen", "["))
            _build(x.children, atoms, in_strong, table)
            atoms.append(_Atom("lclose", "](" + _dest(x.url, table=table) + ")"))
        elif isinstance(x, Code):
            atoms.append(_Atom("code", _code(x.text, table)))
        elif isinstance(x, LineBreak):
            atoms.append(_Atom("br", "\\\n"))
        else:  # pragma: no cover
            raise TypeError(f"not an inline: {x!r}")


def _is_ws(c: str | None) -> bool:
    return c is None or isWhiteSpace(ord(c))


def _is_punct(c: str | None) -> bool:
    return c is not None and (isMdAsciiPunct(ord(c)) or isPunctChar(c))


def _flanking(last: str | None, nxt: str | None) -> tuple[bool, bool]:
    lw, nw = _is_ws(last), _is_ws(nxt)
    lp, np_ = _is_punct(last), _is_punct(nxt)
    left = not (nw or (np_ and not (lw or lp)))
    right = not (lw or (lp and not (nw or np_)))
    return left, right


def _can_open(marker: str, last: str | None, nxt: str | None) -> bool:
    left, right = _flanking(last, nxt)
    return left and (marker == "*" or not right or _is_punct(last))


def _can_close(marker: str, last: str | None, nxt: str | None) -> bool:
    left, right = _flanking(last, nxt)
    return right and (marker == "*" or not left or _is_punct(nxt))


def _entity(a: _Atom) -> bool:
    if a.kind != "c" or a.entity:
        return False
    a.piece = char_reference(a.raw)
    a.entity = True
    return True


def _inline_lines(inlines: tuple[Inline, ...], *, block: bool, table: bool) -> list[str]:
    """Render a region of inlines (a paragraph, heading or cell) as lines without indentation.

    ``block``: lines start block-level lines (paragraphs), so list markers etc. get escaped.
    """
    # Nearly every paragraph and heading of a real report is one Text with nothing to escape;
    # the atom machinery costs a few objects per character, so keep it for the rare rest.
    if len(inlines) == 1:
        x = inlines[0]
        if type(x) is Text and _plain(x.text):
            return [x.text]
    for x in inlines:
        if type(x) is not Text and type(x) is not LineBreak:
            return _inline_lines_general(inlines, block=block, table=table)
    return _plain_lines(inlines, block=block)


# Whether escape_pieces leaves text unchanged even in the most exposed position (starting a
# block-level line, at both trimmed edges). Text without delimiters or links around it needs
# nothing else (no flanking fixes, no "!" before "["), so such text is written as is. Any "&"
# counts, though only one that reads as a character reference is escaped: rare enough that the
# exact check is left to escape_pieces. One character class and one anchored match are several
# times faster than a single pattern with anchored alternatives, which is retried at every
# position.
_ESCAPABLE = re.compile("[" + re.escape("".join(sorted(ESCAPE_ALWAYS)) + "&") + "]")
_RISKY_START = re.compile(r"[-+=:\s]|[0-9]{1,9}[.)](?:\s|\Z)")


def _plain(s: str) -> bool:
    return not s or (_ESCAPABLE.search(s) is None and _RISKY_START.match(s) is None
                     and not s[-1].isspace())


def _escaped(run: str, *, trail: bool, block: bool) -> str:
    if _plain(run):
        return run
    return "".join(escape_pieces(run, lead=True, trail=trail, block=block))


def _plain_lines(inlines: tuple[Inline, ...], *, block: bool) -> list[str]:
    """``_inline_lines_general`` for inlines that are only Text and LineBreak. Every run of text
    starts a line, so it is escaped as leading; only the last run is escaped as trailing, as
    the general path does (whitespace before a ``\\`` break is not at a trimmed edge)."""
    lines: list[str] = []
    run: list[str] = []
    for x in inlines:
        if type(x) is Text:
            run.append(x.text)
        else:
            lines.append(_escaped("".join(run), trail=False, block=block) + "\\")
            run = []
    lines.append(_escaped("".join(run), trail=True, block=block))
    return lines


def _inline_lines_general(inlines: tuple[Inline, ...], *, block: bool,
                          table: bool) -> list[str]:
    """``_inline_lines`` for any inlines: the reference the fast paths must agree with."""
    atoms: list[_Atom] = []
    _build(inlines, atoms, False, table)
    n = len(atoms)

    # Escape each run of text characters with knowledge of where it sits.
    i = 0
    line_start = 0
    while i < n:
        a = atoms[i]
        if a.kind == "br":
            line_start = i + 1
            i += 1
            continue
        if a.kind != "c":
            i += 1
            continue
        j = i
        while j < n and atoms[j].kind == "c":
            j += 1
        run = "".join(atoms[k].raw for k in range(i, j))
        at_start = i == line_start
        pieces = escape_pieces(run, lead=at_start, trail=(j == n), block=block and at_start)
        for k, p in zip(range(i, j), pieces):
            atoms[k].piece = p
        i = j

    # "!" right before a link's "[" would turn the link into an image.
    for k in range(n - 1):
        if atoms[k].kind == "c" and atoms[k].raw == "!" and atoms[k + 1].kind == "lopen":
            atoms[k].piece = "\\!"

    def last_of(k: int) -> str | None:
        return atoms[k].last if k >= 0 else None

    def first_of(k: int) -> str | None:
        return atoms[k].first if k < n else None

    def fix(inner: int, outer: int, inner_char: str | None) -> bool:
        # Whitespace just inside the delimiter is the usual culprit; otherwise the character
        # outside it (a letter where CommonMark wants punctuation or space).
        if 0 <= inner < n and _is_ws(inner_char) and _entity(atoms[inner]):
            return True
        return 0 <= outer < n and _entity(atoms[outer])

    changed = True
    while changed:
        changed = False
        for k, a in enumerate(atoms):
            before, after = last_of(k - 1), first_of(k + 1)
            if a.kind == "open" and not _can_open(a.marker, before, after):
                changed |= fix(k + 1, k - 1, after)
            elif a.kind == "close" and not _can_close(a.marker, before, after):
                changed |= fix(k - 1, k + 1, before)

    lines = [""]
    buf: list[str] = []
    for a in atoms:
        if a.kind == "br":
            lines[-1] = "".join(buf) + "\\"
            lines.append("")
            buf = []
        else:
            buf.append(a.piece)
    lines[-1] = "".join(buf)
    return lines
