from django.urls import path

from . import views

app_name = "minutes"
urlpatterns = [
    path("natverk/<int:network_id>/", views.network_minutes, name="network"),
    path(
        "natverk/<int:network_id>/atgarder/",
        views.network_action_items,
        name="network_action_items",
    ),
    path("mina-uppgifter/", views.my_action_items, name="my_action_items"),
    path("atgard/<int:pk>/", views.action_item_mark, name="action_item_mark"),
    path("mote/<int:meeting_id>/skriv/", views.create_from_meeting, name="create_from_meeting"),
    path("<int:page_id>/granska/", views.review, name="review"),
    path("<int:page_id>/justera/", views.approve, name="approve"),
    path("<int:page_id>/skicka-tillbaka/", views.send_back, name="send_back"),
]
