"""Cache-backed posting throttles (Redis in production, local memory otherwise).

Unlike DRF's stock throttles these count only what was actually created: a
member who fixes a typo after a 400 is not punished for it. The view records
a hit after a successful create (:func:`record_post`).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from accounts.models import User
from community.limits import BURST_SECONDS, DAY, Creating, daily_cap

DAY_SECONDS = int(DAY.total_seconds())


def _key(user_id: int, creating: Creating | str) -> str:
    return f"posting:{creating}:{user_id}"


def record_post(user: User, creating: Creating) -> None:
    now = time.time()
    for scope, window in ((creating, DAY_SECONDS), ("any", BURST_SECONDS)):
        key = _key(user.pk, scope)
        history = [t for t in cache.get(key, []) if t > now - window]
        history.append(now)
        cache.set(key, history[-200:], timeout=window)


class PostingThrottle(BaseThrottle):
    creating: Creating = "reply"

    def allow_request(self, request: Request, view: object) -> bool:
        user = request.user
        self._wait: float | None = None
        if not isinstance(user, User) or user.is_moderator or request.method != "POST":
            return True
        now = time.time()
        recent_any = [t for t in cache.get(_key(user.pk, "any"), []) if t > now - BURST_SECONDS]
        if recent_any:
            self._wait = BURST_SECONDS - (now - recent_any[-1])
            return False
        cap = daily_cap(user, self.creating)
        if cap is None:
            return True
        recent = [t for t in cache.get(_key(user.pk, self.creating), []) if t > now - DAY_SECONDS]
        if len(recent) >= cap:
            self._wait = recent[-cap] + DAY_SECONDS - now
            return False
        return True

    def wait(self) -> float | None:
        return self._wait


class TopicThrottle(PostingThrottle):
    creating = "topic"


class ReplyThrottle(PostingThrottle):
    creating = "reply"
