"""The findings planted in the company's data, as checks: ``check_findings(folder)``.

The lessons and exercises rely on these findings (a campaign that lost money, a feature
almost nobody came back to, an onboarding change that lifts retention, ...). Their exact
figures belong to the committed seed; what every seed must keep is the *shape* each finding
has, the claim a choice exercise or a lesson states. Each :class:`Finding` is that claim as
a sentence, the tables it reads and a check that returns None when the claim holds, else
what was measured instead.

The generator uses them twice (``ctopath.tools.datagen``): a builder whose draw breaks a finding
on its own tables draws again, and after writing, ``check_findings(folder)`` re-checks every
finding on the files as ``ctopath.data.load`` reads them.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ctopath import data

Tables = Mapping[str, pd.DataFrame]


@dataclass(frozen=True)
class Finding:
    name: str
    used_in: str  # the exercises and lessons that rely on it
    claim: str    # the sentence the lessons rely on
    tables: tuple[str, ...]
    check: Callable[[Tables], str | None]  # None if the claim holds, else what the data shows

    def broken(self, tables: Tables) -> str | None:
        """None if the claim holds on ``tables``, else a sentence naming the finding and what was found."""
        problem = self.check(tables)
        return None if problem is None else f"{self.name} ({self.used_in}): {self.claim} — but {problem}."


def _fails(*problems: str | None) -> str | None:
    """The first problem found, or None."""
    return next((p for p in problems if p), None)


def _expect(ok: bool, problem: str) -> str | None:
    return None if ok else problem


# ----------------------------------------------------------------------------- module 01: commerce

def _outage(t: Tables) -> str | None:
    from ctopath.models import commerce

    missing = commerce.unreconciled_orders(t["orders"], t["ledger_entries"])
    created = pd.to_datetime(missing["created_at"])
    window = (created >= "2026-04-17 14:00") & (created < "2026-04-17 16:30")
    return _fails(
        _expect(len(missing) == 23, f"{len(missing)} sold orders have no payment entry (23 expected)"),
        _expect(bool(window.all()), f"{int((~window).sum())} of them fall outside 17 April 14:00–16:30"),
        _expect(set(missing["channel"]) == {"mini_program"}, f"their channels are {sorted(set(missing['channel']))}"),
        _expect(missing["merchant_id"].nunique() >= 5, f"they belong to {missing['merchant_id'].nunique()} merchants"),
    )


def _campaigns(t: Tables) -> str | None:
    from ctopath.models import commerce

    pnl = commerce.campaign_pnl(t["campaigns"], t["coupons"], t["orders"], t["order_items"], t["products"],
                                t["merchants"]).set_index("campaign_id")
    profit = pnl["gross_profit_cny"]
    others = profit.drop("CP03")
    return _fails(
        _expect(profit["CP03"] < 0, f"CP03's gross profit is {profit['CP03']:,.2f} CNY"),
        _expect(bool((others > 0).all()), f"{', '.join(others.index[others <= 0])} did not make a profit"),
        _expect(pnl["redemption_rate"].idxmin() == "CP04",
                f"the lowest redemption rate is {pnl['redemption_rate'].idxmin()}'s"),
        _expect(pnl["profit_per_redemption_cny"].idxmax() == "CP04",
                f"the largest profit per redemption is {pnl['profit_per_redemption_cny'].idxmax()}'s"),
    )


def _chains_gmv(t: Tables) -> str | None:
    from ctopath.models import commerce

    by = commerce.gmv_by(t["orders"], t["merchants"], by="segment")
    share = by["chain"] / by.sum()
    return _expect(share >= 0.65, f"chains carry {100 * share:.1f} % of GMV")


def _fashion_refunds(t: Tables) -> str | None:
    from ctopath.models import commerce

    orders = t["orders"].merge(t["merchants"][["merchant_id", "category"]], on="merchant_id")
    fashion = commerce.refund_rate(orders[orders["category"] == "fashion"], by="value")
    overall = commerce.refund_rate(t["orders"], by="value")
    return _expect(fashion >= 2 * overall,
                   f"fashion's refund rate by value is {100 * fashion:.1f} % against {100 * overall:.1f} % overall")


# ----------------------------------------------------------------------------- module 02: requirements

def _smb(t: Tables) -> list[str]:
    m = t["merchants"]
    return list(m.loc[m["segment"] == "smb", "merchant_id"])


def _pseudo_requirement(t: Tables) -> str | None:
    from ctopath.models import requirements

    usage = requirements.feature_usage(t["feature_events"])
    returning = requirements.returning_merchants(t["feature_events"])
    chains = (t["merchants"]["segment"] == "chain").sum()
    return _fails(
        _expect(usage.at["custom_reports", "merchants_opened"] == 14,
                f"{usage.at['custom_reports', 'merchants_opened']} merchants opened the custom_reports beta"),
        _expect(usage.at["custom_reports", "merchants_used"] <= 4,
                f"{usage.at['custom_reports', 'merchants_used']} merchants saved a custom report"),
        _expect(returning["custom_reports"] == 1, f"{returning['custom_reports']} merchants came back to it"),
        _expect(returning["sales_export"] >= chains, f"only {returning['sales_export']} merchants export weekly"),
    )


def _group_buy(t: Tables) -> str | None:
    from ctopath.models import requirements

    ev, smb = t["feature_events"], _smb(t)
    gb = ev[(ev["feature"] == "group_buy") & ev["merchant_id"].isin(smb)]
    opened = gb.loc[gb["event"] == "opened", "merchant_id"].nunique() / len(smb)
    adoption = requirements.adoption(ev, "group_buy", smb, start="2026-04-06")
    adopters = max(1, round(adoption * len(smb)))
    kept = requirements.returning_merchants(ev)["group_buy"] / adopters
    return _fails(
        _expect(opened >= 0.6, f"{100 * opened:.0f} % of small shops opened it"),
        _expect(0.2 <= adoption <= 0.45, f"its adoption is {100 * adoption:.1f} %"),
        _expect(opened >= 2 * adoption, "opening is not far ahead of adoption"),
        _expect(0.3 <= kept <= 0.75, f"{100 * kept:.0f} % of adopters kept using it"),
    )


# ----------------------------------------------------------------------------- module 03: the business plan

def _interviews(t: Tables) -> str | None:
    from ctopath.models import business_plan

    pain = business_plan.segment_pain(t["interviews"]).set_index("company_size")
    acute, wtp = pain["acute_pct"], pain["median_wtp_cny"]
    return _fails(
        _expect(acute.idxmax() == "6-30 stores", f"the most acute pain is in {acute.idxmax()}"),
        _expect(acute.idxmin() == "31+ stores", f"the least acute pain is in {acute.idxmin()}"),
        _expect(acute["single store"] >= 50, f"only {acute['single store']:.0f} % of single stores feel it acutely"),
        _expect(wtp["6-30 stores"] >= 5 * wtp["single store"],
                f"6–30-store chains would pay {wtp['6-30 stores']:,.0f} against single stores' "
                f"{wtp['single store']:,.0f} CNY"),
    )


def _channels(t: Tables) -> str | None:
    from ctopath.models import unit_economics

    e = unit_economics.channel_economics(*unit_economics.tables(t.__getitem__)).set_index("channel")
    return _fails(
        _expect(e["cac_cny"].idxmin() == "online_ads", f"the cheapest channel per account is {e['cac_cny'].idxmin()}"),
        _expect(e.at["online_ads", "ltv_to_cac"] < 1, f"online ads' LTV:CAC is {e.at['online_ads', 'ltv_to_cac']:.2f}"),
        _expect(e["ltv_to_cac"].idxmax() == "partners", f"the best LTV:CAC is {e['ltv_to_cac'].idxmax()}'s"),
        _expect(e.at["partners", "ltv_to_cac"] > 3 and e.at["partners", "payback_months"] < 12,
                f"partners' LTV:CAC is {e.at['partners', 'ltv_to_cac']:.2f}, payback "
                f"{e.at['partners', 'payback_months']:.1f} months"),
        _expect(e.at["sales_team", "payback_months"] > 12,
                f"the sales team pays back in {e.at['sales_team', 'payback_months']:.1f} months"),
        # 03.8's reference plan (churn 2.5 %, CAC 12,000) must be no better than the partners' measured figures
        _expect(e.at["partners", "monthly_churn"] <= 0.025 and e.at["partners", "cac_cny"] <= 12_000,
                f"partners churn {100 * e.at['partners', 'monthly_churn']:.2f} % a month at a CAC of "
                f"{e.at['partners', 'cac_cny']:,.0f} CNY"),
    )


# ----------------------------------------------------------------------------- module 04: build, launch, operate

def _platform_band(t: Tables) -> str | None:
    from ctopath.models import delivery

    bands = delivery.by_share_band(t["sprints"]).set_index("band")
    return _fails(
        _expect(bands["incidents_per_sprint"].idxmin() == "20-30%",
                f"the fewest incidents are in the {bands['incidents_per_sprint'].idxmin()} band"),
        _expect(bands["feature_share"].idxmax() == "20-30%",
                f"the largest feature share is in the {bands['feature_share'].idxmax()} band"),
        _expect(bands["incidents_per_sprint"].idxmax() == "0-10%",
                f"the most incidents are in the {bands['incidents_per_sprint'].idxmax()} band"),
    )


def _launch(t: Tables) -> str | None:
    from ctopath.models import delivery

    verdict = delivery.go_no_go(delivery.readiness(t["load_tests"], t["launch_bugs"], t["canary"]))
    blockers = sorted(verdict["blockers"])
    return _expect(blockers == ["latency:/member/points/redeem", "open blocking bugs"]
                   and "BUG-031" in " ".join(verdict["reasons"]), f"the launch blockers are {blockers}")


def _onboarding(t: Tables) -> str | None:
    from ctopath.models import cohorts

    rate = cohorts.activation_rate(t["accounts"], t["account_events"], 7, channel="self_serve")
    rate.index = rate.index.astype(str)
    before, after = rate[(rate.index >= "2024-07") & (rate.index < "2025-09")], rate[rate.index >= "2025-09"]
    step = rate.diff()
    lift = cohorts.retention_lift(t["accounts"], t["subscriptions"], "2025-09", 3, channel="self_serve")["lift_pp"]
    return _fails(
        _expect(step.idxmax() == "2025-09", f"7-day activation steps up most with the {step.idxmax()} cohort"),
        _expect(after.mean() - before.mean() >= 0.2,
                f"activation goes from {100 * before.mean():.0f} % to {100 * after.mean():.0f} %"),
        _expect(lift >= 8, f"month-3 retention rises by {lift:.1f} points"),
    )


def _funnel(t: Tables) -> str | None:
    from ctopath.models import funnel

    leak = funnel.leaking_step(t["deals"])
    by_call = funnel.stage_conversion(t["deals"], "trial_onboarding", closed_only=True)["trial→proposal"]
    return _fails(
        _expect(leak == "trial→proposal", f"the leakiest step is {leak}"),
        _expect(by_call["within_2_days"] >= 2 * by_call["none"] and by_call["within_2_days"] >= 0.5,
                f"trials with a call in two days reach a proposal {100 * by_call['within_2_days']:.0f} % of the "
                f"time, without a call {100 * by_call['none']:.0f} %"),
    )


def _demand_balance(t: Tables) -> str | None:
    from ctopath.models import workload

    balance = workload.demand_balance(t["work_items"])
    by_sprint = workload.points_by_sprint(t["work_items"])
    sprints = t["sprints"].set_index("sprint_id").loc[by_sprint.index]
    agree = all((by_sprint[k] == sprints[f"{k}_points"]).all() for k in workload.KINDS)
    points, items = balance["share_of_points"], balance["share_of_items"]
    return _fails(
        _expect(agree, "the work items do not add up to the sprints' feature, platform and unplanned points"),
        _expect(points.idxmax() == "sales" and points["sales"] >= 0.5,
                f"sales' requests took {100 * points.get('sales', 0):.0f} % of the feature points"),
        _expect(points["operations"] <= 0.12, f"operations' requests took {100 * points['operations']:.0f} %"),
        _expect(items["operations"] >= 1.5 * points["operations"],
                f"by ticket count operations has {100 * items['operations']:.0f} % of the feature work"),
    )


def _redeem_regression(t: Tables) -> str | None:
    from ctopath.models import performance

    runs = t["perf_runs"]
    capacity = performance.capacity_by_build(runs)
    latest = runs[runs["build"] == runs["build"].iloc[-1]].set_index("target_rps")["p95_ms"]
    tested = t["load_tests"][t["load_tests"]["endpoint"] == "/member/points/redeem"].set_index("target_rps")["p95_ms"]
    after = capacity.loc["2.0.0-rc4":]
    return _fails(
        _expect(latest.sort_index().equals(tested.sort_index()), "the last build's load test is not load_tests'"),
        _expect(performance.regression_build(runs) == "2.0.0-rc4",
                f"the build that lost most capacity is {performance.regression_build(runs)}"),
        _expect(bool((capacity.loc[:"2.0.0-rc3"] >= 1600).all()), "a build before rc4 carried under 1,600 rps"),
        _expect(bool((after < 1200).all()), "a build from rc4 on meets the 1,200 rps target"),
    )


def _launch_checklist(t: Tables) -> str | None:
    from ctopath.models import launch

    verdict = launch.decision(t["launch_checklist"])
    ceremony = t["launch_checklist"][t["launch_checklist"]["area"] == "ceremony"]
    return _fails(
        _expect(verdict["open_gates"] == ["LC01", "LC02", "LC04", "LC07"],
                f"the open gates are {', '.join(verdict['open_gates']) or 'none'}"),
        _expect(bool((ceremony["gate"] == "no").all()), "a ceremony item is a gate"),
    )


def _module_stickiness(t: Tables) -> str | None:
    from ctopath.models import engagement

    daily, monthly = t["module_usage_daily"], t["module_usage_monthly"]
    smb = engagement.module_stickiness(daily, monthly, "smb")
    change = engagement.change_after(smb, "marketing", "2026-04")
    others = [engagement.change_after(smb, module, "2026-04")["stickiness_ratio"]
              for module in set(smb["module"]) - {"marketing"}]
    seg = t["usage_daily"].set_index(["date", "segment"])["daily_active_users"]
    over = daily["daily_active_users"].to_numpy() > seg.loc[list(zip(daily["date"], daily["segment"]))].to_numpy()
    seg_m = t["usage_monthly"].set_index(["month", "segment"])["monthly_active_users"]
    over_m = monthly["monthly_active_users"].to_numpy() > seg_m.loc[list(zip(monthly["month"],
                                                                            monthly["segment"]))].to_numpy()
    stickiest = {seg_name: engagement.stickiness_table(engagement.module_stickiness(daily, monthly, seg_name))
                 .idxmax(axis=1).unique().tolist() for seg_name in ("chain", "smb")}
    return _fails(
        _expect(not over.any() and not over_m.any(), "a module has more active users than its segment"),
        _expect(change["mau_ratio"] >= 2, f"the marketing module's April MAU is {change['mau_ratio']:.1f}× March's"),
        _expect(change["stickiness_ratio"] <= 0.6,
                f"its DAU/MAU went from {change['stickiness_before']:.3f} to {change['stickiness_after']:.3f}"),
        _expect(all(0.85 <= r <= 1.15 for r in others), "another module's stickiness moved in April too"),
        _expect(all(v == ["orders"] for v in stickiest.values()), f"the stickiest modules are {stickiest}"),
    )


# ----------------------------------------------------------------------------- module 05: the CTO's four duties

def _dora(t: Tables) -> str | None:
    from ctopath.models import dora

    keys = dora.four_keys(t["deployments"], t["incidents"])
    payoff = dora.payoff_period(keys)
    cfr = keys.set_index(keys["period"].astype(str))["change_failure_rate"]
    return _fails(
        _expect(payoff == "2025Q4", f"the first quarter with every key high or elite is {payoff}"),
        _expect(cfr["2025Q3"] > cfr["2025Q2"], "2025Q3's change failure rate did not rise (no J-curve)"),
    )


def _error_budget(t: Tables) -> str | None:
    from ctopath.models import dora

    budget = dora.error_budget(t["availability"], t["slos"]).set_index("service")
    av = t["availability"]
    payments = av[av["service"] == "payments"]
    outage_day = payments.loc[pd.to_datetime(payments["date"]) == "2026-04-17", "failed_requests"].sum()
    left = budget.at["payments", "budget_left_pct"]
    return _fails(
        _expect(0 < left < 40, f"payments has {left:.1f} % of its error budget left"),
        _expect(outage_day >= 0.5 * budget.at["payments", "budget_requests"],
                "17 April did not spend most of payments' error budget"),
        _expect(budget.at["reporting", "budget_left_pct"] < 0, "reporting did not overspend its budget"),
    )


def _co_change(t: Tables) -> str | None:
    from ctopath.models import architecture

    pairs = architecture.co_change(t["commit_services"])
    top = pairs.iloc[0]
    second = {pairs.iloc[1]["service_a"], pairs.iloc[1]["service_b"]}
    return _fails(
        _expect({top["service_a"], top["service_b"]} == {"orders", "order-pricing"},
                f"the most coupled pair is {top['service_a']} ↔ {top['service_b']}"),
        _expect(second == {"membership", "marketing"}, f"the second most coupled pair is {' ↔ '.join(sorted(second))}"),
    )


def _field_notes(t: Tables) -> str | None:
    notes = t["field_notes"].merge(t["accounts"][["merchant_id", "segment"]], on="merchant_id")
    top = notes.groupby("segment")["theme"].agg(lambda s: s.value_counts().index[0])
    return _fails(
        _expect(top.get("chain") == "pos_integration", f"chains talk most about {top.get('chain')}"),
        _expect(top.get("smb") == "menu_import", f"small shops talk most about {top.get('smb')}"),
        _expect((notes["theme"] == "trial_support").sum() >= 3, "hardly any note is about trial support"),
    )


def _ground_and_air(t: Tables) -> str | None:
    from ctopath.models import segmentation
    from ctopath.course.m05_four_duties.exercises import COVERAGE_TARGETS

    mrr = segmentation.mrr_in(t["subscriptions"], "2026-06")
    r = segmentation.coverage(mrr, 2000, 80)  # 05.9's reference plan
    top20 = segmentation.top_share(mrr, 0.2)
    return _fails(
        _expect(r["coverage"] >= COVERAGE_TARGETS["coverage"], f"accounts paying ¥2,000+ carry "
                f"{100 * r['coverage']:.1f} % of June MRR"),
        _expect(r["ground_cost_ratio"] <= COVERAGE_TARGETS["ground_cost_ratio"],
                f"sales would cost {100 * r['ground_cost_ratio']:.1f} % of the MRR it covers"),
        _expect(r["total_cost_ratio"] <= COVERAGE_TARGETS["total_cost_ratio"],
                f"both forces would cost {100 * r['total_cost_ratio']:.1f} % of MRR"),
        _expect(top20 >= 0.5, f"the top 20 % of accounts carry {100 * top20:.1f} % of June MRR"),
    )


def _call_list(t: Tables) -> str | None:
    from ctopath.models import segmentation

    calls = segmentation.call_list(t["accounts"], t["subscriptions"], t["account_events"])
    return _expect(len(calls) >= 3, f"only {len(calls)} accounts are on the call list")


def _kpi_review(t: Tables) -> str | None:
    from ctopath.models import kpi

    worst = kpi.most_off_track(t["kpi_results"], "2026Q2")
    q1 = kpi.quarter_review(t["kpi_results"], "2026Q1").set_index("key_result")
    call = q1.loc["Trials with an onboarding call within 2 days", "status"]
    return _fails(
        _expect(worst == "Self-serve monthly logo churn", f"the most off-track key result of 2026Q2 is {worst!r}"),
        _expect(call == "off track", f"the onboarding-call indicator was {call!r} in 2026Q1"),
    )


FINDINGS: tuple[Finding, ...] = (
    Finding("payment-callback outage", "01.5–01.6, 05.3",
            "exactly 23 paid mini-program orders of 17 April 14:00–16:30, across many merchants, have no ledger entry",
            ("orders", "ledger_entries"), _outage),
    Finding("the campaign that lost money", "01.7–01.8",
            "CP03 loses money, every other campaign is profitable, and CP04 has the lowest redemption rate yet "
            "the largest profit per redemption",
            ("campaigns", "coupons", "orders", "order_items", "products", "merchants"), _campaigns),
    Finding("chains carry GMV", "lesson 01", "the 8 chains carry most (two thirds or more) of GMV",
            ("orders", "merchants"), _chains_gmv),
    Finding("fashion refunds", "lesson 01", "fashion's refund rate by value is at least twice the overall rate",
            ("orders", "merchants"), _fashion_refunds),
    Finding("the pseudo-requirement", "02.3–02.4",
            "the 14 merchants given the custom-reports beta all opened it, at most 4 saved a report and 1 came "
            "back; every chain exports the sales report week after week",
            ("feature_events", "merchants"), _pseudo_requirement),
    Finding("group-buy launch", "02.8–02.10",
            "most small shops opened group-buy, about a third created a campaign and about half of those kept on",
            ("feature_events", "merchants"), _group_buy),
    Finding("the persona", "03.1–03.2",
            "6–30-store chains have the most acute pain and would pay far more than single stores, which complain "
            "loudly; 31+ store chains rarely feel it",
            ("interviews",), _interviews),
    Finding("channel economics", "03.4–03.8",
            "online ads are cheapest per account but LTV:CAC is below 1; partners have the best LTV:CAC (above 3), "
            "pay back within a year and are no better than 03.8's plan (churn ≤ 2.5 %, CAC ≤ 12,000); the sales "
            "team takes over a year to pay back",
            ("accounts", "account_channels", "subscriptions", "serving_costs", "acquisition_spend"), _channels),
    Finding("the platform share", "04.1–04.2",
            "sprints at a 20–30 % platform share have the fewest incidents and ship the largest feature share; "
            "under 10 % has the most incidents",
            ("sprints",), _platform_band),
    Finding("launch readiness", "04.3–04.4",
            "the launch is blocked by exactly the redeem endpoint's latency and the open S2 BUG-031",
            ("load_tests", "launch_bugs", "canary"), _launch),
    Finding("the onboarding change", "04.5–04.7",
            "self-serve 7-day activation steps up with the 2025-09 cohort and month-3 retention rises with it",
            ("accounts", "account_events", "subscriptions"), _onboarding),
    Finding("the funnel leak", "04.9",
            "trial → proposal leaks most, unless the owner calls within two days",
            ("deals",), _funnel),
    Finding("who the team works for", "04.11",
            "over the last 13 sprints sales' requests took over half of the feature points and operations' about a "
            "tenth, though operations has far more of the tickets than of the points; the items add up to the sprints",
            ("work_items", "sprints"), _demand_balance),
    Finding("the redeem regression", "04.12",
            "rc4 (one ledger row per earned batch) cut the redeem endpoint's capacity at 300 ms p95 from 1,600 rps "
            "or more to under 1,200, and no later build won it back; the last build is the one load_tests measured",
            ("perf_runs", "load_tests"), _redeem_regression),
    Finding("the launch checklist", "04.13",
            "besides the latency and bug gates of 04.3, the rollback rehearsal (LC04) and support training (LC07) "
            "are open gates; the canary gate is done; no ceremony item is a gate",
            ("launch_checklist",), _launch_checklist),
    Finding("stickiness after group-buy", "04.14",
            "in April 2026 the small shops' marketing module more than doubled its monthly users while its DAU/MAU "
            "fell to at most 0.6 of before, other modules steady; orders is every month's stickiest module",
            ("module_usage_daily", "module_usage_monthly", "usage_daily", "usage_monthly"), _module_stickiness),
    Finding("CI pays off", "05.1–05.2",
            "2025Q3's investment first raises the change failure rate, and from 2025Q4 every key is high or elite",
            ("deployments", "incidents"), _dora),
    Finding("the error budget", "05.3",
            "payments spent most of its Q2 error budget on 17 April and has a little left; reporting overspent",
            ("availability", "slos"), _error_budget),
    Finding("co-change", "05.4",
            "orders ↔ order-pricing change together most, then membership ↔ marketing",
            ("commit_services",), _co_change),
    Finding("field notes", "05.6",
            "chains talk most about POS integration, small shops about menu import, and trials stall without support",
            ("field_notes", "accounts"), _field_notes),
    Finding("big accounts and the long tail", "05.8–05.9",
            "accounts paying ¥2,000+ carry half the June MRR with one rep, so 05.9's reference plan meets every "
            "target; the top 20 % carry half the MRR or more",
            ("subscriptions",), _ground_and_air),
    Finding("who to call", "05.10", "several paying accounts went quiet in June and are worth a call",
            ("accounts", "subscriptions", "account_events"), _call_list),
    Finding("the KPI review", "05.11",
            "self-serve churn is 2026Q2's most off-track key result; the onboarding-call indicator was already off "
            "track in 2026Q1",
            ("kpi_results",), _kpi_review),
)

# ----------------------------------------------------------------------------- added for 05.12, 05.13, 06.7

def _stuck_rollouts(t: Tables) -> str | None:
    from ctopath.models import expansion

    table = expansion.rollout(t["chain_rollout"])
    signup = t["accounts"].set_index("merchant_id")["signup_date"]
    months = table["merchant_id"].map(lambda m: (2026 - signup[m].year) * 12 + 6 - signup[m].month)
    complained = table["merchant_id"].isin(expansion.complaints(t["field_notes"]).index)
    visits = expansion.visit_list(t["chain_rollout"], t["field_notes"])
    below = table["live_share"] < 0.5
    return _fails(
        _expect(len(visits) >= 3, f"only {len(visits)} chain(s) below half their stores have a POS complaint"),
        _expect(bool((below & ~complained).any()), "no chain below half is free of a POS complaint"),
        _expect(bool((~below & complained).any()), "every chain with a POS complaint is below half"),
        _expect(bool((months[below & ~complained] < 6).all()),
                "a chain below half with no POS complaint signed up six months ago or more"),
        _expect(bool((months[below & complained] >= 6).any()), "every chain on the visit list signed up recently"),
    )


def _generals(t: Tables) -> str | None:
    from ctopath.models import leads

    card = leads.scorecard(t["squad_milestones"], t["squads"]).set_index("lead")
    picked = set(leads.generals(t["squad_milestones"], t["squads"])["lead"])
    senior = t["squads"].sort_values("lead_years").iloc[-1]["lead"]
    busiest = card["story_points"].idxmax()
    on_time_only = set(card.index[card.on_time_share >= leads.MIN_ON_TIME]) - picked
    goal_only = set(card.index[card.goal_met_share >= leads.MIN_GOAL_MET]) - picked
    return _fails(
        _expect(picked == {"Hui", "Sun Yue"}, f"the leads meeting both bars are {sorted(picked)}"),
        _expect(senior not in picked and busiest not in picked,
                f"the most senior ({senior}) or the most story points ({busiest}) is among them"),
        _expect(bool(on_time_only) and bool(goal_only), "no lead meets only one of the two bars"),
    )


def _industry_change(t: Tables) -> str | None:
    from ctopath.models import industry

    shift = industry.online_shift(t["before_larkspur"], t["orders"], t["merchants"]).set_index("segment")
    chain, smb = shift.loc["chain"], shift.loc["smb"]
    return _fails(
        _expect(chain.before_pct - smb.before_pct >= 15,
                f"before Larkspur chains were only {chain.before_pct - smb.before_pct:.1f} points more online"),
        _expect(abs(chain.after_pct - smb.after_pct) <= 10,
                f"in Q2 2026 the segments are {abs(chain.after_pct - smb.after_pct):.1f} points apart"),
        _expect(smb.change_pp >= 1.5 * chain.change_pp,
                f"small shops moved {smb.change_pp:.1f} points, chains {chain.change_pp:.1f}"),
    )


FINDINGS = FINDINGS + (
    Finding("stuck roll-outs", "05.12",
            "the mature chains live on fewer than half their stores are chains with a POS complaint; the other "
            "chains below half signed up in the last six months; one chain with a complaint is rolled out",
            ("chain_rollout", "field_notes", "accounts"), _stuck_rollouts),
    Finding("generals who can fight", "05.13",
            "Hui and Sun Yue alone deliver on time and meet their goals; not the most senior lead, not the most "
            "story points",
            ("squad_milestones", "squads"), _generals),
    Finding("the industry changes", "06.7",
            "before Larkspur chains took far more orders online than small shops; in Q2 2026 both take about "
            "the same share, so the small shops moved further",
            ("before_larkspur", "orders", "merchants"), _industry_change),
)



def check_tables(tables: Tables, findings: tuple[Finding, ...] = FINDINGS) -> list[str]:
    """One sentence per finding that ``tables`` break (naming the finding and what was found); [] if all hold."""
    out = []
    for finding in findings:
        try:
            problem = finding.broken(tables)
        except Exception as exc:  # a draw so far off that a model cannot even compute the figure
            problem = f"{finding.name} ({finding.used_in}): {finding.claim} — but it could not be checked " \
                      f"({type(exc).__name__}: {exc})."
        if problem:
            out.append(problem)
    return out


def check_findings(folder: Path | str | None = None) -> list[str]:
    """The findings the data in ``folder`` (default: the data folder) breaks, one sentence each; [] if all hold."""
    with data.use_folder(folder if folder is not None else data.data_dir()):
        tables = {name: data.load(name) for name in data.tables()}
    return check_tables(tables)
