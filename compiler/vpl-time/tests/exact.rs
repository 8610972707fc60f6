//! `exact`: plain elapsed time.

mod common;

use common::*;
use vpl_time::{deadline_under, Period, PeriodRule, TimeError, Unit};

/// (what, calendar, start, period, due, ambiguous)
#[rustfmt::skip]
const CASES: &[(&str, &str, &str, &str, &str, bool)] = &[
    ("72 hours", "cn", "2021-11-24T10:00:00+08:00", "72 hour", "2021-11-27T10:00:00+08:00", false),
    ("3 days are 72 hours", "cn", "2021-11-24T10:00:00+08:00", "3 day", "2021-11-27T10:00:00+08:00", false),
    ("no extension into the weekend", "cn", "2021-11-24T10:00:00+08:00", "4 day", "2021-11-28T10:00:00+08:00", false),
    ("a week", "cn", "2021-11-24T10:00:00+08:00", "1 week", "2021-12-01T10:00:00+08:00", false),
    ("given in UTC, due in zone time", "cn", "2021-11-24T02:00:00Z", "1 day", "2021-11-25T10:00:00+08:00", false),
    ("a day across the spring change is 24 real hours", "be", "2024-03-30T12:00:00+01:00", "1 day", "2024-03-31T13:00:00+02:00", false),
    ("Jan 31 + 1 month", "cn", "2024-01-31T10:00:00+08:00", "1 month", "2024-02-29T10:00:00+08:00", false),
    ("Feb 29 + 1 year, a Sunday, not extended", "cn", "2020-02-29T10:00:00+08:00", "1 year", "2021-02-28T10:00:00+08:00", false),
    ("a month into the spring gap: first instant after it", "be", "2024-01-31T02:30:00+01:00", "2 month", "2024-03-31T03:00:00+02:00", false),
    ("a month into the autumn overlap: the earlier one", "be", "2024-09-27T02:30:00+02:00", "1 month", "2024-10-27T02:30:00+02:00", false),
    ("working days end at the start's time of day", "cn", "2021-09-30T10:00:00+08:00", "1 working_day", "2021-10-08T10:00:00+08:00", false),
    ("from a whole day: from 00:00, flagged", "cn", "2021-12-09", "2 day", "2021-12-11T00:00:00+08:00", true),
    ("hours need no calendar years", "cn", "2018-06-01T00:00:00+08:00", "1 month", "2018-07-01T00:00:00+08:00", false),
];

#[test]
fn exact_periods() {
    for &(what, cal, start, period, due_at, ambiguous) in CASES {
        let cal = if cal == "cn" { cn() } else { brussels_plain(PeriodRule::Exact) };
        let p = common::period(period);
        let d = deadline_under(PeriodRule::Exact, &cal, &when(start), p).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(d.rule, PeriodRule::Exact);
        assert_eq!(d.due, at(due_at), "{what}");
        assert_eq!(d.due.offset(), at(due_at).offset(), "{what}: expressed in the zone's offset");
        assert_eq!(d.ambiguous.is_some(), ambiguous, "{what}");
        assert_eq!(d.runs_from, when(start).instant_in(cal.zone).unwrap(), "{what}");
    }
}

#[test]
fn working_days_list_the_rest_days_skipped() {
    let d =
        deadline_under(PeriodRule::Exact, &cn(), &when("2021-09-30T10:00:00+08:00"), Period::new(1, Unit::WorkingDay)).unwrap();
    assert_eq!(d.last_day, Some(day("2021-10-08")));
    assert_eq!(d.extended_over, span("2021-10-01", "2021-10-07"));
}

#[test]
fn working_days_need_the_calendar_years() {
    let r = deadline_under(PeriodRule::Exact, &cn(), &when("2026-12-31T10:00:00+08:00"), Period::new(1, Unit::WorkingDay));
    assert!(matches!(r, Err(TimeError::OutsideCalendar { .. })), "{r:?}");
}
