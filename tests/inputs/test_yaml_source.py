"""The YAML reader's tag resolution against PyYAML's general resolution over the same table.

The resolver looks the core schema's words up by the first character instead of trying a
pattern per scalar: it must resolve every plain and quoted text as the table does.
"""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.inputs.sources import yaml as yaml_source

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
            assert yaml_source._resolve(None, yaml.ScalarNode, value, (plain, not plain)) == _general(value, plain), \
                (value, plain)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="-+.0123456789eExXoOabfinlNrsTtuFLU~_: ", max_size=8))
def test_resolve_gives_what_the_general_resolution_gives(value):
    for plain in (True, False):
        assert yaml_source._resolve(None, yaml.ScalarNode, value, (plain, not plain)) == _general(value, plain)


def test_collections_resolve_as_before():
    for kind, tag in ((yaml.SequenceNode, "tag:yaml.org,2002:seq"), (yaml.MappingNode, "tag:yaml.org,2002:map")):
        assert yaml_source._resolve(None, kind, None, (True, False)) == tag
