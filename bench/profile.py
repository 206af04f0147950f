"""In-process view of the benchmarked endpoints: queries, CPU per request, and where that CPU goes.

Calls the project's WSGI application directly (what gunicorn calls, minus the
HTTP parsing and sockets), so the numbers are free of load-generator noise:

* SQL statements per request, as Django sees them, and as PostgreSQL counts
  them (``pg_stat_database.xact_commit``: also counts what Django does not
  log, such as the connection health check's ``SELECT 1``);
* wall and CPU time per request, averaged over ``--requests``;
* with ``--cprofile``, own time grouped by package and the top functions.

``--cookie`` sends a ``Cookie`` header with every request (a member's session, as
``bench/pages.py`` does), ``--accept`` another ``Accept`` than JSON.

Run it with the server's environment (``bench/run.py`` does)::

    python -m bench.profile --url /api/v1/boards/coping-tips/topics/?page_size=25 --url /bench/floor/... --json
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _environ(path: str, cookie: str = "", accept: str = "application/json") -> dict[str, Any]:
    path_info, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8100",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8100",
        "HTTP_ACCEPT": accept,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    return environ


def _requester(
    application: Callable[..., Iterable[bytes]], cookie: str = "", accept: str = "application/json"
) -> Callable[[str], tuple[str, bytes]]:
    def get(path: str) -> tuple[str, bytes]:
        status: list[str] = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
            status.append(line)

        result = application(_environ(path, cookie, accept), start_response)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()  # request_finished: what closes or keeps the DB connection
        return status[0], body

    return get


def _package(filename: str) -> str:
    if filename.startswith("~") or filename.startswith("<"):
        return "builtins (C)"
    marker = "site-packages/"
    if marker in filename:
        return filename.split(marker, 1)[1].split("/", 1)[0].removesuffix(".py")
    try:
        relative = Path(filename).resolve().relative_to(ROOT)
    except ValueError:
        return "stdlib:" + Path(filename).stem
    return "project:" + relative.parts[0]


def _pg_statements() -> int | None:
    """Transactions committed in this database so far (one per statement in autocommit)."""
    from django.db import connections

    if connections["default"].vendor != "postgresql":
        return None
    import psycopg

    settings_dict = connections["default"].settings_dict
    with psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    ) as probe:
        row = probe.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").fetchone()
    return int(row[0]) if row else None


def measure(get: Callable[[str], tuple[str, bytes]], path: str, requests: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(20):
        status, body = get(path)
    if not status.startswith("200"):
        raise SystemExit(f"{path} answered {status}: {body[:300]!r}")
    with CaptureQueriesContext(connection) as captured:
        get(path)
    queries = [query["sql"] for query in captured.captured_queries]

    connection.close()  # the server-side statistics are flushed when a backend goes idle or exits
    time.sleep(1.2)
    before = _pg_statements()
    wall = time.perf_counter()
    cpu = time.process_time()
    for _ in range(requests):
        get(path)
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    connection.close()
    time.sleep(1.2)
    after = _pg_statements()
    statements = None
    if before is not None and after is not None:
        # Minus the probe's own transaction and the connection's setup on first use.
        statements = round((after - before - 2) / requests, 2)
    return {
        "path": path,
        "bytes": len(body),
        "django_queries": len(queries),
        "sql": queries,
        "pg_statements_per_request": statements,
        "wall_ms_per_request": round(wall / requests * 1000, 3),
        "cpu_ms_per_request": round(cpu / requests * 1000, 3),
    }


def profile(get: Callable[[str], tuple[str, bytes]], path: str, requests: int, top: int) -> dict[str, Any]:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        get(path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    by_package: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, own, _, _) in raw.items():
        by_package[_package(filename)] += own
    functions = sorted(raw.items(), key=lambda item: item[1][2], reverse=True)[:top]
    cumulative = sorted(raw.items(), key=lambda item: item[1][3], reverse=True)[:top]

    def label(key: tuple[str, int, str]) -> str:
        filename, line, name = key
        return f"{_package(filename)} {Path(filename).name}:{line} {name}"

    return {
        "path": path,
        "requests": requests,
        "profiled_ms_per_request": round(total / requests * 1000, 3),
        "own_time_by_package_pct": {
            name: round(own / total * 100, 1) for name, own in sorted(by_package.items(), key=lambda kv: -kv[1])
        },
        "top_own_time": [
            {
                "function": label(key),
                "calls_per_request": round(entry[1] / requests, 1),
                "own_pct": round(entry[2] / total * 100, 1),
            }
            for key, entry in functions
        ],
        "top_cumulative": [
            {"function": label(key), "cum_pct": round(entry[3] / total * 100, 1)} for key, entry in cumulative
        ],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", action="append", required=True, help="path (and query) to request; repeatable")
    parser.add_argument("--requests", type=int, default=500, help="timed requests per URL (default 500)")
    parser.add_argument("--cprofile", action="store_true", help="also profile each URL with cProfile")
    parser.add_argument("--top", type=int, default=15, help="functions to list per profile (default 15)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--cookie", default="", help="Cookie header for every request, e.g. sessionid=…")
    parser.add_argument("--accept", default="application/json", help="Accept header (default application/json)")
    args = parser.parse_args(argv)
    if not 0 < args.requests <= 20_000:
        parser.error("--requests must be in [1, 20000]")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    from django.core.wsgi import get_wsgi_application

    get = _requester(get_wsgi_application(), args.cookie, args.accept)
    report: dict[str, Any] = {"measure": [measure(get, path, args.requests) for path in args.url]}
    if args.cprofile:
        report["profile"] = [profile(get, path, args.requests, args.top) for path in args.url]
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for entry in report["measure"]:
        print(
            f"{entry['path']}: {entry['django_queries']} queries (PostgreSQL counted "
            f"{entry['pg_statements_per_request']}), {entry['cpu_ms_per_request']} ms CPU, "
            f"{entry['wall_ms_per_request']} ms wall per request, {entry['bytes']} bytes"
        )
    for entry in report.get("profile", []):
        print(f"\n{entry['path']} ({entry['profiled_ms_per_request']} ms per request under cProfile)")
        for name, pct in list(entry["own_time_by_package_pct"].items())[:10]:
            print(f"  {pct:5.1f}%  {name}")
        for function in entry["top_own_time"]:
            print(f"  {function['own_pct']:5.1f}%  {function['calls_per_request']:7.1f}x  {function['function']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
