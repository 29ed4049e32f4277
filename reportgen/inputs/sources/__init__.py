"""Readers of the input files that keep each value's place: YAML (line:column), Excel (sheet!cell)."""
