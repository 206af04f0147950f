"""Test settings: the same services as base, kept apart from real data."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.env import redis_db, redis_url_with_db

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False

# Tests clear the cache (FLUSHDB) between tests: keep it on a Redis database of its own, apart from the
# broker's queues. A serial run has the broker on REDIS_URL's database and the cache on 15. Under
# pytest-xdist each worker gwN has two databases of its own, counted on from REDIS_URL's database B: the
# broker on B+1+2N and the cache on B+2+2N, so no worker flushes another's cache or takes its tasks.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL:
    cache_db = 15
    if XDIST_WORKER:
        cache_db = redis_db(REDIS_URL) + 2 + 2 * int(XDIST_WORKER.removeprefix("gw"))
        if cache_db > 15:
            raise ImproperlyConfigured(
                f"pytest-xdist worker {XDIST_WORKER} would need Redis database {cache_db}, past 15: run fewer "
                "workers (-n) or point REDIS_URL at a lower database"
            )
        REDIS_URL = redis_url_with_db(REDIS_URL, cache_db - 1)
        CELERY_BROKER_URL = REDIS_URL
    CACHES["default"]["LOCATION"] = redis_url_with_db(REDIS_URL, cache_db)
    CACHES["default"]["KEY_PREFIX"] = "sc-test"

# Tasks run in the test process unless a test starts a real worker.
CELERY_TASK_ALWAYS_EAGER = True
