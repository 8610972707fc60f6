//! Calendars: a time zone, a default period rule, the weekly rest days, and the year-by-year
//! lists of public-holiday rest days and make-up working days (调休上班) that an authority
//! publishes. The data is what the `calendar` declarations of the stdlib hold
//! (`stdlib/calendars/cn.vpl`); this module only answers "is this a rest day?".

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::{PeriodRule, TimeError};

/// How many consecutive rest days a search for the next working day walks through before it
/// gives up with [`TimeError::NoWorkingDay`] (only reachable for a calendar that rests on
/// every day of the week and has no `covers` range to stop it).
pub(crate) const MAX_REST_RUN: u32 = 3660;

/// A calendar: where (zone), how periods are counted by default (rule), and which days are
/// rest days.
///
/// A day is a **rest day** if it is a weekly rest day (`weekend`) or a listed holiday, unless it
/// is listed as a make-up working day, which is a working day even on a Saturday. When
/// `covers` is `Some((first, last))` the holiday data is complete only for those years, and
/// asking about any other year is an error ([`TimeError::OutsideCalendar`]), never a guess.
/// When it is `None`, the lists are taken as complete for all time (a calendar with no
/// holidays at all, say).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "CalendarSpec", into = "CalendarSpec")]
pub struct Calendar {
    /// The calendar's name in VPL (`cn`).
    pub name: String,
    /// The IANA time zone in which days begin and end.
    pub zone: Tz,
    /// The period rule duties use unless they name another.
    pub rule: PeriodRule,
    /// Weekly rest days, in Monday-first order, without repeats.
    weekend: Vec<Weekday>,
    rest_days: BTreeSet<NaiveDate>,
    work_days: BTreeSet<NaiveDate>,
    covers: Option<(i32, i32)>,
    /// The kind of every day of the covered years, precomputed for O(1) lookups (empty when
    /// `covers` is `None` or spans more than [`MAX_TABLE_YEARS`]; lookups then use the sets).
    table: DayTable,
    /// Where the zone keeps one offset all through the covered years (Beijing time has been
    /// UTC+8 all year since 1991), so that placing a time in the zone is arithmetic.
    steady: Option<Steady>,
}

/// A stretch of UTC time over which a zone's offset from UTC does not change.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Steady {
    offset: FixedOffset,
    /// The UTC date of its first instant and of the first instant after it, both UTC
    /// midnights: an instant is in the stretch if its UTC date is in `from_day..until_day`,
    /// one comparison of dates.
    from_day: NaiveDate,
    until_day: NaiveDate,
    /// Where a local day begins in UTC: on the UTC day before it (a zone east of UTC) or on
    /// the same UTC day, at this UTC time of day. Beijing time: 16:00 of the day before.
    /// With these, a day's first instant is a date and a time put together, not a sum of
    /// offsets worked out by the general conversion on every call.
    day_begins_day_before: bool,
    day_begins_at: NaiveTime,
}

impl Steady {
    /// The covered years, if the zone keeps one offset through them: its offset is sampled
    /// every six hours from two days before the first covered year to two days after the last,
    /// and all samples must agree. No zone has changed its offset and changed it back within
    /// six hours. The margins keep every instant of the stretch more than a day away from any
    /// other offset, so a local time inside it has exactly one instant.
    fn find(zone: Tz, (first, last): (i32, i32)) -> Option<Steady> {
        const MARGIN: i64 = 2 * 86_400;
        let at = |y: i32| Some(NaiveDate::from_ymd_opt(y, 1, 1)?.and_time(NaiveTime::MIN).and_utc().timestamp());
        let (from, until) = (at(first)?, at(last.checked_add(1)?)?);
        let offset_at = |t: i64| Some(zone.offset_from_utc_datetime(&DateTime::from_timestamp(t, 0)?.naive_utc()).fix());
        let offset = offset_at(from - MARGIN)?;
        let mut t = from - MARGIN;
        while t < until + MARGIN {
            if offset_at(t)? != offset {
                return None;
            }
            t += 6 * 3600;
        }
        let utc_day = |t: i64| Some(DateTime::from_timestamp(t, 0)?.date_naive());
        let (from_day, until_day) = (utc_day(from)?, utc_day(until)?);
        // Local 00:00 is UTC 00:00 minus the offset (which chrono keeps within ±24 hours).
        let east = offset.local_minus_utc();
        let day_begins_at = NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from((-east).rem_euclid(86_400)).ok()?, 0)?;
        let steady = Steady { offset, from_day, until_day, day_begins_day_before: east > 0, day_begins_at };
        (offset_at(until + MARGIN)? == offset).then_some(steady)
    }

    /// Whether the stretch holds the instant of UTC date and time `utc`.
    #[inline(always)]
    fn covers_utc(&self, utc: &NaiveDateTime) -> bool {
        (self.from_day..self.until_day).contains(&utc.date())
    }

    /// The first instant of local day `d`, if it lies in the stretch.
    #[inline(always)]
    fn start_of(&self, d: NaiveDate) -> Option<DateTime<FixedOffset>> {
        let day = if self.day_begins_day_before { d.pred_opt()? } else { d };
        let utc = NaiveDateTime::new(day, self.day_begins_at);
        self.covers_utc(&utc).then(|| DateTime::from_naive_utc_and_offset(utc, self.offset))
    }

    /// [`Calendar::place`] of `w`, if it lies in the stretch.
    #[inline(always)]
    fn place(&self, w: &crate::When) -> Option<(DateTime<FixedOffset>, NaiveDate)> {
        match w {
            crate::When::At(t) => {
                let utc = t.naive_utc();
                if !self.covers_utc(&utc) {
                    return None;
                }
                Some((t.with_timezone(&self.offset), self.day_of_utc(&utc)?))
            }
            crate::When::Day(d) => Some((self.start_of(*d)?, *d)),
        }
    }

    /// The local day of UTC date and time `utc` (in the stretch): its UTC date, or the day
    /// before or after where the offset carries its time of day past a midnight.
    #[inline(always)]
    fn day_of_utc(&self, utc: &NaiveDateTime) -> Option<NaiveDate> {
        let secs = i64::from(utc.time().num_seconds_from_midnight()) + i64::from(self.offset.local_minus_utc());
        match secs.div_euclid(86_400) {
            0 => Some(utc.date()),
            1 => utc.date().succ_opt(),
            -1 => utc.date().pred_opt(),
            _ => None,
        }
    }
}

/// Calendars covering more years than this keep no day table.
const MAX_TABLE_YEARS: i32 = 400;

/// [`DayKind`] of each day from `first` on, one byte a day.
#[derive(Debug, Clone, PartialEq, Default)]
struct DayTable {
    /// Days since the Common Era of `kinds[0]`.
    first: i32,
    kinds: Vec<DayKind>,
}

impl DayTable {
    #[inline]
    fn get(&self, d: NaiveDate) -> Option<DayKind> {
        let i = usize::try_from(d.num_days_from_ce().checked_sub(self.first)?).ok()?;
        self.kinds.get(i).copied()
    }
}

/// What kind of day a date is in a calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary working day.
    Working,
    /// A listed make-up working day (调休上班): a working day, even on a weekly rest day.
    MakeUpWorking,
    /// A weekly rest day (Saturday or Sunday in most calendars).
    WeeklyRest,
    /// A listed public-holiday rest day.
    Holiday,
}

impl DayKind {
    /// Whether the day is a rest day (a statutory rest day, 法定休假日, in the Civil Code's
    /// words; a public holiday, Saturday or Sunday in Regulation 1182/71's).
    pub fn is_rest(self) -> bool {
        matches!(self, DayKind::WeeklyRest | DayKind::Holiday)
    }

    /// A few words for explanations.
    pub fn describe(self) -> &'static str {
        match self {
            DayKind::Working => "a working day",
            DayKind::MakeUpWorking => "a make-up working day, so a working day",
            DayKind::WeeklyRest => "a weekly rest day",
            DayKind::Holiday => "a public holiday",
        }
    }
}

impl Calendar {
    /// A calendar from its parts. Errors if a date is listed both as a rest day and as a
    /// working day, if `covers` runs backwards, or if a listed date falls outside `covers`.
    pub fn new(
        name: impl Into<String>,
        zone: Tz,
        rule: PeriodRule,
        weekend: Vec<Weekday>,
        covers: Option<(i32, i32)>,
        rest: impl IntoIterator<Item = NaiveDate>,
        work: impl IntoIterator<Item = NaiveDate>,
    ) -> Result<Self, TimeError> {
        let mut weekend = weekend;
        weekend.sort_by_key(|w| w.num_days_from_monday());
        weekend.dedup();
        let mut cal = Calendar {
            name: name.into(),
            zone,
            rule,
            weekend,
            rest_days: BTreeSet::new(),
            work_days: BTreeSet::new(),
            covers,
            table: DayTable::default(),
            steady: None,
        };
        if let Some((first, last)) = covers {
            if first > last {
                return Err(TimeError::InvalidCovers { calendar: cal.name, first, last });
            }
        }
        for d in rest {
            cal.check_covered(d)?;
            cal.rest_days.insert(d);
        }
        for d in work {
            cal.check_covered(d)?;
            if cal.rest_days.contains(&d) {
                return Err(TimeError::ConflictingDay { calendar: cal.name, date: d });
            }
            cal.work_days.insert(d);
        }
        if let Some((first, last)) = covers.filter(|(f, l)| l - f < MAX_TABLE_YEARS) {
            let start = NaiveDate::from_ymd_opt(first, 1, 1);
            let end = NaiveDate::from_ymd_opt(last, 12, 31);
            if let (Some(start), Some(end)) = (start, end) {
                let kinds = start.iter_days().take_while(|d| *d <= end).map(|d| cal.kind_from_sets(d)).collect();
                cal.table = DayTable { first: start.num_days_from_ce(), kinds };
            }
            cal.steady = Steady::find(zone, (first, last));
        }
        Ok(cal)
    }

    /// A calendar with Saturday and Sunday as weekly rest days and no holidays, valid for all
    /// time: what an `exact` or a test calendar needs.
    pub fn without_holidays(name: impl Into<String>, zone: Tz, rule: PeriodRule) -> Self {
        Calendar {
            name: name.into(),
            zone,
            rule,
            weekend: vec![Weekday::Sat, Weekday::Sun],
            rest_days: BTreeSet::new(),
            work_days: BTreeSet::new(),
            covers: None,
            table: DayTable::default(),
            steady: None,
        }
    }

    /// The day `w` falls on in the calendar's zone: what [`When::day_in`] gives, without a
    /// search of the zone's transitions where the zone keeps one offset.
    #[inline]
    pub fn day_of(&self, w: &crate::When) -> NaiveDate {
        if let (crate::When::At(t), Some(s)) = (w, &self.steady) {
            let utc = t.naive_utc();
            if s.covers_utc(&utc) {
                if let Some(day) = s.day_of_utc(&utc) {
                    return day;
                }
            }
        }
        w.day_in(self.zone)
    }

    /// The instant `w` stands for in the calendar's zone, with the zone's offset: what
    /// [`When::instant_in`] gives, by arithmetic where the zone keeps one offset.
    pub fn instant_of(&self, w: &crate::When) -> Result<DateTime<FixedOffset>, TimeError> {
        match (w, self.steady) {
            (crate::When::At(t), Some(s)) if s.covers_utc(&t.naive_utc()) => Ok(t.with_timezone(&s.offset)),
            (crate::When::Day(d), Some(_)) => self.start_of(*d),
            _ => w.instant_in(self.zone),
        }
    }

    /// Both [`Calendar::instant_of`] and [`Calendar::day_of`] of `w`, in one step: what an
    /// evaluator needs of every event of a case. Inlined, with the arithmetic of a steady
    /// offset, into the evaluator's loop over a case's events: no call per event.
    #[inline]
    pub fn place(&self, w: &crate::When) -> Result<(DateTime<FixedOffset>, NaiveDate), TimeError> {
        match self.steady.as_ref().and_then(|s| s.place(w)) {
            Some(placed) => Ok(placed),
            None => self.place_by_zone(w),
        }
    }

    /// [`Calendar::place`] by the zone's rules.
    fn place_by_zone(&self, w: &crate::When) -> Result<(DateTime<FixedOffset>, NaiveDate), TimeError> {
        Ok((w.instant_in(self.zone)?, w.day_in(self.zone)))
    }

    /// The first instant of `d` in the calendar's zone (00:00, or the end of a gap that
    /// swallows midnight).
    #[inline]
    pub fn start_of(&self, d: NaiveDate) -> Result<DateTime<FixedOffset>, TimeError> {
        match self.steady.as_ref().and_then(|s| s.start_of(d)) {
            Some(t) => Ok(t),
            None => self.start_of_by_zone(d),
        }
    }

    /// [`Calendar::start_of`] by the zone's rules.
    fn start_of_by_zone(&self, d: NaiveDate) -> Result<DateTime<FixedOffset>, TimeError> {
        Ok(crate::when::resolve_local(self.zone, d.and_time(NaiveTime::MIN))?.fixed_offset())
    }

    /// The instant the day after `d` begins in the calendar's zone (24:00 of `d`).
    #[inline]
    pub fn midnight_after(&self, d: NaiveDate) -> Result<DateTime<FixedOffset>, TimeError> {
        self.start_of(d.succ_opt().ok_or(TimeError::Overflow)?)
    }

    /// `t` expressed in the calendar's zone.
    pub fn in_zone(&self, t: DateTime<FixedOffset>) -> DateTime<FixedOffset> {
        match self.steady {
            Some(s) if s.covers_utc(&t.naive_utc()) => t.with_timezone(&s.offset),
            _ => t.with_timezone(&self.zone).fixed_offset(),
        }
    }

    /// The first and last year the holiday data covers, if it is limited.
    pub fn covers(&self) -> Option<(i32, i32)> {
        self.covers
    }

    /// The weekly rest days, Monday first.
    pub fn weekend(&self) -> &[Weekday] {
        &self.weekend
    }

    /// The listed holiday rest days, in order.
    pub fn rest_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.rest_days.iter().copied()
    }

    /// The listed make-up working days, in order.
    pub fn work_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.work_days.iter().copied()
    }

    /// `Ok(())` if the calendar's data covers `d`'s year.
    pub fn check_covered(&self, d: NaiveDate) -> Result<(), TimeError> {
        match self.covers {
            Some((first, last)) if !(first..=last).contains(&d.year()) => {
                Err(TimeError::OutsideCalendar { calendar: self.name.clone(), date: d, first, last })
            }
            _ => Ok(()),
        }
    }

    /// What kind of day `d` is. Errors if `d` is outside the years covered.
    pub fn day_kind(&self, d: NaiveDate) -> Result<DayKind, TimeError> {
        if let Some(kind) = self.table.get(d) {
            return Ok(kind);
        }
        self.check_covered(d)?;
        Ok(self.kind_from_sets(d))
    }

    /// What kind of day `d` is, from the lists and the weekly rest days.
    fn kind_from_sets(&self, d: NaiveDate) -> DayKind {
        if self.work_days.contains(&d) {
            DayKind::MakeUpWorking
        } else if self.rest_days.contains(&d) {
            DayKind::Holiday
        } else if self.weekend.contains(&d.weekday()) {
            DayKind::WeeklyRest
        } else {
            DayKind::Working
        }
    }

    /// Whether `d` is a rest day: a weekly rest day or a listed holiday, and not a make-up
    /// working day. Errors if `d` is outside the years covered.
    #[inline]
    pub fn is_rest_day(&self, d: NaiveDate) -> Result<bool, TimeError> {
        match self.table.get(d) {
            Some(kind) => Ok(kind.is_rest()),
            None => Ok(self.day_kind(d)?.is_rest()),
        }
    }

    /// Whether `d` is a working day (not a rest day). Errors if `d` is outside the years covered.
    pub fn is_working_day(&self, d: NaiveDate) -> Result<bool, TimeError> {
        Ok(!self.is_rest_day(d)?)
    }

    /// [`Calendar::working_day_from`]'s day alone, the rest days passed not listed.
    pub(crate) fn first_working_day_from(&self, d: NaiveDate) -> Result<NaiveDate, TimeError> {
        let mut day = d;
        let mut passed = 0;
        while self.is_rest_day(day)? {
            if passed >= MAX_REST_RUN {
                return Err(TimeError::NoWorkingDay { calendar: self.name.clone(), after: d, searched: MAX_REST_RUN });
            }
            passed += 1;
            day = day.succ_opt().ok_or(TimeError::Overflow)?;
        }
        Ok(day)
    }

    /// The first working day at or after `d`, with the rest days passed on the way.
    pub(crate) fn working_day_from(&self, d: NaiveDate) -> Result<(NaiveDate, Vec<NaiveDate>), TimeError> {
        let day = self.first_working_day_from(d)?;
        // Every day from `d` up to it is a rest day.
        Ok((day, d.iter_days().take_while(|x| *x < day).collect()))
    }

    /// Counts `n` working days before `end` (which is not counted): the `n`th working day
    /// back, and the rest days skipped on the way (in date order).
    pub(crate) fn nth_working_day_before(&self, end: NaiveDate, n: u32) -> Result<(NaiveDate, Vec<NaiveDate>), TimeError> {
        let mut day = end;
        let mut skipped = Vec::new();
        for _ in 0..n {
            let mut run = 0;
            day = day.pred_opt().ok_or(TimeError::Overflow)?;
            while self.is_rest_day(day)? {
                run += 1;
                if run > MAX_REST_RUN {
                    return Err(TimeError::NoWorkingDay { calendar: self.name.clone(), after: end, searched: MAX_REST_RUN });
                }
                skipped.push(day);
                day = day.pred_opt().ok_or(TimeError::Overflow)?;
            }
        }
        skipped.reverse();
        Ok((day, skipped))
    }

    /// Counts `n` working days after `start` (which is not counted): the `n`th working day, and
    /// the rest days skipped on the way.
    pub(crate) fn nth_working_day_after(&self, start: NaiveDate, n: u32) -> Result<(NaiveDate, Vec<NaiveDate>), TimeError> {
        let mut day = start;
        let mut skipped = Vec::new();
        for _ in 0..n {
            let next = day.succ_opt().ok_or(TimeError::Overflow)?;
            let (working, passed) = self.working_day_from(next)?;
            skipped.extend(passed);
            day = working;
        }
        Ok((day, skipped))
    }
}

/// The data form of a [`Calendar`], as serialised: every field public, not yet checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// The calendar's name.
    pub name: String,
    /// IANA zone name.
    pub zone: Tz,
    /// Default period rule.
    pub rule: PeriodRule,
    /// Weekly rest days.
    pub weekend: Vec<Weekday>,
    /// First and last year with data, if limited.
    #[serde(default)]
    pub covers: Option<(i32, i32)>,
    /// Listed holiday rest days.
    #[serde(default)]
    pub rest: Vec<NaiveDate>,
    /// Listed make-up working days.
    #[serde(default)]
    pub work: Vec<NaiveDate>,
}

impl TryFrom<CalendarSpec> for Calendar {
    type Error = TimeError;

    fn try_from(spec: CalendarSpec) -> Result<Self, Self::Error> {
        Calendar::new(spec.name, spec.zone, spec.rule, spec.weekend, spec.covers, spec.rest, spec.work)
    }
}

impl From<Calendar> for CalendarSpec {
    fn from(cal: Calendar) -> Self {
        CalendarSpec {
            name: cal.name,
            zone: cal.zone,
            rule: cal.rule,
            weekend: cal.weekend,
            covers: cal.covers,
            rest: cal.rest_days.into_iter().collect(),
            work: cal.work_days.into_iter().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_table_says_what_the_lists_say() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or_else(|e| unreachable!("{s}: {e}"));
        let cal = Calendar::new(
            "t",
            chrono_tz::Asia::Shanghai,
            PeriodRule::CivilCodeCn,
            vec![Weekday::Sat, Weekday::Sun],
            Some((2020, 2021)),
            [d("2020-01-01"), d("2021-10-01"), d("2021-12-31")],
            [d("2021-10-09"), d("2020-01-19")],
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(cal.table.kinds.len(), 366 + 365);
        let mut day = d("2019-12-01");
        while day < d("2022-02-01") {
            let expected = cal.check_covered(day).map(|()| cal.kind_from_sets(day));
            assert_eq!(cal.day_kind(day), expected, "{day}");
            day = day.succ_opt().unwrap_or_else(|| unreachable!());
        }
        assert_eq!(cal.day_kind(d("2021-10-09")), Ok(DayKind::MakeUpWorking));
        assert_eq!(cal.day_kind(d("2021-10-01")), Ok(DayKind::Holiday));
        assert_eq!(cal.day_kind(d("2021-10-02")), Ok(DayKind::WeeklyRest));
    }

    #[test]
    fn a_zone_with_one_offset_is_placed_by_arithmetic_and_one_with_summer_time_is_not() {
        let shanghai = chrono_tz::Asia::Shanghai;
        let cn = Calendar::new("cn", shanghai, PeriodRule::CivilCodeCn, vec![], Some((2019, 2026)), [], []);
        let steady = cn.ok().and_then(|c| c.steady);
        assert_eq!(steady.map(|s| s.offset.local_minus_utc()), Some(8 * 3600));
        let brussels = chrono_tz::Europe::Brussels;
        let eu = Calendar::new("eu", brussels, PeriodRule::Eu118271, vec![], Some((2019, 2026)), [], []);
        assert_eq!(eu.ok().map(|c| c.steady), Some(None));
        // Shanghai kept summer time until 1991: no steady stretch over those years.
        let old = Calendar::new("old", shanghai, PeriodRule::CivilCodeCn, vec![], Some((1986, 1992)), [], []);
        assert_eq!(old.ok().map(|c| c.steady), Some(None));
    }

    #[test]
    fn arithmetic_on_a_steady_offset_agrees_with_the_zone_rules() {
        use chrono::TimeDelta;
        // East and west of UTC, on it, by a fraction of an hour, and by more than half a day.
        let zones = [
            chrono_tz::Asia::Shanghai,
            chrono_tz::UTC,
            chrono_tz::America::Bogota,
            chrono_tz::Asia::Kathmandu,
            chrono_tz::Pacific::Kiritimati,
            chrono_tz::Pacific::Pago_Pago,
        ];
        for zone in zones {
            let cal = Calendar::new("t", zone, PeriodRule::CivilCodeCn, vec![], Some((2019, 2021)), [], [])
                .unwrap_or_else(|e| unreachable!("{e}"));
            assert!(cal.steady.is_some(), "{zone}");
            let mut day = NaiveDate::from_ymd_opt(2018, 12, 28).unwrap_or_default();
            while day < NaiveDate::from_ymd_opt(2022, 1, 4).unwrap_or_default() {
                let w = crate::When::Day(day);
                let by_zone = crate::when::resolve_local(zone, day.and_time(NaiveTime::MIN)).map(|t| t.fixed_offset());
                assert_eq!(cal.start_of(day), by_zone.clone(), "{zone} {day}");
                assert_eq!(cal.place(&w), by_zone.clone().map(|t| (t, day)), "{zone} {day}");
                assert_eq!(cal.day_of(&w), day);
                // Instants around the UTC and the local midnights, and a leap second.
                let utc = day.and_time(NaiveTime::MIN).and_utc();
                let mut instants: Vec<DateTime<FixedOffset>> = [-1, 0, 1, 3600, 43_200, 86_399]
                    .into_iter()
                    .flat_map(|s| {
                        [utc + TimeDelta::seconds(s), by_zone.as_ref().map_or(utc, |t| t.to_utc()) + TimeDelta::seconds(s)]
                    })
                    .map(|t| t.fixed_offset())
                    .collect();
                instants.extend(
                    NaiveTime::from_hms_nano_opt(23, 59, 59, 1_500_000_000).map(|t| day.and_time(t).and_utc().fixed_offset()),
                );
                for t in instants {
                    let w = crate::When::At(t);
                    let expected = (t.with_timezone(&zone).fixed_offset(), t.with_timezone(&zone).date_naive());
                    assert_eq!(cal.place(&w), Ok(expected), "{zone} {t}");
                    assert_eq!(cal.day_of(&w), expected.1, "{zone} {t}");
                }
                day = day.succ_opt().unwrap_or_default();
            }
        }
    }
}
