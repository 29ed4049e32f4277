"""Validation shortcuts (a fast path: ``REPORTGEN_FAST_PATHS=0`` turns them off).

The common case first, with the result the general code gives it, and everything else handed to
the general code:

* the model's value parsers (``inputs/model.py``): an amount, a date, a year, a count, a county
  code, a choice or an id of the exact type and in range is taken without the full checks (the
  inputs of 10 000 projects hold 400 000 such values); a date written as text is parsed once per
  distinct text;
* the rows of finances.xlsx (``inputs/load.py``): a sheet whose distinct texts hold no Excel
  error value or control character and whose date columns hold no number is taken as it is,
  without a look at each cell; in other sheets, a row with nothing to say about any cell is.

Each factory takes the general function and returns the shortcut in front of it; this module
imports nothing of reportgen, so the general code can choose at import time (the model's types
are made then). tests/inputs/test_validate_fast_paths.py compares each shortcut with the general
code on generated values and inputs.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from re import Pattern
from typing import Any


def money(general: Callable[[Any], Decimal], below: int) -> Callable[[Any], Decimal]:
    """Whole kronor and doubles written with at most two decimals, from zero up to ``below``
    (finances.xlsx has 90 000 amounts at 10 000 projects)."""
    below_float = float(below)
    oere = Decimal("0.01")

    def parse(value: Any) -> Decimal:
        kind = value.__class__
        if kind is int and 0 <= value < below:
            return Decimal(value).quantize(oere)
        if kind is float and 0 <= value < below_float:
            text = repr(value)
            decimals = len(text) - text.find(".") - 1  # a repr has a digit after the dot, or an exponent
            if "e" not in text and decimals <= 2:
                # Written with two decimals, the text is already what quantize() would make of it.
                return Decimal(text) if decimals == 2 else Decimal(text + "0")
        return general(value)
    return parse


def date(general: Callable[[Any], dt.date]) -> Callable[[Any], dt.date]:
    """A date cell as it is; a date written in YAML parsed once per distinct text (the same few
    hundred days recur across 10 000 projects). Errors are never remembered."""
    of_text = functools.lru_cache(maxsize=4096)(general)

    def parse(value: Any) -> dt.date:
        kind = value.__class__
        if kind is dt.date:
            return value
        if kind is str:
            return of_text(value)
        return general(value)
    return parse


def int_between(general: Callable[[Any], int], low: int, high: float) -> Callable[[Any], int]:
    """An ``int`` (not a bool) from ``low`` to ``high`` as it is."""
    def parse(value: Any) -> int:
        if value.__class__ is int and low <= value <= high:
            return value
        return general(value)
    return parse


def member(general: Callable[[Any], str], allowed: Collection[str]) -> Callable[[Any], str]:
    """A text that is exactly one of ``allowed`` as it is."""
    exact = frozenset(allowed)

    def parse(value: Any) -> str:
        if value.__class__ is str and value in exact:
            return value
        return general(value)
    return parse


def matching(general: Callable[[Any], str], pattern: Pattern[str]) -> Callable[[Any], str]:
    """A text that ``pattern`` matches in full (no stripping needed) as it is."""
    fullmatch = pattern.fullmatch

    def parse(value: Any) -> str:
        if value.__class__ is str and fullmatch(value):
            return value
        return general(value)
    return parse


def plain_sheet(looked_again: bool, texts: Iterable[str], letters: Iterable[str], rows: list[Any],
                excel_errors: frozenset[str], control: Pattern[str], date_columns: Collection[str]) -> bool:
    """Whether no cell of a sheet needs a word or a change before validation: no formula or
    error value, no text with a control character, no number in a date column. Judged from the
    sheet's distinct ``texts`` and its date columns, rather than cell by cell."""
    texts = list(texts)
    if looked_again or not excel_errors.isdisjoint(texts) or control.search("\n".join(texts)):
        return False
    for key in letters:
        if key in date_columns:
            for row in rows:
                if isinstance(row.values.get(key), (int, float)):
                    return False
    return True


def plain_row(values: dict[str, Any], plain: set[str], excel_errors: frozenset[str], control: Pattern[str],
              date_columns: Collection[str]) -> bool:
    """Whether a row without formulas needs nothing done to its values. ``plain`` holds the texts
    already seen to be neither an Excel error nor to hold a control character (the reader gives
    equal texts as one object, and a project id is in many rows); it grows as rows are judged."""
    for key, value in values.items():
        if value.__class__ is str:
            if value not in plain:
                if value in excel_errors or control.search(value):
                    return False
                plain.add(value)
        elif isinstance(value, str) or (key in date_columns and isinstance(value, (int, float))):
            return False
    return True
