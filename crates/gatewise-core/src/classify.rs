//! Classification: transport errors and responses become a [`crate::Diagnosis`].
//!
//! One entry point for transport errors ([`transport`], [`io_error`]) and one
//! for responses ([`response`]), plus what a bare status code supports ([`status()`]); the worker, the npm package and the CLI never
//! classify on their own.

pub mod nel;
pub mod response;
pub mod status;
pub mod transport;

pub use nel::{nel, nel_field};
pub use response::{response, ResponseView};
pub use status::status;
pub use transport::{io_error, transport, TransportError};
