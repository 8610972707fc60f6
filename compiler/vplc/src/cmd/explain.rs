//! `vplc explain CODE` and `vplc schema`.

use super::{BAD_INPUT, OK};
use crate::cli::SchemaKind;
use crate::report::{Reporter, ToolError};
use vpl_core::Code;

pub fn explain(rep: &mut Reporter, code: Option<&str>, list: bool) -> u8 {
    if list {
        for c in Code::ALL {
            println!("{}  {}", c.as_str(), c.title());
        }
        return OK;
    }
    let Some(given) = code else { return BAD_INPUT };
    match Code::parse(given) {
        Some(c) => {
            println!("{}: {}\n\n{}", c.as_str(), c.title(), c.explanation());
            OK
        }
        None => {
            rep.tool_error(ToolError::UnknownCode(given.to_string()));
            BAD_INPUT
        }
    }
}

pub fn schema(which: SchemaKind) -> u8 {
    let schema = match which {
        SchemaKind::Case => {
            print!("{}", vpl_eval::CASE_SCHEMA);
            return OK;
        }
        SchemaKind::Findings => schemars::schema_for!(vpl_eval::CaseReport),
        SchemaKind::Verdicts => schemars::schema_for!(super::check::VerdictsLine),
        SchemaKind::Table => schemars::schema_for!(vpl_core::DecisionTable),
        SchemaKind::Diagnostic => schemars::schema_for!(vpl_core::diag::JsonDiagnostic),
    };
    println!("{}", serde_json::to_string_pretty(&schema).unwrap_or_default());
    OK
}
