//! Shared fixtures: the real CN calendar (from `tests/data/cn_days.txt`, generated with
//! `stdlib/calendars/cn.vpl` by `scripts/gen_cn_calendar.py`) and a Brussels calendar.

#![allow(dead_code, reason = "each test binary uses a different part of the fixtures")]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "test fixtures: a bad fixture should stop the test loudly"
)]

use chrono::{DateTime, FixedOffset, NaiveDate, Weekday};
use vpl_time::{deadline, Calendar, Deadline, Period, PeriodRule, TimeError, Unit, When};

const CN_DAYS: &str = include_str!("../data/cn_days.txt");

/// The `cn` calendar of the stdlib, built from the generated day list.
pub fn cn() -> Calendar {
    let mut rest = Vec::new();
    let mut work = Vec::new();
    for line in CN_DAYS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (date, kind) = line.split_once(' ').expect("`DATE KIND` line");
        let date: NaiveDate = date.parse().expect("a date");
        match kind {
            "rest" => rest.push(date),
            "work" => work.push(date),
            other => panic!("unknown day kind {other}"),
        }
    }
    Calendar::new(
        "cn",
        chrono_tz::Asia::Shanghai,
        PeriodRule::CivilCodeCn,
        vec![Weekday::Sat, Weekday::Sun],
        Some((2019, 2026)),
        rest,
        work,
    )
    .expect("the generated CN data is consistent")
}

/// A Brussels calendar for the EU rule: weekends and a few holidays of 2024 (test data, not an
/// official list), covering 2024..2025.
pub fn brussels() -> Calendar {
    Calendar::new(
        "eu",
        chrono_tz::Europe::Brussels,
        PeriodRule::Eu118271,
        vec![Weekday::Sat, Weekday::Sun],
        Some((2024, 2025)),
        ["2024-04-01", "2024-05-01", "2024-05-09", "2024-12-25", "2024-12-26", "2025-01-01"].map(day),
        [],
    )
    .expect("consistent")
}

/// Brussels without holidays, for all time.
pub fn brussels_plain(rule: PeriodRule) -> Calendar {
    Calendar::without_holidays("plain", chrono_tz::Europe::Brussels, rule)
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|e| panic!("bad date {s}: {e}"))
}

pub fn at(s: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("bad instant {s}: {e}"))
}

pub fn when(s: &str) -> When {
    s.parse().unwrap_or_else(|e| panic!("bad when {s}: {e}"))
}

pub fn unit(s: &str) -> Unit {
    s.parse().unwrap_or_else(|e| panic!("bad unit {s}: {e}"))
}

/// A period written as "2 day", "5 working_day"…
pub fn period(s: &str) -> Period {
    let (n, u) = s.split_once(' ').expect("`N unit`");
    Period::new(n.parse().expect("a number"), unit(u))
}

/// `deadline` with the period written as "2 day", "5 working_day"…
pub fn due(cal: &Calendar, start: &str, p: &str) -> Result<Deadline, TimeError> {
    deadline(cal, &when(start), period(p))
}

pub fn days(list: &[&str]) -> Vec<NaiveDate> {
    list.iter().map(|s| day(s)).collect()
}

/// Every date from `a` to `b` inclusive.
pub fn span(a: &str, b: &str) -> Vec<NaiveDate> {
    day(a).iter_days().take_while(|d| *d <= day(b)).collect()
}
