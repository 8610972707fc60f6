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
    if !p.replaces.is_empty() {
        let from = p.effective.as_deref().map(|d| format!(" from {d}")).unwrap_or_default();
        parts.push(format!("replaces {}{from}", p.replaces.join(", ")));
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

/// What doing an event is, as an English verb phrase (base form):
/// `reported` → "report", `users_notified` → "notify affected users".
pub fn verb_phrase(event: &str) -> String {
    let known = match event {
        "aware" => "become aware of the vulnerability",
        "verified" => "verify the vulnerability",
        "upstream_notified" => "notify the upstream provider",
        "provider_notified" => "inform the product's provider",
        "reported" => "report the vulnerability",
        "remedied" => "remedy the vulnerability",
        "users_notified" => "notify affected users",
        "published" => "publish vulnerability information",
        "disclosed_overseas" => "disclose undisclosed vulnerability information overseas",
        "platform_filed" => "file the collection platform with MIIT",
        "operator_consented" => "consent in writing",
        "publication_ceased" => "stop the publication",
        "reward_programme_established" => "set up a reward programme",
        "logs_kept" => "keep vulnerability receiving logs",
        "intake_opened" => "keep a vulnerability receiving channel open",
        "leak_controls_established" => "put controls against leaks in place",
        "exploited" => "exploit a vulnerability",
        "collected" => "collect vulnerability information",
        "sold" => "sell vulnerability information",
        "assisted_exploitation" => "help others exploit vulnerabilities",
        "info_misused" => "misuse vulnerability information",
        "exploit_tool_provided" => "provide exploitation tools",
        "approved" => "approve",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_string();
    }
    let words: Vec<&str> = event.split('_').collect();
    match words.split_last() {
        Some((last, rest)) if last.ends_with("ed") => {
            let stem = last.trim_end_matches("ed");
            let verb = if stem.ends_with('i') { format!("{}y", stem.trim_end_matches('i')) } else { stem.to_string() };
            if rest.is_empty() {
                verb
            } else {
                format!("{verb} {}", rest.join(" "))
            }
        }
        _ => event.replace('_', " "),
    }
}

/// The -ing form of a verb phrase: "report the vulnerability" → "reporting the vulnerability".
pub fn gerund(phrase: &str) -> String {
    let (verb, rest) = phrase.split_once(' ').unwrap_or((phrase, ""));
    let ing = match verb {
        "stop" => "stopping".to_string(),
        "set" => "setting".to_string(),
        "put" => "putting".to_string(),
        v if v.ends_with('e') && !v.ends_with("ee") => format!("{}ing", v.trim_end_matches('e')),
        v => format!("{v}ing"),
    };
    if rest.is_empty() {
        ing
    } else {
        format!("{ing} {rest}")
    }
}

fn who_words(by: &Actor) -> &str {
    match by {
        Actor::Bearer => "",
        Actor::Any => "",
        Actor::Role(r) => r.as_str(),
    }
}

fn event_clause(p: &EventPattern, ing: bool) -> String {
    let mut s = if ing { gerund(&verb_phrase(&p.event)) } else { verb_phrase(&p.event) };
    if let Some(f) = &p.filter {
        s.push_str(&format!(" ({})", cond_words(f)));
    }
    let who = who_words(&p.by);
    if !who.is_empty() {
        s.push_str(&format!(" [by a {}]", who.replace('_', " ")));
    } else if p.by == Actor::Bearer && ing {
        // the bearer's own act: nothing to add
    }
    s
}

/// A duty as a plain English sentence, for tables and docs: "a product
/// provider must report the vulnerability (to == miit_platform) within 2 days
/// after becoming aware of the vulnerability".
pub fn duty_sentence(row: &Row) -> String {
    let bearer = row.bearer.replace('_', " ");
    let modal = match row.modality {
        Modality::Must => "must",
        Modality::MustNot => "must not",
        Modality::May => "may",
        Modality::Encouraged => "is encouraged to",
    };
    let mut s = format!("{bearer} {modal} {}", event_clause(&row.action, false));
    match &row.deadline {
        Deadline::None => {}
        Deadline::Within { period } => s.push_str(&format!(" within {}", period.describe())),
        Deadline::OpenTextured { word } => s.push_str(&format!(" {word}")),
        Deadline::Before { event } => s.push_str(&format!(" before {}", event_clause(event, true))),
        Deadline::Prior { period, event } => {
            s.push_str(&format!(" at least {} before {}", period.describe(), event_clause(event, true)))
        }
        Deadline::With { event } => s.push_str(&format!(" together with {}", event_clause(event, true))),
        Deadline::ForAtLeast { period } => s.push_str(&format!(" for at least {}", period.describe())),
    }
    if let Some(t) = &row.trigger {
        s.push_str(&format!(" after {}", event_clause(t, true)));
    }
    s
}

/// The topics a lawyer compares instruments by, in the order of a
/// vulnerability's life.
pub const TOPICS: &[&str] = &[
    "verification",
    "remedy",
    "user notice",
    "reporting",
    "publication",
    "logs and channels",
    "platforms",
    "internal management",
    "prohibited conduct",
    "encouragements",
];

/// The topic of a row, read from what it obliges: encouragements first,
/// then the action's event.
pub fn topic(row: &Row) -> &'static str {
    if row.modality == Modality::Encouraged {
        return "encouragements";
    }
    match row.action.event.as_str() {
        "verified" => "verification",
        "remedied" => "remedy",
        "users_notified" => "user notice",
        "reported" | "upstream_notified" | "provider_notified" => "reporting",
        "published" | "disclosed_overseas" | "operator_consented" | "approved" => "publication",
        "logs_kept" | "intake_opened" => "logs and channels",
        "platform_filed" | "publication_ceased" | "violation_noticed" | "dissemination_contained" => "platforms",
        "leak_controls_established" => "internal management",
        _ if row.bearer == "platform_operator" => "platforms",
        _ => "prohibited conduct",
    }
}

fn cell_line(r: &Row) -> String {
    let modal = match r.modality {
        Modality::Encouraged => "is encouraged to",
        m => m.as_str(),
    };
    let mut s = format!("**{}** {} {modal} {}", r.cite.display, r.bearer.replace('_', " "), event_clause(&r.action, false));
    match &r.deadline {
        Deadline::None => {}
        d => s.push_str(&format!(" — {}", deadline_words(d).replace(" (open-textured)", ""))),
    }
    if !r.conditions.is_empty() {
        s.push_str(&format!(" (when {})", r.conditions.iter().map(wrapped).collect::<Vec<_>>().join(" and ")));
    }
    md_cell(&s)
}

/// A comparison matrix: topics × instruments, each cell the duties of that
/// topic in plain words with their citations and deadlines; then the
/// penalties each instrument points to.
pub fn comparison_markdown(tables: &[DecisionTable]) -> String {
    let mut out = String::from("# Instruments side by side\n\n");
    out.push_str("| | ");
    out.push_str(&tables.iter().map(|t| format!("`{}`", t.instrument.id)).collect::<Vec<_>>().join(" | "));
    out.push_str(" |\n|---|");
    out.push_str(&"---|".repeat(tables.len()));
    out.push_str("\n| status | ");
    out.push_str(&tables.iter().map(|t| md_cell(&status_words(&t.instrument.status))).collect::<Vec<_>>().join(" | "));
    out.push_str(" |\n");
    for topic_name in TOPICS {
        let cells: Vec<String> = tables
            .iter()
            .map(|t| {
                let mut seen = std::collections::BTreeSet::new();
                let lines: Vec<String> =
                    t.rows.iter().filter(|r| topic(r) == *topic_name && seen.insert(r.duty.clone())).map(cell_line).collect();
                if lines.is_empty() {
                    "—".to_string()
                } else {
                    lines.join("<br>")
                }
            })
            .collect();
        out.push_str(&format!("| **{topic_name}** | {} |\n", cells.join(" | ")));
    }
    let penalties: Vec<String> = tables
        .iter()
        .map(|t| {
            // The penalties as the instrument names them; later versions
            // (an amended law) in one line, since they only take over from
            // their effective date.
            let mut lines: Vec<String> = t
                .penalties
                .iter()
                .filter(|p| p.replaces.is_empty())
                .map(|p| md_cell(&format!("{} {}: {}", p.instrument, p.cite.display, penalty_words(p))))
                .collect();
            let mut later: Vec<String> = Vec::new();
            for p in t.penalties.iter().filter(|p| !p.replaces.is_empty()) {
                let from = p.effective.as_deref().map(|d| format!(" from {d}")).unwrap_or_default();
                later.push(format!("{} {}{from}", p.instrument, p.cite.display));
            }
            if !later.is_empty() {
                lines.push(md_cell(&format!("later versions, for breaches from their date: {}", later.join(", "))));
            }
            if lines.is_empty() {
                "—".into()
            } else {
                lines.join("<br>")
            }
        })
        .collect();
    out.push_str(&format!("| **penalties** | {} |\n", penalties.join(" | ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_read_as_english() {
        assert_eq!(verb_phrase("reported"), "report the vulnerability");
        assert_eq!(verb_phrase("widget_frobbed"), "frobb widget");
        assert_eq!(verb_phrase("certified"), "certify");
        assert_eq!(gerund("become aware of the vulnerability"), "becoming aware of the vulnerability");
        assert_eq!(gerund("file the platform"), "filing the platform");
    }
}
