#!/usr/bin/env python3
"""Compares the region table of crates/drs/src/region.rs with the region lists that the official
Python SDKs publish, or prints the rows the table should hold.

Maintainers only: no build and no test runs it. It needs the packages huaweicloudsdkdrs and
huaweicloudsdkiam (which bring huaweicloudsdkcore) installed in the Python that runs it, for
instance in a virtual environment under target/:

    python3 -m venv target/sdk-venv
    target/sdk-venv/bin/pip install huaweicloudsdkdrs huaweicloudsdkiam
    target/sdk-venv/bin/python scripts/regions.py          # compare, exit 1 on a difference
    target/sdk-venv/bin/python scripts/regions.py --rows   # print the table's rows

Where the facts come from: the DRS endpoint of each region is `DrsRegion.static_fields` of the
DRS package; the IAM endpoint is `IamRegion.static_fields` of the IAM package, and for a region
that list lacks, the global IAM endpoint that the core package falls back to
(`IamHelper.DEFAULT_ENDPOINT`).
"""

import re
import sys
from importlib.metadata import version
from pathlib import Path

from huaweicloudsdkcore.auth.internal import IamHelper
from huaweicloudsdkdrs.v3.region.drs_region import DrsRegion
from huaweicloudsdkiam.v3.region.iam_region import IamRegion

TABLE = Path(__file__).resolve().parent.parent / "crates" / "drs" / "src" / "region.rs"
GLOBAL_IAM = "GLOBAL_IAM_ENDPOINT"


def published():
    """{region id: (DRS endpoint, IAM endpoint or GLOBAL_IAM)} from the installed SDKs."""
    drs = {rid: region.endpoint for rid, region in DrsRegion.static_fields.items()}
    iam = {rid: region.endpoint for rid, region in IamRegion.static_fields.items()}
    without_drs = sorted(set(iam) - set(drs))
    if without_drs:
        sys.exit(f"the IAM package lists regions the DRS package lacks: {without_drs}")
    return {rid: (drs[rid], iam.get(rid, GLOBAL_IAM)) for rid in sorted(drs)}


def in_table():
    """{region id: (DRS endpoint, IAM endpoint or GLOBAL_IAM)} as region.rs writes them."""
    text = TABLE.read_text(encoding="utf-8")
    rows = re.findall(
        r'Region\s*\{\s*id:\s*"([^"]+)",\s*drs_endpoint:\s*"([^"]+)",\s*'
        r'iam_endpoint:\s*(?:"([^"]+)"|(GLOBAL_IAM_ENDPOINT)),\s*\}',
        text,
    )
    return {rid: (drs, iam or constant) for rid, drs, iam, constant in rows}


def rust_rows(regions):
    lines = []
    for rid, (drs, iam) in regions.items():
        iam_text = iam if iam == GLOBAL_IAM else f'"{iam}"'
        lines.append(f'    Region {{ id: "{rid}", drs_endpoint: "{drs}", iam_endpoint: {iam_text}, }},')
    return "\n".join(lines)


def main():
    versions = ", ".join(
        f"{name} {version(name)}"
        for name in ("huaweicloudsdkdrs", "huaweicloudsdkiam", "huaweicloudsdkcore")
    )
    print(f"# {versions}; global IAM endpoint {IamHelper.DEFAULT_ENDPOINT}", file=sys.stderr)
    expected = published()
    if "--rows" in sys.argv[1:]:
        print(rust_rows(expected))
        return 0

    actual = in_table()
    differences = 0
    for rid in sorted(set(expected) | set(actual)):
        if expected.get(rid) != actual.get(rid):
            differences += 1
            print(f"{rid}: SDK {expected.get(rid)}, table {actual.get(rid)}")
    print(f"{len(expected)} regions published, {len(actual)} in the table, {differences} differ")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
