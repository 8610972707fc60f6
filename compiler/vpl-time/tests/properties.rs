//! Properties over random starts in the years the CN data covers.

#![allow(clippy::unwrap_used, reason = "strategies build from constants that are valid")]

mod common;

use std::sync::OnceLock;

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, TimeZone, Timelike};
use proptest::prelude::*;
use vpl_time::{
    day_period_end, deadline, deadline_quiet, deadline_under, quiet_by_day, Calendar, Deadline, Period, PeriodRule, TimeError,
    Unit, When,
};

fn cn() -> &'static Calendar {
    static CN: OnceLock<Calendar> = OnceLock::new();
    CN.get_or_init(common::cn)
}

fn eu() -> &'static Calendar {
    static EU: OnceLock<Calendar> = OnceLock::new();
    EU.get_or_init(common::brussels)
}

/// An instant in 2019..2026, given in one of a few offsets.
fn instant() -> impl Strategy<Value = DateTime<FixedOffset>> {
    instant_in_years(2019, 2026)
}

fn instant_in_years(first: i32, last: i32) -> impl Strategy<Value = DateTime<FixedOffset>> {
    let first = NaiveDate::from_ymd_opt(first, 1, 1).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    let last = NaiveDate::from_ymd_opt(last, 12, 31).unwrap().and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    let offsets = prop::sample::select(vec![8 * 3600, 0, -5 * 3600, 3600, 2 * 3600, 5 * 3600 + 1800, -(9 * 3600 + 1800)]);
    (first..last, offsets).prop_map(|(secs, off)| FixedOffset::east_opt(off).unwrap().timestamp_opt(secs - secs % 60, 0).unwrap())
}

fn start() -> impl Strategy<Value = When> {
    start_in_years(2019, 2026)
}

fn start_in_years(first: i32, last: i32) -> impl Strategy<Value = When> {
    prop_oneof![
        3 => instant_in_years(first, last).prop_map(When::At),
        1 => instant_in_years(first, last).prop_map(|t| When::Day(t.date_naive())),
    ]
}

fn period() -> impl Strategy<Value = Period> {
    prop_oneof![
        (1u32..=200).prop_map(|n| Period::new(n, Unit::Hour)),
        (1u32..=60).prop_map(|n| Period::new(n, Unit::Day)),
        (1u32..=30).prop_map(|n| Period::new(n, Unit::WorkingDay)),
        (1u32..=8).prop_map(|n| Period::new(n, Unit::Week)),
        (1u32..=14).prop_map(|n| Period::new(n, Unit::Month)),
        (1u32..=2).prop_map(|n| Period::new(n, Unit::Year)),
    ]
}

fn rule() -> impl Strategy<Value = PeriodRule> {
    prop::sample::select(PeriodRule::ALL.to_vec())
}

/// Runs `f` unless the computation left the calendar's years (then the case is skipped).
fn computed(r: Result<Deadline, TimeError>) -> Result<Deadline, TestCaseError> {
    match r {
        Ok(d) => Ok(d),
        Err(TimeError::OutsideCalendar { .. }) => Err(TestCaseError::reject("outside the calendar")),
        Err(e) => Err(TestCaseError::fail(format!("unexpected error: {e}"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, max_global_rejects: 4096, ..ProptestConfig::default() })]

    /// The calendar's own placing of times in its zone (arithmetic where the zone keeps one
    /// offset, as Beijing time does) agrees with chrono-tz's, inside the covered years, at
    /// their edges, and outside them.
    #[test]
    fn placing_in_the_zone_agrees_with_chrono_tz(start in start_in_years(2017, 2028)) {
        for cal in [cn(), eu()] {
            prop_assert_eq!(cal.day_of(&start), start.day_in(cal.zone), "{}", start);
            let fast = cal.instant_of(&start).unwrap();
            let slow = start.instant_in(cal.zone).unwrap();
            prop_assert_eq!(fast, slow);
            prop_assert_eq!(fast.offset(), slow.offset(), "{}", start);
            let (placed, placed_day) = cal.place(&start).unwrap();
            prop_assert_eq!((placed, placed_day), (slow, start.day_in(cal.zone)));
            prop_assert_eq!(placed.offset(), slow.offset());
            let day = cal.day_of(&start);
            prop_assert_eq!(cal.midnight_after(day).unwrap(), When::Day(day.succ_opt().unwrap()).instant_in(cal.zone).unwrap());
            if let When::At(t) = start {
                let (fast, slow) = (cal.in_zone(t), t.with_timezone(&cal.zone).fixed_offset());
                prop_assert_eq!(fast.offset(), slow.offset());
            }
        }
    }

    #[test]
    fn due_is_after_the_start(rule in rule(), start in start(), period in period()) {
        for cal in [cn(), eu()] {
            let r = deadline_under(rule, cal, &start, period);
            if matches!(r, Err(TimeError::OutsideCalendar { .. })) { continue; }
            let d = computed(r)?;
            let from = start.instant_in(cal.zone).unwrap();
            prop_assert!(d.due > from, "{rule} {period} from {start}: due {} not after {from}", d.due);
            prop_assert!(d.runs_from >= from && d.due > d.runs_from);
            prop_assert_eq!(*d.due.offset(), cal.zone.offset_from_utc_datetime(&d.due.naive_utc()).fix());
            if let (Some(last), Some(nominal)) = (d.last_day, d.nominal_last_day) {
                prop_assert!(last >= nominal);
            }
        }
    }

    #[test]
    fn one_more_unit_never_ends_earlier(rule in rule(), start in start(), period in period()) {
        for cal in [cn(), eu()] {
            let next = Period::new(period.amount + 1, period.unit);
            let (Ok(a), Ok(b)) = (deadline_under(rule, cal, &start, period), deadline_under(rule, cal, &start, next)) else { continue };
            prop_assert!(b.due >= a.due, "{rule}: {next} ends {} before {period} ends {}", b.due, a.due);
            // Strictly later where no extension can make two lengths meet.
            if matches!(period.unit, Unit::Hour | Unit::WorkingDay) || rule == PeriodRule::Exact {
                prop_assert!(b.due > a.due, "{rule}: {next} and {period} both end {}", a.due);
            }
        }
    }

    #[test]
    fn civil_code_day_periods_end_at_24_00_of_a_working_day(start in start(), period in period()) {
        prop_assume!(period.unit != Unit::Hour);
        let d = computed(deadline(cn(), &start, period))?;
        let last = d.last_day.unwrap();
        prop_assert!(!cn().is_rest_day(last).unwrap(), "{period} from {start}: last day {last} is a rest day");
        let local = d.due.with_timezone(&cn().zone);
        prop_assert_eq!((local.date_naive(), local.hour(), local.minute()), (last.succ_opt().unwrap(), 0, 0));
        prop_assert!(d.extended_over.iter().all(|r| cn().is_rest_day(*r).unwrap()));
        if period.unit != Unit::WorkingDay {
            // The end moves only over the run of rest days starting at the nominal last day.
            let nominal = d.nominal_last_day.unwrap();
            let run: Vec<_> = nominal.iter_days().take_while(|x| *x < last).collect();
            prop_assert_eq!(&d.extended_over, &run);
        }
        prop_assert!(d.last_day > Some(start.day_in(cn().zone)));
    }

    #[test]
    fn civil_code_deadlines_do_not_depend_on_the_offset_the_start_is_given_in(t in instant(), period in period(), off in -12i32..=14) {
        let other = t.with_timezone(&FixedOffset::east_opt(off * 3600).unwrap());
        let a = deadline(cn(), &When::At(t), period).map(|d| (d.due, d.runs_from, d.last_day, d.extended_over));
        let b = deadline(cn(), &When::At(other), period).map(|d| (d.due, d.runs_from, d.last_day, d.extended_over));
        prop_assert_eq!(a, b);
    }

    /// What lets an evaluator keep quiet deadlines by day ([`quiet_by_day`]): starts on the
    /// same day of the calendar's zone — any hour, any offset, or the day alone — give the same
    /// quiet deadline, field for field; it has no steps and is never ambiguous.
    #[test]
    fn quiet_deadlines_kept_by_day_depend_on_the_day_alone(t in instant(), period in period(), secs in 0i64..86_400) {
        let cal = cn();
        prop_assume!(quiet_by_day(cal, period));
        let day = When::At(t).day_in(cal.zone);
        let midnight = cal.start_of(day).unwrap();
        let later = midnight + chrono::TimeDelta::seconds(secs);
        prop_assume!(later.date_naive() == day);
        let quiet = |w: &When| deadline_quiet(cal, w, period).map(|d| format!("{d:?}"));
        let by_day = quiet(&When::Day(day));
        prop_assert_eq!(&quiet(&When::At(t)), &by_day);
        prop_assert_eq!(&quiet(&When::At(later)), &by_day);
        // What an evaluator keeps of it, counted from the day alone: the same end and last
        // day, or an error where it has one.
        let end = day_period_end(cal, day, period);
        match deadline_quiet(cal, &When::At(t), period) {
            Ok(d) => {
                prop_assert!(d.steps.is_empty() && d.ambiguous.is_none(), "{:?}", d);
                let end = end.map(|r| r.map_err(|e| e.to_string()));
                prop_assert_eq!(end, Some(Ok((d.due, d.last_day.unwrap_or(NaiveDate::MIN)))));
            }
            Err(e) => prop_assert!(matches!(end, Some(Err(_))), "{e}: {end:?}"),
        }
    }

    #[test]
    fn eu_periods_of_two_days_or_more_hold_two_working_days(start in start_in_years(2024, 2025), period in period()) {
        prop_assume!(period.unit != Unit::Hour);
        let d = computed(deadline(eu(), &start, period))?;
        let last = d.last_day.unwrap();
        prop_assert!(eu().is_working_day(last).unwrap());
        let first = start.day_in(eu().zone).succ_opt().unwrap();
        let working = first.iter_days().take_while(|x| *x <= last).filter(|x| eu().is_working_day(*x).unwrap()).count();
        let long = !(matches!(period.unit, Unit::Day | Unit::WorkingDay) && period.amount < 2);
        prop_assert!(!long || working >= 2, "{period} from {start}: {working} working days to {last}");
    }
}
