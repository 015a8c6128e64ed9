"""Module 06 — Capstone: help the business win first.

Builds on the article's closing motto, 帮助业务先赢，保持技术追求 (help the business win
first; keep your technical ambition), and on the four duties working together. The learner
runs Larkspur's engineering for eight quarters in ``ctopath.models.simulation``, reviews
the result as a board would, and writes a personal 90-day plan (``models.plan90``).
Every reference figure is computed by the simulation, lazily, never at import time.
"""
from __future__ import annotations

from ...engine.exercise import (ChoiceExercise, DataExercise, ModelExercise, ModelOutcome, MultiExercise, NumberExercise,
                        Option, Param, ReflectionExercise, Slip, WrongExample)
from ...engine.i18n import Msg, join
from ...models import simulation as sim
from .. import Module

# -- 06.1 the simulation ---------------------------------------------------------

_AREA_LABELS = {"features": Msg("features"), "platform": Msg("platform / tech debt"),
                "custom": Msg("big-account custom work"), "growth": Msg("growth experiments")}
_KEYS = {"features": "f", "platform": "p", "custom": "c", "growth": "g"}
STATUS_QUO = sim.STATUS_QUO
A = sim.DEFAULT


def _params() -> list[Param]:
    params = []
    for phase, quarters in ((1, Msg("Q1–Q4")), (2, Msg("Q5–Q8"))):
        for area, key in _KEYS.items():
            params.append(Param(f"{key}{phase}", Msg("Phase {phase} ({quarters}) {area}", phase=phase,
                                                     quarters=quarters, area=_AREA_LABELS[area]),
                                0, 100, 5, STATUS_QUO[area], "%"))
        params.append(Param(f"h{phase}", Msg("Phase {phase} ({quarters}) hires per quarter", phase=phase,
                                             quarters=quarters), 0, 5, 1, 0, ""))
    params.append(Param("price", "Price index (1.0 = today's prices)", 0.7, 1.5, 0.05, 1.0, ""))
    return params


def plan_from_values(values: dict) -> list[dict]:
    """The sliders of 06.1 → a full 8-quarter plan (ValueError with a clear sentence if impossible)."""
    phases = []
    for phase in (1, 2):
        phases.append({**{area: values.get(f"{key}{phase}", STATUS_QUO[area]) for area, key in _KEYS.items()},
                       "hires": values.get(f"h{phase}", 0)})
    return sim.plan_from_phases(phases[0], phases[1], price=values.get("price", 1.0))


def values_from_phases(phase1: dict, phase2: dict, price: float = 1.0) -> dict:
    """Two phase dicts → the slider values of 06.1."""
    out = {}
    for phase, d in ((1, phase1), (2, phase2)):
        out.update({f"{key}{phase}": d.get(area, 0) for area, key in _KEYS.items()})
        out[f"h{phase}"] = d.get("hires", 0)
    out["price"] = price
    return out


def run(values: dict):
    return sim.simulate(plan_from_values(values))


def evaluate(values: dict) -> ModelOutcome:
    result = run(values)
    met = sim.check_targets(result)
    labels = sim.target_labels()
    q4 = result.loc[result["quarter"] == 4].iloc[0]
    last = result.iloc[-1]
    metrics = {
        Msg("ARR at the end of quarter 4 (CNY)"): round(float(q4["arr_cny"])),
        Msg("ARR at the end of quarter 8 (CNY)"): round(float(last["arr_cny"])),
        Msg("lowest cash (CNY)"): round(float(result["cash_cny"].min())),
        Msg("incidents in quarter 8"): round(float(last["incidents"]), 1),
        Msg("platform health in quarter 8"): round(float(last["health"]), 1),
        Msg("customers in quarter 8 (smb + chains)"): f"{last['smb']:.0f} + {last['chains']:.0f}",
        Msg("engineers in quarter 8"): int(last["engineers"]),
    }
    return ModelOutcome(metrics=metrics, targets={labels[k]: met[k] for k in labels}, notes=sim.diagnose(result))


def plot(values: dict):
    from .explorers import dashboard_figure

    return dashboard_figure(run(values))


def _describe(phase: dict) -> str:
    shares = join([Msg("{area} {share} %", area=area, share=phase[area]) for area in sim.AREAS], ", ")
    hires = phase["hires"]
    if hires == 1:
        return Msg("{shares}, {hires} hire a quarter", shares=shares, hires=hires)
    return Msg("{shares}, {hires} hires a quarter", shares=shares, hires=hires)


WINNING = values_from_phases(*sim.BALANCED_PHASES)
ALL_FEATURES = values_from_phases({"features": 100, "hires": 1}, {"features": 100, "hires": 1})
ALL_PLATFORM = values_from_phases({"platform": 100, "hires": 1}, {"platform": 100, "hires": 1})

simulation = ModelExercise(
    "06.1", "Eight quarters as Larkspur's CTO",
    Msg("You run Larkspur's engineering from July 2026 to June 2028. For each phase (quarters 1–4, then 5–8) split "
        "the engineers' time between **features**, **platform / tech debt**, **big-account custom work** and "
        "**growth experiments** (the four shares must add up to 100 %), choose how many engineers to **hire each "
        "quarter**, and optionally move the **price**. Press **Run** to play the eight quarters, then **Check**.\n\n"
        "The board's targets, stated up front: **ARR at the end of quarter 4 ≥ {milestone:g}× today's** "
        "(the milestone for the next round: the business must win first), **ARR at the end of quarter 8 ≥ "
        "{target:g}× today's**, **cash never below zero**, **at most {incidents:g} incidents in "
        "quarter 8**, and **platform health ≥ {health:g}** at the end. The sliders start at today's habit: "
        "{features} % features, {custom} % custom work for chains, "
        "{platform} % platform (the last 13 sprints put 23.7 % on the platform, module 04), no hires. "
        "Today — 177 small shops, 18 chains, their churn, the team and its incidents — is measured from the same data "
        "as modules 03–05 (`simulation.starting_state()`).",
        milestone=A.arr_milestone_multiple, target=A.arr_target_multiple, incidents=A.max_incidents_q8,
        health=A.min_health_q8, features=STATUS_QUO["features"], custom=STATUS_QUO["custom"],
        platform=STATUS_QUO["platform"]),
    params=_params(), evaluate=evaluate, plot=plot, reference=WINNING, run_button=True,
    success_message="Every target met: the business won first, and the platform is stronger than you found it.",
    hints=["Start from the dashboard: which target fails first, and which chart explains it? Incidents and health "
           "fail when platform work is too small; the ARR targets fail when too little goes to features or growth.",
           "Growth experiments multiply the inflow a *mature* product earns; features mature the product fast "
           "while it is young and slowly once it is mature. So: features first, growth later.",
           "Keep the platform share at about 40 % in both phases (more customers mean more load), hire one engineer "
           "a quarter, and shift from features (phase 1) to growth (phase 2)."],
    solution=Msg("One winning plan: phase 1 (build) {phase1}; phase 2 (promote) {phase2}; price 1.0. It trails the "
                 "all-features plan for a year, then overtakes it: the platform kept incidents near what customers "
                 "tolerate, so growth experiments on a mature product compounded.",
                 phase1=_describe(sim.BALANCED_PHASES[0]), phase2=_describe(sim.BALANCED_PHASES[1])),
    solution_code=('from ctopath.models import simulation\n'
                   f'phase1 = {sim.BALANCED_PHASES[0]!r}\n'
                   f'phase2 = {sim.BALANCED_PHASES[1]!r}\n'
                   'result = simulation.simulate(simulation.plan_from_phases(phase1, phase2))\n'
                   'simulation.check_targets(result)'),
    minutes=25,
    wrong_examples=[WrongExample(ALL_FEATURES, "Platform health fell"),
                    WrongExample(ALL_PLATFORM, "Product maturity slid"),
                    WrongExample({**WINNING, "c1": 10}, "add up to 105 %"),
                    WrongExample({**WINNING, "f2": 0, "p2": 0, "c2": 0, "g2": 0}, "every share is zero"),
                    WrongExample({**WINNING, "h1": -1}, "between 0 and 5")],
)


# -- 06.2 the early lead -----------------------------------------------------------

def _arr(name: str, quarter: int) -> float:
    result = sim.simulate(sim.archetype(name))
    return float(result.loc[result["quarter"] == quarter, "arr_cny"].iloc[0])


def early_lead() -> float:
    return _arr("all_features", 4) - _arr("balanced", 4)


early = NumberExercise(
    "06.2", "All features wins early",
    "Compare the all-features plan (`simulation.archetype(\"all_features\")`: 100 % features, one hire a quarter) "
    "with the winning plan of 06.1 (`simulation.archetype(\"balanced\")`). **By how many CNY is the all-features "
    "plan's ARR ahead of the balanced plan's at the end of quarter 4?** (A positive number if all-features is ahead.)",
    answer=early_lead, unit="CNY", rel_tol=0.005, decimals=0,
    slips=[Slip(lambda: early_lead() / 12, "That is the gap in MRR (per month). ARR = 12 × MRR: use the arr_cny column."),
           Slip(lambda: _arr("all_features", 8) - _arr("balanced", 8),
                "That is quarter 8, where the balanced plan is far ahead. The question asks about quarter 4, the "
                "board's milestone."),
           Slip(lambda: _arr("balanced", 4) - _arr("all_features", 4),
                "The sign is flipped: all-features minus balanced is positive at quarter 4."),
           Slip(lambda: _arr("all_features", 3) - _arr("balanced", 3),
                "That is quarter 3. Row 0 of the result is today; quarter 4 is the row where quarter == 4.")],
    hints=["`simulation.simulate(simulation.archetype(\"all_features\"))` gives one row per quarter; row 0 is today.",
           "Take `arr_cny` where `quarter == 4` from both results and subtract."],
    solution="All-features ARR at quarter 4 − balanced ARR at quarter 4: the all-features plan is ahead at the "
             "milestone. Its lead is real, and so is what it costs later.",
    solution_code=('from ctopath.models import simulation\n'
                   'af = simulation.simulate(simulation.archetype("all_features")).set_index("quarter")\n'
                   'bal = simulation.simulate(simulation.archetype("balanced")).set_index("quarter")\n'
                   'af.loc[4, "arr_cny"] - bal.loc[4, "arr_cny"]'),
    minutes=6,
    wrong_examples=[WrongExample(lambda: early_lead() / 12, "MRR"),
                    WrongExample(lambda: _arr("all_features", 8) - _arr("balanced", 8), "quarter 8")],
)


# -- 06.3 what the incidents cost ----------------------------------------------------

def _churned(name: str) -> float:
    return float(sim.mrr_bridge(sim.simulate(sim.archetype(name)))["churned_mrr_cny"].sum())


def churned_mrr_all_features() -> float:
    return _churned("all_features")


def _churn_variant(smb=True, chains=True, money=True, shift=True, factor=1.0):
    def value():
        s = sim.starting_state()
        r = sim.simulate(sim.archetype("all_features"))
        base_smb = r["smb"].shift(1) if shift else r["smb"]
        base_chains = r["chains"].shift(1) if shift else r["chains"]
        lost_smb = base_smb * r["churn_smb"] * (s["arpa_smb_cny"] if money else 1) * (1 if smb else 0)
        lost_chains = base_chains * r["churn_chain"] * (s["arpa_chain_cny"] if money else 1) * (1 if chains else 0)
        return float(((lost_smb + lost_chains) * (r["price"] if money else 1)).sum() * factor)
    return value


churn_cost = DataExercise(
    "06.3", "What did the incidents cost?",
    "Churn is the share of customers lost in a quarter; in the simulation result it is `churn_smb` and "
    "`churn_chain`, applied to the customers at the **start** of the quarter (the previous row). Each lost "
    "customer takes its monthly fee with it: ARPA (`starting_state()[\"arpa_smb_cny\"]`, `[\"arpa_chain_cny\"]`) "
    "× the `price` index. **Compute `churned_mrr`: the total MRR the all-features plan lost to churn over the "
    "eight quarters, in CNY.** Then compare with the balanced plan.",
    expected=churned_mrr_all_features, answer_name="churned_mrr", rel_tol=1e-3,
    unit="CNY",
    slips=[Slip(_churn_variant(factor=12), "That is in ARR (× 12). The question asks for MRR, the monthly figure."),
           Slip(_churn_variant(chains=False), "You counted small shops only. Chains churn too — fewer of them, but "
                                              "each pays about ten times as much."),
           Slip(_churn_variant(money=False), "That is a number of customers, not money: multiply each segment's "
                                             "lost customers by its ARPA (and the price index)."),
           Slip(_churn_variant(shift=False), "Churn applies to the customers at the START of the quarter: use the "
                                             "previous row, `result.smb.shift(1)`, not the quarter's end."),
           Slip(lambda: _churned("balanced"), "That is the balanced plan's churn. The question asks for the "
                                              "all-features plan.")],
    hints=["Lost small shops in a quarter: `r.smb.shift(1) * r.churn_smb`; the same for chains.",
           "Multiply by each segment's ARPA and by `r.price`, add the segments, then `.sum()` over the quarters "
           "(row 0 has no churn: NaN is skipped by sum).",
           "`simulation.mrr_bridge(r)` computes the whole MRR bridge — use it to check yourself."],
    solution="Lost customers (churn × customers at the start of each quarter) × ARPA × price, summed over both "
             "segments and eight quarters. The all-features plan lost nearly twice as much MRR to churn as the "
             "balanced plan, which ends with far more customers to lose: that is where its early lead went.",
    solution_code=('from ctopath.models import simulation\n'
                   's = simulation.starting_state()\n'
                   'r = simulation.simulate(simulation.archetype("all_features"))\n'
                   'lost_smb = r.smb.shift(1) * r.churn_smb\n'
                   'lost_chains = r.chains.shift(1) * r.churn_chain\n'
                   'churned_mrr = (r.price * (lost_smb * s["arpa_smb_cny"] + lost_chains * s["arpa_chain_cny"])).sum()'),
    minutes=8,
    wrong_examples=[WrongExample(_churn_variant(factor=12), "ARR"),
                    WrongExample(_churn_variant(chains=False), "small shops only")],
)


# -- 06.4 the leading indicator ----------------------------------------------------------

leading = ChoiceExercise(
    "06.4", "Which number would have warned the board first?",
    "Replay the all-features plan in the dashboard, quarter by quarter. A board sees numbers once a quarter. "
    "**Which number would have warned them first that this plan was heading for a fall?**",
    options=[
        Option("incidents", "Incidents per quarter (with platform health)", True,
               "Yes: incidents passed the level customers put up with in the very first quarter and rose for six "
               "quarters, while health fell every quarter. ARR kept rising for more than a year. Incidents and "
               "health are leading indicators; ARR is a lagging one — show the board both."),
        Option("arr", "ARR", False,
               "ARR is the result, and it lags: it kept rising for more than a year after the damage started, "
               "because churn follows incidents with a delay and new wins still came in."),
        Option("cash", "Cash", False,
               "Cash stayed positive all along in this plan: it was never the problem, so it could not warn anyone."),
        Option("customers", "Total number of customers", False,
               "The customer count rose for five quarters: new sign-ups hid the rising churn until late."),
        Option("features", "Features shipped per quarter", False,
               "Feature output looked best exactly when the debt was piling up: it measures activity, not health. "
               "It only fell once firefighting ate the capacity — far too late to warn anyone."),
    ],
    hints=["Which line on the dashboard turned bad first: ARR, cash, or health and incidents?",
           "A leading indicator moves before the result does. Compare the quarter incidents passed 9 with the quarter "
           "ARR peaked."],
    solution="Incidents (and platform health): they turned in quarter 1; ARR only turned in quarter 6.",
    minutes=4,
    wrong_examples=[WrongExample("arr", "it lags"), WrongExample("features", "activity")],
)


# -- 06.5 the board review ----------------------------------------------------------------

board = MultiExercise(
    "06.5", "The board review: which few numbers?",
    "You have one slide for the quarterly board meeting. The board will decide on money and priorities, not on "
    "engineering detail. **Tick the numbers that belong on it.**",
    options=[
        Option("arr", "ARR against plan, with its MRR bridge (new, churned)", True,
               "The result the board cares about most, and the bridge shows whether growth comes from winning or "
               "is eaten by churn."),
        Option("cash", "Cash and runway (months of cash left at the current burn)", True,
               "Survival: the board decides on hiring and the next round from it."),
        Option("churn", "Customer churn by segment (small shops, chains)", True,
               "Where revenue leaks, and whether big accounts and the long tail behave differently (盘客户)."),
        Option("incidents", "Incidents per quarter and platform health", True,
               "The leading indicator: it turns quarters before ARR does. This is how a CTO makes the chassis "
               "(稳底盘) visible in business terms."),
        Option("story_points", "Story points completed by engineering", False,
               "An internal planning unit: it measures effort, not value, and it is easy to inflate. Keep it in "
               "the team."),
        Option("loc", "Lines of code written", False,
               "More code is not more value; often the opposite. No decision of the board depends on it."),
        Option("signups_total", "Total sign-ups since launch", False,
               "A vanity number: a cumulative total only goes up and hides churn. Show active customers and churn."),
        Option("tech", "The new technologies adopted this quarter", False,
               "Interesting to engineers; for the board, translate it into its effect on delivery speed, "
               "incidents or cost."),
    ],
    hints=["For each number ask: which decision of the board would change if this number changed?",
           "A good board slide mixes results (lagging) with one or two leading indicators, and leaves out activity "
           "and vanity numbers."],
    solution="ARR with its bridge, cash and runway, churn by segment, and incidents with platform health. Effort, "
             "output and cumulative totals stay out.",
    minutes=6,
    wrong_examples=[WrongExample(["arr", "cash", "story_points"], "measures effort"),
                    WrongExample(["arr", "signups_total"], "vanity")],
)


# -- 06.6 the written account -------------------------------------------------------------

account = ReflectionExercise(
    "06.6", "What drove the result?",
    "Write the paragraph you would read to the board after the eight quarters: **what you did in each phase, what "
    "drove the result (name the mechanism, not just the numbers), and what you would do differently.** Five or six "
    "sentences; mention one leading indicator you watched.",
    model_answer=(
        "In the first four quarters we built: most capacity on features, because a young product wins customers "
        "mainly by getting better, with about 40 % kept on the platform so incidents stayed near what customers "
        "tolerate. We hired one engineer a quarter, which cost cash early and paid back from the second year. In "
        "the second phase we moved capacity from features to growth experiments, which only work on a mature "
        "product, and kept the platform share because every new customer adds load. The all-features alternative "
        "looked better at the first milestone, but its incidents rose from the first quarter and churn followed; "
        "we watched incidents and health as our leading indicators. Next time I would test a small price rise "
        "earlier and start growth experiments a quarter sooner."),
    min_words=40,
    hints=["Name the mechanism: which lag or feedback loop decided the outcome (debt → incidents → churn; maturity → "
           "growth; hiring → cash now, capacity later)?",
           "Structure: phase 1, phase 2, the leading indicator you watched, what you would change."],
    solution="A good account names the phases, the mechanism behind the numbers, the leading indicator, and one "
             "thing to change. Compare yours with the model answer shown after you check.",
    minutes=8,
    wrong_examples=[WrongExample("We met the targets.", "A few more sentences"),
                    WrongExample(12345, "Expected text")],
)


# -- 06.7 行业变革: what the platform changed for its merchants -----------------------------

def _shift(**kw):
    from ... import data
    from ...models import industry

    return industry.online_shift(data.load("before_larkspur"), data.load("orders"), data.load("merchants"), **kw)


def online_shift():
    return _shift()


def _shift_unpooled():
    from ... import data

    before, orders, merchants = data.load("before_larkspur"), data.load("orders"), data.load("merchants")
    segment = merchants.set_index("merchant_id").segment
    q2 = orders[(orders.created_at >= "2026-04-01") & (orders.created_at < "2026-07-01")]
    after = q2.assign(online=q2.channel.isin(["app", "mini_program"])).groupby("merchant_id").online.mean()
    shares = before.assign(before_pct=100 * before.online_orders / before.monthly_orders,
                           after_pct=before.merchant_id.map(100 * after), segment=before.merchant_id.map(segment))
    table = shares.groupby("segment")[["before_pct", "after_pct"]].mean()
    table["change_pp"] = table.after_pct - table.before_pct
    return table.reset_index()


def _shift_relative():
    table = online_shift()
    return table.assign(change_pp=100 * table.change_pp / table.before_pct)


def _shift_mini_program_only():
    return _shift(online=("mini_program",))


def _shift_half_year():
    return _shift(start="2026-01-01")


SHIFT_COLUMNS = ["segment", "before_pct", "after_pct", "change_pp"]

industry_change = DataExercise(
    "06.7", "What did the platform change for its merchants? (行业变革)",
    "The article asks the CTO to help the company change its industry (行业变革), not only to win. One way to see "
    "whether Larkspur does: how its merchants sell. `before_larkspur` has, for each of the 40 merchants of "
    "`orders`, the orders it took in the month before it joined and how many were placed online (its sign-up "
    "questionnaire). **Compute `online_shift`: one row per `segment` (join `merchants`) with `before_pct` — online "
    "orders ÷ all orders before joining, pooled over the segment, in percent; `after_pct` — the same for the "
    "orders created in Q2 2026 (April–June), where online means channel `app` or `mini_program`; and `change_pp` — "
    "after − before, in percentage points.**",
    expected=online_shift, answer_name="online_shift", key=["segment"], columns=SHIFT_COLUMNS, rel_tol=1e-3,
    slips=[Slip(_shift_unpooled, "You averaged each merchant's share. Pool the orders instead (online orders ÷ all "
                                 "orders of the segment): a 40-store chain takes more orders than a café, and a "
                                 "share of the market counts each order once."),
           Slip(_shift_relative, "change_pp is a relative change (percent of the old share). The difference of two "
                                 "shares is in percentage points: after_pct − before_pct."),
           Slip(_shift_mini_program_only, "after_pct counts only the mini program. The merchant's app is online "
                                          "too: channel app or mini_program; pos is the counter."),
           Slip(_shift_half_year, "after_pct uses January–June. The question asks for Q2 2026: orders created "
                                  "from 1 April to 30 June.")],
    hints=["Before: `b = before.merge(merchants[[\"merchant_id\", \"segment\"]])`, then "
           "`b.groupby(\"segment\")[[\"online_orders\", \"monthly_orders\"]].sum()`.",
           "After: `q2 = orders[orders.created_at >= \"2026-04-01\"]`; online is "
           "`q2.channel.isin([\"app\", \"mini_program\"])`; its mean by segment is a pooled share.",
           "`industry.online_shift(before, orders, merchants)` is the reference implementation."],
    solution="Before Larkspur the chains took about a third of their orders online (delivery apps) and the small "
             "shops about one in twenty; in Q2 2026 both take about three in five. The small shops moved about "
             "twice as many points: a single café now sells online like a 40-store chain. That is the change in "
             "the industry a CTO can put in front of the board and the next investor — and it came from the "
             "platform working (稳底盘), not from a slide.",
    solution_code=('from ctopath import data\n'
                   'before, orders, merchants = data.load("before_larkspur"), data.load("orders"), data.load("merchants")\n'
                   'segment = merchants.set_index("merchant_id").segment\n'
                   'b = before.assign(segment=before.merchant_id.map(segment)).groupby("segment")[["online_orders", "monthly_orders"]].sum()\n'  # noqa: E501
                   'q2 = orders[(orders.created_at >= "2026-04-01") & (orders.created_at < "2026-07-01")]\n'
                   'online = q2.channel.isin(["app", "mini_program"]).groupby(q2.merchant_id.map(segment)).mean()\n'
                   'online_shift = pd.DataFrame({"before_pct": 100 * b.online_orders / b.monthly_orders,\n'
                   '                             "after_pct": 100 * online})\n'
                   'online_shift["change_pp"] = online_shift.after_pct - online_shift.before_pct\n'
                   'online_shift = online_shift.rename_axis("segment").reset_index()'),
    minutes=10,
    wrong_examples=[WrongExample(_shift_unpooled, "Pool the orders"), WrongExample(_shift_relative, "percentage points"),
                    WrongExample(_shift_mini_program_only, "app is online")],
)


MODULE = Module(
    number="06", slug="capstone", title="Capstone: help the business win first",
    teaching_minutes=30,
    article_passage="The summary and its motto, 帮助业务先赢，保持技术追求 (help the business win first, keep your "
                    "technical ambition), with the four duties working together: 稳底盘, 下市场, 盘客户, 盯结果.",
    exercises=[simulation, early, churn_cost, leading, board, account,
               industry_change],
    core=['06.1', '06.5'],  # for a room short of time: the simulation and the board review
    discussion=[
        "Which of the four kinds of work does your team under-invest in today, and what would tell you first?",
        "Your CEO asks for one more big-account customisation in quarter 6. What do you say, and with which numbers?",
        "Which leading indicator would you put on your own board slide, and who would own it?",
        "Where does your technical ambition help the business win, and where is it only interesting to you?",
    ],
)
