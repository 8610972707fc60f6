//! One module per subcommand; each returns the process exit code:
//! 0 success, 1 findings, 2 bad usage or bad input.

mod explain;
mod fmt;
mod table;

use crate::cli::{Cli, Command};
use crate::report::Reporter;

pub const OK: u8 = 0;
pub const FINDINGS: u8 = 1;
pub const BAD_INPUT: u8 = 2;

pub fn run(cli: Cli) -> u8 {
    let mut rep = Reporter::new(&cli.global);
    match cli.command {
        Command::Compile { policy, output } => table::compile(&mut rep, &policy, output.as_deref()),
        Command::Table { policy, format, list } => table::table(&mut rep, policy.as_deref(), format, list),
        Command::Fmt { paths, check } => fmt::fmt(&mut rep, &paths, check),
        Command::Explain { code, list } => explain::explain(&mut rep, code.as_deref(), list),
        Command::Schema { which } => explain::schema(which),
    }
}
