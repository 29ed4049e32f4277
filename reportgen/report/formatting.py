"""Swedish formatting of amounts, shares and dates (sv_SE, as Babel formats them).

Rounding is half up (as people round by hand), applied before the number is formatted, because
Babel itself rounds half to even. Thousands are separated by a no-break space, decimals by a
comma, negative numbers get a real minus sign (U+2212), and a no-break space stands before
``%`` and units, so "5 %" and "12 mnkr" never break across lines.

Babel (CLDR's data for sv_SE) is the reference, but a build does not load it: reading its locale
data costs about 30 ms of every cold build, for three symbols and twelve month names. Those are
written out below, and tests/report/test_formatting.py holds them, the grouping by threes and
every day's long date over decades to what Babel gives (``_babel_number``, ``_babel_date``).
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal

LOCALE = "sv_SE"
NBSP = "\u00a0"
MINUS = "\u2212"

#: sv_SE's group, decimal and minus symbols, tidied (see _tidy), as Babel gives them.
GROUP_SYMBOL, DECIMAL_SYMBOL, MINUS_SIGN = NBSP, ",", MINUS
#: sv_SE's month names in a date (CLDR's format-wide months, Babel's ``MMMM``).
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")


def _tidy(text: str) -> str:
    return text.replace("-", MINUS).replace("\u2009", NBSP).replace(" ", NBSP)


#: Python's own grouping (by threes, as sv_SE groups: the tests check it), mapped onto the
#: locale's symbols. A report with 10 000 projects formats some 300 000 amounts, and Babel's
#: format_decimal costs about 14 µs a call; this costs about 1 µs.
_SYMBOLS = str.maketrans({",": GROUP_SYMBOL, ".": DECIMAL_SYMBOL, "-": MINUS_SIGN})
_GROUP = GROUP_SYMBOL
#: Quantum and format spec for the usual numbers of decimals, made once.
_FIXED = {d: (Decimal(1).scaleb(-d), f",.{d}f") for d in range(7)}


@functools.cache
def _babel_locale():
    from babel import Locale

    return Locale.parse(LOCALE)


def _babel_number(rounded: Decimal, decimals: int) -> str:
    """The reference: Babel's format_decimal of a number already rounded (tests only)."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _tidy(format_decimal(rounded, format=pattern, locale=_babel_locale(), decimal_quantization=True))


def _babel_date(value: dt.date) -> str:
    """The reference: Babel's long date (tests only)."""
    from babel.dates import format_date

    return format_date(value, format="d MMMM y", locale=_babel_locale()).replace(" ", NBSP, 1)


def _number(value: Decimal | int, decimals: int) -> str:
    fixed = _FIXED.get(decimals) if type(decimals) is int else None  # not True, which equals 1
    quantum, spec = fixed if fixed is not None else (Decimal(1).scaleb(-decimals), f",.{decimals}f")
    rounded = (value if type(value) is Decimal else Decimal(value)).quantize(quantum, ROUND_HALF_UP)
    if not rounded:
        rounded = abs(rounded)  # no "−0"
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
    """``2019-03-31`` → ``31 mars 2019`` (running text; a no-break space after the day)."""
    return f"{value.day}{NBSP}{MONTHS[value.month - 1]} {value.year}"


def date_iso(value: dt.date) -> str:
    """ISO dates for tables and letterheads."""
    return value.isoformat()


def join_and(items: list[str]) -> str:
    """``["a", "b", "c"]`` → ``a, b och c``."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
