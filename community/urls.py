from django.urls import path

from community import views

urlpatterns = [
    path("boards/", views.BoardListView.as_view(), name="boards"),
    path("boards/<slug:slug>/", views.BoardDetailView.as_view(), name="board"),
    path("boards/<slug:slug>/topics/", views.BoardTopicsView.as_view(), name="board-topics"),
    path("boards/<slug:slug>/follow/", views.BoardFollowView.as_view(), name="board-follow"),
    path("topics/<id:topic_id>/follow/", views.TopicFollowView.as_view(), name="topic-follow"),
    path("topics/<id:topic_id>/bookmark/", views.BookmarkView.as_view(), name="topic-bookmark"),
    path("topics/<id:topic_id>/", views.TopicDetailView.as_view(), name="topic"),
    path("topics/<id:topic_id>/posts/", views.TopicPostsView.as_view(), name="topic-posts"),
    path("topics/<id:topic_id>/outcome/", views.OutcomeView.as_view(), name="topic-outcome"),
    path("posts/<id:post_id>/", views.PostDetailView.as_view(), name="post"),
    path("posts/<id:post_id>/revisions/", views.PostRevisionsView.as_view(), name="post-revisions"),
    path("posts/<id:post_id>/reactions/<str:kind>/", views.ReactionView.as_view(), name="post-reaction"),
    path("tips/", views.TipsView.as_view(), name="tips"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("tags/", views.TagsView.as_view(), name="tags"),
    path("notifications/", views.NotificationsView.as_view(), name="notifications"),
    path("notifications/read/", views.NotificationsReadView.as_view(), name="notifications-read"),
]
