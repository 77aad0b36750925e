from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import EventPage


@receiver(page_published, sender=EventPage)
def event_page_published(sender, instance, **kwargs):
    """Every publish (admin, scheduled or demo) keeps SEQUENCE, feeds and participants in step."""
    from .services import event_published

    event_published(event=instance)


@receiver(page_unpublished, sender=EventPage)
def event_page_unpublished(sender, instance, **kwargs):
    from .services import event_withdrawn

    event_withdrawn(event=instance)
