from django.urls import path

from networks.views import space_screen_redirect

from . import views

app_name = "minutes"
urlpatterns = [
    # A network's minutes and action items live below its member space; their old addresses:
    path("natverk/<int:network_id>/", space_screen_redirect, {"screen": "minutes"}),
    path("natverk/<int:network_id>/atgarder/", space_screen_redirect, {"screen": "action_items"}),
    path("mina-uppgifter/", views.my_action_items, name="my_action_items"),
    path("atgard/<int:pk>/", views.action_item_mark, name="action_item_mark"),
    path("mote/<int:meeting_id>/skriv/", views.create_from_meeting, name="create_from_meeting"),
    path("<int:page_id>/granska/", views.review, name="review"),
    path("<int:page_id>/justera/", views.approve, name="approve"),
    path("<int:page_id>/skicka-tillbaka/", views.send_back, name="send_back"),
]
