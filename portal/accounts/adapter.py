from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations: sign-up is open only while a valid invitation is in hand."""

    def is_open_for_signup(self, request):
        from networks.invitations import invitation_from_session

        return invitation_from_session(request) is not None

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request) or settings.LOGIN_REDIRECT_URL
