"""Input checks shared by every model: one clear sentence instead of a KeyError or a division by zero."""
from __future__ import annotations

import math
import re

import pandas as pd


def require_columns(frame, columns, table: str) -> pd.DataFrame:
    """``frame`` must be a DataFrame with ``columns``; otherwise a ValueError naming what is missing."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(
            f"Expected the {table} table as a pandas DataFrame (e.g. data.load({table!r})), "
            f"got {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"The {table} table is missing the columns {', '.join(missing)}; "
            f"expected a frame like data.load({table!r}) with {', '.join(columns)}.")
    return frame


def finite_number(value, name: str) -> float:
    """A real, finite number (not a bool, not text, not NaN or infinity)."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, not {value!r}.")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}.") from None
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return x


def month(value, what: str) -> pd.Period:
    """A calendar month given as '2025-09' or a date in it; a clear ValueError otherwise."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value.strip()):
        raise ValueError(f"{what} must be a month like '2025-09' (or a date in it), got {value!r}.")
    try:
        period = pd.Period(value, freq="M")
    except (ValueError, TypeError):
        raise ValueError(f"{what} must be a month like '2025-09' (or a date in it), got {value!r}.") from None
    if pd.isna(period):
        raise ValueError(f"{what} must be a month like '2025-09', got {value!r}.")
    return period
