"""A small HTTP load generator for the benchmarks: standard library only, loopback only, bounded.

Modes (``python -m bench.load MODE --help``):

``rate``
    Open loop at a fixed request rate. Request *i* is due at ``start + i / rate``;
    its latency runs from that due time to the last byte of the answer, so
    time spent queueing (in the client waiting for a free connection, in the
    server's accept queue) counts. A slow server cannot hide behind a client
    that politely waits for it (no coordinated omission).
``saturate``
    Closed loop: C connections, each sending its next request as soon as the
    previous answer is in, for a fixed time. Reports the throughput.
``compare``
    One connection, URLs requested in turn (order alternating every round):
    the service time of each URL without load, e.g. page 1 against page 1000.
``walk``
    Follow the ``next`` links of a cursor-paginated feed and print the URL of page N.

Several ``--url`` are used round robin; ``--header`` adds a request header to every
request (a session cookie, ``Accept: text/html``). Every URL must point at a loopback
address; runs stop by themselves (``--duration`` at most 300 s). Answers other
than 200 and transport failures are counted as errors and kept out of the
latency figures.

The generator runs in one thread and one process: on a small machine it
shares the CPU with the server, which is why it reports its own CPU use.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MAX_DURATION = 300.0
MAX_RATE = 10_000.0
MAX_CONNECTIONS = 512
MAX_ROUNDS = 100_000
MAX_PAGES = 100_000
USER_AGENT = "support-circle-bench/1"
DEFAULT_HEADERS = (("Accept", "application/json"),)


class LoadError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    paths: tuple[str, ...]
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_urls(cls, urls: Sequence[str], headers: Mapping[str, str] | None = None) -> Target:
        if not urls:
            raise LoadError("give at least one --url")
        hosts = set()
        paths = []
        for url in urls:
            parts = urlsplit(url)
            if parts.scheme != "http" or not parts.hostname:
                raise LoadError(f"only http:// URLs with a host: {url}")
            if not _is_loopback(parts.hostname):
                raise LoadError(f"refusing a non-loopback host: {parts.hostname}")
            hosts.add((parts.hostname, parts.port or 80))
            paths.append((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        if len(hosts) != 1:
            raise LoadError("all URLs must share one host and port")
        (host, port) = hosts.pop()
        for name, value in (headers or {}).items():
            if not name or any(char in name + value for char in "\r\n") or ":" in name:
                raise LoadError(f"not a header: {name!r}")
        return cls(host=host, port=port, paths=tuple(paths), headers=tuple((headers or {}).items()))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Connection:
    """One HTTP/1.1 connection; reopens itself when the server closed it (sync gunicorn workers do)."""

    def __init__(self, host: str, port: int, headers: Sequence[tuple[str, str]] = ()) -> None:
        self.host = host
        self.port = port
        given = {name.lower() for name, _ in headers}
        kept = [(name, value) for name, value in DEFAULT_HEADERS if name.lower() not in given]
        self.header_lines = "".join(f"{name}: {value}\r\n" for name, value in (*kept, *headers))
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.requests_on_this_socket = 0
        self.connects = 0

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.requests_on_this_socket = 0
        self.connects += 1

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``; (status, body). Retries once when a reused keep-alive socket turns out closed."""
        reused = self.writer is not None and self.requests_on_this_socket > 0
        try:
            return await self._get(path)
        except (ConnectionError, asyncio.IncompleteReadError):
            self.close()
            if not reused:
                raise
            return await self._get(path)

    async def _get(self, path: str) -> tuple[int, bytes]:
        if self.writer is None:
            await self._open()
        assert self.reader is not None
        assert self.writer is not None
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nUser-Agent: {USER_AGENT}\r\n"
            f"{self.header_lines}\r\n".encode("latin-1")
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        self.requests_on_this_socket += 1
        status = int(head[9:12])
        length: int | None = None
        close = head.startswith(b"HTTP/1.0")
        chunked = False
        for line in head.decode("latin-1").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            value = value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "connection":
                close = value == "close"
            elif name == "transfer-encoding":
                chunked = "chunked" in value
        if chunked:
            body = await self._read_chunked()
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            body = await self.reader.read()
            close = True
        if close:
            self.close()
        return status, body

    async def _read_chunked(self) -> bytes:
        assert self.reader is not None
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)


class Pool:
    """At most ``size`` requests in flight; idle keep-alive connections are reused."""

    def __init__(self, host: str, port: int, size: int, headers: Sequence[tuple[str, str]] = ()) -> None:
        self.host = host
        self.port = port
        self.headers = headers
        self.slots = asyncio.Semaphore(size)
        self.idle: list[Connection] = []
        self.all: list[Connection] = []

    async def get(self, path: str) -> tuple[int, bytes]:
        async with self.slots:
            if self.idle:
                connection = self.idle.pop()
            else:
                connection = Connection(self.host, self.port, self.headers)
                self.all.append(connection)
            try:
                result = await connection.get(path)
            except BaseException:
                connection.close()
                raise
            self.idle.append(connection)
            return result

    def close(self) -> None:
        for connection in self.all:
            connection.close()

    @property
    def connects(self) -> int:
        return sum(connection.connects for connection in self.all)


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values (q in 0..100)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(q / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class Result:
    mode: str
    target: str
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    elapsed: float = 0.0
    client_cpu: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        values = sorted(self.latencies)
        ms = [value * 1000 for value in values]
        summary: dict[str, Any] = {
            "mode": self.mode,
            "target": self.target,
            "ok": len(values),
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "elapsed_s": round(self.elapsed, 3),
            "throughput_rps": round(len(values) / self.elapsed, 1) if self.elapsed else None,
            "latency_ms": {
                "p50": round(percentile(ms, 50), 2),
                "p90": round(percentile(ms, 90), 2),
                "p99": round(percentile(ms, 99), 2),
                "max": round(ms[-1], 2) if ms else None,
                "mean": round(sum(ms) / len(ms), 2) if ms else None,
            },
            "client_cpu_share": round(self.client_cpu / self.elapsed, 3) if self.elapsed else None,
        }
        summary.update(self.extra)
        return summary


def _record(result: Result, status: int | None, error: str | None, latency: float) -> None:
    if error is not None:
        result.errors[error] += 1
    elif status != 200:
        result.errors[f"http_{status}"] += 1
    else:
        result.latencies.append(latency)


async def fixed_rate(
    target: Target, *, rate: float, duration: float, max_in_flight: int = 256, timeout: float = 10.0
) -> Result:
    """Open loop: ``rate`` requests per second for ``duration`` seconds, latency from each due time."""
    _check(duration=duration, rate=rate, connections=max_in_flight)
    loop = asyncio.get_running_loop()
    pool = Pool(target.host, target.port, max_in_flight, target.headers)
    result = Result(mode="rate", target=target.paths[0], extra={"rate": rate, "max_in_flight": max_in_flight})
    total = int(rate * duration)
    lateness: list[float] = []
    in_flight: set[asyncio.Task[None]] = set()

    async def one(index: int, due: float) -> None:
        status: int | None = None
        error: str | None = None
        try:
            async with asyncio.timeout(timeout):
                status, _ = await pool.get(target.paths[index % len(target.paths)])
        except TimeoutError:
            error = "timeout"
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            error = type(exc).__name__
        _record(result, status, error, loop.time() - due)

    cpu = time.process_time()
    start = loop.time() + 0.05
    for index in range(total):
        due = start + index / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        lateness.append(max(0.0, loop.time() - due))
        task = asyncio.create_task(one(index, due))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.wait(in_flight)
    result.elapsed = loop.time() - start
    result.client_cpu = time.process_time() - cpu
    lateness.sort()
    result.extra["send_lag_ms"] = {
        "p50": round(percentile(lateness, 50) * 1000, 2),
        "p99": round(percentile(lateness, 99) * 1000, 2),
    }
    result.extra["connections_opened"] = pool.connects
    pool.close()
    return result


async def saturate(target: Target, *, concurrency: int, duration: float, timeout: float = 10.0) -> Result:
    """Closed loop: ``concurrency`` connections back to back for ``duration`` seconds."""
    _check(duration=duration, connections=concurrency)
    loop = asyncio.get_running_loop()
    result = Result(mode="saturate", target=target.paths[0], extra={"concurrency": concurrency})
    connections = [Connection(target.host, target.port, target.headers) for _ in range(concurrency)]
    start = loop.time()
    stop_at = start + duration

    async def worker(number: int) -> None:
        connection = connections[number]
        index = number
        while loop.time() < stop_at:
            began = loop.time()
            status: int | None = None
            error: str | None = None
            try:
                async with asyncio.timeout(timeout):
                    status, _ = await connection.get(target.paths[index % len(target.paths)])
            except TimeoutError:
                error = "timeout"
                connection.close()
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                error = type(exc).__name__
                connection.close()
            _record(result, status, error, loop.time() - began)
            index += concurrency

    cpu = time.process_time()
    await asyncio.gather(*(worker(number) for number in range(concurrency)))
    result.elapsed = loop.time() - start
    result.client_cpu = time.process_time() - cpu
    result.extra["connections_opened"] = sum(connection.connects for connection in connections)
    for connection in connections:
        connection.close()
    return result


async def compare(target: Target, *, rounds: int, warmup: int = 20) -> list[Result]:
    """One connection; every round requests each URL once (order alternating). One Result per URL."""
    _check(rounds=rounds)
    loop = asyncio.get_running_loop()
    connection = Connection(target.host, target.port, target.headers)
    results = [Result(mode="compare", target=path) for path in target.paths]
    order = list(range(len(target.paths)))
    cpu = time.process_time()
    start = loop.time()
    for round_number in range(warmup + rounds):
        for index in order if round_number % 2 == 0 else order[::-1]:
            began = loop.time()
            status: int | None = None
            error: str | None = None
            try:
                async with asyncio.timeout(10):
                    status, _ = await connection.get(target.paths[index])
            except TimeoutError:
                error = "timeout"
                connection.close()
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                error = type(exc).__name__
                connection.close()
            if round_number >= warmup:
                _record(results[index], status, error, loop.time() - began)
    for result in results:
        result.elapsed = loop.time() - start
        result.client_cpu = time.process_time() - cpu
    connection.close()
    return results


async def fetch_json(url: str) -> Any:
    target = Target.from_urls([url])
    connection = Connection(target.host, target.port)
    try:
        status, body = await connection.get(target.paths[0])
    finally:
        connection.close()
    if status != 200:
        raise LoadError(f"GET {url} answered {status}")
    return json.loads(body)


async def walk(url: str, *, pages: int) -> tuple[str, float]:
    """Follow ``next`` from ``url`` (page 1) to page ``pages``; (URL of that page, seconds taken)."""
    _check(pages=pages)
    target = Target.from_urls([url])
    connection = Connection(target.host, target.port)
    loop = asyncio.get_running_loop()
    start = loop.time()
    current = url
    try:
        for page in range(1, pages):
            status, body = await connection.get(Target.from_urls([current]).paths[0])
            if status != 200:
                raise LoadError(f"page {page} answered {status}")
            following = json.loads(body).get("next")
            if not following:
                raise LoadError(f"the feed ends at page {page}, before page {pages}")
            current = following
    finally:
        connection.close()
    return current, loop.time() - start


def _check(*, duration: float = 1.0, rate: float = 1.0, connections: int = 1, rounds: int = 1, pages: int = 1) -> None:
    if not 0 < duration <= MAX_DURATION:
        raise LoadError(f"duration must be in (0, {MAX_DURATION:g}] seconds")
    if not 0 < rate <= MAX_RATE:
        raise LoadError(f"rate must be in (0, {MAX_RATE:g}] requests per second")
    if not 0 < connections <= MAX_CONNECTIONS:
        raise LoadError(f"connections must be in [1, {MAX_CONNECTIONS}]")
    if not 0 < rounds <= MAX_ROUNDS:
        raise LoadError(f"rounds must be in [1, {MAX_ROUNDS}]")
    if not 0 < pages <= MAX_PAGES:
        raise LoadError(f"pages must be in [1, {MAX_PAGES}]")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    modes = parser.add_subparsers(dest="mode", required=True)
    rate = modes.add_parser("rate", help="open loop at a fixed rate")
    rate.add_argument("--rate", type=float, required=True, help="requests per second")
    rate.add_argument("--duration", type=float, default=15.0, help="seconds (default 15)")
    rate.add_argument("--max-in-flight", type=int, default=256, help="connections at most (default 256)")
    sat = modes.add_parser("saturate", help="closed loop with C connections")
    sat.add_argument("--concurrency", type=int, default=8, help="connections (default 8)")
    sat.add_argument("--duration", type=float, default=15.0, help="seconds (default 15)")
    cmp_ = modes.add_parser("compare", help="service time of each URL, one connection, alternating")
    cmp_.add_argument("--rounds", type=int, default=300, help="requests per URL (default 300)")
    walk_ = modes.add_parser("walk", help="follow next links and print the URL of page N")
    walk_.add_argument("--pages", type=int, required=True, help="page number to reach")
    for sub in (rate, sat, cmp_, walk_):
        sub.add_argument("--url", action="append", required=True, help="http://127.0.0.1:PORT/path (repeatable)")
    for sub in (rate, sat, cmp_):
        sub.add_argument("--header", action="append", default=[], help="'Name: value' on every request (repeatable)")
    args = parser.parse_args(argv)

    try:
        if args.mode == "walk":
            url, seconds = asyncio.run(walk(args.url[0], pages=args.pages))
            print(json.dumps({"pages": args.pages, "url": url, "seconds": round(seconds, 2)}))
            return 0
        headers: dict[str, str] = {}
        for header in getattr(args, "header", []):
            name, colon, value = header.partition(":")
            if not colon:
                raise LoadError(f"give --header as 'Name: value', not {header!r}")
            headers[name.strip()] = value.strip()
        target = Target.from_urls(args.url, headers)
        if args.mode == "rate":
            results = [asyncio.run(fixed_rate(target, rate=args.rate, duration=args.duration))]
        elif args.mode == "saturate":
            results = [asyncio.run(saturate(target, concurrency=args.concurrency, duration=args.duration))]
        else:
            results = asyncio.run(compare(target, rounds=args.rounds))
    except LoadError as exc:
        print(f"bench.load: {exc}", file=sys.stderr)
        return 2
    print(json.dumps([result.summary() for result in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
