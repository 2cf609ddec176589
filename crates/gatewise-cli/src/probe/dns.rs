//! Step 1 of the HTTP cycle: turning the host name into addresses, with a
//! real resolver (hickory) reading the system configuration
//! (`/etc/resolv.conf`, `/etc/hosts`), asking for A *and* AAAA records so
//! that every address is listed, as `wget` does ("Resolving google.com...
//! 79.101.110.94, 79.101.110.98, ...").
//!
//! # Example
//! ```
//! use gatewise_cli::probe::dns::rcode_name;
//! assert_eq!(rcode_name(3), "NXDOMAIN");
//! assert_eq!(rcode_name(2), "SERVFAIL");
//! assert_eq!(rcode_name(4000), "RCODE4000");
//! ```

use std::net::IpAddr;
use std::time::Duration;

use hickory_resolver::config::{
    LookupIpStrategy, NameServerConfigGroup, ResolverConfig, ResolverOpts,
};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::proto::ProtoErrorKind;
use hickory_resolver::{ResolveError, Resolver};
use serde::Serialize;

use super::steps::Outcome;
use super::{Detail, Failure};

/// DNS RCODEs: code, mnemonic, meaning (IANA "DNS RCODEs" registry;
/// RFC 1035 §4.1.1, RFC 2136 §2.2, RFC 6891 §9). RFC 9209 §2.3.2 carries
/// the mnemonic in `rcode`.
const RCODES: &[(u16, &str, &str)] = &[
    (
        0,
        "NOERROR",
        "the name exists but has no address (A/AAAA) record",
    ),
    (1, "FORMERR", "the DNS server could not read the query"),
    (2, "SERVFAIL", "the DNS server failed to answer"),
    (3, "NXDOMAIN", "the name does not exist"),
    (4, "NOTIMP", "the DNS server does not support this query"),
    (5, "REFUSED", "the DNS server refused to answer"),
    (6, "YXDOMAIN", "a name exists that should not"),
    (7, "YXRRSET", "a record set exists that should not"),
    (8, "NXRRSET", "a record set that should exist does not"),
    (
        9,
        "NOTAUTH",
        "the DNS server is not authoritative for the zone",
    ),
    (10, "NOTZONE", "the name is not in the zone"),
    (
        16,
        "BADVERS",
        "the DNS server does not support this EDNS version",
    ),
];

/// The mnemonic of a DNS RCODE (`RCODE<n>` when unregistered).
pub fn rcode_name(code: u16) -> String {
    RCODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, n, _)| (*n).to_owned())
        .unwrap_or_else(|| format!("RCODE{code}"))
}

/// What an RCODE means, in words.
pub fn rcode_meaning(code: u16) -> &'static str {
    RCODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, _, m)| *m)
        .unwrap_or("the DNS server answered with an error")
}

/// What the DNS step saw.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsDetail {
    /// The name looked up.
    pub host: String,
    /// How: `literal` (no lookup needed) or `system` (resolv.conf and hosts).
    pub resolver: &'static str,
    /// The name servers asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub nameservers: Vec<String>,
    /// Every address found.
    pub addresses: Vec<String>,
    /// The DNS response code when the answer had no address (`NXDOMAIN`…).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rcode: Option<String>,
    /// The resolver's error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Resolves `host` to all its addresses within `timeout`, asking the
/// system's resolvers, or only `server` when given.
pub fn resolve(
    host: &str,
    timeout: Duration,
    server: Option<std::net::SocketAddr>,
) -> Result<(Vec<IpAddr>, DnsDetail), Failure> {
    let mut detail = DnsDetail {
        host: host.to_owned(),
        resolver: "system",
        ..DnsDetail::default()
    };
    if let Ok(ip) = host.parse::<IpAddr>() {
        detail.resolver = "literal";
        detail.addresses = vec![ip.to_string()];
        return Ok((vec![ip], detail));
    }
    let fail = |outcome, message: String, mut detail: DnsDetail| {
        detail.error = Some(message.clone());
        Failure {
            outcome,
            message,
            detail: Box::new(Detail::Dns(detail)),
        }
    };
    let system = match server {
        Some(addr) => {
            detail.resolver = "given";
            Ok((
                ResolverConfig::from_parts(
                    None,
                    Vec::new(),
                    NameServerConfigGroup::from_ips_clear(&[addr.ip()], addr.port(), true),
                ),
                ResolverOpts::default(),
            ))
        }
        None => hickory_resolver::system_conf::read_system_conf(),
    };
    let (config, mut opts) = match system {
        Ok(c) => c,
        Err(e) => {
            return Err(fail(
                Outcome::ResolverFailed,
                format!("cannot read the resolver configuration: {e}"),
                detail,
            ))
        }
    };
    detail.nameservers = config
        .name_servers()
        .iter()
        .map(|n| format!("{} ({})", n.socket_addr, n.protocol))
        .collect();
    detail.nameservers.dedup();
    opts.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    opts.timeout = timeout;
    opts.attempts = 1;
    opts.cache_size = 0;
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return Err(fail(
                Outcome::ResolverFailed,
                format!("cannot start the resolver: {e}"),
                detail,
            ))
        }
    };
    let result = runtime.block_on(async {
        let mut builder = Resolver::builder_with_config(config, TokioConnectionProvider::default());
        *builder.options_mut() = opts;
        let resolver = builder.build();
        tokio::time::timeout(timeout, resolver.lookup_ip(host)).await
    });
    match result {
        Err(_) => Err(fail(
            Outcome::Timeout,
            format!("no answer within {} s", timeout.as_secs_f64()),
            detail,
        )),
        Ok(Err(e)) => {
            let (outcome, rcode) = outcome_of(&e);
            detail.rcode = rcode.map(rcode_name);
            let message = match rcode {
                Some(code) => format!("{}: {}", rcode_name(code), rcode_meaning(code)),
                None => e.to_string(),
            };
            Err(fail(outcome, message, detail))
        }
        Ok(Ok(lookup)) => {
            let mut ips: Vec<IpAddr> = lookup.iter().collect();
            ips.dedup();
            if ips.is_empty() {
                detail.rcode = Some(rcode_name(0));
                return Err(fail(
                    Outcome::NoAddress,
                    format!("NOERROR: {}", rcode_meaning(0)),
                    detail,
                ));
            }
            detail.addresses = ips.iter().map(IpAddr::to_string).collect();
            Ok((ips, detail))
        }
    }
}

/// The step outcome and the RCODE of a resolver error.
fn outcome_of(e: &ResolveError) -> (Outcome, Option<u16>) {
    let Some(proto) = e.proto() else {
        return (Outcome::ResolverFailed, None);
    };
    match proto.kind() {
        ProtoErrorKind::NoRecordsFound { response_code, .. } => {
            (Outcome::NoAddress, Some(u16::from(*response_code)))
        }
        ProtoErrorKind::Timeout => (Outcome::Timeout, None),
        ProtoErrorKind::Io(io) => (Outcome::Io(io.kind()), None),
        _ => (Outcome::ResolverFailed, None),
    }
}
