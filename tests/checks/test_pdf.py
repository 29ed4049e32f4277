"""`reportgen build --pdf`: tagged PDFs with language and title through LibreOffice, and what
happens without LibreOffice or when it fails (the build fails and writes nothing)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import subprocess
import time
import zlib
from pathlib import Path

import docx
import pytest
from conftest import EXAMPLE_INPUTS, run_cli

from reportgen.checks import pdf as rpdf

pytestmark = pytest.mark.slow  # see README (test tiers)

IDS = ("genomforandeplan-2018", "delrapport-2019", "delrapport-2020", "slutredovisning-2021")
TODAY = dt.date(2022, 1, 15)
SOFFICE = rpdf.find_soffice()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("pdf") / "outputs"
    result = run_cli("build", "--pdf", "--inputs", str(EXAMPLE_INPUTS), "--out", str(out),
                     "--today", TODAY.isoformat())
    assert result.exit_code == 0, result.stderr
    for deliverable in IDS:
        assert f"wrote {out / deliverable}.pdf" in result.stdout
    return out


def pdfinfo(path: Path) -> dict[str, str]:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    text = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in text.splitlines())}


@needs_soffice
@pytest.mark.parametrize("deliverable", IDS)
def test_pdf_is_tagged_with_language_and_title(built: Path, deliverable: str) -> None:
    pypdf = pytest.importorskip("pypdf")
    path = built / f"{deliverable}.pdf"
    title = docx.Document(str(built / f"{deliverable}.docx")).core_properties.title
    info = pdfinfo(path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == title
    reader = pypdf.PdfReader(str(path))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "sv-SE"
    assert reader.metadata.title == title
    assert reader.metadata.author == "Tillväxtverket"
    assert rpdf.check_pdf(path.read_bytes(), language="sv-SE", title=title) == []


@needs_soffice
def test_raw_pdf_bytes_carry_the_catalogue_entries(built: Path) -> None:
    data = (built / "slutredovisning-2021.pdf").read_bytes()
    texts = b"".join(rpdf._object_texts(data))  # the file and its decompressed object streams
    assert b"/Lang(sv-SE)" in texts.replace(b" ", b"")
    assert b"/StructTreeRoot" in texts
    assert b"/Marked true" in texts or b"/Marked  true" in texts


@needs_soffice
def test_figures_keep_their_alt_text_and_tables_their_headers(built: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(str(built / "slutredovisning-2021.pdf"))
    kinds: dict[str, int] = {}
    alts: list[str] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
            return
        if not isinstance(node, pypdf.generic.DictionaryObject):
            return
        kind = node.get("/S")
        if kind:
            kinds[kind] = kinds.get(kind, 0) + 1
        if kind == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        if "/K" in node:
            walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"]["/K"])
    assert kinds.get("/TH", 0) > 0 and kinds.get("/H1", 0) > 0 and kinds.get("/L", 0) > 0
    assert len(alts) == 4  # the four native charts are tagged as figures
    if not all(a.startswith(("Stapeldiagram.", "Liggande stapeldiagram.")) for a in alts):
        # Known limitation of LibreOffice 7.4: it tags a native (DrawingML) chart as a /Figure
        # but does not carry its alternative text (wp:docPr/@descr) into /Alt, as it does a
        # picture's; the caption and the table beside each chart hold the same figures.
        pytest.xfail("LibreOffice does not put a native chart's alt text into the tagged PDF")


def test_without_libreoffice_the_build_says_how_to_install_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(rpdf, "find_soffice", lambda explicit=None: None)
    out = tmp_path / "outputs"
    result = run_cli("build", "--pdf", "--inputs", str(EXAMPLE_INPUTS), "--out", str(out))
    assert result.exit_code == 1
    assert "apt-get install libreoffice-writer-nogui" in result.stderr
    assert "[pdf-soffice-missing]" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists() or not any(out.iterdir())  # nothing written


def fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_a_failed_conversion_writes_nothing(tmp_path: Path) -> None:
    soffice = fake_soffice(tmp_path, "echo 'Error: source file could not be loaded' >&2\nexit 1")
    out = tmp_path / "outputs"
    result = run_cli("build", "--pdf", "--soffice", str(soffice), "--inputs", str(EXAMPLE_INPUTS),
                     "--out", str(out), "--today", TODAY.isoformat())
    assert result.exit_code == 1
    assert "[pdf-conversion-failed]" in result.stderr
    assert "source file could not be loaded" in result.stderr
    assert "nothing was written" in result.stderr
    assert not out.exists() or not any(out.iterdir())  # nothing written


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for LibreOffice")
def test_a_hanging_libreoffice_is_stopped(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    soffice = fake_soffice(tmp_path, f"sleep 30 &\necho $! > {pid_file}\nwait")
    started = time.perf_counter()
    with pytest.raises(rpdf.PdfError) as exc:
        rpdf.convert_to_pdf({"a": b"PK"}, str(soffice), timeout=1)
    assert exc.value.code == "pdf-timeout"
    assert time.perf_counter() - started < 10
    child = int(pid_file.read_text())
    for _ in range(50):  # the whole process group was stopped, the sleep included
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        pytest.fail("the child process of the stand-in LibreOffice is still running")


def test_export_filter_is_json_with_tagging_and_pdf_ua() -> None:
    assert rpdf.EXPORT_FILTER.startswith('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}')
    assert '"PDFUACompliance":{"type":"boolean","value":"true"}' in rpdf.EXPORT_FILTER


def test_check_pdf_reads_a_catalogue_inside_an_object_stream() -> None:
    objects = b"2 0 <</Type/Catalog/MarkInfo<</Marked true>>/StructTreeRoot 3 0 R/Lang(sv-SE)>>"
    stream = zlib.compress(objects)
    data = (b"%PDF-1.5\n1 0 obj\n<</Type/ObjStm/N 1/First 4/Filter/FlateDecode/Length "
            + str(len(stream)).encode() + b">>stream\n" + stream + b"\nendstream\nendobj\n"
            b"4 0 obj\n<</Title(Slutredovisning \\374 \\(2021\\))>>\nendobj\n"
            b"5 0 obj\n<</Type/XRef/Root 2 0 R/Info 4 0 R>>\nendobj\n%%EOF\n")
    assert rpdf.check_pdf(data, language="sv-SE", title="Slutredovisning ü (2021)") == []
    untagged = data.replace(zlib.compress(objects), zlib.compress(objects.replace(b"true", b"false")))
    assert any("not tagged" in p for p in rpdf.check_pdf(untagged))
    assert rpdf.check_pdf(data, language="en-GB") == ["the document language is sv-SE, expected en-GB"]
