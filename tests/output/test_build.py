"""`reportgen build` on the shipped example: the four deliverables, read back as a reader would.

The drafts are pinned by golden files in tests/golden/. After an intended change to templates or
inputs, regenerate them with:

    REPORTGEN_UPDATE_GOLDEN=1 pytest tests/test_build.py -k golden
and review the diff in git before committing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from reportgen.cli import cli
from reportgen.inputs.load import load_inputs
from reportgen.rules.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
IDS = ["genomforandeplan-2018", "delrapport-2019", "delrapport-2020", "slutredovisning-2021"]
DNR = "N2018/00000/FÖF"


def run_build(out: Path, *args: str, inputs: Path = ROOT / "inputs"):
    result = CliRunner().invoke(cli, ["build", "--inputs", str(inputs), "--out", str(out), *args])
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build") / "outputs"
    result = run_build(out)
    assert result.exit_code == 0, result.output
    return out


def test_writes_four_docx_and_four_drafts(built: Path):
    for deliverable in IDS:
        assert (built / f"{deliverable}.docx").is_file()
        assert (built / f"{deliverable}.md").is_file()
        document = docx.Document(str(built / f"{deliverable}.docx"))  # reopens with python-docx
        assert len(document.paragraphs) > 20


def _cover_header_footer_text(path: Path) -> tuple[str, str, str]:
    document = docx.Document(str(path))
    cover = "\n".join(p.text for p in document.paragraphs[:6])
    headers = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            headers.append("\n".join(p.text for p in part.paragraphs))
    body = "\n".join(p.text for p in document.paragraphs)
    # Dates and amounts use no-break spaces; compare as a reader sees them.
    return tuple(s.replace("\u00a0", " ") for s in (cover, "\n".join(headers), body))


@pytest.mark.parametrize("deliverable", IDS)
def test_diarienummer_on_cover_in_header_and_in_text(built: Path, deliverable: str):
    cover, headers, _ = _cover_header_footer_text(built / f"{deliverable}.docx")
    assert f"Regeringsbeslut 1 mars 2018, {DNR}" in cover
    assert f"Ert dnr {DNR}" in headers
    assert DNR in headers.replace(f"Ert dnr {DNR}", "")  # also in the running header of later pages
    document = docx.Document(str(built / f"{deliverable}.docx"))
    paragraphs = document.paragraphs
    first_heading = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1")
    opening = next(p.text for p in paragraphs[first_heading + 1:] if p.text.strip())
    assert DNR in opening
    assert "Regeringskansliet (Näringsdepartementet)" in cover


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path, built: Path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", "")  # draw the charts again instead of reusing them
    out = tmp_path / "again"
    assert run_build(out).exit_code == 0
    first = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file() and not p.name.startswith("."))
    second = sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert first == second
    for rel in first:
        assert (built / rel).read_bytes() == (out / rel).read_bytes(), rel


def test_zip_entries_have_fixed_times_and_order(built: Path):
    with zipfile.ZipFile(built / "slutredovisning-2021.docx") as zf:
        infos = zf.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_source_date_epoch_sets_the_core_properties(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1616371200")  # 2021-03-22 00:00 UTC
    out = tmp_path / "out"
    assert run_build(out, "genomforandeplan-2018").exit_code == 0
    props = docx.Document(str(out / "genomforandeplan-2018.docx")).core_properties
    assert props.created.isoformat().startswith("2021-03-22T00:00")
    assert props.language == "sv-SE"
    assert props.author == "Tillväxtverket"


def _table_after_caption(document: docx.document.Document, caption_start: str):
    """The table whose caption (the paragraph before it) starts with ``caption_start``."""
    body = document.element.body
    previous_text = ""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            previous_text = "".join(t.text or "" for t in child.iter(docx.oxml.ns.qn("w:t")))
        elif tag == "tbl":
            caption = child.find(".//" + docx.oxml.ns.qn("w:tblCaption"))
            text = caption.get(docx.oxml.ns.qn("w:val")) if caption is not None else previous_text
            if text.startswith(caption_start) or previous_text.startswith(caption_start):
                return docx.table.Table(child, document)
    raise AssertionError(f"no table captioned {caption_start!r}")


def _kronor(text: str) -> Decimal:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("kr", "").replace("\u2212", "-").replace(",", ".")
    return Decimal(cleaned)


def test_financial_tables_totals_equal_the_ledger(built: Path):
    inputs, _ = load_inputs(ROOT / "inputs")
    ledger = Ledger(inputs)
    document = docx.Document(str(built / "slutredovisning-2021.docx"))
    table = _table_after_caption(document, "Tabell 12. Ekonomisk redovisning per år")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in table.rows}
    assert rows["Post"][-1] == "Totalt"
    expected = {
        "Ram": ledger.total.frame, "Rekvirerat": ledger.total.requisitioned,
        "Beviljat till projekt": ledger.total.granted, "Utbetalt till projekt": ledger.total.disbursed,
        "Programanknutna kostnader": ledger.total.programme_costs, "Återkrav från projekt": ledger.total.recovered,
        "Ej förbrukat under året": ledger.total.net,
    }
    for label, total in expected.items():
        cells = [_kronor(c) for c in rows[label]]
        assert cells[-1] == total.quantize(Decimal(1)), label
        assert sum(cells[:-1]) == cells[-1], f"{label}: the years add up to the total shown"

    county = _table_after_caption(document, "Tabell 4. Beviljade och utbetalda medel per län")
    body = [[c.text for c in r.cells] for r in county.rows[1:]]
    assert body[-1][0] == "Totalt"
    assert _kronor(body[-1][2]) == ledger.total.granted.quantize(Decimal(1))
    assert sum(_kronor(r[2]) for r in body[:-1]) == _kronor(body[-1][2])

    interim = docx.Document(str(built / "delrapport-2019.docx"))
    table = _table_after_caption(interim, "Tabell 6. Ekonomisk redovisning 2018")
    values = {r.cells[0].text: r.cells[1].text for r in table.rows}
    year = ledger.year(2018)
    assert _kronor(values["Rekvirerat från Kammarkollegiet (2018-04-16)"]) == year.requisitioned
    assert _kronor(values["Programanknutna kostnader"]) == year.programme_costs.quantize(Decimal(1))


def test_ampersand_angle_brackets_and_quotes_reach_docx_and_draft(tmp_path: Path):
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    text = (inputs / "programme.yaml").read_text("utf-8")
    old = "title: Digitaliseringslyft för Norrbottens industri"
    assert text.count(old) == 1
    tricky = 'FoU & <utveckling> "smart" *industri* | 100 %'
    (inputs / "programme.yaml").write_text(text.replace(old, f"title: '{tricky}'"), "utf-8")
    out = tmp_path / "out"
    result = run_build(out, "slutredovisning-2021", inputs=inputs)
    assert result.exit_code == 0, result.output
    body = "\n".join(p.text for p in docx.Document(str(out / "slutredovisning-2021.docx")).paragraphs)
    cells = "\n".join(c.text for t in docx.Document(str(out / "slutredovisning-2021.docx")).tables
                      for r in t.rows for c in r.cells)
    assert f"SI-2018-01 {tricky}" in body
    assert f"SI-2018-01 {tricky}" in cells
    draft = (out / "slutredovisning-2021.md").read_text("utf-8")
    unescaped = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", draft)
    assert f"SI-2018-01 {tricky}" in unescaped
    assert tricky not in draft  # the Markdown specials are escaped in the draft


def test_template_errors_name_the_template_and_line(tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    path = templates / "delrapport.md.j2"
    lines = path.read_text("utf-8").splitlines()
    line_no = next(i for i, line in enumerate(lines, 1) if line.startswith("# Ekonomisk redovisning"))
    lines[line_no - 1] = "# Ekonomisk redovisning {{ accounting.no_such_thing }}"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out"
    result = run_build(out, "delrapport-2019", "--templates", str(templates))
    assert result.exit_code == 1
    assert re.search(rf"delrapport\.md\.j2:{line_no}(:\d+)?: error: .*no_such_thing", result.output), result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_syntax_error_in_template_is_located(tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    path = templates / "genomforandeplan.md.j2"
    path.write_text(path.read_text("utf-8").replace("{% endfor %}", "{% endfro %}", 1), "utf-8")
    result = run_build(tmp_path / "out", "genomforandeplan-2018", "--templates", str(templates))
    assert result.exit_code == 1
    assert re.search(r"genomforandeplan\.md\.j2:\d+(:\d+)?: error: template syntax error", result.output), result.output


def test_a_failed_build_writes_nothing_and_keeps_previous_outputs(tmp_path: Path, built: Path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    text = (inputs / "programme.yaml").read_text("utf-8")
    (inputs / "programme.yaml").write_text(text.replace("start: 2018-11-01", "start: 2018-13-01", 1), "utf-8")
    result = run_build(out, inputs=inputs)
    assert result.exit_code == 1
    assert "nothing was written" in result.output
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if not p.name.startswith(".")} == \
        {p: b for p, b in before.items() if not p.name.startswith(".")}


def test_unknown_deliverable_is_an_error(tmp_path: Path):
    result = run_build(tmp_path / "out", "delrapport-2099")
    assert result.exit_code == 1
    assert "no deliverable 'delrapport-2099'" in result.output


@pytest.mark.parametrize("deliverable", IDS)
def test_golden_drafts(built: Path, deliverable: str):
    produced = (built / f"{deliverable}.md").read_text("utf-8")
    golden = GOLDEN / f"{deliverable}.md"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(produced, "utf-8")
    assert golden.is_file(), "run with REPORTGEN_UPDATE_GOLDEN=1 to create the golden file"
    assert produced == golden.read_text("utf-8"), (
        f"{deliverable}.md differs from tests/golden; if the change is intended, regenerate with "
        "REPORTGEN_UPDATE_GOLDEN=1 and review the diff")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_every_deliverable_to_pdf(built: Path, tmp_path: Path):
    profile = tmp_path / "lo-profile"
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *[str(built / f"{d}.docx") for d in IDS]],
        capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    for deliverable in IDS:
        pdf = tmp_path / f"{deliverable}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 10_000
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
            assert pages >= 5


def test_unchanged_rebuild_is_skipped_and_force_rebuilds(tmp_path: Path):
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "inputs", inputs)
    out = tmp_path / "out"
    assert run_build(out, "genomforandeplan-2018", inputs=inputs).exit_code == 0
    docx_path = out / "genomforandeplan-2018.docx"
    first_inode = out.stat().st_ino

    again = run_build(out, "genomforandeplan-2018", inputs=inputs)
    assert again.exit_code == 0 and "up to date" in again.output
    assert out.stat().st_ino == first_inode  # nothing was swapped in

    forced = run_build(out, "genomforandeplan-2018", "--force", inputs=inputs)
    assert forced.exit_code == 0 and "wrote" in forced.output

    # A changed input, or an output file changed by hand, makes the next build run again.
    text = (inputs / "programme.yaml").read_text("utf-8")
    (inputs / "programme.yaml").write_text(text.replace("Jonas Ekström", "Jonas Ek", 1), "utf-8")
    changed = run_build(out, "genomforandeplan-2018", inputs=inputs)
    assert "wrote" in changed.output and "Jonas Ek (" in (out / "genomforandeplan-2018.md").read_text("utf-8")
    docx_path.write_bytes(b"edited by hand")
    repaired = run_build(out, "genomforandeplan-2018", inputs=inputs)
    assert "wrote" in repaired.output
    docx.Document(str(docx_path))


def test_up_to_date_check_does_not_skip_the_cleanup_of_a_killed_build(tmp_path: Path):
    out = tmp_path / "out"
    assert run_build(out, "genomforandeplan-2018").exit_code == 0
    # What a build killed after its swap but before deleting the previous tree leaves behind.
    leftover = tmp_path / ".out.old-0123abcd"
    leftover.mkdir()
    (leftover / "genomforandeplan-2018.md").write_text("old", "utf-8")
    result = run_build(out, "genomforandeplan-2018")
    assert result.exit_code == 0 and "up to date" not in result.output
    assert not leftover.exists()


@pytest.mark.slow
def test_one_process_and_several_give_the_same_bytes(tmp_path: Path, built: Path):
    # `built` used the default (a process per CPU); --jobs 1 renders everything in one process,
    # --jobs 3 the final report here and the three others in a worker each.
    files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file() and not p.name.startswith("."))
    for jobs in ("1", "3"):
        out = tmp_path / f"jobs{jobs}"
        assert run_build(out, "--jobs", jobs).exit_code == 0
        assert files == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file() and not p.name.startswith("."))
        for rel in files:
            assert (built / rel).read_bytes() == (out / rel).read_bytes(), (jobs, rel)


@pytest.mark.slow
def test_errors_from_several_deliverables_are_the_same_with_one_process_or_several(tmp_path: Path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    for name in ("delrapport.md.j2", "slutredovisning.md.j2"):
        path = templates / name
        path.write_text(path.read_text("utf-8").replace("# Ekonomisk redovisning", "# Ekonomisk redovisning {{ no_such_value }}", 1),
                        "utf-8")
    outputs = {}
    for jobs in ("1", "2"):
        result = run_build(tmp_path / f"out{jobs}", "--templates", str(templates), "--jobs", jobs, "--format", "json")
        assert result.exit_code == 1
        assert not (tmp_path / f"out{jobs}").exists()
        outputs[jobs] = result.output
    assert outputs["1"] == outputs["2"]
    # The interim reports share a template, so their one error is reported once; then the final report's.
    assert outputs["1"].count("no_such_value") == 2
    assert outputs["1"].index("delrapport.md.j2") < outputs["1"].index("slutredovisning.md.j2")


@pytest.mark.usefixtures("forking")  # in this process, the os._exit below would end the test run
def test_a_worker_that_dies_fails_the_build_and_writes_nothing(tmp_path: Path, monkeypatch):
    import reportgen.output.build as build_module

    real = build_module.render_checked

    def dies_in_a_worker(job, deliverable_id):
        # The build renders the final report itself, the others in workers.
        if deliverable_id.startswith("delrapport"):
            os._exit(9)  # as if killed by the kernel's out-of-memory killer
        return real(job, deliverable_id)

    monkeypatch.setattr(build_module, "render_checked", dies_in_a_worker)
    out = tmp_path / "out"
    result = build_module.build(ROOT / "inputs", out, jobs=2, force=True)
    assert not result.ok
    assert [f.code for f in result.findings if f.is_error] == ["build-worker"]
    assert "REPORTGEN_JOBS=1" in result.findings[-1].hint
    assert not out.exists()
