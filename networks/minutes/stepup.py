"""Step-up before deciding: approving or sending back minutes needs a recent re-authentication.

The check is allauth's own (`allauth.account.decorators.reauthentication_required`): a decision
made more than ACCOUNT_REAUTHENTICATION_TIMEOUT seconds (five minutes) after the person last
confirmed who they are is interrupted, allauth asks for the password, or for the authenticator
app's code for those who use two-factor authentication (portal/accounts/adapter.py offers that
first), and then carries out the decision that was interrupted. The site's views carry the
decorator; the Wagtail admin's workflow actions ask through `require_recent`, because Wagtail
calls the task without the request. What allauth recorded in the session says how the person
authenticated, and the services write it into the audit trail with the decision.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import reauthentication_required
from django.utils.translation import gettext_lazy

METHOD_LABELS = {
    "password": gettext_lazy("password"),
    "totp": gettext_lazy("authenticator app"),
    "recovery_codes": gettext_lazy("recovery code"),
    "webauthn": gettext_lazy("security key"),
    "demo": gettext_lazy("demo data"),
}


def method_label(method: str) -> str:
    """How someone confirmed who they were, as people read it (“authenticator app”)."""
    return METHOD_LABELS.get(method, method)


@dataclass(frozen=True)
class Authentication:
    """How the person confirmed who they were before deciding: "password", "totp",
    "recovery_codes" or "webauthn", and when."""

    method: str
    at: datetime


def require_recent(request) -> None:
    """allauth's decorator, for a door that is not one of our views: raises
    ReauthenticationRequired (which allauth's middleware answers) unless recent."""
    reauthentication_required(lambda request: None)(request)


def authentication_of(request) -> Authentication | None:
    """The latest re-authentication allauth recorded in this session, if any."""
    records = [
        record
        for record in get_authentication_records(request, request.user)
        if record.get("reauthenticated")
    ]
    if not records:
        return None
    last = records[-1]
    method = last.get("type") if last.get("method") == "mfa" else last.get("method")
    return Authentication(method=str(method), at=datetime.fromtimestamp(last["at"], tz=UTC))


def decision_authentication(request) -> Authentication | None:
    """For a door that decides: recent re-authentication required, then how it was made."""
    require_recent(request)
    return authentication_of(request)
