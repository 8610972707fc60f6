//! What can go wrong when computing with legal time. Every variant is a plain value with a
//! message a compliance engineer can act on; none of them is ever turned into a guess.

use chrono::{NaiveDate, NaiveDateTime};

/// An error of the time engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// The computation needs to know whether `date` is a rest day, and the calendar's holiday
    /// data does not cover its year.
    #[error(
        "{date} is outside the years calendar `{calendar}` covers ({first}..{last}): \
         its rest days and make-up working days are not known"
    )]
    OutsideCalendar {
        /// The calendar's name.
        calendar: String,
        /// The date that was needed.
        date: NaiveDate,
        /// First year with data.
        first: i32,
        /// Last year with data.
        last: i32,
    },

    /// A period of zero units: the law never sets one, so it is a mistake in the policy.
    #[error("a period must be at least 1 unit long, not 0")]
    ZeroPeriod,

    /// The period ends beyond the dates this engine can represent.
    #[error("the period is too long: its end lies beyond the dates that can be represented")]
    Overflow,

    /// A calendar lists the same date both as a rest day and as a make-up working day.
    #[error("calendar `{calendar}` lists {date} both as a rest day and as a working day")]
    ConflictingDay {
        /// The calendar's name.
        calendar: String,
        /// The date listed twice.
        date: NaiveDate,
    },

    /// A calendar's `covers` range runs backwards.
    #[error("calendar `{calendar}` covers {first}..{last}: the first year is after the last")]
    InvalidCovers {
        /// The calendar's name.
        calendar: String,
        /// First year given.
        first: i32,
        /// Last year given.
        last: i32,
    },

    /// A local wall-clock time could not be placed on the time line of the zone. The engine
    /// resolves times skipped or repeated by a daylight-saving change itself (see
    /// [`crate::resolve_local`]), so this only happens at the very ends of the representable
    /// range.
    #[error("the local time {local} could not be placed in time zone {zone}")]
    AmbiguousLocalTime {
        /// The local wall-clock time.
        local: NaiveDateTime,
        /// The zone's IANA name.
        zone: String,
    },

    /// Searching for the next working day found none: the calendar rests every day.
    #[error("calendar `{calendar}` has no working day within {searched} days of {after}")]
    NoWorkingDay {
        /// The calendar's name.
        calendar: String,
        /// Where the search started (it runs forwards, or backwards for a period counted back).
        after: NaiveDate,
        /// How many days were searched.
        searched: u32,
    },

    /// Text that names no period rule.
    #[error("unknown period rule `{0}`: expected civil-code-cn, exact or eu-1182-71")]
    UnknownRule(String),

    /// Text that names no unit.
    #[error("unknown unit `{0}`: expected hour, day, working_day, week, month or year")]
    UnknownUnit(String),

    /// Text that is neither a date-time with offset nor a date.
    #[error(
        "`{0}` is neither a date-time with an offset (2021-11-24T10:00:00+08:00) \
         nor a date (2021-11-24)"
    )]
    InvalidWhen(String),
}
