from django.urls import path

from accounts import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("users/<str:username>/", views.PublicProfileView.as_view(), name="user-profile"),
]
