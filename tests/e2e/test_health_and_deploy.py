"""/healthz, the production settings and the demo seed."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from community.models import Board

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_healthz_is_200_when_everything_answers() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["cache"] == "ok"


@pytest.mark.redis
def test_healthz_checks_the_real_broker_when_redis_is_configured() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_healthz_is_503_naming_redis_when_redis_is_down() -> None:
    dead = f"redis://127.0.0.1:{closed_port()}/0"
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": dead,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
        }
    }
    with override_settings(REDIS_URL=dead, CACHES=caches):
        response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert "redis" in body["down"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "down"


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SMTP_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="support-circle.example.org",
        DATABASE_URL="sqlite:////tmp/support-circle-deploy-check.sqlite3",
        SMTP_URL="smtp://mail.example.org:587?tls=1",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "SMTP_URL", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing: str) -> None:
    result = manage("check", env=production_env(**{missing: ""}))
    assert result.returncode != 0
    assert missing in result.stderr


def test_seed_demo_creates_the_demo_boards_and_is_safe_to_run_twice() -> None:
    call_command("seed_demo")
    first = list(Board.objects.values_list("slug", "is_public").order_by("position"))
    call_command("seed_demo")
    assert list(Board.objects.values_list("slug", "is_public").order_by("position")) == first
    slugs = [slug for slug, _ in first]
    assert slugs[0] == "newly-diagnosed"
    assert {"coping-tips", "triggers", "treatments", "caregivers", "hemifacial-spasm", "blepharospasm"} <= set(slugs)
    assert any(not public for _, public in first), "at least one members-only board"


@pytest.mark.parametrize(("pooling", "expected"), [("true", "True"), ("", "False")])
def test_production_behind_a_transaction_pool_reads_without_server_side_cursors(pooling: str, expected: str) -> None:
    """Behind PgBouncer in transaction mode a named cursor cannot outlive its transaction, so
    ``DATABASE_TRANSACTION_POOLING`` turns them off; mail goes through the backend that sends digests as bytes."""
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS', False), "
        "settings.MAILERS['default']['BACKEND'])"
    )
    env = production_env(
        DATABASE_URL="postgres://support@pgbouncer.example.org:6432/support_circle",
        DATABASE_TRANSACTION_POOLING=pooling,
    )
    result = manage("shell", "--verbosity", "0", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, "config.mail.SMTPBackend"]
