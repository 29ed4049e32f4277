"""Checks of finished documents: accessibility of a .docx (``a11y``) and the tagged PDF (``pdf``)."""
