//! The words shared by the HTML and Markdown pages: duties as sentences,
//! deadlines, conditions, penalties, statuses.

use crate::labels::{t, Key, Lang};
use std::collections::BTreeMap;
use vpl_core::table::model::{Actor, CmpOp, Cond, Deadline, DecisionTable, EventPattern, Modality, Operand, Row, Status, Value};
use vpl_core::table::render::{cond_words, deadline_words, gerund, penalty_words, verb_phrase};

/// A duty as a plain English sentence generated from its row: "Within 2
/// days after becoming aware of the vulnerability, a product provider must
/// report the vulnerability to MIIT's vulnerability platform, including the
/// product and the details." Open-textured words stay words.
pub fn sentence(row: &Row) -> String {
    let bearer = row.bearer.replace('_', " ");
    let subject = if bearer == "anyone" || bearer == "everyone" {
        bearer
    } else if bearer.starts_with(['a', 'e', 'i', 'o', 'u']) {
        format!("an {bearer}")
    } else {
        format!("a {bearer}")
    };
    let modal = match row.modality {
        Modality::Must => "must",
        Modality::MustNot => "must not",
        Modality::May => "may",
        Modality::Encouraged => "is encouraged to",
    };
    let action = event_words(&row.action, false);
    let after = row.trigger.as_ref().map(|t| format!("after {}", event_words(t, true)));
    let s = match &row.deadline {
        Deadline::Within { period } => {
            let lead = match &after {
                Some(a) => format!("within {} {a}", period.describe()),
                None => format!("within {}", period.describe()),
            };
            format!("{lead}, {subject} {modal} {action}")
        }
        d => {
            let mut s = format!("{subject} {modal} {action}");
            match d {
                Deadline::OpenTextured { word } => s.push_str(&format!(" {word}")),
                Deadline::Before { event } => s.push_str(&format!(" before {}", event_words(event, true))),
                Deadline::Prior { period, event } => {
                    s.push_str(&format!(" at least {} before {}", period.describe(), event_words(event, true)))
                }
                Deadline::With { event } => s.push_str(&format!(" together with {}", event_words(event, true))),
                Deadline::ForAtLeast { period } => s.push_str(&format!(" for at least {}", period.describe())),
                Deadline::None | Deadline::Within { .. } => {}
            }
            if let Some(a) = &after {
                s.push_str(&format!(" {a}"));
            }
            s
        }
    };
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => format!("{}{}.", c.to_uppercase(), chars.as_str()),
        None => s,
    }
}

/// An event (what doing it is), its filter in words, and who does it.
fn event_words(p: &EventPattern, ing: bool) -> String {
    let phrase = verb_phrase(&p.event);
    let mut s = if ing { gerund(&phrase) } else { phrase };
    if let Some(f) = &p.filter {
        let w = filter_words(f);
        if !w.is_empty() {
            s.push(' ');
            s.push_str(&w);
        }
    }
    if let Actor::Role(r) = &p.by {
        s.push_str(&format!(" (by a {})", r.replace('_', " ")));
    }
    s
}

/// Known values, in words.
fn value_name(v: &str) -> String {
    match v {
        "miit_platform" => "MIIT's vulnerability platform".into(),
        "miit" => "MIIT".into(),
        "mps" => "the MPS".into(),
        "cac" => "the CAC".into(),
        "other_vulnerability_db" => "another vulnerability database".into(),
        other => other.replace('_', " "),
    }
}

fn operand_plain(o: &Operand) -> String {
    match o {
        Operand::Value { value: Value::Enum { variant, .. } } => value_name(variant),
        Operand::Value { value } => vpl_core::table::render::value_words(value),
        other => vpl_core::table::render::operand_words(other).replace('_', " "),
    }
}

/// A filter on an event's fields in words: `to == miit_platform and
/// includes_product` → "to MIIT's vulnerability platform, including the product".
fn filter_words(c: &Cond) -> String {
    let mut parts: Vec<Cond> = Vec::new();
    flatten(c, &mut parts);
    let mut dest = Vec::new();
    let mut including = Vec::new();
    let mut without = Vec::new();
    let mut other = Vec::new();
    for p in &parts {
        match p {
            Cond::Compare { cmp: CmpOp::Eq, left: Operand::Field { name }, right } if name == "to" => {
                dest.push(operand_plain(right))
            }
            Cond::In { left: Operand::Field { name }, set } if name == "to" => dest.push(
                set.iter()
                    .map(|v| match v {
                        Value::Enum { variant, .. } => value_name(variant),
                        v => vpl_core::table::render::value_words(v),
                    })
                    .collect::<Vec<_>>()
                    .join(" or "),
            ),
            Cond::Is { value: Operand::Field { name } } if name.starts_with("includes_") => {
                including.push(format!("the {}", name.trim_start_matches("includes_").replace('_', " ")))
            }
            Cond::Not { cond } => match cond.as_ref() {
                Cond::Is { value: Operand::Field { name } } if name.starts_with("includes_") => {
                    without.push(format!("the {}", name.trim_start_matches("includes_").replace('_', " ")))
                }
                Cond::Is { value: Operand::Field { name } } => other.push(format!("not {}", name.replace('_', " "))),
                c => other.push(cond_words(&Cond::Not { cond: Box::new(c.clone()) }).replace('_', " ")),
            },
            Cond::Is { value: Operand::Field { name } } => other.push(name.replace('_', " ")),
            Cond::Compare { cmp, left, right } => {
                other.push(format!("{} {} {}", operand_plain(left), cmp_words(*cmp), operand_plain(right)))
            }
            c => other.push(cond_words(c).replace('_', " ")),
        }
    }
    let mut out = Vec::new();
    if !dest.is_empty() {
        out.push(format!("to {}", dest.join(" and ")));
    }
    if !including.is_empty() {
        out.push(format!("including {}", and_list(&including)));
    }
    if !without.is_empty() {
        out.push(format!("without {}", and_list(&without)));
    }
    let mut s = out.join(", ");
    if !other.is_empty() {
        if !s.is_empty() {
            s.push(' ');
        }
        s.push_str(&format!("({})", other.join("; ")));
    }
    s
}

fn cmp_words(c: CmpOp) -> &'static str {
    match c {
        CmpOp::Eq => "is",
        CmpOp::Ne => "is not",
        CmpOp::Lt => "is less than",
        CmpOp::Le => "is at most",
        CmpOp::Gt => "is more than",
        CmpOp::Ge => "is at least",
    }
}

fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

fn flatten(c: &Cond, out: &mut Vec<Cond>) {
    match c {
        Cond::All { conds } => conds.iter().for_each(|c| flatten(c, out)),
        c => out.push(c.clone()),
    }
}

/// A penalty in words, with identifiers made readable.
pub fn penalty_plain(p: &vpl_core::table::model::PenaltyInfo) -> String {
    let own = vpl_core::table::model::PenaltyInfo { replaces: Vec::new(), ..p.clone() };
    let mut s = penalty_words(&own).replace('_', " ");
    if !p.replaces.is_empty() {
        let from = p.effective.as_deref().map(|d| format!(" from {d}")).unwrap_or_default();
        // Penalty ids stay as written: they are names, not words.
        s.push_str(&format!("; for breaches{from}, the later version of {}", p.replaces.join(", ")));
    }
    s
}

/// The deadline rule in words, saying how periods are counted.
pub fn deadline_rule(d: &Deadline, calendar_rule: &str) -> String {
    match d {
        Deadline::None => "no time limit".into(),
        Deadline::Within { .. } | Deadline::Prior { .. } | Deadline::ForAtLeast { .. } => {
            format!("{} (counted under {})", deadline_words(d), rule_words(calendar_rule))
        }
        Deadline::OpenTextured { word } => {
            format!("{word}: an open-textured word, never turned into a number; a person judges the time taken")
        }
        _ => deadline_words(d),
    }
}

fn rule_words(rule: &str) -> &str {
    match rule {
        "civil-code-cn" => "PRC Civil Code arts. 200–204",
        "eu-1182-71" => "Regulation (EEC, Euratom) No 1182/71",
        "exact" => "exact elapsed time",
        other => other,
    }
}

pub fn modality_words(m: Modality) -> &'static str {
    match m {
        Modality::Must => "obligation",
        Modality::MustNot => "prohibition",
        Modality::May => "permission",
        Modality::Encouraged => "encouragement",
    }
}

/// The rows of a table folded into duties, in order: each duty's first row
/// and the conditions of every alternative.
pub struct DutyView<'t> {
    pub first: &'t Row,
    pub alternatives: Vec<String>,
}

pub fn duties(t: &DecisionTable) -> Vec<DutyView<'_>> {
    let mut out: Vec<DutyView<'_>> = Vec::new();
    for r in &t.rows {
        let alt = r.conditions.iter().map(cond_words).collect::<Vec<_>>().join(" and ");
        match out.iter_mut().find(|d| d.first.duty == r.duty) {
            Some(d) => {
                if !alt.is_empty() && !d.alternatives.contains(&alt) {
                    d.alternatives.push(alt);
                }
            }
            None => out.push(DutyView { first: r, alternatives: if alt.is_empty() { Vec::new() } else { vec![alt] } }),
        }
    }
    out
}

/// A penalty of a row in words, with where it is set.
pub fn penalties_of(t: &DecisionTable, row: &Row) -> Vec<(String, String, String, String)> {
    row.penalties
        .iter()
        .map(|id| match t.penalties.iter().find(|p| &p.id == id) {
            Some(p) => (p.instrument.clone(), p.cite.anchor.clone(), p.cite.display.clone(), penalty_plain(p)),
            None => (String::new(), String::new(), id.clone(), String::new()),
        })
        .collect()
}

/// Draft or in force, and the dates, in the interface language.
pub fn status_kind(lang: Lang, s: &Status) -> &'static str {
    match s {
        Status::Draft { .. } => t(lang, Key::Draft),
        Status::InForce { .. } => t(lang, Key::InForce),
    }
}

pub fn status_dates(lang: Lang, s: &Status) -> Vec<(&'static str, String)> {
    match s {
        Status::Draft { published, comments_until } => {
            let mut v = vec![(t(lang, Key::Published), published.clone())];
            if let Some(c) = comments_until {
                v.push((t(lang, Key::CommentsUntil), c.clone()));
            }
            v
        }
        Status::InForce { issued, effective } => {
            vec![(t(lang, Key::Issued), issued.clone()), (t(lang, Key::Effective), effective.clone())]
        }
    }
}

pub fn is_draft(s: &Status) -> bool {
    matches!(s, Status::Draft { .. })
}

/// The title in the interface language, falling back to the other one, then the id.
pub fn title(lang: Lang, t: &DecisionTable) -> String {
    let i = &t.instrument;
    let (a, b) = match lang {
        Lang::Zh => (&i.title_zh, &i.title_en),
        Lang::En => (&i.title_en, &i.title_zh),
    };
    a.clone().or_else(|| b.clone()).unwrap_or_else(|| i.id.clone())
}

/// The comparison: for each topic, each table's duties of that topic, and
/// whether the instruments differ on it. A duty's key for "the same duty
/// elsewhere" is its bearer, action and deadline in words.
pub struct TopicRow<'t> {
    pub topic: &'static str,
    pub cells: Vec<Vec<(&'t Row, bool)>>,
    pub differs: bool,
}

pub fn comparison(tables: &[DecisionTable]) -> Vec<TopicRow<'_>> {
    use vpl_core::table::render::{topic, TOPICS};
    let key = |r: &Row| (r.bearer.clone(), r.action.event.clone(), r.modality, deadline_words(&r.deadline));
    let mut out = Vec::new();
    for topic_name in TOPICS {
        let per: Vec<Vec<&Row>> = tables
            .iter()
            .map(|t| {
                let mut seen = std::collections::BTreeSet::new();
                t.rows.iter().filter(|r| topic(r) == *topic_name && seen.insert(r.duty.clone())).collect()
            })
            .collect();
        let mut counts: BTreeMap<_, usize> = BTreeMap::new();
        for rows in &per {
            let keys: std::collections::BTreeSet<_> = rows.iter().map(|r| key(r)).collect();
            for k in keys {
                *counts.entry(k).or_default() += 1;
            }
        }
        let n = tables.len();
        let differs = n > 1 && counts.values().any(|c| *c != n);
        let cells = per
            .into_iter()
            .map(|rows| rows.into_iter().map(|r| (r, n > 1 && counts.get(&key(r)).copied().unwrap_or(0) == 1)).collect())
            .collect();
        out.push(TopicRow { topic: topic_name, cells, differs });
    }
    out
}

/// Short words for a finding's remarks: late by, elapsed, breach, note.
pub fn remarks(f: &vpl_eval::Finding) -> String {
    let mut parts = Vec::new();
    if let Some(l) = &f.late_by {
        parts.push(format!("late by {l}"));
    }
    if let Some(e) = &f.elapsed {
        parts.push(format!("elapsed {e}"));
    }
    if let Some(b) = &f.breached_by {
        parts.push(format!("breached by {b}"));
    }
    if let Some(n) = &f.note {
        parts.push(n.clone());
    }
    parts.join("; ")
}

/// A finding's penalty exposure in words.
pub fn exposure(f: &vpl_eval::Finding) -> Vec<String> {
    f.penalty
        .iter()
        .map(|p| {
            let mut parts: Vec<String> = Vec::new();
            if !p.measures.is_empty() {
                parts.push(p.measures.join(", ").replace('_', " "));
            }
            for fine in &p.fines {
                let mut s = format!(
                    "fine {} {} to {}",
                    fine.target.replace('_', " "),
                    vpl_core::table::render::money_words(&fine.min),
                    vpl_core::table::render::money_words(&fine.max)
                );
                if let Some(c) = &fine.condition {
                    let applies = match fine.applies {
                        Some(true) => "holds",
                        Some(false) => "does not hold",
                        None => "unknown",
                    };
                    s.push_str(&format!(" when {c} ({applies})"));
                }
                parts.push(s);
            }
            let mut line = format!("{} {}: {}", p.instrument, p.cite.display, parts.join("; "));
            // Which version of an amended law applies, where the choice mattered.
            if let Some(v) = p.version.as_ref().filter(|v| !v.other_versions.is_empty() || v.note.is_some()) {
                line.push_str(&format!(" — the version in force on {}, {}", v.dated, v.because));
                for o in &v.other_versions {
                    line.push_str(&format!("; {} version {} {}: {}", o.relation, o.instrument, o.cite.display, o.note));
                }
                if let Some(n) = &v.note {
                    line.push_str(&format!("; note: {n}"));
                }
            }
            line
        })
        .collect()
}

/// Doc-comment lines joined into paragraphs (a blank line separates them).
pub fn paragraphs(doc: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for line in doc {
        let line = line.trim();
        // A list item ("- ...") starts a paragraph of its own.
        if line.starts_with("- ") && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(line);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
