"""Calendar replies by e-mail: the reply address an invitation names, and reading REPLYs back.

Each invitation's ORGANIZER is a plus-address of the portal's own mailbox (PORTAL_REPLY_ADDRESS),
`svar+<registration id>-<signature>@domain`. The signature is an HMAC over the registration's
id and its random token, keyed by SECRET_KEY: it cannot be made for another registration, and
it dies with the registration. It is lower-case hex, so a mail server that folds the case of
the local part does not break it. Outlook, Thunderbird, Apple Calendar and Gmail send their
Accept / Decline / Tentative answers (METHOD:REPLY) to that address.
"""

import hashlib
import hmac

from django.conf import settings

SIGNATURE_LENGTH = 24


def _signature(registration_id: int, secret: str) -> str:
    key = hashlib.sha256(f"events.replies|{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, f"{registration_id}|{secret}".encode(), hashlib.sha256).hexdigest()
    return digest[:SIGNATURE_LENGTH]


def reply_address(registration) -> str:
    """The address this registration's invitations name as ORGANIZER."""
    mailbox, _at, domain = settings.PORTAL_REPLY_ADDRESS.partition("@")
    token = f"{registration.pk}-{_signature(registration.pk, registration.token)}"
    return f"{mailbox}+{token}@{domain}"
