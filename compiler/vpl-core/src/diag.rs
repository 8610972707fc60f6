//! Diagnostics: the one value every stage returns for a problem in the
//! user's input. Renderers live at the edge (the CLI renders them with
//! codespan-reporting, or as JSON); the core only builds them.

use crate::codes::Code;
use crate::span::{SourceMap, Span};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    pub primary: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub message: String,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic { code, message: message.into(), labels: Vec::new(), notes: Vec::new(), help: None }
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }

    /// The place the problem is; every diagnostic about source text has one.
    pub fn primary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into(), primary: true });
        self
    }

    /// Another place that explains the problem, possibly in another file.
    pub fn secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into(), primary: false });
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn primary_span(&self) -> Option<Span> {
        self.labels.iter().find(|l| l.primary).map(|l| l.span)
    }

    /// The machine-readable form, with file names, lines and columns.
    pub fn to_json(&self, sources: &SourceMap) -> JsonDiagnostic {
        let labels = self
            .labels
            .iter()
            .map(|l| {
                let file = sources.get(l.span.file);
                let (line, column) = file.map_or((0, 0), |f| f.line_col(l.span.start as usize));
                let (end_line, end_column) = file.map_or((0, 0), |f| f.line_col(l.span.end as usize));
                JsonLabel {
                    file: file.map_or_else(String::new, |f| f.name.clone()),
                    line,
                    column,
                    end_line,
                    end_column,
                    byte_start: l.span.start,
                    byte_end: l.span.end,
                    message: l.message.clone(),
                    primary: l.primary,
                }
            })
            .collect();
        JsonDiagnostic {
            code: self.code.as_str(),
            severity: self.severity(),
            message: self.message.clone(),
            labels,
            notes: self.notes.clone(),
            help: self.help.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct JsonDiagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub labels: Vec<JsonLabel>,
    pub notes: Vec<String>,
    pub help: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct JsonLabel {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: u32,
    pub byte_end: u32,
    pub message: String,
    pub primary: bool,
}

/// Most diagnostics reported for one compilation.
pub const MAX_DIAGNOSTICS: usize = 100;

/// Diagnostics gathered by a stage that goes on after the first problem.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity() == Severity::Error)
    }

    /// Sorted by file and position, so output is stable, and at most
    /// [`MAX_DIAGNOSTICS`] of them: past that, more help nobody.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by_key(|d| d.primary_span().map(|s| (s.file, s.start, s.end)));
        self.0.dedup();
        if self.0.len() > MAX_DIAGNOSTICS {
            let hidden = self.0.len() - MAX_DIAGNOSTICS;
            self.0.truncate(MAX_DIAGNOSTICS);
            if let Some(last) = self.0.last_mut() {
                last.notes.push(format!("{hidden} more diagnostics not shown; fix these first"));
            }
        }
        self.0
    }
}

/// "did you mean" for a misspelled name: the closest candidate, if close.
/// A candidate is close when few edits separate it from the name (about a
/// third of its length) or it shares nearly all of it; ties go to the one
/// needing fewer edits.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // Ranked by edits, then by difference in length, then by similarity.
    let mut best: Option<((usize, usize, i64), &str)> = None;
    let budget = (name.chars().count() / 3).max(1);
    for c in candidates {
        let edits = strsim::levenshtein(name, c);
        let similar = strsim::jaro_winkler(name, c);
        let prefix = c.len() >= 3 && name.len() >= 3 && (name.starts_with(c) || c.starts_with(name));
        if edits > budget && similar < 0.9 && !prefix {
            continue;
        }
        let key = (edits, name.len().abs_diff(c.len()), -((similar * 1000.0) as i64));
        if best.is_none_or(|(k, _)| key < k) {
            best = Some((key, c));
        }
    }
    best.map(|(_, c)| c)
}

/// "a role", "an event", "an int".
pub fn a_or_an(noun: &str) -> String {
    let vowel = noun.trim_start_matches('`').starts_with(|c: char| "aeiouAEIOU".contains(c));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["product_provider", "network_operator", "collector"];
        assert_eq!(did_you_mean("product_provder", names), Some("product_provider"));
        assert_eq!(did_you_mean("zebra", names), None);
        assert_eq!(did_you_mean("discovered", ["disclosed_overseas", "aware"]), None);
        assert_eq!(did_you_mean("dayz", ["day", "days", "hours"]), Some("days"));
        assert_eq!(a_or_an("event"), "an event");
    }
}
