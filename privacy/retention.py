"""How long personal data is kept, enforced by the beat tasks in ``privacy.tasks``.

| data | kept | then |
|---|---|---|
| sessions (browser and app tokens) | until they expire (14 days idle) | deleted daily |
| idempotency records (they hold answers) | 24 hours | deleted hourly (``community.purge_idempotency_keys``) |
| digest deliveries | 90 days | folded into per-period counts, rows deleted, daily |
| notifications | 1 year | deleted daily |
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import transaction
from django.db.models import Count, F

from community.models import DigestDelivery, DigestTally, Notification

DELIVERIES_KEPT = timedelta(days=90)
NOTIFICATIONS_KEPT = timedelta(days=365)


def clear_expired_sessions() -> None:
    SessionStore.clear_expired()


@transaction.atomic
def fold_old_deliveries(now: datetime) -> int:
    """Reduce digest deliveries older than 90 days to counts per period and status. Returns rows folded."""
    old = DigestDelivery.objects.filter(created_at__lt=now - DELIVERIES_KEPT).exclude(status__in=["pending", "sending"])
    ids = list(old.select_for_update().values_list("pk", flat=True))
    if not ids:
        return 0
    totals = DigestDelivery.objects.filter(pk__in=ids).values("period", "status").annotate(n=Count("pk"))
    for row in totals:
        tally, created = DigestTally.objects.select_for_update().get_or_create(
            period=row["period"], status=row["status"], defaults={"count": row["n"]}
        )
        if not created:
            DigestTally.objects.filter(pk=tally.pk).update(count=F("count") + row["n"])
    return DigestDelivery.objects.filter(pk__in=ids).delete()[0]


def purge_old_notifications(now: datetime) -> int:
    return Notification.objects.filter(created_at__lt=now - NOTIFICATIONS_KEPT).delete()[0]
