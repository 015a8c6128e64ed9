"""Figures shared by the lessons. Each returns a matplotlib Figure and shows nothing itself.

Every text a chart shows goes through :func:`label` (titles, axes, legends, ticks): in Chinese it is
translated when a font with Chinese glyphs is installed, and stays English otherwise (the notebook
says once how to install one). :func:`show` and ``engine.widgets.figure_png`` draw the Chinese texts
with that font.
"""
from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib

from .engine import fonts as _fonts
from .engine.i18n import Msg, language, tr
from .models import career

matplotlib.rcParams.setdefault("figure.dpi", 100)


def _cjk_font() -> list[str]:
    """The installed fonts that have Chinese glyphs ([] if none: labels stay readable in English)."""
    return _fonts.cjk_fonts()


def chinese() -> bool:
    """True when charts are drawn in Chinese: the learner chose Chinese and a font can draw it.

    Chinese without such a font says once how to install one, and the charts stay English.
    """
    if language() != "zh":
        return False
    if _cjk_font():
        return True
    _fonts.tell_about_fonts()
    return False


def label(text, /, **values) -> str:
    """A chart's text (title, axis label, legend, tick, alt text) in the learner's language.

    ``label("Orders per month")``, ``label(Msg("{n} merchants", n=12))`` or ``label("{n} merchants", n=12)``.
    In Chinese it is translated when a font can draw it (``figure_png`` and ``show`` give the Chinese
    texts that font); otherwise it stays English, so a chart never shows empty boxes.
    """
    return tr(text, **values) if chinese() else tr(text, lang="en", **values)


def _label(zh: str, en: str, fonts: list[str] | None = None) -> str:
    """English, with the article's Chinese term on a second line when a CJK font can draw it
    (in Chinese: the article's term alone)."""
    fonts = _cjk_font() if fonts is None else fonts
    if fonts and language() == "zh":
        return zh
    return f"{en}\n{zh}" if fonts else en


def _width(ch: str) -> int:
    return 2 if _fonts.has_cjk(ch) else 1


def _wrap(text: str, width: int) -> str:
    """Lines of at most ``width`` columns (a Chinese character takes two, and Chinese breaks anywhere)."""
    import textwrap

    if not _fonts.has_cjk(text):
        return "\n".join(textwrap.wrap(text, width))
    lines, line, used = [], "", 0
    for ch in text:
        if used + _width(ch) > width and line:
            lines.append(line.rstrip())
            line, used = "", 0
            if ch == " ":
                continue
        line += ch
        used += _width(ch)
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def map_boxes(fonts: list[str]) -> list[dict]:
    """The article map's boxes: id, group, (x, y, width, height) in axes units, and the text each holds.

    Kept apart from the drawing so a test can check that no two boxes overlap and every text fits.
    """
    boxes = []
    for i, (key, zh, en, what) in enumerate(career.STAGES):  # a staircase, left
        text = [(_label(zh, en, fonts), 9.5, "bold"), (_wrap(_in(what, fonts), 30), 7.5, "normal")]
        boxes.append({"id": f"stage:{key}", "group": "stage", "rect": (0.2 + i * 0.6, 0.55 + i * 1.45, 2.75, 1.1),
                      "text": text})
    for i, (key, zh, en) in enumerate(career.PHASES):  # a flow in two rows, top right
        x, y = 4.3 + (i % 3) * 2.2, (3.85 if i < 3 else 2.75)
        boxes.append({"id": f"phase:{key}", "group": "phase", "rect": (x, y, 2.0, 0.85),
                      "text": [(f"{i + 1}. {_label(zh, en, fonts)}", 8.5, "normal")]})
    for i, (key, zh, en) in enumerate(career.DUTIES):  # the four duties, bottom right
        boxes.append({"id": f"duty:{key}", "group": "duty", "rect": (4.3 + i * 1.65, 0.55, 1.5, 1.05),
                      "text": [(_label(zh, _wrap(en, 14), fonts), 8, "normal")]})
    return boxes


def _in(text: str, fonts: list[str]) -> str:
    """``text`` translated when the map is drawn in Chinese (a Chinese learner and a font), else English."""
    return tr(text) if fonts and language() == "zh" else text


_STYLE = {"stage": ("#dbe9f6", "#1f5f99"), "phase": ("#fbeed5", "#7a4b00"), "duty": ("#dff0d8", "#2d6a2d")}


def article_map():
    """The article's two axes and its four duties on one page.

    With a CJK font (matplotlib's font_manager finds one), each box also shows the article's Chinese
    term; without one, English only, so no box shows missing-glyph squares.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    fonts = _cjk_font()
    if not fonts:
        chinese()  # in Chinese, says once how to get a font
    with plt.rc_context({"font.family": _fonts.families(fonts)} if fonts else {}):
        fig, ax = plt.subplots(figsize=(11, 5.6))
        ax.set_position((0, 0, 1, 0.93))
        ax.set_xlim(0, 11)
        ax.set_ylim(0, 5.2)
        ax.axis("off")
        fig.suptitle(_in(Msg("The path in the article: three stages, six product phases, four duties"), fonts),
                     x=0.02, ha="left", fontsize=12)
        for box in map_boxes(fonts):
            x, y, w, h = box["rect"]
            fc, ec = _STYLE[box["group"]]
            ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05", fc=fc, ec=ec, gid=box["id"]))
            # Lines from the top of the box down, each block below the one before.
            top = y + h - 0.12
            for text, size, weight in box["text"]:
                ax.text(x + 0.1, top, text, fontsize=size, weight=weight, va="top", gid=f"text:{box['id']}",
                        linespacing=1.25)
                top -= (text.count("\n") + 1) * size * 1.25 / 72 * 1.1 + 0.06
        ax.text(0.2, 4.95, _in(Msg("Axis 1 — your career stage"), fonts), fontsize=9, color="#1f5f99")
        ax.text(4.3, 4.95, _in(Msg("Axis 2 — the product's phases"), fonts), fontsize=9, color="#7a4b00")
        ax.text(4.3, 2.05, _in(Msg("What a capable CTO does — the four duties"), fonts), fontsize=9, color="#2d6a2d")
        credit = (Msg("Adapted from 《CTO 如何帮助业务?》 by yclxiao (半支烟), CC BY-SA 4.0") if fonts else
                  "Adapted from 'How does a CTO help the business?' by yclxiao, CC BY-SA 4.0")
        ax.text(0.2, 0.08, _in(credit, fonts), fontsize=7, color="#555")
    return fig


# The radar's axes: each skill's key in words (translated where the chart is drawn).
_SKILL_NAMES = {"whole_business": Msg("whole business"), "delivery": Msg("delivery"), "requirements": Msg("requirements"),
                "business_plan": Msg("business plan"), "operations": Msg("operations"), "chassis": Msg("chassis"),
                "customers": Msg("customers"), "results": Msg("results")}


def radar(scores: Mapping[str, float], title: str = Msg("Your self-assessment (1 = never done it, 5 = could teach it)")):
    """A radar chart of the self-assessment."""
    import matplotlib.pyplot as plt

    rated = career.validate_scores(scores)
    keys = list(career.SKILLS)
    angles = [2 * math.pi * i / len(keys) for i in range(len(keys))]
    values = [rated[k] for k in keys]
    fig, ax = plt.subplots(figsize=(6, 6), subplot_kw={"polar": True})
    ax.plot(angles + angles[:1], values + values[:1], color="#1f5f99", linewidth=2)
    ax.fill(angles + angles[:1], values + values[:1], color="#1f5f99", alpha=0.2)
    ax.set_xticks(angles)
    ax.set_xticklabels([label(_SKILL_NAMES.get(k, k.replace("_", " "))) for k in keys], fontsize=9)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_title(label(title), fontsize=10, pad=20)
    return fig


def show(fig, alt: str) -> None:
    """Display ``fig`` with a text alternative, then close it.

    JupyterLab draws a plain PNG output as an image with no ``alt``, so a screen reader announces
    nothing. This shows the same PNG in an ``<img alt>`` (the PNG stays in the output for viewers
    that do not render HTML). ``alt`` is one sentence: what the figure shows, or where its numbers
    are when a table beside it holds them.
    """
    import base64
    import html

    from IPython.display import display

    from .engine.widgets import figure_png

    png = base64.b64encode(figure_png(fig, dpi="figure", fonts=_cjk_font())).decode("ascii")
    alt = tr(alt)
    display({"text/html": f'<img class="ctopath-figure" alt="{html.escape(alt, quote=True)}" '
                          f'src="data:image/png;base64,{png}">',
             "image/png": png, "text/plain": f"[figure] {alt}"}, raw=True)
