"""Digest emails: preferences, content, headers, one-click unsubscribe, and delivery at most once."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Profile, User
from community import digests
from community.models import ContentStatus, DeliveryStatus, DigestDelivery, Topic
from community.tasks import reconcile_digests, send_digest_batch
from tests.factories import BoardFactory, MemberFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

MONDAY_8_UTC = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def set_prefs(user: User, **prefs: Any) -> None:
    Profile.objects.filter(user=user).update(**prefs)
    user.profile.refresh_from_db()


def aged(topic: Topic, hours: float) -> Topic:
    Topic.objects.filter(pk=topic.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    topic.refresh_from_db()
    return topic


@pytest.fixture
def reader() -> User:
    member = MemberFactory.create(username="away_reader")
    User.objects.filter(pk=member.pk).update(date_joined=timezone.now() - timedelta(days=30))
    member.refresh_from_db()
    return member


def html_part(message: Any) -> str:
    return str(message.alternatives[0].content)


def send_now(user: User, period: str = "weekly:2026-W48") -> digests.BatchResult:
    return digests.deliver_batch([user.pk], period)


# --- Preferences ---------------------------------------------------------------------------------


def test_digest_preferences_through_me(member_api: APIClient) -> None:
    response = member_api.patch(
        "/api/v1/me/",
        {
            "digest_frequency": "daily",
            "digest_hour": 19,
            "timezone": "Europe/Paris",
            "digest_discreet": True,
            "digest_paused_until": "2026-12-24",
        },
        format="json",
    )
    assert response.status_code == 200
    profile = response.json()["profile"]
    assert (profile["digest_frequency"], profile["digest_hour"], profile["timezone"]) == ("daily", 19, "Europe/Paris")
    assert profile["digest_discreet"] is True
    assert profile["digest_paused_until"] == "2026-12-24"


def test_defaults_are_weekly_at_eight_utc(member: User) -> None:
    assert (member.profile.digest_frequency, member.profile.digest_hour, member.profile.timezone) == (
        "weekly",
        8,
        "UTC",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"digest_hour": 24}, "digest_hour"),
        ({"digest_hour": -1}, "digest_hour"),
        ({"digest_frequency": "hourly"}, "digest_frequency"),
        ({"digest_paused_until": "next tuesday"}, "digest_paused_until"),
        ({"digest_discreet": "perhaps"}, "digest_discreet"),
    ],
)
def test_bad_preferences_are_a_400(member_api: APIClient, member: User, body: dict[str, Any], field: str) -> None:
    response = member_api.patch("/api/v1/me/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    member.profile.refresh_from_db()
    assert member.profile.timezone == "UTC"


# --- Selection -----------------------------------------------------------------------------------


def test_selection_follows_local_hour_across_a_dst_change(db: None) -> None:
    paris = MemberFactory.create()
    set_prefs(paris, digest_frequency="daily", digest_hour=8, timezone="Europe/Paris")
    # Winter, UTC+1: 08:00 in Paris is 07:00 UTC.
    before = datetime(2026, 3, 28, 7, 0, tzinfo=UTC)
    assert digests.due_members(before) == {"daily:2026-03-28": [paris.pk]}
    assert digests.due_members(before.replace(hour=6)) == {}
    # After the clocks go forward (29 March 2026), UTC+2: 08:00 in Paris is 06:00 UTC.
    after = datetime(2026, 3, 30, 6, 0, tzinfo=UTC)
    assert digests.due_members(after) == {"daily:2026-03-30": [paris.pk]}
    assert digests.due_members(after.replace(hour=7)) == {}


def test_weekly_digests_go_on_the_members_local_monday(db: None) -> None:
    tokyo = MemberFactory.create()
    set_prefs(tokyo, digest_hour=9, timezone="Asia/Tokyo")
    # Monday 09:00 in Tokyo is Monday 00:00 UTC.
    assert digests.due_members(datetime(2026, 11, 23, 0, 0, tzinfo=UTC)) == {"weekly:2026-W48": [tokyo.pk]}
    # Sunday 09:00 in Tokyo: not the day.
    assert digests.due_members(datetime(2026, 11, 22, 0, 0, tzinfo=UTC)) == {}


def test_off_paused_and_already_delivered_members_are_not_selected(db: None) -> None:
    off, paused, done, due = (MemberFactory.create() for _ in range(4))
    set_prefs(off, digest_frequency="off")
    set_prefs(paused, digest_paused_until=date(2026, 12, 1))
    DigestDelivery.objects.create(user=done, period="weekly:2026-W48", status=DeliveryStatus.SENT)
    assert digests.due_members(MONDAY_8_UTC) == {"weekly:2026-W48": [due.pk]}
    assert digests.due_members(MONDAY_8_UTC, force=True, frequency="weekly") == {"weekly:2026-W48": [due.pk]}


def test_selection_is_one_query(django_assert_num_queries) -> None:
    for name in ("UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"):
        set_prefs(MemberFactory.create(), timezone=name)
    with django_assert_num_queries(2):  # distinct time zones, then the members
        digests.due_members(MONDAY_8_UTC, force=True)


# --- Content -------------------------------------------------------------------------------------


def test_digest_content_and_what_never_appears(reader: User) -> None:
    board = BoardFactory.create(name="Coping tips", slug="coping")
    members_only = BoardFactory.create(name="Caregivers", slug="carers", is_public=False)
    archived = BoardFactory.create(name="Old board", slug="old", is_archived=True)
    author = MemberFactory.create(username="kind_peer")
    aged(make_topic(board=board, author=author, title="Cold spoons on the eyelids", body="Chill two spoons."), 5)
    aged(make_topic(board=members_only, author=author, title="Helping my dad at night"), 5)
    aged(make_topic(board=board, author=author, title="Held for review", status=ContentStatus.PENDING), 5)
    aged(make_topic(board=board, author=author, title="Hidden by flags", status=ContentStatus.HIDDEN), 5)
    aged(make_topic(board=archived, author=author, title="On an archived board"), 5)
    own = aged(make_topic(board=board, author=reader, title="My own question"), 50)
    make_post(topic=own, author=author, body="Have you tried a warm compress?")

    result = send_now(reader)
    assert result.sent == [reader.pk]
    message = mail.outbox[0]
    text = message.body
    assert message.subject == "Your weekly Support Circle summary"
    assert "Cold spoons on the eyelids" in text
    assert "Chill two spoons." in text
    assert "kind_peer" in text
    assert "Helping my dad at night" in text  # members see members-only boards
    assert "My own question: 1 new reply" in text
    for never in ("Held for review", "Hidden by flags", "On an archived board"):
        assert never not in text
    assert "not medical advice" in text.lower()
    assert "see a doctor" in text.lower()
    html = html_part(message)
    assert "Cold spoons on the eyelids" in html
    assert "Not medical advice" in html


def test_discreet_digests_carry_titles_and_counts_only(reader: User) -> None:
    set_prefs(reader, digest_discreet=True)
    author = MemberFactory.create(username="kind_peer")
    aged(make_topic(board=BoardFactory.create(), author=author, title="Botox round three", body="It stung a bit."), 5)
    send_now(reader)
    message = mail.outbox[0]
    for part in (message.body, html_part(message)):
        assert "Botox round three" in part
        assert "It stung a bit" not in part
        assert "kind_peer" not in part


def test_an_empty_digest_is_not_sent(reader: User) -> None:
    result = send_now(reader)
    assert result.skipped == [reader.pk]
    assert mail.outbox == []
    assert DigestDelivery.objects.get(user=reader).status == DeliveryStatus.SKIPPED


def test_subjects_never_carry_health_details(reader: User) -> None:
    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="Blepharospasm and Botox"), 5)
    send_now(reader)
    send_now(reader, "daily:2026-11-23")
    subjects = {m.subject for m in mail.outbox}
    assert subjects <= set(digests.SUBJECT.values())


def test_batch_content_is_built_with_a_constant_number_of_queries(django_assert_max_num_queries) -> None:
    board = BoardFactory.create()
    readers = [MemberFactory.create() for _ in range(30)]
    for reader in readers[:10]:
        topic = aged(make_topic(board=board, author=reader, title=f"Question from {reader.username}"), 30)
        make_post(topic=topic, author=readers[-1], body="A reply")
    now = timezone.now()
    with django_assert_max_num_queries(8):
        small = digests.build_contents([r.pk for r in readers[:3]], "weekly:2026-W48", now)
    with django_assert_max_num_queries(8):
        large = digests.build_contents([r.pk for r in readers], "weekly:2026-W48", now)
    assert len(small) == 3
    assert len(large) == 30


# --- Headers and unsubscribe --------------------------------------------------------------------


def test_list_unsubscribe_headers_reach_the_wire_unencoded(reader: User, settings: Any) -> None:
    settings.SITE_URL = "https://support-circle.example.org"
    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="Warm compress"), 5)
    send_now(reader)
    raw_headers = mail.outbox[0].message().as_bytes().split(b"\n\n", 1)[0]
    url = f"https://support-circle.example.org/digest/unsubscribe/{reader.profile.unsubscribe_token}/"
    assert len(url) < 75
    # Long header lines may be folded (RFC 5322); what must not happen is RFC 2047 encoding of the URL.
    unfolded = re.sub(rb"\r?\n[ \t]+", b" ", raw_headers)
    assert f"List-Unsubscribe: <{url}>".encode() in unfolded
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in unfolded
    assert b"=?" not in raw_headers


def test_one_click_unsubscribe_without_login_or_csrf(reader: User) -> None:
    client = Client(enforce_csrf_checks=True)
    url = f"/digest/unsubscribe/{reader.profile.unsubscribe_token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"<form" in page.content
    reader.profile.refresh_from_db()
    assert reader.profile.digest_frequency == "weekly"  # GET changes nothing (link scanners)

    first = client.post(url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    again = client.post(url, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert first.status_code == again.status_code == 200
    reader.profile.refresh_from_db()
    assert reader.profile.digest_frequency == "off"
    assert "Set-Cookie" not in first


def test_an_unknown_unsubscribe_token_is_a_404_that_reveals_nothing(db: None) -> None:
    for method in ("get", "post"):
        response = getattr(Client(), method)("/digest/unsubscribe/not-a-real-token/")
        assert response.status_code == 404
        assert b"token" not in response.content.lower()


# --- At most once --------------------------------------------------------------------------------


def test_calling_the_task_twice_sends_once(reader: User) -> None:
    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="New tip"), 5)
    first = send_digest_batch.apply(args=([reader.pk], "weekly:2026-W48")).get()
    second = send_digest_batch.apply(args=([reader.pk], "weekly:2026-W48")).get()
    assert first["sent"] == 1
    assert second["sent"] == 0
    assert len(mail.outbox) == 1
    delivery = DigestDelivery.objects.get(user=reader)
    assert delivery.status == DeliveryStatus.SENT
    reader.profile.refresh_from_db()
    assert reader.profile.last_digest_at is not None


def test_send_digests_command_twice_sends_nothing_twice(reader: User) -> None:
    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="New tip"), 5)
    call_command("send_digests", "--frequency", "weekly", "--force")
    call_command("send_digests", "--frequency", "weekly", "--force")
    assert len(mail.outbox) == 1


def test_a_crash_between_sending_and_sent_is_reconciled_without_a_resend(reader: User) -> None:
    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="New tip"), 5)
    period = "weekly:2026-W48"
    # The worker claims the row, then dies before recording the outcome.
    assert digests.claim([reader.pk], period, timezone.now()) == [reader.pk]
    assert DigestDelivery.objects.get(user=reader).status == DeliveryStatus.SENDING
    assert reconcile_digests() == 0  # too recent to call it stale
    DigestDelivery.objects.update(claimed_at=timezone.now() - timedelta(minutes=16))
    assert reconcile_digests() == 1
    assert reconcile_digests() == 0
    delivery = DigestDelivery.objects.get(user=reader)
    assert delivery.status == DeliveryStatus.FAILED
    assert send_now(reader, period).sent == []
    assert mail.outbox == []


def test_smtp_refusals_are_retried_and_do_not_stop_the_batch(reader: User, settings: Any) -> None:
    """A member whose address the server refuses is retried; the rest of the batch goes out."""
    from tests.community.smtp_sink import SmtpSink

    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="New tip"), 5)
    refused = MemberFactory.create(email="refused@example.org")
    User.objects.filter(pk=refused.pk).update(date_joined=timezone.now() - timedelta(days=30))
    with SmtpSink(refuse={"refused@example.org"}) as sink:
        settings.MAILERS = {"default": sink.mailer_settings()}
        result = digests.deliver_batch([reader.pk, refused.pk], "weekly:2026-W48")
    assert result.sent == [reader.pk]
    assert result.retry == [refused.pk]
    assert [m["to"] for m in sink.messages] == [["away_reader@example.org"]]
    assert DigestDelivery.objects.get(user=refused).status == DeliveryStatus.PENDING
    assert DigestDelivery.objects.get(user=reader).status == DeliveryStatus.SENT


def test_an_unreachable_mail_server_leaves_the_batch_pending_for_a_retry(reader: User, settings: Any) -> None:
    from tests.community.smtp_sink import free_port

    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="New tip"), 5)
    settings.MAILERS = {
        "default": {
            "BACKEND": "config.mail.SMTPBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    with pytest.raises(ConnectionRefusedError):
        digests.deliver_batch([reader.pk], "weekly:2026-W48")
    assert DigestDelivery.objects.get(user=reader).status == DeliveryStatus.PENDING
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert digests.deliver_batch([reader.pk], "weekly:2026-W48").sent == [reader.pk]
    assert len(mail.outbox) == 1


def test_the_weekly_tick_with_eager_tasks_delivers_once_and_the_link_unsubscribes(reader: User) -> None:
    from community.tasks import enqueue_digests

    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="Sleep routine tip"), 5)
    for _ in range(2):  # a duplicate beat tick
        enqueue_digests.delay(frequency="weekly", force=True)
    assert len(mail.outbox) == 1
    header = mail.outbox[0].extra_headers["List-Unsubscribe"]
    path = re.search(r"(/digest/unsubscribe/[^/]+/)", header)
    assert path
    assert Client().post(path.group(1)).status_code == 200
    reader.profile.refresh_from_db()
    assert reader.profile.digest_frequency == "off"
    enqueue_digests.delay(frequency="weekly", force=True)
    assert len(mail.outbox) == 1


def test_a_pending_row_with_no_batch_coming_is_queued_again_and_sent_once(reader: User) -> None:
    aged(make_topic(board=BoardFactory.create(), author=MemberFactory.create(), title="New tip"), 5)
    period = "weekly:2026-W48"
    # The batch's worker created the row, then died before claiming it; its message is gone.
    DigestDelivery.objects.create(user=reader, period=period)
    assert reconcile_digests() == 0  # too recent: its batch may still be on its way
    DigestDelivery.objects.update(created_at=timezone.now() - timedelta(minutes=31))
    assert reconcile_digests() == 1
    assert DigestDelivery.objects.get(user=reader).status == DeliveryStatus.SENT
    assert [message.to for message in mail.outbox] == [[reader.email]]
    assert reconcile_digests() == 0
    assert len(mail.outbox) == 1
