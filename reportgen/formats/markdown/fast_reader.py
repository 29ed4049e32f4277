"""The fast Markdown reader (a fast path: ``REPORTGEN_FAST_PATHS=0`` turns it off).

It builds the tree itself for the blank-line-separated segments of the few shapes the templates
produce in bulk (captioned pipe tables, ATX headings, one-line bullet lists, plain paragraphs)
and hands every other run of segments to markdown-it through the general reader's
:class:`~reportgen.formats.markdown.general_reader.Converter`. Its trees and findings are those of
``general_reader.parse_with_markdown_it``: tests/formats/test_markdown_reader_fast.py holds it to
them. At 10 000 projects it makes the parse stage 15 times faster (docs/architecture.md).
"""


from __future__ import annotations

import re

from markdown_it.common import utils as _mdit_utils
from markdown_it.rules_block import table as _mdit_table
from markdown_it.rules_block.table import escapedSplit, headerLineRe
from markdown_it.token import Token
from mdit_py_plugins.attrs.parse import ParseError as _AttrsParseError
from mdit_py_plugins.attrs.parse import parse as _parse_attrs

from reportgen.document.tree import (
    _CLEANING_CLASS,
    Block,
    BulletList,
    Document,
    Heading,
    Inline,
    PageBreak,
    Paragraph,
    Table,
    Text,
    _mark_canonical,
    normalize,
    normalize_blocks,
    normalize_inlines,
)
from reportgen.findings import Finding, warning
from reportgen.formats.markdown.general_reader import (
    MARKDOWN,
    TABLE_ATTRS,
    Converter,
    join_chart_data,
    unescape_attribute,
)

# --------------------------------------------------------------------------- the fast path
#
# markdown-it builds a token for everything and runs every block rule on every line; for a report
# with thousands of table rows and list items that is most of a build. ``FastParser`` builds the tree
# directly for blank-line-separated segments of the few shapes the templates produce in bulk and
# hands every other run of segments to markdown-it. A segment may start fresh only where nothing
# before it can reach across the blank lines (see ``FastParser.run``); inside a segment the shapes are
# chosen so that no other block rule could apply to any of their lines. ``parse_with_markdown_it`` is
# the reference that tests/formats/test_markdown_reader_fast.py holds the fast path to.

# Characters that can start an inline rule of the preset (newline, escape, backticks, emphasis,
# link, image -- "!" only before "[" --, autolink, entity; raw HTML is off): content without them
# is one text token.
_INLINE_SPECIAL = re.compile(r"[\n\\`*_\[<&]")
# ... or that normalize would change (or might: any astral character)
NOT_PLAIN = re.compile("[\n\\\\`*_\\[<&" + _CLEANING_CLASS + "]")
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
    return not NOT_PLAIN.search(content)


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
    MARKDOWN.inline.parse(content, MARKDOWN, {}, tokens)
    return tokens


def _closes_fence(line: str, markup: str) -> bool:
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3 or "\t" in line:
        return False  # unsure: treated as still open
    count = len(stripped) - len(stripped.lstrip(markup[0]))
    return count >= len(markup) and not stripped[count:].strip(" \t")


class FastParser(Converter):
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
        self.end = len(self.lines)  # where the text being read ends (see run)

    def run(self, lo: int = 0, hi: int | None = None) -> Document:
        """The document of lines lo..hi-1 (all of them by default), read as if they were the
        whole text: a part of a text between Source markers (see ``parse_fast_lines``)."""
        lines = self.lines
        self.end = hi = len(lines) if hi is None else hi
        segments = _segments(lines, lo, hi)
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
        tokens = MARKDOWN.parse("\n".join(lines[a:b]))
        to_end = b < self.end and _open_fence(tokens, lines, a, b)
        if to_end:
            tokens = MARKDOWN.parse("\n".join(lines[a:self.end]))
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
        if "caption" not in attrs or not attrs.keys() <= TABLE_ATTRS:
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
        caption = unescape_attribute(str(attrs["caption"]))
        return Table(caption or None, header_cells, tuple(rows),
                     tuple([_ALIGN_OF[x] for x in aligns]), totals)  # type: ignore[arg-type]


def _new_cell(cells: dict[str, tuple[Inline, ...]], text: str) -> tuple[Inline, ...]:
    cell = cells[text] = (Text(text),)
    return cell


def _segments(lines: list[str], lo: int, hi: int) -> list[tuple[int, int]]:
    """(first, end) of each run of non-blank lines (blank: only spaces and tabs) among lines
    lo..hi-1."""
    segments = []
    start = -1
    for i, line in enumerate(lines[lo:hi], lo):
        if line.strip(" \t"):
            if start < 0:
                start = i
        elif start >= 0:
            segments.append((start, i))
            start = -1
    if start >= 0:
        segments.append((start, hi))
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



def parse_fast(text: str, source: str = "<markdown>") -> tuple[Document, list[Finding]]:
    """Parse as ``parse_with_markdown_it`` would, faster; for a text without link reference
    definitions, CR or NUL (``reader.parse`` sends those to the general reader)."""
    parser = FastParser(text, source)
    doc = parser.run()
    if ".chart" in text:
        return normalize(Document(join_chart_data(doc.blocks, source, parser.findings))), parser.findings
    return _mark_canonical(doc), parser.findings


def parse_fast_lines(parser: FastParser, lo: int, hi: int, charts: bool) -> tuple[tuple[Block, ...], list[Finding]]:
    """The canonical blocks and the findings of lines lo..hi-1 of the parser's text, parsed as
    ``parse_fast`` parses the text of just those lines (``charts``: that text has ".chart"), with
    the lines of the whole text in the findings. The parts of one text share one parser, and so its
    caches of plain cells and list items: they repeat from one part to the next (a project's
    "- Län: ..." lines)."""
    parser.out, parser.prev, parser.findings = [], None, []
    blocks = parser.run(lo, hi).blocks
    if charts:
        blocks = normalize_blocks(join_chart_data(blocks, parser.source, parser.findings))
    return blocks, parser.findings
