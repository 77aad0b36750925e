"""Deleting an account the way the portal does, and looking for what it left behind.

Shared by the personal-data tests of networks, goodpractice and newsletters.
"""

from django.apps import apps
from django.db import models, transaction
from wagtail import hooks


def erase(user) -> None:
    """Every app's erasure hook, then the account itself, all in one transaction."""
    with transaction.atomic():
        for fn in hooks.get_hooks("portal_account_erasure"):
            fn(user)
        user.delete()


def rows_naming(text: str, app_label: str) -> list[str]:
    """Every row of the app's tables with `text` in one of its text columns ("Model.field#pk")."""
    found = []
    for model in apps.get_app_config(app_label).get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField):
                continue
            matches = model._base_manager.filter(**{f"{field.name}__icontains": text})
            found += [
                f"{model.__name__}.{field.name}#{pk}" for pk in matches.values_list("pk", flat=True)
            ]
    return found
