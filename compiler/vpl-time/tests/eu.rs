//! `eu-1182-71` in Europe/Brussels: next-full-hour starts, art. 3(4) and 3(5) extensions, and
//! daylight-saving changes (last Sunday of March: 31 Mar 2024; of October: 27 Oct 2024).

mod common;

use common::*;
use vpl_time::{PeriodRule, TimeError};

/// (what, start, period, nominal last day, last day, due)
#[rustfmt::skip]
const DAY_CASES: &[(&str, &str, &str, &str, &str, &str)] = &[
    // 2 days from Friday 29 Mar: Sunday 31st, Easter Monday (a holiday here) → Tuesday by
    // art. 3(4); Sat..Tue holds one working day → Wednesday by art. 3(5). Crosses the DST start.
    ("art. 3(4) then 3(5), across the spring change", "2024-03-29T15:00:00+01:00", "2 day", "2024-03-31", "2024-04-03", "2024-04-04T00:00:00+02:00"),
    ("the day of the event is Brussels time", "2024-03-28T23:30:00+00:00", "2 day", "2024-03-31", "2024-04-03", "2024-04-04T00:00:00+02:00"),
    ("1 day from Friday: art. 3(4) only", "2024-03-29", "1 day", "2024-03-30", "2024-04-02", "2024-04-03T00:00:00+02:00"),
    ("14 days ending on a Sunday", "2024-10-20T08:00:00+02:00", "14 day", "2024-11-03", "2024-11-04", "2024-11-05T00:00:00+01:00"),
    // Sat..Mon holds one working day, so art. 3(5) moves the end to Tuesday.
    ("across the autumn change, art. 3(5)", "2024-10-25", "3 day", "2024-10-28", "2024-10-29", "2024-10-30T00:00:00+01:00"),
    ("across the autumn change", "2024-10-24", "4 day", "2024-10-28", "2024-10-28", "2024-10-29T00:00:00+01:00"),
    ("a week ends on the same weekday", "2024-03-27T12:00:00+01:00", "1 week", "2024-04-03", "2024-04-03", "2024-04-04T00:00:00+02:00"),
    ("Jan 31 + 1 month", "2024-01-31", "1 month", "2024-02-29", "2024-02-29", "2024-03-01T00:00:00+01:00"),
    ("a month ending on a holiday", "2024-04-01", "1 month", "2024-05-01", "2024-05-02", "2024-05-03T00:00:00+02:00"),
    ("Feb 29 + 1 year", "2024-02-29", "1 year", "2025-02-28", "2025-02-28", "2025-03-01T00:00:00+01:00"),
    ("Christmas", "2024-12-20", "5 day", "2024-12-25", "2024-12-27", "2024-12-28T00:00:00+01:00"),
    ("an ordinary week", "2024-05-13", "2 day", "2024-05-15", "2024-05-15", "2024-05-16T00:00:00+02:00"),
];

#[test]
fn day_based_periods() {
    let eu = brussels();
    for &(what, start, period, nominal, last, due_at) in DAY_CASES {
        let d = due(&eu, start, period).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(d.rule, PeriodRule::Eu118271);
        assert_eq!(d.nominal_last_day, Some(day(nominal)), "{what}: nominal last day");
        assert_eq!(d.last_day, Some(day(last)), "{what}: last day");
        assert_eq!(d.due, at(due_at), "{what}: due");
        assert!(eu.is_working_day(day(last)).unwrap(), "{what}");
    }
}

#[test]
fn art_3_5_without_holidays() {
    // Sat, Sun, Mon: one working day, so Tuesday.
    let d = due(&brussels_plain(PeriodRule::Eu118271), "2024-03-29", "2 day").unwrap();
    assert_eq!(d.last_day, Some(day("2024-04-02")));
    assert!(d.steps.iter().any(|s| s.contains("art. 3(5)")), "{:?}", d.steps);
}

/// (what, start, period, runs from, due)
#[rustfmt::skip]
const HOUR_CASES: &[(&str, &str, &str, &str, &str)] = &[
    ("starts at the next full hour", "2024-05-14T10:17:00+02:00", "24 hour", "2024-05-14T11:00:00+02:00", "2024-05-15T11:00:00+02:00"),
    ("on the hour: still the next hour", "2024-05-14T10:00:00+02:00", "1 hour", "2024-05-14T11:00:00+02:00", "2024-05-14T12:00:00+02:00"),
    ("given in UTC", "2024-05-14T08:17:00Z", "1 hour", "2024-05-14T11:00:00+02:00", "2024-05-14T12:00:00+02:00"),
    ("24 real hours across the spring change", "2024-03-30T10:17:00+01:00", "24 hour", "2024-03-30T11:00:00+01:00", "2024-03-31T12:00:00+02:00"),
    ("the next hour after 01:30 is 03:00 CEST", "2024-03-31T01:30:00+01:00", "1 hour", "2024-03-31T03:00:00+02:00", "2024-03-31T04:00:00+02:00"),
    ("the next hour after 02:30 CEST is 02:00 CET", "2024-10-27T02:30:00+02:00", "1 hour", "2024-10-27T02:00:00+01:00", "2024-10-27T03:00:00+01:00"),
    ("24 real hours across the autumn change", "2024-10-26T12:10:00+02:00", "24 hour", "2024-10-26T13:00:00+02:00", "2024-10-27T12:00:00+01:00"),
    ("not extended over a weekend and a holiday", "2024-03-29T09:05:00+01:00", "72 hour", "2024-03-29T10:00:00+01:00", "2024-04-01T11:00:00+02:00"),
    ("from a whole day: as if at 00:00", "2024-05-14", "24 hour", "2024-05-14T01:00:00+02:00", "2024-05-15T01:00:00+02:00"),
];

#[test]
fn hour_periods() {
    let eu = brussels();
    for &(what, start, period, runs_from, due_at) in HOUR_CASES {
        let d = due(&eu, start, period).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(d.runs_from, at(runs_from), "{what}: runs from");
        assert_eq!(d.due, at(due_at), "{what}: due");
        assert_eq!(d.due.offset(), at(due_at).offset(), "{what}: due in Brussels time");
        assert_eq!(d.last_day, None, "{what}");
        assert_eq!(d.ambiguous.is_some(), start.len() == 10, "{what}");
    }
}

#[test]
fn working_days_leave_out_holidays_and_weekends() {
    let d = due(&brussels(), "2024-03-28T17:00:00+01:00", "3 working_day").unwrap();
    assert_eq!(d.last_day, Some(day("2024-04-03")));
    assert_eq!(d.extended_over, days(&["2024-03-30", "2024-03-31", "2024-04-01"]));
    assert_eq!(d.due, at("2024-04-04T00:00:00+02:00"));
}

#[test]
fn outside_the_calendar() {
    let eu = brussels();
    for (start, period, date) in [("2023-12-29", "1 day", "2023-12-29"), ("2025-12-30", "5 day", "2026-01-04")] {
        match due(&eu, start, period) {
            Err(TimeError::OutsideCalendar { date: d, .. }) => assert_eq!(d, day(date)),
            other => panic!("{start} + {period}: {other:?}"),
        }
    }
    // Hour periods never consult rest days.
    assert!(due(&eu, "2023-12-29T10:00:00+01:00", "72 hour").is_ok());
}

#[test]
fn steps() {
    let d = due(&brussels(), "2024-03-29T15:00:00+01:00", "2 day").unwrap();
    insta::assert_snapshot!("eu_3_4_and_3_5", d.steps.join("\n"));
    let d = due(&brussels(), "2024-03-30T10:17:00+01:00", "24 hour").unwrap();
    insta::assert_snapshot!("eu_hours_dst", d.steps.join("\n"));
}
