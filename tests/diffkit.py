"""Shared by test_diff.py and test_redline.py: the example built before and after three edits to
its inputs, small generated documents with random edits, and writing trees as .docx."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import openpyxl
from conftest import EXAMPLE_INPUTS, ROOT, run_cli
from hypothesis import strategies as st

from reportgen.document.tree import (
    BulletList,
    Document,
    Emphasis,
    Heading,
    Paragraph,
    Strong,
    Table,
    Text,
    normalize,
)
from reportgen.formats.docx.reader import read_docx
from reportgen.formats.docx.writer import CoreProperties, write_docx
from reportgen.formats.markdown.writer import write_markdown

BASE = ROOT / "templates" / "base.docx"
FIELDS = {
    "agency": "Tillväxtverket",
    "title": "Slutredovisning",
    "subtitle": "Uppdrag att främja Smart industri på regional nivå",
    "date": "31 mars 2021",
    "decision_ref": "Regeringsbeslut 1 mars 2018, N2018/00000/FÖF",
    "your_ref": "Ert dnr N2018/00000/FÖF",
    "our_ref": "Vårt dnr Ä 2018-0417",
    "diarienummer": "N2018/00000/FÖF",
    "addressee": "Regeringskansliet (Näringsdepartementet)",
}
CORE = CoreProperties(title="Smart industri", subject="Slutredovisning", author="Tillväxtverket",
                      created=datetime(2021, 3, 31), modified=datetime(2021, 3, 31, 12, 30))

# --------------------------------------------------------------------------- the example

# The three edits (see edit_inputs): a project renamed, one removed, one disbursement changed.
RENAMED = ("SI-2018-01", "Digitaliseringslyft för Norrbottens industri",
           "Digitaliseringslyft för industrin i Norrbotten")
REMOVED = "SI-2019-03"
REMOVED_TITLE = "Kompetens för smart industri i Mälardalen"
CHANGED_PAYMENT = ("UB-2020-0005", 751_000, 761_000)  # SI-2018-05, Region Dalarna

_tmp = Path(tempfile.mkdtemp(prefix="reportgen-diff-tests-"))
atexit.register(shutil.rmtree, _tmp, ignore_errors=True)


def edit_inputs(inputs: Path) -> None:
    """Rename SI-2018-01, remove SI-2019-03 (programme.yaml and its rows in Beviljat,
    Utbetalningar and Medfinansiering) and change one disbursement; the repayment follows, so
    that it still equals requisitioned − disbursed − programme costs + recovered (rule SI604)."""
    programme = inputs / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    assert text.count(f"title: {RENAMED[1]}") == 1
    text = text.replace(f"title: {RENAMED[1]}", f"title: {RENAMED[2]}")
    start = text.index(f"  - id: {REMOVED}\n")
    end = text.index("\nevaluation:", start)
    text = text[:start].rstrip("\n") + "\n" + text[end:]
    programme.write_text(text, encoding="utf-8")

    book = openpyxl.load_workbook(inputs / "finances.xlsx")
    removed = Decimal(0)
    for sheet in ("Beviljat", "Utbetalningar", "Medfinansiering"):
        ws = book[sheet]
        for r in range(ws.max_row, 1, -1):
            if ws.cell(r, 1).value == REMOVED:
                if sheet == "Utbetalningar":
                    removed += Decimal(str(ws.cell(r, 3).value))
                ws.delete_rows(r)
    ws = book["Utbetalningar"]
    verification, before, after = CHANGED_PAYMENT
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == verification]
    assert len(rows) == 1 and ws.cell(rows[0], 3).value == before
    ws.cell(rows[0], 3).value = after
    repayment = book["Återbetalningar"].cell(2, 2)
    repayment.value = float(Decimal(str(repayment.value)) + removed - (after - before))
    book.save(inputs / "finances.xlsx")


@cache
def example_builds() -> tuple[Path, Path]:
    """(old, new) output folders: the shipped example built as it is, and after edit_inputs."""
    old_inputs, new_inputs = _tmp / "old" / "inputs", _tmp / "new" / "inputs"
    shutil.copytree(EXAMPLE_INPUTS, old_inputs)
    shutil.copytree(EXAMPLE_INPUTS, new_inputs)
    edit_inputs(new_inputs)
    outs = []
    for inputs in (old_inputs, new_inputs):
        out = inputs.parent / "outputs"
        result = run_cli("-q", "build", "--inputs", str(inputs), "--out", str(out),
                         "--today", "2021-04-01")
        assert result.exit_code == 0, result.output + result.stderr
        outs.append(out)
    return outs[0], outs[1]


# --------------------------------------------------------------------------- generated documents

WORDS = ["alfa", "beta", "gamma", "delta", "projekt", "län", "Tillväxtverket", "utbetalt", "kr",
         "2\u00a0153\u00a0905", "20", "19", "–", "%", "och", "Smart", "industri", "medel", "(N2018)"]
words = st.sampled_from(WORDS)
sentences = st.lists(words, min_size=1, max_size=7).map(" ".join)


@st.composite
def paragraph_inlines(draw):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["text", "text", "strong", "em"]))
        if kind == "text":
            parts.append(Text(draw(sentences)))
        else:
            inner = (Text(draw(words)),)
            parts.append(Strong(inner) if kind == "strong" else Emphasis(inner))
        parts.append(Text(" "))
    return tuple(parts[:-1])


@st.composite
def tables(draw):
    n = draw(st.integers(1, 3))
    header = tuple((Text(draw(words)),) for _ in range(n))
    rows = tuple(tuple((Text(draw(sentences)),) for _ in range(n))
                 for _ in range(draw(st.integers(0, 5))))
    align = tuple(draw(st.sampled_from(["left", "right"])) for _ in range(n))
    caption = draw(st.one_of(st.none(), sentences.map(lambda s: "Tabell 1. " + s)))
    return Table(caption, header, rows, align, draw(st.booleans()) and bool(rows))


@st.composite
def bullet_lists(draw):
    items = []
    for _ in range(draw(st.integers(1, 4))):
        item = [Paragraph((Text(draw(sentences)),))]
        if draw(st.integers(0, 4)) == 0:
            item.append(BulletList(tuple((Paragraph((Text(draw(sentences)),)),)
                                         for _ in range(draw(st.integers(1, 2))))))
        items.append(tuple(item))
    return BulletList(tuple(items))


blocks = st.one_of(
    st.builds(Heading, st.integers(1, 3), sentences.map(lambda s: (Text(s),))),
    st.builds(Paragraph, paragraph_inlines()),
    st.builds(Paragraph, paragraph_inlines()),
    bullet_lists(),
    tables(),
)
documents = st.lists(blocks, min_size=1, max_size=7).map(lambda bs: tidy(Document(tuple(bs))))


def tidy(doc: Document) -> Document:
    """Two bullet lists in a row are one list in Word (one w:num): merge them, so that the tree
    is one the .docx can give back exactly."""
    out: list = []
    for b in normalize(doc).blocks:
        if isinstance(b, BulletList) and out and isinstance(out[-1], BulletList):
            out[-1] = BulletList(out[-1].items + b.items)
        else:
            out.append(b)
    return normalize(Document(tuple(out)))


def _edit_words(draw, text: str) -> str:
    ws = text.split(" ")
    k = draw(st.integers(0, len(ws) - 1))
    op = draw(st.sampled_from(["replace", "insert", "delete"]))
    if op == "replace":
        ws[k] = draw(words)
    elif op == "insert":
        ws.insert(k, draw(words))
    elif len(ws) > 1:
        del ws[k]
    return " ".join(ws)


@st.composite
def edited(draw, doc: Document) -> Document:
    """NEW from OLD: 1-4 random edits (words changed; paragraphs, list items and table rows
    inserted, deleted or changed)."""
    bs = list(doc.blocks)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["words", "words", "insert", "delete", "row", "row", "item"]))
        if op == "insert" or not bs:
            bs.insert(draw(st.integers(0, len(bs))), draw(blocks))
            continue
        k = draw(st.integers(0, len(bs) - 1))
        b = bs[k]
        if op == "delete":
            del bs[k]
        elif op == "words" and isinstance(b, Heading):
            bs[k] = Heading(b.level, (Text(_edit_words(draw, b.inlines[0].text)),))
        elif op == "words" and isinstance(b, Paragraph):
            inl = list(b.inlines)
            texts = [i for i, x in enumerate(inl) if isinstance(x, Text) and x.text.strip()]
            if texts:
                i = draw(st.sampled_from(texts))
                inl[i] = Text(_edit_words(draw, inl[i].text))
            else:
                inl.append(Text(" " + draw(words)))
            bs[k] = Paragraph(tuple(inl))
        elif op in ("row", "words") and isinstance(b, Table):
            rows = list(b.rows)
            n = len(b.header)
            what = draw(st.sampled_from(["insert", "delete", "change"]))
            if what == "insert" or not rows:
                rows.insert(draw(st.integers(0, len(rows))),
                            tuple((Text(draw(sentences)),) for _ in range(n)))
            elif what == "delete":
                del rows[draw(st.integers(0, len(rows) - 1))]
            else:
                r = draw(st.integers(0, len(rows) - 1))
                c = draw(st.integers(0, n - 1))
                row = list(rows[r])
                row[c] = (Text(_edit_words(draw, rows[r][c][0].text if rows[r][c] else "x")),)
                rows[r] = tuple(row)
            bs[k] = Table(b.caption, b.header, tuple(rows), b.align, b.totals and bool(rows))
        elif isinstance(b, BulletList):
            items = list(b.items)
            what = draw(st.sampled_from(["insert", "delete", "change"]))
            if what == "insert":
                items.insert(draw(st.integers(0, len(items))),
                             (Paragraph((Text(draw(sentences)),)),))
            elif what == "delete" and len(items) > 1:
                del items[draw(st.integers(0, len(items) - 1))]
            else:
                i = draw(st.integers(0, len(items) - 1))
                first = items[i][0]
                if isinstance(first, Paragraph) and first.inlines:
                    items[i] = (Paragraph((Text(_edit_words(draw, first.inlines[0].text)),)),
                                *items[i][1:])
            bs[k] = BulletList(tuple(items))
    return tidy(Document(tuple(bs)))


def to_docx(doc: Document, core: CoreProperties = CORE) -> bytes:
    data, findings = write_docx(doc, BASE, FIELDS, core)
    assert data is not None and not [f for f in findings if f.is_error], findings
    return data


def docx_markdown(data: bytes | Path) -> str:
    doc, findings = read_docx(data)
    assert not [f for f in findings if f.is_error], findings
    return write_markdown(doc)
