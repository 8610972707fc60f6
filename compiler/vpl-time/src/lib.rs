//! The VPL time engine: computes the deadlines of legal periods ("within 2 days", "within
//! 5 working days", "within 6 months") under the rule an instrument's calendar names.
//!
//! Place in the pipeline: the evaluator of `vplc check` calls [`deadline`] with a row's period,
//! the trigger event's time and the instrument's [`Calendar`] (built from a `calendar`
//! declaration of the stdlib, such as `stdlib/calendars/cn.vpl`), and shows
//! [`Deadline::steps`] when asked to explain. The crate is pure: no file IO and no clock.
//!
//! Three period rules ([`PeriodRule`]):
//! - [`civil_code`] — PRC Civil Code arts. 200–204 (`civil-code-cn`);
//! - [`exact`] — plain elapsed time (`exact`);
//! - [`eu`] — Regulation (EEC, Euratom) No 1182/71 (`eu-1182-71`).
//!
//! Periods counted backwards from an event ("30 days before publishing") go through
//! [`deadline_before`], which documents the reading it takes.
//!
//! Each module documents the readings it takes where the law leaves room; `docs/time.md`
//! gathers them with worked examples.
//!
//! ```
//! use chrono::{DateTime, NaiveDate, Weekday};
//! use vpl_time::{deadline, Calendar, Period, PeriodRule, Unit, When};
//!
//! let day = |s: &str| s.parse::<NaiveDate>().unwrap();
//! let cn = Calendar::new(
//!     "cn", chrono_tz::Asia::Shanghai, PeriodRule::CivilCodeCn,
//!     vec![Weekday::Sat, Weekday::Sun], Some((2021, 2021)),
//!     (1..=7).map(|d| NaiveDate::from_ymd_opt(2021, 10, d).unwrap()),
//!     [day("2021-09-26"), day("2021-10-09")],
//! )?;
//! let start = When::At(DateTime::parse_from_rfc3339("2021-09-29T15:00:00+08:00").unwrap());
//! let d = deadline(&cn, &start, Period::new(2, Unit::Day))?;
//! assert_eq!(d.nominal_last_day, Some(day("2021-10-01")));   // a National Day holiday
//! assert_eq!(d.last_day, Some(day("2021-10-08")));           // first working day after
//! assert_eq!(d.due.to_rfc3339(), "2021-10-09T00:00:00+08:00"); // 2021-10-08 24:00
//! # Ok::<(), vpl_time::TimeError>(())
//! ```

mod before;
mod calendar;
pub mod civil_code;
mod deadline;
mod duration;
mod error;
pub mod eu;
pub mod exact;
mod period;
mod when;

pub use before::{deadline_before, deadline_before_under};
pub use calendar::{Calendar, CalendarSpec, DayKind};
pub use deadline::{day_period_end, deadline, deadline_quiet, deadline_under, judge_by, quiet_by_day, Deadline, Timing};
pub use duration::{elapsed, format_duration_human};
pub use error::TimeError;
pub use period::{Period, PeriodRule, Unit};
pub use when::{resolve_local, When};
