"""A bounded open-loop HTTP/1.1 load generator on loopback: N keep-alive clients, a fixed total rate.

Each client sends on a fixed schedule; a response's latency is measured from when its request was
due, not from when it was sent, so a slow server cannot hide its queue (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    sent: int = 0
    errors: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000 if ordered else float("nan")

    def line(self, label: str) -> str:
        rate = len(self.latencies) / self.seconds if self.seconds else 0.0
        mean = statistics.fmean(self.latencies) * 1000 if self.latencies else float("nan")
        p50, p99, top = self.percentile(50), self.percentile(99), max(self.latencies, default=0) * 1000
        return (
            f"{label:<44} {rate:8.0f} req/s  p50 {p50:6.2f} ms  p99 {p99:6.2f} ms"
            f"  max {top:7.2f} ms  mean {mean:6.2f} ms  errors {self.errors}"
        )


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for header in head.split(b"\r\n")[1:]:
        name, _, value = header.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def _client(
    host: str, port: int, requests: list[bytes], offset: float, interval: float, start: float,
    warm_until: float, stop: float, result: LoadResult,
) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection(host, port)
    due = start + offset
    n = 0
    try:
        while due < stop:
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                status = await _exchange(reader, writer, requests[n % len(requests)])
            except (OSError, asyncio.IncompleteReadError, ValueError):
                result.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                status = 0
            done = time.perf_counter()
            if due >= warm_until:
                result.sent += 1
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.latencies.append(done - due)
                else:
                    result.errors += 1
            n += 1
            due += interval
    finally:
        writer.close()


def run_load(
    host: str,
    port: int,
    requests: list[bytes],
    *,
    clients: int,
    rate: float,
    seconds: float,
    warmup: float = 2.0,
) -> LoadResult:
    """``clients`` connections sharing ``rate`` requests a second for ``warmup`` + ``seconds``."""
    result = LoadResult(seconds=seconds)
    interval = clients / rate

    async def main() -> None:
        start = time.perf_counter() + 0.2
        warm_until, stop = start + warmup, start + warmup + seconds
        await asyncio.gather(
            *(
                _client(
                    host,
                    port,
                    requests[i:] + requests[:i],
                    i * interval / clients,
                    interval,
                    start,
                    warm_until,
                    stop,
                    result,
                )
                for i in range(clients)
            )
        )

    asyncio.run(main())
    return result


def http_request(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: keep-alive"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body
