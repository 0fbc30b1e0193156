//! What the benchmarks share: the payloads they decode (every documented success response of
//! the spec, and large bodies built from those examples), the table from schema name to generated
//! type, and a minimal HTTP server that answers with a documented example.
//!
//! The payloads are read from `spec/drs-v3.yaml` when a benchmark starts, so a new example in the
//! spec is measured without touching this crate; an example whose schema is missing from
//! [`codec::of`] stops the benchmark with the schema's name.

pub mod codec;
pub mod payload;
pub mod server;
