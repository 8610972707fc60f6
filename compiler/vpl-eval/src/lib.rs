//! Checking cases against decision tables: the back end of `vplc check`.
//! Pure — the caller reads files and the clock; this crate takes text, a
//! table and an `as_of` instant and returns findings or diagnostics.
//!
//! [`load`] reads and validates case files; [`eval`] evaluates a table on a
//! case; [`finding`] is the stable output model; [`render`] prints findings
//! for people.

pub mod case;
pub mod eval;
pub mod finding;
pub mod impact;
pub mod load;
mod program;
pub mod render;
pub mod versions;
pub mod witness;

pub use case::Case;
pub use eval::{check_case, check_case_with, verdicts, Compiled, Options, Verdict};
pub use finding::{CaseReport, Finding, Status};
pub use load::{load_case, LoadOptions, Vocab};

/// The JSON Schema of case files (`vplc schema case`).
pub const CASE_SCHEMA: &str = include_str!("case.schema.json");
