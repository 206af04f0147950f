"""A member with a full history in the community, built the way it happens: signup through allauth,
sessions in a browser and an app, posts and edits, reactions, outcomes, follows, bookmarks, flags,
a moderator's decision, a sanction and an appeal, notifications, digests and idempotency records."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from accounts.models import TrustLevel, User
from community import services as community
from community.models import DigestDelivery, Post, Topic, TopicKind
from moderation import services as moderation
from moderation.models import Decision, ItemStatus, QueueItem, SanctionKind
from moderation.services import DecisionInput
from tests.accounts.helpers import PASSWORD, code_from_last_mail, post_json, signup_body
from tests.factories import BoardFactory, MemberFactory, ModeratorFactory, make_post, make_topic

APP = "/_allauth/app/v1"
BROWSER = "/_allauth/browser/v1"

# Words nobody else writes: wherever one of them turns up after the erasure, it came from this member.
PSEUDONYM = "Zephyr_Quill"
EMAIL = "zephyr.quill.private@example.org"
TOPIC_TITLE = "Marmalade cat naps ease my eyelid"
OPENING = "My grandmother's velvet marmalade remedy calms the twitching."
REPLY = "Nothing beats the lighthouse keeper stretching routine for my jaw."
EDITED_REPLY = "Nothing beats the lighthouse stretching routine for my jaw, honestly."
REVISED_AWAY = "lighthouse keeper stretching"  # only in the reply's earlier version
TIP_TITLE = "Cucumber slices over tangerine tea"
TIP_BODY = "Cucumber slices chilled with tangerine tea soothe blepharospasm mornings."
BIO = "Accordion teacher from Quillby, living with hemifacial spasm since the thunderstorm summer."
APPEAL = "My periwinkle umbrella comment was meant kindly."
FLAG_NOTE = "This looks like an advert for saffron drops."


@dataclass
class Life:
    member: User
    others: list[User]
    moderator: User
    app_token: str
    browser: Client
    topic: Topic
    tip: Topic
    reply: Post
    others_topic: Topic
    others_tip: Topic
    removed: Post
    touched_topics: list[int] = field(default_factory=list)

    @property
    def own_words(self) -> list[str]:
        """Phrases of the member's posts and titles (allowed to stay only in posts they chose to keep)."""
        return [TOPIC_TITLE, "velvet marmalade remedy", EDITED_REPLY, "cucumber slices chilled", TIP_TITLE]

    @property
    def private_words(self) -> list[str]:
        """What must be gone whatever the member chose: who they are, their bio, earlier versions, appeals."""
        return [PSEUDONYM, EMAIL, "Accordion teacher from Quillby", REVISED_AWAY, "periwinkle umbrella"]


def sign_up_and_log_in() -> tuple[User, str, Client]:
    client = Client()
    response = post_json(client, f"{APP}/auth/signup", signup_body(email=EMAIL, username=PSEUDONYM))
    assert response.status_code == 401, response.content
    token = response.json()["meta"]["session_token"]
    verified = post_json(
        client, f"{APP}/auth/email/verify", {"key": code_from_last_mail(EMAIL)}, **{"X-Session-Token": token}
    )
    assert verified.status_code == 200, verified.content
    login = post_json(Client(), f"{APP}/auth/login", {"email": EMAIL, "password": PASSWORD})
    assert login.status_code == 200, login.content
    browser = Client()
    browser.get(f"{BROWSER}/config")
    csrf = browser.cookies["csrftoken"].value
    response = post_json(
        browser, f"{BROWSER}/auth/login", {"email": EMAIL, "password": PASSWORD}, **{"X-CSRFToken": csrf}
    )
    assert response.status_code == 200, response.content
    member = User.objects.get(username=PSEUDONYM)
    User.objects.filter(pk=member.pk).update(trust_level=TrustLevel.MEMBER)
    member.refresh_from_db()
    return member, login.json()["meta"]["session_token"], browser


def api(token: str, method: str, path: str, body: dict | None = None, **headers: str) -> Any:
    return Client().generic(
        method,
        path,
        json.dumps(body) if body is not None else "",
        content_type="application/json",
        headers={"X-Session-Token": token, **headers},
    )


def live_a_life() -> Life:
    member, token, browser = sign_up_and_log_in()
    board = BoardFactory.create()
    others = [MemberFactory.create() for _ in range(3)]
    moderator = ModeratorFactory.create()
    friend = others[0]

    assert api(token, "PATCH", "/api/v1/me/", {"bio": BIO, "bio_public": True}).status_code == 200
    # Their own topics and posts (through the API, with an idempotency key that stores the answer).
    created = api(
        token,
        "POST",
        f"/api/v1/boards/{board.slug}/topics/",
        {"title": TOPIC_TITLE, "kind": "experience", "tags": ["sleep-routine"], "body": OPENING},
        **{"Idempotency-Key": "zq-topic-1"},
    )
    assert created.status_code == 201, created.content
    topic = Topic.objects.get(pk=created.json()["id"])
    Post.objects.filter(author=member).update(created_at=timezone.now() - timedelta(minutes=5))
    tip = make_topic(board=board, author=member, title=TIP_TITLE, kind=TopicKind.TIP, body=TIP_BODY, tags=["compress"])
    others_topic = make_topic(board=board, author=friend, title="Evenings are the worst")
    others_tip = make_topic(board=board, author=others[1], title="Warm compress", kind=TopicKind.TIP)
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    reply, _ = community.create_reply(actor=member, topic=others_topic, body=REPLY)  # tells the topic's author
    community.edit_post(actor=member, post=reply, body=EDITED_REPLY)  # a revision
    removed = make_post(topic=others_topic, author=member, body="Try the saffron drops from my periwinkle shop.")

    Post.objects.update(created_at=timezone.now() - timedelta(minutes=10))  # past the 5-second posting pause
    # Others answer them and react; they react, record outcomes, follow and bookmark.
    make_post(topic=topic, author=friend, body="Thank you, the grandmother remedy sounds lovely.")
    community.create_reply(actor=others[1], topic=topic, body="I will try that this week.")
    community.add_reaction(actor=friend, post=reply, kind="helpful")
    community.record_outcome(actor=friend, topic=tip, helped=True)
    for kind in ("helpful", "support"):
        assert (
            api(token, "PUT", f"/api/v1/posts/{others_topic.posts.get(is_first=True).pk}/reactions/{kind}/").status_code
            == 200
        )
    assert api(token, "PUT", f"/api/v1/topics/{others_tip.pk}/outcome/", {"helped": False}).status_code == 200
    assert api(token, "PUT", f"/api/v1/boards/{board.slug}/follow/").status_code == 200
    assert api(token, "PUT", f"/api/v1/topics/{others_topic.pk}/follow/").status_code == 200
    assert api(token, "PUT", f"/api/v1/topics/{others_tip.pk}/bookmark/").status_code == 200
    community.create_reply(actor=others[2], topic=others_topic, body="Welcome, both of you.")  # a followed reply

    # They flag someone; someone flags them; a moderator removes a post, sanctions them; they appeal.
    flagged = make_post(topic=others_topic, author=others[2], body="Buy saffron drops at my shop.")
    moderation.flag_post(actor=member, post=flagged, reason="spam_or_selling", note=FLAG_NOTE)
    moderation.flag_post(actor=friend, post=removed, reason="spam_or_selling", note="Selling again.")
    item = QueueItem.objects.get(post=removed, status=ItemStatus.OPEN)
    moderation.decide_item(
        actor=moderator,
        item_id=item.pk,
        data=DecisionInput(
            decision=Decision.REMOVE,
            version=item.version,
            reason="spam_or_selling",
            guideline="G4",
            note=f"{PSEUDONYM} keeps linking the periwinkle shop.",
            sanction={"kind": SanctionKind.WARN, "reason": f"Warned {PSEUDONYM} about selling."},
        ),
    )
    moderation.file_appeal(actor=member, post=removed, statement=APPEAL)
    community.update_topic(actor=moderator, topic=tip, changes={"title": f"{TIP_TITLE} (edited)"})

    # Digests they were sent, and what the admin's own history says about them.
    DigestDelivery.objects.create(user=member, period="weekly:2026-W40", status="sent")
    LogEntry.objects.create(
        user=moderator,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(member.pk),
        object_repr=str(member),
        action_flag=CHANGE,
        change_message="Changed role.",
    )
    member.refresh_from_db()
    touched = [topic.pk, tip.pk, others_topic.pk, others_tip.pk]
    return Life(
        member, others, moderator, token, browser, topic, tip, reply, others_topic, others_tip, removed, touched
    )
