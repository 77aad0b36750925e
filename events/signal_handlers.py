from django.db.models.signals import pre_delete
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


@receiver(pre_delete, sender=EventPage)
def event_page_deleted(sender, instance, **kwargs):
    """Deleting an event cancels it in its participants' calendars, as unpublishing does, and
    an occurrence of a series is not made again when the series is next saved.

    Django sends every pre_delete before it deletes any row, so the registrations (deleted by
    CASCADE) and the page's place in the tree are still there. Wagtail's own pre_delete handler
    unpublishes a page it deletes too, but only when the copy being deleted says it is live,
    and that is Wagtail's internal detail; event_withdrawn tells each person only once.
    """
    from .services import event_withdrawn, series_skip

    event_withdrawn(event=instance)
    series_skip(occurrence=instance)
