"""The docx reader, `reportgen diff` (text and --stat), `reportgen docx-text` and git textconv."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile

import docx
import pytest
from conftest import run_cli
from diffkit import (
    CHANGED_PAYMENT,
    REMOVED,
    REMOVED_TITLE,
    RENAMED,
    documents,
    docx_markdown,
    example_builds,
    to_docx,
)
from docx.enum.style import WD_STYLE_TYPE
from hypothesis import HealthCheck, given, settings

from reportgen.document.tree import (
    BulletList,
    Document,
    Heading,
    OrderedList,
    Paragraph,
    Table,
    Text,
)
from reportgen.formats.docx.reader import read_docx
from reportgen.formats.markdown.reader import parse
from reportgen.formats.markdown.writer import write_markdown
from reportgen.review.diff import compact_tables, stat

DELIVERABLES = ("genomforandeplan-2018", "delrapport-2019", "delrapport-2020",
                "slutredovisning-2021")


# ----------------------------------------------------------------------------- the reader


@pytest.mark.slow
@pytest.mark.parametrize("deliverable", DELIVERABLES)
def test_reader_gives_back_the_draft_of_every_built_deliverable(deliverable):
    old, _ = example_builds()
    start = time.perf_counter()
    doc, findings = read_docx(old / f"{deliverable}.docx")
    elapsed = time.perf_counter() - start
    assert findings == []
    assert write_markdown(doc) == (old / f"{deliverable}.md").read_text(encoding="utf-8")
    assert elapsed < 2.0, f"reading {deliverable}.docx took {elapsed:.2f} s"


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_reader_inverts_the_writer_on_generated_documents(doc):
    assert docx_markdown(to_docx(doc)) == write_markdown(doc)


def _foreign_docx() -> bytes:
    """A document reportgen did not write: python-docx's default template, Word's usual
    structures, a localized heading style and one with only an outline level."""
    d = docx.Document()
    rubrik = d.styles.add_style("Rubrik 2", WD_STYLE_TYPE.PARAGRAPH)
    outline = d.styles.add_style("Kapitelrubrik", WD_STYLE_TYPE.PARAGRAPH)
    ppr = outline.element.get_or_add_pPr()
    lvl = ppr.makeelement(docx.oxml.ns.qn("w:outlineLvl"), {docx.oxml.ns.qn("w:val"): "2"})
    ppr.append(lvl)
    d.add_heading("Rapport", level=1)
    p = d.add_paragraph("Text med ")
    p.add_run("fetstil").bold = True
    p.add_run(" och ")
    p.add_run("kursiv").italic = True
    p.add_run(".")
    d.add_paragraph("Svensk rubrik", style=rubrik)
    d.add_paragraph("Rubrik via dispositionsnivå", style=outline)
    d.add_paragraph("ett", style="List Bullet")
    d.add_paragraph("två", style="List Bullet")
    d.add_paragraph("nästlad", style="List Bullet 2")
    d.add_paragraph("första", style="List Number")
    d.add_paragraph("Tabell 1. Medel per län", style="Caption")
    t = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Län", "Belopp"), ("Skåne län", "5 200 000"),
                                ("Totalt", "5 200 000")]):
        t.cell(r, 0).text = a
        t.cell(r, 1).text = b
    d.add_paragraph("Slut.")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_reader_reads_documents_reportgen_did_not_write():
    doc, findings = read_docx(_foreign_docx())
    assert [f for f in findings if f.is_error] == []
    assert write_markdown(doc) == (
        "# Rapport\n"
        "\n"
        "Text med **fetstil** och *kursiv*.\n"
        "\n"
        "## Svensk rubrik\n"
        "\n"
        "### Rubrik via dispositionsnivå\n"
        "\n"
        "- ett\n"
        "- två\n"
        "  - nästlad\n"
        "\n"
        "1. första\n"
        "\n"
        '{caption="Tabell 1. Medel per län"}\n'
        "| Län       | Belopp    |\n"
        "| --------- | --------- |\n"
        "| Skåne län | 5 200 000 |\n"
        "| Totalt    | 5 200 000 |\n"
        "\n"
        "Slut.\n"
    )


def test_reader_reads_tracked_changes_as_accepted():
    old = to_docx(Document((Paragraph((Text("alfa beta"),)),)))
    new = to_docx(Document((Paragraph((Text("alfa gamma"),)),)))
    from reportgen.review.redline import redline

    doc, findings = read_docx(redline(old, new).data)
    assert write_markdown(doc) == "alfa gamma\n"
    assert [f.code for f in findings] == ["docx-read.tracked-changes"]


def _with_document_xml(data: bytes, xml: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info, xml if info.filename == "word/document.xml" else src.read(info))
    return out.getvalue()


def test_reader_refuses_entities_and_broken_files(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("HEMLIGT", encoding="utf-8")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           '<w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>').encode()
    doc, findings = read_docx(_with_document_xml(to_docx(Document(())), xxe))
    assert doc == Document(())
    assert [f.code for f in findings] == ["docx-read.unreadable"]
    assert "DOCTYPE" in findings[0].message
    doc, findings = read_docx(b"not a zip")
    assert [f.code for f in findings] == ["docx-read.unreadable"]


# ----------------------------------------------------------------------------- reportgen diff


def _changed_lines(text: str) -> tuple[list[str], list[str]]:
    lines = text.splitlines()
    minus = [x[1:] for x in lines if x.startswith("-") and not x.startswith("---")]
    plus = [x[1:] for x in lines if x.startswith("+") and not x.startswith("+++")]
    return minus, plus


@pytest.mark.slow
def test_text_diff_of_the_final_report_shows_exactly_the_edits():
    old, new = example_builds()
    name = "slutredovisning-2021.docx"
    result = run_cli("diff", str(old / name), str(new / name))
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith(f"--- {old / name}\n+++ {new / name}\n")
    minus, plus = _changed_lines(out)
    nb = "\u00a0"

    def kr(s: str) -> str:
        return s.replace(" ", nb)

    # 1. The renamed project: its rows in tables 3 and 12 and its heading in the annex.
    pid, before, after = RENAMED
    table3 = (f"| {pid} {before} | Region Norrbotten | Norrbottens län | Industri 4.0 | "
              f"{kr('4 000 000 kr')} |")
    table12 = (f"| {pid} {before} | Region Norrbotten | Norrbottens län | Avslutat | "
               f"{kr('4 000 000')} | {kr('4 000 000')} |")
    for line in (table3, table12, f"### {pid} {before}"):
        assert line in minus
        assert line.replace(before, after) in plus
    # 2. The removed project: its rows and its whole section, nothing added in their place.
    removed = [x for x in minus if REMOVED in x or REMOVED_TITLE in x]
    assert f"| {REMOVED} {REMOVED_TITLE} | Mälardalens högskola | Södermanlands län och " \
           f"Västmanlands län | Kunskapslyft industri | {kr('1 200 000 kr')} |" in removed
    assert f"### {REMOVED} {REMOVED_TITLE}" in minus
    assert f"- Beviljat {kr('1 200 000 kr')}, utbetalt {kr('1 164 350 kr')}" in minus
    assert not [x for x in plus if REMOVED in x or "Mälardalen" in x]
    # 3. The changed disbursement (SI-2018-05, +10 000 kr) and what depends on it.
    assert CHANGED_PAYMENT[2] - CHANGED_PAYMENT[1] == 10_000
    # (SI-2018-05 also paid 35 000 kr back: an Återkrav row, unchanged by the edit.)
    assert f"- Beviljat {kr('3 000 000 kr')}, utbetalt {kr('2 874 513 kr')}, återkrävt {kr('35 000 kr')}" in minus
    assert f"- Beviljat {kr('3 000 000 kr')}, utbetalt {kr('2 884 513 kr')}, återkrävt {kr('35 000 kr')}" in plus
    assert f"| {kr('2 874 513')} |" in "".join(x for x in minus if "SI-2018-05" in x)
    assert f"| {kr('2 884 513')} |" in "".join(x for x in plus if "SI-2018-05" in x)
    assert f"| Dalarnas län | 1 | {kr('3 000 000 kr')} | {kr('2 874 513 kr')} |" in minus
    assert f"| Dalarnas län | 1 | {kr('3 000 000 kr')} | {kr('2 884 513 kr')} |" in plus
    # 4. Totals: 20 → 19 projects, granted and disbursed sums, the repayment.
    assert f"| Totalt, 20 projekt | | | | {kr('64 600 000 kr')} |" in minus
    assert f"| Totalt, 19 projekt | | | | {kr('63 400 000 kr')} |" in plus
    assert f"| Totalt | 20 | {kr('64 600 000 kr')} | {kr('62 427 570 kr')} |" in minus
    assert f"| Totalt | 19 | {kr('63 400 000 kr')} | {kr('61 273 220 kr')} |" in plus
    assert f"| Totalt | | | {kr('8 758 567,10 kr')} |" in minus
    assert f"| Totalt | | | {kr('9 912 917,10 kr')} |" in plus
    # Nothing else: every changed line carries a number that changed or belongs to an edit,
    # and rows of untouched projects do not show.
    edited = (before, after, REMOVED, REMOVED_TITLE, "Mälardal", "Södermanlands", "Västmanlands")
    for line in minus + plus:
        assert any(c.isdigit() for c in line) or any(e in line for e in edited) or \
            line.strip() in ("", "- Län: Södermanlands län och Västmanlands län",
                             "- Fokusområden: Kunskapslyft industri"), line
    for untouched in ("SI-2018-02", "SI-2018-17 Smart industri Uppsala län", "| Uppsala län |",
                      "## Fördelning per län", "# Sammanfattning"):
        assert not [x for x in minus + plus if untouched in x], untouched
    assert len(minus) < 80 and len(plus) < 70


def test_text_diff_exit_codes_and_equal_sides(tmp_path):
    old, new = example_builds()
    same = run_cli("diff", str(old / "delrapport-2019.md"), str(old / "delrapport-2019.docx"))
    assert (same.exit_code, same.stdout) == (0, "")  # a draft and its document are the same text
    assert run_cli("diff", str(old), str(old)).exit_code == 0
    missing = run_cli("diff", str(old / "delrapport-2019.md"), str(tmp_path / "nope.md"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    assert run_cli("diff", str(old), str(new / "delrapport-2019.md")).exit_code == 2
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    assert run_cli("diff", str(tmp_path / "a.txt"), str(tmp_path / "a.txt")).exit_code == 2
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    bad = run_cli("diff", str(tmp_path / "bad.docx"), str(old / "delrapport-2019.docx"))
    assert bad.exit_code == 2 and "docx-read.unreadable" in bad.stderr


@pytest.mark.slow
def test_folders_compare_like_with_like(tmp_path):
    old, _ = example_builds()
    only_md = tmp_path / "md"
    only_md.mkdir()
    for d in DELIVERABLES[:3]:  # slutredovisning missing on this side
        shutil.copy(old / f"{d}.md", only_md / f"{d}.md")
    (only_md / "delrapport-2019.md").write_text(
        (old / "delrapport-2019.md").read_text(encoding="utf-8").replace(
            "# Sammanfattning", "# Sammanfattning och slutsatser"), encoding="utf-8")
    result = run_cli("diff", str(old), str(only_md))
    assert result.exit_code == 1
    out = result.stdout
    # .md with .md (the new side has no .docx), the missing deliverable all removed.
    assert f"--- {old / 'delrapport-2019.md'}\n+++ {only_md / 'delrapport-2019.md'}\n" in out
    assert "+# Sammanfattning och slutsatser\n" in out
    assert f"--- {old / 'slutredovisning-2021.docx'}\n+++ /dev/null\n" in out
    assert "genomforandeplan-2018" not in out  # equal
    # Both sides have .docx: the documents are compared, not the drafts.
    both = tmp_path / "both"
    shutil.copytree(old, both)
    (both / "delrapport-2020.md").write_text("# Ändrat utkast\n", encoding="utf-8")
    assert run_cli("diff", str(old), str(both)).exit_code == 0


@pytest.mark.slow
def test_stat_one_line_per_deliverable():
    old, new = example_builds()
    result = run_cli("diff", "--stat", str(old), str(new))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [x.split(":")[0] for x in lines] == sorted(DELIVERABLES)
    assert ("genomforandeplan-2018: paragraphs 0 added, 0 removed, 0 changed; "
            "table rows 0 added, 0 removed, 0 changed") in lines
    final = next(x for x in lines if x.startswith("slutredovisning-2021"))
    # The removed project's annex section (heading, description, five facts) and its rows in
    # tables 3 and 12 and in the results per county (Södermanland has no other results).
    assert "paragraphs 0 added, 8 removed" in final
    # Those three rows, plus the charts' data: a chart ranks its bars, so a county or focus area
    # that moves down the ranking is a row removed where it was and added where it is now
    # (three such moves: 3 rows added, 3 more removed).
    assert "table rows 3 added, 6 removed" in final
    same = run_cli("diff", "--stat", str(old), str(old))
    assert same.exit_code == 0 and "slutredovisning-2021: paragraphs 0 added, 0 removed, 0 changed" \
        in same.stdout


def test_stat_pairs_rows_by_key_cell_and_paragraphs_by_similarity():
    def doc(rows, paras):
        return Document((Table("Tabell 1", ((Text("Län"),), (Text("Belopp"),)),
                               tuple(((Text(a),), (Text(b),)) for a, b in rows), ("left", "right")),
                         *[Paragraph((Text(p),)) for p in paras]))

    old = doc([("Skåne", "1"), ("Halland", "2"), ("Uppsala", "3")],
              ["Projekten har nått drygt 700 företag i hela landet.", "Helt annan text här."])
    new = doc([("Skåne", "1"), ("Halland", "20"), ("Gotland", "4")],
              ["Projekten har nått drygt 689 företag i hela landet.", "Ny mening om något."])
    s = stat(old, new)
    assert (s.rows.added, s.rows.removed, s.rows.changed) == (1, 1, 1)
    assert (s.paragraphs.added, s.paragraphs.removed, s.paragraphs.changed) == (1, 1, 1)
    assert not stat(old, old).any


def test_compact_tables_keep_the_tree():
    doc = Document((Heading(1, (Text("A"),)),
                    BulletList(((Table(None, ((Text("x|y"),), (Text("b"),)),
                                       (((Text("lång cell"),), (Text("1"),)),),
                                       ("left", "right")),),)),
                    OrderedList(((Paragraph((Text("a"),)),),), 3),
                    Table("Tabell 2", ((Text("a \\"),), (Text("b"),)),
                          (((Text("c"),), (Text("dd  e"),)),), ("center", "left"), True)))
    text = write_markdown(doc)
    compact = compact_tables(text)
    assert compact != text
    assert parse(compact)[0] == parse(text)[0]
    assert "| a \\\\ | b |" in compact and "| :---: | --- |" in compact


# ----------------------------------------------------------------------------- docx-text, git


def test_docx_text_prints_the_draft(tmp_path):
    old, _ = example_builds()
    result = run_cli("docx-text", str(old / "slutredovisning-2021.docx"))
    assert result.exit_code == 0
    assert result.stdout == (old / "slutredovisning-2021.md").read_text(encoding="utf-8")
    assert run_cli("docx-text", str(tmp_path / "nope.docx")).exit_code == 2


def _reportgen_command() -> str:
    exe = shutil.which("reportgen")
    if exe:
        return exe
    return f'"{sys.executable}" -c "from reportgen.cli import main; main()"'


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_git_diff_shows_docx_changes_as_text(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {**os.environ, "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.se",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.se"}
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, env=env, check=True,
                              capture_output=True, text=True).stdout

    git("init", "-q")
    git("config", "diff.reportgen-docx.textconv", f"{_reportgen_command()} docx-text")
    (repo / ".gitattributes").write_text("*.docx diff=reportgen-docx\n", encoding="utf-8")
    report = repo / "rapport.docx"
    report.write_bytes(to_docx(Document((Heading(1, (Text("Sammanfattning"),)),
                                         Paragraph((Text("Projekten har nått 700 företag."),))))))
    git("add", ".")
    git("commit", "-q", "-m", "v1")
    report.write_bytes(to_docx(Document((Heading(1, (Text("Sammanfattning"),)),
                                         Paragraph((Text("Projekten har nått 689 företag."),))))))
    out = git("diff")
    assert "-Projekten har nått 700 företag.\n" in out
    assert "+Projekten har nått 689 företag.\n" in out
    assert " # Sammanfattning\n" in out
    assert "Binary files" not in out


# ----------------------------------------------------------------------------- what a .docx cannot tell


def test_reader_ambiguities_are_the_documented_ones():
    two_lists = Document((BulletList(((Paragraph((Text("a"),)),),)),
                          BulletList(((Paragraph((Text("b"),)),),))))
    assert docx_markdown(to_docx(two_lists)) == "- a\n- b\n"  # one w:num: one list
    from reportgen.document.tree import Strong
    bold_header = Document((Table(None, ((Strong((Text("Län"),)),),), (((Text("x"),),),)),))
    assert docx_markdown(to_docx(bold_header)) == "| Län |\n| --- |\n| x   |\n"
    ordered = Document((OrderedList(((Paragraph((Text("a"),)),),), 3),
                        OrderedList(((Paragraph((Text("b"),)),),), 1)))
    assert docx_markdown(to_docx(ordered)) == write_markdown(ordered)  # restarts stay apart


def _rich_documents():
    """Trees with every kind of inline and block the reader handles (lists hold paragraphs and
    lists, quotes hold paragraphs)."""
    from hypothesis import strategies as st
    from test_markdown_writer import texts, urls

    from reportgen.document.links import link_problem

    # The Word writer keeps only the link targets the link policy allows (issue #20; others stay
    # text without a hyperlink): documents that round-trip hold those.
    urls = urls.map(lambda u: u if link_problem(u) is None else "https://e.se/x")

    from reportgen.document.tree import (
        BlockQuote,
        Code,
        Emphasis,
        Figure,
        LineBreak,
        Link,
        PageBreak,
        Strong,
        TableOfContents,
    )

    def inl(depth):
        leaf = st.one_of(texts.map(Text), texts.map(Code), st.just(LineBreak()))
        if depth == 0:
            return st.lists(leaf, max_size=4).map(tuple)
        kids = inl(depth - 1)
        return st.lists(st.one_of(leaf, kids.map(Strong), kids.map(Emphasis),
                                  st.builds(Link, urls, kids)), max_size=5).map(tuple)

    @st.composite
    def tables(draw):
        n = draw(st.integers(1, 3))
        cell = inl(1)
        rows = tuple(tuple(draw(cell) for _ in range(n)) for _ in range(draw(st.integers(0, 3))))
        return Table(draw(st.one_of(st.none(), texts)), tuple(draw(cell) for _ in range(n)), rows,
                     tuple(draw(st.sampled_from(["left", "right", "center"])) for _ in range(n)),
                     draw(st.booleans()))

    leaf = st.one_of(st.builds(Heading, st.integers(1, 6), inl(1)), st.builds(Paragraph, inl(2)),
                     tables(), st.builds(Figure, urls, texts, texts), st.just(PageBreak()),
                     st.just(TableOfContents()))

    def lists(depth):
        inner = st.builds(Paragraph, inl(1)) if depth == 0 else st.one_of(
            st.builds(Paragraph, inl(1)), lists(depth - 1))
        items = st.lists(st.lists(inner, max_size=3).map(tuple), min_size=1, max_size=3).map(tuple)
        return st.one_of(items.map(BulletList), st.builds(OrderedList, items, st.integers(0, 12)))

    quotes = st.lists(st.builds(Paragraph, inl(1)), max_size=3).map(lambda b: BlockQuote(tuple(b)))
    return st.lists(st.one_of(leaf, lists(1), quotes), max_size=5).map(lambda b: Document(tuple(b)))


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_rich_documents())
def test_reading_loses_nothing_the_docx_shows(doc):
    from diffkit import BASE, CORE, FIELDS

    from reportgen.formats.docx.writer import write_docx

    first, _ = write_docx(doc, BASE, FIELDS, CORE)
    back, findings = read_docx(first)
    assert not [f for f in findings if f.is_error]
    if write_markdown(back) != write_markdown(doc):  # one of the ambiguities above
        again, _ = write_docx(back, BASE, FIELDS, CORE)
        # The same text, formatting and structure: what was read reads back the same, and
        # the document's text is unchanged.
        assert read_docx(again)[0] == back
        assert _body_text(again) == _body_text(first)


def _body_text(data: bytes) -> str:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return "\n".join("".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p"))
