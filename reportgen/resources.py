"""Where the files that travel with reportgen are: the packaged templates and the example inputs.

In a source checkout (or an editable install) they are ``templates/`` and ``inputs/`` of the
source tree; an installed reportgen has them under ``<prefix>/share/reportgen/`` (see setup.cfg,
``data_files``).
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent
SHARE = Path(sys.prefix) / "share" / "reportgen"


def package_templates() -> Path:
    """The templates a build uses when a project has none of its own."""
    try:
        from .build import PACKAGE_TEMPLATES
    except ImportError:  # the build's own dependencies missing: same rule as build.py
        source = SOURCE_ROOT / "templates"
        return source if (source / "base.docx").is_file() or not (SHARE / "templates").is_dir() \
            else SHARE / "templates"
    return Path(PACKAGE_TEMPLATES)


def example_inputs() -> Path:
    """The shipped example inputs folder (decision.yaml, programme.yaml, finances.xlsx)."""
    source = SOURCE_ROOT / "inputs"
    if (source / "decision.yaml").is_file():
        return source
    return SHARE / "example"
