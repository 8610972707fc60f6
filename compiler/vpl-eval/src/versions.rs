//! Which version of a penalty a breach is exposed to.
//!
//! Laws are amended: the Cybersecurity Law of 2016 was renumbered and its
//! fines raised from 1 January 2026 (`cn/csl-2025`), while the 2021 Provisions
//! still cite the 2016 numbers. A penalty that `replaces` another is its later
//! version; a policy that imports both laws carries both in its table.
//!
//! The rule, PRC Administrative Penalty Law art. 37 (实施行政处罚，适用违法行为发生时的法律…):
//! the law in force when the unlawful act happened applies; a later law applies
//! only where it is lighter or no longer treats the act as unlawful. The first
//! half is mechanical and applied here; the second needs a comparison of whole
//! penalty regimes and is left to a person, with a note whenever a later
//! version exists.
//!
//! Reading of "when the act happened", chosen because the Law punishes the
//! state of not having done what was due, which lasts until it ends (the
//! Administrative Penalty Law art. 36 ¶2 counts the limitation period of a
//! continuing act from its end):
//! - a prohibition broken: the day of the act;
//! - a duty done late: the day it was finally done;
//! - a duty never done: the `as_of` day, because the breach still continues.
//!
//! Where the deadline passed under one version and the breach ended under
//! another, the finding says so, so that a person can weigh the other reading
//! (the day the deadline passed).

use crate::finding::{OtherVersion, PenaltyDating};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use vpl_core::table::model::{DecisionTable, PenaltyInfo};

/// How deep `replaces` chains may go: guards against a hand-edited table
/// with a cycle (the compiler rejects those).
const MAX_DEPTH: usize = 16;

/// The day a breach is dated to, and why.
#[derive(Debug, Clone)]
pub struct Dating {
    pub day: NaiveDate,
    pub because: String,
    /// The last day for doing what was due, when the breach is a late or
    /// missed duty.
    pub deadline_day: Option<NaiveDate>,
}

fn effective(p: &PenaltyInfo) -> Option<NaiveDate> {
    p.effective.as_deref().and_then(|d| d.parse().ok())
}

fn find<'t>(t: &'t DecisionTable, id: &str) -> Option<&'t PenaltyInfo> {
    t.penalties.iter().find(|p| p.id == id)
}

/// The later versions of `id` in the table, directly replacing it.
fn successors<'t>(t: &'t DecisionTable, id: &'t str) -> impl Iterator<Item = &'t PenaltyInfo> + 't {
    t.penalties.iter().filter(move |p| p.replaces.iter().any(|r| r == id))
}

/// The versions of penalty `id` in force on `day`: `id` itself, or — where
/// a later version had taken effect by then — the latest such versions
/// (an amendment may split one penalty into several).
pub fn in_force_on<'t>(t: &'t DecisionTable, id: &str, day: NaiveDate) -> Vec<&'t PenaltyInfo> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    walk(t, id, day, 0, &mut seen, &mut out);
    out
}

fn walk<'t>(
    t: &'t DecisionTable,
    id: &str,
    day: NaiveDate,
    depth: usize,
    seen: &mut BTreeSet<String>,
    out: &mut Vec<&'t PenaltyInfo>,
) {
    let Some(p) = find(t, id) else { return };
    if !seen.insert(p.id.clone()) {
        return;
    }
    let mut later: Vec<&PenaltyInfo> =
        successors(t, &p.id).filter(|s| !seen.contains(&s.id) && effective(s).is_some_and(|e| e <= day)).collect();
    // The most specific successor first: one that replaces only this
    // penalty comes before a new tier that several old penalties lead to.
    later.sort_by_key(|s| s.replaces.len());
    if later.is_empty() || depth >= MAX_DEPTH {
        if !out.iter().any(|o: &&PenaltyInfo| o.id == p.id) {
            out.push(p);
        }
        return;
    }
    for s in later {
        walk(t, &s.id, day, depth + 1, seen, out);
    }
}

/// `id` and every later version of it (following `replaces` forwards).
fn lineage<'t>(t: &'t DecisionTable, id: &str) -> Vec<&'t PenaltyInfo> {
    let mut out: Vec<&PenaltyInfo> = Vec::new();
    let mut todo = vec![id.to_string()];
    while let Some(next) = todo.pop() {
        if out.len() > MAX_DEPTH * 8 {
            break;
        }
        let Some(p) = find(t, &next) else { continue };
        if out.iter().any(|o| o.id == p.id) {
            continue;
        }
        out.push(p);
        todo.extend(successors(t, &p.id).map(|s| s.id.clone()));
    }
    out
}

/// The penalties a row's breach is exposed to, each with how its version
/// was chosen. `named` are the row's penalty ids, in order. Only versions of
/// the penalties the row names count: an amendment that folds several old
/// penalties into one new tier does not make them versions of each other.
pub fn choose<'t>(
    t: &'t DecisionTable,
    named: &[String],
    dating: &Dating,
    as_of: NaiveDate,
) -> Vec<(&'t PenaltyInfo, Option<PenaltyDating>)> {
    let mut out: Vec<(&PenaltyInfo, Option<PenaltyDating>)> = Vec::new();
    for id in named {
        let lineage = lineage(t, id);
        let chosen = in_force_on(t, id, dating.day);
        let then = dating.deadline_day.map(|d| in_force_on(t, id, d));
        for p in &chosen {
            if out.iter().any(|(c, _)| c.id == p.id) {
                continue;
            }
            if lineage.len() <= 1 {
                out.push((p, None));
                continue;
            }
            let mut others = Vec::new();
            for o in lineage.iter().filter(|o| !chosen.iter().any(|c| c.id == o.id)) {
                let eff = effective(o);
                let later = matches!((eff, effective(p)), (Some(a), Some(b)) if a > b);
                let note = match (later, eff) {
                    // A version that was not yet law on the as-of day has no say.
                    (true, Some(e)) if e > as_of => continue,
                    (true, _) => "a later version, in force by the as-of date: under the Administrative Penalty Law art. 37 it \
                                  applies instead only if it is lighter or no longer treats the act as unlawful; a person must judge",
                    (false, _) => "an earlier version, no longer in force on the day the breach is dated to",
                };
                others.push(OtherVersion {
                    penalty: o.id.clone(),
                    instrument: o.instrument.clone(),
                    cite: o.cite.clone(),
                    effective: o.effective.clone(),
                    relation: if later { "later".into() } else { "earlier".into() },
                    note: note.into(),
                });
            }
            let split = match (&then, dating.deadline_day) {
                (Some(then), Some(d)) if !then.is_empty() && !then.iter().any(|x| x.id == p.id) => Some(format!(
                    "the deadline passed on {d}, when {} was in force; this finding dates the breach to {} ({}); a person \
                     must judge which day the law ties the breach to",
                    then.iter().map(|x| format!("{} {}", x.instrument, x.cite.display)).collect::<Vec<_>>().join(" and "),
                    dating.day,
                    dating.because
                )),
                _ => None,
            };
            out.push((
                p,
                Some(PenaltyDating {
                    dated: dating.day.to_string(),
                    because: dating.because.clone(),
                    in_force_from: p.effective.clone(),
                    other_versions: others,
                    note: split,
                }),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use vpl_core::table::model::Cite;

    fn pen(id: &str, eff: &str, replaces: &[&str]) -> PenaltyInfo {
        PenaltyInfo {
            id: id.into(),
            instrument: format!("law-{eff}"),
            cite: Cite { article: 1, paragraph: None, item: None, display: "art 1".into(), anchor: "art-1".into() },
            measures: vec!["warning".into()],
            fines: vec![],
            doc: vec![],
            effective: Some(eff.into()),
            replaces: replaces.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn table(pens: Vec<PenaltyInfo>) -> DecisionTable {
        let b = vpl_core::bundled::policy("cn/csl-2016").unwrap();
        let mut t = vpl_core::compile(b.name, b.text, &vpl_core::no_files).table.unwrap();
        t.penalties = pens;
        t
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ids(v: Vec<&PenaltyInfo>) -> Vec<&str> {
        v.into_iter().map(|p| p.id.as_str()).collect()
    }

    #[test]
    fn the_version_in_force_on_the_day_is_chosen() {
        let t = table(vec![pen("old", "2017-06-01", &[]), pen("new", "2026-01-01", &["old"])]);
        assert_eq!(ids(in_force_on(&t, "old", day("2025-12-31"))), ["old"]);
        assert_eq!(ids(in_force_on(&t, "old", day("2026-01-01"))), ["new"]);
        assert_eq!(ids(in_force_on(&t, "new", day("2026-06-01"))), ["new"]);
    }

    #[test]
    fn chains_and_splits_are_followed() {
        let t = table(vec![
            pen("a", "2017-06-01", &[]),
            pen("b1", "2026-01-01", &["a"]),
            pen("b2", "2026-01-01", &["a"]),
            pen("c", "2030-01-01", &["b1"]),
        ]);
        assert_eq!(ids(in_force_on(&t, "a", day("2027-01-01"))), ["b1", "b2"]);
        assert_eq!(ids(in_force_on(&t, "a", day("2031-01-01"))), ["c", "b2"]);
    }

    #[test]
    fn a_cycle_in_a_hand_made_table_ends() {
        let t = table(vec![pen("x", "2020-01-01", &["y"]), pen("y", "2020-01-01", &["x"])]);
        assert!(!in_force_on(&t, "x", day("2021-01-01")).is_empty());
    }

    #[test]
    fn a_split_between_deadline_and_breach_is_noted() {
        let t = table(vec![pen("old", "2017-06-01", &[]), pen("new", "2026-01-01", &["old"])]);
        let dating = Dating { day: day("2026-01-05"), because: "done late".into(), deadline_day: Some(day("2025-12-30")) };
        let got = choose(&t, &["old".to_string()], &dating, day("2026-02-01"));
        assert_eq!(got.len(), 1);
        let (p, d) = &got[0];
        assert_eq!(p.id, "new");
        let d = d.as_ref().unwrap();
        assert!(d.note.as_deref().unwrap().contains("the deadline passed on 2025-12-30, when law-2017-06-01 art 1 was in force"));
        assert_eq!(d.other_versions.len(), 1);
        assert_eq!(d.other_versions[0].relation, "earlier");
    }

    #[test]
    fn an_earlier_breach_mentions_the_later_version() {
        let t = table(vec![pen("old", "2017-06-01", &[]), pen("new", "2026-01-01", &["old"])]);
        let dating = Dating { day: day("2025-06-01"), because: "the act".into(), deadline_day: None };
        assert!(choose(&t, &["old".to_string()], &dating, day("2025-12-31"))[0].1.as_ref().unwrap().other_versions.is_empty());
        let got = choose(&t, &["old".to_string()], &dating, day("2026-02-01"));
        let (p, d) = &got[0];
        assert_eq!(p.id, "old");
        let o = &d.as_ref().unwrap().other_versions[0];
        assert_eq!((o.penalty.as_str(), o.relation.as_str()), ("new", "later"));
        assert!(o.note.contains("art. 37"));
    }
}
