"""Full-text search: one SearchEntry per post, its words a GIN-indexed tsvector on PostgreSQL or an FTS5 row on
SQLite (see community/search/index.py)."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from community.search.index import plain_text, search_state

POSTGRES_SETUP = [
    # unaccent is a trusted extension (PostgreSQL 13+): the database owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # English stemming after unaccent, for what is stored and searched.
    "CREATE TEXT SEARCH CONFIGURATION support_circle (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION support_circle ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    # Lowercase and unaccent only: the prefix of a word still being typed is not a word to stem.
    "CREATE TEXT SEARCH CONFIGURATION support_circle_prefix (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION support_circle_prefix ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
]
POSTGRES_TEARDOWN = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS support_circle_prefix",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS support_circle",
]
SQLITE_SETUP = [
    "CREATE VIRTUAL TABLE community_post_fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    # A deleted post (its topic deleted, its author's account gone) leaves nothing behind in the index.
    """CREATE TRIGGER community_post_fts_delete AFTER DELETE ON community_post
       BEGIN DELETE FROM community_post_fts WHERE rowid = old.id; END""",
]
SQLITE_TEARDOWN = ["DROP TRIGGER IF EXISTS community_post_fts_delete", "DROP TABLE IF EXISTS community_post_fts"]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def set_up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_SETUP)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_SETUP)


def tear_down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_TEARDOWN)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_TEARDOWN)


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _run(schema_editor, ["CREATE INDEX search_entry_words ON community_searchentry USING gin (vector)"])


def index_existing_posts(apps, schema_editor):
    """Index the posts already there, with the same text extraction and states the services use."""
    post_model = apps.get_model("community", "Post")
    entry_model = apps.get_model("community", "SearchEntry")
    vendor = schema_editor.connection.vendor
    posts = post_model.objects.values_list(
        "pk", "is_first", "body_html", "status", "created_at", "author_id",
        "topic_id", "topic__title", "topic__status", "topic__kind", "topic__board_id",
    )  # fmt: skip
    with schema_editor.connection.cursor() as cursor:
        for pk, is_first, html, status, created, author, topic, title, topic_status, kind, board in posts.iterator():
            entry_model.objects.create(
                post_id=pk,
                topic_id=topic,
                board_id=board,
                kind=kind,
                author_id=author,
                state=search_state(status, topic_status),
                created_at=created,
            )
            title = title if is_first else ""
            if vendor == "postgresql":
                cursor.execute(
                    "UPDATE community_searchentry SET vector = setweight(to_tsvector('support_circle', %s), 'A')"
                    " || setweight(to_tsvector('support_circle', %s), 'B') WHERE post_id = %s",
                    [title, plain_text(html), pk],
                )
            elif vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO community_post_fts(rowid, title, body) VALUES (%s, %s, %s)",
                    [pk, title, plain_text(html)],
                )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0008_digest_tally"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(set_up, tear_down),
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="community.post",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("experience", "Experience"), ("tip", "Tip"), ("question", "Question")], max_length=16
                    ),
                ),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("published", "Published in a published topic"),
                            ("pending", "Held, in a topic still open"),
                            ("closed", "Hidden or removed, or in a hidden or removed topic: found by nobody"),
                        ],
                        max_length=16,
                    ),
                ),
                ("created_at", models.DateTimeField()),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "board",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="community.board",
                    ),
                ),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="community.topic"
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["created_at"], name="search_entry_recent")],
            },
        ),
        migrations.RunPython(create_gin_index, migrations.RunPython.noop),
        migrations.RunPython(index_existing_posts, migrations.RunPython.noop),
    ]
