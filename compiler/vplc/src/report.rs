//! Where diagnostics meet the user. Each kind of problem has one renderer:
//! problems in a source file (a policy, a case file) are rendered by
//! codespan-reporting, which labels several files at once; problems with no
//! source text (a missing file, an unknown instrument id) are miette
//! diagnostics. `--error-format json` prints either kind as one JSON object
//! per line.

use crate::cli::{ColorWhen, ErrorFormat, Global};
use codespan_reporting::diagnostic as cs;
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor, DisplayStyle};
use std::io::{IsTerminal, Write};
use vpl_core::diag::{Diagnostic, Severity};
use vpl_core::SourceMap;

/// A problem outside any source file.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ToolError {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(vplc::read), help("check the path; POLICY may also be a bundled id such as cn/provisions-2021"))]
    Read { path: String, reason: String },
    #[error("cannot write `{path}`: {reason}")]
    #[diagnostic(code(vplc::write))]
    Write { path: String, reason: String },
    #[error("`{given}` is neither a file nor a bundled instrument")]
    #[diagnostic(code(vplc::policy))]
    UnknownPolicy {
        given: String,
        #[help]
        help: Option<String>,
    },
    #[error("bad argument `{what}`: {why}")]
    #[diagnostic(code(vplc::argument))]
    BadArgument { what: String, why: String },
    #[error("unknown diagnostic code `{0}`")]
    #[diagnostic(code(vplc::explain), help("codes look like E0101 or W0001; `vplc explain --list` lists them"))]
    UnknownCode(String),
}

pub struct Reporter {
    pub format: ErrorFormat,
    pub color: bool,
    pub deny_warnings: bool,
    pub errors: usize,
    pub warnings: usize,
}

/// Whether to colour a stream, honouring `--color` and NO_COLOR.
pub fn use_color(when: ColorWhen, is_tty: bool) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

impl Reporter {
    pub fn new(g: &Global) -> Self {
        Reporter {
            format: g.error_format,
            color: use_color(g.color, std::io::stderr().is_terminal()),
            deny_warnings: g.deny_warnings,
            errors: 0,
            warnings: 0,
        }
    }

    /// Renders source diagnostics to a string (used by stderr output and
    /// by snapshot tests).
    pub fn render(&self, sources: &SourceMap, diags: &[Diagnostic]) -> String {
        render(self.format, self.color, sources, diags)
    }

    pub fn emit(&mut self, sources: &SourceMap, diags: &[Diagnostic]) {
        for d in diags {
            match d.severity() {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
        let text = self.render(sources, diags);
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(text.as_bytes());
    }

    pub fn tool_error(&mut self, e: ToolError) {
        self.errors += 1;
        let mut err = std::io::stderr().lock();
        let text = match self.format {
            ErrorFormat::Json => {
                let code = miette::Diagnostic::code(&e).map(|c| c.to_string());
                let help = miette::Diagnostic::help(&e).map(|c| c.to_string());
                let v = serde_json::json!({ "code": code, "severity": "error", "message": e.to_string(), "labels": [], "notes": [], "help": help });
                format!("{v}\n")
            }
            ErrorFormat::Plain => format!("error: {e}\n"),
            ErrorFormat::Human => {
                let handler = if self.color {
                    miette::GraphicalReportHandler::new()
                } else {
                    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
                };
                let mut out = String::new();
                match handler.render_report(&mut out, &e) {
                    Ok(()) => out,
                    Err(_) => format!("error: {e}\n"),
                }
            }
        };
        let _ = err.write_all(text.as_bytes());
    }

    /// Whether what was reported so far means bad input (exit 2).
    pub fn failed(&self) -> bool {
        self.errors > 0 || (self.deny_warnings && self.warnings > 0)
    }
}

pub fn render(format: ErrorFormat, color: bool, sources: &SourceMap, diags: &[Diagnostic]) -> String {
    if format == ErrorFormat::Json {
        return diags.iter().map(|d| serde_json::to_string(&d.to_json(sources)).unwrap_or_default() + "\n").collect();
    }
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = sources.files().map(|(_, f)| files.add(f.name.clone(), f.text.clone())).collect();
    let mut config = term::Config::default();
    if format == ErrorFormat::Plain {
        config.display_style = DisplayStyle::Short;
    }
    let mut buffer = if color { termcolor::Buffer::ansi() } else { termcolor::Buffer::no_color() };
    let short = term::Config { display_style: DisplayStyle::Short, ..term::Config::default() };
    for d in diags {
        let cs = to_codespan(d, &ids);
        // A snippet of a megabyte-long line helps nobody: say where, briefly.
        let config = if touches_long_line(sources, d) { &short } else { &config };
        if term::emit_to_write_style(&mut buffer, config, &files, &cs).is_err() {
            let _ = writeln!(buffer, "{}[{}]: {}", severity_word(d.severity()), d.code.as_str(), d.message);
        }
        // The one-line form drops labels and notes; keep the help at least.
        if format == ErrorFormat::Plain || std::ptr::eq(config, &short) {
            if let Some(h) = &d.help {
                let _ = writeln!(buffer, "  help: {h}");
            }
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Lines longer than this are not shown as snippets.
const MAX_SNIPPET_LINE: usize = 400;

fn touches_long_line(sources: &SourceMap, d: &Diagnostic) -> bool {
    d.labels.iter().any(|l| {
        let Some(f) = sources.get(l.span.file) else { return false };
        // The lines a snippet would print are those the label starts and ends on.
        let line_len = |at: usize| {
            let start = f.text.get(..at).and_then(|s| s.rfind('\n')).map_or(0, |i| i + 1);
            let end = f.text.get(at..).and_then(|s| s.find('\n')).map_or(f.text.len(), |i| at + i);
            end.saturating_sub(start)
        };
        line_len(l.span.start as usize) > MAX_SNIPPET_LINE || line_len(l.span.end as usize) > MAX_SNIPPET_LINE
    })
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn to_codespan(d: &Diagnostic, ids: &[usize]) -> cs::Diagnostic<usize> {
    let base = match d.severity() {
        Severity::Error => cs::Diagnostic::error(),
        Severity::Warning => cs::Diagnostic::warning(),
    };
    let labels = d
        .labels
        .iter()
        .filter_map(|l| {
            let file = *ids.get(l.span.file.0 as usize)?;
            let style = if l.primary { cs::LabelStyle::Primary } else { cs::LabelStyle::Secondary };
            Some(cs::Label::new(style, file, l.span.range()).with_message(l.message.clone()))
        })
        .collect();
    let mut notes = d.notes.clone();
    if let Some(h) = &d.help {
        notes.push(format!("help: {h}"));
    }
    base.with_code(d.code.as_str()).with_message(d.message.clone()).with_labels(labels).with_notes(notes)
}
