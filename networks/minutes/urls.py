"""Form actions on minutes (/tjanster/minnesanteckningar/); their screens live below the member
space (MemberSpacePage) and the personal list under Mina sidor."""

from django.urls import path
from django.views.generic import RedirectView

from networks.views import space_screen_redirect

from . import views

app_name = "minutes"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:personal_page"), name="index"),
    path("beslut/", views.decisions, name="decisions"),
    path("fragor/", views.matters, name="matters"),
    path("fraga/<int:pk>/", views.matter_edit, name="matter"),
    path("atgard/<int:pk>/", views.action_item_mark, name="action_item_mark"),
    path("mote/<int:meeting_id>/skriv/", views.create_from_meeting, name="create_from_meeting"),
    path("<int:page_id>/justera/", views.approve, name="approve"),
    path("<int:page_id>/skicka-tillbaka/", views.send_back, name="send_back"),
]

# /tjanster/protokoll/, the addresses before the interface's word was used; e-mails already
# sent and bookmarks lead on from here.
old_urlpatterns = [
    path("natverk/<int:network_id>/", space_screen_redirect, {"screen": "minutes"}),
    path("natverk/<int:network_id>/atgarder/", space_screen_redirect, {"screen": "action_items"}),
    path(
        "mina-uppgifter/",
        RedirectView.as_view(pattern_name="portal:my_action_items", permanent=True),
    ),
    path("<int:page_id>/granska/", views.old_review_address),
    path("<path:rest>", views.old_action_address),
]
