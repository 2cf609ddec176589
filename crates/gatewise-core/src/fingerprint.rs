//! Fingerprints: rows of data that tell which layer wrote an error response, and why.
