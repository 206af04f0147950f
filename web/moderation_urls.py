"""Moderator pages, included under /moderation/ in the ``web`` namespace."""

from django.urls import path

from web.views import moderation

urlpatterns = [
    path("", moderation.queue, name="mod-queue"),
    path("queue/<id:item_id>/", moderation.queue_item, name="mod-item"),
    path("queue/<id:item_id>/claim/", moderation.claim, name="mod-claim"),
    path("queue/<id:item_id>/decide/", moderation.decide, name="mod-decide"),
    path("queue/<id:item_id>/erase-member/", moderation.erase_member, name="mod-erase-member"),
    path("members/<str:username>/sanctions/", moderation.sanctions, name="mod-sanctions"),
    path("sanctions/<id:sanction_id>/lift/", moderation.lift, name="mod-lift"),
    path("audit/", moderation.audit, name="mod-audit"),
    path("stats/", moderation.stats, name="mod-stats"),
]
