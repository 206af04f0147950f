"""Moderator pages: the queue, an item in context, decisions, sanctions, appeals, the audit log, stats.

They call ``moderation.selectors`` and ``moderation.services``, the same functions as the API.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.errors import Forbidden
from moderation import selectors
from web.pages import member, page, paginate


@require_GET
@login_required
@page
def queue(request: HttpRequest) -> HttpResponse:
    moderator = member(request)
    if not moderator.is_moderator:
        raise Forbidden("Only moderators can do this.", code="moderator_only")
    items = paginate(request, selectors.with_details(selectors.queue_items(moderator, filters={})))
    return render(request, "web/moderation/queue.html", {"page_obj": items, "items": list(items)})
