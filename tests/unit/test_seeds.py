"""The company's data holds for any seed: generated with 20 other seeds, every table loads,
every planted finding holds, and every exercise's checker accepts its reference answer.

The seeds are generated once, two at a time (the machine has two cores), into temporary
folders; the committed data (today's seed) is tested by test_datagen.py.
"""
from __future__ import annotations

import contextlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest

from ctopath import data, registry
from ctopath.tools import datagen
from ctopath.tools.findings import FINDINGS, check_findings
from ctopath.engine.exercise import DONE_STATUSES
from ctopath.course import forget_computed

pytestmark = pytest.mark.seeds

SEEDS = list(range(1, 21))
WORKERS = 2


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """{seed: the folder its data was generated into}."""
    out = {seed: tmp_path_factory.mktemp(f"seed{seed}") for seed in SEEDS}
    # spawn, not fork: a clean interpreter per worker, whatever the test process has loaded
    with ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        for job in [pool.submit(datagen.generate, out[seed], seed) for seed in SEEDS]:
            job.result()
    return out


@contextlib.contextmanager
def seed_data(folder):
    """Read the tables from ``folder``, with no reference value left over from other data."""
    with data.use_folder(folder):
        forget_computed()
        try:
            yield
        finally:
            forget_computed()


def test_the_seeds_are_not_todays():
    assert datagen.SEED not in SEEDS and len(SEEDS) >= 20


@pytest.mark.parametrize("seed", SEEDS)
def test_every_table_loads_with_its_schema(seed, folders):
    with seed_data(folders[seed]):
        tables = {name: data.load(name) for name in data.tables()}
    assert sorted(tables) == sorted(data.TABLES)
    for name, frame in tables.items():
        assert list(frame.columns) == list(data.TABLES[name]) and len(frame) > 0, name
    # the events of a draw fall inside the period, never before the merchant signed up
    events = tables["feature_events"].merge(tables["merchants"][["merchant_id", "signup_date"]], on="merchant_id")
    assert events["event_time"].between(pd.Timestamp("2026-01-01"), pd.Timestamp("2026-07-01")).all()
    assert (events["event_time"] >= events["signup_date"]).all()


@pytest.mark.parametrize("seed", SEEDS)
def test_every_planted_finding_holds(seed, folders):
    assert check_findings(folders[seed]) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_every_checker_accepts_its_reference_answer(seed, folders):
    failures = []
    with seed_data(folders[seed]):
        for ex in registry().values():
            try:
                fb = ex.check(ex.reference_answer())
            except Exception as exc:  # the reference itself could not be computed on this draw
                failures.append(f"{ex.id}: {type(exc).__name__}: {exc}")
                continue
            if fb.status not in DONE_STATUSES or fb.score != 1.0:  # a reflection is saved
                failures.append(f"{ex.id}: {fb.status}: {fb.message}")
    assert not failures, "\n".join(failures)


def test_reference_values_follow_the_folder(folders):
    """A seed's reference answers are its own, and the committed data's come back afterwards."""
    take_rate = registry()["01.3"]
    committed = take_rate.reference_answer()
    with seed_data(folders[SEEDS[0]]):
        other = take_rate.reference_answer()
    assert other != committed
    assert take_rate.reference_answer() == committed


def test_a_broken_finding_is_named(folders, tmp_path):
    """Editing the data so CP03 makes money: the check says which finding broke, in a sentence."""
    folder = folders[SEEDS[0]]
    for p in folder.iterdir():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    coupons = (tmp_path / "coupons.csv").read_text().splitlines()
    kept = [line for line in coupons if ",CP03," not in line or line.endswith(",")]  # CP03 redemptions gone
    (tmp_path / "coupons.csv").write_text("\n".join(kept) + "\n")
    broken = check_findings(tmp_path)
    assert any(b.startswith("the campaign that lost money (01.7–01.8)") for b in broken), broken
    assert all(" — but " in b for b in broken)
    assert len(FINDINGS) >= 15
