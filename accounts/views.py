from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Profile, User
from accounts.selectors import get_member_by_pseudonym
from accounts.serializers import MeSerializer, MeUpdatedSerializer, MeUpdateSerializer, PublicProfileSerializer
from accounts.services import update_profile


def _me_payload(user: User) -> dict:
    user = User.objects.select_related("profile").prefetch_related("consents").get(pk=user.pk)
    if not hasattr(user, "profile"):
        user.profile = Profile(user=user)
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
