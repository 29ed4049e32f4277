"""Stage 4, document: one small tree (``tree``) that every reader produces and every writer takes.

Readers and writers of formats live in ``reportgen.formats``. Nothing here knows the domain.
"""
