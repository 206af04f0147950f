"""Reading settings from the environment.

Only the handful of parsers the settings modules need; nothing here touches
Django, so it can be imported before settings are configured.
"""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def require(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(f"The {name} environment variable is required in production.")
    return value


def mailers_from_smtp_url(smtp_url: str) -> dict:
    """Turn ``smtp://user:pass@host:port`` (or ``smtps://``, ``?tls=1``) into a MAILERS entry."""
    parts = urlsplit(smtp_url)
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured("SMTP_URL must start with smtp:// or smtps://")
    options: dict[str, object] = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or (465 if parts.scheme == "smtps" else 25),
        "timeout": 10,
    }
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    if parts.scheme == "smtps":
        options["use_ssl"] = True
    elif "tls=1" in parts.query or "tls=true" in parts.query:
        options["use_tls"] = True
    return {"BACKEND": "config.mail.SMTPBackend", "OPTIONS": options}


def redis_url_with_db(redis_url: str, db: int) -> str:
    """The same Redis server with another logical database (keeps tests off real data)."""
    parts = urlsplit(redis_url)
    return parts._replace(path=f"/{db}").geturl()


def redis_db(redis_url: str) -> int:
    """The logical database a Redis URL names in its path (``redis://host:6379/3`` is 3); 0 when it names none."""
    path = urlsplit(redis_url).path.strip("/")
    try:
        return int(path or 0)
    except ValueError as exc:
        raise ImproperlyConfigured(f"REDIS_URL must name its database as a number, got {path!r}") from exc


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
