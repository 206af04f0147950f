from django.urls import path

from privacy import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("me/export/", views.ExportView.as_view(), name="me-export"),
    path(
        "moderation/queue/<id:item_id>/erase-member/",
        views.EraseMemberView.as_view(),
        name="moderation-erase-member",
    ),
]
