"""Module 05 — The CTO's four duties.

Builds on the article's section 3 (合格的 CTO 如何做): 稳底盘 stabilise the chassis, 下市场 go to
market, 盘客户 take stock of customers, 盯结果 watch the results. Every reference answer is
computed from the data by ``ctopath.models`` (dora, architecture, funnel, segmentation,
kpi), lazily; nothing is loaded at import.
"""
from __future__ import annotations

import math


from ... import data
from ...engine.i18n import Msg
from ...engine.exercise import (ChoiceExercise, DataExercise, ModelExercise, ModelOutcome, MultiExercise, NumberExercise,
                        Option, Param, ReflectionExercise, Slip, WrongExample)
from ...models import dora, expansion, funnel, leads, segmentation
from .. import Module

KEY_COLUMNS = ["quarter", "deploys_per_day", "deploys_per_service_day", "lead_time_hours", "change_failure_rate",
               "restore_hours"]


def _t(name):
    return data.load(name)


# -- 稳底盘: 05.1 / 05.2 the four keys ------------------------------------------------

def _keys(deployments=None, incidents=None):
    keys = dora.four_keys(_t("deployments") if deployments is None else deployments,
                          _t("incidents") if incidents is None else incidents)
    return keys.rename(columns={"period": "quarter"})


def four_keys():
    return _keys()[KEY_COLUMNS]


def _keys_all_incidents():
    inc = _t("incidents")
    inc = inc.assign(deploy_id=inc["deploy_id"].fillna("none"))
    keys = _keys(incidents=inc)
    keys["change_failure_rate"] = four_keys()["change_failure_rate"].to_numpy()
    return keys[KEY_COLUMNS]


def _keys_mean_lead_time():
    dep = _t("deployments")
    keys = four_keys().copy()
    lead = (dep.deployed_at - dep.first_commit_at).dt.total_seconds() / 3600
    mean = lead.groupby(dep.deployed_at.dt.to_period("Q").astype(str)).mean()
    keys["lead_time_hours"] = keys["quarter"].map(mean).to_numpy()
    return keys


def _keys_platform_total_rated():
    keys = four_keys().copy()
    keys["deploys_per_service_day"] = keys["deploys_per_day"]
    return keys


def _keys_cfr_percent():
    keys = four_keys().copy()
    keys["change_failure_rate"] = 100 * keys["change_failure_rate"]
    return keys


keys_ex = DataExercise(
    "05.1", "DORA's four keys, quarter by quarter",
    "DORA's four keys measure software delivery: two for speed, two for stability. From `deployments` and "
    "`incidents` (July 2024 – June 2026), **compute `four_keys`: a DataFrame with one row per quarter and the "
    "columns**\n\n"
    "- `quarter` — like `\"2025Q3\"` (`deployed_at.dt.to_period(\"Q\").astype(str)`);\n"
    "- `deploys_per_day` — the whole platform's deployments in the quarter ÷ its calendar days (92 for "
    "July–September);\n"
    "- `deploys_per_service_day` — the same ÷ the number of services (`deployments.service.nunique()`, 8): DORA "
    "rates how often **one application or service** deploys, so this is the figure to rate;\n"
    "- `lead_time_hours` — the median of `deployed_at − first_commit_at`, in hours;\n"
    "- `change_failure_rate` — the share (a fraction) of the quarter's deployments that caused an incident "
    "(an incident's `deploy_id` names the deployment);\n"
    "- `restore_hours` — the median of `restored_at − started_at`, in hours, of the incidents **caused by a "
    "deployment** that started in the quarter (DORA's \"failed deployment recovery time\").",
    expected=four_keys, answer_name="four_keys", key=["quarter"], columns=KEY_COLUMNS, rel_tol=1e-3,
    slips=[Slip(_keys_all_incidents, "restore_hours includes incidents with no deployment behind them (a disk, a "
                                     "vendor). DORA's recovery time is about failed deployments: keep incidents "
                                     "with a deploy_id."),
           Slip(_keys_mean_lead_time, "lead_time_hours is a mean; use the median — a few slow changes would "
                                      "otherwise hide how fast the typical change ships."),
           Slip(_keys_platform_total_rated, "deploys_per_service_day equals the platform's total: divide by the "
                                            "8 services. DORA's levels describe one service; eight services "
                                            "deploying every few days each do not make one elite service."),
           Slip(_keys_cfr_percent, "change_failure_rate is in percent; give a fraction (0.09, not 9).")],
    hints=["Add a `quarter` column to both tables; `groupby(\"quarter\")` does the rest.",
           "Days in a quarter: `pd.Period(q).end_time.normalize() - pd.Period(q).start_time` plus one day — or "
           "`len(pd.date_range(...))`.",
           "Failed deployments: `deployments.deploy_id.isin(incidents.deploy_id)`; recovery: "
           "`incidents[incidents.deploy_id.notna()]`.",
           "`dora.four_keys(deployments, incidents)` is the reference implementation; compare yours with it."],
    solution="Group deployments by quarter for frequency, lead time and failure rate; group the deployment-caused "
             "incidents by the quarter they started in for recovery time.",
    solution_code=('dep, inc = data.load("deployments"), data.load("incidents")\n'
                   'dep["quarter"] = dep.deployed_at.dt.to_period("Q").astype(str)\n'
                   'dep["lead_h"] = (dep.deployed_at - dep.first_commit_at).dt.total_seconds() / 3600\n'
                   'dep["failed"] = dep.deploy_id.isin(inc.deploy_id)\n'
                   'days = {q: len(pd.date_range(pd.Period(q).start_time, pd.Period(q).end_time.normalize()))\n'
                   '        for q in dep.quarter.unique()}\n'
                   'caused = inc[inc.deploy_id.notna()].copy()\n'
                   'caused["quarter"] = caused.started_at.dt.to_period("Q").astype(str)\n'
                   'caused["hours"] = (caused.restored_at - caused.started_at).dt.total_seconds() / 3600\n'
                   'g = dep.groupby("quarter")\n'
                   'four_keys = pd.DataFrame({\n'
                   '    "deploys_per_day": g.size() / pd.Series(days),\n'
                   '    "deploys_per_service_day": g.size() / pd.Series(days) / dep.service.nunique(),\n'
                   '    "lead_time_hours": g.lead_h.median(),\n'
                   '    "change_failure_rate": g.failed.mean(),\n'
                   '    "restore_hours": caused.groupby("quarter").hours.median(),\n'
                   '}).rename_axis("quarter").reset_index()'),
    minutes=15,
    wrong_examples=[WrongExample(_keys_all_incidents, "deploy_id"), WrongExample(_keys_cfr_percent, "fraction"),
                    WrongExample(_keys_platform_total_rated, "8 services")],
)

payoff = ChoiceExercise(
    "05.2", "When did the engineering investment pay off?",
    "In 2025Q3 engineering built a CI pipeline, automated tests, feature flags and canary releases. Rate your "
    "four keys with the **DORA performance levels** (`dora.levels(...)`: deployment frequency per service, as DORA "
    "measures it; the thresholds and their sources are in the lesson). "
    "**In which quarter did the investment pay off — the first quarter with every key at *high* or better?**",
    options=[
        Option("2025Q3", "2025Q3, the quarter of the investment", False,
               "Deploys and lead time improved at once, but the change failure rate got *worse* while the team "
               "learnt the new pipeline — the 'J-curve' DORA describes. Not yet paid off."),
        Option("2025Q4", "2025Q4", True,
               "Yes: each service deploys more than once a week (the platform more than once a day), lead time "
               "under a day, failure rate down to under one in ten, recovery in hours — every key high or elite. "
               "Speed and stability improved together."),
        Option("2026Q1", "2026Q1", False,
               "Good, but 2025Q4 already had every key at high or better."),
        Option("2026Q2", "2026Q2", False,
               "The first all-elite-or-high quarter came earlier. 2026Q2 is where three keys reach elite; "
               "deployment frequency stays high, because no single service deploys daily yet (the busiest, "
               "membership, about 0.29 a day)."),
    ],
    hints=["`dora.levels(dora.four_keys(deployments, incidents))`",
           "Look for the first row with no 'medium' or 'low' in it."],
    solution="2025Q4. And note 2025Q3: throughput jumped but stability dipped first — tell the board to expect "
             "that before it happens.",
    minutes=4,
    wrong_examples=[WrongExample("2025Q3", "J-curve"), WrongExample("2026Q1", "already")],
)


# -- 稳底盘: 05.3 error budget --------------------------------------------------------

def _budget(slo_override=None):
    slos = _t("slos")
    if slo_override is not None:
        slos = slos.assign(slo_pct=slo_override)
    return dora.error_budget(_t("availability"), slos).set_index("service").loc["payments"]


def budget_left() -> float:
    return float(_budget()["budget_left_pct"])


budget = NumberExercise(
    "05.3", "How much error budget does payments have left?",
    "`slos` gives each service's SLO: the share of requests that must succeed over the quarter. `availability` "
    "has the requests and failed requests per service per day for Q2 2026. The error budget is the failures the "
    "SLO allows: (1 − SLO) × requests. **What share of its Q2 error budget does `payments` have left, in percent?** "
    "(100 % − failed ÷ budget; negative if overspent.)",
    answer=budget_left, percent=True, rel_tol=0.005, decimals=1,
    slips=[Slip(lambda: float(_budget()["budget_used_pct"]), "That is the share of the budget *used*; the question "
                                                            "asks what is left (100 − used)."),
           Slip(lambda: float(_budget(99.0)["budget_left_pct"]), "You used an SLO of 99 %; payments' SLO is 99.9 % "
                                                                 "(see the slos table), so its budget is ten times "
                                                                 "smaller."),
           Slip(lambda: float(_budget()["availability_pct"]), "That is payments' availability; the budget left "
                                                              "compares its failures with what the SLO allows.")],
    hints=["Sum requests and failed_requests of payments over the quarter.",
           "Budget = (1 − 99.9 / 100) × requests; left = 100 × (1 − failed ÷ budget).",
           "`dora.error_budget(availability, slos)` shows every service; `dora.budget_burn(...)` shows when it went."],
    solution="Payments spent most of its budget in one afternoon — 17 April, the payment-callback outage of "
             "module 01. Little is left for the rest of the quarter: slow risky payments releases down until it "
             "recovers.",
    solution_code=('av, slos = data.load("availability"), data.load("slos")\n'
                   'p = av[av.service == "payments"][["requests", "failed_requests"]].sum()\n'
                   'budget = (1 - 99.9 / 100) * p.requests\n'
                   '100 * (1 - p.failed_requests / budget)'),
    minutes=6,
    wrong_examples=[WrongExample(lambda: float(_budget()["budget_used_pct"]), "used"),
                    WrongExample(lambda: float(_budget(99.0)["budget_left_pct"]), "99.9 %")],
)


# -- 稳底盘: 05.4 boundaries, 05.5 generals -------------------------------------------

boundary = ChoiceExercise(
    "05.4", "Which two services should be one?",
    "`commit_services` lists which services each commit touched in 2026 H1. Two services that keep changing in "
    "the same commits are coupled, whatever the diagrams say. Use `architecture.co_change(commit_services)` "
    "(degree = shared commits ÷ the average of the two services' commits). **Which pair should be one service?**",
    options=[
        Option("orders", "orders and order-pricing", True,
               "Yes: they change together in about four commits out of five. Pricing an order is part of placing "
               "it; the split only adds a network hop and a coordinated deploy. Merge them (or move the pricing "
               "rules into orders)."),
        Option("membership", "membership and marketing", False,
               "They are coupled too (about two in five), but they are different business capabilities: "
               "marketing reaches into membership's model. That is the boundary that *leaks* — fix the contract "
               "(publish membership events, give marketing an API), don't merge the domains."),
        Option("checkout", "checkout-api and payments", False,
               "They share a contract and change together now and then (about one in nine): normal for an API "
               "and its consumer."),
        Option("reporting", "merchant-portal and reporting", False,
               "Rarely change together: a healthy boundary."),
    ],
    hints=["Sort the co-change table by degree.",
           "High coupling inside one capability → one service. Moderate coupling across two capabilities → a "
           "leaking boundary to repair, not to merge."],
    solution="orders + order-pricing: one capability split in two. membership ↔ marketing is the leaking boundary: "
             "repair the interface.",
    solution_code='architecture.co_change(data.load("commit_services")).head()',
    minutes=5,
    wrong_examples=[WrongExample("membership", "leaks"), WrongExample("checkout", "normal")],
)

generals = ReflectionExercise(
    "05.5", "Pick a general who can fight (能打仗的将军)",
    "The article: once the foundations and the business boundaries are in place, pick a few capable leads and "
    "have them execute strictly to plan. You need a lead for the new membership squad (five engineers, "
    "Membership 2.0 must land this quarter). Score each candidate 1–5 on the rubric — **delivers to plan · owns "
    "the outcome, not just the code · calm in an incident · grows people · understands the business** — then "
    "choose, and say what you would ask of them in the first month.\n\n"
    "- **Ming**: the strongest engineer on the team; rewrote the points engine alone; misses dates when a "
    "problem is interesting; mentors nobody.\n"
    "- **Hui**: delivered the last three projects on time; runs the incident rota; shy with customers; the "
    "juniors ask her first.\n"
    "- **Tao**: ex-consultant, superb with merchants and the sales team; two years in the company; has not led "
    "an on-call team.",
    model_answer="One way to see it: Ming 2/3/3/1/3, Hui 5/4/5/4/3, Tao 3/4/2/3/5. Choose **Hui**: a squad that "
                 "must land on time needs the lead who delivers and keeps calm, and the juniors already follow "
                 "her. Her gap is the business, so in month one pair her with Tao for two merchant visits and "
                 "make the squad's goal a business result (members redeeming points), not a feature list. Keep "
                 "Ming as the squad's technical authority without the people load. The rubric matters more than "
                 "the pick: it makes the choice arguable, and it tells the person what to grow.",
    example_answer="Hui: delivers on time, calm in incidents and the juniors trust her; scores 5/4/5/4/3. Ming is "
                   "brilliant but misses dates and does not grow people; Tao knows customers but has not led "
                   "on-call. First month: Hui joins two merchant visits with Tao and owns a business goal.",
    min_words=30,
    hints=["Score before you choose, so the rubric decides, not the first impression.",
           "A squad that must land this quarter: which criteria weigh most? Whose gap is easiest to close?"],
    solution="There is no single right answer; a good one scores all three, weighs delivery and incident calm "
             "for this mission, and names a plan for the chosen lead's gap.",
    minutes=8,
    wrong_examples=[WrongExample("Ming, he is the best coder.", "A few more sentences"),
                    WrongExample("Hui.", "A few more sentences")],
)


# -- 下市场: 05.6 pipeline by owner, 05.7 field notes -----------------------------------

def owner_table():
    return funnel.sales_summary(_t("deals"), "owner")[["owner", "win_rate", "median_cycle_days"]]


def _owner_with_open():
    d = _t("deals")
    table = owner_table().copy()
    rate = (d.status == "won").groupby(d.owner).mean()
    table["win_rate"] = table["owner"].map(rate).to_numpy()
    return table


def _owner_mean_cycle():
    table = owner_table().copy()
    table["median_cycle_days"] = table["owner"].map(funnel.cycle_days(_t("deals"), "owner", "mean")).to_numpy()
    return table


def _owner_cycle_of_closed():
    d = _t("deals")
    closed = d[d.status != "open"]
    cycle = (closed.stage_date - closed.created_date).dt.days.groupby(closed.owner).median()
    table = owner_table().copy()
    table["median_cycle_days"] = table["owner"].map(cycle).to_numpy()
    return table


def _owner_win_rate_percent():
    table = owner_table().copy()
    table["win_rate"] = 100 * table["win_rate"]
    return table


owners = DataExercise(
    "05.6", "Win rate and cycle length by owner",
    "With the CEO you review the sales pipeline (下市场). From `deals`, **compute `owner_table`: one row per owner "
    "with columns `owner`, `win_rate` (won ÷ (won + lost) closed deals, a fraction) and `median_cycle_days` "
    "(median days from `created_date` to `stage_date` of the owner's *won* deals).**",
    expected=owner_table, answer_name="owner_table", key=["owner"],
    columns=["owner", "win_rate", "median_cycle_days"], rel_tol=1e-3,
    slips=[Slip(_owner_with_open, "Your win rate divides by every deal, open ones included. Open deals are not "
                                  "lost yet: divide by closed deals (won + lost)."),
           Slip(_owner_mean_cycle, "median_cycle_days is a mean; use the median."),
           Slip(_owner_cycle_of_closed, "Your cycle counts lost deals too. The sales cycle is how long a *won* deal "
                                        "takes to close: keep status == 'won' for median_cycle_days."),
           Slip(_owner_win_rate_percent, "win_rate is in percent; give a fraction (0.19, not 19).")],
    hints=["Closed deals: `status != \"open\"`; win rate: `(closed.status == \"won\").groupby(closed.owner).mean()`.",
           "Cycle: `(won.stage_date - won.created_date).dt.days.groupby(won.owner).median()`.",
           "`funnel.sales_summary(deals, \"owner\")` has both, with counts."],
    solution="Wang Fang wins the most and closes the fastest. Look at her trials in `trial_onboarding`: she calls "
             "almost every trial merchant within two days. The best rep's habit is the SOP's standard action.",
    solution_code=('deals = data.load("deals")\n'
                   'closed = deals[deals.status != "open"]\n'
                   'won = deals[deals.status == "won"]\n'
                   'owner_table = pd.DataFrame({\n'
                   '    "win_rate": (closed.status == "won").groupby(closed.owner).mean(),\n'
                   '    "median_cycle_days": (won.stage_date - won.created_date).dt.days.groupby(won.owner).median(),\n'
                   '}).rename_axis("owner").reset_index()'),
    minutes=8,
    wrong_examples=[WrongExample(_owner_with_open, "closed deals"), WrongExample(_owner_mean_cycle, "median")],
)

field = MultiExercise(
    "05.7", "What the field notes say",
    "You, sales and operations visited customers from March to June 2026 and coded each note by theme and "
    "sentiment (`field_notes`). Notes are coded in stock sentences, so many repeat word for word, and some "
    "customers were visited twice about the same thing: count the *customers* (distinct `merchant_id`) with a "
    "negative note, by theme and segment (join `accounts` for the segment), not the notes. "
    "**Which changes does the evidence support? Tick every one.**",
    options=[
        Option("pos", "Product: a POS integration kit for chains", True,
               "The most common complaint from chains by far: orders that do not reach the POS or the kitchen."),
        Option("menu", "Product: bulk menu import (spreadsheet, options and sizes) for small shops", True,
               "Small shops' top complaint: entering the menu by hand, some giving up on set-up."),
        Option("call", "Sales SOP: call every trial merchant within two days of the trial starting", True,
               "The trial_support notes say trials stall when nobody calls — the same leak module 04 found in the "
               "funnel."),
        Option("price", "Cut the price of the growth plan", False,
               "Three small shops find it expensive, and two other customers only asked about an annual plan. "
               "Price is not what stops these customers."),
        Option("ai", "Build AI coupon recommendations", False,
               "Two customers asked, as a neutral question, and nobody complained of its absence. An interesting "
               "idea is not evidence of a need."),
        Option("shows", "Move the marketing budget to more trade shows", False,
               "Nothing in the notes is about finding leads; the problems start after the merchant says yes."),
    ],
    hints=["`notes.merge(accounts[[\"merchant_id\", \"segment\"]]).query(\"sentiment == 'negative'\")"
           ".groupby([\"segment\", \"theme\"]).merchant_id.nunique()` — `.size()` would count a repeated note twice.",
           "Three themes stand out, with five or more customers each; no other theme has more than three."],
    solution="POS integration (chains), menu import (small shops), and a trial call in the sales SOP. Visiting "
             "customers (下市场) turns a vague 'sales is slow' into three concrete fixes.",
    solution_code=('notes = data.load("field_notes").merge(data.load("accounts")[["merchant_id", "segment"]])\n'
                   'negative = notes[notes.sentiment == "negative"]\n'
                   'negative.groupby("theme").merchant_id.nunique().sort_values(ascending=False)'),
    minutes=6,
    wrong_examples=[WrongExample(["pos", "price"], "not what stops"), WrongExample(["menu"], "1 of 3")],
)


# -- 盘客户: 05.8 concentration, 05.9 ground vs air, 05.10 the call list ------------------

def _june_mrr():
    return segmentation.mrr_in(_t("subscriptions"), "2026-06")


def top20_pct() -> float:
    return 100 * segmentation.top_share(_june_mrr(), 0.2)


def _top20_of_every_account() -> float:
    m = _june_mrr()
    k = math.ceil(0.2 * len(_t("accounts")))
    return 100 * float(m.sort_values(ascending=False).iloc[:k].sum() / m.sum())


def _top_20_accounts() -> float:
    m = _june_mrr()
    return 100 * float(m.sort_values(ascending=False).iloc[:20].sum() / m.sum())


def _chain_share() -> float:
    m = _june_mrr()
    chains = set(_t("accounts").query("segment == 'chain'").merchant_id)
    return 100 * float(m[m.index.isin(chains)].sum() / m.sum())


concentration = NumberExercise(
    "05.8", "How concentrated is revenue?",
    "Take stock of customers (盘客户), starting with money. Take every account's MRR in June 2026 (`subscriptions`, "
    "month 2026-06-01). **What share of June's MRR comes from the top 20 % of paying accounts, in percent?** Rank "
    "accounts by MRR, largest first; the top 20 % is 0.2 × (number of paying accounts), rounded *up*.",
    answer=top20_pct, percent=True, rel_tol=0.002, decimals=1,
    slips=[Slip(_chain_share, "That is the chains' share (the segment), not the top 20 % of accounts by MRR.",
                rel_tol=0.002),
           Slip(_top20_of_every_account, "You took 20 % of all accounts in `accounts` (every account Larkspur ever "
                                         "had) as the top group. The base is the accounts *paying* in June 2026: "
                                         "20 % of those.", rel_tol=0.002),
           Slip(_top_20_accounts, "That is the top 20 accounts, not the top 20 % of them: 0.2 × the number of "
                                  "paying accounts.", rel_tol=0.002),
           Slip(lambda: 100 - top20_pct(), "That is the other 80 % of accounts' share. Rank largest first and take "
                                           "the top of the list.", rel_tol=0.002)],
    hints=["`m = subs[subs.month == \"2026-06-01\"].groupby(\"merchant_id\").mrr_cny.sum().sort_values(ascending=False)`",
           "`k = math.ceil(0.2 * len(m))`; then `m.iloc[:k].sum() / m.sum() * 100`.",
           "`segmentation.pareto(m)` draws the whole curve."],
    solution="About three fifths of MRR sits in a fifth of the accounts — not quite 80/20, but the few big "
             "accounts decide the quarter. They deserve people; the long tail deserves systems.",
    solution_code=('subs = data.load("subscriptions")\n'
                   'm = subs[subs.month == "2026-06-01"].groupby("merchant_id").mrr_cny.sum().sort_values(ascending=False)\n'
                   'k = math.ceil(0.2 * len(m))\n'
                   '100 * m.iloc[:k].sum() / m.sum()'),
    minutes=5,
    wrong_examples=[WrongExample(_chain_share, "chains' share"), WrongExample(lambda: top20_pct() / 100, "fraction")],
)

COVERAGE_TARGETS = {"coverage": 0.50, "ground_cost_ratio": 0.25, "air_churn": 0.03, "total_cost_ratio": 0.20}


def coverage_outcome(params: dict) -> ModelOutcome:
    r = segmentation.coverage(_june_mrr(), params["threshold"], params["ops_per_account"])
    no_ground, no_air = r["accounts_ground"] == 0, r["accounts_air"] == 0
    # Msg: the labels are shown to the learner, and translated where they are shown
    targets = {
        Msg("Sales (ground forces) cover at least 50 % of MRR"): r["coverage"] >= COVERAGE_TARGETS["coverage"] - 1e-9,
        Msg("Sales cost at most 25 % of the MRR they cover"):
            no_ground or r["ground_cost_ratio"] <= COVERAGE_TARGETS["ground_cost_ratio"] + 1e-9,
        Msg("Long-tail (air forces) churn at most 3.0 % a month"):
            no_air or r["air_churn"] <= COVERAGE_TARGETS["air_churn"] + 1e-9,
        Msg("Both forces together cost at most 20 % of MRR"):
            r["total_cost_ratio"] <= COVERAGE_TARGETS["total_cost_ratio"] + 1e-9,
    }
    metrics = {
        Msg("accounts with sales (ground)"): r["accounts_ground"], Msg("sales reps needed"): r["reps"],
        Msg("MRR covered by sales (%)"): 100 * r["coverage"],
        Msg("sales cost ÷ MRR covered (%)"): math.nan if no_ground else 100 * r["ground_cost_ratio"],
        Msg("accounts with operations (air)"): r["accounts_air"],
        Msg("long-tail churn per month (%)"): math.nan if no_air else 100 * r["air_churn"],
        Msg("total cost ÷ MRR (%)"): 100 * r["total_cost_ratio"],
    }
    notes = []
    if no_ground:
        notes.append(Msg("No account is above the line: sales covers nothing."))
    if r["accounts_ground"] and r["ground_cost_ratio"] > 1:
        notes.append(Msg("Sales costs more than the MRR it covers: the line is far too low."))
    return ModelOutcome(metrics=metrics, targets=targets, notes=notes)


def coverage_plot(params: dict):
    from .explorers import coverage_figure

    return coverage_figure(_june_mrr(), params["threshold"], params["ops_per_account"], COVERAGE_TARGETS)


ground_air = ModelExercise(
    "05.9", "Ground forces and air forces: where do you draw the line?",
    "The article's 地面部队 / 空中部队: sales (the ground forces) visit the big accounts; operations (the air "
    "forces) reach the long tail with campaigns, content and automated onboarding. Accounts with June MRR **at or "
    "above the line** get a sales rep: a rep costs ¥15,000 a month and can visit 20 accounts. Everyone below the "
    "line gets operations, at the spend per account you choose; more spend lowers the long tail's churn "
    "(6 % a month with no spend, 3.75 % at ¥30, 3 % at ¥60 — a stated assumption of this model). "
    "**Set the line and the operations spend so that every target is met.**",
    params=[Param("threshold", "Sales line: MRR at or above (¥)", 0, 8000, 100, 600),
            Param("ops_per_account", "Operations spend per long-tail account (¥ a month)", 0, 150, 5, 20)],
    evaluate=coverage_outcome, plot=coverage_plot, reference={"threshold": 2000, "ops_per_account": 80},
    success_message="All four targets met. The line sits between the biggest self-serve shop and the smallest "
                    "chain: sales for the chains, operations for everyone else — and enough operations spend to "
                    "hold the long tail, which together is worth as much as the chains.",
    hints=["Start with the line: what is the smallest line where one rep covers every account above it? Look at "
           "the Pareto picture: where does the MRR step down?",
           "Then raise the operations spend until long-tail churn reaches 3 %, and check the total cost.",
           "Any line above ¥847 and up to ¥2,999 works; the spend must be between ¥60 and ¥95."],
    solution="Draw the line at the chains (e.g. ¥2,000: 18 accounts, one rep, about 51 % of MRR at about 18 % "
             "cost) and spend about ¥80 per long-tail account on operations (churn 2.7 %, total cost about 18 % of "
             "MRR). A lower line buys coverage with reps who cost more than the shops pay; a higher one leaves "
             "chains without a visit.",
    minutes=8,
    wrong_examples=[WrongExample({"threshold": 600, "ops_per_account": 80}, "✗ Sales cost at most 25 %"),
                    WrongExample({"threshold": 2000, "ops_per_account": 20}, "✗ Long-tail")],
)


def call_list():
    return segmentation.call_list(_t("accounts"), _t("subscriptions"), _t("account_events"))


def _with_cancelled():
    a, s = _t("accounts"), _t("subscriptions")
    return segmentation.call_list(a, s, _t("account_events").query("event != 'cancelled'"))


def _any_mrr():
    return segmentation.call_list(_t("accounts"), _t("subscriptions"), _t("account_events"), min_mrr=0)


def _call_list_with(**rule):
    return lambda: segmentation.call_list(_t("accounts"), _t("subscriptions"), _t("account_events"), **rule)


calls = DataExercise(
    "05.10", "Who to call this week",
    "Operations and you go through the customer base (盘客户). RFM thinking: **M**onetary value high, **R**ecency "
    "bad. **Compute `to_call`: the accounts that** paid for June 2026 (a `subscriptions` row for 2026-06-01) with "
    "MRR of **¥599 or more**, have had **no back-office activity for 21 days or more** on 30 June 2026 "
    "(`accounts.last_active_date`), and have **not already cancelled** (no `cancelled` event in `account_events`). "
    "A DataFrame with a `merchant_id` column, a Series or a list of ids all work.",
    expected=call_list, answer_name="to_call", id_column="merchant_id",
    slips=[Slip(_with_cancelled, "Your list includes accounts that have already cancelled (their June is paid, but "
                                 "they have left). A call now is a win-back, not this week's save: drop them."),
           Slip(_any_mrr, "Your list includes starter shops under ¥599. They matter, but operations reaches them "
                          "from the air; this list is for the accounts worth a person's call."),
           Slip(_call_list_with(min_mrr=599.01), "You kept MRR *above* ¥599 and lost the accounts paying exactly ¥599, "
                                                 "the growth plan. The line is ¥599 or more (≥)."),
           Slip(_call_list_with(quiet_days=0), "You left out the recency rule: that is every valuable account still "
                                               "paying. Keep the ones with no back-office activity for 21 days or "
                                               "more — the quiet ones are at risk.")],
    hints=["June MRR: `subs[subs.month == \"2026-06-01\"].groupby(\"merchant_id\").mrr_cny.sum()`.",
           "Quiet: `(pd.Timestamp(\"2026-06-30\") - accounts.last_active_date).dt.days >= 21`.",
           "Cancelled: `account_events.query(\"event == 'cancelled'\").merchant_id`.",
           "`segmentation.rfm(accounts, subscriptions)` puts every paying account in an RFM segment."],
    solution="Nine accounts, two of them chains: valuable, still paying, gone quiet. Call them this week, and ask "
             "what changed.",
    solution_code=('accounts, subs, events = data.load("accounts"), data.load("subscriptions"), data.load("account_events")\n'
                   'june = subs[subs.month == "2026-06-01"].groupby("merchant_id").mrr_cny.sum()\n'
                   'quiet = (pd.Timestamp("2026-06-30") - accounts.set_index("merchant_id").last_active_date).dt.days\n'
                   'gone = set(events.loc[events.event == "cancelled", "merchant_id"])\n'
                   'to_call = [m for m, v in june.items() if v >= 599 and quiet[m] >= 21 and m not in gone]'),
    minutes=8,
    wrong_examples=[WrongExample(_with_cancelled, "already cancelled"), WrongExample(_any_mrr, "under ¥599")],
)


# -- 盯结果: 05.11 the quarterly review --------------------------------------------------

def _kr_options():
    return [
        Option("churn", "Self-serve monthly logo churn", True,
               "Yes. Churn is a 'lower is better' result, so actual above plan is *adverse*: it is the furthest "
               "from plan of all, in the bad direction. It also drags net new MRR down."),
        Option("cfr", "Change failure rate", False,
               "It has the largest variance, but in the good direction: lower is better and it came in well "
               "under plan. Read the direction before the size."),
        Option("mrr", "Net new MRR", False,
               "Off track, yes — but it is a lagging result, and churn is further off its plan (and one of its "
               "causes)."),
        Option("calls", "Trials with an onboarding call within 2 days", False,
               "Off track, and it was already off in Q1 — a leading indicator that warned early. But churn is "
               "further from plan this quarter."),
    ]


review = ChoiceExercise(
    "05.11", "Which key result is most off track?",
    "The quarterly review (盯结果). `kpi_results` has each key result's plan and actual for 2026Q1 and 2026Q2, "
    "whether it is leading or lagging, and whether higher or lower is better. **In 2026Q2, which key result is "
    "the most off track** — furthest from plan in the bad direction, as a share of plan?",
    options=_kr_options(),
    hints=["Variance % = (actual − plan) ÷ plan. For 'lower is better', flip the sign before you compare.",
           "`kpi.quarter_review(kpi_results, \"2026Q2\")` sorts the key results by adverse variance."],
    solution="Self-serve churn. And the story a board should hear: the leading indicator (onboarding calls) was "
             "off track in Q1; the lagging results (churn, net new MRR) followed in Q2.",
    solution_code='kpi.quarter_review(data.load("kpi_results"), "2026Q2")',
    minutes=5,
    wrong_examples=[WrongExample("cfr", "direction"), WrongExample("mrr", "lagging")],
)

# -- 下市场: 05.12 the chains to visit ------------------------------------------------------

def visit_list():
    return expansion.visit_list(_t("chain_rollout"), _t("field_notes"))


def _visits_without_notes():
    table = expansion.rollout(_t("chain_rollout"))
    return table[table.live_share < 0.5]


def _visits_without_rollout():
    table = expansion.rollout(_t("chain_rollout"))
    return table[table.merchant_id.isin(expansion.complaints(_t("field_notes")).index)]


def _visits_above_half():
    table = expansion.rollout(_t("chain_rollout"))
    complained = table.merchant_id.isin(expansion.complaints(_t("field_notes")).index)
    return table[complained & (table.live_share > 0.5)]


visits = DataExercise(
    "05.12", "Which chains should the CTO visit?",
    "下市场: help customers do their business, and sign a few deals yourself. A chain signs for all its stores, "
    "then rolls Larkspur out store by store; `chain_rollout` has, for every chain paying in June 2026, its "
    "`stores_total` and the `stores_live` on 30 June. **Compute `to_visit`: the chains live on fewer than half "
    "their stores (`stores_live ÷ stores_total < 0.5`) that have at least one *negative* `pos_integration` note "
    "in `field_notes`** — the roll-outs a technical visit can unblock. A DataFrame with a `merchant_id` column, a "
    "Series or a list of ids all work.",
    expected=visit_list, answer_name="to_visit", id_column="merchant_id",
    slips=[Slip(_visits_without_notes, "Your list has every chain below half, but several of those signed up in "
                                       "the last six months and are rolling out on schedule (see "
                                       "accounts.signup_date). Keep the chains with a POS complaint: their roll-out "
                                       "is stuck on something a sales call cannot fix."),
           Slip(_visits_without_rollout, "Your list has every chain that complained about POS integration, "
                                         "including one already live on nearly all its stores: that complaint is "
                                         "for support to close, not a roll-out to unblock. Keep the chains still "
                                         "below half."),
           Slip(_visits_above_half, "You kept the complaining chains *above* half. Compare the live share, "
                                    "stores_live ÷ stores_total, with 0.5 — below it, not above.")],
    hints=["Live share: `rollout.stores_live / rollout.stores_total`.",
           "Complaints (`notes` is `data.load(\"field_notes\")`): "
           "`notes.query(\"theme == 'pos_integration' and sentiment == 'negative'\").merchant_id`.",
           "`expansion.visit_list(chain_rollout, field_notes)` is the reference; `expansion.rollout(...)` adds "
           "`stores_waiting`."],
    solution="Five chains, about ninety stores signed for and not live, every one of them stuck on its POS "
             "integration, most of them many months after signing. A CTO who visits with the integration "
             "engineer and fixes the POS link helps the chain sell in every store and closes the roll-out sales "
             "could not: the cheapest expansion there is.",
    solution_code=('rollout, notes = data.load("chain_rollout"), data.load("field_notes")\n'
                   'rollout["live_share"] = rollout.stores_live / rollout.stores_total\n'
                   'pos = notes[(notes.theme == "pos_integration") & (notes.sentiment == "negative")]\n'
                   'to_visit = rollout[(rollout.live_share < 0.5) & rollout.merchant_id.isin(pos.merchant_id)]'),
    minutes=8,
    wrong_examples=[WrongExample(_visits_without_notes, "rolling out on schedule"),
                    WrongExample(_visits_without_rollout, "already live"),
                    WrongExample(_visits_above_half, "below it, not above")],
)


# -- 稳底盘: 05.13 the generals, from the record ---------------------------------------------

def general_leads():
    return leads.generals(_t("squad_milestones"), _t("squads"))


def _card():
    return leads.scorecard(_t("squad_milestones"), _t("squads"))


def _on_time_only():
    card = _card()
    return card[card.on_time_share >= leads.MIN_ON_TIME]


def _goal_only():
    card = _card()
    return card[card.goal_met_share >= leads.MIN_GOAL_MET]


def _most_points():
    return _card().nlargest(2, "story_points")


def _most_senior():
    return _t("squads").nlargest(2, "lead_years")


generals_data = DataExercise(
    "05.13", "Which leads are generals who can fight?",
    "稳底盘: pick \"generals who can fight\" (能打仗的将军) and have them execute strictly to plan — now with the "
    "record, not the impression of 05.5. `squad_milestones` has every milestone the six squads planned from 2025Q3 "
    "to 2026Q2, its planned and delivered dates and whether its business goal moved (`goal_met`); `squads` names "
    "each squad's lead. **Compute `generals`: the leads whose squads delivered at least 80 % of their milestones on "
    "time (`delivered_date ≤ planned_date`) *and* met the business goal of at least 60 % of them.** A DataFrame "
    "with a `lead` column, a Series or a list of names all work.",
    expected=general_leads, answer_name="generals", id_column="lead",
    slips=[Slip(_on_time_only, "You kept every lead who delivers on time. One squad ships to plan but only about a "
                               "third of its milestones moved their business goal: the product team's 需求输出 "
                               "matters as much as the date. Add the goal_met condition."),
           Slip(_goal_only, "You kept every lead whose milestones meet their goals. One squad lands more than half "
                            "of them late: a general executes strictly to plan (严格按照项目计划执行). Add the "
                            "on-time condition."),
           Slip(_most_points, "Those are the squads that burn the most story points: effort, in the team's own "
                              "unit. Neither delivers most milestones on time. Judge the record, not the activity."),
           Slip(_most_senior, "Those are the two most senior leads. Seniority is not a record: neither meets the "
                              "on-time bar.")],
    hints=["On time: `milestones.delivered_date <= milestones.planned_date`; goal met: "
           "`milestones.goal_met == \"yes\"`.",
           "Group by squad and take the mean of each condition: a mean of True/False is a share.",
           "Join `squads` for the lead's name; `leads.scorecard(squad_milestones, squads)` shows every squad."],
    solution="Hui and Sun Yue: nine in ten milestones on time and about four in five moving their goal. Not Ming, "
             "whose squad does the most points and misses dates; not Guo Qiang, the most senior; not He Ping, on "
             "time but rarely moving the business; not Ma Lin, whose goals move but late. The data agrees with "
             "05.5's pick — and gives each of the others one concrete thing to grow.",
    solution_code=('ms, squads = data.load("squad_milestones"), data.load("squads")\n'
                   'ms["on_time"] = ms.delivered_date <= ms.planned_date\n'
                   'ms["goal"] = ms.goal_met == "yes"\n'
                   'card = ms.groupby("squad")[["on_time", "goal"]].mean().join(squads.set_index("squad"))\n'
                   'generals = card[(card.on_time >= 0.8) & (card.goal >= 0.6)].lead'),
    minutes=8,
    wrong_examples=[WrongExample(_on_time_only, "需求输出"), WrongExample(_goal_only, "严格按照"),
                    WrongExample(_most_points, "effort"), WrongExample(_most_senior, "Seniority")],
)


MODULE = Module(
    number="05", slug="four-duties", title="The CTO's four duties",
    teaching_minutes=40,
    article_passage="Section 3, 合格的 CTO 如何做: 稳底盘 (stabilise the chassis: R&D infrastructure, business "
                    "boundaries, 能打仗的将军), 下市场 (go to market with the CEO; visit customers; the sales SOP), "
                    "盘客户 (take stock of customers: 地面部队 and 空中部队) and 盯结果 (watch the results).",
    exercises=[keys_ex, payoff, budget, boundary, generals, owners, field, concentration, ground_air, calls, review,
               visits, generals_data],
    # for a room short of time: one exercise per duty: DORA, concentration, the KPI review, boundaries
    core=['05.2', '05.8', '05.11', '05.4'],
    discussion=[
        "Which of the four keys could you measure in your own team next week, and from which system?",
        "Where does your architecture's boundary leak? What would the co-change table of your repository say?",
        "When did you last visit a customer? What did you change because of it?",
        "Who are your company's ground forces and air forces, and who decided where the line is?",
        "Which leading indicator would have warned your last missed quarter in time?",
    ],
)
