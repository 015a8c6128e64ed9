"""The workshop's modules, in teaching order. This list is the one place the order lives.

Each module is one folder, ``course/mNN_slug/``:
- ``exercises.py`` defines ``MODULE``: its number, title, minutes, the article passage it
  builds on, and its exercises;
- ``explorers.py`` holds its lesson's figures and interactive explorers;
- ``tables*.py`` (from module 02 on) build the tables it adds to the company's data.
Modules are imported on first use, never at ``import ctopath``.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import lru_cache

from ..engine.exercise import Exercise

#: Teaching order. Add a module by adding its folder name here.
MODULE_ORDER = [
    "m00_orientation",
    "m01_programmer",
    "m02_manager",
    "m03_business_plan",
    "m04_build_launch_operate",
    "m05_four_duties",
    "m06_capstone",
]


@dataclass
class Module:
    number: str            # "01"
    slug: str              # "programmer" -> notebooks/01-programmer.ipynb
    title: str
    teaching_minutes: int  # lesson time, before the exercises
    article_passage: str   # where in the article it comes from, with the Chinese key term
    exercises: list[Exercise] = field(default_factory=list)
    discussion: list[str] = field(default_factory=list)
    # The exercises a room does first when a day cannot hold them all, most important
    # first; the agenda fills the module's time in this order, then in teaching order.
    core: list[str] = field(default_factory=list)

    def room_order(self) -> list[Exercise]:
        by_id = {ex.id: ex for ex in self.exercises}
        unknown = [i for i in self.core if i not in by_id]
        if unknown:
            raise ValueError(f"module {self.number}: core exercises {unknown} do not exist")
        first = [by_id[i] for i in self.core]
        return first + [ex for ex in self.exercises if ex.id not in self.core]

    @property
    def exercise_minutes(self) -> int:
        return sum(ex.minutes for ex in self.exercises)

    @property
    def lesson(self) -> str:
        return f"notebooks/{self.number}-{self.slug}.ipynb"

    @property
    def exercise_notebook(self) -> str:
        return f"exercises/{self.number}-{self.slug}-exercises.ipynb"

    @property
    def answer_notebook(self) -> str:
        return f"exercises/answers/{self.number}-{self.slug}-exercises.ipynb"


@lru_cache(maxsize=None)
def _load(name: str) -> Module:
    module = importlib.import_module(f"{__name__}.{name}.exercises").MODULE
    for ex in module.exercises:
        if not ex.id.startswith(module.number + "."):
            raise ValueError(f"exercise {ex.id} does not belong in module {module.number}")
    return module


def all_modules() -> list[Module]:
    return [_load(name) for name in MODULE_ORDER]


def registry() -> dict[str, Exercise]:
    """Every exercise of every module, by id, in teaching order."""
    out: dict[str, Exercise] = {}
    for module in all_modules():
        for ex in module.exercises:
            if ex.id in out:
                raise ValueError(f"duplicate exercise id {ex.id}")
            out[ex.id] = ex
    return out


def forget_computed() -> None:
    """Make every exercise compute its reference answers again from the data now in use.

    Reference values are computed once per kernel; call this after pointing ``ctopath.data``
    at another folder (``data.use_folder``) or regenerating the files.
    """
    for ex in registry().values():
        ex.forget()

