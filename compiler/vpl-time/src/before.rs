//! Periods counted **backwards** from an event: "report 30 days before publishing", "notify
//! 5 working days before the change". The result says by when the act must be done.
//!
//! Neither the Civil Code nor this project's instruments spell out how to count backwards, so
//! this module takes one reading and applies it to every rule:
//!
//! - **Day-based periods** (`civil-code-cn`, `eu-1182-71`): the day of the event is not counted
//!   and the act's own day is not counted either, so an act on day X is in time if a period of
//!   the same length counted forwards from X (under art. 201 / art. 3(1)) has ended by the
//!   event's day. The latest day is the event's day minus N days (minus 7N for weeks; minus N
//!   months, clamped to the month's last day, for months and years), and the act is in time
//!   until 24:00 of that day. 30 days before an event on 31 December: by 1 December 24:00.
//! - **No rest-day adjustment.** Moving a latest day that falls on a rest day would either
//!   shorten the notice (later) or lengthen it (earlier) without a text to say which;
//!   Regulation 1182/71 art. 3(4) expressly does not apply to periods counted backwards, and the
//!   Civil Code's art. 203 speaks of a period's last day "ending". The day is what it is.
//! - **Working days:** the Nth working day before the event's day.
//! - **Hours,** and everything under `exact`: the event instant minus the period (months on the
//!   local wall clock; working days at the event's time of day). From a whole day, counted from
//!   00:00 of it and flagged ambiguous.
//!
//! The result is a [`Deadline`] whose `runs_from` is the event the period is counted back from
//! and whose `due` is the exclusive end of the time for the act.

use chrono::{DateTime, FixedOffset, Months, NaiveDate, TimeDelta};

use crate::deadline::{describe_start, fmt_day, fmt_days, fmt_instant, months_in, whole_day_ambiguity};
use crate::{resolve_local, Calendar, Deadline, Period, PeriodRule, TimeError, Unit, When};

/// By when an act must be done to come `period` before `event`, under the calendar's rule.
pub fn deadline_before(cal: &Calendar, event: &When, period: Period) -> Result<Deadline, TimeError> {
    deadline_before_under(cal.rule, cal, event, period)
}

/// Like [`deadline_before`], under `rule` instead of the calendar's own.
pub fn deadline_before_under(rule: PeriodRule, cal: &Calendar, event: &When, period: Period) -> Result<Deadline, TimeError> {
    if period.amount == 0 {
        return Err(TimeError::ZeroPeriod);
    }
    let elapsed = rule == PeriodRule::Exact || period.unit == Unit::Hour;
    if elapsed {
        elapsed_back(rule, cal, event, period)
    } else {
        days_back(rule, cal, event, period)
    }
}

fn days_back(rule: PeriodRule, cal: &Calendar, event: &When, period: Period) -> Result<Deadline, TimeError> {
    let event_day = cal.day_of(event);
    let runs_from = cal.instant_of(event)?;
    let mut steps = vec![format!(
        "{}; counted back from the day of the event, {event_day}, which is not counted ({})",
        describe_start(cal, event)?.replacen("start", "event", 1),
        rule.source()
    )];
    let mut extended_over = Vec::new();
    let latest = match (period.unit, months_in(period)?) {
        (_, Some(months)) => event_day.checked_sub_months(Months::new(months)).ok_or(TimeError::Overflow)?,
        (Unit::WorkingDay, None) => {
            let (day, skipped) = cal.nth_working_day_before(event_day, period.amount)?;
            extended_over = skipped;
            day
        }
        (unit, None) => {
            let days = u64::from(period.amount) * if unit == Unit::Week { 7 } else { 1 };
            event_day.checked_sub_days(chrono::Days::new(days)).ok_or(TimeError::Overflow)?
        }
    };
    let skipping =
        if extended_over.is_empty() { String::new() } else { format!(", skipping rest days {}", fmt_days(&extended_over)) };
    steps.push(format!(
        "{period} back{skipping} → the latest day for the act is {} (no rest-day adjustment for a period counted backwards)",
        fmt_day(latest)
    ));
    let due = cal.midnight_after(latest)?;
    steps.push(format!("the act must be done by {latest} 24:00 → due {}", fmt_instant(&due)));
    Ok(Deadline {
        rule,
        period,
        runs_from,
        due,
        last_day: Some(latest),
        nominal_last_day: Some(latest),
        extended_over,
        ambiguous: None,
        steps,
    })
}

fn elapsed_back(rule: PeriodRule, cal: &Calendar, event: &When, period: Period) -> Result<Deadline, TimeError> {
    let runs_from = cal.instant_of(event)?;
    let mut steps = vec![format!("{}; counted back as elapsed time", describe_start(cal, event)?.replacen("start", "event", 1))];
    let mut last_day: Option<NaiveDate> = None;
    let mut extended_over = Vec::new();
    let amount = u64::from(period.amount);
    let due = match (period.unit, months_in(period)?) {
        (_, Some(months)) => {
            let local = runs_from.naive_local();
            let back = local.checked_sub_months(Months::new(months)).ok_or(TimeError::Overflow)?;
            resolve_local(cal.zone, back)?.fixed_offset()
        }
        (Unit::WorkingDay, None) => {
            let (day, skipped) = cal.nth_working_day_before(runs_from.date_naive(), period.amount)?;
            last_day = Some(day);
            extended_over = skipped;
            resolve_local(cal.zone, day.and_time(runs_from.time()))?.fixed_offset()
        }
        (unit, None) => {
            let hours = amount
                * match unit {
                    Unit::Day => 24,
                    Unit::Week => 168,
                    _ => 1,
                };
            let hours = i64::try_from(hours).map_err(|_| TimeError::Overflow)?;
            add_hours_signed(cal, runs_from, -hours)?
        }
    };
    steps.push(format!("{period} back → the act must be done before {}", fmt_instant(&due)));
    Ok(Deadline {
        rule,
        period,
        runs_from,
        due,
        last_day,
        nominal_last_day: last_day,
        extended_over,
        ambiguous: whole_day_ambiguity(cal, event, period),
        steps,
    })
}

/// `t` moved by a signed number of real hours, expressed in the calendar's zone.
fn add_hours_signed(cal: &Calendar, t: DateTime<FixedOffset>, hours: i64) -> Result<DateTime<FixedOffset>, TimeError> {
    let delta = TimeDelta::try_hours(hours).ok_or(TimeError::Overflow)?;
    let end = t.checked_add_signed(delta).ok_or(TimeError::Overflow)?;
    Ok(cal.in_zone(end))
}
