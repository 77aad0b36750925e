from django.dispatch import receiver
from modelsearch.index import get_search_backends_with_name
from wagtail.signals import page_published

from .models import NewsletterIssuePage


@receiver(page_published, sender=NewsletterIssuePage)
def keep_member_issues_out_of_search(sender, instance, **kwargs):
    """Publishing commits the audience last; an issue that is now for members leaves the index.

    (The search index is updated on save, when the page's new audience is not yet stored.)
    """
    if instance.is_members_only:
        for _name, backend in get_search_backends_with_name(with_auto_update=True):
            backend.delete(instance)
