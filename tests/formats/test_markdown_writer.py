"""The normalized Markdown draft: layout, and parse(write_markdown(d)) == normalize(d)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.document.tree import (
    BlockQuote,
    BulletList,
    Code,
    Document,
    Emphasis,
    Figure,
    Heading,
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
    normalize_inlines,
)
from reportgen.formats.markdown.reader import escape_pieces, parse
from reportgen.formats.markdown.writer import (
    _inline_lines,
    _inline_lines_general,
    _plain,
    write_markdown,
)

# Characters that stress the escaping: Markdown punctuation, whitespace of every kind
# (including what Markdown trims), digits for list markers, Swedish letters, typographic
# punctuation, controls that must be dropped.
TRICKY = (
    "aAz09 \t\xa0\u2003\u3000\u2028.-+=:#>*_`~[]()<>{}|\\!&;\"'/%?@^$,"
    "åäöÅÄÖ–—”€§\x00\x01\x0b\x0c\x1c\x7f\x85\r\n"
)
texts = st.one_of(
    st.text(alphabet=TRICKY, max_size=12),
    st.text(max_size=6),
    st.sampled_from(["&amp;", "&#32;", "1. ", "- ", "***", "---", "[TOC]", "a|b", "`", "``",
                     "\\", "**", "_x_", "<b>", "{x}", "  ", "1)", "==="]),
)
urls = st.one_of(
    st.sampled_from(["https://www.tillvaxtverket.se/a?b=1&c=2", "rapport.pdf", "", "#avsnitt",
                     "a b.png", "<x>", "a|b", "x\\y", "&amp;", "(p)", "https://e.se/å"]),
    st.text(alphabet="abc/:. |<>\\&;()#%", max_size=8),
)


def inlines(depth: int = 2):
    leaf = st.one_of(
        texts.map(Text),
        texts.map(Code),
        st.just(LineBreak()),
    )
    if depth == 0:
        return st.lists(leaf, max_size=4).map(tuple)
    kids = inlines(depth - 1)
    node = st.one_of(
        leaf,
        kids.map(Strong),
        kids.map(Emphasis),
        st.builds(Link, urls, kids),
    )
    return st.lists(node, max_size=5).map(tuple)


cells = inlines(1)


@st.composite
def tables(draw):
    n = draw(st.integers(1, 3))
    header = tuple(draw(cells) for _ in range(n))
    rows = tuple(tuple(draw(cells) for _ in range(n)) for _ in range(draw(st.integers(0, 3))))
    align = tuple(draw(st.sampled_from(["left", "right", "center"])) for _ in range(n))
    caption = draw(st.one_of(st.none(), texts))
    return Table(caption, header, rows, align, draw(st.booleans()))


leaf_blocks = st.one_of(
    st.builds(Heading, st.integers(1, 6), inlines(1)),
    st.builds(Paragraph, inlines(2)),
    tables(),
    st.builds(Figure, urls, texts, texts),
    st.just(PageBreak()),
    st.just(TableOfContents()),
)


def blocks(depth: int = 2):
    if depth == 0:
        return st.lists(leaf_blocks, max_size=3).map(tuple)
    inner = blocks(depth - 1)
    items = st.lists(inner, min_size=1, max_size=3).map(tuple)
    node = st.one_of(
        leaf_blocks,
        items.map(BulletList),
        st.builds(OrderedList, items, st.integers(0, 12)),
        inner.map(BlockQuote),
    )
    return st.lists(node, max_size=4).map(tuple)


documents = blocks(2).map(Document)


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_roundtrip_generated_trees(doc):
    canonical = normalize(doc)
    assert normalize(canonical) == canonical  # idempotent
    text = write_markdown(doc)
    back, _ = parse(text)
    assert back == canonical, text


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_draft_layout_invariants(doc):
    text = write_markdown(doc)
    assert text.endswith("\n") and not text.endswith("\n\n") or text == "\n"
    assert "\r" not in text
    for line in text.split("\n"):
        assert line == line.rstrip(), repr(line)


def test_layout_of_a_typical_report():
    doc = Document((
        Heading(1, (Text("Sammanfattning"),)),
        Paragraph((Text("Tillväxtverket redovisar "), Strong((Text("FoU & <utveckling>"),)),
                   Text(' "x".'))),
        TableOfContents(),
        BulletList(((Paragraph((Text("ett"),)), BulletList(((Paragraph((Text("två"),)),),))),
                    (Paragraph((Text("tre"),)),))),
        OrderedList(((Paragraph((Text("första"),)),), (Paragraph((Text("andra"),)),)), start=9),
        Table("Tabell 3. Ekonomisk redovisning 2018",
              ((Text("Post"),), (Text("Belopp, kr"),)),
              (((Text("Bidrag"),), (Text("3 923 234"),)), ((Text("Summa"),), (Text("3 923 234"),))),
              ("left", "right"), totals=True),
        Figure("figurer/fig1.png", "Stapeldiagram", "Figur 1. Beviljade medel"),
        PageBreak(),
    ))
    assert write_markdown(doc) == (
        "# Sammanfattning\n"
        "\n"
        'Tillväxtverket redovisar **FoU & \\<utveckling\\>** "x".\n'
        "\n"
        "[TOC]\n"
        "\n"
        "- ett\n"
        "  - två\n"
        "- tre\n"
        "\n"
        "9. första\n"
        "10. andra\n"
        "\n"
        '{caption="Tabell 3. Ekonomisk redovisning 2018" .totals}\n'
        "| Post   | Belopp, kr |\n"
        "| ------ | ---------: |\n"
        "| Bidrag |  3 923 234 |\n"
        "| Summa  |  3 923 234 |\n"
        "\n"
        '![Stapeldiagram](figurer/fig1.png "Figur 1. Beviljade medel")\n'
        "\n"
        "---\n"
    )
    assert parse(write_markdown(doc))[0] == normalize(doc)


def test_empty_document_is_one_newline():
    assert write_markdown(Document(())) == "\n"


def test_adjacent_lists_stay_apart():
    doc = Document((BulletList(((Paragraph((Text("a"),)),),)),
                    BulletList(((Paragraph((Text("b"),)),),)),
                    OrderedList(((Paragraph((Text("c"),)),),)),
                    OrderedList(((Paragraph((Text("d"),)),),))))
    text = write_markdown(doc)
    assert text == "- a\n\n* b\n\n1. c\n\n1) d\n"
    assert parse(text)[0] == doc


def test_awkward_inlines_roundtrip():
    cases = [
        Paragraph((Text("ord"), Emphasis((Text("(x)"),)), Text("slut"))),
        Paragraph((Strong((Text(" inre "),)),)),
        Paragraph((Text("a"), Strong((Emphasis((Text("b"),)),)), Text("c"))),
        Paragraph((Emphasis((Text("a"),)), Strong((Text("b"),)))),
        Paragraph((Text("!"), Link("u", (Text("x"),)))),
        Paragraph((Text("1."), LineBreak(), Text("- b"), LineBreak(), Text("==="))),
        Paragraph((Code("``"), Text(" och "), Code(" a "))),
        Heading(2, (Text("Slut #"),)),
    ]
    for block in cases:
        doc = Document((block,))
        assert parse(write_markdown(doc))[0] == normalize(doc), write_markdown(doc)


MARKDOWN_BITS = st.sampled_from(
    list("ab1 \n\t-*_`#>|{}[]()!<&;:=.\"\\~")
    + ['{caption="x" .totals}\n', "| a | b |\n|---|--:|\n", '![a](b "c")', "[TOC]", "---\n",
       "1. ", "- ", "    ", "\n\n", "&amp;", "{.totals}\n", "**", "<https://e.se>"])


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_BITS, max_size=40).map("".join))
def test_parse_write_parse_is_a_fixpoint(src):
    """Whatever a template renders, its draft reads back as the same tree."""
    doc, _ = parse(src)
    assert parse(write_markdown(doc))[0] == doc


# Text/LineBreak runs take the fast path; the generated text mixes plain words with everything
# escape_pieces treats specially (ESCAPE_ALWAYS, "&" before a reference, whitespace of every kind
# at the edges, "-"/"+"/"="/":" and "1." / "12)" at the start).
RISKY_TEXTS = st.one_of(
    texts,
    st.text(),
    st.tuples(st.sampled_from(["", "1.", "12)", "123456789.", "1234567890.", "-", "+", "=", ":",
                               " ", "\t", "\xa0", "\u3000", "&amp;", "&#x41;", "&", "!"]),
              st.text(alphabet="ab .", max_size=4),
              st.sampled_from(["", " ", "\t", "\u2028", "&lt;", "!", "*", "x"])).map("".join),
)
plain_inlines = st.lists(st.one_of(RISKY_TEXTS.map(Text), st.just(LineBreak())),
                         max_size=5).map(tuple)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(st.one_of(plain_inlines, inlines(1).map(normalize_inlines)), st.booleans(), st.booleans())
def test_fast_inline_path_matches_general_path(seq, block, table):
    assert _inline_lines(seq, block=block, table=table) == \
        _inline_lines_general(seq, block=block, table=table)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(RISKY_TEXTS)
def test_plain_text_is_left_alone_in_every_position(s):
    if _plain(s):
        for lead in (False, True):
            for trail in (False, True):
                for block in (False, True):
                    assert "".join(escape_pieces(s, lead=lead, trail=trail, block=block)) == s
