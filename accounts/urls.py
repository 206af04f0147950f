from django.urls import path

from accounts import views

urlpatterns = [
    path("me/consents/<str:kind>/", views.ConsentView.as_view(), name="me-consent"),
    path("users/<str:username>/", views.PublicProfileView.as_view(), name="user-profile"),
]
