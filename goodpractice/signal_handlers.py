"""Keep the facet table in step with what is live."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from . import services
from .models import PracticePage


@receiver(page_published, sender=PracticePage)
def practice_published(sender, instance, **kwargs):
    services.catalogue_entry_sync(page=instance)


@receiver(page_unpublished, sender=PracticePage)
def practice_unpublished(sender, instance, **kwargs):
    services.catalogue_entry_sync(page=instance)
