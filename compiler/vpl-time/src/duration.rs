//! Elapsed time between points of a case, and how to say it in words: what an `undetermined`
//! finding shows ("3 days 4 hours elapsed") and what `late` says ("late by 2 hours").

use chrono::{NaiveTime, TimeDelta};

use crate::When;

/// The time from `from` to `to` (negative if `to` is earlier).
///
/// Two instants: their plain difference. Two whole days: whole days between them. An instant
/// and a whole day: the day is taken as its 00:00 in the instant's own offset. (There is no
/// zone here; to count a whole day from 00:00 of a calendar's zone instead, convert it first
/// with [`When::instant_in`].)
pub fn elapsed(from: &When, to: &When) -> TimeDelta {
    match (from, to) {
        (When::At(a), When::At(b)) => b.signed_duration_since(*a),
        (When::Day(a), When::Day(b)) => b.signed_duration_since(*a),
        (When::At(a), When::Day(b)) => b.and_time(NaiveTime::MIN) - a.naive_local(),
        (When::Day(a), When::At(b)) => b.naive_local() - a.and_time(NaiveTime::MIN),
    }
}

/// A duration in words, to the minute (rounded down): "2 days 3 hours", "45 minutes",
/// "1 day 5 minutes". Under a minute it gives seconds ("30 seconds"), and "0 minutes" for
/// nothing at all. A negative duration is the same words after a minus sign: "-2 days 3 hours"
/// (the whole duration is negative).
pub fn format_duration_human(d: TimeDelta) -> String {
    let negative = d < TimeDelta::zero();
    let abs = d.abs();
    let secs = abs.num_seconds();
    let (days, hours, minutes, seconds) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60, secs % 60);
    let mut parts = Vec::new();
    for (n, one, many) in [(days, "day", "days"), (hours, "hour", "hours"), (minutes, "minute", "minutes")] {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    let words = if !parts.is_empty() {
        parts.join(" ")
    } else if seconds > 0 {
        format!("{seconds} {}", if seconds == 1 { "second" } else { "seconds" })
    } else if abs > TimeDelta::zero() {
        "less than a second".to_owned()
    } else {
        return "0 minutes".to_owned();
    };
    if negative {
        format!("-{words}")
    } else {
        words
    }
}
