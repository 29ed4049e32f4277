"""Issue #20, class 1: data printed as markup. Every way a template can combine a value from the
inputs with its own Markdown (``~``, ``|md`` of a concatenation, ``|join``, ``|e``, Markdown ``+``,
``%`` and ``format``) gives the value back as text: one paragraph or caption, no new heading, list,
link or table, and the value's words intact."""

from __future__ import annotations

import jinja2
import pytest

from reportgen.document.tree import Heading, Paragraph, Table, iter_blocks, plain_text
from reportgen.formats.markdown.reader import parse
from reportgen.report import render as R
from reportgen.report.render import Markdown

PAYLOADS = [
    "Kammarkollegiet\n# Rubrik",
    'Kammar"} # inte en rubrik {caption="x',
    "Län\r\n\r\n| a | b |\n|---|---|\n| 1 | 2 |",
    "[klicka](javascript:alert(1)) och ![bild](/etc/passwd)",
    "*fet* _kursiv_ `kod` <b>html</b> &amp; &#35;",
    "- listpunkt\n1. numrerad\n> citat",
    "slut med utropstecken!",
    "\\\\server\\share {.totals}",
]

TEMPLATES = {
    "concat_md": "{% macro t(r) %}{caption=\"Tabell 1. {{ r|md }}\" .totals}{% endmacro %}"
                 "{{ t('Återbetalning till ' ~ x) }}\n| a |\n|---|\n| 1 |\n",
    "concat_caption": "{% macro t(r) %}{caption=\"Tabell 1. {{ r }}\"}{% endmacro %}"
                      "{{ t('Återbetalning till ' ~ x) }}\n| a |\n|---|\n| 1 |\n",
    "heading": "# Rubrik {{ x }}\n\ntext\n",
    "heading_concat": "# {{ 'Om ' ~ x }}\n\ntext\n",
    "join": "{{ [m, x]|join(', ') }}\n",
    "escape_filter": "{{ x|e }}\n",
    "markdown_plus": "{{ m + x }}\n",
    "markdown_format": "{{ m2.format(x) }}\n",
    "markdown_percent": "{{ m3 % x }}\n",
    "cell": "| a | b |\n|---|---|\n| {{ x }} | {{ 'k ' ~ x }} |\n",
}


def _render(name: str, value: str) -> str:
    env = R._sandbox(jinja2.DictLoader(TEMPLATES))
    text, findings = R.render(env, name, {"x": value, "m": Markdown("*fet* "), "m2": Markdown("*{}*"),
                                          "m3": Markdown("*%s*")})
    assert findings == [] and text is not None
    return text


def _words(s: str) -> list[str]:
    return "".join(c if c.isalnum() else " " for c in s).split()


@pytest.mark.parametrize("value", PAYLOADS, ids=range(len(PAYLOADS)))
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_data_stays_text(name, value):
    doc, findings = parse(_render(name, value))
    blocks = list(iter_blocks(doc.blocks))
    headings = [b for b in blocks if isinstance(b, Heading)]
    tables = [b for b in blocks if isinstance(b, Table)]
    assert len(headings) == (1 if name.startswith("heading") else 0), blocks
    assert len(tables) == (1 if name in ("concat_md", "concat_caption", "cell") else 0), blocks
    if name.startswith("concat"):
        caption = tables[0].caption
        assert caption is not None and caption.startswith("Tabell 1. Återbetalning till ")
        assert _words(caption)[4:] == _words(value)
        return
    text = " ".join(plain_text(b.inlines) if isinstance(b, (Heading, Paragraph)) else "" for b in blocks)
    if name == "cell":
        text = " ".join(plain_text(c) for row in tables[0].rows for c in row)
    for word in _words(value):
        assert word in _words(text)
    assert not [f for f in findings if f.is_error]
