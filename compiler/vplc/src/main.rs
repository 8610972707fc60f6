//! `vplc`, the VPL compiler's command line.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(vplc::run_args(std::env::args_os()))
}
