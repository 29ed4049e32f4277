"""Review: comparing two builds as text (``diff``) and as a Word redline with tracked changes
(``redline``)."""
