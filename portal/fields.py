"""Model fields the apps share."""

from django.db import models


def optional_reference(
    to, verbose_name, *, related_name: str = "+", **options
) -> models.ForeignKey:
    """A reference that may be empty, and is emptied when what it refers to is deleted (a
    logo, the account that did something, a county): null and blank, on_delete SET_NULL; no
    reverse accessor unless `related_name` names one."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
        **options,
    )
