//! `vplc compile` and `vplc table`.

use super::{BAD_INPUT, OK};
use crate::cli::TableFormat;
use crate::input;
use crate::report::Reporter;
use vpl_core::{bundled, Code, Diagnostic, SourceMap, Span};

/// Compiles a policy named on the command line, reporting every diagnostic.
pub fn compile_policy(rep: &mut Reporter, given: &str) -> Option<vpl_core::DecisionTable> {
    let src = match input::load_policy(given) {
        Ok(Ok(src)) => src,
        Ok(Err((name, text, at))) => {
            let mut sources = SourceMap::new();
            let file = sources.add(name, text);
            let d = Diagnostic::new(Code::NotText, "the file is not UTF-8 text")
                .primary(Span::new(file, at, at + 1), "invalid or NUL byte here")
                .help("a .vpl file must be UTF-8 text; was a binary file given by mistake?");
            rep.emit(&sources, &[d]);
            return None;
        }
        Err(e) => {
            rep.tool_error(e);
            return None;
        }
    };
    let c = vpl_core::compile(&src.name, &src.text, &input::resolve_import);
    rep.emit(&c.sources, &c.diagnostics);
    if rep.failed() {
        return None;
    }
    c.table
}

pub fn compile(rep: &mut Reporter, policy: &str, output: Option<&std::path::Path>) -> u8 {
    let Some(table) = compile_policy(rep, policy) else { return BAD_INPUT };
    let json = serde_json::to_string_pretty(&table).unwrap_or_default() + "\n";
    match output {
        Some(path) => match input::write_atomic(path, json.as_bytes()) {
            Ok(()) => OK,
            Err(e) => {
                rep.tool_error(e);
                BAD_INPUT
            }
        },
        None => {
            print!("{json}");
            OK
        }
    }
}

pub fn table(rep: &mut Reporter, policy: Option<&str>, format: TableFormat, list: bool) -> u8 {
    if list {
        for b in bundled::POLICIES {
            println!("{:<28} {}", b.id, b.name.trim_matches(|c| c == '<' || c == '>'));
        }
        return OK;
    }
    let Some(policy) = policy else { return BAD_INPUT };
    let Some(table) = compile_policy(rep, policy) else { return BAD_INPUT };
    let out = match format {
        TableFormat::Json => serde_json::to_string_pretty(&table).unwrap_or_default() + "\n",
        TableFormat::Md => vpl_core::table::render::markdown(&table),
        TableFormat::Text => vpl_core::table::render::text(&table, terminal_width()),
    };
    print!("{out}");
    OK
}

fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).or(Some(160))
}
