"""Every public service, called as it is used: acting on someone else's content or account, on roles
or on boards leaves exactly one audit entry, written in the same transaction; a member's own
actions leave none (erasing their own account is the exception: the entry is the proof of when).
The table must name every public function of every services module, so a new service cannot
arrive without deciding what it audits."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import pytest
from django.db import transaction

from accounts import services as account_services
from accounts.models import Role, User
from audit.models import AuditAction, AuditEntry
from community import services as community_services
from community.demo import DEMO_BOARDS
from community.models import ContentStatus, GoneReason, Post, Topic, TopicKind
from community.services import AuthorNotice
from moderation import services as moderation_services
from moderation.models import Decision, ItemKind, ItemStatus, QueueItem, Sanction, SanctionKind
from moderation.services import DecisionInput
from privacy import services as privacy_services
from tests.factories import (
    DEFAULT_PASSWORD,
    AdminFactory,
    BoardFactory,
    MemberFactory,
    ModeratorFactory,
    make_post,
    make_topic,
)

pytestmark = pytest.mark.django_db

MODULES: list[ModuleType] = [account_services, community_services, moderation_services, privacy_services]


@dataclass
class Scene:
    author: User
    member: User
    moderator: User
    admin: User
    topic: Topic
    tip: Topic
    post: Post
    # Set by a case's setup for the call that follows.
    item: Any = None
    removed: Any = None
    sanction: Any = None

    def open_item(self) -> QueueItem:
        moderation_services.flag_post(actor=self.member, post=self.post, reason="off_topic")
        return QueueItem.objects.get(post=self.post, status=ItemStatus.OPEN)

    def under_age_item(self) -> QueueItem:
        moderation_services.flag_post(actor=self.member, post=self.post, reason="under_age")
        return QueueItem.objects.get(post=self.post, status=ItemStatus.OPEN)

    def removed_post(self) -> Post:
        post = make_post(topic=self.topic, author=self.author, body="A reply that was taken down.")
        moderation_services.flag_post(actor=self.member, post=post, reason="off_topic")
        item = QueueItem.objects.get(post=post, status=ItemStatus.OPEN)
        moderation_services.decide_item(
            actor=self.moderator,
            item_id=item.pk,
            data=DecisionInput(decision=Decision.REMOVE, version=item.version, reason="off_topic", guideline="G1"),
        )
        return post


@pytest.fixture
def scene() -> Scene:
    board = BoardFactory.create()
    author = MemberFactory.create(username="river_author")
    topic = make_topic(board=board, author=author, title="Evenings are the worst")
    tip = make_topic(board=board, author=author, title="Sunglasses indoors", kind=TopicKind.TIP)
    post = make_post(topic=topic, author=author, body="Mine eases after a warm shower.")
    return Scene(author, MemberFactory.create(), ModeratorFactory.create(), AdminFactory.create(), topic, tip, post)


Action = Callable[[Scene], Any]
Setup = Callable[[Scene], Any]


@dataclass(frozen=True)
class Case:
    """Calls the service after ``setup``; ``entries`` audit entries of ``action`` are expected from the call.

    Entries are counted for the acting person; ``system`` cases are the ones where nobody acts (the
    operator's command line, the nightly trust levels). What the system does as a consequence of a
    person's action (a trust level recomputed after an approval) is its own, separate entry.
    """

    call: Action
    entries: int = 0
    action: str | None = None
    setup: Setup | None = None
    system: bool = False


def _decide(scene: Scene, decision: str, **extra: Any) -> Any:
    item = scene.open_item()
    return moderation_services.decide_item(
        actor=scene.moderator, item_id=item.pk, data=DecisionInput(decision=decision, version=item.version, **extra)
    )


def _decide_as_moderator(decision: str, extra: dict[str, Any]) -> Action:
    def call(s: Scene) -> Any:
        data = DecisionInput(decision=decision, version=s.item.version, **extra)
        return moderation_services.decide_item(actor=s.moderator, item_id=s.item.pk, data=data)

    return call


def _lift(scene: Scene) -> Any:
    sanction = moderation_services.apply_sanction(
        actor=scene.moderator, member=scene.member, kind=SanctionKind.SILENCE, reason="Cool off."
    )
    return sanction


# name -> what calling it looks like. Functions that are pure, read-only or helpers say so with 0 entries.
CASES: dict[str, list[Case]] = {
    # accounts
    "record_signup_consents": [Case(lambda s: account_services.record_signup_consents(actor=s.member))],
    "update_profile": [Case(lambda s: account_services.update_profile(actor=s.member, data={"bio": "Hello all."}))],
    "give_consent": [Case(lambda s: account_services.give_consent(actor=s.member, kind="guidelines"))],
    "withdraw_consent": [Case(lambda s: account_services.withdraw_consent(actor=s.member, kind="health_data"))],
    "screen_bio": [Case(lambda s: account_services.screen_bio(user=s.member, bio="Hello all."))],
    "set_role": [
        Case(lambda s: account_services.set_role(actor=s.admin, user=s.member, role=Role.MODERATOR), 1, "role_changed"),
        Case(
            lambda s: account_services.set_role(actor=None, user=s.member, role=Role.MODERATOR),
            1,
            "role_changed",
            system=True,
        ),
    ],
    # community: a member's own writes
    "create_topic": [
        Case(
            lambda s: community_services.create_topic(
                actor=s.member,
                board=s.topic.board,
                title="Blinking games",
                kind=TopicKind.EXPERIENCE,
                tags=[],
                body="Counting blinks with my daughter made it less scary.",
            )
        )
    ],
    "create_reply": [
        Case(lambda s: community_services.create_reply(actor=s.member, topic=s.topic, body="Same for me, thanks."))
    ],
    "edit_post": [
        Case(lambda s: community_services.edit_post(actor=s.author, post=s.post, body="Mine eases after a bath.")),
        # A moderator changing someone else's post is a moderation action.
        Case(
            lambda s: community_services.edit_post(actor=s.moderator, post=s.post, body="Mine eases [edited]."),
            1,
            "post_edited",
        ),
    ],
    "withdraw_post": [Case(lambda s: community_services.withdraw_post(actor=s.author, post=s.post))],
    "update_topic": [
        Case(lambda s: community_services.update_topic(actor=s.author, topic=s.topic, changes={"title": "Evenings"})),
        Case(
            lambda s: community_services.update_topic(actor=s.moderator, topic=s.topic, changes={"title": "Evenings"}),
            1,
            "topic_changed",
        ),
        Case(
            lambda s: community_services.update_topic(actor=s.moderator, topic=s.topic, changes={"locked": True}),
            1,
            "topic_changed",
        ),
        Case(
            lambda s: community_services.update_topic(
                actor=s.moderator, topic=s.topic, changes={"pinned": True, "locked": True, "tags": ["sleep"]}
            ),
            1,
            "topic_changed",
        ),
    ],
    "apply_moderation": [
        Case(
            lambda s: community_services.apply_moderation(
                actor=s.moderator,
                post=s.post,
                action=AuditAction.HIDDEN,
                status=ContentStatus.HIDDEN,
                gone_reason=GoneReason.HIDDEN_BY_MODERATORS,
                notice=AuthorNotice("moderation_decision", "A moderator hid your post."),
            ),
            1,
            "hidden",
        )
    ],
    "add_reaction": [Case(lambda s: community_services.add_reaction(actor=s.member, post=s.post, kind="support"))],
    "remove_reaction": [
        Case(lambda s: community_services.remove_reaction(actor=s.member, post=s.post, kind="support"))
    ],
    "record_outcome": [Case(lambda s: community_services.record_outcome(actor=s.member, topic=s.tip, helped=True))],
    "remove_outcome": [Case(lambda s: community_services.remove_outcome(actor=s.member, topic=s.tip))],
    "set_follow": [Case(lambda s: community_services.set_follow(actor=s.member, target=s.topic, on=True))],
    "set_bookmark": [Case(lambda s: community_services.set_bookmark(actor=s.member, topic=s.topic, on=True))],
    "mark_notifications_read": [Case(lambda s: community_services.mark_notifications_read(actor=s.member))],
    "notify": [
        Case(lambda s: community_services.notify(recipient_id=s.member.pk, kind="reply", message="Someone replied."))
    ],
    # Boards are created by the seed command (actor None: the operator) or in the admin.
    "ensure_demo_boards": [
        Case(
            lambda s: community_services.ensure_demo_boards(actor=None),
            len(DEMO_BOARDS),
            "board_created",
            system=True,
        )
    ],
    "screen_author_text": [
        Case(lambda s: community_services.screen_author_text(author=s.member, text="Warm compress helps."))
    ],
    "after_screening": [
        Case(
            lambda s: community_services.after_screening(
                post=s.post, screening=community_services.screen_author_text(author=s.author, text=s.post.body)
            )
        )
    ],
    "wilson_lower_bound": [Case(lambda s: community_services.wilson_lower_bound(4, 5))],
    "lock_post": [Case(lambda s: community_services.lock_post(s.post.pk))],
    "recount_topic": [Case(lambda s: community_services.recount_topic(topic_id=s.topic.pk))],
    # moderation
    "flag_post": [
        Case(lambda s: moderation_services.flag_post(actor=s.member, post=s.post, reason="harassment"), 1, "flagged")
    ],
    "get_item_for_update": [
        Case(
            lambda s: moderation_services.get_item_for_update(s.moderator, s.item.pk),
            setup=lambda s: setattr(s, "item", s.open_item()),
        )
    ],
    "lock_item_for_decision": [
        Case(
            lambda s: moderation_services.lock_item_for_decision(
                actor=s.moderator, item_id=s.item.pk, version=s.item.version, takeover=False
            ),
            setup=lambda s: setattr(s, "item", s.open_item()),
        )
    ],
    "claim_item": [
        Case(
            lambda s: moderation_services.claim_item(actor=s.moderator, item_id=s.item.pk),
            1,
            "claimed",
            setup=lambda s: setattr(s, "item", s.open_item()),
        )
    ],
    "decide_item": [
        Case(
            _decide_as_moderator(decision, extra),
            1,
            action,
            setup=lambda s: setattr(s, "item", s.open_item()),
        )
        for decision, action, extra in [
            (Decision.HIDE, "hidden", {"reason": "off_topic"}),
            (Decision.REMOVE, "removed", {"reason": "off_topic", "guideline": "G1"}),
            (Decision.REDACT, "redacted", {"redacted_body": "Mine eases [details removed]."}),
            (Decision.ESCALATE, "escalated", {}),
            (Decision.APPROVE, "approved", {}),
            (Decision.DISMISS, "dismissed", {}),
        ]
    ],
    "file_appeal": [
        Case(
            lambda s: moderation_services.file_appeal(
                actor=s.author,
                post=s.removed,
                statement="It was on topic.",
            ),
            1,
            "appealed",
            setup=lambda s: setattr(s, "removed", s.removed_post()),
        )
    ],
    "apply_sanction": [
        Case(
            lambda s: moderation_services.apply_sanction(
                actor=s.moderator, member=s.member, kind=SanctionKind.WARN, reason="Please be kind."
            ),
            1,
            "sanctioned",
        )
    ],
    "lift_sanction": [
        Case(
            lambda s: moderation_services.lift_sanction(actor=s.moderator, sanction=s.sanction),
            1,
            "sanction_lifted",
            setup=lambda s: setattr(s, "sanction", _lift(s)),
        )
    ],
    "recompute_trust_level": [
        Case(lambda s: moderation_services.recompute_trust_level(user=s.admin), 1, "trust_changed", system=True),
    ],
    "compute_trust_level": [Case(lambda s: moderation_services.compute_trust_level(s.member, s.member.date_joined))],
    "default_duration": [Case(lambda s: moderation_services.default_duration(s.member))],
    "items_needing_reminder": [Case(lambda s: moderation_services.items_needing_reminder(s.member.date_joined))],
    "mark_reminded": [Case(lambda s: moderation_services.mark_reminded([], s.member.date_joined))],
    "moderator_emails": [Case(lambda s: moderation_services.moderator_emails())],
    "queue_link": [Case(lambda s: moderation_services.queue_link())],
    # privacy: the member's own export; erasure is recorded whoever asks for it, as the proof of when
    "export_member_data": [Case(lambda s: privacy_services.export_member_data(actor=s.member))],
    "erase_account": [
        Case(
            lambda s: privacy_services.erase_account(actor=s.author, password=DEFAULT_PASSWORD, content="keep"),
            1,
            "account_erased",
        )
    ],
    "erase_under_age_member": [
        Case(
            lambda s: privacy_services.erase_under_age_member(
                actor=s.moderator, item_id=s.item.pk, version=s.item.version
            ),
            1,
            "account_erased",
            setup=lambda s: setattr(s, "item", s.under_age_item()),
        )
    ],
}


def public_functions(module: ModuleType) -> set[str]:
    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_")
    }


def test_every_public_service_is_in_the_table() -> None:
    defined = set().union(*(public_functions(module) for module in MODULES))

    assert defined - set(CASES) == set(), "add the new service to CASES with the audit entries it writes"
    assert set(CASES) - defined == set(), "CASES names a service that no longer exists"


CALLS = [(name, index) for name, cases in CASES.items() for index in range(len(cases))]


@pytest.mark.parametrize(("name", "index"), CALLS, ids=[f"{name}-{index}" for name, index in CALLS])
def test_each_service_writes_exactly_the_audit_entries_it_owes(scene: Scene, name: str, index: int) -> None:
    case = CASES[name][index]
    if case.setup is not None:
        case.setup(scene)
    before = set(AuditEntry.objects.values_list("pk", flat=True))

    case.call(scene)

    new = AuditEntry.objects.exclude(pk__in=before)
    written = list(new.filter(actor_id__isnull=case.system).values_list("action", flat=True))
    assert len(written) == case.entries, written
    if case.action is not None:
        assert set(written) == {case.action}


def test_an_audit_entry_is_written_in_the_same_transaction_as_the_change(scene: Scene) -> None:
    # When the change rolls back, so does its entry: the log never claims what did not happen.
    def lock_then_fail() -> None:
        with transaction.atomic():
            community_services.update_topic(actor=scene.moderator, topic=scene.topic, changes={"locked": True})
            assert AuditEntry.objects.filter(action=AuditAction.TOPIC_CHANGED).count() == 1
            raise RuntimeError("the request failed after the service")

    with pytest.raises(RuntimeError):
        lock_then_fail()

    assert not AuditEntry.objects.filter(action=AuditAction.TOPIC_CHANGED).exists()
    scene.topic.refresh_from_db()
    assert scene.topic.is_locked is False


def test_moderator_entries_name_the_actor_and_the_target(scene: Scene) -> None:
    community_services.edit_post(actor=scene.moderator, post=scene.post, body="Mine eases [edited].")

    entry = AuditEntry.objects.get(action=AuditAction.POST_EDITED)
    assert (entry.actor_id, entry.actor_label) == (scene.moderator.pk, f"member-{scene.moderator.pk}")
    assert (entry.post_id, entry.topic_id, entry.board_id) == (scene.post.pk, scene.topic.pk, scene.topic.board_id)
    assert entry.target_user_id == scene.author.pk


def test_a_sanction_from_an_item_records_the_item_and_board(scene: Scene) -> None:
    item = scene.open_item()

    moderation_services.decide_item(
        actor=scene.moderator,
        item_id=item.pk,
        data=DecisionInput(
            decision=Decision.REMOVE,
            version=item.version,
            reason="off_topic",
            guideline="G1",
            sanction={"kind": SanctionKind.WARN},
        ),
    )

    sanctioned = AuditEntry.objects.get(action=AuditAction.SANCTIONED)
    assert (sanctioned.queue_item_id, sanctioned.board_id) == (item.pk, scene.topic.board_id)
    assert Sanction.objects.get(user=scene.author).queue_item_id == item.pk
    assert AuditEntry.objects.filter(action=AuditAction.REMOVED, queue_item_id=item.pk).count() == 1
    assert not QueueItem.objects.filter(kind=ItemKind.APPEAL).exists()
