"""Moderator pages: the queue, an item in context, claims, decisions, sanctions, appeals, the audit log, stats.

They read through ``moderation.selectors`` and write through ``moderation.services`` (and
``privacy.services`` for an under-age account), the same functions as the API: form input is checked
by the API's own input serializers, the services check scope, versions and claims and write the audit
log, and a refusal becomes the page the API's status would be. Who may open them is the API's rule too
(``community.permissions.is_moderator``; the board scope narrows the queue and refuses the rest).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework.serializers import Serializer

from accounts.models import User
from accounts.selectors import get_member_by_pseudonym
from audit.models import AuditAction
from community import selectors as community_selectors
from community.models import Post
from community.permissions import can_moderate_board, is_moderator
from community.serializers import post_data
from config.errors import Conflict, Forbidden, Invalid, NotFound
from moderation import selectors, services
from moderation.guidelines import Guideline, RemovalReason
from moderation.models import (
    PRIORITY_CHOICES,
    Decision,
    FlagReason,
    ItemKind,
    ItemStatus,
    Priority,
    QueueItem,
    Sanction,
    SanctionKind,
)
from moderation.permissions import check_can_sanction
from moderation.serializers import (
    AuditFilter,
    ClaimInput,
    DecideInput,
    LiftInput,
    QueueFilter,
    SanctionCreateInput,
    audit_data,
    item_data,
)
from moderation.views import IsModerator
from privacy import services as privacy_services
from privacy.serializers import EraseMemberInput
from web.pages import FormErrors, View, check_input, member, page, paginate, with_domain_fields

QUEUE_FILTERS = ("status", "priority", "kind", "reason", "board")
AUDIT_FILTERS = ("action", "post", "topic", "queue_item", "user", "actor")
DECIDE_FIELDS = ("decision", "version", "reason", "guideline", "note", "redacted_body", "takeover")
SANCTION_FIELDS = ("kind", "reason", "until")
PRIORITY_LABELS = dict(PRIORITY_CHOICES)
FLAG_LABELS = dict(FlagReason.choices)
DECISION_LABELS = dict(Decision.choices)
NEARBY_POSTS = 2
ITEM_HISTORY = 20

# What a moderator chooses from: an appeal is decided by restoring the post or keeping it removed.
CONTENT_DECISIONS = [(value, label) for value, label in Decision.choices if value != Decision.ERASE_ACCOUNT]
APPEAL_DECISIONS = [
    (Decision.APPROVE.value, "Uphold the appeal: restore the post"),
    (Decision.DISMISS.value, "Reject the appeal: the post stays removed"),
]
DONE = {
    Decision.APPROVE: "approved",
    Decision.HIDE: "hidden",
    Decision.REMOVE: "removed; its author received the reasons",
    Decision.REDACT: "redacted",
    Decision.DISMISS: "closed with its flags dismissed",
    Decision.ESCALATE: "escalated to the admins",
}
APPEAL_DONE = {Decision.APPROVE: "appeal upheld, the post is restored", Decision.DISMISS: "appeal rejected"}
# A conflict said for a person at a page (the API's sentences speak to clients: "send takeover=true").
CONFLICTS = {
    "stale_version": (
        "Someone else acted on this item while you had it open, so nothing you sent was saved. "
        "This is the item as it is now: check it, then decide again if it still needs you."
    ),
    "item_resolved": "Another moderator has already decided this item, so nothing you sent was saved.",
    "claimed_by_other": (
        "Another moderator is working on this item right now, so nothing you sent was saved. "
        "Leave it to them, or tick “Take over” and send again."
    ),
}
SANCTION_NOUNS = {SanctionKind.WARN: "warning", SanctionKind.SILENCE: "silence", SanctionKind.SUSPEND: "suspension"}
# Nested and service field names, as the form names its fields.
FORM_NAMES = {
    "sanction.kind": "sanction_kind",
    "sanction.reason": "sanction_reason",
    "sanction.until": "sanction_until",
    "until": "sanction_until",
}


def moderator_page(view: View) -> View:
    """A moderator page: visitors are sent to log in (the API's 401), members are refused (its 403)."""

    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_moderator(request.user):
            raise Forbidden(str(IsModerator.message), code="moderator_only")
        return view(request, *args, **kwargs)

    return login_required(page(checked))


def _filters(query: QueryDict, names: tuple[str, ...]) -> dict[str, str]:
    """The named fields the form filled in (an empty field is left to the input serializer's default)."""
    return {name: str(query.get(name)) for name in names if query.get(name)}


@dataclass(frozen=True)
class Listing:
    """A list page's filters: as typed (shown back in the form), as the API's filter serializer accepts them,
    and its messages by field (then the list is unfiltered and the page a 400)."""

    given: dict[str, str]
    filters: dict[str, Any]
    errors: FormErrors

    def render(self, request: HttpRequest, template: str, page_obj: Page, **context: Any) -> HttpResponse:
        query = QueryDict(mutable=True)
        query.update(self.filters)
        context |= {"page_obj": page_obj, "values": self.given, "errors": self.errors, "extra_query": query.urlencode()}
        return render(request, template, context, status=400 if self.errors else 200)


def _filtered(request: HttpRequest, filter_class: type[Serializer], names: tuple[str, ...]) -> Listing:
    given = _filters(request.GET, names)
    filters, errors = check_input(filter_class, given)
    return Listing(given, filters, errors)


def _conflict(exc: Conflict) -> str:
    return CONFLICTS.get(exc.code, exc.detail)


def _duration_words(duration: timedelta) -> str:
    hours = int(duration.total_seconds() // 3600)
    return f"{hours} hours" if hours <= 72 else f"{duration.days} days"


def _steps_help(target: User) -> str:
    steps = ", ".join(_duration_words(step) for step in services.SANCTION_STEPS)
    return (
        f"Without an end date, a silence or suspension for {target.username} now lasts "
        f"{_duration_words(services.default_duration(target))}: each one steps up ({steps})."
    )


# --- The queue ---------------------------------------------------------------------------------


def _claim_state(item: QueueItem, moderator: User, now: datetime) -> dict[str, Any]:
    active = bool(item.claimed_by_id and item.claimed_until and item.claimed_until > now)
    return {
        "active": active,
        "mine": active and item.claimed_by_id == moderator.pk,
        "by_other": active and item.claimed_by_id != moderator.pk,
        "by": item.claimed_by.username if item.claimed_by else None,
        "until": item.claimed_until,
    }


def _reason_label(code: str) -> str:
    """Screening and flag reason codes in words ("flag_at_risk": "Flag: someone may be at risk")."""
    flagged = code.removeprefix("flag_")
    if flagged != code and flagged in FlagReason.values:
        return f"Flag: {FlagReason(flagged).label}"
    return code.replace("_", " ").capitalize()


def _queue_row(item: QueueItem, moderator: User, now: datetime) -> dict[str, Any]:
    data = item_data(item)
    data["urgent"] = item.priority == Priority.URGENT
    data["priority_label"] = PRIORITY_LABELS.get(item.priority, item.priority)
    data["kind_label"] = ItemKind(item.kind).label
    data["reason_list"] = [{**reason, "label": _reason_label(reason.get("reason", ""))} for reason in item.reasons]
    for flag in data["flags"]:
        flag["label"] = FLAG_LABELS.get(flag["reason"], flag["reason"])
    data["live_flags"] = sum(1 for flag in data["flags"] if not flag["dismissed"])
    data["decision_label"] = DECISION_LABELS.get(item.decision, "")
    data["claim"] = _claim_state(item, moderator, now)
    return data


@require_GET
@moderator_page
def queue(request: HttpRequest) -> HttpResponse:
    moderator = member(request)
    listing = _filtered(request, QueueFilter, QUEUE_FILTERS)
    items = paginate(
        request, selectors.queue_items(moderator, filters=listing.filters).order_by(*selectors.QUEUE_ORDER)
    )
    now = timezone.now()
    boards = community_selectors.board_list(moderator)
    board_names = {board.slug: board.name for board in boards}
    return listing.render(
        request,
        "web/moderation/queue.html",
        items,
        items=[_queue_row(item, moderator, now) for item in items],
        statuses=ItemStatus.choices,
        priorities=PRIORITY_CHOICES,
        kinds=ItemKind.choices,
        boards=[(board.slug, board.name) for board in boards if can_moderate_board(moderator, board.pk)],
        board_names=board_names,
        appeals_only=listing.filters.get("kind") == ItemKind.APPEAL,
    )


# --- One item ----------------------------------------------------------------------------------


def _item_for(moderator: User, item_id: int) -> QueueItem:
    """The item with its post, flags and claimant, if it is on the moderator's boards; not found otherwise."""
    item = selectors.with_details(selectors.visible_queue(moderator)).filter(pk=item_id).first()
    if item is None:
        raise NotFound
    return item


def _nearby(moderator: User, post: Post) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The posts just before and after this one in its thread, as the moderator sees the thread."""
    thread = community_selectors.thread_posts(moderator, post.topic)
    earlier = Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk)
    later = Q(created_at__gt=post.created_at) | Q(created_at=post.created_at, pk__gt=post.pk)
    before = list(thread.filter(earlier).order_by("-created_at", "-id")[:NEARBY_POSTS])[::-1]
    after = list(thread.filter(later).order_by("created_at", "id")[:NEARBY_POSTS])
    return [post_data(p, moderator) for p in before], [post_data(p, moderator) for p in after]


def _item_page(
    request: HttpRequest,
    moderator: User,
    item_id: int,
    *,
    values: dict[str, Any] | None = None,
    errors: FormErrors | None = None,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    item = _item_for(moderator, item_id)
    post = item.post
    author = post.author
    now = timezone.now()
    is_open = item.status == ItemStatus.OPEN
    before, after = _nearby(moderator, post)
    history = selectors.audit_entries(moderator, filters={"post": str(post.pk)}).order_by(*selectors.AUDIT_ORDER)
    form = {"redacted_body": post.body, **(values or {})}
    # The page shows the item as it is now; the version sent back is the one shown.
    form["version"] = item.version
    return render(
        request,
        "web/moderation/item.html",
        {
            "item": _queue_row(item, moderator, now),
            "board": post.topic.board,
            "is_open": is_open,
            "is_appeal": item.kind == ItemKind.APPEAL,
            "own_removal": item.kind == ItemKind.APPEAL and item.excluded_moderator_id == moderator.pk,
            "before": before,
            "after": after,
            "author": author,
            "record": selectors.member_record(moderator, author) if author else None,
            "history": [_audit_row(entry) for entry in history[:ITEM_HISTORY]],
            "under_age_report": is_open
            and author is not None
            and any(flag.reason == FlagReason.UNDER_AGE for flag in item.flags.all()),
            "decisions": APPEAL_DECISIONS if item.kind == ItemKind.APPEAL else CONTENT_DECISIONS,
            "removal_reasons": RemovalReason.choices,
            "guidelines": Guideline.choices,
            "sanction_choices": [("", "No sanction"), *SanctionKind.choices],
            "sanction_legend": f"Also sanction {author.username}? (optional)" if author else "",
            "sanction_help": _steps_help(author) if author else "",
            "values": form,
            "errors": errors or FormErrors(),
            "conflict": conflict,
        },
        status=status,
    )


@require_GET
@moderator_page
def queue_item(request: HttpRequest, item_id: int) -> HttpResponse:
    return _item_page(request, member(request), item_id)


@require_POST
@moderator_page
def claim(request: HttpRequest, item_id: int) -> HttpResponse:
    moderator = member(request)
    data, errors = check_input(ClaimInput, _filters(request.POST, ("takeover",)))
    if errors:
        return _item_page(request, moderator, item_id, errors=errors, status=400)
    try:
        services.claim_item(actor=moderator, item_id=item_id, takeover=data["takeover"])
    except Conflict as exc:
        return _item_page(request, moderator, item_id, conflict=_conflict(exc), status=409)
    messages.success(request, "You have claimed this item for 15 minutes.")
    return HttpResponseRedirect(reverse("web:mod-item", args=[item_id]))


def _decide_payload(form: QueryDict) -> dict[str, Any]:
    """The decide form as the API's ``DecideInput`` takes it; empty fields are left to its defaults."""
    payload: dict[str, Any] = _filters(form, DECIDE_FIELDS)
    sanction = {name: form[f"sanction_{name}"] for name in SANCTION_FIELDS if form.get(f"sanction_{name}")}
    if sanction.get("kind"):
        payload["sanction"] = sanction
    return payload


def _on_form(errors: FormErrors) -> FormErrors:
    return FormErrors({FORM_NAMES.get(name, name): messages for name, messages in errors.items()})


def _done(item: QueueItem, decision: str) -> str:
    outcome = (APPEAL_DONE if item.kind == ItemKind.APPEAL else DONE)[Decision(decision)]
    return f"Queue item {item.pk}: {outcome}."


@require_POST
@moderator_page
def decide(request: HttpRequest, item_id: int) -> HttpResponse:
    moderator = member(request)
    values = {name: request.POST.get(name, "") for name in DECIDE_FIELDS}
    values |= {f"sanction_{name}": request.POST.get(f"sanction_{name}", "") for name in SANCTION_FIELDS}
    data, errors = check_input(DecideInput, _decide_payload(request.POST))
    if not errors:
        try:
            decided = services.decide_item(actor=moderator, item_id=item_id, data=services.DecisionInput(**data))
        except Invalid as exc:
            errors = with_domain_fields(errors, exc)
        except Conflict as exc:
            return _item_page(request, moderator, item_id, values=values, conflict=_conflict(exc), status=409)
        else:
            messages.success(request, _done(decided, data["decision"]))
            return HttpResponseRedirect(reverse("web:mod-queue"))
    return _item_page(request, moderator, item_id, values=values, errors=_on_form(errors), status=400)


@require_http_methods(["GET", "POST"])
@moderator_page
def erase_member(request: HttpRequest, item_id: int) -> HttpResponse:
    """Erase the account of a member reported as under 16, from that report's item (confirmed on its own page)."""
    moderator = member(request)
    errors, conflict, status = FormErrors(), "", 200
    note = request.POST.get("note", "")
    if request.method == "POST":
        payload = _filters(request.POST, ("version", "takeover")) | {"note": note}
        data, errors = check_input(EraseMemberInput, payload)
        if not errors:
            try:
                privacy_services.erase_under_age_member(actor=moderator, item_id=item_id, **data)
            except Conflict as exc:
                conflict, status = _conflict(exc), 409
            else:
                messages.success(request, f"Queue item {item_id}: the account was erased and its posts removed.")
                return HttpResponseRedirect(reverse("web:mod-queue"))
        else:
            status = 400
    the_item = _item_for(moderator, item_id)
    return render(
        request,
        "web/moderation/erase_member.html",
        {
            "item": _queue_row(the_item, moderator, timezone.now()),
            "version": the_item.version,
            "note": note,
            "errors": errors,
            "conflict": conflict,
        },
        status=status,
    )


# --- Sanctions ---------------------------------------------------------------------------------


def _sanctions_page(
    request: HttpRequest,
    moderator: User,
    target: User,
    *,
    values: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    lift: tuple[int, FormErrors] | None = None,
) -> HttpResponse:
    try:
        check_can_sanction(moderator, target)
    except Forbidden as exc:
        refusal = exc.detail
    else:
        refusal = ""
    errors = errors or FormErrors()
    now = timezone.now()
    rows = [
        {
            "sanction": sanction,
            # Lifting is offered while it lasts; lift_sanction answers False for one already over.
            "in_force": sanction.lifted_at is None and sanction.ends_at is not None and sanction.ends_at > now,
            "noun": SANCTION_NOUNS[SanctionKind(sanction.kind)],
        }
        for sanction in selectors.member_sanctions(target)
    ]
    return render(
        request,
        "web/moderation/sanctions.html",
        {
            "target": target,
            "sanctions": rows,
            "now": now,
            "kinds": SanctionKind.choices,
            "kind_help": _steps_help(target) + " A warning has no end.",
            "values": values or {},
            "errors": errors,
            "refusal": refusal,
            "lift_id": lift[0] if lift else None,
            "lift_errors": lift[1] if lift else FormErrors(),
        },
        status=400 if errors or lift else 200,
    )


@require_http_methods(["GET", "POST"])
@moderator_page
def sanctions(request: HttpRequest, username: str) -> HttpResponse:
    moderator = member(request)
    target = get_member_by_pseudonym(username)
    if request.method == "GET":
        return _sanctions_page(request, moderator, target)
    values = {name: request.POST.get(name, "") for name in SANCTION_FIELDS}
    data, errors = check_input(SanctionCreateInput, _filters(request.POST, SANCTION_FIELDS))
    if not errors:
        try:
            sanction = services.apply_sanction(actor=moderator, member=target, **data)
        except Invalid as exc:
            errors = with_domain_fields(errors, exc)
        else:
            until = f" until {sanction.ends_at:%Y-%m-%d %H:%M} UTC" if sanction.ends_at else ""
            messages.success(request, f"{SanctionKind(sanction.kind).label}{until}: {target.username} was told why.")
            return HttpResponseRedirect(reverse("web:mod-sanctions", args=[target.username]))
    return _sanctions_page(request, moderator, target, values=values, errors=errors)


@require_POST
@moderator_page
def lift(request: HttpRequest, sanction_id: int) -> HttpResponse:
    moderator = member(request)
    sanction = Sanction.objects.select_related("user").filter(pk=sanction_id).first()
    if sanction is None:
        raise NotFound
    data, errors = check_input(LiftInput, _filters(request.POST, ("note",)))
    if errors:
        return _sanctions_page(request, moderator, sanction.user, lift=(sanction.pk, errors))
    if services.lift_sanction(actor=moderator, sanction=sanction, note=data["note"]):
        messages.success(request, f"The {SANCTION_NOUNS[SanctionKind(sanction.kind)]} is lifted.")
    else:
        messages.info(request, "That sanction had already ended.")
    return HttpResponseRedirect(reverse("web:mod-sanctions", args=[sanction.user.username]))


# --- Audit log and stats -----------------------------------------------------------------------


def _audit_row(entry: Any) -> dict[str, Any]:
    row = audit_data(entry)
    row["action_label"] = AuditAction(entry.action).label if entry.action in AuditAction.values else entry.action
    return row


@require_GET
@moderator_page
def audit(request: HttpRequest) -> HttpResponse:
    listing = _filtered(request, AuditFilter, AUDIT_FILTERS)
    entries = selectors.audit_entries(member(request), filters=listing.filters).order_by(*selectors.AUDIT_ORDER)
    page_obj = paginate(request, entries)
    return listing.render(
        request,
        "web/moderation/audit.html",
        page_obj,
        entries=[_audit_row(entry) for entry in page_obj],
        actions=AuditAction.choices,
    )


@require_GET
@moderator_page
def stats(request: HttpRequest) -> HttpResponse:
    figures = selectors.queue_stats(member(request))
    median = figures["median_seconds_to_first_action"]
    return render(
        request,
        "web/moderation/stats.html",
        {
            "stats": figures,
            "open_rows": [(label, figures["open"][value]) for value, label in PRIORITY_CHOICES],
            "median": _wait_words(median) if median is not None else None,
        },
    )


def _wait_words(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{minutes / 60:.1f} hours"
