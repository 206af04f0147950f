"""Redis (cache, sessions' fast path, throttles, broker) restarted under the API: reads keep being served,
writes fall back to the database's limits, /healthz names redis, and everything recovers by itself.
On a Redis server of the test's own, on a spare port."""

from __future__ import annotations

import json
import os

import pytest

from tests.faults.services import gunicorn, manage, postgres_cluster, project_env, redis_server, request, wait_until
from tests.faults.test_postgres_restart import MEMBER, PASSWORD

pytestmark = pytest.mark.faults


def test_reads_survive_a_redis_outage_and_health_names_it() -> None:
    with postgres_cluster() as cluster, redis_server() as redis:
        env = project_env(DATABASE_URL=cluster.url, REDIS_URL=redis.url)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "shell", "-c", MEMBER)
        with gunicorn(env) as base:
            body = json.dumps({"email": "steady@example.org", "password": PASSWORD}).encode()
            token = request(base, "POST", "/_allauth/app/v1/auth/login", body).json()["meta"]["session_token"]
            member = {"X-Session-Token": token}
            slug = request(base, "GET", "/api/v1/boards/").json()["results"][0]["slug"]
            assert request(base, "GET", "/healthz").status == 200

            redis.stop()
            for path, headers in (
                ("/api/v1/boards/", {}),
                (f"/api/v1/boards/{slug}/topics/", {}),
                ("/api/v1/tips/", {}),
                ("/api/v1/me/", member),  # the session comes from the database when the cache is away
                ("/api/v1/notifications/", member),
            ):
                answer = request(base, "GET", path, **headers)
                assert answer.status == 200, (path, answer.status, answer.body[:300])
            health = request(base, "GET", "/healthz")
            assert health.status == 503
            assert "redis" in health.json()["down"]
            assert health.json()["checks"]["database"] == "ok"
            # The cache throttle is gone with Redis; the database's posting limits still hold.
            first = json.dumps({"title": "Posted while Redis is away", "kind": "question", "body": "Still here?"})
            second = json.dumps({"title": "And again right away", "kind": "question", "body": "Too soon?"})
            created = request(base, "POST", f"/api/v1/boards/{slug}/topics/", first.encode(), **member)
            assert created.status == 201, created.body[:300]
            too_soon = request(base, "POST", f"/api/v1/boards/{slug}/topics/", second.encode(), **member)
            assert too_soon.status == 429, too_soon.body[:300]
            assert too_soon.headers.get("Retry-After")

            redis.start()
            took = wait_until(lambda: request(base, "GET", "/healthz").status == 200, 10, "health to recover")
            assert request(base, "GET", "/api/v1/me/", **member).status == 200
            print(f"healthy again {took:.1f} s after Redis came back")


def test_fault_helpers_stop_only_what_they_started() -> None:
    # The shared services are never touched: every fault test runs on ports it picked itself.
    with redis_server() as redis:
        assert redis.port != 6379
        assert redis.answers()
    assert not redis.answers()
    assert os.environ.get("REDIS_URL", "").find(str(redis.port)) == -1
