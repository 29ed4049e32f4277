"""Named quantities: every figure a deliverable prints, with its value, how it was computed and
where in the inputs it comes from; and the figure map a render records of them.

The template context holds money and counts as :class:`Amount` (a Decimal) and :class:`Count`
(an int) that carry a name (``disbursed.total``, ``indicators.companies``), how they were
computed and their sources (cells of finances.xlsx, places in programme.yaml). The formatting
filters and the printing of counts note every figure printed, with the template line that
printed it, in the :class:`FigureMap` of the render. From it the build checks that

* every figure printed is a named quantity (a template cannot compute or invent a number);
* a quantity printed in several places prints the same value everywhere (to the coarsest
  precision it is printed with: "62,4 mnkr" and "62 427 570 kr" agree);
* every total printed with its rows adds up to them as printed;

and writes ``<id>.figures.json`` beside the outputs, which ``reportgen explain`` reads from.
"""

from __future__ import annotations

import contextvars
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from json.encoder import encode_basestring

from reportgen.findings import Finding, Location, error
from reportgen.inputs.yaml_edit import format_path

FIGURE_UNNAMED = "figure-unnamed"
#: How a written figure map names the inputs folder (``inputs/finances.xlsx:Beviljat!D7``),
#: whatever it was called and wherever the build ran; ``reportgen explain`` names it as given.
INPUTS_LABEL = "inputs/"
FIGURE_INCONSISTENT = "figure-inconsistent"
FIGURE_TOTAL = "figure-total"

Sources = Callable[[], Iterable[object]] | tuple


class _Named:
    """What Amount and Count share: the quantity's name, how it was computed, its sources."""

    __slots__ = ()

    def describe(self) -> dict:
        out: dict = {"value": _plain(self), "how": self.how}
        exact = getattr(self, "exact", None)
        if exact is not None and exact != self:
            out["exact"] = _plain(exact)
        if self.members or self.terms:
            # A total's places are its rows' (listed under them): "parts" names them, and a
            # computed figure's are its terms'. Not repeating them keeps the map of a large
            # programme small (``explain`` follows the names down to the cells).
            out["sources"] = []
        else:
            # In the order the records were read (row by row), each place once.
            out["sources"] = list(dict.fromkeys(map(str, self.sources())))
        if self.parts:
            out["parts"] = list(self.parts)
        if self.split:
            out["split"] = [dict(s) for s in self.split]
        if self.refs:
            out["numerator"], out["denominator"] = self.refs[0].name, self.refs[1].name
        if self.terms:
            out["terms"] = _terms(self.terms)
        return out

    def sources(self) -> list:
        src = self._src
        if callable(src):
            # Computed once: a total's sources are its rows', and both are described.
            src = self._src = tuple(src())
        return list(src)


class Amount(_Named, Decimal):
    """Money or a share (a fraction), with its name. Arithmetic on it gives plain Decimals: a
    figure computed in a template has no name, and printing it is refused."""

    __slots__ = ("_src", "exact", "how", "members", "name", "parts", "refs", "split", "terms")

    def __new__(cls, value, name: str, how: str = "", sources: Sources = (), exact: Decimal | None = None,
                parts: tuple[str, ...] = (), split: tuple = (), refs: tuple = (), terms: tuple = ()):
        self = Decimal.__new__(cls, value)
        self.name, self.how, self._src, self.exact, self.parts, self.split = name, how, sources, exact, parts, split
        self.refs = refs
        # (weight, quantity[, part]): the value is the sum of weight × quantity (a balance is
        # +requisitioned −disbursed …), or of the parts where given (a county's apportioned
        # share of a project in several counties).
        self.terms = terms
        self.members = ()  # the named rows of a total (their places are the total's)
        return self

    def __reduce__(self):  # pickled to forked workers' results never, but copy/deepcopy use it
        return (_amount, (Decimal(self), self.name, self.how, tuple(self.sources()), self.exact, self.parts, self.split,
                          self.refs, self.terms))

    def __repr__(self) -> str:
        return f"Amount({str(Decimal(self))!r}, {self.name!r})"


class Count(_Named, int):
    """A number of things (projects, companies), with its name. (An int subclass cannot have
    slots: its attributes live in its __dict__.)"""

    def __new__(cls, value: int, name: str, how: str = "", sources: Sources = (), parts: tuple[str, ...] = (),
                split: tuple = ()):
        self = int.__new__(cls, value)
        self.name, self.how, self._src, self.exact, self.parts, self.split = name, how, sources, None, parts, split
        self.refs = ()
        self.terms = ()
        self.members = ()
        return self

    def __reduce__(self):
        return (_count, (int(self), self.name, self.how, tuple(self.sources()), self.parts, self.split))

    def __repr__(self) -> str:
        return f"Count({int(self)}, {self.name!r})"


def _amount(*args):
    return Amount(*args)


def _count(*args):
    return Count(*args)


def _plain(value) -> str:
    if isinstance(value, int):
        return str(int(value))
    return str(Decimal(value))


def total_of(parts: list, name: str, value=None, count: bool = False, how: str = "sum of the rows"):
    """A total of named parts (their sum, unless ``value`` is given): its sources are theirs,
    its parts their names (the totals check adds them up as printed)."""
    parts = list(parts)
    amount = value if value is not None else sum((Decimal(p) for p in parts), Decimal(0))
    srcs = [p for p in parts if isinstance(p, _Named)]

    def sources():
        return [s for p in srcs for s in p.sources()]

    names = tuple(p.name for p in srcs)
    if count:
        total = Count(int(amount), name, how, sources, names)
    else:
        exact = sum((p.exact if getattr(p, "exact", None) is not None else Decimal(p) for p in parts), Decimal(0))
        total = Amount(amount, name, how, sources, exact=exact, parts=names)
    total.members = tuple(srcs)
    return total


def share_of(numerator, denominator, name: str) -> Amount | None:
    """``numerator / denominator`` as a named share (None when the denominator is zero)."""
    if denominator is None or Decimal(denominator) == 0 or numerator is None:
        return None
    value = Decimal(numerator) / Decimal(denominator)
    srcs = [q for q in (numerator, denominator) if isinstance(q, _Named)]
    return Amount(value, name, f"share: {getattr(numerator, 'name', '?')} / {getattr(denominator, 'name', '?')}",
                  lambda: [s for q in srcs for s in q.sources()], refs=tuple(srcs))


def rounded(value: Decimal, exact, name: str | None = None) -> Amount:
    """A table cell: ``value`` rounded from the named ``exact`` (largest remainder)."""
    if isinstance(exact, Amount):
        if (name is None or name == exact.name) and value == exact:
            # Nothing to round (whole kronor): the quantity itself, as it was read ("4041584.00"
            # prints as "4 041 584 kr" all the same). A copy for each cell of a column of
            # 10 000 projects would be 10 000 more quantities, per column and deliverable.
            return exact
        rounded_ = Amount(value, name or exact.name, exact.how, exact._src, exact=Decimal(exact), parts=exact.parts,
                          split=exact.split, refs=exact.refs, terms=exact.terms)
        rounded_.members = exact.members
        return rounded_
    return Amount(value, name or "?", "", (), exact=exact)


# --- recording what a render prints ----------------------------------------------------------

@dataclass
class Printed:
    text: str
    place: str  # template file:line
    unit: str
    decimals: int


@dataclass
class FigureMap:
    """The figures one render printed, by quantity name."""

    deliverable: str
    as_of: str | None = None
    quantities: dict[str, _Named] = field(default_factory=dict)
    printed: dict[str, list[Printed]] = field(default_factory=dict)
    unnamed: list[Printed] = field(default_factory=list)
    related: dict[str, _Named] = field(default_factory=dict)  # parts of shares, sums: not printed themselves
    # The inputs folder as the sources name it (its display path): the written map names it
    # ``inputs`` instead, so that where the build ran from does not change its bytes.
    inputs_folder: str | None = None
    # (compiled template code, its instruction) -> "templates/x.md.j2:41": a report prints tens
    # of thousands of figures from a few hundred template lines.
    _places: dict = field(default_factory=dict, repr=False, compare=False)

    def note(self, value, text: str, unit: str, decimals: int) -> None:
        place = _template_place(self._places)
        if not isinstance(value, _Named):
            self.unnamed.append(Printed(text, place, unit, decimals))
            return
        name = value.name
        printed = self.printed.get(name)
        if printed is None:
            self.quantities[name] = value
            printed = self.printed[name] = []
        printed.append(Printed(text, place, unit, decimals))

    # -- checks --

    def check(self) -> list[Finding]:
        findings = []
        for p in self.unnamed:
            findings.append(error(FIGURE_UNNAMED, f"the template prints the figure '{p.text}', which is no named "
                                  "quantity of the ledger (computed in the template, or not from the context)",
                                  _location(p.place), hint="print a quantity of the context as it is"))
        for name in sorted(self.printed):
            occurrences = self.printed[name]
            if len(occurrences) < 2:
                continue
            quantum = max(_quantum(p) for p in occurrences)
            values = {}
            for p in occurrences:
                parsed = parse_figure(p.text)
                if parsed is None:
                    continue
                values.setdefault((parsed / quantum).quantize(Decimal(1), ROUND_HALF_UP) * quantum, p)
            if len(values) > 1:
                first, second = list(values.values())[:2]
                findings.append(error(FIGURE_INCONSISTENT, f"the quantity '{name}' is printed as '{first.text}' "
                                      f"({first.place}) and as '{second.text}' here", _location(second.place),
                                      hint="one quantity has one value: print the same value of the context"))
        findings += self._check_totals()
        return findings

    def _check_totals(self) -> list[Finding]:
        findings = []
        for name, q in sorted(self.quantities.items()):
            if not q.parts or not q.how.startswith("sum"):
                continue
            for p in self.printed[name]:
                texts = []
                for part in q.parts:
                    same = [x for x in self.printed.get(part, ()) if (x.unit, x.decimals) == (p.unit, p.decimals)]
                    if not same:
                        break
                    texts.append(same[0].text)
                else:
                    total = parse_figure(p.text)
                    summed = sum((parse_figure(t) or Decimal(0) for t in texts), Decimal(0))
                    if total is not None and total != summed:
                        findings.append(error(FIGURE_TOTAL, f"the total '{name}' is printed as '{p.text}', but its "
                                              f"{len(texts)} rows as printed add up to {summed}",
                                              _location(p.place), hint="round the rows so that they add up to the "
                                              "rounded total (reportgen.report.context.money_table)"))
        return findings

    # -- the map as JSON --

    def _all_quantities(self) -> dict[str, _Named]:
        """The quantities printed and, through their parts, terms and shares, those they are made of."""
        names = dict(self.quantities)
        todo = list(names.values())
        pop, push = todo.pop, todo.append
        while todo:
            q = pop()
            # Most quantities (a project's grant, a year's sum) are made of nothing further.
            if q.refs or q.members or q.terms:
                for part in _related(q):
                    if part.name not in names:
                        names[part.name] = part
                        push(part)
        return names

    def as_dict(self) -> dict:
        out: dict = {}
        names = self._all_quantities()
        for name in sorted(names):
            q = names[name]
            entry = q.describe()
            entry["printed"] = [{"text": p.text, "place": p.place} for p in self.printed.get(name, ())]
            out[name] = entry
        return {"deliverable": self.deliverable, "as_of": self.as_of, "quantities": out}

    def to_json(self) -> bytes:
        """The map as JSON, one quantity a line: ``as_dict`` as text, written directly (a large
        programme has tens of thousands of quantities, and building the dicts first, then
        encoding them, cost as much as the rest of its figures).

        Each line is encoded to UTF-8 as it is made: the "how" texts hold a "−" (U+2212), which
        would make the whole map one string of two bytes a character to widen and encode at the end.
        """
        text = encode_basestring  # a JSON string, as json.dumps(ensure_ascii=False) writes it

        known: dict[str, str] = {}

        def repeated(value: str) -> str:  # "how" and template places: a few hundred distinct texts
            found = known.get(value)
            if found is None:
                found = known[value] = text(value)
            return found

        # Built from inside the inputs folder, its files are named bare ("finances.xlsx:…").
        prefix = None if self.inputs_folder is None else \
            "" if self.inputs_folder in ("", ".") else self.inputs_folder.rstrip("/") + "/"
        cut = 0 if prefix is None else len(prefix)

        def sources_json(places) -> str:
            places = dict.fromkeys(map(str, places))
            if prefix is None:
                return "[" + ",".join(map(text, places)) + "]"
            return "[" + ",".join([text(INPUTS_LABEL + p[cut:] if p.startswith(prefix) else p)
                                   for p in places]) + "]"

        printed_of = self.printed.get
        plain_decimal, plain_int = Decimal.__str__, int.__repr__
        names = self._all_quantities()
        lines = []
        for name in sorted(names):
            q = names[name]
            plain = plain_int if isinstance(q, int) else plain_decimal
            out = [text(name), ': {"value":"', plain(q), '","how":', repeated(q.how)]
            exact = q.exact
            if exact is not None and exact != q:
                out += [',"exact":"', _plain(exact), '"']
            terms = q.terms
            if q.members or terms:
                out.append(',"sources":[]')
            else:
                out += [',"sources":', sources_json(q.sources())]
            if q.parts:
                out += [',"parts":[', ",".join(map(text, q.parts)), "]"]
            if q.split:
                out += [',"split":[', ",".join(f'{{"project":{text(x["project"])},"share":{text(x["share"])}}}'
                                              for x in q.split), "]"]
            if q.refs:
                out += [',"numerator":', text(q.refs[0].name), ',"denominator":', text(q.refs[1].name)]
            if terms:
                out += [',"terms":[', ",".join([_term_json(t) for t in terms]), "]"]
            printed = printed_of(name)
            if printed:
                out += [',"printed":[', ",".join([f'{{"text":{text(p.text)},"place":{repeated(p.place)}}}'
                                                 for p in printed]), "]}"]
            else:
                out.append(',"printed":[]}')
            lines.append("".join(out).encode("utf-8"))
        head = json.dumps({"deliverable": self.deliverable, "as_of": self.as_of}, ensure_ascii=False)[:-1]
        return b"".join([(head + ', "quantities": {\n').encode("utf-8"), b",\n".join(lines), b"\n}}\n"])


def _term_json(term: tuple) -> str:
    """One of :func:`_terms` as JSON text."""
    weight = encode_basestring(str(term[0]))
    if len(term) > 2 and term[2] is not None:
        return f'[{weight},{encode_basestring(term[1].name)},"{_plain(term[2])}"]'
    return f"[{weight},{encode_basestring(term[1].name)}]"


def _terms(terms: tuple) -> list:
    # [weight, quantity] or, where a share was apportioned to the öre, [weight, quantity, the
    # part]. A weight is "1", "-1" or a fraction of a project in several groups ("1/3").
    return [[str(t[0]), t[1].name] + ([_plain(t[2])] if len(t) > 2 and t[2] is not None else []) for t in terms]


#: A cited cell or range of one column: ``…finances.xlsx:Utbetalningar!C7`` or ``…!C2:C110``
#: (groups: the part up to "!", the column, the first row, the last row's column and row).
CELL_RANGE = re.compile(r"^(.*!)([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$")


def cell_ranges(prefix: str, column: str, rows: Iterable[int]) -> list[str]:
    """Rows of one column cited as ranges of consecutive rows, in order, a row listed twice
    once: ``prefix`` is the place up to the "!" (``inputs/finances.xlsx:Utbetalningar!``)."""
    runs: list[list[int]] = []
    for n in sorted(set(rows)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [f"{prefix}{column}{a}" if a == b else f"{prefix}{column}{a}:{column}{b}" for a, b in runs]


def yaml_place(file: str, path) -> str:
    """A place in a YAML file by its path, ``inputs/programme.yaml#projects[3].indicators.companies``
    (``reportgen explain`` turns it into a line and column)."""
    return f"{file}#{format_path(path)}"


def _related(q) -> list:
    return [*q.refs, *q.members, *(t[1] for t in q.terms)]


_RECORDER: contextvars.ContextVar[FigureMap | None] = contextvars.ContextVar("reportgen_figures", default=None)


def recording(figures: FigureMap):
    """Record the figures printed while the returned token is set (``reset`` it after)."""
    return _RECORDER.set(figures)


def stop_recording(token) -> None:
    _RECORDER.reset(token)


def note(value, text: str, unit: str, decimals: int) -> None:
    figures = _RECORDER.get()
    if figures is not None:
        figures.note(value, text, unit, decimals)


def _template_place(cache: dict) -> str:
    """The template file and line being rendered (Jinja's compiled code maps its lines back)."""
    frame = sys._getframe(2)
    while frame is not None:
        # By the code's id and the instruction: hashing a code object hashes all of its bytecode,
        # and f_lineno scans the line table of the template's (very long) compiled function, every
        # time. The entry holds the code, so that its id cannot be reused while the entry exists.
        found = cache.get((id(frame.f_code), frame.f_lasti))
        if found is not None:
            return found[1]
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            try:
                line = template.get_corresponding_lineno(frame.f_lineno)
            except Exception:  # noqa: BLE001 - a line is a courtesy
                line = 0
            place = f"{_display(template.filename or template.name or '?', os.getcwd())}:{line}"
            cache[(id(frame.f_code), frame.f_lasti)] = (frame.f_code, place)
            return place
        frame = frame.f_back
    return "?"


@functools.lru_cache(maxsize=256)
def _display(file: str, cwd: str) -> str:
    """A template's file as the map names it: reportgen's own templates as ``templates/…``
    wherever reportgen is installed (the map of the same inputs is the same bytes on every
    machine), a project's own relative to the working folder, as findings name files."""
    from pathlib import Path

    from reportgen.inputs.load import display_path
    from reportgen.report.resources import package_templates

    path = Path(file)
    try:
        return "templates/" + path.resolve().relative_to(package_templates().resolve()).as_posix()
    except (ValueError, OSError):
        return display_path(path)


def _location(place: str) -> Location:
    file, _, line = place.rpartition(":")
    return Location(file, int(line)) if line.isdecimal() and file else Location(place)


# --- reading a printed figure back -------------------------------------------------------------

_SCALES = {"kr": Decimal(1), "tkr": Decimal(1000), "mnkr": Decimal(1_000_000), "%": Decimal("0.01"), "": Decimal(1)}


def split_unit(text: str) -> tuple[str, str]:
    t = text.replace("\u00a0", " ").strip()
    for unit in ("mnkr", "tkr", "kr", "%"):
        if t.endswith(unit):
            return t[: -len(unit)].strip(), unit
    return t, ""


def parse_figure(text: str) -> Decimal | None:
    """``"62 427 570 kr"`` → 62427570; ``"62,4 mnkr"`` → 62400000; ``"5,0 %"`` → 0.050."""
    number, unit = split_unit(text)
    number = number.replace(" ", "").replace("\u2212", "-").replace(",", ".")
    try:
        return Decimal(number) * _SCALES[unit]
    except InvalidOperation:
        return None


def _quantum(p: Printed) -> Decimal:
    return Decimal(1).scaleb(-p.decimals) * _SCALES.get(p.unit, Decimal(1))


def normalize_text(text: str) -> str:
    """A figure as a user may type it: no-break and thin spaces are spaces, the minus a hyphen."""
    return " ".join(text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u2212", "-").split())
