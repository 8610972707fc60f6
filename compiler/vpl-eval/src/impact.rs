//! Case impact of an amendment: one case checked under the old and the new
//! version of an instrument, duty by duty (duties matched as
//! [`vpl_core::diff::pairs`] matches them), keeping the duties whose verdict
//! for an actor changes. A verdict changes when its status changes, when the
//! duty starts or stops applying to the actor, or — for a violation — when
//! the penalties it exposes to change.

use crate::case::Case;
use crate::eval::{check_case_with, Compiled, Options};
use crate::finding::{Finding, Status};
use schemars::JsonSchema;
use serde::Serialize;
use vpl_core::diff::{Change, ChangeKind, DutyPair, TableDiff};
use vpl_time::When;

/// What one version says about one duty for one actor (one entry per
/// decision-table row that applies; none when the duty does not apply).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Verdict {
    pub row: String,
    pub status: Status,
    /// The deadline, as the finding gives it.
    pub due: Option<String>,
    pub done_at: Option<String>,
    /// How late, in words.
    pub late_by: Option<String>,
    /// Penalties a violation exposes to (empty unless late, missed or breached).
    pub penalties: Vec<String>,
    pub note: Option<String>,
}

impl Verdict {
    fn of(f: &Finding) -> Verdict {
        Verdict {
            row: f.row.clone(),
            status: f.status,
            due: f.due.clone(),
            done_at: f.done_at.clone(),
            late_by: f.late_by.clone(),
            penalties: f.penalty.iter().map(|p| p.penalty.clone()).collect(),
            note: f.note.clone(),
        }
    }
}

/// A duty whose verdict for one actor differs between the versions.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Flip {
    /// The duty's id in the new version (the old one if it was removed).
    pub duty: String,
    /// Its id in the old version, when it had one (the old duties that
    /// applied, comma-separated, when several were merged into it).
    pub old_duty: Option<String>,
    pub old_cite: Option<String>,
    pub new_cite: Option<String>,
    /// The case actor the duty binds.
    pub actor: String,
    /// Under the old version (empty: the duty does not apply).
    pub old: Vec<Verdict>,
    /// Under the new version (empty: the duty does not apply).
    pub new: Vec<Verdict>,
    /// Why, from the semantic diff: `deadline tightened: within 90 days → within 60 days`.
    pub why: Vec<String>,
    /// The pairs of duties it exercises, as [`vpl_core::diff::pairs`] gives them.
    #[serde(skip)]
    pub pairs: Vec<DutyPair>,
}

impl Flip {
    /// `met → late`, `— → met` (the duty did not apply), with due dates when they moved.
    pub fn statuses(&self) -> String {
        fn side(v: &[Verdict]) -> String {
            if v.is_empty() {
                return "does not apply".into();
            }
            v.iter().map(|x| x.status.as_str()).collect::<Vec<_>>().join(", ")
        }
        format!("{} → {}", side(&self.old), side(&self.new))
    }

    /// Due dates and penalties that moved, in words (empty when none did).
    pub fn details(&self) -> Vec<String> {
        let mut out = Vec::new();
        let due = |v: &[Verdict]| v.iter().filter_map(|x| x.due.clone()).collect::<Vec<_>>().join(", ");
        let (a, b) = (due(&self.old), due(&self.new));
        if a != b && !(a.is_empty() && b.is_empty()) {
            out.push(format!("due {} → {}", or_dash(&a), or_dash(&b)));
        }
        let late = |v: &[Verdict]| v.iter().filter_map(|x| x.late_by.clone()).collect::<Vec<_>>().join(", ");
        let (a, b) = (late(&self.old), late(&self.new));
        if a != b {
            out.push(format!("late by {} → {}", or_dash(&a), or_dash(&b)));
        }
        let pen = |v: &[Verdict]| v.iter().flat_map(|x| x.penalties.iter().cloned()).collect::<Vec<_>>().join(", ");
        let (a, b) = (pen(&self.old), pen(&self.new));
        if a != b {
            out.push(format!("penalties {} → {}", or_dash(&a), or_dash(&b)));
        }
        out
    }
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() {
        "—"
    } else {
        s
    }
}

/// The changes the diff lists for one pair of duties.
pub fn changes_of<'d>(d: &'d TableDiff, pair: &DutyPair) -> Vec<&'d Change> {
    d.changes
        .iter()
        .filter(|c| match pair {
            (Some(o), Some(n)) => &c.duty == n && c.old_duty.as_ref() == Some(o) && c.kind != ChangeKind::Removed,
            (None, Some(n)) => &c.duty == n && c.kind == ChangeKind::Added,
            (Some(o), None) => &c.duty == o && c.kind == ChangeKind::Removed,
            (None, None) => false,
        })
        .collect()
}

/// A change in words: `deadline tightened: within 90 days → within 60 days`.
pub fn change_words(c: &Change) -> String {
    let v = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
    match (v(&c.old), v(&c.new)) {
        (Some(a), Some(b)) => format!("{}: {a} → {b}", c.kind.words()),
        (None, Some(b)) => format!("{}: {b}", c.kind.words()),
        (Some(a), None) => format!("{}: {a}", c.kind.words()),
        (None, None) => match (&c.old_cite, &c.new_cite) {
            (Some(a), Some(b)) => format!("{}: {a} → {b}", c.kind.words()),
            _ => c.kind.words().to_string(),
        },
    }
}

/// Why a duty's verdict may differ although the diff lists no change to it.
fn context_words(old: &Compiled, new: &Compiled) -> Vec<String> {
    let (a, b) = (&old.table.instrument.status, &new.table.instrument.status);
    if a != b {
        let w = |s: &vpl_core::table::model::Status| match s {
            vpl_core::table::model::Status::Draft { published, .. } => format!("draft published {published}"),
            vpl_core::table::model::Status::InForce { effective, .. } => format!("in force from {effective}"),
        };
        return vec![format!("instrument status changed: {} → {}", w(a), w(b))];
    }
    if old.table.penalties != new.table.penalties {
        return vec!["the penalty articles changed".into()];
    }
    Vec::new()
}

/// The verdicts of every finding of `duty`, grouped by actor.
fn by_actor<'f>(findings: &'f [Finding], duty: Option<&str>, actor: &str) -> Vec<&'f Finding> {
    match duty {
        Some(d) => findings.iter().filter(|f| f.duty == d && f.actor == actor).collect(),
        None => Vec::new(),
    }
}

/// What a verdict is compared on: status, and for violations the penalties.
fn key(v: &[Verdict]) -> Vec<(Status, Vec<String>)> {
    v.iter().map(|x| (x.status, if x.status.is_violation() { x.penalties.clone() } else { Vec::new() })).collect()
}

/// Checks `case` under both versions as of `as_of` and returns the duties
/// whose verdict changes, in the order of the diff's pairs and the case's
/// actors. Old duties merged into one new duty are judged together: the
/// new duty's verdict against theirs (the old duty that applied says why).
pub fn case_impact(old: &Compiled, new: &Compiled, pairs: &[DutyPair], diff: &TableDiff, case: &Case, as_of: &When) -> Vec<Flip> {
    let opts = Options { explain: false };
    let (ro, rn) = (check_case_with(old, case, as_of, opts), check_case_with(new, case, as_of, opts));
    // One group per new duty (with every old duty paired with it), and one per removed duty.
    let mut groups: Vec<(Option<&str>, Vec<&DutyPair>)> = Vec::new();
    for pair in pairs {
        match pair.1.as_deref() {
            Some(n) => match groups.iter_mut().find(|(g, _)| *g == Some(n)) {
                Some((_, v)) => v.push(pair),
                None => groups.push((Some(n), vec![pair])),
            },
            None => groups.push((None, vec![pair])),
        }
    }
    let cite =
        |c: &Compiled, d: Option<&str>| d.and_then(|d| c.table.rows.iter().find(|r| r.duty == d)).map(|r| r.cite.display.clone());
    let mut out = Vec::new();
    for (n, members) in &groups {
        for actor in &case.actors {
            let mut old_v: Vec<Verdict> = Vec::new();
            let mut applied: Vec<&DutyPair> = Vec::new();
            for p in members {
                let found = by_actor(&ro.findings, p.0.as_deref(), &actor.id);
                if !found.is_empty() {
                    applied.push(p);
                }
                old_v.extend(found.into_iter().map(Verdict::of));
            }
            let new_v: Vec<Verdict> = by_actor(&rn.findings, *n, &actor.id).into_iter().map(Verdict::of).collect();
            if key(&old_v) == key(&new_v) {
                continue;
            }
            let relevant: Vec<&DutyPair> = if applied.is_empty() { members.clone() } else { applied };
            let mut why: Vec<String> = Vec::new();
            for p in &relevant {
                for w in changes_of(diff, p).into_iter().map(change_words) {
                    if !why.contains(&w) {
                        why.push(w);
                    }
                }
            }
            if why.is_empty() {
                why = context_words(old, new);
            }
            let olds: Vec<&str> = relevant.iter().filter_map(|p| p.0.as_deref()).collect();
            let first_old = olds.first().copied();
            out.push(Flip {
                duty: n.or(first_old).unwrap_or_default().to_string(),
                old_duty: (!olds.is_empty()).then(|| olds.join(", ")),
                old_cite: cite(old, first_old),
                new_cite: cite(new, *n),
                actor: actor.id.clone(),
                old: old_v,
                new: new_v,
                why,
                pairs: relevant.into_iter().cloned().collect(),
            });
        }
    }
    out
}
