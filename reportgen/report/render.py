"""The Jinja environment that renders a deliverable's Markdown, and its formatting filters.

Templates run sandboxed with StrictUndefined. Every value a template prints passes through
``finalize``: plain text is escaped so that it stays text in Markdown (a project called
``FoU & <utveckling> *2*`` stays exactly that), text marked as :class:`Markdown` (narrative from
the inputs, output of filters that build Markdown) goes in as Markdown, and raw numbers or dates
are refused, because a template must say how to format them (``|kr``, ``|datum``...).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import os
import re
import stat
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from reportgen.findings import Finding, Location, error
from reportgen.formats.markdown.reader import SOURCE_CLOSE, escape, source_open
from reportgen.report import formatting as f
from reportgen.report import precompiled
from reportgen.report.quantity import Count, note


class Markdown(Markup):
    """Text that is already Markdown: printed as is.

    It is a ``Markup`` so that Jinja's autoescaping machinery carries it (and the output of
    macros, which Jinja marks as Markup) through untouched; every other value is escaped for
    Markdown by ``_finalize`` before Jinja's HTML escape could see it.

    ``escape`` is the Markdown escape, not markupsafe's HTML one: Markup's own operations
    (``+``, ``%``, ``join``, ``format``) escape the plain text they take in with the class's
    ``escape``, so text from the inputs combined with Markdown stays text.
    """

    @classmethod
    def escape(cls, s: Any) -> Markdown:
        return _markdown_of(s)


class Sourced(Markdown):
    """Markdown from one place of the inputs (``source``, e.g. ``projects[3].summary``).

    Printed as a block (alone, between blank lines) it reaches the document tree wrapped in a
    Source, so that the .docx can mark where it came from and ``pull-edits`` can write an edit
    back there. Printed inline (inside a list item, after other text) it is plain Markdown.
    Markup's own methods (``+``, ``join``...) make a Sourced without a source, i.e. plain Markdown.
    """

    source: str | None = None

    def __new__(cls, text: str = "", source: str | None = None):
        obj = super().__new__(cls, text)
        obj.source = source
        return obj


# Private-use characters that bracket a Sourced value in the rendered text until
# ``_resolve_sources`` turns them into a Source's fenced div (or drops them, for inline values).
_OPEN, _MID, _CLOSE = "\ue0f0", "\ue0f1", "\ue0f2"
_MARKS = re.compile(f"[{_OPEN}{_MID}{_CLOSE}]")
_SPAN = re.compile(f"{_OPEN}([^{_MID}]*){_MID}([^{_CLOSE}]*){_CLOSE}")
# Lines of a value that the reader would take for a Source marker: escaped, so they stay text.
_FENCE_LIKE = re.compile(r"^:::(?= *$| \{source=)", re.MULTILINE)


def _sourced(value: Sourced) -> Markup:
    text = _MARKS.sub("", str(value))
    if not value.source:
        return Markup(text)
    text = _FENCE_LIKE.sub(r"\\:::", text)
    return Markup(f"{_OPEN}{_MARKS.sub('', value.source)}{_MID}{text}{_CLOSE}")


def _resolve_sources(text: str) -> str:
    """Each Sourced value printed as a block (its first line starts a line after a blank line or
    the start, its last ends a line before a blank line or the end) becomes a fenced div naming
    its source; the marks of values printed inline go (their text stays)."""
    if _OPEN not in text:
        return text

    def block(m: re.Match) -> str:
        body = m.group(2)
        start = m.start()
        if start:
            if text[start - 1] != "\n":
                return body
            previous = text.rfind("\n", 0, start - 1)
            if text[previous + 1:start - 1].strip(" \t"):
                return body
        if _ENDS_BLOCK.match(text, m.end()) is None or not body.strip():
            return body
        return f"{source_open(m.group(1))}\n\n{body.strip(chr(10))}\n\n{SOURCE_CLOSE}"

    return _SPAN.sub(block, text)


_ENDS_BLOCK = re.compile(r"[ \t]*(?:\n[ \t]*(?:\n|$)|$)")


class TemplateValueError(Exception):
    pass


def _finalize(value: Any) -> Markup:
    # Plain text and Markup are nearly every value printed: their exact types first, the rest
    # (subclasses too) takes the general path below.
    kind = type(value)
    if kind is str:
        return _escaped(value)
    if kind is Markdown or kind is Markup:
        return value
    if kind is Sourced:
        return _sourced(value)
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises UndefinedError here, naming what is missing
    if isinstance(value, Markup):  # Markdown from the inputs, or a macro's already-escaped output
        return value
    if isinstance(value, str):
        return _escaped(value)
    if isinstance(value, bool) or value is None:
        raise TemplateValueError(f"the template prints {value!r}; test it with 'if' instead of printing it")
    if isinstance(value, int):
        if isinstance(value, Count):
            text = str(int(value))
            note(value, text, "", 0)
            return Markup(text)
        return Markup(str(value))
    if isinstance(value, Decimal):
        raise TemplateValueError(f"the template prints the number {value} unformatted; use a filter such as "
                                 "|kr, |mnkr, |tal or |procent")
    if isinstance(value, dt.date):
        raise TemplateValueError(f"the template prints the date {value} unformatted; use |datum or |iso")
    raise TemplateValueError(f"the template prints a {type(value).__name__}; print its fields instead")


def _markdown_of(value: Any) -> Markdown:
    """``value`` as Markdown: Markup as it is, anything else as escaped text (the one escaping path)."""
    if isinstance(value, Markup):
        return value if type(value) is Markdown else Markdown(value)
    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises, naming what is missing
    return Markdown(_escaped(value if type(value) is str else str(value)))


def _concat(pieces: tuple, constant: tuple) -> Markdown:
    """``a ~ b ~ c`` in a template: the template's own string literals are its author's Markdown,
    every other piece (a value from the inputs, a number) is escaped as text. The result is
    Markdown, so printing it, passing it to a macro or marking it ``|md`` never turns data into
    markup: ``"Återbetalning till " ~ decision.repayment.to`` stays one line of text whatever the
    field holds (a newline and ``# Rubrik``, ``"}``...)."""
    return Markdown("".join([p if const else _markdown_of(p) for p, const in zip(pieces, constant)]))


def _escape_filter(value: Any) -> Markdown:
    """``|e``/``|escape``: Jinja's would escape for HTML, which leaves ``*``, ``#`` or a newline
    to act as Markdown; here it is the Markdown escape (Markup stays as it is, as in Jinja)."""
    return _markdown_of(value)


def _forceescape(value: Any) -> Markdown:
    return Markdown(_escaped(str(value)))


def _join(value, d: str = "", attribute=None) -> str | Markdown:
    """Jinja's ``join``, with Markdown escaping where Jinja would escape for HTML: when any item
    or the separator is Markup, the plain items are escaped as Markdown text."""
    items = list(value)
    if attribute is not None:
        items = [item[attribute] if isinstance(item, dict) else getattr(item, str(attribute)) for item in items]
    if not isinstance(d, Markup) and not any(isinstance(i, Markup) for i in items):
        return str(d).join(str(i) for i in items)
    return Markdown(_markdown_of(d).join([_markdown_of(i) for i in items]))


@functools.lru_cache(maxsize=65536)  # names of owners, counties, statuses recur on every row
def _escaped(text: str) -> Markup:
    return Markup(escape(text))


def _md(value: Any) -> Markdown:
    """Mark text as Markdown (for narrative text from the inputs)."""
    return value if isinstance(value, Markdown) else Markdown(str(value))


def _same_source(value: Any, text: str) -> Markdown:
    """``text`` made from ``value``, keeping the place in the inputs it came from."""
    return Sourced(text, value.source) if isinstance(value, Sourced) else Markdown(text)


def _join_and(values) -> Markdown:
    # The same few lists (a project's counties, its focus areas) are joined on every row: the
    # items are escaped through the cache, and the joined result is cached by their text.
    return _joined(tuple([v if isinstance(v, Markup) else _escaped(v if type(v) is str else str(v))
                          for v in values]))


@functools.lru_cache(maxsize=4096)
def _joined(items: tuple[str, ...]) -> Markdown:
    return Markdown(f.join_and(items))


def _indent_headings(value: Any, levels: int = 1) -> Markdown:
    """Push the headings in narrative Markdown down below the section they are placed in."""
    out = []
    for line in str(value).splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#") and line[: len(line) - len(stripped)] == "":
            hashes = len(stripped) - len(stripped.lstrip("#"))
            if stripped[hashes:hashes + 1] in (" ", ""):
                line = "#" * min(6, hashes + levels) + stripped[hashes:]
        out.append(line)
    return _same_source(value, "\n".join(out))


def _noted(fn, unit: str, default_decimals: int):
    """A formatting filter that notes the figure it prints in the render's figure map
    (reportgen.report.quantity): its quantity, text and template line."""

    def filter_(value, decimals=default_decimals):
        text = fn(value, decimals)
        if value is not None:
            note(value, text, unit, decimals)
        return text

    return filter_


FILTERS = {
    "kr": _noted(lambda v, decimals: f.kr(v, decimals), "kr", 0),
    "kr_tal": _noted(lambda v, decimals: f.kr(v, decimals, unit=False), "kr", 0),
    "tkr": _noted(lambda v, decimals: f.tkr(v, decimals), "tkr", 0),
    "mnkr": _noted(lambda v, decimals: f.mnkr(v, decimals), "mnkr", 1),
    "tal": _noted(lambda v, decimals: f.number(v, decimals), "", 0),
    "procent": _noted(lambda v, decimals: f.percent(v, decimals), "%", 1),
    "datum": f.date_long,
    "iso": f.date_iso,
    "md": _md,
    "och": _join_and,
    "rubriknivå": _indent_headings,
    # Jinja's own, made to escape for Markdown instead of HTML (see _escape_filter, _join).
    "e": _escape_filter,
    "escape": _escape_filter,
    "forceescape": _forceescape,
    "join": _join,
}


#: The wall-clock seconds one deliverable's template may take (REPORTGEN_RENDER_SECONDS changes
#: it). The report of 10 000 projects renders in a few seconds; a template that runs for minutes
#: (two nested loops of 10^5) is stopped with a finding at the line it was running.
RENDER_SECONDS = 60.0
#: How deeply macros may call macros (a macro that calls itself without end stops here, at its line,
#: long before Python's own recursion limit).
MAX_MACRO_DEPTH = 64


class TemplateBudgetError(Exception):
    """A template ran past its render budget (time or depth)."""


@dataclass
class _Budget:
    deadline: float
    seconds: float
    depth: int = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateBudgetError(f"the template ran for more than {self.seconds:g} s, the render budget of a "
                                      "deliverable; it was stopped here")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("reportgen_render_budget", default=None)


def render_seconds() -> float:
    value = os.environ.get("REPORTGEN_RENDER_SECONDS", "").strip()
    try:
        seconds = float(value)
    except ValueError:
        return RENDER_SECONDS
    return seconds if 0 < seconds < 1e9 else RENDER_SECONDS


def _budget_iter(iterable):
    """What a ``{% for %}`` loop iterates: the iterable, with the render budget's clock checked
    every 256 items (a loop with an empty body calls nothing the sandbox could check)."""
    budget = _BUDGET.get()
    if budget is None:
        return iterable
    return _budgeted(iterable, budget)


def _budgeted(iterable, budget: _Budget):
    budget.check_time()
    for n, item in enumerate(iterable, 1):
        if not n & 255:
            budget.check_time()
        yield item


#: The most characters or items a template may make with ``*`` (``'x' * 10**10`` would take gigabytes).
MAX_REPEAT = 1_000_000
#: The most bits the result of ``**`` may have (``9**9**9`` would compute for hours).
MAX_POWER_BITS = 10_000


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, less the HTML ``escape()`` around each value a template prints.

    With autoescape on, Jinja compiles ``{{ x }}`` to ``escape(environment.finalize(x))``.
    :func:`_finalize` returns Markup for every value it lets through (and raises for the rest),
    and ``escape`` of Markup is the same text in a new object: a call and an allocation per value
    printed, half the rendering time of a 10 000-project report. Only with this finalize,
    and where autoescaping is on and cannot change at run time; everything else is compiled as
    Jinja does. These two hooks are the ones jinja2.nativetypes overrides too.
    """

    def _finalize_is_markup(self, frame, finalize) -> bool:
        return (self.environment.finalize is _finalize and finalize.src == "environment.finalize("
                and frame.eval_ctx.autoescape is True and not frame.eval_ctx.volatile)

    def _output_child_pre(self, node, frame, finalize) -> None:
        if self._finalize_is_markup(frame, finalize):
            self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:
        if self._finalize_is_markup(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)

    def visit_For(self, node, frame) -> None:
        # Every loop iterates through environment.budget_iter (see _budget_iter).
        if hasattr(self.environment, "budget_iter") and not getattr(node, "_reportgen_budgeted", False):
            node.iter = jinja2.nodes.Call(jinja2.nodes.EnvironmentAttribute("budget_iter", lineno=node.iter.lineno),
                                          [node.iter], [], None, None, lineno=node.iter.lineno)
            node._reportgen_budgeted = True
        super().visit_For(node, frame)

    def visit_Concat(self, node, frame) -> None:
        # ``~`` with Markdown escaping (_concat) instead of Jinja's markup_join, which escapes
        # for HTML or not at all. Which pieces are the template's own literals is known here only.
        if not (frame.eval_ctx.autoescape is True and not frame.eval_ctx.volatile
                and hasattr(self.environment, "concat_markdown")):
            super().visit_Concat(node, frame)
            return
        self.write("environment.concat_markdown((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        flags = ", ".join("True" if isinstance(arg, jinja2.nodes.Const) and isinstance(arg.value, str) else "False"
                          for arg in node.nodes)
        self.write(f"), ({flags},))")


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, also against templates that would exhaust memory or time with ``*`` and ``**``.

    Jinja's sandbox stops attribute access to Python internals, but not arithmetic. Intercepted
    operators are not folded at compile time, so the check runs, and fails at its template line.
    """

    intercepted_binops = frozenset({"*", "**"})
    code_generator_class = _CodeGenerator
    concat_markdown = staticmethod(_concat)
    budget_iter = staticmethod(_budget_iter)

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        # A shipped template, unchanged, compiled ahead of time by this same environment's code
        # (reportgen.report.precompiled checks both): a third of a cold build spared.
        if isinstance(source, str) and not defer_init:
            shipped = precompiled.shipped(self, source, name, filename, raw)
            if shipped is not None:
                return shipped
        return super().compile(source, name, filename, raw, defer_init)

    def call(self, context, obj, /, *args, **kwargs):
        # The render budget: its clock at every call, and the depth of macro calls.
        budget = _BUDGET.get()
        if budget is None:
            return super().call(context, obj, *args, **kwargs)
        budget.check_time()
        if not isinstance(obj, jinja2.runtime.Macro):
            return super().call(context, obj, *args, **kwargs)
        budget.depth += 1
        try:
            if budget.depth > MAX_MACRO_DEPTH:
                raise TemplateBudgetError(f"macros call each other more than {MAX_MACRO_DEPTH} deep here (a macro "
                                          "that calls itself without end?)")
            return super().call(context, obj, *args, **kwargs)
        finally:
            budget.depth -= 1

    def call_binop(self, context, operator, left, right):
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_REPEAT:
                    raise jinja2.exceptions.SecurityError(
                        f"'*' would make {len(seq) * times} characters or items; at most {MAX_REPEAT} are allowed")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0 \
                and abs(left).bit_length() * right > MAX_POWER_BITS:
            raise jinja2.exceptions.SecurityError(f"'**' would make a number of more than {MAX_POWER_BITS} bits")
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj, attribute):
        # The context is made of dicts, and Jinja tries ``getattr(row, "title")`` before
        # ``row["title"]``: an AttributeError raised and caught for every field printed (a third
        # of the rendering time of a 10 000-project report). Looking the key up first gives the
        # same value: a key that is also a dict attribute (items, get...) still goes the long way.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        # A field of the typed context (reportgen.report.context): data, safe by construction;
        # the sandbox's check of each access is a fifth of the rendering time of a large report.
        # The field names are looked up once a class (for a class without fields, such as str,
        # the class attribute lookup raised and caught AttributeError on every access).
        kind = type(obj)
        fields = _FIELDS.get(kind)
        if fields is None:
            fields = _FIELDS[kind] = frozenset(getattr(kind, "__dataclass_fields__", None) or ())
        if attribute in fields:
            return obj.__dict__[attribute]
        return super().getattr(obj, attribute)


_DICT_ATTRIBUTES = frozenset(dir(dict))
# The dataclass fields of each class the templates have read an attribute of (none: empty).
_FIELDS: dict[type, frozenset[str]] = {}


class TemplateOutside(jinja2.TemplateNotFound):
    """A template that is a link to a file outside the template folder, or no regular file."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(name, f"the template '{name}' {reason}")
        self.reason = reason


class _FolderLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading only regular files inside the folder.

    Jinja refuses ``../`` in a template's name, but follows symbolic links: a template folder
    holding a link to a secret elsewhere would put the secret into the report. A link that stays
    inside the folder is fine; one that leaves it, a named pipe (which would block) or a device is
    refused before it is opened.
    """

    def get_source(self, environment, template):
        from reportgen.inputs.load import leaves_folder

        pieces = jinja2.loaders.split_template_path(template)
        for searchpath in self.searchpath:
            filename = os.path.join(searchpath, *pieces)
            try:
                st = os.stat(filename)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                raise TemplateOutside(template, "is not a regular file")
            if leaves_folder(Path(filename), Path(searchpath)):
                raise TemplateOutside(template, "is a link to a file outside the template folder; it is not read")
            break
        return super().get_source(environment, template)


def make_environment(template_dir: Path) -> ImmutableSandboxedEnvironment:
    """One environment per template folder and process: Jinja compiles each template once."""
    return _environment(str(Path(template_dir).resolve()))


@functools.lru_cache(maxsize=8)
def _environment(template_dir: str) -> ImmutableSandboxedEnvironment:
    return _sandbox(_FolderLoader(str(template_dir)), bytecode_cache=_bytecode_cache())


def shipped_environment(template_dir: Path) -> ImmutableSandboxedEnvironment:
    """The environment a build makes for ``template_dir``, without the cache of compiled
    templates: the one tools/precompile_templates.py compiles the shipped templates with."""
    return _sandbox(_FolderLoader(str(Path(template_dir).resolve())))


def _sandbox(loader: jinja2.BaseLoader, kind: type[_Sandbox] = _Sandbox,
             bytecode_cache: jinja2.BytecodeCache | None = None) -> _Sandbox:
    env = kind(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        autoescape=True,  # see Markdown: values are escaped for Markdown in _finalize, never as HTML
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.loopcontrols"],
        bytecode_cache=bytecode_cache,
    )
    env.filters.update(FILTERS)
    return env


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (Jinja checks each template's source before using one).

    The folder is per version of reportgen's code: the sandbox's checks run when a template is
    compiled, so code compiled by an older reportgen must not be reused.
    """
    from reportgen.output.cache import cache_root, code_hash

    root = cache_root()
    if root is None:
        return None
    folder = root / f"jinja-{code_hash()[:16]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def render(env: ImmutableSandboxedEnvironment, template: str, context) -> tuple[str | None, list[Finding]]:
    """Render ``template`` with ``context`` (a mapping, or a typed context with ``as_mapping``)
    within the render budget (:data:`RENDER_SECONDS`, :data:`MAX_MACRO_DEPTH`); errors name the
    template file and line."""
    if hasattr(context, "as_mapping"):
        context = context.as_mapping()
    seconds = render_seconds()
    token = _BUDGET.set(_Budget(time.monotonic() + seconds, seconds))
    try:
        return _render(env, template, context)
    finally:
        _BUDGET.reset(token)


def _render(env: ImmutableSandboxedEnvironment, template: str, context: dict) -> tuple[str | None, list[Finding]]:
    try:
        return _resolve_sources(env.get_template(template).render(context)), []
    except jinja2.TemplateSyntaxError as exc:
        where = Location(_template_path(env, exc.filename or exc.name or template), exc.lineno)
        return None, [error("template-syntax", f"template syntax error: {exc.message}", where)]
    except TemplateOutside as exc:
        # The including line when an include or import names it, else the template itself.
        where = _template_frame(env, exc, template)
        if where.line is None:
            where = Location(_template_path(env, exc.name or template))
        return None, [error("template-outside", exc.message or str(exc), where,
                            hint="copy the file into the template folder instead of linking to it")]
    except jinja2.TemplateNotFound as exc:
        # An include or import may name the missing template: point at its line.
        return None, [error("template-missing", f"the template '{exc.name}' does not exist",
                            _template_frame(env, exc, template))]
    except jinja2.UndefinedError as exc:
        return None, [error("template-undefined", f"the template uses something the inputs do not provide: {exc.message}",
                            _template_frame(env, exc, template),
                            hint="check the variable's name; `reportgen templates check` lists what is available")]
    except jinja2.exceptions.SecurityError as exc:
        return None, [error("template-unsafe", f"the template tried something the sandbox forbids: {exc}",
                            _template_frame(env, exc, template))]
    except TemplateValueError as exc:
        return None, [error("template-value", str(exc), _template_frame(env, exc, template))]
    except TemplateBudgetError as exc:
        return None, [error("template-budget", str(exc), _template_frame(env, exc, template),
                            hint=BUDGET_HINT)]
    except RecursionError as exc:  # includes that include themselves, recursive loops
        return None, [error("template-budget", "the template nests too deeply (includes or loops that call "
                            "themselves without end?)", _recurring_frame(env, exc, template), hint=BUDGET_HINT)]
    except MemoryError as exc:
        return None, [error("template-budget", "the template ran out of memory", _template_frame(env, exc, template),
                            hint=BUDGET_HINT)]
    except (TypeError, ValueError, ArithmeticError, AttributeError, KeyError, IndexError) as exc:
        return None, [error("template-error", f"the template failed: {type(exc).__name__}: {exc}",
                            _template_frame(env, exc, template))]


BUDGET_HINT = ("a template formats the inputs; loops over the inputs' lists and macros that call other macros "
               "are fine, work that grows without end is not (REPORTGEN_RENDER_SECONDS sets the time budget)")


def _template_path(env: ImmutableSandboxedEnvironment, name: str) -> str:
    from reportgen.inputs.load import display_path

    loader = env.loader
    if Path(name).is_file():  # Jinja reports the loaded file's own path
        return display_path(Path(name))
    if isinstance(loader, jinja2.FileSystemLoader) and not Path(name).is_absolute():
        return display_path(Path(loader.searchpath[0]) / name)
    return display_path(Path(name))


def _recurring_frame(env: ImmutableSandboxedEnvironment, exc: BaseException, template: str) -> Location:
    """The template line that recurs most often in the traceback: the include or call that
    repeats itself (the innermost line is wherever the recursion limit happened to strike)."""
    counts: dict[tuple[str, int], int] = {}
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            key = (filename, tb.tb_lineno)
            counts[key] = counts.get(key, 0) + 1
        tb = tb.tb_next
    if not counts:
        return _template_frame(env, exc, template)
    filename, line = max(counts, key=lambda k: counts[k])  # the first of the most frequent: outermost
    return Location(_template_path(env, filename), line)


def _template_frame(env: ImmutableSandboxedEnvironment, exc: BaseException, template: str) -> Location:
    """The innermost template line in the traceback (Jinja rewrites frames to template lines)."""
    tb = exc.__traceback__
    found: Location | None = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = Location(_template_path(env, filename), tb.tb_lineno)
        tb = tb.tb_next
    return found or Location(_template_path(env, template))
