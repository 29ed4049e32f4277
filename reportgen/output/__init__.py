"""Stage 6, output: the build (``build``), the atomic swap of the output folder (``outfolder``),
the manifest of what was built (``manifest``) and the caches (``cache``)."""
