"""Word's built-in style names, their localized aliases, and a style sheet that resolves them.

One table for every module that recognizes a style by its name: the accessibility check, the
.docx reader (and through it ``docx-text``, ``diff`` and the redline) and the writer, which
looks a role's style up in the base template. Current Word saves a built-in style under its
English name whatever its language; LibreOffice and older Word versions save the localized
name ("Rubrik 1", "Überschrift 1", "Titre 1"...). A name is compared without regard to case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.ooxml.ns import w

__all__ = ["BUILTIN", "WRITER_STYLES", "StyleSheet", "heading_level_of_name", "role_of_name"]

# "heading N" in the languages Word is localized to.
_HEADING_WORDS = ("heading", "rubrik", "überschrift", "uberschrift", "titre", "otsikko",
                  "overskrift", "kop", "título", "titulo", "titolo", "encabezado", "nagłówek",
                  "nadpis", "címsor", "заголовок", "başlık", "fyrirsögn", "pealkiri", "antraštė",
                  "virsraksts", "naslov")
_HEADING = re.compile(r"^(?:" + "|".join(_HEADING_WORDS) + r")\s*([1-9])$", re.IGNORECASE)
# "toc N": the table of contents levels.
_TOC = re.compile(r"^(?:toc|innehåll|verzeichnis|inhaltsverzeichnis|table des matières|"
                  r"sisällys|indholdsfortegnelse)\s*\d", re.IGNORECASE)
_CONTINUE = re.compile(r"^(?:list continue|listfortsättning|fortsättning på lista)"
                       r"(?:\s*([2-9]))?$", re.IGNORECASE)
_LIST_N = re.compile(r"^(?:list bullet|list number|punktlista|numrerad lista)\s+([2-9])$",
                     re.IGNORECASE)

#: Built-in role → the names (lower case) a style of that role has: the English built-in name
#: first, then its localized aliases.
BUILTIN: dict[str, tuple[str, ...]] = {
    "caption": ("caption", "beskrivning", "bildtext", "beschriftung", "légende", "kuvaotsikko",
                "billedtekst", "bijschrift"),
    "quote": ("quote", "citat", "intense quote", "starkt citat", "zitat", "citation"),
    "toc_heading": ("toc heading", "innehållsförteckningsrubrik", "inhaltsverzeichnisüberschrift",
                    "en-tête de table des matières"),
    "title": ("title", "subtitle", "rubrik", "underrubrik", "titel", "untertitel"),
    "code": ("html code", "html-kod", "code", "kod", "source code", "verbatim char"),
    "strong": ("strong", "stark", "fett"),
    "emphasis": ("emphasis", "betoning", "hervorhebung"),
    "normal": ("normal", "standard"),
    "list bullet": ("list bullet", "punktlista", "aufzählungszeichen"),
    "list number": ("list number", "numrerad lista", "listennummer"),
    "hyperlink": ("hyperlink", "hyperlänk", "link"),
}
_ROLE_OF = {name: role for role, names in BUILTIN.items() for name in names}

#: The styles the writer uses, by role → the style's built-in name in styles.xml (compared
#: without regard to case; a localized alias of it is accepted too). The second value says
#: whether a missing style is an error (else a fallback is used).
WRITER_STYLES: dict[str, tuple[str, bool]] = {
    "normal": ("Normal", True),
    "h1": ("heading 1", True),
    "h2": ("heading 2", True),
    "h3": ("heading 3", True),
    "h4": ("heading 4", True),
    "bullet": ("List Bullet", True),
    "number": ("List Number", True),
    "continue1": ("List Continue", False),
    "continue2": ("List Continue 2", False),
    "continue3": ("List Continue 3", False),
    "caption": ("caption", True),
    "table": ("Rapporttabell", True),
    "cell": ("Tabelltext", False),
    "quote": ("Quote", False),
    "toc_heading": ("TOC Heading", False),
    "toc1": ("toc 1", False),
    "toc2": ("toc 2", False),
    "toc3": ("toc 3", False),
    "hyperlink": ("Hyperlink", False),
    "code": ("HTML Code", False),
}


def heading_level_of_name(name: str) -> int | None:
    """1-9 for "heading N" or a localized "Rubrik N", "Überschrift N"... (also a style id such
    as "Heading1"); None for anything else."""
    m = _HEADING.match(name.strip())
    return int(m.group(1)) if m else None


def aliases(name: str) -> tuple[str, ...]:
    """The names (lower case) a style called ``name`` may have in a file: itself, and for a
    built-in style its localized aliases ("heading 2" → "rubrik 2", "überschrift 2"...)."""
    low = name.strip().lower()
    level = heading_level_of_name(low)
    if level is not None:
        return tuple(dict.fromkeys([low] + [f"{word} {level}" for word in _HEADING_WORDS]))
    m = _TOC.match(low)
    if m and low.startswith("toc "):
        return (low, f"innehåll {low[4:]}", f"verzeichnis {low[4:]}")
    role = _ROLE_OF.get(low)
    if role is None or BUILTIN[role][0] != low:
        return (low,)
    return BUILTIN[role]


def role_of_name(name: str) -> str | None:
    """caption, quote, toc_heading, title, code, strong, emphasis... or "continueN" for a
    style name (any case, built-in or localized)."""
    low = name.strip().lower()
    role = _ROLE_OF.get(low)
    if role is not None:
        return role
    m = _CONTINUE.match(low)
    if m:
        return f"continue{m.group(1) or 1}"
    return None


def list_level_of_name(name: str) -> int | None:
    """0-based list level of "List Bullet 2", "Numrerad lista 3"... (None for others)."""
    m = _LIST_N.match(name.strip())
    return int(m.group(1)) - 1 if m else None


def is_toc_name(name: str) -> bool:
    """A table of contents level style ("toc 1", "Innehåll 2"...)."""
    return _TOC.match(name.strip()) is not None


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


@dataclass(slots=True)
class Style:
    sid: str
    type: str
    name: str  # as written (the id when the style has no name)
    based_on: str | None
    outline: int | None  # w:outlineLvl of the style itself
    num: tuple[str | None, int | None] | None  # (numId, ilvl) of the style's own w:numPr
    lang: str | None  # w:lang of the style's run properties


def numpr(el) -> tuple[str | None, int | None] | None:
    """(numId, ilvl) of a ``w:numPr`` element (None when there is none)."""
    if el is None:
        return None
    nid = el.find(w("numId"))
    lvl = el.find(w("ilvl"))
    val = w("val")
    return (nid.get(val) if nid is not None else None,
            int(lvl.get(val)) if lvl is not None and (lvl.get(val) or "").isdecimal() else None)


class StyleSheet:
    """The styles of ``word/styles.xml`` by id, with what readers ask resolved along
    ``w:basedOn`` (and cached: asked once a paragraph, answered once a style)."""

    def __init__(self, root) -> None:
        self.styles: dict[str, Style] = {}
        self.default_paragraph: str | None = None
        self.defaults_lang: str | None = None
        self._levels: dict[str | None, int | None] = {}
        if root is None:
            return
        val = w("val")
        lang = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('lang')}")
        self.defaults_lang = (lang.get(val) or None) if lang is not None else None
        for st in root.iter(w("style")):
            sid = st.get(w("styleId")) or ""
            name_el = st.find(w("name"))
            name = (name_el.get(val) if name_el is not None else None) or sid
            based = st.find(w("basedOn"))
            ppr = st.find(w("pPr"))
            outline = num = None
            if ppr is not None:
                o = ppr.find(w("outlineLvl"))
                if o is not None:
                    outline = _int(o.get(val))
                num = numpr(ppr.find(w("numPr")))
            lang = st.find(f"{w('rPr')}/{w('lang')}")
            typ = st.get(w("type")) or "paragraph"
            self.styles[sid] = Style(sid, typ, name, based.get(val) if based is not None else None,
                                     outline, num,
                                     (lang.get(val) or None) if lang is not None else None)
            if typ == "paragraph" and self.default_paragraph is None and (
                    st.get(w("default")) or "").lower() in ("1", "true", "on"):
                self.default_paragraph = sid

    # Back-compatible name of ``styles`` for the accessibility check.
    @property
    def by_id(self) -> dict[str, Style]:
        return self.styles

    def chain(self, sid: str | None):
        """The style and those it is based on, nearest first (a loop ends the chain)."""
        seen = set()
        while sid and sid in self.styles and sid not in seen:
            seen.add(sid)
            st = self.styles[sid]
            yield st
            sid = st.based_on

    def name(self, sid: str | None) -> str:
        """The style's name in lower case (the default paragraph style's for None)."""
        if sid is None:
            sid = self.default_paragraph
        st = self.styles.get(sid or "")
        return (st.name if st else (sid or "")).strip().lower()

    def heading_level(self, sid: str | None) -> int | None:
        """1-9 for a heading style: by the outline level of the style (or a style it is based
        on), else by a built-in or localized heading name or id; None for body text, titles
        and the table of contents heading."""
        try:
            return self._levels[sid]
        except KeyError:
            level = self._levels[sid] = self._heading_level(sid)
            return level

    def _heading_level(self, sid: str | None) -> int | None:
        if sid is None:
            return None
        if sid not in self.styles:
            return heading_level_of_name(sid)
        for st in self.chain(sid):
            if role_of_name(st.name) in ("title", "toc_heading"):
                return None
            if st.outline is not None:
                return st.outline + 1 if 0 <= st.outline <= 8 else None
            level = heading_level_of_name(st.name)
            if level is None:
                level = heading_level_of_name(st.sid)
            if level is not None:
                return level
        return None

    def role(self, sid: str | None) -> str | None:
        """caption, quote, toc_heading, title or continueN for a paragraph style."""
        role = role_of_name(self.name(sid))
        if role in ("caption", "quote", "toc_heading", "title") or (
                role and role.startswith("continue")):
            return role
        return None

    def char_role(self, sid: str | None) -> str | None:
        """code, b (strong) or i (emphasis) for a character style."""
        role = role_of_name(self.name(sid)) if sid else None
        return {"code": "code", "strong": "b", "emphasis": "i"}.get(role or "")

    def num(self, sid: str | None) -> tuple[str | None, int | None] | None:
        """The (numId, ilvl) of the nearest style in the chain that has a w:numPr."""
        for st in self.chain(sid):
            if st.num is not None:
                return st.num
        return None

    def numbered(self, sid: str | None) -> bool:
        """Whether the style makes a paragraph a list item (numId other than 0)."""
        num = self.num(sid)
        return num is not None and num[0] not in (None, "0")

    def is_toc(self, sid: str | None) -> bool:
        return is_toc_name(self.name(sid)) if sid is not None else False

    def list_level(self, sid: str | None) -> int | None:
        return list_level_of_name(self.name(sid))

    def default_lang(self) -> str | None:
        if self.defaults_lang:
            return self.defaults_lang
        for st in self.chain(self.default_paragraph):
            if st.lang:
                return st.lang
        return None
