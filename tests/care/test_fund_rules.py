"""Care fund eligibility rules and money, as pure functions (no database)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dangjian.care import fund_rules as r

D = datetime.date
TODAY = D(2026, 3, 15)
days = st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31))

# Pure functions are fast; on a loaded machine only the clock is slow: no deadline, no too-slow check.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- money ------------------------------------------------------------------------------------


@relaxed
@given(st.integers(min_value=0, max_value=10**13))
def test_fen_round_trips_through_yuan(fen):
    assert r.yuan_to_fen(r.fen_to_yuan(fen)) == fen
    assert r.yuan_to_fen(r.format_yuan(fen)) == fen  # thousands separators are accepted back


def test_yuan_to_fen_is_exact():
    assert r.yuan_to_fen("3000") == 300000
    assert r.yuan_to_fen("0.1") == 10
    assert r.yuan_to_fen(Decimal("1234.56")) == 123456
    assert r.yuan_to_fen("0.29") == 29  # float arithmetic would give 28


@pytest.mark.parametrize("bad", ["1.234", "-1", "abc", "NaN", "Infinity", ""])
def test_yuan_to_fen_refuses_what_is_not_an_amount(bad):
    with pytest.raises(ValueError):
        r.yuan_to_fen(bad)


def test_format_yuan():
    assert r.format_yuan(300000) == "3,000.00"
    assert r.format_yuan(5) == "0.05"
    assert r.format_yuan(0) == "0.00"
    assert r.format_yuan(-150) == "-1.50"
    assert r.format_yuan(None) == ""


# --- months -------------------------------------------------------------------------------------


def test_add_months_clamps_to_the_end_of_the_month():
    assert r.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert r.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert r.add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert r.add_months(D(2026, 3, 15), -12) == D(2025, 3, 15)
    assert r.add_months(D(2025, 12, 1), 1) == D(2026, 1, 1)


@relaxed
@given(days, st.integers(min_value=0, max_value=240))
def test_add_months_moves_forward_by_whole_months(day, months):
    later = r.add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day
    assert later >= day


# --- registered for N months --------------------------------------------------------------------


def test_registration_of_exactly_n_months_passes_one_day_less_fails():
    assert r.check_registration([r.Period(D(2025, 9, 15))], TODAY, 6) is None
    failure = r.check_registration([r.Period(D(2025, 9, 16))], TODAY, 6)
    assert failure is not None and failure.kind == r.MIN_MONTHS_REGISTERED
    assert "2025-09-16" in str(failure)


def test_not_registered_today_fails():
    ended = [r.Period(D(2020, 1, 1), D(2026, 3, 1))]
    failure = r.check_registration(ended, TODAY, 6)
    assert failure is not None and "2025" not in str(failure)
    assert r.check_registration([], TODAY, 6) is not None
    assert r.check_registration([r.Period(D(2026, 4, 1))], TODAY, 0) is not None  # starts later


def test_consecutive_employments_count_as_one_registration():
    moved = [r.Period(D(2025, 1, 1), D(2025, 8, 31)), r.Period(D(2025, 9, 1))]
    assert r.registered_since(moved, TODAY) == D(2025, 1, 1)
    assert r.check_registration(moved, TODAY, 12) is None
    overlapping = [r.Period(D(2025, 1, 1), D(2025, 10, 31)), r.Period(D(2025, 9, 1))]
    assert r.registered_since(overlapping, TODAY) == D(2025, 1, 1)


def test_a_gap_starts_a_new_registration():
    gap = [r.Period(D(2024, 1, 1), D(2025, 8, 30)), r.Period(D(2025, 9, 1))]
    assert r.registered_since(gap, TODAY) == D(2025, 9, 1)
    assert r.check_registration(gap, TODAY, 12) is not None


periods = st.lists(
    st.tuples(days, st.one_of(st.none(), st.integers(min_value=0, max_value=3000))).map(
        lambda t: r.Period(t[0], None if t[1] is None else t[0] + datetime.timedelta(days=t[1]))
    ),
    max_size=6,
)


@relaxed
@given(periods, days, st.integers(min_value=1, max_value=36))
def test_registration_rule_agrees_with_a_day_by_day_count(items, today, months):
    """Brute force: walk back from today while some employment covers the day."""
    covered = lambda day: any(p.start <= day and (p.end is None or day <= p.end) for p in items)  # noqa: E731
    if not covered(today):
        assert r.registered_since(items, today) is None
        assert r.check_registration(items, today, months) is not None
        return
    day = today
    while covered(day - datetime.timedelta(days=1)) and day > D(2000, 1, 1):
        day -= datetime.timedelta(days=1)
    assert r.registered_since(items, today) == day
    assert (r.check_registration(items, today, months) is None) == (r.add_months(day, months) <= today)


@relaxed
@given(periods, periods, days, st.integers(min_value=1, max_value=36))
def test_more_employment_never_makes_a_worker_ineligible(items, more, today, months):
    if r.check_registration(items, today, months) is None:
        assert r.check_registration(items + more, today, months) is None


# --- no payment within 12 months ------------------------------------------------------------------


def test_a_payment_within_twelve_months_refuses():
    assert r.check_no_recent_payment(None, TODAY, 12) is None
    assert r.check_no_recent_payment(D(2025, 3, 15), TODAY, 12) is None  # exactly 12 months ago
    failure = r.check_no_recent_payment(D(2025, 3, 16), TODAY, 12)
    assert failure is not None and failure.kind == r.NO_RECENT_PAYMENT
    assert "2025-03-16" in str(failure) and "2026-03-16" in str(failure)


@relaxed
@given(days, days, st.integers(min_value=1, max_value=36))
def test_no_recent_payment_matches_its_definition(paid, today, months):
    assume(paid <= today)
    ok = r.check_no_recent_payment(paid, today, months) is None
    assert ok == (r.add_months(paid, months) <= today)


# --- amount within the cap ----------------------------------------------------------------------


@relaxed
@given(st.integers(min_value=-(10**9), max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_within_cap(amount, cap):
    failure = r.check_within_cap(amount, cap)
    assert (failure is None) == (0 < amount <= cap)


def test_over_the_cap_says_the_cap_in_yuan():
    assert "5,000.00" in str(r.check_within_cap(500001, 500000))


# --- documents ----------------------------------------------------------------------------------


def test_missing_documents_in_the_category_order():
    required = ["id_card", "medical_diagnosis", "medical_bills"]
    assert r.missing_documents(required, ["medical_bills"]) == ["id_card", "medical_diagnosis"]
    assert r.missing_documents(required, required + ["other"]) == []
    failure = r.check_documents(
        required, ["id_card"], {"medical_diagnosis": "诊断证明", "medical_bills": "医疗票据"}
    )
    assert failure is not None and "诊断证明、医疗票据" in str(failure)


@relaxed
@given(st.lists(st.sampled_from(["a", "b", "c", "d"])), st.lists(st.sampled_from(["a", "b", "c", "d"])))
def test_documents_complete_exactly_when_nothing_is_missing(required, attached):
    assert (r.check_documents(required, attached) is None) == (set(required) <= set(attached))


# --- rule sets ----------------------------------------------------------------------------------


def test_a_category_rule_replaces_the_general_one_and_switched_off_rules_drop_out():
    rules = [
        r.RuleSpec(r.MIN_MONTHS_REGISTERED, 6),
        r.RuleSpec(r.NO_RECENT_PAYMENT, 12),
        r.RuleSpec(r.WITHIN_CAP),
        r.RuleSpec(r.MIN_MONTHS_REGISTERED, 3, category_id=7),
        r.RuleSpec(r.NO_RECENT_PAYMENT, 12, enabled=False, category_id=7),
        r.RuleSpec(r.WITHIN_CAP, category_id=8, enabled=False),
    ]
    for_seven = r.applicable_rules(rules, 7)
    assert [(x.kind, x.months) for x in for_seven] == [(r.MIN_MONTHS_REGISTERED, 3), (r.WITHIN_CAP, None)]
    for_other = r.applicable_rules(rules, 9)
    assert [(x.kind, x.months) for x in for_other] == [
        (r.MIN_MONTHS_REGISTERED, 6),
        (r.NO_RECENT_PAYMENT, 12),
        (r.WITHIN_CAP, None),
    ]


def test_evaluate_reports_every_failing_rule():
    facts = r.Facts(
        today=TODAY,
        employments=[r.Period(D(2026, 1, 1))],
        last_payment_on=D(2025, 12, 1),
        amount_fen=600000,
        cap_fen=500000,
        required_documents=["id_card"],
        attached_documents=[],
    )
    rules = [
        r.RuleSpec(r.MIN_MONTHS_REGISTERED, 6),
        r.RuleSpec(r.NO_RECENT_PAYMENT, 12),
        r.RuleSpec(r.WITHIN_CAP),
        r.RuleSpec(r.DOCUMENTS_COMPLETE),
    ]
    assert [f.kind for f in r.evaluate(facts, rules)] == list(r.RULE_KINDS)
    assert [f.kind for f in r.evaluate(facts, rules, only=[r.WITHIN_CAP])] == [r.WITHIN_CAP]
    assert r.evaluate(facts, []) == []  # every rule switched off: eligible


# --- the budget -----------------------------------------------------------------------------------


@relaxed
@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=-10, max_value=10**9),
)
def test_an_approval_fits_only_in_what_is_left(budget, reserved, paid, amount):
    fits = r.fits_budget(amount_fen=amount, budget_fen=budget, reserved_fen=reserved, paid_fen=paid)
    assert fits == (amount > 0 and reserved + paid + amount <= budget)
