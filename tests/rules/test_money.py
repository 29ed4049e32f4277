"""money._apportion's short cuts (whole-krona quantum, nothing left over) give the very same
Decimals, exponent included, as the plain largest-remainder steps they skip."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.rules.money import _apportion, round_parts


def _apportion_reference(total, weights, quantum):
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        weights = [Decimal(1)] * len(weights)
        weight_sum = Decimal(len(weights))
    exact = [total * w / weight_sum for w in weights]
    floors = [(x / quantum).to_integral_value(rounding=ROUND_DOWN) * quantum for x in exact]
    left = int(((total - sum(floors, Decimal(0))) / quantum).to_integral_value(rounding=ROUND_HALF_UP))
    order = sorted(range(len(weights)), key=lambda i: (-abs(exact[i] - floors[i]), i))
    step = quantum if left >= 0 else -quantum
    for i in order[: abs(left)]:
        floors[i] += step
    return floors


def _round_parts_reference(parts, quantum):
    total = sum(parts, Decimal(0))
    rounded_total = total.quantize(quantum, rounding=ROUND_HALF_UP) if quantum <= 1 else \
        (total / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum
    if not parts:
        return [], rounded_total
    if any(p < 0 for p in parts):
        return [(p / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum for p in parts], rounded_total
    if total == 0:
        return [Decimal(0) * quantum for _ in parts], rounded_total
    if len(parts) == 1:
        return [rounded_total], rounded_total
    first = parts[0]
    if first != 0 and all(p == first for p in parts):
        return None  # apportion's equal-weights path, checked against _apportion in test_ledger
    return _apportion_reference(rounded_total, list(parts), quantum), rounded_total


def _exactly(values):
    return [v.as_tuple() for v in values]


QUANTA = [Decimal(1), Decimal("1E+0"), Decimal("1.0"), Decimal("0.01"), Decimal(1000), Decimal("0.1")]
# Amounts as the model makes them (öre), whole kronor with other exponents, and finer ones.
amounts = st.one_of(
    st.decimals(min_value=0, max_value=10**11, places=2),
    st.integers(min_value=0, max_value=10**11).map(Decimal),
    st.decimals(min_value=0, max_value=10**6, places=5),
    st.integers(min_value=0, max_value=10**6).map(lambda i: Decimal(i).scaleb(2)),
)


@pytest.mark.slow
@given(units=st.integers(min_value=-10**13, max_value=10**13), weights=st.lists(amounts, min_size=2, max_size=12),
       quantum=st.sampled_from(QUANTA))
def test_apportion_gives_the_same_decimals_as_the_plain_steps(units, weights, quantum):
    total = units * quantum
    assert _exactly(_apportion(total, weights, quantum)) == _exactly(_apportion_reference(total, weights, quantum))


@pytest.mark.slow
@given(parts=st.lists(amounts, max_size=15), quantum=st.sampled_from(QUANTA))
def test_round_parts_gives_the_same_decimals_as_the_plain_steps(parts, quantum):
    expected = _round_parts_reference(parts, quantum)
    if expected is None:
        return
    rounded, total = round_parts(parts, quantum)
    assert _exactly(rounded) == _exactly(expected[0]) and total.as_tuple() == expected[1].as_tuple()


def test_whole_kronor_are_left_as_they_are():
    parts = [Decimal("100.00"), Decimal("250.00"), Decimal("7.00")]
    rounded, total = round_parts(parts, Decimal(1))
    assert rounded == parts and total == Decimal(357)
    assert _exactly(rounded) == _exactly(_apportion_reference(total, parts, Decimal(1)))


@given(units=st.lists(st.integers(min_value=0, max_value=10**13), min_size=1, max_size=15),
       exponent=st.integers(min_value=-4, max_value=0))
def test_whole_kronor_written_alike_round_to_the_same_decimals_as_the_plain_steps(units, exponent):
    # round_parts' shortcut for a column of whole kronor of one exponent ("100.00", "7.00"):
    # the same Decimals as apportioning them.
    parts = [Decimal(u).quantize(Decimal(1).scaleb(exponent)) for u in units]
    expected = _round_parts_reference(parts, Decimal(1))
    if expected is None:
        return
    rounded, total = round_parts(parts, Decimal(1))
    assert _exactly(rounded) == _exactly(expected[0]) and total.as_tuple() == expected[1].as_tuple()
