"""The context's short cuts: project rows made once per ledger, and indicators split without Decimal.

Each is checked against what the plain computation gives, and the row cache against the changes
that must not reach a context through it: another ledger, other focus area names, a caller that
edits a context it was given.
"""

from __future__ import annotations

import dataclasses
import gc
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reportgen.inputs.load import Inputs, load_inputs
from reportgen.inputs.model import COUNTIES
from reportgen.report import context as D
from reportgen.rules.ledger import Ledger
from reportgen.rules.money import apportion

EXAMPLE = Path(__file__).resolve().parents[2] / "inputs"
FINAL = "slutredovisning-2021"


@pytest.fixture(scope="module")
def shipped() -> Inputs:
    inputs, findings = load_inputs(EXAMPLE)
    assert inputs is not None and not [f for f in findings if f.is_error]
    return inputs


def _with_project_title(inputs: Inputs, index: int, title: str) -> Inputs:
    projects = list(inputs.programme.projects)
    projects[index] = projects[index].model_copy(update={"title": title})
    return dataclasses.replace(inputs, programme=inputs.programme.model_copy(update={"projects": projects}))


def _with_focus_area_names(inputs: Inputs, suffix: str) -> Inputs:
    areas = [a.model_copy(update={"name": a.name + suffix}) for a in inputs.decision.focus_areas]
    return dataclasses.replace(inputs, decision=inputs.decision.model_copy(update={"focus_areas": areas}))


# --- project rows --------------------------------------------------------------------------------

def test_contexts_of_one_ledger_equal_those_of_fresh_ledgers(shipped):
    shared = Ledger(shipped)
    for deliverable_id in D.deliverable_ids(shipped):
        assert D.build_context(shipped, shared, deliverable_id) == D.build_context(shipped, Ledger(shipped),
                                                                                   deliverable_id)
    again = D.build_context(shipped, shared, FINAL)
    assert again == D.build_context(shipped, Ledger(shipped), FINAL)


def test_a_context_edited_by_its_caller_does_not_change_the_next_one(shipped):
    ledger = Ledger(shipped)
    first = D.build_context(shipped, ledger, FINAL)
    expected = D.build_context(shipped, Ledger(shipped), FINAL)
    first.annex[0].title = "edited"
    first.projects.rows[0].granted = Decimal(-1)
    assert D.build_context(shipped, ledger, FINAL) == expected
    assert D.build_context(shipped, ledger, "delrapport-2020").projects.rows[0].title != "edited"


def test_each_ledger_has_its_own_rows(shipped):
    first = D.build_context(shipped, Ledger(shipped), FINAL)
    changed_inputs = _with_project_title(shipped, 0, "En annan titel")
    changed = D.build_context(changed_inputs, Ledger(changed_inputs), FINAL)
    assert first.annex[0].title == shipped.programme.projects[0].title
    assert changed.annex[0].title == "En annan titel"
    assert [r.title for r in changed.projects.rows].count("En annan titel") == 1


def test_rows_follow_the_focus_area_names_of_the_inputs(shipped):
    ledger = Ledger(shipped)
    before = D.build_context(shipped, ledger, FINAL)
    renamed = D.build_context(_with_focus_area_names(shipped, " (nytt namn)"), ledger, FINAL)
    assert not any(name.endswith(" (nytt namn)") for row in before.annex for name in row.focus_areas)
    assert all(name.endswith(" (nytt namn)") for row in renamed.annex for name in row.focus_areas)
    assert all(name.endswith(" (nytt namn)") for row in renamed.projects.rows for name in row.focus_areas)


def test_the_rows_go_with_their_ledger(shipped):
    ledger = Ledger(shipped)
    D.build_context(shipped, ledger, FINAL)
    key = id(ledger)
    assert D._ROWS_BY_LEDGER[key][0]() is ledger
    del ledger
    gc.collect()
    assert key not in D._ROWS_BY_LEDGER


# --- indicators per group ------------------------------------------------------------------------

@given(value=st.integers(min_value=0, max_value=10**9), n=st.integers(min_value=1, max_value=25),
       weight=st.sampled_from([Decimal(1), Decimal(50), Decimal("33.3"), Decimal("0.01")]))
def test_split_count_is_apportion_in_integers(value, n, weight):
    weights = [weight] * n
    assert D._split_count(value, weights) == [int(p) for p in apportion(Decimal(value), weights, Decimal(1))]


def _indicator_groups_reference(inputs, groups_of, names):
    sums = {}
    for p in inputs.programme.projects:
        if p.indicators is None:
            continue
        groups = groups_of(p)
        weights = [g.share if g.share is not None else Decimal(1) for g in groups]
        for key in D.GROUP_INDICATORS:
            v = getattr(p.indicators, key, None)
            if v is None:
                continue
            for g, part in zip(groups, apportion(Decimal(v), weights, Decimal(1))):
                sums.setdefault(g.code, {k: Decimal(0) for k in D.GROUP_INDICATORS})[key] += part
    order = list(names)
    rows = [{"key": k, "name": names.get(k, k), **{i: int(v) for i, v in sums[k].items()}}
            for k in sorted(sums, key=lambda k: order.index(k) if k in order else len(order))]
    return {"rows": rows, "total": {i: sum(r[i] for r in rows) for i in D.GROUP_INDICATORS}}


def _with_equal_shares_and_gaps(inputs: Inputs) -> Inputs:
    """Stated equal shares (50/50), a project whose indicators are all empty, one with some empty."""
    projects = list(inputs.programme.projects)
    for i, p in enumerate(projects):
        if len(p.focus_areas) == 2:
            areas = [a.model_copy(update={"share": Decimal(50)}) for a in p.focus_areas]
            projects[i] = p.model_copy(update={"focus_areas": areas})
            break
    with_indicators = [i for i, p in enumerate(projects) if p.indicators is not None]
    empty = projects[with_indicators[0]].indicators.model_copy(update={k: None for k in D.GROUP_INDICATORS})
    projects[with_indicators[0]] = projects[with_indicators[0]].model_copy(update={"indicators": empty})
    some = projects[with_indicators[1]].indicators.model_copy(update={"companies": None, "smes": None})
    projects[with_indicators[1]] = projects[with_indicators[1]].model_copy(update={"indicators": some})
    return dataclasses.replace(inputs, programme=inputs.programme.model_copy(update={"projects": projects}))


@pytest.mark.parametrize("variant", ["shipped", "equal shares and gaps"])
def test_indicator_groups_are_those_of_the_plain_computation(shipped, variant):
    inputs = shipped if variant == "shipped" else _with_equal_shares_and_gaps(shipped)
    areas = {a.id: a.name for a in inputs.decision.focus_areas}
    for groups_of, names in ((lambda p: p.focus_areas, areas), (lambda p: p.counties, COUNTIES)):
        got = D._indicator_groups(inputs, groups_of, names)
        assert got == _indicator_groups_reference(inputs, groups_of, names)
        assert [list(r) for r in got["rows"]] == [list(r) for r in _indicator_groups_reference(inputs, groups_of,
                                                                                                names)["rows"]]
