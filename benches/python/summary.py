"""Summary of a run of benches/run.sh: medians and ratios as Markdown tables.

Usage: summary.py TARGET_DIR

Reads the medians criterion wrote under TARGET_DIR/criterion (groups typed_decode,
value_decode, typed_encode, value_encode), the Python SDK's results in TARGET_DIR/bench/python.json
and the call benchmark's in TARGET_DIR/bench/calls.json. Standard library only.
"""

import json
import os
import sys

GROUPS = ("typed_decode", "value_decode", "typed_encode", "value_encode")
MB = 1e6


def criterion_medians(root: str) -> dict:
    """group -> benchmark name -> (median seconds, bytes)."""
    found = {}
    for group in GROUPS:
        directory = os.path.join(root, "criterion", group)
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            new = os.path.join(directory, name, "new")
            try:
                with open(os.path.join(new, "estimates.json"), encoding="utf-8") as handle:
                    median = json.load(handle)["median"]["point_estimate"] / 1e9
                with open(os.path.join(new, "benchmark.json"), encoding="utf-8") as handle:
                    size = json.load(handle)["throughput"]["Bytes"]
            except (OSError, KeyError, TypeError, ValueError):
                continue
            found.setdefault(group, {})[name] = (median, size)
    return found


def rate(entry) -> float:
    seconds, size = entry
    return size / seconds / MB


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: summary.py TARGET_DIR", file=sys.stderr)
        return 2
    root = sys.argv[1]
    medians = criterion_medians(root)
    python = {}
    python_path = os.path.join(root, "bench", "python.json")
    if os.path.exists(python_path):
        with open(python_path, encoding="utf-8") as handle:
            report = json.load(handle)
        python = {r["label"].replace("/", "."): r["bytes_per_second"] / MB for r in report["results"]}
        python["all-documented"] = report["all_documented"]["bytes_per_second"] / MB

    typed = medians.get("typed_decode", {})
    names = sorted(typed, key=lambda name: (name != "all-documented", "large-" not in name, name))
    print("| payload | bytes | typed decode MB/s | Value decode MB/s | typed / Value "
          "| Python SDK MB/s | typed / Python | typed encode MB/s | Value encode MB/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        size = typed[name][1]
        cells = [name, str(size), f"{rate(typed[name]):.0f}"]
        value = medians.get("value_decode", {}).get(name)
        cells += [f"{rate(value):.0f}", f"{rate(typed[name]) / rate(value):.2f}"] if value else ["", ""]
        sdk = python.get(name)
        cells += [f"{sdk:.1f}", f"{rate(typed[name]) / sdk:.1f}"] if sdk else ["", ""]
        for group in ("typed_encode", "value_encode"):
            entry = medians.get(group, {}).get(name)
            cells.append(f"{rate(entry):.0f}" if entry else "")
        print("| " + " | ".join(cells) + " |")

    documented = [n for n in names if n != "all-documented" and "large-" not in n]
    if documented:
        def ratios(other):
            return sorted(rate(typed[n]) / other(n) for n in documented if other(n))
        value_ratios = ratios(lambda n: rate(medians["value_decode"][n])
                              if n in medians.get("value_decode", {}) else None)
        sdk_ratios = ratios(lambda n: python.get(n))
        for what, found in (("typed / Value", value_ratios), ("typed / Python SDK", sdk_ratios)):
            if found:
                print(f"\n{what} over the {len(found)} documented examples: "
                      f"min {found[0]:.2f}, median {found[len(found) // 2]:.2f}, max {found[-1]:.2f}")

    calls_path = os.path.join(root, "bench", "calls.json")
    if os.path.exists(calls_path):
        with open(calls_path, encoding="utf-8") as handle:
            calls = json.load(handle)
        print("\n| client | µs per call (median round) | × reqwest | allocations per call "
              "| bytes allocated per call | bytes per in-flight request |")
        print("|---|---:|---:|---:|---:|---:|")
        for row in calls:
            print(f"| {row['client']} | {row['median_micros_per_call']:.2f} "
                  f"| {row['ratio_to_reqwest']:.3f} | {row['allocations_per_call']:.0f} "
                  f"| {row['bytes_allocated_per_call']:.0f} "
                  f"| {row['bytes_per_in_flight_request']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
