"""Markdown: the reader (``reader``: Markdown → tree, via markdown-it-py) and the normalized draft
writer (``writer``: tree → Markdown)."""
