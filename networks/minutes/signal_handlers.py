# Mail is queued in the same transaction as the change (the task queue is a database table), so
# a rolled-back approval queues nothing; no on_commit needed.
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from wagtail.models import Revision
from wagtail.signals import page_published, task_submitted

from . import services
from .models import Justering, MinutesApprovalTask, MinutesPage


def notify_approvers(sender, instance, user=None, **kwargs):
    if isinstance(instance.task.specific, MinutesApprovalTask):
        services.minutes_notify_approvers(task_state=instance)


def after_publish(sender, instance, **kwargs):
    services.minutes_after_publish(minutes=instance)


def index_decisions(sender, instance, update_fields=None, **kwargs):
    """The decisions register follows the page's content: publishing saves it whole, a draft
    saves only the revision bookkeeping (update_fields) and leaves the live text as it was."""
    if update_fields is None or "agenda" in update_fields:
        services.decisions_rebuild(minutes=instance)


def restart_round_on_edit(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A revision of minutes (or of any page under justering) saved during justering, new or overwritten, from any door. Saves
    of single fields (erasure removing a guest entry) are not edits of the record."""
    if raw or update_fields:
        return
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model is not None and issubclass(model, Justering):
        page = model.objects.get(pk=instance.object_id)
        services.minutes_round_restart(minutes=page, revision=instance)


def register_signal_handlers():
    task_submitted.connect(notify_approvers, dispatch_uid="minutes_notify_approvers")
    post_save.connect(restart_round_on_edit, sender=Revision, dispatch_uid="minutes_round_restart")
    post_save.connect(index_decisions, sender=MinutesPage, dispatch_uid="minutes_decisions")
    page_published.connect(after_publish, sender=MinutesPage, dispatch_uid="minutes_published")
