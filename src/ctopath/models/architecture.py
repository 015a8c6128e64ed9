"""Business boundaries from version-control history: which services change together.

Plain functions on a ``commit_services`` table (one row per commit and service it touched,
``ctopath.data.load("commit_services")``); nothing is displayed and no input is modified.

Definitions (and where they come from):

- Co-change, also "logical" or "change" coupling: two modules that keep changing in the
  same commits depend on each other whatever the code's imports say — H. Gall, K. Hajek,
  M. Jazayeri, "Detection of Logical Coupling Based on Product Release History" (ICSM 1998);
  A. Tornhill, *Your Code as a Crime Scene* (2015), and his tool Code Maat.
- Revisions of a service: the commits that touched it. Shared commits of a pair: the
  commits that touched both.
- Degree of coupling: shared commits ÷ the average of the two services' revisions (Code
  Maat's "degree"), as a fraction. 1.0 means they never change apart.

How to read it: a high degree between two services that belong to one business capability
says they are one service split in two (merge them, or move the boundary). A moderate
degree between two *different* capabilities says the boundary leaks: one reaches into the
other's model, so fix the contract (an API or an event) rather than merging.
"""
from __future__ import annotations

from itertools import combinations

import pandas as pd

from .checks import require_columns as _require

CO_CHANGE_COLUMNS = ("service_a", "service_b", "shared_commits", "revisions_a", "revisions_b", "degree")


def revisions(commit_services: pd.DataFrame) -> pd.Series:
    """Commits per service (each commit counted once per service), largest first."""
    cs = _require(commit_services, ("commit_id", "service"), "commit_services")
    out = cs.drop_duplicates(["commit_id", "service"]).groupby("service")["commit_id"].size()
    out.name = "revisions"
    return out.sort_values(ascending=False, kind="stable")


def co_change(commit_services: pd.DataFrame, min_shared: int = 1) -> pd.DataFrame:
    """Every pair of services that changed together at least ``min_shared`` times.

    Columns service_a, service_b (alphabetical within the pair), shared_commits,
    revisions_a, revisions_b, degree (shared ÷ mean revisions, a fraction); sorted by degree,
    highest first, then by the pair's names.
    """
    if not isinstance(min_shared, int) or isinstance(min_shared, bool) or min_shared < 1:
        raise ValueError(f"min_shared must be a whole number of commits, 1 or more; got {min_shared!r}.")
    cs = _require(commit_services, ("commit_id", "service"), "commit_services")
    if cs.empty:
        raise ValueError("The commit_services table has no rows.")
    revs = revisions(cs)
    shared: dict[tuple[str, str], int] = {}
    for services in cs.drop_duplicates(["commit_id", "service"]).groupby("commit_id")["service"]:
        for a, b in combinations(sorted(services[1]), 2):
            shared[(a, b)] = shared.get((a, b), 0) + 1
    rows = [(a, b, n, int(revs[a]), int(revs[b]), n / ((revs[a] + revs[b]) / 2))
            for (a, b), n in shared.items() if n >= min_shared]
    out = pd.DataFrame(rows, columns=list(CO_CHANGE_COLUMNS))
    return out.sort_values(["degree", "service_a", "service_b"], ascending=[False, True, True],
                           kind="stable").reset_index(drop=True)


def coupling_matrix(commit_services: pd.DataFrame) -> pd.DataFrame:
    """A square table of degrees (services × services, diagonal NaN), for a heat map."""
    pairs = co_change(commit_services)
    names = sorted(revisions(commit_services).index)
    matrix = pd.DataFrame(0.0, index=names, columns=names)
    for r in pairs.itertuples():
        matrix.loc[r.service_a, r.service_b] = matrix.loc[r.service_b, r.service_a] = r.degree
    for n in names:
        matrix.loc[n, n] = float("nan")
    return matrix
