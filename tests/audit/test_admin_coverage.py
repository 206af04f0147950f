"""The Django admin cannot bypass the rules: every model in it is either read-only (rows only services
write: the queue, flags, sanctions, the audit log, members' profiles and consents) or audited, and a
role changes only through ``set_role``. Each admin form is submitted as an admin would, through the
real admin pages, and each save leaves exactly one audit entry."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.test import Client

from accounts.models import Role, User
from audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from audit.models import AuditAction, AuditEntry
from community.models import Board, ModeratorScope
from moderation.models import ItemStatus, QueueItem, Sanction, ScreeningTerm
from moderation.services import apply_sanction, flag_post
from tests.factories import AdminFactory, BoardFactory, MemberFactory, ModeratorFactory, make_post, make_topic

pytestmark = pytest.mark.django_db

READ_ONLY = {
    "audit.auditentry",
    "accounts.profile",
    "accounts.consentrecord",
    "moderation.queueitem",
    "moderation.flag",
    "moderation.sanction",
}
AUDITED = {
    "accounts.user",
    "account.emailaddress",
    "community.board",
    "community.moderatorscope",
    "moderation.screeningterm",
}


class FormFields(HTMLParser):
    """The values a browser would submit from the page's main form, as the admin rendered them."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value") or "on")
            else:
                self._add(name, a.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data.strip()

    def _add(self, name: str, value: str) -> None:
        if name in self.data and not isinstance(self.data[name], list):
            self.data[name] = [self.data[name], value]
        elif name in self.data:
            self.data[name].append(value)
        else:
            self.data[name] = value


def form_of(client: Client, url: str) -> dict[str, Any]:
    page = client.get(url)
    assert page.status_code == 200, url
    parser = FormFields()
    parser.feed(page.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


@pytest.fixture
def keeper() -> User:
    return AdminFactory.create()


@pytest.fixture
def browser(keeper: User) -> Client:
    client = Client()
    client.force_login(keeper)
    return client


def submit(browser: Client, url: str, **changes: Any) -> list[AuditEntry]:
    """Load the form, change what is given, save; return the audit entries the save wrote."""
    data = {**form_of(browser, url), **changes}
    before = set(AuditEntry.objects.values_list("pk", flat=True))
    response = browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return list(AuditEntry.objects.exclude(pk__in=before))


def test_every_model_in_the_admin_is_read_only_or_audited() -> None:
    registered = {model._meta.label_lower: model_admin for model, model_admin in admin.site._registry.items()}

    assert set(registered) == READ_ONLY | AUDITED
    for label in READ_ONLY:
        assert isinstance(registered[label], ReadOnlyAdmin), label
    for label in AUDITED:
        assert isinstance(registered[label], AuditedModelAdmin), label


def _rows() -> dict[str, Any]:
    board = BoardFactory.create()
    author = MemberFactory.create()
    post = make_post(topic=make_topic(board=board, author=author), author=author)
    flag_post(actor=MemberFactory.create(), post=post, reason="off_topic")
    moderator = ModeratorFactory.create()
    sanction = apply_sanction(actor=moderator, member=author, kind="silence", reason="Cool off.")
    return {
        "moderation.queueitem": QueueItem.objects.get(status=ItemStatus.OPEN),
        "moderation.flag": post.flags.get(),
        "moderation.sanction": sanction,
        "audit.auditentry": AuditEntry.objects.first(),
        "accounts.profile": author.profile,
        "accounts.consentrecord": author.consents.first(),
    }


@pytest.mark.parametrize("label", sorted(READ_ONLY))
def test_read_only_rows_cannot_be_added_changed_or_deleted_in_the_admin(browser: Client, label: str) -> None:
    row = _rows()[label]
    app, model = label.split(".")
    before = AuditEntry.objects.count()

    assert browser.post(f"/admin/{app}/{model}/add/", {}).status_code == 403
    assert browser.post(f"/admin/{app}/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    # The change page shows the row without a form to save it.
    assert browser.post(f"/admin/{app}/{model}/{row.pk}/change/", {}).status_code == 403
    assert type(row).objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.count() == before


def test_a_sanction_edited_in_the_admin_cannot_skip_the_services(browser: Client) -> None:
    sanction = _rows()["moderation.sanction"]
    ends_at = sanction.ends_at

    browser.post(f"/admin/moderation/sanction/{sanction.pk}/change/", {"ends_at_0": "2020-01-01"})

    sanction.refresh_from_db()
    assert sanction.ends_at == ends_at
    assert Sanction.objects.count() == 1


def test_board_add_change_and_list_edits_are_audited(browser: Client, keeper: User) -> None:
    added = submit(browser, "/admin/community/board/add/", name="Caregivers", slug="caregivers", position="3")
    board = Board.objects.get(slug="caregivers")
    assert [(e.action, e.board_id, e.actor_id) for e in added] == [(AuditAction.ADMIN_ADDED, board.pk, keeper.pk)]

    changed = submit(browser, f"/admin/community/board/{board.pk}/change/", is_archived="on")
    assert [(e.action, e.after) for e in changed] == [(AuditAction.ADMIN_CHANGED, {"fields": ["is_archived"]})]

    unchanged = submit(browser, f"/admin/community/board/{board.pk}/change/")
    assert unchanged == []


def test_boards_are_archived_not_deleted(browser: Client) -> None:
    board = BoardFactory.create()

    assert browser.post(f"/admin/community/board/{board.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Board.objects.filter(pk=board.pk).exists()


def test_moderator_scopes_added_and_deleted_in_the_admin_are_audited(browser: Client) -> None:
    board = BoardFactory.create()
    moderator = ModeratorFactory.create()

    added = submit(browser, "/admin/community/moderatorscope/add/", moderator=str(moderator.pk), board=str(board.pk))
    scope = ModeratorScope.objects.get(moderator=moderator)
    assert [(e.action, e.target_user_id, e.board_id) for e in added] == [
        (AuditAction.ADMIN_ADDED, moderator.pk, board.pk)
    ]

    before = set(AuditEntry.objects.values_list("pk", flat=True))
    assert browser.post(f"/admin/community/moderatorscope/{scope.pk}/delete/", {"post": "yes"}).status_code == 302
    deleted = AuditEntry.objects.exclude(pk__in=before).get()
    assert (deleted.action, deleted.object_type, deleted.object_id) == (
        AuditAction.ADMIN_DELETED,
        "community.moderatorscope",
        str(scope.pk),
    )
    assert not ModeratorScope.objects.exists()


def test_screening_terms_are_audited(browser: Client) -> None:
    added = submit(browser, "/admin/moderation/screeningterm/add/", category="selling", phrase="dm for prices")
    term = ScreeningTerm.objects.get()
    assert [e.action for e in added] == [AuditAction.ADMIN_ADDED]

    changed = submit(browser, f"/admin/moderation/screeningterm/{term.pk}/change/", is_active="")
    assert [(e.action, e.object_id) for e in changed] == [(AuditAction.ADMIN_CHANGED, str(term.pk))]


def test_a_role_given_in_the_admin_goes_through_set_role(browser: Client, keeper: User) -> None:
    member = MemberFactory.create()

    written = submit(browser, f"/admin/accounts/user/{member.pk}/change/", role=Role.MODERATOR)

    member.refresh_from_db()
    assert member.role == Role.MODERATOR
    assert [(e.action, e.before, e.after, e.actor_id) for e in written] == [
        (AuditAction.ROLE_CHANGED, {"role": "member"}, {"role": "moderator"}, keeper.pk)
    ]


def test_other_changes_to_a_member_are_audited_without_their_values(browser: Client) -> None:
    member = MemberFactory.create()

    written = submit(browser, f"/admin/accounts/user/{member.pk}/change/", email="new-address@example.org")

    assert [(e.action, e.target_user_id, e.after) for e in written] == [
        (AuditAction.ADMIN_CHANGED, member.pk, {"fields": ["email"]})
    ]
    assert "new-address" not in str(written[0].after)


def test_admin_rights_and_trust_cannot_be_given_in_a_form(browser: Client) -> None:
    member = MemberFactory.create()

    submit(
        browser, f"/admin/accounts/user/{member.pk}/change/", is_superuser="on", is_staff="on", trust_level="trusted"
    )

    member.refresh_from_db()
    assert (member.is_superuser, member.is_staff, member.trust_level) == (False, False, "member")


def test_a_password_set_in_the_admin_is_audited(browser: Client) -> None:
    member = MemberFactory.create()

    written = submit(
        browser,
        f"/admin/accounts/user/{member.pk}/password/",
        password1="quiet-green-river-81",
        password2="quiet-green-river-81",
    )

    assert [(e.action, e.target_user_id, e.after) for e in written] == [
        (AuditAction.ADMIN_CHANGED, member.pk, {"fields": ["password"]})
    ]


def test_a_members_sign_in_address_changed_in_the_admin_is_audited(browser: Client) -> None:
    member = MemberFactory.create()
    address = EmailAddress.objects.get(user=member)

    written = submit(browser, f"/admin/account/emailaddress/{address.pk}/change/", verified="")

    assert [(e.action, e.target_user_id) for e in written] == [(AuditAction.ADMIN_CHANGED, member.pk)]


def test_members_are_not_deleted_in_the_admin(browser: Client) -> None:
    member = MemberFactory.create()

    assert browser.post(f"/admin/accounts/user/{member.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=member.pk).exists()
