"""Decoding speed of the official Huawei Cloud Python SDK (huaweicloudsdkdrs) on the payloads of
the Rust benchmarks, in bytes per second.

Usage: decode.py PAYLOADS.json RESULTS.json

PAYLOADS.json is written by `cargo run -p drs-benches --bin payloads`: the documented success
response examples of spec/drs-v3.yaml and the large bodies built from them, each with its HTTP
method and path template. Each body goes through the SDK's own response path,
`DrsClient.sync_response_handler`: the SDK parses the text with simplejson (decimals for floats,
as the SDK asks) and builds its response model with `Client.deserialize`. The response model of a
payload is the one the SDK's client names for the same method and path. Operations the SDK
lacks are listed and skipped.
"""

import json
import re
import statistics
import sys
import time
import warnings
from importlib.metadata import version

from huaweicloudsdkdrs.v3 import DrsClient
from huaweicloudsdkdrs.v3 import model as drs_model

# Rounds per payload; each round lasts at least MIN_ROUND_SECONDS, and the median is reported.
ROUNDS = 5
MIN_ROUND_SECONDS = 0.2


class Response:
    """What sync_response_handler reads of a `requests.Response`."""

    def __init__(self, body: bytes):
        self.content = body
        self.text = body.decode("utf-8")
        self.status_code = 200
        self.headers = {"Content-Type": "application/json"}


def template(path: str) -> str:
    """A path with its placeholders blanked, since the SDK and the spec name them differently."""
    return re.sub(r"\{[^}]*\}", "{}", path)


def sdk_response_types() -> dict:
    """(METHOD, path template) -> response model name, from the SDK client's own request table."""
    found = {}
    for name in dir(DrsClient):
        match = re.fullmatch(r"_(\w+)_http_info", name)
        if not match:
            continue
        request_class = "".join(part.capitalize() for part in match.group(1).split("_")) + "Request"
        request_type = getattr(drs_model, request_class, None)
        if request_type is None:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = getattr(DrsClient, name)(request_type())
        found[(info["method"], template(info["resource_path"]))] = info["response_type"]
    return found


def measure(client: DrsClient, response_type: str, body: bytes) -> float:
    """Median seconds of one decoding."""
    def run(count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            client.sync_response_handler(Response(body), response_type, None, None)
        return time.perf_counter() - started

    count = 1
    while run(count) < MIN_ROUND_SECONDS:
        count *= 2
    return statistics.median(run(count) / count for _ in range(ROUNDS))


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as handle:
        payloads = json.load(handle)
    client = DrsClient()
    types = sdk_response_types()

    results = []
    missing = []
    for payload in payloads:
        response_type = types.get((payload["method"], template(payload["path"])))
        if response_type is None:
            missing.append(payload["label"])
            continue
        body = payload["body"].encode("utf-8")
        seconds = measure(client, response_type, body)
        results.append({
            "label": payload["label"],
            "sdk_type": response_type,
            "bytes": len(body),
            "median_seconds": seconds,
            "bytes_per_second": len(body) / seconds,
        })
        print(f"{payload['label']:64} {response_type:44} {len(body):8} B "
              f"{len(body) / seconds / 1e6:9.2f} MB/s")

    documented = [r for r in results if "/large-" not in r["label"]]
    total = {
        "bytes": sum(r["bytes"] for r in documented),
        "median_seconds": sum(r["median_seconds"] for r in documented),
    }
    total["bytes_per_second"] = total["bytes"] / total["median_seconds"]
    print(f"all documented examples: {total['bytes']} B, "
          f"{total['bytes_per_second'] / 1e6:.2f} MB/s")
    if missing:
        print("no counterpart in the SDK: " + ", ".join(missing))

    report = {
        "sdk": {name: version(name) for name in ("huaweicloudsdkdrs", "huaweicloudsdkcore")},
        "python": sys.version.split()[0],
        "results": results,
        "all_documented": total,
        "missing": missing,
    }
    with open(sys.argv[2], "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
