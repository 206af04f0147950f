"""Consent withdrawal is as easy as giving (GDPR Art. 7(3)), and it stops what it should."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts import consent
from accounts.models import ConsentRecord, User
from community import digests
from community.models import Post
from tests.clients import as_user
from tests.factories import BoardFactory, MemberFactory, make_topic

pytestmark = pytest.mark.django_db

MONDAY_8_UTC = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
def client(member: User) -> APIClient:
    return as_user(member)


def reply(client: APIClient, topic_id: int, body: str = "Thinking of you today.") -> Any:
    return client.post(f"/api/v1/topics/{topic_id}/posts/", {"body": body}, format="json")


def test_withdrawing_health_data_consent_stops_posting_and_says_what_it_means(client: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())

    response = client.delete("/api/v1/me/consents/health_data/")

    assert response.status_code == 200
    body = response.json()
    assert body["in_force"] is False
    assert body["records"][0]["withdrawn_at"] is not None
    assert "digests stop" in body["effects"]
    assert (body["export_url"], body["erase_url"]) == ("/api/v1/me/export/", "/api/v1/me/")
    refused = reply(client, topic.pk)
    assert refused.status_code == 403
    assert refused.json()["code"] == "consent_withdrawn"
    assert refused.json()["consents"] == ["health_data"]
    first = topic.posts.get(is_first=True)
    assert client.put(f"/api/v1/posts/{first.pk}/reactions/support/").status_code == 403
    assert client.post(f"/api/v1/posts/{first.pk}/flags/", {"reason": "off_topic"}, format="json").status_code == 403
    me = client.get("/api/v1/me/").json()
    assert me["consent_status"] == {"withdrawn": ["health_data"], "missing": []}
    assert not Post.objects.filter(author=member).exists()


def test_giving_it_again_restores_posting_and_keeps_the_history(client: APIClient, member: User) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    client.delete("/api/v1/me/consents/health_data/")

    again = client.put("/api/v1/me/consents/health_data/")

    assert again.status_code == 200
    assert again.json()["in_force"] is True
    records = ConsentRecord.objects.filter(user=member, kind="health_data")
    assert records.count() == 2
    assert records.filter(withdrawn_at__isnull=True).count() == 1
    assert reply(client, topic.pk).status_code == 201
    assert client.get("/api/v1/me/").json()["consent_status"] == {"withdrawn": [], "missing": []}


def test_withdrawing_or_giving_twice_changes_nothing_more(client: APIClient, member: User) -> None:
    client.delete("/api/v1/me/consents/guidelines/")
    stamp = ConsentRecord.objects.get(user=member, kind="guidelines").withdrawn_at

    assert client.delete("/api/v1/me/consents/guidelines/").status_code == 200
    assert ConsentRecord.objects.get(user=member, kind="guidelines").withdrawn_at == stamp
    client.put("/api/v1/me/consents/guidelines/")
    client.put("/api/v1/me/consents/guidelines/")
    assert ConsentRecord.objects.filter(user=member, kind="guidelines").count() == 2


def test_unknown_consents_are_404_and_visitors_401(client: APIClient) -> None:
    assert client.delete("/api/v1/me/consents/marketing/").status_code == 404
    assert APIClient().delete("/api/v1/me/consents/health_data/").status_code == 401


def test_without_health_data_consent_no_digest_is_selected_or_sent(db: None) -> None:
    stays, leaves = MemberFactory.create(), MemberFactory.create()
    assert set(digests.due_members(MONDAY_8_UTC)["weekly:2026-W48"]) == {stays.pk, leaves.pk}

    as_user(leaves).delete("/api/v1/me/consents/health_data/")

    assert digests.due_members(MONDAY_8_UTC) == {"weekly:2026-W48": [stays.pk]}
    # Withdrawn after the batch was queued: the batch skips them.
    make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    result = digests.deliver_batch([stays.pk, leaves.pk], "weekly:2026-W48", now=MONDAY_8_UTC)
    assert leaves.pk not in result.sent


def test_a_new_version_of_a_text_asks_again_before_the_next_post(
    client: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = make_topic(board=BoardFactory.create(), author=MemberFactory.create())
    monkeypatch.setitem(consent.CURRENT_VERSIONS, consent.ConsentKind.GUIDELINES, "2027-03")

    refused = reply(client, topic.pk)

    assert refused.status_code == 409
    assert (refused.json()["code"], refused.json()["consents"]) == ("consent_required", ["guidelines"])
    assert client.get("/api/v1/me/").json()["consent_status"]["missing"] == ["guidelines"]
    agreed = client.put("/api/v1/me/consents/guidelines/").json()
    assert agreed["current_version"] == "2027-03"
    assert agreed["in_force"] is True
    assert reply(client, topic.pk).status_code == 201


def test_consent_standing_is_computed_from_the_records() -> None:
    current = consent.CURRENT_VERSIONS
    everything = [(kind, version, False) for kind, version in current.items()]
    assert consent.consent_standing(everything).complete
    assert consent.consent_standing([]).required == tuple(current)
    withdrawn = [r if r[0] != "health_data" else (r[0], r[1], True) for r in everything]
    assert consent.consent_standing(withdrawn).withdrawn == ("health_data",)
    old = [r if r[0] != "age_16_plus" else (r[0], "2020-01", False) for r in everything]
    assert consent.consent_standing(old).required == ("age_16_plus",)
