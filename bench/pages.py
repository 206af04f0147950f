"""The web topic page (20 posts) at a fixed request rate, as a visitor and as a signed-in member, on PostgreSQL.

    uv run --locked python -m bench.pages [--reuse-data] [--rate 100] [--duration 60]

1. Unless ``--reuse-data`` finds the data there: (re)creates the database named by
   ``--database-url`` (only a name containing "bench" is ever dropped), migrates, and runs
   ``manage.py bench_data`` for ``--members`` members and ``--topics`` topics of
   ``--posts-per-topic`` posts on average, on the five public boards.
2. A member who can sign in (``pages_reader``: a fresh password every run, a verified address,
   the signup consents), made through ``manage.py shell``; bench_data's members have no
   usable password.
3. ``collectstatic`` into the gitignored ``staticfiles/``, as the Dockerfile's build does (production
   pages name the stylesheet by its hashed name); then gunicorn as ``bench/run.py`` starts it:
   ``--workers`` sync workers, production settings (DEBUG off, so templates come from the cached
   loader; sessions read from Redis, written through to the database), ``BENCH_FLOOR=1``.
4. The member signs in through allauth's login form over HTTP (the form for its CSRF token, then
   email and password) and opens the page it is sent to, which shows and clears the "signed in"
   message; the cookies the browser then holds (session, CSRF) go with every member request.
   The visitor sends no cookie.
5. ``--topic-pages`` published topics on public boards whose first page holds 20 posts, in a
   shuffled order; the first few are checked to show 20 posts to both viewers.
6. Three targets at ``--rate`` requests a second, open loop (``bench.load.fixed_rate``: each
   request's latency runs from its due time, so queueing counts): ``/topics/<id>/`` as the
   visitor, the same as the member, and the floor (``bench/floor.py``'s topic posts: the same
   20 rows as JSON, no template, no session). ``--duration`` seconds each, in rounds of
   ``--round`` seconds, interleaved with the order rotating, so a slow minute of the shared
   machine falls on all three alike. Each round first waits for a quiet machine; a round
   during which other processes took more than ``--max-others`` CPU, or PostgreSQL
   checkpointed, is measured again (at most ``--attempts`` tries), as in ``bench/run.py``.
   ``bench/calibrate.py``'s fixed loop is timed before and after, so that runs on a faster or
   slower minute of the machine can be compared.
7. gunicorn stopped: queries and CPU per request in-process (``bench/profile.py``, with the
   member's cookie for the member's page) and a cProfile of each.

Results go to ``bench/results/pages-<time>.json``; a summary is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import http.client
import json
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as ``python bench/pages.py`` too
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from bench import load  # noqa: E402
from bench.calibrate import describe  # noqa: E402
from bench.run import (  # noqa: E402
    CpuWatch,
    Server,
    add_quiet_arguments,
    calibrated,
    checkpoint,
    is_disturbed,
    log,
    machine,
    manage,
    prepare_data,
    server_env,
    wait_quiet,
    write_report,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/sc_bench_pages"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"
POSTS_PAGE = 20
TARGET_P99_MS = 30.0
MEMBER_USERNAME = "pages_reader"
MEMBER_EMAIL = "pages_reader@bench.invalid"
VIEWERS = ("visitor", "member", "floor")

# The member who signs in; the password comes from the environment, not the command line.
MAKE_MEMBER = f"""
import os
from allauth.account.models import EmailAddress
from accounts.models import TrustLevel, User
from accounts.services import record_signup_consents
user, _ = User.objects.get_or_create(
    username={MEMBER_USERNAME!r}, defaults={{"email": {MEMBER_EMAIL!r}, "trust_level": TrustLevel.MEMBER}}
)
user.set_password(os.environ["BENCH_MEMBER_PASSWORD"])
user.save()
EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={{"verified": True, "primary": True}})
record_signup_consents(actor=user)
print(user.pk)
"""


def public_boards() -> list[str]:
    from community.demo import DEMO_BOARDS  # plain data, no Django needed

    return [board["slug"] for board in DEMO_BOARDS if board["is_public"]]


def full_threads(database_url: str, wanted: int) -> list[int]:
    """Published topics on public, live boards whose first page is full, shuffled (the same way every run)."""
    with psycopg.connect(database_url) as db:
        rows = db.execute(
            "SELECT t.id FROM community_topic t JOIN community_board b ON b.id = t.board_id"
            " WHERE b.is_public AND NOT b.is_archived AND t.status = 'published'"
            " AND (SELECT count(*) FROM community_post p WHERE p.topic_id = t.id AND p.status <> 'pending') >= %s"
            " ORDER BY t.id",
            [POSTS_PAGE],
        ).fetchall()
    ids = [row[0] for row in rows]
    random.Random(1).shuffle(ids)
    return ids[:wanted]


def keep_cookies(cookies: dict[str, str], response: http.client.HTTPResponse) -> None:
    """Apply an answer's Set-Cookie headers as a browser does: set, replace, or drop an expired cookie."""
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    for name, morsel in jar.items():
        if morsel["max-age"] == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970"):
            cookies.pop(name, None)
        else:
            cookies[name] = morsel.value


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    """Sign in through allauth's login form and open the page it sends the member to, as a browser does
    (which also shows and clears the "signed in" message); the cookies the browser then holds."""
    cookies: dict[str, str] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/accounts/login/", headers={"Accept": "text/html"})
        response = connection.getresponse()
        form = response.read().decode()
        keep_cookies(cookies, response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
        if response.status != 200 or token is None or "csrftoken" not in cookies:
            raise SystemExit(f"the login form answered {response.status} without a CSRF token")
        connection.request(
            "POST",
            "/accounts/login/",
            body=urlencode({"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "text/html",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
            },
        )
        response = connection.getresponse()
        answer = response.read()
        keep_cookies(cookies, response)
        if response.status != 302 or "sessionid" not in cookies:
            raise SystemExit(f"signing in answered {response.status}: {answer[:300]!r}")
        connection.request(
            "GET", response.headers["Location"], headers={"Accept": "text/html", "Cookie": cookie_header(cookies)}
        )
        response = connection.getresponse()
        response.read()
        keep_cookies(cookies, response)
        if response.status != 200:
            raise SystemExit(f"the page after signing in answered {response.status}")
    finally:
        connection.close()
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in sorted(cookies.items()))


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def check_pages(port: int, threads: Sequence[int], member_headers: dict[str, str]) -> dict[str, int]:
    """The pages answer 200 with 20 posts, the member's with the signed-in layout; bytes of the first."""
    sizes: dict[str, int] = {}
    for topic_id in threads[:5]:
        for viewer, headers in (("visitor", {"Accept": "text/html"}), ("member", member_headers)):
            status, html = get(port, f"/topics/{topic_id}/", headers)
            posts = len(re.findall(r'<div class="post" id="post-\d+">', html))
            if status != 200 or posts != POSTS_PAGE:
                raise SystemExit(f"/topics/{topic_id}/ as {viewer}: {status}, {posts} posts")
            signed_in = "Sign out</button>" in html
            if signed_in != (viewer == "member"):
                raise SystemExit(f"/topics/{topic_id}/ as {viewer}: signed in is {signed_in}")
            sizes.setdefault(viewer, len(html.encode()))
        status, body = get(port, f"/bench/floor/topics/{topic_id}/posts/", {})
        if status != 200 or len(json.loads(body)["results"]) != POSTS_PAGE:
            raise SystemExit(f"the floor for topic {topic_id} answered {status}")
        sizes.setdefault("floor", len(body.encode()))
    return sizes


def rotated(target: load.Target, offset: int) -> load.Target:
    """The same target starting ``offset`` paths further, so every round asks for other topics."""
    offset %= len(target.paths)
    return dataclasses.replace(target, paths=target.paths[offset:] + target.paths[:offset])


def one_round(watch: CpuWatch, args: argparse.Namespace, label: str, target: load.Target) -> dict[str, Any]:
    """One round at ``--rate`` on a quiet machine, measured again while disturbed; the raw result and its CPU."""
    disturbed: list[dict[str, float]] = []
    for attempt in range(args.attempts):
        busy_before = wait_quiet(watch, args)
        watch.start()
        result = asyncio.run(load.fixed_rate(target, rate=args.rate, duration=args.round))
        cpu = watch.stop()
        if cpu is not None and is_disturbed(cpu, args) and attempt + 1 < args.attempts:
            log(f"{label}: disturbed ({cpu}); measuring again")
            disturbed.append(cpu)
            continue
        return {"result": result, "cpu": cpu, "busy_before": busy_before, "disturbed_attempts": disturbed}
    raise AssertionError("unreachable")


def merged(rounds: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    """The rounds of one target as one measurement: percentiles over all their requests."""
    results: list[load.Result] = [entry["result"] for entry in rounds]
    whole = load.Result(mode="rate", target=results[0].target, extra={"rate": args.rate})
    for result in results:
        whole.latencies.extend(result.latencies)
        whole.errors.update(result.errors)
        whole.elapsed += result.elapsed
        whole.client_cpu += result.client_cpu
    summary = whole.summary()
    cpus = [entry["cpu"] for entry in rounds if entry["cpu"]]
    summary["rounds"] = [
        {
            **entry["result"].summary(),
            "cpu": entry["cpu"],
            "busy_before": entry["busy_before"],
            "disturbed_attempts": entry["disturbed_attempts"],
        }
        for entry in rounds
    ]
    summary["ours_cpus_mean"] = round(statistics.mean(cpu["ours_cpus"] for cpu in cpus), 2) if cpus else None
    summary["others_cpus_max"] = max((cpu["others_cpus"] for cpu in cpus), default=None)
    summary["rounds_measured_again"] = sum(len(entry["disturbed_attempts"]) for entry in rounds)
    summary["rounds_kept_disturbed"] = sum(1 for entry in rounds if is_disturbed(entry["cpu"], args))
    return summary


def run_rates(args: argparse.Namespace, targets: dict[str, load.Target], watch: CpuWatch) -> dict[str, Any]:
    log(f"warm-up: {args.warmup:g} s per target")
    for target in targets.values():
        asyncio.run(load.fixed_rate(target, rate=args.rate, duration=args.warmup))
    rounds = max(1, round(args.duration / args.round))
    per_round = int(args.rate * args.round)
    kept: dict[str, list[dict[str, Any]]] = {name: [] for name in targets}
    for number in range(rounds):
        order = VIEWERS[number % 3 :] + VIEWERS[: number % 3]
        for name in order:
            target = rotated(targets[name], number * per_round)
            entry = one_round(watch, args, f"{name} round {number + 1}", target)
            kept[name].append(entry)
            latency = entry["result"].summary()["latency_ms"]
            log(
                f"{name} round {number + 1}/{rounds}: p50 {latency['p50']} p99 {latency['p99']} "
                f"max {latency['max']} ms, errors {dict(entry['result'].errors)}, cpu {entry['cpu']}"
            )
    return {name: merged(entries, args) for name, entries in kept.items()}


def profile(env: dict[str, str], paths: dict[str, str], cookie: str, requests: int) -> dict[str, Any]:
    """bench/profile.py for each path, in-process with the server's environment."""
    report: dict[str, Any] = {}
    for name, path in paths.items():
        command = [sys.executable, "-m", "bench.profile", "--json", "--cprofile", "--requests", str(requests)]
        command += ["--url", path]
        if name != "floor":
            command += ["--accept", "text/html"]
        if name == "member":
            command += ["--cookie", cookie]
        completed = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        found = json.loads(completed.stdout)
        report[name] = {"measure": found["measure"][0], "profile": found["profile"][0]}
    return report


def summarise(report: dict[str, Any], args: argparse.Namespace) -> str:
    rates = report["measurements"]
    counts = report.get("profile", {})
    lines = [
        f"| target | requests | p50 ms | p90 ms | p99 ms | max ms | errors | queries (Django / PostgreSQL) "
        f"| CPU ms in-process | CPUs used (of {report['machine']['cpus']}) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name in VIEWERS:
        run = rates[name]
        latency = run["latency_ms"]
        measured = counts.get(name, {}).get("measure", {})
        queries = f"{measured.get('django_queries', '?')} / {measured.get('pg_statements_per_request', '?')}"
        lines.append(
            f"| {name} | {run['ok']} | {latency['p50']} | {latency['p90']} | {latency['p99']} | {latency['max']} "
            f"| {run['errors']} | {queries} | {measured.get('cpu_ms_per_request', '?')} | {run['ours_cpus_mean']} |"
        )
    for label, result in report.get("calibration", {}).items():
        lines.append(f"\nCalibration loop {label} the pages: {describe(result)}")
    worst = max(rates[name]["latency_ms"]["p99"] for name in ("visitor", "member"))
    verdict = "met" if worst < TARGET_P99_MS else "missed"
    lines += ["", f"Target: p99 < {TARGET_P99_MS:g} ms at {args.rate:g} req/s; worst page p99 {worst} ms: {verdict}."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument("--reuse-data", action="store_true", help="keep the database if it holds bench data")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--topics", type=int, default=6000)
    parser.add_argument("--posts-per-topic", type=int, default=20, help="on average; threads vary around it")
    parser.add_argument("--topic-pages", type=int, default=2000, help="full topic pages to spread requests over")
    parser.add_argument("--port", type=int, default=8102)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per target, in rounds")
    parser.add_argument("--round", type=float, default=10.0, help="seconds per round")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds at the rate per target first")
    parser.add_argument("--profile-requests", type=int, default=300)
    parser.add_argument("--no-profile", action="store_true")
    add_quiet_arguments(parser, quiet_wait=120.0)
    args = parser.parse_args(argv)
    if not 0 < args.round <= load.MAX_DURATION:
        parser.error(f"--round must be in (0, {load.MAX_DURATION:g}]")

    started = time.perf_counter()
    env = server_env(args)
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "arguments": vars(args),
        "machine": machine(),
    }
    log(f"machine: {report['machine']['cpus']} CPUs, load {report['machine']['loadavg_at_start']}")

    summary = prepare_data(
        args,
        env,
        report,
        [
            f"--members={args.members}",
            f"--topics={args.topics}",
            f"--posts-per-topic={args.posts_per_topic}",
            f"--boards={','.join(public_boards())}",
        ],
    )
    report["data"] = summary
    log(f"data: {summary['topics']} topics, {summary['posts']} posts, {summary['database_mb']} MB")

    password = secrets.token_urlsafe(18)
    manage({**env, "BENCH_MEMBER_PASSWORD": password}, "shell", "-c", MAKE_MEMBER)
    threads = full_threads(args.database_url, args.topic_pages)
    if len(threads) < min(args.topic_pages, 100):
        raise SystemExit(f"only {len(threads)} topics with a full first page: generate more (--topics)")
    report["topic_pages"] = {"count": len(threads), "first": threads[:5]}

    # Production pages name their CSS and script by the manifest's hashed names, as the Dockerfile's build does.
    manage(env, "collectstatic", "--noinput", "-v0")
    checkpoint(args.database_url)
    server = Server(args, env)
    server.start()
    try:
        cookies = sign_in(args.port, MEMBER_EMAIL, password)
        member_headers = {"Accept": "text/html", "Cookie": cookie_header(cookies)}
        report["bytes"] = check_pages(args.port, threads, member_headers)
        base = server.base
        targets = {
            "visitor": load.Target.from_urls([f"{base}/topics/{pk}/" for pk in threads], {"Accept": "text/html"}),
            "member": load.Target.from_urls([f"{base}/topics/{pk}/" for pk in threads], member_headers),
            "floor": load.Target.from_urls([f"{base}/bench/floor/topics/{pk}/posts/" for pk in threads]),
        }
        report["calibration"] = {}
        calibrated("before", report["calibration"])
        report["measurements"] = run_rates(args, targets, CpuWatch(server.pid, args.database_url))
        calibrated("after", report["calibration"])
    finally:
        server.stop()
    if not args.no_profile:
        log("profiling in-process")
        paths = {
            "visitor": f"/topics/{threads[0]}/",
            "member": f"/topics/{threads[0]}/",
            "floor": f"/bench/floor/topics/{threads[0]}/posts/",
        }
        report["profile"] = profile(env, paths, member_headers["Cookie"], args.profile_requests)
    report["seconds"] = round(time.perf_counter() - started, 1)

    write_report(report, "pages")
    print(summarise(report, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
