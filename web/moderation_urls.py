"""Moderator pages, included under /moderation/ in the ``web`` namespace."""

from django.urls import path

from web.views import moderation

urlpatterns = [
    path("", moderation.queue, name="mod-queue"),
]
