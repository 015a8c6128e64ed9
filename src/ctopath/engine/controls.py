"""Controls a screen reader can name and announce, where ipywidgets 8's own cannot.

ipywidgets 8 has no ARIA trait: its sliders are ``<div role="slider">`` handles whose label sits
beside them unattached, its radio buttons have no group, an Image has no text alternative, and
an HTML widget replaces the element that carries ``role="status"`` at each update. These few
controls are plain HTML elements instead (a native range input with a ``<label for>``, a
``<fieldset>`` with a ``<legend>``, an ``<img alt>``, a live region that stays in the page),
drawn by a small frontend module each (anywidget). Their Python side keeps the ipywidgets names
the views use (``value``, ``description``, ``observe``), so the rest of the package is unchanged.

The stylesheet that comes with them also gives every workshop control a focus ring that shows
on a blue button and on a white page, in light and dark themes.
"""
from __future__ import annotations

from decimal import Decimal

import anywidget
import traitlets as t

from .i18n import tr

# One stylesheet for the workshop's controls; anywidget adds it to the page once per class.
CSS = """
:where([class^="ctopath-"], [class*=" ctopath-"]) :is(button, input, select, textarea, [tabindex]):focus-visible,
.ctopath-button:focus-visible {
  /* Drawn inside the control, so a container that clips its edges cannot hide it. */
  outline: 3px solid var(--jp-ui-font-color0, #111) !important;
  outline-offset: -3px !important;
  box-shadow: inset 0 0 0 5px var(--jp-layout-color0, #fff) !important;
}
.ctopath-slider { display: flex; align-items: center; gap: 0.6em; margin: 3px 0; flex-wrap: wrap; }
.ctopath-slider > label { flex: 0 0 min(26em, 40%); color: var(--jp-widgets-label-color, inherit); }
.ctopath-slider > input[type=range] { flex: 1 1 12em; min-width: 8em; accent-color: var(--jp-brand-color1, #1976d2); }
.ctopath-slider > input[type=number] { width: 8em; }
.ctopath-choice { border: 0; margin: 0; padding: 0; min-width: 0; }
.ctopath-choice > legend { padding: 0; margin-bottom: 4px; font-weight: 600; }
.ctopath-choice > label { display: block; margin: 3px 0; cursor: pointer; }
.ctopath-choice > label > input { margin-right: 0.5em; }
.ctopath-chart img { max-width: 100%; height: auto; }
.ctopath-visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
"""

_SLIDER_ESM = r"""
let counter = 0;
// The arrow keys move the slider or choose an option; JupyterLab must not take them as
// "select the next cell" (its notebook shortcuts listen to the same keys in command mode).
const KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown", " "];
const keepKeys = (el) => el.addEventListener("keydown", (e) => { if (KEYS.includes(e.key)) e.stopPropagation(); });
function render({ model, el }) {
  const id = `ctopath-slider-${Date.now().toString(36)}-${counter++}`;
  el.classList.add("ctopath-slider");
  const label = document.createElement("label");
  label.htmlFor = id;
  const range = document.createElement("input");
  range.type = "range";
  range.id = id;
  const box = document.createElement("input");
  box.type = "number";
  box.step = "any";
  box.className = "ctopath-slider-readout";
  el.append(label, range, box);
  keepKeys(el);

  const base = () => model.get("log_base");
  const toPosition = (v) => (base() > 0 ? Math.log(v) / Math.log(base()) : v);
  const fromPosition = (p) => (base() > 0 ? Math.pow(base(), p) : p);
  const low = () => fromPosition(model.get("min"));
  const high = () => fromPosition(model.get("max"));
  const shown = (v) => Number(v).toFixed(model.get("decimals"));
  const send = (v) => {
    const d = model.get("decimals");
    v = Math.min(high(), Math.max(low(), v));
    if (base() === 0) {  // snap to the step, counted from min, as the kernel's slider would
      const step = model.get("step");
      v = model.get("min") + Math.round((v - model.get("min")) / step) * step;
    }
    v = Number(v.toFixed(d));
    model.set("value", v);
    model.save_changes();
    draw();
  };
  function draw() {
    const text = model.get("description");
    const unit = model.get("unit");
    label.textContent = text;
    box.setAttribute("aria-label", `${text} (${model.get("typing_hint")})`);
    range.min = model.get("min");
    range.max = model.get("max");
    range.step = model.get("step");
    range.value = toPosition(model.get("value"));
    range.setAttribute("aria-valuetext", `${shown(model.get("value"))}${unit ? " " + unit : ""}`);
    box.min = shown(low());
    box.max = shown(high());
    if (document.activeElement !== box) box.value = shown(model.get("value"));
    range.disabled = box.disabled = model.get("disabled");
  }
  range.addEventListener(model.get("continuous_update") ? "input" : "change",
                         () => send(fromPosition(Number(range.value))));
  range.addEventListener("input", () => { box.value = shown(fromPosition(Number(range.value))); });
  const commit = () => {
    const typed = Number(String(box.value).replace(/,/g, ""));
    if (box.value === "" || !Number.isFinite(typed)) { box.value = shown(model.get("value")); return; }
    send(typed);
    box.value = shown(model.get("value"));
  };
  box.addEventListener("change", commit);
  // Enter sends the typed value at once (and is not JupyterLab's "edit this cell").
  box.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); e.stopPropagation(); commit(); } });
  model.on("change", draw);
  draw();
  return () => model.off("change", draw);
}
export default { render };
"""

_CHOICE_ESM = r"""
let counter = 0;
const KEYS = ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", " "];
function render({ model, el }) {
  const name = `ctopath-choice-${Date.now().toString(36)}-${counter++}`;
  const group = document.createElement("fieldset");
  group.className = "ctopath-choice";
  el.append(group);
  el.addEventListener("keydown", (e) => { if (KEYS.includes(e.key)) e.stopPropagation(); });
  function build() {
    group.replaceChildren();
    const legend = document.createElement("legend");
    const question = document.createElement("span");
    question.className = "ctopath-visually-hidden";  // shown above already; announced with the group
    question.textContent = model.get("question") ? `${model.get("question")} ` : "";
    legend.append(question, document.createTextNode(model.get("description")));
    group.append(legend);
    for (const [text, key] of model.get("options")) {
      const label = document.createElement("label");
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = name;
      radio.value = key;
      radio.addEventListener("change", () => {
        if (radio.checked) { model.set("value", key); model.save_changes(); }
      });
      label.append(radio, document.createTextNode(text));
      group.append(label);
    }
    check();
  }
  function check() {
    for (const radio of group.querySelectorAll("input[type=radio]")) {
      radio.checked = radio.value === model.get("value");
      radio.disabled = model.get("disabled");
    }
  }
  model.on("change:options", build);
  model.on("change:description", build);
  model.on("change:question", build);
  model.on("change:value", check);
  model.on("change:disabled", check);
  build();
  return () => { model.off("change:options", build); model.off("change:description", build); model.off("change:question", build);
                 model.off("change:value", check); model.off("change:disabled", check); };
}
export default { render };
"""

_LIVE_ESM = r"""
function render({ model, el }) {
  // The region itself stays in the page; only its content changes, so the change is announced.
  el.setAttribute("role", "status");
  el.setAttribute("aria-live", "polite");
  el.setAttribute("aria-atomic", "true");
  const content = document.createElement("div");
  content.className = "ctopath-live-content";
  el.append(content);
  const draw = () => { content.innerHTML = model.get("value"); };
  model.on("change:value", draw);
  draw();
  return () => model.off("change:value", draw);
}
export default { render };
"""

_CHART_ESM = r"""
function render({ model, el }) {
  el.classList.add("ctopath-chart");
  const img = document.createElement("img");
  el.append(img);
  let url = null;
  function draw() {
    const bytes = model.get("value");
    if (url) URL.revokeObjectURL(url);
    url = null;
    if (bytes && bytes.byteLength) {
      url = URL.createObjectURL(new Blob([bytes], { type: "image/png" }));
      img.src = url;
      img.alt = model.get("alt");
      img.hidden = false;
    } else {
      img.removeAttribute("src");
      img.alt = "";
      img.hidden = true;  // no empty image (a broken-image icon) before there is a chart
    }
  }
  model.on("change:value", draw);
  model.on("change:alt", draw);
  draw();
  return () => { model.off("change:value", draw); model.off("change:alt", draw); if (url) URL.revokeObjectURL(url); };
}
export default { render };
"""


# Status icons drawn in SVG: an emoji needs an emoji font, and without one it is an empty box.
# The status is always in words beside the icon, so the icon is hidden from screen readers.
_ICON_MARKS = {
    "correct": ("#1a7f37", '<path d="M4.5 8.5l2.5 2.5 4.5-5" fill="none" stroke="#fff" stroke-width="2"/>'),
    "partial": ("#9a6700", '<path d="M5 8h6" stroke="#fff" stroke-width="2"/>'),
    "incorrect": ("#cf222e", '<path d="M5.5 5.5l5 5M10.5 5.5l-5 5" stroke="#fff" stroke-width="2"/>'),
    "not_attempted": (None, ""),
    "invalid": ("#9a6700", '<path d="M8 4.5v4.5M8 11v1" stroke="#fff" stroke-width="2"/>'),
    "saved": ("#0969da", '<path d="M4.5 8.5l2.5 2.5 4.5-5" fill="none" stroke="#fff" stroke-width="2"/>'),
}


def status_icon(status: str) -> str:
    """An inline-SVG icon for a feedback status (see ``exercise.STATUS_LABELS`` for the words)."""
    colour, mark = _ICON_MARKS.get(status, (None, ""))
    disc = (f'<circle cx="8" cy="8" r="7.5" fill="{colour}"/>' if colour else
            '<circle cx="8" cy="8" r="6.5" fill="none" stroke="#57606a" stroke-width="2"/>')
    return (f'<svg class="ctopath-icon" width="1em" height="1em" viewBox="0 0 16 16" aria-hidden="true" '
            f'focusable="false" style="vertical-align:-0.125em">{disc}{mark}</svg>')


def _decimals(step: float) -> int:
    return max(0, -Decimal(str(step)).normalize().as_tuple().exponent)


class FloatSlider(anywidget.AnyWidget):
    """A range input named by its visible label, with a number box beside it for typing a value.

    ``continuous_update=False`` (the default) sends the value when the learner lets go or
    presses an arrow key, not at every pixel of a drag.
    """

    _esm = _SLIDER_ESM
    _css = CSS
    value = t.Float(0.0).tag(sync=True)
    min = t.Float(0.0).tag(sync=True)
    max = t.Float(100.0).tag(sync=True)
    step = t.Float(0.1).tag(sync=True)
    description = t.Unicode("").tag(sync=True)
    unit = t.Unicode("").tag(sync=True)
    decimals = t.Int(1).tag(sync=True)
    log_base = t.Float(0.0).tag(sync=True)  # 0: linear; 10: min, max, step are powers of ten
    continuous_update = t.Bool(False).tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)
    typing_hint = t.Unicode("type a value").tag(sync=True)  # the number box's name: "<label> (type a value)"

    def __init__(self, value=None, *, decimals: int | None = None, **kwargs):
        kwargs.pop("style", None)  # ipywidgets' description width: the label sizes itself here
        kwargs.setdefault("typing_hint", tr("type a value"))
        super().__init__(**kwargs)
        self.decimals = _decimals(self.step) if decimals is None else decimals
        if value is not None:
            self.value = value
        elif self.log_base:
            self.value = self.log_base ** self.min
        else:
            self.value = self.min

    @t.validate("value")
    def _clamp(self, proposal):
        value = proposal["value"]
        low, high = ((self.log_base ** self.min, self.log_base ** self.max) if self.log_base
                     else (self.min, self.max))
        return min(max(value, low), high)


class IntSlider(FloatSlider):
    """The same slider for whole numbers (``value`` is an int)."""

    value = t.Int(0).tag(sync=True)
    min = t.Int(0).tag(sync=True)
    max = t.Int(100).tag(sync=True)
    step = t.Int(1).tag(sync=True)

    def __init__(self, value=None, **kwargs):
        super().__init__(value, decimals=0, **kwargs)


class FloatLogSlider(FloatSlider):
    """A slider over powers of ``base``: ``min``, ``max`` and ``step`` are exponents."""

    def __init__(self, value=None, *, base: float = 10.0, **kwargs):
        super().__init__(value, log_base=base, **kwargs)


class RadioButtons(anywidget.AnyWidget):
    """One question, one answer: a ``<fieldset>`` whose ``<legend>`` is announced as the group's name.

    The legend reads ``question`` (visually hidden: the page shows it above) then ``description``.
    """

    _esm = _CHOICE_ESM
    _css = CSS
    options = t.List().tag(sync=True)  # [(label, key), ...]
    value = t.Unicode(None, allow_none=True).tag(sync=True)
    description = t.Unicode("").tag(sync=True)
    question = t.Unicode("").tag(sync=True)
    disabled = t.Bool(False).tag(sync=True)

    def __init__(self, options=(), **kwargs):
        kwargs.pop("style", None)
        super().__init__(options=[[str(label), str(key)] for label, key in options], **kwargs)

    @t.validate("value")
    def _known(self, proposal):
        value = proposal["value"]
        if value is not None and value not in {key for _label, key in self.options}:
            raise t.TraitError(f"{value!r} is not one of the options")
        return value


class LiveHTML(anywidget.AnyWidget):
    """HTML in a live region (``role="status"``) that stays in the page while its text changes."""

    _esm = _LIVE_ESM
    _css = CSS
    value = t.Unicode("").tag(sync=True)

    def __init__(self, value: str = "", **kwargs):
        super().__init__(value=value, **kwargs)


class Chart(anywidget.AnyWidget):
    """A PNG with a text alternative (``alt``); hidden while there is no image."""

    _esm = _CHART_ESM
    _css = CSS
    value = t.Bytes(b"").tag(sync=True)
    alt = t.Unicode("").tag(sync=True)

    def __init__(self, value: bytes = b"", alt: str = "", **kwargs):
        kwargs.pop("format", None)  # always PNG
        super().__init__(value=value, alt=alt, **kwargs)

    def show(self, png: bytes | None, alt: str = "") -> None:
        """Show ``png`` described by ``alt`` (one sentence: what the chart shows, or where its numbers are)."""
        with self.hold_sync():
            self.alt = alt if png else ""
            self.value = png or b""
