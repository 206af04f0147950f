from zoneinfo import available_timezones

from rest_framework import serializers

from accounts.models import Condition, ConsentRecord, DigestFrequency, User
from config.serializers import CleanCharField, StrictInputSerializer


class HelpLineSchema(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField(required=False, help_text="A line reached online.")
    phone = serializers.CharField(required=False, help_text="A line reached by phone.")


class SupportResourcesSchema(serializers.Serializer):
    """What screening shows an author at once when their words show warning signs (moderation/screening.py)."""

    message = serializers.CharField()
    now = serializers.ListField(child=serializers.CharField(), help_text="What to do now, most urgent first.")
    lines = HelpLineSchema(many=True)


class ConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConsentRecord
        fields = ["kind", "version", "given_at", "withdrawn_at"]
        read_only_fields = fields  # output only: every field is in every answer, so the schema requires them


class ConsentStatusSchema(serializers.Serializer):
    """What stands between the member and posting, if anything."""

    withdrawn = serializers.ListField(
        child=serializers.CharField(),
        help_text="Consents you withdrew: posting and digests are off until you give them again.",
    )
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Consents whose text changed (or never given): agree to post again."
    )


class ConsentChangeSchema(serializers.Serializer):
    """The answer to giving or withdrawing a consent."""

    kind = serializers.CharField()
    current_version = serializers.CharField(help_text="The version of the text in force.")
    in_force = serializers.BooleanField(help_text="Whether you now consent to the current text.")
    records = ConsentSerializer(many=True, help_text="Your records of this consent, newest first.")
    effects = serializers.CharField(required=False, help_text="What withdrawing means for you (withdrawal only).")
    export_url = serializers.CharField(required=False, help_text="Download everything we hold about you.")
    erase_url = serializers.CharField(required=False, help_text="Erase your account (DELETE, with your password).")


class ProfileSerializer(serializers.Serializer):
    bio = serializers.CharField()
    bio_public = serializers.BooleanField()
    condition = serializers.CharField()
    condition_public = serializers.BooleanField()
    digest_frequency = serializers.CharField()
    digest_hour = serializers.IntegerField()
    timezone = serializers.CharField()
    digest_discreet = serializers.BooleanField()
    digest_paused_until = serializers.DateField(allow_null=True)
    urgent_alert_email = serializers.BooleanField(
        help_text="Moderators: an email as soon as an urgent item reaches the queue (the in-app notice always comes)."
    )


class MeSerializer(serializers.ModelSerializer):
    """The member's own view of their account: everything, including private fields."""

    profile = ProfileSerializer()
    consents = ConsentSerializer(many=True)
    consent_status = ConsentStatusSchema()
    is_moderator = serializers.BooleanField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "role",
            "is_moderator",
            "trust_level",
            "date_joined",
            "profile",
            "consents",
            "consent_status",
        ]
        read_only_fields = fields  # output only: every field is in every answer, so the schema requires them


class MeUpdatedSerializer(MeSerializer):
    resources = SupportResourcesSchema(
        required=False, help_text="Support resources, when a new bio shows warning signs."
    )

    class Meta(MeSerializer.Meta):
        fields = [*MeSerializer.Meta.fields, "resources"]


class MeUpdateSerializer(StrictInputSerializer):
    bio = CleanCharField(max_length=1000, allow_blank=True, multiline=True, trim_whitespace=True, required=False)
    bio_public = serializers.BooleanField(required=False)
    condition = serializers.ChoiceField(choices=[("", "Not said"), *Condition.choices], required=False)
    condition_public = serializers.BooleanField(required=False)
    digest_frequency = serializers.ChoiceField(choices=DigestFrequency.choices, required=False)
    digest_hour = serializers.IntegerField(min_value=0, max_value=23, required=False)
    timezone = serializers.CharField(max_length=64, required=False, help_text="An IANA time zone, e.g. Europe/Paris")
    digest_discreet = serializers.BooleanField(required=False)
    digest_paused_until = serializers.DateField(required=False, allow_null=True)
    urgent_alert_email = serializers.BooleanField(required=False)

    def validate_timezone(self, value: str) -> str:
        if value not in available_timezones():
            raise serializers.ValidationError("Unknown time zone: use an IANA name such as Europe/Paris.")
        return value


class PublicProfileSerializer(serializers.Serializer):
    """What anyone may see of a member: the pseudonym, and only what they chose to show."""

    username = serializers.CharField()
    role = serializers.CharField()
    trust_level = serializers.CharField()
    joined = serializers.DateField()
    bio = serializers.CharField(allow_null=True)
    condition = serializers.CharField(allow_null=True)

    @staticmethod
    def from_user(user: User) -> dict:
        profile = getattr(user, "profile", None)
        return {
            "username": user.username,
            "role": user.role,
            "trust_level": user.trust_level,
            "joined": user.date_joined.date(),
            "bio": profile.bio if profile and profile.bio_public and profile.bio else None,
            "condition": profile.condition if profile and profile.condition_public and profile.condition else None,
        }
