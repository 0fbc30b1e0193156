//! Writes the benchmark's payloads to a JSON file, so that the benchmark of the official Python
//! SDK decodes exactly the bytes the Rust benchmarks decode:
//! `cargo run -p drs-benches --bin payloads -- OUT.json`.
//!
//! The file is a list of `{label, operation, method, path, schema, body}` objects, `body` being
//! the response body as a string.

use std::process::ExitCode;

use serde_json::json;

fn main() -> ExitCode {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: payloads OUT.json");
        return ExitCode::from(2);
    };
    let payloads = match drs_benches::payload::all() {
        Ok(payloads) => payloads,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut entries = Vec::new();
    for payload in &payloads {
        let Ok(body) = std::str::from_utf8(&payload.body) else {
            eprintln!("error: {}: the body is not UTF-8", payload.label);
            return ExitCode::FAILURE;
        };
        entries.push(json!({
            "label": payload.label,
            "operation": payload.operation,
            "method": payload.method,
            "path": payload.path,
            "schema": payload.schema,
            "body": body,
        }));
    }
    let text = serde_json::Value::Array(entries).to_string();
    if let Err(error) = std::fs::write(&out, text) {
        eprintln!("error: cannot write {out}: {error}");
        return ExitCode::FAILURE;
    }
    println!("wrote {} payloads to {out}", payloads.len());
    ExitCode::SUCCESS
}
