"""The date rules of the plan, as pure functions: no database, a clock of our own."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from mapertunity.followup import plan

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = dt.timedelta(hours=1)


def at(tz: ZoneInfo, *args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=tz)


def due(steps: list, key: str) -> dt.date:
    return next(s.due_on for s in steps if s.key == key)


def steps_for(start: dt.datetime, tz: ZoneInfo, decision: dt.date | None = None) -> list:
    return plan.plan(
        starts_at=start, duration=HOUR, tz=tz, decision_on=decision, people=[("a", "Ana")]
    )


# -- the thank-you ----------------------------------------------------------------------------


def test_a_daytime_interview_has_its_thank_you_due_before_the_end_of_the_same_day() -> None:
    deadline = plan.thank_you_deadline(at(NY, 2025, 6, 3, 11, 0), NY)
    assert deadline == at(NY, 2025, 6, 3, 23, 59)


def test_an_interview_ending_at_six_in_the_evening_gets_24_hours() -> None:
    ends = at(NY, 2025, 6, 3, 18, 0)
    assert plan.thank_you_deadline(ends, NY) == ends + dt.timedelta(hours=24)
    assert plan.thank_you_deadline(ends - dt.timedelta(minutes=1), NY) == at(NY, 2025, 6, 3, 23, 59)


def test_the_evening_is_the_candidates_own_not_the_offices() -> None:
    # 13:00 in New York is 18:00 in London: evening for a candidate calling from there.
    ends = at(NY, 2025, 6, 3, 13, 0)
    assert plan.thank_you_deadline(ends, NY) == at(NY, 2025, 6, 3, 23, 59)
    assert plan.thank_you_deadline(ends, LONDON) == ends + dt.timedelta(hours=24)


def test_24_hours_across_the_spring_change_of_clocks_are_real_hours() -> None:
    # Saturday 8 March 2025, 20:00 EST; the clocks go forward that night.
    ends = at(NY, 2025, 3, 8, 20, 0)
    deadline = plan.thank_you_deadline(ends, NY).astimezone(NY)
    assert (deadline.date(), deadline.hour) == (dt.date(2025, 3, 9), 21)  # 21:00 EDT
    real = plan.thank_you_deadline(ends, NY).astimezone(dt.UTC) - ends.astimezone(dt.UTC)
    assert real == dt.timedelta(hours=24)


def test_the_end_of_day_on_the_autumn_change_of_clocks_is_that_days_23_59() -> None:
    ends = at(LONDON, 2025, 10, 26, 10, 0)  # the day BST ends, a 25-hour day
    deadline = plan.thank_you_deadline(ends, LONDON)
    assert deadline.astimezone(LONDON) == at(LONDON, 2025, 10, 26, 23, 59)
    assert deadline.utcoffset() == dt.timedelta(0)


def test_a_late_call_across_time_zones_falls_on_the_candidates_next_day() -> None:
    # 23:30 in New York is 05:30 the next morning in Berlin: day one is Berlin's Wednesday.
    start = at(NY, 2025, 6, 3, 23, 30)
    steps = steps_for(start, BERLIN)
    assert due(steps, "linkedin:a") == dt.date(2025, 6, 5)
    assert due(steps, "thank_you:a") == dt.date(2025, 6, 4)


# -- the follow-up window ------------------------------------------------------------------


TUESDAY = dt.date(2025, 6, 3)  # window: Tue 10 June to Tue 17 June


def test_with_no_decision_date_the_follow_up_is_a_week_later() -> None:
    assert plan.follow_up_due(TUESDAY, None) == dt.date(2025, 6, 10)


def test_a_decision_date_before_the_window_waits_for_the_seventh_day() -> None:
    assert plan.follow_up_due(TUESDAY, dt.date(2025, 6, 5)) == dt.date(2025, 6, 10)
    assert plan.follow_up_due(TUESDAY, dt.date(2025, 6, 9)) == dt.date(2025, 6, 10)


def test_a_decision_date_inside_the_window_is_followed_two_working_days_later() -> None:
    assert plan.follow_up_due(TUESDAY, dt.date(2025, 6, 10)) == dt.date(2025, 6, 12)
    # Thursday's decision: Friday, then Monday.
    assert plan.follow_up_due(TUESDAY, dt.date(2025, 6, 12)) == dt.date(2025, 6, 16)


def test_a_decision_date_on_a_weekend_counts_working_days_from_it() -> None:
    assert plan.follow_up_due(TUESDAY, dt.date(2025, 6, 14)) == dt.date(2025, 6, 17)


def test_a_decision_date_late_in_or_after_the_window_is_held_to_the_fourteenth_day() -> None:
    assert plan.follow_up_due(TUESDAY, dt.date(2025, 6, 16)) == dt.date(2025, 6, 17)
    assert plan.follow_up_due(TUESDAY, dt.date(2025, 6, 30)) == dt.date(2025, 6, 17)


@pytest.mark.parametrize("offset", range(7))
@pytest.mark.parametrize("decision", [None, -3, 0, 7, 9, 11, 13, 14, 20, 60])
def test_the_follow_up_is_always_a_weekday_between_7_and_14_days(
    offset: int, decision: int | None
) -> None:
    day = dt.date(2025, 6, 2) + dt.timedelta(days=offset)  # every weekday, and weekends
    decided = None if decision is None else day + dt.timedelta(days=decision)
    when = plan.follow_up_due(day, decided)
    assert 7 <= (when - day).days <= 14
    assert when.weekday() < 5
    if decided is not None and (decided - day).days >= 7:
        # After the decision, unless held at the window's last weekday.
        assert when > decided or when == plan.previous_working_day(day + dt.timedelta(days=14))


def test_a_saturday_interview_moves_the_window_edges_to_weekdays() -> None:
    saturday = dt.date(2025, 6, 7)
    assert plan.follow_up_due(saturday, None) == dt.date(2025, 6, 16)  # Monday, day 9
    assert plan.follow_up_due(saturday, dt.date(2025, 6, 30)) == dt.date(2025, 6, 20)  # Fri


# -- the whole plan ---------------------------------------------------------------------------


def test_a_friday_plan_step_by_step() -> None:
    start = at(NY, 2025, 6, 6, 10, 0)  # Friday morning
    steps = plan.plan(
        starts_at=start,
        duration=HOUR,
        tz=NY,
        decision_on=dt.date(2025, 6, 13),
        people=[("a", "Ana"), ("b", "Ben")],
    )
    days = {s.key: s.due_on for s in steps}
    assert days == {
        "thank_you:a": dt.date(2025, 6, 6),
        "thank_you:b": dt.date(2025, 6, 6),
        "note": dt.date(2025, 6, 9),  # the working day after the email: Monday
        "call": dt.date(2025, 6, 9),
        "linkedin:a": dt.date(2025, 6, 7),  # the next day
        "linkedin:b": dt.date(2025, 6, 7),
        "follow_up": dt.date(2025, 6, 17),  # decision Fri 13 + two working days
        "wrap_up": dt.date(2025, 7, 7),  # a month on, a weekday
    }
    assert [s.person for s in steps if s.kind == "thank_you"] == ["Ana", "Ben"]
    assert {s.key for s in steps if s.optional} == {"note", "call"}


def test_dst_never_moves_a_step_to_another_day() -> None:
    # 1 March 2025 (EST) to weeks after the change (EDT): dates stay calendar dates.
    steps = steps_for(at(NY, 2025, 3, 3, 9, 0), NY, decision=dt.date(2025, 3, 12))
    assert due(steps, "follow_up") == dt.date(2025, 3, 14)
    assert due(steps, "linkedin:a") == dt.date(2025, 3, 4)


def test_check_ins_fall_on_weekdays_months_later() -> None:
    assert plan.check_in_due(dt.date(2025, 11, 30), 3) == dt.date(2026, 3, 2)  # Feb 28 is Sat
    assert plan.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert plan.add_months(dt.date(2025, 12, 15), 12) == dt.date(2026, 12, 15)
