"""The audit log moves to the ``audit`` app (targets as plain ids) and moderator scopes to
``community`` (the scope rule lives with the boards it scopes). Rows are kept."""

from django.db import migrations


def copy_audit_entries(apps, schema_editor):
    Old = apps.get_model("moderation", "AuditEntry")
    New = apps.get_model("audit", "AuditEntry")
    Topic = apps.get_model("community", "Topic")
    boards = dict(Topic.objects.values_list("pk", "board_id"))
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=2000):
        batch.append(
            New(
                id=old.pk,
                actor_id=old.actor_id,
                actor_label=old.actor_label,
                action=old.action,
                target_user_id=old.target_user_id,
                board_id=boards.get(old.topic_id),
                topic_id=old.topic_id,
                post_id=old.post_id,
                queue_item_id=old.queue_item_id,
                reason=old.reason,
                note=old.note,
                before=old.before,
                after=old.after,
                created_at=old.created_at,
            )
        )
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)
    # Ids were kept, so the sequence must start after them.
    reset = schema_editor.connection.ops.sequence_reset_sql(no_style(), [New])
    with schema_editor.connection.cursor() as cursor:
        for statement in reset:
            cursor.execute(statement)


def no_style():
    from django.core.management.color import no_style as plain

    return plain()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_urgent_alerts"),
        ("audit", "0001_initial"),
        ("community", "0006_alter_notification_kind"),
    ]

    operations = [
        migrations.RunPython(copy_audit_entries, migrations.RunPython.noop),
        migrations.DeleteModel(name="AuditEntry"),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="moderatorscope", table="community_moderatorscope")],
            state_operations=[migrations.DeleteModel(name="ModeratorScope")],
        ),
    ]
