//! # gatewise-cli
//!
//! The `gatewise` command, a thin shell over `gatewise-core`:
//!
//! - `gatewise probe <url>` walks the HTTP cycle (DNS lookup → connect →
//!   TLS → send the request → receive the response) one visible step at a
//!   time, and at the first failing step prints the core's diagnosis (RFC
//!   9209 type, hop, layer, retryability) and the site owner's advice
//!   ([`probe`]).
//! - `gatewise explain <input>` explains a status code, a log line or a
//!   raw response for a visitor, a site owner or a developer ([`explain`]).
//! - `gatewise pages --out DIR --for SERVER` exports informative static
//!   error pages and the server's configuration snippet ([`pages`]).
//!
//! The CLI classifies nothing on its own beyond knowing which step it was
//! in (the step table in [`probe::steps`]).
//!
//! # Example
//! ```
//! let code = gatewise_cli::run(["gatewise", "explain", "--json", "503"]);
//! assert_eq!(code, 0);
//! let code = gatewise_cli::run(["gatewise", "probe", "ftp://example.com/"]);
//! assert_eq!(code, 2);
//! ```

pub mod advice;
pub mod cli;
pub mod error;
pub mod explain;
pub mod lang;
pub mod pages;
pub mod probe;
pub mod style;
pub mod target;
pub mod ticker;

use std::ffi::OsString;

use clap::Parser;

/// Runs the command line `args` (the program name first), printing its
/// output, and returns the process exit code. Errors print as one line
/// `gatewise: <what> (<hint>)` on stderr.
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => return usage(&e),
    };
    match cli::execute(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}", e.line());
            e.exit_code()
        }
    }
}

/// Prints help and version as clap renders them; any other parse error as one line.
fn usage(e: &clap::Error) -> u8 {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = cli::emit(&e.to_string());
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprint!("{e}");
            error::EXIT_USAGE
        }
        _ => {
            // clap's message is the first paragraph; make it one line.
            let text = e.to_string();
            let first = text
                .trim_start()
                .split("\n\n")
                .next()
                .unwrap_or("invalid arguments")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .trim_start_matches("error: ")
                .to_owned();
            let err = error::CliError::Usage(first);
            eprintln!("{}", err.line());
            err.exit_code()
        }
    }
}
