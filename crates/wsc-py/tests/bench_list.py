"""Benchmark row: ncloud_wsc vs the NCP docs' Python sample (requests + hmac)
on the same getJobs call against wsc-mock, in one process, interleaved.
Prints the per-call times, their ratio and the import time of ncloud_wsc.
Run by ``cargo xtask wheels --check`` (a report, never an assertion)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import statistics
import subprocess
import sys
import time

import requests

from conftest import ACCESS_KEY, SECRET_KEY, start

CALLS = 200
ROUNDS = 9


def sample_call(base: str) -> int:
    """The docs' sample: sign with hmac + base64, send with requests."""
    uri = "/api/v1/jobs?limit=20&page=1"
    timestamp = str(int(time.time() * 1000))
    message = "GET " + uri + "\n" + timestamp + "\n" + ACCESS_KEY
    signature = base64.b64encode(
        hmac.new(SECRET_KEY.encode(), message.encode(), digestmod=hashlib.sha256).digest()
    ).decode()
    headers = {
        "x-ncp-apigw-signature-v2": signature,
        "x-ncp-apigw-timestamp": timestamp,
        "x-ncp-iam-access-key": ACCESS_KEY,
    }
    response = requests.get(base + uri, headers=headers, timeout=10)
    return len(response.json()["resources"]["record_data"])


def main() -> None:
    mock = start("--speed", "50")
    try:
        os.environ.update(mock.env())
        import ncloud_wsc

        client = ncloud_wsc.Client()
        assert len(client.list_jobs().jobs) == sample_call(mock.endpoint)
        ratios, ours, theirs = [], [], []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            for _ in range(CALLS):
                client.list_jobs()
            t1 = time.perf_counter()
            for _ in range(CALLS):
                sample_call(mock.endpoint)
            t2 = time.perf_counter()
            ours.append((t1 - t0) / CALLS)
            theirs.append((t2 - t1) / CALLS)
            ratios.append((t2 - t1) / (t1 - t0))
        imports = []
        for _ in range(5):
            done = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", "import ncloud_wsc"],
                capture_output=True, text=True, check=True,
            )
            line = [l for l in done.stderr.splitlines() if l.rstrip().endswith("| ncloud_wsc")][-1]
            imports.append(int(line.split("|")[1]) / 1000)
        print(
            f"bench: ncloud_wsc list {statistics.median(ours) * 1e3:.2f} ms/call, "
            f"requests+hmac sample {statistics.median(theirs) * 1e3:.2f} ms/call: "
            f"{statistics.median(ratios):.2f}x faster (median of {ROUNDS} interleaved rounds of {CALLS}); "
            f"import ncloud_wsc {statistics.median(imports):.1f} ms (cumulative, median of 5)"
        )
    finally:
        mock.process.kill()


if __name__ == "__main__":
    main()
