//! Lowering the checked model to the decision table: one row per
//! (duty × alternative of its condition), plus the checks that need rows —
//! conditions that can never hold, overlapping rows whose deadlines conflict.

pub mod model;
pub mod render;

use crate::check::{Checked, CheckedDuty};
use crate::codes::Code;
use crate::diag::{Diagnostic, Diagnostics};
use crate::span::Span;
use model::*;

/// Most alternatives one condition may expand to.
pub const MAX_ALTERNATIVES: usize = 256;

pub fn lower(checked: Checked, diags: &mut Diagnostics) -> DecisionTable {
    let Checked { instrument, duties, penalties, articles, vocabulary, calendar } = checked;
    let mut rows = Vec::with_capacity(duties.len());
    // The span of the duty each row comes from, for the overlap warnings.
    let mut row_spans = Vec::with_capacity(duties.len());
    for duty in duties {
        let span = duty.span;
        lower_duty(duty, &mut rows, diags);
        row_spans.resize(rows.len(), span);
    }
    overlaps(&rows, &row_spans, diags);
    DecisionTable { schema_version: SCHEMA_VERSION, instrument, rows, penalties, articles, vocabulary, calendar }
}

/// The duty's rows: one per alternative of its condition. The duty is
/// consumed, so its fields move into the last row rather than being copied.
fn lower_duty(duty: CheckedDuty, rows: &mut Vec<Row>, diags: &mut Diagnostics) {
    let alternatives = match &duty.when {
        None => vec![Vec::new()],
        Some((cond, span)) => match dnf(cond) {
            Some(alts) => {
                let live: Vec<Vec<Cond>> = alts.into_iter().filter(|a| !contradictory(a)).collect();
                if live.is_empty() {
                    diags.push(
                        Diagnostic::new(Code::NeverHolds, format!("the condition of duty `{}` can never hold", duty.name))
                            .primary(*span, "every alternative contradicts itself")
                            .help("the duty can never apply; fix the condition or remove the duty"),
                    );
                }
                live
            }
            None => {
                diags.push(
                    Diagnostic::new(Code::TooComplex, format!("the condition of duty `{}` is too complex", duty.name))
                        .primary(*span, format!("expands to more than {MAX_ALTERNATIVES} alternatives"))
                        .help("split the duty or simplify the condition"),
                );
                Vec::new()
            }
        },
    };
    let count = alternatives.len();
    let base = Row {
        id: String::new(),
        duty: duty.name,
        cite: duty.cite,
        modality: duty.modality,
        bearer: duty.bearer,
        conditions: Vec::new(),
        trigger: duty.trigger,
        action: duty.action,
        deadline: duty.deadline,
        exceptions: duty.exceptions,
        penalties: duty.penalties,
        doc: duty.doc,
    };
    let mut alternatives = alternatives.into_iter();
    for (i, conditions) in alternatives.by_ref().take(count.saturating_sub(1)).enumerate() {
        rows.push(Row { id: format!("{}#{}", base.duty, i + 1), conditions, ..base.clone() });
    }
    if let Some(conditions) = alternatives.next() {
        let id = if count > 1 { format!("{}#{count}", base.duty) } else { base.duty.clone() };
        rows.push(Row { id, conditions, ..base });
    }
}

/// Disjunctive normal form: alternatives, each a conjunction of literals.
/// `None` when it would exceed [`MAX_ALTERNATIVES`].
pub fn dnf(c: &Cond) -> Option<Vec<Vec<Cond>>> {
    Some(match c {
        Cond::True => vec![Vec::new()],
        Cond::False => Vec::new(),
        Cond::All { conds } => {
            let mut acc: Vec<Vec<Cond>> = vec![Vec::new()];
            for c in conds {
                let alts = dnf(c)?;
                let mut next = Vec::new();
                for a in &acc {
                    for b in &alts {
                        next.push(a.iter().chain(b.iter()).cloned().collect());
                        if next.len() > MAX_ALTERNATIVES {
                            return None;
                        }
                    }
                }
                acc = next;
            }
            acc
        }
        Cond::Any { conds } => {
            let mut acc = Vec::new();
            for c in conds {
                acc.extend(dnf(c)?);
                if acc.len() > MAX_ALTERNATIVES {
                    return None;
                }
            }
            acc
        }
        Cond::Not { cond } => match cond.as_ref() {
            Cond::True => Vec::new(),
            Cond::False => vec![Vec::new()],
            Cond::Not { cond } => dnf(cond)?,
            Cond::All { conds } => {
                dnf(&Cond::Any { conds: conds.iter().map(|c| Cond::Not { cond: Box::new(c.clone()) }).collect() })?
            }
            Cond::Any { conds } => {
                dnf(&Cond::All { conds: conds.iter().map(|c| Cond::Not { cond: Box::new(c.clone()) }).collect() })?
            }
            Cond::Compare { cmp, left, right } => {
                vec![vec![Cond::Compare { cmp: cmp.negate(), left: left.clone(), right: right.clone() }]]
            }
            other => vec![vec![Cond::Not { cond: Box::new(other.clone()) }]],
        },
        other => vec![vec![other.clone()]],
    })
}

/// A conjunction that no case can satisfy: `x and not x`, `a == p and a == q`,
/// `a == p and a != p`.
pub fn contradictory(lits: &[Cond]) -> bool {
    if lits.iter().any(|l| matches!(l, Cond::In { set, .. } if set.is_empty())) {
        return true;
    }
    for (i, a) in lits.iter().enumerate() {
        for b in lits.iter().skip(i + 1) {
            if clash(a, b) || clash(b, a) {
                return true;
            }
        }
    }
    false
}

fn clash(a: &Cond, b: &Cond) -> bool {
    match (a, b) {
        (x, Cond::Not { cond }) => x == cond.as_ref(),
        (Cond::Compare { cmp: CmpOp::Eq, left: l1, right: r1 }, Cond::Compare { cmp, left: l2, right: r2 }) if l1 == l2 => {
            match (r1, r2, cmp) {
                (Operand::Value { value: v1 }, Operand::Value { value: v2 }, CmpOp::Eq) => v1 != v2,
                (_, _, CmpOp::Ne) => r1 == r2,
                _ => false,
            }
        }
        (Cond::Compare { cmp: CmpOp::Eq, left, right: Operand::Value { value } }, Cond::In { left: l2, set }) => {
            left == l2 && !set.contains(value)
        }
        (Cond::In { left: l1, set: s1 }, Cond::In { left: l2, set: s2 }) => l1 == l2 && !s1.iter().any(|v| s2.contains(v)),
        _ => false,
    }
}

/// Most W0003 warnings reported for one policy.
const MAX_OVERLAP_WARNINGS: usize = 20;

/// Two rows for the same bearer, action and trigger whose conditions can hold
/// together but whose deadlines are different periods. Rows are grouped by
/// (bearer, action, trigger) first, so only rows that could conflict are
/// compared, and the search stops after a few warnings.
fn overlaps(rows: &[Row], row_spans: &[Span], diags: &mut Diagnostics) {
    let is_period = |d: &Deadline| matches!(d, Deadline::Within { .. } | Deadline::OpenTextured { .. });
    type Key<'r> = (&'r String, &'r EventPattern, &'r Option<EventPattern>);
    let mut by_key: std::collections::HashMap<Key, Vec<(&Row, Span)>> = std::collections::HashMap::new();
    for (r, span) in rows.iter().zip(row_spans).filter(|(r, _)| r.modality == Modality::Must && is_period(&r.deadline)) {
        by_key.entry((&r.bearer, &r.action, &r.trigger)).or_default().push((r, *span));
    }
    // Groups in the order of their keys written as JSON (as they always
    // were); a group of one row has nothing to compare, so only the others
    // are written out.
    let groups: std::collections::BTreeMap<String, Vec<(&Row, Span)>> = by_key
        .into_iter()
        .filter(|(_, group)| group.len() > 1)
        .map(|(key, group)| (serde_json::to_string(&key).unwrap_or_default(), group))
        .collect();
    let mut reported: std::collections::BTreeSet<(&str, &str)> = std::collections::BTreeSet::new();
    for group in groups.values() {
        for (i, &(a, sa)) in group.iter().enumerate() {
            for &(b, sb) in group.iter().skip(i + 1) {
                if reported.len() >= MAX_OVERLAP_WARNINGS {
                    return;
                }
                if a.duty == b.duty || a.deadline == b.deadline || reported.contains(&(a.duty.as_str(), b.duty.as_str())) {
                    continue;
                }
                if a.conditions.iter().any(|x| b.conditions.iter().any(|y| clash(x, y) || clash(y, x)))
                    || contradictory(&a.conditions)
                {
                    continue;
                }
                reported.insert((a.duty.as_str(), b.duty.as_str()));
                diags.push(
                    Diagnostic::new(
                        Code::ConflictingRows,
                        format!("duties `{}` and `{}` overlap with different deadlines", a.duty, b.duty),
                    )
                    .primary(sb, format!("deadline: {}", render::deadline_words(&b.deadline)))
                    .secondary(sa, format!("deadline: {}", render::deadline_words(&a.deadline)))
                    .help("make their conditions exclusive (e.g. `offering == product` / `offering == service`), or merge them"),
                );
            }
        }
    }
}
