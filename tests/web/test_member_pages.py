"""Member pages through Django's test client: what each role sees, what each form writes, and the
rules every page keeps (titles without health details, no inline script, CSRF, a constant query count)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConsentRecord, Profile, User
from community.models import Bookmark, ContentStatus, Post, Reaction, TipOutcome, Topic, TopicFollow, TopicKind
from moderation.models import Flag, QueueItem
from tests.factories import DEFAULT_PASSWORD, BoardFactory, MemberFactory, NewMemberFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

PRIVATE_TITLE = "My botox appointment went badly"
CRISIS_TEXT = "I can't do this anymore. I just want it all to end, I have been thinking about ending my life."
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle=|<style", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.IGNORECASE)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def html(response: Any) -> str:
    return response.content.decode()


def title_of(response: Any) -> str:
    match = re.search(r"<title>(.*?)</title>", html(response), re.DOTALL)
    assert match, "page has no <title>"
    return match.group(1)


@pytest.fixture
def boards() -> dict[str, object]:
    public = BoardFactory.create(slug="coping", name="Coping")
    private = BoardFactory.create(slug="members-room", name="Members room", is_public=False)
    return {"public": public, "private": private}


@pytest.fixture
def author() -> User:
    return MemberFactory.create(username="amber_lantern")


@pytest.fixture
def public_topic(boards: dict, author: User) -> Topic:
    return make_topic(board=boards["public"], author=author, title=PRIVATE_TITLE, body="It hurt for a week.")


@pytest.fixture
def private_topic(boards: dict, author: User) -> Topic:
    return make_topic(board=boards["private"], author=author, title="Only for members", body="Members only text.")


# --- Who sees what ----------------------------------------------------------------------------


def test_visitor_reads_public_boards_and_topics_but_never_members_only_ones(
    boards: dict, public_topic: Topic, private_topic: Topic
) -> None:
    visitor = client_for(None)
    home = visitor.get(reverse("web:home"))
    assert home.status_code == 200
    assert "Coping" in html(home)
    assert "Members room" not in html(home)

    assert visitor.get(reverse("web:board", args=["coping"])).status_code == 200
    assert visitor.get(reverse("web:board", args=["members-room"])).status_code == 404
    topic_page = visitor.get(reverse("web:topic", args=[public_topic.pk]))
    assert topic_page.status_code == 200
    assert "It hurt for a week." in html(topic_page)
    hidden = visitor.get(reverse("web:topic", args=[private_topic.pk]))
    assert hidden.status_code == 404
    assert "Members only text." not in html(hidden)
    found = visitor.get(reverse("web:search"), {"q": "members"})
    assert "Members only text." not in html(found)
    assert "Only for members" not in html(found)


def test_member_sees_the_members_only_board(boards: dict, private_topic: Topic, member: User) -> None:
    client = client_for(member)
    assert "Members room" in html(client.get(reverse("web:home")))
    page = client.get(reverse("web:topic", args=[private_topic.pk]))
    assert page.status_code == 200
    assert "Members only text." in html(page)


def test_page_titles_never_carry_what_a_member_wrote(public_topic: Topic, member: User) -> None:
    client = client_for(member)
    for url in (
        reverse("web:topic", args=[public_topic.pk]),
        reverse("web:edit-post", args=[public_topic.posts.get().pk]),
        reverse("web:search") + "?q=botox",
    ):
        response = client.get(url)
        assert PRIVATE_TITLE not in title_of(response), url
        assert "botox" not in title_of(response).lower(), url


def test_pages_have_no_inline_script_style_or_handlers_and_send_a_strict_policy(
    boards: dict, public_topic: Topic, member: User
) -> None:
    client = client_for(member)
    urls = [
        reverse("web:home"),
        reverse("web:board", args=["coping"]),
        reverse("web:topic", args=[public_topic.pk]),
        reverse("web:new-topic", args=["coping"]),
        reverse("web:search") + "?q=week",
        reverse("web:notifications"),
        reverse("web:profile"),
        reverse("web:my-data"),
        reverse("web:help-now"),
        reverse("web:guidelines"),
        reverse("account_login"),
        reverse("account_signup"),
        "/no-such-page/",
    ]
    for url in urls:
        anonymous = url in (reverse("account_login"), reverse("account_signup"))
        response = (client_for(None) if anonymous else client).get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        body = html(response)
        assert not INLINE_SCRIPT.search(body), url
        assert not INLINE_STYLE.search(body), url
        assert not INLINE_HANDLER.search(body), url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert "nonce-" not in policy, f"{url} used a nonce: an inline script slipped in"
        assert "frame-ancestors 'none'" in policy


def test_a_form_posted_without_its_csrf_token_is_refused_with_a_page(public_topic: Topic, member: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(reverse("web:reply", args=[public_topic.pk]), {"body": "Thank you for this."})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert public_topic.posts.count() == 1


def test_errors_are_pages_outside_the_api_and_json_inside_it(member: User) -> None:
    page = client_for(member).get("/nowhere/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    assert "We could not find that page" in html(page)
    api = client_for(member).get("/api/v1/nowhere/")
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"


# --- Posting ----------------------------------------------------------------------------------


def test_a_newcomers_topic_is_held_and_the_page_says_why(boards: dict) -> None:
    newcomer = NewMemberFactory.create()
    client = client_for(newcomer)
    response = client.post(
        reverse("web:new-topic", args=["coping"]),
        {"title": "Hello from a new member", "kind": "experience", "body": "My left eye started twitching in May."},
    )
    topic = Topic.objects.get(title="Hello from a new member")
    post = topic.posts.get()
    assert post.status == ContentStatus.PENDING
    assert response.status_code == 302
    assert response["Location"] == reverse("web:posted", args=[post.pk])
    outcome = client.get(response["Location"])
    assert "Your post is waiting for a moderator" in html(outcome)
    assert "first posts are read by a moderator" in html(outcome)
    # Reloading the outcome page posts nothing again.
    client.get(response["Location"])
    assert Topic.objects.filter(title="Hello from a new member").count() == 1
    assert QueueItem.objects.filter(post=post).exists()


def test_a_crisis_post_shows_the_resources_first(public_topic: Topic, member: User) -> None:
    client = client_for(member)
    response = client.post(reverse("web:reply", args=[public_topic.pk]), {"body": CRISIS_TEXT}, follow=True)
    body = html(response)
    assert "You are not alone" in body or "You matter" in body
    assert "Samaritans" in body
    assert "988" in body
    assert body.index("Support, right now") < body.index("See your post")
    assert "crisis" not in title_of(response).lower()


def test_invalid_topic_input_is_shown_next_to_the_field_and_nothing_is_written(boards: dict, member: User) -> None:
    response = client_for(member).post(
        reverse("web:new-topic", args=["coping"]),
        {"title": "Hi", "kind": "nonsense", "body": "", "tags": ["not-a-tag"]},
    )
    assert response.status_code == 400
    body = html(response)
    assert 'id="title-errors"' in body
    assert 'aria-invalid="true"' in body
    assert 'id="kind-errors"' in body
    assert 'id="body-errors"' in body
    assert not Topic.objects.filter(author=member).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"title": "\x00" * 10, "kind": "tip", "body": "x"},
        {"title": "T" * 5000, "kind": "tip", "body": "B" * 30_000},
        {"kind": "tip"},
        {"title": ["a", "b"], "kind": ["tip", "question"], "body": "Some body text."},
    ],
)
def test_crafted_topic_forms_are_refused_with_400(boards: dict, member: User, data: dict) -> None:
    response = client_for(member).post(reverse("web:new-topic", args=["coping"]), data)
    assert response.status_code == 400
    assert not Topic.objects.filter(author=member).exists()


def test_reply_edit_and_withdraw_own_post(public_topic: Topic, member: User) -> None:
    client = client_for(member)
    client.post(reverse("web:reply", args=[public_topic.pk]), {"body": "Same for me, a warm compress helps."})
    post = Post.objects.get(topic=public_topic, author=member)
    assert post.status == ContentStatus.PUBLISHED
    edited = client.post(reverse("web:edit-post", args=[post.pk]), {"body": "Same for me: a warm compress helps."})
    assert edited.status_code == 302
    post.refresh_from_db()
    assert post.body == "Same for me: a warm compress helps."
    client.post(reverse("web:withdraw-post", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == ContentStatus.REMOVED
    page = html(client.get(reverse("web:topic", args=[public_topic.pk])))
    assert "Withdrawn by its author" in page
    assert "warm compress helps" not in page


def test_a_member_cannot_edit_someone_elses_post(public_topic: Topic, member: User) -> None:
    first = public_topic.posts.get()
    response = client_for(member).post(reverse("web:edit-post", args=[first.pk]), {"body": "Vandalised"})
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.body == "It hurt for a week."


# --- Reactions, outcomes, follows, flags ---------------------------------------------------------


def test_reactions_toggle_with_and_without_htmx(public_topic: Topic, member: User) -> None:
    post = public_topic.posts.get()
    client = client_for(member)
    url = reverse("web:react", args=[post.pk, "support"])
    plain = client.post(url, {"on": "1", "next": f"/topics/{public_topic.pk}/"})
    assert plain.status_code == 302
    assert plain["Location"] == f"/topics/{public_topic.pk}/"
    assert Reaction.objects.filter(post=post, user=member, kind="support").exists()
    fragment = client.post(url, {"on": "0"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in html(fragment)
    assert 'aria-pressed="false"' in html(fragment)
    assert not Reaction.objects.filter(post=post, user=member).exists()


def test_a_reaction_without_javascript_comes_back_to_the_page_it_was_on(public_topic: Topic, member: User) -> None:
    for n in range(25):
        make_post(topic=public_topic, author=MemberFactory.create(), body=f"Reply number {n} about the compress")
    client = client_for(member)
    topic_url = f"/topics/{public_topic.pk}/"
    second = html(client.get(topic_url, {"page": "2", "x": '"><script>alert(1)</script>'}))
    assert "<script>alert" not in second
    nexts = set(re.findall(r'name="next" value="([^"#]*)#post-\d+"', second))
    assert nexts == {f"{topic_url}?page=2"}
    # A refused reply shows the page again at the reply form's URL; the reactions still come back to the topic.
    refused = client.post(reverse("web:reply", args=[public_topic.pk]), {"body": ""})
    assert refused.status_code == 400
    assert set(re.findall(r'name="next" value="([^"#]*)#post-\d+"', html(refused))) == {topic_url}
    # The bar htmx swaps in keeps the page the bar was on.
    post = public_topic.posts.order_by("created_at", "id")[21]
    fragment = client.post(
        reverse("web:react", args=[post.pk, "helpful"]),
        {"on": "1", "next": f"{topic_url}?page=2#post-{post.pk}"},
        headers={"HX-Request": "true"},
    )
    assert f'name="next" value="{topic_url}?page=2#post-{post.pk}"' in html(fragment)
    # ...and never another site's.
    fragment = client.post(
        reverse("web:react", args=[post.pk, "helpful"]),
        {"on": "0", "next": "https://evil.example/"},
        headers={"HX-Request": "true"},
    )
    assert f'name="next" value="{topic_url}#post-{post.pk}"' in html(fragment)


def test_the_posts_escape_what_people_wrote_around_their_text(public_topic: Topic, member: User) -> None:
    Post.objects.filter(topic=public_topic).update(author_name='<b>"x')
    page = html(client_for(member).get(f"/topics/{public_topic.pk}/"))
    assert '<span class="post-author">&lt;b&gt;&quot;x</span>' in page
    assert "<b>" not in page


def test_the_topic_page_shows_which_reactions_are_the_members_own(public_topic: Topic, member: User) -> None:
    first = public_topic.posts.get()
    reply = make_post(topic=public_topic, author=MemberFactory.create(), body="Same here")
    Reaction.objects.create(post=first, user=member, kind="support")
    Reaction.objects.create(post=reply, user=member, kind="helpful")
    Reaction.objects.create(post=reply, user=MemberFactory.create(), kind="me_too")
    page = html(client_for(member).get(reverse("web:topic", args=[public_topic.pk])))
    pressed = re.findall(r'formaction="/posts/(\d+)/react/(\w+)/"[^>]*aria-pressed="true"', page)
    assert sorted(pressed) == sorted([(str(first.pk), "support"), (str(reply.pk), "helpful")])
    assert len(re.findall(r'formaction="/posts/\d+/react/\w+/"[^>]*aria-pressed="false"', page)) == 4
    assert page.count('<form class="reaction-bar"') == 2


def test_next_never_leaves_the_site(public_topic: Topic, member: User) -> None:
    post = public_topic.posts.get()
    response = client_for(member).post(
        reverse("web:react", args=[post.pk, "helpful"]), {"on": "1", "next": "https://evil.example/"}
    )
    assert response["Location"].startswith(f"/topics/{public_topic.pk}/")


def test_tip_outcome_follow_and_bookmark(boards: dict, author: User, member: User) -> None:
    tip = make_topic(board=boards["public"], author=author, title="Cold spoon on the eyelid", kind=TopicKind.TIP)
    client = client_for(member)
    client.post(reverse("web:outcome", args=[tip.pk]), {"helped": "yes"})
    assert TipOutcome.objects.get(topic=tip, user=member).helped is True
    fragment = client.post(reverse("web:outcome", args=[tip.pk]), {"helped": "no"}, headers={"HX-Request": "true"})
    assert "Helped 0 of 1 members" in html(fragment)
    client.post(reverse("web:follow-topic", args=[tip.pk]), {"on": "1"})
    client.post(reverse("web:bookmark-topic", args=[tip.pk]), {"on": "1"})
    assert TopicFollow.objects.filter(topic=tip, user=member).exists()
    assert Bookmark.objects.filter(topic=tip, user=member).exists()
    page = html(client.get(reverse("web:topic", args=[tip.pk])))
    assert page.count('aria-pressed="true"') >= 3  # followed, bookmarked, "it did not help me"
    assert client.post(reverse("web:outcome", args=[tip.pk]), {"helped": "maybe"}).status_code == 400


def test_a_flag_reaches_the_queue(public_topic: Topic, member: User) -> None:
    post = public_topic.posts.get()
    client = client_for(member)
    refused = client.post(reverse("web:flag-post", args=[post.pk]), {"reason": "other", "note": ""})
    assert refused.status_code == 400
    assert 'id="note-errors"' in html(refused)
    assert not Flag.objects.exists()
    done = client.post(reverse("web:flag-post", args=[post.pk]), {"reason": "harassment", "note": "Unkind"})
    assert done.status_code == 302
    assert Flag.objects.filter(post=post, reason="harassment").exists()
    assert QueueItem.objects.filter(post=post).exists()


# --- Account pages ------------------------------------------------------------------------------


def test_profile_and_digest_settings(member: User) -> None:
    client = client_for(member)
    saved = client.post(
        reverse("web:profile"),
        {
            "bio": "Caregiver for my mum.",
            "condition": "",
            "digest_frequency": "daily",
            "digest_hour": "7",
            "timezone": "Europe/Paris",
            "digest_discreet": "on",
        },
    )
    assert saved.status_code == 302
    profile = Profile.objects.get(user=member)
    assert (profile.digest_frequency, profile.digest_hour, profile.timezone) == ("daily", 7, "Europe/Paris")
    assert profile.digest_discreet is True
    assert profile.bio_public is False
    refused = client.post(
        reverse("web:profile"), {"digest_frequency": "daily", "digest_hour": "7", "timezone": "Mars/Olympus"}
    )
    assert refused.status_code == 400
    assert 'id="timezone-errors"' in html(refused)
    profile.refresh_from_db()
    assert profile.timezone == "Europe/Paris"


def test_export_downloads_the_members_data(public_topic: Topic, author: User) -> None:
    response = client_for(author).get(reverse("web:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "It hurt for a week." in json.dumps(json.loads(response.content))


def test_erasure_needs_the_password_and_the_confirmation(public_topic: Topic, author: User) -> None:
    client = client_for(author)
    wrong = client.post(reverse("web:erase"), {"password": "wrong", "content": "remove", "confirm": "erase"})
    assert wrong.status_code == 400
    unconfirmed = client.post(reverse("web:erase"), {"password": DEFAULT_PASSWORD, "content": "remove"})
    assert unconfirmed.status_code == 400
    assert User.objects.filter(pk=author.pk, username="amber_lantern").exists()
    done = client.post(reverse("web:erase"), {"password": DEFAULT_PASSWORD, "content": "remove", "confirm": "erase"})
    assert done.status_code == 200
    assert "Your account is erased" in html(done)
    assert not User.objects.filter(username="amber_lantern").exists()
    assert "_auth_user_id" not in client.session


def test_signup_page_asks_for_the_three_consents_and_records_them(client: Client) -> None:
    page = html(client.get(reverse("account_signup")))
    for name in ("accept_guidelines", "health_data_consent", "age_confirmed"):
        assert f'type="checkbox" name="{name}"' in page
        assert f'<label for="id_{name}"' in page
    data = {"email": "new@example.org", "username": "quiet_meadow", "password1": "a long passphrase 42"}
    refused = client.post(reverse("account_signup"), data)
    assert refused.status_code == 200
    assert "You must confirm that you are 16 or older to join." in html(refused)
    assert not User.objects.filter(username="quiet_meadow").exists()
    client.post(
        reverse("account_signup"),
        {**data, "accept_guidelines": "on", "health_data_consent": "on", "age_confirmed": "on"},
    )
    user = User.objects.get(username="quiet_meadow")
    assert ConsentRecord.objects.filter(user=user).count() == 3


# --- Speed ------------------------------------------------------------------------------------------


def _topic_page_queries(client: Client, topic: Topic) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("web:topic", args=[topic.pk]))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_topic_page_runs_a_constant_number_of_queries(boards: dict, author: User, member: User, viewer: str) -> None:
    client = client_for(member if viewer == "member" else None)
    small = make_topic(board=boards["public"], author=author, title="Small thread here")
    large = make_topic(board=boards["public"], author=author, title="Large thread here")
    others = MemberFactory.create_batch(4)
    for index in range(19):
        make_post(topic=large, author=others[index % 4], body=f"Reply number {index}")
    _topic_page_queries(client, small)  # warm the session and caches
    assert _topic_page_queries(client, large) == _topic_page_queries(client, small)
    # topic, posts with their count; a member adds their user row and one statement for their
    # follow, bookmark, tip answer, reactions on the page and unread count
    expected = {"visitor": 2, "member": 4}[viewer]
    assert _topic_page_queries(client, large) == expected


def test_a_suspended_member_is_told_why_on_the_login_page(client: Client) -> None:
    suspended = MemberFactory.create(suspended_until=timezone.now() + timedelta(days=3))
    response = client.post(reverse("account_login"), {"login": suspended.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "suspended" in html(response)
    assert "_auth_user_id" not in client.session


def test_withdrawing_and_giving_a_consent_on_the_page(public_topic: Topic, member: User) -> None:
    client = client_for(member)
    client.post(reverse("web:consent", args=["health_data"]), {"action": "withdraw"})
    refused = client.post(reverse("web:reply", args=[public_topic.pk]), {"body": "Thinking of you today."})
    assert refused.status_code == 403
    assert "Review your consents" in html(refused)
    assert not Post.objects.filter(author=member).exists()
    assert "You withdrew this consent" in html(client.get(reverse("web:my-data")))
    client.post(reverse("web:consent", args=["health_data"]), {"action": "give"})
    client.post(reverse("web:reply", args=[public_topic.pk]), {"body": "Thinking of you today."})
    assert Post.objects.filter(author=member).count() == 1
    assert client.post(reverse("web:consent", args=["nonsense"]), {"action": "give"}).status_code == 404
