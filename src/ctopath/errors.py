"""Errors a learner may meet, shown as one clear sentence instead of a traceback.

Inside IPython, ``CtopathError`` and its subclasses are displayed by a custom
exception handler that prints only the message (what was expected and how to
fix it). The handler is registered the first time such an error is raised,
so importing ctopath has no side effect.
"""
from __future__ import annotations


class CtopathError(Exception):
    """Base class: the message must say what was expected and how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        _register_friendly_handler()


class DataError(CtopathError):
    """A data file is missing, damaged or has the wrong columns."""


class ProgressError(CtopathError):
    """The progress store cannot be read or written."""


_registered = False


def _register_friendly_handler() -> None:
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
        # One short, readable message in the cell's error output; no traceback.
        print(f"⚠️  {etype.__name__}: {value}", file=__import__("sys").stderr)
        return None

    shell.set_custom_exc((CtopathError,), _show)
    _registered = True
