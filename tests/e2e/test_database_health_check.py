"""The database health check (``config.postgresql``): no round trip on a quiet connection, a dropped
connection replaced before the request uses it, ``SELECT 1`` whenever the socket has something to say.

Each test opens connections of its own (``connections.create_connection``) and watches them from
another session through ``pg_stat_activity``, which shows each backend's last statement."""

from __future__ import annotations

import select
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.waiting import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def wrappers() -> Iterator[tuple[BaseDatabaseWrapper, BaseDatabaseWrapper]]:
    """(the connection under test, an observer), both in autocommit like a request's connection."""
    opened = [connections.create_connection("default") for _ in range(2)]
    for wrapper in opened:
        wrapper.ensure_connection()
    yield opened[0], opened[1]
    for wrapper in opened:
        wrapper.close()


def run(wrapper: BaseDatabaseWrapper, sql: str, params: list[Any] | None = None) -> object:
    with wrapper.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone() if cursor.description else None
    return None if row is None else row[0]


def last_statement(observer: BaseDatabaseWrapper, pid: object) -> object:
    return run(observer, "SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])


def test_the_backend_is_ours() -> None:
    assert type(connections["default"]).__module__ == "config.postgresql.base"


def test_a_quiet_connection_is_usable_without_a_round_trip(wrappers) -> None:
    tested, observer = wrappers
    pid = run(tested, "SELECT pg_backend_pid()")
    run(tested, "SELECT 4242")
    assert last_statement(observer, pid) == "SELECT 4242"

    assert tested.is_usable()
    assert last_statement(observer, pid) == "SELECT 4242"  # nothing was sent


def test_a_connection_the_server_dropped_is_replaced_before_it_is_used(wrappers) -> None:
    tested, observer = wrappers
    pid = run(tested, "SELECT pg_backend_pid()")
    assert run(observer, "SELECT pg_terminate_backend(%s)", [pid]) is True
    assert wait_for(lambda: last_statement(observer, pid) is None, 10), "the backend did not exit"

    assert not tested.is_usable()
    # What Django does at the first query of a request:
    tested.health_check_enabled, tested.health_check_done = True, False
    tested.close_if_health_check_failed()
    assert tested.connection is None
    assert run(tested, "SELECT 1") == 1
    assert run(tested, "SELECT pg_backend_pid()") != pid


def test_anything_to_read_falls_back_to_select_1(wrappers) -> None:
    """A healthy connection with a message waiting (here a notification) is checked the old way."""
    tested, observer = wrappers
    pid = run(tested, "SELECT pg_backend_pid()")
    run(tested, "LISTEN health_check_test")
    run(observer, "NOTIFY health_check_test")
    poller = select.poll()
    poller.register(tested.connection.fileno(), select.POLLIN)
    assert poller.poll(10_000), "the notification did not arrive"

    assert tested.is_usable()
    assert last_statement(observer, pid) == "SELECT 1"
