"""Data-rights API: export, erasure (by the member, or by moderators for an under-age account)."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import logout
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from accounts.views import MeView as AccountMeView
from config.serializers import validated
from moderation import selectors as moderation_selectors
from moderation.serializers import QueueItemSchema, item_data
from moderation.views import IsModerator
from privacy import services
from privacy.serializers import EraseInput, EraseMemberInput, ExportSchema


class MeView(AccountMeView):
    """The member's own account: read and update it (``accounts``), or erase it."""

    @extend_schema(
        request=EraseInput,
        responses={
            204: OpenApiResponse(description="Erased. Every session ended; a confirmation email is on its way.")
        },
        summary="Erase your account",
        description=(
            'Needs your password. `content: "remove"` wipes every post (each becomes a placeholder, '
            '"removed at the author\'s request"); `"keep"` leaves them readable under "former member". '
            "Your email, profile, preferences, notifications, follows, bookmarks and sessions are deleted "
            "and your pseudonym is retired. It cannot be undone: download your data first (GET /api/v1/me/export/)."
        ),
    )
    def delete(self, request: Request) -> Response:
        data = validated(EraseInput, request.data)
        services.erase_account(actor=cast(User, request.user), password=data["password"], content=data["content"])
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ExportView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses=ExportSchema,
        summary="Download everything we hold about you (JSON)",
        description="Served as an attachment. One export per 10 minutes: sooner is a 429 with Retry-After.",
    )
    def get(self, request: Request) -> Response:
        data = services.export_member_data(actor=cast(User, request.user))
        filename = f"support-circle-export-{timezone.localdate(data['exported_at']):%Y-%m-%d}.json"
        return Response(
            data,
            headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
        )


class EraseMemberView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        request=EraseMemberInput,
        responses=QueueItemSchema,
        summary="Erase the account of a member reported as under 16",
        description=(
            "Only on a queue item with an `under_age` report, by a moderator of its board. The member's "
            "account is erased and everything they posted removed; the item is resolved as `erase_account` "
            "and the action audited. Send the item's current `version` (stale: 409)."
        ),
    )
    def post(self, request: Request, item_id: int) -> Response:
        data = validated(EraseMemberInput, request.data)
        actor = cast(User, request.user)
        services.erase_under_age_member(
            actor=actor, item_id=item_id, version=data["version"], takeover=data["takeover"], note=data["note"]
        )
        item = moderation_selectors.with_details(moderation_selectors.visible_queue(actor)).get(pk=item_id)
        return Response(item_data(item))
