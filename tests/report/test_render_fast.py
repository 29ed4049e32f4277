"""The rendering fast paths give what Jinja's own code and the plain filters give.

The sandbox compiles ``{{ x }}`` without Jinja's HTML ``escape()`` around the finalized value
(render._CodeGenerator), finalize looks at exact types first, and ``|och`` caches its joins.
Each is checked here against the slow path it replaces.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import jinja2
import pytest
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from reportgen.formats.markdown.reader import escape
from reportgen.report import formatting as f
from reportgen.report import render as R
from reportgen.report.render import Markdown

#: The sandbox with Jinja's own code generator for printing values: the reference. ``~`` is
#: compiled as reportgen's in both (Markdown escaping, not HTML: see test_concat_escapes_data_as_markdown).
_StockGenerator = type("_StockGenerator", (CodeGenerator,), {"visit_Concat": R._CodeGenerator.visit_Concat})
_StockSandbox = type("_StockSandbox", (R._Sandbox,), {"code_generator_class": _StockGenerator})

TEMPLATES = {
    "values": "{{ s }}|{{ m }}|{{ n }}|{{ 5 }}|{{ 'a & b' }}|{{ u }}|{{ mu }}\n",
    "filters": "{{ a|kr }} {{ a|kr(2) }} {{ a|mnkr }} {{ share|procent }} {{ d|datum }} {{ d|iso }} {{ l|och }}\n",
    "macro": "{% macro k(x) %}[{{ x }}]{% endmacro %}{{ k(s) }} {{ k(m) }} {{ k(k(s)) }}\n",
    "caller": "{% macro w() %}<{{ caller() }}>{% endmacro %}{% call w() %}{{ s }}{% endcall %}\n",
    "set_block": "{% set b %}{{ s }}*{% endset %}{{ b }} {{ b ~ s }}\n",
    "concat": "{{ s ~ '!' }} {{ m ~ s }} {{ (a|kr) ~ ' & ' ~ s }}\n",
    "autoescape_off": "{% autoescape false %}{{ s }} {{ m }}{% endautoescape %} {{ s }}\n",
    "loop": "{% for r in rows %}| {{ r.name }} | {{ r.amount|kr }} | {{ loop.index }} |\n{% endfor %}",
    "imports": "{% import 'lib' as lib %}{% include 'part' %}{{ lib.cell(s) }}\n",
    "lib": "{% macro cell(x) %}**{{ x }}**{% endmacro %}",
    "part": "{{ m }} {{ s }}\n",
    "undefined": "{{ nothing }}\n",
    "cond_without_else": "{{ s if false }}\n",
    "decimal": "{{ a }}\n",
    "date": "{{ d }}\n",
    "none": "{{ no }}\n",
    "dict": "{{ rows[0] }}\n",
    "unsafe": "{{ s.__class__.__mro__ }}\n",
    "unsafe_dict_method": "{{ rows[0].items }}\n",
    "dict_key_named_like_a_method": "{{ row.items }} {{ row.name }}\n",
    # Fields of the typed context are read directly (render._Sandbox.getattr, by class), anything
    # else of the same objects through the sandbox's checks.
    "dataclass_fields": "{{ dc.name }} {{ dc.amount|kr }} {{ sub.name }} {{ sub.extra }} {{ dc.label }}\n",
    "str_attribute": "{{ s.name }}\n",
    "dataclass_unsafe": "{{ sub.__class__ }}\n",
    "dataclass_missing": "{{ dc.extra }}\n",
}

@dataclasses.dataclass
class _Row:
    name: str
    amount: Decimal

    @property
    def label(self) -> str:
        return self.name + "!"


@dataclasses.dataclass
class _SubRow(_Row):
    extra: str = "x_y"


CONTEXT = {
    "s": "FoU & <utveckling> *2* [x] #1 | ~ {y} \"q\" - ", "m": Markdown("*fet* & [länk](u)"), "n": 12,
    "u": type("Str", (str,), {})("_sub_"), "mu": type("Mu", (Markup,), {})("*mu*"),
    "a": Decimal("-1234567.495"), "share": Decimal("0.1234"), "d": dt.date(2021, 3, 31),
    "l": ["Skåne län", Markdown("*Gotlands* län"), "A & B"], "no": None,
    "rows": [{"name": "Ett_*", "amount": Decimal("10.5")}, {"name": "Två", "amount": Decimal(0)}],
    "row": {"items": "item text", "name": "n"},
    "dc": _Row("Rad *1*", Decimal(7)), "sub": _SubRow("Sub", Decimal(1)),
}


def _environments() -> tuple[R._Sandbox, R._Sandbox]:
    loader = jinja2.DictLoader(TEMPLATES)
    return R._sandbox(loader), R._sandbox(loader, _StockSandbox)


def _outcome(env: R._Sandbox, name: str) -> tuple:
    text, findings = R.render(env, name, dict(CONTEXT))
    return text, [(x.code, x.message) for x in findings]


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_same_text_and_findings_as_jinjas_own_code(name):
    ours, stock = _environments()
    assert _outcome(ours, name) == _outcome(stock, name)


def test_the_fast_code_is_in_use_and_the_sandbox_still_refuses():
    ours, stock = _environments()
    source = TEMPLATES["values"]
    assert "escape(environment.finalize(" not in ours.compile(source, raw=True)
    assert "escape(environment.finalize(" in stock.compile(source, raw=True)
    # In a block whose autoescaping is off, Jinja's code is kept.
    assert "str(environment.finalize(" in ours.compile(TEMPLATES["autoescape_off"], raw=True)
    assert _outcome(ours, "unsafe")[1][0][0] == "template-unsafe"
    assert _outcome(ours, "values")[0].startswith(escape(CONTEXT["s"]) + "|*fet* & [länk](u)|12|")


def test_finalize_gives_the_same_markup_for_every_kind_of_text():
    sub = type("Sub", (str,), {})
    for value in ("a*b", sub("a*b"), Markup("<b>"), Markdown("*x*"), type("M2", (Markdown,), {})("*y*"), 7):
        out = R._finalize(value)
        assert isinstance(out, Markup)
        expected = str(value) if isinstance(value, Markup) else escape(str(value))
        assert str(out) == expected


def _join_and_uncached(values) -> str:
    return f.join_and([str(v) if isinstance(v, Markup) else escape(str(v)) for v in values])


@pytest.mark.parametrize("values", [
    [], ["a"], ["a", "b"], ["a", "b", "c"], ["*a*"], [Markdown("*a*")], ["*a*", Markdown("*a*")],
    [Markdown("*a*"), "*a*"], [1, 2, Decimal("3.50")], ["x & y", "[z]"], ("t", "u"), "abc",
])
def test_join_and_is_the_plain_join_and_keeps_text_and_markdown_apart(values):
    for _ in range(2):  # the second time from the caches
        out = R._join_and(values)
        assert isinstance(out, Markdown)
        assert str(out) == _join_and_uncached(values)
    assert str(R._join_and(iter(list(values)))) == _join_and_uncached(values)


def test_number_formatting_refuses_what_it_refused_before():
    with pytest.raises(ValueError):
        f.kr(Decimal(1), True)  # a yes/no where a number of decimals belongs: the format spec ".Truef"
    with pytest.raises(ValueError):
        f.kr(Decimal(1), -1)
    assert f.kr(Decimal("1234.5"), 7) == "1\u00a0234,5000000\u00a0kr"  # beyond the precomputed specs
