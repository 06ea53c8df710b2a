from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/", views.open_notification, name="open"),
    path("notifications/read/", views.mark_all_read, name="mark-all-read"),
    path("settings/", views.settings_page, name="settings"),
    path("threads/<int:pk>/mute/", views.mute, name="mute"),
    path("threads/<int:pk>/unmute/", views.unmute, name="unmute"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("unsubscribe/<str:token>/undo/", views.resubscribe, name="resubscribe"),
    path("mute/<str:token>/", views.mute_by_link, name="mute-by-link"),
    path("mute/<str:token>/undo/", views.unmute_by_link, name="unmute-by-link"),
    path("articles/<slug:slug>/follow/", views.follow, name="follow"),
    path("unfollow/<str:token>/", views.unfollow_by_link, name="unfollow-by-link"),
    path("unfollow/<str:token>/undo/", views.refollow_by_link, name="refollow-by-link"),
]
