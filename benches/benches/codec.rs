//! Decoding and encoding of every documented success response, and of the large bodies, with
//! the generated types against `serde_json::Value`: `cargo bench -p drs-benches --bench codec`.
//!
//! Groups: `typed_decode`, `value_decode`, `typed_encode`, `value_encode`; one benchmark per
//! payload, named `operation.status.example` (or `operation.large-N`), plus `all-documented`,
//! which handles every documented example in turn. Throughput is the body's length in bytes.
//! Decoding reads a byte slice and drops the result; encoding writes into a reused buffer.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkGroup, Criterion, Throughput, measurement::WallTime};
use drs_benches::codec::{self, Codec, Encode};
use drs_benches::payload::{self, Payload};
use serde_json::Value;

/// A payload ready to measure: its codec, and its decoded forms for the encoding benchmarks.
struct Prepared {
    payload: Payload,
    name: String,
    codec: Codec,
    typed: Box<dyn Encode>,
    value: Value,
}

fn prepare() -> Vec<Prepared> {
    let payloads = payload::all().unwrap_or_else(|error| panic!("{error}"));
    payloads
        .into_iter()
        .map(|payload| {
            let codec = codec::of(&payload.schema).unwrap_or_else(|| {
                panic!(
                    "{}: schema {} is missing from drs_benches::codec",
                    payload.label, payload.schema
                )
            });
            let typed = (codec.decode_kept)(&payload.body)
                .unwrap_or_else(|error| panic!("{}: {error}", payload.label));
            let value = serde_json::from_slice(&payload.body).expect("payloads are JSON");
            Prepared {
                name: payload.label.replace('/', "."),
                payload,
                codec,
                typed,
                value,
            }
        })
        .collect()
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    // Short runs: there are some two hundred benchmarks, on a small shared machine.
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
}

fn benches(c: &mut Criterion) {
    let prepared = prepare();
    let documented: Vec<&Prepared> = prepared
        .iter()
        .filter(|p| !p.payload.label.contains("/large-"))
        .collect();
    let documented_bytes: usize = documented.iter().map(|p| p.payload.body.len()).sum();

    let mut group = c.benchmark_group("typed_decode");
    configure(&mut group);
    for p in &prepared {
        group.throughput(Throughput::Bytes(p.payload.body.len() as u64));
        group.bench_function(&p.name, |b| {
            b.iter(|| (p.codec.decode)(black_box(&p.payload.body)).unwrap())
        });
    }
    group.throughput(Throughput::Bytes(documented_bytes as u64));
    group.bench_function("all-documented", |b| {
        b.iter(|| {
            for p in &documented {
                (p.codec.decode)(black_box(&p.payload.body)).unwrap();
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("value_decode");
    configure(&mut group);
    for p in &prepared {
        group.throughput(Throughput::Bytes(p.payload.body.len() as u64));
        group.bench_function(&p.name, |b| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(&p.payload.body)).unwrap())
        });
    }
    group.throughput(Throughput::Bytes(documented_bytes as u64));
    group.bench_function("all-documented", |b| {
        b.iter(|| {
            for p in &documented {
                black_box(serde_json::from_slice::<Value>(black_box(&p.payload.body)).unwrap());
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("typed_encode");
    configure(&mut group);
    let mut out = Vec::new();
    for p in &prepared {
        group.throughput(Throughput::Bytes(p.payload.body.len() as u64));
        group.bench_function(&p.name, |b| {
            b.iter(|| {
                out.clear();
                black_box(&p.typed).encode_into(&mut out).unwrap();
            })
        });
    }
    group.throughput(Throughput::Bytes(documented_bytes as u64));
    group.bench_function("all-documented", |b| {
        b.iter(|| {
            for p in &documented {
                out.clear();
                black_box(&p.typed).encode_into(&mut out).unwrap();
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("value_encode");
    configure(&mut group);
    for p in &prepared {
        group.throughput(Throughput::Bytes(p.payload.body.len() as u64));
        group.bench_function(&p.name, |b| {
            b.iter(|| {
                out.clear();
                serde_json::to_writer(&mut out, black_box(&p.value)).unwrap();
            })
        });
    }
    group.throughput(Throughput::Bytes(documented_bytes as u64));
    group.bench_function("all-documented", |b| {
        b.iter(|| {
            for p in &documented {
                out.clear();
                serde_json::to_writer(&mut out, black_box(&p.value)).unwrap();
            }
        })
    });
    group.finish();
}

criterion::criterion_group!(codec_benches, benches);
criterion::criterion_main!(codec_benches);
