"""A member's rights over their data: a copy of everything (access, portability) and erasure.

Each app knows what it keeps about a person and answers two hooks: `portal_personal_data`
(`fn(user) -> {section: JSON-ready data}`) for the copy, and `portal_account_erasure`
(`fn(user)`, inside the deleting transaction) to delete or anonymise what would otherwise
outlive the account. This module adds the account itself and runs them.
"""

import logging

from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from portal.dates import iso

logger = logging.getLogger(__name__)


class AccountDeletionRefused(Exception):
    """Staff accounts are closed by another administrator, so the site never loses its last."""


def account_data(user) -> dict:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "organisation": str(user.organisation) if user.organisation_id else None,
        "job_title": user.job_title,
        "phone": user.phone,
        "preferred_language": user.preferred_language,
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        # That a second factor exists, never its secret.
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
    }


def personal_data_export(*, user) -> dict:
    """Everything the portal keeps about `user`, by section, ready for JSON."""
    data = {"exported_at": timezone.now().isoformat(), "account": account_data(user)}
    for fn in hooks.get_hooks("portal_personal_data"):
        for section, content in fn(user).items():
            if section in data:
                raise ValueError(f"two apps export the section {section!r}")
            data[section] = content
    return data


def account_delete(*, user) -> None:
    """Erase the account and what every app keeps about the person, all or nothing."""
    if user.is_staff or user.is_superuser:
        raise AccountDeletionRefused
    user_id = user.pk
    with transaction.atomic():
        for fn in hooks.get_hooks("portal_account_erasure"):
            fn(user)
        user.delete()
    logger.info("Account %s deleted by its owner", user_id)
