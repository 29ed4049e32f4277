"""The model's value parsers, made cheaper, give what they gave before on every kind of value;
the sheets' columns are the records' fields (the loader relies on it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from reportgen.inputs.load import SHEETS
from reportgen.inputs.model import (
    _ISO_DATE,
    MAX_MONEY,
    OERE,
    _found,
    parse_date,
    parse_money,
)


def _parse_money_before(value: Any) -> Decimal:
    """parse_money as it was (eaf0e82 to 6b0182d): quantized twice, the kinds tried in this order."""
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict, dt.date)):
        raise PydanticCustomError("money", "expected an amount in kronor, found {found}", {"found": _found(value)})
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, float):
        amount = Decimal(repr(value))
        rounded = amount.quantize(OERE) if amount.is_finite() and abs(amount) < MAX_MONEY else amount
        if amount.is_finite() and abs(amount - rounded) < Decimal("0.000001"):
            amount = rounded
    elif isinstance(value, str):
        text = value.strip()
        for token in ("\u00a0", "\u202f", "\u2009", " ", "kr", "SEK"):
            text = text.replace(token, "")
        text = text.replace("\u2212", "-")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise PydanticCustomError(
                "money", "expected an amount in kronor (e.g. 125000 or 125 000,50), found {found}",
                {"found": _found(value)}) from None
    else:
        raise PydanticCustomError("money", "expected an amount in kronor, found {found}", {"found": _found(value)})
    if not amount.is_finite():
        raise PydanticCustomError("money", "expected a finite amount, found {found}", {"found": _found(value)})
    if abs(amount) >= MAX_MONEY:
        raise PydanticCustomError("money", "expected an amount below 1 000 000 000 000 kr, found {found}",
                                  {"found": _found(value) if isinstance(value, str) else str(value)})
    if amount != amount.quantize(OERE):
        raise PydanticCustomError("money", "expected at most two decimals (öre), found {found}",
                                  {"found": str(amount)})
    if amount < 0:
        raise PydanticCustomError("money_negative", "expected an amount of zero or more, found {found}",
                                  {"found": str(amount)})
    return amount.quantize(OERE)


def _outcome(parse, value: Any) -> tuple:
    """The value with its exponent (Decimal('1.00') is not Decimal('1') here), or the error."""
    try:
        result = parse(value)
    except PydanticCustomError as exc:
        return ("error", exc.type, exc.message())
    return ("value", str(result), type(result))


class _Count(int):
    """An int of another class (an IntEnum, numpy's integers): not taken by the exact-class check."""


_MONEY_VALUES = st.one_of(
    st.integers(min_value=-10**13, max_value=10**13),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=-1e13, max_value=1e13).map(lambda f: round(f, 2)),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-10**13, max_value=10**13, places=3),
    st.text(alphabet="0123456789 ,.-−krSEK\u00a0", max_size=16),
    st.booleans(), st.none(), st.dates(), st.just([]), st.just({}),
    st.integers(min_value=-10**13, max_value=10**13).map(_Count),
)


@settings(max_examples=1500, deadline=None)
@given(_MONEY_VALUES)
def test_parse_money_gives_what_it_gave_before(value):
    assert _outcome(parse_money, value) == _outcome(_parse_money_before, value)


def test_parse_money_at_the_edges():
    for value in [0, 0.0, -0.0, 1, -1, 0.1 + 0.2, 123456.5, 1e12, 1e12 - 0.01, 10**12, 10**12 - 1, 1e-7, 0.005,
                  "125 000,50", "1e3", "nan", "-inf", True, False, Decimal("1.000"), Decimal("-0"), _Count(7)]:
        assert _outcome(parse_money, value) == _outcome(_parse_money_before, value), value


@pytest.mark.parametrize("spec", SHEETS, ids=lambda s: s.sheet)
def test_every_column_of_a_sheet_is_a_field_of_its_record(spec):
    # The loader validates a sheet's rows without pydantic's look for unknown keys: a row holds
    # its sheet's columns and "places", so each must be a field of the record.
    fields = set(spec.record.model_fields)
    assert {c.key for c in spec.columns} | {"places"} <= fields
    assert fields - {c.key for c in spec.columns} == {"places", "row"}


def _parse_date_before(value: Any) -> dt.date:
    """parse_date's text branch as it was: the groups read through a generator."""
    match = _ISO_DATE.match(value.strip())
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return "impossible"
    return "no date"


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.dates().map(dt.date.isoformat), st.text(alphabet="0123456789- ", max_size=12),
                 st.from_regex(r"\A[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}\Z")))
def test_parse_date_reads_text_as_before(text):
    try:
        found: Any = parse_date(text)
    except PydanticCustomError as exc:
        found = "impossible" if exc.type == "date_impossible" else "no date"
    assert found == _parse_date_before(text)
