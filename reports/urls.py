"""The annual report's screens on the site (/tjanster/verksamhetsberattelse/); the page itself
and its PDF and DOCX are routes of the page (reports/models.py)."""

from django.urls import path

from networks.minutes import views as justering_views

app_name = "reports"
urlpatterns = [
    # The one justering review screen (networks/minutes/views.py `review`), for a report.
    path("<int:page_id>/granska/", justering_views.review, name="review"),
]
