"""Tables that later modules add to the company's data, kept in each module's folder.

Each ``course/mNN_slug/tables*.py`` file defines
- ``SCHEMAS``: {table name: {column: kind}} using the kinds of ``ctopath.data.KINDS``;
- ``BUILDERS``: a tuple of :class:`Builder`, each making some of those tables from its
  own random generator and the tables it declares in ``reads``.
Builders run in the order their ``reads`` need (:func:`in_order`), not by file name, and a
builder is handed only the tables it declares, so a missing declaration fails at once. Adding
a module's tables never touches another's file and (each builder having its own generator)
never changes another table's bytes.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Builder:
    """Builds ``tables`` from its own random generator and the tables built before it."""

    name: str
    tables: tuple[str, ...]
    build: Callable[[np.random.Generator, dict[str, pd.DataFrame]], dict[str, pd.DataFrame]]
    #: the tables ``build`` reads (it is given exactly these)
    reads: tuple[str, ...] = ()


def in_order(builders) -> tuple[Builder, ...]:
    """The builders in an order where each runs after the builders of the tables it reads.

    Among builders that could run next, the one listed first goes first, so the order is stable.
    """
    maker = {t: b.name for b in builders for t in b.tables}
    for b in builders:
        unknown = sorted(set(b.reads) - set(maker))
        if unknown:
            raise ValueError(f"builder {b.name!r} reads {unknown}, which no builder makes")
    done: set[str] = set()
    ordered: list[Builder] = []
    waiting = list(builders)
    while waiting:
        ready = next((b for b in waiting if {maker[t] for t in b.reads} <= done | {b.name}), None)
        if ready is None:
            raise ValueError(f"builders read each other in a circle: {sorted(b.name for b in waiting)}")
        ordered.append(ready)
        done.add(ready.name)
        waiting.remove(ready)
    return tuple(ordered)


@lru_cache(maxsize=None)
def discover() -> tuple[dict[str, dict[str, str]], tuple[Builder, ...]]:
    """Every module's ``tables*.py``, in teaching order: their schemas and builders."""
    from . import MODULE_ORDER

    schemas: dict[str, dict[str, str]] = {}
    builders: list[Builder] = []
    for folder in MODULE_ORDER:
        files = sorted(i.name for i in pkgutil.iter_modules([str(Path(__file__).parent / folder)])
                       if i.name.startswith("tables"))
        for name in files:
            module = importlib.import_module(f"{__package__}.{folder}.{name}")
            for table, schema in module.SCHEMAS.items():
                if table in schemas:
                    raise ValueError(f"table {table!r} is defined twice (again in {folder}/{name}.py)")
                schemas[table] = schema
            builders.extend(module.BUILDERS)
    return schemas, tuple(builders)
