//! Printing a decision table for people: plain text (aligned columns) and
//! Markdown. Conditions and deadlines are written in words close to VPL's
//! own syntax, so a reader can find them in the source.

use super::model::*;
use comfy_table::{presets, ContentArrangement, Table};

pub fn deadline_words(d: &Deadline) -> String {
    match d {
        Deadline::None => "—".into(),
        Deadline::Within { period } => format!("within {}", period.describe()),
        Deadline::OpenTextured { word } => format!("{word} (open-textured)"),
        Deadline::Before { event } => format!("before {}", pattern_words(event)),
        Deadline::Prior { period, event } => format!("{} before {}", period.describe(), pattern_words(event)),
        Deadline::With { event } => format!("with {}", pattern_words(event)),
        Deadline::ForAtLeast { period } => format!("for at least {}", period.describe()),
    }
}

pub fn pattern_words(p: &EventPattern) -> String {
    let mut s = p.event.clone();
    if let Actor::Role(r) = &p.by {
        s.push_str(&format!(" by {r}"));
    } else if p.by == Actor::Any {
        s.push_str(" by anyone");
    }
    if let Some(f) = &p.filter {
        s.push_str(&format!(" where {}", cond_words(f)));
    }
    s
}

pub fn cond_words(c: &Cond) -> String {
    match c {
        Cond::True => "true".into(),
        Cond::False => "false".into(),
        Cond::Is { value } => operand_words(value),
        Cond::Compare { cmp, left, right } => format!("{} {} {}", operand_words(left), cmp.as_str(), operand_words(right)),
        Cond::In { left, set } => {
            format!("{} in {{{}}}", operand_words(left), set.iter().map(value_words).collect::<Vec<_>>().join(", "))
        }
        Cond::Happened { event } => format!("happened {}", pattern_words(event)),
        Cond::Not { cond } => format!("not {}", wrapped(cond)),
        Cond::All { conds } => conds.iter().map(wrapped).collect::<Vec<_>>().join(" and "),
        Cond::Any { conds } => conds.iter().map(wrapped).collect::<Vec<_>>().join(" or "),
    }
}

fn wrapped(c: &Cond) -> String {
    match c {
        Cond::All { .. } | Cond::Any { .. } => format!("({})", cond_words(c)),
        _ => cond_words(c),
    }
}

pub fn operand_words(o: &Operand) -> String {
    match o {
        Operand::Fact { name } | Operand::Field { name } => name.clone(),
        Operand::Bearer { attr } => format!("bearer.{attr}"),
        Operand::Value { value } => value_words(value),
    }
}

pub fn value_words(v: &Value) -> String {
    match v {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Text(s) => format!("{s:?}"),
        Value::Date(d) => d.clone(),
        Value::Enum { variant, .. } => variant.clone(),
        Value::Duration(p) => p.describe(),
        Value::Money(m) => money_words(m),
    }
}

/// `100,000 CNY`
pub fn money_words(m: &Money) -> String {
    format!("{} {}", group_digits(m.amount, ','), m.currency)
}

/// `1000000` → `1,000,000` (with `sep`).
pub fn group_digits(n: i64, sep: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 {
        out.insert(0, '-');
    }
    out
}

fn conditions_words(r: &Row) -> String {
    if r.conditions.is_empty() {
        "—".into()
    } else {
        r.conditions.iter().map(wrapped).collect::<Vec<_>>().join(" and ")
    }
}

fn row_cells(r: &Row) -> Vec<String> {
    vec![
        r.id.clone(),
        r.cite.display.clone(),
        r.bearer.clone(),
        r.modality.as_str().to_string(),
        pattern_words(&r.action),
        r.trigger.as_ref().map_or_else(|| "—".into(), pattern_words),
        deadline_words(&r.deadline),
        conditions_words(r),
        if r.exceptions.is_empty() { "—".into() } else { r.exceptions.iter().map(wrapped).collect::<Vec<_>>().join("; ") },
        if r.penalties.is_empty() { "—".into() } else { r.penalties.join(", ") },
    ]
}

const HEADERS: [&str; 10] = ["row", "cite", "bearer", "modality", "action", "after", "deadline", "when", "unless", "penalty"];

fn status_words(s: &Status) -> String {
    match s {
        Status::Draft { published, comments_until: Some(c) } => {
            format!("draft for comment, published {published}, comments until {c}")
        }
        Status::Draft { published, comments_until: None } => format!("draft for comment, published {published}"),
        Status::InForce { issued, effective } => format!("issued {issued}, in force from {effective}"),
    }
}

/// Plain text, for terminals. `width` wraps long cells (None: no wrapping).
pub fn text(t: &DecisionTable, width: Option<u16>) -> String {
    let i = &t.instrument;
    let mut out = format!(
        "{} — {}\n{}\ncalendar {} ({}, {}), schema v{}\n\n",
        i.id,
        i.title_en.as_deref().or(i.title_zh.as_deref()).unwrap_or(""),
        status_words(&i.status),
        t.calendar.name,
        t.calendar.zone,
        t.calendar.rule,
        t.schema_version
    );
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    match width {
        Some(w) => {
            table.set_content_arrangement(ContentArrangement::Dynamic).set_width(w);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(HEADERS);
    for r in &t.rows {
        table.add_row(row_cells(r));
    }
    out.push_str(&table.to_string());
    out.push('\n');
    if !t.penalties.is_empty() {
        out.push_str("\npenalties\n");
        for p in &t.penalties {
            out.push_str(&format!("  {} ({} {}): {}\n", p.id, p.instrument, p.cite.display, penalty_words(p)));
        }
    }
    out
}

pub fn penalty_words(p: &PenaltyInfo) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !p.measures.is_empty() {
        parts.push(p.measures.join(", "));
    }
    for f in &p.fines {
        let mut s = format!("fine {} {} to {}", f.target, money_words(&f.min), money_words(&f.max));
        if let Some(w) = &f.when {
            s.push_str(&format!(" when {}", cond_words(w)));
        }
        parts.push(s);
    }
    parts.join("; ")
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Markdown, for docs and pull requests.
pub fn markdown(t: &DecisionTable) -> String {
    let i = &t.instrument;
    let mut out = format!("# {}\n\n", i.id);
    if let Some(zh) = &i.title_zh {
        out.push_str(&format!("**{}**  \n", md_cell(zh)));
    }
    if let Some(en) = &i.title_en {
        out.push_str(&format!("*{}*  \n", md_cell(en)));
    }
    out.push_str(&format!(
        "{}. Calendar `{}` ({}, {}).\n\n",
        status_words(&i.status),
        t.calendar.name,
        t.calendar.zone,
        t.calendar.rule
    ));
    out.push_str(&format!("| {} |\n", HEADERS.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(HEADERS.len())));
    for r in &t.rows {
        let cells: Vec<String> = row_cells(r).iter().map(|c| md_cell(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    if !t.penalties.is_empty() {
        out.push_str("\n## Penalties\n\n| penalty | source | exposure |\n|---|---|---|\n");
        for p in &t.penalties {
            out.push_str(&format!("| {} | {} {} | {} |\n", p.id, p.instrument, p.cite.display, md_cell(&penalty_words(p))));
        }
    }
    out
}
