"""Small display helpers for the lessons, so no notebook carries its own copy."""
from __future__ import annotations

import html

import pandas as pd

from .course import all_modules
from .engine.i18n import Msg, Verbatim, language, tr

ARTICLE_URL = "https://ld246.com/article/1678858919869"

# The card's column names stay as code reads them; these are the headings shown in another language.
_HEADINGS = {"exercise": Msg("Exercise"), "title": Msg("Title"), "kind": Msg("Kind"), "minutes": Msg("Minutes")}


class ModuleCard:
    """A module's minutes and exercises, straight from its metadata (so they never drift)."""

    def __init__(self, number: str):
        matches = [m for m in all_modules() if m.number == str(number).zfill(2)]
        if not matches:
            raise ValueError(tr(Msg("There is no module {number!r}; modules are {modules}.", number=Verbatim(number),
                                    modules=", ".join(m.number for m in all_modules()))))
        self.module = matches[0]

    def table(self) -> pd.DataFrame:
        """The module's exercises; titles in the learner's language, column names kept for code."""
        return pd.DataFrame([{"exercise": ex.id, "title": tr(ex.title), "kind": ex.kind, "minutes": ex.minutes}
                             for ex in self.module.exercises])

    def _shown(self) -> pd.DataFrame:
        """The table as the card shows it: in another language than English, headings in that language."""
        table = self.table()
        if language() == "en":
            return table
        return table.rename(columns={c: tr(_HEADINGS.get(c, c)) for c in table.columns})

    def _summary(self) -> str:
        m = self.module
        return tr(Msg("Module {number} · {title}: {lesson} min lesson + {exercises} min exercises = {total} min",
                      number=m.number, title=m.title, lesson=m.teaching_minutes, exercises=m.exercise_minutes,
                      total=m.teaching_minutes + m.exercise_minutes))

    def __repr__(self) -> str:
        return self._summary() + "\n" + self._shown().to_string(index=False)

    def _repr_html_(self) -> str:
        return (f"<p><strong>{html.escape(self._summary())}</strong></p>"
                + self._shown().to_html(index=False, border=0))


def module_card(number: str) -> ModuleCard:
    return ModuleCard(number)


class Withheld:
    """What a cell shows instead of a result that would give an exercise's answer away."""

    def __init__(self, exercise_id: str):
        self.exercise_id = exercise_id

    def _message(self) -> str:
        return tr(Msg("This result contains the answer to exercise {id}, so it appears once you have "
                      "answered {id} (or revealed its solution). Answer it above, then run this cell again.",
                      id=self.exercise_id))

    def __repr__(self) -> str:
        return self._message()

    def _repr_html_(self) -> str:
        return f'<p class="ctopath-withheld"><em>{html.escape(self._message())}</em></p>'


def after(exercise_id: str, make, store=None):
    """``make()`` once the learner has done ``exercise_id`` (or revealed its solution), else a
    sentence saying why it is withheld: a later cell must not give an earlier answer away."""
    from .engine.progress import ProgressStore, is_done

    try:
        record = (store or ProgressStore()).get(exercise_id) or {}
    except Exception:  # an unreadable store withholds; the exercise itself reports the problem
        record = {}
    if is_done(record) or record.get("solution_revealed") is True:
        return make()
    return Withheld(exercise_id)
