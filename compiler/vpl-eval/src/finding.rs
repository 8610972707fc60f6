//! Findings: what checking a case against a decision table says about each
//! applicable row. The JSON form is a public contract (`vplc schema findings`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use vpl_core::table::model::{Cite, Modality, Money};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Done in time (or, for a prohibition, not broken).
    Met,
    /// Done after the deadline.
    Late,
    /// Not done, and the deadline passed before `as_of`.
    Missed,
    /// Not done, not yet due.
    Pending,
    /// A prohibition was broken.
    Breached,
    /// A person must judge: an open-textured deadline, or missing data.
    Undetermined,
    /// The duty would apply, but an exception (`unless`) holds.
    Exempt,
    /// A permission (`may`): reported, never a violation.
    Permitted,
    /// An encouragement: reported, never a violation.
    Encouraged,
    /// The trigger happened before the instrument took effect.
    NotApplicable,
}

impl Status {
    pub const ALL: &'static [Status] = &[
        Status::Met,
        Status::Late,
        Status::Missed,
        Status::Pending,
        Status::Breached,
        Status::Undetermined,
        Status::Exempt,
        Status::Permitted,
        Status::Encouraged,
        Status::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Late => "late",
            Status::Missed => "missed",
            Status::Pending => "pending",
            Status::Breached => "breached",
            Status::Undetermined => "undetermined",
            Status::Exempt => "exempt",
            Status::Permitted => "permitted",
            Status::Encouraged => "encouraged",
            Status::NotApplicable => "not_applicable",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.iter().copied().find(|x| x.as_str() == s)
    }

    /// Late, missed and breached are violations: `vplc check` exits 1.
    pub fn is_violation(self) -> bool {
        matches!(self, Status::Late | Status::Missed | Status::Breached)
    }
}

/// One verdict: a row of the table applied to one actor of a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The duty's id in the policy.
    pub duty: String,
    /// The decision-table row (a duty whose condition has alternatives has several).
    pub row: String,
    pub cite: Cite,
    pub modality: Modality,
    /// The case actor the duty binds.
    pub actor: String,
    pub status: Status,
    /// The instrument is a draft: the finding says how it would apply if in force.
    pub draft: bool,
    /// The duty in plain words.
    pub summary: String,
    /// When the trigger event happened (RFC 3339, or a date for a whole day).
    pub trigger_at: Option<String>,
    /// The deadline: the instant by which the act had to be done (exclusive).
    pub due: Option<String>,
    /// The last day of the period, for day-based periods.
    pub last_day: Option<String>,
    /// When the act was done.
    pub done_at: Option<String>,
    /// How late, in words ("1 day 4 hours").
    pub late_by: Option<String>,
    pub late_by_seconds: Option<i64>,
    /// For open-textured deadlines: time from trigger to the act (or to `as_of`).
    pub elapsed: Option<String>,
    /// For a breach: the event that broke the prohibition.
    pub breached_by: Option<String>,
    /// What a person must judge, or why the status is what it is.
    pub note: Option<String>,
    pub penalty: Vec<PenaltyExposure>,
    /// How the verdict was reached, step by step (always filled; shown with `--explain`).
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PenaltyExposure {
    pub penalty: String,
    /// The instrument whose article sets it (e.g. `cn/csl-2016`).
    pub instrument: String,
    pub cite: Cite,
    pub measures: Vec<String>,
    pub fines: Vec<FineExposure>,
    /// How the version of the penalty was chosen, when the table holds more
    /// than one version of it (an amended law); `null` when it holds one.
    pub version: Option<PenaltyDating>,
}

/// The version of a penalty applies that was in force on the day the breach
/// is dated to (PRC Administrative Penalty Law art. 37; docs/readings.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PenaltyDating {
    /// The day the breach is dated to (`YYYY-MM-DD`, in the calendar's zone).
    pub dated: String,
    /// Why that day: the act, the late performance, or the as-of day of a
    /// breach that still continues.
    pub because: String,
    /// The day the chosen version took effect.
    pub in_force_from: Option<String>,
    /// The other versions of the penalty the table knows, and why they were not used.
    pub other_versions: Vec<OtherVersion>,
    /// Set when the deadline passed under another version than the one chosen.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OtherVersion {
    pub penalty: String,
    pub instrument: String,
    pub cite: Cite,
    pub effective: Option<String>,
    /// `earlier` or `later` than the version used.
    pub relation: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FineExposure {
    pub target: String,
    pub min: Money,
    pub max: Money,
    /// The aggravating condition, in words, if the tier has one.
    pub condition: Option<String>,
    /// Whether that condition holds on the case's facts (true when there is none;
    /// null when the case does not say).
    pub applies: Option<bool>,
}

/// Everything one instrument says about one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaseReport {
    pub case: String,
    pub title: Option<String>,
    pub instrument: String,
    /// A draft never binds; it is checked as if in force, and says so.
    pub draft: bool,
    pub instrument_status: String,
    pub as_of: String,
    pub findings: Vec<Finding>,
}

impl CaseReport {
    pub fn violations(&self) -> usize {
        self.findings.iter().filter(|f| f.status.is_violation()).count()
    }
}
