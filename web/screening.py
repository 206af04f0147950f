"""After posting: what screening decided, said plainly to the author.

The outcome of a new post is known only when it is written. It is kept in the author's session
for the page the browser is redirected to (post/redirect/get), so reloading that page never posts
twice. A crisis outcome puts the support resources first and the post second.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from community.models import ContentStatus, Post, Topic
from community.services import Screening

SESSION_KEY = "web_posted"

# Why a post waits for a moderator, in words for its author. Codes come from moderation.screening.
HOLD_EXPLANATIONS = {
    "new_member_first_posts": (
        "Welcome! A new member's first posts are read by a moderator before everyone sees them. "
        "This keeps the circle safe and usually takes a few hours."
    ),
    "contains_email": "It contains an email address. To protect your privacy, a moderator checks it first.",
    "contains_phone": "It contains a phone number. To protect your privacy, a moderator checks it first.",
    "too_many_links": "It contains more links than a new member may post at once.",
    "blocked_domain": "It links to a site that is not allowed here.",
    "selling": "It reads like selling or advertising, which the guidelines do not allow.",
}
REVIEW_EXPLANATION = (
    "It mentions treatment in a way moderators look at (doses, stopping medication, cures). It is published; "
    "a moderator may add a gentle note. Please remember to share experiences, not medical instructions."
)
GENERIC_HOLD = "A moderator will read it before it is published."


def remember_outcome(request: HttpRequest, *, post: Post, topic: Topic, screening: Screening) -> HttpResponseRedirect:
    request.session[SESSION_KEY] = {
        "post": post.pk,
        "topic": topic.pk,
        "status": post.status,
        "reasons": [reason["reason"] for reason in screening.reasons],
        "resources": screening.resources,
    }
    return HttpResponseRedirect(reverse("web:posted", args=[post.pk]))


def recall_outcome(request: HttpRequest, post_id: int) -> dict[str, Any] | None:
    outcome = request.session.get(SESSION_KEY)
    if not outcome or outcome.get("post") != post_id:
        return None
    held = outcome["status"] == ContentStatus.PENDING
    reasons = outcome["reasons"]
    explanations = [HOLD_EXPLANATIONS[code] for code in reasons if code in HOLD_EXPLANATIONS]
    if held and not explanations:
        explanations = [GENERIC_HOLD]
    reviewed = any(code not in HOLD_EXPLANATIONS for code in reasons) and not outcome["resources"]
    return {
        **outcome,
        "held": held,
        "explanations": explanations,
        "reviewed": reviewed and not held,
        "review_explanation": REVIEW_EXPLANATION,
    }
