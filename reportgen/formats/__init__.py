"""Stage 5, formats: Markdown and Word, each with a reader (format → tree) and a writer
(tree → format). Word XML is read and written through ``reportgen.ooxml``."""
