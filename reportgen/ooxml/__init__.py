"""The OOXML layer: everything that knows WordprocessingML's namespaces, package and markup.
Nothing outside this package spells a namespace URI."""
