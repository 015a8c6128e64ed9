"""The workshop's errors shown as one clear sentence instead of a traceback.

The error classes live in the engine (``ctopath.engine.errors``); this module is how the
workshop presents them.

Inside IPython, ``CtopathError`` and its subclasses are displayed by a custom
exception handler that prints only the message (what was expected and how to
fix it). The same handler adds one sentence to a ``NameError`` for a name the
workshop's notebooks define in their setup cell (``orders``, ``exercise`` …), the
usual sign of a setup cell that was skipped or deleted. It is registered the
first time such an error is raised, or when the kernel loads the ``ctopath``
IPython extension (``make venv`` configures the workshop's kernel to), so
importing ctopath has no side effect.
"""
from __future__ import annotations

import re
import sys

from .engine.errors import CtopathError, DataError, ProgressError, on_raise
from .engine.i18n import Msg, tr

__all__ = ["CtopathError", "DataError", "ProgressError", "name_hint", "register_friendly_handler"]


# Names the notebooks' setup cells define from ctopath itself, and what brings them in.
_WORKSHOP_IMPORTS = {
    "exercise": "from ctopath import exercise",
    "progress": "from ctopath import progress",
    "data": "from ctopath import data",
    "____": "from ctopath import ____",
    "pd": "import pandas as pd",
    "simulation": "from ctopath.models import simulation",
}
_NAME = re.compile(r"name '([^']+)' is not defined")


def name_hint(name: str) -> str | None:
    """One sentence for a NameError on a name the workshop defines, else None."""
    if name in _WORKSHOP_IMPORTS:
        return Msg("{name} comes from the notebook's first code cell ({code}): run that cell, then this one again.",
                   name=f"`{name}`", code=_WORKSHOP_IMPORTS[name])
    try:
        from . import data
        tables = set(data.tables())
    except Exception:  # the hint must never fail the learner's error display
        tables = set()
    aliases = {t: t for t in tables} | {t.removesuffix("s"): t for t in tables}
    if name in aliases:
        return Msg("{name} is one of the workshop's tables: run the notebook's first code cell, which "
                   "loads it (e.g. {code}), then this one again.",
                   name=f"`{name}`", code=f"`{name} = data.load(\"{aliases[name]}\")`")
    return None


_registered = False


def register_friendly_handler() -> None:
    global _registered
    if _registered:
        return
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: a normal exception is fine
        return
    shell = get_ipython()
    if shell is None:
        return

    def _show(shell, etype, value, tb, tb_offset=None):
        if issubclass(etype, CtopathError):
            # One short, readable message in the cell's error output; no traceback.
            print(f"⚠️  {etype.__name__}: {tr(getattr(value, 'message', value))}", file=sys.stderr)
            return None
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset)
        match = _NAME.search(str(value))
        hint = name_hint(match.group(1)) if match else None
        if hint:
            print(f"ℹ️  {tr(hint)}", file=sys.stderr)
        return None

    # IPython keeps one custom handler; this one covers both kinds of error.
    shell.set_custom_exc((CtopathError, NameError), _show)
    _registered = True


# Every CtopathError registers the handler the first time one is made (importing has no other effect).
on_raise.append(register_friendly_handler)
