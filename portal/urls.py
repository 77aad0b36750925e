from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from networks.minutes import views as minutes_views
from networks.minutes.urls import old_urlpatterns as old_minutes_urls
from portal import csp, views

portal_patterns = (
    [
        path("mina-sidor/", views.personal_page, name="personal_page"),
        path("mina-sidor/profil/", views.profile_edit, name="profile_edit"),
        path("mina-sidor/atgarder/", minutes_views.my_action_items, name="my_action_items"),
        path("mina-sidor/personuppgifter/", views.personal_data, name="personal_data"),
        path(
            "mina-sidor/personuppgifter/kopia.json",
            views.personal_data_download,
            name="personal_data_download",
        ),
        path("mina-sidor/personuppgifter/radera/", views.account_delete, name="account_delete"),
        path("sok/", views.search, name="search"),
        path("sprak/", views.set_language, name="set_language"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(portal_patterns)),
    path("accounts/", include("allauth.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("dokument/", include(wagtaildocs_urls)),
    path("tjanster/natverk/", include("networks.urls")),
    path("tjanster/minnesanteckningar/", include("networks.minutes.urls")),
    path("tjanster/protokoll/", include(old_minutes_urls)),
    path("tjanster/kalender/", include("events.urls")),
    path("tjanster/goda-exempel/", include("goodpractice.urls")),
    path("tjanster/nyhetsbrev/", include("portal.newsletters.urls")),
    path("tjanster/enkater/", include("questionnaires.urls")),
    path("tjanster/kommuner/", include("municipalities.urls")),
    path("tjanster/verksamhetsberattelse/", include("reports.urls")),
    path("sitemap.xml", sitemap),
    path("favicon.ico", views.favicon),
    path("csp-rapport/", csp.violation_report, name="csp_report"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only images are served from the media folder; documents always go through the serve view.
    urlpatterns += static(
        settings.MEDIA_URL + "images/", document_root=settings.MEDIA_ROOT / "images"
    )

# Wagtail's addresses last, its pages served through the portal's view (which remembers each route).
urlpatterns += [
    re_path(pattern.pattern.regex.pattern, views.serve_page, name=pattern.name)
    if pattern.name == "wagtail_serve"
    else pattern
    for pattern in wagtail_urls.urlpatterns
]

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
