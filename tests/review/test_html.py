"""The review page (review/html.py) read as HTML, without a browser: its marks agree with
``diff --stat``, it is self-contained and escapes whatever the inputs hold, and ``build --html``
writes previews into the output folder's swap and manifest. The browser tests are in
test_html_browser.py."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re

import lxml.html
import pytest
from conftest import run_cli
from diffkit import blocks as diffkit_blocks
from diffkit import documents, edited, example_builds, sentences
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.document.tree import (
    BlockQuote,
    BulletList,
    Document,
    Figure,
    Heading,
    Link,
    OrderedList,
    Paragraph,
    Table,
    Text,
    normalize,
)
from reportgen.review import diff as textdiff
from reportgen.review.html import (
    CSP,
    Compared,
    data_uri,
    images_of,
    preview_page,
    review_page,
    safe_href,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def marks_of(page: str) -> list[dict]:
    """Per deliverable section: the change units by (status, unit), and the number of marks."""
    root = lxml.html.fromstring(page)
    out = []
    for section in root.xpath("//section[contains(@class,'rg-deliverable')]"):
        units: dict[tuple[str, str], int] = {}
        for el in section.xpath(".//*[@data-change]"):
            key = (el.get("data-change"), el.get("data-unit"))
            units[key] = units.get(key, 0) + 1
            assert el.xpath(".//ins|.//del"), lxml.html.tostring(el)[:300]
        out.append(units)
    for mark in root.xpath("//ins|//del"):
        assert mark.xpath("ancestor::*[@data-change]"), lxml.html.tostring(mark)[:300]
    return out


def as_units(s: textdiff.Stat) -> dict[tuple[str, str], int]:
    found = {("added", "p"): s.paragraphs.added, ("removed", "p"): s.paragraphs.removed,
             ("changed", "p"): s.paragraphs.changed, ("added", "row"): s.rows.added,
             ("removed", "row"): s.rows.removed, ("changed", "row"): s.rows.changed}
    return {k: v for k, v in found.items() if v}


def test_marks_agree_with_diff_stat_on_the_edited_example():
    old, new = example_builds()
    items, stats = [], []
    for name, a, b in textdiff.pair_paths(old, new):
        doc_a, _ = textdiff.document_of(a)
        doc_b, _ = textdiff.document_of(b)
        stats.append(textdiff.stat(doc_a, doc_b))
        items.append(Compared(name, doc_a, doc_b, images_of(a.path), images_of(b.path)))
    page, page_stats = review_page(items, str(old), str(new))
    assert page_stats == stats
    assert marks_of(page) == [as_units(s) for s in stats]
    assert sum(s.any for s in stats) == 3  # the edits show in three deliverables
    # The renamed project's row is marked word by word, the changed sums as changed figures.
    assert "<del>Norrbottens industri</del>" in page or "<del>Norrbottens</del>" in page
    assert re.search(r'<del class="rg-num">64\xa0600\xa0000</del>\s*<ins class="rg-num">63\xa0400\xa0000</ins>', page)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_marks_agree_with_diff_stat_on_generated_edits(data):
    old = data.draw(documents, label="old")
    new = data.draw(edited(old), label="new")
    page, (stat,) = review_page([Compared("d", old, normalize(new))], "a", "b")
    assert stat == textdiff.stat(old, normalize(new))
    assert marks_of(page) == [as_units(stat)]


def test_a_deliverable_only_one_side_has_is_all_added_or_removed():
    doc = Document((Heading(1, (Text("Rubrik"),)), Paragraph((Text("Ett stycke."),)),
                    Table("Tabell 1. T", ((Text("A"),), (Text("B"),)), (((Text("x"),), (Text("1"),)),))))
    page, _stats = review_page([Compared("ny", None, doc), Compared("gammal", doc, None)], "a", "b")
    assert marks_of(page) == [{("added", "p"): 3, ("added", "row"): 2},
                              {("removed", "p"): 3, ("removed", "row"): 2}]
    assert "Finns bara i den nya versionen" in page and "Finns bara i den gamla versionen" in page


def test_removed_rows_and_items_stay_in_their_table_and_list():
    def doc(rows, items):
        return normalize(Document((
            Table("Tabell 1. Län", ((Text("Län"),), (Text("Belopp"),)),
                  tuple(((Text(a),), (Text(b),)) for a, b in rows)),
            BulletList(tuple((Paragraph((Text(t),)),) for t in items)))))

    old = doc([("Skåne län", "1 000"), ("Hallands län", "2 000"), ("Gotlands län", "3 000")],
              ["alfa", "beta gamma delta", "epsilon"])
    new = doc([("Skåne län", "1 000"), ("Gotlands län", "3 500")], ["alfa", "epsilon"])
    page, _ = review_page([Compared("d", old, new)], "a", "b")
    root = lxml.html.fromstring(page)
    assert len(root.xpath("//table")) == 1 and len(root.xpath("//ul[not(ancestor::nav)]")) == 1
    rows = root.xpath("//tbody/tr")
    assert [r.get("data-change") for r in rows] == [None, "removed", "changed"]
    # A changed figure is marked as a whole cell, old struck and new inserted.
    assert rows[2].xpath(".//td/del/text()") == ["3 000"] and rows[2].xpath(".//td/ins/text()") == ["3 500"]
    items = root.xpath("//ul[not(ancestor::nav)]/li")
    assert [i.text_content().strip() for i in items] == ["alfa", "beta gamma delta", "epsilon"]
    assert items[1].xpath("p/@data-change") == ["removed"]


def test_tables_have_header_cells_with_scope_and_a_caption():
    old, new = example_builds()
    page, _ = review_page([Compared("d", textdiff.document_of(textdiff.Side(old / "delrapport-2020.docx"))[0],
                                    textdiff.document_of(textdiff.Side(new / "delrapport-2020.docx"))[0])],
                          "a", "b")
    root = lxml.html.fromstring(page)
    tables = root.xpath("//table")
    assert tables
    for t in tables:
        assert t.xpath("caption"), "every table of the deliverables has a caption"
        assert t.xpath("thead/tr/th") and not t.xpath("thead//td")
        assert all(th.get("scope") == "col" for th in t.xpath("thead//th"))
        assert all(r.xpath("th[@scope='row']") for r in t.xpath("tbody/tr"))
    levels = [int(h.tag[1]) for h in root.xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert root.get("lang") == "sv"


# --------------------------------------------------------------------------- safety

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "</textarea></style></script><svg onload=alert(3)>",
    "&lt;b&gt; & &amp; \u2028 ]]> <!-- -->",
]


def _hostile_document() -> Document:
    blocks = [Heading(1, (Text(HOSTILE[0]),))]
    blocks += [Paragraph((Text(h),)) for h in HOSTILE]
    blocks += [Paragraph((Link(url, (Text(f"länk {k}"),)),))
               for k, url in enumerate(["javascript:alert(4)", "JaVa\tScRiPt:alert(5)", " javascript:alert(6)",
                                        "data:text/html,<script>alert(7)</script>", "vbscript:x", "file:///etc/passwd",
                                        "//evil.example/x", "http:evil", "https://example.se/a?b=\"c\"&d=<e>",
                                        "mailto:anna@example.se"])]
    blocks.append(Table(HOSTILE[1], ((Text(HOSTILE[2]),),), (((Text(HOSTILE[0]),),),)))
    blocks.append(Figure("../../../../etc/passwd", HOSTILE[1], HOSTILE[0]))
    return normalize(Document(tuple(blocks)))


@pytest.mark.parametrize("url,ok", [
    ("https://www.regeringen.se/", True), ("http://example.se", True), ("mailto:a@b.se", True),
    ("HTTPS://EXAMPLE.SE", True), ("javascript:alert(1)", False), ("java\nscript:alert(1)", False),
    ("\x01javascript:alert(1)", False), ("data:text/html,x", False), ("file:///etc/passwd", False),
    ("//evil.example", False), ("relative/path", False), ("http:evil", False), ("", False),
    ("https://", False), ("mailto:", False), ("https://example.se\\@evil", False), ("#d1", False),
])
def test_safe_href_keeps_only_http_https_and_mailto(url, ok):
    assert (safe_href(url) is not None) == ok


def test_nothing_from_the_documents_becomes_markup_or_script(tmp_path):
    hostile = _hostile_document()
    plain = normalize(Document((Paragraph((Text("Ett stycke."),)),)))
    for page in (review_page([Compared(HOSTILE[0], plain, hostile)], HOSTILE[1], HOSTILE[2])[0],
                 review_page([Compared("x", hostile, plain)], "a", "b")[0],
                 preview_page(hostile, HOSTILE[0], images_of(tmp_path / "x.md"))):
        root = lxml.html.fromstring(page)
        assert len(root.xpath("//script")) <= 1  # the page's own, and only in the review page
        assert not root.xpath("//svg|//iframe|//object|//embed|//textarea|//img[not(starts-with(@src,'data:'))]")
        assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
        hrefs = root.xpath("//a/@href")
        assert all(h.startswith(("#", "https://", "http://", "mailto:")) for h in hrefs), hrefs
        assert "https://example.se/a?b=\"c\"&d=<e>" in hrefs or "#d1" in hrefs
        text = root.text_content()
        assert HOSTILE[0] in text and "alert(4)" not in " ".join(hrefs)
        # The policy allows the page's own style and script by their hashes, nothing else.
        style = root.xpath("//style")[0].text
        assert f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'" in CSP
        assert root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [CSP]
        for script in root.xpath("//script"):
            assert f"'sha256-{base64.b64encode(hashlib.sha256(script.text.encode()).digest()).decode()}'" in CSP
    assert "default-src 'none'" in CSP and "unsafe" not in CSP


def test_images_only_from_inside_the_drafts_folder_and_only_pictures(tmp_path):
    (tmp_path / "secret.png").write_bytes(PNG)
    folder = tmp_path / "out"
    (folder / "figurer").mkdir(parents=True)
    (folder / "figurer" / "a.png").write_bytes(PNG)
    (folder / "figurer" / "b.svg").write_bytes(b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")
    read = images_of(folder / "d.md")
    assert read("figurer/a.png") == PNG
    assert read("../secret.png") is None and read(str(tmp_path / "secret.png")) is None
    assert data_uri(read("figurer/a.png")).startswith("data:image/png;base64,")
    assert data_uri(read("figurer/b.svg")) is None and data_uri(b"GIF89a...").startswith("data:image/gif")


def test_figures_are_inlined_from_docx_and_drafts():
    _old, new = example_builds()
    for path in (new / "slutredovisning-2021.docx", new / "slutredovisning-2021.md"):
        doc, _ = textdiff.document_of(textdiff.Side(path))
        page = preview_page(doc, "t", images_of(path))
        root = lxml.html.fromstring(page)
        figures = root.xpath("//figure")
        assert len(figures) == 4 and not root.xpath("//*[contains(@class,'rg-noimg')]")
        for figure in figures:  # a picture inlined, or a native chart drawn with its values below
            imgs, svgs = figure.xpath("img"), figure.xpath("svg[@role='img']")
            data = figure.xpath("following-sibling::div[1]/table[@class='rg-chartdata']/tbody/tr")
            assert (len(imgs) == 1 and imgs[0].get("src").startswith("data:image/png;base64,")
                    and imgs[0].get("alt")) or (len(svgs) == 1 and svgs[0].get("aria-label") and data), \
                lxml.html.tostring(figure)[:300]
        assert not root.xpath("//ins|//del|//*[@data-change]|//script")


# --------------------------------------------------------------------------- the commands


def test_diff_html_exit_codes_and_page(tmp_path):
    old, new = example_builds()
    out = tmp_path / "review" / "page.html"
    result = run_cli("diff", "--stat", str(old), str(new), "--html", str(out))
    assert result.exit_code == 1, result.output + result.stderr
    page = out.read_text(encoding="utf-8")
    lines = [line for line in result.stdout.splitlines() if line]
    assert len(lines) == 4 and f"wrote {out}" in result.stderr
    assert "slutredovisning-2021" in page and "<script>" in page
    same = tmp_path / "same.html"
    result = run_cli("diff", str(new), str(new), "--html", str(same))
    assert result.exit_code == 0 and result.stdout == ""
    assert "0 ändringar" in same.read_text(encoding="utf-8")
    result = run_cli("diff", str(new / "delrapport-2019.md"), str(new / "delrapport-2019.docx"),
                     "--html", str(same))
    assert result.exit_code == 0
    result = run_cli("diff", str(new), str(tmp_path / "missing"), "--html", str(tmp_path / "x.html"))
    assert result.exit_code == 2 and not (tmp_path / "x.html").exists()


def test_build_html_writes_previews_in_the_swap_and_the_manifest(inputs_copy, tmp_path):
    out = tmp_path / "outputs"
    result = run_cli("-q", "build", "--inputs", str(inputs_copy), "--out", str(out), "--today", "2021-04-01")
    assert result.exit_code == 0, result.output
    before = json.loads((out / ".reportgen-manifest.json").read_text())
    assert not list(out.glob("*.html"))
    result = run_cli("-q", "build", "--html", "--inputs", str(inputs_copy), "--out", str(out),
                     "--today", "2021-04-01")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / ".reportgen-manifest.json").read_text())
    htmls = sorted(p.name for p in out.glob("*.html"))
    assert htmls == ["delrapport-2019.html", "delrapport-2020.html", "genomforandeplan-2018.html",
                     "slutredovisning-2021.html"]
    assert set(htmls) <= set(manifest["files"]) and manifest["key"] != before["key"]
    page = (out / "slutredovisning-2021.html").read_text(encoding="utf-8")
    assert "<h1>Slutredovisning" in page
    assert "data:image/png;base64," in page or 'class="rg-chartdata"' in page  # drawn or native charts
    first = page
    run_cli("-q", "build", "--html", "--force", "--inputs", str(inputs_copy), "--out", str(out),
            "--today", "2021-04-01")
    assert (out / "slutredovisning-2021.html").read_text(encoding="utf-8") == first  # reproducible
    # A build without --html has the key it always had.
    run_cli("-q", "build", "--inputs", str(inputs_copy), "--out", str(out), "--today", "2021-04-01")
    assert json.loads((out / ".reportgen-manifest.json").read_text())["key"] == before["key"]


def test_a_native_chart_is_drawn_from_its_values_as_inline_svg():
    from reportgen.review.html import chart_svg

    data = Table(None, ((Text("År"),), (Text("Ram"),), (Text("Utbetalt"),)),
                 (((Text("2018"),), (Text("20,0 mnkr"),), (Text("3,4 mnkr"),)),
                  ((Text("<2019>"),), (Text("30,0 mnkr"),), (Text("−1,5 mnkr"),))))
    svg = lxml.html.fromstring(chart_svg(data, 'Stapeldiagram "per år" <script>'))
    assert svg.tag == "svg" and svg.get("role") == "img" and svg.get("aria-label") == 'Stapeldiagram "per år" <script>'
    rects = svg.xpath("//rect[not(@width='12')]")
    widths = [float(r.get("width")) for r in rects]
    assert len(rects) == 4 and widths[1] == pytest.approx(widths[0] * 3.4 / 20.0, rel=0.01)
    assert widths[2] == pytest.approx(widths[0] * 1.5, rel=0.01)  # 30 against 20
    assert "<2019>" in svg.text_content() and not svg.xpath("//script")
    assert chart_svg(Table(None, ((Text("År"),), (Text("Ram"),)), (((Text("2018"),), (Text("okänt"),)),)), "x") == ""


_markup = st.lists(st.sampled_from(list("<>&\"'=/ ;:ascriptjvonlerdg()x1\t\n")
                                   + ["<script>", "javascript:", "https://", "mailto:", "onerror=", "&#x3c;", "]]>"]),
                   max_size=12).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_markup, _markup), min_size=1, max_size=4), _markup)
def test_no_text_or_link_target_becomes_markup(pieces, caption):
    blocks = [Paragraph((Text(text), Link(url, (Text(text or "x"),)))) for text, url in pieces]
    blocks.append(Table(caption or None, ((Text(caption),),), (((Text(pieces[0][0]),),),)))
    blocks.append(Heading(1, (Text(caption or "x"),)))
    doc = normalize(Document(tuple(blocks)))
    for page in (review_page([Compared(caption, Document(()), doc)], caption, caption)[0],
                 review_page([Compared(caption, doc, normalize(Document((Paragraph((Text("x"),)),))))], "a", "b")[0],
                 preview_page(doc, caption, lambda src: None)):
        root = lxml.html.fromstring(page)
        assert len(root.xpath("//script")) <= 1 and len(root.xpath("//style")) == 1
        assert not [a for el in root.iter() for a in el.attrib if a.lower().startswith("on")]
        assert all(safe_href(h) == h or h.startswith("#d") for h in root.xpath("//a/@href"))
        assert not root.xpath("//iframe|//object|//embed|//img|//svg|//form|//base|//meta[@http-equiv='refresh']")
        assert root.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [CSP]


def test_every_counted_unit_carries_a_mark_even_when_empty_or_blank():
    cases = [((Heading(1, ()),), ()), ((), (Heading(2, (Text("  "),)),)), ((Heading(1, ()),), (Heading(2, ()),)),
             ((Paragraph((Text("a  b"),)),), (Paragraph((Text("a b"),)),)),
             ((Table(None, ((Text("A"),), (Text("B"),)), (((Text("x"),), (Text("1  2"),)),)),),
              (Table(None, ((Text("A"),), (Text("B"),)), (((Text("x"),), (Text("1 2"),)),)),))]
    for old, new in cases:
        old_doc, new_doc = normalize(Document(old)), normalize(Document(new))
        page, (stat,) = review_page([Compared("d", old_doc, new_doc)], "a", "b")
        assert stat == textdiff.stat(old_doc, new_doc) and stat.any
        assert marks_of(page) == [as_units(stat)]


def _chart(alt: str, caption: str, values: list[int]) -> Figure:
    data = Table(None, ((Text("Län"),), (Text("Beviljat"),)),
                 tuple(((Text(f"Län {k}"),), (Text(f"{v},0 mnkr"),)) for k, v in enumerate(values)), ("left", "right"))
    return Figure("diagram/x", alt, caption, data)


_more_blocks = st.one_of(
    diffkit_blocks,
    st.builds(lambda alt, cap: Figure("a.png", alt, cap), sentences, st.one_of(st.just(""), sentences)),
    st.builds(_chart, sentences, st.one_of(st.just(""), sentences), st.lists(st.integers(0, 3), min_size=1, max_size=4)),
    st.builds(lambda items, start: OrderedList(tuple((Paragraph((Text(t),)),) for t in items), start),
              st.lists(sentences, min_size=1, max_size=3), st.integers(1, 3)),
    st.builds(lambda bs: BlockQuote(tuple(bs)), st.lists(diffkit_blocks, min_size=1, max_size=2)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_more_blocks, min_size=1, max_size=6), st.data())
def test_marks_agree_with_diff_stat_with_figures_ordered_lists_and_quotes(old_blocks, data):
    new_blocks = [b for b in old_blocks if data.draw(st.booleans(), label="keep")]
    for _ in range(data.draw(st.integers(0, 2), label="inserts")):
        new_blocks.insert(data.draw(st.integers(0, len(new_blocks))), data.draw(_more_blocks))
    old, new = normalize(Document(tuple(old_blocks))), normalize(Document(tuple(new_blocks)))
    images = {"a.png": PNG}.get
    page, (stat,) = review_page([Compared("d", old, new, images, images)], "a", "b")
    assert stat == textdiff.stat(old, new)
    assert marks_of(page) == [as_units(stat)]
    preview_page(new, "t", images)


def test_a_pictures_bytes_come_from_the_docx(tmp_path):
    import struct
    import zlib

    from diffkit import BASE, CORE, FIELDS

    from reportgen.formats.docx.writer import write_docx

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    # A 2×1 RGB picture, written by hand.
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff")) + chunk(b"IEND", b""))
    (tmp_path / "bild.png").write_bytes(png)
    doc = normalize(Document((Paragraph((Text("Före bilden."),)), Figure("bild.png", "Två staplar", "Figur 1. Bild"))))
    data, findings = write_docx(doc, BASE, FIELDS, CORE, image_root=tmp_path)
    assert data is not None, findings
    (tmp_path / "d.docx").write_bytes(data)
    read, _ = textdiff.document_of(textdiff.Side(tmp_path / "d.docx"))
    page = preview_page(read, "t", images_of(tmp_path / "d.docx"))
    img = lxml.html.fromstring(page).xpath("//figure/img")
    assert len(img) == 1 and img[0].get("alt") == "Två staplar"
    assert base64.b64decode(img[0].get("src").split(",", 1)[1]) == png
