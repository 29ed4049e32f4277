"""The one link policy: which link targets a document reportgen makes may point to.

A document goes to the government and its review page is opened by reviewers; a link in either
must not reach into the reader's machine or network. So a hyperlink may go to the web (http,
https, with a host) or to an e-mail address (mailto), or to a place in the same document
(``#bookmark``). Everything else is refused: relative paths (``bilaga.docx``, ``../x``), paths on
a machine (``/etc/passwd``, ``C:\\...``), UNC paths (``\\\\host\\share``), ``file:``, ``smb:``,
``javascript:``, ``data:`` and any scheme not named here. The Word writer and the HTML review page
both ask :func:`link_problem`; the build reports a refused link as a finding at its place.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

ALLOWED_SCHEMES = ("http", "https", "mailto")

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def link_problem(url: str) -> str | None:
    """None when ``url`` may be a hyperlink, else why not (a phrase for a finding's message)."""
    url = url.strip()
    if not url or (url.startswith("#") and len(url) > 1 and not _CONTROL.search(url)):
        return None  # no target, or a place in the same document
    if url.startswith(("\\\\", "//")):
        return "it is a network path"
    m = _SCHEME.match(url)
    if m is None:
        return "it is a path, not a web or e-mail address"
    scheme = m.group(1).lower()
    if scheme not in ALLOWED_SCHEMES:
        if len(scheme) == 1:  # C:\... or C:/...
            return "it is a path on a computer, not a web or e-mail address"
        return f"its scheme '{scheme}:' is not one of {', '.join(s + ':' for s in ALLOWED_SCHEMES)}"
    if _CONTROL.search(url):
        return "it holds backslashes or control characters"
    if scheme == "mailto":
        return None if len(url) > len("mailto:") and "@" in url else "it names no e-mail address"
    try:
        parts = urlsplit(url)
    except ValueError:
        return "it is not a valid web address"
    if not url[m.end():].startswith("//") or not parts.hostname:
        return "it names no host"
    return None


def is_allowed(url: str) -> bool:
    return link_problem(url) is None


def iter_links(blocks):
    """Every Link in ``blocks`` (headings, paragraphs, table cells, lists, quotes), in order."""
    from reportgen.document.tree import (
        Emphasis,
        Heading,
        Link,
        Paragraph,
        Strong,
        Table,
        iter_blocks,
    )

    def inlines(items):
        for x in items:
            if isinstance(x, Link):
                yield x
                yield from inlines(x.children)
            elif isinstance(x, (Strong, Emphasis)):
                yield from inlines(x.children)

    for b in iter_blocks(blocks):
        if isinstance(b, (Heading, Paragraph)):
            yield from inlines(b.inlines)
        elif isinstance(b, Table):
            for row in (b.header, *b.rows):
                for cell in row:
                    yield from inlines(cell)


LINK_HINT = ("a link in a report may go to a web address (https://...) or an e-mail address (mailto:...); "
             "write any other reference as text")
