"""reportgen.ooxml.xmltext writes the same text as xml.sax.saxutils (which it replaces, to keep
urllib.request, http.client and email out of a build)."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from reportgen.ooxml.xmltext import escape, quoteattr

_TEXT = st.text(alphabet=st.sampled_from(list("ab &<>\"'\n\r\t\u00e9\u2212")) | st.characters())


@given(_TEXT)
def test_same_as_saxutils(text):
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)


def test_quote_choice():
    assert quoteattr('a"b') == "'a\"b'"
    assert quoteattr("a\"b'c") == '"a&quot;b\'c"'
    assert quoteattr("x\ty\n<&>") == '"x&#9;y&#10;&lt;&amp;&gt;"'
