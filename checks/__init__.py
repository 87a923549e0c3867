"""mlaudit's built-in checks, one module per resource area.

Shipped as the `mlaudit.checks` package and loaded through the same path as third-party plug-ins: every
`Check` object at the top level of a module here is part of the catalog.
"""
