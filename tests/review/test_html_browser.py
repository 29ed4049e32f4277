"""The review page in a real browser: Chromium from the system's packages (``apt-get install
chromium``; .ci/run installs it), driven by Playwright for Python with ``executable_path``, so
no browser is downloaded. Skipped when either is missing.

Set REPORTGEN_UPDATE_SCREENSHOT=1 to write docs/review-page.png again (the example with one
changed project)."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE_INPUTS, ROOT, run_cli
from diffkit import example_builds

from reportgen.review import diff as textdiff

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("REPORTGEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).is_file():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)

SCREENSHOT = ROOT / "docs" / "review-page.png"
PROJECT = "SI-2018-05"  # Region Dalarna
SUMMARY = ("Ett regionalt nav som samlar stödet till industrins digitalisering i Dalarna och kopplar\n"
           "      det till utbildningsinsatser för anställda.")
PAYMENT = ("UB-2020-0005", 751_000, 761_000)
INJECTED = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def change_one_project(inputs: Path, summary: str) -> None:
    """One project changed: its summary, one indicator and one disbursement (the repayment
    follows, so that the rules still hold)."""
    programme = inputs / "programme.yaml"
    text = programme.read_text(encoding="utf-8")
    assert text.count(SUMMARY) == 1
    start = text.index(f"  - id: {PROJECT}\n")
    head, tail = text[:start], text[start:]
    tail = tail.replace(SUMMARY, summary, 1).replace("      companies: 41\n", "      companies: 45\n", 1)
    programme.write_text(head + tail, encoding="utf-8")
    book = openpyxl.load_workbook(inputs / "finances.xlsx")
    ws = book["Utbetalningar"]
    verification, before, after = PAYMENT
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 4).value == verification]
    assert len(rows) == 1 and ws.cell(rows[0], 3).value == before
    ws.cell(rows[0], 3).value = after
    repayment = book["Återbetalningar"].cell(2, 2)
    repayment.value = float(Decimal(str(repayment.value)) - (after - before))
    book.save(inputs / "finances.xlsx")


def build_pair(tmp: Path, summary: str) -> tuple[Path, Path]:
    outs = []
    for side in ("old", "new"):
        inputs = tmp / side / "inputs"
        shutil.copytree(EXAMPLE_INPUTS, inputs)
        if side == "new":
            change_one_project(inputs, summary)
        out = tmp / side / "outputs"
        result = run_cli("-q", "build", "--inputs", str(inputs), "--out", str(out), "--today", "2021-04-01")
        assert result.exit_code == 0, result.output + result.stderr
        outs.append(out)
    return outs[0], outs[1]


@pytest.fixture(scope="module")
def edited_page(tmp_path_factory) -> tuple[Path, list[tuple[str, textdiff.Stat]]]:
    """The review page of the example before and after diffkit's three edits, and --stat's counts."""
    old, new = example_builds()
    page = tmp_path_factory.mktemp("review") / "review.html"
    result = run_cli("-q", "diff", str(old), str(new), "--html", str(page))
    assert result.exit_code == 1
    stats = []
    for name, a, b in textdiff.pair_paths(old, new):
        stats.append((name, textdiff.stat(textdiff.document_of(a)[0], textdiff.document_of(b)[0])))
    return page, stats


def open_page(browser, path: Path, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    dialogs: list[str] = []

    def on_dialog(d):
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda r: problems.append(f"request: {r.url}") if not r.url.startswith(("file:", "data:"))
            else None)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return ctx, page, problems, dialogs


def test_page_loads_cleanly_and_shows_every_deliverable(browser, edited_page):
    path, stats = edited_page
    ctx, page, problems, _ = open_page(browser, path)
    try:
        for k, (name, _) in enumerate(stats, start=1):
            heading = page.locator(f"#d{k}-h")
            heading.scroll_into_view_if_needed()
            assert heading.is_visible() and heading.inner_text() == name
        assert page.locator("#rg-next").is_visible()  # the script ran (and the CSP let it)
        assert problems == []  # no console errors, no CSP violations, nothing fetched
    finally:
        ctx.close()


def test_marks_in_the_browser_equal_diff_stat(browser, edited_page):
    path, stats = edited_page
    ctx, page, _, _ = open_page(browser, path)
    try:
        for k, (_, s) in enumerate(stats, start=1):
            found = page.evaluate("""k => {
                const sec = document.getElementById('d' + k), out = {};
                for (const el of sec.querySelectorAll('[data-change]')) {
                    const key = el.dataset.change + ' ' + el.dataset.unit;
                    out[key] = (out[key] || 0) + 1;
                    if (!el.querySelector('ins, del')) { out.unmarked = (out.unmarked || 0) + 1; }
                }
                for (const m of sec.querySelectorAll('ins, del')) {
                    if (!m.closest('[data-change]')) { out.stray = (out.stray || 0) + 1; }
                }
                return out;
            }""", k)
            expected = {"added p": s.paragraphs.added, "removed p": s.paragraphs.removed,
                        "changed p": s.paragraphs.changed, "added row": s.rows.added,
                        "removed row": s.rows.removed, "changed row": s.rows.changed}
            assert found == {key: n for key, n in expected.items() if n}
        total = sum(s.paragraphs.added + s.paragraphs.removed + s.paragraphs.changed + s.rows.added
                    + s.rows.removed + s.rows.changed for _, s in stats)
        assert total > 50 and page.locator("[data-change]").count() == total
    finally:
        ctx.close()


def test_next_change_visits_each_change_in_turn(browser, edited_page):
    path, _ = edited_page
    ctx, page, problems, _ = open_page(browser, path, viewport={"width": 1000, "height": 700})
    try:
        total = page.locator("[data-change]").count()
        for k in range(total + 1):  # and round to the first again
            if k % 3 == 0:
                page.locator("#rg-next").click()
            else:
                page.keyboard.press("n")
            state = page.evaluate("""() => {
                const all = Array.from(document.querySelectorAll('[data-change]'));
                const cur = all.filter(e => e.classList.contains('rg-current'));
                const r = cur.length ? cur[0].getBoundingClientRect() : null;
                return {index: cur.length === 1 ? all.indexOf(cur[0]) : -1, top: r && r.top, bottom: r && r.bottom,
                        height: window.innerHeight, focused: document.activeElement === cur[0],
                        status: document.getElementById('rg-position').textContent};
            }""")
            assert state["index"] == k % total, (k, state)
            assert state["focused"] and state["status"] == f"Ändring {k % total + 1} av {total}"
            # In view below the sticky toolbar (a row or paragraph taller than the window at least starts in it).
            assert 40 <= state["top"] < state["height"] and (state["bottom"] <= state["height"]
                                                             or state["top"] < state["height"] / 2), (k, state)
        page.keyboard.press("p")  # from the first back round to the last
        assert page.evaluate("Array.from(document.querySelectorAll('[data-change]'))"
                             ".findIndex(e => e.classList.contains('rg-current'))") == total - 1
        page.locator("#rg-keys").uncheck()  # the single-key shortcuts can be turned off
        page.keyboard.press("n")
        assert page.evaluate("document.querySelector('.rg-current') === "
                             "document.querySelectorAll('[data-change]')[arguments[0]]".replace("arguments[0]", str(total - 1)))
        page.locator("#rg-next").click()  # the button still works
        assert page.locator("#rg-position").inner_text() == f"Ändring 1 av {total}"
        page.locator("#rg-collapse").click()
        assert page.evaluate("Array.from(document.querySelectorAll('details')).every(d => !d.open)")
        page.locator("#rg-expand").click()
        assert page.evaluate("Array.from(document.querySelectorAll('details')).every(d => d.open)")
        assert problems == []
    finally:
        ctx.close()


def test_script_in_the_inputs_shows_as_text_and_runs_nowhere(browser, tmp_path):
    old, new = build_pair(tmp_path, f"Ett regionalt nav i Dalarna. {INJECTED} Slut.")
    preview = tmp_path / "preview"
    result = run_cli("-q", "build", "--html", "--inputs", str(tmp_path / "new" / "inputs"), "--out", str(preview),
                     "--today", "2021-04-01")
    assert result.exit_code == 0
    page_file = tmp_path / "review.html"
    assert run_cli("-q", "diff", str(old), str(new), "--html", str(page_file)).exit_code == 1
    for path in (page_file, preview / "slutredovisning-2021.html"):
        ctx, page, problems, dialogs = open_page(browser, path)
        try:
            page.locator("#rg-expand").click() if page.locator("#rg-expand").count() else None
            shown = page.get_by_text(INJECTED, exact=False)
            assert shown.count() >= 1
            shown.first.scroll_into_view_if_needed()
            assert shown.first.is_visible()
            page.wait_for_timeout(200)
            assert dialogs == [] and problems == []
            assert page.evaluate("document.scripts.length") == (1 if path == page_file else 0)
        finally:
            ctx.close()


def test_works_without_javascript_on_a_phone_and_in_print(browser, edited_page):
    path, stats = edited_page
    ctx, page, _, _ = open_page(browser, path, java_script_enabled=False, viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True)
    try:
        assert not page.locator("#rg-next").is_visible()  # the conveniences need the script
        page.locator("details.rg-same > summary").first.click()  # folding is HTML's own
        assert page.locator("details.rg-same").first.evaluate("d => d.open")
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1]  # no sideways scrolling of the page: wide tables scroll in their box
        assert page.locator("#d4-h").inner_text() == stats[3][0]
        page.emulate_media(media="print")
        assert page.locator(".rg-bar").evaluate("e => getComputedStyle(e).display") == "none"
        page.set_viewport_size({"width": 680, "height": 960})  # A4 less margins: every table fits the page
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 680
    finally:
        ctx.close()


def _axe(page) -> list[dict]:
    axe_file = pytest.importorskip("axe_playwright_python").__file__
    page.evaluate(Path(axe_file).with_name("axe.min.js").read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                       target: v.nodes[0] && v.nodes[0].target.join(' ')}));
    }""")
    return result


def test_axe_finds_no_serious_accessibility_violations(browser, edited_page, tmp_path):
    """axe-core (the axe.min.js that the axe-playwright-python package ships), run in the page.
    bypass_csp only lets the test's own script in; the page is the same."""
    path, _ = edited_page
    preview = tmp_path / "preview"
    assert run_cli("-q", "build", "--html", "--inputs", str(EXAMPLE_INPUTS), "--out", str(preview),
                   "--today", "2021-04-01").exit_code == 0
    for target in (path, preview / "slutredovisning-2021.html"):
        ctx, page, _, _ = open_page(browser, target, bypass_csp=True)
        try:
            if page.locator("#rg-expand").count():
                page.locator("#rg-expand").click()  # check what folded sections hold too
            violations = _axe(page)
            serious = [v for v in violations if v["impact"] in ("serious", "critical")]
            assert serious == [], serious
        finally:
            ctx.close()


@pytest.mark.skipif(not os.environ.get("REPORTGEN_UPDATE_SCREENSHOT"), reason="REPORTGEN_UPDATE_SCREENSHOT=1 writes it")
def test_update_screenshot(browser, tmp_path, monkeypatch):
    build_pair(tmp_path, SUMMARY.replace("för anställda.", "för anställda och chefer."))
    monkeypatch.chdir(tmp_path)  # the page names the folders as given: old/outputs, new/outputs
    page_file = tmp_path / "review.html"
    assert run_cli("-q", "diff", "old/outputs", "new/outputs", "--html", "review.html").exit_code == 1
    ctx, page, problems, _ = open_page(browser, page_file, viewport={"width": 960, "height": 1300})
    try:
        # As a reviewer sees it after "next change" to the project's changed summary.
        target = page.evaluate("Array.from(document.querySelectorAll('[data-change]'))"
                               ".findIndex(e => e.textContent.includes('chefer'))")
        assert target >= 0
        for _ in range(target + 1):
            page.keyboard.press("n")
        page.screenshot(path=str(SCREENSHOT))
        assert problems == []
    finally:
        ctx.close()


def test_screenshot_in_the_docs_is_small():
    data = SCREENSHOT.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) < 300_000
