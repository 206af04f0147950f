"""Whatever a browser (or someone pretending to be one) sends to a page, the answer is a page with
a 2xx, 3xx or 4xx status, never a 500, and a refused form writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import override as timezone_override
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from community.models import Post, Reaction, Topic
from community.rendering import rendered_fields
from tests.factories import BoardFactory, MemberFactory, make_topic
from web.pages import paginate, paginate_counted, time_label

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Text as people and scripts send it: any unicode (surrogates excluded: a browser cannot encode them),
# control characters included, sometimes very long.
text = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.text(st.characters(exclude_categories=["Cs"]), min_size=150, max_size=600),
    st.sampled_from(["", " ", "\x00", "tip", "experience", "1", "-1", "9" * 30, "<script>", "' OR 1=1 --"]),
)
form_values = st.one_of(text, st.lists(text, max_size=4))


@pytest.fixture
def scene() -> tuple[User, Topic]:
    board = BoardFactory.create(slug="coping")
    author = MemberFactory.create()
    return MemberFactory.create(), make_topic(board=board, author=author, title="Warm compress before bed")


def _client(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _form(data: dict) -> dict:
    return {name: value for name, value in data.items() if value is not None}


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {},
        optional={"title": form_values, "kind": form_values, "body": form_values, "tags": form_values},
    )
)
def test_new_topic_form(scene: tuple[User, Topic], data: dict) -> None:
    member, _ = scene
    before = Topic.objects.count()
    response = _client(member).post(reverse("web:new-topic", args=["coping"]), _form(data))
    assert response.status_code < 500
    if response.status_code == 400:
        assert Topic.objects.count() == before


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["kind", "tag", "sort", "page", "q", "board", "cursor"]), text))
def test_listing_and_search_query_strings(scene: tuple[User, Topic], params: dict) -> None:
    member, _ = scene
    client = _client(member)
    for url in (reverse("web:board", args=["coping"]), reverse("web:search"), reverse("web:notifications")):
        assert client.get(url, params).status_code < 500, url


@FUZZ
@given(body=form_values, on=form_values, helped=form_values, reason=form_values, note=form_values)
def test_topic_forms(
    scene: tuple[User, Topic], body: object, on: object, helped: object, reason: object, note: object
) -> None:
    member, topic = scene
    client = _client(member)
    post = topic.posts.get(is_first=True)
    posts_before, reactions_before = Post.objects.count(), Reaction.objects.count()
    answers = [
        client.post(reverse("web:reply", args=[topic.pk]), {"body": body}),
        client.post(reverse("web:react", args=[post.pk, "helpful"]), {"on": on, "next": note}),
        client.post(reverse("web:outcome", args=[topic.pk]), {"helped": helped}),
        client.post(reverse("web:flag-post", args=[post.pk]), {"reason": reason, "note": note}),
        client.post(reverse("web:profile"), {"timezone": body, "digest_hour": on, "digest_paused_until": helped}),
    ]
    assert all(answer.status_code < 500 for answer in answers), [a.status_code for a in answers]
    if answers[0].status_code == 400:
        assert Post.objects.count() == posts_before
    if answers[1].status_code >= 400:
        assert Reaction.objects.count() == reactions_before


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(
        # Hypothesis takes naive bounds; the values it draws carry UTC.
        min_value=datetime.fromisoformat("1900-01-01"),
        max_value=datetime.fromisoformat("2200-12-31"),
        timezones=st.just(UTC),
    ),
    zone=st.sampled_from(["UTC", "Europe/London", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham"]),
)
def test_the_post_time_label_is_what_the_date_filter_shows(moment: datetime, zone: str) -> None:
    with timezone_override(zone):
        assert time_label(moment) == date_format(timezone.localtime(moment), "j M Y, H:i")


@pytest.mark.parametrize("replies", [0, 19, 20, 45])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    number=st.one_of(
        st.integers(min_value=-3, max_value=5).map(str),
        st.sampled_from(["", " 2", "2.0", "1_0", "abc", "0", "100000", "100001", "9" * 30, "-" + "9" * 30]),
        st.text(max_size=8),
    )
)
def test_a_page_counted_in_its_own_query_is_the_page_paginator_shows(
    scene: tuple[User, Topic], replies: int, number: str
) -> None:
    """The topic page counts its posts in the rows' own statement; whatever ``?page=`` says, it shows the
    page (number, rows, page count) that Django's ``Paginator.get_page`` shows."""
    member, topic = scene
    if topic.posts.count() == 1:
        Post.objects.bulk_create(
            Post(topic=topic, author=member, author_name=member.username, **rendered_fields(f"Reply {n}"))
            for n in range(replies)
        )
    rows = Post.objects.filter(topic=topic).order_by("created_at", "id").values("id")
    request = RequestFactory().get("/", {"page": number})
    counted, plain = paginate_counted(request, rows, 20), paginate(request, rows, 20)
    assert (counted.number, counted.paginator.num_pages, counted.paginator.count) == (
        plain.number,
        plain.paginator.num_pages,
        plain.paginator.count,
    )
    assert [row["id"] for row in counted] == [row["id"] for row in plain]
    assert (counted.has_next(), counted.has_previous()) == (plain.has_next(), plain.has_previous())
