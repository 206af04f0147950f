from typing import cast

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.consent import CURRENT_VERSIONS, WITHDRAWAL_EFFECTS, consent_standing
from accounts.models import ConsentRecord, Profile, User
from accounts.selectors import get_member_by_pseudonym
from accounts.serializers import (
    ConsentChangeSchema,
    ConsentSerializer,
    MeSerializer,
    MeUpdatedSerializer,
    MeUpdateSerializer,
    PublicProfileSerializer,
)
from accounts.services import give_consent, update_profile, withdraw_consent


def _me_payload(user: User) -> dict:
    user = User.objects.select_related("profile").prefetch_related("consents").get(pk=user.pk)
    if not hasattr(user, "profile"):
        user.profile = Profile(user=user)
    # The standing from the consents already fetched for the answer, not a second query.
    standing = consent_standing((c.kind, c.version, c.withdrawn_at is not None) for c in user.consents.all())
    user.consent_status = {"withdrawn": list(standing.withdrawn), "missing": list(standing.required)}  # type: ignore[attr-defined]
    return MeSerializer(user).data


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, summary="Your own account, profile and consents")
    def get(self, request: Request) -> Response:
        return Response(_me_payload(cast(User, request.user)))

    @extend_schema(request=MeUpdateSerializer, responses=MeUpdatedSerializer, summary="Update your profile")
    def patch(self, request: Request) -> Response:
        serializer = MeUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = cast(User, request.user)
        _, resources = update_profile(actor=user, data=serializer.validated_data)
        payload = _me_payload(user)
        if resources is not None:
            payload["resources"] = resources
        return Response(payload)


class PublicProfileView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=PublicProfileSerializer, summary="A member's public profile")
    def get(self, request: Request, username: str) -> Response:
        return Response(PublicProfileSerializer.from_user(get_member_by_pseudonym(username)))


def _consent_change(kind: str, records: list[ConsentRecord]) -> dict:
    version = CURRENT_VERSIONS[kind]
    return {
        "kind": kind,
        "current_version": version,
        "in_force": any(r.version == version and r.withdrawn_at is None for r in records),
        "records": ConsentSerializer(records, many=True).data,
    }


class ConsentView(APIView):
    """Give or withdraw one consent: withdrawing is one request, like giving."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=ConsentChangeSchema, summary="Agree to the current text of a consent")
    def put(self, request: Request, kind: str) -> Response:
        records, _ = give_consent(actor=cast(User, request.user), kind=kind)
        return Response(_consent_change(kind, records))

    @extend_schema(request=None, responses={200: ConsentChangeSchema}, summary="Withdraw a consent")
    def delete(self, request: Request, kind: str) -> Response:
        records, _ = withdraw_consent(actor=cast(User, request.user), kind=kind)
        payload = _consent_change(kind, records)
        payload.update(
            effects=WITHDRAWAL_EFFECTS[kind],
            export_url=reverse("me-export"),
            erase_url=reverse("me"),
        )
        return Response(payload)
