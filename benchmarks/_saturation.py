"""Throughput at saturation by wrk, a load generator outside the servers' interpreters."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

WRK_SCRIPT = """
local bodies = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/api/authorisations/check",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer demo-customs-cbsa"},
    bodies[(n %% #bodies) + 1])
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def saturate(port: int, bodies: Sequence[str], seconds: int, connections: int) -> tuple[float, str, int]:
    """Requests/s, latency p99 and non-2xx count from wrk at full speed (2 threads)."""
    lua = WRK_SCRIPT % ", ".join(json.dumps(b) for b in bodies)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    done = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name,
         f"http://127.0.0.1:{port}/api/authorisations/check"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    Path(script.name).unlink()
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout)
    p99 = re.search(r"99%\s+([\d.]+\w+)", done.stdout)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    return (
        float(rate.group(1)) if rate else float("nan"),
        p99.group(1) if p99 else "?",
        int(bad.group(1)) if bad else 0,
    )
