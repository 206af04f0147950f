"""The pages, at the site's root. Moderator pages live under /moderation/ (web.moderation_urls)."""

from django.urls import include, path

from web.views import account, community

app_name = "web"

urlpatterns = [
    path("", community.home, name="home"),
    path("boards/<slug:slug>/", community.board, name="board"),
    path("boards/<slug:slug>/new/", community.new_topic, name="new-topic"),
    path("boards/<slug:slug>/follow/", community.follow_board, name="follow-board"),
    path("topics/<id:topic_id>/", community.topic, name="topic"),
    path("topics/<id:topic_id>/reply/", community.reply, name="reply"),
    path("topics/<id:topic_id>/follow/", community.follow_topic, name="follow-topic"),
    path("topics/<id:topic_id>/bookmark/", community.bookmark_topic, name="bookmark-topic"),
    path("topics/<id:topic_id>/outcome/", community.outcome, name="outcome"),
    path("posts/<id:post_id>/edit/", community.edit_post, name="edit-post"),
    path("posts/<id:post_id>/withdraw/", community.withdraw_post, name="withdraw-post"),
    path("posts/<id:post_id>/react/<str:kind>/", community.react, name="react"),
    path("posts/<id:post_id>/flag/", community.flag_post, name="flag-post"),
    path("posts/<id:post_id>/appeal/", community.appeal_post, name="appeal-post"),
    path("posts/<id:post_id>/posted/", account.posted, name="posted"),
    path("search/", account.search, name="search"),
    path("welcome/", account.welcome, name="welcome"),
    path("notifications/", account.notifications, name="notifications"),
    path("me/", account.profile, name="profile"),
    path("me/data/", account.my_data, name="my-data"),
    path("me/consents/<str:kind>/", account.consent, name="consent"),
    path("me/data/export/", account.export_data, name="export"),
    path("me/data/erase/", account.erase_account, name="erase"),
    path("help-now/", account.help_now, name="help-now"),
    path("guidelines/", account.guidelines, name="guidelines"),
    path("moderation/", include("web.moderation_urls")),
]
