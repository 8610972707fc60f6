//! `exact`: plain elapsed time, with no law of periods behind it. For hour-based rules and
//! internal service levels ("patch within 72 hours").
//!
//! - **Hours, days, weeks** are elapsed real time: 1 hour, 24 hours, 168 hours. A day across a
//!   daylight-saving change is still 24 real hours, so its end shows a different wall-clock
//!   time.
//! - **Months and years** move the local wall-clock date-time in the calendar's zone by that
//!   many months (a year is 12), keeping the time of day and clamping to the month's last day
//!   (Jan 31 10:00 + 1 month = Feb 28 or 29, 10:00). A wall-clock time that the zone skips or
//!   repeats is placed by [`crate::resolve_local`].
//! - **Working days** count N working days of the calendar after the starting day (the start's
//!   local date) and end at the start's time of day on the Nth working day. Chosen as the
//!   simplest reading consistent with the other units: 1 working day from Friday 10:00 ends on
//!   Monday 10:00, as 1 day from Thursday 10:00 ends on Friday 10:00.
//! - **No starting-day rule and no rest-day extension.** The period runs from the start instant.
//! - **Whole days.** The rule counts from an instant, so a start given as a whole day counts
//!   from 00:00 of that day in the zone, and the result is flagged ambiguous, for every unit.

use chrono::{Months, Timelike};

use crate::deadline::{add_days, add_hours, describe_start, fmt_day, fmt_days, fmt_instant, months_in, whole_day_ambiguity};
use crate::{resolve_local, Calendar, Deadline, Period, PeriodRule, TimeError, Unit, When};

pub(crate) fn deadline(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    let runs_from = cal.instant_of(start)?;
    let mut steps = vec![format!(
        "{}; exact rule: plain elapsed time from the start, no starting-day or rest-day rules",
        describe_start(cal, start)?
    )];
    let mut last_day = None;
    let mut nominal_last_day = None;
    let mut extended_over = Vec::new();
    let amount = u64::from(period.amount);

    let due = match period.unit {
        Unit::Hour | Unit::Day | Unit::Week => {
            let hours = match period.unit {
                Unit::Day => amount * 24,
                Unit::Week => amount * 24 * 7,
                _ => amount,
            };
            let due = add_hours(cal, runs_from, hours)?;
            steps.push(if period.unit == Unit::Hour {
                format!("{period} of elapsed time → due {}", fmt_instant(&due))
            } else {
                format!("{period} = {hours} hours of elapsed time → due {}", fmt_instant(&due))
            });
            due
        }
        Unit::Month | Unit::Year => {
            let months = months_in(period)?.unwrap_or(period.amount);
            let local = runs_from.naive_local();
            let end_local = local.checked_add_months(Months::new(months)).ok_or(TimeError::Overflow)?;
            let due = resolve_local(cal.zone, end_local)?.fixed_offset();
            let placed = if due.naive_local() == end_local {
                String::new()
            } else {
                format!(", which {} does not show once; placed at {}", cal.zone.name(), fmt_instant(&due))
            };
            steps.push(format!(
                "{period} on the local wall clock: {} → {} (clamped to the month's last day where shorter){placed} → due {}",
                local.format("%Y-%m-%d %H:%M"),
                end_local.format("%Y-%m-%d %H:%M"),
                fmt_instant(&due)
            ));
            due
        }
        Unit::WorkingDay => {
            let start_day = runs_from.date_naive();
            let (last, skipped) = cal.nth_working_day_after(start_day, period.amount)?;
            let end_local = last.and_time(runs_from.time());
            let due = resolve_local(cal.zone, end_local)?.fixed_offset();
            let skipping =
                if skipped.is_empty() { String::new() } else { format!(", skipping rest days {}", fmt_days(&skipped)) };
            steps.push(format!(
                "{period} after {}{skipping} → {} at the start's time of day {:02}:{:02} → due {}",
                fmt_day(start_day),
                fmt_day(last),
                runs_from.hour(),
                runs_from.minute(),
                fmt_instant(&due)
            ));
            last_day = Some(last);
            nominal_last_day = Some(add_days(start_day, amount)?);
            extended_over = skipped;
            due
        }
    };

    Ok(Deadline {
        rule: PeriodRule::Exact,
        period,
        runs_from,
        due,
        last_day,
        nominal_last_day,
        extended_over,
        ambiguous: whole_day_ambiguity(cal, start, period),
        steps,
    })
}
