"""稳底盘 stabilise the chassis: DORA's four keys, their performance levels, SLOs and error budgets.

Plain functions on DataFrames shaped like ``ctopath.data.load(...)``; nothing is displayed
and no input is modified. Rates are fractions; durations are hours.

The four keys (DORA — DevOps Research and Assessment, Google Cloud; the *Accelerate State of
DevOps* reports; https://dora.dev/guides/dora-metrics-four-keys/), per period:

- deployment frequency: how often *one application or service* deploys. DORA asks each
  respondent about "the primary application or service you work on", so its levels describe
  one service, not a platform of many. Summing eight services' deployments and rating the
  total would call a platform elite whose best service deploys every few days. So
  ``deploys_per_day`` is the whole platform's total (shown, never rated) and
  ``deploys_per_service_day`` = deployments ÷ calendar days ÷ the platform's services (every
  service in the deployments table, including one that did not deploy that period) — the
  mean service — is what is rated; ``four_keys(..., by="service")`` gives each service its
  own row, to see the spread behind the mean;
- lead time for changes: median of (deployed_at − first_commit_at), in hours;
- change failure rate: share of the period's deployments that caused an incident (an
  incident whose ``deploy_id`` names the deployment);
- time to restore: median of (restored_at − started_at), in hours, of the incidents
  *caused by a deployment* that started in the period — the reports' "failed deployment
  recovery time". Incidents with no deployment behind them (a disk, a vendor) are left out.

Performance levels: **Accelerate State of DevOps Report 2024** (DORA / Google Cloud,
https://dora.dev/research/2024/dora-report/), the latest report that publishes the four levels
(the 2025 report, on AI-assisted development, groups teams into seven profiles instead):

=========  ===================================  ========================  ====  =========================
level      deployment frequency                 lead time for changes     CFR   failed deployment recovery
=========  ===================================  ========================  ====  =========================
elite      on demand (multiple deploys a day)   less than one day         5 %   less than one hour
high       once a day to once a week            one day to one week       20 %  less than one day
medium     once a week to once a month          one week to one month     10 %  less than one day
low        once a month to once in six months   one month to six months   40 %  one week to one month
=========  ===================================  ========================  ====  =========================

The levels are *clusters* of survey answers, not official cut-offs: in 2024 the high cluster
reports a higher change failure rate (20 %) than the medium one (10 %), and high and medium
share the same recovery time. To rate one service's numbers we turn them into thresholds (our
simplification, stated so it can be argued with): deployment frequency and lead time follow the
2024 levels — deploys per service per day ≥ 1 elite, ≥ 1/7 high, ≥ 1/30 medium, else low; lead
time < 24 h elite, < 168 h high, < 720 h medium, else low. For the two stability keys, where the
2024 clusters are not ordered, we keep the ordered levels of the **2023** report
(https://dora.dev/research/2023/dora-report/): change failure rate ≤ 5 % elite, ≤ 10 % high,
≤ 15 % medium, else low; recovery < 1 h elite, < 24 h high, < 168 h medium, else low.

SLOs and error budgets: Google, *Site Reliability Engineering* (2016), ch. 3 "Embracing
Risk" (https://sre.google/sre-book/embracing-risk/) and ch. 4 "Service Level Objectives".
Availability = good requests ÷ all requests; the error budget of a window is
(1 − SLO) × requests, the failures the SLO allows; budget left = 1 − failed ÷ budget
(negative when the budget is overspent).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .checks import require_columns as _require

LEVELS = ("elite", "high", "medium", "low")
REPORT = "Accelerate State of DevOps Report 2024 (DORA; stability keys as in 2023)"
#: The four keys as rated: deployment frequency per service (see the module docstring for why).
KEYS = ("deploys_per_service_day", "lead_time_hours", "change_failure_rate", "restore_hours")
# (elite, high, medium) thresholds; for deploys_per_service_day higher is better, for the rest lower is.
THRESHOLDS = {
    "deploys_per_service_day": (1.0, 1 / 7, 1 / 30),
    "lead_time_hours": (24.0, 168.0, 720.0),
    "change_failure_rate": (0.05, 0.10, 0.15),
    "restore_hours": (1.0, 24.0, 168.0),
}
_INCLUSIVE = {"change_failure_rate"}  # "5 %" is elite; "less than one day" excludes 24 h


def _period(times: pd.Series, freq: str) -> pd.Series:
    return pd.to_datetime(times).dt.to_period(freq)


def four_keys(deployments: pd.DataFrame, incidents: pd.DataFrame, freq: str = "Q",
              by: str | None = None) -> pd.DataFrame:
    """DORA's four keys per period ('Q' quarters or 'M' months), one row per period with deployments.

    Columns: period (e.g. "2025Q3"), deployments, deploys_per_day (the whole platform),
    services, deploys_per_service_day (deploys_per_day ÷ services: the rated frequency),
    lead_time_hours, change_failure_rate, restore_hours (NaN when no deployment-caused
    incident started). ``services`` counts every service in ``deployments`` (a table without
    a ``service`` column is one service).

    ``by="service"``: the same keys for each service on its own, one row per service and
    period (column ``service`` first; ``services`` is 1), as DORA measures one application.
    """
    if freq not in ("Q", "M"):
        raise ValueError(f"freq must be 'Q' (quarters) or 'M' (months), got {freq!r}.")
    if by not in (None, "service"):
        raise ValueError(f"by must be None (the whole platform) or 'service', got {by!r}.")
    dep = _require(deployments, ("deploy_id", "first_commit_at", "deployed_at"), "deployments")
    inc = _require(incidents, ("incident_id", "started_at", "restored_at", "deploy_id"), "incidents")
    if dep.empty:
        raise ValueError("The deployments table has no rows.")
    if by == "service":
        _require(dep, ("service",), "deployments")
        services = sorted(dep["service"].dropna().unique())
        parts = []
        for service in services:
            mine = dep.loc[dep["service"] == service].drop(columns=["service"])
            keys = four_keys(mine, inc.loc[inc["deploy_id"].isin(mine["deploy_id"])], freq)
            parts.append(keys.assign(service=service))
        out = pd.concat(parts, ignore_index=True)
        return out[["service"] + [c for c in out.columns if c != "service"]]
    n_services = int(dep["service"].nunique()) if "service" in dep.columns else 1
    deployed = pd.to_datetime(dep["deployed_at"])
    lead = (deployed - pd.to_datetime(dep["first_commit_at"])).dt.total_seconds() / 3600
    if (lead < 0).any():
        raise ValueError("Some deployments happen before their first commit; check first_commit_at.")
    period = _period(dep["deployed_at"], freq)
    failed = dep["deploy_id"].isin(inc["deploy_id"].dropna())
    caused = inc[inc["deploy_id"].notna() & (inc["deploy_id"].astype(str) != "")]
    restore = (pd.to_datetime(caused["restored_at"]) - pd.to_datetime(caused["started_at"])).dt.total_seconds() / 3600
    if (restore < 0).any():
        raise ValueError("Some incidents are restored before they start; check restored_at.")
    rest_by = restore.groupby(_period(caused["started_at"], freq)).median()
    periods = sorted(period.unique())
    days = {p: (p.end_time.normalize() - p.start_time).days + 1 for p in periods}
    per_day = [float((period == p).sum() / days[p]) for p in periods]
    out = pd.DataFrame({
        "period": [str(p) for p in periods],
        "deployments": [int((period == p).sum()) for p in periods],
        "deploys_per_day": per_day,
        "services": n_services,
        "deploys_per_service_day": [v / n_services for v in per_day],
        "lead_time_hours": [float(lead[period == p].median()) for p in periods],
        "change_failure_rate": [float(failed[period == p].mean()) for p in periods],
        "restore_hours": [float(rest_by.get(p, np.nan)) for p in periods],
    })
    return out


def rate(key: str, value: float) -> str:
    """The performance level of one value of one key (see the module docstring for the thresholds)."""
    if key not in THRESHOLDS:
        raise ValueError(f"key must be one of {', '.join(KEYS)}, got {key!r}.")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} must be a number, got {value!r}.") from None
    if math.isnan(v):
        return "n/a"
    if v < 0:
        raise ValueError(f"{key} cannot be negative, got {v:g}.")
    elite, high, medium = THRESHOLDS[key]
    if key == "deploys_per_service_day":
        return "elite" if v >= elite else "high" if v >= high else "medium" if v >= medium else "low"
    if key in _INCLUSIVE:
        return "elite" if v <= elite else "high" if v <= high else "medium" if v <= medium else "low"
    return "elite" if v < elite else "high" if v < high else "medium" if v < medium else "low"


def levels(keys: pd.DataFrame) -> pd.DataFrame:
    """The level of every key in every period: columns period (and service, for a per-service table) + the
    four keys (level names)."""
    _require(keys, ("period",) + KEYS, "four keys")
    out = pd.DataFrame({"period": keys["period"].to_numpy()})
    if "service" in keys.columns:
        out.insert(0, "service", keys["service"].to_numpy())
    for key in KEYS:
        out[key] = [rate(key, v) for v in keys[key]]
    return out


def payoff_period(keys: pd.DataFrame, at_least: str = "high") -> str | None:
    """The first period where every key is rated ``at_least`` (default high) or better; None if never."""
    if at_least not in LEVELS:
        raise ValueError(f"at_least must be one of {LEVELS}, got {at_least!r}.")
    table = levels(keys)
    ok = LEVELS[: LEVELS.index(at_least) + 1]
    good = table[list(KEYS)].isin(ok).all(axis=1)
    return str(table.loc[good, "period"].iloc[0]) if good.any() else None


def error_budget(availability: pd.DataFrame, slos: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Each service's SLO, availability and error budget over [start, end] (dates inclusive; default all).

    Columns: service, slo_pct, requests, failed_requests, availability_pct, budget_requests
    ((1 − SLO) × requests), budget_used_pct, budget_left_pct (100 − used; negative = overspent).
    """
    av = _require(availability, ("date", "service", "requests", "failed_requests"), "availability")
    sl = _require(slos, ("service", "slo_pct"), "slos")
    if ((sl["slo_pct"] <= 0) | (sl["slo_pct"] >= 100)).any():
        raise ValueError("An SLO must be a percentage strictly between 0 and 100 (100 % leaves no budget).")
    day = pd.to_datetime(av["date"])
    mask = pd.Series(True, index=av.index)
    if start is not None:
        mask &= day >= pd.Timestamp(start)
    if end is not None:
        mask &= day <= pd.Timestamp(end)
    window = av[mask]
    if window.empty:
        raise ValueError("No availability rows in that window.")
    totals = window.groupby("service")[["requests", "failed_requests"]].sum()
    if (totals["requests"] <= 0).any():
        raise ValueError("A service has no requests in the window, so its availability is undefined.")
    table = sl.set_index("service")[["slo_pct"]].join(totals, how="inner")
    table["availability_pct"] = 100 * (1 - table["failed_requests"] / table["requests"])
    table["budget_requests"] = (1 - table["slo_pct"] / 100) * table["requests"]
    table["budget_used_pct"] = 100 * table["failed_requests"] / table["budget_requests"]
    table["budget_left_pct"] = 100 - table["budget_used_pct"]
    return table.reset_index()


def budget_burn(availability: pd.DataFrame, slos: pd.DataFrame, service: str) -> pd.DataFrame:
    """Day by day: the share of the window's budget used so far for one service (for a burn chart)."""
    av = _require(availability, ("date", "service", "requests", "failed_requests"), "availability")
    sl = _require(slos, ("service", "slo_pct"), "slos")
    if service not in set(sl["service"]):
        raise ValueError(f"No SLO for service {service!r}; services are {sorted(sl['service'])}.")
    rows = av[av["service"] == service].sort_values("date")
    slo = float(sl.set_index("service").at[service, "slo_pct"])
    budget = (1 - slo / 100) * rows["requests"].sum()
    out = pd.DataFrame({"date": rows["date"].to_numpy(),
                        "budget_used_pct": 100 * rows["failed_requests"].cumsum().to_numpy() / budget})
    return out
