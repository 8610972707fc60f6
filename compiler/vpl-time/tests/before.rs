//! Periods counted backwards from an event ("30 days before publishing").

mod common;

use common::*;
use vpl_time::{deadline, deadline_before, deadline_before_under, Period, PeriodRule, TimeError, Unit, When};

fn before(cal: &vpl_time::Calendar, rule: PeriodRule, event: &str, p: &str) -> Result<vpl_time::Deadline, TimeError> {
    deadline_before_under(rule, cal, &when(event), period(p))
}

/// (what, rule, event, period, latest day (or "-"), due)
#[rustfmt::skip]
const CASES: &[(&str, PeriodRule, &str, &str, &str, &str)] = &[
    ("30 days before 31 Dec", PeriodRule::CivilCodeCn, "2021-12-31T10:00:00+08:00", "30 day", "2021-12-01", "2021-12-02T00:00:00+08:00"),
    ("a rest day is not adjusted", PeriodRule::CivilCodeCn, "2021-10-05", "2 day", "2021-10-03", "2021-10-04T00:00:00+08:00"),
    ("a week", PeriodRule::CivilCodeCn, "2021-11-24", "1 week", "2021-11-17", "2021-11-18T00:00:00+08:00"),
    ("a month back, clamped", PeriodRule::CivilCodeCn, "2021-03-31", "1 month", "2021-02-28", "2021-03-01T00:00:00+08:00"),
    ("working days back over National Day", PeriodRule::CivilCodeCn, "2021-10-08", "2 working_day", "2021-09-29", "2021-09-30T00:00:00+08:00"),
    ("a make-up Sunday counts", PeriodRule::CivilCodeCn, "2021-09-28", "2 working_day", "2021-09-26", "2021-09-27T00:00:00+08:00"),
    ("hours are elapsed time", PeriodRule::CivilCodeCn, "2021-12-09T10:00:00+08:00", "24 hour", "-", "2021-12-08T10:00:00+08:00"),
    ("EU: art. 3(4) does not apply backwards", PeriodRule::Eu118271, "2024-04-03", "2 day", "2024-04-01", "2024-04-02T00:00:00+02:00"),
    ("exact days", PeriodRule::Exact, "2024-04-03T12:00:00+02:00", "5 day", "-", "2024-03-29T11:00:00+01:00"),
    ("exact month", PeriodRule::Exact, "2024-03-31T12:00:00+02:00", "1 month", "-", "2024-02-29T12:00:00+01:00"),
];

#[test]
fn counted_back() {
    for &(what, rule, event, period, latest, due_at) in CASES {
        let cal = if due_at.ends_with("+08:00") { cn() } else { brussels() };
        let d = before(&cal, rule, event, period).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(d.due, at(due_at), "{what}");
        if latest != "-" {
            assert_eq!(d.last_day, Some(day(latest)), "{what}");
        }
    }
}

#[test]
fn a_forward_period_from_the_latest_day_ends_on_the_event_day() {
    let cn = cn();
    for n in 1..=60 {
        let event = day("2022-03-15");
        let p = Period::new(n, Unit::Day);
        let latest = deadline_before(&cn, &When::Day(event), p).unwrap().last_day.unwrap();
        assert_eq!(deadline(&cn, &When::Day(latest), p).unwrap().nominal_last_day, Some(event), "{n} days");
    }
}

#[test]
fn errors() {
    let cn = cn();
    let r = before(&cn, PeriodRule::CivilCodeCn, "2019-01-02", "3 working_day");
    assert!(matches!(r, Err(TimeError::OutsideCalendar { .. })), "{r:?}");
    let r = before(&cn, PeriodRule::CivilCodeCn, "2019-01-02", "0 day");
    assert_eq!(r, Err(TimeError::ZeroPeriod));
    // Plain days back need no rest days.
    assert!(before(&cn, PeriodRule::CivilCodeCn, "2019-01-05", "10 day").is_ok());
}

#[test]
fn steps() {
    let d = before(&cn(), PeriodRule::CivilCodeCn, "2021-10-08", "2 working_day").unwrap();
    assert_eq!(d.extended_over, span("2021-10-01", "2021-10-07"));
    insta::assert_snapshot!("working_days_back", d.steps.join("\n"));
}
