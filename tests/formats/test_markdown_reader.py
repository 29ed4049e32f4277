"""Markdown → document tree: every construct, the conventions, escaping."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
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
    clean_text,
    normalize,
    plain_text,
)
from reportgen.formats.markdown.reader import escape, escape_attribute, parse


def blocks(md: str):
    doc, _ = parse(md, "t.md")
    assert isinstance(doc, Document)
    return doc.blocks


def codes(md: str) -> list[str]:
    return [f.code for f in parse(md, "t.md")[1]]


def test_headings_levels_and_depth():
    assert blocks("# Ett\n\n## Två\n\n### Tre\n\n#### Fyra") == (
        Heading(1, (Text("Ett"),)), Heading(2, (Text("Två"),)), Heading(3, (Text("Tre"),)),
        Heading(4, (Text("Fyra"),)))
    assert blocks("###### Sex") == (Heading(4, (Text("Sex"),)),)
    _, findings = parse("intro\n\n##### Fem", "t.md")
    assert [(f.code, f.severity.value, f.where.line) for f in findings] == [
        ("markdown.heading-depth", "warning", 3)]
    assert blocks("Setext\n===") == (Heading(1, (Text("Setext"),)),)


def test_inline_formatting():
    (p,) = blocks("Ett **fett** och *kursivt* med `kod` och [länk](https://e.se/å).")
    assert p == Paragraph((
        Text("Ett "), Strong((Text("fett"),)), Text(" och "), Emphasis((Text("kursivt"),)),
        Text(" med "), Code("kod"), Text(" och "), Link("https://e.se/å", (Text("länk"),)),
        Text(".")))
    assert blocks("<https://e.se>") == (
        Paragraph((Link("https://e.se", (Text("https://e.se"),)),)),)


def test_soft_and_hard_breaks():
    assert blocks("ett\ntvå") == (Paragraph((Text("ett två"),)),)
    assert blocks("ett\\\ntvå  \ntre") == (
        Paragraph((Text("ett"), LineBreak(), Text("två"), LineBreak(), Text("tre"))),)


def test_text_reaches_the_tree_intact():
    (p,) = blocks('FoU \\& \\<utveckling> "x" &amp; <b>fet</b> \\* \\| \\_')
    assert p == Paragraph((Text('FoU & <utveckling> "x" & <b>fet</b> * | _'),))
    (p,) = blocks("FoU & <utveckling> 'citat' ”citat”")
    assert plain_text(p.inlines) == "FoU & <utveckling> 'citat' ”citat”"


def test_lists_nested_and_numbered():
    assert blocks("- a\n  - b\n- c") == (BulletList((
        (Paragraph((Text("a"),)), BulletList(((Paragraph((Text("b"),)),),))),
        (Paragraph((Text("c"),)),))),)
    assert blocks("3. x\n4. y") == (
        OrderedList(((Paragraph((Text("x"),)),), (Paragraph((Text("y"),)),)), 3),)
    assert blocks("1. x") == (OrderedList(((Paragraph((Text("x"),)),),), 1),)
    assert blocks("0. x")[0].start == 0


def test_table_with_caption_totals_and_alignment():
    md = ('{caption="Tabell 3. Ekonomisk redovisning 2018" .totals}\n'
          "| Post | Belopp | Not |\n"
          "|------|-------:|:---:|\n"
          "| a \\| b | 2 | x |\n"
          "| Summa | 3 | |\n")
    doc, findings = parse(md, "t.md")
    assert findings == []
    assert doc.blocks == (Table(
        "Tabell 3. Ekonomisk redovisning 2018",
        ((Text("Post"),), (Text("Belopp"),), (Text("Not"),)),
        (((Text("a | b"),), (Text("2"),), (Text("x"),)),
         ((Text("Summa"),), (Text("3"),), ())),
        ("left", "right", "center"), True),)


def test_table_without_attributes_and_ragged_rows():
    (t,) = blocks("| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |")
    assert t.caption is None and t.totals is False
    assert t.rows == (((Text("1"),), ()), ((Text("1"),), (Text("2"),)))


def test_caption_escapes():
    cap = 'Tabell 1. "Citat" {x} \\ slut'
    (t,) = blocks("{caption=\"" + escape_attribute(cap) + "\"}\n| a |\n|---|\n| b |")
    assert t.caption == cap


def test_table_attribute_problems_are_reported():
    assert codes("{.totals}\n| a |\n|---|") == ["markdown.totals-empty"]
    assert codes('{caption="x" .other}\n| a |\n|---|\n| 1 |') == ["markdown.attrs-ignored"]
    assert codes('{caption="x" width=3}\n| a |\n|---|\n| 1 |') == ["markdown.attrs-ignored"]
    assert codes('{caption="x"}\nEtt stycke.') == ["markdown.attrs-ignored"]
    # A curly-quoted caption does not parse as attributes; say so rather than print it.
    assert codes("{caption=”x”}\n\n| a |\n|---|\n| 1 |") == ["markdown.attrs-malformed"]


def test_figure_toc_pagebreak():
    assert blocks('![Stapeldiagram](figurer/a b.png "Figur 1. Medel")') == (
        Paragraph((Text('![Stapeldiagram](figurer/a b.png "Figur 1. Medel")'),)),)
    assert blocks('![Stapeldiagram](<figurer/a b.png> "Figur 1. Medel")') == (
        Figure("figurer/a b.png", "Stapeldiagram", "Figur 1. Medel"),)
    assert blocks("![Karta](karta.png)") == (Figure("karta.png", "Karta", ""),)
    assert blocks("[TOC]\n\n---\n\n***") == (TableOfContents(), PageBreak(), PageBreak())
    assert blocks("\\[TOC\\]") == (Paragraph((Text("[TOC]"),)),)


def test_figure_without_alt_warns_and_inline_image_degrades():
    assert codes("![](a.png)") == ["markdown.figure-alt"]
    doc, findings = parse("Se ![karta](k.png) här.", "t.md")
    assert doc.blocks == (Paragraph((Text("Se karta här."),)),)
    assert [f.code for f in findings] == ["markdown.unsupported"]


def test_unsupported_degrades_to_text():
    doc, findings = parse("```\nkod rad 1\n\nrad 3\n```\n\n    indraget", "t.md")
    assert doc.blocks == (
        Paragraph((Code("kod rad 1"), LineBreak(), LineBreak(), Code("rad 3"))),
        Paragraph((Code("indraget"),)))
    assert [f.code for f in findings] == ["markdown.unsupported"] * 2
    assert blocks("~~struken~~") == (Paragraph((Text("~~struken~~"),)),)
    assert blocks("<div>html</div>") == (Paragraph((Text("<div>html</div>"),)),)


def test_blockquote():
    assert blocks("> citat\n>\n> - a") == (BlockQuote((
        Paragraph((Text("citat"),)), BulletList(((Paragraph((Text("a"),)),),)))),)


def test_links_keep_their_destination_whatever_their_scheme():
    (p,) = blocks("[a](<https://e.se/a b?x=1&y=2>)")
    assert p.inlines == (Link("https://e.se/a b?x=1&y=2", (Text("a"),)),)
    # The parser keeps every link as written; the link policy (document/links.py) refuses it later.
    (p,) = blocks("[a](javascript:alert(1))")
    assert p.inlines == (Link("javascript:alert(1)", (Text("a"),)),)


def test_parse_never_raises_on_odd_input():
    for src in ["", "\x00", "{", "{caption=}", "|", "| a |\n|", "[", "![", "* * *", "\\",
                "<", "&#0;", "1.", "- \n- ", "> " * 50 + "x", "*" * 200, "[" * 500]:
        doc, findings = parse(src)
        assert isinstance(doc, Document)
        assert all(f.code != "markdown.internal" for f in findings)


def test_parse_returns_canonical_trees():
    doc, _ = parse("**a** **b** *c*\\\n")
    assert normalize(doc) == doc


# ----------------------------------------------------------------------------- escape

@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(st.text())
def test_escape_roundtrips_any_text(s):
    """escape → parse → plain_text gives back the text, modulo clean_text: line endings become
    spaces and control characters (other than tab) are dropped. Edge whitespace survives."""
    expected = clean_text(s)
    doc, _ = parse(escape(s))
    if not expected:
        assert doc.blocks == ()
        return
    assert doc.blocks == (Paragraph((Text(expected),)),)


TRICKY = st.text(alphabet="a1 \t\xa0.-+=:#>*_`~[]()<>{}|\\!&;\"'\x00\x0b\x1c\r\n", max_size=20)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(TRICKY, TRICKY)
def test_escape_in_table_cells_and_inline(a, b):
    md = f"| {escape(a)} | x |\n|---|---|\n| y | {escape(b)} |\n\nföre {escape(a)} efter"
    doc, _ = parse(md)
    table, para = doc.blocks
    assert plain_text(table.header[0]) == clean_text(a)
    assert plain_text(table.rows[0][1]) == clean_text(b)
    assert plain_text(para.inlines) == f"före {clean_text(a)} efter"


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text())
def test_escape_is_also_valid_in_a_caption(s):
    doc, _ = parse('{caption="Tabell 1. ' + escape(s) + '" .totals}\n| a |\n|---|\n| 1 |')
    (table,) = doc.blocks
    assert table.caption == "Tabell 1. " + clean_text(s) and table.totals


def test_escape_examples():
    assert escape('FoU & <utveckling> "x"') == 'FoU & \\<utveckling\\> \\"x\\"'
    assert escape("&amp;") == "\\&amp;"
    assert escape("1. Inledning") == "1\\. Inledning"
    assert escape("- punkt") == "\\- punkt"
    assert escape("rad\nrad") == "rad rad"
    assert escape(" 5 ") == "&#32;5&#32;"
    assert escape("Observera! Nu") == "Observera! Nu"
    # What follows the text in a template is unknown: a final ! or & cannot join it.
    (p,) = blocks(escape("Se upp!") + "[länk](u) och " + escape("A &") + "amp;")
    assert p.inlines == (Text("Se upp!"), Link("u", (Text("länk"),)), Text(" och A &amp;"))


CHART_MD = ('![Stapeldiagram. Medel: Skåne 5,2 mnkr.](diagram/x "Figur 1. Medel")\n\n'
            "{.chart}\n| Län | Beviljat |\n| --- | ---: |\n| Skåne län | 5,2\u00a0mnkr |\n")


def test_a_table_marked_chart_is_the_data_of_the_figure_before_it() -> None:
    from reportgen.formats.markdown.writer import write_markdown

    data = Table(None, ((Text("Län"),), (Text("Beviljat"),)), (((Text("Skåne län"),), (Text("5,2\u00a0mnkr"),)),),
                 ("left", "right"))
    figure = Figure("diagram/x", "Stapeldiagram. Medel: Skåne 5,2 mnkr.", "Figur 1. Medel", data)
    doc, findings = parse(CHART_MD, "t.md")
    assert (doc.blocks, findings) == ((figure,), [])
    assert parse(write_markdown(doc))[0] == doc
    # In a list item and after a paragraph that the fast path reads, too.
    nested = "Text.\n\n- " + CHART_MD.replace("\n", "\n  ").rstrip() + "\n"
    assert blocks(nested)[1] == BulletList(((figure,),))


def test_a_chart_table_without_a_figure_is_an_ordinary_table_with_a_warning() -> None:
    doc, findings = parse("Text.\n\n{.chart}\n| a | b |\n| - | - |\n| 1 | 2 |\n", "t.md")
    assert isinstance(doc.blocks[1], Table) and doc.blocks[1].caption is None
    assert [f.code for f in findings] == ["markdown.chart-data"]
    assert findings[0].where.line == 4  # the table


# ---------------------------------------------------------------------------- Source markers


def _split_sources_by_lines(text: str):
    """The definition of the Source markers, line by line (what reader._split_sources gives,
    which finds them with one search each instead)."""
    import re as _re

    from reportgen.formats.markdown.general_reader import unescape_attribute

    opening = _re.compile(r'::: \{source="((?:[^"\\\n]|\\.)*)"\}')
    if "::: {source=" not in text:
        return None
    lines = text.split("\n")
    parts = []
    start = i = 0
    while i < len(lines):
        m = opening.fullmatch(lines[i].rstrip(" "))
        if m is None:
            i += 1
            continue
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip(" ") == ":::"), None)
        if end is None:
            break
        parts.append((None, start, i, "\n".join(lines[start:i])))
        parts.append((unescape_attribute(m.group(1)), i + 1, end, "\n".join(lines[i + 1:end])))
        start = i = end + 1
    if not parts:
        return None
    parts.append((None, start, len(lines), "\n".join(lines[start:])))
    return parts


def test_source_markers_are_found_as_their_lines_define_them():
    import random

    from reportgen.formats.markdown.reader import _split_sources

    pieces = ['::: {source="a"}', '::: {source="b\\"c"}  ', "::: {source=\"x\"} y", ":::", "::: ", ":::\r",
              " :::", "::::", "", " ", "Text", "- punkt", "\r", '::: {source="d\ne"}', "::: {source=\"\"}"]
    fixed = ['::: {source="a"}\n:::', '::: {source="a"}\n:::\n', '\n::: {source="a"}\n\n:::\n\n',
             'x\n::: {source="a"}\ny\n:::\nz', '::: {source="a"}\n::: {source="b"}\n:::\n:::',
             '::: {source="a"}\ntext', '::: {source="a"}\n:::\n::: {source="b"}\n:::']
    rng = random.Random(14)
    texts = fixed + ["\n".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    for text in texts:
        assert _split_sources(text) == _split_sources_by_lines(text), repr(text)
