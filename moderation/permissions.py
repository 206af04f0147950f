"""Who may moderate what: plain functions, wrapped by the DRF classes in ``views``.

The scope rule itself is ``community.permissions.can_moderate_board``: the queue,
decisions and sanctions ask the same function as editing, pinning and locking.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import User
from community.permissions import can_moderate_board, moderated_board_ids
from config.errors import Forbidden, NotFound
from moderation.models import QueueItem


def visible_queue(user: User) -> QuerySet[QueueItem]:
    items = QueueItem.objects.all()
    scope = moderated_board_ids(user)
    return items if scope is None else items.filter(board_id__in=scope)


def check_can_moderate_item(user: User, item: QueueItem) -> None:
    """404 when the item is outside the moderator's boards: its existence is not theirs to know."""
    if not can_moderate_board(user, item.board_id):
        raise NotFound


def check_can_sanction(moderator: User, member: User, *, from_item: QueueItem | None = None) -> None:
    """Sanctions apply site-wide: board-scoped moderators give them only from an item on their boards."""
    if from_item is not None:
        check_can_moderate_item(moderator, from_item)
    elif moderated_board_ids(moderator) is not None:
        raise Forbidden("Board moderators sanction members from a queue item on their boards.", code="scoped_moderator")
    if member.pk == moderator.pk:
        raise Forbidden("You cannot sanction yourself.", code="self_sanction")
    if member.is_moderator and not moderator.is_superuser:
        raise Forbidden("Only admins can sanction moderators.", code="moderator_target")
