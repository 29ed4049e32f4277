"""Stage 3, report: the template context of each deliverable (``context``), the sandboxed Jinja
environment (``render``), Swedish formatting (``formatting``), charts (``charts``), the templates'
static check (``template_check``) and where the packaged templates are (``resources``)."""
