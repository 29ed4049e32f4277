"""Replacing one text of a YAML file in place: every other byte stays."""

from __future__ import annotations

import difflib

import pytest
import yaml
from conftest import EXAMPLE_INPUTS
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.inputs.yaml_edit import (
    YamlEditError,
    format_path,
    parse_path,
    replace_scalar,
    scalar_style,
    value_at,
)

DOC = """\
# A comment that must stay
texts:
  a-1:
    lit: |
      First line
      second line.

      Second paragraph.
    fold: >-
      Folded text
      over two lines.
    plain: just plain   # trailing comment
    quoted: "double \\"quoted\\""
    single: 'single'
list:
  - one
  - {name: x, v: "flow"}
"""


@pytest.mark.parametrize(("path", "value", "style"), [
    (("texts", "a-1", "lit"), "New first paragraph.\n\nAnd a *second*.\n", "|"),
    (("texts", "a-1", "fold"), "A new folded text.", ">"),
    (("texts", "a-1", "plain"), "new: plain # not a comment", "'"),  # quoted where plain cannot hold it
    (("texts", "a-1", "quoted"), 'still "double"', '"'),
    (("texts", "a-1", "single"), "it's single", "'"),
    (("list", 0), "uno", None),
    (("list", 1, "v"), "flödet", '"'),
])
def test_only_the_value_changes(path, value, style):
    new = replace_scalar(DOC, path, value)
    data = yaml.safe_load(new)
    assert value_at(data, path) == value
    expected = yaml.safe_load(DOC)
    target = expected
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    assert data == expected
    assert scalar_style(new, path) == style
    # Every line outside the value is the same, comments included.
    assert "# A comment that must stay" in new and "# trailing comment" in new
    old_lines, new_lines = DOC.splitlines(), new.splitlines()
    prefix = 0
    while old_lines[prefix] == new_lines[prefix]:
        prefix += 1
    suffix = 0
    while old_lines[-1 - suffix] == new_lines[-1 - suffix]:
        suffix += 1
    assert len(old_lines) - prefix - suffix <= 4  # the value's own lines only


def test_a_folded_text_that_folding_cannot_hold_becomes_literal():
    value = "A list:\n\n- one\n- two"
    new = replace_scalar(DOC, ("texts", "a-1", "fold"), value)
    assert yaml.safe_load(new)["texts"]["a-1"]["fold"] == value
    assert scalar_style(new, ("texts", "a-1", "fold")) == "|"


def test_no_text_there_is_an_error():
    with pytest.raises(YamlEditError):
        replace_scalar(DOC, ("texts", "a-1"), "x")
    with pytest.raises(YamlEditError):
        replace_scalar(DOC, ("texts", "nope"), "x")


@pytest.mark.slow  # every text of the example, each rewritten and parsed again: ~7 s
def test_every_text_of_the_example_can_be_rewritten_in_place():
    text = (EXAMPLE_INPUTS / "programme.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for i, project in enumerate(data["projects"]):
        path = ("projects", i, "summary")
        new = replace_scalar(text, path, project["summary"] + " Ny mening.")
        assert value_at(yaml.safe_load(new), path) == project["summary"] + " Ny mening."
        # Only the summary's last line changed (the sentence is added after it).
        removed = [line for line in difflib.ndiff(text.splitlines(), new.splitlines()) if line.startswith("- ")]
        assert len(removed) <= 1, removed


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 50), st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]),
                                                        min_size=1, max_size=8)), min_size=1, max_size=4))
def test_places_read_back(steps):
    steps = ["root", *steps]
    assert parse_path(format_path(steps)) == tuple(steps)


def test_places_look_as_the_document_shows_them():
    assert format_path(("projects", 3, "summary")) == "projects[3].summary"
    assert format_path(("texts", "slutredovisning-2021", "sammanfattning")) == \
        "texts.slutredovisning-2021.sammanfattning"
    assert format_path(("texts", "a.b")) == 'texts["a.b"]'
