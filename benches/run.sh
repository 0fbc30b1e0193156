#!/usr/bin/env bash
# Runs every benchmark of the workspace and prints the summary tables of BENCHMARKS.md:
#   1. decoding and encoding with the generated types and with serde_json::Value (criterion);
#   2. the same bodies decoded by the official Python SDK, in a venv under target/bench/venv
#      with the versions pinned in benches/python/requirements.txt;
#   3. calls through huaweicloud_drs::Client against plain reqwest, on a local server.
# Needs a Rust toolchain, python3 with venv, and PyPI for the first run. The call benchmark runs
# on one CPU (taskset, when present): client and server then take turns on that CPU instead of
# waking each other across CPUs, which on a virtual machine costs more than the call itself.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-target}
out="$target/bench"
mkdir -p "$out"
export CARGO_INCREMENTAL=0

echo "== machine"
uptime
nproc
grep -m1 "model name" /proc/cpuinfo || true
rustc --version

echo "== decoding and encoding (criterion)"
cargo bench -p drs-benches --bench codec

echo "== calls"
pin=()
if command -v taskset >/dev/null; then
    pin=(taskset -c 0)
fi
"${pin[@]}" cargo bench -p drs-benches --bench calls

echo "== official Python SDK"
cargo run --quiet --release -p drs-benches --bin payloads -- "$out/payloads.json"
if [ ! -x "$out/venv/bin/python" ]; then
    python3 -m venv "$out/venv"
fi
"$out/venv/bin/pip" install --quiet -r benches/python/requirements.txt
"$out/venv/bin/python" benches/python/decode.py "$out/payloads.json" "$out/python.json"

echo "== summary"
uptime
python3 benches/python/summary.py "$target" | tee "$out/summary.md"
