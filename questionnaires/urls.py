from django.urls import path

from . import views

app_name = "questionnaires"
urlpatterns = [
    path("svar/<str:token>/", views.answer, name="answer"),
]
