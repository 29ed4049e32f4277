"""List numbering (``word/numbering.xml``): which list levels are bullets, where they start,
and which ``w:num`` restart a count, as the .docx reader and the redline need them."""

from __future__ import annotations

from reportgen.ooxml.ns import w

__all__ = ["Numbering"]

W_VAL = w("val")


class Numbering:
    """numId → per level: whether it is a bullet and where it starts."""

    def __init__(self, root) -> None:
        self.abstract: dict[str, dict[int, tuple[str, int]]] = {}
        self.nums: dict[str, tuple[str | None, dict[int, int]]] = {}
        if root is None:
            return
        for a in root.iter(w("abstractNum")):
            self.abstract[a.get(w("abstractNumId")) or ""] = _levels(a)
        for n in root.iter(w("num")):
            aid = n.find(w("abstractNumId"))
            overrides: dict[int, int] = {}
            for o in n.findall(w("lvlOverride")):
                ilvl = int(o.get(w("ilvl")) or 0)
                so = o.find(w("startOverride"))
                if so is not None and (so.get(W_VAL) or "").lstrip("-").isdecimal():
                    overrides[ilvl] = int(so.get(W_VAL))
                lvl = o.find(w("lvl"))
                if lvl is not None and ilvl not in overrides:
                    start = lvl.find(w("start"))
                    if start is not None and (start.get(W_VAL) or "").isdecimal():
                        overrides[ilvl] = int(start.get(W_VAL))
            self.nums[n.get(w("numId")) or ""] = (aid.get(W_VAL) if aid is not None else None,
                                                  overrides)

    def abstract_of(self, num_id: str) -> str | None:
        return self.nums.get(num_id, (None, {}))[0]

    def restarts(self, num_id: str, ilvl: int) -> bool:
        """Whether the w:num restarts the level (a startOverride), rather than continuing
        the count of other w:num that share its abstract numbering, as Word does."""
        return ilvl in self.nums.get(num_id, (None, {}))[1]

    def level(self, num_id: str, ilvl: int) -> tuple[bool, int]:
        """(is_bullet, start) of a list level."""
        aid, overrides = self.nums.get(num_id, (None, {}))
        fmt, start = self.abstract.get(aid or "", {}).get(ilvl, ("decimal", 1))
        return fmt in ("bullet", "none"), overrides.get(ilvl, start)


def _levels(a) -> dict[int, tuple[str, int]]:
    out = {}
    for lvl in a.findall(w("lvl")):
        ilvl = int(lvl.get(w("ilvl")) or 0)
        fmt = lvl.find(w("numFmt"))
        start = lvl.find(w("start"))
        out[ilvl] = ((fmt.get(W_VAL) if fmt is not None else "decimal") or "decimal",
                     int(start.get(W_VAL)) if start is not None
                     and (start.get(W_VAL) or "").lstrip("-").isdecimal() else 1)
    return out

