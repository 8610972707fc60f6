//! `vplc`, the VPL compiler's command line.

/// mimalloc rather than the system allocator: checking a batch builds and
/// drops many small strings on every thread, where glibc's malloc was a
/// third of the time and kept two threads from going faster than one
/// (docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(vplc::run_args(std::env::args_os()))
}
