"""Operations the demo's moto server adds to moto, which does not implement them (moto 5.x).

Each module models one missing API faithfully but minimally: the request and response fields mlaudit's
collectors read, with AWS's names and defaults. They serve the demo account and the tests, in-process
(`mock_aws`) or over HTTP (`ThreadedMotoServer`), since both dispatch to the same response classes. A module
declares `RESPONSE_CLASS` (moto's response class for the service) and `OPERATIONS` (method name -> function),
and is discovered (modules without `RESPONSE_CLASS` are the extensions' shared helpers); `install()` adds only the operations moto lacks, so a moto release that implements one takes precedence.

Where moto implements an operation but drops a field mlaudit reads, a module may also declare `OVERRIDES`
(method name -> a function that takes moto's method and returns a wrapped one), applied once. For a service that
routes requests by URL path (REST protocols such as RAM's), a module declares the paths of its operations in
`URL_PATHS` (moto's `url_paths` format), added to the service's routes.

`install()` also makes moto parse its AWS managed IAM policies once per process (`managed_policies`).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from mlaudit.demo.moto_extensions import managed_policies


def extensions() -> list[ModuleType]:
    """Every extension module (those declaring `RESPONSE_CLASS`), by name; the others are their shared helpers."""
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name)
    ]
    return [module for module in modules if hasattr(module, "RESPONSE_CLASS")]


def install() -> None:
    """Add the missing operations to moto's response classes, and wrap the lossy ones (idempotent)."""
    managed_policies.parse_once()
    for extension in extensions():
        for name, operation in extension.OPERATIONS.items():
            if not hasattr(extension.RESPONSE_CLASS, name):
                setattr(extension.RESPONSE_CLASS, name, operation)
        routes = importlib.import_module(extension.RESPONSE_CLASS.__module__.rsplit(".", 1)[0] + ".urls").url_paths
        for path in getattr(extension, "URL_PATHS", ()):
            routes.setdefault(path, extension.RESPONSE_CLASS.dispatch)
        for name, wrap in getattr(extension, "OVERRIDES", {}).items():
            original = getattr(extension.RESPONSE_CLASS, name)
            if not getattr(original, "_mlaudit_override", False):
                wrapped = wrap(original)
                wrapped._mlaudit_override = True
                setattr(extension.RESPONSE_CLASS, name, wrapped)
