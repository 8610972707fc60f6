//! `eu-1182-71`: Regulation (EEC, Euratom) No 1182/71 of the Council of 3 June 1971 determining
//! the rules applicable to periods, dates and time limits, arts. 2–3, for the EU regimes (the
//! Cyber Resilience Act's 24-hour, 72-hour and 14-day reports, say).
//!
//! What the Regulation says, in this project's words:
//!
//! - art. 2(2): working days are all days other than public holidays, Sundays and Saturdays;
//! - art. 3(1): a period in hours does not count the moment of the event; a period in days,
//!   weeks, months or years does not count the day of the event;
//! - art. 3(2)(a): a period in hours starts at the beginning of its first hour and ends with the
//!   expiry of its last hour;
//! - art. 3(2)(b): a period in days starts at the beginning of the first hour of its first day
//!   and ends with the expiry of the last hour of its last day;
//! - art. 3(2)(c): a period in weeks, months or years ends with the expiry of the last hour of
//!   the day in the last week, month or year that has the same weekday, or the same date, as the
//!   day from which it runs; where that month has no such date, with the last day of that month;
//! - art. 3(3): periods include public holidays, Saturdays and Sundays unless expressly excluded
//!   or expressed in working days;
//! - art. 3(4): if the last day of a period not expressed in hours is a public holiday, a
//!   Saturday or a Sunday, the period ends with the expiry of the last hour of the following
//!   working day (not for periods counted backwards);
//! - art. 3(5): a period of two days or more includes at least two working days.
//!
//! Readings this engine takes:
//!
//! - **Local wall clock.** Days and hours are those of the calendar's zone (Europe/Brussels for
//!   the Union institutions). The end of a day is 24:00 local time, i.e. 00:00 of the next day.
//! - **Hours.** The first hour is the next full hour of the local clock after the event's hour
//!   (an event at 10:17 starts the period at 11:00; one at 10:00:00 sharp, too, since the moment
//!   is excluded and the hour from 10:00 is the event's hour). N hours are then N elapsed real
//!   hours, so 24 hours across a daylight-saving change end at a different wall-clock time.
//!   Hour periods are never extended (art. 3(4)).
//! - **The day the period runs from** (art. 3(2)(c)) is the day of the event.
//! - **Holidays.** The calendar's rest days stand for the Regulation's "public holidays,
//!   Saturdays and Sundays" (its `weekend` and `rest` lists); a make-up working day listed in
//!   the calendar is a working day.
//! - **Art. 3(5)** is applied after art. 3(4) to periods of two days or more (every week, month
//!   and year period): while the days from the first day to the last hold fewer than two
//!   working days, the end moves to the next working day.
//! - **Working days** count N working days after the day of the event and end with the expiry of
//!   the last hour of the Nth.
//! - **Whole days.** A start given as a whole day is the day of the event; for hour periods it is
//!   read as an event at 00:00 of that day (so the period starts at 01:00) and flagged ambiguous.

use chrono::{Datelike, NaiveDate, TimeDelta, Timelike};

use crate::deadline::{
    add_days, add_hours, add_months_clamped, describe_last_day, describe_start, fmt_day, fmt_days, fmt_instant, months_in,
    whole_day_ambiguity,
};
use crate::{Calendar, Deadline, Period, PeriodRule, TimeError, Unit, When};

const RULE: PeriodRule = PeriodRule::Eu118271;

pub(crate) fn deadline(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    match period.unit {
        Unit::Hour => hours(cal, start, period),
        Unit::WorkingDay => working_days(cal, start, period),
        Unit::Day | Unit::Week | Unit::Month | Unit::Year => calendar_days(cal, start, period),
    }
}

/// Art. 3(1) ¶1, 3(2)(a): from the next full hour, N elapsed hours.
fn hours(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    let event = cal.instant_of(start)?;
    let local = event.naive_local();
    let into_hour = TimeDelta::seconds(i64::from(local.minute() * 60 + local.second()))
        + TimeDelta::nanoseconds(i64::from(local.nanosecond()));
    let hour_began = event.checked_sub_signed(into_hour).ok_or(TimeError::Overflow)?;
    let runs_from = add_hours(cal, hour_began, 1)?;
    let due = add_hours(cal, runs_from, u64::from(period.amount))?;
    let steps = vec![
        format!(
            "{}; the moment of the event is not counted: the period starts at the beginning of the next hour, {} \
             (Reg. 1182/71 art. 3(1), 3(2)(a))",
            describe_start(cal, start)?,
            fmt_instant(&runs_from)
        ),
        format!(
            "{period} → the period ends with the expiry of its last hour: due {} (hour periods are not extended: art. 3(4))",
            fmt_instant(&due)
        ),
    ];
    Ok(Deadline {
        rule: RULE,
        period,
        runs_from,
        due,
        last_day: None,
        nominal_last_day: None,
        extended_over: Vec::new(),
        ambiguous: whole_day_ambiguity(cal, start, period),
        steps,
    })
}

/// Art. 3(1) ¶2, 3(2)(b)–(c), 3(4), 3(5): days, weeks, months, years.
fn calendar_days(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    let event_day = cal.day_of(start);
    let first_day = add_days(event_day, 1)?;
    let runs_from = cal.midnight_after(event_day)?;
    let mut steps = vec![first_day_step(cal, start, event_day, first_day)?];

    let nominal = match (period.unit, months_in(period)?) {
        (_, Some(months)) => {
            let nominal = add_months_clamped(event_day, months)?;
            steps.push(if nominal.day() == event_day.day() {
                format!("{period} → last day {}, the same date as the day of the event (art. 3(2)(c))", fmt_day(nominal))
            } else {
                format!(
                    "{period} → the last month has no {}th, so its last day, {}, is the last day (art. 3(2)(c))",
                    event_day.day(),
                    fmt_day(nominal)
                )
            });
            nominal
        }
        (Unit::Week, None) => {
            let nominal = add_days(event_day, u64::from(period.amount) * 7)?;
            steps.push(format!(
                "{period} → last day {}, the same weekday as the day of the event (art. 3(2)(c))",
                fmt_day(nominal)
            ));
            nominal
        }
        (_, None) => {
            let nominal = add_days(event_day, u64::from(period.amount))?;
            steps.push(format!("{period} → last day {} (art. 3(2)(b))", fmt_day(nominal)));
            nominal
        }
    };

    let (mut last, mut extended_over) = cal.working_day_from(nominal)?;
    steps.push(describe_last_day(cal, nominal, last, &extended_over, "Reg. 1182/71 art. 3(4)")?);

    let two_days_or_more = !(period.unit == Unit::Day && period.amount < 2);
    if two_days_or_more {
        let mut working = working_days_between(cal, first_day, last, 2)?;
        if working < 2 {
            let before = last;
            while working < 2 {
                let (next, passed) = cal.working_day_from(add_days(last, 1)?)?;
                extended_over.extend(passed);
                last = next;
                working += 1;
            }
            steps.push(format!(
                "{first_day}..{before} holds fewer than two working days → extended to {} (art. 3(5))",
                fmt_day(last)
            ));
        }
    }

    let due = cal.midnight_after(last)?;
    steps.push(end_step(last, &due));
    Ok(Deadline {
        rule: RULE,
        period,
        runs_from,
        due,
        last_day: Some(last),
        nominal_last_day: Some(nominal),
        extended_over,
        ambiguous: None,
        steps,
    })
}

/// Art. 3(3): N working days after the day of the event, to the end of the Nth.
fn working_days(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    let event_day = cal.day_of(start);
    let first_day = add_days(event_day, 1)?;
    let runs_from = cal.midnight_after(event_day)?;
    let mut steps = vec![first_day_step(cal, start, event_day, first_day)?];
    let (last, skipped) = cal.nth_working_day_after(event_day, period.amount)?;
    let nominal = add_days(event_day, u64::from(period.amount))?;
    steps.push(if skipped.is_empty() {
        format!("{period}, no rest day among them → last day {} (art. 3(3))", fmt_day(last))
    } else {
        format!(
            "{period}, leaving out public holidays, Saturdays and Sundays {} → last day {} (art. 2(2), 3(3))",
            fmt_days(&skipped),
            fmt_day(last)
        )
    });
    let due = cal.midnight_after(last)?;
    steps.push(end_step(last, &due));
    Ok(Deadline {
        rule: RULE,
        period,
        runs_from,
        due,
        last_day: Some(last),
        nominal_last_day: Some(nominal),
        extended_over: skipped,
        ambiguous: None,
        steps,
    })
}

/// How many working days `from..=to` holds, counting no further than `enough`.
fn working_days_between(cal: &Calendar, from: NaiveDate, to: NaiveDate, enough: u32) -> Result<u32, TimeError> {
    let mut count = 0;
    let mut day = from;
    while day <= to && count < enough {
        if cal.is_working_day(day)? {
            count += 1;
        }
        day = add_days(day, 1)?;
    }
    Ok(count)
}

fn first_day_step(cal: &Calendar, start: &When, event_day: NaiveDate, first_day: NaiveDate) -> Result<String, TimeError> {
    Ok(format!(
        "{}; the day of the event, {event_day}, is not counted: the period starts at the beginning of {first_day} \
         (Reg. 1182/71 art. 3(1), 3(2)(b))",
        describe_start(cal, start)?
    ))
}

fn end_step(last: NaiveDate, due: &chrono::DateTime<chrono::FixedOffset>) -> String {
    format!("the period ends with the expiry of the last hour of {last} → due {} (art. 3(2))", fmt_instant(due))
}
