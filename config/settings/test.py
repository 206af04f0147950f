"""Test settings: the same services as base, kept apart from real data."""

from config.env import redis_url_with_db

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False

# Tests clear the cache between tests: keep them on their own Redis database.
if REDIS_URL:
    CACHES["default"]["LOCATION"] = redis_url_with_db(REDIS_URL, 15)
    CACHES["default"]["KEY_PREFIX"] = "sc-test"

# Tasks run in the test process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
