"""Soak: mixed traffic from 200 members against gunicorn on PostgreSQL, for ten minutes.

    uv run python bench/soak.py [--minutes 10] [--members 200] [--threads 16]

1. (Re)creates ``support_circle_bench_soak`` (only a name containing "bench"), migrates,
   seeds the demo boards and conversations, and signs up ``--members`` members (verified,
   consents given); each logs in through allauth's app API for a session token.
2. Starts gunicorn (2 workers, production settings, DEBUG off) and a load of ``--threads``
   client threads for ``--minutes``: 80 % reads (boards, a board's topics, a topic's posts,
   tips, notifications), 20 % writes (replies with an ``Idempotency-Key``, reactions on and
   off, tip outcomes). A refused write (429, 409, 503) is retried with the same key after
   ``Retry-After``, as a well-behaved client does.
3. Reports the answers by status, the server's own errors (5xx: must be 0), latency
   percentiles for reads and writes, each worker's RSS after warm-up and at the end,
   and whether every counter equals what ``recount`` computes from the rows.

Loopback only. Results go to ``bench/results/soak-<time>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from bench.digests import recreate_database  # noqa: E402

PASSWORD = "soak-" + secrets.token_hex(6)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--port", type=int, default=8777)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/support_circle_bench_soak")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    return parser.parse_args()


def environment(args: argparse.Namespace) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SMTP_URL": "smtp://127.0.0.1:2599",
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "ERROR",
    }


# Members, and a session for each: an app session token is the session's key. (Logging 200 members in
# through allauth from one address would rightly meet its per-address login limit.)
MEMBERS = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from accounts.models import User
from accounts.services import record_signup_consents
tokens = []
for i in range({count}):
    user = User.objects.create_user(username=f"soak_{{i:03d}}", email=f"soak_{{i:03d}}@example.org",
                                    password="{password}", trust_level="trusted")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    record_signup_consents(actor=user)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    tokens.append(session.session_key)
print(json.dumps(tokens))
"""


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


class Client:
    def __init__(self, base: str, token: str = "") -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> tuple[int, Any, dict[str, str]]:
        data = json.dumps(body).encode() if body is not None else None
        headers = {**({"X-Session-Token": self.token} if self.token else {}), **headers}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 -- loopback only
                raw = response.read()
                return response.status, json.loads(raw) if raw else None, dict(response.headers)
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                payload = json.loads(raw)
            except ValueError:
                payload = raw[:200]
            return error.code, payload, dict(error.headers)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            return 0, str(error), {}


class Load:
    def __init__(self, base: str, tokens: list[str], topics: list[int], posts: list[int], tips: list[int]) -> None:
        self.base, self.tokens, self.topics, self.posts, self.tips = base, tokens, topics, posts, tips
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.latency: dict[str, list[float]] = {"read": [], "write": []}
        self.retries = 0

    def record(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            if 200 <= status < 300:
                self.latency[kind].append(seconds * 1000)

    def timed(self, kind: str, client: Client, method: str, path: str, body: Any = None, **headers: str) -> tuple:
        started = time.perf_counter()
        status, payload, answer_headers = client.call(method, path, body, **headers)
        self.record(kind, status, time.perf_counter() - started)
        return status, payload, answer_headers

    def read(self, client: Client, rng: random.Random) -> None:
        choice = rng.random()
        if choice < 0.3:
            self.timed("read", client, "GET", f"/api/v1/topics/{rng.choice(self.topics)}/posts/")
        elif choice < 0.55:
            self.timed("read", client, "GET", "/api/v1/boards/")
        elif choice < 0.75:
            self.timed("read", client, "GET", "/api/v1/tips/")
        elif choice < 0.9:
            self.timed("read", client, "GET", f"/api/v1/topics/{rng.choice(self.topics)}/")
        else:
            self.timed("read", client, "GET", "/api/v1/notifications/")

    def write(self, client: Client, rng: random.Random) -> None:
        choice = rng.random()
        if choice < 0.4:
            key = secrets.token_hex(8)
            body = {"body": f"Thinking of you, a warm compress helps me ({key})."}
            path = f"/api/v1/topics/{rng.choice(self.topics)}/posts/"
            for _attempt in range(4):  # a refused write is retried with the same key
                status, _, headers = self.timed("write", client, "POST", path, body, **{"Idempotency-Key": key})
                if status not in (409, 429, 503):
                    break
                with self.lock:
                    self.retries += 1
                time.sleep(min(5.0, float(headers.get("Retry-After", "1"))))
        elif choice < 0.8:
            post, kind = rng.choice(self.posts), rng.choice(["helpful", "support", "me_too"])
            self.timed("write", client, rng.choice(["PUT", "PUT", "DELETE"]), f"/api/v1/posts/{post}/reactions/{kind}/")
        else:
            method = rng.choice(["PUT", "PUT", "DELETE"])
            outcome: dict[str, bool] | None = {"helped": rng.random() < 0.7} if method == "PUT" else None
            self.timed("write", client, method, f"/api/v1/topics/{rng.choice(self.tips)}/outcome/", outcome)

    def run(self, seconds: float, threads: int) -> None:
        deadline = time.monotonic() + seconds

        def worker(number: int) -> None:
            rng = random.Random(number)
            while time.monotonic() < deadline:
                client = Client(self.base, rng.choice(self.tokens))
                (self.read if rng.random() < 0.8 else self.write)(client, rng)

        pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()


def worker_rss(master: int) -> dict[int, int]:
    """Resident memory (KiB) of each gunicorn worker, the master's children."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    rss = {}
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss[int(pid)] = int(line.split()[1])
    return rss


def percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    if not values:
        return {}
    pick = lambda q: values[min(len(values) - 1, int(q * (len(values) - 1)))]  # noqa: E731
    return {"n": len(values), "p50_ms": round(statistics.median(values), 1), "p95_ms": round(pick(0.95), 1),
            "p99_ms": round(pick(0.99), 1), "max_ms": round(values[-1], 1)}  # fmt: skip


def main() -> None:
    args = parse()
    env = environment(args)
    recreate_database(args.database_url)
    subprocess.run(["redis-cli", "-u", args.redis_url, "flushdb"], check=True, capture_output=True)
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    created = manage(env, "shell", "-c", MEMBERS.format(count=args.members, password=PASSWORD))
    tokens: list[str] = json.loads(created.strip().splitlines()[-1])
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{args.port}", "--workers", "2",
         "--threads", "4", "--timeout", "60"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            if Client(base).call("GET", "/healthz")[0] == 200:
                break
            time.sleep(0.2)
        status, payload, _ = Client(base, tokens[0]).call("GET", "/api/v1/me/")
        assert status == 200, payload
        visitor = Client(base)
        topics: list[int] = []
        tips: list[int] = []
        posts: list[int] = []
        for board in visitor.call("GET", "/api/v1/boards/?page_size=50")[1]["results"]:
            for topic in visitor.call("GET", f"/api/v1/boards/{board['slug']}/topics/?page_size=50")[1]["results"]:
                topics.append(topic["id"])
                (tips if topic["kind"] == "tip" else []).append(topic["id"])
                posts += [p["id"] for p in visitor.call("GET", f"/api/v1/topics/{topic['id']}/posts/")[1]["results"]]
        load = Load(base, tokens, topics, posts, tips)
        warmup = min(60.0, args.minutes * 60 / 10)
        load.run(warmup, args.threads)
        rss_warm = worker_rss(server.pid)
        load.statuses.clear()
        load.latency = {"read": [], "write": []}
        started = time.monotonic()
        load.run(args.minutes * 60, args.threads)
        elapsed = time.monotonic() - started
        rss_end = worker_rss(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    recount = manage(env, "recount").strip()
    total = sum(load.statuses.values())
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "setup": {"members": args.members, "threads": args.threads, "minutes": args.minutes, "topics": len(topics)},
        "requests": total,
        "per_second": round(total / elapsed, 1),
        "statuses": dict(sorted(load.statuses.items())),
        "server_errors": sum(n for status, n in load.statuses.items() if status >= 500 or status == 0),
        "retries": load.retries,
        "read": percentiles(load.latency["read"]),
        "write": percentiles(load.latency["write"]),
        "rss_kib_after_warmup": rss_warm,
        "rss_kib_at_end": rss_end,
        "rss_growth": {pid: round(rss_end.get(pid, 0) / kib - 1, 3) for pid, kib in rss_warm.items()},
        "recount": recount,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"soak-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
