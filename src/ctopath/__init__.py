"""Coder to CTO: a Jupyter workshop on how a CTO helps the business.

Public API (kept stable):
    ctopath.registry()   -> {id: Exercise} for every exercise of every module
    ctopath.exercise(id) -> one Exercise (display it for its widget)
    ctopath.____         the placeholder a learner replaces
    ctopath.Feedback, ctopath.Exercise
    ctopath.progress     the learner's progress: ctopath.progress.show()
    ctopath.set_language("zh"), ctopath.language()   the language texts are shown in ("en" or "zh")
Nothing is loaded at import time.
"""
from __future__ import annotations

from .engine import progress
from .errors import CtopathError, register_friendly_handler
from .engine.exercise import ____, Exercise, Feedback
from .engine.i18n import Msg, Verbatim, language, set_language
from .course import all_modules, registry

progress.use_course(all_modules)  # the report lists this course's modules

__version__ = "0.1.0"
COMPANY = "Larkspur Retail Cloud"
COMPANY_ZH = "云雀零售云"


def exercise(exercise_id: str) -> Exercise:
    """The exercise with this id, e.g. ``exercise("01.3")``."""
    reg = registry()
    try:
        return reg[str(exercise_id)]
    except KeyError:
        known = ", ".join(reg)
        raise CtopathError(Msg("There is no exercise {id!r}. Known ids: {known}.", id=Verbatim(exercise_id),
                               known=known)) from None


def load_ipython_extension(shell) -> None:
    """``%load_ext ctopath``: clear one-sentence messages for the workshop's errors, and a hint
    when a notebook's setup cell was skipped (the workshop's kernel loads this at start)."""
    register_friendly_handler()


__all__ = ["____", "Exercise", "Feedback", "registry", "exercise", "progress", "CtopathError",
           "set_language", "language", "COMPANY", "COMPANY_ZH", "__version__"]
