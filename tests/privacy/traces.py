"""Looking for a person in the database: every text of every column of every table."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection


@dataclass(frozen=True)
class Hit:
    table: str
    column: str
    needle: str


def all_tables() -> list[str]:
    """Every table in the database, and a check that it holds every model's: a model added later is scanned."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    models = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    missing = models - set(tables)
    assert not missing, f"models without a table: {sorted(missing)}"
    return tables


def find_traces(needles: list[str]) -> list[Hit]:
    """Where any needle (case-insensitive) appears, cast to text, in any column of any table.

    Also in the decoded session data, which the database stores signed and base64-encoded.
    """
    quote = connection.ops.quote_name
    hits: list[Hit] = []
    lowered = [needle.lower() for needle in needles]
    with connection.cursor() as cursor:
        for table in all_tables():
            for column in connection.introspection.get_table_description(cursor, table):
                text = f"LOWER(CAST({quote(column.name)} AS TEXT))"
                for needle in lowered:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {quote(table)} WHERE {text} LIKE %s",  # noqa: S608 -- names from introspection
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        hits.append(Hit(table, column.name, needle))
    store = SessionStore()
    for data in Session.objects.values_list("session_data", flat=True):
        decoded = str(store.decode(data)).lower()
        hits += [Hit("django_session", "session_data (decoded)", n) for n in lowered if n in decoded]
    return hits
