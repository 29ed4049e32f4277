"""The charts of a deliverable, as the document tree carries them: a figure with its data.

A chart spec (reportgen.report.context.chart_specs) becomes a :class:`Chart`: a name, a caption,
an alt text that states what it shows and every figure in it, and a data table in mnkr. The
Word writer draws the table as a native, editable chart (reportgen.ooxml.charts) and the
Markdown draft shows it under the figure, so a diff of the drafts shows a changed value.

The values in the table are exact (``26,476787 mnkr`` for 26 476 787 kr): they are what the
chart plots and what its embedded workbook holds; the chart's value labels round them to one
decimal. Numbers are Swedish: decimal comma, no-break space between thousands.

How the charts look (palette, patterns, fonts, number formats) is the house style,
:class:`reportgen.ooxml.charts.ChartStyle`; :func:`load_style` reads a project's overrides from
``diagram.yaml`` beside its templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reportgen.document.tree import Table, Text
from reportgen.findings import Finding, Location, error
from reportgen.ooxml.charts import (
    ChartError,
    ChartStyle,
    style_from_mapping,
    table_number,
)
from reportgen.report import formatting as f

#: Where a deliverable's charts are named: ``diagram/<id>-<key>`` (the figure's src).
PREFIX = "diagram"
UNIT = "mnkr"
STYLE_FILE = "diagram.yaml"

#: The heading of the category column of a chart's data, by chart key.
CATEGORY_TITLES = {"per_year": "År", "by_county": "Län", "by_focus_area": "Fokusområde",
                   "cofinancing": "Källa"}


@dataclass(frozen=True)
class Chart:
    name: str  # the figure's src, e.g. "diagram/slutredovisning-2021-by-county"
    caption: str
    alt: str
    data: Table


def exact_mnkr(kronor: Decimal) -> str:
    """Kronor in mnkr with every decimal it has, at least one: ``5 200 000`` → ``5,2``,
    ``26 476 787`` → ``26,476787`` (the form the docx reader gives back, see table_number)."""
    return table_number(Decimal(kronor) / 1_000_000)


def _cell(kronor: Decimal) -> tuple[Text]:
    return (Text(f"{exact_mnkr(kronor)}{f.NBSP}{UNIT}"),)


def grouped_bars(name: str, key: str, caption: str, categories: list[str],
                 series: dict[str, list[Decimal]]) -> Chart:
    """Columns, one group per category (e.g. year), one bar per series."""
    parts = []
    for c_idx, cat in enumerate(categories):
        vals = ", ".join(f"{label.lower()} {f.mnkr(values[c_idx])}" for label, values in series.items())
        parts.append(f"{cat}: {vals}")
    alt = f"Stapeldiagram. {caption}. " + "; ".join(parts) + "."
    header = ((Text(CATEGORY_TITLES.get(key, "Kategori")),), *((Text(label),) for label in series))
    rows = tuple(((Text(cat),), *(_cell(values[i]) for values in series.values()))
                 for i, cat in enumerate(categories))
    return Chart(name, caption, alt, Table(None, header, rows, ("left",) + ("right",) * len(series)))


def horizontal_bars(name: str, key: str, caption: str, labels: list[str], values: list[Decimal],
                    series: str = "Beviljat") -> Chart:
    """One horizontal bar per label, largest first reading from the top (equal values keep the
    order given). The report's table beside the chart keeps the report's own order (e.g. by
    county code); the chart, and its data, show the ranking."""
    order = sorted(range(len(labels)), key=lambda i: -values[i])
    labels, values = [labels[i] for i in order], [values[i] for i in order]
    alt = f"Liggande stapeldiagram. {caption}. " + "; ".join(
        f"{label} {f.mnkr(v)}" for label, v in zip(labels, values)) + "."
    header = ((Text(CATEGORY_TITLES.get(key, "Kategori")),), (Text(series),))
    rows = tuple(((Text(label),), _cell(v)) for label, v in zip(labels, values))
    return Chart(name, caption, alt, Table(None, header, rows, ("left", "right")))


def load_style(template_dir: Path) -> tuple[ChartStyle, list[Finding]]:
    """The house style with the overrides of ``<templates>/diagram.yaml``, if there is one.

    The file is a mapping of ChartStyle's fields, e.g. ``palette: ["#0072B2", "#E69F00"]`` or
    ``font: Calibri``. A wrong key or value is an error finding located in the file."""
    path = Path(template_dir) / STYLE_FILE
    if not path.is_file():
        return ChartStyle(), []
    import yaml

    from reportgen.inputs.load import display_path

    where = display_path(path)
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return ChartStyle(), [error("chart-style", f"cannot read the chart style: {exc}", Location(where))]
    if not isinstance(values, dict):
        return ChartStyle(), [error("chart-style", "the chart style must be a mapping of keys to values",
                                    Location(where), hint="e.g. font: Calibri")]
    try:
        return style_from_mapping(values, where), []
    except ChartError as exc:
        return ChartStyle(), [error("chart-style", str(exc), Location(where))]
