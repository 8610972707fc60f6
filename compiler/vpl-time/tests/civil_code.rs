//! `civil-code-cn` against the real CN calendar (2019..2026 State Council notices).

mod common;

use common::*;
use vpl_time::{deadline, Period, TimeError, Unit, When};

/// (what, start, period, nominal last day, last day, due)
#[rustfmt::skip]
const DAY_CASES: &[(&str, &str, &str, &str, &str, &str)] = &[
    // Ordinary weeks.
    ("ends on a working Friday", "2021-11-24T10:00:00+08:00", "2 day", "2021-11-26", "2021-11-26", "2021-11-27T00:00:00+08:00"),
    ("ends on a Saturday: to Monday", "2021-11-24T10:00:00+08:00", "3 day", "2021-11-27", "2021-11-29", "2021-11-30T00:00:00+08:00"),
    ("weeks are 7 days", "2021-11-24T10:00:00+08:00", "2 week", "2021-12-08", "2021-12-08", "2021-12-09T00:00:00+08:00"),
    // The starting day is the day in Beijing time.
    ("23:30 UTC is already the next day in Beijing", "2021-11-23T23:30:00+00:00", "2 day", "2021-11-26", "2021-11-26", "2021-11-27T00:00:00+08:00"),
    ("an event in New York time", "2021-11-24T12:00:00-05:00", "2 day", "2021-11-27", "2021-11-29", "2021-11-30T00:00:00+08:00"),
    ("an event in New York time, same Beijing day", "2021-11-24T10:59:59-05:00", "2 day", "2021-11-26", "2021-11-26", "2021-11-27T00:00:00+08:00"),
    ("a whole day start", "2021-12-09", "2 day", "2021-12-11", "2021-12-13", "2021-12-14T00:00:00+08:00"),
    ("a start at 00:00 still does not count its day", "2021-11-24T00:00:00+08:00", "1 day", "2021-11-25", "2021-11-25", "2021-11-26T00:00:00+08:00"),
    // National Day week 2021: rest 10-01..10-07, make-up Saturday 10-09.
    ("ends inside National Day week", "2021-09-29T15:00:00+08:00", "2 day", "2021-10-01", "2021-10-08", "2021-10-09T00:00:00+08:00"),
    ("a month ending inside National Day week", "2021-09-01", "1 month", "2021-10-01", "2021-10-08", "2021-10-09T00:00:00+08:00"),
    // Make-up working days are working days, even on a weekend.
    ("ends on a make-up Saturday: not extended", "2021-10-06", "3 day", "2021-10-09", "2021-10-09", "2021-10-10T00:00:00+08:00"),
    ("ends on a make-up Sunday: not extended", "2021-09-24", "2 day", "2021-09-26", "2021-09-26", "2021-09-27T00:00:00+08:00"),
    ("ends on a make-up Saturday before Mid-Autumn", "2021-09-16", "2 day", "2021-09-18", "2021-09-18", "2021-09-19T00:00:00+08:00"),
    // Spring Festival.
    ("ends inside Spring Festival 2021", "2021-02-08", "5 day", "2021-02-13", "2021-02-18", "2021-02-19T00:00:00+08:00"),
    ("extension lands on a make-up Sunday (2024)", "2024-02-05", "10 day", "2024-02-15", "2024-02-18", "2024-02-19T00:00:00+08:00"),
    ("ends on the first day of Spring Festival 2020 (extended holiday)", "2020-01-20", "4 day", "2020-01-24", "2020-02-03", "2020-02-04T00:00:00+08:00"),
    // Across a year end; 2022-12-31 comes from the 2023 notice.
    ("New Year 2023 rest starting 2022-12-31", "2022-12-29", "2 day", "2022-12-31", "2023-01-03", "2023-01-04T00:00:00+08:00"),
    // Months and years (art. 202).
    ("Jan 31 + 1 month, leap year", "2024-01-31T09:00:00+08:00", "1 month", "2024-02-29", "2024-02-29", "2024-03-01T00:00:00+08:00"),
    ("Jan 31 + 1 month, common year", "2023-01-31", "1 month", "2023-02-28", "2023-02-28", "2023-03-01T00:00:00+08:00"),
    ("Jan 31 + 1 month on a Sunday", "2021-01-31", "1 month", "2021-02-28", "2021-03-01", "2021-03-02T00:00:00+08:00"),
    ("Mar 31 + 1 month", "2021-03-31", "1 month", "2021-04-30", "2021-04-30", "2021-05-01T00:00:00+08:00"),
    ("Dec 31 + 2 months", "2021-12-31", "2 month", "2022-02-28", "2022-02-28", "2022-03-01T00:00:00+08:00"),
    ("corresponding date", "2021-03-15", "6 month", "2021-09-15", "2021-09-15", "2021-09-16T00:00:00+08:00"),
    ("Feb 29 + 1 year", "2020-02-29", "1 year", "2021-02-28", "2021-03-01", "2021-03-02T00:00:00+08:00"),
    ("Feb 29 + 1 year, Friday", "2024-02-29", "1 year", "2025-02-28", "2025-02-28", "2025-03-01T00:00:00+08:00"),
    ("Feb 28 + 1 year into a leap year", "2019-02-28", "1 year", "2020-02-28", "2020-02-28", "2020-02-29T00:00:00+08:00"),
    // The last covered day is fine.
    ("ends on 2026-12-31", "2026-12-29", "2 day", "2026-12-31", "2026-12-31", "2027-01-01T00:00:00+08:00"),
    ("starts in 2018 UTC but 2019 in Beijing", "2018-12-31T20:00:00+00:00", "1 day", "2019-01-02", "2019-01-02", "2019-01-03T00:00:00+08:00"),
];

#[test]
fn day_based_periods() {
    let cn = cn();
    for &(what, start, period, nominal, last, due_at) in DAY_CASES {
        let d = due(&cn, start, period).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(d.nominal_last_day, Some(day(nominal)), "{what}: nominal last day");
        assert_eq!(d.last_day, Some(day(last)), "{what}: last day");
        assert_eq!(d.due, at(due_at), "{what}: due");
        assert_eq!(d.due.offset().local_minus_utc(), 8 * 3600, "{what}: due in Beijing time");
        assert_eq!(d.ambiguous, None, "{what}");
        let pushed: Vec<_> = day(nominal).iter_days().take_while(|x| *x < day(last)).collect();
        assert_eq!(d.extended_over, pushed, "{what}: extended over");
        for r in &d.extended_over {
            assert!(cn.is_rest_day(*r).unwrap(), "{what}: {r} listed as pushing the end but not a rest day");
        }
    }
}

#[test]
fn runs_from_the_next_day_in_beijing() {
    let cn = cn();
    let d = due(&cn, "2021-11-23T23:30:00+00:00", "2 day").unwrap();
    assert_eq!(d.runs_from, at("2021-11-25T00:00:00+08:00"));
}

/// (what, start, period, due)
#[rustfmt::skip]
const HOUR_CASES: &[(&str, &str, &str, &str)] = &[
    ("across midnight", "2021-11-24T22:00:00+08:00", "4 hour", "2021-11-25T02:00:00+08:00"),
    ("24 hours", "2021-11-24T10:00:00+08:00", "24 hour", "2021-11-25T10:00:00+08:00"),
    ("into a holiday: not extended", "2021-09-30T18:00:00+08:00", "24 hour", "2021-10-01T18:00:00+08:00"),
    ("given in UTC, due in Beijing time", "2021-11-24T23:30:00+00:00", "1 hour", "2021-11-25T08:30:00+08:00"),
    ("from a whole day: from 00:00", "2021-12-09", "24 hour", "2021-12-10T00:00:00+08:00"),
    ("does not need the calendar's years", "2018-12-31T10:00:00+08:00", "72 hour", "2019-01-03T10:00:00+08:00"),
    ("seconds kept", "2021-11-24T10:00:30+08:00", "1 hour", "2021-11-24T11:00:30+08:00"),
];

#[test]
fn hour_periods() {
    let cn = cn();
    for &(what, start, period, due_at) in HOUR_CASES {
        let d = due(&cn, start, period).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(d.due, at(due_at), "{what}");
        assert_eq!(d.due.offset().local_minus_utc(), 8 * 3600, "{what}: due in Beijing time");
        assert_eq!((d.last_day, d.nominal_last_day), (None, None), "{what}");
        assert!(d.extended_over.is_empty(), "{what}");
        assert_eq!(d.ambiguous.is_some(), start.len() == 10, "{what}: ambiguous only from a whole day");
    }
}

#[test]
fn an_hour_period_from_a_whole_day_says_why_it_is_ambiguous() {
    let d = due(&cn(), "2021-12-09", "24 hour").unwrap();
    let why = d.ambiguous.unwrap();
    assert!(why.contains("2021-12-09") && why.contains("00:00"), "{why}");
}

/// (what, start, period, last day, skipped rest days)
#[rustfmt::skip]
const WORKING_DAY_CASES: &[(&str, &str, &str, &str, &[&str])] = &[
    ("no rest day in between", "2021-11-22", "3 working_day", "2021-11-25", &[]),
    ("over a weekend", "2021-11-25", "2 working_day", "2021-11-29", &["2021-11-27", "2021-11-28"]),
    (
        "over National Day and a make-up Saturday",
        "2021-09-29",
        "5 working_day",
        "2021-10-12",
        &["2021-10-01", "2021-10-02", "2021-10-03", "2021-10-04", "2021-10-05", "2021-10-06", "2021-10-07", "2021-10-10"],
    ),
    (
        "over Spring Festival 2024 onto a make-up Sunday",
        "2024-02-08",
        "2 working_day",
        "2024-02-18",
        &["2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16", "2024-02-17"],
    ),
    ("starting on a holiday", "2021-10-03T09:00:00+08:00", "1 working_day", "2021-10-08", &["2021-10-04", "2021-10-05", "2021-10-06", "2021-10-07"]),
];

#[test]
fn working_day_periods() {
    let cn = cn();
    for &(what, start, period, last, skipped) in WORKING_DAY_CASES {
        let d = due(&cn, start, period).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(d.last_day, Some(day(last)), "{what}");
        assert_eq!(d.extended_over, days(skipped), "{what}");
        assert_eq!(d.due, vpl_time::When::Day(day(last).succ_opt().unwrap()).instant_in(cn.zone).unwrap(), "{what}");
        // last = nominal + the rest days skipped
        let nominal = d.nominal_last_day.unwrap();
        assert_eq!(nominal + chrono::Days::new(skipped.len() as u64), day(last), "{what}");
    }
}

/// (what, start, period, the date the error names)
#[rustfmt::skip]
const OUTSIDE_CASES: &[(&str, &str, &str, &str)] = &[
    ("starts in 2018", "2018-12-28T10:00:00+08:00", "2 day", "2018-12-28"),
    ("starts in 2018 (working days)", "2018-12-31", "1 working_day", "2018-12-31"),
    ("ends in 2027", "2026-12-30", "5 day", "2027-01-04"),
    ("ends on 2027-01-01", "2026-12-31", "1 day", "2027-01-01"),
    ("a month into 2027", "2026-12-30", "1 month", "2027-01-30"),
    ("working days into 2027", "2026-12-30", "2 working_day", "2027-01-01"),
    ("a year into 2027", "2026-01-10", "1 year", "2027-01-10"),
    ("starts in 2027 Beijing time", "2026-12-31T16:30:00+00:00", "1 day", "2027-01-01"),
];

#[test]
fn outside_the_calendar_is_an_error_not_a_guess() {
    let cn = cn();
    for &(what, start, period, date) in OUTSIDE_CASES {
        match due(&cn, start, period) {
            Err(TimeError::OutsideCalendar { calendar, date: d, first, last }) => {
                assert_eq!((calendar.as_str(), d, first, last), ("cn", day(date), 2019, 2026), "{what}");
            }
            other => panic!("{what}: expected OutsideCalendar, got {other:?}"),
        }
    }
    let err = due(&cn, "2026-12-31", "1 day").unwrap_err().to_string();
    assert!(err.contains("2027-01-01") && err.contains("2019..2026"), "{err}");
}

#[test]
fn zero_periods_are_refused() {
    let start = when("2021-11-24");
    for unit in Unit::ALL {
        assert_eq!(deadline(&cn(), &start, Period::new(0, unit)), Err(TimeError::ZeroPeriod), "{unit}");
    }
}

#[test]
fn steps_explain_an_extension() {
    let d = due(&cn(), "2021-09-29T15:00:00+08:00", "2 day").unwrap();
    insta::assert_snapshot!("national_day_extension", d.steps.join("\n"));
    let d = due(&cn(), "2021-11-23T23:30:00+00:00", "2 day").unwrap();
    insta::assert_snapshot!("other_offset", d.steps.join("\n"));
    let d = due(&cn(), "2020-02-29", "1 year").unwrap();
    insta::assert_snapshot!("leap_day_year", d.steps.join("\n"));
    let d = due(&cn(), "2021-09-29", "5 working_day").unwrap();
    insta::assert_snapshot!("working_days", d.steps.join("\n"));
    let d = due(&cn(), "2021-10-06", "3 day").unwrap();
    insta::assert_snapshot!("make_up_saturday", d.steps.join("\n"));
    let d = due(&cn(), "2021-12-09", "24 hour").unwrap();
    insta::assert_snapshot!("hours_from_whole_day", d.steps.join("\n"));
}

#[test]
fn the_same_instant_in_any_offset_gives_the_same_deadline() {
    let cn = cn();
    let a = due(&cn, "2021-11-24T10:00:00+08:00", "3 day").unwrap();
    for other in ["2021-11-24T02:00:00+00:00", "2021-11-23T21:00:00-05:00", "2021-11-24T07:30:00+05:30"] {
        let b = due(&cn, other, "3 day").unwrap();
        assert_eq!((a.due, a.last_day, &a.extended_over), (b.due, b.last_day, &b.extended_over), "{other}");
    }
    // But the whole day of the event is what the zone says.
    assert_ne!(
        due(&cn, "2021-11-24T17:00:00+00:00", "1 day").unwrap().due,
        due(&cn, "2021-11-24T15:00:00+00:00", "1 day").unwrap().due
    );
    let _ = When::Day(day("2021-11-24"));
}

/// `deadline_quiet` gives what `deadline` gives, without the steps: for every
/// day of 2019..2026 as a whole-day start and as an evening instant, and each
/// unit, including starts and ends outside the calendar's data.
#[test]
fn the_quiet_deadline_is_the_deadline_without_its_steps() {
    let cal = cn();
    let periods: Vec<Period> = [
        (1, Unit::Day),
        (15, Unit::Day),
        (2, Unit::Week),
        (1, Unit::Month),
        (1, Unit::Year),
        (24, Unit::Hour),
        (5, Unit::WorkingDay),
        (0, Unit::Day),
    ]
    .into_iter()
    .map(|(n, u)| Period::new(n, u))
    .collect();
    let mut day = chrono::NaiveDate::from_ymd_opt(2018, 12, 25).unwrap();
    while day < chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap() {
        let evening: When = format!("{day}T21:30:00+08:00").parse().unwrap();
        for start in [When::Day(day), evening] {
            for &p in &periods {
                let full = deadline(&cal, &start, p).map(|mut d| {
                    d.steps.clear();
                    d
                });
                let quiet = vpl_time::deadline_quiet(&cal, &start, p).map(|mut d| {
                    d.steps.clear();
                    d
                });
                assert_eq!(quiet, full, "{start} + {p}");
            }
        }
        day = day.succ_opt().unwrap();
    }
}
