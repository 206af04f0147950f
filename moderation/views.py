"""Moderation API: the queue, decisions, sanctions, audit; flags, appeals and the welcome list."""

from __future__ import annotations

from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from community import selectors as community_selectors
from community.idempotency import IdempotentCreateMixin, run_idempotent
from community.models import Post
from community.permissions import can_see_welcome_list, is_moderator
from community.selectors import get_post_for_viewer
from community.serializers import TopicSchema, topic_data
from config.errors import Forbidden, NotFound
from config.pagination import PAGE_PARAMETERS, FeedCursorPagination, page_schema
from config.serializers import validated
from moderation import selectors, services
from moderation.models import Sanction
from moderation.serializers import (
    AppealInput,
    AuditEntrySchema,
    AuditFilter,
    ClaimInput,
    DecideInput,
    FlagInput,
    LiftInput,
    QueueFilter,
    QueueItemSchema,
    SanctionCreateInput,
    audit_data,
    item_data,
)


class IsModerator(BasePermission):
    """Moderators and admins only. Visitors get 401 (authenticate first), members 403."""

    message = "Only moderators can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_moderator(request.user)


class QueuePagination(FeedCursorPagination):
    ordering = selectors.QUEUE_ORDER


class AuditPagination(FeedCursorPagination):
    ordering = selectors.AUDIT_ORDER


def _member(request: Request) -> User:
    return cast(User, request.user)


class QueueListView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        parameters=[QueueFilter, *PAGE_PARAMETERS],
        responses=page_schema(QueueItemSchema),
        operation_id="v1_moderation_queue_list",
        summary="The moderation queue: urgent first, then oldest",
    )
    def get(self, request: Request) -> Response:
        filters = validated(QueueFilter, request.query_params)
        paginator = QueuePagination()
        items = selectors.queue_items(_member(request), filters=filters)
        page = paginator.paginate_queryset(items, request, view=self) or []
        return paginator.get_paginated_response([item_data(item) for item in page])


class QueueItemView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(responses=QueueItemSchema, summary="One queue item with its post, reasons and flags")
    def get(self, request: Request, item_id: int) -> Response:
        item = selectors.with_details(selectors.visible_queue(_member(request))).filter(pk=item_id).first()
        if item is None:
            raise NotFound
        return Response(item_data(item))


class ClaimView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(request=ClaimInput, responses=QueueItemSchema, summary="Claim an item for 15 minutes")
    def post(self, request: Request, item_id: int) -> Response:
        data = validated(ClaimInput, request.data)
        services.claim_item(actor=_member(request), item_id=item_id, takeover=data["takeover"])
        return Response(item_data(selectors.with_details(selectors.visible_queue(_member(request))).get(pk=item_id)))


class DecideView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        request=DecideInput,
        responses=QueueItemSchema,
        summary="Decide an item: approve, hide, remove, redact, dismiss or escalate",
        description=(
            "Send the item's current `version`; a stale version is a 409 and changes nothing. "
            "`remove` needs `reason` and `guideline`; `hide` needs `reason`; `redact` needs `redacted_body`. "
            "Add `sanction: {kind, until?, reason?}` to warn, silence or suspend the author at the same time. "
            "An item claimed by another moderator needs `takeover: true`."
        ),
    )
    def post(self, request: Request, item_id: int) -> Response:
        data = validated(DecideInput, request.data)
        services.decide_item(actor=_member(request), item_id=item_id, data=services.DecisionInput(**data))
        return Response(item_data(selectors.with_details(selectors.visible_queue(_member(request))).get(pk=item_id)))


class SanctionsView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        request=SanctionCreateInput,
        responses={
            201: inline_serializer(
                "SanctionResult",
                {
                    "id": serializers.IntegerField(),
                    "kind": serializers.CharField(),
                    "ends_at": serializers.DateTimeField(allow_null=True),
                },
            )
        },
        summary="Warn, silence or suspend a member (durations step up: 24 h, 72 h, 7 days, 30 days)",
    )
    def post(self, request: Request, username: str) -> Response:
        data = validated(SanctionCreateInput, request.data)
        member = User.objects.filter(username__iexact=username, is_active=True).first()
        if member is None:
            raise NotFound
        sanction = services.apply_sanction(actor=_member(request), member=member, **data)
        return Response(
            {"id": sanction.pk, "kind": sanction.kind, "ends_at": sanction.ends_at}, status=status.HTTP_201_CREATED
        )


class LiftSanctionView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        request=LiftInput,
        responses=inline_serializer("LiftResult", {"lifted": serializers.BooleanField()}),
        summary="Lift a sanction early (audited)",
    )
    def post(self, request: Request, sanction_id: int) -> Response:
        data = validated(LiftInput, request.data)
        sanction = Sanction.objects.filter(pk=sanction_id).first()
        if sanction is None:
            raise NotFound
        lifted = services.lift_sanction(actor=_member(request), sanction=sanction, note=data["note"])
        return Response({"lifted": lifted})


class AuditView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        parameters=[AuditFilter, *PAGE_PARAMETERS],
        responses=page_schema(AuditEntrySchema),
        operation_id="v1_moderation_audit_list",
        summary="The audit log, newest first (read-only)",
    )
    def get(self, request: Request) -> Response:
        filters = validated(AuditFilter, request.query_params)
        paginator = AuditPagination()
        page = paginator.paginate_queryset(selectors.audit_entries(_member(request), filters=filters), request, self)
        return paginator.get_paginated_response([audit_data(entry) for entry in page or []])


class StatsView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        responses=inline_serializer(
            "QueueStats",
            {
                "open": serializers.DictField(child=serializers.IntegerField()),
                "escalated": serializers.IntegerField(),
                "median_seconds_to_first_action": serializers.FloatField(allow_null=True),
                "acted_on_last_30_days": serializers.IntegerField(),
            },
        ),
        summary="Open items per priority and median time to first action (30 days)",
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.queue_stats(_member(request)))


class FlagView(IdempotentCreateMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=FlagInput,
        responses={
            201: inline_serializer(
                "FlagResult",
                {
                    "post": serializers.IntegerField(),
                    "reason": serializers.CharField(),
                    "received": serializers.BooleanField(),
                },
            )
        },
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        summary="Flag a post for the moderators",
    )
    def post(self, request: Request, post_id: int) -> Response:
        def create() -> Response:
            data = validated(FlagInput, request.data)
            post = get_post_for_viewer(request.user, post_id)
            flag = services.flag_post(actor=_member(request), post=post, **data)
            # The reporter learns their flag arrived; nobody else learns who flagged.
            return Response({"post": post.pk, "reason": flag.reason, "received": True}, status=status.HTTP_201_CREATED)

        return run_idempotent(request, self.idempotency_scope(request), create)


class AppealView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=AppealInput,
        responses={
            201: inline_serializer(
                "AppealResult", {"post": serializers.IntegerField(), "status": serializers.CharField()}
            )
        },
        summary="Appeal a moderator's removal of your post (once)",
    )
    def post(self, request: Request) -> Response:
        data = validated(AppealInput, request.data)
        post = Post.objects.select_related("topic").filter(pk=data["post"], author=_member(request)).first()
        if post is None:
            raise NotFound
        services.file_appeal(actor=_member(request), post=post, statement=data["statement"])
        return Response({"post": post.pk, "status": "received"}, status=status.HTTP_201_CREATED)


class WelcomeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="v1_welcome_list",
        parameters=PAGE_PARAMETERS,
        responses=page_schema(TopicSchema),
        summary="Newcomers' first topics still waiting for a reply",
    )
    def get(self, request: Request) -> Response:
        if not can_see_welcome_list(request.user):
            raise Forbidden("The welcome list is for trusted members and moderators.", code="trusted_only")
        paginator = FeedCursorPagination()
        paginator.ordering = ("created_at", "id")
        page = paginator.paginate_queryset(community_selectors.welcome_topics(), request, view=self) or []
        return paginator.get_paginated_response([topic_data(topic, request.user) for topic in page])
