"""Writers: document tree → .docx on a base template (``docx``), → normalized Markdown (``text``).

They know nothing of the domain: what to write comes in the tree, fields and core properties.
"""
