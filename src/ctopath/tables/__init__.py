"""Tables that later modules add to the company's data, one file per module.

Each file here (e.g. ``m02_delivery.py``) defines
- ``SCHEMAS``: {table name: {column: kind}} using the kinds of ``ctopath.data.KINDS``;
- ``BUILDERS``: a tuple of :class:`Builder`, each making some of those tables from its
  own random generator and the tables built before it (the core tables always exist).
Files are discovered in name order, so adding a module's tables never touches another's
file, and (each builder having its own generator) never changes another table's bytes.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Builder:
    """Builds ``tables`` from its own random generator and the tables built before it."""

    name: str
    tables: tuple[str, ...]
    build: Callable[[np.random.Generator, dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]


@lru_cache(maxsize=None)
def discover() -> tuple[dict[str, dict[str, str]], tuple[Builder, ...]]:
    schemas: dict[str, dict[str, str]] = {}
    builders: list[Builder] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for name, schema in module.SCHEMAS.items():
            if name in schemas:
                raise ValueError(f"table {name!r} is defined twice (again in {info.name})")
            schemas[name] = schema
        builders.extend(module.BUILDERS)
    return schemas, tuple(builders)
