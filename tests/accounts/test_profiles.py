"""/api/v1/me/, public profiles and set_role."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Role, User
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_me_patch_updates_the_profile_and_keeps_it_private_by_default(member_api, member) -> None:
    response = member_api.patch(
        "/api/v1/me/", {"bio": "Blepharospasm since 2019.", "condition": "blepharospasm"}, format="json"
    )
    assert response.status_code == 200
    profile = response.json()["profile"]
    assert (profile["bio"], profile["bio_public"]) == ("Blepharospasm since 2019.", False)
    assert (profile["condition"], profile["condition_public"]) == ("blepharospasm", False)
    member.profile.refresh_from_db()
    assert member.profile.condition == "blepharospasm"

    public = member_api.get(f"/api/v1/users/{member.username}/").json()
    assert public["bio"] is None
    assert public["condition"] is None
    assert "email" not in public


def test_public_profile_shows_only_what_the_member_opted_into(api, member_api, member) -> None:
    member_api.patch(
        "/api/v1/me/",
        {"bio": "Caregiver for my dad.", "bio_public": True, "condition": "caregiver", "condition_public": False},
        format="json",
    )
    public = api.get(f"/api/v1/users/{member.username.upper()}/")
    assert public.status_code == 200
    assert public.json()["bio"] == "Caregiver for my dad."
    assert public.json()["condition"] is None
    assert set(public.json()) == {"username", "role", "trust_level", "joined", "bio", "condition"}


def test_unknown_member_is_404_in_the_error_shape(api) -> None:
    response = api.get("/api/v1/users/nobody_here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found", "fields": {}}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bio": "x" * 1001}, "bio"),
        ({"condition": "migraine"}, "condition"),
        ({"bio_public": "maybe"}, "bio_public"),
        ({"bio": "hi\x00there"}, "bio"),
        ({"bio": "hi\x07"}, "bio"),
        ({"email": "new@example.org"}, "email"),
        ({"role": "moderator"}, "role"),
    ],
)
def test_bad_profile_input_is_a_400_naming_the_field(member_api, member, body, field) -> None:
    response = member_api.patch("/api/v1/me/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail", "code", "fields"}
    assert field in response.json()["fields"]
    member.refresh_from_db()
    assert member.role == Role.MEMBER
    assert member.profile.bio == ""


def test_set_role_grants_and_removes_the_moderator_role(capsys) -> None:
    member = MemberFactory.create(username="kind_owl")
    call_command("set_role", "KIND_OWL", "moderator")
    member.refresh_from_db()
    assert member.role == Role.MODERATOR
    assert member.is_moderator

    call_command("set_role", "kind_owl", "moderator")
    assert "nothing changed" in capsys.readouterr().out

    call_command("set_role", "kind_owl", "member")
    member.refresh_from_db()
    assert member.role == Role.MEMBER
    assert not member.is_moderator


def test_set_role_refuses_unknown_members_and_roles() -> None:
    with pytest.raises(CommandError):
        call_command("set_role", "ghost", "moderator")
    MemberFactory.create(username="kind_owl")
    with pytest.raises(CommandError):
        call_command("set_role", "kind_owl", "admin")
    assert User.objects.get(username="kind_owl").role == Role.MEMBER
