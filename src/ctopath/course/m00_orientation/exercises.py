"""Module 00 — Orientation: the map and you.

Builds on the whole article (its two axes and its four duties). Exercises: place
a situation on the map, recognise the manager stage, two warm-ups on the data
(one typed into a box, one computed with pandas), and a first reflection.
"""
from __future__ import annotations

from ... import data
from ...engine.exercise import (ChoiceExercise, DataExercise, MultiExercise, NumberExercise, Option,
                        ReflectionExercise, Slip, WrongExample)
from .. import Module


def _merchants():
    return data.load("merchants")


def _orders():
    return data.load("orders")


def chain_stores() -> int:
    m = _merchants()
    return int(m.loc[m.segment == "chain", "stores"].sum())


def orders_per_channel():
    return _orders()["channel"].value_counts()


duty = ChoiceExercise(
    "00.1", "Which duty is it?",
    "Larkspur's checkout broke after two Friday deploys this month. The sales team now demos "
    "from screenshots because they no longer trust the live system. **Which of the CTO's four "
    "duties does this call on first?**",
    options=[
        Option("chassis", "稳底盘 — stabilise the chassis (R&D foundations)", True,
               "Yes. Unreliable releases are a foundation problem: release process, tests, monitoring. "
               "Until the chassis is stable, every other duty — even selling — suffers."),
        Option("market", "下市场 — go to the market", False,
               "Sales feels the pain, but visiting customers will not stop the next broken deploy. "
               "The cause sits in engineering's foundations.", score=None),
        Option("customers", "盘客户 — take stock of customers", False,
               "Segmenting customers is about who to serve and how; it does not fix a release process "
               "that breaks checkout."),
        Option("results", "盯结果 — watch the results", False,
               "Tracking the lost demos would measure the damage, not remove its cause. Watch results, "
               "yes — after you stabilise the chassis."),
    ],
    hints=["Ask where the cause is, not where the pain shows up.",
           "Broken deploys, missing tests and no alerting are all R&D infrastructure (研发基建)."],
    solution="**稳底盘 (stabilise the chassis).** The article puts R&D infrastructure — engineering rules, "
             "shared components, DevOps, monitoring and alerting — under this duty. The sales symptom is real, "
             "but it is downstream of the foundation.",
    minutes=3,
    wrong_examples=[WrongExample("market", "cause sits in engineering"),
                    WrongExample("results", "measure the damage")],
)

manager_stage = MultiExercise(
    "00.2", "What the manager stage adds",
    "The article says the R&D manager or director (研发经理 / 研发总监) must deliver *and* talk about "
    "the business with product and operations. **Tick everything the article expects at that stage.**",
    options=[
        Option("plan", "Make the project plan and track progress", True,
               "Delivery capability: plans, hard technical problems, progress tracking."),
        Option("pseudo", "Ask whether a requirement is reasonable, or a pseudo-requirement (伪需求)", True,
               "Questioning the requirement's process and whether it is real is central to this stage."),
        Option("spawn", "Think about which requirements this one will spawn, and design for them", True,
               "The article asks for extensible architecture based on what the requirement will lead to."),
        Option("data", "Decide what data R&D can give product and operations after launch", True,
               "How it will be operated, how usage is monitored, and which data helps others decide."),
        Option("roadmap", "Set the company's business roadmap with the CEO", False,
               "That is the CTO stage: core leadership, making the business plan executable with the CEO."),
        Option("sop", "Write the sales team's SOP of standard actions (标准动作)", False,
               "That belongs to the CTO's promotion phase and the duty 下市场, with sales."),
    ],
    hints=["Four of the six are right.",
           "Two options describe work with the CEO or with sales: the article keeps those for the CTO."],
    solution="Plan and track; question the requirement (is it a 伪需求?); design for what it will spawn; and "
             "decide what usage data R&D gives product and operations. Setting the roadmap with the CEO and "
             "writing the sales SOP are the CTO's.",
    minutes=4,
    wrong_examples=[WrongExample(["plan"], "1 of 4"),
                    WrongExample(["plan", "pseudo", "spawn", "data", "roadmap"], "CTO stage")],
)

stores = NumberExercise(
    "00.3", "How big are the chains?",
    "A warm-up with Larkspur's data. Load the merchants with `data.load(\"merchants\")`. "
    "**How many stores do Larkspur's *chain* merchants run in total?** Type the number into the box.",
    answer=chain_stores, rel_tol=0, abs_tol=0.5, decimals=0,
    slips=[Slip(lambda: int(_merchants().stores.sum()), "That is every merchant's stores; keep only segment == 'chain'."),
           Slip(lambda: int((_merchants().segment == "chain").sum()),
                "That is the number of chain merchants; the question asks how many stores they run (the stores column)."),
           Slip(lambda: int(_merchants().loc[lambda m: m.segment != "chain", "stores"].sum()),
                "Those are the small shops' stores (segment == 'smb'): the filter kept the other segment. "
                "Keep segment == 'chain'."),
           Slip(lambda: float(_merchants().loc[lambda m: m.segment == "chain", "stores"].mean()),
                "That is the average chain's stores (a mean). The question asks for all chains' stores together: "
                "sum, not mean.", rel_tol=0.02)],
    hints=["Filter the rows where `segment == \"chain\"`.",
           "Then sum the `stores` column: `m.loc[m.segment == \"chain\", \"stores\"].sum()`."],
    solution="Filter chains and sum their stores.",
    solution_code='m = data.load("merchants")\nm.loc[m.segment == "chain", "stores"].sum()',
    minutes=4,
    wrong_examples=[WrongExample(lambda: int(_merchants().stores.sum()), "every merchant"),
                    WrongExample(lambda: int((_merchants().segment == "chain").sum()), "number of chain merchants")],
)

channels = DataExercise(
    "00.4", "Orders per channel",
    "Now a code exercise. Consumers order through three channels: the WeChat mini-program, the "
    "in-store POS and the app. **Compute `orders_per_channel`: a Series with the number of orders per "
    "channel, counting every order whatever its status.** Order does not matter.",
    expected=orders_per_channel, answer_name="orders_per_channel",
    slips=[Slip(lambda: _orders().query("status == 'paid'")["channel"].value_counts(),
                "You kept only paid orders; this question counts every order, whatever its status."),
           Slip(lambda: _orders()["channel"].value_counts(normalize=True),
                "Those are shares (normalize=True); the question asks for counts of orders."),
           Slip(lambda: _orders().query("status != 'cancelled'")["channel"].value_counts(),
                "You left out cancelled orders; this question counts every order, whatever its status."),
           Slip(lambda: _orders().groupby("channel")["consumer_id"].nunique(),
                "Those are distinct consumers per channel (nunique); the question counts orders, and one "
                "consumer can order many times.")],
    hints=["One column holds the channel; pandas can count the values in a column.",
           "`orders[\"channel\"].value_counts()`"],
    solution="Count the values of the `channel` column.",
    solution_code='orders = data.load("orders")\norders_per_channel = orders["channel"].value_counts()',
    minutes=4,
    wrong_examples=[WrongExample(lambda: _orders().query("status == 'paid'")["channel"].value_counts(), "only paid"),
                    WrongExample(lambda: _orders()["channel"].value_counts(normalize=True), "shares")],
)

reflection = ReflectionExercise(
    "00.5", "Where are you, and what can't you answer?",
    "In a few sentences: which stage of the path are you at today, and **what is one question about "
    "your own company's business that you cannot answer yet** (how it earns money, which customers "
    "matter most, what a feature earned)? Your answer is saved in your progress; you will come back to "
    "it in module 06.",
    model_answer="For example: \"I lead a team of five on the checkout service, so I'm between programmer "
                 "and manager. I can't say what share of our revenue comes from our ten biggest customers, or "
                 "whether the promotion feature we shipped last quarter paid for itself. I'll ask finance for the "
                 "first and pull usage data for the second.\" A good answer names a concrete question and who "
                 "could help answer it.",
    example_answer="I am a senior engineer leading checkout work, so still at the programmer stage. I cannot say "
                   "how much of our revenue comes from the ten largest customers, or what last quarter's coupon "
                   "feature earned; I will ask finance and pull the usage data myself.",
    min_words=15,
    hints=["Pick a question whose answer would change what you build next.",
           "Think money (revenue, cost), customers (who pays most, who leaves) or results (did a feature work)."],
    solution="There is no single right answer. Name your stage honestly and one concrete business question; "
             "module 06 turns it into part of your 90-day plan.",
    minutes=5,
    wrong_examples=[WrongExample("I am a programmer.", "A few more sentences"),
                    WrongExample("CTO now, no questions.", "A few more sentences")],
)

MODULE = Module(
    number="00", slug="orientation", title="Orientation: the map and you",
    teaching_minutes=20,
    article_passage="The whole article: its two axes (career stages; product phases) and section 3's four duties "
                    "(稳底盘, 下市场, 盘客户, 盯结果).",
    exercises=[duty, manager_stage, stores, channels, reflection],
    core=['00.1', '00.4', '00.2'],  # for a room short of time: placing a situation on the map, and how a code exercise works
    discussion=[
        "Which stage are you at, and which product phase is your company in? Do they fit?",
        "Which of the four duties does your current CTO (or you) spend least time on? What does it cost?",
    ],
)
