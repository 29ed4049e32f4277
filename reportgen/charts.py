"""Charts of the ledger's figures as deterministic PNG images.

matplotlib is imported only when a chart is drawn (it costs about 0.3 s). Every chart has a
Swedish caption and an alt text that states what it shows and its figures, and the same
figures stand in a table of the report. The palette is Okabe–Ito (safe for colour-blind
readers) and bars also differ by hatching, so they stay apart in greyscale print.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable

from . import formatting as f

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
HATCHES = ("", "//", "..", "xx", "\\\\", "--", "++")
WIDTH_IN = 6.3  # fits A4 text width with 25 mm margins
DPI = 150


@dataclass(frozen=True)
class Chart:
    name: str  # file name, e.g. "ekonomi-per-ar.png"
    caption: str
    alt: str
    png: bytes


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({
        "font.family": "DejaVu Sans", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
        "axes.titlesize": 10, "svg.hashsalt": "reportgen", "axes.axisbelow": True,
    })
    return plt


def _save(fig) -> bytes:
    buf = io.BytesIO()
    # No "Software" entry: the PNG must not change with the matplotlib version.
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches=None)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buf.getvalue()


def _mnkr_axis(ax, top: float, axis: str = "y") -> None:
    """Tick labels in mnkr with a decimal comma; one decimal when the scale is small, for all ticks alike."""
    from matplotlib.ticker import FuncFormatter

    decimals = 0 if top >= 10_000_000 else 1
    fmt = FuncFormatter(lambda v, _pos: f.number(Decimal(repr(float(v))) / 1_000_000, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def grouped_bars(name: str, caption: str, categories: list[str], series: dict[str, list[Decimal]],
                 ylabel: str = "mnkr") -> Chart:
    """Vertical bars, one group per category (e.g. year), one bar per series."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 3.4))
    n = len(series)
    width = 0.8 / max(n, 1)
    for i, (label, values) in enumerate(series.items()):
        xs = [c + (i - (n - 1) / 2) * width for c in range(len(categories))]
        ax.bar(xs, [float(v) for v in values], width, label=label, color=PALETTE[i % len(PALETTE)],
               hatch=HATCHES[i % len(HATCHES)], edgecolor="white", linewidth=0.5)
    ax.set_xticks(range(len(categories)), categories)
    ax.set_ylabel(ylabel)
    _mnkr_axis(ax, max((float(v) for vs in series.values() for v in vs), default=0))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(frameon=False, ncols=min(n, 4), loc="upper center", bbox_to_anchor=(0.5, -0.1))
    fig.tight_layout()
    parts = []
    for c_idx, cat in enumerate(categories):
        vals = ", ".join(f"{label.lower()} {f.mnkr(values[c_idx])}" for label, values in series.items())
        parts.append(f"{cat}: {vals}")
    alt = f"Stapeldiagram. {caption}. " + "; ".join(parts) + "."
    return Chart(name, caption, alt, _save(fig))


def horizontal_bars(name: str, caption: str, labels: list[str], values: list[Decimal], xlabel: str = "mnkr") -> Chart:
    """One horizontal bar per label, largest first reading from the top."""
    plt = _pyplot()
    height = 0.6 + 0.28 * len(labels)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, max(2.0, height)))
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, [float(v) for v in values], color=PALETTE[0], edgecolor="white", height=0.7)
    ax.set_yticks(ys, labels)
    ax.set_xlabel(xlabel)
    top = max((float(v) for v in values), default=0)
    _mnkr_axis(ax, top, "x")
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    for y, v in zip(ys, values):
        ax.text(float(v) + top * 0.01, y, f.mnkr(v, 1, unit=False), va="center", fontsize=8)
    ax.set_xlim(0, top * 1.12 if top else 1)
    fig.tight_layout()
    alt = f"Liggande stapeldiagram. {caption}. " + "; ".join(f"{label} {f.mnkr(v)}" for label, v in zip(labels, values)) + "."
    return Chart(name, caption, alt, _save(fig))


def cache_dir() -> Path | None:
    """Where drawn charts are kept between builds (REPORTGEN_CACHE_DIR/charts, else the user's cache folder).

    Drawing is deterministic, so a chart whose data, code and matplotlib version are unchanged is
    taken from the cache: same bytes, without the 0.2 s a chart costs to draw. Set
    REPORTGEN_CACHE_DIR to an empty string to disable the cache.
    """
    from .cache import cache_root

    root = cache_root()
    return root / "charts" if root else None


@functools.lru_cache(maxsize=1)
def _code_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        mpl = version("matplotlib")
    except PackageNotFoundError:  # pragma: no cover
        mpl = "?"
    return hashlib.sha256(Path(__file__).read_bytes() + mpl.encode()).hexdigest()[:16]


def cached(name: str, data_key: str, draw: Callable[[], Chart]) -> Chart:
    folder = cache_dir()
    if folder is None:
        return draw()
    key = hashlib.sha256(f"{_code_version()}\0{name}\0{data_key}".encode()).hexdigest()
    png_path, alt_path = folder / f"{key}.png", folder / f"{key}.txt"
    try:
        caption, alt = alt_path.read_text("utf-8").split("\n", 1)
        return Chart(name, caption, alt, png_path.read_bytes())
    except (OSError, ValueError):
        pass
    chart = draw()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Write the image before the text: a reader that finds the text finds a complete image.
        for path, payload in ((png_path, chart.png), (alt_path, f"{chart.caption}\n{chart.alt}".encode("utf-8"))):
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(payload)
            os.replace(tmp, path)
    except OSError:
        pass  # a read-only or full cache folder only costs speed
    return chart
