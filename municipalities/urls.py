from django.urls import path

from . import views

app_name = "municipalities"
urlpatterns = [
    path("rapport/<str:token>/", views.report, name="report"),
]
