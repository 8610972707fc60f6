//! Points in time as case files give them, and how they are placed in a calendar's zone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::TimeError;

/// A point in time as a case file gives it: an exact instant with its offset, or a whole
/// calendar day (a date with no time).
///
/// In JSON a `When` is a string: an RFC 3339 date-time with offset
/// (`"2021-11-24T10:00:00+08:00"`) or a date (`"2021-12-09"`). A date-time without an offset is
/// refused: the zone it was meant in is exactly what a deadline depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// An exact instant, with the offset it was recorded in.
    At(DateTime<FixedOffset>),
    /// A whole day, time unknown. Fine for day-based periods (the starting day is what counts);
    /// ambiguous for hour periods and exact elapsed time, which then count from 00:00 of the day
    /// in the calendar's zone and say so.
    Day(NaiveDate),
}

impl When {
    /// The calendar day this point falls on in `zone` (for an instant, after converting it to
    /// the zone: 23:30 +00:00 is already the next day in Asia/Shanghai).
    pub fn day_in(&self, zone: Tz) -> NaiveDate {
        match self {
            When::At(t) => t.with_timezone(&zone).date_naive(),
            When::Day(d) => *d,
        }
    }

    /// The instant this point stands for in `zone`, expressed with the zone's offset: an instant
    /// as is, a whole day as its first instant (00:00, or the end of a daylight-saving gap that
    /// swallows midnight).
    pub fn instant_in(&self, zone: Tz) -> Result<DateTime<FixedOffset>, TimeError> {
        match self {
            When::At(t) => Ok(t.with_timezone(&zone).fixed_offset()),
            When::Day(d) => Ok(resolve_local(zone, d.and_time(NaiveTime::MIN))?.fixed_offset()),
        }
    }

    /// Whether this is a whole day rather than an instant.
    pub fn is_whole_day(&self) -> bool {
        matches!(self, When::Day(_))
    }

    /// Whether `other` is written the same: the same day, or the same
    /// instant with the same offset. (`==` compares instants, so
    /// `08:00+08:00` equals `00:00Z`; they are shown differently.)
    pub fn same_as_written(&self, other: &When) -> bool {
        match (self, other) {
            (When::Day(x), When::Day(y)) => x == y,
            (When::At(x), When::At(y)) => x == y && x.offset() == y.offset(),
            _ => false,
        }
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::At(t) => f.write_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)),
            When::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        }
    }
}

impl FromStr for When {
    type Err = TimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(When::At(t));
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map(When::Day).map_err(|_| TimeError::InvalidWhen(s.to_owned()))
    }
}

impl From<DateTime<FixedOffset>> for When {
    fn from(t: DateTime<FixedOffset>) -> Self {
        When::At(t)
    }
}

impl From<NaiveDate> for When {
    fn from(d: NaiveDate) -> Self {
        When::Day(d)
    }
}

impl Serialize for When {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Places a local wall-clock time of `zone` on the time line, never failing for a time a
/// daylight-saving change skips or repeats:
///
/// - a time that occurs twice (clocks turned back) is its **earlier** occurrence;
/// - a time that does not occur (clocks turned forward) is the **first instant after the gap**,
///   the moment the clocks jump (in Europe/Brussels, 02:30 on the last Sunday of March is
///   03:00 CEST). For a deadline this is the natural reading: a day whose midnight is skipped
///   ends when the next day begins.
///
/// Errors only at the ends of the representable range.
pub fn resolve_local(zone: Tz, local: NaiveDateTime) -> Result<DateTime<Tz>, TimeError> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t),
        LocalResult::Ambiguous(a, b) => Ok(if a <= b { a } else { b }),
        LocalResult::None => first_instant_reaching(zone, local),
    }
}

/// The first instant whose wall-clock time in `zone` is at or after `local`, found by bisecting
/// the 72 hours around it (offsets are well under 36 hours, and wall-clock time only moves
/// forward there except at a turn-back, which leaves a crossing point all the same).
fn first_instant_reaching(zone: Tz, local: NaiveDateTime) -> Result<DateTime<Tz>, TimeError> {
    let unplaceable = || TimeError::AmbiguousLocalTime { local, zone: zone.name().to_owned() };
    let wall = |u: DateTime<Utc>| u.with_timezone(&zone).naive_local();
    let base = local.and_utc();
    let mut lo = base.checked_sub_signed(TimeDelta::hours(36)).ok_or_else(unplaceable)?;
    let mut hi = base.checked_add_signed(TimeDelta::hours(36)).ok_or_else(unplaceable)?;
    if !(wall(lo) < local && wall(hi) >= local) {
        return Err(unplaceable());
    }
    // Invariant: wall(lo) < local <= wall(hi). About 48 halvings reach one nanosecond.
    while hi - lo > TimeDelta::nanoseconds(1) {
        let mid = lo + (hi - lo) / 2;
        if wall(mid) >= local {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(hi.with_timezone(&zone))
}
