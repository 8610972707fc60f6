//! `vplc`, the VPL compiler's command line. All IO happens here; the
//! compiler core (`vpl-core`) is pure.

mod cli;
mod cmd;
mod input;
mod report;

use clap::Parser;
use std::process::ExitCode;

/// The compiler recurses over trees; give it room, so that deep (but
/// accepted) input never overflows the stack.
const STACK: usize = 256 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let worker = std::thread::Builder::new().stack_size(STACK).spawn(move || cmd::run(cli));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        _ => {
            eprintln!("vplc: internal error (this is a bug; please report it with the input)");
            ExitCode::from(2)
        }
    }
}
