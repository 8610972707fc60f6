//! The `vplc` command line as a library, so tests can run commands
//! in-process. All IO of the project lives in this crate.

pub mod cli;
pub mod cmd;
pub mod input;
pub mod report;

/// The compiler recurses over trees; give it room, so that deep (but
/// accepted) input never overflows the stack.
pub const STACK: usize = 256 * 1024 * 1024;

/// Runs a command line (without the program name's special meaning: the
/// first element is the program name) on a big-stack thread and returns the
/// exit code. Usage errors print clap's message and return 2.
pub fn run_args<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::Parser;
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { cmd::BAD_INPUT } else { cmd::OK };
        }
    };
    let worker = std::thread::Builder::new().stack_size(STACK).spawn(move || cmd::run(cli));
    match worker.map(|h| h.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("vplc: internal error (this is a bug; please report it with the input)");
            cmd::BAD_INPUT
        }
    }
}
