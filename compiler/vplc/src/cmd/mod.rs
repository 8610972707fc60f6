//! One module per subcommand; each returns the process exit code:
//! 0 success, 1 findings, 2 bad usage or bad input.

pub mod check;
mod diff;
pub mod doc;
mod explain;
mod fmt;
pub mod table;
mod test;

use crate::cli::{Cli, Command};
use crate::report::Reporter;

pub const OK: u8 = 0;
pub const FINDINGS: u8 = 1;
pub const BAD_INPUT: u8 = 2;

pub fn run(cli: Cli) -> u8 {
    let mut rep = Reporter::new(&cli.global);
    match cli.command {
        Command::Compile { policy, output } => table::compile(&mut rep, &policy, output.as_deref()),
        Command::Table { policies, format, list } => table::table(&mut rep, &policies, format, list),
        Command::Fmt { paths, check } => fmt::fmt(&mut rep, &paths, check),
        Command::Explain { code, list } => explain::explain(&mut rep, code.as_deref(), list),
        Command::Schema { which } => explain::schema(which),
        Command::Diff { old, new, format, cases, as_of, git_external } => {
            diff::run(&mut rep, &diff::Options { old, new, format, cases, as_of, git_external })
        }
        Command::Check { args, as_of, format, explain, tz, progress, jobs } => {
            let jobs = jobs.map(usize::from);
            check::check(&mut rep, &args, &check::Options { as_of, format, explain, tz, progress, jobs })
        }
        Command::Doc { policies, out, format, diff, cases, lang, as_of } => {
            doc::doc(&mut rep, &policies, &doc::Options { out, format, diff, cases, lang, as_of })
        }
        Command::Test { paths, policies, format, as_of } => test::test(&mut rep, &paths, &policies, format, as_of.as_deref()),
    }
}
