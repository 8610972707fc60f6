//! Syntax: the pest grammar, the AST, and the functions that turn one into
//! the other. This is the first stage of the pipeline; it knows nothing of
//! names or types.

pub mod ast;
mod errors;
mod expr;
mod fast;
mod parse;

pub use errors::{check_nesting, MAX_NESTING};
pub(crate) use parse::comment_start;
pub use parse::parse_file;

#[derive(pest_derive::Parser)]
#[grammar = "syntax/grammar.pest"]
pub(crate) struct VplParser;
