"""models.funnel: stage conversion, win probability, forecast, win rate, cycle — by hand, then the real deals."""
from __future__ import annotations

import pandas as pd
import pytest

from ctopath.models import funnel as f


# deal stage     status mrr   created     closed/stage  days channel  owner
# D1   won       won    1000  2025-01-01  2025-03-02    60   inbound  Ann
# D2   proposal  lost    500  2025-01-05  2025-02-04    30   inbound  Ann
# D3   trial     lost    800  2025-01-10  2025-02-01         outbound Bob
# D4   demo      lost    300  2025-01-12  2025-01-30         outbound Bob
# D5   lead      lost    200  2025-01-15  2025-01-20         inbound  Bob
# D6   won       won    2000  2025-02-01  2025-02-21    20   outbound Bob
# D7   trial     open    600  2025-03-01  2025-03-10         inbound  Ann
# D8   lead      open    400  2025-03-05  2025-03-05         outbound Ann
def _deals():
    return pd.DataFrame({
        "deal_id": [f"D{i}" for i in range(1, 9)],
        "created_date": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-10", "2025-01-12", "2025-01-15",
                                        "2025-02-01", "2025-03-01", "2025-03-05"]),
        "stage": ["won", "proposal", "trial", "demo", "lead", "won", "trial", "lead"],
        "status": ["won", "lost", "lost", "lost", "lost", "won", "open", "open"],
        "stage_date": pd.to_datetime(["2025-03-02", "2025-02-04", "2025-02-01", "2025-01-30", "2025-01-20",
                                      "2025-02-21", "2025-03-10", "2025-03-05"]),
        "mrr_cny": [1000.0, 500, 800, 300, 200, 2000, 600, 400],
        "channel": ["inbound", "inbound", "outbound", "outbound", "inbound", "outbound", "inbound", "outbound"],
        "owner": ["Ann", "Ann", "Bob", "Bob", "Bob", "Bob", "Ann", "Ann"],
    })


def test_stage_counts_and_conversion():
    d = _deals()
    # reached: lead 8; demo D1 D2 D3 D4 D6 D7 = 6; trial D1 D2 D3 D6 D7 = 5; proposal D1 D2 D6 = 3; won 2
    assert f.stage_counts(d).tolist() == [8, 6, 5, 3, 2]
    assert f.stage_conversion(d).tolist() == pytest.approx([6 / 8, 5 / 6, 3 / 5, 2 / 3])
    # closed only (no D7, D8): 6, 5, 4, 3, 2 → 5/6, 4/5, 3/4, 2/3 — the last step is lowest
    assert f.stage_conversion(d, closed_only=True).tolist() == pytest.approx([5 / 6, 4 / 5, 3 / 4, 2 / 3])
    assert f.leaking_step(d) == "proposal→won"
    # inbound: D1 D2 D5 D7 → lead 4, demo 3, trial 3, proposal 2, won 1
    assert f.stage_counts(d, "channel").loc["inbound"].tolist() == [4, 3, 3, 2, 1]
    assert f.stage_conversion(d, "channel").loc["inbound"].tolist() == pytest.approx([3 / 4, 1.0, 2 / 3, 1 / 2])


def test_win_probability_and_forecast():
    d = _deals()
    # closed: D1..D6, won D1 D6. lead 2/6, demo 2/5, trial 2/4, proposal 2/3, won 1
    assert f.win_probability(d).tolist() == pytest.approx([1 / 3, 2 / 5, 1 / 2, 2 / 3, 1.0])
    # open: D7 trial 600 × 1/2 = 300; D8 lead 400 × 1/3 = 133.33 → 433.33
    assert f.pipeline_forecast(d) == pytest.approx(300 + 400 / 3)
    table = f.forecast_by_stage(d).set_index("stage")
    assert table.loc["trial", "expected_mrr_cny"] == pytest.approx(300)
    assert f.pipeline_forecast(d, {"lead": 0.0, "trial": 1.0}) == 600


def test_win_rate_cycle_summary():
    d = _deals()
    assert f.win_rate(d) == pytest.approx(2 / 6)
    assert f.win_rate(d, "owner").to_dict() == pytest.approx({"Ann": 0.5, "Bob": 0.25})
    # won: D1 60 days, D6 20 days → median 40
    assert f.cycle_days(d) == 40 and f.cycle_days(d, stat="mean") == 40
    assert f.cycle_days(d, "owner").to_dict() == {"Ann": 60, "Bob": 20}
    s = f.sales_summary(d).set_index("owner")
    assert s.loc["Ann"].tolist() == [2, 1, 0.5, 60.0, 2] and s.loc["Bob"].tolist() == [4, 1, 0.25, 20.0, 0]


def test_bad_input():
    d = _deals()
    with pytest.raises(ValueError, match="stage"):
        f.stage_counts(d.assign(stage="signed"))
    with pytest.raises(ValueError, match="status"):
        f.win_rate(d.assign(status="maybe"))
    with pytest.raises(ValueError, match="no closed"):
        f.win_rate(d.assign(status="open"))
    with pytest.raises(ValueError, match="fractions"):
        f.pipeline_forecast(d, {"lead": 2.0, "trial": 0.5})
    with pytest.raises(ValueError, match="stat"):
        f.cycle_days(d, stat="mode")
    with pytest.raises(ValueError, match="missing the columns"):
        f.stage_counts(d.drop(columns=["stage"]))


def test_finding_trial_leak_and_the_call(repo_data):
    d = repo_data("deals")
    accounts = repo_data("accounts")
    conv = f.stage_conversion(d, "channel", closed_only=True)
    assert (conv.idxmin(axis=1) == "trial→proposal").all()    # the leak is in every channel
    assert f.leaking_step(d) == "trial→proposal"
    trials = d[d.trial_onboarding.notna()]
    reached = trials.stage.isin(["proposal", "won"]).groupby(trials.trial_onboarding).mean()
    assert reached["within_2_days"] > 0.55 and reached["none"] < 0.2
    s = f.sales_summary(d).set_index("owner")
    assert s.win_rate.idxmax() == "Wang Fang" and s.median_cycle_days.idxmin() == "Wang Fang"
    assert f.pipeline_forecast(d) == pytest.approx(4954.48, abs=0.01)
    # every won deal is an account, signed on the day the deal closed
    won = d[d.status == "won"].merge(accounts, on="merchant_id")
    assert len(won) == (d.status == "won").sum() and (won.stage_date == won.signup_date).all()
