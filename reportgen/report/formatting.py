"""Swedish formatting of amounts, shares and dates (Babel, sv_SE).

Rounding is half up (as people round by hand), applied before Babel sees the number, because
Babel itself rounds half to even. Thousands are separated by a no-break space, decimals by a
comma, negative numbers get a real minus sign (U+2212), and a no-break space stands before
``%`` and units, so "5 %" and "12 mnkr" never break across lines.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)

LOCALE = "sv_SE"
NBSP = "\u00a0"
MINUS = "\u2212"

_LOCALE = Locale.parse(LOCALE)


def _tidy(text: str) -> str:
    return text.replace("-", MINUS).replace("\u2009", NBSP).replace(" ", NBSP)


#: Python's own grouping, mapped onto the locale's symbols as Babel gives them, already tidied
#: (see _tidy). A report with 10 000 projects formats some 300 000 amounts, and Babel's
#: format_decimal costs about 14 µs a call; this costs about 1 µs. It is only used when the
#: locale groups by threes like Python does, and tests/test_formatting.py checks it against
#: format_decimal.
_SYMBOLS = str.maketrans({",": _tidy(get_group_symbol(_LOCALE)), ".": _tidy(get_decimal_symbol(_LOCALE)),
                          "-": _tidy(get_minus_sign_symbol(_LOCALE))})
_GROUP = _SYMBOLS[ord(",")]
_GROUPS_BY_THREES = _LOCALE.decimal_formats[None].grouping == (3, 3)
#: Quantum and format spec for the usual numbers of decimals, made once.
_FIXED = {d: (Decimal(1).scaleb(-d), f",.{d}f") for d in range(7)}


def _babel_number(rounded: Decimal, decimals: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _tidy(format_decimal(rounded, format=pattern, locale=_LOCALE, decimal_quantization=True))


def _number(value: Decimal | int, decimals: int) -> str:
    fixed = _FIXED.get(decimals) if type(decimals) is int else None  # not True, which equals 1
    quantum, spec = fixed if fixed is not None else (Decimal(1).scaleb(-decimals), f",.{decimals}f")
    rounded = (value if type(value) is Decimal else Decimal(value)).quantize(quantum, ROUND_HALF_UP)
    if not rounded:
        rounded = abs(rounded)  # no "−0"
    if not _GROUPS_BY_THREES:  # pragma: no cover - sv_SE groups by threes
        return _babel_number(rounded, decimals)
    text = format(rounded, spec)
    if "." in text or "-" in text:
        return text.translate(_SYMBOLS)
    return text.replace(",", _GROUP)  # whole and positive, the common case: replace is faster than translate


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


@functools.lru_cache(maxsize=8192)  # a report has thousands of dates but few distinct ones
def date_long(value: dt.date) -> str:
    """``2019-03-31`` → ``31 mars 2019`` (running text)."""
    return format_date(value, format="d MMMM y", locale=_LOCALE).replace(" ", NBSP, 1)


def date_iso(value: dt.date) -> str:
    """ISO dates for tables and letterheads."""
    return value.isoformat()


def join_and(items: list[str]) -> str:
    """``["a", "b", "c"]`` → ``a, b och c``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
