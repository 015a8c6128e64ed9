"""The exercise core: Exercise kinds, Feedback, and the ``____`` placeholder.

An exercise declares what it expects, how to check it, a hint ladder and a
solution. ``check(answer)`` is pure and never raises: whatever it is given, it
returns a :class:`Feedback`. Widgets live in :mod:`ctopath.engine.widgets`; this module
knows nothing about them except that ``submit`` and display delegate there.
"""
from __future__ import annotations

import heapq
import html
import math
import re
import threading
import numbers
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from .i18n import Msg, Verbatim, join, language, tr

# "saved" is a reflection: free text kept for the learner, never graded; it counts as done.
STATUSES = ("correct", "partial", "incorrect", "not_attempted", "invalid", "saved")
DONE_STATUSES = ("correct", "saved")
KINDS = ("number", "choice", "multi", "ranking", "data", "model", "reflection")

# Shown with every status so nobody depends on colour alone.
# The words are translated where they are shown (``Feedback.label``).
STATUS_LABELS = {
    "correct": ("✅", Msg("Correct")),
    "partial": ("🟡", Msg("Partly correct")),
    "incorrect": ("❌", Msg("Not yet")),
    "not_attempted": ("⬜", Msg("Not attempted")),
    "invalid": ("⚠️", Msg("Invalid input")),
    "saved": ("📝", Msg("Saved")),
}


class _Placeholder:
    """The blank a learner fills in. Starter code containing it still runs."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __bool__(self) -> bool:
        return False

    # Arithmetic or attribute use on the blank yields the blank again, so a
    # starter such as ``share = ____ / total`` runs and reports "not attempted".
    def _same(self, *args, **kwargs):
        return self

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _same
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = _same
    __neg__ = __pos__ = __abs__ = __call__ = __getitem__ = _same

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return self


____ = _Placeholder()


def is_placeholder(value: Any) -> bool:
    """True when the answer still contains the blank anywhere obvious."""
    if value is ____:
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return any(v is ____ for v in value)
    if isinstance(value, Mapping):
        return any(v is ____ for v in value.values())
    return False


@dataclass(frozen=True)
class Feedback:
    """The result of a check: status, score in [0, 1], and why."""

    status: str
    score: float
    message: str
    exercise_id: str = ""
    # The exercise's feedback widget, when this came from a submit: displaying the Feedback
    # then shows that same widget, so the box and the cell below it always agree.
    live: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")
        score = float(self.score)
        if not 0.0 <= score <= 1.0 or math.isnan(score):
            raise ValueError(f"score must be in [0, 1], not {self.score!r}")
        object.__setattr__(self, "score", round(score, 4))

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def icon(self) -> str:
        return STATUS_LABELS[self.status][0]

    @property
    def label(self) -> str:
        """The status in words, in the learner's language."""
        return tr(STATUS_LABELS[self.status][1])

    def __repr__(self) -> str:
        where = f"[{self.exercise_id}] " if self.exercise_id else ""
        score = tr(Msg(" (score {score:g})", score=self.score)) if self.status in ("partial",) else ""
        return tr(Msg("{icon} {where}{label}{score}: {message}", icon=self.icon, where=where, label=self.label,
                      score=score, message=tr(self.message)))

    def _repr_html_(self) -> str:
        return feedback_html(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {}
        if self.live is not None:
            live = self.live._repr_mimebundle_(include=include, exclude=exclude) or {}
            bundle.update(live[0] if isinstance(live, tuple) else live)  # (data, metadata) from some widgets
        # Static viewers and stored outputs get the words of this check.
        bundle.update({"text/plain": repr(self), "text/html": feedback_html(self)})
        return bundle

    def shown_in(self, widget) -> "Feedback":
        """This feedback, displayed as another view of ``widget`` (see ``live``)."""
        return replace(self, live=widget)

    def to_dict(self) -> dict:
        return {"status": self.status, "score": self.score, "message": self.message}


def in_language(fb: Feedback) -> Feedback:
    """``fb`` with its message in the learner's language (in English it is left as it is, a ``Msg``)."""
    if language() == "en":
        return fb
    return replace(fb, message=tr(fb.message))


def reason(err: BaseException) -> str:
    """An error's sentence, keeping its template when it was raised with a ``Msg`` (``str(err)`` loses it)."""
    first = err.args[0] if len(err.args) == 1 else None
    return first if isinstance(first, str) else str(err)


def feedback_html(fb: Feedback, *, role_status: bool = True, icon: str | None = None) -> str:
    """Status in words and an icon (never colour alone), then the message.

    ``role_status=False`` inside a widget's live region (``controls.LiveHTML``): the region that
    stays in the page announces the change, and a second, replaced one would only compete with it.
    ``icon``: HTML for the status icon instead of the emoji (which needs an emoji font).
    """
    colour = {
        "correct": "#1a7f37",
        "partial": "#9a6700",
        "incorrect": "#cf222e",
        "not_attempted": "#57606a",
        "invalid": "#9a6700",
        "saved": "#0969da",
    }[fb.status]
    body = html.escape(tr(fb.message)).replace("\n", "<br>")
    score = tr(Msg(" · score {score:g}", score=fb.score)) if fb.status == "partial" else ""
    role = ' role="status"' if role_status else ""
    return (
        f'<div class="ctopath-fb ctopath-fb-{fb.status}"{role} '
        f'style="border-left:4px solid {colour};padding:4px 8px;margin:4px 0">'
        f'<strong>{fb.icon if icon is None else icon} {html.escape(fb.label)}{score}</strong> — {body}</div>'
    )


@dataclass(frozen=True)
class WrongExample:
    """A plausible wrong answer and a fragment its feedback must contain.

    Every exercise carries at least two; the unit tests check each is rejected
    with that explanation, and the answer set shows one of them being made.
    """

    answer: Any  # the value, or a function returning it (for figures computed from the data)
    says: str

    @property
    def value(self) -> Any:
        return _resolve(self.answer)


Lazy = Callable[[], Any]


def _resolve(value: Any) -> Any:
    return value() if callable(value) else value


class Exercise:
    """Base class. Subclasses set ``kind`` and implement ``_check``."""

    kind: str = ""
    expects: str = Msg("an answer")

    def __init__(
        self,
        id: str,
        title: str,
        prompt: str,
        *,
        hints: Sequence[str],
        solution: str,
        minutes: int,
        solution_code: str | None = None,
        wrong_examples: Sequence[WrongExample] = (),
    ):
        if len(hints) < 2:
            raise ValueError(f"exercise {id}: give at least two hints")
        self.id = id
        self.title = title
        self.prompt = prompt
        self.hints = list(hints)
        self.solution = solution
        self.solution_code = solution_code
        self.minutes = int(minutes)
        self.wrong_examples = list(wrong_examples)
        self._view = None
        self._memo: dict[int, Any] = {}
        self._memo_lock = threading.RLock()  # a check waits for a warm-up computing the same value

    def _lazy(self, value: Any) -> Any:
        """A reference or slip value, computed from the data once per kernel (checks stay fast)."""
        if not callable(value):
            return value
        key = id(value)  # the callables live as long as the exercise, so ids are not reused
        with self._memo_lock:
            if key not in self._memo:
                self._memo[key] = value()
            return self._memo[key]

    def warm(self) -> None:
        """Compute the reference and every slip value now (a view does this in the background
        when it is displayed), so even the first wrong answer is judged at once."""
        for source in self._computed_values():
            if not callable(source):
                continue
            try:
                self._lazy(source)
            except Exception:  # check() reports a broken value in its own words
                continue

    def _computed_values(self) -> list:
        """The reference and slip values this kind computes from the data (what warm() computes)."""
        return [slip.value for slip in getattr(self, "slips", ())]

    def forget(self) -> None:
        """Drop the values computed from the data, so the next check computes them again (new data)."""
        with self._memo_lock:
            self._memo.clear()

    # -- checking ---------------------------------------------------------
    def check(self, answer: Any) -> Feedback:
        """Judge an answer. Never raises."""
        try:
            if is_placeholder(answer) or answer is None:
                fb = Feedback(
                    "not_attempted", 0.0,
                    Msg("Not attempted yet: replace ____ with {expects}, then check again.", expects=self.expects),
                )
            else:
                fb = self._check(answer)
        except InvalidAnswer as bad:
            fb = Feedback("invalid", 0.0, reason(bad))
        except Exception as err:  # a checker must never raise at the learner
            fb = Feedback(
                "invalid", 0.0,
                Msg("This answer could not be checked ({error}). Expected {expects}.",
                    error=f"{type(err).__name__}: {err}", expects=self.expects),
            )
        if fb.exercise_id != self.id:
            fb = replace(fb, exercise_id=self.id)
        # Translated once, here: every checker's message reaches the learner through this line.
        return in_language(fb)

    def _check(self, answer: Any) -> Feedback:  # pragma: no cover - abstract
        raise NotImplementedError

    def reference_answer(self) -> Any:
        """What a learner submits for full marks (what the answer set submits)."""
        raise NotImplementedError

    # -- the widget -------------------------------------------------------
    def view(self):
        """A fresh widget for this exercise (the latest one is what submit drives)."""
        from .widgets import ExerciseView

        self._view = ExerciseView(self)
        return self._view

    def submit(self, answer: Any) -> Feedback:
        """Set this exercise's widget to ``answer``, press Check, return the Feedback.

        Bound to the exercise, not to a cell or a variable: ``exercise("01.2").submit(x)``
        files the answer under 01.2 whatever order the cells run in.
        """
        view = self._view if self._view is not None else self.view()
        return view.submit(answer)

    def practice(self):
        """A view for a lesson's demonstration: it works like the real one but saves nothing
        to the learner's progress."""
        from .widgets import ExerciseView, practice_store

        return ExerciseView(self, store=practice_store(), practice=True)

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.view()._repr_mimebundle_(include=include, exclude=exclude)

    def __repr__(self) -> str:
        return f"<Exercise {self.id} ({self.kind}): {self.title}>"


class InvalidAnswer(Exception):
    """Raised inside checkers for input of the wrong shape; becomes status 'invalid'."""


# ---------------------------------------------------------------------------
# number
# ---------------------------------------------------------------------------

_THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d*)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+")


def _read_commas(text: str, shown: str) -> str:
    """Commas as thousands separators ("1,234.5") or as a decimal comma ("0,61")."""
    if "," not in text:
        return text
    if _THOUSANDS.fullmatch(text):
        return text.replace(",", "")
    if _DECIMAL_COMMA.fullmatch(text):
        return text.replace(",", ".")
    raise InvalidAnswer(Msg(
        "Could not read {shown!r}: use a decimal point (0.61) or commas between thousands "
        "(1,234,567.8), not both mixed.", shown=Verbatim(shown)))


def parse_number(value: Any) -> tuple[float, bool]:
    """Turn learner input into a float. Returns (number, typed_with_percent_sign).

    Accepts ints, floats, numpy numbers and text such as "1,234.5", "¥ 80",
    "12.5%" and a decimal comma ("0,61" is 0.61). Raises InvalidAnswer with a
    sentence a learner can act on.
    """
    if isinstance(value, bool):
        raise InvalidAnswer(Msg("Expected a number, not True/False."))
    had_percent = False
    if isinstance(value, str):
        text = value.strip()
        shown = text[:40]
        if not text:
            raise InvalidAnswer(Msg("The box is empty: type a number such as 1234.5."))
        cleaned = text.replace("，", ",")
        for token in ("CNY", "cny", "RMB", "¥", "￥", "元", " ", "\u00a0", "_"):
            cleaned = cleaned.replace(token, "")
        if cleaned.endswith("%") or cleaned.endswith("％"):
            had_percent = True
            cleaned = cleaned[:-1]
        cleaned = _read_commas(cleaned, shown)
        try:
            number = float(cleaned)
        except ValueError:
            raise InvalidAnswer(Msg(
                "Expected a number such as 1234.5 (digits and an optional decimal point; "
                "commas between thousands are fine), but got {shown!r}.", shown=Verbatim(shown))
            ) from None
    elif isinstance(value, numbers.Number):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            raise InvalidAnswer(Msg("Expected a number of a sensible size; this one is too large "
                                    "to use. Check your arithmetic.")) from None
    elif isinstance(value, (np.ndarray, pd.Series, pd.DataFrame)) and np.size(value) == 1:
        return parse_number(np.asarray(value).reshape(-1)[0])
    else:
        raise InvalidAnswer(Msg(
            "Expected a single number, got a {kind}. "
            "If you computed a table, pick the one figure the question asks for.", kind=type(value).__name__)
        )
    if math.isnan(number):
        raise InvalidAnswer(Msg("Got NaN (not a number). Check for missing values before you sum or divide."))
    if math.isinf(number):
        raise InvalidAnswer(Msg("Got infinity, or a number too large to use. Did you divide by zero?"))
    return number, had_percent


def _hundred_times(size: str, unit: str = "") -> str:
    """The factor-100 slip on a plain quantity (money, a count, days): a unit mix-up, not a percentage."""
    big = size == "large"
    if unit:
        return (Msg("That is 100 times too large — check the unit: the answer is in {unit}.", unit=unit) if big else
                Msg("That is 100 times too small — check the unit: the answer is in {unit}.", unit=unit))
    return (Msg("That is 100 times too large — check the unit the question asks for.") if big else
            Msg("That is 100 times too small — check the unit the question asks for."))


@dataclass(frozen=True)
class Slip:
    """A known wrong value (or a function giving it) and what it reveals."""

    value: Any
    message: str
    rel_tol: float = 1e-3


class NumberExercise(Exercise):
    """A single number, right within a tolerance; near misses may earn partial credit.

    ``unit`` is shown next to the box. With ``percent=True`` the answer is a
    percentage (2.5 means 2.5 %), and a fraction (0.025) is diagnosed.
    """

    kind = "number"

    def __init__(self, id, title, prompt, *, answer, rel_tol=0.005, abs_tol=0.0,
                 partial_rel_tol: float | None = None, partial_message: str = "",
                 unit: str = "", percent: bool = False, slips: Sequence[Slip] = (),
                 decimals: int = 2, correct_message: str = "", **kw):
        super().__init__(id, title, prompt, **kw)
        self._answer = answer
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol
        self.partial_rel_tol = partial_rel_tol
        self.partial_message = partial_message
        self.unit = unit
        self.percent = percent
        self.slips = list(slips)
        self.decimals = decimals
        self.correct_message = correct_message
        self.expects = (Msg("a percentage (12.5 means 12.5 %)") if percent
                        else Msg("a number in {unit}", unit=unit) if unit else Msg("a number"))

    def reference_answer(self) -> float:
        return round(float(self._lazy(self._answer)), self.decimals)

    def _computed_values(self) -> list:
        return [self._answer, *super()._computed_values()]

    def _close(self, a: float, b: float, rel: float, abs_: float = 0.0) -> bool:
        return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)

    def _check(self, answer):
        value, had_percent = parse_number(answer)
        if had_percent and not self.percent:
            raise InvalidAnswer(Msg(
                "This box asks for a plain number, not a percentage, and you typed a % sign. "
                "If you mean {value:g} %, type {fraction:g}; if you mean {value:g}, type it without the %.",
                value=value, fraction=value / 100))
        ref = float(self._lazy(self._answer))
        shown = f"{ref:,.{self.decimals}f}{' %' if self.percent else (' ' + self.unit if self.unit else '')}"
        # The prompt asks for ``decimals`` decimals: the answer typed that way is right, however the
        # last digit falls against the relative tolerance (14.4 for 14.43 with rel_tol 0.2 %).
        typed_to_decimals = 0.5 * 10 ** -self.decimals * (1 + 1e-9)
        if self._close(value, ref, self.rel_tol, max(self.abs_tol, typed_to_decimals)):
            return Feedback("correct", 1.0, self.correct_message.strip() or Msg("Yes: {shown}.", shown=shown))
        for slip in self.slips:
            slip_value = float(self._lazy(slip.value))
            if self._close(value, slip_value, slip.rel_tol):
                return Feedback("incorrect", 0.0, slip.message)
        if ref != 0:
            if self.percent and self._close(value * 100, ref, self.rel_tol, self.abs_tol):
                return Feedback("incorrect", 0.0,
                                Msg("That looks like a fraction ({value:g}); this box wants a percentage, "
                                    "so multiply by 100.", value=value))
            if not self.percent:
                for factor, size in ((100, "large"), (0.01, "small")):
                    if self._close(value / factor, ref, self.rel_tol):
                        return Feedback("incorrect", 0.0, _hundred_times(size, self.unit))
            if self.percent and self._close(value / 100, ref, self.rel_tol, self.abs_tol):
                return Feedback("incorrect", 0.0,
                                Msg("That is 100 times too big: the percentage was multiplied by 100 twice."))
            for factor, said in ((1000, Msg("That looks like the answer in thousands: give the full number, "
                                            "not a rounded unit.")),
                                 (10_000, Msg("That looks like the answer in ten thousand (万)s: give the full number, "
                                              "not a rounded unit."))):
                if self._close(value * factor, ref, self.rel_tol):
                    return Feedback("incorrect", 0.0, said)
            if self.partial_rel_tol and self._close(value, ref, self.partial_rel_tol):
                off = (value - ref) / abs(ref)
                near = dict(message=self.partial_message or Msg("Close, but not within the tolerance."), off=abs(off))
                return Feedback("partial", 0.5, Msg("{message} You are {off:.1%} above the answer.", **near) if off > 0
                                else Msg("{message} You are {off:.1%} below the answer.", **near))
        if value > ref:
            return Feedback("incorrect", 0.0, Msg(
                "{value:,.{d}f} is too high. Check which rows you included "
                "and the definition in the prompt; the hints can help.", value=value, d=self.decimals))
        return Feedback("incorrect", 0.0, Msg(
            "{value:,.{d}f} is too low. Check which rows you included "
            "and the definition in the prompt; the hints can help.", value=value, d=self.decimals))


# ---------------------------------------------------------------------------
# choice / multi
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """An option with its own feedback: why it is right, or what it misses."""

    key: str
    label: str
    correct: bool = False
    feedback: str = ""
    score: float | None = None  # partial credit for a defensible but weaker option


def _find_option(options: Sequence[Option], answer: Any) -> Option:
    if isinstance(answer, str):
        text = answer.strip()
        for opt in options:
            if text == opt.key or text == opt.label or text.lower() == opt.key.lower():
                return opt
    keys = ", ".join(repr(o.key) for o in options)
    shown = answer if isinstance(answer, str) else type(answer).__name__
    shown = shown if len(shown) <= 40 else shown[:39] + "…"  # never echo a huge answer back
    raise InvalidAnswer(Msg("{shown!r} is not one of the options. Choose one of: {keys}.", shown=Verbatim(shown), keys=keys))


class ChoiceExercise(Exercise):
    """Pick one option; every option explains itself."""

    kind = "choice"
    expects = Msg("one of the options")

    def __init__(self, id, title, prompt, *, options: Sequence[Option], **kw):
        super().__init__(id, title, prompt, **kw)
        if sum(o.correct for o in options) != 1:
            raise ValueError(f"exercise {id}: exactly one option must be correct")
        if len({o.key for o in options}) != len(options):
            raise ValueError(f"exercise {id}: option keys must be unique")
        self.options = list(options)
        self.expects = Msg("one of the options ({keys})", keys=", ".join(repr(o.key) for o in options))

    def reference_answer(self) -> str:
        return next(o.key for o in self.options if o.correct)

    def _check(self, answer):
        if not isinstance(answer, str):
            raise InvalidAnswer(Msg("Expected the key of one option as text, e.g. {key!r}.",
                                    key=Verbatim(self.options[0].key)))
        opt = _find_option(self.options, answer)
        if opt.correct:
            return Feedback("correct", 1.0, opt.feedback or Msg("Yes."))
        if opt.score:
            return Feedback("partial", opt.score, opt.feedback)
        return Feedback("incorrect", 0.0, opt.feedback or Msg("Not this one."))


class MultiExercise(Exercise):
    """Select all that apply. Score = (right picks − wrong picks − missed_cost × missed) ÷ right options."""

    kind = "multi"
    expects = Msg("a list of option keys")

    def __init__(self, id, title, prompt, *, options: Sequence[Option], missed_note: str = "",
                 missed_cost: float = 0.0, **kw):
        super().__init__(id, title, prompt, **kw)
        if not any(o.correct for o in options):
            raise ValueError(f"exercise {id}: at least one option must be correct")
        self.options = list(options)
        # Where leaving a right option out is worse than ticking a wrong one (a missed launch blocker),
        # each missed option costs ``missed_cost`` more, and ``missed_note`` says why.
        self.missed_note = missed_note
        self.missed_cost = float(missed_cost)
        self.expects = Msg("a list of option keys, e.g. [{keys}]", keys=", ".join(repr(o.key) for o in options[:2]))

    def reference_answer(self) -> list[str]:
        return [o.key for o in self.options if o.correct]

    def _check(self, answer):
        if isinstance(answer, str):
            answer = [answer]
        if isinstance(answer, (pd.Series, pd.Index, np.ndarray)):
            answer = list(answer)
        if not isinstance(answer, (list, tuple, set, frozenset)):
            raise InvalidAnswer(Msg("Expected a list of option keys, got a {kind}.", kind=type(answer).__name__))
        chosen = [_find_option(self.options, a if isinstance(a, str) else repr(a)) for a in answer]
        if not chosen:
            return Feedback("not_attempted", 0.0, Msg("Nothing selected yet: tick every option that applies."))
        picked = {o.key for o in chosen}
        right = {o.key for o in self.options if o.correct}
        hits, false = picked & right, picked - right
        missed = right - picked
        score = max(0.0, (len(hits) - len(false) - self.missed_cost * len(missed)) / len(right))
        if not false and not missed:
            return Feedback("correct", 1.0, Msg("All right. {details}", details=join(
                [o.feedback for o in self.options if o.correct and o.feedback])))
        # Say what is wrong with each wrong tick, and how many right options are still
        # missing — never which ones, or one wrong Check would list the answer.
        notes = [Msg("✗ {label}: {feedback}", label=o.label, feedback=o.feedback)
                 for o in self.options if o.key in false]
        if hits:
            notes.insert(0, Msg("✓ {n} of your ticks is right.", n=len(hits)) if len(hits) == 1 else
                            Msg("✓ {n} of your ticks are right.", n=len(hits)))
        if missed:
            left_out = (Msg("{n} right option is not ticked yet: look again at the ones you left out.", n=len(missed))
                        if len(missed) == 1 else
                        Msg("{n} right options are not ticked yet: look again at the ones you left out.", n=len(missed)))
            notes.append(join([left_out, self.missed_note]) if self.missed_note else left_out)
        if not false:
            head = Msg("{hits} of {right} right choices", hits=len(hits), right=len(right))
        else:
            counts = dict(hits=len(hits), right=len(right), false=len(false))
            head = (Msg("{hits} of {right} right choices, {false} that does not belong", **counts) if len(false) == 1
                    else Msg("{hits} of {right} right choices, {false} that do not belong", **counts))
        status = "partial" if score > 0 else "incorrect"
        return Feedback(status, score, Msg("{head}.\n{notes}", head=head, notes=join(notes, "\n")))


# ---------------------------------------------------------------------------
# ranking
# ---------------------------------------------------------------------------

class RankingExercise(Exercise):
    """Put items in order. Score = share of item pairs in the right order (Kendall)."""

    kind = "ranking"
    expects = Msg("a list of every item key, first to last")

    def __init__(self, id, title, prompt, *, items: Mapping[str, str], order: Sequence[str] | Lazy,
                 partial_at: float = 0.7, explanation: str = "", slips: Sequence[Slip] = (),
                 scores: Lazy | None = None, score_name: str = "score", **kw):
        super().__init__(id, title, prompt, **kw)
        self.slips = list(slips)  # known wrong orders (e.g. by loudness), each with what it reveals
        # The figure the order follows ({key: value}, or a function giving it): a wrong position is
        # then explained by the two items' figures, not only named.
        self._scores = scores
        self.score_name = score_name
        self.items = dict(items)
        self._order = order
        self.partial_at = partial_at
        self.explanation = explanation
        self.options = [Option(k, v) for k, v in self.items.items()]

    def reference_answer(self) -> list[str]:
        return list(self._lazy(self._order))

    def _computed_values(self) -> list:
        return [self._order, *([self._scores] if self._scores is not None else []), *super()._computed_values()]

    def _check(self, answer):
        if isinstance(answer, (pd.Series, pd.Index, np.ndarray, tuple)):
            answer = list(answer)
        if not isinstance(answer, list):
            raise InvalidAnswer(Msg("Expected a list of item keys in order, got a {kind}.",
                                    kind=type(answer).__name__))
        keys = [a.strip() if isinstance(a, str) else a for a in answer]
        unknown = [k for k in keys if k not in self.items]
        if unknown:
            raise InvalidAnswer(Msg("Unknown item(s) {unknown}; the items are {items}.",
                                    unknown=repr(unknown), items=repr(list(self.items))))
        if len(set(keys)) != len(keys):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            raise InvalidAnswer(Msg("Each item must appear once; repeated: {dupes}.", dupes=repr(dupes)))
        if set(keys) != set(self.items):
            missing = [k for k in self.items if k not in keys]
            raise InvalidAnswer(Msg("Rank every item; missing: {missing}.", missing=repr(missing)))
        ref = self.reference_answer()
        pos = {k: i for i, k in enumerate(keys)}
        pairs = [(a, b) for i, a in enumerate(ref) for b in ref[i + 1:]]
        agree = sum(pos[a] < pos[b] for a, b in pairs)
        score = agree / len(pairs) if pairs else 1.0
        if keys == ref:
            explanation = self.explanation.rstrip()
            return Feedback("correct", 1.0, Msg("Right order. {explanation}", explanation=explanation)
                            if explanation.strip() else Msg("Right order."))
        first_wrong = next(i for i, (a, b) in enumerate(zip(keys, ref)) if a != b)
        msg = Msg("{agree} of {pairs} pairs are in the right order. The first difference is at "
                  "position {position}: you put {item!r} there.", agree=agree, pairs=len(pairs),
                  position=first_wrong + 1, item=self.items[keys[first_wrong]])
        if self._scores is not None:
            scores = self._lazy(self._scores)
            put, belongs = keys[first_wrong], ref[first_wrong]
            if put in scores and belongs in scores:
                msg += Msg(" Its {score_name} is {put:,.4g}, but {item!r} has {belongs:,.4g}, so that one comes first.",
                           score_name=self.score_name, put=scores[put], item=self.items[belongs],
                           belongs=scores[belongs])
        for slip in self.slips:
            if keys == list(self._lazy(slip.value)):
                msg = Msg("{message} ({agree} of {pairs} pairs in the right order.)",
                          message=slip.message, agree=agree, pairs=len(pairs))
                break
        if score >= self.partial_at:
            return Feedback("partial", round(score, 2), msg)
        return Feedback("incorrect", 0.0, msg)


# ---------------------------------------------------------------------------
# data: a value the learner computes with pandas
# ---------------------------------------------------------------------------

def _row_keys(frame: pd.DataFrame, key: Sequence[str]) -> set[str]:
    """Each row's key columns as one text, e.g. "M001|2026-03" (plain zip: a row-wise
    apply is ten times slower, and a wrong table is compared with several slips)."""
    return {"|".join(parts) for parts in zip(*(frame[k].astype(str) for k in key))}


class DataExercise(Exercise):
    """A scalar, Series, DataFrame or set of ids computed with pandas.

    ``expected`` (a value or a function returning one) decides the comparison:
    - a number: close within ``rel_tol``; percent vs fraction is diagnosed;
    - a Series: same labels and values, in any order unless ``order_matters``;
    - a DataFrame: the ``columns`` compared row by row, matched on ``key``;
    - with ``id_column``: a collection of ids (list, set, Series, Index or a
      DataFrame with that column), compared as a set; missing and extra ids named.
    ``answer_name`` is the variable the widget's Check button reads.
    ``slips`` are functions giving known wrong results, each with what it reveals.
    ``share`` ("percent", "fraction" or None for an amount or a count) says what a factor of
    100 means; ``id_notes`` gives each id's reason, named when it is missing or extra.
    """

    kind = "data"

    def __init__(self, id, title, prompt, *, expected, answer_name: str,
                 rel_tol: float = 1e-3, key: Sequence[str] | None = None,
                 columns: Sequence[str] | None = None, id_column: str | None = None,
                 order_matters: bool = False, slips: Sequence[Slip] = (),
                 correct_message: str = "", share: str | None = None, unit: str = "",
                 id_notes: Lazy | None = None, **kw):
        super().__init__(id, title, prompt, **kw)
        if share not in (None, "percent", "fraction"):
            raise ValueError(f"exercise {id}: share is 'percent', 'fraction' or None, not {share!r}")
        # What a factor of 100 means: a percentage/fraction mix-up only when the answer is a share;
        # for an amount or a count (share=None) it is a unit slip.
        self.share = share
        self.unit = unit  # named in the unit-slip message (e.g. "CNY")
        # For an id answer: a function giving {id: why it belongs or not}, so a missing or extra
        # id is named with its reason (e.g. a task's slack), not only listed.
        self._id_notes = id_notes
        self._expected = expected
        self.answer_name = answer_name
        self.rel_tol = rel_tol
        self.key = list(key) if key else None
        self.columns = list(columns) if columns else None
        self.id_column = id_column
        self.order_matters = order_matters
        self._reference_frames: dict = {}  # reference and slip tables, prepared (see _prepared)
        self._answer_frames: dict = {}
        self.slips = list(slips)
        self.correct_message = correct_message
        if id_column:
            self.expects = Msg("the {column} values (a list, Series or a DataFrame with a {quoted} column)",
                               column=Verbatim(id_column), quoted=repr(id_column))
        elif columns:
            self.expects = Msg("a DataFrame with columns {columns}", columns=", ".join(columns))
        else:
            self.expects = Msg("the value of {name} computed with pandas", name=f"`{answer_name}`")

    def expected(self):
        return self._lazy(self._expected)

    def _computed_values(self) -> list:
        return [self._expected, *super()._computed_values()]

    def forget(self) -> None:
        with self._memo_lock:
            super().forget()
            self._reference_frames = {}

    def reference_answer(self):
        exp = self.expected()
        return exp.copy() if hasattr(exp, "copy") else exp

    # A comparison returns None when equal, else a sentence saying what differs.
    def _compare(self, answer, expected) -> str | None:
        if self.id_column:
            return self._compare_ids(answer, expected)
        if isinstance(expected, pd.DataFrame):
            return self._compare_frame(answer, expected)
        if isinstance(expected, pd.Series):
            return self._compare_series(answer, expected)
        return self._compare_scalar(answer, expected)

    def _compare_scalar(self, answer, expected) -> str | None:
        if isinstance(answer, (pd.Series, pd.DataFrame)) and np.size(answer) != 1:
            raise InvalidAnswer(Msg(
                "Expected a single number, got a {kind} with {n} values. "
                "Reduce it to one figure (e.g. with .sum() or .loc[...]).", kind=type(answer).__name__,
                n=np.size(answer)))
        value, _ = parse_number(answer)
        if math.isclose(value, float(expected), rel_tol=self.rel_tol, abs_tol=1e-9):
            return None
        return Msg("too high") if value > expected else Msg("too low")

    def _compare_series(self, answer, expected: pd.Series) -> str | None:
        if isinstance(answer, pd.DataFrame) and answer.shape[1] == 1:
            answer = answer.iloc[:, 0]
        if isinstance(answer, dict):
            answer = pd.Series(answer)
        if not isinstance(answer, pd.Series):
            kind = type(answer).__name__
            raise InvalidAnswer(
                Msg("Expected a pandas Series indexed by {index}, got a {kind}. A groupby(...)[column].sum() gives one.",
                    index=Verbatim(expected.index.name), kind=kind) if expected.index.name else
                Msg("Expected a pandas Series indexed by label, got a {kind}. A groupby(...)[column].sum() gives one.",
                    kind=kind))
        got_labels, exp_labels = set(map(str, answer.index)), set(map(str, expected.index))
        missing, extra = exp_labels - got_labels, got_labels - exp_labels
        if missing or extra:
            parts = []
            if missing:
                parts.append(Msg("missing label(s) {labels}", labels=repr(sorted(missing)[:5])))
            if extra:
                parts.append(Msg("unexpected label(s) {labels}", labels=repr(sorted(extra)[:5])))
            if expected.index.name:
                return Msg("{parts} (the index should hold the {index})", parts=join(parts, "; "),
                           index=Verbatim(expected.index.name))
            return Msg("{parts} (the index should hold the labels)", parts=join(parts, "; "))
        a = pd.Series(pd.to_numeric(answer.values, errors="coerce"), index=[str(i) for i in answer.index])
        e = pd.Series(expected.values.astype(float), index=[str(i) for i in expected.index])
        if a.isna().any():
            return Msg("some values are missing or not numbers")
        if self.order_matters and list(a.index) != list(e.index):
            return Msg("the right values, but not in the order asked for")
        a = a.reindex(e.index)
        bad = [i for i in e.index if not math.isclose(a[i], e[i], rel_tol=self.rel_tol, abs_tol=1e-9)]
        if bad:
            return Msg("the values for {labels} differ", labels=repr(bad[:3]))
        return None

    def _compare_frame(self, answer, expected: pd.DataFrame) -> str | None:
        if not isinstance(answer, pd.DataFrame):
            raise InvalidAnswer(Msg("Expected a DataFrame with columns {columns}, got a {kind}.",
                                    columns=repr(list(expected.columns)), kind=type(answer).__name__))
        cols = self.columns or list(expected.columns)
        if answer.index.name in cols and answer.index.name not in answer.columns:
            answer = answer.reset_index()
        missing = [c for c in cols if c not in answer.columns]
        if missing:
            raise InvalidAnswer(Msg("Your DataFrame lacks column(s) {missing}. Expected columns: {columns}; "
                                    "yours has {yours}.", missing=repr(missing), columns=repr(cols),
                                    yours=repr(list(answer.columns)[:10])))
        key = self.key or cols[:1]
        a_keys, a = self._prepared(answer, cols, key, self._answer_frames)
        e_keys, e = self._prepared(expected, cols, key, self._reference_frames)
        if a_keys != e_keys:
            miss, extra = sorted(e_keys - a_keys), sorted(a_keys - e_keys)
            parts = []
            if miss:
                parts.append(Msg("{n} row(s) missing, e.g. {rows}", n=len(miss), rows=repr(miss[:3])))
            if extra:
                parts.append(Msg("{n} extra row(s), e.g. {rows}", n=len(extra), rows=repr(extra[:3])))
            return join(parts, "; ")
        if len(a) != len(e):
            return Msg("{n} rows where {expected} were expected (duplicates?)", n=len(a), expected=len(e))
        a = a.sort_values(key).reset_index(drop=True)
        e = e.sort_values(key).reset_index(drop=True)
        for c in cols:
            if c in key:
                continue
            if pd.api.types.is_numeric_dtype(e[c]):
                av = pd.to_numeric(a[c], errors="coerce").to_numpy(dtype=float)
                ev = e[c].to_numpy(dtype=float)
                if not np.allclose(av, ev, rtol=self.rel_tol, atol=1e-9, equal_nan=True):
                    return Msg("column {column} has different values", column=repr(c))
            elif list(a[c].astype(str)) != list(e[c].astype(str)):
                return Msg("column {column} has different values", column=repr(c))
        return None

    @staticmethod
    def _prepared(frame: pd.DataFrame, cols, key, cache: dict) -> tuple[set, pd.DataFrame]:
        """A frame's row keys and its compared columns, worked out once: a wrong table is
        held against the reference and every slip, and those never change."""
        token = (id(frame), tuple(cols), tuple(key))
        if token not in cache:
            part = frame[cols]
            cache[token] = (_row_keys(part, key), part)
        return cache[token]

    def _ids(self, answer) -> set[str]:
        col = self.id_column
        if isinstance(answer, pd.DataFrame):
            if col in answer.columns:
                values = answer[col]
            elif answer.index.name == col:
                values = answer.index
            else:
                raise InvalidAnswer(Msg("Your DataFrame has no {quoted} column (it has {columns}). "
                                        "Keep the {column} column, or give a list of {column} values.",
                                        quoted=repr(col), columns=repr(list(answer.columns)[:8]), column=Verbatim(col)))
        elif isinstance(answer, (pd.Series, pd.Index, list, tuple, set, frozenset, np.ndarray)):
            values = list(answer)
        else:
            raise InvalidAnswer(Msg("Expected {expects}, got a {kind}.", expects=self.expects,
                                    kind=type(answer).__name__))
        values = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values
        return set(values[~values.isna()].astype(str).tolist())

    def _ids_once(self, value, cache: dict) -> set[str]:
        """``_ids``, worked out once per object: a long list of ids is held against the reference
        and every slip. The object is kept with its ids, so a reused id() never matches."""
        token = ("ids", id(value))
        if token not in cache or cache[token][0] is not value:
            cache[token] = (value, self._ids(value))
        return cache[token][1]

    def _compare_ids(self, answer, expected) -> str | None:
        got, want = self._ids_once(answer, self._answer_frames), self._ids_once(expected, self._reference_frames)
        if got == want:
            return None
        miss, extra = want - got, got - want
        notes = self._lazy(self._id_notes) if self._id_notes is not None else {}

        def named(ids):  # the first three in order (a full sort of thousands of ids is not needed)
            return join([Msg("{id} ({note})", id=Verbatim(i), note=notes[i]) if i in notes else Verbatim(i)
                         for i in heapq.nsmallest(3, ids)], ", ")

        parts = []
        if miss:
            parts.append(Msg("{n} missing (e.g. {ids})", n=len(miss), ids=named(miss)))
        if extra:
            parts.append(Msg("{n} that should not be there (e.g. {ids})", n=len(extra), ids=named(extra)))
        return Msg("You found {found} of {total}; {details}", found=len(got & want), total=len(want),
                   details=join(parts, "; "))

    def _default_correct(self, expected) -> str:
        if self.id_column:
            return Msg("Yes: all {n} found, and nothing extra.", n=len(self._ids(expected)))
        if isinstance(expected, pd.DataFrame):
            return Msg("Yes: all {n} rows match.", n=len(expected))
        if isinstance(expected, pd.Series):
            return Msg("Yes: all {n} values match.", n=len(expected))
        return Msg("Yes: {value:,.2f}.", value=float(expected))

    def _check(self, answer):
        self._answer_frames = {}  # this answer, prepared once for every comparison below
        try:
            return self._judge_data(answer)
        finally:
            self._answer_frames = {}

    def _judge_data(self, answer):
        expected = self.expected()
        if isinstance(answer, (pd.DataFrame, pd.Series)) and answer.empty and not (
                isinstance(expected, (pd.DataFrame, pd.Series)) and expected.empty):
            return Feedback("incorrect", 0.0, Msg("Your result is empty: check your filter conditions."))
        difference = self._compare(answer, expected)
        if difference is None:
            return Feedback("correct", 1.0, self.correct_message or self._default_correct(expected))
        for slip in self.slips:
            try:
                if self._compare(answer, self._lazy(slip.value)) is None:
                    return Feedback("incorrect", 0.0, slip.message)
            except InvalidAnswer:
                continue
        if not self.id_column and not isinstance(expected, (pd.DataFrame, pd.Series)):
            value, _ = parse_number(answer)
            scale = self._hundred(value, float(expected), subject="That looks")
            if scale:
                return Feedback("incorrect", 0.0, scale)
        if isinstance(expected, pd.Series) and isinstance(answer, pd.Series):
            a_total = float(pd.to_numeric(answer, errors="coerce").sum())
            scale = self._hundred(a_total, float(expected.sum()), subject="Your values look")
            if scale:
                return Feedback("incorrect", 0.0, scale)
        return Feedback("incorrect", 0.0, Msg("Not yet: {difference}. The hints can help.", difference=difference))

    def _hundred(self, value: float, expected: float, subject: str) -> str | None:
        """What a factor of exactly 100 reveals, in this answer's terms (see ``share``)."""
        if not expected or not math.isfinite(value):
            return None
        one = subject == "That looks"
        if math.isclose(value * 100, expected, rel_tol=self.rel_tol):
            if self.share == "percent":
                return (Msg("That looks like a fraction where a percentage was asked: multiply by 100.") if one else
                        Msg("Your values look like fractions where percentages were asked: multiply by 100."))
            if self.share is None:
                return _hundred_times("small", self.unit)
        if math.isclose(value / 100, expected, rel_tol=self.rel_tol):
            if self.share == "fraction":
                return (Msg("That looks like a percentage where a fraction was asked: divide by 100.") if one else
                        Msg("Your values look like percentages where fractions were asked: divide by 100."))
            if self.share is None:
                return _hundred_times("large", self.unit)
        return None


# ---------------------------------------------------------------------------
# model: sliders on a model; reach a target
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Param:
    """One slider of a model exercise."""

    name: str
    label: str
    min: float
    max: float
    step: float
    default: float
    unit: str = ""


@dataclass
class ModelOutcome:
    """What a model run returns: figures, targets met, and a chart to draw."""

    metrics: dict
    targets: dict  # target description -> met (bool)
    notes: list = field(default_factory=list)


class ModelExercise(Exercise):
    """Move sliders on a model until every stated target is met.

    ``evaluate(params) -> ModelOutcome`` is a pure function (a model in
    ``ctopath.models``); it may raise ValueError for impossible settings, which
    becomes an 'invalid' message. ``plot(params) -> Figure`` draws the model.
    """

    kind = "model"

    def __init__(self, id, title, prompt, *, params: Sequence[Param], evaluate: Callable[[dict], ModelOutcome],
                 reference: Mapping[str, float], plot: Callable[[dict], Any] | None = None,
                 success_message: str = "", run_button: bool = False, **kw):
        super().__init__(id, title, prompt, **kw)
        # With run_button the model runs when the learner presses "Run" (for slow or
        # many-slider models, e.g. a simulation), not on every slider change.
        self.run_button = run_button
        self.params = list(params)
        self.evaluate = evaluate
        self._reference = dict(reference)
        self.plot = plot
        self.success_message = success_message
        self.expects = Msg("a dict of slider values: {names}", names=", ".join(p.name for p in self.params))

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def reference_answer(self) -> dict:
        return dict(self._reference)

    def validate(self, answer) -> dict:
        if not isinstance(answer, Mapping):
            raise InvalidAnswer(Msg("Expected {expects}, got a {kind}.", expects=self.expects,
                                    kind=type(answer).__name__))
        unknown = [k for k in answer if k not in {p.name for p in self.params}]
        if unknown:
            raise InvalidAnswer(Msg("Unknown setting(s) {unknown}; the model takes {names}.", unknown=repr(unknown),
                                    names=repr([p.name for p in self.params])))
        values = {}
        for p in self.params:
            raw = answer.get(p.name, p.default)
            try:
                v, _ = parse_number(raw)
            except InvalidAnswer as bad:
                raise InvalidAnswer(Msg("{label}: {reason}", label=p.label, reason=reason(bad))) from None
            if not p.min <= v <= p.max:
                bounds = dict(label=p.label, low=p.min, high=p.max, value=v)
                raise InvalidAnswer(
                    Msg("{label} must be between {low:g} and {high:g} {unit}; got {value:g} {unit}.", **bounds,
                        unit=p.unit) if p.unit else
                    Msg("{label} must be between {low:g} and {high:g}; got {value:g}.", **bounds))
            values[p.name] = v
        return values

    def _check(self, answer):
        values = self.validate(answer)
        try:
            outcome = self.evaluate(values)
        except ValueError as err:
            raise InvalidAnswer(reason(err)) from None
        met = [t for t, ok in outcome.targets.items() if ok]
        missed = [t for t, ok in outcome.targets.items() if not ok]
        lines = [Msg("{mark} {target}", mark="✓" if ok else "✗", target=t) for t, ok in outcome.targets.items()]
        lines += list(outcome.notes)
        if not missed:
            return Feedback("correct", 1.0, join([self.success_message, *lines] if self.success_message else lines,
                                                 "\n"))
        score = len(met) / len(outcome.targets)
        status = "partial" if met else "incorrect"
        return Feedback(status, score, Msg("{met} of {total} targets met.\n{lines}", met=len(met),
                                           total=len(outcome.targets), lines=join(lines, "\n")))


# ---------------------------------------------------------------------------
# reflection: free text saved, model answer shown
# ---------------------------------------------------------------------------

class ReflectionExercise(Exercise):
    """Free text. Saved, never graded for content; a model answer is shown."""

    kind = "reflection"
    expects = Msg("a few sentences of your own")

    def __init__(self, id, title, prompt, *, model_answer: str, min_words: int = 15,
                 example_answer: str = "", **kw):
        super().__init__(id, title, prompt, **kw)
        self.model_answer = model_answer
        self.min_words = min_words
        self.example_answer = example_answer or model_answer

    def reference_answer(self) -> str:
        return self.example_answer

    @staticmethod
    def word_count(text: str) -> int:
        # CJK text has no spaces: count each CJK character as a word.
        cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
        latin = len([w for w in "".join(" " if "\u4e00" <= ch <= "\u9fff" else ch for ch in text).split() if w])
        return cjk + latin

    def _check(self, answer):
        if not isinstance(answer, str):
            raise InvalidAnswer(Msg("Expected text: write a few sentences in the box."))
        words = self.word_count(answer.strip())
        if words == 0:
            return Feedback("not_attempted", 0.0, Msg("Nothing written yet: a few honest sentences are enough."))
        # A reflection is kept, never graded: any text counts as done, and the feedback
        # says "saved", not "correct" (a word count says nothing about the thinking).
        if words >= self.min_words:
            return Feedback("saved", 1.0, Msg("Saved ({words} words). Compare with one way to see it:\n{model_answer}",
                                              words=words, model_answer=self.model_answer))
        return Feedback("saved", 1.0, Msg(
            "Saved ({words} words). A few more sentences will help future-you act on it. "
            "Compare with one way to see it:\n{model_answer}", words=words, model_answer=self.model_answer))


__all__ = [
    "____", "is_placeholder", "Feedback", "Exercise", "InvalidAnswer", "WrongExample", "Slip", "Option",
    "Param", "ModelOutcome", "NumberExercise", "ChoiceExercise", "MultiExercise", "RankingExercise",
    "DataExercise", "ModelExercise", "ReflectionExercise", "STATUSES", "DONE_STATUSES", "KINDS",
]
