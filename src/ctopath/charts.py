"""Figures shared by the lessons. Each returns a matplotlib Figure and shows nothing itself."""
from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib

from .models import career

matplotlib.rcParams.setdefault("figure.dpi", 100)


def _cjk_font() -> list[str]:
    """A font that has Chinese glyphs if one is installed; else the default (labels stay readable in English)."""
    from matplotlib import font_manager

    wanted = ("Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Source Han Sans SC", "SimHei")
    have = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in wanted if name in have]


def _label(zh: str, en: str) -> str:
    return f"{en}\n{zh}" if _cjk_font() else en


def article_map():
    """The article's two axes and its four duties on one page."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    fonts = _cjk_font()
    with plt.rc_context({"font.family": fonts + ["DejaVu Sans"]} if fonts else {}):
        fig, ax = plt.subplots(figsize=(11, 5.2))
        ax.set_xlim(0, 11)
        ax.set_ylim(0, 5.6)
        ax.axis("off")
        ax.set_title("The path in the article: three stages, six product phases, four duties", loc="left")
        # Axis 1: the stages as a staircase.
        for i, (_, zh, en, what) in enumerate(career.STAGES):
            x, y = 0.2 + i * 1.15, 0.5 + i * 1.45
            ax.add_patch(FancyBboxPatch((x, y), 2.3, 1.1, boxstyle="round,pad=0.05", fc="#dbe9f6", ec="#1f5f99"))
            ax.text(x + 0.1, y + 0.75, _label(zh, en).split("\n")[0], fontsize=10, weight="bold")
            ax.text(x + 0.1, y + 0.15, what, fontsize=7.5, wrap=True)
        ax.text(0.2, 5.25, "Axis 1 — your career stage", fontsize=9, color="#1f5f99")
        # Axis 2: the product phases as a flow.
        ax.text(4.3, 5.25, "Axis 2 — the product's phases", fontsize=9, color="#7a4b00")
        for i, (_, zh, en) in enumerate(career.PHASES):
            x = 4.3 + (i % 3) * 2.15
            y = 4.0 if i < 3 else 2.6
            ax.add_patch(FancyBboxPatch((x, y), 1.9, 0.9, boxstyle="round,pad=0.05", fc="#fbeed5", ec="#7a4b00"))
            ax.text(x + 0.1, y + 0.35, f"{i + 1}. {_label(zh, en)}", fontsize=8.5, va="center")
        # The four duties.
        ax.text(4.3, 1.95, "What a capable CTO does — the four duties", fontsize=9, color="#2d6a2d")
        for i, (_, zh, en) in enumerate(career.DUTIES):
            x = 4.3 + i * 1.62
            ax.add_patch(FancyBboxPatch((x, 0.5), 1.45, 1.1, boxstyle="round,pad=0.05", fc="#dff0d8", ec="#2d6a2d"))
            ax.text(x + 0.08, 1.05, _label(zh, en), fontsize=8, va="center")
        credit = ("Adapted from 《CTO 如何帮助业务?》 by yclxiao (半支烟), CC BY-SA 4.0" if fonts else
                  "Adapted from 'How does a CTO help the business?' by yclxiao, CC BY-SA 4.0")
        ax.text(0.2, 0.05, credit, fontsize=7, color="#555")
    return fig


def radar(scores: Mapping[str, float], title: str = "Your self-assessment (1 = never done it, 5 = could teach it)"):
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
    ax.set_xticklabels([k.replace("_", " ") for k in keys], fontsize=9)
    ax.set_ylim(0, 5)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_title(title, fontsize=10, pad=20)
    return fig
