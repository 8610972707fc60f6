//! Deadlines: the entry point [`deadline`], its result [`Deadline`], and the helpers the three
//! period rules share.

use chrono::{DateTime, Days, FixedOffset, Months, NaiveDate, TimeDelta, Timelike};
use serde::{Deserialize, Serialize};

use crate::{civil_code, eu, exact, Calendar, Period, PeriodRule, TimeError, Unit, When};

/// The end of a period, and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deadline {
    /// The rule that counted the period.
    pub rule: PeriodRule,
    /// The period counted.
    pub period: Period,
    /// The instant from which the period runs (inclusive), in the calendar's zone: for the
    /// Civil Code's day periods 00:00 of the day after the starting day, for its hour periods
    /// the start itself, for Regulation 1182/71's hour periods the next full hour.
    pub runs_from: DateTime<FixedOffset>,
    /// The **exclusive** end of the period, expressed with the calendar zone's offset: an act
    /// is in time if it happens strictly before `due` (see [`Deadline::is_in_time`]). A day
    /// period under the Civil Code ends at 24:00 of its last day, which is written as 00:00 of
    /// the following day.
    pub due: DateTime<FixedOffset>,
    /// For rules that count whole days: the last day of the period, after any extension.
    pub last_day: Option<NaiveDate>,
    /// For rules that count whole days: the last day before any extension over rest days (for
    /// working-day periods: where as many calendar days would have ended).
    pub nominal_last_day: Option<NaiveDate>,
    /// The rest days that pushed the end back (for working-day periods: the rest days skipped
    /// while counting). Empty if none.
    pub extended_over: Vec<NaiveDate>,
    /// Why the result needs a person's judgment, if it does: an hour period counted from a date
    /// with no time, say. The deadline is still computed (from 00:00 of that day).
    pub ambiguous: Option<String>,
    /// How the deadline was reached, one English sentence per step.
    pub steps: Vec<String>,
}

/// Whether an act was in time, for [`Deadline::judge`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timing {
    /// Done before the deadline.
    InTime,
    /// Done at or after the deadline, by this much at least.
    Late {
        /// How late (for a whole-day act: from the deadline to the start of that day).
        by: TimeDelta,
    },
    /// A whole-day act on the day the deadline falls: it may have been either.
    Unclear {
        /// What a person must find out.
        reason: String,
    },
}

impl Deadline {
    /// Whether an act at instant `t` is in time: strictly before [`Deadline::due`].
    pub fn is_in_time(&self, t: &DateTime<FixedOffset>) -> bool {
        *t < self.due
    }

    /// Judges an act given as a [`When`], whose whole days are days of `zone`: a day that ends
    /// by the deadline is in time, a day that begins at or after it is late, and the day on
    /// which the deadline falls (other than at its start) is unclear.
    pub fn judge(&self, cal: &Calendar, done: &When) -> Result<Timing, TimeError> {
        judge_by(cal, &self.due, done)
    }
}

/// [`Deadline::judge`] against a deadline's exclusive end `due` alone (all it looks at).
pub fn judge_by(cal: &Calendar, due: &DateTime<FixedOffset>, done: &When) -> Result<Timing, TimeError> {
    match done {
        When::At(t) if t < due => Ok(Timing::InTime),
        When::At(t) => Ok(Timing::Late { by: *t - *due }),
        When::Day(d) => {
            let begins = cal.start_of(*d)?;
            let ends = cal.midnight_after(*d)?;
            if ends <= *due {
                Ok(Timing::InTime)
            } else if begins >= *due {
                Ok(Timing::Late { by: begins - *due })
            } else {
                Ok(Timing::Unclear {
                    reason: format!("done on {} (no time given), the day the deadline {} falls", fmt_day(*d), fmt_instant(due)),
                })
            }
        }
    }
}

/// Computes the deadline of `period` counted from `start` under the calendar's own rule.
///
/// Errors: [`TimeError::ZeroPeriod`] for a period of 0 units; [`TimeError::OutsideCalendar`]
/// when the rule needs to know whether a day outside the calendar's data is a rest day (the
/// starting day included); [`TimeError::Overflow`] past the representable dates.
pub fn deadline(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    deadline_under(cal.rule, cal, start, period)
}

/// Like [`deadline`], under `rule` instead of the calendar's own (a duty may name its rule).
pub fn deadline_under(rule: PeriodRule, cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    if period.amount == 0 {
        return Err(TimeError::ZeroPeriod);
    }
    if rule.consults_rest_days(period.unit) {
        cal.check_covered(cal.day_of(start))?;
    }
    match rule {
        PeriodRule::CivilCodeCn => civil_code::deadline(cal, start, period),
        PeriodRule::Exact => exact::deadline(cal, start, period),
        PeriodRule::Eu118271 => eu::deadline(cal, start, period),
    }
}

/// Like [`deadline`], but [`Deadline::steps`] may be left empty (for day,
/// week, month and year periods under `civil-code-cn`): for callers that do
/// not show how the deadline was reached. Every other field, and every error,
/// is the same.
pub fn deadline_quiet(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    if period.amount == 0 || cal.rule != PeriodRule::CivilCodeCn {
        return deadline(cal, start, period);
    }
    civil_code::deadline_quiet(cal, start, period)
}

/// Whether [`deadline_quiet`] of `period` under the calendar's own rule depends on nothing of
/// the start but its day in the calendar's zone, so that a caller may keep the result by that
/// day: the Civil Code's day, week, month and year periods (art. 201 ¶1: the starting day is
/// not counted, so its hour plays no part). Hour and working-day periods, and the other rules,
/// are counted from the start itself. Such a deadline has no steps and is never ambiguous.
pub fn quiet_by_day(cal: &Calendar, period: Period) -> bool {
    period.amount != 0
        && cal.rule == PeriodRule::CivilCodeCn
        && matches!(period.unit, Unit::Day | Unit::Week | Unit::Month | Unit::Year)
}

/// The end ([`Deadline::due`]) and last day of [`deadline_quiet`] for a period [`quiet_by_day`]
/// accepts, counted from `start_day` (the start's day in the calendar's zone), without the rest
/// of the [`Deadline`]: what an evaluator keeps by day. `None` for any other period. Where this
/// gives an error, [`deadline_quiet`] is the one to ask for the error it reports.
pub fn day_period_end(
    cal: &Calendar,
    start_day: NaiveDate,
    period: Period,
) -> Option<Result<(DateTime<FixedOffset>, NaiveDate), TimeError>> {
    quiet_by_day(cal, period).then(|| civil_code::day_period_end(cal, start_day, period))
}

// ----- helpers shared by the rules -----

/// `d` plus `n` days.
pub(crate) fn add_days(d: NaiveDate, n: u64) -> Result<NaiveDate, TimeError> {
    d.checked_add_days(Days::new(n)).ok_or(TimeError::Overflow)
}

/// How many months a period of months or years spans (`None` for other units).
pub(crate) fn months_in(period: Period) -> Result<Option<u32>, TimeError> {
    match period.unit {
        Unit::Month => Ok(Some(period.amount)),
        Unit::Year => period.amount.checked_mul(12).map(Some).ok_or(TimeError::Overflow),
        _ => Ok(None),
    }
}

/// `d` plus `months` months, on the same day of the month or, where that month is shorter,
/// on its last day (Jan 31 + 1 month = Feb 28 or 29).
pub(crate) fn add_months_clamped(d: NaiveDate, months: u32) -> Result<NaiveDate, TimeError> {
    d.checked_add_months(Months::new(months)).ok_or(TimeError::Overflow)
}

/// `t` plus a number of real hours, expressed in `zone`.
pub(crate) fn add_hours(cal: &Calendar, t: DateTime<FixedOffset>, hours: u64) -> Result<DateTime<FixedOffset>, TimeError> {
    let hours = i64::try_from(hours).map_err(|_| TimeError::Overflow)?;
    let delta = TimeDelta::try_hours(hours).ok_or(TimeError::Overflow)?;
    let end = t.checked_add_signed(delta).ok_or(TimeError::Overflow)?;
    Ok(cal.in_zone(end))
}

/// "2021-11-26 (Fri)".
pub(crate) fn fmt_day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d (%a)").to_string()
}

/// "2021-11-24 10:00 +08:00", with seconds when there are any.
pub(crate) fn fmt_instant(t: &DateTime<FixedOffset>) -> String {
    if t.second() == 0 && t.nanosecond() == 0 {
        t.format("%Y-%m-%d %H:%M %:z").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M:%S%.f %:z").to_string()
    }
}

/// Dates as a compact list: runs of consecutive days become `a..b`.
pub(crate) fn fmt_days(days: &[NaiveDate]) -> String {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for &d in days {
        match runs.last_mut() {
            Some((_, end)) if end.succ_opt() == Some(d) => *end = d,
            _ => runs.push((d, d)),
        }
    }
    runs.iter().map(|(a, b)| if a == b { a.to_string() } else { format!("{a}..{b}") }).collect::<Vec<_>>().join(", ")
}

/// How the start was given, for the first step: the instant in its own offset and, when that
/// differs, in the calendar's zone; or the whole day.
pub(crate) fn describe_start(cal: &Calendar, start: &When) -> Result<String, TimeError> {
    Ok(match start {
        When::At(t) => {
            let local = cal.instant_of(&When::At(*t))?;
            if local.offset() == t.offset() {
                format!("start {} ({})", fmt_instant(t), cal.zone.name())
            } else {
                format!("start {} = {} ({})", fmt_instant(t), fmt_instant(&local), cal.zone.name())
            }
        }
        When::Day(d) => format!("start on {}, a whole day with no time given ({})", fmt_day(*d), cal.zone.name()),
    })
}

/// The note for a whole-day start of a period that counts elapsed time.
pub(crate) fn whole_day_ambiguity(cal: &Calendar, start: &When, period: Period) -> Option<String> {
    match start {
        When::Day(d) => Some(format!(
            "the start is a whole day ({d}) with no time, but a period of {period} counts from \
             an instant: computed from 00:00 of {d} ({}); the event may have happened later that day",
            cal.zone.name()
        )),
        When::At(_) => None,
    }
}

/// The extension over rest days of a day-based last day, as a step.
pub(crate) fn describe_last_day(
    cal: &Calendar,
    nominal: NaiveDate,
    last: NaiveDate,
    extended_over: &[NaiveDate],
    rule_cite: &str,
) -> Result<String, TimeError> {
    let kind = cal.day_kind(nominal)?;
    Ok(if extended_over.is_empty() {
        format!("{} is {}: no extension", fmt_day(nominal), kind.describe())
    } else {
        format!(
            "{} is {}; {} {} → the period ends on the next working day, {} ({rule_cite})",
            fmt_day(nominal),
            kind.describe(),
            if extended_over.len() == 1 { "rest day" } else { "rest days" },
            fmt_days(extended_over),
            fmt_day(last)
        )
    })
}
