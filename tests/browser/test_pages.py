"""The main pages on the demo content, at a desktop width and a phone's: each renders for the person it is
for, has one main heading, fits the width without sideways scrolling, and runs under the strict CSP with
no violation reported (checked on every page by the ``browsing`` fixture; first, a script injected into a
page must be refused and reported, so that check cannot pass by seeing nothing).

With ``WRITE_SCREENSHOTS=1`` the same run writes full-page screenshots to docs/screenshots/ (linked from
the README's "Pages" section):

    WRITE_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_pages.py -n 0
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import User
from community.models import Board, ContentStatus, Post, Topic, TopicKind
from moderation import services as moderation_services
from moderation.models import QueueItem
from tests.browser.browsing import DESKTOP_WIDTH, PHONE_WIDTH, Browsing, post_topic
from tests.factories import MemberFactory, ModeratorFactory, NewMemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
WRITE_SCREENSHOTS = os.environ.get("WRITE_SCREENSHOTS", "").lower() in {"1", "true", "yes"}
CRISIS_WORDS = (
    "Another bad week. I can't do this anymore, I just want it all to end. "
    "The spasms are worse every morning and I am so tired of hiding my face."
)


@dataclass(frozen=True)
class Shot:
    name: str  # file name stem, and what the README calls it
    path: str
    heading: str
    who: str  # "visitor", "member", "newcomer", "moderator"
    screenshot: bool = True  # pictured at both widths; the others are checked at the phone's width only


def fits_the_width(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def the_policy_is_enforced_and_a_violation_would_be_caught(page: Page, browsing: Browsing) -> None:
    """The no-violation check is not vacuous: a script injected into a page is refused, and reported."""
    response = page.goto("/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        " document.body.append(s); }"
    )
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("window.injected") is None
    assert any("Content Security Policy" in report for report in browsing.problems.csp)
    browsing.problems.csp.clear()


def test_the_main_pages_at_desktop_and_phone_widths(browsing: Browsing) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    board = Board.objects.get(slug="coping-tips")
    # The posts made here go to another board, so the pictured one shows the demo conversations only.
    elsewhere = Board.objects.get(slug="newly-diagnosed")
    topic = (
        Topic.objects.filter(board=board, kind=TopicKind.TIP, status=ContentStatus.PUBLISHED)
        .order_by("-reply_count", "id")
        .first()
    )
    assert topic is not None

    member = MemberFactory.create(username="Noor")
    people: dict[str, User | None] = {
        "visitor": None,
        "member": member,
        "newcomer": NewMemberFactory.create(username="Sam"),
        "moderator": ModeratorFactory.create(username="guide_Alba"),
    }
    pages = {who: browsing.new_page(user=user) for who, user in people.items()}
    the_policy_is_enforced_and_a_violation_would_be_caught(pages["visitor"], browsing)

    # What members do before the moderator's pages are shown: a first post held, a crisis post, a report.
    squint = "Does anyone else squint at screens?"
    post_topic(pages["newcomer"], elsewhere, title=squint, body="Bright screens set mine off.", kind="Question")
    held = Post.objects.get(topic__title=squint)
    assert held.status == ContentStatus.PENDING
    post_topic(pages["member"], elsewhere, title="A hard week", body=CRISIS_WORDS, kind="Question")
    crisis = Post.objects.get(topic__title="A hard week")
    reported = topic.posts.exclude(author=member).order_by("-created_at").first()
    assert reported is not None
    moderation_services.flag_post(actor=member, post=reported, reason="off_topic", note="It belongs in Treatments.")
    crisis_item = QueueItem.objects.get(post=crisis)
    assert QueueItem.objects.filter(post=reported).exists()

    shots = [
        Shot("home", "/", "Welcome to the circle", "member"),
        Shot("board", f"/boards/{board.slug}/", board.name, "member"),
        Shot("topic", f"/topics/{topic.pk}/", topic.title, "member"),
        Shot("new-topic", f"/boards/{board.slug}/new/", f"Start a topic in {board.name}", "member"),
        Shot("posted-held", f"/posts/{held.pk}/posted/", "Your post is waiting for a moderator", "newcomer"),
        Shot("posted-crisis", f"/posts/{crisis.pk}/posted/", "Thank you for telling us. You matter.", "member"),
        Shot("signup", "/accounts/signup/", "Sign Up", "visitor"),
        Shot("moderation-queue", "/moderation/", "Moderation queue", "moderator"),
        Shot("moderation-item", f"/moderation/queue/{crisis_item.pk}/", f"Queue item {crisis_item.pk}", "moderator"),
        # Visited for the checks, not pictured.
        Shot("login", "/accounts/login/", "Sign In", "visitor", screenshot=False),
        Shot("visitor-topic", f"/topics/{topic.pk}/", topic.title, "visitor", screenshot=False),
        Shot("search", "/search/?q=compress", "Search", "member", screenshot=False),
        Shot("help-now", "/help-now/", "Help right now", "visitor", screenshot=False),
        Shot("guidelines", "/guidelines/", "", "visitor", screenshot=False),
        Shot("notifications", "/notifications/", "", "newcomer", screenshot=False),
        Shot("profile", "/me/", "Your profile and settings", "member", screenshot=False),
        Shot("my-data", "/me/data/", "", "member", screenshot=False),
    ]
    too_wide = []
    for width in (DESKTOP_WIDTH, PHONE_WIDTH):
        for shot in shots:
            if not shot.screenshot and width != PHONE_WIDTH:
                continue
            page = pages[shot.who]
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(shot.path)
            assert response is not None
            assert response.status == 200, f"{shot.path} as {shot.who}: {response.status}"
            expect(page.get_by_role("main")).to_be_visible()
            heading = page.get_by_role("heading", level=1)
            expect(heading).to_have_count(1)
            if shot.heading:
                expect(heading).to_contain_text(shot.heading)
            if not fits_the_width(page):
                too_wide.append(f"{shot.name} at {width} px")
            if shot.screenshot and WRITE_SCREENSHOTS:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SCREENSHOTS / f"{shot.name}-{width}.png", full_page=True, animations="disabled")
    assert too_wide == [], f"pages that scroll sideways: {too_wide}"
