"""The OOXML layer (reportgen.ooxml): one style table that every reader agrees on, the complete
list of revision elements, and one bounded package reader for every command that opens a .docx."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import run_cli
from docx.enum.style import WD_STYLE_TYPE

from reportgen.checks.a11y import check_docx
from reportgen.document.tree import Heading, Paragraph
from reportgen.formats.docx.reader import read_docx
from reportgen.ooxml import package
from reportgen.ooxml.ns import NS
from reportgen.ooxml.package import Limits, open_package
from reportgen.ooxml.parser import DocxError


def _save(d) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _with_part(data: bytes, name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {i.filename: src.read(i) for i in src.infolist()}
    entries[name] = content
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for n, c in entries.items():
            z.writestr(n, c)
    return out.getvalue()


# ---------------------------------------------------------------------------- one style table


@pytest.mark.parametrize("style_name", ["Kop 2", "Título 2", "Nagłówek 2", "Címsor 2",
                                        "Rubrik 2", "Überschrift 2"])
def test_a_localized_heading_style_is_a_heading_for_every_reader(tmp_path, style_name):
    # A custom paragraph style whose name is a localized "heading 2", without an outline
    # level (as LibreOffice saves a document made in Dutch, Spanish, Polish...).
    d = docx.Document()
    d.core_properties.title = "Rapport"
    style = d.styles.add_style(style_name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = d.styles["Normal"]
    d.add_paragraph("Bakgrund", style=style_name)
    d.add_paragraph("Brödtext.")
    path = tmp_path / "lokal.docx"
    path.write_bytes(_save(d))

    # check-docx: the first heading is level 2.
    orders = [f.message for f in check_docx(path) if f.code == "a11y-heading-order"]
    assert orders and "the first heading is level 2" in orders[0]
    # docx-text and diff read the same document tree: a level-2 heading.
    doc, _ = read_docx(path)
    assert isinstance(doc.blocks[0], Heading) and doc.blocks[0].level == 2, doc.blocks[0]
    assert isinstance(doc.blocks[1], Paragraph)
    result = run_cli("docx-text", str(path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("## Bakgrund\n")


# ---------------------------------------------------------------------------- revisions


def _table_doc() -> bytes:
    d = docx.Document()
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "A"
    table.cell(1, 1).text = "B"
    return _save(d)


_MARK = 'w:id="7" w:author="Granskare" w:date="2021-03-31T00:00:00Z"'


@pytest.mark.parametrize("change", ["cellDel", "cellIns", "cellMerge", "tblPrExChange"])
def test_a_table_revision_alone_is_read_with_the_tracked_changes_warning(change):
    data = _table_doc()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    if change == "tblPrExChange":
        new = (f'<w:tr><w:tblPrEx><w:tblW w:w="0" w:type="auto"/><w:tblPrExChange {_MARK}>'
               '<w:tblPrEx/></w:tblPrExChange></w:tblPrEx>')
        xml = xml.replace("<w:tr>", new, 1)
    else:
        extra = ' w:vMerge="cont"' if change == "cellMerge" else ""
        xml = xml.replace("</w:tcPr>", f"<w:{change} {_MARK}{extra}/></w:tcPr>", 1)
    assert f"w:{change}" in xml
    doc, findings = read_docx(_with_part(data, "word/document.xml", xml.encode()))
    assert "docx-read.tracked-changes" in [f.code for f in findings]
    assert doc.blocks  # still read: the table


# ---------------------------------------------------------------------------- the package reader


def test_a_part_past_the_limit_is_refused_by_name():
    data = _with_part(_table_doc(), "word/styles.xml", b"<w:styles/>" + b" " * 200_000)
    pkg = open_package(data, Limits(part=100_000, total=10**9))
    with pytest.raises(DocxError) as exc:
        pkg.xml("word/styles.xml")
    assert exc.value.part == "word/styles.xml"
    assert "part word/styles.xml inflates to more than" in str(exc.value)


def test_the_total_is_capped_not_only_each_part(monkeypatch):
    # Each part is under the limit for one part; together they are over the package's.
    data = _table_doc()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        main = len(z.read("word/document.xml"))
        styles = len(z.read("word/styles.xml"))
    limits = Limits(part=max(main, styles) + 1, total=main + styles // 2)
    monkeypatch.setattr(package, "LIMITS", limits)
    _doc, findings = read_docx(data)
    assert [f.code for f in findings] == ["docx-read.unreadable"]
    assert "the limit for all parts together" in findings[0].message
    found = check_docx(data)
    assert [f.code for f in found] == ["a11y-unreadable"]
    assert "all parts together" in found[0].message


def test_too_many_elements_are_refused_before_parsing(monkeypatch):
    data = _table_doc()
    monkeypatch.setattr(package, "LIMITS", Limits(elements=50))
    _doc, findings = read_docx(data)
    assert [f.code for f in findings] == ["docx-read.unreadable"]
    assert "more than 50 elements" in findings[0].message
    assert [f.code for f in check_docx(data)] == ["a11y-unreadable"]


def _bomb(path: Path, size: int) -> None:
    """A .docx whose main document inflates to ``size`` bytes of empty paragraphs from a few
    hundred KB (honest sizes in the zip directory)."""
    d = docx.Document()
    head = _save(d)
    with zipfile.ZipFile(io.BytesIO(head)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with z.open("word/document.xml", "w", force_zip64=True) as f:
                    f.write(b'<w:document xmlns:w="' + NS["w"].encode() + b'"><w:body>')
                    chunk = b"<w:p/>" * (1 << 17)
                    for _ in range(size // len(chunk) + 1):
                        f.write(chunk)
                    f.write(b"</w:body></w:document>")
            else:
                z.writestr(info, src.read(info))


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("prlimit") is None, reason="needs prlimit (util-linux)")
def test_check_docx_on_a_zip_bomb_exits_2_fast_in_bounded_memory(tmp_path):
    bomb = tmp_path / "bomb.docx"
    _bomb(bomb, package.LIMITS.part + (1 << 20))
    assert bomb.stat().st_size < 2 << 20
    for command in ("check-docx", "docx-text"):
        start = time.perf_counter()
        result = subprocess.run(
            ["prlimit", f"--as={3 << 29}", sys.executable, "-m", "reportgen.cli", command,
             str(bomb)], check=False, capture_output=True, text=True, timeout=60,
            env={**os.environ, "REPORTGEN_CACHE_DIR": ""})
        took = time.perf_counter() - start
        assert result.returncode == 2, (command, result.stderr[-2000:])
        assert "Traceback" not in result.stderr
        assert "word/document.xml inflates to more than" in result.stderr
        assert took < 5, (command, took)


def test_check_docx_is_linear_in_paragraphs(monkeypatch):
    # 40 000 paragraphs, every other one empty and the others page breaks (each empty paragraph
    # a message of its own, whose context was searched for through the whole document), then
    # 40 000 empty <w:p/> (whose end tag the fast lane searched for to the end of the body).
    from reportgen.checks import a11y

    monkeypatch.setattr(a11y, "FAST_LANE_MIN_BYTES", 0)  # the fast lane reads these 0.3-1 MB parts too
    d = docx.Document()
    d.core_properties.title = "Rapport"
    data = _save(d)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml")
    page = b'<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    start, end = xml.index(b"<w:body>") + len(b"<w:body>"), xml.index(b"<w:sectPr")
    timings = []
    for body in ((b"<w:p/>" + page) * 20_000, b"<w:p/>" * 40_000):
        big = _with_part(data, "word/document.xml", xml[:start] + body + xml[end:])
        t = time.perf_counter()
        found = check_docx(big)
        timings.append(time.perf_counter() - t)
        assert [f.code for f in found if f.code != "a11y-lang"]
    # Under 2 s on a quiet machine; the quadratic code took 200 s and 4.5 s.
    assert max(timings) < 8, timings
