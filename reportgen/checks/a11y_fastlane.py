"""The fast lane of the accessibility check: plain paragraphs and table rows read from the
bytes of the main document instead of as lxml elements.

A hand-written fast path in quarantine: ``reportgen.checks.a11y`` is the general code, which
reads every paragraph with lxml; this module only recognizes, in the bytes, what the general
code would read the same way, and cuts it out of the part (the "skeleton"), leaving markers
that the general reader checks. ``REPORTGEN_FAST_PATHS=0`` (``reportgen.document.switches``)
turns it off; tests/checks/test_a11y.py compares the findings both ways on edited documents.

It knows nothing of the checks and imports nothing of reportgen: a11y imports it.
"""

from __future__ import annotations

import functools
import os
import re

__all__ = ["CANDIDATE_RUNS", "compiled", "headings", "para", "runless", "simple_para", "skeleton"]


# Most of a large report is plain: body paragraphs of a style and a few runs of text, and table
# rows below the header row. Building lxml elements for them costs far more than the checks
# need (a third of a second per 10 MB of XML), so they are recognized in the bytes instead, by
# a grammar that matches only well-formed markup whose tree reads the same however it is read:
#
# * element names are spelled out, with the prefix w:; attributes too, each at most once (in a
#   fixed order); their values are printable ASCII without " & <, so nothing in them is decoded
#   or normalized;
# * text is UTF-8 of XML characters, without < or ]]> or a carriage return (which the parser
#   would turn into a line feed), and refers to nothing but the five predefined entities;
# * none of its elements is one that a check or a count looks at in a table row below the
#   header (tables, pictures), nor, in a body paragraph, any that _read_para acts on besides
#   w:pPr, w:pStyle, w:numPr, w:numId and w:t (bookmarks it passes by);
# * a content control (w:sdt) holding such paragraphs is taken whole: the checks look through
#   it to its paragraphs and read nothing of its properties. The writer puts one around every
#   text from the inputs, thousands in a large report, so without it lxml would still read
#   most of the document.
#
# What the grammar matches is cut out and a marker, a processing instruction with a random
# target, put in its place. The rest, the skeleton, is read by lxml as before. The part is
# well-formed, and its tree the skeleton's with each marker replaced by what was cut, when the
# skeleton is well-formed and every marker is where it was put: a child of the body, or of a
# table that is a child of the body. Those elements were written "<w:body>" and "<w:tbl>" and
# are WordprocessingML's, so w: means WordprocessingML where the markers are. Otherwise (a
# marker inside a comment, CDATA section or other element, after a wrong guess of where an
# element ends) the part itself is read, which also words any parse error.

# An attribute value that reads as it is written.
_VALUE = rb'[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]*+'
# Character data: runs of ASCII, "]" unless it starts "]]>", a predefined entity, or one UTF-8
# sequence of a character XML allows (no surrogates, U+FFFE or U+FFFF).
_TEXT = (rb'(?:[\t\n\x20-\x25\x27-\x3b\x3d-\x5c\x5e-\x7e]++|\](?!\]>)|&(?:amp|lt|gt|quot|apos);'
         rb'|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee][\x80-\xbf]{2}'
         rb'|\xed[\x80-\x9f][\x80-\xbf]|\xef[\x80-\xbe][\x80-\xbf]|\xef\xbf[\x80-\xbd]'
         rb'|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}'
         rb')*+')


def _empty_element(names: bytes, *attrs: bytes) -> bytes:
    """<w:NAME .../> for any of ``names``, with any of ``attrs`` in this order."""
    return (rb'<w:(?:' + names + rb')'
            + b"".join(rb'(?: w:' + a + rb'="' + _VALUE + rb'")?' for a in attrs) + rb'/>')


_RPR_ITEM = (_empty_element(rb'b|bCs|i|iCs|caps|smallCaps|strike|dstrike|noProof|vanish|webHidden'
                            rb'|u|rStyle|color|sz|szCs|vertAlign|highlight', b"val")
             + b"|" + _empty_element(b"lang", b"val", b"eastAsia", b"bidi"))
_PPR_ITEM = (_empty_element(rb'keepNext|keepLines|widowControl|contextualSpacing'
                            rb'|suppressAutoHyphens|jc', b"val")
             + b"|" + _empty_element(b"spacing", b"before", b"beforeLines", b"beforeAutospacing",
                                     b"after", b"afterLines", b"afterAutospacing", b"line",
                                     b"lineRule")
             + b"|" + _empty_element(b"ind", b"start", b"left", b"end", b"right", b"hanging",
                                     b"firstLine"))
_RPR = rb'(?:<w:rPr>(?:' + _RPR_ITEM + rb')*+</w:rPr>)?'
_RUN_START = rb'<w:r>' + _RPR + rb'<w:t(?: xml:space="preserve")?>'


# A bookmark's start or end: no check reads one (a11y._read_para passes them by), and the writer
# puts one around every heading of the table of contents and every text from the inputs.
_BOOKMARK = (rb'<w:bookmarkStart(?: w:id="' + _VALUE + rb'")?(?: w:name="' + _VALUE + rb'")?/>'
             rb'|<w:bookmarkEnd(?: w:id="' + _VALUE + rb'")?/>')


def _para_source(group, styles: bytes | None = None) -> bytes:
    """A plain paragraph, "<w:p>...</w:p>". ``group`` wraps the parts simple_para reads: the
    style, the list numbering and its w:numId, the first run's text and the other runs (with
    any bookmarks among them). With ``styles`` (an alternation), only a paragraph of one of
    those styles. It holds "<w:r>" if and only if it has a run, and every run a w:t."""
    style = rb'<w:pStyle w:val="' + group(styles or _VALUE) + rb'"/>'
    props = (rb'<w:pPr>' + (style if styles else rb'(?:' + style + rb')?')
             + rb'(?:' + _PPR_ITEM + rb')*+'
             + group(rb'<w:numPr>(?:<w:ilvl w:val="' + _VALUE + rb'"/>)?<w:numId w:val="'
                     + group(_VALUE) + rb'"/></w:numPr>') + rb'?'
             rb'(?:' + _PPR_ITEM + rb')*+' + _RPR + rb'</w:pPr>')
    return (rb'<w:p>' + (props if styles else rb'(?:' + props + rb')?')
            + rb'(?:' + _BOOKMARK + rb')*+'
            + rb'(?:' + _RUN_START + group(_TEXT) + rb'</w:t></w:r>)?'
            + group(rb'(?:' + _RUN_START + _TEXT + rb'</w:t></w:r>|' + _BOOKMARK + rb')*+')
            + rb'</w:p>')




def _capture(source: bytes) -> bytes:
    return b"(" + source + b")"


def _group(source: bytes) -> bytes:
    return b"(?:" + source + b")"


# An attribute value that no check reads: any XML characters but '"', '<' and a reference other
# than the predefined entities (so it is well-formed, whatever it decodes to).
_ANY_VALUE = (rb'(?:[\t\n\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]++|&(?:amp|lt|gt|quot|apos);'
              rb'|[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee][\x80-\xbf]{2}'
              rb'|\xed[\x80-\x9f][\x80-\xbf]|\xef[\x80-\xbe][\x80-\xbf]|\xef\xbf[\x80-\xbd]'
              rb'|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}'
              rb')*+')
# A block-level content control (w:sdt) of the kind the writer puts around text from the inputs
# (ooxml.provenance.sdt_open), holding plain paragraphs only. The checks look through content
# controls (a11y._WRAPPERS) and read nothing of their properties, so its paragraphs read as if
# they stood in the body.
_SDT_SOURCE = (rb'<w:sdt><w:sdtPr>(?:<w:alias w:val="' + _ANY_VALUE + rb'"/>)?'
               rb'(?:<w:tag w:val="' + _ANY_VALUE + rb'"/>)?(?:<w:id w:val="' + _VALUE + rb'"/>)?'
               rb'(?:<w:lock w:val="' + _VALUE + rb'"/>)?'
               rb'(?:<w:docPartObj><w:docPartGallery w:val="' + _ANY_VALUE + rb'"/></w:docPartObj>)?'
               rb'</w:sdtPr><w:sdtContent>(?:' + _para_source(_group) + rb')++</w:sdtContent></w:sdt>')


# Runs of plain body paragraphs and content controls holding them (_Grammar.paras). An empty
# "<w:p/>" is left to lxml, so that every paragraph of a run starts "<w:p>" and counting those
# counts the paragraphs (none of the markup around them can hold "<w:p>": text and attribute
# values have no "<").
_RUN_TEXT = re.compile(rb'<w:t(?: xml:space="preserve")?>([^<]*)</w:t>')
# A table row of plain cells.
_ROW_SOURCE = (
    rb'<w:tr>(?:<w:trPr>(?:' + _empty_element(b"cantSplit|tblHeader|hidden|jc", b"val") + b"|"
    + _empty_element(b"trHeight", b"val", b"hRule") + rb')*+</w:trPr>)?'
    rb'(?:<w:tc>(?:<w:tcPr>(?:<w:tcW(?: w:w="' + _VALUE + rb'"(?: w:type="' + _VALUE + rb'")?'
    rb'| w:type="' + _VALUE + rb'"(?: w:w="' + _VALUE + rb'")?)?/>|'
    + _empty_element(b"gridSpan|vAlign|vMerge|hMerge|noWrap|hideMark", b"val")
    + rb')*+</w:tcPr>)?(?:<w:p/>|' + _para_source(_group) + rb')++</w:tc>)++</w:tr>')


class _Grammar:
    """The grammar's patterns, compiled on first use: about 25 ms, more than the fast lane saves
    on a small document, which a11y therefore reads without it (a11y.FAST_LANE_MIN_BYTES)."""

    def __init__(self) -> None:
        self.para = re.compile(_para_source(_capture))
        self.paras = re.compile(_group(_para_source(_group) + b"|" + _SDT_SOURCE) + b"++")
        self.row = re.compile(_ROW_SOURCE)
        self.rows = re.compile(_group(_ROW_SOURCE) + b"*+")


@functools.cache
def grammar() -> _Grammar:
    return _Grammar()


def compiled() -> bool:
    """Whether this process has compiled the grammar already."""
    return grammar.cache_info().currsize > 0


def para(data: bytes, at: int) -> re.Match | None:
    """The plain paragraph that starts at ``at`` (None if it is not one)."""
    return grammar().para.match(data, at)

# The XML declaration, which must leave the part in UTF-8 as the grammar reads it.
_PROLOG = re.compile(rb'<\?xml version=(["\'])1\.0\1(?: encoding=(["\'])[Uu][Tt][Ff]-8\2)?'
                     rb'(?: standalone=(["\'])(?:yes|no)\3)? ?\?>')
_UNIT = re.compile(rb'<((?:[A-Za-z_][\w.\-]*:)?[A-Za-z_][\w.\-]*)(?=[\s/>])')
_SPACE = re.compile(rb'[ \t\r\n]+')
_TAG_REST = re.compile(rb'(?:[^>"\']++|"[^"]*+"|\'[^\']*+\')*+>')


def skeleton(data: bytes) -> tuple[bytes, list[tuple[int, int]], int, str] | None:
    """The part with its runs of plain body paragraphs and the plain rows of its tables (those
    after the first row without w:tblHeader) cut out and marked: (the skeleton, where the runs
    were, how many tables were cut, the markers' target). None when there is nothing to cut or
    the part is not laid out as the fast lane expects."""
    prolog = _PROLOG.match(data)
    if prolog is None:
        return None
    start = data.find(b"<w:body>", prolog.end())
    end = data.rfind(b"</w:body>")
    # A document type declaration could declare entities, or default attributes for what is
    # cut out, namespace declarations among them.
    if start < 0 or end < start or data.find(b"<!", prolog.end(), start) >= 0:
        return None
    start += len(b"<w:body>")
    target = "a11y-" + os.urandom(8).hex()
    pieces, runs, cuts = [data[:start]], [], 0
    pos = start
    closes: dict[bytes, int | None] = {}  # name → where its next end tag starts (see _element_end)
    paras = grammar().paras
    while pos < end:
        run = paras.match(data, pos, end)
        if run is not None:
            pieces.append(f"<?{target} p{len(runs)}?>".encode())
            runs.append((pos, run.end()))
            pos = run.end()
            continue
        unit = _UNIT.match(data, pos, end) or _SPACE.match(data, pos, end)
        if unit is None:
            return None
        unit_end = unit.end() if unit.re is _SPACE else _element_end(data, pos, end, unit[1], closes)
        if unit_end is None:
            return None
        cut = _plain_rows(data, pos, unit_end) if unit.re is _UNIT and unit[1] == b"w:tbl" \
            else None
        if cut is None:
            pieces.append(data[pos:unit_end])
        else:
            pieces += (data[pos:cut[0]], f"<?{target} t?>".encode(), data[cut[1]:unit_end])
            cuts += 1
        pos = unit_end
    if not runs and not cuts:
        return None
    pieces.append(data[end:])
    return b"".join(pieces), runs, cuts, target


@functools.lru_cache(maxsize=64)
def _tag_finders(name: bytes) -> tuple[re.Pattern, re.Pattern]:
    return (re.compile(b"<" + re.escape(name) + rb"(?=[\s/>])"),
            re.compile(b"</" + re.escape(name) + rb"\s*+>"))


def _element_end(data: bytes, start: int, limit: int, name: bytes,
                 closes: dict[bytes, int | None]) -> int | None:
    """Where the element ``name`` that starts at ``start`` ends, by counting the start and end
    tags of that name; a guess that the markers check.

    ``closes`` remembers, per name, where the search for its next end tag stopped: the units are
    looked at in document order, so a body of ``<w:p/>`` with no ``</w:p>`` after them is
    searched once to its end, not once a paragraph (which made the check quadratic).
    """
    opens, close_finder = _tag_finders(name)

    def next_close(at: int):
        known = closes.get(name, -1)
        if known is None or (known >= at):
            # None: no end tag of this name from where the last search started to the limit.
            if known is None and closes.get(name + b"@from", limit) <= at:
                return None
            if known is not None:
                return known
        m = close_finder.search(data, at, limit)
        closes[name + b"@from"] = at
        closes[name] = m.start() if m is not None else None
        return closes[name]

    depth, pos = 0, start
    close = next_close(start)
    while True:
        tag = opens.search(data, pos, close if close is not None else limit)
        if tag is not None:
            rest = _TAG_REST.match(data, tag.end(), limit)
            if rest is None:
                return None
            pos = rest.end()
            if data[pos - 2] != 0x2F:  # not "/>": an element with content
                depth += 1
            elif depth == 0:
                return pos
        elif close is not None:
            depth -= 1
            pos = close_finder.match(data, close).end()
            if depth <= 0:
                return pos
            close = next_close(pos)
        else:
            return None


def _plain_rows(data: bytes, start: int, end: int) -> tuple[int, int] | None:
    """The plain rows of the table data[start:end] that follow its first row without
    w:tblHeader, as (from, to); _table reads no further than that row."""
    close = end - len(b"</w:tbl>")
    if data[close:end] != b"</w:tbl>":
        return None
    pos = data.find(b"<w:tr>", start, close)
    if pos < 0:
        return None
    rows = grammar()
    while True:
        row = rows.row.match(data, pos, close)
        if row is None:
            return None
        pos = row.end()
        if data.find(b"tblHeader", row.start(), pos) < 0:
            break
    cut = rows.rows.match(data, pos, close).end()
    return (pos, cut) if cut > pos else None


def _decode(text: bytes) -> str:
    out = text.decode("utf-8")
    if "&" in out:
        out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace(
            "&apos;", "'").replace("&amp;", "&")
    return out


def simple_para(m: re.Match) -> tuple[str, str | None, tuple[str] | None]:
    """What a11y._read_para reads of a paragraph that para() matched: its text, its style and
    its own w:numId (as a 1-tuple, None without w:numPr)."""
    style, num_pr, num_id, first, more = m.groups()
    text = _decode(first) if first else ""
    if more:
        text += "".join(map(_decode, _RUN_TEXT.findall(more)))
    return (text, style.decode("ascii") if style is not None else None,
            (num_id.decode("ascii"),) if num_pr is not None else None)


def headings(styles) -> re.Pattern | None:
    """Plain paragraphs of a heading style, matched as para() matches them."""
    ids = tuple(sorted(sid.encode("ascii") for sid in styles.by_id
                       if _STYLE_ID.fullmatch(sid) and styles.heading_level(sid) is not None))
    return _heading_finder(ids) if ids else None


_STYLE_ID = re.compile(r'[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]*')


@functools.lru_cache(maxsize=16)
def _heading_finder(ids: tuple[bytes, ...]) -> re.Pattern:
    return re.compile(_para_source(_capture, b"|".join(map(re.escape, ids))))


# The other paragraphs a check may take up have a run whose text, after ASCII white space, is
# empty, or starts as _FAKE_LIST may match ("*", "-", a digit, a letter followed by ")" or a
# tab, maybe in the next run) or with a character beyond ASCII (another kind of white space,
# bullet or digit); or they have no run at all. The text lstrip() removes is white space of
# either kind, so the paragraphs whose text is empty or typed as a list are among these.
CANDIDATE_RUNS = re.compile(
    rb'<w:t(?: xml:space="preserve")?>[\t\n ]*+(?:</w:t>|[*\-0-9\x80-\xff]|[A-Za-z](?:[)\t]|</w:t>))')


def runless(data: bytes, start: int, end: int):
    """Where each paragraph without a run starts, among the plain paragraphs data[start:end]
    (a run of them): such a paragraph ends "<w:p></w:p>", "</w:pPr></w:p>" or, after a
    bookmark, "/></w:p>" (then it has a run exactly when it holds "<w:r>")."""
    for empty in (b"<w:p></w:p>", b"</w:pPr></w:p>"):
        at = data.find(empty, start, end)
        while at >= 0:  # the paragraph's "<w:p>" is the last one up to its end
            yield data.rfind(b"<w:p>", start, at + len(empty))
            at = data.find(empty, at + 1, end)
    at = data.find(b"/></w:p>", start, end)
    while at >= 0:
        p = data.rfind(b"<w:p>", start, at)
        if data.find(b"<w:r>", p, at) < 0:
            yield p
        at = data.find(b"/></w:p>", at + 1, end)


