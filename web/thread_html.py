"""A topic page's posts as HTML, built in Python.

The topic page is the site's busiest page, and twenty posts each with a header, a body, a reaction bar
of three buttons and up to four links were about a thousand template lookups per page: two thirds of a
signed-in member's render time (see BENCHMARKS.md, "Web topic page"). Here each post is a few string
joins. Every value that comes from a person is escaped with ``conditional_escape``; ``body_html`` is
already sanitised when it is written (``community.rendering``), as the API serves it.

The htmx reaction endpoint answers with :func:`reaction_bar`, so the bar a click swaps in is the bar the
page drew.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property
from typing import Any

from django.urls import reverse
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from community.models import ContentStatus, ReactionKind

REACTION_LABELS = {
    ReactionKind.HELPFUL: "Helpful",
    ReactionKind.SUPPORT: "Sending support",
    ReactionKind.ME_TOO: "Me too",
}
MEDICAL_NOTICE = "Not medical advice: please talk to your doctor before changing a treatment."
HELD_NOTICE = "Waiting for a moderator: only you and moderators see it"

# A post id no real post has, for reversing a URL once and putting each post's id in its place.
_MARKER = 987654321


def _around_id(name: str, *args: Any) -> tuple[str, str]:
    before, _, after = reverse(name, args=[_MARKER, *args]).partition(str(_MARKER))
    return before, after


class PostLinks:
    """Each per-post URL reversed once per page (and only when the page has one) instead of once per link."""

    @cached_property
    def react(self) -> dict[str, tuple[str, str]]:
        return {kind: _around_id("web:react", kind) for kind in REACTION_LABELS}

    @cached_property
    def edit(self) -> tuple[str, str]:
        return _around_id("web:edit-post")

    @cached_property
    def withdraw(self) -> tuple[str, str]:
        return _around_id("web:withdraw-post")

    @cached_property
    def flag(self) -> tuple[str, str]:
        return _around_id("web:flag-post")

    @cached_property
    def appeal(self) -> tuple[str, str]:
        return _around_id("web:appeal-post")

    @staticmethod
    def url(around: tuple[str, str], post_id: int) -> str:
        return f"{around[0]}{post_id}{around[1]}"


def reaction_bar(post: Mapping[str, Any], *, links: PostLinks, csrf_token: str, next_url: str) -> SafeString:
    """One form per post: each button posts to its own reaction (``formaction`` without JavaScript,
    ``hx-post`` with the form's token under htmx) and says whether the viewer's reaction is on."""
    post_id = int(post["id"])
    mine = post["my_reactions"]
    counts = post["reactions"]
    buttons = []
    for kind, label in REACTION_LABELS.items():
        url = links.url(links.react[kind], post_id)
        pressed = kind in mine
        count = int(counts[kind])
        buttons.append(
            f'<button class="button button-secondary button-small" type="submit" formaction="{url}"'
            f' hx-post="{url}" hx-target="#reactions-{post_id}" hx-swap="outerHTML" name="on"'
            f' value="{0 if pressed else 1}" aria-pressed="{"true" if pressed else "false"}">'
            f'{label} <span aria-label="{count} so far">({count})</span></button>'
        )
    first_url = links.url(links.react[ReactionKind.HELPFUL], post_id)
    return mark_safe(  # noqa: S308 -- ids and counts are integers; the token and next URL are escaped
        f'<form class="reaction-bar" id="reactions-{post_id}" method="post" action="{first_url}">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
        f'<input type="hidden" name="next" value="{esc(next_url)}#post-{post_id}">'
        f"{'\n'.join(buttons)}</form>"
    )


def _counts(post: Mapping[str, Any]) -> str:
    counts = post["reactions"]
    return (
        f'<p class="meta"><span>{int(counts[ReactionKind.HELPFUL])} found this helpful</span>'
        f"<span>{int(counts[ReactionKind.SUPPORT])} sent support</span>"
        f"<span>{int(counts[ReactionKind.ME_TOO])} said me too</span></p>"
    )


def _actions(post: Mapping[str, Any], links: PostLinks, author: str) -> str:
    post_id = int(post["id"])
    actions = []
    if post["can_edit"]:
        actions.append(
            f'<a href="{links.url(links.edit, post_id)}">Edit<span class="visually-hidden"> post by {author}</span></a>'
        )
    if post["can_withdraw"]:
        actions.append(
            f'<a href="{links.url(links.withdraw, post_id)}">Withdraw'
            '<span class="visually-hidden"> your post</span></a>'
        )
    if post["can_flag"]:
        actions.append(
            f'<a href="{links.url(links.flag, post_id)}">Report'
            f'<span class="visually-hidden"> post by {author}</span></a>'
        )
    if post["can_appeal"]:
        actions.append(f'<a href="{links.url(links.appeal, post_id)}">Appeal this removal</a>')
    if not actions:
        return ""
    return f'<div class="actions">{"\n".join(actions)}</div>'


def post_html(post: Mapping[str, Any], *, links: PostLinks, csrf_token: str, path: str) -> str:
    """One post of a thread: who wrote it and when, its text (or the notice that took its place), the
    reaction bar for a member who may react (counts only for everyone else), and what the viewer may do."""
    post_id = int(post["id"])
    author = esc(post["author"])
    status = post["status"]
    header = [
        f'<span class="post-author">{author}</span>',
        f'<span><time datetime="{esc(post["created_iso"])}">{esc(post["created_label"])}</time></span>',
    ]
    if post["edited_at"]:
        header.append("<span>edited</span>")
    if status == ContentStatus.PENDING:
        header.append(f'<span class="label label-held">{HELD_NOTICE}</span>')
    if post["body_html"] is not None:
        notice = f'<p class="notice notice-warn">{MEDICAL_NOTICE}</p>' if post["medical_notice"] else ""
        body = f'{notice}<div class="post-body">{post["body_html"]}</div>'
    else:
        body = f'<p class="post-gone">{esc(post["notice"])}</p>'
    reactions: str
    if post["can_react"]:
        reactions = reaction_bar(post, links=links, csrf_token=csrf_token, next_url=path)
    elif status == ContentStatus.PUBLISHED:
        reactions = _counts(post)
    else:
        reactions = ""
    return (
        f'<div class="post" id="post-{post_id}">\n<p class="post-header">{"\n".join(header)}</p>\n'
        f"{body}\n{reactions}\n{_actions(post, links, author)}</div>"
    )


def thread_html(posts: Iterable[Mapping[str, Any]], *, links: PostLinks, csrf_token: str, path: str) -> SafeString:
    return mark_safe(  # noqa: S308 -- every part is escaped or sanitised above
        "\n".join(post_html(post, links=links, csrf_token=csrf_token, path=path) for post in posts)
    )
