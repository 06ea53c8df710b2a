from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    # Usernames may hold ".@+-" and any letters, never "/".
    path("u/<str:username>/", views.profile, name="profile"),
]
