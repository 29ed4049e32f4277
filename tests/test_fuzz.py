"""Issue #8: property-based fuzzing of the loaders and the Markdown-to-docx writer.

Whatever the input, each stage returns findings (or a valid result), never an exception: the YAML
loader on arbitrary text and bytes, the inputs (finances.xlsx with arbitrary values in arbitrary
cells, checked by the decision's rules too), and parse + write_docx on arbitrary Markdown with
characters XML cannot hold. The examples are bounded so that the three together stay well under
30 seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import string
import tempfile
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import EXAMPLE_INPUTS, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reportgen.findings import Finding
from reportgen.formats.docx.writer import CoreProperties, write_docx
from reportgen.formats.markdown.reader import parse
from reportgen.inputs.load import SHEETS
from reportgen.inputs.sources.yaml import YamlDocument, load_yaml
from reportgen.rules.validate import validate_inputs

pytestmark = pytest.mark.slow  # fuzzing: see README (test tiers)

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="reportgen-fuzz-") as tmp:
        yield Path(tmp)


def assert_findings(findings) -> None:
    assert isinstance(findings, list)
    for f in findings:
        assert isinstance(f, Finding) and f.code and f.message
        f.format_text(), f.as_dict(), f.format_github()  # every finding can be printed


# --- the YAML loader -----------------------------------------------------------------------------

YAML_PIECES = [":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "&b ", "*b", "!!python/object:os.system ",
               "!x ", "<<: ", "? ", "|", ">-", "'", '"', "\\", "#", "%YAML 1.2\n", "---\n", "...\n", "\n", "  ",
               "\t", "key", "ä", "2019-02-30", "010", "0x1F", "1e400", ".nan", "~", "true", "no", "\x0b", "\x00",
               "\ufeff", "\u2028", "😀", "\x85", "\ud7ff"]
yaml_text = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(YAML_PIECES) | st.text(string.ascii_letters + string.digits, max_size=3),
             max_size=60).map("".join),
)


@settings(FUZZ, max_examples=60)
@given(data=st.one_of(yaml_text.map(lambda s: s.encode("utf-8", "surrogatepass")), st.binary(max_size=300)))
def test_yaml_loader_returns_findings_never_raises(workdir, data):
    path = workdir / "fuzz.yaml"
    path.write_bytes(data)
    doc, findings = load_yaml(path, "fuzz.yaml")
    assert_findings(findings)
    assert doc is None or isinstance(doc, YamlDocument)
    if doc is None:
        assert any(f.is_error for f in findings)
    for f in findings:
        assert f.where is not None and f.where.file == "fuzz.yaml"


# --- the inputs: arbitrary values in arbitrary cells of finances.xlsx ----------------------------------

def _cell_text(s: str) -> str:
    # openpyxl refuses to write characters XML 1.0 cannot hold; Excel stores them as _xHHHH_.
    return ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", s)


cell_value = st.one_of(
    st.text(max_size=40).map(_cell_text),
    st.sampled_from(["", " ", "2019-02-30", "30 maj 2019", "-5000", "1e400", "NaN", "tio tusen", "SI-2018-01",
                     "Personal", "Region", "_x000B_", "=1+1", "N2018/00000/FÖF", "5052-5781", "2018"]),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2200, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2200, 1, 1)),
    st.booleans(),
    st.none(),
)
cell_edit = st.tuples(st.sampled_from([s.sheet for s in SHEETS]), st.integers(1, 30), st.integers(1, 6), cell_value)


@pytest.fixture(scope="module")
def inputs_work(workdir):
    folder = workdir / "inputs"
    shutil.copytree(EXAMPLE_INPUTS, folder)
    return folder


@settings(FUZZ, max_examples=25)
@given(edits=st.lists(cell_edit, min_size=1, max_size=3))
def test_inputs_with_arbitrary_cells_give_findings_never_raise(inputs_work, edits):
    book = openpyxl.load_workbook(EXAMPLE_INPUTS / "finances.xlsx")
    for sheet, row, column, value in edits:
        book[sheet].cell(row=row, column=column).value = value
    book.save(inputs_work / "finances.xlsx")
    inputs, findings = validate_inputs(inputs_work, dt.date(2021, 3, 1))
    assert_findings(findings)
    if inputs is None:
        assert any(f.is_error for f in findings)


# --- Markdown → document tree → docx ----------------------------------------------------------------

MD_PIECES = ["# ", "## ", "#### ", "##### ", "**", "*", "_", "`", "``", "[", "]", "(", ")", "](", "![", "](x.png)",
             "](../../etc/passwd)", "<", ">", "> ", "- ", "* ", "1. ", "99999999999. ", "|", "| --- |", "|:---:|",
             "\n", "\n\n", "  \n", "\\\n", "---\n", "[TOC]", '{caption="Tabell 1" .totals}\n', "&amp;", "&#0;",
             "&#x1F600;", "&#xD800;", "\\", "\t", "    ", "\x00", "\x01", "\x0b", "\x0c", "\x1f", "\x7f", "\x85",
             "\ufffe", "\uffff", "\ud800", "\U0001fffe", "😀", "👩‍🔧", "\u200f", "å", "https://example.se", "<b>"]
markdown_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(MD_PIECES) | st.text(string.ascii_letters + " ", max_size=6), max_size=50).map("".join),
)

STAMP = dt.datetime(2019, 3, 31)


@settings(FUZZ, max_examples=40)
@given(text=markdown_text, title=st.text(max_size=30))
def test_markdown_to_docx_gives_a_valid_document_or_findings(text, title):
    doc, findings = parse(text)
    assert_findings(findings)
    fields = {"agency": "Tillväxtverket", "title": title, "subtitle": title, "date": "31 mars 2019",
              "decision_ref": "Regeringsbeslut", "your_ref": "Ert dnr", "our_ref": "Vårt dnr",
              "diarienummer": "N2018/00000/FÖF", "addressee": "Regeringskansliet"}
    core = CoreProperties(title=title, subject=title, author="Tillväxtverket", created=STAMP, modified=STAMP)
    data, write_findings = write_docx(doc, ROOT / "templates" / "base.docx", fields, core)
    assert_findings(write_findings)
    assert data is not None
    document = docx.Document(io.BytesIO(data))  # the XML is well-formed and the package complete
    "".join(p.text for p in document.paragraphs)
