"""Inputs and the documented shape of the data export."""

from __future__ import annotations

from rest_framework import serializers

from accounts.serializers import ProfileSerializer
from config.serializers import StrictInputSerializer


class EraseInput(StrictInputSerializer):
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, help_text="Your current password: erasure cannot be undone."
    )
    content = serializers.ChoiceField(
        choices=[
            ("remove", "Remove every post: each becomes a placeholder, its text wiped"),
            ("keep", 'Keep posts readable under "former member" (their edit history is wiped)'),
        ],
        help_text="What happens to what you posted.",
    )


class EraseMemberInput(StrictInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text="The item's version, as loaded.")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    takeover = serializers.BooleanField(required=False, default=False)


class ErasedMemberSchema(serializers.Serializer):
    item = serializers.IntegerField()
    decision = serializers.CharField()
    erased = serializers.BooleanField()


# --- The export ------------------------------------------------------------------------------------


class ExportAccountSchema(serializers.Serializer):
    id = serializers.IntegerField()
    pseudonym = serializers.CharField()
    email = serializers.CharField()
    role = serializers.CharField()
    trust_level = serializers.CharField()
    trust_level_updated_at = serializers.DateTimeField(allow_null=True)
    date_joined = serializers.DateTimeField()
    last_login = serializers.DateTimeField(allow_null=True)
    silenced_until = serializers.DateTimeField(allow_null=True)
    suspended_until = serializers.DateTimeField(allow_null=True)
    data_exported_at = serializers.DateTimeField(allow_null=True, help_text="This export's time.")


class ExportEmailSchema(serializers.Serializer):
    email = serializers.CharField()
    verified = serializers.BooleanField()
    primary = serializers.BooleanField()


class ExportProfileSchema(ProfileSerializer):
    last_digest_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


class ExportConsentSchema(serializers.Serializer):
    kind = serializers.CharField()
    version = serializers.CharField(help_text="The version of the text you agreed to.")
    given_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class ExportTopicSchema(serializers.Serializer):
    id = serializers.IntegerField()
    board_slug = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportRevisionSchema(serializers.Serializer):
    body = serializers.CharField(help_text="The markdown before that edit.")
    title = serializers.CharField(help_text="The topic's title before a retitle (else empty).")
    edited_by = serializers.ChoiceField(choices=["you", "a moderator"], help_text="Who made the edit that replaced it.")
    created_at = serializers.DateTimeField()


class ExportPostSchema(serializers.Serializer):
    id = serializers.IntegerField()
    topic = serializers.IntegerField()
    is_first = serializers.BooleanField()
    body = serializers.CharField(help_text="Your markdown source.")
    status = serializers.CharField()
    gone_reason = serializers.CharField()
    medical_notice = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    revisions = ExportRevisionSchema(many=True, help_text="Every earlier version, oldest first.")


class ExportReactionSchema(serializers.Serializer):
    post_id = serializers.IntegerField()
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportOutcomeSchema(serializers.Serializer):
    topic_id = serializers.IntegerField()
    helped = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ExportBoardFollowSchema(serializers.Serializer):
    board_slug = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportTopicRefSchema(serializers.Serializer):
    topic_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ExportNotificationSchema(serializers.Serializer):
    kind = serializers.CharField()
    message = serializers.CharField()
    topic_id = serializers.IntegerField(allow_null=True)
    post_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class ExportFlagSchema(serializers.Serializer):
    post_id = serializers.IntegerField()
    reason = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    dismissed_at = serializers.DateTimeField(allow_null=True)


class ExportSanctionSchema(serializers.Serializer):
    kind = serializers.CharField()
    reason = serializers.CharField(help_text="The statement of reasons you were given.")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    lifted_at = serializers.DateTimeField(allow_null=True)


class ExportAppealSchema(serializers.Serializer):
    post_id = serializers.IntegerField()
    appeal_statement = serializers.CharField()
    status = serializers.CharField()
    decision = serializers.CharField()
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class ExportDeliverySchema(serializers.Serializer):
    period = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)


class ExportAuditSchema(serializers.Serializer):
    action = serializers.CharField()
    by = serializers.ChoiceField(choices=["you", "a moderator", "the system"])
    reason = serializers.CharField()
    board_id = serializers.IntegerField(allow_null=True)
    topic_id = serializers.IntegerField(allow_null=True)
    post_id = serializers.IntegerField(allow_null=True)
    before = serializers.DictField()
    after = serializers.DictField()
    created_at = serializers.DateTimeField()


class ExportSchema(serializers.Serializer):
    """Everything Support Circle holds about you (GDPR Art. 15 and 20)."""

    format_version = serializers.IntegerField()
    exported_at = serializers.DateTimeField()
    service = serializers.CharField()
    account = ExportAccountSchema()
    email_addresses = ExportEmailSchema(many=True)
    profile = ExportProfileSchema(allow_null=True)
    consents = ExportConsentSchema(many=True, help_text="Every consent you gave, with the text's version.")
    topics = ExportTopicSchema(many=True, help_text="Topics you started.")
    posts = ExportPostSchema(many=True, help_text="Every post you wrote, with all its earlier versions.")
    reactions = ExportReactionSchema(many=True, help_text="Reactions you gave.")
    tip_outcomes = ExportOutcomeSchema(many=True, help_text='"It helped / it did not help" on tips you tried.')
    board_follows = ExportBoardFollowSchema(many=True)
    topic_follows = ExportTopicRefSchema(many=True)
    bookmarks = ExportTopicRefSchema(many=True)
    notifications = ExportNotificationSchema(many=True)
    flags_filed = ExportFlagSchema(many=True, help_text="Reports you made (who reported you is not included).")
    sanctions = ExportSanctionSchema(many=True)
    appeals = ExportAppealSchema(many=True)
    digest_deliveries = ExportDeliverySchema(many=True)
    audit_entries = ExportAuditSchema(
        many=True, help_text="Actions on you or your content, and yours that the log records (no moderator names)."
    )
