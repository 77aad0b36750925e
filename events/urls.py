from django.urls import path

from networks.views import space_screen_redirect

from . import views

app_name = "events"
urlpatterns = [
    path("kalender.ics", views.public_feed, name="public_feed"),
    path("nationellt.ics", views.national_feed, name="national_feed"),
    path("natverk/<int:network_id>/kalender.ics", views.network_feed, name="network_feed"),
    path("min/<str:token>/kalender.ics", views.personal_feed, name="personal_feed"),
    path("prenumerera/", views.subscribe_help, name="subscribe_help"),
    path("min-kalender/ny-lank/", views.feed_token_rotate, name="feed_token_rotate"),
    path("min-kalender/stang-av/", views.feed_token_revoke, name="feed_token_revoke"),
    path("anmalan/<str:token>/bekrafta/", views.registration_confirm, name="registration_confirm"),
    path("anmalan/<str:token>/avboka/", views.registration_cancel, name="registration_cancel"),
    # The form lives below the member space; its old address:
    path("natverk/<int:network_id>/nytt-mote/", space_screen_redirect, {"screen": "meeting_new"}),
    path("mote/<int:event_id>/svar/", views.meeting_respond, name="meeting_respond"),
    path("mote/<int:event_id>/andra/", views.meeting_edit, name="meeting_edit"),
    path("mote/<int:event_id>/stall-in/", views.meeting_cancel, name="meeting_cancel"),
]
