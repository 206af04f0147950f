"""Who may moderate what: plain functions, wrapped by the DRF classes in ``views``."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from rest_framework import status

from accounts.models import Role, TrustLevel, User
from community.permissions import Viewer, is_moderator
from config.api_errors import ApiError
from moderation.models import ModeratorScope, QueueItem


def moderated_board_ids(user: User) -> set[int] | None:
    """The boards a moderator is limited to, or None for every board (admins, unscoped moderators)."""
    if user.is_superuser:
        return None
    ids = set(ModeratorScope.objects.filter(moderator=user).values_list("board_id", flat=True))
    return ids or None


def can_moderate_board(user: User, board_id: int) -> bool:
    if not user.is_moderator:
        return False
    scope = moderated_board_ids(user)
    return scope is None or board_id in scope


def moderators_of_board(board_id: int) -> QuerySet[User]:
    """Everyone :func:`can_moderate_board` admits for this board, as one query: admins, moderators
    without a scope, and moderators scoped to this board."""
    scopes = ModeratorScope.objects.filter(moderator=OuterRef("pk"))
    return User.objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(role=Role.MODERATOR) & (~Exists(scopes) | Exists(scopes.filter(board_id=board_id)))
    )


def visible_queue(user: User) -> QuerySet[QueueItem]:
    items = QueueItem.objects.all()
    scope = moderated_board_ids(user)
    return items if scope is None else items.filter(board_id__in=scope)


def check_can_moderate_item(user: User, item: QueueItem) -> None:
    """404 when the item is outside the moderator's boards: its existence is not theirs to know."""
    if not can_moderate_board(user, item.board_id):
        raise Http404


def check_can_sanction(moderator: User, member: User, *, from_item: bool = False) -> None:
    """Sanctions apply site-wide: board-scoped moderators give them only from an item on their boards."""
    if not from_item and moderated_board_ids(moderator) is not None:
        raise ApiError(
            "Board moderators sanction members from a queue item on their boards.",
            code="scoped_moderator",
            status_code=status.HTTP_403_FORBIDDEN,
        )
    if member.pk == moderator.pk:
        raise ApiError("You cannot sanction yourself.", code="self_sanction", status_code=status.HTTP_403_FORBIDDEN)
    if member.is_moderator and not moderator.is_superuser:
        raise ApiError(
            "Only admins can sanction moderators.", code="moderator_target", status_code=status.HTTP_403_FORBIDDEN
        )


def can_see_welcome_list(user: Viewer) -> bool:
    return is_moderator(user) or (isinstance(user, User) and user.trust_level == TrustLevel.TRUSTED)
