//! Findings for people: one table per case and instrument (citation, the
//! duty in plain words, actor, status, due, done, late by), notes for what
//! a person must judge, and with `explain` the steps behind each verdict.

use crate::finding::{CaseReport, Finding, Status};
use comfy_table::{presets, Cell, Color, ContentArrangement, Table};

pub struct Style {
    pub color: bool,
    pub explain: bool,
    /// Wrap the table to this width (None: no wrapping).
    pub width: Option<u16>,
}

fn status_cell(s: Status, color: bool) -> Cell {
    let cell = Cell::new(s.as_str());
    if !color {
        return cell;
    }
    match s {
        Status::Met => cell.fg(Color::Green),
        Status::Late | Status::Missed | Status::Breached => cell.fg(Color::Red),
        Status::Pending => cell.fg(Color::Yellow),
        Status::Undetermined => cell.fg(Color::Magenta),
        _ => cell.fg(Color::DarkGrey),
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "—".into())
}

/// Due times are shown as the last day when the period is day-based: a
/// lawyer reads "by 2021-11-26 (24:00)" more easily than an instant.
fn due(f: &Finding) -> String {
    match (&f.last_day, &f.due) {
        (Some(d), _) => format!("{d} 24:00"),
        (None, Some(d)) => d.clone(),
        _ => "—".into(),
    }
}

pub fn report(r: &CaseReport, style: &Style) -> String {
    let mut out = r.instrument.clone();
    out.push_str(&format!(" ({})\n", r.instrument_status));
    if r.findings.is_empty() {
        out.push_str("  no duty of this instrument applies to this case\n");
        return out;
    }
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    match style.width {
        Some(w) => {
            table.set_content_arrangement(ContentArrangement::Dynamic).set_width(w);
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    table.set_header(["cite", "duty", "actor", "status", "due", "done", "late by"]);
    for f in &r.findings {
        table.add_row(vec![
            Cell::new(&f.cite.display),
            Cell::new(&f.summary),
            Cell::new(&f.actor),
            status_cell(f.status, style.color),
            Cell::new(due(f)),
            Cell::new(opt(&f.done_at)),
            Cell::new(opt(&f.late_by)),
        ]);
    }
    out.push_str(&table.to_string());
    out.push('\n');
    let notes: Vec<&Finding> = r.findings.iter().filter(|f| f.note.is_some() || f.breached_by.is_some()).collect();
    if !notes.is_empty() {
        out.push_str("notes:\n");
        for f in notes {
            if let Some(b) = &f.breached_by {
                out.push_str(&format!("  {} {} ({}): broken by {b}\n", f.cite.display, f.duty, f.actor));
            }
            if let Some(n) = &f.note {
                out.push_str(&format!("  {} {} ({}): {n}\n", f.cite.display, f.duty, f.actor));
            }
        }
    }
    let exposed: Vec<&Finding> = r.findings.iter().filter(|f| f.status.is_violation() && !f.penalty.is_empty()).collect();
    if !exposed.is_empty() {
        out.push_str("penalty exposure:\n");
        for f in exposed {
            for p in &f.penalty {
                let fines: Vec<String> = p
                    .fines
                    .iter()
                    .map(|x| {
                        let mut s = format!(
                            "{} {}–{}",
                            x.target.replace('_', " "),
                            vpl_core::table::render::money_words(&x.min),
                            vpl_core::table::render::money_words(&x.max)
                        );
                        if let Some(c) = &x.condition {
                            let applies = match x.applies {
                                Some(true) => "applies",
                                Some(false) => "does not apply",
                                None => "case does not say",
                            };
                            s.push_str(&format!(" if {c} ({applies})"));
                        }
                        s
                    })
                    .collect();
                out.push_str(&format!(
                    "  {}{} {} ({}): {} {}: {}{}\n",
                    if f.draft { "[draft, not binding] " } else { "" },
                    f.cite.display,
                    f.duty,
                    f.actor,
                    p.instrument,
                    p.cite.display,
                    p.measures.iter().map(|m| m.replace('_', " ")).chain(fines).collect::<Vec<_>>().join("; "),
                    ""
                ));
                // The version line only where the choice mattered.
                if let Some(v) = p.version.as_ref().filter(|v| !v.other_versions.is_empty() || v.note.is_some()) {
                    let from = v.in_force_from.as_deref().map(|d| format!(", in force from {d}")).unwrap_or_default();
                    out.push_str(&format!(
                        "    version: {} {}{from}; breach dated {} ({})\n",
                        p.instrument, p.cite.display, v.dated, v.because
                    ));
                    for o in &v.other_versions {
                        out.push_str(&format!("    {} version {} {}: {}\n", o.relation, o.instrument, o.cite.display, o.note));
                    }
                    if let Some(n) = &v.note {
                        out.push_str(&format!("    note: {n}\n"));
                    }
                }
            }
        }
    }
    if style.explain {
        out.push_str("explanation:\n");
        for f in &r.findings {
            out.push_str(&format!("  {} {} ({}) → {}\n", f.cite.display, f.duty, f.actor, f.status.as_str()));
            for step in &f.explanation {
                out.push_str(&format!("    - {step}\n"));
            }
        }
    }
    out
}

/// The heading of a case, printed once above its instruments' tables.
pub fn case_heading(case: &str, title: Option<&str>, as_of: &str) -> String {
    match title {
        Some(t) => format!("case {case} — {t}\nas of {as_of}\n"),
        None => format!("case {case}\nas of {as_of}\n"),
    }
}
