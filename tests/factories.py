from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.consent import CURRENT_VERSIONS
from accounts.models import ConsentRecord, Profile, Role, TrustLevel, User

DEFAULT_PASSWORD = "calm-blue-lake-42"


class MemberFactory(factory.django.DjangoModelFactory[User]):
    """A member as signup leaves them: verified email, profile, the three consents."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member_{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = Role.MEMBER
    trust_level = TrustLevel.MEMBER
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def signed_up(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Profile.objects.create(user=user)
        now = timezone.now()
        ConsentRecord.objects.bulk_create(
            ConsentRecord(user=user, kind=kind, version=version, given_at=now)
            for kind, version in CURRENT_VERSIONS.items()
        )


class NewMemberFactory(MemberFactory):
    trust_level = TrustLevel.NEW


class ModeratorFactory(MemberFactory):
    username = factory.Sequence(lambda n: f"guide_{n}")
    role = Role.MODERATOR
    trust_level = TrustLevel.TRUSTED


class AdminFactory(MemberFactory):
    username = factory.Sequence(lambda n: f"keeper_{n}")
    is_staff = True
    is_superuser = True
