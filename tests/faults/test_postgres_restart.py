"""PostgreSQL restarted under the API: a clear 503 meanwhile, recovery without restarting gunicorn,
and no write half-done. On a PostgreSQL cluster of the test's own, on a spare port."""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.faults.services import Answer, gunicorn, manage, postgres_cluster, project_env, request, wait_until

pytestmark = pytest.mark.faults

PASSWORD = "faults-" + os.urandom(6).hex()
MEMBER = f"""
from allauth.account.models import EmailAddress
from accounts.models import User
from accounts.services import record_signup_consents
user = User.objects.create_user(username="steady_reader", email="steady@example.org", password="{PASSWORD}",
                                trust_level="trusted")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
record_signup_consents(actor=user)
"""


def login(base: str) -> str:
    body = json.dumps({"email": "steady@example.org", "password": PASSWORD}).encode()
    answer = request(base, "POST", "/_allauth/app/v1/auth/login", body)
    assert answer.status == 200, answer.body
    return str(answer.json()["meta"]["session_token"])


def assert_unavailable(answer: Answer) -> None:
    """What a client sees while the database is away: 503 in the error shape, never a 500 or HTML."""
    assert answer.status == 503, (answer.status, answer.body[:300])
    assert answer.content_type.startswith("application/json"), answer.content_type
    body = answer.json()
    assert set(body) >= {"detail", "code", "fields"}
    assert body["code"] == "database_unavailable"
    assert answer.headers.get("Retry-After") == "5"


def test_a_database_restart_is_a_503_then_the_api_recovers_by_itself() -> None:
    with postgres_cluster() as cluster:
        env = project_env(DATABASE_URL=cluster.url)
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        manage(env, "shell", "-c", MEMBER)
        with gunicorn(env) as base:
            token = login(base)
            member = {"X-Session-Token": token}
            boards = request(base, "GET", "/api/v1/boards/").json()["results"]
            slug = boards[0]["slug"]
            topic = json.dumps({"title": "Written during the outage", "kind": "question", "body": "Anyone?"}).encode()
            key = {"Idempotency-Key": "during-the-outage", **member}
            assert request(base, "GET", f"/api/v1/boards/{slug}/topics/").status == 200

            cluster.stop()
            calls = [
                ("GET", "/api/v1/boards/", None, {}),
                ("GET", f"/api/v1/boards/{slug}/topics/", None, {}),
                ("GET", "/api/v1/me/", None, member),
                ("POST", f"/api/v1/boards/{slug}/topics/", topic, key),
                ("GET", "/_allauth/app/v1/auth/session", None, member),
            ] * 4
            with ThreadPoolExecutor(max_workers=4) as pool:
                answers = list(pool.map(lambda call: request(base, call[0], call[1], call[2], **call[3]), calls))
            for answer in answers:
                assert_unavailable(answer)
            health = request(base, "GET", "/healthz")
            assert (health.status, health.json()["down"]) == (503, ["database"])

            cluster.start()
            took = wait_until(lambda: request(base, "GET", "/api/v1/boards/").status == 200, 10, "the API to recover")

            assert request(base, "GET", "/healthz").status == 200
            # Nothing of the refused write was kept; the client's retry with the same key creates it once.
            created = request(base, "POST", f"/api/v1/boards/{slug}/topics/", topic, **key)
            assert created.status == 201, created.body
            replayed = request(base, "POST", f"/api/v1/boards/{slug}/topics/", topic, **key)
            assert replayed.json()["id"] == created.json()["id"]
            titles = [t["title"] for t in request(base, "GET", f"/api/v1/boards/{slug}/topics/").json()["results"]]
            assert titles.count("Written during the outage") == 1
            print(f"recovered {took:.1f} s after PostgreSQL came back; {len(answers)} requests answered 503")
