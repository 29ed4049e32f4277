"""The document layer: one small tree (``tree``) and the readers that produce it (``markdown``).

Writers (``reportgen.writers``) turn the tree into formats. Nothing here knows the domain.
"""
