"""Opening hours of red rider stations: the pure rules, with fixed datetimes (Asia/Shanghai)."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.care.station_rules import (
    TZ,
    Closure,
    Hours,
    Period,
    closes_at,
    describe_week,
    every_day,
    is_open,
    next_opening,
    opening_state,
    period_errors,
)

T = datetime.time
# 2026-03-02 is a Monday.
MONDAY = datetime.date(2026, 3, 2)


def at(day_offset: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A Shanghai time, ``day_offset`` days after Monday 2026-03-02."""
    day = MONDAY + datetime.timedelta(days=day_offset)
    return datetime.datetime.combine(day, T(hour, minute), tzinfo=TZ)


def test_daytime_hours_include_the_opening_minute_and_exclude_the_closing_one():
    hours = Hours(every_day(T(8), T(20)))
    assert not is_open(hours, at(0, 7, 59))
    assert is_open(hours, at(0, 8, 0))
    assert is_open(hours, at(0, 19, 59))
    assert not is_open(hours, at(0, 20, 0))
    assert closes_at(hours, at(0, 12)) == at(0, 20)
    assert next_opening(hours, at(0, 21)) == at(1, 8)


def test_an_overnight_shift_runs_into_the_next_day():
    hours = Hours((Period(0, T(20), T(2)),))  # Monday 20:00 – Tuesday 02:00
    assert not is_open(hours, at(0, 19, 59))
    assert is_open(hours, at(0, 23, 30))
    assert is_open(hours, at(1, 1, 59))
    assert not is_open(hours, at(1, 2, 0))
    assert not is_open(hours, at(1, 21))  # Tuesday has no shift of its own
    assert closes_at(hours, at(0, 22)) == at(1, 2)
    assert next_opening(hours, at(1, 3)) == at(7, 20)  # the next Monday evening


def test_sunday_night_shift_wraps_into_monday():
    hours = Hours((Period(6, T(22), T(6)),))  # Sunday 22:00 – Monday 06:00
    assert is_open(hours, at(0, 5))  # Monday 05:00, from the Sunday before
    assert not is_open(hours, at(0, 6))
    assert is_open(hours, at(6, 23))


def test_a_closing_time_of_midnight_is_the_end_of_the_day():
    hours = Hours((Period(2, T(18), T(0)),))  # Wednesday 18:00 – 24:00
    assert is_open(hours, at(2, 23, 59))
    assert not is_open(hours, at(3, 0, 0))
    assert closes_at(hours, at(2, 19)) == at(3, 0)


def test_open_around_the_clock():
    hours = Hours(every_day())
    for moment in (at(0, 0), at(3, 12, 34), at(6, 23, 59)):
        assert is_open(hours, moment)
    state = opening_state(hours, at(2, 3))
    assert state.is_open and state.around_the_clock and state.closes_at is None


def test_all_day_on_some_days_joins_up_and_then_closes():
    hours = Hours((Period(0, all_day=True), Period(1, all_day=True), Period(2, T(0), T(9))))
    assert closes_at(hours, at(0, 10)) == at(2, 9)  # Monday + Tuesday + Wednesday morning
    assert not opening_state(hours, at(0, 10)).around_the_clock
    assert next_opening(hours, at(2, 10)) == at(7, 0)


def test_two_periods_a_day():
    hours = Hours((Period(4, T(10, 30), T(14)), Period(4, T(16, 30), T(21))))
    assert is_open(hours, at(4, 11))
    assert not is_open(hours, at(4, 15))
    assert next_opening(hours, at(4, 15)) == at(4, 16, 30)
    assert closes_at(hours, at(4, 17)) == at(4, 21)


def test_a_holiday_closure_closes_whole_days():
    closure = Closure(MONDAY + datetime.timedelta(days=2), MONDAY + datetime.timedelta(days=3))  # Wed–Thu
    hours = Hours(every_day(T(8), T(20)), (closure,))
    assert is_open(hours, at(1, 12))
    assert not is_open(hours, at(2, 12))
    assert not is_open(hours, at(3, 12))
    assert is_open(hours, at(4, 8))
    assert next_opening(hours, at(1, 21)) == at(4, 8)


def test_a_closure_cuts_an_overnight_shift_at_midnight_and_cancels_shifts_starting_on_it():
    closed_tuesday = (Closure(MONDAY + datetime.timedelta(days=1), MONDAY + datetime.timedelta(days=1)),)
    hours = Hours(every_day(T(20), T(2)), closed_tuesday)
    assert is_open(hours, at(0, 23, 59))  # Monday's shift runs until midnight
    assert closes_at(hours, at(0, 23)) == at(1, 0)
    assert not is_open(hours, at(1, 1))  # not into the closed Tuesday
    assert not is_open(hours, at(1, 21))  # Tuesday's own shift does not take place
    assert not is_open(hours, at(2, 1))  # nor its tail on Wednesday morning
    assert next_opening(hours, at(1, 12)) == at(2, 20)


def test_a_closed_day_before_a_24_hour_day_and_a_long_closure():
    hours = Hours(every_day(), (Closure(MONDAY, MONDAY + datetime.timedelta(days=40)),))
    assert not is_open(hours, at(10, 12))
    assert next_opening(hours, at(10, 12)) == at(41, 0)  # beyond the usual fortnight look-ahead
    assert opening_state(hours, at(10, 12)).opens_at == at(41, 0)


def test_no_periods_never_opens():
    hours = Hours(())
    assert not is_open(hours, at(0, 12))
    assert next_opening(hours, at(0, 12)) is None
    assert opening_state(hours, at(0, 12)).opens_at is None


def test_times_in_another_zone_are_read_in_shanghai_time():
    hours = Hours(every_day(T(8), T(20)))
    utc = datetime.datetime(2026, 3, 2, 0, 30, tzinfo=datetime.UTC)  # 08:30 in Shanghai
    assert is_open(hours, utc)
    assert not is_open(hours, utc - datetime.timedelta(hours=1))
    assert closes_at(hours, utc) == at(0, 20)


def test_period_errors():
    assert period_errors(list(every_day(T(8), T(20)))) == []
    assert period_errors([Period(0, T(20), T(2)), Period(1, T(8), T(20))]) == []
    # Monday's night shift runs into Tuesday's early period.
    assert period_errors([Period(0, T(20), T(2)), Period(1, T(1), T(5))])
    # Sunday night into Monday morning, across the end of the week.
    assert period_errors([Period(6, T(22), T(6)), Period(0, T(5), T(9))])
    assert period_errors([Period(0, all_day=True), Period(0, T(8), T(9))])
    assert period_errors([Period(2, T(8), T(8))])
    assert period_errors([Period(2, T(8), None)])


def test_describe_week_groups_days_with_the_same_times():
    week = describe_week(Hours((*every_day(T(8), T(20))[:5], Period(5, all_day=True))))
    assert len(week) == 3  # Monday–Friday, Saturday, Sunday closed
    assert week[0][1] == "08:00–20:00"


# --- properties ------------------------------------------------------------------------------------

times = st.builds(T, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))
periods = st.one_of(
    st.builds(Period, st.integers(0, 6), times, times).filter(lambda p: p.opens != p.closes),
    st.builds(lambda day: Period(day, all_day=True), st.integers(0, 6)),
)
closures = st.builds(
    lambda start, length: Closure(
        MONDAY + datetime.timedelta(days=start), MONDAY + datetime.timedelta(days=start + length)
    ),
    st.integers(-3, 20),
    st.integers(0, 4),
)
moments = st.builds(
    lambda minutes: datetime.datetime.combine(MONDAY, T(0), tzinfo=TZ) + datetime.timedelta(minutes=minutes),
    st.integers(0, 14 * 24 * 60),
)
MINUTE = datetime.timedelta(minutes=1)


@settings(max_examples=150, deadline=None)
@given(st.lists(periods, max_size=6), st.lists(closures, max_size=2), moments)
def test_state_changes_exactly_at_the_times_given(week, closed, moment):
    """Whatever the hours: open until ``closes_at`` and closed from then; closed until
    ``next_opening`` and open from then (checked at the boundaries and a minute before)."""
    hours = Hours(tuple(week), tuple(closed))
    state = opening_state(hours, moment)
    assert state.is_open == is_open(hours, moment)
    if state.is_open and state.closes_at is not None:
        assert state.closes_at > moment
        assert is_open(hours, state.closes_at - MINUTE)
        assert not is_open(hours, state.closes_at)
    if not state.is_open and state.opens_at is not None:
        assert state.opens_at > moment
        assert not is_open(hours, state.opens_at - MINUTE)
        assert is_open(hours, state.opens_at)
        # Nothing opens in between (sampled every quarter hour).
        probe = moment
        while probe < state.opens_at:
            assert not is_open(hours, probe)
            probe += datetime.timedelta(minutes=15)


@settings(max_examples=100, deadline=None)
@given(st.lists(periods, max_size=6), moments)
def test_without_closures_the_week_repeats(week, moment):
    hours = Hours(tuple(week))
    assert is_open(hours, moment) == is_open(hours, moment + datetime.timedelta(days=7))


@settings(max_examples=200, deadline=None)
@given(st.lists(periods, max_size=8), moments)
def test_the_weekly_layout_agrees_with_the_days_spans(week, moment):
    """Without a closure nearby the state comes from the week laid out in seconds (fast, for the
    finder); it must say exactly what building the days' spans says."""
    from dangjian.care.station_rules import (
        _closes_at_by_days,
        _is_open_by_days,
        _next_opening_by_days,
        local,
    )

    hours = Hours(tuple(week))
    naive = local(moment)
    assert is_open(hours, moment) == _is_open_by_days(hours, naive)
    expected_close = _closes_at_by_days(hours, naive)
    assert closes_at(hours, moment) == (expected_close.replace(tzinfo=TZ) if expected_close else None)
    expected_open = _next_opening_by_days(hours, naive)
    assert next_opening(hours, moment) == (expected_open.replace(tzinfo=TZ) if expected_open else None)


@settings(max_examples=200, deadline=None)
@given(st.lists(periods, max_size=8), st.lists(closures, max_size=2), moments)
def test_opening_state_says_what_the_three_functions_say(week, closed, moment):
    hours = Hours(tuple(week), tuple(closed))
    state = opening_state(hours, moment)
    assert state.is_open == is_open(hours, moment)
    assert state.closes_at == (closes_at(hours, moment) if state.is_open else None)
    assert state.opens_at == (None if state.is_open else next_opening(hours, moment))
