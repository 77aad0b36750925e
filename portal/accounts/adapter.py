from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from portal.ratelimits import client_address


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations: sign-up is open only while a valid invitation is in hand."""

    def is_open_for_signup(self, request):
        from networks.invitations import invitation_from_session

        return invitation_from_session(request) is not None

    def clean_email(self, email):
        """Sign-up through an invitation makes the account of the invited address, no other: a
        forwarded link must not become an account (and a membership) for someone else."""
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        from networks.invitations import invitation_from_session

        email = super().clean_email(email)
        request = self.request
        if request is None or getattr(request, "user", None) is None:
            return email
        invitation = None if request.user.is_authenticated else invitation_from_session(request)
        if invitation is not None and invitation.email.lower() != email.lower():
            raise ValidationError(
                _(
                    "This invitation was sent to another address. Sign up with the address the "
                    "invitation came to, or ask the coordinator to invite this one."
                )
            )
        return email

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

    def get_reauthentication_methods(self, user):
        """Those who use an authenticator app confirm who they are with its code first (the
        password stays offered); everyone else with the password."""
        methods = super().get_reauthentication_methods(user)
        return sorted(methods, key=lambda method: not method["id"].startswith("mfa_"))
