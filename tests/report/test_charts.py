"""Charts of a deliverable as the tree carries them: alt text with the figures, the ranking of
horizontal bars, exact values in mnkr in the data table, and the project's style file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from reportgen.document.tree import plain_text
from reportgen.ooxml.charts import ChartStyle
from reportgen.report import charts

YEARS = ["2018", "2019", "2020"]
SERIES = {"Ram": [Decimal(20000000), Decimal(30000000), Decimal(40000000)],
          "Utbetalt": [Decimal(3412345), Decimal(22100000), Decimal(37000000)]}


def rows(chart: charts.Chart) -> list[list[str]]:
    return [[plain_text(c) for c in row] for row in (chart.data.header, *chart.data.rows)]


def test_alt_text_states_the_figures_in_swedish() -> None:
    chart = charts.grouped_bars("diagram/x", "per_year", "Medel per år", YEARS, SERIES)
    assert chart.alt == ("Stapeldiagram. Medel per år. 2018: ram 20,0\u00a0mnkr, utbetalt 3,4\u00a0mnkr; "
                         "2019: ram 30,0\u00a0mnkr, utbetalt 22,1\u00a0mnkr; "
                         "2020: ram 40,0\u00a0mnkr, utbetalt 37,0\u00a0mnkr.")


def test_the_data_table_holds_every_value_exactly_in_mnkr() -> None:
    chart = charts.grouped_bars("diagram/x", "per_year", "Medel per år", YEARS, SERIES)
    assert rows(chart) == [["År", "Ram", "Utbetalt"],
                           ["2018", "20,0\u00a0mnkr", "3,412345\u00a0mnkr"],
                           ["2019", "30,0\u00a0mnkr", "22,1\u00a0mnkr"],
                           ["2020", "40,0\u00a0mnkr", "37,0\u00a0mnkr"]]
    assert chart.data.align == ("left", "right", "right")
    assert charts.exact_mnkr(Decimal("1234567890.5")) == "1\u00a0234,5678905"


def test_horizontal_bars_put_the_largest_first() -> None:
    chart = charts.horizontal_bars("diagram/x", "cofinancing", "Per källa",
                                   ["Region", "Regionalfonden", "Kommun", "Övrigt"],
                                   [Decimal(4000000), Decimal(21900000), Decimal(1300000), Decimal(4000000)],
                                   "Medfinansiering")
    order = [part.rsplit(" ", 1)[0] for part in chart.alt.split(". ", 2)[2].rstrip(".").split("; ")]
    assert order == ["Regionalfonden", "Region", "Övrigt", "Kommun"]  # equal values keep their order
    assert [r[0] for r in rows(chart)] == ["Källa", *order]
    assert rows(chart)[0][1] == "Medfinansiering"


def test_the_style_file_overrides_the_house_style(tmp_path: Path) -> None:
    assert charts.load_style(tmp_path) == (ChartStyle(), [])
    (tmp_path / "diagram.yaml").write_text('palette: ["#112233", "445566"]\nfont: Calibri\nlabel_size: 7\n',
                                           encoding="utf-8")
    style, findings = charts.load_style(tmp_path)
    assert findings == []
    assert (style.palette, style.font, style.label_size) == (("112233", "445566"), "Calibri", 7.0)
    assert style.patterns == ChartStyle().patterns


def test_a_wrong_style_file_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "diagram.yaml").write_text("palette: [red]\n", encoding="utf-8")
    style, findings = charts.load_style(tmp_path)
    assert style == ChartStyle()
    assert [f.code for f in findings] == ["chart-style"]
    assert findings[0].where.file.endswith("diagram.yaml")
    assert "six hex digits" in findings[0].message
    (tmp_path / "diagram.yaml").write_text("colour: 0072B2\n", encoding="utf-8")
    assert "unknown key 'colour'" in charts.load_style(tmp_path)[1][0].message
    (tmp_path / "diagram.yaml").write_text("patterns: [zigzag]\n", encoding="utf-8")
    assert "preset pattern" in charts.load_style(tmp_path)[1][0].message
