"""htmx (served from django-htmx's static files under the strict CSP) swaps fragments in place, and every
such control is a plain form that does the same with JavaScript switched off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from community.models import Reaction, Topic
from tests.browser.browsing import Browsing
from tests.factories import BoardFactory, MemberFactory, make_topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def topic() -> Topic:
    board = BoardFactory.create(name="Coping tips")
    return make_topic(board=board, author=MemberFactory.create(username="Ines"), title="Sunglasses indoors")


def reaction(page: Page, label: str) -> tuple[str, int]:
    """The reaction button's pressed state and count, as a screen reader would announce them."""
    button = page.get_by_role("button", name=re.compile(label))
    name = button.inner_text()
    count = re.search(r"\((\d+)\)", name)
    assert count is not None, name
    return button.get_attribute("aria-pressed") or "", int(count.group(1))


def test_with_javascript_a_reaction_updates_its_count_in_place(browsing: Browsing, topic: Topic) -> None:
    reader = MemberFactory.create(username="Noor")
    page = browsing.new_page(user=reader)
    page.goto(f"/topics/{topic.pk}/")
    assert reaction(page, "Helpful") == ("false", 0)
    # A full page load would lose this; an htmx swap keeps it.
    page.evaluate("window.stillThisPage = true")

    with page.expect_response(lambda r: "/react/helpful/" in r.url) as answer:
        page.get_by_role("button", name=re.compile("Helpful")).click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("hx-request") == "true"

    expect(page.get_by_role("button", name=re.compile("Helpful"))).to_have_attribute("aria-pressed", "true")
    assert reaction(page, "Helpful") == ("true", 1)
    assert page.evaluate("window.stillThisPage") is True
    assert Reaction.objects.filter(user=reader, kind="helpful").count() == 1

    # Pressed again, it is taken back, still in place.
    page.get_by_role("button", name=re.compile("Helpful")).click()
    expect(page.get_by_role("button", name=re.compile("Helpful"))).to_have_attribute("aria-pressed", "false")
    assert reaction(page, "Helpful") == ("false", 0)
    assert page.evaluate("window.stillThisPage") is True
    assert not Reaction.objects.filter(user=reader).exists()


def test_without_javascript_the_same_button_posts_the_form_and_comes_back(browsing: Browsing, topic: Topic) -> None:
    reader = MemberFactory.create(username="Noor")
    page = browsing.new_page(user=reader, javascript=False)
    page.goto(f"/topics/{topic.pk}/")
    assert reaction(page, "Sending support") == ("false", 0)

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Sending support")).click()

    assert page.url.endswith(f"/topics/{topic.pk}/#post-{topic.posts.get().pk}")
    assert reaction(page, "Sending support") == ("true", 1)
    assert Reaction.objects.filter(user=reader, kind="support").count() == 1

    # The follow toggle, another htmx control, works as a form too.
    follow = page.get_by_role("button", name="Follow replies")
    expect(follow).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        follow.click()
    expect(page.get_by_role("button", name="Follow replies")).to_have_attribute("aria-pressed", "true")
