"""The views: an exercise's inputs, Check / Hint / Show solution / Reset, and feedback.

Widgets only display and collect; judging is ``Exercise.check``. Nothing here
prints: results go into HTML widgets, and a callback error goes into an Output
widget (``append_stderr``) plus a sentence in the feedback area, so it is
never lost and never becomes stray cell output.
"""
from __future__ import annotations

import html
import io
import traceback
import warnings
from typing import Any

import ipywidgets as w
import mistune

from .errors import CtopathError
from .exercise import Exercise, Feedback, ____, feedback_html
from .progress import ProgressStore

_WIDE = w.Layout(width="100%")
_LABEL_STYLE = {"description_width": "initial"}


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
        if multiline:
            self.widget = w.Textarea(value="", placeholder="Write a few sentences…",
                                     description="Your answer:", rows=5, layout=_WIDE, style=_LABEL_STYLE)
        else:
            unit = " (%)" if getattr(ex, "percent", False) else (f" ({ex.unit})" if getattr(ex, "unit", "") else "")
            self.widget = w.Text(value="", placeholder="a number, e.g. 1234.5",
                                 description=f"Your answer{unit}:", continuous_update=False,
                                 style=_LABEL_STYLE)
        self.widget.add_class("ctopath-input")

    def get(self):
        return self.widget.value if self.widget.value.strip() else ____

    def set(self, value):
        self.widget.value = "" if value is ____ or value is None else str(value)

    def reset(self):
        self.widget.value = ""


class _ChoiceInput:
    def __init__(self, ex):
        self.ex = ex
        self.widget = w.RadioButtons(options=[(o.label, o.key) for o in ex.options], value=None,
                                     description="Your answer:", layout=_WIDE, style=_LABEL_STYLE)
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

    def get(self):
        return [s.value for s in self.slots]

    def set(self, value):
        if isinstance(value, (list, tuple)) and len(value) == len(self.slots) and all(
                v in self.ex.items for v in value):
            for s, v in zip(self.slots, value):
                s.value = v

    def reset(self):
        for s, k in zip(self.slots, self.ex.items):
            s.value = k


class _DataInput:
    """No box: the answer is a variable the learner computes in a code cell."""

    def __init__(self, ex):
        self.ex = ex
        self.submitted: Any = ____
        self.widget = w.HTML(
            f"<p>Compute <code>{html.escape(ex.answer_name)}</code> in the code cell below and run it, "
            f"then press <strong>Check</strong> (or run <code>ex.submit({html.escape(ex.answer_name)})</code>).</p>")

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
            p.name: w.FloatSlider(value=p.default, min=p.min, max=p.max, step=p.step,
                                  description=f"{p.label}{' (' + p.unit + ')' if p.unit else ''}:",
                                  continuous_update=False, layout=_WIDE, style=_LABEL_STYLE)
            for p in ex.params}
        self.chart = w.Image(format="png")
        self.chart.add_class("ctopath-chart")
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
                s.observe(on_change, names=["value"])
        self.widget.add_class("ctopath-input")

    def get(self):
        return {k: s.value for k, s in self.sliders.items()}

    def set(self, value):
        if isinstance(value, dict):
            for k, v in value.items():
                s = self.sliders.get(k)
                try:
                    if s is not None and s.min <= float(v) <= s.max:
                        s.value = float(v)
                except (TypeError, ValueError):
                    pass

    def reset(self):
        for p in self.ex.params:
            self.sliders[p.name].value = p.default


# ---------------------------------------------------------------------------
# The view
# ---------------------------------------------------------------------------

class ExerciseView:
    """One exercise on screen. ``submit`` drives it the way a learner would."""

    def __init__(self, exercise: Exercise, store: ProgressStore | None = None):
        self.ex = exercise
        self.store = store or ProgressStore()
        self.hints_shown = 0
        ex = exercise
        self.header = w.HTML(
            f'<div class="ctopath-prompt"><h4>Exercise {html.escape(ex.id)} · {html.escape(ex.title)}</h4>'
            f"{markdown(ex.prompt)}<p><small>About {ex.minutes} min · kind: {ex.kind}</small></p></div>")
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
        self.feedback = w.HTML(feedback_html(Feedback("not_attempted", 0, "Answer above, then press Check.")))
        self.feedback.add_class("ctopath-feedback")
        self.hint_area = w.HTML()
        self.hint_area.add_class("ctopath-hints")
        self.solution_area = w.HTML()
        self.solution_area.add_class("ctopath-solution")
        self.errors = w.Output()
        self.errors.add_class("ctopath-errors")

        self.check_button.on_click(lambda _b: self._safely(self._press_check))
        self.hint_button.on_click(lambda _b: self._safely(self.show_hint))
        self.solution_button.on_click(lambda _b: self._safely(self.show_solution))
        self.reset_button.on_click(lambda _b: self._safely(self.reset))

        self.box = w.VBox([
            self.header, self.input.widget,
            w.HBox([self.check_button, self.hint_button, self.solution_button, self.reset_button]),
            self.feedback, self.hint_area, self.solution_area, self.errors,
        ])
        self.box.add_class("ctopath-exercise")
        self.box.add_class(f"ctopath-ex-{ex.id.replace('.', '-')}")
        self._restore()
        if ex.kind == "model":
            if ex.run_button:  # a slow model runs when asked, not on display
                self.input.metrics.value = "<p>Set the sliders, then press <strong>Run</strong>.</p>"
            else:
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
            self.feedback.value = feedback_html(Feedback(
                "invalid", 0, f"Something went wrong while handling that ({type(err).__name__}: {err}). "
                              f"Your answer is still in the box; the details are below."))
            return None

    def _press_check(self) -> Feedback:
        try:
            answer = self.input.get()
        except _MissingVariable as missing:
            fb = Feedback("not_attempted", 0.0, str(missing), self.ex.id)
            self.feedback.value = feedback_html(fb)
            return fb
        return self._judge(answer)

    def _judge(self, answer) -> Feedback:
        fb = self.ex.check(answer)
        if self.ex.kind == "model" and self.ex.run_button and fb.status not in ("invalid", "not_attempted"):
            self._on_model_change()  # the chart shows what was checked
        note = ""
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self.store.record_check(self.ex.id, answer, fb)
            if caught:
                note = str(caught[0].message)
        except (CtopathError, OSError) as err:
            note = f"Your answer was checked but could not be saved: {err}"
        self.feedback.value = feedback_html(fb) + (
            f'<div class="ctopath-note">ℹ️ {html.escape(note)}</div>' if note else "")
        return fb

    def submit(self, answer) -> Feedback:
        """Put ``answer`` in the inputs, press Check, return the Feedback."""
        try:
            self.input.set(answer)
        except Exception:  # an answer the widget cannot show is still checked as given
            pass
        return self._judge(answer)

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
        if self.hints_shown >= len(self.ex.hints):
            self.hint_button.disabled = True

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
        self.input.reset()
        self.feedback.value = feedback_html(Feedback("not_attempted", 0, "Cleared. Answer above, then press Check."))

    def _record(self, action):
        try:
            action()
        except (CtopathError, OSError) as err:
            self.errors.append_stderr(f"Progress not saved: {err}\n")

    def _restore(self):
        """Start from the learner's last answer, if there is one."""
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                rec = self.store.get(self.ex.id)
        except (CtopathError, OSError) as err:
            self.errors.append_stderr(f"Could not read your progress: {err}\n")
            return
        if caught:
            self.errors.append_stderr(str(caught[0].message) + "\n")
        if not rec:
            return
        if "answer" in rec and self.ex.kind != "data":
            try:
                self.input.set(rec["answer"])
            except Exception:
                pass
        if rec.get("status"):
            fb = Feedback(rec["status"], rec.get("score", 0), rec.get("message", ""), self.ex.id)
            self.feedback.value = ('<div class="ctopath-note">↩︎ Restored your last answer '
                                   f'({rec.get("attempts", 0)} attempt(s) so far).</div>' + feedback_html(fb))
        self.hints_shown = min(int(rec.get("hints_used", 0)), len(self.ex.hints))
        if self.hints_shown:
            self._draw_hints()
        if rec.get("solution_revealed"):
            self._draw_solution()

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
            self.input.chart.value = figure_png(self.ex.plot(values))


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}"
    return str(v)

