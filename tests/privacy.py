"""The personal-data copy and account deletion as the portal runs them, for every app's tests,
and a search for what a deletion left behind."""

import json

from django.apps import apps
from django.db import models

from portal.accounts import privacy


def personal_data(user) -> dict:
    """ "Download my data": the real export, through JSON as the download sends it."""
    return json.loads(json.dumps(privacy.personal_data_export(user=user)))


def erase(user) -> None:
    """ "Delete my account": every app's erasure hook, then the account, in one transaction."""
    privacy.account_delete(user=user)


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
