from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from portal.ratelimits import client_address


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations: sign-up is open only while a valid invitation is in hand."""

    def is_open_for_signup(self, request):
        from networks.invitations import invitation_from_session

        return invitation_from_session(request) is not None

    def is_email_verified(self, request, email):
        """The invitation was e-mailed to this address, so opening its link proved the address."""
        from networks.invitations import invitation_from_session

        invitation = invitation_from_session(request)
        if invitation is not None and invitation.email.lower() == (email or "").lower():
            return True
        return super().is_email_verified(request, email)

    def get_signup_redirect_url(self, request):
        """A new member lands in the member space they were invited to."""
        from networks.invitations import SIGNUP_LANDING_KEY

        return request.session.pop(SIGNUP_LANDING_KEY, None) or super().get_signup_redirect_url(
            request
        )

    def get_client_ip(self, request):
        """allauth's rate limits key on the visitor, the same address every portal limit uses."""
        return client_address(request) or super().get_client_ip(request)

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request) or settings.LOGIN_REDIRECT_URL
