"""A new project: ``reportgen init`` (``newproject``) and the Excel template (``scaffold``)."""
