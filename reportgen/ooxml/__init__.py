"""The OOXML layer: everything that knows WordprocessingML's namespaces, package and markup.
Nothing outside this package spells a namespace URI, and it imports no later stage (formats,
review, checks): they all stand on it. Modelled on python-docx's ``oxml`` layer.

* ``ns``: the one table of namespaces (``NS``, ``qn("w:p")``), relationship and content types;
* ``parser``: the one hardened XML parser (no entities, no DTD, no network, an element limit);
* ``package``: the one bounded package reader (limits per part, in total, on elements) used by
  every command that opens a .docx, and the reproducible zip writer;
* ``styles``: the one table of built-in style names with their localized aliases, and the style
  sheet that resolves a paragraph's style (headings, captions, lists...);
* ``numbering``: list numbering (bullets, starts, restarts);
* ``revisions``: the complete list of revision elements, accept all and reject all.
"""
