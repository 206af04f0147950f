"""The whole benchmark run, end to end, on PostgreSQL. ``bench/run.sh`` calls this; see BENCHMARKS.md.

1. (Re)create the benchmark database, migrate, ``manage.py bench_data``
   (skipped with ``--reuse-data`` when the data is already there).
2. Start gunicorn on 127.0.0.1 with production settings and ``BENCH_FLOOR=1``.
3. For the board topic list (25 topics) and the topic page (20 posts), API
   and floor: saturation throughput (closed loop, median of ``--sat-reps``
   short runs, API and floor alternating) and latency at a fixed ``--rate``
   (open loop).
4. Page 1 against page ``--deep-page`` of the hot board's topic list,
   reached by following ``next`` links once, then requested alternately.
5. Stop gunicorn; query counts and a cProfile in-process (``bench/profile.py``).
6. The machine's own speed (``bench/calibrate.py``'s fixed loop) before the measurements, between the
   saturation and fixed-rate runs, and after them, so that runs can be compared: throughput divided
   by the calibration index is what the run would have given on the reference machine.
7. Raw results to ``bench/results/run-<time>.json`` and a summary on stdout.

Only the database named by ``--database-url`` is dropped and recreated, and
only when its name contains "bench".
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench import load
from bench.calibrate import calibrate, describe

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/support_circle_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/3"
POSTS_PAGE = 20
TOPICS_PAGE = 25


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def server_env(args: argparse.Namespace) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "SMTP_URL": "smtp://127.0.0.1:1025",
            "SECURE_SSL_REDIRECT": "false",
            "BENCH_FLOOR": "1",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONWARNINGS": "ignore::UserWarning",  # whitenoise: no collected static files, not needed here
        }
    )
    return env


def manage(env: dict[str, str], *arguments: str) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return completed.stdout


def recreate_database(database_url: str) -> None:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database name must contain 'bench'")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_data(
    args: argparse.Namespace, env: dict[str, str], report: dict[str, Any], bench_data: Sequence[str]
) -> dict[str, Any]:
    """The data's summary. Unless ``--reuse-data`` finds bench data there, (re)creates the database,
    migrates and runs ``manage.py bench_data`` with ``bench_data`` (its output and time go to ``report``)."""
    summary = None
    if args.reuse_data:
        try:
            summary = data_summary(args.database_url)
        except psycopg.Error:
            summary = None
        if summary and summary["posts"] == 0:
            summary = None
    if summary is not None:
        manage(env, "migrate", "--noinput", "-v0")  # the data stays; the schema follows the code
        return summary
    log("creating the database")
    recreate_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    log("generating data")
    began = time.perf_counter()
    output = manage(env, "bench_data", *bench_data)
    report["bench_data"] = {"seconds": round(time.perf_counter() - began, 1), "output": output.splitlines()}
    print(output, file=sys.stderr)
    return data_summary(args.database_url)


def checkpoint(database_url: str) -> None:
    """Flush what loading the data dirtied now, rather than in the middle of a measurement."""
    try:
        with psycopg.connect(database_url, autocommit=True) as db:
            db.execute("CHECKPOINT")
    except psycopg.Error as exc:
        log(f"CHECKPOINT failed ({exc}); continuing")


def data_summary(database_url: str) -> dict[str, Any]:
    with psycopg.connect(database_url) as db:
        version = db.execute("SHOW server_version").fetchone()
        counts = db.execute(
            "SELECT (SELECT count(*) FROM accounts_user WHERE username LIKE 'bench\\_%'),"
            " (SELECT count(*) FROM community_topic), (SELECT count(*) FROM community_post),"
            " (SELECT count(*) FROM community_reaction), (SELECT count(*) FROM community_tipoutcome),"
            " pg_database_size(current_database())"
        ).fetchone()
        per_board = db.execute(
            "SELECT b.slug, b.is_public, count(t.id) FROM community_board b"
            " LEFT JOIN community_topic t ON t.board_id = b.id GROUP BY b.slug, b.is_public ORDER BY 3 DESC"
        ).fetchall()
        settings: dict[str, str] = dict(
            db.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN"
                " ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_connections', 'jit')"
            ).fetchall()
        )
    assert version is not None
    assert counts is not None
    return {
        "postgresql": version[0],
        "pg_settings": settings,
        "members": counts[0],
        "topics": counts[1],
        "posts": counts[2],
        "reactions": counts[3],
        "tip_outcomes": counts[4],
        "database_mb": round(counts[5] / 2**20),
        "topics_per_board": {slug: {"public": public, "topics": n} for slug, public, n in per_board},
    }


def cpu_times() -> tuple[float, float] | None:
    """(busy, total) jiffies of all CPUs together, from /proc/stat (Linux)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:9]
    except OSError:
        return None
    values = [float(value) for value in fields]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _iowait() -> float:
    try:
        return float(Path("/proc/stat").read_text().split(maxsplit=6)[5])
    except (OSError, IndexError, ValueError):
        return 0.0


def _process_jiffies(pid: int) -> tuple[int, float] | None:
    """(parent pid, utime + stime) of a process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), float(fields[11]) + float(fields[12])


class CpuWatch:
    """Who used the CPUs during a measurement: this run (load generator, gunicorn, its PostgreSQL
    backends) or something else on the machine. Other load distorts a 2-core benchmark badly,
    so disturbed measurements are repeated (see ``measure``)."""

    def __init__(self, server_pid: int | None, database_url: str = "") -> None:
        self.server_pid = server_pid
        self.database_url = database_url
        self.database = urlsplit(database_url).path.lstrip("/")
        self.cpus = os.cpu_count() or 1

    def _checkpoints(self) -> int | None:
        """Checkpoints PostgreSQL completed so far: one flushes dirty pages and stalls queries."""
        if not self.database_url:
            return None
        try:
            with psycopg.connect(self.database_url, autocommit=True) as db:
                row = db.execute("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter").fetchone()
        except psycopg.Error:
            return None
        return None if row is None else int(row[0])

    def _ours(self) -> dict[int, float]:
        ours: dict[int, float] = {}
        backend_tag = f" {self.database} ".encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            info = _process_jiffies(pid)
            if info is None:
                continue
            parent, jiffies = info
            mine = pid in (os.getpid(), self.server_pid) or (parent == self.server_pid and parent is not None)
            if not mine:
                try:
                    mine = backend_tag in (entry / "cmdline").read_bytes()
                except OSError:
                    continue
            if mine:
                ours[pid] = jiffies
        return ours

    def busy_share(self, seconds: float = 1.0) -> float | None:
        before = cpu_times()
        time.sleep(seconds)
        after = cpu_times()
        if before is None or after is None or after[1] == before[1]:
            return None
        return (after[0] - before[0]) / (after[1] - before[1])

    def start(self) -> None:
        self.checkpoints_before = self._checkpoints()
        self.total_before = cpu_times()
        self.iowait_before = _iowait()
        self.ours_before = self._ours()

    def stop(self) -> dict[str, float] | None:
        total_after = cpu_times()
        iowait_after = _iowait()
        ours_after = self._ours()
        checkpoints_after = self._checkpoints()
        if self.total_before is None or total_after is None:
            return None
        span = (total_after[1] - self.total_before[1]) / self.cpus  # jiffies of one CPU over the window
        if span <= 0:
            return None
        busy = total_after[0] - self.total_before[0]
        ours = sum(jiffies - self.ours_before.get(pid, 0.0) for pid, jiffies in ours_after.items())
        watched = {
            "busy_cpus": round(busy / span, 2),
            "ours_cpus": round(ours / span, 2),
            "others_cpus": round(max(0.0, busy - ours) / span, 2),
            "iowait_cpus": round((iowait_after - self.iowait_before) / span, 2),
        }
        if self.checkpoints_before is not None and checkpoints_after is not None:
            watched["pg_checkpoints"] = checkpoints_after - self.checkpoints_before
        return watched


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    busy = CpuWatch(None).busy_share(2.0)
    versions = {}
    for package in ("django", "djangorestframework", "gunicorn", "psycopg"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "?"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.splitlines()
    except (OSError, subprocess.CalledProcessError):
        commit, changed = "?", []
    return {
        "git_commit": commit,
        "git_uncommitted_files": [line[3:] for line in changed],
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "loadavg_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "cpu_busy_before_start": None if busy is None else round(busy, 3),
    }


class Server:
    def __init__(self, args: argparse.Namespace, env: dict[str, str]) -> None:
        self.base = f"http://127.0.0.1:{args.port}"
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            "--threads",
            str(args.threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
            "--no-control-socket",
        ]
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log("starting: " + " ".join(self.command[1:]))
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}")
            try:
                asyncio.run(load.fetch_json(f"{self.base}/healthz"))
                return
            except (OSError, load.LoadError, ValueError):
                time.sleep(0.5)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        log("gunicorn stopped")


def discover(base: str, hot_board: str, wanted_threads: int) -> dict[str, Any]:
    """Public boards and long threads, found through the API as an anonymous visitor would."""
    boards = [board["slug"] for board in asyncio.run(load.fetch_json(f"{base}/api/v1/boards/"))["results"]]
    if hot_board not in boards:
        raise SystemExit(f"hot board {hot_board!r} is not a public board: {boards}")
    threads: list[int] = []
    for slug in boards:
        url: str | None = f"{base}/api/v1/boards/{slug}/topics/?page_size=100"
        pages = 0
        while url and pages < 10 and len(threads) < wanted_threads * (boards.index(slug) + 1) // len(boards):
            page = asyncio.run(load.fetch_json(url))
            threads.extend(row["id"] for row in page["results"] if row["reply_count"] >= POSTS_PAGE)
            url = page["next"]
            pages += 1
    return {"boards": boards, "threads": threads[:wanted_threads]}


def check_pages(base: str, urls: dict[str, list[str]]) -> dict[str, int]:
    """Every URL answers 200 with a full page; returns the result count of the first URL of each set."""
    sizes = {}
    for name, paths in urls.items():
        for path in paths:
            page = asyncio.run(load.fetch_json(base + path))
            expected = TOPICS_PAGE if "topics/" in path and "/posts/" not in path else POSTS_PAGE
            if len(page["results"]) != expected:
                raise SystemExit(f"{path} returned {len(page['results'])} rows, expected {expected}")
        sizes[name] = expected
    return sizes


def add_quiet_arguments(parser: argparse.ArgumentParser, *, quiet_wait: float) -> None:
    """The options of ``wait_quiet`` and ``is_disturbed``."""
    parser.add_argument("--quiet-below", type=float, default=0.15, help="machine busy share that counts as quiet")
    parser.add_argument("--quiet-wait", type=float, default=quiet_wait, help="seconds to wait for quiet at most")
    parser.add_argument("--max-others", type=float, default=0.25, help="CPUs others may use during a measurement")
    parser.add_argument("--attempts", type=int, default=5, help="tries per measurement when disturbed")


def is_disturbed(cpu: dict[str, float] | None, args: argparse.Namespace) -> bool:
    """Other processes took CPU, or PostgreSQL checkpointed (other sessions dropping databases do that)."""
    if cpu is None:
        return False
    return cpu["others_cpus"] > args.max_others or cpu.get("pg_checkpoints", 0) > 0


def wait_quiet(watch: CpuWatch, args: argparse.Namespace) -> float | None:
    """Wait (at most --quiet-wait seconds) until the machine is idle apart from us; the last busy share."""
    deadline = time.monotonic() + args.quiet_wait
    share = watch.busy_share(1.0)
    while share is not None and share > args.quiet_below and time.monotonic() < deadline:
        share = watch.busy_share(1.0)
    if share is not None and share > args.quiet_below:
        log(f"the machine is still {share:.0%} busy with something else; measuring anyway")
    return None if share is None else round(share, 3)


def measure(
    watch: CpuWatch, args: argparse.Namespace, label: str, work: Callable[[], list[load.Result]]
) -> list[dict[str, Any]]:
    """Run ``work`` on a quiet machine; repeat it when it was disturbed (see ``is_disturbed``)."""
    disturbed: list[dict[str, float]] = []
    for _ in range(args.attempts):
        idle_before = wait_quiet(watch, args)
        watch.start()
        results = work()
        cpu = watch.stop()
        if cpu is not None and is_disturbed(cpu, args) and len(disturbed) + 1 < args.attempts:
            log(f"{label}: disturbed ({cpu}); measuring again")
            disturbed.append(cpu)
            continue
        summaries = [result.summary() for result in results]
        for summary in summaries:
            summary.update({"cpu": cpu, "busy_before": idle_before, "disturbed_attempts": disturbed})
        return summaries
    raise AssertionError("unreachable")


def saturation_run(target: load.Target, concurrency: int, duration: float) -> Callable[[], list[load.Result]]:
    return lambda: [asyncio.run(load.saturate(target, concurrency=concurrency, duration=duration))]


def rate_run(target: load.Target, rate: float, duration: float) -> Callable[[], list[load.Result]]:
    return lambda: [asyncio.run(load.fixed_rate(target, rate=rate, duration=duration))]


def calibrated(label: str, calibrations: dict[str, Any]) -> None:
    calibrations[label] = calibrate()
    log(f"{label}: {describe(calibrations[label])}")


def run_measurements(
    args: argparse.Namespace, base: str, urls: dict[str, list[str]], watch: CpuWatch, calibrations: dict[str, Any]
) -> dict[str, Any]:
    targets = {name: load.Target.from_urls([base + path for path in paths]) for name, paths in urls.items()}
    results: dict[str, Any] = {"saturation": {name: [] for name in targets}, "fixed_rate": {}}

    log("warm-up")
    for target in targets.values():
        asyncio.run(load.saturate(target, concurrency=args.concurrency, duration=args.warmup))

    for rep in range(args.sat_reps):
        for endpoint in ("topic_list", "topic_page"):
            order = ("api", "floor") if rep % 2 == 0 else ("floor", "api")
            for impl in order:
                name = f"{endpoint}_{impl}"
                work = saturation_run(targets[name], args.concurrency, args.sat_duration)
                [summary] = measure(watch, args, name, work)
                results["saturation"][name].append(summary)
                log(
                    f"saturate {name} rep {rep + 1}: {summary['throughput_rps']} req/s, "
                    f"p50 {summary['latency_ms']['p50']} ms, errors {summary['errors']}, cpu {summary['cpu']}"
                )

    wait_quiet(watch, args)
    calibrated("between", calibrations)
    results["fixed_rate"] = {name: [] for name in targets}
    for rep in range(args.rate_reps):
        for name, target in targets.items():
            [summary] = measure(watch, args, name, rate_run(target, args.rate, args.rate_duration))
            results["fixed_rate"][name].append(summary)
            log(
                f"{args.rate:g} req/s {name} rep {rep + 1}: p50 {summary['latency_ms']['p50']} "
                f"p90 {summary['latency_ms']['p90']} p99 {summary['latency_ms']['p99']} ms, "
                f"errors {summary['errors']}, cpu {summary['cpu']}"
            )
    return results


def deep_page(args: argparse.Namespace, base: str, watch: CpuWatch) -> dict[str, Any]:
    first = f"{base}/api/v1/boards/{args.hot_board}/topics/?page_size={TOPICS_PAGE}"
    log(f"walking to page {args.deep_page} of {args.hot_board}")
    deep, seconds = asyncio.run(load.walk(first, pages=args.deep_page))
    page = asyncio.run(load.fetch_json(deep))
    if len(page["results"]) != TOPICS_PAGE:
        raise SystemExit(f"page {args.deep_page} has {len(page['results'])} rows")
    target = load.Target.from_urls([first, deep])
    summaries = measure(watch, args, "deep page", lambda: asyncio.run(load.compare(target, rounds=args.compare_rounds)))
    log(
        f"page 1 p50 {summaries[0]['latency_ms']['p50']} ms, page {args.deep_page} p50 "
        f"{summaries[1]['latency_ms']['p50']} ms"
    )
    return {
        "walk_seconds": round(seconds, 2),
        "deep_page": args.deep_page,
        "deep_url": deep,
        "deep_first_topic_created_at": page["results"][0]["created_at"],
        "page_1": summaries[0],
        "page_deep": summaries[1],
    }


def profile(env: dict[str, str], urls: dict[str, list[str]], requests: int) -> dict[str, Any]:
    paths = [paths[0] for paths in urls.values()]
    command = [sys.executable, "-m", "bench.profile", "--json", "--cprofile", "--requests", str(requests)]
    for path in paths:
        command += ["--url", path]
    completed = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return dict(json.loads(completed.stdout))


def write_report(report: dict[str, Any], prefix: str) -> Path:
    """The raw results to ``bench/results/<prefix>-<time>.json`` (gitignored)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{prefix}-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    log(f"results: {out.relative_to(ROOT)} ({report['seconds']} s in all)")
    return out


def summarise(report: dict[str, Any], args: argparse.Namespace) -> str:
    """Markdown tables of the run; a * marks a measurement that was disturbed (see ``is_disturbed``)."""
    sat = report["measurements"]["saturation"]
    rate = report["measurements"]["fixed_rate"]

    def mark(run: dict[str, Any]) -> str:
        return "*" if is_disturbed(run.get("cpu"), args) else ""

    def median_rps(name: str) -> float:
        return float(statistics.median(run["throughput_rps"] for run in sat[name]))

    lines = [
        f"| endpoint | saturation req/s (median of {args.sat_reps}) | runs | vs floor | p50 / p99 ms at saturation |",
        "|---|---|---|---|---|",
    ]
    for endpoint in ("topic_list", "topic_page"):
        floor = median_rps(f"{endpoint}_floor")
        for impl in ("api", "floor"):
            name = f"{endpoint}_{impl}"
            runs = ", ".join(f"{run['throughput_rps']:.0f}{mark(run)}" for run in sat[name])
            middle = sorted(sat[name], key=lambda run: run["throughput_rps"])[len(sat[name]) // 2]["latency_ms"]
            lines.append(
                f"| {name} | {median_rps(name):.0f} | {runs} | {median_rps(name) / floor:.2f} "
                f"| {middle['p50']} / {middle['p99']} |"
            )
    lines += [
        "",
        f"| endpoint | at {args.rate:g} req/s: p50 ms | p90 ms | p99 ms | max ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name, runs in rate.items():

        def cells(key: str, runs: list[dict[str, Any]] = runs) -> str:
            return " / ".join(f"{run['latency_ms'][key]}{mark(run)}" for run in runs)

        errors = sum(run["errors"] for run in runs)
        lines.append(f"| {name} | {cells('p50')} | {cells('p90')} | {cells('p99')} | {cells('max')} | {errors} |")
    calibrations = report.get("calibration", {})
    if calibrations:
        index = statistics.median(result["index"] for result in calibrations.values())
        lines += [
            "",
            "| calibration loop | one CPU ms | all CPUs at once ms | index |",
            "|---|---|---|---|",
            *(
                f"| {label} | {r['single']['median_ms']} | {r['all']['median_ms']} | {r['index']} |"
                for label, r in calibrations.items()
            ),
            "",
            f"Saturation throughput at calibration index 1.0 (median index {index:.3f}): "
            + ", ".join(f"{name} {median_rps(name) / index:.0f} req/s" for name in sat),
        ]
    deep = report.get("deep_page")
    if deep:
        lines += ["", "| topic list page | p50 ms | p90 ms | p99 ms | requests |", "|---|---|---|---|---|"]
        for label, key in (("1", "page_1"), (str(deep["deep_page"]), "page_deep")):
            latency = deep[key]["latency_ms"]
            count = f"{deep[key]['ok']}{mark(deep[key])}"
            lines.append(f"| {label} | {latency['p50']} | {latency['p90']} | {latency['p99']} | {count} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--reuse-data", action="store_true", help="keep the database if it holds bench data")
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--topics", type=int, default=50000)
    parser.add_argument("--posts-per-topic", type=int, default=10)
    parser.add_argument("--hot-board", default="coping-tips", help="public board holding --hot-share of the topics")
    parser.add_argument("--hot-share", type=float, default=0.6)
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=6, help="connections in saturation runs")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per endpoint")
    parser.add_argument("--sat-reps", type=int, default=3)
    parser.add_argument("--sat-duration", type=float, default=8.0)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--rate-duration", type=float, default=20.0)
    parser.add_argument("--rate-reps", type=int, default=2)
    parser.add_argument("--threads-sample", type=int, default=100, help="long threads to rotate over")
    parser.add_argument("--deep-page", type=int, default=1000)
    parser.add_argument("--compare-rounds", type=int, default=300)
    parser.add_argument("--profile-requests", type=int, default=300)
    parser.add_argument("--no-profile", action="store_true")
    add_quiet_arguments(parser, quiet_wait=180.0)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    env = server_env(args)
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "arguments": vars(args),
        "machine": machine(),
    }
    log(f"machine: {report['machine']['cpus']} CPUs, load {report['machine']['loadavg_at_start']}")
    if report["machine"]["cpu_busy_before_start"] and report["machine"]["cpu_busy_before_start"] > 0.15:
        log(f"warning: the machine is already {report['machine']['cpu_busy_before_start']:.0%} busy")

    summary = prepare_data(
        args,
        env,
        report,
        [
            f"--members={args.members}",
            f"--topics={args.topics}",
            f"--posts-per-topic={args.posts_per_topic}",
            f"--hot-board={args.hot_board}",
            f"--hot-share={args.hot_share}",
        ],
    )
    report["data"] = summary
    log(f"data: {summary['topics']} topics, {summary['posts']} posts, {summary['database_mb']} MB")

    checkpoint(args.database_url)
    server = Server(args, env)
    server.start()
    try:
        found = discover(server.base, args.hot_board, args.threads_sample)
        report["discovered"] = {"boards": found["boards"], "threads": len(found["threads"])}
        urls = {
            "topic_list_api": [f"/api/v1/boards/{slug}/topics/?page_size={TOPICS_PAGE}" for slug in found["boards"]],
            "topic_list_floor": [f"/bench/floor/boards/{slug}/topics/" for slug in found["boards"]],
            "topic_page_api": [f"/api/v1/topics/{pk}/posts/?page_size={POSTS_PAGE}" for pk in found["threads"]],
            "topic_page_floor": [f"/bench/floor/topics/{pk}/posts/" for pk in found["threads"]],
        }
        check_pages(server.base, {name: paths[:3] for name, paths in urls.items()})
        report["urls"] = {name: {"count": len(paths), "first": paths[0]} for name, paths in urls.items()}
        watch = CpuWatch(server.pid, args.database_url)
        report["calibration"] = {}
        wait_quiet(watch, args)
        calibrated("before", report["calibration"])
        report["measurements"] = run_measurements(args, server.base, urls, watch, report["calibration"])
        report["deep_page"] = deep_page(args, server.base, watch)
    finally:
        server.stop()
    calibrated("after", report["calibration"])
    if not args.no_profile:
        log("profiling in-process")
        report["profile"] = profile(env, urls, args.profile_requests)
    report["seconds"] = round(time.perf_counter() - started, 1)

    write_report(report, "run")
    print(summarise(report, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
