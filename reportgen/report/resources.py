"""Where the files that travel with reportgen are: the packaged templates and the example inputs.

In a source checkout (or an editable install) they are ``templates/`` and ``inputs/`` of the
source tree; an installed reportgen has them under ``<prefix>/share/reportgen/`` (see setup.cfg,
``data_files``).
"""

from __future__ import annotations

import sys
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]
SHARE = Path(sys.prefix) / "share" / "reportgen"


def package_templates() -> Path:
    """The templates a build uses when a project has none of its own: templates/ of the source
    tree (editable install), else the copy installed under share/."""
    source = SOURCE_ROOT / "templates"
    if (source / "base.docx").is_file():
        return source
    return SHARE / "templates"


def default_template_dir(inputs_dir: Path) -> Path:
    """Templates beside the inputs folder (a project's own copy) win over the packaged ones."""
    local = Path(inputs_dir).resolve().parent / "templates"
    if (local / "base.docx").is_file():
        return local
    return package_templates()


def example_inputs() -> Path:
    """The shipped example inputs folder (decision.yaml, programme.yaml, finances.xlsx)."""
    source = SOURCE_ROOT / "inputs"
    if (source / "decision.yaml").is_file():
        return source
    return SHARE / "example"
