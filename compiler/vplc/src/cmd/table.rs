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
    compile_source(rep, &src.name, &src.text)
}

/// Compiles source text already read, reporting every diagnostic.
pub fn compile_source(rep: &mut Reporter, name: &str, text: &str) -> Option<vpl_core::DecisionTable> {
    let c = vpl_core::compile(name, text, &input::resolve_import);
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

pub fn table(rep: &mut Reporter, policies: &[String], format: TableFormat, list: bool) -> u8 {
    if list {
        for b in bundled::POLICIES {
            println!("{:<28} {}", b.id, b.name.trim_matches(|c| c == '<' || c == '>'));
        }
        return OK;
    }
    let mut tables = Vec::new();
    for p in policies {
        match compile_policy(rep, p) {
            Some(t) => tables.push(t),
            None => return BAD_INPUT,
        }
    }
    use vpl_core::table::render;
    let out = match (format, tables.as_slice()) {
        (_, []) => return BAD_INPUT,
        (TableFormat::Json, [one]) => serde_json::to_string_pretty(one).unwrap_or_default() + "\n",
        (TableFormat::Json, many) => serde_json::to_string_pretty(many).unwrap_or_default() + "\n",
        (TableFormat::Md, [one]) => render::markdown(one),
        (TableFormat::Md, many) => render::comparison_markdown(many),
        (TableFormat::Text, many) => many.iter().map(|t| render::text(t, terminal_width())).collect::<Vec<_>>().join("\n"),
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
