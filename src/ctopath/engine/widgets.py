"""The views: an exercise's inputs, Check / Hint / Show solution / Reset, and feedback.

Widgets only display and collect; judging is ``Exercise.check``. Nothing here
prints: results go into HTML widgets, and a callback error goes into an Output
widget (``append_stderr``) plus a sentence in the feedback area, so it is
never lost and never becomes stray cell output.
"""
from __future__ import annotations

import asyncio
import datetime as _dt
import html
import io
import tempfile
import threading
import traceback
import warnings
from pathlib import Path
from typing import Any

import ipywidgets as w
import mistune

from . import controls
from .errors import CtopathError
from .exercise import STATUS_LABELS, STATUSES, Exercise, Feedback, ____, is_placeholder
from .exercise import feedback_html as _static_feedback_html
from .progress import GRADED_STATUSES, ProgressStore

# A Check click is judged this long after it arrives, so a value typed just before the click
# (which the browser may still be sending) is read, not the half-typed one before it.
CHECK_SETTLE_SECONDS = 0.08

_WIDE = w.Layout(width="100%")
_LABEL_STYLE = {"description_width": "initial"}


def _feedback_html(fb: Feedback) -> str:
    """Feedback for the view's live region (the region itself carries the status role)."""
    return _static_feedback_html(fb, role_status=False, icon=controls.status_icon(fb.status))


def markdown(text: str) -> str:
    return mistune.html(text or "")


def figure_png(fig) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it (no stray output)."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


class _MissingVariable(Exception):
    pass


# ---------------------------------------------------------------------------
# Inputs, one adapter per kind: .widget, .get(), .set(value), .reset()
# ---------------------------------------------------------------------------

class _TextInput:
    def __init__(self, ex: Exercise, multiline=False):
        # Every keystroke syncs, so Check never judges a half-typed value; Enter checks a number.
        if multiline:
            self.widget = w.Textarea(value="", placeholder="Write a few sentences…", continuous_update=True,
                                     description="Your answer:", rows=5, layout=_WIDE, style=_LABEL_STYLE)
        else:
            unit = " (%)" if getattr(ex, "percent", False) else (f" ({ex.unit})" if getattr(ex, "unit", "") else "")
            self.widget = w.Text(value="", placeholder="a number, e.g. 1234.5 (Enter checks)",
                                 description=f"Your answer{unit}:", continuous_update=True,
                                 style=_LABEL_STYLE)
        self.widget.add_class("ctopath-input")

    def on_enter(self, callback):
        def handle(_widget, content, _buffers):
            if isinstance(content, dict) and content.get("event") == "submit":
                callback()
        self.widget.on_msg(handle)

    def get(self):
        return self.widget.value if self.widget.value.strip() else ____

    def set(self, value):
        self.widget.value = "" if value is ____ or value is None else str(value)

    def reset(self):
        self.widget.value = ""


class _ChoiceInput:
    def __init__(self, ex):
        self.ex = ex
        # The group's name is the question, so a screen reader announces it on entering the options.
        self.widget = controls.RadioButtons(options=[(o.label, o.key) for o in ex.options], value=None,
                                            question=f"Exercise {ex.id} · {ex.title} —",
                                            description="Your answer:",
                                            layout=_WIDE)
        self.widget.add_class("ctopath-input")

    def get(self):
        return self.widget.value if self.widget.value is not None else ____

    def set(self, value):
        keys = {o.key: o.key for o in self.ex.options} | {o.label: o.key for o in self.ex.options}
        if isinstance(value, str) and value in keys:
            self.widget.value = keys[value]

    def reset(self):
        self.widget.value = None


class _MultiInput:
    def __init__(self, ex):
        self.boxes = {o.key: w.Checkbox(value=False, description=o.label, indent=False, layout=_WIDE)
                      for o in ex.options}
        self.widget = w.VBox([w.HTML("<em>Tick every option that applies:</em>"), *self.boxes.values()])
        self.widget.add_class("ctopath-input")

    def get(self):
        return [k for k, b in self.boxes.items() if b.value]

    def set(self, value):
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple, set)):
            for k, b in self.boxes.items():
                b.value = k in value

    def reset(self):
        for b in self.boxes.values():
            b.value = False


class _RankingInput:
    def __init__(self, ex):
        self.ex = ex
        labels = [(v, k) for k, v in ex.items.items()]
        self.slots = [w.Dropdown(options=labels, value=labels[i][1], description=f"Rank {i + 1}:",
                                 layout=_WIDE, style=_LABEL_STYLE) for i in range(len(labels))]
        self.widget = w.VBox([w.HTML("<em>Rank 1 is first. Use each item once.</em>"), *self.slots])
        self.widget.add_class("ctopath-input")
        # The slots start in the items' listed order: checking that untouched order is
        # "not attempted", not a ranking the learner chose.
        self.touched = False
        for slot in self.slots:
            slot.observe(self._touch, names=["value"])

    def _touch(self, _change=None):
        self.touched = True

    def get(self):
        return [s.value for s in self.slots] if self.touched else ____

    def set(self, value):
        if isinstance(value, (list, tuple)) and len(value) == len(self.slots) and all(
                v in self.ex.items for v in value):
            for s, v in zip(self.slots, value):
                s.value = v
            self.touched = True

    def reset(self):
        for s, k in zip(self.slots, self.ex.items):
            s.value = k
        self.touched = False


class _DataInput:
    """No box: the answer is a variable the learner computes in a code cell."""

    def __init__(self, ex):
        self.ex = ex
        self.submitted: Any = ____
        self.widget = w.HTML(
            f"<p>Compute <code>{html.escape(ex.answer_name)}</code> in the code cell below and run it, "
            f"then press <strong>Check</strong> (or run "
            f"<code>exercise(\"{html.escape(ex.id)}\").submit({html.escape(ex.answer_name)})</code>).</p>")

    def get(self):
        try:
            from IPython import get_ipython
            shell = get_ipython()
        except ImportError:  # pragma: no cover
            shell = None
        if shell is not None and self.ex.answer_name in shell.user_ns:
            return shell.user_ns[self.ex.answer_name]
        if self.submitted is not ____:
            return self.submitted
        raise _MissingVariable(
            f"There is no variable `{self.ex.answer_name}` yet: write the code that computes it "
            f"in the cell below, run that cell, then press Check.")

    def set(self, value):
        self.submitted = value

    def reset(self):
        self.submitted = ____


class _ModelInput:
    def __init__(self, ex, on_change):
        self.ex = ex
        self.sliders = {
            p.name: controls.FloatSlider(value=p.default, min=p.min, max=p.max, step=p.step, unit=p.unit,
                                         description=f"{p.label}{' (' + p.unit + ')' if p.unit else ''}:",
                                         layout=_WIDE)
            for p in ex.params}
        self.chart = controls.Chart()
        self.metrics = w.HTML()
        self.metrics.add_class("ctopath-metrics")
        self.run = None
        if ex.run_button:
            self.run = w.Button(description="Run", tooltip="Run the model with these settings")
            self.run.add_class("ctopath-run")
            self.run.on_click(lambda _b: on_change())
            self.widget = w.VBox([*self.sliders.values(), self.run, self.metrics, self.chart])
        else:
            self.widget = w.VBox([*self.sliders.values(), self.metrics, self.chart])
            for s in self.sliders.values():
                s.observe(self._changed, names=["value"])
        self._on_change = on_change
        self._holding = False
        self.widget.add_class("ctopath-input")

    def get(self):
        return {k: s.value for k, s in self.sliders.items()}

    def _changed(self, _change=None):
        if not self._holding:
            self._on_change()

    def set(self, value):
        if isinstance(value, dict):
            self._holding = True  # one redraw for the whole plan, not one per slider
            moved = False
            try:
                for k, v in value.items():
                    s = self.sliders.get(k)
                    try:
                        if s is not None and s.min <= float(v) <= s.max and s.value != float(v):
                            s.value = float(v)
                            moved = True
                    except (TypeError, ValueError, OverflowError):
                        pass
            finally:
                self._holding = False
            if moved and self.run is None:
                self._on_change()

    def show_chart(self, png: bytes | None, alt: str = ""):
        self.chart.show(png, alt)

    def reset(self):
        self.set(self.ex.defaults())
        if self.run is not None:  # a run-button model shows nothing until it is run again
            self.show_chart(None)
            self.metrics.value = "<p>Set the sliders, then press <strong>Run</strong>.</p>"


# ---------------------------------------------------------------------------
# The view
# ---------------------------------------------------------------------------

class ExerciseView:
    """One exercise on screen. ``submit`` drives it the way a learner would."""

    def __init__(self, exercise: Exercise, store: ProgressStore | None = None, practice: bool = False):
        self.ex = exercise
        self.store = store or ProgressStore()
        self.practice = practice
        self.hints_shown = 0
        self._check_pending = False
        self._drawn_for = None  # the settings the model dashboard shows now
        ex = exercise
        note = ('<p class="ctopath-practice"><strong>Practice in the lesson:</strong> nothing you do here '
                'is saved to your progress; the exercises notebook is where it counts.</p>' if practice else "")
        self.header = w.HTML(
            f'<div class="ctopath-prompt"><h4>Exercise {html.escape(ex.id)} · {html.escape(ex.title)}</h4>'
            f"{note}{markdown(ex.prompt)}<p><small>About {ex.minutes} min · kind: {ex.kind}</small></p></div>")
        if ex.kind in ("number",):
            self.input = _TextInput(ex)
        elif ex.kind == "reflection":
            self.input = _TextInput(ex, multiline=True)
        elif ex.kind == "choice":
            self.input = _ChoiceInput(ex)
        elif ex.kind == "multi":
            self.input = _MultiInput(ex)
        elif ex.kind == "ranking":
            self.input = _RankingInput(ex)
        elif ex.kind == "data":
            self.input = _DataInput(ex)
        elif ex.kind == "model":
            self.input = _ModelInput(ex, self._on_model_change)
        else:  # pragma: no cover
            raise ValueError(f"no view for kind {ex.kind!r}")

        self.check_button = w.Button(description="Check", button_style="primary",
                                     tooltip=f"Check your answer to exercise {ex.id}")
        self.hint_button = w.Button(description="Hint", tooltip=f"{len(ex.hints)} hints, one at a time")
        self.solution_button = w.Button(description="Show solution", tooltip="Reveal the worked solution")
        self.reset_button = w.Button(description="Reset", tooltip="Clear this answer (your progress record is kept)")
        for b in (self.check_button, self.hint_button, self.solution_button, self.reset_button):
            b.add_class("ctopath-button")
        self.feedback = controls.LiveHTML(
            _feedback_html(Feedback("not_attempted", 0, "Answer above, then press Check.")))
        self.feedback.add_class("ctopath-feedback")
        self.hint_area = w.HTML()
        self.hint_area.add_class("ctopath-hints")
        self.solution_area = w.HTML()
        self.solution_area.add_class("ctopath-solution")
        self.errors = w.Output()
        self.errors.add_class("ctopath-errors")

        self.check_button.on_click(lambda _b: self._safely(self._request_check))
        self.hint_button.on_click(lambda _b: self._safely(self.show_hint))
        self.solution_button.on_click(lambda _b: self._safely(self.show_solution))
        self.reset_button.on_click(lambda _b: self._safely(self.reset))
        if isinstance(self.input, _TextInput) and ex.kind == "number":
            self.input.on_enter(lambda: self._safely(self._request_check))

        self.box = w.VBox([
            self.header, self.input.widget,
            w.HBox([self.check_button, self.hint_button, self.solution_button, self.reset_button]),
            self.feedback, self.hint_area, self.solution_area, self.errors,
        ])
        self.box.add_class("ctopath-exercise")
        self.box.add_class(f"ctopath-ex-{ex.id.replace('.', '-')}")
        restored = self._restore()
        if _in_kernel():  # compute reference and slip values while the learner reads the question
            threading.Thread(target=ex.warm, name=f"ctopath-warm-{ex.id}", daemon=True).start()
        if ex.kind == "model":
            if ex.run_button and not restored:  # a slow model runs when asked, not on display
                self.input.metrics.value = "<p>Set the sliders, then press <strong>Run</strong>.</p>"
            elif self._drawn_for is None:  # a restored plan comes back with its dashboard
                self._on_model_change()

    # -- display ---------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude)
        # A fixed text fallback: static viewers show it, and stored outputs stay stable.
        bundle["text/plain"] = (f"Exercise {self.ex.id} · {self.ex.title} [{self.ex.kind}] "
                                f"— interactive: run this notebook in JupyterLab to answer it.")
        return bundle

    # -- actions ---------------------------------------------------------
    def _safely(self, action):
        try:
            return action()
        except Exception as err:  # a callback error is shown, never lost
            self.errors.append_stderr("".join(traceback.format_exception(err)))
            self.feedback.value = _feedback_html(Feedback(
                "invalid", 0, f"Something went wrong while handling that ({type(err).__name__}: {err}). "
                              f"Your answer is still in the box; the details are below."))
            return None

    def _request_check(self):
        """A click or Enter: judge what is in the box once the browser's last keystrokes are in."""
        if self._check_pending:
            return
        try:
            # Only a kernel's own loop runs between messages; any other loop (or none) judges now.
            loop = asyncio.get_running_loop() if _in_kernel() else None
        except RuntimeError:
            loop = None
        if loop is None:
            self._press_check()
            return
        self._check_pending = True

        def settled():
            self._check_pending = False
            self._safely(self._press_check)

        loop.call_later(CHECK_SETTLE_SECONDS, settled)

    def _press_check(self) -> Feedback:
        try:
            answer = self.input.get()
        except _MissingVariable as missing:
            fb = self._not_checked(str(missing), f"run the cell that computes `{self.ex.answer_name}`, "
                                                  "then press Check")
            self.feedback.value = _feedback_html(fb)
            return fb
        return self._judge(answer)

    def _saved_record(self) -> dict | None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a damaged store is reported by _restore and _judge
                rec = self.store.get(self.ex.id)
        except (CtopathError, OSError):
            return None
        if isinstance(rec, dict) and rec.get("status") not in (None, "not_attempted"):
            return rec
        return None

    def _not_checked(self, why: str, how: str) -> Feedback:
        """Nothing new to judge: keep (and say) what was saved, never overwrite it."""
        rec = self._saved_record()
        if rec is None:
            return Feedback("not_attempted", 0.0, why, self.ex.id)
        when = _when(rec.get("last_attempt_at"))
        status = rec["status"] if rec["status"] in STATUSES else "not_attempted"
        message = (f"Your saved answer{when} stands: {describe_answer(rec.get('answer'))}. "
                   f"{why} Nothing new was checked, so your record is unchanged; to check again, {how}.")
        return Feedback(status, _score(rec), message, self.ex.id)

    def _judge(self, answer) -> Feedback:
        fb = self.ex.check(answer)
        if fb.status == "not_attempted":
            # An untouched starter (the blank ____) or an untouched widget never overwrites
            # the learner's saved answer, status, score or attempt count.
            how = ("put your answer in the cell above (replacing ____) and run it" if is_placeholder(answer)
                   else "answer in the box and press Check")
            fb = self._not_checked(fb.message, how)
            self.feedback.value = _feedback_html(fb)
            return fb
        if self.ex.kind == "model" and self.ex.run_button and fb.status != "invalid" \
                and answer != self._drawn_for:
            self._on_model_change()  # the dashboard shows what was checked
        note = ""
        kept = self._saved_record() if fb.status == "invalid" else None
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self.store.record_check(self.ex.id, answer, fb)
            if caught:  # e.g. a damaged store set aside, then an over-long answer saved shortened
                note = " ".join(str(c.message) for c in caught)
            if kept is not None and kept.get("status") in GRADED_STATUSES:
                label = STATUS_LABELS.get(kept["status"], ("", kept["status"]))[1].lower()
                note = (f"Your saved answer ({label}) is kept: {describe_answer(kept.get('answer'))}. " + note).strip()
        except (CtopathError, OSError) as err:
            note = f"Your answer was checked but could not be saved: {err}"
        self.feedback.value = _feedback_html(fb) + (
            f'<div class="ctopath-note">ℹ️ {html.escape(note)}</div>' if note else "")
        return fb

    def submit(self, answer) -> Feedback:
        """Put ``answer`` in the inputs, press Check, return the Feedback.

        The Feedback displays as a second view of this exercise's feedback area, so the
        result under the code cell and the one in the box always agree.
        """
        if not is_placeholder(answer):
            try:
                self.input.set(answer)
            except Exception:  # an answer the widget cannot show is still checked as given
                pass
        return self._judge(answer).shown_in(self.feedback)

    def show_hint(self) -> str:
        if self.hints_shown < len(self.ex.hints):
            self.hints_shown += 1
            self._record(lambda: self.store.record_hint(self.ex.id, self.hints_shown))
        self._draw_hints()
        return self.ex.hints[self.hints_shown - 1]

    def _draw_hints(self):
        items = "".join(f"<li>{markdown(h)}</li>" for h in self.ex.hints[: self.hints_shown])
        more = ("" if self.hints_shown >= len(self.ex.hints)
                else f"<small>Hint {self.hints_shown} of {len(self.ex.hints)}: press Hint for the next.</small>")
        self.hint_area.value = f"<div><strong>💡 Hints</strong><ol>{items}</ol>{more}</div>" if items else ""
        self.hint_button.disabled = self.hints_shown >= len(self.ex.hints)

    def show_solution(self) -> str:
        self._record(lambda: self.store.record_solution(self.ex.id))
        self._draw_solution()
        return self.ex.solution

    def _draw_solution(self):
        code = (f"<pre><code>{html.escape(self.ex.solution_code)}</code></pre>"
                if self.ex.solution_code else "")
        self.solution_area.value = (f"<div><strong>📖 Solution</strong>{markdown(self.ex.solution)}{code}"
                                    f"<small>Revealing the solution is recorded in your progress.</small></div>")

    def reset(self):
        """Clear the box, the hints and the solution from view (the progress record is kept)."""
        self.input.reset()
        self.hints_shown = 0
        self._draw_hints()
        self.solution_area.value = ""
        self._drawn_for = None
        self.feedback.value = _feedback_html(Feedback("not_attempted", 0, "Cleared. Answer above, then press Check."))

    def _record(self, action):
        try:
            action()
        except (CtopathError, OSError) as err:
            self.errors.append_stderr(f"Progress not saved: {err}\n")

    def _restore(self) -> bool:
        """Start from the learner's last answer, if there is one. True when an answer came back."""
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                rec = self.store.get(self.ex.id)
        except (CtopathError, OSError) as err:
            self.errors.append_stderr(f"Could not read your progress: {err}\n")
            return False
        if caught:
            self.errors.append_stderr(" ".join(str(c.message) for c in caught) + "\n")
        if not isinstance(rec, dict):
            return False
        restored = False
        answer = rec.get("answer")
        if answer is not None and answer != repr(____) and self.ex.kind != "data":
            try:
                self.input.set(answer)
                restored = True
            except Exception:
                pass
        status = rec.get("status")
        if status in STATUSES and status != "not_attempted":
            fb = Feedback(status, _score(rec), str(rec.get("message", "")), self.ex.id)
            saved = (f" Your answer is the variable <code>{html.escape(self.ex.answer_name)}</code>: run its "
                     f"cell again to re-check; until then the saved result stands."
                     if self.ex.kind == "data" else "")
            self.feedback.value = (
                f'<div class="ctopath-note">↩︎ Restored your last answer{html.escape(_when(rec.get("last_attempt_at")))} '
                f'({_int(rec.get("attempts"))} attempt(s) so far): '
                f'{html.escape(describe_answer(answer))}.{saved}</div>' + _feedback_html(fb))
        self.hints_shown = min(_int(rec.get("hints_used")), len(self.ex.hints))
        if self.hints_shown:
            self._draw_hints()
        if rec.get("solution_revealed") is True:
            self._draw_solution()
        return restored

    # -- model kind: redraw the chart as sliders move ---------------------
    def _on_model_change(self, change=None):
        values = self.input.get()
        try:
            outcome = self.ex.evaluate(self.ex.validate(values))
        except Exception as err:  # impossible settings are explained, not raised
            self.input.metrics.value = f"<p>⚠️ {html.escape(str(err))}</p>"
            return
        rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(_fmt(v))}</td></tr>"
                       for k, v in outcome.metrics.items())
        targets = "".join(f"<li>{'✓ met' if ok else '✗ not met'} — {html.escape(t)}</li>"
                          for t, ok in outcome.targets.items())
        self.input.metrics.value = f"<table>{rows}</table><ul>{targets}</ul>"
        if self.ex.plot is not None:
            self.input.show_chart(figure_png(self.ex.plot(values)), chart_alt(self.ex.title, outcome.metrics))
        self._drawn_for = dict(values)


def chart_alt(title: str, metrics: dict) -> str:
    """The model chart's text alternative: what it shows, with the figures it was drawn from."""
    figures = "; ".join(f"{k}: {_fmt(v)}" for k, v in list(metrics.items())[:4])
    return (f"Chart of the model in “{title}” with these settings ({figures}). "
            f"Every figure and target is in the table above the chart.")


def _int(value) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        return 0


def _score(rec: dict) -> float:
    try:
        score = float(rec.get("score", 0.0))
    except (TypeError, ValueError, OverflowError):
        return 0.0
    return min(max(score, 0.0), 1.0) if score == score else 0.0


def _when(stamp) -> str:
    """' (checked 2026-12-01 09:14 UTC)' from a stored ISO time, or '' if there is none."""
    if not isinstance(stamp, str):
        return ""
    try:
        moment = _dt.datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(_dt.timezone.utc)
    return f" (checked {moment:%Y-%m-%d %H:%M} UTC)"


def describe_answer(answer, limit: int = 80) -> str:
    """A stored answer in a few readable words (tables are summarised, long text cut)."""
    if isinstance(answer, dict) and "__table__" in answer:
        shape = answer.get("shape") if isinstance(answer.get("shape"), list) else []
        kind = "table" if answer.get("__table__") == "DataFrame" else "Series"
        size = (f" of {shape[0]} rows × {shape[1]} columns" if kind == "table" and len(shape) == 2
                else f" of {shape[0]} values" if shape else "")
        return f"a {kind}{size}"
    if isinstance(answer, (list, tuple)):
        text = ", ".join(str(v) for v in answer)
    elif isinstance(answer, dict):
        text = ", ".join(f"{k} = {v}" for k, v in answer.items())
    elif answer is None:
        return "no answer stored"
    else:
        text = str(answer)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def practice_store() -> ProgressStore:
    """A throwaway store for lesson demonstrations: lessons never write to a learner's progress."""
    folder = Path(tempfile.mkdtemp(prefix="ctopath-practice-"))
    return ProgressStore(folder / "practice.json")


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)

