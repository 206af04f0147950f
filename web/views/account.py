"""Member pages about oneself and finding things: after posting, notifications, profile and digest
settings, the welcome list, search, data export and erasure; and the pages everyone may read
(guidelines, help right now)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.consent import WITHDRAWAL_EFFECTS, ConsentKind
from accounts.models import Condition, DigestFrequency, Profile
from accounts.selectors import member_consent_standing
from accounts.serializers import MeUpdateSerializer
from accounts.services import give_consent, update_profile, withdraw_consent
from community import selectors
from community.models import TopicKind
from community.permissions import can_see_welcome_list
from community.search import query as search_query
from community.search import selectors as search_selectors
from community.serializers import SearchQueryInput, topic_data
from community.services import mark_notifications_read
from community.tags import TAG_GROUPS, TAG_LABELS
from config.errors import Forbidden, Invalid
from moderation.guidelines import Guideline
from moderation.screening import CRISIS_RESOURCES
from privacy import services as privacy_services
from privacy.serializers import EraseInput
from web.pages import FormErrors, check_input, member, page, paginate, with_domain_fields
from web.screening import recall_outcome

SEARCH_PAGE_SIZE = 20
PROFILE_FLAGS = ("bio_public", "condition_public", "digest_discreet", "urgent_alert_email")


@require_GET
@login_required
@page
def posted(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.get_post_for_viewer(request.user, post_id)
    outcome = recall_outcome(request, post_id)
    if outcome is None:
        return HttpResponseRedirect(reverse("web:topic", args=[post.topic_id]) + f"#post-{post.pk}")
    return render(
        request,
        "web/posted.html",
        {"post": post, "topic": topic_data(post.topic, request.user), "outcome": outcome},
    )


@require_GET
def help_now(request: HttpRequest) -> HttpResponse:
    return render(request, "web/help_now.html", {"resources": CRISIS_RESOURCES})


@require_GET
def guidelines(request: HttpRequest) -> HttpResponse:
    return render(request, "web/guidelines.html", {"guidelines": Guideline.choices})


@require_http_methods(["GET", "POST"])
@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        mark_notifications_read(actor=member(request))
        messages.success(request, "All notifications are marked as read.")
        return HttpResponseRedirect(reverse("web:notifications"))
    notes = paginate(request, selectors.notifications_for(member(request)).order_by("-created_at", "-id"))
    return render(request, "web/notifications.html", {"page_obj": notes, "notifications": list(notes)})


def _profile_values(profile: Profile) -> dict[str, Any]:
    return {
        "bio": profile.bio,
        "bio_public": profile.bio_public,
        "condition": profile.condition,
        "condition_public": profile.condition_public,
        "digest_frequency": profile.digest_frequency,
        "digest_hour": profile.digest_hour,
        "timezone": profile.timezone,
        "digest_discreet": profile.digest_discreet,
        "digest_paused_until": profile.digest_paused_until.isoformat() if profile.digest_paused_until else "",
        "urgent_alert_email": profile.urgent_alert_email,
    }


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = member(request)
    current = Profile.objects.filter(user=user).first() or Profile(user=user)
    values = _profile_values(current)
    errors = FormErrors()
    resources = None
    if request.method == "POST":
        submitted: dict[str, Any] = {
            name: request.POST.get(name, "")
            for name in ("bio", "condition", "digest_frequency", "digest_hour", "timezone")
        }
        submitted["digest_paused_until"] = request.POST.get("digest_paused_until") or None
        flags = PROFILE_FLAGS if user.is_moderator else PROFILE_FLAGS[:-1]
        submitted.update({name: name in request.POST for name in flags})
        data, errors = check_input(MeUpdateSerializer, submitted, partial=True)
        values.update({name: value for name, value in submitted.items() if value is not None})
        if not errors:
            _, resources = update_profile(actor=user, data=data)
            if resources is None:
                messages.success(request, "Your settings are saved.")
                return HttpResponseRedirect(reverse("web:profile"))
    return render(
        request,
        "web/profile.html",
        {
            "values": values,
            "errors": errors,
            "resources": resources,
            "conditions": [("", "Not said"), *Condition.choices],
            "frequencies": DigestFrequency.choices,
            "hours": range(24),
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
@page
def welcome(request: HttpRequest) -> HttpResponse:
    if not can_see_welcome_list(request.user):
        raise Forbidden("The welcome list is for trusted members and moderators.", code="trusted_only")
    topics = paginate(request, selectors.welcome_topics())
    return render(
        request,
        "web/welcome.html",
        {"page_obj": topics, "topics": [topic_data(topic, request.user) for topic in topics]},
    )


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    params = {name: request.GET[name] for name in ("q", "board", "tag", "kind", "sort") if request.GET.get(name)}
    context: dict[str, Any] = {
        "values": params,
        "boards": selectors.board_list(request.user),
        "tag_groups": TAG_GROUPS,
        "tag_labels": TAG_LABELS,
        "kinds": TopicKind.choices,
        "searched": "q" in params,
        "base_query": urlencode(params),
        "errors": FormErrors(),
    }
    status = 200
    if "q" in params:
        data, errors = check_input(SearchQueryInput, params)
        try:
            if errors:
                raise Invalid("Check the search form.", code="invalid", fields=errors)
            found = search_selectors.search(
                request.user,
                search_query.parse(data["q"]),
                filters=search_selectors.Filters(board=data.get("board"), tag=data.get("tag"), kind=data.get("kind")),
                sort=data["sort"],
                cursor=request.GET.get("cursor"),
                page_size=SEARCH_PAGE_SIZE,
            )
        except Invalid as exc:
            context["errors"] = with_domain_fields(FormErrors(), exc)
            status = 400
        else:
            context.update(results=found.results, next_cursor=found.next_cursor, previous_cursor=found.previous_cursor)
    return render(request, "web/search.html", context, status=status)


def _data_page(request: HttpRequest, errors: FormErrors, content: str, status: int = 200) -> HttpResponse:
    standing = member_consent_standing(member(request))
    consents = [
        {
            "kind": kind,
            "label": label,
            "state": "withdrawn" if kind in standing.withdrawn else "needed" if kind in standing.required else "given",
            "effects": WITHDRAWAL_EFFECTS[kind],
        }
        for kind, label in ConsentKind.choices
    ]
    return render(
        request, "web/my_data.html", {"errors": errors, "content": content, "consents": consents}, status=status
    )


@require_GET
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    return _data_page(request, FormErrors(), "keep")


@require_POST
@login_required
@page
def consent(request: HttpRequest, kind: str) -> HttpResponse:
    """Give (again) or withdraw one consent, through the same services as the API."""
    if request.POST.get("action") == "withdraw":
        withdraw_consent(actor=member(request), kind=kind)
        messages.info(request, WITHDRAWAL_EFFECTS.get(kind, "Your consent is withdrawn."))
    else:
        give_consent(actor=member(request), kind=kind)
        messages.success(request, "Thank you: your consent is recorded.")
    return HttpResponseRedirect(reverse("web:my-data"))


@require_GET
@login_required
def export_data(request: HttpRequest) -> HttpResponse:
    data = privacy_services.export_member_data(actor=member(request))
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="support-circle-export-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def erase_account(request: HttpRequest) -> HttpResponse:
    values = {
        "password": request.POST.get("password", ""),
        "content": request.POST.get("content", ""),
        "confirm": request.POST.get("confirm", ""),
    }
    data, errors = check_input(EraseInput, {key: values[key] for key in ("password", "content")})
    if not errors and values["confirm"] != "erase":
        errors = FormErrors({"confirm": ["Tick the box to confirm that you want to erase your account."]})
    if not errors:
        try:
            privacy_services.erase_account(actor=member(request), password=data["password"], content=data["content"])
        except (Invalid, Forbidden) as exc:
            errors = with_domain_fields(errors, exc)
        else:
            logout(request)
            return render(request, "web/erased.html")
    return render(request, "web/my_data.html", {"errors": errors, "content": values["content"] or "keep"}, status=400)


def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404
