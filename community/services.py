"""Every write to community content goes through here."""

from __future__ import annotations

from django.db import transaction

from community.demo import DEMO_BOARDS
from community.models import Board


@transaction.atomic
def ensure_demo_boards() -> int:
    """Create the demo boards that are missing; never touches existing ones. Returns how many were created."""
    created = 0
    for position, spec in enumerate(DEMO_BOARDS):
        _, was_created = Board.objects.get_or_create(slug=spec["slug"], defaults={**spec, "position": position})
        created += was_created
    return created
