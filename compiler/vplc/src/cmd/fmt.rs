//! `vplc fmt [--check] PATH...`: rewrites files in the canonical layout.
//! A file that does not parse is reported and left untouched; writes go to a
//! temporary file that is then renamed over the original.

use super::{BAD_INPUT, FINDINGS, OK};
use crate::input;
use crate::report::{Reporter, ToolError};
use std::path::{Path, PathBuf};
use vpl_core::{Code, Diagnostic, SourceMap, Span};

pub fn fmt(rep: &mut Reporter, paths: &[PathBuf], check: bool) -> u8 {
    let mut files = Vec::new();
    for p in paths {
        collect(p, &mut files, rep);
    }
    let mut changed = Vec::new();
    let mut bad = false;
    for path in &files {
        match format_one(rep, path, check) {
            Some(true) => changed.push(path),
            Some(false) => {}
            None => bad = true,
        }
    }
    for path in &changed {
        if check {
            println!("would reformat {}", path.display());
        } else {
            println!("formatted {}", path.display());
        }
    }
    if bad || rep.failed() {
        BAD_INPUT
    } else if check && !changed.is_empty() {
        FINDINGS
    } else {
        OK
    }
}

/// Files named, and `.vpl` files under directories named, in a stable order.
fn collect(path: &Path, out: &mut Vec<PathBuf>, rep: &mut Reporter) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            rep.tool_error(ToolError::Read { path: path.display().to_string(), reason: "cannot list directory".into() });
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            if e.is_dir() || e.extension().is_some_and(|x| x == "vpl") {
                collect(&e, out, rep);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
}

/// Some(changed) on success, None when the file could not be formatted.
fn format_one(rep: &mut Reporter, path: &Path, check: bool) -> Option<bool> {
    let name = path.display().to_string();
    let text = match input::read_text(path) {
        Ok(Ok(t)) => t,
        Ok(Err((bytes, at))) => {
            let mut sources = SourceMap::new();
            let file = sources.add(name, String::from_utf8_lossy(&bytes).into_owned());
            let d = Diagnostic::new(Code::NotText, "the file is not UTF-8 text")
                .primary(Span::new(file, at, at + 1), "invalid or NUL byte here")
                .help("the file was left untouched");
            rep.emit(&sources, &[d]);
            return None;
        }
        Err(e) => {
            rep.tool_error(e);
            return None;
        }
    };
    match vpl_core::fmt::format_source(&text) {
        Ok(formatted) => {
            if formatted == text {
                return Some(false);
            }
            if !check {
                if let Err(e) = input::write_atomic(path, formatted.as_bytes()) {
                    rep.tool_error(e);
                    return None;
                }
            }
            Some(true)
        }
        Err(diags) => {
            let mut sources = SourceMap::new();
            sources.add(name, text);
            let diags: Vec<Diagnostic> = diags.into_iter().map(|d| d.note("the file was left untouched")).collect();
            rep.emit(&sources, &diags);
            None
        }
    }
}
