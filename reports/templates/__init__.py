"""The report templates (jinja2). A package so that they ship in the wheel and resolve the same way from an
editable checkout (`importlib.resources.files("mlaudit.templates")`)."""
