import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models.functions import Lower

from accounts.consent import ConsentKind
from accounts.pseudonyms import validate_pseudonym


class Role(models.TextChoices):
    MEMBER = "member", "Member"
    MODERATOR = "moderator", "Moderator"


class TrustLevel(models.TextChoices):
    NEW = "new", "New"
    MEMBER = "member", "Member"
    TRUSTED = "trusted", "Trusted"


class Condition(models.TextChoices):
    HEMIFACIAL_SPASM = "hemifacial_spasm", "Hemifacial spasm"
    BLEPHAROSPASM = "blepharospasm", "Blepharospasm"
    MEIGE_SYNDROME = "meige_syndrome", "Meige syndrome"
    CAREGIVER = "caregiver", "Caregiver or family"
    OTHER = "other", "Other"


class MemberManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> "User":
        # Pseudonyms are unique case-insensitively, so log-ins should be too.
        return self.get(username__iexact=username)


class User(AbstractUser):
    """A member. ``username`` is the public pseudonym; real names are not kept."""

    username = models.CharField(
        max_length=30,
        unique=True,
        validators=[validate_pseudonym],
        help_text="Public pseudonym: 3-30 letters, digits, '_' or '-'.",
    )
    email = models.EmailField(max_length=254, blank=True)
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    trust_level = models.CharField(max_length=16, choices=TrustLevel.choices, default=TrustLevel.NEW)
    trust_level_updated_at = models.DateTimeField(null=True, blank=True)
    # Set by moderation sanctions; read on every write and at login.
    silenced_until = models.DateTimeField(null=True, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    # Bumped to end every session and session token of the member at once.
    session_version = models.PositiveIntegerField(default=0)
    # The last data export: one per member per 10 minutes (privacy.export).
    data_exported_at = models.DateTimeField(null=True, blank=True)

    objects = MemberManager()  # type: ignore[misc]

    REQUIRED_FIELDS = ["email"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    def get_session_auth_hash(self) -> str:
        # Sessions carry this hash; changing session_version invalidates all of them.
        return f"{super().get_session_auth_hash()}:{self.session_version}"

    @property
    def is_moderator(self) -> bool:
        return self.is_active and (self.role == Role.MODERATOR or self.is_superuser)


class DigestFrequency(models.TextChoices):
    OFF = "off", "Off"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


def new_unsubscribe_token() -> str:
    # 12 random bytes (96 bits), 16 URL-safe characters: unguessable, and short enough that
    # the List-Unsubscribe URL stays under 75 characters (SMTP leaves it unencoded).
    return secrets.token_urlsafe(12)


class Profile(models.Model):
    """What a member tells others about themselves (private unless they opt in), and their digest settings."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    bio = models.TextField(max_length=1000, blank=True)
    bio_public = models.BooleanField(default=False)
    condition = models.CharField(max_length=32, choices=Condition.choices, blank=True)
    condition_public = models.BooleanField(default=False)
    digest_frequency = models.CharField(max_length=8, choices=DigestFrequency.choices, default=DigestFrequency.WEEKLY)
    digest_hour = models.PositiveSmallIntegerField(default=8, validators=[MaxValueValidator(23)])
    timezone = models.CharField(max_length=64, default="UTC")
    digest_discreet = models.BooleanField(default=False)
    digest_paused_until = models.DateField(null=True, blank=True)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    # Moderators only: an email the moment an urgent item (a member in crisis) reaches their queue.
    urgent_alert_email = models.BooleanField(default=True)
    unsubscribe_token = models.CharField(max_length=32, unique=True, default=new_unsubscribe_token)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["digest_frequency", "timezone", "digest_hour"], name="profile_digest_due")]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class ConsentRecord(models.Model):
    """One consent given by a member: what, which version of the text, when, and whether withdrawn.

    Giving consent again after withdrawing it adds a row, so the history stays. When the member
    is erased the rows lose their owner (``user`` None, ``erased_at`` set) and remain as the
    minimal proof that consent was given and when the data was erased.
    """

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="consents")
    kind = models.CharField(max_length=32, choices=ConsentKind.choices)
    version = models.CharField(max_length=32)
    given_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "kind", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "version"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} v{self.version}"


class RetiredPseudonym(models.Model):
    """A pseudonym of an erased member, kept as a keyed hash so no one can sign up as them later.

    The name itself is not stored (see ``accounts.pseudonyms.retired_digests``).
    """

    digest = models.CharField(max_length=64, unique=True)
    retired_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"retired pseudonym {self.digest[:12]}"
