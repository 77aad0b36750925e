"""The invitation a visitor is holding, kept in the session between the e-mail link and sign-up.

Sign-up is open only while a valid invitation is in hand (portal.accounts.adapter asks here).
"""

from .models import Invitation
from .services import invitation_for_token

SESSION_KEY = "networks_invitation_token"
# Where a person who just signed up through an invitation lands (read once by the adapter).
SIGNUP_LANDING_KEY = "networks_signup_landing"
_REQUEST_ATTR = "_networks_invitation"


def invitation_to_session(request, token: str) -> None:
    request.session[SESSION_KEY] = token
    if hasattr(request, _REQUEST_ATTR):
        delattr(request, _REQUEST_ATTR)


def invitation_clear_session(request) -> None:
    request.session.pop(SESSION_KEY, None)
    if hasattr(request, _REQUEST_ATTR):
        delattr(request, _REQUEST_ATTR)


def invitation_from_session(request) -> Invitation | None:
    """The pending invitation whose link this visitor opened, or None."""
    if request is None or not hasattr(request, "session"):
        return None
    if not hasattr(request, _REQUEST_ATTR):
        invitation = invitation_for_token(request.session.get(SESSION_KEY, ""))
        setattr(
            request, _REQUEST_ATTR, invitation if invitation and invitation.is_pending else None
        )
    return getattr(request, _REQUEST_ATTR)
