"""Word: the writer (``writer``: tree → .docx on a base template) and the reader (``reader``:
.docx → tree, for review and the draft of a Word file)."""
