"""Swedish formatting of amounts, shares and dates (Babel, sv_SE).

Rounding is half up (as people round by hand), applied before Babel sees the number, because
Babel itself rounds half to even. Thousands are separated by a no-break space, decimals by a
comma, negative numbers get a real minus sign (U+2212), and a no-break space stands before
``%`` and units, so "5 %" and "12 mnkr" never break across lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "sv_SE"
NBSP = "\u00a0"
MINUS = "\u2212"


def _number(value: Decimal | int, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "−0"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(rounded, format=pattern, locale=LOCALE, decimal_quantization=True)
    return text.replace("-", MINUS).replace("\u2009", NBSP).replace(" ", NBSP)


def number(value: Decimal | int, decimals: int = 0) -> str:
    """``1234567`` → ``1 234 567``."""
    return _number(value, decimals)


def kr(value: Decimal | int, decimals: int = 0, unit: bool = True) -> str:
    """``1234567.5`` → ``1 234 568 kr`` (``decimals=2``: ``1 234 567,50 kr``)."""
    return _number(value, decimals) + (f"{NBSP}kr" if unit else "")


def tkr(value: Decimal | int, decimals: int = 0, unit: bool = True) -> str:
    return _number(Decimal(value) / 1000, decimals) + (f"{NBSP}tkr" if unit else "")


def mnkr(value: Decimal | int, decimals: int = 1, unit: bool = True) -> str:
    """``20000000`` → ``20,0 mnkr``."""
    return _number(Decimal(value) / 1_000_000, decimals) + (f"{NBSP}mnkr" if unit else "")


def percent(fraction: Decimal | None, decimals: int = 1) -> str:
    """A fraction as percent: ``Decimal("0.05")`` → ``5,0 %``; None → ``–``."""
    if fraction is None:
        return "–"
    return _number(Decimal(fraction) * 100, decimals) + f"{NBSP}%"


def date_long(value: dt.date) -> str:
    """``2019-03-31`` → ``31 mars 2019`` (running text)."""
    return format_date(value, format="d MMMM y", locale=LOCALE).replace(" ", NBSP, 1)


def date_iso(value: dt.date) -> str:
    """ISO dates for tables and letterheads."""
    return value.isoformat()


def join_and(items: list[str]) -> str:
    """``["a", "b", "c"]`` → ``a, b och c``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
