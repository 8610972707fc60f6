//! Semantic diff of two decision tables: what an amendment *means* — a
//! deadline tightened, a bearer changed, a duty added — not which lines
//! moved. Duties are matched across versions by id, then by what they
//! oblige (bearer, action, trigger), then by citation. Formatting and
//! comments never reach the table, so they never show up here.

use crate::table::model::*;
use crate::table::render::{cond_words, deadline_words, pattern_words};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    DeadlineTightened,
    DeadlineLoosened,
    DeadlineMadeVague,
    DeadlineMadePrecise,
    DeadlineChanged,
    /// The new bearer is `anyone`: the duty now binds everyone.
    BearerWidened,
    /// The old bearer was `anyone`: the duty now binds one role only.
    BearerNarrowed,
    BearerChanged,
    TriggerChanged,
    ActionChanged,
    ConditionNarrowed,
    ConditionWidened,
    ConditionChanged,
    ModalityChanged,
    ExceptionAdded,
    ExceptionRemoved,
    PenaltyChanged,
    Renumbered,
}

impl ChangeKind {
    /// Every kind, in the order the diff sorts them.
    pub const ALL: &'static [ChangeKind] = &[
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::DeadlineTightened,
        ChangeKind::DeadlineLoosened,
        ChangeKind::DeadlineMadeVague,
        ChangeKind::DeadlineMadePrecise,
        ChangeKind::DeadlineChanged,
        ChangeKind::BearerWidened,
        ChangeKind::BearerNarrowed,
        ChangeKind::BearerChanged,
        ChangeKind::TriggerChanged,
        ChangeKind::ActionChanged,
        ChangeKind::ConditionNarrowed,
        ChangeKind::ConditionWidened,
        ChangeKind::ConditionChanged,
        ChangeKind::ModalityChanged,
        ChangeKind::ExceptionAdded,
        ChangeKind::ExceptionRemoved,
        ChangeKind::PenaltyChanged,
        ChangeKind::Renumbered,
    ];

    /// The heading a change is listed under in the text and Markdown diffs.
    pub fn section(self) -> &'static str {
        use ChangeKind::*;
        match self {
            DeadlineTightened | DeadlineLoosened | DeadlineMadeVague | DeadlineMadePrecise | DeadlineChanged => "Deadlines",
            Added => "Duties added",
            Removed => "Duties removed",
            BearerWidened | BearerNarrowed | BearerChanged | TriggerChanged | ActionChanged | ConditionNarrowed
            | ConditionWidened | ConditionChanged | ModalityChanged | ExceptionAdded | ExceptionRemoved => {
                "Who, what, when and unless"
            }
            PenaltyChanged => "Penalties",
            Renumbered => "Renumbered only",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::DeadlineTightened => "deadline tightened",
            ChangeKind::DeadlineLoosened => "deadline loosened",
            ChangeKind::DeadlineMadeVague => "deadline made vague",
            ChangeKind::DeadlineMadePrecise => "deadline made precise",
            ChangeKind::DeadlineChanged => "deadline changed",
            ChangeKind::BearerWidened => "bearer widened",
            ChangeKind::BearerNarrowed => "bearer narrowed",
            ChangeKind::BearerChanged => "bearer changed",
            ChangeKind::TriggerChanged => "trigger changed",
            ChangeKind::ActionChanged => "action changed",
            ChangeKind::ConditionNarrowed => "condition narrowed",
            ChangeKind::ConditionWidened => "condition widened",
            ChangeKind::ConditionChanged => "condition changed",
            ChangeKind::ModalityChanged => "modality changed",
            ChangeKind::ExceptionAdded => "exception added",
            ChangeKind::ExceptionRemoved => "exception removed",
            ChangeKind::PenaltyChanged => "penalty changed",
            ChangeKind::Renumbered => "renumbered",
        }
    }
}

/// One change to one duty.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub kind: ChangeKind,
    /// The duty's id in the new version (the old one for a removal).
    pub duty: String,
    /// The duty's id in the old version (none for an addition). Differs from
    /// `duty` for a renamed duty, or one merged into a new duty that obliges
    /// the same (bearer, action, trigger).
    pub old_duty: Option<String>,
    pub old_cite: Option<String>,
    pub new_cite: Option<String>,
    /// The value before and after, in words.
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct TableDiff {
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
    /// How the sanctions themselves changed: a penalty of the new version
    /// that `replaces` one of the old (an amended law), or a penalty whose
    /// id both versions share but whose content differs.
    pub penalties: Vec<PenaltyChange>,
    /// The amendment in a few lines, for a memo: deadlines changed (grouped),
    /// new precise deadlines, duties added and removed by article, the rest
    /// counted. Derived from `changes`; the text and Markdown forms open
    /// with it.
    pub brief: Vec<String>,
}

impl TableDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.penalties.is_empty()
    }
}

/// One sanction before and after: its citation and what it imposes.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PenaltyChange {
    /// The old penalties this one takes over from (one when it is the old
    /// penalty's later version; several for a new tier that several old
    /// articles lead to).
    pub old: Vec<String>,
    pub new: String,
    /// `cn/csl-2016 art 60(1)(2)`; one per old penalty.
    pub old_cite: Vec<String>,
    pub new_cite: String,
    /// From when the new version applies, for a replacement.
    pub effective: Option<String>,
    /// What changed, one line each: `+ fine entity …`, `− measure warning`,
    /// `fine entity 50,000–500,000 CNY: when … → when …`.
    pub details: Vec<String>,
}

/// A duty as the diff sees it: its rows folded back together.
struct DutyView<'t> {
    id: &'t str,
    first: &'t Row,
    /// Each alternative of the condition, in words.
    alternatives: BTreeSet<String>,
    /// Literals, when there is a single alternative.
    literals: BTreeSet<String>,
}

fn duties(t: &DecisionTable) -> Vec<DutyView<'_>> {
    let mut out: Vec<DutyView<'_>> = Vec::new();
    for r in &t.rows {
        let alt = r.conditions.iter().map(cond_words).collect::<Vec<_>>().join(" and ");
        match out.iter_mut().find(|d| d.id == r.duty) {
            Some(d) => {
                d.alternatives.insert(alt);
                d.literals.clear();
            }
            None => out.push(DutyView {
                id: &r.duty,
                first: r,
                alternatives: BTreeSet::from([alt]),
                literals: r.conditions.iter().map(cond_words).collect(),
            }),
        }
    }
    out
}

/// What a duty obliges, for matching duties whose ids differ.
fn obligation(r: &Row) -> (String, String, String) {
    (r.bearer.clone(), r.action.event.clone(), r.trigger.as_ref().map(|t| t.event.clone()).unwrap_or_default())
}

/// What a duty obliges, with the events' filters: the closest match.
fn exact(r: &Row) -> (&str, &EventPattern, Option<&EventPattern>, Modality) {
    (&r.bearer, &r.action, r.trigger.as_ref(), r.modality)
}

/// A period's rough length in days, to tell tighter from looser.
fn days(p: &Period) -> f64 {
    use crate::check::env::BaseUnit::*;
    let unit = match p.unit {
        Hour => 1.0 / 24.0,
        Day => 1.0,
        WorkingDay => 7.0 / 5.0,
        Week => 7.0,
        Month => 30.4,
        Year => 365.25,
    };
    p.amount as f64 * unit
}

fn deadline_change(old: &Deadline, new: &Deadline) -> Option<ChangeKind> {
    if old == new {
        return None;
    }
    Some(match (old, new) {
        (Deadline::Within { period: a }, Deadline::Within { period: b })
        | (Deadline::Prior { period: a, .. }, Deadline::Prior { period: b, .. }) => match days(b).partial_cmp(&days(a)) {
            Some(std::cmp::Ordering::Less) => ChangeKind::DeadlineTightened,
            Some(std::cmp::Ordering::Greater) => ChangeKind::DeadlineLoosened,
            _ => ChangeKind::DeadlineChanged,
        },
        (Deadline::ForAtLeast { period: a }, Deadline::ForAtLeast { period: b }) => {
            // A longer retention is the stricter duty.
            if days(b) > days(a) {
                ChangeKind::DeadlineTightened
            } else {
                ChangeKind::DeadlineLoosened
            }
        }
        (Deadline::Within { .. }, Deadline::OpenTextured { .. }) => ChangeKind::DeadlineMadeVague,
        (Deadline::OpenTextured { .. }, Deadline::Within { .. }) => ChangeKind::DeadlineMadePrecise,
        _ => ChangeKind::DeadlineChanged,
    })
}

/// The stdlib role of the rules that bind any organisation or individual.
const ANYONE: &str = "anyone";

fn exceptions(r: &Row) -> BTreeSet<String> {
    r.exceptions.iter().map(cond_words).collect()
}

/// Which duty of the old version became which duty of the new one, by duty
/// id: `(Some(old), Some(new))` for a matched duty, `(None, Some(new))` for
/// an added one, `(Some(old), None)` for a removed one.
pub type DutyPair = (Option<String>, Option<String>);

/// Matches duties across versions: by id, then by what they oblige
/// (bearer, action, trigger), then by citation.
pub fn pairs(old: &DecisionTable, new: &DecisionTable) -> Vec<DutyPair> {
    let (olds, news) = (duties(old), duties(new));
    match_duties(&olds, &news)
        .into_iter()
        .map(|(o, n)| {
            (o.and_then(|i| olds.get(i)).map(|d| d.id.to_string()), n.and_then(|i| news.get(i)).map(|d| d.id.to_string()))
        })
        .collect()
}

fn match_duties(olds: &[DutyView<'_>], news: &[DutyView<'_>]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut matched_old: BTreeSet<usize> = BTreeSet::new();
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut unmatched_new = Vec::new();
    // By id, then by what they oblige, then by citation.
    for (ni, n) in news.iter().enumerate() {
        match olds.iter().position(|o| o.id == n.id) {
            Some(oi) if matched_old.insert(oi) => pairs.push((Some(oi), Some(ni))),
            _ => unmatched_new.push(ni),
        }
    }
    // The same obligation exactly (bearer, action and trigger with their
    // filters), then the same kinds of event.
    let mut loose = Vec::new();
    for ni in unmatched_new {
        let n = news.get(ni).map(|n| exact(n.first));
        match olds.iter().enumerate().position(|(oi, o)| !matched_old.contains(&oi) && Some(exact(o.first)) == n) {
            Some(oi) => {
                matched_old.insert(oi);
                pairs.push((Some(oi), Some(ni)));
            }
            None => loose.push(ni),
        }
    }
    let mut still = Vec::new();
    for ni in loose {
        let n = news.get(ni).map(|n| obligation(n.first));
        match olds.iter().enumerate().position(|(oi, o)| !matched_old.contains(&oi) && Some(obligation(o.first)) == n) {
            Some(oi) => {
                matched_old.insert(oi);
                pairs.push((Some(oi), Some(ni)));
            }
            None => still.push(ni),
        }
    }
    for ni in still {
        let cite = news.get(ni).map(|n| &n.first.cite.display);
        match olds.iter().enumerate().position(|(oi, o)| !matched_old.contains(&oi) && Some(&o.first.cite.display) == cite) {
            Some(oi) => {
                matched_old.insert(oi);
                pairs.push((Some(oi), Some(ni)));
            }
            None => pairs.push((None, Some(ni))),
        }
    }
    // Several old duties merged into one new duty that obliges the same: each
    // is compared with it (the draft's 10-day and 90-day remedies both became
    // one `timely` remedy), not reported removed.
    for oi in 0..olds.len() {
        if !matched_old.contains(&oi) {
            let o = olds.get(oi).map(|o| obligation(o.first));
            match news.iter().position(|n| Some(obligation(n.first)) == o) {
                Some(ni) => pairs.push((Some(oi), Some(ni))),
                None => pairs.push((Some(oi), None)),
            }
        }
    }
    pairs
}

/// Compares two versions of an instrument.
pub fn diff(old: &DecisionTable, new: &DecisionTable) -> TableDiff {
    let (olds, news) = (duties(old), duties(new));
    let pairs = match_duties(&olds, &news);
    let mut changes = Vec::new();
    for (o, n) in pairs {
        match (o.and_then(|i| olds.get(i)), n.and_then(|i| news.get(i))) {
            (Some(o), Some(n)) => compare(o, n, &mut changes),
            (None, Some(n)) => changes.push(Change {
                kind: ChangeKind::Added,
                duty: n.id.to_string(),
                old_duty: None,
                old_cite: None,
                new_cite: Some(n.first.cite.display.clone()),
                old: None,
                new: Some(crate::table::render::duty_sentence(n.first)),
            }),
            (Some(o), None) => changes.push(Change {
                kind: ChangeKind::Removed,
                duty: o.id.to_string(),
                old_duty: Some(o.id.to_string()),
                old_cite: Some(o.first.cite.display.clone()),
                new_cite: None,
                old: Some(crate::table::render::duty_sentence(o.first)),
                new: None,
            }),
            (None, None) => {}
        }
    }
    changes.sort_by(|a, b| {
        let key = |c: &Change| (c.new_cite.clone().or(c.old_cite.clone()).map(|s| cite_key(&s)), c.duty.clone(), c.kind);
        key(a).cmp(&key(b))
    });
    let penalties = penalty_changes(old, new);
    let brief = brief(&changes, &news, &penalties);
    TableDiff { old: old.instrument.id.clone(), new: new.instrument.id.clone(), changes, penalties, brief }
}

/// `art 4 ×5, art 5 ×6, art 6`: how many changes fall under each article.
fn by_article<'c>(cites: impl Iterator<Item = &'c str>) -> String {
    let mut counts: Vec<(Vec<u32>, String, usize)> = Vec::new();
    for c in cites {
        let article = c.split('(').next().unwrap_or(c).trim().to_string();
        match counts.iter_mut().find(|(_, a, _)| *a == article) {
            Some(x) => x.2 += 1,
            None => counts.push((cite_key(&article), article, 1)),
        }
    }
    counts.sort();
    counts.iter().map(|(_, a, n)| if *n == 1 { a.clone() } else { format!("{a} ×{n}") }).collect::<Vec<_>>().join(", ")
}

fn brief(changes: &[Change], news: &[DutyView<'_>], penalties: &[PenaltyChange]) -> Vec<String> {
    let mut out = Vec::new();
    // Deadline changes, one line per kind, with the distinct before → after values.
    for kind in [
        ChangeKind::DeadlineTightened,
        ChangeKind::DeadlineLoosened,
        ChangeKind::DeadlineMadeVague,
        ChangeKind::DeadlineMadePrecise,
        ChangeKind::DeadlineChanged,
    ] {
        let these: Vec<&Change> = changes.iter().filter(|c| c.kind == kind).collect();
        if these.is_empty() {
            continue;
        }
        let mut values: Vec<String> = Vec::new();
        let distinct = |f: &dyn Fn(&Change) -> Option<String>| {
            let mut v: Vec<String> = Vec::new();
            for c in &these {
                if let Some(x) = f(c) {
                    if !v.contains(&x) {
                        v.push(x);
                    }
                }
            }
            v
        };
        let (olds, news) = (distinct(&|c| c.old.clone()), distinct(&|c| c.new.clone()));
        if news.len() == 1 {
            // `within 5 days, within 90 days or within 10 days → timely`
            values.push(format!("{} → {}", olds.join(", "), news.join("")));
        } else {
            for c in &these {
                let v = value_pair(c);
                if !values.contains(&v) {
                    values.push(v);
                }
            }
        }
        let n = these.len();
        let noun = if n == 1 { "deadline" } else { "deadlines" };
        let words = kind.words().trim_start_matches("deadline ");
        out.push(format!(
            "{n} {noun} {words}: {} ({})",
            values.join("; "),
            by_article(these.iter().filter_map(|c| c.new_cite.as_deref().or(c.old_cite.as_deref())))
        ));
    }
    // Precise deadlines that came with new duties.
    // (what, who, where): the same act and deadline for several bearers is one item.
    let mut precise: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for c in changes.iter().filter(|c| c.kind == ChangeKind::Added) {
        let Some(v) = news.iter().find(|v| v.id == c.duty) else { continue };
        let r = v.first;
        if matches!(r.deadline, Deadline::Within { .. } | Deadline::Prior { .. } | Deadline::ForAtLeast { .. }) {
            let what = format!("{} {}", crate::table::render::verb_phrase(&r.action.event), deadline_words(&r.deadline));
            let who = r.bearer.replace('_', " ");
            let cite = c.new_cite.clone().unwrap_or_default();
            match precise.iter_mut().find(|(w, _, _)| *w == what) {
                Some((_, whos, cites)) => {
                    if !whos.contains(&who) {
                        whos.push(who);
                    }
                    if !cites.contains(&cite) {
                        cites.push(cite);
                    }
                }
                None => precise.push((what, vec![who], vec![cite])),
            }
        }
    }
    if !precise.is_empty() {
        let items: Vec<String> =
            precise.iter().map(|(w, whos, cites)| format!("{w} ({}; {})", whos.join(", "), cites.join(", "))).collect();
        out.push(format!("new precise deadlines: {}", items.join("; ")));
    }
    let added: Vec<&str> = changes.iter().filter(|c| c.kind == ChangeKind::Added).filter_map(|c| c.new_cite.as_deref()).collect();
    if !added.is_empty() {
        out.push(format!(
            "{} dut{} added: {}",
            added.len(),
            if added.len() == 1 { "y" } else { "ies" },
            by_article(added.into_iter())
        ));
    }
    let removed: Vec<&str> =
        changes.iter().filter(|c| c.kind == ChangeKind::Removed).filter_map(|c| c.old_cite.as_deref()).collect();
    if !removed.is_empty() {
        out.push(format!(
            "{} dut{} removed: {}",
            removed.len(),
            if removed.len() == 1 { "y" } else { "ies" },
            by_article(removed.into_iter())
        ));
    }
    let rest: Vec<String> = ChangeKind::ALL
        .iter()
        .filter(|k| !matches!(k.section(), "Deadlines" | "Duties added" | "Duties removed"))
        .filter_map(|k| {
            let n = changes.iter().filter(|c| c.kind == *k).count();
            (n > 0).then(|| format!("{n} {}", k.words()))
        })
        .collect();
    if !rest.is_empty() {
        out.push(format!("also: {}", rest.join(", ")));
    }
    if !penalties.is_empty() {
        out.push(format!("{} penalty provision{} changed (below)", penalties.len(), if penalties.len() == 1 { "" } else { "s" }));
    }
    out
}

fn fine_range(f: &Fine) -> String {
    format!(
        "fine {} {}–{}",
        f.target.replace('_', " "),
        crate::table::render::money_words(&f.min),
        crate::table::render::money_words(&f.max)
    )
}

fn fine_words(f: &Fine) -> String {
    match &f.when {
        Some(w) => format!("{} when {}", fine_range(f), cond_words(w)),
        None => fine_range(f),
    }
}

/// What changed between two versions of one penalty, line by line.
fn penalty_details(a: Option<&PenaltyInfo>, b: &PenaltyInfo) -> Vec<String> {
    let mut out = Vec::new();
    let old_measures: Vec<&String> = a.map(|a| a.measures.iter().collect()).unwrap_or_default();
    for m in b.measures.iter().filter(|m| !old_measures.contains(m)) {
        out.push(format!("+ measure {}", m.replace('_', " ")));
    }
    for m in old_measures.iter().filter(|m| !b.measures.contains(m)) {
        out.push(format!("− measure {}", m.replace('_', " ")));
    }
    let mut gone: Vec<&Fine> = a.map(|a| a.fines.iter().filter(|f| !b.fines.contains(f)).collect()).unwrap_or_default();
    for f in b.fines.iter().filter(|f| a.is_none_or(|a| !a.fines.contains(f))) {
        // The same range under another condition reads as one change.
        match gone.iter().position(|g| g.target == f.target && g.min == f.min && g.max == f.max) {
            Some(i) => {
                let g = gone.remove(i);
                let w = |x: &Fine| x.when.as_ref().map_or("always".to_string(), |c| format!("when {}", cond_words(c)));
                out.push(format!("{}: {} → {}", fine_range(f), w(g), w(f)));
            }
            None => out.push(format!("+ {}", fine_words(f))),
        }
    }
    for g in gone {
        out.push(format!("− {}", fine_words(g)));
    }
    out
}

fn penalty_changes(old: &DecisionTable, new: &DecisionTable) -> Vec<PenaltyChange> {
    let cite = |p: &PenaltyInfo| format!("{} {}", p.instrument, p.cite.display);
    let find = |t: &'_ DecisionTable, id: &str| t.penalties.iter().find(|p| p.id == id).cloned();
    let mut out = Vec::new();
    for b in &new.penalties {
        let olds: Vec<PenaltyInfo> = b.replaces.iter().filter_map(|r| find(old, r)).collect();
        let same = find(old, &b.id);
        let (compared, old_ids, old_cites) = match (&same, olds.as_slice()) {
            (Some(a), _) if a != b => (Some(a.clone()), vec![a.id.clone()], vec![cite(a)]),
            (Some(_), _) => continue,
            (None, [one]) => (Some(one.clone()), vec![one.id.clone()], vec![cite(one)]),
            (None, []) => continue,
            (None, several) => (None, several.iter().map(|p| p.id.clone()).collect(), several.iter().map(&cite).collect()),
        };
        let mut details = penalty_details(compared.as_ref(), b);
        if details.is_empty() {
            match &compared {
                Some(a) if cite(a) != cite(b) => details.push("renumbered only: the same measures and fines".into()),
                _ => continue,
            }
        }
        out.push(PenaltyChange {
            old: old_ids,
            new: b.id.clone(),
            old_cite: old_cites,
            new_cite: cite(b),
            effective: if b.replaces.is_empty() { None } else { b.effective.clone() },
            details,
        });
    }
    out
}

/// `art 7(1)(2)` → (7, 1, 2), for sorting in the order of the text.
fn cite_key(s: &str) -> Vec<u32> {
    s.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect()
}

fn compare(o: &DutyView<'_>, n: &DutyView<'_>, out: &mut Vec<Change>) {
    let (a, b) = (o.first, n.first);
    let mut found: Vec<Change> = Vec::new();
    let mut push = |kind: ChangeKind, old: String, new: String| {
        found.push(Change {
            kind,
            duty: n.id.to_string(),
            old_duty: Some(o.id.to_string()),
            old_cite: Some(a.cite.display.clone()),
            new_cite: Some(b.cite.display.clone()),
            old: Some(old),
            new: Some(new),
        });
    };
    if a.modality != b.modality {
        push(ChangeKind::ModalityChanged, a.modality.as_str().into(), b.modality.as_str().into());
    }
    if a.bearer != b.bearer {
        // `anyone` (任何组织或者个人) is the one role every other role falls under.
        let kind = match (a.bearer.as_str(), b.bearer.as_str()) {
            (_, ANYONE) => ChangeKind::BearerWidened,
            (ANYONE, _) => ChangeKind::BearerNarrowed,
            _ => ChangeKind::BearerChanged,
        };
        push(kind, a.bearer.clone(), b.bearer.clone());
    }
    if a.action != b.action {
        push(ChangeKind::ActionChanged, pattern_words(&a.action), pattern_words(&b.action));
    }
    if a.trigger != b.trigger {
        let w = |t: &Option<EventPattern>| t.as_ref().map_or_else(|| "none".to_string(), pattern_words);
        push(ChangeKind::TriggerChanged, w(&a.trigger), w(&b.trigger));
    }
    if let Some(kind) = deadline_change(&a.deadline, &b.deadline) {
        push(kind, deadline_words(&a.deadline), deadline_words(&b.deadline));
    }
    if o.alternatives != n.alternatives {
        let words = |v: &DutyView<'_>| {
            v.alternatives
                .iter()
                .map(|s| if s.is_empty() { "always".to_string() } else { s.clone() })
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let single = o.alternatives.len() == 1 && n.alternatives.len() == 1;
        // More literals, or fewer alternatives: fewer cases are bound.
        let narrowed = (single && o.literals.is_subset(&n.literals)) || (!single && n.alternatives.is_subset(&o.alternatives));
        let widened = (single && n.literals.is_subset(&o.literals)) || (!single && o.alternatives.is_subset(&n.alternatives));
        let kind = if narrowed {
            ChangeKind::ConditionNarrowed
        } else if widened {
            ChangeKind::ConditionWidened
        } else {
            ChangeKind::ConditionChanged
        };
        push(kind, words(o), words(n));
    }
    let (ea, eb) = (exceptions(a), exceptions(b));
    for e in eb.difference(&ea) {
        push(ChangeKind::ExceptionAdded, String::new(), e.clone());
    }
    for e in ea.difference(&eb) {
        push(ChangeKind::ExceptionRemoved, e.clone(), String::new());
    }
    if a.penalties != b.penalties {
        let w = |p: &[String]| if p.is_empty() { "none".to_string() } else { p.join(", ") };
        push(ChangeKind::PenaltyChanged, w(&a.penalties), w(&b.penalties));
    }
    // Nothing but the citation moved.
    if found.is_empty() && a.cite != b.cite {
        found.push(Change {
            kind: ChangeKind::Renumbered,
            duty: n.id.to_string(),
            old_duty: Some(o.id.to_string()),
            old_cite: Some(a.cite.display.clone()),
            new_cite: Some(b.cite.display.clone()),
            old: None,
            new: None,
        });
    }
    out.extend(found);
}

fn cite_pair(c: &Change) -> String {
    match (&c.old_cite, &c.new_cite) {
        (Some(a), Some(b)) if a != b => format!("{a} → {b}"),
        (_, Some(b)) => b.clone(),
        (Some(a), None) => a.clone(),
        (None, None) => String::new(),
    }
}

/// `duty`, or `old → new` for a renamed or merged duty.
fn duty_pair(c: &Change) -> String {
    match &c.old_duty {
        Some(o) if *o != c.duty => format!("{o} → {}", c.duty),
        _ => c.duty.clone(),
    }
}

fn value_pair(c: &Change) -> String {
    match (c.old.as_deref().filter(|s| !s.is_empty()), c.new.as_deref().filter(|s| !s.is_empty())) {
        (Some(a), Some(b)) => format!("{a} → {b}"),
        (None, Some(b)) => b.to_string(),
        (Some(a), None) => a.to_string(),
        (None, None) => String::new(),
    }
}

/// The order of the sections: what a reader of a memo looks for first.
const SECTIONS: &[&str] =
    &["Deadlines", "Duties added", "Duties removed", "Who, what, when and unless", "Penalties", "Renumbered only"];

/// The changes under each heading, in the diff's order; empty headings left out.
fn sections(d: &TableDiff) -> Vec<(&'static str, Vec<&Change>)> {
    SECTIONS
        .iter()
        .map(|s| (*s, d.changes.iter().filter(|c| c.kind.section() == *s).collect::<Vec<_>>()))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// `55 changes to 45 duties: 3 deadline made vague, 22 added, …`
fn headline(d: &TableDiff) -> String {
    let duties: BTreeSet<(&Option<String>, &String)> = d.changes.iter().map(|c| (&c.old_duty, &c.duty)).collect();
    let counts: Vec<String> = SECTIONS
        .iter()
        .flat_map(|s| ChangeKind::ALL.iter().filter(move |k| k.section() == *s))
        .filter_map(|k| {
            let n = d.changes.iter().filter(|c| c.kind == *k).count();
            (n > 0).then(|| format!("{n} {}", k.words()))
        })
        .collect();
    format!(
        "{} change{} to {} dut{}: {}",
        d.changes.len(),
        if d.changes.len() == 1 { "" } else { "s" },
        duties.len(),
        if duties.len() == 1 { "y" } else { "ies" },
        counts.join(", ")
    )
}

/// A diff short enough to read whole needs no summary.
fn show_brief(d: &TableDiff) -> bool {
    d.changes.len() + d.penalties.len() > 5 && !d.brief.is_empty()
}

/// One line per change, under a heading per kind of change.
pub fn text(d: &TableDiff) -> String {
    if d.is_empty() {
        return format!("{} → {}: no change in meaning\n", d.old, d.new);
    }
    let mut out = format!("{} → {}: {}\n", d.old, d.new, headline(d));
    if show_brief(d) {
        out.push_str("\nIn brief\n");
        for line in &d.brief {
            out.push_str(&format!("  - {line}\n"));
        }
    }
    let width = |f: &dyn Fn(&Change) -> usize| d.changes.iter().map(f).max().unwrap_or(0);
    let (kw, cw) = (width(&|c| c.kind.words().chars().count()), width(&|c| cite_pair(c).chars().count()));
    for (title, changes) in sections(d) {
        out.push_str(&format!("\n{title}\n"));
        for c in changes {
            let value = value_pair(c);
            let value = if value.is_empty() { String::new() } else { format!(": {value}") };
            out.push_str(&format!("  {:<kw$}  {:<cw$}  {}{value}\n", c.kind.words(), cite_pair(c), duty_pair(c)));
        }
    }
    if !d.penalties.is_empty() {
        out.push_str("\nPenalty provisions\n");
        for p in &d.penalties {
            let from = p.effective.as_deref().map(|e| format!(" (from {e})")).unwrap_or_default();
            out.push_str(&format!("  {} → {}{from}\n", p.old_cite.join(", "), p.new_cite));
            for line in &p.details {
                out.push_str(&format!("      {line}\n"));
            }
        }
    }
    out
}

/// Markdown, for pull requests and memos: a table per kind of change.
pub fn markdown(d: &TableDiff) -> String {
    let mut out = format!("# `{}` → `{}`\n\n", d.old, d.new);
    if d.is_empty() {
        out.push_str("No change in meaning.\n");
        return out;
    }
    out.push_str(&format!("{}.\n", headline(d)));
    if show_brief(d) {
        out.push_str("\n## In brief\n\n");
        for line in &d.brief {
            out.push_str(&format!("- {line}\n"));
        }
    }
    for (title, changes) in sections(d) {
        out.push_str(&format!("\n## {title}\n\n| change | citation | duty | before → after |\n|---|---|---|---|\n"));
        for c in changes {
            out.push_str(&format!(
                "| {} | {} | `{}` | {} |\n",
                c.kind.words(),
                cite_pair(c),
                duty_pair(c).replace(" → ", "` → `"),
                value_pair(c).replace('|', "\\|")
            ));
        }
    }
    if !d.penalties.is_empty() {
        out.push_str("\n## Penalty provisions\n\n| before | after | from | what changed |\n|---|---|---|---|\n");
        for p in &d.penalties {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                p.old_cite.join("<br>"),
                p.new_cite,
                p.effective.as_deref().unwrap_or("—"),
                p.details.join("<br>").replace('|', "\\|")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(body: &str) -> DecisionTable {
        let src = format!(
            "instrument t/x {{\n    title en \"t\"\n    status in_force issued 2024-01-01 effective 2024-01-01\n    calendar cn\n}}\n\narticle 1 {{\n    en \"a\"\n}}\n\narticle 2 {{\n    en \"b\"\n    no_duty \"x\"\n}}\n\n{ANCHOR}\n{body}"
        );
        let c = crate::compile("t.vpl", &src, &crate::no_files);
        c.table.unwrap_or_else(|| panic!("{:?}", c.diagnostics))
    }

    /// A duty both versions share, so every article stays covered.
    const ANCHOR: &str = "duty verify {\n    cite art 1\n    product_provider must verified\n    immediately after aware\n}\n";

    const REPORT: &str = "duty report {\n    cite art 1\n    product_provider must reported\n    within 5 days after aware\n}\n";

    fn kinds(a: &str, b: &str) -> Vec<ChangeKind> {
        diff(&table(a), &table(b)).changes.iter().map(|c| c.kind).collect()
    }

    #[test]
    fn equal_tables_give_an_empty_diff() {
        assert!(kinds(REPORT, REPORT).is_empty());
        // Layout and comments never reach the table.
        let messy = "// a comment\nduty   report {\n    cite art 1\n    product_provider must reported\n    within 5 days after aware // why\n}\n";
        assert!(kinds(REPORT, messy).is_empty());
    }

    #[test]
    fn deadlines_are_classified() {
        assert_eq!(kinds(REPORT, &REPORT.replace("5 days", "2 days")), [ChangeKind::DeadlineTightened]);
        assert_eq!(kinds(REPORT, &REPORT.replace("5 days", "1 month")), [ChangeKind::DeadlineLoosened]);
        assert_eq!(kinds(REPORT, &REPORT.replace("within 5 days", "timely")), [ChangeKind::DeadlineMadeVague]);
        assert_eq!(kinds(&REPORT.replace("within 5 days", "timely"), REPORT), [ChangeKind::DeadlineMadePrecise]);
    }

    #[test]
    fn added_removed_and_renamed_duties() {
        assert_eq!(kinds("", REPORT), [ChangeKind::Added]);
        assert_eq!(kinds(REPORT, ""), [ChangeKind::Removed]);
        // A renamed duty that obliges the same is matched, not added and removed.
        assert!(kinds(REPORT, &REPORT.replace("duty report", "duty report_to_platform")).is_empty());
    }

    #[test]
    fn merged_duties_are_compared_with_the_duty_they_became() {
        let two = format!("{REPORT}\n{}", REPORT.replace("duty report", "duty report_b").replace("5 days", "10 days"));
        let one = REPORT.replace("5 days", "timely").replace("within timely", "timely");
        let d = diff(&table(&two), &table(&one));
        let words: Vec<(ChangeKind, Option<String>, String)> =
            d.changes.iter().map(|c| (c.kind, c.old_duty.clone(), c.duty.clone())).collect();
        assert_eq!(
            words,
            [
                (ChangeKind::DeadlineMadeVague, Some("report".into()), "report".into()),
                (ChangeKind::DeadlineMadeVague, Some("report_b".into()), "report".into())
            ]
        );
        assert_eq!(pairs(&table(&two), &table(&one)).len(), 3, "verify, and both reports paired with the one report");
    }

    #[test]
    fn conditions_exceptions_and_modality() {
        let narrowed = REPORT.replace("after aware\n", "after aware\n    when users_must_act\n");
        assert_eq!(kinds(REPORT, &narrowed), [ChangeKind::ConditionNarrowed]);
        assert_eq!(kinds(&narrowed, REPORT), [ChangeKind::ConditionWidened]);
        let excepted = REPORT.replace("after aware\n", "after aware\n    unless users_must_act\n");
        assert_eq!(kinds(REPORT, &excepted), [ChangeKind::ExceptionAdded]);
        let bearer = REPORT.replace("product_provider", "network_operator");
        assert_eq!(kinds(REPORT, &bearer), [ChangeKind::BearerChanged]);
        let everyone = REPORT.replace("product_provider", "anyone");
        assert_eq!(kinds(REPORT, &everyone), [ChangeKind::BearerWidened]);
        assert_eq!(kinds(&everyone, REPORT), [ChangeKind::BearerNarrowed]);
    }
}
