"""What every module's explorers share: the Explorer wrapper, tables as HTML, quick PNGs.

Explorers display and collect; the numbers come from ``ctopath.models``. Each renders into
HTML and Image widgets (never print), so a stored notebook output stays stable and nothing
leaks into the cell's text output.
"""
from __future__ import annotations

import html

import pandas as pd

from ..engine.i18n import Msg, tr

#: Slider and box style: let the label take the room it needs.
STYLE = {"description_width": "initial"}


class Explorer:
    """A widget box with a fixed text fallback for static views and stored outputs."""

    def __init__(self, box, name: str):
        self.box = box
        self.name = name

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/plain"] = tr(Msg("{name} — interactive: run this notebook in JupyterLab to use it.", name=self.name))
        return bundle


def table_html(df: pd.DataFrame, caption: str = "", *, floatfmt: str | None = None, index: bool = False) -> str:
    """A table as HTML with an optional caption; ``floatfmt`` formats its float columns."""
    shown = df
    if floatfmt:
        shown = df.copy()
        for c in shown.columns:
            if pd.api.types.is_float_dtype(shown[c]):
                shown[c] = shown[c].map(lambda v: "" if pd.isna(v) else floatfmt.format(v))
    cap = f"<caption style='text-align:left'><strong>{html.escape(tr(caption))}</strong></caption>" if caption else ""
    return shown.to_html(index=index, border=0, classes="ctopath-table").replace("<thead>", cap + "<thead>", 1)


def percent_table(df: pd.DataFrame, caption: str = "", floatfmt: str = "{:.1%}") -> str:
    """A table of shares (shown as percentages) with its index, as cohort tables have."""
    return table_html(df, caption, floatfmt=floatfmt, index=True)


def pyplot():
    import matplotlib.pyplot as plt

    return plt


def quick_png(fig) -> bytes:
    """PNG bytes of a figure, then close it. One drawing pass (the figures lay themselves out), so explorers stay quick."""
    from ..engine.widgets import figure_png

    return figure_png(fig, dpi=80, tight=False)
