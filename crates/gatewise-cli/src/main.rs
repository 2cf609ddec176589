//! The `gatewise` binary: see the `gatewise_cli` library.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(gatewise_cli::run(std::env::args_os()))
}
