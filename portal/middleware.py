from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    """A logged-in user's chosen language wins over the browser's, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", "") if user and user.is_authenticated else ""
        if language in SUPPORTED_LANGUAGES and language != request.LANGUAGE_CODE:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


def user_needs_mfa_for_admin(user) -> bool:
    if not settings.PORTAL_ADMIN_REQUIRES_MFA or not user.is_authenticated:
        return False
    if not (user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return False
    from allauth.mfa.models import Authenticator

    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AdminRequiresMFAMiddleware:
    """With PORTAL_ADMIN_REQUIRES_MFA, staff must set up TOTP before the Wagtail admin opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and user_needs_mfa_for_admin(request.user):
            messages.warning(
                request, _("Set up two-factor authentication before you open the administration.")
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
