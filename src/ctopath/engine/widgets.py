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
from .exercise import STATUS_LABELS, STATUSES, Exercise, Feedback, ____, in_language, is_placeholder, reason
from .exercise import feedback_html as _static_feedback_html
from .fonts import use_cjk_font
from .i18n import Msg, Verbatim, join, language, tr
from .progress import GRADED_STATUSES, ProgressStore

# A Check click is judged this long after it arrives, so a value typed just before the click
# (which the browser may still be sending) is read, not the half-typed one before it.
CHECK_SETTLE_SECONDS = 0.08

_WIDE = w.Layout(width="100%")
# The exercise's kind as its header says it ("kind: number"), translated where it is shown.
_KIND_LABELS = {"number": Msg("kind: number"), "choice": Msg("kind: choice"), "multi": Msg("kind: multi"),
                "ranking": Msg("kind: ranking"), "data": Msg("kind: data"), "model": Msg("kind: model"),
                "reflection": Msg("kind: reflection")}
_LABEL_STYLE = {"description_width": "initial"}


def _feedback_html(fb: Feedback) -> str:
    """Feedback for the view's live region (the region itself carries the status role)."""
    return _static_feedback_html(fb, role_status=False, icon=controls.status_icon(fb.status))


def markdown(text: str) -> str:
    return mistune.html(text or "")


def figure_png(fig, *, dpi: float | str = 90, tight: bool = True, fonts: list[str] | None = None) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it (no stray output). The one place a
    figure becomes a picture: exercises, explorers (``tight=False``: one drawing pass, quicker)
    and the lessons' charts (``charts.show``).
    """
    import matplotlib.pyplot as plt

    use_cjk_font(fig, fonts)  # Chinese labels drawn with a font that has them (or back in English)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, **({"bbox_inches": "tight"} if tight else {}))
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
            self.widget = w.Textarea(value="", placeholder=tr("Write a few sentences…"), continuous_update=True,
                                     description=tr("Your answer:"), rows=5, layout=_WIDE, style=_LABEL_STYLE)
        else:
            description = (Msg("Your answer (%):") if getattr(ex, "percent", False) else
                           Msg("Your answer ({unit}):", unit=ex.unit) if getattr(ex, "unit", "") else Msg("Your answer:"))
            self.widget = w.Text(value="", placeholder=tr("a number, e.g. 1234.5 (Enter checks)"),
                                 description=tr(description), continuous_update=True,
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
        self.widget = controls.RadioButtons(options=[(tr(o.label), o.key) for o in ex.options], value=None,
                                            question=tr(Msg("Exercise {id} · {title} —", id=ex.id, title=ex.title)),
                                            description=tr("Your answer:"),
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
        self.boxes = {o.key: w.Checkbox(value=False, description=tr(o.label), indent=False, layout=_WIDE)
                      for o in ex.options}
        self.widget = w.VBox([w.HTML(f"<em>{html.escape(tr('Tick every option that applies:'))}</em>"),
                              *self.boxes.values()])
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
        labels = [(tr(v), k) for k, v in ex.items.items()]
        self.slots = [w.Dropdown(options=labels, value=labels[i][1], description=tr(Msg("Rank {n}:", n=i + 1)),
                                 layout=_WIDE, style=_LABEL_STYLE) for i in range(len(labels))]
        self.widget = w.VBox([w.HTML(f"<em>{html.escape(tr('Rank 1 is first. Use each item once.'))}</em>"),
                              *self.slots])
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
        call = f"exercise(\"{html.escape(ex.id)}\").submit({html.escape(ex.answer_name)})"
        self.widget = w.HTML("<p>" + tr(Msg(
            "Compute {name} in the code cell below and run it, "
            "then press <strong>Check</strong> (or run {call}).",
            name=f"<code>{html.escape(ex.answer_name)}</code>", call=f"<code>{call}</code>")) + "</p>")

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
        raise _MissingVariable(Msg(
            "There is no variable {name} yet: write the code that computes it "
            "in the cell below, run that cell, then press Check.", name=f"`{self.ex.answer_name}`"))

    def set(self, value):
        self.submitted = value

    def reset(self):
        self.submitted = ____


class _ModelInput:
    def __init__(self, ex, on_change):
        self.ex = ex
        self.sliders = {
            p.name: controls.FloatSlider(value=p.default, min=p.min, max=p.max, step=p.step, unit=p.unit,
                                         description=tr(Msg("{label} ({unit}):", label=p.label, unit=p.unit)
                                                        if p.unit else Msg("{label}:", label=p.label)),
                                         layout=_WIDE)
            for p in ex.params}
        self.chart = controls.Chart()
        self.metrics = w.HTML()
        self.metrics.add_class("ctopath-metrics")
        self.run = None
        if ex.run_button:
            self.run = w.Button(description=tr("Run"), tooltip=tr("Run the model with these settings"))
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
            self.metrics.value = _RUN_FIRST()


def _RUN_FIRST() -> str:
    return f"<p>{tr('Set the sliders, then press <strong>Run</strong>.')}</p>"


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
        note = ('<p class="ctopath-practice">' + tr('<strong>Practice in the lesson:</strong> nothing you do here '
                                                    'is saved to your progress; the exercises notebook is where '
                                                    'it counts.') + '</p>' if practice else "")
        heading = html.escape(tr(Msg("Exercise {id} · {title}", id=ex.id, title=ex.title)))
        about = tr(Msg("About {minutes} min · {kind}", minutes=ex.minutes, kind=_KIND_LABELS.get(ex.kind, f"kind: {ex.kind}")))
        self.header = w.HTML(
            f'<div class="ctopath-prompt"><h4>{heading}</h4>'
            f"{note}{markdown(tr(ex.prompt))}<p><small>{about}</small></p></div>")
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

        self.check_button = w.Button(description=tr("Check"), button_style="primary",
                                     tooltip=tr(Msg("Check your answer to exercise {id}", id=ex.id)))
        self.hint_button = w.Button(description=tr("Hint"),
                                    tooltip=tr(Msg("{n} hints, one at a time", n=len(ex.hints))))
        self.solution_button = w.Button(description=tr("Show solution"), tooltip=tr("Reveal the worked solution"))
        self.reset_button = w.Button(description=tr("Reset"),
                                     tooltip=tr("Clear this answer (your progress record is kept)"))
        for b in (self.check_button, self.hint_button, self.solution_button, self.reset_button):
            b.add_class("ctopath-button")
        self.feedback = controls.LiveHTML(
            _feedback_html(Feedback("not_attempted", 0, Msg("Answer above, then press Check."))))
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
                self.input.metrics.value = _RUN_FIRST()
            elif self._drawn_for is None:  # a restored plan comes back with its dashboard
                self._on_model_change()

    # -- display ---------------------------------------------------------
    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude)
        # A fixed text fallback: static viewers show it, and stored outputs stay stable.
        bundle["text/plain"] = tr(Msg("Exercise {id} · {title} [{kind}] "
                                      "— interactive: run this notebook in JupyterLab to answer it.",
                                      id=self.ex.id, title=self.ex.title, kind=self.ex.kind))
        return bundle

    # -- actions ---------------------------------------------------------
    def _safely(self, action):
        try:
            return action()
        except Exception as err:  # a callback error is shown, never lost
            self.errors.append_stderr("".join(traceback.format_exception(err)))
            self.feedback.value = _feedback_html(Feedback(
                "invalid", 0, Msg("Something went wrong while handling that ({error}). "
                                  "Your answer is still in the box; the details are below.",
                                  error=f"{type(err).__name__}: {err}")))
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
            fb = self._not_checked(reason(missing), Msg("run the cell that computes {name}, then press Check",
                                                        name=f"`{self.ex.answer_name}`"))
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
            return in_language(Feedback("not_attempted", 0.0, why, self.ex.id))
        when = _when(rec.get("last_attempt_at"))
        status = rec["status"] if rec["status"] in STATUSES else "not_attempted"
        message = Msg("Your saved answer{when} stands: {answer}. "
                      "{why} Nothing new was checked, so your record is unchanged; to check again, {how}.",
                      when=when, answer=_answer_shown(rec.get("answer")), why=why, how=how)
        return in_language(Feedback(status, _score(rec), message, self.ex.id))

    def _judge(self, answer) -> Feedback:
        fb = self.ex.check(answer)
        if fb.status == "not_attempted":
            # An untouched starter (the blank ____) or an untouched widget never overwrites
            # the learner's saved answer, status, score or attempt count.
            how = (Msg("put your answer in the cell above (replacing ____) and run it") if is_placeholder(answer)
                   else Msg("answer in the box and press Check"))
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
                note = join([reason(c.message) for c in caught])
            if kept is not None and kept.get("status") in GRADED_STATUSES:
                label = tr(STATUS_LABELS.get(kept["status"], ("", kept["status"]))[1]).lower()
                kept_note = Msg("Your saved answer ({label}) is kept: {answer}.", label=label,
                                answer=_answer_shown(kept.get("answer")))
                note = join([kept_note, note]) if note else kept_note
        except (CtopathError, OSError) as err:
            note = Msg("Your answer was checked but could not be saved: {error}", error=reason(err))
        self.feedback.value = _feedback_html(fb) + (
            f'<div class="ctopath-note">ℹ️ {html.escape(tr(note))}</div>' if note else "")
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
        return tr(self.ex.hints[self.hints_shown - 1])

    def _draw_hints(self):
        items = "".join(f"<li>{markdown(tr(h))}</li>" for h in self.ex.hints[: self.hints_shown])
        more = ("" if self.hints_shown >= len(self.ex.hints)
                else "<small>" + html.escape(tr(Msg("Hint {n} of {total}: press Hint for the next.",
                                                    n=self.hints_shown, total=len(self.ex.hints)))) + "</small>")
        self.hint_area.value = (f"<div><strong>{html.escape(tr('Hints'))}</strong><ol>{items}</ol>{more}</div>"
                                if items else "")
        self.hint_button.disabled = self.hints_shown >= len(self.ex.hints)

    def show_solution(self) -> str:
        self._record(lambda: self.store.record_solution(self.ex.id))
        self._draw_solution()
        return tr(self.ex.solution)

    def _draw_solution(self):
        code = (f"<pre><code>{html.escape(self.ex.solution_code)}</code></pre>"
                if self.ex.solution_code else "")
        recorded = html.escape(tr("Revealing the solution is recorded in your progress."))
        self.solution_area.value = (f"<div><strong>{html.escape(tr('Solution'))}</strong>"
                                    f"{markdown(tr(self.ex.solution))}{code}<small>{recorded}</small></div>")

    def reset(self):
        """Clear the box, the hints and the solution from view (the progress record is kept)."""
        self.input.reset()
        self.hints_shown = 0
        self._draw_hints()
        self.solution_area.value = ""
        self._drawn_for = None
        self.feedback.value = _feedback_html(Feedback("not_attempted", 0, Msg("Cleared. Answer above, then press Check.")))

    def _record(self, action):
        try:
            action()
        except (CtopathError, OSError) as err:
            self.errors.append_stderr(tr(Msg("Progress not saved: {error}", error=reason(err))) + "\n")

    def _restore(self) -> bool:
        """Start from the learner's last answer, if there is one. True when an answer came back."""
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                rec = self.store.get(self.ex.id)
        except (CtopathError, OSError) as err:
            self.errors.append_stderr(tr(Msg("Could not read your progress: {error}", error=reason(err))) + "\n")
            return False
        if caught:
            self.errors.append_stderr(" ".join(tr(reason(c.message)) for c in caught) + "\n")
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
            fb = Feedback(status, _score(rec), self._message_in_this_language(rec, restored), self.ex.id)
            saved = (tr(Msg(" Your answer is the variable {name}: run its "
                            "cell again to re-check; until then the saved result stands.",
                            name=f"<code>{html.escape(self.ex.answer_name)}</code>"))
                     if self.ex.kind == "data" else "")
            restored_note = tr(Msg("↩︎ Restored your last answer{when} ({attempts} attempt(s) so far): {answer}.",
                                   when=_when(rec.get("last_attempt_at")), attempts=_int(rec.get("attempts")),
                                   answer=_answer_shown(answer)))
            self.feedback.value = (
                f'<div class="ctopath-note">{html.escape(restored_note)}{saved}</div>' + _feedback_html(fb))
        self.hints_shown = min(_int(rec.get("hints_used")), len(self.ex.hints))
        if self.hints_shown:
            self._draw_hints()
        if rec.get("solution_revealed") is True:
            self._draw_solution()
        return restored

    def _message_in_this_language(self, rec: dict, restored: bool) -> str:
        """The saved feedback, in the language this view speaks.

        A record keeps the words of the check that made it. Checked in another language (the other
        edition), the saved answer is judged again for its words; the saved status and score stand,
        and when the judgement differs (new data, a changed checker) the saved words do too.
        """
        saved = str(rec.get("message", ""))
        if rec.get("message_lang", "en") == language() or not restored:
            return saved
        again = self.ex.check(rec.get("answer"))
        return again.message if again.status == rec.get("status") else saved

    # -- model kind: redraw the chart as sliders move ---------------------
    def _on_model_change(self, change=None):
        values = self.input.get()
        try:
            outcome = self.ex.evaluate(self.ex.validate(values))
        except Exception as err:  # impossible settings are explained, not raised
            self.input.metrics.value = f"<p>⚠️ {html.escape(tr(reason(err)))}</p>"
            return
        rows = "".join(f"<tr><td>{html.escape(tr(k) if isinstance(k, str) else str(k))}</td>"
                       f"<td>{html.escape(_fmt(v))}</td></tr>"
                       for k, v in outcome.metrics.items())
        targets = "".join(f"<li>{tr(Msg('✓ met') if ok else Msg('✗ not met'))} — {html.escape(tr(t))}</li>"
                          for t, ok in outcome.targets.items())
        self.input.metrics.value = f"<table>{rows}</table><ul>{targets}</ul>"
        if self.ex.plot is not None:
            self.input.show_chart(figure_png(self.ex.plot(values)), chart_alt(self.ex.title, outcome.metrics))
        self._drawn_for = dict(values)


def chart_alt(title: str, metrics: dict) -> str:
    """The model chart's text alternative: what it shows, with the figures it was drawn from."""
    figures = join([Msg("{name}: {value}", name=k if isinstance(k, str) else str(k), value=_fmt(v))
                    for k, v in list(metrics.items())[:4]], "; ")
    return tr(Msg("Chart of the model in “{title}” with these settings ({figures}). "
                  "Every figure and target is in the table above the chart.", title=title, figures=figures))


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
    return Msg(" (checked {time} UTC)", time=f"{moment:%Y-%m-%d %H:%M}")


def _answer_shown(answer):
    """``describe_answer`` for a template: words of ours are translated, the learner's own answer never."""
    said = describe_answer(answer)
    return said if isinstance(said, Msg) else Verbatim(said)


def describe_answer(answer, limit: int = 80) -> str:
    """A stored answer in a few readable words (tables are summarised, long text cut)."""
    if isinstance(answer, dict) and "__table__" in answer:
        shape = answer.get("shape") if isinstance(answer.get("shape"), list) else []
        kind = "table" if answer.get("__table__") == "DataFrame" else "Series"
        if kind == "table" and len(shape) == 2:
            return Msg("a table of {rows} rows × {columns} columns", rows=shape[0], columns=shape[1])
        if shape:
            return (Msg("a table of {n} values", n=shape[0]) if kind == "table" else
                    Msg("a Series of {n} values", n=shape[0]))
        return Msg("a table") if kind == "table" else Msg("a Series")
    if isinstance(answer, (list, tuple)):
        text = ", ".join(str(v) for v in answer)
    elif isinstance(answer, dict):
        text = ", ".join(f"{k} = {v}" for k, v in answer.items())
    elif answer is None:
        return Msg("no answer stored")
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

