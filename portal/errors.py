"""Error pages in the visitor's language that never show anything from the page they hid."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import translation


def permission_denied(request, exception=None):
    # A refusal from networks.access names the network (its about page is public) so the page
    # can say how to ask to join; nothing of the hidden content is passed on.
    network = getattr(exception, "network", None)
    context = {}
    if network is not None:
        context = {
            "network_title": network.title,
            "join_url": reverse("networks:join", kwargs={"network_id": network.pk}),
        }
    return render(request, "403.html", context, status=403)


def bad_request(request, exception=None):
    # Bad input is refused before the locale middleware has run (portal/input.py), so the
    # visitor's language is read here.
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    # Django's own page is in English and styles itself inline, which the site's
    # Content-Security-Policy blocks.
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
