"""The development pipeline's rules (membership/rules.py), pure: every transition allowed,
refused (by the pipeline's order or by a rule of the table), and what may be overridden.

The rules are the seeded national defaults (membership/pipeline_defaults.py) turned into
RuleSpecs, as the services do for an organization without overrides; fixed dates throughout."""

import datetime
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.membership import rules
from dangjian.membership.pipeline_defaults import DEFAULTS
from dangjian.membership.rules import Candidate, Member, PastStep, Proposal, RuleSpec

D = datetime.date
K = rules.Kind
S = rules.Stage
TODAY = D(2026, 6, 1)


def spec(default) -> RuleSpec:
    return RuleSpec(
        key=default.key,
        name=default.name,
        kind=default.kind,
        from_step=default.from_step,
        to_step=default.to_step,
        min_value=default.min_value,
        max_value=default.max_value,
        unit=default.unit,
    )


NATIONAL = [spec(d) for d in DEFAULTS if d.enabled]
LOCAL = [spec(d) for d in DEFAULTS if not d.enabled]
ALL = NATIONAL + LOCAL
NAMES = {d.key: d.name for d in DEFAULTS}

# One person's way, step by step (the canonical history the tests cut at a stage).
HISTORY = [
    PastStep(K.APPLICATION, D(2024, 1, 5)),
    PastStep(K.FIRST_TALK, D(2024, 1, 20)),
    PastStep(K.ACTIVIST, D(2024, 3, 1)),
    PastStep(K.CONTACTS, D(2024, 3, 1)),
    PastStep(K.REVIEW, D(2024, 9, 1)),
    PastStep(K.REVIEW, D(2025, 2, 20)),
    PastStep(K.TARGET, D(2025, 3, 10)),
    PastStep(K.POLITICAL_REVIEW, D(2025, 4, 1)),
    PastStep(K.TRAINING, D(2025, 4, 15)),
    PastStep(K.INTRODUCERS, D(2025, 4, 20)),
    PastStep(K.VOTE, D(2025, 5, 10)),
    PastStep(K.PROBATION_START, D(2025, 5, 10)),
    PastStep(K.APPROVAL, D(2025, 6, 20)),
]
STAGE_STEP = {S.ACTIVIST: K.ACTIVIST, S.DEVELOPMENT_TARGET: K.TARGET, S.PROBATIONARY_MEMBER: K.VOTE}
FULL = Member(pk=101, name="张正式", political_status="full_member")
FULL_2 = Member(pk=102, name="李正式", political_status="full_member")
FULL_3 = Member(pk=103, name="王正式", political_status="full_member")
PROBATIONARY = Member(pk=104, name="赵预备", political_status="probationary_member")
PERSON = 7
BIRTH = D(1996, 5, 4)


def at(stage, *, without=(), extra=(), upto=None) -> Candidate:
    """The canonical person at ``stage``: the history up to the step that began it (or ``upto``),
    minus the kinds in ``without``, plus ``extra`` steps."""
    last = upto or {S.APPLICANT: K.FIRST_TALK, S.ACTIVIST: K.CONTACTS, **STAGE_STEP}.get(stage)
    if stage == S.ACTIVIST and upto is None:
        last = K.CONTACTS
    if stage == S.PROBATIONARY_MEMBER and upto is None:
        last = K.APPROVAL
    steps = []
    for step in HISTORY:
        steps.append(step)
        if step.kind == last:
            break
    steps = [s for s in steps if s.kind not in without] + list(extra)
    since = next((s.on for s in reversed(steps) if s.kind == STAGE_STEP.get(stage)), HISTORY[0].on)
    return Candidate(person_pk=PERSON, stage=stage, stage_since=since, birth_date=BIRTH, steps=tuple(steps))


def check(candidate, kind, on, rules_=NATIONAL, today=TODAY, **fields) -> rules.Decision:
    return rules.check_step(candidate, Proposal(kind=kind, on=on, **fields), rules_, today=today)


def broken(decision) -> set[str]:
    assert not decision.problems, decision.problems
    return {v.rule for v in decision.violations}


# --- dates ----------------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert rules.add_months(D(2026, 1, 5), 1) == D(2026, 2, 5)
    assert rules.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert rules.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert rules.add_months(D(2025, 11, 30), 3) == D(2026, 2, 28)
    assert rules.add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert rules.add_interval(D(2024, 2, 29), 1, "years") == D(2025, 2, 28)
    assert rules.add_interval(D(2026, 1, 5), 15, "days") == D(2026, 1, 20)


@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2090, 12, 31)), st.integers(min_value=0, max_value=240))
def test_add_months_moves_by_exactly_that_many_calendar_months(day, months):
    later = rules.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
    assert later >= day


@given(
    st.dates(min_value=D(1950, 1, 1), max_value=D(2008, 12, 31)),
    st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)),
)
def test_age_counts_full_years(birth, day):
    age = rules.age_on(birth, day)
    # Independently: the birthday of this year, with 29 February on 1 March in common years.
    try:
        birthday = birth.replace(year=day.year)
    except ValueError:
        birthday = D(day.year, 3, 1)
    assert age == day.year - birth.year - (day < birthday)


# --- every transition, allowed ----------------------------------------------------------------


ALLOWED_CASES = [
    # (stage of the record, step, date, extra fields, history cut)
    (S.APPLICANT, K.FIRST_TALK, D(2024, 2, 5), {}, K.APPLICATION),  # the last day of the month
    (S.APPLICANT, K.ACTIVIST, D(2024, 3, 1), {}, None),
    (S.APPLICANT, K.WITHDRAWAL, D(2024, 3, 1), {}, None),
    (S.ACTIVIST, K.CONTACTS, D(2024, 3, 2), {"people": (FULL,)}, None),
    (S.ACTIVIST, K.CONTACTS, D(2024, 3, 2), {"people": (FULL, FULL_2)}, None),
    (S.ACTIVIST, K.REVIEW, D(2024, 9, 1), {}, None),
    (S.ACTIVIST, K.WITHDRAWAL, D(2024, 9, 1), {}, None),
    (S.DEVELOPMENT_TARGET, K.POLITICAL_REVIEW, D(2025, 4, 1), {}, None),
    (S.DEVELOPMENT_TARGET, K.TRAINING, D(2025, 4, 15), {"hours": 24}, None),
    (S.DEVELOPMENT_TARGET, K.TRAINING, D(2025, 4, 15), {"days": 3}, None),
    (S.DEVELOPMENT_TARGET, K.INTRODUCERS, D(2025, 4, 20), {"people": (FULL, FULL_2)}, None),
    (S.DEVELOPMENT_TARGET, K.PLAN, D(2025, 3, 11), {}, None),  # the 45-day rule is local, off
    (S.DEVELOPMENT_TARGET, K.VOTE, D(2025, 5, 10), {}, K.INTRODUCERS),
    (S.DEVELOPMENT_TARGET, K.WITHDRAWAL, D(2025, 5, 10), {}, None),
    (S.PROBATIONARY_MEMBER, K.APPROVAL, D(2025, 8, 10), {}, K.PROBATION_START),  # 3 months to the day
    (S.PROBATIONARY_MEMBER, K.EXTENSION, D(2026, 5, 10), {"months": 6}, None),
    (S.PROBATIONARY_MEMBER, K.EXTENSION, D(2026, 5, 10), {"months": 12}, None),
    (S.PROBATIONARY_MEMBER, K.FULL_MEMBERSHIP, D(2026, 5, 10), {}, None),  # a year to the day
    (S.PROBATIONARY_MEMBER, K.CANCELLATION, D(2025, 12, 1), {}, None),
]


@pytest.mark.parametrize(("stage", "kind", "on", "fields", "upto"), ALLOWED_CASES)
def test_each_transition_is_allowed_on_time(stage, kind, on, fields, upto):
    decision = check(at(stage, upto=upto), kind, on, **fields)
    assert decision.allowed, (decision.problems, decision.violations)


def test_the_target_designation_is_allowed_after_a_year_with_half_yearly_reviews():
    decision = check(at(S.ACTIVIST, extra=HISTORY[4:6]), K.TARGET, D(2025, 3, 1))
    assert decision.allowed, decision.violations


def test_an_application_is_allowed_at_eighteen():
    decision = rules.check_application(
        birth_date=D(2008, 1, 5),
        applied_on=D(2026, 1, 5),
        political_status="masses",
        rules=NATIONAL,
        today=TODAY,
    )
    assert decision.allowed


def test_next_stage_follows_the_steps():
    assert rules.next_stage(S.APPLICANT, K.FIRST_TALK) == S.APPLICANT
    assert rules.next_stage(S.APPLICANT, K.ACTIVIST) == S.ACTIVIST
    assert rules.next_stage(S.ACTIVIST, K.TARGET) == S.DEVELOPMENT_TARGET
    assert rules.next_stage(S.DEVELOPMENT_TARGET, K.VOTE) == S.PROBATIONARY_MEMBER
    assert rules.next_stage(S.PROBATIONARY_MEMBER, K.FULL_MEMBERSHIP) == S.FULL_MEMBER
    assert rules.next_stage(S.PROBATIONARY_MEMBER, K.CANCELLATION) == S.CANCELLED
    assert rules.next_stage(S.ACTIVIST, K.WITHDRAWAL) == S.WITHDRAWN


# --- refused by a rule of the table (a district administrator may override) --------------------


def test_a_late_first_talk_breaks_the_one_month_rule_and_says_so_with_the_dates():
    decision = check(at(S.APPLICANT, upto=K.APPLICATION), K.FIRST_TALK, D(2024, 2, 6))
    assert broken(decision) == {"first-talk-within-one-month"}
    message = decision.violations[0].message
    assert NAMES["first-talk-within-one-month"] in message
    assert "2024-01-05" in message and "2024-02-06" in message and "2024-02-05" in message


def test_a_development_target_needs_a_year_as_activist():
    decision = check(at(S.ACTIVIST, extra=HISTORY[4:6]), K.TARGET, D(2025, 2, 28))
    assert broken(decision) == {"activist-one-year-before-target"}
    message = decision.violations[0].message
    assert "2024-03-01" in message and "2025-02-28" in message and "2025-03-01" in message


def test_a_missing_half_year_review_breaks_the_review_rule_at_the_target_designation():
    decision = check(at(S.ACTIVIST, extra=[HISTORY[4]]), K.TARGET, D(2025, 3, 10))
    assert broken(decision) == {"activist-half-year-review"}
    # The gap named: the last review and the designation.
    assert "2024-09-01" in decision.violations[0].message
    assert "2025-03-10" in decision.violations[0].message


def test_contacts_are_one_or_two_full_members():
    candidate = at(S.ACTIVIST)
    assert broken(check(candidate, K.CONTACTS, D(2024, 3, 2), people=(FULL, FULL_2, FULL_3))) == {
        "activist-contacts"
    }
    decision = check(candidate, K.CONTACTS, D(2024, 3, 2), people=(PROBATIONARY,))
    assert broken(decision) == {"activist-contacts"}
    assert "赵预备" in decision.violations[0].message


def test_two_introducers_are_required():
    candidate = at(S.DEVELOPMENT_TARGET)
    assert broken(check(candidate, K.INTRODUCERS, D(2025, 4, 20), people=(FULL,))) == {"two-introducers"}
    assert broken(check(candidate, K.INTRODUCERS, D(2025, 4, 20), people=(FULL, PROBATIONARY))) == {
        "two-introducers"
    }


@pytest.mark.parametrize(
    ("days", "hours", "ok"),
    [(3, None, True), (None, 24, True), (2, 20, False), (None, 23, False), (2, None, False)],
)
def test_training_lasts_three_days_or_24_class_hours(days, hours, ok):
    decision = check(at(S.DEVELOPMENT_TARGET), K.TRAINING, D(2025, 4, 15), days=days, hours=hours)
    assert broken(decision) == (set() if ok else {"concentrated-training-length"})


def test_approval_after_three_months_breaks_one_rule_after_six_both():
    candidate = at(S.PROBATIONARY_MEMBER, upto=K.PROBATION_START)
    assert broken(check(candidate, K.APPROVAL, D(2025, 8, 11))) == {"approval-within-three-months"}
    assert broken(check(candidate, K.APPROVAL, D(2025, 11, 10))) == {"approval-within-three-months"}
    assert broken(check(candidate, K.APPROVAL, D(2025, 11, 11))) == {
        "approval-within-three-months",
        "approval-at-most-six-months",
    }


@pytest.mark.parametrize("months", [1, 5, 13, 24])
def test_an_extension_is_six_to_twelve_months(months):
    decision = check(at(S.PROBATIONARY_MEMBER), K.EXTENSION, D(2026, 5, 10), months=months)
    assert broken(decision) == {"probation-extension"}


def test_the_probation_is_extended_once():
    candidate = at(S.PROBATIONARY_MEMBER, extra=[PastStep(K.EXTENSION, D(2026, 5, 10), months=6)])
    decision = check(candidate, K.EXTENSION, D(2026, 5, 20), months=6)
    assert broken(decision) == {"probation-extension"}
    assert "2026-05-10" in decision.violations[0].message


def test_full_membership_waits_for_the_year_and_the_extension():
    candidate = at(S.PROBATIONARY_MEMBER)
    assert broken(check(candidate, K.FULL_MEMBERSHIP, D(2026, 5, 9))) == {"probation-one-year"}
    extended = at(S.PROBATIONARY_MEMBER, extra=[PastStep(K.EXTENSION, D(2026, 5, 10), months=6)])
    today = D(2026, 12, 31)
    decision = check(extended, K.FULL_MEMBERSHIP, D(2026, 11, 9), today=today)
    assert broken(decision) == {"probation-one-year"}
    assert "2026-11-10" in decision.violations[0].message
    assert check(extended, K.FULL_MEMBERSHIP, D(2026, 11, 10), today=today).allowed


def test_an_applicant_under_eighteen_or_without_a_birth_date_breaks_the_age_rule():
    young = rules.check_application(
        birth_date=D(2008, 1, 6),
        applied_on=D(2026, 1, 5),
        political_status="masses",
        rules=NATIONAL,
        today=TODAY,
    )
    assert broken(young) == {"applicant-minimum-age"}
    assert "2008-01-06" in young.violations[0].message and "2026-01-06" in young.violations[0].message
    unknown = rules.check_application(
        birth_date=None, applied_on=D(2026, 1, 5), political_status="masses", rules=NATIONAL, today=TODAY
    )
    assert broken(unknown) == {"applicant-minimum-age"}


def test_local_practice_rules_apply_only_when_switched_on():
    talked = at(S.APPLICANT, upto=K.APPLICATION, extra=[PastStep(K.FIRST_TALK, D(2024, 1, 8))])
    assert check(talked, K.ACTIVIST, D(2024, 1, 19)).allowed  # local practice: off by default
    assert check(talked, K.ACTIVIST, D(2024, 1, 20), rules_=ALL).allowed  # 15 days to the day
    assert broken(check(talked, K.ACTIVIST, D(2024, 1, 19), rules_=ALL)) == {
        "local-activist-at-least-15-days-after-application"
    }
    late = D(2025, 2, 6)  # 13 months after 2024-01-05 is 2025-02-05
    assert broken(check(at(S.APPLICANT), K.ACTIVIST, late, rules_=ALL)) == {
        "local-activist-within-13-months-of-application"
    }
    assert broken(check(at(S.DEVELOPMENT_TARGET), K.PLAN, D(2025, 4, 23), rules_=ALL)) == {
        "local-target-45-days-before-plan"
    }
    assert check(at(S.DEVELOPMENT_TARGET), K.PLAN, D(2025, 4, 24), rules_=ALL).allowed


def test_a_rule_switched_off_is_not_checked():
    without = [r for r in NATIONAL if r.key != "first-talk-within-one-month"]
    assert check(at(S.APPLICANT, upto=K.APPLICATION), K.FIRST_TALK, D(2024, 6, 1), rules_=without).allowed


def test_a_rule_with_the_districts_own_values_is_checked_with_them():
    two_months = [replace(r, max_value=2) if r.key == "first-talk-within-one-month" else r for r in NATIONAL]
    assert check(at(S.APPLICANT, upto=K.APPLICATION), K.FIRST_TALK, D(2024, 3, 5), rules_=two_months).allowed
    assert not check(
        at(S.APPLICANT, upto=K.APPLICATION), K.FIRST_TALK, D(2024, 3, 6), rules_=two_months
    ).allowed


# --- refused by the pipeline's order (never overridden) -----------------------------------------


PROBLEM_CASES = [
    # A step the stage does not allow.
    (at(S.APPLICANT), K.TARGET, D(2024, 6, 1), {}),
    (at(S.APPLICANT), K.CANCELLATION, D(2024, 6, 1), {}),
    (at(S.ACTIVIST), K.VOTE, D(2024, 6, 1), {}),
    (at(S.PROBATIONARY_MEMBER), K.WITHDRAWAL, D(2025, 7, 1), {}),
    (at(S.PROBATIONARY_MEMBER), K.APPLICATION, D(2025, 7, 1), {}),
    (replace(at(S.PROBATIONARY_MEMBER), stage=S.FULL_MEMBER), K.REVIEW, D(2026, 5, 1), {}),
    # A step needing another first.
    (at(S.APPLICANT, upto=K.APPLICATION), K.ACTIVIST, D(2024, 3, 1), {}),
    (at(S.ACTIVIST, without=[K.CONTACTS], extra=HISTORY[4:6]), K.TARGET, D(2025, 3, 10), {}),
    (at(S.DEVELOPMENT_TARGET, upto=K.POLITICAL_REVIEW), K.VOTE, D(2025, 5, 10), {}),
    (at(S.PROBATIONARY_MEMBER, upto=K.PROBATION_START), K.FULL_MEMBERSHIP, D(2026, 5, 10), {}),
    (at(S.PROBATIONARY_MEMBER, upto=K.PROBATION_START), K.EXTENSION, D(2026, 5, 10), {"months": 6}),
    # Once only.
    (at(S.APPLICANT), K.FIRST_TALK, D(2024, 1, 25), {}),
    (at(S.PROBATIONARY_MEMBER), K.APPROVAL, D(2025, 7, 1), {}),
    # Dates: in the future, before the stage began, before the step it needs.
    (at(S.APPLICANT), K.ACTIVIST, D(2026, 6, 2), {}),
    (at(S.ACTIVIST), K.REVIEW, D(2024, 2, 28), {}),
    (at(S.PROBATIONARY_MEMBER), K.FULL_MEMBERSHIP, D(2025, 6, 19), {}),
    # Missing details.
    (at(S.ACTIVIST), K.CONTACTS, D(2024, 3, 2), {}),
    (at(S.ACTIVIST), K.CONTACTS, D(2024, 3, 2), {"people": (Member(PERSON, "本人", "masses"),)}),
    (at(S.DEVELOPMENT_TARGET), K.TRAINING, D(2025, 4, 15), {}),
    (at(S.PROBATIONARY_MEMBER), K.EXTENSION, D(2026, 5, 10), {}),
]


@pytest.mark.parametrize(("candidate", "kind", "on", "fields"), PROBLEM_CASES)
def test_steps_out_of_order_are_refused_and_not_checked_against_the_table(candidate, kind, on, fields):
    decision = check(candidate, kind, on, **fields)
    assert decision.problems
    assert not decision.violations  # nothing a district administrator could override
    assert not decision.allowed


def test_an_application_by_a_member_or_in_the_future_is_refused():
    member = rules.check_application(
        birth_date=BIRTH,
        applied_on=D(2026, 1, 5),
        political_status="full_member",
        rules=NATIONAL,
        today=TODAY,
    )
    assert member.problems
    future = rules.check_application(
        birth_date=BIRTH, applied_on=D(2026, 6, 2), political_status="masses", rules=NATIONAL, today=TODAY
    )
    assert future.problems


# --- properties -----------------------------------------------------------------------------------


@given(
    start=st.dates(min_value=D(2015, 1, 1), max_value=D(2025, 12, 31)),
    low=st.one_of(st.none(), st.integers(min_value=0, max_value=24)),
    span=st.integers(min_value=0, max_value=24),
    unit=st.sampled_from(["days", "months", "years"]),
    offset=st.integers(min_value=-30, max_value=800),
)
def test_an_interval_rule_refuses_exactly_the_dates_outside_its_window(start, low, span, unit, offset):
    high = None if low is None else low + span
    if low is None:
        high = span
    rule = RuleSpec("r", "规则", "interval", K.APPLICATION, K.FIRST_TALK, low, high, unit)
    candidate = Candidate(PERSON, S.APPLICANT, start, BIRTH, (PastStep(K.APPLICATION, start),))
    on = start + datetime.timedelta(days=offset)
    decision = check(candidate, K.FIRST_TALK, on, rules_=[rule], today=D(2030, 1, 1))
    if on < start:
        assert decision.problems  # before the application: the order, not the rule
        return
    earliest = rules.add_interval(start, low, unit) if low is not None else start
    latest = rules.add_interval(start, high, unit)
    assert bool(decision.violations) == (not (earliest <= on <= latest))


@given(
    birth=st.dates(min_value=D(1960, 1, 1), max_value=D(2012, 12, 31)),
    applied=st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 5, 31)),
)
def test_the_age_rule_refuses_exactly_the_applicants_under_eighteen(birth, applied):
    decision = rules.check_application(
        birth_date=birth, applied_on=applied, political_status="masses", rules=NATIONAL, today=TODAY
    )
    try:
        eighteenth = birth.replace(year=birth.year + 18)
    except ValueError:  # 29 February: a year older on 1 March in common years
        eighteenth = D(birth.year + 18, 3, 1)
    assert bool(decision.violations) == (applied < eighteenth)


@given(st.lists(st.integers(min_value=1, max_value=250), min_size=0, max_size=6))
def test_the_review_rule_holds_iff_no_gap_exceeds_six_months(gaps):
    start = D(2023, 1, 10)
    reviews, day = [], start
    for gap in gaps:
        day = day + datetime.timedelta(days=gap)
        reviews.append(PastStep(K.REVIEW, day))
    target = day + datetime.timedelta(days=30)
    steps = (
        PastStep(K.APPLICATION, D(2022, 6, 1)),
        PastStep(K.ACTIVIST, start),
        PastStep(K.CONTACTS, start),
        *reviews,
    )
    candidate = Candidate(PERSON, S.ACTIVIST, start, BIRTH, steps)
    every = next(r for r in NATIONAL if r.key == "activist-half-year-review")
    decision = check(candidate, K.TARGET, target, rules_=[every], today=D(2030, 1, 1))
    chain = [start, *(r.on for r in reviews), target]
    expected = any(b > rules.add_months(a, 6) for a, b in zip(chain, chain[1:], strict=False))
    assert bool(decision.violations) == expected


# --- what falls due ----------------------------------------------------------------------------


def test_the_first_talk_falls_due_a_month_after_the_application():
    candidate = at(S.APPLICANT, upto=K.APPLICATION)
    (item,) = rules.due_items(candidate, NATIONAL, today=D(2024, 2, 6))
    assert (item.what, item.due_on, item.overdue) == ("first_talk", D(2024, 2, 5), True)
    assert rules.due_items(candidate, NATIONAL, today=D(2024, 1, 10)) == []  # not yet within the period
    (soon,) = rules.due_items(candidate, NATIONAL, today=D(2024, 1, 10), days_ahead=30)
    assert not soon.overdue
    assert rules.due_items(at(S.APPLICANT), NATIONAL, today=D(2024, 6, 1)) == []  # talked already


def test_the_next_review_falls_due_six_months_after_the_last():
    candidate = at(S.ACTIVIST, extra=[HISTORY[4]])
    (item,) = rules.due_items(candidate, NATIONAL, today=D(2025, 3, 2))
    assert (item.what, item.since, item.due_on, item.overdue) == (
        "review",
        D(2024, 9, 1),
        D(2025, 3, 1),
        True,
    )


def test_approval_and_the_end_of_probation_fall_due():
    waiting = at(S.PROBATIONARY_MEMBER, upto=K.PROBATION_START)
    items = rules.due_items(waiting, NATIONAL, today=D(2026, 5, 10))
    assert [(i.what, i.due_on) for i in items] == [
        ("approval", D(2025, 8, 10)),
        ("probation_end", D(2026, 5, 10)),
    ]
    assert [i.overdue for i in items] == [True, False]
    extended = at(S.PROBATIONARY_MEMBER, extra=[PastStep(K.EXTENSION, D(2026, 5, 10), months=6)])
    (end,) = rules.due_items(extended, NATIONAL, today=D(2026, 11, 20))
    assert (end.what, end.due_on, end.overdue) == ("probation_end", D(2026, 11, 10), True)


def test_a_switched_off_rule_sets_no_due_date():
    without = [r for r in NATIONAL if r.key != "first-talk-within-one-month"]
    assert rules.due_items(at(S.APPLICANT, upto=K.APPLICATION), without, today=D(2025, 1, 1)) == []
