"""Charts: deterministic PNG bytes without a version stamp, Swedish numbers, alt text with the figures."""

from __future__ import annotations

import struct
import zlib
from decimal import Decimal

import pytest

from reportgen.report import charts

YEARS = ["2018", "2019", "2020"]
SERIES = {"Ram": [Decimal(20000000), Decimal(30000000), Decimal(40000000)],
          "Utbetalt": [Decimal(3412345), Decimal(22100000), Decimal(37000000)]}


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks.append((kind, body))
        pos += 12 + length
    return chunks


def text_keys(data: bytes) -> set[str]:
    return {body.split(b"\0", 1)[0].decode("latin-1") for kind, body in png_chunks(data)
            if kind in (b"tEXt", b"iTXt", b"zTXt")}


@pytest.mark.slow
@pytest.mark.parametrize("draw", [
    lambda: charts.grouped_bars("per-ar.png", "Medel per år", YEARS, SERIES),
    lambda: charts.horizontal_bars("lan.png", "Beviljat per län", ["Skåne län", "Gotlands län"],
                                   [Decimal(5200000), Decimal(1500000)]),
], ids=["grouped", "horizontal"])
def test_two_draws_give_equal_bytes_without_a_software_chunk(draw) -> None:
    first, second = draw(), draw()
    assert first.png == second.png
    assert first.alt == second.alt
    assert "Software" not in text_keys(first.png)
    assert not {"Creation Time", "CreationTime", "Date"} & text_keys(first.png)
    assert png_chunks(first.png)[-1][0] == b"IEND"


def test_alt_text_states_the_figures_in_swedish() -> None:
    chart = charts.grouped_bars("per-ar.png", "Medel per år", YEARS, SERIES)
    assert chart.alt == ("Stapeldiagram. Medel per år. 2018: ram 20,0\u00a0mnkr, utbetalt 3,4\u00a0mnkr; "
                         "2019: ram 30,0\u00a0mnkr, utbetalt 22,1\u00a0mnkr; "
                         "2020: ram 40,0\u00a0mnkr, utbetalt 37,0\u00a0mnkr.")


def test_horizontal_bars_put_the_largest_first() -> None:
    chart = charts.horizontal_bars("x.png", "Per källa", ["Region", "Regionalfonden", "Kommun", "Övrigt"],
                                   [Decimal(4000000), Decimal(21900000), Decimal(1300000), Decimal(4000000)])
    order = [part.rsplit(" ", 1)[0] for part in chart.alt.split(". ", 2)[2].rstrip(".").split("; ")]
    assert order == ["Regionalfonden", "Region", "Övrigt", "Kommun"]  # equal values keep their order


@pytest.mark.parametrize(("ticks", "decimals"), [
    ([0, 5, 10, 15], 0), ([0, 1, 2, 3], 0), ([0, 0.5, 1.0, 1.5], 1), ([0.0, 0.2, 0.4], 1),
    ([0, 0.25, 0.5], 2), ([0, 0.125], 2),
])
def test_tick_labels_take_as_few_decimals_as_the_step_needs(ticks, decimals) -> None:
    assert charts.tick_decimals(ticks) == decimals


def test_axis_labels_use_a_decimal_comma() -> None:
    with charts._style():
        fig, ax = charts._figure(3.0)
        ax.bar([0, 1], [250_000, 1_250_000])
        charts._mnkr_axis(ax)
        fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "0,2" in labels or "0,25" in labels
    assert all("." not in label for label in labels)


def test_drawing_leaves_the_callers_matplotlib_settings_alone() -> None:
    import matplotlib

    before = dict(matplotlib.rcParams)
    charts.grouped_bars("per-ar.png", "Medel per år", YEARS, SERIES)
    assert dict(matplotlib.rcParams) == before
