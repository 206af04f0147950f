"""Settings shared by every environment, read from the environment.

With nothing set, the project runs on the embedded default: an SQLite file,
the local-memory cache, Celery tasks run eagerly and mail printed to the
console. ``DATABASE_URL``, ``REDIS_URL`` and ``SMTP_URL`` switch each part to
the real service.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str, mailers_from_smtp_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "local-development-only-secret-key-not-for-production-use")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = "Support Circle"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "audit",
    "accounts",
    "community",
    "moderation",
    "privacy",
    "django_htmx",
    "web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.JsonDepthLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
# The debug page and error emails mask passwords inside DATABASE_URL, REDIS_URL, SMTP_URL and the like.
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.reporting.CredentialMaskingFilter"
CSRF_FAILURE_VIEW = "config.api_errors.csrf_failure"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "web.context.navigation",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers (web + eager tasks) share the file: wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check that asks the socket before it sends ``SELECT 1``.
    DATABASES["default"]["ENGINE"] = "config.postgresql"
# Behind PgBouncer in transaction pooling mode a server-side cursor (``.iterator()``) cannot outlive
# the transaction that opened it: Django then reads in chunks on the client side instead. (Prepared
# statements, the other thing such a pool breaks, are off in Django's psycopg backend by default.)
if env_bool("DATABASE_TRANSACTION_POOLING", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "sc",
            # Redis down: a cache miss, not an error. Sessions fall back to the database, posting
            # throttles to the database limits (community.limits); /healthz reports it.
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2, "IGNORE_EXCEPTIONS": True},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "support-circle"}}

DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions (and allauth's session tokens) are read from the cache, written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Mail -------------------------------------------------------------------

SMTP_URL = env_str("SMTP_URL")
MAILERS = {
    "default": mailers_from_smtp_url(SMTP_URL)
    if SMTP_URL
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Support Circle <no-reply@support-circle.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Passwords, i18n, static ---------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Nothing in the API legitimately needs a body this large; bigger is a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# --- Authentication (django-allauth, headless) ---------------------------------

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# The API clients use allauth's headless endpoints (/_allauth/); the web pages use its own views
# and templates (/accounts/), styled like the rest of the site.
HEADLESS_ONLY = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_FORMS = {"signup": "web.forms.SignupForm"}
HEADLESS_CLIENTS = ("browser", "app")
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "headless/spec/swagger_sidecar.html"
# allauth builds links in its emails from these; every flow that can send mail
# needs its key, or that flow fails with ImproperlyConfigured.
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{SITE_URL}/account/verify-email/{{key}}",
    "account_reset_password": f"{SITE_URL}/account/password/reset",
    "account_reset_password_from_key": f"{SITE_URL}/account/password/reset/key/{{key}}",
    "account_signup": f"{SITE_URL}/account/signup",
    "socialaccount_login_error": f"{SITE_URL}/account/provider/callback",
}

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupConsentForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Support Circle] "
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}

# --- Pages: Content-Security-Policy ---------------------------------------------
# Strict: every script and style is a file served by the site itself; no inline script, no eval,
# nothing from elsewhere. htmx is configured (no inline indicator styles, no eval) by a meta tag.
# NONCE lets the one inline script of allauth's API explorer run; Django sends a nonce only on
# responses whose template used it, so no page of ours carries one.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- API ----------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api_errors.api_exception_handler",
    "DEFAULT_PAGINATION_CLASS": "config.pagination.FeedCursorPagination",
    "PAGE_SIZE": 25,
    # Search is the heaviest read; typing in a search box sends a request per pause, not per key.
    "DEFAULT_THROTTLE_RATES": {"search": "120/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Support Circle API",
    "DESCRIPTION": (
        "Peer support for people living with facial spasms (hemifacial spasm, blepharospasm, "
        "Meige syndrome) and those who care for them. Authentication is django-allauth headless: "
        "see /_allauth/openapi.json. Send the session token as `X-Session-Token` (app client) "
        "or use the session cookie with CSRF (browser client)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReactionKindEnum": "community.models.ReactionKind",
        "TopicKindEnum": "community.models.TopicKind",
        "ContentStatusEnum": "community.models.ContentStatus",
        "FlagReasonEnum": "moderation.models.FlagReason",
        "RemovalReasonEnum": "moderation.guidelines.RemovalReason",
        "QueueItemKindEnum": "moderation.models.ItemKind",
        "SanctionKindEnum": "moderation.models.SanctionKind",
    },
}

# --- Celery -------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis redelivers an unacknowledged task after this long: a task whose worker was killed runs
# again then. It must exceed the longest task and the longest retry countdown (15 minutes), or a
# task runs twice (digest delivery is deduplicated anyway).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 1200)}
CELERY_TIMEZONE = "UTC"
# An urgent alert's email not sent this long after the alert is sent by the minute sweep (its task was
# lost: the broker was away when the item became urgent).
ALERT_EMAIL_GRACE_SECONDS = env_int("ALERT_EMAIL_GRACE_SECONDS", 60)
# First wait before a digest batch is retried after the mail server failed; doubles each time.
DIGEST_RETRY_BASE_SECONDS = 60
# A static schedule (django-celery-beat does not support this Django version).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "purge-idempotency-keys": {"task": "community.purge_idempotency_keys", "schedule": crontab(minute=17)},
    "remind-moderators": {"task": "moderation.remind_moderators", "schedule": crontab(minute="*/5")},
    "send-missed-alert-emails": {"task": "moderation.send_missed_alert_emails", "schedule": crontab(minute="*")},
    "recompute-trust-levels": {"task": "moderation.recompute_trust_levels", "schedule": crontab(hour=3, minute=41)},
    "enqueue-digests": {"task": "community.enqueue_digests", "schedule": crontab(minute=0)},
    "reconcile-digests": {"task": "community.reconcile_digests", "schedule": crontab(minute="*/15")},
    # Retention (README, "Data rights"; privacy/retention.py).
    "clear-expired-sessions": {"task": "privacy.clear_expired_sessions", "schedule": crontab(hour=2, minute=7)},
    "fold-old-digest-deliveries": {
        "task": "privacy.fold_old_digest_deliveries",
        "schedule": crontab(hour=2, minute=23),
    },
    "purge-old-notifications": {"task": "privacy.purge_old_notifications", "schedule": crontab(hour=2, minute=37)},
}

# --- Logging ------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SESSION_COOKIE_AGE = int(timedelta(days=14).total_seconds())

# Benchmarks only: serve the floor endpoints of bench/floor.py. Never set in production.
BENCH_FLOOR = env_bool("BENCH_FLOOR", False)

# Serve static files straight from the apps until collectstatic has run
# (production collects them; see production.py).
WHITENOISE_USE_FINDERS = True
