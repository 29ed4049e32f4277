"""Swedish number and date formatting: fixed examples, and the written-out symbols, grouping and
month names checked against Babel itself (a build does not load Babel: see formatting's docstring)."""

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from reportgen.report import formatting as f

NB = "\u00a0"


def test_amounts_follow_swedish_conventions():
    assert f.kr(Decimal("1234567.5")) == f"1{NB}234{NB}568{NB}kr"  # half up, not to even
    assert f.kr(Decimal("2.5")) == f"3{NB}kr"
    assert f.kr(Decimal("1234567.5"), 2) == f"1{NB}234{NB}567,50{NB}kr"
    assert f.kr(Decimal("-1234.4")) == f"\u22121{NB}234{NB}kr"
    assert f.kr(Decimal("-0.4")) == f"0{NB}kr"  # never "−0"
    assert f.mnkr(Decimal(20000000)) == f"20,0{NB}mnkr"
    assert f.tkr(Decimal(1500), unit=False) == "2"
    assert f.number(999) == "999" and f.number(1000) == f"1{NB}000"
    assert f.percent(Decimal("0.05")) == f"5,0{NB}%"
    assert f.percent(None) == "–"
    assert f.date_long(dt.date(2019, 3, 31)) == f"31{NB}mars 2019"


amounts = st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=4,
                      allow_nan=False, allow_infinity=False)


@given(amounts, st.integers(min_value=0, max_value=3))
def test_fast_number_formatting_equals_babel(value, decimals):
    quantum = Decimal(1).scaleb(-decimals)
    from decimal import ROUND_HALF_UP

    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    assert f._number(value, decimals) == f._babel_number(rounded, decimals)


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_fast_number_formatting_equals_babel_for_integers(value):
    assert f.number(value) == f._babel_number(Decimal(value), 0)


def test_symbols_and_grouping_are_babels():
    from babel.numbers import (
        get_decimal_symbol,
        get_group_symbol,
        get_minus_sign_symbol,
    )

    locale = f._babel_locale()
    assert (f.GROUP_SYMBOL, f.DECIMAL_SYMBOL, f.MINUS_SIGN) == (
        f._tidy(get_group_symbol(locale)), f._tidy(get_decimal_symbol(locale)), f._tidy(get_minus_sign_symbol(locale)))
    assert locale.decimal_formats[None].grouping == (3, 3)  # what Python's "," format spec does


def test_month_names_are_babels():
    locale = f._babel_locale()
    assert f.MONTHS == tuple(locale.months["format"]["wide"][m] for m in range(1, 13))


def test_long_dates_equal_babels_every_day_of_decades():
    day, end = dt.date(1990, 1, 1), dt.date(2041, 1, 1)
    while day < end:
        assert f.date_long(day) == f._babel_date(day), day
        day += dt.timedelta(days=1)


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_long_dates_equal_babels(day):
    assert f.date_long(day) == f._babel_date(day)
