"""Redis (cache, sessions' fast path, throttles, broker) restarted under the API: reads keep being served,
writes fall back to the database's limits, /healthz names redis, and everything recovers by itself.
On a Redis server of the test's own, on a spare port."""

from __future__ import annotations

import json
import os
import time

import pytest

from community.limits import BURST_SECONDS
from tests.community.smtp_sink import SmtpSink
from tests.faults.services import gunicorn, manage, postgres_cluster, project_env, redis_server, request, wait_until
from tests.faults.test_postgres_restart import MEMBER, PASSWORD

pytestmark = pytest.mark.faults


GUIDE = """
from accounts.models import Role, User
User.objects.create_user(username="night_guide", email="guide@example.org", role=Role.MODERATOR)
"""
SWEEP = "from moderation.tasks import send_missed_alert_emails; print(send_missed_alert_emails())"
CRISIS = "Honestly some nights I want to end it all."


def test_reads_survive_a_redis_outage_and_health_names_it() -> None:
    with postgres_cluster() as cluster, redis_server() as redis, SmtpSink() as sink:
        env = project_env(
            DATABASE_URL=cluster.url,
            REDIS_URL=redis.url,
            SMTP_URL=f"smtp://127.0.0.1:{sink.port}",
            ALERT_EMAIL_GRACE_SECONDS="1",
        )
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "shell", "-c", MEMBER)
        manage(env, "shell", "-c", GUIDE)
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
            # A crisis post while the broker is away: it stands, the author gets the resources, and the
            # moderators' alert email (its task could not be queued) waits for the sweep.
            topic = created.json()["id"]
            crisis = json.dumps({"body": CRISIS}).encode()
            time.sleep(BURST_SECONDS)
            replied = request(base, "POST", f"/api/v1/topics/{topic}/posts/", crisis, **member)
            assert replied.status == 201, replied.body[:300]
            assert replied.json()["resources"]

            redis.start()
            took = wait_until(lambda: request(base, "GET", "/healthz").status == 200, 10, "health to recover")
            assert request(base, "GET", "/api/v1/me/", **member).status == 200
            print(f"healthy again {took:.1f} s after Redis came back")

        # Beat's minute sweep, once the grace (a second here) has passed: the alert goes out, once.
        assert sink.messages == []
        time.sleep(1.5)
        assert manage(env, "shell", "-v", "0", "-c", SWEEP).split() == ["1"]
        assert manage(env, "shell", "-v", "0", "-c", SWEEP).split() == ["0"]
        assert [message["to"] for message in sink.messages] == [["guide@example.org"]]


def test_fault_helpers_stop_only_what_they_started() -> None:
    # The shared services are never touched: every fault test runs on ports it picked itself.
    with redis_server() as redis:
        assert redis.port != 6379
        assert redis.answers()
    assert not redis.answers()
    assert os.environ.get("REDIS_URL", "").find(str(redis.port)) == -1
