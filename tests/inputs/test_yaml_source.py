"""The YAML reader's own machinery: tag resolution and the alias limit, against what they replace.

The resolver looks words up instead of trying a pattern per scalar, and the alias limit starts
from the nodes the composer made instead of a set of every node built: both must give what
PyYAML's general resolution and an exact count of the distinct nodes give.
"""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.inputs.sources import yaml as yaml_source
from reportgen.inputs.sources.yaml import load_yaml

# Texts near the resolvers' edges: the words in every case, numbers in YAML 1.2 forms and not.
_EDGES = ["", "~", "null", "Null", "NULL", "nULL", "nul", "none", "true", "True", "TRUE", "tRUE", "false",
          "False", "FALSE", "yes", "no", "on", "off", "y", "n", "0", "-0", "+1", "010", "0o17", "0o8", "0x1F",
          "0xG", "1.5", "-.5", ".5", "1.", "1e3", "1E-3", "1e", ".inf", "-.inf", "+.Inf", ".NaN", ".nan", "-.nan",
          "12:30", "2019-03-31", "1_000", "true ", " true", "-", "+", ".", "-x", "t", "f", "N", "nan"]


def _general(value: str, plain: bool) -> str:
    """PyYAML's own resolution over the reader's table of implicit resolvers."""
    loader = yaml_source._CoreSchemaLoader("")
    try:
        return yaml.resolver.BaseResolver.resolve(loader, yaml.ScalarNode, value, (plain, not plain))
    finally:
        loader.dispose()


def test_resolve_gives_what_the_general_resolution_gives_at_the_edges():
    for value in _EDGES:
        for plain in (True, False):
            assert yaml_source._resolve(yaml_source._CoreSchemaLoader(""), yaml.ScalarNode, value, (plain, not plain)) \
                == _general(value, plain), (value, plain)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="-+.0123456789eExXoOabfinlNrsTtuFLU~_: ", max_size=8))
def test_resolve_gives_what_the_general_resolution_gives(value):
    loader = yaml_source._CoreSchemaLoader("")
    assert yaml_source._resolve(loader, yaml.ScalarNode, value, (True, False)) == _general(value, True)
    assert loader.nodes_made == 1


_ALIASED = """\
areas: &areas [a, b, {c: d}]
first: *areas
second: *areas
tagged: !!str 5
numbers: [1, 2.5, true, ~]
"""


def test_the_composer_counts_each_distinct_node_once_and_never_more():
    root, made = yaml_source._compose(_ALIASED)
    # The explicitly tagged scalar is not resolved, so not counted: a count never above the real one.
    assert made == yaml_source._distinct_nodes(root) - 1
    root, made = yaml_source._compose(_ALIASED.replace("!!str ", ""))
    assert made == yaml_source._distinct_nodes(root)


def test_an_honest_document_with_aliases_is_not_walked_to_count_its_nodes(tmp_path, monkeypatch):
    walks = []
    monkeypatch.setattr(yaml_source, "_distinct_nodes", lambda root: walks.append(root) or 0)
    monkeypatch.setattr(yaml_source, "ALIAS_ALLOWANCE", 10)
    # The aliases come first and expand to more than four times the nodes met by then; the
    # document's own nodes, most of them after, keep it far below the limit.
    path = tmp_path / "a.yaml"
    path.write_text("shared: &s [" + ", ".join(f"x{i}" for i in range(30)) + "]\nuses: [*s, *s, *s, *s, *s]\n"
                    "items:\n" + "".join(f"- {{id: {i}, name: n{i}}}\n" for i in range(200)), "utf-8")
    doc, found = load_yaml(path, "a.yaml")
    assert found == [] and len(doc.data["items"]) == 200 and doc.data["uses"][4][29] == "x29"
    assert walks == []


def test_the_alias_limit_reported_is_the_exact_one(tmp_path, monkeypatch):
    monkeypatch.setattr(yaml_source, "ALIAS_ALLOWANCE", 5)
    path = tmp_path / "bomb.yaml"
    path.write_text("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b, *b]\n", "utf-8")
    doc, found = load_yaml(path, "bomb.yaml")
    root, _ = yaml_source._compose(path.read_text("utf-8"))
    limit = 5 + 4 * yaml_source._distinct_nodes(root)
    assert doc is None
    assert [(f.code, f.message) for f in found] == [
        ("yaml-too-large", f"the document expands to more than {limit} values through its aliases")]
