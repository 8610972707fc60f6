//! The vocabulary of periods: which legal rule counts them, in which unit, and how many.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::TimeError;

/// How a legal instrument counts its periods. A calendar carries a default rule; a duty may
/// name another (see [`crate::deadline_under`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PeriodRule {
    /// PRC Civil Code arts. 200–204 (see [`crate::civil_code`] for the readings chosen).
    #[serde(rename = "civil-code-cn", alias = "civil_code_cn")]
    CivilCodeCn,
    /// Plain elapsed time, with no law of periods behind it (see [`crate::exact`]).
    #[serde(rename = "exact")]
    Exact,
    /// Regulation (EEC, Euratom) No 1182/71 determining the rules applicable to periods, dates
    /// and time limits, arts. 2–3 (see [`crate::eu`]).
    #[serde(rename = "eu-1182-71", alias = "eu_1182_71")]
    Eu118271,
}

impl PeriodRule {
    /// Every rule, in a stable order.
    pub const ALL: [PeriodRule; 3] = [PeriodRule::CivilCodeCn, PeriodRule::Exact, PeriodRule::Eu118271];

    /// The canonical name, as in JSON: `civil-code-cn`, `exact`, `eu-1182-71`.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodRule::CivilCodeCn => "civil-code-cn",
            PeriodRule::Exact => "exact",
            PeriodRule::Eu118271 => "eu-1182-71",
        }
    }

    /// The name as a VPL identifier: `civil_code_cn`, `exact`, `eu_1182_71`.
    pub fn ident(self) -> &'static str {
        match self {
            PeriodRule::CivilCodeCn => "civil_code_cn",
            PeriodRule::Exact => "exact",
            PeriodRule::Eu118271 => "eu_1182_71",
        }
    }

    /// Where the rule comes from, for explanations.
    pub fn source(self) -> &'static str {
        match self {
            PeriodRule::CivilCodeCn => "PRC Civil Code arts. 200-204",
            PeriodRule::Exact => "exact elapsed time (no statutory rule)",
            PeriodRule::Eu118271 => "Regulation (EEC, Euratom) No 1182/71 arts. 2-3",
        }
    }

    /// Whether the rule ever looks at rest days for this unit (and so needs the calendar to
    /// cover the dates involved).
    pub fn consults_rest_days(self, unit: Unit) -> bool {
        match self {
            PeriodRule::CivilCodeCn | PeriodRule::Eu118271 => unit != Unit::Hour,
            PeriodRule::Exact => unit == Unit::WorkingDay,
        }
    }
}

impl fmt::Display for PeriodRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PeriodRule {
    type Err = TimeError;

    /// Accepts the canonical names and the VPL identifiers.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PeriodRule::ALL
            .into_iter()
            .find(|r| r.as_str() == s || r.ident() == s)
            .ok_or_else(|| TimeError::UnknownRule(s.to_owned()))
    }
}

// The base duration units of VPL: `vpl_core`'s `BaseUnit` is this type, so a
// decision table's periods are counted as they are written.
/// The unit a period is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Hours (小时).
    Hour,
    /// Calendar days (日).
    Day,
    /// Working days (工作日): days the calendar does not mark as rest days.
    WorkingDay,
    /// Weeks: the PRC Civil Code has none, and reads them as 7 days.
    Week,
    /// Months (月).
    Month,
    /// Years (年).
    Year,
}

impl Unit {
    /// Every unit, in a stable order.
    pub const ALL: [Unit; 6] = [Unit::Hour, Unit::Day, Unit::WorkingDay, Unit::Week, Unit::Month, Unit::Year];

    /// The snake-case names, as in JSON and VPL, in the order of [`Unit::ALL`].
    pub const NAMES: [&'static str; 6] = ["hour", "day", "working_day", "week", "month", "year"];

    /// The unit of an exact snake-case name (`working_day`), as a VPL
    /// `unit` declaration writes it; [`FromStr`] also takes plurals and
    /// spellings with spaces or dashes.
    pub fn parse(s: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.as_str() == s)
    }

    /// "2 days", "1 working day".
    pub fn describe(self, n: i64) -> String {
        format!("{n} {}", self.words(u32::from(n != 1) + 1))
    }

    /// The snake-case name, as in JSON and VPL.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Hour => "hour",
            Unit::Day => "day",
            Unit::WorkingDay => "working_day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Year => "year",
        }
    }

    /// The English word, singular or plural: "1 working day", "2 working days".
    pub fn words(self, amount: u32) -> &'static str {
        let one = amount == 1;
        match self {
            Unit::Hour if one => "hour",
            Unit::Hour => "hours",
            Unit::Day if one => "day",
            Unit::Day => "days",
            Unit::WorkingDay if one => "working day",
            Unit::WorkingDay => "working days",
            Unit::Week if one => "week",
            Unit::Week => "weeks",
            Unit::Month if one => "month",
            Unit::Month => "months",
            Unit::Year if one => "year",
            Unit::Year => "years",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Unit {
    type Err = TimeError;

    /// Accepts singular and plural, with `_`, `-` or a space in "working day":
    /// `hour`, `hours`, `working_days`, `working day`…
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let singular = norm.strip_suffix('s').unwrap_or(&norm);
        Unit::ALL.into_iter().find(|u| u.as_str() == singular).ok_or_else(|| TimeError::UnknownUnit(s.to_owned()))
    }
}

/// A length of time as the law states it: "2 days", "6 months", "5 working days".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// How many units; at least 1 ([`crate::deadline`] returns [`TimeError::ZeroPeriod`] for 0).
    pub amount: u32,
    /// The unit.
    pub unit: Unit,
}

impl Period {
    /// A period of `amount` `unit`s.
    pub fn new(amount: u32, unit: Unit) -> Self {
        Period { amount, unit }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.unit.words(self.amount))
    }
}
