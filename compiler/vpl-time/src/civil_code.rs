//! `civil-code-cn`: periods under the PRC Civil Code, Book I, Chapter X (期间计算),
//! arts. 200–204.
//!
//! > 第二百条 民法所称的期间按照公历年、月、日、小时计算。
//! >
//! > 第二百零一条 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。
//! > 按照小时计算期间的，自法律规定或者当事人约定的时间开始计算。
//! >
//! > 第二百零二条 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。
//! >
//! > 第二百零三条 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
//! > 期间的最后一日的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间。
//! >
//! > 第二百零四条 期间的计算方法依照本法的规定，但是法律另有规定或者当事人另有约定的除外。
//!
//! Readings this engine takes (see also `docs/time.md`):
//!
//! - **Starting day** (art. 201 ¶1). The start instant is first converted into the calendar's
//!   zone (Beijing time for `cn`); the day it falls on there is the starting day, which is not
//!   counted: the period runs from 00:00 of the next day. A start given as a whole day is that
//!   day.
//! - **Days** (art. 201). N days end on the starting day + N.
//! - **Weeks.** Art. 200 knows years, months, days and hours only; a week is read as 7 days,
//!   which also makes it end on the same weekday as the starting day.
//! - **Months and years** (art. 202). The last day is the date in the due month that
//!   corresponds to the starting day; where the due month has no such date, its last day
//!   (Jan 31 + 1 month = Feb 28 or 29; 2020-02-29 + 1 year = 2021-02-28). A year is 12 months.
//! - **Rest days** (art. 203 ¶1). If the last day is a statutory rest day (法定休假日: a weekly
//!   rest day or a listed holiday, but not a make-up working day, which is a working day even
//!   on a Saturday), the period ends on the day after the rest ends: the first following
//!   working day. Rest days inside the period do not count for anything.
//! - **24:00** (art. 203 ¶2). The last day ends at 24:00, so the exclusive `due` instant is 00:00
//!   of the following day. The proviso for business hours (有业务时间的) is out of scope: a
//!   policy that needs it must say so.
//! - **Hours** (art. 201 ¶2). An hour period runs from the stated instant and lasts that many
//!   elapsed hours. It is not extended over rest days: art. 203 speaks of a period's "last day",
//!   which an hour period does not have (a reading; art. 204 lets laws provide otherwise).
//!   From a whole day it counts from 00:00 of that day and flags the result ambiguous.
//! - **Working days** (工作日, used by laws that define their own counts, such as the
//!   Administrative Penalty Law art. 85 and the Administrative Licensing Law art. 82, which
//!   art. 204 lets prevail). The starting day is not counted; N working days end at 24:00 of
//!   the Nth working day after it. Art. 203's extension never applies, since that day is a
//!   working day by construction.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use crate::deadline::{
    add_days, add_hours, add_months_clamped, describe_last_day, describe_start, fmt_day, fmt_days, fmt_instant, months_in,
    whole_day_ambiguity,
};
use crate::{Calendar, Deadline, Period, PeriodRule, TimeError, Unit, When};

const RULE: PeriodRule = PeriodRule::CivilCodeCn;

pub(crate) fn deadline(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    match period.unit {
        Unit::Hour => hours(cal, start, period),
        Unit::WorkingDay => working_days(cal, start, period),
        Unit::Day | Unit::Week | Unit::Month | Unit::Year => calendar_days(cal, start, cal.day_of(start), period, true),
    }
}

/// [`deadline`] without the `steps` of day, week, month and year periods
/// (the common case, computed on every check): the same result otherwise.
/// Unlike [`deadline`], this checks the starting day against the
/// calendar's years itself (as [`crate::deadline_under`] does before
/// calling [`deadline`]), working that day out once.
pub(crate) fn deadline_quiet(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    match period.unit {
        Unit::Day | Unit::Week | Unit::Month | Unit::Year => {
            let start_day = cal.day_of(start);
            cal.check_covered(start_day)?;
            calendar_days(cal, start, start_day, period, false)
        }
        Unit::Hour | Unit::WorkingDay => crate::deadline(cal, start, period),
    }
}

/// [`deadline_quiet`]'s end and last day for a day, week, month or year period, from the
/// starting day alone (see [`crate::day_period_end`]).
pub(crate) fn day_period_end(
    cal: &Calendar,
    start_day: NaiveDate,
    period: Period,
) -> Result<(DateTime<FixedOffset>, NaiveDate), TimeError> {
    cal.check_covered(start_day)?;
    // What `calendar_days` works out first, for its errors alone.
    cal.midnight_after(start_day)?;
    let last = cal.first_working_day_from(nominal_last_day(start_day, period)?)?;
    Ok((cal.midnight_after(last)?, last))
}

/// The last day of a day, week, month or year period before any extension over rest days:
/// `start_day` plus the period's days (a week read as 7), or the corresponding date of the
/// final month or that month's last day (arts. 201 ¶1, 202).
fn nominal_last_day(start_day: NaiveDate, period: Period) -> Result<NaiveDate, TimeError> {
    match months_in(period)? {
        Some(months) => add_months_clamped(start_day, months),
        None => add_days(start_day, u64::from(period.amount) * if period.unit == Unit::Week { 7 } else { 1 }),
    }
}

/// Art. 201 ¶2: from the stated time, elapsed hours.
fn hours(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    let runs_from = cal.instant_of(start)?;
    let due = add_hours(cal, runs_from, u64::from(period.amount))?;
    let from_midnight = if start.is_whole_day() { ", here 00:00 of that day" } else { "" };
    let steps = vec![
        format!(
            "{}; an hour period runs from the stated time{from_midnight} (Civil Code art. 201 ¶2)",
            describe_start(cal, start)?
        ),
        format!(
            "{period} of elapsed time → due {} (hour periods are not extended over rest days: \
             art. 203 concerns a period's last day)",
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

/// Arts. 201–203 for days, weeks, months and years.
/// `start_day` is `start`'s day in the calendar's zone. Inlined into
/// [`deadline_quiet`], so that the quiet path's result is built where it is
/// returned and its steps are known to be left out.
#[inline]
fn calendar_days(
    cal: &Calendar,
    start: &When,
    start_day: NaiveDate,
    period: Period,
    explain: bool,
) -> Result<Deadline, TimeError> {
    let runs_from = cal.midnight_after(start_day)?;
    let mut steps = Vec::new();
    if explain {
        steps.push(starting_day_step(cal, start, start_day)?);
    }

    let nominal = nominal_last_day(start_day, period)?;
    steps.push_if(explain, || match period.unit {
        Unit::Month | Unit::Year if nominal.day() == start_day.day() => format!(
            "{period} → the corresponding date of the due month, {}, is the last day (Civil Code art. 202)",
            fmt_day(nominal)
        ),
        Unit::Month | Unit::Year => format!(
            "{period} → the due month has no date corresponding to the {}th, so its last day, {}, \
             is the last day (Civil Code art. 202)",
            start_day.day(),
            fmt_day(nominal)
        ),
        Unit::Week => format!("{period}, read as {} days → nominal last day {}", u64::from(period.amount) * 7, fmt_day(nominal)),
        _ => format!("{period} → nominal last day {}", fmt_day(nominal)),
    });

    let (last, extended_over) = cal.working_day_from(nominal)?;
    if explain {
        steps.push(describe_last_day(cal, nominal, last, &extended_over, "Civil Code art. 203 ¶1")?);
    }
    let due = cal.midnight_after(last)?;
    steps.push_if(explain, || end_step(last, &due));
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

/// Working days: the Nth working day after the starting day, to its 24:00.
fn working_days(cal: &Calendar, start: &When, period: Period) -> Result<Deadline, TimeError> {
    let start_day = cal.day_of(start);
    let runs_from = cal.midnight_after(start_day)?;
    let mut steps = vec![starting_day_step(cal, start, start_day)?];
    let (last, skipped) = cal.nth_working_day_after(start_day, period.amount)?;
    let nominal = add_days(start_day, u64::from(period.amount))?;
    steps.push(if skipped.is_empty() {
        format!("{period}, no rest day among them → last day {}", fmt_day(last))
    } else {
        format!(
            "{period}, skipping rest days {} → last day {}; {} calendar days would have ended on {}",
            fmt_days(&skipped),
            fmt_day(last),
            period.amount,
            fmt_day(nominal)
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

fn starting_day_step(cal: &Calendar, start: &When, start_day: NaiveDate) -> Result<String, TimeError> {
    let first = add_days(start_day, 1)?;
    Ok(format!(
        "{}; starting day {start_day} not counted, the period runs from {first} (Civil Code art. 201 ¶1)",
        describe_start(cal, start)?
    ))
}

fn end_step(last: NaiveDate, due: &DateTime<FixedOffset>) -> String {
    format!(
        "the period ends {last} 24:00 → due {} (Civil Code art. 203 ¶2; the business-hours proviso is not applied)",
        fmt_instant(due)
    )
}

/// Pushing a step only when steps are wanted.
trait PushIf {
    fn push_if(&mut self, on: bool, step: impl FnOnce() -> String);
}

impl PushIf for Vec<String> {
    #[inline]
    fn push_if(&mut self, on: bool, step: impl FnOnce() -> String) {
        if on {
            self.push(step());
        }
    }
}
