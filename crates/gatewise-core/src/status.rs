//! The status registry: every HTTP status code users meet, with sources.
