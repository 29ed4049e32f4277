"""reportgen pull-edits: texts edited in a built .docx go back into programme.yaml; edits of
generated content are refused with their place."""

from __future__ import annotations

import difflib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from conftest import run_cli

from reportgen.formats.docx.reader import read_docx, read_docx_parts
from reportgen.formats.markdown.writer import write_markdown
from reportgen.ooxml.provenance import bookmark_places, read_custom_properties
from reportgen.output.build import build

FINAL = "slutredovisning-2021"
SUMMARY = "projects[3].summary"  # SI-2018-04, a folded scalar
SENTENCE = "Testbädden har blivit en nationell resurs för additiv tillverkning."


@pytest.fixture
def project(inputs_copy: Path) -> Path:
    """A copy of the example inputs with the final report built into <tmp>/outputs."""
    result = build(inputs_copy, inputs_copy.parent / "outputs", [FINAL])
    assert result.ok, result.findings
    return inputs_copy.parent


def rewrite_document(src: Path, dst: Path, edit) -> None:
    """Copy a .docx, passing word/document.xml (text) through ``edit``."""
    with zipfile.ZipFile(src) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries:
            if name == "word/document.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            out.writestr(name, data)


def insert_tracked(xml: str, place: str, sentence: str) -> str:
    """Add ``sentence`` at the end of the first paragraph of the text from ``place``, as Word
    writes a tracked insertion."""
    start = xml.index(f'<w:tag w:val="src:{place}"/>')
    end = xml.index("</w:p>", start)
    ins = ('<w:ins w:id="9001" w:author="Granskare" w:date="2021-03-10T09:00:00Z"><w:r>'
           f'<w:t xml:space="preserve"> {sentence}</w:t></w:r></w:ins>')
    return xml[:end] + ins + xml[end:]


def changed_lines(old: str, new: str) -> list[int]:
    """The 1-based numbers of the old file's lines that a diff removes or changes, and of the
    line after which it inserts lines."""
    out = []
    matcher = difflib.SequenceMatcher(None, old.splitlines(), new.splitlines(), autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "insert":
            out.append(i1)
        elif tag != "equal":
            out += range(i1 + 1, i2 + 1)
    return out


def field_lines(text: str, key_line: int) -> range:
    """The lines of the block scalar whose key is on ``key_line``: it and its more indented lines."""
    lines = text.splitlines()
    indent = len(lines[key_line - 1]) - len(lines[key_line - 1].lstrip())
    end = key_line  # the number of the field's last line
    while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
        end += 1
    return range(key_line, end + 1)


def test_a_tracked_insertion_in_a_project_summary_goes_back_into_programme_yaml(project: Path):
    programme = project / "inputs" / "programme.yaml"
    before = programme.read_text(encoding="utf-8")
    edited = project / "granskad.docx"
    rewrite_document(project / "outputs" / f"{FINAL}.docx", edited,
                     lambda xml: insert_tracked(xml, SUMMARY, SENTENCE))

    dry = run_cli("pull-edits", str(edited), "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert SENTENCE.split()[-1] in dry.stdout and dry.stdout.startswith("--- a/inputs/programme.yaml")
    assert programme.read_text(encoding="utf-8") == before  # a dry run writes nothing

    result = run_cli("pull-edits", str(edited))
    assert result.exit_code == 0, result.stderr
    assert f"{SUMMARY}: edited" in result.stderr and "wrote" in result.stderr
    after = programme.read_text(encoding="utf-8")
    # Only that field changed: every other line is as it was, every comment line is still there.
    key_line = next(i for i, line in enumerate(before.splitlines(), start=1)
                    if "summary:" in line and "additiv tillverkning i metall" in before.splitlines()[i])
    assert set(changed_lines(before, after)) <= set(field_lines(before, key_line))
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#") or " # " in line]
    assert comments and all(line in after.splitlines() for line in comments)
    assert "summary: >-" in after.splitlines()[key_line - 1]  # still folded

    # The rebuilt report says the new sentence, where the summary stands.
    rebuilt = build(project / "inputs", project / "outputs", [FINAL], force=True)
    assert rebuilt.ok
    text = write_markdown(read_docx(project / "outputs" / f"{FINAL}.docx")[0])
    assert SENTENCE in " ".join(text.split())
    # Pulling the same document again changes nothing.
    again = run_cli("pull-edits", str(edited))
    assert again.exit_code == 0 and "nothing to write" in again.stderr
    assert programme.read_text(encoding="utf-8") == after


def test_a_tracked_deletion_and_bold_insertion_become_markdown(project: Path):
    place = f"texts.{FINAL}.lardomar"

    def edit(xml: str) -> str:
        # "Den regionala nivån ..." becomes "**Viktigast:** regionala nivån ...", with the bold
        # word's space inside the bold, as Word makes it.
        start = xml.index(f'<w:tag w:val="src:{place}"/>')
        run = xml.index("<w:r>", start)
        end = xml.index("</w:r>", run) + len("</w:r>")
        text = re.search(r"<w:t[^>]*>([^<]*)</w:t>", xml[run:end]).group(1)
        first, rest = text.split(" ", 1)
        return (xml[:run] + '<w:del w:id="9101" w:author="G" w:date="2021-03-10T09:00:00Z"><w:r>'
                f'<w:delText xml:space="preserve">{first} </w:delText></w:r></w:del>'
                '<w:ins w:id="9102" w:author="G" w:date="2021-03-10T09:00:00Z"><w:r><w:rPr><w:b/></w:rPr>'
                '<w:t xml:space="preserve">Viktigast: </w:t></w:r></w:ins>'
                f'<w:r><w:t xml:space="preserve">{rest}</w:t></w:r>' + xml[end:])

    edited = project / "granskad.docx"
    rewrite_document(project / "outputs" / f"{FINAL}.docx", edited, edit)
    result = run_cli("pull-edits", str(edited))
    assert result.exit_code == 0, result.stderr
    after = (project / "inputs" / "programme.yaml").read_text(encoding="utf-8")
    assert "      **Viktigast:** regionala nivån är en bra bas" in after
    again = run_cli("pull-edits", str(edited))
    assert again.exit_code == 0 and "nothing to write" in again.stderr


def test_rejecting_tracked_changes_takes_the_text_as_built(project: Path):
    programme = project / "inputs" / "programme.yaml"
    before = programme.read_bytes()
    edited = project / "granskad.docx"
    rewrite_document(project / "outputs" / f"{FINAL}.docx", edited,
                     lambda xml: insert_tracked(xml, SUMMARY, SENTENCE))
    result = run_cli("pull-edits", str(edited), "--reject-tracked")
    assert result.exit_code == 0 and "nothing to write" in result.stderr
    assert programme.read_bytes() == before


def test_an_edited_amount_is_refused_with_its_row_and_sources(project: Path):
    inputs = project / "inputs"
    programme, finances = (inputs / "programme.yaml").read_bytes(), (inputs / "finances.xlsx").read_bytes()
    built = project / "outputs" / f"{FINAL}.docx"
    text = write_markdown(read_docx(built)[0])
    row = next(line for line in text.splitlines() if line.startswith("| SI-2018-01 ") and line.endswith("kr |"))
    amount = row.rstrip(" |").rsplit("|", 1)[1].strip()  # e.g. "4 000 000 kr"
    edited = project / "granskad.docx"

    def edit(xml: str) -> str:
        # The project's row in the table of granted projects: its last cell's amount.
        at = xml.index("SI-2018-01 Digitaliseringslyft")
        row_end = xml.index("</w:tr>", at)
        cell = xml.rindex(amount, at, row_end)
        return xml[:cell] + amount.replace("4", "5", 1) + xml[cell + len(amount):]

    rewrite_document(built, edited, edit)
    result = run_cli("pull-edits", str(edited))
    assert result.exit_code == 1
    assert (inputs / "programme.yaml").read_bytes() == programme
    assert (inputs / "finances.xlsx").read_bytes() == finances
    message = result.stderr
    assert "refused, nothing written" in message
    assert f"{FINAL}: section 'Beviljade projekt', table 'Tabell 3. Beviljade projekt 2018–2020', " \
           "row 'SI-2018-01 Digitaliseringslyft för Norrbottens industri'" in message
    assert amount in message and amount.replace("4", "5", 1) in message
    # Where the figure comes from: the project in programme.yaml and its cells in finances.xlsx.
    assert re.search(r"project SI-2018-01 in inputs/programme\.yaml:\d+:\d+", message)
    assert re.search(r"inputs/finances\.xlsx:Beviljat!D\d+", message)

    as_json = run_cli("pull-edits", str(edited), "--format", "json")
    got = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and not got["ok"] and not got["written"]
    assert any(f["code"] == "pull-edits.generated" for f in got["findings"])


def test_a_deleted_table_row_and_an_added_paragraph_are_refused(project: Path):
    edited = project / "granskad.docx"

    def edit(xml: str) -> str:
        at = xml.index("SI-2018-02 Smart industri Västerbotten")
        row = xml.rindex("<w:tr>", 0, at)
        end = xml.index("</w:tr>", at) + len("</w:tr>")
        xml = xml[:row] + xml[end:]
        # A paragraph typed after the last text from programme.yaml, outside its control.
        last = xml.rindex("</w:sdt>") + len("</w:sdt>")
        return xml[:last] + "<w:p><w:r><w:t>En egen mening.</w:t></w:r></w:p>" + xml[last:]

    rewrite_document(project / "outputs" / f"{FINAL}.docx", edited, edit)
    result = run_cli("pull-edits", str(edited))
    assert result.exit_code == 1
    assert "row 'SI-2018-02 Smart industri Västerbotten – hållbar och uppkopplad produktion': " \
           "'SI-2018-02 Smart industri Västerbotten" in result.stderr and "was deleted" in result.stderr
    assert "'En egen mening.' was added" in result.stderr
    assert "text added outside the texts from programme.yaml cannot be pulled" in result.stderr


def test_a_changed_template_heading_is_refused(project: Path):
    edited = project / "granskad.docx"

    def edit(xml: str) -> str:  # the heading, not its line in the table of contents before it
        at = xml.rindex(">Lärdomar<")
        return xml[:at] + ">Lärdomar och slutsatser<" + xml[at + len(">Lärdomar<"):]

    rewrite_document(project / "outputs" / f"{FINAL}.docx", edited, edit)
    result = run_cli("pull-edits", str(edited))
    assert result.exit_code == 1
    assert "'Lärdomar' became 'Lärdomar och slutsatser'" in result.stderr


def test_a_document_built_from_other_inputs(project: Path):
    inputs = project / "inputs"
    edited = project / "granskad.docx"
    rewrite_document(project / "outputs" / f"{FINAL}.docx", edited,
                     lambda xml: insert_tracked(xml, SUMMARY, SENTENCE))
    programme = inputs / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    # Another text changes in programme.yaml after the build: the edit still applies, and it says so.
    other = "Digitaliseringscheckar och behovsanalyser"
    assert text.count(other) == 1
    programme.write_text(text.replace(other, "Digitaliseringscheckar, behovsanalyser"), encoding="utf-8")
    result = run_cli("pull-edits", str(edited), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "built from other inputs" in result.stderr and f"{SUMMARY} is unchanged" in result.stderr
    assert "nationell resurs" in result.stdout

    # The edited text itself changed in programme.yaml since the build: refused.
    text = programme.read_text(encoding="utf-8")
    mine = "pröva nya tillverkningsmetoder innan de investerar"
    programme.write_text(text.replace(mine, "pröva nya metoder innan de investerar"), encoding="utf-8")
    before = programme.read_bytes()
    result = run_cli("pull-edits", str(edited))
    assert result.exit_code == 1 and "pull-edits.conflict" in result.stderr
    assert programme.read_bytes() == before


def test_a_change_the_document_cannot_show_is_not_other_inputs(inputs_copy: Path):
    """The document records a hash of what it shows, not of the input files: a grant decided after
    an interim report's date changes finances.xlsx but not the report, so its edits are checked
    against the current inputs as usual. A change the report shows makes it "other inputs"."""
    import datetime as dt

    import openpyxl
    from conftest import append_rows, set_cell

    out = inputs_copy.parent / "outputs"
    assert build(inputs_copy, out, ["delrapport-2019"]).ok
    document = str(out / "delrapport-2019.docx")
    book = inputs_copy / "finances.xlsx"
    wb = openpyxl.load_workbook(book)
    project, granted = wb["Beviljat"]["A2"].value, wb["Beviljat"]["D2"].value
    wb.close()
    append_rows(book, "Beviljat", [project, 2018, dt.datetime(2020, 6, 15), 15000, "sent beslut"])
    result = run_cli("pull-edits", document, "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "pull-edits.other-inputs" not in result.stdout
    set_cell(book, "Beviljat", "D2", granted + 1000)  # a grant the report does show
    result = run_cli("pull-edits", document, "--dry-run", "--format", "json")
    assert "pull-edits.other-inputs" in result.stdout


def test_word_comments_are_listed_with_their_anchor(project: Path):
    edited = project / "granskad.docx"

    def comment(xml: str) -> str:
        start = xml.index(f'<w:tag w:val="src:{SUMMARY}"/>')
        p = xml.index("<w:r>", start)
        end = xml.index("</w:p>", start)
        return (xml[:p] + '<w:commentRangeStart w:id="0"/>' + xml[p:end] + '<w:commentRangeEnd w:id="0"/>'
                '<w:r><w:commentReference w:id="0"/></w:r>' + xml[end:])

    rewrite_document(project / "outputs" / f"{FINAL}.docx", edited, comment)
    comments = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                '<w:comment w:id="0" w:author="Anna Berg" w:date="2021-03-11T10:00:00Z">'
                '<w:p><w:r><w:t>Stämmer detta med slutrapporten?</w:t></w:r></w:p></w:comment></w:comments>')
    with zipfile.ZipFile(edited, "a") as z:
        z.writestr("word/comments.xml", comments)
    result = run_cli("pull-edits", str(edited), "--format", "json")
    got = json.loads(result.stdout)
    assert result.exit_code == 0
    assert got["comments"] == [{"id": "0", "author": "Anna Berg", "date": "2021-03-11T10:00:00Z",
                                "text": "Stämmer detta med slutrapporten?",
                                "anchor": "En öppen testmiljö för additiv tillverkning i metall där små och "
                                          "medelstora företag kan pröva nya tillverkningsmetoder innan de investerar.",
                                "place": SUMMARY}]


def test_a_document_reportgen_did_not_build_is_refused(project: Path):
    plain = project / "plain.docx"
    with zipfile.ZipFile(project / "outputs" / f"{FINAL}.docx") as z, zipfile.ZipFile(plain, "w") as out:
        for info in z.infolist():
            if info.filename != "docProps/custom.xml":
                out.writestr(info.filename, z.read(info.filename))
    result = run_cli("pull-edits", str(plain))
    assert result.exit_code == 1 and "pull-edits.not-built" in result.stderr


def test_the_built_document_marks_every_narrative_text(project: Path):
    data = (project / "outputs" / f"{FINAL}.docx").read_bytes()
    props = read_custom_properties(data)
    parts, _ = read_docx_parts(data, bookmarks=bookmark_places(props))
    places = [p.place for p in parts if p.place]
    assert places[:5] == [f"texts.{FINAL}.sammanfattning", f"texts.{FINAL}.genomfort", "evaluation.method",
                          "evaluation.effects", f"texts.{FINAL}.lardomar"]
    assert [p for p in places if p.startswith("projects[")] == [f"projects[{i}].summary" for i in range(20)]
    # Read as a whole, the document is what it was without the marks.
    assert tuple(b for p in parts for b in p.blocks) == read_docx(data)[0].blocks
    assert props["reportgen.deliverable"] == FINAL and props["reportgen.inputs"].startswith("sha256:")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_an_edit_made_through_libreoffice_is_pulled(project: Path, tmp_path: Path):
    """docx → odt → docx with LibreOffice keeps the places (as bookmarks) and the text."""
    built = project / "outputs" / f"{FINAL}.docx"
    work = tmp_path / "lo"
    work.mkdir()
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(["soffice", "--headless", profile, "--convert-to", "odt", "--outdir", str(work), str(built)],
                   check=True, capture_output=True, timeout=300)
    back = work / "back"
    subprocess.run(["soffice", "--headless", profile, "--convert-to", "docx", "--outdir", str(back),
                    str(work / f"{FINAL}.odt")], check=True, capture_output=True, timeout=300)
    roundtrip = back / f"{FINAL}.docx"
    data = roundtrip.read_bytes()
    parts, _ = read_docx_parts(data, bookmarks=bookmark_places(read_custom_properties(data)))
    assert len([p for p in parts if p.place]) == 25

    # Untouched, it pulls nothing: LibreOffice's own changes to tables and figures are no edits.
    unchanged = run_cli("pull-edits", str(roundtrip))
    assert unchanged.exit_code == 0, unchanged.stderr
    assert "nothing to write" in unchanged.stderr

    edited = project / "granskad-lo.docx"
    old = "pröva nya tillverkningsmetoder innan de investerar."
    rewrite_document(roundtrip, edited, lambda xml: xml.replace(old, old + " " + SENTENCE, 1))
    programme = project / "inputs" / "programme.yaml"
    before = programme.read_text(encoding="utf-8")
    result = run_cli("pull-edits", str(edited))
    assert result.exit_code == 0, result.stderr
    after = programme.read_text(encoding="utf-8")
    assert SENTENCE.split()[0] in after
    key_line = next(i for i, line in enumerate(before.splitlines(), start=1)
                    if "summary:" in line and "additiv tillverkning i metall" in before.splitlines()[i])
    assert set(changed_lines(before, after)) <= set(field_lines(before, key_line))


def test_headings_pushed_down_by_the_template_go_back_up():
    from reportgen.formats.markdown.reader import parse
    from reportgen.review.pull_edits import markdown_value

    old = "Inledning som inte ändras.\n\n## Del ett\n\nGammal text.\n"
    built = parse("Inledning som inte ändras.\n\n### Del ett\n\nGammal text.\n")[0].blocks  # |rubriknivå(1)
    edited = parse("Inledning som inte ändras.\n\n### Del ett\n\nNy text.\n\n### Del två\n\nMer.\n")[0].blocks
    assert markdown_value(edited, old, built, 2) == \
        "Inledning som inte ändras.\n\n## Del ett\n\nNy text.\n\n## Del två\n\nMer.\n"
    # A text without headings before: the section's level says how far they were pushed.
    assert markdown_value(parse("Text.\n\n## Ny del\n")[0].blocks, "Text.", parse("Text.")[0].blocks, 1) == \
        "Text.\n\n# Ny del"


def test_an_edit_of_a_text_printed_inside_a_list_names_its_place(project: Path):
    """The evaluation's findings are list items, not marked: an edit is refused, naming the field."""
    edited = project / "granskad.docx"
    old = "egen utvecklingsfunktion"
    rewrite_document(project / "outputs" / f"{FINAL}.docx", edited,
                     lambda xml: xml.replace(old, "egen konstruktionsfunktion", 1))
    result = run_cli("pull-edits", str(edited))
    assert result.exit_code == 1
    assert "section 'Utvärderingens iakttagelser', list item" in result.stderr
    assert re.search(r"comes from evaluation\.findings\[2\] \(inputs/programme\.yaml:\d+:\d+\)", result.stderr)
