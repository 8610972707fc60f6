//! `vplc diff OLD NEW`: the semantic difference between two versions of an
//! instrument (see `vpl_core::diff`).

use super::table::{compile_policy, compile_source};
use super::{BAD_INPUT, FINDINGS, OK};
use crate::cli::TableFormat;
use crate::report::{Reporter, ToolError};
use std::io::Read;

fn load(rep: &mut Reporter, given: &str) -> Option<vpl_core::DecisionTable> {
    if given != "-" {
        return compile_policy(rep, given);
    }
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        rep.tool_error(ToolError::Read { path: "<stdin>".into(), reason: e.to_string() });
        return None;
    }
    compile_source(rep, "<stdin>", &text)
}

pub fn diff(rep: &mut Reporter, old: &str, new: &str, format: TableFormat) -> u8 {
    let (Some(a), Some(b)) = (load(rep, old), load(rep, new)) else { return BAD_INPUT };
    let d = vpl_core::diff::diff(&a, &b);
    let out = match format {
        TableFormat::Text => vpl_core::diff::text(&d),
        TableFormat::Md => vpl_core::diff::markdown(&d),
        TableFormat::Json => serde_json::to_string_pretty(&d).unwrap_or_default() + "\n",
    };
    print!("{out}");
    if d.is_empty() {
        OK
    } else {
        FINDINGS
    }
}
