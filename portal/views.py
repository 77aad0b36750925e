from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from wagtail import hooks
from wagtail import views as wagtail_views

from portal import member_page_cache, page_cache, versioned
from portal.accounts import privacy
from portal.accounts.forms import AccountDeleteForm, ProfileForm
from portal.search import search_hits
from portal.sites import current_site


@csrf_exempt
@require_POST
def set_language(request):
    """Django's language switch, also remembered on the account of a logged-in user.

    An anonymous visitor's switch only sets the language cookie, which nobody gains by forging,
    so its form carries no CSRF token and the page around it can come from the page cache. A
    logged-in user's switch changes the account: that one is CSRF-checked as usual."""
    if request.user.is_authenticated:
        return _set_account_language(request)
    return django_set_language(request)


@csrf_protect
def _set_account_language(request):
    response = django_set_language(request)
    language = request.POST.get("language")
    if language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return response


def serve_page(request, path):
    """Wagtail's page serving, with the route from the address to the page found once per
    content version (portal/versioned.py)."""
    versioned.route(request, path)
    return wagtail_views.serve(request, path)


@page_cache.cacheable
def search(request):
    query = request.GET.get("q", "").strip()
    results = None
    if query:
        site = current_site(request)
        results = search_hits(request.user, query, request.GET.get("sida"), site=site)
    return render(request, "portal/search.html", {"query": query, "results": results})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static file."""
    return redirect(static("img/favicon.ico"), permanent=True)


@login_required
def personal_page(request):
    member_page_cache.mark_cacheable(request)
    sections = [
        section
        for fn in hooks.get_hooks("portal_personal_sections")
        if (section := fn(request)) is not None
    ]
    return render(request, "portal/personal_page.html", {"sections": sections})


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("portal:personal_page")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, form.cleaned_data["preferred_language"])
        return response
    return render(request, "portal/profile_form.html", {"form": form})


def _may_delete_itself(user) -> bool:
    return not (user.is_staff or user.is_superuser)


@login_required
def personal_data(request):
    """What the portal keeps about you: a copy to download, and closing the account."""
    return render(
        request, "portal/personal_data.html", {"may_delete": _may_delete_itself(request.user)}
    )


@login_required
def personal_data_download(request):
    data = privacy.personal_data_export(user=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="mina-personuppgifter.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def account_delete(request):
    if not _may_delete_itself(request.user):
        messages.error(request, _("Administrator accounts are closed by another administrator."))
        return redirect("portal:personal_data")
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.account_delete(user=request.user)
        logout(request)
        messages.success(request, _("Your account and your data have been deleted."))
        return redirect("/")
    return render(request, "portal/account_delete.html", {"form": form})


def safe_next_url(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next")
    # Only a path: redirect() would take any other word for the name of a view (NoReverseMatch).
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())
    ):
        return target
    return default
