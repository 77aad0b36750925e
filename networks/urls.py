from django.urls import path

from . import views

app_name = "networks"
urlpatterns = [
    path("inbjudan/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("sammanfattning/", views.digest_frequency, name="digest_frequency"),
    path(
        "sammanfattning/avsluta/<int:user_id>/<str:token>/",
        views.digest_unsubscribe,
        name="digest_unsubscribe",
    ),
    path("<int:network_id>/ansok/", views.join_request, name="join"),
    # The screens live below the member space; these are their old addresses.
    path("<int:network_id>/hantera/", views.space_screen_redirect, {"screen": "manage"}),
    path("<int:network_id>/bjud-in/", views.space_screen_redirect, {"screen": "invite"}),
    path("<int:network_id>/ladda-upp/", views.space_screen_redirect, {"screen": "document_upload"}),
    path(
        "<int:network_id>/inbjudningar/<int:pk>/skicka-igen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "<int:network_id>/inbjudningar/<int:pk>/aterkalla/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "<int:network_id>/medlemskap/<int:pk>/roll/", views.membership_role, name="membership_role"
    ),
    path(
        "<int:network_id>/medlemskap/<int:pk>/avsluta/", views.membership_end, name="membership_end"
    ),
    path(
        "<int:network_id>/ansokningar/<int:pk>/<str:decision>/",
        views.join_request_decide,
        name="join_request_decide",
    ),
]
