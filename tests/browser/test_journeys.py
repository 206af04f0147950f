"""What people do on the site, in a real browser, finding things by role and label as assistive technology does."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import TrustLevel, User
from community.models import Board, ContentStatus, Post, Topic
from moderation.models import QueueItem
from tests.browser.browsing import Browsing, post_topic, verification_code
from tests.community.smtp_sink import SmtpSink
from tests.factories import (
    DEFAULT_PASSWORD,
    BoardFactory,
    MemberFactory,
    ModeratorFactory,
    NewMemberFactory,
    make_topic,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRISIS_WORDS = "I can't do this anymore, I just want it all to end. Every day the spasms are worse."


@pytest.fixture
def boards() -> tuple[Board, Board]:
    public = BoardFactory.create(slug="coping-tips", name="Coping tips", is_public=True)
    private = BoardFactory.create(slug="caregivers", name="Caregivers and family", is_public=False)
    return public, private


def test_a_visitor_reads_a_public_topic_and_cannot_see_a_members_only_board(
    browsing: Browsing, boards: tuple[Board, Board]
) -> None:
    public, private = boards
    author = MemberFactory.create(username="Ines")
    make_topic(board=public, author=author, title="Warm compress before bed", body="Ten minutes *calms* my eyelid.")
    make_topic(board=private, author=author, title="Talking to my partner", body="Only members read this.")

    page = browsing.new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Welcome to the circle")).to_be_visible()
    expect(page.get_by_role("link", name="Coping tips")).to_be_visible()
    expect(page.get_by_role("link", name="Caregivers and family")).to_have_count(0)

    page.get_by_role("link", name="Coping tips").click()
    page.get_by_role("link", name="Warm compress before bed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warm compress before bed")
    expect(page.get_by_role("article")).to_contain_text("Ten minutes calms my eyelid.")
    expect(page.get_by_role("emphasis")).to_have_text("calms")
    # A visitor is asked to join, and has no reply box, reaction or report button.
    expect(page.get_by_role("link", name="join the circle")).to_be_visible()
    expect(page.get_by_label("Your reply")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Helpful"))).to_have_count(0)

    response = page.goto(f"/boards/{private.slug}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    expect(page.get_by_text("Talking to my partner")).to_have_count(0)


def sign_up(page: Page, sink: SmtpSink, *, email: str, pseudonym: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Join the circle").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Pseudonym").fill(pseudonym)
    page.get_by_label("Password").fill("a-quiet-morning-by-the-lake")
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_label("I agree that Support Circle stores what I share about my health").check()
    page.get_by_label("I am 16 or older").check()
    page.get_by_role("button", name="Sign Up").click()

    # allauth asks for the code it emailed; the code comes from the real message.
    code_field = page.get_by_label("Code")
    expect(code_field).to_be_visible()
    code_field.fill(verification_code(sink, email))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("link", name=pseudonym)).to_be_visible()


def test_a_newcomer_signs_up_verifies_with_the_emailed_code_posts_and_sees_it_held(
    browsing: Browsing, mailbox: SmtpSink, boards: tuple[Board, Board]
) -> None:
    public, _ = boards
    page = browsing.new_page()
    sign_up(page, mailbox, email="noor@example.org", pseudonym="Noor")
    newcomer = User.objects.get(email="noor@example.org")
    assert newcomer.trust_level == TrustLevel.NEW

    post_topic(page, public, title="First week with blepharospasm", body="Bright light makes it worse. Any ideas?")

    expect(page.get_by_role("heading", level=1)).to_have_text("Your post is waiting for a moderator")
    expect(page.get_by_text("A new member's first posts are read by a moderator")).to_be_visible()
    topic = Topic.objects.get(title="First week with blepharospasm")
    assert topic.status == ContentStatus.PENDING
    assert QueueItem.objects.filter(post__topic=topic).exists()

    page.get_by_role("link", name="See your post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("First week with blepharospasm")
    expect(page.get_by_text("Waiting for a moderator: only you and moderators see it")).to_be_visible()

    # Nobody else sees it yet.
    other = browsing.new_page(user=MemberFactory.create())
    other.goto(f"/boards/{public.slug}/")
    expect(other.get_by_role("link", name="First week with blepharospasm")).to_have_count(0)


def test_a_crisis_post_shows_the_support_resources_first(browsing: Browsing, boards: tuple[Board, Board]) -> None:
    public, _ = boards
    page = browsing.new_page(user=NewMemberFactory.create())
    post_topic(page, public, title="A hard week", body=CRISIS_WORDS)

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for telling us. You matter.")
    resources = page.get_by_role("region", name="Support, right now")
    expect(resources).to_be_visible()
    expect(resources.get_by_role("link", name="Find A Helpline (worldwide)")).to_have_attribute(
        "href", "https://findahelpline.com"
    )
    expect(resources.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    # Never held back: published at once, and the moderators' queue has it as urgent.
    post = Post.objects.get(topic__title="A hard week")
    assert post.status == ContentStatus.PUBLISHED
    assert QueueItem.objects.get(post=post).priority == "urgent"


def log_in(page: Page, email: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def open_queue_item(page: Page, topic_title: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Moderation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    item = page.get_by_role("listitem").filter(has_text=topic_title)
    expect(item).to_have_count(1)
    item.get_by_role("link", name=re.compile(r"^Queue item \d+$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Queue item")


def test_a_moderator_approves_a_held_post_from_the_queue_and_the_author_sees_it_published(
    browsing: Browsing, boards: tuple[Board, Board]
) -> None:
    public, _ = boards
    ModeratorFactory.create(email="alba@example.org")
    author = browsing.new_page(user=NewMemberFactory.create(username="Noor"))
    post_topic(author, public, title="First week with blepharospasm", body="Bright light makes it worse. Any ideas?")
    expect(author.get_by_role("heading", level=1)).to_have_text("Your post is waiting for a moderator")

    moderator = browsing.new_page()
    log_in(moderator, "alba@example.org")
    open_queue_item(moderator, "First week with blepharospasm")
    under_review = moderator.get_by_role("region", name="The post")
    expect(under_review).to_contain_text("Bright light makes it worse. Any ideas?")
    expect(moderator.get_by_role("region", name="Why it is here")).to_contain_text("New member")
    decide = moderator.get_by_role("region", name="Decide")
    decide.get_by_label("Approve", exact=True).check()
    decide.get_by_role("button", name="Save decision").click()
    done = moderator.get_by_role("status").filter(has_text="approved")
    expect(done).to_have_text(re.compile(r"Queue item \d+: approved\."))
    expect(moderator.get_by_role("listitem").filter(has_text="First week with blepharospasm")).to_have_count(0)

    topic = Topic.objects.get(title="First week with blepharospasm")
    assert topic.status == ContentStatus.PUBLISHED
    author.goto(f"/boards/{public.slug}/")
    card = author.get_by_role("listitem").filter(has_text="First week with blepharospasm")
    expect(card).to_be_visible()
    expect(card).not_to_contain_text("Waiting for a moderator")
    card.get_by_role("link", name="First week with blepharospasm").click()
    expect(author.get_by_text("Waiting for a moderator")).to_have_count(0)
    # Published means everyone: a visitor reads it too.
    visitor = browsing.new_page()
    visitor.goto(f"/topics/{topic.pk}/")
    expect(visitor.get_by_role("article")).to_contain_text("Bright light makes it worse. Any ideas?")


def test_a_report_reaches_the_moderators_queue(browsing: Browsing, boards: tuple[Board, Board]) -> None:
    public, _ = boards
    make_topic(
        board=public,
        author=MemberFactory.create(username="Ines"),
        title="Stop the injections",
        body="Honestly just stop your injections, vinegar compresses cure it.",
    )
    reader = browsing.new_page(user=MemberFactory.create(username="Noor"))
    reader.goto(f"/boards/{public.slug}/")
    reader.get_by_role("link", name="Stop the injections").click()
    reader.get_by_role("link", name="Report post by Ines").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Report a post to the moderators")
    reader.get_by_role("group", name="What is wrong?").get_by_label("Medical misinformation").check()
    reader.get_by_label("Anything the moderators should know?").fill("Telling people to stop their treatment.")
    reader.get_by_role("button", name="Send report").click()
    expect(reader.get_by_role("status")).to_have_text("Thank you. A moderator will look at this post soon.")

    moderator = browsing.new_page(user=ModeratorFactory.create())
    moderator.goto("/")
    open_queue_item(moderator, "Stop the injections")
    flags = moderator.get_by_role("table", name="Flags on this post")
    row = flags.get_by_role("row").filter(has=moderator.get_by_role("rowheader", name="Medical misinformation"))
    expect(row).to_contain_text("Telling people to stop their treatment.")
    expect(row).to_contain_text("Noor")
