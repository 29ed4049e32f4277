"""Swedish number formatting: fixed examples, and the fast path checked against Babel itself."""

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
