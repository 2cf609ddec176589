//! The command line (clap derive) and what each command does with it.
//!
//! # Example
//! ```
//! use gatewise_cli::cli::parse_seconds;
//! assert_eq!(parse_seconds("0.5").unwrap().as_millis(), 500);
//! assert!(parse_seconds("0").is_err());
//! assert!(parse_seconds("ten").is_err());
//! ```

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use gatewise_core::{Audience, Hop};

use crate::advice::Known;
use crate::error::CliError;
use crate::explain;
use crate::pages::{self, servers::Server};
use crate::probe::{self, print};
use crate::style::Style;
use crate::target::Target;

/// The longest time limit accepted, in seconds.
const MAX_SECONDS: f64 = 3600.0;

/// Parses a time limit in seconds (`5`, `0.5`).
pub fn parse_seconds(s: &str) -> Result<Duration, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(v > 0.0 && v <= MAX_SECONDS) {
        return Err(format!(
            "must be more than 0 and at most {MAX_SECONDS} seconds"
        ));
    }
    Ok(Duration::from_secs_f64(v))
}

/// gatewise: when a gateway fails, say exactly why.
#[derive(Debug, Parser)]
#[command(name = "gatewise", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Language of the output (a catalog tag: en, es, fr, de, pt-BR, ja, zh-Hans, ar; or a
    /// tag that leads to one, such as fr-CA or pt-PT).
    /// Default: from LC_ALL / LC_MESSAGES / LANG.
    #[arg(long, global = true, value_name = "TAG")]
    pub lang: Option<String>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk the HTTP cycle to a URL one step at a time (DNS, connect, TLS,
    /// request, response) and explain the first step that fails.
    ///
    /// Exit codes: 0 a response below 500; 10 DNS failed; 11 connect failed;
    /// 12 TLS failed; 13 sending the request failed; 14 receiving the
    /// response failed; 15 the server answered 500 or more; 2 usage; 1 other.
    Probe(ProbeArgs),
    /// Explain anything pasted: a status code (502, 502.3, 524), log lines,
    /// a raw HTTP response or curl -v output, an error page or its text, a
    /// header dump, an error message, a HAR file (a file, or - for stdin).
    Explain(ExplainArgs),
    /// Write informative static error pages (500, 502, 503, 504, every
    /// language) and the configuration snippet for a web server.
    Pages(PagesArgs),
}

/// `gatewise probe`
#[derive(Debug, clap::Args)]
pub struct ProbeArgs {
    /// The URL (http:// or https://; a bare host means http://).
    pub url: String,
    /// Print JSON: {"diagnosis": …, "steps": [{"step", "ok", "ms", "detail"}…]}.
    #[arg(long)]
    pub json: bool,
    /// Time limit of the DNS lookup, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_seconds)]
    pub dns_timeout: Duration,
    /// Time limit of each connection attempt, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_seconds)]
    pub connect_timeout: Duration,
    /// Time limit of the TLS handshake, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_seconds)]
    pub tls_timeout: Duration,
    /// Time limit for sending the request and receiving the header section, in seconds.
    #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = parse_seconds)]
    pub response_timeout: Duration,
    /// Also trust the CA certificates in this PEM file.
    #[arg(long, value_name = "FILE")]
    pub cacert: Option<PathBuf>,
    /// Ask this DNS server (IP:PORT, UDP then TCP) instead of the system's resolvers.
    #[arg(long, value_name = "IP:PORT")]
    pub dns_server: Option<std::net::SocketAddr>,
}

/// Who an explanation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    /// The person who saw the error page.
    Visitor,
    /// The site owner or operator.
    Owner,
    /// The application's developer.
    Developer,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Audience {
        match a {
            AudienceArg::Visitor => Audience::Visitor,
            AudienceArg::Owner => Audience::Owner,
            AudienceArg::Developer => Audience::Developer,
        }
    }
}

/// `gatewise explain`
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A status code, a log line, an error text, a file (a raw response, log lines, a HAR file…), or - for stdin.
    pub input: String,
    /// Who the explanation is for.
    #[arg(long, value_enum, default_value = "owner")]
    pub audience: AudienceArg,
    /// Print the explanation as JSON: {"kind", "diagnosis" (the headline's), "headline", "artefacts": […], "notFailed", "omitted"}.
    #[arg(long)]
    pub json: bool,
}

/// `gatewise pages`
#[derive(Debug, clap::Args)]
pub struct PagesArgs {
    /// The directory to write to (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The web server to configure.
    #[arg(long = "for", value_enum, value_name = "SERVER")]
    pub server: Server,
    /// Where DIR will live on the server, if not where it is now.
    #[arg(long, value_name = "PATH")]
    pub root: Option<String>,
    /// The site's name, shown on the pages.
    #[arg(long)]
    pub site_name: Option<String>,
    /// A contact (mail or URL), shown on the pages.
    #[arg(long)]
    pub contact: Option<String>,
    /// A status page URL, shown on the pages.
    #[arg(long)]
    pub status_page: Option<String>,
    /// HAProxy's tune.bufsize, to check the errorfile sizes against.
    #[arg(long, value_name = "BYTES", default_value_t = pages::HAPROXY_DEFAULT_BUFSIZE)]
    pub haproxy_bufsize: usize,
    /// Print the list of files as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Writes `s` to stdout; a closed pipe is not an error worth a message.
pub fn emit(s: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::Output(e)),
        _ => Ok(()),
    }
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, CliError> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| CliError::Output(std::io::Error::other(e)))
}

/// The spinner's label of a step (in English: stderr is for the terminal).
fn spinner_label(h: Hop) -> String {
    print::step_label(h, gatewise_core::Lang::EN)
}

/// Runs a parsed command line; returns the exit code.
pub fn execute(cli: Cli) -> Result<u8, CliError> {
    let lang = crate::lang::pick(cli.lang.as_deref())?;
    match cli.command {
        Command::Probe(a) => {
            let target = Target::parse(&a.url)?;
            let opts = probe::Options {
                timeouts: probe::Timeouts {
                    dns: a.dns_timeout,
                    connect: a.connect_timeout,
                    tls: a.tls_timeout,
                    response: a.response_timeout,
                },
                cacert: a.cacert,
                dns_server: a.dns_server,
                spinner: Some(spinner_label),
                target: target.clone(),
            };
            let report = probe::run(&opts)?;
            if a.json {
                emit(&json(&report)?)?;
            } else {
                let known = Known {
                    url: Some(target.url()),
                    this_machine: true,
                };
                emit(&print::text(&report, lang, &known, &Style::for_stdout()))?;
            }
            Ok(report.exit_code)
        }
        Command::Explain(a) => {
            let text = explain::read_input(&a.input)?;
            let e = explain::explain_text(&text)?;
            if a.json {
                emit(&json(&e)?)?;
            } else {
                emit(&explain::render(
                    &e,
                    a.audience.into(),
                    lang,
                    &Style::for_stdout(),
                ))?;
            }
            Ok(0)
        }
        Command::Pages(a) => {
            let opts = pages::Options {
                out: a.out,
                server: a.server,
                root: a.root,
                lang,
                site_name: a.site_name,
                contact: a.contact,
                status_page: a.status_page,
                haproxy_bufsize: a.haproxy_bufsize,
            };
            let done = pages::export(&opts)?;
            if a.json {
                emit(&json(&done)?)?;
            } else {
                emit(&pages::summary(&done, a.server))?;
            }
            Ok(0)
        }
    }
}
