from django.urls import path

from . import views

app_name = "newsletters"
urlpatterns = [
    path("prenumerera/", views.subscribe, name="subscribe"),
    path("prenumerera/skickat/", views.subscribe_sent, name="subscribe_sent"),
    path("bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("hantera/", views.manage_request, name="manage_request"),
    path("hantera/<str:token>/", views.manage, name="manage"),
    path("hantera/<str:token>/data.json", views.export, {"fmt": "json"}, name="export_json"),
    path("hantera/<str:token>/data.csv", views.export, {"fmt": "csv"}, name="export_csv"),
    path("hantera/<str:token>/radera/", views.delete, name="delete"),
    path("medlemsutskick/", views.member_preference, name="member_preference"),
    path("avsluta/<int:delivery_id>/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
