"""Member pages: boards, topics, posting, reactions, tip outcomes, follows, bookmarks, flags.

Each view reads through ``community.selectors`` and writes through ``community.services`` (and
``moderation.services`` for flags and appeals), exactly as the API does; the shapes come from the
API's own ``*_data`` builders, so a hidden post shows here what it shows there: its place, not its text.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from community import selectors, services
from community.models import ContentStatus, GoneReason, ReactionKind, TopicKind
from community.permissions import can_moderate_board, can_see_welcome_list, is_member
from community.selectors import MY_REACTION_FIELDS, TOPIC_SORTS
from community.serializers import (
    PostCreateInput,
    PostUpdateInput,
    TopicCreateInput,
    TopicListQuery,
    board_data,
    post_data,
    post_row,
    topic_data,
    topic_row,
)
from community.tags import TAG_GROUPS, TAG_LABELS
from config.errors import Conflict, DomainError, Invalid
from moderation import services as moderation_services
from moderation.models import FlagReason
from moderation.serializers import AppealInput, FlagInput
from web.pages import (
    FormErrors,
    back_to,
    check_input,
    is_htmx,
    member,
    page,
    paginate,
    paginate_counted,
    posted_next,
    time_label,
    with_domain_fields,
)
from web.screening import remember_outcome
from web.thread_html import PostLinks, reaction_bar, thread_html

POSTS_PER_PAGE = 20


def _tag_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [(group.replace("-", " ").capitalize(), list(tags.items())) for group, tags in TAG_GROUPS.items()]


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    boards = [board_data(board) for board in selectors.board_list(request.user)]
    return render(
        request,
        "web/home.html",
        {"boards": boards, "show_welcome": can_see_welcome_list(request.user)},
    )


@require_GET
@page
def board(request: HttpRequest, slug: str) -> HttpResponse:
    the_board = selectors.get_board_for_viewer(request.user, slug)
    filters = {name: request.GET[name] for name in ("kind", "tag", "sort") if request.GET.get(name)}
    query, errors = check_input(TopicListQuery, filters)
    if errors:
        query = {"sort": "latest"}
    rows = selectors.board_topic_rows(request.user, the_board, kind=query.get("kind"), tag=query.get("tag"))
    topics_page = paginate(request, rows.order_by("-is_pinned", TOPIC_SORTS[query["sort"]], "-id"))
    state = selectors.board_viewer_state(request.user, the_board)
    return render(
        request,
        "web/board.html",
        {
            "board": board_data(the_board),
            "topics": [topic_row(row, the_board.slug) for row in topics_page],
            "page_obj": topics_page,
            "query": query,
            "filter_errors": errors,
            "kinds": TopicKind.choices,
            "tag_choices": _tag_choices(),
            "tag_labels": TAG_LABELS,
            "sorts": [("latest", "Newest"), ("active", "Recently active"), ("helpful", "Most helpful")],
            "following": state["following"],
            "filter_query": "&".join(f"{name}={value}" for name, value in filters.items() if name in query),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@page
def new_topic(request: HttpRequest, slug: str) -> HttpResponse:
    the_board = selectors.get_board_for_viewer(request.user, slug)
    errors = FormErrors()
    values: dict[str, Any] = {"kind": TopicKind.EXPERIENCE, "tags": []}
    if request.method == "POST":
        values = {
            "title": request.POST.get("title", ""),
            "kind": request.POST.get("kind", ""),
            "tags": request.POST.getlist("tags"),
            "body": request.POST.get("body", ""),
        }
        data, errors = check_input(TopicCreateInput, values)
        if not errors:
            try:
                topic, post, screening = services.create_topic(actor=member(request), board=the_board, **data)
            except Invalid as exc:
                errors = with_domain_fields(errors, exc)
            except DomainError as exc:
                if exc.code != "duplicate_post":
                    raise
                errors = with_domain_fields(errors, exc)
            else:
                return remember_outcome(request, post=post, topic=topic, screening=screening)
    return render(
        request,
        "web/new_topic.html",
        {
            "board": board_data(the_board),
            "values": values,
            "errors": errors,
            "kinds": TopicKind.choices,
            "tag_choices": _tag_choices(),
        },
        status=400 if errors else 200,
    )


def _page_url(topic: Any, posts_page: Page) -> str:
    """Where a reaction sent without JavaScript comes back to: this page of the topic (never the reply
    form's URL, when a refused reply shows the page again)."""
    url = reverse("web:topic", args=[topic.pk])
    return f"{url}?page={posts_page.number}" if posts_page.number > 1 else url


def _topic_context(request: HttpRequest, topic_id: int) -> dict[str, Any]:
    topic = selectors.get_topic_for_viewer(request.user, topic_id)
    user = request.user
    # Twenty posts and how many there are in all, one statement.
    posts_page = paginate_counted(
        request, selectors.thread_rows(user, topic).order_by("created_at", "id"), POSTS_PER_PAGE
    )
    rows = list(posts_page)
    # The viewer's follow, bookmark, tip answer, reactions on these posts and unread count: one statement.
    state = selectors.topic_viewer_state(user, topic, post_ids=[row["id"] for row in rows], unread=True)
    mine = state["reactions"]
    moderates = can_moderate_board(user, topic.board_id)
    signed_in = is_member(user)
    posts = []
    for row in rows:
        row.update((field, kind in mine.get(row["id"], ())) for kind, field in MY_REACTION_FIELDS)
        # Every post of the page is in the topic's board: the board a moderator's permission depends on.
        data = post_row(row, user, topic.board_id)
        status = row["status"]
        # What ``|date:"c"`` and ``|date:"j M Y, H:i"`` show, formatted here: the filters cost far more per post.
        created = timezone.localtime(row["created_at"])
        data["created_iso"] = created.isoformat()
        data["created_label"] = time_label(created)
        own = signed_in and row["author_id"] == user.pk
        data["mine"] = own
        data["can_edit"] = (own or moderates) and status not in (ContentStatus.HIDDEN, ContentStatus.REMOVED)
        data["can_withdraw"] = own and status != ContentStatus.REMOVED
        data["can_flag"] = signed_in and not own and status == ContentStatus.PUBLISHED
        data["can_appeal"] = own and status == ContentStatus.REMOVED and row["gone_reason"] == GoneReason.MODERATED
        data["can_react"] = signed_in and status == ContentStatus.PUBLISHED
        posts.append(data)
    token = get_token(request)
    return {
        "topic": topic_data(topic, user),
        "board": board_data(topic.board),
        "thread_html": thread_html(posts, links=PostLinks(), csrf_token=token, path=_page_url(topic, posts_page)),
        "page_obj": posts_page,
        "state": state,
        # The layout's badge, counted in the statement above instead of by the context processor's own query.
        "unread_notifications": state["unread_notifications"],
        "tag_labels": TAG_LABELS,
        "can_reply": signed_in
        and topic.status == ContentStatus.PUBLISHED
        and not topic.board.is_archived
        and (not topic.is_locked or moderates),
        "is_tip": topic.kind == TopicKind.TIP,
        # The token the page's forms use, as a string rather than the context processor's lazy object.
        "csrf_token": token,
    }


@require_GET
@page
def topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    return render(request, "web/topic.html", _topic_context(request, topic_id))


@require_POST
@login_required
@page
def reply(request: HttpRequest, topic_id: int) -> HttpResponse:
    the_topic = selectors.get_topic_for_viewer(request.user, topic_id)
    data, errors = check_input(PostCreateInput, {"body": request.POST.get("body", "")})
    if not errors:
        try:
            post, screening = services.create_reply(actor=member(request), topic=the_topic, body=data["body"])
        except DomainError as exc:
            if exc.code not in ("duplicate_post",) and not isinstance(exc, Invalid):
                raise
            errors = with_domain_fields(errors, exc)
        else:
            return remember_outcome(request, post=post, topic=the_topic, screening=screening)
    context = _topic_context(request, topic_id)
    context.update(reply_errors=errors, reply_body=request.POST.get("body", ""))
    return render(request, "web/topic.html", context, status=400)


def _post_for_member(request: HttpRequest, post_id: int) -> Any:
    return selectors.get_post_for_viewer(request.user, post_id)


@require_http_methods(["GET", "POST"])
@login_required
@page
def edit_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for_member(request, post_id)
    errors = FormErrors()
    body = post.body
    if request.method == "POST":
        body = request.POST.get("body", "")
        data, errors = check_input(PostUpdateInput, {"body": body})
        if not errors:
            try:
                post, screening = services.edit_post(actor=member(request), post=post, body=data["body"])
            except Invalid as exc:
                errors = with_domain_fields(errors, exc)
            else:
                if screening.resources or post.status == ContentStatus.PENDING:
                    return remember_outcome(request, post=post, topic=post.topic, screening=screening)
                messages.success(request, "Your changes are saved.")
                return HttpResponseRedirect(_post_url(post))
    return render(
        request,
        "web/edit_post.html",
        {"post": post, "topic": topic_data(post.topic, request.user), "body": body, "errors": errors},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@page
def withdraw_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for_member(request, post_id)
    if request.method == "POST":
        services.withdraw_post(actor=member(request), post=post)
        messages.success(request, "Your post was withdrawn. Only its place in the conversation remains.")
        return HttpResponseRedirect(reverse("web:topic", args=[post.topic_id]))
    return render(request, "web/withdraw_post.html", {"post": post, "topic": topic_data(post.topic, request.user)})


def _post_url(post: Any) -> str:
    return reverse("web:topic", args=[post.topic_id]) + f"#post-{post.pk}"


@require_POST
@login_required
@page
def react(request: HttpRequest, post_id: int, kind: str) -> HttpResponse:
    if kind not in ReactionKind.values:
        raise Invalid("Unknown reaction.", code="invalid_reaction")
    post = _post_for_member(request, post_id)
    if _switched_on(request):
        services.add_reaction(actor=member(request), post=post, kind=kind)
    else:
        services.remove_reaction(actor=member(request), post=post, kind=kind)
    if is_htmx(request):
        post = selectors.thread_posts(request.user, post.topic).get(pk=post.pk)
        data = post_data(post, request.user)
        # The page the bar was on (its form's ``next``, without the post's anchor, which the bar adds again).
        page_url = posted_next(request, reverse("web:topic", args=[post.topic_id])).partition("#")[0]
        return HttpResponse(reaction_bar(data, links=PostLinks(), csrf_token=get_token(request), next_url=page_url))
    return back_to(request, _post_url(post))


@require_POST
@login_required
@page
def follow_topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    the_topic = selectors.get_topic_for_viewer(request.user, topic_id)
    services.set_follow(actor=member(request), target=the_topic, on=_switched_on(request))
    return _topic_controls(request, the_topic)


@require_POST
@login_required
@page
def bookmark_topic(request: HttpRequest, topic_id: int) -> HttpResponse:
    the_topic = selectors.get_topic_for_viewer(request.user, topic_id)
    services.set_bookmark(actor=member(request), topic=the_topic, on=_switched_on(request))
    return _topic_controls(request, the_topic)


def _switched_on(request: HttpRequest) -> bool:
    """Toggle buttons send ``on=1`` to switch on and ``on=0`` to switch off."""
    return request.POST.get("on") == "1"


@require_POST
@login_required
@page
def outcome(request: HttpRequest, topic_id: int) -> HttpResponse:
    the_topic = selectors.get_topic_for_viewer(request.user, topic_id)
    answer = request.POST.get("helped")
    if answer == "clear":
        services.remove_outcome(actor=member(request), topic=the_topic)
    elif answer in ("yes", "no"):
        services.record_outcome(actor=member(request), topic=the_topic, helped=answer == "yes")
    else:
        raise Invalid("Choose whether the tip helped you.", code="invalid", fields={"helped": ["Choose one."]})
    return _topic_controls(request, selectors.get_topic_for_viewer(request.user, topic_id))


def _topic_controls(request: HttpRequest, the_topic: Any) -> HttpResponse:
    if is_htmx(request):
        return render(
            request,
            "web/_topic_controls.html",
            {
                "topic": topic_data(the_topic, request.user),
                "state": selectors.topic_viewer_state(request.user, the_topic),
                "is_tip": the_topic.kind == TopicKind.TIP,
            },
        )
    return back_to(request, reverse("web:topic", args=[the_topic.pk]))


@require_POST
@login_required
@page
def follow_board(request: HttpRequest, slug: str) -> HttpResponse:
    the_board = selectors.get_board_for_viewer(request.user, slug)
    on = _switched_on(request)
    services.set_follow(actor=member(request), target=the_board, on=on)
    messages.success(request, "You follow this board." if on else "You no longer follow this board.")
    return back_to(request, reverse("web:board", args=[slug]))


@require_http_methods(["GET", "POST"])
@login_required
@page
def flag_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for_member(request, post_id)
    errors = FormErrors()
    values = {"reason": request.POST.get("reason", ""), "note": request.POST.get("note", "")}
    if request.method == "POST":
        data, errors = check_input(FlagInput, values)
        if not errors:
            try:
                moderation_services.flag_post(actor=member(request), post=post, **data)
            except Conflict as exc:
                messages.info(request, exc.detail)
            else:
                messages.success(request, "Thank you. A moderator will look at this post soon.")
            return HttpResponseRedirect(_post_url(post))
    return render(
        request,
        "web/flag_post.html",
        {"post": post, "reasons": FlagReason.choices, "values": values, "errors": errors},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
@page
def appeal_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = _post_for_member(request, post_id)
    errors = FormErrors()
    statement = request.POST.get("statement", "")
    if request.method == "POST":
        data, errors = check_input(AppealInput, {"post": post.pk, "statement": statement})
        if not errors:
            try:
                moderation_services.file_appeal(actor=member(request), post=post, statement=data["statement"])
            except Conflict as exc:
                messages.info(request, exc.detail)
            else:
                messages.success(request, "Your appeal is with the moderators. A different moderator will review it.")
            return HttpResponseRedirect(_post_url(post))
    return render(
        request,
        "web/appeal_post.html",
        {"post": post, "statement": statement, "errors": errors},
        status=400 if errors else 200,
    )
