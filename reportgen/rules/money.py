"""Exact money arithmetic: splitting an amount into parts that add up to it to the öre."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_UP, Decimal, getcontext

OERE = Decimal("0.01")
_KRONA = Decimal(1).as_tuple()  # a quantum of one: Decimal(1), not Decimal("1.0")


def apportion(total: Decimal, weights: Sequence[Decimal], quantum: Decimal = OERE) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` into multiples of ``quantum`` that sum to ``total``.

    Largest remainder method: each part is rounded down, then the quanta left over go to the parts
    with the largest remainders (ties to the earlier part), so the result is deterministic. ``total``
    must itself be a multiple of ``quantum``.
    """
    if not weights:
        return []
    if len(weights) == 1:  # most projects lie in one county: nothing to split
        return [total]
    first = weights[0]
    if first != 0 and all(w == first for w in weights):
        return _apportion_equally(total, len(weights), quantum)
    return _apportion(total, weights, quantum)


def _apportion_equally(total: Decimal, n: int, quantum: Decimal) -> list[Decimal]:
    """What :func:`_apportion` gives for ``n`` equal weights, without its sorting: every part
    has the same remainder, so the quanta left over go to the first parts."""
    floor = (total / n / quantum).to_integral_value(rounding=ROUND_DOWN) * quantum
    left = int(((total - floor * n) / quantum).to_integral_value(rounding=ROUND_HALF_UP))
    step = quantum if left >= 0 else -quantum
    left = abs(left)
    return [floor + step] * left + [floor] * (n - left)


def _apportion(total: Decimal, weights: Sequence[Decimal], quantum: Decimal) -> list[Decimal]:
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        weights = [Decimal(1)] * len(weights)
        weight_sum = Decimal(len(weights))
    exact = [total * w / weight_sum for w in weights]
    if quantum.as_tuple() == _KRONA:
        # Dividing by and multiplying with Decimal(1) gives back the very same Decimal (value and
        # exponent): skip both for tables in whole kronor, the common case.
        floors = [x.to_integral_value(rounding=ROUND_DOWN) for x in exact]
    else:
        floors = [(x / quantum).to_integral_value(rounding=ROUND_DOWN) * quantum for x in exact]
    left = int(((total - sum(floors, Decimal(0))) / quantum).to_integral_value(rounding=ROUND_HALF_UP))
    if not left:  # nothing left over (e.g. parts already in whole quanta): the order is not needed
        return floors
    # By the size of the remainder: for a negative total the parts are rounded towards zero, so the
    # remainders are negative and the largest in size must take the quanta left over.
    order = sorted(range(len(weights)), key=lambda i: (-abs(exact[i] - floors[i]), i))
    step = quantum if left >= 0 else -quantum
    for i in order[: abs(left)]:
        floors[i] += step
    return floors


def round_parts(parts: Sequence[Decimal], quantum: Decimal) -> tuple[list[Decimal], Decimal]:
    """Round ``parts`` to ``quantum`` so that the rounded parts add up to the rounded total.

    The total is rounded half-up; the parts are apportioned by the largest remainder method, so
    a table of rounded figures still adds up. Returns (rounded parts, rounded total).
    """
    total = sum(parts, Decimal(0))
    rounded_total = total.quantize(quantum, rounding=ROUND_HALF_UP) if quantum <= 1 else \
        (total / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum
    if not parts:
        return [], rounded_total
    if any(p < 0 for p in parts):
        # Signed parts (a column of differences): largest remainder too, since the table prints
        # their total under them. Each part is rounded down (toward −∞), and the quanta left to
        # reach the rounded total go to the largest remainders (ties to the earlier part).
        scaled = [p / quantum for p in parts]
        floors = [s.to_integral_value(rounding=ROUND_FLOOR) for s in scaled]
        left = int((rounded_total / quantum) - sum(floors, Decimal(0)))
        order = sorted(range(len(parts)), key=lambda i: (-(scaled[i] - floors[i]), i))
        for i in order[:left]:
            floors[i] += 1
        return [f * quantum for f in floors], rounded_total
    if total == 0:
        return [Decimal(0) * quantum for _ in parts], rounded_total
    first = parts[0]
    exponent = first.as_tuple().exponent
    if quantum.as_tuple() == _KRONA and exponent <= 0 \
            and 2 * total.adjusted() + 2 - exponent <= getcontext().prec \
            and all(p.same_quantum(first) and p == p.to_integral_value() for p in parts):
        # Whole kronor already, all written alike (a column of a table in kronor, as a rule): each
        # part is its own rounding and they add up to their total. Apportioning gives the same
        # Decimals (exponent 0) through a multiplication and a division per part, as long as the
        # product fits the context's precision (which bounds the digits of total × part).
        return [p.quantize(quantum) for p in parts], rounded_total
    return apportion(rounded_total, list(parts), quantum), rounded_total
