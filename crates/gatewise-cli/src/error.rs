//! The CLI's own errors: everything that stops a command before it can
//! report. Each one prints as a single line `gatewise: <what> (<hint>)` and
//! maps to an exit code; none of them panics or shows a backtrace.
//!
//! A failing *probe step* is not an error here: it is the probe's result
//! (see [`crate::probe`]), reported with its own exit code.
//!
//! # Example
//! ```
//! use gatewise_cli::error::CliError;
//! let e = CliError::BadUrl { url: "ftp://x".into(), why: "scheme ftp is not http or https".into() };
//! assert_eq!(e.to_string(), "invalid URL ftp://x: scheme ftp is not http or https");
//! assert_eq!(e.line(), "gatewise: invalid URL ftp://x: scheme ftp is not http or https (use http://host[:port]/path or https://…)");
//! assert_eq!(e.exit_code(), 2);
//! ```

use std::path::PathBuf;

/// Exit code: usage error (bad arguments, bad URL, bad option value).
pub const EXIT_USAGE: u8 = 2;
/// Exit code: any other failure (I/O on local files, nothing to explain).
pub const EXIT_OTHER: u8 = 1;

/// Why a command could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CliError {
    /// The command line could not be parsed.
    #[error("{0}")]
    Usage(String),
    /// The URL given to `probe` is not usable.
    #[error("invalid URL {url}: {why}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// `--lang` names a language without a catalog.
    #[error("unknown language {0}")]
    UnknownLanguage(String),
    /// A local file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A local file or directory could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A CA file holds no usable certificate.
    #[error("no certificate in {0}")]
    NoCertificate(PathBuf),
    /// `explain` was given something it cannot recognise.
    #[error("cannot explain {0:?}")]
    NotRecognised(String),
    /// `explain` was given a HAR file in which no request failed.
    #[error("no request of this HAR file failed ({0} read)")]
    NothingFailed(usize),
    /// Writing the output failed (a closed pipe, a full disk).
    #[error("cannot write output: {0}")]
    Output(std::io::Error),
    /// The DNS resolver could not even be set up.
    #[error("cannot set up the DNS resolver: {0}")]
    Resolver(String),
}

impl CliError {
    /// A hint on what to do, shown in parentheses after the message.
    pub fn hint(&self) -> &'static str {
        match self {
            CliError::Usage(_) => "see gatewise --help",
            CliError::BadUrl { .. } => "use http://host[:port]/path or https://…",
            CliError::UnknownLanguage(_) => "see gatewise explain --help for the language tags",
            CliError::Read { .. } => "check the path and its permissions",
            CliError::Write { .. } => "check that the directory exists and is writable",
            CliError::NoCertificate(_) => "the file must hold PEM certificates",
            CliError::NotRecognised(_) => {
                "give a status code like 502 or 502.3, a log line, an error page, a response or HAR file, or - for stdin"
            }
            CliError::NothingFailed(_) => "save the HAR file after the failure happened",
            CliError::Output(_) => "is the output closed?",
            CliError::Resolver(_) => "check /etc/resolv.conf",
        }
    }

    /// The one line printed on stderr.
    pub fn line(&self) -> String {
        format!("gatewise: {self} ({})", self.hint())
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::BadUrl { .. } | CliError::UnknownLanguage(_) => {
                EXIT_USAGE
            }
            _ => EXIT_OTHER,
        }
    }
}
