from django.urls import path

from moderation import views

urlpatterns = [
    path("moderation/queue/", views.QueueListView.as_view(), name="moderation-queue"),
    path("moderation/queue/<id:item_id>/", views.QueueItemView.as_view(), name="moderation-item"),
    path("moderation/queue/<id:item_id>/claim/", views.ClaimView.as_view(), name="moderation-claim"),
    path("moderation/queue/<id:item_id>/decide/", views.DecideView.as_view(), name="moderation-decide"),
    path("moderation/users/<str:username>/sanctions/", views.SanctionsView.as_view(), name="moderation-sanctions"),
    path("moderation/sanctions/<id:sanction_id>/lift/", views.LiftSanctionView.as_view(), name="moderation-lift"),
    path("moderation/audit/", views.AuditView.as_view(), name="moderation-audit"),
    path("moderation/stats/", views.StatsView.as_view(), name="moderation-stats"),
    path("posts/<id:post_id>/flags/", views.FlagView.as_view(), name="post-flags"),
    path("appeals/", views.AppealView.as_view(), name="appeals"),
    path("welcome/", views.WelcomeView.as_view(), name="welcome"),
]
