//! The hops of the HTTP cycle (DNS lookup → connect → TLS → send request →
//! receive response) and the segments of the path a request travels
//! (you → edge → origin).
//!
//! # Example
//! ```
//! use gatewise_core::{Hop, Reached};
//! assert!(Hop::Dns < Hop::Response);
//! assert_eq!(Hop::Tls.name(), "tls");
//! assert!(Reached::No.safe_to_retry_any_method());
//! ```

use serde::{Deserialize, Serialize};

macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident { $( $(#[$d:meta])* $v:ident = $s:literal ),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $( $(#[$d])* $v ),+ }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[ $( $name::$v ),+ ];
            /// The stable lowercase name used in JSON and catalogs.
            pub fn name(self) -> &'static str {
                match self { $( $name::$v => $s ),+ }
            }
            /// Parses the stable name.
            pub fn from_name(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.name() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
pub(crate) use named_enum;

named_enum! {
    /// A step of the HTTP cycle between a gateway and its next hop.
    Hop {
        /// Turning the host name into addresses.
        Dns = "dns",
        /// Opening the TCP connection.
        Connect = "connect",
        /// The TLS handshake.
        Tls = "tls",
        /// Writing the request.
        Request = "request",
        /// Reading the status line, headers and body.
        Response = "response",
        /// Inside the intermediary itself (configuration, loops, internal errors).
        Proxy = "proxy",
    }
}

named_enum! {
    /// Where on the path "you → edge → origin" the failure sits.
    Segment {
        /// Between the visitor and the first server (the visitor's own network).
        Client = "client",
        /// Inside a proxy, CDN or load balancer.
        Proxy = "proxy",
        /// Between a proxy and the server behind it.
        Upstream = "upstream",
        /// The origin application itself answered with an error.
        Origin = "origin",
        /// The signal does not say where.
        Unknown = "unknown",
    }
}

named_enum! {
    /// Whether a request can have reached the origin when a failure is seen.
    Reached {
        /// It cannot have: the failure happened before the request was sent.
        No = "no",
        /// It may have.
        Maybe = "maybe",
        /// It did: the origin (or something behind the proxy) answered.
        Yes = "yes",
    }
}

impl Reached {
    /// A failure before the request left is safe to retry for any method.
    pub fn safe_to_retry_any_method(self) -> bool {
        self == Reached::No
    }
}

impl Hop {
    /// The segment a failure at this hop of a gateway's upstream cycle sits in.
    pub fn segment(self) -> Segment {
        match self {
            Hop::Proxy => Segment::Proxy,
            _ => Segment::Upstream,
        }
    }
}
