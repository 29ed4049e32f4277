"""The fast Markdown path gives exactly what markdown-it gives.

``parse`` builds the tree itself for the shapes the templates produce in bulk and hands the rest
to markdown-it; ``parse_with_markdown_it`` runs the whole document through markdown-it, as parse
always did. The two must agree on every document: tree, findings, and the findings' lines.
"""

from __future__ import annotations

import datetime as dt
import re
import sys

import pytest
from conftest import EXAMPLE_INPUTS, ROOT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import reportgen.output.build as build_module
from reportgen.document.tree import (
    _NEEDS_CLEANING,
    _NEWLINES,
    _NONCHAR,
    BulletList,
    Document,
    Paragraph,
    Table,
    Text,
    clean_text,
    normalize,
    normalize_blocks,
)
from reportgen.formats.markdown import fast_reader
from reportgen.formats.markdown.general_reader import MARKDOWN
from reportgen.formats.markdown.reader import (
    escape,
    escape_attribute,
    parse,
    parse_general,
)
from reportgen.report.context import deliverable_ids
from reportgen.report.resources import default_template_dir
from reportgen.rules.ledger import Ledger
from reportgen.rules.validate import validate_inputs

GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(autouse=True)
def fast_paths_on(monkeypatch):
    # parse takes the fast reader only while the fast paths are on (the default).
    monkeypatch.delenv("REPORTGEN_FAST_PATHS", raising=False)


def test_the_switch_sends_every_document_to_markdown_it(markdown_it_calls, monkeypatch):
    text = "# Rubrik\n\nEtt stycke.\n\n- a\n- b\n"
    fast = parse(text)
    assert markdown_it_calls == []  # all of it taken by the fast reader
    monkeypatch.setenv("REPORTGEN_FAST_PATHS", "0")
    assert parse(text) == fast
    assert markdown_it_calls == [text.count("\n") + 1]  # the whole document, at once


def assert_same(text: str) -> tuple[Document, list]:
    fast = parse(text, "t.md")
    reference = parse_general(text, "t.md")
    assert fast[0] == reference[0]
    assert fast[1] == reference[1]  # codes, messages, places (lines included), in order
    # and the fast tree is canonical, as normalize would make it
    assert Document(normalize_blocks(fast[0].blocks)) == fast[0]
    return fast


@pytest.fixture
def markdown_it_calls(monkeypatch):
    """The line counts of the texts parse hands to markdown-it."""
    calls: list[int] = []
    real = MARKDOWN.parse

    def counting(src, env=None):
        calls.append(src.count("\n") + 1)
        return real(src, env)

    monkeypatch.setattr(MARKDOWN, "parse", counting)
    return calls


# --------------------------------------------------------------------------- a grammar of documents

WORDS = ["Region", "Västra", "Götalands", "län", "2 106 438", "1\u00a0166,4", "kr", "FoU", "x"]
# Pieces that make inline content not plain: every inline rule, escapes, entities, characters
# normalize drops or changes, and things that only look special.
SPECIAL = ["**fet**", "*kursiv*", "_u_", "__", "`kod`", "``", "\\*", "\\|", "\\\\", "\\", "&amp;",
           "&#32;", "&", "&nosuch;", "[länk](https://e.se/å)", "[x]", "[TOC]", "<https://e.se>",
           "<b>", "![bild](figurer/a.png)", "!", "|", "{", "}", "#", " # ", "\u00a0", "\u202f",
           "\x01", "\x7f", "\ufffe", "😀", "\u2028", "ä", '"', ":", "- ", "1. "]
word = st.sampled_from(WORDS)
piece = st.one_of(word, word, word, st.sampled_from(SPECIAL), st.text(max_size=3))
inline = st.lists(piece, min_size=0, max_size=6).map(" ".join)
# What may start a line: nothing, or something a block rule (or the fast path) looks at.
PREFIXES = ["", "", "", " ", "  ", "    ", "\t", "- ", "-", "* ", "*", "+ ", "1. ", "2) ", "> ", "#",
            "# ", "=", "---", "***", "_ _ _", "|", ":", "{", "}", "```", "~~~", "_", "[", "!", "&",
            "\\", "\u00a0", "0", "12 "]
prefix = st.one_of(st.just(""), st.sampled_from(PREFIXES))
trailing = st.sampled_from(["", "", "", " ", "  ", "   ", "\\", " #", " \t"])


@st.composite
def text_line(draw, plain_start: bool = False):
    start = "" if plain_start else draw(prefix)
    return start + draw(inline).replace("\n", " ") + draw(trailing)


@st.composite
def heading(draw):
    return "#" * draw(st.integers(1, 7)) + draw(st.sampled_from([" ", "", "  "])) + draw(text_line(True))


@st.composite
def paragraph(draw):
    lines = draw(st.lists(text_line(), min_size=1, max_size=3))
    return "\n".join(lines)


@st.composite
def bullet_list(draw):
    items = draw(st.lists(text_line(True), min_size=1, max_size=4))
    marker = draw(st.sampled_from(["- ", "- ", "- ", "* ", "-  ", "-"]))
    sep = draw(st.sampled_from(["\n", "\n", "\n\n"]))  # tight or loose
    body = sep.join(marker + i for i in items)
    after = draw(st.sampled_from(["", "", "\n  indented continuation", "\n    code?", "\nlazy line",
                                  "\n\n  after a blank line", "\n\n- next item", "\n\n* other marker",
                                  "\n# heading", "\n  - nested"]))
    return body + after


@st.composite
def ordered_list(draw):
    items = draw(st.lists(text_line(True), min_size=1, max_size=3))
    start = draw(st.sampled_from([1, 1, 3, 0]))
    return "\n".join(f"{start + k}. {i}" for k, i in enumerate(items))


ATTRS = ['{caption="Tabell 1. Ekonomi"}', '{caption="Tabell 2. Summa" .totals}', '{.totals}',
         '{caption="a \\"b\\" &amp; \\{c\\}"}', '{caption=""}', '{caption="x" foo=1}',
         '{caption="x" .other}', '{caption="x" #id}', '{caption="x"', '{bad attrs}', "{}",
         '{caption="x"}  ', '{caption="x"} junk', '{ caption="x" .totals }', '{caption="x"}\n{.totals}']
CELLS = ["", " ", "a", "Region Stockholms", "2 106 438", "\\|", "a \\| b", "\\\\", "**b**", "`c|d`",
         "&amp;", "x\u00a0", "\x01", "[l](u)", "![i](p.png)", "-", ":", "😀"]


@st.composite
def table(draw):
    n = draw(st.integers(1, 4))
    lines = []
    if draw(st.booleans()) or draw(st.booleans()):
        lines.append(draw(st.sampled_from(ATTRS)))
        if draw(st.integers(0, 9)) == 0:
            lines.append("")  # attributes a blank line away from their table
    lead, tail = draw(st.sampled_from([("| ", " |"), ("| ", " |"), ("|", "|"), ("", ""), ("| ", "")]))
    cells = st.sampled_from(CELLS)
    lines.append(lead + " | ".join(draw(cells) or "h" for _ in range(n)) + tail)
    delimiter = [draw(st.sampled_from(["---", ":---", "---:", ":---:", "-", " --- "])) for _ in range(n)]
    if draw(st.integers(0, 9)) == 0:
        delimiter = delimiter[:-1] or ["---", "---"]  # wrong column count
    lines.append("|" + "|".join(delimiter) + "|")
    for _ in range(draw(st.integers(0, 4))):
        k = draw(st.integers(0, n + 2))  # short and long rows
        row = lead + " | ".join(draw(cells) for _ in range(k)) + tail
        if draw(st.integers(0, 14)) == 0:
            row = draw(st.sampled_from(["not a row", "# heading", "- item", "    |indented|", "|"]))
        lines.append(row)
    return "\n".join(lines)


FIXED = ["[TOC]", "---", "***", "___", "* * *", "![Stapeldiagram](figurer/a.png \"Figur 1. Text\")",
         "![](figurer/b.png)", "Text ![inline](c.png) text", "```\nkod\n\nmer kod\n```", "```\nöppen",
         "~~~~ info\nx\n~~~\n\ny\n~~~~", "    indragen\n\n    kod", "> citat\n> - lista\n\n> nytt",
         "> ```\n> x", "[x]: https://e.se\n\n[x]", "[TOC]\n[TOC]", "{.x}", '{caption="x"}',
         "Setext\n===", "Setext\n---", "<div>\n\nhtml\n</div>", "- \n  x", "-\n\n  x", "1.\n", "a\rb",
         "a\r\nb", "nul\x00", "\\[x]: not a def", "Rad  \nbrytning", "# Rubrik #", "#5 inte rubrik",
         "####### sju", "# a |\n---", "# a |\n***", "# a\n---\n# b |\n-- -\ntext",
         "# a\n- b\n- c\n# d\ntext\n# e\n{caption=\"t\"}\n| a |\n|---|\n| b |"]

segment = st.one_of(heading(), paragraph(), bullet_list(), ordered_list(), table(),
                    st.sampled_from(FIXED))
separator = st.sampled_from(["\n\n", "\n\n", "\n\n\n", "\n \n", "\n\t\n", "\n"])


@st.composite
def document(draw):
    segments = draw(st.lists(segment, min_size=1, max_size=8))
    text = segments[0]
    for s in segments[1:]:
        text += draw(separator) + s
    return text + draw(st.sampled_from(["", "\n", "\n\n", "\n  "]))


# Documents like the templates': mostly the shapes the fast path takes, now and then one it
# does not, so that the boundaries between the two are crossed often.
@st.composite
def bulk_table(draw):
    n = draw(st.integers(1, 4))
    caption = draw(st.sampled_from(['{caption="Tabell 1. Ekonomi"}', '{caption="Tabell 2. Summa" .totals}',
                                    '{caption="a \\"b\\" &amp; \\{c\\}" .totals}  ']))
    cells = st.sampled_from(CELLS[1:5] * 4 + CELLS)
    rows = [caption, "| " + " | ".join(draw(cells) or "h" for _ in range(n)) + " |",
            "|" + "|".join(draw(st.sampled_from([":---", "---:", "---", ":-:"])) for _ in range(n)) + "|"]
    for _ in range(draw(st.integers(0, 5))):
        rows.append("| " + " | ".join(draw(cells) for _ in range(draw(st.integers(n - 1, n + 1)))) + " |")
    return "\n".join(rows)


@st.composite
def bulk_list(draw):
    items = draw(st.lists(inline.filter(lambda s: s[:1].isalpha()), min_size=1, max_size=4))
    return "\n".join("- " + i for i in items)


bulk_paragraph = st.lists(inline.filter(lambda s: s[:1].isalpha()), min_size=1, max_size=3).map("\n".join)
bulk_heading = st.builds(lambda k, s, end: "#" * k + " " + s + end, st.integers(1, 6), inline,
                         st.sampled_from(["", "", "", " |", " #", "\n---", " |\n---", "\n- x", "\ntext"]))
# Lines of every kind glued into one segment, so that each may meet each: what a line is can
# depend on the line after it (a table's delimiter row, a setext underline, a lazy continuation).
alpha_inline = inline.filter(lambda s: s[:1].isalpha())
LINE_KINDS = [st.builds(lambda s, end: "# " + s + end, inline, st.sampled_from(["", " |", " #", " | b"])),
              st.sampled_from(["---", "***", "-- -", "___", "- - -", "=", "==", "--", "-"]),
              alpha_inline.map(lambda s: "- " + s), alpha_inline, alpha_inline.map(lambda s: s + " |"),
              st.sampled_from(['{caption="x"}', '{caption="x" .totals}', "{.totals}", "{x"]),
              st.sampled_from(["| a | b |", "| a |", "|---|---|", "|:-|", "| - |", "|", "| --- |", "|-|-|"]),
              st.sampled_from(["---|---", ":--", "a | b", "  indented", "    code", "1. x", "* x", "+ x",
                               "> q", "```", "[TOC]", "![a](b.png)", "#", "#x", "\\- x", "&#35; x"])]
glued_segment = st.lists(st.one_of(*LINE_KINDS), min_size=1, max_size=5).map("\n".join)
bulk_segment = st.one_of(glued_segment, glued_segment, bulk_table(), bulk_list(), bulk_paragraph,
                         bulk_heading, bulk_heading, bulk_table(),
                         st.sampled_from(["[TOC]", "---", "![Diagram](figurer/a.png \"Figur 1\")"]),
                         segment)


@st.composite
def bulk_document(draw):
    segments = draw(st.lists(bulk_segment, min_size=2, max_size=10))
    text = segments[0]
    for s in segments[1:]:
        glue = draw(st.sampled_from(["\n\n", "\n\n", "\n\n", "\n\n\n", "\n  \n", "\n"]))
        if glue == "\n" and not s.startswith("#"):
            glue = "\n\n"
        text += glue + s
    return text


@pytest.mark.slow
@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=bulk_document())
def test_fast_path_agrees_with_markdown_it_on_template_like_documents(text):
    assert_same(text)


@pytest.mark.slow
@settings(max_examples=500, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=document())
@example(text="- a\n\n- b")
@example(text="- a\n\n  b")
@example(text="```\nx\n\n# not a heading\n```\n\n# heading")
@example(text='{caption="x"}\n\n{caption="T"}\n| a |\n|---|\n| 1 |')
@example(text="{bad}\n\n| a |\n|---|\n| 1 |")
@example(text="{x&#125;\n\n| a |\n|---|\n| 1 |")
@example(text="para\n\n    code\n\n    more\n\n# h")
@example(text="x\n\n# a |\n---\n\ny")
def test_fast_path_agrees_with_markdown_it(text):
    assert_same(text)


# --------------------------------------------------------------------------- the shipped example


def rendered_example(monkeypatch) -> dict[str, str]:
    """The Markdown each template renders for the shipped example, as the build parses it."""
    inputs, _ = validate_inputs(EXAMPLE_INPUTS, dt.date(2021, 3, 1))
    assert inputs is not None
    ledger = Ledger(inputs)
    texts: dict[str, str] = {}
    real = build_module.parse
    current = ""

    def capture(text, source="<markdown>"):
        texts[current] = text
        return real(text, source)

    monkeypatch.setattr(build_module, "parse", capture)
    for current in deliverable_ids(inputs):
        build_module.render_deliverable(inputs, ledger, current, default_template_dir(EXAMPLE_INPUTS), [])
    return texts


@pytest.mark.slow
def test_rendered_deliverables_agree(monkeypatch):
    texts = rendered_example(monkeypatch)
    assert len(texts) == 4
    for text in texts.values():
        doc, _ = assert_same(text)
        assert any(isinstance(b, Table) for b in doc.blocks)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("*.md")))
def test_golden_drafts_agree(name):
    text = (GOLDEN / name).read_text(encoding="utf-8")
    assert_same(text)
    # A draft multiplied: the segments of a large report, each starting where the last ended.
    assert_same("\n\n".join([text] * 3))


# --------------------------------------------------------------------------- what goes where


def test_the_bulk_shapes_never_reach_markdown_it(markdown_it_calls):
    rows = "\n".join(f"| SI-{i} Projekt | Region {i} | 2\u00a0106\u00a0438 |" for i in range(50))
    items = "\n".join(f"- Projektägare: Region {i}" for i in range(5))
    text = ("[TOC]\n\n---\n\n# Rubrik\n\nEn *viktig* text\növer två rader.\n\n"
            '{caption="Tabell 1. Projekt" .totals}\n| Projekt | Ägare | Beviljat |\n|:---|:---|---:|\n'
            f"{rows}\n| Totalt | | 1 |\n\n## Projekt\n\n### SI-1\n\nText.\n\n{items}\n### SI-2\n\n{items}\n")
    assert_same(text)
    markdown_it_calls.clear()
    doc, findings = parse(text, "t.md")
    assert markdown_it_calls == [] and findings == []
    assert doc.blocks[4].totals and len(doc.blocks[4].rows) == 51


def test_only_the_odd_segments_reach_markdown_it(markdown_it_calls):
    text = "# a\n\n1. ett\n2. två\n\ntext\n\n> citat\n\n- x\n\n##### djup\n"
    _, findings = assert_same(text)
    markdown_it_calls.clear()
    parse(text, "t.md")
    assert markdown_it_calls == [2, 3]  # the ordered list; the quote and the list after it
    assert [(f.code, f.where.line) for f in findings] == [("markdown.heading-depth", 12)]


def test_what_crosses_a_blank_line_goes_to_markdown_it_together(markdown_it_calls):
    for text, lines in [("- a\n\n- b", [3]), ("- a\n\n  b", [3]), ("1. a\n\n   b\n\n# c", [3]),
                        ("    a\n\n    b\n\nc", [3]), ("{.x}\n\n# h", [3]), ("```\na\n\nb\n```\n\nc", [5]),
                        ("```\na\n\n# b\n\nc", [2, 6])]:
        assert_same(text)
        markdown_it_calls.clear()
        parse(text, "t.md")
        assert markdown_it_calls == lines, text
    # A document with a possible link reference definition is parsed whole.
    markdown_it_calls.clear()
    parse("# a\n\n[x]\n\n[x]: https://e.se", "t.md")
    assert markdown_it_calls == [5]


def test_findings_keep_their_lines_after_markdown_it_runs():
    text = ("# a\n\n> q\n\n{.totals}\n| a |\n|---|\n\n1. x\n\n{caption=\"t\" .wide}\n| a |\n|---|\n| 1 |\n\n"
            "![](figurer/x.png)\n\n- text ![i](y.png)\n\n####### no\n\n###### yes")
    _, findings = assert_same(text)
    assert [(f.code, f.where.line) for f in findings] == [
        ("markdown.totals-empty", 6), ("markdown.attrs-ignored", 12), ("markdown.figure-alt", 16),
        ("markdown.unsupported", 18), ("markdown.heading-depth", 22)]


def test_escaped_values_stay_plain_text():
    values = ["FoU & utveckling", "a|b", "*x*", "- 5 %", "1. x", "&amp;", " kant ", "x\\", "{y}", "#1"]
    text = "\n\n".join(f"{escape(v)}\n\n- {escape(v)}" for v in values)
    text += '\n\n{caption="' + escape_attribute('Tabell "1" {x} &amp;') + '"}\n| h |\n|---|\n'
    text += "\n".join(f"| {escape(v)} |" for v in values)
    doc, _ = assert_same(text)
    assert [b for b in doc.blocks if isinstance(b, Paragraph)] == [Paragraph((Text(v),)) for v in values]
    assert [b.items for b in doc.blocks if isinstance(b, BulletList)] == [((Paragraph((Text(v),)),),) for v in values]
    (t,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert t.caption == 'Tabell "1" {x} &amp;' and t.rows == tuple(((Text(v),),) for v in values)


def test_a_failing_fast_path_would_be_caught(monkeypatch):
    # The comparison is not vacuous: a fast path that lost escapes would be told apart.
    monkeypatch.setattr(fast_reader, "_INLINE_SPECIAL", re.compile(r"[\n`*_\[<&]"))
    monkeypatch.setattr(fast_reader, "NOT_PLAIN", re.compile(r"[\n`*_\[<&]"))
    with pytest.raises(AssertionError):
        assert_same("# a\\-b\n\n- a\\-b\n")


# --------------------------------------------------------------------------- normalize


def test_normalize_is_free_on_canonical_trees():
    doc, _ = parse("# a\n\ntext\n\n- x", "t.md")
    assert normalize(doc) is doc
    again = normalize(Document(doc.blocks))  # an equal tree not known to be canonical
    assert again == doc and again is not doc and normalize(again) is again
    hand = Document((Paragraph((Text("a"), Text("\x01b"))), Paragraph(())))
    assert normalize(hand) == Document((Paragraph((Text("ab"),)),))


@pytest.mark.slow
def test_the_quick_cleaning_test_misses_nothing():
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    changed = {m.start() for m in _NONCHAR.finditer(everything)} | {m.start() for m in _NEWLINES.finditer(everything)}
    flagged = {m.start() for m in _NEEDS_CLEANING.finditer(everything)}
    assert changed and changed <= flagged
    assert clean_text("a\u00a0b\u202fc") == "a\u00a0b\u202fc" and clean_text("a\r\nb\x00") == "a b"


def test_plain_content_is_what_markdown_it_leaves_alone():
    # Every character outside the special set, alone in a cell, is one Text of itself.
    sample = "".join(chr(c) for c in range(0x20, 0x3000) if not fast_reader.NOT_PLAIN.match(chr(c)))
    sample = sample.replace("|", "")
    assert len(sample) > 10000
    chunks = [sample[i:i + 200] for i in range(0, len(sample), 200)]
    text = '{caption="t"}\n| h |\n|---|\n' + "\n".join(f"|{c}|" for c in chunks)
    doc, _ = assert_same(text)
    assert len(doc.blocks[0].rows) == len(chunks)


# --------------------------------------------------------------------------- Source markers
# The parts between Source markers are read by one fast parser, each in place in the lines of the
# whole text (reader.parse); each must read as the general reader reads its text alone.
CHART = '![Diagram](diagram/x "Figur 1. Medel")\n\n{caption="Data" .chart}\n| År | Medel |\n|---|---:|\n| 2019 | 1,5 mnkr |'
LONE_CHART_DATA = '{caption="Data" .chart}\n| År | Medel |\n|---|---:|\n| 2019 | 1,5 mnkr |'
PART_ENDS = [LONE_CHART_DATA, "```\nöppen kod", "- a\n- b", "- a\n\n  b", "{caption=\"x\"}", "# " + "Djup" * 2,
             "####### sju", "[x]: https://e.se\n\n[x]", "a\rb", CHART, "    kod", "> citat"]


@st.composite
def sourced_document(draw):
    pieces = []
    for _ in range(draw(st.integers(1, 5))):
        body = draw(st.one_of(bulk_document(), document(), st.sampled_from(PART_ENDS)))
        if draw(st.booleans()):
            body += "\n\n" + draw(st.sampled_from(PART_ENDS))
        kind = draw(st.sampled_from(["plain", "source", "source", "unclosed", "tight"]))
        if kind == "source":
            body = f'::: {{source="projects[{len(pieces)}].summary"}}\n\n{body}\n\n:::'
        elif kind == "tight":
            body = f'::: {{source="p"}}\n{body}\n:::  '
        elif kind == "unclosed":
            body = '::: {source="q"}\n' + body
        pieces.append(body)
    return "\n\n".join(pieces) + draw(st.sampled_from(["", "\n"]))


@pytest.mark.slow
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=sourced_document())
@example(text='::: {source="a"}\n```\nx\n:::\n\n# efter')
@example(text='::: {source="a"}\n- a\n:::\n  b')
@example(text='\\{bad\\}\n\n::: {source="a"}\n\n| a |\n|---|\n| 1 |\n\n:::')
@example(text='{caption="x"}\n\n::: {source="a"}\n\n| a |\n|---|\n| 1 |\n\n:::')
@example(text='x\n\n::: {source="a"}\n\n' + LONE_CHART_DATA + '\n\n:::\n\n' + LONE_CHART_DATA)
@example(text='####### sju\n\n::: {source="a"}\n\n####### sju\n\n:::\n\n####### sju')
def test_fast_path_agrees_with_markdown_it_across_source_markers(text):
    assert_same(text)
