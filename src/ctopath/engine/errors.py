"""The errors a learner may meet. Each message says what was expected and how to fix it.

How they are shown is the workshop's business (``ctopath.errors`` registers a handler that prints
one sentence instead of a traceback); the engine only calls the hooks in ``on_raise``.
"""
from __future__ import annotations

from typing import Callable

#: Called (without arguments) whenever a CtopathError is made; must never raise.
on_raise: list[Callable[[], None]] = []


class CtopathError(Exception):
    """Base class: the message must say what was expected and how to fix it."""

    def __init__(self, message: str):
        super().__init__(message)
        # The sentence as given: a ``Msg`` keeps its template, so it can be shown translated.
        self.message = message
        for hook in on_raise:
            hook()


class DataError(CtopathError):
    """A data file is missing, damaged or has the wrong columns."""


class ProgressError(CtopathError):
    """The progress store cannot be read or written."""
