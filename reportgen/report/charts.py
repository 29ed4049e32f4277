"""Charts of the ledger's figures as deterministic PNG images.

matplotlib is imported only when a chart is drawn (it costs about 0.3 to 0.5 s). Every chart has a
Swedish caption and an alt text that states what it shows and its figures, and the same
figures stand in a table of the report. The palette is Okabe–Ito (safe for colour-blind
readers) and bars also differ by hatching, so they stay apart in greyscale print; every bar is
labelled with its value, so a reader never has to estimate a small bar against the grid.
Numbers are Swedish: decimal comma, no-break space between thousands, amounts in mnkr.

The PNG files are deterministic: the same data, code and matplotlib give the same bytes (no
"Software" text chunk with a version, no time stamp).
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from reportgen.report import formatting as f

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")
WIDTH_IN = 6.3  # fits A4 text width with 25 mm margins: placed at 100 %, 9 pt text stays 9 pt
DPI = 200  # sharp enough for print; the largest chart (21 counties) is about 110 kB


@dataclass(frozen=True)
class Chart:
    name: str  # file name, e.g. "ekonomi-per-ar.png"
    caption: str
    alt: str
    png: bytes


_STYLE = {
    "font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
    "axes.titlesize": 10, "svg.hashsalt": "reportgen", "axes.axisbelow": True,
    # Labels are data (county and focus-area names, cofinancing sources): always plain text.
    # With mathtext on, a name holding "$...$" is parsed as TeX and an unbalanced one raises.
    "text.usetex": False, "text.parse_math": False,
}


@functools.lru_cache(maxsize=1)
def _matplotlib():
    """matplotlib's Figure and Agg canvas, without pyplot: pyplot would keep every figure in its
    global figure manager until closed and costs more to import, and reportgen never shows a window."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    return matplotlib, Figure, FigureCanvasAgg


def _style():
    """The house style for everything drawn inside it. matplotlib reads its settings when each
    artist is made and drawn, so a whole chart is drawn and saved inside; the global settings stay
    as they were, and reportgen used as a library does not restyle its caller's charts."""
    matplotlib, _, _ = _matplotlib()
    return matplotlib.rc_context(_STYLE)


def _figure(height_in: float):
    """A new figure (with its Agg canvas) and its one axes."""
    _, Figure, FigureCanvasAgg = _matplotlib()
    fig = Figure(figsize=(WIDTH_IN, height_in))
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _save(fig) -> bytes:
    buf = io.BytesIO()
    # No "Software" entry: the PNG must not change with the matplotlib version.
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches=None)
    return buf.getvalue()


def tick_decimals(ticks_mnkr: list[float]) -> int:
    """As few decimals as the ticks need, the same for all of them: 0, 1 or 2 (0 5 10, or
    0,5 1,0 1,5, or 0,25 0,50)."""
    for decimals in (0, 1):
        if all(abs(t * 10**decimals - round(t * 10**decimals)) < 1e-6 for t in ticks_mnkr):
            return decimals
    return 2


def _mnkr_axis(ax, axis: str = "y") -> None:
    """Tick labels in mnkr with a decimal comma and as many decimals as the tick step needs."""
    from matplotlib.ticker import Formatter

    class MnkrFormatter(Formatter):
        def __init__(self) -> None:
            self.ticks: list[float] = []

        def set_locs(self, locs):  # called with all the ticks before any is formatted
            super().set_locs(locs)
            self.ticks = [float(v) / 1_000_000 for v in locs]

        def __call__(self, value, pos=None):
            decimals = tick_decimals(self.ticks or [value / 1_000_000])
            return f.number(Decimal(repr(float(value))) / 1_000_000, decimals)

    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(MnkrFormatter())


def grouped_bars(name: str, caption: str, categories: list[str], series: dict[str, list[Decimal]],
                 ylabel: str = "mnkr") -> Chart:
    """Vertical bars, one group per category (e.g. year), one bar per series."""
    with _style():
        png = _draw_grouped_bars(categories, series, ylabel)
    parts = []
    for c_idx, cat in enumerate(categories):
        vals = ", ".join(f"{label.lower()} {f.mnkr(values[c_idx])}" for label, values in series.items())
        parts.append(f"{cat}: {vals}")
    alt = f"Stapeldiagram. {caption}. " + "; ".join(parts) + "."
    return Chart(name, caption, alt, png)


def _draw_grouped_bars(categories: list[str], series: dict[str, list[Decimal]], ylabel: str) -> bytes:
    fig, ax = _figure(3.4)
    n = len(series)
    width = 0.8 / max(n, 1)
    top = max((float(v) for vs in series.values() for v in vs), default=0)
    for i, (label, values) in enumerate(series.items()):
        xs = [c + (i - (n - 1) / 2) * width for c in range(len(categories))]
        ax.bar(xs, [float(v) for v in values], width, label=label, color=PALETTE[i % len(PALETTE)],
               hatch=HATCHES[i % len(HATCHES)], edgecolor="white", linewidth=0.5)
        for x, v in zip(xs, values):
            ax.text(x, float(v) + top * 0.01, f.mnkr(v, 1, unit=False), ha="center", va="bottom", fontsize=7)
    ax.set_xticks(range(len(categories)), categories)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, top * 1.08 if top else 1)  # room for the value labels
    _mnkr_axis(ax)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(frameon=False, ncols=min(n, 4), loc="upper center", bbox_to_anchor=(0.5, -0.1))
    fig.tight_layout()
    return _save(fig)


def horizontal_bars(name: str, caption: str, labels: list[str], values: list[Decimal], xlabel: str = "mnkr") -> Chart:
    """One horizontal bar per label, largest first reading from the top (equal values keep the
    order given). The table beside the chart keeps the report's own order (e.g. by county code);
    the chart shows the ranking."""
    order = sorted(range(len(labels)), key=lambda i: -values[i])
    labels, values = [labels[i] for i in order], [values[i] for i in order]
    with _style():
        png = _draw_horizontal_bars(labels, values, xlabel)
    alt = f"Liggande stapeldiagram. {caption}. " + "; ".join(f"{label} {f.mnkr(v)}" for label, v in zip(labels, values)) + "."
    return Chart(name, caption, alt, png)


def _draw_horizontal_bars(labels: list[str], values: list[Decimal], xlabel: str) -> bytes:
    height = 0.6 + 0.28 * len(labels)
    fig, ax = _figure(max(2.0, height))
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, [float(v) for v in values], color=PALETTE[0], edgecolor="white", height=0.7)
    ax.set_yticks(ys, labels)
    ax.set_xlabel(xlabel)
    top = max((float(v) for v in values), default=0)
    _mnkr_axis(ax, "x")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_ylim(-0.6, len(labels) - 0.4)  # no empty band above the first bar and below the last
    for y, v in zip(ys, values):
        ax.text(float(v) + top * 0.01, y, f.mnkr(v, 1, unit=False), va="center", fontsize=8)
    ax.set_xlim(0, top * 1.12 if top else 1)
    fig.tight_layout()
    return _save(fig)


def cache_dir() -> Path | None:
    """Where drawn charts are kept between builds (REPORTGEN_CACHE_DIR/charts, else the user's cache folder).

    Drawing is deterministic, so a chart whose data, code and matplotlib version are unchanged is
    taken from the cache: same bytes, without the 0.2 s a chart costs to draw. Set
    REPORTGEN_CACHE_DIR to an empty string to disable the cache.
    """
    from reportgen.output.cache import cache_root

    root = cache_root()
    return root / "charts" if root else None


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    """reportgen's code and matplotlib's version: both change the bytes of a chart."""
    from importlib.metadata import PackageNotFoundError, version

    from reportgen.output.cache import code_hash

    try:
        mpl = version("matplotlib")
    except PackageNotFoundError:  # pragma: no cover
        mpl = "?"
    return hashlib.sha256(f"{code_hash()}\0{mpl}".encode()).hexdigest()[:16]


def _cache_paths(name: str, data_key: str) -> tuple[Path, Path] | None:
    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(f"{_code_version()}\0{name}\0{data_key}".encode()).hexdigest()
    return folder / f"{key}.png", folder / f"{key}.txt"


def is_cached(name: str, data_key: str) -> bool:
    paths = _cache_paths(name, data_key)
    return paths is not None and paths[1].is_file()


def prepare_to_draw() -> None:
    """Import matplotlib now: worker processes forked afterwards share it instead of each
    importing it (about 0.3 s of CPU each)."""
    _matplotlib()


def cached(name: str, data_key: str, draw: Callable[[], Chart]) -> Chart:
    paths = _cache_paths(name, data_key)
    if paths is None:
        return draw()
    png_path, alt_path = paths
    folder = png_path.parent
    try:
        caption, alt = alt_path.read_text("utf-8").split("\n", 1)
        return Chart(name, caption, alt, png_path.read_bytes())
    except (OSError, ValueError):
        pass
    chart = draw()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Write the image before the text: a reader that finds the text finds a complete image.
        for path, payload in ((png_path, chart.png), (alt_path, f"{chart.caption}\n{chart.alt}".encode())):
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(payload)
            os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full cache folder only costs speed
    return chart
