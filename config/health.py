"""``GET /healthz``: is each dependency answering right now?"""

import logging

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _check_broker() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database, "cache": _check_cache}
    if settings.REDIS_URL:
        checks["broker"] = _check_broker
    states: dict[str, str] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "down"; the type is for the log
            logger.warning("healthz: %s is down (%s)", name, type(exc).__name__)
            states[name] = "down"
        else:
            states[name] = "ok"
    down = [name for name, state in states.items() if state != "ok"]
    if settings.REDIS_URL and "cache" in down:
        # cache and broker are the same Redis: name it so the operator knows what to fix
        down.append("redis")
    body = {"status": "ok" if not down else "unavailable", "checks": states, "down": down}
    return JsonResponse(body, status=503 if down else 200)
