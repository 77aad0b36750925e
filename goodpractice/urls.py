from django.urls import path

from . import views

app_name = "goodpractice"
urlpatterns = [
    path("skicka-in/", views.submit, name="submit"),
    path("tack/", views.thanks, name="thanks"),
    path("bekrafta/<str:token>/", views.confirm, name="confirm"),
    path("status/<str:token>/", views.status, name="status"),
]
