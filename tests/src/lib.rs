//! Shared pieces of the test suite: the spec as data, JSON comparison with key paths, JSON
//! instances generated from the spec's schemas, and the generated tables that map schemas and
//! operations to the client's Rust types and builders.

#[rustfmt::skip]
pub mod generated;
pub mod instances;
pub mod json;
pub mod spec;
pub mod support;
