"""models.expansion (05.12): live share, complaints and the visit list — by hand, then on the company's data."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath import data
from ctopath.models import expansion


# chain  stores  live  share  POS complaint        on the list?
# C1       20     5    0.25   negative ×2          yes (stuck, complained)
# C2       10     9    0.90   negative             no  (rolled out)
# C3       30    10    0.33   none                 no  (no technical blocker)
# C4       12     6    0.50   negative             no  (exactly half is not "fewer than half")
# C5        8     1    0.125  positive only        no  (a positive note is no complaint)
def _rollout():
    return pd.DataFrame({"merchant_id": ["C1", "C2", "C3", "C4", "C5"], "stores_total": [20, 10, 30, 12, 8],
                         "stores_live": [5, 9, 10, 6, 1]})


def _notes():
    return pd.DataFrame({"merchant_id": ["C1", "C1", "C2", "C4", "C5", "C3"],
                         "theme": ["pos_integration"] * 5 + ["reporting"],
                         "sentiment": ["negative", "negative", "negative", "negative", "positive", "negative"]})


def test_rollout_by_hand():
    t = expansion.rollout(_rollout())
    assert t["live_share"].tolist() == pytest.approx([0.25, 0.9, 1 / 3, 0.5, 0.125])
    assert t["stores_waiting"].tolist() == [15, 1, 20, 6, 7]


def test_visit_list_by_hand():
    v = expansion.visit_list(_rollout(), _notes())
    assert v["merchant_id"].tolist() == ["C1"]
    assert v["complaints"].tolist() == [2]
    # with a higher bar, C4 (exactly half) joins; the most stores waiting come first
    assert expansion.visit_list(_rollout(), _notes(), max_live_share=0.6)["merchant_id"].tolist() == ["C1", "C4"]


def test_inputs_are_not_modified():
    r, n = _rollout(), _notes()
    expansion.visit_list(r, n)
    pd.testing.assert_frame_equal(r, _rollout())
    pd.testing.assert_frame_equal(n, _notes())


@pytest.mark.parametrize("bad", [0, 1.5, "half", float("nan")])
def test_bad_share_is_a_sentence(bad):
    with pytest.raises(ValueError, match="max_live_share"):
        expansion.visit_list(_rollout(), _notes(), max_live_share=bad)


def test_missing_columns_and_empty_chains_are_sentences():
    with pytest.raises(ValueError, match="stores_live"):
        expansion.rollout(_rollout().drop(columns="stores_live"))
    with pytest.raises(ValueError, match="at least one store"):
        expansion.rollout(_rollout().assign(stores_total=0))


def test_the_companys_visit_list():
    rollout, notes = data.load("chain_rollout"), data.load("field_notes")
    v = expansion.visit_list(rollout, notes)
    assert sorted(v["merchant_id"]) == ["M008", "M018", "M021", "S0026", "S0164"]
    assert int(v["stores_waiting"].sum()) == 92
    # every chain paying in June has a row, and no chain is live on more stores than it has
    subs = data.load("subscriptions")
    chains = set(data.load("accounts").query("segment == 'chain'").merchant_id)
    paying = set(subs.loc[subs.month == "2026-06-01", "merchant_id"]) & chains
    assert set(rollout["merchant_id"]) == paying
    assert (rollout.stores_live <= rollout.stores_total).all() and (rollout.stores_live >= 1).all()
    # the core chains' stores are those of merchants
    stores = data.load("merchants").set_index("merchant_id").stores
    core = rollout[rollout.merchant_id.isin(stores.index)]
    assert (core.stores_total.to_numpy() == core.merchant_id.map(stores).to_numpy()).all()
